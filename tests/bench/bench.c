/* make bench: speed and memory of the clinical core, as medians and p99 over many runs, each against a
 * plain baseline measured in the same run (the same arithmetic hard-coded in C, no data-driven layers).
 *
 *   assess (core)   score every form, evaluate every rule, rank 1,000 counselors   target: median < 20 us
 *   assess (JSON)   the same from JSON text to JSON text, as `triage assess` does
 */
#define BENCH_NAME "bench"
#include "bench_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "assess.h"
#include "engine.h"

#define RUNS 20000
#define COUNSELORS 1000
#define POOL 64


static unsigned rng = 12345;
static unsigned next(void) {
    rng = rng * 1103515245u + 12345u;
    return (rng >> 16) & 0x7fff;
}

/* A roster of COUNSELORS written as a real roster file and loaded through roster_load. */
static bool make_roster(engine *e, diag *d) {
    char path[] = "/tmp/triage-bench-roster.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return false;
    FILE *fp = fdopen(fd, "w");
    static const char *const langs[] = {"zh", "en", "zh en", "zh yue"};
    static const char *const genders[] = {"female", "male"};
    for (int i = 0; i < COUNSELORS; i++) {
        fprintf(fp, "[counselor.b%04d]\nname = Counselor %04d\ngender = %s\nlanguages = %s\n", i, i, genders[i % 2],
                langs[i % 4]);
        fprintf(fp, "high_risk = %s\ncapacity = 20\ncaseload = %d\nweights =", i % 3 ? "yes" : "no", (int)(next() % 22));
        for (int k = 0; k < e->needs.n_dims; k++)
            if (next() % 3 || strcmp(e->needs.dims[k], "crisis") == 0)
                fprintf(fp, " %s:%.2f", e->needs.dims[k], (double)(next() % 100 + 1) / 100.0);
        fprintf(fp, "\n\n");
    }
    fclose(fp);
    bool ok = roster_load(&e->roster, path, &e->needs, d);
    unlink(path);
    e->has_roster = ok;
    return ok;
}

/* ---- the plain baseline: the same work with everything hard-coded ---- */
typedef struct {
    float w[32];
    int lang, high, gender, free;
} plain_counselor;

static int plain_assess(const int *phq9, const int *gad7, const int *asq, const int *phq2, const int *gad2,
                        const int *k6, const float *concern_need, const plain_counselor *pc, int n, int *top) {
    int t9 = 0, t7 = 0, t2 = 0, tg2 = 0, tk = 0;
    for (int i = 0; i < 9; i++) t9 += phq9[i];
    for (int i = 0; i < 7; i++) t7 += gad7[i];
    for (int i = 0; i < 2; i++) t2 += phq2[i], tg2 += gad2[i];
    for (int i = 0; i < 6; i++) tk += k6[i];
    bool pos = asq[0] || asq[1] || asq[2] || asq[3];
    int level = 0;
    if (t9 >= 10 || t7 >= 10 || t2 >= 3 || tg2 >= 3 || tk >= 13) level = 1;
    if (phq9[8] >= 1 || t9 >= 20 || pos) level = 2;
    if (pos && asq[4]) level = 3;
    float need[32];
    memcpy(need, concern_need, sizeof need);
    need[0] += (float)t9 / 27.0f + 0.6f * (float)t2 / 6.0f + 0.5f * (float)tk / 24.0f;
    need[1] += (float)t7 / 21.0f + 0.6f * (float)tg2 / 6.0f + 0.5f * (float)tk / 24.0f;
    need[11] += level == 3 ? 1.5f : level == 2 ? 1.0f : 0.0f;
    float norm = 0;
    for (int i = 0; i < 12; i++) norm += need[i] * need[i];
    norm = sqrtf(norm);
    float best[3] = {-1, -1, -1};
    for (int c = 0; c < n; c++) {
        if (pc[c].free <= 0 || !(pc[c].lang & 1) || (level >= 2 && !pc[c].high)) continue;
        float s = 0;
        for (int i = 0; i < 12; i++) s += need[i] * pc[c].w[i];
        s /= norm > 0 ? norm : 1;
        for (int k = 0; k < 3; k++)
            if (s > best[k]) {
                for (int j = 2; j > k; j--) best[j] = best[j - 1], top[j] = top[j - 1];
                best[k] = s;
                top[k] = c;
                break;
            }
    }
    return level;
}

int main(void) {
    engine e;
    diag d = {0};
    config_set_program_dir(".");
    if (!engine_load(&e, "config.ini", "forms", false, &d) || !make_roster(&e, &d)) {
        diag_print(&d, stderr);
        return 1;
    }
    static const char *const ids[] = {"phq9", "gad7", "asq", "phq2", "gad2", "k6"};
    int fidx[6];
    for (int i = 0; i < 6; i++) fidx[i] = formset_index(&e.forms, ids[i]);

    /* a pool of random complete assessments, so caches and branches see varied input */
    static int raw[POOL][6][9];
    static answer_set pool[POOL];
    static char json[POOL][512];
    for (int p = 0; p < POOL; p++) {
        answer_set_init(&pool[p], &e.forms);
        int len = snprintf(json[p], sizeof json[p], "{\"language\":\"zh\",\"concerns\":[\"emotional\",\"sleep\"],\"answers\":{");
        for (int f = 0; f < 6; f++) {
            const form *fm = e.forms.v[fidx[f]];
            int n = f == 2 ? 4 : fm->n_items - (f == 0); /* PHQ-9 without the optional difficulty item */
            len += snprintf(json[p] + len, sizeof json[p] - (size_t)len, "%s\"%s\":[", f ? "," : "", ids[f]);
            for (int i = 0; i < n; i++) {
                int max = form_item_scale(fm, i)->max_value;
                int v = f == 2 ? (next() % 8 == 0) : (int)(next() % (unsigned)(max + 1));
                raw[p][f][i] = v;
                answer_set_give(&pool[p], fidx[f], i, (answer){ANS_VALUE, v});
                len += snprintf(json[p] + len, sizeof json[p] - (size_t)len, "%s%d", i ? "," : "", v);
            }
            if (f == 2) {
                bool pos = raw[p][2][0] || raw[p][2][1] || raw[p][2][2] || raw[p][2][3];
                raw[p][2][4] = pos ? (int)(next() % 2) : 0;
                if (pos) {
                    answer_set_give(&pool[p], fidx[2], 4, (answer){ANS_VALUE, raw[p][2][4]});
                    len += snprintf(json[p] + len, sizeof json[p] - (size_t)len, ",%d", raw[p][2][4]);
                }
            }
            len += snprintf(json[p] + len, sizeof json[p] - (size_t)len, "]");
        }
        snprintf(json[p] + len, sizeof json[p] - (size_t)len, "}}");
    }
    match_request req = {"zh", NULL, 0};
    {
        const scale *cs = form_item_scale(e.forms.v[e.needs.concern_form], e.needs.concern_item);
        req.concerns = (1u << scale_code_index(cs, "emotional")) | (1u << scale_code_index(cs, "sleep"));
    }
    plain_counselor *pc = calloc(COUNSELORS, sizeof *pc);
    for (int c = 0; c < COUNSELORS; c++) {
        memcpy(pc[c].w, e.roster.v[c].w, sizeof pc[c].w);
        pc[c].lang = (e.roster.v[c].languages >> 0) & 1; /* "zh" is the first language interned */
        pc[c].high = e.roster.v[c].high_risk;
        pc[c].free = e.roster.v[c].capacity - e.roster.v[c].caseload;
    }
    float concern_need[32] = {0};
    need_vector(&e.needs, NULL, LEVEL_GREEN, req.concerns, concern_need);

    double *t_core = malloc(sizeof(double) * RUNS), *t_plain = malloc(sizeof(double) * RUNS),
           *t_json = malloc(sizeof(double) * RUNS);
    static answer_set work;
    risk_result rr;
    match_result mr;
    volatile int sink = 0;
    int top[3] = {0};
    assess_input *in = malloc(sizeof *in);
    for (int warm = 0; warm < 2; warm++)
        for (int r = 0; r < RUNS; r++) {
            int p = r % POOL;
            /* core: rescore every form from its answers, evaluate the rules, rank the roster */
            work = pool[p];
            double t0 = now_us();
            for (int f = 0; f < 6; f++) answer_set_rescore(&work, fidx[f]);
            risk_evaluate(&e.rules, &work, &rr);
            match_rank(&e.needs, &e.roster, &work, rr.level, &req, &mr);
            double t1 = now_us();
            sink += mr.n + (int)rr.level;
            /* baseline */
            double t2 = now_us();
            sink += plain_assess(raw[p][0], raw[p][1], raw[p][2], raw[p][3], raw[p][4], raw[p][5], concern_need, pc,
                                 COUNSELORS, top);
            double t3 = now_us();
            sink += top[0];
            t_core[r] = t1 - t0;
            t_plain[r] = t3 - t2;
        }
    /* the JSON path, fewer runs: it includes parsing and printing */
    int json_runs = RUNS / 4;
    for (int r = 0; r < json_runs; r++) {
        error err = {0};
        double t0 = now_us();
        const char *text = json[r % POOL];
        if (!assess_parse(&e, text, strlen(text), in, &err)) {
            fprintf(stderr, "bench input rejected: %s\n", err.msg);
            return 1;
        }
        json_t *o = assess_run(&e, in, LANG_EN);
        char *s = json_dumps(o, JSON_COMPACT);
        double t1 = now_us();
        sink += (int)strlen(s);
        free(s);
        json_decref(o);
        t_json[r] = t1 - t0;
    }
    stats core = summarise(t_core, RUNS), plain = summarise(t_plain, RUNS), js = summarise(t_json, json_runs);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("triage bench: %d runs (JSON: %d), %d counselors, %d forms, %d rules\n\n", RUNS, json_runs, COUNSELORS, 6,
           e.rules.n);
    printf("| operation                                   | median us | p99 us | ratio to baseline (median) |\n");
    printf("|---------------------------------------------|-----------|--------|----------------------------|\n");
    printf("| baseline: same arithmetic hard-coded in C   | %9.2f | %6.2f | 1.00                       |\n", plain.median,
           plain.p99);
    printf("| assess (core): score, rules, rank 1000      | %9.2f | %6.2f | %-26.2f |\n", core.median, core.p99,
           core.median / plain.median);
    printf("| assess (JSON in, JSON out)                  | %9.2f | %6.2f | %-26.2f |\n", js.median, js.p99,
           js.median / plain.median);
    printf("\ntarget: assess (core) median under 20 us: %s\n", core.median < 20.0 ? "met" : "NOT MET");
    printf("memory: one assessment %zu bytes; peak RSS %ld KiB\n", sizeof(answer_set), ru.ru_maxrss);
    char data[96];
    snprintf(data, sizeof data, "%d counselors, 6 forms, %d rules", COUNSELORS, e.rules.n);
    bench_row("assess (core): score, rules, rank", data, core.median, core.p99, "us", "same arithmetic hard-coded in C",
              plain.median, "< 20 us", core.median < 20.0);
    bench_row("assess, JSON in and out", data, js.median, js.p99, "us", "same arithmetic hard-coded in C", plain.median, "", -1);
    free(t_core);
    free(t_plain);
    free(t_json);
    free(pc);
    free(in);
    engine_free(&e);
    diag_free(&d);
    return sink == 42 ? 2 : 0;
}
