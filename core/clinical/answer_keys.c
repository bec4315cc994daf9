#include "answer_keys.h"

bool answer_keys_by_value(const form *f, int item) {
    const form_item *it = &f->items[item];
    const scale *s = form_item_scale(f, item);
    if (!s || it->type == ITEM_MULTI || !f->has_total || !it->score) return false;
    /* a value that is not one digit cannot be typed as one: such a scale keeps the positions */
    for (int c = 0; c < s->n; c++)
        if (s->choices[c].value < 0 || s->choices[c].value > 9) return false;
    return true;
}

int answer_key_for_choice(const form *f, int item, int c) {
    const scale *s = form_item_scale(f, item);
    if (!s || c < 0 || c >= s->n) return -1;
    if (answer_keys_by_value(f, item)) return s->choices[c].value;
    return c + 1 <= 9 ? c + 1 : -1;
}

int answer_choice_for_key(const form *f, int item, int d) {
    const scale *s = form_item_scale(f, item);
    if (!s || d < 0 || d > 9) return -1;
    if (answer_keys_by_value(f, item)) return scale_value_index(s, d);
    return d >= 1 && d <= s->n ? d - 1 : -1;
}

bool answer_key_range(const form *f, int item, int *lo, int *hi, bool *every_option) {
    const scale *s = form_item_scale(f, item);
    *lo = 10;
    *hi = -1;
    *every_option = s != NULL;
    for (int c = 0; s && c < s->n; c++) {
        int k = answer_key_for_choice(f, item, c);
        if (k < 0) {
            *every_option = false;
            continue;
        }
        if (k < *lo) *lo = k;
        if (k > *hi) *hi = k;
    }
    return *hi >= 0;
}
