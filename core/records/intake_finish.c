#include "intake_finish.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake_body.h"
#include "intake_store.h"
#include "secret.h"

/* A level shown during the interview with its safety steps acknowledged is not lowered by answers changed
 * afterwards: only a clinician lowers a level, with a written reason (the queue's confirm). The saved level is
 * raised to it with a reason that says so ([intake] kept_level.reason.LANG). */
static void keep_level(const engine *e, json_t *result, risk_level kept, lang l) {
    char because[96];
    snprintf(because, sizeof because, "shown during the interview = %s, answers now = %s", risk_level_name(kept),
             json_string_value(json_object_get(result, "level")) ?: "?");
    assess_raise(e, result, kept, "kept_level", because, l);
}

/* The record is kept only with the client's consent: a form given with a `consent` item must have it answered
 * yes when it was answered, and a record object that carries `consent` must say "yes". Held here, so the wizard, `intake new` and
 * import all refuse the same way (it lived in the screen alone, so the other two saved without it). */
bool intake_consented(const engine *e, const assess_input *in, json_t *record, error *err) {
    for (int f = 0; f < e->forms.n && f < TRIAGE_MAX_FORMS; f++) {
        const form *fm = e->forms.v[f];
        int ci = form_item_index(fm, "consent");
        if (ci < 0 || !in->a.given[f]) continue;
        const answer *an = &in->a.answers[f][ci];
        /* not answered here (`intake new`, import: the record object says; the wizard asks it as a required
         * question and its screen refuses it unanswered) */
        if (an->state != ANS_VALUE && an->state != ANS_REFUSED) continue;
        const scale *sc = form_item_scale(fm, ci);
        int c = an->state == ANS_VALUE && sc ? scale_value_index(sc, an->value) : -1;
        if (c < 0 || strcmp(sc->choices[c].code, "yes") != 0) {
            error_set(err, ERR_INPUT, "%s.consent: the client has not consented to storing the record: it cannot be saved",
                     fm->id);
            return false;
        }
    }
    json_t *given = record ? json_object_get(record, "consent") : NULL;
    if (given && !(json_is_string(given) && strcmp(json_string_value(given), "yes") == 0)) {
        error_set(err, ERR_INPUT, "record.consent: the client has not consented to storing the record: it cannot be saved");
        return false;
    }
    return true;
}

/* A new client who is already exactly one client: that client, whichever way the intake came in. Two
 * registrations of one person made two clients, each with its own queue item starting at its own level (an
 * anonymous caller kept as a new draft at a second desk: eleventh tryout; "Wang Fang 13800138000 1992-03-04" twice:
 * twelfth; "li ming", a trailing space, "138 0000 1111": thirteenth). The same person is the same name, number
 * and birth date once normalised (client_is_person); a name alone, or a name and number that several clients
 * share, says nothing, and a new client is made. A search that cannot answer (a role without it, a record that
 * does not open: audited by the search) also makes a new client: identity never stands in the way of saving
 * a screen. */
static void known_client(session *s, const intake_subject *who, char id[STORE_ID_LEN]) {
    const char *name = who->name ? who->name : "", *phone = who->phone ? who->phone : "";
    if (!name[0] || (!who->anonymous && !phone[0]) || !role_may(s->me.role, ACT_CLIENT_SEARCH)) return;
    client_plain *found = NULL;
    int n = 0, same = -1, count = 0;
    error ignored = {0};
    if (!client_find(s, name, &found, &n, &ignored)) return;
    for (int i = 0; i < n; i++)
        if (client_is_person(&found[i], name, phone, who->birth, who->anonymous) && count++ == 0) same = i;
    if (count == 1) snprintf(id, STORE_ID_LEN, "%s", found[same].id);
    client_list_free(found, n);
}

/* The steps every way in shares: final answers, the body, the kept level, one transaction. kept: a level shown
 * with its safety steps acknowledged during an interview (LEVEL_GREEN: none); draft_id: the interview's draft,
 * gone in the save's transaction (NULL: none). */
static bool finish(session *s, const engine *e, assess_input *in, const intake_subject *who, risk_level kept,
                   const char *draft_id, int64_t given_at, intake_saved *out, error *err) {
    memset(out, 0, sizeof *out);
    if (!intake_consented(e, in, who->record, err)) return false;
    intake_answers_final(e, in);
    json_t *body = intake_body_build(e, in, who->record, who->reasons_lang);
    json_t *result = json_object_get(body, "assessment");
    keep_level(e, result, kept, who->reasons_lang);
    /* another system's record of this client states a higher risk than the screens give: raised to it, with the
     * reason ([intake] stated_risk.reason.LANG); a clinician may lower it in the queue, with a written reason */
    if (who->stated > LEVEL_GREEN)
        assess_raise(e, result, who->stated, "stated_risk", who->stated_because ? who->stated_because : "",
                     who->reasons_lang);
    char *text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(6));
    const char *level = json_string_value(json_object_get(result, "level"));
    const char *suggested = json_string_value(json_object_get(json_array_get(json_object_get(result, "matches"), 0), "id"));
    char known[STORE_ID_LEN] = "";
    if (!(who->client_id && who->client_id[0])) known_client(s, who, known);
    const char *client_id = known[0] ? known : who->client_id;
    bool existing = client_id && client_id[0];
    client_new nc = {who->name, who->phone, who->birth};
    intake_input ii = {existing ? client_id : NULL, level, suggested, NULL, text, who->notes, existing ? who->phone : NULL,
                       existing && who->phone_replaces, &out->phone_changed};
    bool ok = text != NULL;
    if (!ok) error_set(err, ERR_INTERNAL, "out of memory");
    ok = ok && intake_save_given_at(s, existing ? NULL : &nc, &ii, &e->queue, given_at, draft_id, out->client_id,
                                    out->intake_id, err);
    if (ok) {
        risk_level_parse(level, &out->level);
        out->assessment = json_incref(result);
    }
    secret_free(text); /* json_dumps's text: the answers in clear */
    json_decref(body);
    return ok;
}

bool intake_finish(session *s, const engine *e, assess_input *in, const intake_subject *who, intake_saved *out,
                   error *err) {
    return intake_finish_given_at(s, e, in, who, 0, out, err);
}

bool intake_finish_given_at(session *s, const engine *e, assess_input *in, const intake_subject *who, int64_t given_at,
                            intake_saved *out, error *err) {
    return finish(s, e, in, who, LEVEL_GREEN, NULL, given_at, out, err);
}

/* The interview's own rules, held here for every screen that finishes one (the wizard, a resumed draft): they
 * lived in the wizard's screen alone, so any other caller of the use case could save past them. */
static bool interview_may_finish(wizard *w, error *err) {
    if (!intake_consented(w->e, &w->in, NULL, err)) return false;
    if (!wizard_ready(w)) { /* a resumed draft, a form added since: a required question never answered */
        error_set(err, ERR_INPUT, "a required question is still owed: the intake cannot be saved before it is answered");
        return false;
    }
    /* what now counts (an item never reached counts as passed) may call for steps not yet shown */
    intake_answers_final(w->e, &w->in);
    wizard_recompute(w);
    if (wizard_needs_safety_steps(w)) {
        error_set(err, ERR_CONFLICT, "safety steps are due and not acknowledged: the intake cannot be saved before they are");
        return false;
    }
    return true;
}

bool intake_finish_interview(session *s, wizard *w, lang reasons_lang, intake_saved *out, error *err) {
    memset(out, 0, sizeof *out);
    if (!interview_may_finish(w, err)) return false;
    /* saved with other answers at another desk since this desk last saved it: saving would drop those (the desk
     * that saved first saved a client lower than the other had reached: eleventh tryout). Checked before the save's
     * transaction: a save at the other desk in the moment between is the one window left. */
    if (w->draft_id[0] && w->draft_tagged && !draft_unchanged(s, w->draft_id, w->draft_tag, err)) return false;
    json_t *record = wizard_record_json(w);
    const char *name = wizard_client_name(w);
    /* an anonymous caller is its caller id: the same id is the same caller */
    bool anonymous = w->caller_id[0] && w->anonymous_name[0] && !strcmp(name, w->anonymous_name);
    /* a returning client's phone the worker changed at the desk is the one to keep */
    intake_subject who = {w->client_id, name, wizard_client_phone(w), wizard_text(w, "intake", "birth_date"), NULL,
                          record, reasons_lang, anonymous, wizard_phone_changed(w, client_phones_same), LEVEL_GREEN,
                          NULL};
    bool ok = finish(s, w->e, &w->in, &who, w->kept, w->draft_id, 0, out, err);
    json_decref(record);
    wizard_recompute(w); /* the panel and the summary show what was saved */
    if (ok) {
        snprintf(w->client_id, sizeof w->client_id, "%s", out->client_id); /* new, or the one it already was */
        w->draft_id[0] = '\0'; /* its draft went in the save's transaction */
        w->stage = WZ_SAVED;
    }
    return ok;
}
