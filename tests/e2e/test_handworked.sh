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
expect_fields "$TMP/out/sessions.csv" 1 "session_id=handworked speakers=2 utterances=10 words=52 turns=5
  therapist_words=34 client_words=18 other_words=0 therapist_word_share=0.6538 client_word_share=0.3462
  word_balance=0.6923 therapist_utterances=5 client_utterances=5 therapist_turns=3 client_turns=2
  therapist_mlt=11.0000 client_mlt=8.0000 therapist_max_turn_words=22 client_max_turn_words=13
  therapist_questions=2 client_questions=1 therapist_backchannels=1 client_backchannels=2
  collaboration_index=0.2000 therapist_directive=2 therapist_directive_per1k=58.8235
  therapist_collaborative=2 therapist_autonomy=1 therapist_you=5 therapist_you_per1k=147.0588
  client_directive=0 client_backchannel=2 client_backchannel_per1k=111.1111"
# Turn-taking (issue 4): turn shares 3/5 and 2/5, turn_balance 1 - 1/5; turn-taking index
# (5-1)/(10-1); both therapist questions are answered by the client's next turn (13 and 3
# words: mean 8); 4 switches in 52 words; untimed, so every time column is empty.
expect_fields "$TMP/out/sessions.csv" 1 "therapist_turn_share=0.6000 client_turn_share=0.4000
  turn_balance=0.8000 turn_taking_index=0.4444 therapist_long_turn_share=0.0000
  therapist_interrupts=0 client_interrupts=0 questions_answered=2 mean_answer_words=8.0000
  switches=4 switches_per_minute= switches_per_100_words=7.6923 timed=0 duration=
  therapist_speaking_time= therapist_time_share= time_balance= windows= talk_dynamics="
expect_eq "speakers" \
"session_id,speaker,role,words,utterances,turns,mlt,max_turn_words,questions,backchannels,word_share,turn_share,long_turn_share,open_questions,closed_questions,interruptions,speaking_time,time_share,wpm,max_turn_seconds,directive,directive_per1k,collaborative,collaborative_per1k,autonomy,autonomy_per1k,backchannel,backchannel_per1k,you,you_per1k
handworked,THERAPIST,therapist,34,5,3,11.0000,22,2,1,0.6538,0.6000,0.0000,0,0,0,,,,,2,58.8235,2,58.8235,1,29.4118,1,29.4118,5,147.0588
handworked,CLIENT,client,18,5,2,8.0000,13,1,2,0.3462,0.4000,0.0000,0,0,0,,,,,0,0.0000,0,0.0000,0,0.0000,2,111.1111,0,0.0000" \
"$(cat "$TMP/out/speakers.csv")"
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
