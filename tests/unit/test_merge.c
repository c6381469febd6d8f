/* test_merge.c: dyad merge (merge/merge.c).
 *
 * Each test writes small report sets into a temporary folder, merges them
 * and compares every merged report with text worked out by hand, or checks
 * the exact message of a set that cannot be merged (and that nothing was
 * written). The reports here have few columns: merge only cares about the
 * session_id and source columns, the meta_ columns and the layout of
 * errors.csv and run.csv. */
#include "testutil.h"

#include "merge/merge.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- scaffolding ---- */

typedef struct fixture {
    char *root;              /* a fresh temporary folder */
    diag_list d;
    merge_summary sum;
} fixture;

static int setup(void **state)
{
    fixture *f = xcalloc(1, sizeof *f);
    f->root = test_tmpdir("merge");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    test_remove_tree(f->root);
    free(f->root);
    diag_free(&f->d);
    free(f);
    return 0;
}

/* ROOT/dir/name (the caller frees it). */
static char *set_file(const fixture *f, const char *dir, const char *name)
{
    buf b = {0};
    buf_addf(&b, "%s/%s/%s", f->root, dir, name);
    return buf_take(&b);
}

/* ROOT/dir/name with `text` in it; ROOT/dir is made when missing. */
static void write_file(const fixture *f, const char *dir, const char *name, const char *text)
{
    char *d = test_path(f->root, dir);
    test_write_file(d, name, text);
    free(d);
}

/* The text of ROOT/dir/name, or NULL when it does not exist. */
static char *read_text(const fixture *f, const char *dir, const char *name)
{
    char *path = set_file(f, dir, name);
    char *text = test_read_file(path);
    free(path);
    return text;
}

static void expect_file(const fixture *f, const char *dir, const char *name, const char *want)
{
    char *path = set_file(f, dir, name);
    test_expect_file(path, want);
    free(path);
}

static const char RUN_TEMPLATE[] =
    "key,value\n"
    "version,%s\n"
    "started,2025-01-01T00:00:00Z\n"
    "command,dyad -o x in\n"
    "lexicon,lex/a.lex\n"
    "lexicon_sha256,%s\n"
    "matches,%s\n"
    "inputs,%d\n"
    "files_failed,%d\n"
    "sessions,%d\n"
    "errors,%d\n"
    "warnings,%d\n"
    "exit_status,%d\n";

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static void write_run(const fixture *f, const char *dir, const char *version, const char *sha,
                      const char *matches, int inputs, int failed, int sessions, int errors, int warnings,
                      int status)
{
    buf b = {0};
    buf_addf(&b, RUN_TEMPLATE, version, sha, matches, inputs, failed, sessions, errors, warnings, status);
    write_file(f, dir, "run.csv", buf_str(&b));
    buf_free(&b);
}

/* A small valid report set with the given sessions.csv and no other rows. */
static void write_set(const fixture *f, const char *dir, const char *sessions)
{
    write_file(f, dir, "sessions.csv", sessions);
    write_file(f, dir, "speakers.csv", "session_id,speaker,words\n");
    write_file(f, dir, "matches.csv", "session_id,line,category\n");
    write_file(f, dir, "segments.csv", "session_id,segment,words\n");
    write_file(f, dir, "windows.csv", "session_id,start,end\n");
    write_file(f, dir, "errors.csv", "source,line,severity,message\n");
    write_run(f, dir, "0.1.0", SHA_A, "listed", 1, 0, 1, 0, 0, 0);
}

/* Merge ROOT/a ROOT/b ... (names) into ROOT/out. */
static int merge_names(fixture *f, const char *const *names, size_t n)
{
    const char **dirs = xcalloc(n, sizeof *dirs);
    for (size_t i = 0; i < n; i++) dirs[i] = test_path(f->root, names[i]);
    char *out = test_path(f->root, "out");
    merge_options o = {.dirs = dirs, .n_dirs = n, .out_dir = out, .command = "dyad merge a b -o out"};
    int rc = merge_report_sets(&o, &f->sum, &f->d);
    for (size_t i = 0; i < n; i++) free((char *)dirs[i]);
    free(dirs);
    free(out);
    return rc;
}

static int merge_ab(fixture *f)
{
    static const char *const names[] = {"a", "b"};
    return merge_names(f, names, 2);
}

/* The only message is this error about ROOT/source_rel (or source_rel
 * itself when it starts with '/'), at this line. */
static void expect_error(const fixture *f, const char *source_rel, long line, const char *message)
{
    assert_int_equal(f->d.n, 1);
    char *source = source_rel[0] == '/' ? xstrdup(source_rel) : test_path(f->root, source_rel);
    assert_string_equal(f->d.items[0].source, source);
    assert_int_equal(f->d.items[0].line, line);
    assert_int_equal(f->d.items[0].sev, SEV_ERROR);
    assert_string_equal(f->d.items[0].message, message);
    free(source);
}

/* No output folder was left behind (the tests give one that did not exist). */
static void expect_nothing_written(const fixture *f)
{
    char *out = test_path(f->root, "out");
    struct stat st;
    assert_int_equal(stat(out, &st), -1);
    free(out);
}

/* ---- cells and file ids ---- */

static void test_add_cell_quotes_like_the_writers(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain", "plain"},
        {"", ""},
        {" padded ", " padded "},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\""},
        {"cr\rhere", "\"cr\rhere\""},
        {"'=SUM(A1)", "'=SUM(A1)"},
        {"'-x, y", "\"'-x, y\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf b = {0};
        merge_add_cell(&b, cases[i].in, strlen(cases[i].in));
        assert_string_equal(buf_str(&b), cases[i].out);
        buf_free(&b);
    }
}

static void expect_file_id(const char *id, const char *source, const char *want)
{
    char *got = merge_file_id(id, source);
    assert_string_equal(got, want);
    free(got);
}

static void test_file_id_from_session_and_source(void **state)
{
    (void)state;
    expect_file_id("handworked", "corpus/handworked.txt", "handworked");
    expect_file_id("ids/a_b", "corpus/ids.csv", "ids");                 /* a CSV file's session */
    expect_file_id("ids/a_b~2", "corpus/ids.csv", "ids");
    expect_file_id("site1/a", "corpus/site1/a.txt", "site1/a");         /* a file in a subfolder */
    expect_file_id("site1/a/s1", "corpus/site1/a.csv", "site1/a");
    expect_file_id("a/b", "corpus/a.csv", "a");
    expect_file_id("a/b", "corpus/a/b.vtt", "a/b");
    expect_file_id("x.tar", "/data/x.tar.txt", "x.tar");                /* only the last extension */
    expect_file_id(".txt", "in/.txt", ".txt");                          /* a leading dot is no extension */
    expect_file_id("notes", "notes", "notes");                          /* no folder, no extension */
    expect_file_id("b/c", "x/ab.csv", "b/c");                           /* 'b' is not a whole name there */
    expect_file_id("zzz", "other.csv", "zzz");                          /* no match: the id itself */
}

/* ---- merging ---- */

static void write_two_sets(const fixture *f)
{
    /* a: "(x)" sorts before "-neg" by bytes, but after its guarded cell "'-neg";
     * clinic/... comes before clinic-2/... (file order), not after */
    write_file(f, "a", "sessions.csv",
               "session_id,source,words,meta_site\n"
               "(x),in/(x).txt,1,\n"
               "clinic/s1,in/clinic.csv,2,north\n"
               "clinic/s2,in/clinic.csv,3,north\n"
               "zed,in/zed.txt,4,\n");
    write_file(f, "a", "speakers.csv",
               "session_id,speaker,words\n"
               "(x),T,1\n"
               "clinic/s1,T,1\n"
               "clinic/s1,C,1\n"
               "zed,\"Dr \"\"Z\"\", MD\",4\n");
    write_file(f, "a", "matches.csv", "session_id,line,category\n");
    write_file(f, "a", "segments.csv", "session_id,segment,words\nclinic/s2,1,3\nzed,1,4\n");
    write_file(f, "a", "windows.csv", "session_id,start,end\n");
    write_file(f, "a", "errors.csv",
               "source,line,severity,message\n"
               ",,warning,lexicon says hi\n"
               ",,warning,twice\n"
               ",,warning,twice\n"
               "(p).txt,,warning,p\n"
               "in/tie.txt,3,warning,zz from a\n"
               "in/zed.txt,2,warning,z2\n"
               "in/zed.txt,10,error,z10\n");
    write_run(f, "a", "0.1.0", SHA_A, "listed", 4, 1, 4, 1, 6, 1);

    write_file(f, "b", "sessions.csv",
               "session_id,source,words,meta_rating,meta_note\n"
               "'-neg,in/-neg.txt,5,,\n"
               "alpha,in/alpha.txt,6,,\n"
               "clinic-2/t1,in/clinic-2.csv,7,5,\n");
    write_file(f, "b", "speakers.csv",
               "session_id,speaker,words\n"
               "'-neg,T,5\n"
               "alpha,\"two\nlines\",6\n"
               "clinic-2/t1,C,7\n");
    write_file(f, "b", "matches.csv", "session_id,line,category\nalpha,3,'=cat\n");
    write_file(f, "b", "segments.csv", "session_id,segment,words\n'-neg,1,5\n");
    write_file(f, "b", "windows.csv", "session_id,start,end\n");
    write_file(f, "b", "errors.csv",
               "source,line,severity,message\n"
               ",,warning,lexicon says hi\n"
               ",,warning,twice\n"
               "'-q.txt,,error,guarded source\n"
               "in/alpha.txt,1,warning,\"a1, with comma\"\n"
               "in/tie.txt,3,warning,aa from b\n"
               "in/zed.txt,,warning,no line\n");
    write_run(f, "b", "0.1.0", SHA_A, "listed", 3, 0, 3, 1, 5, 0);
}

static void test_merge_interleaves_two_sets(void **state)
{
    fixture *f = *state;
    write_two_sets(f);
    assert_int_equal(merge_ab(f), 0);
    assert_int_equal(f->d.n, 0);
    expect_file(f, "out", "sessions.csv",
                "session_id,source,words,meta_site,meta_rating,meta_note\n"
                "(x),in/(x).txt,1,,,\n"
                "'-neg,in/-neg.txt,5,,,\n"
                "alpha,in/alpha.txt,6,,,\n"
                "clinic/s1,in/clinic.csv,2,north,,\n"
                "clinic/s2,in/clinic.csv,3,north,,\n"
                "clinic-2/t1,in/clinic-2.csv,7,,5,\n"
                "zed,in/zed.txt,4,,,\n");
    expect_file(f, "out", "speakers.csv",
                "session_id,speaker,words\n"
                "(x),T,1\n"
                "'-neg,T,5\n"
                "alpha,\"two\nlines\",6\n"
                "clinic/s1,T,1\n"
                "clinic/s1,C,1\n"
                "clinic-2/t1,C,7\n"
                "zed,\"Dr \"\"Z\"\", MD\",4\n");
    expect_file(f, "out", "matches.csv", "session_id,line,category\nalpha,3,'=cat\n");
    expect_file(f, "out", "segments.csv", "session_id,segment,words\n'-neg,1,5\nclinic/s2,1,3\nzed,1,4\n");
    expect_file(f, "out", "windows.csv", "session_id,start,end\n");
    expect_file(f, "out", "errors.csv",
                "source,line,severity,message\n"
                ",,warning,lexicon says hi\n"
                ",,warning,twice\n"
                ",,warning,twice\n"
                "(p).txt,,warning,p\n"
                "'-q.txt,,error,guarded source\n"
                "in/alpha.txt,1,warning,\"a1, with comma\"\n"
                "in/tie.txt,3,warning,zz from a\n"
                "in/tie.txt,3,warning,aa from b\n"
                "in/zed.txt,,warning,no line\n"
                "in/zed.txt,2,warning,z2\n"
                "in/zed.txt,10,error,z10\n");
    assert_null(read_text(f, "out", "utterances.csv"));
    assert_int_equal(f->sum.sessions, 7);
    assert_int_equal(f->sum.errors, 2);
    assert_int_equal(f->sum.warnings, 9);

    char *run = read_text(f, "out", "run.csv");
    assert_non_null(run);
    const char *started = strstr(run, "\nstarted,");
    assert_non_null(started);
    /* 2025-01-01T00:00:00Z: the merge's own start, in UTC */
    assert_int_equal(strcspn(started + 9, "\n"), 20);
    assert_int_equal(started[9 + 10], 'T');
    assert_int_equal(started[9 + 19], 'Z');
    buf without = {0};
    buf_add(&without, run, (size_t)(started - run) + 1);
    buf_adds(&without, strchr(started + 1, '\n') + 1);
    char *a = test_path(f->root, "a"), *b = test_path(f->root, "b");
    buf want = {0};
    buf_addf(&want,
             "key,value\n"
             "version,0.1.0\n"
             "command,dyad merge a b -o out\n"
             "lexicon,lex/a.lex\n"
             "lexicon_sha256," SHA_A "\n"
             "matches,listed\n"
             "merged_from,%s\n"
             "merged_from,%s\n"
             "inputs,7\n"
             "files_failed,1\n"
             "sessions,7\n"
             "errors,2\n"
             "warnings,9\n"
             "exit_status,1\n",
             a, b);
    assert_string_equal(buf_str(&without), buf_str(&want));
    free(a);
    free(b);
    buf_free(&want);
    buf_free(&without);
    free(run);
}

/* Three sets, three CSV files with meta columns: the union comes out in the
 * order a single run meets the keys (file order), whatever set holds them. */
static void test_merge_meta_union_in_first_appearance_order(void **state)
{
    fixture *f = *state;
    write_set(f, "a",
              "session_id,source,meta_topic,meta_notes\n"
              "b/1,in/b.csv,diet,\n"
              "b/2,in/b.csv,sleep,\n");
    write_set(f, "b",
              "session_id,source,meta_site,meta_topic\n"
              "a/1,in/a.csv,north,\"x,y\"\n"
              "c,in/c.txt,,\n"
              "d/1,in/d.csv,south,\n");
    write_set(f, "c", "session_id,source,meta_rating\nc2/1,in/c2.csv,5\n");
    static const char *const names[] = {"a", "b", "c"};
    assert_int_equal(merge_names(f, names, 3), 0);
    /* a.csv brings site and topic; b.csv notes (blank, with the key before
     * it); c2.csv rating; d.csv only site again */
    expect_file(f, "out", "sessions.csv",
                "session_id,source,meta_site,meta_topic,meta_notes,meta_rating\n"
                "a/1,in/a.csv,north,\"x,y\",,\n"
                "b/1,in/b.csv,,diet,,\n"
                "b/2,in/b.csv,,sleep,,\n"
                "c,in/c.txt,,,,\n"
                "c2/1,in/c2.csv,,,,5\n"
                "d/1,in/d.csv,south,,,\n");
}

/* The blank key first in a set's header comes with the first key after it
 * that has a value: here rating's file, c.csv, not a.csv before it. */
static void test_merge_blank_first_key_goes_with_the_next(void **state)
{
    fixture *f = *state;
    write_set(f, "a",
              "session_id,source,meta_empty,meta_rating\n"
              "a,in/a.txt,,\n"
              "c/1,in/c.csv,,4\n");
    write_set(f, "b", "session_id,source,meta_site\nb/1,in/b.csv,east\n");
    assert_int_equal(merge_ab(f), 0);
    expect_file(f, "out", "sessions.csv",
                "session_id,source,meta_site,meta_empty,meta_rating\n"
                "a,in/a.txt,,,\n"
                "b/1,in/b.csv,east,,\n"
                "c/1,in/c.csv,,,4\n");
}

/* One set merges to itself; records cross the 64 KiB read chunks. */
static void test_merge_one_large_set_is_unchanged(void **state)
{
    fixture *f = *state;
    buf sessions = {0}, speakers = {0};
    buf_adds(&sessions, "session_id,source,words\n");
    buf_adds(&speakers, "session_id,speaker,words\n");
    for (int i = 0; i < 3000; i++) {
        buf_addf(&sessions, "s%05d,in/s%05d.txt,%d\n", i, i, i);
        buf_addf(&speakers, "s%05d,\"Dr \"\"%d\"\",\nsecond line\",%d\n", i, i, i);
        buf_addf(&speakers, "s%05d, spaced ,%d\n", i, i);
    }
    assert_true(speakers.len > 2 * 65536);
    write_set(f, "a", buf_str(&sessions));
    write_file(f, "a", "speakers.csv", buf_str(&speakers));
    static const char *const names[] = {"a"};
    assert_int_equal(merge_names(f, names, 1), 0);
    expect_file(f, "out", "sessions.csv", buf_str(&sessions));
    expect_file(f, "out", "speakers.csv", buf_str(&speakers));
    assert_int_equal(f->sum.sessions, 3000);
    buf_free(&sessions);
    buf_free(&speakers);
}

static void test_merge_utterances_with_text_stay_private(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\na,in/a.txt\n");
    write_set(f, "b", "session_id,source\nb,in/b.txt\n");
    write_file(f, "a", "utterances.csv", "session_id,utterance,text\na,1,\"Hi, you\"\n");
    write_file(f, "b", "utterances.csv", "session_id,utterance,text\nb,1,Hello\nb,2,\"=1+1 \"\"q\"\"\"\n");
    assert_int_equal(merge_ab(f), 0);
    expect_file(f, "out", "utterances.csv",
                "session_id,utterance,text\na,1,\"Hi, you\"\nb,1,Hello\nb,2,\"=1+1 \"\"q\"\"\"\n");
    char *path = test_path(f->root, "out/utterances.csv");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    free(path);
}

/* A message about the run that one set repeats keeps its count; other sets'
 * copies go. */
static void test_merge_errors_keep_the_largest_count(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\na,in/a.txt\n");
    write_set(f, "b", "session_id,source\nb,in/b.txt\n");
    write_file(f, "a", "errors.csv", "source,line,severity,message\nlex,,warning,w\n");
    write_file(f, "b", "errors.csv", "source,line,severity,message\nlex,,warning,w\nlex,,warning,w\nlex,,warning,w\n");
    assert_int_equal(merge_ab(f), 0);
    expect_file(f, "out", "errors.csv", "source,line,severity,message\nlex,,warning,w\nlex,,warning,w\nlex,,warning,w\n");
    assert_int_equal(f->sum.warnings, 3);
}

/* ---- sets that cannot be merged ---- */

static void test_error_missing_folder(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\na,in/a.txt\n");
    assert_int_equal(merge_ab(f), 2);
    expect_error(f, "b", 0, "cannot read the report folder: No such file or directory; give folders written by dyad -o");
    expect_nothing_written(f);
}

static void test_error_not_a_folder(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\na,in/a.txt\n");
    write_file(f, "a", "b", "x");
    static const char *const names[] = {"a", "a/b"};
    assert_int_equal(merge_names(f, names, 2), 2);
    expect_error(f, "a/b", 0, "not a folder; give folders written by dyad -o");
}

static void test_error_missing_report(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\na,in/a.txt\n");
    write_set(f, "b", "session_id,source\nb,in/b.txt\n");
    char *path = test_path(f->root, "b/windows.csv");
    unlink(path);
    free(path);
    assert_int_equal(merge_ab(f), 2);
    expect_error(f, "b", 0,
                 "no windows.csv here; a report folder written by dyad -o holds sessions.csv, speakers.csv, "
                 "matches.csv, segments.csv, windows.csv, errors.csv and run.csv");
    expect_nothing_written(f);
}

static void test_error_utterances_in_some_sets(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\na,in/a.txt\n");
    write_set(f, "b", "session_id,source\nb,in/b.txt\n");
    write_file(f, "b", "utterances.csv", "session_id,utterance\nb,1\n");
    assert_int_equal(merge_ab(f), 2);
    char *b = test_path(f->root, "b");
    buf want = {0};
    buf_addf(&want, "no utterances.csv here, but %s has one; make every part with --utterances, or none", b);
    expect_error(f, "a", 0, buf_str(&want));
    buf_free(&want);
    free(b);
}

static void test_error_output_is_an_input(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\na,in/a.txt\n");
    write_set(f, "out", "session_id,source\nb,in/b.txt\n");
    static const char *const names[] = {"a", "out"};
    assert_int_equal(merge_names(f, names, 2), 2);
    expect_error(f, "out", 0,
                 "the output folder is also one of the report folders being merged; choose another with -o");
    char *kept = read_text(f, "out", "sessions.csv");
    assert_string_equal(kept, "session_id,source\nb,in/b.txt\n");
    free(kept);
}

static void test_error_folder_given_twice(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\na,in/a.txt\n");
    write_set(f, "b", "session_id,source\nb,in/b.txt\n");
    static const char *const names[] = {"a", "b", "a/."};
    assert_int_equal(merge_names(f, names, 3), 2);
    char *a = test_path(f->root, "a");
    buf want = {0};
    buf_addf(&want, "the same report folder as %s; give each folder once", a);
    expect_error(f, "a/.", 0, buf_str(&want));
    buf_free(&want);
    free(a);
    expect_nothing_written(f);
}

static void test_error_different_versions(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\na,in/a.txt\n");
    write_set(f, "b", "session_id,source\nb,in/b.txt\n");
    write_run(f, "b", "0.2.0", SHA_A, "listed", 1, 0, 1, 0, 0, 0);
    assert_int_equal(merge_ab(f), 2);
    char *a = test_path(f->root, "a"), *b = test_path(f->root, "b");
    buf want = {0};
    buf_addf(&want, "report sets were made by different dyad versions: %s by 0.1.0, %s by 0.2.0; "
                    "make every part with the same dyad", a, b);
    expect_error(f, "b/run.csv", 0, buf_str(&want));
    buf_free(&want);
    free(a);
    free(b);
    expect_nothing_written(f);
}

static void test_error_different_lexicons(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\na,in/a.txt\n");
    write_set(f, "b", "session_id,source\nb,in/b.txt\n");
    write_run(f, "b", "0.1.0", SHA_B, "listed", 1, 0, 1, 0, 0, 0);
    assert_int_equal(merge_ab(f), 2);
    char *a = test_path(f->root, "a"), *b = test_path(f->root, "b");
    buf want = {0};
    buf_addf(&want, "report sets were made with different lexicons: %s used lex/a.lex (sha256 aaaaaaaaaaaa); "
                    "%s used lex/a.lex (sha256 bbbbbbbbbbbb); make every part with the same --lexicon files", a, b);
    expect_error(f, "b/run.csv", 0, buf_str(&want));
    buf_free(&want);
    free(a);
    free(b);
    expect_nothing_written(f);
}

static void test_error_different_matches_setting(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\na,in/a.txt\n");
    write_set(f, "b", "session_id,source\nb,in/b.txt\n");
    write_run(f, "b", "0.1.0", SHA_A, "off (--no-matches)", 1, 0, 1, 0, 0, 0);
    assert_int_equal(merge_ab(f), 2);
    char *a = test_path(f->root, "a"), *b = test_path(f->root, "b");
    buf want = {0};
    buf_addf(&want, "report sets differ in matches.csv: %s has matches 'listed', %s has 'off (--no-matches)'; "
                    "make every part with the same options (--no-matches in all or none)", a, b);
    expect_error(f, "b/run.csv", 0, buf_str(&want));
    buf_free(&want);
    free(a);
    free(b);
}

static void test_error_run_csv_damaged(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\na,in/a.txt\n");
    write_file(f, "a", "run.csv", "key,value\nversion,0.1.0\ninputs,x1\n");
    static const char *const names[] = {"a"};
    assert_int_equal(merge_names(f, names, 1), 2);
    expect_error(f, "a/run.csv", 3, "'inputs' is 'x1', not a count; the report set is damaged: make that part again");

    diag_free(&f->d);
    write_file(f, "a", "run.csv", "key,value\nversion,0.1.0\ninputs,1\nfiles_failed,0\nsessions,1\n"
                                  "errors,0\nwarnings,0\n");
    assert_int_equal(merge_names(f, names, 1), 2);
    expect_error(f, "a/run.csv", 0, "no 'exit_status' row; is it a run.csv written by dyad?");

    diag_free(&f->d);
    write_file(f, "a", "run.csv", "name,value\nversion,0.1.0\n");
    assert_int_equal(merge_names(f, names, 1), 2);
    expect_error(f, "a/run.csv", 1, "the header is not key,value; is it a run.csv written by dyad?");

    diag_free(&f->d);
    write_file(f, "a", "run.csv", "key,value\nversion\n");
    assert_int_equal(merge_names(f, names, 1), 2);
    expect_error(f, "a/run.csv", 2,
                 "1 cells where run.csv has 2 (key,value); the report set is damaged: make that part again");
}

static void test_error_header_differs(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\na,in/a.txt\n");
    write_set(f, "b", "session_id,source\nb,in/b.txt\n");
    write_file(f, "b", "speakers.csv", "session_id,speaker,turns\n");
    assert_int_equal(merge_ab(f), 2);
    char *a = test_path(f->root, "a/speakers.csv");
    buf want = {0};
    buf_addf(&want, "the header differs from %s (column 3 is 'turns' here, 'words' there); merge report sets "
                    "made by the same dyad with the same lexicons and options", a);
    expect_error(f, "b/speakers.csv", 1, buf_str(&want));
    buf_free(&want);
    free(a);

    diag_free(&f->d);
    write_file(f, "b", "speakers.csv", "session_id,speaker\n");
    assert_int_equal(merge_ab(f), 2);
    assert_string_equal(strstr(f->d.items[0].message, "("), "(2 columns here, 3 there); merge report sets "
                                                             "made by the same dyad with the same lexicons and options");
    expect_nothing_written(f);
}

static void test_error_sessions_header(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source,meta_x,words\na,in/a.txt,1,2\n");
    static const char *const names[] = {"a"};
    assert_int_equal(merge_names(f, names, 1), 2);
    expect_error(f, "a/sessions.csv", 1,
                 "column 4 'words' follows the meta_ columns; is it a sessions.csv written by dyad?");

    diag_free(&f->d);
    write_set(f, "a", "id,source\na,in/a.txt\n");
    assert_int_equal(merge_names(f, names, 1), 2);
    expect_error(f, "a/sessions.csv", 1, "the first column is not session_id; is it a sessions.csv written by dyad?");
}

static void test_error_empty_report(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\na,in/a.txt\n");
    write_file(f, "a", "matches.csv", "");
    static const char *const names[] = {"a"};
    assert_int_equal(merge_names(f, names, 1), 2);
    expect_error(f, "a/matches.csv", 0, "the report is empty; the report set is damaged: make that part again");
}

static void test_error_session_in_two_sets(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\nalpha,in/alpha.txt\nbeta,in/beta.txt\n");
    write_set(f, "b", "session_id,source\nbeta,in/beta.txt\n");
    assert_int_equal(merge_ab(f), 2);
    char *a = test_path(f->root, "a/sessions.csv");
    buf want = {0};
    buf_addf(&want, "session 'beta' is also in %s; a session must be in one report set only (were the same "
                    "inputs analysed twice, or parts made with different --shard N?)", a);
    expect_error(f, "b/sessions.csv", 2, buf_str(&want));
    buf_free(&want);
    free(a);
    expect_nothing_written(f);
}

static void test_error_sessions_out_of_order(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\nbeta,in/beta.txt\nalpha,in/alpha.txt\n");
    static const char *const names[] = {"a"};
    assert_int_equal(merge_names(f, names, 1), 2);
    expect_error(f, "a/sessions.csv", 3,
                 "session 'alpha' comes after 'beta', out of a single run's order; was the file sorted or "
                 "edited? (make that part again)");
    expect_nothing_written(f);
}

static void test_error_rows_of_an_unknown_session(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\nalpha,in/alpha.txt\n");
    write_file(f, "a", "segments.csv", "session_id,segment,words\nalpha,1,2\nghost,1,2\n");
    static const char *const names[] = {"a"};
    assert_int_equal(merge_names(f, names, 1), 2);
    char *s = test_path(f->root, "a/sessions.csv");
    buf want = {0};
    buf_addf(&want, "a row of session 'ghost', which is not in %s or not in its order; the report set is "
                    "damaged: make that part again", s);
    expect_error(f, "a/segments.csv", 3, buf_str(&want));
    buf_free(&want);
    free(s);
    expect_nothing_written(f);
}

static void test_error_row_with_wrong_cell_count(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\nalpha,in/alpha.txt\n");
    write_file(f, "a", "speakers.csv", "session_id,speaker,words\nalpha,\"T\nX\",1\nalpha,C\n");
    static const char *const names[] = {"a"};
    assert_int_equal(merge_names(f, names, 1), 2);
    /* the first row takes lines 2 and 3 */
    expect_error(f, "a/speakers.csv", 4,
                 "2 cells where the header has 3; the report set is damaged: make that part again");
}

static void test_error_bad_quoting(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\nalpha,in/alpha.txt\n");
    write_file(f, "a", "speakers.csv", "session_id,speaker,words\nalpha,\"T\nX\",1\nalpha,C\"x,1\n");
    static const char *const names[] = {"a"};
    assert_int_equal(merge_names(f, names, 1), 2);
    expect_error(f, "a/speakers.csv", 4,
                 "not valid CSV (a stray or unclosed double quote); the report set is damaged: make that part again");

    diag_free(&f->d);
    write_file(f, "a", "speakers.csv", "session_id,speaker,words\nalpha,\"T,1\n");
    assert_int_equal(merge_names(f, names, 1), 2);
    expect_error(f, "a/speakers.csv", 2,
                 "not valid CSV (a stray or unclosed double quote); the report set is damaged: make that part again");
}

static void test_error_bad_line_in_errors_csv(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\nalpha,in/alpha.txt\n");
    write_file(f, "a", "errors.csv", "source,line,severity,message\nx,12a,error,m\n");
    static const char *const names[] = {"a"};
    assert_int_equal(merge_names(f, names, 1), 2);
    expect_error(f, "a/errors.csv", 2, "line '12a' is not a line number; the report set is damaged: make that part again");
}

static void test_error_output_folder_unwritable(void **state)
{
    fixture *f = *state;
    write_set(f, "a", "session_id,source\nalpha,in/alpha.txt\n");
    write_file(f, "x", "out", "a file where the output folder would be");
    char *a = test_path(f->root, "a"), *out = test_path(f->root, "x/out/sub");
    const char *dirs[] = {a};
    merge_options o = {.dirs = dirs, .n_dirs = 1, .out_dir = out};
    assert_int_equal(merge_report_sets(&o, NULL, &f->d), 2);
    expect_error(f, out, 0, "cannot create the output folder: Not a directory; choose another with -o DIR");
    free(a);
    free(out);
}

/* ---- the command line ---- */

/* Parse `line`, split at spaces; *words holds the words o points into
 * (free it, and o->dirs, after the checks). */
static int parse(const char *line, merge_options *o, buf *msg, char **words)
{
    *words = xstrdup(line);
    char *argv[16];
    int argc = 0;
    for (char *tok = strtok(*words, " "); tok && argc < 16; tok = strtok(NULL, " ")) argv[argc++] = tok;
    buf_clear(msg);
    return merge_parse_args(argc, argv, o, msg);
}

static void test_parse_args(void **state)
{
    (void)state;
    merge_options o;
    buf msg = {0};
    char *words;
    assert_int_equal(parse("merge p1 p2 -o out -q", &o, &msg, &words), -1);
    assert_int_equal(o.n_dirs, 2);
    assert_string_equal(o.dirs[0], "p1");
    assert_string_equal(o.dirs[1], "p2");
    assert_string_equal(o.out_dir, "out");
    assert_int_equal(o.quiet, 1);
    free(o.dirs);
    free(words);

    assert_int_equal(parse("merge -oout -- -p1", &o, &msg, &words), -1);
    assert_string_equal(o.out_dir, "out");
    assert_int_equal(o.n_dirs, 1);
    assert_string_equal(o.dirs[0], "-p1");
    assert_int_equal(o.quiet, 0);
    free(o.dirs);
    free(words);

    static const struct {
        const char *line, *msg;
    } bad[] = {
        {"merge -o out", "dyad merge: no report folders: give the folders to combine, then -o OUT\n"
                         "Try 'dyad merge --help'.\n"},
        {"merge p1 p2", "dyad merge: no output folder: give it with -o OUT\nTry 'dyad merge --help'.\n"},
        {"merge p1 -o", "dyad merge: option '-o' needs a value\nTry 'dyad merge --help'.\n"},
        {"merge p1 -x -o out", "dyad merge: unknown option '-x'\nTry 'dyad merge --help'.\n"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(parse(bad[i].line, &o, &msg, &words), 2);
        assert_string_equal(buf_str(&msg), bad[i].msg);
        free(o.dirs);
        free(words);
    }
    assert_int_equal(parse("merge --help", &o, &msg, &words), 0);
    assert_true(strncmp(buf_str(&msg), "usage: dyad merge DIR... -o OUT [-q]\n", 37) == 0);
    free(o.dirs);
    free(words);
    buf_free(&msg);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_cell_quotes_like_the_writers),
        cmocka_unit_test(test_file_id_from_session_and_source),
        T(test_merge_interleaves_two_sets),
        T(test_merge_meta_union_in_first_appearance_order),
        T(test_merge_blank_first_key_goes_with_the_next),
        T(test_merge_one_large_set_is_unchanged),
        T(test_merge_utterances_with_text_stay_private),
        T(test_merge_errors_keep_the_largest_count),
        T(test_error_missing_folder),
        T(test_error_not_a_folder),
        T(test_error_missing_report),
        T(test_error_utterances_in_some_sets),
        T(test_error_output_is_an_input),
        T(test_error_folder_given_twice),
        T(test_error_different_versions),
        T(test_error_different_lexicons),
        T(test_error_different_matches_setting),
        T(test_error_run_csv_damaged),
        T(test_error_header_differs),
        T(test_error_sessions_header),
        T(test_error_empty_report),
        T(test_error_session_in_two_sets),
        T(test_error_sessions_out_of_order),
        T(test_error_rows_of_an_unknown_session),
        T(test_error_row_with_wrong_cell_count),
        T(test_error_bad_quoting),
        T(test_error_bad_line_in_errors_csv),
        T(test_error_output_folder_unwritable),
        cmocka_unit_test(test_parse_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
