/* xalloc.h: allocation that never returns NULL.
 *
 * dyad cannot do anything useful after malloc fails, so these wrappers print
 * "dyad: out of memory" and exit with status 2 (the "nothing could be done"
 * status). Every allocation in the pipeline goes through them, so no caller
 * has to check for NULL and none can forget to. */
#ifndef DYAD_XALLOC_H
#define DYAD_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
/* An array of count items of `size` bytes, overflow-checked like xcalloc
 * but not zeroed (for arrays that are then written whole). */
void *xmalloc_array(size_t count, size_t size);
/* count zeroed items of `size` bytes starting on a 64-byte boundary (a
 * cache line), for tables whose items are read one line each; free() it. */
void *xcalloc_lines(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array of `size`-byte items so that it holds at least `need` items;
 * *cap is updated. Overflow-checked. Inline: most calls (once per
 * utterance, for each of a dozen scratch arrays) find the room there; only
 * growing goes out of line, to xgrow_to. */
void *xgrow_to(void *p, size_t *cap, size_t need, size_t size);
static inline void *xgrow(void *p, size_t *cap, size_t need, size_t size)
{
    return need <= *cap ? p : xgrow_to(p, cap, need, size);
}
char *xstrdup(const char *s);
/* Ask the C library to keep freed memory for reuse rather than hand it
 * back to the system between input files (glibc only; elsewhere nothing).
 * Call once, before any thread starts. */
void xalloc_keep_freed_memory(void);
char *xstrndup(const char *s, size_t n);

#endif
