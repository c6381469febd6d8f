#!/bin/sh
# The binary finds its default lexicons beside it in the source tree and
# under its install prefix (PREFIX/bin/dyad with PREFIX/share/dyad/lexicons),
# from any working directory.
. "$E2E_DIR/lib.sh"
mkdir -p "$TMP/prefix/bin" "$TMP/prefix/share/dyad/lexicons" "$TMP/elsewhere"
cp "$DYAD" "$TMP/prefix/bin/dyad"
cp "$ROOT"/lexicons/*.lex "$TMP/prefix/share/dyad/lexicons/"
cd "$TMP/elsewhere" || fail "cd"
"$TMP/prefix/bin/dyad" -q -o out "$ROOT/corpora/balanced.txt" || fail "installed dyad: exit $?"
first=$(grep '^lexicon,' out/run.csv | head -1 | cut -d, -f2)
case "$first" in
    "$TMP/prefix/share/dyad/lexicons/"*.lex) ;;
    *) fail "installed dyad loaded '$first', not its own lexicons" ;;
esac
expect_eq "lexicon files" "$(ls "$ROOT"/lexicons/*.lex | wc -l)" "$(grep -c '^lexicon,' out/run.csv)"
# a binary with no lexicons anywhere near it says so and exits 2
mkdir -p "$TMP/bare/bin"
cp "$DYAD" "$TMP/bare/bin/dyad"
"$TMP/bare/bin/dyad" -q -o out2 "$ROOT/corpora/balanced.txt" 2>"$TMP/err"
expect_eq "no lexicons exit status" 2 "$?"
grep -q "no default lexicons found" "$TMP/err" || fail "no-lexicon message: $(cat "$TMP/err")"
exit 0
