/* timing.h: interruptions, floor transfers and talk-time windows.
 *
 * Interruptions: on timed utterances, an utterance that starts while the
 * other speaker's utterance is still running and is not a backchannel,
 * where the other speaker's utterance does not go on past its end (the other
 * speaker yields the floor); on any source, the first utterance after one
 * the source marks as interrupted (CHAT +/. +/?) or that is cut off with
 * "--" or an em dash, when another speaker says it. Floor transfers: for
 * every change of speaker between turns, next start - previous end. Windows:
 * ConvoKit's sliding talk-time windows (see analysis.h for thresholds). */
#ifndef DYAD_TIMING_H
#define DYAD_TIMING_H

#include "analysis/analysis.h"

/* Set utterance_result.interrupts. */
void find_interruptions(const session *s, session_result *r);
/* Duration, floor transfers per direction, windows and the dynamics label. */
void measure_timing(const session *s, session_result *r, const analysis_options *opt);

#endif
