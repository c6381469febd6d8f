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
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef struct fixture {
    session_list out;
    diag_list d;
} fixture;

static int setup(void **state)
{
    *state = xcalloc(1, sizeof(fixture));
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    session_list_free(&f->out);
    diag_free(&f->d);
    free(f);
    return 0;
}

/* The project root: the tests run from it (make test), or from build/tests. */
static const char *project_root(void)
{
    static const char *const CANDIDATES[] = {".", "..", "../..", NULL};
    for (const char *const *c = CANDIDATES; *c; c++) {
        char probe[256];
        snprintf(probe, sizeof probe, "%s/tests/fixtures/talkbank/basic.xml", *c);
        if (access(probe, R_OK) == 0) return *c;
    }
    fail_msg("cannot find tests/fixtures/talkbank; run the test from the project root");
    return ".";
}

static int read_path(fixture *f, const char *path, const char *source)
{
    reader_input in = {.path = path, .source = source, .session_id = "site/s1"};
    reader_options opt = {0};
    return read_talkbank(&in, &opt, &f->out, &f->d);
}

static int read_fixture(fixture *f, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fixtures/talkbank/%s", project_root(), name);
    return read_path(f, path, name);
}

/* Write text to a temporary file and read it; messages name `source`. */
static int read_text(fixture *f, const char *text, const char *source)
{
    char path[] = "/tmp/dyad_test_talkbank_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text), done = 0;
    while (done < n) {
        ssize_t w = write(fd, text + done, n - done);
        assert_true(w > 0);
        done += (size_t)w;
    }
    assert_int_equal(close(fd), 0);
    int rc = read_path(f, path, source);
    unlink(path);
    return rc;
}

static session *read_ok(fixture *f, const char *name)
{
    assert_int_equal(read_fixture(f, name), 0);
    assert_int_equal(f->out.n, 1);
    return &f->out.items[0];
}

static void check_utt(const session *s, size_t i, const char *label, const char *text, long line)
{
    assert_true(i < s->n_utts);
    assert_string_equal(s->speakers[s->utts[i].speaker].label, label);
    assert_string_equal(s->utts[i].text, text);
    assert_int_equal(s->utts[i].line, line);
}

static void check_times(const session *s, size_t i, double start, double end, unsigned flags)
{
    assert_double_eq(s->utts[i].start, start);
    assert_double_eq(s->utts[i].end, end);
    assert_int_equal(s->utts[i].flags, flags);
}

static void check_speaker(const session *s, size_t i, const char *label, role r, int from_source)
{
    assert_true(i < s->n_speakers);
    assert_string_equal(s->speakers[i].label, label);
    assert_int_equal(s->speakers[i].role, r);
    assert_int_equal(s->speakers[i].role_from_source, from_source);
}

static void check_diag(const diag_list *d, size_t i, severity sev, const char *source, long line,
                       const char *message)
{
    assert_true(i < d->n);
    assert_int_equal(d->items[i].sev, sev);
    assert_string_equal(d->items[i].source, source);
    assert_int_equal(d->items[i].line, line);
    assert_string_equal(d->items[i].message, message);
}

/* Assert that reading failed with exactly one error, and nothing was added. */
static void check_failed(fixture *f, int rc, const char *source, long line, const char *message)
{
    assert_int_equal(rc, -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    check_diag(&f->d, 0, SEV_ERROR, source, line, message);
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
    check_utt(s, 0, "THE", "so how was your week?", 9);
    /* filler and fragment dropped; tagMarker comma kept; the <e> event dropped */
    check_utt(s, 1, "CLI", "it was okay, I guess.", 19);
    /* retraced <g> dropped, <shortening> kept, <replacement> used, pause dropped */
    check_utt(s, 2, "CLI", "I go to the gym because it helps don't you think?", 32);
    /* a stressed <g> kept, compound <wk type="cmp"/> joined by '-', omission dropped */
    check_utt(s, 3, "THE", "that's great birth-day!", 48);
    check_utt(s, 4, "MOT", "", 55);                 /* untranscribed xxx */
    check_utt(s, 5, "THE", "you mentioned.", 59);   /* false start dropped */
    check_utt(s, 6, "CLI", "yeah?", 64);
    check_times(s, 0, 1.0, 2.5, 0);
    check_times(s, 1, 2.6, 4.1, 0);                 /* unit="ms" */
    check_times(s, 2, 4.2, 7.0, 0);
    check_times(s, 3, TIME_UNKNOWN, TIME_UNKNOWN, 0);
    check_times(s, 5, TIME_UNKNOWN, TIME_UNKNOWN, UTT_SELF_INTERRUPTED);
    check_times(s, 6, TIME_UNKNOWN, TIME_UNKNOWN, UTT_INTERRUPTED);
    assert_int_equal(s->n_speakers, 3);
    check_speaker(s, 0, "THE", ROLE_THERAPIST, 1);
    check_speaker(s, 1, "CLI", ROLE_CLIENT, 1);
    check_speaker(s, 2, "MOT", ROLE_OTHER, 0);
}

static void test_times_and_speaker_warnings(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "times.xml");
    assert_int_equal(s->n_utts, 6); /* the <u> without who is left out */
    check_utt(s, 0, "INV", "one.", 7);
    check_times(s, 0, 2.0, 3.0, 0);
    check_times(s, 1, 1.5, 1.8, 0);                    /* backwards: kept */
    check_times(s, 2, TIME_UNKNOWN, TIME_UNKNOWN, 0);  /* start="soon" */
    check_times(s, 3, TIME_UNKNOWN, TIME_UNKNOWN, 0);  /* 2,000,000 s */
    check_times(s, 4, TIME_UNKNOWN, TIME_UNKNOWN, 0);  /* ends before it starts */
    check_utt(s, 5, "XYZ", "six?", 13);
    check_speaker(s, 0, "INV", ROLE_THERAPIST, 1);
    check_speaker(s, 1, "CHI", ROLE_CLIENT, 1);
    check_speaker(s, 2, "XYZ", ROLE_OTHER, 0);
    assert_int_equal(f->d.n, 6);
    check_diag(&f->d, 0, SEV_WARNING, "times.xml", 8, "time goes backwards (00:00:01.500 after 00:00:02)");
    check_diag(&f->d, 1, SEV_WARNING, "times.xml", 9,
               "<media> start or end is not a number of seconds (e.g. start=\"1.5\"); the "
               "utterance's times are treated as unknown");
    check_diag(&f->d, 2, SEV_WARNING, "times.xml", 10,
               "time 2000000.000 s is out of range (negative or over 1,000,000 s); the "
               "utterance's times are treated as unknown");
    check_diag(&f->d, 3, SEV_WARNING, "times.xml", 11,
               "the utterance ends before it starts (00:00:06 to 00:00:05); its times are "
               "treated as unknown");
    check_diag(&f->d, 4, SEV_WARNING, "times.xml", 12,
               "<u> without a who attribute ignored; write <u who=\"CODE\">");
    check_diag(&f->d, 5, SEV_WARNING, "times.xml", 13,
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
    check_utt(s, 0, "THE", "hello there.", 8);
    assert_int_equal(f->d.n, 1);
    check_diag(&f->d, 0, SEV_WARNING, "xxe.xml", 8,
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
    check_diag(&f->d, 0, SEV_ERROR, "x.xml", 0, "cannot open: No such file or directory");
    assert_int_equal(read_text(f, "", "empty.xml"), -1);
    check_diag(&f->d, 1, SEV_ERROR, "empty.xml", 0, "the file is empty");
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
        cmocka_unit_test_setup_teardown(test_basic_session, setup, teardown),
        cmocka_unit_test_setup_teardown(test_times_and_speaker_warnings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_external_entity_reads_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_billion_laughs_fails_fast, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_nesting_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_fails_with_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_root_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_utterances_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_and_empty_files_fail, setup, teardown),
        cmocka_unit_test(test_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
