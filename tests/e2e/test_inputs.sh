#!/bin/sh
# Input folders: recursion, session ids, skipped files, symbolic links,
# --shard parts that are disjoint and cover everything, -j independence.
. "$E2E_DIR/lib.sh"
LEX="$FIX/e2e/test.lex"
IN="$TMP/in"
mkdir -p "$IN/site1" "$IN/site2/deep" "$TMP/elsewhere"
for f in a b c d e f g h; do cp "$FIX/e2e/handworked.txt" "$IN/site1/$f.txt"; done
cp "$FIX/e2e/handworked.txt" "$IN/site2/deep/s03.txt"
cp "$FIX/e2e/handworked.txt" "$IN/site2/.hidden.txt"          # hidden: skipped
printf 'x' >"$IN/site2/readme.md"                              # unknown extension: skipped
cp "$FIX/e2e/handworked.txt" "$TMP/elsewhere/linked.txt"
ln -s "$TMP/elsewhere/linked.txt" "$IN/site2/link.txt"
ln -s "$IN" "$IN/site2/loop"                                   # a link back up: a loop

"$DYAD" -q -o "$TMP/out" --lexicon "$LEX" "$IN"
expect_eq "exit status" 0 "$?"
expect_eq "session ids" "site1/a site1/b site1/c site1/d site1/e site1/f site1/g site1/h site2/deep/s03" \
    "$(cut -d, -f1 "$TMP/out/sessions.csv" | tail -n +2 | tr '\n' ' ' | sed 's/ $//')"
grep -q "^$IN/site2/link.txt,,warning,symbolic link skipped; use --follow-links to follow links" "$TMP/out/errors.csv" ||
    fail "link warning: $(cat "$TMP/out/errors.csv")"

"$DYAD" -q -o "$TMP/out2" --follow-links --lexicon "$LEX" "$IN"
grep -q '^site2/link,' "$TMP/out2/sessions.csv" || fail "--follow-links did not read the link"
grep -q "^$IN/site2/loop,,warning,symbolic link loop (a folder inside itself) not followed" "$TMP/out2/errors.csv" ||
    fail "loop warning: $(cat "$TMP/out2/errors.csv")"

# -j changes nothing but speed
for j in 1 2 3; do "$DYAD" -q -j $j -o "$TMP/j$j" --lexicon "$LEX" "$IN"; done
for f in sessions speakers matches segments errors; do
    cmp -s "$TMP/j1/$f.csv" "$TMP/j2/$f.csv" && cmp -s "$TMP/j1/$f.csv" "$TMP/j3/$f.csv" || fail "$f.csv differs with -j"
done

# three shards: disjoint, and together every session
for k in 1 2 3; do "$DYAD" -q --shard $k/3 -o "$TMP/shard$k" --lexicon "$LEX" "$IN"; done
all=$(for k in 1 2 3; do tail -n +2 "$TMP/shard$k/sessions.csv" | cut -d, -f1; done | sort)
expect_eq "shards cover every session once" "$(tail -n +2 "$TMP/out/sessions.csv" | cut -d, -f1 | sort)" "$all"
"$DYAD" -q --shard 4/3 "$IN" 2>"$TMP/err"
expect_eq "bad shard exit status" 2 "$?"
grep -q "dyad: --shard takes K/N with 1 <= K <= N, not '4/3'" "$TMP/err" || fail "bad shard: $(cat "$TMP/err")"
exit 0
