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

/* A uniform pick below n from random bytes (libuuid's random source, as the ids above): values of a byte
 * past the largest multiple of n are drawn again (n <= 256), so no letter or digit comes up more often. */
static unsigned pick(unsigned n) {
    for (;;) {
        uuid_t u;
        uuid_generate_random(u);
        for (size_t i = 0; i < sizeof u; i++)
            if (i != 6 && i != 8 && u[i] < 256 / n * n) return u[i] % n; /* 6 and 8 carry the UUID's version */
    }
}

void id_short_new(char out[ID_SHORT_LEN]) {
    static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    for (int i = 0; i < 3; i++) out[i] = letters[pick(sizeof letters - 1)];
    for (int i = 3; i < 7; i++) out[i] = (char)('0' + pick(10));
    out[7] = '\0';
}
