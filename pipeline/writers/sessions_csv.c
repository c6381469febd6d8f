/* sessions_csv.c: sessions.csv, one row per session (columns in README's codebook). */
#include "writers/csv.h"
#include "writers/reports.h"

#include <math.h>
#include <stdio.h>

static const role ROLE_COLUMNS[] = {ROLE_THERAPIST, ROLE_CLIENT};

static void header_cell(csv_row *row, const char *prefix, const char *name, const char *suffix)
{
    buf b = {0};
    buf_addf(&b, "%s%s%s", prefix, name, suffix);
    csv_text(row, buf_str(&b));
    buf_free(&b);
}

void sessions_csv_header(buf *out, const lexicon *lx)
{
    static const char *const fixed[] = {
        "session_id", "source", "speakers", "utterances", "words", "turns",
        "therapist_words", "client_words", "other_words",
        "therapist_word_share", "client_word_share", "word_balance",
        "therapist_utterances", "client_utterances",
        "therapist_turns", "client_turns", "therapist_mlt", "client_mlt",
        "therapist_max_turn_words", "client_max_turn_words",
        "therapist_questions", "client_questions",
        "therapist_backchannels", "client_backchannels",
        "collaboration_index",
    };
    csv_row row;
    csv_row_start(&row, out);
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) csv_text(&row, fixed[i]);
    for (size_t k = 0; k < sizeof ROLE_COLUMNS / sizeof ROLE_COLUMNS[0]; k++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "%s_", role_name(ROLE_COLUMNS[k]));
        for (size_t c = 0; c < lexicon_category_count(lx); c++) {
            header_cell(&row, prefix, lexicon_category_name(lx, c), "");
            header_cell(&row, prefix, lexicon_category_name(lx, c), "_per1k");
        }
    }
    csv_row_end(&row);
}

/* Speakers who said at least one word. */
static size_t active_speakers(const session_result *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_speakers; i++) n += r->speakers[i].utterances > 0;
    return n;
}

void sessions_csv_row(buf *out, const session *s, const session_result *r, const lexicon *lx)
{
    const talk_stats *t = &r->roles[ROLE_THERAPIST], *c = &r->roles[ROLE_CLIENT];
    double all = (double)r->words;
    csv_row row;
    csv_row_start(&row, out);
    csv_text(&row, s->id);
    csv_text(&row, s->source);
    csv_uint(&row, active_speakers(r));
    csv_uint(&row, r->n_utts);
    csv_uint(&row, r->words);
    csv_uint(&row, r->turns);
    csv_uint(&row, t->words);
    csv_uint(&row, c->words);
    csv_uint(&row, r->roles[ROLE_OTHER].words);
    csv_real(&row, ratio((double)t->words, all));
    csv_real(&row, ratio((double)c->words, all));
    csv_real(&row, balance((double)t->words, (double)c->words));
    csv_uint(&row, t->utterances);
    csv_uint(&row, c->utterances);
    csv_uint(&row, t->turns);
    csv_uint(&row, c->turns);
    csv_real(&row, ratio((double)t->turn_words, (double)t->turns));
    csv_real(&row, ratio((double)c->turn_words, (double)c->turns));
    csv_uint(&row, t->max_turn_words);
    csv_uint(&row, c->max_turn_words);
    csv_uint(&row, t->questions);
    csv_uint(&row, c->questions);
    csv_uint(&row, t->backchannels);
    csv_uint(&row, c->backchannels);
    csv_real(&row, collaboration_index(r, lx));
    for (size_t k = 0; k < sizeof ROLE_COLUMNS / sizeof ROLE_COLUMNS[0]; k++) {
        const talk_stats *st = &r->roles[ROLE_COLUMNS[k]];
        for (size_t cat = 0; cat < r->n_categories; cat++) {
            csv_uint(&row, st->category[cat]);
            csv_real(&row, ratio(1000.0 * (double)st->category[cat], (double)st->words));
        }
    }
    csv_row_end(&row);
}
