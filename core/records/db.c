#include "db.h"

#include <stdio.h>
#include <string.h>

#include "secret.h"

void db_settings_from_config(const config *c, db_settings *out) {
    out->busy_timeout_ms = c->busy_timeout_ms;
    out->kdf_cost = (vault_cost)c->kdf_cost;
    out->lock_after = c->lock_after;
    out->blind_index_k = c->blind_index_k;
    snprintf(out->age_bands, sizeof out->age_bands, "%s", c->age_bands ? c->age_bands : "");
    snprintf(out->concern_groups, sizeof out->concern_groups, "%s", c->concern_groups ? c->concern_groups : "");
}

bool db_open(database *db, const char *path, bool create, const db_settings *set, error *err) {
    memset(db, 0, sizeof *db);
    if (!vault_init()) {
        error_set(err, ERR_INTERNAL, "the cryptography library could not start");
        return false;
    }
    db->ops = &store_checked; /* the backend is chosen by the URL, below the checks */
    db->set = *set;
    snprintf(db->url_secret, sizeof db->url_secret, "%s", path);
    store_url_redacted(path, db->name, sizeof db->name);
    store_status st = db->ops->open(path, create, set->busy_timeout_ms, &db->st, err);
    if (st != ST_OK) {
        if (st == ST_NOTFOUND && !create)
            error_set(err, ERR_NOT_FOUND, "%s: no database here (create one with `triage init`)", db->name);
        db->st = NULL;
        return false;
    }
    return true;
}

void db_close(database *db) {
    if (db->st) db->ops->close(db->st);
    db->st = NULL;
    secret_wipe(db->url_secret, sizeof db->url_secret); /* a server's password in the URL: not left in memory */
}

void db_error(database *db, store_status st, const char *what, error *err) {
    const char *msg = db->st ? db->ops->errmsg(db->st) : "";
    error_set(err, store_error_kind(st), "%s: %s (%s)%s%s", db->name, what, store_status_name(st),
              msg && *msg ? ": " : "", msg ? msg : "");
}

bool db_begin(database *db, error *err) {
    if (db->batch) return !db->batch_doomed;
    store_status st = db->ops->begin(db->st);
    if (st != ST_OK) db_error(db, st, "cannot start a write", err);
    return st == ST_OK;
}

bool db_commit(database *db, error *err) {
    if (db->batch) return !db->batch_doomed;
    store_status st = db->ops->commit(db->st);
    if (st != ST_OK) {
        db_error(db, st, st == ST_FULL ? "nothing was saved: the disk is full" : "nothing was saved", err);
        db->ops->rollback(db->st);
    }
    return st == ST_OK;
}

void db_rollback(database *db) {
    db->reading = false; /* a rollback ends a read transaction too */
    if (db->batch) db->batch_doomed = true;
    else if (db->st) db->ops->rollback(db->st);
}

bool db_read_begin(database *db, error *err) {
    store_status st = db->ops->read_begin(db->st);
    if (st != ST_OK) db_error(db, st, "cannot start reading", err);
    db->reading = st == ST_OK;
    db->erased_any = -1;
    return st == ST_OK;
}

void db_read_end(database *db) {
    db->reading = false;
    if (db->st) (void)db->ops->read_end(db->st);
}

bool db_batch_begin(database *db, error *err) {
    if (db->batch) {
        error_set(err, ERR_INTERNAL, "%s: a batch of writes is already open", db->name);
        return false;
    }
    if (!db_begin(db, err)) return false;
    db->batch = true;
    db->batch_doomed = false;
    return true;
}

bool db_batch_end(database *db, bool commit, error *err) {
    if (!db->batch) return false;
    bool doomed = db->batch_doomed;
    db->batch = db->batch_doomed = false;
    if (commit && !doomed) return db_commit(db, err);
    db_rollback(db);
    if (commit) error_set(err, ERR_STORE, "nothing was saved");
    return false;
}

bool db_change_marks(database *db, int64_t *version, int64_t *local) {
    *local = db->ops->local_changes(db->st);
    return db->ops->change_counter(db->st, version) == ST_OK;
}

/* A demonstration database is marked when it is made with [triage] demo = yes, so that every desk says DEMO
 * DATA whatever configuration opens it later (make run's database opened with --db and the defaults). */
bool db_mark_demo(database *db, error *err) {
    if (!db_begin(db, err)) return false;
    store_status st = db->ops->meta_set(db->st, "demo", "1", 1);
    if (st != ST_OK) {
        db_error(db, st, "cannot mark the demonstration database", err);
        db_rollback(db);
        return false;
    }
    return db_commit(db, err);
}

bool db_is_demo(database *db) {
    blob b = {0};
    bool yes = db->ops->meta_get(db->st, "demo", &b) == ST_OK && b.n == 1 && ((const char *)b.p)[0] == '1';
    blob_free(&b);
    return yes;
}
