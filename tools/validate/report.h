/* report.h: docs/validation.md, the validation report, in Markdown. */
#ifndef DYAD_VALIDATE_REPORT_H
#define DYAD_VALIDATE_REPORT_H

#include "agree.h"
#include "quality.h"
#include "table.h"

#include <stdio.h>

/* Held-out targets (the figures). */
#define TARGET_QUESTION_F1 0.90
#define TARGET_OPEN_CLOSED 0.80
#define TARGET_REFLECTION_F1 0.60
#define TARGET_ADVICE_F1 0.50
#define TARGET_SESSION_AUC 0.80

typedef struct report_input {
    const char *date, *commit;
    const char *const *data;       /* data files, with their SHA-256 */
    size_t n_data;
    const table *run;              /* run.csv of the AnnoMI run: version, lexicons */
    const char *split;             /* the split rule, as text */
    const annomi_result *annomi;
    const esconv_result *esconv;   /* NULL when ESConv was not given */
    const quality_result *quality;
    const char *notes;             /* text on missed targets and errors (may be NULL) */
} report_input;

/* One held-out target and whether it is met. */
typedef struct target {
    const char *what;
    double goal, value;
    char detail[256];
} target;

enum { T_QUESTION, T_OPEN_CLOSED, T_REFLECTION, T_ADVICE, T_SESSION_AUC, N_TARGETS };

void targets_of(const report_input *in, target t[N_TARGETS]);

/* The index of the dyad measure with the best training AUC (folded). */
size_t best_training_measure(const quality_result *q);

void write_report(FILE *out, const report_input *in);

/* "0.934", or "–" for NaN. */
const char *fmt3(double v, char *out, size_t size);

#endif
