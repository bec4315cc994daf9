/* Record identifiers: random UUIDs (libuuid), lower-case text. */
#ifndef TRIAGE_IDS_H
#define TRIAGE_IDS_H

#include <stdbool.h>

#define ID_TEXT_LEN 37

void id_new(char out[ID_TEXT_LEN]);
/* True when s is a UUID in canonical text form. */
bool id_valid(const char *s);

/* A short id a worker can read out on the phone and search by (an anonymous caller's): three letters and four
 * digits, "KMT4821" (no I or O, which are read as 1 and 0); about 138 million of them, so two callers rarely
 * share one, and a search shows every client who does. Letters first, so that a search takes it for a name
 * and not a phone number. */
#define ID_SHORT_LEN 8
void id_short_new(char out[ID_SHORT_LEN]);

#endif
