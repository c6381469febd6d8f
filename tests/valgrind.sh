#!/bin/sh
# valgrind.sh DYAD TEST_BIN...: every unit test program, then dyad on each
# fixture folder and on corpora/, under valgrind (memcheck, full leak check).
# Uses the plain build (no sanitizers). The e2e shell tests are not run: the
# point is the binaries. A run is clean when valgrind reports nothing: its
# messages go to a log of their own (--log-file), which must stay empty, so
# dyad's own exit status 1 (some inputs failed, as bad-input fixtures do) is
# not mistaken for a valgrind error. tests/valgrind.supp holds the one
# suppression (PCRE2 JIT's SIMD reads), with the reason.
# Closes with "valgrind: N passed, N failed".
set -u
dyad=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
fix="$root/tests/fixtures"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v valgrind >/dev/null 2>&1 || { echo "valgrind: not installed (apt-get install valgrind)"; exit 1; }

passed=0
failed=0
n=0

# check NAME ALLOWED_STATUSES COMMAND...: run COMMAND under valgrind
check() {
    name=$1 allowed=$2
    shift 2
    n=$((n + 1))
    log="$tmp/valgrind.$n.log"
    valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --quiet --suppressions="$root/tests/valgrind.supp" --log-file="$log" "$@" >"$tmp/out.$n" 2>&1
    rc=$?
    case " $allowed " in *" $rc "*) ok=1 ;; *) ok=0 ;; esac
    if [ "$ok" = 1 ] && [ ! -s "$log" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAILED: $name (exit status $rc)"
        sed 's/^/    /' "$log"
        tail -n 20 "$tmp/out.$n" | sed 's/^/    | /'
    fi
}

for t in "$@"; do
    check "$(basename "$t")" 0 "$t"
done

# dyad on every fixture folder: bad-input fixtures make it exit 1, so 0 and 1
# are both fine here; valgrind's log decides. -j 2 runs the worker threads.
for dir in "$fix"/*/; do
    dir=${dir%/}
    lex="$fix/e2e/test.lex"
    check "dyad $(basename "$dir")/" "0 1" "$dyad" -q -j 2 -o "$tmp/reports" --lexicon "$lex" \
        --utterances --include-text "$dir"
done
# the shipped lexicons (the default) on the e2e fixtures, with the timed options
check "dyad e2e/ with the default lexicons" "0 1" "$dyad" -q -j 2 -o "$tmp/reports" --segments 3 \
    --window 10 --step 5 "$fix/e2e"
if [ -n "$(find "$root/corpora" -type f 2>/dev/null | head -1)" ]; then
    check "dyad corpora/" "0 1" "$dyad" -q -j 2 -o "$tmp/reports" "$root/corpora"
fi
# a LIWC dictionary, the lexicon checker, and shards merged (when this dyad has them)
if "$dyad" --help 2>/dev/null | grep -q -- '--dic'; then
    check "dyad --dic" "0 1" "$dyad" -q -j 2 -o "$tmp/reports" --lexicon "$fix/e2e/test.lex" \
        --dic "$fix/dic/session.dic" "$fix/dic" "$fix/e2e"
    check "dyad lexicon check" "0 1 2" "$dyad" lexicon check "$root/lexicons" "$fix/dic/session.dic" \
        --corpus "$fix/e2e" -o "$tmp/check.csv"
fi
if "$dyad" --help 2>/dev/null | grep -q 'dyad merge'; then
    check "dyad --shard 1/2" "0 1" "$dyad" -q -o "$tmp/shard1" --shard 1/2 --lexicon "$fix/e2e/test.lex" "$fix"
    check "dyad --shard 2/2" "0 1" "$dyad" -q -o "$tmp/shard2" --shard 2/2 --lexicon "$fix/e2e/test.lex" "$fix"
    check "dyad merge" "0 1" "$dyad" merge "$tmp/shard1" "$tmp/shard2" -o "$tmp/merged"
fi
# option and setup errors (usage, a bad lexicon, a missing --roles file)
check "dyad usage error" 2 "$dyad" --segments 0 "$fix/e2e"
check "dyad bad lexicon" 2 "$dyad" -q -o "$tmp/reports" --lexicon "$fix/csv/basic.csv" "$fix/e2e"
check "dyad missing roles" 2 "$dyad" -q -o "$tmp/reports" --roles "$tmp/none.csv" "$fix/e2e"

echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
