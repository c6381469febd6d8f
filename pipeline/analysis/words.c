/* words.c: the tokenizer (see words.h for the rules).
 *
 * It runs once per utterance over every byte of every transcript, so ASCII
 * goes through a table lookup and only non-ASCII bytes are decoded. */
#include "analysis/words.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Classes of ASCII bytes. */
enum { C_OTHER, C_WORD, C_SPACE, C_JOINER, C_END, C_QUESTION, C_OPEN };

static const unsigned char ASCII_CLASS[128] = {
    ['0'] = C_WORD, ['1'] = C_WORD, ['2'] = C_WORD, ['3'] = C_WORD, ['4'] = C_WORD,
    ['5'] = C_WORD, ['6'] = C_WORD, ['7'] = C_WORD, ['8'] = C_WORD, ['9'] = C_WORD,
    ['a'] = C_WORD, ['b'] = C_WORD, ['c'] = C_WORD, ['d'] = C_WORD, ['e'] = C_WORD,
    ['f'] = C_WORD, ['g'] = C_WORD, ['h'] = C_WORD, ['i'] = C_WORD, ['j'] = C_WORD,
    ['k'] = C_WORD, ['l'] = C_WORD, ['m'] = C_WORD, ['n'] = C_WORD, ['o'] = C_WORD,
    ['p'] = C_WORD, ['q'] = C_WORD, ['r'] = C_WORD, ['s'] = C_WORD, ['t'] = C_WORD,
    ['u'] = C_WORD, ['v'] = C_WORD, ['w'] = C_WORD, ['x'] = C_WORD, ['y'] = C_WORD,
    ['z'] = C_WORD,
    ['A'] = C_WORD, ['B'] = C_WORD, ['C'] = C_WORD, ['D'] = C_WORD, ['E'] = C_WORD,
    ['F'] = C_WORD, ['G'] = C_WORD, ['H'] = C_WORD, ['I'] = C_WORD, ['J'] = C_WORD,
    ['K'] = C_WORD, ['L'] = C_WORD, ['M'] = C_WORD, ['N'] = C_WORD, ['O'] = C_WORD,
    ['P'] = C_WORD, ['Q'] = C_WORD, ['R'] = C_WORD, ['S'] = C_WORD, ['T'] = C_WORD,
    ['U'] = C_WORD, ['V'] = C_WORD, ['W'] = C_WORD, ['X'] = C_WORD, ['Y'] = C_WORD,
    ['Z'] = C_WORD,
    [' '] = C_SPACE, ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\r'] = C_SPACE,
    ['\''] = C_JOINER, ['-'] = C_JOINER,
    ['.'] = C_END, ['!'] = C_END, ['?'] = C_QUESTION,
    ['['] = C_OPEN, ['('] = C_OPEN,
};

/* ASCII letters and digits folded (A-Z to a-z); 0 for every other byte,
 * the NUL that ends the text among them. */
static const unsigned char ASCII_FOLD[256] = {
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
    ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
    ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e',
    ['f'] = 'f', ['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j',
    ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n', ['o'] = 'o',
    ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't',
    ['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y',
    ['z'] = 'z',
    ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e',
    ['F'] = 'f', ['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j',
    ['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['O'] = 'o',
    ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't',
    ['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y',
    ['Z'] = 'z',
};

#define ONES 0x0101010101010101ull
#define HIGH_BITS 0x8080808080808080ull

/* In the eight bytes of x, the high bit of each byte that is an ASCII
 * letter or digit: byte ranges are tested by adding to every byte at once
 * (no byte carries into the next, as each is below 0x80 when added to). */
static inline uint64_t alnum_bytes(uint64_t x)
{
    uint64_t low = x & ~HIGH_BITS;
    uint64_t lower = low | 0x20 * ONES;
    uint64_t digit = (low + (0x80 - '0') * ONES) & ~(low + (0x7F - '9') * ONES);
    uint64_t letter = (lower + (0x80 - 'a') * ONES) & ~(lower + (0x7F - 'z') * ONES);
    return (digit | letter) & ~x & HIGH_BITS;
}

/* The code point at s[i] (s has n bytes), its length in *len. */
static uint32_t cp_at(const char *s, size_t n, size_t i, size_t *len)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *len = 1;
        return c;
    }
    uint32_t cp;
    int ok;
    *len = utf8_decode((const unsigned char *)s + i, n - i, &cp, &ok);
    return cp;
}

static int is_word_cp(uint32_t cp)
{
    return cp < 0x80 ? ASCII_CLASS[cp] == C_WORD : utf8_is_word_char(cp);
}

static int is_joiner_cp(uint32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == '-';
}

/* Where the annotation opened by s[i] ('[' or '(') closes: the index just
 * past the matching bracket, counting nesting of the same kind; 0 when it
 * never closes (the bracket is then ignored). */
static size_t annotation_end(const char *s, size_t n, size_t i)
{
    char open = s[i], close = open == '[' ? ']' : ')';
    size_t depth = 0;
    for (size_t j = i; j < n; j++) {
        if (s[j] == open) depth++;
        else if (s[j] == close && --depth == 0) return j + 1;
    }
    return 0;
}

/* The brackets of a text that never close, in ascending order. They are
 * found in one backward pass the first time a bracket does not close (rare),
 * so each later one is recognised at once instead of by another scan to the
 * end of the text: a text full of unclosed brackets took quadratic time. */
typedef struct unclosed_list {
    size_t *pos;
    size_t n, cap, next;
    int known;
} unclosed_list;

/* Scanning back from the end, each close waits for an open of its kind; an
 * open with no close waiting is one annotation_end cannot close. */
static void find_unclosed(const char *s, size_t n, size_t from, unclosed_list *u)
{
    size_t square = 0, round = 0;
    for (size_t j = n; j-- > from;) {
        if (s[j] == ']') square++;
        else if (s[j] == ')') round++;
        if (s[j] != '[' && s[j] != '(') continue;
        size_t *waiting = s[j] == '[' ? &square : &round;
        if (*waiting) {
            (*waiting)--;
        } else {
            u->pos = xgrow(u->pos, &u->cap, u->n + 1, sizeof *u->pos);
            u->pos[u->n++] = j;
        }
    }
    for (size_t a = 0, b = u->n; a + 1 < b; a++, b--) {
        size_t t = u->pos[a];
        u->pos[a] = u->pos[b - 1];
        u->pos[b - 1] = t;
    }
    u->known = 1;
}

/* annotation_end, but linear over the whole text (see unclosed_list). */
static size_t annotation_close(const char *s, size_t n, size_t i, unclosed_list *u)
{
    if (u->known) {
        while (u->next < u->n && u->pos[u->next] < i) u->next++;
        if (u->next < u->n && u->pos[u->next] == i) return 0;
        return annotation_end(s, n, i);
    }
    size_t end = annotation_end(s, n, i);
    if (!end) find_unclosed(s, n, i + 1, u);
    return end;
}

/* Nonzero when the text, ignoring trailing spaces, ends in "--" or U+2014. */
static int ends_cut_off(const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    if (n >= 2 && s[n - 1] == '-' && s[n - 2] == '-') return 1;
    return n >= 3 && memcmp(s + n - 3, "\xE2\x80\x94", 3) == 0;
}

/* Append the folded code point to out; returns the new end. The caller has
 * reserved room: folding never makes a character longer in UTF-8. */
static char *put_folded(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        *out++ = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        return out;
    }
    return out + utf8_encode(utf8_fold(cp), out);
}

/* The length of the run of ASCII letters and digits at s[0..n) (n >= 8),
 * copied to out folded (OR 0x20 lowers a letter and keeps a digit); out
 * gets 8 bytes at a time, so it needs 8 bytes of room past the run. Only on
 * a little-endian machine is the first byte of a load its lowest. */
static size_t copy_alnum_run(const char *s, size_t n, char *out)
{
    size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= n; i += 8) {
        uint64_t x, folded;
        memcpy(&x, s + i, 8);
        folded = x | 0x20 * ONES;
        memcpy(out + i, &folded, 8);
        uint64_t stop = ~alnum_bytes(x) & HIGH_BITS;
        if (stop) return i + (size_t)__builtin_ctzll(stop) / 8;
    }
#endif
    for (unsigned char f; i < n && (f = ASCII_FOLD[(unsigned char)s[i]]) != 0; i++) out[i] = (char)f;
    return i;
}

/* Read the word starting at s[i] (a word character) into the folded text;
 * returns the index just past it. s[n] is the text's NUL. Runs of ASCII
 * letters and digits are folded without decoding; *plain is set when
 * nothing else (a joiner, a non-ASCII letter) is in the word. */
static size_t read_word(const char *s, size_t n, size_t i, char **out, int *plain)
{
    const unsigned char *u = (const unsigned char *)s;
    char *o = *out;
    int only_ascii = 1;
    for (;;) {
        size_t run = copy_alnum_run(s + i, n - i, o);
        o += run;
        i += run;
        if (i >= n) break;
        if (u[i] < 0x80 && u[i] != '\'' && u[i] != '-') break;   /* ASCII, neither word nor joiner */
        size_t len;
        uint32_t cp = cp_at(s, n, i, &len);
        if (is_word_cp(cp)) {
            only_ascii = 0;
            o = put_folded(o, cp);
            i += len;
            continue;
        }
        if (!is_joiner_cp(cp) || i + len >= n) break;
        size_t next_len;
        uint32_t next = cp_at(s, n, i + len, &next_len);
        if (!is_word_cp(next)) break;
        only_ascii = 0;
        *o++ = cp == 0x2019 ? '\'' : (char)cp;
        o = put_folded(o, next);
        i += len + next_len;
    }
    *out = o;
    *plain = only_ascii;
    return i;
}

void words_split(const char *text, word_list *wl)
{
    size_t n = strlen(text);
    wl->n = 0;
    wl->has_question = 0;
    wl->question_sentence = 0;
    /* folded words plus one NUL each never exceed n + n/2 + 1 bytes; 8 more
     * for copy_alnum_run's stores past a run */
    wl->text = xgrow(wl->text, &wl->text_cap, n + n / 2 + 10, 1);
    char *out = wl->text;
    uint32_t sentence = 0;
    int at_sentence_start = 1;
    size_t i = 0, speech_end = 0;
    unclosed_list unclosed = {0};
    while (i < n) {
        unsigned char c = (unsigned char)text[i];
        int cls = c < 0x80 ? ASCII_CLASS[c] : -1;
        if (cls == C_SPACE) {
            i++;
            continue;
        }
        if (cls == C_OPEN) {
            size_t end = annotation_close(text, n, i, &unclosed);
            if (end) {
                i = end;
                continue;
            }
        }
        size_t len = 1;
        if (cls < 0) {
            uint32_t cp = cp_at(text, n, i, &len);
            cls = utf8_is_word_char(cp) ? C_WORD : cp == 0x2026 ? C_END : C_OTHER;
        }
        if (cls != C_WORD) {
            if (cls == C_QUESTION && !wl->has_question) {
                wl->has_question = 1;
                /* the '?' ends the sentence in progress, or follows one just ended */
                wl->question_sentence = at_sentence_start && sentence ? sentence - 1 : sentence;
            }
            if ((cls == C_END || cls == C_QUESTION) && !at_sentence_start) {
                at_sentence_start = 1;
                sentence++;
            }
            i += len;
            speech_end = i;
            continue;
        }
        if (wl->n == wl->cap) wl->w = xgrow(wl->w, &wl->cap, wl->n + 1, sizeof *wl->w);
        word *w = &wl->w[wl->n++];
        w->off = (uint32_t)(out - wl->text);
        w->sentence = sentence;
        w->sentence_start = (uint8_t)at_sentence_start;
        at_sentence_start = 0;
        int plain;
        i = read_word(text, n, i, &out, &plain);
        w->plain = (uint8_t)plain;
        w->len = (uint32_t)(out - wl->text) - w->off;
        *out++ = '\0';
        speech_end = i;
    }
    free(unclosed.pos);
    wl->text_len = (size_t)(out - wl->text);
    memset(out, 0, 8);   /* for readers of 8 bytes at a time (the lexicon's literal scan) */
    wl->cut_off = ends_cut_off(text, speech_end);
}

void word_list_free(word_list *wl)
{
    free(wl->text);
    free(wl->w);
    memset(wl, 0, sizeof *wl);
}
