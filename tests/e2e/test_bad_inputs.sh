#!/bin/sh
# Bad inputs: each gives a clear message with file (and line), the other
# files are still analysed, and every input file is accounted for in
# sessions.csv or errors.csv, with run.csv adding up.
. "$E2E_DIR/lib.sh"
IN="$TMP/in"
mkdir -p "$IN/sub"
cp "$FIX/e2e/handworked.txt" "$IN/good.txt"
cp "$FIX/e2e/handworked.txt" "$IN/sub/good2.txt"
: >"$IN/empty.txt"
printf 'just a title\nand some text without any label\n' >"$IN/nolabel.txt"
printf 'THERAPIST: hi\nCLIENT: \000\001\002 bin\n' >"$IN/binary.txt"
printf 'THERAPIST: caf\351 ok\nCLIENT: fine\n' >"$IN/latin1.txt"
printf 'THERAPIST:\nCLIENT:\n' >"$IN/labels_only.txt"
printf '\357\273\277THERAPIST: hello there\r\nCLIENT: hi\r\n' >"$IN/crlf_bom.txt"
printf 'not a transcript' >"$IN/notes.md"          # not a known extension: skipped silently
"$DYAD" -q -o "$TMP/out" --lexicon "$FIX/e2e/test.lex" "$IN" 2>"$TMP/stderr"
rc=$?
expect_eq "exit status (some inputs failed)" 1 "$rc"
E="$TMP/out/errors.csv"
grep -qx "$IN/empty.txt,,error,the file is empty" "$E" || fail "empty: $(cat "$E")"
grep -qx "$IN/binary.txt,2,error,binary file (NUL byte); not a transcript: convert it to UTF-8 text" "$E" || fail "binary: $(cat "$E")"
grep -q "^$IN/nolabel.txt,,error,.no speaker labels found" "$E" || fail "no label: $(cat "$E")"
grep -qx "$IN/latin1.txt,1,warning,invalid UTF-8 (1 byte sequence) replaced by U+FFFD; save the file as UTF-8" "$E" || fail "latin1: $(cat "$E")"
# the same messages reach stderr, as FILE:LINE: severity: message
grep -q "^$IN/binary.txt:2: error: binary file" "$TMP/stderr" || fail "stderr: $(cat "$TMP/stderr")"
# sessions: crlf_bom, good, labels_only (no words), latin1, sub/good2
expect_eq "session ids" "crlf_bom
good
labels_only
latin1
sub/good2" "$(cut -d, -f1 "$TMP/out/sessions.csv" | tail -n +2)"
expect_fields "$TMP/out/sessions.csv" 1 "session_id=crlf_bom utterances=2 words=3 therapist_words=2 client_words=1"
expect_fields "$TMP/out/sessions.csv" 3 "session_id=labels_only utterances=0 words=0 word_balance="
expect_fields "$TMP/out/sessions.csv" 4 "session_id=latin1 words=3"
# every input file is accounted for: 8 transcripts seen, 5 sessions, 3 failed
expect_eq "run inputs" "inputs,8" "$(grep '^inputs,' "$TMP/out/run.csv")"
expect_eq "run sessions" "sessions,5" "$(grep '^sessions,' "$TMP/out/run.csv")"
expect_eq "run failed" "files_failed,3" "$(grep '^files_failed,' "$TMP/out/run.csv")"
expect_eq "run errors" "errors,3" "$(grep '^errors,' "$TMP/out/run.csv")"
for f in good sub/good2 empty nolabel binary latin1 labels_only crlf_bom; do
    grep -q "^$f," "$TMP/out/sessions.csv" || grep -q "^$IN/$f.txt," "$E" || fail "$f.txt is in neither report"
done

# A missing path: reported, the rest still analysed, exit status 2.
"$DYAD" -q -o "$TMP/out2" --lexicon "$FIX/e2e/test.lex" "$IN/good.txt" "$TMP/nope" 2>"$TMP/stderr"
expect_eq "missing path exit status" 2 "$?"
grep -q "^$TMP/nope,,error,no such file or folder: No such file or directory" "$TMP/out2/errors.csv" || fail "missing: $(cat "$TMP/out2/errors.csv")"
expect_eq "missing path: other file analysed" "sessions,1" "$(grep '^sessions,' "$TMP/out2/run.csv")"

# Two inputs with the same session id: an error naming both.
mkdir -p "$TMP/dup"
cp "$FIX/e2e/handworked.txt" "$TMP/dup/s1.txt"
printf 'speaker,text\nT,hello\n' >"$TMP/dup/s1.csv"
"$DYAD" -q -o "$TMP/out3" --lexicon "$FIX/e2e/test.lex" "$TMP/dup" 2>/dev/null
expect_eq "duplicate id exit status" 1 "$?"
grep -q "session id 's1' is also the id of $TMP/dup/s1.csv; rename one of the two files" "$TMP/out3/errors.csv" ||
    fail "duplicate: $(cat "$TMP/out3/errors.csv")"
expect_eq "duplicate counted" "inputs,2" "$(grep '^inputs,' "$TMP/out3/run.csv")"

# A CSV session named like another file ("a.csv" session x beside "a/x.txt"):
# that session is dropped with an error naming both; the rest is analysed,
# and each id appears once, whatever -j.
mkdir -p "$TMP/twin/a"
printf 'session,speaker,text\nx,T,hello\nx,C,hi\ny,T,hi there\n' >"$TMP/twin/a.csv"
cp "$FIX/e2e/handworked.txt" "$TMP/twin/a/x.txt"
for j in 1 2; do
    "$DYAD" -q -j $j -o "$TMP/twin$j" --lexicon "$FIX/e2e/test.lex" "$TMP/twin" 2>/dev/null
    expect_eq "twin id exit status (-j $j)" 1 "$?"
done
expect_line "$TMP/twin1/errors.csv" "$TMP/twin/a.csv,2,error,session id 'a/x' (this file's name and its session column) is also the id of $TMP/twin/a/x.txt; rename the file or the session (this session was not analysed)"
expect_eq "twin ids once each" "a/x a/y" "$(tail -n +2 "$TMP/twin1/sessions.csv" | cut -d, -f1 | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq "twin: a/x from the text file" "$TMP/twin/a/x.txt" "$(csv_cell "$TMP/twin1/sessions.csv" a/x source)"
cmp -s "$TMP/twin1/sessions.csv" "$TMP/twin2/sessions.csv" || fail "twin: sessions.csv differs with -j"
# the same with the two files in different --shard parts ("a" hashes to
# part 1 of 2, "a/x" to part 2), then merged
for k in 1 2; do "$DYAD" -q --shard $k/2 -o "$TMP/twinshard$k" --lexicon "$FIX/e2e/test.lex" "$TMP/twin" 2>/dev/null; done
expect_eq "twin: a.csv alone in part 1" "a/y" "$(tail -n +2 "$TMP/twinshard1/sessions.csv" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
"$DYAD" merge "$TMP/twinshard1" "$TMP/twinshard2" -o "$TMP/twinmerged" 2>/dev/null
expect_eq "twin shards merge exit status" 0 "$?"
for f in sessions speakers segments errors; do
    cmp -s "$TMP/twin1/$f.csv" "$TMP/twinmerged/$f.csv" || fail "twin: merged shards' $f.csv differs from one run"
done

# An unreadable file (root can read anything, so use one the kernel refuses).
if [ "$(id -u)" = 0 ]; then bad=/proc/self/mem; else bad="$TMP/locked.txt"; cp "$IN/good.txt" "$bad"; chmod 000 "$bad"; fi
"$DYAD" -q -o "$TMP/out4" --lexicon "$FIX/e2e/test.lex" --format txt "$bad" "$IN/good.txt" 2>/dev/null
expect_eq "unreadable exit status" 1 "$?"
grep -q "^$bad,,error,cannot \(open\|read\): " "$TMP/out4/errors.csv" || fail "unreadable: $(cat "$TMP/out4/errors.csv")"
exit 0
