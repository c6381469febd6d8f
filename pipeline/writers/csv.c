/* csv.c: CSV cell formatting (see csv.h). */
#include "writers/csv.h"
#include "util/xalloc.h"

#include <csv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void csv_row_start(csv_row *r, buf *out)
{
    r->out = out;
    r->cells = 0;
}

static void next_cell(csv_row *r)
{
    if (r->cells++) buf_addc(r->out, ',');
}

char *csv_grow(buf *out, size_t n)
{
    out->data = xgrow(out->data, &out->cap, out->len + n + 1, 1);
    return out->data + out->len;
}

size_t csv_put_quoted(char *dst, const char *s, size_t n)
{
    /* libcsv quotes the cell and doubles its quotes; the guard goes just
     * inside the opening quote */
    size_t guard = (size_t)csv_formula_start(s, n);
    size_t n_quoted = csv_write(dst + guard, CSV_TEXT_ROOM(n) - guard, s, n);
    if (guard) {
        dst[0] = '"';
        dst[1] = '\'';
    }
    return guard + n_quoted;
}

void csv_text(csv_row *r, const char *s)
{
    size_t n = strlen(s);
    char *p = csv_reserve(r->out, 1 + CSV_TEXT_ROOM(n));
    if (r->cells++) *p++ = ',';
    csv_commit(r->out, p + csv_put_text(p, s, n));
}

/* How many decimal digits v has (1 for 0). */
static size_t decimal_digits(unsigned long long v)
{
    size_t n = 1;
    for (; v >= 10; v /= 10) n++;
    return n;
}

/* The decimal digits of v ending just before end, last digit first;
 * returns where they start. */
static char *put_digits_before(char *end, unsigned long long v)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

/* Decimal digits of v, without printf (reports are mostly numbers); they
 * are counted first so that they can be put in place. */
size_t csv_put_uint(char *dst, unsigned long long v)
{
    size_t n = decimal_digits(v);
    put_digits_before(dst + n, v);
    return n;
}

size_t csv_put_long(char *dst, long v)
{
    if (v >= 0) return csv_put_uint(dst, (unsigned long long)v);
    dst[0] = '-';
    return 1 + csv_put_uint(dst + 1, 0ULL - (unsigned long long)v);
}

/* Room for a cell of at most `room` bytes after its comma; returns where
 * the cell goes (csv_commit it). */
static char *cell_start(csv_row *r, size_t room)
{
    char *p = csv_reserve(r->out, 1 + room);
    if (r->cells++) *p++ = ',';
    return p;
}

void csv_uint(csv_row *r, size_t v)
{
    char *p = cell_start(r, CSV_NUMBER_ROOM);
    csv_commit(r->out, p + csv_put_uint(p, v));
}

void csv_long(csv_row *r, long v)
{
    char *p = cell_start(r, CSV_NUMBER_ROOM);
    csv_commit(r->out, p + csv_put_long(p, v));
}

/* "00" to "99", for the decimals. */
static const char DIGIT_PAIRS[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* The most bytes put_fixed writes: a sign, 9 digits, the point, 4 decimals. */
#define FIXED_ROOM 16

/* v with `decimals` decimals (1 to 4; unit is 10 to the decimals) at dst, the
 * same digits as printf's, when v is clearly away from a rounding tie once
 * scaled to an integer (printf rounds the exact binary value; near a tie
 * only printf knows which way it goes). Returns the bytes written, or 0
 * when printf has to do it. */
static size_t put_fixed(char *dst, double v, int decimals, uint32_t unit)
{
    double x = fabs(v) * unit;
    /* below 1e9 the product is exact to within 1.2e-7, far inside the
     * margin, and converting to an integer is floor */
    if (!(x < 1e9)) return 0;
    uint32_t whole = (uint32_t)x;
    double frac = x - whole;
    if (fabs(frac - 0.5) <= 1e-6) return 0;
    uint32_t n = whole + (frac > 0.5), ip = n / unit, f = n % unit;
    char *p = dst;
    if (v < 0 && n != 0) *p++ = '-';
    /* put in place from the last decimal back, two decimals at a time */
    char *end = p + decimal_digits(ip) + 1 + decimals, *q = end;
    int left = decimals;
    for (; left >= 2; left -= 2, f /= 100) {
        q -= 2;
        memcpy(q, DIGIT_PAIRS + 2 * (f % 100), 2);
    }
    if (left) *--q = (char)('0' + f);
    *--q = '.';
    put_digits_before(q, ip);
    return (size_t)(end - dst);
}

/* printf's "%.*f" with a fixed number of decimals, normalising "-0.000" to
 * "0.000"; NAN is an empty cell. dyad never calls setlocale, so printf's
 * decimal point is always '.'. */
static void add_fixed(csv_row *r, double v, int decimals, uint32_t unit)
{
    char *p = cell_start(r, FIXED_ROOM);
    size_t n = isnan(v) ? 0 : put_fixed(p, v, decimals, unit);
    csv_commit(r->out, p + n);
    if (n || isnan(v)) return;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    const char *s = tmp;
    if (tmp[0] == '-' && strspn(tmp + 1, "0.") == strlen(tmp + 1)) s = tmp + 1;
    buf_adds(r->out, s);
}

void csv_real(csv_row *r, double v) { add_fixed(r, v, 4, 10000); }

void csv_seconds(csv_row *r, double v) { add_fixed(r, v, 3, 1000); }

void csv_empty(csv_row *r) { next_cell(r); }

void csv_row_end(csv_row *r) { buf_addc(r->out, '\n'); }
