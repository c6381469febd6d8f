/* session.c: building and freeing the session model (see session.h). */
#include "model/session.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void session_init(session *s, const char *id, const char *source)
{
    memset(s, 0, sizeof *s);
    s->id = xstrdup(id);
    s->source = xstrdup(source);
}

size_t session_speaker(session *s, const char *label)
{
    for (size_t i = 0; i < s->n_speakers; i++)
        if (strcmp(s->speakers[i].label, label) == 0) return i;
    s->speakers = xgrow(s->speakers, &s->cap_speakers, s->n_speakers + 1, sizeof *s->speakers);
    speaker *sp = &s->speakers[s->n_speakers];
    sp->label = xstrdup(label);
    sp->role = ROLE_OTHER;
    sp->role_from_source = 0;
    return s->n_speakers++;
}

size_t session_add_utterance(session *s, size_t speaker, const char *text,
                             double start, double end, long line)
{
    s->utts = xgrow(s->utts, &s->cap_utts, s->n_utts + 1, sizeof *s->utts);
    utterance *u = &s->utts[s->n_utts];
    u->speaker = speaker;
    u->text = xstrdup(text);
    u->start = start;
    u->end = end;
    u->line = line;
    u->flags = 0;
    return s->n_utts++;
}

void session_add_meta(session *s, const char *key, const char *value)
{
    s->meta = xgrow(s->meta, &s->cap_meta, s->n_meta + 1, sizeof *s->meta);
    s->meta[s->n_meta].key = xstrdup(key);
    s->meta[s->n_meta].value = xstrdup(value);
    s->n_meta++;
}

int session_is_timed(const session *s)
{
    for (size_t i = 0; i < s->n_utts; i++)
        if (s->utts[i].start >= 0) return 1;
    return 0;
}

void session_free(session *s)
{
    for (size_t i = 0; i < s->n_speakers; i++) free(s->speakers[i].label);
    for (size_t i = 0; i < s->n_utts; i++) free(s->utts[i].text);
    for (size_t i = 0; i < s->n_meta; i++) {
        free(s->meta[i].key);
        free(s->meta[i].value);
    }
    free(s->speakers);
    free(s->utts);
    free(s->meta);
    free(s->id);
    free(s->source);
    memset(s, 0, sizeof *s);
}

static const char *const ROLE_NAMES[ROLE_COUNT] = {"therapist", "client", "other"};

const char *role_name(role r)
{
    return (unsigned)r < ROLE_COUNT ? ROLE_NAMES[r] : "other";
}

int role_parse(const char *name)
{
    for (int r = 0; r < ROLE_COUNT; r++)
        if (strcasecmp(name, ROLE_NAMES[r]) == 0) return r;
    return -1;
}

session *session_list_add(session_list *l, const char *id, const char *source)
{
    l->items = xgrow(l->items, &l->cap, l->n + 1, sizeof *l->items);
    session *s = &l->items[l->n++];
    session_init(s, id, source);
    return s;
}

void session_list_free(session_list *l)
{
    for (size_t i = 0; i < l->n; i++) session_free(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}
