/* Layout: the rectangles of the screen for a terminal size, computed apart from drawing (no curses here),
 * so that it is unit-tested at 80x24, 60x20 and 200x60. */
#ifndef TRIAGE_LAYOUT_H
#define TRIAGE_LAYOUT_H

#include <stdbool.h>

typedef struct {
    int y, x, h, w;
} rect;

typedef struct {
    bool too_small;
    rect header, body, footer;
    rect question, panel; /* the wizard: side by side when wide, stacked when narrow */
} layout;

#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24
/* Terminals at least this wide show the live panel beside the question. */
#define UI_SIDE_PANEL_COLS 110

layout layout_for(int rows, int cols);

#endif
