/* triage: entry point. Parses the global options and runs a subcommand. The interactive front desk
 * (the ncurses TUI) is not built yet; until then the subcommands are the whole program. */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "secret.h"
#include "util.h"
#include "cli.h"
#include "ui.h"

#ifndef TRIAGE_VERSION
#define TRIAGE_VERSION "0.1.0"
#endif

static const char usage[] =
    "Usage: triage [--config FILE] [--db PATH] [--user NAME] [--no-color]   (the front desk)\n"
    "       triage [--config FILE] [--db PATH] [--user NAME] [--passphrase-fd N] COMMAND [ARGS]\n"
    "\n"
    "triage helps the front desk of a counseling centre or crisis line walk a client through\n"
    "structured questionnaires, see their risk level live with reasons, and suggest a counselor.\n"
    "\n"
    "Without a command, triage opens the front desk in the terminal: log in, the queues at a glance,\n"
    "the intake wizard with the live risk panel, the escalation queues with every transition a key away,\n"
    "client records, and (supervisors) the roster and staff (press ? or F1 there for the keys).\n"
    "\n"
    "Commands:\n"
    "  score FORM ANSWER...    score one questionnaire and print JSON {form,total,band,flags}\n"
    "                          (ASQ answers: yes, no or refused; PHQ-9/GAD-7: 0 1 2 3)\n"
    "  assess FILE|-           read an assessment as JSON, print level, reasons, scores and the\n"
    "                          best-fitting counselors as JSON; nothing is stored\n"
    "  forms check [DIR]       validate every form file (default: the configured forms directory)\n"
    "  forms list              list the loaded forms with their versions and sources\n"
    "  forms export --fhir DIR write each form as a FHIR R4 SDC Questionnaire (DIR/ID.json)\n"
    "  config check            load and check everything (configuration, forms, risk rules,\n"
    "                          matching weights, roster) and say which configuration file is used\n"
    "                          (warns on sample [placeholders] left in the safety steps)\n"
    "\n"
    "Records (encrypted database; these ask for the passphrase of --user):\n"
    "  init                    create the database and its first supervisor (--user)\n"
    "  user add NAME --role R  add staff; R is reception, clinician or supervisor\n"
    "  user passwd [NAME]      change your passphrase; a supervisor naming someone resets theirs\n"
    "  user lock NAME          lock an account (supervisors); user unlock NAME unlocks it\n"
    "  user role NAME ROLE     change someone's role (supervisors)\n"
    "  user remove NAME        remove a staff member for good: locked, keys destroyed (supervisors)\n"
    "  user list               list staff, roles and locks\n"
    "  roster import FILE      add or update counselors from a roster file (supervisors)\n"
    "  roster list             list the counselors in the database\n"
    "  intake new FILE|-       save a client and a completed intake from assess JSON plus\n"
    "                          \"client\":{\"name\",\"phone\",\"birth_date\"} and \"record\":{\"channel\",\"age\",...}\n"
    "                          (codes the intake form takes); prints ids, level, reasons\n"
    "  client find TEXT        find clients by name, a word of the name, or phone (--json)\n"
    "  verify                  integrity check, open every sealed field, check every row MAC (the\n"
    "                          levels and deadlines in clear), walk the audit chain\n"
    "                          (--checkpoint SEQ:HASH also checks an earlier checkpoint)\n"
    "  audit checkpoint        print the audit sequence and head hash, to keep elsewhere\n"
    "  backup FILE             online copy of the database while desks keep working\n"
    "  restore FILE [--accept-loss \"REASON\"]\n"
    "                          the one way to restore a backup (supervisors): checked first (verify,\n"
    "                          schema version; the backup only read; an older triage's backup is\n"
    "                          upgraded on a private copy first), written in under the write lock\n"
    "                          while desks stay open (they see it at their next poll and say so),\n"
    "                          erasures since re-applied, later audit entries kept as restored_over,\n"
    "                          intakes now gone counted; never copy or move a file over the database;\n"
    "                          refused (audited) when it would lower an open queue item raised after\n"
    "                          the backup or drop a red/orange one saved after it, naming them, unless\n"
    "                          --accept-loss \"REASON\" (audited with the list); the same for staff\n"
    "                          changes since the backup it would undo, and for red/orange unfinished\n"
    "                          intakes saved after it it would remove; open desks log in again;\n"
    "                          a damaged live database is repaired (--accept-loss when part of it\n"
    "                          cannot be read); another database's backup is refused, naming it\n"
    "  rekey                   rotate the data key: every client's own key and every value under the\n"
    "                          data key re-sealed (supervisors)\n"
    "\n"
    "Escalation queues (listing and tick need no login):\n"
    "  queue [--level L] [--overdue] [--limit N] [--json]\n"
    "                          open items by urgency then deadline, with time left or overdue;\n"
    "                          with --user each row's MAC is checked: an edited row shows TAMPERED\n"
    "  queue tick              escalate overdue items (safe from cron, any frequency, any desk)\n"
    "  queue ack ID            a person has seen it\n"
    "  queue confirm ID [LEVEL] [--reason TEXT|-]\n"
    "                          a clinician confirms, raises or (with a reason) lowers the level;\n"
    "                          red: the evaluation, its outcome as the reason\n"
    "  queue raise ID LEVEL    anyone raises the level at any time\n"
    "  queue assign ID COUNSELOR\n"
    "                          a counselor accepted\n"
    "  queue contact ID reached|not-reached\n"
    "                          a contact attempt, saying whether it got through; only a client\n"
    "                          reached is contacted, attempts count toward unreachable\n"
    "  queue decline ID [COUNSELOR] --reason TEXT|-\n"
    "                          the client declined the suggestion (three in a row, assignments\n"
    "                          between them too: match by hand)\n"
    "  queue close ID OUTCOME [--reason TEXT|-]\n"
    "                          first_session, declined, referred, unreachable or duplicate;\n"
    "                          an orange or red item only with a note of what became of the client\n"
    "\n"
    "Outcomes, reports, export and erasure:\n"
    "  report [--from DATE] [--to DATE] [--json|--csv]\n"
    "                          outcome KPIs per level, channel, concern, age band, counselor and\n"
    "                          stage; groups under [reports] k_floor shown as <k (clinicians, supervisors)\n"
    "  report --validation [--from DATE] [--to DATE] [--json|--csv]\n"
    "                          triage's level against the level a clinician confirmed: confusion matrix,\n"
    "                          PPV and sensitivity per level with 95% Wilson intervals, under-triage\n"
    "  outcome session CLIENT|ITEM --date DATE --attended yes|no [--counselor CODE]\n"
    "                          record a session attended or missed (clinicians, supervisors)\n"
    "  outcome show CLIENT|ITEM [--json]\n"
    "                          level confirmed, first session, sessions, closing, lifecycle stage\n"
    "  export --format csv|json|fhir [--from DATE] [--to DATE] [--deidentify] [--bom]\n"
    "         [--dictionary FILE] --out FILE\n"
    "                          intakes to a new file (mode 0600); FHIR R4 Bundle with LOINC codes;\n"
    "                          --deidentify: no names, phones, birth dates; keyed pseudonyms (supervisors)\n"
    "                          and every client's dates moved by a secret number of days\n"
    "                          and intakes of a combination rarer than [reports] export_k withheld\n"
    "                          (counted over the whole database: the same in every export); two\n"
    "                          exports of overlapping ranges reveal the rows of the days between\n"
    "                          them, so release de-identified exports for closed periods only\n"
    "  import fhir FILE|- [--client ID [--accept-patient-mismatch]] [--accept-own-export]\n"
    "                          QuestionnaireResponses scored with triage's forms and queued as intakes;\n"
    "                          any response that does not fit: nothing imported, every problem named;\n"
    "                          a response imported before is not saved again (with other answers, an\n"
    "                          amended one: a new intake that amends the earlier one, audited);\n"
    "                          with --client, a Patient\n"
    "                          of the file that is someone else is refused (--accept-patient-mismatch);\n"
    "                          a de-identified export of this same database is refused: its intakes\n"
    "                          are here already and would count twice (--accept-own-export)\n"
    "  client erase CLIENT_ID  erase a client's personal data and answers for good (supervisors)\n"
    "  retention [apply]       show (apply: erase) drafts and closed records past [retention]\n"
    "\n"
    "verify, rekey, export, import, backup and retention apply show their progress (a count and the\n"
    "time left) on stderr when it is a terminal; nothing in a pipe or a file.\n"
    "\n"
    "Options:\n"
    "  --config FILE   use this configuration file (else $TRIAGE_CONFIG, then\n"
    "                  $XDG_CONFIG_HOME/triage/config.ini, then /etc/triage/config.ini, then the\n"
    "                  built-in defaults)\n"
    "  --db PATH|URL   the database: a path or sqlite:PATH (else [store] db_path, else\n"
    "                  $XDG_DATA_HOME/triage/triage.db)\n"
    "  --user NAME     the staff member acting\n"
    "  --passphrase-fd N  read passphrases from file descriptor N, one per line (for scripts);\n"
    "                  otherwise they are asked on the terminal with echo off\n"
    "  --keys          list the front desk's keys (the same table as its help overlay)\n"
    "  --no-color      monochrome screens (also when NO_COLOR is set or the terminal has no colour)\n"
    "  -h, --help      show this help\n"
    "  -V, --version   show the version\n"
    "\n"
    "Environment:\n"
    "  TRIAGE_CONFIG   configuration file, when --config is not given\n"
    "  TRIAGE_NOW      test build only (./triage-test): fix the clock (ISO-8601 UTC such as\n"
    "                  2026-11-24T09:00:00Z, or epoch seconds); the release build refuses to run with it set\n"
    "  TRIAGE_SCRIPT   run the front desk headless from a script of keys (type TEXT, key NAME,\n"
    "                  dump FILE, resize COLS ROWS, mark LABEL): for tests\n"
    "  TRIAGE_KEYCOUNT with TRIAGE_SCRIPT: the file each mark LABEL appends the key presses to (bench)\n"
    "  NO_COLOR        monochrome screens\n"
    "\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n"
    "";

/* The value of an option that takes one (--opt VALUE or --opt=VALUE); NULL when absent. */
static const char *option_value(int argc, char **argv, int *i, const char *name, bool *bad) {
    size_t n = strlen(name);
    const char *arg = argv[*i];
    if (strncmp(arg, name, n) != 0) return NULL;
    if (arg[n] == '=') return arg + n + 1;
    if (arg[n] != '\0') return NULL;
    if (*i + 1 >= argc) {
        fprintf(stderr, "triage: %s needs a value\n", name);
        *bad = true;
        return NULL;
    }
    return argv[++*i];
}

/* Data files (forms/, assets/) sit beside the binary in a source tree. */
static void find_program_dir(void) {
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return;
    *slash = '\0';
    config_set_program_dir(exe);
}

/* `triage COMMAND ... --help`: the help's lines for that command, before anything opens a database or reads a
 * configuration, so that it is printed whatever state they are in (a missing directory printed only the
 * error: restore tryout). Its lines are the ones of the usage text that begin with the command's name, with
 * the indented lines that continue each. False when no argument asks for help. */
static bool command_help(const char *cmd, int argc, char **argv) {
    bool asked = false;
    for (int i = 0; i < argc && !asked; i++) asked = strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0;
    if (!asked) return false;
    size_t cl = strlen(cmd);
    bool in = false, any = false;
    for (const char *line = usage; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
        bool cont = len > 26 && strncmp(line, "                          ", 26) == 0;
        bool starts = len > cl + 2 && strncmp(line, "  ", 2) == 0 && strncmp(line + 2, cmd, cl) == 0 &&
                      (line[2 + cl] == ' ' || line[2 + cl] == '\n');
        /* a line of another command that only continues the usage ("  outcome show ...", "         [--dictionary") */
        bool more_usage = in && !cont && len > 9 && strncmp(line, "         ", 9) == 0;
        in = starts || (in && (cont || more_usage));
        if (in) {
            fwrite(line, 1, len, stdout);
            any = true;
        }
        line += len;
    }
    if (!any) return false;
    printf("\nOptions before the command: --config FILE, --db PATH, --user NAME, --passphrase-fd N "
           "(triage --help says more; man triage).\n");
    return true;
}

int main(int argc, char **argv) {
    secret_harden_process();
    cli_args a = {0};
    a.passphrase_fd = -1;
    int i = 1;
    bool bad = false;
    for (; i < argc; i++) {
        const char *arg = argv[i], *v;
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(usage, stdout);
            return EXIT_OK;
        } else if (strcmp(arg, "-V") == 0 || strcmp(arg, "--version") == 0) {
            printf("triage %s\n", TRIAGE_VERSION);
            return EXIT_OK;
        } else if ((v = option_value(argc, argv, &i, "--config", &bad))) {
            a.config_path = v;
        } else if ((v = option_value(argc, argv, &i, "--db", &bad))) {
            a.db_path = v;
        } else if ((v = option_value(argc, argv, &i, "--user", &bad))) {
            a.user = v;
        } else if ((v = option_value(argc, argv, &i, "--passphrase-fd", &bad))) {
            long fd;
            if (!parse_int(v, 0, 1 << 20, &fd)) {
                fprintf(stderr, "triage: --passphrase-fd needs a file descriptor number\n");
                return EXIT_BADINPUT;
            }
            a.passphrase_fd = (int)fd;
        } else if (strcmp(arg, "--keys") == 0) {
            for (int k = 0; k < n_key_actions; k++) printf("%s\t%s\n", key_actions[k].keys, keyed(key_actions[k].help));
            return EXIT_OK;
        } else if (strcmp(arg, "--no-color") == 0) {
            a.no_color = true;
        } else if (bad) {
            return EXIT_BADINPUT;
        } else if (arg[0] == '-' && arg[1]) {
            char shown[256];
            text_for_display(arg, 40, shown, sizeof shown);
            fprintf(stderr, "triage: unknown option %s (see triage --help)\n", shown);
            return EXIT_BADINPUT;
        } else {
            break;
        }
    }
    /* a command's help needs nothing else to be right: printed before the clock, the configuration or the
     * database are looked at */
    if (i < argc && command_help(argv[i], argc - i - 1, argv + i + 1)) return EXIT_OK;
    const char *bad_now;
    if (!clock_env_absent_or_honoured()) {
        /* never silently: a test or a person who set it must learn that the time is the system's */
        fprintf(stderr, "triage: TRIAGE_NOW is set, but this release build takes the time from the system clock "
                        "only (a fixed clock is for the test build, ./triage-test); unset it\n");
        return EXIT_BADINPUT;
    }
    if (!clock_env_ok(&bad_now)) {
        fprintf(stderr, "triage: TRIAGE_NOW=%s is not ISO-8601 UTC (2026-11-24T09:00:00Z) or epoch seconds\n", bad_now);
        return EXIT_BADINPUT;
    }
    find_program_dir();
    if (i >= argc) return cmd_tui(&a);
    const char *cmd = argv[i];
    a.argc = argc - i - 1;
    a.argv = argv + i + 1;
    static const struct {
        const char *name;
        int (*run)(const cli_args *);
    } commands[] = {{"score", cmd_score},   {"assess", cmd_assess}, {"forms", cmd_forms},   {"config", cmd_config},
                    {"init", cmd_init},     {"user", cmd_user},     {"roster", cmd_roster}, {"intake", cmd_intake},
                    {"client", cmd_client}, {"verify", cmd_verify}, {"audit", cmd_audit},   {"backup", cmd_backup},
                    {"rekey", cmd_rekey},   {"queue", cmd_queue},     {"restore", cmd_restore},
                    {"report", cmd_report}, {"outcome", cmd_outcome}, {"export", cmd_export},
                    {"import", cmd_import}, {"retention", cmd_retention}};
    int status = EXIT_BADINPUT;
    bool found = false;
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++)
        if (strcmp(cmd, commands[c].name) == 0) {
            status = commands[c].run(&a);
            found = true;
        }
    if (!found) {
        char shown[256];
        text_for_display(cmd, 40, shown, sizeof shown);
        fprintf(stderr, "triage: unknown command `%s` (see triage --help)\n", shown);
    }
    config_set_program_dir(NULL);
    return status;
}
