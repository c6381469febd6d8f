/* reports.h: the CSV reports, one formatter per file, and the set of files
 * they are written to.
 *
 * Formatters turn a session's result into rows in a buffer (so worker threads
 * can format while the main thread writes, in session_id order). A
 * report_set writes each report to a temporary file in the output folder and
 * renames them all into place only when every write succeeded: a failed run
 * never leaves half a report, and a previous report is only ever replaced by
 * a complete new one. */
#ifndef DYAD_REPORTS_H
#define DYAD_REPORTS_H

#include "analysis/analysis.h"
#include "analysis/lexicon.h"
#include "model/session.h"
#include "util/buf.h"
#include "util/diag.h"
#include "writers/meta_table.h"

typedef enum {
    REPORT_SESSIONS,
    REPORT_SPEAKERS,
    REPORT_MATCHES,
    REPORT_SEGMENTS,
    REPORT_WINDOWS,
    REPORT_UTTERANCES,   /* only with --utterances */
    REPORT_ERRORS,
    REPORT_RUN,
    REPORT_COUNT
} report_kind;

/* Which reports a run writes, and whether utterances.csv carries text. */
typedef struct report_choice {
    int utterances;      /* --utterances */
    int include_text;    /* --include-text: utterances.csv gets a text column, mode 0600 */
} report_choice;

const char *report_file_name(report_kind k);

/* The category columns shared by speakers.csv and segments.csv: for every
 * lexicon category, its count and its rate per 1,000 words. */
struct csv_row;
void category_header_cells(struct csv_row *row, const lexicon *lx);
void category_cells(struct csv_row *row, const talk_stats *t, size_t n_categories);

/* sessions.csv */
void sessions_csv_header(buf *out, const lexicon *lx);
void sessions_csv_row(buf *out, const session *s, const session_result *r, const lexicon *lx);
/* speakers.csv */
void speakers_csv_header(buf *out, const lexicon *lx);
void speakers_csv_rows(buf *out, const session *s, const session_result *r);
/* segments.csv and windows.csv */
void segments_csv_header(buf *out, const lexicon *lx);
void segments_csv_rows(buf *out, const session *s, const session_result *r);
void windows_csv_header(buf *out);
void windows_csv_rows(buf *out, const session *s, const session_result *r);
/* utterances.csv */
void utterances_csv_header(buf *out, const report_choice *choice);
void utterances_csv_rows(buf *out, const session *s, const session_result *r, const lexicon *lx,
                         const report_choice *choice);
/* matches.csv */
void matches_csv_header(buf *out);
void matches_csv_rows(buf *out, const session *s, const session_result *r, const lexicon *lx);
/* The same rows, with the escaped category and rule cells kept in a cache
 * from one session to the next: a thread then escapes each rule's cells
 * once, not once per session (matches_csv_rows makes a cache per call; the
 * lexicon's strings are mostly out of the CPU cache by then, about 70 ns a
 * rule a session). One cache per thread; it belongs to its lexicon and is
 * freed before it. */
typedef struct matches_cache matches_cache;
matches_cache *matches_cache_new(const lexicon *lx);
void matches_cache_free(matches_cache *c);
void matches_csv_rows_cached(buf *out, const session *s, const session_result *r, matches_cache *c);
/* errors.csv */
void errors_csv_header(buf *out);
void errors_csv_rows(buf *out, const diag_list *d);
/* run.csv */
typedef struct run_info {
    const char *version;
    const char *started;      /* ISO 8601, UTC */
    const char *command;      /* the command line, arguments joined by spaces */
    const lexicon *lexicon;
    size_t inputs;            /* input files seen */
    size_t files_failed;      /* input files that gave no session */
    size_t sessions;
    size_t errors;
    size_t warnings;
    int exit_status;
    int matches;              /* matches.csv lists the matches (not --no-matches) */
} run_info;
void run_csv(buf *out, const run_info *info);

typedef struct report_set report_set;

/* Create the output folder if needed and open a temporary file for each
 * report. NULL with an error in d when the folder cannot be written. */
report_set *report_set_open(const char *dir, const report_choice *choice, diag_list *d);
/* Nonzero when report k is written in this run. */
int report_set_has(const report_set *rs, report_kind k);
/* Append bytes to report k (ignored for a report not written). Returns 0, or -1 (the error is kept and
 * reported by report_set_commit). */
int report_set_write(report_set *rs, report_kind k, const buf *b);
/* sessions.csv is written as rows only; this puts `header` (one line) in
 * front and each session's meta_ cells at the end of its row. Call once,
 * after the last row, before commit. Returns 0 or -1 (kept for commit). */
int report_set_finish_sessions(report_set *rs, const buf *header, const meta_table *mt);
/* Flush, close and rename every report into place. Returns 0, or -1 with an
 * error in d and no report replaced. Frees rs either way. */
int report_set_commit(report_set *rs, diag_list *d);
/* Remove the temporary files; frees rs. */
void report_set_abort(report_set *rs);

#endif
