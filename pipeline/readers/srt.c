/* srt.c: the SubRip (.srt) subtitle reader.
 *
 * Numbered cues with "HH:MM:SS,mmm --> HH:MM:SS,mmm" timings are read by
 * the shared cue code (readers/cues.c). This file strips the formatting an
 * SRT payload may carry: <i> <b> <u> and <font ...> tags and {\an8}-style
 * override codes; any other '<' is text. Speakers come from "Name:",
 * "[Name]" and "- Name:" prefixes. The format is described for users in
 * docs/formats/srt.md. */
#include "readers/cues.h"
#include "readers/reader.h"
#include "readers/source.h"
#include "util/buf.h"

#include <string.h>
#include <strings.h>

/* ---- payload markup ---------------------------------------------------- */

static int is_ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The length of an SRT formatting tag at s[0] == '<' ("<i>", "</b>",
 * "<font color=\"#fff\">", "</font>"), or 0 when it is not one. */
static size_t format_tag_len(const char *s, size_t n)
{
    static const char *const TAGS[] = {"i", "b", "u", "font"};
    size_t j = 1;
    if (j < n && s[j] == '/') j++;
    size_t name = j;
    while (j < n && is_ascii_letter(s[j])) j++;
    size_t len = j - name;
    int known = 0;
    for (size_t k = 0; k < sizeof TAGS / sizeof TAGS[0]; k++)
        if (strlen(TAGS[k]) == len && strncasecmp(TAGS[k], s + name, len) == 0) known = 1;
    if (!known || j >= n) return 0;
    if (s[j] == '>') return j + 1;
    if (s[j] != ' ' && s[j] != '\t') return 0;
    while (j < n && s[j] != '>' && s[j] != '\n') j++;   /* attributes */
    return j < n && s[j] == '>' ? j + 1 : 0;
}

/* The length of an override code such as "{\an8}" at s[0] == '{'. */
static size_t override_len(const char *s, size_t n)
{
    if (n < 3 || s[1] != '\\') return 0;
    for (size_t j = 2; j < n && s[j] != '\n'; j++)
        if (s[j] == '}') return j + 1;
    return 0;
}

/* One part without a speaker: formatting removed, references decoded. */
static void srt_markup(const char *s, size_t n, long line, cue_parts *out)
{
    size_t part = cue_parts_add(out, NULL, line);
    buf *text = &out->items[part].text;
    size_t i = 0;
    while (i < n) {
        size_t used = 0;
        if (s[i] == '<') used = format_tag_len(s + i, n - i);
        else if (s[i] == '{') used = override_len(s + i, n - i);
        if (used) {
            i += used;
            continue;
        }
        used = s[i] == '&' ? cue_decode_entity(s + i, n - i, text) : 0;
        if (used) {
            i += used;
        } else {
            buf_addc(text, s[i]);
            i++;
        }
    }
}

/* ---- the file ---------------------------------------------------------- */

static const cue_format SRT_FORMAT = {
    .webvtt = 0,
    .label_forms = CUE_LABEL_BRACKETS | CUE_LABEL_DASH,
    .no_speaker = "cues without a speaker name (no 'Name:' or '[Name]' prefix); "
                  "they are attributed to 'unknown'",
    .markup = srt_markup,
};

/* The end of the line starting at head[i], and where the next one starts. */
static size_t line_end(const char *head, size_t n, size_t i, size_t *next)
{
    while (i < n && head[i] != '\r' && head[i] != '\n') i++;
    size_t j = i;
    if (j < n && head[j] == '\r') {
        j++;
        if (j < n && head[j] == '\n') j++;
    } else if (j < n) {
        j++;
    }
    *next = j;
    return i;
}

/* The first non-blank line is a cue number and the next a timing line. */
int sniff_srt(const char *head, size_t n)
{
    size_t i = cue_skip_bom(head, n);
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) i++;
    size_t digits = i;
    while (i < n && head[i] >= '0' && head[i] <= '9') i++;
    if (i == digits) return 0;
    size_t next;
    size_t end = line_end(head, n, i, &next);
    for (size_t k = i; k < end; k++)
        if (head[k] != ' ' && head[k] != '\t') return 0;
    if (next == end) return 0;                /* no second line in head */
    size_t after;
    end = line_end(head, n, next, &after);
    double start, stop;
    return cue_parse_timing(head + next, end - next, &start, &stop);
}

int read_srt(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d)
{
    text_file tf;
    if (reader_load_text(in, &tf, d) != 0) return -1;
    text_cursor c;
    text_cursor_init(&c, &tf);
    int rc = cue_read_session(&c, &SRT_FORMAT, in, opt, out, d);
    text_free(&tf);
    return rc;
}
