/* report.c: write docs/validation.md from the measured agreement (report.h). */
#include "report.h"
#include "util/sha256.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *fmt3(double v, char *out, size_t size)
{
    if (isnan(v)) snprintf(out, size, "–");
    else snprintf(out, size, "%.3f", v);
    return out;
}

static const char *direction_name(int direction)
{
    return direction > 0 ? "higher in high-quality" : direction < 0 ? "lower in high-quality" : "none";
}

static const char *half_name(int h)
{
    return h == HALF_TRAIN ? "training half" : "held-out half";
}

size_t best_training_measure(const quality_result *q)
{
    size_t best = 0;
    double best_auc = -1;
    for (size_t k = 0; k < q->n_dyad; k++) {
        int dir;
        double a = auc_folded(q->m[k].auc[HALF_TRAIN], &dir);
        if (!isnan(a) && a > best_auc) {
            best_auc = a;
            best = k;
        }
    }
    return best;
}

static double open_closed_accuracy(const open_closed *oc)
{
    return oc->n ? (double)oc->correct / (double)oc->n : NAN;
}

void targets_of(const report_input *in, target t[N_TARGETS])
{
    const annomi_result *a = in->annomi;
    memset(t, 0, sizeof(target) * N_TARGETS);
    /* of dyad's two question definitions, the one with the better training F1 */
    double f1_mark = f1_of(&a->row[AN_QUESTION].half[HALF_TRAIN]);
    double f1_any = f1_of(&a->row[AN_QUESTION_ANY].half[HALF_TRAIN]);
    int qd = f1_any > f1_mark ? AN_QUESTION_ANY : AN_QUESTION;
    t[T_QUESTION] = (target){"question F1", TARGET_QUESTION_F1,
                             f1_of(&a->row[qd].half[HALF_TEST]), ""};
    snprintf(t[T_QUESTION].detail, sizeof t[T_QUESTION].detail,
             "dyad: %s (the definition with the better training F1)", a->row[qd].dyad);
    t[T_OPEN_CLOSED] = (target){"open/closed accuracy (questions both sides call questions)",
                                TARGET_OPEN_CLOSED, open_closed_accuracy(&a->oc[HALF_TEST]), ""};
    t[T_REFLECTION] = (target){"reflection F1", TARGET_REFLECTION_F1,
                               f1_of(&a->row[AN_REFLECTION].half[HALF_TEST]), ""};
    t[T_ADVICE] = (target){"advice-as-directive F1", TARGET_ADVICE_F1,
                           f1_of(&a->row[AN_ADVICE].half[HALF_TEST]), ""};
    const quality_result *q = in->quality;
    size_t best = best_training_measure(q);
    int dir;
    auc_folded(q->m[best].auc[HALF_TRAIN], &dir);
    double held = q->m[best].auc[HALF_TEST];
    if (dir < 0) held = 1 - held;
    t[T_SESSION_AUC] = (target){"session AUC, best single measure (chosen on the training half)",
                                TARGET_SESSION_AUC, held, ""};
    snprintf(t[T_SESSION_AUC].detail, sizeof t[T_SESSION_AUC].detail,
             "%s, %s (the direction found on the training half)", q->m[best].def->name,
             direction_name(dir));
}

static void write_header(FILE *out, const report_input *in)
{
    fprintf(out, "# Validation: dyad's default lexicons against expert codes\n\n"
                 "Written by `make validate` (tools/validate/); do not edit by hand. Every figure "
                 "below comes from that command: run it again on the same data with the same "
                 "dyad and lexicons and it gives the same figures. The report quotes no "
                 "transcript text (the data may not be redistributed).\n\n");
    fprintf(out, "| | |\n|---|---|\n| date (UTC) | %s |\n| dyad commit | %s |\n", in->date,
            in->commit);
    int c_key = table_column(in->run, "key"), c_val = table_column(in->run, "value");
    for (size_t i = 0; i < in->run->n_rows; i++) {
        const char *k = table_cell(in->run, i, c_key), *v = table_cell(in->run, i, c_val);
        if (strcmp(k, "version") == 0) fprintf(out, "| dyad version | %s |\n", v);
        else if (strcmp(k, "lexicon") == 0) {
            const char *slash = strrchr(v, '/');
            fprintf(out, "| lexicon `lexicons/%s` | SHA-256 ", slash ? slash + 1 : v);
        } else if (strcmp(k, "lexicon_sha256") == 0) fprintf(out, "`%s` |\n", v);
    }
    for (size_t i = 0; i < in->n_data; i++) {
        char hex[SHA256_HEX_SIZE] = "(unreadable)";
        FILE *f = fopen(in->data[i], "rb");
        if (f) {
            sha256_ctx c;
            unsigned char chunk[65536], digest[SHA256_DIGEST_SIZE];
            size_t got;
            sha256_init(&c);
            while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) sha256_update(&c, chunk, got);
            sha256_final(&c, digest);
            fclose(f);
            for (int b = 0; b < SHA256_DIGEST_SIZE; b++) snprintf(hex + 2 * b, 3, "%02x", digest[b]);
        }
        fprintf(out, "| data `%s` | SHA-256 `%s` |\n", in->data[i], hex);
    }
    fprintf(out, "\n**Split.** %s\n\n", in->split);
}

static void write_targets(FILE *out, const report_input *in)
{
    target t[N_TARGETS];
    targets_of(in, t);
    char a[32], b[32];
    fprintf(out, "## Targets, on the held-out half\n\n"
                 "| measure | target | held-out | |\n|---|---|---|---|\n");
    for (int k = 0; k < N_TARGETS; k++) {
        fprintf(out, "| %s | ≥ %s | %s%s%s | %s |\n", t[k].what, fmt3(t[k].goal, a, sizeof a),
                fmt3(t[k].value, b, sizeof b), t[k].detail[0] ? " — " : "", t[k].detail,
                !isnan(t[k].value) && t[k].value >= t[k].goal ? "met" : "**missed**");
    }
    fprintf(out, "\nWhere a target is missed, the section \"Where dyad misses, and why\" below "
                 "says why.\n\n");
}

static void write_agreement_table(FILE *out, const agreement_row *rows, size_t n, int h)
{
    char p[32], r[32], f[32], k[32];
    fprintf(out, "| expert code | dyad | n | expert yes | dyad yes | both yes | precision | "
                 "recall | F1 | κ |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        const confusion *c = &rows[i].half[h];
        fprintf(out, "| %s | %s | %ld | %ld | %ld | %ld | %s | %s | %s | %s |\n", rows[i].expert,
                rows[i].dyad, confusion_total(c), c->tp + c->fn, c->tp + c->fp, c->tp,
                fmt3(precision_of(c), p, sizeof p), fmt3(recall_of(c), r, sizeof r),
                fmt3(f1_of(c), f, sizeof f), fmt3(kappa_of(c), k, sizeof k));
    }
    fputc('\n', out);
}

static double share(long part, long whole)
{
    return whole ? (double)part / (double)whole : NAN;
}

static void write_open_closed(FILE *out, const annomi_result *a)
{
    char acc[32], strict[32], of[32], cf[32];
    fprintf(out, "**Open vs closed questions**, among therapist utterances the expert codes as an "
                 "open or closed question and dyad calls a question (a `?`). dyad's class: open "
                 "when `open_question` matched and `closed_question` did not; closed when "
                 "`open_question` did not match (MISC 2.5: a question that is not open is closed). "
                 "Where both matched the utterance counts as wrong. The strict accuracy calls a question "
                 "closed only where `closed_question` matched alone.\n\n"
                 "| half | n | accuracy | open F1 | closed F1 | both matched | neither matched | "
                 "strict accuracy |\n|---|---|---|---|---|---|---|---|\n");
    for (int h = 0; h < N_HALVES; h++) {
        const open_closed *oc = &a->oc[h];
        fprintf(out, "| %s | %ld | %s | %s | %s | %ld | %ld | %s |\n", half_name(h), oc->n,
                fmt3(open_closed_accuracy(oc), acc, sizeof acc), fmt3(f1_of(&oc->open), of, sizeof of),
                fmt3(f1_of(&oc->closed), cf, sizeof cf), oc->both, oc->neither,
                fmt3(share(oc->correct_strict, oc->n), strict, sizeof strict));
    }
    fputc('\n', out);
}

static void write_annomi(FILE *out, const annomi_result *a)
{
    fprintf(out, "## Utterance level: AnnoMI\n\n"
                 "Expert codes: AnnoMI-full, the first annotator's rows of each session (the "
                 "rows dyad reads). Therapist codes are scored on therapist utterances, client "
                 "codes on client utterances. n counts utterances; κ is Cohen's kappa.\n\n");
    for (int h = 0; h < N_HALVES; h++) {
        const half_counts *c = &a->count[h];
        fprintf(out, "### AnnoMI, %s\n\n%ld sessions, %ld therapist and %ld client utterances "
                     "(%ld of them without words for dyad, such as `[laughs]`: dyad says no to "
                     "every code there).\n\n",
                half_name(h), c->sessions, c->therapist_rows, c->client_rows, c->no_words);
        write_agreement_table(out, a->row, AN_ROWS, h);
    }
    char s[32], x[32], s2[32], x2[32];
    fprintf(out, "**Reflection recall by subtype**: simple %s (training) / %s (held-out); "
                 "complex %s / %s.\n\n",
            fmt3(share(a->reflection_simple_found[0], a->reflection_simple[0]), s, sizeof s),
            fmt3(share(a->reflection_simple_found[1], a->reflection_simple[1]), s2, sizeof s2),
            fmt3(share(a->reflection_complex_found[0], a->reflection_complex[0]), x, sizeof x),
            fmt3(share(a->reflection_complex_found[1], a->reflection_complex[1]), x2, sizeof x2));
    write_open_closed(out, a);
    if (a->role_mismatch || a->unjoined)
        fprintf(out, "Join check: %ld joined utterances had another role in dyad than in the "
                     "codes, and %ld dyad utterances had no expert row at their line.\n\n",
                a->role_mismatch, a->unjoined);
    else
        fprintf(out, "Join check: every dyad utterance found its expert row by line, with the "
                     "same role.\n\n");
}

static void write_esconv(FILE *out, const esconv_result *e)
{
    fprintf(out, "## Utterance level: ESConv\n\n"
                 "Strategy labels of the supporter's turns (the crowd workers' own labels, one "
                 "per turn), scored on supporter turns. ESConv is emotional-support chat, not "
                 "MI: it tests whether the categories carry over to other helping talk.\n\n");
    for (int h = 0; h < N_HALVES; h++) {
        const half_counts *c = &e->count[h];
        fprintf(out, "### ESConv, %s\n\n%ld dialogues, %ld supporter and %ld seeker turns (%ld "
                     "without words).\n\n",
                half_name(h), c->sessions, c->therapist_rows, c->client_rows, c->no_words);
        write_agreement_table(out, e->row, ES_ROWS, h);
    }
    if (e->role_mismatch || e->unjoined)
        fprintf(out, "Join check: %ld role mismatches, %ld dyad utterances without a label row.\n\n",
                e->role_mismatch, e->unjoined);
    else
        fprintf(out, "Join check: every dyad utterance found its labelled turn by line, with the "
                     "same role.\n\n");
}

static void write_quality_rows(FILE *out, const quality_result *q, size_t from, size_t to)
{
    fprintf(out, "| measure | AUC, training | direction | AUC, held-out | direction |\n"
                 "|---|---|---|---|---|\n");
    for (size_t k = from; k < to; k++) {
        const measure_auc *m = &q->m[k];
        char a[32], b[32];
        int d0, d1;
        double f0 = auc_folded(m->auc[HALF_TRAIN], &d0), f1 = auc_folded(m->auc[HALF_TEST], &d1);
        fprintf(out, "| %s | %s | %s | %s | %s |\n", m->def->name, fmt3(f0, a, sizeof a),
                direction_name(d0), fmt3(f1, b, sizeof b), direction_name(d1));
    }
    fputc('\n', out);
}

static void write_quality(FILE *out, const quality_result *q)
{
    fprintf(out, "## Session level: high vs low MI quality (AnnoMI)\n\n"
                 "Area under the ROC curve of each measure of dyad's sessions.csv separating the "
                 "sessions rated high MI quality from those rated low (`meta_mi_quality`), "
                 "reported as max(AUC, 1 − AUC) with its direction: \"higher in high-quality\" "
                 "when high-quality sessions have the higher values. Training half: %ld high, "
                 "%ld low sessions; held-out half: %ld high, %ld low. **With so few low-quality "
                 "sessions an AUC moves by about %.2f when one low session changes rank "
                 "against all high ones; differences below 0.1 between measures mean little, "
                 "and the best of the %zu measures on one half is an optimistic pick; the target "
                 "above therefore takes the measure with the best training AUC and scores it on "
                 "the held-out half in the direction found on training.** The measures were "
                 "listed before looking at the data.\n\n",
            q->sessions_high[0], q->sessions_low[0], q->sessions_high[1], q->sessions_low[1],
            q->sessions_low[1] ? 1.0 / (double)q->sessions_low[1] : 0.0, q->n_dyad);
    write_quality_rows(out, q, 0, q->n_dyad);
    fprintf(out, "For reference, the same kind of measures from the expert codes themselves (not "
                 "from dyad):\n\n");
    write_quality_rows(out, q, q->n_dyad, q->n);
}

/* One row of the error profile: a label and a count per half. */
static void profile_row(FILE *out, const char *label, long train, long test)
{
    fprintf(out, "| %s | %ld | %ld |\n", label, train, test);
}

static long sum_behaviours(const miss_profile *m)
{
    long n = 0;
    for (int b = 0; b < N_BEHAVIOURS; b++) n += m->fp_by_behaviour[b];
    return n;
}

static void write_profile(FILE *out, const annomi_result *a)
{
    const miss_profile *q = a->question_miss, *v = a->advice_miss;
    const open_closed *oc = a->oc;
    char label[256];
    fprintf(out, "## Where the disagreements are (AnnoMI)\n\n"
                 "Counts of therapist utterances, to read with the text below.\n\n"
                 "| | training | held-out |\n|---|---|---|\n");
    profile_row(out, "**question**: a `?`, not coded a question", sum_behaviours(&q[0]),
                sum_behaviours(&q[1]));
    profile_row(out, "… coded a reflection instead", q[0].fp_by_behaviour[BEH_REFLECTION],
                q[1].fp_by_behaviour[BEH_REFLECTION]);
    snprintf(label, sizeof label, "… in the 3 sessions with the most (training: %s; held-out: %s)",
             q[0].top_sessions, q[1].top_sessions);
    profile_row(out, label, q[0].fp_top, q[1].fp_top);
    profile_row(out, "coded a question, no `?` in the text", q[0].fn_no_mark, q[1].fn_no_mark);
    profile_row(out, "**open vs closed**: coded open, dyad closed (no open form found)",
                oc[0].open_as_closed, oc[1].open_as_closed);
    profile_row(out, "coded closed, dyad open", oc[0].closed_as_open, oc[1].closed_as_open);
    profile_row(out, "both categories matched", oc[0].both, oc[1].both);
    profile_row(out, "**advice**: `directive` matched, not coded advice", sum_behaviours(&v[0]),
                sum_behaviours(&v[1]));
    profile_row(out, "… coded a reflection", v[0].fp_by_behaviour[BEH_REFLECTION],
                v[1].fp_by_behaviour[BEH_REFLECTION]);
    profile_row(out, "… coded a question", v[0].fp_by_behaviour[BEH_QUESTION],
                v[1].fp_by_behaviour[BEH_QUESTION]);
    profile_row(out, "… coded other therapist input (information, options, negotiation)",
                v[0].fp_by_behaviour[BEH_INPUT], v[1].fp_by_behaviour[BEH_INPUT]);
    profile_row(out, "… coded other", v[0].fp_by_behaviour[BEH_OTHER],
                v[1].fp_by_behaviour[BEH_OTHER]);
    const confusion *ad0 = &a->row[AN_ADVICE].half[0], *ad1 = &a->row[AN_ADVICE].half[1];
    profile_row(out, "coded advice, `directive` not matched", ad0->fn, ad1->fn);
    profile_row(out, "… of them a fragment (the row starts or ends with a dash)", v[0].fn_fragment,
                v[1].fn_fragment);
    fputc('\n', out);
}

void write_report(FILE *out, const report_input *in)
{
    write_header(out, in);
    write_targets(out, in);
    write_annomi(out, in->annomi);
    if (in->esconv) write_esconv(out, in->esconv);
    write_quality(out, in->quality);
    write_profile(out, in->annomi);
    if (in->notes) fprintf(out, "%s", in->notes);
}
