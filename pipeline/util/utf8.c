/* utf8.c: UTF-8 decoding, repair, word characters and case folding. */
#include "util/utf8.h"
#include "util/buf.h"
#include "util/xalloc.h"

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp, int *valid)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    *valid = 0;
    *cp = UTF8_REPLACEMENT;
    if (c < 0x80) {
        *cp = c;
        *valid = 1;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2; v = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; v = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; v = c & 0x07; min = 0x10000;
    } else {
        return 1;   /* continuation byte, 0xC0/0xC1 or 0xF5..0xFF */
    }
    if (n < len) return 1;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 1;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 1;
    *cp = v;
    *valid = 1;
    return len;
}

size_t utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    } else if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    } else if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

int utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) { i++; continue; }
        uint32_t cp;
        int ok;
        i += utf8_decode(p + i, n - i, &cp, &ok);
        if (!ok) return 0;
    }
    return 1;
}

char *utf8_repair(const char *s, size_t n, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    buf out = {0};
    size_t i = 0, run = 0;
    *bad = 0;
    while (i < n) {
        if (p[i] < 0x80) { i++; run++; continue; }
        uint32_t cp;
        int ok;
        size_t len = utf8_decode(p + i, n - i, &cp, &ok);
        if (ok) { i += len; run += len; continue; }
        buf_add(&out, s + i - run, run);
        buf_add(&out, "\xEF\xBF\xBD", 3);
        (*bad)++;
        i += len;
        run = 0;
    }
    buf_add(&out, s + i - run, run);
    return buf_take(&out);
}

/* Code point ranges that are not part of words although they are not ASCII:
 * Latin-1 punctuation and symbols, spacing modifiers, general punctuation
 * through the miscellaneous symbol blocks, CJK punctuation, specials,
 * private use, and the emoji and pictograph planes. */
static int is_non_word_block(uint32_t cp)
{
    if (cp >= 0x80 && cp <= 0xBF) return cp != 0xAA && cp != 0xB5 && cp != 0xBA;
    if (cp == 0xD7 || cp == 0xF7) return 1;
    if (cp >= 0x2000 && cp <= 0x2BFF) return 1;   /* punctuation .. misc symbols/arrows */
    if (cp >= 0x2E00 && cp <= 0x2E7F) return 1;   /* supplemental punctuation */
    if (cp >= 0x3000 && cp <= 0x303F) return 1;   /* CJK symbols and punctuation */
    if (cp >= 0xE000 && cp <= 0xF8FF) return 1;   /* private use */
    if (cp >= 0xFE10 && cp <= 0xFE6F) return 1;   /* vertical forms, small forms */
    if (cp >= 0xFF00 && cp <= 0xFF0F) return 1;   /* fullwidth punctuation */
    if (cp >= 0xFF1A && cp <= 0xFF20) return 1;
    if (cp >= 0xFF3B && cp <= 0xFF40) return 1;
    if (cp >= 0xFF5B && cp <= 0xFF65) return 1;
    if (cp >= 0xFFF0 && cp <= 0xFFFF) return 1;   /* specials, U+FFFD among them */
    if (cp >= 0x1F000 && cp <= 0x1FAFF) return 1; /* emoji, pictographs */
    return 0;
}

int utf8_is_word_char(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    return !is_non_word_block(cp);
}

uint32_t utf8_fold(uint32_t cp)
{
    if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;           /* Latin-1 */
    if (cp >= 0x100 && cp <= 0x137) return cp | 1;                         /* Latin Ext-A pairs */
    if (cp >= 0x139 && cp <= 0x148) return (cp & 1) ? cp + 1 : cp;
    if (cp >= 0x14A && cp <= 0x177) return cp | 1;
    if (cp == 0x178) return 0xFF;
    if (cp >= 0x179 && cp <= 0x17E) return (cp & 1) ? cp + 1 : cp;
    if (cp == 0x386) return 0x3AC;                                          /* Greek */
    if (cp >= 0x388 && cp <= 0x38A) return cp + 37;
    if (cp == 0x38C) return 0x3CC;
    if (cp == 0x38E || cp == 0x38F) return cp + 63;
    if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) return cp + 32;
    if (cp >= 0x400 && cp <= 0x40F) return cp + 80;                         /* Cyrillic */
    if (cp >= 0x410 && cp <= 0x42F) return cp + 32;
    if (cp >= 0x460 && cp <= 0x4FF && !(cp >= 0x482 && cp <= 0x489)) {
        if (cp >= 0x4C1 && cp <= 0x4CE) return (cp & 1) ? cp + 1 : cp;
        if (cp == 0x4C0) return 0x4CF;
        return cp | 1;
    }
    return cp;
}
