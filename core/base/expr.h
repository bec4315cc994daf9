/* The small condition language used by skip logic (`show_if`), rule-based bands (`when`) and risk rules:
 *   comparisons  REF == 2, REF >= moderate, REF != no, REF == refused, REF == unanswered
 *   membership   REF has CODE (a multi-choice answer that includes CODE, e.g. intake.concerns has self_harm)
 *   logic        and, or, not, parentheses; a bare REF means REF != 0
 * Parsing gives names only; a binder (forms, risk rules) resolves names to references and codes to numbers
 * once, at load time, so evaluation is a walk over integers. */
#ifndef TRIAGE_EXPR_H
#define TRIAGE_EXPR_H

#include <stdbool.h>
#include <stddef.h>


#include "error.h"
typedef enum { EX_OR, EX_AND, EX_NOT, EX_CMP, EX_TRUTH } expr_kind;
typedef enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_HAS } expr_op;

/* What a name resolved to; the meaning of kind/form/index belongs to the binder. */
typedef struct {
    int kind, form, index;
} expr_ref;

typedef struct expr {
    expr_kind kind;
    expr_op op;
    struct expr *a, *b;
    char *ref_text; /* the reference as written, e.g. "phq9.item9" */
    char *lit_text; /* the literal as written, e.g. "acute_positive" or "20" */
    bool lit_is_num;
    long lit_num;
    bool lit_refused; /* the literal `refused` */
    bool lit_unanswered; /* the literal `unanswered`: asked (passed) without an answer */
    expr_ref ref;     /* set by the binder */
    int lit_value;    /* set by the binder */
} expr;

/* A value as the evaluator sees it. An unknown value (not asked, not answered, form not given) makes every
 * comparison false; `== refused` is true only for a refusal, `== unanswered` only for an item the interview
 * passed (or an import left out) without an answer. For `has`, v is the bit mask of the choices ticked and
 * the literal is a choice index. */
typedef struct {
    bool known;
    bool refused;
    int v;
    bool unanswered;
} expr_value;

typedef struct {
    expr_value (*lookup)(const void *ctx, const expr_ref *ref);
    /* writes a human description of the value, e.g. "2", "acute_positive", "refused" */
    void (*describe)(const void *ctx, const expr_ref *ref, expr_value v, char *buf, size_t size);
    const void *ctx;
} expr_env;

/* Resolves one leaf: sets leaf->ref and leaf->lit_value; on failure writes why into err and returns false. */
typedef bool (*expr_binder)(void *ctx, expr *leaf, error *err);

/* Parses text; on failure returns NULL and writes why into err. */
expr *expr_parse(const char *text, error *err);
/* Binds every leaf; stops at the first failure. */
bool expr_bind(expr *e, expr_binder bind, void *ctx, error *err);
bool expr_eval(const expr *e, const expr_env *env);
/* Appends "ref = value" for each leaf that holds within the parts of e that hold, joined by ", ". */
void expr_explain(const expr *e, const expr_env *env, char *buf, size_t size);
void expr_free(expr *e);

#endif
