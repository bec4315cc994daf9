/* `triage client erase` and `triage retention`: the right to erasure and the retention rules of config.ini
 * [retention]. What is removed and what is kept is decided in the core (core/records/erasure.h). */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "erasure.h"
#include "cli.h"
#include "cmd_common.h"
#include "cmd_progress.h"

int cmd_client_erase(const cli_args *a) {
    if (a->argc != 2) {
        fprintf(stderr, "usage: triage --user ME client erase CLIENT_ID   (the whole id; supervisors)\n");
        return EXIT_BADINPUT;
    }
    ctx c;
    int status = open_ctx(a, &c, false, true);
    if (status != EXIT_OK) return status;
    error err = {0};
    erase_result r;
    if (!client_erase(c.s, a->argv[1], &r, &err))
        return fail(&c, err.msg, cli_exit_for(&err));
    printf("erased client %s: name, phone, date of birth, answers, notes and queue history removed; %d intake%s kept "
           "as de-identified counts; %d draft%s erased\n",
           a->argv[1], r.intakes, r.intakes == 1 ? "" : "s", r.drafts, r.drafts == 1 ? "" : "s");
    if (!r.old_versions_purged)
        printf("note: another desk was reading; the store purges the old copies of the erased rows once it is done\n");
    ctx_close(&c);
    return EXIT_OK;
}

int cmd_retention(const cli_args *a) {
    bool apply = a->argc == 1 && !strcmp(a->argv[0], "apply");
    if (a->argc != 0 && !apply) {
        fprintf(stderr, "usage: triage retention            (what is due for erasure)\n"
                        "       triage --user ME retention apply   (erase it; supervisors)\n");
        return EXIT_BADINPUT;
    }
    ctx c;
    int status = open_ctx(a, &c, false, apply);
    if (status != EXIT_OK) return status;
    error err = {0};
    retention_counts n;
    int dd = c.e.cfg.draft_days, cy = c.e.cfg.closed_years;
    if (!apply) {
        if (!retention_due(&c.db, dd, cy, clock_now(), &n, &err)) return fail(&c, err.msg, EXIT_RUNTIME);
        printf("due for erasure: %d unfinished intake%s older than %d days, %d closed record%s older than %d years\n",
               n.drafts, n.drafts == 1 ? "" : "s", dd, n.clients, n.clients == 1 ? "" : "s", cy);
        if (n.drafts_at_risk)
            printf("kept: %d unfinished intake%s older than %d days that reached ORANGE or RED (a client at risk in no "
                   "queue: resume or discard each)\n", n.drafts_at_risk, n.drafts_at_risk == 1 ? "" : "s", dd);
    } else {
        cmd_progress pr;
        cmd_progress_attach(&pr, c.s, "retention apply");
        bool erased = retention_apply(c.s, dd, cy, &n, &err);
        cmd_progress_end(&pr, c.s);
        if (!erased) return fail(&c, err.msg, cli_exit_for(&err));
        printf("erased %d unfinished intake%s and %d closed record%s\n", n.drafts, n.drafts == 1 ? "" : "s", n.clients,
               n.clients == 1 ? "" : "s");
        if (n.drafts_at_risk)
            printf("kept %d unfinished intake%s older than %d days that reached ORANGE or RED (a client at risk in no "
                   "queue: resume or discard each)\n", n.drafts_at_risk, n.drafts_at_risk == 1 ? "" : "s", dd);
        if (n.kept_tampered)
            printf("kept %d closed record%s due for erasure whose rows fail their row MACs, or that the signed trail "
                   "does not show closed before the cutoff (the first: client %s): edited in the file; run verify\n",
                   n.kept_tampered, n.kept_tampered == 1 ? "" : "s", n.first_kept);
    }
    ctx_close(&c);
    return EXIT_OK;
}
