/* test_source.c: loading transcript text: BOM, UTF-16, NUL, invalid UTF-8, line ends. */
#include "testutil.h"
#include "readers/source.h"
#include "util/buf.h"
#include "util/utf8.h"

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

/* Lines are found with the C library's memchr: long ones, many CR-only
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

/* The lines of s[0..n) found a byte at a time (what text_next_line did
 * before it used memchr), as "line|line|...|". */
static void reference_lines(const char *s, size_t n, buf *out)
{
    size_t i = 0;
    while (i < n) {
        size_t end = i;
        while (end < n && s[end] != '\n' && s[end] != '\r') end++;
        buf_add(out, s + i, end - i);
        buf_addc(out, '|');
        if (end < n && s[end] == '\r' && end + 1 < n && s[end + 1] == '\n') end++;
        i = end + 1;
    }
}

static void cursor_lines(text_cursor *c, buf *out)
{
    const char *line;
    size_t len;
    while (text_next_line(c, &line, &len)) {
        buf_add(out, line, len);
        buf_addc(out, '|');
    }
}

/* text_next_line against the byte-at-a-time reference on pseudo-random
 * texts of LF, CR, CRLF, blank and long lines; a copy of the cursor taken
 * halfway (as the VTT reader does to look ahead) goes on the same. */
static void test_line_ends_match_reference(void **state)
{
    (void)state;
    static const char *const PIECES[] = {"a", "b c", "\n", "\r", "\r\n", "\n\r", " ",
                                         "a line of more than thirty-two bytes, to cross a block"};
    unsigned long long seed = 7;
    for (int round = 0; round < 3000; round++) {
        char text[1024];
        size_t n = 0;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t pieces = 1 + (size_t)(seed >> 33) % 16;
        for (size_t k = 0; k < pieces; k++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            const char *p = PIECES[(seed >> 33) % (sizeof PIECES / sizeof PIECES[0])];
            memcpy(text + n, p, strlen(p));
            n += strlen(p);
        }
        diag_list d = {0};
        text_file tf;
        assert_int_equal(text_from_bytes(&tf, text, n, "r.txt", &d), 0);
        buf want = {0}, got = {0}, again = {0};
        reference_lines(text, n, &want);
        text_cursor c, half;
        text_cursor_init(&c, &tf);
        const char *line;
        size_t len;
        for (size_t k = 0; k < pieces / 2 && text_next_line(&c, &line, &len); k++) {
            buf_add(&got, line, len);
            buf_addc(&got, '|');
        }
        half = c;
        buf_adds(&again, buf_str(&got));
        cursor_lines(&c, &got);
        cursor_lines(&half, &again);
        assert_string_equal(buf_str(&got), buf_str(&want));
        assert_string_equal(buf_str(&again), buf_str(&want));
        buf_free(&want);
        buf_free(&got);
        buf_free(&again);
        text_free(&tf);
        diag_free(&d);
    }
}

/* The UTF-8 check passes over ASCII 32 and 8 bytes at a time: a two-byte
 * character or an invalid byte at every offset of a 100-byte text, the
 * last byte included, is found as utf8_valid finds it. */
static void test_utf8_check_at_every_offset(void **state)
{
    (void)state;
    for (size_t at = 0; at < 100; at++) {
        for (int bad = 0; bad <= 1; bad++) {
            char text[101];
            memset(text, 'a', 100);
            size_t n = 100;
            if (bad) {
                text[at] = (char)0xFF;
            } else if (at + 1 < n) {
                text[at] = (char)0xC3;
                text[at + 1] = (char)0xA9;
            } else {
                n = 99;   /* no room for both bytes: the text ends before */
            }
            assert_int_equal(utf8_valid(text, n), !bad);
            diag_list d = {0};
            text_file tf;
            assert_int_equal(text_from_bytes(&tf, text, n, "u.txt", &d), 0);
            if (bad) {
                assert_int_equal(d.n, 1);
                assert_int_equal(tf.len, n + 2);   /* 0xFF became U+FFFD */
            } else {
                assert_int_equal(d.n, 0);
                assert_int_equal(tf.len, n);
                assert_memory_equal(tf.data, text, n);
            }
            text_free(&tf);
            diag_free(&d);
        }
    }
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
        cmocka_unit_test(test_line_ends_match_reference),
        cmocka_unit_test(test_utf8_check_at_every_offset),
    };
    return cmocka_run_group_tests_name("source", tests, NULL, NULL);
}
