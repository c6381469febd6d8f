/* test_talkbank.c: the TalkBank XML reader (readers/talkbank.c). Each test
 * reads a fixture from tests/fixtures/talkbank/ (or a document it writes to
 * a temporary file) and checks the session and the diagnostics against
 * values worked out by hand, including the hostile documents: an external
 * entity, an entity bomb, deep nesting and malformed XML. */
#include "testutil.h"

#include "model/session.h"
#include "readers/reader.h"
#include "util/buf.h"
#include "util/diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef test_reading fixture;

static int read_path(fixture *f, const char *path, const char *source)
{
    reader_input in = {.path = path, .source = source, .session_id = "site/s1"};
    reader_options opt = {0};
    return read_talkbank(&in, &opt, &f->out, &f->d);
}

static int read_fixture(fixture *f, const char *name)
{
    char *path = test_fixture_path("talkbank", name);
    int rc = read_path(f, path, name);
    free(path);
    return rc;
}

/* Write text to a temporary file and read it; messages name `source`. */
static int read_text(fixture *f, const char *text, const char *source)
{
    char *path = test_temp_file("", text, strlen(text));
    int rc = read_path(f, path, source);
    test_remove_temp(path);
    return rc;
}

static session *read_ok(fixture *f, const char *name)
{
    return test_one_session(f, read_fixture(f, name));
}

/* Assert that reading failed with exactly one error, and nothing was added. */
static void check_failed(fixture *f, int rc, const char *source, long line, const char *message)
{
    assert_int_equal(rc, -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, source, line, message);
}

/* ---- a whole session ---- */

static void test_basic_session(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "basic.xml");
    assert_string_equal(s->id, "site/s1");
    assert_string_equal(s->source, "basic.xml");
    assert_int_equal(f->d.n, 0);
    assert_int_equal(s->n_utts, 7);
    /* <mor> inside a word and the <a> tier are not speech */
    test_check_utt(s, 0, "THE", "so how was your week?", 9);
    /* filler and fragment dropped; tagMarker comma kept; the <e> event dropped */
    test_check_utt(s, 1, "CLI", "it was okay, I guess.", 19);
    /* retraced <g> dropped, <shortening> kept, <replacement> used, pause dropped */
    test_check_utt(s, 2, "CLI", "I go to the gym because it helps don't you think?", 32);
    /* a stressed <g> kept, compound <wk type="cmp"/> joined by '-', omission dropped */
    test_check_utt(s, 3, "THE", "that's great birth-day!", 48);
    test_check_utt(s, 4, "MOT", "", 55);                 /* untranscribed xxx */
    test_check_utt(s, 5, "THE", "you mentioned.", 59);   /* false start dropped */
    test_check_utt(s, 6, "CLI", "yeah?", 64);
    test_check_times(s, 0, 1.0, 2.5, 0);
    test_check_times(s, 1, 2.6, 4.1, 0);                 /* unit="ms" */
    test_check_times(s, 2, 4.2, 7.0, 0);
    test_check_times(s, 3, TIME_UNKNOWN, TIME_UNKNOWN, 0);
    test_check_times(s, 5, TIME_UNKNOWN, TIME_UNKNOWN, UTT_SELF_INTERRUPTED);
    test_check_times(s, 6, TIME_UNKNOWN, TIME_UNKNOWN, UTT_INTERRUPTED);
    assert_int_equal(s->n_speakers, 3);
    test_check_speaker(s, 0, "THE", ROLE_THERAPIST, 1);
    test_check_speaker(s, 1, "CLI", ROLE_CLIENT, 1);
    test_check_speaker(s, 2, "MOT", ROLE_OTHER, 0);
}

static void test_times_and_speaker_warnings(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "times.xml");
    assert_int_equal(s->n_utts, 6); /* the <u> without who is left out */
    test_check_utt(s, 0, "INV", "one.", 7);
    test_check_times(s, 0, 2.0, 3.0, 0);
    test_check_times(s, 1, 1.5, 1.8, 0);                    /* backwards: kept */
    test_check_times(s, 2, TIME_UNKNOWN, TIME_UNKNOWN, 0);  /* start="soon" */
    test_check_times(s, 3, TIME_UNKNOWN, TIME_UNKNOWN, 0);  /* 2,000,000 s */
    test_check_times(s, 4, TIME_UNKNOWN, TIME_UNKNOWN, 0);  /* ends before it starts */
    test_check_utt(s, 5, "XYZ", "six?", 13);
    test_check_speaker(s, 0, "INV", ROLE_THERAPIST, 1);
    test_check_speaker(s, 1, "CHI", ROLE_CLIENT, 1);
    test_check_speaker(s, 2, "XYZ", ROLE_OTHER, 0);
    assert_int_equal(f->d.n, 5);   /* times going backwards: the session model warns */
    test_check_diag(&f->d, 0, SEV_WARNING, "times.xml", 9,
                    "<media> start or end is not a number of seconds (e.g. start=\"1.5\"); the "
                    "utterance's times are treated as unknown");
    test_check_diag(&f->d, 1, SEV_WARNING, "times.xml", 10,
                    "time 2000000.000 s is out of range (negative or over 1,000,000 s); the "
                    "utterance's times are treated as unknown");
    test_check_diag(&f->d, 2, SEV_WARNING, "times.xml", 11,
                    "the utterance ends before it starts (00:00:06 to 00:00:05); its times are "
                    "treated as unknown");
    test_check_diag(&f->d, 3, SEV_WARNING, "times.xml", 12,
                    "<u> without a who attribute ignored; write <u who=\"CODE\">");
    test_check_diag(&f->d, 4, SEV_WARNING, "times.xml", 13,
                    "speaker XYZ is not listed in <Participants>; add <participant id=\"XYZ\" "
                    "role=\"...\"/> so its role is known");
}

/* ---- hostile and broken documents ---- */

static void test_external_entity_reads_nothing(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "xxe.xml");
    assert_int_equal(s->n_utts, 1);
    /* neither /etc/passwd nor the fixture folder's secret.txt is read */
    test_check_utt(s, 0, "THE", "hello there.", 8);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_WARNING, "xxe.xml", 8,
                    "entity reference &secret; left out: dyad never expands XML entities "
                    "(write the text itself)");
}

static void test_billion_laughs_fails_fast(void **state)
{
    fixture *f = *state;
    clock_t t0 = clock();
    int rc = read_fixture(f, "billion_laughs.xml");
    double cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
    check_failed(f, rc, "billion_laughs.xml", 15,
                 "entities expand too much or refer to themselves (libxml2: Detected an "
                 "entity reference loop); remove the <!ENTITY> declarations");
    assert_true(cpu < 2.0); /* expanding it would take minutes and gigabytes */
}

static void test_deep_nesting_fails(void **state)
{
    fixture *f = *state;
    buf doc = {0};
    buf_adds(&doc, "<CHAT>\n<u who=\"A\">");
    for (int i = 0; i < 300; i++) buf_adds(&doc, "<g>");
    buf_adds(&doc, "<w>hi</w>");
    for (int i = 0; i < 300; i++) buf_adds(&doc, "</g>");
    buf_adds(&doc, "</u>\n</CHAT>\n");
    int rc = read_text(f, buf_str(&doc), "deep.xml");
    buf_free(&doc);
    check_failed(f, rc, "deep.xml", 2, "elements nest deeper than 256 levels; not a TalkBank transcript");
}

static void test_malformed_fails_with_line(void **state)
{
    fixture *f = *state;
    check_failed(f, read_fixture(f, "malformed.xml"), "malformed.xml", 3,
                 "not well-formed XML: Opening and ending tag mismatch: w line 3 and x; "
                 "fix the markup at this line");
}

static void test_truncated_fails(void **state)
{
    fixture *f = *state;
    int rc = read_text(f, "<CHAT>\n<u who=\"A\"><w>hi</w>\n", "cut.xml");
    assert_int_equal(rc, -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.items[0].sev, SEV_ERROR);
    assert_non_null(strstr(f->d.items[0].message, "not well-formed XML: "));
}

static void test_wrong_root_fails(void **state)
{
    fixture *f = *state;
    check_failed(f, read_fixture(f, "not_chat.xml"), "not_chat.xml", 2,
                 "the root element is <TEI>, not <CHAT>: not a TalkBank XML transcript");
}

static void test_no_utterances_fails(void **state)
{
    fixture *f = *state;
    check_failed(f, read_fixture(f, "no_utterances.xml"), "no_utterances.xml", 0,
                 "no utterances found; TalkBank XML speech is in <u who=\"CODE\"> elements");
}

static void test_missing_and_empty_files_fail(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_path(f, "/nonexistent/dyad/x.xml", "x.xml"), -1);
    test_check_diag(&f->d, 0, SEV_ERROR, "x.xml", 0, "cannot open: No such file or directory");
    assert_int_equal(read_text(f, "", "empty.xml"), -1);
    test_check_diag(&f->d, 1, SEV_ERROR, "empty.xml", 0, "the file is empty");
    assert_int_equal(f->out.n, 0);
}

/* ---- sniffing ---- */

static void test_sniff(void **state)
{
    (void)state;
    const char *full = "<?xml version=\"1.0\"?>\n<!-- made by hand -->\n"
                       "<!DOCTYPE CHAT [ <!ENTITY a \"b\"> ]>\n<CHAT Version=\"2.20.0\">";
    assert_true(sniff_talkbank(full, strlen(full)));
    assert_true(sniff_talkbank("\xEF\xBB\xBF<CHAT>", 9));
    assert_true(sniff_talkbank("<CHAT\n  xmlns=\"http://www.talkbank.org/ns/talkbank\">", 51));
    assert_false(sniff_talkbank("<TEI><CHAT>", 11));
    assert_false(sniff_talkbank("<CHATTER>", 9));
    assert_false(sniff_talkbank("@UTF8\n", 6));
    assert_false(sniff_talkbank("<CHA", 4));
    /* the root must start within the first 4 KB */
    buf late = {0};
    buf_adds(&late, "<!--");
    for (int i = 0; i < 4100; i++) buf_addc(&late, 'x');
    buf_adds(&late, "--><CHAT>");
    assert_false(sniff_talkbank(buf_str(&late), late.len));
    buf_free(&late);
    assert_string_equal(reader_by_content(full, strlen(full))->name, "talkbank");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        reading_test(test_basic_session),
        reading_test(test_times_and_speaker_warnings),
        reading_test(test_external_entity_reads_nothing),
        reading_test(test_billion_laughs_fails_fast),
        reading_test(test_deep_nesting_fails),
        reading_test(test_malformed_fails_with_line),
        reading_test(test_truncated_fails),
        reading_test(test_wrong_root_fails),
        reading_test(test_no_utterances_fails),
        reading_test(test_missing_and_empty_files_fail),
        cmocka_unit_test(test_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
