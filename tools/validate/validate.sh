#!/bin/sh
# validate.sh DYAD VALIDATE [-q] [-o REPORT] [-w WORKDIR] [--errors DIR]
#
# make validate: measure dyad's default lexicons against expert codes and
# write docs/validation.md (see that file). DYAD is the dyad binary and
# VALIDATE the tools/validate program; both are built by make.
#
#   -q            print errors only (for CI); the exit status is non-zero
#                 only on a real error, never on a missed target
#   -o REPORT     where the report goes (default docs/validation.md)
#   -w WORKDIR    dyad's reports and the converted ESConv (default build/validate-run)
#   --errors DIR  also list the training half's disagreements, with their
#                 text, in DIR/*.tsv (for tuning the lexicons; never the
#                 held-out half; never commit them: the data may not be
#                 redistributed)
#
# The data is read from ../shared/data (DYAD_DATA overrides it); when it is
# absent the validation is skipped with a message and exit status 0.
set -u
usage() { echo "usage: sh tools/validate/validate.sh DYAD VALIDATE [-q] [-o REPORT] [-w WORKDIR] [--errors DIR]" >&2; exit 2; }
[ $# -ge 2 ] || usage
dyad=$1 validate=$2
shift 2
quiet=0 out=docs/validation.md work=build/validate-run errors=
while [ $# -gt 0 ]; do
    case $1 in
        -q) quiet=1 ;;
        -o) [ $# -ge 2 ] || usage; out=$2; shift ;;
        -w) [ $# -ge 2 ] || usage; work=$2; shift ;;
        --errors) [ $# -ge 2 ] || usage; errors=$2; shift ;;
        *) usage ;;
    esac
    shift
done

say() { [ $quiet -eq 1 ] || echo "make validate: $*"; }
die() { echo "make validate: error: $*" >&2; exit 1; }
[ -f tools/validate/notes.md ] || die "run me from the project root (make validate does)"

data=${DYAD_DATA:-../shared/data}
annomi=$data/annomi-dev/AnnoMI-full.csv
esconv_dir=$data/esconv

if [ ! -f "$annomi" ]; then
    echo "make validate: skipped: $annomi is absent (the expert-coded data lives outside the project, in ../shared/data; set DYAD_DATA to its folder); $out is left as it is"
    exit 0
fi
[ -x "$dyad" ] || die "$dyad is not an executable; run 'make dyad'"
[ -x "$validate" ] || die "$validate is not an executable; run 'make validate'"

rm -rf "$work/annomi" "$work/esconv" || die "cannot clear $work"
mkdir -p "$work" || die "cannot create $work"
[ -z "$errors" ] || mkdir -p "$errors" || die "cannot create $errors"

# dyad with the default lexicons, as a user runs it; exit status 1 would mean
# an input failed (warnings give 0)
say "dyad on $annomi"
"$dyad" -q --utterances --lexicon lexicons -o "$work/annomi" "$annomi" ||
    die "dyad failed on $annomi (see $work/annomi/errors.csv)"

es_files="$esconv_dir/hf_train.jsonl $esconv_dir/hf_valid.jsonl $esconv_dir/hf_test.jsonl"
es_args=
data_args="--data $annomi"
have_esconv=1
for f in $es_files; do [ -f "$f" ] || have_esconv=0; done
if [ $have_esconv -eq 1 ]; then
    say "ESConv converted to $work/esconv.csv"
    # shellcheck disable=SC2086
    "$validate" esconv "$work/esconv.csv" $es_files || die "cannot convert ESConv"
    say "dyad on $work/esconv.csv"
    "$dyad" -q --utterances --lexicon lexicons -o "$work/esconv" "$work/esconv.csv" ||
        die "dyad failed on $work/esconv.csv (see $work/esconv/errors.csv)"
    es_args="--esconv $work/esconv.csv --esconv-reports $work/esconv"
    for f in $es_files; do data_args="$data_args --data $f"; done
else
    say "ESConv is absent from $esconv_dir: the report leaves it out"
fi

# what produced the figures: the date, the commit and whether pipeline/ or
# lexicons/ differ from it (read-only git commands)
date=$(date -u +%Y-%m-%d)
commit=$(git rev-parse --short=12 HEAD 2>/dev/null) || commit=
if [ -z "$commit" ]; then
    commit="(not a git checkout)"
elif [ -n "$(git --no-optional-locks status --porcelain -- pipeline lexicons tools/validate 2>/dev/null)" ]; then
    commit="$commit, with uncommitted changes in pipeline/, lexicons/ or tools/validate/"
fi
split="AnnoMI: \`transcript_id\` even = training half (the lexicons were tuned on it only), odd = held-out half. ESConv: the dialogue index, counted from 0 over hf_train.jsonl, hf_valid.jsonl and hf_test.jsonl in that order (one dialogue a line), even = training half, odd = held-out half. Both rules depend on the session id alone, so the halves never change."

qflag=
[ $quiet -eq 1 ] && qflag=-q
eflag=
[ -n "$errors" ] && eflag="--errors $errors"
# shellcheck disable=SC2086
"$validate" report --annomi "$annomi" --annomi-reports "$work/annomi" $es_args $data_args \
    --date "$date" --commit "$commit" --split "$split" \
    --notes tools/validate/notes.md $eflag $qflag -o "$out" || die "the report could not be written"
