#include "code_systems.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* a system written by its name, not its url (invalid FHIR, sent all the same: thirtieth outside integrator; the lists
 * use the short names to stay within an INI line: thirty-first) */
static const char *const names[][2] = {{"SNOMED CT", "http://snomed.info/sct"},
                                       {"SNOMED-CT", "http://snomed.info/sct"},
                                       {"SNOMEDCT", "http://snomed.info/sct"},
                                       {"SNOMED", "http://snomed.info/sct"},
                                       {"ICD-10-CM", "http://hl7.org/fhir/sid/icd-10-cm"},
                                       {"ICD10CM", "http://hl7.org/fhir/sid/icd-10-cm"},
                                       {"ICD-10", "http://hl7.org/fhir/sid/icd-10"},
                                       {"ICD10", "http://hl7.org/fhir/sid/icd-10"},
                                       {"ICD-9-CM", "http://hl7.org/fhir/sid/icd-9-cm"},
                                       {"ICD9CM", "http://hl7.org/fhir/sid/icd-9-cm"},
                                       {"ICD-11", "http://id.who.int/icd/release/11/mms"},
                                       {"ICD11", "http://id.who.int/icd/release/11/mms"}};

const char *code_system_url(const char *name) {
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (!strcasecmp(name, names[i][0])) return names[i][1];
    return NULL;
}

static bool oid(const char *s) {
    if (!strncasecmp(s, "urn:oid:", 8)) s += 8;
    if (!isdigit((unsigned char)*s)) return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s) && !(*s == '.' && isdigit((unsigned char)s[1]))) return false;
    return true;
}

bool code_system_nameable(const char *system) {
    if (!system || !*system) return false;
    if (code_system_url(system) || oid(system)) return true;
    const char *scheme = strstr(system, "://");
    if (!scheme || scheme == system) return false;
    for (const char *p = system; p < scheme; p++)
        if (!isalpha((unsigned char)*p)) return false;
    return scheme[3] != '\0';
}

const char *code_system_names(void) { return "SNOMED, ICD-10-CM, ICD-10, ICD-9-CM, ICD-11"; }
