#include "outcomes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "ids.h"

bool outcome_client_facts(session *s, const char *client_id, facts_rec **out, int *n, error *err) {
    *out = NULL;
    *n = 0;
    if (!session_allowed(s, ACT_OUTCOME_RECORD, err)) return false;
    store_status st = client_id && *client_id ? s->db->ops->facts_for_client(s->db->st, client_id, out, n) : ST_INVALID;
    if (st != ST_OK) db_error(s->db, st, "cannot read the client's outcomes", err);
    return st == ST_OK;
}

bool outcome_record_session(session *s, const char *client_id, int64_t day, bool attended, const char *counselor,
                            error *err) {
    if (!session_allowed(s, ACT_OUTCOME_RECORD, err)) return false;
    if (counselor && *counselor && !facts_token_ok(counselor, 64)) {
        error_set(err, ERR_INPUT, "--counselor: `%.40s` is not a counselor code (letters, digits, _ and -)", counselor);
        return false;
    }
    if (day < 0 || day > day_of(clock_now()) + 366) {
        error_set(err, ERR_INPUT, "--date: not a plausible session date");
        return false;
    }
    if (!session_begin(s, err)) return false;
    facts_rec *list = NULL;
    int n = 0;
    store_status st = s->db->ops->facts_for_client(s->db->st, client_id, &list, &n);
    bool ok = st == ST_OK;
    if (!ok) db_error(s->db, st, "cannot read the client's intakes", err);
    else if (n == 0) {
        error_set(err, ERR_NOT_FOUND, "client %s has no intake to record a session against (or none since schema 3)", client_id);
        ok = false;
    }
    if (ok) {
        facts_rec *f = &list[n - 1]; /* the latest intake is the current episode */
        if (f->first_session_day < 0 || day < f->first_session_day) {
            f->first_session_day = day;
            f->first_session_attended = attended ? 1 : 0;
        } else if (day == f->first_session_day && attended) {
            f->first_session_attended = 1;
        }
        if (attended) {
            f->sessions_attended++;
            if (day > f->last_session_day) f->last_session_day = day;
        }
        outcome_session_rec r;
        memset(&r, 0, sizeof r);
        id_new(r.id);
        memcpy(r.facts_id, f->id, sizeof r.facts_id);
        memcpy(r.client_key, f->client_key, sizeof r.client_key);
        r.day = day;
        r.attended = attended;
        snprintf(r.counselor, sizeof r.counselor, "%s", counselor ? counselor : "");
        r.recorded_at = facts_hour(clock_now()); /* to the hour, as the facts: not the second of its audit entry */
        r.intake_at = f->created_at;
        snprintf(r.recorded_by, sizeof r.recorded_by, "%s", s->me.id);
        st = s->db->ops->outcome_session_add(s->db->st, &r);
        if (st == ST_OK) st = s->db->ops->facts_put(s->db->st, f);
        if (st != ST_OK) db_error(s->db, st, "cannot record the session", err);
        char detail[64];
        snprintf(detail, sizeof detail, "session %s", attended ? "attended" : "missed");
        ok = st == ST_OK && audit_log(s->db, s->v, s->me.id, "outcome", f->id, detail, err) &&
             db_commit(s->db, err);
    }
    if (!ok) db_rollback(s->db);
    free(list);
    return ok;
}
