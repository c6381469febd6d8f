/* agree.c: utterance-level agreement with expert codes (agree.h). */
#include "agree.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int half_of_id(const char *id)
{
    if (!*id) return -1;
    for (const char *p = id; *p; p++)
        if (*p < '0' || *p > '9') return -1;
    return (id[strlen(id) - 1] - '0') % 2 == 0 ? HALF_TRAIN : HALF_TEST;
}

int has_category(const char *categories, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = categories; *p;) {
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && memcmp(p, name, len) == 0) return 1;
        if (!end) break;
        p = end + 1;
    }
    return 0;
}

/* The column `name` of `t`, or -1 with a message naming the file. */
static int need_column(const table *t, const char *name, const char *what, char *err,
                       size_t err_size)
{
    int c = table_column(t, name);
    if (c < 0)
        snprintf(err, err_size, "%s: no column \"%s\"; is this %s?", t->path, name, what);
    return c;
}

/* ---- dyad's utterances.csv, found by line ---------------------------- */

/* Lines beyond this (not a real transcript) are left unjoined. */
#define MAX_LINE 100000000L

typedef struct join {
    const table *utts;
    int session, line, role, question, categories;
    long *by_line;   /* line -> row + 1 (0: none) */
    long max_line;
    char *used;      /* rows joined to an expert row */
} join;

static int join_init(join *j, const table *utts, char *err, size_t err_size)
{
    memset(j, 0, sizeof *j);
    j->utts = utts;
    const char *what = "dyad's utterances.csv (run dyad with --utterances)";
    if ((j->session = need_column(utts, "session_id", what, err, err_size)) < 0 ||
        (j->line = need_column(utts, "line", what, err, err_size)) < 0 ||
        (j->role = need_column(utts, "role", what, err, err_size)) < 0 ||
        (j->question = need_column(utts, "question", what, err, err_size)) < 0 ||
        (j->categories = need_column(utts, "categories", what, err, err_size)) < 0)
        return -1;
    for (size_t i = 0; i < utts->n_rows; i++) {
        long line = strtol(table_cell(utts, i, j->line), NULL, 10);
        if (line > j->max_line && line <= MAX_LINE) j->max_line = line;
    }
    j->by_line = xcalloc((size_t)j->max_line + 1, sizeof *j->by_line);
    j->used = xcalloc(utts->n_rows ? utts->n_rows : 1, 1);
    for (size_t i = 0; i < utts->n_rows; i++) {
        long line = strtol(table_cell(utts, i, j->line), NULL, 10);
        if (line > 0 && line <= j->max_line && j->by_line[line] == 0) j->by_line[line] = (long)i + 1;
    }
    return 0;
}

/* The dyad row at `line` whose session id ends in "/session", or -1. */
static long join_find(join *j, long line, const char *session)
{
    if (line <= 0 || line > j->max_line || j->by_line[line] == 0) return -1;
    long row = j->by_line[line] - 1;
    const char *id = table_cell(j->utts, (size_t)row, j->session);
    size_t n = strlen(id), k = strlen(session);
    if (n <= k || id[n - k - 1] != '/' || strcmp(id + n - k, session) != 0) return -1;
    j->used[row] = 1;
    return row;
}

static long join_unused(const join *j)
{
    long n = 0;
    for (size_t i = 0; i < j->utts->n_rows; i++) n += !j->used[i];
    return n;
}

static void join_free(join *j)
{
    free(j->by_line);
    free(j->used);
}

/* ---- sessions seen, per half --------------------------------------- */

typedef struct seen {
    char **id;
    char **annotator;
    long *fp_question, *fp_advice;   /* per session: dyad yes, coder no */
    size_t n, cap;
} seen;

/* The index of session `id`, registered with `annotator` as its first
 * annotator when it is new (*is_new is set then). */
static size_t seen_index(seen *s, const char *id, const char *annotator, int *is_new)
{
    *is_new = 0;
    for (size_t i = s->n; i-- > 0;)
        if (strcmp(s->id[i], id) == 0) return i;
    size_t old_cap = s->cap;
    s->id = xgrow(s->id, &s->cap, s->n + 1, sizeof *s->id);
    if (s->cap != old_cap) {
        s->annotator = xrealloc(s->annotator, s->cap * sizeof *s->annotator);
        s->fp_question = xrealloc(s->fp_question, s->cap * sizeof *s->fp_question);
        s->fp_advice = xrealloc(s->fp_advice, s->cap * sizeof *s->fp_advice);
    }
    s->id[s->n] = xstrdup(id);
    s->annotator[s->n] = xstrdup(annotator);
    s->fp_question[s->n] = s->fp_advice[s->n] = 0;
    *is_new = 1;
    return s->n++;
}

static void seen_free(seen *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->id[i]);
        free(s->annotator[i]);
    }
    free(s->id);
    free(s->annotator);
    free(s->fp_question);
    free(s->fp_advice);
}

/* The 3 sessions of half `h` with the most of `count`: their sum and ids. */
static void top_sessions(const seen *s, const long *count, int h, miss_profile *m)
{
    size_t best[3];
    int n_best = 0;
    for (int k = 0; k < 3; k++) {
        long most = 0;
        size_t at = 0;
        for (size_t i = 0; i < s->n; i++) {
            int taken = 0;
            for (int j = 0; j < n_best; j++) taken |= best[j] == i;
            if (!taken && half_of_id(s->id[i]) == h && count[i] > most) {
                most = count[i];
                at = i;
            }
        }
        if (most == 0) break;
        best[n_best++] = at;
        m->fp_top += most;
    }
    snprintf(m->top_sessions, sizeof m->top_sessions, "%s", n_best ? "" : "none");
    for (int j = 0; j < n_best; j++) {
        size_t used = strlen(m->top_sessions);
        snprintf(m->top_sessions + used, sizeof m->top_sessions - used, "%s%s", j ? ", " : "",
                 s->id[best[j]]);
    }
}

/* ---- the training half's disagreements ------------------------------ */

typedef struct dump_files {
    FILE *f[16];   /* one per agreement row, and one for open vs closed */
} dump_files;
_Static_assert(AN_ROWS < 16 && ES_ROWS < 16, "dump_files needs a file per row and one more");

static void dump_open(dump_files *df, const error_dump *dump, const agreement_row *rows,
                      size_t n_rows, const char *extra)
{
    memset(df, 0, sizeof *df);
    if (!dump || !dump->dir) return;
    char path[4096];
    for (size_t i = 0; i <= n_rows; i++) {
        const char *id = i < n_rows ? rows[i].id : extra;
        if (!id) continue;
        snprintf(path, sizeof path, "%s/%s.tsv", dump->dir, id);
        df->f[i] = fopen(path, "w");
        if (!df->f[i]) fprintf(stderr, "validate: cannot write %s: %s\n", path, strerror(errno));
    }
}

static void dump_line(FILE *f, const char *kind, const char *session, long line,
                      const char *categories, const char *text)
{
    if (!f) return;
    fprintf(f, "%s\t%s\t%ld\t%s\t", kind, session, line, categories);
    for (const char *p = text; *p; p++) fputc(*p == '\n' || *p == '\t' ? ' ' : *p, f);
    fputc('\n', f);
}

static void dump_close(dump_files *df)
{
    for (size_t i = 0; i < sizeof df->f / sizeof df->f[0]; i++)
        if (df->f[i]) fclose(df->f[i]);
}

/* Count one expert/dyad pair into row `k`, listing a training disagreement. */
static void score(agreement_row *rows, size_t k, int half, int expert, int dyad,
                  const dump_files *df, const char *session, long line, const char *cats,
                  const char *text)
{
    confusion_add(&rows[k].half[half], expert, dyad);
    if (half == HALF_TRAIN && expert != dyad)
        dump_line(df->f[k], expert ? "fn" : "fp", session, line, cats, text);
}

/* ---- AnnoMI --------------------------------------------------------- */

static const agreement_row annomi_rows[AN_ROWS] = {
    {"question", "question (question_exists)", "`question` = 1 (a `?`)", {{0}}},
    {"question_any", "question (question_exists)",
     "a `?`, or `open_question` or `closed_question` matched", {{0}}},
    {"reflection", "reflection, simple or complex (reflection_exists)", "`reflection` matched", {{0}}},
    {"advice", "therapist input: advice (therapist_input_subtype)", "`directive` matched", {{0}}},
    {"change", "client change talk (client_talk_type)", "`change_talk` matched", {{0}}},
    {"sustain", "client sustain talk (client_talk_type)", "`sustain_talk` matched", {{0}}},
};

typedef struct annomi_cols {
    int tid, speaker, annotator, q, qsub, refl, rsub, input, talk, text, behaviour;
} annomi_cols;

static int annomi_columns(const table *g, annomi_cols *c, char *err, size_t err_size)
{
    const char *what = "AnnoMI-full.csv";
    if ((c->tid = need_column(g, "transcript_id", what, err, err_size)) < 0 ||
        (c->speaker = need_column(g, "interlocutor", what, err, err_size)) < 0 ||
        (c->q = need_column(g, "question_exists", what, err, err_size)) < 0 ||
        (c->qsub = need_column(g, "question_subtype", what, err, err_size)) < 0 ||
        (c->refl = need_column(g, "reflection_exists", what, err, err_size)) < 0 ||
        (c->rsub = need_column(g, "reflection_subtype", what, err, err_size)) < 0 ||
        (c->input = need_column(g, "therapist_input_subtype", what, err, err_size)) < 0 ||
        (c->talk = need_column(g, "client_talk_type", what, err, err_size)) < 0 ||
        (c->text = need_column(g, "utterance_text", what, err, err_size)) < 0 ||
        (c->behaviour = need_column(g, "main_therapist_behaviour", what, err, err_size)) < 0)
        return -1;
    c->annotator = table_column(g, "annotator_id");   /* AnnoMI-simple has none */
    return 0;
}

static void open_closed_add(open_closed *oc, const char *expert, int open, int closed, FILE *dump,
                            const char *session, long line, const char *cats, const char *text)
{
    int expert_open = strcmp(expert, "open") == 0;
    int dyad_open = open && !closed, dyad_closed = !open, strict_closed = closed && !open;
    int right = expert_open ? dyad_open : dyad_closed;
    oc->n++;
    oc->both += open && closed;
    oc->neither += !open && !closed;
    oc->correct += right;
    oc->correct_strict += expert_open ? dyad_open : strict_closed;
    oc->open_as_closed += expert_open && dyad_closed;
    oc->closed_as_open += !expert_open && dyad_open;
    confusion_add(&oc->open, expert_open, dyad_open);
    confusion_add(&oc->closed, !expert_open, dyad_closed);
    if (!right)
        dump_line(dump, expert_open ? "open" : "closed", session, line, cats, text);
}

/* One expert-coded row joined with dyad's utterance (if any). */
typedef struct coded_row {
    const table *g;
    size_t i;                /* the row in g */
    const annomi_cols *c;
    int half;
    const char *tid;
    long line;
    const char *cats;        /* dyad's categories ("" without an utterance) */
    int question;            /* dyad's `question` */
    const dump_files *df;
    seen *sessions;
    size_t session;          /* the row's session in `sessions` */
} coded_row;

static int behaviour_of(const char *b)
{
    return strcmp(b, "question") == 0 ? BEH_QUESTION : strcmp(b, "reflection") == 0 ? BEH_REFLECTION
         : strcmp(b, "therapist_input") == 0 ? BEH_INPUT : BEH_OTHER;
}

/* A row cut off at either end, as transcribers mark an interrupted
 * utterance ("-and then-", "so you--", "well—"). */
static int is_fragment(const char *text)
{
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\n')) n--;
    const char *start = text + strspn(text, " \n");
    return *start == '-' || (n > 0 && text[n - 1] == '-') ||
           (n >= 3 && memcmp(text + n - 3, "\xE2\x80\x94", 3) == 0);
}

/* Where dyad said yes and the coder no, or the other way round. */
static void profile_miss(miss_profile *m, long *session_fp, const coded_row *x, int expert,
                         int dyad)
{
    const char *text = table_cell(x->g, x->i, x->c->text);
    if (dyad && !expert) {
        m->fp_by_behaviour[behaviour_of(table_cell(x->g, x->i, x->c->behaviour))]++;
        session_fp[x->session]++;
    } else if (expert && !dyad) {
        m->fn_fragment += is_fragment(text);
        m->fn_no_mark += strchr(text, '?') == NULL;
    }
}

static void annomi_therapist(annomi_result *r, const coded_row *x)
{
    const table *g = x->g;
    const char *text = table_cell(g, x->i, x->c->text), *cats = x->cats;
    int half = x->half;
    int refl = has_category(cats, "reflection");
    int expert_q = strcmp(table_cell(g, x->i, x->c->q), "True") == 0;
    int expert_refl = strcmp(table_cell(g, x->i, x->c->refl), "True") == 0;
    int expert_advice = strcmp(table_cell(g, x->i, x->c->input), "advice") == 0;
    int directive = has_category(cats, "directive");
    int open = has_category(cats, "open_question"), closed = has_category(cats, "closed_question");
    score(r->row, AN_QUESTION, half, expert_q, x->question, x->df, x->tid, x->line, cats, text);
    score(r->row, AN_QUESTION_ANY, half, expert_q, x->question || open || closed, x->df, x->tid,
          x->line, cats, text);
    score(r->row, AN_REFLECTION, half, expert_refl, refl, x->df, x->tid, x->line, cats, text);
    score(r->row, AN_ADVICE, half, expert_advice, directive, x->df, x->tid, x->line, cats, text);
    profile_miss(&r->question_miss[half], x->sessions->fp_question, x, expert_q, x->question);
    profile_miss(&r->advice_miss[half], x->sessions->fp_advice, x, expert_advice, directive);
    const char *qsub = table_cell(g, x->i, x->c->qsub);
    if (expert_q && x->question && (strcmp(qsub, "open") == 0 || strcmp(qsub, "closed") == 0))
        open_closed_add(&r->oc[half], qsub, open, closed,
                        half == HALF_TRAIN ? x->df->f[AN_ROWS] : NULL, x->tid, x->line, cats, text);
    const char *rsub = table_cell(g, x->i, x->c->rsub);
    if (expert_refl && strcmp(rsub, "simple") == 0) {
        r->reflection_simple[half]++;
        r->reflection_simple_found[half] += refl;
    } else if (expert_refl && strcmp(rsub, "complex") == 0) {
        r->reflection_complex[half]++;
        r->reflection_complex_found[half] += refl;
    }
}

int annomi_agreement(const table *g, const table *utts, annomi_result *r,
                     const error_dump *dump, char *err, size_t err_size)
{
    memset(r, 0, sizeof *r);
    memcpy(r->row, annomi_rows, sizeof annomi_rows);
    annomi_cols c;
    join j;
    if (annomi_columns(g, &c, err, err_size) != 0 || join_init(&j, utts, err, err_size) != 0)
        return -1;
    dump_files df;
    dump_open(&df, dump, r->row, AN_ROWS, "openclosed");
    seen sessions = {0};
    int rc = 0;
    for (size_t i = 0; i < g->n_rows; i++) {
        const char *tid = table_cell(g, i, c.tid);
        long line = g->rows[i].line;
        int half = half_of_id(tid), is_new;
        if (half < 0) {
            snprintf(err, err_size, "%s:%ld: transcript_id \"%s\" is not a number; the split into "
                     "halves uses its parity", g->path, line, tid);
            rc = -1;
            break;
        }
        const char *annotator = table_cell(g, i, c.annotator);
        size_t session = seen_index(&sessions, tid, annotator, &is_new);
        if (strcmp(sessions.annotator[session], annotator) != 0) continue;
        r->count[half].sessions += is_new;
        long d = join_find(&j, line, tid);
        const char *cats = d >= 0 ? table_cell(utts, (size_t)d, j.categories) : "";
        int question = d >= 0 && strcmp(table_cell(utts, (size_t)d, j.question), "1") == 0;
        const char *speaker = table_cell(g, i, c.speaker);
        if (d < 0) r->count[half].no_words++;
        else if (strcmp(table_cell(utts, (size_t)d, j.role), speaker) != 0) r->role_mismatch++;
        if (strcmp(speaker, "therapist") == 0) {
            r->count[half].therapist_rows++;
            coded_row x = {g, i, &c, half, tid, line, cats, question, &df, &sessions, session};
            annomi_therapist(r, &x);
        } else if (strcmp(speaker, "client") == 0) {
            r->count[half].client_rows++;
            const char *talk = table_cell(g, i, c.talk), *text = table_cell(g, i, c.text);
            score(r->row, AN_CHANGE, half, strcmp(talk, "change") == 0,
                  has_category(cats, "change_talk"), &df, tid, line, cats, text);
            score(r->row, AN_SUSTAIN, half, strcmp(talk, "sustain") == 0,
                  has_category(cats, "sustain_talk"), &df, tid, line, cats, text);
        }
    }
    r->unjoined = join_unused(&j);
    for (int h = 0; h < N_HALVES; h++) {
        top_sessions(&sessions, sessions.fp_question, h, &r->question_miss[h]);
        top_sessions(&sessions, sessions.fp_advice, h, &r->advice_miss[h]);
    }
    seen_free(&sessions);
    dump_close(&df);
    join_free(&j);
    return rc;
}

/* ---- ESConv --------------------------------------------------------- */

static const agreement_row esconv_rows[ES_ROWS] = {
    {"es_question", "Question", "`question` = 1 (a `?`)", {{0}}},
    {"es_question_any", "Question", "a `?`, or `open_question` or `closed_question` matched", {{0}}},
    {"es_reflection", "Reflection of feelings or Restatement or Paraphrasing", "`reflection` matched",
     {{0}}},
    {"es_reflection_feelings", "Reflection of feelings", "`reflection` matched", {{0}}},
    {"es_restatement", "Restatement or Paraphrasing", "`reflection` matched", {{0}}},
    {"es_suggestions", "Providing Suggestions", "`directive` matched", {{0}}},
};

int esconv_agreement(const table *g, const table *utts, esconv_result *r,
                     const error_dump *dump, char *err, size_t err_size)
{
    memset(r, 0, sizeof *r);
    memcpy(r->row, esconv_rows, sizeof esconv_rows);
    const char *what = "an ESConv file converted by 'validate esconv'";
    int c_id, c_role, c_strategy, c_text;
    join j;
    if ((c_id = need_column(g, "session_id", what, err, err_size)) < 0 ||
        (c_role = need_column(g, "role", what, err, err_size)) < 0 ||
        (c_strategy = need_column(g, "strategy", what, err, err_size)) < 0 ||
        (c_text = need_column(g, "text", what, err, err_size)) < 0 ||
        join_init(&j, utts, err, err_size) != 0)
        return -1;
    dump_files df;
    dump_open(&df, dump, r->row, ES_ROWS, NULL);
    seen sessions = {0};
    int rc = 0;
    for (size_t i = 0; i < g->n_rows; i++) {
        const char *id = table_cell(g, i, c_id);
        long line = g->rows[i].line;
        int half = half_of_id(id), is_new;
        if (half < 0) {
            snprintf(err, err_size, "%s:%ld: session_id \"%s\" is not a number; convert the "
                     "ESConv files with 'validate esconv'", g->path, line, id);
            rc = -1;
            break;
        }
        seen_index(&sessions, id, "", &is_new);
        r->count[half].sessions += is_new;
        long d = join_find(&j, line, id);
        const char *role = table_cell(g, i, c_role);
        if (d < 0) r->count[half].no_words++;
        else if (strcmp(table_cell(utts, (size_t)d, j.role), role) != 0) r->role_mismatch++;
        if (strcmp(role, "therapist") != 0) {
            r->count[half].client_rows++;
            continue;
        }
        r->count[half].therapist_rows++;
        const char *cats = d >= 0 ? table_cell(utts, (size_t)d, j.categories) : "";
        const char *strategy = table_cell(g, i, c_strategy), *text = table_cell(g, i, c_text);
        int question = d >= 0 && strcmp(table_cell(utts, (size_t)d, j.question), "1") == 0;
        int any = question || has_category(cats, "open_question") ||
                  has_category(cats, "closed_question");
        int refl = has_category(cats, "reflection");
        int feelings = strcmp(strategy, "Reflection of feelings") == 0;
        int restate = strcmp(strategy, "Restatement or Paraphrasing") == 0;
        int is_question = strcmp(strategy, "Question") == 0;
        score(r->row, ES_QUESTION, half, is_question, question, &df, id, line, cats, text);
        score(r->row, ES_QUESTION_ANY, half, is_question, any, &df, id, line, cats, text);
        score(r->row, ES_REFLECTION, half, feelings || restate, refl, &df, id, line, cats, text);
        score(r->row, ES_REFLECTION_FEELINGS, half, feelings, refl, &df, id, line, cats, text);
        score(r->row, ES_RESTATEMENT, half, restate, refl, &df, id, line, cats, text);
        score(r->row, ES_SUGGESTIONS, half, strcmp(strategy, "Providing Suggestions") == 0,
              has_category(cats, "directive"), &df, id, line, cats, text);
    }
    r->unjoined = join_unused(&j);
    seen_free(&sessions);
    dump_close(&df);
    join_free(&j);
    return rc;
}
