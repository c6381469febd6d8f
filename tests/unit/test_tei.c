/* test_tei.c: the TEI reader (readers/tei.c). Fixtures are in
 * tests/fixtures/tei/; the ParlaMint excerpt in ../shared/data is read when
 * present. */
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
    reader_input in = {.path = path, .source = source, .session_id = "site/s3"};
    reader_options opt = {0};
    return read_tei(&in, &opt, &f->out, &f->d);
}

static int read_fixture(fixture *f, const char *name)
{
    char *path = test_fixture_path("tei", name);
    int rc = read_path(f, path, name);
    free(path);
    return rc;
}

static int read_text(fixture *f, const char *text)
{
    char *path = test_temp_file("", text, strlen(text));
    int rc = read_path(f, path, "t.xml");
    test_remove_temp(path);
    return rc;
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
    test_check_speaker(s, 0, "T", ROLE_THERAPIST, 1);
    test_check_speaker(s, 1, "C", ROLE_CLIENT, 1);   /* role="#Client" */
    test_check_speaker(s, 2, "O", ROLE_OTHER, 0);    /* role="observer" is no role dyad knows */
    test_check_speaker(s, 3, "unknown", ROLE_OTHER, 0);
    /* 9 <u>; the one with only a pause, kinesic and shift is empty */
    assert_int_equal(s->n_utts, 8);
    test_check_timed_utt(s, 0, "T", "So, how was your week?", 0, 1.5, 31, 0);
    test_check_timed_utt(s, 1, "C", "It was hard really hard.", 1.5, 4.25, 34, 0);
    /* synch gives the start only: the end is the next start */
    test_check_timed_utt(s, 2, "T", "What made it hard? Tell me.", 6.25, 8, 36, UTT_END_ESTIMATED);
    test_check_timed_utt(s, 3, "O", "Sorry.", 8, TIME_UNKNOWN, 37, 0);
    test_check_timed_utt(s, 4, "C", "Okay then.", 3, TIME_UNKNOWN, 38, 0);
    test_check_timed_utt(s, 5, "unknown", "Hello?", TIME_UNKNOWN, TIME_UNKNOWN, 40, 0);
    test_check_timed_utt(s, 6, "C", "Fine thanks a lot.", 20, 21.5, 41, 0);
    test_check_timed_utt(s, 7, "C", "Bye.", TIME_UNKNOWN, TIME_UNKNOWN, 45, 0);
    assert_int_equal(s->times_estimated, 1);
    assert_int_equal(f->d.n, 2);   /* times going backwards: the session model warns */
    test_check_diag(&f->d, 0, SEV_WARNING, NULL, 40,
                    "<u> without a `who` attribute: its speaker is 'unknown' (add who=\"#id\" naming "
                    "a <person>)");
    test_check_diag(&f->d, 1, SEV_WARNING, NULL, 45,
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
    test_check_speaker(s, 0, "SPK0", ROLE_THERAPIST, 1); /* Interviewer */
    test_check_speaker(s, 1, "SPK1", ROLE_CLIENT, 1);    /* interviewee */
    assert_int_equal(s->n_utts, 3);
    test_check_timed_utt(s, 0, "SPK0", "how are you?", 0, 1.25, 24, 0);
    test_check_timed_utt(s, 1, "SPK1", "fine thanks", 1.25, 3.75, 28, 0);
    test_check_timed_utt(s, 2, "SPK0", "okay", TIME_UNKNOWN, TIME_UNKNOWN, 31, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_WARNING, NULL, 20,
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
    test_check_timed_utt(s, 0, "x", "One.", 4, TIME_UNKNOWN, 10, 0);
    test_check_timed_utt(s, 1, "x", "Two.", TIME_UNKNOWN, 3.5, 11, 0);
    test_check_timed_utt(s, 2, "x", "Three.", TIME_UNKNOWN, TIME_UNKNOWN, 12, 0);
    test_check_timed_utt(s, 3, "x", "Four.", 3.5, TIME_UNKNOWN, 13, 0);
    assert_int_equal(f->d.n, 8);   /* times going backwards: the session model warns */
    test_check_diag(&f->d, 0, SEV_WARNING, NULL, 2,
                    "timeline unit \"frames\" is not supported; intervals are read as seconds (use "
                    "unit=\"s\" or unit=\"ms\")");
    test_check_diag(&f->d, 1, SEV_WARNING, NULL, 3,
                    "<when xml:id=\"a\">: absolute=\"noon\" is not a time (HH:MM:SS); it is ignored");
    test_check_diag(&f->d, 2, SEV_WARNING, NULL, 4,
                    "<when xml:id=\"b\">: interval=\"soon\" is not a number; its time is unknown");
    test_check_diag(&f->d, 3, SEV_WARNING, NULL, 6, "<when> without xml:id ignored: nothing can point at it");
    test_check_diag(&f->d, 4, SEV_WARNING, NULL, 5,
                    "<when xml:id=\"c\"> counts from since=\"#zz\", which the timeline does not "
                    "define; its time is unknown");
    test_check_diag(&f->d, 5, SEV_WARNING, NULL, 12,
                    "start=\"#e\" is before the timeline's origin (-5 s); the time is treated as "
                    "unknown");
    test_check_diag(&f->d, 6, SEV_WARNING, NULL, 12,
                    "end=\"2000000\" is absurdly large (over 1,000,000 s) (2e+06 s); the time is "
                    "treated as unknown");
    test_check_diag(&f->d, 7, SEV_WARNING, NULL, 13,
                    "the utterance ends (3 s) before it starts (3.5 s); its end is unknown");
}

/* ---- the real ParlaMint excerpt ---------------------------------------- */

/* grep -c '<u ' gives 4 utterances by 4 speakers; <note>, <gap> and <head>
 * are not speech. */
static void test_shared_parlamint(void **state)
{
    fixture *f = *state;
    const char *name = "ParlaMint-GB_2022-07-21-commons_EXCERPT.xml";
    char *path = test_shared_data("formats/tei", name);
    assert_int_equal(read_path(f, path, name), 0);
    free(path);
    assert_int_equal(f->d.n, 0);
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_speakers, 4);
    test_check_speaker(s, 0, "LindsayHoyle", ROLE_OTHER, 0);
    test_check_speaker(s, 3, "EleanorLaing", ROLE_OTHER, 0);
    assert_int_equal(s->n_utts, 4);
    test_check_timed_utt(s, 1, "RobertBlackman",
                         "1. What progress her Department has made on securing a free trade agreement with "
                         "India.", TIME_UNKNOWN, TIME_UNKNOWN, 95, 0);
    test_check_timed_utt(s, 3, "EleanorLaing",
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
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 0,
                    "no speech found: no <u> element with text (a TEI transcription puts each "
                    "utterance in <u who=\"#speaker\">)");
}

static void test_not_tei(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "not_tei.xml"), -1);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 2,
                    "not a TEI file: the root element is <CHAT>, not <TEI>; choose the reader with "
                    "--format");
}

static void test_malformed(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "malformed.xml"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 4,
                    "malformed XML (libxml2: Opening and ending tag mismatch: seg line 4 and u); fix "
                    "the XML at this line or export the file again");
}

static void test_truncated(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, "<TEI>\n<u who=\"a\">Hello\n"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 3,
                    "the XML ends while <u> is still open: the file is truncated or a closing tag is "
                    "missing; complete the file or export it again");
    assert_int_equal(read_text(f, "<TEI><u who=\"a\">Hi.</u></TEI>\n<TEI/>\n"), -1);
    assert_int_equal(f->d.n, 2);
    test_check_diag(&f->d, 1, SEV_ERROR, NULL, 2,
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
    test_check_timed_utt(s, 0, "b", "Yes and no or maybe not.", TIME_UNKNOWN, TIME_UNKNOWN, 3, 0);
    assert_int_equal(f->d.n, 5);
    test_check_diag(&f->d, 0, SEV_WARNING, NULL, 2,
                    "XML problem (libxml2: Namespace prefix x on u is not defined); reading on, but "
                    "check the XML at this line");
    test_check_diag(&f->d, 4, SEV_WARNING, NULL, 4,
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
    test_check_timed_utt(s, 0, "C", "before middle after", TIME_UNKNOWN, TIME_UNKNOWN, 8, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_WARNING, NULL, 8,
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
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 16,
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
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 1, "XML nested too deeply (over 256 levels) at line 1");
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
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 254, "XML nested too deeply (over 256 levels) at line 254");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        reading_test(test_session),
        reading_test(test_iso_annotation_blocks),
        reading_test(test_timeline_problems),
        reading_test(test_shared_parlamint),
        reading_test(test_no_speech),
        reading_test(test_not_tei),
        reading_test(test_malformed),
        reading_test(test_truncated),
        reading_test(test_namespace_problems_warn),
        reading_test(test_external_entity_reads_nothing),
        reading_test(test_billion_laughs_fails_fast),
        reading_test(test_deep_nesting_refused),
        reading_test(test_depth_limit_boundary),
        cmocka_unit_test(test_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
