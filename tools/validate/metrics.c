/* metrics.c: confusion tables, F1, Cohen's kappa and ROC AUC (metrics.h). */
#include "metrics.h"

#include <math.h>

void confusion_add(confusion *c, int expert, int dyad)
{
    if (expert && dyad) c->tp++;
    else if (dyad) c->fp++;
    else if (expert) c->fn++;
    else c->tn++;
}

long confusion_total(const confusion *c)
{
    return c->tp + c->fp + c->fn + c->tn;
}

static double fraction(double num, double den)
{
    return den > 0 ? num / den : NAN;
}

double precision_of(const confusion *c)
{
    return fraction((double)c->tp, (double)(c->tp + c->fp));
}

double recall_of(const confusion *c)
{
    return fraction((double)c->tp, (double)(c->tp + c->fn));
}

double f1_of(const confusion *c)
{
    return fraction(2.0 * (double)c->tp, (double)(2 * c->tp + c->fp + c->fn));
}

double kappa_of(const confusion *c)
{
    double n = (double)confusion_total(c);
    if (n <= 0) return NAN;
    double observed = (double)(c->tp + c->tn) / n;
    double expert_yes = (double)(c->tp + c->fn) / n, dyad_yes = (double)(c->tp + c->fp) / n;
    double expected = expert_yes * dyad_yes + (1 - expert_yes) * (1 - dyad_yes);
    if (expected >= 1) return NAN;
    return (observed - expected) / (1 - expected);
}

double auc_of(const double *pos, size_t n_pos, const double *neg, size_t n_neg)
{
    if (n_pos == 0 || n_neg == 0) return NAN;
    double wins = 0;
    for (size_t i = 0; i < n_pos; i++)
        for (size_t j = 0; j < n_neg; j++) {
            if (pos[i] > neg[j]) wins += 1;
            else if (pos[i] == neg[j]) wins += 0.5;
        }
    return wins / ((double)n_pos * (double)n_neg);
}

double auc_folded(double auc, int *direction)
{
    if (isnan(auc) || auc == 0.5) {
        *direction = 0;
        return auc;
    }
    *direction = auc > 0.5 ? 1 : -1;
    return auc > 0.5 ? auc : 1 - auc;
}
