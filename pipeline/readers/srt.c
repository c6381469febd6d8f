/* srt.c: placeholder until the srt reader lands; refuses every file. */
#include "readers/reader.h"

int sniff_srt(const char *head, size_t n)
{
    (void)head;
    (void)n;
    return 0;
}

int read_srt(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d)
{
    (void)opt;
    (void)out;
    diag_add(d, in->source, 0, SEV_ERROR, "the srt reader is not available yet");
    return -1;
}
