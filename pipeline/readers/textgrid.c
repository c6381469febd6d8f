/* textgrid.c: the Praat TextGrid reader.
 *
 * Praat writes a TextGrid as text in a long form ("xmin = 0", "item [1]:",
 * "text = \"...\"") or a short form (the bare values one per line). Both are
 * the same sequence of values: Praat itself reads them by skipping every
 * word that is not a number, a "quoted string" or a <flag>, and so does
 * this reader. That sequence is:
 *
 *   "ooTextFile" "TextGrid" xmin xmax <exists> tier-count
 *   per tier: "IntervalTier" name xmin xmax count, then count x (xmin xmax "text")
 *         or: "TextTier"     name xmin xmax count, then count x (time "mark")
 *
 * Strings double their quotes ("") and may span lines. Interval tiers are
 * speakers (the tier name; "tier N" when it is empty), point tiers are
 * skipped, blank intervals are skipped, and the intervals of all tiers are
 * merged by start time. The file is loaded with text_load (UTF-8 or UTF-16,
 * any line ends). Described for users in docs/formats/textgrid.md. */
#include "readers/reader.h"
#include "readers/source.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/strindex.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Times above this many seconds (about 11.5 days) are taken as mistakes. */
#define MAX_SECONDS 1000000.0

/* ---- sniffing ---------------------------------------------------------- */

/* The first bytes without NUL bytes, so that UTF-16 text sniffs like ASCII. */
static size_t strip_nuls(const char *head, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap; i++)
        if (head[i] != '\0') out[k++] = head[i];
    return k;
}

static int contains(const char *s, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(s + i, needle, m) == 0) return 1;
    return 0;
}

int sniff_textgrid(const char *head, size_t n)
{
    char text[512];
    size_t k = strip_nuls(head, n < 1024 ? n : 1024, text, sizeof text);
    return contains(text, k, "\"ooTextFile") && contains(text, k, "\"TextGrid\"");
}

/* ---- tokens ------------------------------------------------------------ */

typedef enum { TOK_END, TOK_NUMBER, TOK_STRING, TOK_FLAG, TOK_BAD, TOK_UNCLOSED } token_kind;

typedef struct token {
    token_kind kind;
    double number;   /* TOK_NUMBER */
    buf text;        /* TOK_STRING and TOK_FLAG: the content; TOK_BAD: what was found */
    long line;       /* where the token starts */
} token;

/* Walks the file line by line (text_cursor), handing out the values. */
typedef struct lexer {
    text_cursor cur;
    const char *line;
    size_t len, pos;
    int have_line;
} lexer;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int starts_number(const char *s, size_t n, size_t i)
{
    if (is_digit(s[i])) return 1;
    if ((s[i] == '-' || s[i] == '+' || s[i] == '.') && i + 1 < n)
        return is_digit(s[i + 1]) || (s[i + 1] == '.' && i + 2 < n && is_digit(s[i + 2]));
    return 0;
}

/* Make the lexer stand on a character; 0 at the end of the file. */
static int lexer_fill(lexer *lx)
{
    while (!lx->have_line || lx->pos >= lx->len) {
        if (!text_next_line(&lx->cur, &lx->line, &lx->len)) return 0;
        lx->have_line = 1;
        lx->pos = 0;
    }
    return 1;
}

/* A quoted string; the opening quote is at lx->pos. Doubled quotes stand for
 * one; line ends inside become "\n". */
static void lex_string(lexer *lx, token *t)
{
    t->kind = TOK_STRING;
    lx->pos++;
    for (;;) {
        while (lx->pos < lx->len) {
            char c = lx->line[lx->pos++];
            if (c != '"') {
                buf_addc(&t->text, c);
            } else if (lx->pos < lx->len && lx->line[lx->pos] == '"') {
                buf_addc(&t->text, '"');
                lx->pos++;
            } else {
                return;
            }
        }
        if (!text_next_line(&lx->cur, &lx->line, &lx->len)) {
            t->kind = TOK_UNCLOSED;
            return;
        }
        lx->pos = 0;
        buf_addc(&t->text, '\n');
    }
}

/* A number: the run of characters up to white space (or a quote, '!'),
 * which must all be part of it: "1,5" is not read as 1. */
static void lex_number(lexer *lx, token *t)
{
    size_t start = lx->pos;
    while (lx->pos < lx->len && !is_space(lx->line[lx->pos]) && lx->line[lx->pos] != '"' &&
           lx->line[lx->pos] != '!')
        lx->pos++;
    buf_add(&t->text, lx->line + start, lx->pos - start);
    const char *s = buf_str(&t->text);
    char *end;
    t->number = strtod(s, &end);
    t->kind = *end == '\0' && strspn(s, "+-.0123456789eE") == t->text.len ? TOK_NUMBER : TOK_BAD;
}

/* The next value of the file. Words, '=' and ':', "[n]" and "!" comments
 * are skipped, as Praat does. */
static void next_token(lexer *lx, token *t)
{
    buf_clear(&t->text);
    for (;;) {
        if (!lexer_fill(lx)) {
            t->kind = TOK_END;
            t->line = lx->cur.line;
            return;
        }
        const char *s = lx->line;
        size_t n = lx->len, i = lx->pos;
        char c = s[i];
        t->line = lx->cur.line;
        if (is_space(c)) {
            lx->pos++;
        } else if (c == '!') {
            lx->pos = n;
        } else if (c == '"') {
            lex_string(lx, t);
            return;
        } else if (starts_number(s, n, i)) {
            lex_number(lx, t);
            return;
        } else if (c == '<') {
            const char *close = memchr(s + i, '>', n - i);
            size_t end = close ? (size_t)(close - s) : n;
            buf_add(&t->text, s + i + 1, end - i - 1);
            lx->pos = close ? end + 1 : n;
            t->kind = TOK_FLAG;
            return;
        } else if (c == '[') {
            const char *close = memchr(s + i, ']', n - i);
            lx->pos = close ? (size_t)(close - s) + 1 : n;
        } else {
            while (lx->pos < n && !is_space(s[lx->pos]) && s[lx->pos] != '"' &&
                   s[lx->pos] != '[' && s[lx->pos] != '<')
                lx->pos++;
        }
    }
}

/* ---- the parse --------------------------------------------------------- */

typedef struct interval {
    size_t label;     /* index into tg_reader.labels */
    char *text;
    double start, end;
    long line;
    size_t order;
} interval;

typedef struct tg_reader {
    lexer lx;
    token tok;
    const char *source;
    diag_list *d;
    interval *items;
    size_t n_items, cap_items;
    char **labels;
    size_t n_labels, cap_labels;
    strindex labels_index;   /* label -> index into labels (many tiers stay linear) */
    /* what is being read, for messages */
    size_t tier;          /* 1-based item number, 0 in the header */
    const char *tier_name;
    size_t entry;         /* 1-based interval or point, 0 in the tier header */
} tg_reader;

/* Describe where the parse is, e.g. "xmax of interval 3 of tier 2 'word'". */
static void describe_place(const tg_reader *g, buf *out, const char *what)
{
    buf_adds(out, what);
    if (g->entry) buf_addf(out, " of interval %zu", g->entry);
    if (g->tier) {
        buf_addf(out, " of tier %zu", g->tier);
        if (g->tier_name && g->tier_name[0]) buf_addf(out, " '%s'", g->tier_name);
    } else {
        buf_adds(out, " in the file header");
    }
}

static const char *token_kind_name(token_kind k)
{
    switch (k) {
    case TOK_NUMBER: return "a number";
    case TOK_STRING: return "a quoted string";
    case TOK_FLAG: return "a <flag>";
    default: return "something else";
    }
}

/* Read the next token and check it has kind `want`; on failure add an error
 * naming the line and what was expected, and return -1. */
static int expect(tg_reader *g, token_kind want, const char *what)
{
    next_token(&g->lx, &g->tok);
    if (g->tok.kind == want) return 0;
    buf place = {0};
    describe_place(g, &place, what);
    if (g->tok.kind == TOK_END)
        diag_add(g->d, g->source, g->tok.line, SEV_ERROR,
                 "the file ends where %s was expected; the TextGrid is truncated: "
                 "save it again from Praat", buf_str(&place));
    else if (g->tok.kind == TOK_UNCLOSED)
        diag_add(g->d, g->source, g->tok.line, SEV_ERROR,
                 "a quoted string starting on this line is never closed (%s); add the "
                 "closing \"", buf_str(&place));
    else if (g->tok.kind == TOK_BAD)
        diag_add(g->d, g->source, g->tok.line, SEV_ERROR,
                 "'%s' is not a number (%s); fix the value or save the TextGrid again from Praat",
                 buf_str(&g->tok.text), buf_str(&place));
    else
        diag_add(g->d, g->source, g->tok.line, SEV_ERROR,
                 "expected %s (%s), found %s; the file is not a TextGrid in Praat's text "
                 "format, or is damaged", want == TOK_NUMBER ? "a number" : "a quoted string",
                 buf_str(&place), token_kind_name(g->tok.kind));
    buf_free(&place);
    return -1;
}

/* Counts above this are damage, not data. */
#define MAX_COUNT 100000000.0

static int is_count(double v)
{
    return v >= 0 && v <= MAX_COUNT && v == (double)(size_t)v;
}

/* Like expect(TOK_NUMBER) but the number must be a whole count >= 0. */
static int expect_count(tg_reader *g, const char *what, size_t *count)
{
    if (expect(g, TOK_NUMBER, what) < 0) return -1;
    double v = g->tok.number;
    if (!is_count(v)) {
        buf place = {0};
        describe_place(g, &place, what);
        diag_add(g->d, g->source, g->tok.line, SEV_ERROR,
                 "%s is %s, not a whole number of items; save the TextGrid again from Praat",
                 buf_str(&place), buf_str(&g->tok.text));
        buf_free(&place);
        return -1;
    }
    *count = (size_t)v;
    return 0;
}

static size_t add_label(tg_reader *g, const char *label)
{
    size_t i = strindex_get(&g->labels_index, label, strlen(label));
    if (i != STRINDEX_NONE) return i;
    g->labels = xgrow(g->labels, &g->cap_labels, g->n_labels + 1, sizeof *g->labels);
    g->labels[g->n_labels] = xstrdup(label);
    strindex_put(&g->labels_index, g->labels[g->n_labels], strlen(label), g->n_labels);
    return g->n_labels++;
}

/* A time read from the file, or TIME_UNKNOWN with a warning when it is
 * negative or absurd. */
static double checked_time(tg_reader *g, double t, long line, const char *what)
{
    if (t >= 0 && t <= MAX_SECONDS) return t;
    buf place = {0};
    describe_place(g, &place, what);
    diag_add(g->d, g->source, line, SEV_WARNING, "%s is %s (%g s); the time is treated as unknown",
             buf_str(&place), t < 0 ? "negative" : "absurdly large (over 1,000,000 s)", t);
    buf_free(&place);
    return TIME_UNKNOWN;
}

/* The label text with line breaks made spaces and the ends trimmed. */
static char *clean_label(const char *s)
{
    size_t n = strlen(s);
    while (n && (is_space(s[n - 1]) || s[n - 1] == '\n')) n--;
    while (n && (is_space(s[0]) || s[0] == '\n')) s++, n--;
    char *out = xstrndup(s, n);
    for (char *p = out; *p; p++)
        if (*p == '\n') *p = ' ';
    return out;
}

/* Keep the interval just read unless its text is blank; its tier becomes a
 * speaker with its first kept interval. */
static void add_interval(tg_reader *g, double start, double end, long line)
{
    char *text = clean_label(buf_str(&g->tok.text));
    if (text[0] == '\0') {
        free(text);
        return;
    }
    size_t label = add_label(g, g->tier_name);
    g->items = xgrow(g->items, &g->cap_items, g->n_items + 1, sizeof *g->items);
    g->items[g->n_items] = (interval){label, text, start, end, line, g->n_items};
    g->n_items++;
}

static int read_interval_tier(tg_reader *g, size_t count)
{
    double prev_start = TIME_UNKNOWN;
    for (g->entry = 1; g->entry <= count; g->entry++) {
        if (expect(g, TOK_NUMBER, "xmin") < 0) return -1;
        long line = g->tok.line;
        double start = checked_time(g, g->tok.number, line, "xmin");
        if (expect(g, TOK_NUMBER, "xmax") < 0) return -1;
        double end = checked_time(g, g->tok.number, g->tok.line, "xmax");
        if (expect(g, TOK_STRING, "text") < 0) return -1;
        if (start >= 0 && end >= 0 && end < start) {
            diag_add(g->d, g->source, line, SEV_WARNING,
                     "interval %zu of tier %zu ends (%g s) before it starts (%g s); its end "
                     "is unknown", g->entry, g->tier, end, start);
            end = TIME_UNKNOWN;
        }
        if (start >= 0 && prev_start >= 0 && start < prev_start) {
            /* the tier's own order: the session model sees the tiers only
             * merged by time, so this check is the reader's */
            char now[CLOCK_TEXT_MAX], before[CLOCK_TEXT_MAX];
            clock_format(start, now);
            clock_format(prev_start, before);
            diag_add(g->d, g->source, line, SEV_WARNING, "time goes backwards (%s after %s)",
                     now, before);
        }
        if (start >= 0) prev_start = start;
        add_interval(g, start, end, g->tok.line);
    }
    return 0;
}

static int read_point_tier(tg_reader *g, size_t count)
{
    for (g->entry = 1; g->entry <= count; g->entry++) {
        if (expect(g, TOK_NUMBER, "time") < 0) return -1;
        if (expect(g, TOK_STRING, "mark") < 0) return -1;
    }
    return 0;
}

/* The tier's name as its speaker label: "tier N" when it is blank. */
static char *tier_label(const tg_reader *g, const char *name)
{
    char *label = clean_label(name);
    if (label[0] != '\0') return label;
    free(label);
    buf b = {0};
    buf_addf(&b, "tier %zu", g->tier);
    return buf_take(&b);
}

/* The tier body once class and name are known. */
static int read_tier_body(tg_reader *g, const char *class, long class_line)
{
    size_t count;
    if (expect(g, TOK_NUMBER, "xmin") < 0 || expect(g, TOK_NUMBER, "xmax") < 0 ||
        expect_count(g, "the interval count", &count) < 0)
        return -1;
    if (strcmp(class, "IntervalTier") == 0) return read_interval_tier(g, count);
    if (strcmp(class, "TextTier") == 0) return read_point_tier(g, count);
    diag_add(g->d, g->source, class_line, SEV_ERROR,
             "tier %zu has class \"%s\"; a TextGrid has only \"IntervalTier\" and "
             "\"TextTier\" tiers: save the TextGrid again from Praat", g->tier, class);
    return -1;
}

static int read_tier(tg_reader *g)
{
    g->entry = 0;
    g->tier_name = NULL;
    if (expect(g, TOK_STRING, "class") < 0) return -1;
    char *class = xstrdup(buf_str(&g->tok.text));
    long class_line = g->tok.line;
    if (expect(g, TOK_STRING, "name") < 0) {
        free(class);
        return -1;
    }
    char *name = tier_label(g, buf_str(&g->tok.text));
    g->tier_name = name;
    int rc = read_tier_body(g, class, class_line);
    g->tier_name = NULL;
    free(name);
    free(class);
    return rc;
}

/* The header: file type, object class, xmin, xmax, <exists>, tier count. */
static int read_header(tg_reader *g, size_t *tiers)
{
    if (expect(g, TOK_STRING, "the file type (File type = \"ooTextFile\")") < 0) return -1;
    const char *type = buf_str(&g->tok.text);
    if (strncmp(type, "ooTextFile", 10) != 0) {
        diag_add(g->d, g->source, g->tok.line, SEV_ERROR,
                 "file type \"%s\" is not supported; save the TextGrid from Praat as a text "
                 "file (Save as text file...)", type);
        return -1;
    }
    if (expect(g, TOK_STRING, "the object class (Object class = \"TextGrid\")") < 0) return -1;
    if (strcmp(buf_str(&g->tok.text), "TextGrid") != 0) {
        diag_add(g->d, g->source, g->tok.line, SEV_ERROR,
                 "this Praat file holds a \"%s\", not a TextGrid; export the TextGrid itself",
                 buf_str(&g->tok.text));
        return -1;
    }
    if (expect(g, TOK_NUMBER, "xmin") < 0 || expect(g, TOK_NUMBER, "xmax") < 0) return -1;
    next_token(&g->lx, &g->tok);
    if (g->tok.kind == TOK_FLAG) {
        if (strcmp(buf_str(&g->tok.text), "exists") != 0) {
            *tiers = 0;
            return 0;
        }
        return expect_count(g, "the tier count", tiers);
    }
    if (g->tok.kind == TOK_NUMBER && is_count(g->tok.number)) {
        *tiers = (size_t)g->tok.number;
        return 0;
    }
    diag_add(g->d, g->source, g->tok.line, SEV_ERROR,
             "expected <exists> and the tier count after the file's xmin and xmax; "
             "save the TextGrid again from Praat");
    return -1;
}

/* ---- the session ------------------------------------------------------- */

/* Known starts first, by time; then unknown starts; file order breaks ties. */
static int compare_by_start(const void *a, const void *b)
{
    const interval *x = a, *y = b;
    int xk = x->start >= 0, yk = y->start >= 0;
    if (xk != yk) return yk - xk;
    if (xk && x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void build_session(tg_reader *g, const reader_input *in, session_list *out)
{
    qsort(g->items, g->n_items, sizeof *g->items, compare_by_start);
    session *s = session_list_add(out, in->session_id, in->source);
    size_t *speaker_of = xmalloc(g->n_labels * sizeof *speaker_of);
    for (size_t i = 0; i < g->n_labels; i++) speaker_of[i] = session_speaker(s, g->labels[i]);
    for (size_t i = 0; i < g->n_items; i++) {
        const interval *it = &g->items[i];
        session_add_utterance(s, speaker_of[it->label], it->text, it->start, it->end, it->line);
    }
    free(speaker_of);
}

static void tg_free(tg_reader *g)
{
    for (size_t i = 0; i < g->n_items; i++) free(g->items[i].text);
    for (size_t i = 0; i < g->n_labels; i++) free(g->labels[i]);
    free(g->items);
    free(g->labels);
    strindex_free(&g->labels_index);
    buf_free(&g->tok.text);
}

static int parse_textgrid(tg_reader *g)
{
    size_t tiers;
    if (read_header(g, &tiers) < 0) return -1;
    for (g->tier = 1; g->tier <= tiers; g->tier++)
        if (read_tier(g) < 0) return -1;
    return 0;
}

int read_textgrid(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d)
{
    (void)opt;
    text_file tf;
    if (reader_load_text(in, &tf, d) < 0) return -1;
    tg_reader g = {0};
    g.source = in->source;
    g.d = d;
    text_cursor_init(&g.lx.cur, &tf);
    int rc = parse_textgrid(&g);
    if (rc == 0 && g.n_items == 0) {
        diag_add(d, in->source, 0, SEV_ERROR,
                 "no speech found: the TextGrid has no interval tier with non-empty "
                 "intervals (point tiers are not read)");
        rc = -1;
    }
    if (rc == 0) build_session(&g, in, out);
    tg_free(&g);
    text_free(&tf);
    return rc;
}
