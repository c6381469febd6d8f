#!/bin/sh
# run-unit.sh BIN...: run each cmocka test program, show the output of those
# that fail, and close with "unit: N passed, N failed" (test cases).
passed=0
failed=0
log=$(mktemp)
for t in "$@"; do
    if "$t" >"$log" 2>&1; then
        n=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
        passed=$((passed + ${n:-0}))
        skipped=$(grep -c '^\[  SKIPPED \]' "$log")
        [ "$skipped" -gt 0 ] && grep -h 'SKIPPED' "$log" | grep -v '^\[' | sed "s|^|$(basename "$t"): |"
    else
        n=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
        failed=$((failed + ${n:-1}))
        p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
        passed=$((passed + ${p:-0}))
        echo "FAILED: $t" >&2
        cat "$log" >&2
    fi
done
rm -f "$log"
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
