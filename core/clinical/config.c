#include "config.h"

#include <errno.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bands.h"
#include "code_systems.h"
#include "store.h"

#ifndef TRIAGE_DATADIR
#define TRIAGE_DATADIR "/usr/local/share/triage"
#endif

static char *program_dir;

void config_set_program_dir(const char *dir) {
    free(program_dir);
    program_dir = dir ? xstrdup(dir) : NULL;
}

static bool exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

char *config_data_path(const char *source_subdir, const char *name) {
    char path[4096];
    if (program_dir) {
        /* a source tree: the binary sits at the top of the checkout */
        snprintf(path, sizeof path, "%s/%s%s%s", program_dir, source_subdir, *source_subdir ? "/" : "", name);
        if (exists(path)) return xstrdup(path);
        /* an installed tree moved as a whole (PREFIX/bin/triage beside PREFIX/share/triage) */
        snprintf(path, sizeof path, "%s/../share/triage/%s", program_dir, name);
        if (exists(path)) return xstrdup(path);
    }
    snprintf(path, sizeof path, "%s/%s", TRIAGE_DATADIR, name);
    return xstrdup(path);
}

/* A relative path in the file is taken from the file's directory; empty means "the default". */
static char *resolve(const config *c, const char *value, const char *subdir, const char *name) {
    if (!value || !*value) return config_data_path(subdir, name);
    if (value[0] == '/' || c->builtin) return xstrdup(value);
    /* a URL names its store (the store knows its schemes): never a file beside this one */
    if (store_is_url(value)) return xstrdup(value);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", c->source);
    char *slash = strrchr(dir, '/');
    if (!slash) return xstrdup(value);
    *slash = '\0';
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, value);
    return xstrdup(path);
}

static const char *const known_sections[] = {"triage", "risk", "matching", "store", "security", "queue", "intake",
                                             "safety", "reports", "retention", "import", NULL};
static const char *const triage_keys[] = {"ui_language", "forms_dir", "roster_file", "demo", NULL};
static const char *const intake_keys[] = {"forms", "hotline_forms", "ask.*", "kept_level.reason.en", "kept_level.reason.zh",
                                          "stated_risk.reason.en", "stated_risk.reason.zh",
                                          "unscreened.reason.en", "unscreened.reason.zh", "burst_ms", "queue_settle_ms",
                                          "phone_watch_ms" /* before s6: accepted, no longer used */,
                                          "callback_owed_at", "callback_owed.en", "callback_owed.zh", "no_callback.en",
                                          "no_callback.zh", NULL};
static const char *const store_keys[] = {"db_path", "busy_timeout_ms", NULL};
static const char *const security_keys[] = {"kdf_cost", "lock_after", "blind_index_k", "idle_lock_minutes",
                                            "blind_index_bits" /* before issue 13: accepted, no longer used */, NULL};
static const char *const reports_keys[] = {"k_floor", "retention_sessions", "retention_days", "lapse_days", "age_bands",
                                           "concern_groups", "export_k", NULL};
static const char *const retention_keys[] = {"draft_days", "closed_years", NULL};
static const char *const import_keys[] = {"risk_assessment", "conditions", "other_outcomes", "intent_words", NULL};

/* [import] risk_assessment and conditions: CODE:LEVEL tokens (conditions: SYSTEM|CODE:LEVEL), each level a level */
static void check_stated_levels(config *c, const char *key, bool with_system, diag *d) {
    const char *v = ini_get(&c->ini, "import", key);
    if (!v || !*v) return;
    strlist toks = strlist_split(v);
    char k[64];
    snprintf(k, sizeof k, "import.%s", key);
    for (int i = 0; i < toks.n; i++) {
        const char *colon = strrchr(toks.v[i], ':');
        risk_level l;
        bool ok = colon && colon > toks.v[i] && risk_level_parse(colon + 1, &l) &&
                  (!with_system || (strchr(toks.v[i], '|') && strchr(toks.v[i], '|') < colon - 1 &&
                                    strchr(toks.v[i], '|') > toks.v[i]));
        if (!ok) {
            diag_add(d, c->ini.name, ini_line(&c->ini, "import", key), k, false, "`%s` is not %s:LEVEL (a level: red, "
                     "orange, yellow or green)", toks.v[i], with_system ? "SYSTEM|CODE" : "CODE");
            break;
        }
        /* the system: one the import can know (a misspelt "ICD10-CM" matched nothing, and said nothing: thirty-third
         * outside integrator) */
        if (with_system) {
            char system[256];
            snprintf(system, sizeof system, "%.*s", (int)(strchr(toks.v[i], '|') - toks.v[i]), toks.v[i]);
            code_system_kind kind = code_system_check(system);
            if (kind == CS_BAD) {
                diag_add(d, c->ini.name, ini_line(&c->ini, "import", key), k, false, "`%s`: `%s` is no code system "
                         "triage knows (misspelt?): one of %s, or another system's URL or OID", toks.v[i], system,
                         code_system_names());
                break;
            }
            if (kind == CS_OTHER)
                diag_add(d, c->ini.name, ini_line(&c->ini, "import", key), k, true, "`%s`: `%s` is not one of the "
                         "systems triage knows (%s): its codes match only when a file names exactly this system",
                         toks.v[i], system, code_system_names());
        }
        /* the code's pattern: a range LOW-HIGH of as many characters each, a `*` last only (a range "X60-X8" matched
         * nothing, and said nothing) */
        const char *code = with_system ? strchr(toks.v[i], '|') + 1 : toks.v[i];
        size_t n = (size_t)(colon - code);
        const char *dash = memchr(code, '-', n), *star = memchr(code, '*', n);
        size_t low = dash ? (size_t)(dash - code) : 0;
        bool range_ok = !dash || (low && n - low - 1 >= low);
        for (size_t r = 0; dash && range_ok && r < low; r++) /* both ends letters and digits, of one length */
            range_ok = isalnum((unsigned char)code[r]) && isalnum((unsigned char)dash[1 + r]);
        if (with_system) { /* LOINC's codes hold a dash of their own (93267-3): no range there */
            char system[256], sys_key[256];
            snprintf(system, sizeof system, "%.*s", (int)(strchr(toks.v[i], '|') - toks.v[i]), toks.v[i]);
            code_system_key(system, sys_key, sizeof sys_key);
            if (!strcmp(sys_key, "http://loinc.org")) range_ok = true;
        }
        if (with_system && (!range_ok || (star && star != colon - 1))) {
            diag_add(d, c->ini.name, ini_line(&c->ini, "import", key), k, false, "`%s`: a code's range is LOW-HIGH of as "
                     "many characters each (X60-X84), `?` one character, and `*` only last", toks.v[i]);
            break;
        }
    }
    strlist_free(&toks);
}

/* An integer setting in [lo, hi]; a bad value is an error naming the line. */
static int int_setting(config *c, const char *section, const char *key, int lo, int hi, int def, diag *d) {
    const char *v = ini_get(&c->ini, section, key);
    long n;
    if (!v || !*v) return def;
    if (!parse_int(v, lo, hi, &n)) {
        char k[128];
        snprintf(k, sizeof k, "%s.%s", section, key);
        diag_add(d, c->ini.name, ini_line(&c->ini, section, key), k, false, "`%s` is not a whole number from %d to %d",
                 v, lo, hi);
        return def;
    }
    return (int)n;
}

static char *default_db_path(void) {
    char path[4096];
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    if (xdg && *xdg) snprintf(path, sizeof path, "%s/triage/triage.db", xdg);
    else snprintf(path, sizeof path, "%s/.local/share/triage/triage.db", home && *home ? home : ".");
    return xstrdup(path);
}

static bool read_settings(config *c, diag *d) {
    int before = d->errors;
    strlist secs = ini_sections(&c->ini);
    for (int i = 0; i < secs.n; i++) {
        bool known = false;
        for (const char *const *k = known_sections; *k; k++) known = known || strcmp(*k, secs.v[i]) == 0;
        if (!known)
            diag_add(d, c->ini.name, ini_line(&c->ini, secs.v[i], NULL), secs.v[i], true, "unknown section");
    }
    strlist_free(&secs);
    ini_check_keys(&c->ini, "triage", triage_keys, false, d);
    const char *ui = ini_get(&c->ini, "triage", "ui_language");
    c->ui_lang = LANG_EN;
    if (ui && *ui && !lang_parse(ui, &c->ui_lang))
        diag_add(d, c->ini.name, ini_line(&c->ini, "triage", "ui_language"), "triage.ui_language", false,
                 "`%s` is not en or zh", ui);
    c->forms_dir = resolve(c, ini_get(&c->ini, "triage", "forms_dir"), "", "forms");
    c->roster_file = resolve(c, ini_get(&c->ini, "triage", "roster_file"), "assets", "counselors.sample.ini");
    ini_check_keys(&c->ini, "store", store_keys, false, d);
    ini_check_keys(&c->ini, "security", security_keys, false, d);
    const char *db = ini_get(&c->ini, "store", "db_path");
    c->db_path = db && *db ? resolve(c, db, "", "") : default_db_path();
    c->busy_timeout_ms = int_setting(c, "store", "busy_timeout_ms", 100, 600000, 5000, d);
    c->lock_after = int_setting(c, "security", "lock_after", 1, 100, 5, d);
    c->blind_index_k = int_setting(c, "security", "blind_index_k", 2, 1000, 8, d);
    c->idle_lock_minutes = int_setting(c, "security", "idle_lock_minutes", 1, 240, 5, d);
    const char *demo = ini_get(&c->ini, "triage", "demo");
    c->demo = demo && strcmp(demo, "yes") == 0;
    ini_check_keys(&c->ini, "intake", intake_keys, false, d);
    const char *forms = ini_get(&c->ini, "intake", "forms");
    c->intake_forms = xstrdup(forms && *forms ? forms : "intake phq9 gad7 asq");
    const char *hotline = ini_get(&c->ini, "intake", "hotline_forms");
    c->intake_hotline_forms = xstrdup(hotline ? hotline : "");
    c->intake_burst_ms = int_setting(c, "intake", "burst_ms", 0, 5000, 300, d);
    c->queue_settle_ms = int_setting(c, "intake", "queue_settle_ms", 0, 5000, 700, d);
    const char *owed = ini_get(&c->ini, "intake", "callback_owed_at");
    c->intake_callback_owed_at = LEVEL_ORANGE;
    if (owed && *owed && !risk_level_parse(owed, &c->intake_callback_owed_at))
        diag_add(d, c->ini.name, ini_line(&c->ini, "intake", "callback_owed_at"), "intake.callback_owed_at", false,
                 "`%s` is not a level (red, orange, yellow or green)", owed);
    safety_load(&c->safety, &c->ini, d); /* errors name their lines; a red level never goes without steps */
    ini_check_keys(&c->ini, "reports", reports_keys, false, d);
    ini_check_keys(&c->ini, "retention", retention_keys, false, d);
    ini_check_keys(&c->ini, "import", import_keys, false, d);
    check_stated_levels(c, "risk_assessment", false, d);
    check_stated_levels(c, "conditions", true, d);
    c->report_k = int_setting(c, "reports", "k_floor", 1, 1000, 5, d);
    c->export_k = int_setting(c, "reports", "export_k", 1, 1000, 5, d);
    c->retention_sessions = int_setting(c, "reports", "retention_sessions", 1, 100, 3, d);
    c->retention_days = int_setting(c, "reports", "retention_days", 1, 3650, 90, d);
    c->lapse_days = int_setting(c, "reports", "lapse_days", 1, 3650, 60, d);
    c->draft_days = int_setting(c, "retention", "draft_days", 1, 3650, 30, d);
    c->closed_years = int_setting(c, "retention", "closed_years", 1, 100, 7, d);
    const char *bands = ini_get(&c->ini, "reports", "age_bands");
    char why[256];
    if (bands && *bands && !age_bands_valid(bands, why, sizeof why)) {
        diag_add(d, c->ini.name, ini_line(&c->ini, "reports", "age_bands"), "reports.age_bands", false, "%s", why);
        bands = NULL;
    }
    c->age_bands = xstrdup(bands && *bands ? bands : FACTS_DEFAULT_AGE_BANDS);
    const char *groups = ini_get(&c->ini, "reports", "concern_groups");
    if (groups && *groups && !concern_groups_valid(groups, why, sizeof why)) {
        diag_add(d, c->ini.name, ini_line(&c->ini, "reports", "concern_groups"), "reports.concern_groups", false, "%s",
                 why);
        groups = NULL;
    }
    c->concern_groups = xstrdup(groups && *groups ? groups : FACTS_DEFAULT_CONCERN_GROUPS);
    const char *cost = ini_get(&c->ini, "security", "kdf_cost");
    static const char *const costs[] = {"interactive", "moderate", "sensitive"};
    c->kdf_cost = 1;
    if (cost && *cost) {
        int found = -1;
        for (int i = 0; i < 3; i++)
            if (strcmp(cost, costs[i]) == 0) found = i;
        if (found < 0)
            diag_add(d, c->ini.name, ini_line(&c->ini, "security", "kdf_cost"), "security.kdf_cost", false,
                     "`%s` is not interactive, moderate or sensitive", cost);
        else c->kdf_cost = found;
    }
    return d->errors == before;
}

bool config_load_builtin(config *c, diag *d) {
    *c = (config){0};
    c->builtin = true;
    c->source = xstrdup("built-in defaults");
    if (!ini_open_buffer(&c->ini, triage_default_config, triage_default_config_len, "<built-in config.ini>", d))
        return false;
    return read_settings(c, d);
}

static bool load_file(config *c, const char *path, diag *d) {
    *c = (config){0};
    c->source = xstrdup(path);
    if (!ini_open(&c->ini, path, d)) return false;
    return read_settings(c, d);
}

bool config_load(config *c, const char *explicit_path, diag *d) {
    if (explicit_path) return load_file(c, explicit_path, d);
    const char *env = getenv("TRIAGE_CONFIG");
    if (env && *env) return load_file(c, env, d);
    char path[4096];
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg) snprintf(path, sizeof path, "%s/triage/config.ini", xdg);
    else if (home && *home) snprintf(path, sizeof path, "%s/.config/triage/config.ini", home);
    else path[0] = '\0';
    if (path[0] && exists(path)) return load_file(c, path, d);
    if (exists("/etc/triage/config.ini")) return load_file(c, "/etc/triage/config.ini", d);
    return config_load_builtin(c, d);
}

void config_free(config *c) {
    ini_close(&c->ini);
    free(c->source);
    free(c->forms_dir);
    free(c->roster_file);
    free(c->db_path);
    free(c->intake_forms);
    free(c->intake_hotline_forms);
    free(c->age_bands);
    free(c->concern_groups);
    safety_free(&c->safety);
    *c = (config){0};
}
