/* analysis.c: from a session to its measures (see analysis.h).
 *
 * One pass over the utterances tokenizes each one, matches the lexicon,
 * decides whether it is a backchannel (every word inside a backchannel
 * match) and a question (a '?' outside annotations); turns are then
 * assigned (turns.c) and everything is summed per speaker and per role. */
#include "analysis/analysis.h"
#include "analysis/turns.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double ratio(double num, double den)
{
    return den != 0 ? num / den : NAN;
}

double balance(double a, double b)
{
    return a + b > 0 ? 1.0 - fabs(a - b) / (a + b) : NAN;
}

double collaboration_index(const session_result *r, const lexicon *lx)
{
    int c = lexicon_category_index(lx, "collaborative");
    int a = lexicon_category_index(lx, "autonomy");
    int dir = lexicon_category_index(lx, "directive");
    if (c < 0 || a < 0 || dir < 0) return NAN;
    const size_t *n = r->roles[ROLE_THERAPIST].category;
    double plus = (double)n[c] + (double)n[a], minus = (double)n[dir];
    return ratio(plus - minus, plus + minus);
}

/* Nonzero when every word of the utterance lies inside a match of `cat`. */
static int all_words_in(const match_list *ml, size_t from, int cat, size_t n_words)
{
    if (cat < 0 || n_words == 0) return 0;
    size_t covered_to = 0;
    for (size_t i = from; i < ml->n; i++) {
        const match *m = &ml->m[i];
        if (m->category != (uint32_t)cat) continue;
        if (m->first > covered_to) return 0;
        if (m->last > covered_to) covered_to = m->last;
    }
    return covered_to >= n_words;
}

static void record_matches(session_result *r, const match_list *ml, const word_list *wl,
                           size_t utterance_no)
{
    for (size_t i = 0; i < ml->n; i++) {
        const match *m = &ml->m[i];
        buf text = {0};
        for (uint32_t w = m->first; w < m->last; w++) {
            if (w > m->first) buf_addc(&text, ' ');
            buf_adds(&text, word_at(wl, w));
        }
        r->matches = xgrow(r->matches, &r->cap_matches, r->n_matches + 1, sizeof *r->matches);
        match_record *rec = &r->matches[r->n_matches++];
        rec->utterance = utterance_no;
        rec->category = m->category;
        rec->rule = m->rule;
        rec->text = buf_take(&text);
    }
}

static void stats_init(talk_stats *t, size_t n_categories)
{
    memset(t, 0, sizeof *t);
    t->category = xcalloc(n_categories ? n_categories : 1, sizeof *t->category);
}

/* Add a speaker's numbers into its role's. */
static void stats_add(talk_stats *to, const talk_stats *from, size_t n_categories)
{
    to->words += from->words;
    to->utterances += from->utterances;
    to->turns += from->turns;
    to->turn_words += from->turn_words;
    if (from->max_turn_words > to->max_turn_words) to->max_turn_words = from->max_turn_words;
    to->questions += from->questions;
    to->backchannels += from->backchannels;
    for (size_t c = 0; c < n_categories; c++) to->category[c] += from->category[c];
}

void analyse_session(const session *s, const lexicon *lx, const analysis_options *opt,
                     session_result *r, diag_list *d)
{
    memset(r, 0, sizeof *r);
    r->n_categories = lexicon_category_count(lx);
    r->speakers = xcalloc(s->n_speakers ? s->n_speakers : 1, sizeof *r->speakers);
    r->n_speakers = s->n_speakers;
    for (size_t i = 0; i < s->n_speakers; i++) stats_init(&r->speakers[i], r->n_categories);
    for (int k = 0; k < ROLE_COUNT; k++) stats_init(&r->roles[k], r->n_categories);
    r->utts = xcalloc(s->n_utts ? s->n_utts : 1, sizeof *r->utts);

    int backchannel_cat = lexicon_category_index(lx, "backchannel");
    word_list wl = {0};
    match_list ml = {0};
    match_scratch *ms = match_scratch_new(lx);
    for (size_t i = 0; i < s->n_utts; i++) {
        const utterance *u = &s->utts[i];
        words_split(u->text, &wl);
        if (wl.n == 0) continue;   /* annotation-only or empty: not an utterance */
        ml.n = 0;
        lexicon_match(lx, &wl, ms, &ml, d, s->source, u->line);
        utterance_result *ur = &r->utts[r->n_utts++];
        ur->index = i;
        ur->words = wl.n;
        ur->question = wl.has_question;
        ur->cut_off = wl.cut_off;
        ur->backchannel = all_words_in(&ml, 0, backchannel_cat, wl.n);

        talk_stats *sp = &r->speakers[u->speaker];
        sp->words += wl.n;
        sp->utterances++;
        sp->questions += (size_t)ur->question;
        sp->backchannels += (size_t)ur->backchannel;
        for (size_t m = 0; m < ml.n; m++) sp->category[ml.m[m].category]++;
        r->words += wl.n;
        if (opt && opt->keep_matches) record_matches(r, &ml, &wl, r->n_utts);
    }
    match_scratch_free(ms);
    free(ml.m);
    word_list_free(&wl);

    assign_turns(s, r);
    for (size_t i = 0; i < s->n_speakers; i++)
        stats_add(&r->roles[s->speakers[i].role], &r->speakers[i], r->n_categories);
}

void session_result_free(session_result *r)
{
    for (size_t i = 0; i < r->n_speakers; i++) free(r->speakers[i].category);
    for (int k = 0; k < ROLE_COUNT; k++) free(r->roles[k].category);
    for (size_t i = 0; i < r->n_matches; i++) free(r->matches[i].text);
    free(r->matches);
    free(r->speakers);
    free(r->utts);
    memset(r, 0, sizeof *r);
}
