/* quality.c: ROC AUC of session measures for high vs low MI quality
 * (quality.h). */
#include "quality.h"
#include "metrics.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Chosen before looking at the data, from the literature in
 * docs/validation.md: talk share and turn length (ReadMI; Rueda et al.),
 * MITI's R:Q and share of open questions, directive and collaborative
 * language, client change talk. */
static const measure_def dyad_measures[] = {
    {"therapist word share", M_COLUMN, "therapist_word_share", NULL},
    {"client word share", M_COLUMN, "client_word_share", NULL},
    {"MLT therapist (words)", M_COLUMN, "therapist_mlt", NULL},
    {"MLT client (words)", M_COLUMN, "client_mlt", NULL},
    {"client words per utterance", M_RATIO, "client_words", "client_utterances"},
    {"therapist longest turn (words)", M_COLUMN, "therapist_max_turn_words", NULL},
    {"therapist share of words in turns > 100 words", M_COLUMN, "therapist_long_turn_share", NULL},
    {"therapist questions per 1k words", M_PER1K, "therapist_questions", "therapist_words"},
    {"share of open questions (open / (open + closed))", M_SHARE, "therapist_open_questions",
     "therapist_closed_questions"},
    {"reflection-to-question ratio (`reflection` matches / questions)", M_RATIO,
     "therapist_reflection", "therapist_questions"},
    {"therapist `reflection` per 1k", M_COLUMN, "therapist_reflection_per1k", NULL},
    {"therapist `directive` per 1k", M_COLUMN, "therapist_directive_per1k", NULL},
    {"therapist `collaborative` per 1k", M_COLUMN, "therapist_collaborative_per1k", NULL},
    {"therapist `autonomy` per 1k", M_COLUMN, "therapist_autonomy_per1k", NULL},
    {"therapist `affirm` per 1k", M_COLUMN, "therapist_affirm_per1k", NULL},
    {"collaboration index", M_COLUMN, "collaboration_index", NULL},
    {"mean words of the client's answer to a question", M_COLUMN, "mean_answer_words", NULL},
    {"client `change_talk` per 1k", M_COLUMN, "client_change_talk_per1k", NULL},
    {"client `sustain_talk` per 1k", M_COLUMN, "client_sustain_talk_per1k", NULL},
    {"client change share (change / (change + sustain))", M_SHARE, "client_change_talk",
     "client_sustain_talk"},
};

static const measure_def expert_measures[] = {
    {"expert R:Q (reflections / questions)", M_RATIO, "reflections", "questions"},
    {"expert share of open questions", M_SHARE, "open", "closed"},
    {"expert share of complex reflections", M_SHARE, "complex", "simple"},
    {"expert advice per therapist utterance", M_RATIO, "advice", "therapist_utterances"},
    {"expert client change share (change / (change + sustain))", M_SHARE, "change", "sustain"},
};

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static double cell_number(const table *t, size_t row, const char *column)
{
    const char *s = table_cell(t, row, column ? table_column(t, column) : -1);
    if (!*s) return NAN;
    char *end;
    double v = strtod(s, &end);
    return *end ? NAN : v;
}

double measure_value(const measure_def *m, const table *t, size_t row)
{
    double a = cell_number(t, row, m->a);
    double b = m->kind == M_COLUMN ? 0 : cell_number(t, row, m->b);
    switch (m->kind) {
    case M_COLUMN: return a;
    case M_RATIO: return b != 0 ? a / b : NAN;
    case M_SHARE: return a + b != 0 ? a / (a + b) : NAN;
    case M_PER1K: return b != 0 ? 1000 * a / b : NAN;
    }
    return NAN;
}

/* The session id's last part ("AnnoMI-full/12" -> "12"). */
static const char *id_tail(const char *id)
{
    const char *slash = strrchr(id, '/');
    return slash ? slash + 1 : id;
}

static void measure_one(measure_auc *out, const measure_def *def, const table *t, int c_id,
                        int c_quality)
{
    out->def = def;
    for (int h = 0; h < N_HALVES; h++) {
        double *high = xmalloc((t->n_rows + 1) * sizeof *high);
        double *low = xmalloc((t->n_rows + 1) * sizeof *low);
        size_t nh = 0, nl = 0;
        for (size_t i = 0; i < t->n_rows; i++) {
            if (half_of_id(id_tail(table_cell(t, i, c_id))) != h) continue;
            double v = measure_value(def, t, i);
            if (isnan(v)) continue;
            const char *q = table_cell(t, i, c_quality);
            if (strcmp(q, "high") == 0) high[nh++] = v;
            else if (strcmp(q, "low") == 0) low[nl++] = v;
        }
        out->auc[h] = auc_of(high, nh, low, nl);
        out->high[h] = (long)nh;
        out->low[h] = (long)nl;
        free(high);
        free(low);
    }
}

/* Per session (first annotator), the expert counts, as a table with the
 * columns the expert measures name. */
static int expert_table(const table *g, table *out, char *err, size_t err_size)
{
    int c_tid = table_column(g, "transcript_id"), c_q = table_column(g, "mi_quality");
    int c_ann = table_column(g, "annotator_id"), c_spk = table_column(g, "interlocutor");
    int c_qe = table_column(g, "question_exists"), c_qs = table_column(g, "question_subtype");
    int c_re = table_column(g, "reflection_exists"), c_rs = table_column(g, "reflection_subtype");
    int c_in = table_column(g, "therapist_input_subtype"), c_talk = table_column(g, "client_talk_type");
    if (c_tid < 0 || c_q < 0 || c_spk < 0 || c_qe < 0 || c_qs < 0 || c_re < 0 || c_rs < 0 ||
        c_in < 0 || c_talk < 0) {
        snprintf(err, err_size, "%s: not AnnoMI-full.csv (a column of the expert codes is missing)",
                 g->path);
        return -1;
    }
    buf csv = {0};
    buf_adds(&csv, "session_id,meta_mi_quality,questions,open,closed,reflections,simple,complex,"
                   "advice,change,sustain,therapist_utterances\n");
    size_t i = 0;
    while (i < g->n_rows) {
        const char *tid = table_cell(g, i, c_tid), *ann = table_cell(g, i, c_ann);
        long n[11] = {0};
        /* rows of one session are contiguous in AnnoMI; the first annotator's come first */
        for (; i < g->n_rows && strcmp(table_cell(g, i, c_tid), tid) == 0; i++) {
            if (strcmp(table_cell(g, i, c_ann), ann) != 0) continue;
            int therapist = strcmp(table_cell(g, i, c_spk), "therapist") == 0;
            n[0] += strcmp(table_cell(g, i, c_qe), "True") == 0;
            n[1] += strcmp(table_cell(g, i, c_qs), "open") == 0;
            n[2] += strcmp(table_cell(g, i, c_qs), "closed") == 0;
            n[3] += strcmp(table_cell(g, i, c_re), "True") == 0;
            n[4] += strcmp(table_cell(g, i, c_rs), "simple") == 0;
            n[5] += strcmp(table_cell(g, i, c_rs), "complex") == 0;
            n[6] += strcmp(table_cell(g, i, c_in), "advice") == 0;
            n[7] += strcmp(table_cell(g, i, c_talk), "change") == 0;
            n[8] += strcmp(table_cell(g, i, c_talk), "sustain") == 0;
            n[9] += therapist;
        }
        buf_addf(&csv, "%s,%s", tid, table_cell(g, i - 1, c_q));
        for (int k = 0; k < 10; k++) buf_addf(&csv, ",%ld", n[k]);
        buf_addc(&csv, '\n');
    }
    int rc = table_parse(out, "expert codes", buf_str(&csv), csv.len, err, err_size);
    buf_free(&csv);
    return rc;
}

int quality_auc(const table *sessions, const table *gold, quality_result *r, char *err,
                size_t err_size)
{
    memset(r, 0, sizeof *r);
    int c_id = table_column(sessions, "session_id");
    int c_quality = table_column(sessions, "meta_mi_quality");
    if (c_id < 0 || c_quality < 0) {
        snprintf(err, err_size, "%s: no column \"%s\"; is this dyad's sessions.csv of AnnoMI?",
                 sessions->path, c_id < 0 ? "session_id" : "meta_mi_quality");
        return -1;
    }
    for (size_t k = 0; k < COUNT(dyad_measures); k++)
        if (table_column(sessions, dyad_measures[k].a) < 0 ||
            (dyad_measures[k].b && table_column(sessions, dyad_measures[k].b) < 0)) {
            snprintf(err, err_size, "%s: no column \"%s\"; the validation needs dyad's default "
                     "lexicons (a category is missing) and a dyad that writes it",
                     sessions->path, table_column(sessions, dyad_measures[k].a) < 0
                         ? dyad_measures[k].a : dyad_measures[k].b);
            return -1;
        }
    table expert;
    if (expert_table(gold, &expert, err, err_size) != 0) return -1;
    r->n_dyad = COUNT(dyad_measures);
    r->n = COUNT(dyad_measures) + COUNT(expert_measures);
    r->m = xcalloc(r->n, sizeof *r->m);
    for (size_t k = 0; k < COUNT(dyad_measures); k++)
        measure_one(&r->m[k], &dyad_measures[k], sessions, c_id, c_quality);
    for (size_t k = 0; k < COUNT(expert_measures); k++)
        measure_one(&r->m[r->n_dyad + k], &expert_measures[k], &expert, 0, 1);
    for (size_t i = 0; i < sessions->n_rows; i++) {
        int h = half_of_id(id_tail(table_cell(sessions, i, c_id)));
        if (h < 0) continue;
        const char *q = table_cell(sessions, i, c_quality);
        r->sessions_high[h] += strcmp(q, "high") == 0;
        r->sessions_low[h] += strcmp(q, "low") == 0;
    }
    table_free(&expert);
    return 0;
}

void quality_free(quality_result *r)
{
    free(r->m);
    memset(r, 0, sizeof *r);
}
