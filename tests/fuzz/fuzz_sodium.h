/* A deterministic randombytes for the vault harnesses: the data key, key pairs, salts and nonces are the
 * same in every run, so that the seed corpus can hold values sealed and wrapped under the harness's fixed
 * test key, and a finding replays exactly. Never linked into the program. */
#ifndef TRIAGE_FUZZ_SODIUM_H
#define TRIAGE_FUZZ_SODIUM_H

#include <sodium.h>
#include <stdint.h>

static uint64_t fuzz_rng_state = 0x7472696167650001ull;

static uint64_t fuzz_rng_next(void) { /* splitmix64 */
    uint64_t z = (fuzz_rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static const char *fuzz_rng_name(void) { return "fuzz-deterministic"; }
static uint32_t fuzz_rng_random(void) { return (uint32_t)fuzz_rng_next(); }
static void fuzz_rng_buf(void *buf, size_t n) {
    unsigned char *p = buf;
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)fuzz_rng_next();
}

static randombytes_implementation fuzz_rng = {
    .implementation_name = fuzz_rng_name, .random = fuzz_rng_random, .buf = fuzz_rng_buf};

/* Before vault_init (sodium_init), which otherwise picks the system generator. */
static inline void fuzz_deterministic_sodium(void) {
    if (randombytes_set_implementation(&fuzz_rng) != 0 || sodium_init() < 0) abort();
}

#endif
