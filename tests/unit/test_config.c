/* Configuration: where config.ini is found (explicit, $TRIAGE_CONFIG, XDG, /etc, built-in), the
 * built-in defaults being the repository's config.ini, and the [triage] settings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "engine.h"
#include "form.h"
#include "match.h"
#include "risk.h"

#define FIX "tests/fixtures/config/"
#define ETC_CONFIG "/etc/triage/config.ini"

/* ---- environment and temporary files ---- */

static const char *const env_names[] = {"TRIAGE_CONFIG", "XDG_CONFIG_HOME", "HOME"};
static char *saved_env[3];

static char tmp[256];        /* the temporary directory of a test */
static char created[16][512]; /* files and directories made under it, in creation order */
static int n_created;

static void restore_env(void) {
    for (int i = 0; i < 3; i++) {
        if (saved_env[i]) setenv(env_names[i], saved_env[i], 1);
        else unsetenv(env_names[i]);
    }
}

static int group_setup(void **state) {
    (void)state;
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(env_names[i]);
        saved_env[i] = v ? strdup(v) : NULL;
    }
    return 0;
}

static int group_teardown(void **state) {
    (void)state;
    restore_env();
    for (int i = 0; i < 3; i++) free(saved_env[i]);
    config_set_program_dir(NULL);
    return 0;
}

static int make_tmp(void **state) {
    (void)state;
    snprintf(tmp, sizeof tmp, "/tmp/triage-test-config.XXXXXX");
    if (!mkdtemp(tmp)) return -1;
    n_created = 0;
    return 0;
}

static int remove_tmp(void **state) {
    (void)state;
    for (int i = n_created - 1; i >= 0; i--) remove(created[i]);
    rmdir(tmp);
    restore_env();
    return 0;
}

/* Path under the temporary directory (into buf). */
static const char *tpath(char *buf, size_t size, const char *rel) {
    snprintf(buf, size, "%s/%s", tmp, rel);
    return buf;
}

static void make_dir(const char *rel) {
    assert_true(n_created < 16);
    tpath(created[n_created], sizeof created[0], rel);
    assert_int_equal(mkdir(created[n_created], 0700), 0);
    n_created++;
}

static void write_file(const char *rel, const char *text) {
    assert_true(n_created < 16);
    tpath(created[n_created], sizeof created[0], rel);
    FILE *fp = fopen(created[n_created], "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    n_created++;
}

static const char *const en_config = "[triage]\nui_language = en\n";
static const char *const zh_config = "[triage]\nui_language = zh\n";

/* Files for every step of the lookup: explicit.ini, env.ini, xdg/triage/config.ini, home/.config/triage/config.ini */
static void make_all_candidates(void) {
    write_file("explicit.ini", en_config);
    write_file("env.ini", en_config);
    make_dir("xdg");
    make_dir("xdg/triage");
    write_file("xdg/triage/config.ini", zh_config);
    make_dir("home");
    make_dir("home/.config");
    make_dir("home/.config/triage");
    write_file("home/.config/triage/config.ini", en_config);
    char p[512];
    setenv("TRIAGE_CONFIG", tpath(p, sizeof p, "env.ini"), 1);
    setenv("XDG_CONFIG_HOME", tpath(p, sizeof p, "xdg"), 1);
    setenv("HOME", tpath(p, sizeof p, "home"), 1);
}

/* Loads and expects success from the given source, with no diagnostics. */
static void expect_source(const char *explicit_path, const char *want_source, bool want_builtin) {
    config c;
    diag d = {0};
    bool ok = config_load(&c, explicit_path, &d);
    if (!ok || d.n) diag_print(&d, stderr);
    assert_true(ok);
    assert_int_equal(d.n, 0);
    assert_string_equal(c.source, want_source);
    assert_int_equal(c.builtin, want_builtin);
    config_free(&c);
    diag_free(&d);
}

/* ---- lookup order ---- */

static void test_explicit_beats_env(void **state) {
    (void)state;
    make_all_candidates();
    char p[512];
    expect_source(tpath(p, sizeof p, "explicit.ini"), p, false);
}

static void test_env_beats_xdg(void **state) {
    (void)state;
    make_all_candidates();
    char p[512];
    expect_source(NULL, tpath(p, sizeof p, "env.ini"), false);
}

static void test_xdg_beats_builtin(void **state) {
    (void)state;
    make_all_candidates();
    unsetenv("TRIAGE_CONFIG");
    char p[512];
    config c;
    diag d = {0};
    assert_true(config_load(&c, NULL, &d));
    assert_string_equal(c.source, tpath(p, sizeof p, "xdg/triage/config.ini"));
    assert_int_equal(c.ui_lang, LANG_ZH); /* that file's setting was read */
    config_free(&c);
    diag_free(&d);

    setenv("TRIAGE_CONFIG", "", 1); /* empty: as if unset */
    expect_source(NULL, p, false);
}

static void test_home_config_without_xdg(void **state) {
    (void)state;
    make_all_candidates();
    unsetenv("TRIAGE_CONFIG");
    unsetenv("XDG_CONFIG_HOME");
    char p[512];
    expect_source(NULL, tpath(p, sizeof p, "home/.config/triage/config.ini"), false);
}

static void test_builtin_when_nothing_found(void **state) {
    (void)state;
    struct stat st;
    if (stat(ETC_CONFIG, &st) == 0) skip(); /* /etc/triage/config.ini would be read first */
    char p[512];
    make_dir("xdg"); /* XDG_CONFIG_HOME exists but holds no triage/config.ini */
    make_dir("home");
    unsetenv("TRIAGE_CONFIG");
    setenv("XDG_CONFIG_HOME", tpath(p, sizeof p, "xdg"), 1);
    setenv("HOME", tpath(p, sizeof p, "home"), 1);
    expect_source(NULL, "built-in defaults", true);
}

static void test_explicit_missing_fails(void **state) {
    (void)state;
    make_all_candidates(); /* every fallback exists: none may be used */
    char p[512], line[1024];
    tpath(p, sizeof p, "no-such-config.ini");
    config c;
    diag d = {0};
    assert_false(config_load(&c, p, &d));
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.v[0].file, p);
    assert_non_null(strstr(d.v[0].msg, "cannot be read"));
    diag_format(&d, 0, line, sizeof line);
    assert_non_null(strstr(line, p));
    assert_false(c.builtin);
    config_free(&c);
    diag_free(&d);
}

static void test_env_missing_fails(void **state) {
    (void)state;
    make_all_candidates();
    char p[512];
    setenv("TRIAGE_CONFIG", tpath(p, sizeof p, "missing-env.ini"), 1);
    config c;
    diag d = {0};
    assert_false(config_load(&c, NULL, &d));
    assert_true(d.errors >= 1);
    assert_string_equal(d.v[0].file, p);
    config_free(&c);
    diag_free(&d);
}

/* ---- built-in defaults ---- */

static void test_builtin_equals_config_ini(void **state) {
    (void)state;
    size_t len;
    char *file = read_all("config.ini", &len);
    assert_true(len > 1000);
    assert_int_equal(triage_default_config_len, len);
    assert_memory_equal(triage_default_config, file, len);
    assert_int_equal(triage_default_config[len], '\0');
    free(file);
}

static void test_builtin_loads_clean(void **state) {
    (void)state;
    config c;
    diag d = {0};
    assert_true(config_load_builtin(&c, &d));
    assert_int_equal(d.n, 0);
    assert_true(c.builtin);
    assert_string_equal(c.source, "built-in defaults");
    assert_int_equal(c.ui_lang, LANG_EN);
    assert_string_equal(ini_get(&c.ini, "risk", "rule.phq9_item9.when"), "phq9.item9 >= 1");
    /* its rules and weights load against the repository's forms without a word */
    formset fs;
    ruleset rs;
    need_model m;
    assert_true(formset_load(&fs, "forms", &d));
    assert_true(ruleset_load(&rs, &c.ini, &fs, &d));
    assert_true(need_model_load(&m, &c.ini, &fs, &d));
    assert_int_equal(d.n, 0);
    assert_int_equal(rs.n, 12);
    assert_int_equal(m.n_dims, 12);
    need_model_free(&m);
    ruleset_free(&rs);
    formset_free(&fs);
    config_free(&c);
    diag_free(&d);
}

/* ---- [triage] settings ---- */

static void test_ui_language_fr_error(void **state) {
    (void)state;
    const char *path = FIX "ui_fr.ini";
    config c;
    diag d = {0};
    assert_false(config_load(&c, path, &d));
    assert_int_equal(d.errors, 1);
    assert_false(d.v[0].warning);
    assert_string_equal(d.v[0].file, path);
    assert_non_null(d.v[0].key);
    assert_string_equal(d.v[0].key, "triage.ui_language");
    assert_int_equal(d.v[0].line, fixture_line(path, "ui_language"));
    assert_non_null(strstr(d.v[0].msg, "`fr`"));
    config_free(&c);
    diag_free(&d);
}

/* The configuration at path is refused for one error of [import] conditions, on its line, whose message holds both */
static void expect_conditions_refused(const char *path, const char *says, const char *also) {
    config c;
    diag d = {0};
    assert_false(config_load(&c, path, &d));
    assert_int_equal(d.errors, 1);
    int at = d.n - 1; /* after any warning */
    assert_false(d.v[at].warning);
    assert_string_equal(d.v[at].key, "import.conditions");
    assert_int_equal(d.v[at].line, fixture_line(path, "conditions"));
    if (!strstr(d.v[at].msg, says) || !strstr(d.v[at].msg, also))
        fail_msg("`%s` does not say `%s` and `%s`", d.v[at].msg, says, also);
    config_free(&c);
    diag_free(&d);
}

/* [import] conditions: a range whose ends are not of one length ("X60-X8") matched nothing and said nothing */
static void test_import_bad_range(void **state) {
    (void)state;
    expect_conditions_refused(FIX "import_bad_range.ini", "X60-X8*", "LOW-HIGH");
}

/* [import] conditions: a system name triage does not know ("ICD10-CM") matched nothing and said nothing (thirty-third
 * outside integrator's leftover); the known names, URLs and OIDs are taken */
static void test_import_bad_system(void **state) {
    (void)state;
    expect_conditions_refused(FIX "import_bad_system.ini", "`ICD10-CM|R45.88:orange`", "ICD-10-CM, ICD-10");
    config c;
    diag ok = {0};
    assert_true(config_load(&c, FIX "import_known_systems.ini", &ok));
    assert_int_equal(ok.errors, 0);
    assert_int_equal(ok.n, 1); /* https://example.org/codes: a warning, matched exactly */
    assert_true(ok.v[0].warning);
    assert_non_null(strstr(ok.v[0].msg, "example.org"));
    config_free(&c);
    diag_free(&ok);
    /* thirty-fourth outside integrator: a misspelt URL at a known publisher, a misspelt scheme */
    const char *bad[] = {FIX "import_misspelt_url.ini", FIX "import_bad_scheme.ini",
                         /* thirty-fifth: the host with a port, under a subdomain, with a user and a trailing dot */
                         FIX "import_publisher_port.ini", FIX "import_publisher_terminology.ini",
                         FIX "import_publisher_userinfo.ini"};
    const char *named[] = {"http://hl7.org/fhir/sid/icd10-cm", "htp://snomed.info/sct", "http://hl7.org:80/fhir/sid/icd10-cm",
                           "http://terminology.hl7.org/CodeSystem/icd10cm", "http://user@hl7.org./fhir/sid/icd10-cm"};
    for (int i = 0; i < 5; i++) expect_conditions_refused(bad[i], named[i], "misspelt?");
}

static void test_ui_language_zh(void **state) {
    (void)state;
    config c;
    diag d = {0};
    assert_true(config_load(&c, FIX "ui_zh.ini", &d));
    assert_int_equal(d.n, 0);
    assert_int_equal(c.ui_lang, LANG_ZH);
    config_free(&c);
    diag_free(&d);
}

static void test_unknown_triage_key_warning(void **state) {
    (void)state;
    const char *path = FIX "triage_unknown_key.ini";
    config c;
    diag d = {0};
    assert_true(config_load(&c, path, &d));
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.n, 1);
    assert_true(d.v[0].warning);
    assert_string_equal(d.v[0].key, "triage.colour");
    assert_int_equal(d.v[0].line, fixture_line(path, "colour"));
    char line[1024];
    diag_format(&d, 0, line, sizeof line);
    assert_non_null(strstr(line, "warning"));
    config_free(&c);
    diag_free(&d);
}

static void test_unknown_section_warning(void **state) {
    (void)state;
    const char *path = FIX "unknown_section.ini";
    config c;
    diag d = {0};
    assert_true(config_load(&c, path, &d));
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.n, 1);
    assert_true(d.v[0].warning);
    assert_string_equal(d.v[0].key, "extras");
    assert_int_equal(d.v[0].line, fixture_line(path, "[extras]"));
    config_free(&c);
    diag_free(&d);
}

static void test_relative_dirs_from_config_dir(void **state) {
    (void)state;
    const char *path = FIX "relative_dirs.ini";
    config c;
    diag d = {0};
    assert_true(config_load(&c, path, &d));
    assert_int_equal(d.n, 0);
    assert_string_equal(c.forms_dir, FIX "../../../forms");
    assert_string_equal(c.roster_file, FIX "../roster/ties.ini");
    config_free(&c);

    /* the whole engine follows them: forms from the repository, the roster of the fixture */
    engine e;
    assert_true(engine_load(&e, path, NULL, true, &d));
    assert_int_equal(d.n, 0);
    assert_int_equal(e.forms.n, 8);
    assert_true(e.has_roster);
    assert_int_equal(e.roster.n, 5);
    assert_string_equal(e.roster.v[0].id, "t_alice");
    engine_free(&e);
    diag_free(&d);
}

static void test_absolute_dirs_kept(void **state) {
    (void)state;
    char p[512], text[1024];
    snprintf(text, sizeof text, "[triage]\nforms_dir = /srv/triage/forms\nroster_file = %s/roster.ini\n", tmp);
    write_file("abs.ini", text);
    config c;
    diag d = {0};
    assert_true(config_load(&c, tpath(p, sizeof p, "abs.ini"), &d));
    assert_string_equal(c.forms_dir, "/srv/triage/forms");
    assert_string_equal(c.roster_file, tpath(p, sizeof p, "roster.ini"));
    config_free(&c);
    diag_free(&d);
}

static void test_empty_dirs_use_program_dir(void **state) {
    (void)state;
    config_set_program_dir(".");
    config c;
    diag d = {0};
    assert_true(config_load(&c, "config.ini", &d));
    assert_string_equal(c.forms_dir, "./forms");
    assert_string_equal(c.roster_file, "./assets/counselors.sample.ini");
    config_free(&c);
    config_set_program_dir(NULL);
    diag_free(&d);
}

/* ---- [safety] step sets ---- */

static const diag_entry *find_key(const diag *d, const char *key) {
    for (int i = 0; i < d->n; i++)
        if (d->v[i].key && strcmp(d->v[i].key, key) == 0) return &d->v[i];
    return NULL;
}

/* The shipped steps: red and bssa, both channels, both languages; no number but the public emergency ones. */
static void test_safety_builtin_sets(void **state) {
    (void)state;
    config c;
    diag d = {0};
    assert_true(config_load_builtin(&c, &d));
    const safety_config *s = &c.safety;
    assert_int_equal(s->n, 2);
    assert_int_equal(s->red, safety_set_index(s, "red"));
    assert_true(safety_set_index(s, "bssa") >= 0);
    assert_string_equal(s->channel_from, "intake.channel caller.channel");
    assert_int_equal(safety_channel_of(s, "phone"), SAFETY_CHANNEL_REMOTE);
    assert_int_equal(safety_channel_of(s, "online"), SAFETY_CHANNEL_REMOTE);
    assert_int_equal(safety_channel_of(s, "walk_in"), SAFETY_CHANNEL_IN_PERSON);
    assert_int_equal(safety_channel_of(s, "referral"), SAFETY_CHANNEL_IN_PERSON);
    assert_int_equal(safety_channel_of(s, ""), SAFETY_CHANNEL_UNKNOWN);
    for (int set = 0; set < s->n; set++)
        for (int l = 0; l < LANG_COUNT; l++)
            for (int v = 0; v < SAFETY_VARIANTS; v++) {
                const char *t = safety_steps(s, set, (safety_variant)v, (lang)l);
                assert_true(strlen(t) > 40);
                /* every run of digits is 120 or 110 (no invented extension or hotline number) */
                for (const char *p = t; *p; p++) {
                    if (*p < '0' || *p > '9') continue;
                    size_t n = strspn(p, "0123456789");
                    if (!((n == 3 && strncmp(p, "120", 3) == 0) || (n == 3 && strncmp(p, "110", 3) == 0)))
                        fail_msg("set %s: a number `%.*s` the centre did not write", s->name[set], (int)n, p);
                    p += n - 1;
                }
            }
    assert_non_null(strstr(safety_steps(s, s->red, SAFETY_REMOTE, LANG_EN), "Stay on the line"));
    assert_non_null(strstr(safety_steps(s, s->red, SAFETY_REMOTE, LANG_EN), "call them back"));
    assert_non_null(strstr(safety_steps(s, s->red, SAFETY_REMOTE, LANG_EN), "address"));
    config_free(&c);
    diag_free(&d);
}

/* config check: a warning naming file, line and key for each sample placeholder; none once replaced. */
static void test_safety_placeholders_warned(void **state) {
    (void)state;
    config c;
    diag d = {0};
    assert_true(config_load(&c, "config.ini", &d));
    assert_int_equal(d.n, 0); /* loading alone says nothing: only config check warns */
    assert_int_equal(safety_check_placeholders(&c.safety, &d), 8);
    const diag_entry *w = find_key(&d, "safety.red.in_person.en");
    assert_non_null(w);
    assert_true(w->warning);
    assert_string_equal(w->file, "config.ini");
    assert_int_equal(w->line, fixture_line("config.ini", "red.in_person.en"));
    assert_non_null(strstr(w->msg, "[duty clinician's number]"));
    assert_int_equal(d.errors, 0);
    config_free(&c);
    diag_free(&d);

    /* the centre wrote its own numbers everywhere: no warning */
    char path[512];
    snprintf(path, sizeof path, "/tmp/triage-test-safety.%d.ini", (int)getpid());
    FILE *in = fopen("config.ini", "r"), *out = fopen(path, "w");
    assert_non_null(in);
    assert_non_null(out);
    char line[8192];
    while (fgets(line, sizeof line, in)) {
        char *lb;
        while ((lb = strchr(line, '[')) && strchr(lb, ']') && lb != line) { /* a section header starts the line */
            char *rb = strchr(lb, ']');
            memmove(lb + 8, rb + 1, strlen(rb + 1) + 1);
            memcpy(lb, "555 0100", 8);
        }
        fputs(line, out);
    }
    fclose(in);
    fclose(out);
    d = (diag){0};
    assert_true(config_load(&c, path, &d));
    assert_int_equal(safety_check_placeholders(&c.safety, &d), 0);
    assert_int_equal(d.n, 0);
    assert_false(c.safety.builtin_used);
    config_free(&c);
    diag_free(&d);
    remove(path);
}

static void test_safety_old_steps_key(void **state) {
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "/tmp/triage-test-safety-old.%d.ini", (int)getpid());
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("[triage]\nui_language = en\n[safety]\nsteps.en = \"Call Dr Wu on 8123.\"\n", fp);
    fclose(fp);
    config c;
    diag d = {0};
    assert_true(config_load(&c, path, &d));
    const diag_entry *w = find_key(&d, "safety.steps");
    assert_non_null(w);
    assert_true(w->warning);
    assert_int_equal(w->line, 4);
    assert_non_null(strstr(w->msg, "red.in_person.en"));
    assert_string_equal(safety_steps(&c.safety, c.safety.red, SAFETY_IN_PERSON, LANG_EN), "Call Dr Wu on 8123.");
    /* the rest is the built-in text, said by config check */
    assert_non_null(strstr(safety_steps(&c.safety, c.safety.red, SAFETY_REMOTE, LANG_EN), "Stay on the line"));
    assert_true(c.safety.builtin_used);
    config_free(&c);
    diag_free(&d);

    /* an incomplete new set and an unknown field: errors naming the line */
    fp = fopen(path, "w");
    fputs("[triage]\nui_language = en\n[safety]\ncrisis.title.en = \"Crisis\"\nred.inperson.en = \"x\"\n", fp);
    fclose(fp);
    d = (diag){0};
    assert_false(config_load(&c, path, &d));
    const diag_entry *e1 = find_key(&d, "safety.crisis.in_person.en");
    assert_non_null(e1);
    assert_false(e1->warning);
    const diag_entry *e2 = find_key(&d, "safety.red.inperson.en");
    assert_non_null(e2);
    assert_int_equal(e2->line, 5);
    config_free(&c);
    diag_free(&d);
    remove(path);
}

/* rule.NAME.steps names a set; an unknown one is refused on its line. */
static void test_safety_rule_steps(void **state) {
    (void)state;
    engine e;
    diag d = {0};
    config_set_program_dir(".");
    assert_true(engine_load(&e, "config.ini", "forms", false, &d));
    int bssa = safety_set_index(&e.cfg.safety, "bssa");
    bool found = false;
    for (int i = 0; i < e.rules.n; i++) {
        if (strcmp(e.rules.v[i].name, "asq_positive") == 0) {
            assert_int_equal(e.rules.v[i].steps_set, bssa);
            found = true;
        } else {
            assert_int_equal(e.rules.v[i].steps_set, -1);
        }
    }
    assert_true(found);
    engine_free(&e);
    char path[512];
    snprintf(path, sizeof path, "/tmp/triage-test-steps.%d.ini", (int)getpid());
    FILE *in = fopen("config.ini", "r"), *out = fopen(path, "w");
    char line[8192];
    int at = 0, n = 0;
    while (fgets(line, sizeof line, in)) {
        n++;
        if (strncmp(line, "rule.asq_positive.steps", 23) == 0) {
            fputs("rule.asq_positive.steps = bsa\n", out);
            at = n;
        } else {
            fputs(line, out);
        }
    }
    fclose(in);
    fclose(out);
    assert_true(at > 0);
    assert_false(engine_load(&e, path, "forms", false, &d));
    const diag_entry *x = find_key(&d, "risk.rule.asq_positive.steps");
    assert_non_null(x);
    assert_int_equal(x->line, at);
    assert_non_null(strstr(x->msg, "`bsa` is not a step set"));
    diag_free(&d);

    /* a misspelt remote channel would give a caller the in-person steps: refused on its line */
    in = fopen("config.ini", "r");
    out = fopen(path, "w");
    at = n = 0;
    while (fgets(line, sizeof line, in)) {
        n++;
        if (strncmp(line, "remote_channels", 15) == 0) {
            fputs("remote_channels = phone onlin\n", out);
            at = n;
        } else {
            fputs(line, out);
        }
    }
    fclose(in);
    fclose(out);
    d = (diag){0};
    assert_false(engine_load(&e, path, "forms", false, &d));
    x = find_key(&d, "safety.remote_channels");
    assert_non_null(x);
    assert_int_equal(x->line, at);
    assert_non_null(strstr(x->msg, "`onlin` is not a code of intake.channel"));
    diag_free(&d);
    remove(path);
    config_set_program_dir(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_explicit_beats_env, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_env_beats_xdg, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_xdg_beats_builtin, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_home_config_without_xdg, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_builtin_when_nothing_found, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_explicit_missing_fails, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_env_missing_fails, make_tmp, remove_tmp),
        cmocka_unit_test(test_builtin_equals_config_ini),
        cmocka_unit_test(test_builtin_loads_clean),
        cmocka_unit_test(test_ui_language_fr_error),
        cmocka_unit_test(test_ui_language_zh),
        cmocka_unit_test(test_import_bad_range),
        cmocka_unit_test(test_import_bad_system),
        cmocka_unit_test(test_unknown_triage_key_warning),
        cmocka_unit_test(test_unknown_section_warning),
        cmocka_unit_test(test_relative_dirs_from_config_dir),
        cmocka_unit_test_setup_teardown(test_absolute_dirs_kept, make_tmp, remove_tmp),
        cmocka_unit_test(test_empty_dirs_use_program_dir),
        cmocka_unit_test(test_safety_builtin_sets),
        cmocka_unit_test(test_safety_placeholders_warned),
        cmocka_unit_test(test_safety_old_steps_key),
        cmocka_unit_test(test_safety_rule_steps),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
