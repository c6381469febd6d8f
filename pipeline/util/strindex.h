/* strindex.h: a hash index from names to positions in a caller's array.
 *
 * Readers keep lists of names (participants, persons, tier labels) and look
 * a name up for every utterance or new speaker. A linear search made a file
 * with many distinct names take quadratic time (80,000 TEI persons: half a
 * minute). The index holds only pointers to the names, which stay in the
 * caller's own strings and must outlive it, and the position of each. */
#ifndef DYAD_STRINDEX_H
#define DYAD_STRINDEX_H

#include <stddef.h>

#define STRINDEX_NONE ((size_t)-1)

typedef struct strindex_slot {
    const char *key;   /* NULL: empty slot; not owned */
    size_t len;
    size_t value;
} strindex_slot;

typedef struct strindex {
    strindex_slot *slots;
    size_t cap;        /* 0 or a power of two */
    size_t n;
} strindex;

/* The value stored for key[0..len), or STRINDEX_NONE. */
size_t strindex_get(const strindex *x, const char *key, size_t len);
/* Store value for key[0..len) unless the key is there already (the first
 * value stays, as a linear search finds the first). The key's bytes are not
 * copied. */
void strindex_put(strindex *x, const char *key, size_t len, size_t value);
void strindex_free(strindex *x);

#endif
