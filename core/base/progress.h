/* Progress of a long command (verify, rekey, export, import, backup, retention apply): core says how far it
 * is through a callback the front end attaches to the session; core never prints. The front end attaches one
 * only when someone is watching (stderr is a terminal: tui/cmd_progress.c), and core then spends what a
 * total costs (a counting pass over what it is about to walk) only when one is attached. */
#ifndef TRIAGE_PROGRESS_H
#define TRIAGE_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct progress progress;
struct progress {
    /* what: the unit being counted ("sealed fields", "intakes", ...); total: 0 when not known */
    void (*report)(progress *p, const char *what, int64_t done, int64_t total);
};

static inline bool progress_wanted(const progress *p) { return p && p->report; }

static inline void progress_report(progress *p, const char *what, int64_t done, int64_t total) {
    if (p && p->report) p->report(p, what, done, total);
}

#endif
