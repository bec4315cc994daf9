/* config.ini from arbitrary bytes: the settings ([triage], [store], [security], [intake], [safety]),
 * the risk rules ([risk], with their condition language, bound to the real forms and checked against
 * every safety item), the matching model ([matching]) and the queue policy ([queue]). A rule set that
 * loads is evaluated on an empty and on a worst-case assessment. */
#include <sys/mman.h>
#include <unistd.h>

#include "answer_set.h"
#include "config.h"
#include "match.h"
#include "queue_policy.h"
#include "risk.h"
#include "fuzz_common.h"

static formset forms;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    diag d = {0};
    config_set_program_dir(FUZZ_ROOT);
    if (!formset_load(&forms, FUZZ_ROOT "/forms", &d)) {
        diag_print(&d, stderr);
        abort();
    }
    diag_free(&d);
    return 0;
}

static void evaluate(const ruleset *rs) {
    static answer_set a;
    risk_result r;
    answer_set_init(&a, &forms);
    risk_evaluate(rs, &a, &r);
    for (int f = 0; f < forms.n; f++) {
        for (int i = 0; i < forms.v[f]->n_items; i++) a.answers[f][i] = (answer){ANS_REFUSED, 0};
        answer_set_rescore(&a, f);
    }
    risk_evaluate(rs, &a, &r);
}

/* A matching model that loads reads the sample roster and ranks it for a worst-case client. */
static void rank(const need_model *m, diag *d) {
    roster r = {0};
    if (roster_load(&r, FUZZ_ROOT "/assets/counselors.sample.ini", m, d)) {
        static answer_set a;
        match_result out;
        answer_set_init(&a, &forms);
        for (int f = 0; f < forms.n; f++) {
            for (int i = 0; i < forms.v[f]->n_items; i++) a.answers[f][i] = (answer){ANS_REFUSED, 0};
            answer_set_rescore(&a, f);
        }
        match_request rq = {"zh", "female", 0xffffffffu};
        match_rank(m, &r, &a, LEVEL_RED, &rq, &out);
        rq = (match_request){"en", NULL, 0};
        match_rank(m, &r, &a, LEVEL_GREEN, &rq, &out);
        roster_free(&r);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* config_load reads a named file, as the program does: the input is an anonymous in-memory file. */
    int fd = memfd_create("fuzz-config", MFD_CLOEXEC);
    if (fd < 0) abort();
    for (size_t off = 0; off < size;) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) abort();
        off += (size_t)w;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    config c;
    diag d = {0};
    if (config_load(&c, path, &d)) {
        ruleset rs = {0};
        need_model m = {0};
        queue_policy q;
        if (ruleset_load(&rs, &c.ini, &forms, &d)) {
            evaluate(&rs);
            ruleset_free(&rs);
        }
        if (need_model_load(&m, &c.ini, &forms, &d)) {
            rank(&m, &d);
            need_model_free(&m);
        }
        (void)queue_policy_load(&q, &c.ini, &d);
    }
    config_free(&c);
    diag_free(&d);
    close(fd);
    return 0;
}
