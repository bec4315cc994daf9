/* Form files (forms/ID.ini, docs/forms.md) from arbitrary bytes: the INI layer, items, scales, skip
 * logic and band expressions. A form that loads is then scored with every item unanswered, then with
 * each item's first, last and refused answers, which runs its skip logic and bands. */
#include <ctype.h>

#include "form.h"
#include "score.h"
#include "fuzz_common.h"

/* The form's id must match its file name, so the harness names the buffer after the first `id = X` line
 * (a seed from forms/ is then a valid form as it is). */
static void name_from_id(const char *s, char *name, size_t size) {
    snprintf(name, size, "fuzz/fuzz.ini");
    for (const char *p = s; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, "id", 2) != 0) continue;
        const char *q = p + 2;
        while (*q == ' ' || *q == '\t') q++;
        if (*q++ != '=') continue;
        while (*q == ' ' || *q == '\t') q++;
        size_t n = 0;
        while (n < 64 && (isalnum((unsigned char)q[n]) || q[n] == '_')) n++;
        if (n) snprintf(name, size, "fuzz/%.*s.ini", (int)n, q);
        return;
    }
}

static void exercise(const form *f) {
    answer a[FORM_MAX_ITEMS];
    score_result r;
    memset(a, 0, sizeof a);
    score_form(f, a, &r);
    for (int pass = 0; pass < 3; pass++) {
        for (int i = 0; i < f->n_items; i++) {
            const scale *s = form_item_scale(f, i);
            if (pass == 2) a[i] = (answer){ANS_REFUSED, 0};
            else if (s && s->n > 0) a[i] = (answer){ANS_VALUE, s->choices[pass ? s->n - 1 : 0].value};
            else a[i] = (answer){ANS_VALUE, pass ? (int32_t)f->items[i].max : (int32_t)f->items[i].min};
            char buf[256];
            answer_format(f, i, a[i], buf, sizeof buf);
            answer_choices(f, i, buf, sizeof buf);
        }
        score_form(f, a, &r);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = fuzz_cstr(data, size);
    char name[96];
    name_from_id(s, name, sizeof name);
    diag d = {0};
    form *f = form_load_buffer((const char *)data, size, name, &d);
    if (f) exercise(f);
    for (int i = 0; i < d.n; i++) {
        char line[512];
        diag_format(&d, i, line, sizeof line);
    }
    form_free(f);
    diag_free(&d);
    free(s);
    return 0;
}
