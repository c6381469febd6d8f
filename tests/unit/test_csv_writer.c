/* test_csv_writer.c: CSV cells: quoting, formula guard, numbers, empty cells,
 * and the cells put straight into memory (csv_put_*, csv_reserve). */
#include "testutil.h"
#include "writers/csv.h"

#include <csv.h>
#include <float.h>
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

/* printf's digits for v with `places` decimals, "-0.000" written "0.000",
 * cut to 63 bytes as the writer's slow path cuts them. */
static void printf_reference(double v, int places, char want[64])
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*f", places, v);
    const char *w = tmp;
    if (tmp[0] == '-' && strspn(tmp + 1, "0.") == strlen(tmp + 1)) w = tmp + 1;
    memmove(want, w, strlen(w) + 1);
}

/* The cell csv_real (4 places) or csv_seconds (3) writes for v, after a
 * first cell, so the comma is checked too. */
static void assert_fixed_cell(double v, int places)
{
    buf out = {0};
    csv_row r;
    csv_row_start(&r, &out);
    csv_uint(&r, 7);
    if (places == 4) csv_real(&r, v);
    else csv_seconds(&r, v);
    char want[64], row[80];
    printf_reference(v, places, want);
    snprintf(row, sizeof row, "7,%s", want);
    assert_string_equal(buf_str(&out), row);
    buf_free(&out);
}

/* The fast path's edges: zeros, the last value it takes (below 1e9 once
 * scaled) and the first it leaves to printf, rounding up to a new digit,
 * values next to a tie, infinities and values printf writes in full. */
static void test_reals_edges(void **state)
{
    (void)state;
    const double values[] = {0.0, -0.0, 1e-300, -1e-300, 0.00004, -0.00004, 0.00005, -0.00005,
                             0.0005, -0.0005, 0.99995, 0.999949999, 9.99995, 0.9995, 9.9995,
                             99999.9999, 99999.99994, 99999.99996, 100000.0, -99999.9999,
                             999999.999, 999999.9994, 999999.9996, 1000000.0, 4294967.295,
                             4294967296.0, 123456.78905, 0.125, 0.375, 2.5, 1e15, -1e15, 1e300,
                             -1e300, DBL_MAX, -DBL_MAX, DBL_MIN, INFINITY, -INFINITY, 1.0 / 3.0,
                             -2.0 / 3.0, 59.9999, 3600.0005, 86399.9995};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        assert_fixed_cell(values[i], 4);
        assert_fixed_cell(values[i], 3);
    }
}

/* A pseudo-random sweep over magnitudes from 1e-7 to 1e10, both signs and
 * both widths, and whole values plus or minus a hair. */
static void test_reals_sweep_magnitudes(void **state)
{
    (void)state;
    unsigned long long seed = 2024;
    for (int i = 0; i < 200000; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double unit = (double)(seed >> 11) / (double)(1ULL << 53);
        double v = pow(10.0, -7.0 + 17.0 * unit);
        if (seed & 1) v = -v;
        if (i % 5 == 0) v = floor(v * 1000.0) / 1000.0 + ((seed >> 3) & 1 ? 1e-12 : -1e-12);
        assert_fixed_cell(v, 4);
        assert_fixed_cell(v, 3);
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

/* ---- cells put straight into memory ---- */

/* csv_put_text's bytes for s (as a string), checking it writes nothing past
 * CSV_TEXT_ROOM(strlen(s)). */
static char *put_text(const char *s)
{
    size_t n = strlen(s), room = CSV_TEXT_ROOM(n);
    char *dst = malloc(room + 16);
    memset(dst, 0x5a, room + 16);
    size_t len = csv_put_text(dst, s, n);
    assert_true(len <= room);
    for (size_t i = room; i < room + 16; i++) assert_int_equal((unsigned char)dst[i], 0x5a);
    dst[len] = '\0';
    return dst;
}

static void assert_put_text(const char *s, const char *want)
{
    char *got = put_text(s);
    assert_string_equal(got, want);
    free(got);
}

static void test_put_text_exact_bytes(void **state)
{
    (void)state;
    assert_put_text("", "");
    assert_put_text("word", "word");
    assert_put_text("mm hmm", "mm hmm");
    /* bytes up to ',' that need no quotes, and non-ASCII */
    assert_put_text("!#$%&'()*+ ", "!#$%&'()*+ ");
    assert_put_text("Zo\xc3\xab \xe2\x80\x99", "Zo\xc3\xab \xe2\x80\x99");
    /* the guard, alone and inside quotes */
    assert_put_text("=", "'=");
    assert_put_text("-", "'-");
    assert_put_text("+1", "'+1");
    assert_put_text("@x", "'@x");
    assert_put_text("a=b", "a=b");
    assert_put_text("-a,b", "\"'-a,b\"");
    assert_put_text("@\n", "\"'@\n\"");
    assert_put_text("=\"", "\"'=\"\"\"");
    /* quotes: comma, quote, CR, LF */
    assert_put_text(",", "\",\"");
    assert_put_text("\"", "\"\"\"\"");
    assert_put_text("a\rb", "\"a\rb\"");
    assert_put_text("a\nb", "\"a\nb\"");
    assert_put_text("say \"hi\"", "\"say \"\"hi\"\"\"");
    /* the most room a cell takes: a guard and nothing but quotes */
    assert_put_text("-\"\"\"", "\"'-\"\"\"\"\"\"\"");
    assert_put_text("\"\"\"\"", "\"\"\"\"\"\"\"\"\"\"");
    /* a long cell whose only comma is its last byte */
    assert_put_text("a long cell of more than thirty-two bytes,", "\"a long cell of more than thirty-two bytes,\"");
}

/* The cells csv_text wrote before it had a fast path: libcsv quotes the
 * whole cell when it holds , " CR or LF, the guard ' goes first (inside
 * the quotes when quoted). */
static char *reference_text(const char *s)
{
    const char *guard = (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') ? "'" : "";
    size_t n = strlen(s);
    buf out = {0};
    if (!strpbrk(s, ",\"\r\n")) {
        buf_adds(&out, guard);
        buf_add(&out, s, n);
        return buf_take(&out);
    }
    size_t need = csv_write(NULL, 0, s, n);
    char *q = malloc(need + 1);
    csv_write(q, need, s, n);
    if (*guard) {
        buf_addc(&out, '"');
        buf_adds(&out, guard);
        buf_add(&out, q + 1, need - 1);
    } else {
        buf_add(&out, q, need);
    }
    free(q);
    return buf_take(&out);
}

/* csv_put_text and csv_text against the reference on pseudo-random cells
 * made of the bytes that matter. */
static void test_put_text_matches_reference(void **state)
{
    (void)state;
    static const char ALPHABET[] = {'a', 'Z', ',', '"', '\r', '\n', '=', '+', '-', '@', ' ', '\'', '.', (char)0xc3, (char)0xab};
    unsigned long long seed = 42;
    for (int i = 0; i < 20000; i++) {
        char s[48];
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t n = (size_t)(seed >> 33) % 40;
        for (size_t k = 0; k < n; k++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            s[k] = ALPHABET[(seed >> 33) % sizeof ALPHABET];
        }
        s[n] = '\0';
        char *want = reference_text(s);
        char *got = put_text(s);
        assert_string_equal(got, want);
        buf row = {0};
        csv_row r;
        csv_row_start(&r, &row);
        csv_text(&r, s);
        assert_string_equal(buf_str(&row), want);
        buf_free(&row);
        free(got);
        free(want);
    }
}

static void test_put_numbers(void **state)
{
    (void)state;
    char dst[CSV_NUMBER_ROOM + 1];
    static const struct {
        unsigned long long v;
        const char *want;
    } uints[] = {{0, "0"}, {9, "9"}, {10, "10"}, {1234567, "1234567"}, {18446744073709551615ULL, "18446744073709551615"}};
    for (size_t i = 0; i < sizeof uints / sizeof uints[0]; i++) {
        size_t n = csv_put_uint(dst, uints[i].v);
        assert_int_equal(n, strlen(uints[i].want));
        assert_memory_equal(dst, uints[i].want, n);
    }
    /* every power of ten, and one less: where the digit count changes */
    unsigned long long p = 1;
    for (int k = 0; k < 20; k++, p *= 10) {
        char want[32];
        unsigned long long around[2] = {p, p - 1};
        for (int j = 0; j < 2; j++) {
            snprintf(want, sizeof want, "%llu", around[j]);
            memset(dst, 'x', sizeof dst);
            size_t n = csv_put_uint(dst, around[j]);
            assert_int_equal(n, strlen(want));
            assert_memory_equal(dst, want, n);
            assert_int_equal(dst[n], 'x');   /* nothing written past the number */
        }
    }
    static const struct {
        long v;
        const char *want;
    } longs[] = {{0, "0"}, {-1, "-1"}, {42, "42"}, {-9223372036854775807L - 1, "-9223372036854775808"},
                 {9223372036854775807L, "9223372036854775807"}};
    for (size_t i = 0; i < sizeof longs / sizeof longs[0]; i++) {
        size_t n = csv_put_long(dst, longs[i].v);
        assert_true(n <= CSV_NUMBER_ROOM);
        assert_int_equal(n, strlen(longs[i].want));
        assert_memory_equal(dst, longs[i].want, n);
    }
}

/* csv_put_real and csv_put_seconds: the bytes of csv_real and csv_seconds'
 * cells, nothing written past the cell but printf's NUL, and never past
 * CSV_REAL_ROOM. */
static void assert_put_fixed(double v, int places)
{
    char dst[CSV_REAL_ROOM + 16];
    memset(dst, 'x', sizeof dst);
    size_t n = places == 4 ? csv_put_real(dst, v) : csv_put_seconds(dst, v);
    char want[64] = "";
    if (!isnan(v)) printf_reference(v, places, want);
    assert_true(n < CSV_REAL_ROOM);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(dst, want, n);
    assert_true(dst[n] == 'x' || dst[n] == '\0');
    for (size_t i = n + 1; i < sizeof dst; i++)
        if (i >= CSV_REAL_ROOM || dst[i] != '\0') assert_int_equal(dst[i], 'x');
}

static void test_put_reals(void **state)
{
    (void)state;
    char dst[CSV_REAL_ROOM];
    /* exact bytes of both widths */
    assert_int_equal(csv_put_real(dst, 0.0), 6);
    assert_memory_equal(dst, "0.0000", 6);
    assert_int_equal(csv_put_seconds(dst, 3723.5), 8);
    assert_memory_equal(dst, "3723.500", 8);
    assert_int_equal(csv_put_real(dst, -2.0 / 3.0), 7);
    assert_memory_equal(dst, "-0.6667", 7);
    assert_int_equal(csv_put_seconds(dst, -0.0004), 5);   /* printf's -0.000, normalised */
    assert_memory_equal(dst, "0.000", 5);
    assert_int_equal(csv_put_real(dst, 1234.56785), 9);   /* just below the tie in binary */
    assert_memory_equal(dst, "1234.5678", 9);
    assert_int_equal(csv_put_seconds(dst, 99999.9996), 10);   /* rounds up to a new digit */
    assert_memory_equal(dst, "100000.000", 10);
    assert_int_equal(csv_put_real(dst, 0.00005), 6);
    assert_memory_equal(dst, "0.0001", 6);
    assert_int_equal(csv_put_real(dst, NAN), 0);
    assert_int_equal(csv_put_seconds(dst, NAN), 0);
    /* edges of the fast path, printf's values and the 63-byte cut */
    const double values[] = {0.0, -0.0, 0.00005, -0.00005, 0.5, 9.99995, 99999.99996, 999999.9996, 1e9,
                             -1e9, 1e58, -1e58, 1e300, -DBL_MAX, DBL_MAX, INFINITY, -INFINITY, NAN,
                             1.0 / 3.0, 59.9999, 86399.9995};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        assert_put_fixed(values[i], 4);
        assert_put_fixed(values[i], 3);
    }
}

/* csv_reserve gives room without writing; csv_commit takes what was put. */
static void test_reserve_and_commit(void **state)
{
    (void)state;
    buf out = {0};
    char *p = csv_reserve(&out, 100);
    assert_non_null(p);
    assert_int_equal(out.len, 0);
    assert_true(out.cap >= 101);
    memcpy(p, "abc", 3);
    csv_commit(&out, p + 3);
    assert_string_equal(buf_str(&out), "abc");
    assert_int_equal(out.len, 3);
    /* room already there: same place, no growth */
    size_t cap = out.cap;
    char *q = csv_reserve(&out, 10);
    assert_ptr_equal(q, out.data + 3);
    assert_int_equal(out.cap, cap);
    /* more than there is: grown, contents kept */
    q = csv_reserve(&out, cap * 4);
    assert_true(out.cap >= 3 + cap * 4 + 1);
    assert_string_equal(buf_str(&out), "abc");
    q += csv_put_text(q, "-1", 2);
    *q++ = ',';
    q += csv_put_uint(q, 7);
    csv_commit(&out, q);
    assert_string_equal(buf_str(&out), "abc'-1,7");
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_quoted),
        cmocka_unit_test(test_formula_injection_guard),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_reals_match_printf),
        cmocka_unit_test(test_reals_edges),
        cmocka_unit_test(test_reals_sweep_magnitudes),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_put_text_exact_bytes),
        cmocka_unit_test(test_put_text_matches_reference),
        cmocka_unit_test(test_put_numbers),
        cmocka_unit_test(test_put_reals),
        cmocka_unit_test(test_reserve_and_commit),
    };
    return cmocka_run_group_tests_name("csv writer", tests, NULL, NULL);
}
