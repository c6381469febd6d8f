/* main.c: dyad's command line. Options, then the pipeline (batch/batch.h). */
#include "analysis/dic.h"
#include "analysis/lexicon.h"
#include "batch/batch.h"
#include "batch/inputs.h"
#include "lexcheck/lexcheck.h"
#include "merge/merge.h"
#include "model/roles.h"
#include "readers/reader.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <libxml/parser.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DYAD_VERSION "0.1.0"
#ifndef DYAD_DATADIR
#define DYAD_DATADIR "/usr/local/share/dyad"
#endif

static const char USAGE[] =
    "usage: dyad [OPTIONS] PATH...\n"
    "Analyse therapy-session transcripts (files or folders, recursed) and write CSV reports.\n"
    "\n"
    "  -o DIR            output folder (default: reports/)\n"
    "  --lexicon PATH    a .lex file or a folder of them; repeatable; replaces the defaults\n"
    "  --dic FILE        a LIWC .dic dictionary; repeatable; adds its categories (as dic_NAME)\n"
    "  --roles FILE      a CSV with header speaker,role (therapist, client or other)\n"
    "  --format NAME     read every input as this format (%s)\n"
    "  --columns SPEC    CSV columns by name: session=COL,speaker=COL,text=COL,start=COL,end=COL,role=COL\n"
    "  --tiers NAMES     ELAN tiers to read, comma-separated (default: every top-level tier)\n"
    "  -j N              analyse N files at once (default: the number of cores)\n"
    "  --no-matches      do not list matches (matches.csv keeps only its header)\n"
    "  --segments N      cut each session into N equal parts for segments.csv (default 5)\n"
    "  --window S        talk-time window length in seconds for windows.csv (default 150)\n"
    "  --step S          talk-time window step in seconds (default 30)\n"
    "  --utterances      also write utterances.csv, one row per utterance (no text)\n"
    "  --include-text    put the transcript text in utterances.csv (file mode 0600)\n"
    "  --shard K/N       analyse only part K of N of the inputs (stable, by a hash of each\n"
    "                    file's session id); combine the parts with 'dyad merge'\n"
    "  --follow-links    follow symbolic links inside input folders\n"
    "  -q, --quiet       print errors only\n"
    "  -h, --help        this help\n"
    "  --version         print the version\n"
    "\n"
    "Reports: sessions.csv, speakers.csv, matches.csv, segments.csv, windows.csv,\n"
    "errors.csv, run.csv (and utterances.csv with --utterances).\n"
    "\n"
    "       dyad merge DIR... -o OUT   combine report sets (e.g. from --shard runs) into one\n"
    "       dyad lexicon check FILE... [--corpus PATH...] [-o FILE.csv]   check .lex and .dic files\n"
    "\n"
    "Exit status: 0 all analysed, 1 some inputs failed, 2 usage error or nothing could be done.\n";

typedef struct options {
    const char *out_dir;
    const char **lexicons;
    size_t n_lexicons;
    const char **dics;
    size_t n_dics;
    const char *roles;
    const char *format;
    const char *columns;
    const char *tiers;
    int quiet;
    int no_matches;
    long jobs;
    long segments;
    double window, step;
    int utterances, include_text;
    int follow_links;
    shard_spec shard;
} options;

static int usage_error(const char *fmt, const char *arg)
{
    fputs("dyad: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'dyad --help'.\n", stderr);
    return 2;
}

static int parse_count(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) return -1;
    *out = v;
    return 0;
}

static int parse_seconds(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v > 0) || v > 1e7) return -1;
    *out = v;
    return 0;
}

/* Parse argv; returns -1 to go on, or an exit status. */
static int parse_options(int argc, char **argv, options *o)
{
    enum { OPT_LEXICON = 256, OPT_ROLES, OPT_FORMAT, OPT_COLUMNS, OPT_TIERS, OPT_NO_MATCHES, OPT_SEGMENTS,
           OPT_WINDOW, OPT_STEP, OPT_UTTERANCES, OPT_INCLUDE_TEXT, OPT_SHARD, OPT_FOLLOW_LINKS, OPT_VERSION,
           OPT_DIC };
    static const struct option longopts[] = {
        {"lexicon", required_argument, NULL, OPT_LEXICON},
        {"dic", required_argument, NULL, OPT_DIC},
        {"roles", required_argument, NULL, OPT_ROLES},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"columns", required_argument, NULL, OPT_COLUMNS},
        {"tiers", required_argument, NULL, OPT_TIERS},
        {"quiet", no_argument, NULL, 'q'},
        {"jobs", required_argument, NULL, 'j'},
        {"no-matches", no_argument, NULL, OPT_NO_MATCHES},
        {"segments", required_argument, NULL, OPT_SEGMENTS},
        {"window", required_argument, NULL, OPT_WINDOW},
        {"step", required_argument, NULL, OPT_STEP},
        {"utterances", no_argument, NULL, OPT_UTTERANCES},
        {"include-text", no_argument, NULL, OPT_INCLUDE_TEXT},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"follow-links", no_argument, NULL, OPT_FOLLOW_LINKS},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:j:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o->out_dir = optarg; break;
        case OPT_LEXICON:
            o->lexicons = xrealloc(o->lexicons, (o->n_lexicons + 1) * sizeof *o->lexicons);
            o->lexicons[o->n_lexicons++] = optarg;
            break;
        case OPT_DIC:
            o->dics = xrealloc(o->dics, (o->n_dics + 1) * sizeof *o->dics);
            o->dics[o->n_dics++] = optarg;
            break;
        case OPT_ROLES: o->roles = optarg; break;
        case OPT_FORMAT: o->format = optarg; break;
        case OPT_COLUMNS: o->columns = optarg; break;
        case OPT_TIERS: o->tiers = optarg; break;
        case 'q': o->quiet = 1; break;
        case OPT_NO_MATCHES: o->no_matches = 1; break;
        case 'j':
            if (parse_count(optarg, 1, 256, &o->jobs) != 0)
                return usage_error("-j takes a number of workers from 1 to 256, not '%s'", optarg);
            break;
        case OPT_SEGMENTS:
            if (parse_count(optarg, 1, 1000, &o->segments) != 0)
                return usage_error("--segments takes a number from 1 to 1000, not '%s'", optarg);
            break;
        case OPT_WINDOW:
            if (parse_seconds(optarg, &o->window) != 0)
                return usage_error("--window takes a positive number of seconds, not '%s'", optarg);
            break;
        case OPT_STEP:
            if (parse_seconds(optarg, &o->step) != 0)
                return usage_error("--step takes a positive number of seconds, not '%s'", optarg);
            break;
        case OPT_UTTERANCES: o->utterances = 1; break;
        case OPT_INCLUDE_TEXT: o->include_text = 1; break;
        case OPT_FOLLOW_LINKS: o->follow_links = 1; break;
        case OPT_SHARD:
            if (shard_parse(optarg, &o->shard) != 0)
                return usage_error("--shard takes K/N with 1 <= K <= N, not '%s'", optarg);
            break;
        case 'h': printf(USAGE, reader_names()); return 0;
        case OPT_VERSION: printf("dyad %s\n", DYAD_VERSION); return 0;
        case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
        default: return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc) return usage_error("%s", "no input: give one or more files or folders");
    if (o->format && !reader_by_name(o->format))
        return usage_error("unknown --format '%s'", o->format);
    if (o->include_text && !o->utterances)
        return usage_error("%s", "--include-text goes with --utterances (the text is written to utterances.csv)");
    return -1;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The default lexicon folder: beside the binary in the source tree, or under
 * its install prefix, or the configured data folder. */
static char *default_lexicon_dir(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        static const char *const rel[] = {"/lexicons", "/../lexicons", "/../share/dyad/lexicons"};
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            buf p = {0};
            buf_addf(&p, "%s%s", exe, rel[i]);
            char *resolved = is_dir(buf_str(&p)) ? realpath(buf_str(&p), NULL) : NULL;
            buf_free(&p);
            if (resolved) return resolved;
        }
    }
    if (is_dir(DYAD_DATADIR "/lexicons")) return xstrdup(DYAD_DATADIR "/lexicons");
    return NULL;
}

static int load_lexicons(lexicon *lx, const options *o, diag_list *d)
{
    if (o->n_lexicons == 0) {
        char *dir = default_lexicon_dir();
        if (!dir) {
            diag_add(d, "", 0, SEV_ERROR,
                     "no default lexicons found (looked beside the binary and in " DYAD_DATADIR
                     "/lexicons); give one with --lexicon PATH");
            return -1;
        }
        int rc = lexicon_load(lx, dir, d);
        free(dir);
        if (rc != 0) return -1;
    }
    for (size_t i = 0; i < o->n_lexicons; i++)
        if (lexicon_load(lx, o->lexicons[i], d) != 0) return -1;
    for (size_t i = 0; i < o->n_dics; i++)
        if (dic_load(lx, o->dics[i], d) != 0) return -1;
    return lexicon_finish(lx, d);
}

static long default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : n;
}

static char *command_line(int argc, char **argv)
{
    buf b = {0};
    for (int i = 0; i < argc; i++) buf_addf(&b, "%s%s", i ? " " : "", argv[i]);
    return buf_take(&b);
}

/* Print the messages so far and give up with status 2. */
static int fail_setup(diag_list *d)
{
    for (size_t i = 0; i < d->n; i++) diag_print(&d->items[i], stderr);
    return 2;
}

int main(int argc, char **argv)
{
    xalloc_keep_freed_memory();
    if (argc > 1 && strcmp(argv[1], "merge") == 0) return merge_main(argc - 1, argv + 1);
    if (argc > 2 && strcmp(argv[1], "lexicon") == 0 && strcmp(argv[2], "check") == 0)
        return lexicon_check_main(argc - 2, argv + 2);
    options o = {.out_dir = "reports"};
    int rc = parse_options(argc, argv, &o);
    if (rc >= 0) {
        free(o.lexicons);
        free(o.dics);
        return rc;
    }

    xmlInitParser();   /* once, before any reader thread uses libxml2 */
    diag_list d = {0};
    lexicon *lx = lexicon_new();
    role_map roles = {0};
    input_list inputs = {0};
    char *command = command_line(argc, argv);
    int status;
    if (load_lexicons(lx, &o, &d) != 0 || (o.roles && role_map_load(&roles, o.roles, &d) != 0)) {
        status = fail_setup(&d);
    } else {
        input_options io = {.forced = o.format ? reader_by_name(o.format) : NULL,
                            .follow_links = o.follow_links};
        for (int i = optind; i < argc; i++) inputs_collect(&inputs, argv[i], &io, &d);
        inputs_finish(&inputs, &o.shard, &d);
        batch_config cfg = {
            .lexicon = lx,
            .reader = {.roles = &roles, .columns = o.columns, .tiers = o.tiers},
            .analysis = {.keep_matches = !o.no_matches,
                         .segments = (size_t)(o.segments ? o.segments : DEFAULT_SEGMENTS),
                         .window = o.window ? o.window : DEFAULT_WINDOW,
                         .step = o.step ? o.step : DEFAULT_STEP},
            .reports = {.utterances = o.utterances, .include_text = o.include_text},
            .out_dir = o.out_dir,
            .command = command,
            .version = DYAD_VERSION,
            .quiet = o.quiet,
            .jobs = (size_t)(o.jobs ? o.jobs : default_jobs()),
        };
        status = batch_run(&cfg, &inputs, &d);
    }
    free(command);
    inputs_free(&inputs);
    role_map_free(&roles);
    lexicon_free(lx);
    diag_free(&d);
    free(o.lexicons);
    free(o.dics);
    xmlCleanupParser();
    return status;
}
