/* No decrypted value is left in freed heap memory (issue 13, point 4): a client with a known marker in the
 * name, the phone and the answers of an intake is saved, found by name and by phone, and its record viewed;
 * every block the program gives back to the C library meanwhile is searched for the markers just before it
 * goes. The program's malloc, calloc, realloc and free are replaced here (glibc supports replacing them: the C
 * library, SQLite and jansson then allocate through these), so the check sees jansson's frees as well as the
 * program's. Guarded blocks (sodium_malloc) never reach free: sodium_free wipes and unmaps them.
 *
 * The second test puts jansson's plain malloc/free back and expects the search to find the answers' marker:
 * without the wiping allocator (core/base/wipe_alloc.h) the first test would fail, and the check can see.
 *
 * Under AddressSanitizer (which replaces malloc itself) the tests are skipped. Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <ftw.h>
#include <jansson.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "record_view.h"
#include "records.h"
#include "intake_store.h"
#include "session.h"
#include "vault.h"
#include "wipe_alloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define HEAP_CHECK 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEAP_CHECK 0
#endif
#endif
#ifndef HEAP_CHECK
#define HEAP_CHECK 1
#endif

#define NAME_MARK "qzmarkname" /* lower case: the search index works on the case-folded name */
#define PHONE_MARK "5550173942"
#define ANSWER_MARK "qzmarkanswer"
#define PASS "admin-passphrase-1"

enum { M_NAME, M_PHONE, M_ANSWER, N_MARKS };
static const char *const marks[N_MARKS] = {NAME_MARK, PHONE_MARK, ANSWER_MARK};
static volatile bool scanning;
static size_t hits[N_MARKS];

#if HEAP_CHECK
/* glibc's own allocator, under its exported names */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static void scan(const void *p) {
    if (!scanning || !p) return;
    size_t n = malloc_usable_size((void *)p);
    for (int m = 0; m < N_MARKS; m++)
        if (memmem(p, n, marks[m], strlen(marks[m]))) hits[m]++;
}

void *malloc(size_t n) { return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { return __libc_calloc(a, b); }
void free(void *p) {
    scan(p);
    __libc_free(p);
}
/* A move frees the old block inside the C library, unseen: done here as allocate, copy, free. */
void *realloc(void *p, size_t n) {
    if (!p) return __libc_malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    void *q = __libc_malloc(n);
    if (!q) return NULL;
    size_t old = malloc_usable_size(p);
    memcpy(q, p, old < n ? old : n);
    free(p);
    return q;
}
#endif

static char dir[64];

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

/* A client with the markers is saved with an intake, found by name and by phone, its record viewed; then
 * everything is closed. The markers are in this file's constants only, never on the heap of the test. */
static void save_find_view(void) {
    static const db_settings set = {5000, KDF_INTERACTIVE, 3, 8, "", ""};
    char path[128];
    error err = {0};
    snprintf(path, sizeof path, "%s/heap.db", dir);
    remove(path);
    database db;
    int wait = 0;
    session *s = NULL;
    if (!db_open(&db, path, true, &set, &err) ||
        !db_initialise(&db, "admin", PASS, strlen(PASS), &err) ||
        session_login(&db, "admin", PASS, strlen(PASS), &s, &wait, &err) != LOGIN_OK)
        fail_msg("setup: %s", err.msg);
    memset(hits, 0, sizeof hits);
    scanning = true;
    /* the body as the intake use case stores it: the answers, and a reason quoting a free-text answer */
    static const char body[] =
        "{\"input\":{\"language\":\"en\",\"answers\":{\"intake\":{\"reason_text\":\"" ANSWER_MARK " lost job\"}}},"
        "\"record\":{\"channel\":\"phone\",\"age\":30},"
        "\"assessment\":{\"level\":\"yellow\",\"reasons\":[{\"text\":\"said: " ANSWER_MARK "\"}],"
        "\"scores\":{\"phq9\":{\"total\":7}},\"matches\":[]}}";
    client_new nc = {NAME_MARK " Lee", "+1 " PHONE_MARK, "1990-04-01"};
    intake_input in = {NULL, "yellow", NULL, NULL, body, "notes on " ANSWER_MARK, NULL, false, NULL};
    char cid[STORE_ID_LEN], iid[STORE_ID_LEN];
    if (!intake_save_with_client(s, &nc, &in, NULL, cid, iid, &err)) fail_msg("save: %s", err.msg);
    client_plain *list = NULL;
    int n = 0;
    if (!client_find(s, NAME_MARK, &list, &n, &err) || n != 1) fail_msg("find by name: %d %s", n, err.msg);
    client_list_free(list, n);
    if (!client_find(s, PHONE_MARK, &list, &n, &err) || n != 1) fail_msg("find by phone: %d %s", n, err.msg);
    client_list_free(list, n);
    client_record rec;
    if (!client_record_open(s, cid, &rec, &err) || rec.n_intakes != 1) fail_msg("view: %s", err.msg);
    assert_non_null(strstr(rec.client.name, NAME_MARK)); /* it was opened */
    assert_non_null(strstr(rec.intakes[0].reasons[0], ANSWER_MARK));
    client_record_free(&rec);
    session_end(s);
    db_close(&db);
    scanning = false;
}

static void no_marker_in_freed_blocks(void **state) {
    (void)state;
    if (!HEAP_CHECK) skip();
    wipe_alloc_install();
    assert_true(wipe_alloc_installed());
    save_find_view();
    for (int m = 0; m < N_MARKS; m++)
        if (hits[m]) fail_msg("%zu freed block(s) still held \"%s\"", hits[m], marks[m]);
}

/* The check can fail: with jansson on the plain allocator, its copies of the answers are freed unwiped. */
static void without_the_wiping_allocator_the_check_fails(void **state) {
    (void)state;
    if (!HEAP_CHECK) skip();
    json_set_alloc_funcs(malloc, free); /* safe at any time: wipe_malloc is malloc */
    assert_false(wipe_alloc_installed());
    save_find_view();
    wipe_alloc_install();
    assert_true(hits[M_ANSWER] > 0);
}

static int group_setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/triage-heap-XXXXXX");
    return vault_init() && mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state) {
    (void)state;
    (void)nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_marker_in_freed_blocks),
        cmocka_unit_test(without_the_wiping_allocator_the_check_fails),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
