/* diag.c: the list of messages about inputs (see diag.h). */
#include "util/diag.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_add(diag_list *d, const char *source, long line, severity sev,
              const char *fmt, ...)
{
    buf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    d->items = xgrow(d->items, &d->cap, d->n + 1, sizeof *d->items);
    diag *m = &d->items[d->n++];
    m->source = xstrdup(source ? source : "");
    m->line = line;
    m->sev = sev;
    m->message = buf_take(&msg);
}

void diag_move(diag_list *to, diag_list *from)
{
    if (!from->n) return;
    to->items = xgrow(to->items, &to->cap, to->n + from->n, sizeof *to->items);
    for (size_t i = 0; i < from->n; i++) to->items[to->n++] = from->items[i];
    free(from->items);
    from->items = NULL;
    from->n = from->cap = 0;
}

size_t diag_count(const diag_list *d, severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++) n += d->items[i].sev == sev;
    return n;
}

const char *severity_name(severity sev)
{
    return sev == SEV_ERROR ? "error" : "warning";
}

void diag_print(const diag *m, void *stream)
{
    FILE *f = stream;
    if (m->source[0] && m->line > 0)
        fprintf(f, "%s:%ld: %s: %s\n", m->source, m->line, severity_name(m->sev), m->message);
    else if (m->source[0])
        fprintf(f, "%s: %s: %s\n", m->source, severity_name(m->sev), m->message);
    else
        fprintf(f, "dyad: %s: %s\n", severity_name(m->sev), m->message);
}

void diag_free(diag_list *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].source);
        free(d->items[i].message);
    }
    free(d->items);
    d->items = NULL;
    d->n = d->cap = 0;
}

int diag_read_file(buf *b, const char *path, const char *what, diag_list *d)
{
    int got = buf_add_file(b, path);
    if (got == BUF_CANNOT_OPEN)
        diag_add(d, path, 0, SEV_ERROR, "cannot open %s: %s; check the path", what, strerror(errno));
    else if (got != 0)
        diag_add(d, path, 0, SEV_ERROR, "cannot read %s: %s; check that it is a readable file", what,
                 strerror(errno));
    return got != 0 ? -1 : 0;
}
