/* One table of keys: dispatch goes through it (key_action_for), the help overlay is drawn from it, and
 * `triage --keys` prints it for the man page's KEYS section (a test checks the two agree). */
#include <stdio.h>
#include <string.h>

#include "ui.h"

#define ON(s) (1u << (s))
#define QUESTIONS (ON(SCR_WIZARD) | ON(SCR_REVIEW))
#define INTAKE (ON(SCR_LANG) | QUESTIONS)
#define AFTER_LOGIN (~ON(SCR_LOGIN) & ((1u << SCR_COUNT) - 1))
#define LISTS (ON(SCR_QUEUE) | ON(SCR_RECORD) | ON(SCR_ROSTER) | ON(SCR_STAFF) | ON(SCR_REPORT))

const key_action key_actions[] = {
    {UA_NEXT, "Tab  Down", "k_move", 0, true, {K_TAB, KEY_DOWN}, {0}},
    {UA_PREV, "Shift-Tab  Up", "k_move_back", 0, true, {KEY_BTAB, KEY_UP}, {0}},
    {UA_CHOOSE, "Enter", "k_enter", 0, true, {K_ENTER}, {0}},
    {UA_BACK, "Esc", "k_esc", 0, true, {K_ESC}, {0}},
    {UA_DIGIT, "1-9", "k_digits", ON(SCR_WIZARD) | ON(SCR_LANG) | ON(SCR_FIND) | ON(SCR_QUEUE) | ON(SCR_STAFF), false, {0}, {0}},
    /* 0 is a score (PHQ-9 "Not at all"): a key on the questions only, where lists count from 1 it picks nothing */
    {UA_DIGIT, "0", "k_digit0", ON(SCR_WIZARD), false, {0}, {L'0'}},
    {UA_TICK, "Space", "k_space", ON(SCR_WIZARD), false, {0}, {L' '}},
    {UA_REFUSE, "r", "k_refuse", ON(SCR_WIZARD), false, {0}, {L'r', L'R'}},
    {UA_SAVE, "Ctrl-S", "k_save", QUESTIONS | ON(SCR_ROSTER) | ON(SCR_STAFF) | ON(SCR_REPORT), true, {K_CTRL_S}, {0}},
    {UA_DECLINE, "d", "k_decline", ON(SCR_SUMMARY) | ON(SCR_QUEUE), false, {0}, {L'd', L'D'}},
    {UA_NEW, "n", "k_new", ON(SCR_HOME) | ON(SCR_FIND) | ON(SCR_ROSTER) | ON(SCR_STAFF), false, {0}, {L'n', L'N'}},
    {UA_QUEUES, "e", "k_queues", ON(SCR_HOME), false, {0}, {L'e', L'E'}},
    {UA_RECORDS, "f", "k_records", ON(SCR_HOME), false, {0}, {L'f', L'F'}},
    {UA_ROSTER, "c", "k_roster", ON(SCR_HOME), false, {0}, {L'c', L'C'}},
    {UA_STAFF, "s", "k_staff", ON(SCR_HOME), false, {0}, {L's', L'S'}},
    {UA_REPORTS, "k", "k_reports", ON(SCR_HOME), false, {0}, {L'k', L'K'}},
    {UA_TAB_NEXT, "Right", "k_tab_next", ON(SCR_QUEUE), false, {KEY_RIGHT}, {0}},
    {UA_TAB_PREV, "Left", "k_tab_prev", ON(SCR_QUEUE), false, {KEY_LEFT}, {0}},
    /* home too: its list of drafts to resume or discard turns its pages by them (PgDn closed it: tryout 16) */
    {UA_PAGE_DOWN, "PgDn", "k_page_down", LISTS | QUESTIONS | ON(SCR_HOME), true, {KEY_NPAGE}, {0}},
    {UA_PAGE_UP, "PgUp", "k_page_up", LISTS | QUESTIONS | ON(SCR_HOME), true, {KEY_PPAGE}, {0}},
    /* the queue list's first and last rows (Home left the selection where it was, and a deliberate step went to that
     * row: thirty-ninth receptionist); in a text field they move the cursor */
    {UA_FIRST, "Home", "k_first", ON(SCR_QUEUE), false, {KEY_HOME}, {0}},
    {UA_LAST, "End", "k_last", ON(SCR_QUEUE), false, {KEY_END}, {0}},
    {UA_FILTER, "/", "k_filter", ON(SCR_QUEUE), false, {0}, {L'/'}},
    {UA_ACK, "a", "k_ack", ON(SCR_QUEUE), false, {0}, {L'a', L'A'}},
    {UA_CONFIRM, "c", "k_confirm", ON(SCR_QUEUE), false, {0}, {L'c', L'C'}},
    {UA_RAISE, "u", "k_raise", ON(SCR_QUEUE), false, {0}, {L'u', L'U'}},
    {UA_ASSIGN, "g", "k_assign", ON(SCR_QUEUE), false, {0}, {L'g', L'G'}},
    {UA_CONTACT, "t", "k_contact", ON(SCR_QUEUE), false, {0}, {L't', L'T'}},
    {UA_CLOSE, "x", "k_close", ON(SCR_QUEUE), false, {0}, {L'x', L'X'}},
    {UA_AVAILABLE, "v", "k_available", ON(SCR_ROSTER), false, {0}, {L'v', L'V'}},
    {UA_LOCK, "l", "k_lock", ON(SCR_STAFF), false, {0}, {L'l', L'L'}},
    {UA_RESET, "p", "k_reset", ON(SCR_STAFF), false, {0}, {L'p', L'P'}},
    {UA_ROLE, "o", "k_role", ON(SCR_STAFF), false, {0}, {L'o', L'O'}},
    {UA_RESUME, "r", "k_resume", ON(SCR_HOME), false, {0}, {L'r', L'R'}},
    {UA_HOTLINE, "h", "k_hotline", ON(SCR_HOME), false, {0}, {L'h', L'H'}},
    {UA_LANG, "F2", "k_lang", ON(SCR_LOGIN), true, {KEY_F(2)}, {0}},
    {UA_HELP, "? F1", "k_help", 0, false, {KEY_F(1)}, {L'?'}},
    /* one rule on every screen after login (app.c): q goes back one screen as Esc does; home quits (asking first
     * with an intake open); an intake's questions leave the intake, its draft kept. In a text field q is text */
    {UA_QUIT, "q", "k_quit", AFTER_LOGIN, false, {0}, {L'q', L'Q'}},
    {UA_REDRAW, "Ctrl-L", "k_redraw", 0, true, {K_CTRL_L}, {0}},
    /* function keys: they act in a text field too, where a control character typed by mistake must not */
    {UA_LEAVE, "F3", "k_leave", INTAKE, true, {KEY_F(3)}, {0}},
    {UA_LOGOUT, "F4", "k_logout", AFTER_LOGIN, true, {KEY_F(4)}, {0}},
    /* an anonymous caller's owed call-back number: "none given" (Enter would say it by moving on) */
    {UA_NO_CALLBACK, "F5", "k_no_callback", ON(SCR_WIZARD), true, {KEY_F(5)}, {0}},
    {UA_DISCARD, "x", "k_discard", ON(SCR_HOME), false, {0}, {L'x', L'X'}},
    {UA_EDIT, "e", "k_edit", ON(SCR_REVIEW), false, {0}, {L'e', L'E'}},
};
const int n_key_actions = (int)(sizeof key_actions / sizeof key_actions[0]);

ui_action key_action_for(screen_id screen, bool typing, const event *ev) {
    if (ev->kind != EV_KEY && ev->kind != EV_CHAR) return UA_NONE;
    for (int i = 0; i < n_key_actions; i++) {
        const key_action *k = &key_actions[i];
        if (k->screens && !(k->screens & (1u << screen))) continue;
        /* function keys (F1) work everywhere; a printable character in a text field is text */
        bool is_fkey = ev->kind == EV_KEY && ev->key >= KEY_F(1) && ev->key <= KEY_F(12);
        if (typing && !k->in_text && !is_fkey) continue;
        if (k->act == UA_DIGIT && !k->chars[0]) { /* the 1-9 row: a range rather than listed characters */
            if (ev->kind == EV_CHAR && ev->ch >= L'1' && ev->ch <= L'9') return UA_DIGIT;
            continue;
        }
        for (int c = 0; c < 3; c++) {
            if (ev->kind == EV_KEY && k->codes[c] && ev->key == k->codes[c]) return k->act;
            if (ev->kind == EV_CHAR && k->chars[c] && ev->ch == k->chars[c]) return k->act;
        }
    }
    return UA_NONE;
}

/* The names by which hints refer to actions: "{queues}" in a string of the staff interface. */
static const struct {
    const char *name;
    ui_action act;
} action_names[] = {
    {"next", UA_NEXT},         {"prev", UA_PREV},           {"choose", UA_CHOOSE},     {"back", UA_BACK},
    {"digit", UA_DIGIT},       {"refuse", UA_REFUSE},       {"save", UA_SAVE},         {"decline", UA_DECLINE},
    {"new", UA_NEW},           {"resume", UA_RESUME},       {"lang", UA_LANG},         {"help", UA_HELP},
    {"quit", UA_QUIT},         {"redraw", UA_REDRAW},       {"queues", UA_QUEUES},     {"records", UA_RECORDS},
    {"roster", UA_ROSTER},     {"staff", UA_STAFF},         {"tab_next", UA_TAB_NEXT}, {"tab_prev", UA_TAB_PREV},
    {"page_down", UA_PAGE_DOWN}, {"page_up", UA_PAGE_UP},   {"first", UA_FIRST},       {"last", UA_LAST},   {"filter", UA_FILTER},     {"ack", UA_ACK},
    {"confirm", UA_CONFIRM},   {"raise", UA_RAISE},         {"assign", UA_ASSIGN},     {"contact", UA_CONTACT},
    {"close", UA_CLOSE},       {"available", UA_AVAILABLE}, {"lock", UA_LOCK},         {"reset", UA_RESET},
    {"role", UA_ROLE},         {"reports", UA_REPORTS},     {"tick", UA_TICK},         {"leave", UA_LEAVE},
    {"logout", UA_LOGOUT},     {"discard", UA_DISCARD},     {"edit", UA_EDIT},         {"hotline", UA_HOTLINE},     {"no_callback", UA_NO_CALLBACK},
};

/* A few static buffers taken in turn: one message may name several hints (keyed() six times). */
static char *scratch(void) {
    static char bufs[16][1024];
    static int next;
    next = (next + 1) % 16;
    return bufs[next];
}

const char *key_of(ui_action act, int which) {
    for (int i = 0; i < n_key_actions; i++) {
        if (key_actions[i].act != act) continue;
        /* the key names are separated by spaces ("Shift-Tab  Up", "? F1"); past the last, the first */
        const char *p = key_actions[i].keys, *first = NULL;
        size_t first_n = 0;
        for (int n = 1; *p; n++) {
            while (*p == ' ') p++;
            size_t len = strcspn(p, " ");
            if (!len) break;
            if (n == 1) first = p, first_n = len;
            if (n == which) {
                first = p;
                first_n = len;
                break;
            }
            p += len;
        }
        if (!first) return "?";
        char name[64], lookup[80];
        snprintf(name, sizeof name, "%.*s", (int)first_n, first);
        snprintf(lookup, sizeof lookup, "key:%s", name);
        const char *t = tr(lookup); /* a key name in the staff language, where it differs */
        char *out = scratch();
        snprintf(out, 1024, "%s", t == lookup ? name : t);
        return out;
    }
    return "?";
}

const char *keyed(const char *key) { return keyed_text(tr(key)); }

const char *keyed_text(const char *in) {
    char *out = scratch();
    size_t o = 0;
    for (const char *p = in; *p && o < 1023;) {
        const char *end = *p == '{' ? strchr(p, '}') : NULL;
        if (!end || end - p > 32) {
            out[o++] = *p++;
            continue;
        }
        char name[40];
        snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
        int which = 1;
        char *dot = strchr(name, '.');
        if (dot) {
            which = dot[1] - '0';
            *dot = '\0';
        }
        const char *k = NULL;
        for (size_t i = 0; i < sizeof action_names / sizeof action_names[0]; i++)
            if (strcmp(action_names[i].name, name) == 0) k = key_of(action_names[i].act, which);
        if (!k) { /* not a key: the brace is text */
            out[o++] = *p++;
            continue;
        }
        o += (size_t)snprintf(out + o, 1024 - o, "%s", k);
        if (o > 1023) o = 1023;
        p = end + 1;
    }
    out[o] = '\0';
    return out;
}

/* The keys for leaving (a screen, an intake, the session) come first in the help: on a small terminal the
 * rest is cut, and a worker must always find the way out (the 80x24 help lost F3, F4 and x; tryout). */
static bool help_first(ui_action act) {
    return act == UA_LEAVE || act == UA_LOGOUT || act == UA_DISCARD || act == UA_QUIT || act == UA_BACK || act == UA_SAVE;
}

static bool on_screen(const key_action *k, screen_id s) { return !k->screens || (k->screens & (1u << s)); }

int help_scroll_step(const event *ev) {
    if (ev->kind == EV_KEY && ev->key == KEY_DOWN) return 1;
    if (ev->kind == EV_KEY && ev->key == KEY_UP) return -1;
    if (ev->kind == EV_KEY && ev->key == KEY_NPAGE) return 5;
    if (ev->kind == EV_KEY && ev->key == KEY_PPAGE) return -5;
    if (ev->kind == EV_CHAR && ev->ch == L'j') return 1;
    if (ev->kind == EV_CHAR && ev->ch == L'k') return -1;
    return 0;
}

/* The help lists the screen's keys, the leaving keys first; when they do not fit (80x24) it scrolls, an entry at
 * a time, and its last line says there is more and how to see it (it used to stop at what fit). */
void help_draw(app *a, const layout *l) {
    int w = 76 < l->body.w - 4 ? 76 : l->body.w - 4;
    int text_w = w - 21, need = 0, order[64], lines[64], n = 0;
    for (int pass = 0; pass < 2; pass++) /* the leaving keys first, then the table's order */
        for (int i = 0; i < n_key_actions && n < 64; i++) {
            const key_action *k = &key_actions[i];
            if (!on_screen(k, a->screen) || help_first(k->act) != (pass == 0)) continue;
            lines[n] = wrapped_lines(text_w, keyed(k->help));
            need += lines[n];
            order[n++] = i;
        }
    int h = need + 5;
    if (h > l->body.h) h = l->body.h;
    int y = l->body.y, x = (l->body.w - w) / 2, space = h - 5;
    /* the furthest it scrolls: the last entries fill the box */
    int max_top = n, used = 0;
    while (max_top > 0 && used + lines[max_top - 1] <= space) used += lines[--max_top];
    if (a->help_top > max_top) a->help_top = max_top;
    int top = a->help_top, row = y + 2, shown_to = top;
    for (int r = 0; r < h; r++) mvhline(y + r, x, ' ', w);
    draw_box_title(y, x, h, w, tr("help_title"));
    for (int e = top; e < n && row + lines[e] <= y + 2 + space; e++, shown_to++) { /* never an entry cut */
        const key_action *k = &key_actions[order[e]];
        draw_text(row, x + 2, 16, k->keys, theme(C_TITLE));
        row += draw_wrapped(row, x + 19, text_w, lines[e], keyed(k->help), A_NORMAL);
    }
    int last = y + h - 2;
    if (top > 0 || shown_to < n) {
        char more[256];
        snprintf(more, sizeof more, "%s%s (%d-%d / %d)", top > 0 ? "^ " : "", shown_to < n ? keyed("help_more") : keyed("help_more_above"),
                 top + 1, shown_to, n);
        draw_text(last - 1, x + 2, w - 4, more, theme(C_ERROR));
    }
    draw_text(last, x + 2, w - 4, keyed("help_close"), theme(C_DIM));
}
