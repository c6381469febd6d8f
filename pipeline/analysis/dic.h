/* dic.h: LIWC dictionaries (.dic, as LIWC2001, LIWC2007 and LIWC2015 write
 * them) loaded into a lexicon (--dic FILE; see docs/dic.md).
 *
 *   %
 *   1   funct                 the category block: "ID name" per line;
 *   2       pronoun           leading tabs nest a category under the one above
 *   %
 *   a       1 10              an entry: a word, "stem*" or a phrase, then IDs
 *   kind of 12
 *   like    (02 134)125/464 253    125 after a word of 02 or 134, else 464
 *   kind    <of>131/125            131 before "of", else 125
 *
 * Every category becomes the lexicon category "dic_" + its name (lowercase,
 * any character outside [a-z0-9_] as "_"); every entry one rule per
 * category, whose id is FILE:LINE of the entry. As in LIWC, a word gets the
 * categories of its most specific entry: the word itself if listed, else the
 * longest "stem*" it starts with. Load every dictionary before
 * lexicon_finish. */
#ifndef DYAD_DIC_H
#define DYAD_DIC_H

#include "analysis/lexicon.h"
#include "util/diag.h"

#include <stddef.h>

/* Load a .dic file into lx. Problems are messages naming FILE:LINE; an error
 * (not a dictionary, a bad category block, a name another file already
 * uses) returns -1, after every line has been checked. Entries that cannot
 * be used are skipped with a warning and do not fail the load. */
int dic_load(lexicon *lx, const char *path, diag_list *d);
/* The same from memory (tests, fuzzers); `name` plays the file's path. */
int dic_load_text(lexicon *lx, const char *name, const char *text, size_t len, diag_list *d);

/* The lexicon category name for a .dic category name: "dic_" + the name,
 * ASCII letters lowercased, every other character but digits and "_" as
 * "_". A new string. */
char *dic_category_name(const char *name, size_t len);

/* Whether a path names a .dic file (by its extension, any case). */
int dic_is_dic_path(const char *path);

#endif
