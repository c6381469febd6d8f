/* test_dic.c: the LIWC .dic reader: the category block and its names,
 * entries (words, stems, phrases), the most specific entry winning,
 * conditional fields, every error and warning, and loading from files. */
#include "testutil.h"
#include "analysis/dic.h"
#include "analysis/lexicon.h"
#include "analysis/words.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- helpers ---- */

static int load(lexicon *lx, const char *text, diag_list *d)
{
    return dic_load_text(lx, "t.dic", text, strlen(text), d);
}

static lexicon *load_ok(const char *text)
{
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(load(lx, text, &d), 0);
    for (size_t i = 0; i < d.n; i++) diag_print(&d.items[i], stderr);
    assert_int_equal(d.n, 0);
    assert_int_equal(lexicon_finish(lx, &d), 0);
    diag_free(&d);
    return lx;
}

static void run(const lexicon *lx, const char *utterance, match_list *out)
{
    word_list wl = {0};
    words_split(utterance, &wl);
    match_scratch *ms = match_scratch_new(lx);
    out->n = 0;
    lexicon_match(lx, &wl, ms, out, NULL, "s.txt", 1);
    match_scratch_free(ms);
    word_list_free(&wl);
}

static void assert_rule(const lexicon *lx, size_t r, const char *category, const char *id, const char *text)
{
    rule_info ri;
    lexicon_rule_info(lx, r, &ri);
    assert_string_equal(lexicon_category_name(lx, ri.category), category);
    assert_string_equal(ri.id, id);
    assert_string_equal(ri.text, text);
}

/* Loading `text` fails with exactly one error at `line` saying `message`. */
static void assert_load_error(const char *text, long line, const char *message)
{
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(load(lx, text, &d), -1);
    if (d.n != 1)
        for (size_t i = 0; i < d.n; i++) diag_print(&d.items[i], stderr);
    assert_int_equal(d.n, 1);
    test_check_diag(&d, 0, SEV_ERROR, "t.dic", line, message);
    diag_free(&d);
    lexicon_free(lx);
}

/* Loading `text` succeeds with exactly one warning at `line` saying `message`;
 * the lexicon then has `rules` rules. */
static void assert_load_warning(const char *text, long line, const char *message, size_t rules)
{
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(load(lx, text, &d), 0);
    if (d.n != 1)
        for (size_t i = 0; i < d.n; i++) diag_print(&d.items[i], stderr);
    assert_int_equal(d.n, 1);
    test_check_diag(&d, 0, SEV_WARNING, "t.dic", line, message);
    assert_int_equal(lexicon_rule_count(lx), rules);
    diag_free(&d);
    lexicon_free(lx);
}

/* ---- the category block ---- */

static const char NESTED[] =
    "%\n"
    "1\tFunction\n"
    "\t2\tPronoun\n"
    "\t\t3\tYou\n"
    "\t4\tArticle\n"
    "5\tPositive Emotion\n"
    "%\n"
    "you\t1 2 3\n";

static void test_categories_names_nesting_and_order(void **state)
{
    (void)state;
    lexicon *lx = load_ok(NESTED);
    assert_int_equal(lexicon_category_count(lx), 5);
    assert_string_equal(lexicon_category_name(lx, 0), "dic_function");
    assert_string_equal(lexicon_category_name(lx, 1), "dic_pronoun");
    assert_string_equal(lexicon_category_name(lx, 2), "dic_you");
    assert_string_equal(lexicon_category_name(lx, 3), "dic_article");
    assert_string_equal(lexicon_category_name(lx, 4), "dic_positive_emotion");
    assert_string_equal(lexicon_category_description(lx, 0), "LIWC category \"Function\" (ID 1) of t.dic");
    assert_string_equal(lexicon_category_description(lx, 1),
                        "LIWC category \"Pronoun\" (ID 2) of t.dic, under \"Function\"");
    assert_string_equal(lexicon_category_description(lx, 2),
                        "LIWC category \"You\" (ID 3) of t.dic, under \"Pronoun\"");
    assert_string_equal(lexicon_category_description(lx, 3),
                        "LIWC category \"Article\" (ID 4) of t.dic, under \"Function\"");
    assert_string_equal(lexicon_category_description(lx, 4),
                        "LIWC category \"Positive Emotion\" (ID 5) of t.dic");
    long line = 0;
    assert_string_equal(lexicon_category_source(lx, 3, &line), "t.dic");
    assert_int_equal(line, 5);
    /* a nested category's words count only where the entry lists it: "you"
     * lists 1, 2 and 3, so it counts in all three, and nowhere else */
    match_list ml = {0};
    run(lx, "you", &ml);
    assert_int_equal(ml.n, 3);
    test_check_match(&ml, 0, 0, 0, 0, 1);
    test_check_match(&ml, 1, 1, 1, 0, 1);
    test_check_match(&ml, 2, 2, 2, 0, 1);
    assert_rule(lx, 2, "dic_you", "t.dic:8", "you");
    /* run.csv lists the file */
    assert_int_equal(lexicon_file_count(lx), 1);
    assert_string_equal(lexicon_file_path(lx, 0), "t.dic");
    free(ml.m);
    lexicon_free(lx);
}

static void test_category_name_conversion(void **state)
{
    (void)state;
    char *a = dic_category_name("PosEmo", 6);
    char *b = dic_category_name("Gef\xC3\xBChl-Wort 2", 14);   /* ü is one character: one _ */
    char *c = dic_category_name("already_ok_9", 12);
    assert_string_equal(a, "dic_posemo");
    assert_string_equal(b, "dic_gef_hl_wort_2");
    assert_string_equal(c, "dic_already_ok_9");
    free(a);
    free(b);
    free(c);
    assert_true(dic_is_dic_path("x/LIWC2007.DIC"));
    assert_true(dic_is_dic_path("a.dic"));
    assert_false(dic_is_dic_path("a.lex"));
    assert_false(dic_is_dic_path(".dic"));
}

/* ---- entries ---- */

/* Lines: 8 i, 9 you, 10 we*, 11 good, 12 great*, 13 greater, 14 bad, 15 kind of. */
static const char FEELINGS[] =
    "%\n"
    "1\tfunction\n"
    "\t2\tpronoun\n"
    "3\tfeeling\n"
    "\t4\tgood\n"
    "\t5\tbad\n"
    "%\n"
    "i\t1 2\n"
    "you\t1\t2\n"
    "we*\t1 2\n"
    "good\t3 4\n"
    "great*\t3 4\n"
    "greater\t3\n"
    "bad\t3 5\n"
    "kind of\t1\n";

static void test_words_stems_phrases_and_rule_ids(void **state)
{
    (void)state;
    lexicon *lx = load_ok(FEELINGS);
    /* one rule per entry and category: words and phrases in line order
     * (0-1 i, 2-3 you, 4-5 good, 6 greater, 7-8 bad, 9 kind of), then stems
     * from the longest (10-11 great*, 12-13 we*) */
    assert_int_equal(lexicon_rule_count(lx), 14);
    assert_rule(lx, 0, "dic_function", "t.dic:8", "i");
    assert_rule(lx, 1, "dic_pronoun", "t.dic:8", "i");
    assert_rule(lx, 9, "dic_function", "t.dic:15", "kind of");
    assert_rule(lx, 10, "dic_feeling", "t.dic:12", "great*");
    assert_rule(lx, 11, "dic_good", "t.dic:12", "great* (not: greater)");
    assert_rule(lx, 12, "dic_function", "t.dic:10", "we*");
    match_list ml = {0};
    /* we(0) were(1) greatly(2) good(3) you(4) know(5) greater(6) than(7) bad(8) kind(9) of(10) */
    run(lx, "We were greatly good, you know; greater than bad. Kind of.", &ml);
    assert_int_equal(ml.n, 14);
    /* function: we*, we* (were), you, kind of */
    test_check_match(&ml, 0, 0, 12, 0, 1);
    test_check_match(&ml, 1, 0, 12, 1, 2);
    test_check_match(&ml, 2, 0, 2, 4, 5);
    test_check_match(&ml, 3, 0, 9, 9, 11);
    /* pronoun */
    test_check_match(&ml, 4, 1, 13, 0, 1);
    test_check_match(&ml, 5, 1, 13, 1, 2);
    test_check_match(&ml, 6, 1, 3, 4, 5);
    /* feeling: greatly (great*), good, greater (great* and greater both
     * match; the word's own entry is named), bad */
    test_check_match(&ml, 7, 2, 10, 2, 3);
    test_check_match(&ml, 8, 2, 4, 3, 4);
    test_check_match(&ml, 9, 2, 6, 6, 7);
    test_check_match(&ml, 10, 2, 7, 8, 9);
    /* good: greatly and good, but not greater: its own entry lacks 4 */
    test_check_match(&ml, 11, 3, 11, 2, 3);
    test_check_match(&ml, 12, 3, 5, 3, 4);
    /* bad */
    test_check_match(&ml, 13, 4, 8, 8, 9);
    free(ml.m);
    lexicon_free(lx);
}

/* The most specific entry wins through every level: "care*" (1 2),
 * "career*" (2 only), "careers" (1 again), "cares" (none of 1). */
static void test_most_specific_entry_wins(void **state)
{
    (void)state;
    lexicon *lx = load_ok("%\n1 affect\n2 any\n%\ncare* 1 2\ncareer* 2\ncareers 1 2\ncares 2\ncar* 2\n");
    /* rules, most specific first: 0 careers affect, 1 careers any, 2 cares
     * any, 3 career* any, 4 care* affect (not career*, cares), 5 care* any,
     * 6 car* any */
    assert_rule(lx, 1, "dic_any", "t.dic:7", "careers");
    assert_rule(lx, 3, "dic_any", "t.dic:6", "career*");
    assert_rule(lx, 4, "dic_affect", "t.dic:5", "care* (not: career*, cares)");
    assert_rule(lx, 5, "dic_any", "t.dic:5", "care*");
    assert_rule(lx, 6, "dic_any", "t.dic:9", "car*");
    match_list ml = {0};
    /* caring(0) careful(1) careerist(2) careers(3) cares(4) care(5) car(6) */
    run(lx, "caring careful careerist careers cares care car", &ml);
    /* affect: careful, careers, care; any: every word, each named by the
     * entry LIWC uses for it */
    assert_int_equal(ml.n, 10);
    test_check_match(&ml, 0, 0, 4, 1, 2);
    test_check_match(&ml, 1, 0, 0, 3, 4);
    test_check_match(&ml, 2, 0, 4, 5, 6);
    test_check_match(&ml, 3, 1, 6, 0, 1);   /* caring: car* */
    test_check_match(&ml, 4, 1, 5, 1, 2);   /* careful: care* */
    test_check_match(&ml, 5, 1, 3, 2, 3);   /* careerist: career* */
    test_check_match(&ml, 6, 1, 1, 3, 4);   /* careers */
    test_check_match(&ml, 7, 1, 2, 4, 5);   /* cares */
    test_check_match(&ml, 8, 1, 5, 5, 6);   /* care: care* */
    test_check_match(&ml, 9, 1, 6, 6, 7);   /* car: car* */
    free(ml.m);
    lexicon_free(lx);
}

/* Spaces instead of tabs, CRLF line ends, a BOM, blank lines, and more
 * than four stems shown as "and N more". */
static void test_spaces_crlf_bom_and_long_unless_note(void **state)
{
    (void)state;
    lexicon *lx = load_ok("\xEF\xBB\xBF\r\n%\r\n  1   Sad  \r\n 2 other\r\n%\r\n\r\nsad*  1 2\r\nsadder 2\r\n"
                          "saddle 2\r\nsadly 2\r\nsadness 2\r\nkind of  2\r\n");
    assert_int_equal(lexicon_category_count(lx), 2);
    assert_string_equal(lexicon_category_name(lx, 0), "dic_sad");
    /* rules: 0-3 sadder, saddle, sadly, sadness; 4 kind of; 5-6 sad* */
    assert_rule(lx, 4, "dic_other", "t.dic:12", "kind of");
    assert_rule(lx, 5, "dic_sad", "t.dic:7", "sad* (not: sadder, saddle, sadly and 1 more)");
    match_list ml = {0};
    run(lx, "sad saddest sadness", &ml);   /* sad: sad, saddest; other: all three */
    assert_int_equal(ml.n, 5);
    test_check_match(&ml, 0, 0, 5, 0, 1);
    test_check_match(&ml, 1, 0, 5, 1, 2);
    test_check_match(&ml, 2, 1, 6, 0, 1);
    test_check_match(&ml, 3, 1, 6, 1, 2);
    test_check_match(&ml, 4, 1, 3, 2, 3);   /* sadness: its own entry, not sad* */
    free(ml.m);
    lexicon_free(lx);
}

/* ---- conditional fields ---- */

/* Lines: 8 i, 9 you*, 10 like, 11 kind. */
static const char CONDITIONS[] =
    "%\n"
    "1 pronoun\n"
    "2 verb\n"
    "3 filler\n"
    "4 hedge\n"
    "5 nice\n"
    "%\n"
    "i 1\n"
    "you* 1\n"
    "like (1)2/3\n"
    "kind <of>4/5\n";

static void test_word_before_and_after_conditions(void **state)
{
    (void)state;
    lexicon *lx = load_ok(CONDITIONS);
    /* rules: 0 i, 1-2 like, 3-4 kind, 5 you* */
    assert_int_equal(lexicon_rule_count(lx), 6);
    assert_rule(lx, 1, "dic_verb", "t.dic:10", "like (after 1)");
    assert_rule(lx, 2, "dic_filler", "t.dic:10", "like (not after 1)");
    assert_rule(lx, 3, "dic_hedge", "t.dic:11", "kind (before of)");
    assert_rule(lx, 4, "dic_nice", "t.dic:11", "kind (not before of)");
    assert_rule(lx, 5, "dic_pronoun", "t.dic:9", "you*");
    rule_info ri;
    lexicon_rule_info(lx, 1, &ri);
    assert_true(ri.conditional);
    lexicon_rule_info(lx, 0, &ri);
    assert_false(ri.conditional);
    match_list ml = {0};
    /* i(0) like(1) it(2) | like(3) you(4) like(5) kind(6) of(7) kind(8) people(9) | yours(10) kind(11) */
    run(lx, "I like it. Like, you like kind of kind people. Yours kind.", &ml);
    assert_int_equal(ml.n, 9);
    test_check_match(&ml, 0, 0, 0, 0, 1);
    test_check_match(&ml, 1, 0, 5, 4, 5);
    test_check_match(&ml, 2, 0, 5, 10, 11);
    test_check_match(&ml, 3, 1, 1, 1, 2);    /* like after i: verb */
    test_check_match(&ml, 4, 1, 1, 5, 6);    /* like after you: verb */
    test_check_match(&ml, 5, 2, 2, 3, 4);    /* like opening a sentence: filler */
    test_check_match(&ml, 6, 3, 3, 6, 7);    /* kind of: hedge, one word counted */
    test_check_match(&ml, 7, 4, 4, 8, 9);    /* kind people: nice */
    test_check_match(&ml, 8, 4, 4, 11, 12);  /* kind at the end: nice */
    /* the word before must be in the same sentence */
    run(lx, "I. Like it", &ml);
    assert_int_equal(ml.n, 2);
    test_check_match(&ml, 1, 2, 2, 1, 2);
    free(ml.m);
    lexicon_free(lx);
}

/* LIWC2007's own shape: tabs, IDs with leading zeros, two conditional
 * fields and plain IDs on one line; "(02)7" has no "else". */
static void test_liwc2007_shaped_conditional_line(void **state)
{
    (void)state;
    lexicon *lx = load_ok("%\n02\tpronoun\n5\tlikeverb\n6\tfiller\n7\tpositive\n8\tcomparison\n%\n"
                          "we\t02\nlike\t(02)5/6\t(02)7\t8\n");
    /* rules: 0 we, 1 like verb, 2 like filler, 3 like positive, 4 like comparison */
    assert_int_equal(lexicon_rule_count(lx), 5);
    assert_rule(lx, 3, "dic_positive", "t.dic:9", "like (after 02)");
    assert_rule(lx, 4, "dic_comparison", "t.dic:9", "like");
    match_list ml = {0};
    run(lx, "we like that like this", &ml);   /* we(0) like(1) that(2) like(3) this(4) */
    assert_int_equal(ml.n, 6);
    test_check_match(&ml, 0, 0, 0, 0, 1);
    test_check_match(&ml, 1, 1, 1, 1, 2);
    test_check_match(&ml, 2, 2, 2, 3, 4);
    test_check_match(&ml, 3, 3, 3, 1, 2);
    test_check_match(&ml, 4, 4, 4, 1, 2);
    test_check_match(&ml, 5, 4, 4, 3, 4);
    free(ml.m);
    lexicon_free(lx);
}

/* ---- errors: the load fails, every bad line is named ---- */

static void test_error_not_a_dictionary(void **state)
{
    (void)state;
    assert_load_error("\n[directive]\nyou should\n", 2,
                      "not a LIWC dictionary: a .dic file starts with a line holding only \"%\", then one "
                      "\"ID name\" line per category, another \"%\", then the entries (a .lex lexicon goes "
                      "with --lexicon)");
    assert_load_error("\n  \n", 0,
                      "empty dictionary: a .dic file starts with a line holding only \"%\", then one "
                      "\"ID name\" line per category, another \"%\", then the entries");
    assert_load_error("", 0,
                      "empty dictionary: a .dic file starts with a line holding only \"%\", then one "
                      "\"ID name\" line per category, another \"%\", then the entries");
}

static void test_error_block_not_closed(void **state)
{
    (void)state;
    assert_load_error("%\n1 a\nhappy 1\n", 1,
                      "the category block opened here has no closing \"%\": put a line holding only \"%\" "
                      "after the last category line");
}

static void test_error_no_categories(void **state)
{
    (void)state;
    assert_load_error("%\n\n%\nhappy 1\n", 1,
                      "no categories between the \"%\" lines: add one \"ID name\" line per category, as in "
                      "\"12 posemo\"");
}

static void test_error_malformed_category_lines(void **state)
{
    (void)state;
    assert_load_error("%\nposemo 12\n%\n", 2,
                      "malformed category line \"posemo 12\": write the category's ID (a number), then its "
                      "name, as in \"12 posemo\"");
    assert_load_error("%\n12posemo\n%\n", 2,
                      "malformed category line \"12posemo\": write the category's ID (a number), then its "
                      "name, as in \"12 posemo\"");
    assert_load_error("%\n1234567890 big\n%\n", 2,
                      "malformed category line \"1234567890 big\": write the category's ID (a number), then "
                      "its name, as in \"12 posemo\"");
    assert_load_error("%\n12\t\n%\n", 2, "category 12 has no name: write its name after the ID, as in \"12 posemo\"");
}

static void test_error_duplicate_ids_and_names(void **state)
{
    (void)state;
    assert_load_error("%\n1 posemo\n01 negemo\n%\n", 3,
                      "duplicate category ID 1: line 2 already declares it as \"posemo\"; give each category "
                      "its own ID");
    assert_load_error("%\n1 posemo\n2 PosEmo\n%\n", 3,
                      "categories \"PosEmo\" (ID 2) and \"posemo\" (ID 1, line 2) would both become "
                      "[dic_posemo]: rename one of them");
}

static void test_error_name_taken_by_another_file(void **state)
{
    (void)state;
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    const char lex[] = "# mine\n[dic_posemo] my own\nhappy\n";
    assert_int_equal(lexicon_load_text(lx, "rules/a.lex", lex, strlen(lex), &d), 0);
    assert_int_equal(load(lx, "%\n1 PosEmo\n2 negemo\n%\nhappy 1\nsad 2\n", &d), -1);
    assert_int_equal(d.n, 1);
    test_check_diag(&d, 0, SEV_ERROR, "t.dic", 2,
                    "category \"PosEmo\" (ID 1) would become [dic_posemo], which rules/a.lex:2 already has: "
                    "rename the category in one of the two files");
    /* the rest of the dictionary is still read */
    assert_int_equal(lexicon_category_count(lx), 2);
    assert_int_equal(lexicon_rule_count(lx), 2);
    assert_rule(lx, 1, "dic_negemo", "t.dic:6", "sad");
    diag_free(&d);
    lexicon_free(lx);
}

static void test_every_error_reported(void **state)
{
    (void)state;
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(load(lx, "%\nx\n1 a\n1 b\n\n2\n%\nhappy 1 9\n", &d), -1);
    assert_int_equal(d.n, 4);
    test_check_diag(&d, 0, SEV_ERROR, "t.dic", 2,
                    "malformed category line \"x\": write the category's ID (a number), then its name, as in "
                    "\"12 posemo\"");
    test_check_diag(&d, 1, SEV_ERROR, "t.dic", 6,
                    "category 2 has no name: write its name after the ID, as in \"2 posemo\"");
    test_check_diag(&d, 2, SEV_ERROR, "t.dic", 4,
                    "duplicate category ID 1: line 3 already declares it as \"a\"; give each category its "
                    "own ID");
    test_check_diag(&d, 3, SEV_WARNING, "t.dic", 8,
                    "category ID 9 of \"happy\" is not declared in the category block; it is skipped");
    diag_free(&d);
    lexicon_free(lx);
}

/* ---- warnings: the entry or field is skipped, the load goes on ---- */

static void test_warning_undeclared_id(void **state)
{
    (void)state;
    assert_load_warning("%\n1 a\n%\nhappy 1 7\n", 4,
                        "category ID 7 of \"happy\" is not declared in the category block; it is skipped", 1);
    assert_load_warning("%\n1 a\n2 b\n%\nlike (9)1/2\n", 5,
                        "category ID 9 of \"like\" is not declared in the category block; it is skipped", 2);
}

static void test_warning_star_placement(void **state)
{
    (void)state;
    assert_load_warning("%\n1 a\n%\nad*vise 1\nok 1\n", 4,
                        "\"*\" inside a word in \"ad*vise\": LIWC only supports \"*\" at the end of a word, as "
                        "in advis*; the line is skipped",
                        1);
    assert_load_warning("%\n1 a\n%\nkind * 1\nok 1\n", 4,
                        "bare \"*\" in \"kind *\": LIWC only supports \"*\" at the end of a word, as in advis*; "
                        "the line is skipped",
                        1);
}

static void test_warning_word_that_cannot_match(void **state)
{
    (void)state;
    assert_load_warning("%\n1 a\n%\n:)\t1\nok 1\n", 4,
                        "the word \":)\" can never match: transcript words are letters and digits with ' or - "
                        "only between them; the line is skipped",
                        1);
    assert_load_warning("%\n1 a\n%\nsort of,\t1\n", 4,
                        "the word \"of,\" can never match: transcript words are letters and digits with ' or - "
                        "only between them; the line is skipped",
                        0);
}

static void test_warning_entry_shapes(void **state)
{
    (void)state;
    assert_load_warning("%\n1 a\n%\nhappy\n", 4,
                        "\"happy\" has no category IDs: add them after it, as in \"happy 12\"; the line is "
                        "skipped",
                        0);
    assert_load_warning("%\n1 a\n%\n\t1\n", 4,
                        "entry without a word: \"1\": put the word or phrase before its category IDs; the line "
                        "is skipped",
                        0);
    assert_load_warning("%\n1 a\n%\nhappy 1 x2\n", 4,
                        "unknown field \"x2\" of \"happy\": a field is a category ID, (IDs)ID/ID or <word>ID/ID; "
                        "it is skipped",
                        1);
}

/* A pattern listed on two lines with different categories: both count,
 * and the duplicate rule of the shared category is the lexicon's warning. */
static void test_pattern_on_two_lines(void **state)
{
    (void)state;
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(load(lx, "%\n1 a\n2 b\n%\nhappy 1\nhappy 1 2\n", &d), 0);
    assert_int_equal(d.n, 2);
    test_check_diag(&d, 0, SEV_WARNING, "t.dic", 6,
                    "\"happy\" is listed again (first at line 5): the categories of both lines count");
    test_check_diag(&d, 1, SEV_WARNING, "t.dic", 6,
                    "duplicate rule \"happy\" in [dic_a]: t.dic:6 repeats t.dic:5 and is ignored; delete one "
                    "of them");
    assert_int_equal(lexicon_rule_count(lx), 2);
    assert_rule(lx, 1, "dic_b", "t.dic:6", "happy");
    diag_free(&d);
    lexicon_free(lx);
}

static void test_warning_conditionals_not_understood(void **state)
{
    (void)state;
    const char *msg =
        "conditional field \"%s\" of \"like\" is not understood (write (IDs)ID/ID or <word>ID/ID); it is "
        "skipped, the line's other categories are kept";
    static const char *const bad[] = {"(1", "(1 x)2", "()1", "(1)", "(1)2/", "(1)a/2", "<of", "<>1", "<o*f>1",
                                      "<of>", "<of>1/x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[128], message[256];
        snprintf(text, sizeof text, "%%\n1 a\n2 b\n%%\nlike %s 2\n", bad[i]);
        snprintf(message, sizeof message, msg, bad[i]);
        assert_load_warning(text, 5, message, 1);
    }
    assert_load_warning("%\n1 a\n2 b\n%\nkind <of course>1/2 2\n", 5,
                        "conditional field \"<of course>1/2\" of \"kind\" needs one word between < and >; it is "
                        "skipped, the line's other categories are kept",
                        1);
}

/* ---- files ---- */

static void test_load_file_missing_and_folder(void **state)
{
    (void)state;
    char *dir = test_tmpdir("dic");
    test_write_file(dir, "mine.dic", FEELINGS);
    char *path = test_path(dir, "mine.dic");
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(dic_load(lx, path, &d), 0);
    assert_int_equal(d.n, 0);
    assert_int_equal(lexicon_rule_count(lx), 14);
    assert_string_equal(lexicon_rule_id(lx, 0), "mine.dic:8");   /* the name without its folder */
    assert_string_equal(lexicon_file_path(lx, 0), path);
    assert_int_equal(dic_load(lx, "/nonexistent/x.dic", &d), -1);
    test_check_diag(&d, 0, SEV_ERROR, "/nonexistent/x.dic", 0,
                    "cannot open dictionary: No such file or directory; check the path");
    assert_int_equal(dic_load(lx, dir, &d), -1);
    test_check_diag(&d, 1, SEV_ERROR, dir, 0,
                    "this is a folder: --dic takes one .dic file; repeat --dic for each");
    /* and --lexicon refuses a .dic file */
    assert_int_equal(lexicon_load(lx, path, &d), -1);
    test_check_diag(&d, 2, SEV_ERROR, path, 0,
                    "this is a LIWC dictionary (.dic), not a .lex lexicon: give it with --dic instead of "
                    "--lexicon");
    diag_free(&d);
    lexicon_free(lx);
    test_remove_tree(dir);
    free(path);
    free(dir);
}

/* A file that opens but cannot be read: /proc/self/mem fails at offset 0. */
static void test_unreadable_dictionary(void **state)
{
    (void)state;
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(dic_load(lx, "/proc/self/mem", &d), -1);
    assert_int_equal(d.n, 1);
    test_check_diag(&d, 0, SEV_ERROR, "/proc/self/mem", 0,
                    "cannot read dictionary: Input/output error; check that it is a readable file");
    diag_free(&d);
    lexicon_free(lx);
}

/* Dictionaries must be loaded before the lexicon is finished. */
static void test_dictionary_after_finish(void **state)
{
    (void)state;
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(lexicon_finish(lx, &d), 0);
    assert_int_equal(load(lx, "%\n1 a\n%\nhappy 1\n", &d), -1);
    assert_int_equal(d.n, 1);
    test_check_diag(&d, 0, SEV_ERROR, "t.dic", 2,
                    "category [dic_a] cannot be added (a bug in dyad: load dictionaries before the lexicon "
                    "is finished)");
    assert_int_equal(lexicon_category_count(lx), 0);
    assert_int_equal(lexicon_rule_count(lx), 0);
    diag_free(&d);
    lexicon_free(lx);
}

static void test_binary_dictionary_refused(void **state)
{
    (void)state;
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    const char text[] = "%\n1 a\n%\nx\0 1\n";
    assert_int_equal(dic_load_text(lx, "bin.dic", text, sizeof text - 1, &d), -1);
    assert_int_equal(d.n, 1);
    test_check_diag(&d, 0, SEV_ERROR, "bin.dic", 4,
                    "binary file (NUL byte); not a transcript: convert it to UTF-8 text");
    diag_free(&d);
    lexicon_free(lx);
}

/* ---- the lexicon's building calls the reader uses ---- */

static void test_lexicon_add_rule(void **state)
{
    (void)state;
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(lexicon_add_rule(lx, "plan", "Planning talk", "let's try", "x/my.src", 3, &d), 0);
    assert_int_equal(lexicon_add_rule(lx, "plan", "ignored: the first description stays", "! let's try not",
                                      "x/my.src", 4, &d),
                     0);
    assert_int_equal(lexicon_add_rule(lx, "plan", NULL, "/^we (?:could|might)/", "x/my.src", 5, &d), 0);
    assert_int_equal(d.n, 0);
    assert_int_equal(lexicon_add_rule(lx, "Plan", NULL, "go", "x/my.src", 6, &d), -1);
    test_check_diag(&d, 0, SEV_ERROR, "x/my.src", 6,
                    "bad category name \"Plan\": use only lowercase letters, digits and _, as in [plan]");
    assert_int_equal(lexicon_add_rule(lx, "plan", NULL, "[x]", "x/my.src", 7, &d), -1);
    test_check_diag(&d, 1, SEV_ERROR, "x/my.src", 7,
                    "\"[x]\" is not a rule: write a phrase, ^phrase, /regex/ or ! exception");
    assert_int_equal(lexicon_add_rule(lx, "plan", NULL, "ad*vise", "x/my.src", 8, &d), -1);
    test_check_diag(&d, 2, SEV_ERROR, "x/my.src", 8,
                    "\"*\" inside \"ad*vise\": \"*\" may only end a word, as in advis*");
    const char *const unless[] = {"go"};
    rule_conditions regex_cond = {.unless = unless, .n_unless = 1};
    assert_int_equal(lexicon_add_rule_if(lx, "plan", "/go/", &regex_cond, "x/my.src", 9, &d), -1);
    test_check_diag(&d, 3, SEV_ERROR, "x/my.src", 9,
                    "conditions given for a regex (a bug in dyad): only phrases take conditions");
    static const char *const bad_words[] = {"", "*", "a*b"};
    for (size_t i = 0; i < 3; i++) {
        const char *const near[] = {bad_words[i]};
        rule_conditions bad = {.side = 1, .near = near, .n_near = 1};
        assert_int_equal(lexicon_add_rule_if(lx, "plan", "go", &bad, "x/my.src", 20, &d), -1);
        char expected[128];
        snprintf(expected, sizeof expected,
                 "bad condition word \"%s\": write a word, or the start of one followed by *", bad_words[i]);
        test_check_diag(&d, 4 + i, SEV_ERROR, "x/my.src", 20, expected);
    }
    assert_int_equal(lexicon_category_count(lx), 1);
    assert_string_equal(lexicon_category_description(lx, 0), "Planning talk");
    assert_int_equal(lexicon_rule_count(lx), 3);
    rule_info ri;
    lexicon_rule_info(lx, 1, &ri);
    assert_string_equal(ri.id, "my.src:4");
    assert_string_equal(ri.text, "! let's try not");
    assert_string_equal(ri.source, "x/my.src");
    assert_int_equal(ri.line, 4);
    assert_true(ri.exception);
    assert_false(ri.regex);
    assert_int_equal(ri.n_words, 3);
    int prefix = 1;
    assert_string_equal(lexicon_rule_word(lx, 1, 2, &prefix), "not");
    assert_false(prefix);
    assert_null(lexicon_rule_word(lx, 1, 3, NULL));
    lexicon_rule_info(lx, 2, &ri);
    assert_true(ri.regex);
    assert_int_equal(ri.n_words, 0);
    assert_int_equal(lexicon_finish(lx, &d), 0);
    assert_int_equal(lexicon_add_rule(lx, "plan", NULL, "late", "x/my.src", 10, &d), -1);
    test_check_diag(&d, 7, SEV_ERROR, "x/my.src", 10,
                    "rule added after lexicon_finish (a bug in dyad): add every rule first");
    assert_int_equal(lexicon_add_category(lx, "late", NULL, "x", 1), -1);
    diag_free(&d);
    lexicon_free(lx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_categories_names_nesting_and_order),
        cmocka_unit_test(test_category_name_conversion),
        cmocka_unit_test(test_words_stems_phrases_and_rule_ids),
        cmocka_unit_test(test_most_specific_entry_wins),
        cmocka_unit_test(test_spaces_crlf_bom_and_long_unless_note),
        cmocka_unit_test(test_word_before_and_after_conditions),
        cmocka_unit_test(test_liwc2007_shaped_conditional_line),
        cmocka_unit_test(test_error_not_a_dictionary),
        cmocka_unit_test(test_error_block_not_closed),
        cmocka_unit_test(test_error_no_categories),
        cmocka_unit_test(test_error_malformed_category_lines),
        cmocka_unit_test(test_error_duplicate_ids_and_names),
        cmocka_unit_test(test_error_name_taken_by_another_file),
        cmocka_unit_test(test_every_error_reported),
        cmocka_unit_test(test_warning_undeclared_id),
        cmocka_unit_test(test_warning_star_placement),
        cmocka_unit_test(test_warning_word_that_cannot_match),
        cmocka_unit_test(test_warning_entry_shapes),
        cmocka_unit_test(test_pattern_on_two_lines),
        cmocka_unit_test(test_warning_conditionals_not_understood),
        cmocka_unit_test(test_load_file_missing_and_folder),
        cmocka_unit_test(test_unreadable_dictionary),
        cmocka_unit_test(test_dictionary_after_finish),
        cmocka_unit_test(test_binary_dictionary_refused),
        cmocka_unit_test(test_lexicon_add_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
