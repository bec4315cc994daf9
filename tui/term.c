/* Terminal set-up and, above all, its restoration on every way out: normal exit, error, and fatal
 * signals (the handler restores the terminal, then lets the signal do what it would have done). */
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ui.h"

bool term_can_move_cursor(void); /* termcap.c: terminfo's own names clash with ours, so it stands apart */

static bool started, headless_mode, colors;
static SCREEN *headless_screen;
static FILE *null_out;
volatile sig_atomic_t term_resized;

static void restore(void) {
    if (!started) return;
    started = false;
    endwin();
    if (headless_screen) {
        delscreen(headless_screen);
        headless_screen = NULL;
    }
    if (null_out) {
        fclose(null_out);
        null_out = NULL;
    }
}

static void on_fatal(int sig) {
    /* endwin is not async-signal-safe, but the terminal left in raw mode is worse; then die as asked */
    restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* A kill or a hung-up SSH session: the main loop ends as q would, keeping the open intake (a copy of it, when its
 * draft went at another desk: Ctrl-C once dropped such answers, item 9 among them: fourteenth tryout). Ctrl-C is taken
 * by the loop as a key that asks first over an open intake (it left without the question: twentieth tryout). A second
 * signal before the loop took the first, the loop stuck, ends the program at once. */
volatile sig_atomic_t term_stop_requested;
static void on_stop(int sig) {
    if (term_stop_requested) on_fatal(sig);
    term_stop_requested = sig;
}

bool term_take_interrupt(void) {
    if (term_stop_requested != SIGINT) return false;
    term_stop_requested = 0;
    return true;
}

void term_quit_interrupted(void) {
    if (!term_stop_requested) term_stop_requested = SIGINT;
}

void term_end_as_signalled(void) {
    int sig = (int)term_stop_requested;
    if (!sig) return;
    signal(sig, SIG_DFL); /* the exit status says what ended it (a hang-up: 129), as before */
    raise(sig);
}

static void on_winch(int sig) {
    (void)sig;
    term_resized = 1;
}

bool term_has_color(void) { return colors; }

bool term_start(bool headless, bool no_color, error *err) {
    setlocale(LC_ALL, "");
    if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0 && !setlocale(LC_ALL, "C.UTF-8")) {
        error_set(err, ERR_IO, "no UTF-8 locale (not even C.UTF-8) is available");
        return false;
    }
    headless_mode = headless;
    if (headless) {
        /* a virtual screen of LINES x COLUMNS that nobody sees: what tests read with `dump` */
        null_out = fopen("/dev/null", "w");
        headless_screen = null_out ? newterm("xterm-256color", null_out, stdin) : NULL;
        if (!headless_screen) {
            error_set(err, ERR_IO, "cannot set up a virtual terminal for the script");
            return false;
        }
        set_term(headless_screen);
    } else {
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
            error_set(err, ERR_IO, "the front desk needs a terminal (use the subcommands in scripts)");
            return false;
        }
        /* newterm, not initscr: a terminal curses cannot drive (TERM=dumb, unknown TERM) gets a message and
         * the shell back, instead of curses exiting on its own */
        const char *term = getenv("TERM");
        SCREEN *scr = newterm(NULL, stdout, stdin);
        if (!scr) {
            error_set(err, ERR_IO, "this terminal (TERM=%s) cannot show the front desk: use a full-screen terminal "
                                   "(xterm, linux, screen, tmux) or the subcommands (triage --help)",
                     term && *term ? term : "unset");
            return false;
        }
        set_term(scr);
        if (!term_can_move_cursor()) {
            endwin();
            delscreen(scr);
            error_set(err, ERR_IO, "this terminal (TERM=%s) cannot move the cursor: use a full-screen terminal "
                                   "(xterm, linux, screen, tmux) or the subcommands (triage --help)",
                     term && *term ? term : "unset");
            return false;
        }
    }
    started = true;
    atexit(restore);
    static const int fatal[] = {SIGQUIT, SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGILL};
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) signal(fatal[i], on_fatal);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop; /* no SA_RESTART: the wait for a key returns at once */
    static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) sigaction(stops[i], &sa, NULL);
    sa.sa_handler = on_winch;
    sigaction(SIGWINCH, &sa, NULL);
    sigaction(SIGCONT, &sa, NULL);
    cbreak();
    /* Ctrl-S saves: take it back from the terminal's XON/XOFF flow control */
    struct termios tio;
    if (!headless && tcgetattr(STDIN_FILENO, &tio) == 0) {
        tio.c_iflag &= (tcflag_t)~(IXON | IXOFF);
        tcsetattr(STDIN_FILENO, TCSANOW, &tio);
        def_prog_mode(); /* curses restores this mode after endwin/refresh, and the shell's mode on exit */
    }
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    colors = !no_color && !getenv("NO_COLOR") && has_colors();
    if (colors) {
        start_color();
        use_default_colors();
    }
    theme_init(colors);
    return true;
}

void term_stop(void) { restore(); }
