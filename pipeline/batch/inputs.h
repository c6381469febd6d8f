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
#include "util/buf.h"
#include "util/diag.h"

#include <stddef.h>

/* One input, made whole to be read (inputs_get). The list keeps each file's
 * path only below the path given on the command line, so the full path is
 * put together in `text`; the session id points into the list and lives as
 * long as it. An input_file can be filled again and again (one per thread);
 * input_file_free releases its text. */
typedef struct input_file {
    const char *path;              /* to open */
    const char *session_id;
    const reader_format *forced;   /* --format, or NULL */
    buf text;                      /* holds path */
} input_file;

struct input_store;                /* inputs.c */

/* n is set by inputs_finish; until then it is 0 and the inputs collected
 * are only recorded in `store`. Issue 7: a file costs the list its name
 * below the folder given plus 2 bytes, and 8 bytes of order (26 bytes for
 * "site01/s0001.txt"); what goes before the name is kept once per folder. */
typedef struct input_list {
    size_t n;                   /* inputs, in session id order: 0 .. n-1 */
    size_t missing;             /* command-line paths that did not exist */
    size_t duplicates;          /* files dropped for a duplicate session id */
    struct input_store *store;  /* names, the folders given, the order */
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
/* Put the inputs in order (once, after the last inputs_collect): only the
 * shard's part (when given), sorted by session id; duplicate ids are
 * reported as errors naming both files, and the later one is dropped. */
void inputs_finish(input_list *l, const shard_spec *shard, diag_list *d);
/* Fill *in with input i (i < l->n). Only reads the list: threads may call
 * it at once, each with its own input_file. */
void inputs_get(const input_list *l, size_t i, input_file *in);
/* Whether some input has the session id `id`, in any --shard part (binary
 * search; threads may call it at once, each with its own input_file); when
 * one does, *found is filled with it as inputs_get would. */
int inputs_find(const input_list *l, const char *id, input_file *found);
void input_file_free(input_file *in);
/* The reader for an input: the one --format or its extension chose, except
 * that a .xml file goes to whichever XML format its content shows (TEI or
 * TalkBank), and a .txt or unknown file is recognised by its content when
 * that is unmistakable (a .txt stays text even when it looks like CSV).
 * Then the whole file is read into *pre, for the reader to take over (one
 * read of the file, not two); NULL, with an error in d, when it cannot be
 * opened or read. The caller frees what the reader leaves in pre. */
const reader_format *input_format(const input_file *in, preread *pre, diag_list *d);
void inputs_free(input_list *l);

#endif
