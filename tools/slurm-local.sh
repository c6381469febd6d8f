#!/bin/sh
# slurm-local.sh: the Slurm recipe of docs/scale.md, end to end on this one
# machine. It installs Debian's slurm-wlm and munge (tools/deps.sh), writes a
# one-node slurm.conf under $WORK (the system's /etc/slurm is not touched),
# starts munged, slurmctld and slurmd, submits tools/scale/dyad-array.sbatch
# as a job array over a sample corpus and tools/scale/dyad-merge.sbatch after
# it (--dependency=afterok), waits, checks that the merged reports equal a
# single run's (cmp; run.csv aside), and stops the daemons it started (by
# their process ids). Needs root; not part of make check.
#   sh tools/slurm-local.sh [PARTS]       (default 3; after make dyad)
#   WORK=/tmp/dyad-slurm  where the configuration, state, logs and reports go
# Exit status: 0 passed, 1 the reports differ or a job failed, 2 the cluster
# could not be set up.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PARTS=${1:-3}
WORK=${WORK:-/tmp/dyad-slurm}
DYAD=${DYAD:-$ROOT/dyad}
HOST=$(hostname -s)
LEX="$ROOT/tests/fixtures/e2e/test.lex"

say() { echo "slurm-local: $*"; }
die() { echo "slurm-local: $1" >&2; exit "${2:-2}"; }

[ "$(id -u)" = 0 ] || die "run as root: it installs packages and starts the Slurm and munge daemons"
[ -x "$DYAD" ] || die "no $DYAD; build it first with make dyad"
sh "$ROOT/tools/deps.sh" slurm-wlm munge || die "could not install slurm-wlm and munge"
[ -r /etc/munge/munge.key ] || die "no /etc/munge/munge.key; create one with: mungekey --create"

rm -rf "$WORK"
mkdir -p "$WORK/munge" "$WORK/ctld" "$WORK/spool" "$WORK/log" || die "cannot create $WORK"
chmod 700 "$WORK/munge"
CONF="$WORK/slurm.conf"
cat >"$CONF" <<EOF
# A one-node cluster for trying dyad's Slurm recipe (tools/slurm-local.sh).
ClusterName=dyadlocal
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$WORK/munge/munge.socket
StateSaveLocation=$WORK/ctld
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
NodeName=$HOST CPUs=2 State=UNKNOWN
PartitionName=local Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$CONF"

# Stop what this script started, by the process ids in the pid files.
stop_daemons() {
    for pidfile in "$WORK/slurmd.pid" "$WORK/slurmctld.pid" "$WORK/munge/munged.pid"; do
        [ -s "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null || continue
        n=0
        while kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.2; n=$((n + 1)); done
    done
}
trap stop_daemons EXIT
trap 'exit 2' INT TERM

# munged on a socket of its own, so that it cannot disturb another munged
munged --force --socket="$WORK/munge/munge.socket" --pid-file="$WORK/munge/munged.pid" \
    --log-file="$WORK/log/munged.log" --seed-file="$WORK/munge/munged.seed" ||
    die "munged did not start (see $WORK/log/munged.log)"
slurmctld -f "$CONF" || die "slurmctld did not start (see $WORK/log/slurmctld.log)"
slurmd -f "$CONF" || die "slurmd did not start (see $WORK/log/slurmd.log)"

# wait for the node to be ready
n=0
until [ "$(sinfo -h -n "$HOST" -o %t 2>/dev/null)" = idle ]; do
    n=$((n + 1))
    [ $n -le 60 ] || die "node $HOST is not idle after 60 s: $(sinfo -h -N 2>&1); see $WORK/log/"
    sleep 1
done
say "$(sinfo --version), node $HOST idle: $(sinfo -h -N -o '%N %c CPUs, partition %P')"

# the sample corpus, and a single run to compare with
sh "$ROOT/tools/scale/sample-corpus.sh" "$WORK/corpus" || die "cannot make the sample corpus"
"$DYAD" -q -o "$WORK/single" --lexicon "$LEX" "$WORK/corpus" 2>/dev/null
[ $? -le 1 ] || die "the single run failed" 1

# the recipe: an array of PARTS tasks, then the merge job after it
cd "$WORK" || exit 2
export DYAD
out=$(sh "$ROOT/tools/scale/slurm-submit.sh" "$PARTS" "$WORK/corpus" "$WORK/merged" --lexicon "$LEX") ||
    die "sbatch failed: $out"
say "$out"
array=$(echo "$out" | sed -n 's/^array job \([0-9]*\) .*/\1/p')
merge=$(echo "$out" | sed -n 's/.*merge job \([0-9]*\);.*/\1/p')

n=0
while [ -n "$(squeue -h -j "$array,$merge" 2>/dev/null)" ]; do
    n=$((n + 1))
    [ $n -le 300 ] || die "the jobs did not finish in 300 s: $(squeue)" 1
    sleep 1
done
for k in $(seq 1 "$PARTS"); do
    job=$(scontrol -o show job "${array}_$k")
    say "task ${array}_$k: $(echo "$job" | grep -o 'JobState=[A-Z]*'), $(echo "$job" | grep -o 'ExitCode=[0-9:]*'), $(grep -c '' "$WORK/merged.parts/part_$k/sessions.csv" | awk '{ print $1 - 1 }') sessions in merged.parts/part_$k"
done
state=$(scontrol -o show job "$merge" | grep -o 'JobState=[A-Z]*')
say "merge job $merge: $state"
[ "$state" = JobState=COMPLETED ] || { cat "$WORK/merged.parts/merge.log" >&2; die "the merge job did not complete" 1; }
sed 's/^/slurm-local: merge job output: /' "$WORK/merged.parts/merge.log"

say "merged run.csv: $(awk -F, 'NR > 1 && $1 !~ /^(command|lexicon|lexicon_sha256|started)$/ { printf "%s%s=%s", sep, $1, $2; sep = ", " }' "$WORK/merged/run.csv")"
status=0
for r in sessions speakers matches segments windows errors; do
    if cmp "$WORK/single/$r.csv" "$WORK/merged/$r.csv"; then
        say "$r.csv: identical to a single run ($(wc -c <"$WORK/merged/$r.csv") bytes)"
    else
        say "$r.csv: DIFFERS from a single run"
        status=1
    fi
done
[ $status -eq 0 ] && say "passed: $PARTS array tasks and the merge job give a single run's reports" ||
    say "FAILED"
exit $status
