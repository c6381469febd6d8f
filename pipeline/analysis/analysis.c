/* analysis.c: from a session to its measures (see analysis.h).
 *
 * One pass over the utterances tokenizes each one, matches the lexicon,
 * decides whether it is a backchannel (every word inside a backchannel
 * match) and a question (a '?' outside annotations). Then turns are
 * assigned (turns.c), speakers are summed into roles, and the timing
 * measures (timing.c) and the time course (segments.c) are computed. */
#include "analysis/analysis.h"
#include "analysis/segments.h"
#include "analysis/timing.h"
#include "analysis/turns.h"
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

double quantile_sorted(const double *v, size_t n, double q)
{
    if (n == 0) return NAN;
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (h - (double)lo) * (v[hi] - v[lo]);
}

/* Nonzero when every word of the utterance lies inside a match of `cat`. */
static int all_words_in(const match_list *ml, int cat, size_t n_words)
{
    if (cat < 0 || n_words == 0) return 0;
    size_t covered_to = 0;
    for (size_t i = 0; i < ml->n; i++) {
        const match *m = &ml->m[i];
        if (m->category != (uint32_t)cat) continue;
        if (m->first > covered_to) return 0;
        if (m->last > covered_to) covered_to = m->last;
    }
    return covered_to >= n_words;
}

/* Nonzero when a match of `cat` starts in the utterance's question: its
 * first sentence ended by '?' ("Okay. What brings you in?" asks in its
 * second sentence), or its first sentence when none is. */
static int question_sentence_matches(const match_list *ml, const word_list *wl, int cat)
{
    if (cat < 0) return 0;
    for (size_t i = 0; i < ml->n; i++)
        if (ml->m[i].category == (uint32_t)cat && wl->w[ml->m[i].first].sentence == wl->question_sentence)
            return 1;
    return 0;
}

/* The length of a match's text: its words joined by spaces. */
static size_t match_text_len(const match *m, const word_list *wl)
{
    size_t len = 0;
    for (uint32_t w = m->first; w < m->last; w++) len += wl->w[w].len + 1;
    return len ? len - 1 : 0;
}

/* Put a match's text, NUL-terminated, at out, which has WORD_COPY bytes of
 * room more than that; returns one past the NUL. A word of up to WORD_COPY
 * bytes is copied as one fixed-size block (no call to memcpy per word): the
 * word list has at least that many readable bytes after every word (words.h:
 * 8 NULs after the last). */
#define WORD_COPY 8
static char *put_match_text(char *out, const match *m, const word_list *wl)
{
    for (uint32_t w = m->first; w < m->last; w++) {
        if (w > m->first) *out++ = ' ';
        size_t len = wl->w[w].len;
        if (len <= WORD_COPY) memcpy(out, word_at(wl, w), WORD_COPY);
        else memcpy(out, word_at(wl, w), len);
        out += len;
    }
    *out++ = '\0';
    return out;
}

/* Keep an utterance's matches for matches.csv. Their texts go into the
 * session's one growing block of text (session_result.match_text), grown
 * once per utterance, instead of an allocation per match. */
static void record_matches(session_result *r, const match_list *ml, const word_list *wl,
                           size_t utterance_no)
{
    if (!ml->n) return;
    r->matches = xgrow(r->matches, &r->cap_matches, r->n_matches + ml->n, sizeof *r->matches);
    size_t room = 0;
    for (size_t i = 0; i < ml->n; i++) room += match_text_len(&ml->m[i], wl) + 1;
    r->match_text = xgrow(r->match_text, &r->match_text_cap, r->match_text_len + room + WORD_COPY, 1);
    for (size_t i = 0; i < ml->n; i++) {
        const match *m = &ml->m[i];
        match_record *rec = &r->matches[r->n_matches++];
        rec->utterance = (uint32_t)utterance_no;
        rec->category = m->category;
        rec->rule = m->rule;
        rec->text_off = r->match_text_len;
        char *end = put_match_text(r->match_text + r->match_text_len, m, wl);
        rec->text_len = (uint32_t)(end - (r->match_text + r->match_text_len) - 1);
        r->match_text_len += rec->text_len + 1;
    }
}

void talk_stats_init(talk_stats *t, size_t n_categories)
{
    memset(t, 0, sizeof *t);
    t->max_turn_seconds = NAN;
    t->category = xcalloc(n_categories ? n_categories : 1, sizeof *t->category);
}

void talk_stats_add(talk_stats *to, const talk_stats *from, size_t n_categories)
{
    to->words += from->words;
    to->utterances += from->utterances;
    to->turns += from->turns;
    to->turn_words += from->turn_words;
    to->long_turn_words += from->long_turn_words;
    if (from->max_turn_words > to->max_turn_words) to->max_turn_words = from->max_turn_words;
    if (!isnan(from->max_turn_seconds) &&
        (isnan(to->max_turn_seconds) || from->max_turn_seconds > to->max_turn_seconds))
        to->max_turn_seconds = from->max_turn_seconds;
    to->questions += from->questions;
    to->open_questions += from->open_questions;
    to->closed_questions += from->closed_questions;
    to->backchannels += from->backchannels;
    to->interruptions += from->interruptions;
    to->speaking_time += from->speaking_time;
    to->timed_words += from->timed_words;
    for (size_t c = 0; c < n_categories; c++) to->category[c] += from->category[c];
}

/* Count one utterance into a speaker's (or a segment role's) numbers. */
void talk_stats_add_utterance(talk_stats *t, const session_result *r, const utterance_result *u)
{
    t->words += u->words;
    t->utterances++;
    t->questions += (size_t)u->question;
    t->open_questions += (size_t)(u->question && u->open_question);
    t->closed_questions += (size_t)(u->question && u->closed_question);
    t->backchannels += (size_t)u->backchannel;
    t->interruptions += (size_t)u->interrupts;
    if (!isnan(u->start) && !isnan(u->end) && u->end >= u->start) {
        t->speaking_time += u->end - u->start;
        t->timed_words += u->words;
    }
    for (size_t k = 0; k < u->n_categories; k++) t->category[r->utt_categories[u->first_category + k]]++;
}

static double known_time(double t)
{
    return t >= 0 ? t : NAN;
}

/* A thread's word and match lists are kept from session to session up to
 * this size; larger ones (a huge utterance) are let go after the session. */
#define SCRATCH_KEEP_BYTES ((size_t)1 << 20)

struct analysis_scratch {
    word_list wl;
    match_list ml;
    match_scratch *ms;
};

analysis_scratch *analysis_scratch_new(const lexicon *lx)
{
    analysis_scratch *sc = xcalloc(1, sizeof *sc);
    sc->ms = match_scratch_new(lx);
    return sc;
}

void analysis_scratch_free(analysis_scratch *sc)
{
    if (!sc) return;
    match_scratch_free(sc->ms);
    free(sc->ml.m);
    word_list_free(&sc->wl);
    free(sc);
}

void analyse_session(const session *s, const lexicon *lx, const analysis_options *opt,
                     session_result *r, diag_list *d)
{
    analyse_session_in(s, lx, opt, r, d, NULL);
}

void analyse_session_in(const session *s, const lexicon *lx, const analysis_options *opt,
                        session_result *r, diag_list *d, analysis_scratch *sc)
{
    analysis_scratch *own = sc ? NULL : analysis_scratch_new(lx);
    if (!sc) sc = own;
    memset(r, 0, sizeof *r);
    r->n_categories = lexicon_category_count(lx);
    r->primary_role = -1;
    r->speakers = xcalloc(s->n_speakers ? s->n_speakers : 1, sizeof *r->speakers);
    r->n_speakers = s->n_speakers;
    for (size_t i = 0; i < s->n_speakers; i++) talk_stats_init(&r->speakers[i], r->n_categories);
    for (int k = 0; k < ROLE_COUNT; k++) talk_stats_init(&r->roles[k], r->n_categories);
    r->utts = xcalloc(s->n_utts ? s->n_utts : 1, sizeof *r->utts);

    int backchannel_cat = lexicon_category_index(lx, "backchannel");
    int open_cat = lexicon_category_index(lx, "open_question");
    int closed_cat = lexicon_category_index(lx, "closed_question");
    word_list wl = sc->wl;   /* taken for the loop, given back after it */
    match_list ml = sc->ml;
    match_scratch *ms = sc->ms;
    for (size_t i = 0; i < s->n_utts; i++) {
        const utterance *u = &s->utts[i];
        words_split(u->text, &wl);
        if (wl.n == 0) continue;   /* annotation-only or empty: not an utterance */
        ml.n = 0;
        lexicon_match(lx, &wl, ms, &ml, d, s->source, u->line);
        utterance_result *ur = &r->utts[r->n_utts++];
        ur->index = i;
        ur->speaker = u->speaker;
        ur->words = wl.n;
        ur->start = known_time(u->start);
        ur->end = known_time(u->end);
        ur->question = wl.has_question;
        ur->open_question = question_sentence_matches(&ml, &wl, open_cat);
        ur->closed_question = question_sentence_matches(&ml, &wl, closed_cat);
        ur->cut_off = wl.cut_off;
        ur->backchannel = all_words_in(&ml, backchannel_cat, wl.n);
        ur->first_category = r->n_utt_categories;
        ur->n_categories = ml.n;
        r->utt_categories = xgrow(r->utt_categories, &r->cap_utt_categories,
                                  r->n_utt_categories + ml.n, sizeof *r->utt_categories);
        for (size_t m = 0; m < ml.n; m++) r->utt_categories[r->n_utt_categories++] = ml.m[m].category;
        r->words += wl.n;
        if (opt && opt->keep_matches) record_matches(r, &ml, &wl, r->n_utts);
    }
    /* kept for the thread's next session, unless one huge utterance grew them */
    if (wl.text_cap > SCRATCH_KEEP_BYTES || wl.cap * sizeof *wl.w > SCRATCH_KEEP_BYTES) word_list_free(&wl);
    if (ml.cap * sizeof *ml.m > SCRATCH_KEEP_BYTES) {
        free(ml.m);
        ml = (match_list){0};
    }
    sc->wl = wl;
    sc->ml = ml;
    analysis_scratch_free(own);

    assign_turns(s, r);
    find_interruptions(s, r);
    for (size_t i = 0; i < r->n_utts; i++)
        talk_stats_add_utterance(&r->speakers[r->utts[i].speaker], r, &r->utts[i]);
    measure_turns(s, r);
    for (size_t i = 0; i < s->n_speakers; i++)
        talk_stats_add(&r->roles[s->speakers[i].role], &r->speakers[i], r->n_categories);
    measure_timing(s, r, opt);
    measure_segments(s, r, opt);
}

void session_result_free(session_result *r)
{
    for (size_t i = 0; i < r->n_speakers; i++) free(r->speakers[i].category);
    for (int k = 0; k < ROLE_COUNT; k++) free(r->roles[k].category);
    for (size_t i = 0; i < r->n_segments; i++)
        for (int k = 0; k < ROLE_COUNT; k++) free(r->segments[i].roles[k].category);
    free(r->matches);
    free(r->match_text);
    free(r->utt_categories);
    free(r->speakers);
    free(r->utts);
    free(r->turn_list);
    free(r->segments);
    free(r->windows);
    memset(r, 0, sizeof *r);
}
