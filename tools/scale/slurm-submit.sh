#!/bin/sh
# slurm-submit.sh N CORPUS OUT [DYAD OPTIONS...]: the Slurm recipe of
# docs/scale.md in one command. Submits an array of N tasks
# (dyad-array.sbatch, parts in OUT.parts/) and the merge job after it
# (dyad-merge.sbatch, --dependency=afterok), and prints both job ids.
# sbatch options go in SBATCH_* variables (e.g. SBATCH_PARTITION=short);
# DYAD names the dyad binary (default: dyad on PATH).
set -u
[ $# -ge 3 ] || { echo "usage: sh tools/scale/slurm-submit.sh N CORPUS OUT [DYAD OPTIONS...]" >&2; exit 2; }
N=$1 CORPUS=$2 OUT=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
PARTS=${PARTS:-$OUT.parts}
mkdir -p "$PARTS" || exit 2
array=$(DYAD_PARTS=$N sbatch --parsable --array="1-$N" --output="$PARTS/task_%a.log" \
    "$here/dyad-array.sbatch" "$CORPUS" "$PARTS" "$@") || exit 2
array=${array%%;*}   # --parsable may add ";cluster"
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
    --output="$PARTS/merge.log" "$here/dyad-merge.sbatch" "$PARTS" "$OUT" "$N") || exit 2
merge=${merge%%;*}
echo "array job $array ($N parts), merge job $merge; reports in $OUT when job $merge completes"
