/* meta_table.h: the meta_<column> cells of sessions.csv.
 *
 * Some readers (CSV) carry per-session metadata columns (a quality rating, a
 * topic, a condition). Which columns exist is known only once every input is
 * read, so sessions.csv rows are written without them, and this table keeps
 * the metadata until the end, when the header and the extra cells are added
 * (report_set_finish_sessions). Only sessions that have metadata take room:
 * a run whose inputs carry none holds two counters, however many sessions
 * it has. A session's cells and values are one allocation. */
#ifndef DYAD_META_TABLE_H
#define DYAD_META_TABLE_H

#include "model/session.h"
#include "util/buf.h"

#include <stddef.h>

typedef struct meta_cell {
    size_t key;          /* index into meta_table.keys */
    const char *value;   /* in the same allocation as the row's cells */
} meta_cell;

/* The metadata of one sessions.csv row. */
typedef struct meta_row {
    size_t row;          /* the row's index among every row of the table (0-based) */
    meta_cell *cells;
    size_t n_cells;
} meta_row;

typedef struct meta_table {
    char **keys;         /* column names without the meta_ prefix, in order of first appearance */
    size_t n_keys, cap_keys;
    size_t n_rows;       /* rows recorded, with metadata or not */
    size_t bytes;        /* their bytes as written, newlines included */
    meta_row *with_meta; /* the rows that have metadata, in row order */
    size_t n_with_meta, cap_with_meta;
    size_t *key_slots;   /* hash of keys: key index + 1, 0 = empty (meta_table.c only) */
    size_t n_slots;
} meta_table;

/* Record the next sessions.csv row: its length and the session's metadata. */
void meta_table_add_row(meta_table *t, size_t row_len, const session *s);
/* ",meta_a,meta_b" for the header. */
void meta_table_header(const meta_table *t, buf *out);
/* ",value_a,value_b" for row i (empty cells where the session lacks a key;
 * nothing at all when no row has metadata). */
void meta_table_cells(const meta_table *t, size_t row, buf *out);
/* Move every row of `from` to the end of `to` (keys are remapped); `from`
 * is left empty. */
void meta_table_append(meta_table *to, meta_table *from);
void meta_table_free(meta_table *t);

#endif
