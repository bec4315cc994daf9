/* Which database a FHIR file's records came from, so that a de-identified export is never imported back into
 * the database it came from (every intake would be there twice: under its real client and as a pseudonymous
 * one). A database's tag is a hash of its first audit entry (keyed BLAKE2b, the entry's chain hash as the key,
 * of a constant): the same for the life of the database, through rekeys and restores, and different for every
 * database; it says nothing but "the same database", which anyone holding the file could compute anyway. An
 * export writes it on the Bundle and on each response, the response's as kept from its import (an intake
 * imported from another database keeps that database's tag), so a file that passed through another triage
 * database on its way back is still known (eighth outside integrator: a rekey, or a round through a second
 * database, let the doubling back in). */
#ifndef TRIAGE_PROVENANCE_H
#define TRIAGE_PROVENANCE_H

#include <stdbool.h>

#include "db.h"
#include "error.h"

#define PROVENANCE_HEX 33 /* 32 hex digits and the NUL */

/* This database's tag, or false with err set when its audit trail cannot be read or is empty. */
bool provenance_tag(database *db, char out[PROVENANCE_HEX], error *err);

/* Whether s is a tag as provenance_tag writes it (32 lowercase hex digits): a file's value is kept only then. */
bool provenance_valid(const char *s);

#endif
