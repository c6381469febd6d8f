/* turns.h: grouping utterances into turns.
 *
 * A turn is a maximal run of one speaker's non-backchannel utterances with no
 * other speaker's non-backchannel utterance between them (MITI's volley
 * rule: a backchannel such as "mm-hmm" neither starts a turn nor breaks
 * another speaker's). Turn length is the words of its non-backchannel
 * utterances. */
#ifndef DYAD_TURNS_H
#define DYAD_TURNS_H

#include "analysis/analysis.h"

/* Number the turns of r's utterances (utterance_result.turn) and fill each
 * speaker's turns, turn_words and max_turn_words, and r->turns. */
void assign_turns(const session *s, session_result *r);

#endif
