/* Input: keys from the keyboard or, with TRIAGE_SCRIPT, from a file through the very same path, so that
 * UI tests run headless and without sleeps (as tig does). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "script.h"
#include "ui.h"

extern volatile sig_atomic_t term_resized;
static FILE *script;
static wchar_t pending[512];
static int n_pending, at_pending;

bool input_open_script(const char *path, char *err, size_t errsize) {
    script = fopen(path, "r");
    if (!script) snprintf(err, errsize, "%s: cannot be read: %s", path, strerror(errno));
    return script != NULL;
}

static const struct {
    const char *name;
    int key;
} key_names[] = {{"enter", K_ENTER}, {"esc", K_ESC},        {"tab", K_TAB},          {"backtab", KEY_BTAB},
                 {"up", KEY_UP},     {"down", KEY_DOWN},    {"left", KEY_LEFT},      {"right", KEY_RIGHT},
                 {"backspace", KEY_BACKSPACE}, {"f1", KEY_F(1)}, {"f2", KEY_F(2)},   {"ctrl-s", K_CTRL_S},
                 {"ctrl-l", K_CTRL_L}, {"home", KEY_HOME},  {"end", KEY_END},        {"pgup", KEY_PPAGE},
                 {"pgdn", KEY_NPAGE}};

/* One event from the script; EV_NONE for a line that only acted (dump, resize). */
static event script_event(void) {
    event ev = {EV_NONE, 0, 0};
    if (at_pending < n_pending) {
        ev.kind = EV_CHAR;
        ev.ch = pending[at_pending++];
        return ev;
    }
    char line[2048];
    if (!fgets(line, sizeof line, script)) {
        ev.kind = EV_QUIT;
        return ev;
    }
    script_line sl = script_parse_line(line);
    switch (sl.kind) {
    case SL_TYPE:
        n_pending = script_decode(sl.arg, pending, sizeof pending / sizeof pending[0]);
        at_pending = 0;
        return script_event();
    case SL_KEY: {
        for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
            if (strcmp(sl.arg, key_names[i].name) == 0) return (event){EV_KEY, key_names[i].key, 0};
        wchar_t wc;
        if (mbtowc(&wc, sl.arg, strlen(sl.arg)) > 0) return (event){EV_CHAR, 0, wc};
        return ev;
    }
    case SL_DUMP:
        screen_dump(sl.arg);
        return ev;
    case SL_RESIZE:
        resizeterm(sl.rows, sl.cols);
        return (event){EV_RESIZE, 0, 0};
    case SL_TICK:
        return (event){EV_TICK, 0, 0};
    case SL_ADVANCE:
        clock_fix(true, clock_now() + sl.secs); /* the script's own clock: idle lock and deadlines without waiting */
        return (event){EV_TICK, 0, 0};
    case SL_NONE:
        break;
    }
    return ev;
}

event input_next(void) {
    if (script) {
        event ev;
        do ev = script_event();
        while (ev.kind == EV_NONE);
        return ev;
    }
    if (term_resized) {
        term_resized = 0;
        endwin(); /* the loop reads the real size and redraws everything */
        refresh();
        return (event){EV_RESIZE, 0, 0};
    }
    timeout(1000);
    wint_t ch;
    int r = wget_wch(stdscr, &ch);
    if (r == ERR) return (event){term_resized ? EV_RESIZE : EV_TICK, 0, 0};
    if (r == KEY_CODE_YES) {
        if (ch == KEY_RESIZE) return (event){EV_RESIZE, 0, 0};
        return (event){EV_KEY, (int)ch, 0};
    }
    if (ch == 13) ch = K_ENTER; /* nonl(): Enter arrives as CR */
    if (ch < 32 || ch == 127) return (event){EV_KEY, ch == 127 ? KEY_BACKSPACE : (int)ch, 0};
    return (event){EV_CHAR, 0, (wchar_t)ch};
}

bool screen_dump(const char *path) {
    FILE *fp = fopen(path, "w");
    if (!fp) return false;
    for (int y = 0; y < LINES; y++) {
        char line[4096];
        size_t o = 0;
        for (int x = 0; x < COLS && o + MB_CUR_MAX + 1 < sizeof line; x++) {
            cchar_t cc;
            if (mvin_wch(y, x, &cc) == ERR) break;
            wchar_t wch[CCHARW_MAX + 1];
            attr_t at;
            short pair;
            if (getcchar(&cc, wch, &at, &pair, NULL) == ERR || wch[0] == 0) continue;
            if (at & A_ALTCHARSET) /* line drawing, as plain text */
                wch[0] = wch[0] == L'q' ? L'-' : wch[0] == L'x' ? L'|' : wch[0] == L' ' ? L' ' : L'+';
            int n = wctomb(line + o, wch[0]);
            if (n > 0) o += (size_t)n;
            if (wcwidth(wch[0]) == 2) x++; /* the second column of a wide character */
        }
        while (o > 0 && line[o - 1] == ' ') o--;
        line[o] = '\0';
        fprintf(fp, "%s\n", line);
    }
    return fclose(fp) == 0;
}
