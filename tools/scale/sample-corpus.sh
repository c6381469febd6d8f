#!/bin/sh
# sample-corpus.sh DIR: a small mixed corpus from tests/fixtures for trying
# the scale recipes (docs/scale.md): plain text, CHAT, SRT, WebVTT, ELAN,
# TEI, TalkBank, TextGrid, CSV files with several sessions and meta_
# columns, and a few bad files (an empty one, broken quoting, broken XML),
# so that every report, errors.csv included, has rows.
set -eu
[ $# -eq 1 ] || { echo "usage: sh tools/scale/sample-corpus.sh DIR" >&2; exit 2; }
FIX=$(cd "$(dirname "$0")/../../tests/fixtures" && pwd)
OUT=$1
mkdir -p "$OUT/site"
cp "$FIX/e2e/handworked.txt" "$FIX/e2e/edges/backwards.txt" "$FIX/e2e/edges/cut_off.txt" \
   "$FIX/e2e/edges/one_speaker.txt" "$OUT/"
cp "$FIX/e2e/timed/session.csv" "$OUT/timed.csv"
cp "$FIX/csv/sessions.csv" "$FIX/csv/ids.csv" "$FIX/csv/messy.csv" "$FIX/csv/bad_quote.csv" "$OUT/"
cp "$FIX/chat/basic.cha" "$FIX/srt/basic.srt" "$OUT/"
cp "$FIX/eaf/session.eaf" "$FIX/eaf/malformed.eaf" "$FIX/textgrid/session_short.TextGrid" \
   "$FIX/vtt/zoom.vtt" "$OUT/site/"
cp "$FIX/tei/session.xml" "$OUT/site/tei.xml"
cp "$FIX/talkbank/basic.xml" "$OUT/site/talkbank.xml"
printf 'session,speaker,text,site,rating\nq1,therapist,How are you?,north,3\nq1,client,"Fine, thanks.",north,3\nq2,therapist,Hello again,south,4\nq2,client,Good.,south,4\n' \
    >"$OUT/sessions-2.csv"
: >"$OUT/empty.txt"
