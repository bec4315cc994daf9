/* Escalation queues: pure logic over a clock value (no storage, no terminal). Every completed intake puts
 * its client in the queue of its level with a confirmation deadline; an item moves
 *   open -> acknowledged -> confirmed -> assigned -> contacted -> closed (with an outcome)
 * and every move says who may make it. An item past its deadline without the step that level requires is
 * marked overdue and raised (it never expires); nothing leaves a queue but by a person closing it.
 * All times are UTC seconds; business days are counted in local time (TZ). */
#ifndef TRIAGE_QUEUE_POLICY_H
#define TRIAGE_QUEUE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "error.h"
#include "ini.h"
#include "ids.h"
#include "levels.h"
#include "roles.h"

typedef enum { QS_OPEN, QS_ACKNOWLEDGED, QS_CONFIRMED, QS_ASSIGNED, QS_CONTACTED, QS_CLOSED, QS_COUNT } queue_state;
typedef enum { QO_NONE, QO_FIRST_SESSION, QO_DECLINED, QO_REFERRED, QO_UNREACHABLE, QO_DUPLICATE, QO_COUNT } queue_outcome;
typedef enum {
    QA_ACK,     /* a person has seen it (any role) */
    QA_CONFIRM, /* a clinician reviewed the level: same, raised, or lowered with a written reason */
    QA_RAISE,   /* anyone raises the level at any time */
    QA_ASSIGN,  /* a counselor accepted */
    QA_CONTACT, /* a contact attempt was made: it says whether the client was reached (queue_contact) */
    QA_DECLINE, /* the client declined the suggested counselor (with a reason) */
    QA_CLOSE,   /* closed with an outcome */
    QA_COUNT
} queue_action;

typedef struct {
    int64_t within[LEVEL_COUNT];      /* seconds from entering a level to its required step */
    queue_state step[LEVEL_COUNT];    /* the step each level requires by its deadline */
    bool business_days[LEVEL_COUNT];  /* count `within` as whole business days in local time */
    int64_t red_evaluate;             /* red's second step: evaluated (confirmed) or closed as referred, within
                                         this many seconds of level_since (default 4 hours) */
    int64_t contact_within[LEVEL_COUNT]; /* after a level's step (and red's evaluation): a counselor reaches the
                                         client within this many seconds of that step (red 24h, orange 72h, yellow
                                         14d, green 28d): a confirmed item never waits without a deadline */
    int escalate_by;                  /* levels raised when overdue (default 1) */
    int decline_limit;                /* declines in a row before "match by hand" (default 3) */
    int unreachable_after;            /* contact attempts before "unreachable" may close (default 3) */
    int32_t holidays[64];             /* local dates, as days since 1970-01-01 */
    int n_holidays;
} queue_policy;

/* What a contact attempt found. Unsaid is refused: a call that did not get through stopped green's clock and counted
 * as the client contacted, because "t" logged an attempt and nothing asked (fortieth receptionist). */
typedef enum {
    QC_UNSAID = 0,   /* not said: refused, never read as either */
    QC_REACHED,      /* the client was reached: the step "contacted" is done */
    QC_NOT_REACHED   /* no answer, a message left, a wrong number: an attempt, counted toward "unreachable" */
} queue_contact;

typedef struct {
    char id[ID_TEXT_LEN];
    char client_id[ID_TEXT_LEN];
    char intake_id[ID_TEXT_LEN];  /* the intake that set the current level */
    risk_level level;
    queue_state state;
    int64_t created_at;
    int64_t level_since;           /* when the current level was set: the deadline counts from here */
    int64_t deadline;              /* when the step owed next is due (the level's step, red's evaluation, then the
                                      contact); 0 once the client is reached */
    bool overdue;
    int escalations;               /* times raised for being overdue */
    int declines_in_row;
    bool match_by_hand;            /* three declines in a row: a person must match */
    int contact_attempts;
    int pending_level;             /* a lower level from a newer intake awaiting a clinician, or -1 */
    char counselor[65];            /* counselor code once assigned, else "" */
    queue_outcome outcome;
    int64_t updated_at;
    bool tampered;                 /* its row MAC failed (core/records/rowmac.h): shown as TAMPERED, read as red and
                                      overdue whatever its clear columns say (set by core/records/queue_items.c) */
} queue_item;

typedef struct {
    queue_action action;
    staff_role role;
    risk_level level;      /* QA_CONFIRM and QA_RAISE: the level after */
    const char *reason;    /* required to lower a level, for QA_DECLINE, and to close an orange or red item */
    /* QA_ASSIGN: the counselor assigned. QA_DECLINE: the counselor the client declined (the one assigned, or the
     * one suggested), required: a decline that named nobody counted toward "match by hand" all the same (tryout 19) */
    const char *counselor;
    /* QA_DECLINE: the counselors the item's declines in a row named so far, space-separated (core/records reads
     * them from the signed trail), or NULL: one of them declined again is refused (it is one suggestion declined,
     * not two: three declined suggestions send the client to a person) */
    const char *declined_row;
    /* QA_DECLINE of an assigned item: the state it was assigned from ("open", "acknowledged", "confirmed"; core/records
     * reads it from the item's history), or NULL when not known: the decline puts it back there (a GREEN item assigned
     * before any clinician looked at it read "confirmed" after a decline: receptionist 24); not known, "confirmed" */
    const char *assigned_from;
    /* QA_ASSIGN: the roster says the counselor may not take red and orange clients (high_risk = no; core/records looks
     * it up): such an assignment to an orange or red item is refused (forty-eighth tryout: only the suggestions left
     * them out) */
    bool counselor_not_high_risk;
    queue_outcome outcome; /* QA_CLOSE */
    queue_contact contact; /* QA_CONTACT: reached or not (unsaid is refused) */
} queue_request;

const char *queue_state_name(queue_state s);
bool queue_state_parse(const char *s, queue_state *out);
const char *queue_outcome_name(queue_outcome o);
bool queue_outcome_parse(const char *s, queue_outcome *out);
const char *queue_action_name(queue_action a);
/* The history event a request is kept as: its action's name, and "contact_missed" for an attempt that did not reach
 * the client ("contact" is a client reached: the first one is the KPI's time to contact). */
const char *queue_event_name(const queue_request *rq);
bool queue_contact_parse(const char *s, queue_contact *out); /* "reached", "not-reached" (or "not_reached") */
/* Whether a reason to lower a level is written: words of at least QUEUE_REASON_MIN bytes that are not blanks (three
 * Chinese characters, "improved"); "x" lowered a suicidal client to GREEN (forty-third receptionist) */
#define QUEUE_REASON_MIN 8
bool queue_reason_written(const char *reason);

/* The defaults of config.ini [queue]: red acknowledged within 15 minutes, orange confirmed within 24 hours,
 * yellow confirmed within 72 hours, green contacted within 28 days (its first-appointment target); then the
 * client reached within red 24 hours, orange 72 hours, yellow 14 days of that step. */
void queue_policy_defaults(queue_policy *p);
/* Reads [queue] from config (errors name the line). Missing keys keep the defaults. */
bool queue_policy_load(queue_policy *p, const ini_file *ini, diag *d);

/* The deadline for a level entered at `from`: from + within, or (business days) the same local clock time
 * after that many weekdays that are not holidays. */
int64_t queue_deadline(const queue_policy *p, risk_level level, int64_t from);

/* A new item for a completed intake. */
void queue_item_new(const queue_policy *p, queue_item *it, const char *id, const char *client_id,
                    const char *intake_id, risk_level level, int64_t now);
/* A newer intake for a client already queued: a higher level takes over at once with its shorter deadline (the
 * deadline already running, when that is sooner: a raise never gives more time); a lower one is kept as
 * pending_level until a clinician confirms it. Returns true when the item changed. */
bool queue_new_intake(const queue_policy *p, queue_item *it, const char *intake_id, risk_level level, int64_t now);

/* Applies a person's request. False, with why (the rule or the role that forbids it), when not allowed;
 * the item is then unchanged. The kind says which: ERR_DENIED (the role may not), ERR_INPUT (the request
 * lacks a reason, an outcome, a counselor, a known level), ERR_CONFLICT (the item is not in a state that
 * allows it: closed, already acknowledged, not yet confirmed - often another desk's move a moment before). */
bool queue_apply(const queue_policy *p, queue_item *it, const queue_request *rq, int64_t now, error *err);

/* Which rule refused a request, with what it names, so that a screen says it in its own language (the error's text
 * is English, for the command line: Chinese screens showed "cannot assign: ..."; tryouts 16 and 17). */
typedef enum {
    QR_NONE = 0,           /* not refused (or refused by something else than the rules below) */
    QR_CLOSED,             /* the item is closed */
    QR_BAD_REQUEST,        /* an unknown action, role, level or outcome, or a counselor code too long */
    QR_ROLE,               /* the role may not take the step (action, role) */
    QR_ACK_ALREADY,        /* acknowledged before (state) */
    QR_CONFIRM_ALREADY,    /* confirmed before, no lower level awaits review (state) */
    QR_LOWER_REASON,       /* lowering needs a written reason */
    QR_RED_REASON,         /* confirming red needs the evaluation's outcome */
    QR_RAISE_NOT_HIGHER,   /* the level asked is not higher (level, than) */
    QR_CONFIRM_FIRST,      /* assigning before a clinician confirmed a non-green level (state) */
    QR_ASSIGN_ALREADY,     /* assigned before (state) */
    QR_NO_COUNSELOR,       /* assigning names no counselor */
    QR_NOT_HIGH_RISK,      /* assigning an orange or red client to a counselor who does not take them (counselor, level) */
    QR_ASSIGN_FIRST,       /* a contact or a first session before a counselor is assigned (action, state) */
    QR_CONTACT_UNSAID,     /* a contact attempt that does not say whether the client was reached */
    QR_DECLINE_REASON,     /* a decline needs the client's reason */
    QR_DECLINE_NOBODY,     /* a decline names no counselor */
    QR_DECLINE_NOT_ASSIGNED, /* a decline names another counselor than the one assigned (counselor) */
    QR_DECLINED_ALREADY,   /* a decline of this row named the same counselor (counselor) */
    QR_TOO_FEW_CONTACTS,   /* closing as unreachable before enough attempts (n of of) */
    QR_CLOSE_CONFIRM_FIRST, /* closing as declined or referred before a clinician confirmed it (outcome, state) */
    QR_CLOSE_NOTE          /* closing an orange or red item needs a written note (level) */
} queue_refusal;

typedef struct {
    queue_refusal why;
    queue_action action;
    staff_role role;
    queue_state state;       /* the item's, when refused */
    risk_level level, than;  /* asked, and the item's */
    queue_outcome outcome;
    int n, of;               /* contact attempts made, and needed */
    char counselor[65];      /* the counselor a decline's refusal names (the one assigned, or the one declined) */
} queue_refused;

/* As queue_apply, and *why (may be NULL) says which rule refused (why->why QR_NONE when none did). */
bool queue_apply_why(const queue_policy *p, queue_item *it, const queue_request *rq, int64_t now, queue_refused *why,
                     error *err);

/* Overdue handling: an open item past its deadline without its required step is marked overdue, raised by
 * escalate_by (red stays red) and given the new level's deadline from now. A red item past its evaluation
 * deadline (queue_in_evaluation) is marked overdue once and keeps its state and deadline: it is already red,
 * and it stays marked until a clinician confirms it or closes it. An item past its contact deadline
 * (queue_in_contact) is marked once the same way, until the client is reached or it is closed. Returns true
 * when it changed.
 * Exactly at the deadline counts as overdue (71:59:59 is not, 72:00:00 is). */
bool queue_tick(const queue_policy *p, queue_item *it, int64_t now);

/* Whether a person must match the client by hand now: the declines sent it to a person and nobody is assigned
 * (one a person assigned is matched; declined too, it comes back). The store's by-hand count and tab say the
 * same (store.h queue_filter.by_hand_only). */
bool queue_item_by_hand_now(const queue_item *it);

/* Red takes two steps: its own step (acknowledged within 15 minutes) and then a clinician's evaluation (a
 * confirm whose reason says the outcome) or a close as referred to emergency services, by level_since +
 * red_evaluate. True while a red item has done the first and owes the second. */
bool queue_in_evaluation(const queue_policy *p, const queue_item *it);
/* After its level's step (and red's evaluation) an item owes the contact: a counselor assigned who reaches the
 * client, by the time the step was taken + contact_within of its level. True while it owes that (assigned or not,
 * and after a decline: a confirmed ORANGE item with no counselor had no deadline at all: forty-fifth and forty-sixth receptionists).
 * Missed, the item is marked overdue once and keeps its level and state: a clinician has judged the level, and the
 * supervisors see it first (banner, Overdue tab) until the client is reached or the item is closed. */
bool queue_in_contact(const queue_policy *p, const queue_item *it);
/* The step the item owes next (the one its deadline is for), or QS_CLOSED when it owes none. */
queue_state queue_next_step(const queue_policy *p, const queue_item *it);

/* Sort order of open items: overdue first, then by level (red first), then earliest deadline, then oldest. */
int queue_compare(const queue_item *a, const queue_item *b);

/* "2d 03h left", "45m left", "OVERDUE 5h", "OVERDUE 1d 02h", or "no deadline". */
void queue_format_remaining(const queue_item *it, int64_t now, char *buf, size_t size);

#endif
