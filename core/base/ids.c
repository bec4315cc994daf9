#include "ids.h"

#include <uuid/uuid.h>

void id_new(char out[ID_TEXT_LEN]) {
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, out);
}

bool id_valid(const char *s) {
    uuid_t u;
    if (!s) return false;
    for (int i = 0; i < ID_TEXT_LEN - 1; i++)
        if (!s[i]) return false;
    return s[ID_TEXT_LEN - 1] == '\0' && uuid_parse(s, u) == 0;
}
