#!/bin/sh
# LIWC .dic dictionaries (--dic) and dyad lexicon check, on fixtures in
# tests/fixtures/dic/ with every count worked out by hand (see the comments).
. "$E2E_DIR/lib.sh"
D="$FIX/dic"

# ---- dyad --dic: the dictionary's categories join the lexicon's ----------
"$DYAD" -q -o "$TMP/out" --lexicon "$FIX/e2e/test.lex" --dic "$D/session.dic" "$D/session.txt" || fail "exit status $?"

# session.dic (lines): 9 good 1 2 | 10 great* 1 2 | 11 greater 5 | 12 bad 1 3 |
# 13 sad* 1 3 | 14 sadder 1 | 15 kind <of>4/2 | 16 sort of 4 | 17 maybe 4 |
# 18 like (5)1/6 | 19 we 5 | 20 you* 5 | 21 awful 1 99 | 22 ad*vise 4
# (1 feeling, 2 good and 3 bad under it, 4 tentative, 5 social, 6 filler).
# A word takes the categories of its most specific entry: "greater" only 5,
# "sadder" only 1. Words (T 9 + 15 = 24, C 12 + 9 = 21):
#  1 T You seem sad. Maybe we could try something kind.
#      feeling sad; good kind (not before "of"); bad sad; tentative maybe;
#      social you, we
#  2 C I like walks, but I feel sort of sadder than last week.
#      feeling sadder (not bad); tentative "sort of"; filler like ("i" is not in 5)
#  3 T That sounds like a hard week. You like the kind of walks that feel great?
#      filler like (after "sounds"); feeling like (after "you", in 5), great;
#      good great; tentative kind (before "of"); social you
#  4 C Greater than nothing. It was awful, like, really bad.
#      social greater (not feeling, not good); feeling awful, bad; bad bad;
#      filler like (after "awful")
# therapist: feeling 3 good 2 bad 1 tentative 2 social 3 filler 1
# client:    feeling 3 good 0 bad 1 tentative 1 social 1 filler 2
expect_fields "$TMP/out/sessions.csv" 1 "session_id=session therapist_words=24 client_words=21
  therapist_dic_feeling=3 therapist_dic_feeling_per1k=125.0000 therapist_dic_good=2 therapist_dic_bad=1
  therapist_dic_tentative=2 therapist_dic_social=3 therapist_dic_filler=1 therapist_dic_filler_per1k=41.6667
  client_dic_feeling=3 client_dic_feeling_per1k=142.8571 client_dic_good=0 client_dic_bad=1
  client_dic_tentative=1 client_dic_social=1 client_dic_filler=2 client_dic_filler_per1k=95.2381
  therapist_you=2 client_you=0"
# speakers.csv: feeling, good, bad, tentative, social, filler per speaker
expect_eq "speaker categories" "THERAPIST 3 2 1 2 3 1
CLIENT 3 0 1 1 1 2" \
    "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
        { print $2, $h["dic_feeling"], $h["dic_good"], $h["dic_bad"], $h["dic_tentative"], $h["dic_social"], $h["dic_filler"] }' \
        "$TMP/out/speakers.csv")"
# matches: rule ids are the .dic lines; the entry named is the one LIWC uses
# ("sadder" is line 14, not sad* on 13)
expect_eq "dic matches" "$(grep ',dic_' "$TMP/out/matches.csv")" \
"session,1,THERAPIST,therapist,dic_feeling,session.dic:13,sad,1
session,1,THERAPIST,therapist,dic_good,session.dic:15,kind,1
session,1,THERAPIST,therapist,dic_bad,session.dic:13,sad,1
session,1,THERAPIST,therapist,dic_tentative,session.dic:17,maybe,1
session,1,THERAPIST,therapist,dic_social,session.dic:20,you,1
session,1,THERAPIST,therapist,dic_social,session.dic:19,we,1
session,2,CLIENT,client,dic_feeling,session.dic:14,sadder,2
session,2,CLIENT,client,dic_tentative,session.dic:16,sort of,2
session,2,CLIENT,client,dic_filler,session.dic:18,like,2
session,3,THERAPIST,therapist,dic_feeling,session.dic:18,like,3
session,3,THERAPIST,therapist,dic_feeling,session.dic:10,great,3
session,3,THERAPIST,therapist,dic_good,session.dic:10,great,3
session,3,THERAPIST,therapist,dic_tentative,session.dic:15,kind,3
session,3,THERAPIST,therapist,dic_social,session.dic:20,you,3
session,3,THERAPIST,therapist,dic_filler,session.dic:18,like,3
session,4,CLIENT,client,dic_feeling,session.dic:21,awful,4
session,4,CLIENT,client,dic_feeling,session.dic:12,bad,4
session,4,CLIENT,client,dic_bad,session.dic:12,bad,4
session,4,CLIENT,client,dic_social,session.dic:11,greater,4
session,4,CLIENT,client,dic_filler,session.dic:18,like,4"
# the dictionary's warnings reach errors.csv with its name and line
expect_eq "errors" "$(cat "$TMP/out/errors.csv")" \
"source,line,severity,message
$D/session.dic,21,warning,\"category ID 99 of \"\"awful\"\" is not declared in the category block; it is skipped\"
$D/session.dic,22,warning,\"\"\"*\"\" inside a word in \"\"ad*vise\"\": LIWC only supports \"\"*\"\" at the end of a word, as in advis*; the line is skipped\""
expect_eq "run lexicons" "$(grep '^lexicon' "$TMP/out/run.csv")" \
"lexicon,$FIX/e2e/test.lex
lexicon_sha256,$(sha256sum "$FIX/e2e/test.lex" | cut -d' ' -f1)
lexicon,$D/session.dic
lexicon_sha256,$(sha256sum "$D/session.dic" | cut -d' ' -f1)"

# ---- a bad dictionary stops the run -------------------------------------
"$DYAD" -q -o "$TMP/bad" --lexicon "$FIX/e2e/test.lex" --dic "$D/notdic.dic" "$D/session.txt" 2>"$TMP/stderr"
expect_eq "exit status (bad dictionary)" 2 "$?"
expect_eq "bad dictionary message" "$(cat "$TMP/stderr")" \
"$D/notdic.dic:1: error: not a LIWC dictionary: a .dic file starts with a line holding only \"%\", then one \"ID name\" line per category, another \"%\", then the entries (a .lex lexicon goes with --lexicon)"
[ -e "$TMP/bad/sessions.csv" ] && fail "reports written after a bad dictionary"
# a category name a .lex file already uses: an error naming both files
printf '[dic_social] my own\nfriends\n' >"$TMP/clash.lex"
"$DYAD" -q -o "$TMP/bad" --lexicon "$TMP/clash.lex" --dic "$D/session.dic" "$D/session.txt" 2>"$TMP/stderr"
expect_eq "exit status (name clash)" 2 "$?"
grep -qx "$D/session.dic:6: error: category \"social\" (ID 5) would become \[dic_social\], which $TMP/clash.lex:1 already has: rename the category in one of the two files" "$TMP/stderr" ||
    fail "clash: $(cat "$TMP/stderr")"
# a .dic given as --lexicon
"$DYAD" -q -o "$TMP/bad" --lexicon "$D/session.dic" "$D/session.txt" 2>"$TMP/stderr"
expect_eq "exit status (.dic as --lexicon)" 2 "$?"
expect_eq ".dic as --lexicon" "$(cat "$TMP/stderr")" \
"$D/session.dic: error: this is a LIWC dictionary (.dic), not a .lex lexicon: give it with --dic instead of --lexicon"

# ---- dyad lexicon check ---------------------------------------------------
# check.lex: 3 advic* | 4 advice (shadowed by advic*) | 5 you should |
# 6 you should (duplicate) | 7 ! you shouldn't (shares no word with any rule) | 9 sad
cd "$D" || fail "cd $D"
"$DYAD" lexicon check session.dic check.lex --corpus session.txt -o "$TMP/check.csv" >"$TMP/check.out"
expect_eq "lexicon check exit status (warnings)" 1 "$?"
expect_eq "lexicon check report" "$(cat "$TMP/check.out")" \
"check.lex:6: warning: duplicate rule \"you should\" in [advice]: check.lex:6 repeats check.lex:5 and is ignored; delete one of them
session.dic:21: warning: category ID 99 of \"awful\" is not declared in the category block; it is skipped
session.dic:22: warning: \"*\" inside a word in \"ad*vise\": LIWC only supports \"*\" at the end of a word, as in advis*; the line is skipped
check.lex:4: warning: rule 'advice' is shadowed by 'advic*' (check.lex:3) in [advice]: it never counts; delete it
check.lex:7: warning: exception '! you shouldn't' never applies: no rule of [advice] can match a word it covers; delete it
counted matches in 1 file (1 session, 4 utterances, 45 words):
  fired  rule            category       text
      0  check.lex:3     advice         advic*
      0  check.lex:4     advice         advice
      0  check.lex:5     advice         you should
      -  check.lex:7     advice         ! you shouldn't
      1  check.lex:9     sad            sad
      0  session.dic:9   dic_feeling    good
      0  session.dic:9   dic_good       good
      1  session.dic:10  dic_feeling    great* (not: greater)
      1  session.dic:10  dic_good       great* (not: greater)
      1  session.dic:11  dic_social     greater
      1  session.dic:12  dic_feeling    bad
      1  session.dic:12  dic_bad        bad
      1  session.dic:13  dic_feeling    sad*
      1  session.dic:13  dic_bad        sad* (not: sadder)
      1  session.dic:14  dic_feeling    sadder
      1  session.dic:15  dic_tentative  kind (before of)
      1  session.dic:15  dic_good       kind (not before of)
      1  session.dic:16  dic_tentative  sort of
      1  session.dic:17  dic_tentative  maybe
      1  session.dic:18  dic_feeling    like (after 5)
      3  session.dic:18  dic_filler     like (not after 5)
      1  session.dic:19  dic_social     we
      2  session.dic:20  dic_social     you*
      1  session.dic:21  dic_feeling    awful
check.lex:3: warning: rule 'advic*' in [advice] never counted a match in the corpus
check.lex:4: warning: rule 'advice' in [advice] never counted a match in the corpus
check.lex:5: warning: rule 'you should' in [advice] never counted a match in the corpus
session.dic:9: warning: rule 'good' in [dic_feeling] never counted a match in the corpus
session.dic:9: warning: rule 'good' in [dic_good] never counted a match in the corpus
2 files, 24 rules in 8 categories: 0 errors, 10 warnings"
expect_eq "lexicon check csv (head)" "$(head -6 "$TMP/check.csv")" \
"rule,category,text,fired
check.lex:3,advice,advic*,0
check.lex:4,advice,advice,0
check.lex:5,advice,you should,0
check.lex:7,advice,! you shouldn't,
check.lex:9,sad,sad,1"
expect_eq "lexicon check csv (rows)" 25 "$(wc -l <"$TMP/check.csv" | tr -d ' ')"
grep -qx 'session.dic:18,dic_filler,like (not after 5),3' "$TMP/check.csv" || fail "csv: $(cat "$TMP/check.csv")"

# errors: exit 2, and the corpus is not read
"$DYAD" lexicon check notdic.dic check.lex --corpus session.txt >"$TMP/check.out"
expect_eq "lexicon check exit status (errors)" 2 "$?"
expect_eq "lexicon check errors" "$(cat "$TMP/check.out")" \
"check.lex:6: warning: duplicate rule \"you should\" in [advice]: check.lex:6 repeats check.lex:5 and is ignored; delete one of them
notdic.dic:1: error: not a LIWC dictionary: a .dic file starts with a line holding only \"%\", then one \"ID name\" line per category, another \"%\", then the entries (a .lex lexicon goes with --lexicon)
check.lex:4: warning: rule 'advice' is shadowed by 'advic*' (check.lex:3) in [advice]: it never counts; delete it
check.lex:7: warning: exception '! you shouldn't' never applies: no rule of [advice] can match a word it covers; delete it
corpus not read: fix the errors above first
2 files, 5 rules in 2 categories: 1 error, 3 warnings"

# a clean lexicon: exit 0 and only the summary
printf '[a]\nhello\n' >"$TMP/clean.lex"
expect_eq "lexicon check clean" "1 file, 1 rule in 1 category: 0 errors, 0 warnings" "$("$DYAD" lexicon check "$TMP/clean.lex")"
"$DYAD" lexicon check "$TMP/clean.lex" >/dev/null || fail "clean lexicon: exit status $?"

# usage errors
"$DYAD" lexicon check 2>"$TMP/stderr"
expect_eq "lexicon check without files" 2 "$?"
expect_eq "usage message" "$(head -1 "$TMP/stderr")" \
"dyad lexicon check: no lexicon file: give one or more .lex files, folders or .dic files"
"$DYAD" lexicon check check.lex --corpus 2>"$TMP/stderr"
expect_eq "--corpus without paths" 2 "$?"
expect_eq "--corpus without paths message" \
    "dyad lexicon check: --corpus needs one or more transcript files or folders after it" "$(head -1 "$TMP/stderr")"
"$DYAD" lexicon check check.lex --bogus 2>"$TMP/stderr"
expect_eq "unknown option" "dyad lexicon check: unknown option '--bogus'" "$(head -1 "$TMP/stderr")"
"$DYAD" lexicon check check.lex --format nope 2>"$TMP/stderr"
expect_eq "unknown --format" "dyad lexicon check: unknown --format 'nope'" "$(head -1 "$TMP/stderr")"
"$DYAD" lexicon check --help | head -1 | grep -q '^usage: dyad lexicon check' || fail "help"
# a CSV that cannot be written, and a --roles file that does not exist
"$DYAD" lexicon check "$TMP/clean.lex" -o "$TMP/no/such/folder/x.csv" >/dev/null 2>"$TMP/stderr"
expect_eq "csv not written: exit status" 2 "$?"
expect_eq "csv not written" "$(cat "$TMP/stderr")" \
"$TMP/no/such/folder/x.csv: error: cannot write the CSV: No such file or directory; check the folder exists and is writable"
"$DYAD" lexicon check "$TMP/clean.lex" --roles "$TMP/none.csv" --corpus session.txt >/dev/null 2>"$TMP/stderr"
expect_eq "missing --roles: exit status" 2 "$?"
grep -q "^$TMP/none.csv" "$TMP/stderr" || fail "missing roles: $(cat "$TMP/stderr")"
exit 0
