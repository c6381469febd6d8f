/* matches_csv.c: matches.csv, one row per counted lexicon match: the audit
 * trail that shows why an utterance counted in a category.
 *
 * It is by far the largest report (several times the input), so its rows are
 * put straight into the output buffer. The cells that repeat are escaped
 * once: the category and rule id once per rule (per cache: a thread can keep
 * one from session to session), the session id and each speaker's label and
 * role once per session, the utterance's leading cells and its line once per
 * utterance. A row is then a few copies and the match text's cell, with the
 * same bytes csv_text, csv_uint and csv_long would give. */
#include "writers/csv.h"
#include "writers/reports.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void matches_csv_header(buf *out)
{
    buf_adds(out, "session_id,utterance,speaker,role,category,rule,text,line\n");
}

/* Where a run of escaped cells lies in one of the cache's buffers. */
typedef struct cell_span {
    size_t off, len;
} cell_span;

/* The "category,rule," cells of one rule. */
typedef struct rule_cells {
    cell_span cells;
} rule_cells;

struct matches_cache {
    const lexicon *lx;
    buf rule_text;            /* "category,rule," of each rule met, back to back */
    uint32_t *rule_slot;      /* per lexicon rule: 1 + its index in rules[], 0 before its first use */
    rule_cells *rules;
    size_t n_rules, cap_rules;
    /* the current session's */
    buf session_text;         /* its id, then "label,role," per speaker */
    cell_span session_id;
    cell_span *speakers;
    size_t cap_speakers;
    buf head;                 /* the current utterance's "id,utterance,label,role," */
    buf tail;                 /* and its ",line\n" (",\n" when the line is unknown) */
};

/* Spans of up to SPAN_COPY bytes are copied as one fixed-size block (a
 * couple of moves, not a call to memcpy per cell): every buffer spans are
 * taken from keeps SPAN_COPY zeroed bytes after its end, and every row is
 * given SPAN_COPY bytes of room more than it can take. */
#define SPAN_COPY 32

static void keep_slack(buf *b)
{
    memset(csv_reserve(b, SPAN_COPY), 0, SPAN_COPY);
}

static inline char *put_span(char *dst, const char *src, size_t n)
{
    if (n <= SPAN_COPY) memcpy(dst, src, SPAN_COPY);
    else memcpy(dst, src, n);
    return dst + n;
}

/* Append the text cell of s, and `sep` when not 0, to b. */
static cell_span add_cell(buf *b, const char *s, char sep)
{
    size_t n = strlen(s);
    char *p = csv_reserve(b, CSV_TEXT_ROOM(n) + 1), *start = p;
    p += csv_put_text(p, s, n);
    if (sep) *p++ = sep;
    cell_span span = {b->len, (size_t)(p - start)};
    csv_commit(b, p);
    keep_slack(b);
    return span;
}

matches_cache *matches_cache_new(const lexicon *lx)
{
    matches_cache *c = xcalloc(1, sizeof *c);
    c->lx = lx;
    size_t n_rules = lexicon_rule_count(lx);
    c->rule_slot = xcalloc(n_rules ? n_rules : 1, sizeof *c->rule_slot);
    return c;
}

void matches_cache_free(matches_cache *c)
{
    if (!c) return;
    buf_free(&c->rule_text);
    free(c->rule_slot);
    free(c->rules);
    buf_free(&c->session_text);
    free(c->speakers);
    buf_free(&c->head);
    buf_free(&c->tail);
    free(c);
}

/* Escape the "category,rule," cells of a match's rule on the rule's first
 * use (a rule belongs to one category, so its cells never change). */
static cell_span make_rule_cells(matches_cache *c, const match_record *m)
{
    c->rules = xgrow(c->rules, &c->cap_rules, c->n_rules + 1, sizeof *c->rules);
    uint32_t slot = (uint32_t)++c->n_rules;
    c->rule_slot[m->rule] = slot;
    cell_span category = add_cell(&c->rule_text, lexicon_category_name(c->lx, m->category), ',');
    cell_span rule = add_cell(&c->rule_text, lexicon_rule_id(c->lx, m->rule), ',');
    rule_cells *rc = &c->rules[slot - 1];
    rc->cells = (cell_span){category.off, category.len + rule.len};
    return rc->cells;
}

/* The "category,rule," cells of a match. */
static inline cell_span cells_of_rule(matches_cache *c, const match_record *m)
{
    uint32_t slot = c->rule_slot[m->rule];
    return slot ? c->rules[slot - 1].cells : make_rule_cells(c, m);
}

/* Escape the session id and every speaker's "label,role,". */
static void start_session(matches_cache *c, const session *s)
{
    buf_clear(&c->session_text);
    c->session_id = add_cell(&c->session_text, s->id, 0);
    c->speakers = xgrow(c->speakers, &c->cap_speakers, s->n_speakers, sizeof *c->speakers);
    for (size_t i = 0; i < s->n_speakers; i++) {
        cell_span label = add_cell(&c->session_text, s->speakers[i].label, ',');
        cell_span role = add_cell(&c->session_text, role_name(s->speakers[i].role), ',');
        c->speakers[i] = (cell_span){label.off, label.len + role.len};
    }
}

static const utterance *utterance_of(const session *s, const session_result *r, size_t no)
{
    return &s->utts[r->utts[no - 1].index];
}

/* The cells around the match of every row of utterance number `no`. */
static void start_utterance(matches_cache *c, const session *s, const session_result *r, size_t no)
{
    const utterance *u = utterance_of(s, r, no);
    cell_span speaker = c->speakers[u->speaker];
    buf_clear(&c->head);
    char *p = csv_reserve(&c->head, c->session_id.len + 1 + CSV_NUMBER_ROOM + 1 + speaker.len);
    memcpy(p, c->session_text.data + c->session_id.off, c->session_id.len);
    p += c->session_id.len;
    *p++ = ',';
    p += csv_put_uint(p, no);
    *p++ = ',';
    memcpy(p, c->session_text.data + speaker.off, speaker.len);
    csv_commit(&c->head, p + speaker.len);
    keep_slack(&c->head);

    buf_clear(&c->tail);
    p = csv_reserve(&c->tail, 1 + CSV_NUMBER_ROOM + 1);
    *p++ = ',';
    if (u->line > 0) p += csv_put_long(p, u->line);
    *p++ = '\n';
    csv_commit(&c->tail, p);
    keep_slack(&c->tail);
}

static size_t decimal_digits(unsigned long long v)
{
    size_t n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

/* The bytes the session's rows take at most (each text cell counted at its
 * largest), making the rule cells on the way: the output is grown once per
 * session rather than row by row. */
static size_t rows_room(matches_cache *c, const session *s, const session_result *r)
{
    size_t room = 0, utt_no = 0, around = 0;
    for (size_t i = 0; i < r->n_matches; i++) {
        const match_record *m = &r->matches[i];
        if (m->utterance != utt_no) {
            utt_no = m->utterance;
            const utterance *u = utterance_of(s, r, utt_no);
            around = c->session_id.len + 1 + decimal_digits(utt_no) + 1 + c->speakers[u->speaker].len +
                     1 + (u->line > 0 ? decimal_digits((unsigned long long)u->line) : 0) + 1;
        }
        room += around + cells_of_rule(c, m).len + CSV_TEXT_ROOM(m->text_len);
    }
    return room;
}

void matches_csv_rows_cached(buf *out, const session *s, const session_result *r, matches_cache *c)
{
    if (!r->n_matches) return;
    start_session(c, s);
    csv_reserve(out, rows_room(c, s, r) + SPAN_COPY);
    size_t utt_no = 0;
    for (size_t i = 0; i < r->n_matches; i++) {
        const match_record *m = &r->matches[i];
        if (m->utterance != utt_no) {
            utt_no = m->utterance;
            start_utterance(c, s, r, utt_no);
        }
        cell_span rule = cells_of_rule(c, m);
        char *p = csv_reserve(out, c->head.len + rule.len + CSV_TEXT_ROOM(m->text_len) + c->tail.len + SPAN_COPY);
        p = put_span(p, c->head.data, c->head.len);
        p = put_span(p, c->rule_text.data + rule.off, rule.len);
        p += csv_put_text(p, match_record_text(r, m), m->text_len);
        csv_commit(out, put_span(p, c->tail.data, c->tail.len));
    }
}

void matches_csv_rows(buf *out, const session *s, const session_result *r, const lexicon *lx)
{
    if (!r->n_matches) return;
    matches_cache *c = matches_cache_new(lx);
    matches_csv_rows_cached(out, s, r, c);
    matches_cache_free(c);
}
