/* Outcome KPIs over a date range, from the de-identified report facts (core/records/facts.h) only: no sealed value
 * is opened, so a report over a million intakes takes well under a second. Curses-free: `triage report`
 * prints it, the front desk's Reports screen draws it (report_bar gives its bars).
 *
 * Every figure is given for the whole range and per group: per level (the level triage gave), channel,
 * presenting concern, age band, counselor, and lifecycle stage at the end of the range. A group with fewer
 * intakes than the k floor ([reports] k_floor, default 5) is suppressed: its count is shown as "<k" and
 * none of its figures, so that a report never singles out a client. */
#ifndef TRIAGE_REPORT_H
#define TRIAGE_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "config.h"
#include "risk.h"
#include "session.h"

typedef enum { RD_ALL, RD_LEVEL, RD_CHANNEL, RD_CONCERN, RD_AGE_BAND, RD_COUNSELOR, RD_STAGE, RD_COUNT } report_dim;

const char *report_dim_name(report_dim d);

typedef struct {
    report_dim dim;
    char value[65];            /* "all", "red", "phone", "emotional", "25-34", "c05", "active"; "" = unknown */
    int64_t intakes;
    bool suppressed;           /* fewer than k intakes: show "<k" and no figure */
    /* identification accuracy = confirmed_same / confirmed: the clinician confirmed the level triage gave */
    int64_t confirmed, confirmed_same;
    /* first-session completion = first_attended / intakes */
    int64_t first_attended;
    /* retention = retained / first_attended: N or more attended sessions within D days of the first */
    int64_t retained;
    /* time from intake to the first contact attempt: median over the intakes contacted */
    int64_t contacted;
    double median_contact_hours;
    /* confirmations made by their deadline = confirmed_in_time / confirmed_with_deadline */
    int64_t confirmed_with_deadline, confirmed_in_time;
    int64_t overdue;           /* intakes whose queue item went overdue */
    /* decline rate of suggested counselors = declines / suggestions */
    int64_t suggestions, declines;
} report_row;

typedef struct {
    int k;                  /* the k-anonymity floor */
    int retention_sessions; /* N */
    int retention_days;     /* D */
    int lapse_days;
} report_settings;

/* How well the levels work: triage's level against the level a clinician confirmed, over the intakes of the
 * range that a clinician confirmed (the queue's confirm step; facts.confirmed_level). The others are left
 * out and counted. Indexed by risk_level (LEVEL_GREEN .. LEVEL_RED). */
typedef struct {
    int64_t cells[LEVEL_COUNT][LEVEL_COUNT]; /* [triage's level][the confirmed level] */
    int64_t unconfirmed;                      /* intakes of the range with no confirmed level: left out */
    /* ... of them, per triage's level: a level a clinician rarely confirms (green) leaves its missed cases
     * unseen, so the sensitivities read high (verification bias); the report shows these beside the matrix */
    int64_t unconfirmed_at[LEVEL_COUNT];
} report_validation;

typedef struct {
    int64_t from, to; /* UTC seconds, [from, to) */
    report_settings set;
    report_row *rows; /* RD_ALL first, then by dimension, then by value */
    int n;
    report_validation val;
} report;

void report_settings_from_config(const config *c, report_settings *out);

/* Computes the KPIs for intakes with from <= created_at < to, with the k floor applied and flagged. Needs no
 * key (only de-identified facts are read). */
bool report_compute(database *db, const report_settings *set, int64_t from, int64_t to, report *out, error *err);
/* The same for a logged-in clinician or supervisor, audited (the range only in the entry). */
bool report_run(session *s, const report_settings *set, int64_t from, int64_t to, report *out, error *err);
void report_free(report *r);

/* A share num / den: false when it cannot be shown (den == 0). */
bool report_rate(int64_t num, int64_t den, double *out);
/* The share of the whole range's intakes that a row's intakes are (e.g. a concern's share). */
double report_share(const report *r, const report_row *row);
/* A bar of `width` cells for a share 0..1 ('#' filled, '.' empty); out holds width + 1 bytes. */
void report_bar(double share, int width, char *out, size_t size);

/* ---- the validation report (`triage report --validation`, the Reports screen's last table) ---- */

/* The 95% Wilson score interval of x successes in n (z = 1.959964): false when n <= 0 (no interval), or
 * x is outside 0..n. Wilson rather than p +- z*se: it stays inside 0..1 and is honest for small n and for
 * shares near 0 or 1, which is where a triage level's figures live. */
bool report_wilson(int64_t x, int64_t n, double *lo, double *hi);

/* A share x / n with its interval, as the validation report gives it. */
typedef struct {
    int64_t x, n;
    bool shown;    /* n >= k, and x is 0 or >= k (a share would give a count under the floor back) */
    bool have;     /* n > 0: p, lo, hi are set */
    double p, lo, hi;
} report_share_ci;

/* Intakes triage put at level l (row total), and confirmed at level l (column total); confirmed in all. */
int64_t report_triaged_at(const report_validation *v, risk_level l);
int64_t report_confirmed_at(const report_validation *v, risk_level l);
int64_t report_confirmed_total(const report_validation *v);
/* Positive predictive value of level l: of those triage put at l, the share the clinician confirmed at l. */
report_share_ci report_ppv(const report *r, risk_level l);
/* Sensitivity of level l: of those the clinician confirmed at l, the share triage put at l. */
report_share_ci report_sensitivity(const report *r, risk_level l);
/* The same for "at l or above" (LEVEL_ORANGE: the safety question; LEVEL_YELLOW: a positive screen such as
 * PHQ-9 10 or more, the figure to hold against a screening PPV): sensitivity = of those confirmed at
 * l or above, the share triage put at l or above; PPV = of those triage put at l or above, the share
 * confirmed at l or above. */
report_share_ci report_sensitivity_at_or_above(const report *r, risk_level l);
report_share_ci report_ppv_at_or_above(const report *r, risk_level l);
/* Confirmed intakes triage put lower (under-triage) or higher (over-triage) than the clinician did. */
int64_t report_under_triaged(const report_validation *v);
int64_t report_over_triaged(const report_validation *v);
/* A count as a report shows it: "<k" from 1 to k - 1 (it could single out a client), else the number; a
 * zero singles out no one and is shown. */
void report_count_text(int64_t n, int k, char *out, size_t size);
/* "82% (41/50, 95% CI 69-90%)", "<5" counts where under the floor, "n/a (0/0)" without an interval. */
void report_share_text(const report_share_ci *s, int k, char *out, size_t size);

/* The validation report as a text table, as JSON, or as CSV. malloc'd / new references. */
char *report_validation_text(const report *r);
json_t *report_validation_json(const report *r);
char *report_validation_csv(const report *r);

/* The report as a text table (with bars for the concern distribution), as JSON, or as CSV (RFC 4180; one
 * row per group). Suppressed groups show "<k" and no figures. malloc'd / new references. */
char *report_text(const report *r);
json_t *report_json(const report *r);
char *report_csv(const report *r);

#endif
