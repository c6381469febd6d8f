#!/bin/sh
# The sample corpora against their golden reports (tests/golden/), with the
# default lexicons. After a deliberate change of a measure or a lexicon,
# regenerate them with 'make golden' and review the diff.
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
exit 0
