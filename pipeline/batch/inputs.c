/* inputs.c: collecting input files and their session ids (see inputs.h). */
#include "batch/inputs.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void add_input(input_list *l, const char *path, const char *id_path,
                      const reader_format *by_ext, const input_options *opt)
{
    /* the id is id_path without its extension */
    const char *slash = strrchr(id_path, '/');
    const char *dot = strrchr(slash ? slash + 1 : id_path, '.');
    size_t id_len = (dot && dot != (slash ? slash + 1 : id_path)) ? (size_t)(dot - id_path) : strlen(id_path);
    l->items = xgrow(l->items, &l->cap, l->n + 1, sizeof *l->items);
    input_file *f = &l->items[l->n++];
    f->path = xstrdup(path);
    f->session_id = xstrndup(id_path, id_len);
    f->forced = opt->forced != NULL;
    f->by_extension = by_ext != NULL;
    f->format = opt->forced ? opt->forced : by_ext ? by_ext : reader_by_name("txt");
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
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

/* Recurse into dir; rel is the path below the top folder ("" at the top). */
static void walk(input_list *l, const char *dir, const char *rel, const input_options *opt,
                 diag_list *d, const folder_chain *up, int depth)
{
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
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.') continue;    /* ., .., hidden files */
        names = xgrow(names, &cap, n + 1, sizeof *names);
        names[n++] = xstrdup(e->d_name);
    }
    closedir(dh);
    if (n > 1) qsort(names, n, sizeof *names, cmp_names);   /* names is NULL in an empty folder */
    for (size_t i = 0; i < n; i++) {
        buf path = {0}, sub = {0};
        buf_addf(&path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
        buf_addf(&sub, "%s%s%s", rel, rel[0] ? "/" : "", names[i]);
        struct stat st;
        if (lstat(buf_str(&path), &st) != 0) {
            diag_add(d, buf_str(&path), 0, SEV_ERROR, "cannot read: %s", strerror(errno));
        } else if (S_ISLNK(st.st_mode) && !opt->follow_links) {
            diag_add(d, buf_str(&path), 0, SEV_WARNING,
                     "symbolic link skipped; use --follow-links to follow links");
        } else if (stat(buf_str(&path), &st) != 0) {
            diag_add(d, buf_str(&path), 0, SEV_WARNING, "broken symbolic link skipped");
        } else if (S_ISDIR(st.st_mode)) {
            walk(l, buf_str(&path), buf_str(&sub), opt, d, &here, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            const reader_format *fmt = reader_by_extension(names[i]);
            if (fmt) add_input(l, buf_str(&path), buf_str(&sub), fmt, opt);
        }
        buf_free(&path);
        buf_free(&sub);
        free(names[i]);
    }
    free(names);
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
        walk(l, path, "", opt, d, NULL, 0);
        return;
    }
    /* A file named directly is read whatever its extension: by --format, the
     * extension, or its content (see choose_format in batch.c). */
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    add_input(l, path, name, reader_by_extension(path), opt);
}

static int cmp_inputs(const void *a, const void *b)
{
    const input_file *x = a, *y = b;
    int c = strcmp(x->session_id, y->session_id);
    return c ? c : strcmp(x->path, y->path);
}

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

static void keep_shard(input_list *l, const shard_spec *shard)
{
    size_t kept = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (fnv1a(l->items[i].session_id) % shard->count == shard->index - 1) {
            l->items[kept++] = l->items[i];
        } else {
            free(l->items[i].path);
            free(l->items[i].session_id);
        }
    }
    l->n = kept;
}

void inputs_finish(input_list *l, const shard_spec *shard, diag_list *d)
{
    if (shard && shard->count > 1) keep_shard(l, shard);   /* equal ids share a shard */
    if (l->n) qsort(l->items, l->n, sizeof *l->items, cmp_inputs);
    size_t kept = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (kept && strcmp(l->items[kept - 1].session_id, l->items[i].session_id) == 0) {
            diag_add(d, l->items[i].path, 0, SEV_ERROR,
                     "session id '%s' is also the id of %s; rename one of the two files "
                     "(this one was not analysed)",
                     l->items[i].session_id, l->items[kept - 1].path);
            free(l->items[i].path);
            free(l->items[i].session_id);
            l->duplicates++;
            continue;
        }
        l->items[kept++] = l->items[i];
    }
    l->n = kept;
}

/* (see inputs.h) */
const reader_format *input_format(const input_file *in)
{
    if (in->forced) return in->format;
    if (in->format && strcmp(in->format->name, "tei") != 0 && strcmp(in->format->name, "txt") != 0)
        return in->format;
    char head[4096];
    FILE *f = fopen(in->path, "rb");
    if (!f) return in->format;
    size_t n = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[n] = '\0';
    const reader_format *by_content = reader_by_content(head, n);
    if (!by_content) return in->format;
    if (strcmp(in->format->name, "tei") == 0)   /* NOLINT(clang-analyzer-core.NullDereference): never NULL (add_input falls back to txt) */
        return strcmp(by_content->name, "talkbank") == 0 ? by_content : in->format;
    /* a .txt file stays plain text unless its content is unmistakable */
    if (in->by_extension && strcmp(by_content->name, "csv") == 0) return in->format;
    return by_content;
}

void inputs_free(input_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].path);
        free(l->items[i].session_id);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}
