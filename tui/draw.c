/* Drawing: colour roles (with a monochrome scheme), text measured in screen columns, and the layout
 * computed apart from drawing. A risk level is always written as a word, never shown by colour alone. */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

static attr_t roles[C_COUNT];

void theme_init(bool color) {
    /* monochrome: emphasis by bold, reverse and underline only */
    attr_t mono[C_COUNT] = {A_NORMAL, A_BOLD, A_DIM, A_REVERSE, A_BOLD | A_REVERSE, A_BOLD | A_UNDERLINE,
                            A_UNDERLINE, A_NORMAL, A_BOLD, A_BOLD};
    memcpy(roles, mono, sizeof roles);
    if (!color) return;
    short fg[C_COUNT] = {-1, COLOR_CYAN, -1, COLOR_BLACK, COLOR_WHITE, COLOR_BLACK, COLOR_BLACK,
                         COLOR_BLACK, COLOR_RED, COLOR_BLACK};
    short bg[C_COUNT] = {-1, -1, -1, COLOR_CYAN, COLOR_RED, 208, COLOR_YELLOW, COLOR_GREEN, -1, COLOR_YELLOW};
    /* orange is orange (xterm colour 208) where 256 colours exist; with eight it is red on yellow, bold and
     * underlined: apart from red (white on red) and yellow (black on yellow), never magenta */
    bool orange = COLORS >= 256;
    if (!orange) {
        fg[C_ORANGE] = COLOR_RED;
        bg[C_ORANGE] = COLOR_YELLOW;
    }
    for (int i = 1; i < C_COUNT; i++) {
        init_pair((short)i, fg[i], bg[i]);
        roles[i] = COLOR_PAIR(i) | (i == C_TITLE || i == C_RED || i == C_ERROR ? A_BOLD : 0) | (i == C_DIM ? A_DIM : 0);
    }
    if (!orange) roles[C_ORANGE] |= A_BOLD | A_UNDERLINE;
}

attr_t theme(color_role r) { return r < C_COUNT ? roles[r] : A_NORMAL; }

color_role level_color(risk_level l) {
    switch (l) {
    case LEVEL_RED: return C_RED;
    case LEVEL_ORANGE: return C_ORANGE;
    case LEVEL_YELLOW: return C_YELLOW;
    default: return C_GREEN;
    }
}

/* Decodes the next character; invalid bytes show as U+FFFD, control characters as a space. */
static int next_char(const char **p, wchar_t *wc) {
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = mbrtowc(wc, *p, MB_CUR_MAX, &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        *wc = 0xfffd;
        n = 1;
    }
    *p += n;
    if (*wc < 32 || *wc == 127) *wc = L' ';
    int w = wcwidth(*wc);
    return w < 0 ? 1 : w;
}

int text_width(const char *utf8) {
    int w = 0;
    wchar_t wc;
    for (const char *p = utf8 ? utf8 : ""; *p;) w += next_char(&p, &wc);
    return w;
}

int draw_text(int y, int x, int width, const char *utf8, attr_t attr) {
    int used = 0;
    wchar_t wc;
    attr_on(attr, NULL);
    for (const char *p = utf8 ? utf8 : ""; *p;) {
        int w = next_char(&p, &wc);
        if (used + w > width) break;
        wchar_t s[2] = {wc, 0};
        mvaddnwstr(y, x + used, s, 1);
        used += w;
    }
    attr_off(attr, NULL);
    return used;
}

const char *text_take(const char *utf8, int cols, char *out, size_t size);

static int wrap(int y, int x, int width, int max_lines, const char *utf8, attr_t attr, bool paint) {
    const char *p = utf8 ? utf8 : "";
    int line = 0;
    while (*p && line < max_lines) {
        char buf[1024];
        const char *next = text_take(p, width, buf, sizeof buf); /* where a line may break: text_take's rule */
        if (next == p) break; /* nothing fits (never: text_take takes at least one character) */
        if (paint) draw_text(y + line, x, width, buf, attr);
        line++;
        p = next;
    }
    return line;
}

int draw_wrapped(int y, int x, int width, int max_lines, const char *utf8, attr_t attr) {
    return wrap(y, x, width, max_lines, utf8, attr, true);
}

int wrapped_lines(int width, const char *utf8) { return width > 0 ? wrap(0, 0, width, 1000, utf8, 0, false) : 0; }

int draw_wrapped_hanging(int y, int x, int width, int max_lines, const char *utf8, attr_t attr) {
    const char *p = utf8 ? utf8 : "", *gap = strstr(p, "  ");
    char key[64];
    int hang = 0;
    if (gap && (size_t)(gap - p) + 2 < sizeof key) { /* the key and its two spaces: "r  " */
        memcpy(key, p, (size_t)(gap - p) + 2);
        key[gap - p + 2] = '\0';
        hang = text_width(key);
    }
    if (hang <= 0 || hang * 3 > width || max_lines < 2) return draw_wrapped(y, x, width, max_lines, p, attr);
    char first[1024];
    const char *next = text_take(p, width, first, sizeof first);
    draw_text(y, x, width, first, attr);
    return 1 + (*next ? draw_wrapped(y + 1, x + hang, width - hang, max_lines - 1, next, attr) : 0);
}

/* Key hints are separated by two spaces: a line breaks between two hints, never inside one (at 80x24 a line ended
 * "Esc:" and the Chinese 上一题 split over two lines: sixth tryout). A hint wider than the line wraps as text; the
 * hints past max_lines are left out whole. */
static int hints(int y, int x, int width, int max_lines, const char *utf8, attr_t attr, bool paint) {
    const char *p = utf8 ? utf8 : "";
    int line = 0;
    char buf[1024] = "";
    while (*p && line < max_lines) {
        const char *gap = p; /* the spaces between two hints, kept as written */
        while (*p == ' ') p++;
        int gap_n = (int)(p - gap) < 2 ? 2 : (int)(p - gap) > 8 ? 8 : (int)(p - gap); /* bounded: a hint's gap, not a layout */
        const char *end = strstr(p, "  ");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char seg[512];
        snprintf(seg, sizeof seg, "%.*s", (int)(n < sizeof seg ? n : sizeof seg - 1), p);
        char joined[sizeof buf + 8 + sizeof seg]; /* buf, the gap and seg always fit: nothing is cut */
        snprintf(joined, sizeof joined, "%s%*s%s", buf, buf[0] ? gap_n : 0, "", seg);
        size_t joined_n = strlen(joined);
        if (text_width(joined) <= width && joined_n < sizeof buf) {
            memcpy(buf, joined, joined_n + 1);
            p += n;
            continue;
        }
        if (!buf[0]) { /* one hint wider than the line: as text */
            int used = wrap(y + line, x, width, max_lines - line, seg, attr, paint);
            line += used;
            p += n;
            continue;
        }
        if (paint) draw_text(y + line, x, width, buf, attr);
        line++;
        buf[0] = '\0';
    }
    if (buf[0] && line < max_lines) {
        if (paint) draw_text(y + line, x, width, buf, attr);
        line++;
    }
    return line;
}

int draw_hints(int y, int x, int width, int max_lines, const char *utf8, attr_t attr) {
    return hints(y, x, width, max_lines, utf8, attr, true);
}

int hints_lines(int width, const char *utf8) { return width > 0 ? hints(0, 0, width, 1000, utf8, 0, false) : 0; }

void draw_box_title(int y, int x, int h, int w, const char *title) {
    if (h < 2 || w < 4) return;
    /* Unicode line drawing (the terminal is UTF-8): the VT100 alternate character set shows as letters
     * in terminals and multiplexers that do not switch it */
    mvhline_set(y, x + 1, WACS_HLINE, w - 2);
    mvhline_set(y + h - 1, x + 1, WACS_HLINE, w - 2);
    mvvline_set(y + 1, x, WACS_VLINE, h - 2);
    mvvline_set(y + 1, x + w - 1, WACS_VLINE, h - 2);
    mvadd_wch(y, x, WACS_ULCORNER);
    mvadd_wch(y, x + w - 1, WACS_URCORNER);
    mvadd_wch(y + h - 1, x, WACS_LLCORNER);
    mvadd_wch(y + h - 1, x + w - 1, WACS_LRCORNER);
    if (title && *title) {
        draw_text(y, x + 2, w - 4, " ", A_NORMAL);
        int tw = draw_text(y, x + 3, w - 6, title, theme(C_TITLE));
        draw_text(y, x + 3 + tw, 1, " ", A_NORMAL);
    }
}

void text_fit(char *out, size_t size, const char *utf8, int cols) {
    const char *p = utf8 ? utf8 : "";
    int total = text_width(p), used = 0;
    size_t o = 0;
    wchar_t wc;
    /* cut with an ellipsis only when the whole text does not fit; then pad to the column's width */
    int room = total > cols ? cols - 1 : cols;
    while (*p && o + 8 < size) {
        const char *before = p;
        int w = next_char(&p, &wc);
        if (used + w > room) {
            p = before;
            break;
        }
        char mb[8];
        int n = wctomb(mb, wc);
        if (n <= 0) continue;
        memcpy(out + o, mb, (size_t)n);
        o += (size_t)n;
        used += w;
    }
    if (total > cols && o + 4 < size) {
        memcpy(out + o, "\u2026", 3);
        o += 3;
        used++;
    }
    while (used < cols && o + 1 < size) {
        out[o++] = ' ';
        used++;
    }
    out[o] = '\0';
}

const char *text_take(const char *utf8, int cols, char *out, size_t size) {
    /* a line may break after a space, and before or after a Chinese character; never between two other
     * characters, so that a number ("110") or a Latin word inside Chinese text stays whole (the zh safety
     * steps split "110" over two lines; tryout). Only a run longer than the line is cut. */
    const char *p = utf8 ? utf8 : "", *brk = NULL;
    int used = 0, last_w = 1;
    wchar_t wc;
    bool wide_next = false;
    while (*p) {
        const char *before = p;
        int w = next_char(&p, &wc);
        if (used + w > cols) {
            wide_next = w == 2;
            p = before;
            break;
        }
        if (w == 2 && before != utf8) brk = before; /* before a Chinese character */
        used += w;
        last_w = w;
        if (wc == L' ' || w == 2) brk = p; /* after a space or a Chinese character */
    }
    const char *end = p;
    if (*p && !wide_next && last_w != 2 && brk) end = brk;
    if (end == utf8 && *p) end = p;
    size_t n = (size_t)(end - utf8) < size - 1 ? (size_t)(end - utf8) : size - 1;
    memcpy(out, utf8, n);
    out[n] = '\0';
    while (*end == ' ') end++;
    return end;
}

void text_fit_words(char *out, size_t size, const char *utf8, int cols) {
    if (text_width(utf8 ? utf8 : "") <= cols || cols < 2) {
        text_fit(out, size, utf8, cols);
        return;
    }
    char part[512], cut[520];
    text_take(utf8, cols - 1, part, sizeof part);
    size_t n = strlen(part);
    while (n > 0 && part[n - 1] == ' ') part[--n] = '\0';
    snprintf(cut, sizeof cut, "%s\u2026", part);
    text_fit(out, size, cut, cols);
}
