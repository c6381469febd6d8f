/* fuzz_reader.c: a libFuzzer target for one transcript reader and everything
 * after it.
 *
 * Compiled once per reader with -DREADER=read_csv (read_txt, read_chat, ...).
 * Each input is written to an anonymous memory file (memfd_create) and read
 * through /proc/self/fd/N, the path every reader expects. Each session the
 * reader yields then goes the way batch.c sends it: roles, time
 * normalisation, the analysis with a small fixed lexicon, and every report
 * row formatter, so the analysis and the writers are fuzzed too. Every
 * utterance is also split both ways, 64 bytes at a time as the analysis
 * does and byte by byte, and the two word lists must be the same. Every
 * input also goes through the content sniffers (reader_by_content). */
#define _GNU_SOURCE
#include "analysis/analysis.h"
#include "analysis/lexicon.h"
#include "analysis/words.h"
#include "model/roles.h"
#include "readers/reader.h"
#include "util/buf.h"
#include "util/diag.h"
#include "writers/meta_table.h"
#include "writers/reports.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef READER
#error "compile with -DREADER=read_<format>"
#endif

/* The categories analysis.c looks up by name, plus a prefix rule, an
 * anchored rule, a regex and an exception. */
static const char FUZZ_LEXICON[] =
    "[directive] tells\nyou should\nneed to\n^try\n! you don't need to\n"
    "[collaborative] asks\nwhat do you think\nwe could\n"
    "[autonomy] leaves it\nup to you\nyour choice\n"
    "[backchannel] minimal\nmm-hmm\nyeah\nokay\n"
    "[open_question] open\n^what\n^how\n/^(?:tell|say) me\\b/\n"
    "[closed_question] closed\n^do you\n^is it\n"
    "[feeling] feelings\nfeel*\nsad\n/\\b(?:angry|upset)\\b/\n";

/* Built once by LLVMFuzzerInitialize and only read afterwards, as in dyad. */
static lexicon *fuzz_lexicon;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    diag_list d = {0};
    fuzz_lexicon = lexicon_new();
    if (lexicon_load_text(fuzz_lexicon, "fuzz.lex", FUZZ_LEXICON, sizeof FUZZ_LEXICON - 1, &d) != 0 ||
        lexicon_finish(fuzz_lexicon, &d) != 0) {
        for (size_t i = 0; i < d.n; i++) diag_print(&d.items[i], stderr);
        abort();
    }
    diag_free(&d);
    return 0;
}

/* The bytes in a memory file; returns its descriptor, or -1. */
static int memory_file(const uint8_t *data, size_t size)
{
    int fd = memfd_create("dyad-fuzz", MFD_CLOEXEC);
    if (fd < 0) return -1;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    return fd;
}

/* The tokenizer's padded split (windows of 64 bytes) against its byte-by-
 * byte one, on every utterance of the session: any difference aborts. */
static void split_both_ways(const session *s)
{
    word_list a = {0}, b = {0};
    for (size_t i = 0; i < s->n_utts; i++) {
        const utterance *u = &s->utts[i];
        words_split_padded(u->text, u->text_len, &a);
        words_split(u->text, &b);
        int same = a.n == b.n && a.text_len == b.text_len && memcmp(a.text, b.text, b.text_len) == 0 &&
                   a.has_question == b.has_question && a.question_sentence == b.question_sentence &&
                   a.cut_off == b.cut_off;
        for (size_t k = 0; same && k < b.n; k++)
            same = a.w[k].off == b.w[k].off && a.w[k].len == b.w[k].len && a.w[k].sentence == b.w[k].sentence &&
                   a.w[k].sentence_start == b.w[k].sentence_start && a.w[k].plain == b.w[k].plain;
        if (!same) {
            fprintf(stderr, "words_split_padded and words_split differ on utterance %zu\n", i);
            abort();
        }
    }
    word_list_free(&a);
    word_list_free(&b);
}

/* What batch.c does with one session, reports kept in memory. */
static void analyse_and_format(session *s, const role_map *roles, diag_list *d)
{
    split_both_ways(s);
    static const analysis_options aopt = {.keep_matches = 1, .segments = 3, .window = 20.0, .step = 10.0};
    static const report_choice choice = {.utterances = 1, .include_text = 1};
    roles_assign(s, roles, d);
    session_normalise_times(s, d);
    session_result r;
    analyse_session(s, fuzz_lexicon, &aopt, &r, d);
    buf rows = {0};
    meta_table meta = {0};
    sessions_csv_row(&rows, s, &r, fuzz_lexicon);
    meta_table_add_row(&meta, rows.len, s);
    meta_table_cells(&meta, 0, &rows);
    speakers_csv_rows(&rows, s, &r);
    matches_csv_rows(&rows, s, &r, fuzz_lexicon);
    segments_csv_rows(&rows, s, &r);
    windows_csv_rows(&rows, s, &r);
    utterances_csv_rows(&rows, s, &r, fuzz_lexicon, &choice);
    errors_csv_rows(&rows, d);
    meta_table_free(&meta);
    buf_free(&rows);
    session_result_free(&r);
}

/* The content sniffers see the first bytes of every input, as input_format
 * (batch/inputs.c) hands them over: at most 4095 bytes, NUL-terminated. */
static void sniff(const uint8_t *data, size_t size)
{
    char head[4096];
    size_t n = size < sizeof head - 1 ? size : sizeof head - 1;
    memcpy(head, data, n);
    head[n] = '\0';
    const reader_format *f = reader_by_content(head, n);
    if (f && (!f->name || !f->read)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sniff(data, size);
    int fd = memory_file(data, size);
    if (fd < 0) abort();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    reader_input in = {.path = path, .source = "fuzz", .session_id = "fuzz"};
    role_map roles = {0};
    reader_options opt = {.roles = &roles};
    session_list sessions = {0};
    diag_list d = {0};
    int rc = READER(&in, &opt, &sessions, &d);
    /* the interface: -1 comes with an error, and leaves `out` unchanged */
    if (rc != 0 && (diag_count(&d, SEV_ERROR) == 0 || sessions.n != 0)) abort();
    for (size_t i = 0; i < sessions.n; i++) analyse_and_format(&sessions.items[i], &roles, &d);
    session_list_free(&sessions);
    diag_free(&d);
    close(fd);
    return 0;
}
