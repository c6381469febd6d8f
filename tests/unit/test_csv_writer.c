/* test_csv_writer.c: CSV cells: quoting, formula guard, numbers, empty cells. */
#include "testutil.h"
#include "writers/csv.h"

#include <stdlib.h>

static char *row_of_text(const char *a, const char *b)
{
    buf out = {0};
    csv_row r;
    csv_row_start(&r, &out);
    csv_text(&r, a);
    csv_text(&r, b);
    csv_row_end(&r);
    return buf_take(&out);
}

static void test_plain_and_quoted(void **state)
{
    (void)state;
    char *s = row_of_text("plain", "a,b");
    assert_string_equal(s, "plain,\"a,b\"\n");
    free(s);
    s = row_of_text("say \"hi\"", "two\nlines");
    assert_string_equal(s, "\"say \"\"hi\"\"\",\"two\nlines\"\n");
    free(s);
}

static void test_formula_injection_guard(void **state)
{
    (void)state;
    char *s = row_of_text("=SUM(A1)", "@cmd");
    assert_string_equal(s, "'=SUM(A1),'@cmd\n");
    free(s);
    s = row_of_text("+1", "-2,3");
    assert_string_equal(s, "'+1,\"'-2,3\"\n");
    free(s);
}

static void test_numbers(void **state)
{
    (void)state;
    buf out = {0};
    csv_row r;
    csv_row_start(&r, &out);
    csv_uint(&r, 42);
    csv_real(&r, 2.0 / 3.0);
    csv_real(&r, NAN);
    csv_real(&r, -0.00001);
    csv_real(&r, -0.5);
    csv_seconds(&r, 3723.5);
    csv_long(&r, -7);
    csv_empty(&r);
    csv_row_end(&r);
    /* numbers are never guarded; -0.0000 is normalised to 0.0000 */
    assert_string_equal(buf_str(&out), "42,0.6667,,0.0000,-0.5000,3723.500,-7,\n");
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_quoted),
        cmocka_unit_test(test_formula_injection_guard),
        cmocka_unit_test(test_numbers),
    };
    return cmocka_run_group_tests_name("csv writer", tests, NULL, NULL);
}
