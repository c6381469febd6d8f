/* lexicon_load.c: reading .lex files (and building rules in code for the
 * .dic reader) into a lexicon, and lexicon_finish, which builds the index
 * the matcher reads: hash maps from the exact first word, from the exact
 * first two words and from first-word prefixes, the regex prefilter's
 * literals (regex_literals.h) and the sentence-start filters. See
 * lexicon.c for the matcher and docs/lexicon-format.md for the format. */
#include "analysis/lexicon_impl.h"
#include "readers/source.h"
#include "util/buf.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static void map_insert_slot(map_slot *slots, size_t cap, map_slot item)
{
    size_t i = slot_index(item.hash, cap);
    while (slots[i].key) i = (i + 1) & (cap - 1);
    slots[i] = item;
}

/* Add key -> value under the hash h, with head in its slot (map_slot.head);
 * the key must not be in the map yet. */
static void map_put_with_head(strmap *m, const char *key, size_t len, uint64_t h, uint64_t head, uint32_t value)
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
    map_slot item = {h, head, key, (uint32_t)len, value};
    map_insert_slot(m->slots, m->cap, item);
    m->n++;
}

/* map_put_with_head with the head every map but pair_first keeps: the
 * key_head of a key of up to 8 bytes, else 0. */
static void map_put_hashed(strmap *m, const char *key, size_t len, uint64_t h, uint32_t value)
{
    map_put_with_head(m, key, len, h, len <= 8 ? key_head(key, len) : 0, value);
}

static void map_put(strmap *m, const char *key, size_t len, uint32_t value)
{
    map_put_hashed(m, key, len, hash_bytes(key, len), value);
}

static int map_get(const strmap *m, const char *key, size_t len, uint32_t *value)
{
    const map_slot *s = map_find(m, hash_bytes(key, len), key, len);
    if (!s) return 0;
    *value = s->value;
    return 1;
}

/* Give a map its filter, once every key is in. */
static void map_add_filter(strmap *m)
{
    if (!m->n) return;
    m->filter = xcalloc(MAP_FILTER_BITS / 64, sizeof *m->filter);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].key) continue;
        size_t bit = filter_bit(m->slots[i].hash);
        m->filter[bit / 64] |= (uint64_t)1 << (bit % 64);
    }
}

static void map_free(strmap *m)
{
    free(m->filter);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static void gram_index_free(gram_index *gx)
{
    for (size_t i = 0; i < gx->n; i++) free(gx->lits[i].s);
    free(gx->lits);
    free(gx->three.slots);
    free(gx->four.slots);
    free(gx->heads);
    memset(gx, 0, sizeof *gx);
}

static void free_words(rule_word *words, size_t n)
{
    for (size_t i = 0; i < n; i++) free(words[i].text);
    free(words);
}

static void free_cond(rule_cond *c)
{
    if (!c) return;
    free_words(c->unless, c->nunless);
    free_words(c->near, c->nnear);
    free(c);
}

/* A path as the lexicon keeps it for rules and categories: one copy each. */
static const char *intern_source(lexicon *lx, const char *path)
{
    for (size_t i = lx->nsources; i > 0; i--)
        if (strcmp(lx->sources[i - 1], path) == 0) return lx->sources[i - 1];
    lx->sources = xgrow(lx->sources, &lx->sources_cap, lx->nsources + 1, sizeof *lx->sources);
    return lx->sources[lx->nsources++] = xstrdup(path);
}

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

static void word_bits_free(word_bits *wb);

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
        free_cond(r->cond);
        free(r->id);
        free(r->text);
        free(r->dup_key);
        pcre2_code_free(r->re);
    }
    for (size_t i = 0; i < lx->nfiles; i++) free(lx->files[i].path);
    for (size_t i = 0; i < lx->nsources; i++) free(lx->sources[i]);
    free(lx->sources);
    free(lx->cats);
    free(lx->rules);
    free(lx->files);
    map_free(&lx->cat_names);
    map_free(&lx->dup_keys);
    map_free(&lx->exact_first);
    map_free(&lx->pair_first);
    map_free(&lx->prefix_first);
    for (size_t i = 0; i < lx->npair_keys; i++) free(lx->pair_keys[i]);
    free(lx->pair_keys);
    gram_index_free(&lx->at_word);
    gram_index_free(&lx->anywhere);
    map_free(&lx->lit_words);
    map_free(&lx->lit_prefixes);
    free(lx->lit_prefix_lens);
    free(lx->lit_groups);
    free(lx->lit_items);
    word_bits_free(&lx->starts);
    word_bits_free(&lx->fillers);
    word_bits_free(&lx->filler_rests);
    word_bits_free(&lx->filler_seconds);
    for (size_t k = 0; k < FILLER_RULES; k++) {
        pcre2_code_free(lx->filler_first_re[k]);
        pcre2_code_free(lx->filler_second_re[k]);
    }
    free(lx->ranges);
    free(lx->postings);
    free(lx->prefix_lens);
    free(lx->counted_regex);
    free(lx->counted_gate);
    free(lx->clause_gate_bits);
    free(lx->regex_exceptions);
    free(lx->cat_exceptions);
    free(lx->exception_cat_bits);
    free(lx->cat_literal_exceptions);
    free(lx->cat_streamed);
    free(lx->cat_one_word);
    pcre2_compile_context_free(lx->cctx);
    pcre2_general_context_free(lx->gctx);
    free(lx);
}

/* ------------------------------------------------------------------------
 * Parsing. */

typedef struct parser {
    lexicon *lx;
    const char *source;    /* the path, for messages (interned) */
    const char *file;      /* the file name without folders, for rule ids */
    diag_list *d;
    long line;
    long category;         /* current category; NO_CATEGORY or BROKEN_HEADER */
    int told_no_category;  /* "rule before any category" said once per file */
    int errors;
    const rule_conditions *cond;   /* lexicon_add_rule_if: conditions of the rule */
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

static uint32_t add_category(lexicon *lx, const char *name, size_t n, const char *source, long line)
{
    lx->cats = xgrow(lx->cats, &lx->cats_cap, lx->ncats + 1, sizeof *lx->cats);
    category *c = &lx->cats[lx->ncats];
    c->name = xstrndup(name, n);
    c->description = xstrdup("");
    c->source = intern_source(lx, source);
    c->line = line;
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
    if (!map_get(&lx->cat_names, name, name_len, &cat)) cat = add_category(lx, name, name_len, p->source, p->line);
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

char *lexicon_fold(const char *s, size_t n)
{
    buf out = {0};
    fold_word(s, n, &out);
    return buf_take(&out);
}

int lexicon_word_can_match(const char *s, size_t n, int prefix)
{
    return word_can_match(s, n, prefix);
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

/* Append v in decimal: what buf_addf's %lu would give, without parsing a
 * format for every rule of a lexicon. */
static void buf_add_decimal(buf *b, unsigned long v)
{
    char digits[24];
    size_t i = sizeof digits;
    do digits[--i] = (char)('0' + v % 10);
    while (v /= 10);
    buf_add(b, digits + i, sizeof digits - i);
}

/* What a parsed rule holds before add_rule keeps it. */
static void free_parsed_rule(rule *r)
{
    free_words(r->words, r->nwords);
    free_cond(r->cond);
    free(r->id);
    free(r->text);
    pcre2_code_free(r->re);
}

/* Keep a parsed rule, unless the category already has the same one. */
static void add_rule(parser *p, rule *r)
{
    lexicon *lx = p->lx;
    buf key = {0};   /* "CATEGORY\nTEXT" */
    buf_add_decimal(&key, r->category);
    buf_addc(&key, '\n');
    buf_adds(&key, r->text);
    uint32_t first;
    if (map_get(&lx->dup_keys, key.data, key.len, &first)) {
        diag_add(p->d, p->source, p->line, SEV_WARNING,
                 "duplicate rule \"%s\" in [%s]: %s repeats %s and is ignored; delete one of them",
                 r->text, lx->cats[r->category].name, r->id, lx->rules[first].id);
        buf_free(&key);
        free_parsed_rule(r);
        return;
    }
    if (lx->nrules >= RULES_MAX) {   /* over 100 GB of rules before this */
        diag_add(p->d, p->source, p->line, SEV_ERROR, "too many rules (at most %u); the rest are ignored",
                 RULES_MAX);
        buf_free(&key);
        free_parsed_rule(r);
        return;
    }
    r->dup_key = buf_take(&key);
    lx->rules = xgrow(lx->rules, &lx->rules_cap, lx->nrules + 1, sizeof *lx->rules);
    lx->rules[lx->nrules] = *r;
    map_put(&lx->dup_keys, r->dup_key, strlen(r->dup_key), (uint32_t)lx->nrules);
    lx->nrules++;
}

/* Condition words ("care", "career*") folded like phrase words. Returns 0,
 * or -1 after an error. */
static int condition_words(parser *p, const char *const *in, size_t n, rule_word **out, uint32_t *count)
{
    *out = NULL;
    *count = 0;
    if (!n) return 0;
    rule_word *words = xcalloc(n, sizeof *words);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(in[i]);
        const char *star = memchr(in[i], '*', len);
        int bare = len == 1 && star;
        if (!len || bare || (star && star != in[i] + len - 1)) {
            parse_error(p, "bad condition word \"%s\": write a word, or the start of one followed by *",
                        in[i]);
            free_words(words, i);
            return -1;
        }
        buf folded = {0};
        fold_word(in[i], len - (star != NULL), &folded);
        words[i].len = (uint32_t)folded.len;
        words[i].prefix = star != NULL;
        words[i].text = buf_take(&folded);
    }
    *out = words;
    *count = (uint32_t)n;
    return 0;
}

/* Give a phrase rule being parsed the parser's conditions; the note joins
 * its text. Returns 0, or -1 after an error. */
static int attach_conditions(parser *p, rule *r, buf *text)
{
    const rule_conditions *c = p->cond;
    if (r->re) {
        parse_error(p, "conditions given for a regex (a bug in dyad): only phrases take conditions");
        return -1;
    }
    rule_cond *rc = xcalloc(1, sizeof *rc);
    rc->side = (int8_t)(c->side < 0 ? -1 : c->side > 0 ? 1 : 0);
    rc->negated = (uint8_t)(c->negated != 0);
    if (condition_words(p, c->unless, c->n_unless, &rc->unless, &rc->nunless) < 0 ||
        (rc->side && condition_words(p, c->near, c->n_near, &rc->near, &rc->nnear) < 0)) {
        free_cond(rc);
        return -1;
    }
    if (c->note && c->note[0]) buf_addf(text, " %s", c->note);
    r->cond = rc;
    return 0;
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
    if (p->cond && attach_conditions(p, &r, &text) < 0) {
        free_words(r.words, r.nwords);
        pcre2_code_free(r.re);
        buf_free(&text);
        return;
    }
    r.category = (uint32_t)p->category;
    r.text = buf_take(&text);
    buf id = {0};   /* "FILE:LINE" */
    buf_adds(&id, p->file);
    buf_addc(&id, ':');
    if (p->line < 0) buf_addc(&id, '-');
    buf_add_decimal(&id, p->line < 0 ? 0UL - (unsigned long)p->line : (unsigned long)p->line);
    r.id = buf_take(&id);
    r.source = p->source;
    r.line = p->line;
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
    parser p = {lx, intern_source(lx, source), base_name(source), d, 0, NO_CATEGORY, 0, 0, NULL};
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
    buf raw = {0};
    if (diag_read_file(&raw, path, "lexicon", d) != 0) {
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

/* A name ending in ".dic", any case. */
static int is_dic_name(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcasecmp(path + n - 4, ".dic") == 0;
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
        diag_add(d, folder, 0, SEV_ERROR, "cannot read lexicon folder: %s; check its permissions", strerror(errno));
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
    if (is_dic_name(path)) {
        diag_add(d, path, 0, SEV_ERROR,
                 "this is a LIWC dictionary (.dic), not a .lex lexicon: give it with --dic instead of --lexicon");
        return -1;
    }
    return load_file(lx, path, d);
}

/* ------------------------------------------------------------------------
 * Building in code (the .dic reader). */

void lexicon_add_file(lexicon *lx, const char *path, const char *bytes, size_t n)
{
    add_file(lx, path, bytes, n);
}

int lexicon_add_category(lexicon *lx, const char *name, const char *description, const char *source, long line)
{
    size_t n = strlen(name);
    if (lx->finished || !valid_category_name(name, n)) return -1;
    uint32_t cat;
    if (!map_get(&lx->cat_names, name, n, &cat)) cat = add_category(lx, name, n, source, line);
    if (description && description[0] && !lx->cats[cat].description[0]) {
        free(lx->cats[cat].description);
        lx->cats[cat].description = xstrdup(description);
    }
    return (int)cat;
}

static int add_rule_text(lexicon *lx, const char *category, const char *description, const char *rule_text,
                         const rule_conditions *cond, const char *source, long line, diag_list *d)
{
    parser p = {lx, intern_source(lx, source), base_name(source), d, line, NO_CATEGORY, 0, 0, cond};
    if (lx->finished) {
        parse_error(&p, "rule added after lexicon_finish (a bug in dyad): add every rule first");
        return -1;
    }
    int cat = lexicon_add_category(lx, category, description, source, line);
    if (cat < 0) {
        char *fix = suggest_category_name(category, strlen(category));
        parse_error(&p, "bad category name \"%s\": use only lowercase letters, digits and _, as in [%s]",
                    category, fix);
        free(fix);
        return -1;
    }
    p.category = cat;
    const char *s = rule_text;
    size_t n = strlen(s);
    trim(&s, &n);
    if (!n || s[0] == '#' || s[0] == '[') {
        parse_error(&p, "\"%s\" is not a rule: write a phrase, ^phrase, /regex/ or ! exception", rule_text);
        return -1;
    }
    parse_line(&p, s, n);
    return p.errors ? -1 : 0;
}

int lexicon_add_rule(lexicon *lx, const char *category, const char *description, const char *rule_text,
                     const char *source, long line, diag_list *d)
{
    return add_rule_text(lx, category, description, rule_text, NULL, source, line, d);
}

int lexicon_add_rule_if(lexicon *lx, const char *category, const char *rule_text, const rule_conditions *cond,
                        const char *source, long line, diag_list *d)
{
    return add_rule_text(lx, category, NULL, rule_text, cond, source, line, d);
}

/* ------------------------------------------------------------------------
 * The index over literal rules. A phrase whose first two words are exact is
 * filed under both ("first\0second" in pair_first), so a common first word
 * such as "i" or "you" does not send every phrase starting with it to
 * word-by-word checking; its first word's exact_first entry says that pairs
 * exist. A phrase whose first word is a prefix is filed under that prefix;
 * every other phrase under its exact first word. */

/* The index of key's group in the array v (n of cap), filed in m: found,
 * or a new empty one. */
static uint32_t range_group(strmap *m, const char *key, size_t len, rule_range **v, size_t *n, size_t *cap)
{
    uint32_t idx;
    if (map_get(m, key, len, &idx)) return idx;
    *v = xgrow(*v, cap, *n + 1, sizeof **v);
    memset(&(*v)[*n], 0, sizeof **v);
    map_put(m, key, len, (uint32_t)*n);
    return (uint32_t)(*n)++;
}

static uint32_t group_for(lexicon *lx, strmap *m, const char *key, size_t len)
{
    return range_group(m, key, len, &lx->ranges, &lx->nranges, &lx->ranges_cap);
}

static int filed_by_pair(const rule *r)
{
    return r->nwords >= 2 && !r->words[0].prefix && !r->words[1].prefix;
}

/* Pairs are hashed from their words' hashes (hash_pair), as matching does. */
static uint32_t pair_group_for(lexicon *lx, const rule_word *w)
{
    uint32_t first = group_for(lx, &lx->exact_first, w[0].text, w[0].len);
    lx->ranges[first].has_pairs = 1;
    unsigned b = pair_bit(hash_bytes(w[1].text, w[1].len));
    lx->ranges[first].pair_seconds[b / 64] |= (uint64_t)1 << (b % 64);
    buf key = {0};
    buf_add(&key, w[0].text, w[0].len);
    buf_addc(&key, '\0');
    buf_add(&key, w[1].text, w[1].len);
    uint64_t h = hash_pair(hash_bytes(w[0].text, w[0].len), hash_bytes(w[1].text, w[1].len));
    const map_slot *slot = map_find(&lx->pair_first, h, key.data, key.len);
    if (slot) {
        buf_free(&key);
        return slot->value;
    }
    size_t len = key.len;
    lx->pair_keys = xgrow(lx->pair_keys, &lx->pair_keys_cap, lx->npair_keys + 1, sizeof *lx->pair_keys);
    char *owned = lx->pair_keys[lx->npair_keys++] = buf_take(&key);
    lx->ranges = xgrow(lx->ranges, &lx->ranges_cap, lx->nranges + 1, sizeof *lx->ranges);
    memset(&lx->ranges[lx->nranges], 0, sizeof *lx->ranges);
    /* a pair of words of up to 8 bytes each keeps its first word's key_head:
     * find_pair tells such pairs apart without a look at the key */
    uint64_t head = w[0].len <= 8 && w[1].len <= 8 ? key_head(w[0].text, w[0].len) : 0;
    map_put_with_head(&lx->pair_first, owned, len, h, head, (uint32_t)lx->nranges);
    return (uint32_t)lx->nranges++;
}

static uint32_t literal_group(lexicon *lx, const rule *r)
{
    const rule_word *w = r->words;
    if (w[0].prefix) return group_for(lx, &lx->prefix_first, w[0].text, w[0].len);
    if (filed_by_pair(r)) return pair_group_for(lx, w);
    return group_for(lx, &lx->exact_first, w[0].text, w[0].len);
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

/* A rule that matches wherever its one word is, in a streamed category:
 * found through the word memo alone, its match needs no check. */
static int is_direct(const lexicon *lx, const rule *r)
{
    return !r->re && r->nwords == 1 && !r->anchored && !r->cond && lx->cat_streamed[r->category];
}

/* lexicon.cat_one_word: the streamed categories whose rules are all
 * direct. A memo entry counts such pairs in 16 bits (memo_entry.nsingle),
 * one per category: with more categories than that, none is one-word. */
static void mark_one_word_categories(lexicon *lx)
{
    lx->cat_one_word = xmalloc(lx->ncats ? lx->ncats : 1);
    memcpy(lx->cat_one_word, lx->cat_streamed, lx->ncats);
    if (lx->ncats > UINT16_MAX) memset(lx->cat_one_word, 0, lx->ncats);
    for (size_t i = 0; i < lx->nrules; i++)
        if (!is_direct(lx, &lx->rules[i])) lx->cat_one_word[lx->rules[i].category] = 0;
}

/* rule_range.at_starts: the ranges whose postings to check are all
 * anchored. */
static void mark_ranges_at_starts(lexicon *lx)
{
    for (size_t g = 0; g < lx->nranges; g++) {
        rule_range *rg = &lx->ranges[g];
        rg->at_starts = rg->count != 0;
        for (uint32_t k = 0; k < rg->count; k++) rg->at_starts &= lx->postings[rg->start + k].anchored;
    }
}

/* rule_range.next_bytes: for the ranges whose postings to check all check
 * a next word, the buckets of that word's first two bytes; a prefix of one
 * byte goes on with any second byte, so allows every bucket. */
static void mark_ranges_next_bytes(lexicon *lx)
{
    for (size_t g = 0; g < lx->nranges; g++) {
        rule_range *rg = &lx->ranges[g];
        uint64_t bits = 0;
        for (uint32_t k = 0; k < rg->count; k++) {
            const posting *pp = &lx->postings[rg->start + k];
            if (!pp->next_len) {
                bits = 0;
                break;
            }
            /* key_head: the bytes in order, zeros past the word (a word of
             * one byte is followed by its NUL in the text) */
            const unsigned char *head = (const unsigned char *)&pp->next_head;
            if (pp->next_len == 1 && pp->next_prefix) bits = UINT64_MAX;
            else bits |= next_bytes_bit(head[0], head[1]);
        }
        rg->next_bytes = bits;
    }
}

static void build_literal_index(lexicon *lx)
{
    size_t nliteral = 0;
    uint32_t *group_of = xmalloc((lx->nrules ? lx->nrules : 1) * sizeof *group_of);
    for (size_t i = 0; i < lx->nrules; i++) {
        if (lx->rules[i].re) continue;
        group_of[i] = literal_group(lx, &lx->rules[i]);
        if (is_direct(lx, &lx->rules[i])) lx->ranges[group_of[i]].ndirect++;
        else lx->ranges[group_of[i]].count++;
        nliteral++;
    }
    /* each range's postings in rule order, the direct ones after the others:
     * filled[g] counts those placed so far */
    uint32_t *filled = xcalloc(lx->nranges ? lx->nranges : 1, sizeof *filled);
    uint32_t start = 0;
    for (size_t i = 0; i < lx->nranges; i++) {
        lx->ranges[i].start = start;
        start += lx->ranges[i].count + lx->ranges[i].ndirect;
    }
    lx->postings = xmalloc((nliteral ? nliteral : 1) * sizeof *lx->postings);
    for (int direct = 0; direct < 2; direct++) {
        for (size_t i = 0; i < lx->nrules; i++) {
            const rule *r = &lx->rules[i];
            if (r->re || is_direct(lx, r) != direct) continue;
            const rule_range *rg = &lx->ranges[group_of[i]];
            posting *pp = &lx->postings[rg->start + filled[group_of[i]]++];
            pp->rule = (uint32_t)i;
            pp->category = r->category;
            pp->nwords = r->nwords;
            pp->exception = r->exception;
            pp->simple = !r->cond && r->nwords == (filed_by_pair(r) ? 2u : 1u);
            pp->anchored = r->anchored;
            pp->streamed = lx->cat_streamed[r->category];
            uint32_t from = filed_by_pair(r) ? 2u : 1u;   /* the words its key holds */
            const rule_word *next = !pp->simple && r->nwords > from ? &r->words[from] : NULL;
            pp->next_len = next ? next->len : 0;
            pp->next_prefix = next ? next->prefix : 0;
            pp->next_head = next ? key_head(next->text, next->len) : 0;
        }
    }
    free(filled);
    free(group_of);
    mark_ranges_at_starts(lx);
    mark_ranges_next_bytes(lx);
    collect_prefix_lengths(lx);
    map_add_filter(&lx->exact_first);
    map_add_filter(&lx->pair_first);
    map_add_filter(&lx->prefix_first);
    for (size_t i = 0; i < lx->exact_first.cap; i++) {
        uint32_t len = lx->exact_first.slots[i].len;
        if (lx->exact_first.slots[i].key) lx->exact_lens |= (uint64_t)1 << (len < 63 ? len : 63);
    }
}

/* ------------------------------------------------------------------------
 * The regex prefilter: the literals of every regex rule's clauses, found in
 * an utterance by one scan keyed on their first bytes (gram_index).
 *
 * A literal that starts at a word boundary and with an ASCII letter or digit
 * (regex_literals.h) can only be where the byte before is not one: it is
 * looked for only there ("at_word"), which in a subject of words joined by
 * spaces is little more than once per word. So is one that starts with an
 * ASCII character that is not a word character followed by a letter or
 * digit (" together", "'m not"): the rest is looked for where a word may
 * start, with that character just before it. Other literals need a probe at
 * every byte ("anywhere"); a rule that has a clause of at_word literals
 * keeps only such clauses, so the byte-by-byte scan runs only for lexicons
 * whose regexes give nothing better.
 *
 * Anchored regexes (/^.../) also get a sentence-start filter: the start
 * strings every match begins with give, for each possible first word of a
 * sentence, the bits of the regexes that can match there. */

static gram_slot *gram_slot_for(gram_table *t, uint32_t gram)
{
    uint32_t h = gram_hash(gram), bit = h & (GRAM_FILTER_BITS - 1);
    size_t i = h & (t->cap - 1);
    while (t->slots[i].used && t->slots[i].key != gram) i = (i + 1) & (t->cap - 1);
    if (!t->slots[i].used) {
        t->slots[i].used = 1;
        t->slots[i].key = gram;
        t->filter[bit / 64] |= (uint64_t)1 << (bit % 64);
    }
    return &t->slots[i];
}

/* 0: 3 bytes, 1: 4 to 7, 2: long. */
static int literal_class(const clause_literal *c)
{
    return c->len == 3 ? 0 : c->len < LONG_LITERAL ? 1 : 2;
}

static int compare_clause_literals(const void *a, const void *b)
{
    const clause_literal *x = a, *y = b;
    int cx = literal_class(x), cy = literal_class(y);
    if (cx != cy) return cx - cy;
    if (cx == 2) return (x->head > y->head) - (x->head < y->head);
    uint32_t gx = gram_key((const unsigned char *)x->s, cx ? 4 : 3);
    uint32_t gy = gram_key((const unsigned char *)y->s, cx ? 4 : 3);
    return (gx > gy) - (gx < gy);
}

/* Index the literal s (len bytes, at least 3) of clause `clause`; lead,
 * when nonzero, is the byte that must come before it. */
static void gram_index_add(gram_index *gx, const char *s, size_t len, uint32_t clause, unsigned char lead)
{
    gx->lits = xgrow(gx->lits, &gx->cap, gx->n + 1, sizeof *gx->lits);
    clause_literal *c = &gx->lits[gx->n++];
    c->s = xstrndup(s, len);   /* with its NUL: 4 bytes can be read at it */
    for (size_t i = 0; i < len; i++)
        if (c->s[i] == ' ') c->s[i] = '\0';
    c->len = (uint32_t)len;
    c->clause = clause;
    c->has_lead = lead != 0;
    c->lead = lead == ' ' ? '\0' : lead;
    unsigned char head[8] = {0}, mask[8] = {0};
    size_t h = len < 8 ? len : 8;
    memcpy(head, c->s, h);
    memset(mask, 0xFF, h);
    memcpy(&c->head, head, 8);
    memcpy(&c->mask, mask, 8);
}

static void gram_table_init(gram_table *t, size_t n)
{
    t->cap = 16;
    while (t->cap < 2 * n) t->cap *= 2;
    t->slots = xcalloc(t->cap, sizeof *t->slots);
}

/* Sort the literals and index them (see gram_index). */
static void gram_index_build(gram_index *gx)
{
    size_t n = gx->n, count[3] = {0};
    if (!n) return;
    qsort(gx->lits, n, sizeof *gx->lits, compare_clause_literals);
    for (size_t i = 0; i < n; i++) count[literal_class(&gx->lits[i])]++;
    if (count[0]) gram_table_init(&gx->three, count[0]);
    if (count[1] + count[2]) gram_table_init(&gx->four, count[1] + count[2]);
    gx->heads_cap = 16;
    while (gx->heads_cap < 2 * count[2]) gx->heads_cap *= 2;
    gx->heads = xcalloc(gx->heads_cap, sizeof *gx->heads);
    size_t i = 0;
    while (i < n && literal_class(&gx->lits[i]) < 2) {
        int cls = literal_class(&gx->lits[i]);
        uint32_t gram = gram_key((const unsigned char *)gx->lits[i].s, cls ? 4 : 3);
        size_t j = i;
        while (j < n && literal_class(&gx->lits[j]) == cls &&
               gram_key((const unsigned char *)gx->lits[j].s, cls ? 4 : 3) == gram)
            j++;
        gram_slot *g = gram_slot_for(cls ? &gx->four : &gx->three, gram);
        g->start = (uint32_t)i;
        g->count = (uint32_t)(j - i);
        i = j;
    }
    while (i < n) {
        uint64_t head = gx->lits[i].head;
        size_t j = i;
        while (j < n && gx->lits[j].head == head) j++;
        gram_slot_for(&gx->four, gram_key((const unsigned char *)gx->lits[i].s, 4))->has_long = 1;
        size_t k = head_hash(head) & (gx->heads_cap - 1);
        while (gx->heads[k].count) k = (k + 1) & (gx->heads_cap - 1);
        gx->heads[k] = (head_slot){head, (uint32_t)i, (uint32_t)(j - i)};
        i = j;
    }
}

/* Whether a literal can be looked for only where a word may start (see
 * above); *lead gets the byte that must come before it, or 0. */
static int literal_at_word(const regex_literal *l, unsigned char *lead)
{
    const unsigned char *u = (const unsigned char *)l->s;
    *lead = 0;
    if (l->at_boundary && is_ascii_alnum(u[0])) return 1;
    if (u[0] && u[0] < 0x80 && u[0] != '_' && !is_ascii_alnum(u[0]) && l->len > REGEX_LITERAL_MIN &&
        is_ascii_alnum(u[1])) {
        *lead = u[0];
        return 1;
    }
    return 0;
}

static int clause_at_word(const regex_clause *c)
{
    unsigned char lead;
    for (size_t i = 0; i < c->n; i++)
        if (!literal_at_word(&c->lit[i], &lead)) return 0;
    return 1;
}

/* The regex between the slashes of a regex rule's text ("/re/" or "! /re/"). */
static void rule_pattern(const rule *r, const char **pattern, size_t *len)
{
    const char *slash = strchr(r->text, '/');
    *pattern = slash + 1;
    *len = strlen(slash) - 2;
}

static void add_clauses(lexicon *lx, rule *r, const regex_requirement *req)
{
    int any_at_word = 0;
    for (size_t k = 0; k < req->n; k++) any_at_word |= clause_at_word(&req->clause[k]);
    r->clause_first = (uint32_t)lx->nclauses;
    r->nclauses = 0;
    for (size_t k = 0; k < req->n; k++) {
        const regex_clause *c = &req->clause[k];
        if (any_at_word && !clause_at_word(c)) continue;   /* a weaker filter, but a cheap one */
        uint32_t id = (uint32_t)lx->nclauses++;
        r->nclauses++;
        for (size_t i = 0; i < c->n; i++) {
            unsigned char lead;
            if (literal_at_word(&c->lit[i], &lead))
                gram_index_add(&lx->at_word, c->lit[i].s + (lead != 0), c->lit[i].len - (lead != 0), id, lead);
            else
                gram_index_add(&lx->anywhere, c->lit[i].s, c->lit[i].len, id, 0);
        }
    }
}

/* ---- the sentence-start filter ---- */

/* OR bit into the bits of key s[0..len) of map m (one of wb's). */
static void word_bits_put(word_bits *wb, strmap *m, const char *s, size_t len, uint64_t bit)
{
    uint32_t idx;
    if (!map_get(m, s, len, &idx)) {
        wb->keys = xgrow(wb->keys, &wb->keys_cap, wb->nkeys + 1, sizeof *wb->keys);
        char *key = wb->keys[wb->nkeys++] = xstrndup(s, len);
        wb->bits = xgrow(wb->bits, &wb->bits_cap, wb->nbits + 1, sizeof *wb->bits);
        idx = (uint32_t)wb->nbits;
        wb->bits[wb->nbits++] = 0;
        map_put(m, key, len, idx);
    }
    wb->bits[idx] |= bit;
}

static void word_bits_add_word(word_bits *wb, const char *s, size_t len, uint64_t bit)
{
    word_bits_put(wb, &wb->words, s, len, bit);
}

static void word_bits_add_prefix(word_bits *wb, const char *s, size_t len, uint64_t bit)
{
    word_bits_put(wb, &wb->prefixes, s, len, bit);
    size_t k = 0;
    while (k < wb->nprefix_lens && wb->prefix_lens[k] < len) k++;
    if (k < wb->nprefix_lens && wb->prefix_lens[k] == len) return;
    wb->prefix_lens = xrealloc(wb->prefix_lens, (wb->nprefix_lens + 1) * sizeof *wb->prefix_lens);
    memmove(wb->prefix_lens + k + 1, wb->prefix_lens + k, (wb->nprefix_lens - k) * sizeof *wb->prefix_lens);
    wb->prefix_lens[k] = (uint32_t)len;
    wb->nprefix_lens++;
}

/* A string a match begins with, as the bit of the words that can begin it:
 * up to its first space it is a whole word; without a space a word must
 * start with it. One that starts with a space no word begins. */
static void word_bits_add_start(word_bits *wb, const char *s, size_t len, uint64_t bit)
{
    const char *space = memchr(s, ' ', len);
    if (space == s) return;
    if (space) word_bits_add_word(wb, s, (size_t)(space - s), bit);
    else word_bits_add_prefix(wb, s, len, bit);
}

static void word_bits_free(word_bits *wb)
{
    map_free(&wb->words);
    map_free(&wb->prefixes);
    free(wb->prefix_lens);
    free(wb->bits);
    for (size_t i = 0; i < wb->nkeys; i++) free(wb->keys[i]);
    free(wb->keys);
    memset(wb, 0, sizeof *wb);
}

/* The piece of a filler regex's rest (regex_filler.first_piece or
 * second_piece) compiled to match from a word's start, as the rule's own
 * regex was compiled; `whole`: it must take all of the word. NULL when
 * PCRE2 will not have it or it could match no byte at all (its match
 * would then end before the word, which the words cannot tell). */
static pcre2_code *compile_word_piece(lexicon *lx, const char *piece, int whole)
{
    buf b = {0};
    buf_adds(&b, "^(?:");
    buf_adds(&b, piece);
    buf_adds(&b, whole ? ")\\z" : ")");
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)b.data, b.len, PCRE2_UTF | PCRE2_UCP, &code, &offset, lx->cctx);
    buf_free(&b);
    uint32_t min = 0;
    if (re && (pcre2_pattern_info(re, PCRE2_INFO_MINLENGTH, &min) != 0 || min == 0)) {
        pcre2_code_free(re);
        re = NULL;
    }
    return re;
}

/* Let the words decide slot k's matches when its regex allows
 * (regex_filler.word_by_word) and its pieces compile. */
static void decide_slot_by_words(lexicon *lx, rule *r, size_t k, const regex_filler *f)
{
    if (!f->word_by_word) return;
    pcre2_code *first = compile_word_piece(lx, f->first_piece, f->second_piece != NULL);
    pcre2_code *second = f->second_piece ? compile_word_piece(lx, f->second_piece, 0) : NULL;
    if (!first || (f->second_piece && !second)) {
        pcre2_code_free(first);
        pcre2_code_free(second);
        return;
    }
    lx->filler_first_re[k] = first;
    lx->filler_second_re[k] = second;
    lx->filler_by_word |= (uint32_t)1 << k;
    if (f->at_most_one) lx->filler_at_most_one |= (uint32_t)1 << k;
    r->filler_slot = (uint8_t)(k + 1);
}

/* A regex that begins with a run of filler words gets a filler slot: its
 * filler words, the words its rest can start with and, when known, those
 * the rest can go on with carry the slot's bit (see lexicon.fillers). */
static void add_filler_slot(lexicon *lx, rule *r, const regex_filler *f)
{
    size_t k = lx->nfiller_rules++;
    decide_slot_by_words(lx, r, k, f);
    lx->filler_start_bit[k] = r->start_bit;
    if (f->at_least_one) lx->filler_first |= (uint32_t)1 << k;
    for (size_t i = 0; i < f->words.n; i++)
        word_bits_add_word(&lx->fillers, f->words.lit[i].s, f->words.lit[i].len, (uint64_t)1 << k);
    for (size_t i = 0; i < f->rest.n; i++)
        word_bits_add_start(&lx->filler_rests, f->rest.lit[i].s, f->rest.lit[i].len, (uint64_t)1 << k);
    if (f->second.n) lx->filler_second |= (uint32_t)1 << k;
    for (size_t i = 0; i < f->second.n; i++)
        word_bits_add_start(&lx->filler_seconds, f->second.lit[i].s, f->second.lit[i].len, (uint64_t)1 << k);
}

/* The sentence-start filter bit of an anchored regex whose start strings
 * (req) or filler run are known. */
static void add_start_filter(lexicon *lx, rule *r, const char *pattern, size_t len, const regex_requirement *req)
{
    if (lx->nstart_rules >= START_BITS) return;
    regex_filler f;
    int filler = lx->nfiller_rules < FILLER_RULES && regex_filler_prefix(pattern, len, req, &f);
    if (!filler && !req->start.n) return;
    r->start_bit = (uint64_t)1 << lx->nstart_rules++;
    if (filler) {   /* the filler run tells more than the first word alone */
        add_filler_slot(lx, r, &f);
        regex_filler_free(&f);
        return;
    }
    for (size_t i = 0; i < req->start.n; i++)
        word_bits_add_start(&lx->starts, req->start.lit[i].s, req->start.lit[i].len, r->start_bit);
}

/* The at_word literal c's key for the word memo: the bytes before its
 * first NUL (*whole = 1: the word must be exactly that), or all of it (0:
 * the word must start with it). */
static size_t literal_word_key(const clause_literal *c, int *whole)
{
    const char *nul = memchr(c->s, '\0', c->len);
    *whole = nul != NULL;
    return nul ? (size_t)(nul - c->s) : c->len;
}

static uint32_t literal_group_for(lexicon *lx, strmap *m, const char *key, size_t len)
{
    return range_group(m, key, len, &lx->lit_groups, &lx->nlit_groups, &lx->lit_groups_cap);
}

/* Index at_word's literals by the word they start with (see lit_words):
 * a word's memo entry then lists every literal that can start at it, and
 * only their bytes past the word are left to compare where it occurs. */
static void build_literal_words(lexicon *lx)
{
    const gram_index *gx = &lx->at_word;
    if (!gx->n) return;
    uint32_t *group_of = xmalloc(gx->n * sizeof *group_of);
    size_t nlens = 0, lens_cap = 0;
    for (size_t i = 0; i < gx->n; i++) {
        int whole;
        size_t len = literal_word_key(&gx->lits[i], &whole);
        group_of[i] = literal_group_for(lx, whole ? &lx->lit_words : &lx->lit_prefixes, gx->lits[i].s, len);
        lx->lit_groups[group_of[i]].count++;
        if (whole) continue;
        lx->lit_prefix_lens = xgrow(lx->lit_prefix_lens, &lens_cap, nlens + 1, sizeof *lx->lit_prefix_lens);
        lx->lit_prefix_lens[nlens++] = (uint32_t)len;
    }
    if (nlens) qsort(lx->lit_prefix_lens, nlens, sizeof *lx->lit_prefix_lens, compare_u32);
    for (size_t i = 0; i < nlens; i++)
        if (!lx->nlit_prefix_lens || lx->lit_prefix_lens[lx->nlit_prefix_lens - 1] != lx->lit_prefix_lens[i])
            lx->lit_prefix_lens[lx->nlit_prefix_lens++] = lx->lit_prefix_lens[i];
    uint32_t start = 0;
    for (size_t g = 0; g < lx->nlit_groups; g++) {
        lx->lit_groups[g].start = start;
        start += lx->lit_groups[g].count;
        lx->lit_groups[g].count = 0;
    }
    lx->lit_items = xmalloc(gx->n * sizeof *lx->lit_items);
    for (size_t i = 0; i < gx->n; i++) {   /* in index order within a group */
        rule_range *g = &lx->lit_groups[group_of[i]];
        lx->lit_items[g->start + g->count++] = (uint32_t)i;
    }
    free(group_of);
}

static void build_regex_prefilter(lexicon *lx)
{
    for (size_t i = 0; i < lx->nrules; i++) {
        rule *r = &lx->rules[i];
        if (!r->re) continue;
        const char *pattern;
        size_t len;
        rule_pattern(r, &pattern, &len);
        regex_requirement req;
        regex_requirement_analyse(pattern, len, &req);
        add_clauses(lx, r, &req);
        add_start_filter(lx, r, pattern, len, &req);
        r->matches_at_start = (uint8_t)req.anchored;
        regex_requirement_free(&req);
    }
    gram_index_build(&lx->at_word);
    gram_index_build(&lx->anywhere);
    build_literal_words(lx);
}

/* Order rule indexes by category, keeping rule order within one (an
 * insertion sort: there are few, and only once). Exception regexes are run
 * in this order so each category's sentences are marked once. */
static void sort_by_category(const lexicon *lx, uint32_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t x = v[i];
        size_t j = i;
        for (; j && lx->rules[v[j - 1]].category > lx->rules[x].category; j--) v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Each counted regex's gate (its first clause), and in every clause
 * literal the bit of the regex its clause gates, so that marking literals
 * also gathers the regexes worth considering (the first 64; later ones are
 * checked one by one). */
static void set_counted_gates(lexicon *lx, size_t room)
{
    lx->counted_gate = xmalloc(room * sizeof *lx->counted_gate);
    uint64_t *bit_of_clause = xcalloc(lx->nclauses ? lx->nclauses : 1, sizeof *bit_of_clause);
    for (size_t i = 0; i < lx->ncounted_regex; i++) {
        const rule *r = &lx->rules[lx->counted_regex[i]];
        lx->counted_gate[i] = r->nclauses ? r->clause_first : NO_GATE;
        if (i >= 64) continue;
        if (r->nclauses) bit_of_clause[r->clause_first] = (uint64_t)1 << i;
        else lx->ungated |= (uint64_t)1 << i;
    }
    gram_index *indexes[] = {&lx->at_word, &lx->anywhere};
    for (size_t g = 0; g < 2; g++)
        for (size_t k = 0; k < indexes[g]->n; k++)
            indexes[g]->lits[k].gate_bit = bit_of_clause[indexes[g]->lits[k].clause];
    lx->clause_gate_bits = bit_of_clause;
}

int lexicon_finish(lexicon *lx, diag_list *d)
{
    (void)d;
    if (lx->finished) return 0;
    size_t room = lx->nrules ? lx->nrules : 1;
    lx->counted_regex = xmalloc(room * sizeof *lx->counted_regex);
    lx->regex_exceptions = xmalloc(room * sizeof *lx->regex_exceptions);
    for (size_t i = 0; i < lx->nrules; i++) {
        if (!lx->rules[i].re) continue;
        if (lx->rules[i].exception) lx->regex_exceptions[lx->nregex_exceptions++] = (uint32_t)i;
        else lx->counted_regex[lx->ncounted_regex++] = (uint32_t)i;
    }
    sort_by_category(lx, lx->regex_exceptions, lx->nregex_exceptions);
    lx->cat_exceptions = xcalloc(lx->ncats + 1, sizeof *lx->cat_exceptions);
    lx->cat_literal_exceptions = xcalloc(lx->ncats ? lx->ncats : 1, 1);
    for (size_t i = 0; i < lx->nregex_exceptions; i++) lx->cat_exceptions[lx->rules[lx->regex_exceptions[i]].category + 1]++;
    lx->exception_cat_bits = xcalloc((lx->ncats + 63) / 64, sizeof *lx->exception_cat_bits);
    for (size_t c = 0; c < lx->ncats; c++) {
        if (lx->cat_exceptions[c + 1]) lx->exception_cat_bits[c / 64] |= (uint64_t)1 << (c % 64);
        lx->cat_exceptions[c + 1] += lx->cat_exceptions[c];
    }
    lx->cat_streamed = xmalloc(lx->ncats ? lx->ncats : 1);
    memset(lx->cat_streamed, 1, lx->ncats);
    for (size_t i = 0; i < lx->nrules; i++) {
        const rule *r = &lx->rules[i];
        if (r->exception && !r->re) lx->cat_literal_exceptions[r->category] = 1;
        if (r->exception || r->re) lx->cat_streamed[r->category] = 0;
    }
    build_literal_index(lx);
    mark_one_word_categories(lx);
    build_regex_prefilter(lx);
    lx->use_memo = lx->exact_first.n || lx->prefix_first.n || lx->at_word.n || lx->nstart_rules;
    set_counted_gates(lx, room);
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

const char *lexicon_category_source(const lexicon *lx, size_t cat, long *line)
{
    if (cat >= lx->ncats) return NULL;
    if (line) *line = lx->cats[cat].line;
    return lx->cats[cat].source;
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

void lexicon_rule_info(const lexicon *lx, size_t ri, rule_info *out)
{
    memset(out, 0, sizeof *out);
    if (ri >= lx->nrules) return;
    const rule *r = &lx->rules[ri];
    out->category = r->category;
    out->id = r->id;
    out->text = r->text;
    out->source = r->source;
    out->line = r->line;
    out->exception = r->exception;
    out->anchored = r->anchored;
    out->regex = r->re != NULL;
    out->conditional = r->cond != NULL;
    out->n_words = r->nwords;
}

const char *lexicon_rule_word(const lexicon *lx, size_t ri, size_t k, int *prefix)
{
    if (ri >= lx->nrules || k >= lx->rules[ri].nwords) return NULL;
    const rule_word *w = &lx->rules[ri].words[k];
    if (prefix) *prefix = w->prefix;
    return w->text;
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

