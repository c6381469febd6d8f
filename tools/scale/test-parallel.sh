#!/bin/sh
# test-parallel.sh: the GNU parallel recipe of docs/scale.md, end to end on
# this machine: a sample corpus analysed in parts with tools/scale/parallel.sh
# across the local cores, and again through --sshlogin ":" (GNU parallel's
# name for this machine, no ssh involved), each merged and compared with a
# single run (cmp; run.csv aside). Installs GNU parallel if it is missing
# (tools/deps.sh). Not part of make check.
#   sh tools/scale/test-parallel.sh      (after make dyad)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DYAD=${DYAD:-$ROOT/dyad}
export DYAD
[ -x "$DYAD" ] || { echo "test-parallel.sh: no $DYAD; build it first with make dyad" >&2; exit 2; }
sh "$ROOT/tools/deps.sh" parallel || exit 2
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
LEX="$ROOT/tests/fixtures/e2e/test.lex"
sh "$ROOT/tools/scale/sample-corpus.sh" "$W/corpus" || exit 1

"$DYAD" -q -o "$W/single" --lexicon "$LEX" "$W/corpus" 2>/dev/null
[ $? -le 1 ] || { echo "FAIL: the single run"; exit 1; }

# check NAME OUT: OUT holds the single run's reports
check() {
    for r in sessions speakers matches segments windows errors; do
        cmp "$W/single/$r.csv" "$2/$r.csv" || { echo "FAIL: $1: $r.csv differs from a single run"; exit 1; }
    done
    echo "ok: $1: $(($(wc -l <"$2/sessions.csv") - 1)) sessions, every report identical to a single run"
}

sh "$ROOT/tools/scale/parallel.sh" 4 "$W/corpus" "$W/local" --lexicon "$LEX" 2>/dev/null ||
    { echo "FAIL: parallel.sh across local cores: exit $?"; exit 1; }
check "GNU parallel, 4 parts on the local cores" "$W/local"

SSHLOGIN=: sh "$ROOT/tools/scale/parallel.sh" 3 "$W/corpus" "$W/ssh" --lexicon "$LEX" 2>/dev/null ||
    { echo "FAIL: parallel.sh --sshlogin : exit $?"; exit 1; }
check "GNU parallel --sshlogin :, 3 parts" "$W/ssh"
echo "parallel $(parallel --version | head -1 | sed 's/^GNU parallel //'): recipe passed"
