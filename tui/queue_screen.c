/* The escalation queues: one tab per level, then "overdue" and "match by hand". A row shows only what a
 * passer-by may see (initials, a short id, the level in words, the main reason, the item's age and a live
 * countdown); the name appears only in the opened record. Every move of an item is a key away, and the
 * selected item's history says who did what and when. The screen reads one page, through the index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wctype.h>

#include "clock.h"
#include "counselors.h"
#include "secret.h"
#include "ui.h"

/* How long a word typed onto the list lasts with no key that ends it: a person thinking inside a name takes seconds
 * (ten, once), never a minute */
#define QUEUE_WORD_MS 60000

static const char *const tab_keys[QT_COUNT] = {"tab_red", "tab_orange", "tab_yellow", "tab_green", "tab_overdue", "tab_by_hand_short"};

static const char *level_word(risk_level l) {
    static const char *const k[LEVEL_COUNT] = {"level_green", "level_yellow", "level_orange", "level_red"};
    return tr(k[l]);
}

static int tab_total(const app *a, queue_tab t) {
    const queue_counts_rec *c = &a->live.counts;
    switch (t) {
    case QT_RED: return c->open[3];
    case QT_ORANGE: return c->open[2];
    case QT_YELLOW: return c->open[1];
    case QT_GREEN: return c->open[0];
    case QT_OVERDUE: return c->overdue[0] + c->overdue[1] + c->overdue[2] + c->overdue[3];
    default: return c->by_hand;
    }
}

/* "45m", "3h 05m", "2d 03h" (45分, 3时05分, 2天03时, as the deadline beside it: seventeenth tryout): how long ago an
 * item came in. */
static void format_age(int64_t secs, char *buf, size_t size) {
    if (secs < 60) snprintf(buf, size, "%s", tr("under_a_minute"));
    else if (secs < 3600) snprintf(buf, size, "%d%s", (int)(secs / 60), tr("u_min"));
    else if (secs < 86400)
        snprintf(buf, size, "%d%s%02d%s", (int)(secs / 3600), tr("u_hour_sep"), (int)(secs % 3600 / 60), tr("u_min"));
    else snprintf(buf, size, "%d%s%02d%s", (int)(secs / 86400), tr("u_day_sep"), (int)(secs % 86400 / 3600), tr("u_hour"));
}

void format_time(int64_t t, char *buf, size_t size) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (localtime_r(&tt, &tm)) strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
    else snprintf(buf, size, "?");
}

static bool id_like(const char *s) {
    if (strlen(s) < 2) return false;
    for (const char *p = s; *p; p++)
        if (!strchr("0123456789abcdef-", *p)) return false;
    return true;
}

static void history_drop(queue_screen *q) {
    queue_history_free(q->hist, q->n_hist);
    q->hist = NULL;
    q->n_hist = 0;
    q->hist_of[0] = '\0';
}

static void load_history(app *a) {
    queue_screen *q = &a->q;
    if (q->sel < 0 || q->sel >= q->n) {
        history_drop(q);
        return;
    }
    const queue_item *it = &q->items[q->sel];
    if (strcmp(q->hist_of, it->id) == 0 && q->hist_updated == it->updated_at) return;
    history_drop(q);
    error err = {0};
    if (!queues_history(a->s, it->id, &q->hist, &q->n_hist, &err)) app_message(a, true, "%s", err.msg);
    memcpy(q->hist_of, it->id, sizeof q->hist_of);
    q->hist_updated = it->updated_at;
}

static int more_urgent_first(const void *x, const void *y) {
    const queue_item *a = x, *b = y;
    if (a->overdue != b->overdue) return a->overdue ? -1 : 1;
    if (a->level != b->level) return (int)b->level - (int)a->level;
    /* then the nearest deadline, as the tabs order them (none last) */
    if ((a->deadline == 0) != (b->deadline == 0)) return a->deadline == 0 ? 1 : -1;
    if (a->deadline != b->deadline) return a->deadline < b->deadline ? -1 : 1;
    return a->created_at < b->created_at ? -1 : a->created_at > b->created_at;
}

static void filter_forget(queue_screen *q) {
    free(q->filter_clients);
    q->filter_clients = NULL;
    q->n_filter_clients = 0;
}

static void filter_add_client(queue_screen *q, const char *client_id) {
    for (int i = 0; i < q->n_filter_clients; i++)
        if (strcmp(q->filter_clients[i], client_id) == 0) return;
    memcpy(q->filter_clients[q->n_filter_clients++], client_id, STORE_ID_LEN);
}

/* The items of the clients a name or phone finds. The search (through the blind index) runs once, when the
 * filter is applied: it is audited, and a desk re-reading its page after every change must not write. */
static void load_by_client(app *a) {
    queue_screen *q = &a->q;
    error err = {0};
    q->n = 0;
    if (q->filter_search) {
        client_plain *found = NULL;
        int n = 0;
        q->filter_search = false;
        filter_forget(q);
        if (!client_find(a->s, q->filter, &found, &n, &err)) {
            app_message(a, true, "%s", err.msg);
            return;
        }
        /* the start of an anonymous caller's id ("KMT" of KMT4821) finds the caller too: the blind index knows
         * whole words only, and a lone start found nobody (tryout) */
        queue_item callers[QUEUE_PAGE_MAX];
        int n_callers = 0;
        if (caller_id_prefix_like(q->filter) && !queues_find_callers(a->s, q->filter, callers, QUEUE_PAGE_MAX, &n_callers, &err))
            app_message(a, true, "%s", err.msg);
        /* ...and a start that may also be an item's id ("abc1") keeps finding that item */
        queue_item *by_id = NULL;
        int n_by_id = 0;
        queue_filter f = {"", false, false, q->filter};
        if (id_like(q->filter) && !queues_page(a->db, &f, 0, QUEUE_PAGE_MAX, &by_id, &n_by_id, &err)) app_message(a, true, "%s", err.msg);
        q->filter_clients = calloc((size_t)(n + n_callers + n_by_id + 1), STORE_ID_LEN);
        for (int i = 0; q->filter_clients && i < n; i++) memcpy(q->filter_clients[q->n_filter_clients++], found[i].id, STORE_ID_LEN);
        for (int i = 0; q->filter_clients && i < n_callers; i++) filter_add_client(q, callers[i].client_id);
        for (int i = 0; q->filter_clients && i < n_by_id; i++) filter_add_client(q, by_id[i].client_id);
        free(by_id);
        client_list_free(found, n);
    }
    for (int i = 0; i < q->n_filter_clients && q->n < QUEUE_PAGE_MAX; i++)
        if (queues_open_for_client(a->db, q->filter_clients[i], &q->items[q->n])) q->n++;
    /* the most urgent first, as the tabs order them (the filter listed 12 GREEN above a RED: twenty-ninth receptionist) */
    if (q->n > 1) qsort(q->items, (size_t)q->n, sizeof q->items[0], more_urgent_first);
    q->total = q->n;
    q->offset = 0;
}

/* The rows of items that fit under the tabs, with the selected item's history below them. */
static int page_rows(const layout *l) {
    int top = l->body.y + 1, bottom = l->body.y + l->body.h - 1;
    int detail_h = l->body.h >= 30 ? 10 : 7;
    int rows = bottom - (top + 3) - detail_h;
    if (rows < 1) rows = 1;
    return rows > QUEUE_PAGE_MAX ? QUEUE_PAGE_MAX : rows;
}

/* Reads the page (as many rows as fit) and the selected item's history. */
static void queue_load(app *a, const layout *l) {
    queue_screen *q = &a->q;
    q->page = page_rows(l);
    if (!a->s) return;
    error err = {0};
    /* the highlight stays on its item, wherever the new order puts it: after `a` it stayed on the top row, and a
     * second `a` acknowledged a RED item nobody had looked at (tryout 16); a poll that brings a new item in must
     * not move it under the worker's next key either */
    char was[sizeof q->items[0].id] = "";
    if (q->sel >= 0 && q->sel < q->n) memcpy(was, q->items[q->sel].id, sizeof was);
    if (q->filter[0] && q->filter_by_client) {
        load_by_client(a);
    } else {
        static const char *const lv[QT_COUNT] = {"red", "orange", "yellow", "green", "", ""};
        queue_filter f = {lv[q->tab], q->tab == QT_OVERDUE, q->tab == QT_BY_HAND, q->filter[0] ? q->filter : NULL};
        queue_item *items = NULL;
        int n = 0;
        int limit = q->page < 1 ? 1 : q->page > QUEUE_PAGE_MAX ? QUEUE_PAGE_MAX : q->page;
        for (int tries = 0; tries < 2; tries++) {
            if (!queues_page(a->db, &f, q->offset, limit, &items, &n, &err)) {
                app_message(a, true, "%s", err.msg);
                return;
            }
            if (n > 0 || q->offset == 0) break;
            free(items); /* the page emptied under us (items closed on another desk): step back */
            q->offset = q->offset > limit ? q->offset - limit : 0;
        }
        memcpy(q->items, items, (size_t)n * sizeof *items);
        free(items);
        q->n = n;
        q->total = q->filter[0] ? q->offset + n : tab_total(a, q->tab);
    }
    for (int i = 0; i < q->n; i++)
        if (!queue_row_view_load(a->s, &q->items[i], &q->views[i], &err)) {
            memset(&q->views[i], 0, sizeof q->views[i]);
            snprintf(q->views[i].reason, sizeof q->views[i].reason, "%.180s", err.msg);
        }
    bool found = false;
    for (int i = 0; was[0] && i < q->n; i++)
        if (strcmp(q->items[i].id, was) == 0) q->sel = i, found = true;
    if (q->stepped[0] && strcmp(q->stepped, was) == 0 && !found) q->sel = q->n; /* none: see queue_screen */
    else if (q->sel >= q->n) q->sel = q->n ? q->n - 1 : 0;
    q->stepped[0] = '\0';
    q->hist_of[0] = '\0'; /* the database changed: the history too may have grown */
    load_history(a);
}

static bool queue_enter(app *a) {
    queue_screen *q = &a->q;
    q->prompt = QP_NONE;
    q->last_key_ms = input_key_ms(); /* the key that opened the queues: a step key right behind it is typing */
    q->word_until = 0;
    q->sel = q->offset = 0;
    /* open on the most urgent tab that has something in it */
    q->tab = QT_RED;
    if (tab_total(a, QT_OVERDUE)) q->tab = QT_OVERDUE;
    else
        for (int t = QT_RED; t <= QT_GREEN; t++)
            if (tab_total(a, (queue_tab)t)) {
                q->tab = (queue_tab)t;
                break;
            }
    session_audit(a->s, "queue_view", "", ""); /* who looked at the queues, not what each row held */
    return true;
}

static void queue_leave(app *a) {
    queue_screen *q = &a->q;
    history_drop(q);
    filter_forget(q);
    /* a filter kept for the way back (a record opened from it) is searched again then: its clients were forgotten,
     * and the filter showed "0" over the RED tab (thirty-second receptionist) */
    q->filter_search = q->filter_by_client;
    free(q->counselors);
    q->counselors = NULL;
    q->n_counselors = 0;
    secret_wipe(q->reason, sizeof q->reason);
    q->prompt = QP_NONE;
}

static bool queue_typing(const app *a) { return a->q.prompt == QP_REASON || a->q.prompt == QP_FILTER; }

/* ---- drawing ---- */

static void draw_tabs(app *a, int y, int width) {
    int x = 2;
    for (int t = 0; t < QT_COUNT && x < width; t++) {
        char label[64];
        bool on = (int)a->q.tab == t && !(a->q.filter[0] && a->q.filter_by_client);
        snprintf(label, sizeof label, "%s%d %s %d%s", on ? "[" : " ", t + 1, tr(tab_keys[t]), tab_total(a, (queue_tab)t), on ? "]" : " ");
        attr_t at = on ? theme(C_HILITE) | A_BOLD : A_NORMAL;
        if (t == QT_RED && tab_total(a, QT_RED)) at |= on ? 0 : theme(C_RED);
        x += draw_text(y, x, width - x, label, at) + 1;
    }
}

/* The columns of a row, in screen columns (names may be Chinese: two columns a character). */
static const struct {
    int x, w;
    const char *head;
} cols[] = {{1, 2, ""},           {4, 6, "col_client"}, {11, 8, "col_id"},        {20, 6, "col_level"},
            {27, 12, "col_state"}, {40, 7, "col_age"},   {48, 14, "col_deadline"}, {63, 0, "col_reason"}};

static void draw_columns(int y, int width) {
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
        draw_text(y, cols[c].x, cols[c].w ? cols[c].w : width - cols[c].x - 1, tr(cols[c].head), theme(C_DIM) | A_UNDERLINE);
}

static void draw_row(app *a, int y, int width, int i) {
    queue_screen *q = &a->q;
    const queue_item *it = &q->items[i];
    const queue_row_view *v = &q->views[i];
    int64_t now = clock_now();
    char age[24], left[40], reason[256];
    format_age(now - it->created_at, age, sizeof age);
    remaining_tr(it, now, left, sizeof left);
    /* an item whose row MAC failed: the level cell says so and the row reads as red (core/records/queue_items.c) */
    snprintf(reason, sizeof reason, "%s%s%s", it->tampered ? tr("queue_tampered") : "", queue_item_by_hand_now(it) ? tr("by_hand_mark") : "",
             stored_reason(a, v->reason_rule, v->reason, v->remote));
    /* overdue rows stand out without colour: a mark, the capitals of "OVERDUE", and bold */
    attr_t at = i == q->sel ? theme(C_HILITE) : it->overdue ? A_BOLD : A_NORMAL;
    if (i == q->sel) {
        attron(at);
        mvhline(y, 1, ' ', width - 2);
        attroff(at);
    }
    const char *cells[] = {it->overdue ? "!!" : "", v->initials, v->short_id, it->tampered ? tr("tampered_short") : level_word(it->level),
                           state_tr(it->state), age, left, reason};
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
        attr_t cell = at;
        if (c == 3 && i != q->sel) cell = theme(level_color(it->level));
        int w = cols[c].w ? cols[c].w : width - cols[c].x - 1;
        if (c == 1 && !v->short_id[0]) w = cols[2].x + cols[2].w - cols[1].x; /* a caller's id spans the id column */
        char fit[512];
        if (c == 7) text_fit_words(fit, sizeof fit, cells[c], w); /* the reason: cut after a word, with a mark */
        draw_text(y, cols[c].x, w, c == 7 ? fit : cells[c], cell);
    }
}

/* Confirming red is the clinician's evaluation: its outcome is written down (core/queue/queue_policy.c refuses it without). */
static bool evaluation(const queue_request *rq) { return rq->action == QA_CONFIRM && rq->level == LEVEL_RED; }

/* Closing an orange or red item: its written note is asked after the outcome (the core refuses it without). */
static bool close_note(const queue_request *rq, const queue_item *it) {
    return rq->action == QA_CLOSE && it && it->level >= LEVEL_ORANGE;
}

/* What the selected item owes next, in words; red says both of its steps. Every open item says one (open orange,
 * yellow and green items said none: forty-eighth tryout). */
static const char *next_step_key(const app *a, const queue_item *it) {
    const queue_policy *p = &a->e->queue;
    if (queue_item_by_hand_now(it)) return "next_by_hand";
    if (queue_in_evaluation(p, it)) return "next_red_evaluate";
    if (it->level == LEVEL_RED && it->state < p->step[LEVEL_RED]) return "next_red_ack";
    if (queue_in_contact(p, it)) return it->counselor[0] ? "next_contact_assigned" : "next_contact";
    switch (queue_next_step(p, it)) {
    case QS_ACKNOWLEDGED: return "next_ack";
    case QS_CONFIRMED: return "next_confirm";
    case QS_ASSIGNED: return "next_assign";
    case QS_CONTACTED: return it->counselor[0] ? "next_contact_assigned" : "next_contact";
    default: return NULL;
    }
}

/* A counselor by name (the roster's), the code only when the roster no longer has them. */
const char *counselor_name(const app *a, const char *code) {
    for (int i = 0; a->e->has_roster && i < a->e->roster.n; i++)
        if (strcmp(a->e->roster.v[i].id, code) == 0) return a->e->roster.v[i].name;
    return code;
}

static void draw_detail(app *a, int y, int bottom, int width) {
    queue_screen *q = &a->q;
    if (q->sel >= q->n) return;
    const queue_item *it = &q->items[q->sel];
    char line[700];
    mvhline(y, 1, '-', width - 2);
    /* the client is named once, by the row above (initials and id, or a caller's id): no item id beside it */
    snprintf(line, sizeof line, " %s %s  %s %d  %s %d  %s %d ", tr("counselor"),
             it->counselor[0] ? counselor_name(a, it->counselor) : "-", tr("contacts"), it->contact_attempts, tr("declines"), it->declines_in_row,
             tr("escalations"), it->escalations);
    draw_text(y++, 3, width - 6, line, theme(C_TITLE));
    const char *next = next_step_key(a, it);
    /* wrapped, never cut ("Next: acknowledge (a) by the deadline; then a clinician evaluates (c, with" at 80x24) */
    if (next && y < bottom) y += draw_wrapped(y, 3, width - 6, bottom - y < 3 ? bottom - y : 3, keyed(next), it->overdue ? theme(C_RED) : A_BOLD);
    if (next && it->deadline && y < bottom) { /* and the deadline's clock time, not only "by the deadline" (forty-eighth tryout) */
        char due[32] = "", left[64];
        time_t t = (time_t)it->deadline;
        struct tm tm;
        if (localtime_r(&t, &tm)) strftime(due, sizeof due, "%Y-%m-%d %H:%M", &tm);
        remaining_tr(it, clock_now(), left, sizeof left);
        snprintf(line, sizeof line, "%s%s%s (%s)", tr("deadline"), tr("p_colon"), due, left);
        draw_text(y++, 3, width - 6, line, it->overdue ? theme(C_RED) : A_BOLD);
    }
    for (int k = q->n_hist > bottom - y ? q->n_hist - (bottom - y) : 0; k < q->n_hist && y < bottom; k++) {
        queue_history_line(a, &q->hist[k], line, sizeof line);
        /* a line longer than the pane says so with its mark (a note was cut at "speaks Polis" with nothing to say
         * more was there: forty-first receptionist); the record (Enter) shows it whole */
        char shown[700];
        text_fit(shown, sizeof shown, line, width - 6);
        draw_text(y++, 3, width - 6, shown, A_NORMAL);
    }
}

/* A history entry's codes in the staff language: Chinese screens showed "enqueue none->open none->orange" (sixth
 * tryout). English keeps the codes, which are its words. */
static const char *hist_action(const char *code) {
    char key[48];
    snprintf(key, sizeof key, "qh_%s", code);
    const char *t = tr(key);
    /* English kept its codes, which were its words; "contact_missed" is none: "not reached" (forty-first receptionist) */
    return t == key || strcmp(t, key) == 0 ? code : t;
}

static const char *hist_state(const char *code) {
    queue_state st;
    if (ui_lang() == LANG_EN) return code;
    if (queue_state_parse(code, &st)) return state_tr(st);
    return strcmp(code, "none") == 0 ? tr("qh_none") : code;
}

static const char *hist_level(const char *code) {
    risk_level l;
    if (ui_lang() == LANG_EN) return code;
    if (risk_level_parse(code, &l)) return level_word(l);
    return strcmp(code, "none") == 0 ? tr("qh_none") : code;
}

void queue_history_line(const app *a, const queue_history_entry *h, char *out, size_t size) {
    char when[32], level[96] = "";
    format_time(h->at, when, sizeof when);
    if (strcmp(h->action, "decline") == 0 && h->counselor[0]) { /* whom the client declined, by name (issue 14) */
        snprintf(out, size, "%s  %-10s %s %s (%s)%s%s", when, h->who, tr("qh_declined_whom"), counselor_name(a, h->counselor),
                 h->counselor, h->reason ? tr("p_colon") : "", h->reason ? h->reason : "");
        return;
    }
    if (strcmp(h->level_before, h->level_after) != 0)
        snprintf(level, sizeof level, "  %s->%s", hist_level(h->level_before), hist_level(h->level_after));
    /* whom an assignment gave the client, by name (thirtieth receptionist: the row said "assign" and not whom) */
    char whom[200] = "";
    if (strcmp(h->action, "assign") == 0 && h->counselor[0])
        snprintf(whom, sizeof whom, "  %s (%s)", counselor_name(a, h->counselor), h->counselor);
    snprintf(out, size, "%s  %-10s %-10s %s->%s%s%s%s%s", when, h->who, hist_action(h->action), hist_state(h->from_state),
             hist_state(h->to_state), level, whom, h->reason ? ": " : "", h->reason ? h->reason : "");
}

/* The item a question acts on, as its row shows it ("D.C.R. 9980b0b2 (RED)"): found by the id kept when the question
 * opened, wherever the list has moved it since. */
static void step_whom(const queue_screen *q, char *out, size_t size) {
    out[0] = '\0';
    for (int i = 0; i < q->n; i++)
        if (!strcmp(q->items[i].id, q->item_id)) {
            snprintf(out, size, "%s %s (%s)", q->views[i].initials, q->views[i].short_id, level_tr(q->items[i].level));
            return;
        }
}

static void draw_prompt(app *a, int y, int width) {
    queue_screen *q = &a->q;
    char line[1024], who[96];
    switch (q->prompt) {
    case QP_LEVEL: { /* named as a, t and d name it (its level confirmed with Enter alone: thirty-ninth receptionist) */
        step_whom(q, who, sizeof who);
        /* a raise offers the levels above the item's only (it offered all four, and refused a lower one after it was
         * picked: fortieth and forty-first receptionists); the digits keep their meaning (1 is always RED) */
        risk_level from = LEVEL_GREEN;
        for (int i = 0; i < q->n; i++)
            if (!strcmp(q->items[i].id, q->item_id)) from = q->items[i].level;
        char choices[256] = "";
        size_t used = 0;
        for (int d = 1; d <= 4; d++) {
            risk_level l = (risk_level)(LEVEL_RED - (d - 1));
            if (q->rq.action == QA_RAISE && l <= from) continue;
            int w = snprintf(choices + used, sizeof choices - used, "  %d %s", d, level_word(l));
            if (w > 0 && (size_t)w < sizeof choices - used) used += (size_t)w;
        }
        snprintf(line, sizeof line, "%s: %s%s   %s", who, keyed(q->rq.action == QA_RAISE ? "prompt_raise" : "prompt_confirm"),
                 choices, key_of(UA_BACK, 1));
        break;
    }
    case QP_REASON:
        /* a level changed: whose, and from what to what (lowering ORANGE to GREEN named nobody: forty-second) */
        if (q->rq.action == QA_CONFIRM || q->rq.action == QA_RAISE) {
            step_whom(q, who, sizeof who);
            risk_level from = q->rq.level;
            for (int i = 0; i < q->n; i++)
                if (!strcmp(q->items[i].id, q->item_id)) from = q->items[i].level;
            snprintf(line, sizeof line, "%s %s->%s: %s %s_", who, level_word(from), level_word(q->rq.level),
                     keyed(evaluation(&q->rq) ? "prompt_evaluation" : q->rq.action == QA_RAISE ? "prompt_reason_raise" : "prompt_reason"),
                     q->reason);
            break;
        }
        snprintf(line, sizeof line, "%s%s%s%s%s %s_", q->rq.action == QA_DECLINE ? tr("decline_whom") : "",
                 q->rq.action == QA_DECLINE ? " " : "", q->rq.action == QA_DECLINE ? counselor_name(a, q->declining_whom) : "",
                 q->rq.action == QA_DECLINE ? tr("p_stop") : "",
                 keyed(q->rq.action == QA_DECLINE ? "prompt_decline"
                       : evaluation(&q->rq)           ? "prompt_evaluation"
                       : q->rq.action == QA_CLOSE     ? "prompt_close_note"
                       : q->rq.action == QA_RAISE     ? "prompt_reason_raise"
                                                      : "prompt_reason"),
                 q->reason);
        break;
    case QP_OUTCOME:
        step_whom(q, who, sizeof who);
        snprintf(line, sizeof line, "%s: %s  1 %s  2 %s  3 %s  4 %s  5 %s   %s", who, tr("prompt_outcome"), tr("out_first_session"),
                 tr("out_declined"), tr("out_referred"), tr("out_unreachable"), tr("out_duplicate"), key_of(UA_BACK, 1));
        break;
    case QP_CONTACT: /* reached or not is said: an attempt that did not get through is no contact (fortieth receptionist) */
        step_whom(q, who, sizeof who);
        snprintf(line, sizeof line, "%s: %s  1 %s  2 %s, %s   %s", who, tr("prompt_contact"), tr("contact_reached"),
                 tr("contact_not_reached"), keyed("contact_then"), key_of(UA_BACK, 1));
        break;
    case QP_FILTER: snprintf(line, sizeof line, "%s %s_", keyed("prompt_filter"), q->filter); break;
    case QP_COUNSELOR: snprintf(line, sizeof line, "%s", keyed("prompt_counselor")); break;
    case QP_STEP: {
        step_whom(q, who, sizeof who);
        snprintf(line, sizeof line, "%s %s%s%s%s %s", tr(q->rq.action == QA_ACK ? "step_ack" : "step_decline"),
                 who, q->rq.action == QA_DECLINE ? tr("step_decline_whom") : "",
                 q->rq.action == QA_DECLINE ? counselor_name(a, q->declining_whom) : "", tr("step_q"), keyed("step_yes_no"));
        break;
    }
    default: snprintf(line, sizeof line, "%s", keyed("queue_hint")); break;
    }
    /* the keys' line, and a prompt's, wrap onto the row below rather than lose their last choices at 80 columns (the
     * close menu ended "4 unreachable  5 dup": nineteenth tryout) */
    draw_wrapped(y, 1, width - 2, 2, line, q->prompt == QP_NONE ? theme(C_DIM) : theme(C_HILITE));
}

static void draw_counselors(app *a, int y, int bottom, int width) {
    queue_screen *q = &a->q;
    char who[96], title[640];
    step_whom(q, who, sizeof who); /* whose counselor: the list covers the rows (forty-first receptionist) */
    snprintf(title, sizeof title, "%s: %s", who, keyed("prompt_counselor"));
    draw_text(y++, 2, width - 4, title, theme(C_TITLE));
    strlist declined = strlist_split(q->declined_row);
    for (int i = 0; i < q->n_counselors && y < bottom; i++) {
        const counselor_rec *c = &q->counselors[i];
        char line[1024], name[160], langs[64];
        text_fit(name, sizeof name, client_name_tr(c->name), 24); /* screen columns: Chinese names keep the columns aligned */
        if (strlist_find(&declined, c->code) >= 0) { /* declined in this row: said beside the name, in the same 24 columns */
            const char *mark = tr("declined_mark");
            char cut[120];
            int room = 24 - text_width(mark) - 1;
            text_fit(cut, sizeof cut, client_name_tr(c->name), room > 4 ? room : 4);
            snprintf(name, sizeof name, "%.119s %.30s", cut, mark);
        }
        text_fit(langs, sizeof langs, c->languages, 10);
        /* the intake's suggestion (the best match not declined in this row), marked: the list is the roster's order */
        bool suggested = q->suggested[0] && !strcmp(q->suggested, c->code);
        snprintf(line, sizeof line, "%d  %s %s %s%s%s", i + 1, name, langs, c->orientations, suggested ? "  " : "",
                 suggested ? tr("suggested_mark") : "");
        draw_text(y++, 2, width - 4, line, i == q->choice ? theme(C_HILITE) : A_NORMAL);
    }
    strlist_free(&declined);
}

static void queue_draw(app *a, const layout *l) {
    queue_screen *q = &a->q;
    int top = l->body.y + 1, bottom = l->body.y + l->body.h - 1, width = l->body.w;
    int rows = page_rows(l);
    draw_tabs(a, top, width);
    char line[256];
    /* a client filter's list is one page however long: it scrolls with the selection, and says which rows show
     * (twenty-ninth receptionist: 24 found, 16 drawn, a RED Li Meiling among the 8 never shown, Down moving the
     * selection off the screen) */
    int first = q->filter_by_client && q->sel >= rows && q->sel < q->n ? q->sel - rows + 1 : 0;
    if (q->filter[0] && q->prompt != QP_FILTER) {
        char shown[64] = "";
        if (q->n > rows)
            snprintf(shown, sizeof shown, "   %d-%d / %d  %s", first + 1, first + rows < q->n ? first + rows : q->n, q->n,
                     keyed("filter_more"));
        snprintf(line, sizeof line, "%s \"%s\": %d%s   (%s)", tr("filtered"), q->filter, q->n, shown, keyed("filter_clear"));
        draw_text(top + 1, 2, width - 4, line, theme(C_TITLE));
    } else if (q->total > q->page) {
        snprintf(line, sizeof line, "%d-%d / %d   %s", q->total ? q->offset + 1 : 0, q->offset + q->n, q->total, keyed("queue_pages"));
        draw_text(top + 1, 2, width - 4, line, theme(C_DIM));
    }
    draw_columns(top + 2, width);
    if (q->prompt == QP_COUNSELOR) {
        draw_counselors(a, top + 3, bottom - 1, width);
    } else {
        if (q->n == 0) draw_text(top + 3, 3, width - 6, tr("queue_empty"), theme(C_DIM));
        for (int i = first; i < q->n && i < first + rows; i++) draw_row(a, top + 3 + i - first, width, i);
        draw_detail(a, top + 3 + rows, bottom - 1, width);
    }
    draw_prompt(a, bottom - 1, width);
}

/* ---- keys ---- */

static void submit(app *a) {
    queue_screen *q = &a->q;
    error err = {0};
    queue_request rq = q->rq;
    rq.reason = q->reason[0] ? q->reason : NULL;
    queue_refused why;
    risk_level before = rq.level;
    for (int i = 0; i < q->n; i++)
        if (!strcmp(q->items[i].id, q->item_id)) before = q->items[i].level;
    bool ok = queues_act_why(a->s, &a->e->queue, q->item_id, rq, &why, &err);
    if (ok) {
        char now[32];
        format_time(clock_now(), now, sizeof now);
        char said[32]; /* the step in the screen's language ("完成: ack" on a Chinese screen: tryout 16) */
        snprintf(said, sizeof said, "qa_%s", queue_event_name(&rq));
        /* a level lowered says so, from what to what: "level confirmed" hid an ORANGE lowered to GREEN, its row gone
         * from the tab (forty-third receptionist) */
        if (rq.action == QA_CONFIRM && rq.level < before)
            app_message(a, false, "%s%s%s %s->%s (%s, %s)", tr("done"), tr("p_colon"), tr("qa_lowered"), level_word(before),
                        level_word(rq.level), a->s->me.name, now);
        else
            app_message(a, false, "%s%s%s (%s, %s)", tr("done"), tr("p_colon"), tr(said), a->s->me.name, now);
    } else {
        char said[512];
        app_message(a, true, "%s", queue_refusal_said(a, &why, said, sizeof said) ? said : err.msg);
    }
    secret_wipe(q->reason, sizeof q->reason);
    q->prompt = QP_NONE;
    memcpy(q->stepped, q->item_id, sizeof q->stepped);
    live_poll(a, true);
}

/* A step the core's rules refuse as the item stands is said at once, before its reason is asked (a raise to a level
 * not higher took a reason first, then was refused: tryout 19). The rules are the core's (queue_apply_why on a copy). */
static bool refused_now(app *a, const queue_item *it) {
    queue_item copy = *it;
    queue_refused why;
    error err = {0};
    queue_request rq = a->q.rq;
    rq.role = a->s->me.role;
    if (queue_apply_why(&a->e->queue, &copy, &rq, clock_now(), &why, &err)) return false;
    char said[512];
    app_message(a, true, "%s", queue_refusal_said(a, &why, said, sizeof said) ? said : err.msg);
    a->q.prompt = QP_NONE;
    return true;
}

static bool begin_request(app *a, queue_action what) {
    queue_screen *q = &a->q;
    if (q->sel >= q->n) {
        app_message(a, true, "%s", keyed("queue_none_selected"));
        return false;
    }
    memset(&q->rq, 0, sizeof q->rq);
    q->rq.action = what;
    a->message[0] = '\0'; /* a message about the key before stayed under the prompt ("nothing was done": tryout 36) */
    memcpy(q->item_id, q->items[q->sel].id, sizeof q->item_id);
    secret_wipe(q->reason, sizeof q->reason);
    q->choice = 0;
    return true;
}

/* Whom a decline names (the counselor assigned, else the suggestion of the item's intake), checked against the
 * core's rules at once: nobody to decline, or the one the last decline named, is said before a reason is typed
 * (a decline naming nobody counted toward "match by hand": tryout 19). */
static bool decline_whom(app *a) {
    queue_screen *q = &a->q;
    error err = {0};
    const queue_item *it = &q->items[q->sel];
    if (!queues_decline_counselor(a->s, it, NULL, q->declining_whom, sizeof q->declining_whom, &err) && err.msg[0]) {
        app_message(a, true, "%s", err.msg);
        return false;
    }
    q->rq.counselor = q->declining_whom;
    char row[QUEUE_DECLINED_MAX];
    q->rq.declined_row = queues_declined_row(a->s, it, row);
    q->rq.reason = "(asked next)"; /* the rules ask for the reason first, which the prompt asks for next */
    bool refused = refused_now(a, it);
    q->rq.reason = NULL;
    q->rq.declined_row = NULL; /* read again inside the step's transaction */
    return !refused;
}

static void start_assign(app *a) {
    queue_screen *q = &a->q;
    counselor_rec *all = NULL;
    int n = 0;
    error err = {0};
    free(q->counselors);
    q->counselors = NULL;
    q->n_counselors = 0;
    if (!roster_list(a->db, &all, &n, &err)) {
        app_message(a, true, "%s", err.msg);
        return;
    }
    q->counselors = calloc((size_t)(n ? n : 1), sizeof *q->counselors);
    for (int i = 0; q->counselors && i < n; i++)
        if (all[i].available) q->counselors[q->n_counselors++] = all[i];
    free(all);
    if (q->n_counselors == 0) {
        app_message(a, true, "%s", tr("no_counselor_available"));
        return;
    }
    /* whom this client declined in the current row, marked in the list (the core's read of the signed trail) */
    q->declined_row[0] = '\0';
    if (q->sel < q->n) (void)queues_declined_row(a->s, &q->items[q->sel], q->declined_row);
    q->suggested[0] = '\0';
    error quiet = {0};
    if (q->sel < q->n && q->items[q->sel].counselor[0] == '\0')
        (void)queues_decline_counselor(a->s, &q->items[q->sel], NULL, q->suggested, sizeof q->suggested, &quiet);
    q->prompt = QP_COUNSELOR;
    q->choice = -1; /* nothing chosen by default: Enter on the list's first row assigned it (thirty-second receptionist) */
}

/* Moves the selection; past the page's end, to the next page (which is read again). */
static reaction move_sel(app *a, int by) {
    queue_screen *q = &a->q;
    if (q->sel >= q->n && q->n > 0) { /* none selected (the stepped item left the list): the first, or the last */
        q->sel = by > 0 ? 0 : q->n - 1;
        load_history(a);
        return react(RE_REDRAW);
    }
    int at = q->sel + by;
    if (at >= 0 && at < q->n) {
        q->sel = at;
    } else if (at >= q->n && q->offset + q->n < q->total && !q->filter_by_client) {
        q->offset += q->page;
        q->sel = 0;
        return react(RE_RELOAD);
    } else if (at < 0 && q->offset > 0) {
        q->offset = q->offset > q->page ? q->offset - q->page : 0;
        q->sel = q->page - 1;
        return react(RE_RELOAD);
    }
    load_history(a);
    return react(RE_REDRAW);
}

/* Home: the list's first row (its first page); End: its last row (its last page). */
static reaction jump_to_end(app *a, bool last) {
    queue_screen *q = &a->q;
    int pages_from = q->filter_by_client || q->page <= 0 ? 0 : last ? (q->total - 1) / q->page * q->page : 0;
    if (pages_from < 0) pages_from = 0;
    if (!q->filter_by_client && pages_from != q->offset) {
        q->offset = pages_from;
        q->sel = last ? q->total - 1 - pages_from : 0;
        return react(RE_RELOAD);
    }
    if (q->n > 0) q->sel = last ? q->n - 1 : 0;
    load_history(a);
    return react(RE_REDRAW);
}

static reaction handle_prompt(app *a, const event *ev, ui_action act) {
    queue_screen *q = &a->q;
    if (act == UA_BACK) {
        bool was_filter = q->prompt == QP_FILTER;
        if (was_filter) q->filter[0] = '\0';
        q->prompt = QP_NONE;
        secret_wipe(q->reason, sizeof q->reason);
        return react(was_filter ? RE_RELOAD : RE_REDRAW);
    }
    const queue_item *it = q->sel < q->n ? &q->items[q->sel] : NULL;
    /* a prompt that takes Enter or a digit is answered by neither a letter nor a space: those are a word typed on
     * ("cai" then Enter confirmed an ORANGE level; "xu" then 1 opened a RED raise: thirty-sixth receptionist), so the
     * prompt is put away, said, and the typing held */
    bool choosing = q->prompt == QP_STEP || q->prompt == QP_LEVEL || q->prompt == QP_OUTCOME || q->prompt == QP_COUNSELOR ||
                    q->prompt == QP_CONTACT;
    bool key = ev->kind == EV_CHAR || ev->kind == EV_KEY; /* the clock's tick is no answer (it put a question away) */
    if (choosing && ((ev->kind == EV_CHAR && !(ev->ch >= L'0' && ev->ch <= L'9') && iswprint((wint_t)ev->ch)) ||
                     (q->prompt == QP_STEP && key && act != UA_CHOOSE))) {
        q->prompt = QP_NONE;
        q->typing_until = ev->kind == EV_CHAR ? input_key_ms() + 3 * (int64_t)a->e->cfg.queue_settle_ms : 0;
        q->word_until = ev->kind == EV_CHAR ? input_key_ms() + QUEUE_WORD_MS : 0;
        app_message(a, true, "%s", keyed("queue_prompt_put_away"));
        return react(RE_REDRAW);
    }
    /* a digit that is no answer of the question puts it away too: "5551" typed slowly into the contact question left it
     * open after each 5, and its 1 logged the client as reached (forty-first receptionist) */
    int top = q->prompt == QP_LEVEL ? 4 : q->prompt == QP_OUTCOME ? 5 : q->prompt == QP_CONTACT ? (q->rq.contact ? 0 : 2) : 0;
    if (q->prompt == QP_CONTACT && q->rq.contact) top = -1; /* a digit after the answer: a number typed */
    if (top && ev->kind == EV_CHAR && ev->ch >= L'0' && ev->ch <= L'9' &&
        (top < 0 || ev->ch == L'0' || ev->ch - L'0' > top)) {
        q->prompt = QP_NONE;
        q->typing_until = input_key_ms() + 3 * (int64_t)a->e->cfg.queue_settle_ms;
        app_message(a, true, "%s", keyed("queue_prompt_put_away_digit"));
        return react(RE_REDRAW);
    }
    switch (q->prompt) {
    case QP_STEP: /* Enter, and nothing else (a tick of the clock is no answer): the step is taken; a decline asks its
                   * reason next */
        if (act != UA_CHOOSE || !key) return react(RE_REDRAW);
        if (q->rq.action == QA_DECLINE) q->prompt = QP_REASON;
        else submit(a);
        return react(RE_REDRAW);
    case QP_FILTER:
        if (act != UA_CHOOSE) {
            edit_field(q->filter, sizeof q->filter, ev);
            return react(RE_REDRAW);
        }
        q->prompt = QP_NONE;
        /* "abc1" may be an item id's start or a caller id's, "555-0204" a phone, "abed" a name: every filter looks for
         * clients (by name, phone and caller id) and for items whose id starts so (load_by_client); a filter made of
         * hex digits and hyphens was read as an id only, and "Nothing in this queue" hid a RED client with that phone
         * (thirty-first receptionist) */
        q->filter_by_client = q->filter[0] != '\0';
        q->filter_search = q->filter_by_client;
        q->offset = q->sel = 0;
        return react(RE_RELOAD);
    case QP_LEVEL:
        if (act == UA_DIGIT && ev->ch >= L'1' && ev->ch <= L'4') {
            q->rq.level = (risk_level)(LEVEL_RED - (ev->ch - L'1'));
            if (q->rq.action == QA_RAISE && it && refused_now(a, it)) return react(RE_REDRAW);
            /* lowering a level needs a written reason; raising may have one */
            if (it && q->rq.level < it->level) q->prompt = QP_REASON;
            else if (q->rq.action == QA_RAISE || evaluation(&q->rq)) q->prompt = QP_REASON;
            else submit(a);
        } else if (act == UA_CHOOSE && it && q->rq.action == QA_CONFIRM) {
            q->rq.level = it->level; /* Enter: the level stands as it is */
            if (evaluation(&q->rq)) q->prompt = QP_REASON;
            else submit(a);
        }
        return react(RE_REDRAW);
    case QP_REASON:
        if (act == UA_CHOOSE) {
            bool needed = q->rq.action == QA_DECLINE || evaluation(&q->rq) || close_note(&q->rq, it) ||
                          (it && q->rq.level < it->level && q->rq.action == QA_CONFIRM);
            /* spaces are no reason: the prompt stays, as for an empty one (it closed on the core's refusal: tryout 20) */
            bool lowering = it && q->rq.level < it->level && q->rq.action == QA_CONFIRM;
            if (needed && (!text_has_words(q->reason) || (lowering && !queue_reason_written(q->reason))))
                /* the evaluation asks for its outcome, and is told so (tryout 19); a lowering, a few words of it */
                app_message(a, true, "%s", tr(evaluation(&q->rq)      ? "evaluation_needed"
                                              : close_note(&q->rq, it) ? "close_note_needed"
                                                                       : "reason_needed"));
            else submit(a);
        } else {
            edit_field(q->reason, sizeof q->reason, ev);
        }
        return react(RE_REDRAW);
    case QP_CONTACT: /* 1 reached or 2 not reached, then Enter: a phone number typed after t ("13812") logged its 1 as
                      * the client reached (forty-second receptionist); a second digit is a number typed, put away */
        if (act == UA_DIGIT && (ev->ch == L'1' || ev->ch == L'2') && q->rq.contact == QC_UNSAID) {
            q->rq.contact = ev->ch == L'1' ? QC_REACHED : QC_NOT_REACHED;
            app_message(a, false, "%s", keyed(q->rq.contact == QC_REACHED ? "contact_picked_reached" : "contact_picked_not"));
        } else if (act == UA_CHOOSE && key && q->rq.contact != QC_UNSAID) {
            submit(a);
        } else if (key) { /* any other key says neither: the question is put away, nothing logged */
            q->prompt = QP_NONE;
            q->rq.contact = QC_UNSAID;
            app_message(a, true, "%s", keyed("contact_say"));
        }
        return react(RE_REDRAW);
    case QP_OUTCOME:
        if (act == UA_DIGIT && ev->ch >= L'1' && ev->ch <= L'5') {
            q->rq.outcome = (queue_outcome)(QO_FIRST_SESSION + (ev->ch - L'1'));
            if (!close_note(&q->rq, it)) {
                submit(a);
                return react(RE_REDRAW);
            }
            /* an outcome the rules refuse as the item stands (too few contacts...) is said before the note is typed */
            q->rq.reason = "(asked next)";
            bool refused = refused_now(a, it);
            q->rq.reason = NULL;
            if (!refused) q->prompt = QP_REASON;
        }
        return react(RE_REDRAW);
    case QP_COUNSELOR:
        if (act == UA_NEXT) q->choice = (q->choice + 1) % q->n_counselors;
        else if (act == UA_PREV) q->choice = (q->choice + q->n_counselors - 1 + (q->choice < 0)) % q->n_counselors;
        else if (act == UA_DIGIT && ev->ch - L'1' < q->n_counselors) q->choice = ev->ch - L'1';
        if (act == UA_CHOOSE && q->choice < 0) {
            app_message(a, true, "%s", keyed("pick_counselor"));
            return react(RE_REDRAW);
        }
        /* a digit picks a row, Enter assigns it: one wrong digit assigned a counselor who speaks none of the client's
         * languages, and reception cannot undo an assignment (thirty-fifth receptionist) */
        if (act == UA_DIGIT && q->choice >= 0) app_message(a, false, "%s", keyed("counselor_picked"));
        if (act == UA_CHOOSE) {
            q->rq.counselor = q->counselors[q->choice].code;
            submit(a);
        }
        return react(RE_REDRAW);
    default: return react(RE_REDRAW);
    }
}

/* Opens the selected item's client record over the queue; Esc comes back to this page. */
static reaction open_record(app *a) {
    queue_screen *q = &a->q;
    if (q->sel >= q->n) return react(RE_REDRAW);
    snprintf(a->rec.want, sizeof a->rec.want, "%s", q->items[q->sel].client_id);
    a->rec.back = SCR_QUEUE;
    return (reaction){RE_OPEN, SCR_RECORD};
}

static reaction show_tab(app *a, int t) {
    queue_screen *q = &a->q;
    if (t < 0 || t >= QT_COUNT) return react(RE_REDRAW);
    q->tab = (queue_tab)t;
    /* another tab is another list: a refusal about an item of the last one stayed under it (nineteenth tryout) */
    a->message[0] = '\0';
    q->filter[0] = '\0';
    q->filter_by_client = false;
    q->offset = q->sel = 0;
    return react(RE_RELOAD);
}

/* A request on the selected item: some go at once, others ask for a level, a reason or an outcome first. */
static reaction request(app *a, ui_action act) {
    queue_screen *q = &a->q;
    switch (act) {
    /* no step is taken by one key: each is asked again naming the client, and only Enter takes it (a name typed onto
     * the list, "eada" or "dai xu", acknowledged RED clients and recorded a decline, whatever the pace: thirty-fifth
     * and thirty-sixth receptionists). A rule that refuses it as the item stands is said at once. */
    case UA_ACK:
        if (begin_request(a, QA_ACK) && !refused_now(a, &q->items[q->sel])) q->prompt = QP_STEP;
        break;
    case UA_CONTACT: {
        if (!begin_request(a, QA_CONTACT)) break;
        /* a rule that refuses any contact as the item stands (not assigned yet) is said before the question */
        q->rq.contact = QC_NOT_REACHED;
        bool refused = refused_now(a, &q->items[q->sel]);
        q->rq.contact = QC_UNSAID;
        if (!refused) q->prompt = QP_CONTACT;
        break;
    }
    case UA_CONFIRM: {
        error why = {0}; /* asked before the prompt, so no one types a level they may not set */
        if (!session_allowed(a->s, ACT_LEVEL_CONFIRM, &why)) app_message(a, true, "%s", why.msg);
        else if (begin_request(a, QA_CONFIRM)) q->prompt = QP_LEVEL;
        break;
    }
    case UA_RAISE:
        if (!begin_request(a, QA_RAISE)) break;
        q->rq.level = LEVEL_RED; /* a RED item has no level above it: said at once */
        if (!refused_now(a, &q->items[q->sel])) q->prompt = QP_LEVEL;
        break;
    case UA_DECLINE:
        if (begin_request(a, QA_DECLINE) && decline_whom(a)) q->prompt = QP_STEP; /* then its reason */
        break;
    case UA_CLOSE:
        if (!begin_request(a, QA_CLOSE)) break;
        /* a role that may not close, or an item closed already, is said before the outcome is asked (reception saw
         * the whole outcome menu, then "denied" after a choice: thirty-fifth receptionist) */
        q->rq.outcome = QO_DUPLICATE;
        q->rq.reason = "(asked next)";
        bool refused = refused_now(a, &q->items[q->sel]);
        q->rq.outcome = QO_NONE;
        q->rq.reason = NULL;
        if (!refused) q->prompt = QP_OUTCOME;
        break;
    case UA_ASSIGN:
        if (!begin_request(a, QA_ASSIGN)) break;
        /* a rule that refuses it as the item stands (not confirmed yet) is said before the list (reception picked a
         * counselor, then read "confirm it first": fortieth and forty-first receptionists) */
        q->rq.counselor = "(asked next)";
        bool assign_refused = refused_now(a, &q->items[q->sel]);
        q->rq.counselor = NULL;
        if (!assign_refused) start_assign(a);
        break;
    default: break;
    }
    return react(RE_REDRAW);
}

/* Whether act, in the prompt or list at hand, takes a step on a client's item with one key: acknowledge, confirm,
 * raise, assign, contact, decline, close, and the digit that picks a level, an outcome or a counselor. */
static bool step_key(const queue_screen *q, ui_action act) {
    if (q->prompt == QP_LEVEL || q->prompt == QP_OUTCOME || q->prompt == QP_COUNSELOR || q->prompt == QP_CONTACT)
        return act == UA_DIGIT;
    if (q->prompt == QP_STEP) return act == UA_CHOOSE;
    if (q->prompt != QP_NONE) return false;
    return act == UA_ACK || act == UA_CONFIRM || act == UA_RAISE || act == UA_ASSIGN || act == UA_CONTACT ||
           act == UA_DECLINE || act == UA_CLOSE;
}

static reaction queue_handle(app *a, const event *ev, ui_action act) {
    queue_screen *q = &a->q;
    /* a step key less than [intake] burst_ms after the key before it (or after the queues opened) is typing, not a
     * decision: held, and said (thirty-second receptionist: a name typed at the front desk after a record closed,
     * "ethan", opened the queues with e and acknowledged the top overdue RED item with a, which nobody had seen;
     * "orange" typed into no field opened the assign list with g) */
    if (ev->kind == EV_CHAR || ev->kind == EV_KEY) {
        int64_t now = input_key_ms(), gap = now - q->last_key_ms;
        q->last_key_ms = now;
        /* a capital is typing, never a step: a name ("Ada", "Tan", "Xu") typed onto the list began with a step key
         * in its capital (thirty-eighth receptionist); so it holds what follows as any typing does (turned into
         * typing after that hold was decided, it held nothing, and "Ta" Enter acknowledged: fortieth receptionist) */
        if (q->prompt == QP_NONE && ev->kind == EV_CHAR && iswupper((wint_t)ev->ch) && step_key(q, act)) act = UA_NONE;
        /* a letter the list has no use for is typing (a name typed by someone who thinks a search box has the keys:
         * "Zhao Dan" at 0.4 s a key acknowledged a RED client with its a and recorded a decline with "Dan":
         * thirty-fifth receptionist): said, and step keys wait until the typing has stopped for a while */
        if (q->prompt == QP_NONE && ev->kind == EV_CHAR && act == UA_NONE && iswprint((wint_t)ev->ch) &&
            a->e->cfg.queue_settle_ms > 0) {
            q->typing_until = now + 3 * (int64_t)a->e->cfg.queue_settle_ms;
            q->word_until = now + QUEUE_WORD_MS;
            app_message(a, true, "%s", keyed("queue_typing"));
            return react(RE_REDRAW);
        }
        /* a key that is no character ends the word typed: Enter as its end, taking nothing (not even the record) */
        if (ev->kind == EV_KEY && now < q->word_until) {
            q->word_until = 0;
            if (q->prompt == QP_NONE && act == UA_CHOOSE) {
                q->typing_until = 0;
                app_message(a, true, "%s", keyed("queue_typing_ended"));
                return react(RE_REDRAW);
            }
        }
        /* moving the selection is looking at the list: the typing is over */
        if (act == UA_NEXT || act == UA_PREV || act == UA_PAGE_DOWN || act == UA_PAGE_UP || act == UA_FIRST ||
            act == UA_LAST)
            q->typing_until = q->word_until = 0;
        /* ...or one with more keys right behind it: the first letter of a word ("alice": a acknowledged, and the rest
         * was held; "david": d opened the decline and the rest was recorded as its reason: thirty-third receptionist) */
        if (step_key(q, act) && (now < q->typing_until || (q->prompt == QP_NONE && now < q->word_until))) {
            /* the typing goes on: said as typing, not as speed; and held from this key on: a word whose last letters
             * are step letters ("eada" at 0.9 s a key) let the hold run out under them, and its Enter took the step
             * (thirty-eighth receptionist) */
            q->typing_until = now + 3 * (int64_t)a->e->cfg.queue_settle_ms;
            q->word_until = now + QUEUE_WORD_MS;
            app_message(a, true, "%s", keyed("queue_typing"));
            return react(RE_REDRAW);
        }
        if (step_key(q, act) && (gap < a->e->cfg.intake_burst_ms || input_more_soon(a->e->cfg.intake_burst_ms))) {
            app_message(a, true, "%s", keyed("queue_burst_held")); /* pressed again after a look, it acts */
            return react(RE_REDRAW);
        }
    }
    if (q->prompt != QP_NONE) return handle_prompt(a, ev, act);
    switch (act) {
    case UA_BACK:
        if (!q->filter[0]) return switch_to(SCR_HOME);
        q->filter[0] = '\0';
        q->filter_by_client = false;
        return react(RE_RELOAD);
    case UA_NEXT: return move_sel(a, 1);
    case UA_PREV: return move_sel(a, -1);
    case UA_PAGE_DOWN: return move_sel(a, q->page - q->sel);
    case UA_PAGE_UP: return move_sel(a, -q->sel - 1);
    case UA_FIRST:
    case UA_LAST:
        return jump_to_end(a, act == UA_LAST);
    case UA_TAB_NEXT:
    case UA_TAB_PREV: return show_tab(a, ((int)q->tab + (act == UA_TAB_NEXT ? 1 : QT_COUNT - 1)) % QT_COUNT);
    case UA_DIGIT: return show_tab(a, ev->ch - L'1');
    case UA_FILTER: /* a search asked for: what is typed next is the search, and its Enter ends it */
        q->typing_until = q->word_until = 0;
        q->prompt = QP_FILTER;
        q->filter[0] = '\0';
        return react(RE_REDRAW);
    case UA_CHOOSE: return open_record(a);
    case UA_QUIT: return switch_to(SCR_HOME);
    default: {
        reaction r = request(a, act);
        /* a step key refused at once (a role that may not, an item past that step) asked nothing: it may be the first
         * letter of a word ("ca", "ta", "Tad" then Enter acknowledged and declined: thirty-seventh receptionist), so
         * what follows at a typist's pace is held as typing (and makes it a word); a step key after a pause acts: a
         * refused t held a deliberate a on a RED client for a minute, said as typing (forty-fourth receptionist) */
        if (step_key(q, act) && q->prompt == QP_NONE && ev->kind == EV_CHAR)
            q->typing_until = input_key_ms() + 3 * (int64_t)a->e->cfg.queue_settle_ms;
        return r;
    }
    }
}

const screen_ops queue_ops = {"queue", queue_enter, queue_load, queue_draw, queue_handle, queue_leave, queue_typing};
