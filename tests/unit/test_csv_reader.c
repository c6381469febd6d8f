/* test_csv_reader.c: the CSV/TSV transcript reader (readers/csv.c).
 *
 * Most tests read a small file of tests/fixtures/csv/ and check, against
 * values worked out by hand, the sessions read_csv builds and the messages
 * it adds. Byte-level cases (CR line ends, UTF-16) write a temporary file.
 * The last tests read AnnoMI from ../shared/data when it is there; their
 * expected counts were established with Python's csv module. */
#include "testutil.h"

#include "model/session.h"
#include "readers/reader.h"
#include "util/buf.h"
#include "util/diag.h"

#include <stdlib.h>
#include <string.h>

typedef test_reading fixture;

static int read_path(fixture *f, const char *path, const char *source, const char *columns)
{
    reader_input in = {.path = path, .source = source, .session_id = "site/s1"};
    reader_options opt = {.columns = columns};
    return read_csv(&in, &opt, &f->out, &f->d);
}

/* Read tests/fixtures/csv/NAME; messages name it NAME. */
static int read_fixture(fixture *f, const char *name, const char *columns)
{
    char *path = test_fixture_path("csv", name);
    int rc = read_path(f, path, name, columns);
    free(path);
    return rc;
}

/* Write bytes to a temporary file named *.SUFFIX, read it as "t.SUFFIX". */
static int read_bytes(fixture *f, const char *bytes, size_t n, const char *suffix)
{
    buf dot_suffix = {0}, source = {0};
    buf_addf(&dot_suffix, ".%s", suffix);
    buf_addf(&source, "t.%s", suffix);
    char *path = test_temp_file(buf_str(&dot_suffix), bytes, n);
    int rc = read_path(f, path, buf_str(&source), NULL);
    test_remove_temp(path);
    buf_free(&dot_suffix);
    buf_free(&source);
    return rc;
}

static int read_text(fixture *f, const char *text, const char *suffix)
{
    return read_bytes(f, text, strlen(text), suffix);
}

/* The one message tied to `line`; fails when there is not exactly one. */
static const diag *diag_at(const fixture *f, long line)
{
    const diag *found = NULL;
    for (size_t i = 0; i < f->d.n; i++) {
        if (f->d.items[i].line != line) continue;
        assert_null(found);
        found = &f->d.items[i];
    }
    assert_non_null(found);
    return found;
}

static void check_diag(const fixture *f, long line, severity sev, const char *message)
{
    const diag *m = diag_at(f, line);
    assert_int_equal(m->sev, sev);
    assert_string_equal(m->message, message);
}

/* ---- fixtures that read cleanly ---- */

static void test_basic(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "basic.csv", NULL), 0);
    assert_int_equal(f->d.n, 0);
    assert_int_equal(f->out.n, 1);
    session *s = &f->out.items[0];
    assert_string_equal(s->id, "site/s1");
    assert_string_equal(s->source, "basic.csv");
    assert_int_equal(s->n_speakers, 2);
    assert_int_equal(s->n_utts, 4);
    assert_int_equal(s->n_meta, 0);
    test_check_utt(s, 0, "Therapist", "How are you today?", 2);
    test_check_utt(s, 1, "Client", "Not great. I slept badly.", 3);   /* newline inside quotes */
    test_check_utt(s, 2, "Therapist", "She said \"enough\", right?", 5);
    test_check_utt(s, 3, "Client", "", 6);                              /* empty text kept */
    test_check_times(s, 0, 0, 4.5, 0);                 /* seconds */
    test_check_times(s, 1, 65, 70.25, 0);              /* MM:SS, M:SS.ff */
    test_check_times(s, 2, 72.5, 80, 0);               /* HH:MM:SS.mmm */
    test_check_times(s, 3, 81, TIME_UNKNOWN, 0);       /* last: nothing to estimate from */
    assert_int_equal(s->times_estimated, 0);
    for (size_t i = 0; i < s->n_speakers; i++) {
        assert_int_equal(s->speakers[i].role, ROLE_OTHER);
        assert_int_equal(s->speakers[i].role_from_source, 0);
    }
}

static void test_sessions_and_meta(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "sessions.csv", NULL), 0);
    assert_int_equal(f->d.n, 0);
    assert_int_equal(f->out.n, 2);
    session *a = &f->out.items[0], *b = &f->out.items[1];
    assert_string_equal(a->id, "site/s1/a1");
    assert_string_equal(b->id, "site/s1/b2");
    assert_int_equal(a->n_utts, 3);
    assert_int_equal(b->n_utts, 2);
    test_check_utt(a, 0, "therapist", "Shall we begin?", 2);
    test_check_utt(a, 1, "client", "Yes.", 4);
    test_check_utt(a, 2, "therapist", "Tell me more.", 6);
    test_check_utt(b, 0, "client", "I ate well.", 3);
    test_check_utt(b, 1, "therapist", "Good to hear.", 5);
    assert_string_equal(b->speakers[0].label, "client");   /* order of first appearance */
    /* start times only: each end is the next start of the same session */
    test_check_times(a, 0, 5, 9, UTT_END_ESTIMATED);
    test_check_times(a, 1, 9, 10, UTT_END_ESTIMATED);
    test_check_times(a, 2, 10, TIME_UNKNOWN, 0);
    test_check_times(b, 0, 2, 6, UTT_END_ESTIMATED);
    test_check_times(b, 1, 6, TIME_UNKNOWN, 0);
    assert_int_equal(a->times_estimated, 1);
    assert_int_equal(b->times_estimated, 1);
    /* topic is constant in each session; rater is constant in a1 only and
     * label varies: neither is metadata */
    assert_int_equal(a->n_meta, 1);
    assert_string_equal(a->meta[0].key, "topic");
    assert_string_equal(a->meta[0].value, "smoking");
    assert_int_equal(b->n_meta, 1);
    assert_string_equal(b->meta[0].value, "diet");
}

static void test_annotators(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "annotators.csv", NULL), 0);
    assert_int_equal(f->d.n, 1);
    check_diag(f, 4, SEV_WARNING,
               "several annotators per session (annotator_id); only the first annotator's rows are read");
    assert_int_equal(f->out.n, 2);
    session *a = &f->out.items[0], *b = &f->out.items[1];
    assert_int_equal(a->n_utts, 2);
    test_check_utt(a, 0, "therapist", "Hello there.", 2);
    test_check_utt(a, 1, "client", "Hi.", 3);
    assert_int_equal(b->n_utts, 2);
    test_check_utt(b, 0, "therapist", "Welcome back.", 6);
    test_check_times(b, 0, TIME_UNKNOWN, TIME_UNKNOWN, 0);
    assert_int_equal(a->n_meta, 1);
    assert_string_equal(a->meta[0].key, "annotator_id");
    assert_string_equal(a->meta[0].value, "3");
    assert_string_equal(b->meta[0].value, "5");
}

static void test_semicolon_bom_crlf(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "semicolon.csv", NULL), 0);
    assert_int_equal(f->d.n, 0);
    assert_int_equal(f->out.n, 1);
    session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 0, "T", "Hello, you", 2);
    test_check_utt(s, 1, "C", "Line one line two", 3);
    test_check_times(s, 0, 1.5, 3, UTT_END_ESTIMATED);    /* decimal comma */
    test_check_times(s, 1, 3, TIME_UNKNOWN, 0);
}

static void test_tsv(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "tabs.tsv", NULL), 0);
    assert_int_equal(f->d.n, 0);
    assert_int_equal(f->out.n, 1);
    session *s = &f->out.items[0];
    assert_string_equal(s->id, "site/s1/s1");
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 0, "T", "Hello, world; fine.", 2);
    test_check_utt(s, 1, "C", "Quoted\ttab", 3);
}

static void test_roles_column(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "roles.csv", NULL), 0);
    assert_int_equal(f->d.n, 1);
    check_diag(f, 6, SEV_WARNING,
               "speaker 'Sam' is given the role 'therapist' but an earlier row gave 'client'; "
               "the first role is kept (1 row of the file disagrees like this)");
    session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 5);
    assert_int_equal(s->n_speakers, 3);
    assert_string_equal(s->speakers[0].label, "Dr. Mills");
    assert_int_equal(s->speakers[0].role, ROLE_THERAPIST);
    assert_int_equal(s->speakers[0].role_from_source, 1);
    assert_string_equal(s->speakers[1].label, "Sam");
    assert_int_equal(s->speakers[1].role, ROLE_CLIENT);
    assert_int_equal(s->speakers[1].role_from_source, 1);
    assert_string_equal(s->speakers[2].label, "Observer");     /* "Note-taker": not a role */
    assert_int_equal(s->speakers[2].role, ROLE_OTHER);
    assert_int_equal(s->speakers[2].role_from_source, 0);
    assert_int_equal(s->n_meta, 0);
}

static void test_end_before_start(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "ends.csv", NULL), 0);
    assert_int_equal(f->d.n, 1);
    check_diag(f, 2, SEV_WARNING,
               "end time 00:00:08 is before the start time 00:00:10; the end is treated as unknown");
    session *s = &f->out.items[0];
    test_check_times(s, 0, 10, 12, UTT_END_ESTIMATED);
    test_check_times(s, 1, 12, 15, UTT_END_ESTIMATED);
    test_check_times(s, 2, 15, 16, 0);
    assert_int_equal(s->times_estimated, 1);
}

static void test_session_ids(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "ids.csv", NULL), 0);
    assert_int_equal(f->d.n, 1);
    check_diag(f, 3, SEV_WARNING,
               "session 'a_b' has the id 'site/s1/a_b' of an earlier session once '/' and "
               "control characters are replaced; it is named 'site/s1/a_b~2'");
    assert_int_equal(f->out.n, 4);
    assert_string_equal(f->out.items[0].id, "site/s1/a_b");     /* "a/b" */
    assert_string_equal(f->out.items[1].id, "site/s1/a_b~2");   /* "a_b" */
    assert_string_equal(f->out.items[2].id, "site/s1/x_y");     /* "x<newline>y" */
    assert_string_equal(f->out.items[3].id, "site/s1/_");       /* empty */
    test_check_utt(&f->out.items[2], 0, "T", "Three.", 4);
    test_check_utt(&f->out.items[3], 0, "C", "Four.", 6);
}

/* ---- --columns and column errors ---- */

static void test_columns_option(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "custom.csv", "session=conv, speaker=who,text=said,start=begin,END=finish"), 0);
    assert_int_equal(f->d.n, 0);
    assert_int_equal(f->out.n, 1);
    session *s = &f->out.items[0];
    assert_string_equal(s->id, "site/s1/x");
    test_check_utt(s, 0, "Counselor", "Hi.", 2);
    test_check_utt(s, 1, "Client", "Hello.", 3);
    test_check_times(s, 0, 1, 2, 0);
    test_check_times(s, 1, 3, 4, 0);
    assert_int_equal(s->times_estimated, 0);
    assert_int_equal(s->n_meta, 0);    /* notes varies */
}

static void test_no_speaker_or_text_column(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "custom.csv", NULL), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 2);
    assert_int_equal(diag_count(&f->d, SEV_ERROR), 2);
    assert_int_equal(f->d.items[0].line, 1);
    assert_string_equal(f->d.items[0].message,
                        "no speaker column found (looked for speaker, interlocutor, role); the header "
                        "has: conv, who, said, begin, finish, notes; name it with --columns speaker=COLUMN");
    assert_string_equal(f->d.items[1].message,
                        "no text column found (looked for text, utterance, utterance_text, content); the "
                        "header has: conv, who, said, begin, finish, notes; name it with --columns text=COLUMN");
}

static void test_columns_unknown_key(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "custom.csv", "speakr=who,text=said"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.items[0].sev, SEV_ERROR);
    assert_string_equal(f->d.items[0].message,
                        "--columns: unknown key 'speakr'; the keys are session, speaker, text, start, end, role");
}

static void test_columns_missing_column(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "custom.csv", "speaker=whom,text=said"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    check_diag(f, 1, SEV_ERROR,
               "--columns: column 'whom' (for speaker) is not in the header; "
               "the header has: conv, who, said, begin, finish, notes");
}

static void test_columns_not_key_value(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "custom.csv", "speaker"), -1);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(f->d.items[0].message,
                        "--columns: 'speaker' is not KEY=COLUMN; write e.g. "
                        "--columns speaker=interlocutor,text=utterance_text");
}

static void test_column_names_normalised(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, "Interlocutor,Utterance Text,Start-Time\nT,Hi.,5\n", "csv"), 0);
    session *s = &f->out.items[0];
    test_check_utt(s, 0, "T", "Hi.", 2);
    test_check_times(s, 0, 5, TIME_UNKNOWN, 0);
}

/* The speaker column may be named "role"; then it only labels speakers. */
static void test_role_as_speaker_column(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, "role,text\ntherapist,Hi.\n", "csv"), 0);
    session *s = &f->out.items[0];
    test_check_utt(s, 0, "therapist", "Hi.", 2);
    assert_int_equal(s->speakers[0].role_from_source, 0);
}

/* A column named for both speaker and role only labels speakers. */
static void test_same_column_for_speaker_and_role(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "custom.csv", "speaker=who,role=who,text=said"), 0);
    session *s = &f->out.items[0];
    assert_string_equal(s->speakers[0].label, "Counselor");
    assert_int_equal(s->speakers[0].role, ROLE_OTHER);
    assert_int_equal(s->speakers[0].role_from_source, 0);
}

/* ---- broken files ---- */

static void test_unterminated_quote(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "unterminated.csv", NULL), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    check_diag(f, 3, SEV_ERROR,
               "unterminated quoted field starting at line 3: the file ends inside it; "
               "close the field with '\"' and write '\"' inside it as '\"\"'");
}

static void test_quote_closed_by_mistake(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "bad_quote.csv", NULL), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    check_diag(f, 2, SEV_ERROR,
               "unterminated quoted field starting at line 2: a '\"' at line 4 is followed by "
               "other text; inside a quoted field write '\"' as '\"\"'");
}

/* The open field starts on line 3, after a quoted field that spans lines
 * 2 and 3. */
static void test_unterminated_quote_later_in_row(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, "speaker,text,note\nT,\"ab\ncd\", \"open\nx\n", "csv"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    check_diag(f, 3, SEV_ERROR,
               "unterminated quoted field starting at line 3: the file ends inside it; "
               "close the field with '\"' and write '\"' inside it as '\"\"'");
}

static void test_messy_rows(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "messy.csv", NULL), 0);
    assert_int_equal(f->d.n, 5);   /* times going backwards are the session model's to warn about */
    assert_int_equal(diag_count(&f->d, SEV_WARNING), 5);
    check_diag(f, 3, SEV_WARNING,
               "row has 4 fields but the header has 3; row skipped "
               "(a field that contains the delimiter ',' must be in double quotes)");
    check_diag(f, 4, SEV_WARNING,
               "malformed time '00:09:025' in column 'start'; the time is treated as unknown "
               "(write seconds such as 12.5, MM:SS or HH:MM:SS.mmm)");
    check_diag(f, 5, SEV_WARNING, "negative time '-3' in column 'start'; the time is treated as unknown");
    check_diag(f, 6, SEV_WARNING,
               "time '2000000' in column 'start' is over 1,000,000 seconds; the time is treated as unknown");
    check_diag(f, 8, SEV_WARNING, "empty speaker in column 'speaker'; row skipped");
    assert_int_equal(f->out.n, 1);
    session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 7);
    test_check_utt(s, 0, "T", "He said \"hi\" to me.", 2);   /* quotes in an unquoted field */
    test_check_utt(s, 1, "T", "Bad time", 4);
    test_check_utt(s, 4, "C", "Back", 7);
    test_check_utt(s, 5, "T", "", 9);
    test_check_utt(s, 6, "C", "After blank", 11);             /* after a line of spaces */
    test_check_times(s, 0, 10, TIME_UNKNOWN, 0);               /* next start unknown */
    test_check_times(s, 1, TIME_UNKNOWN, TIME_UNKNOWN, 0);
    test_check_times(s, 2, TIME_UNKNOWN, TIME_UNKNOWN, 0);
    test_check_times(s, 3, TIME_UNKNOWN, TIME_UNKNOWN, 0);
    test_check_times(s, 4, 5, 30, UTT_END_ESTIMATED);
    test_check_times(s, 5, 30, 31, UTT_END_ESTIMATED);
    test_check_times(s, 6, 31, TIME_UNKNOWN, 0);
}

static void test_header_only(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "header_only.csv", NULL), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    check_diag(f, 1, SEV_ERROR, "no rows to read after the header; add one row per utterance");
}

static void test_blank_lines_only(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, "\n  \n\n", "csv"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(f->d.items[0].message, "no header line: the file holds only blank lines");
}

static void test_missing_file(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_path(f, "/nonexistent/dyad/x.csv", "x.csv", NULL), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(f->d.items[0].message, "cannot open: No such file or directory");
}

/* ---- bytes and delimiters ---- */

static void test_tab_detected_in_csv(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, "speaker\ttext\nT\tHi, there; friend\n", "csv"), 0);
    test_check_utt(&f->out.items[0], 0, "T", "Hi, there; friend", 2);
}

static void test_cr_line_ends(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, "speaker,text\rT,\"a\rb\"\r\rC,c", "csv"), 0);
    session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 0, "T", "a b", 2);
    test_check_utt(s, 1, "C", "c", 5);     /* a blank line 4 and no final line end */
}

/* Line breaks inside quoted cells become one space each (CRLF counts as
 * one), in the speaker label and in the text. */
static void test_line_breaks_inside_cells(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, "speaker,text\r\n\"T\r\nx\",\"a\r\nb\nc\rd\r\n\ne\"\r\nC,ok\r\n", "csv"), 0);
    session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 0, "T x", "a b c d  e", 2);
    test_check_utt(s, 1, "C", "ok", 9);
}

static void test_utf16(void **state)
{
    fixture *f = *state;
    const char *ascii = "speaker,text\nT,Hi.\n";
    char bytes[64] = {'\xFF', '\xFE'};
    size_t n = 2;
    for (const char *p = ascii; *p; p++) {
        bytes[n++] = *p;
        bytes[n++] = 0;
    }
    assert_int_equal(read_bytes(f, bytes, n, "csv"), 0);
    test_check_utt(&f->out.items[0], 0, "T", "Hi.", 2);
}

static void test_repeated_stray_quotes(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, "speaker,text\nT,ab\"\"c \"d\"\n", "csv"), 0);
    assert_int_equal(f->d.n, 0);
    test_check_utt(&f->out.items[0], 0, "T", "ab\"\"c \"d\"", 2);
}

/* Whole-row lines are split without libcsv (csv.c, split_plain_row); the
 * others (a space after a closing quote, a stray quote, a quoted field
 * over two lines, the last line without a line end) still go to libcsv.
 * Rows of both kinds, one after the other, must read the same way. */
static void test_plain_and_libcsv_rows(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f,
                               "speaker,text,note\n"
                               " T ,\t\"a, \"\"b\"\"\",\n"      /* split: spaces, "", a comma in quotes */
                               "C,\"h\xC3\xA9llo\" ,x\n"          /* libcsv: a space after the quote */
                               "T,plain \"quote\" here,\n"      /* libcsv: a stray quote */
                               "C,\"two\nlines\",y\n"            /* libcsv: over two lines */
                               "\n"
                               "T,  spaced text\t ,z",            /* csv_fini: no line end */
                               "csv"),
                     0);
    assert_int_equal(f->d.n, 0);
    session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 5);
    test_check_utt(s, 0, "T", "a, \"b\"", 2);
    test_check_utt(s, 1, "C", "h\xC3\xA9llo", 3);
    test_check_utt(s, 2, "T", "plain \"quote\" here", 4);
    test_check_utt(s, 3, "C", "two lines", 5);
    test_check_utt(s, 4, "T", "spaced text", 8);
}

/* With a tab delimiter a tab is a field boundary, never a space to drop:
 * a line that starts with one has an empty first field. */
static void test_plain_rows_tsv(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, "note\tspeaker\ttext\n\tT\t hi \nn\t\"C\"\t\"a\tb\"\"\"\n", "tsv"), 0);
    assert_int_equal(f->d.n, 0);
    session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 0, "T", "hi", 2);
    test_check_utt(s, 1, "C", "a\tb\"", 3);
}

/* A row whose field count differs from the header's is skipped whichever
 * way it was split, and the rows around it are kept. */
static void test_plain_row_wrong_width(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, "speaker,text\nT,a,b\nC,\"c\"\n", "csv"), 0);
    assert_int_equal(f->d.n, 1);
    check_diag(f, 2, SEV_WARNING,
               "row has 3 fields but the header has 2; row skipped "
               "(a field that contains the delimiter ',' must be in double quotes)");
    session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 1);
    test_check_utt(s, 0, "C", "c", 3);
}

static void test_sniff(void **state)
{
    (void)state;
    static const struct { const char *head; int csv; } cases[] = {
        {"speaker,text\nT,hi\n", 1},
        {"\xEF\xBB\xBFtranscript_id;interlocutor;x\r\n", 1},
        {"session\tutterance_text\n", 1},
        {"Start Time,Speaker", 1},
        {"transcript_id,mi_quality,video_title,video_url,topic,utterance_id,interlocutor,"
         "timestamp,utterance_text\n", 1},
        {"speaker,foo\nT,hi\n", 0},            /* one recognised name */
        {"speaker text\n", 0},                 /* no delimiter */
        {"speaker,text;start\n", 0},           /* two names, but not with one delimiter */
        {"THERAPIST: hello, text\n", 0},
        {"", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(sniff_csv(cases[i].head, strlen(cases[i].head)), cases[i].csv);
}

/* reader_by_signature is reader_by_content without CSV, the last sniffer. */
static void test_sniff_without_csv(void **state)
{
    (void)state;
    const char *csv = "speaker,text\nT,hi\n", *vtt = "WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n";
    assert_string_equal(reader_by_content(csv, strlen(csv))->name, "csv");
    assert_null(reader_by_signature(csv, strlen(csv)));
    assert_string_equal(reader_by_content(vtt, strlen(vtt))->name, "vtt");
    assert_string_equal(reader_by_signature(vtt, strlen(vtt))->name, "vtt");
    assert_null(reader_by_content("T: hi\n", 6));
    assert_null(reader_by_signature("T: hi\n", 6));
    assert_null(reader_by_signature("", 0));
}

/* ---- the real AnnoMI files (skipped when ../shared/data is absent) ---- */

static size_t total_utterances(const session_list *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) n += l->items[i].n_utts;
    return n;
}

/* Counts from Python's csv module: 89 transcripts, 7145 rows, 2 speakers
 * each; one malformed timestamp (line 1388, "00:09:025") and 9 starts that
 * go back in time. */
static void test_annomi_simple(void **state)
{
    fixture *f = *state;
    char *path = test_shared_data("annomi-dev", "AnnoMI-simple.csv");
    int rc = read_path(f, path, "AnnoMI-simple.csv", NULL);
    free(path);
    assert_int_equal(rc, 0);
    assert_int_equal(f->out.n, 89);
    assert_int_equal(total_utterances(&f->out), 7145);
    assert_int_equal(diag_count(&f->d, SEV_ERROR), 0);
    assert_int_equal(diag_count(&f->d, SEV_WARNING), 1);
    check_diag(f, 1388, SEV_WARNING,
               "malformed time '00:09:025' in column 'timestamp'; the time is treated as unknown "
               "(write seconds such as 12.5, MM:SS or HH:MM:SS.mmm)");
    for (size_t i = 0; i < f->out.n; i++) assert_int_equal(f->out.items[i].n_speakers, 2);
    session *first = &f->out.items[0], *second = &f->out.items[1], *last = &f->out.items[88];
    assert_string_equal(first->id, "site/s1/1");
    assert_int_equal(first->n_utts, 37);
    assert_string_equal(second->id, "site/s1/2");
    assert_int_equal(second->n_utts, 36);
    assert_string_equal(last->id, "site/s1/133");
    assert_int_equal(last->n_utts, 381);
    test_check_utt(second, 0, "therapist",
                   "Hi, John. Nice to see you again. So, tell me, how are things going?", 39);
    test_check_times(second, 0, 39, 43, UTT_END_ESTIMATED);   /* the next row starts 00:00:43 */
    assert_int_equal(first->n_meta, 4);
    assert_string_equal(first->meta[0].key, "mi_quality");
    assert_string_equal(first->meta[0].value, "high");
    assert_string_equal(first->meta[1].key, "video_title");
    assert_string_equal(first->meta[1].value, "NEW VIDEO: Brief intervention: \"Dave\"");
    assert_string_equal(first->meta[2].key, "video_url");
    assert_string_equal(first->meta[3].key, "topic");
    assert_string_equal(first->meta[3].value, "reducing alcohol consumption");
    /* times go backwards nine times in seven sessions: the session model says so */
    diag_list model = {0};
    for (size_t i = 0; i < f->out.n; i++) session_normalise_times(&f->out.items[i], &model);
    assert_int_equal(model.n, 9);
    test_check_diag(&model, 0, SEV_WARNING, NULL, 2411,
                    "time goes backwards (00:13:47 after 00:13:48); utterances sorted by start time");
    test_check_diag(&model, 4, SEV_WARNING, NULL, 4374, "time goes backwards (00:02:13 after 00:02:14)");
    diag_free(&model);
}

/* AnnoMI-full repeats five sessions once per annotator (first repeat at
 * line 338); keeping each session's first annotator gives the same 89
 * sessions and 7145 utterances as AnnoMI-simple. */
static void test_annomi_full(void **state)
{
    fixture *f = *state;
    char *path = test_shared_data("annomi-dev", "AnnoMI-full.csv");
    int rc = read_path(f, path, "AnnoMI-full.csv", NULL);
    free(path);
    assert_int_equal(rc, 0);
    assert_int_equal(f->out.n, 89);
    assert_int_equal(total_utterances(&f->out), 7145);
    assert_int_equal(diag_count(&f->d, SEV_ERROR), 0);
    assert_int_equal(diag_count(&f->d, SEV_WARNING), 2);
    check_diag(f, 338, SEV_WARNING,
               "several annotators per session (annotator_id); only the first annotator's rows are read");
    check_diag(f, 1928, SEV_WARNING,
               "malformed time '00:09:025' in column 'timestamp'; the time is treated as unknown "
               "(write seconds such as 12.5, MM:SS or HH:MM:SS.mmm)");
    assert_int_equal(f->out.items[0].n_utts, 37);
    assert_int_equal(f->out.items[1].n_utts, 36);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        reading_test(test_basic),
        reading_test(test_sessions_and_meta),
        reading_test(test_annotators),
        reading_test(test_semicolon_bom_crlf),
        reading_test(test_tsv),
        reading_test(test_roles_column),
        reading_test(test_end_before_start),
        reading_test(test_session_ids),
        reading_test(test_columns_option),
        reading_test(test_no_speaker_or_text_column),
        reading_test(test_columns_unknown_key),
        reading_test(test_columns_missing_column),
        reading_test(test_columns_not_key_value),
        reading_test(test_column_names_normalised),
        reading_test(test_role_as_speaker_column),
        reading_test(test_same_column_for_speaker_and_role),
        reading_test(test_unterminated_quote),
        reading_test(test_unterminated_quote_later_in_row),
        reading_test(test_quote_closed_by_mistake),
        reading_test(test_messy_rows),
        reading_test(test_header_only),
        reading_test(test_blank_lines_only),
        reading_test(test_missing_file),
        reading_test(test_tab_detected_in_csv),
        reading_test(test_cr_line_ends),
        reading_test(test_line_breaks_inside_cells),
        reading_test(test_utf16),
        reading_test(test_repeated_stray_quotes),
        reading_test(test_plain_and_libcsv_rows),
        reading_test(test_plain_rows_tsv),
        reading_test(test_plain_row_wrong_width),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_sniff_without_csv),
        reading_test(test_annomi_simple),
        reading_test(test_annomi_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
