#!/bin/sh
# On real transcripts (AnnoMI, and the CHAT, ELAN and TEI samples in
# ../shared/data): every report but matches.csv is the same with and
# without --no-matches, on one thread and on two. Without matches.csv the
# matches are only counted, taken in the order they are found
# (match_scratch_any_order), which must change no count. Skipped when
# ../shared/data is absent (it is never copied into the project).
. "$E2E_DIR/lib.sh"
DATA=${DYAD_DATA:-"$ROOT/../shared/data"}
for d in "$DATA/annomi-dev" "$DATA/formats"; do
    [ -d "$d" ] || { echo "SKIPPED: ../shared/data absent ($d)"; exit 77; }
done
for opts in "-j 1" "-j 1 --no-matches" "-j 2 --no-matches"; do
    out="$TMP/$(printf '%s' "$opts" | tr -d ' -')"
    # shellcheck disable=SC2086 # $opts is two or three words
    "$DYAD" -q --utterances $opts -o "$out" "$DATA/annomi-dev/AnnoMI-simple.csv" "$DATA/formats" \
        >/dev/null 2>&1
    echo $? >"$out/status"
done
for f in "$TMP/j1"/*; do
    name=$(basename "$f")
    case "$name" in matches.csv | run.csv) continue ;; esac
    for other in j1nomatches j2nomatches; do
        cmp -s "$f" "$TMP/$other/$name" || fail "$name differs between -j 1 and $other"
    done
done
# (status 1 in each: the formats folder also holds licence texts and a
# WebVTT file without cues, reported in errors.csv, compared above)
expect_eq "exit status" 1 "$(cat "$TMP/j1/status")"
# the runs compared something: AnnoMI alone has 7,145 utterances
[ "$(wc -l <"$TMP/j1/utterances.csv")" -gt 7145 ] || fail "fewer utterances than AnnoMI has"
[ "$(wc -l <"$TMP/j1/matches.csv")" -gt 50000 ] || fail "fewer matches than expected"
exit 0
