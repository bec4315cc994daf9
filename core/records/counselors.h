/* The counselor roster in the database: imported from a roster file (checked first, whole or not at all)
 * and read back for matching. */
#ifndef TRIAGE_COUNSELORS_H
#define TRIAGE_COUNSELORS_H

#include "error.h"
#include "match.h"
#include "session.h"

/* Checks the file with roster_load (problems go to d, naming file and line), then adds or updates every
 * counselor by its code in one transaction. */
bool roster_import(session *s, const need_model *m, const char *path, int *count, diag *d, error *err);
/* Builds a matching roster from the database. */
bool roster_from_db(database *db, const need_model *m, roster *out, error *err);

/* Every counselor in the database, by code (free() the array). */
bool roster_list(database *db, counselor_rec **out, int *n, error *err);

/* Adds or edits one counselor (by code), checked like a roster file's entry (field names what is wrong),
 * saved and audited in one transaction. Supervisors only. */
bool roster_put(session *s, const need_model *m, const counselor_rec *in, char *field, size_t fieldsize, error *err);

#endif
