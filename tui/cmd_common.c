/* What the commands over the database share: load the configuration, open the database, log the --user
 * in, and close it all again. */
#include "cmd_common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "secret.h"
#include "passphrase.h"


void ctx_close(ctx *c) {
    session_end(c->s);
    if (c->have_db) db_close(&c->db);
    if (c->have_engine) engine_free(&c->e);
    memset(c, 0, sizeof *c);
}

/* Makes the directories above path (mode 0700) when it is the default location. */
static bool make_parent_dirs(const char *path, error *err) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) return true;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(dir, 0700) != 0 && errno != EEXIST) break;
            *p = '/';
        }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        error_set(err, ERR_IO, "%.900s: cannot create the directory: %s", dir, strerror(errno));
        return false;
    }
    return true;
}

/* Opens everything; on failure prints why, closes what was opened, and returns the exit status. */
static int open_ctx_inner(const cli_args *a, ctx *c, bool create, bool with_login);
int open_ctx(const cli_args *a, ctx *c, bool create, bool with_login) {
    int status = open_ctx_inner(a, c, create, with_login);
    if (status != EXIT_OK) ctx_close(c);
    return status;
}

static int open_ctx_inner(const cli_args *a, ctx *c, bool create, bool with_login) {
    memset(c, 0, sizeof *c);
    diag d = {0};
    bool ok = engine_load(&c->e, a->config_path, NULL, false, &d);
    diag_print(&d, stderr);
    diag_free(&d);
    if (!ok) {
        fprintf(stderr, "triage: refusing to start: fix the problems above (see triage config check)\n");
        return EXIT_BADINPUT;
    }
    c->have_engine = true;
    error err = {0};
    db_settings set;
    db_settings_from_config(&c->e.cfg, &set);
    const char *path = a->db_path ? a->db_path : c->e.cfg.db_path;
    /* the directories of a file the store keeps (a path, or sqlite:PATH); a server's database has none */
    const char *file = create && !a->db_path ? store_local_file(path) : NULL;
    if (file && !make_parent_dirs(file, &err)) {
        fprintf(stderr, "triage: %s\n", err.msg);
        return EXIT_RUNTIME;
    }
    if (!db_open(&c->db, path, create, &set, &err)) {
        fprintf(stderr, "triage: %s\n", err.msg);
        return EXIT_RUNTIME;
    }
    c->have_db = true;
    c->db.row_policy = &c->e.queue; /* a keyless tick's raise is checked against the centre's own policy */
    if (!with_login) return EXIT_OK;
    if (!a->user) {
        fprintf(stderr, "triage: which staff member? give --user NAME\n");
        return EXIT_BADINPUT;
    }
    char *pass;
    size_t len;
    char prompt[128];
    snprintf(prompt, sizeof prompt, "Passphrase for %.64s: ", a->user);
    if (!passphrase_read(a->passphrase_fd, prompt, false, &pass, &len, &err)) {
        fprintf(stderr, "triage: %s\n", err.msg);
        return EXIT_BADINPUT;
    }
    int wait;
    login_status ls = session_login(&c->db, a->user, pass, len, &c->s, &wait, &err);
    secret_free(pass);
    if (ls != LOGIN_OK) {
        fprintf(stderr, "triage: %s\n", err.msg);
        return ls == LOGIN_ERROR ? EXIT_RUNTIME : EXIT_BADINPUT;
    }
    return EXIT_OK;
}

int fail(ctx *c, const char *err, int status) {
    fprintf(stderr, "triage: %s\n", err);
    ctx_close(c);
    return status;
}


