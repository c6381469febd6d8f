/* test_vtt.c: the WebVTT reader (readers/vtt.c) and the cue code it shares
 * with the SRT reader (readers/cues.c). Fixtures in tests/fixtures/vtt/;
 * small cases are written to temporary files. The webvtt.js test files in
 * ../shared/data/formats/vtt/ are read when present (skipped otherwise). */
#include "testutil.h"

#include "model/roles.h"
#include "model/session.h"
#include "readers/cues.h"
#include "readers/reader.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <stdlib.h>

#define UNKNOWN_WARNING "cues without a speaker name (no <v> span or 'Name:' prefix); " \
                        "they are attributed to 'unknown'"
#define MALFORMED_WARNING "malformed cue timing line; expected '00:01:02.500 --> 00:01:04.000' " \
                          "(hours optional); cue skipped"
#define STRAY_WARNING "text outside any cue ignored; a cue needs a timing line like " \
                      "'00:01:02.500 --> 00:01:04.000'"

typedef test_reading fixture;

/* ---- helpers ----------------------------------------------------------- */

static int read_path_with(fixture *f, const char *path, const role_map *roles)
{
    reader_input in = {.path = path, .source = "in.vtt", .session_id = "site/s1"};
    reader_options opt = {.roles = roles};
    return read_vtt(&in, &opt, &f->out, &f->d);
}

static int read_path(fixture *f, const char *path)
{
    return read_path_with(f, path, NULL);
}

static int read_fixture(fixture *f, const char *name)
{
    char *path = test_fixture_path("vtt", name);
    int rc = read_path(f, path);
    free(path);
    return rc;
}

static int read_bytes(fixture *f, const char *bytes, size_t n, const role_map *roles)
{
    char *path = test_temp_file("", bytes, n);
    int rc = read_path_with(f, path, roles);
    test_remove_temp(path);
    return rc;
}

static int read_text(fixture *f, const char *text)
{
    return read_bytes(f, text, strlen(text), NULL);
}

static session *read_ok(fixture *f, const char *text)
{
    return test_one_session(f, read_text(f, text));
}

/* The file fails with exactly one error. */
static void check_fails(fixture *f, const char *text, long line, const char *msg)
{
    assert_int_equal(read_text(f, text), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, "in.vtt", line, msg);
    diag_free(&f->d);
}

/* ---- the shared cue helpers -------------------------------------------- */

static double time_of(const char *s, int *ok)
{
    size_t i = 0;
    double t = -99;
    *ok = cue_parse_time(s, strlen(s), &i, &t) && i == strlen(s);
    return t;
}

static void test_parse_time(void **state)
{
    (void)state;
    int ok;
    assert_double_eq(time_of("01:02:03.456", &ok), 3723.456);
    assert_true(ok);
    assert_double_eq(time_of("02:03.456", &ok), 123.456);
    assert_true(ok);
    assert_double_eq(time_of("0:00:07,250", &ok), 7.25);
    assert_true(ok);
    assert_double_eq(time_of("123:00:00.000", &ok), 442800);
    assert_true(ok);
    assert_double_eq(time_of("00:00:01.5", &ok), 1.5);
    assert_true(ok);
    assert_double_eq(time_of("00:00:01.05", &ok), 1.05);
    assert_true(ok);
    assert_double_eq(time_of("00:00:09", &ok), 9);
    assert_true(ok);
    static const char *const BAD[] = {
        "00:60.000", "00:60:00.000", "00:00:60.000", "00:00:01.0000", "1.000", "",
        "00:001:00.000", "1234567890:00:00.000", "-00:01.000", "a0:01.000",
    };
    for (size_t k = 0; k < sizeof BAD / sizeof BAD[0]; k++) {
        time_of(BAD[k], &ok);
        if (ok) fail_msg("'%s' parsed as a time", BAD[k]);
    }
}

static void test_parse_timing(void **state)
{
    (void)state;
    double a = 0, b = 0;
    const char *line = "00:01.000 --> 00:02.500 align:start position:10%";
    assert_true(cue_parse_timing(line, strlen(line), &a, &b));
    assert_double_eq(a, 1);
    assert_double_eq(b, 2.5);
    line = "00:00:01,000-->00:00:03,000";
    assert_true(cue_parse_timing(line, strlen(line), &a, &b));
    assert_double_eq(b, 3);
    static const char *const BAD[] = {
        "00:01.000 -> 00:02.000", "00:01.000 --> ", "00:01.000 --> 00:02.000x",
        "--> 00:02.000", "00:01.000 00:02.000", "00:01.000 --> 00:02.000.5",
    };
    for (size_t k = 0; k < sizeof BAD / sizeof BAD[0]; k++)
        if (cue_parse_timing(BAD[k], strlen(BAD[k]), &a, &b)) fail_msg("'%s' accepted", BAD[k]);
}

static void check_decoded(const char *in, const char *want)
{
    buf out = {0};
    cue_decode_text(in, strlen(in), &out);
    assert_string_equal(buf_str(&out), want);
    buf_free(&out);
}

static void test_decode_entities(void **state)
{
    (void)state;
    check_decoded("&amp;&lt;&gt;&quot;&apos;", "&<>\"'");
    check_decoded("a&nbsp;b&lrm;c&rlm;d", "a bcd");
    check_decoded("caf&#233; caf&#xE9; caf&#x00e9;", "caf\xC3\xA9 caf\xC3\xA9 caf\xC3\xA9");
    check_decoded("don&rsquo;t &hellip;", "don\xE2\x80\x99t \xE2\x80\xA6");
    /* NUL, surrogates, beyond U+10FFFF and controls cannot be text */
    check_decoded("&#0;&#xD800;&#x110000;&#7;", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    check_decoded("&#10;", "\n");
    /* not references: kept as written */
    check_decoded("AT&T &amp &copy; &; &#; &#x; &#12a; &#123456789;", "AT&T &amp &copy; &; &#; &#x; &#12a; &#123456789;");
    buf out = {0};
    assert_int_equal(cue_decode_entity("&lt;rest", 8, &out), 4);
    assert_int_equal(cue_decode_entity("&unknown;", 9, &out), 0);
    assert_string_equal(buf_str(&out), "<");
    buf_free(&out);
}

/* ---- sniffing ---------------------------------------------------------- */

static void test_sniff(void **state)
{
    (void)state;
    assert_true(sniff_vtt("WEBVTT\n\n00:00.000 --> 00:01.000\n", 31));
    assert_true(sniff_vtt("\xEF\xBB\xBFWEBVTT\r\n", 11));
    assert_true(sniff_vtt("WEBVTT - Zoom export\n", 21));
    assert_true(sniff_vtt("WEBVTT", 6));
    assert_true(sniff_vtt("WEBVTT\tx", 8));
    assert_false(sniff_vtt("WEBVTTX\n", 8));
    assert_false(sniff_vtt("webvtt\n", 7));
    assert_false(sniff_vtt("WEBVT", 5));
    assert_false(sniff_vtt("", 0));
    assert_false(sniff_vtt("\nWEBVTT\n", 8));
    assert_false(sniff_vtt("1\n00:00:01,000 --> 00:00:02,000\n", 32));
}

/* ---- real-world exports (fixtures) ------------------------------------- */

static void test_zoom(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "zoom.vtt"), 0);
    assert_int_equal(f->out.n, 1);
    session *s = &f->out.items[0];
    assert_string_equal(s->id, "site/s1");
    assert_string_equal(s->source, "in.vtt");
    assert_int_equal(s->n_utts, 6);
    assert_int_equal(s->n_speakers, 2);
    test_check_timed_utt(s, 0, "Dr. Mills", "Hi Sam, how have you been this week?", 1, 4.5, 5, 0);
    test_check_timed_utt(s, 1, "Sam Patel", "Honestly, pretty rough. Work: it's been a lot.", 5, 8.25, 9, 0);
    test_check_timed_utt(s, 2, "Dr. Mills", "Tell me more about that.", 8.25, 10, 13, 0);
    test_check_timed_utt(s, 3, "Sam Patel", "My manager keeps adding projects.", 10.5, 13, 17, 0);
    /* no prefix: the previous cue's speaker goes on */
    test_check_timed_utt(s, 4, "Sam Patel", "and I can't say no.", 13, 15, 21, 0);
    test_check_timed_utt(s, 5, "Dr. Mills", "So you feel stuck?", 62, 65.12, 25, 0);
    for (size_t i = 0; i < s->n_speakers; i++) {
        assert_int_equal(s->speakers[i].role, ROLE_OTHER);
        assert_int_equal(s->speakers[i].role_from_source, 0);
    }
    assert_int_equal(s->times_estimated, 0);
    assert_int_equal(f->d.n, 0);
}

static void test_teams(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "teams.vtt"), 0);
    session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 4);
    assert_int_equal(s->n_speakers, 2);
    test_check_timed_utt(s, 0, "Jane Doe", "Good morning, thanks for coming in.", 0.52, 3.11, 5, 0);
    test_check_timed_utt(s, 1, "John Smith", "Morning. I almost didn't make it.", 3.6, 6, 9, 0);
    test_check_timed_utt(s, 2, "John Smith", "The traffic was awful & I was late.", 6, 9.48, 13, 0);
    test_check_timed_utt(s, 3, "Jane Doe", "What would make mornings easier?", 9.9, 12, 17, 0);
    assert_int_equal(f->d.n, 0);
}

static void test_rev(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "rev.vtt"), 0);
    session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 5);
    assert_int_equal(s->n_speakers, 2);
    test_check_timed_utt(s, 0, "Speaker 0", "So what brings you here today?", 0, 4.2, 7, 0);
    test_check_timed_utt(s, 1, "Speaker 1", "I guess I've been drinking more than I want to.", 4.2, 9, 11, 0);
    test_check_timed_utt(s, 2, "Speaker 1", "Maybe four nights a week.", 9, 11.5, 15, 0);
    /* two voices in one cue: one utterance each, same times */
    test_check_timed_utt(s, 3, "Speaker 0", "Mm-hmm.", 11.5, 13, 19, 0);
    test_check_timed_utt(s, 4, "Speaker 1", "And my wife noticed.", 11.5, 13, 19, 0);
    assert_int_equal(f->d.n, 0);
}

static void test_markup(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "markup.vtt"), 0);
    session *s = &f->out.items[0];
    /* STYLE, REGION and NOTE blocks give nothing */
    assert_int_equal(s->n_utts, 7);
    assert_int_equal(s->n_speakers, 2);
    test_check_timed_utt(s, 0, "Dr. Ana Ruiz", "Let's begin, shall we?", 1, 2, 16, 0);
    test_check_timed_utt(s, 1, "Client", "I\xE2\x80\x99m ready <ish> now.", 2, 3.5, 19, 0);
    test_check_timed_utt(s, 2, "Dr. Ana Ruiz", "Say it again.", 3.5, 5, 22, 0);
    test_check_timed_utt(s, 3, "Client", "The kanji word!", 5, 6, 25, 0);
    test_check_timed_utt(s, 4, "Dr. Ana Ruiz", "Yes.", 6, 7, 31, 0);
    test_check_timed_utt(s, 5, "Client", "No.", 6, 7, 31, 0);
    test_check_timed_utt(s, 6, "Dr. Ana Ruiz", "Okay.", 6, 7, 31, 0);
    assert_int_equal(f->d.n, 0);
}

static void test_problems(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "problems.vtt"), 0);
    session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 5);
    test_check_timed_utt(s, 0, "Therapist", "First.", 5, 7, 5, 0);
    test_check_timed_utt(s, 1, "Client", "Second, but earlier.", 3, 4, 9, 0);
    test_check_timed_utt(s, 2, "Therapist", "Ends before it starts.", 9, 8, 21, 0);
    test_check_timed_utt(s, 3, "Client", "Absurd time.", TIME_UNKNOWN, TIME_UNKNOWN, 29, 0);
    test_check_timed_utt(s, 4, "Therapist", "Last.", 12, 13, 33, 0);
    assert_int_equal(f->d.n, 6);   /* times going backwards: the session model warns */
    test_check_diag(&f->d, 0, SEV_WARNING, "in.vtt", 11, STRAY_WARNING);
    test_check_diag(&f->d, 1, SEV_WARNING, "in.vtt", 16, MALFORMED_WARNING);
    test_check_diag(&f->d, 2, SEV_WARNING, "in.vtt", 20,
                    "cue ends before it starts (00:00:09 --> 00:00:08); times kept as written");
    test_check_diag(&f->d, 3, SEV_WARNING, "in.vtt", 24, MALFORMED_WARNING);
    test_check_diag(&f->d, 4, SEV_WARNING, "in.vtt", 28,
                    "time 300:00:00 is more than 1,000,000 seconds; treated as unknown (check the timing "
                    "line)");
    test_check_diag(&f->d, 5, SEV_WARNING, "in.vtt", 28,
                    "time 300:00:01 is more than 1,000,000 seconds; treated as unknown (check the timing "
                    "line)");
}

/* ---- whole-file errors ------------------------------------------------- */

static void test_not_webvtt(void **state)
{
    fixture *f = *state;
    const char *msg = "not a WebVTT file: the first line must be 'WEBVTT'";
    check_fails(f, "WEBVT\n\n00:00.000 --> 00:01.000\nT: hi\n", 1, msg);
    check_fails(f, "WEBVTTX\n\n00:00.000 --> 00:01.000\nT: hi\n", 1, msg);
    check_fails(f, "\nWEBVTT\n\n00:00.000 --> 00:01.000\nT: hi\n", 1, msg);
    check_fails(f, "1\n00:00:01,000 --> 00:00:02,000\nT: hi\n", 1, msg);
}

static void test_no_cues(void **state)
{
    fixture *f = *state;
    check_fails(f, "WEBVTT\n", 0, "no cues found");
    check_fails(f, "\xEF\xBB\xBFWEBVTT", 0, "no cues found");
    check_fails(f, "WEBVTT - title\nKind: captions\n\nNOTE nothing here\n\n", 0, "no cues found");
    check_fails(f, "WEBVTT\n\n00:00.000 --> 00:01.000\n<b></b>\n\n00:01.000 --> 00:02.000\n&lrm;\n", 0,
                "no cue has any text (2 cues, all empty)");
    check_fails(f, "WEBVTT\n\n00:00.000 --> 00:01.000\n", 0, "no cue has any text (1 cue, all empty)");
}

static void test_unreadable(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, ""), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(diag_count(&f->d, SEV_ERROR), 1);
    diag_free(&f->d);
    assert_int_equal(read_path(f, "/nonexistent/dyad/none.vtt"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(diag_count(&f->d, SEV_ERROR), 1);
}

static void test_failure_leaves_list_alone(void **state)
{
    fixture *f = *state;
    session_list_add(&f->out, "earlier", "earlier.vtt");
    assert_int_equal(read_text(f, "WEBVTT\n"), -1);
    assert_int_equal(f->out.n, 1);
    assert_string_equal(f->out.items[0].id, "earlier");
    assert_int_equal(read_text(f, "WEBVTT\n\n00:00.000 --> 00:01.000\nT: hi\n"), 0);
    assert_int_equal(f->out.n, 2);
    assert_string_equal(f->out.items[1].id, "site/s1");
    assert_int_equal(f->out.items[1].n_utts, 1);
}

/* ---- speakers ---------------------------------------------------------- */

static void test_unknown_speaker(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f,
                         "WEBVTT\n"
                         "\n"
                         "00:00.000 --> 00:01.000\n"
                         "hello there\n"
                         "\n"
                         "00:01.000 --> 00:02.000\n"
                         "anyone?\n"
                         "\n"
                         "00:02.000 --> 00:03.000\n"
                         "<v Ann>Yes, me.\n"
                         "\n"
                         "00:03.000 --> 00:04.000\n"
                         "And me.\n");
    assert_int_equal(s->n_utts, 4);
    assert_int_equal(s->n_speakers, 2);
    test_check_timed_utt(s, 0, "unknown", "hello there", 0, 1, 4, 0);
    test_check_timed_utt(s, 1, "unknown", "anyone?", 1, 2, 7, 0);
    test_check_timed_utt(s, 2, "Ann", "Yes, me.", 2, 3, 10, 0);
    test_check_timed_utt(s, 3, "Ann", "And me.", 3, 4, 13, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_WARNING, "in.vtt", 4, UNKNOWN_WARNING);
}

static void test_voice_forms(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f,
                         "WEBVTT\n"
                         "\n"
                         "00:00.000 --> 00:01.000\n"
                         "<v Mary Ann Lee>no closing tag\n"
                         "\n"
                         "00:01.000 --> 00:02.000\n"
                         "<v.first.loud Bo>classes\n"
                         "\n"
                         "00:02.000 --> 00:03.000\n"
                         "<v>empty voice continues Bo\n"
                         "\n"
                         "00:03.000 --> 00:04.000\n"
                         "<v   Mary   Ann\tLee  >spaces collapse</v>\n"
                         "\n"
                         "00:04.000 --> 00:05.000\n"
                         "<v Tom &amp; Jerry>entity in the name\n"
                         "\n"
                         "00:05.000 --> 00:06.000\n"
                         "before <v Bo>first voice</v> after\n"
                         "\n"
                         "00:06.000 --> 00:07.000\n"
                         "<v Bo>one</v> <v Bo>voice</v>\n"
                         "\n"
                         "00:07.000 --> 00:08.000\n"
                         "<v Bo>Wait:\n"
                         "<v Cy>No.\n"
                         "\n"
                         "00:08.000 --> 00:09.000\n"
                         "<i> </i>\n"
                         "<v Cy>Late voice.\n");
    assert_int_equal(s->n_utts, 10);
    assert_int_equal(s->n_speakers, 4);
    test_check_timed_utt(s, 0, "Mary Ann Lee", "no closing tag", 0, 1, 4, 0);
    test_check_timed_utt(s, 1, "Bo", "classes", 1, 2, 7, 0);
    test_check_timed_utt(s, 2, "Bo", "empty voice continues Bo", 2, 3, 10, 0);
    test_check_timed_utt(s, 3, "Mary Ann Lee", "spaces collapse", 3, 4, 13, 0);
    test_check_timed_utt(s, 4, "Tom & Jerry", "entity in the name", 4, 5, 16, 0);
    test_check_timed_utt(s, 5, "Bo", "before first voice after", 5, 6, 19, 0);
    test_check_timed_utt(s, 6, "Bo", "one voice", 6, 7, 22, 0);
    /* a voice on the second payload line starts on that line */
    test_check_timed_utt(s, 7, "Bo", "Wait:", 7, 8, 25, 0);
    test_check_timed_utt(s, 8, "Cy", "No.", 7, 8, 26, 0);
    /* only blanks before the first voice: the utterance starts on its line */
    test_check_timed_utt(s, 9, "Cy", "Late voice.", 8, 9, 30, 0);
    assert_int_equal(f->d.n, 0);
}

static void test_name_prefix_rules(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f,
                         "WEBVTT\n"
                         "\n"
                         "00:00.000 --> 00:01.000\n"
                         "Dr. Mills: one\n"
                         "\n"
                         "00:01.000 --> 00:02.000\n"
                         "So here's the thing: not a label once\n"
                         "\n"
                         "00:02.000 --> 00:03.000\n"
                         "jane doe: lower case, but twice\n"
                         "\n"
                         "00:03.000 --> 00:04.000\n"
                         "jane doe: second time\n"
                         "\n"
                         "00:04.000 --> 00:05.000\n"
                         "one two three four five: too many words\n"
                         "\n"
                         "00:05.000 --> 00:06.000\n"
                         "Abcdefghij Abcdefghij Abcdefghij Abcdefgh: forty-one characters\n"
                         "\n"
                         "00:06.000 --> 00:07.000\n"
                         "Abcdefghij Abcdefghij Abcdefghij Abcdefg: forty characters\n"
                         "\n"
                         "00:07.000 --> 00:08.000\n"
                         "Note:no space after the colon\n"
                         "\n"
                         "00:08.000 --> 00:09.000\n"
                         "THÉRAPEUTE : espace avant\n"
                         "\n"
                         "00:09.000 --> 00:10.000\n"
                         "2nd: digit first, Well, you: comma\n"
                         "\n"
                         "00:10.000 --> 00:11.000\n"
                         "Anna van Dijk: particle\n"
                         "Second Line: starts a new utterance\n");
    assert_int_equal(s->n_utts, 12);
    test_check_timed_utt(s, 0, "Dr. Mills", "one", 0, 1, 4, 0);
    test_check_timed_utt(s, 1, "Dr. Mills", "So here's the thing: not a label once", 1, 2, 7, 0);
    test_check_timed_utt(s, 2, "jane doe", "lower case, but twice", 2, 3, 10, 0);
    test_check_timed_utt(s, 3, "jane doe", "second time", 3, 4, 13, 0);
    test_check_timed_utt(s, 4, "jane doe", "one two three four five: too many words", 4, 5, 16, 0);
    test_check_timed_utt(s, 5, "jane doe", "Abcdefghij Abcdefghij Abcdefghij Abcdefgh: forty-one characters",
                         5, 6, 19, 0);
    test_check_timed_utt(s, 6, "Abcdefghij Abcdefghij Abcdefghij Abcdefg", "forty characters", 6, 7, 22, 0);
    test_check_timed_utt(s, 7, "Abcdefghij Abcdefghij Abcdefghij Abcdefg", "Note:no space after the colon",
                         7, 8, 25, 0);
    test_check_timed_utt(s, 8, "THÉRAPEUTE", "espace avant", 8, 9, 28, 0);
    test_check_timed_utt(s, 9, "THÉRAPEUTE", "2nd: digit first, Well, you: comma", 9, 10, 31, 0);
    test_check_timed_utt(s, 10, "Anna van Dijk", "particle", 10, 11, 34, 0);
    test_check_timed_utt(s, 11, "Second Line", "starts a new utterance", 10, 11, 35, 0);
    assert_int_equal(s->n_speakers, 6);
    assert_int_equal(f->d.n, 0);
}

static void test_lower_case_label_once_is_text(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "WEBVTT\n\n00:00.000 --> 00:01.000\nT: a\n\n"
                            "00:01.000 --> 00:02.000\nmary: b\n\n00:02.000 --> 00:03.000\nT: c\n");
    assert_int_equal(s->n_utts, 3);
    test_check_timed_utt(s, 1, "T", "mary: b", 1, 2, 7, 0);
    assert_int_equal(s->n_speakers, 1);
}

static void test_role_words_and_roles_map(void **state)
{
    fixture *f = *state;
    const char *text = "WEBVTT\n\n00:00.000 --> 00:01.000\nT: a\n\n"
                       "00:01.000 --> 00:02.000\npatient 2: b\n\n"
                       "00:02.000 --> 00:03.000\njdoe: c\n\n"
                       "00:03.000 --> 00:04.000\nmary: d\n";
    /* a built-in role word counts even once and in lower case */
    session *s = read_ok(f, text);
    assert_int_equal(s->n_utts, 4);
    test_check_timed_utt(s, 1, "patient 2", "b", 1, 2, 7, 0);
    test_check_timed_utt(s, 2, "patient 2", "jdoe: c", 2, 3, 10, 0);
    session_list_free(&f->out);
    /* so does a label of the --roles map */
    char label[] = "JDoe";
    role_entry entry = {label, ROLE_CLIENT};
    role_map roles = {&entry, 1, 1};
    assert_int_equal(read_bytes(f, text, strlen(text), &roles), 0);
    s = &f->out.items[0];
    assert_int_equal(s->n_utts, 4);
    test_check_timed_utt(s, 2, "jdoe", "c", 2, 3, 10, 0);
    test_check_timed_utt(s, 3, "jdoe", "mary: d", 3, 4, 13, 0);
    assert_int_equal(s->n_speakers, 3);
}

/* ---- text markup ------------------------------------------------------- */

static void test_tags_and_entities(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f,
                         "WEBVTT\n"
                         "\n"
                         "00:00.000 --> 00:01.000\n"
                         "T: <i>a</i> <b.x>b</b> <u>c</u> <c.red.big>d</c> <lang fr>e</lang>\n"
                         "\n"
                         "00:01.000 --> 00:02.000\n"
                         "T: say <00:00:01.500>it &quot;now&quot; &amp; then\n"
                         "\n"
                         "00:02.000 --> 00:03.000\n"
                         "T: kept <rt>outside ruby</rt> text\n"
                         "\n"
                         "00:03.000 --> 00:04.000\n"
                         "T: before <unfinished tag hides the rest\n"
                         "of the cue\n"
                         "\n"
                         "00:04.000 --> 00:05.000\n"
                         "T: tag <c></\n"
                         "c>across lines\n"
                         "\n"
                         "00:05.000 --> 00:06.000\n"
                         "T: &lt;v Fake&gt; is text, not a voice\n");
    assert_int_equal(s->n_utts, 6);
    test_check_timed_utt(s, 0, "T", "a b c d e", 0, 1, 4, 0);
    test_check_timed_utt(s, 1, "T", "say it \"now\" & then", 1, 2, 7, 0);
    test_check_timed_utt(s, 2, "T", "kept outside ruby text", 2, 3, 10, 0);
    test_check_timed_utt(s, 3, "T", "before", 3, 4, 13, 0);
    test_check_timed_utt(s, 4, "T", "tag across lines", 4, 5, 17, 0);
    test_check_timed_utt(s, 5, "T", "<v Fake> is text, not a voice", 5, 6, 21, 0);
    assert_int_equal(s->n_speakers, 1);
}

/* ---- cue structure ----------------------------------------------------- */

static void test_timing_forms(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f,
                         "WEBVTT\n"
                         "\n"
                         "00:01.000 --> 00:02.000\n"
                         "T: no hours\n"
                         "\n"
                         "0:00:02.000 --> 0:00:03.500 line:0 align:end\n"
                         "T: one-digit hours and settings\n"
                         "\n"
                         "00:00:03,250-->00:00:04,750\n"
                         "T: comma and no spaces\n"
                         "\n"
                         "01:00:00.000 --> 01:00:01.000\n"
                         "T: an hour in\n");
    assert_int_equal(s->n_utts, 4);
    test_check_timed_utt(s, 0, "T", "no hours", 1, 2, 4, 0);
    test_check_timed_utt(s, 1, "T", "one-digit hours and settings", 2, 3.5, 7, 0);
    test_check_timed_utt(s, 2, "T", "comma and no spaces", 3.25, 4.75, 10, 0);
    test_check_timed_utt(s, 3, "T", "an hour in", 3600, 3601, 13, 0);
    assert_int_equal(f->d.n, 0);
}

static void test_crlf_bom_and_cr(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "\xEF\xBB\xBFWEBVTT\r\n\r\n1\r\n00:00.000 --> 00:01.000\r\nT: one\r\ntwo\r\n\r\n"
                            "00:01.000 --> 00:02.000\rT: three\r");
    assert_int_equal(s->n_utts, 2);
    test_check_timed_utt(s, 0, "T", "one two", 0, 1, 5, 0);
    test_check_timed_utt(s, 1, "T", "three", 1, 2, 9, 0);
    assert_int_equal(f->d.n, 0);
}

static void test_missing_blank_lines(void **state)
{
    fixture *f = *state;
    /* the header runs straight into a cue, and a cue into the next cue's
     * number and timing: the number is not text */
    session *s = read_ok(f, "WEBVTT\n00:00.000 --> 00:01.000\nT: one\n7\n00:01.000 --> 00:02.000\nT: two\n");
    assert_int_equal(s->n_utts, 2);
    test_check_timed_utt(s, 0, "T", "one", 0, 1, 3, 0);
    test_check_timed_utt(s, 1, "T", "two", 1, 2, 6, 0);
    assert_int_equal(f->d.n, 0);
}

static void test_identifiers_and_stray_text(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f,
                         "WEBVTT\n"
                         "\n"
                         "an identifier\n"
                         "00:00.000 --> 00:01.000\n"
                         "T: one\n"
                         "\n"
                         "stray line\n"
                         "identifier\n"
                         "00:01.000 --> 00:02.000\n"
                         "T: two\n"
                         "\n"
                         "a block without timing\n"
                         "\n"
                         "NOTE\n"
                         "00:05.000 --> 00:06.000 is a cue even here\n"
                         "T: three\n");
    assert_int_equal(s->n_utts, 3);
    test_check_timed_utt(s, 0, "T", "one", 0, 1, 5, 0);
    test_check_timed_utt(s, 1, "T", "two", 1, 2, 10, 0);
    test_check_timed_utt(s, 2, "T", "three", 5, 6, 16, 0);
    assert_int_equal(f->d.n, 2);
    test_check_diag(&f->d, 0, SEV_WARNING, "in.vtt", 7, STRAY_WARNING);
    test_check_diag(&f->d, 1, SEV_WARNING, "in.vtt", 12, STRAY_WARNING);
}

static void test_malformed_cue_skips_its_payload(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "WEBVTT\n\n00:00.000 --> 00:01.000\nT: one\n\n"
                            "00:01.000 --> soon\nT: lost\n00:01.500 --> later\nstill lost\n\n"
                            "orphan text\n\n"
                            "00:02.000 --> 00:03.000\nT: three\n");
    assert_int_equal(s->n_utts, 2);
    test_check_timed_utt(s, 0, "T", "one", 0, 1, 4, 0);
    test_check_timed_utt(s, 1, "T", "three", 2, 3, 14, 0);
    /* every malformed timing line is reported, even one in a skipped cue;
     * skipping ends at the blank line */
    assert_int_equal(f->d.n, 3);
    test_check_diag(&f->d, 0, SEV_WARNING, "in.vtt", 6, MALFORMED_WARNING);
    test_check_diag(&f->d, 1, SEV_WARNING, "in.vtt", 8, MALFORMED_WARNING);
    test_check_diag(&f->d, 2, SEV_WARNING, "in.vtt", 11, STRAY_WARNING);
}

/* ---- the webvtt.js files in ../shared/data ------------------------------ */

static void test_shared_entities(void **state)
{
    fixture *f = *state;
    char *path = test_shared_data("formats/vtt", "entities.vtt");
    assert_int_equal(read_path(f, path), 0);
    free(path);
    session *s = &f->out.items[0];
    /* 25 cues (grep -c -- '-->'); &nbsp; &#32; &#x20; leave nothing */
    assert_int_equal(s->n_utts, 22);
    assert_int_equal(s->n_speakers, 1);
    test_check_timed_utt(s, 0, "unknown", "&", 0, 1, 4, 0);
    test_check_timed_utt(s, 1, "unknown", "&amp", 1, 2, 8, 0);
    test_check_timed_utt(s, 2, "unknown", "&", 2, 3, 12, 0);
    test_check_timed_utt(s, 3, "unknown", "&", 3, 4, 16, 0);
    test_check_timed_utt(s, 4, "unknown", "<", 4, 5, 20, 0);
    test_check_timed_utt(s, 5, "unknown", ">", 5, 6, 24, 0);
    test_check_timed_utt(s, 6, "unknown", "ab", 6, 7, 28, 0);
    test_check_timed_utt(s, 7, "unknown", "ab", 7, 8, 32, 0);
    test_check_timed_utt(s, 8, "unknown", "\"", 8, 9, 36, 0);
    test_check_timed_utt(s, 9, "unknown", "&copy;", 10, 11, 44, 0);
    test_check_timed_utt(s, 12, "unknown", "&1;", 13, 14, 56, 0);
    test_check_timed_utt(s, 13, "unknown", "&", 14, 15, 60, 0);   /* "&<": the unfinished tag goes */
    test_check_timed_utt(s, 15, "unknown", "&;", 18, 19, 76, 0);
    test_check_timed_utt(s, 21, "unknown", "&notit;", 24, 25, 100, 0);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(f->d.items[0].message, UNKNOWN_WARNING);
}

static void test_shared_bom_only(void **state)
{
    fixture *f = *state;
    char *path = test_shared_data("formats/vtt", "signature-bom.vtt");
    assert_int_equal(read_path(f, path), -1);
    free(path);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, "in.vtt", 0, "no cues found");
}

static void test_shared_omitted_hours(void **state)
{
    fixture *f = *state;
    char *path = test_shared_data("formats/vtt", "timings-omitted-hours.vtt");
    assert_int_equal(read_path(f, path), 0);
    free(path);
    session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 3);
    test_check_timed_utt(s, 0, "unknown", "text0", 0, 1, 4, 0);
    test_check_timed_utt(s, 1, "unknown", "text1", 0, 1, 7, 0);
    test_check_timed_utt(s, 2, "unknown", "text2", 0, 1, 10, 0);
}

/* tags.expected.json: a list of {"text": cue payload, "expectedTree": the
 * parse as indented lines: | <element>, |   attribute="value", |   "text"}. */
typedef struct expected_cue {
    char *text;     /* the text nodes outside <rt>, concatenated */
    char *voice;    /* the title attribute of a <v> span, "" when none */
} expected_cue;

/* The JSON string starting after the opening quote at *p, unescaped. */
static char *json_string(const char **p)
{
    buf out = {0};
    const char *s = *p;
    while (*s && *s != '"') {
        if (*s == '\\') {
            s++;
            switch (*s) {
            case 'n': buf_addc(&out, '\n'); break;
            case 't': buf_addc(&out, '\t'); break;
            case 'u': buf_addc(&out, (char)strtol((char[5]){s[1], s[2], s[3], s[4], 0}, NULL, 16)); s += 4; break;
            default: buf_addc(&out, *s); break;
            }
            s++;
        } else {
            buf_addc(&out, *s++);
        }
    }
    *p = *s ? s + 1 : s;
    return buf_take(&out);
}

static void parse_tree(const char *tree, expected_cue *e)
{
    buf text = {0};
    e->voice = xstrdup("");
    long rt_indent = -1;
    const char *line = tree;
    while (*line) {
        const char *end = strchr(line, '\n');
        if (!end) end = line + strlen(line);
        const char *p = line + 1;             /* after '|' */
        long indent = 0;
        while (p < end && *p == ' ') p++, indent++;
        if (rt_indent >= 0 && indent <= rt_indent) rt_indent = -1;
        if (*p == '<' && strncmp(p, "<rt>", 4) == 0) {
            rt_indent = indent;
        } else if (*p == '"' && rt_indent < 0) {
            buf_add(&text, p + 1, (size_t)(end - p - 2));
        } else if (strncmp(p, "title=\"", 7) == 0) {
            free(e->voice);
            e->voice = xstrndup(p + 7, (size_t)(end - p - 8));
        }
        line = *end ? end + 1 : end;
    }
    e->text = buf_take(&text);
}

static void test_shared_tags_expected(void **state)
{
    fixture *f = *state;
    char *path = test_shared_data("formats/vtt", "tags.vtt");
    char *json_path = test_shared_data("formats/vtt", "tags.expected.json");
    char *json = test_read_file(json_path);
    assert_non_null(json);
    expected_cue want[64];
    size_t n_want = 0;
    for (const char *p = json; (p = strstr(p, "\"expectedTree\": \"")) != NULL;) {
        p += strlen("\"expectedTree\": \"");
        char *tree = json_string(&p);
        assert_true(n_want < 64);
        parse_tree(tree, &want[n_want++]);
        free(tree);
    }
    assert_int_equal(n_want, 28);
    assert_int_equal(read_path(f, path), 0);
    session *s = &f->out.items[0];
    /* cue i runs from i to i + 1 seconds; a cue whose tree has no text
     * gives no utterance; a cue without a voice keeps the last one */
    const char *voice = "unknown";
    size_t u = 0, with_text = 0;
    for (size_t i = 0; i < n_want; i++) {
        if (want[i].voice[0]) voice = want[i].voice;
        if (!want[i].text[0]) continue;
        with_text++;
        assert_true(u < s->n_utts);
        assert_double_eq(s->utts[u].start, (double)i);
        assert_double_eq(s->utts[u].end, (double)i + 1);
        assert_string_equal(s->utts[u].text, want[i].text);
        assert_string_equal(test_label_of(s, u), voice);
        u++;
    }
    assert_int_equal(with_text, 20);
    assert_int_equal(s->n_utts, 20);
    /* the <ruby> cue: its <rt> reading is not speech */
    assert_string_equal(s->utts[11].text, "abde");
    for (size_t i = 0; i < n_want; i++) {
        free(want[i].text);
        free(want[i].voice);
    }
    free(json);
    free(json_path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_time),
        cmocka_unit_test(test_parse_timing),
        cmocka_unit_test(test_decode_entities),
        cmocka_unit_test(test_sniff),
        reading_test(test_zoom),
        reading_test(test_teams),
        reading_test(test_rev),
        reading_test(test_markup),
        reading_test(test_problems),
        reading_test(test_not_webvtt),
        reading_test(test_no_cues),
        reading_test(test_unreadable),
        reading_test(test_failure_leaves_list_alone),
        reading_test(test_unknown_speaker),
        reading_test(test_voice_forms),
        reading_test(test_name_prefix_rules),
        reading_test(test_lower_case_label_once_is_text),
        reading_test(test_role_words_and_roles_map),
        reading_test(test_tags_and_entities),
        reading_test(test_timing_forms),
        reading_test(test_crlf_bom_and_cr),
        reading_test(test_missing_blank_lines),
        reading_test(test_identifiers_and_stray_text),
        reading_test(test_malformed_cue_skips_its_payload),
        reading_test(test_shared_entities),
        reading_test(test_shared_bom_only),
        reading_test(test_shared_omitted_hours),
        reading_test(test_shared_tags_expected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
