#include "cmd_progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REDRAW_NS 200000000LL /* five times a second at most: a redraw per row would cost more than the row */

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

void cmd_progress_eta(int64_t done, int64_t total, int64_t elapsed_ns, char *out, size_t size) {
    out[0] = '\0';
    if (total <= 0 || done <= 0 || done >= total) return;
    /* the rate so far holds for the rest: rows of one kind cost about the same */
    double left = (double)elapsed_ns / 1e9 * (double)(total - done) / (double)done;
    long s = (long)(left + 0.5);
    if (s < 1) snprintf(out, size, "under a second left");
    else if (s < 60) snprintf(out, size, "about %lds left", s);
    else if (s < 3600) snprintf(out, size, "about %ldm %02lds left", s / 60, s % 60);
    else snprintf(out, size, "about %ldh %02ldm left", s / 3600, s / 60 % 60);
}

static void draw(cmd_progress *p, int64_t t) {
    char eta[64];
    cmd_progress_eta(p->done, p->total, t - p->phase_start_ns, eta, sizeof eta);
    /* \r and erase to the end of the line: the count is redrawn in place */
    if (p->total > 0)
        fprintf(stderr, "\r%s: %lld of %lld %s (%d%%)%s%s\033[K", p->verb, (long long)p->done, (long long)p->total,
                p->what, (int)(p->done * 100 / p->total), eta[0] ? ", " : "", eta);
    else
        fprintf(stderr, "\r%s: %lld %s\033[K", p->verb, (long long)p->done, p->what);
    fflush(stderr);
    p->drawn = true;
    p->last_draw_ns = t;
}

static void report(progress *base, const char *what, int64_t done, int64_t total) {
    cmd_progress *p = (cmd_progress *)base;
    int64_t t = now_ns();
    if (strcmp(p->what, what) != 0) { /* a new phase (rekey reads, then writes): its own count and rate */
        if (p->drawn) fputc('\n', stderr);
        snprintf(p->what, sizeof p->what, "%s", what);
        p->phase_start_ns = t;
        p->drawn = false;
    }
    p->done = done;
    p->total = total;
    if (!p->drawn || t - p->last_draw_ns >= REDRAW_NS || (total > 0 && done >= total)) draw(p, t);
}

void cmd_progress_attach(cmd_progress *p, session *s, const char *verb) {
    memset(p, 0, sizeof *p);
    p->base.report = report;
    p->verb = verb;
    p->phase_start_ns = now_ns();
    if (s && isatty(STDERR_FILENO)) s->progress = &p->base;
}

void cmd_progress_end(cmd_progress *p, session *s) {
    if (p->drawn) fputc('\n', stderr);
    p->drawn = false;
    if (s && s->progress == &p->base) s->progress = NULL;
}
