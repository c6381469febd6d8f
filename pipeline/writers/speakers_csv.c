/* speakers_csv.c: speakers.csv, one row per session and speaker. */
#include "writers/csv.h"
#include "writers/reports.h"

void speakers_csv_header(buf *out, const lexicon *lx)
{
    static const char *const fixed[] = {
        "session_id", "speaker", "role", "words", "utterances", "turns", "mlt",
        "max_turn_words", "questions", "backchannels", "word_share",
    };
    csv_row row;
    csv_row_start(&row, out);
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) csv_text(&row, fixed[i]);
    for (size_t c = 0; c < lexicon_category_count(lx); c++) {
        buf name = {0};
        csv_text(&row, lexicon_category_name(lx, c));
        buf_addf(&name, "%s_per1k", lexicon_category_name(lx, c));
        csv_text(&row, buf_str(&name));
        buf_free(&name);
    }
    csv_row_end(&row);
}

void speakers_csv_rows(buf *out, const session *s, const session_result *r)
{
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
        for (size_t c = 0; c < r->n_categories; c++) {
            csv_uint(&row, t->category[c]);
            csv_real(&row, ratio(1000.0 * (double)t->category[c], (double)t->words));
        }
        csv_row_end(&row);
    }
}
