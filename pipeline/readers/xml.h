/* xml.h: safe libxml2 streaming for the XML readers (ELAN, TEI, ...).
 *
 * xml_open loads a file and opens a libxml2 text reader on it with the only
 * options dyad allows: no network, no entity substitution, no DTD loading,
 * no XML_PARSE_HUGE. External entities therefore read nothing, entity loops
 * ("billion laughs") fail fast inside libxml2, and xml_next refuses nesting
 * deeper than XML_MAX_DEPTH levels. libxml2's errors go to a per-file
 * xml_errors context (never to stderr, never through a global handler) and
 * become diagnostics naming the file, the line and the fix.
 *
 * xml_text gathers the character data of an element with white space
 * collapsed, for utterance text. */
#ifndef DYAD_XML_H
#define DYAD_XML_H

#include "readers/reader.h"
#include "util/buf.h"
#include "util/diag.h"

#include <libxml/xmlreader.h>

/* Elements nested deeper than this many levels make the file fail. */
#define XML_MAX_DEPTH 256

typedef struct xml_errors {
    const char *display;   /* the source name in messages (not owned) */
    diag_list *d;          /* where the messages go (not owned) */
    xmlTextReaderPtr reader; /* the reader these errors come from */
    char *data;            /* the file's bytes, read by the reader (owned) */
    int failed;            /* an error was reported: stop reading */
    int entity_warned;     /* the "entity not expanded" warning was given */
    size_t warnings;       /* non-fatal libxml2 errors reported so far */
} xml_errors;

/* Open path for streaming; messages name `display`. Returns NULL with an
 * error in d when the file cannot be read or is empty. Close with xml_close. */
xmlTextReaderPtr xml_open(const reader_input *in, xml_errors *ctx, diag_list *d);
/* Open bytes already in memory (copied); same checks and options. */
xmlTextReaderPtr xml_open_memory(const char *bytes, size_t n, const char *display,
                                 xml_errors *ctx, diag_list *d);
void xml_close(xmlTextReaderPtr r, xml_errors *ctx);

/* Move to the next node: 1 when there is one, 0 at the end of the document,
 * -1 when the document is malformed or too deep (the error is already in
 * the context's diagnostics). Checks the depth of every element and warns
 * once about entity references, which are never expanded. */
int xml_next(xmlTextReaderPtr r, xml_errors *ctx);
/* 0 when the current node is within XML_MAX_DEPTH levels, else -1 with the
 * error "XML nested too deeply (over 256 levels) at line N". */
int xml_check_depth(xmlTextReaderPtr r, xml_errors *ctx);

/* The source line of the current node (1-based; 0 when unknown). */
long xml_line(xmlTextReaderPtr r);
/* Nonzero when the current node is a start tag / an end tag with this local
 * name (namespace prefixes ignored). An empty element (<x/>) is a start tag
 * only: check xml_is_empty. */
int xml_is_start(xmlTextReaderPtr r, const char *local_name);
int xml_is_end(xmlTextReaderPtr r, const char *local_name);
int xml_is_empty(xmlTextReaderPtr r);
/* Nonzero for a node carrying character data (text, CDATA, white space). */
int xml_is_text(xmlTextReaderPtr r);
/* The value of an attribute of the current element as a new string (free
 * it), or NULL when absent. `name` may be qualified, e.g. "xml:id". */
char *xml_attr(xmlTextReaderPtr r, const char *name);

/* Nonzero when `needle` occurs in the first `limit` bytes of head[0..n). */
int xml_head_contains(const char *head, size_t n, size_t limit, const char *needle);

/* Text gathered piece by piece with runs of white space collapsed to one
 * space and no space at either end. */
typedef struct xml_text {
    buf b;
    int space;  /* a word boundary is pending before the next character */
    int glue;   /* no boundary before the next character (TEI join) */
} xml_text;

void xml_text_add(xml_text *t, const char *s);
/* A word boundary: the next character is preceded by a space. */
void xml_text_break(xml_text *t);
/* Drop a pending boundary and ignore white space until the next character. */
void xml_text_glue(xml_text *t);
/* The text so far (never NULL; the caller frees it); the gatherer is reset. */
char *xml_text_take(xml_text *t);
void xml_text_free(xml_text *t);

#endif
