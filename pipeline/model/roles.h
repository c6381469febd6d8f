/* roles.h: which speaker is the therapist and which the client.
 *
 * Three sources, strongest first: the user's --roles file (a CSV with header
 * speaker,role), the role the transcript format itself states (CHAT
 * @Participants, TEI role, ELAN participant), and the built-in role words
 * ("Therapist", "T", "Client 2", ...). A speaker none of them names is
 * "other", with a warning that suggests --roles. */
#ifndef DYAD_ROLES_H
#define DYAD_ROLES_H

#include "model/session.h"
#include "util/diag.h"

typedef struct role_entry {
    char *label;   /* compared case-insensitively */
    role role;
} role_entry;

typedef struct role_map {
    role_entry *items;
    size_t n, cap;
} role_map;

/* Read a --roles CSV. Returns 0, or -1 with an error naming the file and line. */
int role_map_load(role_map *m, const char *path, diag_list *d);
/* The role the map gives this label, or -1. */
int role_map_lookup(const role_map *m, const char *label);
void role_map_free(role_map *m);

/* The role of a built-in role word (case-insensitive; trailing digits and
 * spaces ignored: "Client 2" is a client), or -1. */
int role_builtin(const char *label);
/* The role a transcript format's own role name states (CHAT @Participants
 * and @ID, TalkBank XML, TEI <person role>): Therapist, Counselor,
 * Clinician, Investigator, Interviewer, Doctor, Psychologist... are
 * therapists; Client, Patient, Target_Child, Child, Participant,
 * Interviewee are clients (case-insensitive); -1 for any other name. The
 * first n bytes of name are compared. */
int role_from_format(const char *name, size_t n);

/* The role the user map or the built-in words give this label, or -1. */
int role_known(const role_map *m, const char *label);

/* Give every speaker of s its role (map, then source, then built-in words);
 * warn once per unassigned speaker. */
void roles_assign(session *s, const role_map *m, diag_list *d);

#endif
