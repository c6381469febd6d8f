/* test_srt.c: the SubRip reader (readers/srt.c). Fixtures in
 * tests/fixtures/srt/; small cases are written to temporary files. The cue
 * code shared with WebVTT (readers/cues.c) is tested in test_vtt.c. */
#include "testutil.h"

#include "model/session.h"
#include "readers/reader.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define UNKNOWN_WARNING "cues without a speaker name (no 'Name:' or '[Name]' prefix); " \
                        "they are attributed to 'unknown'"
#define MALFORMED_WARNING "malformed cue timing line; expected '00:01:02,500 --> 00:01:04,000' " \
                          "(hours optional); cue skipped"

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

/* ---- helpers ----------------------------------------------------------- */

static char *project_path(const char *rel)
{
    buf p = {0};
    const char *file = __FILE__;
    const char *cut = strstr(file, "tests/unit/");
    if (cut) buf_add(&p, file, (size_t)(cut - file));
    buf_adds(&p, rel);
    return buf_take(&p);
}

static int read_path(fixture *f, const char *path)
{
    reader_input in = {.path = path, .source = "in.srt", .session_id = "site/s2"};
    reader_options opt = {0};
    return read_srt(&in, &opt, &f->out, &f->d);
}

static int read_fixture(fixture *f, const char *name)
{
    buf rel = {0};
    buf_addf(&rel, "tests/fixtures/srt/%s", name);
    char *path = project_path(rel.data);
    int rc = read_path(f, path);
    free(path);
    buf_free(&rel);
    return rc;
}

static int read_text(fixture *f, const char *text)
{
    const char *dir = getenv("TMPDIR");
    buf path = {0};
    buf_addf(&path, "%s/dyad_test_srt_XXXXXX", dir && dir[0] ? dir : "/tmp");
    int fd = mkstemp(path.data);
    assert_true(fd >= 0);
    size_t n = strlen(text), done = 0;
    while (done < n) {
        ssize_t w = write(fd, text + done, n - done);
        assert_true(w > 0);
        done += (size_t)w;
    }
    assert_int_equal(close(fd), 0);
    int rc = read_path(f, path.data);
    unlink(path.data);
    buf_free(&path);
    return rc;
}

static session *read_ok(fixture *f, const char *text)
{
    assert_int_equal(read_text(f, text), 0);
    assert_int_equal(f->out.n, 1);
    return &f->out.items[0];
}

static const char *label_of(const session *s, size_t i)
{
    return s->speakers[s->utts[i].speaker].label;
}

static void check_utt(const session *s, size_t i, const char *label, const char *text,
                      double start, double end, long line)
{
    assert_true(i < s->n_utts);
    assert_string_equal(label_of(s, i), label);
    assert_string_equal(s->utts[i].text, text);
    assert_double_eq(s->utts[i].start, start);
    assert_double_eq(s->utts[i].end, end);
    assert_int_equal(s->utts[i].line, line);
    assert_int_equal(s->utts[i].flags, 0);
}

static void check_diag(const diag_list *d, size_t i, severity sev, long line, const char *msg)
{
    assert_true(i < d->n);
    assert_string_equal(d->items[i].source, "in.srt");
    assert_int_equal(d->items[i].sev, sev);
    assert_int_equal(d->items[i].line, line);
    assert_string_equal(d->items[i].message, msg);
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
    check_utt(s, 0, "THERAPIST", "What would you like to focus on today?", 1, 3.2, 3);
    check_utt(s, 1, "CLIENT", "My sleep, I think.", 3.5, 6, 8);
    check_utt(s, 2, "CLIENT", "It's been bad since March.", 6, 8, 12);
    check_utt(s, 3, "THERAPIST", "Since March?", 8.5, 10, 16);
    check_utt(s, 4, "CLIENT", "Yes.", 10, 12, 20);
    check_utt(s, 5, "THERAPIST", "Okay.", 10, 12, 21);
    check_utt(s, 6, "Maria", "I wake at 3 a.m. [laughs] every night.", 12.5, 14, 25);
    check_utt(s, 7, "Maria", "Every single night.", 14, 15, 30);
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
    check_utt(s, 0, "unknown", "Hello, can you hear me?", 0.5, 2, 3);
    check_utt(s, 1, "Speaker 1", "Yes, I can.", 2, 4, 8);
    check_utt(s, 2, "Speaker 2", "Good.", 4, 5, 11);
    check_utt(s, 3, "Speaker 2", "No number on this cue.", 6, 7.5, 18);
    check_utt(s, 4, "Speaker 1", "Last one.", 8, 9, 22);
    assert_int_equal(f->d.n, 2);
    check_diag(&f->d, 0, SEV_WARNING, 14, MALFORMED_WARNING);
    check_diag(&f->d, 1, SEV_WARNING, 3, UNKNOWN_WARNING);
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
    check_utt(s, 0, "A", "upper under font", 0, 1, 3);
    check_utt(s, 1, "A", "I <3 you, x < y > z, <em>kept</em>", 1, 2, 7);
    check_utt(s, 2, "A", "top {not a code} & \xC3\xA9", 2, 3, 11);
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
    check_utt(s, 0, "Dr. Lee", "How are you?", 0, 1, 3);
    /* a sound description is not a speaker, nor is a lower-case bracket or
     * "[Sam]" with no text after it on its line */
    check_utt(s, 1, "Dr. Lee", "[Laughs] Fine, I suppose.", 1, 2, 7);
    check_utt(s, 2, "Dr. Lee", "[music] [Sam]", 2, 3, 11);
    check_utt(s, 3, "Sam", "Really.", 3, 4, 16);
    check_utt(s, 4, "Dr. Lee", "Go on. - and a dash line", 3, 4, 17);
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
    check_utt(s, 0, "coach", "so how was it", 0, 0.5, 3);
    check_utt(s, (size_t)n - 1, "pat", "fine", 2 * (n - 1), 2 * (n - 1) + 0.5, 4 * (n - 1) + 3);
    check_utt(s, (size_t)n, "pat", "note: said once", 40271, 40272, 4 * n + 3);
}

static void test_bracket_cue_without_text(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "1\n00:00:00,000 --> 00:00:01,000\n[music]\n[Sam]\n");
    assert_int_equal(s->n_utts, 1);
    check_utt(s, 0, "unknown", "[music] [Sam]", 0, 1, 3);
    assert_int_equal(f->d.n, 1);
    check_diag(&f->d, 0, SEV_WARNING, 3, UNKNOWN_WARNING);
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
    check_utt(s, 0, "T", "one", 3605, 3606.5, 3);
    check_utt(s, 1, "T", "back in time", 3599.999, 3600, 7);
    check_utt(s, 2, "T", "no hours", 10, 11, 11);
    assert_int_equal(f->d.n, 2);
    check_diag(&f->d, 0, SEV_WARNING, 6, "time goes backwards (00:59:59.999 after 01:00:05)");
    check_diag(&f->d, 1, SEV_WARNING, 10, "time goes backwards (00:00:10 after 00:59:59.999)");
}

static void test_errors(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, "1\nHello there\n\n2\nNo timings at all\n"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 3);
    check_diag(&f->d, 0, SEV_WARNING, 1,
               "text outside any cue ignored; a cue needs a timing line like "
               "'00:01:02,500 --> 00:01:04,000'");
    check_diag(&f->d, 1, SEV_WARNING, 4,
               "text outside any cue ignored; a cue needs a timing line like "
               "'00:01:02,500 --> 00:01:04,000'");
    check_diag(&f->d, 2, SEV_ERROR, 0, "no cues found");
    diag_free(&f->d);

    assert_int_equal(read_text(f, "1\n00:00:00,000 --> 00:00:01,000\n<i></i>\n"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    check_diag(&f->d, 0, SEV_ERROR, 0, "no cue has any text (1 cue, all empty)");
    diag_free(&f->d);

    assert_int_equal(read_text(f, ""), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(diag_count(&f->d, SEV_ERROR), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff),
        cmocka_unit_test_setup_teardown(test_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_messy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_formatting_stripped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bracket_and_dash_labels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_cues_by_counted_labels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bracket_cue_without_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_times, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
