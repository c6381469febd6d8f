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

#endif
