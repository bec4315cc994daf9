/* The one source of time. TRIAGE_NOW (ISO-8601 UTC such as 2026-11-24T09:00:00Z, or epoch seconds)
 * fixes it, so tests and demos can stand at any instant, e.g. exactly on a deadline. */
#ifndef TRIAGE_CLOCK_H
#define TRIAGE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* Seconds since the epoch, UTC. */
int64_t clock_now(void);
/* Parses ISO-8601 UTC (YYYY-MM-DDTHH:MM:SSZ, or YYYY-MM-DD for midnight) or epoch seconds. */
bool clock_parse(const char *text, int64_t *out);
/* Checks TRIAGE_NOW once; false (with the bad value in *bad) when it is set but unreadable. */
bool clock_env_ok(const char **bad);
/* Tests: fix the clock (set=false returns to TRIAGE_NOW / the system clock). */
void clock_fix(bool set, int64_t t);

#endif
