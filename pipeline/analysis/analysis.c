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

/* the session model pads utterance texts for words_split_padded */
_Static_assert(UTTERANCE_READ_PAD >= WORDS_SPLIT_PAD, "utterance texts must carry the tokenizer's padding");

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

/* Count one utterance into t: everything but its categories. */
static void add_utterance_counts(talk_stats *t, const utterance_result *u)
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
}

/* Count one utterance into a speaker's (or a segment role's) numbers. */
void talk_stats_add_utterance(talk_stats *t, const session_result *r, const utterance_result *u)
{
    add_utterance_counts(t, u);
    const uint32_t *cat = r->utt_categories + u->first_category;
    for (size_t k = 0; k < u->n_categories; k++) t->category[cat[k]]++;
}

static double known_time(double t)
{
    return t >= 0 ? t : NAN;
}

/* The categories an utterance's flags come from; UINT32_MAX (no category
 * has that index) for one the lexicon does not have. */
typedef struct flag_categories {
    uint32_t backchannel, open_question, closed_question;
} flag_categories;

static uint32_t flag_category(const lexicon *lx, const char *name)
{
    int c = lexicon_category_index(lx, name);
    return c < 0 ? UINT32_MAX : (uint32_t)c;
}

/* Set every field of ur for utterance u (index i), split into wl: what
 * the words tell, and zero for what later steps fill in. Field by field:
 * a zeroed compound literal became a `rep stos`, whose start-up cost was
 * half a percent of the whole run. */
static void start_utterance_result(utterance_result *ur, size_t i, const utterance *u, const word_list *wl)
{
    ur->index = i;
    ur->speaker = u->speaker;
    ur->words = wl->n;
    ur->start = known_time(u->start);
    ur->end = known_time(u->end);
    ur->backchannel = 0;
    ur->question = wl->has_question;
    ur->open_question = 0;
    ur->closed_question = 0;
    ur->cut_off = wl->cut_off;
    ur->interrupts = 0;
    ur->turn = 0;
    ur->first_category = 0;
    ur->n_categories = 0;
}
_Static_assert(sizeof(utterance_result) == 6 * sizeof(size_t) + 2 * sizeof(double) + 6 * sizeof(int),
               "utterance_result: a field added must be set in start_utterance_result");

/* Take an utterance's matches in one pass: keep their categories (for the
 * segments and utterances.csv), count them for its speaker (so the speaker
 * sum after the loop skips them), and set the flags that depend on them:
 * - backchannel: every word lies inside a backchannel match (a category's
 *   matches come by first word, in either order lexicon_match gives, so a
 *   gap shows as a match starting past the words covered so far);
 * - open/closed question: a match of that category starts in the
 *   utterance's question sentence: its first sentence ended by '?' ("Okay.
 *   What brings you in?" asks in its second sentence), or its first
 *   sentence when none is. */
static void take_matches(session_result *r, utterance_result *ur, const match_list *ml,
                         const word_list *wl, const flag_categories *fc)
{
    size_t need = r->n_utt_categories + ml->n;
    if (need > r->cap_utt_categories)
        r->utt_categories = xgrow(r->utt_categories, &r->cap_utt_categories, need, sizeof *r->utt_categories);
    uint32_t *cats = r->utt_categories + r->n_utt_categories;
    size_t *count = r->speakers[ur->speaker].category;
    /* locals: the stores to cats (uint32_t) would make the compiler reload
     * fc's fields for every match */
    const uint32_t backchannel = fc->backchannel, open_question = fc->open_question,
                   closed_question = fc->closed_question;
    const match *m = ml->m;
    size_t n = ml->n, covered_to = 0;
    int gap = 0, open = 0, closed = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = m[i].category;
        cats[i] = c;
        count[c]++;
        if (c == backchannel) {
            if (m[i].first > covered_to) gap = 1;
            else if (m[i].last > covered_to) covered_to = m[i].last;
        } else if ((c == open_question || c == closed_question) &&
                   wl->w[m[i].first].sentence == wl->question_sentence) {
            if (c == open_question) open = 1;
            else closed = 1;
        }
    }
    ur->backchannel = !gap && covered_to >= wl->n;
    ur->open_question = open;
    ur->closed_question = closed;
    ur->first_category = r->n_utt_categories;
    ur->n_categories = ml->n;
    r->n_utt_categories = need;
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
    /* not zeroed: each counted utterance's result is set whole below */
    r->utts = xmalloc_array(s->n_utts, sizeof *r->utts);
    /* room for 16 match categories an utterance (64 bytes, less than its
     * utterance_result): most sessions then never grow (and copy) the
     * list, rather than doing so a dozen times from 8 */
    r->utt_categories = xgrow(NULL, &r->cap_utt_categories, s->n_utts * 16, sizeof *r->utt_categories);

    flag_categories fc = {
        .backchannel = flag_category(lx, "backchannel"),
        .open_question = flag_category(lx, "open_question"),
        .closed_question = flag_category(lx, "closed_question"),
    };
    word_list wl = sc->wl;   /* taken for the loop, given back after it */
    match_list ml = sc->ml;
    match_scratch *ms = sc->ms;
    /* matches only counted (no matches.csv): their order does not matter */
    match_scratch_any_order(ms, !(opt && opt->keep_matches));
    for (size_t i = 0; i < s->n_utts; i++) {
        const utterance *u = &s->utts[i];
        words_split_padded(u->text, u->text_len, &wl);
        if (wl.n == 0) continue;   /* annotation-only or empty: not an utterance */
        ml.n = 0;
        lexicon_match(lx, &wl, ms, &ml, d, s->source, u->line);
        utterance_result *ur = &r->utts[r->n_utts++];
        start_utterance_result(ur, i, u, &wl);
        take_matches(r, ur, &ml, &wl, &fc);
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
    for (size_t i = 0; i < r->n_utts; i++)   /* categories: counted in take_matches */
        add_utterance_counts(&r->speakers[r->utts[i].speaker], &r->utts[i]);
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
