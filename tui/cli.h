/* The command-line subcommands. Each returns the process exit status:
 * 0 success, 1 runtime failure, 2 bad usage or bad input (messages on stderr). */
#ifndef TRIAGE_CLI_H
#define TRIAGE_CLI_H

#include <stdbool.h>

#include "error.h"

#define EXIT_OK 0
#define EXIT_RUNTIME 1
#define EXIT_BADINPUT 2

/* The exit status of a subcommand that failed with e, chosen from the error's kind and never from its text:
 * what the user asked for was wrong (bad input, not allowed for their role, names nothing) is 2; the program
 * or the store failing, a conflict with another desk, tampering found, a file that cannot be written is 1. */
static inline int cli_exit_for(const error *e) {
    switch (e ? e->kind : ERR_NONE) {
    case ERR_NONE: return EXIT_OK;
    case ERR_INPUT:
    case ERR_DENIED:
    case ERR_NOT_FOUND: return EXIT_BADINPUT;
    case ERR_CONFLICT:
    case ERR_TAMPERED:
    case ERR_STORE:
    case ERR_AUTH:
    case ERR_IO:
    case ERR_INTERNAL:
    case ERR_KIND_COUNT: break;
    }
    return EXIT_RUNTIME;
}

typedef struct {
    const char *config_path; /* --config */
    const char *db_path;     /* --db */
    const char *user;        /* --user */
    int passphrase_fd;       /* --passphrase-fd, or -1 for the terminal */
    bool no_color;           /* --no-color */
    int argc;                /* the subcommand's own arguments */
    char **argv;
} cli_args;

int cmd_score(const cli_args *a);
int cmd_assess(const cli_args *a);
int cmd_forms(const cli_args *a);
int cmd_config(const cli_args *a);
int cmd_init(const cli_args *a);
int cmd_user(const cli_args *a);
int cmd_roster(const cli_args *a);
int cmd_intake(const cli_args *a);
int cmd_client(const cli_args *a);
int cmd_verify(const cli_args *a);
int cmd_audit(const cli_args *a);
int cmd_backup(const cli_args *a);
int cmd_restore(const cli_args *a);
int cmd_rekey(const cli_args *a);
int cmd_queue(const cli_args *a);
int cmd_tui(const cli_args *a);
int cmd_report(const cli_args *a);
int cmd_outcome(const cli_args *a);
int cmd_export(const cli_args *a);
int cmd_import(const cli_args *a);
int cmd_client_erase(const cli_args *a);
int cmd_retention(const cli_args *a);

#endif
