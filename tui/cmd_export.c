/* `triage export` and `triage import fhir`: records out (CSV, JSON lines, FHIR R4) and screens done
 * elsewhere in. The formats, the de-identification and the checks live in the core (core/exchange/export.h,
 * core/exchange/fhir_import.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "clock.h"
#include "export.h"
#include "facts.h"
#include "fhir_import.h"
#include "counselors.h"
#include "secret.h"
#include "cli.h"
#include "cmd_common.h"
#include "cmd_progress.h"

#define DAY 86400

static const char export_usage[] =
    "usage: triage --user ME export --format csv|json|fhir [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--deidentify]\n"
    "                               [--bom] [--dictionary FILE] --out FILE\n";

int cmd_export(const cli_args *a) {
    export_options o = {EXPORT_CSV, 0, 0, false, false};
    int64_t from_day = 0, to_day = day_of(clock_now());
    const char *out = NULL, *dictionary = NULL;
    bool have_format = false;
    for (int i = 0; i < a->argc; i++) {
        const char *v = a->argv[i];
        if (!strcmp(v, "--format") && i + 1 < a->argc && export_format_parse(a->argv[i + 1], &o.format))
            i++, have_format = true;
        else if (!strcmp(v, "--from") && i + 1 < a->argc && day_parse(a->argv[i + 1], &from_day)) i++;
        else if (!strcmp(v, "--to") && i + 1 < a->argc && day_parse(a->argv[i + 1], &to_day)) i++;
        else if (!strcmp(v, "--out") && i + 1 < a->argc) out = a->argv[++i];
        else if (!strcmp(v, "--dictionary") && i + 1 < a->argc) dictionary = a->argv[++i];
        else if (!strcmp(v, "--deidentify")) o.deidentify = true;
        else if (!strcmp(v, "--bom")) o.bom = true;
        else {
            fprintf(stderr, "triage export: `%.40s`: not understood\n%s", v, export_usage);
            return EXIT_BADINPUT;
        }
    }
    if (!have_format || !out || to_day < from_day || ((o.bom || dictionary) && o.format != EXPORT_CSV)) {
        fputs(export_usage, stderr);
        return EXIT_BADINPUT;
    }
    o.from = from_day * DAY;
    o.to = (to_day + 1) * DAY;
    ctx c;
    int status = open_ctx(a, &c, false, true);
    if (status != EXIT_OK) return status;
    error err = {0};
    export_counts counts;
    cmd_progress pr;
    cmd_progress_attach(&pr, c.s, "export");
    bool written = export_run_counted(c.s, &c.e, &o, out, &counts, &err);
    cmd_progress_end(&pr, c.s);
    if (!written) return fail(&c, err.msg, cli_exit_for(&err));
    int64_t n = counts.written;
    if (o.deidentify && counts.withheld == 0)
        fprintf(stderr, "triage export: no intake withheld: every combination of level, age band, channel, concerns, "
                        "counselor, confirmed level and queue step is shared by at least %d intakes of the database "
                        "([reports] export_k)\n", c.e.cfg.export_k);
    else if (o.deidentify)
        fprintf(stderr,
                "triage export: %lld intake%s withheld: %s combination of level, age band, channel, concerns, "
                "counselor, confirmed level and queue step is shared by fewer than %d intakes of the database "
                "([reports] export_k), and would single %s out against the database's report facts\n",
                (long long)counts.withheld, counts.withheld == 1 ? "" : "s", counts.withheld == 1 ? "its" : "their",
                c.e.cfg.export_k, counts.withheld == 1 ? "it" : "them");
    printf("exported %lld intake%s to %s (%s%s)\n", (long long)n, n == 1 ? "" : "s", out, export_format_name(o.format),
           o.deidentify ? ", de-identified" : "");
    if (dictionary) {
        if (!export_dictionary_write(&c.e, &o, dictionary, &err)) return fail(&c, err.msg, EXIT_RUNTIME);
        printf("its data dictionary: %s\n", dictionary);
    }
    ctx_close(&c);
    return EXIT_OK;
}

int cmd_import(const cli_args *a) {
    const char *client = NULL;
    unsigned accept = 0; /* what the command takes that the import refuses by default (IMPORT_ACCEPT_*) */
    const char *path = NULL; /* the one argument that is no option, wherever it stands */
    bool usage = a->argc < 2 || strcmp(a->argv[0], "fhir") != 0;
    for (int i = 1; !usage && i < a->argc; i++) {
        if (!strcmp(a->argv[i], "--client") && i + 1 < a->argc && !client) client = a->argv[++i];
        /* the file's Patient is not the client, and that is meant */
        else if (!strcmp(a->argv[i], "--accept-patient-mismatch")) accept |= IMPORT_ACCEPT_OTHER_PATIENT;
        /* a de-identified export of this database, to be added again as pseudonymous clients, and that is meant */
        else if (!strcmp(a->argv[i], "--accept-own-export")) accept |= IMPORT_ACCEPT_OWN_EXPORT;
        else if (!path && (strncmp(a->argv[i], "--", 2) != 0 || !strcmp(a->argv[i], "-"))) path = a->argv[i];
        else usage = true;
    }
    if (usage || !path || ((accept & IMPORT_ACCEPT_OTHER_PATIENT) && !client)) {
        fprintf(stderr, "usage: triage --user ME import fhir FILE|- [--client ID [--accept-patient-mismatch]] "
                        "[--accept-own-export]\n");
        return EXIT_BADINPUT;
    }
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "triage import: %s: cannot be read: %s\n", path, strerror(errno));
        return EXIT_BADINPUT;
    }
    size_t cap = 4 * ASSESS_MAX_INPUT;
    char *text = malloc(cap + 1);
    size_t len = text ? fread(text, 1, cap + 1, fp) : 0;
    if (fp != stdin) fclose(fp);
    if (!text || len > cap) {
        /* not read, but a safety item named in it is said first (its answer is not known) */
        engine e;
        diag d = {0};
        char safety[400];
        if (text && engine_load(&e, a->config_path, NULL, false, &d)) {
            if (fhir_unreadable_safety(&e, text, cap, safety, sizeof safety)) fprintf(stderr, "%s\n", safety);
            engine_free(&e);
        }
        diag_free(&d);
        fprintf(stderr, "triage import: %s: larger than %zu bytes: split it\n", path, cap);
        secret_free(text);
        return EXIT_BADINPUT;
    }
    ctx c;
    int status = open_ctx(a, &c, false, true);
    if (status == EXIT_OK) {
        error err = {0};
        roster r;
        c.e.has_roster = roster_from_db(&c.db, &c.e.needs, &r, &err);
        if (c.e.has_roster) c.e.roster = r;
        import_result res;
        cmd_progress pr;
        cmd_progress_attach(&pr, c.s, "import");
        bool imported = fhir_import_for(c.s, &c.e, text, len, client, accept, &res, &err);
        cmd_progress_end(&pr, c.s);
        if (!imported) {
            fprintf(stderr, "triage import: %s: %s\n", strcmp(path, "-") ? path : "<stdin>", err.msg);
            status = res.save_failed ? EXIT_RUNTIME : EXIT_BADINPUT;
        } else {
            printf("imported %d response%s as %d intake%s (%d client%s new, %d found)\n", res.responses - res.already,
                   res.responses - res.already == 1 ? "" : "s", res.intakes, res.intakes == 1 ? "" : "s",
                   res.clients_created, res.clients_created == 1 ? "" : "s", res.clients_matched);
            /* each intake above green with its level and why: an import is a save, and a receptionist who ran it needs
             * to know a client now waits in a queue, and what put them there (twenty-sixth outside integrator: a
             * PHQ-9 without item 9 went orange without a word) */
            for (int i = 0; i < res.n_levels; i++) {
                const import_level *lv = &res.levels[i];
                char upper[16];
                snprintf(upper, sizeof upper, "%s", risk_level_name(lv->level));
                for (char *u = upper; *u; u++) *u = (char)toupper((unsigned char)*u);
                if (lv->reasons > 1)
                    printf("intake %s: %s: %s (and %d more reason%s: on the client's record)\n", lv->intake, upper,
                           lv->reason, lv->reasons - 1, lv->reasons == 2 ? "" : "s");
                else printf("intake %s: %s: %s\n", lv->intake, upper, lv->reason[0] ? lv->reason : "(no reason saved)");
            }
            if (res.levels_more) {
                char top[16];
                snprintf(top, sizeof top, "%s", risk_level_name(res.levels_more_top));
                for (char *u = top; *u; u++) *u = (char)toupper((unsigned char)*u);
                printf("and %d more intake%s above green, not listed (%s%s): see the queue\n", res.levels_more,
                       res.levels_more == 1 ? "" : "s", res.levels_more == 1 ? "" : "the highest ", top);
            }
            /* a response imported before (its identifier, or its id and source) is not saved again: each is
             * named, with the intake it was saved as (a file of many holds many) */
            if (res.already) {
                printf("%d response%s already imported, not saved again:\n", res.already,
                       res.already == 1 ? " was" : "s were");
                for (int i = 0; i < res.already; i++) {
                    const import_again *seen = &res.already_each[i];
                    char at[32] = "";
                    if (seen->entry >= 0) snprintf(at, sizeof at, "entry[%d] ", seen->entry);
                    printf("  %sQuestionnaireResponse %s (intake %s)\n", at,
                           seen->response_id[0] ? seen->response_id : "(no id)", seen->intake);
                }
            }
            /* same name and phone, another birth date: another person (a father and his son), never matched */
            if (res.namesakes)
                printf("new client %s: client %s has the same name and phone but another birth date (another "
                       "person: not matched)%s\n",
                       res.namesake_new, res.namesake_of, res.namesakes > 1 ? " (and others alike)" : "");
            /* a screen sent in-progress is a partial one: what it left unanswered counts as missing */
            if (res.in_progress)
                printf("%d response%s sent in-progress (partial): every item without an answer counts as missing "
                       "(a safety item unanswered as positive); kept as in-progress\n",
                       res.in_progress, res.in_progress == 1 ? " was" : "s were");
            /* the same response (its identifier) with other answers, an amendment: a new intake, the earlier one
             * and its queue item kept */
            if (res.amended)
                printf("%d response%s imported before with other answers (amended): intake %s amends intake %s%s; "
                       "the earlier intake and its queue item stay\n",
                       res.amended, res.amended == 1 ? " was" : "s were", res.amending_intake, res.amended_intake,
                       res.amended > 1 ? " (and others, each audited)" : "");
            import_result_free(&res);
        }
        ctx_close(&c);
    }
    secret_free(text); /* names and answers */
    return status;
}
