/* The store seam's one wrapper: every operation's arguments are checked here, above whichever backend is
 * open, so a backend only does its work and a degenerate call (NULL, a bad id, an incomplete record) is
 * refused the same way by every backend (ST_INVALID, nothing done, the message naming the database and what
 * could not be done). Opening picks the backend by the database's URL (store_backend_for).
 *
 * The operations that run (ck_*) were lifted from the SQLite backend's own checks when the seam was made;
 * what a check needs of a backend's insides (a table's name, the transaction state) stays in the backend. */
#include "store.h"

#include <limits.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secret.h"
#include "util.h"

/* The handle the rest of the core holds: the backend's own, and what the checks need. */
typedef struct {
    const store_ops *b;
    store *in;
    char where[4200];   /* the database as messages name it */
    char *location;     /* as given to the backend, password and all: never printed, only looked for in the
                         * backend's messages to be replaced by where (secret memory, wiped at close) */
    char err[4600];
    char shown[4600];   /* the backend's last message as ck_errmsg gives it: redacted */
    bool own_error;     /* the last error was a refused call, not the backend's */
} checked;

static checked *C(store *s) { return (checked *)(void *)s; }

/* Calls per operation that reached the backend (counted after the argument checks, so a refused call does
 * not count), for the conformance suite's coverage line (store_ops_called): one slot per pointer
 * of store_ops, in its order. A counter costs an increment; it is never read by the program. */
#define N_SLOTS (sizeof(store_ops) / sizeof(void *))
static unsigned long calls[N_SLOTS];
#define SLOT(op) (offsetof(store_ops, op) / sizeof(void *))
#define COUNT(op) (calls[SLOT(op)]++)

__attribute__((format(printf, 3, 4))) static store_status invalid(checked *c, const char *what, const char *why, ...) {
    char w[256];
    va_list ap;
    va_start(ap, why);
    vsnprintf(w, sizeof w, why, ap);
    va_end(ap);
    snprintf(c->err, sizeof c->err, "Database %s: could not %s: %s.", c->where, what, w);
    c->own_error = true;
    return ST_INVALID;
}

/* ---- what a record must hold to be stored ---- */

static bool staff_ok(const staff_rec *r) {
    return store_field_ok(r->id, sizeof r->id) && store_id_ok(r->id) && store_field_ok(r->name, sizeof r->name) && r->name[0] &&
           staff_role_valid(r->role) && r->failed_logins >= 0 &&
           r->keys.kdf.opslimit <= (uint64_t)INT64_MAX && r->keys.kdf.memlimit <= (uint64_t)INT64_MAX;
}


static bool client_ok(const client_rec *r) {
    return store_field_ok(r->id, sizeof r->id) && store_id_ok(r->id) && store_field_ok(r->created_by, sizeof r->created_by) &&
           store_id_ok(r->created_by) && store_blob_ok(&r->name_ct, true) && store_blob_ok(&r->phone_ct, false) &&
           store_blob_ok(&r->birth_ct, false) && store_blob_ok(&r->key_ct, false);
}


static bool facts_ok(const facts_rec *r) {
    return r && store_field_ok(r->id, sizeof r->id) && store_id_ok(r->id) && store_field_ok(r->client_key, sizeof r->client_key) &&
           store_id_ok(r->client_key) && store_field_ok(r->level, sizeof r->level) && store_level_ok(r->level) &&
           store_field_ok(r->channel, sizeof r->channel) && store_field_ok(r->concerns, sizeof r->concerns) &&
           store_field_ok(r->age_band, sizeof r->age_band) && store_field_ok(r->counselor, sizeof r->counselor) &&
           store_field_ok(r->confirmed_level, sizeof r->confirmed_level) &&
           (!r->confirmed_level[0] || store_level_ok(r->confirmed_level)) &&
           store_field_ok(r->closed_reason, sizeof r->closed_reason) && r->suggestions >= 0 && r->declines >= 0 &&
           r->sessions_attended >= 0 && r->first_session_attended >= -1 && r->first_session_attended <= 1;
}


static bool id_prefix_ok(const char *p) {
    if (!p) return true;
    size_t n = strlen(p);
    if (n > STORE_ID_LEN - 1) return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789abcdef-", p[i])) return false;
    return true;
}


/* ---- opening, closing, the last error ---- */

/* A backend's message that names its address names it as store_url_redacted does: a password given in the
 * URL never reaches a screen or a log, whatever the backend writes. The message's text is then redacted as a
 * whole too (a password=... pair or a userinfo the backend wrote in its own words). */
static void redacted_message(const char *msg, const char *location, char *out, size_t size) {
    char shown[4600], was[4600];
    snprintf(was, sizeof was, "%s", msg ? msg : "");
    if (location && location[0] && strstr(was, location)) { /* every time the message names it, not the first */
        store_url_redacted(location, shown, sizeof shown);
        char whole[4600];
        size_t n = 0, ll = strlen(location), sl = strlen(shown);
        for (const char *p = was; *p && n + 1 < sizeof whole;) {
            if (!strncmp(p, location, ll)) {
                size_t k = sl < sizeof whole - 1 - n ? sl : sizeof whole - 1 - n; /* truncated is fine: cut */
                memcpy(whole + n, shown, k);
                n += k;
                p += ll;
            } else
                whole[n++] = *p++;
        }
        whole[n] = '\0';
        memcpy(was, whole, sizeof was);
        secret_wipe(whole, sizeof whole);
    }
    store_url_redacted(was, out, size);
    secret_wipe(was, sizeof was);
    secret_wipe(shown, sizeof shown);
}

static void redact_message(error *err, const char *location) {
    if (!err) return;
    char shown[sizeof err->msg];
    redacted_message(err->msg, location, shown, sizeof shown);
    if (strcmp(shown, err->msg) != 0) error_set(err, err->kind, "%s", shown);
    secret_wipe(shown, sizeof shown);
}

/* Every backend call that takes an error* hands its answer back through here: the backend's words may name
 * the database's location (or the other database or file the call was given), a password and all, and the
 * message goes on to a screen, a log or the signed trail (a refused restore is audited with it). */
static store_status backend_said(store_status st, error *err, const char *location, const char *other) {
    redact_message(err, location);
    if (other && other != location) redact_message(err, other);
    return st;
}

static store_status ck_open(const char *url, bool create, int busy_timeout_ms, store **out, error *err) {
    if (out) *out = NULL;
    error_clear(err);
    const char *location = NULL;
    const store_ops *b = store_backend_for(url, &location, err);
    if (!b) return ST_INVALID;
    if (!out || busy_timeout_ms < 0) {
        char shown[4200];
        store_url_redacted(url, shown, sizeof shown);
        error_set(err, ERR_INPUT, "%s: no result was given, or the wait for a busy database is negative.", shown);
        return ST_INVALID;
    }
    int slot;
    if (store_ops_unset(b, &slot) > 0) { /* a half-made backend is refused here, not crashed into at its first call */
        error_set(err, ERR_INTERNAL, "the %s backend of this build lacks the operation %s; the database was not opened",
                  b->name, store_op_name(slot));
        return ST_INVALID;
    }
    store *in = NULL;
    COUNT(open);
    store_status st = backend_said(b->open(location, create, busy_timeout_ms, &in, err), err, location, NULL);
    if (st != ST_OK) return st;
    checked *c = xcalloc(1, sizeof *c);
    c->b = b;
    c->in = in;
    store_url_redacted(location, c->where, sizeof c->where);
    size_t n = strlen(location) + 1;
    c->location = secret_alloc(n);
    if (c->location) memcpy(c->location, location, n);
    *out = (store *)(void *)c;
    return ST_OK;
}

static void ck_close(store *s) {
    if (!s) return;
    checked *c = C(s);
    COUNT(close);
    c->b->close(c->in);
    secret_free(c->location);
    free(c);
}

static const char *ck_errmsg(const store *s) {
    if (!s) return "No database is open.";
    const checked *c = (const checked *)(const void *)s;
    if (c->own_error) return c->err;
    COUNT(errmsg);
    /* the backend's own words may name its address: redacted (the struct is ours, its buffer the answer) */
    checked *mine = (checked *)(void *)s;
    redacted_message(c->b->errmsg(c->in), c->location, mine->shown, sizeof mine->shown);
    return mine->shown;
}

static int ck_schema_version(const store *s) {
    if (!s) return -1;
    const checked *c = (const checked *)(const void *)s;
    COUNT(schema_version);
    return c->b->schema_version(c->in);
}

static void ck_rollback(store *s) {
    if (!s) return;
    checked *c = C(s);
    COUNT(rollback);
    c->b->rollback(c->in);
}

static int64_t ck_local_changes(store *s) {
    if (!s) return 0;
    checked *c = C(s);
    COUNT(local_changes);
    return c->b->local_changes(c->in);
}

static store_status ck_audit_each(store *s, audit_cb cb, void *ctx) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (!cb) return invalid(c, "read the audit log", "no callback was given");
    c->own_error = false;
    COUNT(audit_each);
    return c->b->audit_each(c->in, cb, ctx);
}

static store_status ck_backup(store *s, const char *dest, error *err) {
    error_clear(err);
    if (!s) {
        error_set(err, ERR_INPUT, "No database is open.");
        return ST_INVALID;
    }
    checked *c = C(s);
    if (!dest || !dest[0] || strlen(dest) >= PATH_MAX) {
        invalid(c, "back up", "no destination file was given");
        error_set(err, ERR_STORE, "%s", c->err);
        return ST_INVALID;
    }
    c->own_error = false;
    COUNT(backup);
    return backend_said(c->b->backup(c->in, dest, err), err, c->location, dest);
}

static store_status ck_restore(store *s, const char *src, restore_steps *steps, error *err) {
    error_clear(err);
    if (!s) {
        error_set(err, ERR_INPUT, "No database is open.");
        return ST_INVALID;
    }
    checked *c = C(s);
    if (!src || !src[0] || strlen(src) >= PATH_MAX) {
        invalid(c, "restore", "no backup file was given");
        error_set(err, ERR_STORE, "%s", c->err);
        return ST_INVALID;
    }
    /* a scratch database's URL (scratch_url) names this backend: the backend is given its location */
    const char *location = src;
    const char *scheme = store_backend_scheme(c->b);
    if (scheme && !strncmp(src, scheme, strlen(scheme))) {
        error why = {0};
        const store_ops *b = store_backend_for(src, &location, &why);
        if (b != c->b) {
            invalid(c, "restore", "%s is not a database of this backend", src);
            error_set(err, ERR_STORE, "%s", c->err);
            return ST_INVALID;
        }
    }
    c->own_error = false;
    COUNT(restore);
    return backend_said(c->b->restore(c->in, location, steps, err), err, c->location, location);
}

static store_status ck_scratch_url(store *s, char *url, size_t size) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *name = store_backend_scheme(c->b); /* the registry's, not the backend's name: "sqlite:" */
    if (!name) return invalid(c, "name a scratch database", "this backend has no URL scheme registered");
    size_t scheme = strlen(name);
    if (!url || size <= scheme + 1) return invalid(c, "name a scratch database", "no room for its URL");
    COUNT(scratch_url);
    snprintf(url, size, "%s", name);
    return c->b->scratch_url(c->in, url + scheme, size - scheme);
}

static store_status ck_backup_source_check(store *s, const char *src, error *err) {
    error_clear(err);
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (!src || !src[0] || strlen(src) >= PATH_MAX) {
        invalid(c, "restore", "no backup file was given");
        error_set(err, ERR_STORE, "%s", c->err);
        return ST_INVALID;
    }
    COUNT(backup_source_check);
    return backend_said(c->b->backup_source_check(c->in, src, err), err, c->location, src);
}

static store_status ck_leftovers_hint(store *s, char *words, size_t size) {
    if (words && size) words[0] = '\0';
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (!words || !size) return invalid(c, "name what lies beside the database", "no room for the words was given");
    c->own_error = false;
    COUNT(leftovers_hint);
    store_status st = c->b->leftovers_hint(c->in, words, size);
    if (st != ST_OK) {
        words[0] = '\0';
        return st;
    }
    words[size - 1] = '\0';
    /* the backend names its location: shown as every message shows it (no password of a URL) */
    char *shown = malloc(size);
    if (!shown) return ST_IO;
    redacted_message(words, c->location, shown, size);
    snprintf(words, size, "%s", shown);
    secret_wipe(shown, size);
    free(shown);
    return ST_OK;
}

static store_status ck_scratch_sweep(store *s, int *removed, error *err) {
    error_clear(err);
    if (!s || !removed) return ST_INVALID;
    checked *c = C(s);
    COUNT(scratch_sweep);
    return backend_said(c->b->scratch_sweep(c->in, removed, err), err, c->location, NULL);
}

static store_status ck_drop(const char *url, error *err) {
    error_clear(err);
    const char *location = NULL;
    const store_ops *b = store_backend_for(url, &location, err);
    if (!b) return ST_INVALID;
    if (!location[0]) {
        char shown[4200];
        store_url_redacted(url, shown, sizeof shown);
        error_set(err, ERR_STORE, "%s: no database to drop", shown);
        return ST_INVALID;
    }
    COUNT(drop);
    return backend_said(b->drop(location, err), err, location, NULL);
}

/* ---- the record operations ---- */

static store_status ck_begin(store *s) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    c->own_error = false;
    COUNT(begin);
    return c->b->begin(c->in);
}

static store_status ck_commit(store *s) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    c->own_error = false;
    COUNT(commit);
    return c->b->commit(c->in);
}

static store_status ck_read_begin(store *s) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    c->own_error = false;
    COUNT(read_begin);
    return c->b->read_begin(c->in);
}

static store_status ck_read_end(store *s) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    c->own_error = false;
    COUNT(read_end);
    return c->b->read_end(c->in);
}

static bool ck_in_transaction(const store *s) {
    if (!s) return false;
    const checked *c = (const checked *)(const void *)s;
    COUNT(in_transaction);
    return c->b->in_transaction(c->in);
}

static store_status ck_meta_get(store *s, const char *key, blob *out) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) *out = (blob){NULL, 0};
    if (!out || !key || !key[0]) return invalid(c, "read a setting", "no key or no result was given");
    c->own_error = false;
    COUNT(meta_get);
    return c->b->meta_get(c->in, key, out);
}

static store_status ck_meta_set(store *s, const char *key, const void *value, size_t n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "save a setting";
    if (!key || !key[0] || (n > 0 && !value) || n > (size_t)INT_MAX) return invalid(c, what, "no key, or no value");
    c->own_error = false;
    COUNT(meta_set);
    return c->b->meta_set(c->in, key, value, n);
}

static store_status ck_meta_any(store *s, const char *prefix, bool *any) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (any) *any = false;
    if (!any || !prefix || !prefix[0]) return invalid(c, "look for settings", "no prefix or no result was given");
    c->own_error = false;
    COUNT(meta_any);
    return c->b->meta_any(c->in, prefix, any);
}

static store_status ck_staff_insert(store *s, const staff_rec *r) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "add a staff member";
    if (!r || !staff_ok(r)) return invalid(c, what, "the record is missing or incomplete");
    c->own_error = false;
    COUNT(staff_insert);
    return c->b->staff_insert(c->in, r);
}

static store_status ck_staff_update(store *s, const staff_rec *r) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "update a staff member";
    if (!r || !staff_ok(r)) return invalid(c, what, "the record is missing or incomplete");
    c->own_error = false;
    COUNT(staff_update);
    return c->b->staff_update(c->in, r);
}

static store_status ck_staff_by_name(store *s, const char *name, staff_rec *out) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) memset(out, 0, sizeof *out);
    if (!name || !name[0] || !out) return invalid(c, "find a staff member", "no name or no result was given");
    c->own_error = false;
    COUNT(staff_by_name);
    return c->b->staff_by_name(c->in, name, out);
}

static store_status ck_staff_by_id(store *s, const char *id, staff_rec *out) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) memset(out, 0, sizeof *out);
    if (!store_id_ok(id) || !out) return invalid(c, "find a staff member", "no valid id or no result was given");
    c->own_error = false;
    COUNT(staff_by_id);
    return c->b->staff_by_id(c->in, id, out);
}

static store_status ck_staff_list(store *s, staff_rec **out, int *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!out || !n) return invalid(c, "list the staff", "no result was given");
    c->own_error = false;
    COUNT(staff_list);
    return c->b->staff_list(c->in, out, n);
}

static store_status ck_counselor_upsert(store *s, const counselor_rec *r) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "save a counselor";
    if (!r || !store_field_ok(r->id, sizeof r->id) || !store_id_ok(r->id) || !store_field_ok(r->code, sizeof r->code) || !r->code[0] ||
        !store_field_ok(r->name, sizeof r->name) || !store_field_ok(r->gender, sizeof r->gender) ||
        !store_field_ok(r->languages, sizeof r->languages) || !store_field_ok(r->orientations, sizeof r->orientations) ||
        !store_field_ok(r->weights, sizeof r->weights) || r->capacity < 0 || r->caseload < 0)
        return invalid(c, what, "the record is missing, incomplete or has a negative count");
    c->own_error = false;
    COUNT(counselor_upsert);
    return c->b->counselor_upsert(c->in, r);
}

static store_status ck_counselor_list(store *s, counselor_rec **out, int *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!out || !n) return invalid(c, "list the counselors", "no result was given");
    c->own_error = false;
    COUNT(counselor_list);
    return c->b->counselor_list(c->in, out, n);
}

static store_status ck_client_insert(store *s, const client_rec *r) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "add a client";
    if (!r || !client_ok(r)) return invalid(c, what, "the record is missing or incomplete");
    c->own_error = false;
    COUNT(client_insert);
    return c->b->client_insert(c->in, r);
}

static store_status ck_client_update(store *s, const client_rec *r) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "update a client";
    if (!r || !store_field_ok(r->id, sizeof r->id) || !store_id_ok(r->id) || !store_blob_ok(&r->name_ct, true) ||
        !store_blob_ok(&r->phone_ct, false) || !store_blob_ok(&r->birth_ct, false) || !store_blob_ok(&r->key_ct, false))
        return invalid(c, what, "the record is missing or incomplete");
    c->own_error = false;
    COUNT(client_update);
    return c->b->client_update(c->in, r);
}

static store_status ck_client_get(store *s, const char *id, client_rec *out) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) memset(out, 0, sizeof *out);
    if (!store_id_ok(id) || !out) return invalid(c, "read a client", "no valid id or no result was given");
    c->own_error = false;
    COUNT(client_get);
    return c->b->client_get(c->in, id, out);
}

static store_status ck_client_count(store *s, int64_t *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (n) *n = 0;
    if (!n) return invalid(c, "count the clients", "no result was given");
    c->own_error = false;
    COUNT(client_count);
    return c->b->client_count(c->in, n);
}

static store_status ck_bidx_add(store *s, uint32_t value, const char *client_id) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "add a search entry";
    if (!store_id_ok(client_id)) return invalid(c, what, "no valid client id was given");
    c->own_error = false;
    COUNT(bidx_add);
    return c->b->bidx_add(c->in, value, client_id);
}

static store_status ck_bidx_clear(store *s, const char *client_id) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "clear the search entries";
    if (!store_id_ok(client_id)) return invalid(c, what, "no valid client id was given");
    c->own_error = false;
    COUNT(bidx_clear);
    return c->b->bidx_clear(c->in, client_id);
}

static store_status ck_bidx_find(store *s, uint32_t value, char (**ids)[STORE_ID_LEN], int *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (ids) *ids = NULL;
    if (n) *n = 0;
    if (!ids || !n) return invalid(c, "search the clients", "no result was given");
    c->own_error = false;
    COUNT(bidx_find);
    return c->b->bidx_find(c->in, value, ids, n);
}

static store_status ck_intake_insert(store *s, const intake_rec *r) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "add an intake";
    if (!r || !store_field_ok(r->id, sizeof r->id) || !store_id_ok(r->id) || !store_field_ok(r->client_id, sizeof r->client_id) ||
        !store_id_ok(r->client_id) || !store_field_ok(r->created_by, sizeof r->created_by) || !store_id_ok(r->created_by) ||
        !store_field_ok(r->level, sizeof r->level) || !store_level_ok(r->level) || !store_opt_id_ok(r->suggested, sizeof r->suggested) ||
        !store_opt_id_ok(r->chosen, sizeof r->chosen) || !store_blob_ok(&r->body_ct, true) || !store_blob_ok(&r->notes_ct, false))
        return invalid(c, what, "the record is missing or incomplete");
    c->own_error = false;
    COUNT(intake_insert);
    return c->b->intake_insert(c->in, r);
}

static store_status ck_intake_get(store *s, const char *id, intake_rec *out) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) memset(out, 0, sizeof *out);
    if (!store_id_ok(id) || !out) return invalid(c, "read an intake", "no valid id or no result was given");
    c->own_error = false;
    COUNT(intake_get);
    return c->b->intake_get(c->in, id, out);
}

static store_status ck_intake_get_keyed(store *s, const char *id, intake_rec *out, blob *key_ct) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) memset(out, 0, sizeof *out);
    if (key_ct) *key_ct = (blob){0};
    if (!store_id_ok(id) || !out || !key_ct) return invalid(c, "read an intake", "no valid id or no result was given");
    c->own_error = false;
    COUNT(intake_get_keyed);
    return c->b->intake_get_keyed(c->in, id, out, key_ct);
}

static store_status ck_intake_list_for_client(store *s, const char *client_id, intake_rec **out, int *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!store_id_ok(client_id) || !out || !n)
        return invalid(c, "list the intakes of a client", "no valid client id or no result was given");
    c->own_error = false;
    COUNT(intake_list_for_client);
    return c->b->intake_list_for_client(c->in, client_id, out, n);
}

static store_status ck_draft_put(store *s, const draft_rec *r) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "save a draft";
    if (!r || !store_field_ok(r->id, sizeof r->id) || !store_id_ok(r->id) || !store_field_ok(r->staff_id, sizeof r->staff_id) ||
        !store_id_ok(r->staff_id) || !store_blob_ok(&r->body_ct, true))
        return invalid(c, what, "the record is missing or incomplete");
    c->own_error = false;
    COUNT(draft_put);
    return c->b->draft_put(c->in, r);
}

static store_status ck_draft_for_staff(store *s, const char *staff_id, draft_rec *out) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) memset(out, 0, sizeof *out);
    if (!store_id_ok(staff_id) || !out) return invalid(c, "read a draft", "no valid staff id or no result was given");
    c->own_error = false;
    COUNT(draft_for_staff);
    return c->b->draft_for_staff(c->in, staff_id, out);
}

static store_status ck_draft_delete(store *s, const char *id) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "delete a draft";
    if (!store_id_ok(id)) return invalid(c, what, "no valid id was given");
    c->own_error = false;
    COUNT(draft_delete);
    return c->b->draft_delete(c->in, id);
}

static store_status ck_audit_append(store *s, audit_rec *r) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "append to the audit log";
    if (!r || !store_opt_id_ok(r->staff_id, sizeof r->staff_id) || !store_field_ok(r->action, sizeof r->action) ||
        !r->action[0] || !store_field_ok(r->object_id, sizeof r->object_id) || !store_field_ok(r->detail, sizeof r->detail))
        return invalid(c, what, "the entry is missing or incomplete");
    c->own_error = false;
    COUNT(audit_append);
    return c->b->audit_append(c->in, r);
}

static store_status ck_audit_last(store *s, audit_rec *out) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) memset(out, 0, sizeof *out);
    if (!out) return invalid(c, "read the audit log", "no result was given");
    c->own_error = false;
    COUNT(audit_last);
    return c->b->audit_last(c->in, out);
}

static store_status ck_audit_by_object(store *s, const char *object_id, const char *action, bool newest, audit_rec *out,
                                       audit_link *prev) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) memset(out, 0, sizeof *out);
    if (prev) memset(prev, 0, sizeof *prev);
    if (!out || !prev) return invalid(c, "read the audit log", "no result was given");
    if (!store_field_ok(object_id, sizeof out->object_id) || !object_id[0] || !store_field_ok(action, sizeof out->action) ||
        !action[0])
        return invalid(c, "read the audit log", "the object or the action is missing or too long");
    c->own_error = false;
    COUNT(audit_by_object);
    return c->b->audit_by_object(c->in, object_id, action, newest, out, prev);
}

static store_status ck_audit_last_signed_by(store *s, const char *staff_id, audit_rec *out, audit_link *prev) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) memset(out, 0, sizeof *out);
    if (prev) memset(prev, 0, sizeof *prev);
    if (!out || !prev) return invalid(c, "read the audit log", "no result was given");
    if (!store_id_ok(staff_id)) return invalid(c, "read the audit log", "the staff member is missing or invalid");
    c->own_error = false;
    COUNT(audit_last_signed_by);
    return c->b->audit_last_signed_by(c->in, staff_id, out, prev);
}

static store_status ck_audit_each_from(store *s, int64_t after, audit_cb cb, void *ctx) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (!cb || after < 0) return invalid(c, "read the audit log", "no callback was given");
    c->own_error = false;
    COUNT(audit_each_from);
    return c->b->audit_each_from(c->in, after, cb, ctx);
}

static store_status ck_audit_set_mac(store *s, int64_t seq, const unsigned char mac[VAULT_MAC_BYTES]) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "seal an audit entry";
    if (seq <= 0 || !mac) return invalid(c, what, "no valid sequence number or no MAC was given");
    c->own_error = false;
    COUNT(audit_set_mac);
    return c->b->audit_set_mac(c->in, seq, mac);
}

static store_status ck_queue_put(store *s, const queue_rec *r) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "save a queue item";
    if (!r || !store_field_ok(r->id, sizeof r->id) || !store_id_ok(r->id) || !store_field_ok(r->client_id, sizeof r->client_id) ||
        !store_id_ok(r->client_id) || !store_field_ok(r->intake_id, sizeof r->intake_id) || !store_id_ok(r->intake_id) ||
        !store_field_ok(r->level, sizeof r->level) || !store_level_ok(r->level) || !store_field_ok(r->state, sizeof r->state) ||
        !store_field_ok(r->outcome, sizeof r->outcome) || !store_field_ok(r->pending_level, sizeof r->pending_level) ||
        !store_field_ok(r->counselor, sizeof r->counselor) || r->escalations < 0 || r->declines_in_row < 0 ||
        r->contact_attempts < 0 || r->mac_state_n > sizeof r->mac_state)
        return invalid(c, what, "the record is missing, incomplete or has a negative count");
    c->own_error = false;
    COUNT(queue_put);
    return c->b->queue_put(c->in, r);
}

static store_status ck_queue_get(store *s, const char *id, queue_rec *out) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) memset(out, 0, sizeof *out);
    if (!store_id_ok(id) || !out) return invalid(c, "read the queue item", "no valid id or no result was given");
    c->own_error = false;
    COUNT(queue_get);
    return c->b->queue_get(c->in, id, out);
}

static store_status ck_queue_open_for_client(store *s, const char *client_id, queue_rec *out) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) memset(out, 0, sizeof *out);
    if (!store_id_ok(client_id) || !out)
        return invalid(c, "read the open queue item of the client", "no valid client id or no result was given");
    c->own_error = false;
    COUNT(queue_open_for_client);
    return c->b->queue_open_for_client(c->in, client_id, out);
}

static store_status ck_queue_all_for_client(store *s, const char *client_id, queue_rec **out, int *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!store_id_ok(client_id) || !out || !n)
        return invalid(c, "list the queue items of a client", "no valid client id or no result was given");
    c->own_error = false;
    COUNT(queue_all_for_client);
    return c->b->queue_all_for_client(c->in, client_id, out, n);
}

static store_status ck_queue_list_open(store *s, queue_rec **out, int *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!out || !n) return invalid(c, "list the queues", "no result was given");
    c->own_error = false;
    COUNT(queue_list_open);
    return c->b->queue_list_open(c->in, out, n);
}

static store_status ck_queue_first(store *s, int limit, queue_rec **out, int *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!out || !n || limit < 1) return invalid(c, "read the first page of the queues", "no limit or no result given");
    c->own_error = false;
    COUNT(queue_first);
    return c->b->queue_first(c->in, limit, out, n);
}

static store_status ck_queue_due(store *s, int64_t now, queue_rec **out, int *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!out || !n) return invalid(c, "read the items falling due", "no result was given");
    c->own_error = false;
    COUNT(queue_due);
    return c->b->queue_due(c->in, now, out, n);
}

static store_status ck_queue_counts(store *s, queue_counts_rec *out) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) memset(out, 0, sizeof *out);
    if (!out) return invalid(c, "count the queues", "no result was given");
    c->own_error = false;
    COUNT(queue_counts);
    return c->b->queue_counts(c->in, out);
}

static store_status ck_queue_page(store *s, const queue_filter *f, int offset, int limit, queue_rec **out, int *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "read a page of the queues";
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!f || !out || !n || offset < 0 || limit < 1) return invalid(c, what, "no filter, page or result was given");
    if (f->level && *f->level && !store_level_ok(f->level)) return invalid(c, what, "the level is not red, orange, yellow or green");
    if (!id_prefix_ok(f->id_prefix)) return invalid(c, what, "an id holds only hex digits and '-'");
    c->own_error = false;
    COUNT(queue_page);
    return c->b->queue_page(c->in, f, offset, limit, out, n);
}

static store_status ck_queue_count_assigned(store *s, const char *counselor, int64_t *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (n) *n = 0;
    if (!counselor || !*counselor || !n) return invalid(c, "count a counselor's caseload", "no counselor or result was given");
    c->own_error = false;
    COUNT(queue_count_assigned);
    return c->b->queue_count_assigned(c->in, counselor, n);
}

static store_status ck_queue_event_add(store *s, const queue_event_rec *r) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "add a queue event";
    if (!r || !store_field_ok(r->id, sizeof r->id) || !store_id_ok(r->id) || !store_field_ok(r->item_id, sizeof r->item_id) ||
        !store_id_ok(r->item_id) || !store_opt_id_ok(r->staff_id, sizeof r->staff_id) || !store_field_ok(r->action, sizeof r->action) ||
        !r->action[0] || !store_field_ok(r->from_state, sizeof r->from_state) || !store_field_ok(r->to_state, sizeof r->to_state) ||
        !store_field_ok(r->level_before, sizeof r->level_before) || !store_field_ok(r->level_after, sizeof r->level_after) ||
        !store_blob_ok(&r->reason_ct, false))
        return invalid(c, what, "the record is missing or incomplete");
    c->own_error = false;
    COUNT(queue_event_add);
    return c->b->queue_event_add(c->in, r);
}

static store_status ck_queue_events(store *s, const char *item_id, queue_event_rec **out, int *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!store_id_ok(item_id) || !out || !n) return invalid(c, "list queue events", "no valid id or no result was given");
    c->own_error = false;
    COUNT(queue_events);
    return c->b->queue_events(c->in, item_id, out, n);
}

static store_status ck_each_sealed(store *s, sealed_cb cb, void *ctx) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (!cb) return invalid(c, "read the sealed values", "no callback was given");
    c->own_error = false;
    COUNT(each_sealed);
    return c->b->each_sealed(c->in, cb, ctx);
}

static store_status ck_update_sealed(store *s, const char *table, const char *column, const char *row_id, const unsigned char *ct, size_t n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "replace a sealed value";
    if (!table || !column || !store_id_ok(row_id) || (n > 0 && !ct) || n > (size_t)INT_MAX)
        return invalid(c, what, "no table, column, valid row id or value was given");
    c->own_error = false;
    COUNT(update_sealed);
    return c->b->update_sealed(c->in, table, column, row_id, ct, n);
}

static store_status ck_integrity_check(store *s, char *msg, size_t size) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (!msg || size == 0) return invalid(c, "check the database", "no message buffer was given");
    c->own_error = false;
    COUNT(integrity_check);
    return c->b->integrity_check(c->in, msg, size);
}

static store_status ck_change_counter(store *s, int64_t *v) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (v) *v = 0;
    if (!v) return invalid(c, "read the data version", "no result was given");
    c->own_error = false;
    COUNT(change_counter);
    return c->b->change_counter(c->in, v);
}

static store_status ck_facts_put(store *s, const facts_rec *r) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "save the facts of an intake";
    if (!facts_ok(r)) return invalid(c, what, "the record is missing, incomplete or has a bad value");
    c->own_error = false;
    COUNT(facts_put);
    return c->b->facts_put(c->in, r);
}

static store_status ck_facts_get(store *s, const char *id, facts_rec *out) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) memset(out, 0, sizeof *out);
    if (!store_id_ok(id) || !out) return invalid(c, "read the facts of an intake", "no valid id or no result was given");
    c->own_error = false;
    COUNT(facts_get);
    return c->b->facts_get(c->in, id, out);
}

static store_status ck_facts_for_client(store *s, const char *client_key, facts_rec **out, int *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!store_id_ok(client_key) || !out || !n)
        return invalid(c, "list the facts of a client", "no valid client id or no result was given");
    c->own_error = false;
    COUNT(facts_for_client);
    return c->b->facts_for_client(c->in, client_key, out, n);
}

static store_status ck_facts_scan(store *s, int64_t from, int64_t to, int retain_n, int retain_days, facts_cb cb, void *ctx) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (!cb || retain_n < 1 || retain_days < 0) return invalid(c, "read the facts", "no callback or a bad retention rule");
    c->own_error = false;
    COUNT(facts_scan);
    return c->b->facts_scan(c->in, from, to, retain_n, retain_days, cb, ctx);
}

static store_status ck_facts_rekey(store *s, const char *old_id, const char *new_id, const char *new_client_key) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "re-key the facts of an intake";
    if (!store_id_ok(old_id) || !store_id_ok(new_id) || !store_id_ok(new_client_key)) return invalid(c, what, "no valid ids were given");
    c->own_error = false;
    COUNT(facts_rekey);
    return c->b->facts_rekey(c->in, old_id, new_id, new_client_key);
}

static store_status ck_outcome_session_add(store *s, const outcome_session_rec *r) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "record a session";
    if (!r || !store_field_ok(r->id, sizeof r->id) || !store_id_ok(r->id) || !store_field_ok(r->facts_id, sizeof r->facts_id) ||
        !store_id_ok(r->facts_id) || !store_field_ok(r->client_key, sizeof r->client_key) || !store_id_ok(r->client_key) ||
        !store_field_ok(r->counselor, sizeof r->counselor) || !store_opt_id_ok(r->recorded_by, sizeof r->recorded_by))
        return invalid(c, what, "the record is missing or incomplete");
    c->own_error = false;
    COUNT(outcome_session_add);
    return c->b->outcome_session_add(c->in, r);
}

static store_status ck_outcome_sessions(store *s, const char *facts_id, outcome_session_rec **out, int *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!store_id_ok(facts_id) || !out || !n) return invalid(c, "list sessions", "no valid id or no result was given");
    c->own_error = false;
    COUNT(outcome_sessions);
    return c->b->outcome_sessions(c->in, facts_id, out, n);
}

static store_status ck_intake_each_between(store *s, int64_t from, int64_t to, intake_cb cb, void *ctx) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (!cb) return invalid(c, "read the intakes", "no callback was given");
    c->own_error = false;
    COUNT(intake_each_between);
    return c->b->intake_each_between(c->in, from, to, cb, ctx);
}

static store_status ck_intake_each_joined(store *s, int64_t from, int64_t to, intake_joined_cb cb, void *ctx) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (!cb) return invalid(c, "read the intakes", "no callback was given");
    c->own_error = false;
    COUNT(intake_each_joined);
    return c->b->intake_each_joined(c->in, from, to, cb, ctx);
}

static store_status ck_intake_clear_each(store *s, int64_t from, int64_t to, intake_clear_cb cb, void *ctx) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (!cb) return invalid(c, "read the intakes", "no callback was given");
    c->own_error = false;
    COUNT(intake_clear_each);
    return c->b->intake_clear_each(c->in, from, to, cb, ctx);
}

static store_status ck_client_erase(store *s, const char *client_id) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "erase a client";
    if (!store_id_ok(client_id)) return invalid(c, what, "no valid client id was given");
    c->own_error = false;
    COUNT(client_erase);
    return c->b->client_erase(c->in, client_id);
}

static store_status ck_drafts_before(store *s, int64_t cutoff, draft_rec **out, int *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!out || !n) return invalid(c, "list old drafts", "no result was given");
    c->own_error = false;
    COUNT(drafts_before);
    return c->b->drafts_before(c->in, cutoff, out, n);
}

static store_status ck_clients_closed_before(store *s, int64_t cutoff, char (**ids)[STORE_ID_LEN], int *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (ids) *ids = NULL;
    if (n) *n = 0;
    if (!ids || !n) return invalid(c, "list closed records", "no result was given");
    c->own_error = false;
    COUNT(clients_closed_before);
    return c->b->clients_closed_before(c->in, cutoff, ids, n);
}

static store_status ck_purge_old_versions(store *s, bool *complete) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (!complete) return invalid(c, "purge old versions of erased rows", "no result was given");
    c->own_error = false;
    COUNT(purge_old_versions);
    return c->b->purge_old_versions(c->in, complete);
}

static store_status ck_draft_erase(store *s, const char *id) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    const char *what = "erase a draft";
    if (!store_id_ok(id)) return invalid(c, what, "no valid id was given");
    c->own_error = false;
    COUNT(draft_erase);
    return c->b->draft_erase(c->in, id);
}

static store_status ck_row_ids(store *s, const char *table, bool missing_only, char (**ids)[STORE_ID_LEN], int *n) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (ids) *ids = NULL;
    if (n) *n = 0;
    /* which tables carry row MACs is the backend's to check */
    if (!table || !ids || !n) return invalid(c, "list rows", "no table or no result was given");
    c->own_error = false;
    COUNT(row_ids);
    return c->b->row_ids(c->in, table, missing_only, ids, n);
}

static store_status ck_row_mac_set(store *s, const char *table, const char *id, const unsigned char mac[VAULT_MAC_BYTES]) {
    if (!s) return ST_INVALID;
    checked *c = C(s);
    if (!table || !store_id_ok(id) || !mac) return invalid(c, "set a row MAC", "no table, valid id or MAC was given");
    c->own_error = false;
    COUNT(row_mac_set);
    return c->b->row_mac_set(c->in, table, id, mac);
}

/* What db_open installs: every operation checked, then run by the backend the URL named. */
const store_ops store_checked = {
    .name = "checked",
    .open = ck_open,
    .close = ck_close,
    .errmsg = ck_errmsg,
    .schema_version = ck_schema_version,
    .rollback = ck_rollback,
    .local_changes = ck_local_changes,
    .audit_each = ck_audit_each,
    .backup = ck_backup,
    .restore = ck_restore,
    .scratch_url = ck_scratch_url,
    .backup_source_check = ck_backup_source_check,
    .leftovers_hint = ck_leftovers_hint,
    .scratch_sweep = ck_scratch_sweep,
    .drop = ck_drop,
    .begin = ck_begin,
    .commit = ck_commit,
    .read_begin = ck_read_begin,
    .read_end = ck_read_end,
    .in_transaction = ck_in_transaction,
    .meta_get = ck_meta_get,
    .meta_set = ck_meta_set,
    .meta_any = ck_meta_any,
    .staff_insert = ck_staff_insert,
    .staff_update = ck_staff_update,
    .staff_by_name = ck_staff_by_name,
    .staff_by_id = ck_staff_by_id,
    .staff_list = ck_staff_list,
    .counselor_upsert = ck_counselor_upsert,
    .counselor_list = ck_counselor_list,
    .client_insert = ck_client_insert,
    .client_update = ck_client_update,
    .client_get = ck_client_get,
    .client_count = ck_client_count,
    .bidx_add = ck_bidx_add,
    .bidx_clear = ck_bidx_clear,
    .bidx_find = ck_bidx_find,
    .intake_insert = ck_intake_insert,
    .intake_get = ck_intake_get,
    .intake_get_keyed = ck_intake_get_keyed,
    .intake_list_for_client = ck_intake_list_for_client,
    .draft_put = ck_draft_put,
    .draft_for_staff = ck_draft_for_staff,
    .draft_delete = ck_draft_delete,
    .audit_append = ck_audit_append,
    .audit_last = ck_audit_last,
    .audit_by_object = ck_audit_by_object,
    .audit_last_signed_by = ck_audit_last_signed_by,
    .audit_each_from = ck_audit_each_from,
    .audit_set_mac = ck_audit_set_mac,
    .queue_put = ck_queue_put,
    .queue_get = ck_queue_get,
    .queue_open_for_client = ck_queue_open_for_client,
    .queue_all_for_client = ck_queue_all_for_client,
    .queue_list_open = ck_queue_list_open,
    .queue_first = ck_queue_first,
    .queue_due = ck_queue_due,
    .queue_counts = ck_queue_counts,
    .queue_page = ck_queue_page,
    .queue_count_assigned = ck_queue_count_assigned,
    .queue_event_add = ck_queue_event_add,
    .queue_events = ck_queue_events,
    .each_sealed = ck_each_sealed,
    .update_sealed = ck_update_sealed,
    .integrity_check = ck_integrity_check,
    .change_counter = ck_change_counter,
    .facts_put = ck_facts_put,
    .facts_get = ck_facts_get,
    .facts_for_client = ck_facts_for_client,
    .facts_scan = ck_facts_scan,
    .facts_rekey = ck_facts_rekey,
    .outcome_session_add = ck_outcome_session_add,
    .outcome_sessions = ck_outcome_sessions,
    .intake_each_between = ck_intake_each_between,
    .intake_each_joined = ck_intake_each_joined,
    .intake_clear_each = ck_intake_clear_each,
    .client_erase = ck_client_erase,
    .drafts_before = ck_drafts_before,
    .clients_closed_before = ck_clients_closed_before,
    .purge_old_versions = ck_purge_old_versions,
    .draft_erase = ck_draft_erase,
    .row_ids = ck_row_ids,
    .row_mac_set = ck_row_mac_set,
};

static const char *const op_names[N_SLOTS] = {
    [SLOT(open)] = "open",
    [SLOT(close)] = "close",
    [SLOT(errmsg)] = "errmsg",
    [SLOT(schema_version)] = "schema_version",
    [SLOT(rollback)] = "rollback",
    [SLOT(read_begin)] = "read_begin",
    [SLOT(read_end)] = "read_end",
    [SLOT(in_transaction)] = "in_transaction",
    [SLOT(local_changes)] = "local_changes",
    [SLOT(audit_each)] = "audit_each",
    [SLOT(backup)] = "backup",
    [SLOT(restore)] = "restore",
    [SLOT(scratch_url)] = "scratch_url",
    [SLOT(backup_source_check)] = "backup_source_check",
    [SLOT(scratch_sweep)] = "scratch_sweep",
    [SLOT(drop)] = "drop",
    [SLOT(begin)] = "begin",
    [SLOT(commit)] = "commit",
    [SLOT(meta_get)] = "meta_get",
    [SLOT(meta_set)] = "meta_set",
    [SLOT(meta_any)] = "meta_any",
    [SLOT(staff_insert)] = "staff_insert",
    [SLOT(staff_update)] = "staff_update",
    [SLOT(staff_by_name)] = "staff_by_name",
    [SLOT(staff_by_id)] = "staff_by_id",
    [SLOT(staff_list)] = "staff_list",
    [SLOT(counselor_upsert)] = "counselor_upsert",
    [SLOT(counselor_list)] = "counselor_list",
    [SLOT(client_insert)] = "client_insert",
    [SLOT(client_update)] = "client_update",
    [SLOT(client_get)] = "client_get",
    [SLOT(client_count)] = "client_count",
    [SLOT(bidx_add)] = "bidx_add",
    [SLOT(bidx_clear)] = "bidx_clear",
    [SLOT(bidx_find)] = "bidx_find",
    [SLOT(intake_insert)] = "intake_insert",
    [SLOT(intake_get)] = "intake_get",
    [SLOT(intake_get_keyed)] = "intake_get_keyed",
    [SLOT(intake_list_for_client)] = "intake_list_for_client",
    [SLOT(draft_put)] = "draft_put",
    [SLOT(draft_for_staff)] = "draft_for_staff",
    [SLOT(draft_delete)] = "draft_delete",
    [SLOT(audit_append)] = "audit_append",
    [SLOT(audit_last)] = "audit_last",
    [SLOT(audit_by_object)] = "audit_by_object",
    [SLOT(audit_last_signed_by)] = "audit_last_signed_by",
    [SLOT(audit_each_from)] = "audit_each_from",
    [SLOT(audit_set_mac)] = "audit_set_mac",
    [SLOT(queue_put)] = "queue_put",
    [SLOT(queue_get)] = "queue_get",
    [SLOT(queue_open_for_client)] = "queue_open_for_client",
    [SLOT(queue_all_for_client)] = "queue_all_for_client",
    [SLOT(queue_list_open)] = "queue_list_open",
    [SLOT(queue_first)] = "queue_first",
    [SLOT(queue_due)] = "queue_due",
    [SLOT(queue_counts)] = "queue_counts",
    [SLOT(queue_page)] = "queue_page",
    [SLOT(queue_count_assigned)] = "queue_count_assigned",
    [SLOT(queue_event_add)] = "queue_event_add",
    [SLOT(queue_events)] = "queue_events",
    [SLOT(each_sealed)] = "each_sealed",
    [SLOT(update_sealed)] = "update_sealed",
    [SLOT(integrity_check)] = "integrity_check",
    [SLOT(change_counter)] = "change_counter",
    [SLOT(facts_put)] = "facts_put",
    [SLOT(facts_get)] = "facts_get",
    [SLOT(facts_for_client)] = "facts_for_client",
    [SLOT(facts_scan)] = "facts_scan",
    [SLOT(facts_rekey)] = "facts_rekey",
    [SLOT(outcome_session_add)] = "outcome_session_add",
    [SLOT(outcome_sessions)] = "outcome_sessions",
    [SLOT(intake_each_between)] = "intake_each_between",
    [SLOT(intake_each_joined)] = "intake_each_joined",
    [SLOT(intake_clear_each)] = "intake_clear_each",
    [SLOT(client_erase)] = "client_erase",
    [SLOT(drafts_before)] = "drafts_before",
    [SLOT(clients_closed_before)] = "clients_closed_before",
    [SLOT(purge_old_versions)] = "purge_old_versions",
    [SLOT(leftovers_hint)] = "leftovers_hint",
    [SLOT(draft_erase)] = "draft_erase",
    [SLOT(row_ids)] = "row_ids",
    [SLOT(row_mac_set)] = "row_mac_set",
};

/* Every slot of the table but the name is an operation: a slot this list does not name still counts, as
 * "an unnamed operation", so an operation added to store_ops without a name here is never left out. */
int store_ops_called(const char **missing, int max, int *total) {
    int called = 0, k = 0;
    *total = 0;
    for (size_t i = 0; i < N_SLOTS; i++) {
        if (i == SLOT(name)) continue;
        (*total)++;
        if (calls[i]) called++;
        else if (k < max) missing[k++] = op_names[i] ? op_names[i] : "an operation store_checked.c's op_names does not name";
    }
    return called;
}

int store_ops_unset(const store_ops *ops, int *unset_slot) {
    int n = 0;
    *unset_slot = -1;
    for (size_t i = 0; i < N_SLOTS; i++) {
        if (i == SLOT(name)) continue;
        void (*fn)(void);
        memcpy(&fn, (const char *)ops + i * sizeof(void *), sizeof fn);
        if (!fn && n++ == 0) *unset_slot = (int)i;
    }
    return n;
}

const char *store_op_name(int slot) {
    return slot >= 0 && (size_t)slot < N_SLOTS && op_names[slot] ? op_names[slot] : "(unnamed)";
}
