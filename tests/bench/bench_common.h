/* What the benchmarks share: a monotonic clock, medians and p99, a repeatable random sequence, and a
 * private temporary directory removed at exit. A program defines BENCH_NAME before including this. */
#ifndef TRIAGE_BENCH_COMMON_H
#define TRIAGE_BENCH_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef BENCH_NAME
#error "define BENCH_NAME before including bench_common.h"
#endif

/* This process's CPU time in microseconds (user and system): what a job costs, whatever else runs. */
static inline double cpu_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static inline double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static inline int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct {
    double median, p99, mean, max;
} stats;

/* Sorts t in place. */
static inline stats summarise(double *t, int n) {
    stats r = {0, 0, 0, 0};
    if (n <= 0) return r;
    double sum = 0;
    for (int i = 0; i < n; i++) sum += t[i];
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    r.median = t[n / 2];
    r.p99 = t[(n * 99) / 100];
    r.mean = sum / n;
    r.max = t[n - 1];
    return r;
}

/* xorshift64*: the same data in every run */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static inline uint64_t rnd(void) {
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545f4914f6cdd1dull;
}
static inline unsigned rnd_below(unsigned n) { return (unsigned)(rnd() % n); }

static char tmpdir[] = "/tmp/triage-" BENCH_NAME ".XXXXXX";
static bool tmpdir_made = false;

static inline void remove_tmpdir(void) {
    if (!tmpdir_made) return;
    DIR *d = opendir(tmpdir);
    if (d) {
        struct dirent *e;
        char p[sizeof tmpdir + 300];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
            (void)unlink(p);
        }
        closedir(d);
    }
    (void)rmdir(tmpdir);
    tmpdir_made = false;
}

static inline void die(const char *what, const char *err) {
    fprintf(stderr, BENCH_NAME ": %s: %s\n", what, err ? err : "");
    exit(1); /* atexit removes the directory */
}

/* Makes the private directory, removed at exit. */
static inline void make_tmpdir(void) {
    if (!mkdtemp(tmpdir)) die("mkdtemp", strerror(errno));
    tmpdir_made = true;
    atexit(remove_tmpdir);
}

static inline void path_in(char *out, size_t size, const char *name) { snprintf(out, size, "%s/%s", tmpdir, name); }

/* One line of make bench's summary table, appended to the file TRIAGE_BENCH_ROWS names (nothing when it
 * is unset): what was measured, on how much data, its median and p99, the plain baseline measured in the
 * same run (its name and median; ratio = median / baseline), the target and whether it was met (1 met,
 * 0 not met, -1 no target). Tabs and newlines in the text are replaced, so each row stays one line. */
static inline void bench_row(const char *what, const char *data, double median, double p99, const char *unit,
                             const char *baseline, double base_median, const char *target, int met) {
    const char *path = getenv("TRIAGE_BENCH_ROWS");
    if (!path || !*path) return;
    FILE *fp = fopen(path, "a");
    if (!fp) return;
    const char *text[5] = {what, data, unit, baseline ? baseline : "", target ? target : ""};
    char clean[5][256];
    for (int i = 0; i < 5; i++) {
        snprintf(clean[i], sizeof clean[i], "%s", text[i]);
        for (char *c = clean[i]; *c; c++)
            if (*c == '\t' || *c == '\n') *c = ' ';
    }
    fprintf(fp, "%s\t%s\t%s\t%.4f\t%.4f\t%s\t%s\t%.4f\t%s\t%d\n", BENCH_NAME, clean[0], clean[1], median, p99, clean[2],
            clean[3], base_median, clean[4], met);
    fclose(fp);
}

static inline long long file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

#endif
