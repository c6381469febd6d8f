#!/bin/sh
# One folder holding every format at once (and two bad files) gives one
# coherent set of reports: every file in sessions.csv or errors.csv, rows
# sorted by session id, the same columns for every format.
. "$E2E_DIR/lib.sh"
F="$FIX"
IN="$TMP/mixed"
mkdir -p "$IN"
cp "$F/e2e/handworked.txt" "$IN/a_txt.txt"
cp "$F/csv/sessions.csv" "$IN/b_csv.csv"
cp "$F/chat/basic.cha" "$IN/c_chat.cha"
cp "$F/talkbank/basic.xml" "$IN/d_talkbank.xml"
cp "$F/vtt/teams.vtt" "$IN/e_vtt.vtt"
cp "$F/srt/basic.srt" "$IN/f_srt.srt"
cp "$F/eaf/session.eaf" "$IN/g_eaf.eaf"
cp "$F/textgrid/session_long.TextGrid" "$IN/h_textgrid.TextGrid"
cp "$F/tei/session.xml" "$IN/i_tei.xml"
cp "$F/eaf/malformed.eaf" "$IN/j_bad.eaf"
: >"$IN/k_empty.vtt"
"$DYAD" -q -o "$TMP/out" "$IN" 2>/dev/null
expect_eq "exit status (two bad files)" 1 "$?"
expect_eq "sessions (id, utterances, words)" "a_txt,10,52
b_csv/a1,3,7
b_csv/b2,2,6
c_chat,7,26
d_talkbank,6,27
e_vtt,4,24
f_srt,8,32
g_eaf,7,21
h_textgrid,3,12
i_tei,8,25" "$(tail -n +2 "$TMP/out/sessions.csv" | cut -d, -f1,4,5)"
grep -q "^$IN/j_bad.eaf,9,error,malformed XML" "$TMP/out/errors.csv" || fail "bad eaf: $(cat "$TMP/out/errors.csv")"
grep -q "^$IN/k_empty.vtt,,error,the file is empty" "$TMP/out/errors.csv" || fail "empty vtt"
expect_eq "inputs" "inputs,11" "$(grep '^inputs,' "$TMP/out/run.csv")"
expect_eq "failed" "files_failed,2" "$(grep '^files_failed,' "$TMP/out/run.csv")"
# every sessions.csv row has as many cells as the header (no quoted commas in these rows)
awk -F, 'NR == 1 { n = NF; next } NF != n { print "row " NR " has " NF " cells, header " n; bad = 1 } END { exit bad }' \
    "$TMP/out/sessions.csv" || fail "ragged sessions.csv"
exit 0
