/* test_srt.c: the SubRip reader (readers/srt.c). Fixtures in
 * tests/fixtures/srt/; small cases are written to temporary files. The cue
 * code shared with WebVTT (readers/cues.c) is tested in test_vtt.c. */
#include "testutil.h"

#include "model/session.h"
#include "readers/reader.h"
#include "util/buf.h"
#include "util/diag.h"

#include <stdlib.h>

#define UNKNOWN_WARNING "cues without a speaker name (no 'Name:' or '[Name]' prefix); " \
                        "they are attributed to 'unknown'"
#define MALFORMED_WARNING "malformed cue timing line; expected '00:01:02,500 --> 00:01:04,000' " \
                          "(hours optional); cue skipped"

typedef test_reading fixture;

/* ---- helpers ----------------------------------------------------------- */

static int read_path(fixture *f, const char *path)
{
    reader_input in = {.path = path, .source = "in.srt", .session_id = "site/s2"};
    reader_options opt = {0};
    return read_srt(&in, &opt, &f->out, &f->d);
}

static int read_fixture(fixture *f, const char *name)
{
    char *path = test_fixture_path("srt", name);
    int rc = read_path(f, path);
    free(path);
    return rc;
}

static int read_text(fixture *f, const char *text)
{
    char *path = test_temp_file("", text, strlen(text));
    int rc = read_path(f, path);
    test_remove_temp(path);
    return rc;
}

static session *read_ok(fixture *f, const char *text)
{
    return test_one_session(f, read_text(f, text));
}

/* ---- sniffing ---------------------------------------------------------- */

static int sniff(const char *head)
{
    return sniff_srt(head, strlen(head));
}

static void test_sniff(void **state)
{
    (void)state;
    assert_true(sniff("1\n00:00:01,000 --> 00:00:02,000\nHello\n"));
    assert_true(sniff("\xEF\xBB\xBF" "1\r\n00:00:01,000 --> 00:00:02,000\r\n"));
    assert_true(sniff("\n\n  \n12 \n00:00:01.000 --> 00:00:02.000 X1:0\n"));
    assert_true(sniff("1\r00:00:01,000 --> 00:00:02,000\r"));
    assert_true(sniff("1\n00:00:01,000 --> 00:00:02,000"));
    assert_false(sniff("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n"));
    assert_false(sniff("1\nHello\n"));
    assert_false(sniff("1\n\n00:00:01,000 --> 00:00:02,000\n"));
    assert_false(sniff("a1\n00:00:01,000 --> 00:00:02,000\n"));
    assert_false(sniff("1a\n00:00:01,000 --> 00:00:02,000\n"));
    assert_false(sniff("1"));
    assert_false(sniff("1\n00:00:01,000 --> "));
    assert_false(sniff("T: 1\n00:00:01,000 --> 00:00:02,000\n"));
    assert_false(sniff(""));
}

/* ---- fixtures ---------------------------------------------------------- */

static void test_basic(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "basic.srt"), 0);
    assert_int_equal(f->out.n, 1);
    session *s = &f->out.items[0];
    assert_string_equal(s->id, "site/s2");
    assert_string_equal(s->source, "in.srt");
    assert_int_equal(s->n_utts, 8);
    assert_int_equal(s->n_speakers, 3);
    test_check_timed_utt(s, 0, "THERAPIST", "What would you like to focus on today?", 1, 3.2, 3, 0);
    test_check_timed_utt(s, 1, "CLIENT", "My sleep, I think.", 3.5, 6, 8, 0);
    test_check_timed_utt(s, 2, "CLIENT", "It's been bad since March.", 6, 8, 12, 0);
    test_check_timed_utt(s, 3, "THERAPIST", "Since March?", 8.5, 10, 16, 0);
    test_check_timed_utt(s, 4, "CLIENT", "Yes.", 10, 12, 20, 0);
    test_check_timed_utt(s, 5, "THERAPIST", "Okay.", 10, 12, 21, 0);
    test_check_timed_utt(s, 6, "Maria", "I wake at 3 a.m. [laughs] every night.", 12.5, 14, 25, 0);
    test_check_timed_utt(s, 7, "Maria", "Every single night.", 14, 15, 30, 0);
    for (size_t i = 0; i < s->n_speakers; i++) {
        assert_int_equal(s->speakers[i].role, ROLE_OTHER);
        assert_int_equal(s->speakers[i].role_from_source, 0);
    }
    assert_int_equal(f->d.n, 0);
}

static void test_messy(void **state)
{
    fixture *f = *state;
    /* BOM, CRLF, doubled blank lines, a cue running into the next cue's
     * number, a malformed timing, a cue without a number, no final newline */
    assert_int_equal(read_fixture(f, "messy.srt"), 0);
    session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 5);
    assert_int_equal(s->n_speakers, 3);
    test_check_timed_utt(s, 0, "unknown", "Hello, can you hear me?", 0.5, 2, 3, 0);
    test_check_timed_utt(s, 1, "Speaker 1", "Yes, I can.", 2, 4, 8, 0);
    test_check_timed_utt(s, 2, "Speaker 2", "Good.", 4, 5, 11, 0);
    test_check_timed_utt(s, 3, "Speaker 2", "No number on this cue.", 6, 7.5, 18, 0);
    test_check_timed_utt(s, 4, "Speaker 1", "Last one.", 8, 9, 22, 0);
    assert_int_equal(f->d.n, 2);
    test_check_diag(&f->d, 0, SEV_WARNING, "in.srt", 14, MALFORMED_WARNING);
    test_check_diag(&f->d, 1, SEV_WARNING, "in.srt", 3, UNKNOWN_WARNING);
}

/* ---- markup and labels ------------------------------------------------- */

static void test_formatting_stripped(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f,
                         "1\n00:00:00,000 --> 00:00:01,000\n"
                         "A: <I>upper</I> <u>under</u> <font face=\"Arial\" size=\"2\">font</FONT>\n"
                         "\n"
                         "2\n00:00:01,000 --> 00:00:02,000\n"
                         "A: I <3 you, x < y > z, <em>kept</em>\n"
                         "\n"
                         "3\n00:00:02,000 --> 00:00:03,000\n"
                         "{\\an8}A: {\\i1}top{\\i0} {not a code} &amp; &#233;\n");
    assert_int_equal(s->n_utts, 3);
    test_check_timed_utt(s, 0, "A", "upper under font", 0, 1, 3, 0);
    test_check_timed_utt(s, 1, "A", "I <3 you, x < y > z, <em>kept</em>", 1, 2, 7, 0);
    test_check_timed_utt(s, 2, "A", "top {not a code} & \xC3\xA9", 2, 3, 11, 0);
    assert_int_equal(f->d.n, 0);
}

static void test_bracket_and_dash_labels(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f,
                         "1\n00:00:00,000 --> 00:00:01,000\n"
                         "[Dr. Lee] How are you?\n"
                         "\n"
                         "2\n00:00:01,000 --> 00:00:02,000\n"
                         "[Laughs] Fine, I suppose.\n"
                         "\n"
                         "3\n00:00:02,000 --> 00:00:03,000\n"
                         "[music]\n"
                         "[Sam]\n"
                         "\n"
                         "4\n00:00:03,000 --> 00:00:04,000\n"
                         "-Sam: Really.\n"
                         "- Dr. Lee: Go on.\n"
                         "- and a dash line\n");
    assert_int_equal(s->n_utts, 5);
    assert_int_equal(s->n_speakers, 2);
    test_check_timed_utt(s, 0, "Dr. Lee", "How are you?", 0, 1, 3, 0);
    /* a sound description is not a speaker, nor is a lower-case bracket or
     * "[Sam]" with no text after it on its line */
    test_check_timed_utt(s, 1, "Dr. Lee", "[Laughs] Fine, I suppose.", 1, 2, 7, 0);
    test_check_timed_utt(s, 2, "Dr. Lee", "[music] [Sam]", 2, 3, 11, 0);
    test_check_timed_utt(s, 3, "Sam", "Really.", 3, 4, 16, 0);
    test_check_timed_utt(s, 4, "Dr. Lee", "Go on. - and a dash line", 3, 4, 17, 0);
    assert_int_equal(f->d.n, 0);
}

/* Regression (found by tests/e2e/test_pathological.sh): a lower-case label
 * is a speaker only when it begins two or more lines, and finding that out
 * counted every line it began, so 200,000 cues by two speakers took a
 * minute. Counting stops at 2 now; "note:", on one line only, stays text. */
static void test_many_cues_by_counted_labels(void **state)
{
    fixture *f = *state;
    buf b = {0};
    int n = 20000;
    for (int i = 0; i < n; i++) {
        int t = 2 * i;
        buf_addf(&b, "%d\n%02d:%02d:%02d,000 --> %02d:%02d:%02d,500\n%s\n\n", i + 1, t / 3600, t / 60 % 60,
                 t % 60, t / 3600, t / 60 % 60, t % 60, i % 2 ? "pat: fine" : "coach: so how was it");
    }
    buf_addf(&b, "%d\n11:11:11,000 --> 11:11:12,000\nnote: said once\n", n + 1);
    session *s = read_ok(f, buf_str(&b));
    buf_free(&b);
    assert_int_equal(s->n_speakers, 2);
    assert_int_equal(s->n_utts, n + 1);
    test_check_timed_utt(s, 0, "coach", "so how was it", 0, 0.5, 3, 0);
    test_check_timed_utt(s, (size_t)n - 1, "pat", "fine", 2 * (n - 1), 2 * (n - 1) + 0.5, 4 * (n - 1) + 3, 0);
    test_check_timed_utt(s, (size_t)n, "pat", "note: said once", 40271, 40272, 4 * n + 3, 0);
}

static void test_bracket_cue_without_text(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "1\n00:00:00,000 --> 00:00:01,000\n[music]\n[Sam]\n");
    assert_int_equal(s->n_utts, 1);
    test_check_timed_utt(s, 0, "unknown", "[music] [Sam]", 0, 1, 3, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_WARNING, "in.srt", 3, UNKNOWN_WARNING);
}

/* ---- times and errors -------------------------------------------------- */

static void test_times(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f,
                         "1\n01:00:05,000 --> 01:00:06,500\nT: one\n\n"
                         "2\n00:59:59.999 --> 01:00:00.000\nT: back in time\n\n"
                         "3\n00:10,000 --> 00:11,000\nT: no hours\n");
    assert_int_equal(s->n_utts, 3);
    test_check_timed_utt(s, 0, "T", "one", 3605, 3606.5, 3, 0);
    test_check_timed_utt(s, 1, "T", "back in time", 3599.999, 3600, 7, 0);
    test_check_timed_utt(s, 2, "T", "no hours", 10, 11, 11, 0);
    assert_int_equal(f->d.n, 0);   /* times going backwards: the session model warns */
}

static void test_errors(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, "1\nHello there\n\n2\nNo timings at all\n"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 3);
    test_check_diag(&f->d, 0, SEV_WARNING, "in.srt", 1,
                    "text outside any cue ignored; a cue needs a timing line like "
                    "'00:01:02,500 --> 00:01:04,000'");
    test_check_diag(&f->d, 1, SEV_WARNING, "in.srt", 4,
                    "text outside any cue ignored; a cue needs a timing line like "
                    "'00:01:02,500 --> 00:01:04,000'");
    test_check_diag(&f->d, 2, SEV_ERROR, "in.srt", 0, "no cues found");
    diag_free(&f->d);

    assert_int_equal(read_text(f, "1\n00:00:00,000 --> 00:00:01,000\n<i></i>\n"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, "in.srt", 0, "no cue has any text (1 cue, all empty)");
    diag_free(&f->d);

    assert_int_equal(read_text(f, ""), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(diag_count(&f->d, SEV_ERROR), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff),
        reading_test(test_basic),
        reading_test(test_messy),
        reading_test(test_formatting_stripped),
        reading_test(test_bracket_and_dash_labels),
        reading_test(test_many_cues_by_counted_labels),
        reading_test(test_bracket_cue_without_text),
        reading_test(test_times),
        reading_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
