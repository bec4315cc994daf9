/* Subcommands over the encrypted record store: init, user, roster, intake, client, verify, audit,
 * backup, restore, rekey. Each opens the database, logs the --user in with a passphrase from the terminal or
 * --passphrase-fd, and leaves every rule (roles, audit) to the core. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "assess.h"
#include "assess_salvage.h"
#include "clock.h"
#include "audit.h"
#include "engine.h"
#include "intake_finish.h"
#include "maintenance.h"
#include "records.h"
#include "counselors.h"
#include "secret.h"
#include "cli.h"
#include "cmd_common.h"
#include "cmd_progress.h"
#include "passphrase.h"

#define ERR_SIZE 1024

int cmd_init(const cli_args *a) {
    if (a->argc != 0) {
        fprintf(stderr, "usage: triage --user NAME init\n");
        return EXIT_BADINPUT;
    }
    if (!a->user) {
        fprintf(stderr, "triage init: name the first supervisor with --user NAME\n");
        return EXIT_BADINPUT;
    }
    ctx c;
    int status = open_ctx(a, &c, true, false);
    if (status != EXIT_OK) return status;
    error err = {0};
    char prompt[160];
    char *pass;
    size_t len;
    snprintf(prompt, sizeof prompt, "New passphrase for %.64s (at least %d characters): ", a->user, VAULT_PASSPHRASE_MIN);
    if (!passphrase_read(a->passphrase_fd, prompt, true, &pass, &len, &err)) return fail(&c, err.msg, EXIT_BADINPUT);
    bool ok = db_initialise(&c.db, a->user, pass, len, &err);
    secret_free(pass);
    if (!ok) return fail(&c, err.msg, EXIT_BADINPUT);
    if (c.e.cfg.demo && !db_mark_demo(&c.db, &err)) return fail(&c, err.msg, EXIT_RUNTIME);
    printf("created %s with supervisor %s\n", c.db.name, a->user);
    ctx_close(&c);
    return EXIT_OK;
}

static int user_add(const cli_args *a, ctx *c) {
    const char *name = NULL, *role_text = NULL;
    for (int i = 1; i < a->argc; i++) {
        if (strcmp(a->argv[i], "--role") == 0 && i + 1 < a->argc) role_text = a->argv[++i];
        else if (!name) name = a->argv[i];
        else name = NULL, i = a->argc;
    }
    staff_role role;
    if (!name || !role_text || !staff_role_parse(role_text, &role)) {
        fprintf(stderr, "usage: triage user add NAME --role reception|clinician|supervisor\n");
        return EXIT_BADINPUT;
    }
    error err = {0};
    char prompt[160];
    char *pass;
    size_t len;
    snprintf(prompt, sizeof prompt, "New passphrase for %.64s (at least %d characters): ", name, VAULT_PASSPHRASE_MIN);
    if (!passphrase_read(a->passphrase_fd, prompt, true, &pass, &len, &err)) {
        fprintf(stderr, "triage: %s\n", err.msg);
        return EXIT_BADINPUT;
    }
    bool ok = staff_add(c->s, name, role, pass, len, &err);
    secret_free(pass);
    if (!ok) {
        fprintf(stderr, "triage: %s\n", err.msg);
        return EXIT_BADINPUT;
    }
    printf("added %s (%s)\n", name, staff_role_name(role));
    return EXIT_OK;
}

static int user_list(ctx *c) {
    staff_rec *list = NULL;
    int n = 0;
    error err = {0};
    if (!staff_list_all(c->s, &list, &n, &err)) {
        fprintf(stderr, "triage: %s\n", err.msg);
        return cli_exit_for(&err);
    }
    for (int i = 0; i < n; i++)
        printf("%-20s %-10s %s%s\n", list[i].name, staff_role_name(list[i].role), list[i].locked ? "locked" : "active",
               list[i].failed_logins ? " (recent failed logins)" : "");
    free(list);
    return EXIT_OK;
}

int cmd_user(const cli_args *a) {
    const char *sub = a->argc ? a->argv[0] : "";
    bool known = !strcmp(sub, "add") || !strcmp(sub, "passwd") || !strcmp(sub, "lock") || !strcmp(sub, "unlock") ||
                 !strcmp(sub, "role") || !strcmp(sub, "list") || !strcmp(sub, "remove");
    if (!known) {
        fprintf(stderr, "usage: triage --user ME user add NAME --role ROLE | passwd [NAME] | lock NAME | unlock NAME | "
                        "role NAME ROLE | remove NAME | list\n");
        return EXIT_BADINPUT;
    }
    error err = {0};
    ctx c;
    if (!strcmp(sub, "passwd") && (a->argc == 1 || (a->user && !strcmp(a->argv[1], a->user)))) {
        /* your own passphrase: the old one, then the new one */
        if (!a->user) {
            fprintf(stderr, "triage: which staff member? give --user NAME\n");
            return EXIT_BADINPUT;
        }
        int status = open_ctx(a, &c, false, false);
        if (status != EXIT_OK) return status;
        char *old_pass = NULL, *new_pass = NULL;
        size_t ol = 0, nl = 0;
        bool ok = passphrase_read(a->passphrase_fd, "Current passphrase: ", false, &old_pass, &ol, &err) &&
                  passphrase_read(a->passphrase_fd, "New passphrase: ", true, &new_pass, &nl, &err) &&
                  staff_change_passphrase(&c.db, a->user, old_pass, ol, new_pass, nl, &err);
        secret_free(old_pass);
        secret_free(new_pass);
        if (!ok) return fail(&c, err.msg, EXIT_BADINPUT);
        printf("passphrase changed for %s\n", a->user);
        ctx_close(&c);
        return EXIT_OK;
    }
    int status = open_ctx(a, &c, false, true);
    if (status != EXIT_OK) return status;
    bool ok = true;
    if (!strcmp(sub, "add")) status = user_add(a, &c);
    else if (!strcmp(sub, "list")) status = user_list(&c);
    else if (a->argc < 2) {
        fprintf(stderr, "usage: triage user %s NAME%s\n", sub, !strcmp(sub, "role") ? " ROLE" : "");
        status = EXIT_BADINPUT;
    } else if (!strcmp(sub, "remove")) {
        ok = staff_remove(c.s, a->argv[1], &err);
        if (ok) printf("%s removed: the account is locked and its keys destroyed\n", a->argv[1]);
    } else if (!strcmp(sub, "lock") || !strcmp(sub, "unlock")) {
        ok = staff_set_locked(c.s, a->argv[1], !strcmp(sub, "lock"), &err);
        if (ok) printf("%s %sed\n", a->argv[1], sub);
    } else if (!strcmp(sub, "role")) {
        staff_role role;
        if (a->argc != 3 || !staff_role_parse(a->argv[2], &role)) {
            fprintf(stderr, "usage: triage user role NAME reception|clinician|supervisor\n");
            status = EXIT_BADINPUT;
        } else if ((ok = staff_set_role(c.s, a->argv[1], role, &err))) {
            printf("%s is now %s\n", a->argv[1], staff_role_name(role));
        }
    } else { /* passwd NAME: a supervisor resets someone else's */
        char *pass;
        size_t len;
        char prompt[160];
        snprintf(prompt, sizeof prompt, "New passphrase for %.64s: ", a->argv[1]);
        ok = passphrase_read(a->passphrase_fd, prompt, true, &pass, &len, &err);
        if (ok) {
            ok = staff_reset_passphrase(c.s, a->argv[1], pass, len, &err);
            secret_free(pass);
        }
        if (ok) printf("passphrase reset for %s\n", a->argv[1]);
    }
    if (!ok) {
        fprintf(stderr, "triage: %s\n", err.msg);
        status = EXIT_BADINPUT;
    }
    ctx_close(&c);
    return status;
}

int cmd_roster(const cli_args *a) {
    bool import = a->argc == 2 && !strcmp(a->argv[0], "import"), list = a->argc == 1 && !strcmp(a->argv[0], "list");
    if (!import && !list) {
        fprintf(stderr, "usage: triage --user ME roster import FILE.ini | roster list\n");
        return EXIT_BADINPUT;
    }
    ctx c;
    int status = open_ctx(a, &c, false, true);
    if (status != EXIT_OK) return status;
    error err = {0};
    if (import) {
        diag d = {0};
        int n;
        bool ok = roster_import(c.s, &c.e.needs, a->argv[1], &n, &d, &err);
        diag_print(&d, stderr);
        diag_free(&d);
        if (!ok) return fail(&c, err.msg, EXIT_BADINPUT);
        printf("imported %d counselors from %s\n", n, a->argv[1]);
    } else {
        counselor_rec *rs = NULL;
        int n = 0;
        if (!roster_list(&c.db, &rs, &n, &err)) return fail(&c, err.msg, EXIT_RUNTIME);
        for (int i = 0; i < n; i++)
            printf("%-6s %-24s %-7s %-8s %-9s %3d/%-3d %s\n", rs[i].code, rs[i].name, rs[i].gender, rs[i].languages,
                   rs[i].high_risk ? "high-risk" : "", rs[i].caseload, rs[i].capacity,
                   rs[i].available ? "" : "unavailable");
        free(rs);
    }
    ctx_close(&c);
    return EXIT_OK;
}

static const char *json_str(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A key of "client" other than name, phone and birth_date (receptionist round 30: "Phone" was dropped without a word,
 * and a RED caller's call-back number with it). */
static bool unknown_client_key(json_t *client, error *err) {
    const char *key;
    json_t *v;
    json_object_foreach(client, key, v) {
        if (!strcmp(key, "name") || !strcmp(key, "phone") || !strcmp(key, "birth_date")) {
            if (json_is_string(v) || json_is_null(v)) continue;
            error_set(err, ERR_INPUT, "client.%s: a string: nothing was saved", key);
            return true;
        }
        error_set(err, ERR_INPUT, "client.%s: not a field of a client (name, phone, birth_date; the names are lower-case): "
                                  "nothing was saved", key);
        return true;
    }
    return false;
}

/* The client and the record of an intake file, checked: false when they are sound. */
static bool record_refused(const engine *e, json_t *root, json_t *client, const char *name, error *err) {
    if (!json_is_object(client) || !name)
        error_set(err, ERR_INPUT, "client.name: required (\"client\":{\"name\":..,\"phone\":..,\"birth_date\":..})");
    else if (unknown_client_key(client, err))
        ;
    /* a birth date the wizard would refuse (seventeenth outside integrator: 1990-13-45 was saved) */
    else if (json_str(client, "birth_date") && *json_str(client, "birth_date") &&
             (!clock_date_valid(json_str(client, "birth_date")) || age_at(json_str(client, "birth_date"), clock_now()) < 0))
        error_set(err, ERR_INPUT, "client.birth_date: a date YYYY-MM-DD, not in the future: nothing was saved");
    else if (json_object_get(root, "record") && !json_is_object(json_object_get(root, "record")))
        error_set(err, ERR_INPUT, "record: must be an object such as {\"channel\":\"phone\",\"age\":34}");
    else if (!intake_record_check(e, json_object_get(root, "record"), err))
        ;
    else
        return false;
    return true;
}

/* Before a refusal of an intake whose answers were read: the level they would give when it is orange or red, and
 * why, from core, so that a script's operator sees the risk first. */
static void safety_first_line(const engine *e, const assess_input *in) {
    char *line = assess_safety_warning(e, in);
    if (line) fprintf(stderr, "%s\n", line);
    free(line);
}

int cmd_intake(const cli_args *a) {
    if (a->argc != 2 || strcmp(a->argv[0], "new") != 0) {
        fprintf(stderr, "usage: triage --user ME intake new FILE|-\n");
        return EXIT_BADINPUT;
    }
    const char *path = a->argv[1];
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "triage intake: %s: cannot be read: %s\n", path, strerror(errno));
        return EXIT_BADINPUT;
    }
    static char text[ASSESS_MAX_INPUT + 1];
    size_t len = fread(text, 1, sizeof text, fp);
    if (fp != stdin) fclose(fp);
    const char *where = strcmp(path, "-") == 0 ? "<stdin>" : path;
    error err = {0};
    json_t *root = assess_load_json(text, len, &err);
    if (!root) {
        fprintf(stderr, "triage intake: %s: %s\n", where, err.msg);
        return EXIT_BADINPUT;
    }
    ctx c;
    int status = open_ctx(a, &c, false, true);
    assess_input *in = status == EXIT_OK ? malloc(sizeof *in) : NULL;
    static const char *const extra[] = {"client", "notes", "record", NULL};
    json_t *client = json_object_get(root, "client");
    const char *name = json_str(client, "name"), *phone = json_str(client, "phone"), *birth = json_str(client, "birth_date");
    const char *notes = json_str(root, "notes");
    if (status != EXIT_OK) {
    } else if (!in) {
        fprintf(stderr, "triage intake: out of memory\n");
        status = EXIT_RUNTIME;
    } else if (!assess_parse_value(&c.e, root, extra, in, &err)) { /* a misspelt field named first ("cleint") */
        if (assess_salvage(&c.e, root, extra, in)) safety_first_line(&c.e, in);
        fprintf(stderr, "triage intake: %s: %s\n", where, err.msg);
        status = EXIT_BADINPUT;
    } else if (record_refused(&c.e, root, client, name, &err)) {
        /* the answers were read: a refusal for the client or the record says first what they hold (sixteenth outside
         * integrator: item 9 "nearly every day" refused for record.callback said nothing of the risk) */
        safety_first_line(&c.e, in);
        fprintf(stderr, "triage intake: %s: %s\n", where, err.msg);
        status = EXIT_BADINPUT;
    } else {
        roster r;
        c.e.has_roster = roster_from_db(&c.db, &c.e.needs, &r, &err);
        if (!c.e.has_roster) fprintf(stderr, "triage intake: %s (saving without counselor suggestions)\n", err.msg);
        else c.e.roster = r;
        /* identity is sealed in the client record and notes apart; the intake-form answers such as channel
         * and age go with the body; the one core use case finishes and saves it as every way in does */
        intake_subject who = {NULL, name, phone, birth, notes, json_object_get(root, "record"), c.e.cfg.ui_lang, false, false,
                              LEVEL_GREEN, NULL};
        intake_saved saved;
        bool ok = intake_finish(c.s, &c.e, in, &who, &saved, &err);
        json_t *result = saved.assessment;
        if (ok) {
            const char *suggested = json_str(json_array_get(json_object_get(result, "matches"), 0), "id");
            json_t *out = json_object();
            json_object_set_new(out, "intake_id", json_string(saved.intake_id));
            json_object_set_new(out, "client_id", json_string(saved.client_id));
            json_object_set_new(out, "level", json_string(risk_level_name(saved.level)));
            json_object_set(out, "reasons", json_object_get(result, "reasons"));
            json_object_set_new(out, "suggested", suggested ? json_string(suggested) : json_null());
            char *s = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER);
            puts(s);
            secret_free(s);
            json_decref(out);
        } else {
            fprintf(stderr, "triage intake: %s\n", err.msg);
            status = cli_exit_for(&err);
        }
        json_decref(result);
    }
    free(in);
    json_decref(root);
    secret_wipe(text, len);
    ctx_close(&c);
    return status;
}

int cmd_client(const cli_args *a) {
    if (a->argc >= 1 && !strcmp(a->argv[0], "erase")) return cmd_client_erase(a);
    bool as_json = a->argc == 3 && !strcmp(a->argv[2], "--json");
    if ((a->argc != 2 && !as_json) || strcmp(a->argv[0], "find") != 0) {
        fprintf(stderr, "usage: triage --user ME client find TEXT [--json]\n");
        return EXIT_BADINPUT;
    }
    ctx c;
    int status = open_ctx(a, &c, false, true);
    if (status != EXIT_OK) return status;
    error err = {0};
    client_plain *list;
    int n;
    if (!client_find(c.s, a->argv[1], &list, &n, &err))
        return fail(&c, err.msg, cli_exit_for(&err));
    if (as_json) {
        json_t *arr = json_array();
        for (int i = 0; i < n; i++) {
            json_t *o = json_object();
            json_object_set_new(o, "id", json_string(list[i].id));
            json_object_set_new(o, "name", json_string(list[i].name));
            json_object_set_new(o, "phone", json_string(list[i].phone));
            json_object_set_new(o, "birth_date", json_string(list[i].birth));
            json_object_set_new(o, "created_at", json_integer(list[i].created_at));
            json_array_append_new(arr, o);
        }
        char *s = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
        puts(s);
        secret_free(s); /* names and phones in clear */
        json_decref(arr);
    } else {
        for (int i = 0; i < n; i++) printf("%s  %s  %s  %s\n", list[i].id, list[i].name, list[i].phone, list[i].birth);
        if (n == 0) printf("no client found\n");
    }
    client_list_free(list, n);
    ctx_close(&c);
    return EXIT_OK;
}

int cmd_verify(const cli_args *a) {
    const char *checkpoint = NULL;
    if (a->argc == 2 && !strcmp(a->argv[0], "--checkpoint")) checkpoint = a->argv[1];
    else if (a->argc != 0) {
        fprintf(stderr, "usage: triage --user ME verify [--checkpoint SEQ:HASH]\n");
        return EXIT_BADINPUT;
    }
    ctx c;
    int status = open_ctx(a, &c, false, true);
    if (status != EXIT_OK) return status;
    error err = {0};
    verify_report r;
    cmd_progress pr;
    cmd_progress_attach(&pr, c.s, "verify");
    bool verified = db_verify(c.s, &r, &err);
    cmd_progress_end(&pr, c.s);
    if (r.scratch_swept) /* said, not only audited: the person may have been looking for those files */
        fprintf(stderr, "removed %d leftover scratch copy(ies) of an interrupted restore beside the database\n",
                r.scratch_swept);
    if (!verified) return fail(&c, err.msg, cli_exit_for(&err));
    if (!r.ok) return fail(&c, r.problem, EXIT_RUNTIME);
    if (checkpoint) {
        long long seq;
        char hex[2 * VAULT_MAC_BYTES + 2] = "";
        if (sscanf(checkpoint, "%lld:%65s", &seq, hex) != 2 || strlen(hex) != 2 * VAULT_MAC_BYTES)
            return fail(&c, "--checkpoint takes SEQ:HASH as printed by `triage audit checkpoint`", EXIT_BADINPUT);
        if (!audit_check_checkpoint(&c.db, seq, hex, &err)) return fail(&c, err.msg, cli_exit_for(&err));
    }
    printf("sound: integrity check passed, %lld sealed fields open, %lld audit entries chained, %lld row MACs verified%s\n",
           (long long)r.sealed_checked, (long long)r.audit.entries, (long long)r.rows_checked,
           checkpoint ? ", checkpoint matches" : "");
    /* what the trail's signatures vouch for, and what they cannot */
    printf("audit: %lld signed by their writers, %lld from before signatures (MAC-sealed), %lld written without a "
           "login (unauthenticated)%s%s\n",
           (long long)r.audit.signed_entries, (long long)r.audit.legacy, (long long)r.audit.unauthenticated,
           r.audit.unauthenticated ? ": entries " : "", r.audit.unauth_where);
    if (r.audit.unpinned) /* their table key is trusted until they log in (README: threat model) */
        printf("audit: %lld member(s) have no public key in the signed trail yet (%s): each pins theirs at their next "
               "login; until then a rotation seals to the staff table's key: have them log in\n",
               (long long)r.audit.unpinned, r.audit.unpinned_names);
    if (r.audit.tamper_recorded) /* what desks found and recorded, signed: the trail itself is sound now */
        printf("audit: %lld entr%s record tampering a desk found, the newest entry %lld (%s): look at what %s\n",
               (long long)r.audit.tamper_recorded, r.audit.tamper_recorded == 1 ? "y" : "ies",
               (long long)r.audit.tamper_newest_seq, r.audit.tamper_newest,
               r.audit.tamper_recorded == 1 ? "it names" : "they name");
    if (r.audit.backwards)
        printf("audit: time goes backwards at %lld entr%s, first at entry %lld (a clock set back, or entries backdated)\n",
               (long long)r.audit.backwards, r.audit.backwards == 1 ? "y" : "ies", (long long)r.audit.first_backwards);
    ctx_close(&c);
    return EXIT_OK;
}

int cmd_audit(const cli_args *a) {
    if (a->argc != 1 || strcmp(a->argv[0], "checkpoint") != 0) {
        fprintf(stderr, "usage: triage audit checkpoint\n");
        return EXIT_BADINPUT;
    }
    ctx c;
    int status = open_ctx(a, &c, false, false);
    if (status != EXIT_OK) return status;
    error err = {0};
    char hex[2 * VAULT_MAC_BYTES + 1];
    int64_t seq;
    if (!audit_checkpoint(&c.db, &seq, hex, &err)) return fail(&c, err.msg, EXIT_RUNTIME);
    printf("%lld:%s\n", (long long)seq, hex);
    ctx_close(&c);
    return EXIT_OK;
}

int cmd_backup(const cli_args *a) {
    if (a->argc != 1) {
        fprintf(stderr, "usage: triage --user ME backup FILE\n");
        return EXIT_BADINPUT;
    }
    ctx c;
    int status = open_ctx(a, &c, false, true);
    if (status != EXIT_OK) return status;
    error err = {0};
    cmd_progress pr;
    cmd_progress_attach(&pr, c.s, "backup");
    bool copied = db_backup(c.s, a->argv[0], &err);
    cmd_progress_end(&pr, c.s);
    if (!copied) return fail(&c, err.msg, cli_exit_for(&err));
    printf("backed up to %s\n", a->argv[0]);
    ctx_close(&c);
    return EXIT_OK;
}

int cmd_restore(const cli_args *a) {
    /* BACKUP [--accept-loss "REASON"]: the reason is the supervisor's, audited with what it lowers */
    const char *backup = NULL, *accept_loss = NULL;
    bool usage = false;
    for (int i = 0; i < a->argc && !usage; i++) {
        if (strcmp(a->argv[i], "--accept-loss") == 0) {
            if (i + 1 < a->argc && !accept_loss) accept_loss = a->argv[++i];
            else usage = true;
        } else if (!backup) backup = a->argv[i];
        else usage = true;
    }
    if (usage || !backup) {
        fprintf(stderr, "usage: triage --user ME restore BACKUP [--accept-loss \"REASON\"]\n");
        return EXIT_BADINPUT;
    }
    ctx c;
    int status = open_ctx(a, &c, false, true);
    if (status != EXIT_OK) return status;
    error err = {0};
    restore_result r;
    /* all or nothing: a restore that failed changed nothing (db_restore) */
    bool restored = db_restore(c.s, c.have_engine ? &c.e : NULL, backup, accept_loss, &r, &err);
    if (r.scratch_swept)
        fprintf(stderr, "removed %d leftover scratch copy(ies) of an interrupted restore beside the database\n",
                r.scratch_swept);
    if (!restored) return fail(&c, err.msg, cli_exit_for(&err));
    if (r.upgraded_from) /* made before a schema upgrade: its private copy was upgraded first (audited) */
        printf("the backup had schema version %" PRId64 " (an older triage): a private copy of it was upgraded first, "
               "as a first open after an update does; the backup itself was not changed\n", r.upgraded_from);
    /* counted truly (fifth tryout: "0 ... erased again" when the clients erased since were created after it) */
    printf("restored from %s (verified first); %d client(s) the backup held and erased since it erased again\n",
           backup, r.erased_again);
    if (r.erased_new)
        printf("%d client(s) created after the backup and erased since were not in it (they stay erased)\n",
               r.erased_new);
    if (r.unread[0]) /* restored over a damaged file: what of it was lost unread (audited: restore_accept_loss) */
        printf("the live database was damaged: %s could not be read and were not carried forward\n", r.unread);
    else if (r.live_damaged) /* said even when all that mattered could be read (tryout 3: it went unmentioned) */
        printf("the live database was damaged (it failed its integrity check; the backup's content replaced it, and "
               "the intakes gone are counted from the audit trail where the live file could not be read)\n");
    if (r.staff_undone) /* named: each must be made again by hand (audited: restore_accept_loss) */
        printf("%d staff change(s) made after the backup undone: %s; make them again\n", r.staff_undone, r.staff);
    if (r.drafts_lost) /* every unfinished intake lost is said; those at red or orange took --accept-loss */
        printf("%d unfinished intake(s) (drafts) saved or changed after the backup removed or set back to the "
               "backup's version%s%s\n", r.drafts_lost, r.drafts_at_risk ? "; those at red or orange, accepted with "
               "the reason given (audited: restore_accept_loss), must be taken again: " : "", r.drafts);
    if (r.items_lowered)
        printf("%d open queue item(s) lowered or dropped, accepted with the reason given (audited: restore_accept_loss)\n",
               r.items_lowered);
    /* what the restore replaced, said rather than lost silently: the trail keeps it as restored_over */
    printf("%d audit entr%s written after the backup kept in the trail as restored_over; %d intake(s) saved after "
           "the backup are no longer in the database (restore %" PRId64 ")\n",
           r.entries_carried, r.entries_carried == 1 ? "y" : "ies", r.intakes_gone, r.generation);
    if (r.intakes_erased) /* erased on purpose before the restore: not lost by it, and they stay erased */
        printf("%d intake(s) saved after the backup had been erased before the restore (they stay erased)\n",
               r.intakes_erased);
    ctx_close(&c);
    return EXIT_OK;
}

int cmd_rekey(const cli_args *a) {
    if (a->argc != 0) {
        fprintf(stderr, "usage: triage --user ME rekey\n");
        return EXIT_BADINPUT;
    }
    ctx c;
    int status = open_ctx(a, &c, false, true);
    if (status != EXIT_OK) return status;
    error err = {0};
    cmd_progress pr;
    cmd_progress_attach(&pr, c.s, "rekey");
    bool rotated = db_rekey(c.s, &err);
    cmd_progress_end(&pr, c.s);
    if (!rotated) return fail(&c, err.msg, cli_exit_for(&err));
    printf("data key rotated: every sealed field re-sealed\n");
    ctx_close(&c);
    return EXIT_OK;
}
