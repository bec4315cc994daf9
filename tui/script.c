/* The TRIAGE_SCRIPT line parser (see script.h). No curses here: the fuzz harness links it alone. */
#include "script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"

script_line script_parse_line(char *line) {
    script_line sl = {SL_NONE, NULL, 0, 0, 0};
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '#' || line[0] == '\0') return sl;
    if (strncmp(line, "type ", 5) == 0) return (script_line){SL_TYPE, line + 5, 0, 0, 0};
    if (strncmp(line, "key ", 4) == 0) return (script_line){SL_KEY, line + 4, 0, 0, 0};
    if (strncmp(line, "dump ", 5) == 0) return (script_line){SL_DUMP, line + 5, 0, 0, 0};
    int cols, rows;
    /* a size no terminal has (curses would try to allocate it) is not a resize */
    if (sscanf(line, "resize %d %d", &cols, &rows) == 2 && cols > 0 && rows > 0 && cols <= 10000 && rows <= 10000)
        return (script_line){SL_RESIZE, NULL, cols, rows, 0};
    if (strcmp(line, "tick") == 0) return (script_line){SL_TICK, NULL, 0, 0, 0};
    long secs;
    if (strncmp(line, "advance ", 8) == 0 && parse_int(line + 8, 1, 100000000, &secs))
        return (script_line){SL_ADVANCE, NULL, 0, 0, secs};
    return sl;
}

int script_decode(const char *text, wchar_t *out, size_t cap) {
    if (cap == 0) return 0;
    size_t n = mbstowcs(out, text, cap - 1);
    if (n == (size_t)-1) n = 0; /* invalid UTF-8 types nothing */
    out[n] = L'\0';
    return (int)n;
}
