#!/bin/sh
# Interrupting a run (SIGINT, SIGTERM) leaves the previous reports intact and
# no temporary files; a killed run (SIGKILL) leaves no partial report under a
# final name.
. "$E2E_DIR/lib.sh"
LEX="$FIX/e2e/test.lex"
"$DYAD" -q -o "$TMP/out" --lexicon "$LEX" "$FIX/e2e/handworked.txt" || fail "first run: exit $?"
before=$(cd "$TMP/out" && cat *.csv | cksum)
# a big input (about 60 MB) so that the run is still going when the signal comes
mkdir "$TMP/big"
awk 'BEGIN { for (i = 0; i < 700000; i++) printf "THERAPIST: you should try the walk again today, what do you think?\nCLIENT: maybe I could do that, yeah, tomorrow morning\n" }' >"$TMP/big/a.txt"
cp "$TMP/big/a.txt" "$TMP/big/b.txt"
for sig in INT TERM KILL; do
    "$DYAD" -q -j 1 -o "$TMP/out" --lexicon "$LEX" "$TMP/big" &
    pid=$!
    sleep 0.5
    kill -$sig $pid
    wait $pid
    rc=$?
    case $sig in
        INT) expect_eq "SIGINT exit status" 130 "$rc" ;;
        TERM) expect_eq "SIGTERM exit status" 143 "$rc" ;;
        KILL) expect_eq "SIGKILL exit status" 137 "$rc" ;;
    esac
    expect_eq "reports after SIG$sig" "$before" "$(cd "$TMP/out" && cat *.csv | cksum)"
    if [ $sig != KILL ]; then
        leftovers=$(ls -A "$TMP/out" | grep -v '\.csv$' || true)
        expect_eq "temporary files after SIG$sig" "" "$leftovers"
    fi
done
# where the main thread analyses files too (-j 2; -j 1 without
# matches.csv): interrupted all the same (the SIGKILLed run above left its
# temporary files: cleared first)
rm -f "$TMP/out"/.*.tmp-*
for jobs in "-j 2" "-j 1 --no-matches"; do
    # shellcheck disable=SC2086 # $jobs is two or three words
    "$DYAD" -q $jobs -o "$TMP/out" --lexicon "$LEX" "$TMP/big" &
    pid=$!
    sleep 0.5
    kill -INT $pid
    wait $pid
    expect_eq "SIGINT exit status ($jobs)" 130 "$?"
    expect_eq "temporary files after SIGINT ($jobs)" "" "$(ls -A "$TMP/out" | grep -v '\.csv$' || true)"
done
expect_eq "reports after SIGINT (-j 2, -j 1 --no-matches)" "$before" "$(cd "$TMP/out" && cat *.csv | cksum)"
exit 0
