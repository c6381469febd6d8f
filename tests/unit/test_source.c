/* test_source.c: loading transcript text: BOM, UTF-16, NUL, invalid UTF-8, line ends. */
#include "testutil.h"
#include "readers/source.h"

#include <stdio.h>
#include <stdlib.h>

static void collect_lines(const text_file *tf, char out[][64], size_t *n)
{
    text_cursor c;
    const char *line;
    size_t len;
    text_cursor_init(&c, tf);
    *n = 0;
    while (text_next_line(&c, &line, &len)) {
        snprintf(out[*n], 64, "%.*s", (int)len, line);
        (*n)++;
    }
}

static void test_line_ends_mixed(void **state)
{
    (void)state;
    diag_list d = {0};
    text_file tf;
    const char bytes[] = "a\r\nb\rc\nd";
    assert_int_equal(text_from_bytes(&tf, bytes, sizeof bytes - 1, "x.txt", &d), 0);
    char lines[8][64];
    size_t n;
    collect_lines(&tf, lines, &n);
    assert_int_equal(n, 4);
    assert_string_equal(lines[0], "a");
    assert_string_equal(lines[1], "b");
    assert_string_equal(lines[2], "c");
    assert_string_equal(lines[3], "d");
    assert_int_equal(d.n, 0);
    text_free(&tf);
    diag_free(&d);
}

static void test_bom_skipped(void **state)
{
    (void)state;
    diag_list d = {0};
    text_file tf;
    const char bytes[] = "\xEF\xBB\xBFT: hi";
    assert_int_equal(text_from_bytes(&tf, bytes, sizeof bytes - 1, "x.txt", &d), 0);
    assert_string_equal(tf.data, "T: hi");
    text_free(&tf);
    diag_free(&d);
}

static void test_utf16_with_and_without_bom(void **state)
{
    (void)state;
    diag_list d = {0};
    text_file tf;
    const char le_bom[] = "\xFF\xFE" "T\0:\0 \0h\0\xE9\0";
    assert_int_equal(text_from_bytes(&tf, le_bom, sizeof le_bom - 1, "x.txt", &d), 0);
    assert_string_equal(tf.data, "T: h\xC3\xA9");
    text_free(&tf);
    const char be_nobom[] = "\0T\0:\0 \0h\0i";
    assert_int_equal(text_from_bytes(&tf, be_nobom, sizeof be_nobom - 1, "x.txt", &d), 0);
    assert_string_equal(tf.data, "T: hi");
    text_free(&tf);
    assert_int_equal(d.n, 0);
    diag_free(&d);
}

static void test_binary_refused(void **state)
{
    (void)state;
    diag_list d = {0};
    text_file tf;
    const char bytes[] = "T: hello\nC: x\0\x01\x02\x03zz";
    assert_int_equal(text_from_bytes(&tf, bytes, sizeof bytes - 1, "bin.txt", &d), -1);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.items[0].sev, SEV_ERROR);
    assert_int_equal(d.items[0].line, 2);
    assert_string_equal(d.items[0].message, "binary file (NUL byte); not a transcript: convert it to UTF-8 text");
    diag_free(&d);
}

static void test_empty_refused(void **state)
{
    (void)state;
    diag_list d = {0};
    text_file tf;
    assert_int_equal(text_from_bytes(&tf, "", 0, "e.txt", &d), -1);
    assert_string_equal(d.items[0].message, "the file is empty");
    diag_free(&d);
}

static void test_invalid_utf8_repaired_with_line(void **state)
{
    (void)state;
    diag_list d = {0};
    text_file tf;
    /* line 2: overlong '/', a lone continuation byte; line 3: a surrogate, truncated sequence */
    const char bytes[] = "ok\nT: a\xC0\xAF b\x80\nC: \xED\xA0\x80 \xE2\x82";
    assert_int_equal(text_from_bytes(&tf, bytes, sizeof bytes - 1, "bad.txt", &d), 0);
    assert_string_equal(tf.data, "ok\nT: a\xEF\xBF\xBD\xEF\xBF\xBD b\xEF\xBF\xBD\nC: \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD");
    assert_int_equal(d.n, 2);
    assert_int_equal(d.items[0].line, 2);
    assert_int_equal(d.items[0].sev, SEV_WARNING);
    assert_string_equal(d.items[0].message, "invalid UTF-8 (3 byte sequences) replaced by U+FFFD; save the file as UTF-8");
    assert_int_equal(d.items[1].line, 3);
    text_free(&tf);
    diag_free(&d);
}

static void test_missing_file(void **state)
{
    (void)state;
    diag_list d = {0};
    text_file tf;
    assert_int_equal(text_load(&tf, "/nonexistent/x.txt", "x.txt", &d), -1);
    assert_string_equal(d.items[0].message, "cannot open: No such file or directory");
    diag_free(&d);
}

/* A file is read into the buffer it is kept in: its text exactly, a BOM
 * taken off, invalid UTF-8 repaired, UTF-16 transcoded, as from bytes. */
static void test_load_file(void **state)
{
    (void)state;
    diag_list d = {0};
    text_file tf;
    const char plain[] = "T: caf\xC3\xA9 ok\r\nC: fine";
    char *path = test_temp_file("", plain, sizeof plain - 1);
    assert_int_equal(text_load(&tf, path, "p.txt", &d), 0);
    assert_int_equal(tf.len, sizeof plain - 1);
    assert_string_equal(tf.data, plain);
    text_free(&tf);
    test_remove_temp(path);
    const char bom_bad[] = "\xEF\xBB\xBFT: hi\nC: a\xFF" "b";
    path = test_temp_file("", bom_bad, sizeof bom_bad - 1);
    assert_int_equal(text_load(&tf, path, "b.txt", &d), 0);
    assert_string_equal(tf.data, "T: hi\nC: a\xEF\xBF\xBD" "b");
    assert_int_equal(d.n, 1);
    assert_int_equal(d.items[0].line, 2);
    assert_string_equal(d.items[0].message, "invalid UTF-8 (1 byte sequence) replaced by U+FFFD; save the file as UTF-8");
    text_free(&tf);
    test_remove_temp(path);
    const char utf16[] = "\xFF\xFE" "T\0:\0 \0h\0\xE9\0";
    path = test_temp_file("", utf16, sizeof utf16 - 1);
    assert_int_equal(text_load(&tf, path, "u.txt", &d), 0);
    assert_string_equal(tf.data, "T: h\xC3\xA9");
    text_free(&tf);
    test_remove_temp(path);
    const char bom_only[] = "\xEF\xBB\xBF";
    path = test_temp_file("", bom_only, 3);
    assert_int_equal(text_load(&tf, path, "e.txt", &d), -1);
    assert_string_equal(d.items[1].message, "the file is empty");
    test_remove_temp(path);
    diag_free(&d);
}

/* Something that is not a regular file has no size to go by: it is read
 * until it ends (here at once). */
static void test_load_device(void **state)
{
    (void)state;
    diag_list d = {0};
    text_file tf;
    assert_int_equal(text_load(&tf, "/dev/null", "null", &d), -1);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.items[0].message, "the file is empty");
    /* a folder opens but cannot be read */
    assert_int_equal(text_load(&tf, "/", "root", &d), -1);
    assert_int_equal(d.n, 2);
    assert_string_equal(d.items[1].message, "cannot read: Is a directory");
    diag_free(&d);
}

/* Lines are found with the C library's strcspn: long ones, many CR-only
 * ones, and a last line without an end. */
static void test_many_and_long_lines(void **state)
{
    (void)state;
    size_t n = 100000, long_len = 70000;
    char *bytes = malloc(2 * n + long_len + 4);
    assert_non_null(bytes);
    for (size_t i = 0; i < n; i++) bytes[2 * i] = 'x', bytes[2 * i + 1] = '\r';
    memset(bytes + 2 * n, 'y', long_len);
    memcpy(bytes + 2 * n + long_len, "\r\nz", 3);
    diag_list d = {0};
    text_file tf;
    assert_int_equal(text_from_bytes(&tf, bytes, 2 * n + long_len + 3, "m.txt", &d), 0);
    text_cursor c;
    const char *line;
    size_t len, count = 0;
    text_cursor_init(&c, &tf);
    while (text_next_line(&c, &line, &len)) {
        count++;
        if (count <= n) assert_true(len == 1 && line[0] == 'x');
        else if (count == n + 1) assert_int_equal(len, long_len);
        else assert_true(len == 1 && line[0] == 'z');
    }
    assert_int_equal(count, n + 2);
    assert_int_equal(c.line, (long)(n + 2));
    text_free(&tf);
    free(bytes);
    diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_ends_mixed),
        cmocka_unit_test(test_bom_skipped),
        cmocka_unit_test(test_utf16_with_and_without_bom),
        cmocka_unit_test(test_binary_refused),
        cmocka_unit_test(test_empty_refused),
        cmocka_unit_test(test_invalid_utf8_repaired_with_line),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_load_device),
        cmocka_unit_test(test_many_and_long_lines),
    };
    return cmocka_run_group_tests_name("source", tests, NULL, NULL);
}
