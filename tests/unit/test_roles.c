/* test_roles.c: built-in role words, the --roles file and role assignment. */
#include "testutil.h"
#include "model/roles.h"

#include <stdio.h>

static void test_builtin_words(void **state)
{
    (void)state;
    assert_int_equal(role_builtin("THERAPIST"), ROLE_THERAPIST);
    assert_int_equal(role_builtin("Counsellor"), ROLE_THERAPIST);
    assert_int_equal(role_builtin("T"), ROLE_THERAPIST);
    assert_int_equal(role_builtin("th"), ROLE_THERAPIST);
    assert_int_equal(role_builtin("Client 2"), ROLE_CLIENT);
    assert_int_equal(role_builtin("Patient1"), ROLE_CLIENT);
    assert_int_equal(role_builtin("PT"), ROLE_CLIENT);
    assert_int_equal(role_builtin("Dr. Mills"), -1);
    assert_int_equal(role_builtin("Homework"), -1);
    assert_int_equal(role_builtin("2"), -1);
    assert_int_equal(role_builtin("clients"), -1);
}

static void test_roles_file(void **state)
{
    (void)state;
    const char *roles = "speaker,role\nDr. Mills,therapist\n\"Sam, Jr.\",Client\nT,other\n";
    char *path = test_temp_file("", roles, strlen(roles));
    role_map m = {0};
    diag_list d = {0};
    assert_int_equal(role_map_load(&m, path, &d), 0);
    assert_int_equal(m.n, 3);
    assert_int_equal(role_map_lookup(&m, "dr. mills"), ROLE_THERAPIST);
    assert_int_equal(role_map_lookup(&m, "Sam, Jr."), ROLE_CLIENT);
    /* the map overrides the built-in words */
    assert_int_equal(role_known(&m, "T"), ROLE_OTHER);
    assert_int_equal(role_known(&m, "Client"), ROLE_CLIENT);
    assert_int_equal(role_known(NULL, "Mary"), -1);
    role_map_free(&m);
    diag_free(&d);
    test_remove_temp(path);
}

static void test_roles_file_errors(void **state)
{
    (void)state;
    struct { const char *content; long line; const char *message; } cases[] = {
        {"name,role\nA,client\n", 1, "the header must be exactly 'speaker,role'"},
        {"speaker,role\nA,boss\n", 2, "unknown role 'boss' for speaker 'A'; use therapist, client or other"},
        {"speaker,role\nA,client,x\n", 2, "expected two fields 'speaker,role', found 3"},
        {"", 0, "the --roles file is empty; it needs the header 'speaker,role'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = test_temp_file("", cases[i].content, strlen(cases[i].content));
        role_map m = {0};
        diag_list d = {0};
        assert_int_equal(role_map_load(&m, path, &d), -1);
        assert_int_equal(d.n, 1);
        assert_int_equal(d.items[0].line, cases[i].line);
        assert_string_equal(d.items[0].message, cases[i].message);
        role_map_free(&m);
        diag_free(&d);
        test_remove_temp(path);
    }
}

static void test_assign(void **state)
{
    (void)state;
    session s;
    session_init(&s, "x", "x.txt");
    size_t t = session_speaker(&s, "Therapist");
    size_t c = session_speaker(&s, "Mary");
    size_t src = session_speaker(&s, "INV");
    s.speakers[src].role = ROLE_THERAPIST;
    s.speakers[src].role_from_source = 1;
    diag_list d = {0};
    roles_assign(&s, NULL, &d);
    assert_int_equal(s.speakers[t].role, ROLE_THERAPIST);
    assert_int_equal(s.speakers[c].role, ROLE_OTHER);
    assert_int_equal(s.speakers[src].role, ROLE_THERAPIST);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.items[0].message,
                        "speaker 'Mary' has no role and counts as 'other'; give it one with "
                        "--roles FILE (a CSV with header speaker,role)");
    diag_free(&d);
    session_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_words),
        cmocka_unit_test(test_roles_file),
        cmocka_unit_test(test_roles_file_errors),
        cmocka_unit_test(test_assign),
    };
    return cmocka_run_group_tests_name("roles", tests, NULL, NULL);
}
