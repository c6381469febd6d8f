/* reader.c: the table of formats and how a file finds its reader. */
#include "readers/reader.h"

#include <string.h>
#include <strings.h>

static const char *const TXT_EXT[] = {"txt", NULL};
static const char *const CSV_EXT[] = {"csv", "tsv", NULL};
static const char *const CHAT_EXT[] = {"cha", NULL};
static const char *const VTT_EXT[] = {"vtt", NULL};
static const char *const SRT_EXT[] = {"srt", NULL};
static const char *const EAF_EXT[] = {"eaf", NULL};
static const char *const TEXTGRID_EXT[] = {"textgrid", NULL};
static const char *const TEI_EXT[] = {"xml", NULL};
static const char *const NO_EXT[] = {NULL};

/* Content sniffing goes in this order: the most specific signatures first,
 * plain text (no sniffer) last. TalkBank XML and TEI share the .xml
 * extension; a .xml file is sniffed to choose between them. CSV stays the
 * last sniffer: reader_by_signature leaves it out for that reason. */
static const reader_format FORMATS[] = {
    {"vtt", VTT_EXT, sniff_vtt, read_vtt},
    {"chat", CHAT_EXT, sniff_chat, read_chat},
    {"eaf", EAF_EXT, sniff_eaf, read_eaf},
    {"textgrid", TEXTGRID_EXT, sniff_textgrid, read_textgrid},
    {"talkbank", NO_EXT, sniff_talkbank, read_talkbank},
    {"tei", TEI_EXT, sniff_tei, read_tei},
    {"srt", SRT_EXT, sniff_srt, read_srt},
    {"csv", CSV_EXT, sniff_csv, read_csv},
    {"txt", TXT_EXT, NULL, read_txt},
};

#define N_FORMATS (sizeof FORMATS / sizeof FORMATS[0])

const reader_format *reader_by_name(const char *name)
{
    for (size_t i = 0; i < N_FORMATS; i++)
        if (strcasecmp(FORMATS[i].name, name) == 0) return &FORMATS[i];
    return NULL;
}

const reader_format *reader_by_extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    if (!dot || dot[1] == '\0') return NULL;
    for (size_t i = 0; i < N_FORMATS; i++)
        for (const char *const *e = FORMATS[i].extensions; *e; e++)
            if (strcasecmp(*e, dot + 1) == 0) return &FORMATS[i];
    return NULL;
}

/* The first format whose sniff accepts head; CSV's only when with_csv. */
static const reader_format *sniff_formats(const char *head, size_t n, int with_csv)
{
    for (size_t i = 0; i < N_FORMATS; i++) {
        if (!with_csv && FORMATS[i].read == read_csv) continue;
        if (FORMATS[i].sniff && FORMATS[i].sniff(head, n)) return &FORMATS[i];
    }
    return NULL;
}

const reader_format *reader_by_content(const char *head, size_t n)
{
    return sniff_formats(head, n, 1);
}

const reader_format *reader_by_signature(const char *head, size_t n)
{
    return sniff_formats(head, n, 0);
}

const char *reader_names(void)
{
    return "txt, csv, chat, vtt, srt, eaf, textgrid, tei, talkbank";
}

char *reader_load_bytes(const reader_input *in, size_t *len, diag_list *d)
{
    if (in->pre && in->pre->bytes) {
        char *bytes = in->pre->bytes;
        *len = in->pre->len;
        in->pre->bytes = NULL;
        return bytes;
    }
    return source_read_bytes(in->path, in->source, len, d);
}

int reader_load_text(const reader_input *in, text_file *tf, diag_list *d)
{
    if (!in->pre || !in->pre->bytes) return text_load(tf, in->path, in->source, d);
    size_t len;
    char *bytes = reader_load_bytes(in, &len, d);
    return text_adopt_bytes(tf, bytes, len, in->source, d);
}
