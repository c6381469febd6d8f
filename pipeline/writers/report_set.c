/* report_set.c: writing reports through temporary files renamed into place
 * (see reports.h). */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE   /* sync_file_range */
#endif
#include "writers/reports.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* bytes of a report between two starts of its writeback */
#define WRITEBACK_EVERY (4u << 20)

static const char *const REPORT_NAMES[REPORT_COUNT] = {
    "sessions.csv", "speakers.csv", "matches.csv", "segments.csv",
    "windows.csv", "utterances.csv", "errors.csv", "run.csv",
};

const char *report_file_name(report_kind k) { return REPORT_NAMES[k]; }

struct report_set {
    char *dir;
    char *tmp_path[REPORT_COUNT];
    char *final_path[REPORT_COUNT];
    FILE *f[REPORT_COUNT];      /* NULL for a report this run does not write */
    size_t unsent[REPORT_COUNT]; /* bytes written since writeback was last started */
    int write_errno;            /* first write error, 0 if none */
    report_kind failed_report;
    /* each file's stdio buffer: rows come a few KB per input file, gathered
     * into 64 KB writes rather than the 4 KB stdio would choose (a system
     * call per report per file); kept here, as the files are closed before
     * the set is freed; sessions.csv's final file has its own, as the
     * first one is read back while it is written */
    char buffer[REPORT_COUNT][64 * 1024];
    char final_sessions_buffer[64 * 1024];
};

/* Start writing f's dirty pages to disk without waiting for them (Linux;
 * elsewhere nothing), so that the fsync at the end finds little left to
 * wait for: the kernel writes them while dyad goes on analysing (200 MB
 * of transcripts: the fsyncs and renames at the end took 5-8 ms instead
 * of 20-25). */
static void start_writeback(FILE *f)
{
#ifdef __linux__
    int err = errno;   /* a hint: its failure is nobody's error */
    (void)sync_file_range(fileno(f), 0, 0, SYNC_FILE_RANGE_WRITE);
    errno = err;
#else
    (void)f;
#endif
}

/* Whether report k's pages are sent to disk as it grows: not for
 * sessions.csv's first file, which is read back and deleted, nor for the
 * per-match and per-utterance files, many times the size of the others:
 * writing a 1.4 GB matches.csv back during the run (200 MB of
 * transcripts, one thread) cost its writing thread 0.7 s more CPU time
 * and made no run faster. */
static int writes_back_early(report_kind k)
{
    return k != REPORT_SESSIONS && k != REPORT_MATCHES && k != REPORT_UTTERANCES;
}

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    char *p = xmalloc(n + strlen(name) + 2);
    sprintf(p, "%s%s%s", dir, (n && dir[n - 1] == '/') ? "" : "/", name);
    return p;
}

/* mkdir -p */
static int make_dirs(const char *dir)
{
    char *p = xstrdup(dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = (mkdir(p, 0777) != 0 && errno != EEXIST) ? -1 : 0;
    free(p);
    return rc;
}

static void close_and_unlink(report_set *rs)
{
    for (int k = 0; k < REPORT_COUNT; k++) {
        if (rs->f[k]) fclose(rs->f[k]);
        rs->f[k] = NULL;
        if (rs->tmp_path[k]) unlink(rs->tmp_path[k]);
    }
}

static void report_set_free(report_set *rs)
{
    for (int k = 0; k < REPORT_COUNT; k++) {
        free(rs->tmp_path[k]);
        free(rs->final_path[k]);
    }
    free(rs->dir);
    free(rs);
}

/* Open a temporary file, writing through `buffer`; mode 0600 when it will
 * hold transcript text. */
static FILE *open_temp(const char *path, int private_mode, int read_back, char *buffer, size_t size)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, private_mode ? 0600 : 0666);
    if (fd < 0) return NULL;
    FILE *f = fdopen(fd, read_back ? "w+b" : "wb");
    if (!f) {
        close(fd);
        return NULL;
    }
    setvbuf(f, buffer, _IOFBF, size);
    return f;
}

int report_set_has(const report_set *rs, report_kind k)
{
    return rs->tmp_path[k] != NULL;
}

report_set *report_set_open(const char *dir, const report_choice *choice, diag_list *d)
{
    struct stat st;
    if (make_dirs(dir) != 0 || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        diag_add(d, dir, 0, SEV_ERROR, "cannot create the output folder: %s; choose another with -o DIR",
                 strerror(errno ? errno : ENOTDIR));
        return NULL;
    }
    report_set *rs = xcalloc(1, sizeof *rs);
    rs->dir = xstrdup(dir);
    for (int k = 0; k < REPORT_COUNT; k++) {
        if (k == REPORT_UTTERANCES && !(choice && choice->utterances)) continue;
        char tmp_name[128];
        snprintf(tmp_name, sizeof tmp_name, ".%s.tmp-%ld", REPORT_NAMES[k], (long)getpid());
        rs->tmp_path[k] = join_path(dir, tmp_name);
        rs->final_path[k] = join_path(dir, REPORT_NAMES[k]);
        int private_mode = k == REPORT_UTTERANCES && choice->include_text;
        rs->f[k] = open_temp(rs->tmp_path[k], private_mode, k == REPORT_SESSIONS, rs->buffer[k],
                             sizeof rs->buffer[k]);
        if (!rs->f[k]) {
            diag_add(d, dir, 0, SEV_ERROR, "cannot write to the output folder: %s; choose another with -o DIR",
                     strerror(errno));
            free(rs->tmp_path[k]);
            rs->tmp_path[k] = NULL;
            close_and_unlink(rs);
            report_set_free(rs);
            return NULL;
        }
    }
    return rs;
}

int report_set_write(report_set *rs, report_kind k, const buf *b)
{
    if (!rs->f[k]) return 0;
    if (rs->write_errno) return -1;
    if (b->len && fwrite(b->data, 1, b->len, rs->f[k]) != b->len) {
        rs->write_errno = errno ? errno : EIO;
        rs->failed_report = k;
        return -1;
    }
    if (writes_back_early(k) && (rs->unsent[k] += b->len) >= WRITEBACK_EVERY) {
        rs->unsent[k] = 0;
        start_writeback(rs->f[k]);
    }
    return 0;
}

static int fail_write(report_set *rs, report_kind k)
{
    if (!rs->write_errno) {
        rs->write_errno = errno ? errno : EIO;
        rs->failed_report = k;
    }
    return -1;
}

/* Copy the rows of the body file to out, each with its meta cells before
 * its newline. Rows are found by their newlines: a newline inside a cell is
 * always quoted (writers/csv.h), and a quote is either a cell's opening or
 * closing quote or one of a doubled pair, so counting quotes tells which
 * newlines end a row. The body is read in blocks, so neither the rows nor
 * their lengths are kept. Fails when the body is not the rows and bytes
 * the table counted. */
static int copy_rows_with_meta(FILE *body, FILE *out, const meta_table *mt)
{
    enum { BLOCK = 16384 };
    char *block = xmalloc(BLOCK);
    buf cells = {0};
    size_t row = 0, bytes = 0, n;
    int quoted = 0, rc = 0, row_open = 0;
    while (rc == 0 && (n = fread(block, 1, BLOCK, body)) > 0) {
        size_t from = 0;   /* the bytes of block not yet written */
        for (size_t i = 0; i < n && rc == 0; i++) {
            if (block[i] == '"') {
                quoted = !quoted;
            } else if (block[i] == '\n' && !quoted) {
                buf_clear(&cells);
                meta_table_cells(mt, row, &cells);
                if (fwrite(block + from, 1, i - from, out) != i - from ||
                    fwrite(buf_str(&cells), 1, cells.len, out) != cells.len || fputc('\n', out) == EOF)
                    rc = -1;
                from = i + 1;
                row++;
            }
        }
        if (rc == 0 && fwrite(block + from, 1, n - from, out) != n - from) rc = -1;
        row_open = from < n;
        bytes += n;
    }
    if (ferror(body)) rc = -1;
    else if (rc == 0 && (row_open || row != mt->n_rows || bytes != mt->bytes)) {
        errno = EIO;   /* not the rows the table counted */
        rc = -1;
    }
    free(block);
    buf_free(&cells);
    return rc;
}

int report_set_finish_sessions(report_set *rs, const buf *header, const meta_table *mt)
{
    if (rs->write_errno) return -1;
    FILE *body = rs->f[REPORT_SESSIONS];
    if (fflush(body) != 0 || fseek(body, 0, SEEK_SET) != 0) return fail_write(rs, REPORT_SESSIONS);
    char name[128];
    snprintf(name, sizeof name, ".sessions.csv.tmp2-%ld", (long)getpid());
    char *path = join_path(rs->dir, name);
    FILE *out = fopen(path, "wb");
    if (!out) {
        free(path);
        return fail_write(rs, REPORT_SESSIONS);
    }
    setvbuf(out, rs->final_sessions_buffer, _IOFBF, sizeof rs->final_sessions_buffer);
    buf head = {0};
    buf_add(&head, header->data, header->len ? header->len - 1 : 0);   /* without its newline */
    meta_table_header(mt, &head);
    buf_addc(&head, '\n');
    int rc = fwrite(head.data, 1, head.len, out) == head.len ? 0 : -1;
    buf_free(&head);
    if (rc == 0) rc = copy_rows_with_meta(body, out, mt);
    int err = errno;   /* the failure's, before fclose and unlink */
    fclose(body);
    unlink(rs->tmp_path[REPORT_SESSIONS]);
    free(rs->tmp_path[REPORT_SESSIONS]);
    rs->tmp_path[REPORT_SESSIONS] = path;
    rs->f[REPORT_SESSIONS] = out;
    if (rc == 0) return 0;
    errno = err;
    return fail_write(rs, REPORT_SESSIONS);
}

int report_set_commit(report_set *rs, diag_list *d)
{
    for (int k = 0; k < REPORT_COUNT && !rs->write_errno; k++) {
        FILE *f = rs->f[k];
        if (!f) continue;
        rs->f[k] = NULL;
        if (fflush(f) != 0 || fsync(fileno(f)) != 0 || ferror(f)) {
            rs->write_errno = errno ? errno : EIO;
            rs->failed_report = (report_kind)k;
            fclose(f);
        } else if (fclose(f) != 0) {
            rs->write_errno = errno ? errno : EIO;
            rs->failed_report = (report_kind)k;
        }
    }
    if (rs->write_errno) {
        diag_add(d, rs->final_path[rs->failed_report], 0, SEV_ERROR,
                 "cannot write the report: %s; no report was replaced (free some space or choose another folder with -o DIR)",
                 strerror(rs->write_errno));
        close_and_unlink(rs);
        report_set_free(rs);
        return -1;
    }
    for (int k = 0; k < REPORT_COUNT; k++) {
        if (!rs->tmp_path[k]) continue;
        if (rename(rs->tmp_path[k], rs->final_path[k]) != 0) {
            diag_add(d, rs->final_path[k], 0, SEV_ERROR, "cannot move the report into place: %s",
                     strerror(errno));
            close_and_unlink(rs);
            report_set_free(rs);
            return -1;
        }
    }
    report_set_free(rs);
    return 0;
}

void report_set_abort(report_set *rs)
{
    close_and_unlink(rs);
    report_set_free(rs);
}
