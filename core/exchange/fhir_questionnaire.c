#include "fhir_questionnaire.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fhir.h"

#define MAX_CONDITIONS 128

static json_t *one(json_t *v) {
    json_t *a = json_array();
    json_array_append_new(a, v);
    return a;
}

/* o.key = the English text, and o._key the Chinese as a translation extension (FHIR's way for a string). */
static void text_in_both(json_t *o, const char *key, char *const text[LANG_COUNT]) {
    if (!text[LANG_EN]) return;
    json_object_set_new(o, key, json_string(text[LANG_EN]));
    if (!text[LANG_ZH] || !*text[LANG_ZH]) return;
    json_t *language = json_object(), *content = json_object(), *tr = json_object(), *holder = json_object();
    json_object_set_new(language, "url", json_string("lang"));
    json_object_set_new(language, "valueCode", json_string("zh-CN"));
    json_object_set_new(content, "url", json_string("content"));
    json_object_set_new(content, "valueString", json_string(text[LANG_ZH]));
    json_t *parts = json_array();
    json_array_append_new(parts, language);
    json_array_append_new(parts, content);
    json_object_set_new(tr, "url", json_string(FHIR_TRANSLATION));
    json_object_set_new(tr, "extension", parts);
    json_object_set_new(holder, "extension", one(tr));
    char under[64];
    snprintf(under, sizeof under, "_%s", key);
    json_object_set_new(o, under, holder);
}

static const char *item_type_fhir(const form_item *it) {
    switch (it->type) {
    case ITEM_SCALE:
    case ITEM_CHOICE:
    case ITEM_MULTI: return "choice";
    case ITEM_NUMBER: return "integer";
    case ITEM_DATE: return "date";
    default: return "string";
    }
}

static json_t *answer_options(const form *f, int i) {
    const scale *s = form_item_scale(f, i);
    json_t *opts = json_array();
    for (int c = 0; s && c < s->n; c++) {
        char system[160];
        const char *code;
        fhir_answer_coding(f, i, c, system, sizeof system, &code);
        json_t *cd = fhir_coding(system, code, NULL);
        /* LOINC's wording of its answer code where it has its own (forms/: answer_display.CODE) */
        char *label[LANG_COUNT];
        for (int l = 0; l < LANG_COUNT; l++) label[l] = s->choices[c].label[l];
        label[LANG_EN] = (char *)form_answer_display(f, i, c);
        text_in_both(cd, "display", label);
        json_t *opt = json_object(), *ord = json_object();
        json_object_set_new(opt, "valueCoding", cd);
        json_object_set_new(ord, "url", json_string(FHIR_ORDINAL));
        json_object_set_new(ord, "valueDecimal", json_integer(s->choices[c].value));
        json_object_set_new(opt, "extension", one(ord));
        json_array_append_new(opts, opt);
    }
    if (s && s->refusable && f->items[i].type != ITEM_MULTI) {
        /* a client may decline (counted as missing, and positive for a safety item): no ordinal */
        char system[160];
        snprintf(system, sizeof system, "%s%s", FHIR_ANSWERS, f->id);
        char *label[LANG_COUNT] = {"Refused or cannot answer", "拒绝回答或无法回答"};
        json_t *cd = fhir_coding(system, "refused", NULL);
        text_in_both(cd, "display", label);
        json_t *opt = json_object();
        json_object_set_new(opt, "valueCoding", cd);
        json_array_append_new(opts, opt);
    }
    return opts;
}

/* ---- skip logic as enableWhen ---- */

typedef struct {
    json_t *conds;
    const char *behaviour; /* "any" or "all", or NULL while one condition */
    bool ok;
} when_builder;

static bool compare(int v, expr_op op, int lit) {
    switch (op) {
    case OP_EQ: return v == lit;
    case OP_NE: return v != lit;
    case OP_LT: return v < lit;
    case OP_LE: return v <= lit;
    case OP_GT: return v > lit;
    case OP_GE: return v >= lit;
    default: return false;
    }
}

static void add_condition(when_builder *w, const form *f, int item, int c, const char *op) {
    char system[160];
    const char *code;
    fhir_answer_coding(f, item, c, system, sizeof system, &code);
    json_t *cond = json_object();
    json_object_set_new(cond, "question", json_string(fhir_link_id(f, item)));
    json_object_set_new(cond, "operator", json_string(op));
    json_object_set_new(cond, "answerCoding", fhir_coding(system, code, NULL));
    if (json_array_size(w->conds) < MAX_CONDITIONS) json_array_append_new(w->conds, cond);
    else {
        json_decref(cond);
        w->ok = false;
    }
}

/* item = refused (triage's local code, no ordinal): the "refused" answerOption of a refusable item. */
static void add_refused_condition(when_builder *w, const form *f, int item) {
    char system[160];
    snprintf(system, sizeof system, "%s%s", FHIR_ANSWERS, f->id);
    json_t *cond = json_object();
    json_object_set_new(cond, "question", json_string(fhir_link_id(f, item)));
    json_object_set_new(cond, "operator", json_string("="));
    json_object_set_new(cond, "answerCoding", fhir_coding(system, "refused", NULL));
    if (json_array_size(w->conds) < MAX_CONDITIONS) json_array_append_new(w->conds, cond);
    else {
        json_decref(cond);
        w->ok = false;
    }
}

/* Whether triage's own rule holds for a refusal of this item: a refused safety item counts as its most severe
 * value (score_item_value), any other refusal as unknown (no comparison holds). */
static bool holds_when_refused(const form *f, int item, expr_op op, int lit) {
    const scale *s = form_item_scale(f, item);
    return s && s->refusable && f->items[item].safety && f->items[item].type != ITEM_MULTI &&
           compare(s->max_value, op, lit);
}

static void join(when_builder *w, const char *behaviour) {
    if (w->behaviour && strcmp(w->behaviour, behaviour)) w->ok = false; /* "a or (b and c)": not one list */
    w->behaviour = behaviour;
}

/* One comparison of a coded item: the choices it holds for, as "=" conditions joined by any (item1 > 0 is
 * item1 = 1, 2 or 3), or, inside an "all", a single "!=" or "=". */
static void leaf(when_builder *w, const form *f, const expr *e) {
    int item = e->ref.index;
    const scale *s = form_item_scale(f, item);
    if (!s || e->lit_unanswered || e->lit_refused) {
        w->ok = false;
        return;
    }
    if (f->items[item].type == ITEM_MULTI && (e->kind == EX_TRUTH || e->op != OP_HAS)) {
        w->ok = false;
        return;
    }
    if (e->kind != EX_TRUTH && e->op == OP_HAS) {
        add_condition(w, f, item, e->lit_value, "=");
        return;
    }
    /* a bare REF means REF != 0 */
    expr_op op = e->kind == EX_TRUTH ? OP_NE : e->op;
    int lit = e->kind == EX_TRUTH ? 0 : e->lit_value;
    int holds = 0, last = -1;
    for (int c = 0; c < s->n; c++)
        if (compare(s->choices[c].value, op, lit)) holds++, last = c;
    if (op == OP_NE && w->behaviour && !strcmp(w->behaviour, "all")) {
        int c = scale_value_index(s, lit);
        if (c >= 0) add_condition(w, f, item, c, "!=");
        else w->ok = false;
        return;
    }
    /* ASQ: item5 after item1 != no: asked after a yes or a refusal, so both answers enable it (any) */
    bool refusal_too = holds_when_refused(f, item, op, lit) && !(w->behaviour && !strcmp(w->behaviour, "all"));
    if (holds == 1 && !refusal_too) {
        add_condition(w, f, item, last, "=");
        return;
    }
    if (w->behaviour && !strcmp(w->behaviour, "all")) {
        w->ok = false;
        return;
    }
    join(w, "any");
    for (int c = 0; c < s->n; c++)
        if (compare(s->choices[c].value, op, lit)) add_condition(w, f, item, c, "=");
    if (refusal_too) add_refused_condition(w, f, item);
}

static void walk_when(when_builder *w, const form *f, const expr *e) {
    if (!w->ok || !e) return;
    switch (e->kind) {
    case EX_OR:
    case EX_AND:
        join(w, e->kind == EX_OR ? "any" : "all");
        walk_when(w, f, e->a);
        walk_when(w, f, e->b);
        return;
    case EX_CMP:
    case EX_TRUTH: leaf(w, f, e); return;
    default: w->ok = false; return;
    }
}

/* Sets item.enableWhen (and enableBehavior) from show_if; false when FHIR's enableWhen cannot say it. */
static bool enable_when(json_t *item, const form *f, const form_item *it) {
    if (!it->show_if) return true;
    when_builder w = {json_array(), NULL, true};
    walk_when(&w, f, it->show_if);
    if (w.ok && json_array_size(w.conds) > 0) {
        json_object_set(item, "enableWhen", w.conds);
        if (json_array_size(w.conds) > 1) json_object_set_new(item, "enableBehavior", json_string(w.behaviour ? w.behaviour : "any"));
    }
    json_decref(w.conds);
    return w.ok;
}

/* ---- the total ---- */

/* The total as plain FHIRPath, what an R4-era engine evaluates (fhirpath.js 3.x has no ordinal() or weight()):
 * per scored item, the value of its answer's code spelled out (the answerOption's ordinalValue, from the form's
 * scale), the items added with "+". An unanswered item, or the local `refused` option (a missing item, which
 * triage prorates or not by the form's rule), gives an empty term, and "+" with an empty operand is empty: the
 * total stays empty until every scored item has a scored answer. False when the expression does not fit. */
static bool append(char *out, size_t size, size_t *used, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static bool append(char *out, size_t size, size_t *used, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = *used < size ? vsnprintf(out + *used, size - *used, fmt, ap) : -1;
    va_end(ap);
    if (n < 0 || (size_t)n >= size - *used) return false;
    *used += (size_t)n;
    return true;
}

static bool total_expression(const form *f, char *out, size_t size) {
    size_t used = 0;
    int scored = 0;
    bool ok = true;
    out[0] = '\0';
    for (int i = 0; ok && i < f->n_items; i++) {
        if (!f->items[i].score) continue;
        const scale *sc = form_item_scale(f, i);
        ok = append(out, size, &used, "%s%%resource.repeat(item).where(linkId = '%s').answer.value", scored++ ? " + " : "",
                    fhir_link_id(f, i));
        if (!sc) continue; /* a number item: its valueInteger */
        ok = ok && append(out, size, &used, ".select(");
        for (int c = 0; ok && c < sc->n; c++) {
            char system[160];
            const char *code;
            fhir_answer_coding(f, i, c, system, sizeof system, &code);
            ok = append(out, size, &used, "iif(code = '%s', %d%s", code, sc->choices[c].value, c + 1 < sc->n ? ", " : "");
        }
        for (int c = 0; ok && c < sc->n; c++) ok = append(out, size, &used, ")");
        ok = ok && append(out, size, &used, ")");
    }
    return ok && scored > 0;
}

static json_t *total_item(const form *f) {
    char expression[16384];
    if (!total_expression(f, expression, sizeof expression)) return NULL;
    json_t *item = json_object(), *ext = json_object(), *value = json_object();
    json_object_set_new(value, "description", json_string("total score: the sum of the scored answers' values (each answer code's ordinalValue)"));
    json_object_set_new(value, "language", json_string("text/fhirpath"));
    json_object_set_new(value, "expression", json_string(expression));
    json_object_set_new(ext, "url", json_string(FHIR_CALCULATED));
    json_object_set_new(ext, "valueExpression", value);
    json_object_set_new(item, "extension", one(ext));
    json_object_set_new(item, "linkId", json_string(f->total_loinc ? f->total_loinc : "total"));
    if (f->total_loinc)
        json_object_set_new(item, "code", one(fhir_coding(FHIR_LOINC, f->total_loinc, f->total_loinc_display)));
    char *text[LANG_COUNT] = {"Total score", "总分"};
    text_in_both(item, "text", text);
    json_object_set_new(item, "type", json_string("integer"));
    json_object_set_new(item, "readOnly", json_true());
    return item;
}

static json_t *questionnaire_item(const form *f, int i) {
    const form_item *it = &f->items[i];
    json_t *item = json_object();
    json_object_set_new(item, "linkId", json_string(fhir_link_id(f, i)));
    /* LOINC's name of the code (forms/: loinc_display), never triage's wording: a display belongs to its code */
    if (it->loinc) json_object_set_new(item, "code", one(fhir_coding(FHIR_LOINC, it->loinc, it->loinc_display)));
    text_in_both(item, "text", it->text);
    json_object_set_new(item, "type", json_string(item_type_fhir(it)));
    /* a condition FHIR cannot say leaves the item always shown: a renderer asking an item triage would skip
     * costs one question, never safety (the import scores with triage's own skip logic) */
    (void)enable_when(item, f, it);
    json_object_set_new(item, "required", json_boolean(it->required && !it->show_if));
    if (it->type == ITEM_MULTI) json_object_set_new(item, "repeats", json_true());
    if (it->type == ITEM_TEXT && it->maxlen > 0) json_object_set_new(item, "maxLength", json_integer(it->maxlen));
    if (form_item_scale(f, i)) json_object_set_new(item, "answerOption", answer_options(f, i));
    return item;
}

/* A computable name: the form id in capitals, letters and digits only (FHIR: [A-Z]([A-Za-z0-9_]){0,254}). */
static void computable_name(const form *f, char *out, size_t size) {
    size_t k = 0;
    for (const char *p = f->id; *p && k + 1 < size; p++)
        if (isalnum((unsigned char)*p) || *p == '_') out[k++] = (char)toupper((unsigned char)*p);
    out[k] = '\0';
    if (!k || !isupper((unsigned char)out[0])) snprintf(out, size, "TRIAGE_%s", f->id);
}

json_t *fhir_questionnaire(const form *f) {
    json_t *q = json_object();
    char url[256], name[64];
    fhir_questionnaire_url(f, url, sizeof url);
    computable_name(f, name, sizeof name);
    json_object_set_new(q, "resourceType", json_string("Questionnaire"));
    json_object_set_new(q, "id", json_string(f->id));
    json_t *meta = json_object();
    json_object_set_new(meta, "profile", one(json_string("http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire")));
    json_object_set_new(q, "meta", meta);
    json_object_set_new(q, "language", json_string("en"));
    json_object_set_new(q, "url", json_string(url));
    /* triage's own canonical with the form file's version; LOINC's panel is the code (below), not the url */
    if (f->version && *f->version) json_object_set_new(q, "version", json_string(f->version));
    json_object_set_new(q, "name", json_string(name));
    text_in_both(q, "title", f->title);
    json_object_set_new(q, "status", json_string("active"));
    json_object_set_new(q, "subjectType", one(json_string("Patient")));
    if (f->instructions[LANG_EN]) text_in_both(q, "description", f->instructions);
    if (f->licence) json_object_set_new(q, "copyright", json_string(f->licence));
    if (f->loinc) json_object_set_new(q, "code", one(fhir_coding(FHIR_LOINC, f->loinc, f->loinc_display)));
    json_t *items = json_array();
    for (int i = 0; i < f->n_items; i++) json_array_append_new(items, questionnaire_item(f, i));
    json_t *total = f->has_total ? total_item(f) : NULL;
    if (total) json_array_append_new(items, total);
    json_object_set_new(q, "item", items);
    return q;
}

static bool write_new(const char *path, const char *text, error *err) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        error_set(err, ERR_IO, "%s: cannot create: %s%s", path, strerror(errno),
                 errno == EEXIST ? " (a file is never overwritten: remove it first)" : "");
        return false;
    }
    size_t n = strlen(text), off = 0;
    bool ok = true;
    while (ok && off < n) {
        ssize_t w = write(fd, text + off, n - off);
        if (w < 0 && errno == EINTR) continue;
        ok = w > 0;
        if (ok) off += (size_t)w;
    }
    ok = ok && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
    if (close(fd) != 0) ok = false;
    if (!ok) {
        error_set(err, ERR_IO, "%s: cannot write: %s", path, strerror(errno));
        unlink(path);
    }
    return ok;
}

bool fhir_questionnaires_write(const formset *fs, const char *dir, int *written, error *err) {
    *written = 0;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        error_set(err, ERR_IO, "%s: cannot create the directory: %s", dir, strerror(errno));
        return false;
    }
    for (int i = 0; i < fs->n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.json", dir, fs->v[i]->id);
        json_t *q = fhir_questionnaire(fs->v[i]);
        char *text = json_dumps(q, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(q);
        bool ok = text && write_new(path, text, err);
        if (!text) error_set(err, ERR_INTERNAL, "%s: out of memory", path);
        free(text);
        if (!ok) return false;
        (*written)++;
    }
    return true;
}
