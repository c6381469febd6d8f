/* table.c: read a CSV file into rows that remember their line (table.h). */
#include "table.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A line break at s[*pos] (CRLF, LF or CR) is consumed and counted. */
static int take_line_break(const char *s, size_t n, size_t *pos, long *line)
{
    if (*pos >= n) return 0;
    if (s[*pos] == '\r') {
        (*pos)++;
        if (*pos < n && s[*pos] == '\n') (*pos)++;
        (*line)++;
        return 1;
    }
    if (s[*pos] == '\n') {
        (*pos)++;
        (*line)++;
        return 1;
    }
    return 0;
}

static void row_push(table_row *row, size_t *cap, buf *field)
{
    row->field = xgrow(row->field, cap, row->n + 1, sizeof *row->field);
    row->field[row->n++] = buf_take(field);
}

/* A quoted field from the opening quote at s[*pos]; text after the closing
 * quote up to the next comma or line break is kept as written. */
static int read_quoted(const char *s, size_t n, size_t *pos, long *line, buf *field)
{
    (*pos)++;
    for (;;) {
        if (*pos >= n) return -1;
        char c = s[*pos];
        if (c == '"') {
            if (*pos + 1 < n && s[*pos + 1] == '"') {
                buf_addc(field, '"');
                *pos += 2;
                continue;
            }
            (*pos)++;
            break;
        }
        if (c == '\r' || c == '\n') {
            take_line_break(s, n, pos, line);
            buf_addc(field, '\n');
            continue;
        }
        buf_addc(field, c);
        (*pos)++;
    }
    while (*pos < n && s[*pos] != ',' && s[*pos] != '\n' && s[*pos] != '\r') buf_addc(field, s[(*pos)++]);
    return 0;
}

static void read_plain(const char *s, size_t n, size_t *pos, buf *field)
{
    while (*pos < n && s[*pos] != ',' && s[*pos] != '\n' && s[*pos] != '\r') buf_addc(field, s[(*pos)++]);
}

static void table_add_row(table *t, const table_row *row, int is_header)
{
    if (is_header) {
        t->header = *row;
        return;
    }
    t->rows = xgrow(t->rows, &t->cap_rows, t->n_rows + 1, sizeof *t->rows);
    t->rows[t->n_rows++] = *row;
}

int table_parse(table *t, const char *path, const char *s, size_t n, char *err, size_t err_size)
{
    memset(t, 0, sizeof *t);
    t->path = xstrdup(path);
    size_t pos = 0;
    long line = 1;
    int have_header = 0;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) pos = 3;
    while (pos < n) {
        if (take_line_break(s, n, &pos, &line)) continue;   /* a blank line */
        table_row row = {line, NULL, 0};
        size_t cap = 0;
        buf field = {0};
        for (;;) {
            if (pos < n && s[pos] == '"') {
                if (read_quoted(s, n, &pos, &line, &field) != 0) {
                    snprintf(err, err_size, "%s:%ld: unterminated quoted field; close it with "
                             "\" (write \"\" for a quote inside it)", path, row.line);
                    buf_free(&field);
                    for (size_t i = 0; i < row.n; i++) free(row.field[i]);
                    free(row.field);
                    table_free(t);
                    return -1;
                }
            } else {
                read_plain(s, n, &pos, &field);
            }
            row_push(&row, &cap, &field);
            if (pos < n && s[pos] == ',') {
                pos++;
                continue;
            }
            take_line_break(s, n, &pos, &line);
            break;
        }
        table_add_row(t, &row, !have_header);
        have_header = 1;
    }
    if (!have_header) {
        snprintf(err, err_size, "%s: empty file; a CSV file with a header line is needed", path);
        table_free(t);
        return -1;
    }
    return 0;
}

int table_load(table *t, const char *path, char *err, size_t err_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: cannot open: %s", path, strerror(errno));
        memset(t, 0, sizeof *t);
        return -1;
    }
    buf text = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) buf_add(&text, chunk, got);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        snprintf(err, err_size, "%s: read error", path);
        buf_free(&text);
        memset(t, 0, sizeof *t);
        return -1;
    }
    int rc = table_parse(t, path, buf_str(&text), text.len, err, err_size);
    buf_free(&text);
    return rc;
}

int table_column(const table *t, const char *name)
{
    for (size_t i = 0; i < t->header.n; i++)
        if (strcmp(t->header.field[i], name) == 0) return (int)i;
    return -1;
}

const char *table_cell(const table *t, size_t r, int col)
{
    if (col < 0 || r >= t->n_rows || (size_t)col >= t->rows[r].n) return "";
    return t->rows[r].field[col];
}

static void row_free(table_row *row)
{
    for (size_t i = 0; i < row->n; i++) free(row->field[i]);
    free(row->field);
}

void table_free(table *t)
{
    row_free(&t->header);
    for (size_t i = 0; i < t->n_rows; i++) row_free(&t->rows[i]);
    free(t->rows);
    free(t->path);
    memset(t, 0, sizeof *t);
}
