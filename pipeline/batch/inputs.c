/* inputs.c: collecting input files and their session ids (see inputs.h). */
#include "batch/inputs.h"
#include "readers/source.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How the inputs are kept (issue 7: a run over 100,000 small files should
 * hold little more than their names).
 *
 * An input is a record in the store's blocks: its path below the path given
 * on the command line, cut in two at the extension, each part with its NUL:
 * "site01/s0001\0.txt\0". The first part is the session id, ready to use;
 * a name without an extension has an empty second part. What goes before
 * the name ("build/bench/files-10000/") is a root, kept once for all the
 * inputs collected one after the other under it, with their --format.
 *
 * A record is named by a ref: its block's number << REF_SHIFT plus where it
 * starts in the block. Records are only ever added at the end, so refs grow
 * in the order inputs are collected and a record's root is the last root
 * that starts at or before it. Blocks never move and are freed together.
 * inputs_finish puts the refs in session id order, in an array of exactly
 * their number. */
#define REF_SHIFT 16
/* Bytes of records in a block (a longer record gets a block of its own), so
 * a record always starts below 1 << REF_SHIFT. */
#define BLOCK_SIZE ((size_t)1 << REF_SHIFT)

typedef struct name_block {
    size_t used, size;
    char text[];
} name_block;

typedef struct input_root {
    size_t first;                  /* the ref of its first record */
    const reader_format *forced;   /* --format of its inputs, or NULL */
    char *prefix;                  /* path = prefix, session id, extension */
    size_t prefix_len;
} input_root;

typedef struct input_store {
    name_block **blocks;
    size_t n_blocks, cap_blocks;
    size_t records;
    input_root *roots;             /* in the order of their first records */
    size_t n_roots, cap_roots;
    size_t *order;                 /* refs in session id order (inputs_finish) */
    size_t *all;                   /* with --shard: the refs of every part, in session id
                                      order (inputs_find); NULL without */
    size_t n_all;
} input_store;

/* ---- the store ---- */

static input_store *store_of(input_list *l)
{
    if (!l->store) l->store = xcalloc(1, sizeof *l->store);
    return l->store;
}

/* Room for a record of `size` bytes, at the end of the last block or in a
 * new one. Returns its ref. */
static size_t reserve_record(input_store *s, size_t size)
{
    name_block *b = s->n_blocks ? s->blocks[s->n_blocks - 1] : NULL;
    if (!b || b->size - b->used < size) {
        size_t room = size > BLOCK_SIZE ? size : BLOCK_SIZE;
        b = xmalloc(sizeof *b + room);
        b->used = 0;
        b->size = room;
        s->blocks = xgrow(s->blocks, &s->cap_blocks, s->n_blocks + 1, sizeof *s->blocks);
        s->blocks[s->n_blocks++] = b;
    }
    size_t ref = (s->n_blocks - 1) << REF_SHIFT | b->used;
    b->used += size;
    return ref;
}

/* A record's session id; its extension follows the id's NUL. */
static char *record_at(const input_store *s, size_t ref)
{
    return s->blocks[ref >> REF_SHIFT]->text + (ref & (BLOCK_SIZE - 1));
}

static const char *extension_of(const char *id)
{
    return id + strlen(id) + 1;
}

/* The root of the record `ref` (there is one: every root has a record). */
static const input_root *root_of(const input_store *s, size_t ref)
{
    size_t lo = 0, hi = s->n_roots;   /* roots[lo].first <= ref < roots[hi].first */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->roots[mid].first <= ref) lo = mid;
        else hi = mid;
    }
    return &s->roots[lo];
}

/* Make the record `ref` part of a root with this prefix and --format: the
 * last one when it has them, otherwise a new one. */
static void join_root(input_store *s, size_t ref, const char *prefix, size_t prefix_len,
                      const reader_format *forced)
{
    const input_root *last = s->n_roots ? &s->roots[s->n_roots - 1] : NULL;
    if (last && last->forced == forced && last->prefix_len == prefix_len &&
        memcmp(last->prefix, prefix, prefix_len) == 0)
        return;
    s->roots = xgrow(s->roots, &s->cap_roots, s->n_roots + 1, sizeof *s->roots);
    s->roots[s->n_roots++] = (input_root){
        .first = ref, .forced = forced, .prefix = xstrndup(prefix, prefix_len), .prefix_len = prefix_len};
}

/* The length of the session id in a name: the name without the extension
 * of its last part (a leading dot is not an extension). */
static size_t id_length(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? (size_t)(dot - name) : strlen(name);
}

/* Record the input prefix + name, whose session id is its name without the
 * extension. */
static void add_input(input_list *l, const char *prefix, size_t prefix_len, const char *name,
                      const reader_format *forced)
{
    input_store *s = store_of(l);
    size_t len = strlen(name), id_len = id_length(name);
    size_t ref = reserve_record(s, len + 2);
    char *record = record_at(s, ref);
    memcpy(record, name, id_len);
    record[id_len] = '\0';
    memcpy(record + id_len + 1, name + id_len, len - id_len + 1);
    join_root(s, ref, prefix, prefix_len, forced);
    s->records++;
}

/* The path of the record `ref` into out (replacing what was there). */
static void path_of(const input_store *s, size_t ref, buf *out)
{
    const input_root *root = root_of(s, ref);
    const char *id = record_at(s, ref);
    buf_clear(out);
    buf_add(out, root->prefix, root->prefix_len);
    buf_adds(out, id);
    buf_adds(out, extension_of(id));
}

/* ---- collecting ---- */

/* A folder entry: its name and, when readdir knows it, its type. */
typedef struct dir_entry {
    char *name;
    unsigned char type;   /* DT_REG, DT_DIR, ...; DT_UNKNOWN: ask lstat */
} dir_entry;

static int cmp_entries(const void *a, const void *b)
{
    return strcmp(((const dir_entry *)a)->name, ((const dir_entry *)b)->name);
}

/* The folders being walked, from the top one down, so that a followed link
 * back into one of them is recognised as a loop. */
typedef struct folder_chain {
    dev_t dev;
    ino_t ino;
    const struct folder_chain *up;
} folder_chain;

static int in_chain(const folder_chain *c, const struct stat *st)
{
    for (; c; c = c->up)
        if (c->dev == st->st_dev && c->ino == st->st_ino) return 1;
    return 0;
}

/* One folder given on the command line, being walked. */
typedef struct walk_context {
    input_list *l;
    const input_options *opt;
    const char *prefix;            /* the folder, with a '/' after it */
    size_t prefix_len;
    diag_list *d;
} walk_context;

/* Recurse into dir; rel is the path below the top folder ("" at the top). */
static void walk(const walk_context *w, const char *dir, const char *rel, const folder_chain *up, int depth)
{
    diag_list *d = w->d;
    struct stat self;
    if (stat(dir, &self) != 0) {
        diag_add(d, dir, 0, SEV_ERROR, "cannot read the folder: %s", strerror(errno));
        return;
    }
    if (in_chain(up, &self)) {
        diag_add(d, dir, 0, SEV_WARNING, "symbolic link loop (a folder inside itself) not followed");
        return;
    }
    if (depth > 64) {
        diag_add(d, dir, 0, SEV_WARNING, "folders nested more than 64 deep; not entered");
        return;
    }
    folder_chain here = {.dev = self.st_dev, .ino = self.st_ino, .up = up};
    DIR *dh = opendir(dir);
    if (!dh) {
        diag_add(d, dir, 0, SEV_ERROR, "cannot read the folder: %s", strerror(errno));
        return;
    }
    dir_entry *entries = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.') continue;    /* ., .., hidden files */
        entries = xgrow(entries, &cap, n + 1, sizeof *entries);
        entries[n++] = (dir_entry){xstrdup(e->d_name), e->d_type};
    }
    closedir(dh);
    if (n > 1) qsort(entries, n, sizeof *entries, cmp_entries);   /* NULL in an empty folder */
    int searchable = access(dir, X_OK) == 0;   /* else lstat fails, and says why */
    for (size_t i = 0; i < n; i++) {
        buf path = {0}, sub = {0};
        buf_addf(&path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", entries[i].name);
        buf_addf(&sub, "%s%s%s", rel, rel[0] ? "/" : "", entries[i].name);
        struct stat st;
        /* a file or folder that readdir has typed needs no lstat (a corpus
         * of many files spends most of its listing there), where lstat
         * would succeed: in a folder that can be searched, on a path that
         * is not too long; a link is followed with stat */
        unsigned char type = entries[i].type;
        mode_t mode = !searchable || path.len >= PATH_MAX ? 0 : type == DT_REG ? S_IFREG : type == DT_DIR ? S_IFDIR : 0;
        if (!mode && lstat(buf_str(&path), &st) != 0) {
            diag_add(d, buf_str(&path), 0, SEV_ERROR, "cannot read: %s", strerror(errno));
        } else if (!mode && S_ISLNK(st.st_mode) && !w->opt->follow_links) {
            diag_add(d, buf_str(&path), 0, SEV_WARNING,
                     "symbolic link skipped; use --follow-links to follow links");
        } else if (!mode && S_ISLNK(st.st_mode) && stat(buf_str(&path), &st) != 0) {
            diag_add(d, buf_str(&path), 0, SEV_WARNING, "broken symbolic link skipped");
        } else {
            if (!mode) mode = st.st_mode;
            if (S_ISDIR(mode)) {
                walk(w, buf_str(&path), buf_str(&sub), &here, depth + 1);
            } else if (S_ISREG(mode) && reader_by_extension(entries[i].name)) {
                /* path is prefix + sub */
                add_input(w->l, w->prefix, w->prefix_len, buf_str(&sub), w->opt->forced);
            }
        }
        buf_free(&path);
        buf_free(&sub);
        free(entries[i].name);
    }
    free(entries);
}

void inputs_collect(input_list *l, const char *path, const input_options *opt, diag_list *d)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_add(d, path, 0, SEV_ERROR, "no such file or folder: %s", strerror(errno));
        l->missing++;
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        buf prefix = {0};
        buf_addf(&prefix, "%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/");
        walk_context w = {.l = l, .opt = opt, .prefix = buf_str(&prefix), .prefix_len = prefix.len, .d = d};
        walk(&w, path, "", NULL, 0);
        buf_free(&prefix);
        return;
    }
    /* A file named directly is read whatever its extension: by --format, the
     * extension, or its content (see input_format). */
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    add_input(l, path, (size_t)(name - path), name, opt->forced);
}

/* ---- order ---- */

int shard_parse(const char *s, shard_spec *out)
{
    char *end;
    unsigned long k = strtoul(s, &end, 10);
    if (end == s || *end != '/') return -1;
    const char *rest = end + 1;
    unsigned long n = strtoul(rest, &end, 10);
    if (end == rest || *end || n < 1 || n > 100000 || k < 1 || k > n || s[0] == '-' || rest[0] == '-')
        return -1;
    out->index = k;
    out->count = n;
    return 0;
}

/* FNV-1a, 64 bits (Fowler, Noll, Vo). */
static uint64_t fnv1a(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* Whether an input belongs to the shard's part (every input without one). */
static int in_shard(const char *session_id, const shard_spec *shard)
{
    return !shard || shard->count <= 1 || fnv1a(session_id) % shard->count == shard->index - 1;
}

/* The refs of every record, in the order they were collected. */
static size_t *all_refs(const input_store *s)
{
    size_t *v = xmalloc((s->records ? s->records : 1) * sizeof *v), n = 0;
    for (size_t b = 0; b < s->n_blocks; b++) {
        const name_block *block = s->blocks[b];
        for (size_t at = 0; at < block->used;) {
            const char *extension = extension_of(block->text + at);
            v[n++] = b << REF_SHIFT | at;
            at = (size_t)(extension + strlen(extension) + 1 - block->text);
        }
    }
    return v;
}

/* Inputs in order: by session id, then by path. */
static int cmp_records(const input_store *s, size_t a, size_t b)
{
    int c = strcmp(record_at(s, a), record_at(s, b));
    if (c) return c;
    buf pa = {0}, pb = {0};   /* only for equal ids, which are rare */
    path_of(s, a, &pa);
    path_of(s, b, &pb);
    c = strcmp(buf_str(&pa), buf_str(&pb));
    buf_free(&pa);
    buf_free(&pb);
    return c;
}

/* Heapsort of refs (qsort cannot pass the store to its comparison). */
static void sift_down(const input_store *s, size_t *v, size_t top, size_t n)
{
    for (;;) {
        size_t child = 2 * top + 1;
        if (child >= n) return;
        if (child + 1 < n && cmp_records(s, v[child], v[child + 1]) < 0) child++;
        if (cmp_records(s, v[top], v[child]) >= 0) return;
        size_t t = v[top];
        v[top] = v[child];
        v[child] = t;
        top = child;
    }
}

static void sort_refs(const input_store *s, size_t *v, size_t n)
{
    if (n < 2) return;
    for (size_t i = n / 2; i-- > 0;) sift_down(s, v, i, n);
    for (size_t end = n; end-- > 1;) {
        size_t t = v[0];
        v[0] = v[end];
        v[end] = t;
        sift_down(s, v, 0, end);
    }
}

/* Drop each input whose session id is the one before's, with an error
 * naming both files. */
static void drop_duplicates(input_list *l, diag_list *d)
{
    input_store *s = l->store;
    buf dropped = {0}, kept_path = {0};
    size_t kept = 0;
    for (size_t i = 0; i < l->n; i++) {
        size_t ref = s->order[i];
        const char *id = record_at(s, ref);
        if (kept && strcmp(record_at(s, s->order[kept - 1]), id) == 0) {
            path_of(s, ref, &dropped);
            path_of(s, s->order[kept - 1], &kept_path);
            diag_add(d, buf_str(&dropped), 0, SEV_ERROR,
                     "session id '%s' is also the id of %s; rename one of the two files "
                     "(this one was not analysed)",
                     id, buf_str(&kept_path));
            l->duplicates++;
            continue;
        }
        s->order[kept++] = ref;
    }
    l->n = kept;   /* the array keeps its size: duplicates are few */
    buf_free(&dropped);
    buf_free(&kept_path);
}

void inputs_finish(input_list *l, const shard_spec *shard, diag_list *d)
{
    input_store *s = l->store;
    if (!s) return;   /* nothing was collected */
    size_t *sorted = all_refs(s);
    sort_refs(s, sorted, s->records);
    if (shard && shard->count > 1) {
        /* the part's inputs, still sorted; every part's kept for inputs_find */
        s->order = xmalloc((s->records ? s->records : 1) * sizeof *s->order);
        l->n = 0;
        for (size_t i = 0; i < s->records; i++)
            if (in_shard(record_at(s, sorted[i]), shard)) s->order[l->n++] = sorted[i];
        if (l->n && l->n < s->records) s->order = xrealloc(s->order, l->n * sizeof *s->order);
        s->all = sorted;
        s->n_all = s->records;
    } else {
        s->order = sorted;
        l->n = s->records;
    }
    drop_duplicates(l, d);
}

/* ---- reading ---- */

void inputs_get(const input_list *l, size_t i, input_file *in)
{
    const input_store *s = l->store;
    size_t ref = s->order[i];
    path_of(s, ref, &in->text);
    in->path = buf_str(&in->text);
    in->session_id = record_at(s, ref);
    in->forced = root_of(s, ref)->forced;
}

int inputs_find(const input_list *l, const char *id, input_file *found)
{
    const input_store *s = l->store;
    if (!s) return 0;
    /* both arrays are sorted by id (a duplicate id sits beside its twin) */
    const size_t *v = s->all ? s->all : s->order;
    size_t lo = 0, hi = s->all ? s->n_all : l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(record_at(s, v[mid]), id);
        if (c == 0) {
            path_of(s, v[mid], &found->text);
            found->path = buf_str(&found->text);
            found->session_id = record_at(s, v[mid]);
            found->forced = root_of(s, v[mid])->forced;
            return 1;
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

void input_file_free(input_file *in)
{
    buf_free(&in->text);
    memset(in, 0, sizeof *in);
}

/* The format the extension (or --format) chose for the input, and whether
 * its content may change it (a .txt, .xml or unknown file). */
static const reader_format *format_by_name(const input_file *in, int *sniff)
{
    *sniff = 0;
    if (in->forced) return in->forced;
    const reader_format *format = reader_by_extension(in->path);
    if (!format) format = reader_by_name("txt");
    *sniff = strcmp(format->name, "tei") == 0 || strcmp(format->name, "txt") == 0;
    return format;
}

/* The format for the input, given the first n bytes of it (head[n] is a
 * NUL) and what format_by_name chose. */
static const reader_format *format_by_head(const input_file *in, const reader_format *format, const char *head,
                                           size_t n)
{
    int by_extension = reader_by_extension(in->path) != NULL;
    /* with an extension a CSV-looking head would change nothing (the CSV
     * sniffer comes last, and neither branch below takes it), so it is not
     * looked at: its check of the header names is the dearest */
    const reader_format *by_content = by_extension ? reader_by_signature(head, n) : reader_by_content(head, n);
    if (!by_content) return format;
    if (strcmp(format->name, "tei") == 0)
        return strcmp(by_content->name, "talkbank") == 0 ? by_content : format;
    /* a .txt file stays plain text unless its content is unmistakable */
    if (by_extension && strcmp(by_content->name, "csv") == 0) return format;
    return by_content;
}

/* (see inputs.h) */
const reader_format *input_format(const input_file *in, preread *pre, diag_list *d)
{
    int sniff;
    const reader_format *format = format_by_name(in, &sniff);
    if (!sniff) return format;
    pre->bytes = source_read_bytes(in->path, in->path, &pre->len, d);
    if (!pre->bytes) return NULL;
    char head[4096];
    size_t n = pre->len < sizeof head - 1 ? pre->len : sizeof head - 1;
    memcpy(head, pre->bytes, n);
    head[n] = '\0';
    return format_by_head(in, format, head, n);
}

void inputs_free(input_list *l)
{
    input_store *s = l->store;
    if (s) {
        for (size_t b = 0; b < s->n_blocks; b++) free(s->blocks[b]);
        free(s->blocks);
        for (size_t r = 0; r < s->n_roots; r++) free(s->roots[r].prefix);
        free(s->roots);
        free(s->order);
        free(s->all);
        free(s);
    }
    memset(l, 0, sizeof *l);
}
