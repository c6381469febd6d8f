/* chat_common.c: roles, utterance text and media times shared by the CHAT
 * and TalkBank XML readers (see chat_common.h). */
#include "readers/chat_common.h"
#include "model/roles.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- roles ---------------------------------------------------------------- */

int chat_role(const char *name)
{
    return role_from_format(name, strlen(name));
}

/* ---- words ---------------------------------------------------------------- */

void chat_words_reset(chat_words *cw)
{
    for (size_t i = 0; i < cw->n; i++) free(cw->w[i].text);
    cw->n = 0;
    cw->terminator = 0;
    cw->flags = 0;
}

void chat_words_free(chat_words *cw)
{
    chat_words_reset(cw);
    free(cw->w);
    memset(cw, 0, sizeof *cw);
}

static chat_word *new_item(chat_words *cw)
{
    cw->w = xgrow(cw->w, &cw->cap, cw->n + 1, sizeof *cw->w);
    chat_word *w = &cw->w[cw->n++];
    memset(w, 0, sizeof *w);
    return w;
}

/* Append one character of a word to out, cleaned as chat_words_add says;
 * *letters counts the word characters kept. */
/* Prosody marks that Unicode counts as letters: primary and secondary
 * stress, and the length mark. */
static int is_prosody_mark(uint32_t cp)
{
    return cp == 0x02C8 || cp == 0x02CC || cp == 0x02D0;
}

static void clean_char(buf *out, uint32_t cp, const char *raw, size_t len, size_t *letters)
{
    if (is_prosody_mark(cp)) return;
    if (utf8_is_word_char(cp)) {
        buf_add(out, raw, len);
        (*letters)++;
    } else if (cp == '\'' || cp == 0x2019 || cp == '-') {
        buf_add(out, raw, len);
    } else if (cp == '+') {
        buf_addc(out, '-');
    } else if (cp == '_') {
        if (out->len && out->data[out->len - 1] != ' ') buf_addc(out, ' ');
    }
    /* anything else, '(' and ')' included, is dropped */
}

int chat_words_add(chat_words *cw, const char *s, size_t n)
{
    buf out = {0};
    size_t letters = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int valid;
        size_t len = utf8_decode((const unsigned char *)s + i, n - i, &cp, &valid);
        clean_char(&out, cp, s + i, len, &letters);
        i += len;
    }
    while (out.len && out.data[out.len - 1] == ' ') out.data[--out.len] = '\0';
    if (letters == 0) {
        buf_free(&out);
        return 0;
    }
    new_item(cw)->text = buf_take(&out);
    return 1;
}

void chat_words_add_comma(chat_words *cw)
{
    new_item(cw)->comma = 1;
}

void chat_words_exclude(chat_words *cw, size_t from, size_t to)
{
    for (size_t i = from; i < to && i < cw->n; i++) cw->w[i].excluded = 1;
}

char *chat_words_text(const chat_words *cw)
{
    buf out = {0};
    for (size_t i = 0; i < cw->n; i++) {
        const chat_word *w = &cw->w[i];
        if (w->excluded) continue;
        if (w->comma) {
            if (out.len) buf_addc(&out, ',');
            continue;
        }
        if (out.len) buf_addc(&out, ' ');
        buf_adds(&out, w->text);
    }
    if (out.len && cw->terminator) buf_addc(&out, cw->terminator);
    return buf_take(&out);
}

/* ---- times ---------------------------------------------------------------- */

static int out_of_range(double t)
{
    return t != TIME_UNKNOWN && (t < 0 || t >= CHAT_MAX_SECONDS || isnan(t));
}

void chat_times_check(double *start, double *end, const char *source, long line, diag_list *d)
{
    char a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX];
    if (out_of_range(*start) || out_of_range(*end)) {
        double bad = out_of_range(*start) ? *start : *end;
        diag_add(d, source, line, SEV_WARNING,
                 "time %.3f s is out of range (negative or over 1,000,000 s); "
                 "the utterance's times are treated as unknown", bad);
        *start = *end = TIME_UNKNOWN;
        return;
    }
    if (*start != TIME_UNKNOWN && *end != TIME_UNKNOWN && *end < *start) {
        clock_format(*start, a);
        clock_format(*end, b);
        diag_add(d, source, line, SEV_WARNING,
                 "the utterance ends before it starts (%s to %s); its times are "
                 "treated as unknown", a, b);
        *start = *end = TIME_UNKNOWN;
    }
}
