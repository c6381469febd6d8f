/* merge.c: `dyad merge`, report sets combined into one (see merge.h). */
#include "merge/merge.h"
#include "model/session.h"
#include "util/xalloc.h"
#include "writers/csv.h"
#include "writers/meta_table.h"
#include "writers/reports.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char MERGE_USAGE[] =
    "usage: dyad merge DIR... -o OUT [-q]\n"
    "Combine report sets (folders written by dyad -o, e.g. one per --shard K/N part)\n"
    "into one report set in OUT: the reports a single run over all the inputs writes.\n"
    "\n"
    "  -o OUT       output folder (required; not one of the DIRs)\n"
    "  -q, --quiet  no summary line\n"
    "  -h, --help   this help\n"
    "\n"
    "Every DIR must hold sessions.csv, speakers.csv, matches.csv, segments.csv,\n"
    "windows.csv, errors.csv and run.csv (and utterances.csv in all or none), made\n"
    "by the same dyad version with the same lexicons, and no session may be in two.\n"
    "\n"
    "Exit status: 0 merged, 2 usage error or report sets that cannot be merged\n"
    "(nothing is written then).\n";

#define CHUNK_SIZE 65536
#define FLUSH_SIZE 65536

/* ---------------------------------------------------------------------- */
/* Reading a report: libcsv, one record at a time.                         */

/* A record as parsed: cells are NUL-terminated and stay valid until the
 * next csv_reader_next on the same reader. */
typedef struct csv_record {
    char **cell;
    size_t *len;
    size_t n;
    long line;           /* the line the record starts on */
} csv_record;

typedef struct parsed_record {
    size_t first, n;     /* its cells in the reader's cell arrays */
    long line;
} parsed_record;

typedef struct csv_reader {
    FILE *f;
    char *path;
    struct csv_parser parser;
    buf arena;                   /* cell bytes, each cell followed by a NUL */
    size_t *off, *len;           /* each cell's offset in the arena and length */
    size_t n_cells, cap_off, cap_len;
    parsed_record *recs;         /* records complete in the arena */
    size_t n_recs, cap_recs, next_rec;
    size_t row_first;            /* first cell of the record being parsed */
    long row_line;               /* the line it starts on */
    long row_newlines;           /* line breaks inside its cells so far */
    long lines_read;             /* line breaks in the chunks parsed so far */
    char *chunk;                 /* CHUNK_SIZE bytes read at a time */
    char **view;                 /* what csv_record.cell points to */
    size_t *view_len;
    size_t cap_view, cap_view_len;
    int at_end;
} csv_reader;

/* Report cells keep their spaces: nothing counts as padding. */
static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void on_cell(void *field, size_t n, void *data)
{
    csv_reader *r = data;
    const char *s = field ? field : "";
    r->off = xgrow(r->off, &r->cap_off, r->n_cells + 1, sizeof *r->off);
    r->len = xgrow(r->len, &r->cap_len, r->n_cells + 1, sizeof *r->len);
    r->off[r->n_cells] = r->arena.len;
    r->len[r->n_cells] = n;
    r->n_cells++;
    buf_add(&r->arena, s, n);
    buf_addc(&r->arena, '\0');
    for (size_t i = 0; i < n; i++) r->row_newlines += s[i] == '\n';
}

static void on_row(int c, void *data)
{
    (void)c;
    csv_reader *r = data;
    if (r->n_cells > r->row_first) {
        r->recs = xgrow(r->recs, &r->cap_recs, r->n_recs + 1, sizeof *r->recs);
        r->recs[r->n_recs++] = (parsed_record){r->row_first, r->n_cells - r->row_first, r->row_line};
    }
    r->row_first = r->n_cells;
    r->row_line += 1 + r->row_newlines;
    r->row_newlines = 0;
}

static int csv_reader_open(csv_reader *r, const char *path, diag_list *d)
{
    memset(r, 0, sizeof *r);
    r->path = xstrdup(path);
    r->row_line = 1;
    r->chunk = xmalloc(CHUNK_SIZE);
    r->f = fopen(path, "rb");
    if (!r->f) {
        diag_add(d, path, 0, SEV_ERROR, "cannot read the report: %s", strerror(errno));
        return -1;
    }
    csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    csv_set_space_func(&r->parser, no_space);
    csv_set_realloc_func(&r->parser, xrealloc);
    csv_set_free_func(&r->parser, free);
    return 0;
}

static void csv_reader_close(csv_reader *r)
{
    if (r->f) {
        fclose(r->f);
        csv_free(&r->parser);
    }
    free(r->path);
    free(r->chunk);
    buf_free(&r->arena);
    free(r->off);
    free(r->len);
    free(r->recs);
    free(r->view);
    free(r->view_len);
    memset(r, 0, sizeof *r);
}

/* Drop the records already taken, keeping the cells of a record that is
 * still being parsed. */
static void compact(csv_reader *r)
{
    size_t keep = r->n_cells - r->row_first;
    size_t from = keep ? r->off[r->row_first] : r->arena.len;
    if (keep) {
        memmove(r->arena.data, r->arena.data + from, r->arena.len - from);
        for (size_t i = 0; i < keep; i++) {
            r->off[i] = r->off[r->row_first + i] - from;
            r->len[i] = r->len[r->row_first + i];
        }
    }
    r->arena.len -= from;
    if (r->arena.data) r->arena.data[r->arena.len] = '\0';
    r->n_cells = keep;
    r->row_first = 0;
    r->n_recs = r->next_rec = 0;
}

static long count_newlines(const char *s, size_t n)
{
    long k = 0;
    for (size_t i = 0; i < n; i++) k += s[i] == '\n';
    return k;
}

static void damaged(diag_list *d, const char *path, long line)
{
    diag_add(d, path, line, SEV_ERROR,
             "not valid CSV (a stray or unclosed double quote); the report set is damaged: make that part again");
}

/* Parse the next chunk of the file. Returns 0, or -1 with an error in d. */
static int refill(csv_reader *r, diag_list *d)
{
    char *chunk = r->chunk;
    int rc = 0;
    compact(r);
    while (r->n_recs == 0 && !r->at_end && rc == 0) {
        size_t n = fread(chunk, 1, CHUNK_SIZE, r->f);
        if (n > 0) {
            size_t used = csv_parse(&r->parser, chunk, n, on_cell, on_row, r);
            if (used != n) {
                damaged(d, r->path, 1 + r->lines_read + count_newlines(chunk, used));
                rc = -1;
            }
            r->lines_read += count_newlines(chunk, n);
        } else if (ferror(r->f)) {
            diag_add(d, r->path, 0, SEV_ERROR, "cannot read the report: %s", strerror(errno ? errno : EIO));
            rc = -1;
        } else {
            r->at_end = 1;
            if (csv_fini(&r->parser, on_cell, on_row, r) != 0) {
                damaged(d, r->path, r->row_line);
                rc = -1;
            }
        }
    }
    return rc;
}

/* The next record: 1, 0 at the end of the file, -1 on error (in d). */
static int csv_reader_next(csv_reader *r, csv_record *rec, diag_list *d)
{
    if (r->next_rec == r->n_recs && refill(r, d) != 0) return -1;
    if (r->next_rec == r->n_recs) return 0;
    const parsed_record *p = &r->recs[r->next_rec++];
    r->view = xgrow(r->view, &r->cap_view, p->n, sizeof *r->view);
    r->view_len = xgrow(r->view_len, &r->cap_view_len, p->n, sizeof *r->view_len);
    for (size_t i = 0; i < p->n; i++) {
        r->view[i] = r->arena.data + r->off[p->first + i];
        r->view_len[i] = r->len[p->first + i];
    }
    rec->cell = r->view;
    rec->len = r->view_len;
    rec->n = p->n;
    rec->line = p->line;
    return 1;
}

/* Open a report and read past its header. Returns 0 or -1 (in d). */
static int csv_reader_open_rows(csv_reader *r, const char *path, diag_list *d)
{
    if (csv_reader_open(r, path, d) != 0) return -1;
    csv_record header;
    int got = csv_reader_next(r, &header, d);
    if (got == 0)
        diag_add(d, path, 0, SEV_ERROR, "the report is empty; the report set is damaged: make that part again");
    return got == 1 ? 0 : -1;
}

/* ---------------------------------------------------------------------- */
/* Cells.                                                                  */

void merge_add_cell(buf *out, const char *s, size_t len)
{
    int needs_quotes = 0;
    for (size_t i = 0; i < len && !needs_quotes; i++)
        needs_quotes = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!needs_quotes) {
        buf_add(out, s, len);
        return;
    }
    size_t need = csv_write(NULL, 0, s, len);
    char *q = xmalloc(need + 1);
    csv_write(q, need, s, len);
    buf_add(out, q, need);
    free(q);
}

/* Cells [from, to) of rec as a CSV row with its newline. */
static void add_row(buf *out, const csv_record *rec, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (i > from) buf_addc(out, ',');
        merge_add_cell(out, rec->cell[i], rec->len[i]);
    }
    buf_addc(out, '\n');
}

/* A text cell as the program wrote it, without the ' that guards a cell
 * beginning with = + - @ against spreadsheet formulas (writers/csv.h):
 * what a single run sorted on. */
static const char *unguarded(const char *cell)
{
    if (cell[0] == '\'' && cell[1] && strchr("=+-@", cell[1])) return cell + 1;
    return cell;
}

static char *join_path(const char *dir, const char *name)
{
    buf b = {0};
    size_t n = strlen(dir);
    buf_addf(&b, "%s%s%s", dir, (n && dir[n - 1] == '/') ? "" : "/", name);
    return buf_take(&b);
}

char *merge_file_id(const char *session_id, const char *source)
{
    /* the source without its extension, as batch/inputs.c takes it off */
    const char *slash = strrchr(source, '/');
    const char *base = slash ? slash + 1 : source;
    const char *dot = strrchr(base, '.');
    size_t stem = (dot && dot != base) ? (size_t)(dot - source) : strlen(source);
    const char *last = strrchr(session_id, '/');
    size_t candidates[2] = {strlen(session_id), last ? (size_t)(last - session_id) : 0};
    for (int c = 0; c < 2; c++) {
        size_t n = candidates[c];
        if (n == 0 || n > stem || memcmp(source + stem - n, session_id, n) != 0) continue;
        if (n == stem || source[stem - n - 1] == '/') return xstrndup(session_id, n);
    }
    return xstrdup(session_id);
}

/* ---------------------------------------------------------------------- */
/* The report sets.                                                        */

#define NO_SOURCE SIZE_MAX

enum { T_INPUTS, T_FILES_FAILED, T_SESSIONS, T_ERRORS, T_WARNINGS, T_EXIT_STATUS, N_TOTALS };
static const char *const TOTAL_KEYS[N_TOTALS] = {
    "inputs", "files_failed", "sessions", "errors", "warnings", "exit_status",
};

/* The reports merged row by row after sessions.csv, in the order of its sessions. */
static const report_kind SESSION_REPORTS[] = {
    REPORT_SPEAKERS, REPORT_MATCHES, REPORT_SEGMENTS, REPORT_WINDOWS, REPORT_UTTERANCES,
};
#define N_SESSION_REPORTS (sizeof SESSION_REPORTS / sizeof SESSION_REPORTS[0])

typedef struct report_dir {
    const char *dir;
    dev_t dev;                   /* the folder, to recognise it under another name */
    ino_t ino;
    char *path[REPORT_COUNT];    /* DIR/report; NULL for an absent utterances.csv */
    /* run.csv */
    char *version, *matches;
    char **lex;                  /* "lexicon" and "lexicon_sha256" values, in order */
    size_t n_lex;
    unsigned long long total[N_TOTALS];
    /* sessions.csv */
    size_t n_fixed;              /* cells before the meta_ ones */
    size_t source_col;           /* the source column, or NO_SOURCE */
    char **meta_keys;            /* without the meta_ prefix */
    size_t n_meta;
    size_t *meta_intro;          /* per key: the row of the session that brought it in */
    size_t n_cols[REPORT_COUNT]; /* header cells */
} report_dir;

typedef struct scheduled {
    size_t set;
    char *id;                    /* the session_id cell */
} scheduled;

typedef struct merge_run {
    const merge_options *o;
    report_dir *sets;
    size_t n;
    int utterances, include_text;
    buf header[REPORT_COUNT];    /* the first set's; sessions.csv without meta_ columns */
    scheduled *sched;            /* the sessions in merged order */
    size_t n_sched, cap_sched;
    size_t *id_slot;             /* hash of session ids: index into sched + 1, 0 empty */
    size_t cap_ids;
    meta_table meta;
    report_set *rs;
    buf out;                     /* rows not yet handed to rs */
    merge_summary *sum;
    diag_list *d;
} merge_run;

static void report_dir_free(report_dir *s)
{
    for (int k = 0; k < REPORT_COUNT; k++) free(s->path[k]);
    free(s->version);
    free(s->matches);
    for (size_t i = 0; i < s->n_lex; i++) free(s->lex[i]);
    free(s->lex);
    for (size_t i = 0; i < s->n_meta; i++) free(s->meta_keys[i]);
    free(s->meta_keys);
    free(s->meta_intro);
}

static int is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The folder exists and holds every report. Returns 0 or -1. */
static int find_reports(report_dir *s, diag_list *d)
{
    struct stat st;
    if (stat(s->dir, &st) != 0) {
        diag_add(d, s->dir, 0, SEV_ERROR, "cannot read the report folder: %s; give folders written by dyad -o",
                 strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        diag_add(d, s->dir, 0, SEV_ERROR, "not a folder; give folders written by dyad -o");
        return -1;
    }
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    int rc = 0;
    for (int k = 0; k < REPORT_COUNT; k++) {
        char *path = join_path(s->dir, report_file_name((report_kind)k));
        if (is_regular_file(path)) {
            s->path[k] = path;
            continue;
        }
        free(path);
        if (k == REPORT_UTTERANCES) continue;
        diag_add(d, s->dir, 0, SEV_ERROR,
                 "no %s here; a report folder written by dyad -o holds sessions.csv, speakers.csv, "
                 "matches.csv, segments.csv, windows.csv, errors.csv and run.csv",
                 report_file_name((report_kind)k));
        rc = -1;
    }
    return rc;
}

/* Every folder is a report set, given once; utterances.csv is in all or
 * none; the output is none of them. */
static int check_folders(merge_run *m)
{
    int rc = 0;
    for (size_t i = 0; i < m->n; i++)
        if (find_reports(&m->sets[i], m->d) != 0) rc = -1;
    if (rc) return rc;
    size_t with = m->n, without = m->n;
    for (size_t i = 0; i < m->n; i++) {
        if (m->sets[i].path[REPORT_UTTERANCES] && with == m->n) with = i;
        if (!m->sets[i].path[REPORT_UTTERANCES] && without == m->n) without = i;
    }
    if (with < m->n && without < m->n) {
        diag_add(m->d, m->sets[without].dir, 0, SEV_ERROR,
                 "no utterances.csv here, but %s has one; make every part with --utterances, or none",
                 m->sets[with].dir);
        return -1;
    }
    m->utterances = with < m->n;
    for (size_t i = 0; i < m->n; i++) {
        for (size_t j = 0; j < i; j++) {
            if (m->sets[i].dev != m->sets[j].dev || m->sets[i].ino != m->sets[j].ino) continue;
            diag_add(m->d, m->sets[i].dir, 0, SEV_ERROR, "the same report folder as %s; give each folder once",
                     m->sets[j].dir);
            return -1;
        }
    }
    struct stat out;
    for (size_t i = 0; i < m->n && stat(m->o->out_dir, &out) == 0; i++) {
        if (out.st_dev == m->sets[i].dev && out.st_ino == m->sets[i].ino) {
            diag_add(m->d, m->o->out_dir, 0, SEV_ERROR,
                     "the output folder is also one of the report folders being merged; choose another with -o");
            return -1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* run.csv                                                                 */

static int parse_total(const csv_record *rec, const char *path, unsigned long long *out, diag_list *d)
{
    const char *v = rec->cell[1];
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (!v[0] || v[0] == '-' || *end || errno) {
        diag_add(d, path, rec->line, SEV_ERROR,
                 "'%s' is '%s', not a count; the report set is damaged: make that part again", rec->cell[0], v);
        return -1;
    }
    *out = n;
    return 0;
}

static int read_run(report_dir *s, diag_list *d)
{
    const char *path = s->path[REPORT_RUN];
    csv_reader r;
    if (csv_reader_open(&r, path, d) != 0) {
        csv_reader_close(&r);
        return -1;
    }
    csv_record rec;
    int got, rc = 0, seen[N_TOTALS] = {0};
    size_t cap_lex = 0;
    int header = 1;
    while (rc == 0 && (got = csv_reader_next(&r, &rec, d)) == 1) {
        if (rec.n != 2) {
            diag_add(d, path, rec.line, SEV_ERROR,
                     "%zu cells where run.csv has 2 (key,value); the report set is damaged: make that part again",
                     rec.n);
            rc = -1;
        } else if (header) {
            if (strcmp(rec.cell[0], "key") != 0 || strcmp(rec.cell[1], "value") != 0) {
                diag_add(d, path, rec.line, SEV_ERROR,
                         "the header is not key,value; is it a run.csv written by dyad?");
                rc = -1;
            }
        } else if (strcmp(rec.cell[0], "version") == 0) {
            free(s->version);
            s->version = xstrdup(rec.cell[1]);
        } else if (strcmp(rec.cell[0], "matches") == 0) {
            free(s->matches);
            s->matches = xstrdup(rec.cell[1]);
        } else if (strcmp(rec.cell[0], "lexicon") == 0 || strcmp(rec.cell[0], "lexicon_sha256") == 0) {
            s->lex = xgrow(s->lex, &cap_lex, s->n_lex + 2, sizeof *s->lex);
            s->lex[s->n_lex++] = xstrdup(rec.cell[0]);
            s->lex[s->n_lex++] = xstrdup(rec.cell[1]);
        } else {
            for (int t = 0; t < N_TOTALS; t++) {
                if (strcmp(rec.cell[0], TOTAL_KEYS[t]) != 0) continue;
                rc = parse_total(&rec, path, &s->total[t], d);
                seen[t] = 1;
            }
        }
        header = 0;
    }
    if (got < 0) rc = -1;
    if (rc == 0 && !s->version) {
        diag_add(d, path, 0, SEV_ERROR, "no 'version' row; is it a run.csv written by dyad?");
        rc = -1;
    }
    for (int t = 0; t < N_TOTALS && rc == 0; t++) {
        if (seen[t]) continue;
        diag_add(d, path, 0, SEV_ERROR, "no '%s' row; is it a run.csv written by dyad?", TOTAL_KEYS[t]);
        rc = -1;
    }
    csv_reader_close(&r);
    return rc;
}

/* "a.lex (sha256 0123456789ab), b.lex (sha256 ...)" or "no lexicon". */
static void describe_lexicons(buf *out, const report_dir *s)
{
    if (s->n_lex == 0) buf_adds(out, "no lexicon");
    for (size_t i = 0; i + 1 < s->n_lex; i += 2) {
        if (i) buf_adds(out, ", ");
        if (strcmp(s->lex[i], "lexicon") == 0) buf_adds(out, s->lex[i + 1]);
        else buf_addf(out, "(sha256 %.12s)", s->lex[i + 1]);
        if (i + 3 < s->n_lex && strcmp(s->lex[i + 2], "lexicon_sha256") == 0) {
            buf_addf(out, " (sha256 %.12s)", s->lex[i + 3]);
            i += 2;
        }
    }
}

static int same_lexicons(const report_dir *a, const report_dir *b)
{
    if (a->n_lex != b->n_lex) return 0;
    for (size_t i = 0; i < a->n_lex; i++)
        if (strcmp(a->lex[i], b->lex[i]) != 0) return 0;
    return 1;
}

/* Every set was made by the same version, with the same lexicons and the
 * same matches setting as the first. */
static int check_runs(merge_run *m)
{
    for (size_t i = 0; i < m->n; i++)
        if (read_run(&m->sets[i], m->d) != 0) return -1;
    const report_dir *first = &m->sets[0];
    for (size_t i = 1; i < m->n; i++) {
        const report_dir *s = &m->sets[i];
        if (strcmp(s->version, first->version) != 0) {
            diag_add(m->d, s->path[REPORT_RUN], 0, SEV_ERROR,
                     "report sets were made by different dyad versions: %s by %s, %s by %s; "
                     "make every part with the same dyad",
                     first->dir, first->version, s->dir, s->version);
            return -1;
        }
        if (!same_lexicons(first, s)) {
            buf a = {0}, b = {0};
            describe_lexicons(&a, first);
            describe_lexicons(&b, s);
            diag_add(m->d, s->path[REPORT_RUN], 0, SEV_ERROR,
                     "report sets were made with different lexicons: %s used %s; %s used %s; "
                     "make every part with the same --lexicon files",
                     first->dir, buf_str(&a), s->dir, buf_str(&b));
            buf_free(&a);
            buf_free(&b);
            return -1;
        }
        const char *x = first->matches ? first->matches : "", *y = s->matches ? s->matches : "";
        if (strcmp(x, y) != 0) {
            diag_add(m->d, s->path[REPORT_RUN], 0, SEV_ERROR,
                     "report sets differ in matches.csv: %s has matches '%s', %s has '%s'; "
                     "make every part with the same options (--no-matches in all or none)",
                     first->dir, x, s->dir, y);
            return -1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Headers                                                                 */

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The first record of a report, copied into out (one string per cell). */
static int read_header(const char *path, char ***out, size_t *n, diag_list *d)
{
    csv_reader r;
    *out = NULL;
    *n = 0;
    int rc = csv_reader_open(&r, path, d);
    csv_record rec;
    if (rc == 0) {
        int got = csv_reader_next(&r, &rec, d);
        if (got == 0)
            diag_add(d, path, 0, SEV_ERROR, "the report is empty; the report set is damaged: make that part again");
        if (got != 1) rc = -1;
    }
    if (rc == 0) {
        *out = xcalloc(rec.n, sizeof **out);
        for (size_t i = 0; i < rec.n; i++) (*out)[i] = xstrndup(rec.cell[i], rec.len[i]);
        *n = rec.n;
    }
    csv_reader_close(&r);
    return rc;
}

static void free_cells(char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++) free(cells[i]);
    free(cells);
}

/* Where a header (here) first differs from the first set's (there). */
static void describe_difference(buf *out, char **there, size_t n_there, char **here, size_t n_here)
{
    size_t i = 0;
    while (i < n_there && i < n_here && strcmp(there[i], here[i]) == 0) i++;
    if (i < n_there && i < n_here) buf_addf(out, "column %zu is '%s' here, '%s' there", i + 1, here[i], there[i]);
    else buf_addf(out, "%zu columns here, %zu there", n_here, n_there);
}

/* The cells before sessions.csv's meta_ columns; the meta keys are kept. */
static int split_meta(report_dir *s, char **cells, size_t n, diag_list *d)
{
    size_t fixed = 0;
    while (fixed < n && !starts_with(cells[fixed], "meta_")) fixed++;
    for (size_t i = fixed; i < n; i++) {
        if (!starts_with(cells[i], "meta_")) {
            diag_add(d, s->path[REPORT_SESSIONS], 1, SEV_ERROR,
                     "column %zu '%s' follows the meta_ columns; is it a sessions.csv written by dyad?", i + 1,
                     cells[i]);
            return -1;
        }
    }
    s->n_fixed = fixed;
    s->source_col = NO_SOURCE;
    for (size_t i = 0; i < fixed && s->source_col == NO_SOURCE; i++)
        if (strcmp(cells[i], "source") == 0) s->source_col = i;
    s->n_meta = n - fixed;
    s->meta_keys = xcalloc(s->n_meta ? s->n_meta : 1, sizeof *s->meta_keys);
    for (size_t i = 0; i < s->n_meta; i++) s->meta_keys[i] = xstrdup(cells[fixed + i] + strlen("meta_"));
    return 0;
}

static int check_first_column(const char *path, char **cells, size_t n, report_kind k, diag_list *d)
{
    const char *want = k == REPORT_ERRORS ? "source" : k == REPORT_RUN ? "key" : "session_id";
    if (n > 0 && strcmp(cells[0], want) == 0) return 0;
    diag_add(d, path, 1, SEV_ERROR, "the first column is not %s; is it a %s written by dyad?", want,
             report_file_name(k));
    return -1;
}

/* A header as the output writes it: the first n cells, then a newline. */
static void keep_header(buf *out, char **cells, size_t n)
{
    for (size_t c = 0; c < n; c++) {
        if (c) buf_addc(out, ',');
        merge_add_cell(out, cells[c], strlen(cells[c]));
    }
    buf_addc(out, '\n');
}

/* Report k's header is the same in every set (sessions.csv: up to its
 * meta_ columns); the first set's is kept for the output. */
static int check_header(merge_run *m, report_kind k)
{
    char **first = NULL;
    size_t n_first = 0, compared_first = 0;
    int rc = 0;
    for (size_t i = 0; i < m->n && rc == 0; i++) {
        report_dir *s = &m->sets[i];
        char **cells;
        size_t n;
        if (read_header(s->path[k], &cells, &n, m->d) != 0) {
            rc = -1;
            break;
        }
        s->n_cols[k] = n;
        rc = check_first_column(s->path[k], cells, n, k, m->d);
        if (rc == 0 && k == REPORT_SESSIONS) rc = split_meta(s, cells, n, m->d);
        size_t compared = k == REPORT_SESSIONS ? s->n_fixed : n;
        if (rc == 0 && i == 0) {
            first = cells;
            n_first = n;
            compared_first = compared;
            continue;
        }
        int same = compared == compared_first;
        for (size_t c = 0; same && c < compared; c++) same = strcmp(first[c], cells[c]) == 0;
        if (rc == 0 && !same) {
            buf why = {0};
            describe_difference(&why, first, compared_first, cells, compared);
            diag_add(m->d, s->path[k], 1, SEV_ERROR,
                     "the header differs from %s (%s); merge report sets made by the same dyad "
                     "with the same lexicons and options",
                     m->sets[0].path[k], buf_str(&why));
            buf_free(&why);
            rc = -1;
        }
        free_cells(cells, n);
    }
    if (rc == 0) {
        keep_header(&m->header[k], first, compared_first);
        if (k == REPORT_UTTERANCES)
            m->include_text = compared_first > 0 && strcmp(first[compared_first - 1], "text") == 0;
    }
    free_cells(first, n_first);
    return rc;
}

static int check_headers(merge_run *m)
{
    for (int k = 0; k < REPORT_COUNT; k++) {
        if (k == REPORT_UTTERANCES && !m->utterances) continue;
        if (check_header(m, (report_kind)k) != 0) return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Output                                                                  */

static void flush_out(merge_run *m, report_kind k)
{
    report_set_write(m->rs, k, &m->out);
    buf_clear(&m->out);
}

static void maybe_flush(merge_run *m, report_kind k)
{
    if (m->out.len >= FLUSH_SIZE) flush_out(m, k);
}

static int check_cells(const csv_record *rec, size_t want, const char *path, diag_list *d)
{
    if (rec->n == want) return 0;
    diag_add(d, path, rec->line, SEV_ERROR,
             "%zu cells where the header has %zu; the report set is damaged: make that part again", rec->n, want);
    return -1;
}

/* ---------------------------------------------------------------------- */
/* sessions.csv: which session brought each meta_ column into its set.     */

/* A single run adds a meta_ column when the first session that has the key
 * is written; every session of a file has the same keys (the file's meta
 * columns), and the header lists the keys in the order they came in. The
 * report keeps only values, and an empty cell may be an empty value or no
 * key, so: a key with a value comes from the file of the first session with
 * a value for it or for a later key of the header, whichever is first; a key
 * without a value anywhere in the set comes with the key before it (a
 * blank column of the same file), or, first in the header, with the first
 * key after it that has a value. */
static int find_meta_intro(report_dir *s, diag_list *d)
{
    s->meta_intro = xcalloc(s->n_meta ? s->n_meta : 1, sizeof *s->meta_intro);
    if (s->n_meta == 0) return 0;
    const size_t none = SIZE_MAX;
    size_t *first_file = xcalloc(s->n_meta, sizeof *first_file);
    for (size_t p = 0; p < s->n_meta; p++) first_file[p] = none;
    csv_reader r;
    int rc = csv_reader_open_rows(&r, s->path[REPORT_SESSIONS], d), got = 0;
    csv_record rec;
    char *source = NULL;
    size_t row = 0, file_start = 0;
    while (rc == 0 && (got = csv_reader_next(&r, &rec, d)) == 1) {
        if (check_cells(&rec, s->n_cols[REPORT_SESSIONS], r.path, d) != 0) {
            rc = -1;
            break;
        }
        /* without a source column, each session counts as a file of its own */
        const char *here = s->source_col == NO_SOURCE ? rec.cell[0] : rec.cell[s->source_col];
        if (!source || strcmp(source, here) != 0 || s->source_col == NO_SOURCE) {
            free(source);
            source = xstrdup(here);
            file_start = row;
        }
        for (size_t p = 0; p < s->n_meta; p++)
            if (first_file[p] == none && rec.cell[s->n_fixed + p][0]) first_file[p] = file_start;
        row++;
    }
    if (got < 0) rc = -1;
    size_t later = none;
    for (size_t p = s->n_meta; p-- > 0;) {
        if (first_file[p] < later) later = first_file[p];
        s->meta_intro[p] = later;
    }
    for (size_t p = 0; p < s->n_meta; p++) {
        if (first_file[p] != none) continue;
        if (p) s->meta_intro[p] = s->meta_intro[p - 1];
        else if (s->meta_intro[p] == none) s->meta_intro[p] = 0;
    }
    free(source);
    free(first_file);
    csv_reader_close(&r);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* sessions.csv: the k-way merge.                                          */

typedef struct session_cursor {
    csv_reader r;
    csv_record rec;
    int live;                    /* rec holds a row */
    size_t set;
    size_t row;                  /* rec's row, 0 for the first after the header */
    char *file_id, *id;          /* rec's order key */
    size_t next_intro;           /* next meta key of the set to come in */
    meta_field *fields;          /* scratch for the row's meta cells */
} session_cursor;

static int key_cmp(const session_cursor *a, const session_cursor *b)
{
    int c = strcmp(a->file_id, b->file_id);
    if (!c) c = strcmp(a->id, b->id);
    if (!c) c = (a->set > b->set) - (a->set < b->set);
    return c;
}

/* Read the cursor's next row and check it comes after the one before. */
static int cursor_advance(merge_run *m, session_cursor *c)
{
    const report_dir *s = &m->sets[c->set];
    char *prev_file = c->file_id, *prev_id = c->id;
    c->file_id = c->id = NULL;
    if (c->live) c->row++;
    int got = csv_reader_next(&c->r, &c->rec, m->d), rc = 0;
    c->live = got == 1;
    if (got < 0) rc = -1;
    if (c->live && check_cells(&c->rec, s->n_cols[REPORT_SESSIONS], c->r.path, m->d) != 0) rc = -1;
    if (c->live && rc == 0) {
        c->id = xstrdup(unguarded(c->rec.cell[0]));
        c->file_id = s->source_col == NO_SOURCE ? xstrdup(c->id)
                                                : merge_file_id(c->id, unguarded(c->rec.cell[s->source_col]));
        if (prev_id) {
            int order = strcmp(c->file_id, prev_file);
            if (!order) order = strcmp(c->id, prev_id);
            if (order <= 0) {
                diag_add(m->d, c->r.path, c->rec.line, SEV_ERROR,
                         "session '%s' comes after '%s', out of a single run's order; was the file sorted "
                         "or edited? (make that part again)",
                         c->id, prev_id);
                rc = -1;
            }
        }
    }
    free(prev_file);
    free(prev_id);
    return rc;
}

/* A binary min-heap of cursor pointers, by key_cmp. */
static void heap_down(session_cursor **h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, least = i;
        if (l < n && key_cmp(h[l], h[least]) < 0) least = l;
        if (r < n && key_cmp(h[r], h[least]) < 0) least = r;
        if (least == i) return;
        session_cursor *t = h[i];
        h[i] = h[least];
        h[least] = t;
        i = least;
    }
}

static size_t hash_id(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
}

static void ids_grow(merge_run *m)
{
    size_t cap = m->cap_ids ? 2 * m->cap_ids : 1024;
    size_t *slot = xcalloc(cap, sizeof *slot);
    for (size_t i = 0; i < m->cap_ids; i++) {
        if (!m->id_slot[i]) continue;
        size_t j = hash_id(m->sched[m->id_slot[i] - 1].id) & (cap - 1);
        while (slot[j]) j = (j + 1) & (cap - 1);
        slot[j] = m->id_slot[i];
    }
    free(m->id_slot);
    m->id_slot = slot;
    m->cap_ids = cap;
}

/* Schedule the cursor's session; -1 when another set has the same id. */
static int schedule_session(merge_run *m, const session_cursor *c)
{
    const char *id = c->rec.cell[0];
    if (2 * (m->n_sched + 1) > m->cap_ids) ids_grow(m);
    size_t j = hash_id(id) & (m->cap_ids - 1);
    for (; m->id_slot[j]; j = (j + 1) & (m->cap_ids - 1)) {
        const scheduled *other = &m->sched[m->id_slot[j] - 1];
        if (strcmp(other->id, id) != 0) continue;
        if (other->set == c->set) break;   /* the same set may repeat an id (as a single run may) */
        diag_add(m->d, c->r.path, c->rec.line, SEV_ERROR,
                 "session '%s' is also in %s; a session must be in one report set only "
                 "(were the same inputs analysed twice, or parts made with different --shard N?)",
                 id, m->sets[other->set].path[REPORT_SESSIONS]);
        return -1;
    }
    m->sched = xgrow(m->sched, &m->cap_sched, m->n_sched + 1, sizeof *m->sched);
    m->sched[m->n_sched] = (scheduled){c->set, xstrdup(id)};
    m->n_sched++;
    if (!m->id_slot[j]) m->id_slot[j] = m->n_sched;
    return 0;
}

/* The row without its meta cells, and the meta cells into m->meta: first
 * the keys this session brought into its set, in header order, then its
 * other keys with a value. */
static void write_session_row(merge_run *m, session_cursor *c)
{
    const report_dir *s = &m->sets[c->set];
    size_t before = m->out.len;
    add_row(&m->out, &c->rec, 0, s->n_fixed);
    char **value = c->rec.cell + s->n_fixed;
    size_t n = 0, from = c->next_intro;
    for (; c->next_intro < s->n_meta && s->meta_intro[c->next_intro] <= c->row; c->next_intro++)
        c->fields[n++] = (meta_field){s->meta_keys[c->next_intro], value[c->next_intro]};
    for (size_t p = 0; p < from; p++)
        if (value[p][0]) c->fields[n++] = (meta_field){s->meta_keys[p], value[p]};
    session meta_only;
    memset(&meta_only, 0, sizeof meta_only);
    meta_only.meta = c->fields;
    meta_only.n_meta = n;
    meta_table_add_row(&m->meta, m->out.len - before, &meta_only);
    maybe_flush(m, REPORT_SESSIONS);
}

static int merge_sessions(merge_run *m)
{
    for (size_t i = 0; i < m->n; i++)
        if (find_meta_intro(&m->sets[i], m->d) != 0) return -1;
    session_cursor *cur = xcalloc(m->n, sizeof *cur);
    session_cursor **heap = xcalloc(m->n, sizeof *heap);
    size_t n_heap = 0, opened = 0;
    int rc = 0;
    for (size_t i = 0; i < m->n && rc == 0; i++) {
        session_cursor *c = &cur[i];
        opened = i + 1;
        c->set = i;
        c->fields = xcalloc(m->sets[i].n_meta ? m->sets[i].n_meta : 1, sizeof *c->fields);
        if (csv_reader_open_rows(&c->r, m->sets[i].path[REPORT_SESSIONS], m->d) != 0 ||
            cursor_advance(m, c) != 0)
            rc = -1;
        else if (c->live) heap[n_heap++] = c;
    }
    for (size_t i = n_heap / 2; rc == 0 && i-- > 0;) heap_down(heap, n_heap, i);
    while (rc == 0 && n_heap) {
        session_cursor *c = heap[0];
        rc = schedule_session(m, c);
        if (rc == 0) {
            write_session_row(m, c);
            rc = cursor_advance(m, c);
        }
        if (!c->live) heap[0] = heap[--n_heap];
        heap_down(heap, n_heap, 0);
    }
    flush_out(m, REPORT_SESSIONS);
    for (size_t i = 0; i < opened; i++) {
        csv_reader_close(&cur[i].r);
        free(cur[i].file_id);
        free(cur[i].id);
        free(cur[i].fields);
    }
    free(cur);
    free(heap);
    if (rc != 0) return -1;
    report_set_finish_sessions(m->rs, &m->header[REPORT_SESSIONS], &m->meta);
    m->sum->sessions = m->n_sched;
    return 0;
}

/* ---------------------------------------------------------------------- */
/* speakers.csv, matches.csv, segments.csv, windows.csv, utterances.csv    */

/* Each session's rows from its set, in the merged order of sessions. */
static int merge_session_report(merge_run *m, report_kind k)
{
    csv_reader *r = xcalloc(m->n, sizeof *r);
    csv_record *head = xcalloc(m->n, sizeof *head);
    int *live = xcalloc(m->n, sizeof *live);
    size_t opened = 0;
    int rc = 0;
    report_set_write(m->rs, k, &m->header[k]);
    for (size_t i = 0; i < m->n && rc == 0; i++) {
        opened = i + 1;
        if (csv_reader_open_rows(&r[i], m->sets[i].path[k], m->d) != 0) {
            rc = -1;
            break;
        }
        int got = csv_reader_next(&r[i], &head[i], m->d);
        live[i] = got == 1;
        if (got < 0) rc = -1;
    }
    for (size_t e = 0; e < m->n_sched && rc == 0; e++) {
        size_t i = m->sched[e].set;
        while (rc == 0 && live[i] && strcmp(head[i].cell[0], m->sched[e].id) == 0) {
            rc = check_cells(&head[i], m->sets[i].n_cols[k], r[i].path, m->d);
            if (rc) break;
            add_row(&m->out, &head[i], 0, head[i].n);
            maybe_flush(m, k);
            int got = csv_reader_next(&r[i], &head[i], m->d);
            live[i] = got == 1;
            if (got < 0) rc = -1;
        }
    }
    for (size_t i = 0; i < m->n && rc == 0; i++) {
        if (!live[i]) continue;
        diag_add(m->d, r[i].path, head[i].line, SEV_ERROR,
                 "a row of session '%s', which is not in %s or not in its order; the report set is damaged: "
                 "make that part again",
                 head[i].cell[0], m->sets[i].path[REPORT_SESSIONS]);
        rc = -1;
    }
    flush_out(m, k);
    for (size_t i = 0; i < opened; i++) csv_reader_close(&r[i]);
    free(r);
    free(head);
    free(live);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* errors.csv                                                              */

typedef struct error_row {
    char *cell[4];               /* source, line, severity, message */
    const char *sort_source;     /* the source without its formula guard */
    long line;                   /* 0 when the cell is empty */
    size_t set, index;
    int keep;
} error_row;

static int parse_line_cell(const char *s, long *out)
{
    if (!s[0]) {
        *out = 0;
        return 0;
    }
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end || errno || v < 0 || s[0] == '+' || s[0] == '-' || s[0] == ' ') return -1;
    *out = v;
    return 0;
}

static int read_errors(merge_run *m, size_t set, error_row **rows, size_t *n, size_t *cap)
{
    csv_reader r;
    const char *path = m->sets[set].path[REPORT_ERRORS];
    int rc = csv_reader_open_rows(&r, path, m->d), got = 0;
    csv_record rec;
    size_t index = 0;
    while (rc == 0 && (got = csv_reader_next(&r, &rec, m->d)) == 1) {
        if (check_cells(&rec, 4, path, m->d) != 0) {
            rc = -1;
            break;
        }
        long line;
        if (parse_line_cell(rec.cell[1], &line) != 0) {
            diag_add(m->d, path, rec.line, SEV_ERROR,
                     "line '%s' is not a line number; the report set is damaged: make that part again", rec.cell[1]);
            rc = -1;
            break;
        }
        *rows = xgrow(*rows, cap, *n + 1, sizeof **rows);
        error_row *e = &(*rows)[(*n)++];
        for (int c = 0; c < 4; c++) e->cell[c] = xstrndup(rec.cell[c], rec.len[c]);
        e->sort_source = unguarded(e->cell[0]);
        e->line = line;
        e->set = set;
        e->index = index++;
        e->keep = 0;
    }
    if (got < 0) rc = -1;
    csv_reader_close(&r);
    return rc;
}

static int cmp_error_content(const void *a, const void *b)
{
    const error_row *x = *(const error_row *const *)a, *y = *(const error_row *const *)b;
    for (int c = 0; c < 4; c++) {
        int k = strcmp(x->cell[c], y->cell[c]);
        if (k) return k;
    }
    if (x->set != y->set) return x->set < y->set ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

static int same_error(const error_row *x, const error_row *y)
{
    for (int c = 0; c < 4; c++)
        if (strcmp(x->cell[c], y->cell[c]) != 0) return 0;
    return 1;
}

/* A row that several sets hold is a message about the run itself, which
 * every part writes: keep as many copies as the set with the most (a
 * single run's count), from the first such set. */
static void mark_kept_errors(error_row *rows, size_t n)
{
    error_row **by = xcalloc(n ? n : 1, sizeof *by);
    for (size_t i = 0; i < n; i++) by[i] = &rows[i];
    qsort(by, n, sizeof *by, cmp_error_content);
    for (size_t g = 0; g < n;) {
        size_t end = g;
        while (end < n && same_error(by[g], by[end])) end++;
        size_t best_from = g, best_count = 0;
        for (size_t run = g; run < end;) {
            size_t stop = run;
            while (stop < end && by[stop]->set == by[run]->set) stop++;
            if (stop - run > best_count) {
                best_count = stop - run;
                best_from = run;
            }
            run = stop;
        }
        for (size_t i = best_from; i < best_from + best_count; i++) by[i]->keep = 1;
        g = end;
    }
    free(by);
}

/* As errors_csv.c sorts: source (byte order), then line, then (stable) the
 * order of the sets and of the rows in each. */
static int cmp_error_order(const void *a, const void *b)
{
    const error_row *x = *(const error_row *const *)a, *y = *(const error_row *const *)b;
    int c = strcmp(x->sort_source, y->sort_source);
    if (c) return c;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    if (x->set != y->set) return x->set < y->set ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

static int merge_errors(merge_run *m)
{
    error_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (size_t i = 0; i < m->n && rc == 0; i++) rc = read_errors(m, i, &rows, &n, &cap);
    if (rc == 0) {
        mark_kept_errors(rows, n);
        error_row **order = xcalloc(n ? n : 1, sizeof *order);
        size_t kept = 0;
        for (size_t i = 0; i < n; i++)
            if (rows[i].keep) order[kept++] = &rows[i];
        qsort(order, kept, sizeof *order, cmp_error_order);
        report_set_write(m->rs, REPORT_ERRORS, &m->header[REPORT_ERRORS]);
        for (size_t i = 0; i < kept; i++) {
            const error_row *e = order[i];
            for (int c = 0; c < 4; c++) {
                if (c) buf_addc(&m->out, ',');
                merge_add_cell(&m->out, e->cell[c], strlen(e->cell[c]));
            }
            buf_addc(&m->out, '\n');
            if (strcmp(e->cell[2], "error") == 0) m->sum->errors++;
            else if (strcmp(e->cell[2], "warning") == 0) m->sum->warnings++;
            maybe_flush(m, REPORT_ERRORS);
        }
        flush_out(m, REPORT_ERRORS);
        free(order);
    }
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < 4; c++) free(rows[i].cell[c]);
    free(rows);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* run.csv                                                                 */

static void run_text(buf *out, const char *key, const char *value)
{
    csv_row row;
    csv_row_start(&row, out);
    csv_text(&row, key);
    csv_text(&row, value);
    csv_row_end(&row);
}

static void run_count(buf *out, const char *key, unsigned long long value)
{
    csv_row row;
    csv_row_start(&row, out);
    csv_text(&row, key);
    csv_uint(&row, (size_t)value);
    csv_row_end(&row);
}

static void write_run(merge_run *m)
{
    unsigned long long total[N_TOTALS] = {0};
    for (size_t i = 0; i < m->n; i++) {
        for (int t = 0; t < N_TOTALS; t++) {
            if (t == T_EXIT_STATUS) {
                if (m->sets[i].total[t] > total[t]) total[t] = m->sets[i].total[t];
            } else {
                total[t] += m->sets[i].total[t];
            }
        }
    }
    total[T_ERRORS] = m->sum->errors;       /* counted once, as errors.csv has them */
    total[T_WARNINGS] = m->sum->warnings;
    char started[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", &tm);

    const report_dir *first = &m->sets[0];
    buf b = {0};
    buf_adds(&b, "key,value\n");
    run_text(&b, "version", first->version);
    run_text(&b, "started", started);
    run_text(&b, "command", m->o->command ? m->o->command : "dyad merge");
    for (size_t i = 0; i + 1 < first->n_lex; i += 2) run_text(&b, first->lex[i], first->lex[i + 1]);
    if (first->matches) run_text(&b, "matches", first->matches);
    for (size_t i = 0; i < m->n; i++) run_text(&b, "merged_from", m->sets[i].dir);
    for (int t = 0; t < N_TOTALS; t++) run_count(&b, TOTAL_KEYS[t], total[t]);
    report_set_write(m->rs, REPORT_RUN, &b);
    buf_free(&b);
}

/* ---------------------------------------------------------------------- */
/* The whole merge                                                         */

static int merge_into(merge_run *m)
{
    if (check_folders(m) != 0 || check_runs(m) != 0 || check_headers(m) != 0) return 2;
    report_choice choice = {.utterances = m->utterances, .include_text = m->include_text};
    struct stat st;
    int out_existed = stat(m->o->out_dir, &st) == 0;
    m->rs = report_set_open(m->o->out_dir, &choice, m->d);
    if (!m->rs) return 2;
    int rc = merge_sessions(m);
    for (size_t k = 0; k < N_SESSION_REPORTS && rc == 0; k++)
        if (report_set_has(m->rs, SESSION_REPORTS[k])) rc = merge_session_report(m, SESSION_REPORTS[k]);
    if (rc == 0) rc = merge_errors(m);
    if (rc != 0) {
        report_set_abort(m->rs);
        m->rs = NULL;
        if (!out_existed) rmdir(m->o->out_dir);   /* only if empty: leave no trace of a failed merge */
        return 2;
    }
    write_run(m);
    report_set *rs = m->rs;
    m->rs = NULL;
    return report_set_commit(rs, m->d) == 0 ? 0 : 2;
}

int merge_report_sets(const merge_options *o, merge_summary *sum, diag_list *d)
{
    merge_summary unused;
    if (!sum) sum = &unused;
    memset(sum, 0, sizeof *sum);
    if (o->n_dirs == 0) {
        diag_add(d, "", 0, SEV_ERROR, "no report folders to merge");
        return 2;
    }
    merge_run m = {.o = o, .n = o->n_dirs, .sum = sum, .d = d};
    m.sets = xcalloc(m.n, sizeof *m.sets);
    for (size_t i = 0; i < m.n; i++) m.sets[i].dir = o->dirs[i];
    int status = merge_into(&m);
    for (size_t i = 0; i < m.n; i++) report_dir_free(&m.sets[i]);
    free(m.sets);
    for (int k = 0; k < REPORT_COUNT; k++) buf_free(&m.header[k]);
    for (size_t i = 0; i < m.n_sched; i++) free(m.sched[i].id);
    free(m.sched);
    free(m.id_slot);
    meta_table_free(&m.meta);
    buf_free(&m.out);
    return status;
}

/* ---------------------------------------------------------------------- */
/* The command line                                                        */

static int usage(buf *msg, const char *fmt, const char *arg)
{
    buf_adds(msg, "dyad merge: ");
    buf_addf(msg, fmt, arg);
    buf_adds(msg, "\nTry 'dyad merge --help'.\n");
    return 2;
}

int merge_parse_args(int argc, char **argv, merge_options *o, buf *msg)
{
    memset(o, 0, sizeof *o);
    o->dirs = xcalloc(argc > 0 ? (size_t)argc : 1, sizeof *o->dirs);
    int only_dirs = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_dirs || a[0] != '-' || a[1] == '\0') {
            o->dirs[o->n_dirs++] = a;
        } else if (strcmp(a, "--") == 0) {
            only_dirs = 1;
        } else if (strcmp(a, "-o") == 0) {
            if (i + 1 >= argc) return usage(msg, "option '%s' needs a value", a);
            o->out_dir = argv[++i];
        } else if (strncmp(a, "-o", 2) == 0) {
            o->out_dir = a + 2;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            buf_adds(msg, MERGE_USAGE);
            return 0;
        } else {
            return usage(msg, "unknown option '%s'", a);
        }
    }
    if (o->n_dirs == 0) return usage(msg, "%s", "no report folders: give the folders to combine, then -o OUT");
    if (!o->out_dir || !o->out_dir[0]) return usage(msg, "%s", "no output folder: give it with -o OUT");
    return -1;
}

static char *command_line(int argc, char **argv)
{
    buf b = {0};
    buf_adds(&b, "dyad");
    for (int i = 0; i < argc; i++) buf_addf(&b, " %s", argv[i]);
    return buf_take(&b);
}

int merge_main(int argc, char **argv)
{
    merge_options o;
    buf msg = {0};
    int status = merge_parse_args(argc, argv, &o, &msg);
    if (status >= 0) {
        fputs(buf_str(&msg), status ? stderr : stdout);
        buf_free(&msg);
        free(o.dirs);
        return status;
    }
    char *command = command_line(argc, argv);
    o.command = command;
    diag_list d = {0};
    merge_summary sum;
    status = merge_report_sets(&o, &sum, &d);
    for (size_t i = 0; i < d.n; i++) diag_print(&d.items[i], stderr);
    if (status == 0 && !o.quiet)
        fprintf(stderr, "dyad merge: %zu report set%s, %zu session%s, %zu error%s, %zu warning%s; reports in %s\n",
                o.n_dirs, o.n_dirs == 1 ? "" : "s", sum.sessions, sum.sessions == 1 ? "" : "s", sum.errors,
                sum.errors == 1 ? "" : "s", sum.warnings, sum.warnings == 1 ? "" : "s", o.out_dir);
    diag_free(&d);
    free(command);
    free(o.dirs);
    buf_free(&msg);
    return status;
}
