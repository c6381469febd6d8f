/* regex_literals.c: the literals a regex's every match must contain (see
 * regex_literals.h).
 *
 * The pattern is read by recursive descent. Every part of it yields
 *   exact    when known: a small finite set holding every string the part can
 *            match (it stops being known past SET_MAX strings);
 *   clauses  sets of literals: every match of the part contains at least one
 *            literal of each of its clauses.
 * A literal character is exact {c}; an assertion (\b, ^, a lookaround) is
 * exact {""}; a class or an escape like \w is not known. A sequence
 * multiplies the exact sets of neighbouring parts into longer strings while
 * the product stays small; each product is a clause of the sequence, and so
 * is every clause of its parts. An alternation's clause is the union of the
 * best clause of each branch. A quantifier whose minimum is 0 forgets
 * everything (the part may be absent); with a minimum of 1 the part's
 * clauses still hold.
 *
 * Word boundaries. Each part is read knowing whether a word boundary holds
 * where it starts ("boundary": the subject's start, after a character that
 * is not a word character, or where \b holds), and tells whether one holds
 * where it ends. Every string of an exact set carries at_boundary: a
 * boundary holds where that string starts. A product keeps the flag of its
 * first string, or of the second when the first is empty (both start at the
 * same place).
 *
 * Anchored starts. A part also tells whether every match starts at the
 * subject's start (^ or \A before anything that consumes text) and, when it
 * is not exact, a small set of strings every match starts with ("starts").
 * In a sequence those grow while the parts are exact; an optional part adds
 * its starts and lets the ones before it go on past it. */
#include "analysis/regex_literals.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SET_MAX 64         /* strings in a known exact set */
#define CLAUSE_MAX 256     /* literals in one clause */
#define LITERAL_MAX REGEX_LITERAL_MAX   /* bytes in one string */
#define REPEAT_MAX 0xFFFFu /* "no upper bound" for quantifiers */

typedef struct part {
    int known;
    regex_clause exact;   /* meaningful when known */
    regex_clause clause[REGEX_MAX_CLAUSES];
    size_t nclauses;
    int boundary_after;   /* a word boundary holds where every match ends */
    int anchored;         /* every match starts at the start of the subject */
    int optional;         /* it may match nothing (a quantifier with minimum 0) */
    int starts_known;     /* when not known: every match starts with one of starts */
    regex_clause starts;
} part;

typedef struct reader {
    const char *p;
    size_t n, i;
    int gave_up;          /* met syntax outside the understood subset */
} reader;

/* ---- sets of strings (a regex_clause doubles as the set type) ---- */

static void set_free(regex_clause *s)
{
    free(s->lit);
    memset(s, 0, sizeof *s);
}

/* Add a string of at most LITERAL_MAX bytes (one character, or a product:
 * set_product keeps to that); when it is there already, it keeps
 * at_boundary only if both have it. */
static void set_add(regex_clause *s, const char *str, size_t len, int at_boundary)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->lit[i].len == len && memcmp(s->lit[i].s, str, len) == 0) {
            s->lit[i].at_boundary = s->lit[i].at_boundary && at_boundary;
            return;
        }
    }
    s->lit = xgrow(s->lit, &s->cap, s->n + 1, sizeof *s->lit);
    memcpy(s->lit[s->n].s, str, len);
    s->lit[s->n].s[len] = '\0';
    s->lit[s->n].len = len;
    s->lit[s->n].at_boundary = at_boundary != 0;
    s->n++;
}

static void set_add_all(regex_clause *dst, const regex_clause *src)
{
    for (size_t i = 0; i < src->n; i++) set_add(dst, src->lit[i].s, src->lit[i].len, src->lit[i].at_boundary);
}

/* A set's strings are distinct, so a copy needs no search. */
static void set_copy(regex_clause *dst, const regex_clause *src)
{
    memset(dst, 0, sizeof *dst);
    if (!src->n) return;
    dst->lit = xgrow(NULL, &dst->cap, src->n, sizeof *dst->lit);
    memcpy(dst->lit, src->lit, src->n * sizeof *dst->lit);
    dst->n = src->n;
}

static void set_move(regex_clause *dst, regex_clause *src)
{
    *dst = *src;
    memset(src, 0, sizeof *src);
}

static void set_of_empty(regex_clause *s, int at_boundary)
{
    memset(s, 0, sizeof *s);
    set_add(s, "", 0, at_boundary);
}

static int set_equal(const regex_clause *a, const regex_clause *b)
{
    if (a->n != b->n) return 0;
    for (size_t i = 0; i < a->n; i++) {
        size_t j = 0;
        while (j < b->n && !(b->lit[j].len == a->lit[i].len && memcmp(b->lit[j].s, a->lit[i].s, a->lit[i].len) == 0))
            j++;
        if (j == b->n) return 0;
    }
    return 1;
}

static int set_has_empty(const regex_clause *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (!s->lit[i].len) return 1;
    return 0;
}

/* Every string of a followed by every string of b; -1 (and *out empty) when
 * the result would be too big. A joined string starts where its string of a
 * does, so it has a's at_boundary, or also b's when a's is empty. */
static int set_product(const regex_clause *a, const regex_clause *b, regex_clause *out)
{
    memset(out, 0, sizeof *out);
    if (a->n * b->n > SET_MAX) return -1;
    if (a->n && b->n) out->lit = xgrow(NULL, &out->cap, a->n * b->n, sizeof *out->lit);   /* room for all */
    char joined[2 * LITERAL_MAX];
    for (size_t i = 0; i < a->n; i++) {
        for (size_t j = 0; j < b->n; j++) {
            size_t la = a->lit[i].len, lb = b->lit[j].len;
            if (la + lb > LITERAL_MAX) {
                set_free(out);
                return -1;
            }
            memcpy(joined, a->lit[i].s, la);
            memcpy(joined + la, b->lit[j].s, lb);
            int at_boundary = a->lit[i].at_boundary || (la == 0 && b->lit[j].at_boundary);
            set_add(out, joined, la + lb, at_boundary);
        }
    }
    return 0;
}

/* set_product of a and b into a. When b has one string (most often: a
 * character of a literal), a's strings are extended in place: the same
 * ending keeps them distinct. On -1, a is as it was. */
static int set_extend(regex_clause *a, const regex_clause *b)
{
    if (b->n != 1) {
        regex_clause product;
        if (set_product(a, b, &product) < 0) return -1;
        set_free(a);
        set_move(a, &product);
        return 0;
    }
    const regex_literal *end = &b->lit[0];
    if (a->n > SET_MAX) return -1;
    for (size_t i = 0; i < a->n; i++)
        if (a->lit[i].len + end->len > LITERAL_MAX) return -1;
    for (size_t i = 0; i < a->n; i++) {
        regex_literal *l = &a->lit[i];
        l->at_boundary = l->at_boundary || (l->len == 0 && end->at_boundary);
        memcpy(l->s + l->len, end->s, end->len + 1);
        l->len += end->len;
    }
    return 0;
}

/* How selective a clause is: the length of its shortest literal, or 0 when
 * it cannot be used (empty, too big, or a literal shorter than the scan). */
static size_t clause_score(const regex_clause *c)
{
    if (!c->n || c->n > CLAUSE_MAX) return 0;
    size_t shortest = SIZE_MAX;
    for (size_t i = 0; i < c->n; i++)
        if (c->lit[i].len < shortest) shortest = c->lit[i].len;
    return shortest >= REGEX_LITERAL_MIN ? shortest : 0;
}

static int clause_better(const regex_clause *a, const regex_clause *b)
{
    size_t sa = clause_score(a), sb = clause_score(b);
    return sa != sb ? sa > sb : a->n < b->n;
}

/* ---- parts ---- */

/* Nonzero for the ASCII characters PCRE2 counts as word characters. */
static int is_word_ascii(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static void part_unknown(part *x)
{
    memset(x, 0, sizeof *x);
}

/* A part that matches only the empty string, where a boundary holds as
 * much as it did before it. */
static void part_empty(part *x, int boundary)
{
    memset(x, 0, sizeof *x);
    x->known = 1;
    set_of_empty(&x->exact, boundary);
    x->boundary_after = boundary;
}

/* \b, ^ or \A: matches the empty string where a boundary holds. */
static void part_boundary(part *x, int anchored)
{
    part_empty(x, 1);
    x->anchored = anchored;
}

/* One character (len bytes of UTF-8); only an ASCII one that is not a word
 * character is known to leave a boundary after it. */
static void part_literal(part *x, const char *s, size_t len, int boundary)
{
    memset(x, 0, sizeof *x);
    x->known = 1;
    set_add(&x->exact, s, len, boundary);
    x->boundary_after = len == 1 && !((unsigned char)s[0] & 0x80) && !is_word_ascii((unsigned char)s[0]);
}

static void part_forget_exact(part *x)
{
    set_free(&x->exact);
    x->known = 0;
}

static void part_forget_clauses(part *x)
{
    for (size_t k = 0; k < x->nclauses; k++) set_free(&x->clause[k]);
    x->nclauses = 0;
}

static void part_forget_starts(part *x)
{
    set_free(&x->starts);
    x->starts_known = 0;
}

static void part_free(part *x)
{
    part_forget_exact(x);
    part_forget_clauses(x);
    part_forget_starts(x);
}

/* A copy of the strings every match of x starts with: its exact set when
 * known, else its starts; 0 when neither is known. */
static int part_starts(const part *x, regex_clause *out)
{
    memset(out, 0, sizeof *out);
    if (x->known) set_copy(out, &x->exact);
    else if (x->starts_known) set_copy(out, &x->starts);
    else return 0;
    return 1;
}

/* Before x stops being exact (a quantifier), keep its exact set as its starts. */
static void part_keep_starts(part *x)
{
    if (!x->known) return;
    part_forget_starts(x);
    set_copy(&x->starts, &x->exact);
    x->starts_known = 1;
}

/* Take c over as a clause of x if it is usable and among the best kept. */
static void part_offer(part *x, regex_clause *c)
{
    if (!clause_score(c)) {
        set_free(c);
        return;
    }
    for (size_t k = 0; k < x->nclauses; k++) {
        if (set_equal(&x->clause[k], c)) {
            set_free(c);
            return;
        }
    }
    if (x->nclauses < REGEX_MAX_CLAUSES) {
        set_move(&x->clause[x->nclauses++], c);
        return;
    }
    size_t worst = 0;
    for (size_t k = 1; k < x->nclauses; k++)
        if (clause_better(&x->clause[worst], &x->clause[k])) worst = k;
    if (clause_better(c, &x->clause[worst])) {
        set_free(&x->clause[worst]);
        set_move(&x->clause[worst], c);
    } else {
        set_free(c);
    }
}

static void part_offer_exact(part *x)
{
    if (!x->known) return;
    regex_clause c;
    set_copy(&c, &x->exact);
    part_offer(x, &c);
}

/* A copy of x's best clause, its exact set included; 0 when it has none. */
static int part_best(const part *x, regex_clause *out)
{
    const regex_clause *best = NULL;
    if (x->known && clause_score(&x->exact)) best = &x->exact;
    for (size_t k = 0; k < x->nclauses; k++)
        if (!best || clause_better(&x->clause[k], best)) best = &x->clause[k];
    if (!best) {
        memset(out, 0, sizeof *out);
        return 0;
    }
    set_copy(out, best);
    return 1;
}

/* ---- reading the pattern ---- */

static void read_alternation(reader *r, part *out, int boundary);

static int peek(const reader *r)
{
    return r->i < r->n ? (unsigned char)r->p[r->i] : -1;
}

static int peek_at(const reader *r, size_t ahead)
{
    return r->i + ahead < r->n ? (unsigned char)r->p[r->i + ahead] : -1;
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_alnum(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Past a [...] class; what it matches is not tracked. */
static void skip_class(reader *r)
{
    r->i++;
    if (peek(r) == '^') r->i++;
    if (peek(r) == ']') r->i++;   /* a ] first is a literal */
    while (r->i < r->n) {
        int c = peek(r);
        if (c == ']') {
            r->i++;
            return;
        }
        if (c == '\\') {
            int next = peek_at(r, 1);
            if (next == 'Q' || next == 'E' || next < 0) break;
            r->i += 2;
        } else if (c == '[' && (peek_at(r, 1) == ':' || peek_at(r, 1) == '.' || peek_at(r, 1) == '=')) {
            char kind = (char)peek_at(r, 1);
            size_t j = r->i + 2;
            while (j + 1 < r->n && !(r->p[j] == kind && r->p[j + 1] == ']')) j++;
            if (j + 1 >= r->n) break;
            r->i = j + 2;
        } else {
            r->i++;
        }
    }
    r->gave_up = 1;
}

/* \p{...} or \pL: skip the property name. */
static void skip_property(reader *r)
{
    if (peek(r) == '{') {
        while (r->i < r->n && r->p[r->i] != '}') r->i++;
        if (r->i >= r->n) r->gave_up = 1;
        else r->i++;
    } else if (r->i < r->n) {
        r->i++;
    } else {
        r->gave_up = 1;
    }
}

static void read_escape(reader *r, part *x, int boundary)
{
    part_unknown(x);
    r->i++;
    if (r->i >= r->n) {
        r->gave_up = 1;
        return;
    }
    int c = (unsigned char)r->p[r->i++];
    switch (c) {
    case 'b':
        part_boundary(x, 0);
        return;
    case 'A':
        part_boundary(x, 1);
        return;
    case 'B':   /* where a word character follows, the one before is one too */
        part_empty(x, boundary);
        x->boundary_after = 0;
        return;
    case 'z': case 'Z': case 'G':
        part_empty(x, boundary);
        return;
    case 'W': case 's': case 'h': case 'v': case 'R':   /* never a word character */
        x->boundary_after = 1;
        return;
    case 'd': case 'D': case 'w': case 'S': case 'H': case 'V': case 'X':
        return;
    case 'N':
        if (peek(r) == '{') r->gave_up = 1;   /* \N{U+...} */
        return;
    case 'p': case 'P':
        skip_property(r);
        return;
    case 'n': part_literal(x, "\n", 1, boundary); return;
    case 't': part_literal(x, "\t", 1, boundary); return;
    case 'r': part_literal(x, "\r", 1, boundary); return;
    case 'f': part_literal(x, "\f", 1, boundary); return;
    case 'e': part_literal(x, "\x1b", 1, boundary); return;
    case 'a': part_literal(x, "\a", 1, boundary); return;
    default:
        break;
    }
    if (c < 0x80 && !is_alnum(c)) {   /* \. \- \' \/ and the like: the character itself */
        char lit = (char)c;
        part_literal(x, &lit, 1, boundary);
        return;
    }
    r->gave_up = 1;   /* back references, \x, \o, \c, \g, \k, \K, \Q, \E, ... */
}

/* After "(?<" or "(?P<" or "(?'": the group name and its closing quote. */
static int skip_group_name(reader *r, char close)
{
    size_t j = r->i;
    while (j < r->n && (is_alnum((unsigned char)r->p[j]) || r->p[j] == '_')) j++;
    if (j == r->i || j >= r->n || r->p[j] != close) return -1;
    r->i = j + 1;
    return 0;
}

static void read_group(reader *r, part *x, int boundary)
{
    int lookaround = 0;
    part_unknown(x);
    int c1 = peek_at(r, 1), c2 = peek_at(r, 2), c3 = peek_at(r, 3);
    if (c1 == '*') {   /* (*VERB), (*UTF), (*pla:...) and other starred forms */
        r->gave_up = 1;
        return;
    }
    if (c1 != '?') {
        r->i += 1;   /* a capturing group */
    } else if (c2 == ':' || c2 == '>' || c2 == '|') {
        r->i += 3;   /* non-capturing, atomic (matches a subset), branch reset */
    } else if (c2 == '=' || c2 == '!') {
        r->i += 3;
        lookaround = 1;
    } else if (c2 == '<' && (c3 == '=' || c3 == '!')) {
        r->i += 4;
        lookaround = 1;
    } else if (c2 == '<' || c2 == '\'') {
        r->i += 3;
        if (skip_group_name(r, c2 == '<' ? '>' : '\'') < 0) r->gave_up = 1;
    } else if (c2 == 'P' && c3 == '<') {
        r->i += 4;
        if (skip_group_name(r, '>') < 0) r->gave_up = 1;
    } else {   /* option settings, comments, recursion, conditions, callouts */
        r->gave_up = 1;
    }
    if (r->gave_up) return;
    part inner;
    read_alternation(r, &inner, boundary);
    if (r->gave_up || peek(r) != ')') {
        part_free(&inner);
        r->gave_up = 1;
        return;
    }
    r->i++;
    if (lookaround) {   /* zero-width; what it looks at need not be in the match */
        part_free(&inner);
        part_empty(x, boundary);
        return;
    }
    *x = inner;
}

static size_t utf8_sequence_length(unsigned char c)
{
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static void read_atom(reader *r, part *x, int boundary)
{
    part_unknown(x);
    int c = peek(r);
    switch (c) {
    case '(': read_group(r, x, boundary); return;
    case '[': skip_class(r); return;
    case '\\': read_escape(r, x, boundary); return;
    case '.': r->i++; return;
    case '^': r->i++; part_boundary(x, 1); return;   /* no multiline: the subject's start */
    case '$': r->i++; part_empty(x, boundary); return;
    case '*': case '+': case '?': case '{': r->gave_up = 1; return;
    default: break;
    }
    size_t len = utf8_sequence_length((unsigned char)c);   /* one whole character */
    if (r->i + len > r->n) {
        r->gave_up = 1;
        return;
    }
    part_literal(x, r->p + r->i, len, boundary);
    r->i += len;
}

static unsigned read_number(reader *r, size_t *digits)
{
    unsigned v = 0;
    *digits = 0;
    while (is_digit(peek(r))) {
        v = v * 10 + (unsigned)(peek(r) - '0');
        if (v > REPEAT_MAX) v = REPEAT_MAX;
        r->i++;
        (*digits)++;
    }
    return v;
}

/* A quantifier, if one follows: ? * + {n} {n,} {n,m}, then an optional lazy
 * ? or possessive + (neither changes which strings can match). */
static int read_quantifier(reader *r, unsigned *min, unsigned *max)
{
    int c = peek(r);
    if (c == '?') *min = 0, *max = 1, r->i++;
    else if (c == '*') *min = 0, *max = REPEAT_MAX, r->i++;
    else if (c == '+') *min = 1, *max = REPEAT_MAX, r->i++;
    else if (c == '{') {
        size_t digits;
        r->i++;
        *min = read_number(r, &digits);
        if (!digits) goto not_understood;   /* "{,n}" and literal braces */
        if (peek(r) == '}') {
            *max = *min;
        } else if (peek(r) == ',') {
            r->i++;
            *max = read_number(r, &digits);
            if (!digits) *max = REPEAT_MAX;
            if (peek(r) != '}') goto not_understood;
        } else {
            goto not_understood;
        }
        r->i++;
    } else {
        return 0;
    }
    if (peek(r) == '?' || peek(r) == '+') r->i++;
    return 1;
not_understood:
    r->gave_up = 1;
    return 0;
}

/* `boundary` is whether one holds where x starts. Every repetition after the
 * first starts where one ended, and ends as the first did (whether a boundary
 * holds at a part's end is false, true, or as at its start). */
static void apply_quantifier(part *x, unsigned min, unsigned max, int boundary)
{
    if (max == 0) {
        part_free(x);
        part_empty(x, boundary);
    } else if (min == 0) {
        part_keep_starts(x);
        part_forget_clauses(x);
        if (x->known && max == 1) set_add(&x->exact, "", 0, boundary);
        else part_forget_exact(x);
        x->optional = 1;
        x->anchored = 0;
        x->boundary_after = x->boundary_after && boundary;
    } else if (!(min == 1 && max == 1)) {
        part_keep_starts(x);
        part_offer_exact(x);   /* the first repetition is one of these */
        part_forget_exact(x);
    }
}

static void read_repeat(reader *r, part *x, int boundary)
{
    read_atom(r, x, boundary);
    unsigned min, max;
    while (!r->gave_up && read_quantifier(r, &min, &max)) apply_quantifier(x, min, max, boundary);
}

/* The strings a sequence's matches start with, followed part by part:
 * `open` holds the starts of the parts so far while they are all exact
 * (each may still grow), `done` the ones that can no longer grow. */
typedef struct starts_walk {
    regex_clause open, done;
    int is_open;
    int lost;   /* too many strings: nothing is known */
} starts_walk;

static void starts_close(starts_walk *w)
{
    set_add_all(&w->done, &w->open);
    set_free(&w->open);
    w->is_open = 0;
}

static void starts_follow(starts_walk *w, const part *x)
{
    if (!w->is_open || w->lost) return;
    regex_clause joined;
    if (x->known) {
        if (set_extend(&w->open, &x->exact) < 0) starts_close(w);
    } else {
        /* the match goes on into x: it starts with open then x's starts */
        if (x->starts_known && set_product(&w->open, &x->starts, &joined) == 0) {
            set_add_all(&w->done, &joined);
            set_free(&joined);
        } else {
            set_add_all(&w->done, &w->open);
        }
        if (!x->optional) {   /* else open goes on past an empty x */
            set_free(&w->open);
            w->is_open = 0;
        }
    }
    if (w->done.n > SET_MAX) w->lost = 1;
}

static void read_sequence(reader *r, part *out, int boundary)
{
    regex_clause run;   /* product of the current stretch of known parts */
    part_empty(out, boundary);
    set_of_empty(&run, boundary);
    starts_walk w = {.is_open = 1};
    set_of_empty(&w.open, 0);
    int only_empty = 1;   /* every part so far matches only "" */
    int anchored = 0;
    while (!r->gave_up && r->i < r->n && peek(r) != '|' && peek(r) != ')') {
        part x;
        read_repeat(r, &x, boundary);
        if (r->gave_up) {
            part_free(&x);
            break;
        }
        if (only_empty && x.anchored) anchored = 1;
        only_empty = only_empty && x.known && x.exact.n == 1 && x.exact.lit[0].len == 0;
        starts_follow(&w, &x);
        boundary = x.boundary_after;
        for (size_t k = 0; k < x.nclauses; k++) part_offer(out, &x.clause[k]);
        x.nclauses = 0;
        if (out->known && !(x.known && set_extend(&out->exact, &x.exact) == 0)) part_forget_exact(out);
        if (!(x.known && set_extend(&run, &x.exact) == 0)) {
            part_offer(out, &run);
            if (x.known) set_move(&run, &x.exact);
            else set_of_empty(&run, boundary);
        }
        part_free(&x);
    }
    if (out->known) set_free(&run);   /* the same as out->exact */
    else part_offer(out, &run);
    out->boundary_after = boundary;
    out->anchored = anchored;
    if (w.is_open) starts_close(&w);
    if (!out->known && !w.lost && w.done.n <= SET_MAX) {
        set_move(&out->starts, &w.done);
        out->starts_known = 1;
    }
    set_free(&w.done);
}

static void read_alternation(reader *r, part *out, int boundary)
{
    read_sequence(r, out, boundary);
    if (peek(r) != '|') return;
    regex_clause any, starts;
    int have_any = part_best(out, &any);
    int have_starts = part_starts(out, &starts);
    while (!r->gave_up && peek(r) == '|') {
        r->i++;
        part branch;
        read_sequence(r, &branch, boundary);
        if (out->known && branch.known && out->exact.n + branch.exact.n <= SET_MAX) {
            set_add_all(&out->exact, &branch.exact);
        } else {
            part_forget_exact(out);
        }
        regex_clause best;
        if (have_any && part_best(&branch, &best)) {
            set_add_all(&any, &best);
            set_free(&best);
        } else if (have_any) {
            set_free(&any);
            have_any = 0;
        }
        if (have_starts && part_starts(&branch, &best) && starts.n + best.n <= SET_MAX) {
            set_add_all(&starts, &best);
            set_free(&best);
        } else if (have_starts) {
            set_free(&best);
            set_free(&starts);
            have_starts = 0;
        }
        out->anchored = out->anchored && branch.anchored;
        out->boundary_after = out->boundary_after && branch.boundary_after;
        part_free(&branch);
    }
    part_forget_clauses(out);
    if (have_any) part_offer(out, &any);
    part_forget_starts(out);
    if (have_starts) {
        set_move(&out->starts, &starts);
        out->starts_known = 1;
    }
}

static int contains(const regex_literal *hay, const regex_literal *needle)
{
    /* the first bytes compared before memcmp (an empty needle's is its NUL,
     * found at the end of hay at the latest) */
    for (size_t i = 0; i + needle->len <= hay->len; i++)
        if (hay->s[i] == needle->s[0] && memcmp(hay->s + i, needle->s, needle->len) == 0) return 1;
    return 0;
}

/* Whether needle, inside hay, is sure to start at a boundary: at hay's
 * start when hay is, or right after a character of hay that is not a word
 * character. */
static int contains_at_boundary(const regex_literal *hay, const regex_literal *needle)
{
    for (size_t i = 0; i + needle->len <= hay->len; i++) {
        if (memcmp(hay->s + i, needle->s, needle->len) != 0) continue;
        if (i == 0 ? hay->at_boundary : !((unsigned char)hay->s[i - 1] & 0x80) &&
                                            !is_word_ascii((unsigned char)hay->s[i - 1]))
            return 1;
    }
    return 0;
}

/* Drop every literal that contains another literal of the clause: wherever
 * it occurs, the shorter one occurs too, so the clause holds just the same.
 * Every literal is judged against the whole clause before any is dropped. A
 * kept literal inside a dropped one loses at_boundary unless it is sure to
 * start at a boundary there too. */
static void drop_redundant_literals(regex_clause *c)
{
    unsigned char *drop = xcalloc(c->n ? c->n : 1, 1);
    for (size_t i = 0; i < c->n; i++)
        for (size_t j = 0; j < c->n && !drop[i]; j++)
            drop[i] = j != i && c->lit[j].len < c->lit[i].len && contains(&c->lit[i], &c->lit[j]);
    for (size_t i = 0; i < c->n; i++) {
        if (!drop[i]) continue;
        for (size_t j = 0; j < c->n; j++)
            if (!drop[j] && c->lit[j].at_boundary && contains(&c->lit[i], &c->lit[j]) &&
                !contains_at_boundary(&c->lit[i], &c->lit[j]))
                c->lit[j].at_boundary = 0;
    }
    size_t kept = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (!drop[i]) c->lit[kept++] = c->lit[i];
    }
    c->n = kept;
    free(drop);
}

void regex_requirement_analyse(const char *pattern, size_t len, regex_requirement *req)
{
    memset(req, 0, sizeof *req);
    reader r = {pattern, len, 0, 0};
    part top;
    read_alternation(&r, &top, 0);
    if (!r.gave_up && r.i == r.n) {
        part_offer_exact(&top);
        while (top.nclauses) {   /* best first */
            size_t best = 0;
            for (size_t k = 1; k < top.nclauses; k++)
                if (clause_better(&top.clause[k], &top.clause[best])) best = k;
            drop_redundant_literals(&top.clause[best]);
            set_move(&req->clause[req->n++], &top.clause[best]);
            top.clause[best] = top.clause[--top.nclauses];
        }
        req->anchored = top.anchored;
        regex_clause starts;
        if (top.anchored && part_starts(&top, &starts)) {
            if (starts.n && !set_has_empty(&starts)) set_move(&req->start, &starts);
            else set_free(&starts);
        }
    }
    part_free(&top);
}

void regex_requirement_free(regex_requirement *req)
{
    for (size_t k = 0; k < req->n; k++) set_free(&req->clause[k]);
    req->n = 0;
    set_free(&req->start);
}

/* ---- a run of filler words ---- */

static int is_filler_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'' || c == '-';
}

/* The words of "(?:(?:" ALTERNATIVES ") )" starting at p[i] into words;
 * returns the index past the group's closing ")", or 0 when it is not of
 * that shape. */
static size_t read_filler_group(const char *p, size_t n, size_t i, regex_clause *words)
{
    static const char open[] = "(?:(?:", close[] = ") )";
    if (n - i < sizeof open - 1 || memcmp(p + i, open, sizeof open - 1) != 0) return 0;
    i += sizeof open - 1;
    size_t word = i;
    for (; i < n && p[i] != ')'; i++) {
        if (is_filler_byte(p[i])) continue;
        if ((p[i] != '|' && p[i] != ' ') || i == word || i - word > REGEX_LITERAL_MAX) return 0;
        set_add(words, p + word, i - word, 1);
        word = i + 1;
    }
    if (i == word || i - word > REGEX_LITERAL_MAX || n - i < sizeof close - 1 ||
        memcmp(p + i, close, sizeof close - 1) != 0)
        return 0;
    set_add(words, p + word, i - word, 1);
    return i + sizeof close - 1;
}

/* Whether s[0..n) has a | outside groups and classes: a pattern
 * "^(?:(?:so) )+go|^yes" matches "yes" with no filler word first. */
static int has_top_level_bar(const char *s, size_t n)
{
    size_t depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\') {
            i++;
        } else if (s[i] == '[') {   /* a class: up to its ], which may come first */
            i += i + 1 < n && s[i + 1] == '^' ? 2 : 1;
            if (i < n && s[i] == ']') i++;
            while (i < n && s[i] != ']') i += s[i] == '\\' ? 2 : 1;
        } else if (s[i] == '(') {
            depth++;
        } else if (s[i] == ')') {
            if (depth) depth--;
        } else if (s[i] == '|' && depth == 0) {
            return 1;
        }
    }
    return 0;
}

/* Where what follows a first word and its space starts in the rest p[0..n)
 * ("(?:do|does) " or "so ": a word, or a group of one-word alternatives,
 * and a single space, not repeated); 0 when the rest does not begin so. */
static size_t after_first_word(const char *p, size_t n)
{
    int group = n >= 3 && memcmp(p, "(?:", 3) == 0;
    size_t i = group ? 3 : 0;
    for (;;) {   /* a word, and in a group | and another */
        size_t word = i;
        while (i < n && is_filler_byte(p[i])) i++;
        if (i == word || i - word > REGEX_LITERAL_MAX) return 0;
        if (!group || i >= n || p[i] != '|') break;
        i++;
    }
    if (group) {
        if (i >= n || p[i] != ')') return 0;
        i++;
    }
    if (i >= n || p[i] != ' ') return 0;
    i++;
    /* a quantifier would make the space optional or repeat it */
    if (i < n && (p[i] == '*' || p[i] == '+' || p[i] == '?' || p[i] == '{')) return 0;
    return i;
}

/* The start strings of the pattern piece p[0..n) anchored where a word
 * starts ("^(?:PIECE)") into *starts, when they are known and each starts
 * with a byte a word can start with (none empty, none a space); returns
 * whether they were. */
static int word_start_strings(const char *p, size_t n, regex_clause *starts)
{
    buf piece = {0};
    buf_add(&piece, "^(?:", 4);
    buf_add(&piece, p, n);
    buf_addc(&piece, ')');
    regex_requirement req;
    regex_requirement_analyse(piece.data, piece.len, &req);
    buf_free(&piece);
    int known = req.start.n > 0;
    for (size_t k = 0; k < req.start.n; k++)
        if (req.start.lit[k].s[0] == ' ') known = 0;   /* a word cannot start there */
    if (known) set_move(starts, &req.start);
    regex_requirement_free(&req);
    return known;
}

/* Optional groups a word piece may hold: each doubles the ways it can
 * fail, so a few keep PCRE2 from ever giving up on one. */
#define WORD_PIECE_OPTIONAL_MAX 4

/* Whether the piece p[0..n) of a pattern can only match bytes a word can
 * hold and looks at nothing past them but through \b: literal word bytes,
 * groups "(?:" of alternatives ")" (each group maybe optional, "?", at
 * most WORD_PIECE_OPTIONAL_MAX of those), \b, and at its end one \S, \w
 * or \d, maybe quantified greedily (+, * or ?), then maybe \b. None of
 * those matches a space. So it matches at a word's start the same whether
 * the word stands alone or in a sentence, where a space or the end follows
 * it; and as nothing but \b follows its one repeat, PCRE2 has nothing to
 * backtrack into there and cannot give up in the sentence where it would
 * not on the word (a repeat followed by a literal can: where a later word
 * holds the literal, PCRE2 tries every length of the repeat). */
static int is_word_piece(const char *p, size_t n)
{
    size_t depth = 0, optional = 0;
    int class_seen = 0;   /* an \S, \w or \d: only \b may follow it */
    if (!n) return 0;
    for (size_t i = 0; i < n; i++) {
        int boundary = p[i] == '\\' && i + 1 < n && p[i + 1] == 'b';
        if (class_seen && !boundary) return 0;
        if (is_filler_byte(p[i])) continue;
        if (boundary) {
            i++;
        } else if (p[i] == '\\' && i + 1 < n && (p[i + 1] == 'S' || p[i + 1] == 'w' || p[i + 1] == 'd') &&
                   depth == 0) {
            i++;
            class_seen = 1;
            if (i + 1 < n && (p[i + 1] == '+' || p[i + 1] == '*' || p[i + 1] == '?')) i++;
            if (i + 1 < n && (p[i + 1] == '+' || p[i + 1] == '?')) return 0;   /* lazy, possessive */
        } else if (p[i] == '(' && n - i >= 3 && p[i + 1] == '?' && p[i + 2] == ':') {
            i += 2;
            depth++;
        } else if (p[i] == ')' && depth) {
            depth--;
            if (i + 1 < n && p[i + 1] == '?') {   /* an optional group, greedy */
                i++;
                if (++optional > WORD_PIECE_OPTIONAL_MAX) return 0;
            }
            if (i + 1 < n && (p[i + 1] == '?' || p[i + 1] == '+')) return 0;   /* lazy, possessive */
        } else if (p[i] == '|' && depth) {
            continue;
        } else {
            return 0;
        }
    }
    return depth == 0;
}

/* Whether every word of the filler group at p[i] ("(?:(?:" ALTERNATIVES
 * ") )", as read_filler_group takes it) is an alternative of one word:
 * then the run can stop after any of its words, as with one-word
 * alternatives alone ("and so" is "and" and then "so"). */
static int filler_words_stand_alone(const char *p, size_t n, size_t i)
{
    regex_clause single = {0}, all = {0};
    size_t from = i + 6, end = from;   /* past "(?:(?:" */
    while (end < n && p[end] != ')') end++;
    for (size_t a = from; a <= end; a++) {
        if (a < end && p[a] != '|') continue;
        size_t k = from, spaced = 0;
        for (; k < a; k++) spaced |= p[k] == ' ';
        if (!spaced) set_add(&single, p + from, a - from, 1);
        for (size_t w = from, j = from; j <= a; j++)
            if (j == a || p[j] == ' ') {
                set_add(&all, p + w, j - w, 1);
                w = j + 1;
            }
        from = a + 1;
    }
    int alone = single.n == all.n;   /* every word already one of the single ones */
    set_free(&single);
    set_free(&all);
    return alone;
}

/* Fill out's word_by_word part for the rest p[0..n) of a filler pattern
 * whose group starts at group and whose run is quantified by q (q[0] the
 * quantifier). */
static void word_by_word_rest(const char *pattern, size_t group, const char *q, const char *p, size_t n,
                              regex_filler *out)
{
    if (q[1] == '+' || q[1] == '?') return;   /* lazy or possessive: another order */
    if (!filler_words_stand_alone(pattern, (size_t)(p - pattern), group)) return;
    /* with ?, the one pass of the group may take an alternative of two
     * words ("and so "), which no single filler word stands for */
    if (q[0] == '?' && memchr(pattern + group, ' ', (size_t)(q - pattern - group) - 2)) return;
    size_t more = after_first_word(p, n);
    if (memchr(p, ' ', n) == NULL) {
        if (!is_word_piece(p, n)) return;
        out->first_piece = xstrndup(p, n);
    } else {
        if (!more || more >= n || memchr(p + more, ' ', n - more) || !is_word_piece(p + more, n - more)) return;
        out->first_piece = xstrndup(p, more - 1);   /* without its space */
        out->second_piece = xstrndup(p + more, n - more);
    }
    out->at_most_one = q[0] == '?';
    out->word_by_word = 1;
}

int regex_filler_prefix(const char *pattern, size_t len, const regex_requirement *whole, regex_filler *out)
{
    memset(out, 0, sizeof *out);
    if (len < 2 || pattern[0] != '^') return 0;
    size_t i = read_filler_group(pattern, len, 1, &out->words);
    if (!i || i >= len || (pattern[i] != '*' && pattern[i] != '+' && pattern[i] != '?') || !whole->anchored) {
        regex_filler_free(out);
        return 0;
    }
    out->at_least_one = pattern[i] == '+';
    size_t quantifier = i;
    i++;
    if (i < len && (pattern[i] == '+' || pattern[i] == '?')) i++;   /* possessive or lazy: the same words */
    if (has_top_level_bar(pattern + i, len - i)) {   /* another branch may do without the run */
        regex_filler_free(out);
        return 0;
    }
    /* the rest, anchored where the run ends */
    if (!word_start_strings(pattern + i, len - i, &out->rest)) {
        regex_filler_free(out);
        return 0;
    }
    /* and what follows its first word and space, when it has one */
    size_t more = after_first_word(pattern + i, len - i);
    if (more && i + more < len) word_start_strings(pattern + i + more, len - i - more, &out->second);
    word_by_word_rest(pattern, 1, pattern + quantifier, pattern + i, len - i, out);
    return 1;
}

void regex_filler_free(regex_filler *f)
{
    set_free(&f->words);
    set_free(&f->rest);
    set_free(&f->second);
    free(f->first_piece);
    free(f->second_piece);
}
