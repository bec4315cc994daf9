/* The line format of TRIAGE_SCRIPT files, parsed apart from curses so that the parser can be fuzzed and
 * tested on its own (tests/fuzz/fuzz_script.c); tui/input.c turns a parsed line into an event. */
#ifndef TRIAGE_SCRIPT_H
#define TRIAGE_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

typedef enum {
    SL_NONE,    /* empty line, comment, or a line that is not understood (ignored, as before) */
    SL_TYPE,    /* type TEXT */
    SL_KEY,     /* key NAME (a named key, or one character) */
    SL_DUMP,    /* dump PATH */
    SL_RESIZE,  /* resize COLS ROWS */
    SL_TICK,    /* tick */
    SL_ADVANCE, /* advance SECONDS */
    SL_MARK,    /* mark LABEL: the key presses since the last mark are written to $TRIAGE_KEYCOUNT (make bench) */
    SL_BURST,   /* burst TEXT: typed as type does, but after its first character the rest arrive 5 ms apart (a
                 * paste, a number typed fast); every other key of a script arrives a second after the one
                 * before, a person's pace */
    SL_SOON,    /* soon NAME: as key NAME, but 150 ms after the key before (a hurried person: Esc then a digit) */
    SL_PAUSE    /* pause SECONDS: the person stops to think; the next key comes that much later (no event) */
} script_kind;

typedef struct {
    script_kind kind;
    const char *arg; /* SL_TYPE and SL_BURST text, SL_KEY and SL_SOON name, SL_DUMP path, SL_MARK label: points into the parsed line */
    int cols, rows;  /* SL_RESIZE */
    long secs;       /* SL_ADVANCE, 1..100000000; SL_PAUSE, 1..3600 */
} script_line;

/* Parses one line as read by fgets (its end of line is cut off in place). */
script_line script_parse_line(char *line);
/* Decodes UTF-8 text into at most cap - 1 wide characters (NUL-terminated); returns how many. Bytes that
 * are not UTF-8 are dropped one by one and the rest is kept, as from the keyboard. */
int script_decode(const char *text, wchar_t *out, size_t cap);

#endif
