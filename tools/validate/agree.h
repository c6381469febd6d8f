/* agree.h: utterance-level agreement of dyad's utterances.csv with expert
 * codes (AnnoMI-full) and strategy labels (ESConv), on two halves of the
 * sessions fixed by session id.
 *
 * The two sides are joined by the line where each row starts in the source
 * file: dyad's utterances.csv gives it in `line`. AnnoMI-full lists some
 * sessions once per annotator; dyad reads only the first annotator's rows of
 * each session, and so does this join. An expert-coded row dyad has no
 * utterance for (a row without words, such as "[laughs]") counts as "dyad:
 * no" for every code. */
#ifndef DYAD_VALIDATE_AGREE_H
#define DYAD_VALIDATE_AGREE_H

#include "metrics.h"
#include "table.h"

#include <stdio.h>

enum { HALF_TRAIN, HALF_TEST, N_HALVES };

/* One expert code against one dyad output, per half. */
typedef struct agreement_row {
    const char *id;       /* short key: "question", "advice", ... */
    const char *expert;   /* the expert code, as the report names it */
    const char *dyad;     /* dyad's side, as the report names it */
    confusion half[N_HALVES];
} agreement_row;

/* Open vs closed among questions both sides call questions. dyad's class:
 * open when `open_question` matched and `closed_question` did not; closed
 * when `open_question` did not match (MISC: a question that is not open is
 * closed), or, strictly, only when `closed_question` matched alone. */
typedef struct open_closed {
    long n;                  /* expert open/closed question, dyad question */
    long correct;            /* dyad's class is the expert's */
    long correct_strict;     /* the same, closed only where `closed_question` matched alone */
    long both;               /* dyad matched both categories (counted wrong) */
    long neither;            /* dyad matched neither */
    long open_as_closed;     /* expert open, dyad closed */
    long closed_as_open;     /* expert closed, dyad open */
    confusion open, closed;  /* per class: "is open" / "is closed" */
} open_closed;

/* AnnoMI's main_therapist_behaviour, for the profile of disagreements. */
enum { BEH_QUESTION, BEH_REFLECTION, BEH_INPUT, BEH_OTHER, N_BEHAVIOURS };

/* Where dyad and the coder disagree on one code, in one half. */
typedef struct miss_profile {
    long fp_by_behaviour[N_BEHAVIOURS];   /* dyad yes, coder no: what the coder coded */
    long fp_top;             /* of those, in the 3 sessions that have the most */
    char top_sessions[64];   /* their ids, most first ("121, 5, 133") */
    long fn_fragment;        /* coder yes, dyad no, in a fragment (starts or ends with a dash) */
    long fn_no_mark;         /* coder yes, dyad no, with no `?` in the text */
} miss_profile;

/* The population of one half. */
typedef struct half_counts {
    long sessions;
    long therapist_rows, client_rows;
    long no_words;           /* expert rows without a dyad utterance */
} half_counts;

enum {
    AN_QUESTION, AN_QUESTION_ANY, AN_REFLECTION, AN_ADVICE, AN_CHANGE, AN_SUSTAIN, AN_ROWS
};

typedef struct annomi_result {
    agreement_row row[AN_ROWS];
    open_closed oc[N_HALVES];
    long reflection_simple[N_HALVES], reflection_simple_found[N_HALVES];
    long reflection_complex[N_HALVES], reflection_complex_found[N_HALVES];
    half_counts count[N_HALVES];
    miss_profile question_miss[N_HALVES];   /* for AN_QUESTION */
    miss_profile advice_miss[N_HALVES];     /* for AN_ADVICE */
    long role_mismatch;      /* joined rows where dyad's role is not the expert's interlocutor */
    long unjoined;           /* dyad utterances with no first-annotator row at their line */
} annomi_result;

enum {
    ES_QUESTION, ES_QUESTION_ANY, ES_REFLECTION, ES_REFLECTION_FEELINGS, ES_RESTATEMENT,
    ES_SUGGESTIONS, ES_ROWS
};

typedef struct esconv_result {
    agreement_row row[ES_ROWS];
    half_counts count[N_HALVES];
    long role_mismatch, unjoined;
} esconv_result;

/* Where disagreements of the training half go (for tuning the lexicons; the
 * held-out half is never listed): one file per code, DIR/<id>.tsv, each line
 * "fp|fn  session  line  categories  text". NULL: nothing is written. */
typedef struct error_dump {
    const char *dir;
} error_dump;

/* AnnoMI-full (`gold`) against dyad's utterances.csv of that file (`utts`).
 * Returns 0, or -1 with a message in err (a column missing). */
int annomi_agreement(const table *gold, const table *utts, annomi_result *r,
                     const error_dump *dump, char *err, size_t err_size);

/* The converted ESConv CSV (esconv.h) against dyad's utterances.csv of it. */
int esconv_agreement(const table *gold, const table *utts, esconv_result *r,
                     const error_dump *dump, char *err, size_t err_size);

/* The half of a session id: an even number is the training half, odd the
 * held-out half; -1 when the id is not a number. */
int half_of_id(const char *id);

/* Nonzero when the `;`-separated list `categories` holds `name`. */
int has_category(const char *categories, const char *name);

#endif
