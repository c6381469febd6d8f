/* cues.h: what the WebVTT and SRT readers share.
 *
 * Both formats are lists of cues: an optional identifier line, a timing line
 * "start --> end", and payload lines up to a blank line. This module reads
 * timings, splits a file into cues, decodes character references, finds
 * "Name:" speaker prefixes, and turns the cues into a session. A format
 * supplies only its header handling and a `markup` function that strips its
 * tags from a cue's payload (readers/vtt.c, readers/srt.c). */
#ifndef DYAD_CUES_H
#define DYAD_CUES_H

#include "readers/reader.h"
#include "readers/source.h"
#include "util/buf.h"

#include <stddef.h>

/* Times beyond this many seconds are treated as unknown (with a warning). */
#define CUE_TIME_MAX 1000000.0

/* Parse a timestamp [H...:]MM:SS[(.|,)f...] at s[*i] (1 to 3 fraction digits;
 * minutes and seconds are 1 or 2 digits below 60; hours up to 9 digits).
 * On success advance *i and return 1. */
int cue_parse_time(const char *s, size_t n, size_t *i, double *secs);
/* Parse a whole timing line "start --> end [settings]" (cue settings after
 * white space are ignored). Returns 1 when it is one. */
int cue_parse_timing(const char *s, size_t n, double *start, double *end);

/* If s[0..n) starts with a character reference ("&amp;", "&#233;",
 * "&#x00E9;", ...), append its text to out and return the bytes it takes;
 * return 0 (appending nothing) when it is not one dyad knows. */
size_t cue_decode_entity(const char *s, size_t n, buf *out);
/* Append s[0..n) to out with character references decoded. */
void cue_decode_text(const char *s, size_t n, buf *out);

/* The text of one speaker within a cue. */
typedef struct cue_part {
    char *speaker;       /* NULL when the cue does not say who speaks */
    buf text;            /* lines joined by '\n'; spaces are tidied on output */
    long line;           /* the source line where this part starts */
} cue_part;

typedef struct cue_parts {
    cue_part *items;
    size_t n, cap;
} cue_parts;

/* Append a part; speaker may be NULL. Returns its index. */
size_t cue_parts_add(cue_parts *p, const char *speaker, long line);
void cue_parts_set_speaker(cue_part *part, const char *speaker);
void cue_parts_clear(cue_parts *p);
void cue_parts_free(cue_parts *p);

/* Speaker prefixes recognised at the start of a payload line besides
 * "Name: text". */
#define CUE_LABEL_BRACKETS 0x1u  /* "[Name] text" (SRT) */
#define CUE_LABEL_DASH     0x2u  /* "- Name: text" (SRT dialogue dashes) */

/* Everything a format tells the shared cue reader. */
typedef struct cue_format {
    int webvtt;               /* skip NOTE/STYLE/REGION blocks; '.' in messages */
    unsigned label_forms;     /* CUE_LABEL_* */
    const char *no_speaker;   /* the warning when cues go to 'unknown' */
    /* Turn a cue payload (lines joined by '\n', the first on `line`) into
     * parts: tags stripped, character references decoded, line breaks kept.
     * A format with voice markup gives one part per voice; otherwise one part
     * with speaker NULL, which the shared code splits at "Name:" prefixes. */
    void (*markup)(const char *payload, size_t n, long line, cue_parts *out);
} cue_format;

/* Read the cues from `start` (a cursor just after any header) to the end of
 * its file into one session added to out. opt (may be NULL) gives the
 * --roles labels, which count as speakers even when used once. Returns 0, or
 * -1 with an error in d when there are no cues or none has any text (out is
 * then unchanged). */
int cue_read_session(const text_cursor *start, const cue_format *fmt, const reader_input *in,
                     const reader_options *opt, session_list *out, diag_list *d);

/* Shared by the two sniffers: skip a UTF-8 BOM at the start of head. */
size_t cue_skip_bom(const char *head, size_t n);

#endif
