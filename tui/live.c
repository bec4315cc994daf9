/* Several desks at once: every open triage polls the database's change counter once a second. It changes
 * only when another connection commits, so an idle desk costs one read of it a second; a change re-reads the
 * queue counts and the open screen, and a new red item rings the bell; the banner stays on every screen
 * while a red item waits for a person to acknowledge it or is overdue on either of its steps. Overdue escalation runs here too: each desk asks once a second, the store
 * escalates each item exactly once whichever desk gets there first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "erasure.h"
#include "ui.h"

/* A new red item (or one raised to red) moves the newest red level_since on, or adds to the red count; a red
 * item late on either of its steps (acknowledgement, evaluation) adds to the red overdue count. */
static void check_reds(app *a, const queue_counts_rec *before, bool first) {
    live_state *l = &a->live;
    bool fresh = !first && (l->counts.open[LEVEL_RED] > before->open[LEVEL_RED] || l->counts.red_newest > before->red_newest ||
                            l->counts.overdue[LEVEL_RED] > before->overdue[LEVEL_RED]);
    l->red_unacknowledged = l->counts.red_waiting;
    if (fresh) {
        l->red_new = true;
        l->bells++;
        beep(); /* the terminal bell: a person at the desk may not be looking at the screen */
    }
}

/* What [retention] makes due for erasure, for a supervisor's home screen: counts only, from what is in clear.
 * It reads every client (about half a second at a million), and what is due changes by the day: once at
 * login, then hourly, always on a tick, never on a key. */
static void retention_check(app *a) {
    live_state *l = &a->live;
    int64_t now = clock_now();
    if (!a->s || !role_may(a->s->me.role, ACT_CLIENT_ERASE) || (l->retention_at && now - l->retention_at < 3600)) return;
    l->retention_at = now;
    retention_counts due;
    error err = {0};
    if (retention_due(a->db, a->e->cfg.draft_days, a->e->cfg.closed_years, now, &due, &err)) {
        l->retention_drafts = due.drafts;
        l->retention_clients = due.clients;
    }
}

void live_tick(app *a) {
    error err = {0};
    int escalated = 0;
    retention_check(a);
    /* overdue items are raised whoever is logged in (or no one): the queue must never wait for a login */
    if (!queues_tick(a->db, &a->e->queue, &escalated, &err)) app_message(a, true, "%s", err.msg);
    live_poll(a, escalated > 0);
}

void live_poll(app *a, bool force) {
    live_state *l = &a->live;
    error err = {0};
    int64_t v = 0, mine = 0;
    if (!db_change_marks(a->db, &v, &mine)) {
        /* e.g. the database file replaced under this desk (mv or cp over the path): the store refuses every
         * write from now on; the person must know why, and read it whole while the desk stays open (fifth
         * restore tryout: after a key it was one line cut at the terminal's width, what to do lost) */
        /* (a message of the moment, e.g. F3's "could NOT be saved", stays until the next key) */
        db_error(a->db, ST_IO, "the database cannot be read", &err);
        if (!l->unreadable || !a->message_fresh) app_message(a, true, "%s", err.msg);
        l->unreadable = true;
        return;
    }
    l->unreadable = false;
    if (l->known && v == l->change_counter && mine == l->local_changes && !force) return;
    bool first = !l->known;
    l->known = true;
    l->change_counter = v;
    l->local_changes = mine;
    /* a restore under this desk: what it saved before may be gone; it says so rather than let a "saved" on
     * its screen stand (meta restore_generation, counted up by `triage restore`) */
    int64_t generation = 0;
    if (!first && session_restored_since(a->s, &generation)) {
        /* the session writes nothing more (core refuses it: its key or role may not be the restored trail's);
         * the main loop logs it out and the login says why */
        l->restored_out = true;
        return;
    }
    queue_counts_rec before = l->counts;
    if (!queues_counts(a->db, &l->counts, &err)) app_message(a, true, "%s", err.msg);
    int others_before = l->red_drafts_others;
    const char *on_screen = a->s && a->in.active && a->in.w ? a->in.w->draft_id : NULL;
    if (!drafts_marked_red(a->db, on_screen, &l->red_drafts, &l->red_drafts_others, &err))
        app_message(a, true, "%s", err.msg);
    check_reds(a, &before, first);
    if (!first && l->red_drafts_others > others_before) { /* another desk's intake reached RED: the bell, as a new red item */
        l->bells++;
        beep();
    }
    /* the open screen reads its rows again before it is drawn */
    a->reload = true;
}

int live_banner(app *a, int y, int width) {
    live_state *l = &a->live;
    int late = l->counts.overdue[LEVEL_RED];
    /* the draft on this desk's screen is its worker's to see in the panel; locked, every one counts */
    bool intake_shown = a->screen == SCR_WIZARD || a->screen == SCR_REVIEW;
    int drafts = a->s && intake_shown ? l->red_drafts_others : l->red_drafts;
    if (l->red_unacknowledged == 0 && late == 0 && drafts == 0) return 0;
    char line[384];
    const char *to_do = a->s ? keyed("red_banner_key") : tr("red_banner_locked"); /* locked: log in first */
    /* waiting for a person first; else a red item whose evaluation (or acknowledgement) is late; else an
     * unsaved intake at RED, which no queue holds yet (home lists it). Both: the short words, so that what to
     * do still fits at 80 columns (twenty-fifth tryout: it was cut off) */
    bool both = drafts && (l->red_unacknowledged || late);
    if (both)
        snprintf(line, sizeof line, " %s (%d) + %d %s  %s ", tr(l->red_unacknowledged ? "red_banner_short" : "red_overdue_short"),
                 l->red_unacknowledged ? l->red_unacknowledged : late, drafts, tr("red_draft_also"), to_do);
    else if (l->red_unacknowledged)
        snprintf(line, sizeof line, " %s (%d)  %s ", tr("red_banner"), l->red_unacknowledged, to_do);
    else if (late) snprintf(line, sizeof line, " %s (%d)  %s ", tr("red_overdue_banner"), late, to_do);
    else snprintf(line, sizeof line, " %s (%d)  %s ", tr("red_draft_banner"), drafts, a->s ? tr("red_draft_key") : to_do);
    attron(theme(C_RED));
    mvhline(y, 0, ' ', width);
    attroff(theme(C_RED));
    draw_text(y, 1, width - 2, line, theme(C_RED));
    return 1;
}

void live_free(app *a) { memset(&a->live, 0, sizeof a->live); }

void live_logout(app *a) {
    a->live.retention_at = 0; /* the next supervisor to log in gets fresh counts */
    a->live.retention_drafts = a->live.retention_clients = 0;
}
