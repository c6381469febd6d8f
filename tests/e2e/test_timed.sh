#!/bin/sh
# Time measures on a timed session worked out by hand, read from WebVTT and
# from CSV: the numbers must be the same whatever the format.
. "$E2E_DIR/lib.sh"
# Utterances (seconds; words):
#  1 T 0-4      8  question
#  2 C 4.5-10  11
#  3 T 6-6.5    1  backchannel "Mm-hmm." inside the client's utterance
#  4 T 9-15     8  starts while 2 runs, 2 stops first: the therapist interrupts; "you should"
#  5 C 15-20    9
#  6 T 22-25    6  question; "what do you think"
#  7 C 25.2-30  4
# Speaking time T 4+0.5+6+3 = 13.5, C 5.5+5+4.8 = 15.3: shares 0.46875 and 0.53125 (printed
# 0.5312: ties round to even), time_balance 1-1.8/28.8 = 0.9375, balance_score 15.3/28.8.
# wpm T 23/(13.5/60) = 102.2222, C 24/(15.3/60) = 94.1176. Turns T1 C2 T4 C5 T6 C7.
# Transfers T->C: 0.5, 0, 0.2 (median 0.2, IQR 0.35-0.1 = 0.25, longest silence 0.5);
# C->T: -1, 2 (median 0.5, IQR 1.25-(-0.25) = 1.5, overlaps 1/2, long silences 1/2, longest 2).
# 5 switches in 30 s = 10 per minute. Answers to the two questions: 11 and 4 words, mean 7.5.
# Windows 10 s every 5 s: [0,10] 5.5/5.5 balanced, [5,15] 6.5/5 balanced, [10,20] 5/5
# balanced, [15,25] 3/5 client, [20,30] 3/4.8 client; primary speaker client (15.3 > 13.5);
# 3/5 balanced windows -> back_and_forth.
for f in session.vtt session.csv; do
    rm -rf "$TMP/out"
    "$DYAD" -q -o "$TMP/out" --window 10 --step 5 --lexicon "$FIX/e2e/test.lex" "$FIX/e2e/timed/$f" ||
        fail "$f: exit status $?"
    expect_fields "$TMP/out/sessions.csv" 1 "utterances=7 words=47 turns=6 therapist_words=23 client_words=24
      timed=1 duration=30.000 therapist_speaking_time=13.500 client_speaking_time=15.300
      therapist_time_share=0.4688 client_time_share=0.5312 time_balance=0.9375 balance_score=0.5312
      therapist_wpm=102.2222 client_wpm=94.1176 therapist_max_turn_seconds=6.000 client_max_turn_seconds=5.500
      therapist_to_client_transfers=3 therapist_to_client_median_offset=0.200
      therapist_to_client_offset_iqr=0.250 therapist_to_client_overlap_share=0.0000
      therapist_to_client_long_silence_share=0.0000 therapist_to_client_longest_silence=0.500
      client_to_therapist_transfers=2 client_to_therapist_median_offset=0.500
      client_to_therapist_offset_iqr=1.500 client_to_therapist_overlap_share=0.5000
      client_to_therapist_long_silence_share=0.5000 client_to_therapist_longest_silence=2.000
      therapist_interrupts=1 client_interrupts=0 switches=5 switches_per_minute=10.0000
      questions_answered=2 mean_answer_words=7.5000 therapist_backchannels=1
      windows=5 windows_therapist_led=0 windows_client_led=2 windows_balanced=3
      primary_speaker=client talk_dynamics=back_and_forth therapist_directive=1 therapist_collaborative=1"
    expect_eq "$f windows" "session_id,window,from,to,therapist_time,client_time,therapist_share,label
session,1,0.000,10.000,5.500,5.500,0.5000,balanced
session,2,5.000,15.000,6.500,5.000,0.5652,balanced
session,3,10.000,20.000,5.000,5.000,0.5000,balanced
session,4,15.000,25.000,3.000,5.000,0.3750,client
session,5,20.000,30.000,3.000,4.800,0.3846,client" "$(cat "$TMP/out/windows.csv")"
    # segments by time, 6 s each: seg 1 holds utterances 1-2 (T 8, C 11 words), seg 5 utterance 7
    # (C 4): the therapist's word share goes from 8/19 to 0.
    expect_fields "$TMP/out/sessions.csv" 1 "therapist_word_share_trend=-0.4211 client_word_share_trend=0.4211"
    expect_fields "$TMP/out/segments.csv" 1 "segment=1 unit=seconds from=0.000 to=6.000 role=therapist words=8 word_share=0.4211 speaking_time=4.000"
done
# With the default 150 s window the 30 s session is one window, balanced.
rm -rf "$TMP/out"
"$DYAD" -q -o "$TMP/out" --lexicon "$FIX/e2e/test.lex" "$FIX/e2e/timed/session.vtt" || fail "exit $?"
expect_fields "$TMP/out/sessions.csv" 1 "windows=1 windows_balanced=1 talk_dynamics=back_and_forth"
exit 0
