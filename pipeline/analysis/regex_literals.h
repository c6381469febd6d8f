/* regex_literals.h: literal strings that every match of a regex must contain.
 *
 * The lexicon runs each regex rule over every sentence, which is the costly
 * part of matching. Most lexicon regexes are alternations of words, so any
 * match must contain one of a few literal strings ("want to drink", "like to
 * drink", ...). This module works such requirements out from the pattern
 * text; the lexicon looks for all of them in one pass over an utterance and
 * runs a regex only when every one of its clauses has a literal present.
 *
 * The analysis is conservative: it understands a subset of PCRE2 syntax
 * (literals, escapes, classes, groups, alternation, quantifiers, anchors and
 * lookarounds) and gives up, reporting no clauses, on anything else ((?i) and
 * other option settings, \Q..\E, back references, recursion, verbs, comments).
 * No clauses means the regex always runs, so the filter can only ever skip
 * work, never change a result. Patterns are assumed to have compiled with
 * PCRE2_UTF | PCRE2_UCP and no other options.
 *
 * Two more facts make the search cheaper. A literal is marked at_boundary
 * when, wherever a match holds it, it starts at a word boundary: at the start
 * of the subject, after a character that is not a word character, or where
 * \b holds (it follows \b, ^, a space, \s, ... in the pattern). So a literal
 * that begins with an ASCII letter or digit need only be looked for where
 * the byte before is not one. And a pattern anchored by ^ or \A (in every
 * branch) gets the strings every match begins with, when they are few:
 * /^(?:so|well) try/ can only match a sentence starting with "so " or
 * "well ". */
#ifndef DYAD_REGEX_LITERALS_H
#define DYAD_REGEX_LITERALS_H

#include <stddef.h>

/* The shortest literal a clause may hold: the lexicon finds literals by
 * their first REGEX_LITERAL_MIN bytes. */
#define REGEX_LITERAL_MIN 3
#define REGEX_MAX_CLAUSES 3

#define REGEX_LITERAL_MAX 64   /* bytes in one literal, at most */

typedef struct regex_literal {
    char s[REGEX_LITERAL_MAX + 1];   /* NUL-terminated; len bytes (kept in place: a
                                        pattern's analysis makes thousands of them) */
    size_t len;
    int at_boundary;   /* it starts at a word boundary wherever a match holds it */
} regex_literal;

/* Every match contains at least one of these literals. */
typedef struct regex_clause {
    regex_literal *lit;
    size_t n, cap;
} regex_clause;

/* Every match satisfies all of these clauses; n == 0: nothing is known. */
typedef struct regex_requirement {
    regex_clause clause[REGEX_MAX_CLAUSES];
    size_t n;
    /* start.n > 0: every match begins at the start of the subject with one
     * of these strings (none of them empty); 0: not known */
    regex_clause start;
    /* 1: every match begins at the start of the subject (^ or \A begins
     * every branch), so a search from any later offset finds none */
    int anchored;
} regex_requirement;

void regex_requirement_analyse(const char *pattern, size_t len, regex_requirement *req);
void regex_requirement_free(regex_requirement *req);

/* An anchored pattern that begins with a run of filler words, the idiom of
 * /^(?:(?:so|and|okay) )*(?:do|does) you\b/: ^(?:(?:ALTERNATIVES) ) and then
 * *, + or ?, each alternative one or more words of lower-case ASCII letters,
 * digits, ' and - separated by single spaces, and then the rest, with no |
 * outside its groups. Matched against words joined by single spaces, every
 * match is some of those words, each whole, and then the rest from a word's
 * start. So a sentence can only match when, past a run of its first words
 * that are all filler words, one word is one the rest can start with (and,
 * when the rest is known word by word, the word after it one the rest can
 * go on with: /^(?:(?:so) )*(?:do|does) (?:you|we)\b/ needs "do" or "does"
 * and then "you" or "we"). */
typedef struct regex_filler {
    regex_clause words;   /* every word of every alternative, each once */
    regex_clause rest;    /* the strings every match of the rest begins with, as
                             regex_requirement.start has them (none empty) */
    int at_least_one;     /* 1: the run is repeated with +, so a match begins
                             with a filler word */
    regex_clause second;  /* n > 0 when the rest is one word (a word or a group of
                             one-word alternatives), a space and more: the strings
                             every match of that more begins with, so those the
                             word after the rest's first one starts with (as rest
                             has them); n == 0: not known */
    /* When word_by_word is 1, a match is decided by the words alone, with
     * no regex run over the sentence: the run is greedy (*, + or ?, not
     * lazy or possessive), each word of an alternative of more than one
     * word is an alternative of its own (and with ? there is none), and
     * the rest is one word (first: a piece of pattern that can match no
     * space, looks at nothing past the word but \b and has at most one
     * repeat, at its end: is_word_piece in regex_literals.c) or a word, a
     * space and such a piece (first:
     * a word or a group of one-word alternatives, which must be the whole
     * word; second: the piece, matched from the next word's start). The
     * lexicon checks each word against these pieces with PCRE2 and takes
     * the longest run of filler words, then shorter ones, as PCRE2's
     * backtracking would (lexicon.c: decide_filler_rule). */
    int word_by_word;
    int at_most_one;      /* the run is ? : none or one filler word */
    char *first_piece;    /* NUL-terminated pieces of the pattern (word_by_word) */
    char *second_piece;   /* NULL when the rest is one word */
} regex_filler;

/* 1 and *out filled when the pattern is of that shape, anchored in every
 * branch (whole: its regex_requirement_analyse), and the rest's start
 * strings are known; 0 otherwise. */
int regex_filler_prefix(const char *pattern, size_t len, const regex_requirement *whole, regex_filler *out);
void regex_filler_free(regex_filler *f);

#endif
