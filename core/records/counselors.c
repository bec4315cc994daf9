#include "counselors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "ids.h"
#include "ini.h"

static void copy(char *dst, size_t size, const char *src) { snprintf(dst, size, "%s", src ? src : ""); }

bool roster_import(session *s, const need_model *m, const char *path, int *count, diag *d, error *err) {
    *count = 0;
    if (!session_allowed(s, ACT_ROSTER_MANAGE, err)) return false;
    roster checked;
    if (!roster_load(&checked, path, m, d)) {
        error_set(err, ERR_INPUT, "%s: not imported (fix the problems above)", path);
        return false;
    }
    roster_free(&checked);
    ini_file ini;
    if (!ini_open(&ini, path, d)) return false;
    counselor_rec *existing = NULL;
    int n_existing = 0;
    store_status st = s->db->ops->counselor_list(s->db->st, &existing, &n_existing);
    bool ok = st == ST_OK && session_begin(s, err);
    if (st != ST_OK) db_error(s->db, st, "cannot read the roster", err);
    strlist secs = ini_sections(&ini);
    for (int i = 0; ok && i < secs.n; i++) {
        const char *sec = secs.v[i], *code = sec + strlen("counselor.");
        counselor_rec r;
        memset(&r, 0, sizeof r);
        for (int k = 0; k < n_existing; k++)
            if (strcmp(existing[k].code, code) == 0) memcpy(r.id, existing[k].id, sizeof r.id);
        if (!r.id[0]) id_new(r.id);
        copy(r.code, sizeof r.code, code);
        copy(r.name, sizeof r.name, ini_get(&ini, sec, "name"));
        copy(r.gender, sizeof r.gender, ini_get(&ini, sec, "gender"));
        copy(r.languages, sizeof r.languages, ini_get(&ini, sec, "languages"));
        copy(r.orientations, sizeof r.orientations, ini_get(&ini, sec, "orientations"));
        copy(r.weights, sizeof r.weights, ini_get(&ini, sec, "weights"));
        const char *hr = ini_get(&ini, sec, "high_risk"), *av = ini_get(&ini, sec, "available");
        r.high_risk = hr && strcmp(hr, "yes") == 0;
        r.available = !av || strcmp(av, "yes") == 0;
        r.capacity = atoi(ini_get(&ini, sec, "capacity"));
        r.caseload = atoi(ini_get(&ini, sec, "caseload"));
        r.updated_at = clock_now();
        st = s->db->ops->counselor_upsert(s->db->st, &r);
        if (st != ST_OK) {
            db_error(s->db, st, "cannot save a counselor", err);
            ok = false;
        } else {
            (*count)++;
        }
    }
    strlist_free(&secs);
    ini_close(&ini);
    free(existing);
    char detail[64];
    snprintf(detail, sizeof detail, "%d counselors", *count);
    if (ok) ok = audit_log(s->db, s->v, s->me.id, "roster_import", "", detail, err) && db_commit(s->db, err);
    else db_rollback(s->db);
    return ok;
}

bool roster_from_db(database *db, const need_model *m, roster *out, error *err) {
    roster_init(out, m);
    counselor_rec *list = NULL;
    int n = 0;
    store_status st = db->ops->counselor_list(db->st, &list, &n);
    if (st != ST_OK) {
        db_error(db, st, "cannot read the roster", err);
        return false;
    }
    bool ok = true;
    for (int i = 0; ok && i < n; i++) {
        counselor_fields in = {list[i].code, list[i].name, list[i].gender, list[i].languages, list[i].orientations,
                               list[i].weights, list[i].high_risk, list[i].available, list[i].capacity, list[i].caseload};
        char field[32];
        error why = {0};
        if (!roster_add(out, m, &in, field, sizeof field, &why)) {
            error_set(err, ERR_INPUT, "%s: counselor %s: %s: %s", db->name, list[i].code, field, why.msg);
            ok = false;
        }
    }
    free(list);
    if (!ok) roster_free(out);
    return ok;
}

bool roster_list(database *db, counselor_rec **out, int *n, error *err) {
    store_status st = db->ops->counselor_list(db->st, out, n);
    if (st != ST_OK) db_error(db, st, "cannot read the roster", err);
    return st == ST_OK;
}

bool roster_put(session *s, const need_model *m, const counselor_rec *in, char *field, size_t fieldsize, error *err) {
    field[0] = '\0';
    if (!session_allowed(s, ACT_ROSTER_MANAGE, err)) return false;
    if (!is_ident(in->code)) {
        snprintf(field, fieldsize, "code");
        error_set(err, ERR_INPUT, "a code is letters, digits and '_' (e.g. c07)");
        return false;
    }
    /* the same checks as a roster file: a counselor that could not be matched is never saved */
    roster check;
    roster_init(&check, m);
    counselor_fields cf = {in->code, in->name, in->gender, in->languages, in->orientations,
                           in->weights, in->high_risk, in->available, in->capacity, in->caseload};
    bool ok = roster_add(&check, m, &cf, field, fieldsize, err);
    roster_free(&check);
    if (!ok) return false;
    counselor_rec *existing = NULL;
    int n = 0;
    if (!roster_list(s->db, &existing, &n, err)) return false;
    counselor_rec r = *in;
    r.id[0] = '\0';
    for (int k = 0; k < n; k++)
        if (strcmp(existing[k].code, in->code) == 0) memcpy(r.id, existing[k].id, sizeof r.id);
    free(existing);
    bool is_new = !r.id[0];
    if (is_new) id_new(r.id);
    r.updated_at = clock_now();
    if (!session_begin(s, err)) return false;
    store_status st = s->db->ops->counselor_upsert(s->db->st, &r);
    if (st != ST_OK) db_error(s->db, st, "cannot save the counselor", err);
    ok = st == ST_OK && audit_log(s->db, s->v, s->me.id, is_new ? "counselor_add" : "counselor_edit", r.code, "", err) &&
         db_commit(s->db, err);
    if (!ok) db_rollback(s->db);
    return ok;
}
