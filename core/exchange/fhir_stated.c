#include "fhir_stated.h"

#include <stdio.h>
#include <string.h>

#include "fhir.h"
#include "util.h"

/* The least level coding (system, code) calls for by an [import] list of CODE:LEVEL (with_system: SYSTEM|CODE:LEVEL)
 * tokens; LEVEL_GREEN when it names none */
risk_level fhir_listed_level(const char *list, bool with_system, const char *system, const char *code) {
    risk_level best = LEVEL_GREEN;
    if (!list || !code) return best;
    strlist toks = strlist_split(list);
    for (int i = 0; i < toks.n; i++) {
        char *colon = strrchr(toks.v[i], ':');
        risk_level l;
        if (!colon || !risk_level_parse(colon + 1, &l)) continue;
        *colon = '\0';
        char *bar = with_system ? strchr(toks.v[i], '|') : NULL;
        bool same = bar ? (*bar = '\0', system && !strcmp(toks.v[i], system) && !strcmp(bar + 1, code))
                        : !with_system && !strcmp(toks.v[i], code);
        if (same && l > best) best = l;
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
            if (!strcmp(code, codes[i])) return true;
    }
    return false;
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
                if (system && !strcmp(system, FHIR_LEVELS) && code) (void)risk_level_parse(code, &l); /* triage's own */
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
    static const char *const ended[] = {"inactive", "resolved", "remission", NULL};
    static const char *const unsure[] = {"refuted", "entered-in-error", NULL};
    if (fhir_concept_says(json_object_get(r, "clinicalStatus"), ended) ||
        fhir_concept_says(json_object_get(r, "verificationStatus"), unsure))
        return best;
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
