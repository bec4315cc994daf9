/* The short names by which config.ini's [import] lists name code systems (SNOMED, ICD-10-CM...), and their URLs.
 * In base because the configuration is checked against them (a misspelt name matched nothing, silently: thirty-third
 * outside integrator) and the import reads codes by them. */
#ifndef TRIAGE_CODE_SYSTEMS_H
#define TRIAGE_CODE_SYSTEMS_H

#include <stdbool.h>

/* The URL of a code system's short name (any case: "snomed ct", "ICD10CM"), or NULL when it is none of them. */
const char *code_system_url(const char *name);
/* Whether a list may name a system so: a short name above, a URL (scheme://...) or an OID (urn:oid:1.2.3, 1.2.3). */
bool code_system_nameable(const char *system);
/* The short names, one of each system, for messages: "SNOMED, ICD-10-CM, ICD-10, ICD-9-CM, ICD-11". */
const char *code_system_names(void);

#endif
