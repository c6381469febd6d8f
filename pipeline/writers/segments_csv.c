/* segments_csv.c: segments.csv (the session in N equal parts, per role) and
 * windows.csv (ConvoKit-style sliding talk-time windows). */
#include "writers/csv.h"
#include "writers/reports.h"

#include <math.h>

static const role SEGMENT_ROLES[] = {ROLE_THERAPIST, ROLE_CLIENT};

void segments_csv_header(buf *out, const lexicon *lx)
{
    static const char *const fixed[] = {
        "session_id", "segment", "unit", "from", "to", "role", "words", "word_share",
        "speaking_time", "time_share", "turns", "mlt", "questions",
    };
    csv_row row;
    csv_row_start(&row, out);
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) csv_text(&row, fixed[i]);
    category_header_cells(&row, lx);
    csv_row_end(&row);
}

void segments_csv_rows(buf *out, const session *s, const session_result *r)
{
    for (size_t k = 0; k < r->n_segments; k++) {
        const segment_result *g = &r->segments[k];
        size_t all_words = 0;
        double all_time = 0;
        for (int ro = 0; ro < ROLE_COUNT; ro++) {
            all_words += g->roles[ro].words;
            all_time += g->roles[ro].speaking_time;
        }
        for (size_t j = 0; j < sizeof SEGMENT_ROLES / sizeof SEGMENT_ROLES[0]; j++) {
            const talk_stats *t = &g->roles[SEGMENT_ROLES[j]];
            csv_row row;
            csv_row_start(&row, out);
            csv_text(&row, s->id);
            csv_uint(&row, k + 1);
            csv_text(&row, r->segments_by_time ? "seconds" : "words");
            if (r->segments_by_time) {
                csv_seconds(&row, g->from);
                csv_seconds(&row, g->to);
            } else {
                csv_real(&row, g->from);
                csv_real(&row, g->to);
            }
            csv_text(&row, role_name(SEGMENT_ROLES[j]));
            csv_uint(&row, t->words);
            csv_real(&row, ratio((double)t->words, (double)all_words));
            csv_seconds(&row, r->timed ? t->speaking_time : NAN);
            csv_real(&row, r->timed ? ratio(t->speaking_time, all_time) : NAN);
            csv_uint(&row, t->turns);
            csv_real(&row, ratio((double)t->turn_words, (double)t->turns));
            csv_uint(&row, t->questions);
            category_cells(&row, t, r->n_categories);
            csv_row_end(&row);
        }
    }
}

void windows_csv_header(buf *out)
{
    buf_adds(out, "session_id,window,from,to,therapist_time,client_time,therapist_share,label\n");
}

static const char *window_label_name(window_label l)
{
    switch (l) {
    case WINDOW_THERAPIST: return "therapist";
    case WINDOW_CLIENT: return "client";
    case WINDOW_BALANCED: return "balanced";
    default: return "empty";
    }
}

void windows_csv_rows(buf *out, const session *s, const session_result *r)
{
    for (size_t k = 0; k < r->n_windows; k++) {
        const window_result *w = &r->windows[k];
        double t = w->time[ROLE_THERAPIST], c = w->time[ROLE_CLIENT];
        csv_row row;
        csv_row_start(&row, out);
        csv_text(&row, s->id);
        csv_uint(&row, k + 1);
        csv_seconds(&row, w->from);
        csv_seconds(&row, w->to);
        csv_seconds(&row, t);
        csv_seconds(&row, c);
        csv_real(&row, ratio(t, t + c));
        csv_text(&row, window_label_name(w->label));
        csv_row_end(&row);
    }
}
