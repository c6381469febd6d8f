#!/bin/sh
# Pathological inputs: huge, deep, hostile and broken files. Every input is
# generated here into $TMP (nothing big is kept in the repository). Each case
# is a folder holding the bad input(s) and one good transcript (the hand-worked
# session); the test checks the exact outcome for the bad file (exit status,
# counts, the message with file and line) and that the good file is still
# analysed with its known counts. Each dyad run has a generous time limit
# (timeout); the measured times are printed (see docs/robustness.md) but not
# asserted.
. "$E2E_DIR/lib.sh"
LEX="$FIX/e2e/test.lex"
GOOD="$FIX/e2e/handworked.txt"
LIMIT=${PATHOLOGICAL_TIMEOUT:-180}
IN=""
OUT=""

# new_case NAME: a fresh input folder $TMP/NAME with the good transcript in it
# (the previous case's files are removed first: some are large)
new_case() {
    [ -n "${IN:-}" ] && rm -rf "$IN" "$OUT" "$OUT.stderr"
    IN="$TMP/$1"
    OUT="$TMP/$1.out"
    rm -rf "$IN" "$OUT"
    mkdir -p "$IN"
    cp "$GOOD" "$IN/good.txt"
}

# run_case NAME STATUS ARGS...: dyad on $IN (after ARGS) within the time
# limit; its exit status must be STATUS and the good transcript's row right.
run_case() {
    name=$1 want=$2
    shift 2
    t0=$(date +%s.%N)
    timeout -k 10 "$LIMIT" "$DYAD" -q -j 2 -o "$OUT" "$@" "$IN" 2>"$OUT.stderr"
    rc=$?
    t1=$(date +%s.%N)
    [ $rc -eq 124 ] || [ $rc -eq 137 ] && fail "$name: no result within ${LIMIT}s"
    expect_eq "$name: exit status" "$want" "$rc"
    echo "$name: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
    expect_eq "$name: good.txt still analysed" "10 52 34 18" \
        "$(csv_cell "$OUT/sessions.csv" good utterances) $(csv_cell "$OUT/sessions.csv" good words) $(csv_cell "$OUT/sessions.csv" good therapist_words) $(csv_cell "$OUT/sessions.csv" good client_words)"
}

# utt_cells SESSION N COLUMN...: those cells of utterance N of SESSION in
# utterances.csv, space-separated (simple CSV: no quoted commas)
utt_cells() {
    awk -F, -v s="$1" -v n="$2" -v cols="$(shift 2; echo "$@")" '
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $1 == s && $2 == n { k = split(cols, want, " "); out = ""
            for (j = 1; j <= k; j++) out = out (j > 1 ? " " : "") $(c[want[j]])
            print out; exit }' "$OUT/utterances.csv"
}

# cells SESSION COLUMN...: those cells of SESSION's row in sessions.csv, space-separated
cells() {
    key=$1
    shift
    out=""
    for col in "$@"; do out="$out${out:+ }$(csv_cell "$OUT/sessions.csv" "$key" "$col")"; done
    echo "$out"
}

# ---- a 50 MB single utterance ----------------------------------------------
new_case huge
awk 'BEGIN {
    s = "word "; while (length(s) < 1310720) s = s s     # 1,310,720 bytes, 262,144 words
    printf "THERAPIST: "; for (i = 0; i < 40; i++) printf "%s", s   # 50 MiB, 10,485,760 words
    printf "\nCLIENT: okay then\n" }' >"$IN/huge.txt"
run_case huge 0 --lexicon "$LEX"
expect_eq "huge: counts" "2 10485762 2 10485760 2" \
    "$(cells huge utterances words turns therapist_words client_words)"

# ---- utterances of 3.5 MB of unclosed brackets ------------------------------------
# An unclosed [ or ( is ignored and the words after it counted; finding that
# out once scanned to the end of the text for every bracket (quadratic: this
# case ran for minutes before the fix in words.c).
new_case brackets
awk 'BEGIN { s = "[ word "; t = "( word "; while (length(s) < 2000000) { s = s s; t = t t }   # 2^19 each
    printf "THERAPIST: %s\nCLIENT: %s\n", s, t }' >"$IN/brackets.txt"
run_case brackets 0 --lexicon "$LEX"
expect_eq "brackets: counts" "2 1048576 524288 524288" \
    "$(cells brackets utterances words therapist_words client_words)"

# ---- a CSV with 400,000 metadata columns -------------------------------------------
# Every column whose value is constant within the session becomes a meta_
# column of sessions.csv. Finding each key took a linear search (quadratic:
# minutes for this file before the fix in writers/meta_table.c).
new_case wide
awk 'BEGIN { n = 400000
    printf "speaker,text"; for (i = 0; i < n; i++) printf ",c%d", i; printf "\n"
    for (r = 0; r < 2; r++) {
        printf "%s,hello there", (r ? "CLIENT" : "THERAPIST"); for (i = 0; i < n; i++) printf ",v%d", i; printf "\n"
    } }' >"$IN/wide.csv"
run_case wide 0 --lexicon "$LEX"
expect_eq "wide: meta columns" 400000 "$(head -1 "$OUT/sessions.csv" | tr ',' '\n' | grep -c '^meta_c')"
expect_eq "wide: last meta column, its cells (good.txt has none)" "meta_c399999 v399999 []" \
    "$(awk -F, 'NR == 1 { h = $NF } $1 == "wide" { w = $NF } $1 == "good" { g = $NF } END { print h, w, "[" g "]" }' "$OUT/sessions.csv")"

# ---- 400,000 subtitle cues by two speakers, in SRT and WebVTT -------------------------
# A lower-case "name:" is a speaker when it begins two or more lines; that
# was found out by counting every line it began (quadratic: minutes before
# the fix in readers/cues.c).
new_case cues
awk 'BEGIN { for (i = 0; i < 400000; i++) { t = 2 * i
    printf "%d\n%02d:%02d:%02d,000 --> %02d:%02d:%02d,500\n%s\n\n", i + 1, t / 3600, t / 60 % 60, t % 60,
        t / 3600, t / 60 % 60, t % 60, (i % 2 ? "pat: fine" : "coach: so how was it") } }' >"$IN/cues_srt.srt"
awk 'BEGIN { print "WEBVTT\n"; for (i = 0; i < 400000; i++) { t = 2 * i
    printf "%02d:%02d:%02d.000 --> %02d:%02d:%02d.500\n%s\n\n", t / 3600, t / 60 % 60, t % 60,
        t / 3600, t / 60 % 60, t % 60, (i % 2 ? "pat: fine" : "coach: so how was it") } }' >"$IN/cues_vtt.vtt"
run_case cues 0 --lexicon "$LEX"
for f in cues_srt cues_vtt; do   # coach and pat are no role words: "other"
    expect_eq "$f: counts" "2 400000 1000000 400000 1000000" "$(cells $f speakers utterances words turns other_words)"
done

# ---- 1,000,000 one-word utterances -------------------------------------------
new_case million
awk 'BEGIN { for (i = 0; i < 1000000; i++) print (i % 2 ? "CLIENT: fine" : "THERAPIST: hello") }' >"$IN/million.txt"
run_case million 0 --lexicon "$LEX"
expect_eq "million: counts" "1000000 1000000 1000000 500000 500000" \
    "$(cells million utterances words turns therapist_words client_words)"

# ---- 100,000 distinct speakers ------------------------------------------------
# Each label starts two lines, so each is a speaker (docs/formats/txt.md).
new_case speakers
awk 'BEGIN { for (r = 0; r < 2; r++) for (i = 0; i < 100000; i++) printf "S%d: word\n", i }' >"$IN/speakers.txt"
run_case speakers 0 --lexicon "$LEX"
expect_eq "speakers: counts" "100000 200000 200000" "$(cells speakers speakers utterances words)"
expect_eq "speakers: rows in speakers.csv" 100000 "$(grep -c '^speakers,' "$OUT/speakers.csv")"
expect_line "$OUT/speakers.csv" "$(grep '^speakers,S99999,' "$OUT/speakers.csv" | head -1)"
grep -q '^speakers,S99999,other,2,2,2,' "$OUT/speakers.csv" || fail "speakers: S99999's row: $(grep '^speakers,S99999,' "$OUT/speakers.csv")"
expect_eq "speakers: one role warning each" 100000 "$(grep -c "^$IN/speakers.txt,,warning,\"speaker 'S[0-9]*' has no role" "$OUT/errors.csv")"

# ---- 200,000 distinct speakers in CHAT, TEI, ELAN, TextGrid and TalkBank ----------------
# Each reader kept its own list of participants (or persons, or tier labels)
# and searched it linearly (quadratic: minutes for these files before the
# name index, util/strindex.c). Utterances come in reverse order of the list.
new_case speakers2
awk 'BEGIN { n = 200000
    printf "@UTF8\n@Begin\n@Participants:\t"; for (i = 0; i < n; i++) printf "%sP%d Client", (i ? ", " : ""), i
    printf "\n"; for (i = 0; i < n; i++) printf "*P%d:\thello .\n", n - 1 - i; print "@End" }' >"$IN/many_chat.cha"
awk 'BEGIN { n = 200000
    printf "<?xml version=\"1.0\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><profileDesc><particDesc><listPerson>\n"
    for (i = 0; i < n; i++) printf "<person xml:id=\"p%d\" role=\"client\"/>\n", i
    printf "</listPerson></particDesc></profileDesc></teiHeader><text><body>\n"
    for (i = 0; i < n; i++) printf "<u who=\"#p%d\">hello</u>\n", n - 1 - i
    print "</body></text></TEI>" }' >"$IN/many_tei.xml"
awk 'BEGIN { n = 200000
    printf "<?xml version=\"1.0\"?>\n<ANNOTATION_DOCUMENT><HEADER TIME_UNITS=\"milliseconds\"/><TIME_ORDER>"
    printf "<TIME_SLOT TIME_SLOT_ID=\"ts1\" TIME_VALUE=\"0\"/><TIME_SLOT TIME_SLOT_ID=\"ts2\" TIME_VALUE=\"1000\"/></TIME_ORDER>\n"
    for (i = 0; i < n; i++) printf "<TIER TIER_ID=\"T%d\" PARTICIPANT=\"P%d\"><ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID=\"a%d\" TIME_SLOT_REF1=\"ts1\" TIME_SLOT_REF2=\"ts2\"><ANNOTATION_VALUE>hello</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION></TIER>\n", i, i, i
    print "</ANNOTATION_DOCUMENT>" }' >"$IN/many_eaf.eaf"
awk 'BEGIN { n = 200000
    printf "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\nxmin = 0\nxmax = 1\ntiers? <exists>\nsize = %d\nitem []:\n", n
    for (i = 0; i < n; i++) printf "    item [%d]:\n        class = \"IntervalTier\"\n        name = \"S%d\"\n        xmin = 0\n        xmax = 1\n        intervals: size = 1\n        intervals [1]:\n            xmin = 0\n            xmax = 1\n            text = \"hello\"\n", i + 1, i }' >"$IN/many_textgrid.TextGrid"
awk 'BEGIN { n = 200000
    printf "<?xml version=\"1.0\"?>\n<CHAT xmlns=\"http://www.talkbank.org/ns/talkbank\"><Participants>\n"
    for (i = 0; i < n; i++) printf "<participant id=\"P%d\" role=\"Client\"/>\n", i
    printf "</Participants>\n"; for (i = 0; i < n; i++) printf "<u who=\"P%d\"><w>hello</w><t type=\"p\"/></u>\n", n - 1 - i
    print "</CHAT>" }' >"$IN/many_talkbank.xml"
run_case speakers2 0 --lexicon "$LEX"
for f in many_chat many_tei many_eaf many_textgrid many_talkbank; do
    expect_eq "$f: speakers, utterances" "200000 200000" "$(cells $f speakers utterances)"
done
# the TextGrid's tiers name no role: one warning each; the other formats give roles
expect_eq "speakers2: role warnings" 200000 "$(grep -c "^$IN/many_textgrid.TextGrid,,warning,\"speaker 'S[0-9]*' has no role" "$OUT/errors.csv")"
expect_eq "speakers2: messages in all" 200001 "$(tail -n +2 "$OUT/errors.csv" | wc -l)"

# ---- 10,000 levels of nested XML: a clear error, no crash ------------------------
# (an empty folder beside them: walking it once passed NULL to qsort, which
# UBSan reports in the sanitizer run)
new_case deep
mkdir "$IN/empty"
deep_xml() {   # deep_xml HEAD ELEMENT TAIL
    awk -v head="$1" -v el="$2" -v tail="$3" 'BEGIN {
        printf "<?xml version=\"1.0\"?>\n%s\n", head
        for (i = 0; i < 10000; i++) printf "<%s>", el
        printf "\n"
        for (i = 0; i < 10000; i++) printf "</%s>", el
        printf "%s\n", tail }'
}
deep_xml '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>' div '</body></text></TEI>' >"$IN/deep_tei.xml"
deep_xml '<ANNOTATION_DOCUMENT><TIER TIER_ID="T">' a '</TIER></ANNOTATION_DOCUMENT>' >"$IN/deep.eaf"
deep_xml '<CHAT xmlns="http://www.talkbank.org/ns/talkbank"><u who="T">' g '</u></CHAT>' >"$IN/deep_talkbank.xml"
run_case deep 1 --lexicon "$LEX"
expect_line "$OUT/errors.csv" "$IN/deep_tei.xml,3,error,XML nested too deeply (over 256 levels) at line 3"
expect_line "$OUT/errors.csv" "$IN/deep.eaf,3,error,XML nested too deeply (over 256 levels) at line 3"
expect_line "$OUT/errors.csv" "$IN/deep_talkbank.xml,3,error,elements nest deeper than 256 levels; not a TalkBank transcript"
expect_eq "deep: run.csv" "files_failed,3 sessions,1" \
    "$(grep '^files_failed,' "$OUT/run.csv") $(grep '^sessions,' "$OUT/run.csv")"

# ---- entity bombs and external entities: refused, nothing read ------------------
new_case entities
bomb_dtd() {   # a0 = "dyad", a(i) = ten a(i-1): a9 would be 4 GB of text
    printf '<!DOCTYPE %s [\n  <!ENTITY a0 "dyad">\n' "$1"
    for i in 1 2 3 4 5 6 7 8 9; do
        p=$((i - 1))
        printf '  <!ENTITY a%d "&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;">\n' $i $p $p $p $p $p $p $p $p $p $p
    done
    printf ']>\n'
}
xxe_dtd() { printf '<!DOCTYPE %s [\n  <!ENTITY a9 SYSTEM "file:///etc/passwd">\n]>\n' "$1"; }
tei_doc() {
    printf '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n'
    printf '<u who="#T">before &a9; after</u>\n<u who="#C">fine thanks</u>\n</body></text></TEI>\n'
}
eaf_doc() {
    printf '<ANNOTATION_DOCUMENT>\n<HEADER TIME_UNITS="milliseconds"/>\n'
    printf '<TIME_ORDER><TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="0"/><TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="1000"/></TIME_ORDER>\n'
    printf '<TIER TIER_ID="Therapist"><ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">'
    printf '<ANNOTATION_VALUE>before &a9; after</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION></TIER>\n</ANNOTATION_DOCUMENT>\n'
}
talkbank_doc() {
    printf '<CHAT xmlns="http://www.talkbank.org/ns/talkbank">\n<Participants><participant id="THE" role="Therapist"/></Participants>\n'
    printf '<u who="THE"><w>before</w><w>&a9;</w><w>after</w><t type="p"/></u>\n</CHAT>\n'
}
for kind in bomb xxe; do
    { echo '<?xml version="1.0"?>'; ${kind}_dtd TEI; tei_doc; } >"$IN/${kind}_tei.xml"
    { echo '<?xml version="1.0"?>'; ${kind}_dtd ANNOTATION_DOCUMENT; eaf_doc; } >"$IN/${kind}.eaf"
    { echo '<?xml version="1.0"?>'; ${kind}_dtd CHAT; talkbank_doc; } >"$IN/${kind}_talkbank.xml"
done
# an external DTD: never loaded
{ echo '<?xml version="1.0"?>'; echo '<!DOCTYPE TEI SYSTEM "file:///etc/passwd">'; tei_doc | sed 's/&a9;/\&amp;/'; } >"$IN/dtd_tei.xml"
run_case entities 1 --lexicon "$LEX" --utterances --include-text
E="$OUT/errors.csv"
grep -qx "$IN/bomb_tei.xml,15,error,XML entity expansion refused (libxml2: [^)]*): the document defines entities that expand into each other (a 'billion laughs' file); remove the <!ENTITY> declarations" "$E" ||
    fail "bomb_tei: $(cat "$E")"
grep -qx "$IN/bomb.eaf,17,error,XML entity expansion refused (libxml2: [^)]*): the document defines entities that expand into each other (a 'billion laughs' file); remove the <!ENTITY> declarations" "$E" ||
    fail "bomb.eaf: $(cat "$E")"
grep -qx "$IN/bomb_talkbank.xml,16,error,entities expand too much or refer to themselves (libxml2: [^)]*); remove the <!ENTITY> declarations" "$E" ||
    fail "bomb_talkbank: $(cat "$E")"
expect_line "$E" "$IN/xxe_tei.xml,6,warning,entity reference &a9; left out: dyad never expands entities defined in the document; write the text itself instead"
expect_line "$E" "$IN/xxe.eaf,8,warning,entity reference &a9; left out: dyad never expands entities defined in the document; write the text itself instead"
expect_line "$E" "$IN/xxe_talkbank.xml,7,warning,entity reference &a9; left out: dyad never expands XML entities (write the text itself)"
expect_eq "xxe_tei utterance 1" "6 T 2 before after" "$(utt_cells xxe_tei 1 line speaker words text)"
expect_eq "xxe.eaf utterance 1" "8 Therapist 0.000 1.000 2 before after" "$(utt_cells xxe 1 line speaker start end words text)"
expect_eq "xxe_talkbank utterance 1" "7 THE 2 before after." "$(utt_cells xxe_talkbank 1 line speaker words text)"
expect_eq "dtd_tei utterance 1" "4 T 2 before & after" "$(utt_cells dtd_tei 1 line speaker words text)"
grep -l 'root:' "$OUT"/*.csv "$OUT.stderr" && fail "entities: /etc/passwd was read into a report"
expect_eq "entities: run.csv" "files_failed,3 sessions,5" \
    "$(grep '^files_failed,' "$OUT/run.csv") $(grep '^sessions,' "$OUT/run.csv")"

# ---- a lexicon of 100,000 rules -------------------------------------------------
# 100 categories of 1,000 rules; rule n (0-99999) is in category n/1000 and,
# by n % 10: 0-4 the word wN; 5-6 the phrase "wN next"; 7 the prefix preN*;
# 8 the anchored ^startN; 9 the regex /\breN x+\b/ when n % 100 == 99, else
# the exception "! w(n-9) no".
new_case rules
awk 'BEGIN {
    for (c = 0; c < 100; c++) {
        printf "[cat%d] generated category %d\n", c, c
        for (i = 0; i < 1000; i++) {
            n = c * 1000 + i; k = n % 10
            if (k < 5) printf "w%d\n", n
            else if (k < 7) printf "w%d next\n", n
            else if (k == 7) printf "pre%d*\n", n
            else if (k == 8) printf "^start%d\n", n
            else if (n % 100 == 99) printf "/\\bre%d x+\\b/\n", n
            else printf "! w%d no\n", n - 9
        }
    } }' >"$TMP/rules.lex"
# cat0: the therapist's w0 w1 w2 (3), pre7abc (1) and re99 xx (1), but not
# start8 (not at a sentence start); the client's "w5 next" (1) and Start8 at a
# sentence start (1), but not w7 (a prefix rule only) nor "w0 no" (excepted);
# cat1: the client's w1000 (1). 8 matches.
printf '%s\n' "THERAPIST: w0 w1 w2" "CLIENT: w5 next w7 w1000" "THERAPIST: pre7abc start8 re99 xx" \
    "CLIENT: Start8. w0 no" >"$IN/rules.txt"
run_case rules 0 --lexicon "$TMP/rules.lex"
expect_eq "rules: matches" 8 "$(grep -c '^rules,' "$OUT/matches.csv")"
expect_eq "rules: cat0 and cat1 counts" "5 2 1 0" \
    "$(cells rules therapist_cat0 client_cat0 client_cat1 therapist_cat1)"

# ---- a regex built to backtrack catastrophically ---------------------------------
# (a+)+b over forty a's: 2^40 ways to fail. The b after them is there so that
# PCRE2's required-character check does not end the search at once.
new_case backtrack
printf '[evil] catastrophic backtracking\n/(a+)+b/\n[plain] a phrase\nhello\n' >"$TMP/evil.lex"
printf 'THERAPIST: hello\nCLIENT: %s b\nTHERAPIST: hello again\n' \
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa >"$IN/backtrack.txt"
run_case backtrack 0 --lexicon "$TMP/evil.lex"
expect_line "$OUT/errors.csv" "$IN/backtrack.txt,2,warning,rule evil.lex:2: regex gave up (match limit) on this utterance; the rule is skipped here"
expect_eq "backtrack: counts" "3 5 2" "$(cells backtrack utterances words therapist_plain)"

# ---- invalid UTF-8 of every kind, and NUL bytes -----------------------------------
# Each invalid byte becomes one U+FFFD: overlong C0 AF (2) and E0 80 AF (3);
# a surrogate ED A0 80 (3); a truncated E2 82 (2); lone continuation bytes
# 80 and BF (2); F4 90 80 80 beyond U+10FFFF (4) and FF (1); a truncated
# F0 9F 98 at the end of the file (3).
new_case utf8
printf 'THERAPIST: caf\303\251 ok\nCLIENT: over \300\257 long \340\200\257\nTHERAPIST: surrogate \355\240\200 here\nCLIENT: truncated \342\202 end\nTHERAPIST: lone \200 and \277\nCLIENT: beyond \364\220\200\200 and \377\nTHERAPIST: cut \360\237\230' >"$IN/utf8.txt"
tr '\n' '\r' <"$IN/utf8.txt" >"$IN/utf8_cr.txt"
printf 'THERAPIST: hi\nCLIENT: a\000b\n' >"$IN/nul.txt"
run_case utf8 1 --lexicon "$LEX" --utterances --include-text
for f in utf8 utf8_cr; do
    for lc in 2:5 3:3 4:2 5:2 6:5 7:3; do
        expect_line "$OUT/errors.csv" "$IN/$f.txt,${lc%%:*},warning,invalid UTF-8 (${lc#*:} byte sequences) replaced by U+FFFD; save the file as UTF-8"
    done
    expect_eq "$f: warnings" 6 "$(grep -c "^$IN/$f.txt," "$OUT/errors.csv")"
    fffd=$(printf '\357\277\275')
    expect_eq "$f: U+FFFD in the text" 20 "$(grep "^$f," "$OUT/utterances.csv" | grep -o "$fffd" | wc -l)"
    expect_eq "$f: counts" "7 13" "$(cells $f utterances words)"
done
expect_line "$OUT/errors.csv" "$IN/nul.txt,2,error,binary file (NUL byte); not a transcript: convert it to UTF-8 text"

# ---- UTF-16 with and without a BOM, CRLF, CR-only and mixed line ends --------------
new_case encodings
iconv -f UTF-8 -t UTF-16LE "$GOOD" >"$IN/le_nobom.txt"
iconv -f UTF-8 -t UTF-16BE "$GOOD" >"$IN/be_nobom.txt"
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$GOOD"; } >"$IN/le_bom.txt"
{ printf '\376\377'; iconv -f UTF-8 -t UTF-16BE "$GOOD"; } >"$IN/be_bom.txt"
sed 's/$/\r/' "$GOOD" >"$IN/crlf.txt"
tr '\n' '\r' <"$GOOD" >"$IN/cr.txt"
awk '{ printf "%s%s", $0, (NR % 3 == 0 ? "\r\n" : NR % 3 == 1 ? "\r" : "\n") }' "$GOOD" >"$IN/mixed.txt"
run_case encodings 0 --lexicon "$LEX"
for f in le_nobom be_nobom le_bom be_bom crlf cr mixed; do
    expect_eq "$f: same counts as LF" "10 52 5 34 18" "$(cells $f utterances words turns therapist_words client_words)"
    expect_line "$OUT/errors.csv" "$IN/$f.txt,1,warning,text before the first speaker label ignored (1 line)"
done

# ---- a CSV with an unbalanced quote -------------------------------------------------
new_case quotes
printf 'speaker,text\nT,hello\nC,"unclosed, and\nT,more\n' >"$IN/quotes.csv"
run_case quotes 1 --lexicon "$LEX"
expect_line "$OUT.stderr" "$IN/quotes.csv:3: error: unterminated quoted field starting at line 3: the file ends inside it; close the field with '\"' and write '\"' inside it as '\"\"'"
expect_eq "quotes: no session" "" "$(csv_cell "$OUT/sessions.csv" quotes words)"

# ---- negative, absurd and out-of-order times ------------------------------------------
new_case times
printf 'speaker,text,start,end\nT,hello there,-5,2\nC,fine,99999999,99999999.5\nT,back in time,3,4\nC,ends before it starts,10,8\n' >"$IN/times.csv"
printf 'speaker,text,start,end\nT,first,5,6\nC,second,1,2\nT,third,7,8\n' >"$IN/order.csv"
printf 'WEBVTT\n\n00:00:05.000 --> 00:00:06.000\n<v T>hello\n\n00:00:01.000 --> 00:00:02.000\n<v C>earlier\n\n27777:46:39.000 --> 27777:46:40.000\n<v T>absurd\n\n-00:00:01.000 --> 00:00:02.000\n<v C>negative\n' >"$IN/times_vtt.vtt"
printf '1\n00:00:05,000 --> 00:00:06,000\nT: hello\n\n2\n00:00:01,000 --> 00:00:02,000\nC: earlier\n\n3\n27777:46:39,000 --> 27777:46:40,000\nT: absurd\n' >"$IN/times_srt.srt"
run_case times 0 --lexicon "$LEX"
E="$OUT/errors.csv"
expect_line "$E" "$IN/times.csv,2,warning,negative time '-5' in column 'start'; the time is treated as unknown"
expect_line "$E" "$IN/times.csv,3,warning,\"time '99999999' in column 'start' is over 1,000,000 seconds; the time is treated as unknown\""
expect_line "$E" "$IN/times.csv,3,warning,\"time '99999999.5' in column 'end' is over 1,000,000 seconds; the time is treated as unknown\""
expect_line "$E" "$IN/times.csv,5,warning,end time 00:00:08 is before the start time 00:00:10; the end is treated as unknown"
expect_line "$E" "$IN/order.csv,3,warning,time goes backwards (00:00:01 after 00:00:05); utterances sorted by start time"
expect_line "$E" "$IN/times_vtt.vtt,7,warning,\"time goes backwards (00:00:01 after 00:00:05); utterances kept in file order, as some have no time\""
expect_eq "one warning per step back" 1 "$(grep -c "times_vtt.vtt,.*goes backwards" "$E")"
expect_line "$E" "$IN/times_vtt.vtt,9,warning,\"time 27777:46:39 is more than 1,000,000 seconds; treated as unknown (check the timing line)\""
expect_line "$E" "$IN/times_vtt.vtt,12,warning,malformed cue timing line; expected '00:01:02.500 --> 00:01:04.000' (hours optional); cue skipped"
expect_eq "times.csv utterances" 4 "$(csv_cell "$OUT/sessions.csv" times utterances)"
expect_eq "order.csv utterances" 3 "$(csv_cell "$OUT/sessions.csv" order utterances)"
expect_eq "times_vtt utterances" 3 "$(csv_cell "$OUT/sessions.csv" times_vtt utterances)"
grep -q "^$IN/times_srt.srt," "$E" || fail "times_srt: no warning: $(cat "$E")"
exit 0
