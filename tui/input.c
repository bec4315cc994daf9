/* Input: keys from the keyboard or, with TRIAGE_SCRIPT, from a file through the very same path, so that
 * UI tests run headless and without sleeps (as tig does). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "script.h"
#include "ui.h"

extern volatile sig_atomic_t term_resized;
extern volatile sig_atomic_t term_stop_requested;
static FILE *script;
static wchar_t pending[512];
static int n_pending, at_pending;
/* The key budget bench (make bench) counts what a person would press: every key and every typed character
 * the script hands on is one press; `mark LABEL` writes "LABEL<TAB>presses since the last mark" to the file
 * $TRIAGE_KEYCOUNT names (appended) and starts the next count. */
static long presses;
/* When the last key arrived, in milliseconds on a monotonic clock (the wizard's burst guard reads it). A script
 * has its own: a person's second between keys, 5 ms between the characters of a `burst` line (its first comes a
 * second after the key before, as a paste does). */
static int64_t key_ms, script_ms;
static bool script_burst;

static int64_t monotonic_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t input_key_ms(void) { return key_ms; }

static void script_mark(const char *label) {
    const char *path = getenv("TRIAGE_KEYCOUNT");
    FILE *f = path && *path ? fopen(path, "a") : NULL;
    if (f) {
        fprintf(f, "%s\t%ld\n", label, presses);
        fclose(f);
    }
    presses = 0;
}

bool input_open_script(const char *path, error *err) {
    script = fopen(path, "r");
    if (!script) error_set(err, ERR_IO, "%s: cannot be read: %s", path, strerror(errno));
    return script != NULL;
}

static const struct {
    const char *name;
    int key;
} key_names[] = {{"enter", K_ENTER}, {"esc", K_ESC},        {"tab", K_TAB},          {"backtab", KEY_BTAB},
                 {"up", KEY_UP},     {"down", KEY_DOWN},    {"left", KEY_LEFT},      {"right", KEY_RIGHT},
                 {"backspace", KEY_BACKSPACE}, {"f1", KEY_F(1)}, {"f2", KEY_F(2)},   {"ctrl-s", K_CTRL_S},
                 {"ctrl-l", K_CTRL_L}, {"home", KEY_HOME},  {"end", KEY_END},        {"pgup", KEY_PPAGE},
                 {"pgdn", KEY_NPAGE}, {"f3", KEY_F(3)}, {"f4", KEY_F(4)}, {"f5", KEY_F(5)}};

/* One event from the script; EV_NONE for a line that only acted (dump, resize). */
static event script_event(void) {
    event ev = {EV_NONE, 0, 0};
    if (at_pending < n_pending) {
        ev.kind = EV_CHAR;
        ev.ch = pending[at_pending++];
        presses++;
        key_ms = script_ms += script_burst && at_pending > 1 ? 5 : 1000;
        return ev;
    }
    /* A Ctrl-C comes before the line read with it: a pipe hands a line written just after the signal to the read
     * the signal woke, and the line waits for the next call */
    static char line[2048];
    static bool line_held;
    if (!line_held && !fgets(line, sizeof line, script)) {
        if (ferror(script) && term_take_interrupt()) { /* the read interrupted: the script goes on after it */
            clearerr(script);
            return (event){EV_INTERRUPT, 0, 0};
        }
        ev.kind = EV_QUIT;
        return ev;
    }
    line_held = term_take_interrupt();
    if (line_held) return (event){EV_INTERRUPT, 0, 0};
    script_line sl = script_parse_line(line);
    switch (sl.kind) {
    case SL_TYPE:
    case SL_BURST:
        n_pending = script_decode(sl.arg, pending, sizeof pending / sizeof pending[0]);
        at_pending = 0;
        script_burst = sl.kind == SL_BURST;
        return script_event();
    case SL_KEY:
    case SL_SOON: {
        presses++; /* a name no key has is not a press */
        key_ms = script_ms += sl.kind == SL_SOON ? 150 : 1000;
        for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
            if (strcmp(sl.arg, key_names[i].name) == 0) return (event){EV_KEY, key_names[i].key, 0};
        if (strcmp(sl.arg, "space") == 0) return (event){EV_CHAR, 0, L' '}; /* a character, as the keyboard gives it */
        wchar_t wc;
        if (mbtowc(&wc, sl.arg, strlen(sl.arg)) > 0) return (event){EV_CHAR, 0, wc};
        presses--;
        return ev;
    }
    case SL_DUMP:
        screen_dump(sl.arg);
        return ev;
    case SL_MARK:
        script_mark(sl.arg);
        return ev;
    case SL_RESIZE:
        resizeterm(sl.rows, sl.cols);
        return (event){EV_RESIZE, 0, 0};
    case SL_TICK:
        return (event){EV_TICK, 0, 0};
    case SL_PAUSE: /* the keys' own clock only: a person thinking inside a word (forty-first receptionist) */
        script_ms += sl.secs * 1000;
        return ev;
    case SL_ADVANCE:
        clock_fix(true, clock_now() + sl.secs); /* the script's own clock: idle lock and deadlines without waiting */
        return (event){EV_TICK, 0, 0};
    case SL_NONE:
        break;
    }
    return ev;
}

/* The keyboard is read byte by byte (wgetch still turns function keys into KEY_* codes) and UTF-8 is
 * decoded here, because ncurses' wget_wch, given a byte that is not valid UTF-8 (a Latin-1 terminal's
 * "\xe9", a stray continuation byte), keeps reading until a second passes with no key and then drops all
 * it read: "\xff" followed at once by "AB" and Enter typed nothing at all. Here an invalid byte is dropped
 * alone and what follows it is kept. */
static int next_byte(int wait_ms) {
    timeout(wait_ms);
    return wgetch(stdscr);
}

bool input_more_soon(int ms) { return input_next_soon(ms) != INPUT_NONE_SOON; }

int input_next_soon(int ms) {
    if (script) return script_burst && at_pending < n_pending ? (int)pending[at_pending] : INPUT_NONE_SOON;
    int left = ms - (int)(monotonic_ms() - key_ms);
    int b = next_byte(left > 0 ? left : 0);
    if (b == ERR) return INPUT_NONE_SOON;
    ungetch(b);
    return b;
}

/* The rest of a character whose first byte is b0; false (and nothing consumed that belongs to the next
 * character) when the bytes are not UTF-8: overlong forms, surrogates and code points past U+10FFFF too. */
static bool utf8_rest(int b0, wchar_t *wc) {
    int need = b0 >= 0xc2 && b0 <= 0xdf ? 1 : b0 >= 0xe0 && b0 <= 0xef ? 2 : b0 >= 0xf0 && b0 <= 0xf4 ? 3 : -1;
    if (need < 0) return false; /* a lone continuation byte, 0xc0, 0xc1 or 0xf5..0xff */
    unsigned long cp = (unsigned long)b0 & (0x3fu >> need);
    for (int i = 0; i < need; i++) {
        int b = next_byte(50);
        if (b == ERR) return false;
        if (b > 0xff || (b & 0xc0) != 0x80) { /* not a continuation: it starts the next key */
            ungetch(b);
            return false;
        }
        cp = cp << 6 | ((unsigned long)b & 0x3f);
    }
    static const unsigned long least[] = {0, 0x80, 0x800, 0x10000};
    if (cp < least[need] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    *wc = (wchar_t)cp;
    return true;
}

/* After Esc: a control sequence the terminal's description does not name (ncurses hands those on as Esc
 * and then the rest as typed keys: "\e[999;999H" was Esc, which leaves the screen, then "999" answered
 * the question before) is read whole and ignored. CSI and SS3 end at their final byte; OSC, DCS, APC, PM
 * at BEL or ESC \. Esc alone (no byte right behind it) is the Esc key; Esc and another key is Alt+key,
 * kept as Esc and that key. */
static bool skip_sequence(void) {
    int b = next_byte(0);
    if (b == ERR) return false;
    if (b == '[' || b == 'O') {
        for (int n = 0; n < 64; n++) {
            int c = next_byte(10);
            if (c == ERR || c > 0xff) break;
            if (b == 'O' || (c >= 0x40 && c <= 0x7e)) break; /* the final byte */
        }
        return true;
    }
    if (b == ']' || b == 'P' || b == '_' || b == '^' || b == 'X') {
        for (int n = 0, prev = 0, c; n < 4096 && (c = next_byte(10)) != ERR; n++, prev = c)
            if (c == 7 || (prev == 27 && c == '\\')) break;
        return true;
    }
    ungetch(b);
    return false;
}

event input_next(void) {
    if (script) {
        event ev;
        do ev = script_event();
        while (ev.kind == EV_NONE);
        return ev;
    }
    for (;;) {
        if (term_take_interrupt()) return (event){EV_INTERRUPT, 0, 0};
        if (term_stop_requested) return (event){EV_QUIT, 0, 0};
        if (term_resized) {
            term_resized = 0;
            endwin(); /* the loop reads the real size and redraws everything */
            refresh();
            return (event){EV_RESIZE, 0, 0};
        }
        int ch = next_byte(1000);
        if (ch == ERR) { /* a signal (the loop's top says which) or a second without a key */
            if (term_stop_requested || term_resized) continue;
            return (event){EV_TICK, 0, 0};
        }
        key_ms = monotonic_ms();
        if (ch == KEY_RESIZE) return (event){EV_RESIZE, 0, 0};
        if (ch > 0xff) return (event){EV_KEY, ch, 0};
        if (ch == 27 && skip_sequence()) continue;
        if (ch == 13) ch = K_ENTER; /* nonl(): Enter arrives as CR */
        if (ch < 32 || ch == 127) return (event){EV_KEY, ch == 127 ? KEY_BACKSPACE : ch, 0};
        if (ch < 0x80) return (event){EV_CHAR, 0, (wchar_t)ch};
        wchar_t wc;
        if (utf8_rest(ch, &wc)) return (event){EV_CHAR, 0, wc};
        /* an invalid byte: dropped, and the loop reads on */
    }
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
