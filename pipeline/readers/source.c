/* source.c: transcript text loading and line splitting (see source.h).
 *
 * Every byte of every transcript passes through here two or three times, so
 * the common case is kept cheap: a file is read straight into the buffer it
 * is kept in (sized from fstat), valid UTF-8 is adopted as it is, the UTF-8
 * check goes 32 bytes at a time through ASCII, and line ends are found
 * by the C library's memchr. */
#include "readers/source.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HIGH_BITS 0x8080808080808080ull

static inline uint64_t load8(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* Whether s[0..n) is valid UTF-8 (as utf8_valid): ASCII is passed over
 * 32 and then 8 bytes at a time, everything else decoded. */
static int valid_utf8(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (i + 32 <= n &&
            !((load8(s + i) | load8(s + i + 8) | load8(s + i + 16) | load8(s + i + 24)) & HIGH_BITS)) {
            i += 32;
            continue;
        }
        if (i + 8 <= n && !(load8(s + i) & HIGH_BITS)) {
            i += 8;
            continue;
        }
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        int ok;
        i += utf8_decode(u + i, n - i, &cp, &ok);
        if (!ok) return 0;
    }
    return 1;
}

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
    buf out = {0};
    size_t start = 0;
    long line = 1;
    while (start < n) {
        size_t end = start;
        while (end < n && s[end] != '\n' && s[end] != '\r') end++;
        size_t stop = end;
        if (end < n) stop = (s[end] == '\r' && end + 1 < n && s[end + 1] == '\n') ? end + 2 : end + 1;
        if (valid_utf8(s + start, end - start)) {
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

/* text_from_bytes on a buffer of ours: data (n bytes, room for n + 1) is
 * taken over, kept as the text when it is clean UTF-8 already and freed
 * otherwise. */
static int text_adopt(text_file *tf, char *data, size_t n, const char *display, diag_list *d)
{
    memset(tf, 0, sizeof *tf);
    tf->name = display;
    if (n == 0) {
        diag_add(d, display, 0, SEV_ERROR, "the file is empty");
        free(data);
        return -1;
    }
    const unsigned char *u = (const unsigned char *)data;
    size_t skip = 0;   /* bytes of a byte order mark before the text */
    int utf16 = 0, has_nul = 1;   /* has_nul: not known to have none */
    if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE) utf16 = 1, skip = 2;
    else if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF) utf16 = 2, skip = 2;
    else if ((has_nul = memchr(u, 0, n) != NULL)) utf16 = guess_utf16(u, n);
    if (utf16) {
        size_t len;
        char *utf8 = utf16_to_utf8(u + skip, n - skip, utf16 == 2, &len);
        free(data);
        data = utf8;   /* buf_take: room for its NUL */
        n = len;
        skip = 0;
        u = (const unsigned char *)data;
    }
    if (n - skip >= 3 && memcmp(u + skip, "\xEF\xBB\xBF", 3) == 0) skip += 3;
    /* most files were looked through for a NUL above, whole */
    const unsigned char *nul = has_nul ? memchr(u + skip, 0, n - skip) : NULL;
    if (nul) {
        diag_add(d, display, line_of_offset(data + skip, (size_t)(nul - u - skip)), SEV_ERROR,
                 "binary file (NUL byte); not a transcript: convert it to UTF-8 text");
        free(data);
        return -1;
    }
    if (valid_utf8(data + skip, n - skip)) {
        if (skip) memmove(data, data + skip, n - skip);
        tf->len = n - skip;
        data[tf->len] = '\0';
        tf->data = data;
    } else {
        tf->data = repair_by_line(data + skip, n - skip, display, d, &tf->len);
        free(data);
    }
    if (tf->len == 0) {
        diag_add(d, display, 0, SEV_ERROR, "the file is empty");
        text_free(tf);
        return -1;
    }
    return 0;
}

int text_adopt_bytes(text_file *tf, char *bytes, size_t n, const char *display, diag_list *d)
{
    return text_adopt(tf, bytes, n, display, d);
}

int text_from_bytes(text_file *tf, const char *bytes, size_t n, const char *display, diag_list *d)
{
    char *data = xmalloc(n + 1);
    if (n) memcpy(data, bytes, n);
    return text_adopt(tf, data, n, display, d);
}

/* A regular file is read in one go into a buffer of its size (plus its
 * NUL and one byte to see the end: buf_add_file); anything else grows as
 * it comes. */
char *source_read_bytes(const char *path, const char *display, size_t *len, diag_list *d)
{
    buf b = {0};
    int rc = buf_add_file(&b, path);
    if (rc != 0) {
        diag_add(d, display, 0, SEV_ERROR, "cannot %s: %s", rc == BUF_CANNOT_OPEN ? "open" : "read",
                 strerror(errno));
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return buf_take(&b);
}

int text_load(text_file *tf, const char *path, const char *display, diag_list *d)
{
    memset(tf, 0, sizeof *tf);
    tf->name = display;
    size_t len;
    char *data = source_read_bytes(path, display, &len, d);
    return data ? text_adopt(tf, data, len, display, d) : -1;
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
    c->cr = 0;
}

/* A line ends at the first LF or CR. Most files have no CR at all, so where
 * the next CR is gets remembered (c->cr) and looked for again only once the
 * cursor has passed it; the LF is then looked for only up to it. Both are
 * found by memchr, which the C library vectorises. */
int text_next_line(text_cursor *c, const char **line, size_t *len)
{
    const char *s = c->tf->data;
    size_t n = c->tf->len;
    if (c->pos >= n) return 0;
    size_t start = c->pos;
    if (c->cr <= start) {
        const char *cr = memchr(s + start, '\r', n - start);
        c->cr = cr ? (size_t)(cr - s) : n;
    }
    const char *lf = memchr(s + start, '\n', c->cr - start);
    size_t end = lf ? (size_t)(lf - s) : c->cr;
    *line = s + start;
    *len = end - start;
    if (end < n && s[end] == '\r' && end + 1 < n && s[end + 1] == '\n') end += 2;
    else if (end < n) end += 1;
    c->pos = end;
    c->line++;
    return 1;
}
