/* test_inputs.c: the input list (batch/inputs.c): session ids, order,
 * skipped files and links, duplicate ids, shards, the format chosen for each
 * file, and how paths are kept.
 *
 * Each test makes its files in a fresh temporary folder. Issue 7: the list
 * keeps each file's name below the path given on the command line, in
 * shared blocks, and puts the full path together again in inputs_get; so
 * several tests check that every path comes back exactly as it was given
 * (trailing slashes, files named directly, many roots, names that cross
 * from one block to the next) and that n is exact. */
#include "testutil.h"

#include "batch/inputs.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- scaffolding ---- */

typedef struct fixture {
    char *root;              /* a fresh temporary folder */
    input_list l;
    diag_list d;
} fixture;

static int setup(void **state)
{
    fixture *f = xcalloc(1, sizeof *f);
    f->root = test_tmpdir("inputs");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    test_remove_tree(f->root);
    free(f->root);
    inputs_free(&f->l);
    diag_free(&f->d);
    free(f);
    return 0;
}

static void collect_with(fixture *f, const char *name, const input_options *io)
{
    char *path = test_path(f->root, name);
    inputs_collect(&f->l, path, io, &f->d);
    free(path);
}

static void collect(fixture *f, const char *name, const reader_format *forced)
{
    input_options io = {.forced = forced};
    collect_with(f, name, &io);
}

static void finish(fixture *f, unsigned long k, unsigned long n)
{
    shard_spec shard = {k, n};
    inputs_finish(&f->l, &shard, &f->d);
}

/* The session ids of the list, space-separated. */
static char *ids(const input_list *l)
{
    buf b = {0};
    input_file in = {0};
    for (size_t i = 0; i < l->n; i++) {
        inputs_get(l, i, &in);
        buf_addf(&b, "%s%s", i ? " " : "", in.session_id);
    }
    input_file_free(&in);
    return buf_take(&b);
}

static void expect_ids(const input_list *l, const char *want)
{
    char *got = ids(l);
    assert_string_equal(got, want);
    free(got);
}

/* Input i's path is ROOT/name. */
static void expect_path(const fixture *f, size_t i, const char *name)
{
    char *want = test_path(f->root, name);
    input_file in = {0};
    inputs_get(&f->l, i, &in);
    assert_string_equal(in.path, want);
    input_file_free(&in);
    free(want);
}

/* Input i's --format. */
static const reader_format *forced_of(const fixture *f, size_t i)
{
    input_file in = {0};
    inputs_get(&f->l, i, &in);
    const reader_format *forced = in.forced;
    input_file_free(&in);
    return forced;
}

/* The name of the format input i is read with. input_format holds the
 * file's bytes for the reader exactly when it looked at them (an extension
 * that leaves the format open: .txt, .xml or unknown). */
static const char *format_of(const fixture *f, size_t i)
{
    input_file in = {0};
    inputs_get(&f->l, i, &in);
    preread pre = {0};
    diag_list d = {0};
    const reader_format *format = input_format(&in, &pre, &d);
    assert_non_null(format);
    assert_int_equal(d.n, 0);
    const reader_format *by_extension = reader_by_extension(in.path);
    int looked = !in.forced && (!by_extension || strcmp(by_extension->name, "txt") == 0 ||
                                strcmp(by_extension->name, "tei") == 0);
    if (looked) {
        buf file = {0};
        assert_int_equal(buf_add_file(&file, in.path), 0);
        assert_non_null(pre.bytes);
        assert_int_equal(pre.len, file.len);
        assert_memory_equal(pre.bytes, file.data, file.len);
        assert_int_equal(pre.bytes[pre.len], '\0');
        buf_free(&file);
    } else {
        assert_null(pre.bytes);
    }
    free(pre.bytes);
    diag_free(&d);
    input_file_free(&in);
    return format->name;
}

/* ---- tests ---- */

/* A folder: ids are paths below it without the extension; hidden files and
 * unknown extensions are skipped; the list is in id order, not in the order
 * the folders were walked ("a" is walked before "a-b" and "a.b", but '-'
 * and '.' sort before '/'). */
static void test_folder_ids_in_id_order(void **state)
{
    fixture *f = *state;
    test_write_file(f->root, "in/a/x.txt", "T: hi\n");
    test_write_file(f->root, "in/a-b/y.cha", "*THE:\thi .\n");
    test_write_file(f->root, "in/a.b/z.TXT", "T: hi\n");
    test_write_file(f->root, "in/a/.hidden.txt", "T: hi\n");
    test_write_file(f->root, "in/a/readme.md", "x");
    test_write_file(f->root, "in/a/noext.", "T: hi\n");
    test_write_file(f->root, "in/top.vtt", "WEBVTT\n");
    collect(f, "in", NULL);
    finish(f, 0, 0);
    assert_int_equal(f->l.n, 4);
    expect_ids(&f->l, "a-b/y a.b/z a/x top");
    expect_path(f, 0, "in/a-b/y.cha");
    expect_path(f, 1, "in/a.b/z.TXT");
    expect_path(f, 2, "in/a/x.txt");
    expect_path(f, 3, "in/top.vtt");
    assert_null(forced_of(f, 0));
    assert_int_equal(f->d.n, 0);
    assert_int_equal(f->l.missing, 0);
    assert_int_equal(f->l.duplicates, 0);
}

/* The path inputs_find gives for id, or NULL when no input has it. */
static char *found_path(const input_list *l, const char *id)
{
    input_file in = {0};
    if (!inputs_find(l, id, &in)) return NULL;
    assert_string_equal(in.session_id, id);
    char *path = xstrdup(in.path);
    input_file_free(&in);
    return path;
}

static void expect_found(fixture *f, const char *id, const char *path)
{
    char *got = found_path(&f->l, id);
    if (!path) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    char *want = test_path(f->root, path);
    assert_string_equal(got, want);
    free(want);
    free(got);
}

/* inputs_find: an id of the list, by binary search; prefixes and
 * neighbours of an id are not it. */
static void test_find_by_id(void **state)
{
    fixture *f = *state;
    const char *names[] = {"in/a/x.txt", "in/a-b/y.txt", "in/a.b/z.txt", "in/b.txt", "in/c/d/e.txt"};
    for (size_t i = 0; i < 5; i++) test_write_file(f->root, names[i], "T: hi\n");
    collect(f, "in", NULL);
    finish(f, 0, 0);
    expect_ids(&f->l, "a-b/y a.b/z a/x b c/d/e");
    expect_found(f, "a-b/y", "in/a-b/y.txt");
    expect_found(f, "a/x", "in/a/x.txt");
    expect_found(f, "c/d/e", "in/c/d/e.txt");
    expect_found(f, "a", NULL);
    expect_found(f, "a/x/y", NULL);
    expect_found(f, "b.txt", NULL);
    expect_found(f, "", NULL);
    expect_found(f, "zzz", NULL);
}

/* With --shard, inputs_find still finds the inputs of the other parts. */
static void test_find_across_shards(void **state)
{
    fixture *f = *state;
    char name[32];
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "in/s%02d.txt", i);
        test_write_file(f->root, name, "T: hi\n");
    }
    collect(f, "in", NULL);
    finish(f, 1, 3);
    assert_true(f->l.n > 0 && f->l.n < 20);
    for (int i = 0; i < 20; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%02d", i);
        snprintf(name, sizeof name, "in/s%02d.txt", i);
        expect_found(f, id, name);
    }
    expect_found(f, "s20", NULL);
}

/* A file named directly is taken whatever its extension; its id is its
 * name without the extension (a leading dot is not an extension, a
 * trailing one is an empty one), and its path is kept as given. */
static void test_file_named_directly(void **state)
{
    fixture *f = *state;
    test_write_file(f->root, "dir/notes.dat", "T: hi\n");
    test_write_file(f->root, "dir/.profile", "T: hi\n");
    test_write_file(f->root, "dir/s1.txt", "T: hi\n");
    test_write_file(f->root, "dir/README", "T: hi\n");
    test_write_file(f->root, "dir/x.", "T: hi\n");
    test_write_file(f->root, "dir/a.b.c", "T: hi\n");
    collect(f, "dir/notes.dat", NULL);
    collect(f, "dir/.profile", NULL);
    collect(f, "dir/s1.txt", NULL);
    collect(f, "dir/README", NULL);
    collect(f, "dir/x.", NULL);
    collect(f, "dir/a.b.c", NULL);
    finish(f, 0, 0);
    expect_ids(&f->l, ".profile README a.b notes s1 x");
    expect_path(f, 0, "dir/.profile");
    expect_path(f, 1, "dir/README");
    expect_path(f, 2, "dir/a.b.c");
    expect_path(f, 3, "dir/notes.dat");
    expect_path(f, 5, "dir/x.");
}

/* Paths come back exactly as given: a folder with '/' or "//" after it, a
 * relative folder, a relative file and a bare file name. */
static void test_paths_as_given(void **state)
{
    fixture *f = *state;
    test_write_file(f->root, "one/a.txt", "T: hi\n");
    test_write_file(f->root, "two/sub/b.txt", "T: hi\n");
    test_write_file(f->root, "three/c.txt", "T: hi\n");
    test_write_file(f->root, "d.txt", "T: hi\n");
    test_write_file(f->root, "e/e.txt", "T: hi\n");
    collect(f, "one/", NULL);
    collect(f, "two//", NULL);
    char here[PATH_MAX];
    assert_non_null(getcwd(here, sizeof here));
    assert_int_equal(chdir(f->root), 0);
    input_options io = {0};
    inputs_collect(&f->l, "three", &io, &f->d);
    inputs_collect(&f->l, "d.txt", &io, &f->d);
    inputs_collect(&f->l, "./e/e.txt", &io, &f->d);
    assert_int_equal(chdir(here), 0);
    finish(f, 0, 0);
    expect_ids(&f->l, "a c d e sub/b");
    expect_path(f, 0, "one/a.txt");
    input_file in = {0};
    inputs_get(&f->l, 1, &in);
    assert_string_equal(in.path, "three/c.txt");
    inputs_get(&f->l, 2, &in);
    assert_string_equal(in.path, "d.txt");
    inputs_get(&f->l, 3, &in);
    assert_string_equal(in.path, "./e/e.txt");
    input_file_free(&in);
    assert_null(in.path);
    expect_path(f, 4, "two//sub/b.txt");
}

/* Many roots, collected in an order unlike the id order: files named one
 * by one from two folders in turn, and folders; each input gets its own
 * root's path and --format back. */
static void test_many_roots(void **state)
{
    fixture *f = *state;
    const reader_format *srt = reader_by_name("srt");
    char name[64];
    for (int k = 0; k < 9; k++) {
        snprintf(name, sizeof name, "%s/f%d.txt", k % 2 ? "odd" : "even", k);
        test_write_file(f->root, name, "T: hi\n");
        collect(f, name, k == 4 ? srt : NULL);
    }
    test_write_file(f->root, "tree/g/h.cha", "*THE:\thi .\n");
    test_write_file(f->root, "tree/a.txt", "T: hi\n");
    collect(f, "tree", NULL);
    test_write_file(f->root, "even/f9.txt", "T: hi\n");
    collect(f, "even/f9.txt", srt);   /* the same folder as f8 before it, another --format */
    finish(f, 0, 0);
    expect_ids(&f->l, "a f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 g/h");
    expect_path(f, 0, "tree/a.txt");
    for (int k = 0; k <= 9; k++) {
        snprintf(name, sizeof name, "%s/f%d.txt", k % 2 && k != 9 ? "odd" : "even", k);
        expect_path(f, (size_t)k + 1, name);
        assert_ptr_equal(forced_of(f, (size_t)k + 1), k == 4 || k == 9 ? srt : NULL);
    }
    expect_path(f, 11, "tree/g/h.cha");
    assert_string_equal(format_of(f, 11), "chat");
}

static void test_missing_path(void **state)
{
    fixture *f = *state;
    test_write_file(f->root, "in/a.txt", "T: hi\n");
    collect(f, "nothing-here", NULL);
    collect(f, "in", NULL);
    finish(f, 0, 0);
    expect_ids(&f->l, "a");
    assert_int_equal(f->l.missing, 1);
    assert_int_equal(f->d.n, 1);
    char *path = test_path(f->root, "nothing-here");
    assert_string_equal(f->d.items[0].source, path);
    free(path);
    assert_int_equal(f->d.items[0].sev, SEV_ERROR);
    assert_string_equal(f->d.items[0].message, "no such file or folder: No such file or directory");
}

/* The error for a file dropped for its id, naming the one kept. */
static void expect_duplicate(const fixture *f, size_t k, const char *id, const char *dropped_name,
                             const char *kept_name)
{
    char *dropped = test_path(f->root, dropped_name), *kept = test_path(f->root, kept_name);
    buf want = {0};
    buf_addf(&want, "session id '%s' is also the id of %s; rename one of the two files (this one was not analysed)",
             id, kept);
    assert_string_equal(f->d.items[k].source, dropped);
    assert_int_equal(f->d.items[k].sev, SEV_ERROR);
    assert_string_equal(f->d.items[k].message, buf_str(&want));
    buf_free(&want);
    free(dropped);
    free(kept);
}

/* Two files with one id: the one whose path sorts first is kept, the other
 * is reported by name and dropped. */
static void test_duplicate_ids(void **state)
{
    fixture *f = *state;
    test_write_file(f->root, "in/x.txt", "T: hi\n");
    test_write_file(f->root, "in/x.cha", "*THE:\thi .\n");
    test_write_file(f->root, "in/y.txt", "T: hi\n");
    collect(f, "in", NULL);
    finish(f, 0, 0);
    expect_ids(&f->l, "x y");
    expect_path(f, 0, "in/x.cha");
    assert_int_equal(f->l.duplicates, 1);
    assert_int_equal(f->d.n, 1);
    expect_duplicate(f, 0, "x", "in/x.txt", "in/x.cha");
}

/* One folder given as "in" and then as "in//": every id twice, and the
 * paths decide; "in//x.txt" sorts before "in/x.txt" ('/' before 'x') though
 * it was collected after it. The same file named twice is one input,
 * reported once. */
static void test_duplicates_ordered_by_path(void **state)
{
    fixture *f = *state;
    test_write_file(f->root, "in/x.txt", "T: hi\n");
    test_write_file(f->root, "in/w/v.txt", "T: hi\n");
    test_write_file(f->root, "z.txt", "T: hi\n");
    collect(f, "in", NULL);
    collect(f, "in//", NULL);
    collect(f, "z.txt", NULL);
    collect(f, "z.txt", NULL);
    finish(f, 0, 0);
    expect_ids(&f->l, "w/v x z");
    expect_path(f, 0, "in//w/v.txt");
    expect_path(f, 1, "in//x.txt");
    expect_path(f, 2, "z.txt");
    assert_int_equal(f->l.duplicates, 3);
    assert_int_equal(f->d.n, 3);
    expect_duplicate(f, 0, "w/v", "in/w/v.txt", "in//w/v.txt");
    expect_duplicate(f, 1, "x", "in/x.txt", "in//x.txt");
    expect_duplicate(f, 2, "z", "z.txt", "z.txt");
}

/* Links in a folder are skipped with a warning unless followed; followed,
 * a linked folder's files have paths and ids through the link's name. */
static void test_links(void **state)
{
    fixture *f = *state;
    test_write_file(f->root, "in/real/a.txt", "T: hi\n");
    test_write_file(f->root, "elsewhere/b.txt", "T: hi\n");
    char *target = test_path(f->root, "elsewhere"), *link = test_path(f->root, "in/linked");
    assert_int_equal(symlink(target, link), 0);
    free(target);
    free(link);
    collect(f, "in", NULL);
    finish(f, 0, 0);
    expect_ids(&f->l, "real/a");
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.items[0].sev, SEV_WARNING);
    assert_string_equal(f->d.items[0].message, "symbolic link skipped; use --follow-links to follow links");
    inputs_free(&f->l);

    input_options io = {.follow_links = 1};
    collect_with(f, "in", &io);
    finish(f, 0, 0);
    expect_ids(&f->l, "linked/b real/a");
    expect_path(f, 0, "in/linked/b.txt");
    expect_path(f, 1, "in/real/a.txt");
}

/* A link to nothing: skipped like any link without --follow-links, and
 * with it skipped as broken (readdir types it a link, so lstat and stat
 * tell). Files and folders beside it are typed by readdir alone. */
static void test_broken_link(void **state)
{
    fixture *f = *state;
    test_write_file(f->root, "in/sub/a.txt", "T: hi\n");
    char *target = test_path(f->root, "nowhere.txt"), *link = test_path(f->root, "in/gone.txt");
    assert_int_equal(symlink(target, link), 0);
    free(target);
    input_options io = {.follow_links = 1};
    collect_with(f, "in", &io);
    finish(f, 0, 0);
    expect_ids(&f->l, "sub/a");
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.items[0].sev, SEV_WARNING);
    assert_string_equal(f->d.items[0].message, "broken symbolic link skipped");
    assert_string_equal(f->d.items[0].source, link);
    free(link);
}

/* FNV-1a (64 bits) of "a" is 0xaf63dc4c8601ec8c (even: part 1 of 2), of
 * "b" 0xaf63df4c8601f1a5 (odd: part 2), of "c" 0xaf63de4c8601eff2 (even). */
static void test_shards(void **state)
{
    fixture *f = *state;
    test_write_file(f->root, "in/a.txt", "T: hi\n");
    test_write_file(f->root, "in/b.txt", "T: hi\n");
    test_write_file(f->root, "in/c.txt", "T: hi\n");
    collect(f, "in", NULL);
    finish(f, 1, 2);
    expect_ids(&f->l, "a c");
    expect_path(f, 1, "in/c.txt");
    inputs_free(&f->l);
    collect(f, "in", NULL);
    finish(f, 2, 2);
    expect_ids(&f->l, "b");
    expect_path(f, 0, "in/b.txt");
    inputs_free(&f->l);
    collect(f, "in", NULL);
    finish(f, 1, 1);   /* one part: everything */
    expect_ids(&f->l, "a b c");
}

static void test_shard_parse(void **state)
{
    (void)state;
    shard_spec s = {0, 0};
    assert_int_equal(shard_parse("2/5", &s), 0);
    assert_int_equal(s.index, 2);
    assert_int_equal(s.count, 5);
    assert_int_equal(shard_parse("6/5", &s), -1);
    assert_int_equal(shard_parse("0/5", &s), -1);
    assert_int_equal(shard_parse("1/100001", &s), -1);
    assert_int_equal(shard_parse("-1/5", &s), -1);
    assert_int_equal(shard_parse("1/", &s), -1);
    assert_int_equal(shard_parse("1/5x", &s), -1);
}

/* Enough files with long names that they fill several 64 KB blocks: every
 * input comes back whole, in order, once, from one input_file filled again
 * and again; the ids stay where they are in the list meanwhile. */
static void test_many_files_across_blocks(void **state)
{
    fixture *f = *state;
    enum { N = 900 };
    char name[256];
    char pad[201];
    memset(pad, 'p', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    /* written in an order unlike the id order: folder k % 3, number reversed;
     * 900 names of 213 bytes and more in the list */
    for (int k = 0; k < N; k++) {
        snprintf(name, sizeof name, "in/site%d/%s-%04d.txt", k % 3, pad, N - 1 - k);
        test_write_file(f->root, name, "T: hi\n");
    }
    collect(f, "in", NULL);
    finish(f, 0, 0);
    assert_int_equal(f->l.n, N);
    size_t bytes = 0;
    input_file in = {0};
    const char *ids_seen[N];
    for (size_t i = 0; i < f->l.n; i++) {
        inputs_get(&f->l, i, &in);
        ids_seen[i] = in.session_id;
        if (i) assert_true(strcmp(ids_seen[i - 1], in.session_id) < 0);
        bytes += strlen(in.session_id) + strlen(".txt") + 2;
        /* the path is ROOT/in/ID.txt */
        buf want = {0};
        buf_addf(&want, "%s/in/%s.txt", f->root, in.session_id);
        assert_string_equal(in.path, buf_str(&want));
        buf_free(&want);
    }
    input_file_free(&in);
    assert_true(bytes > 2 * 65536);   /* the names did need three blocks */
    /* site0 has the numbers 899, 896, ... 2; site1 898, ... 1; site2 897, ... 0 */
    snprintf(name, sizeof name, "site0/%s-%04d", pad, 2);
    assert_string_equal(ids_seen[0], name);
    snprintf(name, sizeof name, "site1/%s-%04d", pad, 1);
    assert_string_equal(ids_seen[N / 3], name);
    snprintf(name, sizeof name, "site2/%s-%04d", pad, 897);
    assert_string_equal(ids_seen[N - 1], name);
}

static void test_empty_folder(void **state)
{
    fixture *f = *state;
    char *dir = test_path(f->root, "empty");
    mkdir(dir, 0777);
    free(dir);
    collect(f, "empty", NULL);
    finish(f, 0, 0);
    assert_int_equal(f->l.n, 0);
    assert_int_equal(f->d.n, 0);
    expect_ids(&f->l, "");
}

/* A shard that takes nothing of what was collected ("b" is part 2 of 2). */
static void test_empty_shard(void **state)
{
    fixture *f = *state;
    test_write_file(f->root, "in/b.txt", "T: hi\n");
    collect(f, "in", NULL);
    finish(f, 1, 2);
    assert_int_equal(f->l.n, 0);
    assert_int_equal(f->d.n, 0);
}

/* --format wins over everything; without it, the extension, and for .txt
 * and unknown extensions the content when it is unmistakable (but a .txt
 * that looks like CSV stays text). */
static void test_formats(void **state)
{
    fixture *f = *state;
    test_write_file(f->root, "in/a.cha", "*THE:\thi .\n");
    test_write_file(f->root, "in/b.txt", "WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n");
    test_write_file(f->root, "in/c.txt", "speaker,text\nT,hi\n");
    test_write_file(f->root, "in/d.txt", "T: hi\n");
    test_write_file(f->root, "e.dat", "WEBVTT\n");
    test_write_file(f->root, "f.dat", "speaker,text\nT,hi\n");
    test_write_file(f->root, "g.dat", "T: hi\n");
    collect(f, "in", NULL);
    collect(f, "e.dat", NULL);
    collect(f, "f.dat", NULL);
    collect(f, "g.dat", NULL);
    finish(f, 0, 0);
    expect_ids(&f->l, "a b c d e f g");
    const char *want[] = {"chat", "vtt", "txt", "txt", "vtt", "csv", "txt"};
    for (size_t i = 0; i < f->l.n; i++) assert_string_equal(format_of(f, i), want[i]);

    inputs_free(&f->l);
    collect(f, "in", reader_by_name("srt"));
    finish(f, 0, 0);
    assert_int_equal(f->l.n, 4);
    for (size_t i = 0; i < f->l.n; i++) {
        assert_ptr_equal(forced_of(f, i), reader_by_name("srt"));
        assert_string_equal(format_of(f, i), "srt");
    }
}

/* An input that is gone when it is read: no format, and the error the
 * reader would have given. */
static void test_format_read_of_a_missing_file(void **state)
{
    fixture *f = *state;
    test_write_file(f->root, "in/a.txt", "T: hi\n");
    collect(f, "in", NULL);
    finish(f, 0, 0);
    input_file in = {0};
    inputs_get(&f->l, 0, &in);
    assert_int_equal(unlink(in.path), 0);
    preread pre = {0};
    diag_list d = {0};
    assert_null(input_format(&in, &pre, &d));
    assert_null(pre.bytes);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.items[0].sev, SEV_ERROR);
    assert_string_equal(d.items[0].source, in.path);
    assert_string_equal(d.items[0].message, "cannot open: No such file or directory");
    diag_free(&d);
    input_file_free(&in);
}

/* Inputs collected with and without --format keep their own. */
static void test_format_per_collect(void **state)
{
    fixture *f = *state;
    test_write_file(f->root, "one/a.txt", "T: hi\n");
    test_write_file(f->root, "two/b.txt", "T: hi\n");
    collect(f, "one", reader_by_name("csv"));
    collect(f, "two", NULL);
    finish(f, 0, 0);
    expect_ids(&f->l, "a b");
    assert_string_equal(format_of(f, 0), "csv");
    assert_null(forced_of(f, 1));
    assert_string_equal(format_of(f, 1), "txt");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_folder_ids_in_id_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_by_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_across_shards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_named_directly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paths_as_given, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_roots, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicates_ordered_by_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_links, setup, teardown),
        cmocka_unit_test_setup_teardown(test_broken_link, setup, teardown),
        cmocka_unit_test_setup_teardown(test_format_read_of_a_missing_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shards, setup, teardown),
        cmocka_unit_test(test_shard_parse),
        cmocka_unit_test_setup_teardown(test_many_files_across_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_shard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_format_per_collect, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
