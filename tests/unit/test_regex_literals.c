/* test_regex_literals.c: the literals a regex's every match must contain.
 *
 * Each case gives a pattern and its clauses as worked out by hand: clauses
 * joined by " & " (best first), literals within one sorted and joined by "|";
 * "" means nothing is required (the regex always runs). */
#include "testutil.h"
#include "analysis/regex_literals.h"

#include <stdlib.h>

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The requirement as text: "a|b & c". */
static void describe(const regex_requirement *req, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t k = 0; k < req->n; k++) {
        const regex_clause *c = &req->clause[k];
        char **v = malloc(c->n * sizeof *v);
        assert_non_null(v);
        for (size_t i = 0; i < c->n; i++) v[i] = c->lit[i].s;
        qsort(v, c->n, sizeof *v, compare_strings);
        if (k) strncat(out, " & ", size - strlen(out) - 1);
        for (size_t i = 0; i < c->n; i++) {
            if (i) strncat(out, "|", size - strlen(out) - 1);
            strncat(out, v[i], size - strlen(out) - 1);
        }
        free(v);
    }
}

static void check(const char *pattern, const char *want)
{
    regex_requirement req;
    char got[1024];
    regex_requirement_analyse(pattern, strlen(pattern), &req);
    describe(&req, got, sizeof got);
    if (strcmp(got, want) != 0) print_error("pattern /%s/: got \"%s\", want \"%s\"\n", pattern, got, want);
    assert_string_equal(got, want);
    for (size_t k = 0; k < req.n; k++)
        for (size_t i = 0; i < req.clause[k].n; i++)
            assert_true(req.clause[k].lit[i].len >= REGEX_LITERAL_MIN);
    regex_requirement_free(&req);
    assert_int_equal(req.n, 0);
}

static void test_literals_and_sequences(void **state)
{
    (void)state;
    check("abc", "abc");
    check("ab", "");                      /* shorter than the scan's three bytes */
    check("\\.\\.\\.", "...");            /* escaped punctuation is literal */
    check("hello\\w+world", "hello & world");
    check("a.*bcd.*efg", "bcd & efg");
    check("[abc]def", "def");
    check("[]abc]def", "def");            /* a ] first in a class is literal */
    check("[[:alpha:]]+ing", "ing");
    check("\\p{L}+ing\\pLend", "ing & end");
    check("caf\xC3\xA9s?", "caf\xC3\xA9");   /* "s?" applies to s; é is one character */
}

static void test_alternation_and_products(void **state)
{
    (void)state;
    check("foo|bar", "bar|foo");
    check("foo|ba", "");                  /* one branch needs nothing usable */
    check("abc|", "");                    /* an empty branch matches anything */
    check("(?:foo|bar)baz", "barbaz|foobaz & bar|foo");
    check("\\bneed (?:a drink|to drink)\\b", "need a drink|need to drink & a drink|to drink");
    check("[0-9]+ (?:times|days)", " days| times & days|times");
    check("you(?:'ve| have)?(?: been)? tried",
          "you been tried|you have been tried|you have tried|you tried|you've been tried|you've tried");
    /* 8 x 8 x 8 strings is past the set limit, and pairs are too short */
    check("(?:a|b|c|d|e|f|g|h)(?:a|b|c|d|e|f|g|h)(?:a|b|c|d|e|f|g|h)", "");
}

static void test_quantifiers(void **state)
{
    (void)state;
    check("colou?r", "color|colour");
    check("(?:so |really )?hard", "hard");   /* "so hard" contains "hard": redundant */
    check("(?:abcd|zzzzzz|abc)", "abc|zzzzzz");   /* a dropped literal is not looked at again */
    check("go+d", "");
    check("a{2}bcd", "bcd");
    check("a\\d{2,}xyz", "xyz");
    check("(?:abc){0}def", "def");
    check("(abc)+", "abc");
    check("(abc)*", "");
    check("(abc)+?x", "abc");              /* lazy */
    check("(abc)*+x", "");                 /* possessive */
    check("x{,3}yz", "");                 /* "{,3}": literal in PCRE2 10.42, a quantifier later */
}

static void test_groups_and_assertions(void **state)
{
    (void)state;
    check("x(?=abc)yz", "xyz");           /* lookarounds match nothing themselves */
    check("(?<!not )good", "good");
    check("^(?:and )?so what", "so what");
    check("(?<name>abc)def", "abcdef");
    check("(?P<n>abc)", "abc");
    check("(?>abc)d", "abcd");
    check("(?|abc|abd)", "abc|abd");
}

/* Anything outside the understood subset means "always run". */
static void test_gives_up_on_the_unknown(void **state)
{
    (void)state;
    check("(?i)hello", "");
    check("(a)\\1", "");
    check("\\Qa.b\\E", "");
    check("(*UTF)abc", "");
    check("(?#c)abc", "");
    check("\\x41bcd", "");
    check("(?(1)abc|def)", "");
    check("(?R)abc", "");
    /* malformed: never compiled, but must not crash or claim anything */
    check("(?:abc", "");
    check("abc)", "");
    check("a\\", "");
    check("[abc", "");
    check("(?<abc", "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals_and_sequences),
        cmocka_unit_test(test_alternation_and_products),
        cmocka_unit_test(test_quantifiers),
        cmocka_unit_test(test_groups_and_assertions),
        cmocka_unit_test(test_gives_up_on_the_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
