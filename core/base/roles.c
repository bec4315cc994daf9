#include "roles.h"

#include <string.h>

static const char *const role_names[ROLE_COUNT] = {"reception", "clinician", "supervisor"};

static const char *const role_persons[ROLE_COUNT] = {"receptionist", "clinician", "supervisor"};

static const char *const action_names[ACT_COUNT] = {
    "create intakes", "search clients", "open client records", "read other staff's clinical notes",
    "confirm risk levels", "lower risk levels", "manage staff", "manage the roster", "manage keys",
    "make backups", "verify the database", "record session outcomes", "see reports", "export records",
    "erase client records", "close queue items", "act on a tampered queue item",
    "restore backups"};

/* Who may do what, one row per action: reception works the front desk; clinicians add clinical judgement;
 * supervisors run the centre. */
#define R (1u << ROLE_RECEPTION)
#define C (1u << ROLE_CLINICIAN)
#define S (1u << ROLE_SUPERVISOR)
static const unsigned may[ACT_COUNT] = {
    [ACT_INTAKE_CREATE] = R | C | S, [ACT_CLIENT_SEARCH] = R | C | S, [ACT_CLIENT_OPEN] = R | C | S,
    [ACT_NOTES_OF_OTHERS] = C | S,   [ACT_LEVEL_CONFIRM] = C | S,     [ACT_LEVEL_LOWER] = C | S,
    [ACT_STAFF_MANAGE] = S,          [ACT_ROSTER_MANAGE] = S,         [ACT_KEY_MANAGE] = S,
    [ACT_BACKUP] = S,                [ACT_VERIFY] = S,                [ACT_OUTCOME_RECORD] = C | S,
    [ACT_REPORT] = C | S,            [ACT_EXPORT] = S,                [ACT_CLIENT_ERASE] = S,
    [ACT_QUEUE_CLOSE] = C | S,       [ACT_TAMPERED_ACT] = S,          [ACT_RESTORE] = S,
};
#undef R
#undef C
#undef S

const char *staff_role_name(staff_role r) { return staff_role_valid(r) ? role_names[r] : "unknown"; }

const char *staff_role_person(staff_role r) { return staff_role_valid(r) ? role_persons[r] : "unknown"; }

bool staff_role_parse(const char *s, staff_role *out) {
    if (!s || !out) return false;
    for (int i = 0; i < ROLE_COUNT; i++)
        if (strcmp(s, role_names[i]) == 0) {
            *out = (staff_role)i;
            return true;
        }
    return false;
}

bool staff_role_valid(staff_role r) { return (unsigned)r < ROLE_COUNT; }

const char *action_name(staff_action a) { return (unsigned)a < ACT_COUNT ? action_names[a] : "?"; }

bool role_may(staff_role r, staff_action a) {
    return staff_role_valid(r) && (unsigned)a < ACT_COUNT && (may[a] & (1u << r)) != 0;
}

staff_role role_least(staff_action a) {
    for (int r = 0; r < ROLE_COUNT; r++)
        if (role_may((staff_role)r, a)) return (staff_role)r;
    return ROLE_COUNT;
}
