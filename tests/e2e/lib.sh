# lib.sh: helpers for end-to-end tests (sourced). $DYAD, $ROOT, $E2E_DIR are set by run.sh.
set -u
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FIX="$ROOT/tests/fixtures"

fail() { echo "FAIL: $*"; exit 1; }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"; }

# csv_cell FILE ROW_KEY COLUMN: the cell in the row whose first field is ROW_KEY
# (or, for speakers.csv, "session/speaker" joined by a tab) under header COLUMN.
# Simple CSV only (no quoted commas in the looked-up row).
csv_cell() {
    awk -F, -v key="$2" -v col="$3" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
        $1 == key || ($1 "\t" $2) == key { print $c; found = 1; exit }
        END { if (!c) print "NO-COLUMN:" col }' "$1"
}
