/* Home: the queues at a glance (counts per level, overdue marked), a red banner, shortcuts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ui.h"

void home_draw(app *a, const layout *l) {
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
    draw_text(y++, 4, l->body.w - 6, tr("home_new"), A_NORMAL);
    if (a->w_active) draw_text(y++, 4, l->body.w - 6, tr("home_resume"), A_BOLD);
    draw_text(y++, 4, l->body.w - 6, tr("home_queues"), A_NORMAL);
    draw_text(y++, 4, l->body.w - 6, tr("home_records"), A_NORMAL);
    if (a->s && a->s->me.role != ROLE_RECEPTION) draw_text(y++, 4, l->body.w - 6, tr("home_reports"), A_NORMAL);
    if (a->s && a->s->me.role == ROLE_SUPERVISOR) {
        draw_text(y++, 4, l->body.w - 6, tr("home_roster"), A_NORMAL);
        draw_text(y++, 4, l->body.w - 6, tr("home_staff"), A_NORMAL);
        if (a->live.retention_drafts || a->live.retention_clients) {
            char line[256];
            snprintf(line, sizeof line, "%s %d %s, %d %s", tr("retention_due"), a->live.retention_drafts, tr("retention_drafts"),
                     a->live.retention_clients, tr("retention_clients"));
            draw_text(++y, 4, l->body.w - 6, line, theme(C_TITLE));
            y++;
        }
    }
    draw_text(y++, 4, l->body.w - 6, tr("home_help"), A_NORMAL);
}

static void open_find(app *a, bool for_record) {
    a->query[0] = '\0';
    client_list_free(a->found, a->n_found);
    a->found = NULL;
    a->n_found = 0;
    a->picked = -3;
    a->find_record = for_record;
    a->screen = SCR_FIND;
}

void home_handle(app *a, const event *ev, ui_action act) {
    (void)ev;
    if (act != UA_NEW) a->new_confirm = false;
    if (act == UA_QUEUES) queue_enter(a);
    else if (act == UA_RECORDS) open_find(a, true);
    else if (act == UA_ROSTER) roster_enter(a);
    else if (act == UA_STAFF) staff_enter(a);
    else if (act == UA_REPORTS) report_enter(a);
    else if (act == UA_NEW && a->w_active && a->w->stage != WZ_SAVED && !a->new_confirm) {
        /* an unfinished intake (perhaps a caller at risk) is never set aside by one key: say whose and at what
         * level, and take a second n as the decision (the unfinished one stays saved as a draft) */
        static const char *const lv[LEVEL_COUNT] = {"level_green", "level_yellow", "level_orange", "level_red"};
        const char *name = wizard_client_name(a->w);
        app_message(a, true, "%s %s (%s). %s", tr("new_draft_label"), name[0] ? name : "?", tr(lv[a->w->level]),
                    tr("new_draft_rest"));
        a->new_confirm = true;
        return;
    } else if (act == UA_NEW) {
        a->new_confirm = false;
        open_find(a, false);
    } else if (act == UA_RESUME && a->w_active) {
        a->screen = a->w->stage == WZ_REVIEW ? SCR_REVIEW : SCR_WIZARD;
    } else if (act == UA_QUIT) {
        if (a->w_active) a->quit_confirm = true;
        else a->quit = true;
    }
}
