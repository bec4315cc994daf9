/* Escalation queues: every (state, action, role) combination, deadlines at their exact boundaries, business
 * days across weekends, holidays, month and year ends and daylight-saving changes, the three-declines rule,
 * newer intakes, the [queue] settings, the sort order and the remaining-time text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "queue_policy.h"

#define MIN 60
#define HOUR 3600
#define DAY 86400
/* 2026-11-24T09:00:00Z */
#define T0 ((int64_t)1795510800)

static queue_policy P;
static char tmpdir[256];
static char cfg_path[512];
static char *saved_tz;

/* ---- fixtures ---- */

static int group_setup(void **state) {
    (void)state;
    const char *tz = getenv("TZ");
    saved_tz = tz ? strdup(tz) : NULL;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/triage-test-queue.XXXXXX");
    if (!mkdtemp(tmpdir)) return -1;
    snprintf(cfg_path, sizeof cfg_path, "%s/config.ini", tmpdir);
    return 0;
}

static int group_teardown(void **state) {
    (void)state;
    remove(cfg_path);
    rmdir(tmpdir);
    if (saved_tz) setenv("TZ", saved_tz, 1);
    else unsetenv("TZ");
    tzset();
    free(saved_tz);
    return 0;
}

static int reset(void **state) {
    (void)state;
    queue_policy_defaults(&P);
    setenv("TZ", "UTC", 1);
    tzset();
    return 0;
}

static void set_tz(const char *tz) {
    setenv("TZ", tz, 1);
    tzset();
}

static const queue_request ack_rq = {.action = QA_ACK, .role = ROLE_RECEPTION};

static queue_request rq_of(queue_action a, staff_role r) {
    queue_request rq = {.action = a, .role = r};
    return rq;
}

/* A contact attempt by reception, saying whether it reached the client. */
static queue_request contact_rq(queue_contact c) {
    queue_request rq = rq_of(QA_CONTACT, ROLE_RECEPTION);
    rq.contact = c;
    return rq;
}

static void must_apply(queue_item *it, queue_request rq, int64_t now) {
    error why = {0};
    bool ok = queue_apply(&P, it, &rq, now, &why);
    if (!ok) print_error("refused: %s\n", why.msg);
    assert_true(ok);
    assert_int_equal(why.kind, ERR_NONE);
    assert_string_equal(why.msg, "");
}

/* Refused with exactly this reason (or any non-empty one when expect is NULL), the item unchanged. */
static void must_refuse(queue_item *it, queue_request rq, int64_t now, const char *expect) {
    queue_item before;
    memcpy(&before, it, sizeof before);
    error why = {0};
    assert_false(queue_apply(&P, it, &rq, now, &why));
    assert_memory_equal(&before, it, sizeof before);
    assert_true(why.msg[0] != '\0');
    assert_int_not_equal(why.kind, ERR_NONE);
    if (expect) assert_string_equal(why.msg, expect);
}

/* Refused as must_refuse, and of this kind. */
static void must_refuse_as(queue_item *it, queue_request rq, int64_t now, error_kind kind, const char *expect) {
    error why = {0};
    queue_item before;
    memcpy(&before, it, sizeof before);
    assert_false(queue_apply(&P, it, &rq, now, &why));
    assert_memory_equal(&before, it, sizeof before);
    if (why.kind != kind)
        fail_msg("\"%s\": kind %s, expected %s", why.msg, error_kind_name(why.kind), error_kind_name(kind));
    if (expect) assert_string_equal(why.msg, expect);
}

/* An item of `level` brought to state s through the transitions themselves. */
static queue_item item_in(risk_level level, queue_state s) {
    queue_item it;
    queue_item_new(&P, &it, "item-1", "client-1", "intake-1", level, T0);
    int64_t t = T0;
    if (s == QS_CLOSED) {
        queue_request rq = rq_of(QA_CLOSE, ROLE_SUPERVISOR);
        rq.outcome = QO_DUPLICATE;
        rq.reason = "a second record of client 1"; /* the note an orange or red item is closed with */
        must_apply(&it, rq, t += MIN);
        return it;
    }
    if (s >= QS_ACKNOWLEDGED) must_apply(&it, ack_rq, t += MIN);
    if (s >= QS_CONFIRMED) {
        queue_request rq = rq_of(QA_CONFIRM, ROLE_CLINICIAN);
        rq.level = level;
        if (level == LEVEL_RED) rq.reason = "evaluated: safety plan made";
        must_apply(&it, rq, t += MIN);
    }
    if (s >= QS_ASSIGNED) {
        queue_request rq = rq_of(QA_ASSIGN, ROLE_RECEPTION);
        rq.counselor = "c01";
        must_apply(&it, rq, t += MIN);
    }
    if (s >= QS_CONTACTED) must_apply(&it, contact_rq(QC_REACHED), t += MIN);
    assert_int_equal(it.state, s);
    return it;
}

/* A request for action a by role r whose arguments are all valid, for a yellow item. */
static queue_request valid_request(queue_action a, staff_role r) {
    queue_request rq = rq_of(a, r);
    switch (a) {
    case QA_CONFIRM: rq.level = LEVEL_YELLOW; break;
    case QA_RAISE: rq.level = LEVEL_ORANGE; break;
    case QA_ASSIGN: rq.counselor = "c02"; break;
    case QA_DECLINE: /* the counselor item_in assigns, who is also any unassigned item's suggestion here */
        rq.reason = "prefers evening hours";
        rq.counselor = "c01";
        break;
    case QA_CLOSE: rq.outcome = QO_REFERRED; break;
    case QA_CONTACT: rq.contact = QC_REACHED; break;
    default: break;
    }
    return rq;
}

/* ---- names ---- */

static void test_names(void **state) {
    (void)state;
    static const char *const states[] = {"open", "acknowledged", "confirmed", "assigned", "contacted", "closed"};
    static const char *const outcomes[] = {"none", "first_session", "declined", "referred", "unreachable", "duplicate"};
    static const char *const actions[] = {"ack", "confirm", "raise", "assign", "contact", "decline", "close"};
    for (int i = 0; i < QS_COUNT; i++) {
        queue_state s = QS_COUNT;
        assert_string_equal(queue_state_name((queue_state)i), states[i]);
        assert_true(queue_state_parse(states[i], &s));
        assert_int_equal(s, i);
    }
    for (int i = 0; i < QO_COUNT; i++) {
        queue_outcome o = QO_COUNT;
        assert_string_equal(queue_outcome_name((queue_outcome)i), outcomes[i]);
        assert_true(queue_outcome_parse(outcomes[i], &o));
        assert_int_equal(o, i);
    }
    for (int i = 0; i < QA_COUNT; i++) assert_string_equal(queue_action_name((queue_action)i), actions[i]);
    queue_state s = QS_CONTACTED;
    queue_outcome o = QO_REFERRED;
    assert_false(queue_state_parse("Open", &s));
    assert_false(queue_state_parse("", &s));
    assert_false(queue_state_parse(NULL, &s));
    assert_false(queue_outcome_parse("first session", &o));
    assert_false(queue_outcome_parse(NULL, &o));
    assert_int_equal(s, QS_CONTACTED);
    assert_int_equal(o, QO_REFERRED);
    assert_string_equal(queue_state_name(QS_COUNT), "?");
    assert_string_equal(queue_outcome_name(QO_COUNT), "?");
    assert_string_equal(queue_action_name(QA_COUNT), "?");
}

static void test_item_new(void **state) {
    (void)state;
    queue_item it;
    memset(&it, 0x5a, sizeof it);
    queue_item_new(&P, &it, "item-9", "client-9", "intake-9", LEVEL_ORANGE, T0);
    assert_string_equal(it.id, "item-9");
    assert_string_equal(it.client_id, "client-9");
    assert_string_equal(it.intake_id, "intake-9");
    assert_int_equal(it.level, LEVEL_ORANGE);
    assert_int_equal(it.state, QS_OPEN);
    assert_int_equal(it.created_at, T0);
    assert_int_equal(it.level_since, T0);
    assert_int_equal(it.deadline, T0 + 24 * HOUR);
    assert_false(it.overdue);
    assert_int_equal(it.escalations, 0);
    assert_int_equal(it.declines_in_row, 0);
    assert_false(it.match_by_hand);
    assert_int_equal(it.contact_attempts, 0);
    assert_int_equal(it.pending_level, -1);
    assert_string_equal(it.counselor, "");
    assert_int_equal(it.outcome, QO_NONE);
}

static void test_policy_defaults(void **state) {
    (void)state;
    queue_policy p;
    memset(&p, 0x77, sizeof p);
    queue_policy_defaults(&p);
    assert_int_equal(p.within[LEVEL_RED], 15 * MIN);
    assert_int_equal(p.within[LEVEL_ORANGE], 24 * HOUR);
    assert_int_equal(p.within[LEVEL_YELLOW], 72 * HOUR);
    assert_int_equal(p.within[LEVEL_GREEN], 28 * DAY);
    assert_int_equal(p.step[LEVEL_RED], QS_ACKNOWLEDGED);
    assert_int_equal(p.step[LEVEL_ORANGE], QS_CONFIRMED);
    assert_int_equal(p.step[LEVEL_YELLOW], QS_CONFIRMED);
    assert_int_equal(p.step[LEVEL_GREEN], QS_CONTACTED);
    for (int l = 0; l < LEVEL_COUNT; l++) assert_false(p.business_days[l]);
    assert_int_equal(p.escalate_by, 1);
    assert_int_equal(p.decline_limit, 3);
    assert_int_equal(p.unreachable_after, 3);
    assert_int_equal(p.n_holidays, 0);
}

/* ---- the state machine ---- */

enum { R = 1 << ROLE_RECEPTION, C = 1 << ROLE_CLINICIAN, S = 1 << ROLE_SUPERVISOR, ALL = R | C | S };

/* Which roles may take each action in each state (a yellow item, valid arguments, close = referred). */
static const int allowed[QS_COUNT][QA_COUNT] = {
    /*                  ack  confirm raise assign contact decline close */
    [QS_OPEN] =         {ALL, C | S, ALL,  0,     0,      ALL,    0},
    [QS_ACKNOWLEDGED] = {0,   C | S, ALL,  0,     0,      ALL,    0},
    [QS_CONFIRMED] =    {0,   0,     ALL,  ALL,   0,      ALL,    C | S},
    [QS_ASSIGNED] =     {0,   0,     ALL,  0,     ALL,    ALL,    C | S},
    [QS_CONTACTED] =    {0,   0,     ALL,  0,     ALL,    ALL,    C | S},
    [QS_CLOSED] =       {0,   0,     0,    0,     0,      0,      0},
};
/* The state after each allowed action. */
static const queue_state after[QS_COUNT][QA_COUNT] = {
    [QS_OPEN] = {QS_ACKNOWLEDGED, QS_CONFIRMED, QS_OPEN, 0, 0, QS_OPEN, 0},
    [QS_ACKNOWLEDGED] = {0, QS_CONFIRMED, QS_OPEN, 0, 0, QS_ACKNOWLEDGED, 0},
    [QS_CONFIRMED] = {0, 0, QS_OPEN, QS_ASSIGNED, 0, QS_CONFIRMED, QS_CLOSED},
    [QS_ASSIGNED] = {0, 0, QS_OPEN, 0, QS_CONTACTED, QS_CONFIRMED, QS_CLOSED},
    [QS_CONTACTED] = {0, 0, QS_OPEN, 0, QS_CONTACTED, QS_CONFIRMED, QS_CLOSED},
};

/* The least role of each action comes from the one permission table (audit's verify uses it). */
static void test_role_least(void **state) {
    (void)state;
    assert_int_equal(role_least(ACT_INTAKE_CREATE), ROLE_RECEPTION);
    assert_int_equal(role_least(ACT_REPORT), ROLE_CLINICIAN);
    assert_int_equal(role_least(ACT_EXPORT), ROLE_SUPERVISOR);
    assert_int_equal(role_least(ACT_COUNT), ROLE_COUNT);
    for (int a = 0; a < ACT_COUNT; a++) {
        staff_role r = role_least((staff_action)a);
        assert_true(role_may(r, (staff_action)a));
        if (r > ROLE_RECEPTION) assert_false(role_may((staff_role)(r - 1), (staff_action)a));
    }
}

static void test_every_state_action_role(void **state) {
    (void)state;
    int n_allowed = 0, n_tried = 0;
    for (int s = 0; s < QS_COUNT; s++)
        for (int a = 0; a < QA_COUNT; a++)
            for (int r = ROLE_RECEPTION; r <= ROLE_SUPERVISOR; r++) {
                queue_item it = item_in(LEVEL_YELLOW, (queue_state)s);
                queue_request rq = valid_request((queue_action)a, (staff_role)r);
                const int64_t now = T0 + HOUR;
                bool expect = (allowed[s][a] >> r) & 1;
                n_tried++;
                error why = {0};
                queue_item before;
                memcpy(&before, &it, sizeof before);
                bool ok = queue_apply(&P, &it, &rq, now, &why);
                if (ok != expect)
                    print_error("state %s action %s role %s: %s (%s)\n", queue_state_name((queue_state)s),
                                queue_action_name((queue_action)a), staff_role_name((staff_role)r),
                                ok ? "allowed" : "refused", why.msg);
                assert_int_equal(ok, expect);
                if (ok) {
                    n_allowed++;
                    assert_int_equal(it.state, after[s][a]);
                    assert_int_equal(it.updated_at, now);
                    assert_string_equal(why.msg, "");
                } else {
                    assert_memory_equal(&before, &it, sizeof it);
                    assert_true(why.msg[0] != '\0');
                    /* another role may take this step here: the refusal is the role's (denied), never a conflict */
                    if (allowed[s][a]) assert_int_equal(why.kind, ERR_DENIED);
                }
            }
    assert_int_equal(n_tried, 6 * 7 * 3);
    /* open 3+2+3+3, acknowledged 2+3+3, confirmed/assigned/contacted 3+3+3+2 each, closed none */
    assert_int_equal(n_allowed, 11 + 8 + 11 + 11 + 11);
}

static void test_refusal_reasons(void **state) {
    (void)state;
    queue_item open = item_in(LEVEL_YELLOW, QS_OPEN);
    queue_request rq = valid_request(QA_CONFIRM, ROLE_RECEPTION);
    must_refuse(&open, rq, T0 + HOUR, "a receptionist may not confirm a level");
    rq = valid_request(QA_ASSIGN, ROLE_SUPERVISOR);
    must_refuse(&open, rq, T0 + HOUR, "cannot assign: the item is open; confirm it first");
    rq = valid_request(QA_CLOSE, ROLE_RECEPTION);
    must_refuse(&open, rq, T0 + HOUR, "a receptionist may not close an item");
    rq = valid_request(QA_CONFIRM, ROLE_CLINICIAN);
    rq.level = LEVEL_GREEN;
    must_refuse(&open, rq, T0 + HOUR, "lowering a level needs a written reason: what was found, in a few words");
    rq.reason = "   ";
    must_refuse(&open, rq, T0 + HOUR, "lowering a level needs a written reason: what was found, in a few words");
    rq = valid_request(QA_DECLINE, ROLE_RECEPTION);
    rq.reason = "";
    must_refuse(&open, rq, T0 + HOUR, "a decline needs the client's reason");
    rq.reason = NULL;
    must_refuse(&open, rq, T0 + HOUR, NULL);
    rq = valid_request(QA_RAISE, ROLE_RECEPTION);
    rq.level = LEVEL_YELLOW;
    must_refuse(&open, rq, T0 + HOUR, "cannot raise: yellow is not higher than yellow");
    rq.level = LEVEL_GREEN;
    must_refuse(&open, rq, T0 + HOUR, NULL);
    rq.level = (risk_level)7;
    must_refuse(&open, rq, T0 + HOUR, NULL);
    rq = rq_of((queue_action)QA_COUNT, ROLE_SUPERVISOR);
    must_refuse(&open, rq, T0 + HOUR, NULL);
    rq = valid_request(QA_ACK, (staff_role)9);
    must_refuse(&open, rq, T0 + HOUR, NULL);

    queue_item confirmed = item_in(LEVEL_YELLOW, QS_CONFIRMED);
    rq = valid_request(QA_ASSIGN, ROLE_RECEPTION);
    rq.counselor = "";
    must_refuse(&confirmed, rq, T0 + HOUR, "cannot assign: no counselor given");
    rq.counselor = NULL;
    must_refuse(&confirmed, rq, T0 + HOUR, NULL);
    char long_code[80];
    memset(long_code, 'x', sizeof long_code - 1);
    long_code[sizeof long_code - 1] = '\0';
    rq.counselor = long_code;
    must_refuse(&confirmed, rq, T0 + HOUR, NULL);
    rq = valid_request(QA_CONTACT, ROLE_RECEPTION);
    must_refuse(&confirmed, rq, T0 + HOUR, "cannot record a contact: the item is confirmed; assign a counselor first");
    rq = valid_request(QA_CLOSE, ROLE_CLINICIAN);
    rq.outcome = QO_NONE;
    must_refuse(&confirmed, rq, T0 + HOUR, "closing needs an outcome");

    queue_item closed = item_in(LEVEL_YELLOW, QS_CLOSED);
    must_refuse(&closed, valid_request(QA_RAISE, ROLE_SUPERVISOR), T0 + HOUR,
                "the item is closed; it accepts nothing more");

    /* why may be omitted */
    queue_item before;
    memcpy(&before, &open, sizeof open);
    assert_false(queue_apply(&P, &open, &(queue_request){.action = QA_CLOSE, .role = ROLE_RECEPTION}, T0, NULL));
    assert_memory_equal(&before, &open, sizeof open);
}

/* A refusal carries its kind: two desks acknowledging the same item is a conflict (the second desk lost a race:
 * exit 1, audited as a conflict), not a denial (exit 2, audited as denied); a missing reason is bad input. */
static void test_refusal_kinds(void **state) {
    (void)state;
    queue_item it = item_in(LEVEL_YELLOW, QS_OPEN);
    must_apply(&it, ack_rq, T0 + 1);
    must_refuse_as(&it, ack_rq, T0 + 2, ERR_CONFLICT, "cannot acknowledge: the item is already acknowledged");
    must_refuse_as(&it, rq_of(QA_CONFIRM, ROLE_RECEPTION), T0 + 2, ERR_DENIED, "a receptionist may not confirm a level");
    must_refuse_as(&it, rq_of(QA_DECLINE, ROLE_RECEPTION), T0 + 2, ERR_INPUT, "a decline needs the client's reason");
    queue_request close = {.action = QA_CLOSE, .role = ROLE_CLINICIAN, .outcome = QO_UNREACHABLE};
    must_refuse_as(&it, close, T0 + 2, ERR_CONFLICT, NULL);
    queue_item closed = item_in(LEVEL_YELLOW, QS_CLOSED);
    must_refuse_as(&closed, ack_rq, T0 + 2, ERR_CONFLICT, "the item is closed; it accepts nothing more");
}

static void test_green_assign_without_confirmation(void **state) {
    (void)state;
    for (int s = QS_OPEN; s <= QS_ACKNOWLEDGED; s++)
        for (int r = ROLE_RECEPTION; r <= ROLE_SUPERVISOR; r++) {
            queue_item it = item_in(LEVEL_GREEN, (queue_state)s);
            must_apply(&it, valid_request(QA_ASSIGN, (staff_role)r), T0 + DAY);
            assert_int_equal(it.state, QS_ASSIGNED);
            assert_string_equal(it.counselor, "c02");
            /* green requires contacted: still counting toward its first-appointment target */
            assert_int_equal(it.deadline, T0 + 28 * DAY);
        }
    /* any other level must be confirmed first */
    for (int l = LEVEL_YELLOW; l <= LEVEL_RED; l++) {
        queue_item it = item_in((risk_level)l, QS_ACKNOWLEDGED);
        must_refuse(&it, valid_request(QA_ASSIGN, ROLE_SUPERVISOR), T0 + DAY,
                    "cannot assign: the item is acknowledged; confirm it first");
    }
}

/* Close outcomes by state (a clinician; one contact attempt at most, so unreachable is never allowed). */
static void test_close_outcomes(void **state) {
    (void)state;
    static const int ok_states[QO_COUNT] = {
        [QO_NONE] = 0,
        [QO_FIRST_SESSION] = 1 << QS_ASSIGNED | 1 << QS_CONTACTED,
        [QO_DECLINED] = 1 << QS_CONFIRMED | 1 << QS_ASSIGNED | 1 << QS_CONTACTED,
        [QO_REFERRED] = 1 << QS_CONFIRMED | 1 << QS_ASSIGNED | 1 << QS_CONTACTED,
        [QO_UNREACHABLE] = 0,
        [QO_DUPLICATE] = 1 << QS_OPEN | 1 << QS_ACKNOWLEDGED | 1 << QS_CONFIRMED | 1 << QS_ASSIGNED | 1 << QS_CONTACTED,
    };
    for (int o = 0; o < QO_COUNT; o++)
        for (int s = 0; s < QS_COUNT; s++)
            for (int r = ROLE_CLINICIAN; r <= ROLE_SUPERVISOR; r++) {
                queue_item it = item_in(LEVEL_ORANGE, (queue_state)s);
                queue_request rq = rq_of(QA_CLOSE, (staff_role)r);
                rq.outcome = (queue_outcome)o;
                rq.reason = "seen and closed"; /* orange: a note, which test_close_note_orange_red asks for */
                if ((ok_states[o] >> s) & 1) {
                    must_apply(&it, rq, T0 + DAY);
                    assert_int_equal(it.state, QS_CLOSED);
                    assert_int_equal(it.outcome, o);
                    assert_int_equal(it.deadline, 0);
                    assert_false(it.overdue);
                    assert_int_equal(it.updated_at, T0 + DAY);
                } else {
                    must_refuse(&it, rq, T0 + DAY, NULL);
                }
            }
}

static void test_unreachable_after_attempts(void **state) {
    (void)state;
    queue_item it = item_in(LEVEL_YELLOW, QS_ASSIGNED);
    queue_request close = rq_of(QA_CLOSE, ROLE_CLINICIAN);
    close.outcome = QO_UNREACHABLE;
    must_refuse(&it, close, T0 + DAY, "cannot close as unreachable: 0 of 3 contact attempts made");
    must_apply(&it, contact_rq(QC_NOT_REACHED), T0 + DAY);
    must_apply(&it, contact_rq(QC_NOT_REACHED), T0 + 2 * DAY);
    assert_int_equal(it.contact_attempts, 2);
    assert_int_equal(it.state, QS_ASSIGNED); /* nobody was reached: not contacted */
    must_refuse(&it, close, T0 + 2 * DAY, "cannot close as unreachable: 2 of 3 contact attempts made");
    must_apply(&it, contact_rq(QC_NOT_REACHED), T0 + 3 * DAY);
    assert_int_equal(it.contact_attempts, 3);
    must_apply(&it, close, T0 + 3 * DAY);
    assert_int_equal(it.state, QS_CLOSED);
    assert_int_equal(it.outcome, QO_UNREACHABLE);
    /* the limit comes from the policy */
    P.unreachable_after = 1;
    queue_item one = item_in(LEVEL_YELLOW, QS_CONTACTED);
    must_apply(&one, close, T0 + DAY);
}

static void test_confirm_same_raise_lower(void **state) {
    (void)state;
    /* same level: level_since kept; the required step (confirmed) reached: the contact is owed within 14 days */
    queue_item it = item_in(LEVEL_YELLOW, QS_ACKNOWLEDGED);
    queue_request rq = rq_of(QA_CONFIRM, ROLE_CLINICIAN);
    rq.level = LEVEL_YELLOW;
    must_apply(&it, rq, T0 + HOUR);
    assert_int_equal(it.level_since, T0);
    assert_int_equal(it.deadline, T0 + HOUR + 14 * DAY);
    assert_int_equal(queue_next_step(&P, &it), QS_CONTACTED);
    assert_false(it.overdue);

    /* raised by the clinician: level_since now; confirmed already meets orange's step */
    it = item_in(LEVEL_YELLOW, QS_OPEN);
    rq.level = LEVEL_ORANGE;
    must_apply(&it, rq, T0 + 2 * HOUR);
    assert_int_equal(it.level, LEVEL_ORANGE);
    assert_int_equal(it.state, QS_CONFIRMED);
    assert_int_equal(it.level_since, T0 + 2 * HOUR);
    assert_int_equal(it.deadline, T0 + 2 * HOUR + 72 * HOUR); /* orange's contact */

    /* lowered with a reason to green: counts toward green's contact target from now */
    it = item_in(LEVEL_YELLOW, QS_OPEN);
    rq.level = LEVEL_GREEN;
    rq.reason = "scores driven by exam week; seen in person";
    must_apply(&it, rq, T0 + 3 * HOUR);
    assert_int_equal(it.level, LEVEL_GREEN);
    assert_int_equal(it.state, QS_CONFIRMED);
    assert_int_equal(it.level_since, T0 + 3 * HOUR);
    assert_int_equal(it.deadline, T0 + 3 * HOUR + 28 * DAY);

    /* a supervisor may confirm too; red is confirmed with the evaluation's outcome */
    it = item_in(LEVEL_RED, QS_OPEN);
    rq = rq_of(QA_CONFIRM, ROLE_SUPERVISOR);
    rq.level = LEVEL_RED;
    must_refuse(&it, rq, T0 + MIN, "confirming red needs the evaluation's outcome as the reason");
    rq.reason = "evaluated: stays red, seen by the psychiatrist today";
    must_apply(&it, rq, T0 + MIN);
    assert_int_equal(it.deadline, T0 + MIN + 24 * HOUR); /* red's contact */
}

static void test_raise_goes_back_to_open(void **state) {
    (void)state;
    queue_item it = item_in(LEVEL_YELLOW, QS_ASSIGNED);
    assert_int_equal(it.deadline, T0 + 2 * MIN + 14 * DAY); /* the contact, from the confirmation */
    queue_request rq = rq_of(QA_RAISE, ROLE_RECEPTION);
    rq.level = LEVEL_RED;
    must_apply(&it, rq, T0 + DAY);
    assert_int_equal(it.level, LEVEL_RED);
    assert_int_equal(it.state, QS_OPEN);
    assert_int_equal(it.level_since, T0 + DAY);
    assert_int_equal(it.deadline, T0 + DAY + 15 * MIN);
    assert_string_equal(it.counselor, "c01"); /* kept on record */
    /* it must now be acknowledged as red */
    assert_true(queue_tick(&P, &it, T0 + DAY + 15 * MIN));
    assert_true(it.overdue);
    must_apply(&it, ack_rq, T0 + DAY + 16 * MIN);
    /* acknowledged: the first step's overdue mark goes; the evaluation is due 4 h after it became red (not after the
     * tick that found it late: forty-eighth tryout) */
    assert_int_equal(it.deadline, T0 + DAY + 4 * HOUR);
    assert_false(it.overdue);
}

/* A raise, or a newer higher intake, never gives more time than the deadline running (a yellow item an hour from its
 * deadline, raised to orange, had 24 hours again: forty-eighth tryout); a deadline already passed is no cap. */
static void test_raise_never_gives_more_time(void **state) {
    (void)state;
    queue_item it;
    queue_item_new(&P, &it, "i", "c", "k", LEVEL_YELLOW, T0);
    queue_request rq = rq_of(QA_RAISE, ROLE_RECEPTION);
    rq.level = LEVEL_ORANGE;
    must_apply(&it, rq, T0 + 71 * HOUR);
    assert_int_equal(it.level, LEVEL_ORANGE);
    assert_int_equal(it.deadline, T0 + 72 * HOUR);
    rq.level = LEVEL_RED; /* red's own time is sooner: taken */
    must_apply(&it, rq, T0 + 71 * HOUR + 30 * MIN);
    assert_int_equal(it.deadline, T0 + 71 * HOUR + 45 * MIN);
    /* a newer higher intake, the same */
    queue_item_new(&P, &it, "i", "c", "k", LEVEL_YELLOW, T0);
    assert_true(queue_new_intake(&P, &it, "k2", LEVEL_ORANGE, T0 + 70 * HOUR));
    assert_int_equal(it.deadline, T0 + 72 * HOUR);
    /* past its deadline (not yet ticked): the new level's time from now */
    queue_item_new(&P, &it, "i", "c", "k", LEVEL_YELLOW, T0);
    assert_true(queue_new_intake(&P, &it, "k3", LEVEL_ORANGE, T0 + 80 * HOUR));
    assert_int_equal(it.deadline, T0 + 80 * HOUR + 24 * HOUR);
}

/* A custom step: yellow must be assigned (not merely confirmed) by its deadline. */
static void test_custom_step(void **state) {
    (void)state;
    P.step[LEVEL_YELLOW] = QS_ASSIGNED;
    queue_item it = item_in(LEVEL_YELLOW, QS_CONFIRMED);
    assert_int_equal(it.deadline, T0 + 72 * HOUR);
    assert_true(queue_tick(&P, &it, T0 + 72 * HOUR));
    assert_int_equal(it.level, LEVEL_ORANGE);

    /* assigned in time: then the contact is owed from the assignment, and missing it marks, never raises */
    it = item_in(LEVEL_YELLOW, QS_ASSIGNED);
    assert_int_equal(it.deadline, T0 + 3 * MIN + 14 * DAY);
    assert_true(queue_tick(&P, &it, T0 + 100 * DAY));
    assert_int_equal(it.level, LEVEL_YELLOW);
    assert_true(it.overdue);
    it = item_in(LEVEL_YELLOW, QS_CONTACTED);
    assert_int_equal(it.deadline, 0);
    assert_false(queue_tick(&P, &it, T0 + 100 * DAY));
}

/* A contact attempt says whether it reached the client; unsaid is refused and changes nothing (nothing is recorded by
 * default: "t" logged an attempt as the client contacted, whatever the call found: fortieth receptionist). */
/* A level is lowered with a reason written in words, not a letter ("x" lowered a suicidal client to GREEN: forty-third
 * receptionist); three Chinese characters are one */
static void test_lowering_needs_words(void **state) {
    (void)state;
    queue_item it = item_in(LEVEL_ORANGE, QS_ACKNOWLEDGED);
    queue_request rq = rq_of(QA_CONFIRM, ROLE_CLINICIAN);
    rq.level = LEVEL_GREEN;
    rq.reason = "x";
    must_refuse(&it, rq, T0 + HOUR, "lowering a level needs a written reason: what was found, in a few words");
    rq.reason = "ok ok";
    must_refuse(&it, rq, T0 + HOUR, NULL);
    rq.reason = "\xe5\xb7\xb2\xe8\xaf\x84\xe4\xbc\xb0"; /* 已评估 */
    must_apply(&it, rq, T0 + HOUR);
    assert_int_equal(it.level, LEVEL_GREEN);
    assert_true(queue_reason_written("improved"));
    assert_false(queue_reason_written(" \t x y z "));
    assert_false(queue_reason_written(NULL));
}

static void test_contact_must_say_reached(void **state) {
    (void)state;
    queue_item it = item_in(LEVEL_GREEN, QS_ASSIGNED);
    must_refuse(&it, contact_rq(QC_UNSAID), T0 + DAY,
                "a contact attempt must say whether the client was reached (reached or not-reached)");
    queue_request rq = contact_rq((queue_contact)7);
    queue_refused why;
    error err = {0};
    assert_false(queue_apply_why(&P, &it, &rq, T0 + DAY, &why, &err));
    assert_int_equal(why.why, QR_CONTACT_UNSAID);
    assert_int_equal(err.kind, ERR_INPUT);
    /* refused as not assigned first, whatever it says */
    queue_item open = item_in(LEVEL_GREEN, QS_OPEN);
    assert_false(queue_apply_why(&P, &open, &(queue_request){.action = QA_CONTACT, .role = ROLE_RECEPTION}, T0, &why, &err));
    assert_int_equal(why.why, QR_ASSIGN_FIRST);
}

/* A call that does not get through is an attempt: counted, and green's step and clock stay where they were, so the
 * item still goes overdue and is raised; a client reached is contacted, the step done. */
static void test_contact_not_reached_keeps_the_step(void **state) {
    (void)state;
    queue_item it = item_in(LEVEL_GREEN, QS_ASSIGNED);
    int64_t due = it.deadline;
    assert_true(due > 0);
    must_apply(&it, contact_rq(QC_NOT_REACHED), T0 + DAY);
    assert_int_equal(it.state, QS_ASSIGNED);
    assert_int_equal(it.contact_attempts, 1);
    assert_int_equal(it.deadline, due);
    assert_int_equal(queue_next_step(&P, &it), QS_CONTACTED);
    assert_string_equal(queue_event_name(&(queue_request){.action = QA_CONTACT, .contact = QC_NOT_REACHED}), "contact_missed");
    assert_string_equal(queue_event_name(&(queue_request){.action = QA_CONTACT, .contact = QC_REACHED}), "contact");
    queue_item late = it;
    assert_true(queue_tick(&P, &late, due));
    assert_int_equal(late.level, LEVEL_YELLOW);
    assert_true(late.overdue);
    must_apply(&it, contact_rq(QC_REACHED), T0 + 2 * DAY);
    assert_int_equal(it.state, QS_CONTACTED);
    assert_int_equal(it.contact_attempts, 2);
    assert_int_equal(it.deadline, 0);
    /* a later attempt that misses keeps it contacted (the client was reached once) */
    must_apply(&it, contact_rq(QC_NOT_REACHED), T0 + 3 * DAY);
    assert_int_equal(it.state, QS_CONTACTED);
    assert_int_equal(it.contact_attempts, 3);
    queue_contact c = QC_UNSAID;
    assert_true(queue_contact_parse("reached", &c) && c == QC_REACHED);
    assert_true(queue_contact_parse("not-reached", &c) && c == QC_NOT_REACHED);
    assert_false(queue_contact_parse("yes", &c));
    assert_false(queue_contact_parse(NULL, &c));
}

/* A green item contacted (step done) whose counselor is then declined counts again from level_since. */
static void test_decline_after_contact_restores_deadline(void **state) {
    (void)state;
    queue_item it = item_in(LEVEL_GREEN, QS_CONTACTED);
    assert_int_equal(it.deadline, 0);
    queue_request rq = valid_request(QA_DECLINE, ROLE_RECEPTION);
    must_apply(&it, rq, T0 + 5 * DAY);
    assert_int_equal(it.state, QS_CONFIRMED);
    assert_string_equal(it.counselor, "");
    assert_int_equal(it.deadline, T0 + 28 * DAY);
    assert_int_equal(it.contact_attempts, 1);
}

/* A GREEN item assigned before a clinician confirmed it goes back, declined, to the state it was assigned from (it
 * read "confirmed", a step nobody took: receptionist 24); raised since, it owes its confirmation; not known, confirmed. */
static void test_decline_goes_back_to_where_it_was_assigned_from(void **state) {
    (void)state;
    queue_item it = item_in(LEVEL_GREEN, QS_ASSIGNED);
    queue_request rq = valid_request(QA_DECLINE, ROLE_RECEPTION);
    rq.assigned_from = "open";
    must_apply(&it, rq, T0 + DAY);
    assert_int_equal(it.state, QS_OPEN);
    assert_int_equal(it.deadline, T0 + 28 * DAY);
    it = item_in(LEVEL_GREEN, QS_CONTACTED);
    rq.assigned_from = "acknowledged";
    must_apply(&it, rq, T0 + DAY);
    assert_int_equal(it.state, QS_ACKNOWLEDGED);
    it = item_in(LEVEL_YELLOW, QS_ASSIGNED); /* assigned green, raised to yellow since */
    rq.assigned_from = "open";
    must_apply(&it, rq, T0 + DAY);
    assert_int_equal(it.state, QS_OPEN);
    assert_true(it.deadline > 0);
    it = item_in(LEVEL_GREEN, QS_ASSIGNED);
    rq.assigned_from = "contacted"; /* no state one is assigned from */
    must_apply(&it, rq, T0 + DAY);
    assert_int_equal(it.state, QS_CONFIRMED);
    it = item_in(LEVEL_GREEN, QS_ASSIGNED);
    rq.assigned_from = NULL;
    must_apply(&it, rq, T0 + DAY);
    assert_int_equal(it.state, QS_CONFIRMED);
}

/* ---- deadlines and overdue ---- */

static void expect_not_overdue(queue_item *it, int64_t now) {
    queue_item before;
    memcpy(&before, it, sizeof before);
    assert_false(queue_tick(&P, it, now));
    assert_memory_equal(&before, it, sizeof before);
}

static void test_yellow_boundary(void **state) {
    (void)state;
    queue_item it;
    queue_item_new(&P, &it, "i", "c", "k", LEVEL_YELLOW, T0);
    assert_int_equal(it.deadline, T0 + 259200);
    expect_not_overdue(&it, T0);
    expect_not_overdue(&it, T0 + 71 * HOUR + 59 * MIN + 59);
    assert_true(queue_tick(&P, &it, T0 + 72 * HOUR));
    assert_true(it.overdue);
    assert_int_equal(it.level, LEVEL_ORANGE);
    assert_int_equal(it.escalations, 1);
    assert_int_equal(it.level_since, T0 + 72 * HOUR);
    assert_int_equal(it.deadline, T0 + 72 * HOUR + 24 * HOUR);
    assert_int_equal(it.state, QS_OPEN);
    assert_int_equal(it.updated_at, T0 + 72 * HOUR);
    /* idempotent at the same instant, and a second later */
    expect_not_overdue(&it, T0 + 72 * HOUR);
    expect_not_overdue(&it, T0 + 72 * HOUR + 1);
}

static void test_acknowledged_yellow_still_escalates(void **state) {
    (void)state;
    queue_item it = item_in(LEVEL_YELLOW, QS_ACKNOWLEDGED);
    expect_not_overdue(&it, T0 + 72 * HOUR - 1);
    assert_true(queue_tick(&P, &it, T0 + 72 * HOUR));
    assert_int_equal(it.level, LEVEL_ORANGE);
    assert_int_equal(it.state, QS_OPEN); /* a person must take orange's step */
    /* overdue stays set (top of the list) until the step is taken */
    must_apply(&it, ack_rq, T0 + 73 * HOUR);
    assert_true(it.overdue);
    assert_int_equal(it.deadline, T0 + 96 * HOUR);
    queue_request rq = rq_of(QA_CONFIRM, ROLE_CLINICIAN);
    rq.level = LEVEL_ORANGE;
    must_apply(&it, rq, T0 + 74 * HOUR);
    assert_false(it.overdue);
    assert_int_equal(it.deadline, T0 + 74 * HOUR + 72 * HOUR); /* the contact's time starts */
    expect_not_overdue(&it, T0 + 146 * HOUR - 1);
}

static void test_red_boundary_and_stays_red(void **state) {
    (void)state;
    queue_item it;
    queue_item_new(&P, &it, "i", "c", "k", LEVEL_RED, T0);
    assert_int_equal(it.deadline, T0 + 15 * MIN);
    expect_not_overdue(&it, T0 + 15 * MIN - 1);
    assert_true(queue_tick(&P, &it, T0 + 15 * MIN));
    assert_int_equal(it.level, LEVEL_RED);
    assert_true(it.overdue);
    assert_int_equal(it.escalations, 1);
    assert_int_equal(it.deadline, T0 + 30 * MIN);
    expect_not_overdue(&it, T0 + 30 * MIN - 1);
    assert_true(queue_tick(&P, &it, T0 + 31 * MIN)); /* a late tick: the new deadline counts from the tick */
    assert_int_equal(it.level, LEVEL_RED);
    assert_int_equal(it.escalations, 2);
    assert_int_equal(it.level_since, T0); /* red since T0, whatever the ticks */
    assert_int_equal(it.deadline, T0 + 46 * MIN);
    must_apply(&it, ack_rq, T0 + 32 * MIN);
    /* the evaluation, 4 hours from when it became red: acknowledged late, it is not due later (it moved with each
     * tick: forty-eighth tryout) */
    assert_int_equal(it.deadline, T0 + 4 * HOUR);
    assert_false(it.overdue);
    assert_int_equal(it.escalations, 2);
    expect_not_overdue(&it, T0 + 4 * HOUR - 1);
}

static void test_orange_and_green_boundaries(void **state) {
    (void)state;
    queue_item it;
    queue_item_new(&P, &it, "i", "c", "k", LEVEL_ORANGE, T0);
    expect_not_overdue(&it, T0 + 24 * HOUR - 1);
    assert_true(queue_tick(&P, &it, T0 + 24 * HOUR));
    assert_int_equal(it.level, LEVEL_RED);
    assert_int_equal(it.deadline, T0 + 24 * HOUR + 15 * MIN);

    queue_item_new(&P, &it, "i", "c", "k", LEVEL_GREEN, T0);
    assert_int_equal(it.deadline, T0 + 28 * DAY);
    expect_not_overdue(&it, T0 + 28 * DAY - 1);
    assert_true(queue_tick(&P, &it, T0 + 28 * DAY));
    assert_int_equal(it.level, LEVEL_YELLOW);
    assert_int_equal(it.deadline, T0 + 28 * DAY + 72 * HOUR);

    /* green assigned but never contacted escalates too */
    it = item_in(LEVEL_GREEN, QS_ASSIGNED);
    assert_true(queue_tick(&P, &it, T0 + 28 * DAY));
    assert_int_equal(it.level, LEVEL_YELLOW);
}

static void test_escalate_by(void **state) {
    (void)state;
    P.escalate_by = 2;
    queue_item it;
    queue_item_new(&P, &it, "i", "c", "k", LEVEL_YELLOW, T0);
    assert_true(queue_tick(&P, &it, T0 + 72 * HOUR));
    assert_int_equal(it.level, LEVEL_RED);
    assert_int_equal(it.deadline, T0 + 72 * HOUR + 15 * MIN);
    P.escalate_by = 3;
    queue_item_new(&P, &it, "i", "c", "k", LEVEL_ORANGE, T0);
    assert_true(queue_tick(&P, &it, T0 + 24 * HOUR));
    assert_int_equal(it.level, LEVEL_RED);
}

/* A confirmed item owes the contact: a counselor who reaches the client by the confirmation + the level's contact
 * time (a confirmed ORANGE item with no counselor sat with "no deadline" for ever: forty-fifth and forty-sixth
 * receptionists). Missed, it is marked overdue once, keeping the level the clinician judged and its state; a
 * decline keeps the deadline (it is no new time); only the client reached ends it. */
static void test_confirmed_owes_the_contact(void **state) {
    (void)state;
    const int64_t within[LEVEL_COUNT] = {[LEVEL_YELLOW] = 14 * DAY, [LEVEL_ORANGE] = 72 * HOUR, [LEVEL_RED] = 24 * HOUR};
    for (int l = LEVEL_YELLOW; l <= LEVEL_RED; l++) {
        queue_item it = item_in((risk_level)l, QS_CONFIRMED);
        int64_t due = T0 + 2 * MIN + within[l];
        assert_int_equal(it.deadline, due);
        assert_int_equal(queue_next_step(&P, &it), QS_CONTACTED);
        assert_true(queue_in_contact(&P, &it));
        expect_not_overdue(&it, due - 1);
        assert_true(queue_tick(&P, &it, due));
        assert_true(it.overdue);
        assert_int_equal(it.level, l);
        assert_int_equal(it.state, QS_CONFIRMED);
        assert_int_equal(it.deadline, due); /* "OVERDUE 5h" says how late the contact is */
        assert_int_equal(it.escalations, 1);
        expect_not_overdue(&it, due + DAY); /* marked once: no write every second */
        /* assigned, then declined: still owed, still marked, the same deadline */
        queue_request as = rq_of(QA_ASSIGN, ROLE_RECEPTION);
        as.counselor = "c01";
        must_apply(&it, as, due + HOUR);
        queue_request dec = rq_of(QA_DECLINE, ROLE_RECEPTION);
        dec.reason = "wants a counselor who speaks Cantonese";
        dec.counselor = "c01";
        must_apply(&it, dec, due + 2 * HOUR);
        assert_int_equal(it.state, QS_CONFIRMED);
        assert_int_equal(it.deadline, due);
        assert_true(it.overdue);
        /* an attempt that does not reach the client changes nothing; reached, nothing more is owed */
        as.counselor = "c02";
        must_apply(&it, as, due + 3 * HOUR);
        must_apply(&it, contact_rq(QC_NOT_REACHED), due + 4 * HOUR);
        assert_int_equal(it.deadline, due);
        assert_true(it.overdue);
        must_apply(&it, contact_rq(QC_REACHED), due + 5 * HOUR);
        assert_int_equal(it.deadline, 0);
        assert_false(it.overdue);
        assert_int_equal(queue_next_step(&P, &it), QS_CLOSED);
        expect_not_overdue(&it, T0 + 10 * 365 * DAY);
    }
    /* declined before it was overdue: the deadline stays where the confirmation put it */
    queue_item it = item_in(LEVEL_ORANGE, QS_ASSIGNED);
    queue_request dec = rq_of(QA_DECLINE, ROLE_RECEPTION);
    dec.reason = "prefers evenings";
    dec.counselor = "c01";
    must_apply(&it, dec, T0 + DAY);
    assert_int_equal(it.deadline, T0 + 2 * MIN + 72 * HOUR);
    assert_false(it.overdue);
    /* the centre's own contact time */
    P.contact_within[LEVEL_ORANGE] = 48 * HOUR;
    it = item_in(LEVEL_ORANGE, QS_CONFIRMED);
    assert_int_equal(it.deadline, T0 + 2 * MIN + 48 * HOUR);
    queue_item green = item_in(LEVEL_GREEN, QS_CONTACTED);
    expect_not_overdue(&green, T0 + 10 * 365 * DAY);
    queue_item closed = item_in(LEVEL_RED, QS_CLOSED);
    expect_not_overdue(&closed, T0 + 10 * 365 * DAY);
}


/* ---- business days in local time ---- */

static int64_t local_time(int y, int mo, int d, int h, int mi, int s) {
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    assert_true(t != (time_t)-1);
    return (int64_t)t;
}

static void assert_local(int64_t t, int y, int mo, int d, int h, int mi, int wday) {
    time_t tt = (time_t)t;
    struct tm tm;
    assert_non_null(localtime_r(&tt, &tm));
    assert_int_equal(tm.tm_year + 1900, y);
    assert_int_equal(tm.tm_mon + 1, mo);
    assert_int_equal(tm.tm_mday, d);
    assert_int_equal(tm.tm_hour, h);
    assert_int_equal(tm.tm_min, mi);
    assert_int_equal(tm.tm_wday, wday);
}

/* Days since 1970-01-01 of a date (independently of the code under test). */
static int32_t day_of(int y, int mo, int d) {
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    return (int32_t)(timegm(&tm) / DAY);
}

static void business(risk_level l, int days) {
    P.business_days[l] = true;
    P.within[l] = (int64_t)days * DAY;
}

enum { SUN, MON, TUE, WED, THU, FRI, SAT };

static void test_business_weekend_shanghai(void **state) {
    (void)state;
    set_tz("Asia/Shanghai");
    business(LEVEL_YELLOW, 3);
    int64_t fri = local_time(2026, 3, 13, 17, 0, 0);
    assert_local(fri, 2026, 3, 13, 17, 0, FRI);
    int64_t due = queue_deadline(&P, LEVEL_YELLOW, fri);
    assert_local(due, 2026, 3, 18, 17, 0, WED);
    assert_int_equal(due - fri, 5 * DAY);
    /* from a weekend day counting starts with the next day */
    int64_t sat = local_time(2026, 3, 14, 12, 30, 0);
    assert_local(queue_deadline(&P, LEVEL_YELLOW, sat), 2026, 3, 18, 12, 30, WED);
    P.within[LEVEL_YELLOW] = DAY;
    assert_local(queue_deadline(&P, LEVEL_YELLOW, sat), 2026, 3, 16, 12, 30, MON);
    /* Monday + 1 = Tuesday */
    int64_t mon = local_time(2026, 3, 16, 8, 0, 0);
    assert_int_equal(queue_deadline(&P, LEVEL_YELLOW, mon), mon + DAY);
    /* an item in a business-day queue uses it */
    queue_item it;
    queue_item_new(&P, &it, "i", "c", "k", LEVEL_YELLOW, fri);
    assert_int_equal(it.deadline, fri + 3 * DAY);
    /* plain levels stay exact seconds */
    assert_int_equal(queue_deadline(&P, LEVEL_ORANGE, fri), fri + 24 * HOUR);
    assert_int_equal(queue_deadline(&P, LEVEL_GREEN, fri), fri + 28 * DAY);
}

static void test_business_green_weeks(void **state) {
    (void)state;
    set_tz("Asia/Shanghai");
    business(LEVEL_GREEN, 20);
    int64_t mon = local_time(2026, 6, 1, 9, 0, 0);
    assert_local(mon, 2026, 6, 1, 9, 0, MON);
    /* 20 business days from Monday 1 June = Monday 29 June */
    assert_local(queue_deadline(&P, LEVEL_GREEN, mon), 2026, 6, 29, 9, 0, MON);
}

static void test_business_holidays(void **state) {
    (void)state;
    set_tz("Europe/London");
    business(LEVEL_YELLOW, 3);
    int64_t wed = local_time(2026, 12, 23, 10, 0, 0);
    assert_local(wed, 2026, 12, 23, 10, 0, WED);
    assert_local(queue_deadline(&P, LEVEL_YELLOW, wed), 2026, 12, 28, 10, 0, MON);
    P.holidays[P.n_holidays++] = day_of(2026, 12, 25);
    assert_local(queue_deadline(&P, LEVEL_YELLOW, wed), 2026, 12, 29, 10, 0, TUE);
    P.holidays[P.n_holidays++] = day_of(2026, 12, 28);
    assert_local(queue_deadline(&P, LEVEL_YELLOW, wed), 2026, 12, 30, 10, 0, WED);
    /* from a holiday itself: counting starts the next day */
    int64_t xmas = local_time(2026, 12, 25, 11, 0, 0);
    P.within[LEVEL_YELLOW] = DAY;
    assert_local(queue_deadline(&P, LEVEL_YELLOW, xmas), 2026, 12, 29, 11, 0, TUE);
    /* a holiday on a weekend changes nothing */
    P.n_holidays = 0;
    P.holidays[P.n_holidays++] = day_of(2026, 12, 26);
    assert_local(queue_deadline(&P, LEVEL_YELLOW, xmas), 2026, 12, 28, 11, 0, MON);
}

static void test_business_month_and_year_end(void **state) {
    (void)state;
    set_tz("Europe/London");
    business(LEVEL_YELLOW, 1);
    int64_t nye = local_time(2026, 12, 31, 15, 0, 0);
    assert_local(nye, 2026, 12, 31, 15, 0, THU);
    assert_local(queue_deadline(&P, LEVEL_YELLOW, nye), 2027, 1, 1, 15, 0, FRI);
    P.holidays[P.n_holidays++] = day_of(2027, 1, 1);
    assert_local(queue_deadline(&P, LEVEL_YELLOW, nye), 2027, 1, 4, 15, 0, MON);
    /* month end: Thursday 30 April + 2 = Monday 4 May; with 1 May a holiday, Tuesday 5 May */
    business(LEVEL_YELLOW, 2);
    int64_t apr30 = local_time(2026, 4, 30, 9, 15, 0);
    assert_local(queue_deadline(&P, LEVEL_YELLOW, apr30), 2026, 5, 4, 9, 15, MON);
    P.holidays[P.n_holidays++] = day_of(2026, 5, 1);
    assert_local(queue_deadline(&P, LEVEL_YELLOW, apr30), 2026, 5, 5, 9, 15, TUE);
    /* February of a leap year */
    business(LEVEL_YELLOW, 1);
    int64_t feb28 = local_time(2028, 2, 28, 12, 0, 0);
    assert_local(queue_deadline(&P, LEVEL_YELLOW, feb28), 2028, 2, 29, 12, 0, TUE);
}

static void test_business_dst_london(void **state) {
    (void)state;
    set_tz("Europe/London");
    business(LEVEL_YELLOW, 3);
    /* clocks go forward on Sunday 29 March 2026: the local clock time is kept, one hour fewer elapses */
    int64_t fri = local_time(2026, 3, 27, 9, 0, 0);
    int64_t due = queue_deadline(&P, LEVEL_YELLOW, fri);
    assert_local(due, 2026, 4, 1, 9, 0, WED);
    assert_int_equal(due - fri, 5 * DAY - HOUR);
    /* clocks go back on Sunday 25 October 2026: one hour more */
    business(LEVEL_YELLOW, 1);
    int64_t oct = local_time(2026, 10, 23, 9, 0, 0);
    due = queue_deadline(&P, LEVEL_YELLOW, oct);
    assert_local(due, 2026, 10, 26, 9, 0, MON);
    assert_int_equal(due - oct, 3 * DAY + HOUR);
    /* plain hours are exact seconds across both changes */
    int64_t sat = local_time(2026, 3, 28, 12, 0, 0);
    due = queue_deadline(&P, LEVEL_ORANGE, sat);
    assert_int_equal(due - sat, 24 * HOUR);
    assert_local(due, 2026, 3, 29, 13, 0, SUN);
    sat = local_time(2026, 10, 24, 12, 0, 0);
    due = queue_deadline(&P, LEVEL_ORANGE, sat);
    assert_local(due, 2026, 10, 25, 11, 0, SUN);
}

static void test_business_dst_new_york(void **state) {
    (void)state;
    set_tz("America/New_York");
    business(LEVEL_GREEN, 1);
    /* Sunday 8 March 2026, 02:00 -> 03:00 */
    int64_t fri = local_time(2026, 3, 6, 10, 0, 0);
    int64_t due = queue_deadline(&P, LEVEL_GREEN, fri);
    assert_local(due, 2026, 3, 9, 10, 0, MON);
    assert_int_equal(due - fri, 3 * DAY - HOUR);
    /* yellow in plain hours: 72 h is 259200 s, so the local clock reads an hour later */
    queue_item it;
    queue_item_new(&P, &it, "i", "c", "k", LEVEL_YELLOW, fri);
    assert_int_equal(it.deadline - fri, 259200);
    assert_local(it.deadline, 2026, 3, 9, 11, 0, MON);
    expect_not_overdue(&it, it.deadline - 1);
    assert_true(queue_tick(&P, &it, it.deadline));
}

/* ---- declines ---- */

/* A decline (as core/records asks it): of the counselor named, after those the row's declines named so far. */
static queue_request decline_of(const char *whom, const char *row) {
    queue_request rq = valid_request(QA_DECLINE, ROLE_RECEPTION);
    rq.counselor = whom;
    rq.declined_row = row;
    return rq;
}

/* Three suggestions declined in a row send the client to a person: three counselors, each named (a decline naming
 * nobody counted all the same, and one suggestion declined three times made three: tryout 19). */
static void test_three_declines(void **state) {
    (void)state;
    queue_item it = item_in(LEVEL_YELLOW, QS_CONFIRMED);
    must_apply(&it, decline_of("c01", NULL), T0 + DAY);
    assert_int_equal(it.declines_in_row, 1);
    assert_false(it.match_by_hand);
    /* the same one again, in a row: one suggestion declined, not two */
    must_refuse(&it, decline_of("c01", "c01"), T0 + DAY + 1, "the client declined c01 already: suggest another counselor");
    must_apply(&it, decline_of("c02", "c01"), T0 + DAY + 1);
    assert_int_equal(it.declines_in_row, 2);
    assert_false(it.match_by_hand);
    assert_int_equal(it.state, QS_CONFIRMED);
    /* the first one again, not the last: still one of this row's */
    must_refuse(&it, decline_of("c01", "c01 c02"), T0 + DAY + 2, "the client declined c01 already: suggest another counselor");
    must_apply(&it, decline_of("c03", "c01 c02"), T0 + DAY + 2);
    assert_int_equal(it.declines_in_row, 3);
    assert_true(it.match_by_hand);
    assert_int_equal(it.state, QS_CONFIRMED);
    /* a supervisor matches by hand: the client stays sent to a person, and the row goes on (issue 14) */
    queue_request assign = valid_request(QA_ASSIGN, ROLE_SUPERVISOR);
    must_apply(&it, assign, T0 + 2 * DAY);
    assert_int_equal(it.declines_in_row, 3);
    assert_true(it.match_by_hand);
    assert_string_equal(it.counselor, "c02");
    /* only the counselor assigned can be declined once one is; c02, assigned again after its decline, is declined
     * again: recorded (the client is not left with a counselor declined), not counted twice (one counselor) */
    must_refuse(&it, decline_of("c01", NULL), T0 + 3 * DAY, "the client can decline only the counselor assigned, c02");
    must_apply(&it, decline_of("c02", "c01 c02 c03"), T0 + 3 * DAY);
    assert_int_equal(it.state, QS_CONFIRMED);
    assert_string_equal(it.counselor, "");
    assert_int_equal(it.declines_in_row, 3);
    assert_true(it.match_by_hand);
    /* naming nobody: refused, in every state (nothing is suggested or assigned: a person matches) */
    for (int st = QS_OPEN; st < QS_CLOSED; st++) {
        queue_item any = item_in(LEVEL_YELLOW, (queue_state)st);
        must_refuse(&any, decline_of(NULL, NULL), T0 + HOUR, NULL);
        must_refuse(&any, decline_of("  ", NULL), T0 + HOUR,
                    "a decline names the counselor the client declined (none is assigned or suggested: a person matches)");
    }
}

/* An assignment does not end the row (issue 14): assign A, decline A, assign B, decline B, assign C, decline C is three
 * counselors declined, and sends the client to a person; a person's assignment then is that matching, and the client
 * stays sent to a person. */
static void test_declines_across_assignments(void **state) {
    (void)state;
    queue_item it = item_in(LEVEL_YELLOW, QS_CONFIRMED);
    static const char *const who[3] = {"c01", "c02", "c03"};
    static const char *const row[3] = {NULL, "c01", "c01 c02"};
    for (int i = 0; i < 3; i++) {
        queue_request assign = valid_request(QA_ASSIGN, ROLE_RECEPTION);
        assign.counselor = who[i];
        must_apply(&it, assign, T0 + DAY + 10 * i);
        assert_int_equal(it.declines_in_row, i);
        assert_int_equal(it.state, QS_ASSIGNED);
        must_apply(&it, decline_of(who[i], row[i]), T0 + DAY + 10 * i + 1);
        assert_int_equal(it.declines_in_row, i + 1);
        assert_int_equal(it.state, QS_CONFIRMED);
        assert_string_equal(it.counselor, "");
        assert_int_equal(it.match_by_hand, i == 2);
    }
    /* a person matches: the flag stays, and a fourth decline keeps the row going */
    queue_request assign = valid_request(QA_ASSIGN, ROLE_SUPERVISOR);
    assign.counselor = "c04";
    assert_true(queue_item_by_hand_now(&it)); /* sent to a person, nobody assigned: to match by hand now */
    must_apply(&it, assign, T0 + 2 * DAY);
    assert_true(it.match_by_hand);
    assert_false(queue_item_by_hand_now(&it)); /* matched: no longer to be matched (no "[by hand]" mark, no tab) */
    assert_int_equal(it.declines_in_row, 3);
    must_apply(&it, contact_rq(QC_REACHED), T0 + 2 * DAY + 1);
    assert_true(it.match_by_hand);
    assert_false(queue_item_by_hand_now(&it));
    must_apply(&it, decline_of("c04", "c01 c02 c03"), T0 + 2 * DAY + 2);
    assert_int_equal(it.declines_in_row, 4);
    assert_true(it.match_by_hand);
    assert_true(queue_item_by_hand_now(&it)); /* declined that one too: back to a person */
    /* a suggestion the row declined, declined again: still refused, after assignments as before them */
    must_refuse(&it, decline_of("c02", "c01 c02 c03 c04"), T0 + 2 * DAY + 3,
                "the client declined c02 already: suggest another counselor");
    /* with a limit of 2: assign, decline, assign, decline is enough */
    P.decline_limit = 2;
    queue_item two = item_in(LEVEL_GREEN, QS_ASSIGNED);
    must_apply(&two, decline_of("c01", NULL), T0 + DAY);
    queue_request again = valid_request(QA_ASSIGN, ROLE_RECEPTION);
    again.counselor = "c05";
    must_apply(&two, again, T0 + DAY + 1);
    assert_false(two.match_by_hand);
    must_apply(&two, decline_of("c05", "c01"), T0 + DAY + 2);
    assert_true(two.match_by_hand);
}

static void test_decline_limit_from_policy(void **state) {
    (void)state;
    P.decline_limit = 1;
    queue_item it = item_in(LEVEL_ORANGE, QS_ASSIGNED);
    must_apply(&it, valid_request(QA_DECLINE, ROLE_CLINICIAN), T0 + DAY);
    assert_true(it.match_by_hand);
}

/* ---- newer intakes ---- */

static void test_new_intake_higher(void **state) {
    (void)state;
    queue_item it = item_in(LEVEL_YELLOW, QS_ACKNOWLEDGED);
    it.overdue = true;
    assert_true(queue_new_intake(&P, &it, "intake-2", LEVEL_ORANGE, T0 + 5 * HOUR));
    assert_int_equal(it.level, LEVEL_ORANGE);
    assert_string_equal(it.intake_id, "intake-2");
    assert_int_equal(it.level_since, T0 + 5 * HOUR);
    assert_int_equal(it.state, QS_OPEN);
    assert_int_equal(it.deadline, T0 + 5 * HOUR + 24 * HOUR);
    assert_false(it.overdue);
    assert_int_equal(it.created_at, T0);
    /* the shorter deadline takes over at once: orange's 24 h, not yellow's remaining 67 h */
    assert_true(queue_tick(&P, &it, T0 + 29 * HOUR));
    assert_int_equal(it.level, LEVEL_RED);
}

static void test_new_intake_lower_then_confirm(void **state) {
    (void)state;
    queue_item it = item_in(LEVEL_ORANGE, QS_ACKNOWLEDGED), before, expect;
    memcpy(&before, &it, sizeof it);
    assert_true(queue_new_intake(&P, &it, "intake-2", LEVEL_GREEN, T0 + HOUR));
    assert_int_equal(it.pending_level, LEVEL_GREEN);
    /* nothing else changes (but the time of the change) */
    memcpy(&expect, &before, sizeof it);
    expect.pending_level = LEVEL_GREEN;
    expect.updated_at = T0 + HOUR;
    assert_memory_equal(&expect, &it, sizeof it);

    must_refuse(&it, (queue_request){.action = QA_CONFIRM, .role = ROLE_RECEPTION, .level = LEVEL_GREEN},
                T0 + 2 * HOUR, "a receptionist may not confirm a level");
    queue_request rq = {.action = QA_CONFIRM, .role = ROLE_CLINICIAN, .level = LEVEL_GREEN};
    must_refuse(&it, rq, T0 + 2 * HOUR, "lowering a level needs a written reason: what was found, in a few words");
    rq.reason = "item 9 answered by mistake; clarified with the client";
    must_apply(&it, rq, T0 + 2 * HOUR);
    assert_int_equal(it.level, LEVEL_GREEN);
    assert_int_equal(it.pending_level, -1);
    assert_int_equal(it.state, QS_CONFIRMED);
    assert_int_equal(it.level_since, T0 + 2 * HOUR);
    assert_int_equal(it.deadline, T0 + 2 * HOUR + 28 * DAY);

    /* a clinician may also keep the level: the pending one is cleared */
    it = item_in(LEVEL_ORANGE, QS_OPEN);
    assert_true(queue_new_intake(&P, &it, "intake-3", LEVEL_YELLOW, T0 + HOUR));
    rq = (queue_request){.action = QA_CONFIRM, .role = ROLE_SUPERVISOR, .level = LEVEL_ORANGE};
    must_apply(&it, rq, T0 + 2 * HOUR);
    assert_int_equal(it.level, LEVEL_ORANGE);
    assert_int_equal(it.pending_level, -1);

    /* an item already assigned can still have its pending level reviewed (state unchanged) */
    it = item_in(LEVEL_ORANGE, QS_ASSIGNED);
    must_refuse(&it, (queue_request){.action = QA_CONFIRM, .role = ROLE_CLINICIAN, .level = LEVEL_ORANGE},
                T0 + HOUR, NULL);
    assert_true(queue_new_intake(&P, &it, "intake-4", LEVEL_YELLOW, T0 + HOUR));
    rq = (queue_request){.action = QA_CONFIRM, .role = ROLE_CLINICIAN, .level = LEVEL_YELLOW, .reason = "improved"};
    must_apply(&it, rq, T0 + 2 * HOUR);
    assert_int_equal(it.level, LEVEL_YELLOW);
    assert_int_equal(it.state, QS_ASSIGNED);
    assert_int_equal(it.pending_level, -1);
}

static void test_new_intake_same_and_closed(void **state) {
    (void)state;
    queue_item it = item_in(LEVEL_YELLOW, QS_OPEN), before, expect;
    memcpy(&before, &it, sizeof it);
    assert_true(queue_new_intake(&P, &it, "intake-2", LEVEL_YELLOW, T0 + HOUR));
    memcpy(&expect, &before, sizeof it);
    snprintf(expect.intake_id, sizeof expect.intake_id, "intake-2");
    expect.updated_at = T0 + HOUR;
    assert_memory_equal(&expect, &it, sizeof it);
    assert_int_equal(it.deadline, T0 + 72 * HOUR);

    queue_item closed = item_in(LEVEL_YELLOW, QS_CLOSED);
    memcpy(&before, &closed, sizeof closed);
    assert_false(queue_new_intake(&P, &closed, "intake-3", LEVEL_RED, T0 + HOUR));
    assert_memory_equal(&before, &closed, sizeof closed);
}

/* ---- [queue] settings ---- */

static void write_cfg(const char *body) {
    FILE *fp = fopen(cfg_path, "w");
    assert_non_null(fp);
    fprintf(fp, "[triage]\nui_language = en\n\n[queue]\n; queue settings under test\n%s", body);
    fclose(fp);
}

/* Loads cfg_path: returns the result, with the diagnostics in *d. */
static bool load_cfg(queue_policy *p, diag *d) {
    ini_file ini;
    bool opened = ini_open(&ini, cfg_path, d);
    if (!opened) {
        for (int i = 0; i < d->n; i++) print_error("%s:%d: %s\n", d->v[i].file, d->v[i].line, d->v[i].msg);
    }
    assert_true(opened);
    bool ok = queue_policy_load(p, &ini, d);
    ini_close(&ini);
    return ok;
}

static void expect_diag(const diag *d, const char *key, const char *line_prefix, const char *msg_part) {
    const diag_entry *e = find_diag(d, key);
    if (!e) {
        for (int i = 0; i < d->n; i++) print_error("have: %s: %s\n", d->v[i].key ? d->v[i].key : "-", d->v[i].msg);
        fail_msg("no diagnostic for %s", key);
    }
    assert_false(e->warning);
    assert_string_equal(e->file, cfg_path);
    assert_int_equal(e->line, fixture_line(cfg_path, line_prefix));
    if (!strstr(e->msg, msg_part)) fail_msg("`%s` does not mention `%s`", e->msg, msg_part);
}

typedef struct {
    const char *body;
    const char *key;
    const char *line_prefix;
    const char *msg_part;
} bad_case;

static void test_config_bad_values(void **state) {
    (void)state;
    static const bad_case cases[] = {
        {"orange = confirmed 24h\nred = seen 15m\n", "queue.red", "red =", "`seen` is not a step"},
        {"red = closed 15m\n", "queue.red", "red =", "`closed` is not a step"},
        {"red = acknowledged\n", "queue.red", "red =", "a step and a time"},
        {"red = acknowledged 15 m\n", "queue.red", "red =", "a step and a time"},
        {"orange = confirmed 15x\n", "queue.orange", "orange =", "`15x` is not a time"},
        {"orange = confirmed h\n", "queue.orange", "orange =", "`h` is not a time"},
        {"green = contacted 0d\n", "queue.green", "green =", "`0d` is not a time"},
        {"green = contacted 400d\n", "queue.green", "green =", "`400d` is not a time"},
        {"green = contacted -3d\n", "queue.green", "green =", "`-3d` is not a time"},
        {"business_days = yellow\nyellow = confirmed 36h\n", "queue.yellow", "yellow =", "whole days"},
        {"red = acknowledged 15m\nbusiness_days = green\ngreen = contacted 30h\n", "queue.green", "green =",
         "whole days"},
        {"business_days = orange\n", "queue.business_days", "business_days =", "real time"},
        {"business_days = yellow purple\n", "queue.business_days", "business_days =", "`purple` is not a level"},
        {"holidays = 2026-12-25 2026-02-30\n", "queue.holidays", "holidays =", "`2026-02-30` is not a date"},
        {"holidays = 2027-02-29\n", "queue.holidays", "holidays =", "`2027-02-29`"},
        {"holidays = 25/12/2026\n", "queue.holidays", "holidays =", "`25/12/2026`"},
        {"holidays = 2026-1-01\n", "queue.holidays", "holidays =", "`2026-1-01`"},
        {"decline_limit = 3\ncolour = blue\n", "queue.colour", "colour =", "unknown key"},
        {"escalate_by = 0\n", "queue.escalate_by", "escalate_by =", "`0` is not a whole number from 1 to 3"},
        {"escalate_by = 4\n", "queue.escalate_by", "escalate_by =", "from 1 to 3"},
        {"decline_limit = many\n", "queue.decline_limit", "decline_limit =", "`many`"},
        {"unreachable_after = -1\n", "queue.unreachable_after", "unreachable_after =", "`-1`"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_cfg(cases[i].body);
        queue_policy p;
        diag d = {0};
        assert_false(load_cfg(&p, &d));
        if (d.errors != 1) print_error("case %zu: %d errors\n", i, d.errors);
        assert_int_equal(d.errors, 1);
        expect_diag(&d, cases[i].key, cases[i].line_prefix, cases[i].msg_part);
        diag_free(&d);
    }
}

static void test_config_all_bad_at_once(void **state) {
    (void)state;
    write_cfg("red = seen 15m\n"
              "orange = confirmed 15x\n"
              "; yellow counts business days but is not whole days\n"
              "yellow = confirmed 36h\n"
              "business_days = yellow\n"
              "holidays = 2026-02-30\n"
              "colour = blue\n"
              "escalate_by = 0\n");
    queue_policy p;
    diag d = {0};
    assert_false(load_cfg(&p, &d));
    assert_int_equal(d.errors, 6);
    expect_diag(&d, "queue.red", "red =", "seen");
    expect_diag(&d, "queue.orange", "orange =", "15x");
    expect_diag(&d, "queue.yellow", "yellow =", "whole days");
    expect_diag(&d, "queue.holidays", "holidays =", "2026-02-30");
    expect_diag(&d, "queue.colour", "colour =", "unknown key");
    expect_diag(&d, "queue.escalate_by", "escalate_by =", "0");
    /* bad values keep the defaults */
    assert_int_equal(p.within[LEVEL_RED], 15 * MIN);
    assert_int_equal(p.within[LEVEL_ORANGE], 24 * HOUR);
    assert_int_equal(p.escalate_by, 1);
    assert_false(p.business_days[LEVEL_YELLOW]);
    diag_free(&d);
}

static void test_config_too_many_holidays(void **state) {
    (void)state;
    char body[2048] = "holidays =";
    for (int i = 0; i < 65; i++) {
        size_t n = strlen(body);
        snprintf(body + n, sizeof body - n, " 2026-%02d-%02d", 1 + i / 28, 1 + i % 28);
    }
    strcat(body, "\n");
    write_cfg(body);
    queue_policy p;
    diag d = {0};
    assert_false(load_cfg(&p, &d));
    assert_int_equal(d.errors, 1);
    expect_diag(&d, "queue.holidays", "holidays =", "more than 64");
    assert_int_equal(p.n_holidays, 64);
    diag_free(&d);
}

static void test_config_good_values(void **state) {
    (void)state;
    write_cfg("red = acknowledged 10m\n"
              "orange = confirmed 4h\n"
              "yellow = confirmed 3d\n"
              "green = assigned 20d\n"
              "business_days = yellow, green\n"
              "holidays = 2026-12-25 2027-01-01,2026-12-25\n"
              "escalate_by = 2\n"
              "decline_limit = 4\n"
              "unreachable_after = 5\n");
    queue_policy p;
    diag d = {0};
    assert_true(load_cfg(&p, &d));
    assert_int_equal(d.n, 0);
    assert_int_equal(p.within[LEVEL_RED], 10 * MIN);
    assert_int_equal(p.within[LEVEL_ORANGE], 4 * HOUR);
    assert_int_equal(p.within[LEVEL_YELLOW], 3 * DAY);
    assert_int_equal(p.within[LEVEL_GREEN], 20 * DAY);
    assert_int_equal(p.step[LEVEL_RED], QS_ACKNOWLEDGED);
    assert_int_equal(p.step[LEVEL_GREEN], QS_ASSIGNED);
    assert_false(p.business_days[LEVEL_RED]);
    assert_false(p.business_days[LEVEL_ORANGE]);
    assert_true(p.business_days[LEVEL_YELLOW]);
    assert_true(p.business_days[LEVEL_GREEN]);
    assert_int_equal(p.n_holidays, 2);
    assert_int_equal(p.holidays[0], day_of(2026, 12, 25));
    assert_int_equal(p.holidays[1], day_of(2027, 1, 1));
    assert_int_equal(p.escalate_by, 2);
    assert_int_equal(p.decline_limit, 4);
    assert_int_equal(p.unreachable_after, 5);

    /* 72h is whole days: accepted for a business-day level; empty values keep the defaults */
    write_cfg("business_days = yellow\nyellow = confirmed 72h\nholidays =\nred =\n");
    diag_free(&d);
    d = (diag){0};
    assert_true(load_cfg(&p, &d));
    assert_int_equal(d.n, 0);
    assert_true(p.business_days[LEVEL_YELLOW]);
    assert_int_equal(p.within[LEVEL_YELLOW], 3 * DAY);
    assert_int_equal(p.within[LEVEL_RED], 15 * MIN);
    assert_int_equal(p.n_holidays, 0);

    /* no [queue] at all: the defaults */
    FILE *fp = fopen(cfg_path, "w");
    assert_non_null(fp);
    fputs("[triage]\nui_language = en\n", fp);
    fclose(fp);
    assert_true(load_cfg(&p, &d));
    queue_policy def;
    queue_policy_defaults(&def);
    assert_int_equal(p.within[LEVEL_YELLOW], def.within[LEVEL_YELLOW]);
    assert_false(p.business_days[LEVEL_YELLOW]);
    diag_free(&d);
}

static void expect_defaults(const queue_policy *p) {
    queue_policy def;
    queue_policy_defaults(&def);
    for (int l = 0; l < LEVEL_COUNT; l++) {
        assert_int_equal(p->within[l], def.within[l]);
        assert_int_equal(p->step[l], def.step[l]);
        assert_int_equal(p->business_days[l], def.business_days[l]);
        assert_int_equal(p->contact_within[l], def.contact_within[l]);
    }
    assert_int_equal(p->escalate_by, def.escalate_by);
    assert_int_equal(p->red_evaluate, def.red_evaluate);
    assert_int_equal(p->decline_limit, def.decline_limit);
    assert_int_equal(p->unreachable_after, def.unreachable_after);
    assert_int_equal(p->n_holidays, def.n_holidays);
    for (int i = 0; i < def.n_holidays; i++) assert_int_equal(p->holidays[i], def.holidays[i]);
}

static void test_repository_config_is_the_defaults(void **state) {
    (void)state;
    diag d = {0};
    ini_file ini;
    assert_true(ini_open(&ini, "config.ini", &d));
    assert_true(ini_has_section(&ini, "queue"));
    /* every key is spelled out in the file */
    static const char *const keys[] = {"red", "orange", "yellow", "green", "business_days", "holidays",
                                       "escalate_by", "decline_limit", "unreachable_after", "red_evaluate",
                                       "red_contact", "orange_contact", "yellow_contact", "green_contact"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) assert_true(ini_line(&ini, "queue", keys[i]) > 0);
    queue_policy p;
    memset(&p, 0x33, sizeof p);
    assert_true(queue_policy_load(&p, &ini, &d));
    assert_int_equal(d.n, 0);
    expect_defaults(&p);
    ini_close(&ini);

    /* the compiled-in copy too */
    assert_true(ini_open_buffer(&ini, triage_default_config, triage_default_config_len, "<built-in>", &d));
    memset(&p, 0x33, sizeof p);
    assert_true(queue_policy_load(&p, &ini, &d));
    assert_int_equal(d.n, 0);
    expect_defaults(&p);
    ini_close(&ini);

    /* [queue] is a known section: loading the file says nothing about it */
    config c;
    assert_true(config_load(&c, "config.ini", &d));
    for (int i = 0; i < d.n; i++) print_error("%s: %s\n", d.v[i].key ? d.v[i].key : "-", d.v[i].msg);
    assert_int_equal(d.n, 0);
    config_free(&c);
    diag_free(&d);
}

/* ---- red takes two steps: acknowledged within 15 minutes, then evaluated within 4 hours ---- */

static queue_item red_at(int64_t t) {
    queue_item it;
    queue_item_new(&P, &it, "r", "c", "k", LEVEL_RED, t);
    return it;
}

static queue_request red_confirm(staff_role r, const char *outcome) {
    queue_request rq = rq_of(QA_CONFIRM, r);
    rq.level = LEVEL_RED;
    rq.reason = outcome;
    return rq;
}

static void test_red_not_acknowledged_in_15m(void **state) {
    (void)state;
    queue_item it = red_at(T0);
    assert_int_equal(queue_next_step(&P, &it), QS_ACKNOWLEDGED);
    assert_false(queue_in_evaluation(&P, &it));
    expect_not_overdue(&it, T0 + 15 * MIN - 1);
    assert_true(queue_tick(&P, &it, T0 + 15 * MIN)); /* exactly at the deadline */
    assert_true(it.overdue);
    assert_int_equal(it.level, LEVEL_RED);
    assert_int_equal(it.state, QS_OPEN);
}

static void test_red_acknowledged_not_evaluated_in_4h(void **state) {
    (void)state;
    queue_item it = red_at(T0);
    must_apply(&it, ack_rq, T0 + 5 * MIN);
    assert_true(queue_in_evaluation(&P, &it));
    assert_int_equal(queue_next_step(&P, &it), QS_CONFIRMED);
    assert_int_equal(it.deadline, T0 + 4 * HOUR); /* from when it became red, not from the acknowledgement */
    assert_false(it.overdue);
    expect_not_overdue(&it, T0 + 4 * HOUR - 1);
    assert_true(queue_tick(&P, &it, T0 + 4 * HOUR)); /* exactly at the deadline */
    assert_true(it.overdue);                         /* marked for the supervisors and the banner */
    assert_int_equal(it.escalations, 1);
    assert_int_equal(it.level, LEVEL_RED);
    assert_int_equal(it.state, QS_ACKNOWLEDGED);   /* nobody has to acknowledge it again */
    assert_int_equal(it.deadline, T0 + 4 * HOUR); /* "OVERDUE 2h" says how late the evaluation is */
    assert_int_equal(it.updated_at, T0 + 4 * HOUR);
    expect_not_overdue(&it, T0 + 6 * HOUR); /* marked once: no write every second */
    /* the mark stays through other steps (a declined counselor) until a clinician evaluates */
    queue_request dec = rq_of(QA_DECLINE, ROLE_RECEPTION);
    dec.reason = "wants a female counselor";
    dec.counselor = "c01";
    must_apply(&it, dec, T0 + 5 * HOUR);
    assert_true(it.overdue);
    assert_int_equal(it.deadline, T0 + 4 * HOUR);
    must_apply(&it, red_confirm(ROLE_CLINICIAN, "evaluated late: safety plan made, stays red"), T0 + 6 * HOUR);
    assert_false(it.overdue);
    assert_int_equal(it.deadline, T0 + 6 * HOUR + 24 * HOUR); /* then the contact, within 24 hours */
    assert_int_equal(it.state, QS_CONFIRMED);
    assert_int_equal(queue_next_step(&P, &it), QS_CONTACTED);
}

static void test_red_confirmed_in_time(void **state) {
    (void)state;
    queue_item it = red_at(T0);
    must_apply(&it, ack_rq, T0 + MIN);
    must_apply(&it, red_confirm(ROLE_CLINICIAN, "evaluated: not acute after all details, stays red"), T0 + 4 * HOUR - 1);
    assert_int_equal(it.state, QS_CONFIRMED);
    assert_int_equal(it.deadline, T0 + 4 * HOUR - 1 + 24 * HOUR);
    assert_false(it.overdue);
    expect_not_overdue(&it, T0 + 28 * HOUR - 2);
}

/* An orange or red client leaves the queue only with a written note of what became of them, whatever the outcome
 * (a RED item closed as duplicate took two keys and said nothing); yellow and green close with the outcome alone. */
static void test_close_note_orange_red(void **state) {
    (void)state;
    for (int level = LEVEL_GREEN; level <= LEVEL_RED; level++) {
        queue_item it = item_in((risk_level)level, QS_ACKNOWLEDGED);
        queue_request close = rq_of(QA_CLOSE, ROLE_SUPERVISOR);
        close.outcome = QO_DUPLICATE;
        if (level >= LEVEL_ORANGE) {
            must_refuse_as(&it, close, T0 + HOUR, ERR_INPUT,
                           "closing an orange or red item needs a written note: what became of the client");
            close.reason = " \t ";
            must_refuse_as(&it, close, T0 + HOUR, ERR_INPUT, NULL);
            close.reason = "a second record of client 1 (merged)";
        }
        must_apply(&it, close, T0 + HOUR);
        assert_int_equal(it.state, QS_CLOSED);
    }
}

static void test_red_closed_as_referred_in_time(void **state) {
    (void)state;
    queue_request close = rq_of(QA_CLOSE, ROLE_CLINICIAN);
    close.outcome = QO_REFERRED;
    close.reason = "ambulance called, taken to the emergency department";
    /* acknowledged, then referred to emergency services */
    queue_item it = red_at(T0);
    must_apply(&it, ack_rq, T0 + MIN);
    must_apply(&it, close, T0 + 30 * MIN);
    assert_int_equal(it.state, QS_CLOSED);
    assert_int_equal(it.outcome, QO_REFERRED);
    assert_int_equal(it.deadline, 0);
    expect_not_overdue(&it, T0 + 365 * DAY);
    /* or referred at once, before anyone acknowledged it on the queue */
    it = red_at(T0);
    must_apply(&it, close, T0 + MIN);
    assert_int_equal(it.state, QS_CLOSED);
    /* reception may not close it, and an orange item still needs a confirmation before a referral */
    it = red_at(T0);
    must_refuse(&it, rq_of(QA_CLOSE, ROLE_RECEPTION), T0 + MIN, "a receptionist may not close an item");
    it = item_in(LEVEL_ORANGE, QS_ACKNOWLEDGED);
    must_refuse(&it, close, T0 + MIN, NULL);
}

static void test_red_reception_cannot_evaluate(void **state) {
    (void)state;
    queue_item it = red_at(T0);
    must_apply(&it, ack_rq, T0 + MIN);
    must_refuse(&it, red_confirm(ROLE_RECEPTION, "looked fine to me"), T0 + 2 * MIN,
                "a receptionist may not confirm a level");
    must_refuse(&it, red_confirm(ROLE_CLINICIAN, "  "), T0 + 2 * MIN,
                "confirming red needs the evaluation's outcome as the reason");
    must_apply(&it, red_confirm(ROLE_SUPERVISOR, "evaluated: admitted voluntarily"), T0 + 2 * MIN);
}

static void test_red_evaluate_setting(void **state) {
    (void)state;
    diag d = {0};
    write_cfg("red_evaluate = 2h\n");
    assert_true(load_cfg(&P, &d));
    assert_int_equal(P.red_evaluate, 2 * HOUR);
    queue_item it = red_at(T0);
    must_apply(&it, ack_rq, T0 + MIN);
    assert_int_equal(it.deadline, T0 + 2 * HOUR);
    /* not longer than red's own time: refused, naming the line */
    write_cfg("red = acknowledged 30m\nred_evaluate = 20m\n");
    assert_false(load_cfg(&P, &d));
    expect_diag(&d, "queue.red_evaluate", "red_evaluate", "must be longer than red's own time");
    diag_free(&d);
    /* a centre whose red step is already the confirmation has no second step */
    queue_policy_defaults(&P);
    P.step[LEVEL_RED] = QS_CONFIRMED;
    it = red_at(T0);
    must_apply(&it, ack_rq, T0 + MIN);
    assert_false(queue_in_evaluation(&P, &it));
    assert_int_equal(it.deadline, T0 + 15 * MIN);
}

/* LEVEL_contact: the centre's own contact times; a bad one names its line and keeps the default */
static void test_contact_setting(void **state) {
    (void)state;
    diag d = {0};
    write_cfg("orange_contact = 48h\nyellow_contact = 7d\n");
    assert_true(load_cfg(&P, &d));
    assert_int_equal(P.contact_within[LEVEL_ORANGE], 48 * HOUR);
    assert_int_equal(P.contact_within[LEVEL_YELLOW], 7 * DAY);
    assert_int_equal(P.contact_within[LEVEL_RED], 24 * HOUR);
    queue_item it = item_in(LEVEL_YELLOW, QS_CONFIRMED);
    assert_int_equal(it.deadline, T0 + 2 * MIN + 7 * DAY);
    write_cfg("red_contact = soon\n");
    assert_false(load_cfg(&P, &d));
    expect_diag(&d, "queue.red_contact", "red_contact", "is not a time");
    assert_int_equal(P.contact_within[LEVEL_RED], 24 * HOUR);
    diag_free(&d);
    write_cfg("orange_contact = 0h\n");
    assert_false(load_cfg(&P, &d));
    expect_diag(&d, "queue.orange_contact", "orange_contact", "is not a time");
    diag_free(&d);
    /* a higher level given longer than a lower one: read, and said (forty-eighth tryout: it passed in silence) */
    write_cfg("red_contact = 60d\n");
    assert_true(load_cfg(&P, &d));
    assert_int_equal(P.contact_within[LEVEL_RED], 60 * DAY);
    const diag_entry *w = find_diag(&d, "queue.red_contact");
    assert_non_null(w);
    assert_true(w->warning);
    assert_int_equal(w->line, fixture_line(cfg_path, "red_contact"));
    assert_non_null(strstr(w->msg, "red clients are given longer to be reached than orange ones"));
    diag_free(&d);
}

/* ---- sort order and remaining time ---- */

static queue_item sort_item(const char *id, risk_level level, bool overdue, int64_t deadline, int64_t created,
                            queue_state st) {
    queue_item it;
    queue_item_new(&P, &it, id, "c", "k", level, created);
    it.overdue = overdue;
    it.deadline = deadline;
    it.state = st;
    return it;
}

static int cmp_items(const void *a, const void *b) { return queue_compare(a, b); }

static int sign(int v) { return (v > 0) - (v < 0); }

static void test_sort_order(void **state) {
    (void)state;
    queue_item v[] = {
        sort_item("h", LEVEL_RED, false, 0, T0, QS_CLOSED),
        sort_item("e", LEVEL_YELLOW, false, 0, T0 - 100, QS_CONFIRMED),
        sort_item("g", LEVEL_YELLOW, false, T0 + 10, T0, QS_OPEN),
        sort_item("a", LEVEL_YELLOW, false, T0 + 10, T0, QS_OPEN),
        sort_item("f", LEVEL_YELLOW, false, T0 + 10, T0 - 5, QS_OPEN),
        sort_item("b", LEVEL_RED, false, T0 + 100, T0, QS_OPEN),
        sort_item("d", LEVEL_YELLOW, true, T0 + 20, T0, QS_OPEN),
        sort_item("c", LEVEL_ORANGE, true, T0 + 50, T0, QS_OPEN),
        sort_item("i", LEVEL_GREEN, false, T0 + 1, T0, QS_OPEN),
        sort_item("j", LEVEL_ORANGE, true, T0 + 40, T0, QS_OPEN),
    };
    enum { N = sizeof v / sizeof v[0] };
    for (int i = 0; i < N; i++)
        for (int k = 0; k < N; k++)
            assert_int_equal(sign(queue_compare(&v[i], &v[k])), -sign(queue_compare(&v[k], &v[i])));
    qsort(v, N, sizeof v[0], cmp_items);
    char order[N + 1];
    for (int i = 0; i < N; i++) order[i] = v[i].id[0];
    order[N] = '\0';
    /* overdue (by level, then deadline), red, yellow by deadline then age then id, deadline 0, green,
     * closed last */
    assert_string_equal(order, "jcdbfageih");
}

static void fmt(const queue_item *it, int64_t now, const char *expect) {
    char buf[64];
    memset(buf, 'z', sizeof buf);
    queue_format_remaining(it, now, buf, sizeof buf);
    assert_string_equal(buf, expect);
}

static void test_format_remaining(void **state) {
    (void)state;
    queue_item it;
    queue_item_new(&P, &it, "i", "c", "k", LEVEL_GREEN, T0);
    const int64_t D = it.deadline;
    fmt(&it, D - (2 * DAY + 3 * HOUR + 59 * MIN + 59), "2d 03h left");
    fmt(&it, D - 28 * DAY, "28d 00h left");
    fmt(&it, D - DAY, "1d 00h left");
    fmt(&it, D - (DAY - 1), "23h 59m left");
    fmt(&it, D - (5 * HOUR + 7 * MIN + 30), "5h 07m left");
    fmt(&it, D - HOUR, "1h 00m left");
    fmt(&it, D - (HOUR - 1), "59m left");
    fmt(&it, D - (45 * MIN + 59), "45m left");
    fmt(&it, D - 59, "0m left");
    fmt(&it, D - 1, "0m left");
    fmt(&it, D, "OVERDUE 0m");
    fmt(&it, D + 12 * MIN + 59, "OVERDUE 12m");
    fmt(&it, D + HOUR - 1, "OVERDUE 59m");
    fmt(&it, D + 5 * HOUR + 30 * MIN, "OVERDUE 5h");
    fmt(&it, D + DAY - 1, "OVERDUE 23h");
    fmt(&it, D + DAY + 2 * HOUR + 40 * MIN, "OVERDUE 1d 02h");
    fmt(&it, D + 10 * DAY, "OVERDUE 10d 00h");
    it.deadline = 0;
    fmt(&it, T0, "no deadline");
    queue_item closed = item_in(LEVEL_RED, QS_CLOSED);
    fmt(&closed, T0, "no deadline");
    closed.deadline = T0; /* closed wins even with a stale deadline */
    fmt(&closed, T0 + DAY, "no deadline");
    /* a small buffer is cut, never overrun */
    char small[5];
    queue_format_remaining(&it, T0, small, sizeof small);
    assert_string_equal(small, "no d");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_names, reset),
        cmocka_unit_test_setup(test_item_new, reset),
        cmocka_unit_test_setup(test_policy_defaults, reset),
        cmocka_unit_test_setup(test_every_state_action_role, reset),
        cmocka_unit_test_setup(test_role_least, reset),
        cmocka_unit_test_setup(test_refusal_reasons, reset),
        cmocka_unit_test_setup(test_green_assign_without_confirmation, reset),
        cmocka_unit_test_setup(test_close_outcomes, reset),
        cmocka_unit_test_setup(test_unreachable_after_attempts, reset),
        cmocka_unit_test_setup(test_confirm_same_raise_lower, reset),
        cmocka_unit_test_setup(test_raise_goes_back_to_open, reset),
        cmocka_unit_test_setup(test_raise_never_gives_more_time, reset),
        cmocka_unit_test_setup(test_custom_step, reset),
        cmocka_unit_test_setup(test_lowering_needs_words, reset),
        cmocka_unit_test_setup(test_contact_must_say_reached, reset),
        cmocka_unit_test_setup(test_contact_not_reached_keeps_the_step, reset),
        cmocka_unit_test_setup(test_decline_after_contact_restores_deadline, reset),
        cmocka_unit_test_setup(test_decline_goes_back_to_where_it_was_assigned_from, reset),
        cmocka_unit_test_setup(test_yellow_boundary, reset),
        cmocka_unit_test_setup(test_acknowledged_yellow_still_escalates, reset),
        cmocka_unit_test_setup(test_red_boundary_and_stays_red, reset),
        cmocka_unit_test_setup(test_orange_and_green_boundaries, reset),
        cmocka_unit_test_setup(test_escalate_by, reset),
        cmocka_unit_test_setup(test_confirmed_owes_the_contact, reset),
        cmocka_unit_test_setup(test_red_not_acknowledged_in_15m, reset),
        cmocka_unit_test_setup(test_red_acknowledged_not_evaluated_in_4h, reset),
        cmocka_unit_test_setup(test_red_confirmed_in_time, reset),
        cmocka_unit_test_setup(test_close_note_orange_red, reset),
        cmocka_unit_test_setup(test_red_closed_as_referred_in_time, reset),
        cmocka_unit_test_setup(test_red_reception_cannot_evaluate, reset),
        cmocka_unit_test_setup(test_red_evaluate_setting, reset),
        cmocka_unit_test_setup(test_contact_setting, reset),
        cmocka_unit_test_setup(test_business_weekend_shanghai, reset),
        cmocka_unit_test_setup(test_business_green_weeks, reset),
        cmocka_unit_test_setup(test_business_holidays, reset),
        cmocka_unit_test_setup(test_business_month_and_year_end, reset),
        cmocka_unit_test_setup(test_business_dst_london, reset),
        cmocka_unit_test_setup(test_business_dst_new_york, reset),
        cmocka_unit_test_setup(test_three_declines, reset),
        cmocka_unit_test_setup(test_declines_across_assignments, reset),
        cmocka_unit_test_setup(test_decline_limit_from_policy, reset),
        cmocka_unit_test_setup(test_new_intake_higher, reset),
        cmocka_unit_test_setup(test_new_intake_lower_then_confirm, reset),
        cmocka_unit_test_setup(test_new_intake_same_and_closed, reset),
        cmocka_unit_test_setup(test_config_bad_values, reset),
        cmocka_unit_test_setup(test_config_all_bad_at_once, reset),
        cmocka_unit_test_setup(test_config_too_many_holidays, reset),
        cmocka_unit_test_setup(test_config_good_values, reset),
        cmocka_unit_test_setup(test_repository_config_is_the_defaults, reset),
        cmocka_unit_test_setup(test_sort_order, reset),
        cmocka_unit_test_setup(test_refusal_kinds, reset),
        cmocka_unit_test_setup(test_format_remaining, reset),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
