/* test_tei.c: the TEI reader (readers/tei.c). Fixtures are in
 * tests/fixtures/tei/; the ParlaMint excerpt in ../shared/data is read when
 * present. */
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

/* The project root, worked out once from argv[0] before any test runs. */
static char project_root[4096] = ".";

static void find_project_root(const char *argv0)
{
    char *exe = realpath(argv0, NULL);
    if (!exe) return;
    size_t n = strlen(exe);
    for (int up = 0; up < 3 && n; up++) {
        while (n && exe[n - 1] != '/') n--;
        if (n) n--;
    }
    if (n > 0 && n < sizeof project_root) {
        memcpy(project_root, exe, n);
        project_root[n] = '\0';
    }
    free(exe);
    buf probe = {0};
    buf_addf(&probe, "%s/tests/fixtures/tei", project_root);
    if (access(probe.data, R_OK) != 0) strcpy(project_root, ".");
    buf_free(&probe);
}

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

static int read_path(fixture *f, const char *path, const char *source)
{
    reader_input in = {.path = path, .source = source, .session_id = "site/s3"};
    reader_options opt = {0};
    return read_tei(&in, &opt, &f->out, &f->d);
}

static int read_fixture(fixture *f, const char *name)
{
    buf path = {0};
    buf_addf(&path, "%s/tests/fixtures/tei/%s", project_root, name);
    int rc = read_path(f, path.data, name);
    buf_free(&path);
    return rc;
}

static int read_text(fixture *f, const char *text)
{
    const char *dir = getenv("TMPDIR");
    buf path = {0};
    buf_addf(&path, "%s/dyad_test_tei_XXXXXX", dir && dir[0] ? dir : "/tmp");
    int fd = mkstemp(path.data);
    assert_true(fd >= 0);
    size_t n = strlen(text), done = 0;
    while (done < n) {
        ssize_t w = write(fd, text + done, n - done);
        assert_true(w > 0);
        done += (size_t)w;
    }
    assert_int_equal(close(fd), 0);
    int rc = read_path(f, path.data, "t.xml");
    unlink(path.data);
    buf_free(&path);
    return rc;
}

static void check_utt(const session *s, size_t i, const char *label, const char *text,
                      double start, double end, long line, unsigned flags)
{
    assert_true(i < s->n_utts);
    assert_string_equal(s->speakers[s->utts[i].speaker].label, label);
    assert_string_equal(s->utts[i].text, text);
    assert_double_eq(s->utts[i].start, start);
    assert_double_eq(s->utts[i].end, end);
    assert_int_equal(s->utts[i].line, line);
    assert_int_equal(s->utts[i].flags, flags);
}

static void check_speaker(const session *s, size_t i, const char *label, role r, int from_source)
{
    assert_true(i < s->n_speakers);
    assert_string_equal(s->speakers[i].label, label);
    assert_int_equal(s->speakers[i].role, r);
    assert_int_equal(s->speakers[i].role_from_source, from_source);
}

static void check_diag(const diag_list *d, size_t i, severity sev, long line, const char *message)
{
    assert_true(i < d->n);
    assert_int_equal(d->items[i].sev, sev);
    assert_int_equal(d->items[i].line, line);
    assert_string_equal(d->items[i].message, message);
}

/* ---- the session fixture ----------------------------------------------- */

/* Timeline: origin T0 = 10:00:00; T1 = T0 + 1.5; T2 = 10:00:04.25 (4.25);
 * T3 = T2 + 2 (6.25); T4 = origin + 3; T5 = origin + 8. */
static void test_session(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "session.xml"), 0);
    assert_int_equal(f->out.n, 1);
    const session *s = &f->out.items[0];
    assert_string_equal(s->id, "site/s3");
    assert_int_equal(s->n_speakers, 4);
    check_speaker(s, 0, "T", ROLE_THERAPIST, 1);
    check_speaker(s, 1, "C", ROLE_CLIENT, 1);   /* role="#Client" */
    check_speaker(s, 2, "O", ROLE_OTHER, 0);    /* role="observer" is no role dyad knows */
    check_speaker(s, 3, "unknown", ROLE_OTHER, 0);
    /* 9 <u>; the one with only a pause, kinesic and shift is empty */
    assert_int_equal(s->n_utts, 8);
    check_utt(s, 0, "T", "So, how was your week?", 0, 1.5, 31, 0);
    check_utt(s, 1, "C", "It was hard really hard.", 1.5, 4.25, 34, 0);
    /* synch gives the start only: the end is the next start */
    check_utt(s, 2, "T", "What made it hard? Tell me.", 6.25, 8, 36, UTT_END_ESTIMATED);
    check_utt(s, 3, "O", "Sorry.", 8, TIME_UNKNOWN, 37, 0);
    check_utt(s, 4, "C", "Okay then.", 3, TIME_UNKNOWN, 38, 0);
    check_utt(s, 5, "unknown", "Hello?", TIME_UNKNOWN, TIME_UNKNOWN, 40, 0);
    check_utt(s, 6, "C", "Fine thanks a lot.", 20, 21.5, 41, 0);
    check_utt(s, 7, "C", "Bye.", TIME_UNKNOWN, TIME_UNKNOWN, 45, 0);
    assert_int_equal(s->times_estimated, 1);
    assert_int_equal(f->d.n, 3);
    check_diag(&f->d, 0, SEV_WARNING, 40,
               "<u> without a `who` attribute: its speaker is 'unknown' (add who=\"#id\" naming "
               "a <person>)");
    check_diag(&f->d, 1, SEV_WARNING, 38, "time goes backwards (00:00:03 after 00:00:08)");
    check_diag(&f->d, 2, SEV_WARNING, 45,
               "start=\"#T99\" is neither a <when> of the timeline nor a time; the time is "
               "unknown");
}

/* who/start/end on <annotationBlock>; intervals in ms chained by since;
 * TLI_4 and TLI_5 count from each other. */
static void test_iso_annotation_blocks(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "iso.xml"), 0);
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_speakers, 2);
    check_speaker(s, 0, "SPK0", ROLE_THERAPIST, 1); /* Interviewer */
    check_speaker(s, 1, "SPK1", ROLE_CLIENT, 1);    /* interviewee */
    assert_int_equal(s->n_utts, 3);
    check_utt(s, 0, "SPK0", "how are you?", 0, 1.25, 24, 0);
    check_utt(s, 1, "SPK1", "fine thanks", 1.25, 3.75, 28, 0);
    check_utt(s, 2, "SPK0", "okay", TIME_UNKNOWN, TIME_UNKNOWN, 31, 0);
    assert_int_equal(f->d.n, 1);
    check_diag(&f->d, 0, SEV_WARNING, 20,
               "<when xml:id=\"TLI_5\"> counts from itself through `since`; its time is unknown");
}

static void test_timeline_problems(void **state)
{
    fixture *f = *state;
    const char *xml =
        "<TEI>\n"
        "<timeline unit=\"frames\">\n"
        "<when xml:id=\"a\" absolute=\"noon\"/>\n"
        "<when xml:id=\"b\" interval=\"soon\" since=\"#a\"/>\n"
        "<when xml:id=\"c\" interval=\"2\" since=\"#zz\"/>\n"
        "<when interval=\"3\"/>\n"
        "<when xml:id=\"d\" interval=\"4\" since=\"#a\"/>\n"
        "<when xml:id=\"e\" interval=\"-5\"/>\n"
        "</timeline>\n"
        "<u who=\"x\" start=\"#d\" end=\"#b\">One.</u>\n"
        "<u who=\"x\" start=\"#c\" end=\"00:00:03.5\">Two.</u>\n"
        "<u who=\"x\" start=\"#e\" end=\"2000000\">Three.</u>\n"
        "<u who=\"x\" start=\"3.5\" end=\"3\">Four.</u>\n"
        "</TEI>\n";
    assert_int_equal(read_text(f, xml), 0);
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 4);
    /* a has no usable value but is the origin: time 0; d = a + 4 */
    check_utt(s, 0, "x", "One.", 4, TIME_UNKNOWN, 10, 0);
    check_utt(s, 1, "x", "Two.", TIME_UNKNOWN, 3.5, 11, 0);
    check_utt(s, 2, "x", "Three.", TIME_UNKNOWN, TIME_UNKNOWN, 12, 0);
    check_utt(s, 3, "x", "Four.", 3.5, TIME_UNKNOWN, 13, 0);
    assert_int_equal(f->d.n, 9);
    check_diag(&f->d, 0, SEV_WARNING, 2,
               "timeline unit \"frames\" is not supported; intervals are read as seconds (use "
               "unit=\"s\" or unit=\"ms\")");
    check_diag(&f->d, 1, SEV_WARNING, 3,
               "<when xml:id=\"a\">: absolute=\"noon\" is not a time (HH:MM:SS); it is ignored");
    check_diag(&f->d, 2, SEV_WARNING, 4,
               "<when xml:id=\"b\">: interval=\"soon\" is not a number; its time is unknown");
    check_diag(&f->d, 3, SEV_WARNING, 6, "<when> without xml:id ignored: nothing can point at it");
    check_diag(&f->d, 4, SEV_WARNING, 5,
               "<when xml:id=\"c\"> counts from since=\"#zz\", which the timeline does not "
               "define; its time is unknown");
    check_diag(&f->d, 5, SEV_WARNING, 12,
               "start=\"#e\" is before the timeline's origin (-5 s); the time is treated as "
               "unknown");
    check_diag(&f->d, 6, SEV_WARNING, 12,
               "end=\"2000000\" is absurdly large (over 1,000,000 s) (2e+06 s); the time is "
               "treated as unknown");
    check_diag(&f->d, 7, SEV_WARNING, 13,
               "the utterance ends (3 s) before it starts (3.5 s); its end is unknown");
    check_diag(&f->d, 8, SEV_WARNING, 13, "time goes backwards (00:00:03.500 after 00:00:04)");
}

/* ---- the real ParlaMint excerpt ---------------------------------------- */

/* grep -c '<u ' gives 4 utterances by 4 speakers; <note>, <gap> and <head>
 * are not speech. */
static void test_shared_parlamint(void **state)
{
    fixture *f = *state;
    const char *name = "ParlaMint-GB_2022-07-21-commons_EXCERPT.xml";
    buf path = {0};
    buf_addf(&path, "%s/../shared/data/formats/tei/%s", project_root, name);
    if (access(path.data, R_OK) != 0) {
        buf_free(&path);
        printf("SKIPPED: ../shared/data absent\n");
        skip();
    }
    assert_int_equal(read_path(f, path.data, name), 0);
    buf_free(&path);
    assert_int_equal(f->d.n, 0);
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_speakers, 4);
    check_speaker(s, 0, "LindsayHoyle", ROLE_OTHER, 0);
    check_speaker(s, 3, "EleanorLaing", ROLE_OTHER, 0);
    assert_int_equal(s->n_utts, 4);
    check_utt(s, 1, "RobertBlackman",
              "1. What progress her Department has made on securing a free trade agreement with "
              "India.", TIME_UNKNOWN, TIME_UNKNOWN, 95, 0);
    check_utt(s, 3, "EleanorLaing",
              "As we approach the final Question before the summer, I join the Minister and "
              "everyone in the Chamber in wishing all Members and everyone who helps, supports "
              "and looks after us so well in the House a most peaceful and refreshing summer "
              "Question put and agreed to.", TIME_UNKNOWN, TIME_UNKNOWN, 108, 0);
    /* the segments of one <u> are joined with a space */
    assert_non_null(strstr(s->utts[0].text, "in September Penny came to the House"));
    for (size_t i = 0; i < s->n_utts; i++) {
        assert_null(strstr(s->utts[i].text, "SAMPLING"));
        assert_null(strstr(s->utts[i].text, "debateSection"));
        assert_null(strstr(s->utts[i].text, "Speaker's Statement"));
    }
}

/* ---- files that fail --------------------------------------------------- */

static void test_no_speech(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "no_speech.xml"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    check_diag(&f->d, 0, SEV_ERROR, 0,
               "no speech found: no <u> element with text (a TEI transcription puts each "
               "utterance in <u who=\"#speaker\">)");
}

static void test_not_tei(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "not_tei.xml"), -1);
    assert_int_equal(f->d.n, 1);
    check_diag(&f->d, 0, SEV_ERROR, 2,
               "not a TEI file: the root element is <CHAT>, not <TEI>; choose the reader with "
               "--format");
}

static void test_malformed(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "malformed.xml"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    check_diag(&f->d, 0, SEV_ERROR, 4,
               "malformed XML (libxml2: Opening and ending tag mismatch: seg line 4 and u); fix "
               "the XML at this line or export the file again");
}

static void test_truncated(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, "<TEI>\n<u who=\"a\">Hello\n"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    check_diag(&f->d, 0, SEV_ERROR, 3,
               "the XML ends while <u> is still open: the file is truncated or a closing tag is "
               "missing; complete the file or export it again");
    assert_int_equal(read_text(f, "<TEI><u who=\"a\">Hi.</u></TEI>\n<TEI/>\n"), -1);
    assert_int_equal(f->d.n, 2);
    check_diag(&f->d, 1, SEV_ERROR, 2,
               "malformed XML (libxml2: Extra content at the end of the document); fix the XML "
               "at this line or export the file again");
}

/* libxml2's non-fatal errors become warnings, at most 5 per file; an
 * element whose prefix is undeclared keeps it in its name, so x:u is no <u>. */
static void test_namespace_problems_warn(void **state)
{
    fixture *f = *state;
    const char *xml = "<TEI>\n<x:u who=\"a\">Hi.</x:u>\n"
                      "<u who=\"b\"><y:w>Yes</y:w> <y:w>and</y:w> <y:w>no</y:w>\n"
                      "<y:w>or</y:w> <y:w>maybe</y:w> <y:w>not</y:w>.</u>\n</TEI>\n";
    assert_int_equal(read_text(f, xml), 0);
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 1);
    check_utt(s, 0, "b", "Yes and no or maybe not.", TIME_UNKNOWN, TIME_UNKNOWN, 3, 0);
    assert_int_equal(f->d.n, 5);
    check_diag(&f->d, 0, SEV_WARNING, 2,
               "XML problem (libxml2: Namespace prefix x on u is not defined); reading on, but "
               "check the XML at this line");
    check_diag(&f->d, 4, SEV_WARNING, 4,
               "XML problem (libxml2: Namespace prefix y on w is not defined); reading on, but "
               "check the XML at this line");
}

/* ---- XML safety -------------------------------------------------------- */

static void test_external_entity_reads_nothing(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "external_entity.xml"), 0);
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 1);
    assert_null(strstr(s->utts[0].text, "root:"));
    check_utt(s, 0, "C", "before middle after", TIME_UNKNOWN, TIME_UNKNOWN, 8, 0);
    assert_int_equal(f->d.n, 1);
    check_diag(&f->d, 0, SEV_WARNING, 8,
               "entity reference &secret; left out: dyad never expands entities defined in the "
               "document; write the text itself instead");
}

static void test_billion_laughs_fails_fast(void **state)
{
    fixture *f = *state;
    clock_t t0 = clock();
    assert_int_equal(read_fixture(f, "billion_laughs.xml"), -1);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(f->d.items[0].source, "billion_laughs.xml");
    check_diag(&f->d, 0, SEV_ERROR, 16,
               "XML entity expansion refused (libxml2: Detected an entity reference loop): the "
               "document defines entities that expand into each other (a 'billion laughs' "
               "file); remove the <!ENTITY> declarations");
}

/* <TEI><text><body><u> then `segs` nested <seg>, one per line from line 2. */
static char *nested_utterance(size_t segs)
{
    buf b = {0};
    buf_adds(&b, "<TEI><text><body><u who=\"a\">");
    for (size_t i = 0; i < segs; i++) buf_adds(&b, "\n<seg>");
    buf_adds(&b, "deep");
    for (size_t i = 0; i < segs; i++) buf_adds(&b, "</seg>");
    buf_adds(&b, "</u></body></text></TEI>\n");
    return buf_take(&b);
}

static void test_deep_nesting_refused(void **state)
{
    fixture *f = *state;
    buf b = {0};
    buf_adds(&b, "<TEI>");
    for (size_t i = 0; i < 10000; i++) buf_adds(&b, "<seg>");
    buf_adds(&b, "x");
    for (size_t i = 0; i < 10000; i++) buf_adds(&b, "</seg>");
    buf_adds(&b, "</TEI>");
    assert_int_equal(read_text(f, b.data), -1);
    buf_free(&b);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    check_diag(&f->d, 0, SEV_ERROR, 1, "XML nested too deeply (over 256 levels) at line 1");
}

/* TEI, text, body and u are 4 levels: 252 segs make 256 (read), 253 make
 * 257 (refused, at the line of the 253rd seg). */
static void test_depth_limit_boundary(void **state)
{
    fixture *f = *state;
    char *ok = nested_utterance(252);
    assert_int_equal(read_text(f, ok), 0);
    free(ok);
    assert_int_equal(f->d.n, 0);
    assert_string_equal(f->out.items[0].utts[0].text, "deep");
    char *deep = nested_utterance(253);
    assert_int_equal(read_text(f, deep), -1);
    free(deep);
    assert_int_equal(f->out.n, 1);
    assert_int_equal(f->d.n, 1);
    check_diag(&f->d, 0, SEV_ERROR, 254, "XML nested too deeply (over 256 levels) at line 254");
}

/* ---- sniffing ---------------------------------------------------------- */

static void test_sniff(void **state)
{
    (void)state;
    const char *tei = "<?xml version=\"1.0\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">";
    assert_true(sniff_tei(tei, strlen(tei)));
    const char *corpus = "<?xml version=\"1.0\"?>\n<teiCorpus xmlns=\"http://www.tei-c.org/ns/1.0\">";
    assert_true(sniff_tei(corpus, strlen(corpus)));
    const char *other = "<?xml version=\"1.0\"?>\n<TEIxyz/><ANNOTATION_DOCUMENT>";
    assert_false(sniff_tei(other, strlen(other)));
    /* only the first 4 KB count */
    buf late = {0};
    for (int i = 0; i < 5000; i++) buf_addc(&late, ' ');
    buf_adds(&late, "<TEI>");
    assert_false(sniff_tei(late.data, late.len));
    buf_free(&late);
}

int main(int argc, char **argv)
{
    (void)argc;
    find_project_root(argv[0]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_session, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iso_annotation_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeline_problems, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_parlamint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_speech, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_tei, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_namespace_problems_warn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_external_entity_reads_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_billion_laughs_fails_fast, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_nesting_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_depth_limit_boundary, setup, teardown),
        cmocka_unit_test(test_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
