#include "levels.h"

#include <string.h>

static const char *const level_names[LEVEL_COUNT] = {"green", "yellow", "orange", "red"};

const char *risk_level_name(risk_level l) { return (unsigned)l < LEVEL_COUNT ? level_names[l] : "?"; }

bool risk_level_parse(const char *s, risk_level *out) {
    for (int i = 0; i < LEVEL_COUNT; i++)
        if (s && strcmp(s, level_names[i]) == 0) {
            *out = (risk_level)i;
            return true;
        }
    return false;
}
