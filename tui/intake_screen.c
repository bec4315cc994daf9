/* The intake: find the client, choose the client's language, then one question at a time with the live
 * panel (scores, level in words and colour, every reason, the top counselors), the safety steps the moment
 * the level becomes red, the review, and the saved summary. Every answer is autosaved as a sealed draft. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer_keys.h"
#include "clock.h"
#include "secret.h"
#include "ui.h"

static const char *level_word(risk_level l) {
    static const char *const k[LEVEL_COUNT] = {"level_green", "level_yellow", "level_orange", "level_red"};
    return tr(k[l]);
}

/* Nothing is highlighted on an unanswered question, so that no key can take a default for an answer (a
 * stray Space picks nothing); an answered single choice starts on its answer. */
static void reset_highlight(app *a) {
    a->choice = -1;
    wizard *w = a->w;
    if (!a->w_active || w->stage != WZ_QUESTIONS) return;
    const scale *s = form_item_scale(wizard_form(w), w->item);
    const answer *an = &w->in.a.answers[w->forms[w->pos]][w->item];
    if (s && wizard_item(w)->type != ITEM_MULTI && an->state == ANS_VALUE) a->choice = scale_value_index(s, an->value);
}

void intake_autosave(app *a) {
    if (!a->s || !a->w_active || a->w->stage == WZ_SAVED) return;
    char *body = wizard_to_json(a->w);
    char err[512];
    if (!body || !draft_save(a->s, a->w->draft_id, body, err, sizeof err))
        app_message(a, true, "%s", body ? err : "cannot save the draft");
    else if (a->message_error) /* saved: a failure shown before ("the disk is full") no longer holds */
        a->message[0] = '\0';
    if (body) {
        secret_wipe(body, strlen(body));
        free(body);
    }
}

void intake_begin(app *a, bool resume) {
    char err[512];
    if (resume) {
        char id[STORE_ID_LEN] = "";
        char *body = NULL;
        bool found = false;
        if (!draft_resume(a->s, id, &body, &found, err, sizeof err)) {
            app_message(a, true, "%s", err);
            return;
        }
        if (!found) return;
        if (a->w_active) wizard_free(a->w);
        a->w_active = wizard_from_json(a->w, a->e, body, err, sizeof err);
        vault_wipe_free(body);
        if (!a->w_active) {
            app_message(a, true, "%s", err);
            return;
        }
        memcpy(a->w->draft_id, id, sizeof id);
        a->matches_stale = true;
        app_message(a, false, "%s", tr("draft_resumed"));
        a->screen = a->w->stage == WZ_REVIEW ? SCR_REVIEW : SCR_WIZARD;
        reset_highlight(a);
        return;
    }
    strlist ids = strlist_split(a->e->cfg.intake_forms);
    if (a->w_active) wizard_free(a->w);
    a->w_active = wizard_start(a->w, a->e, (const char *const *)ids.v, ids.n, LANG_EN, err, sizeof err);
    strlist_free(&ids);
    if (!a->w_active) app_message(a, true, "%s", err);
    a->typed[0] = '\0';
    a->matches_stale = true;
    reset_highlight(a);
}

/* The counselor suggestions for the current answers, ranked again only after a change. */
static const match_result *current_matches(app *a) {
    if (a->matches_stale) {
        wizard *w = a->w;
        match_request req = {w->in.language, w->in.counselor_gender[0] ? w->in.counselor_gender : NULL, w->in.concerns};
        match_rank(&a->e->needs, &a->e->roster, &w->in.a, w->level, &req, &a->matches);
        a->matches_stale = false;
    }
    return &a->matches;
}

/* ---- drawing ---- */

static void draw_find(app *a, const layout *l) {
    int y = l->body.y + 1;
    draw_text(y++, 2, l->body.w - 4, tr(a->find_record ? "find_record_title" : "find_title"), theme(C_TITLE));
    draw_wrapped(y++, 2, l->body.w - 4, 2, tr(a->find_record ? "find_record_hint" : "find_hint"), theme(C_DIM));
    y += 2;
    draw_text(y, 2, 4, "> ", A_BOLD);
    draw_text(y++, 4, l->body.w - 6, a->query, A_UNDERLINE);
    y++;
    if (a->picked == -2) draw_text(y++, 4, l->body.w - 6, tr(a->find_record ? "found_none_record" : "found_none"), A_NORMAL);
    if (a->picked == -1) draw_text(y++, 4, l->body.w - 6, tr(a->find_record ? "found_pick_record" : "found_pick"), theme(C_DIM));
    for (int i = 0; i < a->n_found && i < 9; i++) {
        char line[512];
        snprintf(line, sizeof line, "%d  %s  %s  %s", i + 1, a->found[i].name, a->found[i].phone, a->found[i].birth);
        draw_text(y++, 4, l->body.w - 6, line, A_NORMAL);
    }
}

static void draw_panel(app *a, const rect *r) {
    wizard *w = a->w;
    draw_box_title(r->y, r->x, r->h, r->w, tr("panel"));
    int y = r->y + 1, x = r->x + 2, width = r->w - 4, bottom = r->y + r->h - 1;
    char line[512];
    snprintf(line, sizeof line, " %s: %s ", tr("level"), level_word(w->level));
    draw_text(y++, x, width, line, theme(level_color(w->level)));
    for (int p = 0; p < w->n_forms && y < bottom; p++) {
        int f = w->forms[p];
        const form *fm = a->e->forms.v[f];
        if (!w->in.a.given[f] || fm->kind != FORM_SCORED) continue;
        const score_result *s = &w->in.a.scores[f];
        char total[96] = "";
        if (s->has_total && s->incomplete) snprintf(total, sizeof total, "%s ", tr("score_incomplete"));
        else if (s->has_total) snprintf(total, sizeof total, "%d%s ", s->total, s->prorated ? tr("score_prorated") : "");
        snprintf(line, sizeof line, "%-5s %s%s  %d/%d %s%s", fm->id, total, s->band >= 0 ? fm->bands[s->band].label[ui_lang()] : "",
                 s->n_answered, s->n_visible, tr("answered"), s->complete && !s->provisional ? "" : "");
        draw_text(y++, x, width, line, A_NORMAL);
    }
    if (y < bottom) draw_text(y++, x, width, tr("reasons"), theme(C_TITLE));
    if (w->risk.n_fired == 0 && y < bottom) draw_text(y++, x, width, tr("no_reasons"), theme(C_DIM));
    for (int i = 0; i < w->risk.n_fired && y < bottom - 1; i++) {
        const risk_rule *rule = &a->e->rules.v[w->risk.fired[i].rule];
        snprintf(line, sizeof line, "%s: %s", level_word(rule->level), w->risk.fired[i].because);
        draw_text(y++, x, width, line, theme(level_color(rule->level)));
        if (y < bottom - 1) y += draw_wrapped(y, x + 2, width - 2, 2, rule->reason[ui_lang()], A_NORMAL);
    }
    if (!a->e->has_roster || y >= bottom) return;
    draw_text(y++, x, width, tr("matches"), theme(C_TITLE));
    const match_result *mr = current_matches(a);
    if (mr->n == 0 && y < bottom) draw_text(y++, x, width, tr("no_match"), theme(C_ERROR));
    for (int k = 0; k < mr->n && y < bottom; k++) {
        const counselor *c = &a->e->roster.v[mr->top[k].counselor];
        char why[160] = "";
        for (int j = 0; j < mr->top[k].n_why; j++) {
            size_t n = strlen(why);
            snprintf(why + n, sizeof why - n, "%s%s", j ? ", " : "", a->e->needs.label[mr->top[k].why[j]][ui_lang()]);
        }
        snprintf(line, sizeof line, "%.2f %s: %s", (double)mr->top[k].score, c->name, why);
        draw_text(y++, x, width, line, A_NORMAL);
    }
}

static void draw_question(app *a, const rect *r) {
    wizard *w = a->w;
    const form *f = wizard_form(w);
    const form_item *it = wizard_item(w);
    lang cl = w->client_lang;
    int y = r->y + 1, x = r->x + 2, width = r->w - 4;
    int num, count;
    wizard_progress(w, &num, &count);
    char line[512];
    snprintf(line, sizeof line, "%s   %s %d %s %d", f->title[cl], tr("question"), num, tr("of"), count);
    draw_text(y++, x, width, line, theme(C_TITLE));
    if (num == 1) y += draw_wrapped(y, x, width, 3, f->instructions[cl], theme(C_DIM));
    y++;
    y += draw_wrapped(y, x, width, 4, it->text[cl], A_BOLD);
    y++;
    const scale *s = form_item_scale(f, w->item);
    const answer *ans = &w->in.a.answers[w->forms[w->pos]][w->item];
    if (s) {
        /* the list scrolls so that the highlighted option stays in sight (12 concerns on 80x24); the
         * refusal and one line of help stay below it */
        int end = r->y + r->h, room = end - y - (s->refusable ? 1 : 0) - 1;
        if (room < 1) room = 1;
        int shown = s->n < room ? s->n : room;
        int hl = a->choice < s->n ? a->choice : -1; /* a highlight left from another question shows nothing */
        int first = hl >= shown ? hl - shown + 1 : 0;
        for (int c = first; c < first + shown; c++) {
            bool chosen = it->type == ITEM_MULTI ? ans->state == ANS_VALUE && ((uint32_t)ans->value & (1u << c))
                                                 : ans->state == ANS_VALUE && ans->value == s->choices[c].value;
            /* the number beside an option is exactly the key that picks it; none past the ninth */
            int key = answer_key_for_choice(f, w->item, c);
            char key_text[2] = {key >= 0 && key <= 9 ? (char)('0' + key) : ' ', '\0'};
            bool more = (c == first && first > 0) || (c == first + shown - 1 && first + shown < s->n);
            snprintf(line, sizeof line, "%s %s  %s%s", chosen ? (it->type == ITEM_MULTI ? "[x]" : " > ") : (it->type == ITEM_MULTI ? "[ ]" : "   "),
                     key_text, s->choices[c].label[cl], more ? (c == first ? "   ^" : "   v") : "");
            draw_text(y++, x, width, line, c == hl ? theme(C_HILITE) : A_NORMAL);
        }
        if (s->refusable) {
            snprintf(line, sizeof line, "%s r  %s", ans->state == ANS_REFUSED ? " > " : "   ", tr("refused"));
            draw_text(y++, x, width, line, A_NORMAL);
        }
        if (end - y > 2) y++;
        if (y < end) draw_wrapped(y, x, width, end - y < 2 ? 1 : 2, it->type == ITEM_MULTI ? tr("multi_hint") : tr("wiz_hint"), theme(C_DIM));
    } else {
        draw_text(y, x, 2, "> ", A_BOLD);
        draw_text(y++, x + 2, width - 2, a->typed, A_UNDERLINE);
        y++;
        draw_wrapped(y, x, width, 2, tr("type_hint"), theme(C_DIM));
    }
}

/* One list of steps (`|` between steps), each wrapped to at most per_step lines; returns the next row. */
/* The lines a step list takes, each step "- STEP" wrapped to width. */
static int steps_lines(int width, const char *steps) {
    char *copy = xstrdup(steps);
    char *save = NULL;
    int n = 0;
    for (char *tok = strtok_r(copy, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
        while (*tok == ' ') tok++;
        char line[1024];
        snprintf(line, sizeof line, "- %s", tok);
        n += wrapped_lines(width, line);
    }
    free(copy);
    return n;
}

/* Draws every step whole while there is room; false when one did not fit (the caller says so). */
static bool draw_steps(int *row, int x, int width, int bottom, const char *steps) {
    char *copy = xstrdup(steps);
    char *save = NULL;
    bool all = true;
    for (char *tok = strtok_r(copy, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
        while (*tok == ' ') tok++;
        char line[1024];
        snprintf(line, sizeof line, "- %s", tok);
        int need = wrapped_lines(width, line);
        if (*row + need > bottom) {
            all = false;
            break;
        }
        *row += draw_wrapped(*row, x, width, need, line, A_BOLD);
    }
    free(copy);
    return all;
}

/* The step set due now (core/clinical/wizard.c decides which), for the interview's channel: in the room, or on the
 * phone/online; while the channel is not known, both, the in-person list first. Every step is drawn whole:
 * a step cut off is a step not done, so when they do not all fit the box says so instead of cutting one. */
static void draw_safety(app *a, const layout *l) {
    const safety_config *sc = &a->e->cfg.safety;
    int set = wizard_safety_set(a->w);
    safety_channel ch = wizard_channel(a->w);
    int w = l->body.w - 6, h = l->body.h - 2, y = l->body.y + 1, x = 3, bottom = y + h - 3;
    for (int r = 0; r < h; r++) mvhline(y + r, x, ' ', w);
    const char *title = safety_title(sc, set, ui_lang());
    draw_box_title(y, x, h, w, title);
    int row = y + 1;
    /* the title again inside the box only when there is room to spare */
    const char *in_person = safety_steps(sc, set, SAFETY_IN_PERSON, ui_lang());
    const char *remote = safety_steps(sc, set, SAFETY_REMOTE, ui_lang());
    int need = (ch != SAFETY_CHANNEL_REMOTE ? 1 + steps_lines(w - 4, in_person) : 0) +
               (ch != SAFETY_CHANNEL_IN_PERSON ? 1 + steps_lines(w - 4, remote) : 0) +
               (ch == SAFETY_CHANNEL_UNKNOWN ? wrapped_lines(w - 4, tr("safety_channel_unknown")) + 1 : 0);
    if (row + 2 + need <= bottom) {
        draw_text(row, x + 2, w - 4, title, theme(C_RED));
        row += 2;
    }
    bool all = true;
    if (ch == SAFETY_CHANNEL_UNKNOWN) row += draw_wrapped(row, x + 2, w - 4, 2, tr("safety_channel_unknown"), theme(C_DIM));
    if (ch != SAFETY_CHANNEL_REMOTE) {
        draw_text(row++, x + 2, w - 4, tr("safety_in_person"), theme(C_TITLE));
        all = draw_steps(&row, x + 2, w - 4, bottom, in_person);
    }
    if (ch != SAFETY_CHANNEL_IN_PERSON && all) {
        if (ch == SAFETY_CHANNEL_UNKNOWN) row++;
        if (row < bottom) draw_text(row++, x + 2, w - 4, tr("safety_remote"), theme(C_TITLE));
        all = row < bottom && draw_steps(&row, x + 2, w - 4, bottom, remote);
    }
    if (!all) draw_text(bottom, x + 2, w - 4, tr("safety_more"), theme(C_ERROR) | A_BOLD);
    draw_text(y + h - 2, x + 2, w - 4, tr("safety_ack"), theme(C_HILITE));
}

static void draw_review(app *a, const layout *l) {
    wizard *w = a->w;
    int y = l->question.y + 1, x = 2, width = l->question.w - 4, bottom = l->question.y + l->question.h - 1;
    draw_text(y++, x, width, tr("review_title"), theme(C_TITLE));
    for (int p = 0; p < w->n_forms && y < bottom - 2; p++) {
        int f = w->forms[p];
        const form *fm = a->e->forms.v[f];
        char line[2048];
        size_t n = (size_t)snprintf(line, sizeof line, "%s:", fm->id);
        for (int i = 0; i < fm->n_items && n < sizeof line - 320; i++) {
            if (!w->in.a.scores[f].visible[i]) continue;
            const answer *an = &w->in.a.answers[f][i];
            char code[256]; /* a multi answer is every code ticked: the twelve concerns take ~100 */
            if (w->text[p][i] && an->state == ANS_VALUE) snprintf(code, sizeof code, "%.40s", w->text[p][i]);
            else answer_format(fm, i, *an, code, sizeof code);
            n += (size_t)snprintf(line + n, sizeof line - n, " %s", code);
        }
        /* as many lines as the form needs while they fit: every answer is reviewed (twelve concerns) */
        int lines = bottom - 2 - y > 3 ? bottom - 2 - y : 3;
        y += draw_wrapped(y, x, width, lines, line, A_NORMAL);
    }
    y++;
    draw_wrapped(y, x, width, 2, tr("review_hint"), theme(C_DIM));
}

static void draw_summary(app *a, const layout *l) {
    int y = l->body.y + 1, x = 2, width = l->body.w - 4;
    char line[512];
    draw_text(y++, x, width, tr("saved_title"), theme(C_TITLE));
    y++;
    snprintf(line, sizeof line, " %s: %s ", tr("level"), level_word(a->saved_item.level));
    draw_text(y++, x, width, line, theme(level_color(a->saved_item.level)));
    for (int i = 0; i < a->w->risk.n_fired && y < l->body.y + l->body.h - 6; i++)
        y += draw_wrapped(y, x, width, 2, a->e->rules.v[a->w->risk.fired[i].rule].reason[ui_lang()], A_NORMAL);
    char left[64];
    queue_format_remaining(&a->saved_item, clock_now(), left, sizeof left);
    snprintf(line, sizeof line, "%s: %s (%s)", tr("deadline"), left, queue_state_name(a->saved_item.state));
    draw_text(++y, x, width, line, A_BOLD);
    y++;
    /* red owes two steps: say both, so the desk knows a clinician must still evaluate the client */
    if (a->saved_item.level == LEVEL_RED && a->saved_item.state != QS_CLOSED)
        y += draw_wrapped(y, x, width, 2, tr(queue_in_evaluation(&a->e->queue, &a->saved_item) ? "next_red_evaluate" : "next_red_ack"),
                          theme(C_RED));
    if (a->e->has_roster) {
        const match_result *mr = current_matches(a);
        snprintf(line, sizeof line, "%s: %s", tr("suggested"), mr->n ? a->e->roster.v[mr->top[0].counselor].name : tr("no_match"));
        draw_text(++y, x, width, line, A_NORMAL);
    }
    if (a->declining) {
        draw_text(y + 2, x, width, tr("decline_why"), theme(C_TITLE));
        draw_text(y + 3, x, 2, "> ", A_BOLD);
        draw_text(y + 3, x + 2, width - 2, a->typed, A_UNDERLINE);
    } else {
        draw_text(y + 2, x, width, tr("saved_hint"), theme(C_DIM));
    }
}

void intake_draw(app *a, const layout *l) {
    switch (a->screen) {
    case SCR_FIND: draw_find(a, l); return;
    case SCR_LANG:
        draw_text(l->body.y + 2, 2, l->body.w - 4, tr("lang_title"), theme(C_TITLE));
        draw_text(l->body.y + 4, 4, l->body.w - 6, tr("lang_hint"), A_NORMAL);
        return;
    case SCR_SUMMARY: draw_summary(a, l); return;
    default: break;
    }
    if (!a->w_active) return;
    if (a->screen == SCR_REVIEW) draw_review(a, l);
    else draw_question(a, &l->question);
    draw_panel(a, &l->panel);
    if (wizard_needs_safety_steps(a->w)) draw_safety(a, l);
}

/* ---- handling ---- */

static void after_change(app *a) {
    a->matches_stale = true;
    a->typed[0] = '\0';
    if (a->w->stage == WZ_QUESTIONS) {
        const char *t = a->w->text[a->w->pos][a->w->item];
        if (t && a->w->in.a.answers[a->w->forms[a->w->pos]][a->w->item].state == ANS_VALUE)
            snprintf(a->typed, sizeof a->typed, "%s", t);
    }
    a->screen = a->w->stage == WZ_REVIEW ? SCR_REVIEW : SCR_WIZARD;
    reset_highlight(a);
    intake_autosave(a);
}

static void save_intake(app *a) {
    wizard *w = a->w;
    char err[512];
    const char *consent = NULL;
    for (int p = 0; p < w->n_forms; p++) {
        const form *fm = a->e->forms.v[w->forms[p]];
        int ci = form_item_index(fm, "consent");
        if (ci < 0) continue;
        const answer *an = &w->in.a.answers[w->forms[p]][ci];
        const scale *s = form_item_scale(fm, ci);
        int c = an->state == ANS_VALUE && s ? scale_value_index(s, an->value) : -1;
        consent = c >= 0 ? s->choices[c].code : "no";
    }
    if (consent && strcmp(consent, "yes") != 0) {
        app_message(a, true, "%s", tr("no_consent"));
        return;
    }
    if (!wizard_ready(w)) { /* a question still owed (a resumed draft, a form added since): ask it first */
        if (wizard_goto_missing(w)) after_change(a);
        app_message(a, true, "%s", tr("question_owed"));
        return;
    }
    /* what now counts (an item never reached counts as passed) may need steps not yet shown: shown first */
    intake_answers_final(a->e, &w->in);
    wizard_recompute(w);
    if (wizard_needs_safety_steps(w)) {
        intake_autosave(a);
        return;
    }
    /* one core use case saves it, as every way in does: the client (when new), the intake, its queue item */
    json_t *record = wizard_record_json(w);
    intake_subject who = {w->client_id, wizard_client_name(w), wizard_text(w, "intake", "phone"),
                          wizard_text(w, "intake", "birth_date"), NULL, record, ui_lang(), w->kept};
    intake_saved saved;
    bool ok = intake_finish(a->s, a->e, &w->in, &who, &saved, err, sizeof err);
    json_decref(record);
    wizard_recompute(w); /* the panel and the summary show what was saved */
    a->matches_stale = true;
    if (!ok) {
        app_message(a, true, "%s", err);
        return;
    }
    json_decref(saved.assessment);
    char client_id[STORE_ID_LEN], intake_id[STORE_ID_LEN];
    memcpy(client_id, saved.client_id, sizeof client_id);
    memcpy(intake_id, saved.intake_id, sizeof intake_id);
    draft_discard(a->s, w->draft_id, err, sizeof err);
    w->stage = WZ_SAVED;
    memcpy(a->saved_intake, intake_id, sizeof intake_id);
    queues_open_for_client(a->db, client_id, &a->saved_item);
    a->screen = SCR_SUMMARY;
    a->message[0] = '\0';
}

static void start_new(app *a, const char *existing_client) {
    intake_begin(a, false);
    if (a->w_active && existing_client) snprintf(a->w->client_id, sizeof a->w->client_id, "%s", existing_client);
    a->screen = a->w_active ? SCR_LANG : SCR_HOME;
}

static void handle_find(app *a, const event *ev, ui_action act) {
    char err[512];
    if (a->picked == -3) { /* editing the search */
        if (act == UA_BACK) a->screen = SCR_HOME;
        else if (act == UA_CHOOSE && !a->query[0] && a->find_record) return; /* a record needs a client */
        else if (act == UA_CHOOSE && !a->query[0]) start_new(a, NULL);
        else if (act == UA_CHOOSE) {
            client_list_free(a->found, a->n_found);
            a->found = NULL;
            a->n_found = 0;
            if (!client_find(a->s, a->query, &a->found, &a->n_found, err, sizeof err)) app_message(a, true, "%s", err);
            a->picked = a->n_found ? -1 : -2;
        } else if (act == UA_NONE) {
            edit_field(a->query, sizeof a->query, ev);
        }
        return;
    }
    if (act == UA_DIGIT && ev->ch - L'1' < a->n_found && a->find_record) record_open(a, a->found[ev->ch - L'1'].id, SCR_HOME);
    else if (act == UA_DIGIT && ev->ch - L'1' < a->n_found) start_new(a, a->found[ev->ch - L'1'].id);
    else if (act == UA_NEW && !a->find_record) start_new(a, NULL);
    else if (act == UA_BACK) a->picked = -3;
}

static void handle_summary(app *a, const event *ev, ui_action act) {
    char err[512];
    if (a->declining) { /* the client declined the suggested counselor: recorded with the reason */
        if (act == UA_BACK) a->declining = false;
        else if (act == UA_CHOOSE && a->typed[0]) {
            queue_request rq = {.action = QA_DECLINE, .reason = a->typed};
            if (queues_act(a->s, &a->e->queue, a->saved_item.id, rq, err, sizeof err)) {
                queue_item now_item;
                if (queues_find(a->db, a->saved_item.id, &now_item, err, sizeof err)) a->saved_item = now_item;
                app_message(a, false, "%s", a->saved_item.match_by_hand ? tr("declined_by_hand") : tr("declined"));
            } else {
                app_message(a, true, "%s", err);
            }
            secret_wipe(a->typed, sizeof a->typed);
            a->declining = false;
        } else if (act == UA_NONE) {
            edit_field(a->typed, sizeof a->typed, ev);
        }
        return;
    }
    if (act == UA_DECLINE) {
        a->typed[0] = '\0';
        a->declining = true;
    } else if (act == UA_CHOOSE) {
        wizard_free(a->w);
        a->w_active = false;
        a->screen = SCR_HOME;
    }
}

/* "Press 0-3 to answer, r if the client refuses": what answers this question, from its keys. */
static void say_what_to_press(app *a, const form_item *it, const scale *s) {
    const form *f = wizard_form(a->w);
    int lo, hi;
    bool every;
    char keys[32] = "";
    if (answer_key_range(f, a->w->item, &lo, &hi, &every)) snprintf(keys, sizeof keys, "%d-%d", lo, hi);
    bool multi = it->type == ITEM_MULTI;
    app_message(a, true, "%s%s%s%s%s%s", tr("press_pre"), keys, every ? "" : tr("press_arrows"),
                tr(multi ? "press_tick" : "press_answer"), s->refusable ? tr("press_refuse") : "", multi ? tr("press_then_enter") : "");
}

/* Picks choice c: a single choice answers and moves on (a deliberate key for that option), a multi
 * choice ticks or unticks and stays. */
static void pick(app *a, const form_item *it, int c) {
    a->message[0] = '\0'; /* a what-to-press message is answered */
    if (it->type == ITEM_MULTI) {
        if (wizard_choose(a->w, c)) {
            after_change(a);
            a->choice = c;
        }
        return;
    }
    if (wizard_choose(a->w, c)) after_change(a);
}

/* A choice question. The safety rule: a key that moves on never picks an answer. Enter only goes on
 * (on a required question with no answer it says what to press instead); the arrows only move the
 * highlight; a digit picks the option it is printed beside; Space picks the highlighted one. */
static void handle_choice(app *a, const event *ev, ui_action act, const form_item *it, const scale *s) {
    wizard *w = a->w;
    const answer *an = &w->in.a.answers[w->forms[w->pos]][w->item];
    if (act == UA_NEXT) a->choice = a->choice < 0 ? 0 : (a->choice + 1) % s->n;
    else if (act == UA_PREV) a->choice = a->choice < 0 ? s->n - 1 : (a->choice + s->n - 1) % s->n;
    else if (act == UA_DIGIT) {
        int c = answer_choice_for_key(wizard_form(w), w->item, (int)(ev->ch - L'0'));
        if (c >= 0) pick(a, it, c);
        else say_what_to_press(a, it, s);
    } else if (act == UA_TICK) {
        if (a->choice >= 0 && a->choice < s->n) pick(a, it, a->choice);
        else say_what_to_press(a, it, s);
    } else if (act == UA_REFUSE && s->refusable) {
        a->message[0] = '\0';
        if (wizard_refuse(w)) after_change(a);
    } else if (act == UA_REFUSE) {
        say_what_to_press(a, it, s); /* this scale has no refusal: say what does answer it */
    } else if (act == UA_CHOOSE) {
        bool answered = an->state == ANS_VALUE || an->state == ANS_REFUSED;
        if (!answered && it->required) {
            say_what_to_press(a, it, s); /* never a default answer, never on */
            return;
        }
        a->message[0] = '\0';
        if (wizard_next(w)) after_change(a); /* an optional question left unanswered records nothing */
    }
}

static void handle_question(app *a, const event *ev, ui_action act) {
    char err[512];
    wizard *w = a->w;
    const form_item *it = wizard_item(w);
    const scale *s = form_item_scale(wizard_form(w), w->item);
    if (act == UA_BACK) {
        if (wizard_back(w)) after_change(a);
        else a->screen = SCR_HOME;
        return;
    }
    if (act == UA_QUIT) {
        a->quit_confirm = true;
        return;
    }
    if (act == UA_SAVE) {
        app_message(a, false, "%s", tr("review_hint"));
        return;
    }
    if (s) {
        handle_choice(a, ev, act, it, s);
        return;
    }
    /* a typed answer */
    if (act == UA_CHOOSE) {
        if (!wizard_type(w, a->typed, err, sizeof err)) {
            app_message(a, true, "%s", err);
            return;
        }
        if (!wizard_next(w)) {
            app_message(a, true, "%s", tr("type_hint"));
            return;
        }
        a->message[0] = '\0';
        after_change(a);
    } else if (act == UA_NONE) {
        edit_field(a->typed, sizeof a->typed, ev);
    }
}

void intake_handle(app *a, const event *ev, ui_action act) {
    wizard *w = a->w;
    switch (a->screen) {
    case SCR_FIND: handle_find(a, ev, act); return;
    case SCR_LANG:
        if (act == UA_DIGIT && (ev->ch == L'1' || ev->ch == L'2')) {
            w->client_lang = ev->ch == L'1' ? LANG_EN : LANG_ZH;
            after_change(a);
        } else if (act == UA_BACK) {
            a->screen = SCR_FIND;
        }
        return;
    case SCR_SUMMARY: handle_summary(a, ev, act); return;
    default: break;
    }
    if (!a->w_active) {
        a->screen = SCR_HOME;
        return;
    }
    if (wizard_needs_safety_steps(w)) { /* the safety steps must be acknowledged before anything else */
        if (act == UA_CHOOSE) {
            char what[160];
            wizard_safety_describe(w, what, sizeof what); /* which set, for which channel (before it is done) */
            wizard_safety_acknowledged(w);
            session_audit(a->s, "safety_steps_acknowledged", w->draft_id, what);
            intake_autosave(a);
        }
        return;
    }
    if (a->screen == SCR_REVIEW) {
        if (act == UA_QUIT) a->quit_confirm = true;
        else if (act == UA_CHOOSE || act == UA_SAVE) save_intake(a);
        else if (act == UA_BACK && wizard_back(w)) after_change(a);
        return;
    }
    handle_question(a, ev, act);
}
