/* turns.c: turn segmentation (see turns.h). */
#include "analysis/turns.h"

/* Close the running turn: credit its words to its speaker. */
static void close_turn(session_result *r, size_t speaker, size_t words)
{
    talk_stats *t = &r->speakers[speaker];
    t->turns++;
    t->turn_words += words;
    if (words > t->max_turn_words) t->max_turn_words = words;
}

void assign_turns(const session *s, session_result *r)
{
    size_t turn = 0, turn_speaker = 0, turn_words = 0;
    for (size_t i = 0; i < r->n_utts; i++) {
        utterance_result *ur = &r->utts[i];
        if (ur->backchannel) {
            ur->turn = 0;
            continue;
        }
        size_t sp = s->utts[ur->index].speaker;
        if (turn == 0 || sp != turn_speaker) {
            if (turn) close_turn(r, turn_speaker, turn_words);
            turn++;
            turn_speaker = sp;
            turn_words = 0;
        }
        turn_words += ur->words;
        ur->turn = turn;
    }
    if (turn) close_turn(r, turn_speaker, turn_words);
    r->turns = turn;
}
