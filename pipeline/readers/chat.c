/* chat.c: the CHAT reader (.cha files of CLAN, CHILDES and TalkBank).
 *
 * A CHAT file is a list of tiers, one per line, continued on lines that
 * start with a TAB: headers ("@Participants:", "@ID:", ...), main tiers
 * ("*INV:<TAB>it's a farm .") holding what a speaker said, and dependent
 * tiers ("%mor:", "%act:", ...) coding the main tier above them. Speakers
 * and their roles come from @Participants and @ID; each main tier becomes
 * one utterance, its speaker the three-letter code.
 *
 * A main tier is cleaned to the words a CLAN word count would count: codes
 * (xxx, &-uh, 0is, [= ...], (.), +...) are removed, retraced material
 * ("<I went> [//] I go") is dropped, a replacement ("dontcha [: don't you]")
 * is used instead of the word it replaces, and the terminator is kept as
 * '.', '?' or '!'. Media bullets (NAK start_end NAK, in milliseconds) give
 * the times. The format is described for users in docs/formats/chat.md. */
#include "readers/chat_common.h"
#include "readers/reader.h"
#include "readers/source.h"
#include "util/buf.h"
#include "util/strindex.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BULLET '\x15'
/* "<...>" groups nest rarely more than twice; deeper ones are not scoped. */
#define MAX_GROUP_DEPTH 32

/* ---- characters and spans ------------------------------------------------- */

typedef struct span {
    const char *p;
    size_t n;
} span;

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static span trim(const char *p, size_t n)
{
    while (n && is_blank(p[0])) p++, n--;
    while (n && is_blank(p[n - 1])) n--;
    return (span){p, n};
}

static int span_is(span s, const char *lit)
{
    return s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0;
}

/* ---- participants ---------------------------------------------------------- */

typedef struct participant {
    char *code;
    char *role;
} participant;

typedef struct participant_list {
    participant *items;
    size_t n, cap;
    strindex by_code;   /* code -> index into items (many participants stay linear) */
} participant_list;

static participant *participant_find(participant_list *l, span code)
{
    size_t i = strindex_get(&l->by_code, code.p, code.n);
    return i == STRINDEX_NONE ? NULL : &l->items[i];
}

/* Record that `code` has role `role` (a later statement wins). */
static void participant_set(participant_list *l, span code, span role)
{
    participant *p = participant_find(l, code);
    if (!p) {
        l->items = xgrow(l->items, &l->cap, l->n + 1, sizeof *l->items);
        p = &l->items[l->n++];
        p->code = xstrndup(code.p, code.n);
        p->role = NULL;
        strindex_put(&l->by_code, p->code, code.n, l->n - 1);
    }
    free(p->role);
    p->role = xstrndup(role.p, role.n);
}

static void participants_free(participant_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].code);
        free(l->items[i].role);
    }
    free(l->items);
    strindex_free(&l->by_code);
}

/* ---- the reader's state ---------------------------------------------------- */

typedef struct chat_reader {
    const char *source;
    session *s;
    diag_list *d;
    participant_list parts;
    chat_words words;
    size_t main_tiers;
    size_t stray_lines;          /* lines that are no tier at all */
    long first_stray;
} chat_reader;

/* ---- headers --------------------------------------------------------------- */

/* "@Participants:<TAB>CHI Target_Child , INV Mary Investigator": entries
 * separated by commas, each a code, an optional name and a role (last). */
static void read_participants(chat_reader *r, span v, long line)
{
    size_t i = 0;
    while (i <= v.n) {
        size_t j = i;
        while (j < v.n && v.p[j] != ',') j++;
        span entry = trim(v.p + i, j - i);
        i = j + 1;
        if (entry.n == 0) continue;
        size_t code_end = 0;
        while (code_end < entry.n && !is_blank(entry.p[code_end])) code_end++;
        size_t role_start = entry.n;
        while (role_start > 0 && !is_blank(entry.p[role_start - 1])) role_start--;
        if (role_start == 0) {
            diag_add(r->d, r->source, line, SEV_WARNING,
                     "@Participants entry '%.*s' has no role; write it as "
                     "'CODE [Name] Role', e.g. 'INV Investigator'",
                     (int)entry.n, entry.p);
            role_start = entry.n; /* declared, with no role */
        }
        participant_set(&r->parts, (span){entry.p, code_end},
                        (span){entry.p + role_start, entry.n - role_start});
    }
}

/* "@ID:<TAB>eng|corpus|CHI|2;6.||||Target_Child|||": the code is field 3
 * and the role field 8. */
static void read_id(chat_reader *r, span v, long line)
{
    span field[8];
    size_t nf = 0, i = 0;
    while (nf < 8 && i <= v.n) {
        size_t j = i;
        while (j < v.n && v.p[j] != '|') j++;
        field[nf++] = trim(v.p + i, j - i);
        i = j + 1;
    }
    if (nf < 8 || field[2].n == 0) {
        diag_add(r->d, r->source, line, SEV_WARNING,
                 "@ID line is incomplete (the speaker code is field 3 and the "
                 "role field 8: 'lang|corpus|CODE|age|sex|group|SES|Role|...'); ignored");
        return;
    }
    if (field[7].n) participant_set(&r->parts, field[2], field[7]);
}

static void read_header(chat_reader *r, span tier, long line)
{
    const char *colon = memchr(tier.p, ':', tier.n);
    if (!colon) return; /* @UTF8, @Begin, @End, @Blank, ... */
    span name = {tier.p, (size_t)(colon - tier.p)};
    span value = trim(colon + 1, tier.n - name.n - 1);
    if (span_is(name, "@Participants")) read_participants(r, value, line);
    else if (span_is(name, "@ID")) read_id(r, value, line);
}

/* ---- main tiers: times ----------------------------------------------------- */

/* Read the number of digits ending just before b[*end]; moves *end back. */
static int digits_back(const char *b, size_t *end, double *value)
{
    size_t i = *end;
    while (i > 0 && is_digit(b[i - 1])) i--;
    if (i == *end || *end - i > 12) return 0;
    double v = 0;
    for (size_t k = i; k < *end; k++) v = v * 10 + (b[k] - '0');
    *value = v;
    *end = i;
    return 1;
}

/* A bullet's content: "start_end", or the older '%snd:"file"_start_end'
 * form; milliseconds. Returns 1 and the times in seconds, or 0. */
static int parse_bullet(span b, double *start, double *end)
{
    size_t i = b.n;
    double s, e;
    if (!digits_back(b.p, &i, &e) || i == 0 || b.p[i - 1] != '_') return 0;
    i--;
    if (!digits_back(b.p, &i, &s)) return 0;
    if (i > 0 && b.p[i - 1] != '_') return 0;
    *start = s / 1000.0;
    *end = e / 1000.0;
    return 1;
}

/* ---- main tiers: words and codes ------------------------------------------- */

/* The state of one main tier being cleaned. */
typedef struct tier_parse {
    chat_reader *r;
    long line;
    chat_words *w;
    size_t scope_first, scope_last;  /* the items a following [...] code applies to */
    size_t group[MAX_GROUP_DEPTH];   /* item index where each open "<" began */
    size_t depth;                    /* open "<" groups (may exceed MAX_GROUP_DEPTH) */
    double start, end;
    int bullets;
} tier_parse;

static void scope_set(tier_parse *t, size_t first, size_t last)
{
    t->scope_first = first;
    t->scope_last = last;
}

/* A word that counts for nothing (xxx, &-uh, 0is) is still the target of
 * the codes after it: "&-uh [/]" must not retrace the word before. */
static void scope_empty(tier_parse *t)
{
    scope_set(t, t->w->n, t->w->n);
}

/* Terminators, with the flags the interruption ones set. */
typedef struct terminator {
    const char *code;
    char mark;
    unsigned flags;
} terminator;

static const terminator TERMINATORS[] = {
    {".", '.', 0},
    {"?", '?', 0},
    {"!", '!', 0},
    {"+...", '.', 0},                  /* trailing off */
    {"+..?", '?', 0},                  /* trailing off of a question */
    {"+!?", '?', 0},                   /* question with exclamation */
    {"+/.", '.', UTT_INTERRUPTED},
    {"+/?", '?', UTT_INTERRUPTED},
    {"+//.", '.', UTT_SELF_INTERRUPTED},
    {"+//?", '?', UTT_SELF_INTERRUPTED},
    {"+\"/.", '.', 0},                 /* quotation follows on the next line */
    {"+\".", '.', 0},                  /* quotation precedes */
    {"+.", '.', 0},                    /* transcription break */
};

static const terminator *find_terminator(span tok)
{
    for (size_t i = 0; i < sizeof TERMINATORS / sizeof TERMINATORS[0]; i++)
        if (span_is(tok, TERMINATORS[i].code)) return &TERMINATORS[i];
    return NULL;
}

static void set_terminator(tier_parse *t, char mark, unsigned flags)
{
    t->w->terminator = mark;
    t->w->flags = flags;
}

/* "(.)", "(..)", "(...)", "(1.5)", "(1:02.5)": a pause. */
static int is_pause(span tok)
{
    if (tok.n < 3 || tok.p[0] != '(' || tok.p[tok.n - 1] != ')') return 0;
    for (size_t i = 1; i + 1 < tok.n; i++)
        if (!is_digit(tok.p[i]) && tok.p[i] != '.' && tok.p[i] != ':') return 0;
    return 1;
}

static int is_untranscribed(span base)
{
    return span_is(base, "xxx") || span_is(base, "yyy") || span_is(base, "www");
}

/* Add a word of the tier or of a replacement; the word becomes the scope. */
static void add_word(tier_parse *t, span tok)
{
    if (tok.n == 0) return;
    if (tok.p[0] == '&' || tok.p[0] == '0') { /* fillers, fragments, events; omitted words */
        scope_empty(t);
        return;
    }
    const char *at = memchr(tok.p, '@', tok.n); /* gonna@c, xxx@a, i@l */
    span base = {tok.p, at ? (size_t)(at - tok.p) : tok.n};
    if (base.n == 0 || is_untranscribed(base)) {
        scope_empty(t);
        return;
    }
    size_t before = t->w->n;
    if (chat_words_add(t->w, base.p, base.n)) scope_set(t, before, t->w->n);
}

/* One whitespace-delimited token of a main tier (not a [...] code). */
static void read_token(tier_parse *t, span tok)
{
    const terminator *term = find_terminator(tok);
    if (term) {
        set_terminator(t, term->mark, term->flags);
        return;
    }
    if (tok.p[0] == '+' || is_pause(tok)) return; /* linkers (+", +^, ++, +<, +,) and pauses */
    if (span_is(tok, ",")) {
        chat_words_add_comma(t->w);
        return;
    }
    /* punctuation written against the word: "farm?" , "well," */
    char glued = 0;
    while (tok.n > 1 && strchr(".?!,", tok.p[tok.n - 1])) {
        if (!glued || glued == ',') glued = tok.p[tok.n - 1];
        tok.n--;
    }
    add_word(t, tok);
    if (glued == ',') chat_words_add_comma(t->w);
    else if (glued) set_terminator(t, glued, 0);
}

/* A "[...]" code (without its brackets). Retracings drop their scope; a
 * replacement replaces it; every other code is annotation. */
static void read_code(tier_parse *t, span code)
{
    code = trim(code.p, code.n);
    if (code.n == 0) return;
    if (code.p[0] == '/') { /* [/] [//] [///] [/-] [/?] */
        chat_words_exclude(t->w, t->scope_first, t->scope_last);
        return;
    }
    if (code.p[0] != ':') return;
    size_t i = 0;
    while (i < code.n && code.p[i] == ':') i++; /* [: text] and [:: text] */
    if (i < code.n && code.p[i] != ' ') return;  /* not a replacement */
    chat_words_exclude(t->w, t->scope_first, t->scope_last);
    size_t first = t->w->n;
    while (i < code.n) {
        while (i < code.n && is_blank(code.p[i])) i++;
        size_t j = i;
        while (j < code.n && !is_blank(code.p[j])) j++;
        if (j > i) add_word(t, (span){code.p + i, j - i});
        i = j;
    }
    scope_set(t, first, t->w->n);
}

static void open_group(tier_parse *t)
{
    if (t->depth < MAX_GROUP_DEPTH) t->group[t->depth] = t->w->n;
    t->depth++;
}

static void close_group(tier_parse *t)
{
    if (t->depth == 0) return; /* a stray '>' */
    t->depth--;
    if (t->depth < MAX_GROUP_DEPTH) scope_set(t, t->group[t->depth], t->w->n);
}

static void read_bullet(tier_parse *t, span b)
{
    double s, e;
    if (!parse_bullet(b, &s, &e)) {
        diag_add(t->r->d, t->r->source, t->line, SEV_WARNING,
                 "media bullet '%.*s' not understood; expected start_end in "
                 "milliseconds between two NAK (0x15) characters; ignored",
                 (int)(b.n > 40 ? 40 : b.n), b.p);
        return;
    }
    if (t->bullets++ == 0) t->start = s;
    t->end = e;
}

/* Where the token starting at s[i] ends. A '+' code ends only at a blank
 * ("+<" is one code); other tokens also end where a code, a group bracket
 * or a bullet begins. */
static size_t token_end(const char *s, size_t n, size_t i)
{
    size_t j = i;
    if (s[i] == '+') {
        while (j < n && !is_blank(s[j]) && s[j] != '[' && s[j] != BULLET) j++;
    } else {
        while (j < n && !is_blank(s[j]) && !strchr("[<>", s[j]) && s[j] != BULLET) j++;
    }
    return j;
}

static void parse_main_tier(tier_parse *t, span text)
{
    const char *s = text.p;
    size_t n = text.n, i = 0;
    while (i < n) {
        char c = s[i];
        if (is_blank(c)) {
            i++;
        } else if (c == '[' || c == BULLET) {
            const char *close = memchr(s + i + 1, c == '[' ? ']' : BULLET, n - i - 1);
            if (!close) {
                diag_add(t->r->d, t->r->source, t->line, SEV_WARNING,
                         c == '[' ? "'[' without ']'; the rest of the tier is ignored"
                                  : "media bullet without its closing NAK (0x15); "
                                    "the rest of the tier is ignored");
                return;
            }
            span inner = {s + i + 1, (size_t)(close - s) - i - 1};
            if (c == '[') read_code(t, inner);
            else read_bullet(t, inner);
            i = (size_t)(close - s) + 1;
        } else if (c == '<') {
            open_group(t);
            i++;
        } else if (c == '>') {
            close_group(t);
            i++;
        } else {
            size_t j = token_end(s, n, i);
            read_token(t, (span){s + i, j - i});
            i = j;
        }
    }
}

/* ---- main tiers: speakers -------------------------------------------------- */

/* The speaker index of `code`, added with the role @Participants/@ID state
 * when it speaks for the first time. */
static size_t speaker_for(chat_reader *r, span code, long line)
{
    char *label = xstrndup(code.p, code.n);
    size_t before = r->s->n_speakers;
    size_t idx = session_speaker(r->s, label);
    if (r->s->n_speakers > before) {
        participant *p = participant_find(&r->parts, code);
        int given = p ? chat_role(p->role) : -1;
        if (given >= 0) {
            r->s->speakers[idx].role = (role)given;
            r->s->speakers[idx].role_from_source = 1;
        }
        if (!p)
            diag_add(r->d, r->source, line, SEV_WARNING,
                     "speaker %s is not declared in @Participants; add it there "
                     "('%s Name Role') so its role is known", label, label);
    }
    free(label);
    return idx;
}

static void read_main_tier(chat_reader *r, span tier, long line)
{
    const char *colon = memchr(tier.p, ':', tier.n);
    span code = {tier.p + 1, colon ? (size_t)(colon - tier.p) - 1 : 0};
    int bad_code = code.n == 0;
    for (size_t i = 0; i < code.n; i++)
        if (is_blank(code.p[i])) bad_code = 1;
    if (!colon || bad_code) {
        diag_add(r->d, r->source, line, SEV_WARNING,
                 "main tier without a speaker code and ':'; expected '*CODE:<TAB>text' "
                 "(e.g. '*INV:<TAB>hello .'); line ignored");
        return;
    }
    size_t spk = speaker_for(r, code, line);
    chat_words_reset(&r->words);
    tier_parse t = {.r = r, .line = line, .w = &r->words, .start = TIME_UNKNOWN, .end = TIME_UNKNOWN};
    parse_main_tier(&t, (span){colon + 1, tier.n - code.n - 2});
    if (t.bullets) chat_times_check(&t.start, &t.end, r->source, line, r->d);
    char *text = chat_words_text(&r->words);
    size_t u = session_add_utterance(r->s, spk, text, t.start, t.end, line);
    r->s->utts[u].flags = r->words.flags;
    free(text);
    r->main_tiers++;
}

/* ---- tiers and lines -------------------------------------------------------- */

static void read_tier(chat_reader *r, span tier, long line)
{
    switch (tier.p[0]) {
    case '*': read_main_tier(r, tier, line); break;
    case '@': read_header(r, tier, line); break;
    case '%': break; /* dependent tiers code the main tier; they are not speech */
    default:
        if (r->stray_lines++ == 0) r->first_stray = line;
    }
}

/* Join each tier with its continuation lines (TAB or space first) and read it. */
static void read_tiers(chat_reader *r, const text_file *tf)
{
    text_cursor c;
    const char *p;
    size_t n;
    buf tier = {0};
    long tier_line = 0;
    text_cursor_init(&c, tf);
    while (text_next_line(&c, &p, &n)) {
        if (n && is_blank(p[0]) && tier_line) {
            buf_addc(&tier, ' ');
            buf_add(&tier, p + 1, n - 1);
            continue;
        }
        if (tier_line) read_tier(r, (span){buf_str(&tier), tier.len}, tier_line);
        buf_clear(&tier);
        tier_line = 0;
        if (trim(p, n).n == 0) continue;
        buf_add(&tier, p, n);
        tier_line = c.line;
    }
    if (tier_line) read_tier(r, (span){buf_str(&tier), tier.len}, tier_line);
    buf_free(&tier);
}

int read_chat(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d)
{
    (void)opt;
    text_file tf;
    if (reader_load_text(in, &tf, d) != 0) return -1;
    chat_reader r = {.source = in->source, .d = d};
    r.s = session_list_add(out, in->session_id, in->source);
    read_tiers(&r, &tf);
    if (r.stray_lines)
        diag_add(d, in->source, r.first_stray, SEV_WARNING,
                 "%zu line%s ignored: not %s (a tier starts with '*', '%%' or '@'; "
                 "a continuation line starts with a TAB)", r.stray_lines,
                 r.stray_lines == 1 ? "" : "s", r.stray_lines == 1 ? "a CHAT tier" : "CHAT tiers");
    int rc = 0;
    if (r.main_tiers == 0) {
        diag_add(d, in->source, 0, SEV_ERROR,
                 "no main tiers found; CHAT speech is on lines like '*INV:<TAB>it's a farm .'");
        session_free(&out->items[--out->n]);
        rc = -1;
    }
    chat_words_free(&r.words);
    participants_free(&r.parts);
    text_free(&tf);
    return rc;
}

/* ---- sniffing --------------------------------------------------------------- */

int sniff_chat(const char *head, size_t n)
{
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) head += 3, n -= 3;
    return (n >= 5 && memcmp(head, "@UTF8", 5) == 0) ||
           (n >= 6 && memcmp(head, "@Begin", 6) == 0);
}
