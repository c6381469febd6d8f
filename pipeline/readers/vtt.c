/* vtt.c: the WebVTT reader (Zoom, Microsoft Teams and Rev exports).
 *
 * A WebVTT file starts with "WEBVTT"; header lines run to the first blank
 * line. Cues, NOTE/STYLE/REGION blocks and timings are read by the shared
 * cue code (readers/cues.c). This file strips the cue text markup: tags go
 * (their text stays, ruby annotations <rt> are dropped), character
 * references are decoded, and voice spans <v Name> give the speaker, one
 * utterance per voice. Cues without a voice fall back to a "Name:" prefix
 * (Zoom). The format is described for users in docs/formats/vtt.md. */
#include "readers/cues.h"
#include "readers/reader.h"
#include "readers/source.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

/* ---- cue text markup --------------------------------------------------- */

typedef struct vtt_markup_state {
    cue_parts *out;
    size_t cur;       /* the part text is going to */
    int in_ruby;      /* inside <ruby> */
    int in_rt;        /* inside <rt> within <ruby>: annotation, not speech */
    long line;        /* source line of the text being read */
} vtt_markup_state;

static int is_tag_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_blank_text(const buf *b)
{
    for (size_t i = 0; i < b->len; i++)
        if (!is_tag_space(b->data[i])) return 0;
    return 1;
}

static int name_is(const char *s, size_t n, const char *name)
{
    return strlen(name) == n && memcmp(s, name, n) == 0;
}

/* The voice name of a <v> tag: its annotation with character references
 * decoded and white space runs made single spaces. */
static char *voice_name(const char *s, size_t n)
{
    buf decoded = {0}, name = {0};
    cue_decode_text(s, n, &decoded);
    int pending = 0;
    for (size_t i = 0; i < decoded.len; i++) {
        char c = decoded.data[i];
        if (is_tag_space(c)) {
            pending = name.len > 0;
            continue;
        }
        if (pending) buf_addc(&name, ' ');
        pending = 0;
        buf_addc(&name, c);
    }
    buf_free(&decoded);
    return buf_take(&name);
}

/* A voice span begins: text before the first voice of a cue belongs to
 * that voice; a different voice starts a new part. */
static void start_voice(vtt_markup_state *st, const char *name)
{
    cue_part *p = &st->out->items[st->cur];
    if (!p->speaker) {
        cue_parts_set_speaker(p, name);
        if (is_blank_text(&p->text)) p->line = st->line;
    } else if (strcmp(p->speaker, name) != 0) {
        st->cur = cue_parts_add(st->out, name, st->line);
    }
}

/* Act on the tag s[0..n) (what stands between '<' and '>'). */
static void handle_tag(vtt_markup_state *st, const char *s, size_t n)
{
    if (n && s[0] == '/') {
        size_t k = 1;
        while (k < n && !is_tag_space(s[k])) k++;
        if (name_is(s + 1, k - 1, "rt")) st->in_rt = 0;
        if (name_is(s + 1, k - 1, "ruby")) st->in_ruby = st->in_rt = 0;
        return;
    }
    size_t k = 0;
    while (k < n && s[k] != '.' && !is_tag_space(s[k])) k++;
    if (name_is(s, k, "ruby")) {
        st->in_ruby = 1;
    } else if (name_is(s, k, "rt")) {
        st->in_rt = st->in_ruby;
    } else if (name_is(s, k, "v")) {
        while (k < n && !is_tag_space(s[k])) k++;       /* classes: <v.loud Name> */
        char *name = voice_name(s + k, n - k);
        if (name[0]) start_voice(st, name);
        free(name);
    }
}

/* Strip the markup of a cue payload into parts (see cue_format.markup). An
 * unfinished tag ("<" without ">") hides the rest of the cue, as WebVTT
 * parsers do. Line breaks inside tags are kept so lines stay countable. */
static void vtt_markup(const char *s, size_t n, long line, cue_parts *out)
{
    vtt_markup_state st = {.out = out, .line = line};
    st.cur = cue_parts_add(out, NULL, line);
    size_t i = 0;
    while (i < n) {
        if (s[i] == '<') {
            const char *close = memchr(s + i + 1, '>', n - i - 1);
            if (!close) break;
            size_t len = (size_t)(close - (s + i + 1));
            handle_tag(&st, s + i + 1, len);
            for (size_t k = 0; k < len; k++) {
                if (s[i + 1 + k] != '\n') continue;
                st.line++;
                buf_addc(&out->items[st.cur].text, '\n');
            }
            i += len + 2;
            continue;
        }
        buf *text = &out->items[st.cur].text;
        if (s[i] == '\n') st.line++;
        else if (st.in_rt) {
            i++;
            continue;
        }
        size_t used = s[i] == '&' ? cue_decode_entity(s + i, n - i, text) : 0;
        if (used) {
            i += used;
        } else {
            buf_addc(text, s[i]);
            i++;
        }
    }
}

/* ---- the file ---------------------------------------------------------- */

static const cue_format VTT_FORMAT = {
    .webvtt = 1,
    .label_forms = 0,
    .no_speaker = "cues without a speaker name (no <v> span or 'Name:' prefix); "
                  "they are attributed to 'unknown'",
    .markup = vtt_markup,
};

/* "WEBVTT" alone or followed by a space or tab and anything. */
static int is_signature(const char *s, size_t n)
{
    return n >= 6 && memcmp(s, "WEBVTT", 6) == 0 && (n == 6 || s[6] == ' ' || s[6] == '\t');
}

/* Skip the header lines after the signature, up to a blank line; a timing
 * line there (no blank line before the first cue) is left for the cues. */
static void skip_header(text_cursor *c)
{
    for (;;) {
        text_cursor before = *c;
        const char *s;
        size_t n;
        if (!text_next_line(c, &s, &n)) return;
        size_t i = 0;
        while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
        if (i == n) return;
        for (size_t k = 0; k + 3 <= n; k++) {
            if (memcmp(s + k, "-->", 3) == 0) {
                *c = before;
                return;
            }
        }
    }
}

int sniff_vtt(const char *head, size_t n)
{
    size_t i = cue_skip_bom(head, n);
    if (n - i < 6 || memcmp(head + i, "WEBVTT", 6) != 0) return 0;
    if (n - i == 6) return 1;
    char c = head[i + 6];
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int read_vtt(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d)
{
    text_file tf;
    if (reader_load_text(in, &tf, d) != 0) return -1;
    text_cursor c;
    text_cursor_init(&c, &tf);
    const char *s;
    size_t n;
    int rc;
    if (!text_next_line(&c, &s, &n) || !is_signature(s, n)) {
        diag_add(d, in->source, 1, SEV_ERROR, "not a WebVTT file: the first line must be 'WEBVTT'");
        rc = -1;
    } else {
        skip_header(&c);
        rc = cue_read_session(&c, &VTT_FORMAT, in, opt, out, d);
    }
    text_free(&tf);
    return rc;
}
