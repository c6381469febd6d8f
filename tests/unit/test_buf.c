/* test_buf.c: util/buf.c, the growable buffer, and reading a whole file
 * into one (buf_add_file, which the lexicon, .dic, XML and TalkBank readers
 * share); and util/xalloc.c's cache-line-aligned tables. */
#include "testutil.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdint.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void test_add_and_take(void **state)
{
    (void)state;
    buf b = {0};
    assert_string_equal(buf_str(&b), "");
    buf_add(&b, "ab", 2);
    buf_addc(&b, 'c');
    buf_addf(&b, "-%d", 42);
    assert_int_equal(b.len, 6);
    assert_string_equal(buf_str(&b), "abc-42");
    char *s = buf_take(&b);
    assert_string_equal(s, "abc-42");
    assert_int_equal(b.len, 0);
    free(s);
}

/* The file's bytes, NULs and all, appended after what the buffer held;
 * larger than one 64 KB read. */
static void test_add_file(void **state)
{
    (void)state;
    size_t n = 200000;
    char *bytes = malloc(n);
    assert_non_null(bytes);
    for (size_t i = 0; i < n; i++) bytes[i] = (char)(i * 7 % 256);
    char *path = test_temp_file(".bin", bytes, n);
    buf b = {0};
    buf_add(&b, "head", 4);
    assert_int_equal(buf_add_file(&b, path), 0);
    assert_int_equal(b.len, 4 + n);
    assert_memory_equal(b.data, "head", 4);
    assert_memory_equal(b.data + 4, bytes, n);
    assert_int_equal(b.data[b.len], '\0');
    buf_free(&b);
    unlink(path);
    free(path);
    free(bytes);
}

static void test_add_file_errors(void **state)
{
    (void)state;
    buf b = {0};
    assert_int_equal(buf_add_file(&b, "/nonexistent/dyad-test/none.lex"), BUF_CANNOT_OPEN);
    assert_int_equal(errno, ENOENT);
    char *dir = test_tmpdir("buf");
    assert_int_equal(buf_add_file(&b, dir), BUF_CANNOT_READ);   /* a folder opens but cannot be read */
    assert_int_equal(errno, EISDIR);
    assert_int_equal(b.len, 0);
    test_remove_tree(dir);
    free(dir);
    buf_free(&b);
}

/* Zeroed, on a 64-byte boundary, whatever the size asked for (also one
 * that is not a multiple of 64, which aligned_alloc alone may refuse). */
static void test_calloc_lines(void **state)
{
    (void)state;
    size_t sizes[][2] = {{1, 1}, {3, 24}, {1000, 64}, {0, 0}, {5, 100}};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        unsigned char *p = xcalloc_lines(sizes[k][0], sizes[k][1]);
        assert_int_equal((uintptr_t)p % 64, 0);
        for (size_t i = 0; i < sizes[k][0] * sizes[k][1]; i++) assert_int_equal(p[i], 0);
        free(p);
    }
}

/* After xalloc_keep_freed_memory a 2 MB block comes from the heap, not
 * from a mapping of its own (which glibc would unmap when it is freed and
 * map again, page by page, for the next file's). */
static void test_keep_freed_memory(void **state)
{
    (void)state;
#ifdef __GLIBC__
    xalloc_keep_freed_memory();
    size_t mapped = mallinfo2().hblks;
    char *p = xmalloc(2u << 20);
    p[0] = 1;
    assert_int_equal(mallinfo2().hblks, mapped);
    free(p);
#else
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_and_take),
        cmocka_unit_test(test_add_file),
        cmocka_unit_test(test_add_file_errors),
        cmocka_unit_test(test_calloc_lines),
        cmocka_unit_test(test_keep_freed_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
