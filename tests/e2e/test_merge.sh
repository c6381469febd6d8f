#!/bin/sh
# dyad merge: a batch analysed in --shard parts and merged gives the reports
# of a single run, byte for byte (run.csv aside), with and without
# --utterances; report sets that cannot be merged give exit status 2, an
# exact message, and no reports.
. "$E2E_DIR/lib.sh"
LEX="$FIX/e2e/test.lex"
IN="$TMP/in"
mkdir -p "$IN/site" "$TMP/elsewhere"

# Several formats, CSV files with several sessions and meta_ columns, bad
# files, an empty file, duplicate ids, guarded ids, and a link every part
# warns about.
cp "$FIX/e2e/handworked.txt" "$FIX/e2e/edges/backwards.txt" "$FIX/e2e/edges/cut_off.txt" \
   "$FIX/e2e/edges/one_speaker.txt" "$IN/"
cp "$FIX/e2e/timed/session.csv" "$IN/timed.csv"
cp "$FIX/e2e/timed/session.vtt" "$IN/timed.vtt"             # same id as timed.csv: an error
cp "$FIX/csv/sessions.csv" "$FIX/csv/ids.csv" "$FIX/csv/messy.csv" "$IN/"
cp "$FIX/chat/basic.cha" "$FIX/srt/basic.srt" "$IN/"         # same id again
cp "$FIX/eaf/session.eaf" "$FIX/textgrid/session_short.TextGrid" "$FIX/vtt/zoom.vtt" "$IN/site/"
cp "$FIX/tei/session.xml" "$IN/site/tei.xml"
cp "$FIX/talkbank/basic.xml" "$IN/site/talkbank.xml"
cp "$FIX/csv/bad_quote.csv" "$IN/"
cp "$FIX/eaf/malformed.eaf" "$IN/site/"
: >"$IN/empty.txt"
# sessions-2/... sorts before sessions/... by id, but a single run writes the
# files in file-id order: sessions.csv first
printf 'session,speaker,text,site,rating,notes\nq1,therapist,How are you?,north,3,\nq1,client,"Fine, thanks.",north,3,\nq2,therapist,Hello again,south,,\nq2,client,=1+1,south,,\n' \
    >"$IN/sessions-2.csv"
printf 'Therapist: Shall we start?\nClient: Yes.\n' >"$IN/-neg.txt"      # id '-neg, guarded in the reports
printf 'Therapist: And today?\nClient: Better.\n' >"$IN/(x).txt"
cp "$FIX/e2e/handworked.txt" "$TMP/elsewhere/linked.txt"
ln -s "$TMP/elsewhere/linked.txt" "$IN/link.txt"
[ "$(find "$IN" -type f | wc -l)" -ge 12 ] || fail "the test corpus has fewer than 12 files"

REPORTS="sessions speakers matches segments windows errors"

# run_value FILE KEY: the value of KEY in a run.csv (simple values only)
run_value() { awk -F, -v k="$2" '$1 == k { print $2 }' "$1"; }

# same_reports A B REPORT...: every named report is byte-identical
same_reports() {
    a=$1 b=$2
    shift 2
    for r in "$@"; do
        cmp "$a/$r.csv" "$b/$r.csv" >/dev/null || fail "$r.csv differs between $a and $b:
$(diff "$a/$r.csv" "$b/$r.csv" | head -20)"
    done
}

# shard_and_merge NAME N OPTIONS...: a single run into NAME/all, N parts into
# NAME/part_K, merged into NAME/merged; every report but run.csv must match.
shard_and_merge() {
    name=$1 n=$2
    shift 2
    mkdir -p "$TMP/$name"
    "$DYAD" -q -o "$TMP/$name/all" --lexicon "$LEX" "$@" "$IN" 2>/dev/null
    expect_eq "$name: single run exit status" 1 "$?"
    k=1
    while [ $k -le "$n" ]; do
        "$DYAD" -q --shard "$k/$n" -o "$TMP/$name/part_$k" --lexicon "$LEX" "$@" "$IN" 2>/dev/null
        [ $? -le 1 ] || fail "$name: part $k/$n failed"
        k=$((k + 1))
    done
    "$DYAD" merge "$TMP/$name"/part_* -o "$TMP/$name/merged" 2>"$TMP/$name/merge.err"
    expect_eq "$name: merge exit status" 0 "$?"
}

# --- three parts, the plain reports ---
shard_and_merge plain 3
P="$TMP/plain"
same_reports "$P/all" "$P/merged" $REPORTS
[ ! -e "$P/merged/utterances.csv" ] || fail "utterances.csv without --utterances"
# the parts really are parts: each holds some of the sessions, none all
for k in 1 2 3; do
    n=$(tail -n +2 "$P/part_$k/sessions.csv" | wc -l)
    [ "$n" -gt 0 ] && [ "$n" -lt "$(tail -n +2 "$P/all/sessions.csv" | wc -l)" ] || fail "part $k has $n sessions"
done
# what the test is about is really there
grep -q "^sessions/a1,.*sessions.csv" "$P/all/sessions.csv" || fail "no sessions/a1 session"
grep -q "^'-neg," "$P/all/sessions.csv" || fail "no guarded '-neg session"
head -1 "$P/all/sessions.csv" | grep -q ',meta_topic,meta_site,meta_rating,meta_notes$' ||
    fail "meta columns: $(head -1 "$P/all/sessions.csv" | tr , '\n' | grep meta_ | tr '\n' ' ')"
expect_eq "link warnings in the merged errors.csv" 1 "$(grep -c "^$IN/link.txt,,warning,symbolic link skipped" "$P/merged/errors.csv")"

# run.csv: the merge's own rows, the totals of a single run
expect_eq "merged_from" "$P/part_1 $P/part_2 $P/part_3" "$(run_value "$P/merged/run.csv" merged_from | tr '\n' ' ' | sed 's/ $//')"
expect_eq "merge command" "dyad merge $P/part_1 $P/part_2 $P/part_3 -o $P/merged" "$(run_value "$P/merged/run.csv" command)"
for key in version lexicon lexicon_sha256 matches inputs files_failed sessions errors warnings exit_status; do
    expect_eq "run.csv $key" "$(run_value "$P/all/run.csv" "$key")" "$(run_value "$P/merged/run.csv" "$key")"
done
grep -q '^started,20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z$' "$P/merged/run.csv" ||
    fail "started: $(grep '^started' "$P/merged/run.csv")"
expect_eq "merge summary" \
    "dyad merge: 3 report sets, $(run_value "$P/all/run.csv" sessions) sessions, $(run_value "$P/all/run.csv" errors) errors, $(run_value "$P/all/run.csv" warnings) warnings; reports in $P/merged" \
    "$(cat "$P/merge.err")"
"$DYAD" merge -q "$P"/part_* -o "$P/quiet" 2>"$TMP/err"
expect_eq "quiet merge" "0:" "$?:$(cat "$TMP/err")"

# a merged set merges again: parts 1 and 2, then that with part 3
"$DYAD" merge -q "$P/part_1" "$P/part_2" -o "$P/m12" && "$DYAD" merge -q "$P/m12" "$P/part_3" -o "$P/m123" ||
    fail "merging in two steps: exit $?"
same_reports "$P/all" "$P/m123" $REPORTS
expect_eq "two-step run.csv sessions" "$(run_value "$P/all/run.csv" sessions)" "$(run_value "$P/m123/run.csv" sessions)"

# --- three parts with utterances; five (some may be empty) with their text ---
shard_and_merge utt3 3 --utterances
same_reports "$TMP/utt3/all" "$TMP/utt3/merged" $REPORTS utterances
shard_and_merge utt 5 --utterances --include-text
same_reports "$TMP/utt/all" "$TMP/utt/merged" $REPORTS utterances
expect_eq "merged utterances.csv mode" "600" "$(stat -c %a "$TMP/utt/merged/utterances.csv")"

# --- report sets that cannot be merged: exit 2, the message, nothing written ---
# merge_fails NAME MESSAGE DIR...: the merge into $TMP/bad fails with MESSAGE
merge_fails() {
    name=$1 want=$2
    shift 2
    "$DYAD" merge "$@" -o "$TMP/bad" 2>"$TMP/err"
    expect_eq "$name: exit status" 2 "$?"
    expect_eq "$name: message" "$want" "$(cat "$TMP/err")"
    [ ! -e "$TMP/bad" ] || fail "$name: the output folder was created"
}

merge_fails "missing folder" \
    "$TMP/nowhere: error: cannot read the report folder: No such file or directory; give folders written by dyad -o" \
    "$P/part_1" "$TMP/nowhere"

cp -r "$P/part_2" "$TMP/no_windows"
rm "$TMP/no_windows/windows.csv"
merge_fails "missing report" \
    "$TMP/no_windows: error: no windows.csv here; a report folder written by dyad -o holds sessions.csv, speakers.csv, matches.csv, segments.csv, windows.csv, errors.csv and run.csv" \
    "$P/part_1" "$TMP/no_windows" "$P/part_3"

# part 2 made with a lexicon that has one more word
cp "$LEX" "$TMP/other.lex"
printf '\n# one more\n' >>"$TMP/other.lex"
"$DYAD" -q --shard 2/3 -o "$TMP/other_lex" --lexicon "$TMP/other.lex" "$IN" 2>/dev/null
sha_a=$(sha256sum "$LEX" | cut -c1-12)
sha_b=$(sha256sum "$TMP/other.lex" | cut -c1-12)
merge_fails "different lexicons" \
    "$TMP/other_lex/run.csv: error: report sets were made with different lexicons: $P/part_1 used $LEX (sha256 $sha_a); $TMP/other_lex used $TMP/other.lex (sha256 $sha_b); make every part with the same --lexicon files" \
    "$P/part_1" "$TMP/other_lex" "$P/part_3"

cp -r "$P/part_1" "$TMP/again"
first=$(sed -n 2p "$P/part_1/sessions.csv" | cut -d, -f1)
merge_fails "session in two sets" \
    "$TMP/again/sessions.csv:2: error: session '$first' is also in $P/part_1/sessions.csv; a session must be in one report set only (were the same inputs analysed twice, or parts made with different --shard N?)" \
    "$P/part_1" "$P/part_2" "$TMP/again"

merge_fails "utterances in some sets" \
    "$P/part_1: error: no utterances.csv here, but $TMP/utt/part_1 has one; make every part with --utterances, or none" \
    "$P/part_1" "$TMP/utt/part_1"

"$DYAD" merge "$P/part_1" "$P/part_2" 2>"$TMP/err"
expect_eq "no -o: exit status" 2 "$?"
expect_eq "no -o: message" "dyad merge: no output folder: give it with -o OUT
Try 'dyad merge --help'." "$(cat "$TMP/err")"

# a failed merge leaves an earlier merge as it was
before=$(cat "$P/merged"/*.csv | cksum)
"$DYAD" merge "$P/part_1" "$TMP/nowhere" -o "$P/merged" 2>/dev/null
expect_eq "failed merge over an earlier one: exit status" 2 "$?"
expect_eq "reports after a failed merge" "$before" "$(cat "$P/merged"/*.csv | cksum)"
exit 0
