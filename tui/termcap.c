/* Asks terminfo whether the terminal can move the cursor. Apart from the other files because <term.h>
 * defines macros (lines, columns, ...) that clash with ordinary names. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#include <stdbool.h>

bool term_can_move_cursor(void);

bool term_can_move_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}
