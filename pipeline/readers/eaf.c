/* eaf.c: the ELAN (.eaf) reader.
 *
 * An EAF file lists its time slots first (TIME_ORDER: TIME_SLOT_ID and an
 * optional TIME_VALUE in milliseconds), then its tiers. Each top-level tier
 * (no PARENT_REF) with time-aligned annotations is one speaker: its
 * PARTICIPANT, or its TIER_ID when that is empty. Dependent tiers
 * (translations, glosses, words, notes) and reference annotations are not
 * speech and are skipped. --tiers names the tiers to read instead.
 *
 * The file is streamed with libxml2 (readers/xml.h). Annotations are
 * collected with their slot ids; at the end slots without a value get one by
 * linear interpolation between the nearest valued slots in TIME_ORDER (slots
 * before the first or after the last valued slot stay unknown), and the
 * utterances of all tiers are merged by start time (stable; unknown starts
 * last, in document order). Described for users in docs/formats/eaf.md. */
#include "readers/reader.h"
#include "readers/xml.h"
#include "util/buf.h"
#include "util/strindex.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Times above this many seconds (about 11.5 days) are taken as mistakes. */
#define MAX_SECONDS 1000000.0

typedef struct time_slot {
    char *id;
    double ms;        /* valid when has_value */
    int has_value;
} time_slot;

typedef struct eaf_annotation {
    size_t label;     /* index into eaf_reader.labels */
    char *text;
    char *slot1, *slot2;
    long line;
    size_t order;     /* document order, for the stable merge */
    double start, end;
} eaf_annotation;

/* One name given with --tiers, and whether the file has it. */
typedef struct tier_choice {
    char *name;
    int found;
    int only_references; /* the tier exists but has no time-aligned annotations */
} tier_choice;

typedef struct eaf_reader {
    const char *source;
    diag_list *d;
    xmlTextReaderPtr r;
    xml_errors x;

    time_slot *slots;
    size_t n_slots, cap_slots;
    eaf_annotation *anns;
    size_t n_anns, cap_anns;
    char **labels;            /* speaker labels, in the order their tiers appear */
    size_t n_labels, cap_labels;
    strindex labels_index;    /* label -> index into labels (many tiers stay linear) */
    buf tier_ids;             /* every TIER_ID, comma-separated, for messages */
    size_t n_tiers;

    tier_choice *choices;     /* --tiers; NULL when not given */
    size_t n_choices;

    /* where the stream is */
    int seen_root;
    int in_tier;              /* inside a tier that is read */
    tier_choice *tier_choice; /* its --tiers entry, if any */
    size_t tier_alignable;    /* time-aligned annotations seen in the current tier */
    size_t tier_label;
    int in_annotation;        /* inside an ALIGNABLE_ANNOTATION of such a tier */
    int in_value;             /* inside its ANNOTATION_VALUE */
    eaf_annotation cur;
    xml_text text;
} eaf_reader;

/* ---- sniffing ---------------------------------------------------------- */

int sniff_eaf(const char *head, size_t n)
{
    return xml_head_contains(head, n, 4096, "<ANNOTATION_DOCUMENT");
}

/* ---- small helpers ----------------------------------------------------- */

/* Parse a whole string as a decimal number (optional sign, digits, optional
 * fraction). Returns 1 on success. */
static int parse_decimal(const char *s, double *out)
{
    const char *p = s;
    int neg = 0;
    while (*p == ' ') p++;
    if (*p == '-' || *p == '+') neg = *p++ == '-';
    double v = 0;
    int digits = 0;
    for (; *p >= '0' && *p <= '9'; p++, digits++) v = v * 10 + (*p - '0');
    if (*p == '.') {
        double scale = 0.1;
        for (p++; *p >= '0' && *p <= '9'; p++, digits++, scale /= 10) v += (*p - '0') * scale;
    }
    while (*p == ' ') p++;
    if (!digits || *p) return 0;
    *out = neg ? -v : v;
    return 1;
}

static size_t add_label(eaf_reader *e, const char *label)
{
    size_t i = strindex_get(&e->labels_index, label, strlen(label));
    if (i != STRINDEX_NONE) return i;
    e->labels = xgrow(e->labels, &e->cap_labels, e->n_labels + 1, sizeof *e->labels);
    e->labels[e->n_labels] = xstrdup(label);
    strindex_put(&e->labels_index, e->labels[e->n_labels], strlen(label), e->n_labels);
    return e->n_labels++;
}

/* Split --tiers "a, b,c" into choices. */
static void parse_tier_choices(eaf_reader *e, const char *spec)
{
    size_t cap = 0;
    const char *p = spec;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *q = p;
        while (n && (*q == ' ' || *q == '\t')) q++, n--;
        while (n && (q[n - 1] == ' ' || q[n - 1] == '\t')) n--;
        if (n) {
            e->choices = xgrow(e->choices, &cap, e->n_choices + 1, sizeof *e->choices);
            e->choices[e->n_choices++] = (tier_choice){xstrndup(q, n), 0, 0};
        }
        if (!end) break;
        p = end + 1;
    }
}

static tier_choice *find_choice(eaf_reader *e, const char *tier_id)
{
    for (size_t i = 0; i < e->n_choices; i++)
        if (strcmp(e->choices[i].name, tier_id) == 0) return &e->choices[i];
    return NULL;
}

/* ---- elements ---------------------------------------------------------- */

static void on_header(eaf_reader *e)
{
    char *units = xml_attr(e->r, "TIME_UNITS");
    if (units && strcmp(units, "milliseconds") != 0)
        diag_add(e->d, e->source, xml_line(e->r), SEV_WARNING,
                 "TIME_UNITS=\"%s\" is not supported; times are read as milliseconds "
                 "(save the file again with ELAN 4 or later)", units);
    free(units);
}

static void on_time_slot(eaf_reader *e)
{
    char *id = xml_attr(e->r, "TIME_SLOT_ID");
    char *value = xml_attr(e->r, "TIME_VALUE");
    long line = xml_line(e->r);
    if (!id) {
        diag_add(e->d, e->source, line, SEV_WARNING,
                 "TIME_SLOT without TIME_SLOT_ID ignored; give it an id");
        free(value);
        return;
    }
    time_slot ts = {id, 0, 0};
    if (value) {
        double ms;
        if (!parse_decimal(value, &ms))
            diag_add(e->d, e->source, line, SEV_WARNING,
                     "time slot '%s': TIME_VALUE=\"%s\" is not a number of milliseconds; "
                     "the slot is treated as having no value", id, value);
        else if (ms < 0 || ms / 1000 > MAX_SECONDS)
            diag_add(e->d, e->source, line, SEV_WARNING,
                     "time slot '%s': TIME_VALUE=\"%s\" is %s; the slot is treated as having "
                     "no value", id, value, ms < 0 ? "negative" : "absurdly large (over 1,000,000 s)");
        else
            ts.ms = ms, ts.has_value = 1;
    }
    free(value);
    e->slots = xgrow(e->slots, &e->cap_slots, e->n_slots + 1, sizeof *e->slots);
    e->slots[e->n_slots++] = ts;
}

static void on_tier_start(eaf_reader *e)
{
    char *id = xml_attr(e->r, "TIER_ID");
    char *parent = xml_attr(e->r, "PARENT_REF");
    char *participant = xml_attr(e->r, "PARTICIPANT");
    e->n_tiers++;
    if (!id) {
        buf name = {0};
        buf_addf(&name, "tier %zu", e->n_tiers);
        id = buf_take(&name);
    }
    if (e->tier_ids.len) buf_adds(&e->tier_ids, ", ");
    buf_adds(&e->tier_ids, id);

    e->tier_choice = NULL;
    if (e->choices) {
        e->tier_choice = find_choice(e, id);
        if (e->tier_choice) e->tier_choice->found = 1;
        e->in_tier = e->tier_choice != NULL;
    } else {
        e->in_tier = parent == NULL;
    }
    e->tier_alignable = 0;
    if (e->in_tier) {
        int has_participant = participant && participant[strspn(participant, " \t")] != '\0';
        e->tier_label = add_label(e, has_participant ? participant : id);
    }
    free(id);
    free(parent);
    free(participant);
}

static void on_tier_end(eaf_reader *e)
{
    if (e->in_tier && e->tier_choice && e->tier_alignable == 0)
        e->tier_choice->only_references = 1;
    e->in_tier = 0;
    e->tier_choice = NULL;
}

static void on_annotation_start(eaf_reader *e)
{
    e->tier_alignable++;
    e->in_annotation = 1;
    e->cur = (eaf_annotation){0};
    e->cur.label = e->tier_label;
    e->cur.slot1 = xml_attr(e->r, "TIME_SLOT_REF1");
    e->cur.slot2 = xml_attr(e->r, "TIME_SLOT_REF2");
    e->cur.line = xml_line(e->r);
    xml_text_free(&e->text);
}

static void on_annotation_end(eaf_reader *e)
{
    e->in_annotation = 0;
    e->in_value = 0;
    char *text = xml_text_take(&e->text);
    if (text[0] == '\0') { /* an empty value is no utterance */
        free(text);
        free(e->cur.slot1);
        free(e->cur.slot2);
    } else {
        e->cur.text = text;
        e->cur.order = e->n_anns;
        e->anns = xgrow(e->anns, &e->cap_anns, e->n_anns + 1, sizeof *e->anns);
        e->anns[e->n_anns++] = e->cur;
    }
    e->cur = (eaf_annotation){0};
}

/* Handle the node the stream is on. */
static void on_node(eaf_reader *e)
{
    xmlTextReaderPtr r = e->r;
    int type = xmlTextReaderNodeType(r);
    if (type == XML_READER_TYPE_ELEMENT) {
        int empty = xml_is_empty(r);
        if (!e->seen_root) {
            e->seen_root = 1;
            if (!xml_is_start(r, "ANNOTATION_DOCUMENT")) {
                diag_add(e->d, e->source, xml_line(r), SEV_ERROR,
                         "not an ELAN file: the root element is <%s>, not "
                         "<ANNOTATION_DOCUMENT>; choose the reader with --format",
                         (const char *)xmlTextReaderConstName(r));
                e->x.failed = 1;
            }
        } else if (xml_is_start(r, "HEADER")) {
            on_header(e);
        } else if (xml_is_start(r, "TIME_SLOT")) {
            on_time_slot(e);
        } else if (xml_is_start(r, "TIER")) {
            on_tier_start(e);
            if (empty) on_tier_end(e);
        } else if (e->in_tier && !e->in_annotation && xml_is_start(r, "ALIGNABLE_ANNOTATION")) {
            on_annotation_start(e);
            if (empty) on_annotation_end(e);
        } else if (e->in_annotation && xml_is_start(r, "ANNOTATION_VALUE")) {
            e->in_value = !empty;
        }
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
        if (xml_is_end(r, "TIER")) on_tier_end(e);
        else if (e->in_annotation && xml_is_end(r, "ALIGNABLE_ANNOTATION")) on_annotation_end(e);
        else if (xml_is_end(r, "ANNOTATION_VALUE")) e->in_value = 0;
    } else if (e->in_value && xml_is_text(r)) {
        const xmlChar *v = xmlTextReaderConstValue(r);
        if (v) xml_text_add(&e->text, (const char *)v);
    }
}

/* ---- times ------------------------------------------------------------- */

/* Give every slot without a value one interpolated linearly between the
 * nearest valued slots before and after it in TIME_ORDER. */
static void interpolate_slots(time_slot *slots, size_t n)
{
    size_t prev = n; /* the last valued slot, n when none yet */
    for (size_t i = 0; i < n; i++) {
        if (!slots[i].has_value) continue;
        if (prev != n && i - prev > 1) {
            double step = (slots[i].ms - slots[prev].ms) / (double)(i - prev);
            for (size_t k = prev + 1; k < i; k++) {
                slots[k].ms = slots[prev].ms + step * (double)(k - prev);
                slots[k].has_value = 2; /* interpolated */
            }
        }
        prev = i;
    }
}

static int compare_slot_ids(const void *a, const void *b)
{
    const time_slot *x = *(const time_slot *const *)a, *y = *(const time_slot *const *)b;
    return strcmp(x->id, y->id);
}

static const time_slot *find_slot(time_slot *const *sorted, size_t n, const char *id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(sorted[mid]->id, id);
        if (c == 0) return sorted[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

/* The time of slot `id` in seconds, or TIME_UNKNOWN (warning when the slot
 * does not exist). */
static double slot_time(eaf_reader *e, time_slot *const *sorted, const char *id, long line)
{
    if (!id) {
        diag_add(e->d, e->source, line, SEV_WARNING,
                 "annotation without TIME_SLOT_REF1/TIME_SLOT_REF2; its time is unknown");
        return TIME_UNKNOWN;
    }
    const time_slot *ts = find_slot(sorted, e->n_slots, id);
    if (!ts) {
        diag_add(e->d, e->source, line, SEV_WARNING,
                 "annotation refers to time slot '%s', which TIME_ORDER does not define; "
                 "its time is unknown", id);
        return TIME_UNKNOWN;
    }
    return ts->has_value ? ts->ms / 1000.0 : TIME_UNKNOWN;
}

static void resolve_times(eaf_reader *e)
{
    interpolate_slots(e->slots, e->n_slots);
    time_slot **sorted = xmalloc((e->n_slots ? e->n_slots : 1) * sizeof *sorted);
    for (size_t i = 0; i < e->n_slots; i++) sorted[i] = &e->slots[i];
    qsort(sorted, e->n_slots, sizeof *sorted, compare_slot_ids);
    for (size_t i = 0; i < e->n_anns; i++) {
        eaf_annotation *a = &e->anns[i];
        a->start = slot_time(e, sorted, a->slot1, a->line);
        a->end = slot_time(e, sorted, a->slot2, a->line);
        if (a->start >= 0 && a->end >= 0 && a->end < a->start) {
            diag_add(e->d, e->source, a->line, SEV_WARNING,
                     "annotation ends (%.3f s) before it starts (%.3f s); its end is unknown",
                     a->end, a->start);
            a->end = TIME_UNKNOWN;
        }
    }
    free(sorted);
}

/* Known starts first, by time; then unknown starts; document order breaks ties. */
static int compare_by_start(const void *a, const void *b)
{
    const eaf_annotation *x = a, *y = b;
    int xk = x->start >= 0, yk = y->start >= 0;
    if (xk != yk) return yk - xk;
    if (xk && x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* ---- the session ------------------------------------------------------- */

static void warn_about_choices(eaf_reader *e)
{
    for (size_t i = 0; i < e->n_choices; i++) {
        tier_choice *c = &e->choices[i];
        if (!c->found)
            diag_add(e->d, e->source, 0, SEV_WARNING,
                     "--tiers names tier '%s', which this file does not have (its tiers: %s)",
                     c->name, e->tier_ids.len ? buf_str(&e->tier_ids) : "none");
        else if (c->only_references)
            diag_add(e->d, e->source, 0, SEV_WARNING,
                     "tier '%s' has no time-aligned annotations (only references to "
                     "another tier), so nothing was read from it; name its parent tier "
                     "in --tiers instead", c->name);
    }
}

static void build_session(eaf_reader *e, const reader_input *in, session_list *out)
{
    session *s = session_list_add(out, in->session_id, in->source);
    size_t *speaker_of = xmalloc((e->n_labels ? e->n_labels : 1) * sizeof *speaker_of);
    size_t *used = xcalloc(e->n_labels ? e->n_labels : 1, sizeof *used);
    for (size_t i = 0; i < e->n_anns; i++) used[e->anns[i].label] = 1;
    for (size_t i = 0; i < e->n_labels; i++)
        if (used[i]) speaker_of[i] = session_speaker(s, e->labels[i]);
    for (size_t i = 0; i < e->n_anns; i++) {
        const eaf_annotation *a = &e->anns[i];
        session_add_utterance(s, speaker_of[a->label], a->text, a->start, a->end, a->line);
    }
    free(used);
    free(speaker_of);
}

static void eaf_free(eaf_reader *e)
{
    for (size_t i = 0; i < e->n_slots; i++) free(e->slots[i].id);
    for (size_t i = 0; i < e->n_anns; i++) {
        free(e->anns[i].text);
        free(e->anns[i].slot1);
        free(e->anns[i].slot2);
    }
    for (size_t i = 0; i < e->n_labels; i++) free(e->labels[i]);
    for (size_t i = 0; i < e->n_choices; i++) free(e->choices[i].name);
    free(e->cur.slot1);
    free(e->cur.slot2);
    free(e->slots);
    free(e->anns);
    free(e->labels);
    strindex_free(&e->labels_index);
    free(e->choices);
    buf_free(&e->tier_ids);
    xml_text_free(&e->text);
}

int read_eaf(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d)
{
    eaf_reader e = {0};
    e.source = in->source;
    e.d = d;
    if (opt && opt->tiers) parse_tier_choices(&e, opt->tiers);
    e.r = xml_open(in, &e.x, d);
    if (!e.r) {
        eaf_free(&e);
        return -1;
    }
    int rc;
    while ((rc = xml_next(e.r, &e.x)) == 1) on_node(&e);
    xml_close(e.r, &e.x);
    if (rc < 0) {
        eaf_free(&e);
        return -1;
    }
    warn_about_choices(&e);
    if (e.n_anns == 0) {
        if (e.choices)
            diag_add(d, in->source, 0, SEV_ERROR,
                     "no speech found in the tiers named by --tiers; the file's tiers are: %s",
                     e.tier_ids.len ? buf_str(&e.tier_ids) : "none");
        else
            diag_add(d, in->source, 0, SEV_ERROR,
                     "no speech found: no top-level tier (TIER without PARENT_REF) has "
                     "time-aligned annotations with text; name the tiers to read with --tiers");
        eaf_free(&e);
        return -1;
    }
    resolve_times(&e);
    qsort(e.anns, e.n_anns, sizeof *e.anns, compare_by_start);
    build_session(&e, in, out);
    eaf_free(&e);
    return 0;
}
