/* segments.h: the session's time course, cut into N equal parts.
 *
 * By time when every utterance has a start time (an utterance belongs to the
 * part its start falls in), by words otherwise (an utterance belongs to the
 * part its first word falls in). Each part holds per-role numbers: words,
 * speaking time, turns that start in it and their words, questions and
 * category counts. */
#ifndef DYAD_SEGMENTS_H
#define DYAD_SEGMENTS_H

#include "analysis/analysis.h"

void measure_segments(const session *s, session_result *r, const analysis_options *opt);

#endif
