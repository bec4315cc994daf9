#include "report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "csv.h"
#include "facts.h"
#include "risk.h"
#include "util.h"

static const char *const dim_names[RD_COUNT] = {"all", "level", "channel", "concern", "age_band", "counselor", "stage"};

const char *report_dim_name(report_dim d) { return (unsigned)d < RD_COUNT ? dim_names[d] : "?"; }

void report_settings_from_config(const config *c, report_settings *out) {
    out->k = c->report_k;
    out->retention_sessions = c->retention_sessions;
    out->retention_days = c->retention_days;
    out->lapse_days = c->lapse_days;
}

/* ---- groups: one row per (dimension, value), found through a small open-addressing table ---- */

#define MAX_CONCERNS 16

typedef struct {
    int32_t *v;
    size_t n, cap;
} delays;

typedef struct {
    report_row *rows;
    delays *dl;
    int n, cap;
    int *slots; /* row index + 1, 0 empty */
    int nslots;
    /* a concern combination ("emotional relationship") and the rows of its concerns */
    struct combo {
        char key[129];
        int rows[MAX_CONCERNS];
        int n;
    } *combos;
    int *combo_slots;
    int ncombos, combo_cap, ncombo_slots;
    int level_row[LEVEL_COUNT], stage_row[STAGE_COUNT];
    int64_t asof_day;
    int lapse_days;
    report_validation val;
} groups;

static uint32_t fnv(const char *s, uint32_t h) {
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int new_row(groups *g, report_dim d, const char *value) {
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 64;
        g->rows = xrealloc(g->rows, sizeof *g->rows * (size_t)g->cap);
        g->dl = xrealloc(g->dl, sizeof *g->dl * (size_t)g->cap);
    }
    report_row *r = &g->rows[g->n];
    memset(r, 0, sizeof *r);
    memset(&g->dl[g->n], 0, sizeof g->dl[g->n]);
    r->dim = d;
    snprintf(r->value, sizeof r->value, "%s", value);
    return g->n++;
}

static void rehash(groups *g) {
    int ns = g->nslots ? g->nslots * 2 : 256;
    free(g->slots);
    g->slots = xcalloc((size_t)ns, sizeof *g->slots);
    g->nslots = ns;
    for (int i = 0; i < g->n; i++) {
        uint32_t h = fnv(g->rows[i].value, 2166136261u ^ (uint32_t)g->rows[i].dim) & (uint32_t)(ns - 1);
        while (g->slots[h]) h = (h + 1) & (uint32_t)(ns - 1);
        g->slots[h] = i + 1;
    }
}

static int row_of(groups *g, report_dim d, const char *value) {
    if ((g->n + 1) * 2 > g->nslots) rehash(g);
    uint32_t mask = (uint32_t)(g->nslots - 1), h = fnv(value, 2166136261u ^ (uint32_t)d) & mask;
    for (; g->slots[h]; h = (h + 1) & mask) {
        report_row *r = &g->rows[g->slots[h] - 1];
        if (r->dim == d && strcmp(r->value, value) == 0) return g->slots[h] - 1;
    }
    int i = new_row(g, d, value);
    g->slots[h] = i + 1;
    return i;
}

static const struct combo *combo_of(groups *g, const char *concerns) {
    if ((g->ncombos + 1) * 2 > g->ncombo_slots) {
        int ns = g->ncombo_slots ? g->ncombo_slots * 2 : 64;
        free(g->combo_slots);
        g->combo_slots = xcalloc((size_t)ns, sizeof *g->combo_slots);
        g->ncombo_slots = ns;
        for (int i = 0; i < g->ncombos; i++) {
            uint32_t h = fnv(g->combos[i].key, 2166136261u) & (uint32_t)(ns - 1);
            while (g->combo_slots[h]) h = (h + 1) & (uint32_t)(ns - 1);
            g->combo_slots[h] = i + 1;
        }
    }
    uint32_t mask = (uint32_t)(g->ncombo_slots - 1), h = fnv(concerns, 2166136261u) & mask;
    for (; g->combo_slots[h]; h = (h + 1) & mask)
        if (strcmp(g->combos[g->combo_slots[h] - 1].key, concerns) == 0) return &g->combos[g->combo_slots[h] - 1];
    if (g->ncombos == g->combo_cap) {
        g->combo_cap = g->combo_cap ? g->combo_cap * 2 : 32;
        g->combos = xrealloc(g->combos, sizeof *g->combos * (size_t)g->combo_cap);
    }
    struct combo *c = &g->combos[g->ncombos];
    memset(c, 0, sizeof *c);
    snprintf(c->key, sizeof c->key, "%s", concerns);
    strlist words = strlist_split(concerns);
    for (int i = 0; i < words.n && c->n < MAX_CONCERNS; i++) c->rows[c->n++] = row_of(g, RD_CONCERN, words.v[i]);
    strlist_free(&words);
    if (c->n == 0) c->rows[c->n++] = row_of(g, RD_CONCERN, "");
    g->combo_slots[h] = ++g->ncombos;
    return c;
}

static void add(groups *g, int row, const facts_brief *f) {
    report_row *r = &g->rows[row];
    unsigned fl = f->flags;
    r->intakes++;
    r->confirmed += (fl & FB_CONFIRMED) != 0;
    r->confirmed_same += (fl & FB_CONFIRMED_SAME) != 0;
    r->confirmed_with_deadline += (fl & FB_WITH_DEADLINE) != 0;
    r->confirmed_in_time += (fl & FB_IN_TIME) != 0;
    if (fl & FB_FIRST_ATTENDED) {
        r->first_attended++;
        r->retained += (fl & FB_RETAINED) != 0;
    }
    if (f->contact_delay >= 0) {
        r->contacted++;
        delays *d = &g->dl[row];
        if (d->n == d->cap) {
            d->cap = d->cap ? d->cap * 2 : 64;
            d->v = xrealloc(d->v, sizeof *d->v * d->cap);
        }
        d->v[d->n++] = (int32_t)(f->contact_delay > INT32_MAX ? INT32_MAX : f->contact_delay);
    }
    r->overdue += (fl & FB_OVERDUE) != 0;
    r->suggestions += f->suggestions;
    r->declines += f->declines;
}

/* The validation matrix: an intake counts when a clinician confirmed a level, else it is left out. */
static void add_validation(report_validation *v, bool triaged, risk_level l, const char *confirmed_level) {
    risk_level c;
    if (triaged && confirmed_level && confirmed_level[0] && risk_level_parse(confirmed_level, &c)) v->cells[l][c]++;
    else {
        v->unconfirmed++;
        if (triaged) v->unconfirmed_at[l]++;
    }
}

static int on_facts(void *ctx, const facts_brief *f) {
    groups *g = ctx;
    add(g, 0, f);
    risk_level l = LEVEL_GREEN;
    bool triaged = risk_level_parse(f->level, &l);
    if (triaged) {
        if (g->level_row[l] < 0) g->level_row[l] = row_of(g, RD_LEVEL, f->level);
        add(g, g->level_row[l], f);
    }
    add_validation(&g->val, triaged, l, f->confirmed_level);
    add(g, row_of(g, RD_CHANNEL, f->channel), f);
    const struct combo *c = combo_of(g, f->concerns);
    for (int i = 0; i < c->n; i++) add(g, c->rows[i], f);
    add(g, row_of(g, RD_AGE_BAND, f->age_band), f);
    add(g, row_of(g, RD_COUNSELOR, f->counselor), f);
    lifecycle_stage st = lifecycle_stage_at(f->sessions_attended, f->last_session_day, g->asof_day, g->lapse_days);
    if (g->stage_row[st] < 0) g->stage_row[st] = row_of(g, RD_STAGE, lifecycle_stage_name(st));
    add(g, g->stage_row[st], f);
    return 0;
}

/* The k-th smallest (quickselect; reorders v). */
static int32_t kth(int32_t *v, size_t n, size_t k) {
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        int32_t pivot = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) {
                int32_t t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0) break;
                j--;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else return v[k];
    }
    return v[k];
}

static double median_hours(delays *d) {
    if (d->n == 0) return NAN;
    double m = kth(d->v, d->n, (d->n - 1) / 2);
    if (d->n % 2 == 0) m = (m + kth(d->v, d->n, d->n / 2)) / 2;
    return m / 3600.0;
}

/* Levels and stages in their own order, other values alphabetically, unknown ("") last. */
static int value_rank(const report_row *r) {
    risk_level l;
    if (r->dim == RD_LEVEL && risk_level_parse(r->value, &l)) return LEVEL_COUNT - (int)l;
    if (r->dim == RD_STAGE)
        for (int s = 0; s < STAGE_COUNT; s++)
            if (!strcmp(r->value, lifecycle_stage_name((lifecycle_stage)s))) return s + 1;
    return r->value[0] ? 0 : 1000;
}

static int by_group(const void *a, const void *b) {
    const report_row *x = a, *y = b;
    if (x->dim != y->dim) return (int)x->dim - (int)y->dim;
    int rx = value_rank(x), ry = value_rank(y);
    if (rx != ry) return rx - ry;
    return strcmp(x->value, y->value);
}

bool report_compute(database *db, const report_settings *set, int64_t from, int64_t to, report *out, error *err) {
    memset(out, 0, sizeof *out);
    out->from = from;
    out->to = to;
    out->set = *set;
    if (to <= from) {
        error_set(err, ERR_INPUT, "the report's range is empty (--to is before --from)");
        return false;
    }
    groups g;
    memset(&g, 0, sizeof g);
    for (int i = 0; i < LEVEL_COUNT; i++) g.level_row[i] = -1;
    for (int i = 0; i < STAGE_COUNT; i++) g.stage_row[i] = -1;
    g.asof_day = day_of(to - 1);
    g.lapse_days = set->lapse_days;
    (void)row_of(&g, RD_ALL, "all");
    store_status st = db->ops->facts_scan(db->st, from, to, set->retention_sessions, set->retention_days, on_facts, &g);
    if (st != ST_OK) db_error(db, st, "cannot read the report facts", err);
    for (int i = 0; i < g.n; i++) {
        g.rows[i].median_contact_hours = median_hours(&g.dl[i]);
        g.rows[i].suppressed = g.rows[i].intakes < set->k;
        free(g.dl[i].v);
    }
    free(g.dl);
    free(g.slots);
    free(g.combos);
    free(g.combo_slots);
    if (st != ST_OK) {
        free(g.rows);
        return false;
    }
    qsort(g.rows, (size_t)g.n, sizeof *g.rows, by_group);
    out->rows = g.rows;
    out->n = g.n;
    out->val = g.val;
    return true;
}

bool report_run(session *s, const report_settings *set, int64_t from, int64_t to, report *out, error *err) {
    memset(out, 0, sizeof *out);
    if (!session_allowed(s, ACT_REPORT, err)) return false;
    if (!report_compute(s->db, set, from, to, out, err)) return false;
    char a[16], b[16], detail[64];
    day_format(day_of(from), a, sizeof a);
    day_format(day_of(to - 1), b, sizeof b);
    snprintf(detail, sizeof detail, "%s..%s", a, b);
    session_audit(s, "report", "", detail);
    return true;
}

void report_free(report *r) {
    free(r->rows);
    memset(r, 0, sizeof *r);
}

bool report_rate(int64_t num, int64_t den, double *out) {
    if (den <= 0) return false;
    *out = (double)num / (double)den;
    return true;
}

double report_share(const report *r, const report_row *row) {
    double v = 0;
    return r->n && report_rate(row->intakes, r->rows[0].intakes, &v) ? v : 0;
}

void report_bar(double share, int width, char *out, size_t size) {
    if (size == 0) return;
    int w = width < (int)size - 1 ? width : (int)size - 1;
    int filled = share <= 0 ? 0 : share >= 1 ? w : (int)(share * w + 0.5);
    for (int i = 0; i < w; i++) out[i] = i < filled ? '#' : '.';
    out[w < 0 ? 0 : w] = '\0';
}

/* ---- output ---- */

typedef struct {
    const char *name;
    bool (*get)(const report *r, const report_row *row, double *v);
    bool percent;
} figure;

static bool f_accuracy(const report *r, const report_row *x, double *v) {
    (void)r;
    return report_rate(x->confirmed_same, x->confirmed, v);
}
static bool f_first(const report *r, const report_row *x, double *v) {
    (void)r;
    return report_rate(x->first_attended, x->intakes, v);
}
static bool f_retention(const report *r, const report_row *x, double *v) {
    (void)r;
    return report_rate(x->retained, x->first_attended, v);
}
static bool f_contact(const report *r, const report_row *x, double *v) {
    (void)r;
    *v = x->median_contact_hours;
    return x->contacted > 0;
}
static bool f_in_time(const report *r, const report_row *x, double *v) {
    (void)r;
    return report_rate(x->confirmed_in_time, x->confirmed_with_deadline, v);
}
static bool f_overdue(const report *r, const report_row *x, double *v) {
    (void)r;
    *v = (double)x->overdue;
    return true;
}
static bool f_share(const report *r, const report_row *x, double *v) {
    *v = report_share(r, x);
    return r->n > 0 && r->rows[0].intakes > 0;
}
static bool f_decline(const report *r, const report_row *x, double *v) {
    (void)r;
    return report_rate(x->declines, x->suggestions, v);
}

static const figure figures[] = {
    {"identification_accuracy", f_accuracy, true}, {"first_session_rate", f_first, true},
    {"retention_rate", f_retention, true},         {"median_hours_to_contact", f_contact, false},
    {"confirmed_by_deadline", f_in_time, true},    {"overdue", f_overdue, false},
    {"share_of_intakes", f_share, true},           {"decline_rate", f_decline, true},
};
#define N_FIGURES (sizeof figures / sizeof figures[0])

static void range_text(const report *r, char from[16], char to[16]) {
    day_format(day_of(r->from), from, 16);
    day_format(day_of(r->to - 1), to, 16);
}

json_t *report_json(const report *r) {
    json_t *o = json_object();
    char a[16], b[16];
    range_text(r, a, b);
    json_object_set_new(o, "from", json_string(a));
    json_object_set_new(o, "to", json_string(b));
    json_object_set_new(o, "k_floor", json_integer(r->set.k));
    json_t *ret = json_object();
    json_object_set_new(ret, "sessions", json_integer(r->set.retention_sessions));
    json_object_set_new(ret, "days", json_integer(r->set.retention_days));
    json_object_set_new(o, "retention", ret);
    json_object_set_new(o, "lapse_days", json_integer(r->set.lapse_days));
    json_t *rows = json_array();
    for (int i = 0; i < r->n; i++) {
        const report_row *x = &r->rows[i];
        json_t *j = json_object();
        json_object_set_new(j, "group", json_string(report_dim_name(x->dim)));
        json_object_set_new(j, "value", x->value[0] ? json_string(x->value) : json_null());
        json_object_set_new(j, "suppressed", json_boolean(x->suppressed));
        if (x->suppressed) {
            char lt[16];
            snprintf(lt, sizeof lt, "<%d", r->set.k);
            json_object_set_new(j, "intakes", json_string(lt));
        } else {
            json_object_set_new(j, "intakes", json_integer(x->intakes));
        }
        for (size_t f = 0; f < N_FIGURES; f++) {
            double v;
            bool have = !x->suppressed && figures[f].get(r, x, &v);
            json_object_set_new(j, figures[f].name,
                                !have ? json_null() : figures[f].percent || f == 3 ? json_real(round(v * 10000) / 10000)
                                                                                   : json_integer((json_int_t)v));
        }
        json_array_append_new(rows, j);
    }
    json_object_set_new(o, "rows", rows);
    return o;
}

char *report_csv(const report *r) {
    csv_buf b;
    csv_init(&b);
    csv_field(&b, "group");
    csv_field(&b, "value");
    csv_field(&b, "intakes");
    for (size_t f = 0; f < N_FIGURES; f++) csv_field(&b, figures[f].name);
    csv_end_row(&b);
    for (int i = 0; i < r->n; i++) {
        const report_row *x = &r->rows[i];
        csv_field(&b, report_dim_name(x->dim));
        csv_field(&b, x->value);
        char t[32];
        if (x->suppressed) snprintf(t, sizeof t, "<%d", r->set.k);
        else snprintf(t, sizeof t, "%lld", (long long)x->intakes);
        csv_field(&b, t);
        for (size_t f = 0; f < N_FIGURES; f++) {
            double v;
            if (x->suppressed || !figures[f].get(r, x, &v)) csv_field(&b, "");
            else {
                snprintf(t, sizeof t, figures[f].percent || f == 3 ? "%.4f" : "%.0f", v);
                csv_field(&b, t);
            }
        }
        csv_end_row(&b);
    }
    return csv_take(&b);
}

/* Appends printf output to a growing string. */
__attribute__((format(printf, 2, 3))) static void app(csv_buf *b, const char *fmt, ...) {
    char t[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t, sizeof t, fmt, ap);
    va_end(ap);
    csv_raw(b, t);
}

static void pct(char *out, size_t size, bool have, double v) {
    if (have) snprintf(out, size, "%.1f%%", v * 100);
    else snprintf(out, size, "-");
}

char *report_text(const report *r) {
    csv_buf b;
    csv_init(&b);
    char a[16], z[16];
    range_text(r, a, z);
    app(&b, "Outcomes %s to %s. Groups of fewer than %d intakes are shown as <%d without figures.\n", a, z, r->set.k,
        r->set.k);
    app(&b, "Retention: %d or more sessions within %d days of the first. Stage as of %s (lapsed: no session for %d "
            "days).\n\n",
        r->set.retention_sessions, r->set.retention_days, z, r->set.lapse_days);
    app(&b, "%-10s %-16s %8s %9s %9s %9s %9s %9s %8s %9s\n", "group", "value", "intakes", "accuracy", "1st sess",
        "retained", "contact h", "in time", "overdue", "declined");
    for (int i = 0; i < r->n; i++) {
        const report_row *x = &r->rows[i];
        char shown[40];
        text_for_display(x->value[0] ? x->value : "(unknown)", 16, shown, sizeof shown);
        if (x->suppressed) {
            char lt[16];
            snprintf(lt, sizeof lt, "<%d", r->set.k);
            app(&b, "%-10s %-16s %8s\n", report_dim_name(x->dim), shown, lt);
            continue;
        }
        char f[N_FIGURES][24];
        double v;
        bool have;
        have = f_accuracy(r, x, &v);
        pct(f[0], sizeof f[0], have, v);
        have = f_first(r, x, &v);
        pct(f[1], sizeof f[1], have, v);
        have = f_retention(r, x, &v);
        pct(f[2], sizeof f[2], have, v);
        if (x->contacted) snprintf(f[3], sizeof f[3], "%.1f", x->median_contact_hours);
        else snprintf(f[3], sizeof f[3], "-");
        have = f_in_time(r, x, &v);
        pct(f[4], sizeof f[4], have, v);
        have = f_decline(r, x, &v);
        pct(f[5], sizeof f[5], have, v);
        app(&b, "%-10s %-16s %8lld %9s %9s %9s %9s %9s %8lld %9s\n", report_dim_name(x->dim), shown,
            (long long)x->intakes, f[0], f[1], f[2], f[3], f[4], (long long)x->overdue, f[5]);
    }
    app(&b, "\nPresenting concerns (share of intakes)\n");
    for (int i = 0; i < r->n; i++) {
        const report_row *x = &r->rows[i];
        if (x->dim != RD_CONCERN) continue;
        char shown[40], bar[41];
        text_for_display(x->value[0] ? x->value : "(none given)", 16, shown, sizeof shown);
        if (x->suppressed) {
            char lt[16];
            snprintf(lt, sizeof lt, "<%d", r->set.k);
            app(&b, "  %-16s %8s\n", shown, lt);
            continue;
        }
        double s = report_share(r, x);
        report_bar(s, 40, bar, sizeof bar);
        app(&b, "  %-16s %8lld %6.1f%% %s\n", shown, (long long)x->intakes, s * 100, bar);
    }
    return csv_take(&b);
}

/* ---- the validation report: triage's level against the level a clinician confirmed ---- */

#define WILSON_Z 1.959964 /* the 97.5th percentile of the normal: a two-sided 95% interval */

bool report_wilson(int64_t x, int64_t n, double *lo, double *hi) {
    if (n <= 0 || x < 0 || x > n) return false;
    double nn = (double)n, p = (double)x / nn, z2 = WILSON_Z * WILSON_Z;
    double denom = 1 + z2 / nn;
    double centre = (p + z2 / (2 * nn)) / denom;
    double half = WILSON_Z * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
    *lo = centre - half < 0 ? 0 : centre - half; /* rounding only: the bounds are within 0..1 */
    *hi = centre + half > 1 ? 1 : centre + half;
    return true;
}

int64_t report_triaged_at(const report_validation *v, risk_level l) {
    int64_t n = 0;
    for (int c = 0; c < LEVEL_COUNT; c++) n += v->cells[l][c];
    return n;
}

int64_t report_confirmed_at(const report_validation *v, risk_level l) {
    int64_t n = 0;
    for (int t = 0; t < LEVEL_COUNT; t++) n += v->cells[t][l];
    return n;
}

int64_t report_confirmed_total(const report_validation *v) {
    int64_t n = 0;
    for (int l = 0; l < LEVEL_COUNT; l++) n += report_triaged_at(v, (risk_level)l);
    return n;
}

int64_t report_under_triaged(const report_validation *v) {
    int64_t n = 0;
    for (int t = 0; t < LEVEL_COUNT; t++)
        for (int c = t + 1; c < LEVEL_COUNT; c++) n += v->cells[t][c];
    return n;
}

int64_t report_over_triaged(const report_validation *v) {
    int64_t n = 0;
    for (int t = 0; t < LEVEL_COUNT; t++)
        for (int c = 0; c < t; c++) n += v->cells[t][c];
    return n;
}

static bool under_floor(int64_t n, int k) { return n > 0 && n < k; }

static report_share_ci share_ci(int64_t x, int64_t n, int k) {
    report_share_ci s;
    memset(&s, 0, sizeof s);
    s.x = x;
    s.n = n;
    s.have = report_rate(x, n, &s.p) && report_wilson(x, n, &s.lo, &s.hi);
    /* the share of a group under the floor is not given (as the other reports), nor one whose count is
     * under it: the share and n would give that count back */
    s.shown = s.have && n >= k && !under_floor(x, k);
    return s;
}

report_share_ci report_ppv(const report *r, risk_level l) {
    return share_ci(r->val.cells[l][l], report_triaged_at(&r->val, l), r->set.k);
}

report_share_ci report_sensitivity(const report *r, risk_level l) {
    return share_ci(r->val.cells[l][l], report_confirmed_at(&r->val, l), r->set.k);
}

/* x: triage and clinician both at l or above; n: the clinician (by_confirmed) or triage at l or above. */
static report_share_ci at_or_above(const report *r, risk_level l, bool by_confirmed) {
    int64_t x = 0, n = 0;
    for (int t = 0; t < LEVEL_COUNT; t++)
        for (int c = 0; c < LEVEL_COUNT; c++) {
            int64_t v = r->val.cells[t][c];
            if (t >= (int)l && c >= (int)l) x += v;
            if ((by_confirmed ? c : t) >= (int)l) n += v;
        }
    return share_ci(x, n, r->set.k);
}

report_share_ci report_sensitivity_at_or_above(const report *r, risk_level l) { return at_or_above(r, l, true); }
report_share_ci report_ppv_at_or_above(const report *r, risk_level l) { return at_or_above(r, l, false); }

void report_count_text(int64_t n, int k, char *out, size_t size) {
    if (under_floor(n, k)) snprintf(out, size, "<%d", k);
    else snprintf(out, size, "%lld", (long long)n);
}

void report_share_text(const report_share_ci *s, int k, char *out, size_t size) {
    char x[24], n[24];
    report_count_text(s->x, k, x, sizeof x);
    report_count_text(s->n, k, n, sizeof n);
    if (!s->have) snprintf(out, size, "n/a (%s/%s)", x, n);
    else if (!s->shown) snprintf(out, size, "- (%s/%s)", x, n);
    else
        snprintf(out, size, "%.0f%% (%s/%s, 95%% CI %.0f-%.0f%%)", s->p * 100, x, n, s->lo * 100, s->hi * 100);
}

/* Levels from the most urgent down, as the queues show them. */
static risk_level level_at(int i) { return (risk_level)(LEVEL_COUNT - 1 - i); }

/* The levels at or above l, e.g. "red or orange", or those below, e.g. "yellow or green"; three as
 * "red, orange or yellow". */
static void levels_from(risk_level l, bool above, char *out, size_t size) {
    const char *names[LEVEL_COUNT];
    int n = 0;
    for (int i = 0; i < LEVEL_COUNT; i++)
        if ((level_at(i) >= l) == above) names[n++] = risk_level_name(level_at(i));
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ", names[i]);
    }
}

/* "At or above orange": sensitivity, under-triage and PPV for the levels from l up. */
static void text_at_or_above(csv_buf *b, const report *r, risk_level l, const char *why) {
    int k = r->set.k;
    char hi[48], lo[48], st[96], pt[96], under[24];
    levels_from(l, true, hi, sizeof hi);
    levels_from(l, false, lo, sizeof lo);
    report_share_ci s = report_sensitivity_at_or_above(r, l), p = report_ppv_at_or_above(r, l);
    report_share_text(&s, k, st, sizeof st);
    report_share_text(&p, k, pt, sizeof pt);
    report_count_text(s.n - s.x, k, under, sizeof under);
    app(b, "\nAt or above %s (%s):\n", risk_level_name(l), why);
    app(b, "  sensitivity %s: of those a clinician confirmed %s, the share triage put %s\n", st, hi, hi);
    app(b, "  under-triaged: %s confirmed %s that triage put %s\n", under, hi, lo);
    app(b, "  PPV %s: of those triage put %s, the share a clinician confirmed %s\n", pt, hi, hi);
}

char *report_validation_text(const report *r) {
    csv_buf b;
    csv_init(&b);
    const report_validation *v = &r->val;
    int k = r->set.k;
    char a[16], z[16], t1[24], t2[24];
    range_text(r, a, z);
    report_count_text(report_confirmed_total(v), k, t1, sizeof t1);
    report_count_text(v->unconfirmed, k, t2, sizeof t2);
    app(&b, "Validation %s to %s: the level triage gave (rows) against the level a clinician confirmed (columns).\n",
        a, z);
    app(&b, "%s intakes confirmed by a clinician; %s not confirmed, left out.", t1, t2);
    if (k > 1) app(&b, " A count under %d is shown as <%d (a zero as 0), and no share is given from it.", k, k);
    app(&b, "\n\n");
    app(&b, "%-18s", "triage \\ confirmed");
    for (int i = 0; i < LEVEL_COUNT; i++) app(&b, " %7s", risk_level_name(level_at(i)));
    app(&b, " %7s   %s\n", "total", "not confirmed");
    for (int i = 0; i < LEVEL_COUNT; i++) {
        risk_level t = level_at(i);
        app(&b, "%-18s", risk_level_name(t));
        for (int j = 0; j < LEVEL_COUNT; j++) {
            report_count_text(v->cells[t][level_at(j)], k, t1, sizeof t1);
            app(&b, " %7s", t1);
        }
        report_count_text(report_triaged_at(v, t), k, t1, sizeof t1);
        report_count_text(v->unconfirmed_at[t], k, t2, sizeof t2);
        app(&b, " %7s   %s\n", t1, t2);
    }
    app(&b, "%-18s", "total");
    for (int j = 0; j < LEVEL_COUNT; j++) {
        report_count_text(report_confirmed_at(v, level_at(j)), k, t1, sizeof t1);
        app(&b, " %7s", t1);
    }
    report_count_text(report_confirmed_total(v), k, t1, sizeof t1);
    app(&b, " %7s\n\n", t1);

    app(&b, "%-8s %-34s %s\n", "level", "PPV (confirmed at triage's level)", "sensitivity (confirmed level found)");
    for (int i = 0; i < LEVEL_COUNT; i++) {
        risk_level l = level_at(i);
        report_share_ci p = report_ppv(r, l), s = report_sensitivity(r, l);
        char pt[96], st[96];
        report_share_text(&p, k, pt, sizeof pt);
        report_share_text(&s, k, st, sizeof st);
        app(&b, "%-8s %-34s %s\n", risk_level_name(l), pt, st);
    }

    text_at_or_above(&b, r, LEVEL_ORANGE, "the safety question");
    text_at_or_above(&b, r, LEVEL_YELLOW, "a positive screen, e.g. PHQ-9 10 or more");
    char st[96];
    int64_t same = 0;
    for (int l = 0; l < LEVEL_COUNT; l++) same += v->cells[l][l];
    report_share_ci ag = share_ci(same, report_confirmed_total(v), k);
    report_share_text(&ag, k, st, sizeof st);
    report_count_text(report_under_triaged(v), k, t1, sizeof t1);
    report_count_text(report_over_triaged(v), k, t2, sizeof t2);
    app(&b, "\nAll confirmed: agreement %s; triage lower than the clinician %s, higher %s.\n", st, t1, t2);
    app(&b, "Only confirmed intakes count: where a level is seldom confirmed (see \"not confirmed\"), the clients it "
            "missed are not seen and the sensitivities read high.\n");
    return csv_take(&b);
}

/* A count for JSON: the number, or "<k" under the floor. */
static json_t *count_json(int64_t n, int k) {
    if (under_floor(n, k)) {
        char t[16];
        snprintf(t, sizeof t, "<%d", k);
        return json_string(t);
    }
    return json_integer((json_int_t)n);
}

static json_t *fig_json(bool shown, double v) { return shown ? json_real(round(v * 10000) / 10000) : json_null(); }

static json_t *share_json(const report_share_ci *s, int k) {
    json_t *o = json_object();
    json_object_set_new(o, "x", count_json(s->x, k));
    json_object_set_new(o, "n", count_json(s->n, k));
    json_object_set_new(o, "value", fig_json(s->shown, s->p));
    json_object_set_new(o, "ci_low", fig_json(s->shown, s->lo));
    json_object_set_new(o, "ci_high", fig_json(s->shown, s->hi));
    return o;
}

json_t *report_validation_json(const report *r) {
    const report_validation *v = &r->val;
    int k = r->set.k;
    json_t *o = json_object();
    char a[16], z[16];
    range_text(r, a, z);
    json_object_set_new(o, "from", json_string(a));
    json_object_set_new(o, "to", json_string(z));
    json_object_set_new(o, "k_floor", json_integer(k));
    json_object_set_new(o, "confirmed", count_json(report_confirmed_total(v), k));
    json_object_set_new(o, "not_confirmed", count_json(v->unconfirmed, k));
    /* matrix[triage's level][confirmed level], with the totals */
    json_t *m = json_object(), *tot = json_object();
    for (int i = 0; i < LEVEL_COUNT; i++) {
        risk_level t = level_at(i);
        json_t *row = json_object();
        for (int j = 0; j < LEVEL_COUNT; j++)
            json_object_set_new(row, risk_level_name(level_at(j)), count_json(v->cells[t][level_at(j)], k));
        json_object_set_new(row, "total", count_json(report_triaged_at(v, t), k));
        json_object_set_new(row, "not_confirmed", count_json(v->unconfirmed_at[t], k));
        json_object_set_new(m, risk_level_name(t), row);
        json_object_set_new(tot, risk_level_name(t), count_json(report_confirmed_at(v, t), k));
    }
    json_object_set_new(tot, "total", count_json(report_confirmed_total(v), k));
    json_object_set_new(m, "total", tot);
    json_object_set_new(o, "matrix", m);
    json_t *levels = json_array();
    for (int i = 0; i < LEVEL_COUNT; i++) {
        risk_level l = level_at(i);
        report_share_ci p = report_ppv(r, l), s = report_sensitivity(r, l);
        json_t *x = json_object();
        json_object_set_new(x, "level", json_string(risk_level_name(l)));
        json_object_set_new(x, "ppv", share_json(&p, k));
        json_object_set_new(x, "sensitivity", share_json(&s, k));
        json_array_append_new(levels, x);
    }
    json_object_set_new(o, "levels", levels);
    for (risk_level l = LEVEL_ORANGE; l >= LEVEL_YELLOW; l--) {
        report_share_ci s = report_sensitivity_at_or_above(r, l), p = report_ppv_at_or_above(r, l);
        json_t *x = json_object();
        json_object_set_new(x, "sensitivity", share_json(&s, k));
        json_object_set_new(x, "ppv", share_json(&p, k));
        json_object_set_new(x, "under_triaged", count_json(s.n - s.x, k));
        char key[32];
        snprintf(key, sizeof key, "%s_or_above", risk_level_name(l));
        json_object_set_new(o, key, x);
    }
    json_object_set_new(o, "under_triaged", count_json(report_under_triaged(v), k));
    json_object_set_new(o, "over_triaged", count_json(report_over_triaged(v), k));
    return o;
}

static void count_csv(csv_buf *b, int64_t n, int k) {
    char t[24];
    report_count_text(n, k, t, sizeof t);
    csv_field(b, t);
}

/* One CSV row: measure, triage's level, confirmed level, count, then n and the share with its interval. */
static void val_row(csv_buf *b, const char *measure, const char *triaged, const char *confirmed, int64_t count,
                    const report_share_ci *s, int k) {
    csv_field(b, measure);
    csv_field(b, triaged);
    csv_field(b, confirmed);
    count_csv(b, count, k);
    if (s) {
        count_csv(b, s->n, k);
        double f[3] = {s->p, s->lo, s->hi};
        for (int i = 0; i < 3; i++) {
            char t[24] = "";
            if (s->shown) snprintf(t, sizeof t, "%.4f", f[i]);
            csv_field(b, t);
        }
    } else {
        for (int i = 0; i < 4; i++) csv_field(b, "");
    }
    csv_end_row(b);
}

char *report_validation_csv(const report *r) {
    const report_validation *v = &r->val;
    int k = r->set.k;
    csv_buf b;
    csv_init(&b);
    const char *head[] = {"measure", "triage_level", "confirmed_level", "count", "n", "value", "ci_low", "ci_high"};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++) csv_field(&b, head[i]);
    csv_end_row(&b);
    for (int i = 0; i < LEVEL_COUNT; i++)
        for (int j = 0; j < LEVEL_COUNT; j++)
            val_row(&b, "cell", risk_level_name(level_at(i)), risk_level_name(level_at(j)),
                    v->cells[level_at(i)][level_at(j)], NULL, k);
    for (int i = 0; i < LEVEL_COUNT; i++)
        val_row(&b, "triaged_total", risk_level_name(level_at(i)), "", report_triaged_at(v, level_at(i)), NULL, k);
    for (int i = 0; i < LEVEL_COUNT; i++)
        val_row(&b, "confirmed_total", "", risk_level_name(level_at(i)), report_confirmed_at(v, level_at(i)), NULL, k);
    val_row(&b, "confirmed", "", "", report_confirmed_total(v), NULL, k);
    for (int i = 0; i < LEVEL_COUNT; i++)
        val_row(&b, "not_confirmed", risk_level_name(level_at(i)), "", v->unconfirmed_at[level_at(i)], NULL, k);
    val_row(&b, "not_confirmed", "", "", v->unconfirmed, NULL, k);
    for (int i = 0; i < LEVEL_COUNT; i++) {
        risk_level l = level_at(i);
        report_share_ci p = report_ppv(r, l), s = report_sensitivity(r, l);
        val_row(&b, "ppv", risk_level_name(l), risk_level_name(l), p.x, &p, k);
        val_row(&b, "sensitivity", risk_level_name(l), risk_level_name(l), s.x, &s, k);
    }
    for (risk_level l = LEVEL_ORANGE; l >= LEVEL_YELLOW; l--) {
        report_share_ci s = report_sensitivity_at_or_above(r, l), p = report_ppv_at_or_above(r, l);
        char m[64], lv[16];
        snprintf(lv, sizeof lv, "%s+", risk_level_name(l));
        snprintf(m, sizeof m, "sensitivity_%s_or_above", risk_level_name(l));
        val_row(&b, m, lv, lv, s.x, &s, k);
        snprintf(m, sizeof m, "ppv_%s_or_above", risk_level_name(l));
        val_row(&b, m, lv, lv, p.x, &p, k);
        snprintf(m, sizeof m, "under_triaged_%s_or_above", risk_level_name(l));
        val_row(&b, m, "", lv, s.n - s.x, NULL, k);
    }
    val_row(&b, "under_triaged", "", "", report_under_triaged(v), NULL, k);
    val_row(&b, "over_triaged", "", "", report_over_triaged(v), NULL, k);
    return csv_take(&b);
}
