/* sessions_csv.c: sessions.csv, one row per session (columns in README's codebook).
 *
 * The fixed columns are one table of (name, value function) so that the
 * header and the rows cannot drift apart; the lexicon's categories follow,
 * for each role, then (written at the end of the run) the meta_ columns. */
#include "writers/csv.h"
#include "writers/reports.h"

#include <math.h>
#include <stdio.h>

static const role ROLE_COLUMNS[] = {ROLE_THERAPIST, ROLE_CLIENT};
#define N_ROLE_COLUMNS (sizeof ROLE_COLUMNS / sizeof ROLE_COLUMNS[0])

typedef struct row_ctx {
    const session *s;
    const session_result *r;
    const lexicon *lx;
    const talk_stats *t, *c;      /* therapist and client */
} row_ctx;

typedef void (*cell_fn)(csv_row *row, const row_ctx *x);

typedef struct column {
    const char *name;
    cell_fn cell;
} column;

static double all_time(const session_result *r)
{
    return r->roles[ROLE_THERAPIST].speaking_time + r->roles[ROLE_CLIENT].speaking_time +
           r->roles[ROLE_OTHER].speaking_time;
}

static double timed_value(const session_result *r, double v)
{
    return r->timed ? v : NAN;
}

static double wpm(const talk_stats *t)
{
    return ratio((double)t->timed_words, t->speaking_time / 60.0);
}

/* Category rate per 1,000 words in a segment, or NAN. */
static double segment_rate(const segment_result *g, role ro, int cat)
{
    if (cat < 0) return NAN;
    return ratio(1000.0 * (double)g->roles[ro].category[cat], (double)g->roles[ro].words);
}

static double segment_word_share(const segment_result *g, role ro)
{
    size_t all = g->roles[ROLE_THERAPIST].words + g->roles[ROLE_CLIENT].words + g->roles[ROLE_OTHER].words;
    return ratio((double)g->roles[ro].words, (double)all);
}

/* Last segment minus first segment; NAN without segments. */
static double trend(const session_result *r, role ro, const lexicon *lx, const char *category)
{
    if (r->n_segments < 2) return NAN;
    const segment_result *a = &r->segments[0], *b = &r->segments[r->n_segments - 1];
    if (!category) return segment_word_share(b, ro) - segment_word_share(a, ro);
    int cat = lexicon_category_index(lx, category);
    return segment_rate(b, ro, cat) - segment_rate(a, ro, cat);
}

static size_t count_windows(const session_result *r, window_label label)
{
    size_t n = 0;
    for (size_t k = 0; k < r->n_windows; k++) n += r->windows[k].label == label;
    return n;
}

static double mean_answer(const answer_stats *a)
{
    return ratio((double)a->answer_words, (double)a->questions);
}

#define UINT_CELL(fn, expr) \
    static void fn(csv_row *row, const row_ctx *x) { (void)x; csv_uint(row, (expr)); }
#define REAL_CELL(fn, expr) \
    static void fn(csv_row *row, const row_ctx *x) { (void)x; csv_real(row, (expr)); }
#define SECONDS_CELL(fn, expr) \
    static void fn(csv_row *row, const row_ctx *x) { (void)x; csv_seconds(row, (expr)); }

static void c_session_id(csv_row *row, const row_ctx *x) { csv_text(row, x->s->id); }
static void c_source(csv_row *row, const row_ctx *x) { csv_text(row, x->s->source); }
static size_t active_speakers(const session_result *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_speakers; i++) n += r->speakers[i].utterances > 0;
    return n;
}
UINT_CELL(c_speakers, active_speakers(x->r))
UINT_CELL(c_utterances, x->r->n_utts)
UINT_CELL(c_words, x->r->words)
UINT_CELL(c_turns, x->r->turns)
UINT_CELL(c_t_words, x->t->words)
UINT_CELL(c_c_words, x->c->words)
UINT_CELL(c_o_words, x->r->roles[ROLE_OTHER].words)
REAL_CELL(c_t_word_share, ratio((double)x->t->words, (double)x->r->words))
REAL_CELL(c_c_word_share, ratio((double)x->c->words, (double)x->r->words))
REAL_CELL(c_word_balance, balance((double)x->t->words, (double)x->c->words))
UINT_CELL(c_t_utts, x->t->utterances)
UINT_CELL(c_c_utts, x->c->utterances)
UINT_CELL(c_t_turns, x->t->turns)
UINT_CELL(c_c_turns, x->c->turns)
REAL_CELL(c_t_mlt, ratio((double)x->t->turn_words, (double)x->t->turns))
REAL_CELL(c_c_mlt, ratio((double)x->c->turn_words, (double)x->c->turns))
UINT_CELL(c_t_max_turn, x->t->max_turn_words)
UINT_CELL(c_c_max_turn, x->c->max_turn_words)
UINT_CELL(c_t_questions, x->t->questions)
UINT_CELL(c_c_questions, x->c->questions)
UINT_CELL(c_t_backchannels, x->t->backchannels)
UINT_CELL(c_c_backchannels, x->c->backchannels)
REAL_CELL(c_collaboration, collaboration_index(x->r, x->lx))
REAL_CELL(c_t_turn_share, ratio((double)x->t->turns, (double)x->r->turns))
REAL_CELL(c_c_turn_share, ratio((double)x->c->turns, (double)x->r->turns))
REAL_CELL(c_turn_balance, balance((double)x->t->turns, (double)x->c->turns))
REAL_CELL(c_turn_taking_index, ratio((double)x->r->turns - 1.0, (double)x->r->n_utts - 1.0))
REAL_CELL(c_t_long_share, ratio((double)x->t->long_turn_words, (double)x->t->words))
REAL_CELL(c_c_long_share, ratio((double)x->c->long_turn_words, (double)x->c->words))
UINT_CELL(c_t_interrupts, x->t->interruptions)
UINT_CELL(c_c_interrupts, x->c->interruptions)
UINT_CELL(c_t_open, x->t->open_questions)
UINT_CELL(c_t_closed, x->t->closed_questions)
UINT_CELL(c_answered, x->r->answers.questions)
REAL_CELL(c_answer_words, mean_answer(&x->r->answers))
UINT_CELL(c_open_answered, x->r->open_answers.questions)
REAL_CELL(c_open_answer_words, mean_answer(&x->r->open_answers))
UINT_CELL(c_closed_answered, x->r->closed_answers.questions)
REAL_CELL(c_closed_answer_words, mean_answer(&x->r->closed_answers))
UINT_CELL(c_switches, x->r->switches)
REAL_CELL(c_switches_per_minute, ratio((double)x->r->switches, x->r->duration / 60.0))
REAL_CELL(c_switches_per_100_words, ratio(100.0 * (double)x->r->switches, (double)x->r->words))
UINT_CELL(c_timed, (size_t)x->r->timed)
UINT_CELL(c_times_estimated, (size_t)x->s->times_estimated)
SECONDS_CELL(c_duration, x->r->duration)
SECONDS_CELL(c_t_time, timed_value(x->r, x->t->speaking_time))
SECONDS_CELL(c_c_time, timed_value(x->r, x->c->speaking_time))
REAL_CELL(c_t_time_share, timed_value(x->r, ratio(x->t->speaking_time, all_time(x->r))))
REAL_CELL(c_c_time_share, timed_value(x->r, ratio(x->c->speaking_time, all_time(x->r))))
REAL_CELL(c_time_balance, timed_value(x->r, balance(x->t->speaking_time, x->c->speaking_time)))
static double balance_score(const talk_stats *t, const talk_stats *c)
{
    double a = t->speaking_time, b = c->speaking_time;
    return ratio(a > b ? a : b, a + b);
}
REAL_CELL(c_balance_score, timed_value(x->r, balance_score(x->t, x->c)))
REAL_CELL(c_t_wpm, timed_value(x->r, wpm(x->t)))
REAL_CELL(c_c_wpm, timed_value(x->r, wpm(x->c)))
SECONDS_CELL(c_t_max_turn_seconds, x->t->max_turn_seconds)
SECONDS_CELL(c_c_max_turn_seconds, x->c->max_turn_seconds)

#define TRANSFER_CELLS(prefix, dir)                                                              \
    static void prefix##_count(csv_row *row, const row_ctx *x)                                   \
    {                                                                                            \
        if (x->r->timed) csv_uint(row, x->r->transfers[dir].count);                              \
        else csv_empty(row);                                                                     \
    }                                                                                            \
    SECONDS_CELL(prefix##_median, x->r->transfers[dir].median)                                   \
    SECONDS_CELL(prefix##_iqr, x->r->transfers[dir].iqr)                                         \
    REAL_CELL(prefix##_overlap, x->r->transfers[dir].overlap_share)                              \
    REAL_CELL(prefix##_long, x->r->transfers[dir].long_silence_share)                            \
    SECONDS_CELL(prefix##_longest, x->r->transfers[dir].longest_silence)
TRANSFER_CELLS(c_t2c, THERAPIST_TO_CLIENT)
TRANSFER_CELLS(c_c2t, CLIENT_TO_THERAPIST)

static void c_windows(csv_row *row, const row_ctx *x)
{
    if (x->r->n_windows) csv_uint(row, x->r->n_windows);
    else csv_empty(row);
}
static void window_count_cell(csv_row *row, const row_ctx *x, window_label label)
{
    if (x->r->n_windows) csv_uint(row, count_windows(x->r, label));
    else csv_empty(row);
}
static void c_windows_t(csv_row *row, const row_ctx *x) { window_count_cell(row, x, WINDOW_THERAPIST); }
static void c_windows_c(csv_row *row, const row_ctx *x) { window_count_cell(row, x, WINDOW_CLIENT); }
static void c_windows_b(csv_row *row, const row_ctx *x) { window_count_cell(row, x, WINDOW_BALANCED); }
static void c_dynamics(csv_row *row, const row_ctx *x) { csv_text(row, x->r->dynamics ? x->r->dynamics : ""); }
static void c_primary(csv_row *row, const row_ctx *x)
{
    csv_text(row, x->r->primary_role >= 0 ? role_name((role)x->r->primary_role) : "");
}
REAL_CELL(c_t_share_trend, trend(x->r, ROLE_THERAPIST, x->lx, NULL))
REAL_CELL(c_c_share_trend, trend(x->r, ROLE_CLIENT, x->lx, NULL))
REAL_CELL(c_t_directive_trend, trend(x->r, ROLE_THERAPIST, x->lx, "directive"))
REAL_CELL(c_t_collab_trend, trend(x->r, ROLE_THERAPIST, x->lx, "collaborative"))
REAL_CELL(c_c_directive_trend, trend(x->r, ROLE_CLIENT, x->lx, "directive"))
REAL_CELL(c_c_collab_trend, trend(x->r, ROLE_CLIENT, x->lx, "collaborative"))

static const column COLUMNS[] = {
    {"session_id", c_session_id},
    {"source", c_source},
    {"speakers", c_speakers},
    {"utterances", c_utterances},
    {"words", c_words},
    {"turns", c_turns},
    {"therapist_words", c_t_words},
    {"client_words", c_c_words},
    {"other_words", c_o_words},
    {"therapist_word_share", c_t_word_share},
    {"client_word_share", c_c_word_share},
    {"word_balance", c_word_balance},
    {"therapist_utterances", c_t_utts},
    {"client_utterances", c_c_utts},
    {"therapist_turns", c_t_turns},
    {"client_turns", c_c_turns},
    {"therapist_mlt", c_t_mlt},
    {"client_mlt", c_c_mlt},
    {"therapist_max_turn_words", c_t_max_turn},
    {"client_max_turn_words", c_c_max_turn},
    {"therapist_questions", c_t_questions},
    {"client_questions", c_c_questions},
    {"therapist_backchannels", c_t_backchannels},
    {"client_backchannels", c_c_backchannels},
    {"collaboration_index", c_collaboration},
    {"therapist_turn_share", c_t_turn_share},
    {"client_turn_share", c_c_turn_share},
    {"turn_balance", c_turn_balance},
    {"turn_taking_index", c_turn_taking_index},
    {"therapist_long_turn_share", c_t_long_share},
    {"client_long_turn_share", c_c_long_share},
    {"therapist_interrupts", c_t_interrupts},
    {"client_interrupts", c_c_interrupts},
    {"therapist_open_questions", c_t_open},
    {"therapist_closed_questions", c_t_closed},
    {"questions_answered", c_answered},
    {"mean_answer_words", c_answer_words},
    {"open_questions_answered", c_open_answered},
    {"mean_answer_words_open", c_open_answer_words},
    {"closed_questions_answered", c_closed_answered},
    {"mean_answer_words_closed", c_closed_answer_words},
    {"switches", c_switches},
    {"switches_per_minute", c_switches_per_minute},
    {"switches_per_100_words", c_switches_per_100_words},
    {"timed", c_timed},
    {"times_estimated", c_times_estimated},
    {"duration", c_duration},
    {"therapist_speaking_time", c_t_time},
    {"client_speaking_time", c_c_time},
    {"therapist_time_share", c_t_time_share},
    {"client_time_share", c_c_time_share},
    {"time_balance", c_time_balance},
    {"balance_score", c_balance_score},
    {"therapist_wpm", c_t_wpm},
    {"client_wpm", c_c_wpm},
    {"therapist_max_turn_seconds", c_t_max_turn_seconds},
    {"client_max_turn_seconds", c_c_max_turn_seconds},
    {"therapist_to_client_transfers", c_t2c_count},
    {"therapist_to_client_median_offset", c_t2c_median},
    {"therapist_to_client_offset_iqr", c_t2c_iqr},
    {"therapist_to_client_overlap_share", c_t2c_overlap},
    {"therapist_to_client_long_silence_share", c_t2c_long},
    {"therapist_to_client_longest_silence", c_t2c_longest},
    {"client_to_therapist_transfers", c_c2t_count},
    {"client_to_therapist_median_offset", c_c2t_median},
    {"client_to_therapist_offset_iqr", c_c2t_iqr},
    {"client_to_therapist_overlap_share", c_c2t_overlap},
    {"client_to_therapist_long_silence_share", c_c2t_long},
    {"client_to_therapist_longest_silence", c_c2t_longest},
    {"windows", c_windows},
    {"windows_therapist_led", c_windows_t},
    {"windows_client_led", c_windows_c},
    {"windows_balanced", c_windows_b},
    {"primary_speaker", c_primary},
    {"talk_dynamics", c_dynamics},
    {"therapist_word_share_trend", c_t_share_trend},
    {"client_word_share_trend", c_c_share_trend},
    {"therapist_directive_trend", c_t_directive_trend},
    {"therapist_collaborative_trend", c_t_collab_trend},
    {"client_directive_trend", c_c_directive_trend},
    {"client_collaborative_trend", c_c_collab_trend},
};
#define N_COLUMNS (sizeof COLUMNS / sizeof COLUMNS[0])

static void header_cell(csv_row *row, const char *prefix, const char *name, const char *suffix)
{
    buf b = {0};
    buf_addf(&b, "%s%s%s", prefix, name, suffix);
    csv_text(row, buf_str(&b));
    buf_free(&b);
}

void sessions_csv_header(buf *out, const lexicon *lx)
{
    csv_row row;
    csv_row_start(&row, out);
    for (size_t i = 0; i < N_COLUMNS; i++) csv_text(&row, COLUMNS[i].name);
    for (size_t k = 0; k < N_ROLE_COLUMNS; k++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "%s_", role_name(ROLE_COLUMNS[k]));
        for (size_t c = 0; c < lexicon_category_count(lx); c++) {
            header_cell(&row, prefix, lexicon_category_name(lx, c), "");
            header_cell(&row, prefix, lexicon_category_name(lx, c), "_per1k");
        }
    }
    csv_row_end(&row);
}

void sessions_csv_row(buf *out, const session *s, const session_result *r, const lexicon *lx)
{
    row_ctx x = {.s = s, .r = r, .lx = lx, .t = &r->roles[ROLE_THERAPIST], .c = &r->roles[ROLE_CLIENT]};
    csv_row row;
    csv_row_start(&row, out);
    for (size_t i = 0; i < N_COLUMNS; i++) COLUMNS[i].cell(&row, &x);
    for (size_t k = 0; k < N_ROLE_COLUMNS; k++) category_cells(&row, &r->roles[ROLE_COLUMNS[k]], r->n_categories);
    csv_row_end(&row);
}
