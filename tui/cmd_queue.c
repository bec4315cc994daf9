/* `triage queue`: the escalation queues from the command line (scripts, cron, monitoring). Listing and
 * tick need no login (they show and move only what is in clear); every transition is made by the
 * --user with the same rules and role checks as the screens. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "engine.h"
#include "queue_items.h"
#include "secret.h"
#include "cli.h"
#include "cmd_common.h"

typedef struct {
    const char *level_filter;
    bool overdue_only, as_json;
    long limit; /* 0: every open item */
} list_options;

static bool parse_list_options(const cli_args *a, list_options *o) {
    memset(o, 0, sizeof *o);
    for (int i = 0; i < a->argc; i++) {
        risk_level l;
        if (!strcmp(a->argv[i], "--overdue")) o->overdue_only = true;
        else if (!strcmp(a->argv[i], "--json")) o->as_json = true;
        else if (!strcmp(a->argv[i], "--level") && i + 1 < a->argc && risk_level_parse(a->argv[i + 1], &l))
            o->level_filter = a->argv[++i];
        else if (!strcmp(a->argv[i], "--limit") && i + 1 < a->argc && parse_int(a->argv[i + 1], 1, 100000, &o->limit))
            i++;
        else {
            fprintf(stderr, "usage: triage queue [--level red|orange|yellow|green] [--overdue] [--limit N] [--json]\n");
            return false;
        }
    }
    return true;
}

/* The step the item owes next: "evaluation" for red's clinician evaluation, else the step's name; null if none. */
static json_t *next_step_json(const queue_policy *p, const queue_item *it) {
    queue_state next = queue_next_step(p, it);
    if (next == QS_CLOSED) return json_null();
    return json_string(queue_in_evaluation(p, it) ? "evaluation" : queue_state_name(next));
}

/* What the item owes next, by when and by whom, said after every step (a step that said nothing more left the next
 * one to be guessed: forty-eighth tryout). pending_before: the lower level a newer intake left awaiting review,
 * said when the step let it go. */
static void say_next(const queue_policy *p, const queue_item *it, int pending_before) {
    char due[32] = "";
    time_t t = (time_t)it->deadline;
    struct tm tm;
    if (it->deadline && localtime_r(&t, &tm)) strftime(due, sizeof due, "%a %m-%d %H:%M", &tm);
    if (pending_before >= 0 && it->pending_level < 0 && it->state != QS_CLOSED)
        printf("the lower level %s a newer intake gave was not taken: the level stays %s\n",
               risk_level_name((risk_level)pending_before), risk_level_name(it->level));
    queue_state next = queue_next_step(p, it);
    if (queue_item_by_hand_now(it) && !queue_in_evaluation(p, it))
        printf("next: a supervisor matches the client by hand (three declines) by %s: queue assign %.8s COUNSELOR\n",
               due, it->id);
    else if (queue_in_evaluation(p, it))
        printf("next: a clinician evaluates the client by %s (queue confirm %.8s --reason OUTCOME) or closes it as "
               "referred to emergency services (queue close %.8s referred)\n", due, it->id, it->id);
    else if (queue_in_contact(p, it))
        printf("next: %s the client by %s (queue contact %.8s reached); missed, the item is marked overdue\n",
               it->counselor[0] ? "the counselor reaches" : "assign a counselor who reaches", due, it->id);
    else if (next == QS_ACKNOWLEDGED)
        printf("next: anyone acknowledges it by %s (queue ack %.8s)\n", due, it->id);
    else if (next == QS_CONFIRMED)
        printf("next: a clinician or supervisor confirms the level by %s (queue confirm %.8s)\n", due, it->id);
    else if (next == QS_ASSIGNED)
        printf("next: a counselor is assigned by %s (queue assign %.8s COUNSELOR)\n", due, it->id);
    else if (next == QS_CONTACTED)
        printf("next: the client is reached by %s (queue contact %.8s reached)\n", due, it->id);
}

static int queue_list(const list_options *opt, ctx *c) {
    const char *level_filter = opt->level_filter;
    bool overdue_only = opt->overdue_only, as_json = opt->as_json;
    error err = {0};
    queue_item *items;
    int n;
    /* the most urgent N straight from the index; filters need every open item */
    bool page = opt->limit > 0 && !level_filter && !overdue_only;
    if (!(page ? queues_first_page(&c->db, (int)opt->limit, &items, &n, &err)
               : queues_list_open(&c->db, &items, &n, &err))) {
        fprintf(stderr, "triage: %s\n", err.msg);
        return EXIT_RUNTIME;
    }
    int64_t now = clock_now();
    json_t *arr = as_json ? json_array() : NULL;
    int shown = 0, tampered = 0;
    for (int i = 0; i < n; i++) tampered += items[i].tampered;
    for (int i = 0; i < n && (!opt->limit || shown < opt->limit); i++) {
        const queue_item *it = &items[i];
        if (level_filter && strcmp(risk_level_name(it->level), level_filter) != 0) continue;
        /* overdue as of now, whether or not a tick has marked it yet (with no desk open and no cron, --overdue listed
         * nothing past its deadline: forty-eighth tryout) */
        bool late = it->overdue || (it->deadline && now >= it->deadline);
        if (overdue_only && !late) continue;
        char left[64];
        queue_format_remaining(it, now, left, sizeof left);
        shown++;
        if (as_json) {
            json_t *o = json_object();
            json_object_set_new(o, "id", json_string(it->id));
            json_object_set_new(o, "client_id", json_string(it->client_id));
            json_object_set_new(o, "level", json_string(risk_level_name(it->level)));
            if (it->tampered) json_object_set_new(o, "tampered", json_true());
            json_object_set_new(o, "state", json_string(queue_state_name(it->state)));
            json_object_set_new(o, "overdue", json_boolean(late));
            json_object_set_new(o, "deadline", it->deadline ? json_integer(it->deadline) : json_null());
            json_object_set_new(o, "seconds_left", it->deadline ? json_integer(it->deadline - now) : json_null());
            json_object_set_new(o, "time", json_string(left));
            json_object_set_new(o, "next_step", next_step_json(&c->e.queue, it));
            json_object_set_new(o, "escalations", json_integer(it->escalations));
            json_object_set_new(o, "match_by_hand", json_boolean(it->match_by_hand));
            json_object_set_new(o, "pending_level",
                                it->pending_level >= 0 ? json_string(risk_level_name((risk_level)it->pending_level)) : json_null());
            json_object_set_new(o, "counselor", it->counselor[0] ? json_string(it->counselor) : json_null());
            json_object_set_new(o, "created_at", json_integer(it->created_at));
            /* attempts made (reached or not) and declines in a row: what "unreachable" and "match by hand" count */
            json_object_set_new(o, "contact_attempts", json_integer(it->contact_attempts));
            json_object_set_new(o, "declines_in_row", json_integer(it->declines_in_row));
            json_array_append_new(arr, o);
        } else {
            /* stored in UTC, shown in local time */
            char due[32] = "";
            if (it->deadline) {
                time_t t = (time_t)it->deadline;
                struct tm tm;
                if (localtime_r(&t, &tm)) strftime(due, sizeof due, "due %a %m-%d %H:%M", &tm);
            }
            /* an item raised for being overdue has a new time left: still said overdue (only "!!" said it) */
            printf("%.8s  %-6s  %-12s  %-16s  %-20s  client %.8s%s%s%s%s%s\n", it->id, risk_level_name(it->level),
                   queue_state_name(it->state), left, due, it->client_id,
                   it->overdue && it->deadline > now ? "  OVERDUE (escalated)" : "", it->match_by_hand ? "  MATCH BY HAND" : "",
                   it->pending_level >= 0 ? "  (lower level pending)" : "",
                   queue_in_evaluation(&c->e.queue, it) ? "  EVALUATION DUE (confirm with the outcome, or close referred)" : "",
                   it->tampered ? "  TAMPERED: row edited in the file, read as red" : "");
        }
    }
    if (as_json) {
        char *s = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
        puts(s);
        free(s);
        json_decref(arr);
    } else if (shown == 0) {
        printf(overdue_only ? "no overdue items\n" : "no open items\n");
    }
    /* without a login there is no key to check the rows' MACs with: say so rather than vouch for them */
    if (!c->db.row_key) fprintf(stderr, "triage: note: rows not checked for tampering (give --user to check them)\n");
    else if (tampered) fprintf(stderr, "triage: %d open item%s failed the row MAC check (tampering): see `triage verify`\n",
                               tampered, tampered == 1 ? "" : "s");
    free(items);
    return EXIT_OK;
}

/* --reason TEXT, or --reason - to read it from standard input (keeps it out of the process list). */
static bool take_reason(const cli_args *a, int *i, char **reason) {
    if (strcmp(a->argv[*i], "--reason") != 0 || *i + 1 >= a->argc) return false;
    const char *v = a->argv[++*i];
    secret_free(*reason);
    if (strcmp(v, "-") == 0) {
        char buf[4096];
        size_t n = fread(buf, 1, sizeof buf - 1, stdin);
        buf[n] = '\0';
        while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = '\0';
        *reason = strdup(buf);
        secret_wipe(buf, sizeof buf);
    } else {
        *reason = strdup(v);
    }
    return *reason != NULL;
}

static int queue_move(const cli_args *a, ctx *c) {
    const char *verb = a->argv[0];
    static const struct {
        const char *verb;
        queue_action action;
    } verbs[] = {{"ack", QA_ACK},       {"confirm", QA_CONFIRM}, {"raise", QA_RAISE}, {"assign", QA_ASSIGN},
                 {"contact", QA_CONTACT}, {"decline", QA_DECLINE}, {"close", QA_CLOSE}};
    queue_request rq;
    memset(&rq, 0, sizeof rq);
    bool known = false;
    for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++)
        if (!strcmp(verb, verbs[v].verb)) {
            rq.action = verbs[v].action;
            known = true;
        }
    if (!known || a->argc < 2) return -1;
    error err = {0};
    queue_item it;
    if (!queues_find(&c->db, a->argv[1], &it, &err)) {
        fprintf(stderr, "triage: %s\n", err.msg);
        return EXIT_BADINPUT;
    }
    rq.level = it.level;
    char *reason = NULL;
    const char *arg = NULL;
    char whom[65];
    bool bad = false;
    for (int i = 2; i < a->argc && !bad; i++) {
        if (take_reason(a, &i, &reason)) continue;
        if (arg) bad = true;
        else arg = a->argv[i];
    }
    if (rq.action == QA_CONFIRM || rq.action == QA_RAISE) {
        if (arg && !risk_level_parse(arg, &rq.level)) bad = true;
        if (rq.action == QA_RAISE && !arg) bad = true;
    } else if (rq.action == QA_ASSIGN) {
        rq.counselor = arg;
        bad = bad || !arg;
    } else if (rq.action == QA_CLOSE) {
        bad = bad || !arg || !queue_outcome_parse(arg, &rq.outcome);
    } else if (rq.action == QA_DECLINE) {
        /* whom the client declined: as given, else the counselor assigned or the intake's suggestion */
        rq.counselor = arg;
        if (!arg && queues_decline_counselor(c->s, &it, NULL, whom, sizeof whom, &err)) rq.counselor = whom;
        else if (!arg && err.msg[0]) {
            fprintf(stderr, "triage: %s\n", err.msg);
            secret_free(reason);
            return cli_exit_for(&err);
        }
    } else if (rq.action == QA_CONTACT) {
        /* whether the call got through is said, never assumed: an attempt that did not reach the client is no contact */
        if (!bad && !queue_contact_parse(arg, &rq.contact)) {
            fprintf(stderr, "triage: queue contact: say whether the client was reached: `reached` or `not-reached`%s%s%s\n",
                    arg ? " (not `" : "", arg ? arg : "", arg ? "`)" : "");
            secret_free(reason);
            return EXIT_BADINPUT;
        }
    } else if (arg) {
        bad = true;
    }
    if (bad) {
        secret_free(reason);
        return -1;
    }
    rq.reason = reason;
    bool ok = queues_act(c->s, &c->e.queue, it.id, rq, &err);
    secret_free(reason);
    if (!ok) {
        fprintf(stderr, "triage: %s\n", err.msg);
        return cli_exit_for(&err);
    }
    queue_item now_it;
    if (queues_find(&c->db, it.id, &now_it, &err)) {
        char left[64];
        queue_format_remaining(&now_it, clock_now(), left, sizeof left);
        printf("%.8s  %s  %s  %s%s\n", now_it.id, risk_level_name(now_it.level), queue_state_name(now_it.state), left,
               now_it.match_by_hand ? "  MATCH BY HAND (three declines)" : "");
        say_next(&c->e.queue, &now_it, it.pending_level);
    }
    return EXIT_OK;
}

static const char queue_usage[] =
    "usage: triage [--user ME] queue [--level L] [--overdue] [--json]   (--user: rows checked for tampering)\n"
    "       triage queue [--limit N]     (the N most urgent)\n"
    "       triage queue tick\n"
    "       triage --user ME queue ack ID\n"
    "       triage --user ME queue confirm ID [LEVEL] [--reason TEXT|-]   (a lower level needs a reason of a few words, red its outcome)\n"
    "       triage --user ME queue raise ID LEVEL [--reason TEXT|-]\n"
    "       triage --user ME queue assign ID COUNSELOR\n"
    "       triage --user ME queue contact ID reached|not-reached [--reason TEXT|-]   (not-reached: an attempt only)\n"
    "       triage --user ME queue decline ID [COUNSELOR] --reason TEXT|-   (default: the one assigned, or suggested)\n"
    "       triage --user ME queue close ID first_session|declined|referred|unreachable|duplicate [--reason TEXT|-]\n";

int cmd_queue(const cli_args *a) {
    bool listing = a->argc == 0 || a->argv[0][0] == '-';
    bool tick = a->argc == 1 && !strcmp(a->argv[0], "tick");
    list_options lo;
    if (listing && !parse_list_options(a, &lo)) return EXIT_BADINPUT;
    ctx c;
    /* a listing logs in when --user is given, so that it can check every row's MAC */
    int status = open_ctx(a, &c, false, (!listing && !tick) || (listing && a->user));
    if (status != EXIT_OK) return status;
    if (listing) status = queue_list(&lo, &c);
    else if (tick) {
        error err = {0};
        int n;
        if (!queues_tick(&c.db, &c.e.queue, &n, &err)) {
            fprintf(stderr, "triage: %s\n", err.msg);
            status = EXIT_RUNTIME;
        } else {
            printf("%d item%s escalated\n", n, n == 1 ? "" : "s");
        }
    } else {
        status = queue_move(a, &c);
        if (status < 0) {
            fputs(queue_usage, stderr);
            status = EXIT_BADINPUT;
        }
    }
    ctx_close(&c);
    return status;
}
