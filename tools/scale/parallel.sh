#!/bin/sh
# parallel.sh N CORPUS OUT [DYAD OPTIONS...]: the GNU parallel recipe of
# docs/scale.md. Analyses CORPUS in N parts (dyad --shard K/N), as many at
# once as there are cores (or as SSHLOGIN says), then merges the parts into
# OUT with dyad merge.
#   DYAD      the dyad binary (default: dyad on PATH)
#   PARTS     where the parts go (default: OUT.parts)
#   SSHLOGIN  GNU parallel --sshlogin value, e.g. ":" (this machine) or
#             "8/node1,8/node2"; every host must see DYAD, CORPUS and PARTS
#             at the same paths (a shared file system)
# A part that exits 1 (some inputs failed; they are listed in its errors.csv
# and will be in the merged one) is fine; any other failure stops before the
# merge. Exit status: 2 if a part failed, else dyad merge's.
set -u
[ $# -ge 3 ] || { echo "usage: sh tools/scale/parallel.sh N CORPUS OUT [DYAD OPTIONS...]" >&2; exit 2; }
N=$1 CORPUS=$2 OUT=$3
shift 3
DYAD=${DYAD:-dyad}
PARTS=${PARTS:-$OUT.parts}
command -v parallel >/dev/null ||
    { echo "parallel.sh: GNU parallel is missing; install it with: sh tools/deps.sh parallel" >&2; exit 2; }
mkdir -p "$PARTS" || exit 2
log="$PARTS/joblog"
# -q: parallel hands each argument over as it is (spaces and all);
# -j 1 for dyad: parallel already runs one part per core
parallel -q --joblog "$log" ${SSHLOGIN:+--sshlogin "$SSHLOGIN"} \
    "$DYAD" -q -j 1 --shard "{}/$N" -o "$PARTS/part_{}" "$@" "$CORPUS" ::: $(seq 1 "$N")
# the job log: Seq Host Starttime JobRuntime Send Receive Exitval Signal Command
failed=$(awk 'NR > 1 && ($7 > 1 || $8 != 0) { printf " %s", $1 }' "$log")
if [ -n "$failed" ]; then
    echo "parallel.sh: part(s)$failed of $N failed (see the messages above and $log); nothing merged" >&2
    exit 2
fi
set --
k=1
while [ "$k" -le "$N" ]; do
    set -- "$@" "$PARTS/part_$k"
    k=$((k + 1))
done
"$DYAD" merge -q "$@" -o "$OUT"
