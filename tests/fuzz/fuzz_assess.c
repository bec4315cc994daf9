/* The JSON of `triage assess` and `triage intake new` (assess_load_json, assess_parse_value) against the
 * repository's forms, rules and roster. Input that parses is assessed and its output serialised, as the
 * command does. */
#include "assess.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    (void)fuzz_engine();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const engine *e = fuzz_engine();
    error err = {0};
    json_t *root = assess_load_json((const char *)data, size, &err);
    if (!root) return 0;
    static const char *const extra[] = {"client", NULL};
    static assess_input in;
    /* both ways the program calls it: plain assess, and intake new with its "client" object */
    for (int pass = 0; pass < 2; pass++) {
        if (!assess_parse_value(e, root, pass ? extra : NULL, &in, &err)) continue;
        json_t *out = assess_run(e, &in, pass ? LANG_ZH : LANG_EN);
        char *text = json_dumps(out, JSON_COMPACT);
        free(text);
        json_decref(out);
    }
    json_decref(root);
    return 0;
}
