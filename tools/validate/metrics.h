/* metrics.h: agreement between dyad and expert codes.
 *
 * Utterance level: a 2x2 confusion table (expert code yes/no against dyad
 * yes/no) and what follows from it: precision, recall, F1 and Cohen's kappa.
 * Session level: the area under the ROC curve of a measure separating two
 * groups of sessions (Mann-Whitney: ties count one half). A figure that is
 * undefined (a division by zero) is NaN; the report prints it as "–". */
#ifndef DYAD_VALIDATE_METRICS_H
#define DYAD_VALIDATE_METRICS_H

#include <stddef.h>

typedef struct confusion {
    long tp;   /* expert yes, dyad yes */
    long fp;   /* expert no,  dyad yes */
    long fn;   /* expert yes, dyad no  */
    long tn;   /* expert no,  dyad no  */
} confusion;

void confusion_add(confusion *c, int expert, int dyad);
long confusion_total(const confusion *c);
double precision_of(const confusion *c);   /* tp / (tp + fp) */
double recall_of(const confusion *c);      /* tp / (tp + fn) */
double f1_of(const confusion *c);          /* 2tp / (2tp + fp + fn) */
/* (po - pe) / (1 - pe): po the observed agreement, pe the agreement expected
 * from the two sides' yes rates; NaN when pe is 1 (both sides constant). */
double kappa_of(const confusion *c);

/* P(a score of group `pos` > a score of group `neg`) + P(equal) / 2, over
 * every pair; NaN when a group is empty. */
double auc_of(const double *pos, size_t n_pos, const double *neg, size_t n_neg);

/* The AUC folded to max(auc, 1 - auc); *direction is 1 when `pos` scores
 * higher (auc > 0.5), -1 when lower, 0 at exactly 0.5 or NaN. */
double auc_folded(double auc, int *direction);

#endif
