/* Staff roles and the one table of what each may do. The session checks it before every action (and
 * audits a refusal), the queue rules check it for each step, and the screens read it to show only what
 * the logged-in role can use. */
#ifndef TRIAGE_ROLES_H
#define TRIAGE_ROLES_H

#include <stdbool.h>

typedef enum { ROLE_RECEPTION = 0, ROLE_CLINICIAN, ROLE_SUPERVISOR, ROLE_COUNT } staff_role;

typedef enum {
    ACT_INTAKE_CREATE,
    ACT_CLIENT_SEARCH,
    ACT_CLIENT_OPEN,
    ACT_NOTES_OF_OTHERS,
    ACT_LEVEL_CONFIRM,
    ACT_LEVEL_LOWER,
    ACT_STAFF_MANAGE,
    ACT_ROSTER_MANAGE,
    ACT_KEY_MANAGE,
    ACT_BACKUP,
    ACT_VERIFY,
    ACT_OUTCOME_RECORD, /* sessions attended or missed (clinicians, supervisors) */
    ACT_REPORT,         /* de-identified KPIs (clinicians, supervisors) */
    ACT_EXPORT,         /* records out of the database (supervisors) */
    ACT_CLIENT_ERASE,   /* the right to erasure, retention (supervisors) */
    ACT_QUEUE_CLOSE,    /* close a queue item with its outcome (clinicians, supervisors) */
    ACT_TAMPERED_ACT,   /* act on a queue item whose row MAC failed (supervisors) */
    ACT_RESTORE,        /* put a backup back (supervisors): its own word, not "make backups" */
    ACT_COUNT
} staff_action;

const char *staff_role_name(staff_role r);
/* The role as a person, for messages: "reception worker", "clinician", "supervisor". */
const char *staff_role_person(staff_role r);
bool staff_role_parse(const char *s, staff_role *out);
bool staff_role_valid(staff_role r);
const char *action_name(staff_action a);
/* The permission table: true when role r may do a. An unknown role or action may do nothing. */
bool role_may(staff_role r, staff_action a);
/* The lowest role the table lets do a (roles are ordered reception < clinician < supervisor): ROLE_COUNT
 * when none may. */
staff_role role_least(staff_action a);

#endif
