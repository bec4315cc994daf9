#include "expr.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Deep enough for any real rule, shallow enough that hostile input cannot exhaust the stack. */
#define EXPR_MAX_DEPTH 64
/* Far above any real rule (an INI value is at most about 1 KB). */
#define EXPR_MAX_TEXT 4096

typedef struct {
    const char *s, *p;
    error *err;
    int depth;
    bool failed;
} parser;

static void fail(parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(parser *ps, const char *fmt, ...) {
    if (ps->failed) return;
    ps->failed = true;
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    error_set(ps->err, ERR_INPUT, "%s (at column %d)", tmp, (int)(ps->p - ps->s) + 1);
}

static void skip_space(parser *ps) {
    while (*ps->p == ' ' || *ps->p == '\t') ps->p++;
}

static bool is_word_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '.'; }

/* Reads a word (identifier with dots, or a number) into buf; returns its length. */
static size_t peek_word(parser *ps, char *buf, size_t size) {
    skip_space(ps);
    const char *q = ps->p;
    if (*q == '-') q++;
    while (is_word_char(*q)) q++;
    size_t n = (size_t)(q - ps->p);
    if (n >= size) n = size - 1;
    memcpy(buf, ps->p, n);
    buf[n] = '\0';
    return (size_t)(q - ps->p);
}

static bool accept_keyword(parser *ps, const char *kw) {
    char w[32];
    size_t n = peek_word(ps, w, sizeof w);
    if (n && strcmp(w, kw) == 0) {
        ps->p += n;
        return true;
    }
    return false;
}

static expr *node(expr_kind k, expr *a, expr *b) {
    expr *e = xcalloc(1, sizeof *e);
    e->kind = k;
    e->a = a;
    e->b = b;
    return e;
}

static expr *parse_or(parser *ps);

static bool valid_ref(const char *w) {
    if (!isalpha((unsigned char)w[0])) return false;
    for (const char *c = w; *c; c++)
        if (*c == '.' && (c[1] == '.' || c[1] == '\0')) return false;
    return true;
}

static expr *parse_leaf(parser *ps) {
    char w[128];
    size_t n = peek_word(ps, w, sizeof w);
    if (!n) {
        fail(ps, "expected a name such as phq9.total");
        return NULL;
    }
    if (n >= sizeof w || !valid_ref(w) || strcmp(w, "and") == 0 || strcmp(w, "or") == 0 ||
        strcmp(w, "not") == 0) {
        fail(ps, "`%s` is not a valid name", w);
        return NULL;
    }
    ps->p += n;
    expr *e = node(EX_TRUTH, NULL, NULL);
    e->ref_text = xstrdup(w);
    skip_space(ps);
    static const struct {
        const char *text;
        expr_op op;
    } ops[] = {{"==", OP_EQ}, {"!=", OP_NE}, {"<=", OP_LE}, {">=", OP_GE}, {"<", OP_LT}, {">", OP_GT}};
    /* `has` is a word: it must stand alone (not the start of a name such as `hash`) */
    bool is_has = strncmp(ps->p, "has", 3) == 0 && !is_word_char(ps->p[3]);
    for (size_t i = 0; i < sizeof ops / sizeof ops[0] + 1; i++) {
        bool last = i == sizeof ops / sizeof ops[0];
        size_t ol = last ? 3 : strlen(ops[i].text);
        if (last ? is_has : strncmp(ps->p, ops[i].text, ol) == 0) {
            const char *op_text = last ? "has" : ops[i].text;
            ps->p += ol;
            e->kind = EX_CMP;
            e->op = last ? OP_HAS : ops[i].op;
            n = peek_word(ps, w, sizeof w);
            if (!n || n >= sizeof w || strchr(w, '.')) {
                fail(ps, "expected a number or a code after `%s`", op_text);
                expr_free(e);
                return NULL;
            }
            ps->p += n;
            e->lit_text = xstrdup(w);
            long v;
            if (e->op == OP_HAS) {
                if (!is_ident(w) || strcmp(w, "refused") == 0 || strcmp(w, "unanswered") == 0) {
                    fail(ps, "expected a choice code after `has`, not `%s`", w);
                    expr_free(e);
                    return NULL;
                }
            } else if (parse_int(w, -1000000, 1000000, &v)) {
                e->lit_is_num = true;
                e->lit_num = v;
            } else if (strcmp(w, "refused") == 0) {
                e->lit_refused = true;
                if (e->op != OP_EQ && e->op != OP_NE) {
                    fail(ps, "`refused` can only be compared with == or !=");
                    expr_free(e);
                    return NULL;
                }
            } else if (strcmp(w, "unanswered") == 0) {
                e->lit_unanswered = true;
                if (e->op != OP_EQ && e->op != OP_NE) {
                    fail(ps, "`unanswered` can only be compared with == or !=");
                    expr_free(e);
                    return NULL;
                }
            } else if (!is_ident(w)) {
                fail(ps, "`%s` is neither a number nor a code", w);
                expr_free(e);
                return NULL;
            }
            break;
        }
    }
    return e;
}

static expr *parse_primary(parser *ps) {
    if (++ps->depth > EXPR_MAX_DEPTH) {
        fail(ps, "expression nested too deeply");
        return NULL;
    }
    expr *e;
    skip_space(ps);
    if (accept_keyword(ps, "not")) {
        expr *a = parse_primary(ps);
        e = a ? node(EX_NOT, a, NULL) : NULL;
    } else if (*ps->p == '(') {
        ps->p++;
        e = parse_or(ps);
        skip_space(ps);
        if (e && *ps->p != ')') {
            fail(ps, "expected `)`");
            expr_free(e);
            e = NULL;
        } else if (e) {
            ps->p++;
        }
    } else {
        e = parse_leaf(ps);
    }
    ps->depth--;
    return e;
}

static expr *parse_and(parser *ps) {
    expr *e = parse_primary(ps);
    while (e && accept_keyword(ps, "and")) {
        expr *b = parse_primary(ps);
        if (!b) {
            expr_free(e);
            return NULL;
        }
        e = node(EX_AND, e, b);
    }
    return e;
}

static expr *parse_or(parser *ps) {
    expr *e = parse_and(ps);
    while (e && accept_keyword(ps, "or")) {
        expr *b = parse_and(ps);
        if (!b) {
            expr_free(e);
            return NULL;
        }
        e = node(EX_OR, e, b);
    }
    return e;
}

expr *expr_parse(const char *text, error *err) {
    if (text && strlen(text) > EXPR_MAX_TEXT) {
        /* and/or chains are evaluated recursively: bounding the text bounds the depth of every tree */
        error_set(err, ERR_INPUT, "condition longer than %d characters", EXPR_MAX_TEXT);
        return NULL;
    }
    parser ps = {text ? text : "", text ? text : "", err, 0, false};
    skip_space(&ps);
    if (!*ps.p) {
        error_set(err, ERR_INPUT, "empty condition");
        return NULL;
    }
    expr *e = parse_or(&ps);
    skip_space(&ps);
    if (e && *ps.p) {
        char rest[40];
        snprintf(rest, sizeof rest, "%s", ps.p);
        fail(&ps, "unexpected `%s`", rest);
        expr_free(e);
        return NULL;
    }
    if (!e && !ps.failed) error_set(err, ERR_INPUT, "not a valid condition");
    return e;
}

bool expr_bind(expr *e, expr_binder bind, void *ctx, error *err) {
    if (!e) return false;
    switch (e->kind) {
    case EX_OR:
    case EX_AND:
        return expr_bind(e->a, bind, ctx, err) && expr_bind(e->b, bind, ctx, err);
    case EX_NOT:
        return expr_bind(e->a, bind, ctx, err);
    default:
        return bind(ctx, e, err);
    }
}

static bool leaf_holds(const expr *e, const expr_env *env) {
    expr_value v = env->lookup(env->ctx, &e->ref);
    if (e->kind == EX_TRUTH) return v.known && v.v != 0;
    if (e->lit_refused) return e->op == OP_EQ ? v.refused : (v.known && !v.refused);
    /* `!= unanswered`: answered (a value or a refusal); not asked yet is neither */
    if (e->lit_unanswered) return e->op == OP_EQ ? v.unanswered : (!v.unanswered && (v.known || v.refused));
    if (!v.known) return false;
    if (e->op == OP_HAS) return e->lit_value >= 0 && e->lit_value < 31 && ((unsigned)v.v & (1u << e->lit_value));
    int a = v.v, b = e->lit_value;
    switch (e->op) {
    case OP_EQ: return a == b;
    case OP_NE: return a != b;
    case OP_LT: return a < b;
    case OP_LE: return a <= b;
    case OP_GT: return a > b;
    case OP_GE: return a >= b;
    case OP_HAS: break;
    }
    return false;
}

bool expr_eval(const expr *e, const expr_env *env) {
    switch (e->kind) {
    case EX_OR: return expr_eval(e->a, env) || expr_eval(e->b, env);
    case EX_AND: return expr_eval(e->a, env) && expr_eval(e->b, env);
    case EX_NOT: return !expr_eval(e->a, env);
    default: return leaf_holds(e, env);
    }
}

/* True when text is already one of the ", "-separated entries of buf (not merely a substring of one). */
static bool has_entry(const char *buf, const char *text) {
    size_t n = strlen(text);
    for (const char *p = strstr(buf, text); p; p = strstr(p + 1, text))
        if ((p == buf || (p >= buf + 2 && p[-2] == ',' && p[-1] == ' ')) && (p[n] == '\0' || p[n] == ','))
            return true;
    return false;
}

static void append(char *buf, size_t size, const char *text) {
    size_t used = strlen(buf);
    if (used + 1 >= size) return;
    snprintf(buf + used, size - used, "%s%s", used ? ", " : "", text);
}

/* Under a `not`, the values that made it hold are those of every leaf inside. */
static void describe_all(const expr *e, const expr_env *env, char *buf, size_t size) {
    if (e->kind == EX_OR || e->kind == EX_AND || e->kind == EX_NOT) {
        describe_all(e->a, env, buf, size);
        if (e->b) describe_all(e->b, env, buf, size);
        return;
    }
    char val[128] = "", text[256];
    env->describe(env->ctx, &e->ref, env->lookup(env->ctx, &e->ref), val, sizeof val);
    snprintf(text, sizeof text, "%s = %s", e->ref_text, val);
    if (!has_entry(buf, text)) append(buf, size, text);
}

static void explain(const expr *e, const expr_env *env, char *buf, size_t size) {
    switch (e->kind) {
    case EX_OR:
        if (expr_eval(e->a, env)) explain(e->a, env, buf, size);
        if (expr_eval(e->b, env)) explain(e->b, env, buf, size);
        return;
    case EX_AND:
        explain(e->a, env, buf, size);
        explain(e->b, env, buf, size);
        return;
    case EX_NOT:
        describe_all(e->a, env, buf, size);
        return;
    default:
        if (leaf_holds(e, env)) {
            char val[128] = "", text[256];
            env->describe(env->ctx, &e->ref, env->lookup(env->ctx, &e->ref), val, sizeof val);
            snprintf(text, sizeof text, "%s = %s", e->ref_text, val);
            if (!has_entry(buf, text)) append(buf, size, text);
        }
    }
}

void expr_explain(const expr *e, const expr_env *env, char *buf, size_t size) {
    if (!size) return;
    buf[0] = '\0';
    if (e && expr_eval(e, env)) explain(e, env, buf, size);
}

void expr_free(expr *e) {
    if (!e) return;
    expr_free(e->a);
    expr_free(e->b);
    free(e->ref_text);
    free(e->lit_text);
    free(e);
}

