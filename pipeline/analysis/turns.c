/* turns.c: turn segmentation and turn measures (see turns.h). */
#include "analysis/turns.h"
#include "util/xalloc.h"

#include <math.h>

void assign_turns(const session *s, session_result *r)
{
    (void)s;
    /* not zeroed: each turn is set whole when it starts */
    r->turn_list = xmalloc_array(r->n_utts, sizeof *r->turn_list);
    r->turns = 0;
    turn_result *t = NULL;
    for (size_t i = 0; i < r->n_utts; i++) {
        utterance_result *u = &r->utts[i];
        if (u->backchannel) {
            u->turn = 0;
            continue;
        }
        if (!t || u->speaker != t->speaker) {
            t = &r->turn_list[r->turns++];
            *t = (turn_result){.speaker = u->speaker, .first_utt = i, .start = u->start, .end = u->end};
        }
        t->words += u->words;
        t->last_utt = i;
        if (!isnan(u->end) && (isnan(t->end) || u->end > t->end)) t->end = u->end;
        u->turn = r->turns;
    }
}

/* The words of the client turn that follows turn k directly, or -1. */
static long client_answer(const session *s, const session_result *r, size_t k)
{
    if (k + 1 >= r->turns) return -1;
    const turn_result *next = &r->turn_list[k + 1];
    return s->speakers[next->speaker].role == ROLE_CLIENT ? (long)next->words : -1;
}

static void count_answer(answer_stats *a, long words)
{
    a->questions++;
    a->answer_words += (size_t)words;
}

void measure_turns(const session *s, session_result *r)
{
    for (size_t k = 0; k < r->turns; k++) {
        const turn_result *t = &r->turn_list[k];
        talk_stats *st = &r->speakers[t->speaker];
        st->turns++;
        st->turn_words += t->words;
        if (t->words > st->max_turn_words) st->max_turn_words = t->words;
        if (t->words > LONG_TURN_WORDS) st->long_turn_words += t->words;
        if (!isnan(t->start) && !isnan(t->end) && t->end >= t->start &&
            (isnan(st->max_turn_seconds) || t->end - t->start > st->max_turn_seconds))
            st->max_turn_seconds = t->end - t->start;
    }
    r->switches = r->turns ? r->turns - 1 : 0;

    /* each therapist question is answered by the client's next turn, when
     * the turn after the question's own turn is the client's */
    for (size_t i = 0; i < r->n_utts; i++) {
        const utterance_result *u = &r->utts[i];
        if (!u->question || u->backchannel || s->speakers[u->speaker].role != ROLE_THERAPIST) continue;
        long words = client_answer(s, r, u->turn - 1);
        if (words < 0) continue;
        count_answer(&r->answers, words);
        if (u->open_question) count_answer(&r->open_answers, words);
        if (u->closed_question) count_answer(&r->closed_answers, words);
    }
}
