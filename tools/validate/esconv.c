/* esconv.c: ESConv JSON lines to a CSV file dyad reads (esconv.h).
 *
 * A small JSON reader, enough for ESConv's lines: objects, arrays, strings
 * with every escape, numbers and literals (skipped). Only the "dialog" array
 * of the top-level object and the "text", "speaker" and "strategy" strings
 * of its turns are kept. */
#include "esconv.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

typedef struct cursor {
    const char *s;
    size_t n, pos;
    char *err;
    size_t err_size;
} cursor;

static int fail_at(cursor *c, const char *what)
{
    snprintf(c->err, c->err_size, "byte %zu: %s", c->pos + 1, what);
    return -1;
}

static void skip_space(cursor *c)
{
    while (c->pos < c->n && strchr(" \t\r\n", c->s[c->pos]) && c->s[c->pos]) c->pos++;
}

static int take(cursor *c, char ch)
{
    skip_space(c);
    if (c->pos < c->n && c->s[c->pos] == ch) {
        c->pos++;
        return 1;
    }
    return 0;
}

static int hex4(cursor *c, uint32_t *v)
{
    if (c->pos + 4 > c->n) return fail_at(c, "short \\u escape");
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char h = c->s[c->pos++];
        int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
              : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
        if (d < 0) return fail_at(c, "bad \\u escape");
        *v = *v * 16 + (uint32_t)d;
    }
    return 0;
}

/* The \uXXXX escape after "\u", with a following low surrogate when the
 * first is a high one; a lone surrogate becomes U+FFFD. */
static int unicode_escape(cursor *c, buf *out)
{
    uint32_t cp;
    if (hex4(c, &cp) != 0) return -1;
    if (cp >= 0xD800 && cp <= 0xDBFF && c->pos + 6 <= c->n && c->s[c->pos] == '\\' &&
        c->s[c->pos + 1] == 'u') {
        size_t back = c->pos;
        uint32_t lo;
        c->pos += 2;
        if (hex4(c, &lo) != 0) return -1;
        if (lo >= 0xDC00 && lo <= 0xDFFF) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        else c->pos = back;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = UTF8_REPLACEMENT;
    char enc[4];
    buf_add(out, enc, utf8_encode(cp, enc));
    return 0;
}

/* A JSON string at the cursor, unescaped into `out` (when not NULL). */
static int read_string(cursor *c, buf *out)
{
    skip_space(c);
    if (c->pos >= c->n || c->s[c->pos] != '"') return fail_at(c, "expected a string");
    c->pos++;
    buf scratch = {0};
    buf *b = out ? out : &scratch;
    for (;;) {
        if (c->pos >= c->n) {
            buf_free(&scratch);
            return fail_at(c, "unterminated string");
        }
        char ch = c->s[c->pos++];
        if (ch == '"') break;
        if (ch != '\\') {
            buf_addc(b, ch);
            continue;
        }
        if (c->pos >= c->n) continue;   /* reported as unterminated */
        char e = c->s[c->pos++];
        const char *plain = strchr("\"\\/bfnrt", e);
        if (e && plain) {
            buf_addc(b, "\"\\/\b\f\n\r\t"[plain - "\"\\/bfnrt"]);
        } else if (e == 'u') {
            if (unicode_escape(c, b) != 0) {
                buf_free(&scratch);
                return -1;
            }
        } else {
            c->pos -= 2;   /* at the backslash */
            buf_free(&scratch);
            return fail_at(c, "bad escape in a string");
        }
    }
    buf_free(&scratch);
    return 0;
}

static int skip_value(cursor *c, int depth);

/* The members of an object or the items of an array, skipped. */
static int skip_container(cursor *c, char close, int is_object, int depth)
{
    if (take(c, close)) return 0;
    do {
        if (is_object) {
            if (read_string(c, NULL) != 0) return -1;
            if (!take(c, ':')) return fail_at(c, "expected ':'");
        }
        if (skip_value(c, depth + 1) != 0) return -1;
    } while (take(c, ','));
    if (!take(c, close)) return fail_at(c, is_object ? "expected ',' or '}'" : "expected ',' or ']'");
    return 0;
}

static int skip_value(cursor *c, int depth)
{
    if (depth > MAX_DEPTH) return fail_at(c, "nested too deeply");
    skip_space(c);
    if (c->pos >= c->n) return fail_at(c, "expected a value");
    char ch = c->s[c->pos];
    if (ch == '"') return read_string(c, NULL);
    if (ch == '{' || ch == '[') {
        c->pos++;
        return skip_container(c, ch == '{' ? '}' : ']', ch == '{', depth);
    }
    size_t start = c->pos;
    while (c->pos < c->n && strchr("+-.0123456789eEtrufalsn", c->s[c->pos]) && c->s[c->pos]) c->pos++;
    return c->pos > start ? 0 : fail_at(c, "expected a value");
}

/* A CSV cell: quoted, `"` doubled, control characters as spaces. */
static void write_cell(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"') fputs("\"\"", out);
        else fputc(ch < 0x20 || ch == 0x7F ? ' ' : ch, out);
    }
    fputc('"', out);
}

typedef struct turn {
    buf text, speaker, strategy;
} turn;

static int read_turn(cursor *c, turn *t)
{
    if (!take(c, '{')) return fail_at(c, "expected a turn object '{'");
    if (take(c, '}')) return 0;
    buf key = {0};
    int rc = 0;
    do {
        buf_clear(&key);
        if ((rc = read_string(c, &key)) != 0) break;
        if (!take(c, ':')) {
            rc = fail_at(c, "expected ':'");
            break;
        }
        const char *k = buf_str(&key);
        buf *into = strcmp(k, "text") == 0 ? &t->text : strcmp(k, "speaker") == 0 ? &t->speaker
                  : strcmp(k, "strategy") == 0 ? &t->strategy : NULL;
        if (into) {
            buf_clear(into);
            rc = read_string(c, into);
        } else {
            rc = skip_value(c, 2);
        }
        if (rc != 0) break;
    } while (take(c, ','));
    buf_free(&key);
    if (rc == 0 && !take(c, '}')) rc = fail_at(c, "expected ',' or '}' in a turn");
    return rc;
}

static int write_turn(cursor *c, const turn *t, long index, const char *part, FILE *out)
{
    const char *who = buf_str(&t->speaker);
    int supporter = strcmp(who, "sys") == 0;
    if (!supporter && strcmp(who, "usr") != 0) {
        snprintf(c->err, c->err_size,
                 "turn speaker \"%s\" is neither \"sys\" (supporter) nor \"usr\" (seeker)", who);
        return -1;
    }
    fprintf(out, "%ld,%s,%s,", index, supporter ? "supporter" : "seeker",
            supporter ? "therapist" : "client");
    write_cell(out, buf_str(&t->text));
    fputc(',', out);
    write_cell(out, supporter ? buf_str(&t->strategy) : "");
    fputc(',', out);
    write_cell(out, part);
    fputc('\n', out);
    return 0;
}

static int read_dialog(cursor *c, long index, const char *part, FILE *out)
{
    if (!take(c, '[')) return fail_at(c, "\"dialog\" is not an array");
    if (take(c, ']')) return 0;
    do {
        turn t = {{0}, {0}, {0}};
        int rc = read_turn(c, &t);
        if (rc == 0) rc = write_turn(c, &t, index, part, out);
        buf_free(&t.text);
        buf_free(&t.speaker);
        buf_free(&t.strategy);
        if (rc != 0) return -1;
    } while (take(c, ','));
    return take(c, ']') ? 0 : fail_at(c, "expected ',' or ']' in \"dialog\"");
}

int esconv_convert_line(const char *json, size_t n, long index, const char *part, FILE *out,
                        char *err, size_t err_size)
{
    cursor c = {json, n, 0, err, err_size};
    if (!take(&c, '{')) return fail_at(&c, "not a JSON object; each line must be one ESConv dialogue");
    int dialogs = 0;
    buf key = {0};
    int rc = 0;
    if (!take(&c, '}')) {
        do {
            buf_clear(&key);
            if ((rc = read_string(&c, &key)) != 0) break;
            if (!take(&c, ':')) {
                rc = fail_at(&c, "expected ':'");
                break;
            }
            if (strcmp(buf_str(&key), "dialog") == 0) {
                dialogs++;
                rc = read_dialog(&c, index, part, out);
            } else {
                rc = skip_value(&c, 1);
            }
            if (rc != 0) break;
        } while (take(&c, ','));
        if (rc == 0 && !take(&c, '}')) rc = fail_at(&c, "expected ',' or '}'");
    }
    buf_free(&key);
    if (rc != 0) return -1;
    skip_space(&c);
    if (c.pos < c.n) return fail_at(&c, "text after the JSON object");
    if (dialogs == 0) {
        snprintf(err, err_size, "no \"dialog\" array; is this an ESConv file?");
        return -1;
    }
    return 0;
}

/* The file's name without folders and without ".jsonl". */
static char *part_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    size_t len = strlen(name);
    if (len > 6 && strcmp(name + len - 6, ".jsonl") == 0) len -= 6;
    return xstrndup(name, len);
}

static long convert_file(const char *path, long index, FILE *out, char *err, size_t err_size)
{
    FILE *in = fopen(path, "rb");
    if (!in) {
        snprintf(err, err_size, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char *part = part_name(path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    char msg[512];
    while ((len = getline(&line, &cap, in)) > 0) {
        lineno++;
        size_t n = (size_t)len;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
        if (n == 0) continue;
        if (esconv_convert_line(line, n, index, part, out, msg, sizeof msg) != 0) {
            snprintf(err, err_size, "%s:%ld: %s", path, lineno, msg);
            index = -1;
            break;
        }
        index++;
    }
    free(line);
    free(part);
    fclose(in);
    return index;
}

long esconv_convert(const char *const *paths, size_t n_paths, FILE *out, char *err,
                    size_t err_size)
{
    fputs("session_id,speaker,role,text,strategy,part\n", out);
    long index = 0;
    for (size_t i = 0; i < n_paths && index >= 0; i++)
        index = convert_file(paths[i], index, out, err, err_size);
    return index;
}
