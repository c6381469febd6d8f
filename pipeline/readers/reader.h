/* reader.h: the interface every transcript reader implements, and the table
 * that picks a reader for a file.
 *
 * A reader turns one input file into one or more sessions (model/session.h)
 * and reports problems as diagnostics. It never assigns roles from the
 * built-in words or the --roles file (main does that for every format, see
 * model/roles.h) but it does set speaker.role and role_from_source when the
 * format itself states a role. One file per format: readers/txt.c,
 * readers/csv.c, ... */
#ifndef DYAD_READER_H
#define DYAD_READER_H

#include "model/roles.h"
#include "model/session.h"
#include "readers/source.h"
#include "util/diag.h"

typedef struct reader_options {
    const role_map *roles;   /* --roles; may be NULL. Lets the text reader accept user labels. */
    const char *columns;     /* --columns spec for CSV; may be NULL */
    const char *tiers;       /* --tiers for ELAN (comma-separated names); may be NULL */
} reader_options;

/* A file's bytes, read before its reader runs (to recognise its format by
 * its content): the reader takes them over (reader_load_bytes) instead of
 * reading the file again; the caller frees whatever is left. */
typedef struct preread {
    char *bytes;             /* NUL-terminated; NULL: none, or taken */
    size_t len;
} preread;

typedef struct reader_input {
    const char *path;        /* the path to open */
    const char *source;      /* the name used in reports and messages */
    const char *session_id;  /* the id of the file's session; readers of files with
                                several sessions append "/<session>" to it */
    preread *pre;            /* the file's bytes, already read; NULL: read path */
} reader_input;

/* The input's bytes (NUL-terminated, *len of them, the caller's to free):
 * those already read (in->pre), else the file's; NULL with an error in d
 * when it cannot be opened or read. */
char *reader_load_bytes(const reader_input *in, size_t *len, diag_list *d);
/* text_load for an input (readers/source.h), from its bytes already read
 * when there are. */
int reader_load_text(const reader_input *in, text_file *tf, diag_list *d);

/* Read one file. Returns 0 when it yielded at least one session, -1 when the
 * file failed as a whole (an error diagnostic says why; `out` is unchanged).
 * Warnings may be added either way. */
typedef int (*reader_fn)(const reader_input *in, const reader_options *opt,
                         session_list *out, diag_list *d);

typedef struct reader_format {
    const char *name;                 /* for --format: "txt", "csv", ... */
    const char *const *extensions;    /* lower-case, without the dot, NULL-terminated */
    /* Nonzero when the first bytes of a file look like this format; may be NULL. */
    int (*sniff)(const char *head, size_t n);
    reader_fn read;
} reader_format;

/* The format for --format NAME, or NULL. */
const reader_format *reader_by_name(const char *name);
/* The format for a path by its extension, or NULL when dyad does not read it. */
const reader_format *reader_by_extension(const char *path);
/* The format whose sniff accepts these bytes, or NULL. */
const reader_format *reader_by_content(const char *head, size_t n);
/* The same without the CSV sniffer (a header line of known column names),
 * which comes last: for a file whose extension already names its format,
 * where a CSV-looking head changes nothing (see input_format). */
const reader_format *reader_by_signature(const char *head, size_t n);
/* Comma-separated list of format names, for messages and --help. */
const char *reader_names(void);

/* The readers themselves, one file each (readers/<name>.c), with the
 * content sniffers used when the extension does not tell. */
int read_txt(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d);
int read_csv(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d);
int read_chat(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d);
int read_vtt(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d);
int read_srt(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d);
int read_eaf(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d);
int read_textgrid(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d);
int read_tei(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d);
int read_talkbank(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d);

int sniff_csv(const char *head, size_t n);
int sniff_chat(const char *head, size_t n);
int sniff_vtt(const char *head, size_t n);
int sniff_srt(const char *head, size_t n);
int sniff_eaf(const char *head, size_t n);
int sniff_textgrid(const char *head, size_t n);
int sniff_tei(const char *head, size_t n);
int sniff_talkbank(const char *head, size_t n);

#endif
