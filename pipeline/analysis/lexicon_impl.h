/* lexicon_impl.h: what lexicon.c (matching) and lexicon_load.c (parsing
 * and building the index) share: the lexicon's layout, its hash maps and the
 * hashes both sides must compute alike. Private to those two files; the
 * public interface is lexicon.h. */
#ifndef DYAD_LEXICON_IMPL_H
#define DYAD_LEXICON_IMPL_H

#include "analysis/lexicon.h"
#include "analysis/regex_literals.h"
#include "util/sha256.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
 * transcript word is hashed once, and most are short. A key of up to 8
 * bytes is those bytes as one number, multiplied once (hash_short); 9 to 16
 * bytes, two overlapping 8-byte loads (hash_mid); longer ones 8 bytes at a
 * time with an overlapping last load. */

#define HASH_SEED 0x9E3779B97F4A7C15ull
#define HASH_MUL1 0xBF58476D1CE4E5B9ull
#define HASH_MUL2 0x94D049BB133111EBull

typedef struct map_slot {
    uint64_t hash;
    uint64_t head;     /* a key of up to 8 bytes as key_head gives it, else 0; in
                          pair_first, the first word's key_head when both words
                          have up to 8 bytes, else 0 (find_pair) */
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

/* A key of 9 to 16 bytes: two overlapping loads, two multiplies. Given
 * the first load, every step after it can be undone (HASH_MUL2 is odd):
 * the word memo relies on it (memo_holds). */
static inline uint64_t hash_mid(const char *s, size_t n)
{
    uint64_t h = ((load64(s) ^ (HASH_SEED + n)) * HASH_MUL1) ^ load64(s + n - 8);
    h *= HASH_MUL2;
    return h ^ (h >> 32);
}

static inline uint64_t hash_long(const char *s, size_t n)
{
    if (n <= 16) return hash_mid(s, n);
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

/* ------------------------------------------------------------------------
 * The lexicon. */

#define NO_GATE UINT32_MAX
/* Rule indexes stay below 2^31: the matcher keeps "is an exception" in the
 * top bit of a candidate's rule (lexicon.c, CANDIDATE_EXCEPTION). */
#define RULES_MAX 0x7FFFFFFFu

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
    uint8_t matches_at_start;   /* a regex whose every match begins at the subject's start
                                   (regex_requirement.anchored): one per sentence at most */
    uint8_t filler_slot;        /* 1 + its filler slot when the words decide its matches
                                   (lexicon.filler_by_word); 0: PCRE2 does */
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
    uint8_t simple;   /* the words it is filed under are all it needs, with the
                         sentence start when anchored (no conditions, no further
                         words) */
    uint8_t anchored;
    uint8_t streamed; /* its category's lexicon.cat_streamed */
    /* The first word its range's key leaves to check (word 1 under
     * exact_first and prefix_first, word 2 under pair_first), as a quick
     * test that turns most candidates away without a visit to the rule
     * (try_phrases): its length and whether it is a prefix, and the key_head
     * of its first 8 bytes. next_len 0: no such word (a posting that is
     * simple, or checked for its conditions alone). */
    uint8_t next_prefix;
    uint32_t next_len;
    uint64_t next_head;
} posting;

/* The literal rules filed under one key, as a slice of postings: count
 * that are checked where the key is found, then ndirect direct ones. */
#define PAIR_SECOND_WORDS 4   /* 64-bit words of rule_range.pair_seconds */

typedef struct rule_range {
    uint32_t start, count;
    uint16_t has_pairs;   /* in exact_first: some phrases go on in pair_first (see
                             pair_seconds) */
    uint16_t at_starts;   /* the count postings to check are all anchored (^what,
                             ^go): only a word that starts a sentence needs them */
    uint32_t ndirect;     /* single words of streamed categories, nothing else to check:
                             the word memo lists them per word (memo_entry) */
    uint64_t next_bytes;  /* when every one of the count postings checks a next word
                             (posting.next_len): the next_bytes_bit of the first two
                             bytes each allows there (all 64 for a prefix of one
                             byte), so that try_pair turns most places of a pair away
                             without a look at its postings ("i don't" goes on with
                             "know", "want", ...); 0: some posting checks none, or
                             there are none. Worked out for every range, used for
                             pair_first's */
    uint64_t pair_seconds[PAIR_SECOND_WORDS];   /* with has_pairs: bit pair_bit(h) for the
                                hash h of each of those phrases' second words, so that
                                most next words need no pair lookup ("i" has some 60) */
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

/* Bits of anchored regexes given by words: by the whole word and by the
 * first bytes it starts with (maps to an OR of bits). word_bits_of in
 * lexicon.c reads it; word_bits_add_* in lexicon_load.c fill it. */
typedef struct word_bits {
    strmap words;            /* whole word -> index into bits */
    strmap prefixes;         /* a word's first bytes -> index into bits */
    uint32_t *prefix_lens;   /* distinct key lengths of prefixes, ascending */
    size_t nprefix_lens;
    uint64_t *bits;
    size_t nbits, bits_cap;
    char **keys;             /* the keys of both maps */
    size_t nkeys, keys_cap;
} word_bits;

#define START_BITS 64   /* anchored regexes with a sentence-start filter, at most */
#define FILLER_RULES 16 /* of them, regexes with a filler-word run (regex_filler), at most */

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
    uint8_t *cat_one_word;   /* per category: streamed, and every rule a direct one (one word,
                                no anchor, no condition): its matches are single words, one per
                                word at most (the earliest rule's), and need no selection, so
                                in any order (match_scratch_any_order) they go straight from
                                the word memo to the output */
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
    word_bits starts;        /* start_bit of each regex a sentence's first word allows */
    /* ... but a regex that begins with a run of filler words (regex_filler)
     * has a filler slot k instead, and can match where, past a run of the
     * sentence's first words all in its fillers, a word is in its rest */
    size_t nfiller_rules;
    uint64_t filler_start_bit[FILLER_RULES];   /* slot k -> its regex's start_bit */
    uint32_t filler_first;   /* bit k: slot k's run takes at least one filler word (+) */
    word_bits fillers;       /* word -> bit k of each slot whose filler words hold it */
    word_bits filler_rests;  /* word -> bit k of each slot whose rest may start with it */
    uint32_t filler_second;  /* bit k: slot k's rest is known word by word
                                (regex_filler.second), so the word after the
                                one it starts with must be in filler_seconds */
    word_bits filler_seconds; /* word -> bit k of each such slot whose rest may
                                go on with it */
    /* slots whose matches the words decide (regex_filler.word_by_word): no
     * regex runs over the sentence, the words are checked against these,
     * compiled from the rest's pieces ("^(?:PIECE)", the first of two words
     * "^(?:PIECE)\z"), once per word the memo holds (decide_filler_rule) */
    uint32_t filler_by_word;      /* bit k: slot k is decided so */
    uint32_t filler_at_most_one;  /* bit k: slot k's run is ? */
    pcre2_code *filler_first_re[FILLER_RULES];
    pcre2_code *filler_second_re[FILLER_RULES];   /* NULL: a rest of one word */
};

static inline uint32_t gram_hash(uint32_t gram)
{
    uint32_t h = gram * 0x9E3779B1u;
    return h ^ (h >> 16);
}

static inline uint64_t head_hash(uint64_t head)
{
    return hash_finish(head);
}

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

static inline const head_slot *head_find(const gram_index *gx, uint64_t head)
{
    for (size_t i = head_hash(head) & (gx->heads_cap - 1);; i = (i + 1) & (gx->heads_cap - 1)) {
        const head_slot *hs = &gx->heads[i];
        if (!hs->count) return NULL;
        if (hs->head == head) return hs;
    }
}

/* The bit of a pair's second word, from its hash, in rule_range.pair_seconds. */
static inline unsigned pair_bit(uint64_t second)
{
    return (unsigned)(second >> 56);
}

static inline int pair_second_may_be(const rule_range *rg, uint64_t second)
{
    unsigned b = pair_bit(second);
    return rg->pair_seconds[b / 64] >> (b % 64) & 1;
}

/* A bucket (0 to 63) for two bytes, and its bit: a word's first two bytes
 * (its NUL for the second when it has one byte) or those after a word's NUL
 * in the scan text (rule_range.next_bytes, memo_entry.probe_next). */
static inline unsigned next_bytes_bucket(unsigned char a, unsigned char b)
{
    return ((uint32_t)(a | b << 8) * 0x9E3779B1u) >> 26;
}

static inline uint64_t next_bytes_bit(unsigned char a, unsigned char b)
{
    return (uint64_t)1 << next_bytes_bucket(a, b);
}

static inline int is_ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

#endif
