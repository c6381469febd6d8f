/* chat.c: placeholder until the chat reader lands; refuses every file. */
#include "readers/reader.h"

int sniff_chat(const char *head, size_t n)
{
    (void)head;
    (void)n;
    return 0;
}

int read_chat(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d)
{
    (void)opt;
    (void)out;
    diag_add(d, in->source, 0, SEV_ERROR, "the chat reader is not available yet");
    return -1;
}
