# lib.sh: helpers for end-to-end tests (sourced). $DYAD, $ROOT, $E2E_DIR are set by run.sh.
set -u
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FIX="$ROOT/tests/fixtures"

fail() { echo "FAIL: $*"; exit 1; }

# expect_line FILE LINE: FILE holds LINE exactly (the first 30 lines shown when not)
expect_line() { grep -Fxq -- "$2" "$1" || fail "$(basename "$1") lacks the line:
  $2
--- it holds:
$(head -n 30 "$1")"; }

# expect_eq WHAT A B: A and B must be equal (shown both when they are not)
expect_eq() { [ "$2" = "$3" ] || fail "$1 differs:
--- expected/actual:
$2
--- actual/expected:
$3"; }

# csv_cell FILE ROW_KEY COLUMN: the cell in the row whose first field is ROW_KEY
# (or, for speakers.csv, "session/speaker" joined by a tab) under header COLUMN.
# Simple CSV only (no quoted commas in the looked-up row).
csv_cell() {
    awk -F, -v key="$2" -v col="$3" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
        $1 == key || ($1 "\t" $2) == key { print $c; found = 1; exit }
        END { if (!c) print "NO-COLUMN:" col }' "$1"
}

# row_fields FILE N: "column=value" lines for data row N (1 = first row after
# the header). Simple CSV only (no quoted commas).
row_fields() {
    awk -F, -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i; next }
        NR == n + 1 { for (i = 1; i <= NF; i++) print h[i] "=" $i; exit }' "$1"
}

# expect_fields FILE N "col=value col=value ...": each named cell of row N.
expect_fields() {
    fields=$(row_fields "$1" "$2")
    for pair in $3; do
        col=${pair%%=*}
        got=$(printf '%s\n' "$fields" | grep "^$col=" | head -1)
        [ "$got" = "$pair" ] || fail "$(basename "$1") row $2: expected $pair, got '${got:-no such column}'"
    done
}
