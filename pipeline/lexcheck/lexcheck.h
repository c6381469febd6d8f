/* lexcheck.h: `dyad lexicon check`, which reads lexicon files (.lex files,
 * folders of them, LIWC .dic dictionaries) and reports what is wrong or
 * useless in them: errors, duplicate rules, rules that another rule of the
 * same category shadows or makes redundant, exceptions that never apply,
 * and, run over a corpus, how often each rule counted a match and which
 * never did. See docs/dic.md ("dyad lexicon check"). */
#ifndef DYAD_LEXCHECK_H
#define DYAD_LEXCHECK_H

#include "analysis/lexicon.h"
#include "readers/reader.h"
#include "util/buf.h"
#include "util/diag.h"

#include <stddef.h>

/* The subcommand; argv[0] is "check". Returns the exit status: 0 nothing
 * found, 1 warnings, 2 errors or a usage error. */
int lexicon_check_main(int argc, char **argv);

/* What the rules show by themselves, one warning each in rule order, named
 * by the rule's file and line:
 *   a phrase whose every match another phrase of the category, earlier in
 *   rule order, also makes (same words, or prefixes covering them, and no
 *   ^ the first lacks): it never counts ("shadowed");
 *   the same with the other phrase later: it counts only in that one's
 *   place ("redundant");
 *   a phrase exception that no rule of its category can overlap.
 * Regexes are not compared. Two rules of one .dic file are not compared
 * either: LIWC's most specific entry decides between them by design.
 * Returns the number of warnings added. */
size_t lexcheck_overlaps(const lexicon *lx, diag_list *d);

typedef struct corpus_totals {
    size_t files, files_failed, sessions, utterances, words;
} corpus_totals;

typedef struct corpus_options {
    reader_options reader;           /* roles, columns, tiers */
    const reader_format *forced;     /* --format, or NULL */
} corpus_options;

/* Add to fired[rule] the counted matches (after exceptions and
 * leftmost-longest) of every utterance of every transcript under the paths,
 * read as a run reads them. fired has lexicon_rule_count(lx) entries. The
 * transcripts' problems go to d. The lexicon must be finished. */
void lexcheck_count(const lexicon *lx, const char *const *paths, size_t n, const corpus_options *opt,
                    size_t *fired, corpus_totals *t, diag_list *d);

/* The CSV report: rule,category,text,fired; fired is empty when NULL. */
void lexcheck_csv(buf *out, const lexicon *lx, const size_t *fired);

#endif
