/* A file's own definitions of its responses' items (fhir_definitions.h). */
#include "fhir_definitions.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "fhir.h"

static const char *str(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool is_type(json_t *r, const char *type) {
    const char *t = str(r, "resourceType");
    return t && !strcmp(t, type);
}

/* url without its |version */
static void unversioned(const char *url, char *out, size_t size) {
    snprintf(out, size, "%s", url);
    char *bar = strchr(out, '|');
    if (bar) *bar = '\0';
}

/* The Questionnaire canon names for response qr: "#id" among qr's contained, else an entry by url (any version) or
 * by Questionnaire/id (relative or at the end of an absolute reference); with no canonical, the one Questionnaire qr
 * contains, else the one of the file. NULL when none or several. */
static json_t *questionnaire_named(json_t *qr, const char *canon, json_t *const *all, int n) {
    size_t k;
    json_t *c, *only = NULL;
    int count = 0;
    if (canon && canon[0] == '#') {
        json_array_foreach(json_object_get(qr, "contained"), k, c)
            if (is_type(c, "Questionnaire") && str(c, "id") && !strcmp(str(c, "id"), canon + 1)) return c;
        return NULL;
    }
    if (!canon || !*canon) {
        json_array_foreach(json_object_get(qr, "contained"), k, c) if (is_type(c, "Questionnaire")) only = c, count++;
        if (count == 1) return only;
        count = 0;
        for (int i = 0; i < n; i++)
            if (is_type(all[i], "Questionnaire")) only = all[i], count++;
        return count == 1 ? only : NULL;
    }
    char want[512], url[512];
    unversioned(canon, want, sizeof want);
    const char *slash = strstr(want, "Questionnaire/");
    const char *id = slash && (slash == want || slash[-1] == '/') ? slash + strlen("Questionnaire/") : NULL;
    for (int i = 0; i < n; i++) {
        if (!is_type(all[i], "Questionnaire")) continue;
        if (str(all[i], "url")) {
            unversioned(str(all[i], "url"), url, sizeof url);
            if (!strcmp(url, want)) return all[i];
        }
        if (id && *id && str(all[i], "id") && !strcmp(str(all[i], "id"), id)) return all[i];
    }
    return NULL;
}

/* The first LOINC code of a Questionnaire item's `code`, or NULL. */
static const char *loinc_code_of(json_t *item) {
    size_t k;
    json_t *c;
    json_array_foreach(json_object_get(item, "code"), k, c)
        if (fhir_loinc_system(str(c, "system")) && str(c, "code") && *str(c, "code")) return str(c, "code");
    return NULL;
}

/* linkId -> LOINC code, from a Questionnaire's items (any depth) */
static void coded_links(json_t *items, json_t *map) {
    size_t k;
    json_t *it;
    json_array_foreach(items, k, it) {
        const char *link = str(it, "linkId"), *code = loinc_code_of(it);
        if (link && code && !json_object_get(map, link)) json_object_set_new(map, link, json_string(code));
        coded_links(json_object_get(it, "item"), map);
    }
}

/* What an item's `definition` names: a LOINC item code of one of the forms after its '#' (http://loinc.org/q/44249-1
 * #44260-8), or an item of one of triage's forms under that form's canonical (…/Questionnaire/asq#item5: *form set
 * to it). NULL when neither. */
static const char *defined_link(const formset *fs, const char *def, const form **form_of, char *buf, size_t size) {
    const char *hash = def ? strrchr(def, '#') : NULL;
    if (!hash || !hash[1]) return NULL;
    snprintf(buf, size, "%s", hash + 1);
    char base[512];
    snprintf(base, sizeof base, "%.*s", (int)(hash - def), def);
    const form *f = fhir_form_of(fs, base);
    for (int i = 0; i < fs->n; i++) {
        int idx = fhir_item_of(fs->v[i], buf);
        if (idx < 0) continue;
        if (fs->v[i]->items[idx].loinc && !strcmp(fs->v[i]->items[idx].loinc, buf)) return buf; /* LOINC's code */
        if (fs->v[i] == f) {
            *form_of = f;
            return buf;
        }
    }
    return NULL;
}

static void relink(const formset *fs, json_t *items, json_t *map, const form **form_of) {
    size_t k, a;
    json_t *it, *an;
    json_array_foreach(items, k, it) {
        if (!json_is_object(it)) continue;
        const char *link = str(it, "linkId");
        const char *mapped = link ? str(map, link) : NULL;
        char buf[128];
        if (!mapped) mapped = defined_link(fs, str(it, "definition"), form_of, buf, sizeof buf);
        if (mapped) json_object_set_new(it, "linkId", json_string(mapped));
        relink(fs, json_object_get(it, "item"), map, form_of);
        json_array_foreach(json_object_get(it, "answer"), a, an) relink(fs, json_object_get(an, "item"), map, form_of);
    }
}

/* The one form of fs whose local answer system (urn:triage:answers:ID, as triage exports a form with no LOINC answer
 * codes: the ASQ) codes every answer Coding of the items that has a system; NULL when none, several or another. */
static const form *local_form(const formset *fs, json_t *items, const form *seen, bool *other) {
    size_t k, a;
    json_t *it, *an;
    size_t pre = strlen(FHIR_ANSWERS);
    json_array_foreach(items, k, it) {
        json_array_foreach(json_object_get(it, "answer"), a, an) {
            const char *sys = str(json_object_get(an, "valueCoding"), "system");
            if (sys && strncmp(sys, FHIR_ANSWERS, pre) != 0) *other = true;
            for (int i = 0; sys && !*other && i < fs->n; i++)
                if (!strncmp(sys, FHIR_ANSWERS, pre) && !strcmp(sys + pre, fs->v[i]->id)) {
                    if (seen && seen != fs->v[i]) *other = true;
                    seen = fs->v[i];
                }
            seen = local_form(fs, json_object_get(an, "item"), seen, other);
        }
        seen = local_form(fs, json_object_get(it, "item"), seen, other);
    }
    return seen;
}

static const form *answered_in_local_codes(const formset *fs, json_t *items) {
    bool other = false;
    const form *f = local_form(fs, items, NULL, &other);
    return other ? NULL : f;
}

void fhir_definitions_apply(const formset *fs, json_t *const *all, int n) {
    for (int i = 0; i < n; i++) {
        json_t *qr = all[i];
        if (!json_is_object(qr) || !is_type(qr, "QuestionnaireResponse")) continue;
        const char *canon = str(qr, "questionnaire");
        if (fhir_form_of(fs, canon)) continue; /* a canonical triage knows says what its items are */
        json_t *q = questionnaire_named(qr, canon, all, n);
        const form *form_of = q ? fhir_form_of(fs, str(q, "url")) : NULL; /* one of triage's forms, or LOINC's panel,
                                                                             * sent along (an export's own copy) */
        if (!form_of && (!canon || !*canon)) form_of = answered_in_local_codes(fs, json_object_get(qr, "item"));
        json_t *map = json_object();
        if (q) coded_links(json_object_get(q, "item"), map);
        relink(fs, json_object_get(qr, "item"), map, &form_of);
        if (form_of) {
            char url[256];
            fhir_questionnaire_url(form_of, url, sizeof url);
            json_object_set_new(qr, "questionnaire", json_string(url));
        }
        json_decref(map);
    }
}
