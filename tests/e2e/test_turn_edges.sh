#!/bin/sh
# Turn-taking edge cases: one speaker, untimed interruptions (cut-off text),
# times that go backwards.
. "$E2E_DIR/lib.sh"
E="$FIX/e2e/edges"
"$DYAD" -q -o "$TMP/out" --lexicon "$FIX/e2e/test.lex" "$E" ; rc=$?
expect_eq "exit status" 0 "$rc"
# rows are sorted by session id: backwards, cut_off, one_speaker
# backwards.txt is sorted by time: T 5 (welcome back), T 10 (how are you) -> one turn, C 14, C 20
expect_fields "$TMP/out/sessions.csv" 1 "session_id=backwards utterances=4 turns=2 therapist_turns=1
  client_turns=1 therapist_max_turn_words=5 timed=1 times_estimated=1 duration=15.000"
grep -q 'backwards.txt,3,warning,time goes backwards (00:00:05 after 00:00:14); utterances sorted by start time' \
    "$TMP/out/errors.csv" || fail "no backwards-time warning: $(cat "$TMP/out/errors.csv")"
# cut_off.txt: "say that--" then the therapist: the therapist interrupts; "Okay." is a
# backchannel; "ask—" is followed by the same speaker, so it is no interruption.
expect_fields "$TMP/out/sessions.csv" 2 "session_id=cut_off utterances=6 turns=3
  therapist_interrupts=1 client_interrupts=0 client_backchannels=1 timed=0"
# one_speaker.txt: no client at all.
expect_fields "$TMP/out/sessions.csv" 3 "session_id=one_speaker speakers=1 utterances=2 turns=1
  therapist_words=10 client_words=0 word_balance=0.0000 therapist_word_share=1.0000
  client_mlt= turn_balance=0.0000 turn_taking_index=0.0000 questions_answered=0 mean_answer_words=
  switches=0 switches_per_100_words=0.0000"
exit 0
