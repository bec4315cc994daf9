/* The counselor roster (supervisors): every counselor with languages, orientations, capacity, availability
 * and the live caseload (open queue items assigned to them); add and edit with the same checks as a roster
 * file, so a counselor who could never be matched is never saved. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counselors.h"
#include "ui.h"

enum { RF_CODE, RF_NAME, RF_GENDER, RF_LANGUAGES, RF_ORIENTATIONS, RF_HIGH_RISK, RF_AVAILABLE, RF_CAPACITY, RF_WEIGHTS, RF_COUNT };
static const char *const labels[RF_COUNT] = {"f_code",     "f_name",      "f_gender",   "f_languages", "f_orientations",
                                             "f_high_risk", "f_available", "f_capacity", "f_weights"};

static void roster_list_load(app *a, const layout *l) {
    (void)l;
    roster_screen *r = &a->ros;
    free(r->list);
    free(r->caseload);
    r->list = NULL;
    r->caseload = NULL;
    r->n = 0;
    error err = {0};
    if (!roster_list(a->db, &r->list, &r->n, &err)) {
        app_message(a, true, "%s", err.msg);
        return;
    }
    r->caseload = calloc((size_t)(r->n ? r->n : 1), sizeof *r->caseload);
    for (int i = 0; r->caseload && i < r->n; i++) r->caseload[i] = queues_caseload(a->db, r->list[i].code);
    if (r->sel >= r->n) r->sel = r->n ? r->n - 1 : 0;
}

/* The matching roster of this desk follows the database after an edit. */
static void reload_engine_roster(app *a) {
    roster fresh;
    error err = {0};
    if (!roster_from_db(a->db, &a->e->needs, &fresh, &err)) {
        app_message(a, true, "%s", err.msg);
        return;
    }
    if (a->e->has_roster) roster_free(&a->e->roster);
    a->e->roster = fresh;
    a->e->has_roster = fresh.n > 0;
    a->in.matches_stale = true;
}

static bool roster_enter(app *a) {
    error why = {0};
    if (!session_allowed(a->s, ACT_ROSTER_MANAGE, &why)) {
        app_message(a, true, "%s", why.msg);
        return false;
    }
    a->ros.sel = a->ros.top = 0;
    return true;
}

static void roster_leave(app *a) {
    roster_screen *r = &a->ros;
    field_form_clear(&r->form);
    free(r->list);
    free(r->caseload);
    memset(r, 0, sizeof *r);
}

static bool roster_typing(const app *a) { return a->ros.form.active; }

static void open_form(app *a, const counselor_rec *c) {
    field_form *f = &a->ros.form;
    field_form_clear(f);
    f->active = true;
    f->n = RF_COUNT;
    f->kind = c ? 1 : 0; /* 1: editing (the code stays) */
    for (int i = 0; i < RF_COUNT; i++) f->f[i].label = labels[i];
    if (c) {
        snprintf(f->f[RF_CODE].value, sizeof f->f[0].value, "%s", c->code);
        snprintf(f->f[RF_NAME].value, sizeof f->f[0].value, "%s", c->name);
        snprintf(f->f[RF_GENDER].value, sizeof f->f[0].value, "%s", c->gender);
        snprintf(f->f[RF_LANGUAGES].value, sizeof f->f[0].value, "%s", c->languages);
        snprintf(f->f[RF_ORIENTATIONS].value, sizeof f->f[0].value, "%s", c->orientations);
        snprintf(f->f[RF_HIGH_RISK].value, sizeof f->f[0].value, "%s", c->high_risk ? "yes" : "no");
        snprintf(f->f[RF_AVAILABLE].value, sizeof f->f[0].value, "%s", c->available ? "yes" : "no");
        snprintf(f->f[RF_CAPACITY].value, sizeof f->f[0].value, "%d", c->capacity);
        snprintf(f->f[RF_WEIGHTS].value, sizeof f->f[0].value, "%s", c->weights);
        f->at = RF_NAME;
    } else {
        snprintf(f->f[RF_HIGH_RISK].value, sizeof f->f[0].value, "no");
        snprintf(f->f[RF_AVAILABLE].value, sizeof f->f[0].value, "yes");
        snprintf(f->f[RF_CAPACITY].value, sizeof f->f[0].value, "10");
    }
}

static bool yes_no(const char *v, bool *out) {
    if (!strcmp(v, "yes") || !strcmp(v, "y") || !strcmp(v, "是")) *out = true;
    else if (!strcmp(v, "no") || !strcmp(v, "n") || !strcmp(v, "否")) *out = false;
    else return false;
    return true;
}

static bool save_counselor(app *a, counselor_rec *c) {
    char field[32];
    error err = {0};
    if (!roster_put(a->s, &a->e->needs, c, field, sizeof field, &err)) {
        app_message(a, true, "%s%s%s", field[0] ? field : "", field[0] ? ": " : "", err.msg);
        return false;
    }
    reload_engine_roster(a);
    return true;
}

static void save_form(app *a) {
    field_form *f = &a->ros.form;
    counselor_rec c;
    memset(&c, 0, sizeof c);
    /* a value longer than its column is refused with the field's name, never cut short */
    struct {
        char *dst;
        size_t size;
        int field;
    } take[] = {{c.code, sizeof c.code, RF_CODE},
                {c.name, sizeof c.name, RF_NAME},
                {c.gender, sizeof c.gender, RF_GENDER},
                {c.languages, sizeof c.languages, RF_LANGUAGES},
                {c.orientations, sizeof c.orientations, RF_ORIENTATIONS},
                {c.weights, sizeof c.weights, RF_WEIGHTS}};
    for (size_t i = 0; i < sizeof take / sizeof take[0]; i++) {
        const char *v = f->f[take[i].field].value;
        size_t n = strlen(v);
        if (n >= take[i].size) {
            app_message(a, true, "%s%s%s (%zu)", tr(labels[take[i].field]), tr("p_colon"), tr("too_long"), take[i].size - 1);
            f->at = take[i].field;
            return;
        }
        memcpy(take[i].dst, v, n + 1);
    }
    long cap;
    if (!yes_no(f->f[RF_HIGH_RISK].value, &c.high_risk) || !yes_no(f->f[RF_AVAILABLE].value, &c.available)) {
        app_message(a, true, "%s", tr("yes_no_needed"));
        return;
    }
    if (!parse_int(f->f[RF_CAPACITY].value, 0, 1000, &cap)) {
        app_message(a, true, "%s%s%s", tr("f_capacity"), tr("p_colon"), tr("capacity_range"));
        return;
    }
    c.capacity = (int)cap;
    for (int i = 0; i < a->ros.n; i++) /* the stored caseload (from the roster file) is kept */
        if (!strcmp(a->ros.list[i].code, c.code)) c.caseload = a->ros.list[i].caseload;
    if (save_counselor(a, &c)) {
        app_message(a, false, "%s %s", tr("saved_counselor"), c.code);
        field_form_clear(f);
    }
}

static void roster_draw(app *a, const layout *l) {
    roster_screen *r = &a->ros;
    int top = l->body.y + 1, bottom = l->body.y + l->body.h - 1, width = l->body.w;
    draw_text(top, 2, width - 4, tr("roster_title"), theme(C_TITLE));
    if (r->form.active) {
        draw_text(top + 1, 2, width - 4, tr(r->form.kind ? "roster_edit" : "roster_new"), theme(C_DIM));
        field_form_draw(&r->form, top + 3, 3, width - 4);
        draw_wrapped(top + 4 + RF_COUNT, 3, width - 6, 3, keyed("roster_form_hint"), theme(C_DIM));
        return;
    }
    /* columns placed by screen position: Chinese names take two columns a character */
    static const int x[] = {1, 8, 31, 38, 48, 52, 58, 64, 74};
    static const char *const head[] = {"f_code", "f_name", "f_gender", "f_languages", "col_cap", "col_load", "col_avail", "col_high_risk", "f_orientations"};
    for (int c = 0; c < 9; c++) draw_text(top + 2, x[c], c < 8 ? x[c + 1] - x[c] - 1 : width - x[c] - 1, tr(head[c]), theme(C_DIM) | A_UNDERLINE);
    int rows = bottom - (top + 3) - 1;
    if (r->sel < r->top) r->top = r->sel;
    if (r->sel >= r->top + rows) r->top = r->sel - rows + 1;
    for (int i = r->top; i < r->n && i - r->top < rows; i++) {
        const counselor_rec *c = &r->list[i];
        char cap[16], load[16];
        snprintf(cap, sizeof cap, "%d", c->capacity);
        snprintf(load, sizeof load, "%d", r->caseload ? r->caseload[i] : -1);
        const char *cells[] = {c->code, c->name, c->gender, c->languages, cap, load, c->available ? "yes" : "no",
                               c->high_risk ? "yes" : "no", c->orientations};
        int y = top + 3 + i - r->top;
        attr_t at = i == r->sel ? theme(C_HILITE) : A_NORMAL;
        if (i == r->sel) {
            attron(at);
            mvhline(y, 1, ' ', width - 2);
            attroff(at);
        }
        for (int k = 0; k < 9; k++) draw_text(y, x[k], k < 8 ? x[k + 1] - x[k] - 1 : width - x[k] - 1, cells[k], at);
    }
    if (r->n == 0) draw_text(top + 3, 3, width - 6, keyed("roster_empty"), theme(C_DIM));
    draw_text(bottom - 1, 1, width - 2, keyed("roster_hint"), theme(C_DIM));
}

static reaction roster_handle(app *a, const event *ev, ui_action act) {
    roster_screen *r = &a->ros;
    if (r->form.active) {
        if (act == UA_BACK) field_form_clear(&r->form);
        else if (act == UA_SAVE) save_form(a);
        else if (act == UA_CHOOSE) r->form.at = (r->form.at + 1) % r->form.n;
        else if (r->form.kind == 1 && r->form.at == RF_CODE && act == UA_NONE) return react(RE_REDRAW); /* a code names the counselor */
        else field_form_handle(&r->form, ev, act);
        return react(act == UA_SAVE ? RE_RELOAD : RE_REDRAW); /* saved: the list is read again */
    }
    switch (act) {
    case UA_BACK:
    case UA_QUIT: return switch_to(SCR_HOME);
    case UA_NEXT:
        if (r->sel < r->n - 1) r->sel++;
        break;
    case UA_PREV:
        if (r->sel > 0) r->sel--;
        break;
    case UA_NEW: open_form(a, NULL); break;
    case UA_CHOOSE:
        if (r->sel < r->n) open_form(a, &r->list[r->sel]);
        break;
    case UA_AVAILABLE:
        if (r->sel < r->n) {
            counselor_rec c = r->list[r->sel];
            c.available = !c.available;
            if (save_counselor(a, &c))
                app_message(a, false, "%s%s%s", c.code, tr("p_colon"), tr(c.available ? "now_available" : "now_unavailable"));
        }
        return react(RE_RELOAD);
    default: break;
    }
    return react(RE_REDRAW);
}

const screen_ops roster_ops = {"roster", roster_enter, roster_list_load, roster_draw, roster_handle, roster_leave, roster_typing};
