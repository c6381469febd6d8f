/* test_csv_writer.c: CSV cells: quoting, formula guard, numbers, empty cells. */
#include "testutil.h"
#include "writers/csv.h"

#include <stdio.h>
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

/* The fast number formatter gives printf's digits, ties and all. */
static void test_reals_match_printf(void **state)
{
    (void)state;
    const double values[] = {0, 0.46875, 0.53125, 2.0 / 3.0, -2.0 / 3.0, 0.00005, 0.00015, 1e-9,
                             -1e-9, 12345.67895, 99.99995, 0.1 + 0.2, 1.0005, 3723.5, 147.05882352941177,
                             -0.5, 1e11 + 0.25};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        for (int places = 3; places <= 4; places++) {
            buf out = {0};
            csv_row r;
            csv_row_start(&r, &out);
            if (places == 4) csv_real(&r, values[i]);
            else csv_seconds(&r, values[i]);
            char want[64];
            snprintf(want, sizeof want, "%.*f", places, values[i]);
            const char *w = want;
            if (want[0] == '-' && strspn(want + 1, "0.") == strlen(want + 1)) w = want + 1;
            assert_string_equal(buf_str(&out), w);
            buf_free(&out);
        }
    }
    /* a pseudo-random sweep */
    unsigned long long seed = 12345;
    for (int i = 0; i < 200000; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double v = (double)(seed >> 11) / (double)(1ULL << 53) * 2000.0 - 1000.0;
        if (i % 3 == 0) v /= 997.0;
        buf out = {0};
        csv_row r;
        csv_row_start(&r, &out);
        csv_real(&r, v);
        char want[64];
        snprintf(want, sizeof want, "%.4f", v);
        const char *w = want;
        if (want[0] == '-' && strspn(want + 1, "0.") == strlen(want + 1)) w = want + 1;
        assert_string_equal(buf_str(&out), w);
        buf_free(&out);
    }
}

static void test_integers(void **state)
{
    (void)state;
    buf out = {0};
    csv_row r;
    csv_row_start(&r, &out);
    csv_uint(&r, 0);
    csv_uint(&r, 18446744073709551615ULL);
    csv_long(&r, -9223372036854775807L - 1);
    csv_long(&r, 0);
    assert_string_equal(buf_str(&out), "0,18446744073709551615,-9223372036854775808,0");
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_quoted),
        cmocka_unit_test(test_formula_injection_guard),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_reals_match_printf),
        cmocka_unit_test(test_integers),
    };
    return cmocka_run_group_tests_name("csv writer", tests, NULL, NULL);
}
