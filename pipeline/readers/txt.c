/* txt.c: the plain-text transcript reader.
 *
 * An utterance starts with a speaker label and a colon at the start of a line
 * ("THERAPIST: So how was your week?"); lines without a label continue it.
 * A candidate label counts as a speaker only when it is a known role word (or
 * in the --roles map) or when it begins at least two lines of the file, so
 * "Homework: write it down" inside someone's speech stays text. Which
 * labels those are is known only at the end of the file, so the first pass
 * counts candidate labels in a hash table and builds the session on the
 * guess that every candidate is a speaker; a second pass builds it again
 * only when that guess turns out wrong (a label that is not a speaker, an
 * Otter export).
 *
 * Optional timestamps ("[00:01:02] T: ...", "00:01:02 T: ...",
 * "T: (01:02) ...") give the start time. Two transcription-service exports
 * are read as well: Otter ("Speaker 1  0:03" alone on a line, text below;
 * recognised only when at least two lines have that shape) and Rev
 * ("Speaker 1 (00:00): text"). The format is described for users in
 * docs/formats/txt.md. */
#include "readers/reader.h"
#include "readers/source.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_MAX_CHARS 40
#define LABEL_MAX_WORDS 4
/* An Otter header is a label (at most 40 characters of up to 4 bytes, with
 * spaces) and a time; longer lines need not be looked at. */
#define OTTER_LINE_MAX 256

/* ---- characters and spans ---------------------------------------------- */

typedef struct span {
    const char *p;
    size_t n;
} span;

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v';
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

/* The code point at s[i] (s[0..n) is valid UTF-8); *len gets its byte count. */
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

static int is_label_char(uint32_t cp)
{
    return utf8_is_word_char(cp) || cp == '.' || cp == '_' || cp == '-' || cp == '\'';
}

/* is_label_char for ASCII, by table: 2 for letters, 1 for the others. */
static const unsigned char ASCII_LABEL[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['.'] = 1, ['_'] = 1, ['-'] = 1, ['\''] = 1,
    ['a'] = 2, ['b'] = 2, ['c'] = 2, ['d'] = 2, ['e'] = 2, ['f'] = 2, ['g'] = 2, ['h'] = 2,
    ['i'] = 2, ['j'] = 2, ['k'] = 2, ['l'] = 2, ['m'] = 2, ['n'] = 2, ['o'] = 2, ['p'] = 2,
    ['q'] = 2, ['r'] = 2, ['s'] = 2, ['t'] = 2, ['u'] = 2, ['v'] = 2, ['w'] = 2, ['x'] = 2,
    ['y'] = 2, ['z'] = 2,
    ['A'] = 2, ['B'] = 2, ['C'] = 2, ['D'] = 2, ['E'] = 2, ['F'] = 2, ['G'] = 2, ['H'] = 2,
    ['I'] = 2, ['J'] = 2, ['K'] = 2, ['L'] = 2, ['M'] = 2, ['N'] = 2, ['O'] = 2, ['P'] = 2,
    ['Q'] = 2, ['R'] = 2, ['S'] = 2, ['T'] = 2, ['U'] = 2, ['V'] = 2, ['W'] = 2, ['X'] = 2,
    ['Y'] = 2, ['Z'] = 2,
};

/* The byte length of the label character at s[i] (i < n), or 0 when there
 * is none; ASCII goes by table, the rest is decoded. */
static size_t label_char_at(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) return ASCII_LABEL[c] != 0;
    size_t len;
    return is_label_char(code_point_at(s, n, i, &len)) ? len : 0;
}

static int letter_at(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) return ASCII_LABEL[c] == 2;
    size_t len;
    return is_letter(code_point_at(s, n, i, &len));
}

/* ---- times ------------------------------------------------------------- */

/* The length of the run of digits, ':' and '.' at s[0..n): where a time
 * written as H:MM:SS(.frac) or MM:SS(.frac) would end. */
static size_t clock_run(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (is_digit(s[i]) || s[i] == ':' || s[i] == '.')) i++;
    return i;
}

/* Read 1 to `max` digits at s[*i]; more digits than that fail. */
static int read_digits(const char *s, size_t n, size_t *i, size_t max,
                       unsigned long *value, size_t *count)
{
    size_t start = *i;
    unsigned long v = 0;
    while (*i < n && is_digit(s[*i])) {
        if (*i - start == max) return 0;
        v = v * 10 + (unsigned long)(s[*i] - '0');
        (*i)++;
    }
    *value = v;
    *count = *i - start;
    return *count > 0;
}

/* Parse exactly s[0..n) as H:MM:SS(.frac) or MM:SS(.frac) into seconds.
 * Seconds (and the minutes of H:MM:SS) are two digits below 60; the first
 * field has 1 to 3 digits. Returns 1 when it is such a time. */
static int parse_clock(const char *s, size_t n, double *secs)
{
    unsigned long field[3];
    size_t digits[3], nf = 0, i = 0;
    for (;;) {
        if (!read_digits(s, n, &i, 3, &field[nf], &digits[nf])) return 0;
        nf++;
        if (nf < 3 && i < n && s[i] == ':') i++;
        else break;
    }
    if (nf < 2) return 0;
    double frac = 0;
    if (i < n && s[i] == '.') {
        i++;
        unsigned long f;
        size_t fd;
        if (!read_digits(s, n, &i, 9, &f, &fd)) return 0;
        double scale = 1;
        while (fd--) scale *= 10;
        frac = (double)f / scale;
    }
    if (i != n) return 0;
    if (digits[nf - 1] != 2 || field[nf - 1] >= 60) return 0;
    if (nf == 3 && (digits[1] != 2 || field[1] >= 60)) return 0;
    double total = nf == 3 ? (double)field[0] * 3600 + (double)field[1] * 60 + (double)field[2]
                           : (double)field[0] * 60 + (double)field[1];
    *secs = total + frac;
    return 1;
}

/* The time "HH:MM:SS" at s[1..9), the commonest shape (parse_clock
 * takes every shape, this one included, to the same seconds): 1 when it
 * is one. */
static int bracketed_hh_mm_ss(const char *s, double *secs)
{
    static const unsigned char at[6] = {1, 2, 4, 5, 7, 8};
    unsigned d[6];
    if (s[3] != ':' || s[6] != ':') return 0;
    for (int k = 0; k < 6; k++) {
        d[k] = (unsigned)((unsigned char)s[at[k]] - '0');
        if (d[k] > 9) return 0;
    }
    unsigned long h = d[0] * 10 + d[1], m = d[2] * 10 + d[3], sec = d[4] * 10 + d[5];
    if (m >= 60 || sec >= 60) return 0;
    *secs = (double)h * 3600 + (double)m * 60 + (double)sec + 0.0;
    return 1;
}

/* A timestamp at the start of s[0..n): "[time]" or "(time)", or, when
 * bare_ok, a bare time followed by white space. Returns the bytes it
 * takes (0 when there is none) and sets *secs. */
static size_t parse_timestamp(const char *s, size_t n, int bare_ok, double *secs)
{
    if (n == 0) return 0;
    if (s[0] == '[' || s[0] == '(') {
        char close = s[0] == '[' ? ']' : ')';
        if (n >= 10 && s[9] == close && bracketed_hh_mm_ss(s, secs)) return 10;
        size_t run = clock_run(s + 1, n - 1);
        if (1 + run < n && s[1 + run] == close && parse_clock(s + 1, run, secs)) return run + 2;
        return 0;
    }
    if (!bare_ok) return 0;
    size_t run = clock_run(s, n);
    if (run < n && is_blank(s[run]) && parse_clock(s, run, secs)) return run;
    return 0;
}

/* ---- labels ------------------------------------------------------------ */

/* The byte length of the speaker label that starts s[0..n): 1 to 4 words
 * separated by single spaces, made of letters and digits of any script and
 * . _ - ', starting with a letter, 1 to 40 characters in all. The label ends
 * where something other than a label character or a single space before
 * another word follows. Returns 0 when s does not start with a label. */
static size_t scan_label(const char *s, size_t n)
{
    size_t i = 0, chars = 0, words = 0, len;
    if (n == 0 || !letter_at(s, n, 0)) return 0;
    for (;;) {
        words++;
        for (;;) {
            /* a run of ASCII label characters first: one byte, one character */
            size_t from = i;
            while (i < n && (unsigned char)s[i] < 0x80 && ASCII_LABEL[(unsigned char)s[i]]) i++;
            chars += i - from;
            if (chars > LABEL_MAX_CHARS) return 0;
            if (i >= n || (unsigned char)s[i] < 0x80 || (len = label_char_at(s, n, i)) == 0) break;
            i += len;
            if (++chars > LABEL_MAX_CHARS) return 0;
        }
        if (i + 1 < n && s[i] == ' ' && label_char_at(s, n, i + 1)) {
            if (words == LABEL_MAX_WORDS) return 0;
            i++;
            if (++chars > LABEL_MAX_CHARS) return 0;
        } else {
            return i;
        }
    }
}

/* ---- one line ---------------------------------------------------------- */

typedef enum {
    LINE_BLANK,  /* nothing but white space */
    LINE_TEXT,   /* no label: continues the utterance (or is a header line) */
    LINE_COLON,  /* a candidate label and a colon: "T: text", "Jane (00:01): text" */
    LINE_OTTER   /* an Otter header shape: "Speaker 1  0:03" alone on its line */
} line_kind;

typedef struct line_parse {
    line_kind kind;
    span label;   /* LINE_COLON and LINE_OTTER */
    double start; /* seconds, or TIME_UNKNOWN */
    span text;    /* the utterance text on this line, trimmed (the whole line for LINE_TEXT) */
} line_parse;

/* The rest of a "LABEL:" line s[0..n) from s[j], where its colon should
 * be: the line's kind, label and start (TIME_UNKNOWN or the time before
 * the label) into lp, and its text. Returns 0 when it is no such line. */
static int parse_after_colon(const char *s, size_t n, size_t j, span label, double start, line_parse *lp)
{
    double t;
    if (j >= n || s[j] != ':') return 0;
    j++;
    /* a colon before a digit is part of a time ("Speaker 1 0:03"), one
     * before a slash part of an address ("https://") */
    if (j < n && (is_digit(s[j]) || s[j] == '/')) return 0;
    j = skip_blanks(s, n, j);
    if (start < 0) {
        size_t k = parse_timestamp(s + j, n - j, 0, &t);
        if (k) {
            start = t;
            j += k;
        }
    }
    lp->kind = LINE_COLON;
    lp->label = label;
    lp->start = start;
    lp->text = trim(s + j, n - j);
    return 1;
}

/* "LABEL: text" with an optional timestamp before the label, a Rev time
 * between label and colon, or a bracketed timestamp after the colon. */
static int parse_colon_line(const char *s, size_t n, line_parse *lp)
{
    double start = TIME_UNKNOWN, t;
    size_t i = parse_timestamp(s, n, 1, &start);
    if (i) i = skip_blanks(s, n, i);
    size_t label_len = scan_label(s + i, n - i);
    if (!label_len) return 0;
    span label = {s + i, label_len};
    size_t j = skip_blanks(s, n, i + label_len);
    if (j > i + label_len && j < n && s[j] == '(') {     /* Rev: "Jane Doe (01:02):" */
        size_t k = parse_timestamp(s + j, n - j, 0, &t);
        if (!k) return 0;
        if (start < 0) start = t;
        j = skip_blanks(s, n, j + k);
    }
    return parse_after_colon(s, n, j, label, start, lp);
}

/* An Otter speaker header: a label, white space and a time, nothing else. */
static int parse_otter_line(const char *s, span line, line_parse *lp)
{
    /* the time at its end ends in a digit: most lines are turned away here */
    if (line.p != s || line.n > OTTER_LINE_MAX || !line.n || !is_digit(line.p[line.n - 1])) return 0;
    size_t end = line.n;
    size_t time_at = end;
    while (time_at && !is_blank(line.p[time_at - 1])) time_at--;
    if (time_at == 0) return 0;
    double t;
    if (!parse_clock(line.p + time_at, end - time_at, &t)) return 0;
    span head = trim(line.p, time_at);
    if (scan_label(head.p, head.n) != head.n) return 0;
    lp->kind = LINE_OTTER;
    lp->label = head;
    lp->start = t;
    lp->text = (span){line.p + end, 0};
    return 1;
}

static void parse_line(const char *s, size_t n, line_parse *lp)
{
    span line = trim(s, n);
    lp->kind = line.n ? LINE_TEXT : LINE_BLANK;
    lp->label = (span){s, 0};
    lp->start = TIME_UNKNOWN;
    lp->text = line;
    if (lp->kind == LINE_BLANK) return;
    if (parse_colon_line(s, n, lp)) return;
    parse_otter_line(s, line, lp);
}

/* ---- candidate labels: an open-addressing hash table ------------------- */

typedef struct label_entry {
    char *label;          /* NUL-terminated copy; NULL marks a free slot */
    size_t len;
    uint32_t hash;
    size_t colon_lines;   /* lines it begins as "LABEL:" */
    size_t otter_lines;   /* lines it begins as an Otter header */
    int is_speaker;       /* decided after the first pass */
    size_t speaker;       /* index in the session; SIZE_MAX until first used */
} label_entry;

typedef struct label_table {
    label_entry *slots;
    size_t cap, n;        /* cap is a power of two */
    size_t recent[2];     /* slots of the last label added and of the one before
                             (guesses, checked before use): dialogue mostly
                             alternates two speakers, so most lines need
                             neither a hash nor a probe */
} label_table;

static uint32_t hash_bytes(const char *p, size_t n)
{
    uint32_t h = 2166136261u;              /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 16777619u;
    }
    return h;
}

static label_entry *table_slot(label_entry *slots, size_t cap, const char *p, size_t n, uint32_t h)
{
    size_t i = h & (cap - 1);
    while (slots[i].label && !(slots[i].hash == h && slots[i].len == n &&
                               memcmp(slots[i].label, p, n) == 0))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static void table_grow(label_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64;
    label_entry *slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < t->cap; i++) {
        label_entry *e = &t->slots[i];
        if (e->label) *table_slot(slots, cap, e->label, e->len, e->hash) = *e;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
}

static label_entry *table_find(const label_table *t, span label)
{
    if (!t->cap) return NULL;
    label_entry *e = table_slot(t->slots, t->cap, label.p, label.n, hash_bytes(label.p, label.n));
    return e->label ? e : NULL;
}

/* Whether slot k holds exactly label. */
static int slot_holds(const label_table *t, size_t k, span label)
{
    const label_entry *e = &t->slots[k];
    return e->label && e->len == label.n && memcmp(e->label, label.p, label.n) == 0;
}

static label_entry *table_add(label_table *t, span label)
{
    size_t before = t->recent[1], last = t->recent[0];
    if (before < t->cap && slot_holds(t, before, label)) {
        t->recent[0] = before;
        t->recent[1] = last;
        return &t->slots[before];
    }
    if (last < t->cap && slot_holds(t, last, label)) return &t->slots[last];
    if ((t->n + 1) * 2 > t->cap) table_grow(t);
    uint32_t h = hash_bytes(label.p, label.n);
    label_entry *e = table_slot(t->slots, t->cap, label.p, label.n, h);
    t->recent[1] = t->recent[0];
    t->recent[0] = (size_t)(e - t->slots);
    if (!e->label) {
        e->label = xstrndup(label.p, label.n);
        e->len = label.n;
        e->hash = h;
        e->speaker = SIZE_MAX;
        t->n++;
    }
    return e;
}

static void table_free(label_table *t)
{
    for (size_t i = 0; i < t->cap; i++) free(t->slots[i].label);
    free(t->slots);
    t->slots = NULL;
    t->cap = t->n = 0;
}

/* Which of the recent labels (table_add's guesses, recent[k]) the line
 * s[0..n) starts with, its colon right after it: k, or -1. Such a line
 * parses as "LABEL: text" with that label (parse_colon_line: scan_label
 * stops at the colon), so most lines of a dialogue need neither scan_label
 * nor a hash. */
static int recent_label_at(const label_table *t, const char *s, size_t n)
{
    for (int k = 0; k < 2; k++) {
        if (t->recent[k] >= t->cap) continue;
        const label_entry *e = &t->slots[t->recent[k]];
        if (e->label && e->len < n && s[e->len] == ':' && memcmp(e->label, s, e->len) == 0) return k;
    }
    return -1;
}

/* A line that starts with one of the recent labels and its colon, after
 * the time parse_colon_line would take before a label, if any ("[00:12]
 * T: text"): parsed into lp as parse_line would, and k of the label
 * returned; -1 for any other line (parse_line's to parse). */
static int parse_recent_label_line(const label_table *t, const char *s, size_t n, line_parse *lp)
{
    double start = TIME_UNKNOWN;
    size_t i = parse_timestamp(s, n, 1, &start);
    if (i) i = skip_blanks(s, n, i);
    int k = recent_label_at(t, s + i, n - i);
    if (k < 0) return -1;
    size_t len = t->slots[t->recent[k]].len;
    return parse_after_colon(s, n, i + len, (span){s + i, len}, start, lp) ? k : -1;
}

/* table_add for the label recent[k] found by recent_label_at. */
static label_entry *table_add_recent(label_table *t, int k)
{
    size_t slot = t->recent[k];
    if (k == 1) {
        t->recent[1] = t->recent[0];
        t->recent[0] = slot;
    }
    return &t->slots[slot];
}

/* ---- building the session --------------------------------------------- */

typedef struct utt_builder {
    session *s;
    int open;             /* an utterance is being collected */
    size_t speaker;
    double start;
    long line;
    span first;           /* its text while that is one piece, still in the file */
    buf text;             /* its text once a second piece joined the first */
    size_t header_lines;  /* text lines before the first utterance */
    long first_header;
} utt_builder;

static void utt_finish(utt_builder *b)
{
    if (!b->open) return;
    span text = b->text.len ? (span){b->text.data, b->text.len} : b->first;
    session_add_utterance_len(b->s, b->speaker, text.p, text.n, b->start, TIME_UNKNOWN, b->line);
    buf_clear(&b->text);
    b->first.n = 0;
    b->open = 0;
}

/* Most utterances are one line: their text is copied only once, into the
 * session, and pieces are joined with single spaces in b->text otherwise. */
static void utt_append(utt_builder *b, span text)
{
    if (!text.n) return;
    if (!b->first.n && !b->text.len) {
        b->first = text;
        return;
    }
    if (b->first.n) {
        buf_add(&b->text, b->first.p, b->first.n);
        b->first.n = 0;
    }
    buf_addc(&b->text, ' ');
    buf_add(&b->text, text.p, text.n);
}

static void utt_begin(utt_builder *b, label_entry *e, const line_parse *lp, long line)
{
    utt_finish(b);
    if (e->speaker == SIZE_MAX) e->speaker = session_speaker(b->s, e->label);
    b->open = 1;
    b->speaker = e->speaker;
    b->start = lp->start;
    b->line = line;
    utt_append(b, lp->text);
}

/* Line p[0..n), parsed as lp, into the session: e is the speaker it starts
 * an utterance for (NULL: it continues one, or is a header line). */
static void take_line(utt_builder *b, label_entry *e, const line_parse *lp, const char *p, size_t n,
                      long line)
{
    if (e) utt_begin(b, e, lp, line);
    else if (lp->kind == LINE_BLANK) return;
    else if (b->open) utt_append(b, trim(p, n));
    else if (b->header_lines++ == 0) b->first_header = line;
}

/* ---- pass 1: count candidate labels, guess the session ----------------- */

/* Count every candidate label; returns the number of Otter-shaped lines.
 * The session is built on the way (into b) as if every "LABEL:" line began
 * an utterance and Otter headers were text, which is what most files turn
 * out to hold: then there is no second pass (see guess_held). */
static size_t count_labels(const text_file *tf, label_table *t, utt_builder *b)
{
    text_cursor c;
    const char *s;
    size_t n, otter_shaped = 0;
    line_parse lp;
    text_cursor_init(&c, tf);
    while (text_next_line(&c, &s, &n)) {
        int k = parse_recent_label_line(t, s, n, &lp);
        label_entry *e = NULL;
        if (k >= 0) {
            e = table_add_recent(t, k);
            e->colon_lines++;
            take_line(b, e, &lp, s, n, c.line);
            continue;
        }
        parse_line(s, n, &lp);
        if (lp.kind == LINE_COLON) {
            e = table_add(t, lp.label);
            e->colon_lines++;
        } else if (lp.kind == LINE_OTTER) {
            table_add(t, lp.label)->otter_lines++;
            otter_shaped++;
        }
        take_line(b, e, &lp, s, n, c.line);
    }
    utt_finish(b);
    return otter_shaped;
}

/* Decide which candidates are speakers; returns how many labelled lines
 * the file has (0 means there is nothing to read). */
static size_t decide_speakers(label_table *t, const role_map *roles, int otter)
{
    size_t labelled = 0;
    for (size_t i = 0; i < t->cap; i++) {
        label_entry *e = &t->slots[i];
        if (!e->label) continue;
        size_t lines = e->colon_lines + (otter ? e->otter_lines : 0);
        e->is_speaker = lines > 0 && (lines >= 2 || role_known(roles, e->label) >= 0);
        if (e->is_speaker) labelled += lines;
    }
    return labelled;
}

/* Whether pass 2 would build the session pass 1 guessed: no Otter headers
 * are read and every label that began a "LABEL:" line is a speaker. */
static int guess_held(const label_table *t, int otter)
{
    if (otter) return 0;
    for (size_t i = 0; i < t->cap; i++) {
        const label_entry *e = &t->slots[i];
        if (e->label && e->colon_lines && !e->is_speaker) return 0;
    }
    return 1;
}

/* ---- pass 2: build the session when the guess was wrong ---------------- */

/* The speaker entry this line starts an utterance for, or NULL. */
static label_entry *line_speaker(const label_table *t, const line_parse *lp, int otter)
{
    if (lp->kind != LINE_COLON && !(otter && lp->kind == LINE_OTTER)) return NULL;
    label_entry *e = table_find(t, lp->label);
    return e && e->is_speaker ? e : NULL;
}

static void build_session(const text_file *tf, label_table *t, int otter, utt_builder *b)
{
    text_cursor c;
    const char *p;
    size_t n;
    line_parse lp;
    for (size_t i = 0; i < t->cap; i++) t->slots[i].speaker = SIZE_MAX;
    text_cursor_init(&c, tf);
    while (text_next_line(&c, &p, &n)) {
        parse_line(p, n, &lp);
        take_line(b, line_speaker(t, &lp, otter), &lp, p, n, c.line);
    }
    utt_finish(b);
}

/* How many utterances a text of len bytes is expected to hold, to make room
 * for them at once: a line takes about 100 bytes on average (the synthetic
 * corpus 113, AnnoMI's sessions as text 102), so 48 leaves room for files
 * of shorter lines, and one of very short lines only grows its list a step
 * or two more. At most 65,536 (3.5 MB), so that a huge file is not given
 * megabytes it may not use. */
static size_t utterances_expected(size_t len)
{
    size_t n = len / 48 + 16;
    return n < 65536 ? n : 65536;
}

int read_txt(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d)
{
    text_file tf;
    if (reader_load_text(in, &tf, d) != 0) return -1;
    label_table t = {0};
    session *s = session_list_add(out, in->session_id, in->source);
    session_reserve_utterances(s, utterances_expected(tf.len));
    utt_builder b = {.s = s};
    int otter = count_labels(&tf, &t, &b) >= 2;
    int rc = 0;
    if (decide_speakers(&t, opt ? opt->roles : NULL, otter) == 0) {
        diag_add(d, in->source, 0, SEV_ERROR,
                 "no speaker labels found; expected lines like 'THERAPIST: text' "
                 "(a label of 1-4 words, then a colon)");
        session_free(&out->items[--out->n]);
        rc = -1;
    } else {
        if (!guess_held(&t, otter)) {
            session_free(s);
            session_init(s, in->session_id, in->source);
            buf_free(&b.text);
            b = (utt_builder){.s = s};
            build_session(&tf, &t, otter, &b);
        }
        if (b.header_lines)
            diag_add(d, tf.name, b.first_header, SEV_WARNING,
                     "text before the first speaker label ignored (%zu line%s)",
                     b.header_lines, b.header_lines == 1 ? "" : "s");
    }
    buf_free(&b.text);
    table_free(&t);
    text_free(&tf);
    return rc;
}
