/* source.h: loading a transcript file as clean UTF-8 text, line by line.
 *
 * Every text-based reader starts here. text_load reads the whole file and
 * makes it safe to parse: a UTF-8 BOM is skipped, UTF-16 (with a BOM, or
 * recognised by its zero bytes) is transcoded, a binary file (NUL bytes) is
 * refused, and invalid UTF-8 is replaced by U+FFFD with a warning naming the
 * line. text_next_line then hands out lines with CRLF, CR-only and LF line
 * ends alike. */
#ifndef DYAD_SOURCE_H
#define DYAD_SOURCE_H

#include "util/diag.h"

#include <stddef.h>

typedef struct text_file {
    char *data;       /* valid UTF-8, NUL-terminated, no BOM */
    size_t len;
    const char *name; /* the source name used in messages (not owned) */
} text_file;

/* The file's bytes as they are, NUL-terminated, their count in *len; NULL
 * with an error in d naming `display` when it cannot be opened or read
 * (the XML readers start here; text_load checks the bytes too). */
char *source_read_bytes(const char *path, const char *display, size_t *len, diag_list *d);
/* Load path; messages name `display`. Returns 0, or -1 with an error in d
 * (cannot open, empty, binary). */
int text_load(text_file *tf, const char *path, const char *display, diag_list *d);
/* text_load for bytes the caller has read (malloc'd, NUL-terminated, n of
 * them), which the text_file takes over, or frees on failure. */
int text_adopt_bytes(text_file *tf, char *bytes, size_t n, const char *display, diag_list *d);
/* Make a text_file from bytes already in memory (fuzzers, tests); same checks. */
int text_from_bytes(text_file *tf, const char *bytes, size_t n, const char *display, diag_list *d);
void text_free(text_file *tf);

typedef struct text_cursor {
    const text_file *tf;
    size_t pos;
    long line;        /* number of the line last returned, 1-based */
    size_t cr;        /* where the next CR is (len: none); looked for again once pos reaches it */
} text_cursor;

void text_cursor_init(text_cursor *c, const text_file *tf);
/* The next line without its line end; returns 0 at the end of the file. The
 * line is not NUL-terminated: use *len. */
int text_next_line(text_cursor *c, const char **line, size_t *len);

#endif
