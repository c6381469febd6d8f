/* gencorpus.c: writes synthetic therapy-session corpora for benchmarking
 * dyad (make bench, docs/performance.md).
 *
 *   gencorpus [-f FORMAT] [-s SEED] [-z MIN-MAX] [-d PER_DIR] [-L LEXICONS]
 *             [-b BYTES] [-n FILES] OUTDIR
 *
 * Each file is one session of a therapist and a client: alternating turns
 * (therapist 5-40 words, client 3-80, some backchannels such as "Mm-hmm."),
 * sentences of Zipf-distributed words from a vocabulary of common English
 * words and made-up English-looking ones, questions, commas, transcriber
 * notes like [laughs], occasional timestamps, and the lexicons' phrases
 * (every plain phrase line of the .lex files in LEXICONS, read at run time)
 * sprinkled in: about 2 per 100 words for the therapist, 0.6 for the
 * client, and sentence-initial imperatives ("^try") now and then.
 *
 * Files go to OUTDIR/site01/s0001.EXT, PER_DIR files a folder. The output is
 * a pure function of the options: file i is drawn from its own random
 * stream (seed, i), so the same seed gives the same bytes.
 *
 * Standalone on purpose (libc only): it is a tool, not part of the pipeline. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char USAGE[] =
    "usage: gencorpus [OPTIONS] OUTDIR\n"
    "Write a synthetic corpus of therapy sessions into OUTDIR/siteNN/sNNNN.EXT.\n"
    "\n"
    "  -b BYTES     stop once about BYTES have been written (suffix K, M or G = 10^3, 10^6, 10^9)\n"
    "  -n FILES     stop after FILES files (at least one of -b and -n is needed)\n"
    "  -f FORMAT    txt (default), csv, cha, vtt, srt, eaf, textgrid, tei, or mixed (formats in turn)\n"
    "  -s SEED      random seed (default 1); the same options give the same files\n"
    "  -z MIN-MAX   size range of one file in bytes (default 20K-60K)\n"
    "  -d PER_DIR   files per site folder (default 500)\n"
    "  -L PATH      lexicon folder or .lex file whose phrases are sprinkled in (default lexicons)\n"
    "  -q           print nothing on success\n"
    "  -h           this help\n";

/* ---- allocation and output buffers ---------------------------------------- */

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gencorpus: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) die("out of memory (%zu bytes)", n);
    return q;
}

/* Make room for `want` elements of `size` bytes in *p (capacity *cap). */
static void *xgrow(void *p, size_t *cap, size_t want, size_t size)
{
    if (want <= *cap) return p;
    size_t n = *cap ? *cap : 16;
    while (n < want) n *= 2;
    *cap = n;
    return xrealloc(p, n * size);
}

static char *xstrndup(const char *s, size_t n)
{
    char *d = xrealloc(NULL, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

typedef struct obuf {
    char *p;
    size_t len, cap;
} obuf;

static void put_mem(obuf *o, const char *s, size_t n)
{
    o->p = xgrow(o->p, &o->cap, o->len + n + 1, 1);
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

static void put_str(obuf *o, const char *s)
{
    put_mem(o, s, strlen(s));
}

static void put_chr(obuf *o, char c)
{
    put_mem(o, &c, 1);
}

static void put_fmt(obuf *o, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) die("internal error: formatted field too long");
    put_mem(o, tmp, (size_t)n);
}

/* ---- random numbers: splitmix64 seeds xoshiro256** ------------------------ */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* A stream for (seed, stream): file i of a corpus uses stream i. */
static void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03u);
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1). */
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform in [0, n). */
static uint32_t rng_below(rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [lo, hi]. */
static uint32_t rng_range(rng *r, uint32_t lo, uint32_t hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

static int rng_chance(rng *r, double p)
{
    return rng_unit(r) < p;
}

/* ---- the vocabulary ------------------------------------------------------- */

/* Common words of spoken English, most frequent first (roughly as in
 * conversation), then everyday and therapy-room content words. Their order
 * is their Zipf rank; made-up words follow them. */
static const char *const COMMON_WORDS[] = {
    "I", "you", "the", "and", "to", "a", "it", "that", "know", "like", "of", "yeah", "was",
    "in", "so", "is", "just", "but", "my", "what", "it's", "I'm", "me", "we", "don't",
    "this", "have", "do", "not", "they", "he", "she", "be", "with", "for", "on", "think",
    "about", "really", "all", "can", "um", "get", "there", "if", "or", "had", "go", "well",
    "right", "one", "at", "when", "then", "been", "are", "kind", "of", "feel", "because",
    "how", "people", "going", "would", "time", "want", "said", "more", "some", "things",
    "her", "him", "his", "them", "no", "up", "out", "now", "even", "thing", "good",
    "very", "much", "were", "say", "little", "from", "something", "mean", "maybe",
    "could", "did", "yes", "work", "back", "an", "see", "as", "uh", "week", "okay", "got",
    "that's", "there's", "lot", "make", "sort", "kind", "always", "never", "still", "too",
    "because", "why", "where", "who", "which", "will", "should", "need", "try", "trying",
    "felt", "feeling", "bit", "pretty", "sure", "actually", "probably", "other", "any",
    "anything", "everything", "nothing", "someone", "our", "their", "your", "I've",
    "I'll", "I'd", "you're", "can't", "didn't", "wasn't", "isn't", "doesn't", "won't",
    "he's", "she's", "they're", "we're", "let", "take", "come", "came", "went", "told",
    "tell", "talk", "talking", "help", "way", "day", "days", "year", "years", "last",
    "first", "next", "same", "different", "again", "over", "into", "through", "after",
    "before", "around", "down", "off", "by", "than", "only", "also", "though", "these",
    "those", "here", "every", "many", "few", "most", "own", "long", "new", "old", "big",
    "bad", "hard", "better", "best", "worse", "enough", "whole", "part", "keep", "start",
    "stop", "give", "put", "look", "find", "use", "call", "seem", "leave", "ask", "happen",
    "happened", "made", "done", "doing", "being", "having", "getting", "saying", "went",
};

static const char *const CONTENT_WORDS[] = {
    "family", "mom", "dad", "mother", "father", "sister", "brother", "kids", "son",
    "daughter", "husband", "wife", "partner", "friend", "friends", "boss", "job", "home",
    "house", "school", "money", "sleep", "night", "morning", "weekend", "drink",
    "drinking", "smoking", "alcohol", "stress", "stressed", "anxious", "anxiety", "worry",
    "worried", "sad", "angry", "upset", "tired", "scared", "afraid", "happy", "hope",
    "hopeful", "lonely", "guilty", "ashamed", "frustrated", "overwhelmed", "calm",
    "relaxed", "mood", "thoughts", "feelings", "body", "heart", "head", "doctor",
    "medication", "therapy", "session", "appointment", "goal", "goals", "plan", "change",
    "choice", "decision", "problem", "problems", "reason", "reasons", "idea", "question",
    "answer", "situation", "relationship", "conversation", "argument", "fight", "exercise",
    "walk", "gym", "food", "eating", "weight", "health", "healthy", "pain", "week",
    "month", "months", "today", "tomorrow", "yesterday", "lately", "sometimes", "usually",
    "often", "ever", "already", "anymore", "somehow", "honestly", "basically", "exactly",
    "important", "difficult", "easy", "possible", "ready", "able", "willing", "careful",
    "safe", "normal", "strange", "weird", "crazy", "fine", "great", "nice", "awful",
    "terrible", "worst", "support", "progress", "step", "steps", "habit", "habits",
    "craving", "cravings", "relapse", "trigger", "triggers", "phone", "car", "office",
    "party", "birthday", "holiday", "dinner", "lunch", "coffee", "cigarette", "beer",
    "wine", "bottle", "bed", "room", "kitchen", "street", "town", "city", "hospital",
    "nurse", "teacher", "class", "test", "project", "meeting", "email", "message",
    "minute", "minutes", "hour", "hours", "moment", "chance", "point", "side", "matter",
    "sense", "mind", "memory", "story", "picture", "future", "past", "life", "world",
    "everyone", "anyone", "somebody", "nobody", "myself", "yourself", "himself",
    "herself", "ourselves", "themselves", "remember", "forget", "forgot", "believe",
    "understand", "realize", "notice", "noticed", "wonder", "guess", "decide", "decided",
    "manage", "handle", "deal", "cope", "avoid", "care", "worked", "working", "lost",
    "losing", "win", "learn", "learned", "change", "changed", "quit", "cut", "stay",
    "stayed", "moved", "move", "live", "living", "buy", "bought", "pay", "paid", "spend",
    "spent", "wait", "waiting", "watch", "watched", "read", "write", "wrote", "played",
    "cried", "yelled", "laughed", "slept", "woke", "drove", "walked", "texted", "called",
};

/* Pieces of made-up words that look like English: syllables of an onset,
 * a vowel and (mostly at the end of the word) a coda, then a suffix. */
static const char *const ONSETS[] = {
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
    "y", "bl", "br", "ch", "cl", "cr", "dr", "fl", "fr", "gr", "pl", "pr", "sh", "sl",
    "sp", "st", "th", "tr", "wh", "", "", "",
};
static const char *const NUCLEI[] = {
    "a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ea", "ee", "oa", "oo", "ou", "ie",
};
static const char *const INNER_CODAS[] = {"", "", "", "", "", "n", "r", "l", "s", "m", "t"};
static const char *const FINAL_CODAS[] = {
    "", "", "", "b", "ck", "d", "g", "l", "ll", "m", "n", "nd", "ng", "nk", "nt", "p",
    "r", "rd", "s", "sh", "st", "t", "th", "x",
};
static const char *const SUFFIXES[] = {
    "", "", "", "", "", "", "", "", "s", "s", "ing", "ed", "er", "ly", "y", "ness", "ment",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define VOCAB_SIZE 4000
/* Zipf-Mandelbrot: the word of rank r (from 1) has weight 1 / (r + Q)^S. */
#define ZIPF_Q 2.7

typedef struct vocab {
    const char *word[VOCAB_SIZE];
    uint8_t len[VOCAB_SIZE];
    double cum[VOCAB_SIZE];    /* cumulative weights, for sampling */
    char *made_up;             /* the made-up words, NUL-separated */
} vocab;

#define PICK(r, a) (a)[rng_below((r), (uint32_t)COUNT(a))]

/* One made-up word of 1-3 syllables and a suffix, into out (64 bytes). */
static size_t made_up_word(rng *r, char *out)
{
    size_t n = 0;
    double u = rng_unit(r);
    int syllables = u < 0.45 ? 1 : u < 0.9 ? 2 : 3;
    for (int i = 0; i < syllables; i++) {
        const char *coda = i + 1 < syllables ? PICK(r, INNER_CODAS) : PICK(r, FINAL_CODAS);
        const char *parts[3] = {PICK(r, ONSETS), PICK(r, NUCLEI), coda};
        for (int k = 0; k < 3; k++)
            for (const char *c = parts[k]; *c; c++) out[n++] = *c;
    }
    for (const char *c = PICK(r, SUFFIXES); *c; c++) out[n++] = *c;
    if (n == 0) out[n++] = 'o';
    out[n] = '\0';
    return n;
}

/* The same vocabulary for every seed, so corpora of different seeds are
 * comparable; only the sampling follows the seed. */
static void vocab_build(vocab *v)
{
    size_t n = 0;
    for (size_t i = 0; i < COUNT(COMMON_WORDS); i++) v->word[n++] = COMMON_WORDS[i];
    for (size_t i = 0; i < COUNT(CONTENT_WORDS); i++) v->word[n++] = CONTENT_WORDS[i];
    size_t made = VOCAB_SIZE - n;
    v->made_up = xrealloc(NULL, made * 64);
    rng r;
    rng_seed(&r, 0x6479616421u, 0);
    char *at = v->made_up;
    for (; n < VOCAB_SIZE; n++) {
        size_t len = made_up_word(&r, at);
        v->word[n] = at;
        at += len + 1;
    }
    double total = 0;
    for (size_t i = 0; i < VOCAB_SIZE; i++) {
        v->len[i] = (uint8_t)strlen(v->word[i]);
        total += 1.0 / ((double)i + 1 + ZIPF_Q);
        v->cum[i] = total;
    }
}

/* A word by Zipf rank-frequency sampling (binary search of the weights). */
static size_t vocab_draw(const vocab *v, rng *r)
{
    double u = rng_unit(r) * v->cum[VOCAB_SIZE - 1];
    size_t lo = 0, hi = VOCAB_SIZE - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v->cum[mid] > u) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

/* ---- lexicon phrases ------------------------------------------------------ */

typedef struct phrase {
    char *text;
    unsigned words;
    uint32_t category;         /* index into phrase_list.categories */
    uint32_t order;            /* as read, to keep sorting stable */
} phrase;

/* The phrases of one category, a range of phrase_list.anywhere. */
typedef struct phrase_range {
    uint32_t start, count;
} phrase_range;

/* Speakers draw a category first, then one of its phrases, so that a
 * category with hundreds of phrases is not said hundreds of times more
 * often than one with ten. */
typedef struct phrase_list {
    phrase *anywhere;          /* plain phrases, by category once loaded */
    size_t n_anywhere, cap_anywhere;
    phrase *initial;           /* ^phrases: only at a sentence start */
    size_t n_initial, cap_initial;
    char **categories;         /* names, in order of first appearance */
    size_t n_categories, cap_categories;
    uint32_t current;          /* the category being read */
    phrase_range *ranges;      /* categories that have plain phrases */
    size_t n_ranges;
    size_t files;
} phrase_list;

/* A phrase as a speaker would say it: "i" capitalised, a prefix rule's
 * "word*" given an ending, spaces single. */
static phrase phrase_make(const char *s, size_t n)
{
    obuf o = {0};
    unsigned words = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
        size_t start = i;
        while (i < n && s[i] != ' ' && s[i] != '\t') i++;
        if (i == start) break;
        if (words++) put_chr(&o, ' ');
        size_t len = i - start;
        int prefix = s[i - 1] == '*';
        if (prefix) len--;
        if (s[start] == 'i' && (len == 1 || s[start + 1] == '\'')) {
            put_chr(&o, 'I');
            put_mem(&o, s + start + 1, len - 1);
        } else {
            put_mem(&o, s + start, len);
        }
        if (prefix) put_str(&o, "ing");
    }
    return (phrase){.text = o.p, .words = words};
}

/* "[name] description": make `name` the current category. */
static void phrases_set_category(phrase_list *pl, const char *line, size_t n)
{
    const char *close = memchr(line, ']', n);
    size_t len = close ? (size_t)(close - line) - 1 : n - 1;
    for (size_t i = 0; i < pl->n_categories; i++) {
        if (strlen(pl->categories[i]) == len && memcmp(pl->categories[i], line + 1, len) == 0) {
            pl->current = (uint32_t)i;
            return;
        }
    }
    pl->categories = xgrow(pl->categories, &pl->cap_categories, pl->n_categories + 1,
                           sizeof *pl->categories);
    pl->categories[pl->n_categories] = xstrndup(line + 1, len);
    pl->current = (uint32_t)pl->n_categories++;
}

/* Keep a rule line if it is a phrase: not a comment, category, regex or
 * exception. */
static void phrases_add_line(phrase_list *pl, const char *line, size_t n)
{
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r')) n--;
    while (n && (*line == ' ' || *line == '\t')) line++, n--;
    if (n && *line == '[') phrases_set_category(pl, line, n);
    if (n == 0 || strchr("#[/!", *line)) return;
    int initial = *line == '^';
    if (initial) line++, n--;
    phrase p = phrase_make(line, n);
    if (p.words == 0) {
        free(p.text);
        return;
    }
    p.category = pl->current;
    p.order = (uint32_t)(pl->n_anywhere + pl->n_initial);
    if (initial) {
        pl->initial = xgrow(pl->initial, &pl->cap_initial, pl->n_initial + 1, sizeof *pl->initial);
        pl->initial[pl->n_initial++] = p;
    } else {
        pl->anywhere = xgrow(pl->anywhere, &pl->cap_anywhere, pl->n_anywhere + 1, sizeof *pl->anywhere);
        pl->anywhere[pl->n_anywhere++] = p;
    }
}

static void phrases_load_file(phrase_list *pl, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) die("%s: cannot open (%s); give the lexicon folder with -L PATH", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n') n--;
        phrases_add_line(pl, line, (size_t)n);
    }
    free(line);
    fclose(f);
    pl->files++;
}

static int ends_with_lex(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".lex") == 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.lex file of a folder, in name order, or one file. */
static void phrases_read(phrase_list *pl, const char *path)
{
    DIR *dir = opendir(path);
    if (!dir) {
        if (errno == ENOTDIR) {
            phrases_load_file(pl, path);
            return;
        }
        die("%s: cannot open the lexicons (%s); give the lexicon folder with -L PATH", path, strerror(errno));
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.' || !ends_with_lex(e->d_name)) continue;
        names = xgrow(names, &cap, n + 1, sizeof *names);
        names[n++] = xstrndup(e->d_name, strlen(e->d_name));
    }
    closedir(dir);
    qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        obuf p = {0};
        put_str(&p, path);
        put_chr(&p, '/');
        put_str(&p, names[i]);
        phrases_load_file(pl, p.p);
        free(p.p);
        free(names[i]);
    }
    free(names);
    if (pl->files == 0) die("%s: no .lex files there; give the lexicon folder with -L PATH", path);
}

static int cmp_by_category(const void *a, const void *b)
{
    const phrase *x = a, *y = b;
    if (x->category != y->category) return x->category < y->category ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Sort the plain phrases by category and note each category's range. */
static void phrases_index(phrase_list *pl)
{
    qsort(pl->anywhere, pl->n_anywhere, sizeof *pl->anywhere, cmp_by_category);
    pl->ranges = xrealloc(NULL, (pl->n_categories + 1) * sizeof *pl->ranges);
    for (size_t i = 0; i < pl->n_anywhere; i++) {
        if (i == 0 || pl->anywhere[i].category != pl->anywhere[i - 1].category)
            pl->ranges[pl->n_ranges++] = (phrase_range){(uint32_t)i, 0};
        pl->ranges[pl->n_ranges - 1].count++;
    }
}

static void phrases_load(phrase_list *pl, const char *path)
{
    phrases_read(pl, path);
    phrases_index(pl);
}

static void phrases_free(phrase_list *pl)
{
    for (size_t i = 0; i < pl->n_categories; i++) free(pl->categories[i]);
    free(pl->categories);
    free(pl->ranges);
    for (size_t i = 0; i < pl->n_anywhere; i++) free(pl->anywhere[i].text);
    for (size_t i = 0; i < pl->n_initial; i++) free(pl->initial[i].text);
    free(pl->anywhere);
    free(pl->initial);
}

/* ---- a session ------------------------------------------------------------ */

enum { THERAPIST, CLIENT };

/* Sentence ends: '.', '?', '!', or '-' for a cut-off ("--", CHAT "+/."). */
typedef struct sentence {
    uint32_t off, len;         /* in session.text, without the end mark */
    char end;
} sentence;

typedef struct turn {
    int speaker;
    uint32_t start_ms, end_ms;
    uint32_t first, n;         /* its sentences */
    int stamped;               /* plain text: write its time */
} turn;

typedef struct session {
    obuf text;
    sentence *sent;
    size_t n_sent, cap_sent;
    turn *turn;
    size_t n_turns, cap_turns;
    const char *label[2];      /* plain-text speaker labels */
    size_t words, phrase_words;
} session;

/* What drives generation; the same for every file. */
typedef struct generator {
    vocab voc;
    phrase_list phrases;
} generator;

/* Per-word chance of a lexicon phrase, and other rates. */
#define P_PHRASE_THERAPIST 0.02
#define P_PHRASE_CLIENT 0.006
#define P_INITIAL_THERAPIST 0.02
#define P_COMMA 0.06
#define P_BACKCHANNEL 0.12
#define P_CUT_OFF 0.02

static const char *const BACKCHANNELS[] = {
    "Mm-hmm", "Mm-hmm", "Mm-hmm", "Yeah", "Okay", "Right", "Uh-huh", "I see", "Mm", "Sure",
};
static const char *const NOTES[] = {
    "[laughs]", "[laughs]", "[laughs]", "[sighs]", "[pause]", "[crosstalk]", "[inaudible]",
};
static const char *const QUESTION_OPENERS[] = {
    "how", "what", "why", "do you", "is it", "can you", "when did you", "how do you feel about",
    "what would", "are you",
};
/* Plain-text label pairs, therapist first. */
static const char *const LABELS[][2] = {
    {"THERAPIST", "CLIENT"}, {"Therapist", "Client"}, {"T", "C"}, {"Counselor", "Patient"},
};

/* Append a word (or words) to the open sentence, after a space unless it is
 * the sentence's first. */
static void add_word(session *s, const char *w, size_t n)
{
    if (s->text.len > s->sent[s->n_sent].off) put_chr(&s->text, ' ');
    put_mem(&s->text, w, n);
}

static unsigned count_words(const char *text)
{
    unsigned n = 1;
    for (const char *c = text; *c; c++) n += *c == ' ';
    return n;
}

static void add_phrase(session *s, const phrase *p)
{
    add_word(s, p->text, strlen(p->text));
    s->words += p->words;
    s->phrase_words += p->words;
}

/* Upper-case the sentence's first letter. */
static void capitalise(session *s, size_t off)
{
    char *c = s->text.p + off;
    if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 'a' + 'A');
}

static void open_sentence(session *s)
{
    s->sent = xgrow(s->sent, &s->cap_sent, s->n_sent + 1, sizeof *s->sent);
    s->sent[s->n_sent] = (sentence){.off = (uint32_t)s->text.len};
}

static void close_sentence(session *s, char end)
{
    sentence *t = &s->sent[s->n_sent++];
    t->len = (uint32_t)(s->text.len - t->off);
    t->end = end;
    capitalise(s, t->off);
    put_chr(&s->text, ' ');   /* keeps sentences apart in the text buffer */
}

/* With the given chance, a lexicon phrase: a random category, then a random
 * phrase of it. Else NULL. */
static const phrase *maybe_phrase(const phrase_list *pl, rng *r, double chance)
{
    if (!pl->n_ranges || !rng_chance(r, chance)) return NULL;
    const phrase_range *c = &pl->ranges[rng_below(r, (uint32_t)pl->n_ranges)];
    return &pl->anywhere[c->start + rng_below(r, c->count)];
}

/* One sentence of n words. */
static void gen_sentence(const generator *g, rng *r, session *s, int who, unsigned n, char end)
{
    open_sentence(s);
    unsigned i = 0;
    const phrase_list *pl = &g->phrases;
    if (who == THERAPIST && pl->n_initial && rng_chance(r, P_INITIAL_THERAPIST)) {
        const phrase *p = &pl->initial[rng_below(r, (uint32_t)pl->n_initial)];
        if (p->words <= n) {
            add_phrase(s, p);
            i = p->words;
        }
    } else if (end == '?' && rng_chance(r, 0.5)) {
        const char *q = PICK(r, QUESTION_OPENERS);
        unsigned words = count_words(q);
        if (words <= n) {
            add_word(s, q, strlen(q));
            s->words += words;
            i = words;
        }
    }
    double p_phrase = who == THERAPIST ? P_PHRASE_THERAPIST : P_PHRASE_CLIENT;
    for (; i < n; i++) {
        const phrase *p = maybe_phrase(pl, r, p_phrase);
        if (p && p->words <= n - i) {   /* a phrase that fits in the sentence */
            add_phrase(s, p);
            i += p->words - 1;
        } else {
            size_t w = vocab_draw(&g->voc, r);
            add_word(s, g->voc.word[w], g->voc.len[w]);
            s->words++;
        }
        if (i + 1 < n && rng_chance(r, P_COMMA)) put_chr(&s->text, ',');
    }
    if (rng_chance(r, who == THERAPIST ? 0.01 : 0.025)) {
        const char *note = PICK(r, NOTES);
        add_word(s, note, strlen(note));
    }
    close_sentence(s, end);
}

static void gen_backchannel(rng *r, session *s)
{
    open_sentence(s);
    const char *b = PICK(r, BACKCHANNELS);
    add_word(s, b, strlen(b));
    s->words += strchr(b, ' ') ? 2 : 1;
    close_sentence(s, '.');
}

/* Words in a turn: therapist 5-40, client 3-80, short turns likelier. */
static unsigned turn_words(rng *r, int who)
{
    double u = rng_unit(r);
    if (who == THERAPIST) return 5 + (unsigned)(36 * u * u);
    return 3 + (unsigned)(78 * u * u * u);
}

/* A turn's sentences: 4-14 words each, questions and cut-offs at its end. */
static void gen_turn_text(const generator *g, rng *r, session *s, int who)
{
    unsigned left = turn_words(r, who);
    double p_question = who == THERAPIST ? 0.45 : 0.08;
    while (left) {
        unsigned n = rng_range(r, 4, 14);
        if (n > left || left - n < 3) n = left;
        left -= n;
        char end = '.';
        if (left == 0 && rng_chance(r, P_CUT_OFF)) end = '-';
        else if (rng_chance(r, left == 0 ? p_question : p_question / 4)) end = '?';
        else if (rng_chance(r, 0.03)) end = '!';
        gen_sentence(g, r, s, who, n, end);
    }
}

static void gen_turn(const generator *g, rng *r, session *s, int who, uint32_t *clock_ms,
                     double stamp_rate)
{
    s->turn = xgrow(s->turn, &s->cap_turns, s->n_turns + 1, sizeof *s->turn);
    turn *t = &s->turn[s->n_turns++];
    size_t words_before = s->words;
    t->speaker = who;
    t->first = (uint32_t)s->n_sent;
    int backchannel = s->n_turns > 1 && rng_chance(r, P_BACKCHANNEL);
    if (backchannel) gen_backchannel(r, s);
    else gen_turn_text(g, r, s, who);
    t->n = (uint32_t)(s->n_sent - t->first);
    /* about 150 words a minute, with pauses between turns */
    *clock_ms += backchannel ? rng_range(r, 100, 500) : rng_range(r, 200, 1200);
    t->start_ms = *clock_ms;
    size_t words = s->words - words_before;
    *clock_ms += backchannel ? rng_range(r, 300, 900) : (uint32_t)words * rng_range(r, 300, 450) + 200;
    t->end_ms = *clock_ms;
    t->stamped = rng_chance(r, stamp_rate);
}

static void session_free(session *s)
{
    free(s->text.p);
    free(s->sent);
    free(s->turn);
}

/* ---- formats -------------------------------------------------------------- */

/* How speech text is written: annotations and escapes differ by format. */
enum text_style { PLAIN, CSV_FIELD, CHAT_TEXT, XML_TEXT, TEI_TEXT, VTT_TEXT, PRAAT_STRING };

static void put_escaped(obuf *o, char c, enum text_style st)
{
    if ((st == XML_TEXT || st == TEI_TEXT || st == VTT_TEXT) && (c == '&' || c == '<' || c == '>')) {
        put_str(o, c == '&' ? "&amp;" : c == '<' ? "&lt;" : "&gt;");
    } else if ((st == CSV_FIELD || st == PRAAT_STRING) && c == '"') {
        put_str(o, "\"\"");
    } else {
        put_chr(o, c);
    }
}

/* Write one sentence's words; "[laughs]" becomes "&=laughs" in CHAT and
 * <vocal><desc>laughs</desc></vocal> in TEI. */
static void put_speech(obuf *o, const char *s, size_t n, enum text_style st)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '[' && (st == CHAT_TEXT || st == TEI_TEXT)) {
            const char *close = memchr(s + i, ']', n - i);
            if (close) {
                size_t len = (size_t)(close - (s + i)) - 1;
                if (st == CHAT_TEXT) put_str(o, "&=");
                else put_str(o, "<vocal><desc>");
                put_mem(o, s + i + 1, len);
                if (st == TEI_TEXT) put_str(o, "</desc></vocal>");
                i += len + 1;
                continue;
            }
        }
        put_escaped(o, s[i], st);
    }
}

static void put_sentence(obuf *o, const session *s, const sentence *t, enum text_style st)
{
    put_speech(o, s->text.p + t->off, t->len, st);
    if (t->end == '-') put_str(o, "--");
    else put_chr(o, t->end);
}

/* All of a turn's sentences, separated by spaces. */
static void put_turn_text(obuf *o, const session *s, const turn *t, enum text_style st)
{
    for (uint32_t i = 0; i < t->n; i++) {
        if (i) put_chr(o, ' ');
        put_sentence(o, s, &s->sent[t->first + i], st);
    }
}

/* A sentence's share of its turn's time, in proportion to its length. */
static void sentence_times(const session *s, const turn *t, uint32_t k, uint32_t *start, uint32_t *end)
{
    uint64_t total = 0, before = 0;
    for (uint32_t i = 0; i < t->n; i++) {
        uint32_t len = s->sent[t->first + i].len + 1;
        if (i < k) before += len;
        total += len;
    }
    uint64_t span = t->end_ms - t->start_ms;
    uint64_t len = s->sent[t->first + k].len + 1;
    *start = t->start_ms + (uint32_t)(span * before / total);
    *end = t->start_ms + (uint32_t)(span * (before + len) / total);
}

/* HH:MM:SS.mmm with `sep` before the milliseconds (SRT uses ','). */
static void put_clock(obuf *o, uint32_t ms, char sep)
{
    put_fmt(o, "%02u:%02u:%02u%c%03u", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60, sep, ms % 1000);
}

/* Seconds without trailing zeros: 12.5, 3, 61.025. */
static void put_seconds(obuf *o, uint32_t ms)
{
    if (ms % 1000 == 0) put_fmt(o, "%u", ms / 1000);
    else if (ms % 100 == 0) put_fmt(o, "%u.%u", ms / 1000, ms % 1000 / 100);
    else if (ms % 10 == 0) put_fmt(o, "%u.%02u", ms / 1000, ms % 1000 / 10);
    else put_fmt(o, "%u.%03u", ms / 1000, ms % 1000);
}

static const char *const ROLE_NAME[2] = {"Therapist", "Client"};

static void render_txt(const session *s, const char *id, obuf *o)
{
    (void)id;
    for (size_t i = 0; i < s->n_turns; i++) {
        const turn *t = &s->turn[i];
        if (t->stamped) {
            uint32_t sec = t->start_ms / 1000;
            put_fmt(o, "[%02u:%02u:%02u] ", sec / 3600, sec / 60 % 60, sec % 60);
        }
        put_str(o, s->label[t->speaker]);
        put_str(o, ": ");
        put_turn_text(o, s, t, PLAIN);
        put_chr(o, '\n');
    }
}

static void render_csv(const session *s, const char *id, obuf *o)
{
    put_str(o, "session_id,speaker,start,end,text\n");
    for (size_t i = 0; i < s->n_turns; i++) {
        const turn *t = &s->turn[i];
        put_fmt(o, "%s,%s,", id, t->speaker == THERAPIST ? "therapist" : "client");
        put_seconds(o, t->start_ms);
        put_chr(o, ',');
        put_seconds(o, t->end_ms);
        put_str(o, ",\"");
        put_turn_text(o, s, t, CSV_FIELD);
        put_str(o, "\"\n");
    }
}

/* CHAT's utterance terminators; "+/." marks an interrupted one. */
static const char *chat_terminator(char end)
{
    switch (end) {
    case '-': return "+/.";
    case '?': return "?";
    case '!': return "!";
    default: return ".";
    }
}

/* CHAT: one main tier per sentence, lower-case start, spaced terminator,
 * media bullet in milliseconds. */
static void render_cha(const session *s, const char *id, obuf *o)
{
    put_str(o, "@UTF8\n@Begin\n@Languages:\teng\n@Participants:\tTHE Therapist, CLI Client\n"
               "@ID:\teng|dyadbench|THE|||||Therapist|||\n@ID:\teng|dyadbench|CLI|||||Client|||\n");
    put_fmt(o, "@Media:\t%s, audio\n", id);
    for (size_t i = 0; i < s->n_turns; i++) {
        const turn *t = &s->turn[i];
        for (uint32_t k = 0; k < t->n; k++) {
            const sentence *sn = &s->sent[t->first + k];
            const char *text = s->text.p + sn->off;
            uint32_t start, end;
            sentence_times(s, t, k, &start, &end);
            put_str(o, t->speaker == THERAPIST ? "*THE:\t" : "*CLI:\t");
            size_t from = 0;
            if (sn->len > 1 && isupper((unsigned char)text[0]) && islower((unsigned char)text[1])) {
                put_chr(o, (char)tolower((unsigned char)text[0]));
                from = 1;
            }
            put_speech(o, text + from, sn->len - from, CHAT_TEXT);
            put_fmt(o, " %s \x15%u_%u\x15\n", chat_terminator(sn->end), start, end);
        }
    }
    put_str(o, "@End\n");
}

/* WebVTT and SRT: one cue per sentence. */
static void render_cues(const session *s, obuf *o, int vtt)
{
    unsigned cue = 0;
    if (vtt) put_str(o, "WEBVTT\n\n");
    for (size_t i = 0; i < s->n_turns; i++) {
        const turn *t = &s->turn[i];
        for (uint32_t k = 0; k < t->n; k++) {
            uint32_t start, end;
            sentence_times(s, t, k, &start, &end);
            put_fmt(o, "%u\n", ++cue);
            put_clock(o, start, vtt ? '.' : ',');
            put_str(o, " --> ");
            put_clock(o, end, vtt ? '.' : ',');
            put_chr(o, '\n');
            if (vtt) put_fmt(o, "<v %s>", ROLE_NAME[t->speaker]);
            else put_fmt(o, "%s: ", ROLE_NAME[t->speaker]);
            put_sentence(o, s, &s->sent[t->first + k], vtt ? VTT_TEXT : PLAIN);
            put_str(o, vtt ? "</v>\n\n" : "\n\n");
        }
    }
}

static void render_vtt(const session *s, const char *id, obuf *o)
{
    (void)id;
    render_cues(s, o, 1);
}

static void render_srt(const session *s, const char *id, obuf *o)
{
    (void)id;
    render_cues(s, o, 0);
}

/* ELAN: two time slots per turn, one tier per speaker. */
static void render_eaf(const session *s, const char *id, obuf *o)
{
    put_str(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<ANNOTATION_DOCUMENT AUTHOR=\"gencorpus\" DATE=\"2024-01-01T00:00:00+00:00\" "
               "FORMAT=\"3.0\" VERSION=\"3.0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
               "xsi:noNamespaceSchemaLocation=\"http://www.mpi.nl/tools/elan/EAFv3.0.xsd\">\n");
    put_fmt(o, "    <HEADER MEDIA_FILE=\"\" TIME_UNITS=\"milliseconds\">\n"
               "        <PROPERTY NAME=\"session\">%s</PROPERTY>\n    </HEADER>\n", id);
    put_str(o, "    <TIME_ORDER>\n");
    for (size_t i = 0; i < s->n_turns; i++) {
        put_fmt(o, "        <TIME_SLOT TIME_SLOT_ID=\"ts%zu\" TIME_VALUE=\"%u\"/>\n", 2 * i + 1, s->turn[i].start_ms);
        put_fmt(o, "        <TIME_SLOT TIME_SLOT_ID=\"ts%zu\" TIME_VALUE=\"%u\"/>\n", 2 * i + 2, s->turn[i].end_ms);
    }
    put_str(o, "    </TIME_ORDER>\n");
    for (int who = THERAPIST; who <= CLIENT; who++) {
        put_fmt(o, "    <TIER LINGUISTIC_TYPE_REF=\"utterance\" PARTICIPANT=\"%s\" TIER_ID=\"%s\">\n",
                ROLE_NAME[who], ROLE_NAME[who]);
        for (size_t i = 0; i < s->n_turns; i++) {
            const turn *t = &s->turn[i];
            if (t->speaker != who) continue;
            put_fmt(o, "        <ANNOTATION>\n            <ALIGNABLE_ANNOTATION ANNOTATION_ID=\"a%zu\" "
                       "TIME_SLOT_REF1=\"ts%zu\" TIME_SLOT_REF2=\"ts%zu\">\n                <ANNOTATION_VALUE>",
                    i + 1, 2 * i + 1, 2 * i + 2);
            put_turn_text(o, s, t, XML_TEXT);
            put_str(o, "</ANNOTATION_VALUE>\n            </ALIGNABLE_ANNOTATION>\n        </ANNOTATION>\n");
        }
        put_str(o, "    </TIER>\n");
    }
    put_str(o, "    <LINGUISTIC_TYPE GRAPHIC_REFERENCES=\"false\" LINGUISTIC_TYPE_ID=\"utterance\" "
               "TIME_ALIGNABLE=\"true\"/>\n"
               "    <LANGUAGE LANG_DEF=\"http://cdb.iso.org/lg/CDB-00130975-001\" LANG_ID=\"eng\" LANG_LABEL=\"English (eng)\"/>\n"
               "</ANNOTATION_DOCUMENT>\n");
}

/* Interval k of a Praat tier: a turn's text, or empty (t NULL). */
static void put_interval(obuf *o, size_t k, uint32_t from, uint32_t to, const session *s, const turn *t)
{
    put_fmt(o, "        intervals [%zu]:\n            xmin = ", k);
    put_seconds(o, from);
    put_str(o, " \n            xmax = ");
    put_seconds(o, to);
    put_str(o, " \n            text = \"");
    if (t) put_turn_text(o, s, t, PRAAT_STRING);
    put_str(o, "\" \n");
}

/* The intervals of one speaker's tier, its turns with empty gaps between
 * them (a Praat interval tier covers its whole time span); with o NULL it
 * only counts them. */
static size_t tier_intervals(const session *s, int who, uint32_t end_ms, obuf *o)
{
    size_t k = 0;
    uint32_t at = 0;
    for (size_t i = 0; i < s->n_turns; i++) {
        const turn *t = &s->turn[i];
        if (t->speaker != who) continue;
        if (t->start_ms > at) {
            k++;
            if (o) put_interval(o, k, at, t->start_ms, s, NULL);
        }
        k++;
        if (o) put_interval(o, k, t->start_ms, t->end_ms, s, t);
        at = t->end_ms;
    }
    if (end_ms > at) {
        k++;
        if (o) put_interval(o, k, at, end_ms, s, NULL);
    }
    return k;
}

static void render_tier(const session *s, int who, uint32_t end_ms, obuf *o)
{
    put_fmt(o, "    item [%d]:\n        class = \"IntervalTier\" \n        name = \"%s\" \n"
               "        xmin = 0 \n        xmax = ", who + 1, ROLE_NAME[who]);
    put_seconds(o, end_ms);
    put_fmt(o, " \n        intervals: size = %zu \n", tier_intervals(s, who, end_ms, NULL));
    tier_intervals(s, who, end_ms, o);
}

static void render_textgrid(const session *s, const char *id, obuf *o)
{
    (void)id;
    uint32_t end_ms = s->n_turns ? s->turn[s->n_turns - 1].end_ms + 1000 : 1000;
    put_str(o, "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\nxmin = 0 \nxmax = ");
    put_seconds(o, end_ms);
    put_str(o, " \ntiers? <exists> \nsize = 2 \nitem []: \n");
    render_tier(s, THERAPIST, end_ms, o);
    render_tier(s, CLIENT, end_ms, o);
}

static void render_tei(const session *s, const char *id, obuf *o)
{
    put_str(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n"
               "  <teiHeader>\n    <fileDesc>\n");
    put_fmt(o, "      <titleStmt><title>Synthetic session %s</title></titleStmt>\n", id);
    put_str(o, "      <publicationStmt><p>Generated by gencorpus for benchmarking; not real speech.</p></publicationStmt>\n"
               "      <sourceDesc><p>Synthetic.</p></sourceDesc>\n    </fileDesc>\n"
               "    <profileDesc>\n      <particDesc>\n        <listPerson>\n"
               "          <person xml:id=\"t\" role=\"therapist\"><persName>Therapist</persName></person>\n"
               "          <person xml:id=\"c\" role=\"client\"><persName>Client</persName></person>\n"
               "        </listPerson>\n      </particDesc>\n    </profileDesc>\n  </teiHeader>\n"
               "  <text>\n    <body>\n");
    for (size_t i = 0; i < s->n_turns; i++) {
        const turn *t = &s->turn[i];
        put_str(o, t->speaker == THERAPIST ? "      <u who=\"#t\">" : "      <u who=\"#c\">");
        put_turn_text(o, s, t, TEI_TEXT);
        put_str(o, "</u>\n");
    }
    put_str(o, "    </body>\n  </text>\n</TEI>\n");
}

/* A format, with what it adds around the speech (bytes, roughly) so that a
 * session can be cut near its target size before it is rendered. */
typedef struct format {
    const char *name;
    const char *ext;
    void (*render)(const session *s, const char *id, obuf *o);
    unsigned header, per_turn, per_sentence;
} format;

static const format FORMATS[] = {
    {"txt", "txt", render_txt, 0, 10, 1},
    {"csv", "csv", render_csv, 34, 42, 1},
    {"cha", "cha", render_cha, 170, 0, 30},
    {"vtt", "vtt", render_vtt, 8, 0, 56},
    {"srt", "srt", render_srt, 0, 0, 46},
    {"eaf", "eaf", render_eaf, 700, 290, 1},
    {"textgrid", "TextGrid", render_textgrid, 120, 270, 1},
    {"tei", "xml", render_tei, 720, 24, 1},
};

#define N_FORMATS COUNT(FORMATS)

static const format *format_by_name(const char *name)
{
    for (size_t i = 0; i < N_FORMATS; i++)
        if (strcmp(FORMATS[i].name, name) == 0) return &FORMATS[i];
    return NULL;
}

/* Generate turns until the rendered file should be about `target` bytes. */
static void gen_session(const generator *g, rng *r, const format *f, size_t target, session *s)
{
    memset(s, 0, sizeof *s);
    uint32_t pair = rng_below(r, (uint32_t)COUNT(LABELS));
    s->label[THERAPIST] = LABELS[pair][0];
    s->label[CLIENT] = LABELS[pair][1];
    /* plain text: a fifth of the files time every turn, the rest a few */
    double stamp_rate = rng_chance(r, 0.2) ? 1.0 : 0.03;
    uint32_t clock_ms = rng_range(r, 0, 5000);
    size_t estimate = f->header;
    for (int who = THERAPIST; estimate < target || s->n_turns < 2; who = !who) {
        size_t len = s->text.len, n_sent = s->n_sent;
        gen_turn(g, r, s, who, &clock_ms, stamp_rate);
        estimate += (s->text.len - len) + f->per_turn + f->per_sentence * (s->n_sent - n_sent);
    }
}

/* ---- the corpus ----------------------------------------------------------- */

typedef struct options {
    const char *out_dir;
    const char *format;
    const char *lexicons;
    uint64_t seed;
    uint64_t bytes;            /* 0: no byte limit */
    uint64_t files;            /* 0: no file limit */
    size_t min_size, max_size;
    size_t per_dir;
    int quiet;
} options;

typedef struct totals {
    uint64_t files, bytes, words, phrase_words;
} totals;

static void make_dir(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST) die("%s: cannot create the folder (%s)", path, strerror(errno));
}

/* mkdir -p */
static void make_dirs(const char *path)
{
    char *p = xstrndup(path, strlen(path));
    for (char *c = p + 1; *c; c++) {
        if (*c != '/') continue;
        *c = '\0';
        make_dir(p);
        *c = '/';
    }
    make_dir(p);
    free(p);
}

static void write_file(const char *path, const obuf *o)
{
    FILE *f = fopen(path, "wb");
    if (!f) die("%s: cannot create (%s)", path, strerror(errno));
    if (fwrite(o->p, 1, o->len, f) != o->len || fclose(f) != 0)
        die("%s: cannot write (%s); is the disk full?", path, strerror(errno));
}

/* File `index` (from 0): its own random stream, format, size and place. */
static void write_session(const generator *g, const options *opt, uint64_t index, size_t target,
                          obuf *out, totals *tot)
{
    rng r;
    rng_seed(&r, opt->seed, index);
    const format *f = strcmp(opt->format, "mixed") == 0 ? &FORMATS[index % N_FORMATS]
                                                         : format_by_name(opt->format);
    uint64_t site = index / opt->per_dir + 1, number = index % opt->per_dir + 1;
    char dir[4096], id[64], path[4200];
    snprintf(dir, sizeof dir, "%s/site%02llu", opt->out_dir, (unsigned long long)site);
    snprintf(id, sizeof id, "s%04llu", (unsigned long long)number);
    if (number == 1) make_dirs(dir);
    snprintf(path, sizeof path, "%s/%s.%s", dir, id, f->ext);

    session s;
    gen_session(g, &r, f, target, &s);
    out->len = 0;
    f->render(&s, id, out);
    write_file(path, out);
    tot->files++;
    tot->bytes += out->len;
    tot->words += s.words;
    tot->phrase_words += s.phrase_words;
    session_free(&s);
}

static void write_corpus(const generator *g, const options *opt, totals *tot)
{
    obuf out = {0};
    rng sizes;
    rng_seed(&sizes, opt->seed, UINT64_MAX);
    make_dirs(opt->out_dir);
    for (uint64_t i = 0;; i++) {
        if (opt->files && i >= opt->files) break;
        if (opt->bytes && tot->bytes >= opt->bytes) break;
        size_t target = rng_range(&sizes, (uint32_t)opt->min_size, (uint32_t)opt->max_size);
        if (opt->bytes && opt->bytes - tot->bytes < target) target = (size_t)(opt->bytes - tot->bytes);
        write_session(g, opt, i, target, &out, tot);
    }
    free(out.p);
}

/* "100M" -> 100000000. Returns 0 on a malformed size. */
static uint64_t parse_size(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-') return 0;
    uint64_t mult = 1;
    switch (toupper((unsigned char)*end)) {
    case '\0': break;
    case 'K': mult = 1000; end++; break;
    case 'M': mult = 1000000; end++; break;
    case 'G': mult = 1000000000; end++; break;
    default: return 0;
    }
    if (toupper((unsigned char)*end) == 'B') end++;
    if (*end || n > UINT64_MAX / mult) return 0;
    return n * mult;
}

static void parse_size_range(const char *arg, options *o)
{
    const char *dash = strchr(arg, '-');
    if (!dash) die("-z '%s': give the file size range as MIN-MAX, e.g. 20K-60K", arg);
    char *min = xstrndup(arg, (size_t)(dash - arg));
    uint64_t lo = parse_size(min), hi = parse_size(dash + 1);
    free(min);
    if (!lo || !hi || lo > hi || hi > 100000000)
        die("-z '%s': give the file size range as MIN-MAX with MIN <= MAX <= 100M, e.g. 20K-60K", arg);
    o->min_size = (size_t)lo;
    o->max_size = (size_t)hi;
}

static void parse_options(int argc, char **argv, options *o)
{
    *o = (options){.format = "txt", .lexicons = "lexicons", .seed = 1,
                   .min_size = 20000, .max_size = 60000, .per_dir = 500};
    int c;
    while ((c = getopt(argc, argv, "b:n:f:s:z:d:L:qh")) != -1) {
        switch (c) {
        case 'b':
            if (!(o->bytes = parse_size(optarg))) die("-b '%s': give a size in bytes such as 100M or 1G", optarg);
            break;
        case 'n':
            if (!(o->files = parse_size(optarg))) die("-n '%s': give a number of files above 0", optarg);
            break;
        case 'f':
            if (strcmp(optarg, "mixed") != 0 && !format_by_name(optarg))
                die("-f '%s': unknown format; use txt, csv, cha, vtt, srt, eaf, textgrid, tei or mixed", optarg);
            o->format = optarg;
            break;
        case 's': {
            char *end;
            errno = 0;
            o->seed = strtoull(optarg, &end, 10);
            if (errno || *end || end == optarg) die("-s '%s': give the seed as a whole number", optarg);
            break;
        }
        case 'z': parse_size_range(optarg, o); break;
        case 'd':
            if (!(o->per_dir = (size_t)parse_size(optarg))) die("-d '%s': give a number of files above 0", optarg);
            break;
        case 'L': o->lexicons = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'h': fputs(USAGE, stdout); exit(0);
        default: fputs(USAGE, stderr); exit(2);
        }
    }
    if (optind + 1 != argc) die("give one output folder (see gencorpus -h)");
    if (!o->bytes && !o->files) die("say how much to write: -b BYTES (e.g. -b 100M) or -n FILES");
    o->out_dir = argv[optind];
}

int main(int argc, char **argv)
{
    options opt;
    parse_options(argc, argv, &opt);
    generator *g = xrealloc(NULL, sizeof *g);
    memset(g, 0, sizeof *g);
    vocab_build(&g->voc);
    phrases_load(&g->phrases, opt.lexicons);

    totals tot = {0};
    write_corpus(g, &opt, &tot);
    if (!opt.quiet)
        printf("gencorpus: %llu files, %llu bytes, %llu words (%.1f%% in %zu lexicon phrases from %s) in %s\n",
               (unsigned long long)tot.files, (unsigned long long)tot.bytes, (unsigned long long)tot.words,
               tot.words ? 100.0 * (double)tot.phrase_words / (double)tot.words : 0.0,
               g->phrases.n_anywhere + g->phrases.n_initial, opt.lexicons, opt.out_dir);
    phrases_free(&g->phrases);
    free(g->voc.made_up);
    free(g);
    return 0;
}
