/* test_textgrid.c: the Praat TextGrid reader (readers/textgrid.c).
 * Fixtures are in tests/fixtures/textgrid/ (the same TextGrid in the long
 * form, the short form, and the short form as UTF-16 with CRLF); the
 * praatIO TextGrids in ../shared/data are read when present. */
#include "testutil.h"

#include "model/session.h"
#include "readers/reader.h"
#include "util/diag.h"

#include <stdlib.h>

typedef test_reading fixture;

static int read_path(fixture *f, const char *path, const char *source)
{
    reader_input in = {.path = path, .source = source, .session_id = "site/s2"};
    reader_options opt = {0};
    return read_textgrid(&in, &opt, &f->out, &f->d);
}

/* Read tests/fixtures/textgrid/NAME; messages name NAME. */
static int read_fixture(fixture *f, const char *name)
{
    char *path = test_fixture_path("textgrid", name);
    int rc = read_path(f, path, name);
    free(path);
    return rc;
}

static int read_text(fixture *f, const char *text)
{
    char *path = test_temp_file("", text, strlen(text));
    int rc = read_path(f, path, "t.TextGrid");
    test_remove_temp(path);
    return rc;
}

/* The header of a short-form TextGrid with one interval tier "T" of
 * `count` intervals, from 0 to 10 s (lines 1-12). */
#define SHORT_HEAD(count) \
    "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\n0\n10\n<exists>\n1\n" \
    "\"IntervalTier\"\n\"T\"\n0\n10\n" count "\n"

/* ---- the fixtures ------------------------------------------------------ */

/* All three forms hold: tier 1 "Therapist" (4 intervals, 2 blank: one
 * empty, one spaces only; one with doubled quotes; one over two lines),
 * tier 2 a point tier (skipped), tier 3 with an empty name (1 of its 2
 * intervals blank). Merged by start: 1.25, 4.75, 9.5. */
static void check_session_fixture(const fixture *f, long line1, long line2, long line3)
{
    assert_int_equal(f->d.n, 0);
    assert_int_equal(f->out.n, 1);
    const session *s = &f->out.items[0];
    assert_string_equal(s->id, "site/s2");
    assert_int_equal(s->n_speakers, 2);
    assert_string_equal(s->speakers[0].label, "Therapist");
    assert_string_equal(s->speakers[1].label, "tier 3");
    assert_int_equal(s->speakers[0].role, ROLE_OTHER);
    assert_int_equal(s->speakers[0].role_from_source, 0);
    assert_int_equal(s->n_utts, 3);
    test_check_timed_utt(s, 0, "Therapist", "So, what does \"better\" mean?", 1.25, 4.0, line1, 0);
    test_check_timed_utt(s, 1, "tier 3", "Sleeping [sighs] better, I guess.", 4.75, 9.5, line2, 0);
    test_check_timed_utt(s, 2, "Therapist", "Tell me more.", 9.5, 12.5, line3, 0);
    assert_int_equal(s->times_estimated, 0);
}

static void test_long_form(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "session_long.TextGrid"), 0);
    check_session_fixture(f, 22, 54, 30);
}

static void test_short_form(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "session_short.TextGrid"), 0);
    check_session_fixture(f, 18, 43, 24);
}

static void test_short_form_utf16_crlf(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "session_short_utf16.TextGrid"), 0);
    check_session_fixture(f, 18, 43, 24);
}

static void test_same_name_tiers_share_a_speaker(void **state)
{
    fixture *f = *state;
    const char *text =
        "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n0\n10\n<exists>\n2\n"
        "\"IntervalTier\"\n\"C\"\n0\n10\n1\n2\n3\n\"Yes.\"\n"
        "\"IntervalTier\"\n\"C\"\n0\n10\n1\n0\n1\n\"No.\"\n";
    assert_int_equal(read_text(f, text), 0);
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_speakers, 1);
    assert_int_equal(s->n_utts, 2);
    test_check_timed_utt(s, 0, "C", "No.", 0, 1, 22, 0);
    test_check_timed_utt(s, 1, "C", "Yes.", 2, 3, 14, 0);
}

/* ---- times ------------------------------------------------------------- */

static void test_bad_times(void **state)
{
    fixture *f = *state;
    const char *text = SHORT_HEAD("4")
        "2\n3\n\"One.\"\n"          /* lines 13-15 */
        "-1\n2\n\"Two.\"\n"         /* 16-18: negative start */
        "1\n0.5\n\"Three.\"\n"      /* 19-21: backwards, ends before it starts */
        "5\n2000000\n\"Four.\"\n";  /* 22-24: absurd end */
    assert_int_equal(read_text(f, text), 0);
    assert_int_equal(f->d.n, 4);
    test_check_diag(&f->d, 0, SEV_WARNING, NULL, 16,
                    "xmin of interval 2 of tier 1 'T' is negative (-1 s); the time is treated as unknown");
    test_check_diag(&f->d, 1, SEV_WARNING, NULL, 19,
                    "interval 3 of tier 1 ends (0.5 s) before it starts (1 s); its end is unknown");
    test_check_diag(&f->d, 2, SEV_WARNING, NULL, 19, "time goes backwards (00:00:01 after 00:00:02)");
    test_check_diag(&f->d, 3, SEV_WARNING, NULL, 23,
                    "xmax of interval 4 of tier 1 'T' is absurdly large (over 1,000,000 s) (2e+06 s); "
                    "the time is treated as unknown");
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 4);
    test_check_timed_utt(s, 0, "T", "Three.", 1, TIME_UNKNOWN, 21, 0);
    test_check_timed_utt(s, 1, "T", "One.", 2, 3, 15, 0);
    test_check_timed_utt(s, 2, "T", "Four.", 5, TIME_UNKNOWN, 24, 0);
    test_check_timed_utt(s, 3, "T", "Two.", TIME_UNKNOWN, 2, 18, 0);
}

/* ---- files that fail --------------------------------------------------- */

static void test_truncated(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, SHORT_HEAD("2") "0\n1\n\"Hi.\"\n1\n5\n"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 17,
                    "the file ends where text of interval 2 of tier 1 'T' was expected; the TextGrid "
                    "is truncated: save it again from Praat");
}

static void test_unclosed_string(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, SHORT_HEAD("1") "0\n1\n\"Hi.\nthere\n"), -1);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 15,
                    "a quoted string starting on this line is never closed (text of interval 1 of "
                    "tier 1 'T'); add the closing \"");
}

static void test_bad_number(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, SHORT_HEAD("1") "0\n1,5\n\"Hi.\"\n"), -1);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 14,
                    "'1,5' is not a number (xmax of interval 1 of tier 1 'T'); fix the value or save "
                    "the TextGrid again from Praat");
}

static void test_bad_count(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, SHORT_HEAD("2.5") "0\n1\n\"Hi.\"\n"), -1);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 12,
                    "the interval count of tier 1 'T' is 2.5, not a whole number of items; save the "
                    "TextGrid again from Praat");
}

static void test_string_where_number_expected(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, SHORT_HEAD("1") "0\n\"Hi.\"\n1\n"), -1);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 14,
                    "expected a number (xmax of interval 1 of tier 1 'T'), found a quoted string; the "
                    "file is not a TextGrid in Praat's text format, or is damaged");
}

static void test_unknown_tier_class(void **state)
{
    fixture *f = *state;
    const char *text = "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n0\n10\n<exists>\n"
                       "1\n\"PitchTier\"\n\"p\"\n0\n10\n0\n";
    assert_int_equal(read_text(f, text), -1);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 7,
                    "tier 1 has class \"PitchTier\"; a TextGrid has only \"IntervalTier\" and "
                    "\"TextTier\" tiers: save the TextGrid again from Praat");
}

static void test_other_praat_object(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, "File type = \"ooTextFile\"\nObject class = \"Sound 2\"\n0\n1\n"),
                     -1);
    assert_int_equal(read_text(f, "File type = \"ooBinaryFile\"\nObject class = \"TextGrid\"\n"),
                     -1);
    assert_int_equal(read_text(f, "xmin = 0\n"), -1);
    assert_int_equal(f->d.n, 3);
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 2,
                    "this Praat file holds a \"Sound 2\", not a TextGrid; export the TextGrid itself");
    test_check_diag(&f->d, 1, SEV_ERROR, NULL, 1,
                    "file type \"ooBinaryFile\" is not supported; save the TextGrid from Praat as a "
                    "text file (Save as text file...)");
    test_check_diag(&f->d, 2, SEV_ERROR, NULL, 1,
                    "expected a quoted string (the file type (File type = \"ooTextFile\") in the file "
                    "header), found a number; the file is not a TextGrid in Praat's text format, or "
                    "is damaged");
}

static void test_no_interval_text(void **state)
{
    fixture *f = *state;
    const char *absent = "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n0\n1\n<absent>\n";
    assert_int_equal(read_text(f, absent), -1);
    assert_int_equal(read_text(f, SHORT_HEAD("1") "0\n10\n\"\"\n"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 2);
    for (size_t i = 0; i < 2; i++)
        test_check_diag(&f->d, i, SEV_ERROR, NULL, 0,
                        "no speech found: the TextGrid has no interval tier with non-empty intervals "
                        "(point tiers are not read)");
}

static void test_missing_file(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_path(f, "/nonexistent/dyad/x.TextGrid", "x.TextGrid"), -1);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 0, "cannot open: No such file or directory");
}

/* ---- sniffing ---------------------------------------------------------- */

static void test_sniff(void **state)
{
    (void)state;
    const char *tg = "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n";
    assert_true(sniff_textgrid(tg, strlen(tg)));
    const char *pitch = "File type = \"ooTextFile\"\nObject class = \"PitchTier\"\n";
    assert_false(sniff_textgrid(pitch, strlen(pitch)));
    /* UTF-16LE with a BOM: every other byte is zero */
    char wide[200];
    size_t n = 0;
    wide[n++] = (char)0xFF;
    wide[n++] = (char)0xFE;
    for (const char *p = tg; *p; p++) {
        wide[n++] = *p;
        wide[n++] = 0;
    }
    assert_true(sniff_textgrid(wide, n));
    const reader_format *fmt = reader_by_content(tg, strlen(tg));
    assert_non_null(fmt);
    assert_string_equal(fmt->name, "textgrid");
}

/* ---- the real files in ../shared/data ---------------------------------- */

/* Read ../shared/data/formats/textgrid/NAME; skips the test when it is absent. */
static void read_shared(fixture *f, const char *name)
{
    char *path = test_shared_data("formats/textgrid", name);
    assert_int_equal(read_path(f, path, name), 0);
    free(path);
}

/* Long form; tier 1 is named "word" with its quotes ("""word""" in the
 * file); 4 of its 6 intervals have text, tier 2 "phrase" 1 of 3; tier 3
 * is a point tier. Labels span two lines. */
static void test_shared_bobby(void **state)
{
    fixture *f = *state;
    read_shared(f, "bobby_words_with_newlines_longfile_elan.TextGrid");
    assert_int_equal(f->d.n, 0);
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_speakers, 2);
    assert_string_equal(s->speakers[0].label, "\"word\"");
    assert_string_equal(s->speakers[1].label, "phrase");
    assert_int_equal(s->n_utts, 5);
    test_check_timed_utt(s, 0, "\"word\"", "\"\"\"BOBBY\"\"\" Noun", 0.06469123242311078, 0.41156462585,
                         22, 0);
    test_check_timed_utt(s, 1, "phrase", "BOBBY RIPPED THE LEDGER", 0.06469123242311078, 1.1171482864527198,
                         56, 0);
    test_check_timed_utt(s, 4, "\"word\"", "LEDGER Noun", 0.740816326531, 1.1171482864527198, 37, 0);
}

/* Short form, CRLF, UTF-8 IPA: "phone" 14 of 16 intervals with text,
 * "word" 4 of 6, a point tier "pitch". */
static void test_shared_mary(void **state)
{
    fixture *f = *state;
    read_shared(f, "mary.TextGrid");
    assert_int_equal(f->d.n, 0);
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_speakers, 2);
    assert_int_equal(s->n_utts, 18);
    test_check_timed_utt(s, 0, "phone", "m", 0.3154201182247563, 0.38526757369599995, 18, 0);
    test_check_timed_utt(s, 1, "word", "mary", 0.3154201182247563, 0.6755499913498981, 71, 0);
    test_check_timed_utt(s, 2, "phone", "\xC9\x99", 0.38526757369599995, 0.4906833231456586, 21, 0);
}

/* Short form: bob 4 of 8 intervals, mary 4 of 7, sarah 3 of 7. */
static void test_shared_merge(void **state)
{
    fixture *f = *state;
    read_shared(f, "textgrid_to_merge.TextGrid");
    assert_int_equal(f->d.n, 0);
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_speakers, 3);
    assert_int_equal(s->n_utts, 11);
    test_check_timed_utt(s, 0, "bob", "01a", 0.7363043110515426, 1.559821858449687, 18, 0);
    test_check_timed_utt(s, 3, "mary", "02b", 3.773578706294161, 4.136634829340655, 50, 0);
    test_check_timed_utt(s, 4, "sarah", "03a", 3.773578706294161, 4.136634829340655, 73, 0);
    test_check_timed_utt(s, 10, "bob", "01d", 9.219420551991568, 9.830417441996643, 33, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        reading_test(test_long_form),
        reading_test(test_short_form),
        reading_test(test_short_form_utf16_crlf),
        reading_test(test_same_name_tiers_share_a_speaker),
        reading_test(test_bad_times),
        reading_test(test_truncated),
        reading_test(test_unclosed_string),
        reading_test(test_bad_number),
        reading_test(test_bad_count),
        reading_test(test_string_where_number_expected),
        reading_test(test_unknown_tier_class),
        reading_test(test_other_praat_object),
        reading_test(test_no_interval_text),
        reading_test(test_missing_file),
        cmocka_unit_test(test_sniff),
        reading_test(test_shared_bobby),
        reading_test(test_shared_mary),
        reading_test(test_shared_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
