/* test_strindex.c: the name index the readers use to find participants,
 * persons and tier labels (util/strindex.h). */
#include "testutil.h"
#include "util/strindex.h"

#include <stdio.h>
#include <stdlib.h>

static void test_empty_index_finds_nothing(void **state)
{
    (void)state;
    strindex x = {0};
    assert_true(strindex_get(&x, "T", 1) == STRINDEX_NONE);
    assert_true(strindex_get(&x, "", 0) == STRINDEX_NONE);
    strindex_free(&x);
}

static void test_put_and_get_by_span(void **state)
{
    (void)state;
    strindex x = {0};
    const char *names[] = {"THE", "CHI", "", "TH"};
    for (size_t i = 0; i < 4; i++) strindex_put(&x, names[i], strlen(names[i]), i);
    assert_int_equal(x.n, 4);
    /* a key is a span: "THE" inside a longer line, its prefix "TH" apart */
    const char *line = "*THE:\thello";
    assert_int_equal(strindex_get(&x, line + 1, 3), 0);
    assert_int_equal(strindex_get(&x, line + 1, 2), 3);
    assert_int_equal(strindex_get(&x, "CHI", 3), 1);
    assert_int_equal(strindex_get(&x, "", 0), 2);
    assert_true(strindex_get(&x, "THEM", 4) == STRINDEX_NONE);
    assert_true(strindex_get(&x, "the", 3) == STRINDEX_NONE);   /* case matters */
    strindex_free(&x);
    assert_int_equal(x.n, 0);
    assert_null(x.slots);
}

static void test_first_value_stays(void **state)
{
    (void)state;
    strindex x = {0};
    strindex_put(&x, "P1", 2, 7);
    strindex_put(&x, "P1", 2, 9);   /* a second person with the same id */
    assert_int_equal(x.n, 1);
    assert_int_equal(strindex_get(&x, "P1", 2), 7);
    strindex_free(&x);
}

/* Many keys force several rehashes; every one is still found. */
static void test_many_keys(void **state)
{
    (void)state;
    enum { N = 100000 };
    char (*keys)[16] = malloc(N * sizeof *keys);
    assert_non_null(keys);
    strindex x = {0};
    for (size_t i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "S%zu", i);
        strindex_put(&x, keys[i], strlen(keys[i]), i);
    }
    assert_int_equal(x.n, N);
    assert_true(x.cap >= 2 * N);
    for (size_t i = 0; i < N; i++) assert_int_equal(strindex_get(&x, keys[i], strlen(keys[i])), i);
    assert_true(strindex_get(&x, "S100000", 7) == STRINDEX_NONE);
    strindex_free(&x);
    free(keys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_index_finds_nothing),
        cmocka_unit_test(test_put_and_get_by_span),
        cmocka_unit_test(test_first_value_stays),
        cmocka_unit_test(test_many_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
