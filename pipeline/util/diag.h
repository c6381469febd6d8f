/* diag.h: the messages a run produces about its inputs.
 *
 * Readers, the lexicon loader and the analysis never print: they append a
 * diagnostic (source, line, severity, message) to a list owned by whoever
 * called them. main prints the list to stderr and the errors.csv writer
 * writes it, so every message reaches both places and nothing is lost when
 * files are analysed in parallel. */
#ifndef DYAD_DIAG_H
#define DYAD_DIAG_H

#include <stddef.h>

typedef enum { SEV_WARNING, SEV_ERROR } severity;

typedef struct diag {
    char *source;     /* file the message is about ("" for the run itself) */
    long line;        /* 1-based line, 0 when not tied to a line */
    severity sev;
    char *message;
} diag;

typedef struct diag_list {
    diag *items;
    size_t n, cap;
} diag_list;

void diag_add(diag_list *d, const char *source, long line, severity sev,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Move every item of `from` to the end of `to`, leaving `from` empty. */
void diag_move(diag_list *to, diag_list *from);
size_t diag_count(const diag_list *d, severity sev);
const char *severity_name(severity sev);
/* "source:line: severity: message" (the line part only when known). */
void diag_print(const diag *m, void *stream);
/* Append the whole file at path to b (a util/buf.h buf). When it cannot be
 * opened or read, add an error naming what it was to be (`what`: "lexicon",
 * "dictionary"), why, and what to check, and return -1; else 0. */
struct buf;
int diag_read_file(struct buf *b, const char *path, const char *what, diag_list *d);
void diag_free(diag_list *d);

#endif
