/* The event loop: one event, one handler, one reaction, one load, one draw. Each screen is a row of operations
 * (enter, load, draw, handle, leave, as tig's view ops); handlers return what must happen (htop's reactions) and
 * only the loop switches screens, reads the database for a screen (load) and draws. */
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

void app_message(app *a, bool is_error, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->message, sizeof a->message, fmt, ap);
    va_end(ap);
    denied_tr(a->message, sizeof a->message); /* the core's refusals, in the staff language */
    a->message_error = is_error;
    a->message_fresh = true;
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
        snprintf(who, sizeof who, "%s (%s)", a->s->me.name, role_tr(a->s->me.role));
        draw_text(0, l->header.w - text_width(who) - 1, text_width(who), who, bar);
    }
    (void)x;
    mvhline(l->footer.y, 0, ' ', l->footer.w);
    /* a message already seen (a key was pressed since): one line, under whatever the screen draws there */
    if (a->message[0] && !a->message_fresh)
        draw_text(l->footer.y, 1, l->footer.w - 2, a->message, a->message_error ? theme(C_ERROR) : theme(C_TITLE));
}

/* A new message, drawn after the screen until the next key: one wider than the footer wraps upward over the
 * bottom of the screen (up to MESSAGE_LINES lines) rather than being cut at the terminal's width (a
 * replaced-file refusal takes five lines at 80 columns, and its last words say what to do). After a key it
 * is one line again (draw_frame), so that a prompt the key opened at the bottom is not covered. */
enum { MESSAGE_LINES = 16 }; /* a moved-over file's steps take 13 lines at 80 columns */
/* How many rows at the foot of the screen a new message takes (0: none, or one already seen). */
static int message_rows(const app *a, const layout *l) {
    if (!a->message[0] || !a->message_fresh) return 0;
    int n = wrapped_lines(l->footer.w - 2, a->message);
    int room = l->footer.y - l->header.y - 1;
    if (n > MESSAGE_LINES) n = MESSAGE_LINES;
    /* over the safety steps, one line: a five-line message hid the steps' last lines and the line saying Enter
     * acknowledges them at 80x24 (twelfth tryout) */
    bool steps = (a->screen == SCR_WIZARD || a->screen == SCR_REVIEW) && a->in.active && wizard_needs_safety_steps(a->in.w);
    if (steps) n = 1;
    if (n > room) n = room;
    return n < 1 ? 1 : n;
}

static void draw_message(app *a, const layout *l) {
    int n = message_rows(a, l), width = l->footer.w - 2;
    if (!n) return;
    int y = l->footer.y - n + 1;
    for (int i = 0; i < n; i++) mvhline(y + i, 0, ' ', l->footer.w);
    draw_wrapped(y, 1, width, n, a->message, a->message_error ? theme(C_ERROR) : theme(C_TITLE));
}

/* One table of screen operations, indexed by screen id: no screen falls through to another's code. */
static const screen_ops *const all_screens[SCR_COUNT] = {
    [SCR_LOGIN] = &login_ops,   [SCR_HOME] = &home_ops,     [SCR_FIND] = &find_ops,       [SCR_LANG] = &lang_ops,
    [SCR_WIZARD] = &wizard_ops, [SCR_REVIEW] = &review_ops, [SCR_SUMMARY] = &summary_ops, [SCR_QUEUE] = &queue_ops,
    [SCR_RECORD] = &record_ops, [SCR_ROSTER] = &roster_ops, [SCR_STAFF] = &staff_ops,     [SCR_REPORT] = &report_ops,
};

const screen_ops *screen_ops_of(screen_id s) { return all_screens[s < SCR_COUNT ? s : SCR_HOME]; }

/* Reads what the open screen shows, when it changed: before the draw, never inside it. */
static void load(app *a) {
    layout l = layout_for(LINES, COLS);
    const screen_ops *ops = screen_ops_of(a->screen);
    if (!a->reload || l.too_small) return; /* a screen too small shows no data: it loads once it is drawn */
    a->reload = false;
    if (ops->load) ops->load(a, &l);
}

/* A discard that takes the typed word: a client at risk (the core says which levels). */
static bool discard_guarded(const app *a) { return a->in.active && draft_level_guarded(draft_level_now(a->in.w)); }

/* The yes/no question over the screen, wrapped whole. */
static void draw_question_box(app *a, const layout *l) {
    char text[768];
    if (a->ask == ASK_DISCARD) {
        /* whose, where, and at what level: a red or orange draft is a client at risk in no queue, and its
         * discard takes a typed word, never one stray key (the core says which levels are guarded) */
        char who[256], where[160];
        intake_whose(a, who, sizeof who);
        intake_where(a, where, sizeof where);
        risk_level lv = draft_level_now(a->in.w);
        bool guarded = discard_guarded(a);
        /* a draft saved moments ago at another desk may be open there: said (one y threw away a colleague's live
         * work unwarned; that desk keeps its answers all the same: sixteenth tryout) */
        snprintf(text, sizeof text, "%s %s (%s)%s%s%s%s%s%s%s%s%s", tr("discard_ask"), who, where, tr("p_stop"), tr("level"),
                 tr("p_colon"), level_tr(lv), tr("p_stop"), a->in.open_elsewhere ? tr("discard_open_elsewhere") : "",
                 keyed(guarded ? "discard_ask_guarded" : "discard_ask_rest"), guarded ? "  > " : "",
                 guarded ? a->ask_typed : "");
    } else if (a->ask == ASK_GONE) {
        /* this desk's answers at red or orange are not left with one key (q then y dropped a red caller's: eleventh
         * tryout); they are kept or the intake stays */
        risk_level lv = draft_level_now(a->in.w);
        snprintf(text, sizeof text, "%s %s %s%s%s", keyed("gone_ask"), tr("gone_level"), level_tr(lv), tr("p_stop"),
                 keyed(draft_level_guarded(lv) ? "gone_ask_guarded" : "gone_ask_rest"));
    } else if (!a->in.active) { /* no intake: a RED client waits for a person */
        char n[16];
        snprintf(n, sizeof n, "%d", a->live.red_unacknowledged);
        snprintf(text, sizeof text, "%s%s%s%s", tr("quit_red"), n, tr("quit_red_n"), tr("quit_yes_no"));
    } else {
        char who[256], risk[160] = "";
        intake_whose(a, who, sizeof who);
        /* and its own level when at risk: a RED intake one save from the queue said nothing of it (tryout 19) */
        risk_level lv = draft_level_now(a->in.w);
        if (draft_level_guarded(lv)) snprintf(who + strlen(who), sizeof who - strlen(who), " \u00b7 %s", level_tr(lv));
        if (a->home.n_at_risk > 0)
            snprintf(risk, sizeof risk, "%s%d%s", tr("quit_at_risk"), a->home.n_at_risk, tr("quit_at_risk_n"));
        snprintf(text, sizeof text, "%s%s%s%s%s", tr("quit_whose"), who, tr("quit_kept"), risk, tr("quit_yes_no"));
    }
    /* over an intake, in the question's part of the screen: the live panel (its level above all) stays in sight
     * while the desk decides (the box hid the panel's top lines at 80x24: thirteenth tryout) */
    bool intake = a->screen == SCR_WIZARD || a->screen == SCR_REVIEW;
    rect area = intake ? l->question : l->body;
    int w = area.w - 8, lines = wrapped_lines(w - 2, text), y = area.y + area.h / 2;
    /* on the front desk, at its foot, over the keys the question replaces: the drafts at risk above it stay in sight
     * (a question in the middle hid the ORANGE row as the worker was about to quit: seventeenth tryout) */
    /* over an intake likewise: in the question's middle it hid ASQ question 5's answers at 80x24 and a line of the
     * safety steps (twenty-first tryout). Beside the panel, over the question's keys; with the panel below the
     * question (80x24), inside the panel's border at its foot, over the counselors, above a new message: under its
     * level it hid the reason's plain words, "Stay on the line..." (twenty-second tryout) */
    if (a->screen == SCR_HOME || intake) y = area.y + area.h - lines;
    if (intake && l->panel.x == 0 && l->panel.h > 6) {
        int bottom = l->panel.y + l->panel.h - 1, msg = l->footer.y - message_rows(a, l) + 1; /* rows below: out */
        if (msg < bottom) bottom = msg;
        area = (rect){l->panel.y + 2, l->panel.x + 1, bottom - (l->panel.y + 2), l->panel.w - 2};
        w = area.w - 8;
        lines = wrapped_lines(w - 2, text);
        y = area.y + area.h - lines;
    }
    if (y + lines > area.y + area.h) y = area.y + area.h - lines;
    if (y < area.y + 1) y = area.y + 1;
    /* the rows cleared first: the screen's text beside the box ("y:  of", a stray "(" at the right edge at 80x24:
     * tryout) read as part of the question */
    for (int r = 0; r < lines; r++) mvhline(y + r, area.x, ' ', area.w);
    attron(theme(C_HILITE));
    for (int r = 0; r < lines; r++) mvhline(y + r, area.x + 4, ' ', w);
    attroff(theme(C_HILITE));
    draw_wrapped(y, area.x + 5, w - 2, lines, text, theme(C_HILITE));
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
    screen_ops_of(a->screen)->draw(a, &l);
    /* beside the live panel the banner stays over the question, so that the panel keeps its border and title */
    bool beside = (a->screen == SCR_WIZARD || a->screen == SCR_REVIEW) && l.panel.x > 0;
    /* and over the login, a desk locked while idle or logged out: a red client waits whoever is at the desk
     * (twenty-third tryout: a hotline desk locked at night hid it; twenty-fifth: so did one logged out with F4);
     * counts only, no one named */
    live_banner(a, l.body.y, beside ? l.question.w : l.body.w);
    draw_message(a, &l);
    if (a->help) help_draw(a, &l);
    if (a->ask != ASK_NONE) draw_question_box(a, &l);
    refresh();
}

/* Closes every screen that may hold something opened (names, reasons, the record under the queue). */
static void leave_screens(app *a) {
    for (int s = 0; s < SCR_COUNT; s++)
        if (all_screens[s]->leave) all_screens[s]->leave(a);
}

/* Does what a handler asked: the only place that changes the screen. */
static void apply(app *a, reaction r) {
    const screen_ops *from = screen_ops_of(a->screen), *to = screen_ops_of(r.to);
    switch (r.kind) {
    case RE_REDRAW: return;
    case RE_REPAINT: clearok(curscr, TRUE); return;
    case RE_RELOAD: a->reload = true; return;
    case RE_QUIT: a->quit = true; return;
    case RE_ASK_QUIT: a->ask = ASK_QUIT; return;
    case RE_ASK_DISCARD:
        a->ask = ASK_DISCARD;
        a->ask_typed[0] = '\0';
        return;
    case RE_ASK_GONE: a->ask = ASK_GONE; return;
    case RE_SWITCH:
    case RE_OPEN:
        if (r.to == a->screen) { /* the same screen again: read it again */
            a->reload = true;
            return;
        }
        if (to->enter && !to->enter(a)) return; /* refused (its message says why): stay */
        if (r.kind == RE_SWITCH && from->leave) from->leave(a);
        break;
    case RE_RETURN:
        if (from->leave) from->leave(a);
        break;
    }
    /* a message belongs to the screen it was said on ("denied", "Done: assign"), unless the event that
     * leads to the next screen said it ("Unfinished intake resumed") */
    if (!a->message_fresh) a->message[0] = '\0';
    a->screen = r.to;
    a->reload = true;
}

/* Ends the session: the unfinished intake is kept as a sealed draft, whatever was opened is closed, the keys
 * are wiped; the login screen says why. */
static void logout(app *a, const char *why) {
    char unsaved[sizeof a->message] = "";
    a->locked_idle = strcmp(why, "idle_locked") == 0 && a->s;
    if (a->locked_idle) a->locked_restore_generation = a->s->restore_generation;
    a->live.restored_out = false;
    char copied[sizeof a->message] = "";
    intake_leaving(a);
    if (a->in.active && !intake_autosave(a)) {
        /* its draft went or changed at another desk: this desk's answers are kept as a new draft, not dropped (F4
         * and the idle lock threw them away, a red caller's among them, while q asked: eleventh tryout) */
        if (a->in.gone && intake_keep_copy(a)) snprintf(copied, sizeof copied, "%s", a->message);
        else snprintf(unsaved, sizeof unsaved, "%s", a->message);
    }
    intake_drop(a);
    leave_screens(a); /* nothing opened stays on the screen of a locked desk */
    /* nor what this worker filtered the queues by: the next login (another worker, or this one after the lock) saw
     * "Filter "obrien": 0" over five RED items, and the name searched for (thirty-second receptionist) */
    secret_wipe(a->q.filter, sizeof a->q.filter);
    a->q.filter_by_client = a->q.filter_search = false;
    live_logout(a);
    session_end(a->s);
    a->s = NULL;
    a->screen = SCR_LOGIN;
    a->help = false;
    a->ask = ASK_NONE;
    a->reload = true;
    secret_wipe(a->login.pass, sizeof a->login.pass);
    /* after a logout the next person starts from an empty name: a name left filled with the cursor in the
     * passphrase box sent a typed "name Tab passphrase" into the wrong boxes, the passphrase shown in the
     * name's (tryout). An idle lock keeps the name: the same worker comes back and types the passphrase. */
    if (strcmp(why, "logged_out") == 0) {
        a->login.name[0] = '\0';
        a->login.field = 0;
    }
    if (unsaved[0]) app_message(a, true, "%s %s", tr("logged_out_unsaved"), unsaved); /* not "kept as a draft" */
    else if (copied[0]) app_message(a, true, "%s %s", tr(why), copied);
    else app_message(a, false, "%s", tr(why));
}

/* Locks after inactivity. */
static void idle_check(app *a) {
    if (!a->s || a->idle_minutes <= 0) return;
    if (clock_now() - a->last_key < (int64_t)a->idle_minutes * 60) return;
    /* safety steps on screen and not yet acknowledged: a worker on the phone with a caller at risk reads them (the
     * emergency numbers, stay on the line) and touches no key; the lock took them away in the middle of such a call
     * (fourteenth tryout). The screen locks once they are acknowledged and the desk stands idle again. */
    bool steps = (a->screen == SCR_WIZARD || a->screen == SCR_REVIEW) && a->in.active && wizard_needs_safety_steps(a->in.w);
    if (steps) return;
    logout(a, "idle_locked");
}

/* A restore under this desk: its session may sign with a key the restored trail does not know, so it
 * writes nothing more (core refuses); the person logs in again and is told why. */
/* What became of the intake on screen when a restore sent the desk to the login (third restore tryout: it said
 * only "the draft could not be saved"): it cannot be saved by this session; its draft saved before is gone
 * (the restore removed it), back as the backup held it, or there was none. Read before the logout. */
static void restored_intake_words(app *a, char *out, size_t size) {
    out[0] = '\0';
    if (!a->in.active || a->in.w->stage == WZ_SAVED) return;
    char who[32] = "";
    const char *name = wizard_client_name(a->in.w);
    /* an anonymous caller has no name to take initials from ("Anonymous caller ..." gave "A.C.Q.", tryout 4):
     * the caller id, as the list of drafts at risk says it (drafts_at_risk.c) */
    bool anonymous = a->in.w->caller_id[0] && !wizard_text(a->in.w, "intake", "preferred_name")[0];
    if (anonymous) snprintf(who, sizeof who, "%s", a->in.w->caller_id);
    else if (name[0]) name_initials(name, who, sizeof who);
    bool held = false;
    int64_t at = 0;
    error err = {0};
    const char *key = !a->in.w->draft_id[0] ? "restored_draft_none"
                      : !draft_held(a->s, a->in.w->draft_id, &held, &at, &err) ? "restored_draft_unknown"
                      : held ? "restored_draft_back" : "restored_draft_gone";
    snprintf(out, size, "%s %s%s%s: %s", tr("restored_intake"), level_tr(draft_level_now(a->in.w)), who[0] ? ", " : "",
             who, tr(key));
}

static void restored_check(app *a) {
    if (!a->s || !a->live.restored_out) return;
    int64_t generation = session_restore_generation(a->db);
    char intake[256];
    restored_intake_words(a, intake, sizeof intake);
    logout(a, "restored_under_desk");
    /* said as a restore, with the intake's fate, not as a draft that failed to save */
    app_message(a, true, "%s (%s %lld)%s%s", tr("restored_under_desk"), tr("restore_number"), (long long)generation,
                intake[0] ? " " : "", intake);
}

/* A guarded draft's discard: the word is typed, then Enter; a wrong word or any other key keeps the draft.
 * True while the question stays open. */
static bool discard_word_typed(app *a, const event *ev, bool *yes) {
    *yes = false;
    if (ev->kind == EV_CHAR && strlen(a->ask_typed) + 1 < sizeof a->ask_typed) {
        size_t n = strlen(a->ask_typed);
        a->ask_typed[n] = ev->ch < 128 ? (char)ev->ch : '?';
        a->ask_typed[n + 1] = '\0';
        return true;
    }
    if (ev->kind == EV_KEY && ev->key == KEY_BACKSPACE && a->ask_typed[0]) {
        a->ask_typed[strlen(a->ask_typed) - 1] = '\0';
        return true;
    }
    *yes = ev->kind == EV_KEY && ev->key == K_ENTER && strcmp(a->ask_typed, "discard") == 0;
    return false;
}

/* The answer to the yes/no question over the screen: y does it, any other key does not (a guarded draft's
 * discard: the word "discard" typed and Enter). */
/* An intake whose draft went at another desk: k keeps this desk's answers as a new draft, y leaves without them
 * (the other desk's intake is what was saved); any other key stays with the intake. */
static void answer_gone(app *a, const event *ev) {
    bool keep = ev->kind == EV_CHAR && (ev->ch == L'k' || ev->ch == L'K');
    bool leave = ev->kind == EV_CHAR && (ev->ch == L'y' || ev->ch == L'Y') && a->in.active &&
                 !draft_level_guarded(draft_level_now(a->in.w));
    a->ask = ASK_NONE;
    if (keep) intake_keep_copy(a);
    else if (leave) intake_leave_gone(a);
    if (!a->in.active) apply(a, switch_to(SCR_HOME));
}

static void answer_question(app *a, const event *ev) {
    if (a->ask == ASK_GONE) {
        answer_gone(a, ev);
        return;
    }
    bool yes = ev->kind == EV_CHAR && (ev->ch == L'y' || ev->ch == L'Y');
    ask_kind was = a->ask;
    if (was == ASK_DISCARD && discard_guarded(a)) {
        if (discard_word_typed(a, ev, &yes)) return;
        if (!yes) app_message(a, false, "%s", tr("discard_kept"));
    }
    a->ask = ASK_NONE;
    a->ask_typed[0] = '\0';
    if (!yes) return;
    if (was == ASK_QUIT) a->quit = true;
    else if (was == ASK_DISCARD) intake_discard(a);
}

/* One meaning of q and Esc (the queue's q went home while the record's went back, the help said "quit"): q is
 * Esc, back one step (a prompt, a list, a screen), everywhere but on home (q quits, asking first with an
 * intake open) and on an intake's questions (q leaves the intake, its draft kept; Esc goes back a question). */
static ui_action q_as_back(screen_id screen, ui_action act) {
    bool own_q = screen == SCR_HOME || screen == SCR_WIZARD || screen == SCR_REVIEW;
    return act == UA_QUIT && !own_q ? UA_BACK : act;
}

static void handle(app *a, const event *ev) {
    if (ev->kind == EV_KEY || ev->kind == EV_CHAR) {
        a->last_key = clock_now();
        a->message_fresh = false;
    }
    if (ev->kind == EV_RESIZE) a->reload = true; /* a page holds as many rows as fit */
    /* while the screen only asks for a larger terminal, no key acts: an answer or a safety acknowledgement must
     * never be given to a question nobody can see (found by the receptionist's tryout) */
    if ((ev->kind == EV_KEY || ev->kind == EV_CHAR) && layout_for(LINES, COLS).too_small) return;
    if (a->help) { /* the arrows, PgUp/PgDn and j/k scroll it (help_draw keeps it in range); any other key closes */
        if (ev->kind != EV_KEY && ev->kind != EV_CHAR) return;
        int step = help_scroll_step(ev);
        a->help = step != 0;
        a->help_top += step;
        if (a->help_top < 0) a->help_top = 0;
        return;
    }
    if (a->ask != ASK_NONE) {
        if (ev->kind == EV_CHAR || ev->kind == EV_KEY) answer_question(a, ev);
        return;
    }
    const screen_ops *ops = screen_ops_of(a->screen);
    bool typing = ops->typing && ops->typing(a);
    /* a full-width digit (a Chinese input method's ３) is the digit where a digit is a key: an answer, a tab, a pick;
     * typed into a field it stays as typed, and the core reads a number, a date or a phone number in ASCII */
    event ascii = *ev;
    if (!typing && ev->kind == EV_CHAR && ev->ch >= 0xff10 && ev->ch <= 0xff19) ascii.ch = L'0' + (ev->ch - 0xff10);
    ev = &ascii;
    ui_action act = key_action_for(a->screen, typing, ev); /* every key goes through the key table */
    if (act == UA_HELP) {
        a->help = true;
        a->help_top = 0;
        return;
    }
    if (act == UA_REDRAW) {
        apply(a, react(RE_REPAINT));
        return;
    }
    if (act == UA_LOGOUT && a->s) {
        logout(a, "logged_out");
        return;
    }
    apply(a, ops->handle(a, ev, q_as_back(a->screen, act)));
}

/* Ctrl-C over an open intake asks the quit question (it left at once, the worker unsure what was kept: twentieth
 * tryout); Ctrl-C again, or with nothing open, leaves as before (the intake kept, exit 130). False: leave now. */
static bool interrupt_asks(app *a) {
    /* a screen too small to show the question leaves too (the question came up unseen, shown once enlarged: tryout 21) */
    if (!a->in.active || a->ask == ASK_QUIT || layout_for(LINES, COLS).too_small) return false;
    a->help = false;
    a->ask = ASK_QUIT;
    a->ask_typed[0] = '\0';
    a->message_fresh = false; /* a key like any other: the message on screen shrinks to its one line at the foot */
    return true;
}

int run_tui(engine *e, database *db, const char *user, bool headless, bool no_color, bool demo) {
    error err = {0};
    const char *script = getenv("TRIAGE_SCRIPT");
    if (script && *script && !input_open_script(script, &err)) {
        fprintf(stderr, "triage: %s\n", err.msg);
        return 2;
    }
    if (!term_start(headless || (script && *script), no_color, &err)) {
        fprintf(stderr, "triage: %s\n", err.msg);
        return 1;
    }
    static app a;
    memset(&a, 0, sizeof a);
    a.e = e;
    a.db = db;
    db->row_policy = &e->queue;
    a.demo = demo;
    a.idle_minutes = e->cfg.idle_lock_minutes;
    a.in.w = calloc(1, sizeof *a.in.w);
    a.last_key = clock_now();
    ui_set_lang(e->cfg.ui_lang);
    if (user) snprintf(a.login.name, sizeof a.login.name, "%s", user);
    a.login.field = user ? 1 : 0;
    a.screen = SCR_LOGIN;
    if (demo) app_message(&a, false, "%s", tr("demo_login"));
    /* make bench: TRIAGE_TIMING=FILE records how long each key takes from arriving to the refreshed
     * screen (two clock reads per key; nothing else changes) */
    const char *timing_path = getenv("TRIAGE_TIMING");
    FILE *timing = timing_path && *timing_path ? fopen(timing_path, "w") : NULL;
    live_tick(&a);
    live_poll(&a, true);
    load(&a);
    draw(&a);
    while (!a.quit && a.in.w) {
        event ev = input_next();
        if (ev.kind == EV_QUIT) break;
        if (ev.kind == EV_INTERRUPT) {
            if (!interrupt_asks(&a)) {
                term_quit_interrupted();
                break;
            }
            draw(&a);
            continue;
        }
        long long t0 = timing ? monotonic_ns() : 0;
        screen_id on = a.screen;
        if (ev.kind == EV_TICK) {
            idle_check(&a);
            intake_heartbeat(&a); /* an open intake's draft says so to the worker's other desks */
            live_tick(&a); /* overdue escalation, other desks' changes, a new red item */
        }
        handle(&a, &ev);
        if (ev.kind != EV_TICK) live_poll(&a, false); /* this desk's own saves: counts and pages follow at once */
        restored_check(&a);
        load(&a);
        draw(&a);
        if (timing && (ev.kind == EV_KEY || ev.kind == EV_CHAR))
            fprintf(timing, "key %d %lld\n", (int)on, monotonic_ns() - t0);
    }
    if (timing) fclose(timing);
    /* nothing entered is ever lost: its draft gone at another desk, this desk's answers are kept as a new draft */
    intake_leaving(&a);
    if (a.in.active && !intake_autosave(&a) && a.in.gone) intake_keep_copy(&a);
    intake_drop(&a);
    free(a.in.w);
    leave_screens(&a);
    live_free(&a);
    session_end(a.s);
    secret_wipe(a.login.pass, sizeof a.login.pass);
    term_stop();
    term_end_as_signalled();
    return 0;
}
