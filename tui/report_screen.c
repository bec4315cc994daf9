/* Reports (clinicians and supervisors): the centre's KPIs over a date range, from the de-identified report
 * facts (core/report/report.h): identification accuracy, first-session completion, retention, time to first
 * contact, confirmations in time, overdue items, declined suggestions, per level, channel, concern, age
 * band, counselor and lifecycle stage, with a bar chart of the presenting concerns; then how well the levels
 * work (the validation table of `triage report --validation`: triage's level against the level a clinician
 * confirmed, PPV and sensitivity with 95% Wilson intervals). Groups and counts under the k floor show "<k"
 * and no figure. Running a report is audited by the core. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "maintenance.h"
#include "report.h"
#include "util.h"
#include "ui.h"

#define add(r, attr, ...) view_add(&(r)->lines, &(r)->n_lines, (attr), __VA_ARGS__)

static void clear_lines(report_screen *r) {
    view_clear(&r->lines, &r->n_lines);
    r->top = 0;
}

static void day_text(int64_t t, char *buf, size_t size) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm)) strftime(buf, size, "%Y-%m-%d", &tm);
    else snprintf(buf, size, "?");
}

/* A date as YYYY-MM-DD (UTC midnight), as the command line reads --from and --to. */
static bool day_parse(const char *s, int64_t *out) {
    int y, m, d;
    char extra;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || m < 1 || m > 12 || d < 1 || d > 31 || y < 1970) return false;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    time_t t = timegm(&tm);
    struct tm back;
    if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_mday != d) return false; /* 2026-02-30 */
    *out = (int64_t)t;
    return true;
}

static void pct(int64_t num, int64_t den, char *buf, size_t size) {
    double v;
    if (report_rate(num, den, &v)) snprintf(buf, size, "%.0f%%", v * 100);
    else snprintf(buf, size, "-");
}

static void add_row(report_screen *r, const report *rep, const report_row *x, const char *label) {
    if (x->suppressed) {
        add(r, C_DIM, "  %-22.22s %7s", label, r->k_text);
        return;
    }
    char acc[16], first[16], ret[16], intime[16], dec[16], contact[16];
    pct(x->confirmed_same, x->confirmed, acc, sizeof acc);
    pct(x->first_attended, x->intakes, first, sizeof first);
    pct(x->retained, x->first_attended, ret, sizeof ret);
    pct(x->confirmed_in_time, x->confirmed_with_deadline, intime, sizeof intime);
    pct(x->declines, x->suggestions, dec, sizeof dec);
    if (x->contacted) snprintf(contact, sizeof contact, "%.1f", x->median_contact_hours);
    else snprintf(contact, sizeof contact, "-");
    (void)rep;
    add(r, C_NORMAL, "  %-22.22s %7lld %8s %8s %8s %8s %8s %7lld %8s", label, (long long)x->intakes, acc, first, ret,
        contact, intime, (long long)x->overdue, dec);
}

/* s padded on the left to `width` columns (Chinese counts two), for the matrix's columns. */
static void pad_left(const char *s, int width, char *out, size_t size) {
    int fill = width - text_width(s);
    if (fill < 0) fill = 0;
    snprintf(out, size, "%*s%s", fill, "", s);
}

static void pad_right(const char *s, int width, char *out, size_t size) {
    int fill = width - text_width(s);
    if (fill < 0) fill = 0;
    snprintf(out, size, "%s%*s", s, fill, "");
}

static const char *level_label(risk_level l) {
    static const char *const keys[LEVEL_COUNT] = {"level_green", "level_yellow", "level_orange", "level_red"};
    return tr(keys[l]);
}

/* One line of the matrix: a label, then a count per confirmed level (red first), the total, and those left
 * out (not confirmed). */
static void add_matrix_line(report_screen *r, color_role attr, const char *label, const int64_t counts[LEVEL_COUNT],
                            int64_t total, int64_t left_out, int k) {
    char line[256], cell[32], padded[64];
    pad_right(label, 20, line, sizeof line);
    for (int i = 0; i <= LEVEL_COUNT + 1; i++) {
        int64_t n = i < LEVEL_COUNT ? counts[LEVEL_RED - i] : i == LEVEL_COUNT ? total : left_out;
        report_count_text(n, k, cell, sizeof cell);
        pad_left(cell, i <= LEVEL_COUNT ? 9 : 16, padded, sizeof padded);
        strncat(line, padded, sizeof line - strlen(line) - 1);
    }
    add(r, attr, "  %s", line);
}

/* Sensitivity, under-triage and PPV for the levels from l up; keys: rep_val_<what>_<part>. */
static void add_at_or_above(report_screen *r, const report *rep, risk_level l, const char *what) {
    int k = rep->set.k;
    report_share_ci s = report_sensitivity_at_or_above(rep, l), p = report_ppv_at_or_above(rep, l);
    char st[96], pt[96], under[24], key[48];
    report_share_text(&s, k, st, sizeof st);
    report_share_text(&p, k, pt, sizeof pt);
    report_count_text(s.n - s.x, k, under, sizeof under);
    add(r, C_NORMAL, "%s", "");
    snprintf(key, sizeof key, "rep_val_%s", what);
    add(r, C_TITLE, "%s", tr(key));
    snprintf(key, sizeof key, "rep_val_%s_sens", what);
    add(r, C_NORMAL, "  %s %s: %s", tr("rep_val_sens"), st, tr(key));
    snprintf(key, sizeof key, "rep_val_%s_under", what);
    add(r, s.n - s.x > 0 ? C_ORANGE : C_NORMAL, "  %s: %s", tr(key), under);
    snprintf(key, sizeof key, "rep_val_%s_ppv", what);
    add(r, C_NORMAL, "  %s %s: %s", tr("rep_val_ppv"), pt, tr(key));
}

/* How well the levels work: the confusion matrix, then PPV and sensitivity per level and at or above orange. */
static void build_validation(report_screen *r, const report *rep) {
    const report_validation *v = &rep->val;
    int k = rep->set.k;
    char a[16], b[16], line[256], padded[64];
    add(r, C_NORMAL, "%s", "");
    add(r, C_TITLE, "%s", tr("rep_val_title"));
    report_count_text(report_confirmed_total(v), k, a, sizeof a);
    report_count_text(v->unconfirmed, k, b, sizeof b);
    add(r, C_DIM, "  %s %s; %s %s", a, tr("rep_val_confirmed"), b, tr("rep_val_unconfirmed"));
    pad_right(tr("rep_val_corner"), 20, line, sizeof line);
    for (int i = 0; i <= LEVEL_COUNT; i++) {
        pad_left(i < LEVEL_COUNT ? level_label((risk_level)(LEVEL_RED - i)) : tr("rep_val_total"), 9, padded,
                 sizeof padded);
        strncat(line, padded, sizeof line - strlen(line) - 1);
    }
    pad_left(tr("rep_val_left_out"), 16, padded, sizeof padded);
    strncat(line, padded, sizeof line - strlen(line) - 1);
    add(r, C_DIM, "  %s", line);
    int64_t col[LEVEL_COUNT];
    for (int t = LEVEL_RED; t >= LEVEL_GREEN; t--) {
        add_matrix_line(r, level_color((risk_level)t), level_label((risk_level)t), v->cells[t],
                        report_triaged_at(v, (risk_level)t), v->unconfirmed_at[t], k);
        col[t] = report_confirmed_at(v, (risk_level)t);
    }
    add_matrix_line(r, C_NORMAL, tr("rep_val_total"), col, report_confirmed_total(v), v->unconfirmed, k);
    add(r, C_NORMAL, "%s", "");
    add(r, C_DIM, "  %s", tr("rep_val_legend_ppv"));
    add(r, C_DIM, "  %s", tr("rep_val_legend_sens"));
    for (int t = LEVEL_RED; t >= LEVEL_GREEN; t--) {
        report_share_ci p = report_ppv(rep, (risk_level)t), s = report_sensitivity(rep, (risk_level)t);
        char pt[96], st[96], lv[48];
        report_share_text(&p, k, pt, sizeof pt);
        report_share_text(&s, k, st, sizeof st);
        pad_right(level_label((risk_level)t), 8, lv, sizeof lv);
        add(r, C_NORMAL, "  %s %s %-30s %s %s", lv, tr("rep_val_ppv"), pt, tr("rep_val_sens"), st);
    }
    add_at_or_above(r, rep, LEVEL_ORANGE, "safety");
    add_at_or_above(r, rep, LEVEL_YELLOW, "screen");
    add(r, C_DIM, "  %s", tr("rep_val_bias"));
}

static void build(app *a, const report *rep) {
    report_screen *r = &a->rep;
    char from[16], to[16];
    day_text(rep->from, from, sizeof from);
    day_text(rep->to - 1, to, sizeof to);
    snprintf(r->k_text, sizeof r->k_text, "<%d", rep->set.k);
    add(r, C_TITLE, "%s %s .. %s   (k = %d; %s %d %s %d %s)", tr("rep_range"), from, to, rep->set.k, tr("rep_retention_is"),
        rep->set.retention_sessions, tr("rep_sessions_within"), rep->set.retention_days, tr("rep_days"));
    add(r, C_DIM, "  %-22s %7s %8s %8s %8s %8s %8s %7s %8s", "", tr("rep_intakes"), tr("rep_accuracy"), tr("rep_first"),
        tr("rep_retained"), tr("rep_contact_h"), tr("rep_in_time"), tr("rep_overdue"), tr("rep_declines"));
    report_dim last = RD_COUNT;
    for (int i = 0; i < rep->n; i++) {
        const report_row *x = &rep->rows[i];
        if (x->dim != last && x->dim != RD_ALL) {
            char key[48];
            snprintf(key, sizeof key, "rep_dim_%s", report_dim_name(x->dim));
            add(r, C_NORMAL, "%s", "");
            add(r, C_TITLE, "%s", tr(key));
        }
        last = x->dim;
        add_row(r, rep, x, x->dim == RD_ALL ? tr("rep_all") : x->value[0] ? x->value : tr("rep_unknown"));
    }
    /* the presenting concerns as bars: what the centre is asked for */
    add(r, C_NORMAL, "%s", "");
    add(r, C_TITLE, "%s", tr("rep_concerns_chart"));
    for (int i = 0; i < rep->n; i++) {
        const report_row *x = &rep->rows[i];
        if (x->dim != RD_CONCERN) continue;
        if (x->suppressed) {
            add(r, C_DIM, "  %-16.16s %s", x->value, r->k_text);
            continue;
        }
        double share = report_share(rep, x);
        char bar[64];
        report_bar(share, 40, bar, sizeof bar);
        add(r, C_NORMAL, "  %-16.16s %s %3.0f%%", x->value[0] ? x->value : tr("rep_unknown"), bar, share * 100);
    }
    build_validation(r, rep);
}

static void run(app *a) {
    report_screen *r = &a->rep;
    int64_t from, to;
    if (!day_parse(r->form.f[0].value, &from)) {
        app_message(a, true, "%s%s%s", tr("rep_from"), tr("p_colon"), tr("rep_date_format"));
        return;
    }
    if (!day_parse(r->form.f[1].value, &to) || to < from) {
        app_message(a, true, "%s%s%s", tr("rep_to"), tr("p_colon"), tr("rep_date_format"));
        return;
    }
    report_settings set;
    report_settings_from_config(&a->e->cfg, &set);
    report rep;
    error err = {0};
    if (!report_run(a->s, &set, from, to + 86400, &rep, &err)) { /* the last day counts whole */
        app_message(a, true, "%s", err.msg);
        return;
    }
    clear_lines(r);
    build(a, &rep);
    report_free(&rep);
    /* the levels are the facts' clear copies: when their row MACs were last checked (core/records/rowmac.h) */
    int64_t at;
    bool sound;
    verify_last(a->s, &at, &sound);
    char when[24] = "";
    if (at) day_text(at, when, sizeof when);
    add(r, C_NORMAL, "%s", "");
    if (!at) add(r, C_DIM, "%s", tr("rep_levels_unchecked"));
    else add(r, sound ? C_DIM : level_color(LEVEL_RED), "%s %s: %s", tr("rep_levels_checked"), when,
             tr(sound ? "rep_levels_sound" : "rep_levels_tampered"));
    r->form.active = false;
}

static bool report_enter(app *a) {
    error why = {0};
    if (!session_allowed(a->s, ACT_REPORT, &why)) {
        app_message(a, true, "%s", why.msg);
        return false;
    }
    report_screen *r = &a->rep;
    clear_lines(r);
    field_form_clear(&r->form);
    r->form.active = true;
    r->form.n = 2;
    r->form.f[0].label = "rep_from";
    r->form.f[1].label = "rep_to";
    int64_t now = clock_now();
    day_text(now - 29 * 86400, r->form.f[0].value, sizeof r->form.f[0].value); /* the last 30 days */
    day_text(now, r->form.f[1].value, sizeof r->form.f[1].value);
    return true;
}

static void report_leave(app *a) {
    clear_lines(&a->rep);
    field_form_clear(&a->rep.form);
}

static bool report_typing(const app *a) { return a->rep.form.active; }

static void report_draw(app *a, const layout *l) {
    report_screen *r = &a->rep;
    int top = l->body.y + 1, rows = l->body.h - 3, width = l->body.w;
    draw_text(top, 2, width - 4, tr("rep_title"), theme(C_TITLE));
    if (r->form.active) {
        field_form_draw(&r->form, top + 2, 3, width - 4);
        draw_wrapped(top + 5, 3, width - 6, 3, keyed("rep_form_hint"), theme(C_DIM));
        return;
    }
    rows -= 1;
    if (r->top > r->n_lines - rows) r->top = r->n_lines - rows > 0 ? r->n_lines - rows : 0;
    for (int i = 0; i < rows && r->top + i < r->n_lines; i++)
        draw_text(top + 1 + i, 1, width - 2, r->lines[r->top + i].text, theme((color_role)r->lines[r->top + i].attr));
    draw_text(l->body.y + l->body.h - 1, 1, width - 2, keyed("rep_hint"), theme(C_DIM));
}

static reaction report_handle(app *a, const event *ev, ui_action act) {
    report_screen *r = &a->rep;
    if (r->form.active) {
        if (act == UA_BACK) return switch_to(SCR_HOME);
        if (act == UA_CHOOSE || act == UA_SAVE) run(a);
        else field_form_handle(&r->form, ev, act);
        return react(RE_REDRAW);
    }
    if (act == UA_NEXT && r->top < r->n_lines - 1) r->top++;
    else if (act == UA_PREV && r->top > 0) r->top--;
    else if (act == UA_PAGE_DOWN) r->top += 10;
    else if (act == UA_PAGE_UP) r->top = r->top > 10 ? r->top - 10 : 0;
    else if (act == UA_CHOOSE) r->form.active = true; /* another range */
    else if (act == UA_BACK || act == UA_QUIT) return switch_to(SCR_HOME);
    return react(RE_REDRAW);
}

const screen_ops report_ops = {"report", report_enter, NULL, report_draw, report_handle, report_leave, report_typing};
