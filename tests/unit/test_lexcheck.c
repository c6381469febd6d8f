/* test_lexcheck.c: dyad lexicon check's findings (shadowed and redundant
 * rules, exceptions that never apply), its counts over a corpus, and its
 * CSV. */
#include "testutil.h"
#include "analysis/dic.h"
#include "analysis/lexicon.h"
#include "lexcheck/lexcheck.h"

#include <stdlib.h>

/* ---- helpers ---- */

static lexicon *load_lex(const char *name, const char *text)
{
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(lexicon_load_text(lx, name, text, strlen(text), &d), 0);
    assert_int_equal(d.n, 0);
    diag_free(&d);
    return lx;
}

/* The findings for the rules of `text` (as t.lex), one "LINE: message" per
 * line. */
static char *findings_of(lexicon *lx)
{
    assert_int_equal(lexicon_finish(lx, NULL), 0);
    diag_list d = {0};
    size_t n = lexcheck_overlaps(lx, &d);
    assert_int_equal(n, d.n);
    buf out = {0};
    for (size_t i = 0; i < d.n; i++) {
        assert_int_equal(d.items[i].sev, SEV_WARNING);
        buf_addf(&out, "%s:%ld: %s\n", d.items[i].source, d.items[i].line, d.items[i].message);
    }
    diag_free(&d);
    return buf_take(&out);
}

static void assert_findings(const char *lex, const char *expected)
{
    lexicon *lx = load_lex("t.lex", lex);
    char *got = findings_of(lx);
    assert_string_equal(got, expected);
    free(got);
    lexicon_free(lx);
}

/* ---- shadowed and redundant rules ---- */

static void test_exact_word_after_its_prefix_is_shadowed(void **state)
{
    (void)state;
    assert_findings("[directive]\nadvic*\nadvice\n",
                    "t.lex:3: rule 'advice' is shadowed by 'advic*' (t.lex:2) in [directive]: it never counts; "
                    "delete it\n");
}

static void test_exact_word_before_its_prefix_is_redundant(void **state)
{
    (void)state;
    assert_findings("[directive]\nadvice\nadvic*\n",
                    "t.lex:2: rule 'advice' is redundant with 'advic*' (t.lex:3) in [directive]: that rule "
                    "matches everything it matches; delete it\n");
}

static void test_longer_prefix_and_phrases(void **state)
{
    (void)state;
    /* "you need" and "^you need" are covered by "you ne*" word by word;
     * "you need to" has more words; "you*" (line 6) comes after and covers
     * neither two-word phrase; "yourself" is covered by "you*", later */
    assert_findings("[d]\nyou ne*\nyou need to\nyou need\n^you need\nyou*\nyou needed it\n[e]\nyourself\nyou*\n",
                    "t.lex:4: rule 'you need' is shadowed by 'you ne*' (t.lex:2) in [d]: it never counts; "
                    "delete it\n"
                    "t.lex:5: rule '^you need' is shadowed by 'you ne*' (t.lex:2) in [d]: it never counts; "
                    "delete it\n"
                    "t.lex:9: rule 'yourself' is redundant with 'you*' (t.lex:10) in [e]: that rule matches "
                    "everything it matches; delete it\n");
}

static void test_anchors(void **state)
{
    (void)state;
    /* "^try" covers only sentence starts: it does not cover "try" (line 3);
     * "try" covers "^try" (line 5, later: shadowed) */
    assert_findings("[d]\n^try\ntry\n[e]\ntry\n^try\n",
                    "t.lex:2: rule '^try' is redundant with 'try' (t.lex:3) in [d]: that rule matches "
                    "everything it matches; delete it\n"
                    "t.lex:6: rule '^try' is shadowed by 'try' (t.lex:5) in [e]: it never counts; delete it\n");
}

static void test_nothing_across_categories_regexes_or_unrelated_words(void **state)
{
    (void)state;
    assert_findings("[a]\nadvic*\n[b]\nadvice\n[c]\n/advice/\nadvice\nadvis*\nadv\n", "");
}

/* A .dic's rules are not compared with each other: its exact entries next
 * to stems are how LIWC chooses categories. */
static void test_rules_of_one_dic_not_compared(void **state)
{
    (void)state;
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    const char dic[] = "%\n1 a\n%\ncare* 1\ncare 1\n";
    assert_int_equal(dic_load_text(lx, "x/t.dic", dic, strlen(dic), &d), 0);
    assert_int_equal(d.n, 0);
    char *got = findings_of(lx);
    assert_string_equal(got, "");
    free(got);
    lexicon_free(lx);
}

/* A rule with conditions matches less than its words: it can be covered,
 * but covers nothing. */
static void test_conditional_rules(void **state)
{
    (void)state;
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    const char *const near[] = {"i"};
    rule_conditions after_i = {.side = -1, .near = near, .n_near = 1, .note = "(after i)"};
    assert_int_equal(lexicon_add_rule_if(lx, "x", "like", &after_i, "a.src", 1, &d), 0);
    assert_int_equal(lexicon_add_rule(lx, "x", NULL, "like", "b.src", 2, &d), 0);
    assert_int_equal(lexicon_add_rule(lx, "y", NULL, "like", "b.src", 3, &d), 0);
    assert_int_equal(lexicon_add_rule_if(lx, "y", "like", &after_i, "a.src", 4, &d), 0);
    assert_int_equal(d.n, 0);
    char *got = findings_of(lx);
    assert_string_equal(got,
                        "a.src:1: rule 'like (after i)' is redundant with 'like' (b.src:2) in [x]: that rule "
                        "matches everything it matches; delete it\n"
                        "a.src:4: rule 'like (after i)' is shadowed by 'like' (b.src:3) in [y]: it never counts; "
                        "delete it\n");
    free(got);
    lexicon_free(lx);
}

/* ---- exceptions ---- */

static void test_exceptions_that_never_apply(void **state)
{
    (void)state;
    /* "you shouldn't" can share no word with "you should" (same start: the
     * second words differ; other shifts pair different words); "should you"
     * overlaps "you should" in "you should you"; "not*" matches no rule word;
     * [f] has no rule at all; [g] has a regex, so nothing is known */
    assert_findings("[d]\nyou should\n! you shouldn't\n! should you\n! not*\n[f]\n! x\n[g]\n/x/\n! y\n",
                    "t.lex:3: exception '! you shouldn't' never applies: no rule of [d] can match a word it "
                    "covers; delete it\n"
                    "t.lex:5: exception '! not*' never applies: no rule of [d] can match a word it covers; "
                    "delete it\n"
                    "t.lex:7: exception '! x' never applies: no rule of [f] can match a word it covers; delete "
                    "it\n");
}

static void test_exceptions_with_prefixes_apply(void **state)
{
    (void)state;
    /* prefixes meet exact words and each other in both directions, and a
     * rule may start inside the exception or before it */
    assert_findings("[d]\nsure*\nfeel better\n! surely not\n! i feel\n! we feel* better\n! sur*\n! better off\n",
                    "");
    /* "feel* of" could match "feeling of", but no rule word meets "of", and
     * "feel better" would need "better" where "of" is */
    assert_findings("[d]\nsure*\nfeel better\n! feel* of\n",
                    "t.lex:4: exception '! feel* of' never applies: no rule of [d] can match a word it covers; "
                    "delete it\n");
}

/* ---- counting a corpus ---- */

static void test_count_corpus(void **state)
{
    (void)state;
    char *dir = test_tmpdir("lexcheck");
    /* a.txt: you(0) should(1) rest(2) your(3) plan(4) | you should not say that
     * b.vtt: you should go; your* counts "yours" */
    test_write_file(dir, "a.txt",
                    "THERAPIST: You should rest. Your plan?\nCLIENT: You should not say that.\n");
    test_write_file(dir, "b.vtt",
                    "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Therapist>You should go, yours.\n");
    lexicon *lx = load_lex("t.lex", "[you]\nyou\nyour*\n[d]\nyou should\n! you should not\nnever said\n");
    assert_int_equal(lexicon_finish(lx, NULL), 0);
    size_t fired[5] = {0};
    corpus_totals t = {0};
    diag_list d = {0};
    corpus_options opt = {0};
    const char *paths[] = {dir, "/nonexistent/corpus"};
    lexcheck_count(lx, paths, 2, &opt, fired, &t, &d);
    /* you: 2 in a.txt, 1 in b.vtt; your*: your, yours; "you should": a.txt
     * once (the client's overlaps the exception), b.vtt once */
    assert_int_equal(fired[0], 3);
    assert_int_equal(fired[1], 2);
    assert_int_equal(fired[2], 2);
    assert_int_equal(fired[3], 0);
    assert_int_equal(fired[4], 0);
    assert_int_equal(t.files, 2);
    assert_int_equal(t.files_failed, 0);
    assert_int_equal(t.sessions, 2);
    assert_int_equal(t.utterances, 3);
    assert_int_equal(t.words, 14);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.items[0].sev, SEV_ERROR);
    assert_string_equal(d.items[0].source, "/nonexistent/corpus");
    assert_string_equal(d.items[0].message, "no such file or folder: No such file or directory");
    /* the CSV: exceptions have no count */
    buf out = {0};
    lexcheck_csv(&out, lx, fired);
    assert_string_equal(buf_str(&out), "rule,category,text,fired\n"
                                       "t.lex:2,you,you,3\n"
                                       "t.lex:3,you,your*,2\n"
                                       "t.lex:5,d,you should,2\n"
                                       "t.lex:6,d,! you should not,\n"
                                       "t.lex:7,d,never said,0\n");
    buf_clear(&out);
    lexcheck_csv(&out, lx, NULL);
    assert_string_equal(buf_str(&out), "rule,category,text,fired\n"
                                       "t.lex:2,you,you,\n"
                                       "t.lex:3,you,your*,\n"
                                       "t.lex:5,d,you should,\n"
                                       "t.lex:6,d,! you should not,\n"
                                       "t.lex:7,d,never said,\n");
    buf_free(&out);
    diag_free(&d);
    lexicon_free(lx);
    test_remove_tree(dir);
    free(dir);
}

static void test_count_reports_unreadable_transcript(void **state)
{
    (void)state;
    char *dir = test_tmpdir("lexcheck");
    test_write_file(dir, "empty.txt", "");
    char *empty = test_path(dir, "empty.txt");
    lexicon *lx = load_lex("t.lex", "[you]\nyou\n");
    assert_int_equal(lexicon_finish(lx, NULL), 0);
    size_t fired[1] = {0};
    corpus_totals t = {0};
    diag_list d = {0};
    corpus_options opt = {0};
    const char *paths[] = {empty};
    lexcheck_count(lx, paths, 1, &opt, fired, &t, &d);
    assert_int_equal(t.files, 1);
    assert_int_equal(t.files_failed, 1);
    assert_int_equal(diag_count(&d, SEV_ERROR), 1);
    assert_string_equal(d.items[0].source, empty);
    assert_string_equal(d.items[0].message, "the file is empty");
    diag_free(&d);
    lexicon_free(lx);
    test_remove_tree(dir);
    free(empty);
    free(dir);
}

/* Reports list rules by file and line; a .dic's rules are made most
 * specific entry first, so this differs from rule order. */
static void test_csv_lists_rules_by_file_and_line(void **state)
{
    (void)state;
    lexicon *lx = load_lex("a.lex", "[x]\nhello\n");
    diag_list d = {0};
    const char dic[] = "%\n1 a\n%\ncare* 1\ncare 1\nfor you 1\n";
    assert_int_equal(dic_load_text(lx, "b.dic", dic, strlen(dic), &d), 0);
    assert_int_equal(d.n, 0);
    assert_string_equal(lexicon_rule_id(lx, 3), "b.dic:4");   /* the stem is added last */
    size_t fired[4] = {1, 2, 3, 4};
    buf out = {0};
    lexcheck_csv(&out, lx, fired);
    assert_string_equal(buf_str(&out), "rule,category,text,fired\n"
                                       "a.lex:2,x,hello,1\n"
                                       "b.dic:4,dic_a,care*,4\n"
                                       "b.dic:5,dic_a,care,2\n"
                                       "b.dic:6,dic_a,for you,3\n");
    buf_free(&out);
    diag_free(&d);
    lexicon_free(lx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_word_after_its_prefix_is_shadowed),
        cmocka_unit_test(test_exact_word_before_its_prefix_is_redundant),
        cmocka_unit_test(test_longer_prefix_and_phrases),
        cmocka_unit_test(test_anchors),
        cmocka_unit_test(test_nothing_across_categories_regexes_or_unrelated_words),
        cmocka_unit_test(test_rules_of_one_dic_not_compared),
        cmocka_unit_test(test_conditional_rules),
        cmocka_unit_test(test_exceptions_that_never_apply),
        cmocka_unit_test(test_exceptions_with_prefixes_apply),
        cmocka_unit_test(test_count_corpus),
        cmocka_unit_test(test_count_reports_unreadable_transcript),
        cmocka_unit_test(test_csv_lists_rules_by_file_and_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
