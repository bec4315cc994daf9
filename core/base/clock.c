#include "clock.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

static bool fixed;
static int64_t fixed_at;

void clock_fix(bool set, int64_t t) {
    fixed = set;
    fixed_at = t;
}

static bool leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), without timegm's dependence on TZ. */
static int64_t days_from_civil(long y, long m, long d) {
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + doe - 719468;
}

bool clock_parse(const char *text, int64_t *out) {
    long v;
    if (!text) return false;
    if (parse_int(text, 0, 253402300799L, &v)) {
        *out = v;
        return true;
    }
    int y, mo, d, h = 0, mi = 0, s = 0, n = 0;
    size_t len = strlen(text);
    if (len == 10 && sscanf(text, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && n == 10) {
    } else if (len == 20 && sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &s, &n) == 6 && n == 20) {
    } else {
        return false;
    }
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
    if (d > mdays[mo - 1] + (mo == 2 && leap(y))) return false;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    return true;
}

#ifdef TRIAGE_TEST_CLOCK
bool clock_env_honoured(void) { return true; }
#else
bool clock_env_honoured(void) { return false; }
#endif

bool clock_env_absent_or_honoured(void) {
    const char *env = getenv("TRIAGE_NOW");
    return clock_env_honoured() || !env || !*env;
}

bool clock_env_ok(const char **bad) {
    const char *env = getenv("TRIAGE_NOW");
    int64_t t;
    if (env && *env && !clock_parse(env, &t)) {
        *bad = env;
        return false;
    }
    return true;
}

int64_t clock_now(void) {
    if (fixed) return fixed_at;
#ifdef TRIAGE_TEST_CLOCK
    const char *env = getenv("TRIAGE_NOW");
    int64_t t;
    if (env && *env && clock_parse(env, &t)) return t;
#endif
    return (int64_t)time(NULL);
}

static test_hook_fn hook;
static void *hook_arg;

void test_hook_set(test_hook_fn fn, void *arg) {
    hook = fn;
    hook_arg = arg;
}

#ifdef TRIAGE_TEST_CLOCK
void test_fault_point(const char *name) {
    static long passed;
    if (hook) hook(name, hook_arg);
    const char *env = getenv("TRIAGE_TEST_KILL_AT");
    size_t n = name ? strlen(name) : 0;
    if (!env || !n || strncmp(env, name, n) != 0 || env[n] != ':') return;
    if (++passed == strtol(env + n + 1, NULL, 10)) (void)raise(SIGKILL);
}
#else
void test_fault_point(const char *name) {
    if (hook) hook(name, hook_arg);
}
#endif

bool clock_date_valid(const char *t) {
    /* exactly YYYY-MM-DD: digits where digits belong (sscanf alone would take signs and spaces) */
    for (int i = 0; i < 10; i++)
        if (!t[i] || ((i == 4 || i == 7) ? t[i] != '-' : !(t[i] >= '0' && t[i] <= '9'))) return false;
    int y, m, d, n = 0;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return strlen(t) == 10 && sscanf(t, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 && y >= 1900 && y <= 2200 &&
           m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] && !(m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

/* Read field by field, not by clock_parse, which takes no year before 1970: everyone born before then had no age
 * (no age band in the reports) until the sixteenth receptionist tryout's age check showed it. */
int age_at(const char *birth, int64_t at) {
    int by, bm, bd, n = 0;
    if (!birth || strlen(birth) != 10 || sscanf(birth, "%4d-%2d-%2d%n", &by, &bm, &bd, &n) != 3 || n != 10) return -1;
    if (by < 1800 || bm < 1 || bm > 12 || bd < 1 || bd > 31) return -1;
    time_t now = (time_t)at;
    struct tm tm;
    if (!gmtime_r(&now, &tm)) return -1;
    int age = tm.tm_year + 1900 - by;
    if (tm.tm_mon + 1 < bm || (tm.tm_mon + 1 == bm && tm.tm_mday < bd)) age--;
    return age >= 0 && age <= 150 ? age : -1;
}
