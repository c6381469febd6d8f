/* errors_csv.c: errors.csv (every error and warning of the run) and run.csv
 * (what was run, with what, and the totals). */
#include "writers/csv.h"
#include "writers/reports.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void errors_csv_header(buf *out)
{
    buf_adds(out, "source,line,severity,message\n");
}

/* errors.csv is sorted by source, then line (stable), so that its order
 * depends neither on the order files were read in nor on how a batch was
 * split into shards (dyad merge sorts the same way). */
static int cmp_diag_order(const void *a, const void *b)
{
    const diag *x = *(const diag *const *)a, *y = *(const diag *const *)b;
    int c = strcmp(x->source, y->source);
    if (c) return c;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    return x < y ? -1 : x > y;   /* stable: by position in the list */
}

void errors_csv_rows(buf *out, const diag_list *d)
{
    const diag **order = xcalloc(d->n ? d->n : 1, sizeof *order);
    for (size_t i = 0; i < d->n; i++) order[i] = &d->items[i];
    qsort(order, d->n, sizeof *order, cmp_diag_order);
    for (size_t i = 0; i < d->n; i++) {
        const diag *m = order[i];
        csv_row row;
        csv_row_start(&row, out);
        csv_text(&row, m->source);
        if (m->line > 0) csv_long(&row, m->line);
        else csv_empty(&row);
        csv_text(&row, severity_name(m->sev));
        csv_text(&row, m->message);
        csv_row_end(&row);
    }
    free(order);
}

static void key_text(buf *out, const char *key, const char *value)
{
    csv_row row;
    csv_row_start(&row, out);
    csv_text(&row, key);
    csv_text(&row, value);
    csv_row_end(&row);
}

static void key_count(buf *out, const char *key, size_t value)
{
    csv_row row;
    csv_row_start(&row, out);
    csv_text(&row, key);
    csv_uint(&row, value);
    csv_row_end(&row);
}

void run_csv(buf *out, const run_info *info)
{
    buf_adds(out, "key,value\n");
    key_text(out, "version", info->version);
    key_text(out, "started", info->started);
    key_text(out, "command", info->command);
    for (size_t i = 0; i < lexicon_file_count(info->lexicon); i++) {
        key_text(out, "lexicon", lexicon_file_path(info->lexicon, i));
        key_text(out, "lexicon_sha256", lexicon_file_sha256(info->lexicon, i));
    }
    key_text(out, "matches", info->matches ? "listed" : "off (--no-matches)");
    key_count(out, "inputs", info->inputs);
    key_count(out, "files_failed", info->files_failed);
    key_count(out, "sessions", info->sessions);
    key_count(out, "errors", info->errors);
    key_count(out, "warnings", info->warnings);
    key_count(out, "exit_status", (size_t)info->exit_status);
}
