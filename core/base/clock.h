/* The one source of time. The release binary takes it from the system clock only: the time an audit entry
 * or a deadline records is never the user's to choose (a staff member with a shell could otherwise backdate
 * entries, or make a keyless `queue tick` escalate early). The test build (core/clock.c compiled with
 * TRIAGE_TEST_CLOCK: ./triage-test and the sanitizer flavour) honours TRIAGE_NOW (ISO-8601 UTC such as
 * 2026-11-24T09:00:00Z, or epoch seconds), so tests can stand at any instant, e.g. exactly on a deadline;
 * the release binary refuses to run with TRIAGE_NOW set rather than ignore it silently. */
#ifndef TRIAGE_CLOCK_H
#define TRIAGE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* Seconds since the epoch, UTC. */
int64_t clock_now(void);
/* Parses ISO-8601 UTC (YYYY-MM-DDTHH:MM:SSZ, or YYYY-MM-DD for midnight) or epoch seconds. */
bool clock_parse(const char *text, int64_t *out);
/* Whether t is exactly a calendar date YYYY-MM-DD (1900 to 2200; February 29 only in a leap year). */
bool clock_date_valid(const char *t);
/* Whole years at `at` (UTC seconds) of someone born on YYYY-MM-DD; -1 when the date is unreadable or after at. */
int age_at(const char *birth, int64_t at);
/* Checks TRIAGE_NOW once; false (with the bad value in *bad) when it is set but unreadable. */
bool clock_env_ok(const char **bad);
/* True in the test build, where TRIAGE_NOW is honoured. */
bool clock_env_honoured(void);
/* The release build: false when TRIAGE_NOW is set (the caller refuses to run, naming it). */
bool clock_env_absent_or_honoured(void);
/* Tests: fix the clock (set=false returns to TRIAGE_NOW / the system clock). */
void clock_fix(bool set, int64_t t);
/* A place a fault test may kill the process at (test build only, like TRIAGE_NOW): with TRIAGE_TEST_KILL_AT set
 * to NAME:N, the N-th time the program passes the point NAME it kills itself with SIGKILL (as kill -9 would,
 * at a moment the test chooses, e.g. between two committed batches of an upgrade). The release build ignores it. */
void test_fault_point(const char *name);
/* Unit tests: fn(name, arg) runs at every fault point passed (both builds; only a test's own code sets it, no
 * environment does), e.g. to commit a rekey on another connection between a restore's check and its swap. */
typedef void (*test_hook_fn)(const char *name, void *arg);
void test_hook_set(test_hook_fn fn, void *arg);

#endif
