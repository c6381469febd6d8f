/* lexcheck.c: `dyad lexicon check` (see lexcheck.h).
 *
 * The files are loaded as a run loads them (.lex files and folders first,
 * then .dic files), so the same messages come out. Then the rules are
 * compared with each other: a phrase covers another when, word by word, it
 * matches everything the other matches (an exact word covers itself, a
 * prefix covers every word and longer prefix it starts), has as many words
 * and no ^ the other lacks. The covering phrase makes the same match at the
 * same place, so of the two the earlier in rule order always wins the tie:
 * the other is shadowed if it comes later, redundant if it comes first.
 * With a corpus, every transcript is read and tokenized as a run does and
 * the matches lexicon_match keeps are counted per rule. */
#include "lexcheck/lexcheck.h"
#include "analysis/dic.h"
#include "analysis/words.h"
#include "batch/inputs.h"
#include "model/roles.h"
#include "model/session.h"
#include "writers/csv.h"
#include "util/xalloc.h"

#include <errno.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_RULE ((size_t)-1)

static const char USAGE[] =
    "usage: dyad lexicon check FILE... [--corpus PATH...] [-o FILE.csv]\n"
    "Check lexicon files (.lex files, folders of them, LIWC .dic dictionaries): errors,\n"
    "duplicate rules, rules another rule shadows or makes redundant, exceptions that\n"
    "never apply and, with --corpus, how many matches each rule counted.\n"
    "\n"
    "  --corpus PATH...  transcripts (files or folders, any format dyad reads)\n"
    "  -o FILE.csv       also write rule,category,text,fired as CSV\n"
    "  --format NAME     read every transcript as this format (%s)\n"
    "  --columns SPEC    CSV columns, as for a run\n"
    "  --tiers NAMES     ELAN tiers, as for a run\n"
    "  --roles FILE      speaker roles, as for a run (the text reader then accepts those labels)\n"
    "  -h, --help        this help\n"
    "\n"
    ".lex files and folders are loaded first, in the order given, then .dic files.\n"
    "Exit status: 0 nothing found, 1 warnings, 2 errors or a usage error.\n";

/* ------------------------------------------------------------------------
 * Comparing rules. */

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Rule word s (a prefix when s_prefix) matches every word r matches. */
static int word_covers(const char *s, int s_prefix, const char *r, int r_prefix)
{
    if (!s_prefix) return !r_prefix && strcmp(s, r) == 0;
    return starts_with(r, s);
}

/* Some transcript word matches both rule words. */
static int words_compatible(const char *a, int a_prefix, const char *b, int b_prefix)
{
    if (!a_prefix && !b_prefix) return strcmp(a, b) == 0;
    if (a_prefix && !b_prefix) return starts_with(b, a);
    if (!a_prefix) return starts_with(a, b);
    return starts_with(a, b) || starts_with(b, a);
}

static int same_dic(const rule_info *a, const rule_info *b)
{
    return dic_is_dic_path(a->source) && strcmp(a->source, b->source) == 0;
}

/* Whether phrase rule s matches at least wherever phrase rule r does, over
 * the same words. */
static int phrase_covers(const lexicon *lx, size_t s, const rule_info *si, size_t r, const rule_info *ri)
{
    if (si->n_words != ri->n_words || si->conditional || (si->anchored && !ri->anchored)) return 0;
    for (size_t k = 0; k < ri->n_words; k++) {
        int sp, rp;
        const char *sw = lexicon_rule_word(lx, s, k, &sp), *rw = lexicon_rule_word(lx, r, k, &rp);
        if (!word_covers(sw, sp, rw, rp)) return 0;
    }
    return 1;
}

/* The counted, unconditional phrases that may cover others, by category
 * and first word. */
typedef struct head {
    size_t category;
    const char *word;
    size_t rule;
    size_t n_words;
} head;

static int compare_heads(const void *a, const void *b)
{
    const head *x = a, *y = b;
    if (x->category != y->category) return x->category < y->category ? -1 : 1;
    int c = strcmp(x->word, y->word);
    if (c) return c;
    return (x->rule > y->rule) - (x->rule < y->rule);
}

static head *collect_heads(const lexicon *lx, size_t *count)
{
    size_t nrules = lexicon_rule_count(lx), n = 0;
    head *v = xmalloc((nrules ? nrules : 1) * sizeof *v);
    for (size_t r = 0; r < nrules; r++) {
        rule_info ri;
        lexicon_rule_info(lx, r, &ri);
        if (ri.regex || ri.exception || ri.conditional || !ri.n_words) continue;
        v[n++] = (head){ri.category, lexicon_rule_word(lx, r, 0, NULL), r, ri.n_words};
    }
    qsort(v, n, sizeof *v, compare_heads);
    *count = n;
    return v;
}

/* Compare a head with (category, the first len bytes of word). */
static int head_order(const head *h, size_t category, const char *word, size_t len)
{
    if (h->category != category) return h->category < category ? -1 : 1;
    size_t hlen = strlen(h->word);
    int c = memcmp(h->word, word, hlen < len ? hlen : len);
    if (c) return c;
    return (hlen > len) - (hlen < len);
}

/* The first head equal to (category, word[0..len)), or n. */
static size_t find_head(const head *v, size_t n, size_t category, const char *word, size_t len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (head_order(&v[mid], category, word, len) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && head_order(&v[lo], category, word, len) == 0 ? lo : n;
}

/* The earliest rule that covers phrase r, preferring one before it
 * (*earlier = 1); NO_RULE when none does. Candidates are the heads whose
 * first word is r's first word or a prefix of it. */
static size_t find_cover(const lexicon *lx, const head *heads, size_t nheads, size_t r, const rule_info *ri,
                         int *earlier)
{
    const char *w0 = lexicon_rule_word(lx, r, 0, NULL);
    size_t len = strlen(w0), before = NO_RULE, after = NO_RULE;
    for (size_t l = 1; l <= len; l++) {
        for (size_t i = find_head(heads, nheads, ri->category, w0, l);
             i < nheads && head_order(&heads[i], ri->category, w0, l) == 0; i++) {
            size_t s = heads[i].rule;
            if (heads[i].n_words != ri->n_words) continue;
            rule_info si;
            lexicon_rule_info(lx, s, &si);
            if (s == r || same_dic(&si, ri) || !phrase_covers(lx, s, &si, r, ri)) continue;
            if (s < r && (before == NO_RULE || s < before)) before = s;
            if (s > r && (after == NO_RULE || s < after)) after = s;
        }
    }
    *earlier = before != NO_RULE;
    return *earlier ? before : after;
}

/* Whether phrases x and r can match overlapping words: in some alignment,
 * every word they share could be the same transcript word. */
static int may_overlap(const lexicon *lx, size_t x, size_t nx, size_t r, size_t nr)
{
    for (long shift = 1 - (long)nr; shift < (long)nx; shift++) {   /* r starts at x's word `shift` */
        int ok = 1;
        for (size_t k = 0; k < nx && ok; k++) {
            long j = (long)k - shift;
            if (j < 0 || j >= (long)nr) continue;
            int xp, rp;
            const char *xw = lexicon_rule_word(lx, x, k, &xp), *rw = lexicon_rule_word(lx, r, (size_t)j, &rp);
            ok = words_compatible(xw, xp, rw, rp);
        }
        if (ok) return 1;
    }
    return 0;
}

/* A phrase exception no counted rule of its category can overlap. With a
 * regex in the category nothing is known. */
static int exception_never_applies(const lexicon *lx, size_t x, const rule_info *xi)
{
    for (size_t r = 0; r < lexicon_rule_count(lx); r++) {
        rule_info ri;
        lexicon_rule_info(lx, r, &ri);
        if (ri.category != xi->category || ri.exception) continue;
        if (ri.regex || may_overlap(lx, x, xi->n_words, r, ri.n_words)) return 0;
    }
    return 1;
}

size_t lexcheck_overlaps(const lexicon *lx, diag_list *d)
{
    size_t nheads, found = 0;
    head *heads = collect_heads(lx, &nheads);
    for (size_t r = 0; r < lexicon_rule_count(lx); r++) {
        rule_info ri;
        lexicon_rule_info(lx, r, &ri);
        const char *cat = lexicon_category_name(lx, ri.category);
        if (ri.regex) continue;
        if (ri.exception) {
            if (exception_never_applies(lx, r, &ri)) {
                diag_add(d, ri.source, ri.line, SEV_WARNING,
                         "exception '%s' never applies: no rule of [%s] can match a word it covers; delete it",
                         ri.text, cat);
                found++;
            }
            continue;
        }
        int earlier;
        size_t s = find_cover(lx, heads, nheads, r, &ri, &earlier);
        if (s == NO_RULE) continue;
        rule_info si;
        lexicon_rule_info(lx, s, &si);
        if (earlier)
            diag_add(d, ri.source, ri.line, SEV_WARNING,
                     "rule '%s' is shadowed by '%s' (%s) in [%s]: it never counts; delete it", ri.text, si.text,
                     si.id, cat);
        else
            diag_add(d, ri.source, ri.line, SEV_WARNING,
                     "rule '%s' is redundant with '%s' (%s) in [%s]: that rule matches everything it matches; "
                     "delete it",
                     ri.text, si.text, si.id, cat);
        found++;
    }
    free(heads);
    return found;
}

/* ------------------------------------------------------------------------
 * Counting over a corpus. */

static void count_session(const lexicon *lx, const session *s, match_scratch *ms, word_list *wl,
                          match_list *ml, size_t *fired, corpus_totals *t, diag_list *d)
{
    t->sessions++;
    for (size_t u = 0; u < s->n_utts; u++) {
        const utterance *ut = &s->utts[u];
        words_split(ut->text, wl);
        t->utterances++;
        t->words += wl->n;
        ml->n = 0;
        lexicon_match(lx, wl, ms, ml, d, s->source, ut->line);
        for (size_t i = 0; i < ml->n; i++) fired[ml->m[i].rule]++;
    }
}

void lexcheck_count(const lexicon *lx, const char *const *paths, size_t n, const corpus_options *opt,
                    size_t *fired, corpus_totals *t, diag_list *d)
{
    input_list inputs = {0};
    input_options io = {.forced = opt->forced};
    for (size_t i = 0; i < n; i++) inputs_collect(&inputs, paths[i], &io, d);
    shard_spec everything = {0, 0};
    inputs_finish(&inputs, &everything, d);
    match_scratch *ms = match_scratch_new(lx);
    word_list wl = {0};
    match_list ml = {0};
    input_file in = {0};
    for (size_t i = 0; i < inputs.n; i++) {
        inputs_get(&inputs, i, &in);
        preread pre = {0};
        reader_input ri = {.path = in.path, .source = in.path, .session_id = in.session_id, .pre = &pre};
        session_list sessions = {0};
        size_t errors = diag_count(d, SEV_ERROR);
        t->files++;
        const reader_format *format = input_format(&in, &pre, d);
        int rc = format ? format->read(&ri, &opt->reader, &sessions, d) : -1;
        free(pre.bytes);   /* what the reader did not take */
        if (rc != 0 || sessions.n == 0) {
            if (diag_count(d, SEV_ERROR) == errors)
                diag_add(d, in.path, 0, SEV_ERROR, "no session could be read from this file");
            t->files_failed++;
        } else {
            for (size_t k = 0; k < sessions.n; k++) count_session(lx, &sessions.items[k], ms, &wl, &ml, fired, t, d);
        }
        session_list_free(&sessions);
    }
    input_file_free(&in);
    free(ml.m);
    word_list_free(&wl);
    match_scratch_free(ms);
    inputs_free(&inputs);
}

/* ------------------------------------------------------------------------
 * Reports. They list rules by file (in load order) and line, which is not
 * always rule order: a .dic's rules are made most specific entry first. */

typedef struct listed_rule {
    size_t file, rule;
    long line;
} listed_rule;

static int compare_listed(const void *a, const void *b)
{
    const listed_rule *x = a, *y = b;
    if (x->file != y->file) return x->file < y->file ? -1 : 1;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    return (x->rule > y->rule) - (x->rule < y->rule);
}

/* The rule indexes in listing order (a new array). */
static size_t *listing_order(const lexicon *lx)
{
    size_t n = lexicon_rule_count(lx), nfiles = lexicon_file_count(lx);
    listed_rule *v = xmalloc((n ? n : 1) * sizeof *v);
    for (size_t r = 0; r < n; r++) {
        rule_info ri;
        lexicon_rule_info(lx, r, &ri);
        size_t f = 0;
        while (f < nfiles && strcmp(lexicon_file_path(lx, f), ri.source) != 0) f++;
        v[r] = (listed_rule){f, r, ri.line};
    }
    qsort(v, n, sizeof *v, compare_listed);
    size_t *order = xmalloc((n ? n : 1) * sizeof *order);
    for (size_t i = 0; i < n; i++) order[i] = v[i].rule;
    free(v);
    return order;
}

void lexcheck_csv(buf *out, const lexicon *lx, const size_t *fired)
{
    size_t *order = listing_order(lx);
    buf_adds(out, "rule,category,text,fired\n");
    for (size_t i = 0; i < lexicon_rule_count(lx); i++) {
        size_t r = order[i];
        rule_info ri;
        lexicon_rule_info(lx, r, &ri);
        csv_row row;
        csv_row_start(&row, out);
        csv_text(&row, ri.id);
        csv_text(&row, lexicon_category_name(lx, ri.category));
        csv_text(&row, ri.text);
        if (fired && !ri.exception) csv_uint(&row, fired[r]);
        else csv_empty(&row);
        csv_row_end(&row);
    }
    free(order);
}

/* "1 error", "2 errors". */
static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static size_t max_size(size_t a, size_t b)
{
    return a > b ? a : b;
}

/* One line per rule: how many matches it counted ("-" for an exception,
 * which counts none). */
static void print_fired(FILE *out, const lexicon *lx, const size_t *fired, const corpus_totals *t)
{
    size_t nrules = lexicon_rule_count(lx), id_w = 4, cat_w = 8;
    for (size_t r = 0; r < nrules; r++) {
        rule_info ri;
        lexicon_rule_info(lx, r, &ri);
        id_w = max_size(id_w, strlen(ri.id));
        cat_w = max_size(cat_w, strlen(lexicon_category_name(lx, ri.category)));
    }
    fprintf(out, "counted matches in %zu %s (%zu %s, %zu %s, %zu %s):\n", t->files, plural(t->files, "file", "files"),
            t->sessions, plural(t->sessions, "session", "sessions"), t->utterances,
            plural(t->utterances, "utterance", "utterances"), t->words, plural(t->words, "word", "words"));
    fprintf(out, "%7s  %-*s  %-*s  %s\n", "fired", (int)id_w, "rule", (int)cat_w, "category", "text");
    size_t *order = listing_order(lx);
    for (size_t i = 0; i < nrules; i++) {
        size_t r = order[i];
        rule_info ri;
        lexicon_rule_info(lx, r, &ri);
        char count[24];
        if (ri.exception) snprintf(count, sizeof count, "-");
        else snprintf(count, sizeof count, "%zu", fired[r]);
        fprintf(out, "%7s  %-*s  %-*s  %s\n", count, (int)id_w, ri.id, (int)cat_w,
                lexicon_category_name(lx, ri.category), ri.text);
    }
    free(order);
}

static void warn_never_fired(const lexicon *lx, const size_t *fired, diag_list *d)
{
    size_t *order = listing_order(lx);
    for (size_t i = 0; i < lexicon_rule_count(lx); i++) {
        size_t r = order[i];
        rule_info ri;
        lexicon_rule_info(lx, r, &ri);
        if (ri.exception || fired[r]) continue;
        diag_add(d, ri.source, ri.line, SEV_WARNING, "rule '%s' in [%s] never counted a match in the corpus",
                 ri.text, lexicon_category_name(lx, ri.category));
    }
    free(order);
}

static void print_diags(const diag_list *d, size_t from, FILE *out)
{
    for (size_t i = from; i < d->n; i++) diag_print(&d->items[i], out);
}

static int write_file(const char *path, const buf *b)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t n = b->len ? fwrite(b->data, 1, b->len, f) : 0;
    int failed = n != b->len || ferror(f);
    return fclose(f) != 0 || failed ? -1 : 0;
}

/* ------------------------------------------------------------------------
 * The command line. */

typedef struct check_args {
    const char **files;
    size_t nfiles;
    const char **corpus;
    size_t ncorpus;
    int corpus_given;
    const char *csv;
    const char *roles;
    const char *format;
    const char *columns;
    const char *tiers;
} check_args;

static void add_arg(const char ***v, size_t *n, const char *s)
{
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = s;
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("dyad lexicon check: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'dyad lexicon check --help'.\n", stderr);
    return 2;
}

/* The options that take a value, as "--name VALUE" or "--name=VALUE". */
static const char *const VALUED[] = {"-o", "--roles", "--format", "--columns", "--tiers"};
#define N_VALUED (sizeof VALUED / sizeof VALUED[0])

/* Which of VALUED `arg` is, or -1; *inline_value gets the part after "=". */
static int valued_option(const char *arg, const char **inline_value)
{
    *inline_value = NULL;
    for (size_t k = 0; k < N_VALUED; k++) {
        size_t n = strlen(VALUED[k]);
        if (strncmp(arg, VALUED[k], n) != 0) continue;
        if (arg[n] == '=') *inline_value = arg + n + 1;
        if (arg[n] == '=' || arg[n] == '\0') return (int)k;
    }
    return -1;
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, check_args *a)
{
    const char **slots[N_VALUED] = {&a->csv, &a->roles, &a->format, &a->columns, &a->tiers};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            printf(USAGE, reader_names());
            return 0;
        }
        if (strcmp(arg, "--corpus") == 0) {
            a->corpus_given = 1;
            continue;
        }
        if (arg[0] != '-' || arg[1] == '\0') {
            if (a->corpus_given) add_arg(&a->corpus, &a->ncorpus, arg);
            else add_arg(&a->files, &a->nfiles, arg);
            continue;
        }
        const char *value;
        int k = valued_option(arg, &value);
        if (k < 0) return usage_error("unknown option '%s'", arg);
        if (!value) {
            if (i + 1 >= argc) return usage_error("option '%s' needs a value", VALUED[k]);
            value = argv[++i];
        }
        *slots[k] = value;
    }
    if (!a->nfiles) return usage_error("%s", "no lexicon file: give one or more .lex files, folders or .dic files");
    if (a->corpus_given && !a->ncorpus)
        return usage_error("%s", "--corpus needs one or more transcript files or folders after it");
    if (a->format && !reader_by_name(a->format)) return usage_error("unknown --format '%s'", a->format);
    return -1;
}

/* .lex files and folders first, then .dic files, each in the order given. */
static void load_files(lexicon *lx, const check_args *a, diag_list *d)
{
    for (size_t i = 0; i < a->nfiles; i++)
        if (!dic_is_dic_path(a->files[i])) lexicon_load(lx, a->files[i], d);
    for (size_t i = 0; i < a->nfiles; i++)
        if (dic_is_dic_path(a->files[i])) dic_load(lx, a->files[i], d);
    lexicon_finish(lx, d);
}

/* Count the corpus, print the table and the rules that never counted.
 * Transcript errors go to stderr; returns how many there were. */
static size_t check_corpus(const lexicon *lx, const check_args *a, size_t **fired_out, diag_list *d,
                           size_t *corpus_warnings)
{
    role_map roles = {0};
    diag_list cd = {0};
    size_t *fired = xcalloc(lexicon_rule_count(lx) + 1, sizeof *fired);
    corpus_totals t = {0};
    if (!a->roles || role_map_load(&roles, a->roles, &cd) == 0) {
        corpus_options opt = {.reader = {.roles = &roles, .columns = a->columns, .tiers = a->tiers},
                              .forced = a->format ? reader_by_name(a->format) : NULL};
        xmlInitParser();
        lexcheck_count(lx, a->corpus, a->ncorpus, &opt, fired, &t, &cd);
        xmlCleanupParser();
        print_fired(stdout, lx, fired, &t);
        size_t before = d->n;
        warn_never_fired(lx, fired, d);
        print_diags(d, before, stdout);
    }
    size_t errors = diag_count(&cd, SEV_ERROR);
    for (size_t i = 0; i < cd.n; i++)
        if (cd.items[i].sev == SEV_ERROR) diag_print(&cd.items[i], stderr);
    *corpus_warnings = diag_count(&cd, SEV_WARNING);
    diag_free(&cd);
    role_map_free(&roles);
    *fired_out = fired;
    return errors;
}

int lexicon_check_main(int argc, char **argv)
{
    check_args a = {0};
    int status = parse_args(argc, argv, &a);
    if (status >= 0) {
        free(a.files);
        free(a.corpus);
        return status;
    }
    diag_list d = {0};
    lexicon *lx = lexicon_new();
    load_files(lx, &a, &d);
    lexcheck_overlaps(lx, &d);
    print_diags(&d, 0, stdout);
    size_t *fired = NULL, corpus_errors = 0, corpus_warnings = 0;
    if (a.corpus_given && diag_count(&d, SEV_ERROR)) puts("corpus not read: fix the errors above first");
    else if (a.corpus_given) corpus_errors = check_corpus(lx, &a, &fired, &d, &corpus_warnings);
    size_t errors = diag_count(&d, SEV_ERROR), warnings = diag_count(&d, SEV_WARNING);
    size_t files = lexicon_file_count(lx), rules = lexicon_rule_count(lx), cats = lexicon_category_count(lx);
    printf("%zu %s, %zu %s in %zu %s: %zu %s, %zu %s\n", files, plural(files, "file", "files"), rules,
           plural(rules, "rule", "rules"), cats, plural(cats, "category", "categories"), errors,
           plural(errors, "error", "errors"), warnings, plural(warnings, "warning", "warnings"));
    if (corpus_errors || corpus_warnings)
        printf("the transcripts gave %zu %s (on stderr) and %zu %s (run dyad on them to see those)\n",
               corpus_errors, plural(corpus_errors, "error", "errors"), corpus_warnings,
               plural(corpus_warnings, "warning", "warnings"));
    status = errors || corpus_errors ? 2 : warnings ? 1 : 0;
    if (a.csv) {
        buf out = {0};
        lexcheck_csv(&out, lx, fired);
        if (write_file(a.csv, &out) != 0) {
            fprintf(stderr, "%s: error: cannot write the CSV: %s; check the folder exists and is writable\n", a.csv,
                    strerror(errno));
            status = 2;
        }
        buf_free(&out);
    }
    free(fired);
    lexicon_free(lx);
    diag_free(&d);
    free(a.files);
    free(a.corpus);
    return status;
}
