/* talkbank.c: the TalkBank XML reader (CHAT transcripts as XML, the form
 * TalkBank's Chatter tool writes).
 *
 * The root is <CHAT>; <Participants> lists <participant id role name>;
 * each <u who="CODE"> is one utterance, made of <w> words (possibly inside
 * <g> groups), a <t type="p|q|e|interruption|..."> terminator and an
 * optional <media start end unit>. The text follows the CHAT reader's rules
 * (readers/chat_common.h): fragments, fillers, omissions and untranscribed
 * words are left out, a retraced <g> (with <k type="retracing...">) is
 * dropped and a <replacement> is used instead of the word it replaces.
 *
 * The file is read with libxml2's streaming reader; each <u> is expanded on
 * its own. Entities are never substituted and no DTD or network resource is
 * loaded, so an external entity reads nothing and an entity bomb fails at
 * once. Every error goes to a per-call context: no global libxml2 state is
 * touched. The format is described for users in docs/formats/talkbank.md. */
#include "readers/chat_common.h"
#include "readers/reader.h"
#include "util/buf.h"
#include "util/strindex.h"
#include "util/xalloc.h"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A transcript nests a handful of levels; anything deeper is not one. */
#define MAX_DEPTH 256
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES)

/* ---- names and attributes -------------------------------------------------- */

static int is_named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* An attribute's value as a new string (xstrdup'ed, "" when absent). */
static char *attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *copy = xstrdup(v ? (const char *)v : "");
    xmlFree(v);
    return copy;
}

static int attr_is(const xmlNode *n, const char *name, const char *value)
{
    char *v = attr(n, name);
    int same = strcmp(v, value) == 0;
    free(v);
    return same;
}

static int attr_starts(const xmlNode *n, const char *name, const char *prefix)
{
    char *v = attr(n, name);
    int same = strncmp(v, prefix, strlen(prefix)) == 0;
    free(v);
    return same;
}

/* ---- the reader's state ---------------------------------------------------- */

typedef struct participant {
    char *id;
    char *role;
} participant;

/* The first problem libxml2 reported, kept for the caller's message. */
typedef struct xml_problem {
    int seen;
    int fatal;
    int code;
    long line;
    char message[200];
} xml_problem;

typedef struct tb_reader {
    const char *source;
    session *s;
    diag_list *d;
    xmlTextReaderPtr xr;
    participant *parts;
    size_t n_parts, cap_parts;
    strindex parts_by_id;        /* id -> index into parts (many participants stay linear) */
    chat_words words;
    size_t utterances;
    int entity_warned;
    xml_problem problem;
} tb_reader;

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    xml_problem *p = ctx;
    if (!e || e->level < XML_ERR_ERROR) return;
    if (p->seen && (p->fatal || e->level != XML_ERR_FATAL)) return;
    p->seen = 1;
    p->fatal = e->level == XML_ERR_FATAL;
    p->code = e->code;
    p->line = e->line;
    snprintf(p->message, sizeof p->message, "%s", e->message ? e->message : "unknown error");
    size_t n = strlen(p->message);
    while (n && (p->message[n - 1] == '\n' || p->message[n - 1] == ' ')) p->message[--n] = '\0';
}

/* ---- participants ---------------------------------------------------------- */

static void read_participants(tb_reader *r, const xmlNode *list)
{
    for (const xmlNode *c = list->children; c; c = c->next) {
        if (!is_named(c, "participant")) continue;
        r->parts = xgrow(r->parts, &r->cap_parts, r->n_parts + 1, sizeof *r->parts);
        participant *p = &r->parts[r->n_parts++];
        p->id = attr(c, "id");
        p->role = attr(c, "role");
        strindex_put(&r->parts_by_id, p->id, strlen(p->id), r->n_parts - 1);
    }
}

static size_t speaker_for(tb_reader *r, const char *who, long line)
{
    size_t before = r->s->n_speakers;
    size_t idx = session_speaker(r->s, who);
    if (r->s->n_speakers == before) return idx;
    size_t found = strindex_get(&r->parts_by_id, who, strlen(who));
    const participant *p = found == STRINDEX_NONE ? NULL : &r->parts[found];
    int given = p ? chat_role(p->role) : -1;
    if (given >= 0) {
        r->s->speakers[idx].role = (role)given;
        r->s->speakers[idx].role_from_source = 1;
    }
    if (!p)
        diag_add(r->d, r->source, line, SEV_WARNING,
                 "speaker %s is not listed in <Participants>; add <participant "
                 "id=\"%s\" role=\"...\"/> so its role is known", who, who);
    return idx;
}

/* ---- words ----------------------------------------------------------------- */

static void note_entity(tb_reader *r, const xmlNode *n)
{
    if (r->entity_warned++) return;
    diag_add(r->d, r->source, xmlGetLineNo(n), SEV_WARNING,
             "entity reference &%s; left out: dyad never expands XML entities "
             "(write the text itself)", (const char *)n->name);
}

/* The spoken text of a <w>: its own text and its <shortening> parts (the
 * omitted sounds CHAT writes in parentheses); a compound marker <wk
 * type="cmp"/> becomes '+' (cleaned to '-'); <mor>, <pos> and other
 * codes inside the word are not speech. */
static void word_text(tb_reader *r, const xmlNode *w, buf *out)
{
    for (const xmlNode *c = w->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content) buf_adds(out, (const char *)c->content);
        } else if (c->type == XML_ENTITY_REF_NODE) {
            note_entity(r, c);
        } else if (is_named(c, "shortening")) {
            word_text(r, c, out);
        } else if (is_named(c, "wk") && attr_is(c, "type", "cmp")) {
            buf_addc(out, '+');
        }
    }
}

static const xmlNode *child_named(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (is_named(c, name)) return c;
    return NULL;
}

static void read_items(tb_reader *r, const xmlNode *parent);

/* A <w>: skipped when it is a fragment, filler, omission or untranscribed
 * (xxx, yyy, www); its <replacement> words stand in for it when it has one. */
static void read_word(tb_reader *r, const xmlNode *w)
{
    char *type = attr(w, "type");
    char *untranscribed = attr(w, "untranscribed");
    int skip = strcmp(type, "fragment") == 0 || strcmp(type, "filler") == 0 ||
               strcmp(type, "omission") == 0 || untranscribed[0] != '\0';
    free(type);
    free(untranscribed);
    if (skip) return;
    const xmlNode *replacement = child_named(w, "replacement");
    if (replacement) {
        read_items(r, replacement);
        return;
    }
    buf text = {0};
    word_text(r, w, &text);
    const char *t = buf_str(&text);
    if (strcmp(t, "xxx") != 0 && strcmp(t, "yyy") != 0 && strcmp(t, "www") != 0)
        chat_words_add(&r->words, t, text.len);
    buf_free(&text);
}

/* A <g>: its words, dropped when a <k> marks them as retraced. */
static void read_group(tb_reader *r, const xmlNode *g)
{
    size_t first = r->words.n;
    read_items(r, g);
    for (const xmlNode *c = g->children; c; c = c->next)
        if (is_named(c, "k") && (attr_starts(c, "type", "retracing") || attr_is(c, "type", "false start")))
            chat_words_exclude(&r->words, first, r->words.n);
}

/* <t type="...">: the terminator mark and the interruption flags. */
static void read_terminator(tb_reader *r, const xmlNode *t)
{
    static const struct {
        const char *type;
        char mark;
        unsigned flags;
    } TYPES[] = {
        {"p", '.', 0},
        {"q", '?', 0},
        {"e", '!', 0},
        {"trail off", '.', 0},
        {"trail off question", '?', 0},
        {"question exclamation", '?', 0},
        {"interruption", '.', UTT_INTERRUPTED},
        {"interruption question", '?', UTT_INTERRUPTED},
        {"self interruption", '.', UTT_SELF_INTERRUPTED},
        {"self interruption question", '?', UTT_SELF_INTERRUPTED},
        {"quotation next line", '.', 0},
        {"quotation precedes", '.', 0},
        {"broken for coding", '.', 0},
    };
    char *type = attr(t, "type");
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++) {
        if (strcmp(type, TYPES[i].type) == 0) {
            r->words.terminator = TYPES[i].mark;
            r->words.flags = TYPES[i].flags;
        }
    }
    free(type);
}

/* The speech elements of a <u>, <g> or <replacement>, in order. Every
 * element not named here (<e> events, <pause>, <a> dependent tiers, <mor>,
 * <wor>, <postcode>, <ga> annotations, ...) is not speech. */
static void read_items(tb_reader *r, const xmlNode *parent)
{
    for (const xmlNode *c = parent->children; c; c = c->next) {
        if (c->type == XML_ENTITY_REF_NODE) note_entity(r, c);
        else if (is_named(c, "w")) read_word(r, c);
        else if (is_named(c, "g") || is_named(c, "pg") || is_named(c, "sg")) read_group(r, c);
        else if (is_named(c, "t")) read_terminator(r, c);
        else if (is_named(c, "tagMarker") && attr_is(c, "type", "comma")) chat_words_add_comma(&r->words);
    }
}

/* ---- times ----------------------------------------------------------------- */

/* One time attribute of <media>; TIME_UNKNOWN when absent, -2 when not a
 * number (the caller warns). */
static double media_time(const xmlNode *m, const char *name, double unit)
{
    char *v = attr(m, name);
    double t = TIME_UNKNOWN;
    if (v[0]) {
        char *end;
        errno = 0;
        t = strtod(v, &end);
        if (end == v || *end != '\0' || errno || t < 0) t = -2;
        else t *= unit;
    }
    free(v);
    return t;
}

/* <media start="1.5" end="2.25" unit="s"/> (unit "ms" also read). */
static void read_media(tb_reader *r, const xmlNode *u, long line, double *start, double *end)
{
    const xmlNode *m = child_named(u, "media");
    if (!m) return;
    double unit = attr_is(m, "unit", "ms") ? 0.001 : 1.0;
    double s = media_time(m, "start", unit), e = media_time(m, "end", unit);
    if (s == -2 || e == -2) {
        diag_add(r->d, r->source, line, SEV_WARNING,
                 "<media> start or end is not a number of seconds (e.g. start=\"1.5\"); "
                 "the utterance's times are treated as unknown");
        return;
    }
    *start = s;
    *end = e;
    chat_times_check(start, end, r->source, line, r->d);
}

/* ---- utterances ------------------------------------------------------------ */

static void read_utterance(tb_reader *r, const xmlNode *u)
{
    long line = xmlGetLineNo(u);
    char *who = attr(u, "who");
    if (!who[0]) {
        diag_add(r->d, r->source, line, SEV_WARNING,
                 "<u> without a who attribute ignored; write <u who=\"CODE\">");
        free(who);
        return;
    }
    size_t spk = speaker_for(r, who, line);
    free(who);
    chat_words_reset(&r->words);
    read_items(r, u);
    double start = TIME_UNKNOWN, end = TIME_UNKNOWN;
    read_media(r, u, line, &start, &end);
    char *text = chat_words_text(&r->words);
    size_t i = session_add_utterance(r->s, spk, text, start, end, line);
    r->s->utts[i].flags = r->words.flags;
    free(text);
    r->utterances++;
}

/* ---- the document ----------------------------------------------------------- */

static int fail(tb_reader *r, long line, const char *message)
{
    diag_add(r->d, r->source, line, SEV_ERROR, "%s", message);
    return -1;
}

/* Expand the element the reader is on and hand it to `read`; then move past
 * it. Returns the next xmlTextReaderNext status. */
static int read_subtree(tb_reader *r, void (*read)(tb_reader *, const xmlNode *))
{
    xmlNode *n = xmlTextReaderExpand(r->xr);
    if (!n) return -1;
    read(r, n);
    return xmlTextReaderNext(r->xr);
}

static void read_participants_node(tb_reader *r, const xmlNode *n)
{
    read_participants(r, n);
}

/* Walk the document: check the root, read <Participants> and every <u>.
 * Returns 0, or -1 with the error added. */
static int read_document(tb_reader *r)
{
    int seen_root = 0;
    int rc = xmlTextReaderRead(r->xr);
    while (rc == 1) {
        if (xmlTextReaderDepth(r->xr) >= MAX_DEPTH) break; /* reported below */
        if (xmlTextReaderNodeType(r->xr) != XML_READER_TYPE_ELEMENT) {
            rc = xmlTextReaderRead(r->xr);
            continue;
        }
        const char *name = (const char *)xmlTextReaderConstLocalName(r->xr);
        if (!seen_root) {
            if (strcmp(name, "CHAT") != 0) {
                char msg[160];
                snprintf(msg, sizeof msg, "the root element is <%.60s>, not <CHAT>: not a "
                         "TalkBank XML transcript", name);
                return fail(r, xmlGetLineNo(xmlTextReaderCurrentNode(r->xr)), msg);
            }
            seen_root = 1;
            rc = xmlTextReaderRead(r->xr);
        } else if (strcmp(name, "Participants") == 0) {
            rc = read_subtree(r, read_participants_node);
        } else if (strcmp(name, "u") == 0) {
            rc = read_subtree(r, read_utterance);
        } else {
            rc = xmlTextReaderRead(r->xr);
        }
    }
    if (rc == 1 || (r->problem.seen && strncmp(r->problem.message, "Excessive depth", 15) == 0))
        return fail(r, xmlTextReaderGetParserLineNumber(r->xr),
                    "elements nest deeper than 256 levels; not a TalkBank transcript");
    if (rc < 0 || (r->problem.seen && r->problem.fatal)) {
        char msg[400];
        long line = r->problem.line > 0 ? r->problem.line : xmlTextReaderGetParserLineNumber(r->xr);
        if (r->problem.code == XML_ERR_ENTITY_LOOP) {
            line = xmlTextReaderGetParserLineNumber(r->xr);
            snprintf(msg, sizeof msg, "entities expand too much or refer to themselves "
                     "(libxml2: %s); remove the <!ENTITY> declarations", r->problem.message);
        } else {
            snprintf(msg, sizeof msg, "not well-formed XML: %s; fix the markup at this line",
                     r->problem.seen ? r->problem.message : "the parser stopped");
        }
        return fail(r, line, msg);
    }
    if (r->problem.seen)
        diag_add(r->d, r->source, r->problem.line, SEV_WARNING, "XML problem: %s", r->problem.message);
    if (!seen_root) return fail(r, 0, "no <CHAT> element found: not a TalkBank XML transcript");
    if (r->utterances == 0)
        return fail(r, 0, "no utterances found; TalkBank XML speech is in <u who=\"CODE\"> elements");
    return 0;
}

/* The whole file in memory; -1 with an error when it cannot be read or is empty. */
static int load_file(const reader_input *in, buf *data, diag_list *d)
{
    int rc = buf_add_file(data, in->path);
    if (rc != 0) {
        diag_add(d, in->source, 0, SEV_ERROR, "cannot %s: %s", rc == BUF_CANNOT_OPEN ? "open" : "read",
                 strerror(errno));
        return -1;
    }
    if (data->len == 0) {
        diag_add(d, in->source, 0, SEV_ERROR, "the file is empty");
        return -1;
    }
    if (data->len > (size_t)INT32_MAX) {
        diag_add(d, in->source, 0, SEV_ERROR, "the file is larger than 2 GB; split it");
        return -1;
    }
    return 0;
}

int read_talkbank(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d)
{
    (void)opt;
    xmlInitParser();
    buf data = {0};
    if (load_file(in, &data, d) != 0) {
        buf_free(&data);
        return -1;
    }
    tb_reader r = {.source = in->source, .d = d};
    r.xr = xmlReaderForMemory(data.data, (int)data.len, NULL, NULL, PARSE_OPTIONS);
    if (!r.xr) {
        diag_add(d, in->source, 0, SEV_ERROR, "cannot start the XML parser (out of memory?)");
        buf_free(&data);
        return -1;
    }
    xmlTextReaderSetStructuredErrorHandler(r.xr, on_xml_error, &r.problem);
    r.s = session_list_add(out, in->session_id, in->source);
    int rc = read_document(&r);
    if (rc != 0) session_free(&out->items[--out->n]);
    xmlFreeTextReader(r.xr);
    for (size_t i = 0; i < r.n_parts; i++) {
        free(r.parts[i].id);
        free(r.parts[i].role);
    }
    free(r.parts);
    strindex_free(&r.parts_by_id);
    chat_words_free(&r.words);
    buf_free(&data);
    return rc;
}

/* ---- sniffing --------------------------------------------------------------- */

/* The index just past the first `lit` in s[i..n), or n when there is none. */
static size_t past(const char *s, size_t n, size_t i, const char *lit)
{
    size_t k = strlen(lit);
    for (; i + k <= n; i++)
        if (memcmp(s + i, lit, k) == 0) return i + k;
    return n;
}

/* Skip what may come before the root element: blanks, the XML declaration
 * and other processing instructions, comments and a DOCTYPE (with its
 * internal subset). Returns the index of the root's '<', or n. */
static size_t skip_prolog(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
            i++;
        } else if (n - i >= 2 && memcmp(s + i, "<?", 2) == 0) {
            i = past(s, n, i + 2, "?>");
        } else if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
            i = past(s, n, i + 4, "-->");
        } else if (n - i >= 2 && memcmp(s + i, "<!", 2) == 0) {
            int in_subset = 0;
            for (i += 2; i < n && (s[i] != '>' || in_subset); i++) {
                if (s[i] == '[') in_subset = 1;
                else if (s[i] == ']') in_subset = 0;
            }
            i++;
        } else {
            return i;
        }
    }
    return n;
}

int sniff_talkbank(const char *head, size_t n)
{
    if (n > 4096) n = 4096;
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) head += 3, n -= 3;
    size_t i = skip_prolog(head, n);
    if (n - i < 6 || memcmp(head + i, "<CHAT", 5) != 0) return 0;
    char after = head[i + 5];
    return after == ' ' || after == '>' || after == '/' || after == '\t' || after == '\r' || after == '\n';
}
