/* triage: entry point. Parses the global options and runs a subcommand. The interactive front desk
 * (the ncurses TUI) is not built yet; until then the subcommands are the whole program. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/clock.h"
#include "../core/config.h"
#include "../core/util.h"
#include "cli.h"

#ifndef TRIAGE_VERSION
#define TRIAGE_VERSION "0.1.0"
#endif

static const char usage[] =
    "Usage: triage [--config FILE] COMMAND [ARGS]\n"
    "\n"
    "triage helps the front desk of a counseling centre or crisis line walk a client through\n"
    "structured questionnaires, see their risk level live with reasons, and suggest a counselor.\n"
    "\n"
    "Commands:\n"
    "  score FORM ANSWER...    score one questionnaire and print JSON {form,total,band,flags}\n"
    "                          (ASQ answers: yes, no or refused; PHQ-9/GAD-7: 0 1 2 3)\n"
    "  assess FILE|-           read an assessment as JSON, print level, reasons, scores and the\n"
    "                          best-fitting counselors as JSON; nothing is stored\n"
    "  forms check [DIR]       validate every form file (default: the configured forms directory)\n"
    "  forms list              list the loaded forms with their versions and sources\n"
    "  config check            load and check everything (configuration, forms, risk rules,\n"
    "                          matching weights, roster) and say which configuration file is used\n"
    "\n"
    "Options:\n"
    "  --config FILE   use this configuration file (else $TRIAGE_CONFIG, then\n"
    "                  $XDG_CONFIG_HOME/triage/config.ini, then /etc/triage/config.ini, then the\n"
    "                  built-in defaults)\n"
    "  -h, --help      show this help\n"
    "  -V, --version   show the version\n"
    "\n"
    "Environment:\n"
    "  TRIAGE_CONFIG   configuration file, when --config is not given\n"
    "  TRIAGE_NOW      fix the clock (ISO-8601 UTC such as 2026-11-24T09:00:00Z, or epoch seconds)\n"
    "\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n"
    "The interactive front desk is not built yet: see README.md for what exists today.\n";

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

int main(int argc, char **argv) {
    cli_args a = {0};
    int i = 1;
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(usage, stdout);
            return EXIT_OK;
        } else if (strcmp(arg, "-V") == 0 || strcmp(arg, "--version") == 0) {
            printf("triage %s\n", TRIAGE_VERSION);
            return EXIT_OK;
        } else if (strcmp(arg, "--config") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "triage: --config needs a file name\n");
                return EXIT_BADINPUT;
            }
            a.config_path = argv[i];
        } else if (strncmp(arg, "--config=", 9) == 0) {
            a.config_path = arg + 9;
        } else if (arg[0] == '-' && arg[1]) {
            char shown[256];
            text_for_display(arg, 40, shown, sizeof shown);
            fprintf(stderr, "triage: unknown option %s (see triage --help)\n", shown);
            return EXIT_BADINPUT;
        } else {
            break;
        }
    }
    const char *bad;
    if (!clock_env_ok(&bad)) {
        fprintf(stderr, "triage: TRIAGE_NOW=%s is not ISO-8601 UTC (2026-11-24T09:00:00Z) or epoch seconds\n", bad);
        return EXIT_BADINPUT;
    }
    find_program_dir();
    if (i >= argc) {
        fputs(usage, stderr);
        return EXIT_BADINPUT;
    }
    const char *cmd = argv[i];
    a.argc = argc - i - 1;
    a.argv = argv + i + 1;
    static const struct {
        const char *name;
        int (*run)(const cli_args *);
    } commands[] = {{"score", cmd_score}, {"assess", cmd_assess}, {"forms", cmd_forms}, {"config", cmd_config}};
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
