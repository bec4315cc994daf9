#include "drafts_at_risk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake_body.h"
#include "record_view.h"
#include "risk.h"
#include "secret.h"

bool draft_level_guarded(risk_level level) { return level >= LEVEL_ORANGE; }

/* A screen already positive by its own answers (the ASQ after a "yes"), left now: the items it has not reached are
 * unanswered, as a save would make them, and a positive ASQ with question 5 unknown is acute. The live level reads
 * them as not asked yet, and a hotline caller who hung up after "yes" to the ASQ's first question was listed ORANGE
 * (fortieth receptionist). A screen with nothing positive yet keeps its live level (a PHQ-9 left before item 9 is
 * not listed at risk for that alone). */
static bool positive_screen(const wizard *w, int f) {
    int band = w->in.a.scores[f].band;
    return w->in.a.given[f] && band >= 0 && w->e->forms.v[f]->bands[band].positive;
}

risk_level draft_level_now(const wizard *w) {
    risk_level level = w->level > w->kept ? w->level : w->kept;
    bool any = false;
    for (int f = 0; f < w->e->forms.n && f < TRIAGE_MAX_FORMS && !any; f++) any = positive_screen(w, f);
    if (!any) return level;
    answer_set *a = malloc(sizeof *a);
    risk_result *risk = malloc(sizeof *risk);
    if (!a || !risk) {
        free(a);
        free(risk);
        return LEVEL_RED; /* not known: treated as at risk, as a draft that does not open */
    }
    memcpy(a, &w->in.a, sizeof *a);
    for (int f = 0; f < w->e->forms.n && f < TRIAGE_MAX_FORMS; f++)
        if (positive_screen(w, f)) intake_form_answers_final(a, f); /* as the save does (intake_answers_final) */
    risk_evaluate(&w->e->rules, a, risk);
    if (risk->level > level) level = risk->level;
    secret_wipe(a, sizeof *a); /* a client's answers */
    free(a);
    free(risk);
    return level;
}

bool draft_autosave(session *s, wizard *w, error *err) {
    char *body = wizard_to_json(w);
    if (!body) {
        error_set(err, ERR_INTERNAL, "out of memory: the draft was not saved");
        return false;
    }
    risk_level level = draft_level_now(w);
    bool note = draft_level_guarded(level) && level > w->risk_noted;
    bool ok = draft_save_tagged(s, w->draft_id, body, w->draft_tag, &w->draft_tagged, note ? "draft_at_risk" : NULL,
                                risk_level_name(level), err);
    secret_free(body); /* the answers in clear (json_dumps's text) */
    if (ok && note) w->risk_noted = level;
    return ok;
}

bool draft_keep_wizard_copy(session *s, wizard *w, error *err) {
    char *body = wizard_to_json(w);
    if (!body) {
        error_set(err, ERR_INTERNAL, "out of memory: the copy was not kept");
        return false;
    }
    char was[STORE_ID_LEN], id[STORE_ID_LEN];
    snprintf(was, sizeof was, "%s", w->draft_id);
    risk_level level = draft_level_now(w);
    bool ok = draft_keep_copy(s, was, id, body, draft_level_guarded(level) ? risk_level_name(level) : NULL, err);
    secret_free(body); /* the answers in clear (json_dumps's text) */
    if (ok) {
        snprintf(w->draft_id, sizeof w->draft_id, "%s", id);
        w->risk_noted = draft_level_guarded(level) ? level : LEVEL_GREEN;
    }
    return ok;
}

static bool marked_red(database *db, const char *id) {
    audit_rec e;
    audit_link prev;
    if (db->ops->audit_by_object(db->st, id, "draft_at_risk", true, &e, &prev) == ST_OK && !strcmp(e.detail, "red"))
        return true;
    if (db->ops->audit_by_object(db->st, id, "draft_copy_kept", true, &e, &prev) != ST_OK) return false;
    const char *at = strstr(e.detail, " at ");
    return at && !strcmp(at + 4, "red");
}

bool drafts_marked_red(database *db, const char *except_id, int *all, int *others, error *err) {
    *all = *others = 0;
    draft_rec *drafts = NULL;
    int nd = 0;
    store_status st = db->ops->drafts_before(db->st, INT64_MAX, &drafts, &nd);
    if (st != ST_OK) {
        db_error(db, st, "cannot read the drafts", err);
        return false;
    }
    for (int i = 0; i < nd; i++) {
        if (marked_red(db, drafts[i].id)) {
            (*all)++;
            if (!(except_id && !strcmp(drafts[i].id, except_id))) (*others)++;
        }
        draft_rec_free(&drafts[i]);
    }
    free(drafts);
    return true;
}

/* The level, initials and (an anonymous caller's) caller id of one sealed draft; false when it does not open or
 * parse (then it counts as red). */
static bool draft_level_of(session *s, const engine *e, const draft_rec *r, draft_at_risk *d) {
    char *body = NULL;
    size_t len = 0;
    if (!vault_open(s->v, "drafts", "body", r->id, r->body_ct.p, r->body_ct.n, &body, &len)) return false;
    wizard *w = calloc(1, sizeof *w);
    error err = {0};
    bool ok = w && wizard_from_json(w, e, body, &err);
    secret_free(body);
    if (ok) {
        d->level = draft_level_now(w);
        d->owed_form = wizard_owed_question(w, &d->owed_number); /* the list's "RED · ASQ q5 not asked" */
        /* an anonymous caller has no name to take initials from ("Anonymous caller KMT4821" gave "A.C."): the id */
        bool anonymous = w->caller_id[0] && !wizard_text(w, "intake", "preferred_name")[0];
        const char *name = wizard_client_name(w);
        if (anonymous) snprintf(d->caller_id, sizeof d->caller_id, "%s", w->caller_id);
        if (name[0] && !anonymous) name_initials(name, d->initials, sizeof d->initials);
        else snprintf(d->initials, sizeof d->initials, "?");
    }
    if (w) wizard_free(w);
    free(w);
    return ok;
}

risk_level draft_stored_level(session *s, const engine *e, const draft_rec *r) {
    draft_at_risk d;
    memset(&d, 0, sizeof d);
    if (!e || !draft_level_of(s, e, r, &d)) return LEVEL_RED;
    return d.level;
}

risk_level draft_stored_level_caller(session *s, const engine *e, const draft_rec *r, char *caller_id, size_t size) {
    draft_at_risk d;
    memset(&d, 0, sizeof d);
    if (size) caller_id[0] = '\0';
    if (!e || !draft_level_of(s, e, r, &d)) return LEVEL_RED;
    if (size) snprintf(caller_id, size, "%s", d.caller_id);
    return d.level;
}

/* The start of every reader here: every draft of the database (each worker's), as stored. */
static bool drafts_read(session *s, draft_rec **drafts, int *nd, error *err) {
    store_status st = s->db->ops->drafts_before(s->db->st, INT64_MAX, drafts, nd);
    if (st != ST_OK) db_error(s->db, st, "cannot read drafts", err);
    return st == ST_OK;
}

/* The end both lists share: the drafts read are freed; the list (n entries of size bytes, NULL when it could
 * not be allocated for nd drafts) is sorted by cmp into *sorted, or freed when empty (*sorted stays NULL). */
static bool list_finish(draft_rec *drafts, int nd, void *list, int n, size_t size,
                        int (*cmp)(const void *, const void *), void **sorted, error *err) {
    for (int i = 0; i < nd; i++) draft_rec_free(&drafts[i]);
    free(drafts);
    if (nd && !list) {
        error_set(err, ERR_INTERNAL, "out of memory");
        return false;
    }
    if (n == 0) {
        free(list);
        return true;
    }
    qsort(list, (size_t)n, size, cmp);
    *sorted = list;
    return true;
}

/* The highest level first, then the newest: a RED draft listed eighth among ORANGE ones by time fell under the keys
 * of an 80x24 home, and past the ninth of a worker's drafts no digit picked it (fourteenth tryout). */
static int newest_first(const void *x, const void *y) {
    const draft_at_risk *a = x, *b = y;
    if (a->level != b->level) return a->level < b->level ? 1 : -1;
    return a->updated_at < b->updated_at ? 1 : a->updated_at > b->updated_at ? -1 : strcmp(a->id, b->id);
}

bool drafts_at_risk_list(session *s, const engine *e, draft_at_risk **out, int *n, error *err) {
    *out = NULL;
    *n = 0;
    if (!session_allowed(s, ACT_CLIENT_SEARCH, err)) return false; /* the roles that see the queues */
    draft_rec *drafts = NULL;
    int nd = 0;
    if (!drafts_read(s, &drafts, &nd, err)) return false;
    draft_at_risk *list = nd ? calloc((size_t)nd, sizeof *list) : NULL;
    for (int i = 0; i < nd && list; i++) {
        draft_at_risk d;
        memset(&d, 0, sizeof d);
        d.owed_form = -1;
        if (!draft_level_of(s, e, &drafts[i], &d)) {
            d.level = LEVEL_RED;
            snprintf(d.initials, sizeof d.initials, "?");
        }
        if (!draft_level_guarded(d.level)) continue;
        memcpy(d.id, drafts[i].id, sizeof d.id);
        d.updated_at = drafts[i].updated_at;
        d.mine = strcmp(drafts[i].staff_id, s->me.id) == 0;
        staff_rec who;
        if (s->db->ops->staff_by_id(s->db->st, drafts[i].staff_id, &who) == ST_OK) snprintf(d.staff, sizeof d.staff, "%s", who.name);
        else snprintf(d.staff, sizeof d.staff, "?");
        list[(*n)++] = d;
    }
    void *sorted = NULL;
    bool ok = list_finish(drafts, nd, list, *n, sizeof *list, newest_first, &sorted, err);
    *out = sorted;
    return ok;
}

/* Whose and where: the name, the level, the form and question it stopped at. */
static void describe_mine(session *s, const engine *e, const draft_rec *r, my_draft *d) {
    memcpy(d->id, r->id, sizeof d->id);
    d->updated_at = r->updated_at;
    d->level = LEVEL_RED; /* a draft that does not open is treated as at risk */
    d->form = -1;
    char *body = NULL;
    size_t len = 0;
    if (!vault_open(s->v, "drafts", "body", r->id, r->body_ct.p, r->body_ct.n, &body, &len)) return;
    wizard *w = calloc(1, sizeof *w);
    error err = {0};
    if (w && wizard_from_json(w, e, body, &err)) {
        d->level = draft_level_now(w);
        snprintf(d->name, sizeof d->name, "%s", wizard_client_name(w));
        snprintf(d->client_id, sizeof d->client_id, "%s", w->client_id);
        if (w->stage == WZ_QUESTIONS) {
            d->form = w->forms[w->pos];
            int then;
            wizard_progress_line(w, &d->number, &d->count, &then); /* as the question line counts */
        }
        wizard_free(w);
    }
    free(w);
    secret_free(body);
}

static int mine_newest_first(const void *x, const void *y) {
    const my_draft *a = x, *b = y;
    if (a->level != b->level) return a->level < b->level ? 1 : -1; /* as newest_first: the highest level first */
    return a->updated_at < b->updated_at ? 1 : a->updated_at > b->updated_at ? -1 : strcmp(a->id, b->id);
}

bool drafts_mine_list(session *s, const engine *e, my_draft **out, int *n, error *err) {
    *out = NULL;
    *n = 0;
    draft_rec *drafts = NULL;
    int nd = 0;
    if (!drafts_read(s, &drafts, &nd, err)) return false;
    my_draft *list = nd ? calloc((size_t)nd, sizeof *list) : NULL;
    for (int i = 0; i < nd && list; i++)
        if (strcmp(drafts[i].staff_id, s->me.id) == 0) describe_mine(s, e, &drafts[i], &list[(*n)++]);
    void *sorted = NULL;
    bool ok = list_finish(drafts, nd, list, *n, sizeof *list, mine_newest_first, &sorted, err);
    *out = sorted;
    return ok;
}

bool draft_held(session *s, const char *id, bool *held, int64_t *updated_at, error *err) {
    *held = false;
    *updated_at = 0;
    if (!id || !id[0]) return true;
    draft_rec *drafts = NULL;
    int nd = 0;
    if (!drafts_read(s, &drafts, &nd, err)) return false;
    for (int i = 0; i < nd; i++) {
        if (!*held && strcmp(drafts[i].id, id) == 0) {
            *held = true;
            *updated_at = drafts[i].updated_at;
        }
        draft_rec_free(&drafts[i]);
    }
    free(drafts);
    return true;
}
