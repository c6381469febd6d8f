/* session.h: the session model every reader fills and the analysis reads.
 *
 * A session is one conversation: its speakers (label and role) and its
 * utterances in order (speaker, text, optional start and end times, the
 * source line). Nothing here knows which file format the session came from,
 * and nothing downstream needs to. */
#ifndef DYAD_SESSION_H
#define DYAD_SESSION_H

#include "util/diag.h"
#include "util/strindex.h"

#include <stddef.h>

typedef enum { ROLE_THERAPIST, ROLE_CLIENT, ROLE_OTHER } role;
#define ROLE_COUNT 3

/* Utterance flags, set by readers from what the source marks explicitly. */
#define UTT_INTERRUPTED       0x01u /* cut off by the other speaker (CHAT +/. +/?) */
#define UTT_SELF_INTERRUPTED  0x02u /* broke off by itself (CHAT +//.) */
#define UTT_END_ESTIMATED     0x04u /* end time taken from the next start */

typedef struct speaker {
    char *label;          /* as written in the source, e.g. "Dr. Mills" */
    role role;
    int role_from_source; /* 1 when the format itself gave the role (CHAT, TEI, ELAN) */
} speaker;

typedef struct utterance {
    size_t speaker;       /* index into session.speakers */
    char *text;           /* valid UTF-8; transcriber annotations kept; kept in the
                           * session's text blocks, not to be freed on its own;
                           * UTTERANCE_TEXT_PAD zero bytes follow its NUL,
                           * UTTERANCE_READ_PAD bytes can be read past it */
    size_t text_len;      /* strlen(text) */
    double start, end;    /* seconds; negative when unknown (see TIME_UNKNOWN) */
    long line;            /* source line (or element) for messages and the audit trail */
    unsigned flags;       /* UTT_* */
} utterance;

#define TIME_UNKNOWN (-1.0)
/* Zero bytes after each utterance text's NUL. */
#define UTTERANCE_TEXT_PAD 7
/* Bytes after each utterance text's NUL that can be read: its zero bytes,
 * then later texts or the spare end every text block has. The tokenizer
 * reads that far to take a text 64 bytes at a time (words_split_padded). */
#define UTTERANCE_READ_PAD 80

typedef struct meta_field {
    char *key;            /* column name, e.g. "mi_quality" */
    char *value;
} meta_field;

/* A block of utterance texts (session.c). */
typedef struct text_block text_block;

typedef struct session {
    char *id;             /* session_id, e.g. "site1/s03" */
    char *source;         /* the input path as the user gave it (plus folder part) */
    speaker *speakers;
    size_t n_speakers, cap_speakers;
    strindex speaker_index;     /* label -> index into speakers */
    utterance *utts;
    size_t n_utts, cap_utts;
    text_block *texts;    /* where the utterance texts are kept */
    meta_field *meta;     /* per-session metadata carried into sessions.csv */
    size_t n_meta, cap_meta;
    int times_estimated;  /* some end times were estimated from the next start */
} session;

void session_init(session *s, const char *id, const char *source);
/* The index of the speaker with this label (exact match), added with role
 * ROLE_OTHER when new. */
size_t session_speaker(session *s, const char *label);
/* Append an utterance; the text is copied. Returns its index. */
size_t session_add_utterance(session *s, size_t speaker, const char *text,
                             double start, double end, long line);
/* The same for the text text[0..len), which need not be NUL-terminated. */
size_t session_add_utterance_len(session *s, size_t speaker, const char *text, size_t len,
                                 double start, double end, long line);
/* Make room for n utterances at once (a reader's estimate), so that adding
 * them does not grow the list step by step, copying it each time. */
void session_reserve_utterances(session *s, size_t n);
void session_add_meta(session *s, const char *key, const char *value);
/* Nonzero when at least one utterance has a start time. */
int session_is_timed(const session *s);
/* Put a timed session in time order and complete its end times. Each start
 * before the previous known start gets the warning "time goes backwards (A
 * after B)" (readers leave this check to the model, but for TextGrid's
 * check within each tier: its reader merges the tiers by time, so only it
 * sees a tier out of order); when every utterance
 * has a start they are then sorted by it (stable), else kept in file order.
 * An utterance without an end ends where the next one starts
 * (UTT_END_ESTIMATED, and s->times_estimated is set). */
void session_normalise_times(session *s, diag_list *d);
void session_free(session *s);

const char *role_name(role r);
/* "therapist", "client" or "other" (case-insensitive) to a role; -1 when none. */
int role_parse(const char *name);

/* A growable list of sessions: one input file may hold several (CSV). */
typedef struct session_list {
    session *items;
    size_t n, cap;
} session_list;

session *session_list_add(session_list *l, const char *id, const char *source);
void session_list_free(session_list *l);

#endif
