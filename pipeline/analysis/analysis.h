/* analysis.h: what the analysis makes of one session, and the call that makes it.
 *
 * analyse_session reads a session (model/session.h) and a lexicon, and fills
 * a session_result: per utterance (words, backchannel, question, turn), per
 * speaker and per role (words, utterances, turns, questions, category
 * counts), and the list of counted lexicon matches (the audit trail). The
 * writers read session_result and nothing else of the analysis. Undefined
 * ratios are NAN here and empty cells in the reports. */
#ifndef DYAD_ANALYSIS_H
#define DYAD_ANALYSIS_H

#include "analysis/lexicon.h"
#include "model/session.h"
#include "util/diag.h"

#include <stddef.h>

typedef struct talk_stats {
    size_t words;
    size_t utterances;
    size_t turns;
    size_t turn_words;        /* words in turns (backchannel utterances excluded) */
    size_t max_turn_words;
    size_t questions;
    size_t backchannels;
    size_t *category;         /* counted matches per lexicon category */
} talk_stats;

typedef struct utterance_result {
    size_t index;             /* into session.utts */
    size_t words;
    int backchannel;
    int question;
    int cut_off;              /* text ends in "--" or an em dash */
    size_t turn;              /* 1-based turn number; 0 for a backchannel */
} utterance_result;

typedef struct match_record {
    size_t utterance;         /* 1-based number among counted utterances */
    size_t category;
    size_t rule;
    char *text;               /* the matched words, folded, joined by spaces */
} match_record;

typedef struct session_result {
    size_t n_categories;
    size_t words;
    size_t turns;
    utterance_result *utts;   /* counted utterances only (at least one word) */
    size_t n_utts;
    talk_stats *speakers;     /* one per session speaker */
    size_t n_speakers;
    talk_stats roles[ROLE_COUNT];
    match_record *matches;
    size_t n_matches, cap_matches;
} session_result;

typedef struct analysis_options {
    int keep_matches;         /* fill session_result.matches (for matches.csv) */
} analysis_options;

/* Analyse s; lx must be finished. Regex troubles become warnings in d. */
void analyse_session(const session *s, const lexicon *lx, const analysis_options *opt,
                     session_result *out, diag_list *d);
void session_result_free(session_result *r);

/* Derived measures, NAN when undefined. */
double ratio(double num, double den);
/* 1 - |a - b| / (a + b): 1 when even, 0 when one side only. */
double balance(double a, double b);
/* (collaborative + autonomy - directive) / (collaborative + autonomy + directive)
 * for the therapist role; NAN when a category is missing or all are zero. */
double collaboration_index(const session_result *r, const lexicon *lx);

#endif
