/* `triage report` and `triage outcome`: the outcome KPIs over a date range, and the sessions that feed them.
 * Both are a clinician's or a supervisor's (the core checks and audits). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "facts.h"
#include "maintenance.h"
#include "outcomes.h"
#include "queue_items.h"
#include "report.h"
#include "cli.h"
#include "cmd_common.h"

#define DAY 86400

static const char report_usage[] =
    "usage: triage --user ME report [--validation] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json|--csv]\n"
    "       (intakes from --from to --to, both days included; default: everything up to today;\n"
    "       --validation: triage's level against the level a clinician confirmed, PPV and sensitivity)\n";

int cmd_report(const cli_args *a) {
    int64_t from_day = 0, to_day = day_of(clock_now());
    bool as_json = false, as_csv = false, validation = false;
    for (int i = 0; i < a->argc; i++) {
        const char *o = a->argv[i];
        if (!strcmp(o, "--json")) as_json = true;
        else if (!strcmp(o, "--validation")) validation = true;
        else if (!strcmp(o, "--csv")) as_csv = true;
        else if (!strcmp(o, "--from") && i + 1 < a->argc && day_parse(a->argv[i + 1], &from_day)) i++;
        else if (!strcmp(o, "--to") && i + 1 < a->argc && day_parse(a->argv[i + 1], &to_day)) i++;
        else {
            fprintf(stderr, "triage report: `%.40s`: not understood (dates are YYYY-MM-DD)\n%s", o, report_usage);
            return EXIT_BADINPUT;
        }
    }
    if (as_json && as_csv) {
        fputs(report_usage, stderr);
        return EXIT_BADINPUT;
    }
    if (to_day < from_day) {
        fprintf(stderr, "triage report: --to is before --from\n");
        return EXIT_BADINPUT;
    }
    ctx c;
    int status = open_ctx(a, &c, false, true);
    if (status != EXIT_OK) return status;
    report_settings set;
    report_settings_from_config(&c.e.cfg, &set);
    report r;
    error err = {0};
    if (!report_run(c.s, &set, from_day * DAY, (to_day + 1) * DAY, &r, &err))
        return fail(&c, err.msg, cli_exit_for(&err));
    if (as_json) {
        json_t *j = validation ? report_validation_json(&r) : report_json(&r);
        char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
        puts(s);
        free(s);
        json_decref(j);
    } else {
        char *s = validation ? (as_csv ? report_validation_csv(&r) : report_validation_text(&r))
                             : as_csv     ? report_csv(&r)
                                          : report_text(&r);
        fputs(s, stdout);
        free(s);
        if (!as_csv) { /* the levels above are the facts' clear copies: say when their MACs were last checked */
            int64_t at;
            bool sound;
            verify_last(c.s, &at, &sound);
            char when[32] = "";
            time_t t = (time_t)at;
            struct tm tm;
            if (at && gmtime_r(&t, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
            if (!at) printf("\nLevels: from the report facts; their row MACs were never checked by `triage verify` (in the signed audit trail).\n");
            else printf("\nLevels: from the report facts; `triage verify` last checked their row MACs %s: %s.\n", when,
                        sound ? "sound" : "TAMPERING FOUND, these figures may count edited levels");
        }
    }
    report_free(&r);
    ctx_close(&c);
    return EXIT_OK;
}

/* A client id, or a queue item (id or prefix) standing for its client. */
static void client_of(ctx *c, const char *arg, char out[STORE_ID_LEN]) {
    queue_item it;
    error err = {0};
    if (queues_find(&c->db, arg, &it, &err)) memcpy(out, it.client_id, STORE_ID_LEN);
    else snprintf(out, STORE_ID_LEN, "%s", arg);
}

static const char outcome_usage[] =
    "usage: triage --user ME outcome session CLIENT|ITEM --date YYYY-MM-DD --attended yes|no [--counselor CODE]\n"
    "       triage --user ME outcome show CLIENT|ITEM [--json]\n";

static int outcome_show(ctx *c, const char *who, bool as_json) {
    char client[STORE_ID_LEN];
    error err = {0};
    client_of(c, who, client);
    facts_rec *f = NULL;
    int n = 0;
    if (!outcome_client_facts(c->s, client, &f, &n, &err)) {
        fprintf(stderr, "triage: %s\n", err.msg);
        return cli_exit_for(&err);
    }
    if (n == 0) {
        fprintf(stderr, "triage: no intake of client %.40s has outcomes\n", client);
        return EXIT_BADINPUT;
    }
    int64_t today = day_of(clock_now());
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        char first[16] = "-", last[16] = "-";
        if (f[i].first_session_day >= 0) day_format(f[i].first_session_day, first, sizeof first);
        if (f[i].last_session_day >= 0) day_format(f[i].last_session_day, last, sizeof last);
        const char *stage = lifecycle_stage_name(lifecycle_of(&f[i], today, c->e.cfg.lapse_days));
        const char *fs = f[i].first_session_attended == 1 ? "attended" : f[i].first_session_attended == 0 ? "missed" : "none";
        if (as_json) {
            json_t *o = json_object();
            json_object_set_new(o, "intake", json_string(f[i].id));
            json_object_set_new(o, "level", json_string(f[i].level));
            json_object_set_new(o, "confirmed_level", f[i].confirmed_level[0] ? json_string(f[i].confirmed_level) : json_null());
            json_object_set_new(o, "first_session", json_string(fs));
            json_object_set_new(o, "first_session_date", f[i].first_session_day >= 0 ? json_string(first) : json_null());
            json_object_set_new(o, "sessions_attended", json_integer(f[i].sessions_attended));
            json_object_set_new(o, "last_session_date", f[i].last_session_day >= 0 ? json_string(last) : json_null());
            json_object_set_new(o, "closed", f[i].closed_reason[0] ? json_string(f[i].closed_reason) : json_null());
            json_object_set_new(o, "stage", json_string(stage));
            json_array_append_new(arr, o);
        } else {
            printf("%.8s  level %-6s confirmed %-6s first session %s %s  attended %d (last %s)  closed %s  stage %s\n",
                   f[i].id, f[i].level, f[i].confirmed_level[0] ? f[i].confirmed_level : "-", fs, first,
                   f[i].sessions_attended, last, f[i].closed_reason[0] ? f[i].closed_reason : "-", stage);
        }
    }
    if (as_json) {
        char *s = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
        puts(s);
        free(s);
    }
    json_decref(arr);
    free(f);
    return EXIT_OK;
}

static int outcome_session(ctx *c, const cli_args *a) {
    const char *who = a->argv[1], *attended = NULL, *code = NULL;
    int64_t day = -1;
    for (int i = 2; i < a->argc; i++) {
        if (!strcmp(a->argv[i], "--date") && i + 1 < a->argc && day_parse(a->argv[i + 1], &day)) i++;
        else if (!strcmp(a->argv[i], "--attended") && i + 1 < a->argc) attended = a->argv[++i];
        else if (!strcmp(a->argv[i], "--counselor") && i + 1 < a->argc) code = a->argv[++i];
        else return -1;
    }
    if (day < 0 || !attended || (strcmp(attended, "yes") && strcmp(attended, "no"))) return -1;
    char client[STORE_ID_LEN];
    error err = {0};
    client_of(c, who, client);
    if (!outcome_record_session(c->s, client, day, !strcmp(attended, "yes"), code, &err)) {
        fprintf(stderr, "triage: %s\n", err.msg);
        return cli_exit_for(&err);
    }
    char d[16];
    day_format(day, d, sizeof d);
    printf("session %s %s recorded for client %.8s\n", d, !strcmp(attended, "yes") ? "attended" : "missed", client);
    return EXIT_OK;
}

int cmd_outcome(const cli_args *a) {
    bool show = a->argc >= 2 && !strcmp(a->argv[0], "show");
    bool session_cmd = a->argc >= 2 && !strcmp(a->argv[0], "session");
    bool as_json = show && a->argc == 3 && !strcmp(a->argv[2], "--json");
    if ((!show && !session_cmd) || (show && a->argc > 2 && !as_json)) {
        fputs(outcome_usage, stderr);
        return EXIT_BADINPUT;
    }
    ctx c;
    int status = open_ctx(a, &c, false, true);
    if (status != EXIT_OK) return status;
    status = show ? outcome_show(&c, a->argv[1], as_json) : outcome_session(&c, a);
    if (status < 0) {
        fputs(outcome_usage, stderr);
        status = EXIT_BADINPUT;
    }
    ctx_close(&c);
    return status;
}
