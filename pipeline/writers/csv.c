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

/* "00" to "99", for putting digits two at a time. */
static const char DIGIT_PAIRS[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* How many decimal digits v has (1 for 0), two at a time. */
static inline size_t decimal_digits(unsigned long long v)
{
    size_t n = 1;
    for (; v >= 100; v /= 100) n += 2;
    return n + (v >= 10);
}

/* The decimal digits of v ending just before end, the last two first;
 * returns where they start. */
static inline char *put_digits_before(char *end, unsigned long long v)
{
    for (; v >= 100; v /= 100) {
        end -= 2;
        memcpy(end, DIGIT_PAIRS + 2 * (v % 100), 2);
    }
    if (v >= 10) {
        end -= 2;
        memcpy(end, DIGIT_PAIRS + 2 * v, 2);
    } else {
        *--end = (char)('0' + v);
    }
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
static inline char *cell_start(csv_row *r, size_t room)
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

/* v with `decimals` decimals (3 or 4; unit is 10 to the decimals) at dst,
 * the same digits as printf's, when v is clearly away from a rounding tie
 * once scaled to an integer (printf rounds the exact binary value; near a
 * tie only printf knows which way it goes). Returns the bytes written, or 0
 * when printf has to do it. Inlined into csv_put_real and csv_put_seconds,
 * where decimals and unit are constants: no division instruction, no loop
 * over the decimals. */
static inline size_t put_fixed(char *dst, double v, int decimals, uint32_t unit)
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
    char *end = p + decimal_digits(ip) + 1 + decimals, *q = end - 2;
    /* the decimals from the last back, two at a time */
    memcpy(q, DIGIT_PAIRS + 2 * (f % 100), 2);
    if (decimals == 4) {
        q -= 2;
        memcpy(q, DIGIT_PAIRS + 2 * (f / 100), 2);
    } else {
        *--q = (char)('0' + f / 100);
    }
    *--q = '.';
    put_digits_before(q, ip);
    return (size_t)(end - dst);
}

/* printf's "%.*f", cut to CSV_REAL_ROOM - 1 bytes (the cut the cells have
 * always had), with "-0.000" normalised to "0.000". dyad never calls
 * setlocale, so printf's decimal point is always '.'. */
static size_t put_fixed_printf(char *dst, double v, int decimals)
{
    snprintf(dst, CSV_REAL_ROOM, "%.*f", decimals, v);
    size_t n = strlen(dst);
    if (dst[0] == '-' && strspn(dst + 1, "0.") == n - 1) memmove(dst, dst + 1, n--);
    return n;
}

size_t csv_put_real(char *dst, double v)
{
    if (isnan(v)) return 0;
    size_t n = put_fixed(dst, v, 4, 10000);
    return n ? n : put_fixed_printf(dst, v, 4);
}

size_t csv_put_seconds(char *dst, double v)
{
    if (isnan(v)) return 0;
    size_t n = put_fixed(dst, v, 3, 1000);
    return n ? n : put_fixed_printf(dst, v, 3);
}

void csv_real(csv_row *r, double v)
{
    char *p = cell_start(r, CSV_REAL_ROOM);
    csv_commit(r->out, p + csv_put_real(p, v));
}

void csv_seconds(csv_row *r, double v)
{
    char *p = cell_start(r, CSV_REAL_ROOM);
    csv_commit(r->out, p + csv_put_seconds(p, v));
}

void csv_empty(csv_row *r) { next_cell(r); }

void csv_row_end(csv_row *r) { buf_addc(r->out, '\n'); }
