/* test_analysis.c: what analyse_session makes of the matches (the flags
 * taken in one pass over them, the category counts of speakers, roles and
 * segments) and the rows segments.csv and windows.csv are put from it in
 * bulk: exact values, and exact bytes against csv_row's cells. */
#include "testutil.h"
#include "analysis/analysis.h"
#include "analysis/lexicon.h"
#include "model/session.h"
#include "writers/csv.h"
#include "writers/reports.h"

#include <stdio.h>
#include <stdlib.h>

/* Categories 0..3: the three the flags come from, one of each kind of rule
 * around them. */
static const char LEX[] = "[backchannel] Backchannels\n"
                          "mm hmm\n"
                          "yeah\n"
                          "okay\n"
                          "[open_question] Open\n"
                          "^what\n"
                          "^how\n"
                          "[closed_question] Closed\n"
                          "^do you\n"
                          "[feeling] Feelings\n"
                          "feel*\n"
                          "yeah\n";

static lexicon *test_lexicon(void)
{
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(lexicon_load_text(lx, "t.lex", LEX, strlen(LEX), &d), 0);
    assert_int_equal(lexicon_finish(lx, &d), 0);
    assert_int_equal(d.n, 0);
    diag_free(&d);
    return lx;
}

static void analyse(const session *s, const lexicon *lx, size_t segments, session_result *r)
{
    analysis_options opt = {.segments = segments, .window = DEFAULT_WINDOW, .step = DEFAULT_STEP};
    diag_list d = {0};
    analyse_session(s, lx, &opt, r, &d);
    assert_int_equal(d.n, 0);
    diag_free(&d);
}

/* ---- flags and counts ---- */

static void test_flags_from_matches(void **state)
{
    (void)state;
    lexicon *lx = test_lexicon();
    session s;
    session_init(&s, "s", "s.txt");
    size_t t = session_speaker(&s, "T"), c = session_speaker(&s, "C");
    s.speakers[t].role = ROLE_THERAPIST;
    s.speakers[c].role = ROLE_CLIENT;
    static const struct {
        const char *text;
        int backchannel, question, open, closed;
    } want[] = {
        {"Mm hmm, yeah okay.", 1, 0, 0, 0},        /* every word in a backchannel match */
        {"Yeah so.", 0, 0, 0, 0},                   /* "so" is not */
        {"So yeah.", 0, 0, 0, 0},                   /* a gap before the first match */
        {"Okay. What brings you in?", 0, 1, 1, 0},  /* asked in the second sentence */
        {"What now. Do you feel it?", 0, 1, 0, 1},  /* "what" is not in the question */
        {"How. Do you?", 0, 1, 0, 1},
        {"What do you feel?", 0, 1, 1, 0},          /* "do you" does not start a sentence */
        {"How? Do you?", 0, 1, 1, 0},               /* the first sentence ended by '?' */
        {"[laughs]", 0, 0, 0, 0},                   /* no words: not counted */
        {"Feel, feeling, felt.", 0, 0, 0, 0},
    };
    size_t n = sizeof want / sizeof want[0];
    for (size_t i = 0; i < n; i++) session_add_utterance(&s, i % 2 ? c : t, want[i].text, -1, -1, (long)i + 1);
    session_result r;
    analyse(&s, lx, 0, &r);
    assert_int_equal(r.n_utts, n - 1);
    for (size_t i = 0, k = 0; i < n; i++) {
        if (i == 8) continue;
        const utterance_result *u = &r.utts[k++];
        assert_int_equal(u->index, i);
        assert_int_equal(u->backchannel, want[i].backchannel);
        assert_int_equal(u->question, want[i].question);
        assert_int_equal(u->open_question, want[i].open);
        assert_int_equal(u->closed_question, want[i].closed);
        assert_int_equal(u->interrupts, 0);
    }
    session_result_free(&r);
    session_free(&s);
    lexicon_free(lx);
}

/* Speakers' counts are taken in the pass over the matches, segments' from
 * the kept categories: both must agree with the utterances' categories. */
static void test_category_counts(void **state)
{
    (void)state;
    lexicon *lx = test_lexicon();
    session s;
    session_init(&s, "s", "s.txt");
    size_t t = session_speaker(&s, "T"), c = session_speaker(&s, "C"), o = session_speaker(&s, "O");
    s.speakers[t].role = ROLE_THERAPIST;
    s.speakers[c].role = ROLE_CLIENT;
    s.speakers[o].role = ROLE_OTHER;
    session_add_utterance(&s, t, "Yeah. How do you feel?", -1, -1, 1);   /* bc, feeling x2, open */
    session_add_utterance(&s, c, "Yeah yeah, I feel fine.", -1, -1, 2);  /* bc x2, feeling x3 */
    session_add_utterance(&s, o, "Do you?", -1, -1, 3);                  /* closed */
    session_add_utterance(&s, c, "Nothing here at all", -1, -1, 4);
    session_result r;
    analyse(&s, lx, 2, &r);
    assert_int_equal(r.n_categories, 4);
    const size_t speaker_want[3][4] = {{1, 1, 0, 2}, {2, 0, 0, 3}, {0, 0, 1, 0}};
    for (size_t i = 0; i < 3; i++)
        for (size_t k = 0; k < 4; k++) assert_int_equal(r.speakers[i].category[k], speaker_want[i][k]);
    for (int ro = 0; ro < ROLE_COUNT; ro++)
        for (size_t k = 0; k < 4; k++) assert_int_equal(r.roles[ro].category[k], speaker_want[ro][k]);
    /* 17 words: utterances 1 and 2 (words 0-10) fall in segment 1, 3 and 4 in segment 2 */
    assert_int_equal(r.n_segments, 2);
    size_t sum[ROLE_COUNT][4] = {{0}};
    for (size_t g = 0; g < 2; g++)
        for (int ro = 0; ro < ROLE_COUNT; ro++)
            for (size_t k = 0; k < 4; k++) sum[ro][k] += r.segments[g].roles[ro].category[k];
    for (int ro = 0; ro < ROLE_COUNT; ro++)
        for (size_t k = 0; k < 4; k++) assert_int_equal(sum[ro][k], speaker_want[ro][k]);
    assert_int_equal(r.segments[1].roles[ROLE_OTHER].category[2], 1);
    assert_int_equal(r.segments[0].roles[ROLE_CLIENT].category[3], 3);
    assert_int_equal(r.n_utt_categories, 10);
    session_result_free(&r);
    session_free(&s);
    lexicon_free(lx);
}

/* ---- rows put in bulk ---- */

/* segments.csv and windows.csv rows as they were written cell by cell. */
static void reference_segments_rows(buf *out, const session *s, const session_result *r)
{
    static const role roles[] = {ROLE_THERAPIST, ROLE_CLIENT};
    for (size_t k = 0; k < r->n_segments; k++) {
        const segment_result *g = &r->segments[k];
        size_t all_words = 0;
        double all_time = 0;
        for (int ro = 0; ro < ROLE_COUNT; ro++) {
            all_words += g->roles[ro].words;
            all_time += g->roles[ro].speaking_time;
        }
        for (size_t j = 0; j < 2; j++) {
            const talk_stats *t = &g->roles[roles[j]];
            csv_row row;
            csv_row_start(&row, out);
            csv_text(&row, s->id);
            csv_uint(&row, k + 1);
            csv_text(&row, r->segments_by_time ? "seconds" : "words");
            if (r->segments_by_time) {
                csv_seconds(&row, g->from);
                csv_seconds(&row, g->to);
            } else {
                csv_real(&row, g->from);
                csv_real(&row, g->to);
            }
            csv_text(&row, role_name(roles[j]));
            csv_uint(&row, t->words);
            csv_real(&row, ratio((double)t->words, (double)all_words));
            csv_seconds(&row, r->timed ? t->speaking_time : NAN);
            csv_real(&row, r->timed ? ratio(t->speaking_time, all_time) : NAN);
            csv_uint(&row, t->turns);
            csv_real(&row, ratio((double)t->turn_words, (double)t->turns));
            csv_uint(&row, t->questions);
            for (size_t c = 0; c < r->n_categories; c++) {
                csv_uint(&row, t->category[c]);
                csv_real(&row, ratio(1000.0 * (double)t->category[c], (double)t->words));
            }
            csv_row_end(&row);
        }
    }
}

static void reference_windows_rows(buf *out, const session *s, const session_result *r)
{
    static const char *const names[] = {"empty", "balanced", "therapist", "client"};
    for (size_t k = 0; k < r->n_windows; k++) {
        const window_result *w = &r->windows[k];
        double t = w->time[ROLE_THERAPIST], c = w->time[ROLE_CLIENT];
        csv_row row;
        csv_row_start(&row, out);
        csv_text(&row, s->id);
        csv_uint(&row, k + 1);
        csv_seconds(&row, w->from);
        csv_seconds(&row, w->to);
        csv_seconds(&row, t);
        csv_seconds(&row, c);
        csv_real(&row, ratio(t, t + c));
        csv_text(&row, names[w->label]);
        csv_row_end(&row);
    }
}

/* A session with an id that needs quotes and the guard; timed or not. */
static void rows_session(session *s, const char *id, int timed)
{
    session_init(s, id, "x.txt");
    size_t t = session_speaker(s, "T"), c = session_speaker(s, "C");
    s->speakers[t].role = ROLE_THERAPIST;
    s->speakers[c].role = ROLE_CLIENT;
    static const char *const texts[] = {"Yeah. How do you feel?", "I feel fine, yeah.", "Okay.",
                                        "Do you feel it?", "Mm hmm.", "Nothing at all."};
    for (size_t i = 0; i < 6; i++) {
        double start = timed ? 37.25 * (double)i : -1, end = timed ? start + 20.125 + (double)i : -1;
        session_add_utterance(s, i % 2 ? c : t, texts[i], start, end, (long)i + 1);
    }
}

static void assert_rows_as_cells(const char *id, int timed, size_t segments)
{
    lexicon *lx = test_lexicon();
    session s;
    rows_session(&s, id, timed);
    session_result r;
    analyse(&s, lx, segments, &r);
    buf got = {0}, want = {0};
    segments_csv_rows(&got, &s, &r);
    reference_segments_rows(&want, &s, &r);
    assert_string_equal(buf_str(&got), buf_str(&want));
    buf_clear(&got);
    buf_clear(&want);
    windows_csv_rows(&got, &s, &r);
    reference_windows_rows(&want, &s, &r);
    assert_string_equal(buf_str(&got), buf_str(&want));
    assert_int_equal(r.n_windows > 0, timed);
    buf_free(&got);
    buf_free(&want);
    session_result_free(&r);
    session_free(&s);
    lexicon_free(lx);
}

static void test_rows_match_cells(void **state)
{
    (void)state;
    assert_rows_as_cells("site/s1", 1, 5);
    assert_rows_as_cells("site/s1", 0, 5);
    assert_rows_as_cells("=a,\"b\"", 1, 3);   /* quoted and guarded once, on every row */
    assert_rows_as_cells("-Zo\xc3\xab", 0, 7);   /* more segments than utterances: empty ones */
    assert_rows_as_cells("", 1, 1);
}

/* One window row by hand: the id's cell, the times and the share. */
static void test_window_row_bytes(void **state)
{
    (void)state;
    session s;
    session_init(&s, "a,b", "x.txt");
    session_result r = {0};
    window_result w = {.from = 0, .to = 150, .time = {90.5, 30.25, 0}, .label = WINDOW_THERAPIST};
    r.windows = &w;
    r.n_windows = 1;
    buf out = {0};
    windows_csv_rows(&out, &s, &r);
    assert_string_equal(buf_str(&out), "\"a,b\",1,0.000,150.000,90.500,30.250,0.7495,therapist\n");
    buf_free(&out);
    session_free(&s);
}

/* category_cells after other cells and as a row's first cells; NAN rates
 * (no words) are empty cells. */
static void test_category_cells(void **state)
{
    (void)state;
    size_t counts[3] = {0, 7, 12345};
    talk_stats t = {.words = 300, .category = counts};
    buf out = {0};
    csv_row row;
    csv_row_start(&row, &out);
    csv_uint(&row, 1);
    category_cells(&row, &t, 3);
    csv_uint(&row, 2);
    assert_string_equal(buf_str(&out), "1,0,0.0000,7,23.3333,12345,41150.0000,2");
    assert_int_equal(row.cells, 8);
    buf_clear(&out);
    t.words = 0;
    csv_row_start(&row, &out);
    category_cells(&row, &t, 2);
    csv_row_end(&row);
    assert_string_equal(buf_str(&out), "0,,7,\n");
    buf_clear(&out);
    csv_row_start(&row, &out);
    category_cells(&row, &t, 0);
    assert_int_equal(out.len, 0);
    assert_int_equal(row.cells, 0);
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flags_from_matches),
        cmocka_unit_test(test_category_counts),
        cmocka_unit_test(test_rows_match_cells),
        cmocka_unit_test(test_window_row_bytes),
        cmocka_unit_test(test_category_cells),
    };
    return cmocka_run_group_tests_name("analysis", tests, NULL, NULL);
}
