/* test_session.c: the session model's time checks (session_normalise_times)
 * and the clock format every time warning uses (util/clock.c). */
#include "testutil.h"
#include "util/clock.h"

#include <stdio.h>
#include <stdlib.h>

static void test_clock_format(void **state)
{
    (void)state;
    char out[CLOCK_TEXT_MAX];
    clock_format(0, out);
    assert_string_equal(out, "00:00:00");
    clock_format(62, out);
    assert_string_equal(out, "00:01:02");
    clock_format(3723.5, out);
    assert_string_equal(out, "01:02:03.500");
    clock_format(0.001, out);
    assert_string_equal(out, "00:00:00.001");
    clock_format(1.9996, out); /* rounds up into the next second */
    assert_string_equal(out, "00:00:02");
    clock_format(1080001, out); /* hours take more digits */
    assert_string_equal(out, "300:00:01");
    clock_format(TIME_UNKNOWN, out);
    assert_string_equal(out, "unknown");
    clock_format(3599999999999.0, out); /* the largest WebVTT time, 999999999:59:59 */
    assert_string_equal(out, "999999999:59:59");
    clock_format(1e14, out);
    assert_string_equal(out, "1e+14 s");
    clock_format(INFINITY, out);
    assert_string_equal(out, "inf s");
    clock_format(NAN, out);
    assert_string_equal(out, "nan s");
}

/* A session of utterances "u0", "u1", ... at lines 10, 11, ... with these
 * starts (TIME_UNKNOWN for none) and no ends. */
static void make_session(session *s, const double *starts, size_t n)
{
    session_init(s, "s", "in.csv");
    size_t who = session_speaker(s, "T");
    for (size_t i = 0; i < n; i++) {
        char text[32];
        snprintf(text, sizeof text, "u%zu", i);
        session_add_utterance(s, who, text, starts[i], TIME_UNKNOWN, 10 + (long)i);
    }
}

static void check_order(const session *s, const char *const *texts)
{
    for (size_t i = 0; i < s->n_utts; i++) assert_string_equal(s->utts[i].text, texts[i]);
}

static void test_times_in_order(void **state)
{
    (void)state;
    session s;
    diag_list d = {0};
    const double starts[] = {1, 1, 2.5, 7};
    make_session(&s, starts, 4);
    session_normalise_times(&s, &d);
    assert_int_equal(d.n, 0);
    /* ends estimated from the next start; the last stays unknown */
    assert_double_eq(s.utts[0].end, 1);
    assert_double_eq(s.utts[1].end, 2.5);
    assert_double_eq(s.utts[2].end, 7);
    assert_double_eq(s.utts[3].end, TIME_UNKNOWN);
    assert_true(s.times_estimated);
    session_free(&s);
    diag_free(&d);
}

/* One warning per step back, the first saying what was done; the sort is
 * stable (u2 and u4 both start at 1 and keep their order). */
static void test_backwards_sorted(void **state)
{
    (void)state;
    session s;
    diag_list d = {0};
    const double starts[] = {5, 6, 1, 3, 1.25};
    make_session(&s, starts, 5);
    session_normalise_times(&s, &d);
    assert_int_equal(d.n, 2);
    test_check_diag(&d, 0, SEV_WARNING, "in.csv", 12,
                    "time goes backwards (00:00:01 after 00:00:06); utterances sorted by start time");
    test_check_diag(&d, 1, SEV_WARNING, "in.csv", 14, "time goes backwards (00:00:01.250 after 00:00:03)");
    const char *const order[] = {"u2", "u4", "u3", "u0", "u1"};
    check_order(&s, order);
    session_free(&s);
    diag_free(&d);
}

/* With an utterance of unknown time the order cannot be fixed: kept as read,
 * and the comparison skips the untimed utterance. */
static void test_backwards_untimed_kept(void **state)
{
    (void)state;
    session s;
    diag_list d = {0};
    const double starts[] = {120, TIME_UNKNOWN, 62, 70};
    make_session(&s, starts, 4);
    session_normalise_times(&s, &d);
    assert_int_equal(d.n, 1);
    test_check_diag(&d, 0, SEV_WARNING, "in.csv", 12,
                    "time goes backwards (00:01:02 after 00:02:00); utterances kept in file order, "
                    "as some have no time");
    const char *const order[] = {"u0", "u1", "u2", "u3"};
    check_order(&s, order);
    session_free(&s);
    diag_free(&d);
}

/* Utterance texts live in the session's blocks: short ones share them, long
 * ones (over half a block's largest size) get their own, one longer than
 * the next block would be makes that block bigger (10,000 and 300,000
 * bytes after the first 4 KB block: found by fuzz_txt), and every text
 * stays whole whatever the order of long and short, with the bytes past it
 * the tokenizer may read. */
static void test_texts_long_and_short(void **state)
{
    (void)state;
    const size_t lens[] = {0, 5, 10000, 700000, 3, 300000, 2100000, 4000, 600000, 9, 1048576, 1, 20000};
    const size_t n = sizeof lens / sizeof lens[0];
    session s;
    session_init(&s, "s", "in.txt");
    size_t who = session_speaker(&s, "T");
    char *text = malloc(2100001);
    assert_non_null(text);
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < n; i++) {
            memset(text, 'a' + (int)((i + round) % 26), lens[i]);
            session_add_utterance_len(&s, who, text, lens[i], TIME_UNKNOWN, TIME_UNKNOWN, 1);
        }
    assert_int_equal(s.n_utts, 3 * n);
    for (size_t k = 0; k < s.n_utts; k++) {
        size_t i = k % n;
        const char *t = s.utts[k].text;
        assert_int_equal(strlen(t), lens[i]);
        assert_int_equal(s.utts[k].text_len, lens[i]);
        assert_memory_equal(t + lens[i], "\0\0\0\0\0\0\0\0", 1 + UTTERANCE_TEXT_PAD);   /* NUL, padding */
        /* UTTERANCE_READ_PAD bytes can be read past the NUL (ASan and
         * valgrind see a read past the text's block; what they hold does
         * not matter) */
        volatile char sink = 0;
        for (size_t j = 1; j <= UTTERANCE_READ_PAD; j++) sink = t[lens[i] + j];
        (void)sink;
        char c = (char)('a' + (int)((i + k / n) % 26));
        for (size_t j = 0; j < lens[i]; j++)
            if (t[j] != c) fail_msg("utterance %zu byte %zu", k, j);
    }
    free(text);
    session_free(&s);
}

/* Room made for 100 utterances holds them where it was made; the 101st
 * grows the list, and every utterance is still there, in order. */
static void test_reserve_utterances(void **state)
{
    (void)state;
    session s;
    session_init(&s, "s", "in.txt");
    size_t who = session_speaker(&s, "T");
    session_reserve_utterances(&s, 100);
    assert_true(s.cap_utts >= 100);
    const utterance *room = s.utts;
    char text[16];
    for (int i = 0; i < 100; i++) {
        snprintf(text, sizeof text, "u%d", i);
        session_add_utterance(&s, who, text, i, TIME_UNKNOWN, i + 1);
    }
    assert_ptr_equal(s.utts, room);
    session_reserve_utterances(&s, 10);   /* less than there is: nothing changes */
    assert_ptr_equal(s.utts, room);
    for (int i = 100; i < 300; i++) {
        snprintf(text, sizeof text, "u%d", i);
        session_add_utterance(&s, who, text, i, TIME_UNKNOWN, i + 1);
    }
    assert_int_equal(s.n_utts, 300);
    for (int i = 0; i < 300; i++) {
        snprintf(text, sizeof text, "u%d", i);
        assert_string_equal(s.utts[i].text, text);
        assert_int_equal(s.utts[i].line, i + 1);
    }
    session_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock_format),
        cmocka_unit_test(test_times_in_order),
        cmocka_unit_test(test_backwards_sorted),
        cmocka_unit_test(test_backwards_untimed_kept),
        cmocka_unit_test(test_texts_long_and_short),
        cmocka_unit_test(test_reserve_utterances),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
