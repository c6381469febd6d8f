/* validate.c: the validation tool behind `make validate`.
 *
 *   validate esconv OUT.csv FILE.jsonl...  ESConv dialogues as a CSV dyad reads
 *   validate report OPTIONS                 docs/validation.md from dyad's reports
 *   validate metrics FILE                   precision, recall, F1, kappa of "EXPERT DYAD" lines
 *   validate auc FILE                       ROC AUC of "GROUP SCORE" lines (group 1 = positive)
 *
 * tools/validate/validate.sh runs dyad on the data and then this program;
 * the metrics and auc commands exist so tests/e2e/test_validate.sh can check
 * the arithmetic on a fixture worked out by hand. Exit status: 0 done (a
 * missed target is not an error), 1 an input is missing or malformed, 2 a
 * usage error. */
#include "agree.h"
#include "esconv.h"
#include "metrics.h"
#include "quality.h"
#include "report.h"
#include "table.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
    "usage: validate esconv OUT.csv FILE.jsonl...\n"
    "       validate report --annomi FILE --annomi-reports DIR [--esconv FILE --esconv-reports DIR]\n"
    "                       [--data FILE]... [--date TEXT] [--commit TEXT] [--split TEXT]\n"
    "                       [--notes FILE] [--errors DIR] [-q] -o OUT.md\n"
    "       validate metrics FILE    (lines \"EXPERT DYAD\", each 0 or 1)\n"
    "       validate auc FILE        (lines \"GROUP SCORE\", group 1 or 0)\n";

static int usage(const char *why)
{
    if (why) fprintf(stderr, "validate: %s\n", why);
    fputs(usage_text, stderr);
    return 2;
}

/* ---- validate esconv ------------------------------------------------ */

static int cmd_esconv(int argc, char **argv)
{
    if (argc < 2) return usage("esconv needs OUT.csv and at least one .jsonl file");
    FILE *out = fopen(argv[0], "w");
    if (!out) {
        fprintf(stderr, "validate: cannot write %s: %s\n", argv[0], strerror(errno));
        return 1;
    }
    char err[1024];
    long n = esconv_convert((const char *const *)argv + 1, (size_t)(argc - 1), out, err, sizeof err);
    int bad = fclose(out) != 0;
    if (n < 0) {
        fprintf(stderr, "validate: %s\n", err);
        return 1;
    }
    if (bad) {
        fprintf(stderr, "validate: cannot write %s\n", argv[0]);
        return 1;
    }
    return 0;
}

/* ---- validate metrics / auc ------------------------------------------ */

/* The two numbers of each non-blank, non-# line of `path`, or -1. */
static int read_pairs(const char *path, double **a, double **b, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "validate: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    char line[256];
    size_t cap = 0, cap_b = 0;
    long lineno = 0;
    *a = *b = NULL;
    *n = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *p = line + strspn(line, " \t");
        if (*p == '#' || *p == '\n' || *p == '\0') continue;
        double x, y;
        char extra;
        if (sscanf(p, "%lf %lf %c", &x, &y, &extra) != 2) {
            fprintf(stderr, "%s:%ld: error: expected two numbers, such as \"1 0\"\n", path, lineno);
            fclose(f);
            return -1;
        }
        *a = xgrow(*a, &cap, *n + 1, sizeof **a);
        *b = xgrow(*b, &cap_b, *n + 1, sizeof **b);
        (*a)[*n] = x;
        (*b)[(*n)++] = y;
    }
    fclose(f);
    return 0;
}

static int cmd_metrics(int argc, char **argv)
{
    if (argc != 1) return usage("metrics needs one FILE");
    double *e, *d;
    size_t n;
    if (read_pairs(argv[0], &e, &d, &n) != 0) return 1;
    confusion c = {0, 0, 0, 0};
    for (size_t i = 0; i < n; i++) confusion_add(&c, e[i] != 0, d[i] != 0);
    free(e);
    free(d);
    char p[32], r[32], f[32], k[32];
    printf("tp=%ld fp=%ld fn=%ld tn=%ld precision=%s recall=%s f1=%s kappa=%s\n", c.tp, c.fp, c.fn,
           c.tn, fmt3(precision_of(&c), p, sizeof p), fmt3(recall_of(&c), r, sizeof r),
           fmt3(f1_of(&c), f, sizeof f), fmt3(kappa_of(&c), k, sizeof k));
    return 0;
}

static int cmd_auc(int argc, char **argv)
{
    if (argc != 1) return usage("auc needs one FILE");
    double *g, *s;
    size_t n;
    if (read_pairs(argv[0], &g, &s, &n) != 0) return 1;
    double *pos = xmalloc((n + 1) * sizeof *pos), *neg = xmalloc((n + 1) * sizeof *neg);
    size_t np = 0, nn = 0;
    for (size_t i = 0; i < n; i++) {
        if (g[i] != 0) pos[np++] = s[i];
        else neg[nn++] = s[i];
    }
    double auc = auc_of(pos, np, neg, nn);
    int dir;
    double folded = auc_folded(auc, &dir);
    char a[32], b[32];
    printf("auc=%s folded=%s direction=%s positives=%zu negatives=%zu\n", fmt3(auc, a, sizeof a),
           fmt3(folded, b, sizeof b), dir > 0 ? "higher" : dir < 0 ? "lower" : "none", np, nn);
    free(g);
    free(s);
    free(pos);
    free(neg);
    return 0;
}

/* ---- validate report -------------------------------------------------- */

typedef struct report_options {
    const char *annomi, *annomi_reports, *esconv, *esconv_reports;
    const char *date, *commit, *split, *notes, *errors, *out;
    const char **data;
    size_t n_data;
    int quiet;
} report_options;

static int parse_report_options(int argc, char **argv, report_options *o)
{
    memset(o, 0, sizeof *o);
    o->date = "(not given)";
    o->commit = "(not given)";
    o->split = "(not given)";
    o->data = xcalloc((size_t)argc + 1, sizeof *o->data);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-q") == 0) {
            o->quiet = 1;
            continue;
        }
        if (i + 1 >= argc) return usage("an option needs a value");
        const char *v = argv[++i];
        if (strcmp(a, "--annomi") == 0) o->annomi = v;
        else if (strcmp(a, "--annomi-reports") == 0) o->annomi_reports = v;
        else if (strcmp(a, "--esconv") == 0) o->esconv = v;
        else if (strcmp(a, "--esconv-reports") == 0) o->esconv_reports = v;
        else if (strcmp(a, "--data") == 0) o->data[o->n_data++] = v;
        else if (strcmp(a, "--date") == 0) o->date = v;
        else if (strcmp(a, "--commit") == 0) o->commit = v;
        else if (strcmp(a, "--split") == 0) o->split = v;
        else if (strcmp(a, "--notes") == 0) o->notes = v;
        else if (strcmp(a, "--errors") == 0) o->errors = v;
        else if (strcmp(a, "-o") == 0) o->out = v;
        else {
            fprintf(stderr, "validate: unknown option %s\n", a);
            return usage(NULL);
        }
    }
    if (!o->annomi || !o->annomi_reports || !o->out)
        return usage("report needs --annomi, --annomi-reports and -o");
    if (!o->esconv != !o->esconv_reports) return usage("--esconv and --esconv-reports go together");
    return 0;
}

/* DIR/NAME loaded into t, or -1 with the message printed. */
static int load_report(table *t, const char *dir, const char *name)
{
    char path[4096], err[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (table_load(t, path, err, sizeof err) == 0) return 0;
    fprintf(stderr, "validate: %s\n", err);
    return -1;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "validate: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    buf b = {0};
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) buf_add(&b, chunk, got);
    fclose(f);
    return buf_take(&b);
}

static void print_targets(const report_input *in)
{
    target t[N_TARGETS];
    targets_of(in, t);
    printf("held-out half, against the targets:\n");
    for (int k = 0; k < N_TARGETS; k++) {
        char a[32], b[32];
        int met = !isnan(t[k].value) && t[k].value >= t[k].goal;
        printf("  %-7s %s %s (target %s)%s%s\n", met ? "met" : "MISSED", t[k].what,
               fmt3(t[k].value, a, sizeof a), fmt3(t[k].goal, b, sizeof b),
               t[k].detail[0] ? ": " : "", t[k].detail);
    }
}

typedef struct loaded {
    table gold, utts, sessions, run, es_gold, es_utts;
    annomi_result annomi;
    esconv_result esconv;
    quality_result quality;
    char *notes;
} loaded;

static int load_and_measure(const report_options *o, loaded *l)
{
    char err[1024];
    error_dump dump = {o->errors};
    if (table_load(&l->gold, o->annomi, err, sizeof err) != 0 ||
        (err[0] = 0, load_report(&l->utts, o->annomi_reports, "utterances.csv")) != 0 ||
        load_report(&l->sessions, o->annomi_reports, "sessions.csv") != 0 ||
        load_report(&l->run, o->annomi_reports, "run.csv") != 0 ||
        annomi_agreement(&l->gold, &l->utts, &l->annomi, &dump, err, sizeof err) != 0 ||
        quality_auc(&l->sessions, &l->gold, &l->quality, err, sizeof err) != 0) {
        if (err[0]) fprintf(stderr, "validate: %s\n", err);
        return -1;
    }
    if (o->esconv) {
        err[0] = 0;
        if (table_load(&l->es_gold, o->esconv, err, sizeof err) != 0 ||
            (err[0] = 0, load_report(&l->es_utts, o->esconv_reports, "utterances.csv")) != 0 ||
            esconv_agreement(&l->es_gold, &l->es_utts, &l->esconv, &dump, err, sizeof err) != 0) {
            if (err[0]) fprintf(stderr, "validate: %s\n", err);
            return -1;
        }
    }
    if (o->notes && !(l->notes = read_text(o->notes))) return -1;
    return 0;
}

static void loaded_free(loaded *l)
{
    table_free(&l->gold);
    table_free(&l->utts);
    table_free(&l->sessions);
    table_free(&l->run);
    table_free(&l->es_gold);
    table_free(&l->es_utts);
    quality_free(&l->quality);
    free(l->notes);
}

static int cmd_report(int argc, char **argv)
{
    report_options o;
    int rc = parse_report_options(argc, argv, &o);
    if (rc != 0) {
        free(o.data);
        return rc;
    }
    if (o.errors && mkdir(o.errors, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "validate: cannot create %s: %s\n", o.errors, strerror(errno));
        free(o.data);
        return 1;
    }
    loaded l;
    memset(&l, 0, sizeof l);
    rc = load_and_measure(&o, &l) == 0 ? 0 : 1;
    if (rc == 0) {
        report_input in = {o.date, o.commit, o.data, o.n_data, &l.run, o.split, &l.annomi,
                           o.esconv ? &l.esconv : NULL, &l.quality, l.notes};
        FILE *out = fopen(o.out, "w");
        if (!out) {
            fprintf(stderr, "validate: cannot write %s: %s\n", o.out, strerror(errno));
            rc = 1;
        } else {
            write_report(out, &in);
            if (fclose(out) != 0) {
                fprintf(stderr, "validate: cannot write %s\n", o.out);
                rc = 1;
            } else if (!o.quiet) {
                print_targets(&in);
                printf("report: %s\n", o.out);
            }
        }
    }
    loaded_free(&l);
    free(o.data);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage(NULL);
    const char *cmd = argv[1];
    if (strcmp(cmd, "esconv") == 0) return cmd_esconv(argc - 2, argv + 2);
    if (strcmp(cmd, "report") == 0) return cmd_report(argc - 2, argv + 2);
    if (strcmp(cmd, "metrics") == 0) return cmd_metrics(argc - 2, argv + 2);
    if (strcmp(cmd, "auc") == 0) return cmd_auc(argc - 2, argv + 2);
    if (strcmp(cmd, "--help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    return usage("unknown command");
}
