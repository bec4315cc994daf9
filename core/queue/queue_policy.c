/* Escalation queues: the state machine, the deadlines and the [queue] settings (see queue.h).
 *
 * Decisions where queue.h leaves room (each also noted where it is implemented):
 * - The required step of a level is one of acknowledged, confirmed, assigned, contacted. Once an item's state
 *   reaches its level's step (and red's evaluation) it owes the contact (queue_in_contact) by the time that step
 *   was taken + contact_within, and the step's overdue mark clears; the deadline is 0 only once the client is
 *   reached. If the item falls back below the step (a declined GREEN item goes back to open) the deadline counts
 *   again from level_since; a decline after the step keeps the contact deadline (declining is no new time). So an
 *   open item never sits without a deadline.
 * - Whenever the level goes up without a clinician confirming it (a person's RAISE, a higher new intake, or
 *   an overdue escalation by queue_tick) the item goes back to open: a person must acknowledge/confirm it at
 *   the new level. Without this an orange item already acknowledged and escalated to red would meet red's
 *   step at once and never be acknowledged as red. The counselor code stays recorded.
 * - `overdue` is sticky: it stays set after the escalation (so the item stays at the top for supervisors)
 *   until the required step is reached or a clinician confirms the level.
 * - Red takes two steps (queue_in_evaluation): its own step (acknowledged within 15 minutes), then a
 *   clinician's evaluation by level_since + red_evaluate: a CONFIRM, whose reason must say the outcome (any
 *   confirm that leaves or makes the level red needs one), or a CLOSE as referred (emergency services), which
 *   for red needs no earlier step. The evaluation's deadline is derived from level_since, so no new field is
 *   stored. An overdue evaluation is marked once by queue_tick (red cannot be raised) and the item keeps its
 *   state, so nobody has to acknowledge it again to make the clock run again.
 * - A clinician may also CONFIRM an item that is already confirmed, assigned or contacted while a lower
 *   pending_level awaits review (otherwise a lower intake for an assigned client could never be confirmed);
 *   the state is then unchanged.
 * - A RAISE (and a higher new intake) never gives more time than the deadline already running; a red item raised
 *   for being overdue keeps level_since, so its evaluation's deadline does not move later with each tick.
 * - DECLINE from assigned or contacted returns the item to confirmed and clears the counselor. An assignment does
 *   not end the row of declines (nor "match by hand"): only closing the item does (a first session closes it).
 * - queue_new_intake and queue_tick also set updated_at. A higher intake clears overdue (fresh deadline) and
 *   any pending level; a same-level intake also clears a pending lower level (the newest intake says the
 *   current level). A closed item takes no new intake (false): the caller queues a new item.
 * - business_days may name yellow and green only: red and orange are always counted in real time. A
 *   business-day deadline whose local clock time does not exist that day (a spring-forward gap) is where
 *   mktime puts it (tm_isdst = -1); an ambiguous one (fall-back) is mktime's choice of the two.
 * - queue_policy_load starts from the defaults; a bad value is reported and leaves that setting at its
 *   default (the result is then false). Empty values keep the defaults (as int_setting in config.c does).
 * - queue_compare puts closed items after all others. queue_format_remaining follows the clock (time left
 *   until the deadline, or OVERDUE by how long it has passed), while the overdue flag drives the sort. */
#include "queue_policy.h"
#include "util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>


/* ---- names ---- */

static const char *const state_names[QS_COUNT] = {"open", "acknowledged", "confirmed", "assigned", "contacted",
                                                  "closed"};
static const char *const outcome_names[QO_COUNT] = {"none", "first_session", "declined", "referred", "unreachable",
                                                    "duplicate"};
static const char *const action_names[QA_COUNT] = {"ack", "confirm", "raise", "assign", "contact", "decline", "close"};

const char *queue_event_name(const queue_request *rq) {
    if (rq->action == QA_CONTACT && rq->contact == QC_NOT_REACHED) return "contact_missed";
    return queue_action_name(rq->action);
}

bool queue_reason_written(const char *reason) {
    int n = 0;
    for (const char *c = reason ? reason : ""; *c; c++) n += !isspace((unsigned char)*c);
    return n >= QUEUE_REASON_MIN;
}

bool queue_contact_parse(const char *s, queue_contact *out) {
    if (s && !strcmp(s, "reached")) *out = QC_REACHED;
    else if (s && (!strcmp(s, "not-reached") || !strcmp(s, "not_reached"))) *out = QC_NOT_REACHED;
    else return false;
    return true;
}

const char *queue_state_name(queue_state s) { return (unsigned)s < QS_COUNT ? state_names[s] : "?"; }

bool queue_state_parse(const char *s, queue_state *out) {
    for (int i = 0; s && i < QS_COUNT; i++)
        if (strcmp(s, state_names[i]) == 0) {
            *out = (queue_state)i;
            return true;
        }
    return false;
}

const char *queue_outcome_name(queue_outcome o) { return (unsigned)o < QO_COUNT ? outcome_names[o] : "?"; }

bool queue_outcome_parse(const char *s, queue_outcome *out) {
    for (int i = 0; s && i < QO_COUNT; i++)
        if (strcmp(s, outcome_names[i]) == 0) {
            *out = (queue_outcome)i;
            return true;
        }
    return false;
}

const char *queue_action_name(queue_action a) { return (unsigned)a < QA_COUNT ? action_names[a] : "?"; }

/* ---- policy ---- */

#define DAY 86400
#define MAX_WITHIN (365LL * DAY)

void queue_policy_defaults(queue_policy *p) {
    memset(p, 0, sizeof *p);
    p->within[LEVEL_RED] = 15 * 60;
    p->step[LEVEL_RED] = QS_ACKNOWLEDGED;
    p->within[LEVEL_ORANGE] = 24 * 3600;
    p->step[LEVEL_ORANGE] = QS_CONFIRMED;
    p->within[LEVEL_YELLOW] = 72 * 3600;
    p->step[LEVEL_YELLOW] = QS_CONFIRMED;
    p->within[LEVEL_GREEN] = 28LL * DAY;
    p->step[LEVEL_GREEN] = QS_CONTACTED;
    p->red_evaluate = 4 * 3600;
    p->contact_within[LEVEL_RED] = 24 * 3600;
    p->contact_within[LEVEL_ORANGE] = 72 * 3600;
    p->contact_within[LEVEL_YELLOW] = 14LL * DAY;
    p->contact_within[LEVEL_GREEN] = 28LL * DAY;
    p->escalate_by = 1;
    p->decline_limit = 3;
    p->unreachable_after = 3;
    p->n_holidays = 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 0 Sunday .. 6 Saturday (1970-01-01 was a Thursday). */
static int weekday(int64_t z) { return (int)(((z % 7) + 7 + 4) % 7); }

static bool is_holiday(const queue_policy *p, int64_t z) {
    for (int i = 0; i < p->n_holidays && i < 64; i++)
        if (p->holidays[i] == z) return true;
    return false;
}

static bool valid_level(risk_level l) { return (unsigned)l < LEVEL_COUNT; }

int64_t queue_deadline(const queue_policy *p, risk_level level, int64_t from) {
    if (!valid_level(level)) level = LEVEL_RED; /* a broken value gets the most urgent deadline, never none */
    int64_t within = p->within[level];
    if (!p->business_days[level]) return from + within;
    int64_t days = within / DAY;
    if (days <= 0) return from;
    time_t t = (time_t)from;
    struct tm lt;
    if (!localtime_r(&t, &lt)) return from + within;
    int64_t z = days_from_civil((int64_t)lt.tm_year + 1900, lt.tm_mon + 1, lt.tm_mday);
    /* counting starts with the next calendar day, whatever day `from` is */
    for (int64_t counted = 0; counted < days;) {
        z++;
        int wd = weekday(z);
        if (wd != 0 && wd != 6 && !is_holiday(p, z)) counted++;
    }
    int y, m, d;
    civil_from_days(z, &y, &m, &d);
    /* the same local clock time; mktime decides the UTC offset of that day (tm_isdst = -1). A clock time
     * that does not exist that day (inside a spring-forward gap) is moved as mktime moves it. */
    struct tm due = {0};
    due.tm_year = y - 1900;
    due.tm_mon = m - 1;
    due.tm_mday = d;
    due.tm_hour = lt.tm_hour;
    due.tm_min = lt.tm_min;
    due.tm_sec = lt.tm_sec;
    due.tm_isdst = -1;
    time_t r = mktime(&due);
    if (r == (time_t)-1) return from + days * DAY;
    return (int64_t)r;
}

/* ---- reading [queue] ---- */

static const char *const queue_keys[] = {"red",      "orange",      "yellow",        "green",
                                         "business_days", "holidays", "escalate_by", "decline_limit",
                                         "unreachable_after", "red_evaluate", "red_contact", "orange_contact",
                                         "yellow_contact", "green_contact", NULL};

typedef struct {
    const ini_file *ini;
    diag *d;
} loader;

static void load_error(loader *L, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void load_error(loader *L, const char *key, const char *fmt, ...) {
    char k[128];
    snprintf(k, sizeof k, "queue.%s", key);
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_add(L->d, L->ini->name, ini_line(L->ini, "queue", key), k, false, "%s", msg);
}

/* "15m", "24h", "72h", "28d", "900s": a whole number from 1 with one unit, at most 365 days. */
static bool parse_duration(const char *s, int64_t *out) {
    if (!s || !isdigit((unsigned char)*s)) return false;
    int64_t n = 0;
    while (isdigit((unsigned char)*s)) {
        n = n * 10 + (*s++ - '0');
        if (n > MAX_WITHIN) return false;
    }
    int64_t unit;
    switch (*s) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = DAY; break;
    default: return false;
    }
    if (s[1] != '\0' || n == 0 || n > MAX_WITHIN / unit) return false;
    *out = n * unit;
    return true;
}

static void load_level(loader *L, queue_policy *p, risk_level level) {
    const char *key = risk_level_name(level);
    const char *v = ini_get(L->ini, "queue", key);
    if (!v || !*v) return;
    strlist w = strlist_split(v);
    queue_state step;
    int64_t within;
    if (w.n != 2) {
        load_error(L, key, "`%s` should be a step and a time, e.g. `confirmed 24h`", v);
    } else if (!queue_state_parse(w.v[0], &step) || step == QS_OPEN || step == QS_CLOSED) {
        load_error(L, key, "`%s` is not a step (acknowledged, confirmed, assigned or contacted)", w.v[0]);
    } else if (!parse_duration(w.v[1], &within)) {
        load_error(L, key, "`%s` is not a time: a whole number with s, m, h or d (e.g. 15m, 72h, 28d), at most 365d",
                   w.v[1]);
    } else {
        p->step[level] = step;
        p->within[level] = within;
    }
    strlist_free(&w);
}

/* red_evaluate: the second step of red (a clinician's evaluation, or a referral to emergency services),
 * counted from when the level became red; it must leave time after red's own step. */
static void load_red_evaluate(loader *L, queue_policy *p) {
    const char *v = ini_get(L->ini, "queue", "red_evaluate");
    int64_t within;
    if (!v || !*v) return;
    if (!parse_duration(v, &within))
        load_error(L, "red_evaluate", "`%s` is not a time: a whole number with s, m, h or d (e.g. 4h), at most 365d", v);
    else if (p->step[LEVEL_RED] < QS_CONFIRMED && within <= p->within[LEVEL_RED])
        load_error(L, "red_evaluate", "`%s` must be longer than red's own time (the evaluation comes after the %s step)",
                   v, queue_state_name(p->step[LEVEL_RED]));
    else p->red_evaluate = within;
}

/* LEVEL_contact: the time after the level's step (and red's evaluation) within which the client is reached */
static void load_contact(loader *L, queue_policy *p, risk_level level) {
    char key[32];
    snprintf(key, sizeof key, "%s_contact", risk_level_name(level));
    const char *v = ini_get(L->ini, "queue", key);
    int64_t within;
    if (!v || !*v) return;
    if (!parse_duration(v, &within))
        load_error(L, key, "`%s` is not a time: a whole number with s, m, h or d (e.g. 72h, 14d), at most 365d", v);
    else p->contact_within[level] = within;
}

static int digits(const char *s, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

static bool parse_date(const char *s, int32_t *out) {
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i])) return false;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap) return false;
    *out = (int32_t)days_from_civil(y, m, d);
    return true;
}

static int int_key(loader *L, const char *key, int lo, int hi, int def) {
    const char *v = ini_get(L->ini, "queue", key);
    long n;
    if (!v || !*v) return def;
    if (!parse_int(v, lo, hi, &n)) {
        char k[128];
        snprintf(k, sizeof k, "queue.%s", key);
        diag_add(L->d, L->ini->name, ini_line(L->ini, "queue", key), k, false,
                 "`%s` is not a whole number from %d to %d", v, lo, hi);
        return def;
    }
    return (int)n;
}

bool queue_policy_load(queue_policy *p, const ini_file *ini, diag *d) {
    queue_policy_defaults(p);
    if (!ini_has_section(ini, "queue")) return true;
    int before = d->errors;
    loader L = {ini, d};
    ini_check_keys(ini, "queue", queue_keys, true, d);
    for (int l = 0; l < LEVEL_COUNT; l++) load_level(&L, p, (risk_level)l);

    const char *bd = ini_get(ini, "queue", "business_days");
    if (bd && *bd) {
        strlist w = strlist_split(bd);
        for (int i = 0; i < w.n; i++) {
            risk_level l;
            if (!risk_level_parse(w.v[i], &l))
                load_error(&L, "business_days", "`%s` is not a level (yellow or green)", w.v[i]);
            else if (l == LEVEL_RED || l == LEVEL_ORANGE)
                load_error(&L, "business_days",
                           "`%s` is always counted in real time: only yellow and green may count business days",
                           w.v[i]);
            else p->business_days[l] = true;
        }
        strlist_free(&w);
    }
    for (int l = 0; l < LEVEL_COUNT; l++) {
        if (!p->business_days[l] || p->within[l] % DAY == 0) continue;
        const char *name = risk_level_name((risk_level)l);
        const char *v = ini_get(ini, "queue", name);
        /* the level's own line when it is given, else the line that asked for business days */
        load_error(&L, v && *v ? name : "business_days",
                   "%s counts business days, so its time must be whole days (e.g. 3d), not `%s`", name,
                   v && *v ? v : "the default");
        p->business_days[l] = false;
    }

    const char *hol = ini_get(ini, "queue", "holidays");
    if (hol && *hol) {
        strlist w = strlist_split(hol);
        for (int i = 0; i < w.n; i++) {
            int32_t z;
            if (!parse_date(w.v[i], &z)) {
                load_error(&L, "holidays", "`%s` is not a date (YYYY-MM-DD)", w.v[i]);
            } else if (p->n_holidays == 64) {
                load_error(&L, "holidays", "more than 64 holidays (from `%s`)", w.v[i]);
                break;
            } else if (!is_holiday(p, z)) {
                p->holidays[p->n_holidays++] = z;
            }
        }
        strlist_free(&w);
    }

    load_red_evaluate(&L, p);
    for (int l = 0; l < LEVEL_COUNT; l++) load_contact(&L, p, (risk_level)l);
    /* a higher level's client reached later than a lower one's is allowed, and said (red_contact = 60d beside
     * yellow's 14 days passed in silence: forty-eighth tryout) */
    for (int l = LEVEL_YELLOW; l < LEVEL_COUNT; l++)
        if (p->contact_within[l] > p->contact_within[l - 1]) {
            char key[32];
            snprintf(key, sizeof key, "%s_contact", risk_level_name((risk_level)l));
            char k[48];
            snprintf(k, sizeof k, "queue.%s", key);
            diag_add(d, ini->name, ini_line(ini, "queue", key), k, true,
                     "%s clients are given longer to be reached than %s ones (%s_contact): is that meant?",
                     risk_level_name((risk_level)l), risk_level_name((risk_level)(l - 1)),
                     risk_level_name((risk_level)(l - 1)));
        }
    p->escalate_by = int_key(&L, "escalate_by", 1, 3, p->escalate_by);
    p->decline_limit = int_key(&L, "decline_limit", 1, 100, p->decline_limit);
    p->unreachable_after = int_key(&L, "unreachable_after", 1, 100, p->unreachable_after);
    return d->errors == before;
}

/* ---- items ---- */

static void copy_id(char *dst, const char *src) { snprintf(dst, ID_TEXT_LEN, "%s", src ? src : ""); }

bool queue_in_evaluation(const queue_policy *p, const queue_item *it) {
    return it->state != QS_CLOSED && it->level == LEVEL_RED && it->state >= p->step[LEVEL_RED] &&
           it->state < QS_CONFIRMED;
}

bool queue_in_contact(const queue_policy *p, const queue_item *it) {
    return it->state != QS_CLOSED && valid_level(it->level) && it->state >= p->step[it->level] &&
           it->state < QS_CONTACTED && !queue_in_evaluation(p, it);
}

queue_state queue_next_step(const queue_policy *p, const queue_item *it) {
    if (it->state == QS_CLOSED || !valid_level(it->level)) return QS_CLOSED;
    if (it->state < p->step[it->level]) return p->step[it->level];
    if (queue_in_evaluation(p, it)) return QS_CONFIRMED;
    return queue_in_contact(p, it) ? QS_CONTACTED : QS_CLOSED;
}

/* The deadline follows the state: 0 once no step is owed (and no longer overdue); counting again from
 * level_since when the state fell back below the step. A red item whose first step is done owes the
 * clinician's evaluation by level_since + red_evaluate: reaching it clears the first step's overdue mark,
 * while an evaluation already overdue stays marked until a clinician confirms or closes the item. An item whose
 * step is done now owes the contact from now (the step's overdue mark clears); one that owed it already keeps its
 * deadline and mark (assigned, declined, an attempt that did not reach the client), unless its level changed. */
static void settle(const queue_policy *p, const queue_item *before, queue_item *it, int64_t now) {
    if (queue_next_step(p, it) == QS_CLOSED) {
        it->deadline = 0;
        it->overdue = false;
    } else if (queue_in_evaluation(p, it)) {
        if (!queue_in_evaluation(p, before)) it->overdue = false; /* the first step is done */
        it->deadline = it->level_since + p->red_evaluate;
    } else if (queue_in_contact(p, it)) {
        if (!queue_in_contact(p, before) || before->level != it->level || it->deadline == 0) {
            it->overdue = false; /* the step is done: the contact's time starts */
            it->deadline = now + p->contact_within[it->level];
        }
    } else if (it->deadline == 0 || queue_in_evaluation(p, before) || queue_in_contact(p, before)) {
        it->deadline = queue_deadline(p, it->level, it->level_since);
    }
}

void queue_item_new(const queue_policy *p, queue_item *it, const char *id, const char *client_id,
                    const char *intake_id, risk_level level, int64_t now) {
    memset(it, 0, sizeof *it);
    copy_id(it->id, id);
    copy_id(it->client_id, client_id);
    copy_id(it->intake_id, intake_id);
    it->level = valid_level(level) ? level : LEVEL_RED;
    it->state = QS_OPEN;
    it->created_at = it->level_since = it->updated_at = now;
    it->deadline = queue_deadline(p, it->level, now);
    it->pending_level = -1;
    it->outcome = QO_NONE;
}

bool queue_new_intake(const queue_policy *p, queue_item *it, const char *intake_id, risk_level level, int64_t now) {
    if (it->state == QS_CLOSED || !valid_level(level)) return false;
    if (level > it->level) {
        int64_t running = it->deadline > now ? it->deadline : 0; /* never more time than it had (as a raise) */
        copy_id(it->intake_id, intake_id);
        it->level = level;
        it->level_since = now;
        it->state = QS_OPEN;
        it->deadline = queue_deadline(p, level, now);
        if (running && running < it->deadline) it->deadline = running;
        it->overdue = false;
        it->pending_level = -1;
    } else if (level < it->level) {
        it->pending_level = (int)level;
    } else {
        copy_id(it->intake_id, intake_id);
        it->pending_level = -1;
    }
    it->updated_at = now;
    return true;
}

/* A refusal says its kind: DENIED when the role may not take the step, INPUT when the request itself lacks
 * something (a reason, an outcome, a counselor), CONFLICT when the item is not in a state that allows it -
 * often because another desk moved it a moment before (two desks acknowledging the same item). */
#define REFUSE(kind, rule, ...)                                                                                  \
    do {                                                                                                         \
        why->why = rule;                                                                                         \
        error_set(err, kind, __VA_ARGS__);                                                                       \
        return false;                                                                                            \
    } while (0)

/* Sets a new level entered now (its deadline from now). */
static void enter_level(const queue_policy *p, queue_item *n, risk_level level, int64_t now) {
    n->level = level;
    n->level_since = now;
    n->deadline = queue_deadline(p, level, now);
}

/* True when the space-separated row of counselors names c. */
static bool declined_in(const char *row, const char *c) {
    strlist l = strlist_split(row);
    bool in = strlist_find(&l, c) >= 0;
    strlist_free(&l);
    return in;
}

static bool apply(const queue_policy *p, queue_item *n, const queue_request *rq, int64_t now, queue_refused *why,
                  error *err) {
    const queue_item before = *n;
    int64_t cap = 0; /* a raise: the deadline already running, when it is sooner than the new level's */
    const char *sname = queue_state_name(n->state);
    *why = (queue_refused){QR_NONE, rq->action, rq->role, n->state, rq->level, n->level, rq->outcome,
                           n->contact_attempts, p->unreachable_after, ""};
    if (n->state == QS_CLOSED) REFUSE(ERR_CONFLICT, QR_CLOSED, "the item is closed; it accepts nothing more");
    if ((unsigned)rq->action >= QA_COUNT) REFUSE(ERR_INPUT, QR_BAD_REQUEST, "unknown action");
    if (!staff_role_valid(rq->role)) REFUSE(ERR_INPUT, QR_BAD_REQUEST, "unknown staff role");
    switch (rq->action) {
    case QA_ACK:
        if (n->state != QS_OPEN) REFUSE(ERR_CONFLICT, QR_ACK_ALREADY, "cannot acknowledge: the item is already %s", sname);
        n->state = QS_ACKNOWLEDGED;
        break;

    case QA_CONFIRM:
        if (!role_may(rq->role, ACT_LEVEL_CONFIRM)) REFUSE(ERR_DENIED, QR_ROLE, "a %s may not confirm a level", staff_role_person(rq->role));
        if (!valid_level(rq->level)) REFUSE(ERR_INPUT, QR_BAD_REQUEST, "cannot confirm: unknown level");
        /* a confirmed/assigned/contacted item is only re-reviewed for a pending lower level */
        if (n->state >= QS_CONFIRMED && n->pending_level < 0)
            REFUSE(ERR_CONFLICT, QR_CONFIRM_ALREADY, "cannot confirm: the item is already %s and no lower level awaits review", sname);
        if (rq->level < n->level && !role_may(rq->role, ACT_LEVEL_LOWER))
            REFUSE(ERR_DENIED, QR_ROLE, "a %s may not lower a level", staff_role_person(rq->role));
        if (rq->level < n->level && !queue_reason_written(rq->reason))
            REFUSE(ERR_INPUT, QR_LOWER_REASON, "lowering a level needs a written reason: what was found, in a few words");
        /* red: the confirm is the clinician's evaluation, and says what it found (sealed in the history) */
        if (rq->level == LEVEL_RED && !text_has_words(rq->reason))
            REFUSE(ERR_INPUT, QR_RED_REASON, "confirming red needs the evaluation's outcome as the reason");
        if (rq->level != n->level) enter_level(p, n, rq->level, now);
        if (n->state < QS_CONFIRMED) n->state = QS_CONFIRMED;
        n->pending_level = -1;
        n->overdue = false; /* a clinician has reviewed it */
        break;

    case QA_RAISE:
        if (!valid_level(rq->level)) REFUSE(ERR_INPUT, QR_BAD_REQUEST, "cannot raise: unknown level");
        if (rq->level <= n->level)
            REFUSE(ERR_CONFLICT, QR_RAISE_NOT_HIGHER, "cannot raise: %s is not higher than %s", risk_level_name(rq->level), risk_level_name(n->level));
        cap = n->deadline > now ? n->deadline : 0;
        enter_level(p, n, rq->level, now);
        n->state = QS_OPEN; /* a person must acknowledge/confirm it at the new level */
        break;

    case QA_ASSIGN:
        if (n->state == QS_OPEN || n->state == QS_ACKNOWLEDGED) {
            if (n->level != LEVEL_GREEN) REFUSE(ERR_CONFLICT, QR_CONFIRM_FIRST, "cannot assign: the item is %s; confirm it first", sname);
        } else if (n->state != QS_CONFIRMED) {
            REFUSE(ERR_CONFLICT, QR_ASSIGN_ALREADY, "cannot assign: the item is already %s", sname);
        }
        if (!text_has_words(rq->counselor)) REFUSE(ERR_INPUT, QR_NO_COUNSELOR, "cannot assign: no counselor given");
        if (rq->counselor_not_high_risk && n->level >= LEVEL_ORANGE) {
            snprintf(why->counselor, sizeof why->counselor, "%s", rq->counselor);
            REFUSE(ERR_INPUT, QR_NOT_HIGH_RISK, "cannot assign: %s does not take orange or red clients (the roster's "
                   "high_risk = no); choose a counselor who does", rq->counselor);
        }
        if (strlen(rq->counselor) >= sizeof n->counselor)
            REFUSE(ERR_INPUT, QR_BAD_REQUEST, "cannot assign: the counselor code is longer than %zu characters", sizeof n->counselor - 1);
        snprintf(n->counselor, sizeof n->counselor, "%s", rq->counselor);
        n->state = QS_ASSIGNED;
        /* the row of declines goes on, and "match by hand" stays: an assignment is no end of the row (assign A,
         * decline A, assign B, decline B, assign C, decline C is three declined, and never reached the limit when an
         * assignment began a new count: issue 14); a person's assignment after the limit is that matching */
        break;

    case QA_CONTACT:
        if (n->state != QS_ASSIGNED && n->state != QS_CONTACTED)
            REFUSE(ERR_CONFLICT, QR_ASSIGN_FIRST, "cannot record a contact: the item is %s; assign a counselor first", sname);
        if (rq->contact != QC_REACHED && rq->contact != QC_NOT_REACHED)
            REFUSE(ERR_INPUT, QR_CONTACT_UNSAID, "a contact attempt must say whether the client was reached (reached or not-reached)");
        /* only a client reached is contacted: an attempt that did not get through is counted (toward "unreachable")
         * and leaves the step, and green's clock, where they were */
        if (rq->contact == QC_REACHED) n->state = QS_CONTACTED;
        n->contact_attempts++;
        break;

    case QA_DECLINE:
        if (!text_has_words(rq->reason)) REFUSE(ERR_INPUT, QR_DECLINE_REASON, "a decline needs the client's reason");
        if (!text_has_words(rq->counselor))
            REFUSE(ERR_INPUT, QR_DECLINE_NOBODY, "a decline names the counselor the client declined (none is assigned or suggested: a person matches)");
        if (n->state == QS_ASSIGNED || n->state == QS_CONTACTED) { /* the one the client was given is the one declined */
            snprintf(why->counselor, sizeof why->counselor, "%s", n->counselor);
            if (strcmp(rq->counselor, n->counselor) != 0)
                REFUSE(ERR_CONFLICT, QR_DECLINE_NOT_ASSIGNED, "the client can decline only the counselor assigned, %s", n->counselor);
        }
        if (strlen(rq->counselor) >= sizeof n->counselor)
            REFUSE(ERR_INPUT, QR_BAD_REQUEST, "cannot decline: the counselor code is longer than %zu characters", sizeof n->counselor - 1);
        /* declined again, in a row: the same suggestion, not another one (three of them send the client to a person) */
        snprintf(why->counselor, sizeof why->counselor, "%s", rq->counselor);
        bool again = n->declines_in_row > 0 && declined_in(rq->declined_row, rq->counselor);
        /* a counselor the row declined, assigned again by a person and declined again, is recorded (the client is not
         * left with a counselor declined) and not counted twice: one counselor declined, one decline */
        bool assigned = n->state == QS_ASSIGNED || n->state == QS_CONTACTED;
        if (again && !assigned)
            REFUSE(ERR_CONFLICT, QR_DECLINED_ALREADY, "the client declined %s already: suggest another counselor", rq->counselor);
        if (!again) n->declines_in_row++;
        if (n->declines_in_row >= p->decline_limit) n->match_by_hand = true;
        if (n->state == QS_ASSIGNED || n->state == QS_CONTACTED) {
            /* back to where it was assigned from: a GREEN item may be assigned before a clinician confirmed it, and
             * then owes that step again as what it is now (raised since, it owes its confirmation) */
            queue_state from = QS_CONFIRMED;
            if (!rq->assigned_from || !queue_state_parse(rq->assigned_from, &from) || from > QS_CONFIRMED)
                from = QS_CONFIRMED;
            n->state = from;
            n->counselor[0] = '\0';
        }
        break;

    case QA_CLOSE:
        if (!role_may(rq->role, ACT_QUEUE_CLOSE)) REFUSE(ERR_DENIED, QR_ROLE, "a %s may not close an item", staff_role_person(rq->role));
        switch (rq->outcome) {
        case QO_DUPLICATE: break;
        case QO_UNREACHABLE:
            if (n->contact_attempts < p->unreachable_after)
                REFUSE(ERR_CONFLICT, QR_TOO_FEW_CONTACTS, "cannot close as unreachable: %d of %d contact attempts made", n->contact_attempts,
                       p->unreachable_after);
            break;
        case QO_FIRST_SESSION:
            if (n->state != QS_ASSIGNED && n->state != QS_CONTACTED)
                REFUSE(ERR_CONFLICT, QR_ASSIGN_FIRST, "cannot close as first session: the item is %s; assign a counselor first", sname);
            break;
        case QO_REFERRED:
            /* red: sent to emergency services, which is the evaluation; no earlier step is needed */
            if (n->level == LEVEL_RED) break;
            if (n->state < QS_CONFIRMED)
                REFUSE(ERR_CONFLICT, QR_CLOSE_CONFIRM_FIRST, "cannot close as %s: the item is %s; a clinician must confirm it first",
                       queue_outcome_name(rq->outcome), sname);
            break;
        case QO_DECLINED:
            if (n->state < QS_CONFIRMED)
                REFUSE(ERR_CONFLICT, QR_CLOSE_CONFIRM_FIRST, "cannot close as %s: the item is %s; a clinician must confirm it first",
                       queue_outcome_name(rq->outcome), sname);
            break;
        default: REFUSE(ERR_INPUT, QR_BAD_REQUEST, "closing needs an outcome");
        }
        /* an orange or red client leaves the queue only with a written note of what became of them (a RED item closed
         * as "duplicate" took two keys and said nothing: sixteenth session's read of the rules) */
        if (n->level >= LEVEL_ORANGE && !text_has_words(rq->reason))
            REFUSE(ERR_INPUT, QR_CLOSE_NOTE, "closing an orange or red item needs a written note: what became of the client");
        n->state = QS_CLOSED;
        n->outcome = rq->outcome;
        break;

    default: REFUSE(ERR_INPUT, QR_BAD_REQUEST, "unknown action");
    }
    settle(p, &before, n, now);
    /* raising a level never gives more time than the deadline already running (a yellow item 1 hour from its
     * deadline, raised to orange, had 24 hours again: forty-eighth tryout) */
    if (cap && n->deadline > cap) n->deadline = cap;
    n->updated_at = now;
    return true;
}

bool queue_apply(const queue_policy *p, queue_item *it, const queue_request *rq, int64_t now, error *err) {
    return queue_apply_why(p, it, rq, now, NULL, err);
}

bool queue_apply_why(const queue_policy *p, queue_item *it, const queue_request *rq, int64_t now, queue_refused *why,
                     error *err) {
    queue_item n;
    queue_refused ignored;
    memcpy(&n, it, sizeof n);
    if (!apply(p, &n, rq, now, why ? why : &ignored, err)) return false;
    memcpy(it, &n, sizeof n);
    return true;
}

bool queue_tick(const queue_policy *p, queue_item *it, int64_t now) {
    if (it->state == QS_CLOSED || it->deadline == 0 || now < it->deadline) return false;
    if (queue_in_evaluation(p, it) || queue_in_contact(p, it)) {
        /* red's evaluation (red is already the highest level), or the contact (a clinician judged the level): marked
         * once (the banner and the supervisors' Overdue tab) and kept at its deadline, so the time shown says how
         * late it is */
        if (it->overdue) return false;
        it->overdue = true;
        it->escalations++;
        it->updated_at = now;
        return true;
    }
    if (it->state >= p->step[it->level]) return false;
    int raised = (int)it->level + (p->escalate_by > 0 ? p->escalate_by : 1);
    risk_level to = raised > LEVEL_RED ? LEVEL_RED : (risk_level)raised;
    it->overdue = true;
    it->escalations++;
    /* back to open: a person must take the new level's step (see the note at the top) */
    it->state = QS_OPEN;
    /* red stays red: a new time for its step, while its evaluation still counts from when it became red (it moved
     * later with each tick, and an acknowledgement 2 hours late owed the evaluation at 6 hours: forty-eighth tryout) */
    if (to == it->level) it->deadline = queue_deadline(p, to, now);
    else enter_level(p, it, to, now);
    it->updated_at = now;
    return true;
}

/* ---- listing ---- */

static int cmp64(int64_t a, int64_t b) { return (a > b) - (a < b); }

int queue_compare(const queue_item *a, const queue_item *b) {
    int c;
    if ((c = (a->state == QS_CLOSED) - (b->state == QS_CLOSED))) return c; /* closed last */
    if ((c = (int)b->overdue - (int)a->overdue)) return c;
    if ((c = (int)b->level - (int)a->level)) return c;
    if ((c = (a->deadline == 0) - (b->deadline == 0))) return c; /* no deadline sorts last */
    if ((c = cmp64(a->deadline, b->deadline))) return c;
    if ((c = cmp64(a->created_at, b->created_at))) return c;
    return strcmp(a->id, b->id);
}

void queue_format_remaining(const queue_item *it, int64_t now, char *buf, size_t size) {
    if (!size) return;
    if (it->state == QS_CLOSED || it->deadline == 0) {
        snprintf(buf, size, "no deadline");
        return;
    }
    int64_t left = it->deadline - now;
    if (left > 0) {
        if (left >= DAY)
            snprintf(buf, size, "%lldd %02lldh left", (long long)(left / DAY), (long long)(left % DAY / 3600));
        else if (left >= 3600)
            snprintf(buf, size, "%lldh %02lldm left", (long long)(left / 3600), (long long)(left % 3600 / 60));
        else snprintf(buf, size, "%lldm left", (long long)(left / 60));
        return;
    }
    int64_t over = -left; /* exactly at the deadline is overdue */
    if (over >= DAY)
        snprintf(buf, size, "OVERDUE %lldd %02lldh", (long long)(over / DAY), (long long)(over % DAY / 3600));
    else if (over >= 3600) snprintf(buf, size, "OVERDUE %lldh", (long long)(over / 3600));
    else snprintf(buf, size, "OVERDUE %lldm", (long long)(over / 60));
}

bool queue_item_by_hand_now(const queue_item *it) {
    return it->match_by_hand && it->state != QS_ASSIGNED && it->state != QS_CONTACTED && it->state != QS_CLOSED;
}
