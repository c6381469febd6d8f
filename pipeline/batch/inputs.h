/* inputs.h: turning the paths on the command line into the list of input
 * files, each with its session id.
 *
 * Folders are recursed; files whose extension no reader knows are skipped
 * silently, as are hidden files (names starting with '.'). A session id is
 * the file's path under the folder given, without its extension
 * ("site1/s03"); a file given directly has its name without extension. The
 * list is sorted by session id so that output never depends on the order of
 * the file system. */
#ifndef DYAD_INPUTS_H
#define DYAD_INPUTS_H

#include "readers/reader.h"
#include "util/diag.h"

typedef struct input_file {
    char *path;                 /* to open */
    char *session_id;
    const reader_format *format;   /* by --format or extension; NULL when neither tells */
    int forced;                    /* format given by --format */
    int by_extension;              /* format from the file's extension */
} input_file;

typedef struct input_list {
    input_file *items;
    size_t n, cap;
    size_t missing;             /* command-line paths that did not exist */
    size_t duplicates;          /* files dropped for a duplicate session id */
} input_list;

typedef struct input_options {
    const reader_format *forced;   /* --format, or NULL */
    int follow_links;              /* --follow-links */
} input_options;

/* --shard K/N: keep only the inputs whose path hashes to part K (1..N). The
 * hash (FNV-1a, 64 bits) of each file's session id makes the parts stable
 * across runs and machines and disjoint. shard_count 0 keeps everything. */
typedef struct shard_spec {
    unsigned long index, count;
} shard_spec;

/* Parse "K/N" (1 <= K <= N <= 100000). Returns 0 or -1. */
int shard_parse(const char *s, shard_spec *out);

/* Add the files under `path`. Problems (a missing path, an unreadable
 * folder, a skipped link) become diagnostics. */
void inputs_collect(input_list *l, const char *path, const input_options *opt, diag_list *d);
/* Keep only the shard's part (when given); sort by session id; report
 * duplicate ids as errors naming both files and drop the later one. */
void inputs_finish(input_list *l, const shard_spec *shard, diag_list *d);
/* The reader for an input: the one --format or its extension chose, except
 * that a .xml file goes to whichever XML format its content shows (TEI or
 * TalkBank), and a .txt or unknown file is recognised by its content when
 * that is unmistakable (a .txt stays text even when it looks like CSV). */
const reader_format *input_format(const input_file *in);
void inputs_free(input_list *l);

#endif
