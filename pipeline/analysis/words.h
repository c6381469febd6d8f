/* words.h: splitting an utterance's text into words and sentences.
 *
 * A word is a maximal run of letters and digits of any script; an apostrophe
 * (' or U+2019) or a hyphen between two word characters stays inside it
 * ("don't", "self-esteem", "mm-hmm"). Words are case-folded and U+2019 is
 * stored as '. Text inside [...] or (...) is transcriber annotation and is
 * skipped; an unclosed bracket is ignored and the text after it counted. A
 * sentence starts at the first word and at the first word after . ! ? or the
 * ellipsis character. */
#ifndef DYAD_WORDS_H
#define DYAD_WORDS_H

#include <stddef.h>
#include <stdint.h>

typedef struct word {
    uint32_t off;             /* offset of the folded word in word_list.text */
    uint32_t len;             /* its length in bytes */
    uint32_t sentence;        /* 0-based sentence number within the utterance */
    uint8_t sentence_start;   /* 1 for the first word of a sentence */
    uint8_t plain;            /* 1: only ASCII letters and digits (0 is always safe to say) */
} word;

typedef struct word_list {
    char *text;               /* folded words, each NUL-terminated, back to back
                                 (words_split puts 8 more NULs after them) */
    size_t text_len, text_cap;
    word *w;
    size_t n, cap;
    int has_question;         /* a '?' outside annotations */
    uint32_t question_sentence; /* the first sentence ended by '?' (0 when none) */
    int cut_off;              /* the text ends in "--" or an em dash (after annotations) */
    int split;                /* 1: made by words_split, so the words are valid UTF-8
                                 and lie back to back in text (each word's off is the
                                 end of the one before plus its NUL), text is padded,
                                 and each word's sentence is its sentence's index, the
                                 first word of each marked sentence_start; 0 (a list
                                 made by hand): none of that is known. The lexicon
                                 matcher trusts it: whoever changes a split list's
                                 words or text by hand must set it to 0 */
} word_list;

/* Split text into words, replacing what `out` held before (its memory is
 * reused, so one word_list can serve a whole session). */
void words_split(const char *text, word_list *out);
/* words_split for a text of len bytes (strlen(text), known) after whose
 * NUL WORDS_SPLIT_PAD more bytes can be read, whatever they hold (an
 * utterance's can: UTTERANCE_READ_PAD). That lets the tokenizer take the
 * text 64 bytes at a time, and 8 at a time where it goes byte by byte;
 * the list is the same as words_split's. */
#define WORDS_SPLIT_PAD 79
void words_split_padded(const char *text, size_t len, word_list *out);
/* words_split_padded with the 16-byte SSE2 windows only, whatever the CPU
 * has (the tests compare the two ways). */
void words_split_padded_narrow(const char *text, size_t len, word_list *out);
/* The folded word i as a NUL-terminated string. */
static inline const char *word_at(const word_list *wl, size_t i)
{
    return wl->text + wl->w[i].off;
}
void word_list_free(word_list *wl);

#endif
