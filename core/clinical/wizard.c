#include "wizard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer_keys.h"
#include "clock.h"
#include "ids.h"
#include "intake_body.h"
#include "secret.h"
#include "util.h"

const form *wizard_form(const wizard *w) { return w->e->forms.v[w->forms[w->pos]]; }

const form_item *wizard_item(const wizard *w) { return &wizard_form(w)->items[w->item]; }

static answer *cur_answer(wizard *w) { return &w->in.a.answers[w->forms[w->pos]][w->item]; }

static const score_result *cur_score(const wizard *w) { return &w->in.a.scores[w->forms[w->pos]]; }

/* Everything a form asks from item `from` on is not asked yet (so a safety item ahead does not count). */
static void mark_not_asked(wizard *w, int pos, int from) {
    int f = w->forms[pos];
    for (int i = from; i < w->e->forms.v[f]->n_items; i++)
        if (w->in.a.answers[f][i].state == ANS_UNANSWERED) w->in.a.answers[f][i] = (answer){ANS_NOT_ASKED, 0};
}

/* The interview's language and counselor-gender preference come from choice items named in config. */
static void choice_code(const wizard *w, int f, int item, char *out, size_t size) {
    if (f < 0 || item < 0 || !w->in.a.given[f]) return;
    const answer *a = &w->in.a.answers[f][item];
    const scale *s = form_item_scale(w->e->forms.v[f], item);
    int c = a->state == ANS_VALUE && s ? scale_value_index(s, a->value) : -1;
    if (c >= 0) snprintf(out, size, "%s", s->choices[c].code);
}

/* ---- items carried over from an earlier form of the interview ----
 * A question two forms share (the same LOINC item code on the same answer values: the PHQ-2's two items are
 * the PHQ-9's first two, the GAD-2's the GAD-7's) is asked once: a later form takes the earlier form's answer
 * and the interview passes over it. The copy follows the source when the source is changed. */

/* Every answer the source item can have is an answer of the target item (values, and a refusal). */
static bool same_values(const scale *target, const scale *source) {
    const scale *a = target, *b = source;
    if (!a || !b || a->n != b->n || (b->refusable && !a->refusable)) return false;
    for (int c = 0; c < a->n; c++)
        if (a->choices[c].value != b->choices[c].value) return false;
    return true;
}

/* The position and item of an earlier form in the interview that asks the same question, or false. */
static bool carried_from(const wizard *w, int pos, int item, int *src_pos, int *src_item) {
    const form *f = w->e->forms.v[w->forms[pos]];
    const form_item *it = &f->items[item];
    if (!it->loinc || !*it->loinc) return false;
    for (int p = 0; p < pos; p++) {
        const form *g = w->e->forms.v[w->forms[p]];
        for (int i = 0; i < g->n_items; i++)
            if (g->items[i].loinc && strcmp(g->items[i].loinc, it->loinc) == 0 &&
                same_values(form_item_scale(f, item), form_item_scale(g, i))) {
                *src_pos = p;
                *src_item = i;
                return true;
            }
    }
    return false;
}

bool wizard_item_carried(const wizard *w, int pos, int item) {
    int sp, si;
    return carried_from(w, pos, item, &sp, &si);
}

/* Copies every carried answer from its source (a form entered since, or a source answer changed). */
static void sync_carried(wizard *w) {
    for (int p = 1; p < w->n_forms; p++) {
        int f = w->forms[p];
        if (!w->in.a.given[f]) continue;
        for (int i = 0; i < w->e->forms.v[f]->n_items; i++) {
            int sp, si;
            if (carried_from(w, p, i, &sp, &si) && w->in.a.given[w->forms[sp]])
                w->in.a.answers[f][i] = w->in.a.answers[w->forms[sp]][si];
        }
    }
}

/* Where an added form goes: right after the last form it carries questions from (the PHQ-9 straight after a
 * positive PHQ-2), else after every other form. */
static int addition_place(const wizard *w, int add) {
    const form *f = w->e->forms.v[add];
    int after = -1;
    for (int i = 0; i < f->n_items; i++) {
        if (!f->items[i].loinc || !*f->items[i].loinc) continue;
        for (int p = 0; p < w->n_forms; p++) {
            const form *g = w->e->forms.v[w->forms[p]];
            for (int j = 0; j < g->n_items; j++)
                if (g->items[j].loinc && strcmp(g->items[j].loinc, f->items[i].loinc) == 0 &&
                    same_values(form_item_scale(f, i), form_item_scale(g, j)) && p > after)
                    after = p;
        }
    }
    return after >= 0 ? after + 1 : w->n_forms;
}

static void insert_form(wizard *w, int add) {
    int at = addition_place(w, add);
    for (int p = w->n_forms; p > at; p--) {
        w->forms[p] = w->forms[p - 1];
        memcpy(w->text[p], w->text[p - 1], sizeof w->text[p]);
    }
    memset(w->text[at], 0, sizeof w->text[at]);
    w->forms[at] = add;
    w->n_forms++;
    if (w->pos >= at) w->pos++; /* the current form moved one down */
    if (w->unentered && w->unentered_pos >= at) w->unentered_pos++; /* and the field's text kept with its form */
}

/* The step sets whose cause holds: red for a red level, and the set of every fired rule that names one. */
static uint32_t steps_firing(const wizard *w) {
    uint32_t m = 0;
    int red = w->e->cfg.safety.red;
    if (w->level == LEVEL_RED && red >= 0) m |= 1u << red;
    for (int i = 0; i < w->risk.n_fired; i++) {
        int set = w->e->rules.v[w->risk.fired[i].rule].steps_set;
        if (set >= 0 && set < 32) m |= 1u << set;
    }
    return m;
}

void wizard_recompute(wizard *w) {
    sync_carried(w);
    for (int p = 0; p < w->n_forms; p++)
        if (w->in.a.given[w->forms[p]]) answer_set_rescore(&w->in.a, w->forms[p]);
    const need_model *m = &w->e->needs;
    w->in.concerns = 0;
    if (m->concern_form >= 0 && w->in.a.given[m->concern_form]) {
        answer a = w->in.a.answers[m->concern_form][m->concern_item];
        if (a.state == ANS_VALUE) w->in.concerns = (uint32_t)a.value;
    }
    snprintf(w->in.language, sizeof w->in.language, "%s", lang_code(w->client_lang));
    choice_code(w, m->language_form, m->language_item, w->in.language, sizeof w->in.language);
    w->in.counselor_gender[0] = '\0';
    choice_code(w, m->gender_form, m->gender_item, w->in.counselor_gender, sizeof w->in.counselor_gender);
    /* a form the centre asks only when a condition holds (the ASQ when the client reports self-harm) joins
     * the interview after the others, and stays once added */
    int add;
    while (w->n_forms < WIZARD_MAX_FORMS &&
           (add = intake_plan_addition(&w->e->plan, &w->in.a, w->forms, w->n_forms)) >= 0)
        insert_form(w, add);
    risk_evaluate(&w->e->rules, &w->in.a, &w->risk);
    w->level = w->risk.level;
    if (w->kept > w->level) w->level = w->kept; /* shown with its steps acknowledged: kept (see wizard.h) */
    uint32_t firing = steps_firing(w);
    w->steps_acked &= ~(firing & ~w->steps_firing); /* a cause that comes back is asked again */
    w->steps_firing = firing;
}

static void enter_form(wizard *w, int pos) {
    int f = w->forms[pos];
    if (!w->in.a.given[f]) {
        memset(w->in.a.answers[f], 0, sizeof w->in.a.answers[f]);
        w->in.a.given[f] = true;
        mark_not_asked(w, pos, 0);
        sync_carried(w);
        answer_set_rescore(&w->in.a, f);
    }
}

bool wizard_start(wizard *w, const engine *e, const char *const *form_ids, int n, lang client_lang, error *err) {
    memset(w, 0, sizeof *w);
    w->e = e;
    w->client_lang = client_lang;
    answer_set_init(&w->in.a, &e->forms);
    if (n < 1 || n > WIZARD_MAX_FORMS) {
        error_set(err, ERR_INPUT, "an intake asks 1 to %d forms", WIZARD_MAX_FORMS);
        return false;
    }
    for (int i = 0; i < n; i++) {
        int f = formset_index(&e->forms, form_ids[i]);
        if (f < 0) {
            error_set(err, ERR_INPUT, "`%s` is not a loaded form", form_ids[i]);
            return false;
        }
        w->forms[w->n_forms++] = f;
    }
    enter_form(w, 0);
    wizard_recompute(w);
    return true;
}

void wizard_free(wizard *w) {
    for (int p = 0; p < WIZARD_MAX_FORMS; p++)
        for (int i = 0; i < FORM_MAX_ITEMS; i++) {
            secret_free(w->text[p][i]);
            w->text[p][i] = NULL;
        }
    secret_free(w->unentered);
    w->unentered = NULL;
    secret_free(w->record_phone);
    w->record_phone = NULL;
}

void wizard_note_record_phone(wizard *w, const char *phone) {
    if (!w->record_phone) w->record_phone = secret_alloc(WIZARD_TEXT_MAX);
    if (w->record_phone) snprintf(w->record_phone, WIZARD_TEXT_MAX, "%s", phone ? phone : "");
}

bool wizard_phone_changed(const wizard *w, bool (*same)(const char *, const char *)) {
    const char *phone = wizard_text(w, "intake", "phone");
    return w->record_phone && *phone && !same(phone, w->record_phone);
}

static bool typed_item(const form_item *it) { return it->type == ITEM_TEXT || it->type == ITEM_NUMBER || it->type == ITEM_DATE; }

void wizard_keep_unentered(wizard *w, const char *text) {
    /* no field here (a choice, the review): what a field left with Esc kept stays for when it is back */
    if (w->stage != WZ_QUESTIONS || !typed_item(wizard_item(w))) return;
    const char *stored = w->text[w->pos][w->item];
    bool keep = text && *text && strlen(text) < WIZARD_TEXT_MAX && !(stored && strcmp(stored, text) == 0);
    if (!keep) { /* this field empty, or as entered: nothing of it kept (another field's text stays) */
        if (wizard_unentered(w)) {
            secret_free(w->unentered);
            w->unentered = NULL;
        }
        return;
    }
    if (!w->unentered) w->unentered = secret_alloc(WIZARD_TEXT_MAX);
    if (!w->unentered) return;
    snprintf(w->unentered, WIZARD_TEXT_MAX, "%s", text);
    w->unentered_pos = w->pos;
    w->unentered_item = w->item;
}

void wizard_mark_leaving(wizard *w, bool leaving) { w->leaving = leaving; }

bool wizard_resumed_left(const wizard *w) { return w->left_at_save; }

const char *wizard_unentered(const wizard *w) {
    bool here = w->stage == WZ_QUESTIONS && w->unentered && w->unentered_pos == w->pos && w->unentered_item == w->item;
    return here ? w->unentered : NULL;
}

void wizard_progress(const wizard *w, int *number, int *count) {
    const score_result *r = cur_score(w);
    *number = 0;
    *count = r->n_visible;
    for (int i = 0; i <= w->item && i < wizard_form(w)->n_items; i++)
        if (r->visible[i]) (*number)++;
}

void wizard_progress_line(const wizard *w, int *number, int *count, int *then_optional) {
    wizard_progress(w, number, count);
    *then_optional = 0;
    const form *f = wizard_form(w);
    const bool *visible = cur_score(w)->visible;
    int n_opt = 0, n_required = 0, last_required = -1, first_optional = -1;
    for (int i = 0; i < f->n_items; i++) {
        if (f->items[i].required) {
            last_required = i;
            n_required += visible[i];
        } else {
            n_opt++;
            if (first_optional < 0) first_optional = i;
        }
    }
    if (n_opt == 0 || !wizard_item(w)->required || first_optional < last_required) return;
    *count = n_required;
    *then_optional = n_opt;
}

/* The next visible item after the current one, across forms; false at the end. */
static bool step(wizard *w, int dir) {
    int pos = w->pos, item = w->item;
    for (;;) {
        item += dir;
        if (item < 0) {
            if (pos == 0) return false;
            pos--;
            item = w->e->forms.v[w->forms[pos]]->n_items;
            continue;
        }
        if (item >= w->e->forms.v[w->forms[pos]]->n_items) {
            if (pos + 1 >= w->n_forms) return false;
            pos++;
            enter_form(w, pos);
            item = -1;
            continue;
        }
        if (w->in.a.scores[w->forms[pos]].visible[item] && !wizard_item_carried(w, pos, item)) break;
    }
    w->pos = pos;
    w->item = item;
    return true;
}

/* ---- the owed call-back number (hotline) ---- */

/* The hotline caller form's call-back item in this interview (its position in forms[] through pos), or -1. */
static int callback_item(const wizard *w, int *pos) {
    for (int p = 0; p < w->n_forms; p++) {
        const form *f = w->e->forms.v[w->forms[p]];
        if (strcmp(f->id, "caller") != 0) continue;
        *pos = p;
        return form_item_index(f, "callback");
    }
    return -1;
}

bool wizard_callback_owed(const wizard *w) {
    int pos = 0, item = callback_item(w, &pos);
    if (!w->caller_id[0] || item < 0 || w->callback_none) return false;
    risk_level level = w->level > w->kept ? w->level : w->kept;
    if (level < w->e->cfg.intake_callback_owed_at) return false;
    return w->in.a.answers[w->forms[pos]][item].state != ANS_VALUE;
}

static bool on_callback(const wizard *w) {
    int pos = 0, item = callback_item(w, &pos);
    return w->stage == WZ_QUESTIONS && item >= 0 && w->pos == pos && w->item == item;
}

bool wizard_on_owed_callback(const wizard *w) { return on_callback(w) && wizard_callback_owed(w); }

bool wizard_callback_given_none(const wizard *w, int pos, int item) {
    int cb_pos = 0, cb_item = callback_item(w, &cb_pos);
    return (w->callback_none || w->callback_none_early) && cb_item >= 0 && pos == cb_pos && item == cb_item;
}

/* Back to the call-back question when it is owed (the review cannot be reached past it). */
static bool goto_owed_callback(wizard *w) {
    int pos = 0, item = callback_item(w, &pos);
    if (item < 0 || !wizard_callback_owed(w)) return false;
    w->pos = pos;
    w->item = item;
    w->stage = WZ_QUESTIONS;
    w->callback_return = true; /* once it is given (or none said), straight back to where the interview was going */
    return true;
}

/* The first required question still without an answer, across the forms asked so far (the review cannot be
 * reached past one: e.g. ASQ question 5 after a positive, or a form added since). */
bool wizard_goto_missing(wizard *w) {
    for (int p = 0; p < w->n_forms; p++) {
        int f = w->forms[p];
        if (!w->in.a.given[f]) enter_form(w, p);
        int m = w->in.a.scores[f].first_missing;
        if (m >= 0) {
            w->pos = p;
            w->item = m;
            w->stage = WZ_QUESTIONS;
            return true;
        }
    }
    return goto_owed_callback(w);
}

/* ---- the burst guard (see wizard.h) ---- */

static int burst_ms(const wizard *w) { return w->e->cfg.intake_burst_ms; }

/* The interview moved on by a key (an answer, or Enter): a key right behind it is not a choice. */
static void note_moved(wizard *w) {
    if (!w->burst.timed) return;
    w->burst.moved = true;
    w->burst.moved_ms = w->burst.key_ms;
    w->burst.moved_by_choice = w->burst.undo && w->burst.undo_ms == w->burst.key_ms;
}

/* Before a choice key records its answer: what to restore if the key turns out to be the start of a burst. */
static void note_choice(wizard *w) {
    if (!w->burst.timed) return;
    w->burst.undo = true;
    w->burst.undo_ms = w->burst.key_ms;
    w->burst.undo_form = w->forms[w->pos];
    w->burst.undo_item = w->item;
    w->burst.undo_before = *cur_answer(w);
}

/* The answer the burst's first key gave is taken back, and the interview returns to its question. */
static void undo_burst_answer(wizard *w) {
    w->burst.undo = false;
    for (int p = 0; p < w->n_forms; p++) {
        if (w->forms[p] != w->burst.undo_form) continue;
        w->in.a.answers[w->burst.undo_form][w->burst.undo_item] = w->burst.undo_before;
        w->pos = p;
        w->item = w->burst.undo_item;
        w->stage = WZ_QUESTIONS;
        wizard_recompute(w);
        return;
    }
}

/* A key of this kind, this soon after the interview moved on, is not a person's choice. */
static bool starts_burst(const wizard *w, int64_t now_ms, wizard_key kind) {
    if (!w->burst.moved || now_ms - w->burst.moved_ms >= burst_ms(w)) return false;
    return kind == WK_ANSWER || (kind == WK_TEXT && w->burst.moved_by_choice);
}

bool wizard_key_arrived(wizard *w, int64_t now_ms, wizard_key kind) {
    int limit = burst_ms(w);
    bool first = !w->burst.timed;
    int64_t gap = first ? INT64_MAX : now_ms - w->burst.key_ms;
    w->burst.timed = true;
    w->burst.key_ms = now_ms;
    w->burst.gap_ms = gap;
    if (limit <= 0 || w->stage == WZ_SAVED) return true;
    if (w->burst.held) {
        /* Only a key that answers nothing, after a pause, ends the hold, and it does nothing else: a worker copying
         * from paper without looking up types on, and were the next digit taken after a pause it would answer the
         * question the burst was taken back to, every later answer landing one question early (the fourth
         * receptionist tryout: PHQ-9 item 9 took the GAD-7's first answer and an ORANGE client was saved GREEN) */
        if (kind != WK_OTHER || gap < limit) return false;
        w->burst.held = false;
        /* and it is a move like Enter: an answer key right behind it is a burst again (Enter then 0 at once, the
         * hold just ended, changed PHQ-9 item 9: seventeenth tryout) */
        w->burst.moved = true;
        w->burst.moved_ms = now_ms;
        w->burst.moved_by_choice = false;
        return false;
    }
    if (!starts_burst(w, now_ms, kind)) return true;
    /* nobody reads a new question and picks an answer this fast: a typed number or a paste, not a choice */
    if (w->burst.undo && now_ms - w->burst.undo_ms < limit) undo_burst_answer(w);
    w->burst.moved = false;
    w->burst.held = true;
    return false;
}

bool wizard_burst_held(const wizard *w) { return w->burst.held; }

static void pending_clear(wizard *w);

bool wizard_held_confirm_arrived(wizard *w, int64_t now_ms) {
    int limit = burst_ms(w);
    bool held = w->phone.armed && w->phone.pending[0];
    int64_t gap = w->burst.timed ? now_ms - w->burst.key_ms : INT64_MAX;
    w->burst.timed = true;
    w->burst.key_ms = now_ms;
    if (!held || limit <= 0 || w->stage == WZ_SAVED) return true;
    if (w->burst.held) { /* the pause that ends the hold: it does nothing else (as wizard_key_arrived) */
        if (gap < limit) return false;
        w->burst.held = false;
        return false;
    }
    if (gap >= limit) return true;
    pending_clear(w); /* as a burst's answer is undone: the digit goes, the worker picks again */
    w->burst.moved = false;
    w->burst.held = true;
    return false;
}

void wizard_key_timed(wizard *w, int64_t now_ms) {
    w->burst.timed = true;
    w->burst.key_ms = now_ms;
}

void wizard_key_moved(wizard *w, int64_t now_ms) {
    w->burst.timed = true;
    w->burst.key_ms = now_ms;
    w->burst.moved = true;
    w->burst.moved_ms = now_ms;
    w->burst.moved_by_choice = false;
}

/* ---- the phone guard (see wizard.h) ---- */

static void pending_clear(wizard *w) {
    volatile char *p = w->phone.pending; /* a phone number or a birth date: wiped, not merely dropped */
    for (size_t i = 0; i < sizeof w->phone.pending; i++) p[i] = 0;
}

/* Enter passed over typed item `item` of the current form, left empty: a digit on the next choice question waits. */
static void phone_guard_arm(wizard *w) {
    w->phone.armed = true;
    w->phone.resumed = false;
    w->phone.skipped_form = w->forms[w->pos];
    w->phone.skipped_item = w->item;
    pending_clear(w);
}

/* A field a number is typed into: a phone number, a number (age), a date (birth date). Not a name or an occupation:
 * digits after skipping one are not the field's (and a worker sees where a name's letters go). */
static bool takes_a_number(const form_item *it) {
    return it->type == ITEM_NUMBER || it->type == ITEM_DATE || (it->type == ITEM_TEXT && it->phone);
}

static void phone_guard_disarm(wizard *w) {
    w->phone.armed = false;
    w->phone.resumed = false;
    pending_clear(w);
}

/* The guard acts on a choice question on screen (not a typed field, the safety steps or the review). */
static bool on_choice_question(const wizard *w) {
    return w->stage == WZ_QUESTIONS && !wizard_needs_safety_steps(w) && form_item_scale(wizard_form(w), w->item);
}

/* Where the skipped field is now (forms added since may have shifted positions), or false. */
static bool skipped_at(const wizard *w, int *pos) {
    for (int p = 0; p < w->n_forms; p++)
        if (w->forms[p] == w->phone.skipped_form) {
            *pos = p;
            return true;
        }
    return false;
}

const form_item *wizard_phone_skipped(const wizard *w) {
    int pos;
    if (!w->phone.armed || !skipped_at(w, &pos)) return NULL;
    return &w->e->forms.v[w->phone.skipped_form]->items[w->phone.skipped_item];
}

const char *wizard_phone_pending(const wizard *w) { return w->phone.pending; }

bool wizard_phone_armed(const wizard *w) { return w->phone.armed && on_choice_question(w); }

bool wizard_resume_held(const wizard *w) { return wizard_phone_armed(w) && w->phone.resumed; }

/* A resumed interview at a choice question: its first digit waits for Enter (wizard.h). A guard the draft kept for
 * a skipped field stays as it is (it also says where a number goes). */
static void resume_guard_arm(wizard *w) {
    w->phone.resume_owed = true; /* until an answer is confirmed, wherever the worker goes */
    /* also behind the safety steps due at once: it holds from when they are acknowledged */
    if (w->phone.armed || w->stage != WZ_QUESTIONS || !form_item_scale(wizard_form(w), w->item)) return;
    /* new text was typed and entered: a question not answered yet takes its digit at once (the forty-fourth
     * receptionist's next keys landed a question late), one with an answer still waits for Enter (the forty-fifth's
     * corrected phone, Enter, then 3 replaced PHQ-2 question 1's 2 at once), and the hold goes on past a digit taken
     * so (the forty-sixth's 2 on an unanswered question, then 1 at 350 ms replaced GAD-7 question 1's answer) */
    answer_state st = cur_answer(w)->state;
    if (w->phone.text_confirmed && st != ANS_VALUE && st != ANS_REFUSED) return;
    w->phone.armed = true;
    w->phone.resumed = true;
    w->phone.skipped_form = -1;
    w->phone.skipped_item = -1;
    pending_clear(w);
}

/* An option without a digit of its own (past the ninth), held by Space on its highlight: '#' and its index. */
#define HELD_BY_INDEX '#'

int wizard_phone_pending_choice(const wizard *w) {
    const char *p = w->phone.pending;
    if (!on_choice_question(w)) return -1;
    if (p[0] == HELD_BY_INDEX) {
        const scale *s = form_item_scale(wizard_form(w), w->item);
        int c = atoi(p + 1);
        return s && c >= 0 && c < s->n ? c : -1;
    }
    if (!(p[0] >= '0' && p[0] <= '9') || p[1]) return -1;
    return answer_choice_for_key(wizard_form(w), w->item, p[0] - '0');
}

/* Space on the highlight after a resume: the option is held as its digit would be (its digit, or '#' and its
 * index when it has none), so that the screen shows it and Enter records it. */
static wizard_guard hold_highlight(wizard *w, int c) {
    const scale *s = form_item_scale(wizard_form(w), w->item);
    if (!s || c < 0 || c >= s->n) return WG_HELD;
    int key = answer_key_for_choice(wizard_form(w), w->item, c);
    if (key >= 0 && key <= 9) snprintf(w->phone.pending, sizeof w->phone.pending, "%d", key);
    else snprintf(w->phone.pending, sizeof w->phone.pending, "%c%d", HELD_BY_INDEX, c);
    return WG_HELD;
}

/* A character a phone number or a date has: the first must be a digit, + or (; then also space - ) / . */
static bool number_char(const char *held, int ch) {
    if (ch >= '0' && ch <= '9') return true;
    return held[0] ? ch && strchr(" +-()/.", ch) != NULL : ch == '+' || ch == '(';
}

/* The held characters go into the skipped field when it takes them (a phone item: a phone number): the interview
 * returns to that field, which shows them. */
static wizard_guard pending_to_field(wizard *w) {
    int pos;
    const form_item *it = wizard_phone_skipped(w);
    if (!it || !skipped_at(w, &pos)) return WG_NO_FIT;
    if (it->phone && !phone_number_valid(w->phone.pending, it->digits_min, it->digits_max)) return WG_NO_FIT;
    int was_pos = w->pos, was_item = w->item; /* to return to when the field refuses the text */
    char held[WIZARD_PENDING_MAX];
    memcpy(held, w->phone.pending, sizeof held);
    error err = {0};
    bool owed = w->phone.text_confirmed; /* digits typed on a choice question are no look at a field */
    bool fits = wizard_goto(w, pos, w->phone.skipped_item) && wizard_type(w, held, &err);
    w->phone.text_confirmed = owed;
    if (!fits) {
        w->pos = was_pos;
        w->item = was_item;
        w->stage = WZ_QUESTIONS;
        w->phone.armed = true; /* still held: the worker clears them, or picks with a digit of its own */
        memcpy(w->phone.pending, held, sizeof held);
    }
    volatile char *v = held;
    for (size_t i = 0; i < sizeof held; i++) v[i] = 0;
    return fits ? WG_MOVED : WG_NO_FIT;
}

/* Enter with characters held: one digit that picks an option here is recorded, more go into the skipped field. */
static wizard_guard pending_enter(wizard *w) {
    if (w->phone.resumed && !strcmp(w->phone.pending, "r")) { /* the refusal, held after a resume: confirmed */
        phone_guard_disarm(w);
        w->phone.resume_owed = false;
        return wizard_refuse(w) ? WG_ANSWERED : WG_HELD;
    }
    int c = wizard_phone_pending_choice(w);
    if (c < 0) return pending_to_field(w);
    phone_guard_disarm(w); /* the digit was chosen and confirmed: the answers after it are ordinary */
    w->phone.resume_owed = false;
    bool chosen = wizard_choose(w, c);
    /* confirmed by a deliberate Enter: no burst behind it takes it back (a key right behind is held all the same) */
    w->burst.undo = false;
    return chosen ? WG_ANSWERED : WG_HELD;
}

wizard_guard wizard_phone_guard(wizard *w, int ch) {
    if (!w->phone.armed || !on_choice_question(w)) return WG_PASS;
    char *held = w->phone.pending;
    size_t n = strlen(held);
    if (ch == 27) { /* Esc: the held characters go, the question still waits for a confirmed digit */
        if (!n) return WG_PASS;
        pending_clear(w);
        return WG_HELD;
    }
    if (ch == '\b') {
        if (!n) return WG_PASS;
        if (held[0] == HELD_BY_INDEX) pending_clear(w); /* one option held by its highlight: all of it goes */
        else held[n - 1] = '\0';
        return WG_HELD;
    }
    if (n && held[0] == HELD_BY_INDEX && ch != '\n') return WG_HELD; /* an option is held: Enter or Esc */
    if (ch == '\n') return n ? pending_enter(w) : WG_PASS; /* Enter with nothing held picks nothing, as always */
    if (ch >= WIZARD_GUARD_PICK && ch < WIZARD_GUARD_PICK + 0x100) {
        if (!w->phone.resumed || n) return n ? WG_HELD : WG_PASS; /* a deliberate key, unless characters wait */
        return hold_highlight(w, ch - WIZARD_GUARD_PICK);
    }
    if (ch == WIZARD_GUARD_REFUSE) {
        if (!w->phone.resumed || n) return n ? WG_HELD : WG_PASS;
        held[0] = 'r'; /* shown as the refusal; Enter records it, Esc or Backspace clears it */
        held[1] = '\0';
        return WG_HELD;
    }
    if (number_char(held, ch)) {
        if (n + 1 < sizeof w->phone.pending) held[n] = (char)ch; /* longer than any number: the rest is dropped */
        return WG_HELD;
    }
    return n ? WG_HELD : WG_PASS; /* an arrow, Space on a highlight, r: a deliberate key, unless characters wait */
}

bool wizard_next(wizard *w) {
    if (w->stage != WZ_QUESTIONS || w->burst.held || w->phone.pending[0]) return false;
    answer *a = cur_answer(w);
    const form_item *it = wizard_item(w);
    bool answered = a->state == ANS_VALUE || a->state == ANS_REFUSED;
    if (!answered && (it->required || wizard_on_owed_callback(w))) return false; /* owed: none is said by its own key */
    if (!answered) *a = (answer){ANS_UNANSWERED, 0}; /* passed over: from now on it counts (safety) */
    if (!answered && takes_a_number(it)) phone_guard_arm(w);
    else phone_guard_disarm(w); /* an answer moved on, or a field no number is meant for: what follows is ordinary */
    wizard_recompute(w);
    bool returning = w->callback_return && on_callback(w); /* the answers after it were given: not walked again */
    if (returning) w->callback_return = false;
    if ((returning || !step(w, +1)) && !wizard_goto_missing(w)) w->stage = WZ_REVIEW;
    note_moved(w);
    if (w->phone.resume_owed) resume_guard_arm(w); /* the resume's hold goes on to this question */
    return true;
}

bool wizard_next_known(wizard *w) {
    bool armed = w->phone.armed, resumed = w->phone.resumed;
    int skipped_form = w->phone.skipped_form, skipped_item = w->phone.skipped_item;
    if (!wizard_next(w)) return false;
    if (armed) { /* nothing is held here (wizard_next refuses while characters wait) */
        w->phone.armed = true;
        w->phone.resumed = resumed;
        w->phone.skipped_form = skipped_form;
        w->phone.skipped_item = skipped_item;
    }
    return true;
}

bool wizard_ready(const wizard *w) {
    if (w->stage == WZ_QUESTIONS) return false;
    for (int p = 0; p < w->n_forms; p++)
        if (!w->in.a.given[w->forms[p]] || w->in.a.scores[w->forms[p]].first_missing >= 0) return false;
    return !wizard_callback_owed(w);
}

static void resume_guard_arm(wizard *w);

bool wizard_back(wizard *w) {
    /* Esc back from a resumed question with nothing answered there yet: the question before is held the same way
     * (tenth tryout: a digit held, Esc to clear it, Esc again, then a 0 replaced PHQ-9 item 9's 2 at once) */
    bool resumed = w->phone.armed && w->phone.resumed;
    phone_guard_disarm(w);
    bool moved;
    if (w->stage == WZ_REVIEW) {
        w->stage = WZ_QUESTIONS;
        moved = true;
    } else {
        moved = w->stage == WZ_QUESTIONS && step(w, -1);
    }
    if (moved && (resumed || w->phone.resume_owed)) resume_guard_arm(w);
    /* back on a question by Esc is a move like Enter: an answer key right behind it is not a choice (Esc then 0
     * at once changed PHQ-9 item 9 from 2 to 0, ORANGE to YELLOW: sixteenth tryout) */
    if (moved) note_moved(w);
    return moved;
}

bool wizard_goto(wizard *w, int pos, int item) {
    phone_guard_disarm(w);
    if (w->stage == WZ_SAVED || pos < 0 || pos >= w->n_forms) return false;
    int f = w->forms[pos];
    /* only a question the interview shows now (skip logic applied): never one hidden by the answers */
    if (item < 0 || item >= w->e->forms.v[f]->n_items || !w->in.a.scores[f].visible[item]) return false;
    w->pos = pos;
    w->item = item;
    w->stage = WZ_QUESTIONS;
    if (w->phone.resume_owed) resume_guard_arm(w); /* a jump from the review after a resume: held there too */
    note_moved(w); /* a jump is a move too: an answer key right behind it is not a choice */
    return true;
}

bool wizard_choose(wizard *w, int c) {
    if (w->stage != WZ_QUESTIONS || w->burst.held || w->phone.pending[0]) return false;
    const form_item *it = wizard_item(w);
    const scale *s = form_item_scale(wizard_form(w), w->item);
    if (!s || c < 0 || c >= s->n) return false;
    answer *a = cur_answer(w);
    if (it->type == ITEM_MULTI) {
        uint32_t mask = a->state == ANS_VALUE ? (uint32_t)a->value : 0;
        mask ^= 1u << c;
        /* nothing ticked is no answer (a required multi item then blocks, as an untouched one does) */
        *a = mask ? (answer){ANS_VALUE, (int32_t)mask} : (answer){ANS_NOT_ASKED, 0};
        wizard_recompute(w);
        return true;
    }
    note_choice(w);
    *a = (answer){ANS_VALUE, s->choices[c].value};
    wizard_recompute(w);
    return wizard_next(w);
}

bool wizard_refuse(wizard *w) {
    if (w->stage != WZ_QUESTIONS || w->burst.held || w->phone.pending[0]) return false;
    const scale *s = form_item_scale(wizard_form(w), w->item);
    if (!s || !s->refusable) return false;
    note_choice(w);
    *cur_answer(w) = (answer){ANS_REFUSED, 0};
    wizard_recompute(w);
    return wizard_next(w);
}


/* A valid YYYY-MM-DD after today's date at the desk (its local date: the UTC date and a day's margin took a birth
 * of tomorrow, which then had no age to check against: tryout 19). */
static bool date_after_today(const char *t) {
    time_t now = (time_t)clock_now();
    struct tm tm;
    char today[16];
    if (!localtime_r(&now, &tm) || !strftime(today, sizeof today, "%Y-%m-%d", &tm)) return false;
    return strcmp(t, today) > 0;
}

bool phone_number_valid(const char *text, int digits_min, int digits_max) {
    int digits = 0;
    for (const char *p = text; *p; p++) {
        if (*p >= '0' && *p <= '9') digits++;
        else if (!strchr(" +-()", *p)) return false;
    }
    return digits >= digits_min && digits <= digits_max;
}

bool wizard_age_disagrees(const wizard *w, const char *typed_text, int *given, int *by_date) {
    *given = *by_date = -1;
    if (w->stage != WZ_QUESTIONS || !typed_text || !*typed_text) return false;
    const form *f = wizard_form(w);
    const form_item *it = wizard_item(w);
    const answer *row = w->in.a.answers[w->forms[w->pos]];
    long typed = 0;
    char text[WIZARD_TEXT_MAX + 8]; /* an age or a date: read as wizard_type reads it */
    fullwidth_to_ascii(typed_text, text, sizeof text);
    /* only a date that is itself valid: a bad one is refused as such (1997-02-30 was told of the age) */
    if (it->type == ITEM_DATE && it->age_item >= 0 && row[it->age_item].state == ANS_VALUE && clock_date_valid(text)) {
        *given = row[it->age_item].value;
        *by_date = age_at(text, clock_now());
    } else if (it->type == ITEM_NUMBER && parse_int(text, it->min, it->max, &typed)) {
        for (int j = 0; j < f->n_items; j++)
            if (f->items[j].age_item == w->item && row[j].state == ANS_VALUE && w->text[w->pos][j]) {
                *given = (int)typed;
                *by_date = age_at(w->text[w->pos][j], clock_now());
            }
    }
    /* a year either way: an age said near a birthday */
    return *given >= 0 && *by_date >= 0 && (*given - *by_date > 1 || *by_date - *given > 1);
}

static bool type_answer(wizard *w, const char *text, error *err) {
    if (w->stage != WZ_QUESTIONS) {
        error_set(err, ERR_INPUT, "no question is open (the intake is at its review)");
        return false;
    }
    phone_guard_disarm(w); /* text typed into a field: the worker sees where keys go (an Enter that skips re-arms) */
    const form *f = wizard_form(w);
    const form_item *it = wizard_item(w);
    size_t len = text ? strlen(text) : 0;
    answer *a = cur_answer(w);
    char **slot = &w->text[w->pos][w->item];
    if (it->type != ITEM_TEXT && it->type != ITEM_NUMBER && it->type != ITEM_DATE) {
        error_set(err, ERR_INPUT, "%s.%s is answered by choosing", f->id, it->id);
        return false;
    }
    if (len == 0) {
        secret_free(*slot);
        *slot = NULL;
        *a = (answer){ANS_NOT_ASKED, 0};
        wizard_recompute(w);
        return true;
    }
    if (len >= WIZARD_TEXT_MAX || !utf8_valid(text, len) || strchr(text, '\n') || strchr(text, '\t')) {
        error_set(err, ERR_INPUT, "%s.%s: not valid text (at most %d bytes, one line)", f->id, it->id, WIZARD_TEXT_MAX - 1);
        return false;
    }
    long number = 0;
    if (it->type == ITEM_NUMBER && !parse_int(text, it->min, it->max, &number)) {
        error_set(err, ERR_INPUT, "%s.%s: a whole number from %ld to %ld", f->id, it->id, it->min, it->max);
        return false;
    }
    if (it->type == ITEM_DATE && !clock_date_valid(text)) {
        error_set(err, ERR_INPUT, "%s.%s: a date that exists, as YYYY-MM-DD", f->id, it->id);
        return false;
    }
    if (it->type == ITEM_DATE && it->past && date_after_today(text)) { /* 2030-01-01 was taken as a birth date */
        error_set(err, ERR_INPUT, "%s.%s: a date not after today (YYYY-MM-DD)", f->id, it->id);
        return false;
    }
    int given, by_date;
    if (wizard_age_disagrees(w, text, &given, &by_date)) {
        error_set(err, ERR_INPUT, "%s.%s: the date of birth gives age %d, but the age given is %d; correct one of them",
                  f->id, it->id, by_date, given);
        return false;
    }
    if (it->type == ITEM_TEXT && it->phone && !phone_number_valid(text, it->digits_min, it->digits_max)) {
        error_set(err, ERR_INPUT, "%s.%s: a phone number: digits, spaces, + - ( ) only, %d to %d digits", f->id, it->id,
                 it->digits_min, it->digits_max);
        return false;
    }
    size_t chars = 0;
    for (const char *p = text; *p; p++) chars += ((unsigned char)*p & 0xc0) != 0x80;
    if (it->type == ITEM_TEXT && chars > (size_t)it->maxlen) {
        error_set(err, ERR_INPUT, "%s.%s: at most %d characters", f->id, it->id, it->maxlen);
        return false;
    }
    /* new text typed and entered after a pause is an answer the worker confirmed, looking at the field: after a
     * resume, the questions not yet answered take their digits at once (resume_guard_arm). Enter over the text
     * already there, or a paste's Enter, confirms nothing. */
    bool paused = !w->burst.timed || w->burst.gap_ms >= burst_ms(w); /* a paste's Enter is no look at the field */
    if ((a->state != ANS_VALUE || !*slot || strcmp(*slot, text) != 0) && paused) w->phone.text_confirmed = true;
    if (!*slot) *slot = secret_alloc(WIZARD_TEXT_MAX);
    if (!*slot) {
        error_set(err, ERR_INTERNAL, "out of protected memory");
        return false;
    }
    memcpy(*slot, text, len + 1);
    *a = (answer){ANS_VALUE, (int32_t)number};
    wizard_recompute(w);
    return true;
}

/* A number, a date or a phone number is read with its full-width digits as digits: ３０ typed by a Chinese input
 * method was refused as "a whole number" with no word of why (twentieth tryout). Text answers stay as typed. */
bool wizard_type(wizard *w, const char *text, error *err) {
    const form_item *it = w->stage == WZ_QUESTIONS ? wizard_item(w) : NULL;
    /* the text a field was left with (kept in the draft), entered by an Enter over it, is nothing newly typed: a
     * resume's hold goes on (type_answer) */
    bool owed = w->phone.text_confirmed;
    bool as_left = text && wizard_unentered(w) && !strcmp(wizard_unentered(w), text);
    if (wizard_unentered(w)) wizard_keep_unentered(w, NULL); /* entered now: the field's text is the answer's */
    bool ok;
    if (!it || !text || !(it->type == ITEM_NUMBER || it->type == ITEM_DATE || it->phone)) {
        ok = type_answer(w, text, err);
        if (as_left) w->phone.text_confirmed = owed;
        return ok;
    }
    char ascii[WIZARD_TEXT_MAX + 8]; /* longer than any answer taken: a cut one is still refused as too long */
    fullwidth_to_ascii(text, ascii, sizeof ascii);
    /* a number or a date with a space after it (an input method's full-width one too) is the same answer: the space
     * is invisible in the field, and "30 " was refused as not a whole number (tryout 21) */
    char *from = ascii;
    if (it->type != ITEM_TEXT) {
        size_t n = strlen(ascii);
        while (n && ascii[n - 1] == ' ') ascii[--n] = '\0';
        from += strspn(ascii, " ");
    }
    ok = type_answer(w, from, err);
    if (as_left) w->phone.text_confirmed = owed;
    volatile char *v = ascii; /* a phone number: wiped as the held characters are */
    for (size_t i = 0; i < sizeof ascii; i++) v[i] = 0;
    return ok;
}

/* A rule's set waits while the interview is still on a form the rule reads (its outcome is not known yet). */
static bool rule_set_ready(const wizard *w, int set) {
    if (w->stage != WZ_QUESTIONS) return true;
    int current = w->forms[w->pos];
    for (int i = 0; i < w->risk.n_fired; i++) {
        const risk_rule *r = &w->e->rules.v[w->risk.fired[i].rule];
        if (r->steps_set == set && !(current < 32 && (r->forms >> current) & 1u)) return true;
    }
    return false;
}

bool wizard_owed_pending(const wizard *w) {
    if (!w->owed.holding || w->stage != WZ_QUESTIONS) return false;
    if (w->forms[w->pos] != w->owed.form || w->item != w->owed.item) return false;
    return w->in.a.answers[w->owed.form][w->owed.item].state == ANS_UNANSWERED;
}

void wizard_owed_skip(wizard *w) { w->owed.holding = false; }

int wizard_owed_question(const wizard *w, int *number) {
    *number = 0;
    if (!w->owed.offered || w->stage != WZ_QUESTIONS) return -1;
    if (w->forms[w->pos] != w->owed.form || w->item != w->owed.item) return -1;
    if (w->in.a.answers[w->owed.form][w->owed.item].state != ANS_UNANSWERED) return -1;
    int count;
    wizard_progress(w, number, &count);
    return w->owed.form;
}

int wizard_safety_set(const wizard *w) {
    uint32_t due = w->steps_firing & ~w->steps_acked;
    int red = w->e->cfg.safety.red;
    if (red >= 0 && wizard_owed_pending(w)) due &= ~(1u << red); /* the question that decides it is asked first */
    if (red >= 0 && (due >> red) & 1u) return red; /* red at once, before anything else */
    for (int set = 0; set < w->e->cfg.safety.n && set < 32; set++)
        if ((due >> set) & 1u && rule_set_ready(w, set)) return set;
    return -1;
}

bool wizard_needs_safety_steps(const wizard *w) { return wizard_safety_set(w) >= 0; }

void wizard_safety_acknowledged(wizard *w) {
    int set = wizard_safety_set(w);
    if (set >= 0) w->steps_acked |= 1u << set;
    if (w->level > w->kept) w->kept = w->level;
}

const char *wizard_kept_reason(const wizard *w, lang l) {
    if (w->kept <= w->risk.level) return NULL;
    char key[64];
    snprintf(key, sizeof key, "kept_level.reason.%s", lang_code(l));
    const char *text = ini_get(&w->e->cfg.ini, "intake", key);
    return text && *text ? text : "kept_level"; /* as assess_raise names it */
}

/* The first channel item of [safety] channel_from (the intake's, the hotline caller form's) answered in this
 * interview says which list of steps applies; none answered: unknown (both are shown). */
safety_channel wizard_channel(const wizard *w) { return assess_channel(w->e, &w->in.a); }

void wizard_safety_describe(const wizard *w, char *buf, size_t size) {
    int set = wizard_safety_set(w);
    snprintf(buf, size, "set=%s channel=%s level=%s", set >= 0 ? w->e->cfg.safety.name[set] : "none",
             safety_channel_name(wizard_channel(w)), risk_level_name(w->level));
}

const char *wizard_text(const wizard *w, const char *form_id, const char *item_id) {
    for (int p = 0; p < w->n_forms; p++) {
        const form *f = w->e->forms.v[w->forms[p]];
        if (strcmp(f->id, form_id) != 0) continue;
        int i = form_item_index(f, item_id);
        if (i >= 0 && w->text[p][i] && w->in.a.answers[w->forms[p]][i].state == ANS_VALUE) return w->text[p][i];
    }
    return "";
}

const char *wizard_client_name(const wizard *w) {
    const char *name = wizard_text(w, "intake", "preferred_name");
    return *name ? name : w->anonymous_name;
}

const char *wizard_client_phone(const wizard *w) {
    const char *phone = wizard_text(w, "intake", "phone");
    return *phone ? phone : wizard_text(w, "caller", "callback");
}

/* Enter passed over the call-back field and the guard holds for it on the next question (a number typed there goes
 * into it): "none given" may be said there too (a number typed and erased there, F5 did nothing: forty-sixth
 * receptionist) */
static bool guarding_callback(const wizard *w) {
    int pos = 0, item = callback_item(w, &pos);
    return item >= 0 && w->phone.armed && !w->phone.resumed && w->phone.skipped_form == w->forms[pos] &&
           w->phone.skipped_item == item;
}

bool wizard_callback_none(wizard *w) {
    if (w->burst.held || w->phone.pending[0]) return false;
    if (!on_callback(w) && guarding_callback(w) && !wizard_text(w, "caller", "callback")[0]) {
        /* said for the field behind: the question on screen stays, its digits no longer held for a number */
        phone_guard_disarm(w);
        if (wizard_callback_owed(w)) w->callback_none = true;
        else w->callback_none_early = true;
        return true;
    }
    if (!on_callback(w)) return false;
    if (!wizard_callback_owed(w)) { /* before any risk: passed over, owed again at risk; the guard not armed */
        if (cur_answer(w)->state == ANS_VALUE || !wizard_next(w)) return false;
        if (w->phone.armed && !w->phone.resumed) phone_guard_disarm(w);
        w->callback_none_early = true; /* the review says the caller gave none, not "not answered" */
        return true;
    }
    w->callback_none = true;
    return wizard_next(w);
}

void wizard_set_anonymous(wizard *w, const char *label) {
    if (!w->caller_id[0]) id_short_new(w->caller_id);
    snprintf(w->anonymous_name, sizeof w->anonymous_name, "%s %s", label, w->caller_id);
}

/* ---- interrupted interviews ---- */

/* The question on screen when the interview was interrupted was asked: unanswered, it now counts as such (a
 * safety item as positive; ASQ question 5 after a positive as acute, red) until it is answered. */
static void mark_interrupted(wizard *w) {
    if (w->stage != WZ_QUESTIONS) return;
    answer *cur = cur_answer(w);
    if (cur->state == ANS_NOT_ASKED) *cur = (answer){ANS_UNANSWERED, 0};
}

static uint64_t fnv_bytes(uint64_t h, const void *p, size_t n) {
    for (const unsigned char *b = p; n--; b++) h = (h ^ *b) * 1099511628211u;
    return h;
}

uint64_t wizard_answers_digest(const wizard *w) {
    uint64_t h = 1469598103934665603u;
    for (int p = 0; p < w->n_forms; p++) {
        int f = w->forms[p];
        h = fnv_bytes(h, &f, sizeof f);
        for (int i = 0; i < w->e->forms.v[f]->n_items; i++) {
            answer a = w->in.a.answers[f][i];
            h = fnv_bytes(h, &a.state, sizeof a.state);
            h = fnv_bytes(h, &a.value, sizeof a.value);
            const char *t = w->text[p][i];
            h = fnv_bytes(h, t ? t : "", t ? strlen(t) + 1 : 1);
        }
    }
    return fnv_bytes(h, &w->callback_none, sizeof w->callback_none);
}

bool wizard_has_answers(const wizard *w, const uint64_t *known) {
    for (int p = 0; p < w->n_forms; p++) {
        int f = w->forms[p];
        if (!w->in.a.given[f]) continue;
        for (int i = 0; i < w->e->forms.v[f]->n_items; i++) {
            answer_state st = w->in.a.answers[f][i].state;
            bool filled_in = known && i < 64 && (known[p] >> i & 1);
            if ((st == ANS_VALUE || st == ANS_REFUSED) && !filled_in) return true;
        }
    }
    return false;
}

void wizard_interrupt(wizard *w) {
    w->owed.holding = false; /* an owed question left again: its red steps are due (see wizard.h) */
    mark_interrupted(w);
    wizard_recompute(w);
}

/* ---- drafts ---- */

char *wizard_to_json(const wizard *w) {
    json_t *o = json_object();
    json_object_set_new(o, "version", json_integer(1));
    json_object_set_new(o, "client_lang", json_string(lang_code(w->client_lang)));
    json_object_set_new(o, "client_id", json_string(w->client_id));
    if (w->record_phone) json_object_set_new(o, "record_phone", json_string(w->record_phone)); /* sealed with the draft */
    if (w->caller_id[0]) { /* an anonymous caller keeps the id they were given when the call resumes */
        json_object_set_new(o, "caller_id", json_string(w->caller_id));
        json_object_set_new(o, "anonymous_name", json_string(w->anonymous_name));
    }
    if (w->callback_none) json_object_set_new(o, "callback_none", json_true());
    if (w->callback_none_early) json_object_set_new(o, "callback_none_early", json_true());
    if (w->leaving) json_object_set_new(o, "left", json_true()); /* saved by a desk leaving it: open nowhere */
    if (w->unentered && w->unentered_pos < w->n_forms) { /* the field's text not entered: back in the field, not an answer */
        json_t *u = json_object();
        json_object_set_new(u, "pos", json_integer(w->unentered_pos));
        json_object_set_new(u, "item", json_integer(w->unentered_item));
        json_object_set_new(u, "text", json_string(w->unentered));
        json_object_set_new(o, "unentered", u);
    }
    /* the phone guard armed (a typed field skipped just before): a draft resumed there holds a digit as the
     * desk did (seventh tryout: a resume after a new login lost the hold, and a call-back number typed then
     * answered the PHQ-2, GAD-2 and ASQ). What was held is not kept: it is a number nobody confirmed. */
    if (w->phone.armed && !w->phone.resumed) { /* a resume's guard is armed again by the next resume */
        json_t *g = json_object();
        json_object_set_new(g, "form", json_string(w->e->forms.v[w->phone.skipped_form]->id));
        json_object_set_new(g, "item", json_integer(w->phone.skipped_item));
        json_object_set_new(o, "phone_guard", g);
    }
    json_object_set_new(o, "pos", json_integer(w->pos));
    json_object_set_new(o, "item", json_integer(w->item));
    json_object_set_new(o, "review", json_boolean(w->stage == WZ_REVIEW));
    /* red_seen: what drafts written before the step sets said (and still read by older versions) */
    int red = w->e->cfg.safety.red;
    json_object_set_new(o, "kept", json_string(risk_level_name(w->kept)));
    json_object_set_new(o, "red_seen", json_boolean(red >= 0 && (w->steps_acked >> red) & 1u));
    json_t *acked = json_array();
    for (int set = 0; set < w->e->cfg.safety.n && set < 32; set++)
        if ((w->steps_acked >> set) & 1u) json_array_append_new(acked, json_string(w->e->cfg.safety.name[set]));
    json_object_set_new(o, "safety_acknowledged", acked);
    if (w->owed.offered) { /* resumed again, the owed question does not hold the red steps a second time */
        json_t *owed = json_object();
        json_object_set_new(owed, "form", json_string(w->e->forms.v[w->owed.form]->id));
        json_object_set_new(owed, "item", json_integer(w->owed.item));
        json_object_set_new(o, "owed_offered", owed);
    }
    json_t *forms = json_array();
    for (int p = 0; p < w->n_forms; p++) {
        int f = w->forms[p];
        const form *fm = w->e->forms.v[f];
        json_t *jf = json_object();
        json_object_set_new(jf, "id", json_string(fm->id));
        json_object_set_new(jf, "given", json_boolean(w->in.a.given[f]));
        json_t *items = json_array();
        for (int i = 0; i < fm->n_items; i++) {
            const answer *a = &w->in.a.answers[f][i];
            json_t *ji = json_array();
            json_array_append_new(ji, json_integer(a->state));
            json_array_append_new(ji, json_integer(a->value));
            json_array_append_new(ji, w->text[p][i] ? json_string(w->text[p][i]) : json_null());
            json_array_append_new(items, ji);
        }
        json_object_set_new(jf, "answers", items);
        json_array_append_new(forms, jf);
    }
    json_object_set_new(o, "forms", forms);
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

/* The acknowledged step sets by name; a draft written before them (only red_seen) had the red set only. A name
 * the configuration no longer has is dropped (its steps, if due, are asked again). */
static void restore_acks(wizard *w, json_t *o) {
    const safety_config *sc = &w->e->cfg.safety;
    json_t *acked = json_object_get(o, "safety_acknowledged");
    uint32_t m = 0;
    if (json_is_array(acked)) {
        for (size_t i = 0; i < json_array_size(acked); i++) {
            int set = safety_set_index(sc, json_string_value(json_array_get(acked, i)));
            if (set >= 0 && set < 32) m |= 1u << set;
        }
    } else if (json_is_true(json_object_get(o, "red_seen")) && sc->red >= 0) {
        m |= 1u << sc->red;
    }
    w->steps_acked = m & w->steps_firing; /* only a cause that holds now stays acknowledged */
}

/* The phone guard of a draft saved while it was armed: armed again if the skipped field is still one a number is
 * typed into, in a form of this draft; nothing is held (the draft keeps no held characters). */
static void restore_phone_guard(wizard *w, json_t *g) {
    const char *id = json_string_value(json_object_get(g, "form"));
    json_int_t item = json_integer_value(json_object_get(g, "item"));
    for (int p = 0; id && p < w->n_forms; p++) {
        const form *fm = w->e->forms.v[w->forms[p]];
        if (strcmp(fm->id, id) != 0 || item < 0 || item >= fm->n_items || !takes_a_number(&fm->items[item])) continue;
        w->phone.armed = true;
        w->phone.skipped_form = w->forms[p];
        w->phone.skipped_item = (int)item;
        pending_clear(w);
    }
}

/* The level the answers give were the current question not asked yet (its unanswered state taken away). */
static risk_level level_if_not_asked(wizard *w) {
    int f = w->forms[w->pos];
    answer *cur = cur_answer(w), was = *cur;
    *cur = (answer){ANS_NOT_ASKED, 0};
    answer_set_rescore(&w->in.a, f);
    risk_result without;
    risk_evaluate(&w->e->rules, &w->in.a, &without);
    *cur = was;
    answer_set_rescore(&w->in.a, f);
    return without.level;
}

/* A resumed interview at a question whose being unanswered alone makes it red: asked first (see wizard.h), once:
 * w->owed says whether it was offered before (read from the draft, or left in memory). */
static void owed_first(wizard *w) {
    if (wizard_owed_pending(w)) return; /* asked first already and never left (a lock, a look at home): still so */
    w->owed.holding = false;
    if (w->stage != WZ_QUESTIONS || w->level != LEVEL_RED || w->kept >= LEVEL_RED) return;
    if (cur_answer(w)->state != ANS_UNANSWERED) return;
    bool offered = w->owed.offered && w->owed.form == w->forms[w->pos] && w->owed.item == w->item;
    if (!offered && level_if_not_asked(w) >= LEVEL_RED) return; /* red anyway: its steps come at once */
    w->owed.form = w->forms[w->pos];
    w->owed.item = w->item;
    w->owed.offered = true; /* carried on when offered before, so that it is never offered twice */
    w->owed.holding = !offered;
}

void wizard_resume(wizard *w) {
    /* the resume's hold takes over from a burst's held when the intake was left: an Enter went to the burst's and
     * recorded nothing, and the next key, a second later, was "too fast" (twenty-third tryout). A draft read again
     * starts with no burst state either. */
    memset(&w->burst, 0, sizeof w->burst);
    w->phone.text_confirmed = false; /* text typed before the intake was left says nothing of this return to it */
    owed_first(w);
    resume_guard_arm(w);
}

/* The question offered once before (wizard_to_json's owed_offered), if the draft names one this intake has. */
static void owed_read(wizard *w, json_t *o) {
    json_t *before = json_object_get(o, "owed_offered");
    const char *form_id = json_string_value(json_object_get(before, "form"));
    int f = form_id ? formset_index(&w->e->forms, form_id) : -1;
    json_int_t item = json_integer_value(json_object_get(before, "item"));
    if (f < 0 || item < 0 || item >= w->e->forms.v[f]->n_items) return;
    w->owed.offered = true;
    w->owed.form = f;
    w->owed.item = (int)item;
}

/* A draft's unentered text, where it still fits a typed question of its forms (else it is left out: it is no answer,
 * and a draft of a changed form still opens). */
static void restore_unentered(wizard *w, json_t *u) {
    json_t *jp = json_object_get(u, "pos"), *ji = json_object_get(u, "item");
    const char *text = json_string_value(json_object_get(u, "text"));
    if (!json_is_integer(jp) || !json_is_integer(ji) || !text) return;
    json_int_t p = json_integer_value(jp), i = json_integer_value(ji);
    if (p < 0 || p >= w->n_forms || i < 0 || i >= w->e->forms.v[w->forms[p]]->n_items) return;
    if (!typed_item(&w->e->forms.v[w->forms[p]]->items[i]) || strlen(text) >= WIZARD_TEXT_MAX || !utf8_valid(text, strlen(text)))
        return;
    w->unentered = secret_alloc(WIZARD_TEXT_MAX);
    if (!w->unentered) return;
    snprintf(w->unentered, WIZARD_TEXT_MAX, "%s", text);
    w->unentered_pos = (int)p;
    w->unentered_item = (int)i;
}

bool wizard_from_json(wizard *w, const engine *e, const char *text, error *err) {
    memset(w, 0, sizeof *w); /* on any failure the wizard is empty and safe to free */
    json_error_t je;
    json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    json_t *forms = json_object_get(o, "forms");
    if (!o || !json_is_array(forms) || json_integer_value(json_object_get(o, "version")) != 1) {
        error_set(err, ERR_STORE, "the saved draft cannot be read (%s)", o ? "not a version 1 draft" : je.text);
        json_decref(o);
        return false;
    }
    const char *ids[WIZARD_MAX_FORMS] = {NULL};
    size_t n = json_array_size(forms);
    bool named = n >= 1 && n <= WIZARD_MAX_FORMS;
    for (size_t p = 0; named && p < n; p++) {
        ids[p] = json_string_value(json_object_get(json_array_get(forms, p), "id"));
        named = ids[p] != NULL;
    }
    if (!named) {
        error_set(err, ERR_STORE, "the saved draft names no forms");
        json_decref(o);
        return false;
    }
    lang cl = LANG_EN;
    lang_parse(json_string_value(json_object_get(o, "client_lang")), &cl);
    bool ok = wizard_start(w, e, ids, (int)n, cl, err);
    for (size_t p = 0; ok && p < n; p++) {
        json_t *jf = json_array_get(forms, p);
        int f = w->forms[p];
        const form *fm = e->forms.v[f];
        json_t *items = json_object_get(jf, "answers");
        if (!json_is_array(items) || (int)json_array_size(items) != fm->n_items) {
            error_set(err, ERR_STORE, "the saved draft does not fit form %s (it changed since)", fm->id);
            ok = false;
            break;
        }
        w->in.a.given[f] = json_is_true(json_object_get(jf, "given"));
        for (int i = 0; ok && i < fm->n_items; i++) {
            json_t *ji = json_array_get(items, (size_t)i);
            json_int_t st = json_integer_value(json_array_get(ji, 0));
            json_int_t v = json_integer_value(json_array_get(ji, 1));
            json_t *t = json_array_get(ji, 2);
            if (st < ANS_UNANSWERED || st > ANS_NOT_ASKED || v < INT32_MIN || v > INT32_MAX) ok = false;
            w->in.a.answers[f][i] = (answer){(uint8_t)st, (int32_t)v};
            /* Scoring trusts its answers: a value no item can have (a draft of an older form version, or a
             * damaged one) once reached the totals unchecked and overflowed them (found by fuzz_wizard). */
            if (ok && !answer_valid(fm, i, w->in.a.answers[f][i])) ok = false;
            if (json_is_string(t)) {
                w->text[p][i] = secret_alloc(WIZARD_TEXT_MAX);
                if (w->text[p][i]) snprintf(w->text[p][i], WIZARD_TEXT_MAX, "%s", json_string_value(t));
            }
        }
        if (!ok) error_set(err, ERR_STORE, "the saved draft has an unreadable answer in form %s", fm->id);
    }
    if (ok) {
        int pos = (int)json_integer_value(json_object_get(o, "pos")), item = (int)json_integer_value(json_object_get(o, "item"));
        if (pos < 0 || pos >= w->n_forms || item < 0 || item >= e->forms.v[w->forms[pos]]->n_items) {
            error_set(err, ERR_STORE, "the saved draft points past its forms");
            ok = false;
        } else {
            w->pos = pos;
            w->item = item;
            w->stage = json_is_true(json_object_get(o, "review")) ? WZ_REVIEW : WZ_QUESTIONS;
            const char *cid = json_string_value(json_object_get(o, "client_id"));
            snprintf(w->client_id, sizeof w->client_id, "%s", cid ? cid : "");
            const char *caller = json_string_value(json_object_get(o, "caller_id"));
            const char *anon = json_string_value(json_object_get(o, "anonymous_name"));
            if (caller && anon && strlen(caller) < sizeof w->caller_id) {
                snprintf(w->caller_id, sizeof w->caller_id, "%s", caller);
                snprintf(w->anonymous_name, sizeof w->anonymous_name, "%s", anon);
            }
            const char *record_phone = json_string_value(json_object_get(o, "record_phone"));
            if (record_phone && strlen(record_phone) < WIZARD_TEXT_MAX) wizard_note_record_phone(w, record_phone);
            w->callback_none = json_is_true(json_object_get(o, "callback_none"));
            w->callback_none_early = json_is_true(json_object_get(o, "callback_none_early"));
            w->left_at_save = json_is_true(json_object_get(o, "left"));
            restore_unentered(w, json_object_get(o, "unentered"));
            restore_phone_guard(w, json_object_get(o, "phone_guard"));
            mark_interrupted(w); /* recomputed below, with the kept level */
            /* the kept level first: the level, and so the step sets due, are computed with it */
            risk_level kept = LEVEL_GREEN;
            if (risk_level_parse(json_string_value(json_object_get(o, "kept")), &kept)) w->kept = kept;
            wizard_recompute(w);
            restore_acks(w, o);
            owed_read(w, o);
            owed_first(w);
            /* a draft saved at the review with a question still owed (a form added since, an older draft)
             * resumes at that question */
            if (w->stage == WZ_REVIEW) wizard_goto_missing(w);
            if (wizard_on_owed_callback(w)) w->callback_return = true; /* resumed at the owed number */
            resume_guard_arm(w);
        }
    }
    json_decref(o);
    if (!ok) wizard_free(w);
    return ok;
}

json_t *wizard_record_json(const wizard *w) {
    /* the record forms' choice and number answers (channel, age, ...): the report facts read channel and age
     * from here (core/records/facts.h); a text that is not identity (the occupation) is kept apart in the body
     * (intake_body_build); identity (name, phone, birth date) stays in the client record */
    json_t *record = json_object();
    for (int p = 0; p < w->n_forms; p++) {
        const form *fm = w->e->forms.v[w->forms[p]];
        if (!w->in.a.given[w->forms[p]] || fm->kind != FORM_RECORD) continue;
        for (int i = 0; i < fm->n_items; i++) {
            const answer *a = &w->in.a.answers[w->forms[p]][i];
            const scale *sc = form_item_scale(fm, i);
            int c = sc && a->state == ANS_VALUE ? scale_value_index(sc, a->value) : -1;
            if (fm->items[i].type == ITEM_CHOICE && c >= 0)
                json_object_set_new(record, fm->items[i].id, json_string(sc->choices[c].code));
            else if (fm->items[i].type == ITEM_NUMBER && a->state == ANS_VALUE)
                json_object_set_new(record, fm->items[i].id, json_integer(a->value));
            else if (a->state == ANS_VALUE && w->text[p][i] && intake_kept_text_item(w->e, fm->items[i].id))
                json_object_set_new(record, fm->items[i].id, json_string(w->text[p][i]));
        }
    }
    return record;
}

json_t *wizard_result_json(const wizard *w, lang ui) {
    /* what is stored: the interview as `assess` input (answers by form; identity lives in the client record),
     * the record form's answers and the assessment at the moment of saving, built as every way in builds it */
    json_t *record = wizard_record_json(w);
    json_t *out = intake_body_build(w->e, &w->in, record, ui);
    json_decref(record);
    return out;
}

bool wizard_prefill(wizard *w, const char *form_id, const char *item_id, const char *value) {
    if (w->stage != WZ_QUESTIONS || !value || !*value) return false;
    for (int p = 0; p < w->n_forms; p++) {
        const form *f = w->e->forms.v[w->forms[p]];
        if (strcmp(f->id, form_id) != 0) continue;
        int i = form_item_index(f, item_id);
        if (i < 0 || f->items[i].safety) return false; /* identity and language only: never a safety answer */
        int pos = w->pos, item = w->item;
        w->pos = p;
        w->item = i;
        bool ok;
        const scale *s = form_item_scale(f, i);
        if (s) { /* a choice, by its code */
            int c = scale_code_index(s, value);
            ok = c >= 0 && f->items[i].type != ITEM_MULTI;
            if (ok) *cur_answer(w) = (answer){ANS_VALUE, s->choices[c].value};
        } else {
            error err = {0};
            ok = wizard_type(w, value, &err); /* checked as if typed: a bad date is not taken */
        }
        w->pos = pos;
        w->item = item;
        wizard_recompute(w);
        return ok;
    }
    return false;
}
