#!/bin/sh
# The sample corpora against their golden reports (tests/golden/), with the
# default lexicons, whatever -j and --no-matches. After a deliberate change
# of a measure or a lexicon, regenerate them with 'make golden' and review
# the diff.
. "$E2E_DIR/lib.sh"
cd "$ROOT" || fail "no project root"
[ -d tests/golden ] || fail "tests/golden is missing; run 'make golden'"
"$DYAD" -q -o "$TMP/out" corpora
rc=$?
expect_eq "exit status on corpora/" 0 "$rc"
for f in tests/golden/*.csv; do
    name=$(basename "$f")
    diff -u "$f" "$TMP/out/$name" >"$TMP/diff" || fail "$name differs from the golden report:
$(head -40 "$TMP/diff")"
done
# The same reports whatever the number of threads, and whether matches.csv
# is written or not: without it the matches are only counted, and taken in
# the order found (match_scratch_any_order), which must change no count.
for opts in "-j 1" "-j 3" "-j 1 --no-matches" "-j 2 --no-matches"; do
    rm -rf "$TMP/again"
    # shellcheck disable=SC2086 # $opts is two or three words
    "$DYAD" -q $opts -o "$TMP/again" corpora || fail "exit status $? on corpora/ with $opts"
    for f in tests/golden/*.csv; do
        name=$(basename "$f")
        case "$opts:$name" in
            *--no-matches:matches.csv) expect_eq "matches.csv with $opts" "$(head -n 1 "$f")" "$(cat "$TMP/again/$name")" ;;
            *) cmp -s "$f" "$TMP/again/$name" || fail "$name with $opts differs from the golden report" ;;
        esac
    done
done
# ... and on every fixture of every format, with utterances.csv (its
# categories per utterance) too
for opts in "" "--no-matches"; do
    # shellcheck disable=SC2086 # $opts is empty or one word
    "$DYAD" -q --utterances $opts -o "$TMP/fixtures$opts" "$FIX" >/dev/null 2>&1
    echo $? >"$TMP/fixtures$opts/status"
done
for f in "$TMP/fixtures"/*; do
    name=$(basename "$f")
    case "$name" in matches.csv | run.csv) continue ;; esac
    cmp -s "$f" "$TMP/fixtures--no-matches/$name" || fail "tests/fixtures: $name differs with --no-matches"
done
[ "$(wc -l <"$TMP/fixtures/utterances.csv")" -gt 100 ] || fail "tests/fixtures: too few utterances to compare"
exit 0
