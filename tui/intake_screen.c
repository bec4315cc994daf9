/* The intake: find the client, choose the client's language, then one question at a time with the live
 * panel (scores, level in words and colour, every reason, the top counselors), the safety steps the moment
 * the level becomes red, the review, and the saved summary. Every answer is autosaved as a sealed draft. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <wctype.h>

#include "answer_keys.h"
#include "clock.h"
#include "safety_ack.h"
#include "secret.h"
#include "ui.h"

/* A fired rule's reason in the staff language, with its advice while the advice still holds (the core says:
 * "Ask the ASQ." goes once the ASQ is begun). */
static const char *rule_text(const app *a, const risk_rule *rule) {
    static char buf[4][640];
    static int next;
    next = (next + 1) % 4;
    const char *advice = risk_rule_advice(rule, &a->in.w->in.a, ui_lang());
    bool remote = wizard_channel(a->in.w) == SAFETY_CHANNEL_REMOTE; /* a caller: "before the call ends" (data) */
    snprintf(buf[next], sizeof buf[next], "%s%s%s", risk_rule_reason(rule, remote, ui_lang()), advice ? " " : "", advice ? advice : "");
    return buf[next];
}

static const char *level_word(risk_level l) {
    static const char *const k[LEVEL_COUNT] = {"level_green", "level_yellow", "level_orange", "level_red"};
    return tr(k[l]);
}

/* Nothing is highlighted on an unanswered question, so that no key can take a default for an answer (a
 * stray Space picks nothing); an answered single choice starts on its answer. */
static void reset_highlight(app *a) {
    a->in.choice.on = false;
    wizard *w = a->in.w;
    if (!a->in.active || w->stage != WZ_QUESTIONS) return;
    const scale *s = form_item_scale(wizard_form(w), w->item);
    const answer *an = &w->in.a.answers[w->forms[w->pos]][w->item];
    int at = s && wizard_item(w)->type != ITEM_MULTI && an->state == ANS_VALUE ? scale_value_index(s, an->value) : -1;
    if (at >= 0) a->in.choice = (highlight){true, at};
}

static void note_saved_here(app *a) {
    intake_state *in = &a->in;
    in->saved_at = clock_now();
    int slot = -1;
    for (int i = 0; i < in->n_saved_here && slot < 0; i++)
        if (strcmp(in->saved_here[i], in->w->draft_id) == 0) slot = i;
    if (slot < 0) slot = in->n_saved_here < 8 ? in->n_saved_here++ : (int)(in->saved_at % 8);
    snprintf(in->saved_here[slot], sizeof in->saved_here[slot], "%s", in->w->draft_id);
    memcpy(in->saved_tag[slot], in->w->draft_tag, sizeof in->saved_tag[slot]);
}

/* This desk saved draft id last, as it is now (tag): a recent save is its own. Saved since by another desk (that
 * desk had only resumed it: a resume saves at once), it is not (twelfth tryout: no warning at either desk). */
static bool saved_here(const app *a, const char *id, const unsigned char tag[DRAFT_TAG_BYTES]) {
    for (int i = 0; i < a->in.n_saved_here; i++)
        if (strcmp(a->in.saved_here[i], id) == 0) return memcmp(a->in.saved_tag[i], tag, DRAFT_TAG_BYTES) == 0;
    return false;
}

void intake_heartbeat(app *a) {
    /* only an intake on screen is open: one left for the front desk (F3, q) stays in memory but its draft keeps the
     * time it was left (home lists drafts newest first by it) */
    if (!a->s || a->screen != SCR_WIZARD || !a->in.active || !a->in.w->draft_id[0] || a->in.w->stage == WZ_SAVED) return;
    if (a->in.gone) return; /* saved or discarded at another desk: the header says so, nothing to keep it for */
    if (clock_now() - a->in.saved_at >= DRAFT_HEARTBEAT_SECONDS) intake_autosave(a);
}

static bool intake_item_at(const app *a, const char *item_id, int *pos, int *item);

const char *intake_display_name(const app *a) {
    static char buf[128];
    const wizard *w = a->in.w;
    /* on the name's field, the name as the field has it: a search carried in and typed over was the header's name
     * until Enter, beside the field showing the new one (twenty-second tryout) */
    int p, i;
    if (a->screen == SCR_WIZARD && w->stage == WZ_QUESTIONS && a->in.typed[0] &&
        intake_item_at(a, "preferred_name", &p, &i) && w->pos == p && w->item == i)
        return a->in.typed;
    /* an anonymous caller: the words in the staff language now, the id from the draft (a draft begun in English
     * said "Anonymous caller DRC7674" on Chinese screens: sixth tryout) */
    if (w->caller_id[0] && !wizard_text(w, "intake", "preferred_name")[0]) {
        snprintf(buf, sizeof buf, "%s %s", tr("anonymous_caller"), w->caller_id);
        return buf;
    }
    return wizard_client_name(w);
}

bool intake_autosave(app *a) {
    if (!a->s || !a->in.active || a->in.w->stage == WZ_SAVED) return true;
    error err = {0};
    wizard *w = a->in.w;
    /* with what the field holds and was not entered: Ctrl-C twice lost a call-back number typed (tryout 21); only
     * while the question is on screen: saved from home or the search (another intake begun, another taken up), the
     * field's buffer is no longer this question's, and an answer gone back to and left with Esc was lost with it
     * (twenty-sixth tryout: a name entered, Esc back to it and home, then another intake: "no name yet") */
    if (w->stage == WZ_QUESTIONS && (a->screen == SCR_WIZARD || a->locked_idle)) wizard_keep_unentered(w, a->in.typed);
    /* only over the draft as this desk left it: another desk of the same worker may have saved it since */
    bool saved = draft_autosave(a->s, w, &err);
    if (saved) note_saved_here(a);
    if (saved) a->in.saved_digest = wizard_answers_digest(w);
    if (!saved && w->draft_id[0] && draft_gone(a->s, w->draft_id, w->draft_tagged ? w->draft_tag : NULL)) a->in.gone = true;
    if (!saved && a->in.gone)
        app_message(a, true, "%s", keyed("two_desks_refused")); /* in the staff language, with what to do */
    else if (!saved)
        app_message(a, true, "%s", err.msg);
    else if (a->in.save_failed && a->message_error) /* a failure shown before ("the disk is full") no longer holds */
        a->message[0] = '\0';
    /* only that: the heartbeat's save a second after a resume once wiped "may be open at another desk" (tryout) */
    a->in.save_failed = !saved;
    return saved;
}

static bool forget_if_empty(app *a);
static void note_queue_level(app *a);

void intake_leaving(app *a) {
    /* taken up at another desk with everything of it saved before: nothing to keep, no copy (a quit made one) */
    if (intake_drop_if_all_saved(a) || !a->in.active) return;
    /* nothing answered: no draft, as F3 keeps none (Ctrl-C kept one, which the next login opened: tryout 24) */
    if (a->in.w->stage != WZ_SAVED && forget_if_empty(a)) return;
    wizard_mark_leaving(a->in.w, true); /* the last save says no desk has it open (a quick re-login was warned of one) */
}

void intake_drop(app *a) {
    if (a->in.active) wizard_free(a->in.w);
    a->in.active = false;
    a->in.lang_from_record = false;
    a->in.queue_level = -1;
    a->in.carried = a->in.searched = false;
    memset(a->in.given, 0, sizeof a->in.given); /* what the record filled in was that intake's */
    /* the next intake's review opens at its top (it opened at the row edited in the last intake: tryout) */
    a->in.review_sel = a->in.review_top = 0;
    a->in.back_to_review = false;
    a->in.open_elsewhere = a->in.gone = false;
    secret_wipe(a->in.typed, sizeof a->in.typed);
    secret_wipe(a->in.held, sizeof a->in.held);
    secret_wipe(a->in.same_phone, sizeof a->in.same_phone);
    secret_wipe(a->in.same_phone_short, sizeof a->in.same_phone_short);
    secret_wipe(a->in.phone_looked_up, sizeof a->in.phone_looked_up);
}

screen_id intake_screen_now(const app *a) {
    if (!a->in.active) return SCR_HOME;
    return a->in.w->stage == WZ_REVIEW ? SCR_REVIEW : a->in.w->stage == WZ_SAVED ? SCR_SUMMARY : SCR_WIZARD;
}

static void mark_known(app *a);

static reaction resume_body(app *a, const char *id, char *body, const unsigned char tag[DRAFT_TAG_BYTES]);
static void phone_check(app *a);
static void field_shows_answer(app *a);

reaction intake_resume(app *a) {
    error err = {0};
    char id[STORE_ID_LEN] = "";
    char *body = NULL;
    bool found = false;
    unsigned char tag[DRAFT_TAG_BYTES];
    if (!draft_resume_tagged(a->s, id, &body, &found, tag, &err)) {
        app_message(a, true, "%s", err.msg);
        return switch_to(SCR_HOME);
    }
    if (!found) return switch_to(SCR_HOME);
    return resume_body(a, id, body, tag);
}

/* A question owed was offered on resuming: the draft keeps that it was, so that left again by any way (a crash, a
 * lock, a quit) it resumes with the red steps at once, never offering the question a second time. */
static void owed_kept(app *a) {
    if (wizard_owed_pending(a->in.w)) intake_autosave(a);
}

static reaction resume_stored(app *a, const char *want);

/* The intake left in memory, taken up again: read as a resumed draft is (core: an owed question is asked first).
 * Saved since by another desk of this worker (it resumed it, or answered there), the stored draft is taken up
 * instead, with the warning: it holds this desk's answers too (that desk could save only over them), and this
 * desk's next save would be refused (twelfth tryout: `r` took up the copy in memory, silently). */
reaction intake_resume_open(app *a) {
    wizard *w = a->in.w;
    error err = {0};
    wizard_mark_leaving(w, false); /* open here again: its next save says so */
    if (!a->in.gone && w->draft_id[0] && w->draft_tagged && !draft_unchanged(a->s, w->draft_id, w->draft_tag, &err)) {
        if (!draft_gone(a->s, w->draft_id, NULL)) {
            char id[STORE_ID_LEN];
            snprintf(id, sizeof id, "%s", w->draft_id);
            return resume_stored(a, id);
        }
        a->in.gone = true; /* saved, discarded or erased there: leaving asks what to keep */
    }
    wizard_resume(a->in.w);
    owed_kept(a);
    return switch_to(intake_screen_now(a));
}

/* One of the worker's drafts, picked from home's list: the intake open now is saved first (it is after every
 * answer), then set aside for the one picked. */
/* The intake in memory went at another desk, and everything it holds was saved before it went (no save refused
 * since): the other desk took it up from there, so the stored draft holds it all, and nothing is left to keep. It
 * is set aside without a question (a RED copy asked k each time, and each k made a duplicate draft: fifteenth
 * tryout). True when it was. */
bool intake_drop_if_all_saved(app *a) {
    if (!a->in.active || a->in.w->stage == WZ_SAVED) return false;
    wizard *w = a->in.w;
    /* a save refused since is no loss when nothing changed since the last that went through (q, refused as the
     * draft went, then a quit kept a second identical copy: twenty-third tryout) */
    if (a->in.save_failed && wizard_answers_digest(w) != a->in.saved_digest) return false;
    error err = {0};
    /* changed at another desk since this desk's last save, which took every answer given here (each is saved as
     * it is given): found now, before a save of it is refused for it */
    if (!a->in.gone && w->draft_id[0] && w->draft_tagged && !draft_unchanged(a->s, w->draft_id, w->draft_tag, &err))
        a->in.gone = true;
    if (!a->in.gone) return false;
    intake_drop(a);
    return true;
}

reaction intake_resume_id(app *a, const char *want) {
    char id[STORE_ID_LEN];
    snprintf(id, sizeof id, "%s", want);
    intake_drop_if_all_saved(a);
    if (a->in.active && strcmp(a->in.w->draft_id, id) == 0) return intake_resume_open(a);
    /* the intake in memory went at another desk: its answers are in no draft, so they are kept (k) or left (y)
     * first; every r and x was refused with "finish it at one desk", and F4 was the only way on (fourteenth tryout) */
    bool saved = !a->in.active || a->in.gone || intake_autosave(a); /* a failed save may find it gone */
    if (a->in.active && a->in.gone && a->in.w->stage != WZ_SAVED) {
        a->message[0] = '\0'; /* the question says it */
        return react(RE_ASK_GONE);
    }
    if (!saved) return react(RE_REDRAW); /* says why; nothing is set aside unsaved */
    return resume_stored(a, id);
}

/* Draft id as stored, taken up (the intake in memory, saved or superseded, set aside). */
static reaction resume_stored(app *a, const char *want) {
    error err = {0};
    char id[STORE_ID_LEN];
    char *body = NULL;
    snprintf(id, sizeof id, "%s", want);
    unsigned char tag[DRAFT_TAG_BYTES];
    if (!draft_resume_id_tagged(a->s, id, &body, tag, &err)) {
        app_message(a, true, "%s", err.msg);
        return react(RE_REDRAW);
    }
    return resume_body(a, id, body, tag);
}

/* The draft's text (secret memory, freed here) becomes the open intake, at the question where it stopped. */
static reaction resume_body(app *a, const char *id, char *body, const unsigned char tag[DRAFT_TAG_BYTES]) {
    error err = {0};
    intake_drop(a);
    a->in.active = wizard_from_json(a->in.w, a->e, body, &err);
    secret_free(body);
    if (!a->in.active) {
        app_message(a, true, "%s", err.msg);
        return switch_to(SCR_HOME);
    }
    snprintf(a->in.w->draft_id, sizeof a->in.w->draft_id, "%s", id);
    memcpy(a->in.w->draft_tag, tag, sizeof a->in.w->draft_tag); /* what this desk read: its saves go over only that */
    a->in.saved_digest = wizard_answers_digest(a->in.w);
    a->in.w->draft_tagged = true;
    if (wizard_unentered(a->in.w)) /* the field as it was left: typed, not entered */
        snprintf(a->in.typed, sizeof a->in.typed, "%s", wizard_unentered(a->in.w));
    else field_shows_answer(a); /* else its answer, as when a question is reached (settle): an empty field over a name
                                 * entered, and the Enter that followed, took the name away (twenty-sixth tryout) */
    /* what the record filled in of this intake, known before it is judged empty: the last intake's marks hid this
     * one's answers, and a call with its channel answered was discarded as empty (twenty-fifth tryout) */
    mark_known(a);
    if (forget_if_empty(a)) return switch_to(SCR_HOME); /* an empty draft (left by an older version): not opened */
    a->in.matches_stale = true;
    note_queue_level(a);
    phone_check(a); /* a new client's number on record for others: said again (it was lost with the resume: forty-fourth
                     * receptionist, and the next shift would have saved the second record) */
    char who[256], where[160];
    intake_whose(a, who, sizeof who);
    intake_where(a, where, sizeof where);
    app_message(a, false, "%s %s (%s)", tr("draft_resumed"), who, where);
    /* the same worker's other desk may have it open (the second desk resumed it silently: sixth tryout) */
    int64_t age = -1;
    error ignore = {0};
    /* not when the desk that saved it last left it (a quit, a logout, the idle lock): it is open nowhere */
    if (!saved_here(a, id, tag) && !wizard_resumed_left(a->in.w) && draft_saved_ago(a->s, id, &age, &ignore) &&
        draft_probably_open(age)) {
        app_message(a, true, "%s %s (%s). %s", tr("draft_resumed"), who, where, tr("draft_open_elsewhere"));
        a->in.open_elsewhere = true; /* and in the header while it is open here */
    }
    /* saved at once, so that another desk of this worker taking it up now is told it is open here (a draft last saved
     * long ago was resumed at two desks with no warning at either: eleventh tryout) */
    if (!wizard_owed_pending(a->in.w) && !a->in.peek) intake_autosave(a);
    owed_kept(a);
    reset_highlight(a);
    return switch_to(intake_screen_now(a));
}

/* A new intake with the configured forms; false (with the message) when it cannot start. */
static bool intake_start(app *a) {
    error err = {0};
    strlist ids = strlist_split(a->e->cfg.intake_forms);
    intake_drop(a);
    a->in.active = wizard_start(a->in.w, a->e, (const char *const *)ids.v, ids.n, LANG_EN, &err);
    strlist_free(&ids);
    if (!a->in.active) app_message(a, true, "%s", err.msg);
    a->in.typed[0] = '\0';
    a->in.matches_stale = true;
    reset_highlight(a);
    return a->in.active;
}

static void after_change(app *a);

/* The hotline's quick path ([intake] hotline_forms): an anonymous caller with a short id, straight to the
 * first question in the staff's language (the worker reads the questions out). */
reaction intake_begin_hotline(app *a) {
    error err = {0};
    const intake_plan *plan = &a->e->plan;
    if (plan->n_hotline == 0) {
        app_message(a, true, "%s", tr("hotline_none"));
        return react(RE_REDRAW);
    }
    const char *ids[INTAKE_MAX_FORMS];
    for (int i = 0; i < plan->n_hotline; i++) ids[i] = a->e->forms.v[plan->hotline[i]]->id;
    intake_drop(a);
    a->in.active = wizard_start(a->in.w, a->e, ids, plan->n_hotline, ui_lang(), &err);
    if (!a->in.active) {
        app_message(a, true, "%s", err.msg);
        return switch_to(SCR_HOME);
    }
    wizard_set_anonymous(a->in.w, tr("anonymous_caller"));
    memset(a->in.given, 0, sizeof a->in.given);
    a->in.carried = false;
    a->in.typed[0] = '\0';
    a->in.matches_stale = true;
    reset_highlight(a);
    after_change(a); /* the first question, and the draft saved at once */
    return switch_to(intake_screen_now(a));
}

/* The counselor suggestions for the current answers, ranked again only after a change (the screens' load). */
static void intake_load(app *a, const layout *l) {
    (void)l;
    if (!a->in.active || !a->in.matches_stale) return;
    wizard *w = a->in.w;
    match_request req = {w->in.language, w->in.counselor_gender[0] ? w->in.counselor_gender : NULL, w->in.concerns};
    match_rank(&a->e->needs, &a->e->roster, &w->in.a, w->level, &req, &a->in.matches);
    a->in.matches_stale = false;
}

/* ---- whose intake, and where it stands ---- */

/* The label of a choice answered on the intake form (the channel), in the staff language; "" when none. */
static const char *intake_choice_label(const app *a, const char *item_id) {
    const wizard *w = a->in.w;
    for (int p = 0; p < w->n_forms; p++) {
        const form *fm = a->e->forms.v[w->forms[p]];
        int i = form_item_index(fm, item_id);
        if (i < 0) continue;
        const answer *an = &w->in.a.answers[w->forms[p]][i];
        const scale *sc = form_item_scale(fm, i);
        int c = an->state == ANS_VALUE && sc ? scale_value_index(sc, an->value) : -1;
        if (c >= 0) return sc->choices[c].label[ui_lang()];
    }
    return "";
}

void intake_whose(const app *a, char *buf, size_t size) {
    if (!a->in.active) {
        snprintf(buf, size, "-");
        return;
    }
    const wizard *w = a->in.w;
    const char *name = intake_display_name(a);
    const char *channel = intake_choice_label(a, "channel");
    char who[160];
    /* no name (yet, or a caller who stays anonymous): the draft's short id tells two such intakes apart */
    if (name[0]) snprintf(who, sizeof who, "%s", name);
    else snprintf(who, sizeof who, "%s %.6s", tr("anonymous"), w->draft_id[0] ? w->draft_id : "");
    /* the channel's label up to its first bracket: "Walk-in (came to the centre in person)" reads "Walk-in" */
    /* (strcspn would take the full-width bracket's three bytes one by one and cut inside a character) */
    const char *ascii = strchr(channel, '('), *wide = strstr(channel, "（");
    const char *end = ascii && (!wide || ascii < wide) ? ascii : wide;
    size_t cut = end ? (size_t)(end - channel) : strlen(channel);
    while (cut > 0 && channel[cut - 1] == ' ') cut--;
    if (channel[0]) snprintf(buf, size, "%s \u00b7 %.*s", who, (int)cut, channel);
    else snprintf(buf, size, "%s", who);
}

static void short_title(const form *f, char *buf, size_t size);
void form_short_title(const form *f, char *buf, size_t size) { short_title(f, buf, size); }

/* A form's short name for one line: the abbreviation its title ends with in brackets ("PHQ-9"), else the title. */
static void short_title(const form *f, char *buf, size_t size) {
    const char *t = f->title[ui_lang()];
    size_t n = strlen(t);
    const char *open = NULL;
    if (n > 1 && t[n - 1] == ')') open = strrchr(t, '(');
    if (n > 3 && strcmp(t + n - 3, "）") == 0) {
        const char *p = strstr(t, "（"), *q;
        while (p && (q = strstr(p + 3, "（")) != NULL) p = q;
        if (p) snprintf(buf, size, "%.*s", (int)(n - 3 - (size_t)(p + 3 - t)), p + 3);
        else snprintf(buf, size, "%s", t);
        return;
    }
    if (open) snprintf(buf, size, "%.*s", (int)(t + n - 1 - open - 1), open + 1);
    else snprintf(buf, size, "%s", t);
}

static int announce_optional(const app *a, int count, char *buf, size_t size);

void intake_where(const app *a, char *buf, size_t size) {
    if (!a->in.active) {
        snprintf(buf, size, "-");
        return;
    }
    const wizard *w = a->in.w;
    if (w->stage != WZ_QUESTIONS) {
        snprintf(buf, size, "%s", tr("at_review"));
        return;
    }
    int num, count, then;
    wizard_progress_line(w, &num, &count, &then); /* as the question line counts: "4 of 9, then 1 optional" */
    char title[96], optional[160] = "";
    if (then > 0) snprintf(optional, sizeof optional, ", %s %d %s", tr("then"), then, tr("optional"));
    short_title(wizard_form(w), title, sizeof title);
    /* the count the question's header gives: the resume line said "4 of 10" (sixth tryout) */
    snprintf(buf, size, "%s, %s %d %s %d%s", title, tr("question"), num, tr("of"), count, optional[0] == ',' ? optional : "");
}

bool intake_keep_copy(app *a) {
    error err = {0};
    if (!a->in.active) return false;
    if (!draft_keep_wizard_copy(a->s, a->in.w, &err)) { /* the wizard takes the copy's id */
        app_message(a, true, "%s", err.msg);
        return false;
    }
    char who[256];
    intake_whose(a, who, sizeof who);
    note_saved_here(a); /* resumed here later, the copy is not "open at another desk" (eleventh tryout) */
    intake_drop(a);
    app_message(a, false, "%s %s", tr("draft_copy_kept"), who);
    return true;
}

void intake_leave_gone(app *a) {
    if (!a->in.active) return;
    char who[256];
    intake_whose(a, who, sizeof who);
    intake_drop(a);
    app_message(a, false, "%s %s", tr("draft_gone_left"), who);
}

void intake_discard(app *a) {
    error err = {0};
    if (!a->in.active) return;
    static const char *const lv[LEVEL_COUNT] = {"green", "yellow", "orange", "red"};
    wizard *w = a->in.w;
    if (!w->draft_id[0] ||
        draft_abandon(a->s, w->draft_id, lv[draft_level_now(w)], w->draft_tagged ? w->draft_tag : NULL, &err)) {
        intake_drop(a);
        app_message(a, false, "%s", tr("draft_discarded"));
    } else {
        app_message(a, true, "%s", err.msg);
    }
}

static void short_title(const form *f, char *buf, size_t size);

/* Optional questions announced, so that a form never grows unannounced (the PHQ-9's difficulty question
 * appears only after a symptom): ", then 1 optional" while the required ones are asked when the form's
 * optional questions all come last, " (5 optional)" when they are among the others, and on an optional
 * question, that Enter skips it. */
static int announce_optional(const app *a, int count, char *buf, size_t size) {
    const wizard *w = a->in.w;
    const form *f = wizard_form(w);
    int number, shown, then;
    wizard_progress_line(w, &number, &shown, &then); /* the core's count: home's lines say the same */
    buf[0] = '\0';
    if (then > 0) { /* "of 9, then 1 optional": the count does not grow when it appears */
        snprintf(buf, size, ", %s %d %s", tr("then"), then, tr("optional"));
        return shown;
    }
    int n_opt = 0;
    for (int i = 0; i < f->n_items; i++) n_opt += !f->items[i].required;
    if (n_opt == 0) return count;
    if (wizard_on_owed_callback(w)) return count; /* owed now: Enter no longer skips it (the text below says why) */
    if (!wizard_item(w)->required) {
        snprintf(buf, size, "  \u00b7 %s", keyed("optional_now"));
        return count;
    }
    snprintf(buf, size, " (%d %s)", n_opt, tr("optional"));
    return count;
}

/* The header of every question: whose intake (name or anonymous caller, channel) and which form of how many. */
/* Two desks of one worker on one intake, under its header for as long as it is open here: its draft went at the
 * other desk, or may be open there. The lines drawn (0 or 1). */
static int draw_two_desks(const app *a, int y, int x, int width) {
    const char *say = a->in.gone ? keyed("two_desks_gone") : a->in.open_elsewhere ? tr("two_desks_open") : NULL;
    if (!say) return 0;
    /* wrapped, two lines at most: cut at the width, what to do was lost (twenty-fifth tryout) */
    return draw_wrapped(y, x, width, 2, say, theme(C_ERROR) | A_BOLD);
}

/* The client's open queue item, while its level is above what this intake's answers give: the queue keeps it. */
static int draw_in_queue(const app *a, int y, int x, int width) {
    if (a->in.queue_level < 0 || a->in.queue_level <= (int)a->in.w->level) return 0;
    char line[300];
    risk_level q = (risk_level)a->in.queue_level;
    snprintf(line, sizeof line, "%s %s%s%s", tr("in_queue_now"), level_tr(q), tr("p_stop"), tr("in_queue_kept"));
    /* wrapped, two lines at most: at 80 columns it was cut before it said what a save does (twenty-fifth tryout) */
    return draw_wrapped(y, x, width, 2, line, theme(level_color(q)) | A_BOLD);
}

/* The client's open queue item now (a returning client), for draw_in_queue. */
static void note_queue_level(app *a) {
    queue_item it;
    a->in.queue_level = -1;
    if (a->in.active && a->in.w->client_id[0] && queues_open_for_client(a->db, a->in.w->client_id, &it))
        a->in.queue_level = (int)it.level;
}

/* A new client's phone on record for others: who, under the header, for as long as the number stands. */
static int draw_same_phone(const app *a, int y, int x, int width) {
    if (!a->in.same_phone[0]) return 0;
    /* the number is being changed in its field: the old number's holders are not this one's (forty-fourth
     * receptionist: the warning stayed while the number was corrected); looked up again at its Enter */
    const wizard *w = a->in.w;
    if (w->stage == WZ_QUESTIONS && wizard_item(w)->phone && !strcmp(wizard_form(w)->id, "intake") &&
        strcmp(a->in.typed, a->in.phone_looked_up) != 0)
        return 0;
    /* past the intake form on a short screen, one line: at 80x24 its three pushed PHQ-9 item 9's last option below the
     * screen (forty-sixth receptionist) */
    bool later = w->stage == WZ_QUESTIONS && strcmp(wizard_form(w)->id, "intake") != 0;
    /* there, its short form: the long one was cut mid-sentence at 80 columns, its advice lost (forty-seventh
     * receptionist) */
    if (later && LINES < 30) return draw_wrapped(y, x, width, 1, a->in.same_phone_short, theme(C_ERROR) | A_BOLD);
    return draw_wrapped(y, x, width, 3, a->in.same_phone, theme(C_ERROR) | A_BOLD);
}

/* Looks the new client's phone up among the clients on record, once per number typed: a returning client registered
 * again (another spelling of the name) had their history and open RED item under the other record, and nothing said
 * so (issue 14). A returning client's own intake has nothing to look up. */
static void phone_check(app *a) {
    const char *phone = a->in.w->client_id[0] || a->in.w->caller_id[0] ? "" : wizard_text(a->in.w, "intake", "phone");
    if (!strcmp(phone, a->in.phone_looked_up)) return;
    snprintf(a->in.phone_looked_up, sizeof a->in.phone_looked_up, "%s", phone);
    secret_wipe(a->in.same_phone, sizeof a->in.same_phone);
    secret_wipe(a->in.same_phone_short, sizeof a->in.same_phone_short);
    client_plain *c = NULL;
    int n = 0;
    error err = {0};
    if (*phone && client_phone_holders(a->s, phone, &c, &n, &err) && n > 0) {
        size_t used = (size_t)snprintf(a->in.same_phone, sizeof a->in.same_phone, "%s", tr("same_phone"));
        for (int i = 0; i < n && i < 3 && used < sizeof a->in.same_phone; i++) {
            char level[96] = "";
            if (c[i].open_level >= 0)
                snprintf(level, sizeof level, "%s%s%s", tr("same_phone_open"), level_tr((risk_level)c[i].open_level),
                         tr("same_phone_close"));
            used += (size_t)snprintf(a->in.same_phone + used, sizeof a->in.same_phone - used, "%s%s%s",
                                     i ? tr("p_comma") : "", c[i].name ? c[i].name : "", level);
        }
        if (n > 3 && used < sizeof a->in.same_phone)
            used += (size_t)snprintf(a->in.same_phone + used, sizeof a->in.same_phone - used, " +%d", n - 3);
        if (used < sizeof a->in.same_phone)
            snprintf(a->in.same_phone + used, sizeof a->in.same_phone - used, "%s%s", tr("p_stop"),
                     keyed("same_phone_ask"));
        /* the short form: the first holder and its level, how many more, the question and the key */
        char level[64] = "";
        if (c[0].open_level >= 0) snprintf(level, sizeof level, " (%s)", level_tr((risk_level)c[0].open_level));
        char more[32] = "";
        if (n > 1) snprintf(more, sizeof more, " +%d", n - 1);
        snprintf(a->in.same_phone_short, sizeof a->in.same_phone_short, "%s%s%s%s%s", tr("same_phone_short"),
                 c[0].name ? c[0].name : "", level, more, keyed("same_phone_short_ask"));
    }
    client_list_free(c, n);
}

static int draw_whose(app *a, int y, int x, int width) {
    char who[256], line[400];
    intake_whose(a, who, sizeof who);
    /* the colon of the screen's language (接案：, never 接案:) */
    snprintf(line, sizeof line, "%s%s%s   %s %d %s %d", tr("intake_of"), tr("p_colon"), who, tr("form_word"),
             a->in.w->pos + 1, tr("of"), a->in.w->n_forms);
    draw_text(y, x, width, line, A_BOLD | A_UNDERLINE);
    int n = 1 + draw_two_desks(a, y + 1, x, width);
    n += draw_same_phone(a, y + n, x, width);
    return n + draw_in_queue(a, y + n, x, width);
}

/* ---- drawing ---- */

static void find_draw(app *a, const layout *l) {
    int y = l->body.y + 1;
    draw_text(y++, 2, l->body.w - 4, tr(a->find.for_record ? "find_record_title" : "find_title"), theme(C_TITLE));
    draw_wrapped(y++, 2, l->body.w - 4, 2, keyed(a->find.for_record ? "find_record_hint" : "find_hint"), theme(C_DIM));
    y += 2;
    draw_text(y, 2, 4, "> ", A_BOLD);
    draw_text(y++, 4, l->body.w - 6, a->find.query, A_UNDERLINE);
    y++;
    if (a->find.mode == FIND_NONE_FOUND)
        draw_text(y++, 4, l->body.w - 6, keyed(a->find.for_record ? "found_none_record" : "found_none"), A_NORMAL);
    if (a->find.mode == FIND_PICKING)
        draw_text(y++, 4, l->body.w - 6, keyed(a->find.for_record ? "found_pick_record" : "found_pick"), theme(C_DIM));
    for (int i = 0; i < a->find.n_found && i < 9; i++) {
        char line[512], name[160], phone[64];
        /* aligned in screen columns (Chinese names); two spaces between columns: "Anonymous caller ARH8901" filled its
         * column and ran into the phone (twenty-first tryout) */
        text_fit(name, sizeof name, client_name_tr(a->find.found[i].name), 26);
        text_fit(phone, sizeof phone, a->find.found[i].phone, 16);
        /* the level of an open queue item, the clients at risk listed first (twenty-ninth receptionist: a RED client
         * 13th of 21 namesakes, past the nine shown, with nothing to say one was at risk) */
        const client_plain *c = &a->find.found[i];
        char queued[64];
        text_fit(queued, sizeof queued, c->open_level >= 0 ? level_word((risk_level)c->open_level) : "", 6);
        snprintf(line, sizeof line, "%d  %s  %s  %s  %s", i + 1, queued, name, phone, c->birth);
        attr_t at = i == a->find.sel ? theme(C_HILITE) : c->open_level >= LEVEL_ORANGE ? A_BOLD : A_NORMAL;
        draw_text(y++, 4, l->body.w - 6, line, at);
    }
    /* nine are picked by a digit: the rest were left out without a word, and a returning client not among the nine
     * looked new (a duplicate record in the making: twenty-second tryout) */
    if (a->find.n_found > 9) {
        char more[400];
        snprintf(more, sizeof more, "%s%d%s", tr("found_more"), a->find.n_found - 9, tr("found_more_n"));
        draw_wrapped(y, 4, l->body.w - 6, 2, more, theme(C_ERROR));
    }
}

/* ---- the live panel: every line wrapped, the level and its first reason pinned, the rest scrolls ---- */

#define PANEL_LINES_MAX 256

typedef struct {
    char text[320];
    attr_t attr;
} panel_line;

static panel_line panel_lines[PANEL_LINES_MAX];

/* Adds text wrapped to width (continuation lines indented by indent); returns the new count. */
static int panel_add(int n, int width, int indent, const char *text, attr_t attr) {
    const char *rest = text;
    bool first = true;
    do {
        if (n >= PANEL_LINES_MAX) return n;
        char part[256];
        int lead = first ? 0 : indent;
        rest = text_take(rest, width - lead, part, sizeof part);
        snprintf(panel_lines[n].text, sizeof panel_lines[n].text, "%*s%s", lead, "", part);
        panel_lines[n++].attr = attr;
        first = false;
    } while (*rest);
    return n;
}

static int panel_reason(const app *a, int n, int width, int i) {
    const risk_rule *rule = &a->e->rules.v[a->in.w->risk.fired[i].rule];
    char line[512];
    if (ui_lang() != LANG_EN) { /* the rule's expression is written in the forms' ids and English words ("asq.band =
                                 * non_acute_positive", "(4/5 answered)"): a Chinese screen says the reason in words only
                                 * (sixth tryout) */
        snprintf(line, sizeof line, "%s%s%s", level_word(rule->level), tr("p_colon"), rule_text(a, rule));
        return panel_add(n, width, 2, line, theme(level_color(rule->level)));
    }
    snprintf(line, sizeof line, "%s%s%s", level_word(rule->level), tr("p_colon"), a->in.w->risk.fired[i].because);
    n = panel_add(n, width, 2, line, theme(level_color(rule->level)));
    snprintf(line, sizeof line, "  %s", rule_text(a, rule));
    return panel_add(n, width, 2, line, A_NORMAL);
}

/* The pinned head: the level and the first reason (what must never scroll out of sight). */
static int panel_head(const app *a, int width) {
    const wizard *w = a->in.w;
    char line[512];
    snprintf(line, sizeof line, " %s: %s ", tr("level"), level_word(w->level));
    int n = panel_add(0, width, 1, line, theme(level_color(w->level)));
    /* a level kept after its steps were read, higher than the answers now give: said under it, not only on the
     * summary (eighth tryout: "RED" above "No rule fired (so far)") */
    const char *kept = wizard_kept_reason(w, ui_lang());
    if (kept) n = panel_add(n, width, 0, kept, theme(level_color(w->level)));
    /* the level a save or a hang-up would give now, when higher: a screen positive by its own answers counts its
     * questions not reached as unanswered (core's draft_level_now, as the lists and the save read it). The panel said
     * ORANGE after ASQ question 1 "yes" while the list of unfinished intakes said RED (fortieth receptionist). */
    risk_level if_stopped = draft_level_now(w);
    if (if_stopped > w->level) {
        snprintf(line, sizeof line, "%s %s %s", tr("level_if_stopped"), level_word(if_stopped), tr("level_if_stopped_why"));
        n = panel_add(n, width, 0, line, theme(level_color(if_stopped)));
    }
    if (w->risk.n_fired > 0) n = panel_reason(a, n, width, 0);
    return n;
}

/* The rest, from line `from`: the scores of the forms begun, the other reasons, the counselors. */
static int panel_body(const app *a, int n, int width) {
    const wizard *w = a->in.w;
    char line[512];
    for (int p = 0; p < w->n_forms; p++) {
        int f = w->forms[p];
        const form *fm = a->e->forms.v[f];
        const score_result *s = &w->in.a.scores[f];
        /* a form's score once one of its questions was asked: "Negative screen 0/4" before that says what is
         * not known */
        if (!w->in.a.given[f] || fm->kind != FORM_SCORED || s->n_answered == 0) continue;
        char total[96] = "";
        if (s->has_total && s->incomplete) snprintf(total, sizeof total, "%s ", tr("score_incomplete"));
        else if (s->has_total) snprintf(total, sizeof total, "%d%s ", s->total, s->prorated ? tr("score_prorated") : "");
        snprintf(line, sizeof line, "%-5s %s%s  %d/%d %s", fm->id, total, s->band >= 0 ? fm->bands[s->band].label[ui_lang()] : "",
                 s->n_answered, s->n_visible, tr("answered"));
        n = panel_add(n, width, 6, line, A_NORMAL);
    }
    n = panel_add(n, width, 0, tr("reasons"), theme(C_TITLE));
    if (w->risk.n_fired == 0) n = panel_add(n, width, 0, tr("no_reasons"), theme(C_DIM));
    else if (w->risk.n_fired == 1) n = panel_add(n, width, 0, tr("reason_above"), theme(C_DIM));
    for (int i = 1; i < w->risk.n_fired; i++) n = panel_reason(a, n, width, i);
    if (!a->e->has_roster) return n;
    n = panel_add(n, width, 0, tr("matches"), theme(C_TITLE));
    const match_result *mr = &a->in.matches;
    if (mr->n == 0) n = panel_add(n, width, 0, tr("no_match"), theme(C_ERROR));
    /* before any answer that says what the client needs every similarity is 0: "0.00" beside each name read as
     * a verdict (tryout). The list is then by free places, and says so, with no number */
    else if (mr->need_empty) n = panel_add(n, width, 0, tr("match_no_need"), theme(C_DIM));
    for (int k = 0; k < mr->n && mr->need_empty; k++) n = panel_add(n, width, 5, a->e->roster.v[mr->top[k].counselor].name, A_NORMAL);
    for (int k = 0; k < mr->n && !mr->need_empty; k++) {
        const counselor *c = &a->e->roster.v[mr->top[k].counselor];
        char why[320] = "";
        for (int j = 0; j < mr->top[k].n_why; j++) {
            size_t len = strlen(why);
            snprintf(why + len, sizeof why - len, "%s%s", j ? ", " : "", a->e->needs.label[mr->top[k].why[j]][ui_lang()]);
        }
        snprintf(line, sizeof line, "%.2f %s: %s", (double)mr->top[k].score, c->name, why);
        n = panel_add(n, width, 5, line, A_NORMAL);
    }
    return n;
}

static void draw_panel(app *a, const rect *r) {
    draw_box_title(r->y, r->x, r->h, r->w, tr("panel"));
    int y = r->y + 1, x = r->x + 2, width = r->w - 4, rows = r->h - 2;
    int head = panel_head(a, width);
    int n = panel_body(a, head, width);
    if (head > rows) head = rows; /* never: a level and one reason fit the smallest panel */
    for (int i = 0; i < head; i++) draw_text(y++, x, width, panel_lines[i].text, panel_lines[i].attr);
    int room = rows - head, body = n - head;
    if (room <= 0) return;
    int top = a->in.panel_top;
    if (top > body - room) top = body - room > 0 ? body - room : 0;
    if (top < 0) top = 0;
    a->in.panel_top = top;
    bool above = top > 0, below = top + room < body;
    for (int i = 0; i < room && head + top + i < n; i++) {
        const panel_line *pl = &panel_lines[head + top + i];
        bool mark = (i == 0 && above) || (i == room - 1 && below);
        draw_text(y + i, x, width - (mark ? 10 : 0), pl->text, pl->attr);
        if (mark) draw_text(y + i, x + width - 9, 9, keyed(i == 0 && above ? "panel_more_up" : "panel_more_down"), theme(C_DIM) | A_BOLD);
    }
}

/* A question's words as a field's label in the staff language, cut to a line ("How old are you?"). */
static void item_label(const form_item *it, char *buf, size_t size) {
    /* the question up to its bracketed note: "What is your date of birth? (YYYY-MM-DD…" was cut inside the bracket
     * (twenty-second tryout) */
    const char *text = it->text[ui_lang()];
    const char *open = strstr(text, " ("), *wide = strstr(text, "（");
    if (!open || (wide && wide < open)) open = wide;
    char head[256];
    if (open && open > text && (size_t)(open - text) < sizeof head) {
        snprintf(head, sizeof head, "%.*s", (int)(open - text), text);
        text = head;
    }
    text_fit(buf, size, text, 40);
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == ' ') buf[--n] = '\0';
}

/* After Enter skipped a typed field a digit waits for Enter (the phone guard): in place of the usual hint, what is
 * held and what Enter will do with it. False when the question is not guarded. */
static bool guard_hint(const app *a, const scale *s, char *buf, size_t size) {
    const wizard *w = a->in.w;
    const form_item *skipped = wizard_phone_skipped(w);
    if (wizard_resume_held(w)) { /* after a resume: the first digit waits for Enter (no field to go into) */
        const char *held = wizard_phone_pending(w);
        int c = wizard_phone_pending_choice(w);
        if (!held[0]) snprintf(buf, size, "%s", keyed("guard_resumed"));
        else if (!strcmp(held, "r")) snprintf(buf, size, "%s = %s%s", key_of(UA_REFUSE, 1), tr("refused"), keyed("guard_one"));
        else if (c >= 0) /* held by its digit, or by Space on an option without one ('#' and its index) */
            snprintf(buf, size, "%s = %s%s", held[0] >= '0' && held[0] <= '9' ? held : key_of(UA_TICK, 1),
                     s->choices[c].label[a->in.w->client_lang], keyed("guard_one"));
        else snprintf(buf, size, "%s%s%s", tr("guard_held"), held, keyed("guard_resumed_many"));
        return true;
    }
    if (!wizard_phone_armed(w) || !skipped) return false;
    char label[160];
    item_label(skipped, label, sizeof label);
    const char *held = wizard_phone_pending(w);
    int c = wizard_phone_pending_choice(w);
    /* the call-back field skipped: its own key says the caller gives none from here too */
    if (!held[0]) snprintf(buf, size, "%s%s%s%s", tr("guard_armed"), label, keyed("guard_armed_then"),
                           !strcmp(skipped->id, "callback") ? keyed("guard_armed_callback") : "");
    else if (c >= 0) snprintf(buf, size, "%s = %s%s", held, s->choices[c].label[a->in.w->client_lang], keyed("guard_one"));
    else snprintf(buf, size, "%s%s%s%s", tr("guard_held"), held, keyed("guard_many"), label);
    return true;
}

/* A text of [intake] in the staff language (NAME.en / NAME.zh), its key names filled in from the key table; "" when
 * the configuration has none. */
static const char *intake_text(const app *a, const char *name) {
    char key[64];
    snprintf(key, sizeof key, "%s.%s", name, ui_lang() == LANG_ZH ? "zh" : "en");
    const char *t = ini_get(&a->e->cfg.ini, "intake", key);
    return t ? keyed_text(t) : "";
}

static void draw_question(app *a, const rect *r) {
    wizard *w = a->in.w;
    const form *f = wizard_form(w);
    const form_item *it = wizard_item(w);
    lang cl = w->client_lang;
    int y = r->y + 1, x = r->x + 2, width = r->w - 4;
    int num, count;
    wizard_progress(w, &num, &count);
    y += draw_whose(a, y, x, width);
    char line[512];
    char optional[160], title[96];
    count = announce_optional(a, count, optional, sizeof optional);
    short_title(f, title, sizeof title);
    snprintf(line, sizeof line, "%s   %s %d %s %d%s", title, tr("question"), num, tr("of"), count, optional);
    draw_text(y++, x, width, line, theme(C_TITLE));
    const scale *s = form_item_scale(f, w->item);
    /* every option in sight when it can be (the PHQ-9's top answer scrolled away under its instructions at
     * 80x24): the blank lines go first, then lines of the instructions */
    int q_lines = wrapped_lines(width, it->text[cl]), i_lines = num == 1 ? wrapped_lines(width, f->instructions[cl]) : 0;
    if (q_lines > 4) q_lines = 4;
    if (i_lines > 3) i_lines = 3;
    int options = s ? s->n + (s->refusable ? 1 : 0) + 1 : 3;
    int spare = r->y + r->h - y - q_lines - i_lines - options;
    if (spare < 0 && i_lines > 1) i_lines = i_lines + spare > 1 ? i_lines + spare : 1;
    if (i_lines) y += draw_wrapped(y, x, width, i_lines, f->instructions[cl], theme(C_DIM));
    if (spare >= 1) y++;
    y += draw_wrapped(y, x, width, q_lines, it->text[cl], A_BOLD);
    if (spare >= 2) y++;
    const answer *ans = &w->in.a.answers[w->forms[w->pos]][w->item];
    if (s) {
        /* the list scrolls so that the highlighted option stays in sight (12 concerns on 80x24); the
         * refusal and one line of help stay below it */
        int end = r->y + r->h, room = end - y - (s->refusable ? 1 : 0) - 1;
        if (room < 1) room = 1;
        int shown = s->n < room ? s->n : room;
        /* a highlight left from another question shows nothing */
        int hl = a->in.choice.on && a->in.choice.at < s->n ? a->in.choice.at : -1;
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
            snprintf(line, sizeof line, "%s %s  %s", ans->state == ANS_REFUSED ? " > " : "   ", key_of(UA_REFUSE, 1), tr("refused"));
            draw_text(y++, x, width, line, A_NORMAL);
        }
        if (end - y > 2) y++;
        char guard[512];
        bool guarded = guard_hint(a, s, guard, sizeof guard);
        int hint_lines = end - y < 2 ? 1 : 2;
        /* a resumed draft's question 5: why it is asked first (core); the resume's hold said after it */
        bool resume_idle = guarded && wizard_resume_held(w) && !wizard_phone_pending(w)[0];
        if ((!guarded || resume_idle) && wizard_owed_pending(w)) {
            snprintf(guard, sizeof guard, "%s%d%s%s", tr("owed_ask"), num, keyed("owed_ask_then"),
                     resume_idle ? keyed("guard_resumed_then") : "");
            guarded = true;
            hint_lines = end - y < 4 ? end - y : 4;
        }
        if (y < end && guarded) draw_wrapped(y, x, width, hint_lines, guard, theme(C_ERROR));
        else if (y < end) draw_hints(y, x, width, hint_lines, it->type == ITEM_MULTI ? keyed("multi_hint") : keyed("wiz_hint"), theme(C_DIM));
    } else {
        /* an anonymous caller at orange or red: the number is owed, and how to say there is none (core's rule) */
        if (wizard_on_owed_callback(w) && !a->in.field_error[0]) y += draw_wrapped(y, x, width, 3, intake_text(a, "callback_owed"), theme(C_ORANGE) | A_BOLD);
        draw_text(y, x, 2, "> ", A_BOLD);
        draw_text(y++, x + 2, width - 2, a->in.typed, A_UNDERLINE);
        if (a->in.field_error[0]) y += draw_wrapped(y, x + 2, width - 2, 2, a->in.field_error, theme(C_ERROR)); /* beside it */
        y++;
        /* owed, Enter no longer passes over it: the key line says what does (twenty-fifth tryout: it still said
         * "empty: skip if optional") */
        draw_hints(y, x, width, 2, keyed(wizard_on_owed_callback(w) ? "type_hint_owed" : "type_hint"), theme(C_DIM));
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
    int set = wizard_safety_set(a->in.w);
    safety_channel ch = wizard_channel(a->in.w);
    int w = l->body.w - 6, h = l->body.h - 2, y = l->body.y + 1, x = 3, bottom = y + h - 3;
    for (int r = 0; r < h; r++) mvhline(y + r, x, ' ', w);
    const char *title = safety_title(sc, set, ch, ui_lang());
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
    draw_text(y + h - 2, x + 2, w - 4, keyed("safety_ack"), theme(C_HILITE));
}

/* ---- the review: one labelled section per form, each answer as its text and score ---- */

#define REVIEW_ROWS_MAX (WIZARD_MAX_FORMS * (FORM_MAX_ITEMS + 1) * 3 + 64 + RISK_MAX_RULES * 4)

typedef struct {
    int pos, item; /* the answer this row shows (item -1: a heading or the level, not an answer) */
    char text[640];
    color_role color;
} review_row;

#define REVIEW_READ_ONLY (-3) /* a row the arrows reach (the level, a reason) that e does not edit */

static review_row review_rows[REVIEW_ROWS_MAX]; /* built from the wizard for each use: no state of its own */

/* An answer as the staff read it: the option's words (and its score on a scored form), what was typed,
 * refused, or not answered. */
static void answer_words(const app *a, int p, int i, char *buf, size_t size) {
    const wizard *w = a->in.w;
    int f = w->forms[p];
    const form *fm = a->e->forms.v[f];
    const form_item *it = &fm->items[i];
    const answer *an = &w->in.a.answers[f][i];
    const scale *sc = form_item_scale(fm, i);
    if (an->state == ANS_REFUSED) {
        snprintf(buf, size, "%s", tr("refused"));
    } else if (an->state != ANS_VALUE) {
        /* the call-back number the caller would not give (F5) is not "not answered" (eighth tryout) */
        snprintf(buf, size, "%s", tr(wizard_callback_given_none(w, p, i) ? "callback_given_none" : "unanswered"));
    } else if (w->text[p][i]) {
        snprintf(buf, size, "%s", w->text[p][i]);
    } else if (sc && it->type == ITEM_MULTI) {
        size_t n = 0;
        buf[0] = '\0';
        for (int c = 0; c < sc->n && n + 2 < size; c++)
            if ((uint32_t)an->value & (1u << c)) n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "", sc->choices[c].label[ui_lang()]);
    } else if (sc) {
        int c = scale_value_index(sc, an->value);
        if (c < 0) snprintf(buf, size, "%d", an->value);
        else if (fm->kind == FORM_SCORED && it->score) snprintf(buf, size, "%s (%d)", sc->choices[c].label[ui_lang()], an->value);
        else snprintf(buf, size, "%s", sc->choices[c].label[ui_lang()]);
    } else {
        snprintf(buf, size, "%d", an->value);
    }
}

/* A form's heading: its name, and for a scored form the total and band so far. */
static void form_heading(const app *a, int p, char *buf, size_t size) {
    const wizard *w = a->in.w;
    int f = w->forms[p];
    const form *fm = a->e->forms.v[f];
    const score_result *sc = &w->in.a.scores[f];
    char title[96];
    short_title(fm, title, sizeof title);
    if (fm->kind != FORM_SCORED || !w->in.a.given[f]) snprintf(buf, size, "%s", title);
    else if (sc->has_total && sc->incomplete) snprintf(buf, size, "%s   %s", title, tr("score_incomplete"));
    else if (sc->has_total)
        snprintf(buf, size, "%s   %s %d%s  %s", title, tr("total"), sc->total, sc->prorated ? tr("score_prorated") : "",
                 sc->band >= 0 ? fm->bands[sc->band].label[ui_lang()] : "");
    else snprintf(buf, size, "%s   %s", title, sc->band >= 0 ? fm->bands[sc->band].label[ui_lang()] : "");
}

static int review_build(const app *a, review_row *rows, int width) {
    const wizard *w = a->in.w;
    int n = 0, label_w = width * 2 / 5 > 32 ? 32 : width * 2 / 5;
    for (int p = 0; p < w->n_forms; p++) {
        int f = w->forms[p];
        const form *fm = a->e->forms.v[f];
        rows[n] = (review_row){p, -1, "", C_TITLE};
        form_heading(a, p, rows[n].text, sizeof rows[n].text);
        n++;
        for (int i = 0; i < fm->n_items && n + 2 < REVIEW_ROWS_MAX; i++) {
            if (!w->in.a.scores[f].visible[i]) continue;
            /* the label cut to its column (the highlighted answer's question is shown whole below the list);
             * the answer wraps under itself: every answer is reviewed whole (twelve concerns ticked) */
            char label[200], words[1600], line[400];
            text_fit(label, sizeof label, fm->items[i].text[ui_lang()], label_w);
            answer_words(a, p, i, words, sizeof words);
            const char *rest = text_take(words, width - label_w - 12, line, sizeof line); /* room for "more" */
            rows[n] = (review_row){p, i, "", C_NORMAL};
            snprintf(rows[n].text, sizeof rows[n].text, "  %s %s", label, line);
            while (*rest && n + 2 < REVIEW_ROWS_MAX) { /* the rest across the whole width, indented */
                rest = text_take(rest, width - 14, line, sizeof line);
                n++;
                rows[n] = (review_row){p, -2, "", C_NORMAL}; /* -2: the rest of the answer above */
                snprintf(rows[n].text, sizeof rows[n].text, "      %s", line);
            }
            n++;
        }
    }
    /* the level and every reason, wrapped: Down goes on past the last answer to reach them (-3: shown,
     * reached by the arrows, not an answer to change) */
    rows[n] = (review_row){-1, REVIEW_READ_ONLY, "", level_color(w->level)};
    snprintf(rows[n++].text, sizeof rows[0].text, " %s: %s ", tr("level"), level_word(w->level));
    for (int i = 0; i < w->risk.n_fired && n < REVIEW_ROWS_MAX; i++) {
        const risk_rule *rule = &a->e->rules.v[w->risk.fired[i].rule];
        char reason[640], part[400];
        snprintf(reason, sizeof reason, "%s%s%s", level_word(rule->level), tr("p_colon"), rule_text(a, rule));
        const char *rest = reason;
        for (bool first = true; *rest && n < REVIEW_ROWS_MAX; first = false) {
            rest = text_take(rest, width - 14, part, sizeof part);
            rows[n] = (review_row){-1, first ? REVIEW_READ_ONLY : -2, "", first ? level_color(rule->level) : C_NORMAL};
            snprintf(rows[n++].text, sizeof rows[0].text, "%s%s", first ? "  " : "    ", part);
        }
    }
    return n;
}

/* The next answer row from row `from` in direction dir (+1/-1), or from itself when none is further. */
static int review_step(const review_row *rows, int n, int from, int dir) {
    for (int r = from + dir; r >= 0 && r < n; r += dir)
        if (rows[r].item >= 0 || rows[r].item == REVIEW_READ_ONLY) return r;
    return from;
}

static void draw_review(app *a, const layout *l) {
    int y = l->question.y + 1, x = 2, width = l->question.w - 4, bottom = l->question.y + l->question.h - 1;
    review_row *rows = review_rows;
    int n = review_build(a, rows, width);
    intake_state *in = &a->in;
    in->review_w = width; /* the keys move among the rows as drawn */
    if (in->review_sel >= n || (rows[in->review_sel].item < 0 && rows[in->review_sel].item != REVIEW_READ_ONLY)) in->review_sel = review_step(rows, n, in->review_sel < n ? in->review_sel : -1, 1);
    /* whose intake, as on every question (the review never said whose it was: tryout) */
    char who[256], whose[300];
    intake_whose(a, who, sizeof who);
    snprintf(whose, sizeof whose, "%s%s%s", tr("intake_of"), tr("p_colon"), who);
    draw_text(y++, x, width, whose, A_BOLD | A_UNDERLINE);
    y += draw_two_desks(a, y, x, width);
    y += draw_same_phone(a, y, x, width); /* at the save too (forty-sixth receptionist: it showed on questions only) */
    draw_text(y++, x, width, tr("review_title"), theme(C_TITLE));
    int hint_h = hints_lines(width, keyed("review_hint"));
    /* the highlighted answer's question, whole (the list cuts labels to a column) */
    char full[640] = "";
    const review_row *at_sel = in->review_sel < n ? &rows[in->review_sel] : NULL;
    if (at_sel && at_sel->item >= 0)
        snprintf(full, sizeof full, "%s", a->e->forms.v[a->in.w->forms[at_sel->pos]]->items[at_sel->item].text[ui_lang()]);
    int full_h = full[0] ? wrapped_lines(width, full) : 0;
    if (full_h > 3) full_h = 3;
    int room = bottom - y - hint_h - 1 - full_h;
    if (room < 3) room = 3;
    int sel_end = in->review_sel; /* the highlighted answer with the lines it wraps onto */
    while (sel_end + 1 < n && rows[sel_end + 1].item == -2) sel_end++;
    if (in->review_sel < in->review_top) in->review_top = in->review_sel;
    if (sel_end >= in->review_top + room) in->review_top = sel_end - room + 1;
    if (in->review_sel < in->review_top) in->review_top = in->review_sel; /* taller than the room: its start */
    /* a form's heading above its first answer, when the highlighted row and the lines it wraps onto still fit (the
     * rule took any row above, a reason's wrapped line too, and pushed the last reason's end out of reach at
     * 80x24: fifth tryout) */
    const review_row *above = in->review_top > 0 ? &rows[in->review_top - 1] : NULL;
    if (above && above->item == -1 && above->pos >= 0 && sel_end - in->review_top + 1 < room) in->review_top--;
    for (int r = in->review_top; r < n && r < in->review_top + room; r++) {
        bool sel = r == in->review_sel;
        bool more = (r == in->review_top && r > 0) || (r == in->review_top + room - 1 && r < n - 1);
        attr_t at = sel ? theme(C_HILITE) : theme(rows[r].color);
        draw_text(y, x, width - (more ? 8 : 0), rows[r].text, at);
        if (more) draw_text(y, x + width - 7, 7, r == in->review_top ? tr("more_up") : tr("more_down"), theme(C_DIM) | A_BOLD);
        y++;
    }
    if (full_h) y += draw_wrapped(y, x, width, full_h, full, A_BOLD);
    y++;
    draw_hints(y < bottom - hint_h + 1 ? y : bottom - hint_h + 1, x, width, hint_h, keyed("review_hint"), theme(C_DIM));
}

/* e on the review: back to the highlighted answer to change it; once it is given, the interview returns
 * to the review over the answers already given (stopping at any question that is now owed). */
static void review_edit(app *a) {
    review_row *rows = review_rows;
    int n = review_build(a, rows, a->in.review_w > 0 ? a->in.review_w : 76);
    if (a->in.review_sel < 0 || a->in.review_sel >= n || rows[a->in.review_sel].item < 0) return;
    const review_row *r = &rows[a->in.review_sel];
    if (!wizard_goto(a->in.w, r->pos, r->item)) return;
    a->in.back_to_review = true;
    a->in.jumped_pos = r->pos;
    a->in.jumped_item = r->item;
}

static void review_move(app *a, int dir) {
    review_row *rows = review_rows;
    int n = review_build(a, rows, a->in.review_w > 0 ? a->in.review_w : 76);
    a->in.review_sel = review_step(rows, n, a->in.review_sel < n ? a->in.review_sel : 0, dir);
}

/* The deadline as a local clock time and day with the time left, the step due and who may take it. */
static int draw_deadline(app *a, int y, int x, int width) {
    const queue_item *it = &a->sum.item;
    char left[64], when[48] = "-", line[512];
    remaining_tr(it, clock_now(), left, sizeof left);
    time_t t = (time_t)it->deadline;
    struct tm tm;
    if (it->deadline && localtime_r(&t, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    snprintf(line, sizeof line, "%s%s%s (%s, %s)", tr("deadline"), tr("p_colon"), when, left, state_tr(it->state));
    draw_text(y, x, width, line, A_BOLD);
    int used = 1;
    queue_state next = queue_next_step(&a->e->queue, it);
    const char *who = next == QS_CLOSED ? NULL
                      : queue_in_evaluation(&a->e->queue, it) || next == QS_CONFIRMED ? "role_clinician"
                                                                                     : "role_anyone";
    if (who) {
        snprintf(line, sizeof line, "%s%s%s, %s", tr("due_step"), tr("p_colon"), tr(queue_in_evaluation(&a->e->queue, it) ? "step_evaluate" : queue_state_name(next)), tr(who));
        used += draw_wrapped(y + used, x, width, 2, line, A_NORMAL);
    }
    return used;
}

/* A step set a fired rule names (the BSSA after an ASQ non-acute positive) is due NOW, before the client leaves:
 * said plainly in its own words ([safety] NAME.due) above the queue's deadline, which is a later step (the tryout's
 * summary gave only the 24 hours). Returns the lines used. */
static int draw_due_now(app *a, int y, int x, int width) {
    const wizard *w = a->in.w;
    const safety_config *sc = &a->e->cfg.safety;
    uint32_t shown = 0;
    int used = 0;
    for (int i = 0; i < w->risk.n_fired; i++) {
        int set = a->e->rules.v[w->risk.fired[i].rule].steps_set;
        if (set < 0 || set >= 32 || set == sc->red || (shown >> set) & 1u) continue;
        shown |= 1u << set;
        used += draw_wrapped(y + used, x, width, 3, safety_due(sc, set, wizard_channel(w), ui_lang()), theme(C_ORANGE) | A_BOLD);
    }
    if (used > 0) { /* the queue's step comes after: say whose queue and that it is the later step */
        char line[256];
        snprintf(line, sizeof line, "%s %s %s", tr("queue_then_pre"), level_word(a->sum.item.level), tr("queue_then_post"));
        draw_text(y + used++, x, width, line, A_NORMAL);
    }
    return used;
}

/* An anonymous caller who left no call-back number cannot be contacted: the queue's step would say "contact the
 * client" with no way to (sixth tryout). Says what can be done instead ([intake] no_callback). Returns the lines. */
static int draw_no_callback(app *a, int y, int x, int width) {
    const wizard *w = a->in.w;
    if (!w->caller_id[0] || *wizard_client_phone(w) || a->sum.item.state == QS_CLOSED) return 0;
    const char *t = intake_text(a, "no_callback");
    char line[1024];
    const char *at = strstr(t, "{id}");
    if (at) snprintf(line, sizeof line, "%.*s%s%s", (int)(at - t), t, w->caller_id, at + 4);
    else snprintf(line, sizeof line, "%s", t);
    return *line ? draw_wrapped(y, x, width, 4, line, theme(C_ORANGE)) : 0;
}

static void summary_whom_read(app *a);

static void summary_draw(app *a, const layout *l) {
    int y = l->body.y + 1, x = 2, width = l->body.w - 4;
    char line[512];
    draw_text(y++, x, width, tr("saved_title"), theme(C_TITLE));
    y++;
    snprintf(line, sizeof line, " %s: %s ", tr("level"), level_word(a->sum.item.level));
    draw_text(y++, x, width, line, theme(level_color(a->sum.item.level)));
    /* the queue keeps a higher level than this visit's answers give: say so and why, next to this visit's */
    if (a->sum.item.level > a->in.w->level) {
        snprintf(line, sizeof line, "%s %s; %s %s. %s", tr("kept_this_intake"), level_word(a->in.w->level), tr("kept_queue"),
                 level_word(a->sum.item.level), tr("kept_why"));
        y += draw_wrapped(y, x, width, 3, line, A_BOLD);
    }
    const char *kept = wizard_kept_reason(a->in.w, ui_lang()); /* first, as the saved assessment and the queue */
    if (kept) y += draw_wrapped(y, x, width, 3, kept, A_NORMAL);
    for (int i = 0; i < a->in.w->risk.n_fired && y < l->body.y + l->body.h - 8; i++)
        y += draw_wrapped(y, x, width, 2, rule_text(a, &a->e->rules.v[a->in.w->risk.fired[i].rule]), A_NORMAL);
    if (a->in.w->caller_id[0]) { /* an anonymous caller: the id to call back by and search for */
        const char *cb = wizard_client_phone(a->in.w);
        snprintf(line, sizeof line, "%s %s", tr("caller_id_line"), a->in.w->caller_id);
        draw_text(y++, x, width, line, A_BOLD);
        if (*cb) { /* a line of its own: beside the id it ran off an 80-column screen (tryout) */
            snprintf(line, sizeof line, "%s %s", tr("callback_line"), cb);
            draw_text(y++, x, width, line, A_BOLD);
        }
    }
    if (a->sum.phone_changed) { /* said, as every change of the record is (twenty-seventh tryout: it was not stored) */
        snprintf(line, sizeof line, "%s %s", tr("phone_changed_line"), wizard_text(a->in.w, "intake", "phone"));
        draw_text(y++, x, width, line, A_BOLD);
    } else if (a->in.w->record_phone && *a->in.w->record_phone && !*wizard_text(a->in.w, "intake", "phone")) {
        /* cleared on the review: the record keeps its number, and says so (twenty-eighth tryout: silently) */
        snprintf(line, sizeof line, "%s %s", tr("phone_kept_line"), a->in.w->record_phone);
        y += draw_wrapped(y, x, width, 2, line, A_BOLD);
    }
    y++;
    y += draw_due_now(a, y, x, width);
    y += draw_deadline(a, y, x, width);
    y += draw_no_callback(a, y, x, width);
    /* red owes two steps: say both, so the desk knows a clinician must still evaluate the client */
    if (a->sum.item.level == LEVEL_RED && a->sum.item.state != QS_CLOSED)
        y += draw_wrapped(y, x, width, 2, tr(queue_in_evaluation(&a->e->queue, &a->sum.item) ? "next_red_evaluate" : "next_red_ack"),
                          theme(C_RED));
    if (a->e->has_roster) {
        /* after a decline, the next best match; none left: a person matches (said, never the declined one again) */
        snprintf(line, sizeof line, "%s%s%s", tr("suggested"), tr("p_colon"),
                 a->sum.whom[0] ? counselor_name(a, a->sum.whom) : a->sum.n_declined ? tr("no_match_declined") : tr("no_match"));
        y++;
        y += draw_wrapped(y, x, width, 2, line, A_NORMAL) - 1;
    }
    if (a->sum.decline_asked) { /* asked first, in sight where the keys' line is (at 80x24 the reason was below it) */
        snprintf(line, sizeof line, "%s %s%s %s", tr("sum_decline_q"), counselor_name(a, a->sum.whom), tr("step_q"),
                 keyed("step_yes_no"));
        y += draw_wrapped(y + 2, x, width, 3, line, theme(C_HILITE));
    } else if (a->sum.declining) { /* whom, as the decline records it */
        snprintf(line, sizeof line, "%s %s", tr("decline_whom"), counselor_name(a, a->sum.whom));
        draw_text(++y, x, width, line, A_BOLD);
        draw_text(y + 2, x, width, keyed("decline_why"), theme(C_TITLE));
        draw_text(y + 3, x, 2, "> ", A_BOLD);
        draw_text(y + 3, x + 2, width - 2, a->sum.reason, A_UNDERLINE);
    } else {
        /* d only while there is someone to decline (it was offered after three, to say "Nothing to decline") */
        draw_text(y + 2, x, width, keyed(a->sum.whom[0] ? "saved_hint" : "saved_hint_back"), theme(C_DIM));
    }
}

static void lang_draw(app *a, const layout *l) {
    (void)a;
    draw_text(l->body.y + 2, 2, l->body.w - 4, tr("lang_title"), theme(C_TITLE));
    draw_text(l->body.y + 4, 4, l->body.w - 6, keyed("lang_hint"), A_NORMAL);
}

/* A question (or the review) beside the live panel, and the safety steps over them when they are due. */
static void wizard_draw(app *a, const layout *given) {
    if (!a->in.active) return;
    layout review = *given;
    const layout *l = given;
    /* the panel below the review gives it up to three rows, keeping its level, its reasons and one row more, where
     * it says that PgDn shows the rest: at 80x24 the review showed three answers at a time (thirteenth tryout) */
    int keep = a->screen == SCR_REVIEW && given->panel.x == 0 ? panel_head(a, given->panel.w - 4) + 3 : given->panel.h;
    if (keep < given->panel.h) {
        int shift = given->panel.h - keep < 3 ? given->panel.h - keep : 3;
        review.question.h += shift;
        review.panel.y += shift;
        review.panel.h -= shift;
        l = &review;
    }
    if (a->screen == SCR_REVIEW) draw_review(a, l);
    else draw_question(a, &l->question);
    draw_panel(a, &l->panel);
    if (wizard_needs_safety_steps(a->in.w)) draw_safety(a, l);
}

/* ---- handling ---- */

/* After an answer changed from the review: past the answers already given, back to the review. It stops at
 * any question without an answer (one the change made visible: ASQ question 5) and at due safety steps. */
static void back_to_review(app *a) {
    wizard *w = a->in.w;
    if (!a->in.back_to_review) return;
    if (w->stage == WZ_QUESTIONS && w->pos == a->in.jumped_pos && w->item == a->in.jumped_item) return; /* still on it */
    while (w->stage == WZ_QUESTIONS && !wizard_needs_safety_steps(w)) {
        const answer *an = &w->in.a.answers[w->forms[w->pos]][w->item];
        bool given = an->state == ANS_VALUE || an->state == ANS_REFUSED;
        if (!given && wizard_item(w)->required) break; /* owed: asked now */
        if (!wizard_next(w)) break;                   /* an optional one passed records nothing, as Enter does */
    }
    if (w->stage != WZ_QUESTIONS) a->in.back_to_review = false;
}

/* ---- what is known already is not asked again ---- */

/* The item of the intake form, as a position in the interview; false when it is not asked. */
static bool intake_item_at(const app *a, const char *item_id, int *pos, int *item) {
    const wizard *w = a->in.w;
    for (int p = 0; p < w->n_forms; p++) {
        const form *f = a->e->forms.v[w->forms[p]];
        if (strcmp(f->id, "intake") != 0) continue;
        *pos = p;
        *item = form_item_index(f, item_id);
        return *item >= 0;
    }
    return false;
}

/* Answers an intake item from what is known; given: it is not asked again (the review shows it, e edits it). */
static void prefill(app *a, const char *item_id, const char *value, bool given) {
    int p, i;
    if (!intake_item_at(a, item_id, &p, &i) || !wizard_prefill(a->in.w, "intake", item_id, value)) return;
    if (given) a->in.given[p] |= 1ull << i;
}

/* A returning client's identity comes from the record, and the language chosen before the forms, so neither is
 * asked again; after a resume (the set is not in the draft) they are known again from the client id. */
static void mark_known(app *a) {
    static const char *const identity[] = {"preferred_name", "phone", "birth_date", "language"};
    memset(a->in.given, 0, sizeof a->in.given);
    if (!a->in.active || !a->in.w->client_id[0]) return;
    for (size_t k = 0; k < sizeof identity / sizeof identity[0]; k++) {
        int p, i;
        if (!intake_item_at(a, identity[k], &p, &i)) continue;
        if (a->in.w->in.a.answers[a->in.w->forms[p]][i].state == ANS_VALUE) a->in.given[p] |= 1ull << i;
    }
}

static bool on_given(const app *a) {
    const wizard *w = a->in.w;
    if (w->stage != WZ_QUESTIONS || !((a->in.given[w->pos] >> w->item) & 1)) return false;
    /* gone back to from the review, to change it: asked */
    return !(a->in.back_to_review && w->pos == a->in.jumped_pos && w->item == a->in.jumped_item);
}

/* The field shows the answer the question on screen has (a typed question): Enter keeps it as it is. */
static void field_shows_answer(app *a) {
    const wizard *w = a->in.w;
    if (w->stage != WZ_QUESTIONS) return;
    const char *t = w->text[w->pos][w->item];
    if (t && w->in.a.answers[w->forms[w->pos]][w->item].state == ANS_VALUE)
        snprintf(a->in.typed, sizeof a->in.typed, "%s", t);
}

/* The screen's own state follows the question now current. */
static void settle(app *a) {
    a->in.field_error[0] = '\0';
    /* the counselors are ranked again for the answers now given (lost in a refactoring: the panel kept the
     * ranking of the empty intake, 0.00 beside every name, until the save; tryout) */
    a->in.matches_stale = true;
    a->in.q_warned = false;
    a->in.typed[0] = '\0';
    if (a->in.w->stage == WZ_QUESTIONS) {
        const wizard *w = a->in.w;
        field_shows_answer(a); /* its answer; else: */
        if (!a->in.typed[0] && wizard_unentered(w)) /* left with Esc or a quit, not entered: the latest text */
            snprintf(a->in.typed, sizeof a->in.typed, "%s", wizard_unentered(w));
        else if (!a->in.typed[0] && a->in.held[0] && a->in.held_pos == w->pos && a->in.held_item == w->item)
            snprintf(a->in.typed, sizeof a->in.typed, "%s", a->in.held); /* refused before: Enter checks it again */
    }
    reset_highlight(a);
    intake_autosave(a);
}

/* The core's consent rule after every answer: a refusal is said the moment it is given (and stays said while
 * it holds), not first at the save; the interview goes on (its safety questions still matter). */
static void consent_check(app *a) {
    error err = {0};
    if (!intake_consented(a->e, &a->in.w->in, NULL, &err)) app_message(a, true, "%s", tr("no_consent_now"));
}

static void after_change(app *a) {
    back_to_review(a);
    while (on_given(a) && !wizard_needs_safety_steps(a->in.w) && wizard_next_known(a->in.w)) {
    }
    settle(a);
    consent_check(a);
    phone_check(a);
}

/* Esc: back one question, past what is known already; before the first question asked, home. */
static bool step_back(app *a) {
    wizard *w = a->in.w;
    if (!wizard_back(w)) return false;
    while (on_given(a)) {
        if (!wizard_back(w)) { /* nothing asked before it: stay on the first question asked */
            after_change(a);
            return false;
        }
    }
    settle(a);
    return true;
}

/* Where the intake is now (its questions, its review, its summary): the screen follows the wizard. */
static reaction follow(app *a) {
    screen_id now = intake_screen_now(a);
    if (now != a->screen) return switch_to(now);
    return react(a->in.matches_stale ? RE_RELOAD : RE_REDRAW);
}

/* The core refused to save the interview: show the worker what it is waiting for. */
static void save_refused(app *a, const error *err) {
    wizard *w = a->in.w;
    if (!intake_consented(a->e, &w->in, NULL, NULL)) { /* the core's rule, in the staff's words */
        app_message(a, true, "%s", tr("no_consent"));
    } else if (!wizard_ready(w)) { /* a question still owed (a resumed draft, a form added since): ask it first */
        if (wizard_goto_missing(w)) after_change(a);
        app_message(a, true, "%s", tr("question_owed"));
    } else if (wizard_needs_safety_steps(w)) { /* what now counts needs steps not yet shown: shown first */
        a->in.matches_stale = true;
        intake_autosave(a);
    } else {
        a->in.matches_stale = true; /* the panel shows what counts now */
        if (w->draft_id[0] && draft_gone(a->s, w->draft_id, w->draft_tagged ? w->draft_tag : NULL))
            a->in.gone = true; /* q then asks what to keep */
        app_message(a, true, "%s", a->in.gone ? keyed("two_desks_refused") : err->msg);
    }
}

static void save_intake(app *a) {
    wizard *w = a->in.w;
    error err = {0};
    intake_saved saved;
    /* one core use case saves it, as every way in does, and holds the interview's rules (consent, no question
     * owed, safety steps acknowledged): the client (when new), the intake, its queue item, its draft gone */
    bool ok = intake_finish_interview(a->s, w, ui_lang(), &saved, &err);
    if (!ok) {
        save_refused(a, &err);
        return;
    }
    a->in.matches_stale = true;
    json_decref(saved.assessment);
    char client_id[STORE_ID_LEN], intake_id[STORE_ID_LEN];
    memcpy(client_id, saved.client_id, sizeof client_id);
    memcpy(intake_id, saved.intake_id, sizeof intake_id);
    memcpy(a->sum.intake_id, intake_id, sizeof intake_id);
    queues_open_for_client(a->db, client_id, &a->sum.item);
    a->sum.declining = false;
    a->sum.n_declined = 0;
    a->sum.phone_changed = saved.phone_changed;
    summary_whom_read(a);
    a->message[0] = '\0';
}

/* An intake left with nothing answered is not kept: a draft with no answers and no name opened by itself at the
 * next login, whose nobody could say (tryout). True when it was forgotten (the draft deleted with a "draft_discarded
 * empty" entry, so that verify knows where a draft once at risk went; nothing else was recorded). */
static bool forget_if_empty(app *a) {
    if (!a->in.active) return false;
    /* text typed into the field and not entered goes with the draft (tryout 21): kept, unless it is still only the
     * search's text carried in (the first key replaces it) */
    if (a->in.w->stage == WZ_QUESTIONS && a->in.typed[0] && !a->in.carried) return false;
    /* what the record gave (not asked again), and the search carried in as it was: filled in, not answered */
    uint64_t known[WIZARD_MAX_FORMS];
    memcpy(known, a->in.given, sizeof known);
    if (a->in.searched) known[a->in.carried_pos] |= 1ull << a->in.carried_item;
    if (wizard_has_answers(a->in.w, known)) return false;
    error err = {0};
    /* only the draft as this desk read it: saved with answers at another desk since, it stays with them */
    const unsigned char *tag = a->in.w->draft_tagged ? a->in.w->draft_tag : NULL;
    if (a->in.w->draft_id[0] && !draft_discard_as_read(a->s, a->in.w->draft_id, tag, &err)) {
        if (err.kind != ERR_CONFLICT) return false;
        intake_drop(a);
        app_message(a, false, "%s", tr("intake_empty_left"));
        return true;
    }
    intake_drop(a);
    app_message(a, false, "%s", tr("intake_empty_gone"));
    return true;
}

/* Back to the front desk with the intake kept, where it stopped: r (or the next login) returns to this question.
 * Nothing answered yet: nothing is kept. */
static reaction leave_intake(app *a) {
    if (forget_if_empty(a)) return switch_to(SCR_HOME);
    wizard_interrupt(a->in.w); /* the question left unanswered counts, as when the draft is read again */
    /* left for the front desk it is open nowhere: another desk taking it up is not told it may be open here (twenty-
     * third tryout); taken up here again (r), it is open again */
    wizard_mark_leaving(a->in.w, true);
    /* its draft went at another desk (saved there, discarded, erased): this desk's answers are kept as a new draft
     * or left, as the worker says; it stayed on the review with only F4 out (tryout) */
    if (a->in.gone || !intake_autosave(a)) {
        if (a->in.gone) return react(RE_ASK_GONE);
        /* nothing was kept (e.g. the file was replaced under the desk): the answers stay here, and it says so */
        char why[sizeof a->message];
        snprintf(why, sizeof why, "%s", a->message);
        app_message(a, true, "%s %s", tr("draft_not_saved"), why);
        return react(RE_REDRAW);
    }
    char who[256];
    intake_whose(a, who, sizeof who);
    app_message(a, false, "%s %s", tr("intake_kept"), who);
    return switch_to(SCR_HOME);
}

/* A new intake, for a client found or a new one: the client's language is asked first. */
/* Digits, spaces, + and - only: a phone number rather than a name. */
static bool phone_like(const char *s) {
    bool digit = false;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') digit = true;
        else if (!strchr(" +-()", *s)) return false;
    }
    return digit;
}

static reaction language_chosen(app *a, lang l, bool from_record);

/* A returning client with an unfinished intake of this worker's already: said as the new one starts, so that a second
 * intake of one visit is not begun unawares (twenty-third tryout: two drafts of one client, nothing said). */
static void said_unfinished(app *a, const char *client_id) {
    my_draft *mine = NULL;
    int n = 0;
    error err = {0};
    if (!drafts_mine_list(a->s, a->e, &mine, &n, &err)) return;
    for (int i = 0; i < n; i++) {
        /* not this intake's own draft, saved as it began (every returning client was "unfinished already": tryout 24) */
        if (strcmp(mine[i].client_id, client_id) != 0 || strcmp(mine[i].id, a->in.w->draft_id) == 0) continue;
        char when[32], before[sizeof a->message];
        format_time(mine[i].updated_at, when, sizeof when);
        snprintf(before, sizeof before, "%s", a->message); /* the questions' language, said too */
        app_message(a, true, "%s %s %s. %s %s", mine[i].name, tr("unfinished_already"), when, keyed("unfinished_already_do"),
                    before);
        break;
    }
    secret_wipe(mine, (size_t)n * sizeof *mine);
    free(mine);
}

/* A new intake, for a client found (their identity from the record, not asked again) or a new one (the name
 * or phone just searched for carried into the form, shown and editable: the first key typed replaces it). */
static reaction start_new(app *a, const client_plain *known) {
    if (!intake_start(a)) return switch_to(SCR_HOME);
    memset(a->in.given, 0, sizeof a->in.given);
    a->in.carried = false;
    if (known) {
        snprintf(a->in.w->client_id, sizeof a->in.w->client_id, "%s", known->id);
        note_queue_level(a);
        prefill(a, "preferred_name", known->name, true);
        prefill(a, "phone", known->phone, true);
        wizard_note_record_phone(a->in.w, known->phone); /* changed at the desk, the record takes the new one */
        prefill(a, "birth_date", known->birth, true);
        /* the language the client gave last time: read in it, not asked again (Esc on the first question asks) */
        lang l;
        error ignore = {0};
        if (client_language(a->s, known->id, &l, &ignore)) {
            reaction r = language_chosen(a, l, true);
            said_unfinished(a, known->id);
            return r;
        }
        said_unfinished(a, known->id);
    } else if (a->find.query[0]) {
        const char *item = phone_like(a->find.query) ? "phone" : "preferred_name";
        prefill(a, item, a->find.query, false);
        a->in.carried = a->in.searched = intake_item_at(a, item, &a->in.carried_pos, &a->in.carried_item);
    }
    return switch_to(SCR_LANG);
}

static bool find_enter(app *a) {
    find_screen *f = &a->find;
    f->query[0] = '\0';
    client_list_free(f->found, f->n_found);
    f->found = NULL;
    f->n_found = 0;
    f->mode = FIND_TYPING;
    f->sel = -1;
    return true;
}

static void find_leave(app *a) {
    find_screen *f = &a->find;
    client_list_free(f->found, f->n_found);
    f->found = NULL;
    f->n_found = 0;
    secret_wipe(f->query, sizeof f->query);
}

static bool find_typing(const app *a) { return a->find.mode == FIND_TYPING; }

/* Whether the date of birth the age on screen is checked against came from a returning client's record: it is not
 * asked, so "correct it at its question" sent the worker to a question that never came (tryout 21). */
static bool birth_from_record(const app *a) {
    const wizard *w = a->in.w;
    const form *f = wizard_form(w);
    for (int j = 0; j < f->n_items; j++)
        if (f->items[j].age_item == w->item) return (a->in.given[w->pos] >> j) & 1;
    return false;
}

/* The clients of list b added to *list, each once (b's entries moved, its duplicates freed). */
static void find_merge(client_plain **list, int *n, client_plain *b, int nb) {
    client_plain *all = nb ? realloc(*list, (size_t)(*n + nb) * sizeof *all) : *list;
    if (!all) {
        client_list_free(b, nb);
        return;
    }
    for (int i = 0; i < nb; i++) {
        bool dup = false;
        for (int j = 0; j < *n && !dup; j++) dup = strcmp(all[j].id, b[i].id) == 0;
        if (dup) client_plain_free(&b[i]);
        else all[(*n)++] = b[i];
    }
    free(b);
    *list = all;
}

static reaction find_search(app *a) {
    find_screen *f = &a->find;
    error err = {0};
    client_list_free(f->found, f->n_found);
    f->found = NULL;
    f->n_found = 0;
    if (!client_find(a->s, f->query, &f->found, &f->n_found, &err)) app_message(a, true, "%s", err.msg);
    /* "匿名" at a Chinese desk found no caller an English desk saved as "Anonymous caller KMT4821" (twentieth tryout):
     * the label's first word is searched in both languages */
    char label[2][64];
    if (!err.msg[0] && anonymous_label_query(f->query, label[0], label[1], sizeof label[0]))
        for (int l = 0; l < 2 && !err.msg[0] && label[l][0]; l++) {
            client_plain *more = NULL;
            int n_more = 0;
            if (client_find(a->s, label[l], &more, &n_more, &err)) find_merge(&f->found, &f->n_found, more, n_more);
            else app_message(a, true, "%s", err.msg);
        }
    f->mode = f->n_found ? FIND_PICKING : FIND_NONE_FOUND;
    /* a record is only read: Enter opens the first found; an intake's client is never taken by default */
    f->sel = f->n_found && f->for_record ? 0 : -1;
    return react(RE_REDRAW);
}

/* Back to the search text, the results gone (digits typed now are text, never a pick from a list still shown). */
static void find_to_text(find_screen *f) {
    client_list_free(f->found, f->n_found);
    f->found = NULL;
    f->n_found = 0;
    f->mode = FIND_TYPING;
    f->sel = -1;
}

/* A letter typed on the results goes on with the search text (the list is searched again by Enter): it never
 * opens a record or a client (tryout). true when the key was such a letter. */
static bool find_refine(app *a, const event *ev, ui_action act) {
    find_screen *f = &a->find;
    /* Backspace mends the search as letters add to it (after "no client found" it did nothing: seventeenth tryout) */
    bool backspace = ev->kind == EV_KEY && (ev->key == KEY_BACKSPACE || ev->key == 8);
    /* a capital is a name's first letter, never a key: N on an intake's results started a new client while the
     * worker went on typing "Nguyen" (thirtieth receptionist); n still does, as the list's keys say */
    bool capital = ev->kind == EV_CHAR && iswupper((wint_t)ev->ch);
    if (!backspace && (ev->kind != EV_CHAR || (act != UA_NONE && !(act == UA_NEW && (f->for_record || capital)))))
        return false;
    find_to_text(f);
    edit_field(f->query, sizeof f->query, ev);
    return true;
}

/* Up/Down highlight a result, Enter opens the highlighted one; true when the key was one of them. */
static bool find_move(app *a, ui_action act, int *open) {
    find_screen *f = &a->find;
    if (act == UA_NEXT || act == UA_PREV) {
        int step = act == UA_NEXT ? 1 : -1, shown = f->n_found < 9 ? f->n_found : 9;
        if (shown > 0) f->sel = f->sel < 0 ? (step > 0 ? 0 : shown - 1) : (f->sel + step + shown) % shown;
        return true;
    }
    if (act == UA_CHOOSE && f->mode == FIND_PICKING && f->sel >= 0 && f->sel < f->n_found) {
        *open = f->sel;
        return true;
    }
    return false;
}

static reaction find_handle(app *a, const event *ev, ui_action act) {
    find_screen *f = &a->find;
    if (f->mode == FIND_TYPING) {
        if (act == UA_BACK) return switch_to(SCR_HOME);
        if (act == UA_CHOOSE && !f->query[0] && f->for_record) return react(RE_REDRAW); /* a record needs a client */
        if (act == UA_CHOOSE && !f->query[0]) return start_new(a, NULL);
        if (act == UA_CHOOSE) return find_search(a);
        if (act == UA_NONE) edit_field(f->query, sizeof f->query, ev);
        return react(RE_REDRAW);
    }
    if (find_refine(a, ev, act)) return react(RE_REDRAW);
    /* a key with more right behind it is typing, not a pick or a new client (thirty-first receptionist: a phone typed
     * onto the list, as its hint invites, picked row 5 with its first digit and put the rest in that client's age;
     * "nguyen" started a new client with its n): a number so typed is a new search, by phone; letters go on with it */
    if ((act == UA_DIGIT || (act == UA_NEW && ev->kind == EV_CHAR)) && input_more_soon(a->e->cfg.intake_burst_ms)) {
        if (act == UA_DIGIT) secret_wipe(f->query, sizeof f->query);
        find_to_text(f);
        edit_field(f->query, sizeof f->query, ev);
        return react(RE_REDRAW);
    }
    int picked = act == UA_DIGIT ? (int)(ev->ch - L'1') : -1;
    if (find_move(a, act, &picked) && picked < 0) return react(RE_REDRAW); /* moved, nothing opened */
    if (picked >= 0 && picked < f->n_found && f->for_record) {
        snprintf(a->rec.want, sizeof a->rec.want, "%s", f->found[picked].id);
        /* Esc goes back one step, to an empty search: the front desk's one-letter keys took the next name typed,
         * "ethan", as keys (e opened the queues, a acknowledged a RED item: thirty-second receptionist) */
        a->rec.back = SCR_FIND;
        return switch_to(SCR_RECORD);
    }
    if (picked >= 0 && picked < f->n_found) return start_new(a, &f->found[picked]);
    if (act == UA_NEW && !f->for_record) return start_new(a, NULL);
    /* nobody found: Enter also starts the new client, with what was typed carried into the form (it was
     * lost when the worker pressed Enter, Esc and Enter on an empty line; tryout) */
    if (act == UA_CHOOSE && f->mode == FIND_NONE_FOUND && !f->for_record) return start_new(a, NULL);
    if (act == UA_BACK) find_to_text(f); /* back one step: the search text, to change it */
    return react(RE_REDRAW);
}

/* The language the questions are read in, chosen on its screen or (from_record) a returning client's on record.
 * Only from the record is it also the answer to the intake's language question (the language the client said they
 * want, from their last intake: not asked again, the review shows it). A language chosen on the screen is the
 * questions' only: the client's own answer is what they said, on record or asked (the screen's choice was recorded
 * as their answer, over the one they gave before: twenty-third tryout). Nothing is recorded by default. */
static reaction language_chosen(app *a, lang l, bool from_record) {
    a->in.w->client_lang = l;
    a->in.lang_from_record = from_record;
    if (from_record) prefill(a, "language", lang_code(l), true);
    after_change(a);
    if (from_record) app_message(a, false, "%s", keyed(l == LANG_ZH ? "lang_from_record_zh" : "lang_from_record_en"));
    else if (a->message[0] && !a->message_error) a->message[0] = '\0'; /* chosen again: the record's line is old */
    return follow(a);
}

static reaction lang_handle(app *a, const event *ev, ui_action act) {
    if (act == UA_LEAVE) return leave_intake(a);
    if (act == UA_DIGIT && (ev->ch == L'1' || ev->ch == L'2')) return language_chosen(a, ev->ch == L'1' ? LANG_EN : LANG_ZH, false);
    if (act == UA_BACK) { /* back to the search: an intake with nothing answered is not kept (a returning client's
                            * draft under their name was: twenty-third tryout) */
        (void)forget_if_empty(a);
        return switch_to(SCR_FIND);
    }
    return react(RE_REDRAW);
}

static bool summary_typing(const app *a) { return a->sum.declining; }

/* Whom a decline on the summary names, as the core has it: the counselor assigned, else the best of this intake's
 * suggestions that the item's row of declines has not named (the same rule the queue screen and the command use). */
static void summary_whom_read(app *a) {
    error err = {0};
    a->sum.whom[0] = '\0';
    if (a->sum.item.id[0])
        (void)queues_decline_counselor(a->s, &a->sum.item, a->sum.intake_id, a->sum.whom, sizeof a->sum.whom, &err);
}

static reaction summary_handle(app *a, const event *ev, ui_action act) {
    summary_screen *m = &a->sum;
    error err = {0};
    if (m->declining) { /* the client declined the suggested counselor: recorded with the reason */
        if (act == UA_BACK) m->declining = false;
        else if (act == UA_CHOOSE && m->reason[0]) {
            queue_request rq = {.action = QA_DECLINE, .reason = m->reason, .counselor = m->whom};
            queue_refused why;
            if (queues_act_why(a->s, &a->e->queue, m->item.id, rq, &why, &err)) {
                queue_item now_item;
                if (queues_find(a->db, m->item.id, &now_item, &err)) m->item = now_item;
                m->n_declined++;
                summary_whom_read(a); /* the next suggestion */
                app_message(a, false, "%s", m->item.match_by_hand ? tr("declined_by_hand") : tr("declined"));
            } else {
                char said[400];
                app_message(a, true, "%s", queue_refusal_said(a, &why, said, sizeof said) ? said : err.msg);
            }
            secret_wipe(m->reason, sizeof m->reason);
            m->declining = false;
        } else if (act == UA_NONE) {
            edit_field(m->reason, sizeof m->reason, ev);
        }
        return react(RE_REDRAW);
    }
    int64_t now = input_key_ms();
    if (m->decline_asked) { /* Enter, and nothing else, asks the reason next; any other key puts the question away */
        bool key = ev->kind == EV_CHAR || ev->kind == EV_KEY;
        if (!key) return react(RE_REDRAW); /* the clock's tick is no answer */
        m->decline_asked = false;
        if (act == UA_CHOOSE && now - m->asked_ms < a->e->cfg.intake_burst_ms) { /* the Enter of a word typed on */
            m->word_until = 0;
            app_message(a, true, "%s", keyed("sum_decline_too_fast"));
            return react(RE_REDRAW);
        }
        if (act == UA_CHOOSE) {
            m->reason[0] = '\0';
            m->declining = true;
        } else {
            app_message(a, true, "%s", keyed("sum_decline_put_away"));
        }
        return react(RE_REDRAW);
    }
    /* a capital is typing (a name: "Dai"), never the step; so is any letter the summary has no use for, and the word
     * it begins goes on until a key that is no character ends it (its Enter then does nothing) */
    bool typing_char = ev->kind == EV_CHAR && iswprint((wint_t)ev->ch) &&
                       (act == UA_NONE || (act == UA_DECLINE && iswupper((wint_t)ev->ch)) ||
                        (act == UA_DECLINE && now < m->word_until));
    if (typing_char) {
        m->word_until = now + 60000;
        app_message(a, true, "%s", keyed("sum_typing"));
        return react(RE_REDRAW);
    }
    if (ev->kind == EV_KEY && now < m->word_until) {
        m->word_until = 0;
        if (act == UA_CHOOSE) {
            app_message(a, true, "%s", keyed("sum_typing_ended"));
            return react(RE_REDRAW);
        }
    }
    if (act == UA_DECLINE) {
        /* a decline names whom the client declined: with nobody suggested, nothing to record (tryout 19) */
        if (!m->whom[0]) {
            app_message(a, true, "%s", tr(m->n_declined ? "decline_none_left" : "decline_nobody"));
            return react(RE_REDRAW);
        }
        m->decline_asked = true;
        m->asked_ms = now;
        a->message[0] = '\0'; /* a "Recorded" of the last decline stood under the new prompt (tryout 24) */
    } else if (act == UA_CHOOSE || act == UA_BACK) { /* saved: Esc (and q) go back to the front desk too */
        intake_drop(a);
        return switch_to(SCR_HOME);
    }
    return react(RE_REDRAW);
}

static void summary_leave(app *a) {
    secret_wipe(a->sum.reason, sizeof a->sum.reason);
    a->sum.declining = a->sum.decline_asked = false;
    a->sum.word_until = 0;
}

/* "Press 0-3 to answer, r if the client refuses": what answers this question, from its keys. */
static void say_what_to_press(app *a, const form_item *it, const scale *s) {
    const form *f = wizard_form(a->in.w);
    int lo, hi;
    bool every;
    char keys[32] = "";
    if (answer_key_range(f, a->in.w->item, &lo, &hi, &every)) snprintf(keys, sizeof keys, "%d-%d", lo, hi);
    bool multi = it->type == ITEM_MULTI;
    app_message(a, true, "%s%s%s%s%s%s", tr("press_pre"), keys, every ? "" : keyed("press_arrows"),
                tr(multi ? "press_tick" : "press_answer"), s->refusable ? keyed("press_refuse") : "", multi ? keyed("press_then_enter") : "");
}

/* Picks choice c: a single choice answers and moves on (a deliberate key for that option), a multi
 * choice ticks or unticks and stays. */
static void pick(app *a, const form_item *it, int c) {
    a->message[0] = '\0'; /* a what-to-press message is answered */
    if (it->type == ITEM_MULTI) {
        if (wizard_choose(a->in.w, c)) {
            after_change(a);
            a->in.choice = (highlight){true, c};
        }
        return;
    }
    if (wizard_choose(a->in.w, c)) after_change(a);
}

/* A choice question. The safety rule: a key that moves on never picks an answer. Enter only goes on
 * (on a required question with no answer it says what to press instead); the arrows only move the
 * highlight; a digit picks the option it is printed beside; Space picks the highlighted one. */
static void handle_choice(app *a, const event *ev, ui_action act, const form_item *it, const scale *s) {
    wizard *w = a->in.w;
    const answer *an = &w->in.a.answers[w->forms[w->pos]][w->item];
    highlight *hl = &a->in.choice;
    if (act == UA_NEXT) *hl = (highlight){true, hl->on ? (hl->at + 1) % s->n : 0};
    else if (act == UA_PREV) *hl = (highlight){true, hl->on ? (hl->at + s->n - 1) % s->n : s->n - 1};
    else if (act == UA_DIGIT) {
        int c = answer_choice_for_key(wizard_form(w), w->item, (int)(ev->ch - L'0'));
        if (c >= 0) pick(a, it, c);
        else say_what_to_press(a, it, s);
    } else if (act == UA_TICK) {
        if (hl->on && hl->at < s->n) pick(a, it, hl->at);
        else say_what_to_press(a, it, s);
    } else if (act == UA_REFUSE && s->refusable) {
        a->message[0] = '\0';
        if (wizard_refuse(w)) after_change(a);
    } else if (act == UA_REFUSE) {
        say_what_to_press(a, it, s); /* this scale has no refusal: say what does answer it */
    } else if (act == UA_CHOOSE) {
        bool answered = an->state == ANS_VALUE || an->state == ANS_REFUSED;
        if (!answered && it->required && wizard_owed_pending(w)) {
            wizard_owed_skip(w); /* the caller has gone: nothing recorded, the red safety steps come now */
            a->message[0] = '\0';
            after_change(a);
            return;
        }
        if (!answered && it->required) {
            say_what_to_press(a, it, s); /* never a default answer, never on */
            return;
        }
        a->message[0] = '\0';
        if (wizard_next(w)) after_change(a); /* an optional question left unanswered records nothing */
    }
}

/* What a typed answer must be, in the staff language, with the question's words as the field's label: shown
 * beside the field (never "intake.age: ..."). */
static void field_error(app *a, const form_item *it, bool empty) {
    char label[160], need[160];
    item_label(it, label, sizeof label);
    if (empty) snprintf(need, sizeof need, "%s", tr("need_answer"));
    else if (it->type == ITEM_NUMBER) snprintf(need, sizeof need, "%s %ld %s %ld", tr("need_number"), it->min, tr("need_to"), it->max);
    else if (it->type == ITEM_DATE) /* 1997-02-30 was told "the date format is YYYY-MM-DD" (tryout 16) */
        snprintf(need, sizeof need, "%s%s", tr("need_date"), it->past ? tr("need_date_past") : "");
    else if (it->phone) snprintf(need, sizeof need, "%s %d %s %d %s", tr("need_phone"), it->digits_min, tr("need_to"), it->digits_max, tr("need_digits"));
    else if (it->maxlen > 0) snprintf(need, sizeof need, "%s %d", tr("need_chars"), it->maxlen);
    else snprintf(need, sizeof need, "%s", tr("need_line"));
    snprintf(a->in.field_error, sizeof a->in.field_error, "%s%s%s", label, tr("p_colon"), need);
    a->message[0] = '\0';
}

/* "None given" for the call-back number (core: wizard_callback_none), audited either way, so the trail shows the
 * worker asked; before any risk it passes the question over */
static reaction no_callback(app *a) {
    wizard *w = a->in.w;
    if (wizard_callback_none(w)) {
        a->message[0] = '\0';
        a->in.field_error[0] = '\0';
        session_audit(a->s, "callback_none", w->draft_id,
                      w->callback_none ? "no call-back number given" : "no call-back number given (before any risk)");
        after_change(a);
    }
    return follow(a);
}

static reaction handle_question(app *a, const event *ev, ui_action act) {
    error err = {0};
    wizard *w = a->in.w;
    const form_item *it = wizard_item(w);
    const scale *s = form_item_scale(wizard_form(w), w->item);
    if (act == UA_BACK) { /* Esc before the first question: leaves the intake as F3 does (kept if answered) */
        wizard_keep_unentered(w, a->in.typed); /* the field's text stays for its return (Esc dropped it: tryout 22) */
        /* before the first question: the language screen when it was skipped (the record's), else out */
        if (!step_back(a)) return a->in.lang_from_record ? switch_to(SCR_LANG) : leave_intake(a);
        return follow(a);
    }
    if (act == UA_QUIT || act == UA_LEAVE) return leave_intake(a);
    if (act == UA_SAVE && wizard_on_owed_callback(w)) { /* not saved before the number is asked */
        snprintf(a->in.field_error, sizeof a->in.field_error, "%s", intake_text(a, "callback_owed"));
        return react(RE_REDRAW);
    }
    if (act == UA_SAVE) {
        app_message(a, false, "%s", keyed("review_hint"));
        return react(RE_REDRAW);
    }
    /* the caller gives no call-back number: said only by its own key, never by Enter; on the question after the
     * field too, while the field is held for (core: wizard_callback_none) */
    if (act == UA_NO_CALLBACK && s && wizard_phone_skipped(w)) return no_callback(a);
    if (s) {
        handle_choice(a, ev, act, it, s);
        return follow(a);
    }
    /* a typed answer */
    if (act == UA_NO_CALLBACK) { /* the caller gives no call-back number: said only by its own key, never by Enter */
        if (!a->in.typed[0]) return no_callback(a);
        return follow(a);
    }
    if (act == UA_CHOOSE) {
        /* the quit key (q) typed where it leaves elsewhere: the worker meant to leave far more often than to
         * answer "q"; the key as the key table names it, so the message and the check name the same key */
        if (strcasecmp(a->in.typed, key_of(UA_QUIT, 1)) == 0 && !a->in.q_warned) {
            a->in.q_warned = true;
            snprintf(a->in.field_error, sizeof a->in.field_error, "%s", keyed("q_is_text"));
            return react(RE_REDRAW);
        }
        if (!wizard_type(w, a->in.typed, &err)) { /* the core's reason names ids: say it in words */
            int given, by_date;
            snprintf(a->in.held, sizeof a->in.held, "%s", a->in.typed);
            a->in.held_pos = w->pos;
            a->in.held_item = w->item;
            field_error(a, it, false);
            if (wizard_age_disagrees(w, a->in.typed, &given, &by_date)) /* both numbers, in the staff language */
                snprintf(a->in.field_error, sizeof a->in.field_error, "%s%d%s%d%s", tr("age_by_date"), by_date,
                         tr("age_but_given"), given,
                         keyed(it->type == ITEM_DATE ? "age_fix_date" : birth_from_record(a) ? "age_fix_age_record" : "age_fix_age"));
            return react(RE_REDRAW);
        }
        if (a->in.held_pos == w->pos && a->in.held_item == w->item) secret_wipe(a->in.held, sizeof a->in.held);
        if (w->pos == a->in.carried_pos && w->item == a->in.carried_item) a->in.searched = false; /* entered: an answer */
        if (!wizard_next(w)) {
            field_error(a, it, true);
            if (wizard_on_owed_callback(w)) snprintf(a->in.field_error, sizeof a->in.field_error, "%s", intake_text(a, "callback_owed"));
            return react(RE_REDRAW);
        }
        a->message[0] = '\0';
        a->in.field_error[0] = '\0';
        after_change(a);
    } else if (act == UA_NONE && (ev->kind == EV_CHAR || ev->kind == EV_KEY)) {
        /* a key, not the clock: the once-a-second tick reaches this handler as UA_NONE too, and took the carried
         * name away about a second after the question showed (a slow typist never saw it; the scripted walk typed
         * faster than the clock) */
        bool on_carried = a->in.carried && w->pos == a->in.carried_pos && w->item == a->in.carried_item;
        if (on_carried && ev->kind == EV_CHAR && ev->ch == L'?') {
            /* ? over the carried name asks for help, as it does on every other screen: it replaced the name with
             * "?" (fifth tryout); the name stays, and the first other key still replaces it */
            a->help = true;
            a->help_top = 0;
            return react(RE_REDRAW);
        }
        if (on_carried) a->in.typed[0] = '\0';
        a->in.carried = false; /* the carried search text is replaced by the first key typed, kept by Enter */
        a->in.q_warned = false;
        edit_field(a->in.typed, sizeof a->in.typed, ev);
    }
    return follow(a);
}

/* The safety steps must be acknowledged before anything else: true when they held the key. */
static bool safety_steps_hold(app *a, ui_action act) {
    wizard *w = a->in.w;
    if (!wizard_needs_safety_steps(w)) return false;
    if (act == UA_CHOOSE) { /* the records use case: marked, audited and the draft saved together */
        error err = {0};
        bool saved = intake_safety_acknowledge(a->s, w, &err);
        if (saved) note_saved_here(a);
        if (saved) a->in.saved_digest = wizard_answers_digest(w);
        else app_message(a, true, "%s", err.msg);
        a->in.save_failed = !saved;
    }
    return true;
}

/* The burst guard (core: wizard_key_arrived) sees every key of the interview with the time it arrived: a key
 * faster than a person chooses answers is not taken, an answer such a burst gave is undone, and the screen says
 * so until a deliberate key. True when the key was held. */
static wizard_key key_kind(const app *a, const event *ev, ui_action act) {
    const wizard *w = a->in.w;
    /* a key that answers on the questions, wherever it lands: the review binds no digit, r or Space ("1" then "r"
     * at once after a jump from the review kept the "No": fifteenth tryout) */
    ui_action as_answer = key_action_for(SCR_WIZARD, false, ev);
    bool answer_key = as_answer == UA_DIGIT || as_answer == UA_TICK || as_answer == UA_REFUSE;
    /* the safety steps or the review an answer just led to take no answer: a digit there right after it is the rest
     * of a burst, and the answer is taken back ("1" then "2" at ASQ question 5 saved "No" and the "2" went into the
     * steps box, ORANGE for a RED caller: fourteenth tryout). Slower, it is an answer key there as anywhere: it
     * does nothing (core: only a key this soon after the interview moved on is a burst) */
    if (w->stage == WZ_REVIEW || (w->stage == WZ_QUESTIONS && wizard_needs_safety_steps(w)))
        return answer_key ? WK_ANSWER : WK_OTHER;
    if (w->stage != WZ_QUESTIONS) return WK_OTHER;
    if (form_item_scale(wizard_form(w), w->item))
        return act == UA_DIGIT || act == UA_TICK || act == UA_REFUSE ? WK_ANSWER : WK_OTHER;
    return act == UA_NONE && ev->kind == EV_CHAR ? WK_TEXT : WK_OTHER;
}

static bool burst_holds(app *a, const event *ev, ui_action act) {
    if (ev->kind != EV_KEY && ev->kind != EV_CHAR) return false;
    /* leaving the intake, or going back (Esc), records nothing (its draft is kept where it stopped): never held
     * (the first Esc only cleared "Keys arrived too fast": tryout); the hold stays for the answer keys */
    wizard *w = a->in.w;
    /* Esc is timed all the same: going back is a move, and an answer key right behind it is a burst (core) */
    if (act == UA_BACK) (void)wizard_key_arrived(w, input_key_ms(), WK_OTHER);
    if (act == UA_LEAVE || act == UA_LOGOUT || act == UA_BACK || (act == UA_QUIT && key_kind(a, ev, act) == WK_OTHER))
        return false;
    bool was = wizard_burst_held(w);
    if (wizard_key_arrived(w, input_key_ms(), key_kind(a, ev, act))) {
        if (was) a->message[0] = '\0'; /* answered by a deliberate key */
        return false;
    }
    if (was && !wizard_burst_held(w)) { /* this key ended the hold: said, or the screen looked hung (tryout 16) */
        app_message(a, false, "%s", keyed("burst_released"));
        return true;
    }
    if (!was) settle(a); /* back on the question whose answer was undone; the draft kept without it */
    app_message(a, true, "%s", keyed("burst_held")); /* the key names come from the key table */
    return true;
}

/* The phone guard (core: wizard_phone_guard) sees every key of the interview before it acts: after Enter skipped a
 * typed field, a digit on the next choice question is held (shown, nothing recorded) until Enter, which records one
 * digit's option or puts a number or date into the skipped field. True when the key was taken by it. */
static int guard_char(const app *a, const event *ev, ui_action act) {
    if (act == UA_BACK) return 27;
    if (act == UA_TICK && a->in.choice.on && a->in.choice.at >= 0 && a->in.choice.at < 0x100)
        return WIZARD_GUARD_PICK + a->in.choice.at; /* held after a resume, like the option's digit (core) */
    if (act == UA_REFUSE) return WIZARD_GUARD_REFUSE; /* held after a resume, like a digit (core) */
    if (act == UA_CHOOSE) return '\n';
    if (ev->kind == EV_KEY && (ev->key == KEY_BACKSPACE || ev->key == 8)) return '\b';
    return ev->kind == EV_CHAR && ev->ch > 0 && ev->ch < 128 ? (int)ev->ch : 0;
}

static bool phone_guard_holds(app *a, const event *ev, ui_action act) {
    if (ev->kind != EV_KEY && ev->kind != EV_CHAR) return false;
    /* leaving the intake records nothing (its draft is kept where it stopped, the held characters dropped) */
    if (act == UA_LEAVE || act == UA_LOGOUT || (act == UA_QUIT && key_kind(a, ev, act) == WK_OTHER)) return false;
    wizard *w = a->in.w;
    int ch = guard_char(a, ev, act);
    /* the Enter that would record a held digit: not right behind it (core: wizard_held_confirm_arrived) */
    if (ch == '\n' && wizard_phone_armed(w) && wizard_phone_pending(w)[0]) {
        bool was = wizard_burst_held(w);
        if (!wizard_held_confirm_arrived(w, input_key_ms())) {
            app_message(a, !was || wizard_burst_held(w), "%s",
                        keyed(was && !wizard_burst_held(w) ? "burst_released" : "burst_held"));
            return true;
        }
    }
    switch (wizard_phone_guard(w, ch)) {
    case WG_PASS:
        return false;
    case WG_HELD:
        wizard_key_timed(w, input_key_ms()); /* the Enter that records it is timed from it */
        a->message[0] = '\0';
        int c = wizard_phone_pending_choice(w);
        a->in.choice = (highlight){c >= 0, c >= 0 ? c : 0}; /* the option one held digit would record */
        return true;
    case WG_ANSWERED:
        wizard_key_moved(w, input_key_ms()); /* an answer key right behind this Enter is a burst (core) */
        a->message[0] = '\0';
        after_change(a);
        return true;
    case WG_MOVED: /* back on the skipped field, which shows the number: Enter there goes on */
        wizard_key_moved(w, input_key_ms());
        settle(a);
        app_message(a, false, "%s", keyed("pending_moved"));
        return true;
    case WG_NO_FIT: /* after a resume there is no skipped field to put them into */
        app_message(a, true, "%s", keyed(wizard_resume_held(w) ? "pending_no_fit_resumed" : "pending_no_fit"));
        return true;
    }
    return true;
}

/* PgDn/PgUp scroll the live panel (its level and first reason stay); true when the key was one of them. */
static bool panel_scroll(app *a, ui_action act) {
    if (act != UA_PAGE_DOWN && act != UA_PAGE_UP) return false;
    a->in.panel_top += act == UA_PAGE_DOWN ? 4 : -4;
    if (a->in.panel_top < 0) a->in.panel_top = 0;
    return true;
}

static reaction wizard_handle(app *a, const event *ev, ui_action act) {
    if (!a->in.active) return switch_to(SCR_HOME);
    if (phone_guard_holds(a, ev, act)) return follow(a);
    if (burst_holds(a, ev, act)) return follow(a);
    if (safety_steps_hold(a, act)) return react(RE_REDRAW);
    if (panel_scroll(a, act)) return react(RE_REDRAW);
    return handle_question(a, ev, act);
}

static reaction review_handle(app *a, const event *ev, ui_action act) {
    (void)ev;
    if (!a->in.active) return switch_to(SCR_HOME);
    if (phone_guard_holds(a, ev, act)) return follow(a);
    if (burst_holds(a, ev, act)) return follow(a);
    if (safety_steps_hold(a, act)) return react(RE_REDRAW);
    if (panel_scroll(a, act)) return react(RE_REDRAW);
    if (act == UA_QUIT || act == UA_LEAVE) return leave_intake(a);
    if (act == UA_SAVE) save_intake(a); /* only the key shown for it: a stray Enter never saves */
    else if (act == UA_CHOOSE) app_message(a, false, "%s", keyed("review_enter"));
    else if (act == UA_BACK && wizard_back(a->in.w)) after_change(a);
    else if (act == UA_NEXT || act == UA_PREV) review_move(a, act == UA_NEXT ? 1 : -1);
    else if (act == UA_EDIT) {
        review_edit(a);
        after_change(a);
    }
    return follow(a);
}

/* A typed answer takes printable characters (a choice question takes them as keys). */
static bool wizard_typing(const app *a) {
    const wizard *w = a->in.w;
    return a->in.active && w->stage == WZ_QUESTIONS && !wizard_needs_safety_steps(w) && !form_item_scale(wizard_form(w), w->item);
}

const screen_ops find_ops = {"find", find_enter, NULL, find_draw, find_handle, find_leave, find_typing};
const screen_ops lang_ops = {"language", NULL, NULL, lang_draw, lang_handle, NULL, NULL};
const screen_ops wizard_ops = {"wizard", NULL, intake_load, wizard_draw, wizard_handle, NULL, wizard_typing};
const screen_ops review_ops = {"review", NULL, intake_load, wizard_draw, review_handle, NULL, NULL};
const screen_ops summary_ops = {"summary", NULL, intake_load, summary_draw, summary_handle, summary_leave, summary_typing};
