/* A small form of labelled text fields (the roster and staff editors): Tab and the arrows move between
 * fields, typing edits the current one, secret fields show stars and are wiped when the form closes. */
#include <string.h>

#include "secret.h"
#include "ui.h"

void field_form_draw(const field_form *f, int y, int x, int width) {
    for (int i = 0; i < f->n; i++) {
        const edit_field_t *e = &f->f[i];
        draw_text(y + i, x, 22, tr(e->label), i == f->at ? theme(C_TITLE) : A_NORMAL);
        char shown[1024];
        if (e->secret) {
            size_t n = strlen(e->value) < 60 ? strlen(e->value) : 60;
            memset(shown, '*', n);
            shown[n] = '\0';
        } else {
            snprintf(shown, sizeof shown, "%s", e->value);
        }
        int used = draw_text(y + i, x + 24, width - 26, shown, A_UNDERLINE);
        if (i == f->at) draw_text(y + i, x + 24 + used, 1, "_", A_BLINK); /* where typing goes */
    }
}

bool field_form_handle(field_form *f, const event *ev, ui_action act) {
    if (act == UA_NEXT) f->at = (f->at + 1) % f->n;
    else if (act == UA_PREV) f->at = (f->at + f->n - 1) % f->n;
    else return edit_field(f->f[f->at].value, sizeof f->f[f->at].value, ev);
    return true;
}

void field_form_clear(field_form *f) {
    for (int i = 0; i < FORM_FIELDS_MAX; i++) secret_wipe(f->f[i].value, sizeof f->f[i].value);
    memset(f, 0, sizeof *f);
}
