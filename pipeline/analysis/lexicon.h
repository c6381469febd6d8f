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
 * warn. Categories seen again in later files gain the new rules. */
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

typedef struct match_scratch match_scratch;
match_scratch *match_scratch_new(const lexicon *lx);
void match_scratch_free(match_scratch *ms);

/* Append the counted matches of one utterance's words to out, ordered by
 * category, then by first word. Regex failures (match or depth limit hit)
 * add a warning naming the rule and `source`:`line`; the run goes on. */
void lexicon_match(const lexicon *lx, const word_list *words, match_scratch *ms,
                   match_list *out, diag_list *d, const char *source, long line);

#endif
