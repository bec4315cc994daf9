/* The safety steps an interview shows, acknowledged: one use case, so that every front end records it alike
 * (issue 17: the audit entry and the draft's save were the curses screen's, and another front end could have
 * skipped the entry while the rule itself stayed core's). */
#ifndef TRIAGE_SAFETY_ACK_H
#define TRIAGE_SAFETY_ACK_H

#include <stdbool.h>

#include "error.h"
#include "session.h"
#include "wizard.h"

/* The step set due now (wizard_safety_set) acknowledged by the worker: marked in the interview, and its draft
 * saved with a `safety_steps_acknowledged` entry naming the set, the channel and the level, in one transaction.
 * True with nothing done when no set is due. When the save fails (err says why: a full disk) the acknowledgement
 * stays in the interview, since the worker has read the steps: the next save of the draft keeps it, without the
 * entry. */
bool intake_safety_acknowledge(session *s, wizard *w, error *err);

#endif
