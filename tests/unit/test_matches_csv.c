/* test_matches_csv.c: matches.csv rows (the audit trail) and the match
 * records they come from: exact bytes with awkward session ids, speaker
 * labels and rule ids (quotes, commas, formula guard, non-ASCII, unknown
 * line), the per-thread cache, and long cells. */
#include "testutil.h"
#include "analysis/analysis.h"
#include "analysis/lexicon.h"
#include "model/session.h"
#include "writers/reports.h"

#include <stdio.h>
#include <stdlib.h>

/* Rule ids are FILE:LINE, so this file name puts a comma in every one:
 * line 2 is feel*, line 4 yeah, line 5 "mm hmm". */
static const char LEX[] = "[feeling] Feelings\n"
                          "feel*\n"
                          "[ack] Acknowledgements\n"
                          "yeah\n"
                          "mm hmm\n";

static lexicon *test_lexicon(void)
{
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(lexicon_load_text(lx, "rules/odd,name.lex", LEX, strlen(LEX), &d), 0);
    assert_int_equal(lexicon_finish(lx, &d), 0);
    assert_int_equal(d.n, 0);
    diag_free(&d);
    return lx;
}

/* Session "-site,1": a therapist labelled Dr. "M" and a client labelled =Zoë. */
static void awkward_session(session *s)
{
    session_init(s, "-site,1", "site/1.txt");
    size_t dr = session_speaker(s, "Dr. \"M\"");
    size_t zoe = session_speaker(s, "=Zo\xc3\xab");
    s->speakers[dr].role = ROLE_THERAPIST;
    s->speakers[zoe].role = ROLE_CLIENT;
    session_add_utterance(s, dr, "Yeah, you FEEL tired.", -1, -1, 3);
    session_add_utterance(s, zoe, "[laughs]", -1, -1, 4);   /* not counted: no words */
    session_add_utterance(s, zoe, "Mm hmm... feelings, feelings.", -1, -1, 0);   /* line unknown */
    session_add_utterance(s, dr, "Okay.", -1, -1, 7);   /* counted, no match */
    session_add_utterance(s, zoe, "yeah", -1, -1, 9);
}

static void analyse_with_matches(const session *s, const lexicon *lx, session_result *r)
{
    analysis_options opt = {.keep_matches = 1, .segments = 0, .window = DEFAULT_WINDOW, .step = DEFAULT_STEP};
    diag_list d = {0};
    analyse_session(s, lx, &opt, r, &d);
    diag_free(&d);
}

/* Worked out by hand: matches in category order (feeling, then ack), then
 * by first word; utterances numbered among counted ones ([laughs] is not). */
static const char AWKWARD_ROWS[] =
    "\"'-site,1\",1,\"Dr. \"\"M\"\"\",therapist,feeling,\"odd,name.lex:2\",feel,3\n"
    "\"'-site,1\",1,\"Dr. \"\"M\"\"\",therapist,ack,\"odd,name.lex:4\",yeah,3\n"
    "\"'-site,1\",2,'=Zo\xc3\xab,client,feeling,\"odd,name.lex:2\",feelings,\n"
    "\"'-site,1\",2,'=Zo\xc3\xab,client,feeling,\"odd,name.lex:2\",feelings,\n"
    "\"'-site,1\",2,'=Zo\xc3\xab,client,ack,\"odd,name.lex:5\",mm hmm,\n"
    "\"'-site,1\",4,'=Zo\xc3\xab,client,ack,\"odd,name.lex:4\",yeah,9\n";

static void test_match_records(void **state)
{
    (void)state;
    lexicon *lx = test_lexicon();
    session s;
    awkward_session(&s);
    session_result r;
    analyse_with_matches(&s, lx, &r);

    assert_int_equal(r.n_matches, 6);
    static const struct {
        uint32_t utterance;
        const char *category, *rule, *text;
    } want[] = {
        {1, "feeling", "odd,name.lex:2", "feel"},     {1, "ack", "odd,name.lex:4", "yeah"},
        {2, "feeling", "odd,name.lex:2", "feelings"}, {2, "feeling", "odd,name.lex:2", "feelings"},
        {2, "ack", "odd,name.lex:5", "mm hmm"},       {4, "ack", "odd,name.lex:4", "yeah"},
    };
    for (size_t i = 0; i < 6; i++) {
        const match_record *m = &r.matches[i];
        assert_int_equal(m->utterance, want[i].utterance);
        assert_string_equal(lexicon_category_name(lx, m->category), want[i].category);
        assert_string_equal(lexicon_rule_id(lx, m->rule), want[i].rule);
        assert_string_equal(match_record_text(&r, m), want[i].text);
        assert_int_equal(m->text_len, strlen(want[i].text));
    }
    /* the texts lie back to back: "feel\0yeah\0feelings\0feelings\0mm hmm\0yeah\0" */
    assert_int_equal(r.match_text_len, 5 + 5 + 9 + 9 + 7 + 5);
    assert_int_equal(r.matches[5].text_off, 5 + 5 + 9 + 9 + 7);

    session_result_free(&r);
    session_free(&s);
    lexicon_free(lx);
}

static void test_no_records_without_keep_matches(void **state)
{
    (void)state;
    lexicon *lx = test_lexicon();
    session s;
    awkward_session(&s);
    session_result r;
    analysis_options opt = {.keep_matches = 0, .window = DEFAULT_WINDOW, .step = DEFAULT_STEP};
    diag_list d = {0};
    analyse_session(&s, lx, &opt, &r, &d);
    assert_int_equal(r.n_matches, 0);
    assert_null(r.match_text);
    /* the categories are counted all the same: 3 feeling, 3 ack */
    assert_int_equal(r.roles[ROLE_CLIENT].category[0] + r.roles[ROLE_THERAPIST].category[0], 3);
    assert_int_equal(r.roles[ROLE_CLIENT].category[1] + r.roles[ROLE_THERAPIST].category[1], 3);
    session_result_free(&r);
    diag_free(&d);
    session_free(&s);
    lexicon_free(lx);
}

static void test_awkward_rows(void **state)
{
    (void)state;
    lexicon *lx = test_lexicon();
    session s;
    awkward_session(&s);
    session_result r;
    analyse_with_matches(&s, lx, &r);

    buf out = {0};
    buf_adds(&out, "before\n");   /* rows are appended */
    matches_csv_rows(&out, &s, &r, lx);
    assert_string_equal(buf_str(&out) + 7, AWKWARD_ROWS);
    assert_memory_equal(buf_str(&out), "before\n", 7);
    assert_int_equal(out.len, 7 + strlen(AWKWARD_ROWS));

    buf header = {0};
    matches_csv_header(&header);
    assert_string_equal(buf_str(&header), "session_id,utterance,speaker,role,category,rule,text,line\n");

    buf_free(&header);
    buf_free(&out);
    session_result_free(&r);
    session_free(&s);
    lexicon_free(lx);
}

/* Session "b" with plain labels, for the cache tests. */
static void plain_session(session *s)
{
    session_init(s, "b", "b.txt");
    size_t t = session_speaker(s, "T");
    size_t c = session_speaker(s, "C");
    s->speakers[t].role = ROLE_THERAPIST;
    s->speakers[c].role = ROLE_CLIENT;
    session_add_utterance(s, t, "How do you feel?", -1, -1, 1);
    session_add_utterance(s, c, "Yeah. Mm hmm.", -1, -1, 2);
}

static const char PLAIN_ROWS[] = "b,1,T,therapist,feeling,\"odd,name.lex:2\",feel,1\n"
                                 "b,2,C,client,ack,\"odd,name.lex:4\",yeah,2\n"
                                 "b,2,C,client,ack,\"odd,name.lex:5\",mm hmm,2\n";

/* One cache over several sessions gives the rows each session gives alone. */
static void test_cache_across_sessions(void **state)
{
    (void)state;
    lexicon *lx = test_lexicon();
    session a, b;
    awkward_session(&a);
    plain_session(&b);
    session_result ra, rb;
    analyse_with_matches(&a, lx, &ra);
    analyse_with_matches(&b, lx, &rb);

    matches_cache *c = matches_cache_new(lx);
    buf out = {0};
    matches_csv_rows_cached(&out, &a, &ra, c);
    matches_csv_rows_cached(&out, &b, &rb, c);
    matches_csv_rows_cached(&out, &a, &ra, c);
    buf want = {0};
    buf_adds(&want, AWKWARD_ROWS);
    buf_adds(&want, PLAIN_ROWS);
    buf_adds(&want, AWKWARD_ROWS);
    assert_string_equal(buf_str(&out), buf_str(&want));
    matches_cache_free(c);
    matches_cache_free(NULL);

    buf_free(&want);
    buf_free(&out);
    session_result_free(&ra);
    session_result_free(&rb);
    session_free(&a);
    session_free(&b);
    lexicon_free(lx);
}

/* A session_result made by hand: the writer reads nothing else, so texts
 * and categories the analysis never makes can be tried. */
typedef struct hand_result {
    session_result r;
    utterance_result utts[2];
    match_record matches[8];
    buf text;
} hand_result;

static void hand_add(hand_result *h, uint32_t utterance, uint32_t category, uint32_t rule, const char *text)
{
    match_record *m = &h->matches[h->r.n_matches++];
    m->utterance = utterance;
    m->category = category;
    m->rule = rule;
    m->text_off = h->text.len;
    m->text_len = (uint32_t)strlen(text);
    buf_add(&h->text, text, strlen(text) + 1);
    h->r.match_text = h->text.data;
    h->r.match_text_len = h->text.len;
}

static void hand_start(hand_result *h)
{
    memset(h, 0, sizeof *h);
    h->r.utts = h->utts;
    h->r.n_utts = 2;
    h->utts[0].index = 0;
    h->utts[1].index = 1;
    h->r.matches = h->matches;
}

/* Match texts that need the guard or quotes, an empty one, and two rules
 * met in turn (each one's cells made once). */
static void test_text_cells_and_rules_in_turn(void **state)
{
    (void)state;
    lexicon *lx = test_lexicon();
    session s;
    session_init(&s, "s", "s.txt");
    size_t t = session_speaker(&s, "T");
    s.speakers[t].role = ROLE_THERAPIST;
    session_add_utterance(&s, t, "one", -1, -1, 12);
    session_add_utterance(&s, t, "two", -1, -1, -5);   /* not a line number: empty cell */

    hand_result h;
    hand_start(&h);
    hand_add(&h, 1, 0, 0, "-x");
    hand_add(&h, 1, 0, 0, "a,b");
    hand_add(&h, 1, 1, 1, "say \"hi\"");
    hand_add(&h, 2, 1, 1, "=");
    hand_add(&h, 2, 0, 0, "");
    hand_add(&h, 2, 1, 1, "@a\nb");

    buf out = {0};
    matches_csv_rows(&out, &s, &h.r, lx);
    assert_string_equal(buf_str(&out), "s,1,T,therapist,feeling,\"odd,name.lex:2\",'-x,12\n"
                                       "s,1,T,therapist,feeling,\"odd,name.lex:2\",\"a,b\",12\n"
                                       "s,1,T,therapist,ack,\"odd,name.lex:4\",\"say \"\"hi\"\"\",12\n"
                                       "s,2,T,therapist,ack,\"odd,name.lex:4\",'=,\n"
                                       "s,2,T,therapist,feeling,\"odd,name.lex:2\",,\n"
                                       "s,2,T,therapist,ack,\"odd,name.lex:4\",\"'@a\nb\",\n");
    buf_free(&out);
    buf_free(&h.text);
    session_free(&s);
    lexicon_free(lx);
}

/* Session id, label and rule cells longer than the 32 bytes copied in one
 * block, and a session without matches (nothing written). */
static void test_long_cells_and_no_matches(void **state)
{
    (void)state;
    static const char LONG_LEX[] = "[a_category_name_of_forty_characters_xx] Long\n"
                                   "feel\n";
    lexicon *lx = lexicon_new();
    diag_list d = {0};
    assert_int_equal(
        lexicon_load_text(lx, "a-rather-long-lexicon-file-name-for-the-rule-id.lex", LONG_LEX, strlen(LONG_LEX), &d),
        0);
    assert_int_equal(lexicon_finish(lx, &d), 0);

    session s;
    session_init(&s, "site-with-a-long-name/session-0001-part-a", "x.txt");
    size_t t = session_speaker(&s, "Therapist with a label of more than 32 bytes");
    s.speakers[t].role = ROLE_THERAPIST;
    session_add_utterance(&s, t, "I feel, I feel.", -1, -1, 1234567);
    session_result r;
    analyse_with_matches(&s, lx, &r);
    buf out = {0};
    matches_csv_rows(&out, &s, &r, lx);
    const char *row = "site-with-a-long-name/session-0001-part-a,1,Therapist with a label of more than 32 bytes,"
                      "therapist,a_category_name_of_forty_characters_xx,"
                      "a-rather-long-lexicon-file-name-for-the-rule-id.lex:2,feel,1234567\n";
    buf want = {0};
    buf_adds(&want, row);
    buf_adds(&want, row);
    assert_string_equal(buf_str(&out), buf_str(&want));
    session_result_free(&r);

    /* no match: nothing at all, not even a NUL-terminated empty buffer */
    session_result none;
    analysis_options opt = {.keep_matches = 1, .window = DEFAULT_WINDOW, .step = DEFAULT_STEP};
    session none_s;
    session_init(&none_s, "n", "n.txt");
    size_t c = session_speaker(&none_s, "C");
    session_add_utterance(&none_s, c, "nothing here", -1, -1, 1);
    analyse_session(&none_s, lx, &opt, &none, &d);
    assert_int_equal(none.n_matches, 0);
    buf empty = {0};
    matches_csv_rows(&empty, &none_s, &none, lx);
    assert_null(empty.data);
    assert_int_equal(empty.len, 0);
    session_result_free(&none);
    session_free(&none_s);

    buf_free(&want);
    buf_free(&out);
    diag_free(&d);
    session_free(&s);
    lexicon_free(lx);
}

/* Many rows: the output is reserved once per session and grows correctly. */
static void test_many_rows(void **state)
{
    (void)state;
    lexicon *lx = test_lexicon();
    session s;
    session_init(&s, "m", "m.txt");
    size_t t = session_speaker(&s, "T");
    s.speakers[t].role = ROLE_THERAPIST;
    for (int i = 0; i < 500; i++) session_add_utterance(&s, t, "yeah yeah feeling", -1, -1, i + 1);
    session_result r;
    analyse_with_matches(&s, lx, &r);
    assert_int_equal(r.n_matches, 1500);
    buf out = {0};
    matches_csv_rows(&out, &s, &r, lx);
    buf want = {0};
    for (int i = 1; i <= 500; i++) {
        char row[256];
        snprintf(row, sizeof row,
                 "m,%d,T,therapist,feeling,\"odd,name.lex:2\",feeling,%d\n"
                 "m,%d,T,therapist,ack,\"odd,name.lex:4\",yeah,%d\n"
                 "m,%d,T,therapist,ack,\"odd,name.lex:4\",yeah,%d\n",
                 i, i, i, i, i, i);
        buf_adds(&want, row);
    }
    assert_int_equal(out.len, want.len);
    assert_string_equal(buf_str(&out), buf_str(&want));
    buf_free(&want);
    buf_free(&out);
    session_result_free(&r);
    session_free(&s);
    lexicon_free(lx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_records),
        cmocka_unit_test(test_no_records_without_keep_matches),
        cmocka_unit_test(test_awkward_rows),
        cmocka_unit_test(test_cache_across_sessions),
        cmocka_unit_test(test_text_cells_and_rules_in_turn),
        cmocka_unit_test(test_long_cells_and_no_matches),
        cmocka_unit_test(test_many_rows),
    };
    return cmocka_run_group_tests_name("matches.csv", tests, NULL, NULL);
}
