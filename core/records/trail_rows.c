#include "trail_rows.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "erasure.h"

bool trail_erasure_counts(const audit_rec *e, int *intakes, int *items) {
    *intakes = *items = -1;
    if (!audit_entry_erases(e)) return false;
    /* a restore's copy nests the original after "client_erase: " (maintenance.c carry_entry) */
    static const char mark[] = "client_erase: ";
    const char *p = e->detail, *q;
    if (strcmp(e->action, "client_erase") != 0)
        while ((q = strstr(p, mark)) != NULL) p = q + sizeof mark - 1;
    int ni = -1, nd = -1, nq = -1;
    int got = sscanf(p, "%d intakes kept as de-identified facts, %d drafts, %d queue items", &ni, &nd, &nq);
    if (got >= 1 && ni >= 0) *intakes = ni;
    if (got == 3 && nq >= 0) *items = nq;
    return true;
}

/* Rows the trail named and the file lacks, not yet accounted for by an erasure after them. An erasure removes only
 * rows saved before it, so its count is taken from those gone so far and never from later ones. Which of them an
 * erasure took is not on record (the rows are gone): the ones gone since the count last stood at 0 are the
 * candidates, and when no erasure came between, each of them is unaccounted for. */
typedef struct {
    int64_t gone;          /* how many are not accounted for */
    int64_t since;         /* how many have gone since the count last stood at 0 ... */
    int64_t first_seq;     /* ... from this entry on */
    char id[sizeof ((audit_rec *)0)->object_id]; /* the newest of them, and its entry */
    int64_t seq;
} gone_rows;

typedef struct {
    database *db;
    char *problem;
    size_t size;
    gone_rows intakes, items;
} trail_ctx;

static void gone_add(gone_rows *g, const audit_rec *e) {
    if (g->gone == 0) {
        g->since = 0;
        g->first_seq = e->seq;
    }
    g->gone++;
    g->since++;
    snprintf(g->id, sizeof g->id, "%s", e->object_id);
    g->seq = e->seq;
}

static void gone_explained(gone_rows *g, int n) {
    g->gone = n < 0 || n >= g->gone ? 0 : g->gone - n; /* -1: an old entry without the count accounts for all */
}

/* An intake the trail says was saved (intake_create: "LEVEL" or "LEVEL note"): still there, with the note its author
 * saved (an entry without the mark says nothing: entries made before it was added carry none), naming the entry's
 * writer as its author. A note emptied out of its row was not noticed (eleventh outside attacker), nor when
 * reception sealed the body again without the mark (twelfth), nor when she set created_by to herself so that a
 * note she sealed and signed over a clinician's read as its author's (thirteenth). */
static bool intake_as_signed(trail_ctx *c, const audit_rec *e) {
    size_t n = strlen(e->detail);
    bool had_note = n >= 5 && strcmp(e->detail + n - 5, " note") == 0;
    intake_rec r;
    memset(&r, 0, sizeof r);
    store_status st = c->db->ops->intake_get(c->db->st, e->object_id, &r);
    if (st == ST_NOTFOUND) {
        gone_add(&c->intakes, e);
        return true;
    }
    if (st != ST_OK) {
        snprintf(c->problem, c->size, "cannot read intake %s (audit entry %" PRId64 ")", e->object_id, e->seq);
        return false;
    }
    bool has_note = r.notes_ct.n > 0;
    bool author_moved = e->staff_id[0] && strcmp(r.created_by, e->staff_id) != 0;
    intake_rec_free(&r);
    if (author_moved)
        snprintf(c->problem, c->size, "tampering: intake %s names another author than the one who saved it (audit entry "
                                      "%" PRId64 ", signed by its writer)", e->object_id, e->seq);
    else if (had_note && !has_note)
        snprintf(c->problem, c->size, "tampering: intake %s was saved with a note (audit entry %" PRId64 "), and the note "
                                      "was removed from the file", e->object_id, e->seq);
    return !c->problem[0];
}

/* A queue item the trail says was made ("queue" entry "enqueue ..."): still there. */
static bool item_there(trail_ctx *c, const audit_rec *e) {
    queue_rec q;
    store_status st = c->db->ops->queue_get(c->db->st, e->object_id, &q);
    if (st == ST_NOTFOUND) gone_add(&c->items, e);
    else if (st != ST_OK) {
        snprintf(c->problem, c->size, "cannot read queue item %s (audit entry %" PRId64 ")", e->object_id, e->seq);
        return false;
    }
    return true;
}

static int rows_of_entry(void *vctx, const audit_rec *e) {
    trail_ctx *c = vctx;
    int ni, nq;
    if (strcmp(e->action, "intake_create") == 0) return intake_as_signed(c, e) ? 0 : 1;
    if (strcmp(e->action, "queue") == 0 && strncmp(e->detail, "enqueue ", 8) == 0) return item_there(c, e) ? 0 : 1;
    if (trail_erasure_counts(e, &ni, &nq)) {
        gone_explained(&c->intakes, ni);
        gone_explained(&c->items, nq);
    }
    return 0;
}

static void name_gone(trail_ctx *c, const gone_rows *g, const char *what) {
    bool one = g->gone == 1;
    char which[160];
    if (g->since == g->gone) /* no erasure came between: every one of them is unaccounted for */
        snprintf(which, sizeof which, "the newest: %s %s, audit entry %" PRId64, what, g->id, g->seq);
    else
        snprintf(which, sizeof which, "among the %" PRId64 " gone since audit entry %" PRId64 ", the newest: %s %s, "
                 "audit entry %" PRId64, g->since, g->first_seq, what, g->id, g->seq);
    snprintf(c->problem, c->size, "tampering: %" PRId64 " %s the signed trail says %s saved %s gone from the file, and "
                                  "no erasure accounts for %s (%s)",
             g->gone, one ? what : (strcmp(what, "intake") == 0 ? "intakes" : "queue items"), one ? "was" : "were",
             one ? "is" : "are", one ? "it" : "them", which);
}

bool trail_rows_verify(database *db, char *problem, size_t size) {
    trail_ctx c;
    memset(&c, 0, sizeof c);
    c.db = db;
    c.problem = problem;
    c.size = size;
    problem[0] = '\0';
    store_status st = db->ops->audit_each(db->st, rows_of_entry, &c);
    if (problem[0]) return false;
    if (st != ST_OK) {
        snprintf(problem, size, "cannot read the audit trail");
        return false;
    }
    if (c.intakes.gone) name_gone(&c, &c.intakes, "intake");
    else if (c.items.gone) name_gone(&c, &c.items, "queue item");
    return !problem[0];
}
