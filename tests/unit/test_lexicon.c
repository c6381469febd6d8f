/* test_lexicon.c: the .lex parser, its error messages, folder loading and
 * the matcher (phrases, prefixes, ^, regexes, exceptions, leftmost-longest). */
#include "testutil.h"
#include "analysis/lexicon.h"
#include "analysis/lexicon_impl.h"   /* hash_mid, to make two words of one hash */
#include "analysis/words.h"
#include "util/buf.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* ---- helpers ---- */

/* Load rules from text as "t.lex" and finish; returns lexicon_load_text's result. */
static int load(lexicon *lx, const char *text, diag_list *d)
{
    int rc = lexicon_load_text(lx, "t.lex", text, strlen(text), d);
    if (rc == 0) assert_int_equal(lexicon_finish(lx, d), 0);
    return rc;
}

static lexicon *load_ok(const char *text)
{
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(load(lx, text, &d), 0);
    assert_int_equal(d.n, 0);
    diag_free(&d);
    return lx;
}

/* A copy of words_split's list as if made by hand (split 0): each word
 * followed by two NULs, so that they do not lie back to back, and no
 * padding after the last. Free *text and copy->w. */
static void copy_by_hand(const word_list *wl, word_list *copy, char **text)
{
    size_t len = 0;
    for (size_t i = 0; i < wl->n; i++) len += wl->w[i].len + 2;
    *text = xcalloc(len ? len : 1, 1);
    memset(copy, 0, sizeof *copy);
    copy->w = xmalloc((wl->n ? wl->n : 1) * sizeof *copy->w);
    copy->n = wl->n;
    copy->text = *text;
    copy->text_len = len;
    size_t at = 0;
    for (size_t i = 0; i < wl->n; i++) {
        copy->w[i] = wl->w[i];
        copy->w[i].off = (uint32_t)at;
        memcpy(*text + at, word_at(wl, i), wl->w[i].len);
        at += wl->w[i].len + 2;
    }
}

/* Matches in one order: by category, first word, last word, rule. */
static int match_cmp(const void *pa, const void *pb)
{
    const match *a = pa, *b = pb;
    if (a->category != b->category) return a->category < b->category ? -1 : 1;
    if (a->first != b->first) return a->first < b->first ? -1 : 1;
    if (a->last != b->last) return a->last < b->last ? -1 : 1;
    if (a->rule != b->rule) return a->rule < b->rule ? -1 : 1;
    return 0;
}

/* The words of wl matched in any order (match_scratch_any_order) give the
 * matches of `ordered`, each category's still by first word. */
static void assert_any_order_same(const lexicon *lx, const word_list *wl, const match_list *ordered)
{
    match_scratch *ms = match_scratch_new(lx);
    match_scratch_any_order(ms, 1);
    match_list any = {0};
    lexicon_match(lx, wl, ms, &any, NULL, "s.txt", 7);
    match_scratch_free(ms);
    assert_int_equal(any.n, ordered->n);
    /* each category's by first word: after its last one seen (+1: none yet) */
    size_t ncats = lexicon_category_count(lx);
    uint32_t *next_first = xcalloc(ncats ? ncats : 1, sizeof *next_first);
    for (size_t i = 0; i < any.n; i++) {
        assert_true(any.m[i].first + 1 > next_first[any.m[i].category]);
        next_first[any.m[i].category] = any.m[i].first + 1;
    }
    free(next_first);
    if (any.n) {
        match *sorted = xmalloc(any.n * sizeof *sorted);
        memcpy(sorted, ordered->m, any.n * sizeof *sorted);
        qsort(any.m, any.n, sizeof *any.m, match_cmp);
        qsort(sorted, any.n, sizeof *sorted, match_cmp);
        assert_memory_equal(any.m, sorted, any.n * sizeof *sorted);
        free(sorted);
    }
    free(any.m);
}

/* Split `utterance` and match it; the matches land in *out (cleared first).
 * The same words in a list made by hand, which takes the general path
 * instead of words_split's shortcuts, must match the same, and so must
 * the words matched in any order. */
static void run(const lexicon *lx, const char *utterance, match_list *out, diag_list *d)
{
    word_list wl = {0};
    words_split(utterance, &wl);
    assert_int_equal(wl.split, 1);
    match_scratch *ms = match_scratch_new(lx);
    out->n = 0;
    lexicon_match(lx, &wl, ms, out, d, "s.txt", 7);
    match_scratch_free(ms);
    word_list by_hand;
    char *text;
    copy_by_hand(&wl, &by_hand, &text);
    match_list again = {0};
    ms = match_scratch_new(lx);
    lexicon_match(lx, &by_hand, ms, &again, NULL, "s.txt", 7);
    match_scratch_free(ms);
    assert_int_equal(again.n, out->n);
    if (out->n) assert_memory_equal(again.m, out->m, out->n * sizeof *out->m);
    free(again.m);
    free(by_hand.w);
    free(text);
    assert_any_order_same(lx, &wl, out);
    word_list_free(&wl);
}

/* `sentence` written `times` times over, as one string (free it). */
static char *repeated(const char *sentence, size_t times)
{
    size_t n = strlen(sentence);
    char *text = xmalloc(times * n + 1);
    for (size_t k = 0; k < times; k++) memcpy(text + k * n, sentence, n);
    text[times * n] = '\0';
    return text;
}

/* Loading `text` fails with exactly one error, at `line`, saying `message`. */
static void assert_load_error(const char *text, long line, const char *message)
{
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(lexicon_load_text(lx, "t.lex", text, strlen(text), &d), -1);
    assert_int_equal(d.n, 1);
    test_check_diag(&d, 0, SEV_ERROR, "t.lex", line, message);
    diag_free(&d);
    lexicon_free(lx);
}

/* ---- phrases and prefixes ---- */

static void test_phrase_matches_whole_words_case_insensitively(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[directive] Tells the client what to do\nyou should\n");
    match_list ml = {0};
    run(lx, "Well, YOU Should rest.", &ml, NULL);   /* well you should rest */
    assert_int_equal(ml.n, 1);
    test_check_match(&ml, 0, 0, 0, 1, 3);
    run(lx, "you shoulder it", &ml, NULL);          /* "shoulder" is not "should" */
    assert_int_equal(ml.n, 0);
    run(lx, "should you", &ml, NULL);
    assert_int_equal(ml.n, 0);
    run(lx, "you should you should", &ml, NULL);
    assert_int_equal(ml.n, 2);
    test_check_match(&ml, 0, 0, 0, 0, 2);
    test_check_match(&ml, 1, 0, 0, 2, 4);
    free(ml.m);
    lexicon_free(lx);
}

static void test_prefix_word(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[advice]\nadvis*\nfeel* better\n");
    match_list ml = {0};
    /* i(0) advise(1) you(2) advisors(3) advised(4) adv(5) advis(6) */
    run(lx, "I advise you; advisors advised. Adv advis", &ml, NULL);
    assert_int_equal(ml.n, 4);
    test_check_match(&ml, 0, 0, 0, 1, 2);
    test_check_match(&ml, 1, 0, 0, 3, 4);
    test_check_match(&ml, 2, 0, 0, 4, 5);
    test_check_match(&ml, 3, 0, 0, 6, 7);
    /* feeling(0) better(1) feel(2) good(3) feels(4) better(5) */
    run(lx, "Feeling better? Feel good, feels better", &ml, NULL);
    assert_int_equal(ml.n, 2);
    test_check_match(&ml, 0, 0, 1, 0, 2);
    test_check_match(&ml, 1, 0, 1, 4, 6);
    free(ml.m);
    lexicon_free(lx);
}

/* A prefix inside a phrase, and several prefix lengths for one word. */
static void test_prefixes_of_several_lengths(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\nse*\n[b]\nself-*\n[c]\nyou need*\n");
    match_list ml = {0};
    /* self-esteem(0) you(1) needs(2) sea(3) */
    run(lx, "self-esteem you needs sea", &ml, NULL);
    assert_int_equal(ml.n, 4);
    test_check_match(&ml, 0, 0, 0, 0, 1);
    test_check_match(&ml, 1, 0, 0, 3, 4);
    test_check_match(&ml, 2, 1, 1, 0, 1);
    test_check_match(&ml, 3, 2, 2, 1, 3);
    free(ml.m);
    lexicon_free(lx);
}

/* Rule words are folded like transcript words: case, U+2019 as '. */
static void test_rule_words_normalised_like_the_tokenizer(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[neg]\nDON\xE2\x80\x99T\n\xC3\x9C" "BER alles\n");
    match_list ml = {0};
    run(lx, "I don't. I don\xE2\x80\x99t. \xC3\xBC" "ber ALLES", &ml, NULL);
    /* i(0) don't(1) i(2) don't(3) über(4) alles(5) */
    assert_int_equal(ml.n, 3);
    test_check_match(&ml, 0, 0, 0, 1, 2);
    test_check_match(&ml, 1, 0, 0, 3, 4);
    test_check_match(&ml, 2, 0, 1, 4, 6);
    free(ml.m);
    lexicon_free(lx);
}

static void test_phrase_crosses_sentence_punctuation(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\ngo home\n/go home/\n");
    match_list ml = {0};
    run(lx, "Go. Home!", &ml, NULL);   /* the phrase does; the regex, per sentence, does not */
    assert_int_equal(ml.n, 1);
    test_check_match(&ml, 0, 0, 0, 0, 2);
    free(ml.m);
    lexicon_free(lx);
}

/* ---- ^ ---- */

static void test_anchor_needs_sentence_start(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[directive]\n^try\n^ let's see\n");
    match_list ml = {0};
    /* try(0,start) this(1) then(2,start) try(3) that(4) maybe(5,start) try(6,start) */
    run(lx, "Try this. Then try that. Maybe? Try", &ml, NULL);
    assert_int_equal(ml.n, 2);
    test_check_match(&ml, 0, 0, 0, 0, 1);
    test_check_match(&ml, 1, 0, 0, 6, 7);
    run(lx, "so let's see. Let's see", &ml, NULL);
    assert_int_equal(ml.n, 1);
    test_check_match(&ml, 0, 0, 1, 3, 5);
    free(ml.m);
    lexicon_free(lx);
}

/* ---- regexes ---- */

static void test_regex_per_sentence(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[directive]\n/^(?:go|stop|make) \\w+/\n");
    match_list ml = {0};
    /* go(0) home(1) now(2) | please(3) stop(4) it(5) | stop(6) that(7) */
    run(lx, "Go home now. Please stop it. Stop that", &ml, NULL);
    assert_int_equal(ml.n, 2);
    test_check_match(&ml, 0, 0, 0, 0, 2);
    test_check_match(&ml, 1, 0, 0, 6, 8);
    free(ml.m);
    lexicon_free(lx);
}

/* An anchored regex matches at most once a sentence (the search stops at
 * the first), in every sentence it starts; an unanchored one every time. */
static void test_anchored_regex_once_a_sentence(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n/^(?:so )?you\\b/\n[b]\n/(?:so )?you\\b/\n");
    match_list ml = {0};
    /* you(0) you(1) | so(2) you(3) you(4) | you(5) */
    run(lx, "You you. So you you. You", &ml, NULL);
    const uint32_t want[][4] = {{0, 0, 0, 1}, {0, 0, 2, 4}, {0, 0, 5, 6}, {1, 1, 0, 1},
                                {1, 1, 1, 2}, {1, 1, 2, 4}, {1, 1, 4, 5}, {1, 1, 5, 6}};
    test_check_matches(&ml, want, sizeof want / sizeof *want);
    free(ml.m);
    lexicon_free(lx);
}

static void test_regex_covers_every_word_it_touches(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n/nee/\n[b]\n/u ne/\n[c]\n/ /\n[d]\n/x*/\n");
    match_list ml = {0};
    run(lx, "you need to", &ml, NULL);
    /* [a] touches part of "need"; [b] the end of "you" and start of "need";
     * [c] only a space and [d] only empty strings: nothing */
    assert_int_equal(ml.n, 2);
    test_check_match(&ml, 0, 0, 0, 1, 2);
    test_check_match(&ml, 1, 1, 1, 0, 2);
    free(ml.m);
    lexicon_free(lx);
}

static void test_regex_finds_every_match_and_handles_utf8(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n/\\bno\\b/\n[b]\n/\xC3\xBC" "ber \\w+/\n");
    match_list ml = {0};
    /* no(0) no(1) no(2) not(3) über(4) straße(5) */
    run(lx, "No, no, NO not. \xC3\x9C" "ber Stra\xC3\x9F" "e", &ml, NULL);
    assert_int_equal(ml.n, 4);
    test_check_match(&ml, 0, 0, 0, 0, 1);
    test_check_match(&ml, 1, 0, 0, 1, 2);
    test_check_match(&ml, 2, 0, 0, 2, 3);
    test_check_match(&ml, 3, 1, 1, 4, 6);
    free(ml.m);
    lexicon_free(lx);
}

/* Regression (found by fuzzing with lexicons/client.lex): the prefilter
 * dropped "abcd" (it contains "abc") and freed it while later literals of the
 * same clause were still compared with it, a use after free that ASan and
 * valgrind report. The matches themselves must be unaffected. */
static void test_regex_literals_contained_in_others(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n/\\b(?:abcd|zzzzzz|abc)\\b/\n");
    match_list ml = {0};
    /* zzzzzz(0) abc(1) abcd(2) abcde(3) */
    run(lx, "zzzzzz abc abcd abcde", &ml, NULL);
    assert_int_equal(ml.n, 3);
    test_check_match(&ml, 0, 0, 0, 0, 1);
    test_check_match(&ml, 1, 0, 0, 1, 2);
    test_check_match(&ml, 2, 0, 0, 2, 3);
    free(ml.m);
    lexicon_free(lx);
}

static void test_catastrophic_regex_gives_up_with_warning(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n/(a+)+$/\nhello\n");
    match_list ml = {0};
    diag_list d = {0};
    char text[128] = "hello ";
    memset(text + 6, 'a', 60);
    strcpy(text + 66, "b");
    run(lx, text, &ml, &d);
    assert_int_equal(d.n, 1);
    test_check_diag(&d, 0, SEV_WARNING, "s.txt", 7,
                    "rule t.lex:2: regex gave up (match limit) on this utterance; the rule is skipped here");
    assert_int_equal(ml.n, 1);   /* the literal rule still counts */
    test_check_match(&ml, 0, 0, 1, 0, 1);
    diag_free(&d);
    run(lx, "hello aaa", &ml, &d);   /* an easy subject still matches */
    assert_int_equal(d.n, 0);
    assert_int_equal(ml.n, 2);
    test_check_match(&ml, 0, 0, 1, 0, 1);
    test_check_match(&ml, 1, 0, 0, 1, 2);
    free(ml.m);
    lexicon_free(lx);
}

/* A rule that gives up drops the matches it had already found in earlier
 * sentences of the utterance. */
static void test_regex_give_up_drops_its_earlier_matches(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n/^(a+)+$/\n");
    char text[128] = "aaa. ";
    memset(text + 5, 'a', 60);
    strcpy(text + 65, "b");
    match_list ml = {0};
    diag_list d = {0};
    run(lx, text, &ml, &d);
    assert_int_equal(d.n, 1);
    assert_int_equal(ml.n, 0);
    diag_free(&d);
    free(ml.m);
    lexicon_free(lx);
}

/* Other PCRE2 failures warn too. The tokenizer only makes valid UTF-8, so
 * a hand-built word list is the way to get one: an invalid byte. */
static void test_regex_failure_warns_and_goes_on(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n/b/\nok\n");
    char text[] = "a\xff" "b\0ok";
    word w[2] = {{0, 3, 0, 1, 0}, {4, 2, 0, 0, 0}};
    word_list wl = {0};
    wl.text = text;
    wl.text_len = sizeof text - 1;
    wl.w = w;
    wl.n = 2;
    match_scratch *ms = match_scratch_new(lx);
    match_list ml = {0};
    diag_list d = {0};
    lexicon_match(lx, &wl, ms, &ml, &d, "s.txt", 3);
    assert_int_equal(d.n, 1);
    test_check_diag(&d, 0, SEV_WARNING, "s.txt", 3,
                    "rule t.lex:2: regex failed (UTF-8 error: illegal byte (0xfe or 0xff)) on this "
                    "utterance; the rule is skipped here");
    assert_int_equal(ml.n, 1);   /* "ok" still counts */
    test_check_match(&ml, 0, 0, 1, 1, 2);
    diag_free(&d);
    free(ml.m);
    match_scratch_free(ms);
    lexicon_free(lx);
}

/* ---- exceptions and selection ---- */

static void test_exception_blocks_overlapping_matches(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[directive]\nyou have to\nhave to\n! you don't have to\n");
    match_list ml = {0};
    /* you(0) don't(1) have(2) to(3) go(4): "have to" [2,4) overlaps the exception [0,4) */
    run(lx, "you don't have to go", &ml, NULL);
    assert_int_equal(ml.n, 0);
    /* ... but you(6) have(7) to(8) does not */
    run(lx, "you don't have to go but you have to stay", &ml, NULL);
    assert_int_equal(ml.n, 1);
    test_check_match(&ml, 0, 0, 0, 6, 9);
    run(lx, "I have to go", &ml, NULL);
    assert_int_equal(ml.n, 1);
    test_check_match(&ml, 0, 0, 1, 1, 3);
    free(ml.m);
    lexicon_free(lx);
}

static void test_regex_and_anchored_exceptions(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\ntry\nmust\n! /not \\w+ try/\n!^must\n[b]\ntry\n");
    match_list ml = {0};
    /* must(0) try(1) | not(2) to(3) try(4) | you(5) must(6) try(7) */
    run(lx, "Must try. Not to try! You must try", &ml, NULL);
    /* [a]: must(0) is an anchored exception; try(1) fine; try(4) inside the
     * regex exception; must(6) not at a start; try(7) fine. [b] has no
     * exceptions, so all three "try" count there. */
    assert_int_equal(ml.n, 6);
    test_check_match(&ml, 0, 0, 0, 1, 2);
    test_check_match(&ml, 1, 0, 1, 6, 7);
    test_check_match(&ml, 2, 0, 0, 7, 8);
    test_check_match(&ml, 3, 1, 4, 1, 2);
    test_check_match(&ml, 4, 1, 4, 4, 5);
    test_check_match(&ml, 5, 1, 4, 7, 8);
    free(ml.m);
    lexicon_free(lx);
}

static void test_leftmost_longest(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\nyou\nyou need to\n[b]\nneed to go\nyou need\n[c]\nyou need*\nyou need\n");
    match_list ml = {0};
    run(lx, "you need to go", &ml, NULL);
    /* [a]: one match of length 3; [b]: [0,2) starts first, so [1,4) loses;
     * [c]: the same span twice, the earlier rule wins */
    assert_int_equal(ml.n, 3);
    test_check_match(&ml, 0, 0, 1, 0, 3);
    test_check_match(&ml, 1, 1, 3, 0, 2);
    test_check_match(&ml, 2, 2, 4, 0, 2);
    free(ml.m);
    lexicon_free(lx);
}

static void test_overlapping_matches_in_two_categories_both_count(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[b]\nyou need\n[a]\nneed to\n");
    match_list ml = {0};
    run(lx, "you need to go", &ml, NULL);
    assert_int_equal(ml.n, 2);   /* ordered by category: [b] (0) first */
    test_check_match(&ml, 0, 0, 0, 0, 2);
    test_check_match(&ml, 1, 1, 1, 1, 3);
    free(ml.m);
    lexicon_free(lx);
}

/* In any order, the matches of categories without regexes or exceptions
 * come first, as the words are met, and the others after, as before. A
 * word matched twice in a one-word category (by "you" and "yo*") counts
 * once, by the earlier rule; a longer phrase at the same word replaces
 * the match kept there ([e]), and what it covers is dropped. */
static void test_any_order_streamed_categories_as_found(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\nyou need\n[b]\nyou\nyo*\nneed\n[c]\nneed\n[d]\n/need/\n[e]\nyou\nyou need you\n");
    word_list wl = {0};
    match_list ml = {0};
    match_scratch *ms = match_scratch_new(lx);
    words_split("You need you", &wl);
    lexicon_match(lx, &wl, ms, &ml, NULL, "s", 1);   /* by category */
    const uint32_t by_category[][4] = {{0, 0, 0, 2}, {1, 1, 0, 1}, {1, 3, 1, 2}, {1, 1, 2, 3},
                                       {2, 4, 1, 2}, {3, 5, 1, 2}, {4, 7, 0, 3}};
    test_check_matches(&ml, by_category, 7);
    ml.n = 0;
    match_scratch_any_order(ms, 1);
    lexicon_match(lx, &wl, ms, &ml, NULL, "s", 1);
    const uint32_t as_found[][4] = {{1, 1, 0, 1}, {4, 7, 0, 3}, {0, 0, 0, 2}, {1, 3, 1, 2},
                                    {2, 4, 1, 2}, {1, 1, 2, 3}, {3, 5, 1, 2}};
    test_check_matches(&ml, as_found, 7);
    /* the next utterance starts afresh: [e]'s match ended at word 3 */
    ml.n = 0;
    words_split("you you", &wl);
    lexicon_match(lx, &wl, ms, &ml, NULL, "s", 2);
    const uint32_t next[][4] = {{1, 1, 0, 1}, {4, 6, 0, 1}, {1, 1, 1, 2}, {4, 6, 1, 2}};
    test_check_matches(&ml, next, 4);
    /* appended after what out holds: [e]'s longer match replaces the one
     * kept at its place in out, not at its place in this call's matches */
    words_split("You need you", &wl);
    lexicon_match(lx, &wl, ms, &ml, NULL, "s", 3);
    assert_int_equal(ml.n, 11);
    for (size_t i = 0; i < 7; i++)
        test_check_match(&ml, 4 + i, as_found[i][0], as_found[i][1], as_found[i][2], as_found[i][3]);
    match_scratch_free(ms);
    word_list_free(&wl);
    free(ml.m);
    lexicon_free(lx);
}

/* The scratch is reused: a long utterance's exception marks must not leak
 * into a shorter one that follows. */
static void test_scratch_reuse_across_utterances(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\nokay\n! not okay\n/\\bfine\\b/\n");
    word_list wl = {0};
    match_list ml = {0};
    match_scratch *ms = match_scratch_new(lx);
    words_split("not okay not okay fine", &wl);
    lexicon_match(lx, &wl, ms, &ml, NULL, "s", 1);
    assert_int_equal(ml.n, 1);
    test_check_match(&ml, 0, 0, 2, 4, 5);
    ml.n = 0;
    words_split("okay okay", &wl);
    lexicon_match(lx, &wl, ms, &ml, NULL, "s", 2);
    assert_int_equal(ml.n, 2);
    test_check_match(&ml, 0, 0, 0, 0, 1);
    test_check_match(&ml, 1, 0, 0, 1, 2);
    /* lexicon_match appends */
    words_split("fine", &wl);
    lexicon_match(lx, &wl, ms, &ml, NULL, "s", 3);
    assert_int_equal(ml.n, 3);
    test_check_match(&ml, 2, 0, 2, 0, 1);
    match_scratch_free(ms);
    word_list_free(&wl);
    free(ml.m);
    lexicon_free(lx);
}

/* An utterance where no counted regex can run skips preparing the regex
 * prefilter; an exception regex still runs there, on its own utterance's
 * sentences, not on those of the utterance before. */
/* Past FILLER_RULES (16) regexes with a filler run, the next ones keep the
 * plain sentence-start filter, and every one matches as it would
 * unfiltered. */
static void test_more_filler_regexes_than_slots(void **state)
{
    (void)state;
    char filtered[4096] = "", unfiltered[4096] = "";
    for (int k = 0; k < 18; k++) {
        snprintf(filtered + strlen(filtered), sizeof filtered - strlen(filtered),
                 "[c%d]\n/^(?:(?:so|and) )*w%d\\b/\n", k, k);
        snprintf(unfiltered + strlen(unfiltered), sizeof unfiltered - strlen(unfiltered),
                 "[c%d]\n/(?#)^(?:(?:so|and) )*w%d\\b/\n", k, k);
    }
    lexicon *a = load_ok(filtered), *b = load_ok(unfiltered);
    const char *utterance = "so w17. and w3 x. W16. and so w0 w1. x w2";
    match_list ma = {0}, mb = {0};
    run(a, utterance, &ma, NULL);
    run(b, utterance, &mb, NULL);
    /* so(0) w17(1) | and(2) w3(3) x(4) | w16(5) | and(6) so(7) w0(8) w1(9) | x(10) w2(11):
     * w1 and w2 do not start their sentences' matches */
    const uint32_t want[][4] = {{0, 0, 6, 9}, {3, 3, 2, 4}, {16, 16, 5, 6}, {17, 17, 0, 2}};
    test_check_matches(&ma, want, 4);
    test_check_matches(&mb, want, 4);
    free(ma.m);
    free(mb.m);
    lexicon_free(a);
    lexicon_free(b);
}

static void test_exception_regex_after_the_prefilter_is_skipped(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\nokay\n! /\\bnot okay\\b/\n[b]\n/\\bfine\\b/\n");
    word_list wl = {0};
    match_list ml = {0};
    match_scratch *ms = match_scratch_new(lx);
    words_split("fine. okay then", &wl);   /* [b]'s gate: the prefilter is prepared */
    lexicon_match(lx, &wl, ms, &ml, NULL, "s", 1);
    const uint32_t first[][4] = {{0, 0, 1, 2}, {1, 2, 0, 1}};
    test_check_matches(&ml, first, 2);
    ml.n = 0;
    words_split("well not okay", &wl);   /* no gate: skipped, the exception still holds */
    lexicon_match(lx, &wl, ms, &ml, NULL, "s", 2);
    assert_int_equal(ml.n, 0);
    words_split("okay", &wl);
    lexicon_match(lx, &wl, ms, &ml, NULL, "s", 3);
    const uint32_t last[][4] = {{0, 0, 0, 1}};
    test_check_matches(&ml, last, 1);
    match_scratch_free(ms);
    word_list_free(&wl);
    free(ml.m);
    lexicon_free(lx);
}

static void test_match_before_finish_is_empty(void **state)
{
    (void)state;
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    const char *text = "[a]\nyou\n";
    assert_int_equal(lexicon_load_text(lx, "t.lex", text, strlen(text), &d), 0);
    match_list ml = {0};
    run(lx, "you", &ml, &d);
    assert_int_equal(ml.n, 0);
    assert_int_equal(lexicon_finish(lx, &d), 0);
    assert_int_equal(lexicon_finish(lx, &d), 0);   /* a second call changes nothing */
    run(lx, "you", &ml, &d);
    assert_int_equal(ml.n, 1);
    /* loading after finish is refused */
    assert_int_equal(lexicon_load_text(lx, "late.lex", text, strlen(text), &d), -1);
    assert_int_equal(d.n, 1);
    test_check_diag(&d, 0, SEV_ERROR, "late.lex", 0,
                    "lexicon loaded after lexicon_finish (a bug in dyad): load every lexicon file first");
    diag_free(&d);
    free(ml.m);
    lexicon_free(lx);
}

static void test_empty_lexicon_and_empty_utterance(void **state)
{
    (void)state;
    lexicon *lx = load_ok("");
    assert_int_equal(lexicon_category_count(lx), 0);
    assert_int_equal(lexicon_file_count(lx), 1);
    match_list ml = {0};
    run(lx, "anything at all", &ml, NULL);
    assert_int_equal(ml.n, 0);
    lexicon_free(lx);
    lx = load_ok("[a]\nyou\n/x/\n");
    run(lx, "[inaudible]", &ml, NULL);
    assert_int_equal(ml.n, 0);
    lexicon_free(lx);
}

/* ---- the speed-ups must not change results ---- */

/* Phrases are filed under their first two words when both are exact; check
 * each filing through its own category. */
static void test_phrase_index_by_first_two_words(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\ni want to\n[b]\ni want\n[c]\ni w*\n[d]\ni\n[e]\ni want* more\n");
    match_list ml = {0};
    /* i(0) want(1) to(2) go(3) i(4) wanted(5) more(6) i(7) */
    run(lx, "I want to go, I wanted more. I", &ml, NULL);
    assert_int_equal(ml.n, 8);
    test_check_match(&ml, 0, 0, 0, 0, 3);
    test_check_match(&ml, 1, 1, 1, 0, 2);
    test_check_match(&ml, 2, 2, 2, 0, 2);
    test_check_match(&ml, 3, 2, 2, 4, 6);
    test_check_match(&ml, 4, 3, 3, 0, 1);
    test_check_match(&ml, 5, 3, 3, 4, 5);
    test_check_match(&ml, 6, 3, 3, 7, 8);
    test_check_match(&ml, 7, 4, 4, 4, 7);
    free(ml.m);
    lexicon_free(lx);
}

/* A posting's quick test of the first word its key leaves to check (word
 * 1 under a first word or prefix, word 2 under a pair) turns away only
 * what the full check would: a prefix word shorter than its prefix, a word
 * of the wrong length, one whose first 8 bytes differ; a long word whose
 * first 8 bytes agree is still checked whole. */
static void test_phrase_next_word_quick_test(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\nyou need*\n[b]\ni overwhelm*\n[c]\nwe really understanding\n"
                          "[d]\n^so what\n[e]\nthey want to\n[f]\nunder* control\n");
    match_list ml = {0};
    /* you(0) needed(1) it(2) you(3) ne(4) i(5) overwhelmed(6) i(7) overwhelm(8)
     * i(9) overwhelx(10) we(11) really(12) understanding(13) we(14) really(15)
     * understandinx(16) we(17) really(18) understanding-ish(19) so(20) what(21)
     * they(22) want(23) to(24) they(25) want(26) tom(27) */
    run(lx,
        "You needed it. You ne. I overwhelmed. I overwhelm. I overwhelx. We really understanding. "
        "We really understandinx. We really understanding-ish. So what. They want to. They want tom.",
        &ml, NULL);
    assert_int_equal(ml.n, 6);
    test_check_match(&ml, 0, 0, 0, 0, 2);
    test_check_match(&ml, 1, 1, 1, 5, 7);
    test_check_match(&ml, 2, 1, 1, 7, 9);
    test_check_match(&ml, 3, 2, 2, 11, 14);
    test_check_match(&ml, 4, 3, 3, 20, 22);
    test_check_match(&ml, 5, 4, 4, 22, 25);
    /* not at a sentence start: the anchored pair is turned away; words of
     * the right length whose bytes differ ("heeded", "controx", "tp"), under
     * a first word, a pair and a prefix, are too */
    run(lx, "and so what. You heeded. They want tp. Underdog controx. Under control", &ml, NULL);
    assert_int_equal(ml.n, 1);
    test_check_match(&ml, 0, 5, 5, 10, 12);   /* and0 so1 what2 you3 heeded4 they5 want6 tp7 underdog8 controx9 */
    free(ml.m);
    lexicon_free(lx);
}

/* rule_range.next_bytes of the pair "a b" of lexicon lx. */
static uint64_t pair_next_bytes(const lexicon *lx, const char *a, const char *b)
{
    size_t alen = strlen(a), blen = strlen(b);
    char key[64];
    assert_true(alen + 1 + blen <= sizeof key);
    memcpy(key, a, alen);
    key[alen] = '\0';
    memcpy(key + alen + 1, b, blen);
    const map_slot *slot = map_find(&lx->pair_first, hash_pair(hash_bytes(a, alen), hash_bytes(b, blen)), key,
                                    alen + 1 + blen);
    assert_non_null(slot);
    return lx->ranges[slot->value].next_bytes;
}

/* A pair whose phrases all go on to a third word is tried only where the
 * third word's first two bytes may begin one of theirs (rule_range.
 * next_bytes): a third word of one byte, a prefix of two and one of a single
 * byte (any second byte) are each found, and a pair with a phrase of its two
 * words alone is tried wherever it is. */
static void test_pair_phrases_by_the_third_word(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\ni don't know\n[b]\ni don't a\n[c]\nyou know w*\n[d]\nyou know th*\n"
                          "[e]\nwe can go*\n[f]\ni think\n[g]\ni think so\n");
    match_list ml = {0};
    /* I0 don't1 know2 I3 don't4 a5 I6 don't7 knox8 You9 know10 what11 You12
     * know13 that14 You15 know16 x17 We18 can19 going20 We21 can22 do23 I24
     * think25 I26 think27 so28 I29 don't30 */
    run(lx,
        "I don't know. I don't a. I don't knox. You know what. You know that. You know x. "
        "We can going. We can do. I think. I think so. I don't",
        &ml, NULL);
    assert_int_equal(ml.n, 8);
    test_check_match(&ml, 0, 0, 0, 0, 3);
    test_check_match(&ml, 1, 1, 1, 3, 6);
    test_check_match(&ml, 2, 2, 2, 9, 12);
    test_check_match(&ml, 3, 3, 3, 12, 15);
    test_check_match(&ml, 4, 4, 4, 18, 21);
    test_check_match(&ml, 5, 5, 5, 24, 26);
    test_check_match(&ml, 6, 5, 5, 26, 28);
    test_check_match(&ml, 7, 6, 6, 26, 29);
    free(ml.m);
    /* the buckets each pair keeps: its third words' first two bytes, every
     * bucket for a prefix of one byte, none where a phrase ends at the pair */
    assert_true(pair_next_bytes(lx, "i", "don't") == (next_bytes_bit('k', 'n') | next_bytes_bit('a', '\0')));
    assert_true(pair_next_bytes(lx, "you", "know") == UINT64_MAX);
    assert_true(pair_next_bytes(lx, "we", "can") == next_bytes_bit('g', 'o'));
    assert_true(pair_next_bytes(lx, "i", "think") == 0);
    lexicon_free(lx);
}

/* The regex prefilter only skips regexes that cannot match: every pattern
 * gives the same matches as the same pattern behind "(?#)", a comment that
 * makes the analysis give up so the regex always runs. */
static void test_regex_prefilter_never_changes_matches(void **state)
{
    (void)state;
    static const char *const patterns[] = {
        "\\bneed (?:a drink|to drink)\\b", "(?:so |really )?hard", "colou?r", "hello\\w+world",
        "x(?=abc)yz", "(?<!not )good", "a.*bcd.*efg", "foo|bar", "(?:foo|bar)baz", "[0-9]+ (?:times|days)",
        "you(?:'ve| have)?(?: been)? (?:tried|trying)", "^(?:and )?so what", "caf\xC3\xA9s?", "\\bi (?:will|won't) \\w+",
        "(?<name>abc)def", "(?>abc)d", "(?|abc|abd)", "(abc)+", "\\bgo+d\\b", "don't \\w+ to",
        "\\b(?:feel|felt)(?: like)? you\\b", "^(?:(?:so|and) )*(?:do|did) you\\b", "'m not going\\b",
        "(?:times|days) [0-9]+", "^(?:(?:so|and|mm-hmm) )+(?:try|go)\\b", "^(?:(?:so|and so|well) )*you(?:'re)?\\b",
        "^(?:(?:okay|and) )?so \\S+", "^(?:(?:so|do) )*do you", "^(?:(?:so) )*wh", "^(?:(?:so|and) )+go|^yes",
        "^(?:(?:so|and) )*(?:do|did) (?:you|we)\\b", "^(?:(?:so|okay) )?so (?:what|how's)\\b",
        "^(?:(?:so) )*(?:do|so) (?:so|you) you", "^(?:(?:so) )*do (?:you|i'm)(?: \\w+)?",
    };
    static const char *const utterances[] = {
        "You need a drink now. I need to drink!", "So hard, really hard. Hard?", "Colour and color, colr.",
        "hello big world; helloworld; hello  world", "xabcyz xyz xyabcz", "Not good. Good! not  good",
        "a bcd efg. a bcd. bcd efg", "foo bar foobar barbaz foobaz", "3 times in 2 days; times days",
        "You've been trying, you have tried, you tried. You been trying", "And so what? So what. and and so what",
        "Caf\xC3\xA9s and caf\xC3\xA9, CAF\xC3\x89", "I will go. I won't stop, i willnot", "abcdef abcd abd abc",
        "God good goood gd", "don't want to, don't have to, don't to", "I feel like you care; felt you; feel you",
        "So do you? And so did you. Do you. so and do you", "times 3 times 4. days 2", "m not going. I'm not going",
        "So and try it. Well go. So we try. Try it. Mm-hmm, go! so trying", "And so you're here. So so you. Well, you. and you",
        "Okay so what. And so. okay and so what. so. Okay, so, yes", "Do you. So do you. Do, do you? so so do me",
        "So where. So there. Whatever, so when? wh", "Yes. So go. And yes. Go. so and go",
        "Do we? So did they. And do you've. So do. Did youth. do, you", "So so what's. Okay so how's it. so what",
        "So do so you you. So so you you. do you you. Do I'm. so do i'm here", "",
    };
    size_t total = 0;
    for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
        char filtered[256], unfiltered[256];
        snprintf(filtered, sizeof filtered, "[a]\n/%s/\n", patterns[p]);
        snprintf(unfiltered, sizeof unfiltered, "[a]\n/(?#)%s/\n", patterns[p]);
        lexicon *a = load_ok(filtered), *b = load_ok(unfiltered);
        for (size_t u = 0; u < sizeof utterances / sizeof utterances[0]; u++) {
            match_list ma = {0}, mb = {0};
            run(a, utterances[u], &ma, NULL);
            run(b, utterances[u], &mb, NULL);
            if (ma.n != mb.n) print_error("/%s/ on \"%s\": %zu vs %zu\n", patterns[p], utterances[u], ma.n, mb.n);
            assert_int_equal(ma.n, mb.n);
            for (size_t i = 0; i < ma.n; i++) {
                assert_int_equal(ma.m[i].first, mb.m[i].first);
                assert_int_equal(ma.m[i].last, mb.m[i].last);
            }
            total += ma.n;
            free(ma.m);
            free(mb.m);
        }
        lexicon_free(a);
        lexicon_free(b);
    }
    assert_true(total >= 60);   /* the patterns really do match (68 when written) */
}

/* A regex whose required literal is absent is not run at all: a
 * catastrophic pattern gives up only where "zq " occurs. */
static void test_regex_prefilter_skips_regexes_that_cannot_match(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n/zq (a+)+$/\n");
    char text[128] = "zq ";
    memset(text + 3, 'a', 60);
    strcpy(text + 63, "b");
    match_list ml = {0};
    diag_list d = {0};
    run(lx, text + 3, &ml, &d);   /* no "zq ": skipped, so no warning */
    assert_int_equal(d.n, 0);
    run(lx, text, &ml, &d);
    assert_int_equal(d.n, 1);
    test_check_diag(&d, 0, SEV_WARNING, "s.txt", 7,
                    "rule t.lex:2: regex gave up (match limit) on this utterance; the rule is skipped here");
    assert_int_equal(ml.n, 0);
    diag_free(&d);
    free(ml.m);
    lexicon_free(lx);
}

/* The regex searches lexicon_match runs on the utterance, with scratch ms. */
static size_t searches_in(const lexicon *lx, match_scratch *ms, const char *utterance)
{
    word_list wl = {0};
    words_split(utterance, &wl);
    match_list ml = {0};
    size_t before = match_scratch_regex_searches(ms);
    lexicon_match(lx, &wl, ms, &ml, NULL, "s.txt", 7);
    free(ml.m);
    word_list_free(&wl);
    return match_scratch_regex_searches(ms) - before;
}

/* The same with a new scratch. */
static size_t searches(const lexicon *lx, const char *utterance)
{
    match_scratch *ms = match_scratch_new(lx);
    size_t n = searches_in(lx, ms, utterance);
    match_scratch_free(ms);
    return n;
}

/* The literals that start with a word and go on past it are compared,
 * where the word occurs, from its memo entry's probe list, by the bucket
 * of the two bytes after it: a literal with one byte past the word's NUL
 * ("i c") goes with any, one of 8 bytes or longer is compared whole, one
 * at the text's end must fit in it, and a word that also holds a literal
 * of its own ("you") gets both. Every regex finds what it finds with no
 * prefilter at all, and none runs where none of its literals is. */
static void test_regex_literals_past_a_word_by_bucket(void **state)
{
    (void)state;
    static const char *const patterns[] = {
        "\\bi c\\b", "\\bi do not\\b", "\\bi don't think\\b", "\\bi will\\b",
        "\\bi want to go\\b", "\\bi wanna\\b", "\\byou know\\b", "\\byou\\b",
    };
    static const char *const utterances[] = {
        "I c. I do not. I don't think so. I will. I want to go. I wanna. You know, you.",
        "I cannot. I do nothing. I don't thin. I wil. I want to gone. I wann. You knew. Young.",
        "So i don't think", "So i do no", "and i c", "you know you know", "i i i c", "I want to go. i do not",
    };
    buf filtered = {0}, unfiltered = {0};
    for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
        buf_addf(&filtered, "[c%zu]\n/%s/\n", p, patterns[p]);
        buf_addf(&unfiltered, "[c%zu]\n/(?#)%s/\n", p, patterns[p]);
    }
    lexicon *a = load_ok(filtered.data), *b = load_ok(unfiltered.data);
    size_t total = 0;
    for (size_t u = 0; u < sizeof utterances / sizeof utterances[0]; u++) {
        match_list ma = {0}, mb = {0};
        run(a, utterances[u], &ma, NULL);
        run(b, utterances[u], &mb, NULL);
        if (ma.n != mb.n) print_error("\"%s\": %zu vs %zu\n", utterances[u], ma.n, mb.n);
        assert_int_equal(ma.n, mb.n);
        if (ma.n) assert_memory_equal(ma.m, mb.m, ma.n * sizeof *ma.m);
        total += ma.n;
        free(ma.m);
        free(mb.m);
    }
    /* 9 in the first (two of "you"), 1 ("you"), 1, 0, 1, 4, 1 and 2 */
    assert_int_equal(total, 19);
    assert_int_equal(searches(a, "We do not think. I am here. Yo, i wan"), 0);
    assert_true(searches(b, "We do not think. I am here. Yo, i wan") > 0);
    buf_free(&filtered);
    buf_free(&unfiltered);
    lexicon_free(a);
    lexicon_free(b);
    /* an 8-byte literal ending in a space ("i wanna ") does not fit at the
     * text's end, where the NULs after the last word would match it */
    lexicon *c = load_ok("[a]\n/\\bi wanna /\n");
    assert_int_equal(searches(c, "so i wanna"), 0);
    assert_true(searches(c, "so i wanna go") > 0);
    lexicon_free(c);
}

/* A filler regex whose rest is known word by word (a word or a group of
 * one-word alternatives, a space, more) runs only in a sentence whose
 * word after the rest's first word is one the rest can go on with: here
 * "now" or "home" (whole words: a space follows them), after "go" or "run"
 * past fillers. The sentences below all hold a literal the regex needs
 * ("go now ", "run home "...), so its literal prefilter lets them all
 * through: where the searches are fewer, the second word kept them out. */
static void test_regex_filler_run_needs_its_second_word(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n/^(?:(?:so|and) )*(?:go|run) (?:now|home) \\w+/\n");
    static const struct { const char *text; size_t searches; } cases[] = {
        {"so go zz go now there", 0}, {"and run zz run home here", 0}, {"go go now there", 0},
        {"so go now there", 1}, {"run home, to bed", 1}, {"and. run now there", 1},
        {"go zz go now there. go now there", 1}, {"so and run home there. go now here. run home", 2},
        {"so go nowhere go now here", 0}, {"go", 0},
    };
    match_scratch *kept = match_scratch_new(lx);   /* one scratch for them all, its memo growing */
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t n = searches(lx, cases[k].text), again = searches_in(lx, kept, cases[k].text);
        if (n != cases[k].searches) print_error("\"%s\": %zu searches\n", cases[k].text, n);
        assert_int_equal(n, cases[k].searches);
        assert_int_equal(again, cases[k].searches);
    }
    /* the memo grown past its first size, then emptied, by utterances of
     * new words: its entries (and what is kept per entry) start afresh */
    char word[32];
    for (int round = 0; round < 8; round++) {
        buf many = {0};
        for (int i = 0; i < 4000; i++) {
            snprintf(word, sizeof word, "w%dx%d ", round, i);
            buf_adds(&many, word);
        }
        buf_adds(&many, "so go zz go now there");
        assert_int_equal(searches_in(lx, kept, many.data), 0);
        buf_free(&many);
        for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
            assert_int_equal(searches_in(lx, kept, cases[k].text), cases[k].searches);
    }
    match_scratch_free(kept);
    /* past 16,384 words, where the word memo is not used: the same */
    for (int round = 0; round < 2; round++) {
        char *text = repeated("x. ", 20000);
        size_t n = strlen(text);
        char *all = xmalloc(n + 32);
        memcpy(all, text, n);
        strcpy(all + n, round ? "go now go now x" : "go zz go now x");
        assert_int_equal(searches(lx, all), (size_t)round);
        free(all);
        free(text);
    }
    /* a one-word rest that looks at nothing past its word is decided by
     * the words (test_regex_filler_run_decided_by_words): no search */
    lexicon *one = load_ok("[a]\n/^(?:(?:so) )*go\\b/\n");
    assert_int_equal(searches(one, "so go zz"), 0);
    lexicon_free(one);
    lexicon_free(lx);
}

/* Filler regexes whose rest is one word, or a word, a space and one more,
 * with nothing that looks past a word but \b (regex_filler.word_by_word),
 * are decided by their words, with no search: their matches, over 6,000
 * random utterances of filler words, rest words and words that only start
 * like them, split into sentences by punctuation, are those PCRE2 finds
 * (run() matches each utterance a second time from a word list made by
 * hand, where PCRE2 runs). Each rule has a category of its own, so that no
 * match of one hides another's. Hand-checked cases first. */
static void test_regex_filler_run_decided_by_words(void **state)
{
    (void)state;
    static const char *const rules[] = {
        "/^(?:(?:so|and|but|mm-hmm|mm|and so) )*you(?:'re|'ve|'d)?\\b/",   /* one word */
        "/^(?:(?:okay|so|well) )+(?:do|does|can) (?:you|your|we)\\b/",     /* two, + */
        "/^(?:(?:so|well) )?(?:so|well) (?:we|you)\\b/",                   /* ?, the rest a filler */
        "/^(?:(?:um|uh) )*(?:yo|you)\\b/",                                 /* "yo" first */
        "/^(?:(?:so) )*so\\b/",                                            /* the rest the filler */
        "/^(?:(?:um|so) )*(?:you|we)(?:'re)?/",                             /* no \b: "your" too */
        "/^(?:(?:okay|mm) )?so \\S+/",                                     /* any next word */
        "/^(?:(?:uh) )*yo\\w*\\b/",                                        /* \w: "you" of "you-know" */
    };
    enum { NRULES = sizeof rules / sizeof rules[0] };
    buf text = {0};
    for (size_t k = 0; k < NRULES; k++) buf_addf(&text, "[c%zu]\n%s\n", k, rules[k]);
    /* as an exception: "you" counts, but not where the regex matches */
    buf_adds(&text, "[b]\nyou\n! /^(?:(?:so|um) )*you\\b/\n");
    lexicon *lx = load_ok(text.data);
    buf_free(&text);
    for (size_t k = 0; k < NRULES; k++) assert_int_equal(lx->rules[k].filler_slot, k + 1);
    assert_int_not_equal(lx->rules[NRULES + 1].filler_slot, 0);
    assert_int_equal(searches(lx, "so and so you're fine. okay so do you. so so. um yo"), 0);

    match_list ml = {0};
    diag_list d = {0};
    run(lx, "so and so you're fine", &ml, &d);   /* the run, then "you're"; "so" alone */
    test_check_matches(&ml, (const uint32_t[][4]){{0, 0, 0, 4}, {4, 4, 0, 1}, {6, 6, 0, 2}}, 3);
    run(lx, "okay so do your best", &ml, &d);   /* two words after the run (c1) */
    test_check_matches(&ml, (const uint32_t[][4]){{1, 1, 0, 4}, {6, 6, 0, 3}}, 2);
    /* c2: the rest at a filler word, then past one; c5 takes the "we" of
     * "well" (no \b) */
    run(lx, "so we. well so we", &ml, &d);
    test_check_matches(&ml, (const uint32_t[][4]){{2, 2, 0, 2}, {2, 2, 2, 5}, {4, 4, 0, 1}, {5, 5, 0, 2},
                                                  {5, 5, 2, 3}, {6, 6, 0, 2}}, 6);
    run(lx, "so so", &ml, &d);   /* c4: the last "so" is the rest */
    test_check_matches(&ml, (const uint32_t[][4]){{4, 4, 0, 2}, {6, 6, 0, 2}}, 2);
    run(lx, "um you. so you", &ml, &d);   /* "you" of [b] knocked out twice */
    test_check_matches(&ml, (const uint32_t[][4]){{0, 0, 2, 4}, {2, 2, 2, 4}, {3, 3, 0, 2}, {4, 4, 2, 3},
                                                  {5, 5, 0, 2}, {5, 5, 2, 4}, {6, 6, 2, 4}}, 7);
    run(lx, "so so well we", &ml, &d);   /* c2's ? takes one filler word at most: none */
    test_check_matches(&ml, (const uint32_t[][4]){{4, 4, 0, 2}, {5, 5, 0, 3}, {6, 6, 0, 2}}, 3);
    run(lx, "okay dog you", &ml, &d);   /* c1's first word must be all of "do": [b]'s "you" alone */
    test_check_matches(&ml, (const uint32_t[][4]){{8, 8, 2, 3}}, 1);
    run(lx, "mm so you-know. uh uh you-know", &ml, &d);   /* "you" and \b before the '-' */
    test_check_matches(&ml, (const uint32_t[][4]){{0, 0, 0, 3}, {3, 3, 3, 6}, {6, 6, 0, 3}, {7, 7, 3, 6}}, 4);
    run(lx, "mm so whatever. uh yolo", &ml, &d);
    test_check_matches(&ml, (const uint32_t[][4]){{6, 6, 0, 3}, {7, 7, 3, 5}}, 2);

    static const char *const vocab[] = {
        "so", "and", "but", "mm-hmm", "mm", "okay", "well", "um", "uh", "you", "you're", "you'll", "your",
        "yo", "you\xc3\xa9", "you-know", "do", "dog", "does", "can", "we", "we're", "wee", "So", "YOU", "zz", "so'",
        "yolo", "whatever",
    };
    static const char *const after[] = {" ", " ", " ", " ", ", ", ". ", "? ", "! ", " - "};
    uint32_t seed = 12345;
    size_t matched[NRULES] = {0};
    for (int u = 0; u < 6000; u++) {
        buf b = {0};
        seed = seed * 1103515245u + 12345u;
        size_t n = 1 + (seed >> 16) % 9;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            buf_adds(&b, vocab[(seed >> 16) % (sizeof vocab / sizeof vocab[0])]);
            seed = seed * 1103515245u + 12345u;
            if (i + 1 < n) buf_adds(&b, after[(seed >> 16) % (sizeof after / sizeof after[0])]);
        }
        run(lx, b.data, &ml, &d);   /* asserts the hand-made list matches the same */
        for (size_t i = 0; i < ml.n; i++)
            if (ml.m[i].category < NRULES) matched[ml.m[i].category]++;
        buf_free(&b);
    }
    for (size_t k = 0; k < NRULES; k++) {   /* each rule did match: the comparison compared */
        if (matched[k] < 20) print_error("rule %zu: %zu matches\n", k, matched[k]);
        assert_true(matched[k] >= 20);
    }
    assert_int_equal(d.n, 0);
    lexicon_free(lx);

    /* ? with a pass of two words is left to PCRE2, which takes "and so" as
     * the one pass */
    lexicon *q = load_ok("[q]\n/^(?:(?:so|and|and so) )?you\\b/\n");
    assert_int_equal(q->rules[0].filler_slot, 0);
    run(q, "and so you", &ml, &d);
    test_check_matches(&ml, (const uint32_t[][4]){{0, 0, 0, 3}}, 1);
    lexicon_free(q);

    /* a rest that PCRE2 may give up on (repeats with a literal after them,
     * which a later word can hold) is left to PCRE2, which gives up and
     * warns: the rule's matches in the utterance are dropped */
    lexicon *limit = load_ok("[a]\n/^(?:(?:so) )*y\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*z/\n");
    assert_int_equal(limit->rules[0].filler_slot, 0);
    diag_list d2 = {0};
    run(limit, "so yz", &ml, &d2);
    test_check_matches(&ml, (const uint32_t[][4]){{0, 0, 0, 2}}, 1);
    char *longer = repeated("a", 40);
    buf_clear(&text);
    buf_addf(&text, "so yz. so y%s zed", longer);
    run(limit, text.data, &ml, &d2);
    assert_int_equal(ml.n, 0);
    assert_int_equal(d2.n, 1);
    test_check_diag(&d2, 0, SEV_WARNING, "s.txt", 7,
                    "rule t.lex:2: regex gave up (match limit) on this utterance; the rule is skipped here");
    free(longer);
    buf_free(&text);
    free(ml.m);
    diag_free(&d);
    diag_free(&d2);
    lexicon_free(limit);
}

/* A regex that begins with a run of filler words runs only in a sentence
 * whose first words, past fillers, reach a word its rest starts with: the
 * same catastrophic regex warns only when it runs. */
static void test_regex_filler_run_skips_sentences(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n/^(?:(?:so|and) )*go (a+)+$/\n");
    static const char *const skipped[] = {"so and zz go ", "zz go ", "so, zz go "};
    static const char *const run_in[] = {"so and go ", "go ", "and so. go "};
    char text[128];
    match_list ml = {0};
    diag_list d = {0};
    for (size_t k = 0; k < 3; k++) {
        snprintf(text, sizeof text, "%s%.60sb", skipped[k], "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        run(lx, text, &ml, &d);   /* "go " is there, but not where the rest can start */
        assert_int_equal(d.n, 0);
    }
    for (size_t k = 0; k < 3; k++) {
        snprintf(text, sizeof text, "%s%.60sb", run_in[k], "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        run(lx, text, &ml, &d);
        assert_int_equal(d.n, k + 1);
        test_check_diag(&d, k, SEV_WARNING, "s.txt", 7,
                        "rule t.lex:2: regex gave up (match limit) on this utterance; the rule is skipped here");
    }
    /* with +, a match begins with a filler word */
    lexicon *plus = load_ok("[a]\n/^(?:(?:so|and) )+go (a+)+$/\n");
    diag_list d2 = {0};
    snprintf(text, sizeof text, "go %.60sb", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    run(plus, text, &ml, &d2);
    assert_int_equal(d2.n, 0);
    snprintf(text, sizeof text, "so go %.60sb", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    run(plus, text, &ml, &d2);
    assert_int_equal(d2.n, 1);
    diag_free(&d2);
    lexicon_free(plus);
    /* the same past 16,384 words, where the word memo is not used */
    size_t cap = 40000 * 3 + 128;
    char *long_text = malloc(cap);
    assert_non_null(long_text);
    for (int round = 0; round < 2; round++) {
        size_t n = 0;
        for (int i = 0; i < 40000; i++) n += (size_t)snprintf(long_text + n, cap - n, "x. ");
        snprintf(long_text + n, cap - n, "%s%.60sb", round ? "and go " : "and zz go ",
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        run(lx, long_text, &ml, &d);
        assert_int_equal(d.n, 3 + (size_t)round);
    }
    free(long_text);
    assert_int_equal(ml.n, 0);
    diag_free(&d);
    free(ml.m);
    lexicon_free(lx);
}

/* An exception regex runs only in sentences holding a counted match of its
 * category, since elsewhere it could not change anything. */
static void test_exception_regex_runs_only_near_counted_matches(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\nhello\n! /^\\w+ (a+)+$/\n");
    char text[128] = "hello ", split[128] = "hello. ";
    memset(text + 6, 'a', 60);
    strcpy(text + 66, "b");
    memset(split + 7, 'a', 60);
    strcpy(split + 67, "b");
    match_list ml = {0};
    diag_list d = {0};
    run(lx, text + 6, &ml, &d);   /* nothing counted: the exception is not run */
    assert_int_equal(d.n, 0);
    assert_int_equal(ml.n, 0);
    run(lx, split, &ml, &d);      /* "hello" is in another sentence */
    assert_int_equal(d.n, 0);
    assert_int_equal(ml.n, 1);
    test_check_match(&ml, 0, 0, 0, 0, 1);
    run(lx, text, &ml, &d);       /* same sentence: it runs, gives up, and is skipped */
    assert_int_equal(d.n, 1);
    test_check_diag(&d, 0, SEV_WARNING, "s.txt", 7,
                    "rule t.lex:3: regex gave up (match limit) on this utterance; the rule is skipped here");
    assert_int_equal(ml.n, 1);
    run(lx, "hello aaa", &ml, &d);   /* and when it matches, it blocks */
    assert_int_equal(ml.n, 0);
    run(lx, "hello. hi aaa", &ml, &d);
    assert_int_equal(ml.n, 1);
    assert_int_equal(d.n, 1);
    diag_free(&d);
    free(ml.m);
    lexicon_free(lx);
}

/* Many candidates in one category, regex ones found after the literal ones:
 * the output is still in word order. */
static void test_many_candidates_come_out_in_order(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\nab\n/\\bcd\\b/\n! zz ab\n");
    match_list ml = {0};
    /* ab(0) cd(1) ... ab(18) cd(19), then zz(20) ab(21) is an exception */
    char text[256] = "";
    for (int i = 0; i < 10; i++) strcat(text, "ab cd. ");
    strcat(text, "zz ab");
    run(lx, text, &ml, NULL);
    assert_int_equal(ml.n, 20);
    for (uint32_t i = 0; i < 20; i++) test_check_match(&ml, i, 0, i % 2, i, i + 1);
    free(ml.m);
    lexicon_free(lx);
}

/* ---- the format ---- */

static void test_categories_order_descriptions_and_ids(void **state)
{
    (void)state;
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    const char *text = "# a comment\n"
                       "\n"
                       "[b] Bee things  \n"
                       "  bee   \n"
                       "[a]\n"
                       "/x#y/\n"
                       "   # an indented comment\n"
                       "[b] another description\n"
                       "buzz\t\n";
    assert_int_equal(lexicon_load_text(lx, "some/dir/t.lex", text, strlen(text), &d), 0);
    assert_int_equal(lexicon_finish(lx, &d), 0);
    assert_int_equal(d.n, 0);
    assert_int_equal(lexicon_category_count(lx), 2);
    assert_string_equal(lexicon_category_name(lx, 0), "b");
    assert_string_equal(lexicon_category_description(lx, 0), "Bee things");
    assert_string_equal(lexicon_category_name(lx, 1), "a");
    assert_string_equal(lexicon_category_description(lx, 1), "");
    assert_null(lexicon_category_name(lx, 2));
    assert_int_equal(lexicon_category_index(lx, "a"), 1);
    assert_int_equal(lexicon_category_index(lx, "b"), 0);
    assert_int_equal(lexicon_category_index(lx, "c"), -1);
    assert_int_equal(lexicon_rule_count(lx), 3);
    assert_string_equal(lexicon_rule_id(lx, 0), "t.lex:4");
    assert_string_equal(lexicon_rule_id(lx, 1), "t.lex:6");
    assert_string_equal(lexicon_rule_id(lx, 2), "t.lex:9");
    assert_null(lexicon_rule_id(lx, 3));
    match_list ml = {0};
    run(lx, "Bee buzz", &ml, NULL);
    assert_int_equal(ml.n, 2);
    test_check_match(&ml, 0, 0, 0, 0, 1);
    test_check_match(&ml, 1, 0, 2, 1, 2);
    free(ml.m);
    lexicon_free(lx);
}

/* BOM and CRLF line ends are handled by source.h before parsing. */
static void test_bom_and_crlf(void **state)
{
    (void)state;
    lexicon *lx = load_ok("\xEF\xBB\xBF[a]\r\nyou know\r\n\r\n/^so\\b/\r\n");
    assert_int_equal(lexicon_rule_count(lx), 2);
    assert_string_equal(lexicon_rule_id(lx, 0), "t.lex:2");
    assert_string_equal(lexicon_rule_id(lx, 1), "t.lex:4");
    match_list ml = {0};
    run(lx, "So you know", &ml, NULL);
    assert_int_equal(ml.n, 2);
    test_check_match(&ml, 0, 0, 1, 0, 1);
    test_check_match(&ml, 1, 0, 0, 1, 3);
    free(ml.m);
    lexicon_free(lx);
}

static void test_duplicate_rules_warn(void **state)
{
    (void)state;
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    const char *a = "[directive]\nyou should\n^you should\n! you should\nYOU  Should\n/a b/\n/a b/\n[other]\nyou should\n";
    const char *b = "[directive]\nyou should\n";
    assert_int_equal(lexicon_load_text(lx, "a.lex", a, strlen(a), &d), 0);
    assert_int_equal(lexicon_load_text(lx, "b.lex", b, strlen(b), &d), 0);
    assert_int_equal(d.n, 3);
    test_check_diag(&d, 0, SEV_WARNING, "a.lex", 5,
                    "duplicate rule \"you should\" in [directive]: a.lex:5 repeats a.lex:2 and is ignored; "
                    "delete one of them");
    test_check_diag(&d, 1, SEV_WARNING, "a.lex", 7,
                    "duplicate rule \"/a b/\" in [directive]: a.lex:7 repeats a.lex:6 and is ignored; "
                    "delete one of them");
    test_check_diag(&d, 2, SEV_WARNING, "b.lex", 2,
                    "duplicate rule \"you should\" in [directive]: b.lex:2 repeats a.lex:2 and is ignored; "
                    "delete one of them");
    /* ^, ! and another category make different rules */
    assert_int_equal(lexicon_rule_count(lx), 5);
    diag_free(&d);
    lexicon_free(lx);
}

static void test_unmatchable_word_warns(void **state)
{
    (void)state;
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    const char *text = "[a]\nokay, then\nmm-hmm\nself-*\nkind of -ish\n";
    assert_int_equal(lexicon_load_text(lx, "t.lex", text, strlen(text), &d), 0);
    assert_int_equal(d.n, 2);
    test_check_diag(&d, 0, SEV_WARNING, "t.lex", 2,
                    "the word \"okay,\" can never match: transcript words are letters and digits with ' or - "
                    "only between them; remove the other characters");
    test_check_diag(&d, 1, SEV_WARNING, "t.lex", 5,
                    "the word \"-ish\" can never match: transcript words are letters and digits with ' or - "
                    "only between them; remove the other characters");
    assert_int_equal(lexicon_rule_count(lx), 4);
    diag_free(&d);
    lexicon_free(lx);
}

/* ---- errors ---- */

static void test_error_rule_before_category(void **state)
{
    (void)state;
    /* said once, for the first such line */
    assert_load_error("# rules\nyou should\nyou must\n[a]\nok\n", 2,
                      "rule before any category: put a category line such as \"[name] description\" "
                      "above it");
    assert_load_error("! you don't\n", 1,
                      "rule before any category: put a category line such as \"[name] description\" "
                      "above it");
}

static void test_error_bad_category_headers(void **state)
{
    (void)state;
    assert_load_error("[Bad Name] Something\n", 1,
                      "bad category name \"Bad Name\": use only lowercase letters, digits and _, as in "
                      "[bad_name]");
    assert_load_error("[a]\n[caf\xC3\xA9-talk]\n", 2,
                      "bad category name \"caf\xC3\xA9-talk\": use only lowercase letters, digits and _, "
                      "as in [caf__talk]");
    assert_load_error("[directive Tells what to do\n", 1,
                      "category header \"[directive\" has no closing \"]\": write it as [name] description");
    assert_load_error("[] nothing\n", 1,
                      "empty category name \"[]\": put a name between the brackets, as in [directive]");
}

static void test_error_bad_regex(void **state)
{
    (void)state;
    assert_load_error("[a]\n/(abc/\n", 2,
                      "bad regex /(abc/: missing closing parenthesis at offset 4 of the pattern; fix the "
                      "pattern");
    assert_load_error("[a]\n! /[z-a]/\n", 2,
                      "bad regex /[z-a]/: range out of order in character class at offset 3 of the "
                      "pattern; fix the pattern");
    assert_load_error("[a]\n/abc\n", 2,
                      "unterminated regex \"/abc\": end the pattern with \"/\" at the end of the line");
    assert_load_error("[a]\n/\n", 2,
                      "unterminated regex \"/\": end the pattern with \"/\" at the end of the line");
    assert_load_error("[a]\n/abc/ i\n", 2,
                      "unterminated regex \"/abc/ i\": end the pattern with \"/\" at the end of the line");
    assert_load_error("[a]\n//\n", 2, "empty regex \"//\": write a pattern between the slashes");
}

static void test_error_unknown_directive(void **state)
{
    (void)state;
    const char *msg_tail = ": a line is a phrase, ^phrase, /regex/, ! exception, [category] or # comment";
    char want[200];
    snprintf(want, sizeof want, "unknown directive \"@include\"%s", msg_tail);
    assert_load_error("[a]\n@include other.lex\n", 2, want);
    snprintf(want, sizeof want, "unknown directive \"%%\"%s", msg_tail);
    assert_load_error("[a]\n% a\n", 2, want);
    snprintf(want, sizeof want, "unknown directive \"$x\"%s", msg_tail);
    assert_load_error("[a]\n$x\n", 2, want);
    /* a non-ASCII character that is not a letter: a curly quote */
    snprintf(want, sizeof want, "unknown directive \"\xE2\x80\x9Cquote\xE2\x80\x9D\"%s", msg_tail);
    assert_load_error("[a]\n\xE2\x80\x9Cquote\xE2\x80\x9D\n", 2, want);
    /* non-ASCII letters, digits and apostrophes may start a phrase (though a
     * word starting with ' never matches, which is only a warning) */
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    const char *text = "[a]\n\xC3\xA9tat\n42\n'cause\n\xE2\x80\x99" "cause\n";
    assert_int_equal(lexicon_load_text(lx, "t.lex", text, strlen(text), &d), 0);
    assert_int_equal(diag_count(&d, SEV_ERROR), 0);
    assert_int_equal(d.n, 3);   /* lines 4 and 5 can never match; 5 repeats 4 */
    assert_int_equal(d.items[2].line, 5);
    assert_true(strstr(d.items[2].message, "repeats t.lex:4") != NULL);
    assert_int_equal(lexicon_rule_count(lx), 3);
    diag_free(&d);
    lexicon_free(lx);
}

static void test_error_exceptions_and_anchors(void **state)
{
    (void)state;
    assert_load_error("[a]\n!\n", 2,
                      "empty exception \"!\": put the phrase or /regex/ to exclude after the \"!\"");
    assert_load_error("[a]\n!   \n", 2,
                      "empty exception \"!\": put the phrase or /regex/ to exclude after the \"!\"");
    assert_load_error("[a]\n^\n", 2, "empty phrase after \"^\": put a phrase after it, as in ^try");
    assert_load_error("[a]\n!^\n", 2, "empty phrase after \"^\": put a phrase after it, as in ^try");
    assert_load_error("[a]\n^/try/\n", 2,
                      "\"^\" before a /regex/: anchor the pattern inside the slashes instead, as in /^try/");
    assert_load_error("[a]\n! @x\n", 2,
                      "\"@x\" cannot start a phrase after \"!\": a phrase starts with a letter, a digit or '");
    assert_load_error("[a]\n^ -x\n", 2,
                      "\"-x\" cannot start a phrase after \"^\": a phrase starts with a letter, a digit or '");
}

static void test_error_star_placement(void **state)
{
    (void)state;
    assert_load_error("[a]\nad*vise\n", 2,
                      "\"*\" inside \"ad*vise\": \"*\" may only end a word, as in advis*");
    assert_load_error("[a]\nadvis**\n", 2,
                      "\"*\" inside \"advis**\": \"*\" may only end a word, as in advis*");
    assert_load_error("[a]\nyou *\n", 2, "bare \"*\": put the start of a word before it, as in advis*");
}

/* Every bad line is reported in one go; rules under a bad header are
 * checked but not kept. */
static void test_every_error_reported(void **state)
{
    (void)state;
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    const char *text = "[Bad]\nfine\n/(/\n[good]\n@x\nok\n";
    assert_int_equal(lexicon_load_text(lx, "t.lex", text, strlen(text), &d), -1);
    assert_int_equal(d.n, 3);
    assert_int_equal(d.items[0].line, 1);
    assert_int_equal(d.items[1].line, 3);
    assert_int_equal(d.items[2].line, 5);
    assert_int_equal(diag_count(&d, SEV_ERROR), 3);
    assert_int_equal(lexicon_rule_count(lx), 1);
    assert_string_equal(lexicon_rule_id(lx, 0), "t.lex:6");
    diag_free(&d);
    lexicon_free(lx);
}

/* ---- files and folders ---- */

static const char *const A_LEX = "[x] Ex\nyou should\n[y]\nmaybe\n";
static const char *const B_LEX = "[z]\nzed\n\n[x] Later description\nyou must\n";

static void test_folder_loads_lex_files_by_name(void **state)
{
    (void)state;
    char *dir = test_tmpdir("lexicon");
    test_write_file(dir, "b.lex", B_LEX);
    test_write_file(dir, "a.lex", A_LEX);
    test_write_file(dir, "notes.txt", "@not a lexicon\n");
    test_write_file(dir, ".hidden.lex", "@ignored\n");
    char sub[600];
    snprintf(sub, sizeof sub, "%s/sub.lex", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    test_write_file(sub, "c.lex", "@not loaded: no recursion\n");

    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(lexicon_load(lx, dir, &d), 0);
    assert_int_equal(lexicon_finish(lx, &d), 0);
    assert_int_equal(d.n, 0);

    assert_int_equal(lexicon_file_count(lx), 2);
    char want[600];
    snprintf(want, sizeof want, "%s/a.lex", dir);
    assert_string_equal(lexicon_file_path(lx, 0), want);
    snprintf(want, sizeof want, "%s/b.lex", dir);
    assert_string_equal(lexicon_file_path(lx, 1), want);
    char hex[SHA256_HEX_SIZE];
    sha256_hex(A_LEX, strlen(A_LEX), hex);
    assert_string_equal(lexicon_file_sha256(lx, 0), hex);
    sha256_hex(B_LEX, strlen(B_LEX), hex);
    assert_string_equal(lexicon_file_sha256(lx, 1), hex);

    /* categories by first appearance; [x] gains b.lex's rule */
    assert_int_equal(lexicon_category_count(lx), 3);
    assert_string_equal(lexicon_category_name(lx, 0), "x");
    assert_string_equal(lexicon_category_description(lx, 0), "Ex");
    assert_string_equal(lexicon_category_name(lx, 1), "y");
    assert_string_equal(lexicon_category_name(lx, 2), "z");
    assert_int_equal(lexicon_rule_count(lx), 4);
    assert_string_equal(lexicon_rule_id(lx, 0), "a.lex:2");
    assert_string_equal(lexicon_rule_id(lx, 1), "a.lex:4");
    assert_string_equal(lexicon_rule_id(lx, 2), "b.lex:2");
    assert_string_equal(lexicon_rule_id(lx, 3), "b.lex:5");
    match_list ml = {0};
    run(lx, "you must, zed", &ml, NULL);
    assert_int_equal(ml.n, 2);
    test_check_match(&ml, 0, 0, 3, 0, 2);
    test_check_match(&ml, 1, 2, 2, 2, 3);
    free(ml.m);
    lexicon_free(lx);

    /* one file by its path */
    lx = lexicon_new();
    snprintf(want, sizeof want, "%s/b.lex", dir);
    assert_int_equal(lexicon_load(lx, want, &d), 0);
    assert_int_equal(lexicon_file_count(lx), 1);
    assert_string_equal(lexicon_file_path(lx, 0), want);
    assert_string_equal(lexicon_rule_id(lx, 0), "b.lex:2");
    lexicon_free(lx);

    /* an error in a folder file names the file's path */
    test_write_file(dir, "c.lex", "[c]\n%oops\n");
    lx = lexicon_new();
    assert_int_equal(lexicon_load(lx, dir, &d), -1);
    assert_int_equal(d.n, 1);
    snprintf(want, sizeof want, "%s/c.lex", dir);
    assert_string_equal(d.items[0].source, want);
    assert_int_equal(d.items[0].line, 2);
    diag_free(&d);
    lexicon_free(lx);

    test_remove_tree(dir);
    free(dir);
}

static void test_folder_without_lex_files(void **state)
{
    (void)state;
    char *dir = test_tmpdir("lexicon");
    test_write_file(dir, "readme.txt", "no rules here\n");
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(lexicon_load(lx, dir, &d), -1);
    assert_int_equal(d.n, 1);
    test_check_diag(&d, 0, SEV_ERROR, dir, 0,
                    "no .lex files in this lexicon folder: add rule files named NAME.lex, or give one file");
    diag_free(&d);
    lexicon_free(lx);
    test_remove_tree(dir);
    free(dir);
}

static void test_missing_path(void **state)
{
    (void)state;
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(lexicon_load(lx, "/nonexistent/dyad/rules.lex", &d), -1);
    assert_int_equal(d.n, 1);
    test_check_diag(&d, 0, SEV_ERROR, "/nonexistent/dyad/rules.lex", 0,
                    "cannot open lexicon: No such file or directory; check the path");
    assert_int_equal(lexicon_file_count(lx), 0);
    diag_free(&d);
    lexicon_free(lx);
}

static void test_load_text_records_file_and_checksum(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\nabc\n");
    assert_int_equal(lexicon_file_count(lx), 1);
    assert_string_equal(lexicon_file_path(lx, 0), "t.lex");
    char hex[SHA256_HEX_SIZE];
    sha256_hex("[a]\nabc\n", 8, hex);
    assert_string_equal(lexicon_file_sha256(lx, 0), hex);
    assert_null(lexicon_file_path(lx, 1));
    lexicon_free(lx);
}

static void test_binary_lexicon_refused(void **state)
{
    (void)state;
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    const char text[] = "[a]\nyou\0x\n";
    assert_int_equal(lexicon_load_text(lx, "bin.lex", text, sizeof text - 1, &d), -1);
    assert_int_equal(diag_count(&d, SEV_ERROR), 1);
    assert_string_equal(d.items[0].source, "bin.lex");
    diag_free(&d);
    lexicon_free(lx);
}

/* ---- the fast paths: literal scan, sentence starts, hashing ---- */

/* How many of the matches are in category `cat`. */
static size_t count_in(const match_list *ml, uint32_t cat)
{
    size_t n = 0;
    for (size_t i = 0; i < ml->n; i++) n += ml->m[i].category == cat;
    return n;
}

/* A literal after \b is looked for only where a word may start: at a word
 * and after ' - inside one ("how-do you"), and one led by a space or an
 * apostrophe is looked for with that character before it. */
static void test_regex_literal_inside_a_word(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n/\\bdo you\\b/\n[b]\n/'m not going\\b/\n[c]\n/\\w+ together\\b/\n");
    match_list ml = {0};
    run(lx, "How-do you know", &ml, NULL);   /* how-do(0) you(1) know(2) */
    assert_int_equal(ml.n, 1);
    test_check_match(&ml, 0, 0, 0, 0, 2);
    run(lx, "I'm not going home", &ml, NULL);
    assert_int_equal(ml.n, 1);
    test_check_match(&ml, 0, 1, 1, 0, 3);
    run(lx, "we work together", &ml, NULL);
    assert_int_equal(ml.n, 1);
    test_check_match(&ml, 0, 2, 2, 1, 3);
    run(lx, "undo you. together", &ml, NULL);   /* "do you" inside a word; "together" alone */
    assert_int_equal(ml.n, 0);
    free(ml.m);
    lexicon_free(lx);
}

/* Anchored regexes run only in sentences whose first word one of their
 * start strings allows: whole first words ("so ", "do ") and beginnings of
 * one ("wh" + "at"|"o"). */
static void test_anchored_regex_sentence_starts(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n/^(?:so |well )*(?:do|did) you\\b/\n[b]\n/^wh(?:at|o)/\n");
    match_list ml = {0};
    /* do(0) you(1) know(2). so(3) do(4) you(5). well(6) well(7) did(8) you(9)
     * see(10). and(11) do(12) you(13) */
    run(lx, "Do you know? So do you. Well well did you see. And do you", &ml, NULL);
    assert_int_equal(ml.n, 3);
    test_check_match(&ml, 0, 0, 0, 0, 2);
    test_check_match(&ml, 1, 0, 0, 3, 6);
    test_check_match(&ml, 2, 0, 0, 6, 10);
    /* whoever(0) said(1) that(2). what(3) now(4). so(5) who(6) */
    run(lx, "Whoever said that. What now? So who", &ml, NULL);
    assert_int_equal(ml.n, 2);
    test_check_match(&ml, 0, 1, 1, 0, 1);
    test_check_match(&ml, 1, 1, 1, 3, 4);
    free(ml.m);
    lexicon_free(lx);
}

/* The literal scan reads the words with NULs between them, so it also
 * finds a literal across the end of a sentence; the regex then runs and
 * finds nothing there. */
static void test_literal_across_sentences_does_not_match(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n/\\bso then\\b/\n");
    match_list ml = {0};
    run(lx, "I said so. Then I left.", &ml, NULL);
    assert_int_equal(ml.n, 0);
    run(lx, "so then I left", &ml, NULL);
    assert_int_equal(ml.n, 1);
    test_check_match(&ml, 0, 0, 0, 0, 2);
    free(ml.m);
    lexicon_free(lx);
}

/* A prefilter literal that goes on past a word ("you\0to") is looked for
 * only where the next word starts with its next two bytes; one with a
 * single byte past the word ("i\0a") wherever the word is. */
static void test_literal_past_a_word(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n/\\byou to\\b/\n[b]\n/\\bi a\\b/\n");
    match_list ml = {0};
    run(lx, "you to me", &ml, NULL);
    assert_int_equal(ml.n, 1);
    test_check_match(&ml, 0, 0, 0, 0, 2);
    const char *none[] = {"you tell me", "you too", "you t", "thank you", "you", "i am", "i", "to you to"};
    for (size_t k = 0; k < sizeof none / sizeof none[0]; k++) {
        run(lx, none[k], &ml, NULL);
        assert_int_equal(ml.n, k + 1 == sizeof none / sizeof none[0] ? 1 : 0);
    }
    test_check_match(&ml, 0, 0, 0, 1, 3);   /* to(0) you(1) to(2) */
    run(lx, "so i a. i a", &ml, NULL);   /* so(0) i(1) a(2) | i(3) a(4) */
    assert_int_equal(ml.n, 2);
    test_check_match(&ml, 0, 1, 1, 1, 3);
    test_check_match(&ml, 1, 1, 1, 3, 5);
    free(ml.m);
    lexicon_free(lx);
}

/* A regex runs only in the sentences that hold a literal of each of its
 * clauses (those past the 63rd counted as one): the matches are where
 * they would be anyway. */
static void test_regex_needs_its_literals_in_one_sentence(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n/\\bnever\\b.*\\balways\\b/\n");
    match_list ml = {0};
    /* never(0) | always(1) | never(2) always(3) */
    run(lx, "Never. Always. Never always.", &ml, NULL);
    assert_int_equal(ml.n, 1);
    test_check_match(&ml, 0, 0, 0, 2, 4);
    char text[1024] = "";
    for (int i = 0; i < 66; i++) strcat(text, "x. ");
    strcat(text, "never. always. never, always. x");   /* words 66 to 70 */
    run(lx, text, &ml, NULL);
    assert_int_equal(ml.n, 1);
    test_check_match(&ml, 0, 0, 0, 68, 70);
    /* in sentence 62, the last with a bit of its own, and in sentence 63,
     * the first of those past it */
    for (int before = 62; before <= 63; before++) {
        text[0] = '\0';
        for (int i = 0; i < before; i++) strcat(text, "x. ");
        strcat(text, "never always");
        run(lx, text, &ml, NULL);
        assert_int_equal(ml.n, 1);
        test_check_match(&ml, 0, 0, 0, (uint32_t)before, (uint32_t)before + 2);
    }
    free(ml.m);
    lexicon_free(lx);
}

/* Phrases filed under their first two words, some second words longer than
 * eight bytes: a next word is looked up as a pair only when it may be one. */
static void test_pairs_and_next_words(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\nyou understand\nyou see it\nwe're together\n[b]\nyou\n");
    match_list ml = {0};
    /* you(0) understand(1) we're(2) together(3) you(4) understandably(5) you(6) see(7) it(8) you(9) */
    run(lx, "You understand we're together, you understandably. You see it, you", &ml, NULL);
    assert_int_equal(ml.n, 7);
    test_check_match(&ml, 0, 0, 0, 0, 2);
    test_check_match(&ml, 1, 0, 2, 2, 4);
    test_check_match(&ml, 2, 0, 1, 6, 9);
    const uint32_t you[] = {0, 4, 6, 9};
    for (size_t k = 0; k < 4; k++) test_check_match(&ml, 3 + k, 1, 3, you[k], you[k] + 1);
    free(ml.m);
    lexicon_free(lx);
}

/* A word list not made by words_split (no padding after its text) is
 * copied for the scan and hashed byte by byte: the same matches. */
static void test_word_list_made_by_hand(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n/\\bso then\\b/\n[b]\nthen\nso then now\n");
    char text[] = "so\0then\0now";
    word w[3] = {{0, 2, 0, 1, 0}, {3, 4, 0, 0, 0}, {8, 3, 0, 0, 0}};
    word_list wl = {0};
    wl.text = text;
    wl.text_len = sizeof text;
    wl.w = w;
    wl.n = 3;
    match_scratch *ms = match_scratch_new(lx);
    match_list ml = {0};
    lexicon_match(lx, &wl, ms, &ml, NULL, "s.txt", 1);
    assert_int_equal(ml.n, 2);
    test_check_match(&ml, 0, 0, 0, 0, 2);
    test_check_match(&ml, 1, 1, 2, 0, 3);   /* "so then now" is longer than "then" */
    free(ml.m);
    match_scratch_free(ms);
    lexicon_free(lx);
}

/* Past 64 anchored regexes the rest run without a sentence-start filter,
 * with the same results. */
static void test_more_anchored_regexes_than_start_bits(void **state)
{
    (void)state;
    char text[4096] = "[a]\n";
    for (int i = 1; i <= 70; i++) snprintf(text + strlen(text), sizeof text - strlen(text), "/^w%d\\b/\n", i);
    lexicon *lx = load_ok(text);
    match_list ml = {0};
    run(lx, "w69 x. w3 y. w70 w1", &ml, NULL);   /* w69(0) x(1) w3(2) y(3) w70(4) w1(5) */
    assert_int_equal(ml.n, 3);
    test_check_match(&ml, 0, 0, 68, 0, 1);
    test_check_match(&ml, 1, 0, 2, 2, 3);
    test_check_match(&ml, 2, 0, 69, 4, 5);
    free(ml.m);
    lexicon_free(lx);
}

/* Words are hashed a few bytes at a time: keys of 1 to 17 bytes, pairs of
 * them, and near misses differing only in their last byte. */
static void test_keys_of_every_length(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\na\n[b]\nabc\n[c]\nabcdefg\n[d]\nabcdefgh\n[e]\nabcdefghi\n"
                          "[f]\nabcdefghijklmnopq\n[g]\nabcdefgh abcdefghi\n[h]\nab abcdefghijklmnopq\n");
    match_list ml = {0};
    /* a(0) abc(1) abcdefg(2) abcdefgh(3) abcdefghi(4) abcdefghijklmnopq(5)
     * ab(6) abcdefghijklmnopq(7) abcdefghx(8) abcdefgha(9) abd(10)
     * abcdefghijklmnopr(11) abcdefgf(12) */
    run(lx, "a abc abcdefg abcdefgh abcdefghi abcdefghijklmnopq ab ABCDEFGHIJKLMNOPQ abcdefghx abcdefgha abd "
            "abcdefghijklmnopr abcdefgf", &ml, NULL);
    assert_int_equal(count_in(&ml, 0), 1);
    assert_int_equal(count_in(&ml, 1), 1);
    assert_int_equal(count_in(&ml, 2), 1);
    assert_int_equal(count_in(&ml, 3), 1);
    assert_int_equal(count_in(&ml, 4), 1);
    assert_int_equal(count_in(&ml, 5), 2);
    assert_int_equal(count_in(&ml, 6), 1);
    assert_int_equal(count_in(&ml, 7), 1);
    assert_int_equal(ml.n, 9);
    test_check_match(&ml, 4, 4, 4, 4, 5);
    test_check_match(&ml, 5, 5, 5, 5, 6);
    test_check_match(&ml, 6, 5, 5, 7, 8);
    test_check_match(&ml, 7, 6, 6, 3, 5);
    test_check_match(&ml, 8, 7, 7, 6, 8);
    free(ml.m);
    lexicon_free(lx);
}

/* Prefix rules are looked up at each prefix length a word has, short and
 * long ones alike. */
static void test_prefixes_of_every_length(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[p]\nadvis*\n[q]\na*\n[r]\nabcdefghi*\n");
    match_list ml = {0};
    /* advise(0) advis(1) adv(2) apple(3) abcdefghi(4) abcdefghijkl(5) abcdefgh(6) */
    run(lx, "advise advis adv apple abcdefghi abcdefghijkl abcdefgh", &ml, NULL);
    assert_int_equal(count_in(&ml, 0), 2);
    assert_int_equal(count_in(&ml, 1), 7);
    assert_int_equal(count_in(&ml, 2), 2);
    test_check_match(&ml, 0, 0, 0, 0, 1);
    test_check_match(&ml, 1, 0, 0, 1, 2);
    test_check_match(&ml, 9, 2, 2, 4, 5);
    test_check_match(&ml, 10, 2, 2, 5, 6);
    free(ml.m);
    lexicon_free(lx);
}

/* One scratch, many utterances: nothing of one utterance's candidates,
 * dropped regex matches or hashes is seen in the next. */
static void test_scratch_holds_nothing_over(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\nhello\n/\\bzq (a+)+$/\n[b]\nworld\nzq\n");
    word_list wl = {0};
    match_list ml = {0};
    diag_list d = {0};
    match_scratch *ms = match_scratch_new(lx);
    char slow[128] = "hello zq ";
    memset(slow + 9, 'a', 60);
    strcpy(slow + 69, "b");
    const char *texts[] = {"hello world", "world", slow, "zq aaa", "hello"};
    for (size_t t = 0; t < 5; t++) {
        ml.n = 0;
        words_split(texts[t], &wl);
        lexicon_match(lx, &wl, ms, &ml, &d, "s.txt", (long)t + 1);
        switch (t) {
        case 0:
            assert_int_equal(ml.n, 2);
            test_check_match(&ml, 0, 0, 0, 0, 1);
            test_check_match(&ml, 1, 1, 2, 1, 2);
            break;
        case 1:
            assert_int_equal(ml.n, 1);
            test_check_match(&ml, 0, 1, 2, 0, 1);
            break;
        case 2:   /* the regex gives up: its matches here are dropped, "hello" and "zq" stay */
            assert_int_equal(ml.n, 2);
            test_check_match(&ml, 0, 0, 0, 0, 1);
            test_check_match(&ml, 1, 1, 3, 1, 2);
            assert_int_equal(d.n, 1);
            test_check_diag(&d, 0, SEV_WARNING, "s.txt", 3,
                            "rule t.lex:3: regex gave up (match limit) on this utterance; the rule is "
                            "skipped here");
            break;
        case 3:
            assert_int_equal(ml.n, 2);
            test_check_match(&ml, 0, 0, 1, 0, 2);
            test_check_match(&ml, 1, 1, 3, 0, 1);
            break;
        default:
            assert_int_equal(ml.n, 1);
            test_check_match(&ml, 0, 0, 0, 0, 1);
            break;
        }
    }
    assert_int_equal(d.n, 1);
    match_scratch_free(ms);
    word_list_free(&wl);
    diag_free(&d);
    free(ml.m);
    lexicon_free(lx);
}

/* Match `text` with the scratch ms (kept across calls, as a worker thread
 * keeps it) and with a fresh one, and check both give the same matches;
 * returns how many there were. */
static size_t match_same_with_memo(const lexicon *lx, match_scratch *ms, const char *text)
{
    word_list wl = {0};
    match_list kept = {0}, fresh = {0};
    words_split(text, &wl);
    lexicon_match(lx, &wl, ms, &kept, NULL, "s.txt", 1);
    run(lx, text, &fresh, NULL);
    assert_int_equal(kept.n, fresh.n);
    for (size_t i = 0; i < kept.n; i++) {
        assert_int_equal(kept.m[i].category, fresh.m[i].category);
        assert_int_equal(kept.m[i].rule, fresh.m[i].rule);
        assert_int_equal(kept.m[i].first, fresh.m[i].first);
        assert_int_equal(kept.m[i].last, fresh.m[i].last);
    }
    size_t n = kept.n;
    free(kept.m);
    free(fresh.m);
    word_list_free(&wl);
    return n;
}

/* The word memo a match_scratch keeps: words met before (exact, prefix,
 * the regex literals that lie inside a word or go on past it, sentence
 * starts) match as on first sight, also after the memo was emptied by
 * more distinct words than it holds. */
static void test_word_memo_across_utterances_and_clearing(void **state)
{
    (void)state;
    /* the last rule has a filler run: its bits are in the memo too */
    lexicon *lx = load_ok("[a]\nadvis*\nyou should\n/\\btogether/\n/\\bi don't\\b/\n"
                          "[b]\n^so\n/^(?:so|and) you\\b/\n/^(?:(?:so|and) )+you\\b/\n");
    const char *text = "You should advise us. Togetherness, I don't. So you advised. I do not, so";
    match_scratch *ms = match_scratch_new(lx);
    match_list ml = {0};
    run(lx, text, &ml, NULL);
    /* words: you0 should1 advise2 us3 togetherness4 i5 don't6 so7 you8 advised9 i10 do11 not12 so13 */
    assert_int_equal(ml.n, 6);
    test_check_match(&ml, 0, 0, 1, 0, 2);    /* you should */
    test_check_match(&ml, 1, 0, 0, 2, 3);    /* advis* */
    test_check_match(&ml, 2, 0, 2, 4, 5);    /* /\btogether/ inside "togetherness" */
    test_check_match(&ml, 3, 0, 3, 5, 7);    /* /\bi don't\b/ ("i do not" is not) */
    test_check_match(&ml, 4, 0, 0, 9, 10);   /* advis* */
    test_check_match(&ml, 5, 1, 5, 7, 9);    /* "so you" outruns ^so; the last "so" starts no sentence */
    free(ml.m);
    for (int round = 0; round < 3; round++) assert_int_equal(match_same_with_memo(lx, ms, text), 6);
    char words[100 * 8];
    for (int u = 0; u < 200; u++) {   /* 20,000 distinct words: more than the memo holds */
        char *o = words;
        for (int k = 0; k < 100; k++) o += sprintf(o, "w%05d ", u * 100 + k);
        assert_int_equal(match_same_with_memo(lx, ms, words), 0);
        if (u % 50 == 0) assert_int_equal(match_same_with_memo(lx, ms, text), 6);
    }
    assert_int_equal(match_same_with_memo(lx, ms, text), 6);
    assert_int_equal(match_same_with_memo(lx, ms, "advisory together so you"), 2);
    match_scratch_free(ms);
    lexicon_free(lx);
}

/* A list made by hand (split 0) of the n words (lens bytes each, which
 * may be any but NUL) into w and text (text_cap bytes, zeroed): each word
 * and a NUL, then at least 8 NULs; the first word starts a sentence. */
static word_list hand_list(const char *const *words, const size_t *lens, size_t n, word *w, char *text,
                           size_t text_cap)
{
    size_t at = 0;
    for (size_t k = 0; k < n; k++) {
        assert_true(at + lens[k] + 1 + 8 <= text_cap);
        memcpy(text + at, words[k], lens[k]);
        w[k] = (word){.off = (uint32_t)at, .len = (uint32_t)lens[k], .sentence_start = k == 0};
        at += lens[k] + 1;
    }
    return (word_list){.text = text, .text_len = at, .text_cap = text_cap, .w = w, .n = n, .cap = n};
}

/* The memo tells a word of 9 to 16 bytes by its hash, its length and its
 * first 8 bytes (memo_holds): a word made to share the hash of a 16-byte
 * rule word (hash_mid undone from its first 8 bytes on) is not taken for
 * it, however often both are met in one scratch. */
static void test_memo_tells_mid_words_of_one_hash_apart(void **state)
{
    (void)state;
    const char *rule_word = "abcdefghijklmnop";
    uint64_t h = hash_mid(rule_word, 16), h1 = h ^ (h >> 32), inverse = HASH_MUL2;
    for (int k = 0; k < 6; k++) inverse *= 2 - HASH_MUL2 * inverse;   /* Newton: HASH_MUL2's inverse mod 2^64 */
    assert_true(HASH_MUL2 * inverse == 1);
    char twin[17] = "bbcdefgh";
    uint64_t first = load64(twin), last = (h1 * inverse) ^ ((first ^ (HASH_SEED + 16)) * HASH_MUL1);
    memcpy(twin + 8, &last, 8);
    assert_true(hash_mid(twin, 16) == h);
    assert_memory_not_equal(twin, rule_word, 16);
    lexicon *lx = load_ok("[a]\nabcdefghijklmnop\n");
    /* rule(0) twin(1) rule(2) twin(3) */
    const char *words[] = {rule_word, twin, rule_word, twin};
    const size_t lens[] = {16, 16, 16, 16};
    char text[4 * 17 + 8] = {0};
    word w[4];
    word_list wl = hand_list(words, lens, 4, w, text, sizeof text);
    match_scratch *ms = match_scratch_new(lx);
    match_list ml = {0};
    for (int round = 0; round < 3; round++) {
        ml.n = 0;
        lexicon_match(lx, &wl, ms, &ml, NULL, "s.txt", 1);
        assert_int_equal(ml.n, 2);
        test_check_match(&ml, 0, 0, 0, 0, 1);
        test_check_match(&ml, 1, 0, 0, 2, 3);
    }
    match_scratch_free(ms);
    free(ml.m);
    lexicon_free(lx);
}

/* The inverse of an odd number modulo 2^64 (Newton's iteration). */
static uint64_t inverse_odd(uint64_t m)
{
    uint64_t x = m;
    for (int k = 0; k < 6; k++) x *= 2 - m * x;
    return x;
}

/* x from y = x ^ (x >> shift). */
static uint64_t undo_xorshift(uint64_t y, unsigned shift)
{
    uint64_t x = y;
    for (unsigned k = 0; k < 64 / shift + 1; k++) x = y ^ (x >> shift);
    return x;
}

/* x from hash_finish(x). */
static uint64_t undo_hash_finish(uint64_t h)
{
    uint64_t x = undo_xorshift(h, 31) * inverse_odd(HASH_MUL2);
    x = undo_xorshift(x, 27) * inverse_odd(HASH_MUL1);
    return undo_xorshift(x, 30);
}

/* find_pair tells two pairs of short words of one pair hash apart by the
 * first word (its key_head in the slot): "abd" and 8 bytes made so that
 * the pair's hash is that of "abc defghijk" are not that phrase, though
 * "abd" files a phrase too, whose second word shares the made one's bit
 * in the pair filter. */
static void test_pairs_of_one_hash_told_apart(void **state)
{
    (void)state;
    uint64_t pair = hash_pair(hash_bytes("abc", 3), hash_bytes("defghijk", 8));
    char first[4] = "abd", second[9] = {0};
    uint64_t bytes = 0;
    for (;; first[2]++) {   /* a first word whose made second word has no NUL */
        uint64_t h2 = ((undo_hash_finish(pair) ^ hash_bytes(first, 3)) - HASH_SEED) * inverse_odd(HASH_MUL1);
        bytes = (undo_xorshift(h2, 32) * inverse_odd(HASH_MUL1)) ^ (HASH_SEED + 8);
        memcpy(second, &bytes, 8);
        if (!memchr(second, 0, 8)) break;
    }
    assert_true(hash_pair(hash_bytes(first, 3), hash_bytes(second, 8)) == pair);
    /* a word with the made one's pair_bit, for a phrase of the first word */
    char other[9] = "qaaaaaaa";
    while (pair_bit(hash_bytes(other, 8)) != pair_bit(hash_bytes(second, 8)))
        for (int k = 7; k > 0 && ++other[k] > 'z'; k--) other[k] = 'a';
    char rules[64];
    snprintf(rules, sizeof rules, "[a]\nabc defghijk\n%s %s\n", first, other);
    lexicon *lx = load_ok(rules);
    /* made(0) made(1) phrase(2,3) other(4,5) */
    const char *words[] = {first, second, "abc", "defghijk", first, other};
    const size_t lens[] = {3, 8, 3, 8, 3, 8};
    char text[6 * 9 + 8] = {0};
    word w[6];
    word_list wl = hand_list(words, lens, 6, w, text, sizeof text);
    match_scratch *ms = match_scratch_new(lx);
    match_list ml = {0};
    lexicon_match(lx, &wl, ms, &ml, NULL, "s.txt", 1);
    assert_int_equal(ml.n, 2);
    test_check_match(&ml, 0, 0, 0, 2, 4);
    test_check_match(&ml, 1, 0, 1, 4, 6);
    match_scratch_free(ms);
    free(ml.m);
    lexicon_free(lx);
}

/* The memo finds a word of up to 8 bytes by its hash and length alone:
 * every three-letter word (half of them rules), the 8-byte words one
 * letter apart and words beyond ASCII, met again and again in one scratch
 * (emptied on the way), match only as themselves. The regex makes the
 * memo keep the literals at words too, as the bundled lexicons do. */
static void test_memo_tells_short_words_apart(void **state)
{
    (void)state;
    char *rules = xmalloc(26 * 26 * 13 * 4 + 64), *r = rules + sprintf(rules, "[a]\nzz9\n");
    for (char a = 'a'; a <= 'z'; a++)
        for (char b = 'a'; b <= 'z'; b++)
            for (char c = 'a'; c <= 'z'; c++)
                if ((a + b + c) % 2 == 0) r += sprintf(r, "%c%c%c\n", a, b, c);
    strcpy(r, "[b]\nabcdefgh\n[c]\ncaf\xC3\xA9\n/\\bzzzz\\b/\n");
    lexicon *lx = load_ok(rules);
    free(rules);
    match_scratch *ms = match_scratch_new(lx);
    char words[26 * 26 * 4 + 8], eights[27 * 9 + 1];
    char *o = eights;
    for (char c = 'a'; c <= 'z'; c++) o += sprintf(o, "abcdefg%c ", c);
    strcpy(o, "abcdefgh");
    for (int round = 0; round < 2; round++) {
        for (char a = 'a'; a <= 'z'; a++) {   /* 676 words an utterance, 13 * 26 of them rules */
            o = words;
            for (char b = 'a'; b <= 'z'; b++)
                for (char c = 'a'; c <= 'z'; c++) o += sprintf(o, "%c%c%c ", a, b, c);
            strcpy(o, "zzzz");
            assert_int_equal(match_same_with_memo(lx, ms, words), 26 * 13 + 1);
        }
        assert_int_equal(match_same_with_memo(lx, ms, eights), 2);   /* abcdefgh twice */
        assert_int_equal(match_same_with_memo(lx, ms, "caf\xC3\xA9 caf\xC3\xA8 cafe CAF\xC3\x89 zz9 zz8 z"), 3);
    }
    match_list ml = {0};
    run(lx, "zy aab zz9 abcdefgh abcdefgi caf\xC3\xA9 caf\xC3\xA8", &ml, NULL);
    assert_int_equal(ml.n, 4);
    test_check_match(&ml, 0, 0, 1, 1, 2);   /* aab, the first three-letter rule */
    test_check_match(&ml, 1, 0, 0, 2, 3);   /* zz9 */
    test_check_match(&ml, 2, 1, 26 * 26 * 13 + 1, 3, 4);
    test_check_match(&ml, 3, 2, 26 * 26 * 13 + 2, 5, 6);
    free(ml.m);
    match_scratch_free(ms);
    lexicon_free(lx);
}

/* Exception regexes run for each category that has them and candidates,
 * past the first 64 categories too, and only there. */
static void test_exception_regexes_in_many_categories(void **state)
{
    (void)state;
    char text[70 * 32];
    char *o = text;
    for (int c = 0; c < 70; c++) {
        o += sprintf(o, "[c%02d]\nhello\n", c);
        if (c == 3 || c == 66) o += sprintf(o, "! /hello world/\n");
    }
    lexicon *lx = load_ok(text);
    match_list ml = {0};
    run(lx, "hello world hello", &ml, NULL);   /* hello(0) world(1) hello(2) */
    assert_int_equal(ml.n, 68 * 2 + 2);
    for (size_t i = 0, k = 0; i < ml.n; i++, k++) {
        uint32_t cat = ml.m[i].category;
        assert_int_equal(ml.m[i].first, cat == 3 || cat == 66 ? 2 : k % 2 == 0 ? 0 : 2);
        if (cat == 3 || cat == 66) k++;
    }
    run(lx, "world", &ml, NULL);
    assert_int_equal(ml.n, 0);
    free(ml.m);
    lexicon_free(lx);
}

/* An utterance of more words than the memo holds gets a table of its own
 * size, let go when the memo is next emptied: matches stay as on first
 * sight before, during and after, and with the smaller table that follows. */
static void test_word_memo_after_a_long_utterance(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\nadvis*\nyou should\n/\\btogether/\n[b]\n^so\n/^(?:so|and) you\\b/\n");
    const char *text = "You should advise us. Togetherness. So you advised.";
    match_scratch *ms = match_scratch_new(lx);
    assert_int_equal(match_same_with_memo(lx, ms, text), 5);
    /* 30,000 words: "you should" 10,000 times, each after a distinct word */
    char *long_text = xmalloc(10000 * 18 + 1), *o = long_text;
    for (int k = 0; k < 10000; k++) o += sprintf(o, "x%05d you should ", k);
    assert_int_equal(match_same_with_memo(lx, ms, long_text), 10000);
    free(long_text);
    assert_int_equal(match_same_with_memo(lx, ms, text), 5);
    char words[100 * 8];
    for (int u = 0; u < 200; u++) {   /* 20,000 distinct words: the memo is emptied */
        char *w = words;
        for (int k = 0; k < 100; k++) w += sprintf(w, "w%05d ", u * 100 + k);
        assert_int_equal(match_same_with_memo(lx, ms, words), 0);
        if (u % 50 == 0) assert_int_equal(match_same_with_memo(lx, ms, text), 5);
    }
    assert_int_equal(match_same_with_memo(lx, ms, text), 5);
    match_scratch_free(ms);
    lexicon_free(lx);
}

/* An utterance of more words than the memo holds (16,384) is matched
 * without it, with the same results: 4,000 repetitions of a sentence of
 * five words, each giving "you should", the regex and "^so". */
static void test_utterance_longer_than_the_memo(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\nyou should\n/\\btogether\\b/\n[b]\n^so\n/^so you try\\b/\n");
    char *text = repeated("So you should try together. ", 4000);
    match_list ml = {0};
    run(lx, text, &ml, NULL);
    assert_int_equal(ml.n, 12000);
    test_check_match(&ml, 0, 0, 0, 1, 3);          /* you should */
    test_check_match(&ml, 1, 0, 1, 4, 5);          /* together */
    test_check_match(&ml, 7999, 0, 1, 19999, 20000);
    test_check_match(&ml, 8000, 1, 2, 0, 1);       /* ^so; the anchored regex never matches */
    test_check_match(&ml, 11999, 1, 2, 19995, 19996);
    free(ml.m);
    /* and a scratch that met shorter utterances first gives the same */
    match_scratch *ms = match_scratch_new(lx);
    assert_int_equal(match_same_with_memo(lx, ms, "so you should try together"), 3);
    assert_int_equal(match_same_with_memo(lx, ms, text), 12000);
    assert_int_equal(match_same_with_memo(lx, ms, "so you should try together"), 3);
    match_scratch_free(ms);
    free(text);
    lexicon_free(lx);
}

/* An utterance longer than the memo is matched word by word without it,
 * in any order too: a one-word category ([c]: "you" by two rules, and
 * "should") and one with a phrase ([d]: "try together" covers its "try")
 * give the same matches either way (run() compares them). */
static void test_any_order_past_the_memo(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[c]\nyou\nyo*\nshould\n[d]\ntry\ntry together\n");
    char *text = repeated("So you should try together. ", 4000);
    match_list ml = {0};
    run(lx, text, &ml, NULL);
    assert_int_equal(ml.n, 12000);
    test_check_match(&ml, 0, 0, 0, 1, 2);          /* you, by the first rule */
    test_check_match(&ml, 1, 0, 2, 2, 3);          /* should */
    test_check_match(&ml, 8000, 1, 4, 3, 5);       /* try together */
    test_check_match(&ml, 11999, 1, 4, 19998, 20000);
    free(ml.m);
    free(text);
    lexicon_free(lx);
}

/* ---- categories chosen as they are found ---- */

/* A category with no exceptions and no regexes is selected while its
 * candidates are found, and its single words (not anchored, no conditions)
 * come straight from the word memo. Rules are numbered from 0 across
 * categories; [b] has an exception, so it goes the general way. */
static void test_streamed_category(void **state)
{
    (void)state;
    lexicon *lx = load_ok("[a]\n^your\nyou\nyo*\nyour\nyou know\nknow\n"
                          "[b]\n\xC3\xA9motion\nyou\n! zzqq\n");
    match_list ml = {0};
    /* you0 know1 your2 you3 | your4 yokel5 émotion6 you7 */
    run(lx, "You know, your you. Your yokel \xC3\x89motion you", &ml, NULL);
    assert_int_equal(ml.n, 10);
    test_check_match(&ml, 0, 0, 4, 0, 2);   /* "you know" outruns you and yo* */
    test_check_match(&ml, 1, 0, 2, 2, 3);   /* yo* is before your; ^your needs a sentence start */
    test_check_match(&ml, 2, 0, 1, 3, 4);   /* you before yo* */
    test_check_match(&ml, 3, 0, 0, 4, 5);   /* ^your, found after the direct yo* and your */
    test_check_match(&ml, 4, 0, 2, 5, 6);
    test_check_match(&ml, 5, 0, 1, 7, 8);   /* the last word: "you know" cannot start there */
    test_check_match(&ml, 6, 1, 7, 0, 1);
    test_check_match(&ml, 7, 1, 7, 3, 4);
    test_check_match(&ml, 8, 1, 6, 6, 7);
    test_check_match(&ml, 9, 1, 7, 7, 8);
    run(lx, "", &ml, NULL);
    assert_int_equal(ml.n, 0);
    run(lx, "[laughs] zzqq", &ml, NULL);
    assert_int_equal(ml.n, 0);
    free(ml.m);
    lexicon_free(lx);
}

/* The same rules with and without a never-matching exception in every
 * category (which takes each category the general way: candidates sorted,
 * then selected) give the same matches; the exceptions' rule numbers come
 * after all others. Both lexicons are built by `build`. */
typedef void (*lexicon_builder)(lexicon *lx, int with_exceptions);

static void assert_streamed_as_general(lexicon_builder build, const char *const *texts, size_t ntexts)
{
    lexicon *fast = lexicon_new(), *general = lexicon_new();
    diag_list d = {0};
    build(fast, 0);
    build(general, 1);
    assert_int_equal(lexicon_finish(fast, &d), 0);
    assert_int_equal(lexicon_finish(general, &d), 0);
    assert_int_equal(d.n, 0);
    match_scratch *ms = match_scratch_new(fast);
    for (size_t t = 0; t < ntexts; t++) {
        match_list a = {0}, b = {0};
        word_list wl = {0};
        words_split(texts[t], &wl);
        lexicon_match(fast, &wl, ms, &a, NULL, "s.txt", 1);   /* one scratch: the memo too */
        run(general, texts[t], &b, NULL);
        assert_int_equal(a.n, b.n);
        for (size_t i = 0; i < a.n; i++)
            test_check_match(&b, i, a.m[i].category, a.m[i].rule, a.m[i].first, a.m[i].last);
        free(a.m);
        free(b.m);
        word_list_free(&wl);
    }
    match_scratch_free(ms);
    diag_free(&d);
    lexicon_free(fast);
    lexicon_free(general);
}

static void build_overlapping(lexicon *lx, int with_exceptions)
{
    diag_list d = {0};
    const char *text = "[a]\nyou\nyou know\nyou know what\nknow what i mean\nwhat\nwh*\n^what\ni\ni*\n"
                       "[b]\nkind of\nkind\nof\nsort of\nkind of sort\n\xC3\xA9*\n"
                       "[c]\nthe\na\nan\nthe end\nen*\nend\n";
    assert_int_equal(lexicon_load_text(lx, "t.lex", text, strlen(text), &d), 0);
    /* single words with conditions: checked at the word, in a streamed category */
    const char *const near[] = {"i"};
    rule_conditions after_i = {.side = -1, .near = near, .n_near = 1, .note = "(after i)"};
    rule_conditions not_after_i = {.side = -1, .negated = 1, .near = near, .n_near = 1, .note = "(not after i)"};
    assert_int_equal(lexicon_add_rule_if(lx, "c", "mean", &after_i, "c.src", 1, &d), 0);
    assert_int_equal(lexicon_add_rule_if(lx, "c", "me*", &not_after_i, "c.src", 2, &d), 0);
    if (with_exceptions) {
        const char *never = "[a]\n! zzqq\n[b]\n! zzqq\n[c]\n! /zzqq/\n";
        assert_int_equal(lexicon_load_text(lx, "x.lex", never, strlen(never), &d), 0);
    }
    assert_int_equal(d.n, 0);
    diag_free(&d);
}

static void test_streamed_categories_match_as_the_general_way(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "You know what I mean? What I mean, you know. I mean it, me, meaning.",
        "kind of sort of kind of sort. Kind of. Sort of kind",
        "What. What what you know what i mean the end",
        "the the end end a an \xC3\xA9motion \xC3\xA9t\xC3\xA9 I I'm i-i",
        "you", "", "[inaudible]", "you know what i mean", "mean me i mean",
    };
    assert_streamed_as_general(build_overlapping, texts, sizeof texts / sizeof texts[0]);
    /* 1,210 words, then a short text on the same scratch, which must find
     * no streamed category's end left from the long one (cat_end); 22,000
     * words: more than the word memo holds (16,384), matched without it */
    const char *sentence = "What I mean, you know what, kind of the end me. ";
    size_t n = strlen(sentence);
    char *text = repeated(sentence, 2000);
    char *middle = xstrndup(text, 110 * n);
    const char *const long_text[] = {middle, texts[0], text, texts[0]};
    assert_streamed_as_general(build_overlapping, long_text, 4);
    free(middle);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phrase_matches_whole_words_case_insensitively),
        cmocka_unit_test(test_prefix_word),
        cmocka_unit_test(test_prefixes_of_several_lengths),
        cmocka_unit_test(test_rule_words_normalised_like_the_tokenizer),
        cmocka_unit_test(test_phrase_crosses_sentence_punctuation),
        cmocka_unit_test(test_anchor_needs_sentence_start),
        cmocka_unit_test(test_regex_per_sentence),
        cmocka_unit_test(test_anchored_regex_once_a_sentence),
        cmocka_unit_test(test_regex_covers_every_word_it_touches),
        cmocka_unit_test(test_regex_finds_every_match_and_handles_utf8),
        cmocka_unit_test(test_regex_literals_contained_in_others),
        cmocka_unit_test(test_catastrophic_regex_gives_up_with_warning),
        cmocka_unit_test(test_regex_give_up_drops_its_earlier_matches),
        cmocka_unit_test(test_regex_failure_warns_and_goes_on),
        cmocka_unit_test(test_exception_blocks_overlapping_matches),
        cmocka_unit_test(test_regex_and_anchored_exceptions),
        cmocka_unit_test(test_leftmost_longest),
        cmocka_unit_test(test_streamed_category),
        cmocka_unit_test(test_streamed_categories_match_as_the_general_way),
        cmocka_unit_test(test_overlapping_matches_in_two_categories_both_count),
        cmocka_unit_test(test_any_order_streamed_categories_as_found),
        cmocka_unit_test(test_scratch_reuse_across_utterances),
        cmocka_unit_test(test_exception_regex_after_the_prefilter_is_skipped),
        cmocka_unit_test(test_more_filler_regexes_than_slots),
        cmocka_unit_test(test_word_memo_across_utterances_and_clearing),
        cmocka_unit_test(test_utterance_longer_than_the_memo),
        cmocka_unit_test(test_any_order_past_the_memo),
        cmocka_unit_test(test_word_memo_after_a_long_utterance),
        cmocka_unit_test(test_memo_tells_short_words_apart),
        cmocka_unit_test(test_memo_tells_mid_words_of_one_hash_apart),
        cmocka_unit_test(test_pairs_of_one_hash_told_apart),
        cmocka_unit_test(test_exception_regexes_in_many_categories),
        cmocka_unit_test(test_match_before_finish_is_empty),
        cmocka_unit_test(test_phrase_index_by_first_two_words),
        cmocka_unit_test(test_phrase_next_word_quick_test),
        cmocka_unit_test(test_pair_phrases_by_the_third_word),
        cmocka_unit_test(test_regex_prefilter_never_changes_matches),
        cmocka_unit_test(test_regex_prefilter_skips_regexes_that_cannot_match),
        cmocka_unit_test(test_regex_filler_run_skips_sentences),
        cmocka_unit_test(test_regex_filler_run_needs_its_second_word),
        cmocka_unit_test(test_regex_filler_run_decided_by_words),
        cmocka_unit_test(test_regex_literals_past_a_word_by_bucket),
        cmocka_unit_test(test_exception_regex_runs_only_near_counted_matches),
        cmocka_unit_test(test_many_candidates_come_out_in_order),
        cmocka_unit_test(test_empty_lexicon_and_empty_utterance),
        cmocka_unit_test(test_categories_order_descriptions_and_ids),
        cmocka_unit_test(test_bom_and_crlf),
        cmocka_unit_test(test_duplicate_rules_warn),
        cmocka_unit_test(test_unmatchable_word_warns),
        cmocka_unit_test(test_error_rule_before_category),
        cmocka_unit_test(test_error_bad_category_headers),
        cmocka_unit_test(test_error_bad_regex),
        cmocka_unit_test(test_error_unknown_directive),
        cmocka_unit_test(test_error_exceptions_and_anchors),
        cmocka_unit_test(test_error_star_placement),
        cmocka_unit_test(test_every_error_reported),
        cmocka_unit_test(test_folder_loads_lex_files_by_name),
        cmocka_unit_test(test_folder_without_lex_files),
        cmocka_unit_test(test_missing_path),
        cmocka_unit_test(test_load_text_records_file_and_checksum),
        cmocka_unit_test(test_binary_lexicon_refused),
        cmocka_unit_test(test_regex_literal_inside_a_word),
        cmocka_unit_test(test_anchored_regex_sentence_starts),
        cmocka_unit_test(test_literal_across_sentences_does_not_match),
        cmocka_unit_test(test_literal_past_a_word),
        cmocka_unit_test(test_regex_needs_its_literals_in_one_sentence),
        cmocka_unit_test(test_pairs_and_next_words),
        cmocka_unit_test(test_word_list_made_by_hand),
        cmocka_unit_test(test_more_anchored_regexes_than_start_bits),
        cmocka_unit_test(test_keys_of_every_length),
        cmocka_unit_test(test_prefixes_of_every_length),
        cmocka_unit_test(test_scratch_holds_nothing_over),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
