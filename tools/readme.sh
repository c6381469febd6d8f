#!/bin/sh
# tools/readme.sh: assemble README.md from its parts under docs/ (make readme).
#
# README.md is generated: edit the parts, then run `make readme`. The order
# below is the README's order; each part's trailing blank lines are dropped
# and the parts are joined by one blank line.
set -eu
cd "$(dirname "$0")/.."
parts="docs/readme/10-intro.md docs/readme/20-formats-intro.md"
for f in txt csv chat talkbank vtt srt eaf textgrid tei; do parts="$parts docs/formats/$f.md"; done
parts="$parts docs/readme/30-lexicons-intro.md docs/lexicon-format.md docs/dic.md"
parts="$parts docs/readme/40-codebook.md docs/robustness.md docs/readme/60-speed.md"
parts="$parts docs/readme/90-layout.md"
out=README.md.tmp
: > "$out"
first=1
for p in $parts; do
    [ -f "$p" ] || { echo "tools/readme.sh: $p is missing" >&2; rm -f "$out"; exit 1; }
    [ $first = 1 ] || printf '\n' >> "$out"
    first=0
    # the part without its trailing blank lines, then one newline
    awk '{ lines[NR] = $0 } /[^ \t]/ { last = NR } END { for (i = 1; i <= last; i++) print lines[i] }' "$p" >> "$out"
done
mv "$out" README.md
