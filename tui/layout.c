#include "layout.h"

#include <string.h>

layout layout_for(int rows, int cols) {
    layout l;
    memset(&l, 0, sizeof l);
    l.too_small = rows < UI_MIN_ROWS || cols < UI_MIN_COLS;
    l.header = (rect){0, 0, 1, cols};
    l.footer = (rect){rows - 1, 0, 1, cols};
    l.body = (rect){1, 0, rows - 2, cols};
    if (cols >= UI_SIDE_PANEL_COLS) { /* wide: the live panel beside the question */
        int pw = cols * 2 / 5;
        l.question = (rect){1, 0, rows - 2, cols - pw};
        l.panel = (rect){1, cols - pw, rows - 2, pw};
    } else { /* narrow: below it */
        int ph = (rows - 2) * 9 / 20;
        l.question = (rect){1, 0, rows - 2 - ph, cols};
        l.panel = (rect){rows - 1 - ph, 0, ph, cols};
    }
    return l;
}
