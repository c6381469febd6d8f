#!/bin/sh
# tools/validate (make validate): the agreement arithmetic (precision,
# recall, F1, Cohen's kappa, ROC AUC) on fixtures worked out by hand; the
# ESConv conversion; the join of dyad's utterances.csv with expert codes by
# line (a multi-line field, a second annotator, a row without words) and the
# report's tables; every error message; the skip without ../shared.
. "$E2E_DIR/lib.sh"

# The tool is built by make next to the dyad under test (build/, or
# build-asan/ under 'make asan', whose flags make passes down). Run outside
# make with a sanitizer build, that link fails: then the tool is compiled
# here, plain, from its sources and the four utility files it uses.
case $DYAD in
    "$ROOT"/build*/*) bdir=${DYAD#"$ROOT"/}; bdir=${bdir%%/*} ;;
    *) bdir=build ;;
esac
V="$ROOT/$bdir/validate"
if ! make --no-print-directory -s -C "$ROOT" BUILD="$bdir" "$bdir/validate" >"$TMP/make.log" 2>&1; then
    V="$TMP/validate"
    u="$ROOT/pipeline/util"
    ${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$ROOT/pipeline" \
        -I"$ROOT/tools/validate" -o "$V" "$ROOT"/tools/validate/*.c "$u/xalloc.c" "$u/buf.c" \
        "$u/utf8.c" "$u/sha256.c" -lm >>"$TMP/make.log" 2>&1 ||
        fail "cannot build the validate tool: $(cat "$TMP/make.log")"
fi


# --- precision, recall, F1, kappa ---------------------------------------
# 3 tp, 1 fp, 2 fn, 4 tn (n = 10): precision 3/4, recall 3/5, F1 6/9;
# kappa: observed 7/10, expected .5 x .4 + .5 x .6 = .5, (.7 - .5) / .5 = .4
printf '# expert dyad\n1 1\n1 1\n1 1\n0 1\n1 0\n\n1 0\n0 0\n0 0\n0 0\n0 0\n' >"$TMP/pairs"
expect_eq "metrics" "tp=3 fp=1 fn=2 tn=4 precision=0.750 recall=0.600 f1=0.667 kappa=0.400" \
    "$("$V" metrics "$TMP/pairs")"
# nothing positive on either side: every figure is undefined (expected agreement 1)
printf '0 0\n0 0\n0 0\n' >"$TMP/none"
expect_eq "metrics, no positives" "tp=0 fp=0 fn=0 tn=3 precision=– recall=– f1=– kappa=–" \
    "$("$V" metrics "$TMP/none")"
# perfect agreement on 1 of 3: kappa 1 (expected (1/3)^2 + (2/3)^2 = 5/9)
printf '1 1\n0 0\n0 0\n' >"$TMP/perfect"
expect_eq "metrics, perfect" "tp=1 fp=0 fn=0 tn=2 precision=1.000 recall=1.000 f1=1.000 kappa=1.000" \
    "$("$V" metrics "$TMP/perfect")"

# --- ROC AUC ------------------------------------------------------------
# group 1 scores 3 5 7, group 0 scores 2 5: of 6 pairs group 1 wins 3>2,
# 5>2, 7>2, 7>5, ties 5=5, loses 3<5: (4 + 0.5) / 6 = 0.75
printf '1 3\n1 5\n1 7\n0 2\n0 5\n' >"$TMP/auc"
expect_eq "auc" "auc=0.750 folded=0.750 direction=higher positives=3 negatives=2" "$("$V" auc "$TMP/auc")"
# group 1 always lower: AUC 0, folded 1, direction lower
printf '1 1\n1 2\n0 3\n0 4\n' >"$TMP/auc_low"
expect_eq "auc, lower" "auc=0.000 folded=1.000 direction=lower positives=2 negatives=2" \
    "$("$V" auc "$TMP/auc_low")"
printf '1 1\n0 1\n' >"$TMP/auc_tie"
expect_eq "auc, tie" "auc=0.500 folded=0.500 direction=none positives=1 negatives=1" \
    "$("$V" auc "$TMP/auc_tie")"
printf '1 1\n1 2\n' >"$TMP/auc_one"
expect_eq "auc, one group" "auc=– folded=– direction=none positives=2 negatives=0" \
    "$("$V" auc "$TMP/auc_one")"

# --- ESConv conversion ----------------------------------------------------
# dialogue 0 (training half), dialogue 1 (held-out); escapes decoded, a
# line break becomes a space, quotes doubled, other keys skipped
cat >"$TMP/part_a.jsonl" <<'JSON'
{"emotion_type": "sadness", "survey_score": {"seeker": {"empathy": "5"}}, "dialog": [{"text": "I feel sad.", "speaker": "usr"}, {"text": "Why do you feel sad?", "speaker": "sys", "strategy": "Question"}, {"text": "You should go for a walk.", "speaker": "sys", "strategy": "Providing Suggestions"}, {"text": "She said \"no\"\nthen left caf\u00e9 \ud83d\ude00", "speaker": "usr"}], "n": [1, 2.5e3, true, null]}
JSON
printf '%s\n' '{"dialog": [{"speaker": "usr", "text": "Hi"}, {"speaker": "sys", "text": "So you feel alone.", "strategy": "Reflection of feelings"}]}' >"$TMP/part_b.jsonl"
"$V" esconv "$TMP/es.csv" "$TMP/part_a.jsonl" "$TMP/part_b.jsonl" || fail "esconv: exit status $?"
expect_eq "esconv csv" 'session_id,speaker,role,text,strategy,part
0,seeker,client,"I feel sad.","","part_a"
0,supporter,therapist,"Why do you feel sad?","Question","part_a"
0,supporter,therapist,"You should go for a walk.","Providing Suggestions","part_a"
0,seeker,client,"She said ""no"" then left café 😀","","part_a"
1,seeker,client,"Hi","","part_b"
1,supporter,therapist,"So you feel alone.","Reflection of feelings","part_b"' "$(cat "$TMP/es.csv")"

# --- the join and the report ------------------------------------------------
cat >"$TMP/test.lex" <<'LEX'
[open_question]
^what
[closed_question]
^do you
[reflection]
^so you
[directive]
you should
[collaborative]
together
[autonomy]
your choice
[affirm]
well done
[change_talk]
i want
i will
[sustain_talk]
i can't
LEX
# An AnnoMI-full-like file. Session 2 (even: training half), annotator 4:
#  line 2  T What brings you here?   question open        dyad: ? open
#  line 3  C I want to quit.         change                dyad: change_talk
#  line 4  T You should stop now.    advice                dyad: directive
#  line 5  C [laughs]                neutral               dyad: no words, no row
#  line 6-7 T So you want... / You should think.  complex reflection
#                                                          dyad: reflection, directive
#  line 8  C I can't.                sustain               dyad: sustain_talk
#  line 9  T (annotator 7: a second annotator of session 2, not read)
# Session 3 (odd: held-out half), annotator 1:
#  line 10 T Do you drink?           question closed       dyad: ? closed
#  line 11 C Yes.                    neutral
#  line 12 T You want to quit?       question closed       dyad: ?, neither category
#  line 13 C I will stop.            change                dyad: change_talk
#  line 14 T Tell me more-           question open         dyad: no `?`, no category
#  line 15 T -and cut down.          advice (a fragment)   dyad: no directive
H='mi_quality,transcript_id,utterance_id,interlocutor,timestamp,utterance_text,annotator_id,therapist_input_exists,therapist_input_subtype,reflection_exists,reflection_subtype,question_exists,question_subtype,main_therapist_behaviour,client_talk_type'
cat >"$TMP/annomi.csv" <<CSV
$H
high,2,0,therapist,00:00:01,What brings you here?,4,False,n/a,False,n/a,True,open,question,n/a
high,2,1,client,00:00:02,I want to quit.,4,n/a,n/a,n/a,n/a,n/a,n/a,n/a,change
high,2,2,therapist,00:00:03,"You should stop now.",4,True,advice,False,n/a,False,n/a,therapist_input,n/a
high,2,3,client,00:00:04,[laughs],4,n/a,n/a,n/a,n/a,n/a,n/a,n/a,neutral
high,2,4,therapist,00:00:05,"So you want to quit.
You should think.",4,False,n/a,True,complex,False,n/a,reflection,n/a
high,2,5,client,00:00:06,I can't.,4,n/a,n/a,n/a,n/a,n/a,n/a,n/a,sustain
high,2,0,therapist,00:00:01,Is it hard?,7,False,n/a,False,n/a,True,closed,question,n/a
low,3,0,therapist,00:00:01,Do you drink?,1,False,n/a,False,n/a,True,closed,question,n/a
low,3,1,client,00:00:02,Yes.,1,n/a,n/a,n/a,n/a,n/a,n/a,n/a,neutral
low,3,2,therapist,00:00:03,You want to quit?,1,False,n/a,False,n/a,True,closed,question,n/a
low,3,3,client,00:00:04,I will stop.,1,n/a,n/a,n/a,n/a,n/a,n/a,n/a,change
low,3,4,therapist,00:00:05,Tell me more-,1,False,n/a,False,n/a,True,open,question,n/a
low,3,5,therapist,00:00:06,-and cut down.,1,True,advice,False,n/a,False,n/a,therapist_input,n/a
CSV
"$DYAD" -q --utterances --lexicon "$TMP/test.lex" -o "$TMP/an" "$TMP/annomi.csv" 2>/dev/null
expect_eq "dyad on the AnnoMI fixture" 0 "$?"
"$DYAD" -q --utterances --lexicon "$TMP/test.lex" -o "$TMP/esr" "$TMP/es.csv" 2>/dev/null
expect_eq "dyad on the ESConv fixture" 0 "$?"
printf 'A note on misses.\n' >"$TMP/notes.md"
"$V" report -q --annomi "$TMP/annomi.csv" --annomi-reports "$TMP/an" --esconv "$TMP/es.csv" \
    --esconv-reports "$TMP/esr" --data "$TMP/pairs" --date 2001-02-03 --commit abc123 \
    --split "Even and odd." --notes "$TMP/notes.md" --errors "$TMP/errs" -o "$TMP/report.md" \
    >"$TMP/report.out" 2>&1 || fail "report: exit status $?: $(cat "$TMP/report.out")"
[ ! -s "$TMP/report.out" ] || fail "report -q printed: $(cat "$TMP/report.out")"
R="$TMP/report.md"
expect_line "$R" "| date (UTC) | 2001-02-03 |"
expect_line "$R" "| dyad commit | abc123 |"
# SHA-256 of the 49 bytes of $TMP/pairs, as sha256sum computes it
sum=$(sha256sum "$TMP/pairs" | cut -d' ' -f1)
expect_line "$R" "| data \`$TMP/pairs\` | SHA-256 \`$sum\` |"
expect_line "$R" "**Split.** Even and odd."
# Training half: 3 therapist rows (lines 2, 4, 6), 3 client rows (3, 5, 8), line 5 without words.
expect_line "$R" "1 sessions, 3 therapist and 3 client utterances (1 of them without words for dyad, such as \`[laughs]\`: dyad says no to every code there)."
# question: line 2 both yes, lines 4 and 6 both no: kappa 1 (expected 5/9)
expect_line "$R" "| question (question_exists) | \`question\` = 1 (a \`?\`) | 3 | 1 | 1 | 1 | 1.000 | 1.000 | 1.000 | 1.000 |"
# advice: line 4 both yes, line 6 dyad only (directive in a reflection): precision 1/2,
# recall 1, F1 2/3; kappa: observed 2/3, expected 1/3 x 2/3 + 2/3 x 1/3 = 4/9 -> (2/9)/(5/9) = .4
expect_line "$R" "| therapist input: advice (therapist_input_subtype) | \`directive\` matched | 3 | 1 | 2 | 1 | 0.500 | 1.000 | 0.667 | 0.400 |"
expect_line "$R" "| client sustain talk (client_talk_type) | \`sustain_talk\` matched | 3 | 1 | 1 | 1 | 1.000 | 1.000 | 1.000 | 1.000 |"
# Held-out half: 4 therapist rows (10, 12, 14, 15). question: 10 and 12 both yes, 14 coded
# only, 15 neither: precision 1, recall 2/3, F1 4/5; kappa: observed 3/4, expected
# 3/4 x 1/2 + 1/4 x 1/2 = 1/2 -> (1/4)/(1/2) = .5
expect_line "$R" "1 sessions, 4 therapist and 2 client utterances (0 of them without words for dyad, such as \`[laughs]\`: dyad says no to every code there)."
expect_line "$R" "| question (question_exists) | \`question\` = 1 (a \`?\`) | 4 | 3 | 2 | 2 | 1.000 | 0.667 | 0.800 | 0.500 |"
expect_line "$R" "| reflection, simple or complex (reflection_exists) | \`reflection\` matched | 4 | 0 | 0 | 0 | – | – | – | – |"
# advice: line 15 coded only: precision undefined, recall 0, F1 0; kappa: observed 3/4,
# expected 1/4 x 0 + 3/4 x 1 = 3/4 -> 0
expect_line "$R" "| therapist input: advice (therapist_input_subtype) | \`directive\` matched | 4 | 1 | 0 | 0 | – | 0.000 | 0.000 | 0.000 |"
# change: line 13 both yes, line 11 both no: kappa (1 - .5) / (1 - .5) = 1
expect_line "$R" "| client change talk (client_talk_type) | \`change_talk\` matched | 2 | 1 | 1 | 1 | 1.000 | 1.000 | 1.000 | 1.000 |"
# open vs closed: training line 2 open = open; held-out line 10 closed = closed, line 12
# closed = not open (strictly: neither category, wrong)
expect_line "$R" "| training half | 1 | 1.000 | 1.000 | – | 0 | 0 | 1.000 |"
expect_line "$R" "| held-out half | 2 | 1.000 | – | 1.000 | 0 | 1 | 0.500 |"
expect_line "$R" "**Reflection recall by subtype**: simple – (training) / – (held-out); complex 1.000 / –."
expect_line "$R" "Join check: every dyad utterance found its expert row by line, with the same role."
expect_line "$R" "Join check: every dyad utterance found its labelled turn by line, with the same role."
# where the disagreements are: training line 6 (directive, coded reflection); held-out
# line 14 (a question without "?") and line 15 (advice in a fragment)
expect_line "$R" "| **question**: a \`?\`, not coded a question | 0 | 0 |"
expect_line "$R" "| … in the 3 sessions with the most (training: none; held-out: none) | 0 | 0 |"
expect_line "$R" "| coded a question, no \`?\` in the text | 0 | 1 |"
expect_line "$R" "| **advice**: \`directive\` matched, not coded advice | 1 | 0 |"
expect_line "$R" "| … coded a reflection | 1 | 0 |"
expect_line "$R" "| coded advice, \`directive\` not matched | 0 | 1 |"
expect_line "$R" "| … of them a fragment (the row starts or ends with a dash) | 0 | 1 |"
# ESConv: dialogue 0 (training): 2 supporter turns, 2 seeker turns
expect_line "$R" "1 dialogues, 2 supporter and 2 seeker turns (0 without words)."
expect_line "$R" "| Question | \`question\` = 1 (a \`?\`) | 2 | 1 | 1 | 1 | 1.000 | 1.000 | 1.000 | 1.000 |"
expect_line "$R" "| Providing Suggestions | \`directive\` matched | 2 | 1 | 1 | 1 | 1.000 | 1.000 | 1.000 | 1.000 |"
# dialogue 1 (held-out): one supporter turn, a reflection found
expect_line "$R" "| Reflection of feelings | \`reflection\` matched | 1 | 1 | 1 | 1 | 1.000 | 1.000 | 1.000 | – |"
# one session per half, one quality group each: no AUC
expect_line "$R" "| collaboration index | – | none | – | none |"
# both question definitions tie on training: the `?` is kept; held-out F1 0.8 misses 0.9
expect_line "$R" "| question F1 | ≥ 0.900 | 0.800 — dyad: \`question\` = 1 (a \`?\`) (the definition with the better training F1) | **missed** |"
expect_line "$R" "| open/closed accuracy (questions both sides call questions) | ≥ 0.800 | 1.000 | met |"
expect_line "$R" "| reflection F1 | ≥ 0.600 | – | **missed** |"
expect_line "$R" "A note on misses."
# the training half's disagreements, with their text (the held-out half never)
expect_eq "advice errors" "fp	2	6	reflection;directive	So you want to quit. You should think." \
    "$(cat "$TMP/errs/advice.tsv")"
[ ! -s "$TMP/errs/question.tsv" ] || fail "question.tsv lists agreements: $(cat "$TMP/errs/question.tsv")"

# --- errors -----------------------------------------------------------------
expect_status_msg() {   # WHAT STATUS MESSAGE COMMAND...
    what=$1 st=$2 msg=$3
    shift 3
    "$@" >"$TMP/err.out" 2>&1
    expect_eq "$what: exit status" "$st" "$?"
    grep -Fq -- "$msg" "$TMP/err.out" || fail "$what: no \"$msg\" in: $(cat "$TMP/err.out")"
}
expect_status_msg "no command" 2 "usage: validate esconv" "$V"
expect_status_msg "unknown command" 2 "validate: unknown command" "$V" frobnicate
expect_status_msg "report without inputs" 2 "validate: report needs --annomi, --annomi-reports and -o" "$V" report -o x
expect_status_msg "unknown option" 2 "validate: unknown option --bogus" "$V" report --bogus 1
printf '1 1\n1\n' >"$TMP/bad_pairs"
expect_status_msg "bad pairs" 1 "$TMP/bad_pairs:2: error: expected two numbers, such as \"1 0\"" \
    "$V" metrics "$TMP/bad_pairs"
expect_status_msg "missing pairs" 1 "validate: cannot open $TMP/nope: No such file or directory" \
    "$V" auc "$TMP/nope"
printf '{"dialog": []}\n[1]\n' >"$TMP/bad1.jsonl"
expect_status_msg "not an object" 1 "validate: $TMP/bad1.jsonl:2: byte 1: not a JSON object; each line must be one ESConv dialogue" \
    "$V" esconv "$TMP/x.csv" "$TMP/bad1.jsonl"
printf '{"dialog": [{"text": "Hi", "speaker": "bot"}]}\n' >"$TMP/bad2.jsonl"
expect_status_msg "bad speaker" 1 "validate: $TMP/bad2.jsonl:1: turn speaker \"bot\" is neither \"sys\" (supporter) nor \"usr\" (seeker)" \
    "$V" esconv "$TMP/x.csv" "$TMP/bad2.jsonl"
printf '{"dialog": [{"text": "Hi}]}\n' >"$TMP/bad3.jsonl"
expect_status_msg "unterminated string" 1 "validate: $TMP/bad3.jsonl:1: byte 28: unterminated string" \
    "$V" esconv "$TMP/x.csv" "$TMP/bad3.jsonl"
printf '{"emotion": "x"}\n' >"$TMP/bad4.jsonl"
expect_status_msg "no dialog" 1 "validate: $TMP/bad4.jsonl:1: no \"dialog\" array; is this an ESConv file?" \
    "$V" esconv "$TMP/x.csv" "$TMP/bad4.jsonl"
printf '{"dialog": [{"text": "a\\q", "speaker": "usr"}]}\n' >"$TMP/bad5.jsonl"
expect_status_msg "bad escape" 1 "validate: $TMP/bad5.jsonl:1: byte 24: bad escape in a string" \
    "$V" esconv "$TMP/x.csv" "$TMP/bad5.jsonl"
expect_status_msg "missing reports" 1 "validate: $TMP/noreports/utterances.csv: cannot open: No such file or directory" \
    "$V" report --annomi "$TMP/annomi.csv" --annomi-reports "$TMP/noreports" -o "$TMP/r.md"
mkdir -p "$TMP/cut"
cp "$TMP/an/sessions.csv" "$TMP/an/run.csv" "$TMP/cut/"
cut -d, -f1-12 "$TMP/an/utterances.csv" >"$TMP/cut/utterances.csv"
expect_status_msg "no categories" 1 "validate: $TMP/cut/utterances.csv: no column \"categories\"; is this dyad's utterances.csv (run dyad with --utterances)?" \
    "$V" report --annomi "$TMP/annomi.csv" --annomi-reports "$TMP/cut" -o "$TMP/r.md"
printf 'transcript_id,interlocutor\n1,"therapist\n' >"$TMP/open_quote.csv"
expect_status_msg "unterminated quote" 1 "validate: $TMP/open_quote.csv:2: unterminated quoted field; close it with \" (write \"\" for a quote inside it)" \
    "$V" report --annomi "$TMP/open_quote.csv" --annomi-reports "$TMP/an" -o "$TMP/r.md"
sed 's/^low,3,/low,x3,/' "$TMP/annomi.csv" >"$TMP/bad_id.csv"
expect_status_msg "bad transcript id" 1 "validate: $TMP/bad_id.csv:10: transcript_id \"x3\" is not a number; the split into halves uses its parity" \
    "$V" report --annomi "$TMP/bad_id.csv" --annomi-reports "$TMP/an" -o "$TMP/r.md"
expect_status_msg "unwritable report" 1 "validate: cannot write $TMP/no/dir/r.md: No such file or directory" \
    "$V" report --annomi "$TMP/annomi.csv" --annomi-reports "$TMP/an" -o "$TMP/no/dir/r.md"

# --- make validate without the data: a message and exit status 0 -------------
out=$(cd "$ROOT" && DYAD_DATA="$TMP/absent" sh tools/validate/validate.sh "$DYAD" "$V" -q -o "$TMP/v.md" 2>&1)
expect_eq "skip: exit status" 0 "$?"
expect_eq "skip message" "make validate: skipped: $TMP/absent/annomi-dev/AnnoMI-full.csv is absent (the expert-coded data lives outside the project, in ../shared/data; set DYAD_DATA to its folder); $TMP/v.md is left as it is" "$out"
[ ! -e "$TMP/v.md" ] || fail "a skipped validation wrote a report"
exit 0
