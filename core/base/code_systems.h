/* The short names by which config.ini's [import] lists name code systems (SNOMED, ICD-10-CM...), and their URLs.
 * In base because the configuration is checked against them (a misspelt name matched nothing, silently: thirty-third
 * outside integrator) and the import reads codes by them. */
#ifndef TRIAGE_CODE_SYSTEMS_H
#define TRIAGE_CODE_SYSTEMS_H

#include <stdbool.h>
#include <stddef.h>

/* The URL of a code system's short name (any case: "snomed ct", "ICD10CM"), or NULL when it is none of them. */
const char *code_system_url(const char *name);
/* A code system's identity as the lists and the import compare them: its URL in lower case, http for https, without a
 * trailing "/"; a short name, a known OID, a SNOMED edition, an ICD-11 or WHO ICD-10 release, HL7's national ICD-10
 * editions and BfArM's ICD-10-GM as the system they are. */
void code_system_key(const char *system, char *out, size_t size);
/* Whether a system is one of those triage reads codes of (SNOMED CT, ICD-10-CM, WHO ICD-10, ICD-9-CM, ICD-11 MMS). */
bool code_system_known(const char *system);
/* How a list may name a system: CS_KNOWN one of those; CS_OTHER another URL (http, https) or URN or OID, matched
 * exactly (a centre's own); CS_BAD none of these, a misspelt scheme, or another path at a publisher of the known ones
 * ("http://hl7.org/fhir/sid/icd10-cm", "htp://snomed.info/sct": thirty-fourth outside integrator) */
typedef enum { CS_KNOWN, CS_OTHER, CS_BAD } code_system_kind;
code_system_kind code_system_check(const char *system);
/* The short names, one of each system, for messages: "SNOMED, ICD-10-CM, ICD-10, ICD-9-CM, ICD-11". */
const char *code_system_names(void);

#endif
