/* Home: the queues at a glance (counts per level, overdue marked), a red banner, shortcuts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ui.h"

static void home_draw(app *a, const layout *l) {
    /* the counts come from the live poll: read when the database changed, not at every redraw */
    const queue_counts_rec *c = &a->live.counts;
    int y = l->body.y + 2;
    draw_text(y++, 2, l->body.w - 4, tr("home_title"), theme(C_TITLE));
    y++;
    draw_text(y++, 2, 30, tr("queues"), theme(C_TITLE));
    static const char *const names[LEVEL_COUNT] = {"level_green", "level_yellow", "level_orange", "level_red"};
    for (int lv = LEVEL_RED; lv >= LEVEL_GREEN; lv--) {
        char line[128];
        draw_text(y, 4, 10, tr(names[lv]), theme(level_color((risk_level)lv)));
        snprintf(line, sizeof line, "%5d %s   %s%d %s", c->open[lv], tr("open"), c->overdue[lv] ? "! " : "", c->overdue[lv],
                 tr("overdue"));
        draw_text(y++, 16, l->body.w - 18, line, c->overdue[lv] ? theme(C_ERROR) : A_NORMAL);
    }
    if (c->by_hand) {
        char line[128];
        snprintf(line, sizeof line, "%5d %s", c->by_hand, tr("tab_by_hand"));
        draw_text(y++, 16, l->body.w - 18, line, A_BOLD);
    }
    y++;
    draw_text(y++, 4, l->body.w - 6, keyed("home_new"), A_NORMAL);
    if (a->e->plan.n_hotline) draw_text(y++, 4, l->body.w - 6, keyed("home_hotline"), A_NORMAL);
    if (a->in.active) { /* whose, and where it stopped: r goes back to that very question */
        char who[256], where[160], line[600];
        intake_whose(a, who, sizeof who);
        intake_where(a, where, sizeof where);
        snprintf(line, sizeof line, "%s %s (%s)", keyed("home_resume"), who, where);
        draw_text(y++, 4, l->body.w - 6, line, A_BOLD);
        draw_text(y++, 4, l->body.w - 6, keyed("home_discard"), A_NORMAL);
    }
    draw_text(y++, 4, l->body.w - 6, keyed("home_queues"), A_NORMAL);
    draw_text(y++, 4, l->body.w - 6, keyed("home_records"), A_NORMAL);
    /* only what the permission table lets this role use */
    staff_role me = a->s ? a->s->me.role : ROLE_COUNT;
    if (role_may(me, ACT_REPORT)) draw_text(y++, 4, l->body.w - 6, keyed("home_reports"), A_NORMAL);
    if (role_may(me, ACT_ROSTER_MANAGE)) draw_text(y++, 4, l->body.w - 6, keyed("home_roster"), A_NORMAL);
    if (role_may(me, ACT_STAFF_MANAGE)) draw_text(y++, 4, l->body.w - 6, keyed("home_staff"), A_NORMAL);
    if (role_may(me, ACT_CLIENT_ERASE)) {
        if (a->live.retention_drafts || a->live.retention_clients) {
            char line[256];
            snprintf(line, sizeof line, "%s %d %s, %d %s", tr("retention_due"), a->live.retention_drafts, tr("retention_drafts"),
                     a->live.retention_clients, tr("retention_clients"));
            draw_text(++y, 4, l->body.w - 6, line, theme(C_TITLE));
            y++;
        }
    }
    draw_text(y++, 4, l->body.w - 6, keyed("home_help"), A_NORMAL);
}

/* The search for a client: to start an intake, or to open a record. */
static reaction open_find(app *a, bool for_record) {
    a->find.for_record = for_record;
    return switch_to(SCR_FIND);
}

static reaction home_handle(app *a, const event *ev, ui_action act) {
    (void)ev;
    home_screen *h = &a->home;
    if (act != UA_NEW && act != UA_HOTLINE) h->new_confirm = false;
    switch (act) {
    case UA_QUEUES: return switch_to(SCR_QUEUE);
    case UA_RECORDS: return open_find(a, true);
    case UA_ROSTER: return switch_to(SCR_ROSTER);
    case UA_STAFF: return switch_to(SCR_STAFF);
    case UA_REPORTS: return switch_to(SCR_REPORT);
    case UA_NEW:
    case UA_HOTLINE:
        if (a->in.active && a->in.w->stage != WZ_SAVED && !h->new_confirm) {
            /* an unfinished intake (perhaps a caller at risk) is never set aside by one key: say whose and at
             * what level, and take a second n as the decision (the unfinished one stays saved as a draft) */
            static const char *const lv[LEVEL_COUNT] = {"level_green", "level_yellow", "level_orange", "level_red"};
            const char *name = wizard_client_name(a->in.w);
            app_message(a, true, "%s %s (%s). %s", tr("new_draft_label"), name[0] ? name : "?", tr(lv[a->in.w->level]),
                        keyed("new_draft_rest"));
            h->new_confirm = true;
            return react(RE_REDRAW);
        }
        h->new_confirm = false;
        return act == UA_HOTLINE ? intake_begin_hotline(a) : open_find(a, false);
    case UA_RESUME: return a->in.active ? switch_to(intake_screen_now(a)) : react(RE_REDRAW);
    case UA_DISCARD: return react(a->in.active ? RE_ASK_DISCARD : RE_REDRAW);
    case UA_QUIT: return react(a->in.active ? RE_ASK_QUIT : RE_QUIT);
    default: return react(RE_REDRAW);
    }
}

const screen_ops home_ops = {"home", NULL, NULL, home_draw, home_handle, NULL, NULL};
