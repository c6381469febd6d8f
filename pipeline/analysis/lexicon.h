/* lexicon.h: lexicon rules (the .lex format) and matching them against words.
 *
 * The format (an interface; see README "Lexicon format"):
 *   # comment
 *   [name] description        starts a category (name: [a-z0-9_]+)
 *   you should                a phrase of whole words, case-insensitive
 *   advis*                    a word ending in * matches by prefix
 *   ^try                      ^: the phrase must start at a sentence start
 *   /^(?:go|stop) \w+/        a PCRE2 regex over one sentence's folded words
 *                             joined by single spaces; covers the words it touches
 *   ! you don't have to       an exception (phrase or /regex/) of the category
 *
 * Matching per category: collect every rule's matches as word spans, drop
 * those overlapping an exception match, then keep leftmost-longest
 * non-overlapping spans. Categories are independent. Matches never cross
 * utterances.
 *
 * Rules can also be added in code (the LIWC .dic reader, analysis/dic.h),
 * some with conditions a .lex line cannot state: on the word before or
 * after the match, or words the first word must not be.
 *
 * A lexicon is built once and then only read, so one lexicon serves every
 * worker thread; each thread brings its own match_scratch. */
#ifndef DYAD_LEXICON_H
#define DYAD_LEXICON_H

#include "analysis/words.h"
#include "util/diag.h"

#include <stddef.h>
#include <stdint.h>

typedef struct lexicon lexicon;

lexicon *lexicon_new(void);
/* Load a .lex file, or every *.lex file of a folder in name order. A bad
 * line adds an error naming FILE:LINE and returns -1; duplicate rules only
 * warn. Categories seen again in later files gain the new rules. A file
 * named *.dic is refused with an error pointing to --dic. */
int lexicon_load(lexicon *lx, const char *path, diag_list *d);
/* Load rules from memory (tests, fuzzers); `name` plays the file name. */
int lexicon_load_text(lexicon *lx, const char *name, const char *text, size_t len, diag_list *d);
/* Build the matching index; call once after the last load. Returns 0 or -1. */
int lexicon_finish(lexicon *lx, diag_list *d);
void lexicon_free(lexicon *lx);

size_t lexicon_category_count(const lexicon *lx);
const char *lexicon_category_name(const lexicon *lx, size_t cat);
const char *lexicon_category_description(const lexicon *lx, size_t cat);
/* The index of a category, or -1. */
int lexicon_category_index(const lexicon *lx, const char *name);

size_t lexicon_rule_count(const lexicon *lx);
/* "FILE:LINE", the file name without folders. */
const char *lexicon_rule_id(const lexicon *lx, size_t rule);

/* The files loaded, in order, with their SHA-256 (64 hex digits), for run.csv. */
size_t lexicon_file_count(const lexicon *lx);
const char *lexicon_file_path(const lexicon *lx, size_t i);
const char *lexicon_file_sha256(const lexicon *lx, size_t i);

/* ---- Building a lexicon in code (the LIWC .dic reader, analysis/dic.h) ----
 * Everything here must happen before lexicon_finish, like loading. */

/* Record a file for run.csv, with the SHA-256 of its bytes. */
void lexicon_add_file(lexicon *lx, const char *path, const char *bytes, size_t n);

/* The index of category `name` ([a-z0-9_]+), created with `description`
 * (NULL: none) when new, remembering `source`:`line` as where it was first
 * named. Returns -1 for a bad name, or after lexicon_finish. */
int lexicon_add_category(lexicon *lx, const char *name, const char *description, const char *source,
                         long line);
/* Where a category was first named: the file's path as given, and the line
 * (*line may be NULL). */
const char *lexicon_category_source(const lexicon *lx, size_t cat, long *line);

/* Conditions a phrase rule added in code may carry. Words are written as in
 * a phrase ("care", "career*") and folded the same way. */
typedef struct rule_conditions {
    /* the phrase's first word must match none of these */
    const char *const *unless;
    size_t n_unless;
    /* side -1: the word just before the match, +1: the word just after it,
     * in the same sentence, must match one of `near` (negated: must not;
     * where there is no such word, it matches none); side 0: no condition */
    int side;
    int negated;
    const char *const *near;
    size_t n_near;
    /* shown after the rule's text in messages and lexicon check, e.g.
     * "(after 02 134)"; part of what makes two rules duplicates */
    const char *note;
} rule_conditions;

/* Add one rule written as a .lex line (a phrase, ^phrase, /regex/, or one of
 * those after "! " for an exception) to the category, which is created with
 * `description` when new. The rule's id is FILE:LINE, FILE being `source`
 * without its folders; messages name `source`:`line` and are the .lex
 * parser's. A duplicate is ignored with the usual warning. Returns 0, or -1
 * after an error. lexicon_add_rule_if adds conditions (a phrase only; NULL:
 * none). */
int lexicon_add_rule(lexicon *lx, const char *category, const char *description, const char *rule_text,
                     const char *source, long line, diag_list *d);
int lexicon_add_rule_if(lexicon *lx, const char *category, const char *rule_text, const rule_conditions *cond,
                        const char *source, long line, diag_list *d);

/* A rule word as the lexicon keeps it: case-folded, U+2019 as ' (a new
 * string). */
char *lexicon_fold(const char *s, size_t n);
/* Whether the tokenizer can produce a word equal to (prefix: starting with)
 * the folded word s[0..n): letters and digits, ' or - only between them. */
int lexicon_word_can_match(const char *s, size_t n, int prefix);

/* ---- What a rule is (for dyad lexicon check) ---- */
typedef struct rule_info {
    size_t category;
    const char *id;         /* "FILE:LINE" */
    const char *text;       /* normalised, as messages show it: "advis*", "! you don't", "/re/" */
    const char *source;     /* the file's path as given, for messages */
    long line;
    int exception;
    int anchored;           /* ^phrase */
    int regex;
    int conditional;        /* it has rule_conditions: it matches less than its words say */
    size_t n_words;         /* a phrase's words; 0 for a regex */
} rule_info;

void lexicon_rule_info(const lexicon *lx, size_t rule, rule_info *out);
/* Word k of a phrase rule, folded, without its '*'; *prefix (may be NULL)
 * tells whether it ended in '*'. */
const char *lexicon_rule_word(const lexicon *lx, size_t rule, size_t k, int *prefix);

typedef struct match {
    uint32_t category;
    uint32_t rule;
    uint32_t first;   /* first word index */
    uint32_t last;    /* one past the last word index */
} match;

typedef struct match_list {
    match *m;
    size_t n, cap;
} match_list;

/* A thread's working memory for matching. Keep one for as long as the
 * thread matches (utterances, sessions): it remembers the words it has met,
 * which makes later matching cheaper; results never depend on it (their
 * order does, on match_scratch_any_order only). */
typedef struct match_scratch match_scratch;
match_scratch *match_scratch_new(const lexicon *lx);
void match_scratch_free(match_scratch *ms);

/* Whether lexicon_match may give matches in any order (default: no). A
 * caller that only counts them (no matches.csv) says yes, and the matches
 * of categories without regexes or exceptions (most matches: pronouns,
 * function words) then go to the output as they are found, without being
 * gathered into their category's place. */
void match_scratch_any_order(match_scratch *ms, int any_order);
/* How many regex searches (pcre2 calls) the scratch has run: what the
 * regex prefilters save shows here (tests, profiling). */
size_t match_scratch_regex_searches(const match_scratch *ms);

/* Append the counted matches of one utterance's words to out, ordered by
 * category, then by first word; with match_scratch_any_order, those of
 * categories without regexes or exceptions come first, as found (by first
 * word, categories mixed), and the others' after them, as before: each
 * category's still come by first word. The same matches either way.
 * Regex failures (match or depth limit hit) add a warning naming the rule
 * and `source`:`line`; the run goes on. */
void lexicon_match(const lexicon *lx, const word_list *words, match_scratch *ms,
                   match_list *out, diag_list *d, const char *source, long line);

#endif
