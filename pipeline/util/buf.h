/* buf.h: a growable byte buffer, always NUL-terminated.
 *
 * Used wherever text is assembled piece by piece: utterance text from
 * continuation lines, CSV rows before they are written, messages. */
#ifndef DYAD_BUF_H
#define DYAD_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data;   /* NUL-terminated once anything was added; may be NULL when empty */
    size_t len;
    size_t cap;
} buf;

void buf_add(buf *b, const char *s, size_t n);
void buf_adds(buf *b, const char *s);
void buf_addc(buf *b, char c);
void buf_addf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(buf *b, const char *fmt, va_list ap);
void buf_clear(buf *b);
/* Append the whole file at path. Returns 0, BUF_CANNOT_OPEN or
 * BUF_CANNOT_READ, with errno saying why (b may then hold part of it). */
enum { BUF_CANNOT_OPEN = -1, BUF_CANNOT_READ = -2 };
int buf_add_file(buf *b, const char *path);
/* The contents as a string ("" when empty); stays owned by the buffer. */
const char *buf_str(const buf *b);
/* Hand the contents over to the caller (never NULL) and reset the buffer. */
char *buf_take(buf *b);
void buf_free(buf *b);

#endif
