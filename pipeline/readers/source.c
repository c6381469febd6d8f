/* source.c: transcript text loading and line splitting (see source.h). */
#include "readers/source.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decode UTF-16 (little- or big-endian) into UTF-8; unpaired surrogates
 * become U+FFFD. */
static char *utf16_to_utf8(const unsigned char *s, size_t n, int big_endian, size_t *out_len)
{
    buf out = {0};
    for (size_t i = 0; i + 1 < n; i += 2) {
        uint32_t u = big_endian ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            uint32_t lo = big_endian ? (uint32_t)(s[i + 2] << 8 | s[i + 3])
                                     : (uint32_t)(s[i + 3] << 8 | s[i + 2]);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            } else {
                u = UTF8_REPLACEMENT;
            }
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            u = UTF8_REPLACEMENT;
        }
        char enc[4];
        buf_add(&out, enc, utf8_encode(u, enc));
    }
    *out_len = out.len;
    return buf_take(&out);
}

/* Without a BOM, UTF-16 shows as zero bytes in every other position for
 * mostly-ASCII text. Returns 1 for little-endian, 2 for big-endian, 0 if not. */
static int guess_utf16(const unsigned char *s, size_t n)
{
    if (n < 4 || n % 2) return 0;
    size_t sample = n < 512 ? n : 512, zero_odd = 0, zero_even = 0;
    for (size_t i = 0; i < sample; i++) {
        if (s[i] == 0) {
            if (i % 2) zero_odd++;
            else zero_even++;
        }
    }
    size_t half = sample / 2;
    if (zero_odd * 10 >= half * 7 && zero_even == 0) return 1;
    if (zero_even * 10 >= half * 7 && zero_odd == 0) return 2;
    return 0;
}

static long line_of_offset(const char *s, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n')) line++;
    return line;
}

/* Replace invalid UTF-8 by U+FFFD, warning once per affected line. */
static char *repair_by_line(const char *s, size_t n, const char *display, diag_list *d, size_t *out_len)
{
    if (utf8_valid(s, n)) {
        *out_len = n;
        return xstrndup(s, n);
    }
    buf out = {0};
    size_t start = 0;
    long line = 1;
    while (start < n) {
        size_t end = start;
        while (end < n && s[end] != '\n' && s[end] != '\r') end++;
        size_t stop = end;
        if (end < n) stop = (s[end] == '\r' && end + 1 < n && s[end + 1] == '\n') ? end + 2 : end + 1;
        if (utf8_valid(s + start, end - start)) {
            buf_add(&out, s + start, stop - start);
        } else {
            size_t bad;
            char *fixed = utf8_repair(s + start, end - start, &bad);
            buf_adds(&out, fixed);
            free(fixed);
            buf_add(&out, s + end, stop - end);
            diag_add(d, display, line, SEV_WARNING,
                     "invalid UTF-8 (%zu byte sequence%s) replaced by U+FFFD; "
                     "save the file as UTF-8", bad, bad == 1 ? "" : "s");
        }
        start = stop;
        line++;
    }
    *out_len = out.len;
    return buf_take(&out);
}

int text_from_bytes(text_file *tf, const char *bytes, size_t n, const char *display, diag_list *d)
{
    const unsigned char *u = (const unsigned char *)bytes;
    memset(tf, 0, sizeof *tf);
    tf->name = display;
    if (n == 0) {
        diag_add(d, display, 0, SEV_ERROR, "the file is empty");
        return -1;
    }
    char *owned = NULL;
    size_t owned_len = 0;
    int utf16 = 0;
    if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE) utf16 = 1, u += 2, n -= 2;
    else if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF) utf16 = 2, u += 2, n -= 2;
    else if (memchr(u, 0, n)) utf16 = guess_utf16(u, n);
    if (utf16) {
        owned = utf16_to_utf8(u, n, utf16 == 2, &owned_len);
        u = (const unsigned char *)owned;
        n = owned_len;
    }
    if (n >= 3 && memcmp(u, "\xEF\xBB\xBF", 3) == 0) u += 3, n -= 3;
    const unsigned char *nul = memchr(u, 0, n);
    if (nul) {
        diag_add(d, display, line_of_offset((const char *)u, (size_t)(nul - u)), SEV_ERROR,
                 "binary file (NUL byte); not a transcript: convert it to UTF-8 text");
        free(owned);
        return -1;
    }
    tf->data = repair_by_line((const char *)u, n, display, d, &tf->len);
    free(owned);
    if (tf->len == 0) {
        diag_add(d, display, 0, SEV_ERROR, "the file is empty");
        text_free(tf);
        return -1;
    }
    return 0;
}

int text_load(text_file *tf, const char *path, const char *display, diag_list *d)
{
    memset(tf, 0, sizeof *tf);
    tf->name = display;
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_add(d, display, 0, SEV_ERROR, "cannot open: %s", strerror(errno));
        return -1;
    }
    buf raw = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_add(&raw, chunk, n);
    int failed = ferror(f);
    int err = errno;
    fclose(f);
    if (failed) {
        diag_add(d, display, 0, SEV_ERROR, "cannot read: %s", strerror(err));
        buf_free(&raw);
        return -1;
    }
    int rc = text_from_bytes(tf, buf_str(&raw), raw.len, display, d);
    buf_free(&raw);
    return rc;
}

void text_free(text_file *tf)
{
    free(tf->data);
    tf->data = NULL;
    tf->len = 0;
}

void text_cursor_init(text_cursor *c, const text_file *tf)
{
    c->tf = tf;
    c->pos = 0;
    c->line = 0;
}

int text_next_line(text_cursor *c, const char **line, size_t *len)
{
    const char *s = c->tf->data;
    size_t n = c->tf->len;
    if (c->pos >= n) return 0;
    size_t start = c->pos, end = start;
    while (end < n && s[end] != '\n' && s[end] != '\r') end++;
    *line = s + start;
    *len = end - start;
    if (end < n && s[end] == '\r' && end + 1 < n && s[end + 1] == '\n') end += 2;
    else if (end < n) end += 1;
    c->pos = end;
    c->line++;
    return 1;
}
