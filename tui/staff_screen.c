/* Staff (supervisors): every login with its role and whether it is locked; add someone, lock or unlock,
 * set a new passphrase for someone who forgot theirs, change a role. The rules (and their audit) are the
 * core's; the screen only asks. Passphrases typed here are wiped as soon as they are used. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

enum { SF_NEW, SF_RESET };
enum { NF_NAME, NF_ROLE, NF_PASS, NF_PASS2 };

static void staff_load(app *a, const layout *l) {
    (void)l;
    staff_screen *s = &a->stf;
    free(s->list);
    s->list = NULL;
    s->n = 0;
    error err = {0};
    if (!staff_list_all(a->s, &s->list, &s->n, &err)) app_message(a, true, "%s", err.msg);
    if (s->sel >= s->n) s->sel = s->n ? s->n - 1 : 0;
}

static bool staff_enter(app *a) {
    error why = {0};
    if (!session_allowed(a->s, ACT_STAFF_MANAGE, &why)) {
        app_message(a, true, "%s", why.msg);
        return false;
    }
    a->stf.sel = a->stf.top = 0;
    return true;
}

static void staff_leave(app *a) {
    staff_screen *s = &a->stf;
    field_form_clear(&s->form);
    free(s->list);
    memset(s, 0, sizeof *s);
}

static bool staff_typing(const app *a) { return a->stf.form.active; }

static void open_form(app *a, int kind) {
    field_form *f = &a->stf.form;
    field_form_clear(f);
    f->active = true;
    f->kind = kind;
    if (kind == SF_NEW) {
        f->n = 4;
        f->f[NF_NAME].label = "f_login";
        f->f[NF_ROLE].label = "f_role";
        snprintf(f->f[NF_ROLE].value, sizeof f->f[0].value, "reception");
        f->f[NF_PASS].label = "f_pass";
        f->f[NF_PASS2].label = "f_pass2";
        f->f[NF_PASS].secret = f->f[NF_PASS2].secret = true;
    } else {
        f->n = 2;
        f->f[0].label = "f_pass";
        f->f[1].label = "f_pass2";
        f->f[0].secret = f->f[1].secret = true;
    }
}

static void save_form(app *a) {
    staff_screen *s = &a->stf;
    field_form *f = &s->form;
    error err = {0};
    const char *pass = f->f[f->kind == SF_NEW ? NF_PASS : 0].value, *again = f->f[f->kind == SF_NEW ? NF_PASS2 : 1].value;
    if (strcmp(pass, again) != 0) {
        app_message(a, true, "%s", tr("pass_mismatch"));
        return;
    }
    bool ok;
    char who[65];
    if (f->kind == SF_NEW) {
        staff_role role;
        if (!staff_role_parse(f->f[NF_ROLE].value, &role)) {
            app_message(a, true, "%s%s%s", tr("f_role"), tr("p_colon"), tr("role_names"));
            return;
        }
        if (!staff_name_valid(f->f[NF_NAME].value)) {
            app_message(a, true, "%s%s%s", tr("f_login"), tr("p_colon"), tr("login_rule"));
            return;
        }
        memcpy(who, f->f[NF_NAME].value, strlen(f->f[NF_NAME].value) + 1); /* at most 64 bytes: checked above */
        ok = staff_add(a->s, who, role, pass, strlen(pass), &err);
    } else {
        if (s->sel >= s->n) return;
        snprintf(who, sizeof who, "%s", s->list[s->sel].name);
        ok = staff_reset_passphrase(a->s, who, pass, strlen(pass), &err);
    }
    if (!ok) {
        app_message(a, true, "%s", err.msg);
        return;
    }
    app_message(a, false, "%s%s%s", who, tr("p_colon"), tr(f->kind == SF_NEW ? "staff_added" : "pass_reset"));
    field_form_clear(f);
}

static void staff_draw(app *a, const layout *l) {
    staff_screen *s = &a->stf;
    int top = l->body.y + 1, bottom = l->body.y + l->body.h - 1, width = l->body.w;
    draw_text(top, 2, width - 4, tr("staff_title"), theme(C_TITLE));
    if (s->form.active) {
        char title[160];
        snprintf(title, sizeof title, "%s %s", tr(s->form.kind == SF_NEW ? "staff_new" : "staff_reset"),
                 s->form.kind == SF_RESET && s->sel < s->n ? s->list[s->sel].name : "");
        draw_text(top + 1, 2, width - 4, title, theme(C_DIM));
        field_form_draw(&s->form, top + 3, 3, width - 4);
        draw_wrapped(top + 4 + s->form.n, 3, width - 6, 3, keyed("staff_form_hint"), theme(C_DIM));
        return;
    }
    draw_text(top + 2, 1, width - 2, tr("staff_columns"), theme(C_DIM) | A_UNDERLINE);
    int rows = bottom - (top + 3) - 1;
    if (s->sel < s->top) s->top = s->sel;
    if (s->sel >= s->top + rows) s->top = s->sel - rows + 1;
    for (int i = s->top; i < s->n && i - s->top < rows; i++) {
        const staff_rec *r = &s->list[i];
        char line[256];
        snprintf(line, sizeof line, "%-20s %-11s %-8s %d", r->name, role_tr(r->role), r->locked ? tr("locked") : "-",
                 r->failed_logins);
        draw_text(top + 3 + i - s->top, 1, width - 2, line, i == s->sel ? theme(C_HILITE) : r->locked ? A_BOLD : A_NORMAL);
    }
    if (s->role_prompt) draw_text(bottom - 1, 1, width - 2, keyed("role_prompt"), theme(C_HILITE));
    else draw_text(bottom - 1, 1, width - 2, keyed("staff_hint"), theme(C_DIM));
}

static reaction staff_handle(app *a, const event *ev, ui_action act) {
    staff_screen *s = &a->stf;
    error err = {0};
    if (s->form.active) {
        if (act == UA_BACK) field_form_clear(&s->form);
        else if (act == UA_SAVE) save_form(a);
        else if (act == UA_CHOOSE) {
            if (s->form.at == s->form.n - 1) save_form(a);
            else s->form.at++;
        } else field_form_handle(&s->form, ev, act);
        return react(act == UA_SAVE || act == UA_CHOOSE ? RE_RELOAD : RE_REDRAW); /* saved: the list is read again */
    }
    const staff_rec *r = s->sel < s->n ? &s->list[s->sel] : NULL;
    if (s->role_prompt) {
        s->role_prompt = false;
        if (act == UA_DIGIT && r && ev->ch >= L'1' && ev->ch <= L'3') {
            staff_role role = (staff_role)(ev->ch - L'1');
            if (staff_set_role(a->s, r->name, role, &err))
                app_message(a, false, "%s%s%s", r->name, tr("p_colon"), role_tr(role));
            else app_message(a, true, "%s", err.msg);
            return react(RE_RELOAD);
        }
        return react(RE_REDRAW);
    }
    switch (act) {
    case UA_BACK:
    case UA_QUIT: return switch_to(SCR_HOME);
    case UA_NEXT:
        if (s->sel < s->n - 1) s->sel++;
        break;
    case UA_PREV:
        if (s->sel > 0) s->sel--;
        break;
    case UA_NEW: open_form(a, SF_NEW); break;
    case UA_RESET:
        if (r) open_form(a, SF_RESET);
        break;
    case UA_ROLE:
        if (r) s->role_prompt = true;
        break;
    case UA_LOCK:
        if (!r) break;
        if (staff_set_locked(a->s, r->name, !r->locked, &err))
            app_message(a, false, "%s%s%s", r->name, tr("p_colon"), tr(r->locked ? "unlocked" : "locked"));
        else app_message(a, true, "%s", err.msg);
        return react(RE_RELOAD);
    default: break;
    }
    return react(RE_REDRAW);
}

const screen_ops staff_ops = {"staff", staff_enter, staff_load, staff_draw, staff_handle, staff_leave, staff_typing};
