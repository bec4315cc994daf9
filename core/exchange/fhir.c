#include "fhir.h"

#include <stdio.h>
#include <string.h>

void fhir_questionnaire_url(const form *f, char *out, size_t size) {
    if (f->loinc && *f->loinc) snprintf(out, size, "http://loinc.org/q/%s", f->loinc);
    else snprintf(out, size, "urn:triage:questionnaire:%s", f->id);
}

const form *fhir_form_of(const formset *fs, const char *url) {
    if (!url) return NULL;
    char u[256];
    snprintf(u, sizeof u, "%s", url);
    char *bar = strchr(u, '|');
    if (bar) *bar = '\0';
    for (int i = 0; i < fs->n; i++) {
        char mine[256];
        fhir_questionnaire_url(fs->v[i], mine, sizeof mine);
        if (strcmp(mine, u) == 0) return fs->v[i];
    }
    for (int i = 0; i < fs->n; i++) /* the local name also for a form that has a LOINC code */
        if (!strncmp(u, "urn:triage:questionnaire:", 25) && !strcmp(u + 25, fs->v[i]->id)) return fs->v[i];
    return NULL;
}

const char *fhir_link_id(const form *f, int item) {
    const form_item *it = &f->items[item];
    return it->loinc && *it->loinc ? it->loinc : it->id;
}

int fhir_item_of(const form *f, const char *link_id) {
    if (!link_id) return -1;
    if (link_id[0] == '/') link_id++;
    for (int i = 0; i < f->n_items; i++)
        if (!strcmp(fhir_link_id(f, i), link_id) || !strcmp(f->items[i].id, link_id)) return i;
    return -1;
}

void fhir_total_code(const form *f, const char **system, const char **code) {
    if (f->total_loinc && *f->total_loinc) {
        *system = FHIR_LOINC;
        *code = f->total_loinc;
    } else {
        *system = FHIR_TOTALS;
        *code = f->id;
    }
}
