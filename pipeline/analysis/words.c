/* words.c: the tokenizer (see words.h for the rules). */
#include "analysis/words.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Where the annotation opened by s[i] ('[' or '(') closes: the index just
 * past the matching bracket, counting nesting of the same kind; 0 when it
 * never closes (the bracket is then ignored). */
static size_t annotation_end(const char *s, size_t i)
{
    char open = s[i], close = open == '[' ? ']' : ')';
    int depth = 0;
    for (size_t j = i; s[j]; j++) {
        if (s[j] == open) depth++;
        else if (s[j] == close && --depth == 0) return j + 1;
    }
    return 0;
}

static void emit_byte(word_list *wl, char c)
{
    wl->text = xgrow(wl->text, &wl->text_cap, wl->text_len + 1, 1);
    wl->text[wl->text_len++] = c;
}

static void emit_cp(word_list *wl, uint32_t cp)
{
    char enc[4];
    size_t n = utf8_encode(cp, enc);
    wl->text = xgrow(wl->text, &wl->text_cap, wl->text_len + n, 1);
    memcpy(wl->text + wl->text_len, enc, n);
    wl->text_len += n;
}

static uint32_t cp_at(const char *s, size_t i, size_t *len)
{
    uint32_t cp;
    int ok;
    size_t rest = strnlen(s + i, 4);
    *len = utf8_decode((const unsigned char *)s + i, rest, &cp, &ok);
    return cp;
}

static int is_joiner(uint32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == '-';
}

static int ends_sentence(uint32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026;
}

/* Nonzero when the text, ignoring trailing spaces, ends in "--" or U+2014. */
static int ends_cut_off(const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    if (n >= 2 && s[n - 1] == '-' && s[n - 2] == '-') return 1;
    return n >= 3 && memcmp(s + n - 3, "\xE2\x80\x94", 3) == 0;
}

void words_split(const char *text, word_list *wl)
{
    wl->n = 0;
    wl->text_len = 0;
    wl->has_question = 0;
    wl->cut_off = 0;
    uint32_t sentence = 0;
    int at_sentence_start = 1;
    size_t i = 0, speech_end = 0;
    while (text[i]) {
        size_t len;
        uint32_t cp = cp_at(text, i, &len);
        if (cp == '[' || cp == '(') {
            size_t end = annotation_end(text, i);
            if (end) {
                i = end;
                continue;
            }
        }
        if (!utf8_is_word_char(cp)) {
            if (cp == '?') wl->has_question = 1;
            if (ends_sentence(cp) && !at_sentence_start) {
                at_sentence_start = 1;
                sentence++;
            }
            if (cp != ' ' && cp != '\t') speech_end = i + len;
            i += len;
            continue;
        }
        /* a word: word characters, with joiners allowed between two of them */
        wl->w = xgrow(wl->w, &wl->cap, wl->n + 1, sizeof *wl->w);
        word *w = &wl->w[wl->n++];
        w->off = (uint32_t)wl->text_len;
        w->sentence = sentence;
        w->sentence_start = (uint8_t)at_sentence_start;
        at_sentence_start = 0;
        for (;;) {
            emit_cp(wl, utf8_fold(cp));
            i += len;
            if (!text[i]) break;
            cp = cp_at(text, i, &len);
            if (utf8_is_word_char(cp)) continue;
            if (!is_joiner(cp)) break;
            size_t next_len;
            uint32_t next = cp_at(text, i + len, &next_len);
            if (!text[i + len] || !utf8_is_word_char(next)) break;
            emit_byte(wl, cp == 0x2019 ? '\'' : (char)cp);
            i += len;
            cp = next;
            len = next_len;
        }
        w->len = (uint32_t)(wl->text_len - w->off);
        emit_byte(wl, '\0');
        speech_end = i;
    }
    wl->cut_off = ends_cut_off(text, speech_end);
}

void word_list_free(word_list *wl)
{
    free(wl->text);
    free(wl->w);
    memset(wl, 0, sizeof *wl);
}
