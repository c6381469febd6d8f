/* inputs.c: collecting input files and their session ids (see inputs.h). */
#include "batch/inputs.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
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

/* Recurse into dir; rel is the path below the top folder ("" at the top). */
static void walk(input_list *l, const char *dir, const char *rel, const input_options *opt,
                 diag_list *d, int depth)
{
    if (depth > 64) {
        diag_add(d, dir, 0, SEV_WARNING, "folders nested more than 64 deep; not entered");
        return;
    }
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
    qsort(names, n, sizeof *names, cmp_names);
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
            walk(l, buf_str(&path), buf_str(&sub), opt, d, depth + 1);
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
        walk(l, path, "", opt, d, 0);
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

void inputs_finish(input_list *l, diag_list *d)
{
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

void inputs_free(input_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].path);
        free(l->items[i].session_id);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}
