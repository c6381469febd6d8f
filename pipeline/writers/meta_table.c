/* meta_table.c: per-session metadata columns of sessions.csv (see meta_table.h). */
#include "writers/meta_table.h"
#include "writers/csv.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Keys are found through a hash (FNV-1a, linear probing): a CSV file with
 * 100,000 metadata columns took minutes with a linear search. */
static size_t key_hash(const char *key)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *key; key++) h = (h ^ (unsigned char)*key) * 1099511628211ULL;
    return (size_t)h;
}

/* The slot where key is, or the empty slot where it would go. */
static size_t *key_slot(const meta_table *t, const char *key)
{
    size_t mask = t->n_slots - 1, i = key_hash(key) & mask;
    while (t->key_slots[i] && strcmp(t->keys[t->key_slots[i] - 1], key) != 0) i = (i + 1) & mask;
    return &t->key_slots[i];
}

/* Keep the hash at most half full. */
static void grow_key_slots(meta_table *t)
{
    if (t->n_slots && (t->n_keys + 1) * 2 <= t->n_slots) return;
    free(t->key_slots);
    t->n_slots = t->n_slots ? t->n_slots * 2 : 16;
    t->key_slots = xcalloc(t->n_slots, sizeof *t->key_slots);
    for (size_t i = 0; i < t->n_keys; i++) *key_slot(t, t->keys[i]) = i + 1;
}

static size_t key_index(meta_table *t, const char *key)
{
    grow_key_slots(t);
    size_t *slot = key_slot(t, key);
    if (*slot) return *slot - 1;
    *slot = t->n_keys + 1;
    t->keys = xgrow(t->keys, &t->cap_keys, t->n_keys + 1, sizeof *t->keys);
    t->keys[t->n_keys] = xstrdup(key);
    return t->n_keys++;
}

/* The session's metadata as one allocation: its cells, then their values,
 * each with its NUL. */
static meta_cell *copy_cells(meta_table *t, const session *s)
{
    size_t text = 0;
    for (size_t i = 0; i < s->n_meta; i++) text += strlen(s->meta[i].value) + 1;
    meta_cell *cells = xmalloc(s->n_meta * sizeof *cells + text);
    char *value = (char *)(cells + s->n_meta);
    for (size_t i = 0; i < s->n_meta; i++) {
        size_t n = strlen(s->meta[i].value) + 1;
        memcpy(value, s->meta[i].value, n);
        cells[i].key = key_index(t, s->meta[i].key);
        cells[i].value = value;
        value += n;
    }
    return cells;
}

static void push_row(meta_table *t, meta_row r)
{
    t->with_meta = xgrow(t->with_meta, &t->cap_with_meta, t->n_with_meta + 1, sizeof *t->with_meta);
    t->with_meta[t->n_with_meta++] = r;
}

void meta_table_add_row(meta_table *t, size_t row_len, const session *s)
{
    if (s->n_meta) push_row(t, (meta_row){.row = t->n_rows, .cells = copy_cells(t, s), .n_cells = s->n_meta});
    t->n_rows++;
    t->bytes += row_len;
}

void meta_table_header(const meta_table *t, buf *out)
{
    for (size_t k = 0; k < t->n_keys; k++) {
        buf name = {0};
        buf_addf(&name, "meta_%s", t->keys[k]);
        csv_row row = {.out = out, .cells = 1};
        csv_text(&row, buf_str(&name));
        buf_free(&name);
    }
}

/* Row i's metadata, or NULL when it has none (a binary search: the rows
 * are in row order). */
static const meta_row *find_row(const meta_table *t, size_t i)
{
    size_t lo = 0, hi = t->n_with_meta;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->with_meta[mid].row < i) lo = mid + 1;
        else hi = mid;
    }
    return lo < t->n_with_meta && t->with_meta[lo].row == i ? &t->with_meta[lo] : NULL;
}

void meta_table_cells(const meta_table *t, size_t i, buf *out)
{
    csv_row row = {.out = out, .cells = 1};
    if (!t->n_keys) return;
    const meta_row *r = find_row(t, i);
    if (!r) {
        for (size_t k = 0; k < t->n_keys; k++) csv_empty(&row);
        return;
    }
    /* each key's value in this row (the last one when a key repeats) */
    const char **value = xcalloc(t->n_keys, sizeof *value);
    for (size_t c = 0; c < r->n_cells; c++) value[r->cells[c].key] = r->cells[c].value;
    for (size_t k = 0; k < t->n_keys; k++) {
        if (value[k]) csv_text(&row, value[k]);
        else csv_empty(&row);
    }
    free(value);
}

void meta_table_append(meta_table *to, meta_table *from)
{
    for (size_t i = 0; i < from->n_with_meta; i++) {
        meta_row r = from->with_meta[i];
        for (size_t c = 0; c < r.n_cells; c++) r.cells[c].key = key_index(to, from->keys[r.cells[c].key]);
        r.row += to->n_rows;
        push_row(to, r);
    }
    to->n_rows += from->n_rows;
    to->bytes += from->bytes;
    from->n_with_meta = 0;   /* the cells are to's now */
    meta_table_free(from);
}

void meta_table_free(meta_table *t)
{
    for (size_t k = 0; k < t->n_keys; k++) free(t->keys[k]);
    for (size_t i = 0; i < t->n_with_meta; i++) free(t->with_meta[i].cells);
    free(t->keys);
    free(t->with_meta);
    free(t->key_slots);
    memset(t, 0, sizeof *t);
}
