/* test_report_set.c: writing reports through temporary files
 * (writers/report_set.c), and above all sessions.csv's meta_ cells, added
 * to each row at the end of the run.
 *
 * Issue 7: the meta table used to keep every row's length to find the
 * rows again; it now keeps nothing for rows without metadata, and the rows
 * are found by their newlines outside quotes. These tests put quoted line
 * breaks, doubled quotes and commas in rows, rows that cross the 16 KB
 * blocks the copy reads, and a body that does not match the table (the
 * error path). */
#include "testutil.h"

#include "model/session.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include "writers/meta_table.h"
#include "writers/reports.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

/* ---- scaffolding ---- */

typedef struct fixture {
    char *root;              /* a fresh temporary folder, the output folder */
    diag_list d;
    meta_table mt;
    buf body;                /* sessions.csv's rows, as written */
} fixture;

static int setup(void **state)
{
    fixture *f = xcalloc(1, sizeof *f);
    f->root = test_tmpdir("report-set");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    test_remove_tree(f->root);
    free(f->root);
    diag_free(&f->d);
    meta_table_free(&f->mt);
    buf_free(&f->body);
    free(f);
    return 0;
}

/* One sessions.csv row (with its newline) and its session's metadata, given
 * as key, value pairs ending with NULL. */
static void add_row(fixture *f, const char *row, const char *const *pairs)
{
    session s;
    session_init(&s, "s", "s.csv");
    for (size_t i = 0; pairs[i]; i += 2) session_add_meta(&s, pairs[i], pairs[i + 1]);
    buf_adds(&f->body, row);
    meta_table_add_row(&f->mt, strlen(row), &s);
    session_free(&s);
}

static const char *const NO_META[] = {NULL};

/* Write the body as the batch does, finish sessions.csv with `header`, and
 * commit. Returns what commit returned. */
static int write_sessions(fixture *f, const char *header)
{
    report_choice choice = {0};
    report_set *rs = report_set_open(f->root, &choice, &f->d);
    assert_non_null(rs);
    assert_int_equal(report_set_write(rs, REPORT_SESSIONS, &f->body), 0);
    buf h = {0};
    buf_adds(&h, header);
    report_set_finish_sessions(rs, &h, &f->mt);
    buf_free(&h);
    return report_set_commit(rs, &f->d);
}

/* ROOT/name holds exactly `want`. */
static void expect_report(const fixture *f, const char *name, const char *want)
{
    char *path = test_path(f->root, name);
    test_expect_file(path, want);
    free(path);
}

/* Files left in the output folder, names joined by spaces (sorted). */
static char *folder_listing(const fixture *f)
{
    DIR *dh = opendir(f->root);
    assert_non_null(dh);
    char *names[32];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL && n < 32)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) names[n++] = xstrdup(e->d_name);
    closedir(dh);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    buf b = {0};
    for (size_t i = 0; i < n; i++) {
        buf_addf(&b, "%s%s", i ? " " : "", names[i]);
        free(names[i]);
    }
    return buf_take(&b);
}

/* ---- tests ---- */

/* Cells go before each row's own newline, never before one inside a quoted
 * cell; a row without metadata gets empty cells; doubled quotes do not
 * confuse the count. */
static void test_meta_cells_after_quoted_cells(void **state)
{
    fixture *f = *state;
    add_row(f, "a,\"x\ny\",1\n", NO_META);
    add_row(f, "b,\"q\"\"r\",2\n", (const char *const[]){"topic", "t,1", NULL});
    add_row(f, "c,\"\"\"\n\"\"\",3\n", (const char *const[]){"site", "n", NULL});
    add_row(f, "d,plain,4\n", NO_META);
    assert_int_equal(write_sessions(f, "session_id,text,n\n"), 0);
    expect_report(f, "sessions.csv",
                  "session_id,text,n,meta_topic,meta_site\n"
                  "a,\"x\ny\",1,,\n"
                  "b,\"q\"\"r\",2,\"t,1\",\n"
                  "c,\"\"\"\n\"\"\",3,,n\n"
                  "d,plain,4,,\n");
    char *files = folder_listing(f);
    assert_string_equal(files, "errors.csv matches.csv run.csv segments.csv sessions.csv speakers.csv windows.csv");
    free(files);
}

/* Without metadata the rows are copied as they are, after the header. */
static void test_no_metadata(void **state)
{
    fixture *f = *state;
    add_row(f, "a,1\n", NO_META);
    add_row(f, "\"b\nc\",2\n", NO_META);
    assert_int_equal(write_sessions(f, "session_id,n\n"), 0);
    expect_report(f, "sessions.csv", "session_id,n\na,1\n\"b\nc\",2\n");
}

static void test_no_rows(void **state)
{
    fixture *f = *state;
    assert_int_equal(write_sessions(f, "session_id,n\n"), 0);
    expect_report(f, "sessions.csv", "session_id,n\n");
}

/* 2,000 rows of about 30 bytes, each with a quoted line break, every
 * seventh with metadata: rows and quoted cells cross the 16 KB blocks the
 * body is read in. */
static void test_rows_across_blocks(void **state)
{
    fixture *f = *state;
    buf want = {0}, row = {0};
    buf_adds(&want, "id,text,n,meta_k\n");
    for (int i = 0; i < 2000; i++) {
        buf_clear(&row);
        buf_addf(&row, "id%04d,\"two\nlines, \"\"quoted\"\"\",%d", i, i);
        buf_addf(&want, "%s,%s\n", buf_str(&row), i % 7 == 0 ? "v" : "");
        buf_addc(&row, '\n');
        add_row(f, buf_str(&row), i % 7 == 0 ? (const char *const[]){"k", "v", NULL} : NO_META);
    }
    assert_true(f->body.len > 3 * 16384);
    assert_int_equal(write_sessions(f, "id,text,n\n"), 0);
    expect_report(f, "sessions.csv", buf_str(&want));
    buf_free(&want);
    buf_free(&row);
}

/* The body is not what the table counted (a row more in the table than in
 * the file, a row without its newline): the run fails as a write error,
 * with the usual message, and no report is put in place. */
static void expect_mismatch_fails(fixture *f)
{
    assert_int_equal(write_sessions(f, "id,n\n"), -1);
    assert_int_equal(f->d.n, 1);
    buf source = {0};
    buf_addf(&source, "%s/sessions.csv", f->root);
    assert_string_equal(f->d.items[0].source, buf_str(&source));
    buf_free(&source);
    assert_int_equal(f->d.items[0].sev, SEV_ERROR);
    assert_string_equal(f->d.items[0].message,
                        "cannot write the report: Input/output error; no report was replaced "
                        "(free some space or choose another folder with -o DIR)");
    char *files = folder_listing(f);
    assert_string_equal(files, "");
    free(files);
}

static void test_table_counts_more_rows(void **state)
{
    fixture *f = *state;
    add_row(f, "a,1\n", NO_META);
    add_row(f, "b,2\n", (const char *const[]){"k", "v", NULL});
    session s;
    session_init(&s, "s", "s.csv");
    meta_table_add_row(&f->mt, 4, &s);   /* a third row never written */
    session_free(&s);
    expect_mismatch_fails(f);
}

static void test_last_row_without_newline(void **state)
{
    fixture *f = *state;
    add_row(f, "a,1\n", NO_META);
    add_row(f, "b,2", NO_META);
    expect_mismatch_fails(f);
}

/* An unclosed quote swallows the newlines after it: fewer rows than counted. */
static void test_unclosed_quote(void **state)
{
    fixture *f = *state;
    add_row(f, "a,\"1\n", NO_META);
    add_row(f, "b,2\n", NO_META);
    expect_mismatch_fails(f);
}

/* Reports of several MB, written in 64 KB pieces as the batch writes a
 * file's rows: the count reports start their writeback every few MB on the
 * way (report_set.c) and are whole and in order after the commit, as are
 * matches.csv and utterances.csv, which do not. */
static void test_reports_past_writeback_steps(void **state)
{
    fixture *f = *state;
    report_choice choice = {.utterances = 1};
    report_set *rs = report_set_open(f->root, &choice, &f->d);
    assert_non_null(rs);
    static const report_kind kinds[] = {REPORT_SPEAKERS, REPORT_MATCHES, REPORT_SEGMENTS, REPORT_WINDOWS,
                                        REPORT_UTTERANCES};
    enum { PIECES = 150 };   /* 150 x 64 KB: 9.8 MB, past two 4 MB steps */
    buf piece = {0};
    for (int i = 0; i < PIECES; i++)
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            buf_clear(&piece);
            while (piece.len < 65536 - 32) buf_addf(&piece, "r%d,k%zu,%zu\n", i, k, piece.len);
            assert_int_equal(report_set_write(rs, kinds[k], &piece), 0);
        }
    assert_int_equal(report_set_write(rs, REPORT_SESSIONS, &f->body), 0);
    buf h = {0};
    buf_adds(&h, "id\n");
    assert_int_equal(report_set_finish_sessions(rs, &h, &f->mt), 0);
    buf_free(&h);
    assert_int_equal(report_set_commit(rs, &f->d), 0);
    assert_int_equal(f->d.n, 0);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        buf want = {0};
        for (int i = 0; i < PIECES; i++) {
            buf_clear(&piece);
            while (piece.len < 65536 - 32) buf_addf(&piece, "r%d,k%zu,%zu\n", i, k, piece.len);
            buf_add(&want, piece.data, piece.len);
        }
        assert_true(want.len > 9 * 1000 * 1000);
        expect_report(f, report_file_name(kinds[k]), buf_str(&want));
        buf_free(&want);
    }
    char *files = folder_listing(f);
    assert_string_equal(files, "errors.csv matches.csv run.csv segments.csv sessions.csv speakers.csv "
                               "utterances.csv windows.csv");
    free(files);
    buf_free(&piece);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_meta_cells_after_quoted_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_metadata, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_across_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_counts_more_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_last_row_without_newline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unclosed_quote, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reports_past_writeback_steps, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
