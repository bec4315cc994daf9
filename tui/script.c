/* The TRIAGE_SCRIPT line parser (see script.h). No curses here: the fuzz harness links it alone. */
#include "script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

script_line script_parse_line(char *line) {
    script_line sl = {SL_NONE, NULL, 0, 0, 0};
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '#' || line[0] == '\0') return sl;
    if (strncmp(line, "type ", 5) == 0) return (script_line){SL_TYPE, line + 5, 0, 0, 0};
    if (strncmp(line, "burst ", 6) == 0) return (script_line){SL_BURST, line + 6, 0, 0, 0};
    if (strncmp(line, "key ", 4) == 0) return (script_line){SL_KEY, line + 4, 0, 0, 0};
    if (strncmp(line, "soon ", 5) == 0) return (script_line){SL_SOON, line + 5, 0, 0, 0};
    if (strncmp(line, "dump ", 5) == 0) return (script_line){SL_DUMP, line + 5, 0, 0, 0};
    if (strncmp(line, "mark ", 5) == 0) return (script_line){SL_MARK, line + 5, 0, 0, 0};
    int cols, rows;
    /* a size no terminal has (curses would try to allocate it) is not a resize */
    if (sscanf(line, "resize %d %d", &cols, &rows) == 2 && cols > 0 && rows > 0 && cols <= 10000 && rows <= 10000)
        return (script_line){SL_RESIZE, NULL, cols, rows, 0};
    if (strcmp(line, "tick") == 0) return (script_line){SL_TICK, NULL, 0, 0, 0};
    long secs;
    if (strncmp(line, "advance ", 8) == 0 && parse_int(line + 8, 1, 100000000, &secs))
        return (script_line){SL_ADVANCE, NULL, 0, 0, secs};
    if (strncmp(line, "pause ", 6) == 0 && parse_int(line + 6, 1, 3600, &secs))
        return (script_line){SL_PAUSE, NULL, 0, 0, secs};
    return sl;
}

int script_decode(const char *text, wchar_t *out, size_t cap) {
    if (cap == 0) return 0;
    /* as the keyboard does (input.c): a byte that is not UTF-8 is dropped alone and the rest is typed
     * (it used to drop the whole line); glibc's mbrtowc takes code points past U+10FFFF, UTF-8 does not */
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = 0, len = strlen(text);
    while (len > 0 && n + 1 < cap) {
        wchar_t wc;
        size_t k = mbrtowc(&wc, text, len, &st);
        if (k == (size_t)-1 || k == (size_t)-2 || (unsigned long)wc > 0x10ffff) {
            memset(&st, 0, sizeof st);
            k = 1;
        } else {
            out[n++] = wc;
        }
        text += k;
        len -= k;
    }
    out[n] = L'\0';
    return (int)n;
}
