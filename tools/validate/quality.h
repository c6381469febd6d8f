/* quality.h: how well session measures separate high from low MI quality.
 *
 * For each measure (a column of dyad's sessions.csv, or a ratio of two) and
 * each half of the sessions, the area under the ROC curve with high-quality
 * sessions as the positive group (meta_mi_quality = high / low). Sessions
 * where the measure is undefined (an empty cell, a zero denominator) are
 * left out of that measure. The same measures of the expert codes (R:Q,
 * share of open questions, ...) are given for reference: what the codes
 * dyad approximates achieve themselves. */
#ifndef DYAD_VALIDATE_QUALITY_H
#define DYAD_VALIDATE_QUALITY_H

#include "agree.h"
#include "table.h"

typedef enum { M_COLUMN, M_RATIO, M_SHARE, M_PER1K } measure_kind;

typedef struct measure_def {
    const char *name;    /* as the report names it */
    measure_kind kind;   /* a; a / b; a / (a + b); 1000 a / b */
    const char *a, *b;   /* columns */
} measure_def;

typedef struct measure_auc {
    const measure_def *def;
    double auc[N_HALVES];        /* raw: P(high > low) */
    long high[N_HALVES], low[N_HALVES];
} measure_auc;

typedef struct quality_result {
    measure_auc *m;
    size_t n;
    size_t n_dyad;               /* m[0..n_dyad) are dyad's, the rest the expert codes' */
    long sessions_high[N_HALVES], sessions_low[N_HALVES];
} quality_result;

/* The measures of dyad's sessions.csv of AnnoMI (`sessions`), and of the
 * expert codes of AnnoMI-full (`gold`, first annotator per session). */
int quality_auc(const table *sessions, const table *gold, quality_result *r, char *err,
                size_t err_size);

/* The value of measure `m` in row `row` of `t` (NaN when undefined). */
double measure_value(const measure_def *m, const table *t, size_t row);

void quality_free(quality_result *r);

#endif
