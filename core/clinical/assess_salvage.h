/* What a refused intake file's answers still say of risk: every way in that refuses a file for one field (today
 * `intake new`) reads the answers it can and warns first when they put the client at orange or red, so that the
 * operator of a script sees the risk before the refusal. Nothing here is stored. */
#ifndef TRIAGE_ASSESS_SALVAGE_H
#define TRIAGE_ASSESS_SALVAGE_H

#include <jansson.h>
#include <stdbool.h>

#include "assess.h"

/* The answers of root that can be read, into in: each form's answers that parse on their own, an answer that is not
 * one of its item's taken as unanswered (which counts as positive where it is a safety item), answers past a form's
 * items left out, the concerns if they parse, under `answers` or a key misspelt for it ("anwsers"). known
 * (NULL-terminated) are top-level fields of the caller's own, never read as answers. False when nothing could. */
bool assess_salvage(const engine *e, json_t *root, const char *const *known, assess_input *in);

/* "SAFETY: these answers put the client at RED: why. Nothing was saved ..." when in's assessment (assess_run, as
 * every way in computes it) is orange or red; NULL otherwise. The caller frees it. */
char *assess_safety_warning(const engine *e, const assess_input *in);

#endif
