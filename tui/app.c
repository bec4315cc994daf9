/* The event loop: one event, one handler, one redraw. Handlers change state; only the loop draws. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "secret.h"
#include "ui.h"

static long long monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void app_message(app *a, bool error, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->message, sizeof a->message, fmt, ap);
    va_end(ap);
    a->message_error = error;
}

static void draw_frame(app *a, const layout *l) {
    attr_t bar = theme(C_HILITE);
    attron(bar);
    mvhline(l->header.y, 0, ' ', l->header.w);
    attroff(bar);
    int x = 1 + draw_text(0, 1, 20, tr("app"), bar | A_BOLD);
    if (a->demo) x += 2 + draw_text(0, x + 2, 16, tr("demo"), theme(C_DEMO));
    if (a->s) {
        char who[128];
        snprintf(who, sizeof who, "%s (%s)", a->s->me.name, staff_role_name(a->s->me.role));
        draw_text(0, l->header.w - text_width(who) - 1, text_width(who), who, bar);
    }
    (void)x;
    mvhline(l->footer.y, 0, ' ', l->footer.w);
    if (a->message[0])
        draw_text(l->footer.y, 1, l->footer.w - 2, a->message, a->message_error ? theme(C_ERROR) : theme(C_TITLE));
}

static void draw(app *a) {
    erase();
    layout l = layout_for(LINES, COLS);
    if (l.too_small) {
        draw_wrapped(LINES / 2, 1, COLS - 2, 3, tr("too_small"), theme(C_ERROR));
        refresh();
        return;
    }
    draw_frame(a, &l);
    switch (a->screen) {
    case SCR_LOGIN: login_draw(a, &l); break;
    case SCR_HOME: home_draw(a, &l); break;
    case SCR_QUEUE: queue_draw(a, &l); break;
    case SCR_RECORD: record_draw(a, &l); break;
    case SCR_ROSTER: roster_draw(a, &l); break;
    case SCR_STAFF: staff_draw(a, &l); break;
    case SCR_REPORT: report_draw(a, &l); break;
    default: intake_draw(a, &l); break;
    }
    if (a->screen != SCR_LOGIN) live_banner(a, l.body.y, l.body.w);
    if (a->help) help_draw(a, &l);
    if (a->quit_confirm) {
        int w = l.body.w - 8;
        mvhline(l.body.y + l.body.h / 2, 4, ' ', w);
        draw_text(l.body.y + l.body.h / 2, 5, w - 2, tr("quit_confirm"), theme(C_HILITE));
    }
    refresh();
}

/* Closes whatever record, queue page, roster or staff list is open (they hold opened names and reasons). */
static void leave_screens(app *a) {
    if (a->screen == SCR_RECORD || a->rec.open) record_close(a);
    queue_leave(a);
    roster_leave(a);
    staff_leave(a);
    report_leave(a);
}

/* Locks after inactivity: the unfinished intake is kept as a sealed draft, the keys are wiped. */
static void idle_check(app *a) {
    if (!a->s || a->idle_minutes <= 0) return;
    if (clock_now() - a->last_key < (int64_t)a->idle_minutes * 60) return;
    if (a->w_active) intake_autosave(a);
    if (a->w_active) {
        wizard_free(a->w);
        a->w_active = false;
    }
    leave_screens(a); /* nothing opened stays on the screen of a locked desk */
    live_logout(a);
    session_end(a->s);
    a->s = NULL;
    a->screen = SCR_LOGIN;
    a->help = a->quit_confirm = false;
    secret_wipe(a->login_pass, sizeof a->login_pass);
    app_message(a, false, "%s", tr("idle_locked"));
}

/* Whether a text field takes printable characters on the current screen. */
static bool typing_now(const app *a) {
    switch (a->screen) {
    case SCR_LOGIN: return true;
    case SCR_FIND: return a->picked == -3;
    case SCR_SUMMARY: return a->declining;
    case SCR_QUEUE: return queue_typing(a);
    case SCR_ROSTER: return roster_typing(a);
    case SCR_STAFF: return staff_typing(a);
    case SCR_REPORT: return report_typing(a);
    case SCR_WIZARD:
        return a->w_active && a->w->stage == WZ_QUESTIONS && !wizard_needs_safety_steps(a->w) &&
               !form_item_scale(wizard_form(a->w), a->w->item);
    default: return false;
    }
}

static void handle(app *a, const event *ev) {
    if (ev->kind == EV_KEY || ev->kind == EV_CHAR) a->last_key = clock_now();
    /* while the screen only asks for a larger terminal, no key acts: an answer or a safety acknowledgement must
     * never be given to a question nobody can see (found by the receptionist's tryout) */
    if ((ev->kind == EV_KEY || ev->kind == EV_CHAR) && layout_for(LINES, COLS).too_small) return;
    if (a->help) {
        if (ev->kind == EV_KEY || ev->kind == EV_CHAR) a->help = false;
        return;
    }
    if (a->quit_confirm) {
        if (ev->kind == EV_CHAR && (ev->ch == L'y' || ev->ch == L'Y')) a->quit = true;
        else if (ev->kind == EV_CHAR || ev->kind == EV_KEY) a->quit_confirm = false;
        return;
    }
    ui_action act = key_action_for(a->screen, typing_now(a), ev); /* every key goes through the key table */
    if (act == UA_HELP) {
        a->help = true;
        return;
    }
    if (act == UA_REDRAW) {
        clearok(curscr, TRUE);
        return;
    }
    switch (a->screen) {
    case SCR_LOGIN: login_handle(a, ev, act); break;
    case SCR_HOME: home_handle(a, ev, act); break;
    case SCR_QUEUE: queue_handle(a, ev, act); break;
    case SCR_RECORD: record_handle(a, ev, act); break;
    case SCR_ROSTER: roster_handle(a, ev, act); break;
    case SCR_STAFF: staff_handle(a, ev, act); break;
    case SCR_REPORT: report_handle(a, ev, act); break;
    default: intake_handle(a, ev, act); break;
    }
}

int run_tui(engine *e, database *db, const char *user, bool headless, bool no_color, bool demo) {
    char err[512];
    const char *script = getenv("TRIAGE_SCRIPT");
    if (script && *script && !input_open_script(script, err, sizeof err)) {
        fprintf(stderr, "triage: %s\n", err);
        return 2;
    }
    if (!term_start(headless || (script && *script), no_color, err, sizeof err)) {
        fprintf(stderr, "triage: %s\n", err);
        return 1;
    }
    static app a;
    memset(&a, 0, sizeof a);
    a.e = e;
    a.db = db;
    db->row_policy = &e->queue;
    a.demo = demo;
    a.idle_minutes = e->cfg.idle_lock_minutes;
    a.w = calloc(1, sizeof *a.w);
    a.last_key = clock_now();
    ui_set_lang(e->cfg.ui_lang);
    if (user) snprintf(a.login_name, sizeof a.login_name, "%s", user);
    a.login_field = user ? 1 : 0;
    a.screen = SCR_LOGIN;
    if (demo) app_message(&a, false, "DEMO DATA: users demo (supervisor) and desk (reception), passphrase demo-passphrase");
    /* make bench: TRIAGE_TIMING=FILE records how long each key takes from arriving to the refreshed
     * screen (two clock reads per key; nothing else changes) */
    const char *timing_path = getenv("TRIAGE_TIMING");
    FILE *timing = timing_path && *timing_path ? fopen(timing_path, "w") : NULL;
    live_tick(&a);
    live_poll(&a, true);
    draw(&a);
    while (!a.quit && a.w) {
        event ev = input_next();
        if (ev.kind == EV_QUIT) break;
        long long t0 = timing ? monotonic_ns() : 0;
        screen_id on = a.screen;
        if (ev.kind == EV_TICK) {
            idle_check(&a);
            live_tick(&a); /* overdue escalation, other desks' changes, a new red item */
        }
        handle(&a, &ev);
        if (ev.kind != EV_TICK) live_poll(&a, false); /* this desk's own saves: counts and pages follow at once */
        draw(&a);
        if (timing && (ev.kind == EV_KEY || ev.kind == EV_CHAR))
            fprintf(timing, "key %d %lld\n", (int)on, monotonic_ns() - t0);
    }
    if (timing) fclose(timing);
    if (a.w_active) intake_autosave(&a); /* nothing entered is ever lost */
    if (a.w) {
        wizard_free(a.w);
        free(a.w);
    }
    client_list_free(a.found, a.n_found);
    leave_screens(&a);
    live_free(&a);
    session_end(a.s);
    secret_wipe(a.login_pass, sizeof a.login_pass);
    term_stop();
    return 0;
}
