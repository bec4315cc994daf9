/* Opening the database for a command, and closing it. */
#ifndef TRIAGE_CMD_COMMON_H
#define TRIAGE_CMD_COMMON_H

#include <stdbool.h>

#include "engine.h"
#include "session.h"
#include "cli.h"

/* Everything a store command needs, opened in order and closed in reverse. */
typedef struct {
    engine e;
    bool have_engine;
    database db;
    bool have_db;
    session *s;
} ctx;

/* Loads everything and opens the database (create: make it); with_login: logs the --user in with a
 * passphrase from the terminal or --passphrase-fd. On failure prints why, closes what was opened and
 * returns the exit status. */
int open_ctx(const cli_args *a, ctx *c, bool create, bool with_login);
void ctx_close(ctx *c);
/* Prints err, closes c, returns status. */
int fail(ctx *c, const char *err, int status);

#endif
