/* segments.c: the time course in N equal parts (see segments.h). */
#include "analysis/segments.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>

static int all_started(const session_result *r)
{
    for (size_t i = 0; i < r->n_utts; i++)
        if (isnan(r->utts[i].start)) return 0;
    return r->n_utts > 0;
}

static size_t clamp_segment(double x, size_t n)
{
    if (!(x > 0)) return 0;
    size_t k = (size_t)x;
    return k >= n ? n - 1 : k;
}

void measure_segments(const session *s, session_result *r, const analysis_options *opt)
{
    size_t n = opt ? opt->segments : 0;
    if (n == 0 || r->n_utts == 0) return;
    r->segments = xcalloc(n, sizeof *r->segments);
    r->n_segments = n;
    for (size_t k = 0; k < n; k++)
        for (int ro = 0; ro < ROLE_COUNT; ro++) talk_stats_init(&r->segments[k].roles[ro], r->n_categories);

    r->segments_by_time = all_started(r) && r->duration > 0;
    double t0 = 0, span;
    if (r->segments_by_time) {
        t0 = INFINITY;
        for (size_t i = 0; i < r->n_utts; i++)
            if (r->utts[i].start < t0) t0 = r->utts[i].start;
        span = r->duration;
    } else {
        span = (double)r->words;
    }
    for (size_t k = 0; k < n; k++) {
        r->segments[k].from = t0 + span * (double)k / (double)n;
        r->segments[k].to = t0 + span * (double)(k + 1) / (double)n;
    }

    size_t *seg_of = xmalloc_array(r->n_utts, sizeof *seg_of);
    size_t words_before = 0;
    for (size_t i = 0; i < r->n_utts; i++) {
        const utterance_result *u = &r->utts[i];
        double x = r->segments_by_time ? (u->start - t0) * (double)n / span
                                       : (double)words_before * (double)n / span;
        seg_of[i] = clamp_segment(x, n);
        words_before += u->words;
        role ro = s->speakers[u->speaker].role;
        talk_stats_add_utterance(&r->segments[seg_of[i]].roles[ro], r, u);
    }
    for (size_t k = 0; k < r->turns; k++) {
        const turn_result *t = &r->turn_list[k];
        talk_stats *st = &r->segments[seg_of[t->first_utt]].roles[s->speakers[t->speaker].role];
        st->turns++;
        st->turn_words += t->words;
    }
    free(seg_of);
}
