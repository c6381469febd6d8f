/* test_txt.c: the plain-text transcript reader (readers/txt.c). Each test
 * writes its input to a temporary file and checks the session read_txt
 * builds and the diagnostics it adds. */
#include "testutil.h"

#include "model/roles.h"
#include "model/session.h"
#include "readers/reader.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/xalloc.h"


typedef test_reading fixture;

static int read_bytes_with(fixture *f, const char *bytes, size_t n, const role_map *roles)
{
    char *path = test_temp_file("", bytes, n);
    reader_input in = {.path = path, .source = "s.txt", .session_id = "site/s1"};
    reader_options opt = {.roles = roles};
    int rc = read_txt(&in, &opt, &f->out, &f->d);
    test_remove_temp(path);
    return rc;
}

static int read_text(fixture *f, const char *text)
{
    return read_bytes_with(f, text, strlen(text), NULL);
}

/* Read text that must give one session; return it. */
static session *read_ok(fixture *f, const char *text)
{
    return test_one_session(f, read_text(f, text));
}

/* ---- basics ---- */

static void test_basic_session(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "THERAPIST: So how was your week?\nCLIENT: Fine, mostly.\nTHERAPIST: Good.\n");
    assert_string_equal(s->id, "site/s1");
    assert_string_equal(s->source, "s.txt");
    assert_int_equal(s->n_utts, 3);
    assert_int_equal(s->n_speakers, 2);
    test_check_utt(s, 0, "THERAPIST", "So how was your week?", 1);
    test_check_utt(s, 1, "CLIENT", "Fine, mostly.", 2);
    test_check_utt(s, 2, "THERAPIST", "Good.", 3);
    assert_int_equal(s->utts[0].speaker, s->utts[2].speaker);
    for (size_t i = 0; i < s->n_utts; i++) {
        assert_double_eq(s->utts[i].start, TIME_UNKNOWN);
        assert_double_eq(s->utts[i].end, TIME_UNKNOWN);
        assert_int_equal(s->utts[i].flags, 0);
    }
    for (size_t i = 0; i < s->n_speakers; i++) {
        assert_int_equal(s->speakers[i].role, ROLE_OTHER);
        assert_int_equal(s->speakers[i].role_from_source, 0);
    }
    assert_int_equal(f->d.n, 0);
}

static void test_label_forms(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f,
                         "T: one\n"
                         "Client 2: two\n"
                         "Dr. Mills: three\n"
                         "Mary-Jane O'Neil_2: four\n"
                         "Dr. Mills: five\n"
                         "Mary-Jane O'Neil_2: six\n"
                         "Терапевт: семь\n"
                         "Терапевт: восемь\n");
    assert_int_equal(s->n_utts, 8);
    test_check_utt(s, 0, "T", "one", 1);
    test_check_utt(s, 1, "Client 2", "two", 2);
    test_check_utt(s, 2, "Dr. Mills", "three", 3);
    test_check_utt(s, 3, "Mary-Jane O'Neil_2", "four", 4);
    test_check_utt(s, 6, "Терапевт", "семь", 7);
    assert_int_equal(s->n_speakers, 5);
}

static void test_label_without_space_and_space_before_colon(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "T:no space\nTHÉRAPEUTE : bonjour\nTHÉRAPEUTE : au revoir\n");
    assert_int_equal(s->n_utts, 3);
    test_check_utt(s, 0, "T", "no space", 1);
    test_check_utt(s, 1, "THÉRAPEUTE", "bonjour", 2);
    test_check_utt(s, 2, "THÉRAPEUTE", "au revoir", 3);
}

static void test_label_must_start_line_and_letter(void **state)
{
    fixture *f = *state;
    /* indented, digit-first and punctuation-first labels are text, even twice */
    session *s = read_ok(f, "T: a\n  Note: b\n  Note: c\n2nd: d\n2nd: e\n*X: f\n*X: g\n");
    assert_int_equal(s->n_utts, 1);
    test_check_utt(s, 0, "T", "a Note: b Note: c 2nd: d 2nd: e *X: f *X: g", 1);
}

static void test_label_forty_characters(void **state)
{
    fixture *f = *state;
    /* 40 characters (with the spaces): a speaker; 41: text */
    const char *in = "T: start\n"
                     "Abcdefghij Abcdefghij Abcdefghij Abcdefg: forty\n"
                     "Abcdefghij Abcdefghij Abcdefghij Abcdefg: again\n"
                     "Abcdefghij Abcdefghij Abcdefghij Abcdefgh: forty-one\n"
                     "Abcdefghij Abcdefghij Abcdefghij Abcdefgh: again\n";
    session *s = read_ok(f, in);
    assert_int_equal(s->n_utts, 3);
    test_check_utt(s, 1, "Abcdefghij Abcdefghij Abcdefghij Abcdefg", "forty", 2);
    test_check_utt(s, 2, "Abcdefghij Abcdefghij Abcdefghij Abcdefg",
                   "again Abcdefghij Abcdefghij Abcdefghij Abcdefgh: forty-one "
                   "Abcdefghij Abcdefghij Abcdefghij Abcdefgh: again", 3);
}

static void test_label_forty_characters_counts_characters_not_bytes(void **state)
{
    fixture *f = *state;
    /* 40 two-byte Cyrillic letters (80 bytes) are 40 characters */
    buf in = {0};
    buf label = {0};
    for (int i = 0; i < 40; i++) buf_adds(&label, "ж");
    buf_addf(&in, "%s: a\n%s: b\n", label.data, label.data);
    buf_addf(&in, "%sж: c\n%sж: d\n", label.data, label.data);
    buf want = {0};
    buf_addf(&want, "b %sж: c %sж: d", label.data, label.data);
    session *s = read_ok(f, in.data);
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 0, label.data, "a", 1);
    test_check_utt(s, 1, label.data, want.data, 2);
    buf_free(&want);
    buf_free(&in);
    buf_free(&label);
}

static void test_label_four_words(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f,
                         "Dr Anna Maria Mills: four\n"
                         "Dr Anna Maria Mills: again\n"
                         "Dr Anna Maria von Mills: five\n"
                         "Dr Anna Maria von Mills: again\n"
                         "Dr.  Mills: double space\n"
                         "Dr.  Mills: again\n");
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 0, "Dr Anna Maria Mills", "four", 1);
    test_check_utt(s, 1, "Dr Anna Maria Mills",
                   "again Dr Anna Maria von Mills: five Dr Anna Maria von Mills: again "
                   "Dr.  Mills: double space Dr.  Mills: again", 2);
}

/* ---- which labels are speakers ---- */

static void test_two_line_rule(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "Jane: hi\nJohn: hey there\nJane: so\n");
    assert_int_equal(s->n_utts, 2);
    assert_int_equal(s->n_speakers, 1);
    test_check_utt(s, 0, "Jane", "hi John: hey there", 1);
    test_check_utt(s, 1, "Jane", "so", 3);
}

static void test_homework_stays_text(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "THERAPIST: Let's plan the week.\nHomework: write it down\nCLIENT: OK.\n");
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 0, "THERAPIST", "Let's plan the week. Homework: write it down", 1);
    test_check_utt(s, 1, "CLIENT", "OK.", 3);
}

/* The first pass builds the session as if every label were a speaker's;
 * when one is not ("Title" begins one line), the session is built again:
 * speakers are numbered from the real ones, the line is a header line. */
static void test_guess_undone(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "Title: Session 3\nT: hello\nC:\n  hi\n there\nT: so\nHomework: x\nC: yes\n");
    assert_int_equal(s->n_speakers, 2);
    test_check_speaker(s, 0, "T", ROLE_OTHER, 0);
    test_check_speaker(s, 1, "C", ROLE_OTHER, 0);
    assert_int_equal(s->n_utts, 4);
    test_check_utt(s, 0, "T", "hello", 2);
    test_check_utt(s, 1, "C", "hi there", 3);
    test_check_utt(s, 2, "T", "so Homework: x", 6);
    test_check_utt(s, 3, "C", "yes", 8);
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.items[0].line, 1);
    assert_string_equal(f->d.items[0].message, "text before the first speaker label ignored (1 line)");
}

static void test_two_lines_need_exact_label(void **state)
{
    fixture *f = *state;
    /* "Jane" and "JANE" are different label texts: neither begins two lines */
    session *s = read_ok(f, "T: a\nJane: b\nJANE: c\n");
    assert_int_equal(s->n_utts, 1);
    test_check_utt(s, 0, "T", "a Jane: b JANE: c", 1);
}

static void test_role_words_case_insensitive(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "therapist: a\nClient 3: b\nTh: c\nPATIENT: d\ncounsellor: e\n");
    assert_int_equal(s->n_utts, 5);
    test_check_utt(s, 0, "therapist", "a", 1);
    test_check_utt(s, 1, "Client 3", "b", 2);
    test_check_utt(s, 2, "Th", "c", 3);
    test_check_utt(s, 3, "PATIENT", "d", 4);
    test_check_utt(s, 4, "counsellor", "e", 5);
}

static void test_roles_map_labels(void **state)
{
    fixture *f = *state;
    role_entry items[] = {{"maria", ROLE_THERAPIST}};
    role_map roles = {items, 1, 1};
    const char *in = "Maria: hello\nSam: hi\n";
    assert_int_equal(read_bytes_with(f, in, strlen(in), &roles), 0);
    session *s = &f->out.items[0];
    assert_int_equal(s->n_utts, 1);
    test_check_utt(s, 0, "Maria", "hello Sam: hi", 1);
    assert_int_equal(s->speakers[0].role, ROLE_OTHER); /* roles are main's job */
}

static void test_null_options(void **state)
{
    fixture *f = *state;
    char *path = test_temp_file("", "T: a\n", 5);
    reader_input in = {.path = path, .source = "s.txt", .session_id = "s"};
    assert_int_equal(read_txt(&in, NULL, &f->out, &f->d), 0);
    test_remove_temp(path);
    assert_int_equal(f->out.items[0].n_utts, 1);
}

static void test_colon_before_digit_or_slash_is_not_a_label(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "T: a\nRatio 3:1 now\nRatio 3:1 now\nhttps://x.org\nhttps://y.org\n");
    assert_int_equal(s->n_utts, 1);
    test_check_utt(s, 0, "T", "a Ratio 3:1 now Ratio 3:1 now https://x.org https://y.org", 1);
}

/* ---- lines ---- */

static void test_continuation_and_blank_lines(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "T:   one  \n  two\t\n\n   \nthree\nC: four\n\n");
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 0, "T", "one two three", 1);
    test_check_utt(s, 1, "C", "four", 6);
    assert_int_equal(f->d.n, 0);
}

static void test_label_only_lines(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "T:\nC: hi\nT:\n\nmore text\nC:  \n");
    assert_int_equal(s->n_utts, 4);
    test_check_utt(s, 0, "T", "", 1);
    test_check_utt(s, 1, "C", "hi", 2);
    test_check_utt(s, 2, "T", "more text", 3);
    test_check_utt(s, 3, "C", "", 6);
}

static void test_header_lines_warning(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "\nSession 12 transcript\nRecorded: May\n\nT: hi\nC: hello\n");
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 0, "T", "hi", 5);
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.items[0].sev, SEV_WARNING);
    assert_string_equal(f->d.items[0].source, "s.txt");
    assert_int_equal(f->d.items[0].line, 2);
    assert_string_equal(f->d.items[0].message, "text before the first speaker label ignored (2 lines)");
}

static void test_header_line_warning_singular(void **state)
{
    fixture *f = *state;
    read_ok(f, "Title\nT: hi\n");
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.items[0].line, 1);
    assert_string_equal(f->d.items[0].message, "text before the first speaker label ignored (1 line)");
}

static void test_annotations_kept(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "T: I [laughs] think (pause) so [00:05:00] later\nC: [inaudible]\n");
    test_check_utt(s, 0, "T", "I [laughs] think (pause) so [00:05:00] later", 1);
    test_check_utt(s, 1, "C", "[inaudible]", 2);
    assert_double_eq(s->utts[0].start, TIME_UNKNOWN);
}

/* ---- timestamps ---- */

static void test_timestamp_forms(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f,
                         "[00:01:02] T: a\n"
                         "(01:02) C: b\n"
                         "[1:02:03.5] T: c\n"
                         "00:01:02 C: d\n"
                         "01:03\tT: e\n"
                         "T: [00:01:02] f\n"
                         "C: (1:02) g\n"
                         "T: [0:00:07.25]\n"
                         "[00:02:00]C: h\n"
                         "Jane Doe (01:02:03): i\n"
                         "Jane Doe (01:02:04): j\n");
    assert_int_equal(s->n_utts, 11);
    double want[] = {62, 62, 3723.5, 62, 63, 62, 62, 7.25, 120, 3723, 3724};
    const char *text[] = {"a", "b", "c", "d", "e", "f", "g", "", "h", "i", "j"};
    for (size_t i = 0; i < 11; i++) {
        assert_double_eq(s->utts[i].start, want[i]);
        assert_double_eq(s->utts[i].end, TIME_UNKNOWN);
        assert_string_equal(s->utts[i].text, text[i]);
        assert_int_equal(s->utts[i].line, (long)i + 1);
    }
    assert_string_equal(test_label_of(s, 9), "Jane Doe");
}

static void test_timestamp_first_one_wins(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "[00:00:10] T: [00:00:20] a\n");
    assert_double_eq(s->utts[0].start, 10);
    assert_string_equal(s->utts[0].text, "[00:00:20] a");
}

static void test_timestamp_not_a_time_stays_text(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f,
                         "T: [1:2] a\n"         /* seconds need two digits */
                         "T: [00:60] b\n"       /* seconds below 60 */
                         "T: [1:60:00] c\n"     /* minutes of H:MM:SS below 60 */
                         "T: [00:01:02.] d\n"   /* a fraction needs digits */
                         "T: [00:01:02) e\n"    /* brackets must match */
                         "T: [1:00:00:00] f\n"  /* at most three fields */
                         "T: 00:01:02 g\n");    /* bare only before the label */
    assert_int_equal(s->n_utts, 7);
    const char *text[] = {"[1:2] a", "[00:60] b", "[1:60:00] c", "[00:01:02.] d",
                          "[00:01:02) e", "[1:00:00:00] f", "00:01:02 g"};
    for (size_t i = 0; i < 7; i++) {
        assert_double_eq(s->utts[i].start, TIME_UNKNOWN);
        assert_string_equal(s->utts[i].text, text[i]);
    }
}

static void test_time_without_label_is_text(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "T: a\n00:01:02 and more\n[00:01:03] still text\n[00:01:04]\n");
    assert_int_equal(s->n_utts, 1);
    test_check_utt(s, 0, "T", "a 00:01:02 and more [00:01:03] still text [00:01:04]", 1);
    assert_double_eq(s->utts[0].start, TIME_UNKNOWN);
}

/* ---- encodings and line ends ---- */

static void test_bom_and_crlf(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "\xEF\xBB\xBFT: a\r\nb\r\n\r\nC: c\r\n");
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 0, "T", "a b", 1);
    test_check_utt(s, 1, "C", "c", 4);
    assert_int_equal(f->d.n, 0);
}

static void test_cr_only_line_ends(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "T: a\rC: b\r");
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 1, "C", "b", 2);
}

static void test_invalid_utf8_warning(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "T: ok\nC: bad \xFF byte\n");
    test_check_utt(s, 1, "C", "bad \xEF\xBF\xBD byte", 2);
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.items[0].sev, SEV_WARNING);
    assert_int_equal(f->d.items[0].line, 2);
    assert_string_equal(f->d.items[0].message,
                        "invalid UTF-8 (1 byte sequence) replaced by U+FFFD; save the file as UTF-8");
}

/* ---- whole-file errors ---- */

static void test_no_labels_is_an_error(void **state)
{
    fixture *f = *state;
    session_list_add(&f->out, "earlier", "earlier.txt");
    assert_int_equal(read_text(f, "just some text\nHomework: once\n[00:01:02] more\n"), -1);
    assert_int_equal(f->out.n, 1);   /* unchanged */
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.items[0].sev, SEV_ERROR);
    assert_int_equal(f->d.items[0].line, 0);
    assert_string_equal(f->d.items[0].source, "s.txt");
    assert_string_equal(f->d.items[0].message,
                        "no speaker labels found; expected lines like 'THERAPIST: text' "
                        "(a label of 1-4 words, then a colon)");
}

static void test_blank_file_is_an_error(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, "\n  \n\t\n"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(diag_count(&f->d, SEV_ERROR), 1);
    assert_non_null(strstr(f->d.items[0].message, "no speaker labels found"));
}

static void test_empty_file_is_an_error(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_text(f, ""), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(f->d.items[0].message, "the file is empty");
}

static void test_binary_file_is_an_error(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_bytes_with(f, "T: a\nC: \0b\n", 11, NULL), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.items[0].sev, SEV_ERROR);
    assert_int_equal(f->d.items[0].line, 2);
}

static void test_missing_file_is_an_error(void **state)
{
    fixture *f = *state;
    reader_input in = {.path = "/nonexistent/dyad/x.txt", .source = "x.txt", .session_id = "x"};
    reader_options opt = {0};
    assert_int_equal(read_txt(&in, &opt, &f->out, &f->d), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(diag_count(&f->d, SEV_ERROR), 1);
    assert_string_equal(f->d.items[0].source, "x.txt");
}

/* ---- transcription-service exports ---- */

static void test_otter_export(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f,
                         "Session with Jane\n"
                         "\n"
                         "Speaker 1  0:03\n"
                         "Hello there.\n"
                         "How are you?\n"
                         "\n"
                         "Jane Doe 1:05\n"
                         "Fine.\n"
                         "Speaker 1  1:02:03\n"
                         "Good.\n"
                         "Jane Doe\t1:02:10  \n"
                         "\n"
                         "Client  1:02:15\n"
                         "Me too.\n");
    assert_int_equal(s->n_utts, 5);
    test_check_utt(s, 0, "Speaker 1", "Hello there. How are you?", 3);
    test_check_utt(s, 1, "Jane Doe", "Fine.", 7);
    test_check_utt(s, 2, "Speaker 1", "Good.", 9);
    test_check_utt(s, 3, "Jane Doe", "", 11);
    test_check_utt(s, 4, "Client", "Me too.", 13);   /* a role word: once is enough */
    double want[] = {3, 65, 3723, 3730, 3735};
    for (size_t i = 0; i < 5; i++) assert_double_eq(s->utts[i].start, want[i]);
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.items[0].line, 1);
}

static void test_otter_one_header_shape_is_text(void **state)
{
    fixture *f = *state;
    /* one Otter-shaped line does not switch Otter headers on, even for a role word */
    session *s = read_ok(f, "T: see you\nClient 5:30\nC: ok\n");
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 0, "T", "see you Client 5:30", 1);
}

static void test_otter_shapes_in_ordinary_file(void **state)
{
    fixture *f = *state;
    /* two Otter-shaped lines with labels that are not speakers stay text */
    session *s = read_ok(f, "T: we could meet\nat 5:30\nor maybe 6:30\nC: fine\nT: ok\n");
    assert_int_equal(s->n_utts, 3);
    test_check_utt(s, 0, "T", "we could meet at 5:30 or maybe 6:30", 1);
    test_check_utt(s, 1, "C", "fine", 4);
    assert_double_eq(s->utts[0].start, TIME_UNKNOWN);
}

static void test_otter_header_with_text_is_not_a_header(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "Speaker 1  0:03\nhi\nSpeaker 1  0:05 extra\nSpeaker 1  0:09\nbye\n");
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 0, "Speaker 1", "hi Speaker 1  0:05 extra", 1);
    test_check_utt(s, 1, "Speaker 1", "bye", 4);
    assert_double_eq(s->utts[1].start, 9);
}

static void test_rev_export(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f,
                         "Speaker 1 (00:00):\n"
                         "Hello.\n"
                         "\n"
                         "Speaker 2 (00:05): Hi.\n"
                         "Speaker 1 (01:02:03.5):\n"
                         "Bye\n"
                         "for now.\n"
                         "Speaker 2 (1:02:09): [laughs]\n");
    assert_int_equal(s->n_utts, 4);
    assert_int_equal(s->n_speakers, 2);
    test_check_utt(s, 0, "Speaker 1", "Hello.", 1);
    test_check_utt(s, 1, "Speaker 2", "Hi.", 4);
    test_check_utt(s, 2, "Speaker 1", "Bye for now.", 5);
    test_check_utt(s, 3, "Speaker 2", "[laughs]", 8);
    double want[] = {0, 5, 3723.5, 3729};
    for (size_t i = 0; i < 4; i++) assert_double_eq(s->utts[i].start, want[i]);
}

static void test_rev_needs_a_time(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "T: a\nJane (laughs): b\nJane (laughs): c\n");
    assert_int_equal(s->n_utts, 1);
    test_check_utt(s, 0, "T", "a Jane (laughs): b Jane (laughs): c", 1);
}

/* ---- size ---- */

static void test_many_utterances(void **state)
{
    fixture *f = *state;
    buf in = {0};
    for (int i = 0; i < 100000; i++)
        buf_addf(&in, "%s: utterance %d\n", i % 2 ? "CLIENT" : "THERAPIST", i);
    session *s = read_ok(f, in.data);
    buf_free(&in);
    assert_int_equal(s->n_utts, 100000);
    assert_int_equal(s->n_speakers, 2);
    test_check_utt(s, 99999, "CLIENT", "utterance 99999", 100000);
}

static void test_many_distinct_labels(void **state)
{
    fixture *f = *state;
    /* 2,000 distinct role labels ("Client 0" .. "Client 1999") said twice
     * each: every one a speaker, the second round finding the first's */
    buf in = {0};
    for (int i = 0; i < 4000; i++) buf_addf(&in, "Client %d: x%d\n", i % 2000, i);
    session *s = read_ok(f, in.data);
    buf_free(&in);
    assert_int_equal(s->n_utts, 4000);
    assert_int_equal(s->n_speakers, 2000);
    test_check_utt(s, 1999, "Client 1999", "x1999", 2000);
    test_check_utt(s, 3999, "Client 1999", "x3999", 4000);
    assert_int_equal(s->utts[3999].speaker, s->utts[1999].speaker);
}

/* The table remembers the last two labels it was given (txt.c): labels
 * that alternate, repeat, share a prefix or a length, and a third speaker
 * after the table grew, each still find their own entry. */
static void test_recent_labels(void **state)
{
    fixture *f = *state;
    buf in = {0};
    /* 40 other labels once each first: the table grows under the guesses */
    for (int i = 0; i < 40; i++) buf_addf(&in, "Note %d: n%d\n", i, i);
    buf_adds(&in, "T: a\nC: b\nT: c\nT: d\nC: e\nTh: f\nC: g\nTh: h\nT: i\nCC: j\nCC: k\n");
    session *s = read_ok(f, in.data);
    buf_free(&in);
    /* each Note label begins one line: not a speaker, so header text */
    assert_int_equal(s->n_utts, 11);
    const char *labels[] = {"T", "C", "T", "T", "C", "Th", "C", "Th", "T", "CC", "CC"};
    const char *texts[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"};
    for (size_t i = 0; i < 11; i++) test_check_utt(s, i, labels[i], texts[i], 41 + (long)i);
    assert_int_equal(s->n_speakers, 4);
    assert_int_equal(s->utts[0].speaker, s->utts[8].speaker);
    assert_int_equal(s->utts[5].speaker, s->utts[7].speaker);
    assert_int_equal(s->utts[9].speaker, s->utts[10].speaker);
}

/* A line that starts with one of the last two labels and its colon is
 * read without scan_label (recent_label_at); it must read as any other:
 * a digit or slash after the colon still makes it text, a time after the
 * colon is still its start, and a longer label or a Rev time after the
 * recent one still goes the long way. */
static void test_lines_starting_with_a_recent_label(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "T: a\nC: b\nT:3 pm\nT:/x\nC: [00:05] c\nC:e\nT (00:10): f\n"
                            "T Smith: g\nT: h\nT Smith: i\n");
    assert_int_equal(s->n_utts, 8);
    test_check_utt(s, 0, "T", "a", 1);
    test_check_utt(s, 1, "C", "b T:3 pm T:/x", 2);
    test_check_utt(s, 2, "C", "c", 5);
    test_check_utt(s, 3, "C", "e", 6);
    test_check_utt(s, 4, "T", "f", 7);
    test_check_utt(s, 5, "T Smith", "g", 8);
    test_check_utt(s, 6, "T", "h", 9);
    test_check_utt(s, 7, "T Smith", "i", 10);
    const double starts[] = {TIME_UNKNOWN, TIME_UNKNOWN, 5, TIME_UNKNOWN, 10, TIME_UNKNOWN, TIME_UNKNOWN, TIME_UNKNOWN};
    for (size_t i = 0; i < 8; i++) assert_double_eq(s->utts[i].start, starts[i]);
    assert_int_equal(s->n_speakers, 3);
    assert_int_equal(f->d.n, 0);
}

/* The same after a time before the label: "[HH:MM:SS]" (read by its own
 * short path), the other bracketed and bare shapes, and times that are no
 * times (the line is then text, as it always was). */
static void test_timed_lines_starting_with_a_recent_label(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "[00:00:03] T: a\n[00:00:08] C: b\n[00:01:03.5] T: c\n(00:10:59) C: d\n"
                            "00:11:00 T: e\n[0:11:01] C: f\n[00:61:00] T: g\n[00:00:99] T: h\n"
                            "[00:12:00] T: i\n[00:0a:00] C: j\n[00:12:09]T: k\n[00-00-10] C: l\n"
                            "[00:13:11] T Smith: m\n[00:13:12] T: n\n[00:13:13] T Smith: o\n"
                            "[99:59:59] T: p\n");
    assert_int_equal(s->n_utts, 12);
    test_check_utt(s, 0, "T", "a", 1);
    test_check_utt(s, 1, "C", "b", 2);
    test_check_utt(s, 2, "T", "c", 3);
    test_check_utt(s, 3, "C", "d", 4);
    test_check_utt(s, 4, "T", "e", 5);
    test_check_utt(s, 5, "C", "f [00:61:00] T: g [00:00:99] T: h", 6);
    test_check_utt(s, 6, "T", "i [00:0a:00] C: j", 9);
    test_check_utt(s, 7, "T", "k [00-00-10] C: l", 11);
    test_check_utt(s, 8, "T Smith", "m", 13);
    test_check_utt(s, 9, "T", "n", 14);
    test_check_utt(s, 10, "T Smith", "o", 15);
    test_check_utt(s, 11, "T", "p", 16);
    const double starts[] = {3, 8, 63.5, 659, 660, 661, 720, 729, 791, 792, 793, 359999};
    for (size_t i = 0; i < 12; i++) assert_double_eq(s->utts[i].start, starts[i]);
    assert_int_equal(s->n_speakers, 3);
    assert_int_equal(f->d.n, 0);
}

/* scan_label takes ASCII a run at a time and the rest a character at a
 * time: the 40-character limit counts both alike, wherever the UTF-8 is. */
static void test_label_forty_characters_mixed_scripts(void **state)
{
    fixture *f = *state;
    /* 39 letters then one two-byte letter: 40 characters, a speaker */
    const char *forty = "Abcdefghijabcdefghijabcdefghijabcdefghi\xc3\xab";
    /* a two-byte letter first, then 40 ASCII letters: 41, text */
    const char *forty_one = "\xc3\xab" "Abcdefghijabcdefghijabcdefghijabcdefghij";
    /* ASCII and UTF-8 runs in and across three words: 4 + 1 + 3 + 1 + 2 = 11 */
    const char *mixed = "Zo\xc3\xab\xc3\xab Dr. \xc3\xabs";
    buf in = {0};
    buf_addf(&in, "%s: a\n%s: b\n%s: c\n%s: d\n%s: e\n%s: f\n", forty, forty, forty_one, forty_one, mixed,
             mixed);
    session *s = read_ok(f, in.data);
    buf_free(&in);
    assert_int_equal(s->n_utts, 4);
    test_check_utt(s, 0, forty, "a", 1);
    buf want = {0};
    buf_addf(&want, "b %s: c %s: d", forty_one, forty_one);
    test_check_utt(s, 1, forty, want.data, 2);
    buf_free(&want);
    test_check_utt(s, 2, mixed, "e", 5);
    test_check_utt(s, 3, mixed, "f", 6);
}

static void test_long_utterance(void **state)
{
    fixture *f = *state;
    /* one utterance of 10 MB: 100,000 continuation lines of 99 letters */
    buf in = {0};
    char line[101];
    memset(line, 'a', 99);
    line[99] = '\n';
    line[100] = '\0';
    buf_adds(&in, "T:\n");
    for (int i = 0; i < 100000; i++) buf_add(&in, line, 100);
    buf_adds(&in, "C: end\n");
    session *s = read_ok(f, in.data);
    buf_free(&in);
    assert_int_equal(s->n_utts, 2);
    assert_int_equal(strlen(s->utts[0].text), 100000 * 100 - 1);
    assert_int_equal(s->utts[0].text[99], ' ');
    assert_int_equal(s->utts[0].text[100], 'a');
    test_check_utt(s, 1, "C", "end", 100002);
}

/* Label characters come from a table for ASCII: every kind at once, the
 * characters next to them that are not ("!" "/" "@" "[" "`" "{"), and an
 * Otter time with a fraction (its last character a digit). */
static void test_label_characters_and_otter_fraction(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f,
                         "A.b_c-d'e 9: one\n"
                         "A.b_c-d'e 9: two\n"
                         "T!: x\nT/: x\nT@: x\nT[: x\nT`: x\nT{: x\n");
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 0, "A.b_c-d'e 9", "one", 1);
    test_check_utt(s, 1, "A.b_c-d'e 9", "two T!: x T/: x T@: x T[: x T`: x T{: x", 2);
    session_list_free(&f->out);
    s = read_ok(f, "Speaker 1  0:03.5\nhi\nSpeaker 1  0:04.25\nyo\n");
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 1, "Speaker 1", "yo", 3);
    assert_double_eq(s->utts[0].start, 3.5);
    assert_double_eq(s->utts[1].start, 4.25);
}

/* Bytes already read (the format sniff's, reader_input.pre) are taken
 * over: the path is not opened (here it does not exist), and pre is left
 * empty for the caller. */
static void test_bytes_already_read(void **state)
{
    fixture *f = *state;
    const char *text = "THERAPIST: hello there\nCLIENT: hi\n";
    preread pre = {xstrndup(text, strlen(text)), strlen(text)};
    reader_input in = {.path = "/nonexistent/dyad-test/s.txt", .source = "s.txt", .session_id = "s", .pre = &pre};
    reader_options opt = {0};
    session *s = test_one_session(f, read_txt(&in, &opt, &f->out, &f->d));
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 0, "THERAPIST", "hello there", 1);
    test_check_utt(s, 1, "CLIENT", "hi", 2);
    assert_null(pre.bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        reading_test(test_basic_session),
        reading_test(test_bytes_already_read),
        reading_test(test_label_forms),
        reading_test(test_label_without_space_and_space_before_colon),
        reading_test(test_label_must_start_line_and_letter),
        reading_test(test_label_forty_characters),
        reading_test(test_label_forty_characters_counts_characters_not_bytes),
        reading_test(test_label_four_words),
        reading_test(test_two_line_rule),
        reading_test(test_homework_stays_text),
        reading_test(test_guess_undone),
        reading_test(test_two_lines_need_exact_label),
        reading_test(test_role_words_case_insensitive),
        reading_test(test_roles_map_labels),
        reading_test(test_null_options),
        reading_test(test_colon_before_digit_or_slash_is_not_a_label),
        reading_test(test_continuation_and_blank_lines),
        reading_test(test_label_only_lines),
        reading_test(test_header_lines_warning),
        reading_test(test_header_line_warning_singular),
        reading_test(test_annotations_kept),
        reading_test(test_timestamp_forms),
        reading_test(test_timestamp_first_one_wins),
        reading_test(test_timestamp_not_a_time_stays_text),
        reading_test(test_time_without_label_is_text),
        reading_test(test_bom_and_crlf),
        reading_test(test_cr_only_line_ends),
        reading_test(test_invalid_utf8_warning),
        reading_test(test_no_labels_is_an_error),
        reading_test(test_blank_file_is_an_error),
        reading_test(test_empty_file_is_an_error),
        reading_test(test_binary_file_is_an_error),
        reading_test(test_missing_file_is_an_error),
        reading_test(test_otter_export),
        reading_test(test_otter_one_header_shape_is_text),
        reading_test(test_otter_shapes_in_ordinary_file),
        reading_test(test_otter_header_with_text_is_not_a_header),
        reading_test(test_rev_export),
        reading_test(test_rev_needs_a_time),
        reading_test(test_many_utterances),
        reading_test(test_many_distinct_labels),
        reading_test(test_lines_starting_with_a_recent_label),
        reading_test(test_timed_lines_starting_with_a_recent_label),
        reading_test(test_recent_labels),
        reading_test(test_label_forty_characters_mixed_scripts),
        reading_test(test_long_utterance),
        reading_test(test_label_characters_and_otter_fraction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
