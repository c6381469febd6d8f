/* cues.c: the cue reading shared by the WebVTT and SRT readers (see cues.h).
 *
 * A file is read twice. The first pass only collects the candidate
 * "Name:" prefixes so the second can tell a speaker label from speech that
 * happens to contain a colon: a candidate counts when it begins at least two
 * cue lines of the file, when it is shaped like a name (every word
 * capitalised), or when it is a role word or in the --roles map. The second
 * pass builds the session and reports problems. */
#include "readers/cues.h"
#include "model/roles.h"
#include "util/clock.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LABEL_MAX_CHARS 40
#define LABEL_MAX_WORDS 4
/* A label of 40 characters of up to 4 bytes, and blanks before the colon. */
#define LABEL_SEARCH_BYTES 200

/* ---- characters and spans ---------------------------------------------- */

typedef struct span {
    const char *p;
    size_t n;
} span;

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

static int is_space(char c)
{
    return is_blank(c) || c == '\n' || c == '\r';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t skip_blanks(const char *s, size_t n, size_t i)
{
    while (i < n && is_blank(s[i])) i++;
    return i;
}

static span trim(const char *p, size_t n)
{
    while (n && is_blank(p[0])) p++, n--;
    while (n && is_blank(p[n - 1])) n--;
    return (span){p, n};
}

static int is_blank_line(const char *s, size_t n)
{
    return skip_blanks(s, n, 0) == n;
}

static uint32_t code_point_at(const char *s, size_t n, size_t i, size_t *len)
{
    uint32_t cp;
    int valid;
    *len = utf8_decode((const unsigned char *)s + i, n - i, &cp, &valid);
    return cp;
}

static int is_letter(uint32_t cp)
{
    return utf8_is_word_char(cp) && !(cp >= '0' && cp <= '9');
}

/* A letter that folding leaves alone in the scripts whose case dyad knows
 * (Latin, Greek, Cyrillic): a lower-case letter. */
static int is_lower_letter(uint32_t cp)
{
    return is_letter(cp) && cp < 0x0530 && utf8_fold(cp) == cp;
}

/* ---- times ------------------------------------------------------------- */

/* Read 1 to `max` digits at s[*i]; more digits than that fail. */
static int read_digits(const char *s, size_t n, size_t *i, size_t max,
                       unsigned long long *value, size_t *count)
{
    size_t start = *i;
    unsigned long long v = 0;
    while (*i < n && is_digit(s[*i])) {
        if (*i - start == max) return 0;
        v = v * 10 + (unsigned long long)(s[*i] - '0');
        (*i)++;
    }
    *value = v;
    *count = *i - start;
    return *count > 0;
}

int cue_parse_time(const char *s, size_t n, size_t *i, double *secs)
{
    unsigned long long field[3], frac = 0;
    size_t digits[3], nf = 0, j = *i, frac_digits = 0;
    for (;;) {
        if (!read_digits(s, n, &j, nf == 0 ? 9 : 2, &field[nf], &digits[nf])) return 0;
        nf++;
        if (nf < 3 && j + 1 < n && s[j] == ':' && is_digit(s[j + 1])) j++;
        else break;
    }
    if (nf < 2) return 0;
    for (size_t k = nf - 2; k < nf; k++)
        if (digits[k] > 2 || field[k] >= 60) return 0;
    if (j + 1 < n && (s[j] == '.' || s[j] == ',') && is_digit(s[j + 1])) {
        j++;
        if (!read_digits(s, n, &j, 3, &frac, &frac_digits)) return 0;
    }
    double scale = frac_digits == 1 ? 10 : frac_digits == 2 ? 100 : 1000;
    double total = nf == 3 ? (double)field[0] * 3600 + (double)field[1] * 60 + (double)field[2]
                           : (double)field[0] * 60 + (double)field[1];
    *secs = total + (frac_digits ? (double)frac / scale : 0);
    *i = j;
    return 1;
}

int cue_parse_timing(const char *s, size_t n, double *start, double *end)
{
    size_t i = skip_blanks(s, n, 0);
    if (!cue_parse_time(s, n, &i, start)) return 0;
    i = skip_blanks(s, n, i);
    if (n - i < 3 || memcmp(s + i, "-->", 3) != 0) return 0;
    i = skip_blanks(s, n, i + 3);
    if (!cue_parse_time(s, n, &i, end)) return 0;
    return i == n || is_blank(s[i]);
}

/* ---- character references ---------------------------------------------- */

typedef struct entity {
    const char *name;
    const char *text;
} entity;

/* The references subtitle files use; others are left as written. */
static const entity ENTITIES[] = {
    {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
    {"AMP", "&"}, {"LT", "<"}, {"GT", ">"}, {"QUOT", "\""},
    {"nbsp", " "}, {"lrm", ""}, {"rlm", ""},
    {"lsquo", "\xE2\x80\x98"}, {"rsquo", "\xE2\x80\x99"},
    {"ldquo", "\xE2\x80\x9C"}, {"rdquo", "\xE2\x80\x9D"},
    {"ndash", "\xE2\x80\x93"}, {"mdash", "\xE2\x80\x94"}, {"hellip", "\xE2\x80\xA6"},
};

static int is_ascii_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int hex_value(char c)
{
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* "&#233;" or "&#x00E9;": at most 8 digits. Code points that cannot be
 * text (NUL, surrogates, controls other than tab and line feed, beyond
 * U+10FFFF) become U+FFFD. */
static size_t decode_numeric(const char *s, size_t n, buf *out)
{
    size_t j = 2;
    int hex = j < n && (s[j] == 'x' || s[j] == 'X');
    if (hex) j++;
    size_t first = j;
    uint32_t cp = 0;
    for (; j < n && j - first <= 8; j++) {
        int v = hex ? hex_value(s[j]) : (is_digit(s[j]) ? s[j] - '0' : -1);
        if (v < 0) break;
        cp = cp * (hex ? 16u : 10u) + (uint32_t)v;
    }
    if (j == first || j - first > 8 || j >= n || s[j] != ';') return 0;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
        (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp <= 0x9F))
        cp = UTF8_REPLACEMENT;
    char enc[4];
    buf_add(out, enc, utf8_encode(cp, enc));
    return j + 1;
}

size_t cue_decode_entity(const char *s, size_t n, buf *out)
{
    if (n < 3 || s[0] != '&') return 0;
    if (s[1] == '#') return decode_numeric(s, n, out);
    size_t j = 1;
    while (j < n && j <= 32 && is_ascii_alnum(s[j])) j++;
    if (j == 1 || j >= n || s[j] != ';') return 0;
    for (size_t k = 0; k < sizeof ENTITIES / sizeof ENTITIES[0]; k++) {
        if (strlen(ENTITIES[k].name) == j - 1 && memcmp(ENTITIES[k].name, s + 1, j - 1) == 0) {
            buf_adds(out, ENTITIES[k].text);
            return j + 1;
        }
    }
    return 0;
}

void cue_decode_text(const char *s, size_t n, buf *out)
{
    size_t i = 0;
    while (i < n) {
        size_t used = s[i] == '&' ? cue_decode_entity(s + i, n - i, out) : 0;
        if (used) {
            i += used;
        } else {
            buf_addc(out, s[i]);
            i++;
        }
    }
}

/* ---- parts ------------------------------------------------------------- */

size_t cue_parts_add(cue_parts *p, const char *speaker, long line)
{
    p->items = xgrow(p->items, &p->cap, p->n + 1, sizeof *p->items);
    cue_part *part = &p->items[p->n];
    memset(part, 0, sizeof *part);
    part->speaker = speaker ? xstrdup(speaker) : NULL;
    part->line = line;
    return p->n++;
}

void cue_parts_set_speaker(cue_part *part, const char *speaker)
{
    free(part->speaker);
    part->speaker = xstrdup(speaker);
}

void cue_parts_clear(cue_parts *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->items[i].speaker);
        buf_free(&p->items[i].text);
    }
    p->n = 0;
}

void cue_parts_free(cue_parts *p)
{
    cue_parts_clear(p);
    free(p->items);
    p->items = NULL;
    p->cap = 0;
}

/* ---- the cue scanner --------------------------------------------------- */

/* One timed cue as the scanner returns it. */
typedef struct cue {
    double start, end;   /* seconds, TIME_UNKNOWN when absurd */
    long line;           /* the timing line */
    long text_line;      /* the first payload line (line + 1) */
    buf payload;         /* payload lines joined by '\n' */
} cue;

typedef struct cue_scanner {
    text_cursor cur;
    const cue_format *fmt;
    const char *source;
    diag_list *d;          /* NULL in the quiet first pass */
    size_t n_cues;         /* cues with a valid timing line */
    int held;              /* a timing line read while ending the previous cue */
    const char *held_line;
    size_t held_len;
    long held_no;
} cue_scanner;

static void scan_init(cue_scanner *sc, const text_cursor *start, const cue_format *fmt,
                      const char *source, diag_list *d)
{
    memset(sc, 0, sizeof *sc);
    sc->cur = *start;
    sc->fmt = fmt;
    sc->source = source;
    sc->d = d;
}

static void scan_warn(const cue_scanner *sc, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void scan_warn(const cue_scanner *sc, long line, const char *fmt, ...)
{
    if (!sc->d) return;
    buf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    diag_add(sc->d, sc->source, line, SEV_WARNING, "%s", buf_str(&msg));
    buf_free(&msg);
}

static const char *timing_example(const cue_scanner *sc)
{
    return sc->fmt->webvtt ? "00:01:02.500 --> 00:01:04.000" : "00:01:02,500 --> 00:01:04,000";
}

static int has_arrow(const char *s, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++)
        if (s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '>') return 1;
    return 0;
}

/* WebVTT blocks that are not cues: "NOTE", "STYLE" and "REGION" alone or
 * followed by white space. */
static int is_vtt_other_block(const char *s, size_t n)
{
    static const char *const KEYWORDS[] = {"NOTE", "STYLE", "REGION"};
    for (size_t k = 0; k < 3; k++) {
        size_t len = strlen(KEYWORDS[k]);
        if (n >= len && memcmp(s, KEYWORDS[k], len) == 0 && (n == len || is_blank(s[len])))
            return 1;
    }
    return 0;
}

/* A time beyond CUE_TIME_MAX becomes unknown, with a warning. */
static double checked_time(const cue_scanner *sc, double t, long line)
{
    if (t <= CUE_TIME_MAX) return t;
    char shown[CLOCK_TEXT_MAX];
    clock_format(t, shown);
    scan_warn(sc, line, "time %s is more than 1,000,000 seconds; treated as unknown "
              "(check the timing line)", shown);
    return TIME_UNKNOWN;
}

/* Begin cue c at timing line s[0..n); returns 0 when the line is malformed. */
static int scan_start_cue(cue_scanner *sc, cue *c, const char *s, size_t n, long line)
{
    double start, end;
    char a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX];
    if (!cue_parse_timing(s, n, &start, &end)) {
        scan_warn(sc, line, "malformed cue timing line; expected '%s' (hours optional); "
                  "cue skipped", timing_example(sc));
        return 0;
    }
    start = checked_time(sc, start, line);
    end = checked_time(sc, end, line);
    if (start >= 0 && end >= 0 && end < start) {
        clock_format(start, a);
        clock_format(end, b);
        scan_warn(sc, line, "cue ends before it starts (%s --> %s); times kept as written", a, b);
    }
    sc->n_cues++;
    c->start = start;
    c->end = end;
    c->line = line;
    c->text_line = line + 1;
    buf_clear(&c->payload);
    return 1;
}

/* A cue followed by the next timing line without a blank line between
 * them: a last payload line of digits only is the next cue's number. */
static void drop_trailing_number(buf *payload)
{
    const char *s = buf_str(payload);
    const char *nl = strrchr(s, '\n');
    size_t from = nl ? (size_t)(nl - s) + 1 : 0;
    span last = trim(s + from, payload->len - from);
    if (last.n == 0) return;
    for (size_t i = 0; i < last.n; i++)
        if (!is_digit(last.p[i])) return;
    payload->len = nl ? (size_t)(nl - s) : 0;
    payload->data[payload->len] = '\0';
}

static void warn_stray(const cue_scanner *sc, long line)
{
    scan_warn(sc, line, "text outside any cue ignored; a cue needs a timing line like '%s'",
              timing_example(sc));
}

/* The next cue with a valid timing line; returns 0 at the end of the file. */
static int scan_next(cue_scanner *sc, cue *c)
{
    int in_cue = 0, skipping = 0, block_start = 1;
    size_t stray = 0;      /* lines of this block before any timing line */
    long stray_line = 0;
    const char *s;
    size_t n;
    long no;
    for (;;) {
        if (sc->held) {
            s = sc->held_line;
            n = sc->held_len;
            no = sc->held_no;
            sc->held = 0;
        } else if (text_next_line(&sc->cur, &s, &n)) {
            no = sc->cur.line;
        } else {
            break;
        }
        if (is_blank_line(s, n)) {
            if (in_cue) return 1;
            if (stray) warn_stray(sc, stray_line);
            stray = 0;
            skipping = 0;
            block_start = 1;
            continue;
        }
        int timing = has_arrow(s, n);
        if (in_cue) {
            if (!timing) {
                if (c->payload.len) buf_addc(&c->payload, '\n');
                buf_add(&c->payload, s, n);
                continue;
            }
            sc->held = 1;
            sc->held_line = s;
            sc->held_len = n;
            sc->held_no = no;
            drop_trailing_number(&c->payload);
            return 1;
        }
        if (skipping && !timing) continue;
        if (block_start && sc->fmt->webvtt && is_vtt_other_block(s, n)) {
            skipping = 1;
            block_start = 0;
            continue;
        }
        block_start = 0;
        if (!timing) {
            if (stray++ == 0) stray_line = no;
            continue;
        }
        if (stray > 1) warn_stray(sc, stray_line);   /* the last one is the identifier */
        stray = 0;
        if (scan_start_cue(sc, c, s, n, no)) {
            in_cue = 1;
            skipping = 0;
        } else {
            skipping = 1;
        }
    }
    if (stray) warn_stray(sc, stray_line);
    return in_cue;
}

/* ---- speaker labels ---------------------------------------------------- */

static int is_label_char(uint32_t cp)
{
    return utf8_is_word_char(cp) || cp == '.' || cp == '\'' || cp == 0x2019 || cp == '-' ||
           cp == '_' || cp == '(' || cp == ')' || cp == '#';
}

/* 1 to 4 words separated by single spaces, 1 to 40 characters, starting
 * with a letter, made of letters, digits and . ' - _ ( ) #. */
static int looks_like_label(span l)
{
    size_t i = 0, chars = 0, words = 1, len;
    if (l.n == 0 || !is_letter(code_point_at(l.p, l.n, 0, &len))) return 0;
    int after_space = 0;
    while (i < l.n) {
        uint32_t cp = code_point_at(l.p, l.n, i, &len);
        i += len;
        if (++chars > LABEL_MAX_CHARS) return 0;
        if (cp == ' ') {
            if (after_space || ++words > LABEL_MAX_WORDS) return 0;
            after_space = 1;
        } else {
            if (!is_label_char(cp)) return 0;
            after_space = 0;
        }
    }
    return 1;
}

/* Lower-case words that may stand inside a name ("Anna van Dijk"). */
static int is_name_particle(const char *p, size_t n)
{
    static const char *const PARTICLES[] = {
        "van", "von", "de", "der", "den", "del", "della", "di", "da", "das", "dos",
        "du", "la", "le", "al", "el", "bin", "ibn", "ben", "y", "ter", "ten", "op",
    };
    for (size_t k = 0; k < sizeof PARTICLES / sizeof PARTICLES[0]; k++)
        if (strlen(PARTICLES[k]) == n && memcmp(PARTICLES[k], p, n) == 0) return 1;
    return 0;
}

/* Shaped like a name: no word starts with a lower-case letter, except name
 * particles after the first word ("Jane Doe", "Dr. Mills", "Speaker 1"). */
static int name_shaped(span l)
{
    size_t i = 0, len;
    int first = 1;
    while (i < l.n) {
        size_t end = i;
        while (end < l.n && l.p[end] != ' ') end++;
        if (is_lower_letter(code_point_at(l.p, l.n, i, &len)) &&
            (first || !is_name_particle(l.p + i, end - i)))
            return 0;
        first = 0;
        i = end + 1;
    }
    return 1;
}

/* Sound descriptions that open a line in brackets like a speaker would. */
static int is_sound_word(span l)
{
    static const char *const SOUNDS[] = {
        "laugh", "laughs", "laughing", "laughter", "chuckles", "chuckling", "giggles",
        "sighs", "sighing", "coughs", "coughing", "sniffs", "sniffling", "sobs", "sobbing",
        "cries", "crying", "music", "applause", "inaudible", "unintelligible", "indistinct",
        "crosstalk", "silence", "pause", "pauses", "noise", "background", "static", "beep",
        "phone", "door", "clears", "groans", "exhales", "inhales", "whispers", "whispering",
    };
    size_t w = 0;
    while (w < l.n && l.p[w] != ' ') w++;
    for (size_t k = 0; k < sizeof SOUNDS / sizeof SOUNDS[0]; k++)
        if (strlen(SOUNDS[k]) == w && strncasecmp(SOUNDS[k], l.p, w) == 0) return 1;
    return 0;
}

/* "Name: text": the first colon of the line, followed by white space or the
 * end of the line, after a label (blanks before the colon allowed). */
static int colon_label(const char *s, size_t n, size_t i, span *label, size_t *rest)
{
    size_t limit = n - i < LABEL_SEARCH_BYTES ? n : i + LABEL_SEARCH_BYTES;
    size_t colon = i;
    while (colon < limit && s[colon] != ':') colon++;
    if (colon >= limit) return 0;
    if (colon + 1 < n && !is_blank(s[colon + 1])) return 0;
    *label = trim(s + i, colon - i);
    if (!looks_like_label(*label)) return 0;
    *rest = skip_blanks(s, n, colon + 1);
    return 1;
}

/* "[Name] text": a capitalised label that is not a sound description,
 * followed by text on the same line. */
static int bracket_label(const char *s, size_t n, size_t i, span *label, size_t *rest)
{
    size_t limit = n - i < LABEL_SEARCH_BYTES ? n : i + LABEL_SEARCH_BYTES;
    size_t close = i + 1, len;
    while (close < limit && s[close] != ']') close++;
    if (close >= limit) return 0;
    *label = trim(s + i + 1, close - i - 1);
    if (!looks_like_label(*label) || is_lower_letter(code_point_at(label->p, label->n, 0, &len)) ||
        is_sound_word(*label))
        return 0;
    *rest = skip_blanks(s, n, close + 1);
    return *rest < n;
}

/* A candidate speaker label at the start of line s[0..n) in one of the
 * forms; *rest is where the text after it starts. */
static int find_label(const char *s, size_t n, unsigned forms, span *label, size_t *rest)
{
    size_t i = skip_blanks(s, n, 0);
    if (i < n && s[i] == '-' && (forms & CUE_LABEL_DASH))
        return colon_label(s, n, skip_blanks(s, n, i + 1), label, rest);
    if (i < n && s[i] == '[' && (forms & CUE_LABEL_BRACKETS))
        return bracket_label(s, n, i, label, rest);
    return colon_label(s, n, i, label, rest);
}

/* Every candidate label of a file, sorted after the first pass so that the
 * second can count how many lines each begins. */
typedef struct label_list {
    char **items;
    size_t n, cap;
} label_list;

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* How many lines begin with this label, counted up to 2 (all that
 * label_accepted asks): counting every one made a file of 200,000 cues by
 * two speakers take a minute. */
static size_t label_count(const label_list *l, const char *label)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {                       /* the first item >= label */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(l->items[mid], label) < 0) lo = mid + 1;
        else hi = mid;
    }
    size_t count = 0;
    while (count < 2 && lo + count < l->n && strcmp(l->items[lo + count], label) == 0) count++;
    return count;
}

static void label_list_free(label_list *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->items[i]);
    free(l->items);
}

/* The lines of a text whose lines are separated by '\n'. */
typedef struct line_iter {
    const char *s;
    size_t n, pos;
} line_iter;

static int next_text_line(line_iter *it, const char **line, size_t *len)
{
    if (it->pos > it->n) return 0;
    const char *nl = memchr(it->s + it->pos, '\n', it->n - it->pos);
    size_t end = nl ? (size_t)(nl - it->s) : it->n;
    *line = it->s + it->pos;
    *len = end - it->pos;
    it->pos = end + 1;
    return 1;
}

/* First pass: remember each candidate label of a speaker-less part. */
static void collect_labels(const buf *text, unsigned forms, label_list *l)
{
    line_iter it = {buf_str(text), text->len, 0};
    const char *s;
    size_t n, rest;
    span label;
    while (next_text_line(&it, &s, &n)) {
        if (!find_label(s, n, forms, &label, &rest)) continue;
        l->items = xgrow(l->items, &l->cap, l->n + 1, sizeof *l->items);
        l->items[l->n++] = xstrndup(label.p, label.n);
    }
}

static int is_empty_text(const buf *b)
{
    for (size_t i = 0; i < b->len; i++)
        if (!is_space(b->data[i])) return 0;
    return 1;
}

/* A candidate is a speaker label when it begins at least two lines of the
 * file, is shaped like a name, or is a role word or --roles label. */
static int label_accepted(span label, const char *name, const label_list *l, const role_map *roles)
{
    return label_count(l, name) >= 2 || name_shaped(label) || role_known(roles, name) >= 0;
}

/* Second pass: split a speaker-less part into one part per accepted label. */
static void split_at_labels(const cue_part *whole, unsigned forms, const label_list *l,
                            const role_map *roles, cue_parts *out)
{
    line_iter it = {buf_str(&whole->text), whole->text.len, 0};
    size_t cur = cue_parts_add(out, NULL, whole->line);
    const char *s;
    size_t n, rest;
    span label;
    for (long line = whole->line; next_text_line(&it, &s, &n); line++) {
        size_t from = 0;
        if (find_label(s, n, forms, &label, &rest)) {
            char *name = xstrndup(label.p, label.n);
            if (label_accepted(label, name, l, roles)) {
                cue_part *p = &out->items[cur];
                if (!p->speaker && is_empty_text(&p->text)) {
                    cue_parts_set_speaker(p, name);
                    p->line = line;
                    buf_clear(&p->text);
                } else {
                    cur = cue_parts_add(out, name, line);
                }
                from = rest;
            }
            free(name);
        }
        buf *text = &out->items[cur].text;
        if (text->len) buf_addc(text, '\n');
        buf_add(text, s + from, n - from);
    }
}

/* ---- building the session ---------------------------------------------- */

typedef struct cue_builder {
    session *s;
    int has_last;          /* a previous utterance gave a speaker to continue */
    size_t last;
    size_t n_unknown;      /* utterances given to 'unknown' */
    long first_unknown;
} cue_builder;

/* White space runs (line breaks included) become one space; ends trimmed. */
static void tidy_spaces(const buf *in, buf *out)
{
    buf_clear(out);
    int pending = 0;
    for (size_t i = 0; i < in->len; i++) {
        if (is_space(in->data[i])) {
            pending = out->len > 0;
            continue;
        }
        if (pending) buf_addc(out, ' ');
        pending = 0;
        buf_addc(out, in->data[i]);
    }
}

static void emit_parts(cue_builder *b, const cue_parts *parts, const cue *c)
{
    buf text = {0};
    for (size_t i = 0; i < parts->n; i++) {
        const cue_part *p = &parts->items[i];
        tidy_spaces(&p->text, &text);
        if (text.len == 0) continue;
        size_t who;
        if (p->speaker) {
            who = session_speaker(b->s, p->speaker);
        } else if (b->has_last) {
            who = b->last;
        } else {
            who = session_speaker(b->s, "unknown");
            if (b->n_unknown == 0) b->first_unknown = p->line;
            b->n_unknown++;
        }
        session_add_utterance(b->s, who, buf_str(&text), c->start, c->end, p->line);
        b->last = who;
        b->has_last = 1;
    }
    buf_free(&text);
}

static int needs_label_split(const cue_parts *parts)
{
    return parts->n == 1 && parts->items[0].speaker == NULL;
}

static void markup_cue(const cue_format *fmt, const cue *c, cue_parts *parts)
{
    cue_parts_clear(parts);
    fmt->markup(buf_str(&c->payload), c->payload.len, c->text_line, parts);
}

/* Move a finished session to the end of out. */
static void commit_session(session_list *out, session *s)
{
    session *slot = session_list_add(out, s->id, s->source);
    session_free(slot);
    *slot = *s;
}

int cue_read_session(const text_cursor *start, const cue_format *fmt, const reader_input *in,
                     const reader_options *opt, session_list *out, diag_list *d)
{
    const role_map *roles = opt ? opt->roles : NULL;
    cue_scanner sc;
    cue c = {0};
    cue_parts parts = {0}, split = {0};
    label_list labels = {0};

    scan_init(&sc, start, fmt, in->source, NULL);
    while (scan_next(&sc, &c)) {
        markup_cue(fmt, &c, &parts);
        if (needs_label_split(&parts)) collect_labels(&parts.items[0].text, fmt->label_forms, &labels);
    }
    if (labels.n) qsort(labels.items, labels.n, sizeof *labels.items, compare_strings);

    session s;
    session_init(&s, in->session_id, in->source);
    cue_builder b = {.s = &s};
    scan_init(&sc, start, fmt, in->source, d);
    while (scan_next(&sc, &c)) {
        markup_cue(fmt, &c, &parts);
        const cue_parts *use = &parts;
        if (needs_label_split(&parts)) {
            cue_parts_clear(&split);
            split_at_labels(&parts.items[0], fmt->label_forms, &labels, roles, &split);
            use = &split;
        }
        emit_parts(&b, use, &c);
    }

    int rc = 0;
    if (sc.n_cues == 0) {
        diag_add(d, in->source, 0, SEV_ERROR, "no cues found");
        rc = -1;
    } else if (s.n_utts == 0) {
        diag_add(d, in->source, 0, SEV_ERROR, "no cue has any text (%zu cue%s, all empty)",
                 sc.n_cues, sc.n_cues == 1 ? "" : "s");
        rc = -1;
    } else if (b.n_unknown) {
        diag_add(d, in->source, b.first_unknown, SEV_WARNING, "%s", fmt->no_speaker);
    }
    if (rc == 0) commit_session(out, &s);
    else session_free(&s);
    label_list_free(&labels);
    cue_parts_free(&parts);
    cue_parts_free(&split);
    buf_free(&c.payload);
    return rc;
}

size_t cue_skip_bom(const char *head, size_t n)
{
    return n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}
