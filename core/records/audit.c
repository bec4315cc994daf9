#include "audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "util.h"

/* The bytes an entry's hash covers: every field but the hash and MAC, unit-separated. */
static size_t entry_bytes(const audit_rec *r, char *buf, size_t size) {
    int n = snprintf(buf, size, "%lld\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%s", (long long)r->seq, (long long)r->at, r->staff_id,
                     r->action, r->object_id, r->detail);
    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

static void entry_hash(const unsigned char prev[VAULT_MAC_BYTES], const audit_rec *r, unsigned char out[VAULT_MAC_BYTES]) {
    char buf[1024];
    size_t n = entry_bytes(r, buf, sizeof buf);
    vault_chain_hash(prev, buf, n, out);
}

static void copy_field(char *dst, size_t size, const char *src) {
    /* details never carry personal data; they are short ASCII words, so truncation is harmless */
    snprintf(dst, size, "%s", src ? src : "");
}

bool audit_log(database *db, const vault *v, const char *staff_id, const char *action, const char *object_id,
               const char *detail, char *err, size_t errsize) {
    audit_rec last, r;
    memset(&r, 0, sizeof r);
    unsigned char prev[VAULT_MAC_BYTES] = {0};
    store_status st = db->ops->audit_last(db->st, &last);
    if (st == ST_OK) memcpy(prev, last.hash, sizeof prev);
    else if (st != ST_NOTFOUND) {
        db_error(db, st, "cannot read the audit trail", err, errsize);
        return false;
    }
    if (v && st == ST_OK && !last.has_mac && !audit_seal_pending(db, v, err, errsize)) return false;
    r.seq = st == ST_OK ? last.seq + 1 : 1;
    r.at = clock_now();
    copy_field(r.staff_id, sizeof r.staff_id, staff_id);
    copy_field(r.action, sizeof r.action, action);
    copy_field(r.object_id, sizeof r.object_id, object_id);
    copy_field(r.detail, sizeof r.detail, detail);
    entry_hash(prev, &r, r.hash);
    if (v) {
        vault_audit_mac(v, r.hash, r.mac);
        r.has_mac = true;
    }
    bool starts_unsealed_run = !v && (st == ST_NOTFOUND || last.has_mac);
    st = db->ops->audit_append(db->st, &r);
    if (st != ST_OK) {
        db_error(db, st, "cannot write the audit trail", err, errsize);
        return false;
    }
    if (starts_unsealed_run) {
        char num[24];
        int n = snprintf(num, sizeof num, "%lld", (long long)r.seq);
        st = db->ops->meta_set(db->st, "audit_first_unsealed", num, (size_t)n);
        if (st != ST_OK) {
            db_error(db, st, "cannot write the audit trail", err, errsize);
            return false;
        }
    }
    return true;
}

/* audit_each holds a read cursor; the MACs are collected first and written after it ends. */
typedef struct {
    int64_t seq;
    unsigned char mac[VAULT_MAC_BYTES];
} pending_mac;

typedef struct {
    const vault *v;
    bool all;
    pending_mac *list;
    int64_t n, cap;
} collect_ctx;

static int collect(void *vctx, const audit_rec *r) {
    collect_ctx *c = vctx;
    if (!c->all && r->has_mac) return 0;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->list = xrealloc(c->list, sizeof *c->list * (size_t)c->cap);
    }
    c->list[c->n].seq = r->seq;
    vault_audit_mac(c->v, r->hash, c->list[c->n].mac);
    c->n++;
    return 0;
}

static bool remac(database *db, const vault *v, bool all, int64_t after, char *err, size_t errsize) {
    collect_ctx c = {v, all, NULL, 0, 0};
    store_status st = db->ops->audit_each_from(db->st, after, collect, &c);
    for (int64_t i = 0; st == ST_OK && i < c.n; i++) st = db->ops->audit_set_mac(db->st, c.list[i].seq, c.list[i].mac);
    free(c.list);
    if (st != ST_OK) db_error(db, st, "cannot seal the audit trail", err, errsize);
    return st == ST_OK;
}

bool audit_seal_pending(database *db, const vault *v, char *err, size_t errsize) {
    audit_rec last;
    store_status st = db->ops->audit_last(db->st, &last);
    /* keyed writes always seal what is pending first, so unsealed entries only ever sit at the end */
    if (st == ST_NOTFOUND || (st == ST_OK && last.has_mac)) return true;
    if (st != ST_OK) {
        db_error(db, st, "cannot read the audit trail", err, errsize);
        return false;
    }
    /* where the unsealed run starts was noted when it began: no walk over the whole trail */
    blob b = {0};
    int64_t after = 0;
    if (db->ops->meta_get(db->st, "audit_first_unsealed", &b) == ST_OK && b.n > 0 && b.n < 24) {
        char num[24];
        memcpy(num, b.p, b.n);
        num[b.n] = '\0';
        long v0;
        if (parse_int(num, 1, 0x7fffffffL, &v0)) after = v0 - 1;
    }
    blob_free(&b);
    return remac(db, v, false, after, err, errsize);
}

bool audit_remac_all(database *db, const vault *v, char *err, size_t errsize) {
    return remac(db, v, true, 0, err, errsize);
}

typedef struct {
    const vault *v;
    audit_report *r;
    unsigned char prev[VAULT_MAC_BYTES];
    int64_t expect;
    bool failed;
} verify_ctx;

static int check_entry(void *vctx, const audit_rec *e) {
    verify_ctx *c = vctx;
    audit_report *r = c->r;
    unsigned char h[VAULT_MAC_BYTES];
    r->entries++;
    if (e->seq != c->expect) {
        snprintf(r->problem, sizeof r->problem, "audit entry %lld is missing (found %lld next): entries were deleted",
                 (long long)c->expect, (long long)e->seq);
        r->bad_seq = c->expect;
        c->failed = true;
        return 1;
    }
    entry_hash(c->prev, e, h);
    if (!vault_equal(h, e->hash, sizeof h)) {
        snprintf(r->problem, sizeof r->problem,
                 "audit entry %lld does not follow from the one before: it was edited, reordered or inserted",
                 (long long)e->seq);
        r->bad_seq = e->seq;
        c->failed = true;
        return 1;
    }
    if (e->has_mac && r->unsealed_tail) {
        snprintf(r->problem, sizeof r->problem, "audit entry %lld lost its seal (a sealed entry follows it)",
                 (long long)(e->seq - r->unsealed_tail));
        r->bad_seq = e->seq - r->unsealed_tail;
        c->failed = true;
        return 1;
    }
    if (!e->has_mac) {
        r->unsealed_tail++;
    } else if (c->v) {
        unsigned char mac[VAULT_MAC_BYTES];
        vault_audit_mac(c->v, e->hash, mac);
        if (!vault_equal(mac, e->mac, sizeof mac)) {
            snprintf(r->problem, sizeof r->problem,
                     "audit entry %lld has a seal that does not match: the trail was rewritten", (long long)e->seq);
            r->bad_seq = e->seq;
            c->failed = true;
            return 1;
        }
    }
    memcpy(c->prev, e->hash, sizeof c->prev);
    c->expect++;
    return 0;
}

bool audit_verify(database *db, const vault *v, audit_report *r) {
    memset(r, 0, sizeof *r);
    verify_ctx c = {v, r, {0}, 1, false};
    store_status st = db->ops->audit_each(db->st, check_entry, &c);
    if (st != ST_OK && !c.failed) {
        char err[400];
        db_error(db, st, "cannot read the audit trail", err, sizeof err);
        snprintf(r->problem, sizeof r->problem, "%s", err);
        return false;
    }
    return !c.failed;
}

static void to_hex(const unsigned char *b, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

bool audit_checkpoint(database *db, int64_t *seq, char hex[2 * VAULT_MAC_BYTES + 1], char *err, size_t errsize) {
    audit_rec last;
    store_status st = db->ops->audit_last(db->st, &last);
    if (st != ST_OK) {
        db_error(db, st, st == ST_NOTFOUND ? "the audit trail is empty" : "cannot read the audit trail", err, errsize);
        return false;
    }
    *seq = last.seq;
    to_hex(last.hash, sizeof last.hash, hex);
    return true;
}

typedef struct {
    int64_t seq;
    const char *hex;
    bool found, match;
} point_ctx;

static int find_point(void *vctx, const audit_rec *e) {
    point_ctx *c = vctx;
    if (e->seq != c->seq) return 0;
    char hex[2 * VAULT_MAC_BYTES + 1];
    to_hex(e->hash, sizeof e->hash, hex);
    c->found = true;
    c->match = strcmp(hex, c->hex) == 0;
    return 1;
}

bool audit_check_checkpoint(database *db, int64_t seq, const char *hex, char *err, size_t errsize) {
    point_ctx c = {seq, hex, false, false};
    store_status st = db->ops->audit_each(db->st, find_point, &c);
    if (st != ST_OK) {
        db_error(db, st, "cannot read the audit trail", err, errsize);
        return false;
    }
    if (!c.found) snprintf(err, errsize, "audit entry %lld is gone: the trail was truncated", (long long)seq);
    else if (!c.match) snprintf(err, errsize, "audit entry %lld differs from the checkpoint: the trail was rewritten", (long long)seq);
    return c.found && c.match;
}
