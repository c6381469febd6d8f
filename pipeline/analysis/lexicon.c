/* lexicon.c: the .lex rule parser and the matcher (see lexicon.h and
 * docs/lexicon-format.md).
 *
 * Loading parses every line into a rule of a category: a phrase (words, each
 * exact or a prefix, optionally anchored at a sentence start) or a PCRE2
 * regex, either of which may be an exception. lexicon_finish then builds one
 * index over the literal rules of every category: a hash map from the exact
 * first word of each phrase, and a hash map from the first-word prefixes with
 * the set of distinct prefix lengths, so each transcript word costs one pass
 * over its bytes and a few lookups. Candidates found there are verified word
 * by word. Regex rules run per sentence over the sentence's words joined by
 * spaces. Per category, exception matches knock out the spans they overlap
 * and the rest are chosen leftmost-longest.
 *
 * After lexicon_finish the lexicon is only read; all per-call memory lives in
 * the caller's match_scratch, so threads share one lexicon. */
#include "analysis/lexicon.h"
#include "readers/source.h"
#include "util/buf.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A regex that needs more than this much backtracking on one sentence gives
 * up on the utterance with a warning instead of stalling the run. */
#define REGEX_MATCH_LIMIT 1000000u
#define REGEX_DEPTH_LIMIT 10000u
#define JIT_STACK_START (32u * 1024u)
#define JIT_STACK_MAX (1024u * 1024u)

/* ------------------------------------------------------------------------
 * A string-keyed hash map (open addressing, linear probing). Keys are not
 * copied: they point into strings the lexicon owns. */

#define HASH_SEED 0xcbf29ce484222325ull   /* FNV-1a, 64-bit */
#define HASH_PRIME 0x100000001b3ull

typedef struct map_slot {
    uint64_t hash;
    const char *key;   /* NULL: empty slot */
    uint32_t len;
    uint32_t value;
} map_slot;

typedef struct strmap {
    map_slot *slots;
    size_t cap;        /* 0 or a power of two */
    size_t n;
} strmap;

static inline uint64_t hash_step(uint64_t h, unsigned char byte)
{
    return (h ^ byte) * HASH_PRIME;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = HASH_SEED;
    for (size_t i = 0; i < n; i++) h = hash_step(h, (unsigned char)s[i]);
    return h;
}

static inline size_t slot_index(uint64_t h, size_t cap)
{
    return (size_t)(h ^ (h >> 31)) & (cap - 1);
}

static const map_slot *map_find(const strmap *m, uint64_t h, const char *key, size_t len)
{
    if (!m->n) return NULL;
    for (size_t i = slot_index(h, m->cap);; i = (i + 1) & (m->cap - 1)) {
        const map_slot *s = &m->slots[i];
        if (!s->key) return NULL;
        if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0) return s;
    }
}

static void map_insert_slot(map_slot *slots, size_t cap, map_slot item)
{
    size_t i = slot_index(item.hash, cap);
    while (slots[i].key) i = (i + 1) & (cap - 1);
    slots[i] = item;
}

/* Add key -> value; the key must not be in the map yet. */
static void map_put(strmap *m, const char *key, size_t len, uint32_t value)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        map_slot *slots = xcalloc(cap, sizeof *slots);
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key) map_insert_slot(slots, cap, m->slots[i]);
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    map_slot item = {hash_bytes(key, len), key, (uint32_t)len, value};
    map_insert_slot(m->slots, m->cap, item);
    m->n++;
}

static int map_get(const strmap *m, const char *key, size_t len, uint32_t *value)
{
    const map_slot *s = map_find(m, hash_bytes(key, len), key, len);
    if (!s) return 0;
    *value = s->value;
    return 1;
}

static void map_free(strmap *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------------------
 * The lexicon. */

typedef struct rule_word {
    char *text;        /* folded; without the '*' of a prefix */
    uint32_t len;
    uint8_t prefix;    /* 1: matches any word starting with text */
} rule_word;

typedef struct rule {
    uint32_t category;
    uint8_t exception;
    uint8_t anchored;  /* the phrase must start at a sentence start */
    char *id;          /* "FILE:LINE" */
    char *text;        /* the normalised rule, as messages show it */
    char *dup_key;     /* category and text: equal keys are duplicates */
    rule_word *words;  /* a phrase's words; NULL for a regex */
    uint32_t nwords;
    pcre2_code *re;    /* a regex; NULL for a phrase */
} rule;

typedef struct category {
    char *name;
    char *description;
} category;

typedef struct lex_file {
    char *path;
    char sha256[SHA256_HEX_SIZE];
} lex_file;

/* The literal rules whose first word has one key, as a slice of postings. */
typedef struct rule_range {
    uint32_t start, count;
} rule_range;

struct lexicon {
    category *cats;
    size_t ncats, cats_cap;
    rule *rules;
    size_t nrules, rules_cap;
    lex_file *files;
    size_t nfiles, files_cap;
    strmap cat_names;        /* category name -> index */
    strmap dup_keys;         /* rule dup_key -> rule index */
    pcre2_general_context *gctx;
    pcre2_compile_context *cctx;
    int finished;
    /* built by lexicon_finish */
    strmap exact_first;      /* exact first word -> rule_range index */
    strmap prefix_first;     /* first-word prefix -> rule_range index */
    rule_range *ranges;
    uint32_t *postings;      /* rule indexes, in rule order within a range */
    uint32_t *prefix_lens;   /* distinct prefix byte lengths, ascending */
    size_t nprefix_lens;
    uint32_t *regex_rules;   /* rule indexes of the regex rules, in order */
    size_t nregex;
};

/* PCRE2 allocates through these, so its memory is xalloc's too. */
static void *regex_alloc(PCRE2_SIZE n, void *unused)
{
    (void)unused;
    return xmalloc(n ? n : 1);
}

static void regex_release(void *p, void *unused)
{
    (void)unused;
    free(p);
}

lexicon *lexicon_new(void)
{
    lexicon *lx = xcalloc(1, sizeof *lx);
    lx->gctx = pcre2_general_context_create(regex_alloc, regex_release, NULL);
    lx->cctx = pcre2_compile_context_create(lx->gctx);
    return lx;
}

void lexicon_free(lexicon *lx)
{
    if (!lx) return;
    for (size_t i = 0; i < lx->ncats; i++) {
        free(lx->cats[i].name);
        free(lx->cats[i].description);
    }
    for (size_t i = 0; i < lx->nrules; i++) {
        rule *r = &lx->rules[i];
        for (uint32_t k = 0; k < r->nwords; k++) free(r->words[k].text);
        free(r->words);
        free(r->id);
        free(r->text);
        free(r->dup_key);
        pcre2_code_free(r->re);
    }
    for (size_t i = 0; i < lx->nfiles; i++) free(lx->files[i].path);
    free(lx->cats);
    free(lx->rules);
    free(lx->files);
    map_free(&lx->cat_names);
    map_free(&lx->dup_keys);
    map_free(&lx->exact_first);
    map_free(&lx->prefix_first);
    free(lx->ranges);
    free(lx->postings);
    free(lx->prefix_lens);
    free(lx->regex_rules);
    pcre2_compile_context_free(lx->cctx);
    pcre2_general_context_free(lx->gctx);
    free(lx);
}

/* ------------------------------------------------------------------------
 * Parsing. */

typedef struct parser {
    lexicon *lx;
    const char *source;    /* the path, for messages */
    const char *file;      /* the file name without folders, for rule ids */
    diag_list *d;
    long line;
    long category;         /* current category; NO_CATEGORY or BROKEN_HEADER */
    int told_no_category;  /* "rule before any category" said once per file */
    int errors;
} parser;

#define NO_CATEGORY (-1L)
#define BROKEN_HEADER (-2L)   /* rules under a bad header are checked, not kept */

static void parse_error(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void parse_error(parser *p, const char *fmt, ...)
{
    buf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    diag_add(p->d, p->source, p->line, SEV_ERROR, "%s", buf_str(&msg));
    buf_free(&msg);
    p->errors++;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_blank(**s)) (*s)++, (*n)--;
    while (*n && is_blank((*s)[*n - 1])) (*n)--;
}

static uint32_t first_cp(const char *s, size_t n)
{
    uint32_t cp;
    int ok;
    utf8_decode((const unsigned char *)s, n, &cp, &ok);
    return cp;
}

/* A phrase starts with a letter or digit of any script, or an apostrophe. */
static int can_start_phrase(const char *s, size_t n)
{
    uint32_t cp = first_cp(s, n);
    return cp == '\'' || cp == 0x2019 || utf8_is_word_char(cp);
}

static int can_start_rule(const char *s, size_t n)
{
    return s[0] == '^' || s[0] == '/' || can_start_phrase(s, n);
}

/* The first whitespace-separated token of s, at most about 40 bytes (cut at
 * a character boundary), for quoting in messages. */
static int token_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && !is_blank(s[i])) i++;
    if (i > 40) {
        i = 40;
        while (i && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
    }
    return (int)i;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int valid_category_name(const char *s, size_t n)
{
    if (!n) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return 0;
    }
    return 1;
}

/* A name that would be accepted: ASCII lowercased, anything else '_'. */
static char *suggest_category_name(const char *s, size_t n)
{
    buf out = {0};
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z') buf_addc(&out, (char)(c + 32));
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') buf_addc(&out, (char)c);
        else buf_addc(&out, '_');
        uint32_t cp;
        int ok;
        i += utf8_decode((const unsigned char *)s + i, n - i, &cp, &ok);
    }
    if (!out.len) buf_adds(&out, "name");
    return buf_take(&out);
}

static uint32_t add_category(lexicon *lx, const char *name, size_t n)
{
    lx->cats = xgrow(lx->cats, &lx->cats_cap, lx->ncats + 1, sizeof *lx->cats);
    category *c = &lx->cats[lx->ncats];
    c->name = xstrndup(name, n);
    c->description = xstrdup("");
    map_put(&lx->cat_names, c->name, n, (uint32_t)lx->ncats);
    return (uint32_t)lx->ncats++;
}

/* "[name] description": start (or resume) a category. */
static void parse_category(parser *p, const char *s, size_t n)
{
    const char *close = memchr(s, ']', n);
    p->category = BROKEN_HEADER;
    if (!close) {
        parse_error(p, "category header \"%.*s\" has no closing \"]\": write it as [name] description",
                    token_len(s, n), s);
        return;
    }
    const char *name = s + 1;
    size_t name_len = (size_t)(close - name);
    if (!name_len) {
        parse_error(p, "empty category name \"[]\": put a name between the brackets, as in [directive]");
        return;
    }
    if (!valid_category_name(name, name_len)) {
        char *fix = suggest_category_name(name, name_len);
        parse_error(p, "bad category name \"%.*s\": use only lowercase letters, digits and _, as in [%s]",
                    (int)name_len, name, fix);
        free(fix);
        return;
    }
    const char *desc = close + 1;
    size_t desc_len = n - (size_t)(desc - s);
    trim(&desc, &desc_len);
    lexicon *lx = p->lx;
    uint32_t cat;
    if (!map_get(&lx->cat_names, name, name_len, &cat)) cat = add_category(lx, name, name_len);
    if (!lx->cats[cat].description[0] && desc_len) {
        free(lx->cats[cat].description);
        lx->cats[cat].description = xstrndup(desc, desc_len);
    }
    p->category = (long)cat;
}

/* Fold a rule word the way the tokenizer folds transcript words. */
static void fold_word(const char *s, size_t n, buf *out)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        int ok;
        i += utf8_decode((const unsigned char *)s + i, n - i, &cp, &ok);
        cp = cp == 0x2019 ? '\'' : utf8_fold(cp);
        char enc[4];
        buf_add(out, enc, utf8_encode(cp, enc));
    }
}

/* Whether the tokenizer can produce a word equal to (or, for a prefix,
 * starting with) s: runs of letters and digits joined by single ' or -. */
static int word_can_match(const char *s, size_t n, int prefix)
{
    enum { START, IN_WORD, AFTER_JOINER } state = START;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        int ok;
        i += utf8_decode((const unsigned char *)s + i, n - i, &cp, &ok);
        if (utf8_is_word_char(cp)) {
            state = IN_WORD;
        } else if (cp == '\'' || cp == '-') {
            if (state != IN_WORD) return 0;
            state = AFTER_JOINER;
        } else {
            return 0;
        }
    }
    return state == IN_WORD || (prefix && state == AFTER_JOINER);
}

static void free_words(rule_word *words, size_t n)
{
    for (size_t i = 0; i < n; i++) free(words[i].text);
    free(words);
}

/* Split a phrase into folded words. Returns 0, or -1 after an error. */
static int parse_phrase(parser *p, const char *s, size_t n, rule_word **out, uint32_t *count, buf *text)
{
    rule_word *words = NULL;
    size_t nwords = 0, cap = 0, i = 0;
    while (i < n) {
        while (i < n && is_blank(s[i])) i++;
        size_t start = i;
        while (i < n && !is_blank(s[i])) i++;
        if (i == start) break;
        const char *w = s + start;
        size_t len = i - start;
        const char *star = memchr(w, '*', len);
        if (star && len == 1) {
            parse_error(p, "bare \"*\": put the start of a word before it, as in advis*");
            free_words(words, nwords);
            return -1;
        }
        if (star && star != w + len - 1) {
            parse_error(p, "\"*\" inside \"%.*s\": \"*\" may only end a word, as in advis*", (int)len, w);
            free_words(words, nwords);
            return -1;
        }
        int prefix = star != NULL;
        buf folded = {0};
        fold_word(w, len - (size_t)prefix, &folded);
        if (!word_can_match(buf_str(&folded), folded.len, prefix))
            diag_add(p->d, p->source, p->line, SEV_WARNING,
                     "the word \"%.*s\" can never match: transcript words are letters and digits "
                     "with ' or - only between them; remove the other characters",
                     (int)len, w);
        if (text->len) buf_addc(text, ' ');
        buf_add(text, buf_str(&folded), folded.len);
        if (prefix) buf_addc(text, '*');
        words = xgrow(words, &cap, nwords + 1, sizeof *words);
        words[nwords].len = (uint32_t)folded.len;
        words[nwords].prefix = (uint8_t)prefix;
        words[nwords].text = buf_take(&folded);
        nwords++;
    }
    *out = words;
    *count = (uint32_t)nwords;
    return 0;
}

/* "/pattern/": compile it. Returns the code, or NULL after an error. */
static pcre2_code *parse_regex(parser *p, const char *s, size_t n)
{
    if (n < 2 || s[n - 1] != '/') {
        parse_error(p, "unterminated regex \"%.*s\": end the pattern with \"/\" at the end of the line",
                    (int)n, s);
        return NULL;
    }
    if (n == 2) {
        parse_error(p, "empty regex \"//\": write a pattern between the slashes");
        return NULL;
    }
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)(s + 1), n - 2, PCRE2_UTF | PCRE2_UCP, &code, &offset,
                                   p->lx->cctx);
    if (!re) {
        PCRE2_UCHAR why[256];
        if (pcre2_get_error_message(code, why, sizeof why) < 0) strcpy((char *)why, "unknown error");
        parse_error(p, "bad regex %.*s: %s at offset %zu of the pattern; fix the pattern",
                    (int)n, s, (const char *)why, (size_t)offset);
        return NULL;
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);   /* without JIT the interpreter runs it */
    return re;
}

/* Keep a parsed rule, unless the category already has the same one. */
static void add_rule(parser *p, rule *r)
{
    lexicon *lx = p->lx;
    buf key = {0};
    buf_addf(&key, "%u\n%s", r->category, r->text);
    uint32_t first;
    if (map_get(&lx->dup_keys, key.data, key.len, &first)) {
        diag_add(p->d, p->source, p->line, SEV_WARNING,
                 "duplicate rule \"%s\" in [%s]: %s repeats %s and is ignored; delete one of them",
                 r->text, lx->cats[r->category].name, r->id, lx->rules[first].id);
        buf_free(&key);
        free_words(r->words, r->nwords);
        free(r->id);
        free(r->text);
        pcre2_code_free(r->re);
        return;
    }
    r->dup_key = buf_take(&key);
    lx->rules = xgrow(lx->rules, &lx->rules_cap, lx->nrules + 1, sizeof *lx->rules);
    lx->rules[lx->nrules] = *r;
    map_put(&lx->dup_keys, r->dup_key, strlen(r->dup_key), (uint32_t)lx->nrules);
    lx->nrules++;
}

/* A rule line, after a leading "!" (if any) has been taken off. */
static void parse_rule(parser *p, int exception, const char *s, size_t n)
{
    if (p->category == NO_CATEGORY) {
        if (!p->told_no_category)
            parse_error(p, "rule before any category: put a category line such as "
                           "\"[name] description\" above it");
        p->told_no_category = 1;
        return;
    }
    rule r = {0};
    r.exception = (uint8_t)exception;
    buf text = {0};
    if (exception) buf_adds(&text, "! ");
    if (s[0] == '^') {
        r.anchored = 1;
        buf_addc(&text, '^');
        s++, n--;
        trim(&s, &n);
        if (!n) {
            parse_error(p, "empty phrase after \"^\": put a phrase after it, as in ^try");
            buf_free(&text);
            return;
        }
        if (s[0] == '/') {
            parse_error(p, "\"^\" before a /regex/: anchor the pattern inside the slashes instead, as in /^try/");
            buf_free(&text);
            return;
        }
    }
    if (s[0] == '/') {
        r.re = parse_regex(p, s, n);
        if (!r.re) {
            buf_free(&text);
            return;
        }
        buf_add(&text, s, n);
    } else {
        if (!can_start_phrase(s, n)) {
            parse_error(p, "\"%.*s\" cannot start a phrase after \"%s\": a phrase starts with a letter, "
                           "a digit or '",
                        token_len(s, n), s, r.anchored ? "^" : "!");
            buf_free(&text);
            return;
        }
        buf phrase = {0};
        if (parse_phrase(p, s, n, &r.words, &r.nwords, &phrase) < 0) {
            buf_free(&phrase);
            buf_free(&text);
            return;
        }
        buf_add(&text, buf_str(&phrase), phrase.len);
        buf_free(&phrase);
    }
    if (p->category == BROKEN_HEADER) {   /* checked; the header's error stands for it */
        free_words(r.words, r.nwords);
        pcre2_code_free(r.re);
        buf_free(&text);
        return;
    }
    r.category = (uint32_t)p->category;
    r.text = buf_take(&text);
    buf id = {0};
    buf_addf(&id, "%s:%ld", p->file, p->line);
    r.id = buf_take(&id);
    add_rule(p, &r);
}

static void parse_line(parser *p, const char *s, size_t n)
{
    trim(&s, &n);
    if (!n || s[0] == '#') return;
    if (s[0] == '[') {
        parse_category(p, s, n);
        return;
    }
    if (s[0] == '!') {
        const char *body = s + 1;
        size_t body_len = n - 1;
        trim(&body, &body_len);
        if (!body_len) {
            parse_error(p, "empty exception \"!\": put the phrase or /regex/ to exclude after the \"!\"");
            return;
        }
        parse_rule(p, 1, body, body_len);
        return;
    }
    if (!can_start_rule(s, n)) {
        parse_error(p, "unknown directive \"%.*s\": a line is a phrase, ^phrase, /regex/, ! exception, "
                       "[category] or # comment",
                    token_len(s, n), s);
        return;
    }
    parse_rule(p, 0, s, n);
}

static void add_file(lexicon *lx, const char *path, const char *bytes, size_t n)
{
    lx->files = xgrow(lx->files, &lx->files_cap, lx->nfiles + 1, sizeof *lx->files);
    lex_file *f = &lx->files[lx->nfiles++];
    f->path = xstrdup(path);
    sha256_hex(bytes, n, f->sha256);
}

/* Record the file, then parse its bytes; messages name `source`. */
static int parse_bytes(lexicon *lx, const char *source, const char *bytes, size_t n, diag_list *d)
{
    if (lx->finished) {
        diag_add(d, source, 0, SEV_ERROR,
                 "lexicon loaded after lexicon_finish (a bug in dyad): load every lexicon file first");
        return -1;
    }
    add_file(lx, source, bytes, n);
    if (n == 0) return 0;   /* an empty file has no rules; nothing wrong with it */
    text_file tf;
    if (text_from_bytes(&tf, bytes, n, source, d) < 0) return -1;
    parser p = {lx, source, base_name(source), d, 0, NO_CATEGORY, 0, 0};
    text_cursor cur;
    text_cursor_init(&cur, &tf);
    const char *line;
    size_t len;
    while (text_next_line(&cur, &line, &len)) {
        p.line = cur.line;
        parse_line(&p, line, len);
    }
    text_free(&tf);
    return p.errors ? -1 : 0;
}

int lexicon_load_text(lexicon *lx, const char *name, const char *text, size_t len, diag_list *d)
{
    return parse_bytes(lx, name, text, len, d);
}

static int load_file(lexicon *lx, const char *path, diag_list *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_add(d, path, 0, SEV_ERROR, "cannot open lexicon: %s; check the path", strerror(errno));
        return -1;
    }
    buf raw = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_add(&raw, chunk, n);
    int failed = ferror(f), err = errno;
    fclose(f);
    if (failed) {
        diag_add(d, path, 0, SEV_ERROR, "cannot read lexicon: %s", strerror(err));
        buf_free(&raw);
        return -1;
    }
    int rc = parse_bytes(lx, path, buf_str(&raw), raw.len, d);
    buf_free(&raw);
    return rc;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_lex_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 4 && strcmp(name + n - 4, ".lex") == 0;
}

static char *join_path(const char *folder, const char *name)
{
    buf b = {0};
    buf_adds(&b, folder);
    if (b.len && b.data[b.len - 1] != '/') buf_addc(&b, '/');
    buf_adds(&b, name);
    return buf_take(&b);
}

/* Every regular *.lex file of a folder (not its subfolders), by name. */
static int load_folder(lexicon *lx, const char *folder, diag_list *d)
{
    DIR *dir = opendir(folder);
    if (!dir) {
        diag_add(d, folder, 0, SEV_ERROR, "cannot read lexicon folder: %s", strerror(errno));
        return -1;
    }
    char **paths = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (!is_lex_name(e->d_name)) continue;
        char *path = join_path(folder, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        paths = xgrow(paths, &cap, n + 1, sizeof *paths);
        paths[n++] = path;
    }
    closedir(dir);
    if (!n) {
        diag_add(d, folder, 0, SEV_ERROR,
                 "no .lex files in this lexicon folder: add rule files named NAME.lex, or give one file");
        return -1;
    }
    qsort(paths, n, sizeof *paths, compare_names);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (load_file(lx, paths[i], d) < 0) rc = -1;
        free(paths[i]);
    }
    free(paths);
    return rc;
}

int lexicon_load(lexicon *lx, const char *path, diag_list *d)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_add(d, path, 0, SEV_ERROR, "cannot open lexicon: %s; check the path", strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) return load_folder(lx, path, d);
    return load_file(lx, path, d);
}

/* ------------------------------------------------------------------------
 * The index over literal rules. */

static uint32_t range_for(lexicon *lx, const rule_word *w, size_t *nranges, size_t *cap)
{
    strmap *m = w->prefix ? &lx->prefix_first : &lx->exact_first;
    uint32_t idx;
    if (map_get(m, w->text, w->len, &idx)) return idx;
    lx->ranges = xgrow(lx->ranges, cap, *nranges + 1, sizeof *lx->ranges);
    lx->ranges[*nranges].start = 0;
    lx->ranges[*nranges].count = 0;
    map_put(m, w->text, w->len, (uint32_t)*nranges);
    return (uint32_t)(*nranges)++;
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void collect_prefix_lengths(lexicon *lx)
{
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < lx->nrules; i++) {
        const rule *r = &lx->rules[i];
        if (r->re || !r->words[0].prefix) continue;
        lx->prefix_lens = xgrow(lx->prefix_lens, &cap, n + 1, sizeof *lx->prefix_lens);
        lx->prefix_lens[n++] = r->words[0].len;
    }
    if (n) qsort(lx->prefix_lens, n, sizeof *lx->prefix_lens, compare_u32);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (!distinct || lx->prefix_lens[distinct - 1] != lx->prefix_lens[i])
            lx->prefix_lens[distinct++] = lx->prefix_lens[i];
    lx->nprefix_lens = distinct;
}

int lexicon_finish(lexicon *lx, diag_list *d)
{
    (void)d;
    if (lx->finished) return 0;
    size_t nranges = 0, ranges_cap = 0, nliteral = 0;
    uint32_t *range_of = xmalloc((lx->nrules ? lx->nrules : 1) * sizeof *range_of);
    lx->regex_rules = xmalloc((lx->nrules ? lx->nrules : 1) * sizeof *lx->regex_rules);
    for (size_t i = 0; i < lx->nrules; i++) {
        const rule *r = &lx->rules[i];
        if (r->re) {
            lx->regex_rules[lx->nregex++] = (uint32_t)i;
            continue;
        }
        range_of[i] = range_for(lx, &r->words[0], &nranges, &ranges_cap);
        lx->ranges[range_of[i]].count++;
        nliteral++;
    }
    uint32_t start = 0;
    for (size_t i = 0; i < nranges; i++) {
        lx->ranges[i].start = start;
        start += lx->ranges[i].count;
        lx->ranges[i].count = 0;
    }
    lx->postings = xmalloc((nliteral ? nliteral : 1) * sizeof *lx->postings);
    for (size_t i = 0; i < lx->nrules; i++) {
        if (lx->rules[i].re) continue;
        rule_range *rg = &lx->ranges[range_of[i]];
        lx->postings[rg->start + rg->count++] = (uint32_t)i;
    }
    free(range_of);
    collect_prefix_lengths(lx);
    lx->finished = 1;
    return 0;
}

/* ------------------------------------------------------------------------
 * Accessors. */

size_t lexicon_category_count(const lexicon *lx) { return lx->ncats; }

const char *lexicon_category_name(const lexicon *lx, size_t cat)
{
    return cat < lx->ncats ? lx->cats[cat].name : NULL;
}

const char *lexicon_category_description(const lexicon *lx, size_t cat)
{
    return cat < lx->ncats ? lx->cats[cat].description : NULL;
}

int lexicon_category_index(const lexicon *lx, const char *name)
{
    uint32_t idx;
    return map_get(&lx->cat_names, name, strlen(name), &idx) ? (int)idx : -1;
}

size_t lexicon_rule_count(const lexicon *lx) { return lx->nrules; }

const char *lexicon_rule_id(const lexicon *lx, size_t r)
{
    return r < lx->nrules ? lx->rules[r].id : NULL;
}

size_t lexicon_file_count(const lexicon *lx) { return lx->nfiles; }

const char *lexicon_file_path(const lexicon *lx, size_t i)
{
    return i < lx->nfiles ? lx->files[i].path : NULL;
}

const char *lexicon_file_sha256(const lexicon *lx, size_t i)
{
    return i < lx->nfiles ? lx->files[i].sha256 : NULL;
}

/* ------------------------------------------------------------------------
 * Matching. */

/* A rule's match before selection. */
typedef struct candidate {
    uint32_t category, rule, first, last;
    uint32_t exception;
} candidate;

/* One sentence inside the joined-words subject. */
typedef struct sentence_span {
    size_t start, end;              /* bytes in the subject */
    uint32_t first_word, end_word;  /* its words */
} sentence_span;

struct match_scratch {
    candidate *cand, *sort_tmp;
    size_t ncand, cand_cap, tmp_cap;
    char *subject;                  /* each sentence's words joined by spaces */
    size_t subject_len, subject_cap;
    size_t *word_off;               /* where each word starts in subject */
    size_t word_off_cap;
    sentence_span *sentences;
    size_t nsentences, sentences_cap;
    uint32_t *mark;                 /* words covered by an exception: == stamp */
    size_t mark_cap;
    uint32_t stamp;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
};

match_scratch *match_scratch_new(const lexicon *lx)
{
    match_scratch *ms = xcalloc(1, sizeof *ms);
    pcre2_general_context *g = lx ? lx->gctx : NULL;
    ms->md = pcre2_match_data_create(1, g);
    ms->mctx = pcre2_match_context_create(g);
    pcre2_set_match_limit(ms->mctx, REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(ms->mctx, REGEX_DEPTH_LIMIT);
    ms->jit_stack = pcre2_jit_stack_create(JIT_STACK_START, JIT_STACK_MAX, g);   /* NULL without JIT */
    if (ms->jit_stack) pcre2_jit_stack_assign(ms->mctx, NULL, ms->jit_stack);
    return ms;
}

void match_scratch_free(match_scratch *ms)
{
    if (!ms) return;
    free(ms->cand);
    free(ms->sort_tmp);
    free(ms->subject);
    free(ms->word_off);
    free(ms->sentences);
    free(ms->mark);
    pcre2_match_data_free(ms->md);
    pcre2_match_context_free(ms->mctx);
    pcre2_jit_stack_free(ms->jit_stack);
    free(ms);
}

static void add_candidate(match_scratch *ms, const rule *r, uint32_t rule_index, size_t first, size_t last)
{
    ms->cand = xgrow(ms->cand, &ms->cand_cap, ms->ncand + 1, sizeof *ms->cand);
    candidate *c = &ms->cand[ms->ncand++];
    c->category = r->category;
    c->rule = rule_index;
    c->first = (uint32_t)first;
    c->last = (uint32_t)last;
    c->exception = r->exception;
}

static inline int word_matches(const rule_word *rw, const word_list *wl, size_t i)
{
    uint32_t len = wl->w[i].len;
    if (rw->prefix ? len < rw->len : len != rw->len) return 0;
    return memcmp(word_at(wl, i), rw->text, rw->len) == 0;
}

/* The first word is already known to match; check the rest. */
static int phrase_matches_at(const rule *r, const word_list *wl, size_t i)
{
    if (r->anchored && !wl->w[i].sentence_start) return 0;
    if (r->nwords > wl->n - i) return 0;
    for (uint32_t k = 1; k < r->nwords; k++)
        if (!word_matches(&r->words[k], wl, i + k)) return 0;
    return 1;
}

static void try_phrases(const lexicon *lx, const map_slot *slot, const word_list *wl, size_t i,
                        match_scratch *ms)
{
    const rule_range *rg = &lx->ranges[slot->value];
    for (uint32_t j = 0; j < rg->count; j++) {
        uint32_t ri = lx->postings[rg->start + j];
        const rule *r = &lx->rules[ri];
        if (phrase_matches_at(r, wl, i)) add_candidate(ms, r, ri, i, i + r->nwords);
    }
}

/* One pass over each word's bytes hashes every indexed prefix length and
 * the whole word, looking each up as it goes. */
static void find_literal_matches(const lexicon *lx, const word_list *wl, match_scratch *ms)
{
    if (!lx->exact_first.n && !lx->prefix_first.n) return;
    for (size_t i = 0; i < wl->n; i++) {
        const char *s = word_at(wl, i);
        size_t len = wl->w[i].len, p = 0;
        uint64_t h = HASH_SEED;
        for (size_t b = 0; b < len; b++) {
            h = hash_step(h, (unsigned char)s[b]);
            if (p < lx->nprefix_lens && lx->prefix_lens[p] == b + 1) {
                p++;
                const map_slot *slot = map_find(&lx->prefix_first, h, s, b + 1);
                if (slot) try_phrases(lx, slot, wl, i, ms);
            }
        }
        const map_slot *slot = map_find(&lx->exact_first, h, s, len);
        if (slot) try_phrases(lx, slot, wl, i, ms);
    }
}

static void subject_add(match_scratch *ms, const char *s, size_t n)
{
    ms->subject = xgrow(ms->subject, &ms->subject_cap, ms->subject_len + n + 1, 1);
    memcpy(ms->subject + ms->subject_len, s, n);
    ms->subject_len += n;
    ms->subject[ms->subject_len] = '\0';
}

/* Join each sentence's words with single spaces, one after another. */
static void build_subject(const word_list *wl, match_scratch *ms)
{
    ms->subject_len = 0;
    ms->nsentences = 0;
    ms->word_off = xgrow(ms->word_off, &ms->word_off_cap, wl->n, sizeof *ms->word_off);
    for (size_t i = 0; i < wl->n; i++) {
        int starts = i == 0 || wl->w[i].sentence_start || wl->w[i].sentence != wl->w[i - 1].sentence;
        if (starts) {
            ms->sentences = xgrow(ms->sentences, &ms->sentences_cap, ms->nsentences + 1,
                                  sizeof *ms->sentences);
            sentence_span *sp = &ms->sentences[ms->nsentences++];
            sp->start = ms->subject_len;
            sp->first_word = (uint32_t)i;
        } else {
            subject_add(ms, " ", 1);
        }
        ms->word_off[i] = ms->subject_len;
        subject_add(ms, word_at(wl, i), wl->w[i].len);
        sentence_span *sp = &ms->sentences[ms->nsentences - 1];
        sp->end = ms->subject_len;
        sp->end_word = (uint32_t)(i + 1);
    }
}

/* Add the span of the sentence's words that the bytes [s, e) of the subject
 * touch; a match of spaces alone touches none. */
static void add_regex_span(const word_list *wl, match_scratch *ms, const sentence_span *sp,
                           const rule *r, uint32_t ri, size_t s, size_t e)
{
    size_t lo = sp->first_word, hi = sp->end_word;
    while (lo < hi) {   /* the first word ending after s */
        size_t mid = lo + (hi - lo) / 2;
        if (ms->word_off[mid] + wl->w[mid].len > s) hi = mid;
        else lo = mid + 1;
    }
    size_t first = lo;
    hi = sp->end_word;
    while (lo < hi) {   /* the first word starting at or after e */
        size_t mid = lo + (hi - lo) / 2;
        if (ms->word_off[mid] >= e) hi = mid;
        else lo = mid + 1;
    }
    if (first < lo) add_candidate(ms, r, ri, first, lo);
}

static size_t utf8_char_len(unsigned char c)
{
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Every match of one regex in every sentence. Returns 0, or the PCRE2
 * error that made it stop. */
static int run_regex(const rule *r, uint32_t ri, const word_list *wl, match_scratch *ms, uint32_t opts)
{
    for (size_t k = 0; k < ms->nsentences; k++) {
        const sentence_span *sp = &ms->sentences[k];
        PCRE2_SPTR subject = (PCRE2_SPTR)(ms->subject + sp->start);
        size_t len = sp->end - sp->start, off = 0;
        while (off <= len) {
            int rc = pcre2_match(r->re, subject, len, off, opts, ms->md, ms->mctx);
            if (rc == PCRE2_ERROR_NOMATCH) break;
            if (rc < 0) return rc;
            const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(ms->md);
            size_t s = ov[0], e = ov[1];
            if (e > s) add_regex_span(wl, ms, sp, r, ri, sp->start + s, sp->start + e);
            if (e > off) {
                off = e;
            } else {   /* an empty match: step over one character */
                if (off >= len) break;
                size_t step = utf8_char_len(subject[off]);
                off += step < len - off ? step : len - off;
            }
        }
    }
    return 0;
}

static const char *limit_name(int rc)
{
    switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT: return "match limit";
    case PCRE2_ERROR_DEPTHLIMIT: return "depth limit";
    case PCRE2_ERROR_HEAPLIMIT: return "heap limit";
    case PCRE2_ERROR_JIT_STACKLIMIT: return "JIT stack limit";
    default: return NULL;
    }
}

static void warn_regex_failure(const rule *r, int rc, diag_list *d, const char *source, long line)
{
    if (!d) return;
    const char *limit = limit_name(rc);
    if (limit) {
        diag_add(d, source, line, SEV_WARNING,
                 "rule %s: regex gave up (%s) on this utterance; the rule is skipped here", r->id, limit);
        return;
    }
    PCRE2_UCHAR why[256];
    if (pcre2_get_error_message(rc, why, sizeof why) < 0) strcpy((char *)why, "unknown error");
    diag_add(d, source, line, SEV_WARNING,
             "rule %s: regex failed (%s) on this utterance; the rule is skipped here", r->id,
             (const char *)why);
}

static void find_regex_matches(const lexicon *lx, const word_list *wl, match_scratch *ms, diag_list *d,
                               const char *source, long line)
{
    build_subject(wl, ms);
    /* the subject is checked once here rather than by every pcre2_match call */
    uint32_t opts = utf8_valid(ms->subject, ms->subject_len) ? PCRE2_NO_UTF_CHECK : 0;
    for (size_t i = 0; i < lx->nregex; i++) {
        uint32_t ri = lx->regex_rules[i];
        const rule *r = &lx->rules[ri];
        size_t before = ms->ncand;
        int rc = run_regex(r, ri, wl, ms, opts);
        if (rc < 0) {
            ms->ncand = before;   /* none of this rule's matches count here */
            warn_regex_failure(r, rc, d, source, line);
        }
    }
}

/* Order: category; exceptions first; then by first word, longer spans
 * first, earlier rules first. */
static int candidate_before(const candidate *a, const candidate *b)
{
    if (a->category != b->category) return a->category < b->category;
    if (a->exception != b->exception) return a->exception > b->exception;
    if (a->first != b->first) return a->first < b->first;
    uint32_t alen = a->last - a->first, blen = b->last - b->first;
    if (alen != blen) return alen > blen;
    return a->rule < b->rule;
}

/* A merge sort into the scratch's buffer, so sorting allocates nothing once
 * the buffers have grown. */
static void sort_candidates(candidate *c, candidate *tmp, size_t n)
{
    if (n < 2) return;
    if (n <= 8) {
        for (size_t i = 1; i < n; i++) {
            candidate x = c[i];
            size_t j = i;
            for (; j && candidate_before(&x, &c[j - 1]); j--) c[j] = c[j - 1];
            c[j] = x;
        }
        return;
    }
    size_t half = n / 2;
    sort_candidates(c, tmp, half);
    sort_candidates(c + half, tmp, n - half);
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n) tmp[k++] = candidate_before(&c[j], &c[i]) ? c[j++] : c[i++];
    while (i < half) tmp[k++] = c[i++];
    while (j < n) tmp[k++] = c[j++];
    memcpy(c, tmp, n * sizeof *c);
}

static void next_stamp(match_scratch *ms)
{
    if (++ms->stamp == 0) {   /* wrapped: forget every old mark */
        memset(ms->mark, 0, ms->mark_cap * sizeof *ms->mark);
        ms->stamp = 1;
    }
}

static int overlaps_exception(const match_scratch *ms, const candidate *c)
{
    for (uint32_t k = c->first; k < c->last; k++)
        if (ms->mark[k] == ms->stamp) return 1;
    return 0;
}

static void emit(match_list *out, const candidate *c)
{
    out->m = xgrow(out->m, &out->cap, out->n + 1, sizeof *out->m);
    match *m = &out->m[out->n++];
    m->category = c->category;
    m->rule = c->rule;
    m->first = c->first;
    m->last = c->last;
}

/* The candidates are sorted; per category, mark the words exceptions cover,
 * then keep leftmost-longest spans that touch none of them. */
static void select_matches(const word_list *wl, match_scratch *ms, match_list *out)
{
    if (wl->n > ms->mark_cap) {
        size_t old = ms->mark_cap;
        ms->mark = xgrow(ms->mark, &ms->mark_cap, wl->n, sizeof *ms->mark);
        memset(ms->mark + old, 0, (ms->mark_cap - old) * sizeof *ms->mark);
    }
    const candidate *c = ms->cand;
    size_t n = ms->ncand, i = 0;
    while (i < n) {
        uint32_t cat = c[i].category;
        int has_exceptions = c[i].exception != 0;
        if (has_exceptions) next_stamp(ms);
        for (; i < n && c[i].category == cat && c[i].exception; i++)
            for (uint32_t k = c[i].first; k < c[i].last; k++) ms->mark[k] = ms->stamp;
        uint32_t end = 0;
        for (; i < n && c[i].category == cat; i++) {
            if (c[i].first < end) continue;
            if (has_exceptions && overlaps_exception(ms, &c[i])) continue;
            emit(out, &c[i]);
            end = c[i].last;
        }
    }
}

void lexicon_match(const lexicon *lx, const word_list *words, match_scratch *ms,
                   match_list *out, diag_list *d, const char *source, long line)
{
    if (!lx || !lx->finished || !words || !words->n) return;   /* unfinished: nothing matches */
    ms->ncand = 0;
    find_literal_matches(lx, words, ms);
    if (lx->nregex) find_regex_matches(lx, words, ms, d, source, line);
    if (!ms->ncand) return;
    ms->sort_tmp = xgrow(ms->sort_tmp, &ms->tmp_cap, ms->ncand, sizeof *ms->sort_tmp);
    sort_candidates(ms->cand, ms->sort_tmp, ms->ncand);
    select_matches(words, ms, out);
}
