/* test_regex_literals.c: the literals a regex's every match must contain.
 *
 * Each case gives a pattern and its clauses as worked out by hand: clauses
 * joined by " & " (best first), literals within one sorted and joined by "|";
 * "" means nothing is required (the regex always runs). */
#include "testutil.h"
#include "analysis/regex_literals.h"

#include <stdio.h>
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

/* Literals stop growing at REGEX_LITERAL_MAX bytes (64): a longer run of
 * characters keeps its first 64. */
static void test_literal_length_limit(void **state)
{
    (void)state;
    char pattern[128], want[256];
    memset(pattern, 'a', 64);
    pattern[64] = '\0';
    check(pattern, pattern);
    memset(pattern, 'b', 65);
    pattern[65] = '\0';
    memcpy(want, pattern, 64);
    want[64] = '\0';
    check(pattern, want);
    strcpy(pattern, "(?:x|y)");
    memset(pattern + 7, 'c', 63);
    pattern[70] = '\0';
    snprintf(want, sizeof want, "x%s|y%s", pattern + 7, pattern + 7);
    check(pattern, want);
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

/* ---- word boundaries ---- */

/* Whether the literal `lit` of the requirement is marked at_boundary: 1 or
 * 0, or -1 when no clause holds it. */
static int boundary_of(const regex_requirement *req, const char *lit)
{
    for (size_t k = 0; k < req->n; k++)
        for (size_t i = 0; i < req->clause[k].n; i++)
            if (strcmp(req->clause[k].lit[i].s, lit) == 0) return req->clause[k].lit[i].at_boundary;
    return -1;
}

/* Each literal given must be in a clause with the flag given (1 or 0). */
static void check_boundaries(const char *pattern, const char *const *lits, const int *flags, size_t n)
{
    regex_requirement req;
    regex_requirement_analyse(pattern, strlen(pattern), &req);
    for (size_t i = 0; i < n; i++) {
        int got = boundary_of(&req, lits[i]);
        if (got != flags[i]) print_error("pattern /%s/, \"%s\": got %d, want %d\n", pattern, lits[i], got, flags[i]);
        assert_int_equal(got, flags[i]);
    }
    regex_requirement_free(&req);
}

static void test_literals_at_word_boundaries(void **state)
{
    (void)state;
    /* after \b, and after the space inside the pattern */
    const char *const l1[] = {"need a drink", "need to drink", "a drink", "to drink"};
    const int f1[] = {1, 1, 1, 1};
    check_boundaries("\\bneed (?:a drink|to drink)\\b", l1, f1, 4);
    /* nothing known before: the match may start inside a word */
    const char *const l2[] = {"you tried", "you've tried"};
    const int f2[] = {0, 0};
    check_boundaries("you(?:'ve| have)? tried", l2, f2, 2);
    const int f2b[] = {1, 1};
    check_boundaries("\\byou(?:'ve| have)? tried", l2, f2b, 2);
    /* a class before: unknown; \s (never a word character) or ^ before: a boundary */
    const char *const l3[] = {" days", "days"};
    const int f3[] = {0, 1};
    check_boundaries("[0-9]+ (?:times|days)", l3, f3, 2);
    const char *const l4[] = {"abc"};
    const int on[] = {1}, off[] = {0};
    check_boundaries("x\\s+abc", l4, on, 1);
    check_boundaries("x\\w+abc", l4, off, 1);
    check_boundaries("^abc", l4, on, 1);
    check_boundaries("\\Aabc", l4, on, 1);
    check_boundaries("\\Babc", l4, off, 1);
    check_boundaries("x\\Wabc", l4, on, 1);
    check_boundaries("x\\d\\.+abc", l4, on, 1);  /* an escaped character that is not a word character */
    check_boundaries("\\b$abc", l4, on, 1);     /* zero-width: the boundary still holds after it */
    check_boundaries("\\b(?=x)abc", l4, on, 1); /* a lookahead too */
    check_boundaries("(?<!\\bi )\\babc", l4, on, 1);
    /* a repeated group ends as each repetition does; an optional one also
     * as what came before it */
    check_boundaries("\\b(?:ab)+cde", (const char *const[]){"cde"}, off, 1);
    check_boundaries("(?:a |b )*cde", (const char *const[]){"cde"}, off, 1);
    check_boundaries("\\b(?:a |b )*cde", (const char *const[]){"cde"}, on, 1);
    check_boundaries("\\b(?:a |b )+cde", (const char *const[]){"cde"}, on, 1);
    check_boundaries("\\b(?:\\w |\\wb)cde", (const char *const[]){"cde"}, off, 1);   /* in every branch */
    check_boundaries("\\b(?:\\w |\\w\\b)cde", (const char *const[]){"cde"}, on, 1);
    /* a literal after \b? may or may not follow a boundary */
    check_boundaries("\\d\\b?abc", l4, off, 1);
    check_boundaries("\\d\\babc", l4, on, 1);
    /* "so what" inside the dropped "and so what" follows its space */
    check_boundaries("^(?:and )?so what", (const char *const[]){"so what"}, on, 1);
    /* "abc" inside the dropped "xabcd" follows a letter: it loses the mark */
    check_boundaries("\\b(?:xabcd|abc)", l4, off, 1);
    check_boundaries("\\b(?:x abcd|abc)", l4, on, 1);
}

/* ---- anchored starts ---- */

/* The start strings, sorted and joined by "|"; "" when none are known. */
static void check_start(const char *pattern, const char *want)
{
    regex_requirement req;
    regex_requirement_analyse(pattern, strlen(pattern), &req);
    char got[1024] = "";
    char **v = malloc((req.start.n ? req.start.n : 1) * sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < req.start.n; i++) v[i] = req.start.lit[i].s;
    qsort(v, req.start.n, sizeof *v, compare_strings);
    for (size_t i = 0; i < req.start.n; i++) {
        if (i) strncat(got, "|", sizeof got - strlen(got) - 1);
        strncat(got, v[i], sizeof got - strlen(got) - 1);
        assert_true(req.start.lit[i].len > 0);
    }
    free(v);
    if (strcmp(got, want) != 0) print_error("pattern /%s/: got start \"%s\", want \"%s\"\n", pattern, got, want);
    assert_string_equal(got, want);
    regex_requirement_free(&req);
    assert_int_equal(req.start.n, 0);
}

static void test_anchored_starts(void **state)
{
    (void)state;
    check_start("^(?:so|well) try", "so try|well try");
    check_start("\\A(?:x|y)z", "xz|yz");
    check_start("^a|^b", "a|b");
    check_start("\\b^abc", "abc");                     /* only zero-width parts before ^ */
    /* an optional part adds its starts, and what follows goes on */
    check_start("^(?:so |well )*(?:go|try)\\b", "go|so |try|well ");
    check_start("^(?:so |well )?(?:go|try)", "go|so go|so try|try|well go|well try");
    /* a part repeated at least once starts as its first repetition */
    check_start("^(?:so |well )+(?:go|try)", "so |well ");
    check_start("^(?:and )?(?:do|does) \\w+", "and do |and does |do |does ");
    /* not anchored, or not in every branch, or past the size limit */
    check_start("abc", "");
    check_start("^a|b", "");
    check_start("(?:x)?^abc", "");
    check_start("(?=^)abc", "");
    check_start("^\\w+ you", "");                      /* a match could start with anything */
    check_start("^(?:x*)y", "");                        /* the group may match nothing */
    /* 9 x 9 strings are too many: the first 9 stand for them */
    check_start("^(?:a|b|c|d|e|f|g|h|i)(?:a|b|c|d|e|f|g|h|i)", "a|b|c|d|e|f|g|h|i");
    char many[512] = "^(?:w0";   /* 65 branches: too many to keep */
    for (int i = 1; i < 65; i++) snprintf(many + strlen(many), sizeof many - strlen(many), "|w%d", i);
    strcat(many, ")");
    check_start(many, "");
    check_start("(?i)^abc", "");                        /* not understood: nothing */
}

/* Whether the analysis says every match begins at the subject's start
 * (the matcher then stops a sentence's search at its first match). */
static void check_anchored(const char *pattern, int want)
{
    regex_requirement req;
    regex_requirement_analyse(pattern, strlen(pattern), &req);
    if (req.anchored != want) print_error("pattern /%s/: anchored %d, want %d\n", pattern, req.anchored, want);
    assert_int_equal(req.anchored, want);
    regex_requirement_free(&req);
}

static void test_anchored_patterns(void **state)
{
    (void)state;
    check_anchored("^abc", 1);
    check_anchored("\\Aabc", 1);
    check_anchored("^a|^b", 1);
    check_anchored("\\b^abc", 1);
    check_anchored("^\\w+ you", 1);         /* its starts unknown, its place known */
    check_anchored("^(?:x*)y", 1);
    check_anchored("(?:^so )?you", 0);       /* an optional anchor anchors nothing */
    check_anchored("^a|b", 0);
    check_anchored("(?:x)?^abc", 0);
    check_anchored("(?=^)abc", 0);
    check_anchored("abc", 0);
    check_anchored("a^", 0);
    check_anchored("(?i)^abc", 0);            /* not understood: nothing known */
}

/* The set's strings, sorted and joined by "|". */
static void joined_set(const regex_clause *set, char *out, size_t cap)
{
    char **v = malloc((set->n ? set->n : 1) * sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < set->n; i++) v[i] = set->lit[i].s;
    qsort(v, set->n, sizeof *v, compare_strings);
    out[0] = '\0';
    for (size_t i = 0; i < set->n; i++) {
        if (i) strncat(out, "|", cap - strlen(out) - 1);
        strncat(out, v[i], cap - strlen(out) - 1);
    }
    free(v);
}

/* regex_filler_prefix of pattern, with the pattern's own analysis as the
 * whole; returns what it returned. */
static int filler_of(const char *pattern, regex_filler *f)
{
    regex_requirement whole;
    regex_requirement_analyse(pattern, strlen(pattern), &whole);
    int found = regex_filler_prefix(pattern, strlen(pattern), &whole, f);
    regex_requirement_free(&whole);
    return found;
}

/* regex_filler_prefix: words and rest start strings ("" for each when the
 * pattern is not of the filler shape). */
static void check_filler(const char *pattern, const char *want_words, const char *want_rest)
{
    regex_filler f;
    int found = filler_of(pattern, &f);
    char words[1024], rest[1024];
    joined_set(&f.words, words, sizeof words);
    joined_set(&f.rest, rest, sizeof rest);
    if (strcmp(words, want_words) != 0 || strcmp(rest, want_rest) != 0)
        print_error("pattern /%s/: got \"%s\" \"%s\"\n", pattern, words, rest);
    assert_int_equal(found, want_words[0] != '\0');
    assert_string_equal(words, want_words);
    assert_string_equal(rest, want_rest);
    regex_filler_free(&f);
}

static void test_filler_prefix(void **state)
{
    (void)state;
    check_filler("^(?:(?:so|and|okay) )*(?:do|does) you\\b", "and|okay|so", "do you|does you");
    check_filler("^(?:(?:so|well) )+(?:try|go)\\b", "so|well", "go|try");
    check_filler("^(?:(?:mm-hmm|and so|let's) )?so \\S+", "and|let's|mm-hmm|so", "so ");
    check_filler("^(?:(?:so) )*+you'll\\b", "so", "you'll");
    /* not the shape, or the rest's starts unknown, or not anchored throughout */
    check_filler("(?:(?:so|and) )*you", "", "");
    check_filler("^(?:(?:so|and) )you", "", "");            /* no quantifier */
    check_filler("^(?:(?:so|and))*you", "", "");             /* no space after the words */
    check_filler("^(?:(?:So|and) )*you", "", "");            /* upper case */
    check_filler("^(?:(?:s.|and) )*you", "", "");            /* regex syntax among the words */
    check_filler("^(?:(?:so||and) )*you", "", "");           /* an empty alternative */
    check_filler("^(?:(?:so  and) )*you", "", "");           /* two spaces */
    check_filler("^(?:(?:so|and) )*\\w+", "", "");          /* the rest could start anyhow */
    check_filler("^(?:(?:so|and) )* you", "", "");           /* the rest starts with a space */
    check_filler("^(?:(?:so|and) )*you|me", "", "");         /* "me" anywhere */
    check_filler("^(?:(?:so|and) )*(?:you|x*)", "", "");     /* the rest may be empty */
    check_filler("^(?:(?:so|and) )+go|^yes", "", "");        /* "yes" needs no filler word */
    check_filler("^(?:(?:so|and) )*go|^yes", "", "");
    /* a | inside a group or class of the rest is no other branch */
    check_filler("^(?:(?:so) )+(?:go|come)[|]\\b", "so", "come|go");
    /* the rest known word by word: what its second word starts with */
    static const struct { const char *pattern, *second; int filler; } seconds[] = {
        {"^(?:(?:so|and) )*(?:do|does) (?:you|we)\\b", "we|you", 1},
        {"^(?:(?:so) )?so (?:what|how's)", "how's|what", 1},
        {"^(?:(?:so) )*do you(?:'re| are) here", "you are here|you're here", 1},
        {"^(?:(?:so) )*(?:do|does) you|^(?:(?:so) )*do we", "", 0},   /* not the filler shape */
        {"^(?:(?:so) )*(?:do|does)? you", "", 0},  /* the rest may start with a space */
        {"^(?:(?:so) )*(?:do|does) ?you", "", 1},  /* the space optional */
        {"^(?:(?:so) )*(?:do|does) +you", "", 1},  /* or repeated */
        {"^(?:(?:so) )*(?:do|does)  you", "", 1},  /* a second word starting with a space */
        {"^(?:(?:so) )*(?:do|d.) you", "", 1},     /* regex syntax in the first word */
        {"^(?:(?:so) )*(?:do you|does) we", "", 1}, /* two words in an alternative */
        {"^(?:(?:so) )*do \\w+", "", 1},            /* the second word could start anyhow */
        {"^(?:(?:so) )*do (?:you)?", "", 1},       /* there may be none */
        {"^(?:(?:so) )*do", "", 1},                /* one word only */
    };
    for (size_t k = 0; k < sizeof seconds / sizeof seconds[0]; k++) {
        const char *pattern = seconds[k].pattern;
        regex_filler f;
        int found = filler_of(pattern, &f);
        char got[1024];
        joined_set(&f.second, got, sizeof got);
        if (strcmp(got, seconds[k].second) != 0 || found != seconds[k].filler)
            print_error("pattern /%s/: second \"%s\", filler %d\n", pattern, got, found);
        assert_string_equal(got, seconds[k].second);
        assert_int_equal(found, seconds[k].filler);
        regex_filler_free(&f);
    }
    /* only + says a match begins with a filler word */
    const char *const runs[] = {"^(?:(?:so) )+you", "^(?:(?:so) )*you", "^(?:(?:so) )?you", "^(?:(?:so) )++you"};
    for (size_t k = 0; k < 4; k++) {
        regex_requirement whole;
        regex_requirement_analyse(runs[k], strlen(runs[k]), &whole);
        regex_filler f;
        assert_int_equal(regex_filler_prefix(runs[k], strlen(runs[k]), &whole, &f), 1);
        assert_int_equal(f.at_least_one, k == 0 || k == 3);
        regex_filler_free(&f);
        regex_requirement_free(&whole);
    }
}

/* regex_filler_prefix's word_by_word: which filler patterns the words
 * decide, and the pieces of their rest ("-" for none). */
static void test_filler_decided_by_words(void **state)
{
    (void)state;
    static const struct { const char *pattern, *first, *second; int at_most_one; } cases[] = {
        {"^(?:(?:so|and|and so) )*you(?:'re|'ve|'d)?\\b", "you(?:'re|'ve|'d)?\\b", "-", 0},
        {"^(?:(?:so|and) )+(?:do|does) (?:you|we)\\b", "(?:do|does)", "(?:you|we)\\b", 0},
        {"^(?:(?:so) )?so (?:what|how's)", "so", "(?:what|how's)", 1},
        {"^(?:(?:so) )*you'll\\b", "you'll\\b", "-", 0},
        {"^(?:(?:so) )*(?:you|we)(?:'re)?", "(?:you|we)(?:'re)?", "-", 0},
        {"^(?:(?:okay|and) )?so \\S+", "so", "\\S+", 1},
        {"^(?:(?:so) )*go\\w*\\b", "go\\w*\\b", "-", 0},
        {"^(?:(?:so) )*(?:a)?(?:b)?(?:c)?(?:d)?e", "(?:a)?(?:b)?(?:c)?(?:d)?e", "-", 0},
        /* not so: */
        {"^(?:(?:so|and so) )*you\\b", "-", "-", 0},        /* "and" stands in no alternative alone */
        {"^(?:(?:so|and|and so) )?you\\b", "-", "-", 0},    /* ? and a pass of two words */
        {"^(?:(?:so) )*?you\\b", "-", "-", 0},               /* lazy: fewest filler words first */
        {"^(?:(?:so) )*+you\\b", "-", "-", 0},               /* possessive: no backtracking */
        {"^(?:(?:so) )*you[a-z]", "-", "-", 0},               /* a class */
        {"^(?:(?:so) )*you(?=')", "-", "-", 0},               /* a look past the word */
        {"^(?:(?:so) )*you(?:'re)??", "-", "-", 0},           /* a lazy group */
        {"^(?:(?:so) )*you(?:'re)+", "-", "-", 0},            /* a repeated group */
        {"^(?:(?:so) )*(?:do|does) you are", "-", "-", 0},    /* three words */
        {"^(?:(?:so) )*do (?:you| we)", "-", "-", 0},         /* a space in the second word */
        {"^(?:(?:so) )*(?:do|d.) you", "-", "-", 0},          /* regex syntax in the first word */
        {"^(?:(?:so) )*so \\s+", "-", "-", 0},               /* spaces */
        {"^(?:(?:so) )*so \\S+?", "-", "-", 0},              /* lazy */
        {"^(?:(?:so) )*so \\S++", "-", "-", 0},              /* possessive */
        {"^(?:(?:so) )*so .", "-", "-", 0},                   /* any byte, a space too */
        {"^(?:(?:so) )*y\\w*\\w*z", "-", "-", 0},             /* a repeat with more after it */
        {"^(?:(?:so) )*y\\S+z", "-", "-", 0},
        {"^(?:(?:so) )*(?:y\\w+|z)", "-", "-", 0},           /* a repeat inside a group */
        {"^(?:(?:so) )*(?:a)?(?:b)?(?:c)?(?:d)?(?:e)?f", "-", "-", 0},   /* five optional groups */
        {"^(?:(?:so) )*you$", "-", "-", 0},                   /* an anchor */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *pattern = cases[k].pattern;
        regex_filler f;
        int found = filler_of(pattern, &f);
        const char *first = f.first_piece ? f.first_piece : "-", *second = f.second_piece ? f.second_piece : "-";
        if (strcmp(first, cases[k].first) != 0 || strcmp(second, cases[k].second) != 0)
            print_error("pattern /%s/: \"%s\" \"%s\"\n", pattern, first, second);
        assert_int_equal(found, 1);
        assert_int_equal(f.word_by_word, strcmp(cases[k].first, "-") != 0);
        assert_string_equal(first, cases[k].first);
        assert_string_equal(second, cases[k].second);
        assert_int_equal(f.at_most_one, cases[k].at_most_one);
        regex_filler_free(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals_and_sequences),
        cmocka_unit_test(test_alternation_and_products),
        cmocka_unit_test(test_literal_length_limit),
        cmocka_unit_test(test_quantifiers),
        cmocka_unit_test(test_groups_and_assertions),
        cmocka_unit_test(test_gives_up_on_the_unknown),
        cmocka_unit_test(test_literals_at_word_boundaries),
        cmocka_unit_test(test_anchored_starts),
        cmocka_unit_test(test_anchored_patterns),
        cmocka_unit_test(test_filler_prefix),
        cmocka_unit_test(test_filler_decided_by_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
