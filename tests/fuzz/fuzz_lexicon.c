/* fuzz_lexicon.c: a libFuzzer target for the .lex parser and the matcher.
 *
 * The input is a lexicon file's text: lexicon_load_text parses it,
 * lexicon_finish builds the index, and a few fixed utterances (sentence
 * starts, prefixes, apostrophes, annotations, a long run for regex
 * backtracking, non-ASCII words) are split into words and matched. Each
 * utterance is matched three ways that must agree: with a scratch that has
 * met the others (the word memo), with a fresh one, and by the same rules
 * with a never-matching exception added to every category, which takes
 * every category through sorting and selection instead of the shortcuts
 * of categories without exceptions or regexes (lexicon.c, add_found). */
#include "analysis/lexicon.h"
#include "analysis/words.h"
#include "util/buf.h"
#include "util/diag.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const UTTERANCES[] = {
    "You should try it. Try what you think, we could; it's up to you!",
    "mm-hmm yeah okay. okay?",
    "I don't know [laughs] (inaudible) what do you think -- maybe",
    "Feeling feelings feels... FEEL free: self-esteem, don't, don\xE2\x80\x99t",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac",
    "a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a b",
    "\xC3\x89motion \xC3\xA9motion \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xE4\xBD\xA0\xE5\xA5\xBD 42 x",
    "",
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

static int same_matches(const match_list *a, const match_list *b)
{
    return a->n == b->n && (!a->n || memcmp(a->m, b->m, a->n * sizeof *a->m) == 0);
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
        }
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
