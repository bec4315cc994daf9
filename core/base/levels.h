/* The four risk levels, lowest first, and their names in files and messages. Apart from the rules (risk.h)
 * because the queue policy, the store's facts and every screen speak of levels without reading rules. */
#ifndef TRIAGE_LEVELS_H
#define TRIAGE_LEVELS_H

#include <stdbool.h>

typedef enum { LEVEL_GREEN = 0, LEVEL_YELLOW, LEVEL_ORANGE, LEVEL_RED, LEVEL_COUNT } risk_level;

const char *risk_level_name(risk_level l);
bool risk_level_parse(const char *s, risk_level *out);

#endif
