/* csv.c: the CSV/TSV transcript reader, one row per utterance.
 *
 * The file is loaded with text_load (BOM, UTF-16, invalid UTF-8 handled
 * there) and parsed by libcsv in strict mode into a table of cells held in
 * memory, with the source line where each row starts. The delimiter (comma,
 * semicolon or tab) is taken from the header line; .tsv always means tab.
 * Columns are found by name: --columns session=...,speaker=...,text=... or,
 * without it, the common names (speaker/interlocutor, text/utterance_text,
 * ...). Rows are grouped into sessions by the session column, in order of
 * first appearance; columns that are constant within every session become
 * the sessions' meta fields. AnnoMI-full repeats each session once per
 * annotator: with an annotator_id column that varies within a session only
 * the first annotator's rows are read. The format is described for users in
 * docs/formats/csv.md. */
#include "readers/reader.h"
#include "readers/source.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <csv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TIME_MAX_SECONDS 1000000.0
#define NO_COLUMN SIZE_MAX

/* ---- column keys and the names recognised for them --------------------- */

typedef enum { KEY_SESSION, KEY_SPEAKER, KEY_TEXT, KEY_START, KEY_END, KEY_ROLE, N_KEYS } col_key;

static const char *const KEY_NAMES[N_KEYS] = {"session", "speaker", "text", "start", "end", "role"};

static const char *const SESSION_NAMES[] = {"session", "session_id", "transcript_id", NULL};
static const char *const SPEAKER_NAMES[] = {"speaker", "interlocutor", "role", NULL};
static const char *const TEXT_NAMES[] = {"text", "utterance", "utterance_text", "content", NULL};
static const char *const START_NAMES[] = {"start", "timestamp", "start_time", NULL};
static const char *const END_NAMES[] = {"end", "end_time", NULL};
static const char *const ROLE_NAMES[] = {"role", NULL};

/* Header names recognised without --columns, for each key in preference order. */
static const char *const *const KNOWN_NAMES[N_KEYS] = {
    SESSION_NAMES, SPEAKER_NAMES, TEXT_NAMES, START_NAMES, END_NAMES, ROLE_NAMES,
};

/* The column whose value names the annotator (AnnoMI-full). */
static const char ANNOTATOR_COLUMN[] = "annotator_id";

/* Role names a role column may hold, compared after normalise_name. */
static const struct { const char *name; role role; } SOURCE_ROLES[] = {
    {"therapist", ROLE_THERAPIST}, {"counselor", ROLE_THERAPIST},
    {"counsellor", ROLE_THERAPIST}, {"clinician", ROLE_THERAPIST},
    {"investigator", ROLE_THERAPIST}, {"interviewer", ROLE_THERAPIST},
    {"doctor", ROLE_THERAPIST}, {"psychologist", ROLE_THERAPIST},
    {"client", ROLE_CLIENT}, {"patient", ROLE_CLIENT}, {"target_child", ROLE_CLIENT},
    {"child", ROLE_CLIENT}, {"participant", ROLE_CLIENT}, {"interviewee", ROLE_CLIENT},
};

/* ---- small string helpers ---------------------------------------------- */

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A column or role name made comparable: trimmed, ASCII lower case, with
 * spaces and hyphens as underscores ("Start Time" -> "start_time"). */
static char *normalise_name(const char *s)
{
    while (is_blank(*s)) s++;
    size_t n = strlen(s);
    while (n && is_blank(s[n - 1])) n--;
    char *out = xstrndup(s, n);
    for (char *p = out; *p; p++) {
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
        else if (*p == ' ' || *p == '-') *p = '_';
    }
    return out;
}

static int name_matches(const char *header_name, const char *wanted)
{
    char *a = normalise_name(header_name), *b = normalise_name(wanted);
    int same = strcmp(a, b) == 0;
    free(a);
    free(b);
    return same;
}

/* The value with every line break (CRLF, CR, LF) turned into one space:
 * utterance text and speaker labels are single lines downstream. */
static char *join_lines(const char *s)
{
    char *out = xmalloc(strlen(s) + 1), *o = out;
    for (;;) {   /* runs without a line break copied whole: utterance texts are long */
        size_t run = strcspn(s, "\r\n");
        memcpy(o, s, run);
        o += run;
        s += run;
        if (!*s) break;
        s += s[0] == '\r' && s[1] == '\n' ? 2 : 1;
        *o++ = ' ';
    }
    *o = '\0';
    return out;
}

static const char *delimiter_name(char delim)
{
    return delim == '\t' ? "tab" : delim == ';' ? "';'" : "','";
}

/* ---- a string -> index hash map (keys are borrowed) -------------------- */

typedef struct map_slot {
    const char *key;   /* NULL marks a free slot */
    uint32_t hash;
    size_t value;
} map_slot;

typedef struct str_map {
    map_slot *slots;
    size_t cap, n;     /* cap is a power of two */
} str_map;

static uint32_t hash_string(const char *s)
{
    uint32_t h = 2166136261u;              /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

static map_slot *map_slot_for(map_slot *slots, size_t cap, const char *key, uint32_t h)
{
    size_t i = h & (cap - 1);
    while (slots[i].key && !(slots[i].hash == h && strcmp(slots[i].key, key) == 0))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static void map_grow(str_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    map_slot *slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            *map_slot_for(slots, cap, m->slots[i].key, m->slots[i].hash) = m->slots[i];
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
}

/* The value stored for key, or `value` after storing it when key is new;
 * *added tells which. */
static size_t map_get_or_add(str_map *m, const char *key, size_t value, int *added)
{
    if ((m->n + 1) * 2 > m->cap) map_grow(m);
    uint32_t h = hash_string(key);
    map_slot *slot = map_slot_for(m->slots, m->cap, key, h);
    *added = slot->key == NULL;
    if (*added) {
        slot->key = key;
        slot->hash = h;
        slot->value = value;
        m->n++;
    }
    return slot->value;
}

static int map_contains(const str_map *m, const char *key)
{
    return m->cap && map_slot_for(m->slots, m->cap, key, hash_string(key))->key != NULL;
}

static void map_free(str_map *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->n = 0;
}

/* ---- the table of cells ------------------------------------------------ */

typedef struct csv_row {
    long line;         /* where the row starts in the file */
    size_t first;      /* index of its first cell in cell_at */
} csv_row;

typedef struct csv_table {
    buf cells;         /* the bytes of every cell, each followed by a NUL */
    size_t *cell_at;   /* offset of each cell in cells */
    size_t n_cells, cap_cells;
    csv_row *rows;     /* rows[0] is the header */
    size_t n_rows, cap_rows;
    size_t n_cols;     /* fields in the header; every other row has as many */
} csv_table;

static const char *cell(const csv_table *t, size_t row, size_t col)
{
    return t->cells.data + t->cell_at[t->rows[row].first + col];
}

static void table_free(csv_table *t)
{
    buf_free(&t->cells);
    free(t->cell_at);
    free(t->rows);
    memset(t, 0, sizeof *t);
}

/* ---- parsing with libcsv ----------------------------------------------- */

typedef struct parse_state {
    csv_table *t;
    const char *source;
    diag_list *d;
    char delim;
    long line;          /* the line being fed to libcsv */
    long row_line;      /* the line where the current row starts */
    long field_line;    /* the line where the current field starts */
    int at_row_start;   /* the previous row is complete */
    int loose_field;    /* the current field is unquoted and holds a '"' */
    size_t row_cells;   /* t->n_cells when the current row started */
    size_t row_bytes;   /* t->cells.len when the current row started */
} parse_state;

/* A new cell starts at the end of t->cells. */
static void cell_begin(csv_table *t)
{
    if (t->n_cells == t->cap_cells)
        t->cell_at = xgrow(t->cell_at, &t->cap_cells, t->n_cells + 1, sizeof *t->cell_at);
    t->cell_at[t->n_cells++] = t->cells.len;
}

/* The current cell is complete (its bytes and NUL are in t->cells). */
static void cell_end(parse_state *ps)
{
    ps->field_line = ps->line;   /* the next field starts after the delimiter */
    ps->loose_field = 0;
}

static void on_field(void *field, size_t n, void *data)
{
    parse_state *ps = data;
    cell_begin(ps->t);
    if (n) buf_add(&ps->t->cells, field, n);
    buf_addc(&ps->t->cells, '\0');
    cell_end(ps);
}

static void on_row(int terminator, void *data)
{
    (void)terminator;
    parse_state *ps = data;
    csv_table *t = ps->t;
    size_t n = t->n_cells - ps->row_cells;
    if (t->n_rows > 0 && n != t->n_cols) {
        diag_add(ps->d, ps->source, ps->row_line, SEV_WARNING,
                 "row has %zu field%s but the header has %zu; row skipped "
                 "(a field that contains the delimiter %s must be in double quotes)",
                 n, n == 1 ? "" : "s", t->n_cols, delimiter_name(ps->delim));
        t->n_cells = ps->row_cells;
        t->cells.len = ps->row_bytes;
        if (t->cells.data) t->cells.data[t->cells.len] = '\0';
    } else {
        if (t->n_rows == 0) t->n_cols = n;
        t->rows = xgrow(t->rows, &t->cap_rows, t->n_rows + 1, sizeof *t->rows);
        t->rows[t->n_rows++] = (csv_row){ps->row_line, ps->row_cells};
    }
    ps->row_cells = t->n_cells;
    ps->row_bytes = t->cells.len;
    ps->at_row_start = 1;
}

/* Nonzero when line[0..n) holds something libcsv does not skip before a
 * row: anything but spaces, tabs that are not the delimiter and line ends. */
static int starts_row(const char *line, size_t n, char delim)
{
    for (size_t i = 0; i < n; i++) {
        char c = line[i];
        if (c == ' ' || (c == '\t' && delim != '\t') || c == '\r' || c == '\n') continue;
        return 1;
    }
    return 0;
}

/* After a strict-mode parse error at chunk[at]: nonzero when it is a '"'
 * inside an unquoted field (`he said "hi"`), which is read as an ordinary
 * character. The other strict errors are a quoted field closed by a '"'
 * that other text follows: a quote that was never meant to close it. */
static int is_quote_in_unquoted_field(const parse_state *ps, const char *chunk, size_t at)
{
    if (chunk[at] != '"') return 0;
    if (ps->loose_field) return 1;
    size_t i = at;
    while (i > 0 && (chunk[i - 1] == ' ' || (chunk[i - 1] == '\t' && ps->delim != '\t'))) i--;
    return i > 0 && chunk[i - 1] != '"' && chunk[i - 1] != ps->delim;
}

static void report_open_quote(const parse_state *ps, long bad_line)
{
    if (bad_line)
        diag_add(ps->d, ps->source, ps->field_line, SEV_ERROR,
                 "unterminated quoted field starting at line %ld: a '\"' at line %ld "
                 "is followed by other text; inside a quoted field write '\"' as '\"\"'",
                 ps->field_line, bad_line);
    else
        diag_add(ps->d, ps->source, ps->field_line, SEV_ERROR,
                 "unterminated quoted field starting at line %ld: the file ends inside it; "
                 "close the field with '\"' and write '\"' inside it as '\"\"'",
                 ps->field_line);
}

/* ---- plain rows, split without libcsv ----------------------------------
 * libcsv takes a byte at a time through its state machine, which made it
 * most of the cost of reading a CSV file. Most lines of a transcript table
 * are one whole row whose fields are either unquoted without any '"' or
 * quoted and closed right before the delimiter or the line end; such a line
 * is split here into exactly the cells libcsv gives (spaces and tabs that
 * are not the delimiter dropped around an unquoted field and before a
 * quoted one, "" inside quotes read as one "). Any other line (a quoted
 * field that goes on to the next line, a '"' inside an unquoted field,
 * anything after a closing quote) goes to libcsv as before. Only lines that
 * start a row are split here, so libcsv is always between rows when it is
 * given a line. */

static int is_field_space(char c, char delim)
{
    return (c == ' ' || c == '\t') && c != delim;
}

/* Append s[0..n) to cells, which has room for it (the NUL after the
 * buf's bytes is put back once the row is split). */
static void put_bytes(buf *cells, const char *s, size_t n)
{
    memcpy(cells->data + cells->len, s, n);
    cells->len += n;
}

/* The quoted field whose opening quote is at s[i - 1], into the current
 * cell; returns one past its closing quote, or 0 when the line does not
 * close it (or libcsv would not take it as closed there). */
static size_t put_quoted_field(buf *cells, const char *s, size_t n, size_t i, char delim)
{
    for (;;) {
        const char *q = memchr(s + i, '"', n - i);
        if (!q) return 0;   /* goes on to the next line */
        size_t k = (size_t)(q - s);
        put_bytes(cells, s + i, k - i);
        if (k + 1 < n && s[k + 1] == '"') {   /* "" is one '"' */
            put_bytes(cells, "\"", 1);
            i = k + 2;
            continue;
        }
        i = k + 1;
        return i == n || s[i] == delim ? i : 0;
    }
}

/* Split s[0..n), a whole line without its line end that starts a row, into
 * a row of t as libcsv would (on_field, on_row). Returns 0, leaving t as it
 * was, when the line is not that simple: libcsv must read it. */
static int split_plain_row(parse_state *ps, const char *s, size_t n)
{
    csv_table *t = ps->t;
    char delim = ps->delim;
    /* the cells hold at most the line's bytes plus a NUL each (at most n + 1
     * cells), and the buf's own NUL comes after them */
    t->cells.data = xgrow(t->cells.data, &t->cells.cap, t->cells.len + 2 * n + 2, 1);
    size_t i = 0;
    while (i < n && is_field_space(s[i], delim)) i++;
    for (;;) {
        cell_begin(t);
        if (i < n && s[i] == '"') {
            i = put_quoted_field(&t->cells, s, n, i + 1, delim);
            if (!i) goto not_plain;
        } else {
            size_t j = i;
            for (; j < n && s[j] != delim; j++)
                if (s[j] == '"') goto not_plain;
            size_t end = j;
            while (end > i && is_field_space(s[end - 1], delim)) end--;
            put_bytes(&t->cells, s + i, end - i);
            i = j;
        }
        put_bytes(&t->cells, "", 1);
        cell_end(ps);
        if (i >= n) break;
        i++;   /* the delimiter */
        while (i < n && is_field_space(s[i], delim)) i++;
    }
    t->cells.data[t->cells.len] = '\0';   /* the buf's own end, as buf_add keeps it */
    on_row('\n', ps);
    return 1;
not_plain:
    t->n_cells = ps->row_cells;
    t->cells.len = ps->row_bytes;
    t->cells.data[t->cells.len] = '\0';
    return 0;
}

/* Feed one line (with its line end) to libcsv. Returns -1 after an error. */
static int feed_line(struct csv_parser *p, unsigned char opts, parse_state *ps,
                     const char *chunk, size_t n)
{
    size_t done = 0;
    while (done < n) {
        size_t k = csv_parse(p, chunk + done, n - done, on_field, on_row, ps);
        if (k == n - done) break;
        size_t at = done + k;
        if (csv_error(p) != CSV_EPARSE || !is_quote_in_unquoted_field(ps, chunk, at)) {
            if (csv_error(p) == CSV_EPARSE) report_open_quote(ps, ps->line);
            else diag_add(ps->d, ps->source, ps->line, SEV_ERROR, "cannot parse: %s",
                          csv_strerror(csv_error(p)));
            return -1;
        }
        /* take the '"' as a plain character, then go on strictly */
        csv_set_opts(p, (unsigned char)(opts & ~CSV_STRICT));
        csv_parse(p, chunk + at, 1, on_field, on_row, ps);
        csv_set_opts(p, opts);
        ps->loose_field = 1;
        done = at + 1;
    }
    return 0;
}

/* The bytes of s[0..rem) before the first CR or LF (memchr, not a byte
 * loop: this runs over every byte of the file). */
static size_t line_length(const char *s, size_t rem)
{
    const char *lf = memchr(s, '\n', rem);
    size_t n = lf ? (size_t)(lf - s) : rem;
    const char *cr = memchr(s, '\r', n);
    return cr ? (size_t)(cr - s) : n;
}

/* Parse the whole text into t. Returns 0, or -1 with an error in d. */
static int parse_table(const text_file *tf, char delim, csv_table *t, diag_list *d)
{
    const unsigned char opts = CSV_STRICT | CSV_STRICT_FINI;
    struct csv_parser p;
    if (csv_init(&p, opts) != 0) {
        diag_add(d, tf->name, 0, SEV_ERROR, "cannot start the CSV parser");
        return -1;
    }
    csv_set_delim(&p, (unsigned char)delim);
    csv_set_realloc_func(&p, xrealloc);
    csv_set_free_func(&p, free);
    parse_state ps = {.t = t, .source = tf->name, .d = d, .delim = delim,
                      .line = 1, .row_line = 1, .field_line = 1, .at_row_start = 1};
    int rc = 0;
    size_t pos = 0;
    while (pos < tf->len && rc == 0) {
        const char *s = tf->data + pos;
        size_t n = line_length(s, tf->len - pos);
        size_t text_len = n;   /* without the line end */
        if (pos + n < tf->len) n += (s[n] == '\r' && pos + n + 1 < tf->len && s[n + 1] == '\n') ? 2 : 1;
        int plain = 0;
        if (ps.at_row_start && starts_row(s, n, delim)) {
            ps.row_line = ps.field_line = ps.line;
            ps.at_row_start = 0;
            /* the last line, without a line end, is left to csv_fini */
            plain = text_len < n && split_plain_row(&ps, s, text_len);
        }
        if (!plain) rc = feed_line(&p, opts, &ps, s, n);
        pos += n;
        ps.line++;
    }
    if (rc == 0 && csv_fini(&p, on_field, on_row, &ps) != 0) {
        report_open_quote(&ps, 0);
        rc = -1;
    }
    csv_free(&p);
    return rc;
}

/* ---- delimiter and sniffing -------------------------------------------- */

static const char DELIMITERS[] = {',', ';', '\t'};
#define N_DELIMITERS (sizeof DELIMITERS)

static int has_tsv_extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    return dot && strcasecmp(dot + 1, "tsv") == 0;
}

/* The delimiter used most often outside quotes on the first non-blank
 * line; a comma when there is none. */
static char detect_delimiter(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == '\n' || s[i] == '\r' || s[i] == ' ')) i++;
    size_t count[N_DELIMITERS] = {0};
    int quoted = 0;
    for (; i < n && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
        if (s[i] == '"') quoted = !quoted;
        for (size_t k = 0; k < N_DELIMITERS && !quoted; k++) count[k] += s[i] == DELIMITERS[k];
    }
    size_t best = 0;
    for (size_t k = 1; k < N_DELIMITERS; k++)
        if (count[k] > count[best]) best = k;
    return DELIMITERS[best];
}

static int is_known_name(const char *s, size_t n)
{
    while (n && is_blank(*s)) s++, n--;
    while (n && is_blank(s[n - 1])) n--;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') s++, n -= 2;
    char *name = xstrndup(s, n);
    int known = 0;
    for (int k = 0; k < N_KEYS && !known; k++)
        for (const char *const *w = KNOWN_NAMES[k]; *w && !known; w++) known = name_matches(name, *w);
    free(name);
    return known;
}

int sniff_csv(const char *head, size_t n)
{
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) head += 3, n -= 3;
    size_t end = 0;
    while (end < n && head[end] != '\n' && head[end] != '\r') end++;
    for (size_t k = 0; k < N_DELIMITERS; k++) {
        if (!memchr(head, DELIMITERS[k], end)) continue;
        size_t known = 0, start = 0;
        for (size_t i = 0; i <= end; i++) {
            if (i < end && head[i] != DELIMITERS[k]) continue;
            known += (size_t)is_known_name(head + start, i - start);
            start = i + 1;
        }
        if (known >= 2) return 1;
    }
    return 0;
}

/* ---- choosing the columns ---------------------------------------------- */

/* "a, b, c": the header's columns, for messages. */
static char *header_list(const csv_table *t)
{
    buf out = {0};
    for (size_t c = 0; c < t->n_cols; c++) {
        if (c) buf_adds(&out, ", ");
        buf_adds(&out, cell(t, 0, c));
    }
    return buf_take(&out);
}

/* The column named `name`: an exact match first, then one equal after
 * normalise_name. NO_COLUMN when there is none. */
static size_t find_column(const csv_table *t, const char *name)
{
    for (size_t c = 0; c < t->n_cols; c++)
        if (strcmp(cell(t, 0, c), name) == 0) return c;
    for (size_t c = 0; c < t->n_cols; c++)
        if (name_matches(cell(t, 0, c), name)) return c;
    return NO_COLUMN;
}

static int column_taken(const size_t col[N_KEYS], size_t c)
{
    for (int k = 0; k < N_KEYS; k++)
        if (col[k] == c) return 1;
    return 0;
}

/* s[0..n) without the blanks around it, as a new string. */
static char *trimmed_copy(const char *s, size_t n)
{
    while (n && is_blank(*s)) s++, n--;
    while (n && is_blank(s[n - 1])) n--;
    return xstrndup(s, n);
}

/* Apply one item of --columns ("key=column"). Returns 0, or -1 with an
 * error in d. */
static int apply_column_item(const csv_table *t, const char *item, size_t n, size_t col[N_KEYS],
                             const char *source, diag_list *d)
{
    const char *eq = memchr(item, '=', n);
    char *whole = trimmed_copy(item, n);
    char *key = eq ? trimmed_copy(item, (size_t)(eq - item)) : NULL;
    char *name = eq ? trimmed_copy(eq + 1, n - (size_t)(eq + 1 - item)) : NULL;
    int rc = 0, k = 0;
    while (key && k < N_KEYS && strcasecmp(KEY_NAMES[k], key) != 0) k++;
    if (!whole[0]) {
        /* an empty item ("a=b,,c=d"): nothing to do */
    } else if (!eq || !key[0] || !name[0]) {   /* NOLINT(clang-analyzer-core.NullDereference): key is set whenever eq is */
        diag_add(d, source, 0, SEV_ERROR,
                 "--columns: '%s' is not KEY=COLUMN; write e.g. "
                 "--columns speaker=interlocutor,text=utterance_text", whole);
        rc = -1;
    } else if (k == N_KEYS) {
        diag_add(d, source, 0, SEV_ERROR,
                 "--columns: unknown key '%s'; the keys are session, speaker, text, "
                 "start, end, role", key);
        rc = -1;
    } else if ((col[k] = find_column(t, name)) == NO_COLUMN) {
        char *have = header_list(t);
        diag_add(d, source, t->rows[0].line, SEV_ERROR,
                 "--columns: column '%s' (for %s) is not in the header; the header has: %s",
                 name, KEY_NAMES[k], have);
        free(have);
        rc = -1;
    }
    free(whole);
    free(key);
    free(name);
    return rc;
}

/* Apply the --columns spec ("key=column,..."). Returns 0, or -1 with an
 * error in d. */
static int apply_column_spec(const csv_table *t, const char *spec, size_t col[N_KEYS],
                             const char *source, diag_list *d)
{
    for (const char *p = spec;;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (apply_column_item(t, p, n, col, source, d) != 0) return -1;
        if (!end) return 0;
        p = end + 1;
    }
}

/* Fill in the keys --columns did not give from the recognised names. */
static void find_known_columns(const csv_table *t, size_t col[N_KEYS], const int given[N_KEYS])
{
    for (int k = 0; k < N_KEYS; k++) {
        if (given[k]) continue;
        for (const char *const *w = KNOWN_NAMES[k]; *w && col[k] == NO_COLUMN; w++) {
            for (size_t c = 0; c < t->n_cols; c++) {
                if (!column_taken(col, c) && name_matches(cell(t, 0, c), *w)) {
                    col[k] = c;
                    break;
                }
            }
        }
    }
}

static void report_missing_column(const csv_table *t, col_key k, const char *source, diag_list *d)
{
    buf looked = {0};
    for (const char *const *w = KNOWN_NAMES[k]; *w; w++) {
        if (looked.len) buf_adds(&looked, ", ");
        buf_adds(&looked, *w);
    }
    char *have = header_list(t);
    diag_add(d, source, t->rows[0].line, SEV_ERROR,
             "no %s column found (looked for %s); the header has: %s; "
             "name it with --columns %s=COLUMN",
             KEY_NAMES[k], buf_str(&looked), have, KEY_NAMES[k]);
    free(have);
    buf_free(&looked);
}

/* Decide which column holds what. Returns 0, or -1 with errors in d. */
static int choose_columns(const csv_table *t, const char *spec, size_t col[N_KEYS],
                          const char *source, diag_list *d)
{
    int given[N_KEYS] = {0};
    for (int k = 0; k < N_KEYS; k++) col[k] = NO_COLUMN;
    if (spec && apply_column_spec(t, spec, col, source, d) != 0) return -1;
    for (int k = 0; k < N_KEYS; k++) given[k] = col[k] != NO_COLUMN;
    find_known_columns(t, col, given);
    if (col[KEY_ROLE] == col[KEY_SPEAKER]) col[KEY_ROLE] = NO_COLUMN;
    int rc = 0;
    if (col[KEY_SPEAKER] == NO_COLUMN) {
        report_missing_column(t, KEY_SPEAKER, source, d);
        rc = -1;
    }
    if (col[KEY_TEXT] == NO_COLUMN) {
        report_missing_column(t, KEY_TEXT, source, d);
        rc = -1;
    }
    return rc;
}

/* ---- times ------------------------------------------------------------- */

typedef enum { TIME_OK, TIME_EMPTY, TIME_MALFORMED, TIME_NEGATIVE, TIME_TOO_LARGE } time_status;

/* Read a run of digits at *p; returns how many there were. */
static size_t read_number(const char **p, const char *end, double *value)
{
    const char *start = *p;
    double v = 0;
    while (*p < end && is_digit(**p)) v = v * 10 + (**p - '0'), (*p)++;
    *value = v;
    return (size_t)(*p - start);
}

/* Seconds ("12.5"), MM:SS or HH:MM:SS, each with an optional fraction after
 * '.' or ','; the minutes of HH:MM:SS and the seconds of both clock forms
 * are two digits below 60. */
static time_status parse_time(const char *s, double *secs)
{
    const char *end = s + strlen(s);
    while (is_blank(*s)) s++;
    while (end > s && is_blank(end[-1])) end--;
    if (s == end) return TIME_EMPTY;
    int negative = *s == '-';
    if (negative) s++;
    double field[3];
    size_t digits[3], nf = 0;
    for (;;) {
        digits[nf] = read_number(&s, end, &field[nf]);
        if (!digits[nf]) return TIME_MALFORMED;
        nf++;
        if (nf < 3 && s < end && *s == ':') s++;
        else break;
    }
    for (size_t i = 1; i < nf; i++)
        if (digits[i] != 2 || field[i] >= 60) return TIME_MALFORMED;
    double frac = 0;
    if (s < end && (*s == '.' || *s == ',')) {
        s++;
        double scale = 1;
        if (s == end || !is_digit(*s)) return TIME_MALFORMED;
        for (; s < end && is_digit(*s); s++) {
            scale *= 10;
            frac += (*s - '0') / scale;
        }
    }
    if (s != end) return TIME_MALFORMED;
    double total = 0;
    for (size_t i = 0; i < nf; i++) total = total * 60 + field[i];
    *secs = total + frac;
    if (negative) return TIME_NEGATIVE;
    if (*secs > TIME_MAX_SECONDS) return TIME_TOO_LARGE;
    return TIME_OK;
}

/* The time in cell `value` of column `column`, or TIME_UNKNOWN with a
 * warning when it cannot be used. */
static double read_time(const char *value, const char *column, long line,
                        const char *source, diag_list *d)
{
    double t = TIME_UNKNOWN;
    switch (parse_time(value, &t)) {
    case TIME_OK:
        return t;
    case TIME_EMPTY:
        break;
    case TIME_MALFORMED:
        diag_add(d, source, line, SEV_WARNING,
                 "malformed time '%s' in column '%s'; the time is treated as unknown "
                 "(write seconds such as 12.5, MM:SS or HH:MM:SS.mmm)", value, column);
        break;
    case TIME_NEGATIVE:
        diag_add(d, source, line, SEV_WARNING,
                 "negative time '%s' in column '%s'; the time is treated as unknown",
                 value, column);
        break;
    case TIME_TOO_LARGE:
        diag_add(d, source, line, SEV_WARNING,
                 "time '%s' in column '%s' is over 1,000,000 seconds; the time is "
                 "treated as unknown", value, column);
        break;
    }
    return TIME_UNKNOWN;
}

/* Where only start times are known, end each utterance at the next start. */
static void estimate_ends(session *s)
{
    for (size_t i = 0; i + 1 < s->n_utts; i++) {
        utterance *u = &s->utts[i];
        double next = s->utts[i + 1].start;
        if (u->start >= 0 && u->end < 0 && next >= u->start) {
            u->end = next;
            u->flags |= UTT_END_ESTIMATED;
            s->times_estimated = 1;
        }
    }
}

/* ---- sessions ---------------------------------------------------------- */

/* One session of the file: the rows that share a session value. */
typedef struct group {
    size_t first_row;       /* the row that first named it */
    const char *annotator;  /* the first annotator's id, when there is such a column */
} group;

typedef struct role_conflict {
    size_t count;           /* rows whose role disagrees with an earlier one */
    long line;              /* the first of them */
    char *label;
    role given, kept;
} role_conflict;

typedef struct csv_reader {
    const reader_input *in;
    diag_list *d;
    csv_table t;
    size_t col[N_KEYS];
    size_t *row_group;      /* per row: its group, or NO_COLUMN when the row is skipped */
    group *groups;
    size_t n_groups, cap_groups;
    role_conflict conflict;
} csv_reader;

static const char *key_cell(const csv_reader *r, size_t row, col_key k)
{
    return r->col[k] == NO_COLUMN ? NULL : cell(&r->t, row, r->col[k]);
}

/* Give every row its group; rows without a speaker are skipped. */
static void group_rows(csv_reader *r)
{
    str_map by_value = {0};
    r->row_group = xcalloc(r->t.n_rows, sizeof *r->row_group);
    r->row_group[0] = NO_COLUMN;
    for (size_t row = 1; row < r->t.n_rows; row++) {
        r->row_group[row] = NO_COLUMN;
        if (!key_cell(r, row, KEY_SPEAKER)[0]) {
            diag_add(r->d, r->in->source, r->t.rows[row].line, SEV_WARNING,
                     "empty speaker in column '%s'; row skipped",
                     cell(&r->t, 0, r->col[KEY_SPEAKER]));
            continue;
        }
        const char *value = r->col[KEY_SESSION] == NO_COLUMN ? "" : key_cell(r, row, KEY_SESSION);
        int added;
        size_t g = map_get_or_add(&by_value, value, r->n_groups, &added);
        if (added) {
            r->groups = xgrow(r->groups, &r->cap_groups, r->n_groups + 1, sizeof *r->groups);
            r->groups[r->n_groups++] = (group){row, NULL};
        }
        r->row_group[row] = g;
    }
    map_free(&by_value);
}

/* AnnoMI-full lists a session once per annotator: keep the rows of the
 * first annotator of each session. */
static void keep_first_annotator(csv_reader *r)
{
    size_t c = find_column(&r->t, ANNOTATOR_COLUMN);
    if (c == NO_COLUMN || column_taken(r->col, c)) return;
    long first_dropped = 0;
    for (size_t row = 1; row < r->t.n_rows; row++) {
        if (r->row_group[row] == NO_COLUMN) continue;
        group *g = &r->groups[r->row_group[row]];
        const char *who = cell(&r->t, row, c);
        if (!g->annotator) g->annotator = who;
        if (strcmp(g->annotator, who) != 0) {
            r->row_group[row] = NO_COLUMN;
            if (!first_dropped) first_dropped = r->t.rows[row].line;
        }
    }
    if (first_dropped)
        diag_add(r->d, r->in->source, first_dropped, SEV_WARNING,
                 "several annotators per session (%s); only the first annotator's rows are read",
                 cell(&r->t, 0, c));
}

/* The columns that carry session metadata: named, not read as anything
 * else, and the same on every row of each session. */
static int *meta_columns(const csv_reader *r)
{
    const csv_table *t = &r->t;
    int *meta = xcalloc(t->n_cols ? t->n_cols : 1, sizeof *meta);
    for (size_t c = 0; c < t->n_cols; c++) meta[c] = cell(t, 0, c)[0] && !column_taken(r->col, c);
    for (size_t row = 1; row < t->n_rows; row++) {
        if (r->row_group[row] == NO_COLUMN) continue;
        size_t first = r->groups[r->row_group[row]].first_row;
        for (size_t c = 0; c < t->n_cols; c++)
            if (meta[c] && strcmp(cell(t, row, c), cell(t, first, c)) != 0) meta[c] = 0;
    }
    return meta;
}

/* The session id for a session value: the file's id, '/', and the value
 * with control characters and '/' replaced by '_' (it is only an id). */
static char *session_id_for(const char *file_id, const char *value)
{
    buf id = {0};
    buf_adds(&id, file_id);
    buf_addc(&id, '/');
    if (!value[0]) buf_addc(&id, '_');
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if (*p < 0x20 || *p == 0x7F || *p == '/') {
            buf_addc(&id, '_');
        } else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {  /* C1 controls */
            buf_addc(&id, '_');
            p++;
        } else {
            buf_addc(&id, (char)*p);
        }
    }
    return buf_take(&id);
}

/* The id for group g: unique among the sessions of this file. Ids that
 * sanitising made equal get a "~N" suffix, with a warning. */
static char *unique_session_id(csv_reader *r, size_t g, const str_map *ids)
{
    if (r->col[KEY_SESSION] == NO_COLUMN) return xstrdup(r->in->session_id);
    size_t first = r->groups[g].first_row;
    const char *value = key_cell(r, first, KEY_SESSION);
    char *id = session_id_for(r->in->session_id, value);
    if (!map_contains(ids, id)) return id;
    buf renamed = {0};
    for (size_t n = 2;; n++) {
        buf_clear(&renamed);
        buf_addf(&renamed, "%s~%zu", id, n);
        if (!map_contains(ids, buf_str(&renamed))) break;
    }
    diag_add(r->d, r->in->source, r->t.rows[first].line, SEV_WARNING,
             "session '%s' has the id '%s' of an earlier session once '/' and control "
             "characters are replaced; it is named '%s'", value, id, buf_str(&renamed));
    free(id);
    return buf_take(&renamed);
}

/* Add one session per group to out, in order of first appearance, with
 * the meta fields. */
static void add_sessions(csv_reader *r, session_list *out)
{
    int *meta = meta_columns(r);
    str_map ids = {0};   /* borrows each session's id, which stays put */
    for (size_t g = 0; g < r->n_groups; g++) {
        char *id = unique_session_id(r, g, &ids);
        session *s = session_list_add(out, id, r->in->source);
        free(id);
        int added;
        map_get_or_add(&ids, s->id, g, &added);
        size_t first = r->groups[g].first_row;
        for (size_t c = 0; c < r->t.n_cols; c++)
            if (meta[c]) session_add_meta(s, cell(&r->t, 0, c), cell(&r->t, first, c));
    }
    map_free(&ids);
    free(meta);
}

static int source_role(const char *value)
{
    char *name = normalise_name(value);
    int found = -1;
    for (size_t i = 0; i < sizeof SOURCE_ROLES / sizeof SOURCE_ROLES[0] && found < 0; i++)
        if (strcmp(SOURCE_ROLES[i].name, name) == 0) found = (int)SOURCE_ROLES[i].role;
    free(name);
    return found;
}

/* Set a speaker's role from the role column; the first role given wins. */
static void apply_role(csv_reader *r, speaker *sp, const char *value, long line)
{
    int given = source_role(value);
    if (given < 0) return;
    if (!sp->role_from_source) {
        sp->role = (role)given;
        sp->role_from_source = 1;
    } else if (sp->role != (role)given) {
        role_conflict *rc = &r->conflict;
        if (rc->count++ == 0) {
            rc->line = line;
            rc->label = xstrdup(sp->label);
            rc->given = (role)given;
            rc->kept = sp->role;
        }
    }
}

static void report_role_conflicts(csv_reader *r)
{
    role_conflict *rc = &r->conflict;
    if (!rc->count) return;
    diag_add(r->d, r->in->source, rc->line, SEV_WARNING,
             "speaker '%s' is given the role '%s' but an earlier row gave '%s'; the first "
             "role is kept (%zu row%s of the file disagree%s like this)",
             rc->label, role_name(rc->given), role_name(rc->kept), rc->count,
             rc->count == 1 ? "" : "s", rc->count == 1 ? "s" : "");
    free(rc->label);
}

/* Turn one row into an utterance of session s. */
static void add_row(csv_reader *r, session *s, size_t row)
{
    const char *source = r->in->source;
    long line = r->t.rows[row].line;
    char *label = join_lines(key_cell(r, row, KEY_SPEAKER));
    size_t who = session_speaker(s, label);
    free(label);
    if (r->col[KEY_ROLE] != NO_COLUMN) apply_role(r, &s->speakers[who], key_cell(r, row, KEY_ROLE), line);

    double start = TIME_UNKNOWN, end = TIME_UNKNOWN;
    if (r->col[KEY_START] != NO_COLUMN)
        start = read_time(key_cell(r, row, KEY_START), cell(&r->t, 0, r->col[KEY_START]), line, source, r->d);
    if (r->col[KEY_END] != NO_COLUMN)
        end = read_time(key_cell(r, row, KEY_END), cell(&r->t, 0, r->col[KEY_END]), line, source, r->d);
    char a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX];
    if (start >= 0 && end >= 0 && end < start) {
        clock_format(end, a);
        clock_format(start, b);
        diag_add(r->d, source, line, SEV_WARNING,
                 "end time %s is before the start time %s; the end is treated as unknown", a, b);
        end = TIME_UNKNOWN;
    }
    char *text = join_lines(key_cell(r, row, KEY_TEXT));
    session_add_utterance(s, who, text, start, end, line);
    free(text);
}

static void build_sessions(csv_reader *r, session_list *out)
{
    size_t base = out->n;
    add_sessions(r, out);
    for (size_t row = 1; row < r->t.n_rows; row++)
        if (r->row_group[row] != NO_COLUMN) add_row(r, &out->items[base + r->row_group[row]], row);
    for (size_t g = 0; g < r->n_groups; g++) estimate_ends(&out->items[base + g]);
    report_role_conflicts(r);
}

int read_csv(const reader_input *in, const reader_options *opt, session_list *out, diag_list *d)
{
    text_file tf;
    if (reader_load_text(in, &tf, d) != 0) return -1;
    csv_reader r = {.in = in, .d = d};
    char delim = has_tsv_extension(in->path) ? '\t' : detect_delimiter(tf.data, tf.len);
    int rc = parse_table(&tf, delim, &r.t, d);
    text_free(&tf);
    if (rc == 0 && r.t.n_rows == 0) {
        diag_add(d, in->source, 0, SEV_ERROR, "no header line: the file holds only blank lines");
        rc = -1;
    }
    if (rc == 0) rc = choose_columns(&r.t, opt ? opt->columns : NULL, r.col, in->source, d);
    if (rc == 0) {
        group_rows(&r);
        keep_first_annotator(&r);
        if (r.n_groups == 0) {
            diag_add(d, in->source, r.t.rows[0].line, SEV_ERROR,
                     "no rows to read after the header; add one row per utterance");
            rc = -1;
        }
    }
    if (rc == 0) build_sessions(&r, out);
    free(r.row_group);
    free(r.groups);
    table_free(&r.t);
    return rc;
}
