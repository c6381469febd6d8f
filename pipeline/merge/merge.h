/* merge.h: `dyad merge DIR... -o OUT`, combining report sets into one.
 *
 * A batch split with --shard K/N gives N report sets over disjoint inputs;
 * merging them gives the reports a single run over all the inputs would have
 * written, byte for byte (run.csv aside: it records the merge). Rows are
 * parsed with libcsv and written back with the writers' quoting rule, so a
 * cell comes out exactly as it went in.
 *
 * How the reports are combined:
 *   sessions.csv  a k-way merge of the sets' rows in the order a single run
 *                 writes them (by each session's file id, then session id);
 *                 the meta_ columns are recomputed as a union, in order of
 *                 first appearance, with empty cells where a session has no
 *                 value (writers/meta_table.h).
 *   speakers.csv, matches.csv, segments.csv, windows.csv, utterances.csv
 *                 each session's rows, taken from its set in the order the
 *                 sessions were merged.
 *   errors.csv    every set's rows, sorted like a single run (source, then
 *                 line, stable); a row found in several sets (a message about
 *                 the run itself, such as a lexicon warning or a missing
 *                 path, which every part reports) is kept once.
 *   run.csv       version and lexicons (which must agree), the merge's own
 *                 start and command, one merged_from row per set, and the
 *                 totals (sums; errors and warnings counted from the merged
 *                 errors.csv; exit_status the largest).
 * Nothing is written unless every set is readable and compatible; the output
 * goes through writers/reports.h's report_set (temporary files renamed into
 * place). Only one report of each set is open at a time; memory grows with
 * the number of sessions (their ids and meta cells) and with errors.csv. */
#ifndef DYAD_MERGE_H
#define DYAD_MERGE_H

#include "util/buf.h"
#include "util/diag.h"

#include <stddef.h>

/* The `dyad merge` command: argv[0] is "merge", then DIR... -o OUT [-q].
 * Prints messages to stderr. Returns the exit status: 0 merged, 2 usage
 * error or unreadable or incompatible report sets (nothing written). */
int merge_main(int argc, char **argv);

typedef struct merge_options {
    const char **dirs;       /* the report sets, in the order given */
    size_t n_dirs;
    const char *out_dir;
    const char *command;     /* for run.csv */
    int quiet;
} merge_options;

/* Parse merge_main's arguments into o (o->dirs is allocated; free it).
 * Returns -1 to go on, or an exit status (0 after --help, whose text is
 * put in msg; 2 with the usage error in msg). */
int merge_parse_args(int argc, char **argv, merge_options *o, buf *msg);

/* What a merge produced, for the summary line. */
typedef struct merge_summary {
    size_t sessions, errors, warnings;
} merge_summary;

/* Merge o->dirs into o->out_dir. Returns 0, or 2 with the reasons in d and
 * no report written. Prints nothing. */
int merge_report_sets(const merge_options *o, merge_summary *sum, diag_list *d);

/* The id of the input file a session came from: session_id itself, or the
 * part of it before a '/' (a CSV file's sessions are "FILE_ID/VALUE"),
 * whichever is the longest that the source path, without its extension,
 * ends with. A single run writes its files in file-id order, and each
 * file's sessions in session-id order. Returns a new string. */
char *merge_file_id(const char *session_id, const char *source);

/* A cell as the writers write it: in double quotes (inner quotes doubled)
 * when it holds a comma, a quote, CR or LF; otherwise as it is. */
void merge_add_cell(buf *out, const char *s, size_t len);

#endif
