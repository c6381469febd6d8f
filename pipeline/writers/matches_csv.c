/* matches_csv.c: matches.csv, one row per counted lexicon match: the audit
 * trail that shows why an utterance counted in a category. */
#include "writers/csv.h"
#include "writers/reports.h"

void matches_csv_header(buf *out)
{
    buf_adds(out, "session_id,utterance,speaker,role,category,rule,text,line\n");
}

void matches_csv_rows(buf *out, const session *s, const session_result *r, const lexicon *lx)
{
    for (size_t i = 0; i < r->n_matches; i++) {
        const match_record *m = &r->matches[i];
        const utterance *u = &s->utts[r->utts[m->utterance - 1].index];
        const speaker *sp = &s->speakers[u->speaker];
        csv_row row;
        csv_row_start(&row, out);
        csv_text(&row, s->id);
        csv_uint(&row, m->utterance);
        csv_text(&row, sp->label);
        csv_text(&row, role_name(sp->role));
        csv_text(&row, lexicon_category_name(lx, m->category));
        csv_text(&row, lexicon_rule_id(lx, m->rule));
        csv_text(&row, m->text);
        if (u->line > 0) csv_long(&row, u->line);
        else csv_empty(&row);
        csv_row_end(&row);
    }
}
