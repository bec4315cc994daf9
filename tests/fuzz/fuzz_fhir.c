/* `triage import fhir`: FHIR R4 QuestionnaireResponse resources (in a Bundle or alone) read against the
 * repository's forms, scored, checked against their stated totals, and (when all is well) saved as queued
 * intakes by a logged-in session on a scratch database. Whatever the bytes, the import takes all or
 * nothing and never crashes. */
#include <string.h>
#include <unistd.h>

#include "fhir_import.h"
#include "session.h"
#include "fuzz_common.h"
#include "fuzz_sodium.h"

#define PASS "fuzz-passphrase-12"
static database db;
static session *s;
static char dir[128], path[160];

static void cleanup(void) {
    session_end(s);
    db_close(&db);
    char f[200];
    static const char *const suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) snprintf(f, sizeof f, "%s%s", path, suffix[i]), unlink(f);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    fuzz_deterministic_sodium();
    (void)fuzz_engine();
    error err = {0};
    int wait;
    snprintf(dir, sizeof dir, "%s/triage-fuzz-fhir.XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!vault_init() || !mkdtemp(dir)) abort();
    snprintf(path, sizeof path, "%s/f.db", dir);
    db_settings set = {5000, KDF_INTERACTIVE, 5, 8, "", ""};
    if (!db_open(&db, path, true, &set, &err) || !db_initialise(&db, "admin", PASS, strlen(PASS), &err) ||
        session_login(&db, "admin", PASS, strlen(PASS), &s, &wait, &err) != LOGIN_OK) {
        fprintf(stderr, "fuzz_fhir: setting up %s: %s\n", path, err.msg);
        abort();
    }
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    import_result res;
    error err = {0};
    memset(&res, 0, sizeof res);
    (void)fhir_import(s, fuzz_engine(), (const char *)data, size, NULL, &res, &err);
    import_result_free(&res);
    return 0;
}
