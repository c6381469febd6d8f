/* buf.c: growable byte buffer (see buf.h). */
#include "util/buf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void buf_reserve(buf *b, size_t extra)
{
    b->data = xgrow(b->data, &b->cap, b->len + extra + 1, 1);
}

void buf_add(buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_adds(buf *b, const char *s) { buf_add(b, s, strlen(s)); }

void buf_addc(buf *b, char c) { buf_add(b, &c, 1); }

void buf_vaddf(buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);   /* NOLINT(clang-analyzer-valist.Uninitialized): ap2 is va_copy'd just above */
    va_end(ap2);
    if (n < 0) return;
    buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_addf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(b, fmt, ap);
    va_end(ap);
}

void buf_clear(buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

const char *buf_str(const buf *b) { return b->data ? b->data : ""; }

char *buf_take(buf *b)
{
    char *s = b->data ? b->data : xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void buf_free(buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* Read fd to its end into b; 0, or -1 with errno set. */
static int read_to_end(buf *b, int fd)
{
    for (;;) {
        if (!b->data || b->cap - b->len < 2) buf_reserve(b, 65536);
        ssize_t got = read(fd, b->data + b->len, b->cap - 1 - b->len);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return -1;
        if (got == 0) return 0;
        b->len += (size_t)got;
    }
}

/* Plain open and read, not stdio: every input file comes through here (the
 * plain-text and CSV readers, via text_load). A regular file's size is
 * known, so it is read straight into a buffer of its size and the byte the
 * read of its end needs, not one grown by doubling. */
int buf_add_file(buf *b, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return BUF_CANNOT_OPEN;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (unsigned long long)st.st_size < (unsigned long long)SIZE_MAX / 2) {
        b->cap = b->len + (size_t)st.st_size + 2;
        b->data = xrealloc(b->data, b->cap);
    }
    int failed = read_to_end(b, fd), err = errno;
    if (b->data) b->data[b->len] = '\0';
    close(fd);
    errno = err;
    return failed ? BUF_CANNOT_READ : 0;
}
