/* The login screen: user name and masked passphrase; growing delays and lock-outs are explained. */
#include <stdio.h>
#include <string.h>
#include <wctype.h>

#include "secret.h"
#include "ui.h"

/* Edits a UTF-8 buffer with one event: a character appended, Backspace removes the last character. */
bool edit_field(char *buf, size_t size, const event *ev) {
    size_t n = strlen(buf);
    if (ev->kind == EV_KEY && (ev->key == KEY_BACKSPACE || ev->key == 8)) {
        while (n > 0 && ((unsigned char)buf[n - 1] & 0xc0) == 0x80) n--;
        if (n > 0) n--;
        buf[n] = '\0';
        return true;
    }
    if (ev->kind != EV_CHAR) return false;
    /* only printable characters are stored: a script's `type` line (or a terminal sending C1 codes) can
     * carry control characters, and glibc's wctomb writes code points past U+10FFFF (which its mbtowc
     * accepts) as bytes that are not UTF-8 */
    if (!iswprint((wint_t)ev->ch)) return false;
    char mb[8];
    int len = wctomb(mb, ev->ch);
    if (len <= 0 || n + (size_t)len + 1 > size) return false;
    memcpy(buf + n, mb, (size_t)len);
    buf[n + (size_t)len] = '\0';
    return true;
}

static void login_draw(app *a, const layout *l) {
    const login_screen *g = &a->login;
    int w = 56, h = 9, y = l->body.y + (l->body.h - h) / 2, x = (l->body.w - w) / 2;
    draw_box_title(y, x, h, w, tr("login_title"));
    draw_text(y + 2, x + 3, 16, tr("user"), g->field == 0 ? theme(C_TITLE) : A_NORMAL);
    draw_text(y + 2, x + 20, w - 23, g->name, A_UNDERLINE);
    char stars[64];
    size_t n = strlen(g->pass) < sizeof stars - 1 ? strlen(g->pass) : sizeof stars - 1;
    memset(stars, '*', n);
    stars[n] = '\0';
    draw_text(y + 4, x + 3, 16, tr("passphrase"), g->field == 1 ? theme(C_TITLE) : A_NORMAL);
    draw_text(y + 4, x + 20, w - 23, stars, A_UNDERLINE);
    draw_wrapped(y + 6, x + 3, w - 6, 2, keyed("login_hint"), theme(C_DIM));
}

static reaction login_handle(app *a, const event *ev, ui_action act) {
    login_screen *g = &a->login;
    switch (act) {
    case UA_LANG: {
        /* the demo's login line follows the language (an English line ran off the Chinese 80x24 login) */
        bool demo_said = a->demo && strcmp(a->message, tr("demo_login")) == 0;
        /* so does the line a logout or a lock left ("Logged out: ..." stayed English on the Chinese login: sixth
         * tryout) */
        static const char *const follow_lang[] = {"logged_out", "idle_locked"};
        const char *said = NULL;
        for (size_t k = 0; k < sizeof follow_lang / sizeof follow_lang[0]; k++)
            if (strcmp(a->message, tr(follow_lang[k])) == 0) said = follow_lang[k];
        bool said_error = a->message_error;
        ui_set_lang(ui_lang() == LANG_EN ? LANG_ZH : LANG_EN);
        if (demo_said) app_message(a, false, "%s", tr("demo_login"));
        if (said) app_message(a, said_error, "%s", tr(said));
        return react(RE_REDRAW);
    }
    case UA_BACK: return react(RE_QUIT);
    case UA_NEXT:
    case UA_PREV:
        /* locked after inactivity, the name is the worker's own: a Tab from habit moved to it, and the passphrase
         * typed next stood there in clear (fourteenth tryout); the passphrase field keeps the focus */
        if (!a->locked_idle) g->field = !g->field;
        return react(RE_REDRAW);
    case UA_CHOOSE: break;
    default:
        edit_field(g->field == 0 ? g->name : g->pass, g->field == 0 ? sizeof g->name : sizeof g->pass, ev);
        return react(RE_REDRAW);
    }
    if (g->field == 0) {
        g->field = 1;
        return react(RE_REDRAW);
    }
    if (!g->pass[0]) { /* Enter with nothing typed is no attempt: it counted as a failed login (fourteenth tryout) */
        app_message(a, false, "%s", keyed("login_type_pass"));
        return react(RE_REDRAW);
    }
    int wait;
    error err = {0};
    login_status st = session_login(a->db, g->name, g->pass, strlen(g->pass), &a->s, &wait, &err);
    secret_wipe(g->pass, sizeof g->pass);
    if (st != LOGIN_OK) {
        /* the plain refusal in the staff language (it stayed English on the Chinese login: eleventh tryout); the
         * others name what to do in the core's words */
        if (st == LOGIN_FAILED && !strstr(err.msg, "locked")) app_message(a, true, "%s", tr("login_wrong"));
        else if (st == LOGIN_SHORT) app_message(a, true, "%s", tr("login_short"));
        else app_message(a, true, "%s", err.msg);
        return react(RE_REDRAW);
    }
    a->message[0] = '\0';
    /* keys typed while the passphrase was being checked were meant for a screen not shown yet: a login that
     * continues an intake by itself would take them as answers (ninth tryout: "pass Enter 2 Enter" in one go
     * recorded consent before the question was drawn) */
    flushinp();
    /* a restore while the desk stood idle-locked: what was saved before the lock may be gone */
    bool restored = a->locked_idle && session_restore_generation(a->db) != a->locked_restore_generation;
    a->locked_idle = false;
    if (restored) {
        reaction r = intake_resume(a);
        app_message(a, true, "%s", tr("restored_while_locked"));
        return r;
    }
    /* an intake left unfinished (crash, power cut, idle lock) continues where it stopped */
    return intake_resume(a);
}

static void login_leave(app *a) { secret_wipe(a->login.pass, sizeof a->login.pass); }

static bool login_typing(const app *a) {
    (void)a;
    return true;
}

const screen_ops login_ops = {"login", NULL, NULL, login_draw, login_handle, login_leave, login_typing};
