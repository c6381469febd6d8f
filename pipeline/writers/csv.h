/* csv.h: CSV cells and rows, formatted into a buffer.
 *
 * Text cells are quoted by libcsv when they need it (a comma, a quote, a line
 * break) and guarded against spreadsheet formula injection: a text cell that
 * begins with =, +, - or @ gets a leading '. Numbers are never altered: whole
 * numbers as they are, reals with 4 decimals and '.' as the decimal point
 * whatever the locale, undefined values (NAN) as an empty cell. */
#ifndef DYAD_CSV_H
#define DYAD_CSV_H

#include "util/buf.h"

#include <stddef.h>

typedef struct csv_row {
    buf *out;
    int cells;        /* cells written in this row so far */
} csv_row;

void csv_row_start(csv_row *r, buf *out);
void csv_text(csv_row *r, const char *s);
void csv_uint(csv_row *r, size_t v);
void csv_long(csv_row *r, long v);
/* 4 decimals; NAN gives an empty cell. */
void csv_real(csv_row *r, double v);
/* A real given to 3 decimals (times in seconds); NAN gives an empty cell. */
void csv_seconds(csv_row *r, double v);
void csv_empty(csv_row *r);
void csv_row_end(csv_row *r);

/* ---- Cells put straight into memory, for rows written in bulk ----
 * The same bytes as csv_text, csv_uint and csv_long, without the separating
 * comma: the caller reserves room for a whole row at once (csv_reserve),
 * puts cells and separators one after the other, and closes with
 * csv_commit. */

/* The most bytes a text cell of n bytes can take: quotes, the guard, and
 * every byte a doubled quote. */
#define CSV_TEXT_ROOM(n) (2 * (size_t)(n) + 3)
/* The most bytes csv_put_uint and csv_put_long can take. */
#define CSV_NUMBER_ROOM 21

/* A cell a spreadsheet would take for a formula: it gets a leading '. */
static inline int csv_formula_start(const char *s, size_t n)
{
    return n && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
}
/* A byte that makes libcsv quote a cell: , " CR LF (all at most ','). */
static inline int csv_quote_byte(unsigned char c)
{
    return c <= ',' && (c == ',' || c == '"' || c == '\r' || c == '\n');
}
/* The text cell of s[0..n), quoted by libcsv (the slow path of csv_put_text). */
size_t csv_put_quoted(char *dst, const char *s, size_t n);
/* Text cell of s[0..n) (no NUL in it) at dst, which has CSV_TEXT_ROOM(n)
 * bytes; returns the bytes written. Inline, and copying while it looks for
 * a byte that needs quotes, because it runs once per row of matches.csv. */
static inline size_t csv_put_text(char *dst, const char *s, size_t n)
{
    size_t guard = (size_t)csv_formula_start(s, n);
    dst[0] = '\'';   /* kept only when guarded, overwritten otherwise */
    for (size_t i = 0; i < n; i++) {
        if (csv_quote_byte((unsigned char)s[i])) return csv_put_quoted(dst, s, n);
        dst[guard + i] = s[i];
    }
    return guard + n;
}
size_t csv_put_uint(char *dst, unsigned long long v);
size_t csv_put_long(char *dst, long v);
/* The most bytes csv_put_real and csv_put_seconds can take: a value printf
 * writes longer than 63 bytes (beyond about 1e58) is cut to 63, as the
 * cells always have been. */
#define CSV_REAL_ROOM 64
/* csv_real's and csv_seconds' cells at dst, which has CSV_REAL_ROOM bytes
 * (NAN: nothing); returns the bytes written. */
size_t csv_put_real(char *dst, double v);
size_t csv_put_seconds(char *dst, double v);
/* Room for n more bytes at the end of out; returns where they go. Nothing
 * counts as written until csv_commit(out, end), end being one past the last
 * byte put. */
char *csv_grow(buf *out, size_t n);
static inline char *csv_reserve(buf *out, size_t n)
{
    return out->cap - out->len > n ? out->data + out->len : csv_grow(out, n);
}
static inline void csv_commit(buf *out, char *end)
{
    out->len = (size_t)(end - out->data);
    out->data[out->len] = '\0';
}

#endif
