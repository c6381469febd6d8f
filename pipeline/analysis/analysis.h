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
#include <stdint.h>

typedef struct talk_stats {
    size_t words;
    size_t utterances;
    size_t turns;
    size_t turn_words;        /* words in turns (backchannel utterances excluded) */
    size_t max_turn_words;
    size_t long_turn_words;   /* words in turns of over LONG_TURN_WORDS words */
    size_t questions;
    size_t open_questions;    /* questions whose first sentence matches open_question */
    size_t closed_questions;  /* ... closed_question */
    size_t backchannels;
    size_t interruptions;     /* times this speaker (role) interrupted the other */
    double speaking_time;     /* seconds, sum of utterance durations (timed sources) */
    size_t timed_words;       /* words of utterances with a duration, for words per minute */
    double max_turn_seconds;  /* longest turn in seconds (timed); NAN when untimed */
    size_t *category;         /* counted matches per lexicon category */
} talk_stats;

#define LONG_TURN_WORDS 100

typedef struct utterance_result {
    size_t index;             /* into session.utts */
    size_t speaker;           /* into session.speakers */
    size_t words;
    double start, end;        /* seconds, NAN when unknown */
    int backchannel;
    int question;
    int open_question;
    int closed_question;
    int cut_off;              /* text ends in "--" or an em dash */
    int interrupts;           /* this utterance interrupts the other speaker */
    size_t turn;              /* 1-based turn number; 0 for a backchannel */
    size_t first_category;    /* its counted matches' categories are */
    size_t n_categories;      /*   session_result.utt_categories[first .. first+n) */
} utterance_result;

typedef struct turn_result {
    size_t speaker;
    size_t words;
    size_t first_utt, last_utt;   /* indexes into session_result.utts */
    double start, end;            /* first start, latest end (seconds); NAN when unknown */
} turn_result;

/* Floor transfers in one direction: offset = next turn's start - previous
 * turn's end, in seconds (negative: overlap). */
typedef struct transfer_stats {
    size_t count;
    double median, iqr;
    double overlap_share;     /* offsets < 0 */
    double long_silence_share;/* offsets > 1 s */
    double longest_silence;   /* the largest offset, when > 0 */
} transfer_stats;

enum { THERAPIST_TO_CLIENT, CLIENT_TO_THERAPIST };

/* Answers to therapist questions: the words of the client's next turn. */
typedef struct answer_stats {
    size_t questions;         /* therapist questions followed by a client turn */
    size_t answer_words;
} answer_stats;

typedef struct segment_result {
    double from, to;          /* seconds when timed, word positions otherwise */
    talk_stats roles[ROLE_COUNT];
} segment_result;

typedef enum { WINDOW_EMPTY, WINDOW_BALANCED, WINDOW_THERAPIST, WINDOW_CLIENT } window_label;

typedef struct window_result {
    double from, to;          /* seconds */
    double time[ROLE_COUNT];  /* speaking time inside the window */
    window_label label;
} window_result;

/* One counted match, for matches.csv. 32 bits are plenty and keep the list
 * small: categories and rules are 32-bit in lexicon.h's match, word offsets
 * are 32-bit in words.h (so is the length of a match's text), and no session
 * holds 4 billion utterances. */
typedef struct match_record {
    uint32_t utterance;       /* 1-based number among counted utterances */
    uint32_t category;
    uint32_t rule;
    uint32_t text_len;        /* the matched words, folded, joined by spaces: */
    size_t text_off;          /*   session_result.match_text + text_off, NUL-terminated */
} match_record;

typedef struct session_result {
    size_t n_categories;
    size_t words;
    size_t turns;
    utterance_result *utts;   /* counted utterances only (at least one word) */
    size_t n_utts;
    turn_result *turn_list;   /* r->turns of them */
    talk_stats *speakers;     /* one per session speaker */
    size_t n_speakers;
    talk_stats roles[ROLE_COUNT];
    match_record *matches;
    size_t n_matches, cap_matches;
    char *match_text;         /* the matches' texts, back to back, one allocation */
    size_t match_text_len, match_text_cap;
    uint32_t *utt_categories; /* category of each counted match, utterance by utterance */
    size_t n_utt_categories, cap_utt_categories;

    int timed;                /* some utterances have start times */
    double duration;          /* last end (or start) - first start, seconds; NAN untimed */
    size_t switches;          /* speaker changes between consecutive turns */
    transfer_stats transfers[2];
    answer_stats answers, open_answers, closed_answers;
    segment_result *segments;
    size_t n_segments;
    int segments_by_time;
    window_result *windows;
    size_t n_windows;
    const char *dynamics;     /* "dominated_throughout", "back_and_forth", "alternating" or NULL */
    int primary_role;         /* role with more speaking time; -1 when untimed */
} session_result;

typedef struct analysis_options {
    int keep_matches;         /* fill session_result.matches (for matches.csv) */
    size_t segments;          /* --segments N (0: none) */
    double window, step;      /* --window and --step, seconds */
} analysis_options;

#define DEFAULT_SEGMENTS 5
#define DEFAULT_WINDOW 150.0
#define DEFAULT_STEP 30.0
/* ConvoKit's talk-time-sharing thresholds (Zhang, Zhang & Danescu-Niculescu-Mizil
 * 2025, "Time is On My Side"; convokit/talktimesharing): a window is led by a
 * side holding more than 60% of its speaking time; a session is
 * dominated_throughout when at least 75% of its windows are led by the
 * primary (more-speaking) side, alternating when more than 25% are led by
 * the other side, back_and_forth when at least 60% are balanced. */
#define WINDOW_LEAD_SHARE 0.60
#define DOMINATED_SHARE 0.75
#define ALTERNATING_SHARE 0.25
#define BACK_AND_FORTH_SHARE 0.60

/* Analyse s; lx must be finished. Regex troubles become warnings in d. */
void analyse_session(const session *s, const lexicon *lx, const analysis_options *opt,
                     session_result *out, diag_list *d);

/* Working memory a thread keeps from one session to the next: the word
 * and match lists and the lexicon's match_scratch, whose word memo then
 * looks up each word the thread meets in the lexicon once rather than once
 * per session. One per thread; it belongs to one lexicon. */
typedef struct analysis_scratch analysis_scratch;
analysis_scratch *analysis_scratch_new(const lexicon *lx);
void analysis_scratch_free(analysis_scratch *sc);
/* analyse_session in a thread's scratch (NULL: one made for this call). */
void analyse_session_in(const session *s, const lexicon *lx, const analysis_options *opt,
                        session_result *out, diag_list *d, analysis_scratch *sc);
void session_result_free(session_result *r);

/* The text of match m of r (see match_record). */
static inline const char *match_record_text(const session_result *r, const match_record *m)
{
    return r->match_text + m->text_off;
}

/* talk_stats helpers shared by the analysis modules. */
void talk_stats_init(talk_stats *t, size_t n_categories);
void talk_stats_add(talk_stats *to, const talk_stats *from, size_t n_categories);
void talk_stats_add_utterance(talk_stats *t, const session_result *r, const utterance_result *u);

/* Derived measures, NAN when undefined. */
double ratio(double num, double den);
/* 1 - |a - b| / (a + b): 1 when even, 0 when one side only. */
double balance(double a, double b);
/* (collaborative + autonomy - directive) / (collaborative + autonomy + directive)
 * for the therapist role; NAN when a category is missing or all are zero. */
double collaboration_index(const session_result *r, const lexicon *lx);
/* The median and interquartile range of v[0..n) (sorted in place), by linear
 * interpolation between order statistics (R's default type 7). */
double quantile_sorted(const double *v, size_t n, double q);

#endif
