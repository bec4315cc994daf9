/* A file's own definitions of its responses' items (fhir_definitions.h). An item's meaning is a LOINC item code of
 * one of the forms ("44260-8"), or "FORM#ITEM" for an item with no LOINC code (the ASQ's): what its linkId names
 * (under the response's canonical, or as a LOINC code), what the Questionnaires the response may refer to code it as,
 * and what the item's `definition` (in the response or the Questionnaire) names. One meaning: the linkId is rewritten
 * to it. Several: the file says two things of the item, and the item is refused (FHIR_CONFLICT_KEY), read as the
 * safety item when one of them is one, so that its SAFETY line is said (twenty-second outside integrator: two
 * Questionnaires of one url, a linkId "44260-8" coded 44250-9, a definition against its linkId, each imported
 * item 9 "nearly every day" green). */
#include "fhir_definitions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fhir.h"

#define MEANINGS_MAX 8

typedef struct {
    char v[MEANINGS_MAX][80];
    int n;
} meanings;

static const char *str(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool is_type(json_t *r, const char *type) {
    const char *t = str(r, "resourceType");
    return t && !strcmp(t, type);
}

static void add_meaning(meanings *m, const char *v) {
    if (!v || !*v) return;
    for (int i = 0; i < m->n; i++)
        if (!strcmp(m->v[i], v)) return;
    if (m->n < MEANINGS_MAX) snprintf(m->v[m->n++], sizeof m->v[0], "%s", v);
}

/* item idx of f as a meaning */
static void meaning_of(const form *f, int idx, char *out, size_t size) {
    const form_item *it = &f->items[idx];
    if (it->loinc && *it->loinc) snprintf(out, size, "%s", it->loinc);
    else snprintf(out, size, "%s#%s", f->id, it->id);
}

/* A LOINC item code of one of the forms, as a meaning; false when no form has an item of that code. */
static bool code_meaning(const formset *fs, const char *code, char *out, size_t size) {
    for (int i = 0; code && i < fs->n; i++)
        for (int k = 0; k < fs->v[i]->n_items; k++)
            if (fs->v[i]->items[k].loinc && !strcmp(fs->v[i]->items[k].loinc, code)) {
                meaning_of(fs->v[i], k, out, size);
                return true;
            }
    return false;
}

/* What a linkId names by itself: an item of the canonical's form (its id, LOINC code or fhir_links), or with no
 * such form, a LOINC item code of any form ("44260-8", "/44260-8", "/44249-1/44260-8"). */
static bool link_meaning(const formset *fs, const form *canon_form, const char *link, char *out, size_t size) {
    if (!link) return false;
    if (canon_form) {
        int idx = fhir_item_of(canon_form, link);
        if (idx >= 0) meaning_of(canon_form, idx, out, size);
        return idx >= 0;
    }
    const char *last = strrchr(link, '/');
    return code_meaning(fs, last ? last + 1 : link, out, size);
}

/* What a `definition` names: a LOINC item code after its '#' (http://loinc.org/q/44249-1#44260-8), or an item of one
 * of triage's forms under that form's canonical (.../Questionnaire/asq#item5). */
static bool definition_meaning(const formset *fs, const char *def, char *out, size_t size) {
    const char *hash = def ? strrchr(def, '#') : NULL;
    if (!hash || !hash[1]) return false;
    if (code_meaning(fs, hash + 1, out, size)) return true;
    char base[512];
    snprintf(base, sizeof base, "%.*s", (int)(hash - def), def);
    const form *f = fhir_form_of(fs, base);
    int idx = f ? fhir_item_of(f, hash + 1) : -1;
    if (idx >= 0) meaning_of(f, idx, out, size);
    return idx >= 0;
}

/* ---- the Questionnaires a response may refer to ---- */

typedef struct {
    json_t *v[16];
    int n;
} questionnaires;

static void add_q(questionnaires *qs, json_t *q) {
    for (int i = 0; i < qs->n; i++)
        if (qs->v[i] == q) return;
    if (qs->n < 16) qs->v[qs->n++] = q;
}

/* url without |version and scheme, into out; the version into ver ("" when none) */
static void split_canonical(const char *url, char *out, size_t size, char *ver, size_t vsize) {
    if (!strncasecmp(url, "http://", 7)) url += 7;
    else if (!strncasecmp(url, "https://", 8)) url += 8;
    snprintf(out, size, "%s", url);
    char *bar = strchr(out, '|');
    snprintf(ver, vsize, "%s", bar ? bar + 1 : "");
    if (bar) *bar = '\0';
}

static bool names_q(json_t *q, const char *want, const char *want_ver, const char *id) {
    char url[512], ver[64];
    if (str(q, "url")) {
        split_canonical(str(q, "url"), url, sizeof url, ver, sizeof ver);
        const char *qv = str(q, "version");
        /* a canonical that pins a version takes the Questionnaire of that version (one that states none stays a
         * candidate: two such make the response's items ambiguous, below) */
        if (!strcmp(url, want) && (!*want_ver || !qv || !strcmp(qv, want_ver))) return true;
    }
    return id && *id && str(q, "id") && !strcmp(str(q, "id"), id);
}

/* Every Questionnaire canon may name for response qr: "#id" among qr's contained; a url (any scheme, the version
 * when both state one) or Questionnaire/id among the file's resources and qr's contained; with no canonical, those qr
 * contains, else all of the file's. */
static void candidates(json_t *qr, const char *canon, json_t *const *all, int n, questionnaires *qs) {
    size_t k;
    json_t *c;
    qs->n = 0;
    json_t *contained = json_object_get(qr, "contained");
    if (canon && canon[0] == '#') {
        json_array_foreach(contained, k, c)
            if (is_type(c, "Questionnaire") && str(c, "id") && !strcmp(str(c, "id"), canon + 1)) add_q(qs, c);
        return;
    }
    if (!canon || !*canon) {
        json_array_foreach(contained, k, c) if (is_type(c, "Questionnaire")) add_q(qs, c);
        if (qs->n == 0)
            for (int j = 0; j < n; j++)
                if (is_type(all[j], "Questionnaire")) add_q(qs, all[j]);
        return;
    }
    char want[512], ver[64];
    split_canonical(canon, want, sizeof want, ver, sizeof ver);
    const char *slash = strstr(want, "Questionnaire/");
    const char *id = slash && (slash == want || slash[-1] == '/') ? slash + strlen("Questionnaire/") : NULL;
    json_array_foreach(contained, k, c) if (is_type(c, "Questionnaire") && names_q(c, want, ver, id)) add_q(qs, c);
    for (int i = 0; i < n; i++)
        if (is_type(all[i], "Questionnaire") && names_q(all[i], want, ver, id)) add_q(qs, all[i]);
}

/* The Questionnaire item of linkId link (any depth), or NULL. */
static json_t *q_item(json_t *items, const char *link, bool any_case) {
    size_t k;
    json_t *it;
    json_array_foreach(items, k, it) {
        const char *l = str(it, "linkId");
        if (l && (any_case ? !strcasecmp(l, link) : !strcmp(l, link))) return it;
        json_t *deeper = q_item(json_object_get(it, "item"), link, any_case);
        if (deeper) return deeper;
    }
    return NULL;
}

/* What a Questionnaire item says it is: each LOINC `code` of a form's item, and its `definition`. */
static void q_item_meanings(const formset *fs, json_t *qit, meanings *m) {
    size_t k;
    json_t *c;
    char v[80];
    json_array_foreach(json_object_get(qit, "code"), k, c)
        if (fhir_loinc_system(str(c, "system")) && code_meaning(fs, str(c, "code"), v, sizeof v)) add_meaning(m, v);
    if (definition_meaning(fs, str(qit, "definition"), v, sizeof v)) add_meaning(m, v);
}

/* A safety item's LOINC code that any Questionnaire of the file gives linkId link, in any case, with a code of any
 * system or none, or by a definition: what a refusal's SAFETY line names when the item cannot be read otherwise. */
static const char *item_safety_code(const formset *fs, json_t *qit) {
    for (int f = 0; f < fs->n; f++)
        for (int k = 0; k < fs->v[f]->n_items; k++) {
            const form_item *fi = &fs->v[f]->items[k];
            if (!fi->safety || !fi->loinc) continue;
            size_t j;
            json_t *c;
            json_array_foreach(json_object_get(qit, "code"), j, c)
                if (str(c, "code") && !strcmp(str(c, "code"), fi->loinc)) return fi->loinc;
            const char *def = str(qit, "definition");
            if (def && strstr(def, fi->loinc)) return fi->loinc;
        }
    return NULL;
}

/* The item of linkId link under items (any case), its own safety code or the nearest group's around it (a group
 * coded 44260-8 holding the question: twenty-second outside integrator) */
static const char *hint_in(const formset *fs, json_t *items, const char *link, const char *around, bool *found) {
    size_t k;
    json_t *it;
    json_array_foreach(items, k, it) {
        const char *mine = item_safety_code(fs, it);
        const char *l = str(it, "linkId");
        if (l && !strcasecmp(l, link)) {
            *found = true;
            return mine ? mine : around;
        }
        const char *deeper = hint_in(fs, json_object_get(it, "item"), link, mine ? mine : around, found);
        if (*found) return deeper;
    }
    return NULL;
}

static const char *safety_hint(const formset *fs, const char *link, json_t *const *all, int n) {
    for (int i = 0; link && i < n; i++) {
        if (!is_type(all[i], "Questionnaire")) continue;
        bool found = false;
        const char *code = hint_in(fs, json_object_get(all[i], "item"), link, NULL, &found);
        if (code) return code;
    }
    return NULL;
}

/* Whether meaning v is a safety item's */
static bool safety_meaning(const formset *fs, const char *v) {
    for (int f = 0; f < fs->n; f++)
        for (int k = 0; k < fs->v[f]->n_items; k++) {
            char mine[80];
            meaning_of(fs->v[f], k, mine, sizeof mine);
            if (fs->v[f]->items[k].safety && !strcmp(mine, v)) return true;
        }
    return false;
}

/* The linkId a meaning is written as (a LOINC code, or the item's id), and its form when that is by id. */
static const char *meaning_link(const formset *fs, const char *v, const form **by_id) {
    const char *hash = strchr(v, '#');
    if (!hash) return v;
    for (int f = 0; f < fs->n; f++)
        if (strlen(fs->v[f]->id) == (size_t)(hash - v) && !strncmp(fs->v[f]->id, v, (size_t)(hash - v))) *by_id = fs->v[f];
    return hash + 1;
}

typedef struct {
    const formset *fs;
    const form *canon_form;   /* the form the response's canonical names, or NULL */
    const questionnaires *qs; /* the Questionnaires it may refer to */
    json_t *const *all;
    int n;
    const form *by_id; /* a form whose items the rewritten linkIds name by id (no LOINC codes): the canonical's */
    json_t *seen;      /* every item read, in the file's order, each [item, meaning or null, rewritten] */
} reading;

static void relink(reading *rd, json_t *items) {
    size_t k, a;
    json_t *it, *an;
    json_array_foreach(items, k, it) {
        if (!json_is_object(it)) continue;
        const char *link = str(it, "linkId");
        meanings m = {.n = 0};
        char own[80] = "", v[80];
        bool named = link_meaning(rd->fs, rd->canon_form, link, own, sizeof own);
        if (named) add_meaning(&m, own);
        for (int q = 0; link && q < rd->qs->n; q++) {
            json_t *qit = q_item(json_object_get(rd->qs->v[q], "item"), link, false);
            if (qit) q_item_meanings(rd->fs, qit, &m);
        }
        if (definition_meaning(rd->fs, str(it, "definition"), v, sizeof v)) add_meaning(&m, v);
        if (m.n == 0) {
            const char *hint = safety_hint(rd->fs, link, rd->all, rd->n);
            if (hint) json_object_set_new(it, FHIR_SAFETY_HINT_KEY, json_string(hint));
        } else if (m.n > 1 || !named) {
            int pick = 0;
            for (int i = 0; i < m.n; i++)
                if (safety_meaning(rd->fs, m.v[i])) {
                    pick = i;
                    break;
                }
            if (m.n > 1) {
                char said[400];
                size_t used = 0;
                for (int i = 0; i < m.n && used < sizeof said; i++)
                    used += (size_t)snprintf(said + used, sizeof said - used, "%s%s", i ? " or " : "it is ", m.v[i]);
                json_object_set_new(it, FHIR_CONFLICT_KEY, json_string(said));
            }
            const form *by_id = NULL;
            const char *to = meaning_link(rd->fs, m.v[pick], &by_id);
            if (by_id && !rd->by_id) rd->by_id = by_id;
            json_object_set_new(it, "linkId", json_string(to));
        }
        json_array_append_new(rd->seen, json_pack("[O, s?, b]", it, m.n ? m.v[0] : NULL, m.n > 1 || (m.n && !named)));
        relink(rd, json_object_get(it, "item"));
        json_array_foreach(json_object_get(it, "answer"), a, an) relink(rd, json_object_get(an, "item"));
    }
}

/* The place of meaning v among f's items, or -1. */
static int place_in(const form *f, const char *v) {
    for (int k = 0; k < f->n_items; k++) {
        char mine[80];
        meaning_of(f, k, mine, sizeof mine);
        if (!strcmp(mine, v)) return k;
    }
    return -1;
}

/* Whether b comes before a in some form that has both */
static bool out_of_order(const formset *fs, const char *a, const char *b) {
    for (int f = 0; f < fs->n; f++) {
        int ia = place_in(fs->v[f], a), ib = place_in(fs->v[f], b);
        if (ia >= 0 && ib >= 0 && ia > ib) return true;
    }
    return false;
}

/* Items whose meaning the file's definitions gave, read in another order than the instrument's (a Questionnaire that
 * codes q1 as 44260-8 and q9 as 44250-9, the items in the response q1 to q9): the definitions contradict the
 * response, and every item they named is refused (twenty-second outside integrator: such a file imported item 9
 * "nearly every day" as item 1, green). An instrument's items are asked in its order. */
static void check_order(const formset *fs, json_t *seen) {
    const char *prev = NULL;
    bool bad = false;
    size_t k;
    json_t *row;
    json_array_foreach(seen, k, row) {
        const char *v = json_string_value(json_array_get(row, 1));
        if (!v) continue;
        if (prev && out_of_order(fs, prev, v)) bad = true;
        prev = v;
    }
    if (!bad) return;
    json_array_foreach(seen, k, row) {
        json_t *it = json_array_get(row, 0);
        if (json_is_true(json_array_get(row, 2)) && !json_object_get(it, FHIR_CONFLICT_KEY))
            json_object_set_new(it, FHIR_CONFLICT_KEY,
                                json_string("they name it so, but out of the instrument's order"));
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
            if (fhir_loinc_system(sys)) sys = NULL; /* LOINC's answer codes name no form: read, or refused, as any */
            if (sys && strncmp(sys, FHIR_ANSWERS, pre) != 0) *other = true;
            for (int i = 0; sys && !*other && i < fs->n; i++)
                if (!strcmp(sys + pre, fs->v[i]->id)) {
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
        questionnaires qs;
        candidates(qr, canon, all, n, &qs);
        const form *canon_form = fhir_form_of(fs, canon);
        /* a Questionnaire sent along that is one of triage's forms (an export's own copy) or LOINC's panel */
        if (!canon_form && qs.n > 0) {
            const form *same = fhir_form_of(fs, str(qs.v[0], "url"));
            for (int q = 1; q < qs.n; q++)
                if (fhir_form_of(fs, str(qs.v[q], "url")) != same) same = NULL; /* they disagree: none */
            canon_form = same;
        }
        if (!canon_form) canon_form = answered_in_local_codes(fs, json_object_get(qr, "item"));
        reading rd = {fs, canon_form, &qs, all, n, NULL, json_array()};
        relink(&rd, json_object_get(qr, "item"));
        check_order(fs, rd.seen);
        json_decref(rd.seen);
        const form *named = canon_form ? canon_form : rd.by_id;
        if (named && named != fhir_form_of(fs, canon)) {
            char url[256];
            fhir_questionnaire_url(named, url, sizeof url);
            json_object_set_new(qr, "questionnaire", json_string(url));
        }
    }
}
