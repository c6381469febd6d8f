/* roles.c: assigning therapist, client or other to speakers (see roles.h). */
#include "model/roles.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Role words from the issue that defines the plain-text format; the short
 * forms (t, th, c, cl, p, pt) are the usual transcript abbreviations. */
static const struct { const char *word; role role; } BUILTIN_ROLES[] = {
    {"therapist", ROLE_THERAPIST}, {"counselor", ROLE_THERAPIST},
    {"counsellor", ROLE_THERAPIST}, {"clinician", ROLE_THERAPIST},
    {"interviewer", ROLE_THERAPIST}, {"provider", ROLE_THERAPIST},
    {"psychologist", ROLE_THERAPIST}, {"psychiatrist", ROLE_THERAPIST},
    {"doctor", ROLE_THERAPIST}, {"t", ROLE_THERAPIST}, {"th", ROLE_THERAPIST},
    {"client", ROLE_CLIENT}, {"patient", ROLE_CLIENT},
    {"participant", ROLE_CLIENT}, {"interviewee", ROLE_CLIENT},
    {"c", ROLE_CLIENT}, {"cl", ROLE_CLIENT}, {"p", ROLE_CLIENT}, {"pt", ROLE_CLIENT},
};

int role_builtin(const char *label)
{
    size_t n = strlen(label);
    while (n && (isdigit((unsigned char)label[n - 1]) || label[n - 1] == ' ')) n--;
    if (!n) return -1;
    for (size_t i = 0; i < sizeof BUILTIN_ROLES / sizeof BUILTIN_ROLES[0]; i++)
        if (strlen(BUILTIN_ROLES[i].word) == n && strncasecmp(BUILTIN_ROLES[i].word, label, n) == 0)
            return (int)BUILTIN_ROLES[i].role;
    return -1;
}

/* Role names as transcript formats write them (CHAT's participant roles,
 * TEI role attributes). Investigator is CHAT's role for the clinician. */
static const struct { const char *name; role role; } FORMAT_ROLES[] = {
    {"therapist", ROLE_THERAPIST}, {"counselor", ROLE_THERAPIST},
    {"counsellor", ROLE_THERAPIST}, {"clinician", ROLE_THERAPIST},
    {"investigator", ROLE_THERAPIST}, {"interviewer", ROLE_THERAPIST},
    {"doctor", ROLE_THERAPIST}, {"psychologist", ROLE_THERAPIST},
    {"psychiatrist", ROLE_THERAPIST}, {"provider", ROLE_THERAPIST},
    {"client", ROLE_CLIENT}, {"patient", ROLE_CLIENT},
    {"target_child", ROLE_CLIENT}, {"child", ROLE_CLIENT},
    {"participant", ROLE_CLIENT}, {"interviewee", ROLE_CLIENT},
};

int role_from_format(const char *name, size_t n)
{
    for (size_t i = 0; i < sizeof FORMAT_ROLES / sizeof FORMAT_ROLES[0]; i++)
        if (strlen(FORMAT_ROLES[i].name) == n && strncasecmp(FORMAT_ROLES[i].name, name, n) == 0)
            return (int)FORMAT_ROLES[i].role;
    return -1;
}

int role_map_lookup(const role_map *m, const char *label)
{
    if (!m) return -1;
    for (size_t i = 0; i < m->n; i++)
        if (strcasecmp(m->items[i].label, label) == 0) return (int)m->items[i].role;
    return -1;
}

int role_known(const role_map *m, const char *label)
{
    int r = role_map_lookup(m, label);
    return r >= 0 ? r : role_builtin(label);
}

void roles_assign(session *s, const role_map *m, diag_list *d)
{
    for (size_t i = 0; i < s->n_speakers; i++) {
        speaker *sp = &s->speakers[i];
        int r = role_map_lookup(m, sp->label);
        if (r < 0 && sp->role_from_source) continue;
        if (r < 0) r = role_builtin(sp->label);
        if (r < 0) {
            sp->role = ROLE_OTHER;
            diag_add(d, s->source, 0, SEV_WARNING,
                     "speaker '%s' has no role and counts as 'other'; give it one with "
                     "--roles FILE (a CSV with header speaker,role)", sp->label);
        } else {
            sp->role = (role)r;
        }
    }
}

/* --roles CSV parsing, with libcsv: collect the fields of each record. */
typedef struct roles_parse {
    role_map *map;
    diag_list *d;
    const char *path;
    long record;      /* 1-based record number, the header being 1 */
    char *field[2];
    size_t n_fields;
    int failed;
} roles_parse;

static void roles_on_field(void *data, size_t len, void *ctx)
{
    roles_parse *p = ctx;
    if (p->n_fields < 2) p->field[p->n_fields] = xstrndup(data ? data : "", len);
    p->n_fields++;
}

static void roles_on_record(int c, void *ctx)
{
    (void)c;
    roles_parse *p = ctx;
    p->record++;
    const char *a = p->n_fields > 0 ? p->field[0] : "";
    const char *b = p->n_fields > 1 ? p->field[1] : "";
    if (p->failed) {   /* NOLINT(bugprone-branch-clone): two different reasons to do nothing */
        /* keep parsing only to free fields */
    } else if (p->record == 1) {
        if (strcasecmp(a, "speaker") != 0 || strcasecmp(b, "role") != 0 || p->n_fields != 2) {
            diag_add(p->d, p->path, 1, SEV_ERROR,
                     "the header must be exactly 'speaker,role'");
            p->failed = 1;
        }
    } else if (p->n_fields == 1 && a[0] == '\0') {
        /* blank line */
    } else if (p->n_fields != 2 || a[0] == '\0') {
        diag_add(p->d, p->path, p->record, SEV_ERROR,
                 "expected two fields 'speaker,role', found %zu", p->n_fields);
        p->failed = 1;
    } else if (role_parse(b) < 0) {
        diag_add(p->d, p->path, p->record, SEV_ERROR,
                 "unknown role '%s' for speaker '%s'; use therapist, client or other", b, a);
        p->failed = 1;
    } else {
        role_map *m = p->map;
        m->items = xgrow(m->items, &m->cap, m->n + 1, sizeof *m->items);
        m->items[m->n].label = xstrdup(a);
        m->items[m->n].role = (role)role_parse(b);
        m->n++;
    }
    for (size_t i = 0; i < 2 && i < p->n_fields; i++) free(p->field[i]);
    p->field[0] = p->field[1] = NULL;
    p->n_fields = 0;
}

int role_map_load(role_map *m, const char *path, diag_list *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_add(d, path, 0, SEV_ERROR, "cannot open the --roles file: %s", strerror(errno));
        return -1;
    }
    struct csv_parser parser;
    if (csv_init(&parser, CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
        fclose(f);
        diag_add(d, path, 0, SEV_ERROR, "cannot start the CSV parser");
        return -1;
    }
    roles_parse p = {.map = m, .d = d, .path = path};
    char chunk[8192];
    size_t n;
    int first = 1;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        const char *s = chunk;
        if (first && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) { s += 3; n -= 3; }
        first = 0;
        if (csv_parse(&parser, s, n, roles_on_field, roles_on_record, &p) != n) {
            diag_add(d, path, p.record + 1, SEV_ERROR, "malformed CSV: %s",
                     csv_strerror(csv_error(&parser)));
            p.failed = 1;
            break;
        }
    }
    csv_fini(&parser, roles_on_field, roles_on_record, &p);
    csv_free(&parser);
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        diag_add(d, path, 0, SEV_ERROR, "read error");
        return -1;
    }
    if (!p.failed && p.record == 0) {
        diag_add(d, path, 0, SEV_ERROR, "the --roles file is empty; it needs the header 'speaker,role'");
        return -1;
    }
    return p.failed ? -1 : 0;
}

void role_map_free(role_map *m)
{
    for (size_t i = 0; i < m->n; i++) free(m->items[i].label);
    free(m->items);
    m->items = NULL;
    m->n = m->cap = 0;
}
