/* testutil.h: what every cmocka unit test includes, and the helpers the
 * tests share (tests/unit/testutil.c): temporary files and folders, paths
 * under the project root and ../shared/data, and the assertions that reader
 * and lexicon tests make again and again.
 *
 * Every helper that can fail does so through a cmocka assertion, so a test
 * never checks their results; every string they return is the caller's to
 * free. No helper keeps state between calls. */
#ifndef DYAD_TESTUTIL_H
#define DYAD_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "analysis/lexicon.h"
#include "model/session.h"
#include "readers/reader.h"
#include "util/diag.h"

/* Compare doubles to 1e-9. */
#define assert_double_eq(a, b) assert_true(fabs((double)(a) - (double)(b)) < 1e-9)

/* ---- temporary files and folders ---- */

/* A fresh empty folder, $TMPDIR/dyad-test-TAG-XXXXXX (/tmp without
 * $TMPDIR). Remove it with test_remove_tree, then free the name. */
char *test_tmpdir(const char *tag);
/* Remove PATH and, for a folder, everything in it; links are removed, not
 * followed. Nothing happens when PATH does not exist. */
void test_remove_tree(const char *path);
/* "DIR/NAME". */
char *test_path(const char *dir, const char *name);
/* Write TEXT to DIR/NAME (NAME may hold folders: "in/a/x.txt"), making the
 * missing folders on the way. */
void test_write_file(const char *dir, const char *name, const char *text);
/* A new temporary file, $TMPDIR/dyad-test-XXXXXXSUFFIX (SUFFIX may be ""),
 * holding N bytes (NUL bytes too); returns its path. Remove it with
 * test_remove_temp. */
char *test_temp_file(const char *suffix, const char *bytes, size_t n);
/* Delete a file made by test_temp_file and free its path. */
void test_remove_temp(char *path);
/* The whole file as a string, or NULL when it cannot be opened. */
char *test_read_file(const char *path);
/* Assert that the file exists and holds exactly WANT. */
void test_expect_file(const char *path, const char *want);

/* ---- the project's fixtures and ../shared/data ---- */

/* PROJECT/tests/fixtures/FOLDER/NAME. PROJECT is the first folder holding
 * tests/fixtures of ".", "..", "../.." (make test runs the tests from the
 * project root) and the folder above the test program's BUILD/tests/; the
 * test fails when there is none. */
char *test_fixture_path(const char *folder, const char *name);
/* PROJECT/../shared/data/FOLDER/NAME (the real corpora, kept outside the
 * project) when it exists. When ../shared/data itself is absent, prints
 * "SKIPPED: ../shared/data absent (PATH)" and skips the test; when only the
 * file is missing, the test fails. Either way the call does not return. */
char *test_shared_data(const char *folder, const char *name);

/* ---- reader tests ---- */

/* What a reader test reads into; tests name it `fixture`. */
typedef struct test_reading {
    session_list out;
    diag_list d;
} test_reading;

/* cmocka setup and teardown: a zeroed test_reading in *state, freed with
 * its sessions and messages afterwards. */
int test_reading_setup(void **state);
int test_reading_teardown(void **state);
/* A test run with a fresh test_reading, for the tests[] table of main. */
#define reading_test(f) cmocka_unit_test_setup_teardown(f, test_reading_setup, test_reading_teardown)

/* Assert that a read returned RC 0 and left exactly one session; return it. */
session *test_one_session(test_reading *r, int rc);
/* The speaker label of utterance UTT. */
const char *test_label_of(const session *s, size_t utt);
/* Assert utterance I: speaker label, text and source line. */
void test_check_utt(const session *s, size_t i, const char *label, const char *text, long line);
/* Assert utterance I's times and flags. */
void test_check_times(const session *s, size_t i, double start, double end, unsigned flags);
/* Assert all of utterance I: label, text, times, line and flags. */
void test_check_timed_utt(const session *s, size_t i, const char *label, const char *text, double start,
                          double end, long line, unsigned flags);
/* Assert speaker I: label, role, and whether the file stated the role. */
void test_check_speaker(const session *s, size_t i, const char *label, role r, int from_source);
/* Assert message I: severity, source (not checked when NULL), line, text. */
void test_check_diag(const diag_list *d, size_t i, severity sev, const char *source, long line,
                     const char *message);

/* ---- lexicon tests ---- */

/* Assert match I: category, rule, and its words [first, last). */
void test_check_match(const match_list *ml, size_t i, uint32_t cat, uint32_t rule, uint32_t first,
                      uint32_t last);
/* Assert there are n matches, each as want[i]: category, rule, first, last. */
void test_check_matches(const match_list *ml, const uint32_t (*want)[4], size_t n);

#endif
