/* test_sha256.c: SHA-256 against the FIPS 180-2 / NIST example vectors and
 * digests of padding-boundary lengths taken from coreutils sha256sum. */
#include "testutil.h"
#include "util/sha256.h"

#include <stdlib.h>

static void assert_hex(const char *data, size_t n, const char *want)
{
    char hex[SHA256_HEX_SIZE];
    sha256_hex(data, n, hex);
    assert_string_equal(hex, want);
}

static void test_empty(void **state)
{
    (void)state;
    assert_hex("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
    (void)state;
    assert_hex("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* The 448-bit message: padding no longer fits its block, so two blocks. */
static void test_448_bits(void **state)
{
    (void)state;
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_int_equal(strlen(m), 56);
    assert_hex(m, 56, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_raw_digest_bytes(void **state)
{
    (void)state;
    unsigned char d[SHA256_DIGEST_SIZE];
    sha256("abc", 3, d);
    assert_int_equal(d[0], 0xba);
    assert_int_equal(d[1], 0x78);
    assert_int_equal(d[31], 0xad);
}

/* n copies of 'x' around the 55/56/64-byte padding boundaries (expected
 * digests from `head -c N /dev/zero | tr '\0' x | sha256sum`). */
static void test_padding_boundaries(void **state)
{
    (void)state;
    static const struct { size_t n; const char *hex; } cases[] = {
        {55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
        {56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"},
        {63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
        {64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
        {65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"},
        {119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"},
        {120, "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"},
    };
    char x[120];
    memset(x, 'x', sizeof x);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) assert_hex(x, cases[i].n, cases[i].hex);
}

/* Feeding the data in pieces of every size gives the one-shot digest. */
static void test_incremental_equals_one_shot(void **state)
{
    (void)state;
    char data[200];
    for (size_t i = 0; i < sizeof data; i++) data[i] = (char)('a' + i % 26);
    unsigned char whole[SHA256_DIGEST_SIZE], parts[SHA256_DIGEST_SIZE];
    sha256(data, sizeof data, whole);
    for (size_t step = 1; step <= 70; step++) {
        sha256_ctx c;
        sha256_init(&c);
        for (size_t off = 0; off < sizeof data; off += step)
            sha256_update(&c, data + off, sizeof data - off < step ? sizeof data - off : step);
        sha256_final(&c, parts);
        assert_memory_equal(parts, whole, sizeof whole);
    }
}

/* The FIPS 180-2 long message: one million 'a'. */
static void test_million_a(void **state)
{
    (void)state;
    char *m = malloc(1000000);
    assert_non_null(m);
    memset(m, 'a', 1000000);
    assert_hex(m, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_abc),
        cmocka_unit_test(test_448_bits),
        cmocka_unit_test(test_raw_digest_bytes),
        cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_incremental_equals_one_shot),
        cmocka_unit_test(test_million_a),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
