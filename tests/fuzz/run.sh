#!/bin/sh
# run.sh BUILD TARGET...: run each libFuzzer target BUILD/fuzz/fuzz_TARGET for
# $FUZZ_SECONDS seconds (default 60), one target at a time, one process each.
#
# Seeds are copied at run time into BUILD/fuzz/corpus/TARGET/ (never into the
# repository): the fixtures of the target's format, the e2e fixtures and
# corpora/ for the readers, the shipped lexicons for the lexicon target. What
# the fuzzer learns stays in that folder for the next run. A crash, leak,
# sanitizer report or timeout stops the target; its input is left in
# BUILD/fuzz/crashes/TARGET/ and the run fails. Reproduce one with
#   BUILD/fuzz/fuzz_TARGET BUILD/fuzz/crashes/TARGET/crash-...
set -u
build=$(cd "$1" && pwd)
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${FUZZ_SECONDS:-60}
fix="$root/tests/fixtures"
failed=0
passed=0

# seed_dirs TARGET: the folders whose files seed TARGET
seed_dirs() {
    case $1 in
    lexicon) echo "$root/lexicons $fix/e2e" ;;
    dic) echo "$fix/dic $root/lexicons" ;;
    txt) echo "$fix/e2e $fix/e2e/edges $root/corpora" ;;
    *) echo "$fix/$1 $fix/e2e $fix/e2e/edges $fix/e2e/timed $root/corpora" ;;
    esac
}

# seed_ok TARGET FILE: whether FILE is a sensible seed for TARGET
seed_ok() {
    case $1 in
    lexicon) case $2 in *.lex) return 0 ;; esac; return 1 ;;
    dic) case $2 in *.dic) return 0 ;; esac; return 1 ;;
    esac
    return 0
}

for target in "$@"; do
    bin="$build/fuzz/fuzz_$target"
    corpus="$build/fuzz/corpus/$target"
    crashes="$build/fuzz/crashes/$target"
    work="$build/fuzz/work/$target"
    mkdir -p "$corpus" "$crashes" "$work"
    for dir in $(seed_dirs "$target"); do
        [ -d "$dir" ] || continue
        for f in "$dir"/*; do
            [ -f "$f" ] && seed_ok "$target" "$f" && cp "$f" "$corpus/seed-$(basename "$f")"
        done
    done
    dict=""
    [ -f "$root/tests/fuzz/$target.dict" ] && dict="-dict=$root/tests/fuzz/$target.dict"
    echo "== fuzz_$target: ${seconds}s, corpus $corpus =="
    # -jobs=1 runs one worker process whose log is fuzz-0.log in the working folder
    (cd "$work" && rm -f fuzz-0.log &&
        "$bin" -jobs=1 -workers=1 -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
            -artifact_prefix="$crashes/" $dict "$corpus" >/dev/null 2>&1)
    rc=$?
    log="$work/fuzz-0.log"
    if [ $rc -eq 0 ] && ! grep -q 'ERROR: \|SUMMARY: \|==ERROR\|runtime error' "$log" 2>/dev/null; then
        passed=$((passed + 1))
        grep '^Done\|^#[0-9]*[[:space:]]*DONE' "$log" | tail -1
    else
        failed=$((failed + 1))
        echo "FAILED: fuzz_$target (status $rc); log $log, inputs in $crashes:"
        tail -n 40 "$log" 2>/dev/null
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
