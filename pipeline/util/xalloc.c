/* xalloc.c: checked allocation (see xalloc.h). */
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

static void out_of_memory(void)
{
    fputs("dyad: out of memory\n", stderr);
    exit(2);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) out_of_memory();
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) out_of_memory();
    return p;
}

void *xcalloc_lines(size_t count, size_t size)
{
    if (!count) count = 1;
    if (!size) size = 1;
    if (count > (SIZE_MAX - 63) / size) out_of_memory();
    size_t n = (count * size + 63) / 64 * 64;   /* aligned_alloc wants a multiple of the alignment */
    void *p = aligned_alloc(64, n);
    if (!p) out_of_memory();
    memset(p, 0, n);
    return p;
}

void *xmalloc_array(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) out_of_memory();
    return xmalloc(count * size);
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) out_of_memory();
    return q;
}

void *xgrow_to(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return p;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2) out_of_memory();
        n *= 2;
    }
    if (size && n > SIZE_MAX / size) out_of_memory();
    *cap = n;
    return xrealloc(p, n * size);
}

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

/* A file's bytes, its session and its rows are allocated and freed once
 * per input file. glibc serves blocks from 128 KB up (the threshold grows
 * with what is freed) with mmap and trims the free top of a heap, so each
 * file's megabytes came back as fresh pages, each a page fault: on 40
 * copies of AnnoMI's 1.7 MB CSV, 11% of the run time. Blocks under 32 MB
 * now come from the heap and its free top is kept up to 256 MB (peak
 * memory about 1 MB higher on the benchmark corpora). */
void xalloc_keep_freed_memory(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
#endif
}
