/* timing.c: interruptions, floor transfers, talk-time windows (see timing.h). */
#include "analysis/timing.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>

static int timed(const utterance_result *u)
{
    return !isnan(u->start) && !isnan(u->end) && u->end >= u->start;
}

/* The nearest earlier non-backchannel utterance of another speaker, or NULL. */
static const utterance_result *previous_other(const session_result *r, size_t i)
{
    for (size_t j = i; j-- > 0;) {
        const utterance_result *v = &r->utts[j];
        if (v->backchannel) continue;
        return v->speaker != r->utts[i].speaker ? v : NULL;
    }
    return NULL;
}

/* Timed rule: u starts inside v and v stops before u does. */
static int overlaps_and_takes_floor(const utterance_result *u, const utterance_result *v)
{
    return timed(u) && timed(v) && v->start < u->start && u->start < v->end && v->end <= u->end;
}

void find_interruptions(const session *s, session_result *r)
{
    for (size_t i = 0; i < r->n_utts; i++) {
        utterance_result *u = &r->utts[i];
        if (u->backchannel) continue;
        const utterance_result *v = previous_other(r, i);
        if (!v) continue;
        unsigned flags = s->utts[v->index].flags;
        u->interrupts = overlaps_and_takes_floor(u, v) || (flags & UTT_INTERRUPTED) || v->cut_off;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void summarise_offsets(transfer_stats *t, double *v, size_t n)
{
    t->count = n;
    t->median = t->iqr = t->overlap_share = t->long_silence_share = t->longest_silence = NAN;
    if (n == 0) return;
    qsort(v, n, sizeof *v, cmp_double);
    t->median = quantile_sorted(v, n, 0.5);
    t->iqr = quantile_sorted(v, n, 0.75) - quantile_sorted(v, n, 0.25);
    size_t overlaps = 0, long_silences = 0;
    for (size_t i = 0; i < n; i++) {
        overlaps += v[i] < 0;
        long_silences += v[i] > 1.0;
    }
    t->overlap_share = (double)overlaps / (double)n;
    t->long_silence_share = (double)long_silences / (double)n;
    t->longest_silence = v[n - 1] > 0 ? v[n - 1] : 0.0;
}

/* Offsets between consecutive turns of therapist and client; an end time
 * estimated from the next start is not a measured end and is skipped. */
static void measure_transfers(const session *s, session_result *r)
{
    double *off[2];
    size_t n[2] = {0, 0};
    off[0] = xmalloc_array(r->turns, sizeof(double));
    off[1] = xmalloc_array(r->turns, sizeof(double));
    for (size_t k = 0; k + 1 < r->turns; k++) {
        const turn_result *a = &r->turn_list[k], *b = &r->turn_list[k + 1];
        role ra = s->speakers[a->speaker].role, rb = s->speakers[b->speaker].role;
        int dir = (ra == ROLE_THERAPIST && rb == ROLE_CLIENT)   ? THERAPIST_TO_CLIENT
                  : (ra == ROLE_CLIENT && rb == ROLE_THERAPIST) ? CLIENT_TO_THERAPIST
                                                                : -1;
        if (dir < 0 || isnan(a->end) || isnan(b->start)) continue;
        if (s->utts[r->utts[a->last_utt].index].flags & UTT_END_ESTIMATED) continue;
        off[dir][n[dir]++] = b->start - a->end;
    }
    for (int dir = 0; dir < 2; dir++) {
        summarise_offsets(&r->transfers[dir], off[dir], n[dir]);
        free(off[dir]);
    }
}

/* Add utterance u's speaking time to every window it overlaps. */
static void spread_over_windows(session_result *r, const utterance_result *u, role ro,
                                double t0, double window, double step)
{
    long first = (long)ceil((u->start - t0 - window) / step);
    if (first < 0) first = 0;
    for (long k = first; k < (long)r->n_windows; k++) {
        window_result *w = &r->windows[k];
        if (w->from >= u->end) break;
        double from = u->start > w->from ? u->start : w->from;
        double to = u->end < w->to ? u->end : w->to;
        if (to > from) w->time[ro] += to - from;
    }
}

static void measure_windows(const session *s, session_result *r, double t0, double t1,
                            double window, double step)
{
    if (!(window > 0) || !(step > 0) || !(t1 > t0)) return;
    size_t n = t1 - t0 <= window ? 1 : (size_t)floor((t1 - t0 - window) / step) + 1;
    r->windows = xmalloc_array(n, sizeof *r->windows);
    r->n_windows = n;
    for (size_t k = 0; k < n; k++) {   /* field by field: a zeroed literal was a rep stos */
        window_result *w = &r->windows[k];
        w->from = t0 + (double)k * step;
        w->to = n == 1 && t1 - t0 <= window ? t1 : w->from + window;
        for (int ro = 0; ro < ROLE_COUNT; ro++) w->time[ro] = 0;
        w->label = WINDOW_EMPTY;
    }
    for (size_t i = 0; i < r->n_utts; i++)
        if (timed(&r->utts[i]))
            spread_over_windows(r, &r->utts[i], s->speakers[r->utts[i].speaker].role, t0, window, step);

    double tt = r->roles[ROLE_THERAPIST].speaking_time, tc = r->roles[ROLE_CLIENT].speaking_time;
    r->primary_role = tt >= tc ? ROLE_THERAPIST : ROLE_CLIENT;
    size_t led_primary = 0, led_other = 0, balanced = 0, counted = 0;
    for (size_t k = 0; k < n; k++) {
        window_result *w = &r->windows[k];
        double total = w->time[ROLE_THERAPIST] + w->time[ROLE_CLIENT];
        if (total <= 0) {
            w->label = WINDOW_EMPTY;
            continue;
        }
        counted++;
        if (w->time[ROLE_THERAPIST] / total > WINDOW_LEAD_SHARE) w->label = WINDOW_THERAPIST;
        else if (w->time[ROLE_CLIENT] / total > WINDOW_LEAD_SHARE) w->label = WINDOW_CLIENT;
        else w->label = WINDOW_BALANCED;
        if (w->label == WINDOW_BALANCED) balanced++;
        else if ((w->label == WINDOW_THERAPIST) == (r->primary_role == ROLE_THERAPIST)) led_primary++;
        else led_other++;
    }
    if (counted == 0) return;
    double c = (double)counted;
    if ((double)led_primary / c >= DOMINATED_SHARE) r->dynamics = "dominated_throughout";
    else if ((double)led_other / c > ALTERNATING_SHARE) r->dynamics = "alternating";
    else if ((double)balanced / c >= BACK_AND_FORTH_SHARE) r->dynamics = "back_and_forth";
}

void measure_timing(const session *s, session_result *r, const analysis_options *opt)
{
    double t0 = NAN, t1 = NAN;
    for (size_t i = 0; i < r->n_utts; i++) {
        const utterance_result *u = &r->utts[i];
        if (isnan(u->start)) continue;
        r->timed = 1;
        double end = isnan(u->end) ? u->start : u->end;
        if (isnan(t0) || u->start < t0) t0 = u->start;
        if (isnan(t1) || end > t1) t1 = end;
    }
    r->duration = r->timed ? t1 - t0 : NAN;
    for (int dir = 0; dir < 2; dir++) summarise_offsets(&r->transfers[dir], NULL, 0);
    if (!r->timed) return;
    measure_transfers(s, r);
    double window = opt && opt->window > 0 ? opt->window : DEFAULT_WINDOW;
    double step = opt && opt->step > 0 ? opt->step : DEFAULT_STEP;
    measure_windows(s, r, t0, t1, window, step);
}
