/* strindex.c: the name index (see strindex.h): open addressing with linear
 * probing over FNV-1a hashes, kept at most half full. */
#include "util/strindex.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t hash_key(const char *key, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)key[i]) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 32));
}

/* The slot holding key, or the empty slot where it would go. */
static strindex_slot *find_slot(const strindex *x, const char *key, size_t len)
{
    size_t mask = x->cap - 1, i = hash_key(key, len) & mask;
    while (x->slots[i].key && !(x->slots[i].len == len && memcmp(x->slots[i].key, key, len) == 0))
        i = (i + 1) & mask;
    return &x->slots[i];
}

static void grow(strindex *x)
{
    strindex old = *x;
    x->cap = old.cap ? old.cap * 2 : 16;
    x->slots = xcalloc(x->cap, sizeof *x->slots);
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key) *find_slot(x, old.slots[i].key, old.slots[i].len) = old.slots[i];
    free(old.slots);
}

size_t strindex_get(const strindex *x, const char *key, size_t len)
{
    if (!x->n) return STRINDEX_NONE;
    const strindex_slot *s = find_slot(x, key, len);
    return s->key ? s->value : STRINDEX_NONE;
}

void strindex_put(strindex *x, const char *key, size_t len, size_t value)
{
    if ((x->n + 1) * 2 > x->cap) grow(x);
    strindex_slot *s = find_slot(x, key, len);
    if (s->key) return;
    s->key = key;
    s->len = len;
    s->value = value;
    x->n++;
}

void strindex_free(strindex *x)
{
    free(x->slots);
    memset(x, 0, sizeof *x);
}
