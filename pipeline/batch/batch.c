/* batch.c: read, analyse and report every input (see batch.h). */
#include "batch/batch.h"
#include "writers/reports.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What one input file contributes to the reports. */
typedef struct file_output {
    buf rows[REPORT_COUNT];
    meta_table meta;            /* one row per session, for sessions.csv */
    diag_list diags;
    size_t sessions;
    int failed;                 /* the file gave no session */
    int ready;                  /* filled by a worker, not yet written */
} file_output;

static int cmp_sessions_by_id(const void *a, const void *b)
{
    return strcmp(((const session *)a)->id, ((const session *)b)->id);
}

/* What one worker thread keeps from file to file: the analysis' working
 * memory (its lexicon word memo among it) and matches.csv's escaped rule
 * cells. */
typedef struct thread_scratch {
    analysis_scratch *analysis;
    matches_cache *matches;
} thread_scratch;

static void thread_scratch_init(thread_scratch *ts, const batch_config *cfg)
{
    ts->analysis = analysis_scratch_new(cfg->lexicon);
    ts->matches = cfg->analysis.keep_matches ? matches_cache_new(cfg->lexicon) : NULL;
}

static void thread_scratch_free(thread_scratch *ts)
{
    analysis_scratch_free(ts->analysis);
    matches_cache_free(ts->matches);
}

/* A file of several sessions (CSV with a session column) names each
 * "FILE/SESSION"; when that is also another input's id ("a.csv" with a
 * session "x" beside "a/x.txt") the reports would hold the id twice. Such a
 * session is dropped with an error naming both, whatever the order the
 * files are read in and whichever --shard part each is in. Returns the
 * sessions kept, moved to the front (items past the new n are stale copies
 * or freed: session_list_free stops at n). */
static size_t drop_sessions_named_like_files(const input_list *inputs, const input_file *in,
                                             session_list *sessions, diag_list *d)
{
    size_t kept = 0;
    for (size_t i = 0; i < sessions->n; i++) {
        session *s = &sessions->items[i];
        input_file twin = {0};
        if (strcmp(s->id, in->session_id) == 0 || !inputs_find(inputs, s->id, &twin)) {
            if (kept != i) sessions->items[kept] = *s;
            kept++;
            continue;
        }
        diag_add(d, in->path, s->n_utts ? s->utts[0].line : 0, SEV_ERROR,
                 "session id '%s' (this file's name and its session column) is also the id of %s; "
                 "rename the file or the session (this session was not analysed)",
                 s->id, twin.path);
        input_file_free(&twin);
        session_free(s);
    }
    sessions->n = kept;
    return kept;
}

/* Read one input file and analyse its sessions in the calling thread's
 * scratch, leaving their report rows and messages in out. */
static void process_file(const batch_config *cfg, const input_list *inputs, const input_file *in,
                         file_output *out, thread_scratch *scratch)
{
    session_list sessions = {0};
    preread pre = {0};
    reader_input ri = {.path = in->path, .source = in->path, .session_id = in->session_id, .pre = &pre};
    const reader_format *fmt = input_format(in, &pre, &out->diags);
    int rc = fmt ? fmt->read(&ri, &cfg->reader, &sessions, &out->diags) : -1;
    free(pre.bytes);   /* what the reader did not take */
    if (rc != 0 || sessions.n == 0) {
        if (diag_count(&out->diags, SEV_ERROR) == 0)
            diag_add(&out->diags, in->path, 0, SEV_ERROR, "no session could be read from this file");
        out->failed = 1;
        session_list_free(&sessions);
        return;
    }
    if (drop_sessions_named_like_files(inputs, in, &sessions, &out->diags) == 0) {
        out->failed = 1;
        session_list_free(&sessions);
        return;
    }
    /* several sessions in one file (CSV): rows in session_id order too */
    qsort(sessions.items, sessions.n, sizeof *sessions.items, cmp_sessions_by_id);
    for (size_t i = 0; i < sessions.n; i++) {
        session *s = &sessions.items[i];
        roles_assign(s, cfg->reader.roles, &out->diags);
        session_normalise_times(s, &out->diags);
        session_result r;
        analyse_session_in(s, cfg->lexicon, &cfg->analysis, &r, &out->diags, scratch->analysis);
        size_t before = out->rows[REPORT_SESSIONS].len;
        sessions_csv_row(&out->rows[REPORT_SESSIONS], s, &r, cfg->lexicon);
        meta_table_add_row(&out->meta, out->rows[REPORT_SESSIONS].len - before, s);
        speakers_csv_rows(&out->rows[REPORT_SPEAKERS], s, &r);
        if (cfg->analysis.keep_matches)
            matches_csv_rows_cached(&out->rows[REPORT_MATCHES], s, &r, scratch->matches);
        segments_csv_rows(&out->rows[REPORT_SEGMENTS], s, &r);
        windows_csv_rows(&out->rows[REPORT_WINDOWS], s, &r);
        if (cfg->reports.utterances)
            utterances_csv_rows(&out->rows[REPORT_UTTERANCES], s, &r, cfg->lexicon, &cfg->reports);
        session_result_free(&r);
        out->sessions++;
    }
    session_list_free(&sessions);
}

static void file_output_free(file_output *o)
{
    for (int k = 0; k < REPORT_COUNT; k++) buf_free(&o->rows[k]);
    meta_table_free(&o->meta);
    diag_free(&o->diags);
    memset(o, 0, sizeof *o);
}

static void print_diags(const diag_list *d, size_t from, int quiet)
{
    for (size_t i = from; i < d->n; i++)
        if (!quiet || d->items[i].sev == SEV_ERROR) diag_print(&d->items[i], stderr);
}

/* The worker pool. Workers take files in order and leave their output in a
 * ring of `window` slots; the main thread writes slot after slot in input
 * order, so the reports are identical whatever the number of workers, and
 * at most `window` files' rows are held in memory at once. The main thread
 * is one of the N of -j N: while the slot it is to write next is not ready
 * it analyses the next file itself, so N threads share N cores (with a
 * writing thread beside N workers, the third one on two cores cost 5%),
 * and -j 1 starts no other thread (handing each file over cost 3% of the
 * time on 40 KB files, 15% on 4 KB ones). But with -j 1 and matches.csv,
 * whose rows are seven times the input, it only writes, beside one worker,
 * so that the writing overlaps the analysis (1.51 rather than 1.98 times
 * the run without it). SIGINT and SIGTERM are blocked in every thread and
 * taken by a signal thread (sigwait), which sets `interrupted`: no handler,
 * no global state. */
typedef struct pool {
    const batch_config *cfg;
    const input_list *inputs;
    file_output *slots;
    size_t window;
    size_t next;                /* next input to take */
    size_t written;             /* inputs written so far */
    int interrupted;            /* the signal that stopped the run, or 0 */
    pthread_mutex_t lock;
    pthread_cond_t changed;
} pool;

/* Whether a worker may take the next input: there is one, and its slot is
 * free. Called with the lock held. */
static int can_take(const pool *p)
{
    return !p->interrupted && p->next < p->inputs->n && p->next < p->written + p->window;
}

/* Analyse input i (taken under the lock, which is released meanwhile and
 * held again on return) into its slot. */
static void work_on(pool *p, size_t i, input_file *in, thread_scratch *scratch)
{
    pthread_mutex_unlock(&p->lock);
    file_output out = {0};
    inputs_get(p->inputs, i, in);
    process_file(p->cfg, p->inputs, in, &out, scratch);
    out.ready = 1;
    pthread_mutex_lock(&p->lock);
    p->slots[i % p->window] = out;
    pthread_cond_broadcast(&p->changed);
}

static void *worker(void *arg)
{
    pool *p = arg;
    thread_scratch scratch;   /* this thread's own */
    thread_scratch_init(&scratch, p->cfg);
    input_file in = {0};
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->interrupted && p->next < p->inputs->n && !can_take(p)) pthread_cond_wait(&p->changed, &p->lock);
        if (!can_take(p)) break;
        work_on(p, p->next++, &in, &scratch);
    }
    pthread_mutex_unlock(&p->lock);
    input_file_free(&in);
    thread_scratch_free(&scratch);
    return NULL;
}

static void *signal_watcher(void *arg)
{
    pool *p = arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig;
    if (sigwait(&set, &sig) == 0) {
        pthread_mutex_lock(&p->lock);
        p->interrupted = sig;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->lock);
    }
    return NULL;
}

/* Move input i's output to *out, waiting until it is ready; meanwhile,
 * with a scratch (the main thread analyses too), analysing the inputs
 * there are to take. Returns 0, or the signal that interrupted the run. */
static int take_output(pool *p, size_t i, file_output *out, input_file *in, thread_scratch *scratch)
{
    pthread_mutex_lock(&p->lock);
    while (!p->interrupted && !p->slots[i % p->window].ready) {
        if (scratch && can_take(p)) work_on(p, p->next++, in, scratch);
        else pthread_cond_wait(&p->changed, &p->lock);
    }
    int sig = p->interrupted;
    if (!sig) {
        *out = p->slots[i % p->window];
        memset(&p->slots[i % p->window], 0, sizeof *out);
        p->written = i + 1;
        pthread_cond_broadcast(&p->changed);
    }
    pthread_mutex_unlock(&p->lock);
    return sig;
}

/* Totals of the files written so far. */
typedef struct batch_totals {
    size_t sessions;
    size_t failed;
    meta_table meta;
} batch_totals;

static void write_output(report_set *rs, file_output *out, batch_totals *t, diag_list *d)
{
    for (int k = 0; k < REPORT_COUNT; k++) report_set_write(rs, (report_kind)k, &out->rows[k]);
    meta_table_append(&t->meta, &out->meta);
    t->sessions += out->sessions;
    t->failed += (size_t)out->failed;
    diag_move(d, &out->diags);
}

/* Analyse every input with the pool and write the rows in order. Returns 0,
 * or the signal that interrupted the run. */
static int run_pool(const batch_config *cfg, const input_list *inputs, report_set *rs,
                    batch_totals *t, diag_list *d, size_t *printed)
{
    size_t jobs = cfg->jobs ? cfg->jobs : 1;
    if (jobs > inputs->n) jobs = inputs->n ? inputs->n : 1;
    pool p = {.cfg = cfg, .inputs = inputs, .window = 4 * jobs};
    p.slots = xcalloc(p.window, sizeof *p.slots);
    pthread_mutex_init(&p.lock, NULL);
    pthread_cond_init(&p.changed, NULL);

    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    pthread_t watcher;
    int watching = pthread_create(&watcher, NULL, signal_watcher, &p) == 0;
    /* the main thread is the jobs-th worker, but with -j 1 and matches.csv
     * it only writes, beside one worker. If no thread can start, it
     * analyses every input itself. */
    size_t workers = jobs > 1 ? jobs - 1 : cfg->analysis.keep_matches ? 1 : 0;
    pthread_t *threads = xcalloc(workers, sizeof *threads);
    size_t started = 0;
    for (size_t k = 0; k < workers && inputs->n; k++) {
        if (pthread_create(&threads[k], NULL, worker, &p) != 0) break;
        started++;
    }
    int main_analyses = jobs > 1 || !started;
    thread_scratch scratch;
    if (main_analyses) thread_scratch_init(&scratch, cfg);

    int sig = 0;
    input_file in = {0};
    for (size_t i = 0; i < inputs->n && !sig; i++) {
        file_output out = {0};
        sig = take_output(&p, i, &out, &in, main_analyses ? &scratch : NULL);
        if (!sig) write_output(rs, &out, t, d);
        print_diags(d, *printed, cfg->quiet);
        *printed = d->n;
        file_output_free(&out);
    }
    input_file_free(&in);
    if (watching && !sig) {
        pthread_mutex_lock(&p.lock);
        sig = p.interrupted;
        pthread_mutex_unlock(&p.lock);
    }
    for (size_t k = 0; k < started; k++) pthread_join(threads[k], NULL);
    if (main_analyses) thread_scratch_free(&scratch);
    if (watching) {
        pthread_cancel(watcher);
        pthread_join(watcher, NULL);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    for (size_t k = 0; k < p.window; k++) file_output_free(&p.slots[k]);
    free(threads);
    free(p.slots);
    pthread_mutex_destroy(&p.lock);
    pthread_cond_destroy(&p.changed);
    return sig;
}

static void iso_time_now(char *out, size_t n)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}


static void write_headers(report_set *rs, const batch_config *cfg)
{
    buf h[REPORT_COUNT] = {{0}};
    speakers_csv_header(&h[REPORT_SPEAKERS], cfg->lexicon);
    matches_csv_header(&h[REPORT_MATCHES]);
    segments_csv_header(&h[REPORT_SEGMENTS], cfg->lexicon);
    windows_csv_header(&h[REPORT_WINDOWS]);
    utterances_csv_header(&h[REPORT_UTTERANCES], &cfg->reports);
    for (int k = 0; k < REPORT_COUNT; k++) {
        report_set_write(rs, (report_kind)k, &h[k]);
        buf_free(&h[k]);
    }
}

static void write_errors_and_run(report_set *rs, const batch_config *cfg, const input_list *inputs,
                                 const batch_totals *t, const char *started, int status, diag_list *d)
{
    buf b = {0};
    errors_csv_header(&b);
    errors_csv_rows(&b, d);
    report_set_write(rs, REPORT_ERRORS, &b);
    buf_clear(&b);
    run_info info = {
        .version = cfg->version, .started = started, .command = cfg->command,
        .lexicon = cfg->lexicon, .inputs = inputs->n + inputs->duplicates,
        .files_failed = t->failed + inputs->duplicates, .sessions = t->sessions,
        .errors = diag_count(d, SEV_ERROR), .warnings = diag_count(d, SEV_WARNING),
        .exit_status = status, .matches = cfg->analysis.keep_matches,
    };
    run_csv(&b, &info);
    report_set_write(rs, REPORT_RUN, &b);
    buf_free(&b);
}

int batch_run(const batch_config *cfg, const input_list *inputs, diag_list *d)
{
    char started[32];
    iso_time_now(started, sizeof started);
    print_diags(d, 0, cfg->quiet);
    size_t printed = d->n;

    report_set *rs = report_set_open(cfg->out_dir, &cfg->reports, d);
    if (!rs) {
        print_diags(d, printed, 0);
        return 2;
    }
    write_headers(rs, cfg);
    batch_totals t = {0};
    int sig = run_pool(cfg, inputs, rs, &t, d, &printed);
    if (sig) {
        report_set_abort(rs);
        meta_table_free(&t.meta);
        fprintf(stderr, "dyad: interrupted (%s); no report was written or changed\n",
                sig == SIGINT ? "SIGINT" : "SIGTERM");
        return 128 + sig;
    }

    buf header = {0};
    sessions_csv_header(&header, cfg->lexicon);
    report_set_finish_sessions(rs, &header, &t.meta);
    buf_free(&header);
    meta_table_free(&t.meta);

    int status = (t.failed || diag_count(d, SEV_ERROR)) ? 1 : 0;
    if (inputs->missing) status = 2;
    write_errors_and_run(rs, cfg, inputs, &t, started, status, d);
    if (report_set_commit(rs, d) != 0) {
        print_diags(d, printed, 0);
        return 2;
    }
    if (!cfg->quiet) {
        size_t errors = diag_count(d, SEV_ERROR), warnings = diag_count(d, SEV_WARNING);
        fprintf(stderr, "dyad: %zu file%s, %zu session%s, %zu error%s, %zu warning%s; reports in %s\n",
                inputs->n, inputs->n == 1 ? "" : "s", t.sessions, t.sessions == 1 ? "" : "s",
                errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", cfg->out_dir);
    }
    return status;
}
