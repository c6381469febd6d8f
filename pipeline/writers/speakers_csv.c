/* speakers_csv.c: speakers.csv, one row per session and speaker. */
#include "writers/csv.h"
#include "writers/reports.h"

#include <math.h>

void category_header_cells(csv_row *row, const lexicon *lx)
{
    for (size_t c = 0; c < lexicon_category_count(lx); c++) {
        buf name = {0};
        csv_text(row, lexicon_category_name(lx, c));
        buf_addf(&name, "%s_per1k", lexicon_category_name(lx, c));
        csv_text(row, buf_str(&name));
        buf_free(&name);
    }
}

/* The same cells as csv_uint and csv_real, put in one reservation: there
 * are two per category, on every row of three reports. */
void category_cells(csv_row *row, const talk_stats *t, size_t n_categories)
{
    char *p = csv_reserve(row->out, n_categories * (2 + CSV_NUMBER_ROOM + CSV_REAL_ROOM));
    for (size_t c = 0; c < n_categories; c++) {
        if (row->cells) *p++ = ',';
        p += csv_put_uint(p, t->category[c]);
        *p++ = ',';
        p += csv_put_real(p, ratio(1000.0 * (double)t->category[c], (double)t->words));
        row->cells += 2;
    }
    csv_commit(row->out, p);
}

void speakers_csv_header(buf *out, const lexicon *lx)
{
    static const char *const fixed[] = {
        "session_id", "speaker", "role", "words", "utterances", "turns", "mlt",
        "max_turn_words", "questions", "backchannels", "word_share",
        "turn_share", "long_turn_share", "open_questions", "closed_questions", "interruptions",
        "speaking_time", "time_share", "wpm", "max_turn_seconds",
    };
    csv_row row;
    csv_row_start(&row, out);
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) csv_text(&row, fixed[i]);
    category_header_cells(&row, lx);
    csv_row_end(&row);
}

static double session_speaking_time(const session_result *r)
{
    double t = 0;
    for (size_t i = 0; i < r->n_speakers; i++) t += r->speakers[i].speaking_time;
    return t;
}

void speakers_csv_rows(buf *out, const session *s, const session_result *r)
{
    double all_time = session_speaking_time(r);
    for (size_t i = 0; i < s->n_speakers; i++) {
        const talk_stats *t = &r->speakers[i];
        if (t->utterances == 0) continue;   /* a label that never said a word */
        csv_row row;
        csv_row_start(&row, out);
        csv_text(&row, s->id);
        csv_text(&row, s->speakers[i].label);
        csv_text(&row, role_name(s->speakers[i].role));
        csv_uint(&row, t->words);
        csv_uint(&row, t->utterances);
        csv_uint(&row, t->turns);
        csv_real(&row, ratio((double)t->turn_words, (double)t->turns));
        csv_uint(&row, t->max_turn_words);
        csv_uint(&row, t->questions);
        csv_uint(&row, t->backchannels);
        csv_real(&row, ratio((double)t->words, (double)r->words));
        csv_real(&row, ratio((double)t->turns, (double)r->turns));
        csv_real(&row, ratio((double)t->long_turn_words, (double)t->words));
        csv_uint(&row, t->open_questions);
        csv_uint(&row, t->closed_questions);
        csv_uint(&row, t->interruptions);
        csv_seconds(&row, r->timed ? t->speaking_time : NAN);
        csv_real(&row, r->timed ? ratio(t->speaking_time, all_time) : NAN);
        csv_real(&row, r->timed ? ratio((double)t->timed_words, t->speaking_time / 60.0) : NAN);
        csv_seconds(&row, t->max_turn_seconds);
        category_cells(&row, t, r->n_categories);
        csv_row_end(&row);
    }
}
