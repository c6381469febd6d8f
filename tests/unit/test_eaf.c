/* test_eaf.c: the ELAN reader (readers/eaf.c) and the safe XML layer it
 * uses (readers/xml.c). Fixtures are in tests/fixtures/eaf/; the real ELAN
 * files in ../shared/data are read when present. */
#include "testutil.h"

#include "model/session.h"
#include "readers/reader.h"
#include "readers/xml.h"
#include "util/buf.h"
#include "util/diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef test_reading fixture;

static int read_path(fixture *f, const char *path, const char *source, const char *tiers)
{
    reader_input in = {.path = path, .source = source, .session_id = "site/s1"};
    reader_options opt = {.tiers = tiers};
    return read_eaf(&in, &opt, &f->out, &f->d);
}

/* Read tests/fixtures/eaf/NAME; messages name NAME. */
static int read_fixture(fixture *f, const char *name, const char *tiers)
{
    char *path = test_fixture_path("eaf", name);
    int rc = read_path(f, path, name, tiers);
    free(path);
    return rc;
}

static int read_bytes(fixture *f, const char *bytes, size_t n)
{
    char *path = test_temp_file("", bytes, n);
    int rc = read_path(f, path, "t.eaf", NULL);
    test_remove_temp(path);
    return rc;
}

/* ---- the session fixture ----------------------------------------------- */

static void test_session_merged_by_start(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "session.eaf", NULL), 0);
    assert_int_equal(f->d.n, 0);
    assert_int_equal(f->out.n, 1);
    const session *s = &f->out.items[0];
    assert_string_equal(s->id, "site/s1");
    assert_string_equal(s->source, "session.eaf");
    /* speakers in tier order; the Notes tier has an empty PARTICIPANT */
    assert_int_equal(s->n_speakers, 3);
    assert_string_equal(s->speakers[0].label, "Therapist");
    assert_string_equal(s->speakers[1].label, "Client");
    assert_string_equal(s->speakers[2].label, "Notes");
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(s->speakers[i].role, ROLE_OTHER);
        assert_int_equal(s->speakers[i].role_from_source, 0);
    }
    /* 11 annotations: 2 blank, 1 on a dependent tier, 1 reference: 7 read.
     * ts4 and ts5 have no value: interpolated between ts3 (3000) and ts6
     * (6000) as 4000 and 5000; ts9, after the last valued slot, is unknown.
     * Client's 3.0 comes before Notes' 3.0 (document order). */
    assert_int_equal(s->n_utts, 7);
    test_check_timed_utt(s, 0, "Therapist", "So how was your week?", 0.5, 2.5, 19, 0);
    test_check_timed_utt(s, 1, "Client", "It was hard, really hard.", 3.0, 5.0, 46, 0);
    test_check_timed_utt(s, 2, "Notes", "Mm-hm.", 3.0, 4.0, 64, 0);
    test_check_timed_utt(s, 3, "Client", "Fine & calm [laughs]", 4.0, 5.0, 57, 0);
    test_check_timed_utt(s, 4, "Therapist", "What made it hard?", 6.0, 6.5, 24, 0);
    test_check_timed_utt(s, 5, "Therapist", "Tell me more.", 9.0, TIME_UNKNOWN, 29, 0);
    test_check_timed_utt(s, 6, "Client", "Sorry.", TIME_UNKNOWN, TIME_UNKNOWN, 52, 0);
    assert_int_equal(s->times_estimated, 0);
}

static void test_tiers_option_reads_dependent_tier(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "session.eaf", "T-translation"), 0);
    assert_int_equal(f->d.n, 0);
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_speakers, 1);
    assert_int_equal(s->n_utts, 1);
    test_check_timed_utt(s, 0, "Therapist", "Alors, cette semaine ?", 0.5, 2.5, 71, 0);
}

static void test_tiers_option_unknown_tier_warns(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "session.eaf", " C-words , Nope,"), 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_WARNING, NULL, 0,
                    "--tiers names tier 'Nope', which this file does not have (its tiers: T-words, "
                    "C-words, Notes, T-translation, C-gloss)");
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_speakers, 1);
    assert_int_equal(s->n_utts, 3);
    test_check_timed_utt(s, 0, "Client", "It was hard, really hard.", 3.0, 5.0, 46, 0);
    test_check_timed_utt(s, 2, "Client", "Sorry.", TIME_UNKNOWN, TIME_UNKNOWN, 52, 0);
}

static void test_tiers_option_reference_tier_only(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "session.eaf", "C-gloss"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 2);
    test_check_diag(&f->d, 0, SEV_WARNING, NULL, 0,
                    "tier 'C-gloss' has no time-aligned annotations (only references to another "
                    "tier), so nothing was read from it; name its parent tier in --tiers instead");
    test_check_diag(&f->d, 1, SEV_ERROR, NULL, 0,
                    "no speech found in the tiers named by --tiers; the file's tiers are: T-words, "
                    "C-words, Notes, T-translation, C-gloss");
}

/* ---- times ------------------------------------------------------------- */

static void test_bad_times(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "bad_times.eaf", NULL), 0);
    assert_int_equal(f->d.n, 4);
    test_check_diag(&f->d, 0, SEV_WARNING, NULL, 7,
                    "time slot 'ts1': TIME_VALUE=\"-40\" is negative; the slot is treated as having "
                    "no value");
    test_check_diag(&f->d, 1, SEV_WARNING, NULL, 9,
                    "time slot 'ts3': TIME_VALUE=\"soon\" is not a number of milliseconds; the slot "
                    "is treated as having no value");
    test_check_diag(&f->d, 2, SEV_WARNING, NULL, 20,
                    "annotation refers to time slot 'ts99', which TIME_ORDER does not define; its "
                    "time is unknown");
    test_check_diag(&f->d, 3, SEV_WARNING, NULL, 25,
                    "annotation ends (1.500 s) before it starts (2.000 s); its end is unknown");
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 3);
    /* ts3 is interpolated between ts2 (1000) and ts4 (2000); ts1 comes
     * before any valued slot and stays unknown, so "Hello." goes last. */
    test_check_timed_utt(s, 0, "Therapist", "Go on.", 1.5, TIME_UNKNOWN, 20, 0);
    test_check_timed_utt(s, 1, "Therapist", "Right.", 2.0, TIME_UNKNOWN, 25, 0);
    test_check_timed_utt(s, 2, "Therapist", "Hello.", TIME_UNKNOWN, 1.0, 15, 0);
}

static void test_absurd_time_and_units(void **state)
{
    fixture *f = *state;
    const char *xml =
        "<ANNOTATION_DOCUMENT>\n"
        "<HEADER TIME_UNITS=\"PAL-frames\"/>\n"
        "<TIME_ORDER><TIME_SLOT TIME_SLOT_ID=\"a\" TIME_VALUE=\"2000000000\"/>\n"
        "<TIME_SLOT TIME_SLOT_ID=\"b\" TIME_VALUE=\"250\"/></TIME_ORDER>\n"
        "<TIER TIER_ID=\"Client\"><ANNOTATION><ALIGNABLE_ANNOTATION TIME_SLOT_REF1=\"b\"\n"
        " TIME_SLOT_REF2=\"a\"><ANNOTATION_VALUE>Yes.</ANNOTATION_VALUE>\n"
        "</ALIGNABLE_ANNOTATION></ANNOTATION>\n"
        "<ANNOTATION><ALIGNABLE_ANNOTATION TIME_SLOT_REF2=\"b\"><ANNOTATION_VALUE>No.\n"
        "</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION></TIER>\n"
        "</ANNOTATION_DOCUMENT>\n";
    assert_int_equal(read_bytes(f, xml, strlen(xml)), 0);
    assert_int_equal(f->d.n, 3);
    test_check_diag(&f->d, 0, SEV_WARNING, NULL, 2,
                    "TIME_UNITS=\"PAL-frames\" is not supported; times are read as milliseconds "
                    "(save the file again with ELAN 4 or later)");
    test_check_diag(&f->d, 1, SEV_WARNING, NULL, 3,
                    "time slot 'a': TIME_VALUE=\"2000000000\" is absurdly large (over 1,000,000 s); "
                    "the slot is treated as having no value");
    test_check_diag(&f->d, 2, SEV_WARNING, NULL, 8,
                    "annotation without TIME_SLOT_REF1/TIME_SLOT_REF2; its time is unknown");
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 2);
    /* a start tag over two lines is counted at the line where it ends */
    test_check_timed_utt(s, 0, "Client", "Yes.", 0.25, TIME_UNKNOWN, 6, 0);
    test_check_timed_utt(s, 1, "Client", "No.", TIME_UNKNOWN, 0.25, 8, 0);
}

/* An empty last annotation once left freed slot ids behind (found by
 * fuzzing: a double free under ASan). */
static void test_last_annotation_empty(void **state)
{
    fixture *f = *state;
    const char *xml =
        "<ANNOTATION_DOCUMENT><TIME_ORDER><TIME_SLOT TIME_SLOT_ID=\"a\" TIME_VALUE=\"0\"/>"
        "</TIME_ORDER>\n<TIER TIER_ID=\"C\">\n"
        "<ANNOTATION><ALIGNABLE_ANNOTATION TIME_SLOT_REF1=\"a\" TIME_SLOT_REF2=\"a\">"
        "<ANNOTATION_VALUE>Yes.</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>\n"
        "<ANNOTATION><ALIGNABLE_ANNOTATION TIME_SLOT_REF1=\"a\" TIME_SLOT_REF2=\"a\">"
        "<ANNOTATION_VALUE> </ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>\n"
        "</TIER></ANNOTATION_DOCUMENT>\n";
    assert_int_equal(read_bytes(f, xml, strlen(xml)), 0);
    assert_int_equal(f->d.n, 0);
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 1);
    test_check_timed_utt(s, 0, "C", "Yes.", 0, 0, 3, 0);
}

/* ---- files that fail --------------------------------------------------- */

static void test_no_speech(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "no_speech.eaf", NULL), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 0,
                    "no speech found: no top-level tier (TIER without PARENT_REF) has time-aligned "
                    "annotations with text; name the tiers to read with --tiers");
}

static void test_not_elan(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "not_elan.eaf", NULL), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 2,
                    "not an ELAN file: the root element is <html>, not <ANNOTATION_DOCUMENT>; "
                    "choose the reader with --format");
}

static void test_malformed(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "malformed.eaf", NULL), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 9,
                    "malformed XML (libxml2: Opening and ending tag mismatch: ANNOTATION_VALUE line "
                    "9 and ALIGNABLE_ANNOTATION); fix the XML at this line or export the file again");
}

static void test_missing_and_empty_file(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_path(f, "/nonexistent/dyad/x.eaf", "x.eaf", NULL), -1);
    assert_int_equal(read_bytes(f, "", 0), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 2);
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 0, "cannot open: No such file or directory");
    test_check_diag(&f->d, 1, SEV_ERROR, NULL, 0, "the file is empty");
}

static void test_not_xml(void **state)
{
    fixture *f = *state;
    const char *text = "T: hello\nC: hi\n";
    assert_int_equal(read_bytes(f, text, strlen(text)), -1);
    const char *junk = "\xEF\xBB\xBF  <ANNOTATION_DOCUMENT> & </ANNOTATION_DOCUMENT>";
    assert_int_equal(read_bytes(f, junk, strlen(junk)), -1);
    assert_int_equal(f->d.n, 2);
    test_check_diag(&f->d, 1, SEV_ERROR, NULL, 1,
                    "malformed XML (libxml2: xmlParseEntityRef: no name); fix the XML at this line "
                    "or export the file again");
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 1,
                    "not an XML file (it does not start with '<'); choose the reader with --format");
}

/* ---- XML safety -------------------------------------------------------- */

static void test_external_entity_reads_nothing(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "external_entity.eaf", NULL), 0);
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 1);
    assert_null(strstr(s->utts[0].text, "root:"));
    test_check_timed_utt(s, 0, "Client", "before after", 0.0, 1.0, 12, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_WARNING, NULL, 13,
                    "entity reference &secret; left out: dyad never expands entities defined in the "
                    "document; write the text itself instead");
}

static void test_billion_laughs_fails_fast(void **state)
{
    fixture *f = *state;
    clock_t t0 = clock();
    assert_int_equal(read_fixture(f, "billion_laughs.eaf", NULL), -1);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(secs < 5.0);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(f->d.items[0].source, "billion_laughs.eaf");
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 22,
                    "XML entity expansion refused (libxml2: Detected an entity reference loop): the "
                    "document defines entities that expand into each other (a 'billion laughs' "
                    "file); remove the <!ENTITY> declarations");
}

/* `levels` nested <x> elements inside the root, one per line. */
static char *nested_document(size_t levels, const char *sep)
{
    buf b = {0};
    buf_adds(&b, "<ANNOTATION_DOCUMENT>");
    for (size_t i = 0; i < levels; i++) buf_addf(&b, "%s<x>", sep);
    buf_adds(&b, "deep");
    for (size_t i = 0; i < levels; i++) buf_adds(&b, "</x>");
    buf_adds(&b, "</ANNOTATION_DOCUMENT>\n");
    return buf_take(&b);
}

static void test_deep_nesting_refused(void **state)
{
    fixture *f = *state;
    char *doc = nested_document(10000, "");
    assert_int_equal(read_bytes(f, doc, strlen(doc)), -1);
    free(doc);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, NULL, 1, "XML nested too deeply (over 256 levels) at line 1");
}

/* 256 levels are fine (the file then fails only for having no speech);
 * the 257th level, on line 257, is refused by dyad itself. */
static void test_depth_limit_boundary(void **state)
{
    fixture *f = *state;
    char *ok = nested_document(255, "\n");
    assert_int_equal(read_bytes(f, ok, strlen(ok)), -1);
    free(ok);
    assert_int_equal(f->d.n, 1);
    assert_non_null(strstr(f->d.items[0].message, "no speech found"));
    char *deep = nested_document(256, "\n");
    assert_int_equal(read_bytes(f, deep, strlen(deep)), -1);
    free(deep);
    assert_int_equal(f->d.n, 2);
    test_check_diag(&f->d, 1, SEV_ERROR, NULL, 257, "XML nested too deeply (over 256 levels) at line 257");
}

static void test_xml_text_gathering(void **state)
{
    (void)state;
    xml_text t = {0};
    xml_text_add(&t, "  Hello,\n\t world ");
    xml_text_break(&t);
    xml_text_add(&t, "again");
    xml_text_glue(&t);
    xml_text_add(&t, "  ");
    xml_text_break(&t);
    xml_text_add(&t, "!  ");
    char *s = xml_text_take(&t);
    assert_string_equal(s, "Hello, world again!");
    free(s);
    s = xml_text_take(&t);
    assert_string_equal(s, "");
    free(s);
    xml_text_free(&t);
}

/* ---- sniffing ---------------------------------------------------------- */

static void test_sniff(void **state)
{
    (void)state;
    const char *eaf = "<?xml version=\"1.0\"?>\n<ANNOTATION_DOCUMENT FORMAT=\"3.0\">";
    assert_true(sniff_eaf(eaf, strlen(eaf)));
    const char *tei = "<?xml version=\"1.0\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">";
    assert_false(sniff_eaf(tei, strlen(tei)));
    assert_false(sniff_eaf(eaf, 25)); /* the root is not within the bytes given */
    const reader_format *fmt = reader_by_content(eaf, strlen(eaf));
    assert_non_null(fmt);
    assert_string_equal(fmt->name, "eaf");
}

/* The substring search behind the XML sniffers, at its edges. */
static void test_head_contains_edges(void **state)
{
    (void)state;
    const char *s = "ab<ab<TEI";
    assert_true(xml_head_contains(s, 9, 4096, "<TEI"));    /* at the very end, after a false start */
    assert_false(xml_head_contains(s, 8, 4096, "<TEI"));   /* one byte short */
    assert_false(xml_head_contains(s, 9, 8, "<TEI"));      /* cut off by the limit */
    assert_true(xml_head_contains(s, 9, 4096, "ab"));      /* at the very start */
    assert_false(xml_head_contains(s, 1, 4096, "ab"));
    assert_false(xml_head_contains("", 0, 4096, "<"));
    assert_true(xml_head_contains("x<<TEI>", 7, 4096, "<TEI>")); /* a repeated first byte */
}

/* ---- the real files in ../shared/data ---------------------------------- */

/* Read ../shared/data/formats/eaf/NAME; skips the test when it is absent. */
static void read_shared(fixture *f, const char *name)
{
    char *path = test_shared_data("formats/eaf", name);
    assert_int_equal(read_path(f, path, name, NULL), 0);
    free(path);
}

/* Counted with python3 xml.etree: 9 top-level tiers (each with its own
 * PARTICIPANT) holding 660 ALIGNABLE_ANNOTATIONs with text, out of 2,910
 * annotations; the 36 dependent tiers hold only REF_ANNOTATIONs. */
static void test_shared_ticuna(void **state)
{
    fixture *f = *state;
    read_shared(f, "flibl_ticuna_conversation_NO_LICENSE.eaf");
    assert_int_equal(f->d.n, 0);
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_speakers, 9);
    assert_int_equal(s->n_utts, 660);
    assert_string_equal(s->speakers[0].label, "Liceth");
    assert_string_equal(s->speakers[8].label, "Nina4");
    /* the earliest annotation: Amalia, slots ts1 (1978) to ts2 (2598) */
    test_check_timed_utt(s, 0, "Amalia", "ma3r+3 ni417I4", 1.978, 2.598, 4955, 0);
    for (size_t i = 1; i < s->n_utts; i++) assert_true(s->utts[i].start >= s->utts[i - 1].start);
}

/* Counted with python3 xml.etree: top-level tiers "text" (399 annotations)
 * and "gestures" (1,197); the other 7,182 of the 8,778 annotations are on
 * dependent tiers. 1,572 time slots have no value, none of them used by
 * the top-level tiers. */
static void test_shared_pympi(void **state)
{
    fixture *f = *state;
    read_shared(f, "pympi_sample_3.0.eaf");
    assert_int_equal(f->d.n, 0);
    const session *s = &f->out.items[0];
    assert_int_equal(s->n_speakers, 2);
    assert_string_equal(s->speakers[0].label, "text");
    assert_string_equal(s->speakers[1].label, "gestures");
    assert_int_equal(s->n_utts, 1596);
    test_check_timed_utt(s, 0, "gestures", "prep", 1.8, 2.4, 29148, 0);
    test_check_timed_utt(s, 1, "text", "The quick brown fox 001", 2.0, 5.0, 7197, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        reading_test(test_session_merged_by_start),
        reading_test(test_tiers_option_reads_dependent_tier),
        reading_test(test_tiers_option_unknown_tier_warns),
        reading_test(test_tiers_option_reference_tier_only),
        reading_test(test_bad_times),
        reading_test(test_absurd_time_and_units),
        reading_test(test_last_annotation_empty),
        reading_test(test_no_speech),
        reading_test(test_not_elan),
        reading_test(test_malformed),
        reading_test(test_missing_and_empty_file),
        reading_test(test_not_xml),
        reading_test(test_external_entity_reads_nothing),
        reading_test(test_billion_laughs_fails_fast),
        reading_test(test_deep_nesting_refused),
        reading_test(test_depth_limit_boundary),
        cmocka_unit_test(test_xml_text_gathering),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_head_contains_edges),
        reading_test(test_shared_ticuna),
        reading_test(test_shared_pympi),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
