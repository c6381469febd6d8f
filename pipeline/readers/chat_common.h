/* chat_common.h: what the CHAT reader (readers/chat.c) and the TalkBank XML
 * reader (readers/talkbank.c) share.
 *
 * Both formats come from the same CHILDES/TalkBank conventions, so they
 * name roles the same way, build an utterance's text from the same kind of
 * word list (retraced words dropped, replacements used, a terminator at the
 * end) and check media times the same way. Only those two readers use this
 * header. */
#ifndef DYAD_CHAT_COMMON_H
#define DYAD_CHAT_COMMON_H

#include "model/session.h"
#include "util/diag.h"

#include <stddef.h>

/* Times at or above this many seconds are treated as unknown (with a warning). */
#define CHAT_MAX_SECONDS 1000000.0

/* ROLE_THERAPIST or ROLE_CLIENT for a role name the CHAT family uses
 * ("Investigator", "Target_Child", ...; case-insensitive), or -1 for any
 * other role, which then stays ROLE_OTHER. */
int chat_role(const char *name);

/* One spoken word of an utterance, or a comma. */
typedef struct chat_word {
    char *text;              /* cleaned word: letters, digits, ' and - (may hold a space) */
    unsigned char comma;     /* 1 for a comma item (text is NULL) */
    unsigned char excluded;  /* retraced or replaced: not in the utterance text */
} chat_word;

/* The words of the utterance being read. One chat_words serves a whole file:
 * chat_words_reset empties it and keeps its memory. */
typedef struct chat_words {
    chat_word *w;
    size_t n, cap;
    char terminator;         /* '.', '?', '!' or 0 when none */
    unsigned flags;          /* UTT_INTERRUPTED, UTT_SELF_INTERRUPTED */
} chat_words;

void chat_words_reset(chat_words *cw);
void chat_words_free(chat_words *cw);
/* Clean one word and append it. Cleaning keeps letters and digits of any
 * script, apostrophes and hyphens; drops the parentheses of an omitted part
 * ("(be)cause" -> "because"); turns '_' into a space ("all_gone" -> "all
 * gone") and a compound '+' into '-' ("race+car" -> "race-car"); drops every
 * other mark (lengthening ':' and U+02D0, stress U+02C8 and U+02CC, CA
 * arrows, quotes, ...). Returns 1 when the
 * word was added, 0 when nothing of it was left (no letter or digit). */
int chat_words_add(chat_words *cw, const char *s, size_t n);
void chat_words_add_comma(chat_words *cw);
/* Mark the items [from, to) as not spoken (retraced or replaced). */
void chat_words_exclude(chat_words *cw, size_t from, size_t to);
/* The utterance text: the items not excluded, separated by single spaces, a
 * comma attached to the word before it, then the terminator. "" when no word
 * is left (the terminator is then dropped too). The caller frees it. */
char *chat_words_text(const chat_words *cw);

/* Check an utterance's media times (seconds, TIME_UNKNOWN when absent). A
 * time that is negative or at least CHAT_MAX_SECONDS, or an end before the
 * start, makes both times unknown with a warning naming `source` and `line`.
 * (A start before the previous utterance's is the session model's to warn
 * about: session_normalise_times.) */
void chat_times_check(double *start, double *end, const char *source, long line, diag_list *d);

#endif
