/* Home: the queues at a glance (counts per level, overdue marked), a red banner, shortcuts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "ui.h"

/* Unsaved drafts at a guarded level, any worker's (the core lists them): a client at risk sitting in no queue
 * is never out of sight of the desk. As a queue row: the level, initials, whose draft and when. */
static int draw_at_risk(app *a, int y, const layout *l, int room) {
    const home_screen *h = &a->home;
    int bottom = l->body.y + l->body.h;
    if (h->n_at_risk == 0 || y >= bottom) return y;
    draw_text(y++, 2, l->body.w - 4, tr("at_risk_title"), theme(C_TITLE));
    /* in the rows left above the keys, the highest level first (the core's order): what does not fit is counted on
     * the last row, never drawn under the keys (eight ORANGE rows put the RED one under them at 80x24: fourteenth
     * tryout); the first row is always drawn */
    int shown = h->n_at_risk;
    if (shown > room - 1) shown = room - 2 > 1 ? room - 2 : 1;
    for (int i = 0; i < shown && y < bottom; i++) {
        const draft_at_risk *d = &h->at_risk[i];
        char when[32] = "", lvl[128], line[400];
        time_t t = (time_t)d->updated_at;
        struct tm tm;
        if (localtime_r(&t, &tm)) strftime(when, sizeof when, "%m-%d %H:%M", &tm);
        text_fit(lvl, sizeof lvl, level_tr(d->level), 8);
        if (d->owed_form >= 0) { /* the level comes from a question left unanswered: say which, as the panel does */
            char title[64], level[32];
            form_short_title(a->e->forms.v[d->owed_form], title, sizeof title);
            snprintf(level, sizeof level, "%s", level_tr(d->level));
            snprintf(lvl, sizeof lvl, "%s \u00b7 %s %s%d%s", level, title, tr("owed_q"), d->owed_number, tr("owed_not_asked"));
        }
        /* an anonymous caller by the id the caller was given (the one to call back by and search for), not initials
         * and the draft's id */
        const char *who = d->caller_id[0] ? d->caller_id : d->initials;
        char id[16];
        snprintf(id, sizeof id, "%.8s", d->caller_id[0] ? "" : d->id);
        snprintf(line, sizeof line, "%s %-7s %s %s  %s%s%s%s%s", lvl, who, tr("at_risk_by"), d->staff, when, id[0] ? "  " : "", id,
                 d->mine ? "  " : "", d->mine ? keyed("at_risk_yours") : "");
        draw_text(y++, 4, l->body.w - 6, line, theme(level_color(d->level)) | A_BOLD);
    }
    if (shown < h->n_at_risk && y < bottom) {
        char more[160];
        snprintf(more, sizeof more, "%s %d %s", tr("home_mine_and"), h->n_at_risk - shown, tr("at_risk_more"));
        draw_text(y++, 4, l->body.w - 6, more, A_BOLD);
    }
    return y;
}

/* The drafts at risk are read when home opens and whenever the database changed (the live poll). */
static void home_load(app *a, const layout *l) {
    (void)l;
    home_screen *h = &a->home;
    free(h->at_risk);
    h->at_risk = NULL;
    h->n_at_risk = 0;
    error err = {0};
    if (a->s && !drafts_at_risk_list(a->s, a->e, &h->at_risk, &h->n_at_risk, &err)) app_message(a, true, "%s", err.msg);
    free(h->mine);
    h->mine = NULL;
    h->n_mine = 0;
    if (a->s && !drafts_mine_list(a->s, a->e, &h->mine, &h->n_mine, &err)) app_message(a, true, "%s", err.msg);
}

/* Whose a stored draft is and where it stopped, as home lists it. */
static void my_draft_whose_where(const app *a, const my_draft *d, char *who, size_t who_size, char *where, size_t where_size) {
    if (d->name[0]) snprintf(who, who_size, "%s", d->name);
    else snprintf(who, who_size, "%s %.6s", tr("anonymous"), d->id);
    if (d->form >= 0) {
        char title[64];
        form_short_title(a->e->forms.v[d->form], title, sizeof title);
        snprintf(where, where_size, "%s, %s %d %s %d", title, tr("question"), d->number, tr("of"), d->count);
    } else {
        snprintf(where, where_size, "%s", tr("at_review"));
    }
}

/* Every unfinished intake of this worker when there are two or more (a second one hid the first: tryout): whose,
 * when, where it stopped, numbered for r (or x) and a digit, in at most `room` rows: when they do not fit, the
 * last row says how many more and that r lists them (five drafts pushed the at-risk list and the keys off an
 * 80x24 home: tryout). While picking, every one is listed. Returns the next row. */
static int draw_mine(app *a, int y, const layout *l, int room) {
    const home_screen *h = &a->home;
    if (h->n_mine < 2) return y;
    if (!h->picking && room < 2) { /* no room for the list under the drafts at risk: one line says they are there */
        char line[256];
        snprintf(line, sizeof line, "%s %d  %s", tr("new_drafts_label"), h->n_mine, keyed("home_mine_list"));
        draw_text(y++, 4, l->body.w - 6, line, A_BOLD);
        return y;
    }
    const char *head = !h->picking ? "home_mine" : h->picking_discard ? "home_mine_pick_discard" : "home_mine_pick";
    draw_text(y++, 4, l->body.w - 6, keyed(head), h->picking ? theme(C_TITLE) : A_BOLD);
    /* while picking, nine to a page: r (or PgDn) turns the page (past nine, no digit reached a draft: fifteenth
     * tryout); otherwise the first nine */
    int first = h->picking ? h->pick_page * 9 : 0;
    int listed = h->n_mine - first < 9 ? h->n_mine - first : 9;
    int shown = listed;
    if (!h->picking && listed > room - 1) shown = room - 2 > 0 ? room - 2 : 0; /* one row left for "and N more" */
    for (int i = 0; i < shown; i++) {
        const my_draft *d = &h->mine[first + i];
        char when[32] = "", who[128], where[160] = "", line[512];
        time_t t = (time_t)d->updated_at;
        struct tm tm;
        if (localtime_r(&t, &tm)) strftime(when, sizeof when, "%m-%d %H:%M", &tm);
        my_draft_whose_where(a, d, who, sizeof who, where, sizeof where);
        bool guarded = draft_level_guarded(d->level);
        /* every line with its level: kept copies of one client looked alike (twelfth tryout) */
        snprintf(line, sizeof line, "%d  %s %s · %s · %s", i + 1, level_tr(d->level), who, when, where);
        draw_text(y++, 6, l->body.w - 8, line, guarded ? theme(level_color(d->level)) | A_BOLD : A_NORMAL);
    }
    if (shown < listed || (!h->picking && h->n_mine > listed)) {
        char more[160];
        snprintf(more, sizeof more, "%s %d %s", tr("home_mine_and"), h->n_mine - shown, keyed("home_mine_more"));
        draw_text(y++, 6, l->body.w - 8, more, A_NORMAL);
    } else if (h->picking && h->n_mine > 9) { /* the page, and how to turn it */
        char more[160];
        bool last = first + listed >= h->n_mine; /* the next turn goes round to the first page: said so */
        snprintf(more, sizeof more, "%d-%d / %d  %s", first + 1, first + listed, h->n_mine,
                 keyed(last ? "home_mine_page_first" : "home_mine_page"));
        draw_text(y++, 6, l->body.w - 8, more, A_BOLD);
    }
    return y;
}

/* One of home's key lines at row *y, when it is above `last` (the help line's row): never over the footer. */
static void key_line(int *y, int last, const layout *l, const char *text, attr_t at) {
    if (*y >= last) return;
    draw_text((*y)++, 4, l->body.w - 6, text, at);
}

/* Home's keys, in the order they are shown: only what the permission table lets this role use. */
static int home_keys(const app *a, const char **out) {
    staff_role me = a->s ? a->s->me.role : ROLE_COUNT;
    int n = 0;
    out[n++] = keyed("home_queues");
    out[n++] = keyed("home_records");
    if (role_may(me, ACT_REPORT)) out[n++] = keyed("home_reports");
    if (role_may(me, ACT_ROSTER_MANAGE)) out[n++] = keyed("home_roster");
    if (role_may(me, ACT_STAFF_MANAGE)) out[n++] = keyed("home_staff");
    return n;
}

#define HOME_KEY_GAP 6 /* the spaces between two keys on one row */

/* Draws the keys packed several to a row where they fit (one to a row they pushed a supervisor's roster and staff
 * keys off an 80x24 home under a list of drafts: thirteenth tryout), from row y while above `last`; with paint
 * false only counts. Returns the rows taken. */
static int key_rows_packed(const app *a, int y, int last, const layout *l, bool paint) {
    const char *keys[8];
    /* as wide as at 80 columns at most: a wider screen gets the same rows (five keys on one 120-column row read as
     * one long line, and the help window cut it in two) */
    int n = home_keys(a, keys), width = l->body.w - 6 < 74 ? l->body.w - 6 : 74, rows = 0;
    for (int i = 0; i < n;) {
        char row[512] = "";
        int used = 0, j = i;
        while (j < n) {
            int w = text_width(keys[j]) + (j > i ? HOME_KEY_GAP : 0);
            if (j > i && used + w > width) break;
            size_t at = strlen(row);
            snprintf(row + at, sizeof row - at, "%*s%s", j > i ? HOME_KEY_GAP : 0, "", keys[j]);
            used += w;
            j++;
        }
        if (paint && y + rows < last) draw_text(y + rows, 4, width, row, A_NORMAL);
        rows++;
        i = j;
    }
    return rows;
}

/* The rows home's keys take below this worker's drafts list (they must fit under it at 80x24). */
static int home_key_rows(const app *a, const layout *l) {
    staff_role me = a->s ? a->s->me.role : ROLE_COUNT;
    int rows = 1 + key_rows_packed(a, 0, 0, l, false); /* the keys, then help */
    if (a->home.n_mine >= 2) rows++;
    if (role_may(me, ACT_CLIENT_ERASE) && (a->live.retention_drafts || a->live.retention_clients)) rows += 2;
    return rows;
}

static void home_leave(app *a) {
    free(a->home.mine);
    a->home.mine = NULL;
    a->home.n_mine = 0;
    a->home.picking = false;
    free(a->home.at_risk);
    a->home.at_risk = NULL;
    a->home.n_at_risk = 0;
}

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
    if (a->home.picking) { /* r or x, then a number: the numbered list alone, every row of it in sight at 80x24 */
        int bottom = l->body.y + l->body.h;
        draw_mine(a, y, l, bottom - y - 1);
        draw_text(bottom - 1, 4, l->body.w - 6, keyed("home_help"), A_NORMAL);
        return;
    }
    draw_text(y++, 4, l->body.w - 6, keyed("home_new"), A_NORMAL);
    if (a->e->plan.n_hotline) draw_text(y++, 4, l->body.w - 6, keyed("home_hotline"), A_NORMAL);
    /* whose, and where it stopped: r goes back to that very question. The open intake, else this worker's one
     * stored draft (saving or discarding one of two left the other without a line: r worked, unsaid; tryout) */
    bool one_stored = !a->in.active && a->home.n_mine == 1;
    if (a->home.n_mine >= 2) { /* r asks which (it said "Resume the unfinished intake" of one: tryout) */
        if (a->in.active) draw_text(y++, 4, l->body.w - 6, keyed("home_resume_pick"), A_BOLD);
    } else if (a->in.active || one_stored) {
        char who[256], where[160], line[600];
        risk_level lv;
        if (one_stored) {
            my_draft_whose_where(a, &a->home.mine[0], who, sizeof who, where, sizeof where);
            lv = a->home.mine[0].level;
        } else {
            intake_whose(a, who, sizeof who);
            intake_where(a, where, sizeof where);
            lv = draft_level_now(a->in.w);
        }
        bool guarded = draft_level_guarded(lv); /* a client at risk in no queue: the level first, in its colour */
        snprintf(line, sizeof line, "%s %s%s%s (%s)", keyed("home_resume"), guarded ? level_tr(lv) : "", guarded ? " " : "", who, where);
        /* wrapped, never cut: "(PHQ-9, Questi" at 80x24 once hid where it stopped (twelfth tryout) */
        y += draw_wrapped_hanging(y, 4, l->body.w - 6, 2, line, guarded ? theme(level_color(lv)) | A_BOLD : A_BOLD);
        if (a->home.n_mine < 2) draw_text(y++, 4, l->body.w - 6, keyed("home_discard"), A_NORMAL);
    }
    /* the drafts at risk (any worker's) before this worker's own list, which gets only the rows left above the
     * keys: a red draft of another worker is never pushed off the screen */
    /* the rows the keys below take, and one for the worker's own drafts when listed */
    int keys_below = home_key_rows(a, l) + (a->home.n_mine >= 2 ? 1 : 0);
    y = draw_at_risk(a, y, l, l->body.y + l->body.h - y - keys_below);
    int bottom = l->body.y + l->body.h;
    /* while picking, the list takes every row down to the help line (the keys between wait: any key ends it) */
    y = draw_mine(a, y, l, bottom - y - (a->home.picking ? 1 : home_key_rows(a, l)));
    int last = bottom - 1; /* the help line's row at the lowest: nothing drawn over the footer */
    if (a->home.n_mine >= 2) key_line(&y, last, l, keyed("home_discard_pick"), A_NORMAL);
    y += key_rows_packed(a, y, last, l, true);
    if (y > last) y = last;
    staff_role me = a->s ? a->s->me.role : ROLE_COUNT;
    if (role_may(me, ACT_CLIENT_ERASE)) {
        if (a->live.retention_drafts || a->live.retention_clients) {
            char line[256];
            snprintf(line, sizeof line, "%s %d %s, %d %s", tr("retention_due"), a->live.retention_drafts, tr("retention_drafts"),
                     a->live.retention_clients, tr("retention_clients"));
            if (y < last) y++;
            key_line(&y, last, l, line, theme(C_TITLE));
        }
    }
    draw_text(y < last ? y : last, 4, l->body.w - 6, keyed("home_help"), A_NORMAL);
}

/* x on a stored draft: it is opened (as r would, staying on home) so that the question names it, its level and
 * where it stopped, and a guarded level asks for the typed word; declined, it stays the open intake. */
static reaction ask_discard_id(app *a, const char *id) {
    char want[STORE_ID_LEN];
    snprintf(want, sizeof want, "%s", id);
    a->in.peek = true; /* not saved again by being asked about (intake_state) */
    (void)intake_resume_id(a, want); /* the screen stays home: only the question follows */
    a->in.peek = false;
    if (!a->in.active || strcmp(a->in.w->draft_id, want) != 0) return react(RE_REDRAW); /* its message says why */
    a->message[0] = '\0';                                                              /* not "resumed" */
    return react(RE_ASK_DISCARD);
}

/* The search for a client: to start an intake, or to open a record. */
static reaction open_find(app *a, bool for_record) {
    a->find.for_record = for_record;
    return switch_to(SCR_FIND);
}

static reaction home_handle(app *a, const event *ev, ui_action act) {
    home_screen *h = &a->home;
    /* while "n again" is asked, a name typed straight after n is no keys of home's: its e opened the queues and its a
     * acknowledged a RED client nobody had seen, its R resumed the draft and the rest became an answer (twenty-fourth
     * tryout). Only the same key again (below), Esc (withdraws it), and the function keys act; the rest is held back,
     * said. The clock's tick does nothing to it (it withdrew it a second later: tryout). */
    if (h->new_confirm && (ev->kind == EV_KEY || ev->kind == EV_CHAR) && (act != h->new_confirm_act || h->new_held)) {
        bool fkey = ev->kind == EV_KEY && ev->key >= KEY_F(1) && ev->key <= KEY_F(12);
        if (act == UA_BACK) {
            h->new_confirm = h->new_held = false;
            a->message[0] = '\0';
            return react(RE_REDRAW);
        }
        if (!fkey && act != UA_REDRAW) { /* the n of "Chen" is held too, once another key came first */
            h->new_held = true;
            app_message(a, true, "%s", keyed(h->new_confirm_act == UA_HOTLINE ? "new_held_hotline" : "new_held"));
            return react(RE_REDRAW);
        }
        h->new_confirm = h->new_held = false;
    }
    if (h->picking && (ev->kind == EV_KEY || ev->kind == EV_CHAR)) { /* r or x, then the number of one of them */
        bool turn = act == UA_RESUME || act == UA_DISCARD || act == UA_PAGE_DOWN || act == UA_NEXT;
        bool back = act == UA_PAGE_UP || act == UA_PREV;
        int pages = (h->n_mine + 8) / 9;
        if ((turn || back) && h->n_mine > 9) { /* the next (or previous) page of nine, round to the first (last) */
            h->pick_page = (h->pick_page + (back ? pages - 1 : 1)) % pages;
            return react(RE_REDRAW);
        }
        bool discard = h->picking_discard;
        int page = h->pick_page;
        h->picking = h->picking_discard = false;
        h->pick_page = 0;
        /* the digit as typed: home binds no digit otherwise (its help lists only its own keys) */
        int picked = ev->kind == EV_CHAR && ev->ch >= L'1' && ev->ch <= L'9' ? page * 9 + (int)(ev->ch - L'1') : -1;
        if (picked >= 0 && picked < h->n_mine) {
            char id[STORE_ID_LEN];
            memcpy(id, h->mine[picked].id, sizeof id);
            return discard ? ask_discard_id(a, id) : intake_resume_id(a, id);
        }
        return react(RE_REDRAW); /* any other key: not picked */
    }
    switch (act) {
    case UA_QUEUES: return switch_to(SCR_QUEUE);
    case UA_RECORDS: return open_find(a, true);
    case UA_ROSTER: return switch_to(SCR_ROSTER);
    case UA_STAFF: return switch_to(SCR_STAFF);
    case UA_REPORTS: return switch_to(SCR_REPORT);
    case UA_NEW:
    case UA_HOTLINE:
        /* the intake in memory went at another desk, its answers in no draft: kept or left first (a second n
         * dropped them) */
        intake_drop_if_all_saved(a); /* nothing of it to keep: not asked */
        if (a->in.active && a->in.gone && a->in.w->stage != WZ_SAVED) return react(RE_ASK_GONE);
        if (a->in.active && a->in.w->stage != WZ_SAVED && !h->new_confirm) {
            /* an unfinished intake (perhaps a caller at risk) is never set aside by one key: say whose and at
             * what level, and take a second n as the decision (the unfinished one stays saved as a draft) */
            static const char *const lv[LEVEL_COUNT] = {"level_green", "level_yellow", "level_orange", "level_red"};
            const char *name = intake_display_name(a);
            app_message(a, true, "%s %s (%s)%s%s", tr("new_draft_label"), name[0] ? name : "?", tr(lv[a->in.w->level]),
                        tr("p_stop"), keyed(act == UA_HOTLINE ? "new_draft_rest_hotline" : "new_draft_rest"));
            h->new_confirm = true;
            h->new_held = false;
            h->new_confirm_act = act;
            return react(RE_REDRAW);
        }
        if (h->n_mine > 0 && !h->new_confirm) {
            /* the same question with the unfinished intakes stored and none open: n started the search at once
             * there and asked only with one open, so "n n" typed its second n into the search (thirteenth
             * tryout); asked always, n n is one habit */
            risk_level top = LEVEL_GREEN;
            for (int i = 0; i < h->n_mine; i++)
                if (h->mine[i].level > top) top = h->mine[i].level;
            app_message(a, true, "%s %d%s%s %s%s%s", tr("new_drafts_label"), h->n_mine, tr("p_comma"), tr("new_drafts_highest"),
                        level_tr(top), tr("p_stop"), keyed(act == UA_HOTLINE ? "new_drafts_rest_hotline" : "new_drafts_rest"));
            h->new_confirm = true;
            h->new_held = false;
            h->new_confirm_act = act;
            return react(RE_REDRAW);
        }
        h->new_confirm = false;
        return act == UA_HOTLINE ? intake_begin_hotline(a) : open_find(a, false);
    case UA_RESUME:
        if (h->n_mine >= 2) { /* which one: each is listed with whose it is, when, and where it stopped */
            h->picking = true;
            return react(RE_REDRAW);
        }
        if (a->in.active) return intake_resume_open(a);
        return h->n_mine == 1 ? intake_resume_id(a, h->mine[0].id) : react(RE_REDRAW);
    case UA_DISCARD:
        /* a copy in memory that another desk changed since (all of it saved before): not what is stored, so the
         * question would name its level, not the stored draft's (ORANGE for a RED call: fifteenth tryout) */
        intake_drop_if_all_saved(a);
        if (h->n_mine >= 2) { /* which one, as r asks: x discarded the open (newest) one whichever was meant */
            h->picking = h->picking_discard = true;
            return react(RE_REDRAW);
        }
        if (!a->in.active && h->n_mine == 1) return ask_discard_id(a, h->mine[0].id);
        return react(a->in.active ? RE_ASK_DISCARD : RE_REDRAW);
    /* asked first with an intake open, or with a RED client waiting for a person: quitting takes the alert off this
     * desk (q pressed after one Esc too many closed the program over two RED alerts: thirty-fifth receptionist) */
    case UA_QUIT: return react(a->in.active || a->live.red_unacknowledged > 0 ? RE_ASK_QUIT : RE_QUIT);
    case UA_BACK: /* nothing behind the front desk: say how to leave it rather than do nothing */
        app_message(a, false, "%s", keyed("home_back"));
        return react(RE_REDRAW);
    default: return react(RE_REDRAW);
    }
}

const screen_ops home_ops = {"home", NULL, home_load, home_draw, home_handle, home_leave, NULL};
