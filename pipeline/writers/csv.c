/* csv.c: CSV cell formatting (see csv.h). */
#include "writers/csv.h"
#include "util/xalloc.h"

#include <csv.h>
#include <math.h>
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

/* Decimal digits of v, without printf (reports are mostly numbers). */
size_t csv_put_uint(char *dst, unsigned long long v)
{
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    memcpy(dst, tmp + i, sizeof tmp - i);
    return sizeof tmp - i;
}

size_t csv_put_long(char *dst, long v)
{
    if (v >= 0) return csv_put_uint(dst, (unsigned long long)v);
    dst[0] = '-';
    return 1 + csv_put_uint(dst + 1, 0ULL - (unsigned long long)v);
}

static void add_unsigned(buf *out, unsigned long long v)
{
    char *p = csv_reserve(out, CSV_NUMBER_ROOM);
    csv_commit(out, p + csv_put_uint(p, v));
}

void csv_uint(csv_row *r, size_t v)
{
    next_cell(r);
    add_unsigned(r->out, v);
}

void csv_long(csv_row *r, long v)
{
    next_cell(r);
    char *p = csv_reserve(r->out, CSV_NUMBER_ROOM);
    csv_commit(r->out, p + csv_put_long(p, v));
}

/* printf with a fixed number of decimals, normalising "-0.000" to "0.000".
 * dyad never calls setlocale, so printf's decimal point is always '.'. */
static void add_fixed(buf *out, double v, int decimals)
{
    /* Fast path, same digits as printf: scale to an integer when the scaled
     * value is clearly away from a rounding tie (printf rounds the exact
     * binary value; near a tie only printf knows which way it goes). */
    static const double SCALE[] = {1, 10, 100, 1000, 10000};
    if (decimals >= 1 && decimals <= 4 && fabs(v) * SCALE[decimals] < 1e9) {
        /* below 1e9 the product is exact to within 1.2e-7, far inside the margin */
        double x = fabs(v) * SCALE[decimals];
        double frac = x - floor(x);
        if (fabs(frac - 0.5) > 1e-6) {
            unsigned long long n = (unsigned long long)(frac > 0.5 ? floor(x) + 1 : floor(x));
            unsigned long long unit = (unsigned long long)SCALE[decimals];
            if (v < 0 && n != 0) buf_addc(out, '-');
            add_unsigned(out, n / unit);
            char digits[8];
            unsigned long long f = n % unit;
            for (int k = decimals - 1; k >= 0; k--) {
                digits[k] = (char)('0' + f % 10);
                f /= 10;
            }
            buf_addc(out, '.');
            buf_add(out, digits, (size_t)decimals);
            return;
        }
    }
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    const char *s = tmp;
    if (tmp[0] == '-' && strspn(tmp + 1, "0.") == strlen(tmp + 1)) s = tmp + 1;
    buf_adds(out, s);
}

void csv_real(csv_row *r, double v)
{
    next_cell(r);
    if (!isnan(v)) add_fixed(r->out, v, 4);
}

void csv_seconds(csv_row *r, double v)
{
    next_cell(r);
    if (!isnan(v)) add_fixed(r->out, v, 3);
}

void csv_empty(csv_row *r) { next_cell(r); }

void csv_row_end(csv_row *r) { buf_addc(r->out, '\n'); }
