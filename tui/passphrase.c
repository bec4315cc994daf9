#include "passphrase.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "secret.h"

/* One line from fd, byte by byte so that nothing after the newline is consumed (the next passphrase). */
static bool read_line(int fd, char *buf, size_t size, size_t *len, bool *eof) {
    size_t n = 0;
    *eof = false;
    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return false;
        if (r == 0) {
            *eof = n == 0;
            break;
        }
        if (c == '\n') break;
        if (n + 1 >= size) return false;
        buf[n++] = c;
    }
    if (n && buf[n - 1] == '\r') n--;
    buf[n] = '\0';
    *len = n;
    return true;
}

static volatile sig_atomic_t interrupted;
static void on_signal(int sig) {
    (void)sig;
    interrupted = 1;
}

/* Reads from the terminal with echo off, restoring it on every path (also on Ctrl-C). */
static bool read_tty(int tty, const char *prompt, char *buf, size_t size, size_t *len, error *err) {
    struct termios old, quiet;
    if (tcgetattr(tty, &old) != 0) {
        error_set(err, ERR_IO, "cannot set up the terminal: %s", strerror(errno));
        return false;
    }
    quiet = old;
    quiet.c_lflag &= (tcflag_t)~(ECHO | ECHONL);
    quiet.c_lflag |= ICANON;
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    interrupted = 0;
    if (write(tty, prompt, strlen(prompt)) < 0) { /* the prompt is best effort */
    }
    tcsetattr(tty, TCSAFLUSH, &quiet);
    bool eof = false;
    bool ok = read_line(tty, buf, size, len, &eof);
    tcsetattr(tty, TCSAFLUSH, &old);
    if (write(tty, "\n", 1) < 0) {
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (interrupted) {
        error_set(err, ERR_IO, "interrupted");
        return false;
    }
    if (!ok || eof) error_set(err, ERR_INPUT, "no passphrase read (longer than %d bytes, or end of input)", PASSPHRASE_MAX - 1);
    return ok && !eof;
}

bool passphrase_read(int fd, const char *prompt, bool confirm, char **out, size_t *len, error *err) {
    *out = secret_alloc(PASSPHRASE_MAX);
    if (!*out) {
        error_set(err, ERR_INTERNAL, "cannot allocate protected memory");
        return false;
    }
    bool ok;
    if (fd >= 0) {
        bool eof;
        ok = read_line(fd, *out, PASSPHRASE_MAX, len, &eof) && !eof;
        if (!ok) error_set(err, ERR_INPUT, "no passphrase on file descriptor %d (one per line, at most %d bytes)", fd,
                          PASSPHRASE_MAX - 1);
    } else {
        int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
        if (tty < 0) {
            error_set(err, ERR_IO, "no terminal to ask for the passphrase: use --passphrase-fd N");
            ok = false;
        } else {
            ok = read_tty(tty, prompt, *out, PASSPHRASE_MAX, len, err);
            if (ok && confirm) {
                char *again = secret_alloc(PASSPHRASE_MAX);
                size_t alen = 0;
                ok = again && read_tty(tty, "Again: ", again, PASSPHRASE_MAX, &alen, err);
                if (ok && (alen != *len || memcmp(again, *out, alen) != 0)) {
                    error_set(err, ERR_INPUT, "the two passphrases differ");
                    ok = false;
                }
                secret_free(again);
            }
            close(tty);
        }
    }
    if (!ok) {
        secret_free(*out);
        *out = NULL;
        *len = 0;
    }
    return ok;
}
