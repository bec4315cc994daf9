#include "error.h"
#include "form.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"

/* Everything one load needs to report problems precisely. */
typedef struct {
    ini_file ini;
    diag *d;
    form *f;
    int errors_before; /* the diagnostics count when this file started */
} loader;

static void err(loader *ld, const char *section, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void err(loader *ld, const char *section, const char *key, const char *fmt, ...) {
    char k[512], msg[1024];
    snprintf(k, sizeof k, "%s%s%s", section, key ? "." : "", key ? key : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line = key ? ini_line(&ld->ini, section, key) : 0;
    if (!line) line = ini_line(&ld->ini, section, NULL);
    diag_add(ld->d, ld->ini.name, line, k, false, "%s", msg);
}

/* A LOINC code: digits, a hyphen and the mod-10 check digit (LOINC's own algorithm), e.g. 44249-1. Exports
 * carry these codes to other systems, so a typo is caught here rather than there. */
static bool loinc_valid(const char *code) {
    const char *dash = code ? strchr(code, '-') : NULL;
    if (!dash || dash == code || dash - code > 7 || dash[1] < '0' || dash[1] > '9' || dash[2]) return false;
    int sum = 0;
    for (const char *p = dash - 1, *q; p >= code; p--) {
        if (*p < '0' || *p > '9') return false;
        int d = *p - '0';
        q = dash - 1;
        if ((q - p) % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
    }
    return (10 - sum % 10) % 10 == dash[1] - '0';
}

static void check_loinc(loader *ld, const char *section, const char *key, const char *code) {
    if (code && !loinc_valid(code))
        err(ld, section, key, "`%s` is not a LOINC code (digits, a hyphen and the check digit, e.g. 44249-1)", code);
}

static const char *get(loader *ld, const char *section, const char *key) { return ini_get(&ld->ini, section, key); }

/* A LOINC answer code: LA, the number, a hyphen and one check digit (LA6568-5). Only the shape is checked:
 * answer ids are not built with the Mod 10 check of LOINC terms (LA6568-5 would fail it). */
static bool answer_loinc_valid(const char *code) {
    if (strncmp(code, "LA", 2) != 0) return false;
    const char *p = code + 2, *dash = strchr(p, '-');
    if (!dash || dash == p || dash - p > 8 || !dash[1] || dash[2]) return false;
    for (const char *q = p; q < dash; q++)
        if (*q < '0' || *q > '9') return false;
    return dash[1] >= '0' && dash[1] <= '9';
}

/* A list of LOINC answer codes, one per choice of a scale of n choices, in the order of its values. */
static char **answer_loinc_list(loader *ld, const char *section, const char *key, int n) {
    const char *text = get(ld, section, key);
    if (!text) return NULL;
    strlist codes = strlist_split(text);
    char **out = NULL;
    if (codes.n != n) {
        err(ld, section, key, "has %d codes, but the scale has %d choices", codes.n, n);
    } else {
        out = xcalloc((size_t)n, sizeof *out);
        for (int i = 0; i < n; i++) {
            if (!answer_loinc_valid(codes.v[i]))
                err(ld, section, key, "`%s` is not a LOINC answer code (LA, digits, a hyphen and a check digit)",
                    codes.v[i]);
            out[i] = xstrdup(codes.v[i]);
        }
    }
    strlist_free(&codes);
    return out;
}

/* answer_loinc_also: per choice, another LOINC answer code an import takes, or "-" for none. An alternate may
 * not be the code of another choice of the item: it would read one answer as another. */
static char **answer_loinc_also_list(loader *ld, const char *section, const form_item *it, const scale *s) {
    const char *text = get(ld, section, "answer_loinc_also");
    if (!text) return NULL;
    strlist codes = strlist_split(text);
    char **out = NULL;
    if (codes.n != s->n) {
        err(ld, section, "answer_loinc_also", "has %d entries, but the scale has %d choices (\"-\" for none)", codes.n,
            s->n);
    } else {
        out = xcalloc((size_t)s->n, sizeof *out);
        for (int i = 0; i < s->n; i++) {
            if (!strcmp(codes.v[i], "-")) continue;
            if (!answer_loinc_valid(codes.v[i]))
                err(ld, section, "answer_loinc_also",
                    "`%s` is not a LOINC answer code (LA, digits, a hyphen and a check digit), nor \"-\"", codes.v[i]);
            for (int c = 0; c < s->n; c++) {
                const char *own = it->answer_loinc ? it->answer_loinc[c] : s->loinc ? s->loinc[c] : NULL;
                if (c != i && own && !strcmp(own, codes.v[i]))
                    err(ld, section, "answer_loinc_also", "`%s` is the code of another choice (%s): it would read one "
                        "answer as another", codes.v[i], s->choices[c].code);
            }
            out[i] = xstrdup(codes.v[i]);
        }
    }
    strlist_free(&codes);
    return out;
}

static void free_list(char **v, int n) {
    for (int i = 0; v && i < n; i++) free(v[i]);
    free(v);
}

static char *req(loader *ld, const char *section, const char *key) {
    const char *v = get(ld, section, key);
    if (!v || !*v) {
        err(ld, section, key, "missing (required)");
        return NULL;
    }
    return xstrdup(v);
}

static char *opt(loader *ld, const char *section, const char *key) {
    const char *v = get(ld, section, key);
    return v && *v ? xstrdup(v) : NULL;
}

/* fhir_foreign_words, with the lists of fhir_foreign_words.2, .3... after it in file order, as one list (one INI line
 * holds at most 1023 bytes, and the words outgrew one); NULL when there are none. */
static char *foreign_words(loader *ld) {
    const char *first = get(ld, "form", "fhir_foreign_words");
    char *all = first && *first ? xstrdup(first) : NULL;
    strlist keys = ini_keys(&ld->ini, "form");
    for (int i = 0; i < keys.n; i++) {
        if (strncmp(keys.v[i], "fhir_foreign_words.", 19) != 0) continue;
        const char *more = get(ld, "form", keys.v[i]);
        if (!more || !*more) continue;
        size_t had = all ? strlen(all) : 0, add = strlen(more);
        all = xrealloc(all, had + add + 4);
        if (had) memcpy(all + had, " | ", 3), had += 3;
        memcpy(all + had, more, add + 1);
    }
    strlist_free(&keys);
    return all;
}

/* Reads KEY.en and KEY.zh; a missing language is an error naming it. */
static void texts(loader *ld, const char *section, const char *key, char *out[LANG_COUNT]) {
    for (int l = 0; l < LANG_COUNT; l++) {
        char k[256];
        snprintf(k, sizeof k, "%s.%s", key, lang_code((lang)l));
        const char *v = get(ld, section, k);
        if (!v || !*v) {
            char kk[300];
            snprintf(kk, sizeof kk, "%s.%s", section, k);
            int line = ini_line(&ld->ini, section, NULL);
            diag_add(ld->d, ld->ini.name, line, kk, false, "missing text for language %s", lang_code((lang)l));
            out[l] = NULL;
        } else {
            out[l] = xstrdup(v);
        }
    }
}

static bool yes_no(loader *ld, const char *section, const char *key, bool def) {
    const char *v = get(ld, section, key);
    if (!v) return def;
    if (strcmp(v, "yes") == 0) return true;
    if (strcmp(v, "no") == 0) return false;
    err(ld, section, key, "must be yes or no, not `%s`", v);
    return def;
}

static long number(loader *ld, const char *section, const char *key, long lo, long hi, long def) {
    const char *v = get(ld, section, key);
    long n;
    if (!v) return def;
    if (!parse_int(v, lo, hi, &n)) {
        char range[64];
        snprintf(range, sizeof range, "%ld to %ld", lo, hi);
        err(ld, section, key, "`%s` is not a whole number from %s", v, range);
        return def;
    }
    return n;
}

/* Reports every key of a section that is not in allowed (a pattern ending in '*' matches a prefix). */
static void unknown_keys(loader *ld, const char *section, const char *const *allowed) {
    strlist keys = ini_keys(&ld->ini, section);
    for (int i = 0; i < keys.n; i++) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++) {
            size_t n = strlen(*a);
            ok = (*a)[n - 1] == '*' ? strncmp(keys.v[i], *a, n - 1) == 0 : strcmp(keys.v[i], *a) == 0;
        }
        if (!ok) err(ld, section, keys.v[i], "unknown key");
    }
    strlist_free(&keys);
}

static const char *const form_keys[] = {"id", "version", "kind", "title.en", "title.zh", "instructions.en",
    "instructions.zh", "source", "source.zh", "translation.zh", "licence", "loinc", "total_loinc", "loinc_display", "total_loinc_display", "items", "total",
    "bands", "missing_items", "missing_source", "fhir_aliases", "fhir_total_links", "fhir_foreign_words", "fhir_foreign_words.*", NULL};
static const char *const scale_keys[] = {"values", "codes", "refusable", "label.*", "loinc", NULL};
static const char *const item_keys[] = {"type", "text.en", "text.zh", "label.en", "label.zh", "scale", "score", "required", "show_if",
    "safety", "safety_min", "safety_codes", "flag", "loinc", "loinc_display", "answer_loinc", "answer_loinc_also", "answer_display.*", "fhir_links", "min",
    "max", "maxlen", "format", "digits_min", "digits_max", "past", "age_item", NULL};
static const char *const band_keys[] = {"min", "max", "when", "label.en", "label.zh", "positive", "min_level", NULL};

static const char *const type_names[] = {"scale", "text", "number", "date", "choice", "multi"};

const char *item_type_name(item_type t) { return type_names[t]; }

static bool code_ok(const char *s) {
    if (!s || !*s) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return false;
    return true;
}

/* answer_display.CODE = "..." of an item: LOINC's display of the answer code of choice CODE where it is not
 * the English label (GAD-7 item 68509-9's LA18938-3 is "More days than not", the scale says "More than half
 * the days"); only for a choice that has a LOINC answer code. */
static void load_answer_display(loader *ld, const char *section, const scale *s, form_item *it) {
    strlist keys = ini_keys(&ld->ini, section);
    for (int i = 0; i < keys.n; i++) {
        if (strncmp(keys.v[i], "answer_display.", 15) != 0) continue;
        const char *code = keys.v[i] + 15;
        int c = s ? scale_code_index(s, code) : -1;
        const char *la = c < 0 ? NULL : it->answer_loinc ? it->answer_loinc[c] : s->loinc ? s->loinc[c] : NULL;
        if (c < 0) {
            err(ld, section, keys.v[i], "no choice `%s` in the item's scale", code);
            continue;
        }
        if (!la) {
            err(ld, section, keys.v[i], "choice `%s` has no LOINC answer code to display", code);
            continue;
        }
        if (!it->answer_display) it->answer_display = xcalloc((size_t)s->n, sizeof *it->answer_display);
        free(it->answer_display[c]);
        it->answer_display[c] = xstrdup(get(ld, section, keys.v[i]));
    }
    strlist_free(&keys);
}

static void load_scale(loader *ld, const char *section, scale *s) {
    s->id = xstrdup(section + strlen("scale."));
    unknown_keys(ld, section, scale_keys);
    const char *vals = get(ld, section, "values");
    if (!vals) {
        err(ld, section, "values", "missing (required)");
        return;
    }
    strlist values = strlist_split(vals);
    const char *codes_text = get(ld, section, "codes");
    strlist codes = codes_text ? strlist_split(codes_text) : strlist_split(vals);
    if (values.n == 0 || values.n > SCALE_MAX_CHOICES)
        err(ld, section, "values", "needs 1 to 32 values");
    else if (codes.n != values.n)
        err(ld, section, "codes", "has a different number of entries than values");
    else {
        s->choices = xcalloc((size_t)values.n, sizeof *s->choices);
        s->n = values.n;
        for (int i = 0; i < values.n; i++) {
            long v = 0;
            scale_choice *c = &s->choices[i];
            c->code = xstrdup(codes.v[i]);
            if (!parse_int(values.v[i], 0, 1000, &v))
                err(ld, section, "values", "`%s` is not a whole number from 0 to 1000", values.v[i]);
            c->value = (int)v;
            if (!code_ok(c->code) || strcmp(c->code, "refused") == 0)
                err(ld, section, "codes", "`%s` is not a valid code ([a-z0-9_], not `refused`)", c->code);
            for (int j = 0; j < i; j++) {
                if (strcmp(s->choices[j].code, c->code) == 0)
                    err(ld, section, "codes", "duplicate code `%s`", c->code);
                if (s->choices[j].value == c->value)
                    err(ld, section, "values", "duplicate value `%s`", values.v[i]);
            }
            char key[128];
            snprintf(key, sizeof key, "label.%s", c->code);
            texts(ld, section, key, c->label);
            if (i == 0 || c->value < s->min_value) s->min_value = c->value;
            if (i == 0 || c->value > s->max_value) s->max_value = c->value;
        }
        /* every label must belong to a code */
        strlist keys = ini_keys(&ld->ini, section);
        for (int i = 0; i < keys.n; i++) {
            if (strncmp(keys.v[i], "label.", 6) != 0) continue;
            char code[128];
            snprintf(code, sizeof code, "%s", keys.v[i] + 6);
            char *dot = strrchr(code, '.');
            lang l;
            if (!dot || !lang_parse(dot + 1, &l)) {
                err(ld, section, keys.v[i], "unknown key (labels are label.CODE.en / label.CODE.zh)");
                continue;
            }
            *dot = '\0';
            if (strlist_find(&codes, code) < 0) err(ld, section, keys.v[i], "label for unknown code `%s`", code);
        }
        strlist_free(&keys);
    }
    s->refusable = yes_no(ld, section, "refusable", false);
    if (s->n) s->loinc = answer_loinc_list(ld, section, "loinc", s->n);
    else if (get(ld, section, "loinc")) err(ld, section, "loinc", "the scale has no choices");
    strlist_free(&values);
    strlist_free(&codes);
}

int scale_code_index(const scale *s, const char *code) {
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->choices[i].code, code) == 0) return i;
    return -1;
}

int scale_value_index(const scale *s, int value) {
    for (int i = 0; i < s->n; i++)
        if (s->choices[i].value == value) return i;
    return -1;
}

int form_item_index(const form *f, const char *id) {
    for (int i = 0; i < f->n_items; i++)
        if (strcmp(f->items[i].id, id) == 0) return i;
    return -1;
}

int form_band_index(const form *f, const char *id) {
    for (int i = 0; i < f->n_bands; i++)
        if (strcmp(f->bands[i].id, id) == 0) return i;
    return -1;
}

const char *form_answer_display(const form *f, int item, int c) {
    const form_item *it = &f->items[item];
    const scale *s = form_item_scale(f, item);
    if (!s || c < 0 || c >= s->n) return NULL;
    if (it->answer_display && it->answer_display[c]) return it->answer_display[c];
    return s->choices[c].label[LANG_EN];
}

const char *form_answer_loinc_also(const form *f, int item, int c) {
    const form_item *it = &f->items[item];
    const scale *s = form_item_scale(f, item);
    if (!s || c < 0 || c >= s->n || !it->answer_loinc_also) return NULL;
    return it->answer_loinc_also[c];
}

const char *form_answer_loinc(const form *f, int item, int c) {
    const form_item *it = &f->items[item];
    const scale *s = form_item_scale(f, item);
    if (!s || c < 0 || c >= s->n) return NULL;
    if (it->answer_loinc) return it->answer_loinc[c];
    return s->loinc ? s->loinc[c] : NULL;
}

const scale *form_item_scale(const form *f, int item) {
    int s = f->items[item].scale;
    return s >= 0 ? &f->scales[s] : NULL;
}

static int find_scale(const form *f, const char *id) {
    for (int i = 0; i < f->n_scales; i++)
        if (strcmp(f->scales[i].id, id) == 0) return i;
    return -1;
}

/* Binding inside a form: names are earlier items of the same form (for an item's show_if) or any item
 * (for a band). Codes are looked up in the item's scale. */
typedef struct {
    const form *f;
    int before; /* items at or after this index may not be referenced; n_items for bands */
} form_bind_ctx;

static bool bind_form_leaf(void *vctx, expr *leaf, error *e) {
    form_bind_ctx *ctx = vctx;
    int i = form_item_index(ctx->f, leaf->ref_text);
    if (i < 0) {
        error_set(e, ERR_INPUT, "refers to `%s`, which is not an item of this form", leaf->ref_text);
        return false;
    }
    if (i >= ctx->before) {
        error_set(e, ERR_INPUT, "refers to `%s`, which is not asked before this item", leaf->ref_text);
        return false;
    }
    leaf->ref = (expr_ref){0, 0, i};
    if (leaf->kind == EX_TRUTH) return true;
    const scale *s = form_item_scale(ctx->f, i);
    bool multi = ctx->f->items[i].type == ITEM_MULTI;
    if (leaf->lit_unanswered) return true;
    if ((leaf->op == OP_HAS) != multi) {
        error_set(e, ERR_INPUT, multi ? "`%s` is a multi-choice item: test it with `has CODE`"
                              : "`has` tests a multi-choice item, and `%s` is not one", leaf->ref_text);
        return false;
    }
    if (multi) {
        leaf->lit_value = s ? scale_code_index(s, leaf->lit_text) : -1;
        if (leaf->lit_value < 0) error_set(e, ERR_INPUT, "`%s` is not a code of item `%s`", leaf->lit_text, leaf->ref_text);
        return leaf->lit_value >= 0;
    }
    if (leaf->lit_refused) {
        if (!s || !s->refusable) {
            error_set(e, ERR_INPUT, "`%s` cannot be refused (its scale is not refusable)", leaf->ref_text);
            return false;
        }
        return true;
    }
    if (leaf->lit_is_num) {
        leaf->lit_value = (int)leaf->lit_num;
        return true;
    }
    int c = s ? scale_code_index(s, leaf->lit_text) : -1;
    if (c < 0) {
        error_set(e, ERR_INPUT, "`%s` is not a code of item `%s`", leaf->lit_text, leaf->ref_text);
        return false;
    }
    leaf->lit_value = s->choices[c].value;
    return true;
}

static expr *form_condition(loader *ld, const char *section, const char *key, int before) {
    const char *text = get(ld, section, key);
    if (!text) return NULL;
    error e = {0};
    expr *x = expr_parse(text, &e);
    if (!x) {
        err(ld, section, key, "%s", e.msg);
        return NULL;
    }
    form_bind_ctx ctx = {ld->f, before};
    if (!expr_bind(x, bind_form_leaf, &ctx, &e)) {
        err(ld, section, key, "%s", e.msg);
        expr_free(x);
        return NULL;
    }
    return x;
}

static bool parse_type(const char *s, item_type *t) {
    for (int i = 0; i < (int)(sizeof type_names / sizeof type_names[0]); i++)
        if (strcmp(s, type_names[i]) == 0) {
            *t = (item_type)i;
            return true;
        }
    return false;
}

/* `format = phone` on a text item: the typed answer must look like a phone number (its digits counted
 * between digits_min and digits_max); the form says so, not the code. */
static void load_format(loader *ld, const char *section, form_item *it) {
    const char *format = get(ld, section, "format");
    it->phone = format && strcmp(format, "phone") == 0;
    if (format && !it->phone) err(ld, section, "format", "`%s` is not a known format (phone)", format);
    if (format && it->type != ITEM_TEXT) err(ld, section, "format", "only for text items");
    it->digits_min = (int)number(ld, section, "digits_min", 1, 64, 6);
    it->digits_max = (int)number(ld, section, "digits_max", 1, 64, 20);
    if ((get(ld, section, "digits_min") || get(ld, section, "digits_max")) && !it->phone)
        err(ld, section, "digits_min", "digits_min and digits_max are only for `format = phone`");
    if (it->digits_min > it->digits_max) err(ld, section, "digits_max", "is below digits_min");
}

static void load_item(loader *ld, int index) {
    form *f = ld->f;
    form_item *it = &f->items[index];
    char section[256];
    snprintf(section, sizeof section, "item.%s", it->id);
    it->line = ini_line(&ld->ini, section, NULL);
    it->scale = -1;
    unknown_keys(ld, section, item_keys);
    const char *type = get(ld, section, "type");
    it->type = ITEM_SCALE;
    if (type && !parse_type(type, &it->type))
        err(ld, section, "type", "`%s` is not one of scale, text, number, date, choice, multi", type);
    texts(ld, section, "text", it->text);
    if (get(ld, section, "label.en") || get(ld, section, "label.zh")) texts(ld, section, "label", it->label);
    bool wants_scale = it->type == ITEM_SCALE || it->type == ITEM_CHOICE || it->type == ITEM_MULTI;
    const char *sc = get(ld, section, "scale");
    if (wants_scale) {
        if (!sc)
            err(ld, section, "scale", "missing (required for a %s item)", type_names[it->type]);
        else if ((it->scale = find_scale(f, sc)) < 0)
            err(ld, section, "scale", "no [scale.%s] in this file", sc);
        else if (it->type == ITEM_MULTI && f->scales[it->scale].n > 31)
            err(ld, section, "scale", "a multi item's scale may have at most 31 choices");
    } else if (sc) {
        err(ld, section, "scale", "a %s item has no scale", type_names[it->type]);
    }
    if (f->kind == FORM_SCORED && it->type != ITEM_SCALE)
        err(ld, section, "type", "a scored form has only scale items, not %s", type_names[it->type]);
    it->score = yes_no(ld, section, "score", it->type == ITEM_SCALE && f->kind == FORM_SCORED && f->has_total);
    if (it->score && (it->type != ITEM_SCALE || !f->has_total))
        err(ld, section, "score", "only scale items of a form with `total = sum` can be scored");
    it->required = yes_no(ld, section, "required", true);
    it->safety = yes_no(ld, section, "safety", false);
    it->flag = opt(ld, section, "flag");
    it->loinc = opt(ld, section, "loinc");
    check_loinc(ld, section, "loinc", it->loinc);
    it->loinc_display = opt(ld, section, "loinc_display");
    if (it->loinc_display && !it->loinc) err(ld, section, "loinc_display", "names no code: the item has no `loinc`");
    it->fhir_links = opt(ld, section, "fhir_links");
    const scale *s = it->scale >= 0 ? &f->scales[it->scale] : NULL;
    if (s && s->n) it->answer_loinc = answer_loinc_list(ld, section, "answer_loinc", s->n);
    else if (get(ld, section, "answer_loinc")) err(ld, section, "answer_loinc", "only for an item with a scale");
    if (s && s->n) it->answer_loinc_also = answer_loinc_also_list(ld, section, it, s);
    else if (get(ld, section, "answer_loinc_also")) err(ld, section, "answer_loinc_also", "only for an item with a scale");
    load_answer_display(ld, section, s, it);
    const char *codes = get(ld, section, "safety_codes");
    if (codes && it->type != ITEM_MULTI) err(ld, section, "safety_codes", "only for a multi item (use safety = yes)");
    else if (codes && s) {
        /* e.g. the presenting concern self_harm: the client's own report is a positive suicide-risk screen */
        strlist cl = strlist_split(codes);
        for (int c = 0; c < cl.n; c++) {
            int ci = scale_code_index(s, cl.v[c]);
            if (ci < 0) err(ld, section, "safety_codes", "`%s` is not a code of scale %s", cl.v[c], s->id);
            else it->safety_codes |= 1u << ci;
        }
        if (!cl.n) err(ld, section, "safety_codes", "empty");
        strlist_free(&cl);
    }
    if (it->safety) {
        if (it->type != ITEM_SCALE && it->type != ITEM_CHOICE)
            err(ld, section, "safety", "only scale and choice items can be safety items");
        it->safety_min = (int)number(ld, section, "safety_min", 0, 1000, 1);
        if (s && (it->safety_min <= s->min_value || it->safety_min > s->max_value))
            err(ld, section, "safety_min", "must be above the scale's lowest value and at most its highest");
        if (!it->flag) it->flag = xstrdup(it->id);
        if (!is_ident(it->flag)) err(ld, section, "flag", "`%s` is not a valid flag name", it->flag);
    } else if (it->safety_codes) {
        if (!it->flag) it->flag = xstrdup(it->id);
        if (!is_ident(it->flag)) err(ld, section, "flag", "`%s` is not a valid flag name", it->flag);
    } else {
        if (get(ld, section, "safety_min")) err(ld, section, "safety_min", "only for a safety item");
        if (it->flag) err(ld, section, "flag", "only for a safety item");
    }
    it->min = number(ld, section, "min", -1000000, 1000000, 0);
    it->max = number(ld, section, "max", -1000000, 1000000, 1000000);
    if ((get(ld, section, "min") || get(ld, section, "max")) && it->type != ITEM_NUMBER)
        err(ld, section, "min", "min and max are only for number items");
    if (it->min > it->max) err(ld, section, "max", "is below min");
    it->maxlen = (int)number(ld, section, "maxlen", 1, 10000, 200);
    if (get(ld, section, "maxlen") && it->type != ITEM_TEXT)
        err(ld, section, "maxlen", "only for text items");
    load_format(ld, section, it);
    it->past = yes_no(ld, section, "past", false);
    if (get(ld, section, "past") && it->type != ITEM_DATE) err(ld, section, "past", "only for date items");
    it->age_item = -1;
    const char *age = get(ld, section, "age_item");
    if (age) {
        int a = form_item_index(ld->f, age);
        if (it->type != ITEM_DATE || !it->past) err(ld, section, "age_item", "only for a date of birth (a date item with past = yes)");
        else if (a < 0 || a >= index) err(ld, section, "age_item", "`%s` is not a number item before this one", age);
        else if (ld->f->items[a].type != ITEM_NUMBER) err(ld, section, "age_item", "`%s` is not a number item", age);
        else it->age_item = a;
    }
    it->show_if = form_condition(ld, section, "show_if", index);
    it->show_if_text = opt(ld, section, "show_if");
}

static void load_bands(loader *ld) {
    form *f = ld->f;
    const char *list = get(ld, "form", "bands");
    if (f->kind == FORM_RECORD) {
        if (list) err(ld, "form", "bands", "a record form has no bands");
        return;
    }
    if (!list) {
        err(ld, "form", "bands", "missing (required for a scored form)");
        return;
    }
    strlist ids = strlist_split(list);
    if (ids.n == 0 || ids.n > FORM_MAX_BANDS) {
        err(ld, "form", "bands", "needs 1 to 16 bands");
        strlist_free(&ids);
        return;
    }
    f->bands = xcalloc((size_t)ids.n, sizeof *f->bands);
    f->n_bands = ids.n;
    for (int i = 0; i < ids.n; i++) f->bands[i].id = xstrdup(ids.v[i]);
    f->rule_bands = !f->has_total;
    int defaults = 0;
    for (int i = 0; i < ids.n; i++) {
        form_band *b = &f->bands[i];
        char section[256];
        snprintf(section, sizeof section, "band.%s", b->id);
        if (!is_ident(b->id)) err(ld, "form", "bands", "`%s` is not a valid band id", b->id);
        for (int j = 0; j < i; j++)
            if (strcmp(ids.v[j], b->id) == 0) err(ld, "form", "bands", "duplicate band `%s`", b->id);
        if (!ini_has_section(&ld->ini, section)) {
            err(ld, "form", "bands", "band `%s` has no [%s] section", b->id, section);
            continue;
        }
        unknown_keys(ld, section, band_keys);
        texts(ld, section, "label", b->label);
        b->positive = yes_no(ld, section, "positive", false);
        b->min_level = -1;
        const char *ml = get(ld, section, "min_level");
        static const char *const levels[] = {"green", "yellow", "orange", "red"};
        for (int l = 0; ml && l < 4; l++)
            if (strcmp(ml, levels[l]) == 0) b->min_level = l;
        if (ml && b->min_level < 0) err(ld, section, "min_level", "`%s` is not yellow, orange or red", ml);
        if (f->rule_bands) {
            if (get(ld, section, "min") || get(ld, section, "max"))
                err(ld, section, "min", "a form without a total chooses bands by `when`, not min/max");
            b->when = form_condition(ld, section, "when", f->n_items);
            if (!get(ld, section, "when")) defaults++;
        } else {
            if (get(ld, section, "when"))
                err(ld, section, "when", "a form with a total chooses bands by min and max");
            if (!get(ld, section, "min")) err(ld, section, "min", "missing (required)");
            if (!get(ld, section, "max")) err(ld, section, "max", "missing (required)");
            b->min = (int)number(ld, section, "min", 0, 100000, 0);
            b->max = (int)number(ld, section, "max", 0, 100000, 0);
            if (b->min > b->max) err(ld, section, "max", "is below min");
        }
    }
    if (f->rule_bands && defaults != 1)
        err(ld, "form", "bands", "exactly one band must have no `when` (the default), found %s",
            defaults == 0 ? "none" : "several");
    if (!f->rule_bands && ld->d->errors == ld->errors_before) {
        /* totals from 0 to max_total must fall in exactly one band, in the listed order */
        int expect = 0;
        for (int i = 0; i < f->n_bands; i++) {
            char section[256], range[64];
            snprintf(section, sizeof section, "band.%s", f->bands[i].id);
            snprintf(range, sizeof range, "%d", expect);
            if (f->bands[i].min > expect) err(ld, section, "min", "gap: no band covers totals from %s", range);
            else if (f->bands[i].min < expect)
                err(ld, section, "min", "overlaps the band before it (expected %s)", range);
            expect = f->bands[i].max + 1;
        }
        char top[64];
        snprintf(top, sizeof top, "%d", f->max_total);
        char section[256];
        snprintf(section, sizeof section, "band.%s", f->bands[f->n_bands - 1].id);
        if (expect - 1 < f->max_total) err(ld, section, "max", "gap: the highest possible total is %s", top);
        else if (expect - 1 > f->max_total)
            err(ld, section, "max", "beyond the highest possible total, %s", top);
    }
    strlist_free(&ids);
}

static void check_sections(loader *ld) {
    strlist secs = ini_sections(&ld->ini);
    for (int i = 0; i < secs.n; i++) {
        const char *s = secs.v[i];
        if (strcmp(s, "form") == 0) continue;
        if (strncmp(s, "scale.", 6) == 0 && find_scale(ld->f, s + 6) >= 0) continue;
        if (strncmp(s, "item.", 5) == 0) {
            if (form_item_index(ld->f, s + 5) < 0)
                err(ld, s, NULL, "item `%s` is not listed in form.items", s + 5);
            continue;
        }
        if (strncmp(s, "band.", 5) == 0) {
            if (form_band_index(ld->f, s + 5) < 0)
                err(ld, s, NULL, "band `%s` is not listed in form.bands", s + 5);
            continue;
        }
        err(ld, s, NULL, "unknown section (expected [form], [scale.ID], [item.ID] or [band.ID])");
    }
    strlist_free(&secs);
}

static char *file_id(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char *id = xstrdup(base);
    char *dot = strrchr(id, '.');
    if (dot) *dot = '\0';
    return id;
}

/* buf NULL: read the file at path; else the form is buf, named path (its id must match that name). */
static form *form_load_from(const char *path, const char *buf, size_t len, diag *d) {
    int before = d->errors;
    loader ld = {.d = d, .errors_before = before};
    if (!(buf ? ini_open_buffer(&ld.ini, buf, len, path, d) : ini_open(&ld.ini, path, d))) return NULL;
    form *f = ld.f = xcalloc(1, sizeof *f);
    f->path = xstrdup(path);
    if (!ini_has_section(&ld.ini, "form")) {
        diag_add(d, ld.ini.name, 0, "form", false, "missing [form] section");
        goto done;
    }
    unknown_keys(&ld, "form", form_keys);
    f->id = req(&ld, "form", "id");
    char *expected = file_id(path);
    if (f->id && !is_ident(f->id)) err(&ld, "form", "id", "`%s` is not a valid id ([a-z0-9_])", f->id);
    else if (f->id && strcmp(f->id, expected) != 0)
        err(&ld, "form", "id", "`%s` differs from the file name `%s.ini`", f->id, expected);
    free(expected);
    f->version = req(&ld, "form", "version");
    const char *kind = get(&ld, "form", "kind");
    if (!kind) err(&ld, "form", "kind", "missing (required)");
    else if (strcmp(kind, "scored") == 0) f->kind = FORM_SCORED;
    else if (strcmp(kind, "record") == 0) f->kind = FORM_RECORD;
    else err(&ld, "form", "kind", "`%s` is not scored or record", kind);
    texts(&ld, "form", "title", f->title);
    texts(&ld, "form", "instructions", f->instructions);
    f->source = req(&ld, "form", "source");
    f->source_zh = req(&ld, "form", "source.zh");
    f->translation_zh = req(&ld, "form", "translation.zh");
    if (f->translation_zh && strcmp(f->translation_zh, "validated") && strcmp(f->translation_zh, "unvalidated"))
        err(&ld, "form", "translation.zh", "must be validated or unvalidated, not `%s`", f->translation_zh);
    f->licence = req(&ld, "form", "licence");
    f->loinc = opt(&ld, "form", "loinc");
    f->total_loinc = opt(&ld, "form", "total_loinc");
    check_loinc(&ld, "form", "loinc", f->loinc);
    check_loinc(&ld, "form", "total_loinc", f->total_loinc);
    f->loinc_display = opt(&ld, "form", "loinc_display");
    f->total_loinc_display = opt(&ld, "form", "total_loinc_display");
    if (f->loinc_display && !f->loinc) err(&ld, "form", "loinc_display", "names no code: the form has no `loinc`");
    if (f->total_loinc_display && !f->total_loinc)
        err(&ld, "form", "total_loinc_display", "names no code: the form has no `total_loinc`");
    f->fhir_aliases = opt(&ld, "form", "fhir_aliases");
    f->fhir_total_links = opt(&ld, "form", "fhir_total_links");
    f->fhir_foreign_words = foreign_words(&ld);
    const char *total = get(&ld, "form", "total");
    if (f->kind == FORM_SCORED) {
        if (!total) err(&ld, "form", "total", "missing (sum or none)");
        else if (strcmp(total, "sum") == 0) f->has_total = true;
        else if (strcmp(total, "none") != 0) err(&ld, "form", "total", "`%s` is not sum or none", total);
    } else if (total && strcmp(total, "none") != 0) {
        err(&ld, "form", "total", "a record form has no total");
    }
    if (f->total_loinc && !f->has_total) err(&ld, "form", "total_loinc", "the form has no total");
    if (f->fhir_total_links && !f->has_total) err(&ld, "form", "fhir_total_links", "the form has no total");
    /* missing items: how many the instrument's own scoring lets be replaced by the mean, and its source */
    f->missing_items = (int)number(&ld, "form", "missing_items", 0, FORM_MAX_ITEMS, 0);
    f->missing_source = opt(&ld, "form", "missing_source");
    if (get(&ld, "form", "missing_items") && !f->has_total)
        err(&ld, "form", "missing_items", "the form has no total");
    if (f->missing_items > 0 && !f->missing_source)
        err(&ld, "form", "missing_source", "missing: say where the rule for missing items comes from");

    /* scales first: items refer to them */
    strlist secs = ini_sections(&ld.ini);
    for (int i = 0; i < secs.n; i++)
        if (strncmp(secs.v[i], "scale.", 6) == 0) {
            f->scales = xrealloc(f->scales, sizeof *f->scales * (size_t)(f->n_scales + 1));
            f->scales[f->n_scales] = (scale){0};
            if (!is_ident(secs.v[i] + 6))
                err(&ld, secs.v[i], NULL, "`%s` is not a valid scale id", secs.v[i] + 6);
            load_scale(&ld, secs.v[i], &f->scales[f->n_scales++]);
        }
    strlist_free(&secs);

    const char *items = get(&ld, "form", "items");
    strlist ids = strlist_split(items);
    if (!items || ids.n == 0) err(&ld, "form", "items", "missing (required)");
    else if (ids.n > FORM_MAX_ITEMS) err(&ld, "form", "items", "more than 64 items");
    else {
        f->items = xcalloc((size_t)ids.n, sizeof *f->items);
        for (int i = 0; i < ids.n; i++) {
            bool dup = false;
            for (int j = 0; j < i; j++) dup = dup || strcmp(ids.v[i], ids.v[j]) == 0;
            if (dup) err(&ld, "form", "items", "duplicate item `%s`", ids.v[i]);
            else if (!is_ident(ids.v[i]) || strcmp(ids.v[i], "total") == 0 || strcmp(ids.v[i], "band") == 0 ||
                     strcmp(ids.v[i], "answered") == 0 || strcmp(ids.v[i], "flag") == 0)
                err(&ld, "form", "items", "`%s` is not a valid item id", ids.v[i]);
            else {
                char section[256];
                snprintf(section, sizeof section, "item.%s", ids.v[i]);
                if (!ini_has_section(&ld.ini, section))
                    err(&ld, "form", "items", "item `%s` has no [%s] section", ids.v[i], section);
                else
                    f->items[f->n_items++].id = xstrdup(ids.v[i]);
            }
        }
        for (int i = 0; i < f->n_items; i++) load_item(&ld, i);
        for (int i = 0; i < f->n_items; i++) {
            const form_item *it = &f->items[i];
            if (it->score && it->scale >= 0) f->max_total += f->scales[it->scale].max_value;
            for (int j = 0; j < i; j++)
                if (it->flag && f->items[j].flag && strcmp(it->flag, f->items[j].flag) == 0) {
                    char sec[256];
                    snprintf(sec, sizeof sec, "item.%s", it->id);
                    err(&ld, sec, "flag", "flag `%s` is used by another item", it->flag);
                }
        }
        if (f->has_total) {
            bool any = false;
            for (int i = 0; i < f->n_items; i++) any = any || f->items[i].score;
            if (!any) err(&ld, "form", "total", "`sum` but no item is scored");
        }
    }
    strlist_free(&ids);
    load_bands(&ld);
    check_sections(&ld);
done:
    ini_close(&ld.ini);
    if (d->errors > before) {
        form_free(f);
        return NULL;
    }
    return f;
}

form *form_load(const char *path, diag *d) { return form_load_from(path, NULL, 0, d); }

form *form_load_buffer(const char *buf, size_t len, const char *path, diag *d) {
    return form_load_from(path, buf ? buf : "", len, d);
}

void form_free(form *f) {
    if (!f) return;
    for (int i = 0; i < f->n_items; i++) {
        form_item *it = &f->items[i];
        free(it->id);
        for (int l = 0; l < LANG_COUNT; l++) free(it->text[l]), free(it->label[l]);
        free(it->flag);
        free(it->loinc);
        free(it->loinc_display);
        free(it->fhir_links);
        free_list(it->answer_loinc, it->scale >= 0 && it->scale < f->n_scales ? f->scales[it->scale].n : 0);
        free_list(it->answer_loinc_also, it->scale >= 0 && it->scale < f->n_scales ? f->scales[it->scale].n : 0);
        free_list(it->answer_display, it->scale >= 0 && it->scale < f->n_scales ? f->scales[it->scale].n : 0);
        expr_free(it->show_if);
        free(it->show_if_text);
    }
    free(f->items);
    for (int i = 0; i < f->n_scales; i++) {
        scale *s = &f->scales[i];
        for (int c = 0; c < s->n; c++) {
            free(s->choices[c].code);
            for (int l = 0; l < LANG_COUNT; l++) free(s->choices[c].label[l]);
        }
        free_list(s->loinc, s->n);
        free(s->choices);
        free(s->id);
    }
    free(f->scales);
    for (int i = 0; i < f->n_bands; i++) {
        free(f->bands[i].id);
        for (int l = 0; l < LANG_COUNT; l++) free(f->bands[i].label[l]);
        expr_free(f->bands[i].when);
    }
    free(f->bands);
    for (int l = 0; l < LANG_COUNT; l++) {
        free(f->title[l]);
        free(f->instructions[l]);
    }
    free(f->id);
    free(f->version);
    free(f->path);
    free(f->source);
    free(f->source_zh);
    free(f->translation_zh);
    free(f->licence);
    free(f->loinc);
    free(f->total_loinc);
    free(f->loinc_display);
    free(f->total_loinc_display);
    free(f->fhir_aliases);
    free(f->fhir_foreign_words);
    free(f->fhir_total_links);
    free(f->missing_source);
    free(f);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

bool formset_load(formset *fs, const char *dir, diag *d) {
    *fs = (formset){0};
    DIR *dp = opendir(dir);
    if (!dp) {
        diag_add(d, dir, 0, NULL, false, "cannot open the forms directory: %m");
        return false;
    }
    strlist names = {0};
    struct dirent *de;
    while ((de = readdir(dp))) {
        size_t n = strlen(de->d_name);
        if (n > 4 && strcmp(de->d_name + n - 4, ".ini") == 0 && de->d_name[0] != '.') {
            names.v = xrealloc(names.v, sizeof(char *) * (size_t)(names.n + 1));
            names.v[names.n++] = xstrdup(de->d_name);
        }
    }
    closedir(dp);
    if (names.n > 1) qsort(names.v, (size_t)names.n, sizeof(char *), by_name);
    int before = d->errors;
    if (names.n == 0) diag_add(d, dir, 0, NULL, false, "no form files (*.ini) in the forms directory");
    for (int i = 0; i < names.n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names.v[i]);
        form *f = form_load(path, d);
        if (f) {
            fs->v = xrealloc(fs->v, sizeof(form *) * (size_t)(fs->n + 1));
            fs->v[fs->n++] = f;
        }
    }
    strlist_free(&names);
    fs->dir = xstrdup(dir);
    if (d->errors > before) {
        formset_free(fs);
        return false;
    }
    return true;
}

void formset_free(formset *fs) {
    for (int i = 0; i < fs->n; i++) form_free(fs->v[i]);
    free(fs->v);
    free(fs->dir);
    *fs = (formset){0};
}

int formset_index(const formset *fs, const char *id) {
    for (int i = 0; i < fs->n; i++)
        if (strcmp(fs->v[i]->id, id) == 0) return i;
    return -1;
}

const form *formset_find(const formset *fs, const char *id) {
    int i = formset_index(fs, id);
    return i >= 0 ? fs->v[i] : NULL;
}
