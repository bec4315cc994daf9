/* The coarse categories the report facts keep instead of exact values (records/facts.h): age bands and
 * concern groups, as set in config.ini [reports]. Parsing and checking them needs nothing but text, so the
 * configuration can check its settings without reaching up to the records. */
#ifndef TRIAGE_BANDS_H
#define TRIAGE_BANDS_H

#include <stdbool.h>
#include <stddef.h>

/* The age bands when config.ini [reports] age_bands gives none: written here once (the configuration and the
 * report facts both fall back to it). */
#define FACTS_DEFAULT_AGE_BANDS "0-17 18-24 25-34 35-44 45-64 65-"
/* "0-17 18-24 ... 65-": LOW-HIGH bands in years, ascending, contiguous; the last may be open. */
bool age_bands_valid(const char *bands, char *why, size_t whysize);
/* The band holding age, or "" when age < 0 or no band holds it. */
void age_band_of(const char *bands, int age, char *out, size_t size);

/* The concern categories kept in clear: "CODE:CATEGORY" pairs; a concern code not listed counts as `other`.
 * Only broad categories (the centre's problem dimensions) are kept, never a specific code such as self_harm:
 * the facts are in clear, and the risk level already carries the risk. */
#define FACTS_DEFAULT_CONCERN_GROUPS "emotional:emotional relationship:relationship family:relationship career:career"
bool concern_groups_valid(const char *groups, char *why, size_t whysize);

/* A code (channel, concern, counselor) is kept only when it is a plain token: [A-Za-z0-9_-], 1..max bytes. */
bool facts_token_ok(const char *s, size_t max);

#endif
