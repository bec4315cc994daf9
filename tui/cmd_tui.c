/* `triage` with no command: the front desk in the terminal, on the configured database. */
#include <stdio.h>

#include "counselors.h"
#include "cli.h"
#include "cmd_common.h"
#include "ui.h"

int cmd_tui(const cli_args *a) {
    ctx c;
    int status = open_ctx(a, &c, false, false);
    if (status != EXIT_OK) return status;
    error err = {0};
    roster r;
    /* the roster lives in the database; a database without one still works (no suggestions) */
    if (roster_from_db(&c.db, &c.e.needs, &r, &err) && r.n > 0) {
        c.e.roster = r;
        c.e.has_roster = true;
    } else if (c.e.has_roster == false) {
        roster_free(&r);
    }
    status = run_tui(&c.e, &c.db, a->user, false, a->no_color, c.e.cfg.demo || db_is_demo(&c.db));
    ctx_close(&c);
    return status;
}
