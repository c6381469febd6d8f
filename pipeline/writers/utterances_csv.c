/* utterances_csv.c: utterances.csv (with --utterances), one row per
 * utterance. Transcript text appears only with --include-text: by default
 * reports carry counts, not speech. */
#include "writers/csv.h"
#include "writers/reports.h"
#include "util/buf.h"

#include <math.h>

void utterances_csv_header(buf *out, const report_choice *choice)
{
    buf_adds(out, "session_id,utterance,line,speaker,role,start,end,words,backchannel,turn,"
                  "question,open_question,closed_question,interrupts,categories");
    buf_adds(out, choice->include_text ? ",text\n" : "\n");
}

/* The distinct categories an utterance matched, in lexicon order, joined by ';'. */
static void category_list(buf *b, const session_result *r, const utterance_result *u, const lexicon *lx)
{
    for (size_t c = 0; c < r->n_categories; c++) {
        for (size_t k = 0; k < u->n_categories; k++) {
            if (r->utt_categories[u->first_category + k] != c) continue;
            if (b->len) buf_addc(b, ';');
            buf_adds(b, lexicon_category_name(lx, c));
            break;
        }
    }
}

void utterances_csv_rows(buf *out, const session *s, const session_result *r, const lexicon *lx,
                         const report_choice *choice)
{
    buf cats = {0};
    for (size_t i = 0; i < r->n_utts; i++) {
        const utterance_result *u = &r->utts[i];
        const utterance *src = &s->utts[u->index];
        const speaker *sp = &s->speakers[u->speaker];
        csv_row row;
        csv_row_start(&row, out);
        csv_text(&row, s->id);
        csv_uint(&row, i + 1);
        if (src->line > 0) csv_long(&row, src->line);
        else csv_empty(&row);
        csv_text(&row, sp->label);
        csv_text(&row, role_name(sp->role));
        csv_seconds(&row, u->start);
        csv_seconds(&row, u->end);
        csv_uint(&row, u->words);
        csv_uint(&row, (size_t)u->backchannel);
        if (u->turn) csv_uint(&row, u->turn);
        else csv_empty(&row);
        csv_uint(&row, (size_t)u->question);
        csv_uint(&row, (size_t)(u->question && u->open_question));
        csv_uint(&row, (size_t)(u->question && u->closed_question));
        csv_uint(&row, (size_t)u->interrupts);
        buf_clear(&cats);
        category_list(&cats, r, u, lx);
        csv_text(&row, buf_str(&cats));
        if (choice->include_text) csv_text(&row, src->text);
        csv_row_end(&row);
    }
    buf_free(&cats);
}
