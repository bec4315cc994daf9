#include "fhir_stated.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "code_systems.h"
#include "fhir.h"
#include "fhir_words.h"
#include "util.h"

/* A code as the lists name it: upper case, without dots and blanks (ICD-10's "r45.851" and "R45851" are R45.851) */
static void code_key(const char *code, char *out, size_t size) {
    size_t o = 0;
    for (; code && *code && o + 1 < size; code++)
        if (*code != '.' && *code != ' ') out[o++] = (char)toupper((unsigned char)*code);
    out[o] = '\0';
}

/* Whether a code (as code_key writes it) fits a listed one: an optional range of its first characters (X60-X84: X60 to
 * X84), then characters where `?` is any one, and a last `*` any rest (T36-T65??2*: ICD-10-CM's poisonings whose sixth
 * character 2 says intentional self-harm, T42.4X2A: twenty-ninth outside integrator) */
static bool code_fits(const char *given, const char *want, bool ranges) {
    const char *dash = ranges ? strchr(want, '-') : NULL; /* LOINC's codes hold a dash of their own (93267-3) */
    if (dash) {
        size_t len = (size_t)(dash - want);
        if (!len || strlen(dash + 1) < len || strlen(given) < len) return false;
        if (strncmp(given, want, len) < 0 || strncmp(given, dash + 1, len) > 0) return false;
        given += len;
        want = dash + 1 + len;
    }
    for (; *want; want++, given++) {
        if (want[0] == '*' && want[1] == '\0') return true;
        if (!*given || (*want != '?' && *want != *given)) return false;
    }
    return *given == '\0';
}

/* The least level coding (system, code) calls for by an [import] list of CODE:LEVEL (with_system: SYSTEM|CODE:LEVEL)
 * tokens, a code ending in "*" a prefix (T14.91*: every encounter of it); LEVEL_GREEN when it names none */
risk_level fhir_listed_level(const char *list, bool with_system, const char *system, const char *code) {
    risk_level best = LEVEL_GREEN;
    if (!list || !code) return best;
    char given_sys[256], given_code[64];
    code_system_key(system, given_sys, sizeof given_sys);
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
        char want_code[64], want_sys[256] = "";
        code_key(listed, want_code, sizeof want_code);
        bool system_same = true;
        if (bar) {
            *bar = '\0';
            code_system_key(toks.v[i], want_sys, sizeof want_sys);
            system_same = !strcmp(want_sys, given_sys);
        }
        bool code_same = code_fits(given_code, want_code, strcmp(want_sys, "http://loinc.org") != 0);
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

/* Whether a CodeableConcept holds one of HL7's codes (exact, as FHIR codes are) in HL7's code system `system` (its url
 * as system_key reads it: https too) */
static bool hl7_says(json_t *concept, const char *system, const char *const *codes) {
    char want[128], given[256];
    code_system_key(system, want, sizeof want);
    size_t k;
    json_t *c;
    json_array_foreach(json_object_get(concept, "coding"), k, c) {
        const char *code = json_string_value(json_object_get(c, "code"));
        code_system_key(json_string_value(json_object_get(c, "system")), given, sizeof given);
        if (!code || strcmp(given, want) != 0) continue;
        for (int i = 0; codes[i]; i++)
            if (!strcmp(code, codes[i])) return true;
    }
    return false;
}

bool fhir_condition_ended(json_t *r) {
    /* HL7's own codes in HL7's own systems only, and none that says the condition goes on: a clinicalStatus coded
     * "resolved" and "active" at once is active (twenty-eighth outside integrator); "resolved" of no system or
     * "RESOLVED", "refuted" of a local system, ended or refuted a suicide attempt's Condition (twenty-ninth) */
    static const char *const ended[] = {"inactive", "resolved", "remission", NULL};
    static const char *const goes_on[] = {"active", "recurrence", "relapse", NULL};
    static const char *const unsure[] = {"refuted", "entered-in-error", NULL};
    json_t *clinical = json_object_get(r, "clinicalStatus");
    static const char clinical_system[] = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    /* what says it goes on is read in any case and any system: a Condition is ended only when nothing says otherwise */
    bool over = hl7_says(clinical, clinical_system, ended) && !fhir_concept_says(clinical, goes_on);
    return over ||
           hl7_says(json_object_get(r, "verificationStatus"), "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                    unsure);
}

/* The level a qualitativeRisk Coding states (triage's own levels, or [import] risk_assessment), or -1 when it states none
 * triage reads */
static int coding_level(const char *list, json_t *coding) {
    const char *system = json_string_value(json_object_get(coding, "system"));
    const char *code = json_string_value(json_object_get(coding, "code"));
    if (!code) return -1;
    if (system && !strcmp(system, FHIR_LEVELS)) { /* triage's own, in any case */
        char lower[16];
        size_t o = 0;
        for (const char *c = code; *c && o + 1 < sizeof lower; c++) lower[o++] = (char)tolower((unsigned char)*c);
        lower[o] = '\0';
        risk_level l;
        return risk_level_parse(lower, &l) ? (int)l : -1;
    }
    /* listed at green ("negligible") is read as green; not listed is not read */
    strlist toks = strlist_split(list);
    int found = -1;
    char want[64];
    for (int i = 0; i < toks.n && found < 0; i++) {
        snprintf(want, sizeof want, "%s", toks.v[i]);
        char *colon = strrchr(want, ':');
        risk_level l;
        if (!colon || !risk_level_parse(colon + 1, &l)) continue;
        *colon = '\0';
        if (!strcasecmp(want, code)) found = (int)l;
    }
    strlist_free(&toks);
    return found;
}

/* Whether a CodeableConcept says suicide or self-harm: a code of [import] conditions, or a suicide screen's words in a
 * Coding's code or display or in its text */
static bool concept_of_suicide(const engine *e, json_t *concept) {
    const char *conditions = ini_get(&e->cfg.ini, "import", "conditions");
    char found[64];
    size_t k;
    json_t *c;
    const char *texts[8];
    int n = 0;
    texts[n++] = json_string_value(json_object_get(concept, "text"));
    json_array_foreach(json_object_get(concept, "coding"), k, c) {
        const char *code = json_string_value(json_object_get(c, "code"));
        if (code && fhir_listed_level(conditions, true, json_string_value(json_object_get(c, "system")), code) > LEVEL_GREEN)
            return true;
        if (n + 2 <= 8) {
            texts[n++] = code;
            texts[n++] = json_string_value(json_object_get(c, "display"));
        }
    }
    for (int i = 0; i < n; i++)
        for (int fi = 0; texts[i] && fi < e->forms.n; fi++)
            if (e->forms.v[fi]->fhir_foreign_words && fhir_words_match(texts[i], e->forms.v[fi]->fhir_foreign_words, found, sizeof found))
                return true;
    return false;
}

/* Whether a concept says anything (a Coding or a text) */
static bool concept_said(json_t *concept) {
    return json_string_value(json_object_get(concept, "text")) || json_array_size(json_object_get(concept, "coding")) > 0;
}

/* Whether prediction pred of RiskAssessment r is of suicide or self-harm: its outcome says so; with no outcome, not
 * known, read as one (whatever the assessment's code: SNOMED's suicide risk assessment has no words of its own). A fall
 * risk "high" raised a counselling client to RED, and a heart attack's probability refused the file (thirtieth outside
 * integrator). */
static bool prediction_of_suicide(const engine *e, json_t *pred) {
    json_t *outcome = json_object_get(pred, "outcome");
    return concept_said(outcome) ? concept_of_suicide(e, outcome) : true;
}

/* Whether a prediction's outcome is another thing by [import] other_outcomes: its text or a Coding's display */
static bool prediction_of_other(const engine *e, json_t *pred) {
    const char *words = ini_get(&e->cfg.ini, "import", "other_outcomes");
    const char *intent = ini_get(&e->cfg.ini, "import", "intent_words");
    json_t *outcome = json_object_get(pred, "outcome");
    char found[64];
    size_t i;
    json_t *ic;
    /* done on purpose: never another thing, whatever it names ("Fall from height (intentional)") */
    if (intent && fhir_words_match(json_string_value(json_object_get(outcome, "text")), intent, found, sizeof found))
        return false;
    json_array_foreach(json_object_get(outcome, "coding"), i, ic)
        if (intent && fhir_words_match(json_string_value(json_object_get(ic, "display")), intent, found, sizeof found))
            return false;
    if (!words || fhir_words_match(json_string_value(json_object_get(outcome, "text")), words, found, sizeof found))
        return true; /* no list: every outcome that is no suicide is another thing, as before the list */
    size_t k;
    json_t *c;
    json_array_foreach(json_object_get(outcome, "coding"), k, c)
        if (fhir_words_match(json_string_value(json_object_get(c, "display")), words, found, sizeof found)) return true;
    return false;
}

int fhir_unread_prediction(const engine *e, json_t *r, bool *outcome_unknown) {
    if (outcome_unknown) *outcome_unknown = false;
    const char *type = json_string_value(json_object_get(r, "resourceType"));
    if (!type || strcmp(type, "RiskAssessment") != 0) return -1;
    const char *status = json_string_value(json_object_get(r, "status"));
    if (status && (!strcmp(status, "entered-in-error") || !strcmp(status, "cancelled"))) return -1;
    const char *list = ini_get(&e->cfg.ini, "import", "risk_assessment");
    size_t k, c;
    json_t *x, *coding;
    /* none at all: an assessment whose result is not given (a code, a mitigation in words): not known */
    if (json_array_size(json_object_get(r, "prediction")) == 0) return FHIR_NO_PREDICTION;
    json_array_foreach(json_object_get(r, "prediction"), k, x) {
        bool suicide = prediction_of_suicide(e, x);
        if (!suicide && prediction_of_other(e, x)) continue; /* a risk of another thing: not triage's to read */
        int most = -1;
        json_array_foreach(json_object_get(json_object_get(x, "qualitativeRisk"), "coding"), c, coding) {
            int l = coding_level(list, coding);
            if (l > most) most = l;
        }
        if (most < 0) { /* not read: a risk not known, of suicide or of something triage cannot tell from it */
            if (outcome_unknown) *outcome_unknown = !suicide;
            return (int)k;
        }
        if (!suicide && most > (int)LEVEL_GREEN) { /* a risk of something triage cannot tell from suicide */
            if (outcome_unknown) *outcome_unknown = true;
            return (int)k;
        }
    }
    return -1;
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
            if (!prediction_of_suicide(e, x)) continue; /* a fall's "high" is no suicide risk */
            json_array_foreach(json_object_get(json_object_get(x, "qualitativeRisk"), "coding"), c, coding) {
                const char *code = json_string_value(json_object_get(coding, "code"));
                int read = coding_level(list, coding);
                risk_level l = read < 0 ? LEVEL_GREEN : (risk_level)read;
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
