/* test_meta_table.c: the meta_<column> cells of sessions.csv: header order,
 * empty cells, repeated keys, merging tables, many columns, and rows
 * without metadata taking no room.
 *
 * Regression (found by hand with a CSV of 100,000 metadata columns): keys
 * were found by a linear search and each row's cells by another, so the
 * time grew with the square of the number of columns (22 s for 100,000). */
#include "testutil.h"
#include "model/session.h"
#include "util/buf.h"
#include "writers/meta_table.h"

#include <stdio.h>
#include <stdlib.h>

/* A session whose metadata is the key=value pairs given (NULL-terminated). */
static void make_session(session *s, const char *const *pairs)
{
    session_init(s, "s", "s.csv");
    for (size_t i = 0; pairs[i]; i += 2) session_add_meta(s, pairs[i], pairs[i + 1]);
}

static void add_row(meta_table *t, size_t len, const char *const *pairs)
{
    session s;
    make_session(&s, pairs);
    meta_table_add_row(t, len, &s);
    session_free(&s);
}

static void expect_header(const meta_table *t, const char *expected)
{
    buf b = {0};
    meta_table_header(t, &b);
    assert_string_equal(buf_str(&b), expected);
    buf_free(&b);
}

static void expect_cells(const meta_table *t, size_t row, const char *expected)
{
    buf b = {0};
    meta_table_cells(t, row, &b);
    assert_string_equal(buf_str(&b), expected);
    buf_free(&b);
}

static void test_columns_in_order_of_first_appearance(void **state)
{
    (void)state;
    meta_table t = {0};
    add_row(&t, 10, (const char *const[]){"topic", "smoking", "quality", "high", NULL});
    add_row(&t, 20, (const char *const[]){"quality", "low", "site", "b", NULL});
    add_row(&t, 30, (const char *const[]){NULL});
    expect_header(&t, ",meta_topic,meta_quality,meta_site");
    expect_cells(&t, 0, ",smoking,high,");
    expect_cells(&t, 1, ",,low,b");
    expect_cells(&t, 2, ",,,");
    assert_int_equal(t.n_rows, 3);
    assert_int_equal(t.bytes, 60);
    assert_int_equal(t.n_with_meta, 2);   /* the third row has none */
    meta_table_free(&t);
}

static void test_repeated_key_keeps_last_value(void **state)
{
    (void)state;
    meta_table t = {0};
    add_row(&t, 1, (const char *const[]){"topic", "first", "topic", "second", NULL});
    expect_header(&t, ",meta_topic");
    expect_cells(&t, 0, ",second");
    meta_table_free(&t);
}

static void test_append_maps_keys(void **state)
{
    (void)state;
    meta_table to = {0}, from = {0};
    add_row(&to, 1, (const char *const[]){"a", "1", NULL});
    add_row(&from, 2, (const char *const[]){"b", "2", "a", "3", NULL});
    meta_table_append(&to, &from);
    assert_int_equal(from.n_rows, 0);
    assert_int_equal(from.bytes, 0);
    expect_header(&to, ",meta_a,meta_b");
    expect_cells(&to, 0, ",1,");
    expect_cells(&to, 1, ",3,2");
    assert_int_equal(to.n_rows, 2);
    assert_int_equal(to.bytes, 3);
    meta_table_free(&to);
}

/* Rows without metadata are counted, not stored: a run over files without
 * metadata holds nothing per session (issue 7), and its rows get no cells. */
static void test_rows_without_metadata_take_no_room(void **state)
{
    (void)state;
    meta_table t = {0}, file = {0};
    for (int i = 0; i < 1000; i++) {
        add_row(&file, 100, (const char *const[]){NULL});
        meta_table_append(&t, &file);
    }
    assert_int_equal(t.n_rows, 1000);
    assert_int_equal(t.bytes, 100000);
    assert_int_equal(t.n_with_meta, 0);
    assert_null(t.with_meta);
    expect_header(&t, "");
    expect_cells(&t, 999, "");
    meta_table_free(&t);
}

/* Rows counted before and after an append keep their own cells: row
 * indexes of the appended table are shifted by the rows already there. */
static void test_append_shifts_rows(void **state)
{
    (void)state;
    meta_table to = {0}, from = {0};
    add_row(&to, 5, (const char *const[]){NULL});
    add_row(&to, 5, (const char *const[]){"site", "north", NULL});
    add_row(&from, 7, (const char *const[]){NULL});
    add_row(&from, 7, (const char *const[]){NULL});
    add_row(&from, 7, (const char *const[]){"topic", "a,\"b\"", "site", "south", NULL});
    meta_table_append(&to, &from);
    expect_header(&to, ",meta_site,meta_topic");
    expect_cells(&to, 0, ",,");
    expect_cells(&to, 1, ",north,");
    expect_cells(&to, 2, ",,");
    expect_cells(&to, 3, ",,");
    expect_cells(&to, 4, ",south,\"a,\"\"b\"\"\"");
    assert_int_equal(to.n_rows, 5);
    assert_int_equal(to.bytes, 31);
    assert_int_equal(to.n_with_meta, 2);
    assert_int_equal(to.with_meta[1].row, 4);
    meta_table_free(&to);
}

/* 100,000 columns in two rows, the second in reverse order: each cell lands
 * under its own column. Took about a minute before the fix; now 0.1 s. */
static void test_many_columns(void **state)
{
    (void)state;
    enum { N = 100000 };
    session s1, s2;
    session_init(&s1, "s1", "s.csv");
    session_init(&s2, "s2", "s.csv");
    char key[32], value[32];
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "c%d", i);
        snprintf(value, sizeof value, "v%d", i);
        session_add_meta(&s1, key, value);
        snprintf(key, sizeof key, "c%d", N - 1 - i);
        snprintf(value, sizeof value, "w%d", N - 1 - i);
        session_add_meta(&s2, key, value);
    }
    meta_table t = {0};
    meta_table_add_row(&t, 1, &s1);
    meta_table_add_row(&t, 2, &s2);
    assert_int_equal(t.n_keys, N);
    assert_string_equal(t.keys[N - 1], "c99999");
    buf b = {0};
    meta_table_cells(&t, 1, &b);
    assert_int_equal(strncmp(buf_str(&b), ",w0,w1,w2,", 10), 0);
    assert_string_equal(buf_str(&b) + b.len - 14, ",w99998,w99999");
    buf_free(&b);
    meta_table_free(&t);
    session_free(&s1);
    session_free(&s2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_in_order_of_first_appearance),
        cmocka_unit_test(test_repeated_key_keeps_last_value),
        cmocka_unit_test(test_append_maps_keys),
        cmocka_unit_test(test_rows_without_metadata_take_no_room),
        cmocka_unit_test(test_append_shifts_rows),
        cmocka_unit_test(test_many_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
