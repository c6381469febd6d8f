/* test_words.c: the tokenizer's words, sentences, annotations, questions;
 * words_split_padded against words_split. */
#include "testutil.h"
#include "analysis/words.h"
#include "util/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The two word lists made of one text are the same: words, flags, text. */
static void assert_same_split(const word_list *a, const word_list *b)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->text_len, b->text_len);
    assert_memory_equal(a->text, b->text, b->text_len + 8);
    for (size_t i = 0; i < b->n; i++) {
        assert_int_equal(a->w[i].off, b->w[i].off);
        assert_int_equal(a->w[i].len, b->w[i].len);
        assert_int_equal(a->w[i].sentence, b->w[i].sentence);
        assert_int_equal(a->w[i].sentence_start, b->w[i].sentence_start);
        assert_int_equal(a->w[i].plain, b->w[i].plain);
    }
    assert_int_equal(a->has_question, b->has_question);
    assert_int_equal(a->question_sentence, b->question_sentence);
    assert_int_equal(a->cut_off, b->cut_off);
}

/* words_split into wl, checked against words_split_padded (its windows
 * classified with AVX-512BW where the CPU has it) and
 * words_split_padded_narrow (SSE2 windows) of a copy that has exactly
 * WORDS_SPLIT_PAD bytes after the NUL (so ASan sees any read past them),
 * and those bytes letters, spaces and punctuation, which must not count
 * (the padded split reads 64 bytes at a time): the same words, flags and
 * text. */
static void split_both_ways(const char *text, word_list *wl)
{
    size_t n = strlen(text);
    char *padded = malloc(n + 1 + WORDS_SPLIT_PAD);
    assert_non_null(padded);
    memcpy(padded, text, n + 1);
    for (size_t k = 0; k < WORDS_SPLIT_PAD; k++) padded[n + 1 + k] = "ab. ?'-["[k % 8];
    word_list other = {0}, narrow = {0};
    words_split_padded(padded, n, &other);
    words_split_padded_narrow(padded, n, &narrow);
    words_split(text, wl);
    assert_same_split(&other, wl);
    assert_same_split(&narrow, wl);
    word_list_free(&other);
    word_list_free(&narrow);
    free(padded);
}

static void expect_words(const char *text, const char *const *expected, size_t n)
{
    word_list wl = {0};
    split_both_ways(text, &wl);
    assert_int_equal(wl.n, n);
    for (size_t i = 0; i < n; i++) assert_string_equal(word_at(&wl, i), expected[i]);
    word_list_free(&wl);
}

static void test_basic_words(void **state)
{
    (void)state;
    const char *const w[] = {"so", "how", "was", "your", "week"};
    expect_words("So, how was your week?", w, 5);
}

static void test_joiners_stay_inside(void **state)
{
    (void)state;
    const char *const w[] = {"don't", "self-esteem", "mm-hmm", "o'clock", "it's"};
    expect_words("Don't self-esteem mm-hmm o\xE2\x80\x99" "clock it's", w, 5);
}

static void test_joiners_at_edges_split(void **state)
{
    (void)state;
    /* trailing hyphen, leading apostrophe, double hyphen, spaced dash */
    const char *const w[] = {"well", "cause", "i", "was", "going", "to"};
    expect_words("well- 'cause I was--going - to'", w, 6);
}

static void test_case_folding_non_ascii(void **state)
{
    (void)state;
    const char *const w[] = {"\xC3\xA9t\xC3\xA9", "\xCE\xB1\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1", "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0", "na\xC3\xAFve"};
    /* ÉTÉ, ΑΘΉΝΑ, МОСКВА, NAÏVE */
    expect_words("\xC3\x89T\xC3\x89 \xCE\x91\xCE\x98\xCE\x89\xCE\x9D\xCE\x91 \xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90 NA\xC3\x8FVE", w, 4);
}

static void test_digits_are_words(void **state)
{
    (void)state;
    const char *const w[] = {"3", "times", "a", "week", "24", "7"};
    expect_words("3 times a week, 24/7", w, 6);
}

static void test_annotations_skipped(void **state)
{
    (void)state;
    const char *const w[] = {"i", "don't", "know", "maybe"};
    expect_words("[laughs] I don't (inaudible) know [crosstalk 00:12:01] maybe", w, 4);
}

static void test_nested_and_unclosed_annotation(void **state)
{
    (void)state;
    const char *const w1[] = {"yes", "no"};
    expect_words("yes [a [b] c] no", w1, 2);
    /* an unclosed bracket is ignored and the text after it counted */
    const char *const w2[] = {"well", "i", "think", "so"};
    expect_words("well [I think so", w2, 4);
}

/* Regression (found by tests/e2e/test_pathological.sh): every unclosed
 * bracket scanned to the end of the text, so a long utterance full of them
 * took quadratic time (1.8 MB of "[ word " ran for minutes). Unclosed ones
 * are now found in one pass; which words count must not change. */
static void test_many_unclosed_annotations(void **state)
{
    (void)state;
    /* [ and ( never close here, but [b], (e) and the [y] inside do */
    const char *const w1[] = {"a", "c", "d", "f", "x", "z"};
    expect_words("[ a [b] c ( d (e) f [ x [y] z", w1, 6);
    /* the first [ stays open because the second one takes the ] */
    expect_words("[[ x ]", NULL, 0);
    const char *const w2[] = {"q", "r"};
    expect_words("( [ p ) q [ r", w2, 2);   /* ( closes and hides "[ p"; the last [ is open */
    /* 20,000 unclosed brackets: every word counted (the time bound is
     * checked on 2 MB of them in test_pathological.sh) */
    size_t reps = 20000;
    char *text = malloc(reps * 7 + 1);
    assert_non_null(text);
    for (size_t i = 0; i < reps; i++) memcpy(text + 7 * i, "[ word ", 7);
    text[reps * 7] = '\0';
    word_list wl = {0};
    words_split(text, &wl);
    assert_int_equal(wl.n, reps);
    assert_string_equal(word_at(&wl, reps - 1), "word");
    word_list_free(&wl);
    free(text);
}

static void test_sentences(void **state)
{
    (void)state;
    word_list wl = {0};
    words_split("Okay. So what now? Well\xE2\x80\xA6 we try! Again", &wl);
    assert_int_equal(wl.n, 8);
    /* okay | so what now | well | we try | again */
    const int starts[] = {1, 1, 0, 0, 1, 1, 0, 1};
    const unsigned sent[] = {0, 1, 1, 1, 2, 3, 3, 4};
    for (size_t i = 0; i < wl.n; i++) {
        assert_int_equal(wl.w[i].sentence_start, starts[i]);
        assert_int_equal(wl.w[i].sentence, sent[i]);
    }
    word_list_free(&wl);
}

static void test_punctuation_before_first_word(void **state)
{
    (void)state;
    word_list wl = {0};
    words_split("... and then", &wl);
    assert_int_equal(wl.n, 2);
    assert_int_equal(wl.w[0].sentence_start, 1);
    assert_int_equal(wl.w[0].sentence, 0);
    word_list_free(&wl);
}

static void test_question_outside_annotation(void **state)
{
    (void)state;
    word_list wl = {0};
    words_split("You went? [yes?]", &wl);
    assert_true(wl.has_question);
    words_split("I went [really?]", &wl);
    assert_false(wl.has_question);
    word_list_free(&wl);
}

static void test_question_sentence(void **state)
{
    (void)state;
    word_list wl = {0};
    words_split("What brings you in?", &wl);
    assert_int_equal(wl.question_sentence, 0);
    words_split("Okay. So what brings you in? Take your time.", &wl);
    assert_int_equal(wl.question_sentence, 1);
    words_split("Right... and? Fine", &wl);
    assert_int_equal(wl.question_sentence, 1);
    words_split("No question here. None.", &wl);
    assert_false(wl.has_question);
    assert_int_equal(wl.question_sentence, 0);
    word_list_free(&wl);
}

static void test_cut_off(void **state)
{
    (void)state;
    word_list wl = {0};
    words_split("I was going to--", &wl);
    assert_true(wl.cut_off);
    words_split("I was going to\xE2\x80\x94 [crosstalk]", &wl);
    assert_true(wl.cut_off);
    words_split("I was going to - really.", &wl);
    assert_false(wl.cut_off);
    word_list_free(&wl);
}

static void test_annotation_only_has_no_words(void **state)
{
    (void)state;
    word_list wl = {0};
    words_split("[laughs] (pause)", &wl);
    assert_int_equal(wl.n, 0);
    words_split("", &wl);
    assert_int_equal(wl.n, 0);
    word_list_free(&wl);
}

static void test_replacement_char_is_not_a_word(void **state)
{
    (void)state;
    const char *const w[] = {"a", "b"};
    expect_words("a\xEF\xBF\xBD" "b", w, 2);
}

static void test_reuse_resets(void **state)
{
    (void)state;
    word_list wl = {0};
    words_split("one two three four", &wl);
    words_split("five", &wl);
    assert_int_equal(wl.n, 1);
    assert_string_equal(word_at(&wl, 0), "five");
    word_list_free(&wl);
}

/* Runs of ASCII letters and digits are folded eight bytes at a time: words
 * of every length around 8 and 16, ended by each kind of byte next to the
 * letter and digit ranges, at the very end of the text or not. */
static void test_long_ascii_runs(void **state)
{
    (void)state;
    const char *const w1[] = {"abcdefgh", "ijklmnop", "qrstuvwx", "yzabcdef", "ghijklmn", "opqrstuv", "wxyz0189"};
    expect_words("ABCDEFGH/ijklmnop:QRSTUVWX@yzabcdef`ghijklmn{OPQRSTUV~WxYz0189", w1, 7);
    const char *const w2[] = {"a", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq"};
    expect_words("A AbCdEfG aBcDeFgH abcdefghi ABCDEFGHIJKLMNOP abcdefghijklmnopq", w2, 6);
    const char *const w3[] = {"abcdefghijklmnopqrstuvwxyz0123456789"};
    expect_words("abcdefghijklmnopqrstuvwxyz0123456789", w3, 1);
    /* a letter beyond ASCII or a joiner inside a long run keeps one word */
    const char *const w4[] = {"abcdefgh\xC3\xA9ijklmnop", "abcdefgh'ijklmnop", "abcdefgh-ijklmnop", "abcdefgh"};
    expect_words("ABCDEFGH\xC3\x89IJKLMNOP abcdefgh\xE2\x80\x99ijklmnop abcdefgh-ijklmnop abcdefgh-", w4, 4);
}

/* plain marks words of ASCII letters and digits only; the text is followed
 * by 8 NULs, also when a shorter utterance reuses a longer one's memory. */
static void test_plain_words_and_padding(void **state)
{
    (void)state;
    word_list wl = {0};
    words_split("Hello don't caf\xC3\xA9 x-ray 42 ABCDEFGHIJK", &wl);
    assert_int_equal(wl.n, 6);
    const int plain[] = {1, 0, 0, 0, 1, 1};
    for (size_t i = 0; i < 6; i++) assert_int_equal(wl.w[i].plain, plain[i]);
    words_split("abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz", &wl);
    words_split("hi yo", &wl);
    assert_int_equal(wl.text_len, 6);
    assert_memory_equal(wl.text, "hi\0yo\0\0\0\0\0\0\0\0\0", 14);
    word_list_free(&wl);
}

/* What words_split promises a list it made (word_list.split), which the
 * lexicon relies on: words back to back with a NUL after each, 8 NULs of
 * padding, sentences numbered from 0 in order with each one's first word
 * marked, and valid UTF-8 whatever the input's bytes. */
static void check_split_layout(const char *text)
{
    word_list wl = {0};
    words_split(text, &wl);
    assert_int_equal(wl.split, 1);
    size_t at = 0;
    for (size_t i = 0; i < wl.n; i++) {
        const word *w = &wl.w[i];
        assert_int_equal(w->off, at);
        assert_int_equal(wl.text[at + w->len], '\0');
        at += w->len + 1;
        uint32_t before = i ? wl.w[i - 1].sentence : 0;
        assert_int_equal(w->sentence_start, i == 0 || w->sentence != before);
        assert_true(w->sentence == before || w->sentence == before + 1);
    }
    assert_int_equal(wl.text_len, at);
    assert_true(wl.text_cap >= at + 8);
    for (size_t k = 0; k < 8; k++) assert_int_equal(wl.text[at + k], '\0');
    assert_true(utf8_valid(wl.text, wl.text_len));
    word_list_free(&wl);
}

static void test_split_lists_layout(void **state)
{
    (void)state;
    check_split_layout("");
    check_split_layout("... Hello there. How are you? Fine!! [laughs] Ok -- so");
    check_split_layout("?! x. . y\xE2\x80\xA6 z. (a. b) c");
    /* invalid UTF-8, lone continuation bytes, surrogates, over-long forms, joiners around them */
    check_split_layout("a\x80" "b \xC3 \xED\xA0\x80x \xF4\x90\x80\x80 \xC0\xAFy caf\xC3\xA9-\xFF d'\xE2\x80\x99" "e");
    char bytes[512];
    for (size_t i = 0; i < sizeof bytes - 1; i++) bytes[i] = (char)(i % 255 + 1);   /* every byte but NUL */
    bytes[sizeof bytes - 1] = '\0';
    check_split_layout(bytes);
}

/* The folded prefix of "aB3dEf9hIj0LmNoPqRs" of length k. */
static void folded_prefix(char *out, size_t k)
{
    memcpy(out, "ab3def9hij0lmnopqrs", k);
    out[k] = '\0';
}

/* Runs of ASCII letters and digits are folded eight bytes at a time and the
 * byte that ends one is looked up in a table: every byte value, after runs
 * of 0 to 18 bytes (so that it falls at each place of the first three
 * loads), followed by more text or ending it. */
static void test_every_byte_after_a_run(void **state)
{
    (void)state;
    word_list wl = {0};
    for (unsigned b = 1; b < 256; b++) {
        for (size_t k = 0; k <= 18; k++) {
            for (int tail = 0; tail < 2; tail++) {
                char text[32], prefix[32], joined[48];
                memcpy(text, "aB3dEf9hIj0LmNoPqRs", k);
                text[k] = (char)b;
                strcpy(text + k + 1, tail ? "XyZ" : "");
                folded_prefix(prefix, k);
                split_both_ways(text, &wl);
                int alnum = (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');
                int joiner = b == '\'' || b == '-';
                if (alnum) {   /* one word, the byte folded inside it */
                    snprintf(joined, sizeof joined, "%s%c%s", prefix, (char)(b | (b >= 'A' ? 0x20 : 0)),
                             tail ? "xyz" : "");
                    assert_int_equal(wl.n, 1);
                    assert_string_equal(word_at(&wl, 0), joined);
                    assert_int_equal(wl.w[0].len, strlen(joined));
                    assert_int_equal(wl.w[0].plain, 1);
                } else if (joiner && k > 0 && tail) {   /* a joiner between two runs stays */
                    snprintf(joined, sizeof joined, "%s%cxyz", prefix, (char)b);
                    assert_int_equal(wl.n, 1);
                    assert_string_equal(word_at(&wl, 0), joined);
                    assert_int_equal(wl.w[0].plain, 0);
                } else {   /* the byte ends the run (a lone byte from 0x80 up is not UTF-8) */
                    size_t i = 0;
                    assert_int_equal(wl.n, (k > 0) + tail);
                    if (k > 0) {
                        assert_string_equal(word_at(&wl, i), prefix);
                        assert_int_equal(wl.w[i].len, k);
                        assert_int_equal(wl.w[i].plain, 1);
                        i++;
                    }
                    if (tail) {
                        assert_string_equal(word_at(&wl, i), "xyz");
                        assert_int_equal(wl.w[i].off, k > 0 ? k + 1 : 0);
                        assert_int_equal(wl.w[i].plain, 1);
                        assert_int_equal(wl.w[i].sentence, k > 0 && (b == '.' || b == '!' || b == '?'));
                    }
                }
                assert_int_equal(wl.text_len, wl.n ? wl.w[wl.n - 1].off + wl.w[wl.n - 1].len + 1 : 0);
                assert_memory_equal(wl.text + wl.text_len, "\0\0\0\0\0\0\0\0", 8);
            }
        }
    }
    word_list_free(&wl);
}

/* The end of the text at each place of a load, after ASCII and after
 * UTF-8 letters, and words joined past a load's end. */
static void test_words_at_the_end_of_the_text(void **state)
{
    (void)state;
    word_list wl = {0};
    for (size_t k = 1; k <= 19; k++) {
        char text[32], prefix[32];
        memcpy(text, "aB3dEf9hIj0LmNoPqRs", k);
        text[k] = '\0';
        folded_prefix(prefix, k);
        split_both_ways(text, &wl);
        assert_int_equal(wl.n, 1);
        assert_string_equal(word_at(&wl, 0), prefix);
        assert_int_equal(wl.w[0].plain, 1);
        assert_int_equal(wl.text_len, k + 1);
    }
    const char *const w1[] = {"abcdefg\xC3\xA9", "abcdefgh\xC3\xA9", "abcdefgh'i", "\xC3\xA9" "abcdefgh"};
    expect_words("ABCDEFG\xC3\x89 ABCDEFGH\xC3\x89 abcdefgh\xE2\x80\x99i \xC3\x89" "ABCDEFGH", w1, 4);
    /* a joiner not followed by a word character is left out of the word */
    const char *const w2[] = {"abc", "abcdefgh", "abc"};
    expect_words("abc' abcdefgh- abc\xE2\x80\x99", w2, 3);
    word_list_free(&wl);
}

/* A random text of about `len` bytes made of pieces that each take a
 * different way through the tokenizer, seeded by *seed. */
static size_t random_text(char *out, size_t len, unsigned *seed)
{
    static const char *const pieces[] = {
        "so", "how", "Was", "YOUR", "week", "a", "I", "abcdefghijklmnopqrst", "x2", "1999",
        " ", " ", " ", " ", "  ", "\t", "\n", "\r\n", ", ", ". ", "? ", "! ", "...", ";", ":",
        "don't", "mm-hmm", "rock'n'roll", "-", "--", "'", "' ", " -", "a-", "-b", "'quoted'",
        "[laughs]", "(pause)", "[", "(", ")", "]", "[a [b] c]", "caf\xC3\xA9", "\xC3\x89T\xC3\xA9",
        "d\xE2\x80\x99" "accord", "\xE2\x80\x99", "\xE2\x80\xA6", "\xE2\x80\x94", "\xF0\x9F\x98\x80",
        "\x80", "\xC3", "na\xC3\xAFve-ish", "\"", "#", "~", "@", "0", "Z",
        "Pneumonoultramicroscopicsilicovolcanoconiosis-and-Supercalifragilisticexpialidocious",
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnop",
    };
    size_t used = 0, npieces = sizeof pieces / sizeof *pieces;
    while (used < len) {
        *seed = *seed * 1103515245u + 12345u;
        const char *piece = pieces[(*seed >> 16) % npieces];
        size_t k = strlen(piece);
        memcpy(out + used, piece, k);
        used += k;
    }
    out[used] = '\0';
    return used;
}

/* The padded split (64 bytes at a time where it can) against words_split
 * on random texts of every length up to 300 bytes, and some longer: words
 * that end at each byte of a window, run past it (two of 78 and 84 bytes
 * fill whole windows), hold joiners, meet brackets, punctuation and UTF-8
 * at each place. */
static void test_padded_split_on_random_texts(void **state)
{
    (void)state;
    word_list wl = {0};
    unsigned seed = 7;
    char text[2200];
    size_t words = 0;
    for (size_t len = 0; len <= 300; len++) {
        for (int round = 0; round < 20; round++) {
            random_text(text, len, &seed);
            split_both_ways(text, &wl);
            words += wl.n;
        }
    }
    for (int round = 0; round < 200; round++) {
        random_text(text, 2000, &seed);
        split_both_ways(text, &wl);
        words += wl.n;
    }
    assert_true(words > 40000);   /* the texts hold words, not only punctuation (47,722) */
    word_list_free(&wl);
}

/* Texts without words, and the most words a text can hold (every other
 * byte), which room is made for before the loop. */
static void test_no_words_and_most_words(void **state)
{
    (void)state;
    word_list wl = {0};
    const char *const none[] = {"", " ", "   \t ", "...", "?!", "- ' -", "[x] (y)", "\xE2\x80\xA6"};
    for (size_t t = 0; t < sizeof none / sizeof *none; t++) {
        words_split(none[t], &wl);
        assert_int_equal(wl.n, 0);
        assert_int_equal(wl.text_len, 0);
        assert_memory_equal(wl.text, "\0\0\0\0\0\0\0\0", 8);
    }
    char text[202];
    for (size_t len = 1; len <= 201; len += 2) {   /* "a b c ... " and one letter more */
        for (size_t i = 0; i < len; i++) text[i] = i % 2 ? ' ' : (char)('a' + i / 2 % 26);
        text[len] = '\0';
        words_split(text, &wl);
        assert_int_equal(wl.n, len / 2 + 1);
        for (size_t i = 0; i < wl.n; i++) {
            assert_int_equal(wl.w[i].off, 2 * i);
            assert_int_equal(wl.w[i].len, 1);
            assert_int_equal(word_at(&wl, i)[0], 'a' + i % 26);
        }
    }
    word_list_free(&wl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_words),
        cmocka_unit_test(test_joiners_stay_inside),
        cmocka_unit_test(test_joiners_at_edges_split),
        cmocka_unit_test(test_case_folding_non_ascii),
        cmocka_unit_test(test_digits_are_words),
        cmocka_unit_test(test_annotations_skipped),
        cmocka_unit_test(test_nested_and_unclosed_annotation),
        cmocka_unit_test(test_many_unclosed_annotations),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_punctuation_before_first_word),
        cmocka_unit_test(test_question_outside_annotation),
        cmocka_unit_test(test_question_sentence),
        cmocka_unit_test(test_cut_off),
        cmocka_unit_test(test_annotation_only_has_no_words),
        cmocka_unit_test(test_replacement_char_is_not_a_word),
        cmocka_unit_test(test_reuse_resets),
        cmocka_unit_test(test_long_ascii_runs),
        cmocka_unit_test(test_plain_words_and_padding),
        cmocka_unit_test(test_every_byte_after_a_run),
        cmocka_unit_test(test_padded_split_on_random_texts),
        cmocka_unit_test(test_words_at_the_end_of_the_text),
        cmocka_unit_test(test_no_words_and_most_words),
        cmocka_unit_test(test_split_lists_layout),
    };
    return cmocka_run_group_tests_name("words", tests, NULL, NULL);
}
