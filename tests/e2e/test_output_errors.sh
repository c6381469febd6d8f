#!/bin/sh
# Output that cannot be written: exit status 2, a clear message, and never a
# truncated or half-replaced report.
. "$E2E_DIR/lib.sh"
LEX="$FIX/e2e/test.lex"
IN="$FIX/e2e/handworked.txt"

# An output folder that cannot be created (its parent is a file).
"$DYAD" -q -o "$IN/reports" --lexicon "$LEX" "$IN" 2>"$TMP/err"
expect_eq "uncreatable folder exit status" 2 "$?"
grep -q "^$IN/reports: error: cannot create the output folder: Not a directory; choose another with -o DIR" "$TMP/err" ||
    fail "uncreatable: $(cat "$TMP/err")"

# A full disk and a read-only folder need a small file system of our own (root).
if [ "$(id -u)" != 0 ] || ! mkdir -p "$TMP/full" || ! mount -t tmpfs -o size=64k tmpfs "$TMP/full" 2>/dev/null; then
    echo "full-disk and read-only cases skipped: mounting a tmpfs needs root"
    exit 0
fi
trap 'umount "$TMP/full" 2>/dev/null; umount "$TMP/ro" 2>/dev/null; rm -rf "$TMP"' EXIT
"$DYAD" -q -o "$TMP/full/out" --lexicon "$LEX" "$IN" || fail "small run on tmpfs: exit $?"
before=$(cat "$TMP/full/out"/*.csv | cksum)
mkdir "$TMP/many"
for i in $(seq 1 60); do cp "$IN" "$TMP/many/s$i.txt"; done
"$DYAD" -q -o "$TMP/full/out" --lexicon "$LEX" "$TMP/many" 2>"$TMP/err"
expect_eq "full disk exit status" 2 "$?"
grep -q "cannot write the report: No space left on device; no report was replaced" "$TMP/err" || fail "full: $(cat "$TMP/err")"
expect_eq "reports after a full disk" "$before" "$(cat "$TMP/full/out"/*.csv | cksum)"
expect_eq "temporary files after a full disk" "" "$(ls -A "$TMP/full/out" | grep -v '\.csv$' || true)"

mkdir -p "$TMP/ro"
mount -t tmpfs -o ro,size=64k tmpfs "$TMP/ro" || fail "read-only mount"
"$DYAD" -q -o "$TMP/ro" --lexicon "$LEX" "$IN" 2>"$TMP/err"
expect_eq "read-only folder exit status" 2 "$?"
grep -q "^$TMP/ro: error: cannot write to the output folder: Read-only file system; choose another with -o DIR" "$TMP/err" ||
    fail "read-only: $(cat "$TMP/err")"
exit 0
