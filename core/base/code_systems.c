#include "code_systems.h"

#include <ctype.h>
#include <stdio.h>
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
                                       {"ICD11", "http://id.who.int/icd/release/11/mms"},
                                       /* observations coded by what they observe (93267-3, suicidal thoughts:
                                        * thirty-fifth outside integrator) */
                                       {"LOINC", "http://loinc.org"}};

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

const char *code_system_names(void) { return "SNOMED, ICD-10-CM, ICD-10, ICD-9-CM, ICD-11, LOINC"; }

/* A code system's url as the lists name it: any case, https or http, without a trailing "/", and the OIDs of SNOMED CT,
 * ICD-10-CM and ICD-10 (with or without urn:oid:) as their urls (twenty-eighth outside integrator: SNOMED named by its
 * OID, or with https, was not read) */
void code_system_key(const char *system, char *out, size_t size) {
    static const char *const oids[][2] = {{"2.16.840.1.113883.6.96", "http://snomed.info/sct"},
                                          {"2.16.840.1.113883.6.90", "http://hl7.org/fhir/sid/icd-10-cm"},
                                          {"2.16.840.1.113883.6.3", "http://hl7.org/fhir/sid/icd-10"},
                                          /* ICD-9-CM diagnoses, and ICD-9-CM as a whole (thirty-first integrator) */
                                          {"2.16.840.1.113883.6.103", "http://hl7.org/fhir/sid/icd-9-cm"},
                                          {"2.16.840.1.113883.6.2", "http://hl7.org/fhir/sid/icd-9-cm"},
                                          /* Norway's ICD-10 (Volven 7110), WHO's chapter XX as it is (thirty-fourth) */
                                          {"2.16.578.1.12.4.1.1.7110", "http://hl7.org/fhir/sid/icd-10"}};
    const char *s = system ? system : "";
    if (!strncasecmp(s, "urn:oid:", 8)) s += 8;
    if (code_system_url(s)) s = code_system_url(s); /* a short name (SNOMED, ICD-10-CM...) */
    for (size_t i = 0; i < sizeof oids / sizeof oids[0]; i++)
        if (!strcmp(s, oids[i][0])) s = oids[i][1];
    /* BfArM's (formerly DIMDI's) ICD-10-GM, an OID for each year's version under 1.2.276.0.76.5 (thirty-fourth outside
     * integrator); its other catalogues there (OPS) have no code of the lists' shapes */
    static const char dimdi[] = "1.2.276.0.76.5.";
    if (!strncmp(s, dimdi, sizeof dimdi - 1)) s = "http://hl7.org/fhir/sid/icd-10";
    size_t o = 0;
    if (!strncasecmp(s, "https://", 8)) {
        o = (size_t)snprintf(out, size, "http://");
        s += 8;
    }
    for (; *s && o + 1 < size; s++) out[o++] = (char)tolower((unsigned char)*s);
    while (o && out[o - 1] == '/') o--;
    out[o] = '\0';
    /* SNOMED CT named by an edition's URI (http://snomed.info/sct/731000124108, not valid as a system, seen in practice:
     * thirtieth outside integrator) is SNOMED CT */
    static const char snomed[] = "http://snomed.info/sct/";
    if (!strncmp(out, snomed, sizeof snomed - 1)) out[sizeof snomed - 2] = '\0';
    /* SNOMED CT by its concept URIs' base (http://snomed.info/id/82313006's): thirty-fifth outside integrator */
    if (!strcmp(out, "http://snomed.info/id")) snprintf(out, size, "http://snomed.info/sct");
    /* HL7's sid URLs written with "www." (http://www.hl7.org/fhir/sid/icd-10-cm), and ICD-11 MMS named by a release
     * (http://id.who.int/icd/release/11/2024-01/mms): the same systems (thirty-first outside integrator) */
    static const char www[] = "http://www.hl7.org/fhir/sid/";
    if (!strncmp(out, www, sizeof www - 1)) memmove(out + 7, out + 11, strlen(out + 11) + 1);
    /* national editions of ICD-10 that keep WHO's chapter XX (X60-X84) and Z91.5 as they are: German ICD-10-GM (BfArM,
     * formerly DIMDI), ICD-10-CA (thirty-second outside integrator: X84.9 under them was saved green) */
    static const char *const editions[] = {"http://fhir.de/codesystem/bfarm/icd-10-gm",
                                           "http://fhir.de/codesystem/dimdi/icd-10-gm",
                                           "http://fhir.infoway-inforoute.ca/codesystem/icd10ca",
                                           /* France's CIM-10 (ANS's terminology server): thirty-fifth */
                                           "http://smt.esante.gouv.fr/terminologie-cim-10", NULL};
    for (int i = 0; editions[i]; i++)
        if (!strcmp(out, editions[i])) snprintf(out, size, "http://hl7.org/fhir/sid/icd-10");
    /* HL7's URLs of the national editions (icd-10-am, -ca, -nl, -de, -uk...: thirty-third outside integrator), all but
     * ICD-10-CM (its own list: X71-X83, the T poisonings) and ICD-10-PCS (procedures) */
    static const char sid10[] = "http://hl7.org/fhir/sid/icd-10-";
    const char *ed = out + sizeof sid10 - 1;
    if (!strncmp(out, sid10, sizeof sid10 - 1) && strlen(ed) >= 2 && strlen(ed) <= 3 && strcmp(ed, "cm") != 0 &&
        strcmp(ed, "pcs") != 0)
        snprintf(out, size, "http://hl7.org/fhir/sid/icd-10");
    /* ICD-11 MMS written without "release" (http://id.who.int/icd11/mms), WHO ICD-10 named by a release of its browser
     * (http://id.who.int/icd/release/10/2019): thirty-fourth outside integrator */
    if (!strcmp(out, "http://id.who.int/icd11/mms")) snprintf(out, size, "http://id.who.int/icd/release/11/mms");
    static const char who10[] = "http://id.who.int/icd/release/10";
    if (!strncmp(out, who10, sizeof who10 - 1) && (out[sizeof who10 - 1] == '\0' || out[sizeof who10 - 1] == '/'))
        snprintf(out, size, "http://hl7.org/fhir/sid/icd-10");
    static const char icd11[] = "http://id.who.int/icd/release/11/";
    size_t ol = strlen(out);
    if (!strncmp(out, icd11, sizeof icd11 - 1) && ol >= 4 && !strcmp(out + ol - 4, "/mms"))
        snprintf(out, size, "%smms", icd11);
}


bool code_system_known(const char *system) {
    static const char *const known[] = {"http://snomed.info/sct", "http://hl7.org/fhir/sid/icd-10-cm",
                                        "http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-9-cm",
                                        "http://id.who.int/icd/release/11/mms", "http://loinc.org", NULL};
    char key[256];
    code_system_key(system, key, sizeof key);
    for (int i = 0; known[i]; i++)
        if (!strcmp(key, known[i])) return true;
    return false;
}

code_system_kind code_system_check(const char *system) {
    if (!system || !*system) return CS_BAD;
    if (code_system_known(system)) return CS_KNOWN;
    if (oid(system)) {
        const char *d = !strncasecmp(system, "urn:oid:", 8) ? system + 8 : system;
        return strchr(d, '.') ? CS_OTHER : CS_BAD; /* an OID has two arcs at least */
    }
    if (!strncasecmp(system, "urn:", 4)) return strlen(system) > 4 ? CS_OTHER : CS_BAD;
    const char *host = !strncasecmp(system, "http://", 7) ? system + 7 : !strncasecmp(system, "https://", 8) ? system + 8 : NULL;
    if (!host || !*host || *host == '/') return CS_BAD;
    /* the host alone: no user before "@", no port, no trailing dot, in lower case ("http://hl7.org:80/fhir/sid/icd10-cm"
     * was let through: thirty-fifth outside integrator) */
    size_t hl = strcspn(host, "/?#");
    const char *at = memchr(host, '@', hl);
    if (at) hl -= (size_t)(at + 1 - host), host = at + 1;
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)hl, host);
    char *colon = strchr(name, ':');
    if (colon) *colon = '\0';
    size_t nl = strlen(name);
    while (nl && name[nl - 1] == '.') name[--nl] = '\0';
    for (size_t i = 0; i < nl; i++) name[i] = (char)tolower((unsigned char)name[i]);
    /* a publisher whose systems triage knows, or a host under it: another path there is a misspelling of one (icd10-cm
     * for icd-10-cm) or none of the lists' */
    static const char *const publishers[] = {"hl7.org", "snomed.info", "who.int", "loinc.org", NULL};
    for (int i = 0; publishers[i]; i++) {
        size_t pl = strlen(publishers[i]);
        if (nl >= pl && !strcmp(name + nl - pl, publishers[i]) && (nl == pl || name[nl - pl - 1] == '.')) return CS_BAD;
    }
    return CS_OTHER;
}
