/* Progress of a long command on the terminal (verify, rekey, export, import, backup, retention apply): a
 * count, the share done and an estimate of the time left, redrawn in place on stderr at most five times a
 * second, and a last line when the command ends. Only when stderr is a terminal: in a pipe, a file or cron
 * nothing is printed (core reports through core/progress.h either way; nobody listens then). */
#ifndef TRIAGE_CMD_PROGRESS_H
#define TRIAGE_CMD_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "progress.h"
#include "session.h"

typedef struct {
    progress base; /* first: core calls base.report with a pointer to it */
    const char *verb;
    char what[64];
    int64_t done, total;
    int64_t phase_start_ns, last_draw_ns;
    bool drawn;
} cmd_progress;

/* Attaches p to the session when stderr is a terminal (else leaves the session without one). */
void cmd_progress_attach(cmd_progress *p, session *s, const char *verb);
/* Ends the line on the terminal and detaches p. */
void cmd_progress_end(cmd_progress *p, session *s);

/* "about 1m 05s left" for the time left after done of total in elapsed nanoseconds ("" when not known). */
void cmd_progress_eta(int64_t done, int64_t total, int64_t elapsed_ns, char *out, size_t size);

#endif
