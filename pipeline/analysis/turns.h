/* turns.h: grouping utterances into turns, and what turns measure.
 *
 * A turn is a maximal run of one speaker's non-backchannel utterances with no
 * other speaker's non-backchannel utterance between them (MITI's volley
 * rule: a backchannel such as "mm-hmm" neither starts a turn nor breaks
 * another speaker's). Turn length is the words of its non-backchannel
 * utterances. */
#ifndef DYAD_TURNS_H
#define DYAD_TURNS_H

#include "analysis/analysis.h"

/* Number the turns (utterance_result.turn) and fill r->turn_list, r->turns. */
void assign_turns(const session *s, session_result *r);
/* Per speaker: turns, turn words, longest turn (words and seconds), words in
 * long turns; per session: switches and the answers to therapist questions. */
void measure_turns(const session *s, session_result *r);

#endif
