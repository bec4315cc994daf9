/* Several desks at once: every open triage polls the database's data_version once a second. It changes
 * only when another connection commits, so an idle desk costs one PRAGMA a second; a change re-reads the
 * queue counts and the open screen, and a red item this desk has not seen rings the bell and raises the
 * banner on every screen. Overdue escalation runs here too: each desk asks once a second, the store
 * escalates each item exactly once whichever desk gets there first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "ui.h"

static bool seen_red(const live_state *l, const char *id) {
    for (int i = 0; i < l->n_red_seen; i++)
        if (strcmp(l->red_seen[i], id) == 0) return true;
    return false;
}

/* Reads the red items (they are few: red is the exception) and compares them with those seen before. */
static void check_reds(app *a, bool first) {
    live_state *l = &a->live;
    queue_filter f = {"red", false, false, NULL};
    queue_item *items = NULL;
    int n = 0;
    char err[256];
    if (!queues_page(a->db, &f, 0, 500, &items, &n, err, sizeof err)) return;
    char(*now_seen)[STORE_ID_LEN] = calloc((size_t)(n ? n : 1), STORE_ID_LEN);
    if (!now_seen) {
        free(items);
        return;
    }
    int unacked = 0;
    bool fresh = false;
    for (int i = 0; i < n; i++) {
        memcpy(now_seen[i], items[i].id, STORE_ID_LEN);
        if (items[i].state == QS_OPEN) unacked++;
        if (!first && !seen_red(l, items[i].id)) fresh = true;
    }
    free(items);
    free(l->red_seen);
    l->red_seen = now_seen;
    l->n_red_seen = n;
    l->red_unacknowledged = unacked;
    if (fresh) {
        l->red_new = true;
        l->bells++;
        beep(); /* the terminal bell: a person at the desk may not be looking at the screen */
    }
}

void live_poll(app *a, bool force) {
    live_state *l = &a->live;
    char err[512];
    int escalated = 0;
    /* overdue items are raised whoever is logged in (or no one): the queue must never wait for a login */
    if (!queues_tick(a->db, &a->e->queue, &escalated, err, sizeof err)) app_message(a, true, "%s", err);
    int64_t v = 0, mine = a->db->ops->local_changes(a->db->st);
    if (a->db->ops->data_version(a->db->st, &v) != ST_OK) return;
    if (l->known && v == l->data_version && mine == l->local_changes && !force && escalated == 0) return;
    bool first = !l->known;
    l->known = true;
    l->data_version = v;
    l->local_changes = mine;
    if (!queues_counts(a->db, &l->counts, err, sizeof err)) app_message(a, true, "%s", err);
    check_reds(a, first);
    /* the open screen reads its rows again before it is drawn */
    a->q.reload = true;
    a->ros.reload = true;
    a->stf.reload = true;
}

int live_banner(app *a, int y, int width) {
    live_state *l = &a->live;
    if (!a->s || l->red_unacknowledged == 0) return 0;
    char line[256];
    snprintf(line, sizeof line, " %s (%d)  %s ", tr("red_banner"), l->red_unacknowledged, tr("red_banner_key"));
    attron(theme(C_RED));
    mvhline(y, 0, ' ', width);
    attroff(theme(C_RED));
    draw_text(y, 1, width - 2, line, theme(C_RED));
    return 1;
}

void live_free(app *a) {
    free(a->live.red_seen);
    a->live.red_seen = NULL;
    a->live.n_red_seen = 0;
}
