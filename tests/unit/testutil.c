/* testutil.c: the helpers the unit tests share (see testutil.h): temporary
 * files and folders, the project root and ../shared/data, and the
 * assertions of reader and lexicon tests. Linked into every test program. */
#include "testutil.h"

#include "util/buf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- temporary files and folders ---- */

/* Where temporary files go: $TMPDIR, or /tmp. */
static const char *tmp_base(void)
{
    const char *dir = getenv("TMPDIR");
    return dir && dir[0] ? dir : "/tmp";
}

char *test_tmpdir(const char *tag)
{
    buf path = {0};
    buf_addf(&path, "%s/dyad-test-%s-XXXXXX", tmp_base(), tag);
    if (!mkdtemp(path.data))
        fail_msg("cannot make the temporary folder %s: %s; set TMPDIR to a writable folder", buf_str(&path),
                 strerror(errno));
    return buf_take(&path);
}

void test_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    DIR *dh = opendir(path);
    struct dirent *e;
    while (dh && (e = readdir(dh)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char *sub = test_path(path, e->d_name);
        test_remove_tree(sub);
        free(sub);
    }
    if (dh) closedir(dh);
    rmdir(path);
}

char *test_path(const char *dir, const char *name)
{
    buf b = {0};
    buf_addf(&b, "%s/%s", dir, name);
    return buf_take(&b);
}

/* Make every missing folder above the file PATH (mkdir -p of its folder). */
static void make_parents(char *path)
{
    for (char *s = path + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        mkdir(path, 0777);   /* it may be there already */
        *s = '/';
    }
}

/* Write N bytes to the open descriptor FD and close it. */
static void write_all(int fd, const char *bytes, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, bytes + done, n - done);
        assert_true(w > 0);
        done += (size_t)w;
    }
    assert_int_equal(close(fd), 0);
}

void test_write_file(const char *dir, const char *name, const char *text)
{
    char *path = test_path(dir, name);
    make_parents(path);
    FILE *fp = fopen(path, "wb");
    if (!fp) fail_msg("cannot write the test file %s: %s", path, strerror(errno));
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
    free(path);
}

char *test_temp_file(const char *suffix, const char *bytes, size_t n)
{
    buf path = {0};
    buf_addf(&path, "%s/dyad-test-XXXXXX%s", tmp_base(), suffix);
    int fd = mkstemps(path.data, (int)strlen(suffix));
    if (fd < 0)
        fail_msg("cannot make the temporary file %s: %s; set TMPDIR to a writable folder", buf_str(&path),
                 strerror(errno));
    write_all(fd, bytes, n);
    return buf_take(&path);
}

void test_remove_temp(char *path)
{
    unlink(path);
    free(path);
}

char *test_read_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    buf text = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) buf_add(&text, chunk, n);
    fclose(fp);
    return buf_take(&text);
}

void test_expect_file(const char *path, const char *want)
{
    char *got = test_read_file(path);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* ---- the project's fixtures and ../shared/data ---- */

/* Nonzero when DIR is the project root: it has tests/fixtures. */
static int is_project_root(const char *dir)
{
    char *probe = test_path(dir, "tests/fixtures");
    int yes = access(probe, R_OK) == 0;
    free(probe);
    return yes;
}

/* The folder three levels above the running program (ROOT/BUILD/tests/
 * test_x gives ROOT), or NULL when that cannot be told. */
static char *folder_above_program(void)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return NULL;
    exe[n] = '\0';
    for (int up = 0; up < 3; up++) {
        char *slash = strrchr(exe, '/');
        if (!slash) return NULL;
        *slash = '\0';
    }
    return xstrdup(exe[0] ? exe : "/");
}

/* The project root (see test_fixture_path). */
static char *project_root(void)
{
    static const char *const NEAR[] = {".", "..", "../.."};
    for (size_t i = 0; i < sizeof NEAR / sizeof NEAR[0]; i++)
        if (is_project_root(NEAR[i])) return xstrdup(NEAR[i]);
    char *root = folder_above_program();
    if (root && is_project_root(root)) return root;
    free(root);
    fail_msg("cannot find the project root (the folder with tests/fixtures) in ., .., ../.. or above "
             "the test program; run the test from the project root");
    return NULL;
}

/* PROJECT/BELOW/FOLDER/NAME. */
static char *project_path(const char *below, const char *folder, const char *name)
{
    char *root = project_root();
    buf b = {0};
    buf_addf(&b, "%s/%s/%s/%s", root, below, folder, name);
    free(root);
    return buf_take(&b);
}

char *test_fixture_path(const char *folder, const char *name)
{
    return project_path("tests/fixtures", folder, name);
}

char *test_shared_data(const char *folder, const char *name)
{
    char *path = project_path("../shared/data", folder, name);
    if (access(path, R_OK) == 0) return path;
    char *data = project_path("..", "shared", "data");
    int absent = access(data, F_OK) != 0;
    free(data);
    /* the data is there but this file is not: a broken copy, not a skip */
    if (!absent) fail_msg("%s: missing from ../shared/data; restore it or update this test", path);
    printf("SKIPPED: ../shared/data absent (%s)\n", path);
    free(path);
    skip();
    return NULL;
}

/* ---- reader tests ---- */

int test_reading_setup(void **state)
{
    *state = xcalloc(1, sizeof(test_reading));
    return 0;
}

int test_reading_teardown(void **state)
{
    test_reading *r = *state;
    session_list_free(&r->out);
    diag_free(&r->d);
    free(r);
    return 0;
}

session *test_one_session(test_reading *r, int rc)
{
    assert_int_equal(rc, 0);
    assert_int_equal(r->out.n, 1);
    return &r->out.items[0];
}

const char *test_label_of(const session *s, size_t utt)
{
    return s->speakers[s->utts[utt].speaker].label;
}

void test_check_utt(const session *s, size_t i, const char *label, const char *text, long line)
{
    assert_true(i < s->n_utts);
    assert_string_equal(test_label_of(s, i), label);
    assert_string_equal(s->utts[i].text, text);
    assert_int_equal(s->utts[i].line, line);
}

void test_check_times(const session *s, size_t i, double start, double end, unsigned flags)
{
    assert_true(i < s->n_utts);
    assert_double_eq(s->utts[i].start, start);
    assert_double_eq(s->utts[i].end, end);
    assert_int_equal(s->utts[i].flags, flags);
}

void test_check_timed_utt(const session *s, size_t i, const char *label, const char *text, double start,
                          double end, long line, unsigned flags)
{
    test_check_utt(s, i, label, text, line);
    test_check_times(s, i, start, end, flags);
}

void test_check_speaker(const session *s, size_t i, const char *label, role r, int from_source)
{
    assert_true(i < s->n_speakers);
    assert_string_equal(s->speakers[i].label, label);
    assert_int_equal(s->speakers[i].role, r);
    assert_int_equal(s->speakers[i].role_from_source, from_source);
}

void test_check_diag(const diag_list *d, size_t i, severity sev, const char *source, long line,
                     const char *message)
{
    assert_true(i < d->n);
    assert_int_equal(d->items[i].sev, sev);
    if (source) assert_string_equal(d->items[i].source, source);
    assert_int_equal(d->items[i].line, line);
    assert_string_equal(d->items[i].message, message);
}

/* ---- lexicon tests ---- */

void test_check_match(const match_list *ml, size_t i, uint32_t cat, uint32_t rule, uint32_t first,
                      uint32_t last)
{
    assert_true(i < ml->n);
    assert_int_equal(ml->m[i].category, cat);
    assert_int_equal(ml->m[i].rule, rule);
    assert_int_equal(ml->m[i].first, first);
    assert_int_equal(ml->m[i].last, last);
}

void test_check_matches(const match_list *ml, const uint32_t (*want)[4], size_t n)
{
    assert_int_equal(ml->n, n);
    for (size_t i = 0; i < n; i++) test_check_match(ml, i, want[i][0], want[i][1], want[i][2], want[i][3]);
}
