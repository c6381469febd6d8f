/* tei.c: the TEI (Text Encoding Initiative) spoken-transcription reader.
 *
 * Speech is in <u who="#id"> elements: their text, including that of
 * nested <seg>, <s>, <w>, <pc>, is one utterance, while <pause>, <gap>,
 * <vocal>, <incident>, <kinesic>, <note>, <desc>, <shift> and <anchor> are
 * not speech and their content is left out. `who` names the speaker (the
 * '#' is dropped); <person xml:id="id" role="therapist"> in the header
 * gives the speaker's role when it is one of the role names every reader
 * knows. ISO 24624 transcriptions put who/start/end on an enclosing
 * <annotationBlock>; a <u> without them takes them from there.
 *
 * Times come from @start/@end (or @synch, @from/@to) pointing at <when>
 * elements of a <timeline>: `absolute` (HH:MM:SS) or `interval` seconds
 * after `since` (default: the timeline's origin). Times are counted from
 * the timeline's origin (its @origin, else its first <when>). The file is
 * streamed with libxml2 (readers/xml.h) and the pointers are resolved at
 * the end, since the timeline may come after the speech. Described for
 * users in docs/formats/tei.md. */
#include "readers/reader.h"
#include "readers/xml.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/strindex.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Times above this many seconds (about 11.5 days) are taken as mistakes. */
#define MAX_SECONDS 1000000.0

/* ---- what the file declares -------------------------------------------- */

typedef struct tei_person {
    char *id;
    int role;              /* a role, or -1 when the file gives none we know */
} tei_person;

typedef enum { WHEN_NEW, WHEN_VISITING, WHEN_DONE } when_state;

typedef struct tei_when {
    char *id;
    size_t timeline;       /* index into timelines; (size_t)-1 outside any */
    char *since;           /* the id it counts from, without '#'; may be NULL */
    double absolute;       /* seconds of the day, when has_absolute */
    double interval;       /* in the timeline's unit, when has_interval */
    int has_absolute, has_interval;
    long line;
    when_state state;      /* while resolving */
    int known;             /* value is known (after resolving) */
    double value;          /* seconds in the frame of `absolute` */
} tei_when;

typedef struct tei_timeline {
    char *origin;          /* the origin's id without '#', or NULL: the first <when> */
    double scale;          /* seconds per unit of `interval` */
    size_t first_when;     /* index of its first <when>; (size_t)-1 when none */
} tei_timeline;

typedef struct tei_utt {
    char *who;             /* the speaker label */
    char *text;
    char *start_ref, *end_ref;
    long line;
    double start, end;
    unsigned flags;
} tei_utt;

typedef struct tei_reader {
    const char *source;
    diag_list *d;
    xmlTextReaderPtr r;
    xml_errors x;

    tei_person *persons;
    size_t n_persons, cap_persons;
    strindex persons_by_id;  /* id -> index into persons (many persons stay linear) */
    tei_when *whens;
    size_t n_whens, cap_whens;
    tei_when **whens_by_id;  /* sorted, for lookups */
    tei_timeline *timelines;
    size_t n_timelines, cap_timelines;
    tei_utt *utts;
    size_t n_utts, cap_utts;

    /* where the stream is */
    int seen_root;
    size_t timeline;         /* the open <timeline>, (size_t)-1 when none */
    int u_depth;             /* depth of the open <u>, -1 when none */
    int skip_depth;          /* depth of the open non-speech element, -1 when none */
    tei_utt cur;
    xml_text text;
    char *block_who, *block_start, *block_end; /* of the open <annotationBlock> */
} tei_reader;

#define NO_INDEX ((size_t)-1)

/* ---- sniffing ---------------------------------------------------------- */

int sniff_tei(const char *head, size_t n)
{
    static const char *const starts[] = {"<TEI ", "<TEI>", "<TEI\n", "<TEI\r", "<TEI\t",
                                         "<teiCorpus", NULL};
    for (const char *const *s = starts; *s; s++)
        if (xml_head_contains(head, n, 4096, *s)) return 1;
    return 0;
}

/* ---- roles ------------------------------------------------------------- */

/* The role named by one of the words of `text` ("#therapist", "Client"),
 * or -1. */
static int role_of_text(const char *text)
{
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
        if (*p == '#') p++;
        size_t n = strcspn(p, " \t\n\r");
        int r = role_from_format(p, n);
        if (r >= 0) return r;
        p += n;
    }
    return -1;
}

static const tei_person *find_person(const tei_reader *t, const char *id)
{
    size_t i = strindex_get(&t->persons_by_id, id, strlen(id));
    return i == STRINDEX_NONE ? NULL : &t->persons[i];
}

/* ---- pointers and times ------------------------------------------------ */

/* The id a pointer names: "#T1" and "other.xml#T1" give "T1". */
static const char *pointer_id(const char *ref)
{
    const char *hash = strrchr(ref, '#');
    return hash ? hash + 1 : ref;
}

/* Read up to `max` digits at *p; returns how many were read. */
static int read_digits(const char **p, int max, double *value)
{
    int n = 0;
    double v = 0;
    while (n < max && **p >= '0' && **p <= '9') v = v * 10 + (*(*p)++ - '0'), n++;
    *value = v;
    return n;
}

static int read_fraction(const char **p, double *value)
{
    *value = 0;
    if (**p != '.') return 1;
    (*p)++;
    double scale = 0.1;
    int n = 0;
    for (; **p >= '0' && **p <= '9'; (*p)++, n++, scale /= 10) *value += (**p - '0') * scale;
    return n > 0;
}

/* Seconds in a clock time "HH:MM:SS(.s)" or "MM:SS(.s)", optionally after
 * an ISO date and 'T' and before a 'Z' or a "+hh:mm" zone. Returns 1 when
 * the whole string is such a time. */
static int parse_clock(const char *s, double *secs)
{
    const char *t = strchr(s, 'T');
    const char *p = t ? t + 1 : s;
    double field[3], frac;
    int nf = 0;
    for (;;) {
        if (!read_digits(&p, 3, &field[nf])) return 0;
        nf++;
        if (nf < 3 && *p == ':') p++;
        else break;
    }
    if (nf < 2 || !read_fraction(&p, &frac)) return 0;
    if (*p == 'Z') p++;
    else if ((*p == '+' || *p == '-') && p[1] >= '0' && p[1] <= '9') p += strspn(p + 1, "0123456789:") + 1;
    if (*p) return 0;
    for (int i = 1; i < nf; i++)
        if (field[i] >= 60) return 0;
    *secs = (nf == 3 ? field[0] * 3600 + field[1] * 60 + field[2] : field[0] * 60 + field[1]) + frac;
    return 1;
}

/* A plain decimal number of seconds ("12", "3.25", "-1"). */
static int parse_seconds(const char *s, double *secs)
{
    const char *p = s;
    int neg = 0;
    if (*p == '-' || *p == '+') neg = *p++ == '-';
    double whole = 0, frac = 0, scale = 0.1;
    int digits = 0;
    for (; *p >= '0' && *p <= '9'; p++, digits++) whole = whole * 10 + (*p - '0');
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++, digits++, scale /= 10) frac += (*p - '0') * scale;
    if (!digits || *p) return 0;
    *secs = neg ? -(whole + frac) : whole + frac;
    return 1;
}

static int compare_when_ids(const void *a, const void *b)
{
    const tei_when *x = *(const tei_when *const *)a, *y = *(const tei_when *const *)b;
    return strcmp(x->id, y->id);
}

static tei_when *find_when(const tei_reader *t, const char *id)
{
    size_t lo = 0, hi = t->n_whens;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(t->whens_by_id[mid]->id, id);
        if (c == 0) return t->whens_by_id[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

/* The <when> a timeline counts from, or NULL. */
static tei_when *origin_of(const tei_reader *t, size_t timeline)
{
    if (timeline == NO_INDEX) return NULL;
    const tei_timeline *tl = &t->timelines[timeline];
    if (tl->origin) return find_when(t, tl->origin);
    return tl->first_when == NO_INDEX ? NULL : &t->whens[tl->first_when];
}

/* The <when> whose value w's value is computed from: its `since`, or its
 * timeline's origin. NULL when w needs none (absolute, or the origin itself)
 * or the one named does not exist (*missing is then set). */
static tei_when *when_base(tei_reader *t, tei_when *w, int *missing)
{
    *missing = 0;
    if (w->has_absolute || !w->has_interval) return NULL;
    if (w->since) {
        tei_when *b = find_when(t, w->since);
        if (!b) {
            *missing = 1;
            diag_add(t->d, t->source, w->line, SEV_WARNING,
                     "<when xml:id=\"%s\"> counts from since=\"#%s\", which the timeline "
                     "does not define; its time is unknown", w->id, w->since);
        }
        return b;
    }
    tei_when *origin = origin_of(t, w->timeline);
    return origin == w ? NULL : origin;
}

/* Compute w's value from its base (already done, or NULL). */
static void settle_when(tei_reader *t, tei_when *w, const tei_when *base, int missing)
{
    w->state = WHEN_DONE;
    w->known = 0;
    if (w->has_absolute) {
        w->value = w->absolute, w->known = 1;
    } else if (w->has_interval && !missing) {
        double scale = w->timeline == NO_INDEX ? 1.0 : t->timelines[w->timeline].scale;
        if (!base) w->value = w->interval * scale, w->known = 1;
        else if (base->known) w->value = base->value + w->interval * scale, w->known = 1;
    } else if (!w->has_interval && origin_of(t, w->timeline) == w) {
        w->value = 0, w->known = 1; /* an origin without a value: time zero */
    }
}

/* Resolve w and every <when> it depends on, without recursion (chains of
 * `since` may be long); a cycle leaves its members unknown. Each <when> is
 * pushed at most once, so `stack` needs room for every <when> plus one. */
static void resolve_when(tei_reader *t, tei_when *w, tei_when **stack)
{
    size_t n = 0;
    stack[n++] = w;
    while (n) {
        tei_when *top = stack[n - 1];
        if (top->state == WHEN_DONE) {
            n--;
            continue;
        }
        int missing;
        tei_when *base = when_base(t, top, &missing);
        if (base && base->state != WHEN_DONE) {
            if (base->state == WHEN_VISITING) {
                diag_add(t->d, t->source, top->line, SEV_WARNING,
                         "<when xml:id=\"%s\"> counts from itself through `since`; its time "
                         "is unknown", top->id);
                top->state = WHEN_DONE;
                top->known = 0;
                n--;
                continue;
            }
            top->state = WHEN_VISITING;
            stack[n++] = base;
            continue;
        }
        settle_when(t, top, base, missing);
        n--;
    }
}

static void resolve_timeline(tei_reader *t)
{
    t->whens_by_id = xmalloc((t->n_whens ? t->n_whens : 1) * sizeof *t->whens_by_id);
    for (size_t i = 0; i < t->n_whens; i++) t->whens_by_id[i] = &t->whens[i];
    qsort(t->whens_by_id, t->n_whens, sizeof *t->whens_by_id, compare_when_ids);
    tei_when **stack = xmalloc((t->n_whens + 1) * sizeof *stack);
    for (size_t i = 0; i < t->n_whens; i++) resolve_when(t, &t->whens[i], stack);
    free(stack);
}

/* The time in seconds an utterance's pointer (or literal time) gives, or
 * TIME_UNKNOWN with a warning naming what is wrong. */
static double time_of_ref(tei_reader *t, const char *ref, const char *attr, long line)
{
    if (!ref) return TIME_UNKNOWN;
    tei_when *w = find_when(t, pointer_id(ref));
    double secs;
    if (w) {
        if (!w->known) return TIME_UNKNOWN;
        const tei_when *origin = origin_of(t, w->timeline);
        secs = w->value - (origin && origin->known ? origin->value : 0);
    } else if (strchr(ref, '#') || !(parse_seconds(ref, &secs) || parse_clock(ref, &secs))) {
        diag_add(t->d, t->source, line, SEV_WARNING,
                 "%s=\"%s\" is neither a <when> of the timeline nor a time; the time is unknown",
                 attr, ref);
        return TIME_UNKNOWN;
    }
    if (secs < 0 || secs > MAX_SECONDS) {
        diag_add(t->d, t->source, line, SEV_WARNING,
                 "%s=\"%s\" is %s (%g s); the time is treated as unknown", attr, ref,
                 secs < 0 ? "before the timeline's origin" : "absurdly large (over 1,000,000 s)",
                 secs);
        return TIME_UNKNOWN;
    }
    return secs;
}

/* Give every utterance its times and estimate missing ends from the next
 * start (the session model warns when times go backwards). */
static void resolve_utterance_times(tei_reader *t, session *s)
{
    for (size_t i = 0; i < t->n_utts; i++) {
        tei_utt *u = &t->utts[i];
        u->start = time_of_ref(t, u->start_ref, "start", u->line);
        u->end = time_of_ref(t, u->end_ref, "end", u->line);
        if (u->start >= 0 && u->end >= 0 && u->end < u->start) {
            diag_add(t->d, t->source, u->line, SEV_WARNING,
                     "the utterance ends (%g s) before it starts (%g s); its end is unknown",
                     u->end, u->start);
            u->end = TIME_UNKNOWN;
        }
    }
    for (size_t i = 0; i + 1 < t->n_utts; i++) {
        tei_utt *u = &t->utts[i], *next = &t->utts[i + 1];
        if (u->start >= 0 && u->end < 0 && next->start >= u->start) {
            u->end = next->start;
            u->flags |= UTT_END_ESTIMATED;
            s->times_estimated = 1;
        }
    }
}

/* ---- elements ---------------------------------------------------------- */

/* Elements whose content is not speech. */
static const char *const NOT_SPEECH[] = {"pause", "gap", "vocal", "incident", "kinesic", "note",
                                         "desc", "shift", "anchor", NULL};
/* Elements that separate words. */
static const char *const WORD_BOUNDARIES[] = {"seg", "s", "w", "pc", "p", "ab", "cl", "phr",
                                              "lb", NULL};

static int name_in(xmlTextReaderPtr r, const char *const *names)
{
    const xmlChar *name = xmlTextReaderConstLocalName(r);
    if (!name) return 0;
    for (; *names; names++)
        if (strcmp((const char *)name, *names) == 0) return 1;
    return 0;
}

static void on_person(tei_reader *t)
{
    char *id = xml_attr(t->r, "xml:id");
    if (!id) return;
    char *role_text = xml_attr(t->r, "role");
    t->persons = xgrow(t->persons, &t->cap_persons, t->n_persons + 1, sizeof *t->persons);
    t->persons[t->n_persons++] = (tei_person){id, role_text ? role_of_text(role_text) : -1};
    strindex_put(&t->persons_by_id, id, strlen(id), t->n_persons - 1);
    free(role_text);
}

static void on_timeline(tei_reader *t)
{
    char *origin = xml_attr(t->r, "origin");
    char *unit = xml_attr(t->r, "unit");
    double scale = 1.0;
    if (unit && strcmp(unit, "ms") == 0) scale = 0.001;
    else if (unit && strcmp(unit, "s") != 0)
        diag_add(t->d, t->source, xml_line(t->r), SEV_WARNING,
                 "timeline unit \"%s\" is not supported; intervals are read as seconds "
                 "(use unit=\"s\" or unit=\"ms\")", unit);
    t->timelines = xgrow(t->timelines, &t->cap_timelines, t->n_timelines + 1, sizeof *t->timelines);
    t->timelines[t->n_timelines] =
        (tei_timeline){origin ? xstrdup(pointer_id(origin)) : NULL, scale, NO_INDEX};
    t->timeline = t->n_timelines++;
    free(origin);
    free(unit);
}

static void on_when(tei_reader *t)
{
    char *id = xml_attr(t->r, "xml:id");
    long line = xml_line(t->r);
    if (!id) {
        diag_add(t->d, t->source, line, SEV_WARNING,
                 "<when> without xml:id ignored: nothing can point at it");
        return;
    }
    char *absolute = xml_attr(t->r, "absolute");
    char *interval = xml_attr(t->r, "interval");
    char *since = xml_attr(t->r, "since");
    tei_when w = {.id = id, .timeline = t->timeline, .line = line};
    if (since) w.since = xstrdup(pointer_id(since));
    if (absolute) {
        w.has_absolute = parse_clock(absolute, &w.absolute);
        if (!w.has_absolute)
            diag_add(t->d, t->source, line, SEV_WARNING,
                     "<when xml:id=\"%s\">: absolute=\"%s\" is not a time (HH:MM:SS); "
                     "it is ignored", id, absolute);
    }
    if (interval && !w.has_absolute) {
        w.has_interval = parse_seconds(interval, &w.interval);
        if (!w.has_interval)
            diag_add(t->d, t->source, line, SEV_WARNING,
                     "<when xml:id=\"%s\">: interval=\"%s\" is not a number; its time is "
                     "unknown", id, interval);
    }
    if (t->timeline != NO_INDEX && t->timelines[t->timeline].first_when == NO_INDEX)
        t->timelines[t->timeline].first_when = t->n_whens;
    t->whens = xgrow(t->whens, &t->cap_whens, t->n_whens + 1, sizeof *t->whens);
    t->whens[t->n_whens++] = w;
    free(absolute);
    free(interval);
    free(since);
}

static void on_block_start(tei_reader *t)
{
    free(t->block_who);
    free(t->block_start);
    free(t->block_end);
    t->block_who = xml_attr(t->r, "who");
    t->block_start = xml_attr(t->r, "start");
    t->block_end = xml_attr(t->r, "end");
}

static void on_block_end(tei_reader *t)
{
    free(t->block_who);
    free(t->block_start);
    free(t->block_end);
    t->block_who = t->block_start = t->block_end = NULL;
}

/* The speaker label of who="#a" ("a"); several ids give "a b". */
static char *label_of_who(const char *who)
{
    buf b = {0};
    const char *p = who;
    while (*p) {
        p += strspn(p, " \t\r\n");
        size_t n = strcspn(p, " \t\r\n");
        if (!n) break;
        char *word = xstrndup(p, n);
        if (b.len) buf_addc(&b, ' ');
        buf_adds(&b, pointer_id(word));
        free(word);
        p += n;
    }
    return buf_take(&b);
}

/* The first of these attributes the element has, or NULL. */
static char *first_attr(xmlTextReaderPtr r, const char *a, const char *b, const char *c)
{
    char *v = xml_attr(r, a);
    if (!v && b) v = xml_attr(r, b);
    if (!v && c) v = xml_attr(r, c);
    return v;
}

static void on_u_start(tei_reader *t)
{
    xmlTextReaderPtr r = t->r;
    t->u_depth = xmlTextReaderDepth(r);
    t->cur = (tei_utt){0};
    t->cur.line = xml_line(r);
    char *who = xml_attr(r, "who");
    if (!who && t->block_who) who = xstrdup(t->block_who);
    t->cur.who = who ? label_of_who(who) : NULL;
    if (!t->cur.who || !t->cur.who[0]) {
        free(t->cur.who);
        diag_add(t->d, t->source, t->cur.line, SEV_WARNING,
                 "<u> without a `who` attribute: its speaker is 'unknown' "
                 "(add who=\"#id\" naming a <person>)");
        t->cur.who = xstrdup("unknown");
    }
    free(who);
    t->cur.start_ref = first_attr(r, "start", "synch", "from");
    t->cur.end_ref = first_attr(r, "end", "to", NULL);
    if (!t->cur.start_ref && t->block_start) t->cur.start_ref = xstrdup(t->block_start);
    if (!t->cur.end_ref && t->block_end) t->cur.end_ref = xstrdup(t->block_end);
    xml_text_free(&t->text);
}

static void on_u_end(tei_reader *t)
{
    t->u_depth = -1;
    t->cur.text = xml_text_take(&t->text);
    if (t->cur.text[0] == '\0') {
        free(t->cur.text);
        free(t->cur.who);
        free(t->cur.start_ref);
        free(t->cur.end_ref);
    } else {
        t->utts = xgrow(t->utts, &t->cap_utts, t->n_utts + 1, sizeof *t->utts);
        t->utts[t->n_utts++] = t->cur;
    }
    t->cur = (tei_utt){0};
}

/* `join` on a <w> or <pc>: "left", "right", "both" or absent. */
static int joins(xmlTextReaderPtr r, const char *side)
{
    char *join = xml_attr(r, "join");
    int yes = join && (strcmp(join, side) == 0 || strcmp(join, "both") == 0);
    free(join);
    return yes;
}

/* A start tag inside a <u>. */
static void on_speech_element(tei_reader *t, int empty)
{
    xmlTextReaderPtr r = t->r;
    if (name_in(r, NOT_SPEECH)) {
        xml_text_break(&t->text);
        if (!empty) t->skip_depth = xmlTextReaderDepth(r);
    } else if (name_in(r, WORD_BOUNDARIES)) {
        if (joins(r, "left")) xml_text_glue(&t->text);
        else xml_text_break(&t->text);
        if (empty) xml_text_break(&t->text);
    }
}

/* An end tag inside a <u>. */
static void on_speech_end(tei_reader *t)
{
    if (!name_in(t->r, WORD_BOUNDARIES)) return;
    if (joins(t->r, "right")) xml_text_glue(&t->text);
    else xml_text_break(&t->text);
}

static void on_element(tei_reader *t)
{
    xmlTextReaderPtr r = t->r;
    int empty = xml_is_empty(r);
    if (!t->seen_root) {
        t->seen_root = 1;
        if (!xml_is_start(r, "TEI") && !xml_is_start(r, "teiCorpus")) {
            diag_add(t->d, t->source, xml_line(r), SEV_ERROR,
                     "not a TEI file: the root element is <%s>, not <TEI>; choose the reader "
                     "with --format", (const char *)xmlTextReaderConstName(r));
            t->x.failed = 1;
            return;
        }
    }
    if (t->u_depth >= 0) {
        if (xml_is_start(r, "u")) xml_text_break(&t->text); /* <u> in <u>: one utterance */
        else on_speech_element(t, empty);
    } else if (xml_is_start(r, "u")) {
        on_u_start(t);
        if (empty) on_u_end(t);
    } else if (xml_is_start(r, "person")) {
        on_person(t);
    } else if (xml_is_start(r, "timeline")) {
        on_timeline(t);
        if (empty) t->timeline = NO_INDEX;
    } else if (xml_is_start(r, "when")) {
        on_when(t);
    } else if (xml_is_start(r, "annotationBlock") && !empty) {
        on_block_start(t);
    }
}

static void on_end_element(tei_reader *t)
{
    xmlTextReaderPtr r = t->r;
    if (t->u_depth >= 0) {
        if (xmlTextReaderDepth(r) == t->u_depth && xml_is_end(r, "u")) on_u_end(t);
        else on_speech_end(t);
    } else if (xml_is_end(r, "timeline")) {
        t->timeline = NO_INDEX;
    } else if (xml_is_end(r, "annotationBlock")) {
        on_block_end(t);
    }
}

static void on_node(tei_reader *t)
{
    xmlTextReaderPtr r = t->r;
    int type = xmlTextReaderNodeType(r);
    if (t->skip_depth >= 0) {
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(r) == t->skip_depth)
            t->skip_depth = -1;
        return;
    }
    if (type == XML_READER_TYPE_ELEMENT) {
        on_element(t);
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
        on_end_element(t);
    } else if (t->u_depth >= 0 && xml_is_text(r)) {
        const xmlChar *v = xmlTextReaderConstValue(r);
        if (v) xml_text_add(&t->text, (const char *)v);
    }
}

/* ---- the session ------------------------------------------------------- */

static void build_session(tei_reader *t, const reader_input *in, session_list *out)
{
    session *s = session_list_add(out, in->session_id, in->source);
    resolve_timeline(t);
    resolve_utterance_times(t, s);
    for (size_t i = 0; i < t->n_utts; i++) {
        const tei_utt *u = &t->utts[i];
        size_t sp = session_speaker(s, u->who);
        const tei_person *p = find_person(t, u->who);
        if (p && p->role >= 0) {
            s->speakers[sp].role = (role)p->role;
            s->speakers[sp].role_from_source = 1;
        }
        size_t k = session_add_utterance(s, sp, u->text, u->start, u->end, u->line);
        s->utts[k].flags = u->flags;
    }
}

static void free_utt(tei_utt *u)
{
    free(u->who);
    free(u->text);
    free(u->start_ref);
    free(u->end_ref);
}

static void tei_free(tei_reader *t)
{
    for (size_t i = 0; i < t->n_persons; i++) free(t->persons[i].id);
    for (size_t i = 0; i < t->n_whens; i++) {
        free(t->whens[i].id);
        free(t->whens[i].since);
    }
    for (size_t i = 0; i < t->n_timelines; i++) free(t->timelines[i].origin);
    for (size_t i = 0; i < t->n_utts; i++) free_utt(&t->utts[i]);
    if (t->u_depth >= 0) free_utt(&t->cur);
    free(t->persons);
    strindex_free(&t->persons_by_id);
    free(t->whens);
    free(t->whens_by_id);
    free(t->timelines);
    free(t->utts);
    on_block_end(t);
    xml_text_free(&t->text);
}

int read_tei(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d)
{
    (void)opt;
    tei_reader t = {0};
    t.source = in->source;
    t.d = d;
    t.timeline = NO_INDEX;
    t.u_depth = -1;
    t.skip_depth = -1;
    t.r = xml_open(in, &t.x, d);
    if (!t.r) return -1;
    int rc;
    while ((rc = xml_next(t.r, &t.x)) == 1) on_node(&t);
    xml_close(t.r, &t.x);
    if (rc == 0 && t.n_utts == 0) {
        diag_add(d, in->source, 0, SEV_ERROR,
                 "no speech found: no <u> element with text (a TEI transcription puts each "
                 "utterance in <u who=\"#speaker\">)");
        rc = -1;
    }
    if (rc == 0) build_session(&t, in, out);
    tei_free(&t);
    return rc < 0 ? -1 : 0;
}
