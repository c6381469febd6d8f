/* csv.c: CSV cell formatting (see csv.h). */
#include "writers/csv.h"
#include "util/xalloc.h"

#include <csv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

void csv_text(csv_row *r, const char *s)
{
    next_cell(r);
    const char *guard = (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') ? "'" : "";
    size_t n = strlen(s);
    if (!strpbrk(s, ",\"\r\n")) {
        buf_adds(r->out, guard);
        buf_add(r->out, s, n);
        return;
    }
    /* libcsv quotes the field and doubles embedded quotes */
    size_t need = csv_write(NULL, 0, s, n);
    char *q = xmalloc(need + 1);
    csv_write(q, need, s, n);
    if (*guard) {
        buf_addc(r->out, '"');
        buf_adds(r->out, guard);
        buf_add(r->out, q + 1, need - 1);
    } else {
        buf_add(r->out, q, need);
    }
    free(q);
}

void csv_uint(csv_row *r, size_t v)
{
    next_cell(r);
    buf_addf(r->out, "%zu", v);
}

void csv_long(csv_row *r, long v)
{
    next_cell(r);
    buf_addf(r->out, "%ld", v);
}

/* printf with a fixed number of decimals, normalising "-0.000" to "0.000".
 * dyad never calls setlocale, so printf's decimal point is always '.'. */
static void add_fixed(buf *out, double v, int decimals)
{
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
