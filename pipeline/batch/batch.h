/* batch.h: the pipeline over a whole batch of inputs.
 *
 * For each input file, in session_id order: read it (readers/), give its
 * speakers their roles (model/roles.h), analyse each session (analysis/)
 * and format its report rows (writers/); then write everything through one
 * report_set so the reports appear complete or not at all. */
#ifndef DYAD_BATCH_H
#define DYAD_BATCH_H

#include "analysis/analysis.h"
#include "analysis/lexicon.h"
#include "batch/inputs.h"
#include "model/roles.h"
#include "readers/reader.h"
#include "util/diag.h"
#include "writers/reports.h"

typedef struct batch_config {
    const lexicon *lexicon;
    reader_options reader;
    analysis_options analysis;
    const char *out_dir;
    const char *command;        /* for run.csv */
    const char *version;
    int quiet;                  /* -q: print errors only, no warnings or summary */
    size_t jobs;                /* files analysed at once (-j; the main thread is one of
                                   them, but for -j 1 with matches.csv); 0 means 1 */
    report_choice reports;      /* --utterances, --include-text */
} batch_config;

/* Analyse the inputs and write the reports. `d` holds the messages gathered
 * before the batch (missing paths, duplicate ids) and receives the rest.
 * Returns the exit status: 0 all analysed, 1 some inputs failed, 2 nothing
 * could be done (the reports could not be written). */
int batch_run(const batch_config *cfg, const input_list *inputs, diag_list *d);

#endif
