/* Subcommands of the clinical core: score, assess, forms, config. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assess.h"
#include "engine.h"
#include "fhir_questionnaire.h"
#include "cli.h"
#include "secret.h"
#include "store.h"

static void print_json(json_t *o) {
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    if (s) {
        puts(s);
        secret_free(s); /* an assessment of answers */
    }
}

/* Loads the engine; prints every problem. Returns false when the program must not go on. */
static bool load(engine *e, const cli_args *a, bool with_roster) {
    diag d = {0};
    bool ok = engine_load(e, a->config_path, NULL, with_roster, &d);
    diag_print(&d, stderr);
    if (!ok) fprintf(stderr, "triage: refusing to start: fix the problems above (see triage config check)\n");
    diag_free(&d);
    return ok;
}

int cmd_score(const cli_args *a) {
    if (a->argc < 1) {
        fprintf(stderr, "usage: triage score FORM ANSWER...\n");
        return EXIT_BADINPUT;
    }
    engine e;
    if (!load(&e, a, false)) return EXIT_BADINPUT;
    int status = EXIT_OK;
    const form *f = formset_find(&e.forms, a->argv[0]);
    if (!f) {
        char shown[256];
        text_for_display(a->argv[0], 40, shown, sizeof shown);
        fprintf(stderr, "triage score: unknown form `%s` (forms:", shown);
        for (int i = 0; i < e.forms.n; i++)
            if (e.forms.v[i]->kind == FORM_SCORED) fprintf(stderr, " %s", e.forms.v[i]->id);
        fprintf(stderr, ")\n");
        status = EXIT_BADINPUT;
    } else {
        error err = {0};
        json_t *o = score_answers(f, (const char *const *)a->argv + 1, a->argc - 1, &err);
        if (!o) {
            fprintf(stderr, "triage score: %s\n", err.msg);
            status = EXIT_BADINPUT;
        } else {
            print_json(o);
            json_decref(o);
        }
    }
    engine_free(&e);
    return status;
}

/* Reads a whole file (or stdin for "-") up to limit bytes. */
static char *read_input(const char *path, size_t limit, size_t *len, bool *too_big) {
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    *too_big = false;
    if (!fp) return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (n > limit) {
            *too_big = true;
            break;
        }
        if (got == 0) break;
        if (n == cap) { /* grown by hand, not realloc: the old block held answers and is wiped when freed */
            char *nb = malloc(cap * 2);
            if (nb) memcpy(nb, buf, n);
            secret_free(buf);
            buf = nb;
            cap *= 2;
        }
    }
    bool failed = fp != stdin ? ferror(fp) : ferror(stdin);
    if (fp != stdin) fclose(fp);
    if (failed || *too_big) {
        secret_free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int cmd_assess(const cli_args *a) {
    if (a->argc != 1) {
        fprintf(stderr, "usage: triage assess FILE|-\n");
        return EXIT_BADINPUT;
    }
    const char *path = a->argv[0];
    size_t len = 0;
    bool too_big;
    char *text = read_input(path, ASSESS_MAX_INPUT, &len, &too_big);
    if (!text) {
        if (too_big) fprintf(stderr, "triage assess: %s: larger than 1 MiB\n", path);
        else fprintf(stderr, "triage assess: %s: cannot be read: %s\n", path, strerror(errno));
        return EXIT_BADINPUT;
    }
    engine e;
    if (!load(&e, a, true)) {
        secret_free(text); /* answers */
        return EXIT_BADINPUT;
    }
    int status = EXIT_OK;
    assess_input *in = malloc(sizeof *in);
    error err = {0};
    if (!in) {
        fprintf(stderr, "triage assess: out of memory\n");
        status = EXIT_RUNTIME;
    } else if (!assess_parse(&e, text, len, in, &err)) {
        fprintf(stderr, "triage assess: %s: %s\n", strcmp(path, "-") == 0 ? "<stdin>" : path, err.msg);
        status = EXIT_BADINPUT;
    } else {
        json_t *o = assess_run(&e, in, e.cfg.ui_lang);
        print_json(o);
        json_decref(o);
    }
    secret_free(in);
    secret_free(text); /* answers */
    engine_free(&e);
    return status;
}

static int forms_check(const cli_args *a) {
    char *dir = NULL;
    if (a->argc >= 2) {
        dir = strdup(a->argv[1]);
    } else {
        config c;
        diag d = {0};
        bool ok = config_load(&c, a->config_path, &d);
        diag_print(&d, stderr);
        diag_free(&d);
        if (!ok) return EXIT_BADINPUT;
        dir = strdup(c.forms_dir);
        config_free(&c);
    }
    if (!dir) return EXIT_RUNTIME;
    formset fs;
    diag d = {0};
    bool ok = formset_load(&fs, dir, &d);
    diag_print(&d, ok ? stderr : stdout);
    if (ok) {
        printf("%s: %d forms, no problems\n", dir, fs.n);
        formset_free(&fs);
    } else {
        printf("%s: %d problem%s\n", dir, d.errors, d.errors == 1 ? "" : "s");
    }
    diag_free(&d);
    free(dir);
    return ok ? EXIT_OK : EXIT_BADINPUT;
}

static int forms_list(const cli_args *a) {
    engine e;
    if (!load(&e, a, false)) return EXIT_BADINPUT;
    for (int i = 0; i < e.forms.n; i++) {
        const form *f = e.forms.v[i];
        printf("%-8s v%-5s %-7s %2d items  zh %-11s %s\n", f->id, f->version, f->kind == FORM_SCORED ? "scored" : "record",
               f->n_items, f->translation_zh, f->title[LANG_EN]);
    }
    engine_free(&e);
    return EXIT_OK;
}

/* Every loaded form as an R4 SDC Questionnaire, DIR/ID.json (core/fhir_questionnaire.h). */
static int forms_export(const cli_args *a) {
    engine e;
    if (!load(&e, a, false)) return EXIT_BADINPUT;
    error err = {0};
    int n;
    bool ok = fhir_questionnaires_write(&e.forms, a->argv[2], &n, &err);
    if (ok) printf("wrote %d FHIR R4 Questionnaire%s to %s\n", n, n == 1 ? "" : "s", a->argv[2]);
    else fprintf(stderr, "triage forms export: %s\n", err.msg);
    engine_free(&e);
    return ok ? EXIT_OK : EXIT_RUNTIME;
}

int cmd_forms(const cli_args *a) {
    if (a->argc >= 1 && strcmp(a->argv[0], "check") == 0 && a->argc <= 2) return forms_check(a);
    if (a->argc == 1 && strcmp(a->argv[0], "list") == 0) return forms_list(a);
    if (a->argc == 3 && strcmp(a->argv[0], "export") == 0 && strcmp(a->argv[1], "--fhir") == 0) return forms_export(a);
    fprintf(stderr, "usage: triage forms check [DIR] | triage forms list | triage forms export --fhir DIR\n");
    return EXIT_BADINPUT;
}

int cmd_config(const cli_args *a) {
    if (a->argc != 1 || strcmp(a->argv[0], "check") != 0) {
        fprintf(stderr, "usage: triage config check\n");
        return EXIT_BADINPUT;
    }
    engine e;
    if (!load(&e, a, true)) return EXIT_BADINPUT;
    printf("configuration: %s\n", e.cfg.source);
    printf("forms:         %s (%d forms)\n", e.forms.dir, e.forms.n);
    printf("risk rules:    %d, every safety item covered\n", e.rules.n);
    printf("matching:      %d dimensions\n", e.needs.n_dims);
    printf("roster:        %s (%d counselors)\n", e.cfg.roster_file, e.roster.n);
    printf("ui language:   %s\n", lang_code(e.cfg.ui_lang));
    /* the sample steps hold placeholders ([duty clinician's number]): a warning for each, with its line */
    diag pd = {0};
    int samples = safety_check_placeholders(&e.cfg.safety, &pd);
    diag_print(&pd, stderr);
    diag_free(&pd);
    printf("safety steps:  %d sets (%s)%s\n", e.cfg.safety.n,
           e.cfg.safety.builtin_used || e.cfg.builtin ? "some are the built-in ones" : "the centre's own",
           samples ? ": sample placeholders still there (see the warnings): write the centre's own numbers" : "");
    const char *db = a->db_path ? a->db_path : e.cfg.db_path;
    char shown[4096]; /* a server's URL names its password nowhere */
    store_url_redacted(db, shown, sizeof shown);
    const char *file = store_local_file(db); /* a server's database is no file here */
    printf("database:      %s%s\n", shown, file && access(file, F_OK) != 0 ? " (not created yet: triage --user NAME init)" : "");
    engine_free(&e);
    return EXIT_OK;
}
