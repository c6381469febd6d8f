/* utf8.h: the few Unicode facts the pipeline needs.
 *
 * Decoding and encoding UTF-8, repairing invalid input, and classifying and
 * case-folding the code points that make up words. dyad has no Unicode
 * library dependency: letters are known by block (Latin, Greek, Cyrillic and
 * every other script's letters count as word characters; punctuation,
 * symbols, spaces and emoji blocks do not), and case folding covers ASCII,
 * Latin-1, Latin Extended-A, Greek and Cyrillic. */
#ifndef DYAD_UTF8_H
#define DYAD_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/* Decode the code point at s[0..n). Returns the number of bytes used (1 to 4)
 * and stores the code point in *cp; an invalid or truncated sequence (overlong
 * forms, surrogates, values above U+10FFFF included) uses 1 byte and gives
 * UTF8_REPLACEMENT with *valid = 0. n must be > 0. */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp, int *valid);
/* Encode cp into out (4 bytes room); returns the byte count. */
size_t utf8_encode(uint32_t cp, char *out);
/* Copy s[0..n) to a new NUL-terminated string with every invalid sequence
 * replaced by U+FFFD. *bad gets the number of replacements. */
char *utf8_repair(const char *s, size_t n, size_t *bad);
/* Nonzero when every byte of s[0..n) forms valid UTF-8. */
int utf8_valid(const char *s, size_t n);

/* A letter or digit of any script: the characters that make up a word. */
int utf8_is_word_char(uint32_t cp);
/* Lower-case mapping for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic;
 * other code points are returned unchanged. */
uint32_t utf8_fold(uint32_t cp);

#endif
