/* dic.c: the LIWC .dic reader (see dic.h and docs/dic.md).
 *
 * Reading goes in three steps. The category block (between the first two
 * "%" lines) is checked and each category becomes a lexicon category
 * "dic_NAME". Each entry line after it is split into its pattern (a word,
 * "stem*" or a phrase) and its fields (category IDs, "(IDs)ID/ID" and
 * "<word>ID/ID" conditions), resolved against the block. Last, every entry
 * gives one lexicon rule per category, with the entry's FILE:LINE as id.
 *
 * LIWC gives a word only the categories of its most specific entry (the
 * word itself if listed, else the longest stem it starts with), while the
 * lexicon counts every rule that matches. So a stem's rule in category C
 * gets an "unless" condition naming the more specific entries that lack C,
 * and the rules are added most specific first, so that where two match the
 * same word the one named is the entry LIWC uses. Conditional fields become
 * rules with a condition on the word before or after (rule_conditions in
 * lexicon.h). */
#include "analysis/dic.h"
#include "readers/source.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_ID_DIGITS 9
#define QUOTE_MAX 60      /* bytes of a line quoted in a message */
#define NOTE_WORDS 3      /* more specific entries named in a rule's text */

typedef struct dic_line {
    const char *s;
    size_t n;
    long line;
} dic_line;

typedef struct dic_category {
    unsigned long id;
    char *name;           /* as written */
    char *lex_name;       /* "dic_..." */
    long line;
    size_t depth;         /* leading tabs */
    long parent;          /* the category it is nested in, or -1 */
    int usable;           /* it became a lexicon category */
} dic_category;

typedef enum {
    FIELD_PLAIN,          /* 12 */
    FIELD_PREVIOUS,       /* (02 134)125/464: on the word before */
    FIELD_NEXT            /* <of>131/125: on the word after */
} field_kind;

typedef struct dic_field {
    field_kind kind;
    long then_cat;        /* a category index, or -1 (FIELD_PLAIN: its category) */
    long else_cat;        /* when the condition fails, or -1 */
    size_t *cond_cats;    /* FIELD_PREVIOUS: the categories of the word before */
    size_t ncond;
    char *cond_text;      /* "02 134" or "of": what the rule's note shows */
} dic_field;

typedef struct dic_entry {
    char *pattern;        /* the words as written, single spaces between */
    char *key;            /* folded, without the final '*' of a stem */
    int prefix;           /* one word ending in '*' */
    int single;           /* one word */
    long line;
    dic_field *fields;
    size_t nfields, fields_cap;
} dic_entry;

typedef struct dic_parser {
    lexicon *lx;
    const char *source;
    diag_list *d;
    int errors;
    dic_category *cats;
    size_t ncats, cats_cap;
    size_t *by_id;        /* category indexes by ID, then line */
    dic_entry *entries;
    size_t nentries, entries_cap;
    size_t *by_key;       /* entry indexes by key, then prefix, then line */
} dic_parser;

/* ------------------------------------------------------------------------
 * Small helpers. */

static void dic_message(dic_parser *p, long line, severity sev, const char *fmt, va_list ap)
{
    buf msg = {0};
    buf_vaddf(&msg, fmt, ap);
    diag_add(p->d, p->source, line, sev, "%s", buf_str(&msg));
    buf_free(&msg);
}

static void dic_error(dic_parser *p, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void dic_warning(dic_parser *p, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void dic_error(dic_parser *p, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dic_message(p, line, SEV_ERROR, fmt, ap);
    va_end(ap);
    p->errors++;
}

static void dic_warning(dic_parser *p, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dic_message(p, line, SEV_WARNING, fmt, ap);
    va_end(ap);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_blank(**s)) (*s)++, (*n)--;
    while (*n && is_blank((*s)[*n - 1])) (*n)--;
}

/* How many bytes of s to quote in a message: all, or about QUOTE_MAX cut at
 * a character boundary. */
static int quote_len(const char *s, size_t n)
{
    if (n <= QUOTE_MAX) return (int)n;
    n = QUOTE_MAX;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return (int)n;
}

static int all_digits(const char *s, size_t n)
{
    if (!n || n > MAX_ID_DIGITS) return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i])) return 0;
    return 1;
}

static unsigned long parse_id(const char *s, size_t n)
{
    unsigned long v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (unsigned long)(s[i] - '0');
    return v;
}

static int is_percent_line(const dic_line *l)
{
    const char *s = l->s;
    size_t n = l->n;
    trim(&s, &n);
    return n == 1 && s[0] == '%';
}

static int is_blank_line(const dic_line *l)
{
    const char *s = l->s;
    size_t n = l->n;
    trim(&s, &n);
    return n == 0;
}

char *dic_category_name(const char *name, size_t len)
{
    buf out = {0};
    buf_adds(&out, "dic_");
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)name[i];
        if (c >= 'A' && c <= 'Z') buf_addc(&out, (char)(c + 32));
        else if ((c >= 'a' && c <= 'z') || is_digit((char)c) || c == '_') buf_addc(&out, (char)c);
        else buf_addc(&out, '_');
        uint32_t cp;
        int ok;
        i += utf8_decode((const unsigned char *)name + i, len - i, &cp, &ok);
    }
    return buf_take(&out);
}

int dic_is_dic_path(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcasecmp(path + n - 4, ".dic") == 0;
}

/* ------------------------------------------------------------------------
 * The category block. */

/* The first non-blank line must be "%", and another "%" must follow. */
static int find_block(dic_parser *p, const dic_line *lines, size_t n, size_t *open, size_t *close)
{
    size_t i = 0;
    while (i < n && is_blank_line(&lines[i])) i++;
    if (i == n) {
        dic_error(p, 0, "empty dictionary: a .dic file starts with a line holding only \"%%\", then one "
                        "\"ID name\" line per category, another \"%%\", then the entries");
        return -1;
    }
    if (!is_percent_line(&lines[i])) {
        dic_error(p, lines[i].line,
                  "not a LIWC dictionary: a .dic file starts with a line holding only \"%%\", then one "
                  "\"ID name\" line per category, another \"%%\", then the entries (a .lex lexicon goes "
                  "with --lexicon)");
        return -1;
    }
    *open = i;
    for (i++; i < n; i++) {
        if (is_percent_line(&lines[i])) {
            *close = i;
            return 0;
        }
    }
    dic_error(p, lines[*open].line,
              "the category block opened here has no closing \"%%\": put a line holding only \"%%\" "
              "after the last category line");
    return -1;
}

/* The category a new one at `depth` nests in: the nearest one above with
 * fewer leading tabs. */
static long parent_for(const dic_parser *p, size_t depth)
{
    long up = (long)p->ncats - 1;
    while (up >= 0 && p->cats[up].depth >= depth) up = p->cats[up].parent;
    return up;
}

/* "ID name", with leading tabs for nesting. */
static void parse_category_line(dic_parser *p, const dic_line *l)
{
    const char *s = l->s;
    size_t n = l->n, depth = 0;
    while (depth < n && s[depth] == '\t') depth++;
    trim(&s, &n);
    if (!n) return;
    size_t digits = 0;
    while (digits < n && is_digit(s[digits])) digits++;
    if (!all_digits(s, digits) || (digits < n && !is_blank(s[digits]))) {
        dic_error(p, l->line,
                  "malformed category line \"%.*s\": write the category's ID (a number), then its name, "
                  "as in \"12 posemo\"",
                  quote_len(s, n), s);
        return;
    }
    const char *name = s + digits;
    size_t name_len = n - digits;
    trim(&name, &name_len);
    if (!name_len) {
        dic_error(p, l->line, "category %.*s has no name: write its name after the ID, as in \"%.*s posemo\"",
                  (int)digits, s, (int)digits, s);
        return;
    }
    p->cats = xgrow(p->cats, &p->cats_cap, p->ncats + 1, sizeof *p->cats);
    dic_category *c = &p->cats[p->ncats];
    c->id = parse_id(s, digits);
    c->name = xstrndup(name, name_len);
    c->lex_name = dic_category_name(name, name_len);
    c->line = l->line;
    c->depth = depth;
    c->parent = parent_for(p, depth);
    c->usable = 1;
    p->ncats++;
}

/* For the sorts, which need the parser's arrays: qsort has no context
 * argument, so the arrays are sorted through these small records. */
typedef struct id_item {
    unsigned long id;
    long line;
    size_t cat;
} id_item;

static int compare_id_items(const void *a, const void *b)
{
    const id_item *x = a, *y = b;
    if (x->id != y->id) return x->id < y->id ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

/* Sort the categories by ID; a repeated ID is an error at its later line. */
static void index_ids(dic_parser *p)
{
    id_item *items = xmalloc((p->ncats ? p->ncats : 1) * sizeof *items);
    for (size_t i = 0; i < p->ncats; i++) items[i] = (id_item){p->cats[i].id, p->cats[i].line, i};
    qsort(items, p->ncats, sizeof *items, compare_id_items);
    p->by_id = xmalloc((p->ncats ? p->ncats : 1) * sizeof *p->by_id);
    for (size_t i = 0; i < p->ncats; i++) {
        p->by_id[i] = items[i].cat;
        if (i && items[i].id == items[i - 1].id) {
            const dic_category *first = &p->cats[items[i - 1].cat];
            dic_category *again = &p->cats[items[i].cat];
            dic_error(p, again->line,
                      "duplicate category ID %lu: line %ld already declares it as \"%s\"; give each "
                      "category its own ID",
                      again->id, first->line, first->name);
            again->usable = 0;
        }
    }
    free(items);
}

/* The category with this ID (the first declared), or -1. */
static long category_by_id(const dic_parser *p, unsigned long id)
{
    size_t lo = 0, hi = p->ncats;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->cats[p->by_id[mid]].id < id) lo = mid + 1;
        else hi = mid;
    }
    return lo < p->ncats && p->cats[p->by_id[lo]].id == id ? (long)p->by_id[lo] : -1;
}

static char *category_description(const dic_parser *p, const dic_category *c)
{
    const char *slash = strrchr(p->source, '/');
    buf b = {0};
    buf_addf(&b, "LIWC category \"%s\" (ID %lu) of %s", c->name, c->id, slash ? slash + 1 : p->source);
    if (c->parent >= 0) buf_addf(&b, ", under \"%s\"", p->cats[c->parent].name);
    return buf_take(&b);
}

/* Make each category a lexicon category, unless its name is taken: by an
 * earlier category of this file, or by another file. */
static void add_categories(dic_parser *p)
{
    for (size_t i = 0; i < p->ncats; i++) {
        dic_category *c = &p->cats[i];
        if (!c->usable) continue;
        int taken = lexicon_category_index(p->lx, c->lex_name);
        if (taken >= 0) {
            c->usable = 0;
            size_t k = 0;
            while (k < i && !(p->cats[k].usable && strcmp(p->cats[k].lex_name, c->lex_name) == 0)) k++;
            if (k < i) {
                dic_error(p, c->line,
                          "categories \"%s\" (ID %lu) and \"%s\" (ID %lu, line %ld) would both become "
                          "[%s]: rename one of them",
                          c->name, c->id, p->cats[k].name, p->cats[k].id, p->cats[k].line, c->lex_name);
            } else {
                long line;
                const char *where = lexicon_category_source(p->lx, (size_t)taken, &line);
                dic_error(p, c->line,
                          "category \"%s\" (ID %lu) would become [%s], which %s:%ld already has: rename the "
                          "category in one of the two files",
                          c->name, c->id, c->lex_name, where, line);
            }
            continue;
        }
        char *description = category_description(p, c);
        if (lexicon_add_category(p->lx, c->lex_name, description, p->source, c->line) < 0) {
            dic_error(p, c->line, "category [%s] cannot be added (a bug in dyad: load dictionaries before "
                                  "the lexicon is finished)",
                      c->lex_name);
            c->usable = 0;
        }
        free(description);
    }
}

/* ------------------------------------------------------------------------
 * Entry lines. */

/* The category for an ID written in an entry's field, or -1 (with a
 * warning when it was never declared; silently when its declaration was
 * already an error). */
static long resolve_id(dic_parser *p, const char *id, size_t n, const dic_entry *e)
{
    long cat = category_by_id(p, parse_id(id, n));
    if (cat < 0) {
        dic_warning(p, e->line,
                    "category ID %.*s of \"%s\" is not declared in the category block; it is skipped",
                    (int)n, id, e->pattern);
        return -1;
    }
    return p->cats[cat].usable ? cat : -1;
}

static dic_field *new_field(dic_entry *e, field_kind kind)
{
    e->fields = xgrow(e->fields, &e->fields_cap, e->nfields + 1, sizeof *e->fields);
    dic_field *f = &e->fields[e->nfields++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->then_cat = f->else_cat = -1;
    return f;
}

static void not_understood(dic_parser *p, const dic_entry *e, const char *f, size_t n)
{
    dic_warning(p, e->line,
                "conditional field \"%.*s\" of \"%s\" is not understood (write (IDs)ID/ID or <word>ID/ID); "
                "it is skipped, the line's other categories are kept",
                quote_len(f, n), f, e->pattern);
}

/* "ID" or "ID/ID" after a condition: the categories when it holds and when
 * it does not. Returns 0, or -1 when it is not of that form. */
static int parse_branches(dic_parser *p, const dic_entry *e, const char *s, size_t n, long *then_cat,
                          long *else_cat)
{
    const char *slash = memchr(s, '/', n);
    size_t then_len = slash ? (size_t)(slash - s) : n;
    size_t else_len = slash ? n - then_len - 1 : 0;
    if (!all_digits(s, then_len) || (slash && !all_digits(slash + 1, else_len))) return -1;
    *then_cat = resolve_id(p, s, then_len, e);
    *else_cat = slash ? resolve_id(p, slash + 1, else_len, e) : -1;
    return 0;
}

/* "(02 134)125/464": 125 when the word before is in 02 or 134, else 464. */
static void parse_previous_field(dic_parser *p, dic_entry *e, const char *f, size_t n)
{
    const char *close = memchr(f, ')', n);
    if (!close) {
        not_understood(p, e, f, n);
        return;
    }
    const char *inner = f + 1;
    size_t inner_len = (size_t)(close - inner), i = 0;
    /* check the whole field before saying anything about its IDs */
    int ids = 0;
    while (i < inner_len) {
        while (i < inner_len && is_blank(inner[i])) i++;
        size_t start = i;
        while (i < inner_len && !is_blank(inner[i])) i++;
        if (i == start) break;
        if (!all_digits(inner + start, i - start)) {
            not_understood(p, e, f, n);
            return;
        }
        ids++;
    }
    const char *rest = close + 1;
    size_t rest_len = n - (size_t)(rest - f);
    long then_cat, else_cat;
    if (!ids || parse_branches(p, e, rest, rest_len, &then_cat, &else_cat) < 0) {
        not_understood(p, e, f, n);
        return;
    }
    if (then_cat < 0 && else_cat < 0) return;
    dic_field *fd = new_field(e, FIELD_PREVIOUS);
    fd->then_cat = then_cat;
    fd->else_cat = else_cat;
    fd->cond_cats = xmalloc((size_t)ids * sizeof *fd->cond_cats);
    buf text = {0};
    for (i = 0; i < inner_len;) {
        while (i < inner_len && is_blank(inner[i])) i++;
        size_t start = i;
        while (i < inner_len && !is_blank(inner[i])) i++;
        if (i == start) break;
        if (text.len) buf_addc(&text, ' ');
        buf_add(&text, inner + start, i - start);
        long cat = resolve_id(p, inner + start, i - start, e);
        if (cat >= 0) fd->cond_cats[fd->ncond++] = (size_t)cat;
    }
    fd->cond_text = buf_take(&text);
}

/* "<of>131/125": 131 when the word after is "of", else 125. */
static void parse_next_field(dic_parser *p, dic_entry *e, const char *f, size_t n)
{
    const char *close = memchr(f, '>', n);
    if (!close) {
        not_understood(p, e, f, n);
        return;
    }
    const char *word = f + 1;
    size_t word_len = (size_t)(close - word);
    trim(&word, &word_len);
    const char *rest = close + 1;
    size_t rest_len = n - (size_t)(rest - f);
    for (size_t i = 0; i < word_len; i++) {
        if (is_blank(word[i])) {
            dic_warning(p, e->line,
                        "conditional field \"%.*s\" of \"%s\" needs one word between < and >; it is skipped, "
                        "the line's other categories are kept",
                        quote_len(f, n), f, e->pattern);
            return;
        }
    }
    const char *star = word_len ? memchr(word, '*', word_len) : NULL;
    int prefix = star && star == word + word_len - 1;
    char *folded = lexicon_fold(word, word_len - (size_t)prefix);
    int usable = word_len && (!star || prefix) && lexicon_word_can_match(folded, strlen(folded), prefix);
    free(folded);
    long then_cat, else_cat;
    if (!usable || parse_branches(p, e, rest, rest_len, &then_cat, &else_cat) < 0) {
        not_understood(p, e, f, n);
        return;
    }
    if (then_cat < 0 && else_cat < 0) return;
    dic_field *fd = new_field(e, FIELD_NEXT);
    fd->then_cat = then_cat;
    fd->else_cat = else_cat;
    fd->cond_text = xstrndup(word, word_len);
}

static void parse_field(dic_parser *p, dic_entry *e, const char *f, size_t n)
{
    if (all_digits(f, n)) {
        long cat = resolve_id(p, f, n, e);
        if (cat >= 0) new_field(e, FIELD_PLAIN)->then_cat = cat;
    } else if (f[0] == '(') {
        parse_previous_field(p, e, f, n);
    } else if (f[0] == '<') {
        parse_next_field(p, e, f, n);
    } else {
        dic_warning(p, e->line,
                    "unknown field \"%.*s\" of \"%s\": a field is a category ID, (IDs)ID/ID or <word>ID/ID; "
                    "it is skipped",
                    quote_len(f, n), f, e->pattern);
    }
}

/* Fields are separated by blanks; "(...)" and "<...>" may hold blanks. */
static void parse_fields(dic_parser *p, dic_entry *e, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && is_blank(s[i])) i++;
        if (i == n) break;
        size_t start = i;
        char closer = s[i] == '(' ? ')' : s[i] == '<' ? '>' : 0;
        const char *c = closer ? memchr(s + i, closer, n - i) : NULL;
        if (c) i = (size_t)(c - s) + 1;   /* unclosed: the field ends at the next blank */
        while (i < n && !is_blank(s[i])) i++;
        parse_field(p, e, s + start, i - start);
    }
}

/* Where the pattern ends: at the first tab, or else before the first
 * blank-separated token that starts like a field (a digit, "(" or "<"). */
static size_t pattern_end(const char *s, size_t n)
{
    const char *tab = memchr(s, '\t', n);
    if (tab) return (size_t)(tab - s);
    size_t i = 0;
    while (i < n) {
        while (i < n && is_blank(s[i])) i++;
        if (i < n && (is_digit(s[i]) || s[i] == '(' || s[i] == '<')) return i;
        while (i < n && !is_blank(s[i])) i++;
    }
    return n;
}

/* Check the pattern's words and set the entry's pattern, key and kind.
 * Returns 0, or -1 after a warning (the line is skipped). */
static int parse_pattern(dic_parser *p, dic_entry *e, const char *s, size_t n)
{
    buf pattern = {0}, key = {0};
    size_t i = 0, words = 0;
    int prefix = 0;
    while (i < n) {
        while (i < n && is_blank(s[i])) i++;
        size_t start = i;
        while (i < n && !is_blank(s[i])) i++;
        if (i == start) break;
        const char *w = s + start;
        size_t len = i - start;
        const char *star = memchr(w, '*', len);
        const char *why = NULL;
        if (star && len == 1) why = "bare \"*\"";
        else if (star && star != w + len - 1) why = "\"*\" inside a word";
        if (why) {
            dic_warning(p, e->line, "%s in \"%.*s\": LIWC only supports \"*\" at the end of a word, as in "
                                    "advis*; the line is skipped",
                        why, quote_len(s, n), s);
            buf_free(&pattern);
            buf_free(&key);
            return -1;
        }
        prefix = star != NULL;
        char *folded = lexicon_fold(w, len - (size_t)prefix);
        if (!lexicon_word_can_match(folded, strlen(folded), prefix)) {
            dic_warning(p, e->line,
                        "the word \"%.*s\" can never match: transcript words are letters and digits with ' "
                        "or - only between them; the line is skipped",
                        quote_len(w, len), w);
            free(folded);
            buf_free(&pattern);
            buf_free(&key);
            return -1;
        }
        if (words++) {
            buf_addc(&pattern, ' ');
            buf_addc(&key, ' ');
        }
        buf_add(&pattern, w, len);
        buf_adds(&key, folded);
        if (prefix) buf_addc(&key, '*');
        free(folded);
    }
    e->single = words == 1;
    e->prefix = e->single && prefix;
    if (e->prefix) key.data[--key.len] = '\0';   /* a stem's key is the stem */
    e->pattern = buf_take(&pattern);
    e->key = buf_take(&key);
    return 0;
}

static void free_entry(dic_entry *e)
{
    for (size_t k = 0; k < e->nfields; k++) {
        free(e->fields[k].cond_cats);
        free(e->fields[k].cond_text);
    }
    free(e->fields);
    free(e->pattern);
    free(e->key);
}

static void parse_entry(dic_parser *p, const dic_line *l)
{
    const char *s = l->s;
    size_t n = l->n;
    trim(&s, &n);
    if (!n) return;
    size_t end = pattern_end(s, n);
    const char *pat = s, *fields = s + end;
    size_t pat_len = end, fields_len = n - end;
    trim(&pat, &pat_len);
    trim(&fields, &fields_len);
    if (!pat_len) {
        dic_warning(p, l->line, "entry without a word: \"%.*s\": put the word or phrase before its category IDs; "
                                "the line is skipped",
                    quote_len(s, n), s);
        return;
    }
    if (!fields_len) {
        dic_warning(p, l->line, "\"%.*s\" has no category IDs: add them after it, as in \"%.*s 12\"; the line is "
                                "skipped",
                    quote_len(pat, pat_len), pat, quote_len(pat, pat_len), pat);
        return;
    }
    dic_entry e = {0};
    e.line = l->line;
    if (parse_pattern(p, &e, pat, pat_len) < 0) return;
    parse_fields(p, &e, fields, fields_len);
    if (!e.nfields) {   /* every field was skipped, with a warning */
        free_entry(&e);
        return;
    }
    p->entries = xgrow(p->entries, &p->entries_cap, p->nentries + 1, sizeof *p->entries);
    p->entries[p->nentries++] = e;
}

/* ------------------------------------------------------------------------
 * Entries to rules. */

/* The entries sorted by key, a stem after the word it equals, then by line;
 * qsort gets the entries through this record. */
typedef struct key_item {
    const dic_entry *e;
    size_t index;
} key_item;

static int compare_key_items(const void *a, const void *b)
{
    const dic_entry *x = ((const key_item *)a)->e, *y = ((const key_item *)b)->e;
    int c = strcmp(x->key, y->key);
    if (c) return c;
    if (x->prefix != y->prefix) return x->prefix - y->prefix;
    return (x->line > y->line) - (x->line < y->line);
}

static int same_pattern(const dic_entry *a, const dic_entry *b)
{
    return a->prefix == b->prefix && strcmp(a->key, b->key) == 0;
}

/* Sort the entries by key and warn about a pattern listed twice. */
static void index_keys(dic_parser *p)
{
    key_item *items = xmalloc((p->nentries ? p->nentries : 1) * sizeof *items);
    for (size_t i = 0; i < p->nentries; i++) items[i] = (key_item){&p->entries[i], i};
    qsort(items, p->nentries, sizeof *items, compare_key_items);
    p->by_key = xmalloc((p->nentries ? p->nentries : 1) * sizeof *p->by_key);
    size_t first = 0;
    for (size_t i = 0; i < p->nentries; i++) {
        p->by_key[i] = items[i].index;
        if (i && same_pattern(items[i].e, items[i - 1].e)) {
            dic_warning(p, items[i].e->line, "\"%s\" is listed again (first at line %ld): the categories of both "
                                             "lines count",
                        items[i].e->pattern, items[first].e->line);
        } else {
            first = i;
        }
    }
    free(items);
}

/* The entries of one pattern (listed once, or again on later lines) are
 * by_key[from .. group_end(from)). */
static size_t group_end(const dic_parser *p, size_t from)
{
    const dic_entry *first = &p->entries[p->by_key[from]];
    size_t i = from + 1;
    while (i < p->nentries && same_pattern(&p->entries[p->by_key[i]], first)) i++;
    return i;
}

/* Whether a line of the pattern names the category in any field. */
static int group_has(const dic_parser *p, size_t from, size_t to, size_t cat)
{
    for (size_t i = from; i < to; i++) {
        const dic_entry *e = &p->entries[p->by_key[i]];
        for (size_t k = 0; k < e->nfields; k++)
            if (e->fields[k].then_cat == (long)cat || e->fields[k].else_cat == (long)cat) return 1;
    }
    return 0;
}

/* A one-word entry as a rule word: "word" or "stem*". */
static char *entry_word(const dic_entry *e)
{
    buf b = {0};
    buf_adds(&b, e->key);
    if (e->prefix) buf_addc(&b, '*');
    return buf_take(&b);
}

typedef struct word_set {
    char **v;
    size_t n, cap;
} word_set;

static void word_set_add(word_set *s, char *w)
{
    s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
    s->v[s->n++] = w;
}

static void word_set_free(word_set *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static int starts_with(const char *s, const char *prefix, size_t n)
{
    return strncmp(s, prefix, n) == 0;
}

/* The one-word entries more specific than the stem entry e that lack the
 * category: the word equal to the stem and every word or longer stem
 * starting with it. */
static void more_specific_without(const dic_parser *p, const dic_entry *e, size_t cat, word_set *out)
{
    size_t len = strlen(e->key), lo = 0, hi = p->nentries;
    while (lo < hi) {   /* the first key not below the stem */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(p->entries[p->by_key[mid]].key, e->key) < 0) lo = mid + 1;
        else hi = mid;
    }
    for (size_t i = lo, next; i < p->nentries && starts_with(p->entries[p->by_key[i]].key, e->key, len); i = next) {
        const dic_entry *x = &p->entries[p->by_key[i]];
        next = group_end(p, i);
        if (x->single && !same_pattern(x, e) && !group_has(p, i, next, cat)) word_set_add(out, entry_word(x));
    }
}

/* The one-word entries in any of the categories: the words a "word before"
 * condition accepts. */
static void words_in(const dic_parser *p, const size_t *cats, size_t n, word_set *out)
{
    for (size_t i = 0, next; i < p->nentries; i = next) {
        const dic_entry *x = &p->entries[p->by_key[i]];
        next = group_end(p, i);
        int has = 0;
        for (size_t k = 0; k < n && !has; k++) has = group_has(p, i, next, cats[k]);
        if (has && x->single) word_set_add(out, entry_word(x));
    }
}

/* What a rule with conditions shows after its pattern. */
static void describe_unless(const word_set *unless, buf *note)
{
    if (!unless->n) return;
    if (note->len) buf_addc(note, ' ');
    buf_adds(note, "(not: ");
    for (size_t i = 0; i < unless->n && i < NOTE_WORDS; i++) buf_addf(note, "%s%s", i ? ", " : "", unless->v[i]);
    if (unless->n > NOTE_WORDS) buf_addf(note, " and %zu more", unless->n - NOTE_WORDS);
    buf_addc(note, ')');
}

/* Add the rule of entry e in category cat; `branch` is 1 for a condition's
 * "then" side, 0 for its "else" side, -1 for a plain field. */
static void add_entry_rule(dic_parser *p, const dic_entry *e, const dic_field *f, size_t cat, int branch)
{
    word_set unless = {0}, near = {0};
    rule_conditions cond = {0};
    buf note = {0};
    if (f->kind == FIELD_PREVIOUS) {
        words_in(p, f->cond_cats, f->ncond, &near);
        buf_addf(&note, "(%safter %s)", branch ? "" : "not ", f->cond_text);
        cond.side = -1;
    } else if (f->kind == FIELD_NEXT) {
        word_set_add(&near, xstrdup(f->cond_text));
        buf_addf(&note, "(%sbefore %s)", branch ? "" : "not ", f->cond_text);
        cond.side = 1;
    }
    cond.negated = branch == 0;
    cond.near = (const char *const *)near.v;
    cond.n_near = near.n;
    if (e->prefix) more_specific_without(p, e, cat, &unless);
    cond.unless = (const char *const *)unless.v;
    cond.n_unless = unless.n;
    describe_unless(&unless, &note);
    cond.note = buf_str(&note);
    const char *name = p->cats[cat].lex_name;
    int rc = cond.side || cond.n_unless
                 ? lexicon_add_rule_if(p->lx, name, e->pattern, &cond, p->source, e->line, p->d)
                 : lexicon_add_rule(p->lx, name, NULL, e->pattern, p->source, e->line, p->d);
    if (rc < 0) p->errors++;
    buf_free(&note);
    word_set_free(&near);
    word_set_free(&unless);
}

/* Words and phrases first, in line order, then stems from the longest: on
 * a tie (two rules of a category matching the same words) the earlier rule
 * is the one matches.csv names, and this makes it the entry LIWC uses. */
static int compare_specificity(const void *a, const void *b)
{
    const dic_entry *x = ((const key_item *)a)->e, *y = ((const key_item *)b)->e;
    if (x->prefix != y->prefix) return x->prefix - y->prefix;
    if (x->prefix) {
        size_t xl = strlen(x->key), yl = strlen(y->key);
        if (xl != yl) return xl > yl ? -1 : 1;
    }
    return (x->line > y->line) - (x->line < y->line);
}

static void add_rules(dic_parser *p)
{
    key_item *order = xmalloc((p->nentries ? p->nentries : 1) * sizeof *order);
    for (size_t i = 0; i < p->nentries; i++) order[i] = (key_item){&p->entries[i], i};
    qsort(order, p->nentries, sizeof *order, compare_specificity);
    for (size_t i = 0; i < p->nentries; i++) {
        const dic_entry *e = order[i].e;
        for (size_t k = 0; k < e->nfields; k++) {
            const dic_field *f = &e->fields[k];
            int conditional = f->kind != FIELD_PLAIN;
            if (f->then_cat >= 0) add_entry_rule(p, e, f, (size_t)f->then_cat, conditional ? 1 : -1);
            if (f->else_cat >= 0) add_entry_rule(p, e, f, (size_t)f->else_cat, 0);
        }
    }
    free(order);
}

/* ------------------------------------------------------------------------
 * Loading. */

static dic_line *split_lines(const text_file *tf, size_t *count)
{
    dic_line *lines = NULL;
    size_t n = 0, cap = 0;
    text_cursor cur;
    text_cursor_init(&cur, tf);
    const char *s;
    size_t len;
    while (text_next_line(&cur, &s, &len)) {
        lines = xgrow(lines, &cap, n + 1, sizeof *lines);
        lines[n++] = (dic_line){s, len, cur.line};
    }
    *count = n;
    return lines;
}

static void free_parser(dic_parser *p)
{
    for (size_t i = 0; i < p->ncats; i++) {
        free(p->cats[i].name);
        free(p->cats[i].lex_name);
    }
    free(p->cats);
    free(p->by_id);
    for (size_t i = 0; i < p->nentries; i++) free_entry(&p->entries[i]);
    free(p->entries);
    free(p->by_key);
}

static int parse_dictionary(lexicon *lx, const char *source, const text_file *tf, diag_list *d)
{
    dic_parser p = {.lx = lx, .source = source, .d = d};
    size_t n, open, close;
    dic_line *lines = split_lines(tf, &n);
    if (find_block(&p, lines, n, &open, &close) == 0) {
        for (size_t i = open + 1; i < close; i++) parse_category_line(&p, &lines[i]);
        if (!p.ncats && !p.errors)
            dic_error(&p, lines[open].line, "no categories between the \"%%\" lines: add one \"ID name\" line per "
                                            "category, as in \"12 posemo\"");
        index_ids(&p);
        add_categories(&p);
        /* without a single category, every entry would only repeat that */
        for (size_t i = close + 1; p.ncats && i < n; i++) parse_entry(&p, &lines[i]);
        index_keys(&p);
        add_rules(&p);
    }
    free(lines);
    free_parser(&p);
    return p.errors ? -1 : 0;
}

int dic_load_text(lexicon *lx, const char *name, const char *text, size_t len, diag_list *d)
{
    lexicon_add_file(lx, name, text, len);
    if (len == 0) {
        diag_add(d, name, 0, SEV_ERROR,
                 "empty dictionary: a .dic file starts with a line holding only \"%%\", then one \"ID name\" "
                 "line per category, another \"%%\", then the entries");
        return -1;
    }
    text_file tf;
    if (text_from_bytes(&tf, text, len, name, d) < 0) return -1;
    int rc = parse_dictionary(lx, name, &tf, d);
    text_free(&tf);
    return rc;
}

int dic_load(lexicon *lx, const char *path, diag_list *d)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_add(d, path, 0, SEV_ERROR, "cannot open dictionary: %s; check the path", strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        diag_add(d, path, 0, SEV_ERROR, "this is a folder: --dic takes one .dic file; repeat --dic for each");
        return -1;
    }
    buf raw = {0};
    if (diag_read_file(&raw, path, "dictionary", d) != 0) {
        buf_free(&raw);
        return -1;
    }
    int rc = dic_load_text(lx, path, buf_str(&raw), raw.len, d);
    buf_free(&raw);
    return rc;
}
