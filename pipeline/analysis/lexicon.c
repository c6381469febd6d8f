/* lexicon.c: the matcher (see lexicon.h and docs/lexicon-format.md; the
 * parser and the index it reads are built in lexicon_load.c, and the layout
 * both share is in lexicon_impl.h).
 *
 * Each transcript word costs a hash of a few loads and a lookup or two in
 * the index over the literal rules (exact first word, exact first two words,
 * first-word prefixes). Candidates found there are verified word by word and
 * collected per category. Regex rules run per sentence over the sentence's
 * words joined by spaces, but only where the literals every match must
 * contain (see regex_literals.h) occur, which one probe per word start finds
 * for all regexes at once, and an anchored regex only in sentences whose
 * first word can start a match (or, for one that begins with a run of
 * filler words such as "so", "and", "okay", whose words past such a run
 * can: regex_filler). Per category, exception matches knock out
 * the spans they overlap and the rest are chosen leftmost-longest; a category
 * without exceptions or regexes (most matches: pronouns, articles) is chosen
 * as its candidates are found, and its single words come straight from the
 * word memo (add_found, memo_entry); when the caller only counts matches
 * (match_scratch_any_order), such a category's go straight to the output.
 *
 * It runs for every word of every transcript, so the common case is kept
 * cheap: see docs/performance.md for what each shortcut saves. None of them
 * changes a match. The largest: a thread's match_scratch keeps a memo of the
 * words it has met (their index entries, the prefilter literals inside them,
 * their sentence-start bits), so each distinct word is looked up once.
 *
 * The lexicon is only read here; all per-call memory lives in the caller's
 * match_scratch, so threads share one lexicon. */
#include "analysis/lexicon_impl.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ------------------------------------------------------------------------
 * Matching. */

/* A rule's match before selection: a match (lexicon.h) whose rule has
 * CANDIDATE_EXCEPTION set when it is an exception's, so that a streamed
 * category's list, which has none, is copied out as it is (select_matches).
 * Rule indexes stay below that bit (RULES_MAX). */
typedef match candidate;
#define CANDIDATE_EXCEPTION (RULES_MAX + 1u)

static inline int is_exception(const candidate *c)
{
    return (c->rule & CANDIDATE_EXCEPTION) != 0;
}

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
    uint64_t head;           /* by len (see memo_holds): for a word of up to 8 bytes
                                unused, as hash and len alone tell such words apart; of
                                9 to 16 its first 8 bytes; longer, the offset of its
                                bytes in memo_text */
    uint64_t start_bits;     /* sentence-start filter bits */
    uint32_t len;            /* 0: an empty slot */
    uint32_t exact;          /* 1 + its exact_first range, when that has postings to
                                check or pairs; 0: none */
    uint32_t items;          /* where the word's list starts in memo_items; the list
                                is nprefix ranges of prefix_first (those with postings
                                to check), then nmarks prefilter clauses, each once
                                (those of the literals that end within the word and the
                                NUL after it), then ndirect pairs (category, rule) of
                                direct rules, the nsingle of one-word categories first,
                                then, with probe PROBE_LISTED, its probe list (see
                                list_probe_literals) */
    uint32_t nprefix;        /* see items */
    uint32_t ndirect;        /* see items */
    uint16_t nmarks;         /* see items */
    uint8_t probe;           /* some literal starts with the word and goes on past it:
                                where the word occurs and probe_next allows, look for
                                those the entry lists (PROBE_LISTED) or for every
                                literal through the gram index (PROBE_ALL); 0: none */
    uint64_t probe_next;     /* with probe: the next_bytes_bit of every pair of bytes
                                such a literal can go on with after the word's NUL (the
                                start of the next word) */
    uint8_t site;            /* 1: a prefilter literal may start at or inside the word:
                                it probes, lists some, or holds a byte that is not an
                                ASCII letter or digit (find_clause_literals) */
    uint8_t work;            /* 1: the literal pass has something to do at the word: it
                                is a site, or has direct, prefix or exact entries */
    uint16_t fillers;        /* lexicon.fillers' bits of the word (filler slots) */
    uint16_t filler_rests;   /* lexicon.filler_rests' bits of the word */
    uint16_t nsingle;        /* of the ndirect pairs, the first nsingle are of one-word
                                categories (lexicon.cat_one_word), one per category */
} memo_entry;
_Static_assert(sizeof(memo_entry) == 64, "memo_entry: one cache line (memo_make_room)");
_Static_assert(FILLER_RULES <= 16, "memo_entry: a filler slot's bit in 16");

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
#define PROBE_LISTED 1       /* memo_entry.probe */
#define PROBE_ALL 2
#define SECONDS_KNOWN 0x80000000u   /* match_scratch.memo_seconds: the bits are there */
_Static_assert(4 * FILLER_RULES <= 64, "memo_decided: four bits per filler slot");
_Static_assert(FILLER_RULES < 32, "memo_seconds: a filler slot's bit below SECONDS_KNOWN");

/* A word the literal pass has work at (memo_entry.work), with its memo
 * entry's index, so that the pass reads the entry without first reading
 * word_memo: one load fewer before each word's branches. */
typedef struct work_word {
    uint32_t word, entry;
} work_word;

struct match_scratch {
    memo_entry *memo;               /* open addressing; memo_cap is 0 or a power of two */
    size_t memo_cap, memo_n;
    char *memo_text;
    size_t memo_text_len, memo_text_cap;
    uint32_t *memo_items;
    size_t memo_items_n, memo_items_cap;
    uint64_t *memo_decided;         /* per memo slot, for each filler slot k and each of
                                       its pieces (lexicon.filler_first_re, then
                                       filler_second_re: piece 0 and 1): bit
                                       2 * FILLER_RULES + 2k + piece, the word was checked
                                       against it; bit 2k + piece, it matched (piece_bit) */
    uint32_t *memo_seconds;         /* per memo slot: SECONDS_KNOWN | the word's
                                       lexicon.filler_seconds bits once looked up
                                       (filler_second_bits), 0 before */
    uint32_t *direct;               /* a word's direct pairs while memo_describe lists its other items */
    size_t direct_n, direct_cap;
    uint32_t *probe_lits;           /* ... and the literals that go on past it (at_word.lits) */
    size_t probe_lits_n, probe_lits_cap;
    uint32_t *word_memo;            /* each word's entry in memo, for this utterance */
    work_word *work_words;          /* the words whose entry has work set, in order */
    size_t nwork, work_words_cap;
    uint32_t *sites;                /* the words whose memo entry has site set, in order */
    size_t nsites, sites_cap;
    int sites_marked;               /* find_literal_matches marked the sites' clause literals
                                       (mark_split_site) instead of noting them in sites, */
    uint64_t site_gates;            /*   and these are the gates they marked */
    int memo_bypass;                /* this utterance is matched without the memo (too long) */
    int any_order;                  /* match_scratch_any_order */
    size_t word_memo_cap;
    candidate_list *by_cat;         /* literal rules and counted regexes, per category, as found
                                       (in any order, a streamed category's stay empty); all
                                       empty again once select_matches is done */
    size_t by_cat_n;
    uint64_t *cat_seen;             /* bit per category: it got a candidate through add_found
                                       (by_cat_n bits; its list may have lost them all since,
                                       or, in any order, sent them to the output); not set for
                                       the single words add_direct sends there itself */
    uint32_t *cat_end;              /* per streamed category: where the last candidate kept
                                       ends (0: none yet), as add_found reads it */
    uint32_t *cat_kept;             /* in any order, per streamed category: the index in out
                                       of its last candidate kept (valid while cat_end is not 0) */
    match_list *out;                /* lexicon_match's output, where matches go in any order */
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
    size_t regex_searches;          /* match_scratch_regex_searches */
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
    free(ms->cat_end);
    free(ms->cat_kept);
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
    free(ms->memo_seconds);
    free(ms->memo_decided);
    free(ms->direct);
    free(ms->probe_lits);
    free(ms->word_memo);
    free(ms->work_words);
    free(ms->sites);
    pcre2_match_data_free(ms->md);
    pcre2_match_context_free(ms->mctx);
    pcre2_jit_stack_free(ms->jit_stack);
    free(ms);
}

size_t match_scratch_regex_searches(const match_scratch *ms)
{
    return ms->regex_searches;
}

void match_scratch_any_order(match_scratch *ms, int any_order)
{
    ms->any_order = any_order != 0;
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
    c->rule = exception ? rule_index | CANDIDATE_EXCEPTION : rule_index;
    c->first = (uint32_t)first;
    c->last = (uint32_t)last;
}

static inline void add_candidate(candidate_list *l, const rule *r, uint32_t rule_index, size_t first,
                                 size_t last)
{
    add_candidate_of(l, r->category, rule_index, r->exception, first, last);
}

/* A streamed category's candidate that starts inside the one kept last
 * (before cat_end) takes that one's place when it starts at the same word
 * and comes first in candidate_before's order (longer, or as long and an
 * earlier rule); otherwise it is dropped. */
static inline void replace_kept(match_scratch *ms, candidate *kept, uint32_t category, uint32_t rule_index,
                                size_t first, size_t last)
{
    if (first == kept->first && (last > kept->last || (last == kept->last && rule_index < kept->rule))) {
        kept->rule = rule_index;
        kept->last = (uint32_t)last;
        ms->cat_end[category] = (uint32_t)last;
    }
}

/* add_found for a streamed category in any order: the same choice, but
 * the candidate kept goes straight to the output (ms->out), where
 * cat_kept finds it again; selection then has nothing to do for it. */
static inline void add_streamed_to_out(match_scratch *ms, uint32_t category, uint32_t rule_index, size_t first,
                                       size_t last)
{
    match_list *out = ms->out;
    if (first < ms->cat_end[category]) {
        replace_kept(ms, &out->m[ms->cat_kept[category]], category, rule_index, first, last);
        return;
    }
    ms->cat_end[category] = (uint32_t)last;
    ms->cat_kept[category] = (uint32_t)out->n;
    if (out->n == out->cap) out->m = xgrow(out->m, &out->cap, out->n + 1, sizeof *out->m);
    out->m[out->n++] = (match){.category = category, .rule = rule_index, .first = (uint32_t)first,
                               .last = (uint32_t)last};
}

/* A candidate of a literal rule or a counted regex, into its category's
 * list; the category is noted in cat_seen.
 *
 * A streamed category (lexicon.cat_streamed) gets its candidates in word
 * order, all from the literal pass, and has no exceptions, so its list is
 * kept as selection would leave it (replace_kept). The list then needs
 * neither sort nor selection. Many matches come here from add_direct
 * (all of them in category order; in any order, those of categories with
 * phrases too): cat_end and the unconditional cat_seen bit spare them a
 * look at the list's last candidate and a branch on whether it is empty.
 * In any order, a streamed category's candidate goes to the output
 * instead (add_streamed_to_out). */
static inline void add_found(match_scratch *ms, uint32_t category, uint32_t rule_index, uint32_t exception,
                             size_t first, size_t last, int streamed)
{
    candidate_list *l = &ms->by_cat[category];
    ms->cat_seen[category / 64] |= (uint64_t)1 << (category % 64);
    if (streamed && ms->any_order) {
        add_streamed_to_out(ms, category, rule_index, first, last);
        return;
    }
    if (streamed) {
        if (first < ms->cat_end[category]) {   /* so the list has a last one kept */
            replace_kept(ms, &l->v[l->n - 1], category, rule_index, first, last);
            return;
        }
        ms->cat_end[category] = (uint32_t)last;
    }
    add_candidate_of(l, category, rule_index, exception, first, last);
}

/* ---- literal rules ---- */

static inline int word_matches(const rule_word *rw, const word_list *wl, size_t i)
{
    uint32_t len = wl->w[i].len;
    if (rw->prefix ? len < rw->len : len != rw->len) return 0;
    return bytes_equal(word_at(wl, i), rw->text, rw->len);
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

/* The key_head of word i's first n bytes (n <= 8 and <= its length): one
 * load where the tokenizer's padding allows it. */
static inline uint64_t word_head(const word_list *wl, const match_scratch *ms, size_t i, size_t n)
{
    const char *s = word_at(wl, i);
    return ms->padded && wl->w[i].off <= wl->text_len ? key_head_padded(s, n) : key_head(s, n);
}

/* Whether word k can be the word posting pp checks first (see posting):
 * its length allows it and its first 8 bytes are the same. */
static inline int next_word_may_match(const posting *pp, const word_list *wl, const match_scratch *ms, size_t k)
{
    uint32_t len = wl->w[k].len;
    if (pp->next_prefix ? len < pp->next_len : len != pp->next_len) return 0;
    return word_head(wl, ms, k, pp->next_len < 8 ? pp->next_len : 8) == pp->next_head;
}

/* Whether word k may be the next word some posting of range rg checks,
 * by its first two bytes (rule_range.next_bytes); there must be a word k,
 * as every such posting checks one, and it cannot be empty, as no rule's
 * word is (a list made by hand may hold one, whose byte is not read). */
static inline int next_word_in_range(const rule_range *rg, const word_list *wl, size_t k)
{
    if (k >= wl->n || !wl->w[k].len) return 0;
    const unsigned char *s = (const unsigned char *)word_at(wl, k);
    unsigned char second = wl->w[k].len > 1 ? s[1] : 0;
    return rg->next_bytes >> next_bytes_bucket(s[0], second) & 1;
}

static void try_phrases(const lexicon *lx, const rule_range *rg, const word_list *wl, size_t i,
                        uint32_t from, match_scratch *ms)
{
    const posting *pp = lx->postings + rg->start;
    for (uint32_t j = 0; j < rg->count; j++, pp++) {
        if (pp->anchored && !wl->w[i].sentence_start) continue;
        if (pp->simple) {
            add_found(ms, pp->category, pp->rule, pp->exception, i, i + pp->nwords, pp->streamed);
            continue;
        }
        /* what the posting tells, before a visit to the rule */
        if (pp->nwords > wl->n - i) continue;
        if (pp->next_len && !next_word_may_match(pp, wl, ms, i + from)) continue;
        const rule *r = &lx->rules[pp->rule];
        if (phrase_matches_at(r, wl, i, from))
            add_found(ms, r->category, pp->rule, r->exception, i, i + r->nwords, pp->streamed);
    }
}

/* The pair "a\0b" of hash h (hash_pair of the words' hashes) in pair_first.
 * When both words have up to 8 bytes, a's key_head (ahead) tells it: a slot
 * of such a pair keeps its first word's key_head, which, as words hold no
 * NUL, gives the word and its length; with equal first words and equal pair
 * hashes the second words' hashes are equal too (hash_pair can be undone
 * given the first), which for one length means equal words (hash_short).
 * Other pairs are compared byte by byte. */
static const map_slot *find_pair(const strmap *m, uint64_t h, const char *a, size_t alen, uint64_t ahead,
                                 const char *b, size_t blen)
{
    if (!m->n) return NULL;
    if (m->filter && !(m->filter[filter_bit(h) / 64] >> (filter_bit(h) % 64) & 1)) return NULL;
    int short_words = alen <= 8 && blen <= 8;
    for (size_t i = slot_index(h, m->cap);; i = (i + 1) & (m->cap - 1)) {
        const map_slot *s = &m->slots[i];
        if (!s->key) return NULL;
        if (s->hash != h || s->len != alen + 1 + blen) continue;
        if (short_words ? s->head == ahead
                        : bytes_equal(s->key, a, alen) && bytes_equal(s->key + alen + 1, b, blen))
            return s;
    }
}

/* The key_head (0 past 8 bytes) and hash of word i's first n bytes (n
 * <= its length). */
static inline uint64_t word_prefix_hash(const word_list *wl, const match_scratch *ms, size_t i, size_t n,
                                        uint64_t *head)
{
    if (n > 8) {
        *head = 0;
        return hash_long(word_at(wl, i), n);
    }
    *head = word_head(wl, ms, i, n);
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
    size_t alen = wl->w[i].len;
    uint64_t ahead = alen <= 8 ? word_head(wl, ms, i, alen) : 0;
    const map_slot *pair = find_pair(&lx->pair_first, hash_pair(first, second), word_at(wl, i), alen, ahead,
                                     word_at(wl, i + 1), wl->w[i + 1].len);
    if (!pair) return;
    const rule_range *rg = &lx->ranges[pair->value];
    if (!rg->next_bytes || next_word_in_range(rg, wl, i + 2)) try_phrases(lx, rg, wl, i, 2, ms);
}

/* Whether word i's exact entry (range rg) files phrases under it and the
 * next word, which may be the one of hash `second`. */
static inline int pair_may_match(const rule_range *rg, const word_list *wl, size_t i, uint64_t second)
{
    return rg->has_pairs && i + 1 < wl->n && pair_second_may_be(rg, second);
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
        memset(ms->memo_seconds, 0, ms->memo_cap * sizeof *ms->memo_seconds);
        memset(ms->memo_decided, 0, ms->memo_cap * sizeof *ms->memo_decided);
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
    /* one cache line per entry: look_up_words reads its hash and length,
     * the literal pass the rest, which share the line only when aligned
     * (memo_entry is 64 bytes; malloc aligns to 16: 2-3% of the run time) */
    memo_entry *slots = xcalloc_lines(cap, sizeof *slots);
    for (size_t i = 0; i < ms->memo_cap; i++) {
        if (!ms->memo[i].len) continue;
        size_t k = slot_index(ms->memo[i].hash, cap);
        while (slots[k].len) k = (k + 1) & (cap - 1);
        slots[k] = ms->memo[i];
    }
    free(ms->memo);
    ms->memo = slots;
    ms->memo_cap = cap;
    free(ms->memo_seconds);   /* looked up again as needed */
    ms->memo_seconds = xcalloc(cap, sizeof *ms->memo_seconds);
    free(ms->memo_decided);
    ms->memo_decided = xcalloc(cap, sizeof *ms->memo_decided);
}

static void memo_add_item(match_scratch *ms, uint32_t v)
{
    if (ms->memo_items_n == ms->memo_items_cap)
        ms->memo_items = xgrow(ms->memo_items, &ms->memo_items_cap, ms->memo_items_n + 1, sizeof *ms->memo_items);
    ms->memo_items[ms->memo_items_n++] = v;
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
 * word a probe site, where the bytes that follow are compared with it
 * (noted in ms->probe_lits for list_probe_literals). At a word's first
 * byte the byte before is a NUL (or nothing, at the scan text's start), so
 * a literal whose lead byte is not a NUL cannot be there and is left out;
 * one that must follow a NUL is listed, and marked at the text's first
 * byte too, which only lets a regex run that cannot match there. */
static void memo_add_literals(const lexicon *lx, match_scratch *ms, const map_slot *slot, memo_entry *e)
{
    if (!slot) return;
    const rule_range *g = &lx->lit_groups[slot->value];
    for (uint32_t k = 0; k < g->count; k++) {
        const clause_literal *c = &lx->at_word.lits[lx->lit_items[g->start + k]];
        if (c->has_lead && c->lead != '\0') continue;
        if (c->len > e->len + 1) {
            const unsigned char *next = (const unsigned char *)c->s + e->len + 1;
            if (!e->probe) e->probe = PROBE_LISTED;
            e->probe_next |= c->len > e->len + 2 ? next_bytes_bit(next[0], next[1]) : UINT64_MAX;
            ms->probe_lits = xgrow(ms->probe_lits, &ms->probe_lits_cap, ms->probe_lits_n + 1,
                                   sizeof *ms->probe_lits);
            ms->probe_lits[ms->probe_lits_n++] = lx->lit_items[g->start + k];
        } else if (memo_marks_clause(ms, e, c->clause)) {
            continue;
        } else if (e->nmarks < UINT16_MAX) {
            memo_add_item(ms, c->clause);
            e->nmarks++;
        } else {
            e->probe = PROBE_ALL;   /* too many to list: probing finds them all too */
            e->probe_next = UINT64_MAX;
        }
    }
}

/* The bits wb gives the word s[0..len): those of the word itself and of
 * every prefix it starts with. */
static uint64_t word_bits_of(const word_bits *wb, const char *s, size_t len)
{
    uint64_t bits = 0;
    const map_slot *slot = map_find(&wb->words, hash_bytes(s, len), s, len);
    if (slot) bits |= wb->bits[slot->value];
    for (size_t j = 0; j < wb->nprefix_lens && wb->prefix_lens[j] <= len; j++) {
        size_t plen = wb->prefix_lens[j];
        slot = map_find(&wb->prefixes, hash_bytes(s, plen), s, plen);
        if (slot) bits |= wb->bits[slot->value];
    }
    return bits;
}

/* The sentence-start filter bits of the anchored regexes a sentence whose
 * first word is s[0..len) may match (those with a filler run aside). */
static uint64_t start_bits_of(const lexicon *lx, const char *s, size_t len)
{
    return word_bits_of(&lx->starts, s, len);
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

/* The direct pairs collected in ms->direct into the entry's list: first
 * those of one-word categories, one per category (the earliest rule's, as
 * add_found would keep it), then the others as collected. */
static void list_direct_pairs(const lexicon *lx, match_scratch *ms, memo_entry *e)
{
    size_t first = ms->memo_items_n;
    for (size_t k = 0; k < ms->direct_n; k += 2) {
        uint32_t cat = ms->direct[k], rule = ms->direct[k + 1];
        if (!lx->cat_one_word[cat]) continue;
        size_t j = 0;
        while (j < e->nsingle && ms->memo_items[first + 2 * j] != cat) j++;
        if (j < e->nsingle) {   /* the category again, by another rule */
            if (rule < ms->memo_items[first + 2 * j + 1]) ms->memo_items[first + 2 * j + 1] = rule;
            continue;
        }
        memo_add_item(ms, cat);
        memo_add_item(ms, rule);
        e->nsingle++;
    }
    for (size_t k = 0; k < ms->direct_n; k += 2) {
        if (lx->cat_one_word[ms->direct[k]]) continue;
        memo_add_item(ms, ms->direct[k]);
        memo_add_item(ms, ms->direct[k + 1]);
    }
    e->ndirect = (uint32_t)(ms->memo_items_n - first) / 2;
}

/* The bucket (next_bytes_bucket) that a literal going on past a word of
 * len bytes falls in: that of the two bytes after the word's NUL, or 64
 * when it has only one (it may be next to any second byte). */
static unsigned probe_bucket(const clause_literal *c, uint32_t len)
{
    if (c->len <= len + 2) return 64;
    const unsigned char *next = (const unsigned char *)c->s + len + 1;
    return next_bytes_bucket(next[0], next[1]);
}

/* A literal in a probe list: its first 8 bytes and how many of them it
 * has (PROBE_ITEM_WORDS items), so that most are turned away without a
 * visit to the literal, and its index in at_word.lits. */
#define PROBE_ITEM_WORDS 4

static void add_probe_item(match_scratch *ms, const clause_literal *lits, uint32_t index)
{
    const clause_literal *c = &lits[index];
    memo_add_item(ms, (uint32_t)c->head);
    memo_add_item(ms, (uint32_t)(c->head >> 32));
    memo_add_item(ms, c->len < 8 ? c->len : 8);
    memo_add_item(ms, index);
}

/* The literals noted in ms->probe_lits, after the entry's direct pairs, by
 * the bucket of the two bytes that follow the word's NUL (probe_bucket), so
 * that where the word occurs only those of the bucket of the bytes found
 * there are compared (probe_listed): how many go with any two bytes, those
 * literals (add_probe_item), where each of the 64 buckets' literals start
 * and where the last one's end, then those literals. "i" starts some 350
 * literals of the default lexicons, a bucket a few. */
static void list_probe_literals(const lexicon *lx, match_scratch *ms, const memo_entry *e)
{
    const clause_literal *lits = lx->at_word.lits;
    uint32_t count[65] = {0};
    for (size_t k = 0; k < ms->probe_lits_n; k++) count[probe_bucket(&lits[ms->probe_lits[k]], e->len)]++;
    memo_add_item(ms, count[64]);
    for (size_t k = 0; k < ms->probe_lits_n; k++)
        if (probe_bucket(&lits[ms->probe_lits[k]], e->len) == 64) add_probe_item(ms, lits, ms->probe_lits[k]);
    uint32_t at = 0;
    for (unsigned b = 0; b < 64; b++) {
        memo_add_item(ms, at);
        at += count[b];
    }
    memo_add_item(ms, at);
    for (unsigned b = 0; b < 64; b++)
        for (size_t k = 0; k < ms->probe_lits_n && count[b]; k++)
            if (probe_bucket(&lits[ms->probe_lits[k]], e->len) == b) add_probe_item(ms, lits, ms->probe_lits[k]);
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
    ms->probe_lits_n = 0;
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
        if (lx->nfiller_rules) {
            e->fillers = (uint16_t)word_bits_of(&lx->fillers, s, len);
            e->filler_rests = (uint16_t)word_bits_of(&lx->filler_rests, s, len);
        }
        e->site = e->probe || e->nmarks;
        for (size_t k = 0; k + 1 < len && !e->site; k++) e->site = !is_ascii_alnum((unsigned char)s[k]);
    }
    list_direct_pairs(lx, ms, e);
    if (e->probe == PROBE_LISTED) list_probe_literals(lx, ms, e);
    e->work = e->site || e->ndirect || e->nprefix || e->exact;
}

/* memo_describe into the memo's empty slot e, keeping what memo_holds
 * needs of a word over 8 bytes. Out of line: it runs once per word the
 * thread meets, not per word seen. */
__attribute__((noinline)) static void memo_fill(const lexicon *lx, const word_list *wl, match_scratch *ms,
                                                size_t i, memo_entry *e, uint64_t h, uint64_t head)
{
    size_t len = wl->w[i].len;
    memo_describe(lx, wl, ms, i, e, h, head, 0);
    if (len > 8 && len <= 16) {
        e->head = load64(word_at(wl, i));
    } else if (len > 16) {
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
 * equal words. A word of 9 to 16 bytes needs only its first 8 (kept in
 * head): hash_mid's steps after its first load can be undone the same way,
 * so its hash, its length and its first 8 bytes give its last 8, and the
 * two loads cover the word. A longer one is compared whole. */
_Static_assert((HASH_MUL2 & 1) == 1, "hash_mid must stay invertible given its first load: HASH_MUL2 odd");
static inline int memo_holds(const memo_entry *e, uint64_t h, const char *s, size_t len, const match_scratch *ms)
{
    if (e->hash != h || e->len != len) return 0;
    if (len <= 8) return 1;
    if (len <= 16) return e->head == load64(s);
    return bytes_equal(ms->memo_text + e->head, s, len);
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
    memo_entry *memo = ms->memo;
    size_t len = wl->w[i].len, last = ms->memo_cap - 1;
    const char *s = word_at(wl, i);
    uint64_t h = hash_long(s, len);
    size_t k = slot_index(h, last + 1);
    for (; memo[k].len; k = (k + 1) & last)
        if (memo_holds(&memo[k], h, s, len, ms)) return (uint32_t)k;
    memo_fill(lx, wl, ms, i, &memo[k], h, 0);
    return (uint32_t)k;
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
    work_word *work = ms->work_words;
    size_t n = wl->n, last = ms->memo_cap - 1, nwork = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t len = w[i].len;
        size_t k;
        if (len > 8) {
            k = memo_index_long(lx, wl, ms, i);
        } else {
            uint64_t head = key_head_padded(text + w[i].off, len), h = hash_short(head, len);
            k = slot_index(h, last + 1);
            for (; memo[k].hash != h || memo[k].len != len; k = (k + 1) & last) {
                if (!memo[k].len) {
                    memo_fill(lx, wl, ms, i, &memo[k], h, head);
                    break;
                }
            }
        }
        word_memo[i] = (uint32_t)k;
        work[nwork] = (work_word){(uint32_t)i, (uint32_t)k};   /* kept only when the word has work: no branch */
        nwork += memo[k].work;
    }
    ms->nwork = nwork;
}

/* Word i's direct matches, listed in its memo entry e: nothing to check.
 * In any order, those of one-word categories go straight to the output. */
static inline void add_direct(const memo_entry *e, size_t i, match_scratch *ms)
{
    if (!e->ndirect) return;   /* memo_items may be NULL then */
    const uint32_t *direct = ms->memo_items + e->items + e->nprefix + e->nmarks;
    uint32_t k = 0;
    if (ms->any_order && e->nsingle) {
        match_list *out = ms->out;
        if (out->n + e->nsingle > out->cap) out->m = xgrow(out->m, &out->cap, out->n + e->nsingle, sizeof *out->m);
        match *m = out->m + out->n;
        for (; k < e->nsingle; k++)
            m[k] = (match){.category = direct[2 * k], .rule = direct[2 * k + 1], .first = (uint32_t)i,
                           .last = (uint32_t)i + 1};
        out->n += k;
    }
    for (; k < e->ndirect; k++) add_found(ms, direct[2 * k], direct[2 * k + 1], 0, i, i + 1, 1);
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

/* Every word's memo entry into word_memo, and the words whose entry has
 * work, in order, into work_words (nwork of them). A loop of its own, out
 * of line, so that what it needs stays in registers; one for each kind of
 * word list, so that the words of words_split's lists are read without a
 * check. */
__attribute__((noinline)) static void look_up_words(const lexicon *lx, const word_list *wl, match_scratch *ms)
{
    uint32_t *word_memo = ms->word_memo;
    work_word *work = ms->work_words;
    memo_entry *memo = ms->memo;
    size_t n = wl->n, last = ms->memo_cap - 1, nwork = 0;
    if (!lx->at_word.n && !lx->nstart_rules) {   /* the memo serves phrases alone */
        uint32_t shortest_prefix = lx->nprefix_lens ? lx->prefix_lens[0] : UINT32_MAX;
        for (size_t i = 0; i < n; i++) {
            uint32_t len = wl->w[i].len;
            if (!(lx->exact_lens >> (len < 63 ? len : 63) & 1) && len < shortest_prefix) {
                word_memo[i] = NO_MEMO;   /* no phrase starts with a word of its length */
                continue;
            }
            word_memo[i] = memo_index(lx, wl, ms, memo, last, i, wl->split);
            if (memo[word_memo[i]].work) work[nwork++] = (work_word){(uint32_t)i, word_memo[i]};
        }
    } else if (wl->split) {
        look_up_split_words(lx, wl, ms);
        return;
    } else {
        for (size_t i = 0; i < n; i++) {
            word_memo[i] = memo_index(lx, wl, ms, memo, last, i, 0);
            if (memo[word_memo[i]].work) work[nwork++] = (work_word){(uint32_t)i, word_memo[i]};
        }
    }
    ms->nwork = nwork;
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
        if (c->len <= n - p && bytes_equal((const char *)s + p + 8, c->s + 8, c->len - 8)) mark_literal(c, s, p, cm);
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

/* Mark the count literals of the probe items at q (add_probe_item) that
 * are at byte p of the scan text s (n bytes), as probe_four would: here is
 * the 8 bytes at p. */
static inline void probe_items(const clause_literal *lits, const uint32_t *q, uint32_t count,
                               const unsigned char *s, size_t n, size_t p, uint64_t here, clause_marks *cm)
{
    for (uint32_t k = 0; k < count; k++, q += PROBE_ITEM_WORDS) {
        uint64_t mask;
        memcpy(&mask, &KEEP_BYTES[8 - q[2]], 8);
        if ((here & mask) != (q[0] | (uint64_t)q[1] << 32)) continue;
        const clause_literal *c = &lits[q[3]];
        if (clause_found_here(cm, c->clause)) continue;
        /* a literal of LONG_LITERAL bytes or more must fit in the text (one
         * of exactly 8 ending in a NUL could match the padding) */
        if (c->len >= LONG_LITERAL && c->len > n - p) continue;
        if (c->len > 8 && !bytes_equal((const char *)s + p + 8, c->s + 8, c->len - 8)) continue;
        mark_literal(c, s, p, cm);
    }
}

/* Mark the literals of word entry e's probe list (list_probe_literals)
 * found at the first byte p of the word in the scan text s (n bytes), where
 * the two bytes after its NUL fall in `bucket`: those that go with any such
 * bytes and those of the bucket. */
static void probe_listed(const lexicon *lx, const match_scratch *ms, const memo_entry *e, const unsigned char *s,
                         size_t n, size_t p, unsigned bucket, clause_marks *cm)
{
    const clause_literal *lits = lx->at_word.lits;
    const uint32_t *q = ms->memo_items + e->items + e->nprefix + e->nmarks + 2 * e->ndirect;
    uint64_t here = load64((const char *)s + p);
    probe_items(lits, q + 1, q[0], s, n, p, here, cm);
    q += 1 + PROBE_ITEM_WORDS * q[0];
    const uint32_t *list = q + 65;
    probe_items(lits, list + PROBE_ITEM_WORDS * q[bucket], q[bucket + 1] - q[bucket], s, n, p, here, cm);
}

/* Mark at_word's literals found at the first byte p of a word of the scan
 * text s (n bytes), as probe_literals would (see memo_add_literals): those
 * the word's memo entry lists, that lie within the word, and where the
 * entry says a literal may go on past the word and the next bytes allow
 * it, those of its probe list (or, for an entry that could not list all,
 * every literal through the gram index). */
static inline void probe_word_start(const lexicon *lx, const match_scratch *ms, const memo_entry *e,
                                    const unsigned char *s, size_t n, size_t p, clause_marks *cm)
{
    /* a literal that goes on past the word needs the next bytes it has */
    if (e->probe) {
        unsigned bucket = next_bytes_bucket(s[p + e->len + 1], s[p + e->len + 2]);
        if (e->probe_next >> bucket & 1) {
            if (e->probe == PROBE_ALL) {
                probe_literals(&lx->at_word, s, n, p, cm);
                return;
            }
            probe_listed(lx, ms, e, s, n, p, bucket, cm);
        }
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
    ms->work_words = xgrow(ms->work_words, &ms->work_words_cap, wl->n, sizeof *ms->work_words);
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
    /* the words with something to do, which look_up_words listed: whether a
     * word has is as good as random, so a branch on it here would often be
     * mispredicted */
    const work_word *work = ms->work_words;
    for (size_t j = 0, nwork = ms->nwork; j < nwork; j++) {
        size_t i = work[j].word;
        const memo_entry *e = &ms->memo[work[j].entry];
        if (e->site) {
            if (mark_here) mark_split_site(lx, wl, ms, i, e, scan, scan_len, &cm);
            else ms->sites[ms->nsites++] = (uint32_t)i;
        }
        add_direct(e, i, ms);
        for (uint32_t p = 0; p < e->nprefix; p++)
            try_phrases(lx, &lx->ranges[ms->memo_items[e->items + p]], wl, i, 1, ms);
        if (!e->exact) continue;
        const rule_range *rg = &lx->ranges[e->exact - 1];   /* its own phrases, then pairs */
        if (rg->count && (!rg->at_starts || wl->w[i].sentence_start)) try_phrases(lx, rg, wl, i, 1, ms);
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

/* The sentences of a word list made by words_split: sentence k starts at
 * the first word numbered k (the numbers rise by one at each word marked
 * sentence_start) and the last word's number tells how many there are;
 * the words' own offsets and sentence numbers are those the scan text and
 * the sentences have. With one sentence (the common case) it is all the
 * words; with more, one pass from the last word back, each word writing
 * itself as its sentence's first: no branch and no chain of loads (a
 * binary search per sentence was both). */
static void find_split_sentences(const word_list *wl, match_scratch *ms)
{
    const word *w = wl->w;
    size_t n = wl->n, nsentences = (size_t)w[n - 1].sentence + 1;
    ms->sentences = xgrow(ms->sentences, &ms->sentences_cap, nsentences, sizeof *ms->sentences);
    sentence_span *sp = ms->sentences;
    if (nsentences > 1) {
        for (size_t i = n; i-- > 0;) sp[w[i].sentence].first_word = (uint32_t)i;
        for (size_t k = 0; k + 1 < nsentences; k++) sp[k].end_word = sp[k + 1].first_word;
    }
    sp[0].first_word = 0;
    sp[nsentences - 1].end_word = (uint32_t)n;
    ms->nsentences = nsentences;
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

/* Word i's bits in lexicon.fillers and lexicon.filler_rests, from its memo
 * entry when it has one. */
static void filler_bits(const lexicon *lx, const word_list *wl, const match_scratch *ms, size_t i,
                        uint32_t *fillers, uint32_t *rests)
{
    if (ms->memo_bypass) {
        *fillers = (uint32_t)word_bits_of(&lx->fillers, word_at(wl, i), wl->w[i].len);
        *rests = (uint32_t)word_bits_of(&lx->filler_rests, word_at(wl, i), wl->w[i].len);
        return;
    }
    const memo_entry *e = &ms->memo[ms->word_memo[i]];
    *fillers = e->fillers;
    *rests = e->filler_rests;
}

/* The filler slots whose rest, started at word i of sentence sp, may go on
 * with the word after it (lexicon.filler_seconds): none when i is the
 * sentence's last word. Kept by memo entry, as few words are ever asked
 * about and each lookup tries every prefix length. */
static uint32_t filler_second_bits(const lexicon *lx, const word_list *wl, match_scratch *ms,
                                   const sentence_span *sp, size_t i)
{
    if (i + 1 >= sp->end_word) return 0;
    const char *next = word_at(wl, i + 1);
    size_t len = wl->w[i + 1].len;
    if (ms->memo_bypass) return (uint32_t)word_bits_of(&lx->filler_seconds, next, len);
    uint32_t *known = &ms->memo_seconds[ms->word_memo[i + 1]];
    if (!*known) *known = SECONDS_KNOWN | (uint32_t)word_bits_of(&lx->filler_seconds, next, len);
    return *known & ~SECONDS_KNOWN;
}

/* The start bits of the regexes with a filler run that can match in
 * sentence sp: a word their rest can start with, after none or more of
 * their filler words (one or more for a run repeated with +), and, for a
 * rest known word by word, a word after it the rest can go on with. Most
 * sentences decide it at their first word or second. Out of line: most
 * sentences' first word is neither. */
__attribute__((noinline)) static uint64_t filler_start_bits(const lexicon *lx, const word_list *wl,
                                                            match_scratch *ms, const sentence_span *sp)
{
    uint32_t pass = 0, alive = (1u << lx->nfiller_rules) - 1;   /* slots: can match, still might */
    uint32_t rest_here = ~lx->filler_first;   /* at the first word, the slots that need no filler */
    for (size_t i = sp->first_word; alive && i < sp->end_word; i++) {
        uint32_t fillers, rests;
        filler_bits(lx, wl, ms, i, &fillers, &rests);
        uint32_t here = alive & rests & rest_here;
        if (here & lx->filler_second) here &= ~lx->filler_second | filler_second_bits(lx, wl, ms, sp, i);
        pass |= here;
        alive &= fillers & ~pass;
        rest_here = UINT32_MAX;
    }
    uint64_t bits = 0;
    for (; pass; pass &= pass - 1) bits |= lx->filler_start_bit[__builtin_ctz(pass)];
    return bits;
}

/* For each sentence, the start bits of the anchored regexes that can match
 * there: those whose start strings its first word allows (kept in the
 * word's memo entry), and those whose filler run and rest it may hold. */
static void mark_sentence_starts(const lexicon *lx, const word_list *wl, match_scratch *ms)
{
    ms->sentence_starts = xgrow(ms->sentence_starts, &ms->sentence_starts_cap, ms->nsentences,
                                sizeof *ms->sentence_starts);
    ms->starts_any = 0;
    for (size_t k = 0; k < ms->nsentences; k++) {
        size_t first = ms->sentences[k].first_word;
        uint64_t bits;
        int fills;   /* the first word is a filler or can start a rest */
        if (ms->memo_bypass) {
            bits = start_bits_of(lx, word_at(wl, first), wl->w[first].len);
            fills = lx->nfiller_rules != 0;
        } else {
            const memo_entry *e = &ms->memo[ms->word_memo[first]];
            bits = e->start_bits;
            fills = (e->fillers | e->filler_rests) != 0;
        }
        if (fills) bits |= filler_start_bits(lx, wl, ms, &ms->sentences[k]);
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

/* out[0..n) = in[0..n) with every NUL made a space (0x20, which ORed
 * into a NUL gives it): 16 bytes at a time where SSE2 is there; then eight
 * at a time: a byte's top bit in t is set when the byte is not zero (the
 * low seven bits added to 0x7F carry into it, or it was set already), so ~t
 * has 0x80 at each NUL, and 0x80 >> 2 is a space. */
static void spaces_for_nuls(char *out, const char *in, size_t n)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full, high = 0x8080808080808080ull;
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i zero = _mm_setzero_si128(), space = _mm_set1_epi8(' ');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(in + i));
        v = _mm_or_si128(v, _mm_and_si128(_mm_cmpeq_epi8(v, zero), space));
        _mm_storeu_si128((__m128i *)(void *)(out + i), v);
    }
#endif
    for (; i + 8 <= n; i += 8) {
        uint64_t x = load64(in + i), t = ((x & low7) + low7) | x;
        x |= (~t & high) >> 2;
        memcpy(out + i, &x, 8);
    }
    for (; i < n; i++) out[i] = in[i] ? in[i] : ' ';
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
    if (wl->split) {
        spaces_for_nuls(out, ms->scan, len);   /* its words hold no NUL */
        memcpy(out + len, ms->scan + len, 9);
    } else {
        memcpy(out, ms->scan, len + 9);
    }
    for (size_t k = 0; k < ms->nsentences; k++) {
        sentence_span *sp = &ms->sentences[k];
        size_t last = sp->end_word - 1;
        if (!wl->split)
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

/* Add regex rule r's match of words [first, last) to `to` or (NULL) to the
 * found candidates. */
static void add_regex_words(match_scratch *ms, const rule *r, uint32_t ri, size_t first, size_t last,
                            candidate_list *to)
{
    if (to) add_candidate(to, r, ri, first, last);
    else add_found(ms, r->category, ri, r->exception, first, last, 0);   /* never streamed */
}

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
    add_regex_words(ms, r, ri, first, lo, to);
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
    ms->regex_searches++;
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
        if (r->matches_at_start) return 0;   /* a search from a later offset finds none */
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

/* PCRE2's anchored match of piece re at the start of the word s[0..len)
 * (valid UTF-8, as words_split's are): 1 when it matches, 0 when it does
 * not, -1 when PCRE2 gave up (a limit). */
static int piece_matches(const pcre2_code *re, const char *s, size_t len, match_scratch *ms)
{
    int rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, ms->md, ms->mctx);
    return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

/* The bit of filler slot k's piece (0: its first, 1: its second) in
 * match_scratch.memo_decided (see there). */
static inline uint64_t piece_bit(unsigned k, unsigned piece)
{
    return (uint64_t)1 << (2 * k + piece);
}

/* Whether word i matches filler slot k's piece (0: filler_first_re, 1:
 * filler_second_re), asked of PCRE2 once per memo entry: 1 or 0, or -1
 * when PCRE2 gave up (not kept). */
static int word_takes_piece(const lexicon *lx, const word_list *wl, match_scratch *ms, size_t i, unsigned k,
                            unsigned piece)
{
    uint64_t *known = &ms->memo_decided[ms->word_memo[i]], bit = piece_bit(k, piece);
    if (!(*known & bit << 2 * FILLER_RULES)) {
        const pcre2_code *re = piece ? lx->filler_second_re[k] : lx->filler_first_re[k];
        int rc = piece_matches(re, word_at(wl, i), wl->w[i].len, ms);
        if (rc < 0) return -1;
        *known |= bit << 2 * FILLER_RULES | (rc ? bit : 0);
    }
    return (*known & bit) != 0;
}

/* Whether filler rule r (rule.filler_slot) matches sentence sp, decided by
 * its words as PCRE2 would decide it on the sentence's subject (words
 * joined by single spaces): the run takes the longest stretch of the first
 * words that are its filler words and have a word after them (one at most
 * for ?), then the rest is tried at the next word and, backtracking, at
 * each earlier one down to where the run may end (after one word for +).
 * A filler word is one whole word and the rest's pieces look at nothing
 * past a word (regex_filler.word_by_word), so the words tell all that the
 * bytes would. The first place the rest takes gives the match's end word,
 * *end (the word after it): returns 1, or 0 for no match, or -1 when PCRE2
 * gave up on a word (then the regex runs over the sentence as any other
 * does, and gives up there too, with its warning). */
static int decide_filler_rule(const lexicon *lx, const rule *r, const word_list *wl, match_scratch *ms,
                              const sentence_span *sp, size_t *end)
{
    unsigned k = r->filler_slot - 1u;
    uint32_t bit = (uint32_t)1 << k;
    size_t first = sp->first_word, stop = sp->end_word, p = first;
    size_t most = lx->filler_at_most_one & bit ? 1 : SIZE_MAX;
    while (p + 1 < stop && p - first < most && (ms->memo[ms->word_memo[p]].fillers & bit)) p++;
    size_t least = first + (lx->filler_first & bit ? 1 : 0);
    int two = lx->filler_second_re[k] != NULL;
    for (; p >= least; p--) {
        int takes = word_takes_piece(lx, wl, ms, p, k, 0);
        if (takes > 0 && two) takes = p + 1 < stop ? word_takes_piece(lx, wl, ms, p + 1, k, 1) : 0;
        if (takes < 0) return -1;
        if (takes) {
            *end = p + 1 + (size_t)two;
            return 1;
        }
        if (p == least) break;
    }
    return 0;
}

/* run_regex_in_sentence in sentence k, unless `only` leaves it out or an
 * anchored regex cannot start there; a filler rule the words decide
 * (rule.filler_slot) is decided so instead. */
static int run_regex_where_allowed(const lexicon *lx, const rule *r, uint32_t ri, const word_list *wl,
                                   match_scratch *ms, size_t k, const uint32_t *only, uint32_t stamp,
                                   candidate_list *to)
{
    if (only && only[k] != stamp) return 0;
    if (r->start_bit && !(ms->sentence_starts[k] & r->start_bit)) return 0;
    if (r->filler_slot && wl->split && !ms->memo_bypass) {   /* the words decide */
        size_t end;
        int found = decide_filler_rule(lx, r, wl, ms, &ms->sentences[k], &end);
        if (found > 0) add_regex_words(ms, r, ri, ms->sentences[k].first_word, end, to);
        if (found >= 0) return 0;
    }
    prepare_subject(wl, ms);
    return run_regex_in_sentence(r, ri, wl, ms, k, to);
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
    size_t n = ms->nsentences;
    int rc = 0;
    /* sentences 0 to 62 by their bits, then, when bit 63 (which stands for
     * them all) is set, every one from the 64th on */
    for (uint64_t bits = where & (n < 63 ? ((uint64_t)1 << n) - 1 : ~((uint64_t)1 << 63)); bits && !rc;
         bits &= bits - 1)
        rc = run_regex_where_allowed(lx, r, ri, wl, ms, (size_t)__builtin_ctzll(bits), only, stamp, to);
    for (size_t k = 63; where >> 63 && k < n && !rc; k++)
        rc = run_regex_where_allowed(lx, r, ri, wl, ms, k, only, stamp, to);
    if (rc < 0) {
        kept->n = before;
        warn_regex_failure(r, rc, d, source, line);
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
    return (a->rule & ~CANDIDATE_EXCEPTION) < (b->rule & ~CANDIDATE_EXCEPTION);
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
        if (is_exception(&c[i])) continue;
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
        if (!is_exception(&c[i])) continue;
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

/* Append counted candidate c to out, which has room for it. */
static inline void emit(match_list *out, const candidate *c)
{
    out->m[out->n++] = *c;
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
        if (is_exception(&c[i]) || c[i].first < end) continue;
        if (has_exceptions && overlaps_exception(ms, &c[i])) continue;
        emit(out, &c[i]);
        end = c[i].last;
    }
}

/* The categories with candidates, in order (their cat_seen bits): each
 * one's counted matches to out, sorted and selected, but for a streamed
 * category's, whose list is as selected already (and empty in any order,
 * its matches in out already). Every list is left empty and every bit
 * cleared for the next utterance. */
static void select_matches(const lexicon *lx, const word_list *wl, match_scratch *ms, match_list *out)
{
    for (size_t w = 0; w * 64 < lx->ncats; w++) {
        for (uint64_t bits = ms->cat_seen[w]; bits; bits &= bits - 1) {
            uint32_t cat = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(bits));
            candidate_list *l = &ms->by_cat[cat];
            size_t n = l->n;
            if (lx->cat_streamed[cat]) ms->cat_end[cat] = 0;
            if (!n) continue;   /* its candidates were all dropped, or are in out */
            l->n = 0;
            if (out->n + n > out->cap) out->m = xgrow(out->m, &out->cap, out->n + n, sizeof *out->m);
            if (lx->cat_streamed[cat]) {   /* no exceptions: the list is as selected */
                memcpy(out->m + out->n, l->v, n * sizeof *l->v);
                out->n += n;
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
}

/* Whether some category got a candidate in this utterance. */
static int any_category_seen(const lexicon *lx, const match_scratch *ms)
{
    for (size_t w = 0; w * 64 < lx->ncats; w++)
        if (ms->cat_seen[w]) return 1;
    return 0;
}

/* Whether the literal pass has shown that no counted regex can run in this
 * utterance: it marked the clause literals at the words (sites_marked),
 * no gate among them, and there is nothing else to look at (literals
 * found anywhere, regexes without a gate or past the first 64). A third of
 * utterances then skip preparing the prefilter (sentences, sentence starts)
 * for nothing; an exception regex prepares it if it needs it. */
static int no_counted_regex_can_run(const lexicon *lx, const match_scratch *ms)
{
    if (!ms->sites_marked || lx->anywhere.n || lx->ncounted_regex > 64) return 0;
    return !(ms->site_gates | lx->ungated);
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
        free(ms->cat_end);
        ms->cat_end = xcalloc(lx->ncats, sizeof *ms->cat_end);
        free(ms->cat_kept);
        ms->cat_kept = xcalloc(lx->ncats, sizeof *ms->cat_kept);
        ms->by_cat_n = lx->ncats;
    }
    ms->regex_exceptions.n = 0;
    ms->prefilter_ready = 0;
    ms->out = out;
    find_literal_matches(lx, words, ms);
    if (lx->ncounted_regex) {
        if (no_counted_regex_can_run(lx, ms)) ms->gates = 0;
        else prepare_prefilter(lx, words, ms);
    }
    /* the counted regexes in order: the first 64 only where their gate
     * clause was marked (or they have none), the rest checked one by one */
    for (uint64_t bits = lx->ncounted_regex ? ms->gates | lx->ungated : 0; bits; bits &= bits - 1)
        try_counted_regex(lx, (size_t)__builtin_ctzll(bits), words, ms, d, source, line);
    for (size_t i = 64; i < lx->ncounted_regex; i++) {
        uint32_t gate = lx->counted_gate[i];
        if (gate != NO_GATE && !ms->clause_sentences[gate]) continue;
        try_counted_regex(lx, i, words, ms, d, source, line);
    }
    if (!any_category_seen(lx, ms)) return;
    if (lx->nregex_exceptions) find_regex_exceptions(lx, words, ms, d, source, line);
    select_matches(lx, words, ms, out);
}
