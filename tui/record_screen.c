/* A client's record: identity, every intake with its scores, level and reasons, the score trajectory across
 * visits (a bar a visit for PHQ-9 and GAD-7), the open queue item's history, and the notes. Opening it is
 * audited (by the core); the lines are built once when it opens and scroll with the arrows. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "secret.h"
#include "util.h"
#include "ui.h"

#define add(r, attr, ...) view_add(&(r)->lines, &(r)->n_lines, (attr), __VA_ARGS__)

static void day_of(int64_t t, char *buf, size_t size, bool with_time) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (localtime_r(&tt, &tm)) strftime(buf, size, with_time ? "%Y-%m-%d %H:%M" : "%Y-%m-%d", &tm);
    else snprintf(buf, size, "?");
}

static int level_attr(const char *level) {
    risk_level l;
    return risk_level_parse(level, &l) ? (int)level_color(l) : C_NORMAL;
}

/* One bar per visit, scaled to the instrument's maximum (PHQ-9 27, GAD-7 21): the trajectory at a glance. */
static void add_trajectory(record_screen *r, const char *form_id, const char *title, int max) {
    int points = 0;
    for (int i = 0; i < r->rec.n_intakes; i++) points += intake_summary_score(&r->rec.intakes[i], form_id) >= 0;
    if (points == 0) return;
    add(r, C_TITLE, "%s (0-%d)", title, max);
    for (int i = 0; i < r->rec.n_intakes; i++) {
        int v = intake_summary_score(&r->rec.intakes[i], form_id);
        if (v < 0) continue;
        char day[32], bar[128] = "";
        day_of(r->rec.intakes[i].at, day, sizeof day, true); /* two visits on one day are told apart */
        int n = max > 0 ? v * 30 / max : 0;
        for (int k = 0; k < 30; k++) strcat(bar, k < n ? "#" : ".");
        add(r, C_NORMAL, "  %s  %s %2d", day, bar, v);
    }
    add(r, C_NORMAL, "%s", "");
}

/* A long text over as many lines as it takes at the width the record was built for (a reason was cut mid-word
 * at 80 columns), its later lines under its first word. */
/* A kept text answer's name in the staff language: its item's label in the form ("Occupation"), else its question. */
static const char *kept_text_label(const app *a, const char *item_id) {
    for (int f = 0; f < a->e->forms.n; f++) {
        const form *fm = a->e->forms.v[f];
        int i = fm->kind == FORM_RECORD ? form_item_index(fm, item_id) : -1;
        if (i < 0) continue;
        const form_item *it = &fm->items[i];
        return it->label[ui_lang()] ? it->label[ui_lang()] : it->text[ui_lang()];
    }
    return item_id;
}

static void add_wrapped(record_screen *r, const char *lead, const char *text) {
    int indent = text_width(lead), room = r->built_w - indent;
    const char *rest = text;
    for (bool first = true; first || *rest; first = false) {
        char part[512];
        if (room > 10) rest = text_take(rest, room, part, sizeof part);
        else rest = (snprintf(part, sizeof part, "%s", rest), ""); /* no room to wrap: cut by the draw */
        if (first) add(r, C_NORMAL, "%s%s", lead, part);
        else add(r, C_NORMAL, "%*s%s", indent, "", part);
    }
}

static void build(app *a) {
    record_screen *r = &a->rec;
    const client_record *c = &r->rec;
    char day[32];
    day_of(c->client.created_at, day, sizeof day, false);
    add(r, C_TITLE, "%s", tr("record_identity"));
    add(r, C_NORMAL, "  %s: %s", tr("record_name"), client_name_tr(c->client.name));
    add(r, C_NORMAL, "  %s: %s   %s: %s", tr("record_phone"), c->client.phone[0] ? c->client.phone : "-", tr("record_birth"),
        c->client.birth[0] ? c->client.birth : "-");
    add(r, C_DIM, "  %s %s   %s %.8s", tr("record_since"), day, tr("record_id"), c->client.id);
    add(r, C_NORMAL, "%s", "");
    if (c->has_item) {
        char left[40];
        remaining_tr(&c->item, clock_now(), left, sizeof left);
        add(r, C_TITLE, "%s", tr("record_queue"));
        static const char *const words[LEVEL_COUNT] = {"level_green", "level_yellow", "level_orange", "level_red"};
        add(r, level_attr(risk_level_name(c->item.level)), "  %s  %s  %s%s", c->item.tampered ? tr("tampered") : tr(words[c->item.level]),
            state_tr(c->item.state), left, queue_item_by_hand_now(&c->item) ? tr("by_hand_mark") : "");
        if (c->item.tampered) add(r, level_attr("red"), "  %s", tr("record_tampered"));
        for (int i = 0; i < c->n_history; i++) {
            char line[1024];
            queue_history_line(a, &c->history[i], line, sizeof line);
            add_wrapped(r, "  ", line); /* a note of any length read whole at 80 columns (forty-first receptionist) */
        }
        add(r, C_NORMAL, "%s", "");
    }
    add_trajectory(r, "phq9", "PHQ-9", 27);
    add_trajectory(r, "gad7", "GAD-7", 21);
    add(r, C_TITLE, "%s (%d)", tr("record_intakes"), c->n_intakes);
    for (int i = c->n_intakes - 1; i >= 0; i--) { /* newest first */
        const intake_summary *s = &c->intakes[i];
        day_of(s->at, day, sizeof day, true);
        char scores[256] = "";
        for (int k = 0; k < s->n_scores; k++) {
            size_t n = strlen(scores);
            const score_point *sp = &s->scores[k];
            if (sp->total < 0) snprintf(scores + n, sizeof scores - n, "%s%s %s", k ? ", " : "", sp->form, tr("score_incomplete"));
            else snprintf(scores + n, sizeof scores - n, "%s%s %d%s", k ? ", " : "", sp->form, sp->total,
                          sp->prorated ? tr("score_prorated") : "");
        }
        risk_level lv = LEVEL_GREEN;
        char level[48];
        text_fit(level, sizeof level, risk_level_parse(s->level, &lv) ? level_tr(lv) : s->level, 6); /* the staff's words */
        add(r, level_attr(s->level), "  %s  %s  %s  (%s)", day, level, scores, s->by[0] ? s->by : "?");
        if (s->tampered) add(r, level_attr("red"), "      %s", tr("record_tampered"));
        for (int k = 0; k < s->n_reasons; k++) add_wrapped(r, "      - ", stored_reason(a, s->reason_rules[k], s->reasons[k], s->remote));
        for (int k = 0; k < s->n_texts; k++)
            add(r, C_NORMAL, "      %s: %s", kept_text_label(a, s->texts[k].item), s->texts[k].value);
        if (s->notes && *s->notes) add(r, C_DIM, "      %s: %s", tr("record_notes"), s->notes);
    }
}

const char *stored_reason(const app *a, const char *rule, const char *stored, bool remote) {
    const char *now = assess_reason_text(a->e, rule, remote, ui_lang());
    return now ? now : stored;
}

/* Opens the record of the client in `want` (audited by the core); false (with the message) when it cannot. */
static bool record_enter(app *a) {
    error err = {0};
    char id[STORE_ID_LEN];
    record_screen *r = &a->rec;
    snprintf(id, sizeof id, "%s", r->want);
    screen_id back = r->back;
    view_clear(&r->lines, &r->n_lines);
    client_record_free(&r->rec);
    memset(r, 0, sizeof *r);
    r->back = back;
    if (!client_record_open(a->s, id, &r->rec, &err)) {
        app_message(a, true, "%s", err.msg);
        return false;
    }
    r->open = true;
    r->built_w = COLS - 4; /* the width record_draw gives its lines */
    build(a);
    return true;
}

/* Names, notes and reasons were here: wiped. */
static void record_leave(app *a) {
    record_screen *r = &a->rec;
    view_clear(&r->lines, &r->n_lines);
    client_record_free(&r->rec);
    screen_id back = r->back;
    memset(r, 0, sizeof *r);
    r->back = back;
}

static void record_draw(app *a, const layout *l) {
    record_screen *r = &a->rec;
    int top = l->body.y + 1, rows = l->body.h - 3;
    if (r->open && r->built_w != l->body.w - 4) { /* resized: the lines wrapped again (from memory, no reading) */
        view_clear(&r->lines, &r->n_lines);
        r->built_w = l->body.w - 4;
        build(a);
    }
    if (r->top > r->n_lines - rows) r->top = r->n_lines - rows > 0 ? r->n_lines - rows : 0;
    for (int i = 0; i < rows && r->top + i < r->n_lines; i++) {
        const view_line *v = &r->lines[r->top + i];
        draw_text(top + i, 2, l->body.w - 4, v->text, theme((color_role)v->attr));
    }
    draw_text(l->body.y + l->body.h - 1, 1, l->body.w - 2, keyed("record_hint"), theme(C_DIM));
}

static reaction record_handle(app *a, const event *ev, ui_action act) {
    (void)ev;
    record_screen *r = &a->rec;
    if (act == UA_NEXT && r->top < r->n_lines - 1) r->top++;
    else if (act == UA_PREV && r->top > 0) r->top--;
    else if (act == UA_PAGE_DOWN) r->top += 10;
    else if (act == UA_PAGE_UP) r->top = r->top > 10 ? r->top - 10 : 0;
    /* back to the search it was found by, empty, where the next name is typed (a name typed at the front desk ran its
     * one-letter keys: thirty-second receptionist) */
    else if ((act == UA_BACK || act == UA_QUIT) && r->back == SCR_FIND) return switch_to(SCR_FIND);
    else if (act == UA_BACK || act == UA_QUIT) return (reaction){RE_RETURN, r->back == SCR_QUEUE ? SCR_QUEUE : SCR_HOME};
    return react(RE_REDRAW);
}

const screen_ops record_ops = {"record", record_enter, NULL, record_draw, record_handle, record_leave, NULL};
