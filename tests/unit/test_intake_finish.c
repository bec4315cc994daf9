/* The intake use case's own rules, held in core whoever calls it (core/records/intake_finish.h): an interview
 * (the wizard, a resumed draft) is refused while a required question is owed or safety steps are due and not
 * acknowledged, and nothing is saved then; a record given whole (`intake new`, FHIR import) keeps its own rule,
 * a safety question it lacks counting as positive. These rules lived in the wizard's screen alone, so a second
 * screen or a resumed draft finished through the core saved past them.
 *
 * One database of its own (a supervisor and a reception worker) under a mkdtemp directory, removed at the end.
 * Run from the repository root (config.ini, forms/, assets/). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "engine.h"
#include "intake_finish.h"
#include "records.h"
#include "safety_ack.h"
#include "secret.h"
#include "session.h"
#include "store.h"
#include "vault.h"
#include "wizard.h"

#define ADMIN_PASS "admin-passphrase-1"
#define DESK_PASS "desk-passphrase-12"

static const db_settings SETTINGS = {5000, KDF_INTERACTIVE, 3, 8, "", ""};
static const char *const FORMS4[] = {"intake", "phq9", "gad7", "asq"};
static const char *const ZERO9[] = {"0", "0", "0", "0", "0", "0", "0", "0", "0", NULL};
static const char *const ZERO7[] = {"0", "0", "0", "0", "0", "0", "0", NULL};

static struct {
    char dir[64];
    database db;
    session *desk;
    engine e;
    wizard *w; /* the test's interview, freed by the teardown */
} W;

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static int group_setup(void **state) {
    (void)state;
    error err = {0};
    diag d = {0};
    config_set_program_dir(".");
    if (!vault_init() || !engine_load(&W.e, "config.ini", "forms", true, &d)) {
        diag_print(&d, stderr);
        return -1;
    }
    diag_free(&d);
    snprintf(W.dir, sizeof W.dir, "/tmp/triage-finish-XXXXXX");
    if (!mkdtemp(W.dir)) return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/centre.db", W.dir);
    session *admin = NULL;
    int wait;
    bool ok = db_open(&W.db, path, true, &SETTINGS, &err) &&
              db_initialise(&W.db, "admin", ADMIN_PASS, strlen(ADMIN_PASS), &err) &&
              session_login(&W.db, "admin", ADMIN_PASS, strlen(ADMIN_PASS), &admin, &wait, &err) == LOGIN_OK &&
              staff_add(admin, "desk", ROLE_RECEPTION, DESK_PASS, strlen(DESK_PASS), &err) &&
              session_login(&W.db, "desk", DESK_PASS, strlen(DESK_PASS), &W.desk, &wait, &err) == LOGIN_OK;
    if (admin) session_end(admin);
    if (!ok) print_error("setup: %s\n", err.msg);
    return ok ? 0 : -1;
}

static int group_teardown(void **state) {
    (void)state;
    session_end(W.desk);
    db_close(&W.db);
    engine_free(&W.e);
    config_set_program_dir(NULL);
    (void)nftw(W.dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static int test_teardown(void **state) {
    (void)state;
    if (W.w) wizard_free(W.w);
    free(W.w);
    W.w = NULL;
    return 0;
}

static int64_t clients(void) {
    int64_t n = -1;
    assert_int_equal(W.db.ops->client_count(W.db.st, &n), ST_OK);
    return n;
}

/* ---- driving an interview ---- */

static void choose(wizard *w, const char *code) {
    const scale *s = form_item_scale(wizard_form(w), w->item);
    int c = s ? scale_code_index(s, code) : -1;
    if (c < 0 || !wizard_choose(w, c)) fail_msg("choice %s at %s.%s refused", code, wizard_form(w)->id, wizard_item(w)->id);
}

static void answer_items(wizard *w, const char *const *codes) {
    for (const char *const *c = codes; *c; c++) choose(w, *c);
}

static void next(wizard *w) {
    if (!wizard_next(w)) fail_msg("wizard_next refused at %s.%s", wizard_form(w)->id, wizard_item(w)->id);
}

/* A typed answer, then on (nothing typed: passed over). */
static void type_next(wizard *w, const char *text) {
    error err = {0};
    if (text && !wizard_type(w, text, &err)) fail_msg("%s: %s", wizard_item(w)->id, err.msg);
    next(w);
}

/* A new interview over intake, phq9, gad7, asq with the intake form answered (the client consents); phone and
 * birth date given when not NULL. The wizard is W.w, or a new one when W.w is taken. */
static wizard *interview_of(const char *name, const char *phone, const char *birth) {
    error err = {0};
    wizard *w = calloc(1, sizeof *w);
    assert_non_null(w);
    if (!W.w) W.w = w;
    if (!wizard_start(w, &W.e, FORMS4, 4, LANG_EN, &err)) fail_msg("wizard_start: %s", err.msg);
    type_next(w, name);     /* preferred_name */
    next(w);                /* age */
    type_next(w, birth);    /* birth_date */
    choose(w, "female");    /* gender */
    type_next(w, phone);    /* phone */
    choose(w, "en");        /* language */
    next(w);                /* occupation */
    choose(w, "walk_in");   /* channel */
    choose(w, "other");     /* concerns (multi: stays) */
    next(w);
    next(w);                /* counselor_gender */
    choose(w, "yes");       /* consent */
    assert_string_equal(wizard_form(w)->id, "phq9");
    return w;
}

static wizard *interview(const char *name) { return interview_of(name, NULL, NULL); }

/* ---- an interview ---- */

/* A question still owed (here: the interview left before its end, as a resumed draft or a second screen may
 * be) is refused by the core itself, and nothing is saved. */
static void t_interview_question_owed_refused(void **state) {
    (void)state;
    wizard *w = interview("Owed Question");
    answer_items(w, ZERO9);
    assert_int_equal(w->stage, WZ_QUESTIONS); /* at gad7 */
    int64_t before = clients();
    intake_saved saved;
    error err = {0};
    assert_false(intake_finish_interview(W.desk, w, LANG_EN, &saved, &err));
    assert_int_equal(err.kind, ERR_INPUT);
    if (!strstr(err.msg, "question is still owed")) fail_msg("message: %s", err.msg);
    assert_int_equal(clients(), before);
    assert_int_equal(w->stage, WZ_QUESTIONS);
}

/* Red at the review, its safety steps not acknowledged: refused (a conflict: the interview is not in a state
 * that allows it), nothing saved; once acknowledged, saved red, the interview at its end. */
static void t_interview_safety_steps_due_refused(void **state) {
    (void)state;
    wizard *w = interview("Steps Due");
    answer_items(w, ZERO9);
    answer_items(w, ZERO7);
    static const char *const acute[] = {"no", "yes", "no", "no", "yes", NULL};
    answer_items(w, acute);
    assert_int_equal(w->stage, WZ_REVIEW);
    assert_true(wizard_ready(w));
    assert_int_equal(w->level, LEVEL_RED);
    int64_t before = clients();
    intake_saved saved;
    error err = {0};
    assert_false(intake_finish_interview(W.desk, w, LANG_EN, &saved, &err));
    assert_int_equal(err.kind, ERR_CONFLICT);
    if (!strstr(err.msg, "safety steps")) fail_msg("message: %s", err.msg);
    assert_int_equal(clients(), before);
    assert_int_equal(w->stage, WZ_REVIEW);

    wizard_safety_acknowledged(w);
    error_clear(&err);
    if (!intake_finish_interview(W.desk, w, LANG_EN, &saved, &err)) fail_msg("finish: %s", err.msg);
    json_decref(saved.assessment);
    assert_int_equal(saved.level, LEVEL_RED);
    assert_int_equal(clients(), before + 1);
    assert_int_equal(w->stage, WZ_SAVED);
    assert_string_equal(w->draft_id, "");
}

/* The audit entries with this action and object (the acknowledgement's is named by its draft). */
typedef struct {
    const char *action, *object;
    int n;
    char detail[300];
} entry_count;
static int count_entry(void *ctx, const audit_rec *e) {
    entry_count *c = ctx;
    if (strcmp(e->action, c->action) == 0 && strcmp(e->object_id, c->object) == 0) {
        c->n++;
        snprintf(c->detail, sizeof c->detail, "%s", e->detail);
    }
    return 0;
}

/* The red steps acknowledged through the records use case (issue 17: it was the curses screen's): the interview
 * marks them, and its draft is saved with one signed entry naming the set, channel and level, together; the draft
 * resumed has them acknowledged. Nothing is done when no set is due. */
static void t_safety_ack_saved_and_audited(void **state) {
    (void)state;
    wizard *w = interview("Steps Acked");
    answer_items(w, ZERO9);
    answer_items(w, ZERO7);
    static const char *const acute[] = {"no", "yes", "no", "no", "yes", NULL};
    answer_items(w, acute);
    assert_true(wizard_needs_safety_steps(w));
    assert_string_equal(w->draft_id, "");
    error err = {0};
    if (!intake_safety_acknowledge(W.desk, w, &err)) fail_msg("acknowledge: %s", err.msg);
    assert_false(wizard_needs_safety_steps(w));
    assert_true(w->draft_id[0] != '\0'); /* the draft saved with it */
    entry_count c = {"safety_steps_acknowledged", w->draft_id, 0, ""};
    assert_int_equal(W.db.ops->audit_each(W.db.st, count_entry, &c), ST_OK);
    assert_int_equal(c.n, 1);
    if (!strstr(c.detail, "set=red") || !strstr(c.detail, "level=red")) fail_msg("detail: %s", c.detail);
    /* the saved draft keeps the acknowledgement: resumed, no step is due again */
    char *body = NULL;
    if (!draft_resume_id(W.desk, w->draft_id, &body, &err)) fail_msg("resume: %s", err.msg);
    wizard *back = calloc(1, sizeof *back);
    assert_non_null(back);
    bool read = wizard_from_json(back, &W.e, body, &err);
    secret_free(body);
    if (!read) fail_msg("draft: %s", err.msg);
    assert_false(wizard_needs_safety_steps(back));
    wizard_free(back);
    free(back);
    /* nothing due now: nothing done, no second entry */
    assert_true(intake_safety_acknowledge(W.desk, w, &err));
    c.n = 0;
    assert_int_equal(W.db.ops->audit_each(W.db.st, count_entry, &c), ST_OK);
    assert_int_equal(c.n, 1);
    assert_true(draft_discard(W.desk, w->draft_id, &err));
}

/* A plain interview, nothing due: saved, the client made from the interview's name. */
static void t_interview_green_saved(void **state) {
    (void)state;
    wizard *w = interview("Green Saved");
    answer_items(w, ZERO9);
    answer_items(w, ZERO7);
    static const char *const no4[] = {"no", "no", "no", "no", NULL};
    answer_items(w, no4);
    assert_int_equal(w->stage, WZ_REVIEW);
    int64_t before = clients();
    intake_saved saved;
    error err = {0};
    if (!intake_finish_interview(W.desk, w, LANG_EN, &saved, &err)) fail_msg("finish: %s", err.msg);
    json_decref(saved.assessment);
    assert_int_equal(saved.level, LEVEL_GREEN);
    assert_int_equal(clients(), before + 1);
}

/* An anonymous hotline caller's quick screen, negative, with the caller id given (as a draft kept holds it). */
static wizard *anonymous_call(const char *caller_id) {
    static const char *const quick[] = {"caller", "phq2", "gad2", "asq"};
    error err = {0};
    wizard *w = calloc(1, sizeof *w);
    assert_non_null(w);
    if (!wizard_start(w, &W.e, quick, 4, LANG_EN, &err)) fail_msg("wizard_start: %s", err.msg);
    if (caller_id) snprintf(w->caller_id, sizeof w->caller_id, "%s", caller_id);
    wizard_set_anonymous(w, "Anonymous caller");
    choose(w, "phone");
    next(w); /* no call-back number */
    static const char *const zero4[] = {"0", "0", "0", "0", NULL};
    answer_items(w, zero4);
    static const char *const no4[] = {"no", "no", "no", "no", NULL};
    answer_items(w, no4);
    assert_int_equal(w->stage, WZ_REVIEW);
    return w;
}

/* One caller id is one caller: a call kept as a new draft at a second desk after the first desk saved it became a
 * second "Anonymous caller ZHS3588" (eleventh tryout); its intake joins the caller saved, and a named intake that
 * happens to carry a caller id is not moved onto anyone. */
static void t_anonymous_caller_id_one_client(void **state) {
    (void)state;
    error err = {0};
    intake_saved first, second;
    wizard *a = anonymous_call(NULL);
    int64_t before = clients();
    if (!intake_finish_interview(W.desk, a, LANG_EN, &first, &err)) fail_msg("finish: %s", err.msg);
    json_decref(first.assessment);
    assert_int_equal(clients(), before + 1);
    wizard *b = anonymous_call(a->caller_id);
    if (!intake_finish_interview(W.desk, b, LANG_EN, &second, &err)) fail_msg("finish again: %s", err.msg);
    json_decref(second.assessment);
    assert_int_equal(clients(), before + 1); /* no second caller */
    assert_string_equal(second.client_id, first.client_id);
    wizard *c = anonymous_call(NULL); /* another caller: another client */
    if (!intake_finish_interview(W.desk, c, LANG_EN, &second, &err)) fail_msg("finish other: %s", err.msg);
    json_decref(second.assessment);
    assert_int_equal(clients(), before + 2);
    wizard *all[] = {a, b, c};
    for (int i = 0; i < 3; i++) {
        wizard_free(all[i]);
        free(all[i]);
    }
}

/* A new client who is exactly one client already (name, phone and birth date): that client, not a second one (a new
 * client's intake kept at a second desk and saved after the first desk saved it: twelfth tryout). A name alone, or
 * another birth date, is another client. */
static void t_same_new_client_one_client(void **state) {
    (void)state;
    static const char *const no4[] = {"no", "no", "no", "no", NULL};
    const char *people[][3] = {{"Wang Same", "13800138000", "1992-03-04"}, {"Wang Same", "13800138000", "1992-03-04"},
                               /* typed as desks type them (thirteenth tryout): the same person */
                               {"wang same ", "138 0013 8000", "1992-03-04"},
                               {" WANG  Same", "+86 138-0013-8000", "1992-03-04"},
                               /* no date of birth this time: nothing differs (fourteenth tryout) */
                               {"Wang Same", "138 0013 8000", NULL},
                               {"Wang Same", "13800138000", "1993-03-04"}, {"Wang Same", NULL, NULL},
                               {"Wang Same", NULL, NULL}, {"Wang Samey", "13800138000", "1992-03-04"},
                               {"Wang Same", "13800138001", "1992-03-04"}};
    /* the second to fifth are the first; another birth date, number or name is another client, and a name
     * alone says nothing */
    const int64_t grows[] = {1, 0, 0, 0, 0, 1, 1, 1, 1, 1};
    char first[STORE_ID_LEN] = "";
    for (size_t k = 0; k < sizeof grows / sizeof grows[0]; k++) {
        wizard *w = interview_of(people[k][0], people[k][1], people[k][2]);
        answer_items(w, ZERO9);
        answer_items(w, ZERO7);
        answer_items(w, no4);
        int64_t before = clients();
        intake_saved saved;
        error err = {0};
        if (!intake_finish_interview(W.desk, w, LANG_EN, &saved, &err)) fail_msg("finish %zu: %s", k, err.msg);
        json_decref(saved.assessment);
        if (clients() != before + grows[k]) fail_msg("person %zu: %lld clients more", k, (long long)(clients() - before));
        if (k == 0) memcpy(first, saved.client_id, sizeof first);
        if (k >= 1 && k <= 4) assert_string_equal(saved.client_id, first);
        if (w != W.w) {
            wizard_free(w);
            free(w);
        }
    }
}

/* ---- a record given whole (`intake new`, import) ---- */

/* One finish of a record given whole: answers (assess JSON) for who, the client saved into client_id; its level. */
static risk_level finish_answers(intake_subject *who, const char *answers, char client_id[STORE_ID_LEN]) {
    error err = {0};
    json_error_t je;
    json_t *root = json_loads(answers, 0, &je);
    assert_non_null(root);
    assess_input *in = malloc(sizeof *in);
    assert_non_null(in);
    if (!assess_parse_value(&W.e, root, NULL, in, &err)) fail_msg("parse: %s", err.msg);
    intake_saved saved;
    bool ok = intake_finish(W.desk, &W.e, in, who, &saved, &err);
    free(in);
    json_decref(root);
    if (!ok) fail_msg("finish: %s", err.msg);
    json_decref(saved.assessment);
    memcpy(client_id, saved.client_id, STORE_ID_LEN);
    return saved.level;
}

/* One finish of an ASQ all "no" for who; the client saved into client_id. */
static void finish_for(intake_subject *who, char client_id[STORE_ID_LEN]) {
    (void)finish_answers(who, "{\"answers\":{\"asq\":[\"no\",\"no\",\"no\",\"no\"]}}", client_id);
}


/* Nobody is interviewed: no step to acknowledge at a desk, and a safety question the record lacks counts as
 * positive (ASQ positive with question 5 unknown: acute, red). */
static void t_record_missing_q5_is_red(void **state) {
    (void)state;
    intake_subject who = {NULL, "Record Client", NULL, NULL, NULL, NULL, LANG_EN, false, false, LEVEL_GREEN, NULL};
    char client_id[STORE_ID_LEN];
    assert_int_equal(finish_answers(&who, "{\"answers\":{\"asq\":[\"yes\",\"no\",\"no\",\"no\"]}}", client_id), LEVEL_RED);
}

/* A level another system states (an import's RiskAssessment) raises the saved level, never lowers it: an ASQ all "no"
 * with a stated red is saved red; a stated yellow beside an acute ASQ leaves it red */
static void t_stated_level_raises_never_lowers(void **state) {
    (void)state;
    char client_id[STORE_ID_LEN];
    intake_subject raised = {NULL, "Stated Red", NULL, NULL, NULL, NULL, LANG_EN, false, false, LEVEL_RED,
                             "entry[2] RiskAssessment ra1: high = red"};
    assert_int_equal(finish_answers(&raised, "{\"answers\":{\"asq\":[\"no\",\"no\",\"no\",\"no\"]}}", client_id),
                     LEVEL_RED);
    intake_subject lower = {NULL, "Stated Yellow", NULL, NULL, NULL, NULL, LANG_EN, false, false, LEVEL_YELLOW, "low"};
    assert_int_equal(finish_answers(&lower, "{\"answers\":{\"asq\":[\"yes\",\"no\",\"no\",\"no\"]}}", client_id),
                     LEVEL_RED);
}

/* `intake new` and import share the one-client rule with the interview: it lived in the interview alone, so the
 * same person given whole made a second client, whose queue item started at its own level. */
static void t_record_same_person_one_client(void **state) {
    (void)state;
    /* eleventh outside attacker: the search's 7-digit match joined "010-8765 4321" and "8765 4321" (two numbers in two
     * cities) and "555-0100" and "+1 (415) 555-0100", so a second Wang Fang's orange item went to the first */
    const char *people[][3] = {{"Record Same", "13900139000", "1980-01-02"},
                               {"record  same", "139 0013 9000", "1980-01-02"},
                               {"Record Same", "13900139000", NULL},
                               {"Wang Fang", "010-8765 4321", NULL},
                               {"Wang Fang", "8765 4321", NULL},
                               {"Wang Fang", "+86 10 8765 4321", NULL},
                               {"Li Na", "555-0100", NULL},
                               {"Li Na", "+1 (415) 555-0100", NULL},
                               {"Li Na", "0086 139 0013 9001", NULL},
                               {"li na", "13900139001", NULL}};
    const int64_t grows[] = {1, 0, 0, 1, 1, 0, 1, 1, 1, 0};
    char first[STORE_ID_LEN] = "";
    for (int k = 0; k < (int)(sizeof grows / sizeof grows[0]); k++) {
        error err = {0};
        json_error_t je;
        json_t *root = json_loads("{\"answers\":{\"asq\":[\"no\",\"no\",\"no\",\"no\"]}}", 0, &je);
        assert_non_null(root);
        assess_input *in = malloc(sizeof *in);
        assert_non_null(in);
        if (!assess_parse_value(&W.e, root, NULL, in, &err)) fail_msg("parse: %s", err.msg);
        intake_subject who = {NULL, people[k][0], people[k][1], people[k][2], NULL, NULL, LANG_EN, false, false, LEVEL_GREEN, NULL};
        intake_saved saved;
        int64_t before = clients();
        bool ok = intake_finish(W.desk, &W.e, in, &who, &saved, &err);
        free(in);
        json_decref(root);
        if (!ok) fail_msg("finish %d: %s", k, err.msg);
        json_decref(saved.assessment);
        if (clients() != before + grows[k]) fail_msg("record %d: %lld clients more", k, (long long)(clients() - before));
        if (k == 0) memcpy(first, saved.client_id, sizeof first);
        if (k == 1) assert_string_equal(saved.client_id, first);
    }
}

static void assert_phone(const char *client_id, const char *want) {
    error err = {0};
    client_plain c;
    if (!client_open(W.desk, client_id, &c, &err)) fail_msg("open: %s", err.msg);
    assert_string_equal(c.phone, want);
    client_plain_free(&c);
}

/* Twenty-sixth tryout: an anonymous caller's call-back number given on a later intake (the first saved without
 * one) reached no record: the record keeps no phone of an existing client's intake. It fills a record with none,
 * is found by it, and never replaces a phone on record. */
static void t_later_phone_fills_an_empty_record(void **state) {
    (void)state;
    char id[STORE_ID_LEN], again[STORE_ID_LEN];
    intake_subject first = {NULL, "Later Phone", NULL, NULL, NULL, NULL, LANG_EN, false, false, LEVEL_GREEN, NULL};
    finish_for(&first, id);
    assert_phone(id, "");
    intake_subject later = {id, "Later Phone", "13900177001", NULL, NULL, NULL, LANG_EN, false, false, LEVEL_GREEN, NULL};
    finish_for(&later, again);
    assert_string_equal(again, id);
    assert_phone(id, "13900177001");
    error err = {0};
    client_plain *found = NULL;
    int n = 0;
    if (!client_find(W.desk, "13900177001", &found, &n, &err)) fail_msg("find: %s", err.msg);
    assert_int_equal(n, 1);
    assert_string_equal(found[0].id, id);
    client_list_free(found, n);
    /* a phone on record stays: another number on a later intake does not replace it */
    intake_subject other = {id, "Later Phone", "13900177002", NULL, NULL, NULL, LANG_EN, false, false, LEVEL_GREEN, NULL};
    finish_for(&other, again);
    assert_phone(id, "13900177001");
}

/* A returning client's interview whose phone the worker typed (the record held record_phone when it began), saved:
 * whether the summary was told the record's phone changed. */
static bool returning_interview(const char *id, const char *record_phone, const char *typed) {
    wizard *w = interview_of("Desk Phone", typed, NULL);
    snprintf(w->client_id, sizeof w->client_id, "%s", id);
    wizard_note_record_phone(w, record_phone);
    answer_items(w, ZERO9);
    answer_items(w, ZERO7);
    static const char *const no4[] = {"no", "no", "no", "no", NULL};
    answer_items(w, no4);
    intake_saved saved;
    error err = {0};
    if (!intake_finish_interview(W.desk, w, LANG_EN, &saved, &err)) fail_msg("finish: %s", err.msg);
    json_decref(saved.assessment);
    assert_string_equal(saved.client_id, id);
    if (w != W.w) {
        wizard_free(w);
        free(w);
    }
    return saved.phone_changed;
}

/* Twenty-seventh tryout: a returning client's phone changed at the desk (the review's e) was silently not stored. The
 * worker's change replaces the record's, audited and said; the record's own phone kept as shown changes nothing, and
 * a record changed at another desk since is not put back; a file's phone still never replaces one (above). */
static void t_desk_phone_change_replaces_the_record(void **state) {
    (void)state;
    char id[STORE_ID_LEN];
    intake_subject first = {NULL, "Desk Phone", "13900177101", NULL, NULL, NULL, LANG_EN, false, false, LEVEL_GREEN, NULL};
    finish_for(&first, id);
    assert_phone(id, "13900177101");
    assert_false(returning_interview(id, "13900177101", "139 0017 7101")); /* as shown: no change */
    assert_phone(id, "13900177101");
    assert_true(returning_interview(id, "13900177101", "13900177102")); /* changed at the desk */
    assert_phone(id, "13900177102");
    audit_rec entry;
    audit_link prev;
    assert_int_equal(W.db.ops->audit_by_object(W.db.st, id, "client_phone_changed", true, &entry, &prev), ST_OK);
    error err = {0};
    client_plain *found = NULL;
    int n = 0;
    if (!client_find(W.desk, "13900177102", &found, &n, &err)) fail_msg("find: %s", err.msg);
    assert_int_equal(n, 1);
    client_list_free(found, n);
    if (!client_find(W.desk, "13900177101", &found, &n, &err)) fail_msg("find: %s", err.msg);
    assert_int_equal(n, 0); /* the old number finds nobody now */
    client_list_free(found, n);
    /* a draft begun when the record held ...101, saved after another desk made it ...102: not put back */
    assert_false(returning_interview(id, "13900177101", "13900177101"));
    assert_phone(id, "13900177102");
}

int main(void) {
#define T(fn) cmocka_unit_test_teardown(fn, test_teardown)
    const struct CMUnitTest tests[] = {
        T(t_interview_question_owed_refused),
        T(t_interview_safety_steps_due_refused),
        T(t_safety_ack_saved_and_audited),
        T(t_interview_green_saved),
        T(t_anonymous_caller_id_one_client),
        T(t_same_new_client_one_client),
        T(t_record_missing_q5_is_red),
        T(t_stated_level_raises_never_lowers),
        T(t_record_same_person_one_client),
        T(t_later_phone_fills_an_empty_record),
        T(t_desk_phone_change_replaces_the_record),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
