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
 * clauses still hold. */
#include "analysis/regex_literals.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SET_MAX 64         /* strings in a known exact set */
#define CLAUSE_MAX 256     /* literals in one clause */
#define LITERAL_MAX 64     /* bytes in one string */
#define REPEAT_MAX 0xFFFFu /* "no upper bound" for quantifiers */

typedef struct part {
    int known;
    regex_clause exact;   /* meaningful when known */
    regex_clause clause[REGEX_MAX_CLAUSES];
    size_t nclauses;
} part;

typedef struct reader {
    const char *p;
    size_t n, i;
    int gave_up;          /* met syntax outside the understood subset */
} reader;

/* ---- sets of strings (a regex_clause doubles as the set type) ---- */

static void set_free(regex_clause *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->lit[i].s);
    free(s->lit);
    memset(s, 0, sizeof *s);
}

static void set_add(regex_clause *s, const char *str, size_t len)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->lit[i].len == len && memcmp(s->lit[i].s, str, len) == 0) return;
    s->lit = xgrow(s->lit, &s->cap, s->n + 1, sizeof *s->lit);
    s->lit[s->n].s = xstrndup(str, len);
    s->lit[s->n].len = len;
    s->n++;
}

static void set_copy(regex_clause *dst, const regex_clause *src)
{
    memset(dst, 0, sizeof *dst);
    for (size_t i = 0; i < src->n; i++) set_add(dst, src->lit[i].s, src->lit[i].len);
}

static void set_move(regex_clause *dst, regex_clause *src)
{
    *dst = *src;
    memset(src, 0, sizeof *src);
}

static void set_of_empty(regex_clause *s)
{
    memset(s, 0, sizeof *s);
    set_add(s, "", 0);
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

/* Every string of a followed by every string of b; -1 (and *out empty) when
 * the result would be too big. */
static int set_product(const regex_clause *a, const regex_clause *b, regex_clause *out)
{
    memset(out, 0, sizeof *out);
    if (a->n * b->n > SET_MAX) return -1;
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
            set_add(out, joined, la + lb);
        }
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

static void part_unknown(part *x)
{
    memset(x, 0, sizeof *x);
}

static void part_empty(part *x)
{
    memset(x, 0, sizeof *x);
    x->known = 1;
    set_of_empty(&x->exact);
}

static void part_literal(part *x, const char *s, size_t len)
{
    memset(x, 0, sizeof *x);
    x->known = 1;
    set_add(&x->exact, s, len);
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

static void part_free(part *x)
{
    part_forget_exact(x);
    part_forget_clauses(x);
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

static void read_alternation(reader *r, part *out);

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

static void read_escape(reader *r, part *x)
{
    part_unknown(x);
    r->i++;
    if (r->i >= r->n) {
        r->gave_up = 1;
        return;
    }
    int c = (unsigned char)r->p[r->i++];
    switch (c) {
    case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G':
        part_empty(x);
        return;
    case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
    case 'h': case 'H': case 'v': case 'V': case 'R': case 'X':
        return;
    case 'N':
        if (peek(r) == '{') r->gave_up = 1;   /* \N{U+...} */
        return;
    case 'p': case 'P':
        skip_property(r);
        return;
    case 'n': part_literal(x, "\n", 1); return;
    case 't': part_literal(x, "\t", 1); return;
    case 'r': part_literal(x, "\r", 1); return;
    case 'f': part_literal(x, "\f", 1); return;
    case 'e': part_literal(x, "\x1b", 1); return;
    case 'a': part_literal(x, "\a", 1); return;
    default:
        break;
    }
    if (c < 0x80 && !is_alnum(c)) {   /* \. \- \' \/ and the like: the character itself */
        char lit = (char)c;
        part_literal(x, &lit, 1);
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

static void read_group(reader *r, part *x)
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
    read_alternation(r, &inner);
    if (r->gave_up || peek(r) != ')') {
        part_free(&inner);
        r->gave_up = 1;
        return;
    }
    r->i++;
    if (lookaround) {   /* zero-width; what it looks at need not be in the match */
        part_free(&inner);
        part_empty(x);
        return;
    }
    *x = inner;
}

static size_t utf8_sequence_length(unsigned char c)
{
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static void read_atom(reader *r, part *x)
{
    part_unknown(x);
    int c = peek(r);
    switch (c) {
    case '(': read_group(r, x); return;
    case '[': skip_class(r); return;
    case '\\': read_escape(r, x); return;
    case '.': r->i++; return;
    case '^': case '$': r->i++; part_empty(x); return;
    case '*': case '+': case '?': case '{': r->gave_up = 1; return;
    default: break;
    }
    size_t len = utf8_sequence_length((unsigned char)c);   /* one whole character */
    if (r->i + len > r->n) {
        r->gave_up = 1;
        return;
    }
    part_literal(x, r->p + r->i, len);
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

static void apply_quantifier(part *x, unsigned min, unsigned max)
{
    if (max == 0) {
        part_free(x);
        part_empty(x);
    } else if (min == 0) {
        part_forget_clauses(x);
        if (x->known && max == 1) set_add(&x->exact, "", 0);
        else part_forget_exact(x);
    } else if (!(min == 1 && max == 1)) {
        part_offer_exact(x);   /* the first repetition is one of these */
        part_forget_exact(x);
    }
}

static void read_repeat(reader *r, part *x)
{
    read_atom(r, x);
    unsigned min, max;
    while (!r->gave_up && read_quantifier(r, &min, &max)) apply_quantifier(x, min, max);
}

static void read_sequence(reader *r, part *out)
{
    regex_clause run;   /* product of the current stretch of known parts */
    part_empty(out);
    set_of_empty(&run);
    while (!r->gave_up && r->i < r->n && peek(r) != '|' && peek(r) != ')') {
        part x;
        read_repeat(r, &x);
        if (r->gave_up) {
            part_free(&x);
            break;
        }
        for (size_t k = 0; k < x.nclauses; k++) part_offer(out, &x.clause[k]);
        x.nclauses = 0;
        regex_clause product;
        if (out->known) {
            if (x.known && set_product(&out->exact, &x.exact, &product) == 0) {
                set_free(&out->exact);
                set_move(&out->exact, &product);
            } else {
                part_forget_exact(out);
            }
        }
        if (x.known && set_product(&run, &x.exact, &product) == 0) {
            set_free(&run);
            set_move(&run, &product);
        } else {
            part_offer(out, &run);
            if (x.known) set_move(&run, &x.exact);
            else set_of_empty(&run);
        }
        part_free(&x);
    }
    if (out->known) set_free(&run);   /* the same as out->exact */
    else part_offer(out, &run);
}

static void read_alternation(reader *r, part *out)
{
    read_sequence(r, out);
    if (peek(r) != '|') return;
    regex_clause any;
    int have_any = part_best(out, &any);
    while (!r->gave_up && peek(r) == '|') {
        r->i++;
        part branch;
        read_sequence(r, &branch);
        if (out->known && branch.known && out->exact.n + branch.exact.n <= SET_MAX) {
            for (size_t i = 0; i < branch.exact.n; i++)
                set_add(&out->exact, branch.exact.lit[i].s, branch.exact.lit[i].len);
        } else {
            part_forget_exact(out);
        }
        regex_clause best;
        if (have_any && part_best(&branch, &best)) {
            for (size_t i = 0; i < best.n; i++) set_add(&any, best.lit[i].s, best.lit[i].len);
            set_free(&best);
        } else if (have_any) {
            set_free(&any);
            have_any = 0;
        }
        part_free(&branch);
    }
    part_forget_clauses(out);
    if (have_any) part_offer(out, &any);
}

static int contains(const regex_literal *hay, const regex_literal *needle)
{
    for (size_t i = 0; i + needle->len <= hay->len; i++)
        if (memcmp(hay->s + i, needle->s, needle->len) == 0) return 1;
    return 0;
}

/* Drop every literal that contains another literal of the clause: wherever
 * it occurs, the shorter one occurs too, so the clause holds just the same.
 * Every literal is judged against the whole clause before any is dropped. */
static void drop_redundant_literals(regex_clause *c)
{
    unsigned char *drop = xcalloc(c->n ? c->n : 1, 1);
    for (size_t i = 0; i < c->n; i++)
        for (size_t j = 0; j < c->n && !drop[i]; j++)
            drop[i] = j != i && c->lit[j].len < c->lit[i].len && contains(&c->lit[i], &c->lit[j]);
    size_t kept = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (drop[i]) free(c->lit[i].s);
        else c->lit[kept++] = c->lit[i];
    }
    c->n = kept;
    free(drop);
}

void regex_requirement_analyse(const char *pattern, size_t len, regex_requirement *req)
{
    memset(req, 0, sizeof *req);
    reader r = {pattern, len, 0, 0};
    part top;
    read_alternation(&r, &top);
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
    }
    part_free(&top);
}

void regex_requirement_free(regex_requirement *req)
{
    for (size_t k = 0; k < req->n; k++) set_free(&req->clause[k]);
    req->n = 0;
}
