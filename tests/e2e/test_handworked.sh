#!/bin/sh
# Every number of a small session worked out by hand (see the comments).
. "$E2E_DIR/lib.sh"
"$DYAD" -q -o "$TMP/out" --lexicon "$FIX/e2e/test.lex" "$FIX/e2e/handworked.txt" || fail "exit status $?"

# Utterances with words, in order (words; backchannel = bc):
#  1 T So how was your week?                        5  question
#  2 C Not great. I skipped the walks [sighs] again  7  ([sighs] not counted)
#  3 T Mm-hmm.                                      1  bc
#  4 C Yeah.                                        1  bc (C's own: neither starts nor breaks a turn)
#  5 C I just didn't feel like it.                  6  (continues C's turn: 7+6 = 13)
#  6 T You should try again. Try a short one / tomorrow morning.  10
#  7 C Okay.                                        1  bc
#  8 T What do you think? We could start small. It's up to you.   12 question (turn 6+8 = 22)
#  9 C Maybe ten minutes?                           3  question
# 10 T You don't need to decide now.                6  ("need to" dropped: inside the exception)
# T words 5+1+10+12+6 = 34, C words 7+1+6+1+3 = 18, all 52.
# Turns: T[5] C[13] T[22] C[3] T[6]: T 3 turns (33 words, MLT 11, max 22), C 2 (16, MLT 8, max 13).
# word_balance = 1 - |34-18|/52 = 0.6923. directive 2 (you should; sentence-initial Try; the
# first "try" is not at a sentence start), collaborative 2, autonomy 1:
# collaboration_index = (2+1-2)/(2+1+2) = 0.2. you: your, you, you, you, you = 5 -> 5/34*1000.
expect_eq header "$(head -1 "$TMP/out/sessions.csv" | cut -d, -f1-25)" \
  "session_id,source,speakers,utterances,words,turns,therapist_words,client_words,other_words,therapist_word_share,client_word_share,word_balance,therapist_utterances,client_utterances,therapist_turns,client_turns,therapist_mlt,client_mlt,therapist_max_turn_words,client_max_turn_words,therapist_questions,client_questions,therapist_backchannels,client_backchannels,collaboration_index"
expect_eq "sessions row" "$(sed -n 2p "$TMP/out/sessions.csv")" \
  "handworked,$FIX/e2e/handworked.txt,2,10,52,5,34,18,0,0.6538,0.3462,0.6923,5,5,3,2,11.0000,8.0000,22,13,2,1,1,2,0.2000,2,58.8235,2,58.8235,1,29.4118,1,29.4118,5,147.0588,0,0.0000,0,0.0000,0,0.0000,2,111.1111,0,0.0000"
expect_eq "speakers" "$(cat "$TMP/out/speakers.csv")" \
"session_id,speaker,role,words,utterances,turns,mlt,max_turn_words,questions,backchannels,word_share,directive,directive_per1k,collaborative,collaborative_per1k,autonomy,autonomy_per1k,backchannel,backchannel_per1k,you,you_per1k
handworked,THERAPIST,therapist,34,5,3,11.0000,22,2,1,0.6538,2,58.8235,2,58.8235,1,29.4118,1,29.4118,5,147.0588
handworked,CLIENT,client,18,5,2,8.0000,13,1,2,0.3462,0,0.0000,0,0.0000,0,0.0000,2,111.1111,0,0.0000"
expect_eq "matches" "$(cat "$TMP/out/matches.csv")" \
"session_id,utterance,speaker,role,category,rule,text,line
handworked,1,THERAPIST,therapist,you,test.lex:23,your,2
handworked,3,THERAPIST,therapist,backchannel,test.lex:17,mm-hmm,4
handworked,4,CLIENT,client,backchannel,test.lex:18,yeah,5
handworked,6,THERAPIST,therapist,directive,test.lex:4,you should,7
handworked,6,THERAPIST,therapist,directive,test.lex:6,try,7
handworked,6,THERAPIST,therapist,you,test.lex:22,you,7
handworked,7,CLIENT,client,backchannel,test.lex:19,okay,9
handworked,8,THERAPIST,therapist,collaborative,test.lex:10,what do you think,10
handworked,8,THERAPIST,therapist,collaborative,test.lex:11,we could,10
handworked,8,THERAPIST,therapist,autonomy,test.lex:14,up to you,10
handworked,8,THERAPIST,therapist,you,test.lex:22,you,10
handworked,8,THERAPIST,therapist,you,test.lex:22,you,10
handworked,10,THERAPIST,therapist,you,test.lex:22,you,12"
expect_eq "errors" "$(cat "$TMP/out/errors.csv")" \
"source,line,severity,message
$FIX/e2e/handworked.txt,1,warning,text before the first speaker label ignored (1 line)"
expect_eq "run sessions" "$(grep '^sessions,' "$TMP/out/run.csv")" "sessions,1"
expect_eq "run warnings" "$(grep '^warnings,' "$TMP/out/run.csv")" "warnings,1"
expect_eq "run lexicon" "$(grep '^lexicon_sha256,' "$TMP/out/run.csv")" "lexicon_sha256,$(sha256sum "$FIX/e2e/test.lex" | cut -d' ' -f1)"
exit 0
