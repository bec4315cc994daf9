#include "fhir_stated.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fhir.h"
#include "util.h"

/* A code system's url as the lists name it: any case, https or http, without a trailing "/", and the OIDs of SNOMED CT,
 * ICD-10-CM and ICD-10 (with or without urn:oid:) as their urls (twenty-eighth outside integrator: SNOMED named by its
 * OID, or with https, was not read) */
static void system_key(const char *system, char *out, size_t size) {
    static const char *const oids[][2] = {{"2.16.840.1.113883.6.96", "http://snomed.info/sct"},
                                          {"2.16.840.1.113883.6.90", "http://hl7.org/fhir/sid/icd-10-cm"},
                                          {"2.16.840.1.113883.6.3", "http://hl7.org/fhir/sid/icd-10"}};
    const char *s = system ? system : "";
    if (!strncasecmp(s, "urn:oid:", 8)) s += 8;
    for (size_t i = 0; i < sizeof oids / sizeof oids[0]; i++)
        if (!strcmp(s, oids[i][0])) s = oids[i][1];
    size_t o = 0;
    if (!strncasecmp(s, "https://", 8)) {
        o = (size_t)snprintf(out, size, "http://");
        s += 8;
    }
    for (; *s && o + 1 < size; s++) out[o++] = (char)tolower((unsigned char)*s);
    while (o && out[o - 1] == '/') o--;
    out[o] = '\0';
}

/* A code as the lists name it: upper case, without dots and blanks (ICD-10's "r45.851" and "R45851" are R45.851) */
static void code_key(const char *code, char *out, size_t size) {
    size_t o = 0;
    for (; code && *code && o + 1 < size; code++)
        if (*code != '.' && *code != ' ') out[o++] = (char)toupper((unsigned char)*code);
    out[o] = '\0';
}

/* The least level coding (system, code) calls for by an [import] list of CODE:LEVEL (with_system: SYSTEM|CODE:LEVEL)
 * tokens, a code ending in "*" a prefix (T14.91*: every encounter of it); LEVEL_GREEN when it names none */
risk_level fhir_listed_level(const char *list, bool with_system, const char *system, const char *code) {
    risk_level best = LEVEL_GREEN;
    if (!list || !code) return best;
    char given_sys[256], given_code[64];
    system_key(system, given_sys, sizeof given_sys);
    code_key(code, given_code, sizeof given_code);
    strlist toks = strlist_split(list);
    for (int i = 0; i < toks.n; i++) {
        char *colon = strrchr(toks.v[i], ':');
        risk_level l;
        if (!colon || !risk_level_parse(colon + 1, &l)) continue;
        *colon = '\0';
        char *bar = with_system ? strchr(toks.v[i], '|') : NULL;
        if (with_system && !bar) continue;
        const char *listed = bar ? bar + 1 : toks.v[i];
        char want_code[64];
        code_key(listed, want_code, sizeof want_code);
        size_t n = strlen(want_code);
        bool prefix = n && want_code[n - 1] == '*';
        bool code_same = prefix ? !strncmp(given_code, want_code, n - 1) : !strcmp(given_code, want_code);
        bool system_same = true;
        if (bar) {
            *bar = '\0';
            char want_sys[256];
            system_key(toks.v[i], want_sys, sizeof want_sys);
            system_same = !strcmp(want_sys, given_sys);
        }
        if (code_same && system_same && l > best) best = l;
    }
    strlist_free(&toks);
    return best;
}

/* Whether a CodeableConcept holds a Coding of one of the codes (any system) */
bool fhir_concept_says(json_t *concept, const char *const *codes) {
    size_t k;
    json_t *c;
    json_array_foreach(json_object_get(concept, "coding"), k, c) {
        const char *code = json_string_value(json_object_get(c, "code"));
        for (int i = 0; code && codes[i]; i++)
            if (!strcasecmp(code, codes[i])) return true;
    }
    return false;
}

bool fhir_condition_ended(json_t *r) {
    /* HL7's own codes (or a Coding of no system) only, and none that says the condition goes on: a clinicalStatus
     * coded "resolved" and "active" at once is active (twenty-eighth outside integrator) */
    static const char *const ended[] = {"inactive", "resolved", "remission", NULL};
    static const char *const goes_on[] = {"active", "recurrence", "relapse", NULL};
    static const char *const unsure[] = {"refuted", "entered-in-error", NULL};
    bool over = false, on = false;
    size_t k;
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(r, "clinicalStatus"), "coding"), k, c) {
        const char *system = json_string_value(json_object_get(c, "system"));
        const char *code = json_string_value(json_object_get(c, "code"));
        if (!code || (system && !strstr(system, "condition-clinical"))) continue;
        for (int i = 0; ended[i]; i++) over = over || !strcasecmp(code, ended[i]);
        for (int i = 0; goes_on[i]; i++) on = on || !strcasecmp(code, goes_on[i]);
    }
    return (over && !on) || fhir_concept_says(json_object_get(r, "verificationStatus"), unsure);
}

/* The level resource r states of its subject: a RiskAssessment's prediction[].qualitativeRisk, an active Condition's
 * code, read by the [import] lists; what says it into because. LEVEL_GREEN when it states none. */
risk_level fhir_stated_level(const engine *e, json_t *r, char *because, size_t size) {
    const char *type = json_string_value(json_object_get(r, "resourceType"));
    risk_level best = LEVEL_GREEN;
    size_t k, c;
    json_t *x, *coding;
    if (type && !strcmp(type, "RiskAssessment")) {
        const char *status = json_string_value(json_object_get(r, "status"));
        if (status && (!strcmp(status, "entered-in-error") || !strcmp(status, "cancelled"))) return best;
        const char *list = ini_get(&e->cfg.ini, "import", "risk_assessment");
        json_array_foreach(json_object_get(r, "prediction"), k, x) {
            json_array_foreach(json_object_get(json_object_get(x, "qualitativeRisk"), "coding"), c, coding) {
                const char *system = json_string_value(json_object_get(coding, "system"));
                const char *code = json_string_value(json_object_get(coding, "code"));
                risk_level l = LEVEL_GREEN;
                if (system && !strcmp(system, FHIR_LEVELS) && code) { /* triage's own, in any case */
                    char lower[16];
                    size_t o = 0;
                    for (const char *c2 = code; *c2 && o + 1 < sizeof lower; c2++) lower[o++] = (char)tolower((unsigned char)*c2);
                    lower[o] = '\0';
                    (void)risk_level_parse(lower, &l);
                }
                else l = fhir_listed_level(list, false, system, code);
                if (l > best) {
                    best = l;
                    char shown[60];
                    text_for_display(code, 40, shown, sizeof shown);
                    snprintf(because, size, "prediction[%zu].qualitativeRisk `%s`", k, shown);
                }
            }
        }
        return best;
    }
    if (!type || strcmp(type, "Condition") != 0) return best;
    if (fhir_condition_ended(r)) return best;
    const char *list = ini_get(&e->cfg.ini, "import", "conditions");
    json_array_foreach(json_object_get(json_object_get(r, "code"), "coding"), c, coding) {
        const char *system = json_string_value(json_object_get(coding, "system"));
        const char *code = json_string_value(json_object_get(coding, "code"));
        risk_level l = fhir_listed_level(list, true, system, code);
        if (l > best) {
            best = l;
            char shown[60], sys[80];
            text_for_display(code, 40, shown, sizeof shown);
            text_for_display(system ? system : "", 60, sys, sizeof sys);
            snprintf(because, size, "code `%s|%s`", sys, shown);
        }
    }
    return best;
}
