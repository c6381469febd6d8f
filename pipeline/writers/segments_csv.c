/* segments_csv.c: segments.csv (the session in N equal parts, per role) and
 * windows.csv (ConvoKit-style sliding talk-time windows). */
#include "writers/csv.h"
#include "writers/reports.h"

#include <math.h>
#include <string.h>

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

/* A session's id cell, escaped once for all its rows. */
static void id_cell(buf *cell, const session *s)
{
    csv_row row;
    csv_row_start(&row, cell);
    csv_text(&row, s->id);
}

/* The rows are put cell after cell in one reservation each (csv.h), the
 * same bytes as csv_row's cells: there are many per session. */
#define SEGMENT_FIXED_CELLS 13

void segments_csv_rows(buf *out, const session *s, const session_result *r)
{
    buf id = {0};
    id_cell(&id, s);
    const char *unit = r->segments_by_time ? "seconds" : "words";
    size_t (*put_bound)(char *, double) = r->segments_by_time ? csv_put_seconds : csv_put_real;
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
            const char *role = role_name(SEGMENT_ROLES[j]);
            char *p = csv_reserve(out, id.len + CSV_TEXT_ROOM(strlen(unit)) + CSV_TEXT_ROOM(strlen(role)) +
                                           4 * CSV_NUMBER_ROOM + 6 * CSV_REAL_ROOM + SEGMENT_FIXED_CELLS);
            memcpy(p, id.data, id.len);
            p += id.len;
            *p++ = ',';
            p += csv_put_uint(p, k + 1);
            *p++ = ',';
            p += csv_put_text(p, unit, strlen(unit));
            *p++ = ',';
            p += put_bound(p, g->from);
            *p++ = ',';
            p += put_bound(p, g->to);
            *p++ = ',';
            p += csv_put_text(p, role, strlen(role));
            *p++ = ',';
            p += csv_put_uint(p, t->words);
            *p++ = ',';
            p += csv_put_real(p, ratio((double)t->words, (double)all_words));
            *p++ = ',';
            p += csv_put_seconds(p, r->timed ? t->speaking_time : NAN);
            *p++ = ',';
            p += csv_put_real(p, r->timed ? ratio(t->speaking_time, all_time) : NAN);
            *p++ = ',';
            p += csv_put_uint(p, t->turns);
            *p++ = ',';
            p += csv_put_real(p, ratio((double)t->turn_words, (double)t->turns));
            *p++ = ',';
            p += csv_put_uint(p, t->questions);
            csv_commit(out, p);
            csv_row row = {.out = out, .cells = SEGMENT_FIXED_CELLS};
            category_cells(&row, t, r->n_categories);
            csv_row_end(&row);
        }
    }
    buf_free(&id);
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
    buf id = {0};
    id_cell(&id, s);
    for (size_t k = 0; k < r->n_windows; k++) {
        const window_result *w = &r->windows[k];
        double t = w->time[ROLE_THERAPIST], c = w->time[ROLE_CLIENT];
        const char *label = window_label_name(w->label);
        size_t label_len = strlen(label);
        char *p = csv_reserve(out, id.len + CSV_NUMBER_ROOM + 5 * CSV_REAL_ROOM + CSV_TEXT_ROOM(label_len) + 8);
        memcpy(p, id.data, id.len);
        p += id.len;
        *p++ = ',';
        p += csv_put_uint(p, k + 1);
        *p++ = ',';
        p += csv_put_seconds(p, w->from);
        *p++ = ',';
        p += csv_put_seconds(p, w->to);
        *p++ = ',';
        p += csv_put_seconds(p, t);
        *p++ = ',';
        p += csv_put_seconds(p, c);
        *p++ = ',';
        p += csv_put_real(p, ratio(t, t + c));
        *p++ = ',';
        p += csv_put_text(p, label, label_len);
        *p++ = '\n';
        csv_commit(out, p);
    }
    buf_free(&id);
}
