/* session.c: building and freeing the session model (see session.h). */
#include "model/session.h"
#include "util/clock.h"
#include "util/strindex.h"
#include "util/xalloc.h"

#include <stdio.h>
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
    size_t found = strindex_get(&s->speaker_index, label, strlen(label));
    if (found != STRINDEX_NONE) return found;
    s->speakers = xgrow(s->speakers, &s->cap_speakers, s->n_speakers + 1, sizeof *s->speakers);
    speaker *sp = &s->speakers[s->n_speakers];
    sp->label = xstrdup(label);
    sp->role = ROLE_OTHER;
    sp->role_from_source = 0;
    strindex_put(&s->speaker_index, sp->label, strlen(sp->label), s->n_speakers);
    return s->n_speakers++;
}

/* Utterance texts are copied one after the other into blocks that the
 * session owns, rather than into an allocation each: a session holds
 * thousands of them, all freed together. The block being filled is first in
 * the list; each new one is twice the size of the one before, from
 * TEXT_BLOCK_MIN up to TEXT_BLOCK_MAX bytes (or more doublings, to hold the
 * text that starts it). A text longer than half of
 * TEXT_BLOCK_MAX gets a block of its own size, put second in the list, so
 * the block being filled stays first and keeps its size (the first block is
 * always one of those that double). */
#define TEXT_BLOCK_MIN 4096
#define TEXT_BLOCK_MAX (1u << 20)

struct text_block {
    text_block *next;     /* the block filled before this one */
    size_t used, cap;
    char data[];
};

static text_block *text_block_new(size_t cap, text_block *next)
{
    /* its spare end: never written, only read (UTTERANCE_READ_PAD) */
    text_block *b = xmalloc(sizeof *b + cap + UTTERANCE_READ_PAD);
    b->next = next;
    b->used = 0;
    b->cap = cap;
    return b;
}

/* A NUL-terminated copy of text[0..len) in the session's text blocks,
 * UTTERANCE_TEXT_PAD zero bytes after it. */
static char *keep_text(session *s, const char *text, size_t len)
{
    size_t n = len + 1 + UTTERANCE_TEXT_PAD;
    text_block *b = s->texts;
    if (!b) b = s->texts = text_block_new(TEXT_BLOCK_MIN, NULL);
    if (n > TEXT_BLOCK_MAX / 2) {
        b = b->next = text_block_new(n, b->next);
    } else if (b->cap - b->used < n) {
        /* doubled, and as big as the text (which is at most half of
         * TEXT_BLOCK_MAX here) */
        size_t cap = b->cap < TEXT_BLOCK_MAX ? b->cap * 2 : TEXT_BLOCK_MAX;
        while (cap < n) cap *= 2;
        b = s->texts = text_block_new(cap, b);
    }
    char *p = b->data + b->used;
    if (len) memcpy(p, text, len);
    memset(p + len, 0, 1 + UTTERANCE_TEXT_PAD);
    b->used += n;
    return p;
}

void session_reserve_utterances(session *s, size_t n)
{
    s->utts = xgrow(s->utts, &s->cap_utts, n, sizeof *s->utts);
}

size_t session_add_utterance_len(session *s, size_t speaker, const char *text, size_t len,
                                 double start, double end, long line)
{
    s->utts = xgrow(s->utts, &s->cap_utts, s->n_utts + 1, sizeof *s->utts);
    utterance *u = &s->utts[s->n_utts];
    u->speaker = speaker;
    u->text = keep_text(s, text, len);
    u->text_len = len;
    u->start = start;
    u->end = end;
    u->line = line;
    u->flags = 0;
    return s->n_utts++;
}

size_t session_add_utterance(session *s, size_t speaker, const char *text,
                             double start, double end, long line)
{
    return session_add_utterance_len(s, speaker, text, strlen(text), start, end, line);
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

/* Stable merge sort of utterances by start time. */
static void sort_by_start(utterance *u, utterance *tmp, size_t n)
{
    if (n < 2) return;
    size_t h = n / 2;
    sort_by_start(u, tmp, h);
    sort_by_start(u + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = u[j].start < u[i].start ? u[j++] : u[i++];
    while (i < h) tmp[k++] = u[i++];
    while (j < n) tmp[k++] = u[j++];
    memcpy(u, tmp, n * sizeof *u);
}

/* Warn at each utterance that starts before the one with a known start
 * before it; the first such warning also says what is done about it.
 * Returns the number of warnings. */
static size_t warn_backwards(const session *s, int sorting, diag_list *d)
{
    const utterance *last = NULL;   /* the latest utterance with a known start */
    size_t warned = 0;
    for (size_t i = 0; i < s->n_utts; i++) {
        const utterance *u = &s->utts[i];
        if (u->start < 0) continue;
        if (last && u->start < last->start) {
            char a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX];
            clock_format(u->start, a);
            clock_format(last->start, b);
            const char *done = warned ? ""
                               : sorting ? "; utterances sorted by start time"
                                         : "; utterances kept in file order, as some have no time";
            diag_add(d, s->source, u->line, SEV_WARNING, "time goes backwards (%s after %s)%s", a, b, done);
            warned++;
        }
        last = u;
    }
    return warned;
}

void session_normalise_times(session *s, diag_list *d)
{
    int all_started = s->n_utts > 0;
    for (size_t i = 0; i < s->n_utts && all_started; i++)
        if (s->utts[i].start < 0) all_started = 0;
    if (warn_backwards(s, all_started, d) && all_started) {
        utterance *tmp = xcalloc(s->n_utts, sizeof *tmp);
        sort_by_start(s->utts, tmp, s->n_utts);
        free(tmp);
    }
    for (size_t i = 0; i < s->n_utts; i++) {
        utterance *u = &s->utts[i];
        if (u->start < 0 || u->end >= 0) continue;
        for (size_t j = i + 1; j < s->n_utts; j++) {
            if (s->utts[j].start < 0) continue;
            if (s->utts[j].start >= u->start) {
                u->end = s->utts[j].start;
                u->flags |= UTT_END_ESTIMATED;
                s->times_estimated = 1;
            }
            break;
        }
    }
}

void session_free(session *s)
{
    for (size_t i = 0; i < s->n_speakers; i++) free(s->speakers[i].label);
    for (text_block *b = s->texts, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    for (size_t i = 0; i < s->n_meta; i++) {
        free(s->meta[i].key);
        free(s->meta[i].value);
    }
    free(s->speakers);
    strindex_free(&s->speaker_index);
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
