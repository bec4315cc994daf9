/* Record identifiers: random UUIDs (libuuid), lower-case text. */
#ifndef TRIAGE_IDS_H
#define TRIAGE_IDS_H

#include <stdbool.h>

#define ID_TEXT_LEN 37

void id_new(char out[ID_TEXT_LEN]);
/* True when s is a UUID in canonical text form. */
bool id_valid(const char *s);

#endif
