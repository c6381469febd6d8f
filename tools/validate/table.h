/* table.h: a CSV file in memory, for the validation tool.
 *
 * The validation joins dyad's reports with the expert codes of the source
 * file by the line where each row starts, so every row keeps that line
 * (line breaks inside quoted fields counted, as dyad counts them). RFC 4180
 * quoting, comma-separated; CRLF, CR and LF line ends; a UTF-8 BOM is
 * skipped; blank lines are skipped. A `"` inside an unquoted field is an
 * ordinary character, as in dyad's CSV reader. */
#ifndef DYAD_VALIDATE_TABLE_H
#define DYAD_VALIDATE_TABLE_H

#include <stddef.h>

typedef struct table_row {
    long line;        /* the line where the row starts, from 1 */
    char **field;     /* n fields, each NUL-terminated */
    size_t n;
} table_row;

typedef struct table {
    char *path;
    table_row header;
    table_row *rows;  /* the rows after the header */
    size_t n_rows, cap_rows;
} table;

/* Read the file at `path` into `t`. Returns 0, or -1 with a message in `err`
 * (of size `err_size`) naming the file, the line and the fix. */
int table_load(table *t, const char *path, char *err, size_t err_size);

/* Parse `n` bytes of CSV text (the same rules); `path` names it in messages. */
int table_parse(table *t, const char *path, const char *text, size_t n, char *err,
                size_t err_size);

/* The index of the header column `name` (exact match), or -1. */
int table_column(const table *t, const char *name);

/* The cell of row `r` in column `col`; "" when col is -1 or the row is short. */
const char *table_cell(const table *t, size_t r, int col);

void table_free(table *t);

#endif
