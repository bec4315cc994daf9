#include "facts.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "client_keys.h"
#include "clock.h"
#include "intake_body.h"
#include "rowmac.h"
#include "util.h"

#define DAY 86400

/* t floored to a multiple of unit (a positive time; 0 and negatives stay: none is a time) */
static int64_t floor_to(int64_t t, int64_t unit) { return t > 0 ? t - t % unit : t; }

/* A confirmation floored to unit, except a late one (after deadline) in the deadline's own unit: the one after, so
 * that confirmed <= deadline, compared on the kept values, still says whether it was in time. */
static int64_t confirmed_floor(int64_t confirmed_at, int64_t deadline, int64_t unit) {
    int64_t h = floor_to(confirmed_at, unit);
    if (deadline > 0 && confirmed_at > deadline && h <= floor_to(deadline, unit)) h = floor_to(deadline, unit) + unit;
    return h;
}

int64_t facts_hour(int64_t t) { return floor_to(t, FACTS_HOUR); }

int64_t facts_confirmed_hour(int64_t confirmed_at, int64_t deadline) {
    return confirmed_floor(confirmed_at, deadline, FACTS_HOUR);
}

void facts_erased_coarsen(facts_rec *f) {
    /* the kept hours compare as the exact times did (facts_confirmed_hour): late iff confirmed_at > deadline */
    if (f->confirmed_at > 0) f->confirmed_at = confirmed_floor(f->confirmed_at, f->deadline, FACTS_ERASED_UNIT);
    f->created_at = floor_to(f->created_at, FACTS_ERASED_UNIT);
    f->deadline = floor_to(f->deadline, FACTS_ERASED_UNIT);
    f->first_contact_at = floor_to(f->first_contact_at, FACTS_ERASED_UNIT);
    f->closed_at = floor_to(f->closed_at, FACTS_ERASED_UNIT);
}

bool day_parse(const char *date, int64_t *day) {
    int64_t t;
    if (!date || strlen(date) != 10 || date[4] != '-' || date[7] != '-' || !clock_parse(date, &t)) return false;
    *day = day_of(t);
    return true;
}

int64_t day_of(int64_t t) { return t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY); }

void day_format(int64_t day, char *out, size_t size) {
    time_t t = (time_t)(day * DAY);
    struct tm tm;
    if (day < 0 || !gmtime_r(&t, &tm)) snprintf(out, size, "-");
    else strftime(out, size, "%Y-%m-%d", &tm);
}

/* The category of a concern code: its group, else "other". */
static const char *category_of(const strlist *groups, const char *code) {
    size_t n = strlen(code);
    for (int i = 0; i < groups->n; i++)
        if (!strncmp(groups->v[i], code, n) && groups->v[i][n] == ':') return groups->v[i] + n + 1;
    return "other";
}

/* The concern categories of an intake body (input.concerns), space separated, each once. */
static void concerns_of(json_t *root, const char *concern_groups, char *out, size_t size) {
    out[0] = '\0';
    json_t *list = intake_body_concerns(root);
    strlist groups = strlist_split(concern_groups);
    size_t i, o = 0;
    json_t *c;
    json_array_foreach(list, i, c) {
        const char *raw = json_string_value(c);
        if (!facts_token_ok(raw, 32)) continue;
        const char *code = category_of(&groups, raw);
        size_t n = strlen(code);
        strlist have = strlist_split(out);
        bool dup = strlist_find(&have, code) >= 0;
        strlist_free(&have);
        if (dup || o + n + 2 > size) continue;
        if (o) out[o++] = ' ';
        memcpy(out + o, code, n + 1);
        o += n;
    }
    strlist_free(&groups);
}

/* The client's age at `at` from the sealed date of birth; -1 when none. */
static int client_age(session *s, const char *client_id, int64_t at) {
    client_rec c;
    if (s->db->ops->client_get(s->db->st, client_id, &c) != ST_OK) return -1;
    int age = -1;
    char *birth = NULL;
    size_t len;
    ck_status why;
    char who[VAULT_CLIENT_ID_MAX + 1];
    if (c.birth_ct.n && ckey_open(session_ckeys(s), s->db, s->v, c.id, "clients", "birth", c.id, c.birth_ct.p, c.birth_ct.n,
                                  &birth, &len, &why, who))
        age = age_at(birth, at);
    secret_free(birth);
    client_rec_free(&c);
    return age;
}

bool facts_record_intake(session *s, const intake_rec *r, const char *body, const char *age_bands,
                         const char *concern_groups, error *err) {
    json_error_t e;
    json_t *root = body ? json_loads(body, JSON_REJECT_DUPLICATES, &e) : NULL;
    json_t *record = intake_body_record(root);
    const char *channel = json_string_value(json_object_get(record, "channel"));
    json_t *jage = json_object_get(record, "age");
    int age = json_is_integer(jage) && json_integer_value(jage) >= 0 && json_integer_value(jage) <= 150
                  ? (int)json_integer_value(jage)
                  : -1;
    facts_rec f;
    memset(&f, 0, sizeof f);
    memcpy(f.id, r->id, sizeof f.id);
    memcpy(f.client_key, r->client_id, sizeof f.client_key);
    f.created_at = facts_hour(r->created_at);
    snprintf(f.level, sizeof f.level, "%s", r->level);
    if (facts_token_ok(channel, sizeof f.channel - 1)) snprintf(f.channel, sizeof f.channel, "%s", channel);
    concerns_of(root, concern_groups, f.concerns, sizeof f.concerns);
    json_decref(root);
    if (age < 0) age = client_age(s, r->client_id, r->created_at);
    age_band_of(age_bands, age, f.age_band, sizeof f.age_band);
    if (facts_token_ok(r->suggested, sizeof f.counselor - 1)) {
        snprintf(f.counselor, sizeof f.counselor, "%s", r->suggested);
        f.suggestions = 1;
    }
    f.first_session_day = -1;
    f.first_session_attended = -1;
    f.last_session_day = -1;
    rowmac_seal_facts(s->v, &f); /* the level a report counts is bound to the data key (core/records/rowmac.h) */
    store_status st = s->db->ops->facts_put(s->db->st, &f);
    if (st != ST_OK) db_error(s->db, st, "cannot save the intake's report facts", err);
    return st == ST_OK;
}

bool facts_on_queue_step(database *db, const queue_item *before, const queue_item *after, const char *what,
                         error *err) {
    facts_rec f;
    store_status st = db->ops->facts_get(db->st, after->intake_id, &f);
    if (st == ST_NOTFOUND) return true;
    if (st != ST_OK) {
        db_error(db, st, "cannot read the intake's report facts", err);
        return false;
    }
    facts_rec read = f;
    int64_t at = facts_hour(after->updated_at); /* every time kept to the hour (facts_hour) */
    if (f.deadline == 0 && after->deadline > 0) f.deadline = facts_hour(after->deadline);
    bool confirmed_now = false;
    if (!strcmp(what, "confirm") && f.confirmed_at == 0) {
        /* late or in time is judged against the exact first deadline where the item still has it (its deadline
         * in the kept hour); an item that went overdue missed it (every later deadline comes after it); else
         * against the end of its hour: the KPI is then right to the hour */
        int64_t exact = !f.deadline ? 0
                        : f.overdue ? f.deadline
                        : before && facts_hour(before->deadline) == f.deadline ? before->deadline
                                                                                : f.deadline + FACTS_HOUR - 1;
        f.confirmed_at = facts_confirmed_hour(after->updated_at, exact);
        confirmed_now = true;
        snprintf(f.confirmed_level, sizeof f.confirmed_level, "%s", risk_level_name(after->level));
    } else if (!strcmp(what, "contact") && f.first_contact_at == 0) {
        f.first_contact_at = at;
    } else if (!strcmp(what, "assign") && facts_token_ok(after->counselor, sizeof f.counselor - 1)) {
        snprintf(f.counselor, sizeof f.counselor, "%s", after->counselor);
    } else if (!strcmp(what, "decline")) {
        f.declines++;
        f.suggestions++; /* a decline is followed by another suggestion */
    } else if (!strcmp(what, "overdue")) {
        f.overdue = true;
    } else if (!strcmp(what, "close")) {
        snprintf(f.closed_reason, sizeof f.closed_reason, "%s", queue_outcome_name(after->outcome));
        f.closed_at = at;
    }
    /* a confirmation changes what the row MAC covers: MACed again with the desk's key, after the row read
     * verified (an edited row is never blessed; it stays reported). Other steps keep the MAC as it was. */
    if (confirmed_now && db->row_key &&
        rowmac_check_facts(db->row_key, rowmac_required(db), &read, NULL, 0) != ROW_TAMPERED)
        rowmac_seal_facts(db->row_key, &f);
    st = db->ops->facts_put(db->st, &f);
    if (st != ST_OK) db_error(db, st, "cannot save the intake's report facts", err);
    return st == ST_OK;
}

/* ---- the rows written before the facts kept hours ---- */

#define FACTS_HOURS_META "facts_hours"

static bool facts_hours_done(database *db) {
    blob b = {0};
    bool done = db->ops->meta_get(db->st, FACTS_HOURS_META, &b) == ST_OK && b.n == 4 && !memcmp(b.p, "done", 4);
    blob_free(&b);
    return done;
}

/* A row's times to the hour, from its exact times (the confirmation judged against the exact deadline). */
static void facts_coarsen(facts_rec *f) {
    if (f->confirmed_at > 0) f->confirmed_at = facts_confirmed_hour(f->confirmed_at, f->deadline);
    f->created_at = facts_hour(f->created_at);
    f->deadline = facts_hour(f->deadline);
    f->first_contact_at = facts_hour(f->first_contact_at);
    f->closed_at = facts_hour(f->closed_at);
}

/* Coarsens every facts row whose MAC verifies (inside the caller's transaction); *done and *left count them. */
static bool coarsen_rows(session *s, int64_t *done, int64_t *left, error *err) {
    database *db = s->db;
    char (*ids)[STORE_ID_LEN] = NULL;
    int n = 0;
    bool required = rowmac_required(db);
    store_status st = db->ops->row_ids(db->st, "intake_facts", false, &ids, &n);
    for (int i = 0; st == ST_OK && i < n; i++) {
        facts_rec f;
        if ((st = db->ops->facts_get(db->st, ids[i], &f)) != ST_OK) break;
        if (rowmac_check_facts(s->v, required, &f, NULL, 0) == ROW_TAMPERED) { /* never blessed: verify names it */
            (*left)++;
            continue;
        }
        facts_coarsen(&f);
        rowmac_seal_facts(s->v, &f);
        st = db->ops->facts_put(db->st, &f);
        (*done)++;
    }
    free(ids);
    if (st != ST_OK) db_error(db, st, "cannot keep the report facts to the hour", err);
    return st == ST_OK;
}

bool facts_hours_first_login(session *s, error *err) {
    database *db = s->db;
    if (facts_hours_done(db)) return true;
    if (!session_begin(s, err)) return false;
    int64_t done = 0, left = 0;
    bool ok = coarsen_rows(s, &done, &left, err);
    store_status st = ok ? db->ops->meta_set(db->st, FACTS_HOURS_META, "done", 4) : ST_OK;
    if (st != ST_OK) db_error(db, st, "cannot record the report facts kept to the hour", err);
    char detail[128];
    snprintf(detail, sizeof detail, "report facts kept to the hour: %lld rows (%lld left as they were: their MAC fails)",
             (long long)done, (long long)left);
    ok = ok && st == ST_OK && audit_log(db, s->v, s->me.id, "facts_hours", "", detail, err) && db_commit(db, err);
    if (!ok) db_rollback(db);
    return ok;
}

static const char *const stage_names[STAGE_COUNT] = {"prospective", "first_session", "active", "lapsed"};

const char *lifecycle_stage_name(lifecycle_stage s) { return (unsigned)s < STAGE_COUNT ? stage_names[s] : "?"; }

lifecycle_stage lifecycle_stage_at(int sessions_attended, int64_t last_session_day, int64_t asof_day, int lapse_days) {
    if (sessions_attended <= 0) return STAGE_PROSPECTIVE;
    if (last_session_day < asof_day - lapse_days) return STAGE_LAPSED;
    return sessions_attended == 1 ? STAGE_FIRST_SESSION : STAGE_ACTIVE;
}

lifecycle_stage lifecycle_of(const facts_rec *f, int64_t asof_day, int lapse_days) {
    return lifecycle_stage_at(f->sessions_attended, f->last_session_day, asof_day, lapse_days);
}
