/* xml.c: safe libxml2 streaming shared by the XML readers (see xml.h). */
#include "readers/xml.h"
#include "readers/source.h"
#include "util/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* No network, no entity substitution, no DTD loading or validation, no
 * XML_PARSE_HUGE: libxml2's own limits (depth 256, entity amplification)
 * stay on. BIG_LINES only makes line numbers above 65535 right. libxml2
 * reports errors through the per-reader handler, not on stderr. */
static const int XML_OPTIONS =
    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;

/* Non-fatal libxml2 errors (namespace problems and the like) are reported
 * up to this many times per file. */
#define XML_MAX_WARNINGS 5

/* ---- libxml2 errors ---------------------------------------------------- */

/* libxml2's message without its trailing newline, at most `cap` bytes. */
static void copy_message(char *out, size_t cap, const char *msg)
{
    size_t n = msg ? strlen(msg) : 0;
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == ' ')) n--;
    if (n >= cap) n = cap - 1;
    if (n) memcpy(out, msg, n);
    out[n] = '\0';
}

static int is_depth_error(const xmlError *e)
{
    return e->message && strncmp(e->message, "Excessive depth", 15) == 0;
}

static int is_entity_error(const xmlError *e)
{
    return e->code == XML_ERR_ENTITY_LOOP;
}

/* The element left open when the input ended, or NULL. The reader's push
 * parser reports a truncated document as "Extra content at the end of the
 * document"; its stack of open elements tells the two apart. */
static const char *unclosed_element(const xmlError *e)
{
    const xmlParserCtxt *ctxt = e->ctxt;
    if (e->code != XML_ERR_DOCUMENT_END || !ctxt || ctxt->nameNr <= 0 || !ctxt->name) return NULL;
    return (const char *)ctxt->name;
}

static void report_depth_error(xml_errors *x, long line)
{
    diag_add(x->d, x->display, line, SEV_ERROR,
             "XML nested too deeply (over %d levels) at line %ld", XML_MAX_DEPTH, line);
    x->failed = 1;
}

/* The structured error handler installed on each reader; `user` is the
 * file's xml_errors. The first fatal error fails the file; later ones are
 * consequences of it and are dropped. */
static void on_xml_error(void *user, xmlErrorPtr e)
{
    xml_errors *x = user;
    if (!e || x->failed) return;
    char msg[240];
    copy_message(msg, sizeof msg, e->message);
    long line = e->line > 0 ? e->line : 0;
    if (e->level == XML_ERR_FATAL) {
        if (is_depth_error(e)) {
            report_depth_error(x, line);
            return;
        }
        const char *open = unclosed_element(e);
        if (open)
            diag_add(x->d, x->display, line, SEV_ERROR,
                     "the XML ends while <%s> is still open: the file is truncated or a closing "
                     "tag is missing; complete the file or export it again", open);
        else if (is_entity_error(e))
            /* e->line counts inside the entity's text; the document's line is
             * where the parser stands */
            diag_add(x->d, x->display, xmlTextReaderGetParserLineNumber(x->reader), SEV_ERROR,
                     "XML entity expansion refused (libxml2: %s): the document defines "
                     "entities that expand into each other (a 'billion laughs' file); "
                     "remove the <!ENTITY> declarations", msg);
        else
            diag_add(x->d, x->display, line, SEV_ERROR,
                     "malformed XML (libxml2: %s); fix the XML at this line or export the "
                     "file again", msg);
        x->failed = 1;
    } else if (e->level == XML_ERR_ERROR && x->warnings < XML_MAX_WARNINGS) {
        x->warnings++;
        diag_add(x->d, x->display, line, SEV_WARNING,
                 "XML problem (libxml2: %s); reading on, but check the XML at this line", msg);
    }
}

/* ---- opening ----------------------------------------------------------- */

/* Nonzero when the bytes can start an XML document: after a BOM and white
 * space comes '<' (or a zero byte: UTF-16 without a BOM). */
static int looks_like_xml(const unsigned char *s, size_t n)
{
    size_t i = 0;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) i = 3;
    else if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) return 1;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    return i < n && (s[i] == '<' || s[i] == 0);
}

/* Start a reader on ctx->data[0..n); ctx->data is owned by ctx from here. */
static xmlTextReaderPtr open_reader(size_t n, const char *display, xml_errors *ctx, diag_list *d)
{
    if (n == 0) {
        diag_add(d, display, 0, SEV_ERROR, "the file is empty");
        free(ctx->data);
        ctx->data = NULL;
        return NULL;
    }
    if (n > INT_MAX) {
        diag_add(d, display, 0, SEV_ERROR,
                 "the file is too large for the XML reader (over 2 GB); split it");
        free(ctx->data);
        ctx->data = NULL;
        return NULL;
    }
    if (!looks_like_xml((const unsigned char *)ctx->data, n)) {
        diag_add(d, display, 1, SEV_ERROR,
                 "not an XML file (it does not start with '<'); choose the reader with --format");
        free(ctx->data);
        ctx->data = NULL;
        return NULL;
    }
    xmlInitParser();
    xmlTextReaderPtr r = xmlReaderForMemory(ctx->data, (int)n, NULL, NULL, XML_OPTIONS);
    if (!r) {
        diag_add(d, display, 0, SEV_ERROR, "libxml2 could not start reading the file");
        free(ctx->data);
        ctx->data = NULL;
        return NULL;
    }
    ctx->reader = r;
    xmlTextReaderSetStructuredErrorHandler(r, on_xml_error, ctx);
    return r;
}

static void init_context(xml_errors *ctx, const char *display, diag_list *d)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->display = display;
    ctx->d = d;
}

xmlTextReaderPtr xml_open(const reader_input *in, xml_errors *ctx, diag_list *d)
{
    init_context(ctx, in->source, d);
    size_t n = 0;
    ctx->data = reader_load_bytes(in, &n, d);
    if (!ctx->data) return NULL;
    return open_reader(n, in->source, ctx, d);
}

xmlTextReaderPtr xml_open_memory(const char *bytes, size_t n, const char *display,
                                 xml_errors *ctx, diag_list *d)
{
    init_context(ctx, display, d);
    ctx->data = xstrndup(bytes, n);
    return open_reader(n, display, ctx, d);
}

void xml_close(xmlTextReaderPtr r, xml_errors *ctx)
{
    if (r) xmlFreeTextReader(r);
    free(ctx->data);
    ctx->data = NULL;
}

/* ---- walking the document ---------------------------------------------- */

int xml_check_depth(xmlTextReaderPtr r, xml_errors *ctx)
{
    if (xmlTextReaderDepth(r) < XML_MAX_DEPTH) return 0;
    if (!ctx->failed) report_depth_error(ctx, xml_line(r));
    return -1;
}

static void warn_entity(xmlTextReaderPtr r, xml_errors *ctx)
{
    if (ctx->entity_warned) return;
    ctx->entity_warned = 1;
    const xmlChar *name = xmlTextReaderConstName(r);
    diag_add(ctx->d, ctx->display, xml_line(r), SEV_WARNING,
             "entity reference &%s; left out: dyad never expands entities defined in "
             "the document; write the text itself instead",
             name ? (const char *)name : "");
}

int xml_next(xmlTextReaderPtr r, xml_errors *ctx)
{
    if (ctx->failed) return -1;
    int rc = xmlTextReaderRead(r);
    if (rc < 0 || ctx->failed) {
        if (!ctx->failed)
            diag_add(ctx->d, ctx->display, xmlTextReaderGetParserLineNumber(r), SEV_ERROR,
                     "malformed XML; fix the XML at this line or export the file again");
        ctx->failed = 1;
        return -1;
    }
    if (rc == 0) return 0;
    int type = xmlTextReaderNodeType(r);
    if (type == XML_READER_TYPE_ELEMENT && xml_check_depth(r, ctx) < 0) return -1;
    if (type == XML_READER_TYPE_ENTITY_REFERENCE) warn_entity(r, ctx);
    return 1;
}

long xml_line(xmlTextReaderPtr r)
{
    xmlNodePtr node = xmlTextReaderCurrentNode(r);
    long line = node ? xmlGetLineNo(node) : -1;
    if (line <= 0) line = xmlTextReaderGetParserLineNumber(r);
    return line > 0 ? line : 0;
}

static int local_name_is(xmlTextReaderPtr r, const char *local_name)
{
    const xmlChar *name = xmlTextReaderConstLocalName(r);
    return name && strcmp((const char *)name, local_name) == 0;
}

int xml_is_start(xmlTextReaderPtr r, const char *local_name)
{
    return xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT && local_name_is(r, local_name);
}

int xml_is_end(xmlTextReaderPtr r, const char *local_name)
{
    return xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT && local_name_is(r, local_name);
}

int xml_is_empty(xmlTextReaderPtr r)
{
    return xmlTextReaderIsEmptyElement(r) == 1;
}

int xml_is_text(xmlTextReaderPtr r)
{
    int type = xmlTextReaderNodeType(r);
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

char *xml_attr(xmlTextReaderPtr r, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    if (!v) return NULL;
    char *copy = xstrdup((const char *)v);
    xmlFree(v);
    return copy;
}

int xml_head_contains(const char *head, size_t n, size_t limit, const char *needle)
{
    /* memchr skips to each candidate first byte: every plain-text file's
     * head is sniffed by several of these, and most have no '<' at all */
    size_t m = strlen(needle);
    if (n > limit) n = limit;
    if (!m) return 1;
    for (const char *p = head, *end = head + n; (size_t)(end - p) >= m; p++) {
        p = memchr(p, needle[0], (size_t)(end - p) - m + 1);
        if (!p) return 0;
        if (memcmp(p, needle, m) == 0) return 1;
    }
    return 0;
}

/* ---- gathering text ---------------------------------------------------- */

static int is_xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void xml_text_add(xml_text *t, const char *s)
{
    for (; *s; s++) {
        if (is_xml_space(*s)) {
            if (!t->glue) t->space = 1;
            continue;
        }
        if (t->space && t->b.len > 0) buf_addc(&t->b, ' ');
        t->space = 0;
        t->glue = 0;
        buf_addc(&t->b, *s);
    }
}

void xml_text_break(xml_text *t)
{
    if (!t->glue) t->space = 1;
}

void xml_text_glue(xml_text *t)
{
    t->space = 0;
    t->glue = 1;
}

char *xml_text_take(xml_text *t)
{
    t->space = 0;
    t->glue = 0;
    return buf_take(&t->b);
}

void xml_text_free(xml_text *t)
{
    buf_free(&t->b);
    t->space = 0;
    t->glue = 0;
}
