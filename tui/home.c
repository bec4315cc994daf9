/* Home: the queues at a glance (counts per level, overdue marked), a red banner, shortcuts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "ui.h"

void home_draw(app *a, const layout *l) {
    queue_item *items = NULL;
    int n = 0, open[LEVEL_COUNT] = {0}, overdue[LEVEL_COUNT] = {0};
    char err[256];
    if (queues_list_open(a->db, &items, &n, err, sizeof err))
        for (int i = 0; i < n; i++) {
            open[items[i].level]++;
            overdue[items[i].level] += items[i].overdue;
        }
    free(items);
    int y = l->body.y + 1;
    draw_text(y++, 2, l->body.w - 4, tr("home_title"), theme(C_TITLE));
    if (open[LEVEL_RED]) draw_text(++y, 2, l->body.w - 4, tr("red_banner"), theme(C_RED)), y++;
    y++;
    draw_text(y++, 2, 30, tr("queues"), theme(C_TITLE));
    static const char *const names[LEVEL_COUNT] = {"level_green", "level_yellow", "level_orange", "level_red"};
    for (int lv = LEVEL_RED; lv >= LEVEL_GREEN; lv--) {
        char line[128];
        draw_text(y, 4, 10, tr(names[lv]), theme(level_color((risk_level)lv)));
        snprintf(line, sizeof line, "%4d %s   %s%d %s", open[lv], tr("open"), overdue[lv] ? "! " : "", overdue[lv],
                 tr("overdue"));
        draw_text(y++, 16, l->body.w - 18, line, overdue[lv] ? theme(C_ERROR) : A_NORMAL);
    }
    y++;
    draw_text(y++, 4, l->body.w - 6, tr("home_new"), A_NORMAL);
    if (a->w_active) draw_text(y++, 4, l->body.w - 6, tr("home_resume"), A_BOLD);
    draw_text(y++, 4, l->body.w - 6, tr("home_help"), A_NORMAL);
}

void home_handle(app *a, const event *ev, ui_action act) {
    (void)ev;
    if (act == UA_NEW) {
        a->query[0] = '\0';
        client_list_free(a->found, a->n_found);
        a->found = NULL;
        a->n_found = 0;
        a->picked = -3;
        a->screen = SCR_FIND;
    } else if (act == UA_RESUME && a->w_active) {
        a->screen = a->w->stage == WZ_REVIEW ? SCR_REVIEW : SCR_WIZARD;
    } else if (act == UA_QUIT) {
        if (a->w_active) a->quit_confirm = true;
        else a->quit = true;
    }
}
