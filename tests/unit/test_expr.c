/* Unit tests of the condition language (core/base/expr.h): parsing, precedence, errors, binding, evaluation
 * with unknown and refused values, and explanations. The binder and the environment are the test's own,
 * so nothing here depends on forms or risk rules. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"

/* ---- the test's binder: names a, b, c, d, x.y, ba; codes no=0 yes=1 low=10 high=20 ---- */

#define REF_KIND 7
static const char *const names[] = {"a", "b", "c", "d", "x.y", "ba"};
enum { NA, NB, NC, ND, NXY, NBA, N_NAMES };

typedef struct {
    int calls;
} bind_ctx;

static bool test_binder(void *vctx, expr *leaf, error *err) {
    bind_ctx *ctx = vctx;
    ctx->calls++;
    int idx = -1;
    for (int i = 0; i < N_NAMES; i++)
        if (strcmp(leaf->ref_text, names[i]) == 0) idx = i;
    if (idx < 0) {
        error_set(err, ERR_INPUT, "unknown name `%s`", leaf->ref_text);
        return false;
    }
    leaf->ref = (expr_ref){REF_KIND, 0, idx};
    if (leaf->kind == EX_TRUTH || leaf->lit_refused || leaf->lit_unanswered) return true;
    if (leaf->lit_is_num) {
        leaf->lit_value = (int)leaf->lit_num;
        return true;
    }
    static const struct {
        const char *code;
        int value;
    } codes[] = {{"no", 0}, {"yes", 1}, {"low", 10}, {"high", 20}};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(leaf->lit_text, codes[i].code) == 0) {
            leaf->lit_value = codes[i].value;
            return true;
        }
    error_set(err, ERR_INPUT, "unknown code `%s`", leaf->lit_text);
    return false;
}

/* ---- the test's environment: one value per name ---- */

static expr_value vals[N_NAMES];

static expr_value test_lookup(const void *ctx, const expr_ref *ref) {
    (void)ctx;
    if (ref->kind != REF_KIND || ref->index < 0 || ref->index >= N_NAMES) fail_msg("unbound reference reached lookup");
    return vals[ref->index];
}

static void test_describe(const void *ctx, const expr_ref *ref, expr_value v, char *buf, size_t size) {
    (void)ctx;
    (void)ref;
    if (v.refused) snprintf(buf, size, "refused");
    else if (!v.known) snprintf(buf, size, "unknown");
    else snprintf(buf, size, "%d", v.v);
}

static const expr_env env = {test_lookup, test_describe, NULL};

static expr_value V(int v) { return (expr_value){true, false, v, false}; }
static const expr_value UNKNOWN = {false, false, 0, false};
static const expr_value REFUSED = {false, true, 0, false};      /* a refused ordinary item */
static const expr_value REFUSED_SAFE = {true, true, 3, false};  /* a refused safety item: its worst value */
static const expr_value UNANSWERED = {false, false, 0, true};  /* passed without an answer */

static void set_all(expr_value v) {
    for (int i = 0; i < N_NAMES; i++) vals[i] = v;
}

/* Parses and binds text; fails the test on any error. */
static expr *pb(const char *text) {
    error err = {0};
    expr *e = expr_parse(text, &err);
    if (!e) fail_msg("`%s` did not parse: %s", text, err.msg);
    bind_ctx ctx = {0};
    if (!expr_bind(e, test_binder, &ctx, &err)) {
        expr_free(e);
        fail_msg("`%s` did not bind: %s", text, err.msg);
    }
    return e;
}

static bool eval_text(const char *text) {
    expr *e = pb(text);
    bool r = expr_eval(e, &env);
    expr_free(e);
    return r;
}

/* Expects a parse error whose message contains want. */
static void expect_parse_error(const char *text, const char *want) {
    error err = {0};
    memset(err.msg, 0, sizeof err.msg);
    expr *e = expr_parse(text, &err);
    if (e) {
        expr_free(e);
        fail_msg("`%s` parsed, but should fail with \"%s\"", text, want);
    }
    if (!strstr(err.msg, want)) fail_msg("`%s`: error \"%s\" does not contain \"%s\"", text, err.msg, want);
}

/* ---- operators ---- */

static bool apply(expr_op op, int a, int b) {
    switch (op) {
    case OP_EQ: return a == b;
    case OP_NE: return a != b;
    case OP_LT: return a < b;
    case OP_LE: return a <= b;
    case OP_GT: return a > b;
    case OP_GE: return a >= b;
    case OP_HAS: return (a >> b) & 1;
    }
    return false;
}

static void test_each_operator(void **state) {
    (void)state;
    static const struct {
        const char *text;
        expr_op op;
    } cases[] = {{"a == 3", OP_EQ}, {"a != 3", OP_NE}, {"a < 3", OP_LT}, {"a <= 3", OP_LE}, {"a > 3", OP_GT},
                 {"a >= 3", OP_GE}, {"a==3", OP_EQ},   {"a!=3", OP_NE},  {"a<3", OP_LT},   {"a<=3", OP_LE},
                 {"a>3", OP_GT},    {"a>=3", OP_GE},   {"  a\t>=  3 ", OP_GE}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expr *e = pb(cases[i].text);
        assert_int_equal(e->kind, EX_CMP);
        assert_int_equal(e->op, cases[i].op);
        assert_string_equal(e->ref_text, "a");
        assert_string_equal(e->lit_text, "3");
        assert_true(e->lit_is_num);
        assert_int_equal(e->lit_num, 3);
        assert_false(e->lit_refused);
        assert_int_equal(e->ref.kind, REF_KIND);
        assert_int_equal(e->ref.index, NA);
        assert_int_equal(e->lit_value, 3);
        assert_null(e->a);
        assert_null(e->b);
        for (int v = 1; v <= 5; v++) {
            vals[NA] = V(v);
            bool want = apply(cases[i].op, v, 3);
            if (expr_eval(e, &env) != want) fail_msg("`%s` with a = %d: expected %d", cases[i].text, v, want);
        }
        /* unknown: every comparison is false, != included */
        vals[NA] = UNKNOWN;
        if (expr_eval(e, &env)) fail_msg("`%s` with a unknown must be false", cases[i].text);
        vals[NA] = REFUSED;
        if (expr_eval(e, &env)) fail_msg("`%s` with a refused (not a safety item) must be false", cases[i].text);
        expr_free(e);
    }
}

static void test_operator_against_other_ops_prefix(void **state) {
    (void)state;
    /* `<=` must not be read as `<` followed by `=3`, nor `>=` as `>` */
    expr *e = pb("a<=3");
    assert_int_equal(e->op, OP_LE);
    expr_free(e);
    e = pb("a >=3");
    assert_int_equal(e->op, OP_GE);
    expr_free(e);
    /* `<-3`: less than minus three */
    e = pb("a<-3");
    assert_int_equal(e->op, OP_LT);
    assert_int_equal(e->lit_num, -3);
    expr_free(e);
}

/* ---- logic and precedence ---- */

static void test_and_binds_tighter_than_or(void **state) {
    (void)state;
    expr *e = pb("a or b and c");
    assert_int_equal(e->kind, EX_OR);
    assert_int_equal(e->a->kind, EX_TRUTH);
    assert_string_equal(e->a->ref_text, "a");
    assert_int_equal(e->b->kind, EX_AND);
    assert_string_equal(e->b->a->ref_text, "b");
    assert_string_equal(e->b->b->ref_text, "c");
    expr *e2 = pb("a and b or c");
    assert_int_equal(e2->kind, EX_OR);
    assert_int_equal(e2->a->kind, EX_AND);
    assert_string_equal(e2->b->ref_text, "c");
    expr *p = pb("(a or b) and c");
    assert_int_equal(p->kind, EX_AND);
    assert_int_equal(p->a->kind, EX_OR);
    expr *q = pb("a or (b and c)");
    for (int m = 0; m < 8; m++) {
        int a = m & 1, b = (m >> 1) & 1, c = (m >> 2) & 1;
        set_all(UNKNOWN);
        vals[NA] = V(a);
        vals[NB] = V(b);
        vals[NC] = V(c);
        assert_int_equal(expr_eval(e, &env), a || (b && c));
        assert_int_equal(expr_eval(q, &env), a || (b && c));
        assert_int_equal(expr_eval(e2, &env), (a && b) || c);
        assert_int_equal(expr_eval(p, &env), (a || b) && c);
    }
    /* the case that tells the two readings apart */
    vals[NA] = V(1);
    vals[NB] = V(0);
    vals[NC] = V(0);
    assert_true(expr_eval(e, &env));
    assert_false(expr_eval(p, &env));
    expr_free(e);
    expr_free(e2);
    expr_free(p);
    expr_free(q);
}

static void test_chains_are_left_associative(void **state) {
    (void)state;
    expr *e = pb("a or b or c");
    assert_int_equal(e->kind, EX_OR);
    assert_int_equal(e->a->kind, EX_OR);
    assert_string_equal(e->b->ref_text, "c");
    assert_string_equal(e->a->a->ref_text, "a");
    assert_string_equal(e->a->b->ref_text, "b");
    expr_free(e);
    e = pb("a and b and c and d");
    assert_int_equal(e->kind, EX_AND);
    assert_int_equal(e->a->kind, EX_AND);
    assert_int_equal(e->a->a->kind, EX_AND);
    assert_string_equal(e->b->ref_text, "d");
    set_all(V(1));
    assert_true(expr_eval(e, &env));
    vals[ND] = V(0);
    assert_false(expr_eval(e, &env));
    expr_free(e);
}

static void test_not(void **state) {
    (void)state;
    expr *e = pb("not a and b");
    assert_int_equal(e->kind, EX_AND); /* (not a) and b */
    assert_int_equal(e->a->kind, EX_NOT);
    assert_string_equal(e->a->a->ref_text, "a");
    assert_null(e->a->b);
    expr *n = pb("not (a and b)");
    assert_int_equal(n->kind, EX_NOT);
    assert_int_equal(n->a->kind, EX_AND);
    expr *nn = pb("not not a");
    assert_int_equal(nn->kind, EX_NOT);
    assert_int_equal(nn->a->kind, EX_NOT);
    expr *nc = pb("not a == 2");
    assert_int_equal(nc->kind, EX_NOT);
    assert_int_equal(nc->a->kind, EX_CMP);
    for (int m = 0; m < 4; m++) {
        int a = m & 1, b = (m >> 1) & 1;
        vals[NA] = V(a);
        vals[NB] = V(b);
        assert_int_equal(expr_eval(e, &env), !a && b);
        assert_int_equal(expr_eval(n, &env), !(a && b));
        assert_int_equal(expr_eval(nn, &env), a);
    }
    vals[NA] = V(2);
    assert_false(expr_eval(nc, &env));
    vals[NA] = V(3);
    assert_true(expr_eval(nc, &env));
    /* not over an unknown value: the comparison is false, so its negation holds */
    vals[NA] = UNKNOWN;
    assert_true(expr_eval(nc, &env));
    expr_free(e);
    expr_free(n);
    expr_free(nn);
    expr_free(nc);
}

static void test_parentheses(void **state) {
    (void)state;
    expr *e = pb("((a == 1))");
    assert_int_equal(e->kind, EX_CMP); /* parentheses add no node */
    expr_free(e);
    e = pb("(a == 1 or b == 1) and (c == 1 or d == 1)");
    assert_int_equal(e->kind, EX_AND);
    assert_int_equal(e->a->kind, EX_OR);
    assert_int_equal(e->b->kind, EX_OR);
    for (int m = 0; m < 16; m++) {
        int a = m & 1, b = (m >> 1) & 1, c = (m >> 2) & 1, d = (m >> 3) & 1;
        vals[NA] = V(a);
        vals[NB] = V(b);
        vals[NC] = V(c);
        vals[ND] = V(d);
        assert_int_equal(expr_eval(e, &env), (a || b) && (c || d));
    }
    expr_free(e);
    e = pb("( a == 1 )and( b == 1 )");
    vals[NA] = V(1);
    vals[NB] = V(1);
    assert_true(expr_eval(e, &env));
    vals[NB] = V(0);
    assert_false(expr_eval(e, &env));
    expr_free(e);
}

/* ---- leaves ---- */

static void test_bare_truth_refs(void **state) {
    (void)state;
    expr *e = pb("a");
    assert_int_equal(e->kind, EX_TRUTH);
    assert_string_equal(e->ref_text, "a");
    assert_null(e->lit_text);
    vals[NA] = V(0);
    assert_false(expr_eval(e, &env));
    vals[NA] = V(1);
    assert_true(expr_eval(e, &env));
    vals[NA] = V(-2);
    assert_true(expr_eval(e, &env));
    vals[NA] = UNKNOWN;
    assert_false(expr_eval(e, &env));
    vals[NA] = REFUSED;
    assert_false(expr_eval(e, &env));
    vals[NA] = REFUSED_SAFE; /* counts as its worst value, 3 */
    assert_true(expr_eval(e, &env));
    expr_free(e);
    /* dotted names */
    e = pb("x.y >= 2");
    assert_string_equal(e->ref_text, "x.y");
    assert_int_equal(e->ref.index, NXY);
    vals[NXY] = V(2);
    assert_true(expr_eval(e, &env));
    vals[NXY] = V(1);
    assert_false(expr_eval(e, &env));
    expr_free(e);
}

/* `unanswered`: true only for an item passed without an answer; not asked yet is neither answered nor that. */
static void test_unanswered_literal(void **state) {
    (void)state;
    expr *eq = pb("a == unanswered");
    expr *ne = pb("a != unanswered");
    assert_true(eq->lit_unanswered);
    vals[NA] = UNANSWERED;
    assert_true(expr_eval(eq, &env));
    assert_false(expr_eval(ne, &env));
    expr_value unanswered_safety = {true, false, 3, true}; /* a safety item: its worst value, and unanswered */
    vals[NA] = unanswered_safety;
    assert_true(expr_eval(eq, &env));
    assert_false(expr_eval(ne, &env));
    vals[NA] = V(0);
    assert_false(expr_eval(eq, &env));
    assert_true(expr_eval(ne, &env));
    vals[NA] = REFUSED;
    assert_false(expr_eval(eq, &env));
    assert_true(expr_eval(ne, &env));
    vals[NA] = UNKNOWN; /* not asked yet */
    assert_false(expr_eval(eq, &env));
    assert_false(expr_eval(ne, &env));
    expr_free(eq);
    expr_free(ne);
    expect_parse_error("a < unanswered", "only be compared with == or !=");
}

/* `has`: a multi-choice answer (a bit mask) that includes the code's choice. */
static void test_has_operator(void **state) {
    (void)state;
    expr *e = pb("a has yes"); /* the test binder gives yes the value 1: choice 1 */
    assert_int_equal(e->op, OP_HAS);
    vals[NA] = V(0x2);
    assert_true(expr_eval(e, &env));
    vals[NA] = V(0x5);
    assert_false(expr_eval(e, &env));
    vals[NA] = UNKNOWN;
    assert_false(expr_eval(e, &env));
    vals[NA] = UNANSWERED;
    assert_false(expr_eval(e, &env));
    expr_free(e);
    /* `has` is a word, not the start of a name */
    expect_parse_error("a hasyes", "unexpected");
    expect_parse_error("a has 3", "expected a choice code after `has`");
    expect_parse_error("a has", "expected a number or a code after `has`");
}

static void test_refused_literal(void **state) {
    (void)state;
    expr *eq = pb("a == refused");
    assert_int_equal(eq->kind, EX_CMP);
    assert_true(eq->lit_refused);
    assert_false(eq->lit_is_num);
    assert_string_equal(eq->lit_text, "refused");
    expr *ne = pb("a != refused");
    assert_true(ne->lit_refused);
    assert_int_equal(ne->op, OP_NE);

    vals[NA] = REFUSED;
    assert_true(expr_eval(eq, &env));
    assert_false(expr_eval(ne, &env));
    vals[NA] = REFUSED_SAFE;
    assert_true(expr_eval(eq, &env));
    assert_false(expr_eval(ne, &env));
    vals[NA] = V(0);
    assert_false(expr_eval(eq, &env));
    assert_true(expr_eval(ne, &env));
    vals[NA] = V(1);
    assert_false(expr_eval(eq, &env));
    assert_true(expr_eval(ne, &env));
    /* unknown is neither refused nor a known answer */
    vals[NA] = UNKNOWN;
    assert_false(expr_eval(eq, &env));
    assert_false(expr_eval(ne, &env));
    expr_free(eq);
    expr_free(ne);

    /* a refused ordinary item fails numeric comparisons; a refused safety item compares as its worst */
    vals[NA] = REFUSED;
    assert_false(eval_text("a >= 0"));
    assert_false(eval_text("a != 1"));
    vals[NA] = REFUSED_SAFE;
    assert_true(eval_text("a >= 3"));
    assert_true(eval_text("a == 3"));
    assert_false(eval_text("a < 3"));
}

static void test_negative_numbers(void **state) {
    (void)state;
    expr *e = pb("a > -3");
    assert_true(e->lit_is_num);
    assert_int_equal(e->lit_num, -3);
    assert_string_equal(e->lit_text, "-3");
    vals[NA] = V(-2);
    assert_true(expr_eval(e, &env));
    vals[NA] = V(-3);
    assert_false(expr_eval(e, &env));
    expr_free(e);
    e = pb("a==-1");
    assert_int_equal(e->lit_num, -1);
    vals[NA] = V(-1);
    assert_true(expr_eval(e, &env));
    vals[NA] = V(1);
    assert_false(expr_eval(e, &env));
    expr_free(e);
    e = pb("a >= -1000000");
    assert_int_equal(e->lit_num, -1000000);
    expr_free(e);
    e = pb("a <= 1000000");
    assert_int_equal(e->lit_num, 1000000);
    expr_free(e);
    expect_parse_error("a >= -1000001", "is neither a number nor a code");
    expect_parse_error("a == 99999999999", "is neither a number nor a code");
    expect_parse_error("a == -", "`-` is neither a number nor a code");
    expect_parse_error("-a == 1", "`-a` is not a valid name");
}

static void test_codes(void **state) {
    (void)state;
    expr *e = pb("a == yes");
    assert_false(e->lit_is_num);
    assert_false(e->lit_refused);
    assert_string_equal(e->lit_text, "yes");
    assert_int_equal(e->lit_value, 1);
    vals[NA] = V(1);
    assert_true(expr_eval(e, &env));
    vals[NA] = V(0);
    assert_false(expr_eval(e, &env));
    expr_free(e);
    e = pb("a >= high");
    assert_int_equal(e->lit_value, 20);
    vals[NA] = V(19);
    assert_false(expr_eval(e, &env));
    vals[NA] = V(20);
    assert_true(expr_eval(e, &env));
    expr_free(e);
    e = pb("a != no");
    vals[NA] = V(0);
    assert_false(expr_eval(e, &env));
    vals[NA] = UNKNOWN;
    assert_false(expr_eval(e, &env));
    vals[NA] = V(1);
    assert_true(expr_eval(e, &env));
    expr_free(e);
}

/* ---- parse errors ---- */

static void test_parse_errors(void **state) {
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"", "empty condition"},
        {"   \t ", "empty condition"},
        {"a ==", "expected a number or a code after `==`"},
        {"a <=", "expected a number or a code after `<=`"},
        {"a == $", "expected a number or a code after `==`"},
        {"a == 1.5", "expected a number or a code after `==`"},
        {"a == b.c", "expected a number or a code after `==`"},
        {"a and", "expected a name"},
        {"a or", "expected a name"},
        {"not", "expected a name"},
        {"a and or b", "`or` is not a valid name"},
        {"and a", "`and` is not a valid name"},
        {"a or not", "expected a name"},
        {"a == 1 and", "expected a name"},
        {"(a == 1", "expected `)`"},
        {"((a == 1)", "expected `)`"},
        {"(a == 1 or b", "expected `)`"},
        {"a == 1)", "unexpected `)`"},
        {"()", "expected a name"},
        {")", "expected a name"},
        {"a < refused", "`refused` can only be compared with == or !="},
        {"a <= refused", "`refused` can only be compared with == or !="},
        {"a > refused", "`refused` can only be compared with == or !="},
        {"a >= refused", "`refused` can only be compared with == or !="},
        {"a == 1 b", "unexpected `b`"},
        {"a b", "unexpected `b`"},
        {"a = 1", "unexpected `= 1`"},
        {"a == b == c", "unexpected `== c`"},
        {"a == Yes", "`Yes` is neither a number nor a code"},
        {"1a == 2", "`1a` is not a valid name"},
        {"x..y == 1", "`x..y` is not a valid name"},
        {"x. == 1", "`x.` is not a valid name"},
        {".x == 1", "`.x` is not a valid name"},
        {"== 1", "expected a name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) expect_parse_error(cases[i].text, cases[i].want);
}

static void test_parse_error_column(void **state) {
    (void)state;
    error err = {0};
    assert_null(expr_parse("a ==", &err));
    assert_string_equal(err.msg, "expected a number or a code after `==` (at column 5)");
    assert_null(expr_parse("a == 1 b", &err));
    assert_string_equal(err.msg, "unexpected `b` (at column 8)");
    assert_null(expr_parse("", &err));
    assert_string_equal(err.msg, "empty condition");
    /* a parse error is bad input by kind; a caller that wants no message may pass NULL (the error type has
     * one fixed size, so the old check that a small buffer is cut, never overrun, has nothing left to test) */
    assert_int_equal(err.kind, ERR_INPUT);
    assert_null(expr_parse("a < refused", NULL));
}

static void test_long_names_fail_cleanly(void **state) {
    (void)state;
    char text[600];
    memset(text, 'a', 500);
    strcpy(text + 500, " == 1");
    expect_parse_error(text, "is not a valid name");
    /* a long literal */
    strcpy(text, "a == ");
    memset(text + 5, 'y', 400);
    text[405] = '\0';
    expect_parse_error(text, "expected a number or a code after `==`");
    /* a long trailing rest is shown shortened */
    strcpy(text, "a ");
    memset(text + 2, 'b', 300);
    text[302] = '\0';
    error err = {0};
    assert_null(expr_parse(text, &err));
    assert_non_null(strstr(err.msg, "unexpected `bbb"));
    assert_true(strlen(err.msg) < 100);
}

static char *repeat(const char *piece, int n, const char *middle, const char *tail_piece) {
    size_t pl = strlen(piece), ml = strlen(middle), tl = strlen(tail_piece);
    char *s = calloc(pl * (size_t)n + ml + tl * (size_t)n + 1, 1);
    assert_non_null(s);
    char *p = s;
    for (int i = 0; i < n; i++, p += pl) memcpy(p, piece, pl);
    memcpy(p, middle, ml);
    p += ml;
    for (int i = 0; i < n; i++, p += tl) memcpy(p, tail_piece, tl);
    *p = '\0';
    return s;
}

static void test_nesting_limit(void **state) {
    (void)state;
    /* reasonable nesting works */
    char *ok = repeat("(", 60, "a == 2", ")");
    vals[NA] = V(2);
    assert_true(eval_text(ok));
    free(ok);
    /* deeper than 64 levels fails with a message, no crash */
    char *deep = repeat("(", 100, "a == 2", ")");
    expect_parse_error(deep, "nested too deeply");
    free(deep);
    char *nots = repeat("not ", 100, "a", "");
    expect_parse_error(nots, "nested too deeply");
    free(nots);
    /* hostile input: deep and unbalanced within the length limit, then far beyond it */
    char *hostile = repeat("(", 4000, "", "");
    expect_parse_error(hostile, "nested too deeply");
    free(hostile);
    char *mixed = repeat("not (", 500, "a", ")");
    expect_parse_error(mixed, "nested too deeply");
    free(mixed);
    char *huge = repeat("(", 200000, "", "");
    expect_parse_error(huge, "longer than 4096 characters");
    free(huge);
    /* depth is per nesting, not per group: many shallow groups in a row are fine */
    char *group = repeat("(", 50, "a", ")");
    size_t gl = strlen(group);
    char *chain = calloc((gl + 5) * 20 + 1, 1);
    assert_non_null(chain);
    for (int i = 0; i < 20; i++) {
        if (i) strcat(chain, " and ");
        strcat(chain, group);
    }
    vals[NA] = V(1);
    assert_true(eval_text(chain));
    vals[NA] = V(0);
    assert_false(eval_text(chain));
    free(chain);
    free(group);
}

static void test_long_flat_chain(void **state) {
    (void)state;
    /* a long chain of `or` is not nesting: it parses and evaluates (400 leaves, about 4 KB) */
    char *chain = repeat("b == 1 or ", 399, "a == 1", "");
    set_all(V(0));
    assert_false(eval_text(chain));
    vals[NA] = V(1);
    assert_true(eval_text(chain));
    free(chain);
    /* past the length limit it is refused cleanly (a 1.5 MB chain once overflowed the stack) */
    char *flood = repeat("b == 1 or ", 150000, "a == 1", "");
    expect_parse_error(flood, "longer than 4096 characters");
    free(flood);
}

/* ---- binding ---- */

static void test_bind(void **state) {
    (void)state;
    error err = {0};
    expr *e = expr_parse("a == 1 and (b == yes or not c) and x.y > 2", &err);
    assert_non_null(e);
    bind_ctx ctx = {0};
    assert_true(expr_bind(e, test_binder, &ctx, &err));
    assert_int_equal(ctx.calls, 4); /* once per leaf */
    expr_free(e);

    /* an unknown name: the binder's message comes back */
    e = expr_parse("a == 1 and zz == 2", &err);
    assert_non_null(e);
    ctx.calls = 0;
    assert_false(expr_bind(e, test_binder, &ctx, &err));
    assert_string_equal(err.msg, "unknown name `zz`");
    assert_int_equal(ctx.calls, 2);
    expr_free(e);

    /* stops at the first failure */
    e = expr_parse("zz == 1 or a == 1 or b == 1", &err);
    ctx.calls = 0;
    assert_false(expr_bind(e, test_binder, &ctx, &err));
    assert_int_equal(ctx.calls, 1);
    expr_free(e);

    /* an unknown code */
    e = expr_parse("a == maybe", &err);
    assert_non_null(e);
    assert_false(expr_bind(e, test_binder, &ctx, &err));
    assert_string_equal(err.msg, "unknown code `maybe`");
    expr_free(e);

    /* `notable` is a name, not `not` + `able` */
    e = expr_parse("notable", &err);
    assert_non_null(e);
    assert_int_equal(e->kind, EX_TRUTH);
    assert_string_equal(e->ref_text, "notable");
    assert_false(expr_bind(e, test_binder, &ctx, &err));
    assert_string_equal(err.msg, "unknown name `notable`");
    expr_free(e);
    /* likewise `order` is a name, not `or` + `der` */
    e = expr_parse("a and order", &err);
    assert_non_null(e);
    assert_int_equal(e->kind, EX_AND);
    assert_string_equal(e->b->ref_text, "order");
    expr_free(e);

    /* NULL is rejected, freeing NULL is harmless */
    assert_false(expr_bind(NULL, test_binder, &ctx, &err));
    expr_free(NULL);
}

static void test_unknown_values(void **state) {
    (void)state;
    static const char *const exprs[] = {"a == 0", "a != 0", "a < 0", "a <= 0", "a > 0", "a >= 0",
                                        "a == 5", "a != 5", "a < 5", "a <= 5", "a > -5", "a >= -5", "a"};
    set_all(UNKNOWN);
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++)
        if (eval_text(exprs[i])) fail_msg("`%s` must be false when a is unknown", exprs[i]);
    /* or: one known true side is enough; and: an unknown side makes it false */
    vals[NB] = V(1);
    assert_true(eval_text("a == 1 or b == 1"));
    assert_false(eval_text("a == 1 and b == 1"));
    assert_false(eval_text("a != 1 and b == 1"));
    assert_true(eval_text("not a == 1 and b == 1"));
}

/* ---- explanations ---- */

static void explain_text(const char *text, char *buf, size_t size) {
    expr *e = pb(text);
    expr_explain(e, &env, buf, size);
    expr_free(e);
}

static void expect_explain(const char *text, const char *want) {
    char buf[256];
    explain_text(text, buf, sizeof buf);
    if (strcmp(buf, want) != 0) fail_msg("explain `%s`: got \"%s\", expected \"%s\"", text, buf, want);
}

static void test_explain(void **state) {
    (void)state;
    set_all(UNKNOWN);
    vals[NA] = V(3);
    vals[NB] = V(0);
    expect_explain("a == 3 or b == 1", "a = 3");
    expect_explain("b == 1 or a == 3", "a = 3");
    vals[NB] = V(1);
    expect_explain("a == 3 or b == 1", "a = 3, b = 1");
    expect_explain("a == 3 and b >= 1", "a = 3, b = 1");
    /* the whole condition is false: nothing */
    expect_explain("a == 4 or b == 2", "");
    expect_explain("a == 3 and b == 2", "");
    /* a leaf that holds inside a part that does not hold is not listed */
    vals[NA] = V(1);
    vals[NB] = V(0);
    vals[NC] = V(1);
    expect_explain("(a == 1 and b == 1) or c == 1", "c = 1");
    /* the same leaf text only once */
    vals[NA] = V(3);
    expect_explain("a == 3 or a > 1", "a = 3");
    /* refused and unknown are described by the environment */
    vals[NA] = REFUSED;
    vals[NB] = V(1);
    expect_explain("a == refused or b == 9", "a = refused");
    /* under `not`, every leaf inside is what made it hold */
    vals[NA] = V(2);
    expect_explain("not a == 1", "a = 2");
    vals[NC] = UNKNOWN;
    expect_explain("not (a == 1 or c == 1)", "a = 2, c = unknown");
    /* bare refs */
    vals[NA] = V(2);
    vals[NB] = V(0);
    expect_explain("a or b", "a = 2");
    /* negative values and dotted names */
    vals[NXY] = V(-4);
    expect_explain("x.y < -3", "x.y = -4");
}

static void test_explain_name_is_suffix_of_other(void **state) {
    (void)state;
    /* `ba = 3` contains the text `a = 3`: both leaves hold and both must be listed */
    set_all(UNKNOWN);
    vals[NA] = V(3);
    vals[NBA] = V(3);
    expect_explain("ba == 3 and a == 3", "ba = 3, a = 3");
    /* a value that is a prefix of another: `a = 3` inside `ba = 30` */
    vals[NBA] = V(30);
    expect_explain("ba == 30 and a == 3", "ba = 30, a = 3");
}

static void test_explain_buffer_limits(void **state) {
    (void)state;
    set_all(V(1));
    char buf[16];
    memset(buf, 'Z', sizeof buf);
    expr *e = pb("a == 1 and b == 1 and c == 1 and d == 1");
    expr_explain(e, &env, buf, 8);
    assert_true(strlen(buf) < 8);
    assert_int_equal(strncmp(buf, "a = 1", 5), 0);
    assert_int_equal(buf[8], 'Z');
    /* size 0: nothing is written */
    memset(buf, 'Z', sizeof buf);
    expr_explain(e, &env, buf, 0);
    assert_int_equal(buf[0], 'Z');
    /* NULL expression: empty */
    expr_explain(NULL, &env, buf, sizeof buf);
    assert_string_equal(buf, "");
    expr_free(e);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_operator),
        cmocka_unit_test(test_operator_against_other_ops_prefix),
        cmocka_unit_test(test_and_binds_tighter_than_or),
        cmocka_unit_test(test_chains_are_left_associative),
        cmocka_unit_test(test_not),
        cmocka_unit_test(test_parentheses),
        cmocka_unit_test(test_bare_truth_refs),
        cmocka_unit_test(test_refused_literal),
        cmocka_unit_test(test_unanswered_literal),
        cmocka_unit_test(test_has_operator),
        cmocka_unit_test(test_negative_numbers),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_error_column),
        cmocka_unit_test(test_long_names_fail_cleanly),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_long_flat_chain),
        cmocka_unit_test(test_bind),
        cmocka_unit_test(test_unknown_values),
        cmocka_unit_test(test_explain),
        cmocka_unit_test(test_explain_name_is_suffix_of_other),
        cmocka_unit_test(test_explain_buffer_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
