#!/bin/sh
# run.sh DYAD: run every end-to-end test (tests/e2e/test_*.sh) against the
# dyad binary DYAD. Each test is a shell script that exits 0 on success,
# 77 when skipped (it prints why), anything else on failure.
DYAD=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
export DYAD
here=$(cd "$(dirname "$0")" && pwd)
export E2E_DIR="$here"
export ROOT=$(cd "$here/../.." && pwd)
passed=0 failed=0 skipped=0
for t in "$here"/test_*.sh; do
    [ -e "$t" ] || continue
    name=$(basename "$t" .sh)
    out=$(sh "$t" 2>&1); rc=$?
    # a helper the test calls but nobody defines would otherwise pass silently
    if [ $rc -ne 77 ] && printf '%s\n' "$out" | grep -q '^[^ ]*: [0-9]*: [^ ]*: not found$'; then
        rc=1 out="$out
(the test calls a command that does not exist)"
    fi
    if [ $rc -eq 0 ]; then passed=$((passed + 1))
    elif [ $rc -eq 77 ]; then skipped=$((skipped + 1)); echo "SKIPPED: $name: $out"
    else failed=$((failed + 1)); echo "FAILED: $name"; echo "$out" | sed 's/^/    /'
    fi
done
echo "e2e: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
