/* Shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c): where the repository's data lives and the
 * one engine (config.ini, forms, rules, matching, roster) that the JSON harnesses parse against.
 * Each harness is built by `make fuzz-build` with clang -fsanitize=fuzzer,address,undefined; a crash,
 * a sanitizer report or a leak is a finding. */
#ifndef TRIAGE_FUZZ_COMMON_H
#define TRIAGE_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

/* The checkout the harness was built in (the Makefile passes it): the real forms and config.ini. */
#ifndef FUZZ_ROOT
#define FUZZ_ROOT "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The input as a NUL-terminated string (an embedded NUL simply ends it, as it would for the program). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size) {
    char *s = malloc(size + 1);
    if (!s) abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Writes a seed file when FUZZ_WRITE_SEEDS names a directory (how tests/fuzz/corpus/ was made). */
static inline void fuzz_write_seed(const char *name, const void *p, size_t n) {
    const char *dir = getenv("FUZZ_WRITE_SEEDS");
    if (!dir || !*dir) return;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(p, 1, n, fp) != n || fclose(fp) != 0) abort();
}

/* The repository's engine, loaded once: a failure here is a broken checkout, not a finding. */
static inline const engine *fuzz_engine(void) {
    static engine e;
    static int loaded;
    if (!loaded) {
        diag d = {0};
        config_set_program_dir(FUZZ_ROOT);
        if (!engine_load(&e, FUZZ_ROOT "/config.ini", FUZZ_ROOT "/forms", true, &d)) {
            diag_print(&d, stderr);
            fprintf(stderr, "fuzz: the engine of %s does not load\n", FUZZ_ROOT);
            abort();
        }
        diag_free(&d);
        loaded = 1;
    }
    return &e;
}

#endif
