/* words.c: the tokenizer (see words.h for the rules).
 *
 * It runs once per utterance over every byte of every transcript. Where
 * the text can be read past its end (words_split_padded), plain ASCII text
 * is taken 64 bytes at a time (split_window: SSE2, or AVX-512BW where the
 * CPU has it); elsewhere, and for
 * what the window leaves, ASCII goes through a table lookup, runs of ASCII
 * letters and digits are folded eight bytes at a time, and only non-ASCII
 * bytes are decoded. What is rare (annotations, UTF-8, joiners inside
 * words) is kept out of the loop. */
#include "analysis/words.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define SPLIT_WINDOWS 1   /* split_window's fast path (below); else byte by byte only */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define WIDE_WINDOWS 1    /* classify_window_wide, where the CPU has AVX-512BW */
#endif
#endif

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

/* 1 for a byte that may carry a word on past its ASCII letters and digits:
 * a joiner, or the first byte of a non-ASCII character (one of 0x80-0xFF). */
#define SIXTEEN_ONES 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const unsigned char CONTINUES_WORD[256] = {
    ['\''] = 1, ['-'] = 1,
    [0x80] = SIXTEEN_ONES, SIXTEEN_ONES, SIXTEEN_ONES, SIXTEEN_ONES,
    SIXTEEN_ONES, SIXTEEN_ONES, SIXTEEN_ONES, SIXTEEN_ONES,
};

#define ONES 0x0101010101010101ull
#define HIGH_BITS 0x8080808080808080ull

/* The high bit of each of the eight bytes of x that is not an ASCII letter
 * or digit, given folded = x with 0x20 set in every byte. For a byte b below
 * 0x80 the four sums set bit 7 when b >= '0', b > '9', (b | 0x20) >= 'a'
 * and (b | 0x20) > 'z'; each of these implies the ones before it, so an odd
 * number of them holds exactly for a digit or a letter, and with one sum
 * negated their XOR marks the other bytes. Only a byte from 0x80 up carries
 * into the next (higher) byte, and such a byte is a stop itself, so the
 * lowest stop found is always right; the bytes after it may be wrong, and
 * only the lowest is ever used. */
static inline uint64_t stop_bytes(uint64_t x, uint64_t folded)
{
    uint64_t even = (x + (0x80 - '0') * ONES) ^ ~(x + (0x7F - '9') * ONES) ^
                    (folded + (0x80 - 'a') * ONES) ^ (folded + (0x7F - 'z') * ONES);
    return (even | x) & HIGH_BITS;
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

/* The eight bytes at s[0..n) as one number, the first the lowest, any past
 * n zero (which is not a letter or digit, so a run ends there). */
static inline uint64_t load_text8(const char *s, size_t n)
{
    uint64_t x = 0;
    if (n >= 8) {
        memcpy(&x, s, 8);
    } else {
        for (size_t k = n; k-- > 0;) x = x << 8 | (unsigned char)s[k];
    }
    return x;
}

/* Copy the up to eight ASCII letters and digits that start s[0..n) to out
 * folded (OR 0x20 lowers a letter and keeps a digit) and return how many
 * there are, 8 when the run goes on. out gets all eight bytes, so it needs
 * 8 bytes of room past the run. Only on a little-endian machine is the
 * first byte of a load its lowest. */
static inline size_t fold8(const char *s, size_t n, char *out)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t x = load_text8(s, n);
    uint64_t folded = x | 0x20 * ONES;
    memcpy(out, &folded, 8);
    uint64_t stop = stop_bytes(x, folded);
    return stop ? (unsigned)__builtin_ctzll(stop) / 8 : 8;
#else
    size_t i = 0;
    for (unsigned char f; i < 8 && i < n && (f = ASCII_FOLD[(unsigned char)s[i]]) != 0; i++) out[i] = (char)f;
    return i;
#endif
}

/* The length of the run of ASCII letters and digits at s (the text ends at
 * end), copied to out as fold8 does. */
static size_t copy_alnum_run(const char *s, const char *end, char *out)
{
    size_t i = 0, k;
    while ((k = fold8(s + i, (size_t)(end - s) - i, out + i)) == 8) i += 8;
    return i + k;
}

/* Nonzero for a byte that may carry a word on past its ASCII letters and
 * digits: a joiner, or the first byte of a non-ASCII character. */
static inline int may_continue_word(unsigned char c)
{
    return CONTINUES_WORD[c];
}

/* Where a word ends: the index past it in the text, and the end of its
 * folded copy. */
typedef struct word_end {
    size_t i;
    char *out;
} word_end;

/* The rest of a word whose run of ASCII letters and digits stopped at s[i]
 * (or that starts at s[i] with a non-ASCII letter), folded to out: letters
 * beyond ASCII, joiners between two word characters, and the ASCII runs
 * after them. Nothing is read when s[i] does not carry the word on. s[n] is
 * the text's NUL. Kept out of line: most words never get here. */
__attribute__((noinline)) static word_end read_word_rest(const char *s, size_t n, size_t i, char *out)
{
    const unsigned char *u = (const unsigned char *)s;
    while (i < n && may_continue_word(u[i])) {
        size_t len;
        uint32_t cp = cp_at(s, n, i, &len);
        if (is_word_cp(cp)) {
            out = put_folded(out, cp);
            i += len;
        } else {
            if (!is_joiner_cp(cp) || i + len >= n) break;
            size_t next_len;
            uint32_t next = cp_at(s, n, i + len, &next_len);
            if (!is_word_cp(next)) break;
            *out++ = cp == 0x2019 ? '\'' : (char)cp;
            out = put_folded(out, next);
            i += len + next_len;
        }
        size_t run = copy_alnum_run(s + i, s + n, out);
        out += run;
        i += run;
    }
    return (word_end){i, out};
}

/* What words_split tracks between words. */
typedef struct split_state {
    word next;                /* the next word's sentence fields, plain set */
    const char *speech_end;   /* just past the last thing that is neither space nor annotation */
    unclosed_list unclosed;
} split_state;

/* A character that is neither part of a word nor space, of class cls: a
 * '?', '.', '!' or ellipsis ends the sentence in progress. next holds the
 * next word's sentence fields. */
static inline void note_punctuation(int cls, word_list *wl, word *next)
{
    if (cls == C_QUESTION && !wl->has_question) {
        wl->has_question = 1;
        /* the '?' ends the sentence in progress, or follows one just ended */
        wl->question_sentence = next->sentence_start && next->sentence ? next->sentence - 1 : next->sentence;
    }
    if ((cls == C_END || cls == C_QUESTION) && !next->sentence_start) {
        next->sentence_start = 1;
        next->sentence++;
    }
}

/* The character at text[i] is a bracket or not ASCII: skip what starts
 * there (an annotation, a non-ASCII character that is not a letter) and
 * return the index past it, or return i when it is a non-ASCII letter,
 * which starts a word. Kept out of line, like read_word_rest, so that the
 * loop over words keeps its registers. */
__attribute__((noinline)) static size_t skip_non_word(const char *text, size_t n, size_t i, word_list *wl, split_state *st)
{
    unsigned char c = (unsigned char)text[i];
    int cls = c < 0x80 ? ASCII_CLASS[c] : -1;
    if (cls == C_OPEN) {
        size_t end = annotation_close(text, n, i, &st->unclosed);
        if (end) return end;
    }
    size_t len = 1;
    if (cls < 0) {
        uint32_t cp = cp_at(text, n, i, &len);
        if (utf8_is_word_char(cp)) return i;
        cls = cp == 0x2026 ? C_END : C_OTHER;
    }
    note_punctuation(cls, wl, &st->next);
    st->speech_end = text + i + len;
    return i + len;
}

#ifdef SPLIT_WINDOWS
/* ---- 64 bytes at a time ----
 *
 * Most of a transcript is ASCII words separated by single spaces and now
 * and then a comma or full stop. split_window takes such text a window of
 * 64 bytes at a time: SSE2 compares give a bit per byte for each class it
 * needs (letters and digits, spaces, joiners, sentence ends, '?', and what
 * it leaves to the byte-by-byte step), and it goes from word to word by
 * counting bits: each word is folded 16 bytes at a time (OR 0x20, as fold8
 * does), and the punctuation between two words is read off the masks, not
 * byte by byte. Whatever else it meets (a byte beyond ASCII, a control
 * character, a bracket, a word at or past the window's end) it leaves to
 * split's byte-by-byte step, so both ways give the same list. An ASCII
 * joiner between letters or digits stays in the word, as read_word_rest
 * would keep it. Which of a word or a comma comes next after a space is
 * as good as random: a branch on it, byte by byte, was mispredicted after
 * a sixth of the words. */

/* The bytes of a window, a bit per byte (the first byte the lowest). */
typedef struct window_bits {
    uint64_t word;       /* ASCII letter or digit */
    uint64_t space;      /* ' ' (the other spaces are control characters: stuck) */
    uint64_t joiner;     /* ' or - */
    uint64_t end;        /* . ! or ?: ends the sentence in progress */
    uint64_t question;   /* ? */
    uint64_t stuck;      /* for the byte-by-byte step: beyond ASCII, below ' ', [
                            or (, and a joiner right before one of those (before
                            a byte beyond ASCII read_word_rest may join it to the
                            word before) */
} window_bits;

/* A bit per byte of the 16 at v whose comparison mask is set. */
static inline uint64_t mask16(__m128i v)
{
    return (uint64_t)(unsigned)_mm_movemask_epi8(v);
}

static inline __m128i byte_is(__m128i v, char c)
{
    return _mm_cmpeq_epi8(v, _mm_set1_epi8(c));
}

/* The bits below bit n (n <= 64). */
static inline uint64_t bits_below(size_t n)
{
    return n >= 64 ? UINT64_MAX : ((uint64_t)1 << n) - 1;
}

/* b with the bits of the bytes past the first `valid` cleared, and a
 * joiner right before a stuck byte made stuck too (see window_bits). */
static inline window_bits keep_valid(window_bits b, size_t valid)
{
    uint64_t keep = bits_below(valid);
    b.word &= keep;
    b.space &= keep;
    b.joiner &= keep;
    b.end &= keep;
    b.question &= keep;
    b.stuck = (b.stuck | (b.joiner & b.stuck >> 1)) & keep;
    return b;
}

/* window_bits of the 64 bytes at p, of which the first `valid` are the
 * text's (the rest are only read, never used: their bits are cleared). A
 * letter is a byte whose (b | 0x20) - 'a' is below 26, a digit one whose
 * b - '0' is below 10: the signed compares do that after adding 0x80; a
 * byte beyond ASCII or below ' ' is, as a signed byte, below ' '. */
static inline window_bits classify_window(const char *p, size_t valid)
{
    const __m128i lower = _mm_set1_epi8(0x20);
    const __m128i letter_bias = _mm_set1_epi8((char)(0x80 - 'a')), letter_limit = _mm_set1_epi8((char)(0x80 + 26));
    const __m128i digit_bias = _mm_set1_epi8((char)(0x80 - '0')), digit_limit = _mm_set1_epi8((char)(0x80 + 10));
    window_bits b = {0, 0, 0, 0, 0, 0};
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        __m128i letter = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, lower), letter_bias), letter_limit);
        __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, digit_bias), digit_limit);
        __m128i question = byte_is(v, '?');
        __m128i end = _mm_or_si128(_mm_or_si128(byte_is(v, '.'), byte_is(v, '!')), question);
        __m128i open = _mm_or_si128(byte_is(v, '['), byte_is(v, '('));
        int shift = 16 * k;
        b.word |= mask16(_mm_or_si128(letter, digit)) << shift;
        b.space |= mask16(byte_is(v, ' ')) << shift;
        b.joiner |= mask16(_mm_or_si128(byte_is(v, '\''), byte_is(v, '-'))) << shift;
        b.end |= mask16(end) << shift;
        b.question |= mask16(question) << shift;
        b.stuck |= mask16(_mm_or_si128(_mm_cmplt_epi8(v, lower), open)) << shift;
    }
    return keep_valid(b, valid);
}

#ifdef WIDE_WINDOWS
/* classify_window in one go where the CPU has AVX-512BW (Intel since 2017,
 * AMD since Zen 4): its compares give the 64-bit masks directly, instead of
 * 16 bytes and a movemask at a time (some 140 instructions fewer a window).
 * Out of line, as code for these instructions cannot be inlined into code
 * built for baseline x86-64; split chooses it per text (wide_windows). */
__attribute__((target("avx512bw"), noinline)) static window_bits classify_window_wide(const char *p, size_t valid)
{
    const __m512i v = _mm512_loadu_si512((const void *)p);
    const __m512i lower = _mm512_set1_epi8(0x20);
    window_bits b;
    uint64_t letter = _mm512_cmplt_epi8_mask(
        _mm512_add_epi8(_mm512_or_si512(v, lower), _mm512_set1_epi8((char)(0x80 - 'a'))),
        _mm512_set1_epi8((char)(0x80 + 26)));
    uint64_t digit = _mm512_cmplt_epi8_mask(_mm512_add_epi8(v, _mm512_set1_epi8((char)(0x80 - '0'))),
                                            _mm512_set1_epi8((char)(0x80 + 10)));
    b.word = letter | digit;
    b.space = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(' '));
    b.joiner = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\'')) | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('-'));
    b.question = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('?'));
    b.end = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('.')) | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('!')) |
            b.question;
    b.stuck = _mm512_cmplt_epi8_mask(v, lower) | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('[')) |
              _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('('));
    return keep_valid(b, valid);
}

/* Whether this CPU runs classify_window_wide. */
static int wide_windows(void)
{
    return __builtin_cpu_supports("avx512bw");
}
#endif

/* Copy the word of len bytes at s to out folded, 16 bytes at a time: out
 * gets up to 15 bytes more, s is read as far. */
static inline void fold_copy(const char *s, size_t len, char *out)
{
    const __m128i lower = _mm_set1_epi8(0x20);
    size_t k = 0;
    do {   /* len > 0 */
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + k));
        _mm_storeu_si128((__m128i *)(void *)(out + k), _mm_or_si128(v, lower));
        k += 16;
    } while (k < len);
}

/* Bytes a window reads from its start: 64 classified, and up to 15 more
 * by the fold_copy of a word that ends inside it. */
#define SPLIT_WINDOW_READ 80
_Static_assert(WORDS_SPLIT_PAD + 1 >= SPLIT_WINDOW_READ, "a window must be readable from any byte up to the NUL");

/* Where split's words and text are written to. */
typedef struct split_out {
    word *w;          /* the next word */
    char *folded;     /* word_list.text */
    size_t used;      /* bytes of it written */
} split_out;

/* The punctuation of the window's bytes in gap (no word among them) as
 * note_punctuation would take it byte by byte: a sentence end ends the
 * sentence in progress, the first '?' also sets the question sentence
 * (the sentence in progress or the one just ended, whichever of them it
 * follows). No branch on whether there is an end: that is as good as
 * random too. */
static inline void note_gap(const window_bits *b, uint64_t gap, word_list *wl, word *next)
{
    if ((gap & b->question) && !wl->has_question) {
        wl->has_question = 1;
        wl->question_sentence = next->sentence_start && next->sentence ? next->sentence - 1 : next->sentence;
    }
    uint32_t ended = (gap & b->end) != 0, starts = ended & !next->sentence_start;
    next->sentence += starts;
    next->sentence_start = (uint8_t)(next->sentence_start | ended);
}

/* Split the window at p (the text ends at end, its NUL) as split would:
 * words of ASCII letters, digits and joiners, the spaces and ASCII
 * punctuation around them. Returns where it stopped: at the text's end, at
 * the window's end or a word that may run past it (where the next window
 * starts), or, with *stuck set, at what split's byte-by-byte step must take
 * (see above). */
static inline const char *split_window(const char *p, const char *end, word_list *wl, split_state *st,
                                       split_out *o, int *stuck, int wide)
{
    /* in locals, stored back at the end: the stores to the text (chars)
     * would make the compiler reload them after each one */
    word next = st->next, *w = o->w;
    char *folded = o->folded;
    size_t used = o->used;
    size_t valid = (size_t)(end - p), limit = valid < 64 ? valid : 64;
#ifdef WIDE_WINDOWS
    window_bits b = wide ? classify_window_wide(p, valid) : classify_window(p, valid);
#else
    (void)wide;
    window_bits b = classify_window(p, valid);
#endif
    /* a joiner between two letters or digits is inside a word; one at the
     * window's last byte after a letter or digit may be: that word is
     * taken as running past the window */
    uint64_t inner = b.joiner & b.word << 1 & b.word >> 1;
    uint64_t wordy = b.word | inner | (b.joiner & b.word << 1 & (uint64_t)1 << 63);
    uint64_t starts = wordy & ~(wordy << 1);
    /* the words from stop on are the byte-by-byte step's: from the first
     * stuck byte, or from the start of a word that touches it */
    size_t stop = b.stuck ? (size_t)__builtin_ctzll(b.stuck) : limit, pos;
    if (stop < limit && stop > 0 && (wordy >> (stop - 1) & 1))
        stop = 63 - (size_t)__builtin_clzll(starts & (((uint64_t)1 << stop) - 1));
    uint64_t gap_from = 1;   /* the bit where the punctuation before the next word starts */
    *stuck = 0;
    for (;; starts &= starts - 1) {
        size_t s;
        if (!starts || (s = (size_t)__builtin_ctzll(starts)) >= stop) {   /* no word before the stop */
            pos = stop;
            *stuck = stop < limit;
            break;
        }
        uint64_t after = ~wordy >> s;
        if (!after) {   /* it may run on past the window: the next one takes it */
            pos = s;
            *stuck = s == 0;
            break;
        }
        size_t len = (size_t)__builtin_ctzll(after);
        uint64_t at = (uint64_t)1 << s, past = at << len;   /* the word's bits: past - at */
        note_gap(&b, at - gap_from, wl, &next);
        w->off = (uint32_t)used;   /* field by field: a copy of next whole would wait */
        w->len = (uint32_t)len;    /* for its byte stores (sentence_start) to land */
        w->sentence = next.sentence;
        w->sentence_start = next.sentence_start;
        w->plain = (inner & (past - at)) == 0;
        w++;
        fold_copy(p + s, len, folded + used);
        used += len;
        folded[used++] = '\0';
        next.sentence_start = 0;
        gap_from = past;
    }
    note_gap(&b, bits_below(pos) & ~(gap_from - 1), wl, &next);
    uint64_t said = ~b.space & bits_below(pos);   /* below pos: words, spaces, ASCII punctuation */
    if (said) st->speech_end = p + 64 - __builtin_clzll(said);
    st->next = next;
    o->w = w;
    o->used = used;
    return p + pos;
}
#endif

/* words_split of text[0..n), where text[n] is a NUL; `pad` bytes can be
 * read past it; `wide`: the windows may be classified with AVX-512BW. */
static void split(const char *text, size_t n, word_list *wl, size_t pad, int wide)
{
    wl->has_question = 0;
    wl->question_sentence = 0;
    /* folded words plus one NUL each never exceed n + n/2 + 1 bytes; 15
     * more for fold8's and fold_copy's stores past a word, and the 8 NULs
     * after the last */
    wl->text = xgrow(wl->text, &wl->text_cap, n + n / 2 + 24, 1);
    /* a word is followed by a byte not in it unless it ends the text, so
     * there are at most n/2 + 1 words: room is made for them all here, and
     * the loop below keeps its ends in locals (the char stores to the text
     * would make the compiler reload wl's fields after each one) */
    wl->w = xgrow(wl->w, &wl->cap, n / 2 + 1, sizeof *wl->w);
    char *const folded = wl->text;
    size_t used = 0;   /* bytes of folded written */
    word *w = wl->w;
    split_state st = {.next = {.sentence_start = 1, .plain = 1}, .speech_end = text};
    const char *p = text, *end = text + n;   /* *end is the text's NUL */
    /* fold8 reads eight bytes where there are (the NUL ends a run all the
     * same), byte by byte before the end of a text without padding */
    const char *load_end = end + pad;
#ifdef SPLIT_WINDOWS
    int windows = pad >= WORDS_SPLIT_PAD;   /* split_window can read from any p up to end */
#ifdef WIDE_WINDOWS
    wide = wide && windows && wide_windows();
#endif
#endif
    while (p < end) {
#ifdef SPLIT_WINDOWS
        if (windows) {   /* window after window, and one step here where one is stuck */
            split_out o = {w, folded, used};
            int stuck;
            p = split_window(p, end, wl, &st, &o, &stuck, wide);
            w = o.w;
            used = o.used;
            if (p >= end) break;
            if (!stuck) continue;
        }
#endif
        unsigned char c = (unsigned char)*p;
        if (!ASCII_FOLD[c]) {
            int cls = c < 0x80 ? ASCII_CLASS[c] : -1;
            if (cls == C_SPACE) {
                p++;
                continue;
            }
            if (cls >= 0 && cls != C_OPEN) {   /* other ASCII: punctuation, a lone joiner */
                note_punctuation(cls, wl, &st.next);
                st.speech_end = ++p;
                continue;
            }
            size_t i = (size_t)(p - text), next = skip_non_word(text, n, i, wl, &st);
            if (next != i) {
                p += next - i;
                continue;
            }
        }
        /* A word. Most are ASCII letters and digits only, which fold8 (and
         * copy_alnum_run past eight) folds and the byte after them ends;
         * read_word_rest takes over when that byte is a joiner or beyond
         * ASCII, as at a non-ASCII letter that starts a word. */
        *w = st.next;
        w->off = (uint32_t)used;
        size_t len = fold8(p, (size_t)(load_end - p), folded + used);
        if (len == 8) len += copy_alnum_run(p + 8, load_end, folded + used + 8);
        p += len;
        if (may_continue_word((unsigned char)*p)) {
            size_t i = (size_t)(p - text);
            word_end e = read_word_rest(text, n, i, folded + used + len);
            if (e.i != i) w->plain = 0;   /* it went on past the ASCII run */
            p += e.i - i;
            len = (size_t)(e.out - folded) - used;
        }
        w->len = (uint32_t)len;
        w++;
        used += len;
        folded[used++] = '\0';
        st.next.sentence_start = 0;
        st.speech_end = p;
        if (*p == ' ') p++;   /* most words are followed by one space */
    }
    free(st.unclosed.pos);
    wl->n = (size_t)(w - wl->w);
    wl->text_len = used;
    memset(folded + used, 0, 8);   /* for readers of 8 bytes at a time (the lexicon's literal scan) */
    wl->cut_off = ends_cut_off(text, (size_t)(st.speech_end - text));
    wl->split = 1;
}

void words_split(const char *text, word_list *wl)
{
    split(text, strlen(text), wl, 0, 0);
}

void words_split_padded(const char *text, size_t len, word_list *wl)
{
    split(text, len, wl, WORDS_SPLIT_PAD, 1);
}

void words_split_padded_narrow(const char *text, size_t len, word_list *wl)
{
    split(text, len, wl, WORDS_SPLIT_PAD, 0);
}

void word_list_free(word_list *wl)
{
    free(wl->text);
    free(wl->w);
    memset(wl, 0, sizeof *wl);
}
