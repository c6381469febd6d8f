/* test_chat.c: the CHAT reader (readers/chat.c) and what it shares with the
 * TalkBank XML reader (readers/chat_common.c). Each test reads a fixture
 * from tests/fixtures/chat/ and checks the session against values worked
 * out by hand from the fixture; the last tests read the real Rollins files
 * in ../shared/data when they are there. */
#include "testutil.h"

#include "model/session.h"
#include "readers/chat_common.h"
#include "readers/reader.h"
#include "util/buf.h"
#include "util/diag.h"

#include <stdio.h>
#include <stdlib.h>

typedef test_reading fixture;

static int read_path(fixture *f, const char *path, const char *source)
{
    reader_input in = {.path = path, .source = source, .session_id = "site/s1"};
    reader_options opt = {0};
    return read_chat(&in, &opt, &f->out, &f->d);
}

/* Read tests/fixtures/chat/NAME; messages name NAME. */
static int read_fixture(fixture *f, const char *name)
{
    char *path = test_fixture_path("chat", name);
    int rc = read_path(f, path, name);
    free(path);
    return rc;
}

static session *read_ok(fixture *f, const char *name)
{
    return test_one_session(f, read_fixture(f, name));
}

/* ---- a whole session ---- */

static void test_basic_session(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "basic.cha");
    assert_string_equal(s->id, "site/s1");
    assert_string_equal(s->source, "basic.cha");
    assert_int_equal(f->d.n, 0);
    assert_int_equal(s->n_utts, 8);
    test_check_utt(s, 0, "THE", "so how was your week?", 9);
    test_check_utt(s, 1, "CLI", "it was okay I guess.", 13);
    test_check_utt(s, 2, "CLI", "I go to the gym because it helps a lot.", 14);
    test_check_utt(s, 3, "THE", "that's great!", 17);
    test_check_utt(s, 4, "MOT", "", 18);
    test_check_utt(s, 5, "THE", "you mentioned.", 19);
    test_check_utt(s, 6, "CLI", "yeah.", 20);
    test_check_utt(s, 7, "DOC", "mhm.", 21);
    test_check_times(s, 0, 1.0, 2.5, 0);
    test_check_times(s, 1, 2.6, 4.1, 0);
    test_check_times(s, 2, 4.2, 7.0, 0);
    test_check_times(s, 3, 7.1, 8.0, 0);
    test_check_times(s, 4, 8.1, 8.5, 0);
    test_check_times(s, 5, 8.6, 9.0, UTT_SELF_INTERRUPTED);
    test_check_times(s, 6, 9.1, 9.4, UTT_INTERRUPTED);
    test_check_times(s, 7, TIME_UNKNOWN, TIME_UNKNOWN, 0);
    assert_int_equal(s->times_estimated, 0);
    /* in order of first speech; OBS never speaks and is not a speaker */
    assert_int_equal(s->n_speakers, 4);
    test_check_speaker(s, 0, "THE", ROLE_THERAPIST, 1);
    test_check_speaker(s, 1, "CLI", ROLE_CLIENT, 1);
    test_check_speaker(s, 2, "MOT", ROLE_OTHER, 0);       /* Mother: not a role dyad knows */
    test_check_speaker(s, 3, "DOC", ROLE_THERAPIST, 1);   /* @ID's Doctor beats Unidentified */
}

static void test_crlf_bom_and_continuation(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "crlf_bom.cha");
    assert_int_equal(f->d.n, 0);
    assert_int_equal(s->n_utts, 2);
    test_check_utt(s, 0, "THE", "how are you today?", 4);
    test_check_utt(s, 1, "CLI", "fine.", 6);
    test_check_speaker(s, 0, "THE", ROLE_THERAPIST, 1);
    test_check_speaker(s, 1, "CLI", ROLE_CLIENT, 1);
}

/* ---- CHAT codes: one main tier each (codes.cha, lines 4 to 31) ---- */

static void test_codes_cleaned(void **state)
{
    static const struct {
        const char *text;
        unsigned flags;
    } EXPECTED[] = {
        {"", 0},                                    /* xxx . */
        {"", 0},                                    /* yyy www xxx@a ? */
        {"hello.", 0},                              /* &-uh &+fr &=laughs hello . */
        {"I going.", 0},                            /* I 0am going . */
        {"you need hands don't you?", 0},           /* dontcha [: don't you] */
        {"it's mine.", 0},                          /* it [/] it's mine . */
        {"I go.", 0},                               /* <I went> [//] I go . */
        {"let's go.", 0},                           /* <let's> [>] [/] let's go . */
        {"she right.", 0},                          /* he [///] she left [/-] right . */
        {"ball go now ok yes.", 0},                 /* [*] and pauses */
        {"gonna see i dog.", 0},                    /* @c @l @o */
        {"because running all gone race-car.", 0},  /* (be)cause runnin(g) all_gone race+car */
        {"well, you know.", 0},                     /* well , you know +... */
        {"he said hi.", 0},                         /* +" he said hi +"/. */
        {"yes?", UTT_SELF_INTERRUPTED},             /* +^ yes [!] +//? */
        {"no?", UTT_INTERRUPTED},                   /* no +/? */
        {"bad hi there end!", 0},                   /* ba:d, arrows, stress, tag markers */
        {"word more and done.", 0},                 /* [= ..] [=! ..] [% ..] [+ trn] */
        {"e.", 0},                                  /* <a <b c> [/] d> [//] e . */
        {"okay.", 0},                               /* &-uh [/] okay . */
        {"farm?", 0},                               /* farm? */
        {"", 0},                                    /* 0 . */
        {"hi.", 0},                                 /* <xxx> [/] hi . */
        {"where is it?", 0},                        /* what [: where] [/] where is it ? */
        {"yeah.", 0},                               /* +< yeah . */
        {"I say.", 0},                              /* I said [: say] [*] . */
        {"hello quoted.", 0},                       /* CA brackets and curly quotes */
        {"that's?", 0},                             /* that's +..? */
    };
    fixture *f = *state;
    session *s = read_ok(f, "codes.cha");
    assert_int_equal(f->d.n, 0);
    size_t n = sizeof EXPECTED / sizeof EXPECTED[0];
    assert_int_equal(s->n_utts, n);
    for (size_t i = 0; i < n; i++) {
        test_check_utt(s, i, "INV", EXPECTED[i].text, (long)i + 4);
        test_check_times(s, i, TIME_UNKNOWN, TIME_UNKNOWN, EXPECTED[i].flags);
    }
}

/* ---- times ---- */

static void test_bullet_times_and_their_warnings(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "times.cha");
    assert_int_equal(s->n_utts, 9);
    test_check_utt(s, 0, "INV", "one.", 3);
    test_check_times(s, 0, 2.0, 3.0, 0);
    test_check_times(s, 1, 1.5, 1.8, 0);                    /* backwards: kept */
    test_check_times(s, 2, TIME_UNKNOWN, TIME_UNKNOWN, 0);  /* ends before it starts */
    test_check_times(s, 3, TIME_UNKNOWN, TIME_UNKNOWN, 0);  /* 2,000,000 s */
    test_check_times(s, 4, TIME_UNKNOWN, TIME_UNKNOWN, 0);  /* no bullet */
    test_check_utt(s, 5, "CHI", "six.", 8);
    test_check_times(s, 5, 6.0, 7.25, 0);                   /* %snd:"tape1"_6000_7250 */
    test_check_times(s, 6, TIME_UNKNOWN, TIME_UNKNOWN, 0);  /* garbage */
    test_check_utt(s, 7, "CHI", "eight.", 10);
    test_check_times(s, 7, TIME_UNKNOWN, TIME_UNKNOWN, 0);  /* unclosed bullet */
    test_check_utt(s, 8, "INV", "nine and more.", 11);
    test_check_times(s, 8, 9.0, 10.0, 0);                   /* first start, last end */
    assert_int_equal(f->d.n, 4);   /* times going backwards are the session model's to warn about */
    test_check_diag(&f->d, 0, SEV_WARNING, "times.cha", 5,
                    "the utterance ends before it starts (00:00:05 to 00:00:04); its times are "
                    "treated as unknown");
    test_check_diag(&f->d, 1, SEV_WARNING, "times.cha", 6,
                    "time 2000000.000 s is out of range (negative or over 1,000,000 s); the "
                    "utterance's times are treated as unknown");
    test_check_diag(&f->d, 2, SEV_WARNING, "times.cha", 9,
                    "media bullet 'garbage' not understood; expected start_end in milliseconds "
                    "between two NAK (0x15) characters; ignored");
    test_check_diag(&f->d, 3, SEV_WARNING, "times.cha", 10,
                    "media bullet without its closing NAK (0x15); the rest of the tier is ignored");
}

/* ---- problems in the file ---- */

static void test_warnings_for_odd_lines(void **state)
{
    fixture *f = *state;
    session *s = read_ok(f, "warnings.cha");
    assert_int_equal(s->n_utts, 4);
    test_check_utt(s, 0, "INV", "hello", 6); /* the rest after the unclosed '[' is gone */
    test_check_utt(s, 1, "XYZ", "who am I?", 8);
    test_check_utt(s, 2, "CHI", "fine.", 10);
    test_check_utt(s, 3, "MOT", "good.", 11);
    test_check_speaker(s, 0, "INV", ROLE_THERAPIST, 1);
    test_check_speaker(s, 1, "XYZ", ROLE_OTHER, 0);
    test_check_speaker(s, 2, "CHI", ROLE_OTHER, 0);
    test_check_speaker(s, 3, "MOT", ROLE_OTHER, 0);
    assert_int_equal(f->d.n, 6);
    test_check_diag(&f->d, 0, SEV_WARNING, "warnings.cha", 3,
                    "@Participants entry 'CHI' has no role; write it as 'CODE [Name] Role', "
                    "e.g. 'INV Investigator'");
    test_check_diag(&f->d, 1, SEV_WARNING, "warnings.cha", 4,
                    "@ID line is incomplete (the speaker code is field 3 and the role field 8: "
                    "'lang|corpus|CODE|age|sex|group|SES|Role|...'); ignored");
    test_check_diag(&f->d, 2, SEV_WARNING, "warnings.cha", 6,
                    "'[' without ']'; the rest of the tier is ignored");
    test_check_diag(&f->d, 3, SEV_WARNING, "warnings.cha", 7,
                    "main tier without a speaker code and ':'; expected '*CODE:<TAB>text' "
                    "(e.g. '*INV:<TAB>hello .'); line ignored");
    test_check_diag(&f->d, 4, SEV_WARNING, "warnings.cha", 8,
                    "speaker XYZ is not declared in @Participants; add it there ('XYZ Name Role') "
                    "so its role is known");
    test_check_diag(&f->d, 5, SEV_WARNING, "warnings.cha", 5,
                    "2 lines ignored: not CHAT tiers (a tier starts with '*', '%' or '@'; "
                    "a continuation line starts with a TAB)");
}

static void test_no_main_tier_fails(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_fixture(f, "no_main.cha"), -1);
    assert_int_equal(f->out.n, 0);
    assert_int_equal(f->d.n, 1);
    test_check_diag(&f->d, 0, SEV_ERROR, "no_main.cha", 0,
                    "no main tiers found; CHAT speech is on lines like '*INV:<TAB>it's a farm .'");
}

static void test_missing_and_empty_files_fail(void **state)
{
    fixture *f = *state;
    assert_int_equal(read_path(f, "/nonexistent/dyad/x.cha", "x.cha"), -1);
    test_check_diag(&f->d, 0, SEV_ERROR, "x.cha", 0, "cannot open: No such file or directory");

    char *path = test_temp_file("", "", 0);
    assert_int_equal(read_path(f, path, "empty.cha"), -1);
    test_remove_temp(path);
    test_check_diag(&f->d, 1, SEV_ERROR, "empty.cha", 0, "the file is empty");
    assert_int_equal(f->out.n, 0);
}

/* ---- sniffing and the format table ---- */

static void test_sniff(void **state)
{
    (void)state;
    assert_true(sniff_chat("@UTF8\n@Begin\n", 13));
    assert_true(sniff_chat("\xEF\xBB\xBF@UTF8\n", 9));
    assert_true(sniff_chat("@Begin\r\n", 8));
    assert_false(sniff_chat("@UTF", 4));
    assert_false(sniff_chat(" @UTF8\n", 7));
    assert_false(sniff_chat("*INV:\thello .\n", 14));
    assert_false(sniff_chat("THERAPIST: hi\n", 14));
    assert_false(sniff_chat("", 0));
    assert_string_equal(reader_by_extension("a/b/01carl.CHA")->name, "chat");
    assert_string_equal(reader_by_content("@UTF8\n@Begin\n", 13)->name, "chat");
}

/* ---- chat_common.c ---- */

static void test_word_cleaning(void **state)
{
    (void)state;
    chat_words w = {0};
    assert_int_equal(chat_words_add(&w, "ba:d", 4), 1);
    assert_int_equal(chat_words_add(&w, "__all__gone_", 12), 1);
    assert_int_equal(chat_words_add(&w, "\xE2\x86\x91", 3), 0);   /* an arrow alone */
    assert_int_equal(chat_words_add(&w, "'-", 2), 0);             /* no letter */
    assert_int_equal(chat_words_add(&w, "caf\xC3\xA9\xCB\x88", 7), 1);  /* café + stress */
    chat_words_add_comma(&w);
    assert_int_equal(chat_words_add(&w, "(o)kay", 6), 1);
    assert_int_equal(w.n, 5);
    assert_string_equal(w.w[0].text, "bad");
    assert_string_equal(w.w[1].text, "all gone");
    assert_string_equal(w.w[2].text, "caf\xC3\xA9");
    w.terminator = '?';
    char *t = chat_words_text(&w);
    assert_string_equal(t, "bad all gone caf\xC3\xA9, okay?");
    free(t);
    chat_words_exclude(&w, 0, 3);
    t = chat_words_text(&w);
    assert_string_equal(t, "okay?");
    free(t);
    chat_words_exclude(&w, 3, 99);
    t = chat_words_text(&w);
    assert_string_equal(t, ""); /* no word left: no terminator either */
    free(t);
    chat_words_reset(&w);
    assert_int_equal(w.n, 0);
    assert_int_equal(w.terminator, 0);
    chat_words_free(&w);
}

static void test_roles_and_time_format(void **state)
{
    (void)state;
    assert_int_equal(chat_role("Investigator"), ROLE_THERAPIST);
    assert_int_equal(chat_role("psychologist"), ROLE_THERAPIST);
    assert_int_equal(chat_role("Target_Child"), ROLE_CLIENT);
    assert_int_equal(chat_role("Interviewee"), ROLE_CLIENT);
    assert_int_equal(chat_role("Mother"), -1);
    assert_int_equal(chat_role(""), -1);
}

static void test_clock(void **state)
{
    (void)state;
    diag_list d = {0};
    double s = 120, e = 121;
    chat_times_check(&s, &e, "x", 7, &d);
    assert_double_eq(s, 120);
    assert_int_equal(d.n, 0);
    s = 62, e = TIME_UNKNOWN; /* earlier than the last: the session model's to warn about */
    chat_times_check(&s, &e, "x", 8, &d);
    assert_double_eq(s, 62);
    assert_double_eq(e, TIME_UNKNOWN);
    assert_int_equal(d.n, 0);
    s = 1e6, e = 1e6 + 1; /* the limit itself is out of range */
    chat_times_check(&s, &e, "x", 9, &d);
    assert_double_eq(s, TIME_UNKNOWN);
    assert_double_eq(e, TIME_UNKNOWN);
    test_check_diag(&d, 0, SEV_WARNING, "x", 9,
                    "time 1000000.000 s is out of range (negative or over 1,000,000 s); "
                    "the utterance's times are treated as unknown");
    s = 70, e = 69.5;
    chat_times_check(&s, &e, "x", 10, &d);
    assert_double_eq(s, TIME_UNKNOWN);
    assert_double_eq(e, TIME_UNKNOWN);
    test_check_diag(&d, 1, SEV_WARNING, "x", 10,
                    "the utterance ends before it starts (00:01:10 to 00:01:09.500); its times are "
                    "treated as unknown");
    assert_int_equal(d.n, 2);
    diag_free(&d);
}

/* ---- the real Rollins files (../shared/data) ---- */

/* Main tiers per file, counted with grep -c '^\*INV:', '^\*CHI:' and '^\*'. */
static const struct {
    const char *file;
    size_t inv, chi, all;
} ROLLINS[] = {
    {"01carl.cha", 263, 150, 413}, {"01josh.cha", 172, 176, 356}, {"01mars.cha", 415, 183, 599},
    {"01roger.cha", 424, 255, 680}, {"01sid.cha", 373, 203, 576}, {"02carl.cha", 491, 411, 902},
    {"02josh.cha", 210, 224, 434}, {"02mars.cha", 508, 247, 757}, {"02roger.cha", 68, 61, 129},
    {"02sid.cha", 282, 178, 463}, {"03carl.cha", 168, 132, 300}, {"03josh.cha", 240, 116, 356},
    {"03mars.cha", 530, 240, 770}, {"03roger.cha", 248, 143, 391}, {"03sid.cha", 313, 242, 557},
    {"04carl.cha", 229, 192, 422}, {"04josh.cha", 260, 76, 336}, {"04mars.cha", 470, 268, 738},
    {"04roger.cha", 126, 79, 205}, {"04sid.cha", 406, 208, 618}, {"05mars.cha", 632, 386, 1018},
};

/* Read FILE of the Rollins folder ROLLINS (from test_shared_data). */
static int read_rollins(fixture *f, const char *rollins, const char *file)
{
    char *path = test_path(rollins, file);
    int rc = read_path(f, path, file);
    free(path);
    return rc;
}

static size_t count_speaker(const session *s, const char *label)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_utts; i++)
        if (strcmp(s->speakers[s->utts[i].speaker].label, label) == 0) n++;
    return n;
}

static const utterance *utt_at_line(const session *s, long line)
{
    for (size_t i = 0; i < s->n_utts; i++)
        if (s->utts[i].line == line) return &s->utts[i];
    fail_msg("no utterance at line %ld", line);
    return NULL;
}

static void test_rollins_counts(void **state)
{
    fixture *f = *state;
    char *rollins = test_shared_data("formats/cha", "rollins");
    for (size_t k = 0; k < sizeof ROLLINS / sizeof ROLLINS[0]; k++) {
        assert_int_equal(read_rollins(f, rollins, ROLLINS[k].file), 0);
        assert_int_equal(f->d.n, 0); /* no error and no warning */
        const session *s = &f->out.items[k];
        assert_int_equal(s->n_utts, ROLLINS[k].all);
        assert_int_equal(count_speaker(s, "INV"), ROLLINS[k].inv);
        assert_int_equal(count_speaker(s, "CHI"), ROLLINS[k].chi);
        for (size_t i = 0; i < s->n_speakers; i++) {
            if (strcmp(s->speakers[i].label, "INV") == 0) test_check_speaker(s, i, "INV", ROLE_THERAPIST, 1);
            if (strcmp(s->speakers[i].label, "CHI") == 0) test_check_speaker(s, i, "CHI", ROLE_CLIENT, 1);
        }
        /* the Rollins files have no media bullets (grep -c $'\x15' gives 0), so no
         * utterance may have a time */
        assert_int_equal(session_is_timed(s), 0);
    }
    free(rollins);
}

static void test_rollins_texts(void **state)
{
    fixture *f = *state;
    char *rollins = test_shared_data("formats/cha", "rollins");
    assert_int_equal(read_rollins(f, rollins, "01mars.cha"), 0);
    const session *s = &f->out.items[0];
    assert_string_equal(utt_at_line(s, 717)->text, "there you go.");   /* pu [//] there you go . */
    assert_string_equal(utt_at_line(s, 1160)->text,                     /* continued on 1161 */
                        "Chi when we take a puzzle out we've got to put it back.");
    assert_int_equal(count_speaker(s, "CAM"), 1);

    assert_int_equal(read_rollins(f, rollins, "04josh.cha"), 0);
    s = &f->out.items[1];
    assert_string_equal(utt_at_line(s, 1002)->text, "you need more hands don't you?");

    assert_int_equal(read_rollins(f, rollins, "05mars.cha"), 0);
    s = &f->out.items[2];
    assert_string_equal(utt_at_line(s, 160)->text, "a.");                /* <a> [>] +//. */
    assert_int_equal(utt_at_line(s, 160)->flags, UTT_SELF_INTERRUPTED);
    assert_string_equal(utt_at_line(s, 717)->text, "let's put that back in.");

    assert_int_equal(read_rollins(f, rollins, "01sid.cha"), 0);
    s = &f->out.items[3];
    assert_string_equal(utt_at_line(s, 122)->text, "there's the cookie."); /* &mon +/. */
    assert_int_equal(utt_at_line(s, 122)->flags, UTT_INTERRUPTED);
    assert_int_equal(f->d.n, 0);
    free(rollins);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        reading_test(test_basic_session),
        reading_test(test_crlf_bom_and_continuation),
        reading_test(test_codes_cleaned),
        reading_test(test_bullet_times_and_their_warnings),
        reading_test(test_warnings_for_odd_lines),
        reading_test(test_no_main_tier_fails),
        reading_test(test_missing_and_empty_files_fail),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_word_cleaning),
        cmocka_unit_test(test_roles_and_time_format),
        cmocka_unit_test(test_clock),
        reading_test(test_rollins_counts),
        reading_test(test_rollins_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
