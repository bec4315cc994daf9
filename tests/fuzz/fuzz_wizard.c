/* The intake draft (wizard_from_json): the JSON of an unfinished intake as it is read back, opened, from
 * the database after a crash or an idle lock. A draft that loads is walked as the screen would: progress,
 * the current item, every text answer, back to the start and forward to the review, and saved again. */
#include "wizard.h"
#include "fuzz_common.h"

static void seed(const char *name, const wizard *w) {
    char *json = wizard_to_json(w);
    fuzz_write_seed(name, json, strlen(json));
    free(json);
}

/* Real drafts for the seed corpus (written when FUZZ_WRITE_SEEDS names a directory): an intake just
 * begun, one in the middle of the PHQ-9, one at the review. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    const engine *e = fuzz_engine();
    if (!getenv("FUZZ_WRITE_SEEDS")) return 0;
    static wizard w;
    static const char *const ids[] = {"intake", "phq9", "gad7", "asq"};
    error err = {0};
    if (!wizard_start(&w, e, ids, 4, LANG_ZH, &err)) abort();
    seed("draft_start", &w);
    (void)wizard_type(&w, "Li Jing", &err);
    (void)wizard_next(&w);
    (void)wizard_type(&w, "34", &err);
    (void)wizard_next(&w);
    for (int i = 0; i < 40 && w.stage == WZ_QUESTIONS && w.pos < 2; i++)
        if (!wizard_next(&w) && !wizard_choose(&w, 1) && !wizard_type(&w, "1", &err)) break;
    for (int i = 0; i < 4; i++) (void)wizard_choose(&w, 2);
    seed("draft_phq9", &w);
    for (int i = 0; i < 200 && w.stage == WZ_QUESTIONS; i++)
        if (!wizard_next(&w) && !wizard_choose(&w, 0) && !wizard_refuse(&w) && !wizard_type(&w, "1", &err))
            break;
    seed("draft_review", &w);
    wizard_free(&w);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const engine *e = fuzz_engine();
    char *text = fuzz_cstr(data, size);
    error err = {0};
    static wizard w;
    if (wizard_from_json(&w, e, text, &err)) {
        int number, count;
        wizard_progress(&w, &number, &count);
        (void)wizard_item(&w);
        (void)wizard_client_name(&w);
        (void)wizard_needs_safety_steps(&w);
        char *again = wizard_to_json(&w);
        free(again);
        json_t *res = wizard_result_json(&w, LANG_EN);
        json_decref(res);
        for (int i = 0; i < 4 * FORM_MAX_ITEMS && wizard_back(&w); i++) {}
        for (int i = 0; i < WIZARD_MAX_FORMS * FORM_MAX_ITEMS && w.stage == WZ_QUESTIONS; i++)
            if (!wizard_next(&w) && !wizard_choose(&w, 0) && !wizard_refuse(&w) && !wizard_type(&w, "1", &err))
                break;
    }
    wizard_free(&w);
    free(text);
    return 0;
}
