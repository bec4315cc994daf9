/* One table of keys: the help overlay is drawn from it, and the man page's key list is checked against it,
 * so the three cannot drift apart. */
#include "ui.h"

#define ON(s) (1u << (s))

const key_action key_actions[] = {
    {"Tab  Up  Down", "k_move", 0},
    {"Enter", "k_enter", 0},
    {"Esc", "k_esc", 0},
    {"1-9", "k_digits", ON(SCR_WIZARD)},
    {"r", "k_refuse", ON(SCR_WIZARD)},
    {"Ctrl-S", "k_save", ON(SCR_REVIEW) | ON(SCR_WIZARD)},
    {"d", "k_decline", ON(SCR_SUMMARY)},
    {"n", "k_new", ON(SCR_HOME)},
    {"r", "k_resume", ON(SCR_HOME)},
    {"F2", "k_lang", ON(SCR_LOGIN)},
    {"? F1", "k_help", 0},
    {"q", "k_quit", ON(SCR_HOME) | ON(SCR_WIZARD)},
};
const int n_key_actions = (int)(sizeof key_actions / sizeof key_actions[0]);

void help_draw(app *a, const layout *l) {
    int w = 70 < l->body.w - 4 ? 70 : l->body.w - 4, h = n_key_actions + 5;
    int y = l->body.y + 1, x = (l->body.w - w) / 2;
    for (int r = 0; r < h; r++) mvhline(y + r, x, ' ', w);
    draw_box_title(y, x, h, w, tr("help_title"));
    int row = y + 2;
    for (int i = 0; i < n_key_actions; i++) {
        const key_action *k = &key_actions[i];
        if (k->screens && !(k->screens & (1u << a->screen))) continue;
        draw_text(row, x + 2, 16, k->keys, theme(C_TITLE));
        draw_text(row++, x + 19, w - 21, tr(k->help), A_NORMAL);
    }
    draw_text(y + h - 2, x + 2, w - 4, tr("help_close"), theme(C_DIM));
}
