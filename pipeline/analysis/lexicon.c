/* lexicon.c: the .lex rule parser and the matcher (see lexicon.h and
 * docs/lexicon-format.md).
 *
 * Loading parses every line into a rule of a category: a phrase (words, each
 * exact or a prefix, optionally anchored at a sentence start) or a PCRE2
 * regex, either of which may be an exception. lexicon_finish then builds one
 * index over the literal rules of every category: hash maps from the exact
 * first word, from the exact first two words, and from first-word prefixes
 * (with the set of distinct prefix lengths), so each transcript word costs a
 * hash of a few loads and a lookup or two. Candidates found there are
 * verified word by word, and collected per category. Regex rules run per
 * sentence over the sentence's words joined by spaces, but only where the
 * literals every match must contain (see regex_literals.h) occur, which one
 * probe per word start finds for all regexes at once, and an anchored regex
 * only in sentences whose first word can start a match. Per category,
 * exception matches knock out the spans they overlap and the rest are chosen
 * leftmost-longest; a category without exceptions or regexes (most matches:
 * pronouns, articles) is chosen as its candidates are found, and its single
 * words come straight from the word memo (add_found, memo_entry).
 *
 * It runs for every word of every transcript, so the common case is kept
 * cheap: see docs/performance.md for what each shortcut saves. None of them
 * changes a match. The largest: a thread's match_scratch keeps a memo of the
 * words it has met (their index entries, the prefilter literals inside them,
 * their sentence-start bits), so each distinct word is looked up once.
 *
 * After lexicon_finish the lexicon is only read; all per-call memory lives in
 * the caller's match_scratch, so threads share one lexicon. */
#include "analysis/lexicon.h"
#include "analysis/regex_literals.h"
#include "readers/source.h"
#include "util/buf.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* A regex that needs more than this much backtracking on one sentence gives
 * up on the utterance with a warning instead of stalling the run. */
#define REGEX_MATCH_LIMIT 1000000u
#define REGEX_DEPTH_LIMIT 10000u
#define JIT_STACK_START (32u * 1024u)
#define JIT_STACK_MAX (1024u * 1024u)

/* ------------------------------------------------------------------------
 * A string-keyed hash map (open addressing, linear probing). Keys are not
 * copied: they point into strings the lexicon owns.
 *
 * The hash reads a key a few bytes at a time rather than byte by byte: every
 * transcript word is hashed once, and most are short. Keys of up to 3 bytes
 * use their first, middle and last byte; up to 8, two overlapping 4-byte
 * loads; longer ones 8 bytes at a time with an overlapping last load. */

#define HASH_SEED 0x9E3779B97F4A7C15ull
#define HASH_MUL1 0xBF58476D1CE4E5B9ull
#define HASH_MUL2 0x94D049BB133111EBull

typedef struct map_slot {
    uint64_t hash;
    uint64_t head;     /* a key of up to 8 bytes as key_head gives it, else 0 */
    const char *key;   /* NULL: empty slot */
    uint32_t len;
    uint32_t value;
} map_slot;

typedef struct strmap {
    map_slot *slots;
    size_t cap;        /* 0 or a power of two */
    size_t n;
    uint64_t *filter;  /* NULL, or MAP_FILTER_BITS bits: one per hash of a key, so that
                          most lookups of a missing key touch no slot */
} strmap;

#define MAP_FILTER_BITS 65536u

static inline uint64_t load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint64_t load32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* Spread every input bit over the whole value (the splitmix64 finaliser). */
static inline uint64_t hash_finish(uint64_t h)
{
    h = (h ^ (h >> 30)) * HASH_MUL1;
    h = (h ^ (h >> 27)) * HASH_MUL2;
    return h ^ (h >> 31);
}

/* A key of up to 8 bytes (most words) as the 8 bytes it starts, the rest
 * zero, and its hash: one multiply, its high half folded into the low one
 * (which picks the slot). For one n every step can be undone (xor with a
 * constant, a multiply by an odd number, h ^ h >> 32), so two different
 * keys of the same length never share a hash: the word memo relies on it
 * (memo_holds). */
_Static_assert((HASH_MUL1 & 1) == 1, "hash_short must stay invertible: HASH_MUL1 odd");
static inline uint64_t hash_short(uint64_t bytes, size_t n)
{
    uint64_t h = (bytes ^ (HASH_SEED + n)) * HASH_MUL1;
    return h ^ (h >> 32);
}

static inline uint64_t hash_long(const char *s, size_t n)
{
    uint64_t h = HASH_SEED ^ n;
    for (size_t i = 0; i + 8 < n; i += 8) h = hash_finish(h ^ load64(s + i));
    return hash_finish(h ^ load64(s + n - 8) * HASH_MUL2);
}

/* A key of up to 8 bytes as the 8 bytes it starts, the rest zero. */
static inline uint64_t key_head(const char *s, size_t n)
{
    unsigned char b[8] = {0};
    for (size_t i = 0; i < n && i < 8; i++) b[i] = (unsigned char)s[i];
    uint64_t v;
    memcpy(&v, b, 8);
    return v;
}

static inline uint64_t hash_bytes(const char *s, size_t n)
{
    return n > 8 ? hash_long(s, n) : hash_short(key_head(s, n), n);
}

/* hash_bytes where 8 bytes can be read at s (a word of the tokenizer's
 * padded text): one load, the bytes past the key masked off. */
/* n bytes of 0xFF in memory order, then zeros: from it come masks that
 * keep the first n bytes of a load, on any byte order. */
static const unsigned char KEEP_BYTES[16] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

/* key_head where 8 bytes can be read at s (n <= 8). */
static inline uint64_t key_head_padded(const char *s, size_t n)
{
    uint64_t mask;   /* n bytes of 0xFF in memory order, then zeros */
    memcpy(&mask, &KEEP_BYTES[8 - n], 8);
    return load64(s) & mask;
}

/* The hash of a pair key "first\0second" made from the words' own hashes,
 * so a pair costs no second pass over its bytes. */
static inline uint64_t hash_pair(uint64_t first, uint64_t second)
{
    return hash_finish(first ^ (second * HASH_MUL1 + HASH_SEED));
}

static inline size_t slot_index(uint64_t h, size_t cap)
{
    return (size_t)(h ^ (h >> 31)) & (cap - 1);
}

/* a[0..n) == b[0..n), for the short keys of the maps: overlapping loads
 * that stay inside both. */
static inline int bytes_equal(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8)
            if (load64(a + i) != load64(b + i)) return 0;
        return load64(a + n - 8) == load64(b + n - 8);
    }
    if (n >= 4) return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}

static inline size_t filter_bit(uint64_t h)
{
    return (size_t)(h >> 40) & (MAP_FILTER_BITS - 1);
}

static inline const map_slot *map_find(const strmap *m, uint64_t h, const char *key, size_t len)
{
    if (!m->n) return NULL;
    if (m->filter && !(m->filter[filter_bit(h) / 64] >> (filter_bit(h) % 64) & 1)) return NULL;
    for (size_t i = slot_index(h, m->cap);; i = (i + 1) & (m->cap - 1)) {
        const map_slot *s = &m->slots[i];
        if (!s->key) return NULL;
        if (s->hash == h && s->len == len && bytes_equal(s->key, key, len)) return s;
    }
}

/* map_find for a word whose key_head is known: a key of up to 8 bytes is
 * compared in the slot, without a visit to the key's own memory. */
static inline const map_slot *map_find_word(const strmap *m, uint64_t h, uint64_t head, const char *key,
                                            size_t len)
{
    if (!m->n) return NULL;
    if (m->filter && !(m->filter[filter_bit(h) / 64] >> (filter_bit(h) % 64) & 1)) return NULL;
    for (size_t i = slot_index(h, m->cap);; i = (i + 1) & (m->cap - 1)) {
        const map_slot *s = &m->slots[i];
        if (!s->key) return NULL;
        if (s->hash == h && s->len == len && (len <= 8 ? s->head == head : bytes_equal(s->key, key, len)))
            return s;
    }
}

static void map_insert_slot(map_slot *slots, size_t cap, map_slot item)
{
    size_t i = slot_index(item.hash, cap);
    while (slots[i].key) i = (i + 1) & (cap - 1);
    slots[i] = item;
}

/* Add key -> value under the hash h; the key must not be in the map yet. */
static void map_put_hashed(strmap *m, const char *key, size_t len, uint64_t h, uint32_t value)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        map_slot *slots = xcalloc(cap, sizeof *slots);
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key) map_insert_slot(slots, cap, m->slots[i]);
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    map_slot item = {h, len <= 8 ? key_head(key, len) : 0, key, (uint32_t)len, value};
    map_insert_slot(m->slots, m->cap, item);
    m->n++;
}

static void map_put(strmap *m, const char *key, size_t len, uint32_t value)
{
    map_put_hashed(m, key, len, hash_bytes(key, len), value);
}

static int map_get(const strmap *m, const char *key, size_t len, uint32_t *value)
{
    const map_slot *s = map_find(m, hash_bytes(key, len), key, len);
    if (!s) return 0;
    *value = s->value;
    return 1;
}

/* Give a map its filter, once every key is in. */
static void map_add_filter(strmap *m)
{
    if (!m->n) return;
    m->filter = xcalloc(MAP_FILTER_BITS / 64, sizeof *m->filter);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].key) continue;
        size_t bit = filter_bit(m->slots[i].hash);
        m->filter[bit / 64] |= (uint64_t)1 << (bit % 64);
    }
}

static void map_free(strmap *m)
{
    free(m->filter);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------------------
 * The lexicon. */

#define NO_GATE UINT32_MAX

typedef struct rule_word {
    char *text;        /* folded; without the '*' of a prefix */
    uint32_t len;
    uint8_t prefix;    /* 1: matches any word starting with text */
} rule_word;

/* Conditions of a rule added in code (rule_conditions in lexicon.h). */
typedef struct rule_cond {
    rule_word *unless;  /* the first word must match none of these */
    uint32_t nunless;
    int8_t side;        /* -1: the word before, +1: the word after, 0: none */
    uint8_t negated;
    rule_word *near;    /* ... must (negated: must not) match one of these */
    uint32_t nnear;
} rule_cond;

typedef struct rule {
    uint32_t category;
    uint8_t exception;
    uint8_t anchored;  /* the phrase must start at a sentence start */
    char *id;          /* "FILE:LINE" */
    const char *source;/* the file's path, owned by lexicon.sources */
    long line;
    rule_cond *cond;   /* NULL for every rule of a .lex file */
    char *text;        /* the normalised rule, as messages show it */
    char *dup_key;     /* category and text: equal keys are duplicates */
    rule_word *words;  /* a phrase's words; NULL for a regex */
    uint32_t nwords;
    pcre2_code *re;    /* a regex; NULL for a phrase */
    uint32_t clause_first, nclauses;   /* a regex's prefilter clauses; 0: always run */
    uint64_t start_bit;   /* an anchored regex's bit in the sentence-start filter; 0: none */
} rule;

typedef struct category {
    char *name;
    char *description;
    const char *source;   /* where it was first named: path (in lexicon.sources) */
    long line;            /*   and line */
} category;

typedef struct lex_file {
    char *path;
    char sha256[SHA256_HEX_SIZE];
} lex_file;

/* A literal rule as filed in the index, with what matching needs first so
 * that most matches need no visit to the rule itself. */
typedef struct posting {
    uint32_t rule;
    uint32_t category;
    uint32_t nwords;
    uint8_t exception;
    uint8_t simple;   /* the words it is filed under are all it needs (not
                         anchored, no conditions, no further words) */
    uint8_t anchored;
    uint8_t streamed; /* its category's lexicon.cat_streamed */
} posting;

/* The literal rules filed under one key, as a slice of postings: count
 * that are checked where the key is found, then ndirect direct ones. */
typedef struct rule_range {
    uint32_t start, count;
    uint32_t has_pairs;   /* in exact_first: some phrases go on in pair_first (see
                             pair_seconds) */
    uint32_t ndirect;     /* single words of streamed categories, nothing else to check:
                             the word memo lists them per word (memo_entry) */
    uint64_t pair_seconds;   /* with has_pairs: bit pair_bit(h) for the hash h of each
                                of those phrases' second words, so that most next
                                words need no pair lookup */
} rule_range;

/* A literal of a regex prefilter clause, as compared where it is looked
 * for: s, its spaces made NULs (the scan text has a NUL after each word);
 * with has_lead, lead is a byte that must come just before (the literal's
 * own first byte, taken off it). */
typedef struct clause_literal {
    uint64_t head, mask;   /* the first 8 bytes of s (zero-padded), and which are used */
    char *s;
    uint32_t len;
    uint32_t clause;
    unsigned char has_lead, lead;
    uint64_t gate_bit;     /* its clause gates counted regex k < 64 (lexicon.counted_gate): bit k */
} clause_literal;

#define GRAM_FILTER_BITS 65536u
#define LONG_LITERAL 8     /* bytes from which a literal is long */

/* The clause literals that start with one gram: their first 3 bytes (for
 * literals of 3 bytes) or 4 (for those of 4 to 7 bytes). */
typedef struct gram_slot {
    uint32_t key;          /* the gram as gram_key gives it */
    uint32_t used;         /* 0: empty slot */
    uint32_t start, count; /* into gram_index.lits */
    uint32_t has_long;     /* (4-byte grams) some long literals start with it too */
} gram_slot;

/* Grams by open addressing, with a filter that turns most places away
 * before any slot is read. */
typedef struct gram_table {
    gram_slot *slots;
    size_t cap;            /* 0 or a power of two */
    uint64_t filter[GRAM_FILTER_BITS / 64];
} gram_table;

/* The long clause literals (8 bytes or more) that start with one eight bytes. */
typedef struct head_slot {
    uint64_t head;
    uint32_t start, count; /* into gram_index.lits; count 0: empty slot */
} head_slot;


/* Clause literals found by their first bytes: those of 3 bytes by the 3,
 * those of 4 to 7 by their first 4, and the long ones by their first 8
 * (found through their first 4). Keying on 4 bytes keeps common words away
 * from the literals that merely start like them ("the" from "then ", "to"
 * from "to drink"), and many long literals share a short start ("you must
 * be", "you must feel", ...), so they are not all compared where it is. */
typedef struct gram_index {
    clause_literal *lits;    /* sorted: 3 bytes by gram, 4 to 7 bytes by gram, long by head */
    size_t n, cap;
    gram_table three, four;
    head_slot *heads;        /* open addressing on the eight-byte head */
    size_t heads_cap;
} gram_index;

/* An anchored regex's start string that holds no space: the sentence's
 * first word must start with it. */
typedef struct start_prefix {
    char *s;
    uint32_t len;
    uint64_t bits;
} start_prefix;

#define START_BITS 64   /* anchored regexes with a sentence-start filter, at most */

struct lexicon {
    category *cats;
    size_t ncats, cats_cap;
    rule *rules;
    size_t nrules, rules_cap;
    lex_file *files;
    size_t nfiles, files_cap;
    char **sources;          /* every file path rules and categories name, once each */
    size_t nsources, sources_cap;
    strmap cat_names;        /* category name -> index */
    strmap dup_keys;         /* rule dup_key -> rule index */
    pcre2_general_context *gctx;
    pcre2_compile_context *cctx;
    int finished;
    /* built by lexicon_finish */
    strmap exact_first;      /* exact first word -> rule_range index */
    strmap pair_first;       /* "first\0second" exact words -> rule_range index */
    strmap prefix_first;     /* first-word prefix -> rule_range index */
    char **pair_keys;        /* the keys of pair_first */
    size_t npair_keys, pair_keys_cap;
    rule_range *ranges;
    size_t nranges, ranges_cap;
    posting *postings;       /* in rule order within a range, the direct ones last */
    uint64_t exact_lens;     /* bit min(len, 63) for the length of each key of exact_first */
    uint32_t *prefix_lens;   /* distinct prefix byte lengths, ascending */
    size_t nprefix_lens;
    uint32_t *counted_regex; /* the regex rules that count, in order */
    size_t ncounted_regex;
    uint32_t *counted_gate;  /* per counted regex: its first prefilter clause, which an
                                utterance must have for it to run; NO_GATE: none */
    uint64_t ungated;        /* bit k: counted regex k < 64 has no gate (always considered) */
    uint64_t *clause_gate_bits;   /* per prefilter clause: the counted regexes it gates (as
                                     clause_literal.gate_bit) */
    uint32_t *regex_exceptions;   /* the regex rules that are exceptions, by category */
    size_t nregex_exceptions;
    uint32_t *cat_exceptions;     /* per category c: its exception regexes are regex_exceptions
                                     [cat_exceptions[c], cat_exceptions[c + 1]) */
    uint64_t *exception_cat_bits; /* bit per category (as match_scratch.cat_seen): it has
                                     exception regexes */
    uint8_t *cat_literal_exceptions;   /* per category: it has exception phrases */
    uint8_t *cat_streamed;   /* per category: it has no exceptions and no regex rules, so its
                                candidates all come from the literal pass, in word order, and
                                leftmost-longest is chosen as they are found (add_found) */
    size_t nclauses;         /* regex prefilter clauses, of all rules */
    gram_index at_word;      /* their literals looked for only where a word may start */
    gram_index anywhere;     /*   and at every byte (only those that need it) */
    /* at_word's literals by the word they start with, for the word memo:
     * one holding a NUL (a space) by the word before it, one without by
     * itself (a word starting with it may hold it); groups of lit_items */
    strmap lit_words, lit_prefixes;
    uint32_t *lit_prefix_lens;    /* distinct key lengths of lit_prefixes, ascending */
    size_t nlit_prefix_lens;
    rule_range *lit_groups;       /* start, count into lit_items */
    size_t nlit_groups, lit_groups_cap;
    uint32_t *lit_items;          /* indexes into at_word.lits */
    int use_memo;                 /* matching looks words up in a match_scratch's memo */
    /* the sentence-start filter of anchored regexes: a sentence's first word
     * gives the bits of the regexes that can match there */
    size_t nstart_rules;
    strmap start_words;      /* whole first word -> index into start_bits */
    uint64_t *start_bits;
    size_t nstart_bits, start_bits_cap;
    char **start_keys;       /* the keys of start_words */
    size_t nstart_keys, start_keys_cap;
    start_prefix *start_prefixes;   /* first words starting with these */
    size_t nstart_prefixes, start_prefixes_cap;
};

static void gram_index_free(gram_index *gx)
{
    for (size_t i = 0; i < gx->n; i++) free(gx->lits[i].s);
    free(gx->lits);
    free(gx->three.slots);
    free(gx->four.slots);
    free(gx->heads);
    memset(gx, 0, sizeof *gx);
}

static void free_words(rule_word *words, size_t n)
{
    for (size_t i = 0; i < n; i++) free(words[i].text);
    free(words);
}

static void free_cond(rule_cond *c)
{
    if (!c) return;
    free_words(c->unless, c->nunless);
    free_words(c->near, c->nnear);
    free(c);
}

/* A path as the lexicon keeps it for rules and categories: one copy each. */
static const char *intern_source(lexicon *lx, const char *path)
{
    for (size_t i = lx->nsources; i > 0; i--)
        if (strcmp(lx->sources[i - 1], path) == 0) return lx->sources[i - 1];
    lx->sources = xgrow(lx->sources, &lx->sources_cap, lx->nsources + 1, sizeof *lx->sources);
    return lx->sources[lx->nsources++] = xstrdup(path);
}

/* PCRE2 allocates through these, so its memory is xalloc's too. */
static void *regex_alloc(PCRE2_SIZE n, void *unused)
{
    (void)unused;
    return xmalloc(n ? n : 1);
}

static void regex_release(void *p, void *unused)
{
    (void)unused;
    free(p);
}

lexicon *lexicon_new(void)
{
    lexicon *lx = xcalloc(1, sizeof *lx);
    lx->gctx = pcre2_general_context_create(regex_alloc, regex_release, NULL);
    lx->cctx = pcre2_compile_context_create(lx->gctx);
    return lx;
}

void lexicon_free(lexicon *lx)
{
    if (!lx) return;
    for (size_t i = 0; i < lx->ncats; i++) {
        free(lx->cats[i].name);
        free(lx->cats[i].description);
    }
    for (size_t i = 0; i < lx->nrules; i++) {
        rule *r = &lx->rules[i];
        for (uint32_t k = 0; k < r->nwords; k++) free(r->words[k].text);
        free(r->words);
        free_cond(r->cond);
        free(r->id);
        free(r->text);
        free(r->dup_key);
        pcre2_code_free(r->re);
    }
    for (size_t i = 0; i < lx->nfiles; i++) free(lx->files[i].path);
    for (size_t i = 0; i < lx->nsources; i++) free(lx->sources[i]);
    free(lx->sources);
    free(lx->cats);
    free(lx->rules);
    free(lx->files);
    map_free(&lx->cat_names);
    map_free(&lx->dup_keys);
    map_free(&lx->exact_first);
    map_free(&lx->pair_first);
    map_free(&lx->prefix_first);
    for (size_t i = 0; i < lx->npair_keys; i++) free(lx->pair_keys[i]);
    free(lx->pair_keys);
    gram_index_free(&lx->at_word);
    gram_index_free(&lx->anywhere);
    map_free(&lx->lit_words);
    map_free(&lx->lit_prefixes);
    free(lx->lit_prefix_lens);
    free(lx->lit_groups);
    free(lx->lit_items);
    map_free(&lx->start_words);
    free(lx->start_bits);
    for (size_t i = 0; i < lx->nstart_keys; i++) free(lx->start_keys[i]);
    free(lx->start_keys);
    for (size_t i = 0; i < lx->nstart_prefixes; i++) free(lx->start_prefixes[i].s);
    free(lx->start_prefixes);
    free(lx->ranges);
    free(lx->postings);
    free(lx->prefix_lens);
    free(lx->counted_regex);
    free(lx->counted_gate);
    free(lx->clause_gate_bits);
    free(lx->regex_exceptions);
    free(lx->cat_exceptions);
    free(lx->exception_cat_bits);
    free(lx->cat_literal_exceptions);
    free(lx->cat_streamed);
    pcre2_compile_context_free(lx->cctx);
    pcre2_general_context_free(lx->gctx);
    free(lx);
}

/* ------------------------------------------------------------------------
 * Parsing. */

typedef struct parser {
    lexicon *lx;
    const char *source;    /* the path, for messages (interned) */
    const char *file;      /* the file name without folders, for rule ids */
    diag_list *d;
    long line;
    long category;         /* current category; NO_CATEGORY or BROKEN_HEADER */
    int told_no_category;  /* "rule before any category" said once per file */
    int errors;
    const rule_conditions *cond;   /* lexicon_add_rule_if: conditions of the rule */
} parser;

#define NO_CATEGORY (-1L)
#define BROKEN_HEADER (-2L)   /* rules under a bad header are checked, not kept */

static void parse_error(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void parse_error(parser *p, const char *fmt, ...)
{
    buf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    diag_add(p->d, p->source, p->line, SEV_ERROR, "%s", buf_str(&msg));
    buf_free(&msg);
    p->errors++;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_blank(**s)) (*s)++, (*n)--;
    while (*n && is_blank((*s)[*n - 1])) (*n)--;
}

static uint32_t first_cp(const char *s, size_t n)
{
    uint32_t cp;
    int ok;
    utf8_decode((const unsigned char *)s, n, &cp, &ok);
    return cp;
}

/* A phrase starts with a letter or digit of any script, or an apostrophe. */
static int can_start_phrase(const char *s, size_t n)
{
    uint32_t cp = first_cp(s, n);
    return cp == '\'' || cp == 0x2019 || utf8_is_word_char(cp);
}

static int can_start_rule(const char *s, size_t n)
{
    return s[0] == '^' || s[0] == '/' || can_start_phrase(s, n);
}

/* The first whitespace-separated token of s, at most about 40 bytes (cut at
 * a character boundary), for quoting in messages. */
static int token_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && !is_blank(s[i])) i++;
    if (i > 40) {
        i = 40;
        while (i && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
    }
    return (int)i;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int valid_category_name(const char *s, size_t n)
{
    if (!n) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return 0;
    }
    return 1;
}

/* A name that would be accepted: ASCII lowercased, anything else '_'. */
static char *suggest_category_name(const char *s, size_t n)
{
    buf out = {0};
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z') buf_addc(&out, (char)(c + 32));
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') buf_addc(&out, (char)c);
        else buf_addc(&out, '_');
        uint32_t cp;
        int ok;
        i += utf8_decode((const unsigned char *)s + i, n - i, &cp, &ok);
    }
    if (!out.len) buf_adds(&out, "name");
    return buf_take(&out);
}

static uint32_t add_category(lexicon *lx, const char *name, size_t n, const char *source, long line)
{
    lx->cats = xgrow(lx->cats, &lx->cats_cap, lx->ncats + 1, sizeof *lx->cats);
    category *c = &lx->cats[lx->ncats];
    c->name = xstrndup(name, n);
    c->description = xstrdup("");
    c->source = intern_source(lx, source);
    c->line = line;
    map_put(&lx->cat_names, c->name, n, (uint32_t)lx->ncats);
    return (uint32_t)lx->ncats++;
}

/* "[name] description": start (or resume) a category. */
static void parse_category(parser *p, const char *s, size_t n)
{
    const char *close = memchr(s, ']', n);
    p->category = BROKEN_HEADER;
    if (!close) {
        parse_error(p, "category header \"%.*s\" has no closing \"]\": write it as [name] description",
                    token_len(s, n), s);
        return;
    }
    const char *name = s + 1;
    size_t name_len = (size_t)(close - name);
    if (!name_len) {
        parse_error(p, "empty category name \"[]\": put a name between the brackets, as in [directive]");
        return;
    }
    if (!valid_category_name(name, name_len)) {
        char *fix = suggest_category_name(name, name_len);
        parse_error(p, "bad category name \"%.*s\": use only lowercase letters, digits and _, as in [%s]",
                    (int)name_len, name, fix);
        free(fix);
        return;
    }
    const char *desc = close + 1;
    size_t desc_len = n - (size_t)(desc - s);
    trim(&desc, &desc_len);
    lexicon *lx = p->lx;
    uint32_t cat;
    if (!map_get(&lx->cat_names, name, name_len, &cat)) cat = add_category(lx, name, name_len, p->source, p->line);
    if (!lx->cats[cat].description[0] && desc_len) {
        free(lx->cats[cat].description);
        lx->cats[cat].description = xstrndup(desc, desc_len);
    }
    p->category = (long)cat;
}

/* Fold a rule word the way the tokenizer folds transcript words. */
static void fold_word(const char *s, size_t n, buf *out)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        int ok;
        i += utf8_decode((const unsigned char *)s + i, n - i, &cp, &ok);
        cp = cp == 0x2019 ? '\'' : utf8_fold(cp);
        char enc[4];
        buf_add(out, enc, utf8_encode(cp, enc));
    }
}

/* Whether the tokenizer can produce a word equal to (or, for a prefix,
 * starting with) s: runs of letters and digits joined by single ' or -. */
static int word_can_match(const char *s, size_t n, int prefix)
{
    enum { START, IN_WORD, AFTER_JOINER } state = START;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        int ok;
        i += utf8_decode((const unsigned char *)s + i, n - i, &cp, &ok);
        if (utf8_is_word_char(cp)) {
            state = IN_WORD;
        } else if (cp == '\'' || cp == '-') {
            if (state != IN_WORD) return 0;
            state = AFTER_JOINER;
        } else {
            return 0;
        }
    }
    return state == IN_WORD || (prefix && state == AFTER_JOINER);
}

char *lexicon_fold(const char *s, size_t n)
{
    buf out = {0};
    fold_word(s, n, &out);
    return buf_take(&out);
}

int lexicon_word_can_match(const char *s, size_t n, int prefix)
{
    return word_can_match(s, n, prefix);
}

/* Split a phrase into folded words. Returns 0, or -1 after an error. */
static int parse_phrase(parser *p, const char *s, size_t n, rule_word **out, uint32_t *count, buf *text)
{
    rule_word *words = NULL;
    size_t nwords = 0, cap = 0, i = 0;
    while (i < n) {
        while (i < n && is_blank(s[i])) i++;
        size_t start = i;
        while (i < n && !is_blank(s[i])) i++;
        if (i == start) break;
        const char *w = s + start;
        size_t len = i - start;
        const char *star = memchr(w, '*', len);
        if (star && len == 1) {
            parse_error(p, "bare \"*\": put the start of a word before it, as in advis*");
            free_words(words, nwords);
            return -1;
        }
        if (star && star != w + len - 1) {
            parse_error(p, "\"*\" inside \"%.*s\": \"*\" may only end a word, as in advis*", (int)len, w);
            free_words(words, nwords);
            return -1;
        }
        int prefix = star != NULL;
        buf folded = {0};
        fold_word(w, len - (size_t)prefix, &folded);
        if (!word_can_match(buf_str(&folded), folded.len, prefix))
            diag_add(p->d, p->source, p->line, SEV_WARNING,
                     "the word \"%.*s\" can never match: transcript words are letters and digits "
                     "with ' or - only between them; remove the other characters",
                     (int)len, w);
        if (text->len) buf_addc(text, ' ');
        buf_add(text, buf_str(&folded), folded.len);
        if (prefix) buf_addc(text, '*');
        words = xgrow(words, &cap, nwords + 1, sizeof *words);
        words[nwords].len = (uint32_t)folded.len;
        words[nwords].prefix = (uint8_t)prefix;
        words[nwords].text = buf_take(&folded);
        nwords++;
    }
    *out = words;
    *count = (uint32_t)nwords;
    return 0;
}

/* "/pattern/": compile it. Returns the code, or NULL after an error. */
static pcre2_code *parse_regex(parser *p, const char *s, size_t n)
{
    if (n < 2 || s[n - 1] != '/') {
        parse_error(p, "unterminated regex \"%.*s\": end the pattern with \"/\" at the end of the line",
                    (int)n, s);
        return NULL;
    }
    if (n == 2) {
        parse_error(p, "empty regex \"//\": write a pattern between the slashes");
        return NULL;
    }
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)(s + 1), n - 2, PCRE2_UTF | PCRE2_UCP, &code, &offset,
                                   p->lx->cctx);
    if (!re) {
        PCRE2_UCHAR why[256];
        if (pcre2_get_error_message(code, why, sizeof why) < 0) strcpy((char *)why, "unknown error");
        parse_error(p, "bad regex %.*s: %s at offset %zu of the pattern; fix the pattern",
                    (int)n, s, (const char *)why, (size_t)offset);
        return NULL;
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);   /* without JIT the interpreter runs it */
    return re;
}

/* Append v in decimal: what buf_addf's %lu would give, without parsing a
 * format for every rule of a lexicon. */
static void buf_add_decimal(buf *b, unsigned long v)
{
    char digits[24];
    size_t i = sizeof digits;
    do digits[--i] = (char)('0' + v % 10);
    while (v /= 10);
    buf_add(b, digits + i, sizeof digits - i);
}

/* Keep a parsed rule, unless the category already has the same one. */
static void add_rule(parser *p, rule *r)
{
    lexicon *lx = p->lx;
    buf key = {0};   /* "CATEGORY\nTEXT" */
    buf_add_decimal(&key, r->category);
    buf_addc(&key, '\n');
    buf_adds(&key, r->text);
    uint32_t first;
    if (map_get(&lx->dup_keys, key.data, key.len, &first)) {
        diag_add(p->d, p->source, p->line, SEV_WARNING,
                 "duplicate rule \"%s\" in [%s]: %s repeats %s and is ignored; delete one of them",
                 r->text, lx->cats[r->category].name, r->id, lx->rules[first].id);
        buf_free(&key);
        free_words(r->words, r->nwords);
        free_cond(r->cond);
        free(r->id);
        free(r->text);
        pcre2_code_free(r->re);
        return;
    }
    r->dup_key = buf_take(&key);
    lx->rules = xgrow(lx->rules, &lx->rules_cap, lx->nrules + 1, sizeof *lx->rules);
    lx->rules[lx->nrules] = *r;
    map_put(&lx->dup_keys, r->dup_key, strlen(r->dup_key), (uint32_t)lx->nrules);
    lx->nrules++;
}

/* Condition words ("care", "career*") folded like phrase words. Returns 0,
 * or -1 after an error. */
static int condition_words(parser *p, const char *const *in, size_t n, rule_word **out, uint32_t *count)
{
    *out = NULL;
    *count = 0;
    if (!n) return 0;
    rule_word *words = xcalloc(n, sizeof *words);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(in[i]);
        const char *star = memchr(in[i], '*', len);
        int bare = len == 1 && star;
        if (!len || bare || (star && star != in[i] + len - 1)) {
            parse_error(p, "bad condition word \"%s\": write a word, or the start of one followed by *",
                        in[i]);
            free_words(words, i);
            return -1;
        }
        buf folded = {0};
        fold_word(in[i], len - (star != NULL), &folded);
        words[i].len = (uint32_t)folded.len;
        words[i].prefix = star != NULL;
        words[i].text = buf_take(&folded);
    }
    *out = words;
    *count = (uint32_t)n;
    return 0;
}

/* Give a phrase rule being parsed the parser's conditions; the note joins
 * its text. Returns 0, or -1 after an error. */
static int attach_conditions(parser *p, rule *r, buf *text)
{
    const rule_conditions *c = p->cond;
    if (r->re) {
        parse_error(p, "conditions given for a regex (a bug in dyad): only phrases take conditions");
        return -1;
    }
    rule_cond *rc = xcalloc(1, sizeof *rc);
    rc->side = (int8_t)(c->side < 0 ? -1 : c->side > 0 ? 1 : 0);
    rc->negated = (uint8_t)(c->negated != 0);
    if (condition_words(p, c->unless, c->n_unless, &rc->unless, &rc->nunless) < 0 ||
        (rc->side && condition_words(p, c->near, c->n_near, &rc->near, &rc->nnear) < 0)) {
        free_cond(rc);
        return -1;
    }
    if (c->note && c->note[0]) buf_addf(text, " %s", c->note);
    r->cond = rc;
    return 0;
}

/* A rule line, after a leading "!" (if any) has been taken off. */
static void parse_rule(parser *p, int exception, const char *s, size_t n)
{
    if (p->category == NO_CATEGORY) {
        if (!p->told_no_category)
            parse_error(p, "rule before any category: put a category line such as "
                           "\"[name] description\" above it");
        p->told_no_category = 1;
        return;
    }
    rule r = {0};
    r.exception = (uint8_t)exception;
    buf text = {0};
    if (exception) buf_adds(&text, "! ");
    if (s[0] == '^') {
        r.anchored = 1;
        buf_addc(&text, '^');
        s++, n--;
        trim(&s, &n);
        if (!n) {
            parse_error(p, "empty phrase after \"^\": put a phrase after it, as in ^try");
            buf_free(&text);
            return;
        }
        if (s[0] == '/') {
            parse_error(p, "\"^\" before a /regex/: anchor the pattern inside the slashes instead, as in /^try/");
            buf_free(&text);
            return;
        }
    }
    if (s[0] == '/') {
        r.re = parse_regex(p, s, n);
        if (!r.re) {
            buf_free(&text);
            return;
        }
        buf_add(&text, s, n);
    } else {
        if (!can_start_phrase(s, n)) {
            parse_error(p, "\"%.*s\" cannot start a phrase after \"%s\": a phrase starts with a letter, "
                           "a digit or '",
                        token_len(s, n), s, r.anchored ? "^" : "!");
            buf_free(&text);
            return;
        }
        buf phrase = {0};
        if (parse_phrase(p, s, n, &r.words, &r.nwords, &phrase) < 0) {
            buf_free(&phrase);
            buf_free(&text);
            return;
        }
        buf_add(&text, buf_str(&phrase), phrase.len);
        buf_free(&phrase);
    }
    if (p->category == BROKEN_HEADER) {   /* checked; the header's error stands for it */
        free_words(r.words, r.nwords);
        pcre2_code_free(r.re);
        buf_free(&text);
        return;
    }
    if (p->cond && attach_conditions(p, &r, &text) < 0) {
        free_words(r.words, r.nwords);
        pcre2_code_free(r.re);
        buf_free(&text);
        return;
    }
    r.category = (uint32_t)p->category;
    r.text = buf_take(&text);
    buf id = {0};   /* "FILE:LINE" */
    buf_adds(&id, p->file);
    buf_addc(&id, ':');
    if (p->line < 0) buf_addc(&id, '-');
    buf_add_decimal(&id, p->line < 0 ? 0UL - (unsigned long)p->line : (unsigned long)p->line);
    r.id = buf_take(&id);
    r.source = p->source;
    r.line = p->line;
    add_rule(p, &r);
}

static void parse_line(parser *p, const char *s, size_t n)
{
    trim(&s, &n);
    if (!n || s[0] == '#') return;
    if (s[0] == '[') {
        parse_category(p, s, n);
        return;
    }
    if (s[0] == '!') {
        const char *body = s + 1;
        size_t body_len = n - 1;
        trim(&body, &body_len);
        if (!body_len) {
            parse_error(p, "empty exception \"!\": put the phrase or /regex/ to exclude after the \"!\"");
            return;
        }
        parse_rule(p, 1, body, body_len);
        return;
    }
    if (!can_start_rule(s, n)) {
        parse_error(p, "unknown directive \"%.*s\": a line is a phrase, ^phrase, /regex/, ! exception, "
                       "[category] or # comment",
                    token_len(s, n), s);
        return;
    }
    parse_rule(p, 0, s, n);
}

static void add_file(lexicon *lx, const char *path, const char *bytes, size_t n)
{
    lx->files = xgrow(lx->files, &lx->files_cap, lx->nfiles + 1, sizeof *lx->files);
    lex_file *f = &lx->files[lx->nfiles++];
    f->path = xstrdup(path);
    sha256_hex(bytes, n, f->sha256);
}

/* Record the file, then parse its bytes; messages name `source`. */
static int parse_bytes(lexicon *lx, const char *source, const char *bytes, size_t n, diag_list *d)
{
    if (lx->finished) {
        diag_add(d, source, 0, SEV_ERROR,
                 "lexicon loaded after lexicon_finish (a bug in dyad): load every lexicon file first");
        return -1;
    }
    add_file(lx, source, bytes, n);
    if (n == 0) return 0;   /* an empty file has no rules; nothing wrong with it */
    text_file tf;
    if (text_from_bytes(&tf, bytes, n, source, d) < 0) return -1;
    parser p = {lx, intern_source(lx, source), base_name(source), d, 0, NO_CATEGORY, 0, 0, NULL};
    text_cursor cur;
    text_cursor_init(&cur, &tf);
    const char *line;
    size_t len;
    while (text_next_line(&cur, &line, &len)) {
        p.line = cur.line;
        parse_line(&p, line, len);
    }
    text_free(&tf);
    return p.errors ? -1 : 0;
}

int lexicon_load_text(lexicon *lx, const char *name, const char *text, size_t len, diag_list *d)
{
    return parse_bytes(lx, name, text, len, d);
}

static int load_file(lexicon *lx, const char *path, diag_list *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_add(d, path, 0, SEV_ERROR, "cannot open lexicon: %s; check the path", strerror(errno));
        return -1;
    }
    buf raw = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_add(&raw, chunk, n);
    int failed = ferror(f), err = errno;
    fclose(f);
    if (failed) {
        diag_add(d, path, 0, SEV_ERROR, "cannot read lexicon: %s; check that it is a readable file", strerror(err));
        buf_free(&raw);
        return -1;
    }
    int rc = parse_bytes(lx, path, buf_str(&raw), raw.len, d);
    buf_free(&raw);
    return rc;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_lex_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 4 && strcmp(name + n - 4, ".lex") == 0;
}

/* A name ending in ".dic", any case. */
static int is_dic_name(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcasecmp(path + n - 4, ".dic") == 0;
}

static char *join_path(const char *folder, const char *name)
{
    buf b = {0};
    buf_adds(&b, folder);
    if (b.len && b.data[b.len - 1] != '/') buf_addc(&b, '/');
    buf_adds(&b, name);
    return buf_take(&b);
}

/* Every regular *.lex file of a folder (not its subfolders), by name. */
static int load_folder(lexicon *lx, const char *folder, diag_list *d)
{
    DIR *dir = opendir(folder);
    if (!dir) {
        diag_add(d, folder, 0, SEV_ERROR, "cannot read lexicon folder: %s; check its permissions", strerror(errno));
        return -1;
    }
    char **paths = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (!is_lex_name(e->d_name)) continue;
        char *path = join_path(folder, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        paths = xgrow(paths, &cap, n + 1, sizeof *paths);
        paths[n++] = path;
    }
    closedir(dir);
    if (!n) {
        diag_add(d, folder, 0, SEV_ERROR,
                 "no .lex files in this lexicon folder: add rule files named NAME.lex, or give one file");
        return -1;
    }
    qsort(paths, n, sizeof *paths, compare_names);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (load_file(lx, paths[i], d) < 0) rc = -1;
        free(paths[i]);
    }
    free(paths);
    return rc;
}

int lexicon_load(lexicon *lx, const char *path, diag_list *d)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_add(d, path, 0, SEV_ERROR, "cannot open lexicon: %s; check the path", strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) return load_folder(lx, path, d);
    if (is_dic_name(path)) {
        diag_add(d, path, 0, SEV_ERROR,
                 "this is a LIWC dictionary (.dic), not a .lex lexicon: give it with --dic instead of --lexicon");
        return -1;
    }
    return load_file(lx, path, d);
}

/* ------------------------------------------------------------------------
 * Building in code (the .dic reader). */

void lexicon_add_file(lexicon *lx, const char *path, const char *bytes, size_t n)
{
    add_file(lx, path, bytes, n);
}

int lexicon_add_category(lexicon *lx, const char *name, const char *description, const char *source, long line)
{
    size_t n = strlen(name);
    if (lx->finished || !valid_category_name(name, n)) return -1;
    uint32_t cat;
    if (!map_get(&lx->cat_names, name, n, &cat)) cat = add_category(lx, name, n, source, line);
    if (description && description[0] && !lx->cats[cat].description[0]) {
        free(lx->cats[cat].description);
        lx->cats[cat].description = xstrdup(description);
    }
    return (int)cat;
}

static int add_rule_text(lexicon *lx, const char *category, const char *description, const char *rule_text,
                         const rule_conditions *cond, const char *source, long line, diag_list *d)
{
    parser p = {lx, intern_source(lx, source), base_name(source), d, line, NO_CATEGORY, 0, 0, cond};
    if (lx->finished) {
        parse_error(&p, "rule added after lexicon_finish (a bug in dyad): add every rule first");
        return -1;
    }
    int cat = lexicon_add_category(lx, category, description, source, line);
    if (cat < 0) {
        char *fix = suggest_category_name(category, strlen(category));
        parse_error(&p, "bad category name \"%s\": use only lowercase letters, digits and _, as in [%s]",
                    category, fix);
        free(fix);
        return -1;
    }
    p.category = cat;
    const char *s = rule_text;
    size_t n = strlen(s);
    trim(&s, &n);
    if (!n || s[0] == '#' || s[0] == '[') {
        parse_error(&p, "\"%s\" is not a rule: write a phrase, ^phrase, /regex/ or ! exception", rule_text);
        return -1;
    }
    parse_line(&p, s, n);
    return p.errors ? -1 : 0;
}

int lexicon_add_rule(lexicon *lx, const char *category, const char *description, const char *rule_text,
                     const char *source, long line, diag_list *d)
{
    return add_rule_text(lx, category, description, rule_text, NULL, source, line, d);
}

int lexicon_add_rule_if(lexicon *lx, const char *category, const char *rule_text, const rule_conditions *cond,
                        const char *source, long line, diag_list *d)
{
    return add_rule_text(lx, category, NULL, rule_text, cond, source, line, d);
}

/* ------------------------------------------------------------------------
 * The index over literal rules. A phrase whose first two words are exact is
 * filed under both ("first\0second" in pair_first), so a common first word
 * such as "i" or "you" does not send every phrase starting with it to
 * word-by-word checking; its first word's exact_first entry says that pairs
 * exist. A phrase whose first word is a prefix is filed under that prefix;
 * every other phrase under its exact first word. */

static uint32_t group_for(lexicon *lx, strmap *m, const char *key, size_t len)
{
    uint32_t idx;
    if (map_get(m, key, len, &idx)) return idx;
    lx->ranges = xgrow(lx->ranges, &lx->ranges_cap, lx->nranges + 1, sizeof *lx->ranges);
    memset(&lx->ranges[lx->nranges], 0, sizeof *lx->ranges);
    map_put(m, key, len, (uint32_t)lx->nranges);
    return (uint32_t)lx->nranges++;
}

static int filed_by_pair(const rule *r)
{
    return r->nwords >= 2 && !r->words[0].prefix && !r->words[1].prefix;
}

/* The bit of a pair's second word, from its hash, in rule_range.pair_seconds. */
static inline uint64_t pair_bit(uint64_t second)
{
    return (uint64_t)1 << (second >> 58);
}

/* Pairs are hashed from their words' hashes (hash_pair), as matching does. */
static uint32_t pair_group_for(lexicon *lx, const rule_word *w)
{
    uint32_t first = group_for(lx, &lx->exact_first, w[0].text, w[0].len);
    lx->ranges[first].has_pairs = 1;
    lx->ranges[first].pair_seconds |= pair_bit(hash_bytes(w[1].text, w[1].len));
    buf key = {0};
    buf_add(&key, w[0].text, w[0].len);
    buf_addc(&key, '\0');
    buf_add(&key, w[1].text, w[1].len);
    uint64_t h = hash_pair(hash_bytes(w[0].text, w[0].len), hash_bytes(w[1].text, w[1].len));
    const map_slot *slot = map_find(&lx->pair_first, h, key.data, key.len);
    if (slot) {
        buf_free(&key);
        return slot->value;
    }
    size_t len = key.len;
    lx->pair_keys = xgrow(lx->pair_keys, &lx->pair_keys_cap, lx->npair_keys + 1, sizeof *lx->pair_keys);
    char *owned = lx->pair_keys[lx->npair_keys++] = buf_take(&key);
    lx->ranges = xgrow(lx->ranges, &lx->ranges_cap, lx->nranges + 1, sizeof *lx->ranges);
    memset(&lx->ranges[lx->nranges], 0, sizeof *lx->ranges);
    map_put_hashed(&lx->pair_first, owned, len, h, (uint32_t)lx->nranges);
    return (uint32_t)lx->nranges++;
}

static uint32_t literal_group(lexicon *lx, const rule *r)
{
    const rule_word *w = r->words;
    if (w[0].prefix) return group_for(lx, &lx->prefix_first, w[0].text, w[0].len);
    if (filed_by_pair(r)) return pair_group_for(lx, w);
    return group_for(lx, &lx->exact_first, w[0].text, w[0].len);
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void collect_prefix_lengths(lexicon *lx)
{
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < lx->nrules; i++) {
        const rule *r = &lx->rules[i];
        if (r->re || !r->words[0].prefix) continue;
        lx->prefix_lens = xgrow(lx->prefix_lens, &cap, n + 1, sizeof *lx->prefix_lens);
        lx->prefix_lens[n++] = r->words[0].len;
    }
    if (n) qsort(lx->prefix_lens, n, sizeof *lx->prefix_lens, compare_u32);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (!distinct || lx->prefix_lens[distinct - 1] != lx->prefix_lens[i])
            lx->prefix_lens[distinct++] = lx->prefix_lens[i];
    lx->nprefix_lens = distinct;
}

/* A rule that matches wherever its one word is, in a streamed category:
 * found through the word memo alone, its match needs no check. */
static int is_direct(const lexicon *lx, const rule *r)
{
    return !r->re && r->nwords == 1 && !r->anchored && !r->cond && lx->cat_streamed[r->category];
}

static void build_literal_index(lexicon *lx)
{
    size_t nliteral = 0;
    uint32_t *group_of = xmalloc((lx->nrules ? lx->nrules : 1) * sizeof *group_of);
    for (size_t i = 0; i < lx->nrules; i++) {
        if (lx->rules[i].re) continue;
        group_of[i] = literal_group(lx, &lx->rules[i]);
        if (is_direct(lx, &lx->rules[i])) lx->ranges[group_of[i]].ndirect++;
        else lx->ranges[group_of[i]].count++;
        nliteral++;
    }
    /* each range's postings in rule order, the direct ones after the others:
     * filled[g] counts those placed so far */
    uint32_t *filled = xcalloc(lx->nranges ? lx->nranges : 1, sizeof *filled);
    uint32_t start = 0;
    for (size_t i = 0; i < lx->nranges; i++) {
        lx->ranges[i].start = start;
        start += lx->ranges[i].count + lx->ranges[i].ndirect;
    }
    lx->postings = xmalloc((nliteral ? nliteral : 1) * sizeof *lx->postings);
    for (int direct = 0; direct < 2; direct++) {
        for (size_t i = 0; i < lx->nrules; i++) {
            const rule *r = &lx->rules[i];
            if (r->re || is_direct(lx, r) != direct) continue;
            const rule_range *rg = &lx->ranges[group_of[i]];
            posting *pp = &lx->postings[rg->start + filled[group_of[i]]++];
            pp->rule = (uint32_t)i;
            pp->category = r->category;
            pp->nwords = r->nwords;
            pp->exception = r->exception;
            pp->simple = !r->anchored && !r->cond && r->nwords == (filed_by_pair(r) ? 2u : 1u);
            pp->anchored = r->anchored;
            pp->streamed = lx->cat_streamed[r->category];
        }
    }
    free(filled);
    free(group_of);
    collect_prefix_lengths(lx);
    map_add_filter(&lx->exact_first);
    map_add_filter(&lx->pair_first);
    map_add_filter(&lx->prefix_first);
    for (size_t i = 0; i < lx->exact_first.cap; i++) {
        uint32_t len = lx->exact_first.slots[i].len;
        if (lx->exact_first.slots[i].key) lx->exact_lens |= (uint64_t)1 << (len < 63 ? len : 63);
    }
}

/* ------------------------------------------------------------------------
 * The regex prefilter: the literals of every regex rule's clauses, found in
 * an utterance by one scan keyed on their first bytes (gram_index).
 *
 * A literal that starts at a word boundary and with an ASCII letter or digit
 * (regex_literals.h) can only be where the byte before is not one: it is
 * looked for only there ("at_word"), which in a subject of words joined by
 * spaces is little more than once per word. So is one that starts with an
 * ASCII character that is not a word character followed by a letter or
 * digit (" together", "'m not"): the rest is looked for where a word may
 * start, with that character just before it. Other literals need a probe at
 * every byte ("anywhere"); a rule that has a clause of at_word literals
 * keeps only such clauses, so the byte-by-byte scan runs only for lexicons
 * whose regexes give nothing better.
 *
 * Anchored regexes (/^.../) also get a sentence-start filter: the start
 * strings every match begins with give, for each possible first word of a
 * sentence, the bits of the regexes that can match there. */

/* A mask that keeps the first n (<= 4) bytes of a 4-byte load. */
static inline uint32_t keep_mask32(size_t n)
{
    uint32_t mask;
    memcpy(&mask, &KEEP_BYTES[8 - n], 4);
    return mask;
}

/* The gram of k (3 or 4) bytes at s, where 4 bytes can be read. */
static inline uint32_t gram_key(const unsigned char *s, size_t k)
{
    return (uint32_t)load32((const char *)s) & keep_mask32(k);
}

static inline uint32_t gram_hash(uint32_t gram)
{
    uint32_t h = gram * 0x9E3779B1u;
    return h ^ (h >> 16);
}

static inline const gram_slot *gram_find(const gram_table *t, uint32_t gram)
{
    if (!t->cap) return NULL;
    uint32_t h = gram_hash(gram), bit = h & (GRAM_FILTER_BITS - 1);
    if (!(t->filter[bit / 64] >> (bit % 64) & 1)) return NULL;
    for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        const gram_slot *g = &t->slots[i];
        if (!g->used) return NULL;
        if (g->key == gram) return g;
    }
}

static gram_slot *gram_slot_for(gram_table *t, uint32_t gram)
{
    uint32_t h = gram_hash(gram), bit = h & (GRAM_FILTER_BITS - 1);
    size_t i = h & (t->cap - 1);
    while (t->slots[i].used && t->slots[i].key != gram) i = (i + 1) & (t->cap - 1);
    if (!t->slots[i].used) {
        t->slots[i].used = 1;
        t->slots[i].key = gram;
        t->filter[bit / 64] |= (uint64_t)1 << (bit % 64);
    }
    return &t->slots[i];
}

static inline uint64_t head_hash(uint64_t head)
{
    return hash_finish(head);
}

static inline const head_slot *head_find(const gram_index *gx, uint64_t head)
{
    for (size_t i = head_hash(head) & (gx->heads_cap - 1);; i = (i + 1) & (gx->heads_cap - 1)) {
        const head_slot *hs = &gx->heads[i];
        if (!hs->count) return NULL;
        if (hs->head == head) return hs;
    }
}

/* 0: 3 bytes, 1: 4 to 7, 2: long. */
static int literal_class(const clause_literal *c)
{
    return c->len == 3 ? 0 : c->len < LONG_LITERAL ? 1 : 2;
}

static int compare_clause_literals(const void *a, const void *b)
{
    const clause_literal *x = a, *y = b;
    int cx = literal_class(x), cy = literal_class(y);
    if (cx != cy) return cx - cy;
    if (cx == 2) return (x->head > y->head) - (x->head < y->head);
    uint32_t gx = gram_key((const unsigned char *)x->s, cx ? 4 : 3);
    uint32_t gy = gram_key((const unsigned char *)y->s, cx ? 4 : 3);
    return (gx > gy) - (gx < gy);
}

/* Index the literal s (len bytes, at least 3) of clause `clause`; lead,
 * when nonzero, is the byte that must come before it. */
static void gram_index_add(gram_index *gx, const char *s, size_t len, uint32_t clause, unsigned char lead)
{
    gx->lits = xgrow(gx->lits, &gx->cap, gx->n + 1, sizeof *gx->lits);
    clause_literal *c = &gx->lits[gx->n++];
    c->s = xstrndup(s, len);   /* with its NUL: 4 bytes can be read at it */
    for (size_t i = 0; i < len; i++)
        if (c->s[i] == ' ') c->s[i] = '\0';
    c->len = (uint32_t)len;
    c->clause = clause;
    c->has_lead = lead != 0;
    c->lead = lead == ' ' ? '\0' : lead;
    unsigned char head[8] = {0}, mask[8] = {0};
    size_t h = len < 8 ? len : 8;
    memcpy(head, c->s, h);
    memset(mask, 0xFF, h);
    memcpy(&c->head, head, 8);
    memcpy(&c->mask, mask, 8);
}

static void gram_table_init(gram_table *t, size_t n)
{
    t->cap = 16;
    while (t->cap < 2 * n) t->cap *= 2;
    t->slots = xcalloc(t->cap, sizeof *t->slots);
}

/* Sort the literals and index them (see gram_index). */
static void gram_index_build(gram_index *gx)
{
    size_t n = gx->n, count[3] = {0};
    if (!n) return;
    qsort(gx->lits, n, sizeof *gx->lits, compare_clause_literals);
    for (size_t i = 0; i < n; i++) count[literal_class(&gx->lits[i])]++;
    if (count[0]) gram_table_init(&gx->three, count[0]);
    if (count[1] + count[2]) gram_table_init(&gx->four, count[1] + count[2]);
    gx->heads_cap = 16;
    while (gx->heads_cap < 2 * count[2]) gx->heads_cap *= 2;
    gx->heads = xcalloc(gx->heads_cap, sizeof *gx->heads);
    size_t i = 0;
    while (i < n && literal_class(&gx->lits[i]) < 2) {
        int cls = literal_class(&gx->lits[i]);
        uint32_t gram = gram_key((const unsigned char *)gx->lits[i].s, cls ? 4 : 3);
        size_t j = i;
        while (j < n && literal_class(&gx->lits[j]) == cls &&
               gram_key((const unsigned char *)gx->lits[j].s, cls ? 4 : 3) == gram)
            j++;
        gram_slot *g = gram_slot_for(cls ? &gx->four : &gx->three, gram);
        g->start = (uint32_t)i;
        g->count = (uint32_t)(j - i);
        i = j;
    }
    while (i < n) {
        uint64_t head = gx->lits[i].head;
        size_t j = i;
        while (j < n && gx->lits[j].head == head) j++;
        gram_slot_for(&gx->four, gram_key((const unsigned char *)gx->lits[i].s, 4))->has_long = 1;
        size_t k = head_hash(head) & (gx->heads_cap - 1);
        while (gx->heads[k].count) k = (k + 1) & (gx->heads_cap - 1);
        gx->heads[k] = (head_slot){head, (uint32_t)i, (uint32_t)(j - i)};
        i = j;
    }
}

static int is_ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether a literal can be looked for only where a word may start (see
 * above); *lead gets the byte that must come before it, or 0. */
static int literal_at_word(const regex_literal *l, unsigned char *lead)
{
    const unsigned char *u = (const unsigned char *)l->s;
    *lead = 0;
    if (l->at_boundary && is_ascii_alnum(u[0])) return 1;
    if (u[0] && u[0] < 0x80 && u[0] != '_' && !is_ascii_alnum(u[0]) && l->len > REGEX_LITERAL_MIN &&
        is_ascii_alnum(u[1])) {
        *lead = u[0];
        return 1;
    }
    return 0;
}

static int clause_at_word(const regex_clause *c)
{
    unsigned char lead;
    for (size_t i = 0; i < c->n; i++)
        if (!literal_at_word(&c->lit[i], &lead)) return 0;
    return 1;
}

/* The regex between the slashes of a regex rule's text ("/re/" or "! /re/"). */
static void rule_pattern(const rule *r, const char **pattern, size_t *len)
{
    const char *slash = strchr(r->text, '/');
    *pattern = slash + 1;
    *len = strlen(slash) - 2;
}

static void add_clauses(lexicon *lx, rule *r, const regex_requirement *req)
{
    int any_at_word = 0;
    for (size_t k = 0; k < req->n; k++) any_at_word |= clause_at_word(&req->clause[k]);
    r->clause_first = (uint32_t)lx->nclauses;
    r->nclauses = 0;
    for (size_t k = 0; k < req->n; k++) {
        const regex_clause *c = &req->clause[k];
        if (any_at_word && !clause_at_word(c)) continue;   /* a weaker filter, but a cheap one */
        uint32_t id = (uint32_t)lx->nclauses++;
        r->nclauses++;
        for (size_t i = 0; i < c->n; i++) {
            unsigned char lead;
            if (literal_at_word(&c->lit[i], &lead))
                gram_index_add(&lx->at_word, c->lit[i].s + (lead != 0), c->lit[i].len - (lead != 0), id, lead);
            else
                gram_index_add(&lx->anywhere, c->lit[i].s, c->lit[i].len, id, 0);
        }
    }
}

/* One start string of an anchored regex: up to its first space it is the
 * sentence's whole first word; without a space the first word starts with
 * it. One that starts with a space cannot start a sentence. */
static void add_start_string(lexicon *lx, const char *s, size_t len, uint64_t bit)
{
    const char *space = memchr(s, ' ', len);
    if (space == s) return;
    if (!space) {
        lx->start_prefixes = xgrow(lx->start_prefixes, &lx->start_prefixes_cap, lx->nstart_prefixes + 1,
                                   sizeof *lx->start_prefixes);
        start_prefix *sp = &lx->start_prefixes[lx->nstart_prefixes++];
        sp->s = xstrndup(s, len);
        sp->len = (uint32_t)len;
        sp->bits = bit;
        return;
    }
    size_t key_len = (size_t)(space - s);
    uint32_t idx;
    if (!map_get(&lx->start_words, s, key_len, &idx)) {
        lx->start_keys = xgrow(lx->start_keys, &lx->start_keys_cap, lx->nstart_keys + 1, sizeof *lx->start_keys);
        char *key = lx->start_keys[lx->nstart_keys++] = xstrndup(s, key_len);
        lx->start_bits = xgrow(lx->start_bits, &lx->start_bits_cap, lx->nstart_bits + 1, sizeof *lx->start_bits);
        idx = (uint32_t)lx->nstart_bits;
        lx->start_bits[lx->nstart_bits++] = 0;
        map_put(&lx->start_words, key, key_len, idx);
    }
    lx->start_bits[idx] |= bit;
}

static void add_start_filter(lexicon *lx, rule *r, const regex_requirement *req)
{
    if (!req->start.n || lx->nstart_rules >= START_BITS) return;
    r->start_bit = (uint64_t)1 << lx->nstart_rules++;
    for (size_t i = 0; i < req->start.n; i++)
        add_start_string(lx, req->start.lit[i].s, req->start.lit[i].len, r->start_bit);
}

/* The at_word literal c's key for the word memo: the bytes before its
 * first NUL (*whole = 1: the word must be exactly that), or all of it (0:
 * the word must start with it). */
static size_t literal_word_key(const clause_literal *c, int *whole)
{
    const char *nul = memchr(c->s, '\0', c->len);
    *whole = nul != NULL;
    return nul ? (size_t)(nul - c->s) : c->len;
}

static uint32_t literal_group_for(lexicon *lx, strmap *m, const char *key, size_t len)
{
    uint32_t idx;
    if (map_get(m, key, len, &idx)) return idx;
    lx->lit_groups = xgrow(lx->lit_groups, &lx->lit_groups_cap, lx->nlit_groups + 1, sizeof *lx->lit_groups);
    memset(&lx->lit_groups[lx->nlit_groups], 0, sizeof *lx->lit_groups);
    map_put(m, key, len, (uint32_t)lx->nlit_groups);
    return (uint32_t)lx->nlit_groups++;
}

/* Index at_word's literals by the word they start with (see lit_words):
 * a word's memo entry then lists every literal that can start at it, and
 * only their bytes past the word are left to compare where it occurs. */
static void build_literal_words(lexicon *lx)
{
    const gram_index *gx = &lx->at_word;
    if (!gx->n) return;
    uint32_t *group_of = xmalloc(gx->n * sizeof *group_of);
    size_t nlens = 0, lens_cap = 0;
    for (size_t i = 0; i < gx->n; i++) {
        int whole;
        size_t len = literal_word_key(&gx->lits[i], &whole);
        group_of[i] = literal_group_for(lx, whole ? &lx->lit_words : &lx->lit_prefixes, gx->lits[i].s, len);
        lx->lit_groups[group_of[i]].count++;
        if (whole) continue;
        lx->lit_prefix_lens = xgrow(lx->lit_prefix_lens, &lens_cap, nlens + 1, sizeof *lx->lit_prefix_lens);
        lx->lit_prefix_lens[nlens++] = (uint32_t)len;
    }
    if (nlens) qsort(lx->lit_prefix_lens, nlens, sizeof *lx->lit_prefix_lens, compare_u32);
    for (size_t i = 0; i < nlens; i++)
        if (!lx->nlit_prefix_lens || lx->lit_prefix_lens[lx->nlit_prefix_lens - 1] != lx->lit_prefix_lens[i])
            lx->lit_prefix_lens[lx->nlit_prefix_lens++] = lx->lit_prefix_lens[i];
    uint32_t start = 0;
    for (size_t g = 0; g < lx->nlit_groups; g++) {
        lx->lit_groups[g].start = start;
        start += lx->lit_groups[g].count;
        lx->lit_groups[g].count = 0;
    }
    lx->lit_items = xmalloc(gx->n * sizeof *lx->lit_items);
    for (size_t i = 0; i < gx->n; i++) {   /* in index order within a group */
        rule_range *g = &lx->lit_groups[group_of[i]];
        lx->lit_items[g->start + g->count++] = (uint32_t)i;
    }
    free(group_of);
}

static void build_regex_prefilter(lexicon *lx)
{
    for (size_t i = 0; i < lx->nrules; i++) {
        rule *r = &lx->rules[i];
        if (!r->re) continue;
        const char *pattern;
        size_t len;
        rule_pattern(r, &pattern, &len);
        regex_requirement req;
        regex_requirement_analyse(pattern, len, &req);
        add_clauses(lx, r, &req);
        add_start_filter(lx, r, &req);
        regex_requirement_free(&req);
    }
    gram_index_build(&lx->at_word);
    gram_index_build(&lx->anywhere);
    build_literal_words(lx);
}

/* Order rule indexes by category, keeping rule order within one (an
 * insertion sort: there are few, and only once). Exception regexes are run
 * in this order so each category's sentences are marked once. */
static void sort_by_category(const lexicon *lx, uint32_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t x = v[i];
        size_t j = i;
        for (; j && lx->rules[v[j - 1]].category > lx->rules[x].category; j--) v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Each counted regex's gate (its first clause), and in every clause
 * literal the bit of the regex its clause gates, so that marking literals
 * also gathers the regexes worth considering (the first 64; later ones are
 * checked one by one). */
static void set_counted_gates(lexicon *lx, size_t room)
{
    lx->counted_gate = xmalloc(room * sizeof *lx->counted_gate);
    uint64_t *bit_of_clause = xcalloc(lx->nclauses ? lx->nclauses : 1, sizeof *bit_of_clause);
    for (size_t i = 0; i < lx->ncounted_regex; i++) {
        const rule *r = &lx->rules[lx->counted_regex[i]];
        lx->counted_gate[i] = r->nclauses ? r->clause_first : NO_GATE;
        if (i >= 64) continue;
        if (r->nclauses) bit_of_clause[r->clause_first] = (uint64_t)1 << i;
        else lx->ungated |= (uint64_t)1 << i;
    }
    gram_index *indexes[] = {&lx->at_word, &lx->anywhere};
    for (size_t g = 0; g < 2; g++)
        for (size_t k = 0; k < indexes[g]->n; k++)
            indexes[g]->lits[k].gate_bit = bit_of_clause[indexes[g]->lits[k].clause];
    lx->clause_gate_bits = bit_of_clause;
}

int lexicon_finish(lexicon *lx, diag_list *d)
{
    (void)d;
    if (lx->finished) return 0;
    size_t room = lx->nrules ? lx->nrules : 1;
    lx->counted_regex = xmalloc(room * sizeof *lx->counted_regex);
    lx->regex_exceptions = xmalloc(room * sizeof *lx->regex_exceptions);
    for (size_t i = 0; i < lx->nrules; i++) {
        if (!lx->rules[i].re) continue;
        if (lx->rules[i].exception) lx->regex_exceptions[lx->nregex_exceptions++] = (uint32_t)i;
        else lx->counted_regex[lx->ncounted_regex++] = (uint32_t)i;
    }
    sort_by_category(lx, lx->regex_exceptions, lx->nregex_exceptions);
    lx->cat_exceptions = xcalloc(lx->ncats + 1, sizeof *lx->cat_exceptions);
    lx->cat_literal_exceptions = xcalloc(lx->ncats ? lx->ncats : 1, 1);
    for (size_t i = 0; i < lx->nregex_exceptions; i++) lx->cat_exceptions[lx->rules[lx->regex_exceptions[i]].category + 1]++;
    lx->exception_cat_bits = xcalloc((lx->ncats + 63) / 64, sizeof *lx->exception_cat_bits);
    for (size_t c = 0; c < lx->ncats; c++) {
        if (lx->cat_exceptions[c + 1]) lx->exception_cat_bits[c / 64] |= (uint64_t)1 << (c % 64);
        lx->cat_exceptions[c + 1] += lx->cat_exceptions[c];
    }
    lx->cat_streamed = xmalloc(lx->ncats ? lx->ncats : 1);
    memset(lx->cat_streamed, 1, lx->ncats);
    for (size_t i = 0; i < lx->nrules; i++) {
        const rule *r = &lx->rules[i];
        if (r->exception && !r->re) lx->cat_literal_exceptions[r->category] = 1;
        if (r->exception || r->re) lx->cat_streamed[r->category] = 0;
    }
    build_literal_index(lx);
    build_regex_prefilter(lx);
    lx->use_memo = lx->exact_first.n || lx->prefix_first.n || lx->at_word.n || lx->nstart_rules;
    set_counted_gates(lx, room);
    lx->finished = 1;
    return 0;
}

/* ------------------------------------------------------------------------
 * Accessors. */

size_t lexicon_category_count(const lexicon *lx) { return lx->ncats; }

const char *lexicon_category_name(const lexicon *lx, size_t cat)
{
    return cat < lx->ncats ? lx->cats[cat].name : NULL;
}

const char *lexicon_category_description(const lexicon *lx, size_t cat)
{
    return cat < lx->ncats ? lx->cats[cat].description : NULL;
}

const char *lexicon_category_source(const lexicon *lx, size_t cat, long *line)
{
    if (cat >= lx->ncats) return NULL;
    if (line) *line = lx->cats[cat].line;
    return lx->cats[cat].source;
}

int lexicon_category_index(const lexicon *lx, const char *name)
{
    uint32_t idx;
    return map_get(&lx->cat_names, name, strlen(name), &idx) ? (int)idx : -1;
}

size_t lexicon_rule_count(const lexicon *lx) { return lx->nrules; }

const char *lexicon_rule_id(const lexicon *lx, size_t r)
{
    return r < lx->nrules ? lx->rules[r].id : NULL;
}

void lexicon_rule_info(const lexicon *lx, size_t ri, rule_info *out)
{
    memset(out, 0, sizeof *out);
    if (ri >= lx->nrules) return;
    const rule *r = &lx->rules[ri];
    out->category = r->category;
    out->id = r->id;
    out->text = r->text;
    out->source = r->source;
    out->line = r->line;
    out->exception = r->exception;
    out->anchored = r->anchored;
    out->regex = r->re != NULL;
    out->conditional = r->cond != NULL;
    out->n_words = r->nwords;
}

const char *lexicon_rule_word(const lexicon *lx, size_t ri, size_t k, int *prefix)
{
    if (ri >= lx->nrules || k >= lx->rules[ri].nwords) return NULL;
    const rule_word *w = &lx->rules[ri].words[k];
    if (prefix) *prefix = w->prefix;
    return w->text;
}

size_t lexicon_file_count(const lexicon *lx) { return lx->nfiles; }

const char *lexicon_file_path(const lexicon *lx, size_t i)
{
    return i < lx->nfiles ? lx->files[i].path : NULL;
}

const char *lexicon_file_sha256(const lexicon *lx, size_t i)
{
    return i < lx->nfiles ? lx->files[i].sha256 : NULL;
}

/* ------------------------------------------------------------------------
 * Matching. */

/* A rule's match before selection. */
typedef struct candidate {
    uint32_t category, rule, first, last;
    uint32_t exception;
} candidate;

typedef struct candidate_list {
    candidate *v;
    size_t n, cap;
} candidate_list;

/* One sentence inside the joined-words subject. */
typedef struct sentence_span {
    size_t start, end;              /* bytes in the subject */
    uint32_t first_word, end_word;  /* its words */
} sentence_span;

/* What the lexicon holds for one word, worked out the first time a thread
 * meets the word and kept in its match_scratch (the word memo): its exact
 * entry, its prefix entries, the direct rules it matches, the prefilter
 * literals that can start at it and, as a sentence's first word, which
 * anchored regexes it allows. Transcripts repeat a few thousand words, so
 * most words cost one lookup here instead of one per prefix length and
 * gram, and most matches (the direct ones: pronouns, articles) are taken
 * from the entry's list with nothing to check. */
typedef struct memo_entry {
    uint64_t hash;           /* as word_hash gives it */
    uint64_t head;           /* two uses, by len: a word of more than 8 bytes has the
                                offset of its bytes in memo_text here; for one of up to
                                8 bytes it is unused, as hash and len alone tell such
                                words apart (memo_holds) */
    uint64_t start_bits;     /* sentence-start filter bits */
    uint32_t len;            /* 0: an empty slot */
    uint32_t exact;          /* 1 + its exact_first range, when that has postings to
                                check or pairs; 0: none */
    uint32_t items;          /* where the word's list starts in memo_items; the list
                                is nprefix ranges of prefix_first (those with postings
                                to check), then nmarks prefilter clauses, each once
                                (those of the literals that end within the word and the
                                NUL after it), then ndirect pairs (category, rule) of
                                direct rules */
    uint32_t nprefix;        /* see items */
    uint32_t ndirect;        /* see items */
    uint16_t nmarks;         /* see items */
    uint8_t probe;           /* 1: some literal starts with the word and goes on past
                                it: probe the scan text where the word occurs, when
                                probe_next allows */
    uint64_t probe_next;     /* with probe: the next_bytes_bit of every pair of bytes
                                such a literal can go on with after the word's NUL (the
                                start of the next word) */
    uint8_t site;            /* 1: a prefilter literal may start at or inside the word:
                                it probes, lists some, or holds a byte that is not an
                                ASCII letter or digit (find_clause_literals) */
    uint8_t work;            /* 1: the literal pass has something to do at the word: it
                                is a site, or has direct, prefix or exact entries */
} memo_entry;

/* The memo holds at most this many words; it is emptied when an utterance
 * would take it past that (so entries stay put while an utterance is
 * matched), which bounds its memory per thread. An utterance of more words
 * is matched without the memo. */
#define MEMO_MAX_WORDS 16384u
/* ... and it is emptied too once the words it keeps (those over 8 bytes) or
 * its item lists pass these sizes, so that long tokens cannot pile up. */
#define MEMO_MAX_TEXT (1u << 20)
#define MEMO_MAX_ITEMS (1u << 20)
#define NO_MEMO UINT32_MAX   /* word_memo: the word was not looked up */

struct match_scratch {
    memo_entry *memo;               /* open addressing; memo_cap is 0 or a power of two */
    size_t memo_cap, memo_n;
    char *memo_text;
    size_t memo_text_len, memo_text_cap;
    uint32_t *memo_items;
    size_t memo_items_n, memo_items_cap;
    uint32_t *direct;               /* a word's direct pairs while memo_describe lists its other items */
    size_t direct_n, direct_cap;
    uint32_t *word_memo;            /* each word's entry in memo, for this utterance */
    uint32_t *sites;                /* the words whose memo entry has site set, in order */
    size_t nsites, sites_cap;
    int sites_marked;               /* find_literal_matches marked the sites' clause literals
                                       (mark_split_site) instead of noting them in sites, */
    uint64_t site_gates;            /*   and these are the gates they marked */
    int memo_bypass;                /* this utterance is matched without the memo (too long) */
    size_t word_memo_cap;
    candidate_list *by_cat;         /* literal rules and counted regexes, per category, as found;
                                       all empty again once select_matches is done */
    size_t by_cat_n;
    uint64_t *cat_seen;             /* bit per category: it got a candidate (by_cat_n bits) */
    size_t ncats;                   /* how many got one (some twice, after dropped regex
                                       candidates) */
    candidate_list regex_exceptions;/* matches of exception regexes */
    candidate *sort_tmp;
    size_t tmp_cap;
    int padded;                     /* 8 bytes can be read at any word up to the text's end */
    size_t hashed_word;             /* 1 + the word whose hash_bytes is in word_hash; 0: none */
    uint64_t word_hash, word_head;
    int subject_ready;              /* subject is built for this utterance */
    char *subject;                  /* sentences' words joined by spaces, sentences by \n */
    size_t subject_len, subject_cap;
    int utf_checked;                /* utf_check is known for this subject */
    uint32_t utf_check;             /* PCRE2_NO_UTF_CHECK when the subject is valid UTF-8 */
    int prefilter_ready;            /* sentences, scan text and clause marks are for this utterance */
    const char *scan;               /* the words, each ended by a NUL, then 8 NULs */
    size_t scan_len;
    char *joined;                   /* the scan text when it cannot be the word list's own */
    size_t joined_cap;
    size_t *word_off;               /* where each word starts in scan (and in subject), */
    size_t word_off_cap;
    uint32_t *word_sentence;        /*   and its index in sentences, for a word list not */
    size_t word_sentence_cap;       /*   made by words_split (scan_offset, sentence_of) */
    sentence_span *sentences;
    size_t nsentences, sentences_cap;
    uint64_t *sentence_starts;      /* per sentence: start bits of the anchored regexes that may match */
    size_t sentence_starts_cap;
    uint64_t starts_any;            /* all of them together */
    uint32_t *sentence_mark;        /* sentences with a counted match: == sentence_stamp */
    size_t sentence_mark_cap;
    uint32_t sentence_stamp;
    uint32_t *mark;                 /* words covered by an exception: == stamp */
    size_t mark_cap;
    uint32_t stamp;
    uint64_t gates;                 /* counted regexes (the first 64) whose gate clause is present */
    uint64_t *clause_sentences;     /* per prefilter clause, the sentences it is found in
                                       (sentence_bit); 0: not in this utterance */
    size_t clause_sentences_cap;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
};

match_scratch *match_scratch_new(const lexicon *lx)
{
    match_scratch *ms = xcalloc(1, sizeof *ms);
    pcre2_general_context *g = lx ? lx->gctx : NULL;
    ms->md = pcre2_match_data_create(1, g);
    ms->mctx = pcre2_match_context_create(g);
    pcre2_set_match_limit(ms->mctx, REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(ms->mctx, REGEX_DEPTH_LIMIT);
    ms->jit_stack = pcre2_jit_stack_create(JIT_STACK_START, JIT_STACK_MAX, g);   /* NULL without JIT */
    if (ms->jit_stack) pcre2_jit_stack_assign(ms->mctx, NULL, ms->jit_stack);
    return ms;
}

void match_scratch_free(match_scratch *ms)
{
    if (!ms) return;
    for (size_t i = 0; i < ms->by_cat_n; i++) free(ms->by_cat[i].v);
    free(ms->by_cat);
    free(ms->cat_seen);
    free(ms->regex_exceptions.v);
    free(ms->sort_tmp);
    free(ms->subject);
    free(ms->word_off);
    free(ms->joined);
    free(ms->word_sentence);
    free(ms->sentences);
    free(ms->sentence_starts);
    free(ms->sentence_mark);
    free(ms->mark);
    free(ms->clause_sentences);
    free(ms->memo);
    free(ms->memo_text);
    free(ms->memo_items);
    free(ms->direct);
    free(ms->word_memo);
    free(ms->sites);
    pcre2_match_data_free(ms->md);
    pcre2_match_context_free(ms->mctx);
    pcre2_jit_stack_free(ms->jit_stack);
    free(ms);
}

/* Grow a stamp array to n entries (new ones zero), and take the next stamp;
 * when the stamp wraps, every old mark is cleared. */
static uint32_t next_stamp(uint32_t **marks, size_t *cap, size_t n, uint32_t *stamp)
{
    if (n > *cap) {
        size_t old = *cap;
        *marks = xgrow(*marks, cap, n, sizeof **marks);
        memset(*marks + old, 0, (*cap - old) * sizeof **marks);
    }
    if (++*stamp == 0) {
        memset(*marks, 0, *cap * sizeof **marks);
        *stamp = 1;
    }
    return *stamp;
}

static inline void add_candidate_of(candidate_list *l, uint32_t category, uint32_t rule_index,
                                    uint32_t exception, size_t first, size_t last)
{
    if (l->n == l->cap) l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
    candidate *c = &l->v[l->n++];
    c->category = category;
    c->rule = rule_index;
    c->first = (uint32_t)first;
    c->last = (uint32_t)last;
    c->exception = exception;
}

static inline void add_candidate(candidate_list *l, const rule *r, uint32_t rule_index, size_t first,
                                 size_t last)
{
    add_candidate_of(l, r->category, rule_index, r->exception, first, last);
}

/* A candidate of a literal rule or a counted regex, into its category's
 * list; the category is noted when its list was empty.
 *
 * A streamed category (lexicon.cat_streamed) gets its candidates in word
 * order, all from the literal pass, and has no exceptions, so its list is
 * kept as selection would leave it: a candidate starting inside the last
 * one kept is dropped, unless it starts at the same word and comes first in
 * candidate_before's order (longer, or as long and an earlier rule), when
 * it takes that one's place. The list then needs neither sort nor
 * selection. */
static inline void add_found(match_scratch *ms, uint32_t category, uint32_t rule_index, uint32_t exception,
                             size_t first, size_t last, int streamed)
{
    candidate_list *l = &ms->by_cat[category];
    if (!l->n) {
        ms->cat_seen[category / 64] |= (uint64_t)1 << (category % 64);
        ms->ncats++;
    } else if (streamed && first < l->v[l->n - 1].last) {
        candidate *kept = &l->v[l->n - 1];
        if (first == kept->first && (last > kept->last || (last == kept->last && rule_index < kept->rule))) {
            kept->rule = rule_index;
            kept->last = (uint32_t)last;
        }
        return;
    }
    add_candidate_of(l, category, rule_index, exception, first, last);
}

/* ---- literal rules ---- */

static inline int word_matches(const rule_word *rw, const word_list *wl, size_t i)
{
    uint32_t len = wl->w[i].len;
    if (rw->prefix ? len < rw->len : len != rw->len) return 0;
    return memcmp(word_at(wl, i), rw->text, rw->len) == 0;
}

static int matches_any(const rule_word *rw, uint32_t n, const word_list *wl, size_t i)
{
    for (uint32_t k = 0; k < n; k++)
        if (word_matches(&rw[k], wl, i)) return 1;
    return 0;
}

/* The conditions of a rule added in code, for a match of words [i, end). */
static int conditions_hold(const rule_cond *c, const word_list *wl, size_t i, size_t end)
{
    if (matches_any(c->unless, c->nunless, wl, i)) return 0;
    if (!c->side) return 1;
    int near;
    if (c->side < 0)
        near = i > 0 && wl->w[i - 1].sentence == wl->w[i].sentence && matches_any(c->near, c->nnear, wl, i - 1);
    else
        near = end < wl->n && wl->w[end].sentence == wl->w[end - 1].sentence &&
               matches_any(c->near, c->nnear, wl, end);
    return c->negated ? !near : near;
}

/* The words before `from` are already known to match; check the rest. */
static int phrase_matches_at(const rule *r, const word_list *wl, size_t i, uint32_t from)
{
    if (r->anchored && !wl->w[i].sentence_start) return 0;
    if (r->nwords > wl->n - i) return 0;
    for (uint32_t k = from; k < r->nwords; k++)
        if (!word_matches(&r->words[k], wl, i + k)) return 0;
    return !r->cond || conditions_hold(r->cond, wl, i, i + r->nwords);
}

static void try_phrases(const lexicon *lx, const rule_range *rg, const word_list *wl, size_t i,
                        uint32_t from, match_scratch *ms)
{
    const posting *pp = lx->postings + rg->start;
    for (uint32_t j = 0; j < rg->count; j++, pp++) {
        if (pp->simple) {
            add_found(ms, pp->category, pp->rule, pp->exception, i, i + pp->nwords, pp->streamed);
            continue;
        }
        /* what the posting tells, before a visit to the rule */
        if ((pp->anchored && !wl->w[i].sentence_start) || pp->nwords > wl->n - i) continue;
        const rule *r = &lx->rules[pp->rule];
        if (phrase_matches_at(r, wl, i, from))
            add_found(ms, r->category, pp->rule, r->exception, i, i + r->nwords, pp->streamed);
    }
}

static const map_slot *find_pair(const strmap *m, uint64_t h, const char *a, size_t alen,
                                 const char *b, size_t blen)
{
    if (!m->n) return NULL;
    if (m->filter && !(m->filter[filter_bit(h) / 64] >> (filter_bit(h) % 64) & 1)) return NULL;
    for (size_t i = slot_index(h, m->cap);; i = (i + 1) & (m->cap - 1)) {
        const map_slot *s = &m->slots[i];
        if (!s->key) return NULL;
        if (s->hash == h && s->len == alen + 1 + blen && bytes_equal(s->key, a, alen) &&
            bytes_equal(s->key + alen + 1, b, blen))
            return s;
    }
}

/* The key_head (0 past 8 bytes) and hash of word i's first n bytes (n
 * <= its length): one load where the tokenizer's padding allows it. */
static inline uint64_t word_prefix_hash(const word_list *wl, const match_scratch *ms, size_t i, size_t n,
                                        uint64_t *head)
{
    const char *s = word_at(wl, i);
    if (n > 8) {
        *head = 0;
        return hash_long(s, n);
    }
    *head = ms->padded && wl->w[i].off <= wl->text_len ? key_head_padded(s, n) : key_head(s, n);
    return hash_short(*head, n);
}

/* Word i's hash (and key_head). Words are looked up in order, the next one
 * sometimes first for a pair: the last hash is kept for that. */
static inline uint64_t word_hash(const word_list *wl, match_scratch *ms, size_t i)
{
    if (ms->hashed_word != i + 1) {
        ms->hashed_word = i + 1;
        ms->word_hash = word_prefix_hash(wl, ms, i, wl->w[i].len, &ms->word_head);
    }
    return ms->word_hash;
}

/* The phrases filed under word i and the next one, whose hashes are first
 * and second. */
static void try_pair(const lexicon *lx, const word_list *wl, size_t i, uint64_t first, uint64_t second,
                     match_scratch *ms)
{
    const map_slot *pair = find_pair(&lx->pair_first, hash_pair(first, second), word_at(wl, i), wl->w[i].len,
                                     word_at(wl, i + 1), wl->w[i + 1].len);
    if (pair) try_phrases(lx, &lx->ranges[pair->value], wl, i, 2, ms);
}

/* Whether word i's exact entry (range rg) files phrases under it and the
 * next word, which may be the one of hash `second`. */
static inline int pair_may_match(const rule_range *rg, const word_list *wl, size_t i, uint64_t second)
{
    return rg->has_pairs && i + 1 < wl->n && (rg->pair_seconds & pair_bit(second));
}

/* ---- the word memo ---- */

/* Empty the memo when this utterance's words might not fit beside what it
 * holds, and make room for them all. */
static void memo_make_room(match_scratch *ms, size_t nwords)
{
    size_t want = ms->memo_n + nwords;
    int full = want > MEMO_MAX_WORDS || ms->memo_text_len > MEMO_MAX_TEXT || ms->memo_items_n > MEMO_MAX_ITEMS;
    if (full && ms->memo_n) {
        memset(ms->memo, 0, ms->memo_cap * sizeof *ms->memo);
        if (ms->memo_text_cap > 2 * MEMO_MAX_TEXT) {   /* grown by one utterance's long words */
            free(ms->memo_text);
            ms->memo_text = NULL;
            ms->memo_text_cap = 0;
        }
        if (ms->memo_items_cap > 2 * MEMO_MAX_ITEMS) {
            free(ms->memo_items);
            ms->memo_items = NULL;
            ms->memo_items_cap = 0;
        }
        ms->memo_n = ms->memo_text_len = ms->memo_items_n = 0;
        want = nwords;
    }
    if (2 * want <= ms->memo_cap) return;
    size_t cap = ms->memo_cap ? ms->memo_cap : 1024;
    while (cap < 2 * want) cap *= 2;
    memo_entry *slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < ms->memo_cap; i++) {
        if (!ms->memo[i].len) continue;
        size_t k = slot_index(ms->memo[i].hash, cap);
        while (slots[k].len) k = (k + 1) & (cap - 1);
        slots[k] = ms->memo[i];
    }
    free(ms->memo);
    ms->memo = slots;
    ms->memo_cap = cap;
}

static void memo_add_item(match_scratch *ms, uint32_t v)
{
    if (ms->memo_items_n == ms->memo_items_cap)
        ms->memo_items = xgrow(ms->memo_items, &ms->memo_items_cap, ms->memo_items_n + 1, sizeof *ms->memo_items);
    ms->memo_items[ms->memo_items_n++] = v;
}

/* A bit for two bytes of the scan text: where a literal goes on past a word,
 * the two bytes after the word's NUL must have one its word's entry keeps. */
static inline uint64_t next_bytes_bit(unsigned char a, unsigned char b)
{
    return (uint64_t)1 << (((uint32_t)(a | b << 8) * 0x9E3779B1u) >> 26);
}

/* Whether the clause is among the nmarks the entry lists so far. */
static int memo_marks_clause(const match_scratch *ms, const memo_entry *e, uint32_t clause)
{
    for (uint32_t k = 0; k < e->nmarks; k++)
        if (ms->memo_items[e->items + e->nprefix + k] == clause) return 1;
    return 0;
}

/* The literals that can start at the word: the clauses of those that end
 * within it (and its NUL) are listed; one that goes on past it makes the
 * word a probe site instead, where the gram index looks at the bytes that
 * follow. At a word's first byte the byte before is a NUL (or nothing, at
 * the scan text's start), so a literal whose lead byte is not a NUL cannot
 * be there and is left out; one that must follow a NUL is listed, and
 * marked at the text's first byte too, which only lets a regex run that
 * cannot match there. */
static void memo_add_literals(const lexicon *lx, match_scratch *ms, const map_slot *slot, memo_entry *e)
{
    if (!slot) return;
    const rule_range *g = &lx->lit_groups[slot->value];
    for (uint32_t k = 0; k < g->count; k++) {
        const clause_literal *c = &lx->at_word.lits[lx->lit_items[g->start + k]];
        if (c->has_lead && c->lead != '\0') continue;
        if (c->len > e->len + 1) {
            const unsigned char *next = (const unsigned char *)c->s + e->len + 1;
            e->probe = 1;
            e->probe_next |= c->len > e->len + 2 ? next_bytes_bit(next[0], next[1]) : UINT64_MAX;
        } else if (memo_marks_clause(ms, e, c->clause)) {
            continue;
        } else if (e->nmarks < UINT16_MAX) {
            memo_add_item(ms, c->clause);
            e->nmarks++;
        } else {
            e->probe = 1;   /* too many to list: probing finds them all too */
            e->probe_next = UINT64_MAX;
        }
    }
}

/* The sentence-start filter bits of the anchored regexes a sentence whose
 * first word is s[0..len) may match. */
static uint64_t start_bits_of(const lexicon *lx, const char *s, size_t len)
{
    uint64_t bits = 0;
    const map_slot *slot = map_find(&lx->start_words, hash_bytes(s, len), s, len);
    if (slot) bits |= lx->start_bits[slot->value];
    for (size_t j = 0; j < lx->nstart_prefixes; j++) {
        const start_prefix *sp = &lx->start_prefixes[j];
        if (len >= sp->len && memcmp(s, sp->s, sp->len) == 0) bits |= sp->bits;
    }
    return bits;
}

/* Note the direct postings of range rg (category, rule) in ms->direct. */
static void collect_direct(const lexicon *lx, const rule_range *rg, match_scratch *ms)
{
    const posting *pp = lx->postings + rg->start + rg->count;
    ms->direct = xgrow(ms->direct, &ms->direct_cap, ms->direct_n + 2 * (size_t)rg->ndirect, sizeof *ms->direct);
    for (uint32_t k = 0; k < rg->ndirect; k++, pp++) {
        ms->direct[ms->direct_n++] = pp->category;
        ms->direct[ms->direct_n++] = pp->rule;
    }
}

/* Work out what the lexicon holds for word i (hash h), into the empty
 * entry e; its lists are appended to memo_items. With phrases_only, just
 * its exact, prefix and direct entries (for a word matched without the
 * memo). */
static void memo_describe(const lexicon *lx, const word_list *wl, match_scratch *ms, size_t i, memo_entry *e,
                          uint64_t h, uint64_t head, int phrases_only)
{
    const char *s = word_at(wl, i);
    size_t len = wl->w[i].len;
    e->hash = h;
    e->head = head;
    e->len = (uint32_t)len;
    e->items = (uint32_t)ms->memo_items_n;
    ms->direct_n = 0;
    for (size_t p = 0; p < lx->nprefix_lens && lx->prefix_lens[p] <= len; p++) {
        size_t plen = lx->prefix_lens[p];
        uint64_t head, hp = word_prefix_hash(wl, ms, i, plen, &head);
        const map_slot *slot = map_find_word(&lx->prefix_first, hp, head, s, plen);
        if (!slot) continue;
        if (lx->ranges[slot->value].count) {
            memo_add_item(ms, slot->value);
            e->nprefix++;
        }
        collect_direct(lx, &lx->ranges[slot->value], ms);
    }
    if (lx->exact_lens >> (len < 63 ? len : 63) & 1) {
        const map_slot *slot = map_find_word(&lx->exact_first, h, head, s, len);
        const rule_range *rg = slot ? &lx->ranges[slot->value] : NULL;
        if (rg && (rg->count || rg->has_pairs)) e->exact = slot->value + 1;
        if (rg) collect_direct(lx, rg, ms);
    }
    if (!phrases_only) {
        if (lx->at_word.n) {
            memo_add_literals(lx, ms, map_find(&lx->lit_words, h, s, len), e);
            for (size_t p = 0; p < lx->nlit_prefix_lens && lx->lit_prefix_lens[p] <= len; p++) {
                size_t plen = lx->lit_prefix_lens[p];
                memo_add_literals(lx, ms, map_find(&lx->lit_prefixes, hash_bytes(s, plen), s, plen), e);
            }
        }
        if (lx->nstart_rules) e->start_bits = start_bits_of(lx, s, len);
        e->site = e->probe || e->nmarks;
        for (size_t k = 0; k + 1 < len && !e->site; k++) e->site = !is_ascii_alnum((unsigned char)s[k]);
    }
    for (size_t k = 0; k < ms->direct_n; k++) memo_add_item(ms, ms->direct[k]);
    e->ndirect = (uint32_t)(ms->direct_n / 2);
    e->work = e->site || e->ndirect || e->nprefix || e->exact;
}

/* memo_describe into the memo's empty slot e, keeping a long word's bytes.
 * Out of line: it runs once per word the thread meets, not per word seen. */
__attribute__((noinline)) static void memo_fill(const lexicon *lx, const word_list *wl, match_scratch *ms,
                                                size_t i, memo_entry *e, uint64_t h, uint64_t head)
{
    size_t len = wl->w[i].len;
    memo_describe(lx, wl, ms, i, e, h, head, 0);
    if (len > 8) {
        ms->memo_text = xgrow(ms->memo_text, &ms->memo_text_cap, ms->memo_text_len + len, 1);
        memcpy(ms->memo_text + ms->memo_text_len, word_at(wl, i), len);
        e->head = ms->memo_text_len;
        ms->memo_text_len += len;
    }
    ms->memo_n++;
}

/* Whether the filled memo entry e is the word s[0..len) of hash h. A word
 * of up to 8 bytes needs no look at its bytes: for one length, hash_short
 * is a bijection of the key_head (an XOR with a constant, a multiply by an
 * odd number and h ^ h >> 32 can each be undone), so equal hashes mean
 * equal words. */
static inline int memo_holds(const memo_entry *e, uint64_t h, const char *s, size_t len, const match_scratch *ms)
{
    if (e->hash != h || e->len != len) return 0;
    return len <= 8 || bytes_equal(ms->memo_text + e->head, s, len);
}

/* The index of word i's memo entry, found or made; memo and last are
 * ms->memo and ms->memo_cap - 1, which stay put while an utterance is
 * matched. `split`: the word list is words_split's, whose padding lets
 * every word be read 8 bytes at a time. */
static inline uint32_t memo_index(const lexicon *lx, const word_list *wl, match_scratch *ms, memo_entry *memo,
                                  size_t last, size_t i, int split)
{
    size_t len = wl->w[i].len;
    const char *s = word_at(wl, i);
    uint64_t head, h;
    if (split && len <= 8) {
        head = key_head_padded(s, len);
        h = hash_short(head, len);
    } else {
        h = word_prefix_hash(wl, ms, i, len, &head);
    }
    size_t k = slot_index(h, last + 1);
    while (memo[k].len && !memo_holds(&memo[k], h, s, len, ms)) k = (k + 1) & last;
    if (!memo[k].len) memo_fill(lx, wl, ms, i, &memo[k], h, head);
    return (uint32_t)k;
}

/* memo_index for a word over 8 bytes of a words_split list, out of line:
 * look_up_split_words keeps its registers for the short words. */
__attribute__((noinline)) static uint32_t memo_index_long(const lexicon *lx, const word_list *wl,
                                                          match_scratch *ms, size_t i)
{
    return memo_index(lx, wl, ms, ms->memo, ms->memo_cap - 1, i, 1);
}

/* look_up_words for a list made by words_split. A word of up to 8 bytes
 * (most are) is hashed from one load and found by its hash and length
 * alone (see memo_holds); an entry's length is never 0 but in an empty
 * slot, where the word is added. */
static void look_up_split_words(const lexicon *lx, const word_list *wl, match_scratch *ms)
{
    const word *w = wl->w;
    const char *text = wl->text;
    memo_entry *memo = ms->memo;
    uint32_t *word_memo = ms->word_memo;
    size_t n = wl->n, last = ms->memo_cap - 1;
    for (size_t i = 0; i < n; i++) {
        uint32_t len = w[i].len;
        if (len > 8) {
            word_memo[i] = memo_index_long(lx, wl, ms, i);
            continue;
        }
        uint64_t head = key_head_padded(text + w[i].off, len), h = hash_short(head, len);
        size_t k = slot_index(h, last + 1);
        for (; memo[k].hash != h || memo[k].len != len; k = (k + 1) & last) {
            if (!memo[k].len) {
                memo_fill(lx, wl, ms, i, &memo[k], h, head);
                break;
            }
        }
        word_memo[i] = (uint32_t)k;
    }
}

/* Word i's direct matches, listed in its memo entry e: nothing to check. */
static inline void add_direct(const memo_entry *e, size_t i, match_scratch *ms)
{
    if (!e->ndirect) return;   /* memo_items may be NULL then */
    const uint32_t *direct = ms->memo_items + e->items + e->nprefix + e->nmarks;
    for (uint32_t k = 0; k < e->ndirect; k++) add_found(ms, direct[2 * k], direct[2 * k + 1], 0, i, i + 1, 1);
}

/* find_literal_matches for an utterance too long for the memo: each word
 * described on its own, nothing kept. A loop of its own rather than a
 * branch in the memo's loop, which runs for every word of every utterance
 * (the branch there cost 0.7% of all instructions). */
static void find_literal_matches_alone(const lexicon *lx, const word_list *wl, match_scratch *ms)
{
    for (size_t i = 0; i < wl->n; i++) {
        memo_entry e = {0};
        size_t items_before = ms->memo_items_n;
        uint64_t h = word_hash(wl, ms, i);
        memo_describe(lx, wl, ms, i, &e, h, ms->word_head, 1);
        add_direct(&e, i, ms);
        for (uint32_t p = 0; p < e.nprefix; p++)
            try_phrases(lx, &lx->ranges[ms->memo_items[e.items + p]], wl, i, 1, ms);
        if (e.exact) {
            const rule_range *rg = &lx->ranges[e.exact - 1];
            if (rg->count) try_phrases(lx, rg, wl, i, 1, ms);
            /* in this order: the next word's hash stays kept for its turn */
            uint64_t second = rg->has_pairs && i + 1 < wl->n ? word_hash(wl, ms, i + 1) : 0;
            if (pair_may_match(rg, wl, i, second)) try_pair(lx, wl, i, h, second, ms);
        }
        ms->memo_items_n = items_before;
    }
}

/* Every word's memo entry into word_memo. A loop of its own, out of line,
 * so that what it needs stays in registers; one for each kind of word list,
 * so that the words of words_split's lists are read without a check. */
__attribute__((noinline)) static void look_up_words(const lexicon *lx, const word_list *wl, match_scratch *ms)
{
    uint32_t *word_memo = ms->word_memo;
    memo_entry *memo = ms->memo;
    size_t n = wl->n, last = ms->memo_cap - 1;
    if (!lx->at_word.n && !lx->nstart_rules) {   /* the memo serves phrases alone */
        uint32_t shortest_prefix = lx->nprefix_lens ? lx->prefix_lens[0] : UINT32_MAX;
        for (size_t i = 0; i < n; i++) {
            uint32_t len = wl->w[i].len;
            if (!(lx->exact_lens >> (len < 63 ? len : 63) & 1) && len < shortest_prefix)
                word_memo[i] = NO_MEMO;   /* no phrase starts with a word of its length */
            else
                word_memo[i] = memo_index(lx, wl, ms, memo, last, i, wl->split);
        }
    } else if (wl->split) {
        look_up_split_words(lx, wl, ms);
    } else {
        for (size_t i = 0; i < n; i++) word_memo[i] = memo_index(lx, wl, ms, memo, last, i, 0);
    }
}

/* The hash of the word after word i (0 when i is the last), from its memo
 * entry when it has one. */
static uint64_t next_word_hash(const word_list *wl, const match_scratch *ms, size_t i)
{
    if (i + 1 >= wl->n) return 0;
    if (ms->word_memo[i + 1] != NO_MEMO) return ms->memo[ms->word_memo[i + 1]].hash;
    uint64_t head;
    return word_prefix_hash(wl, ms, i + 1, wl->w[i + 1].len, &head);
}

/* ---- prefilter literals at words ---- */

/* A sentence's bit in the masks of sentences where a clause is found: the
 * last bit stands for sentence 63 and every one after it. */
static inline uint64_t sentence_bit(size_t k)
{
    return (uint64_t)1 << (k < 63 ? k : 63);
}

/* The sentences each clause is found in, and the gate bits of the counted
 * regexes they let through. Literals are being looked for in the
 * sentences of `here` (one sentence's bit, or all of them). */
typedef struct clause_marks {
    uint64_t *sentences;
    uint64_t here;
    uint64_t gates;
} clause_marks;

/* Whether clause k was already found where literals are being looked for. */
static inline int clause_found_here(const clause_marks *cm, uint32_t k)
{
    return (cm->sentences[k] & cm->here) == cm->here;
}

/* Mark the clause of literal c found at byte p of s, when what must come
 * before it does. */
static inline void mark_literal(const clause_literal *c, const unsigned char *s, size_t p, clause_marks *cm)
{
    if (c->has_lead && (p == 0 || s[p - 1] != c->lead)) return;
    cm->sentences[c->clause] |= cm->here;
    cm->gates |= c->gate_bit;
}

/* The literals of 4 bytes or more whose 4-byte gram g is at byte p of the
 * scan text s (n bytes). */
static void probe_four(const gram_index *gx, const gram_slot *g, const unsigned char *s, size_t n, size_t p,
                       clause_marks *cm)
{
    uint64_t here;
    memcpy(&here, s + p, 8);
    for (uint32_t k = 0; k < g->count; k++) {   /* 4 to 7 bytes */
        const clause_literal *c = &gx->lits[g->start + k];
        if (!clause_found_here(cm, c->clause) && (here & c->mask) == c->head) mark_literal(c, s, p, cm);
    }
    if (!g->has_long) return;
    const head_slot *hs = head_find(gx, here);
    if (!hs) return;
    for (uint32_t k = 0; k < hs->count; k++) {   /* long ones, their first eight bytes equal */
        const clause_literal *c = &gx->lits[hs->start + k];
        if (clause_found_here(cm, c->clause)) continue;
        if (c->len <= n - p && memcmp(s + p + 8, c->s + 8, c->len - 8) == 0) mark_literal(c, s, p, cm);
    }
}

/* Look for gx's literals at byte p of the scan text s (n bytes); most
 * places are turned away by the gram filters. */
static inline void probe_literals(const gram_index *gx, const unsigned char *s, size_t n, size_t p,
                                  clause_marks *cm)
{
    uint32_t four = gram_key(s + p, 4);
    const gram_slot *g = gram_find(&gx->four, four);
    if (g) probe_four(gx, g, s, n, p, cm);
    g = gram_find(&gx->three, four & keep_mask32(3));
    if (!g) return;
    for (uint32_t k = 0; k < g->count; k++) {   /* 3 bytes: the gram is the whole literal */
        const clause_literal *c = &gx->lits[g->start + k];
        if (!clause_found_here(cm, c->clause)) mark_literal(c, s, p, cm);
    }
}

/* Mark at_word's literals found at the first byte p of a word of the scan
 * text s (n bytes), as probe_literals would (see memo_add_literals): through
 * the gram index where the word's memo entry says a literal may go on past
 * the word, else the entry's clauses of those that lie within it (most
 * words: none). */
static inline void probe_word_start(const lexicon *lx, const match_scratch *ms, const memo_entry *e,
                                    const unsigned char *s, size_t n, size_t p, clause_marks *cm)
{
    /* a literal that goes on past the word needs the next bytes it has */
    if (e->probe && (e->probe_next & next_bytes_bit(s[p + e->len + 1], s[p + e->len + 2]))) {
        probe_literals(&lx->at_word, s, n, p, cm);
        return;
    }
    if (!e->nmarks) return;   /* memo_items may be NULL then */
    const uint32_t *marks = ms->memo_items + e->items + e->nprefix;
    for (uint32_t k = 0; k < e->nmarks; k++) {
        cm->sentences[marks[k]] |= cm->here;
        cm->gates |= lx->clause_gate_bits[marks[k]];
    }
}

/* Mark at_word's literals found inside word i, which starts at byte p of
 * the scan text s (n bytes): after each byte that is not an ASCII letter
 * or digit (none in a plain word). */
static inline void probe_inside_word(const lexicon *lx, const word_list *wl, size_t i, const unsigned char *s,
                                     size_t n, size_t p, clause_marks *cm)
{
    if (wl->w[i].plain) return;
    for (size_t end = p + wl->w[i].len; p + 1 < end; p++)
        if (!is_ascii_alnum(s[p])) probe_literals(&lx->at_word, s, n, p + 1, cm);
}

/* Mark at_word's literals found at or inside word i of a list made by
 * words_split, whose text is the scan text s (n bytes); e is the word's
 * memo entry, which has site set. */
static inline void mark_split_site(const lexicon *lx, const word_list *wl, const match_scratch *ms, size_t i,
                                   const memo_entry *e, const unsigned char *s, size_t n, clause_marks *cm)
{
    size_t p = wl->w[i].off;
    cm->here = sentence_bit(wl->w[i].sentence);
    probe_word_start(lx, ms, e, s, n, p, cm);
    probe_inside_word(lx, wl, i, s, n, p, cm);
}

/* Start an utterance's clause marks: no clause found anywhere yet. */
static void clear_clause_marks(const lexicon *lx, match_scratch *ms)
{
    ms->clause_sentences = xgrow(ms->clause_sentences, &ms->clause_sentences_cap, lx->nclauses,
                                 sizeof *ms->clause_sentences);
    memset(ms->clause_sentences, 0, lx->nclauses * sizeof *ms->clause_sentences);
}

/* Every literal rule that matches at some word, found through each word's
 * memo entry: its prefix entries, then its exact one (and pairs). */
static void find_literal_matches(const lexicon *lx, const word_list *wl, match_scratch *ms)
{
    /* an utterance of more words than the memo holds is matched without it,
     * so that the memo never grows with one utterance's length */
    ms->memo_bypass = wl->n > MEMO_MAX_WORDS;
    ms->sites_marked = 0;
    if (!lx->use_memo) return;
    ms->hashed_word = 0;
    ms->padded = wl->text_cap >= wl->text_len + 8 && load64(wl->text + wl->text_len) == 0;
    if (ms->memo_bypass) {
        find_literal_matches_alone(lx, wl, ms);
        return;
    }
    memo_make_room(ms, wl->n);
    ms->word_memo = xgrow(ms->word_memo, &ms->word_memo_cap, wl->n, sizeof *ms->word_memo);
    ms->sites = xgrow(ms->sites, &ms->sites_cap, wl->n, sizeof *ms->sites);
    ms->nsites = 0;
    /* every word's entry first, so that a word with pairs finds the next
     * word's hash in its entry */
    look_up_words(lx, wl, ms);
    /* A site's literals are marked here, where its entry is at hand, when
     * the list is words_split's (its text is the scan text) and the
     * prefilter will be prepared (there are counted regexes); else the
     * sites are noted for find_clause_literals. */
    int mark_here = wl->split && lx->at_word.n && lx->ncounted_regex;
    clause_marks cm = {NULL, 0, 0};
    const unsigned char *scan = (const unsigned char *)wl->text;
    size_t scan_len = wl->text_len - 1;
    if (mark_here) {
        clear_clause_marks(lx, ms);
        cm.sentences = ms->clause_sentences;
    }
    const uint32_t *word_memo = ms->word_memo;
    for (size_t i = 0, n = wl->n; i < n; i++) {
        if (word_memo[i] == NO_MEMO) continue;
        const memo_entry *e = &ms->memo[word_memo[i]];
        if (!e->work) continue;
        if (e->site) {
            if (mark_here) mark_split_site(lx, wl, ms, i, e, scan, scan_len, &cm);
            else ms->sites[ms->nsites++] = (uint32_t)i;
        }
        add_direct(e, i, ms);
        for (uint32_t p = 0; p < e->nprefix; p++)
            try_phrases(lx, &lx->ranges[ms->memo_items[e->items + p]], wl, i, 1, ms);
        if (!e->exact) continue;
        const rule_range *rg = &lx->ranges[e->exact - 1];   /* its own phrases, then pairs */
        if (rg->count) try_phrases(lx, rg, wl, i, 1, ms);
        if (!rg->has_pairs) continue;
        uint64_t second = next_word_hash(wl, ms, i);
        if (pair_may_match(rg, wl, i, second)) try_pair(lx, wl, i, e->hash, second, ms);
    }
    ms->sites_marked = mark_here;
    ms->site_gates = cm.gates;
}

/* ---- sentences, the prefilter and the regex subject ---- */

/* For a word list not made by words_split (find_split_sentences serves
 * those): each word's sentence, and each sentence's words: one starts at
 * the first word and wherever the list marks one (or the sentence number
 * changes). In the same pass, since both read every word: where each word
 * starts in the scan text (prepare_scan_text); returns whether the words
 * lie back to back in the word list's text, as they would there. */
static int find_sentences_and_offsets(const word_list *wl, match_scratch *ms)
{
    ms->word_sentence = xgrow(ms->word_sentence, &ms->word_sentence_cap, wl->n, sizeof *ms->word_sentence);
    ms->word_off = xgrow(ms->word_off, &ms->word_off_cap, wl->n, sizeof *ms->word_off);
    /* at most one sentence per word: room for all at once */
    ms->sentences = xgrow(ms->sentences, &ms->sentences_cap, wl->n, sizeof *ms->sentences);
    size_t total = 0, nsentences = 0;   /* total: the words so far and a NUL after each */
    int back_to_back = 1;
    uint32_t sentence = 0;
    for (size_t i = 0; i < wl->n; i++) {
        const word *w = &wl->w[i];
        if (i == 0 || w->sentence_start || w->sentence != sentence) {
            if (nsentences) ms->sentences[nsentences - 1].end_word = (uint32_t)i;
            ms->sentences[nsentences++].first_word = (uint32_t)i;
            sentence = w->sentence;
        }
        ms->word_sentence[i] = (uint32_t)(nsentences - 1);
        back_to_back &= w->off == total;
        ms->word_off[i] = total;
        total += w->len + 1;
    }
    ms->sentences[nsentences - 1].end_word = (uint32_t)wl->n;
    ms->nsentences = nsentences;
    ms->scan_len = total - 1;
    return back_to_back;
}

/* The sentences of a word list made by words_split: each starts at a word
 * marked sentence_start (the first word is), the last word's sentence
 * number tells how many there are, so the words of the last one need no
 * look, and the words' own offsets and sentence numbers are those the scan
 * text and the sentences have. */
static void find_split_sentences(const word_list *wl, match_scratch *ms)
{
    const word *w = wl->w;
    size_t n = wl->n, nsentences = (size_t)w[n - 1].sentence + 1, k = 1;
    ms->sentences = xgrow(ms->sentences, &ms->sentences_cap, n, sizeof *ms->sentences);
    sentence_span *sp = ms->sentences;
    sp[0].first_word = 0;
    for (size_t i = 1; i < n && k < nsentences; i++) {
        if (!w[i].sentence_start) continue;
        sp[k - 1].end_word = (uint32_t)i;
        sp[k++].first_word = (uint32_t)i;
    }
    sp[k - 1].end_word = (uint32_t)n;
    ms->nsentences = k;
    ms->scan = wl->text;
    ms->scan_len = wl->text_len - 1;
}

/* Where word i starts in the scan text and the subject. */
static inline size_t scan_offset(const word_list *wl, const match_scratch *ms, size_t i)
{
    return wl->split ? wl->w[i].off : ms->word_off[i];
}

/* The index in ms->sentences of word i's sentence. */
static inline uint32_t sentence_of(const word_list *wl, const match_scratch *ms, size_t i)
{
    return wl->split ? wl->w[i].sentence : ms->word_sentence[i];
}

/* The words as the literal scan reads them: each followed by a NUL (where
 * the regex subject has a space or a newline), then eight more NULs so
 * that eight bytes can be read anywhere; ms->word_off has where each word
 * starts (find_sentences_and_offsets). The tokenizer's text is that
 * already (it pads it); a word list made otherwise is copied. */
static void prepare_scan_text(const word_list *wl, match_scratch *ms, int back_to_back)
{
    size_t total = ms->scan_len + 1;
    if (back_to_back && wl->text_cap >= total + 8 && wl->text[total - 1] == '\0' &&
        load64(wl->text + total) == 0) {
        ms->scan = wl->text;
        return;
    }
    ms->joined = xgrow(ms->joined, &ms->joined_cap, total + 8, 1);
    for (size_t i = 0; i < wl->n; i++) {
        memcpy(ms->joined + ms->word_off[i], word_at(wl, i), wl->w[i].len);
        ms->joined[ms->word_off[i] + wl->w[i].len] = '\0';
    }
    memset(ms->joined + total, 0, 8);
    ms->scan = ms->joined;
}

/* Note which prefilter clauses have a literal somewhere in the utterance,
 * and in which sentences, in the scan text: the literals were indexed with
 * their spaces as NULs, so a literal is found wherever the subject has it
 * (and, rarely, across the end of a sentence too, which only lets a regex
 * run that cannot match). A word may start at each word's first byte, and
 * inside a word only after a byte that is not an ASCII letter or digit
 * (' - or UTF-8). A literal found at a word is noted in the word's sentence
 * (where a match holding it would be); one found byte by byte, in all. */
static void find_clause_literals(const lexicon *lx, const word_list *wl, match_scratch *ms)
{
    const unsigned char *s = (const unsigned char *)ms->scan;
    size_t n = ms->scan_len;
    clause_marks cm = {NULL, 0, 0};
    if (ms->sites_marked) {   /* find_literal_matches did the words */
        cm.sentences = ms->clause_sentences;
        cm.gates = ms->site_gates;
    } else {
        clear_clause_marks(lx, ms);
        cm.sentences = ms->clause_sentences;
        if (lx->at_word.n && ms->memo_bypass) {
            for (size_t i = 0; i < wl->n; i++) {
                size_t p = scan_offset(wl, ms, i);
                cm.here = sentence_bit(sentence_of(wl, ms, i));
                probe_literals(&lx->at_word, s, n, p, &cm);
                probe_inside_word(lx, wl, i, s, n, p, &cm);
            }
        } else if (lx->at_word.n) {   /* only at the sites find_literal_matches noted */
            for (size_t k = 0; k < ms->nsites; k++) {
                size_t i = ms->sites[k], p = scan_offset(wl, ms, i);
                cm.here = sentence_bit(sentence_of(wl, ms, i));
                probe_word_start(lx, ms, &ms->memo[ms->word_memo[i]], s, n, p, &cm);
                probe_inside_word(lx, wl, i, s, n, p, &cm);
            }
        }
    }
    cm.here = UINT64_MAX;
    if (lx->anywhere.n)
        for (size_t p = 0; p + REGEX_LITERAL_MIN <= n; p++)
            probe_literals(&lx->anywhere, s, n, p, &cm);
    ms->gates = cm.gates;
}

/* For each sentence, the start bits of the anchored regexes whose start
 * strings its first word allows (kept in the word's memo entry). */
static void mark_sentence_starts(const lexicon *lx, const word_list *wl, match_scratch *ms)
{
    ms->sentence_starts = xgrow(ms->sentence_starts, &ms->sentence_starts_cap, ms->nsentences,
                                sizeof *ms->sentence_starts);
    ms->starts_any = 0;
    for (size_t k = 0; k < ms->nsentences; k++) {
        size_t first = ms->sentences[k].first_word;
        uint64_t bits = ms->memo_bypass ? start_bits_of(lx, word_at(wl, first), wl->w[first].len)
                                        : ms->memo[ms->word_memo[first]].start_bits;
        ms->sentence_starts[k] = bits;
        ms->starts_any |= bits;
    }
}

/* Find the sentences, the clause literals and the sentence starts, once
 * per utterance, before any regex is considered. */
static void prepare_prefilter(const lexicon *lx, const word_list *wl, match_scratch *ms)
{
    if (ms->prefilter_ready) return;
    ms->gates = 0;
    if (wl->split) find_split_sentences(wl, ms);
    else prepare_scan_text(wl, ms, find_sentences_and_offsets(wl, ms));
    if (lx->nclauses) find_clause_literals(lx, wl, ms);
    if (lx->nstart_rules) mark_sentence_starts(lx, wl, ms);
    ms->subject_ready = 0;
    ms->prefilter_ready = 1;
}

/* The regex subject, built once a regex is to run: the scan text with each
 * word's NUL made a space, or a newline where a sentence ends, which no
 * sentence's subject includes. Eight zero bytes follow the end. */
static void prepare_subject(const word_list *wl, match_scratch *ms)
{
    if (ms->subject_ready) return;
    size_t len = ms->scan_len;
    ms->subject = xgrow(ms->subject, &ms->subject_cap, len + 9, 1);
    char *out = ms->subject;
    memcpy(out, ms->scan, len + 9);
    for (size_t k = 0; k < ms->nsentences; k++) {
        sentence_span *sp = &ms->sentences[k];
        size_t last = sp->end_word - 1;
        for (size_t i = sp->first_word; i < last; i++) out[scan_offset(wl, ms, i) + wl->w[i].len] = ' ';
        sp->start = scan_offset(wl, ms, sp->first_word);
        sp->end = scan_offset(wl, ms, last) + wl->w[last].len;
        if (k + 1 < ms->nsentences) out[sp->end] = '\n';
    }
    ms->subject_len = len;
    ms->utf_checked = wl->split;   /* words_split's words are valid UTF-8 */
    ms->utf_check = PCRE2_NO_UTF_CHECK;
    ms->subject_ready = 1;
}

/* PCRE2_NO_UTF_CHECK when the subject is valid UTF-8 (the tokenizer's
 * words always are), worked out once per utterance when the first regex
 * runs rather than by every pcre2_match call; ASCII is passed over eight
 * bytes at a time. */
static uint32_t subject_utf_check(match_scratch *ms)
{
    if (!ms->utf_checked) {
        const char *s = ms->subject;
        size_t n = ms->subject_len, i = 0;
        while (i + 8 <= n && !(load64(s + i) & 0x8080808080808080ull)) i += 8;
        ms->utf_check = utf8_valid(s + i, n - i) ? PCRE2_NO_UTF_CHECK : 0;
        ms->utf_checked = 1;
    }
    return ms->utf_check;
}

/* Whether every clause of the rule's prefilter has a literal present (a rule
 * without clauses always runs). */
static int prefilter_passes(const rule *r, const match_scratch *ms)
{
    for (uint32_t k = 0; k < r->nclauses; k++)
        if (!ms->clause_sentences[r->clause_first + k]) return 0;
    return 1;
}

/* The sentences (sentence_bit) holding a literal of every clause of the
 * rule's prefilter: those its matches can be in (none when the prefilter
 * does not pass). */
static uint64_t prefilter_sentences(const rule *r, const match_scratch *ms)
{
    uint64_t where = UINT64_MAX;
    for (uint32_t k = 0; k < r->nclauses; k++) where &= ms->clause_sentences[r->clause_first + k];
    return where;
}

/* ---- running regexes ---- */

/* Add the span of the sentence's words that the bytes [s, e) of the subject
 * touch, to `to` or (NULL) to the found candidates; a match of spaces alone
 * touches none. */
static void add_regex_span(const word_list *wl, match_scratch *ms, const sentence_span *sp,
                           const rule *r, uint32_t ri, size_t s, size_t e, candidate_list *to)
{
    size_t lo = sp->first_word, hi = sp->end_word;
    while (lo < hi) {   /* the first word ending after s */
        size_t mid = lo + (hi - lo) / 2;
        if (scan_offset(wl, ms, mid) + wl->w[mid].len > s) hi = mid;
        else lo = mid + 1;
    }
    size_t first = lo;
    hi = sp->end_word;
    while (lo < hi) {   /* the first word starting at or after e */
        size_t mid = lo + (hi - lo) / 2;
        if (scan_offset(wl, ms, mid) >= e) hi = mid;
        else lo = mid + 1;
    }
    if (first >= lo) return;
    if (to) add_candidate(to, r, ri, first, lo);
    else add_found(ms, r->category, ri, r->exception, first, lo, 0);   /* never streamed */
}

static size_t utf8_char_len(unsigned char c)
{
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* pcre2_match of the subject from off. With a JIT-compiled pattern and a
 * subject known to be valid UTF-8, pcre2_match would check its arguments
 * (ours are right) and then call pcre2_jit_match, which is called here
 * directly: 1% of all instructions went to those checks. Without JIT code
 * pcre2_jit_match changes nothing and says so. */
static int regex_match(const rule *r, PCRE2_SPTR subject, size_t len, size_t off, match_scratch *ms)
{
    uint32_t utf_check = subject_utf_check(ms);
    if (utf_check == PCRE2_NO_UTF_CHECK) {
        int rc = pcre2_jit_match(r->re, subject, len, off, utf_check, ms->md, ms->mctx);
        if (rc != PCRE2_ERROR_JIT_BADOPTION) return rc;
    }
    return pcre2_match(r->re, subject, len, off, utf_check, ms->md, ms->mctx);
}

/* Every match of one regex in sentence k, added to `to`. Returns 0, or the
 * PCRE2 error that made it stop. */
static int run_regex_in_sentence(const rule *r, uint32_t ri, const word_list *wl, match_scratch *ms,
                                 size_t k, candidate_list *to)
{
    const sentence_span *sp = &ms->sentences[k];
    PCRE2_SPTR subject = (PCRE2_SPTR)(ms->subject + sp->start);
    size_t len = sp->end - sp->start, off = 0;
    while (off <= len) {
        int rc = regex_match(r, subject, len, off, ms);
        if (rc == PCRE2_ERROR_NOMATCH) return 0;
        if (rc < 0) return rc;
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(ms->md);
        size_t s = ov[0], e = ov[1];
        if (e > s) add_regex_span(wl, ms, sp, r, ri, sp->start + s, sp->start + e, to);
        if (e > off) {
            off = e;
        } else {   /* an empty match: step over one character */
            if (off >= len) break;
            size_t step = utf8_char_len(subject[off]);
            off += step < len - off ? step : len - off;
        }
    }
    return 0;
}

static const char *limit_name(int rc)
{
    switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT: return "match limit";
    case PCRE2_ERROR_DEPTHLIMIT: return "depth limit";
    case PCRE2_ERROR_HEAPLIMIT: return "heap limit";
    case PCRE2_ERROR_JIT_STACKLIMIT: return "JIT stack limit";
    default: return NULL;
    }
}

static void warn_regex_failure(const rule *r, int rc, diag_list *d, const char *source, long line)
{
    if (!d) return;
    const char *limit = limit_name(rc);
    if (limit) {
        diag_add(d, source, line, SEV_WARNING,
                 "rule %s: regex gave up (%s) on this utterance; the rule is skipped here", r->id, limit);
        return;
    }
    PCRE2_UCHAR why[256];
    if (pcre2_get_error_message(rc, why, sizeof why) < 0) strcpy((char *)why, "unknown error");
    diag_add(d, source, line, SEV_WARNING,
             "rule %s: regex failed (%s) on this utterance; the rule is skipped here", r->id,
             (const char *)why);
}

/* Run a regex rule over the sentences (all, or those marked with `only`)
 * that hold its prefilter's literals, except those an anchored regex
 * cannot start in; its matches go to `to`, or (NULL) to the found
 * candidates. When PCRE2 gives up, the rule's matches in this utterance
 * are dropped and a warning names it. */
static void run_regex_rule(const lexicon *lx, uint32_t ri, const word_list *wl, match_scratch *ms,
                           const uint32_t *only, uint32_t stamp, candidate_list *to,
                           diag_list *d, const char *source, long line)
{
    const rule *r = &lx->rules[ri];
    candidate_list *kept = to ? to : &ms->by_cat[r->category];
    size_t before = kept->n;
    uint64_t where = prefilter_sentences(r, ms);
    for (size_t k = 0; k < ms->nsentences; k++) {
        if (!(where & sentence_bit(k)) || (only && only[k] != stamp)) continue;
        if (r->start_bit && !(ms->sentence_starts[k] & r->start_bit)) continue;   /* cannot start here */
        prepare_subject(wl, ms);
        int rc = run_regex_in_sentence(r, ri, wl, ms, k, to);
        if (rc < 0) {
            kept->n = before;
            warn_regex_failure(r, rc, d, source, line);
            return;
        }
    }
}

/* ---- choosing the counted matches ---- */

/* Within one category: by first word, longer spans first, earlier rules
 * first. Exceptions are mixed in; selection tells them apart. */
static int candidate_before(const candidate *a, const candidate *b)
{
    if (a->first != b->first) return a->first < b->first;
    uint32_t alen = a->last - a->first, blen = b->last - b->first;
    if (alen != blen) return alen > blen;
    return a->rule < b->rule;
}

/* A merge sort using the scratch's buffer, so sorting allocates nothing once
 * the buffers have grown. Literal candidates arrive in word order, so halves
 * that are already in order are left as they are. */
static void sort_candidates(candidate *c, candidate *tmp, size_t n)
{
    if (n < 2) return;
    if (n <= 8) {
        for (size_t i = 1; i < n; i++) {
            candidate x = c[i];
            size_t j = i;
            for (; j && candidate_before(&x, &c[j - 1]); j--) c[j] = c[j - 1];
            c[j] = x;
        }
        return;
    }
    size_t half = n / 2;
    sort_candidates(c, tmp, half);
    sort_candidates(c + half, tmp, n - half);
    if (!candidate_before(&c[half], &c[half - 1])) return;
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n) tmp[k++] = candidate_before(&c[j], &c[i]) ? c[j++] : c[i++];
    while (i < half) tmp[k++] = c[i++];
    while (j < n) tmp[k++] = c[j++];
    memcpy(c, tmp, n * sizeof *c);
}

/* Mark the sentences holding a counted candidate of the list; returns how
 * many counted candidates it has. */
static size_t mark_counted_sentences(const word_list *wl, match_scratch *ms, const candidate_list *l)
{
    const candidate *c = l->v;
    size_t n = l->n, counted = 0;
    uint32_t stamp = next_stamp(&ms->sentence_mark, &ms->sentence_mark_cap, ms->nsentences,
                                &ms->sentence_stamp);
    for (size_t i = 0; i < n; i++) {
        if (c[i].exception) continue;
        counted++;
        for (uint32_t k = sentence_of(wl, ms, c[i].first); k <= sentence_of(wl, ms, c[i].last - 1); k++)
            ms->sentence_mark[k] = stamp;
    }
    return counted;
}

/* Run the exception regexes of category cat, which has candidates. */
static void find_category_regex_exceptions(const lexicon *lx, const word_list *wl, match_scratch *ms,
                                           uint32_t cat, diag_list *d, const char *source, long line)
{
    prepare_prefilter(lx, wl, ms);
    int marked = 0;
    for (uint32_t i = lx->cat_exceptions[cat]; i < lx->cat_exceptions[cat + 1]; i++) {
        uint32_t ri = lx->regex_exceptions[i];
        if (!prefilter_passes(&lx->rules[ri], ms)) continue;
        if (!marked && !mark_counted_sentences(wl, ms, &ms->by_cat[cat])) break;
        marked = 1;
        run_regex_rule(lx, ri, wl, ms, ms->sentence_mark, ms->sentence_stamp, &ms->regex_exceptions, d,
                       source, line);
    }
}

/* An exception can only matter where its category has a counted match, so
 * exception regexes run only in the sentences holding one (before
 * select_matches, which empties the lists), and only for the categories
 * that got candidates (cat_seen; a list may have lost them all since), in
 * category order. */
static void find_regex_exceptions(const lexicon *lx, const word_list *wl, match_scratch *ms,
                                  diag_list *d, const char *source, long line)
{
    for (size_t w = 0; w * 64 < lx->ncats; w++) {
        for (uint64_t bits = ms->cat_seen[w] & lx->exception_cat_bits[w]; bits; bits &= bits - 1) {
            uint32_t cat = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(bits));
            if (ms->by_cat[cat].n) find_category_regex_exceptions(lx, wl, ms, cat, d, source, line);
        }
    }
}

static void mark_span(match_scratch *ms, const candidate *c)
{
    for (uint32_t k = c->first; k < c->last; k++) ms->mark[k] = ms->stamp;
}

/* Mark the words the category's exception matches cover; 0 if it has none. */
static int mark_exceptions(const lexicon *lx, const word_list *wl, match_scratch *ms, uint32_t cat,
                           const candidate *c, size_t n)
{
    int any = 0;
    for (size_t i = 0; i < n && lx->cat_literal_exceptions[cat]; i++) {
        if (!c[i].exception) continue;
        if (!any) next_stamp(&ms->mark, &ms->mark_cap, wl->n, &ms->stamp);
        any = 1;
        mark_span(ms, &c[i]);
    }
    for (size_t i = 0; i < ms->regex_exceptions.n; i++) {
        if (ms->regex_exceptions.v[i].category != cat) continue;
        if (!any) next_stamp(&ms->mark, &ms->mark_cap, wl->n, &ms->stamp);
        any = 1;
        mark_span(ms, &ms->regex_exceptions.v[i]);
    }
    return any;
}

static int overlaps_exception(const match_scratch *ms, const candidate *c)
{
    for (uint32_t k = c->first; k < c->last; k++)
        if (ms->mark[k] == ms->stamp) return 1;
    return 0;
}

/* Append candidate c to out, which has room for it. */
static inline void emit(match_list *out, const candidate *c)
{
    match *m = &out->m[out->n++];
    m->category = c->category;
    m->rule = c->rule;
    m->first = c->first;
    m->last = c->last;
}

/* One category's candidates c[0..n), sorted: mark the words exception
 * matches cover, then keep the leftmost-longest spans that touch none of
 * them. */
static void select_category(const lexicon *lx, const word_list *wl, match_scratch *ms, uint32_t cat,
                            const candidate *c, size_t n, match_list *out)
{
    int has_exceptions = mark_exceptions(lx, wl, ms, cat, c, n);
    uint32_t end = 0;
    for (size_t i = 0; i < n; i++) {
        if (c[i].exception || c[i].first < end) continue;
        if (has_exceptions && overlaps_exception(ms, &c[i])) continue;
        emit(out, &c[i]);
        end = c[i].last;
    }
}

/* The categories with candidates, in order (their cat_seen bits): each
 * one's counted matches to out, sorted and selected, but for a streamed
 * category's, whose list is as selected already. Every list is left empty
 * and every bit cleared for the next utterance. */
static void select_matches(const lexicon *lx, const word_list *wl, match_scratch *ms, match_list *out)
{
    for (size_t w = 0; w * 64 < lx->ncats; w++) {
        for (uint64_t bits = ms->cat_seen[w]; bits; bits &= bits - 1) {
            uint32_t cat = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(bits));
            candidate_list *l = &ms->by_cat[cat];
            size_t n = l->n;
            if (!n) continue;   /* its candidates were all dropped */
            l->n = 0;
            if (out->n + n > out->cap) out->m = xgrow(out->m, &out->cap, out->n + n, sizeof *out->m);
            if (lx->cat_streamed[cat]) {   /* no exceptions: the list is as selected */
                for (size_t i = 0; i < n; i++) emit(out, &l->v[i]);
                continue;
            }
            if (n > 1) {
                ms->sort_tmp = xgrow(ms->sort_tmp, &ms->tmp_cap, n, sizeof *ms->sort_tmp);
                sort_candidates(l->v, ms->sort_tmp, n);
            }
            select_category(lx, wl, ms, cat, l->v, n, out);
        }
        ms->cat_seen[w] = 0;
    }
    ms->ncats = 0;
}

/* Run counted regex i where its prefilter and sentence-start filter allow. */
static void try_counted_regex(const lexicon *lx, size_t i, const word_list *words, match_scratch *ms,
                              diag_list *d, const char *source, long line)
{
    const rule *r = &lx->rules[lx->counted_regex[i]];
    if (!prefilter_passes(r, ms) || (r->start_bit && !(ms->starts_any & r->start_bit))) return;
    run_regex_rule(lx, lx->counted_regex[i], words, ms, NULL, 0, NULL, d, source, line);
}

void lexicon_match(const lexicon *lx, const word_list *words, match_scratch *ms,
                   match_list *out, diag_list *d, const char *source, long line)
{
    if (!lx || !lx->finished || !words || !words->n) return;   /* unfinished: nothing matches */
    if (ms->by_cat_n < lx->ncats) {
        ms->by_cat = xrealloc(ms->by_cat, lx->ncats * sizeof *ms->by_cat);
        memset(ms->by_cat + ms->by_cat_n, 0, (lx->ncats - ms->by_cat_n) * sizeof *ms->by_cat);
        free(ms->cat_seen);
        ms->cat_seen = xcalloc((lx->ncats + 63) / 64, sizeof *ms->cat_seen);
        ms->by_cat_n = lx->ncats;
    }
    ms->regex_exceptions.n = 0;
    ms->prefilter_ready = 0;
    find_literal_matches(lx, words, ms);
    if (lx->ncounted_regex) prepare_prefilter(lx, words, ms);
    /* the counted regexes in order: the first 64 only where their gate
     * clause was marked (or they have none), the rest checked one by one */
    for (uint64_t bits = lx->ncounted_regex ? ms->gates | lx->ungated : 0; bits; bits &= bits - 1)
        try_counted_regex(lx, (size_t)__builtin_ctzll(bits), words, ms, d, source, line);
    for (size_t i = 64; i < lx->ncounted_regex; i++) {
        uint32_t gate = lx->counted_gate[i];
        if (gate != NO_GATE && !ms->clause_sentences[gate]) continue;
        try_counted_regex(lx, i, words, ms, d, source, line);
    }
    if (!ms->ncats) return;
    if (lx->nregex_exceptions) find_regex_exceptions(lx, words, ms, d, source, line);
    select_matches(lx, words, ms, out);
}
