/* fuzz_lexicon.c: a libFuzzer target for the .lex parser and the matcher.
 *
 * The input is a lexicon file's text: lexicon_load_text parses it,
 * lexicon_finish builds the index, and a few fixed utterances (sentence
 * starts, prefixes, apostrophes, annotations, a long run for regex
 * backtracking, non-ASCII words, more than 64 sentences) are split into
 * words and matched. Each utterance is matched four ways that must agree:
 * with a scratch that has met the others (the word memo), with a fresh
 * one, by the same rules with a never-matching exception added to every
 * category, which takes every category through sorting and selection
 * instead of the shortcuts of categories without exceptions or regexes
 * (lexicon.c, add_found), and from a copy of the words as a list made by
 * hand (word_list.split 0), which takes the general path instead of
 * words_split's shortcuts. */
#include "analysis/lexicon.h"
#include "analysis/words.h"
#include "util/buf.h"
#include "util/diag.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TEN_SENTENCES "x. x, y. x. so. x. and x. x. y. x. x. "

static const char *const UTTERANCES[] = {
    "You should try it. Try what you think, we could; it's up to you!",
    "mm-hmm yeah okay. okay?",
    "I don't know [laughs] (inaudible) what do you think -- maybe",
    "Feeling feelings feels... FEEL free: self-esteem, don't, don\xE2\x80\x99t",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac",
    "a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a b",
    "\xC3\x89motion \xC3\xA9motion \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xE4\xBD\xA0\xE5\xA5\xBD 42 x",
    "",
    /* more sentences than the prefilter tells apart (64) */
    TEN_SENTENCES TEN_SENTENCES TEN_SENTENCES TEN_SENTENCES TEN_SENTENCES TEN_SENTENCES TEN_SENTENCES
    "you could try it. I don't know what you think",
    /* runs of discourse words before a rest (filler regexes decided by words) */
    "so and so you're here. okay do you? so so well we. mm you-know so dog you'll",
};

/* The input's lexicon again, with "! zzqq" in every category; NULL if it
 * does not load (it always should). Its extra rules come after the
 * input's, so rule numbers agree. */
static lexicon *with_exceptions(const uint8_t *data, size_t size, const lexicon *lx)
{
    buf text = {0};
    buf_add(&text, (const char *)data, size);
    for (size_t c = 0; c < lexicon_category_count(lx); c++)
        buf_addf(&text, "\n[%s]\n! zzqq\n", lexicon_category_name(lx, c));
    diag_list d = {0};
    lexicon *general = lexicon_new();
    if (lexicon_load_text(general, "fuzz.lex", buf_str(&text), text.len, &d) != 0 ||
        lexicon_finish(general, &d) != 0) {
        lexicon_free(general);
        general = NULL;
    }
    diag_free(&d);
    buf_free(&text);
    return general;
}

/* The words of wl as a list made by hand: not back to back (two NULs after
 * each), not padded, split 0. Free copy->w and copy->text. */
static void copy_by_hand(const word_list *wl, word_list *copy)
{
    size_t len = 0;
    for (size_t i = 0; i < wl->n; i++) len += wl->w[i].len + 2;
    memset(copy, 0, sizeof *copy);
    copy->text = calloc(len ? len : 1, 1);
    copy->w = malloc((wl->n ? wl->n : 1) * sizeof *copy->w);
    if (!copy->text || !copy->w) abort();
    copy->n = wl->n;
    copy->text_len = len;
    size_t at = 0;
    for (size_t i = 0; i < wl->n; i++) {
        copy->w[i] = wl->w[i];
        copy->w[i].off = (uint32_t)at;
        memcpy(copy->text + at, word_at(wl, i), wl->w[i].len);
        at += wl->w[i].len + 2;
    }
}

static int same_matches(const match_list *a, const match_list *b)
{
    return a->n == b->n && (!a->n || memcmp(a->m, b->m, a->n * sizeof *a->m) == 0);
}

static int match_order(const void *pa, const void *pb)
{
    const match *a = pa, *b = pb;
    if (a->category != b->category) return a->category < b->category ? -1 : 1;
    if (a->first != b->first) return a->first < b->first ? -1 : 1;
    if (a->last != b->last) return a->last < b->last ? -1 : 1;
    return a->rule < b->rule ? -1 : a->rule > b->rule;
}

/* any (matched in any order) holds the matches of ordered, each category's
 * by first word; any is sorted on the way. */
static int same_in_any_order(match_list *any, const match_list *ordered)
{
    if (any->n != ordered->n) return 0;
    for (size_t i = 0; i < any->n; i++)
        for (size_t j = i + 1; j < any->n; j++)
            if (any->m[j].category == any->m[i].category && any->m[j].first <= any->m[i].first) return 0;
    if (any->n) qsort(any->m, any->n, sizeof *any->m, match_order);
    return same_matches(any, ordered);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_list d = {0};
    lexicon *lx = lexicon_new();
    if (lexicon_load_text(lx, "fuzz.lex", (const char *)data, size, &d) == 0 &&
        lexicon_finish(lx, &d) == 0) {
        /* every loaded rule has an id and every category a name */
        for (size_t i = 0; i < lexicon_rule_count(lx); i++)
            if (!lexicon_rule_id(lx, i)) abort();
        for (size_t c = 0; c < lexicon_category_count(lx); c++)
            if (!lexicon_category_name(lx, c)) abort();
        lexicon *general = with_exceptions(data, size, lx);
        if (!general || lexicon_category_count(general) != lexicon_category_count(lx)) abort();
        match_scratch *ms = match_scratch_new(lx);
        match_scratch *any = match_scratch_new(lx);   /* in any order, kept across utterances */
        match_scratch_any_order(any, 1);
        word_list wl = {0};
        match_list ml = {0};
        match_list fresh = {0};
        size_t n_utts = sizeof UTTERANCES / sizeof UTTERANCES[0];
        for (size_t k = 0; k < 2 * n_utts; k++) {   /* twice: the second time from the word memo */
            size_t u = k % n_utts;
            words_split(UTTERANCES[u], &wl);
            ml.n = 0;
            lexicon_match(lx, &wl, ms, &ml, &d, "fuzz.txt", (long)u + 1);
            for (size_t i = 0; i < ml.n; i++) {
                const match *m = &ml.m[i];
                if (m->first >= m->last || m->last > wl.n || m->category >= lexicon_category_count(lx) ||
                    m->rule >= lexicon_rule_count(lx))
                    abort();
            }
            /* a scratch that has seen other utterances matches as a new one does */
            match_scratch *once = match_scratch_new(lx);
            fresh.n = 0;
            lexicon_match(lx, &wl, once, &fresh, NULL, "fuzz.txt", (long)u + 1);
            match_scratch_free(once);
            if (!same_matches(&fresh, &ml)) abort();
            /* the general way agrees (a regex that gives up drops its matches
             * either way, so the warnings are not compared) */
            once = match_scratch_new(general);
            fresh.n = 0;
            lexicon_match(general, &wl, once, &fresh, NULL, "fuzz.txt", (long)u + 1);
            match_scratch_free(once);
            if (!same_matches(&fresh, &ml)) abort();
            /* and so does a list made by hand */
            word_list by_hand;
            copy_by_hand(&wl, &by_hand);
            once = match_scratch_new(lx);
            fresh.n = 0;
            lexicon_match(lx, &by_hand, once, &fresh, NULL, "fuzz.txt", (long)u + 1);
            match_scratch_free(once);
            free(by_hand.w);
            free(by_hand.text);
            if (!same_matches(&fresh, &ml)) abort();
            /* in any order: the same matches (ml is by category, then first
             * word, one a word at most, as match_order sorts them) */
            fresh.n = 0;
            lexicon_match(lx, &wl, any, &fresh, NULL, "fuzz.txt", (long)u + 1);
            if (!same_in_any_order(&fresh, &ml)) abort();
        }
        match_scratch_free(any);
        lexicon_free(general);
        free(fresh.m);
        free(ml.m);
        word_list_free(&wl);
        match_scratch_free(ms);
    }
    lexicon_free(lx);
    diag_free(&d);
    return 0;
}
