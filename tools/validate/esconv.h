/* esconv.h: ESConv dialogues (JSON lines) as a CSV file dyad reads.
 *
 * ESConv is not a transcript format dyad reads, so the validation converts
 * it: one CSV row per turn, `session_id,speaker,role,text,strategy,part`,
 * where `session_id` is the dialogue's index counted from 0 over the files
 * in the order given (the split rule uses its parity), `speaker` is `supporter`
 * (ESConv "sys") or `seeker` ("usr"), `role` is `therapist` or `client`, and
 * `strategy` is the supporter turn's label (empty for the seeker). `part` is
 * the file's name without folders and `.jsonl` (constant in a dialogue, so
 * dyad carries it as meta_part). Line breaks and other control characters
 * in a turn become spaces, so row k of the file (from 1) is on line k + 1:
 * that line is the key that joins dyad's utterances.csv back to the labels. */
#ifndef DYAD_VALIDATE_ESCONV_H
#define DYAD_VALIDATE_ESCONV_H

#include <stddef.h>
#include <stdio.h>

/* Write the CSV of every dialogue of the files `paths` to `out`. Returns the
 * number of dialogues, or -1 with a message naming the file, the line and
 * the fix in `err`. */
long esconv_convert(const char *const *paths, size_t n_paths, FILE *out, char *err,
                    size_t err_size);

/* Convert one JSON line (the dialogue numbered `index`, from file part
 * `part`) and append its rows to `out`. Returns 0, or -1 with a message
 * without the file and line (the caller adds them) in `err`. */
int esconv_convert_line(const char *json, size_t n, long index, const char *part, FILE *out,
                        char *err, size_t err_size);

#endif
