#include "trail_rows.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erasure.h"

bool trail_erasure_counts(const audit_rec *e, int *intakes, int *drafts, int *items) {
    *intakes = *drafts = *items = -1;
    if (!audit_entry_erases(e)) return false;
    /* a restore's copy nests the original after "client_erase: " (maintenance.c carry_entry) */
    static const char mark[] = "client_erase: ";
    const char *p = e->detail, *q;
    if (strcmp(e->action, "client_erase") != 0)
        while ((q = strstr(p, mark)) != NULL) p = q + sizeof mark - 1;
    int ni = -1, nd = -1, nq = -1;
    int got = sscanf(p, "%d intakes kept as de-identified facts, %d drafts, %d queue items", &ni, &nd, &nq);
    if (got >= 1 && ni >= 0) *intakes = ni;
    if (got >= 2 && nd >= 0) *drafts = nd;
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

/* A draft the trail saw at a guarded level that the file lacks, while nothing on the trail says where it went. */
typedef struct {
    char id[sizeof ((audit_rec *)0)->object_id];
    char level[8];
    int64_t seq; /* its newest mark */
} gone_draft;

typedef struct {
    char (*present)[STORE_ID_LEN]; /* the drafts the file holds, sorted */
    int npresent;
    gone_draft *gone;              /* in the order they were marked */
    int ngone, cap;
    bool counted;                  /* retention or an erasure took some of them by count, not by name */
    int64_t counted_seq;           /* the last such entry */
} draft_watch;

typedef struct {
    database *db;
    char *problem;
    size_t size;
    gone_rows intakes, items;
    draft_watch drafts;
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
    /* the words after the level: "note", then "draft:ID" (records.c detail_of_create) */
    const char *mark = strstr(e->detail, " note");
    bool had_note = mark && (mark[5] == '\0' || mark[5] == ' ');
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

static int by_id(const void *a, const void *b) { return strcmp(a, b); }

static bool drafts_read(trail_ctx *c) {
    draft_rec *list = NULL;
    int n = 0;
    store_status st = c->db->ops->drafts_before(c->db->st, INT64_MAX, &list, &n);
    draft_watch *w = &c->drafts;
    w->present = n ? calloc((size_t)n, sizeof *w->present) : NULL;
    for (int i = 0; i < n; i++) {
        if (w->present) memcpy(w->present[i], list[i].id, STORE_ID_LEN);
        draft_rec_free(&list[i]);
    }
    free(list);
    if (st != ST_OK || (n && !w->present)) {
        snprintf(c->problem, c->size, st != ST_OK ? "cannot read the drafts" : "out of memory reading the drafts");
        return false;
    }
    w->npresent = n;
    qsort(w->present, (size_t)n, sizeof *w->present, by_id);
    return true;
}

static int gone_draft_at(const draft_watch *w, const char *id) {
    for (int i = w->ngone - 1; i >= 0; i--)
        if (strcmp(w->gone[i].id, id) == 0) return i;
    return -1;
}

static void gone_draft_drop(draft_watch *w, int i) {
    memmove(&w->gone[i], &w->gone[i + 1], (size_t)(w->ngone - i - 1) * sizeof *w->gone);
    w->ngone--;
}

/* A mark: the draft at a guarded level. Still in the file, or already on the list: nothing to do. */
static bool draft_marked(trail_ctx *c, const audit_rec *e) {
    draft_watch *w = &c->drafts;
    char key[STORE_ID_LEN];
    if (!e->object_id[0]) return true; /* names no draft */
    snprintf(key, sizeof key, "%.*s", STORE_ID_LEN - 1, e->object_id);
    if (bsearch(key, w->present, (size_t)w->npresent, sizeof *w->present, by_id)) return true;
    int at = gone_draft_at(w, e->object_id);
    if (at >= 0) gone_draft_drop(w, at); /* marked again: it goes to the end, with its newest level */
    if (w->ngone == w->cap) {
        int cap = w->cap ? 2 * w->cap : 16;
        gone_draft *more = realloc(w->gone, (size_t)cap * sizeof *more);
        if (!more) {
            snprintf(c->problem, c->size, "out of memory checking the drafts");
            return false;
        }
        w->gone = more;
        w->cap = cap;
    }
    gone_draft *g = &w->gone[w->ngone++];
    snprintf(g->id, sizeof g->id, "%s", e->object_id);
    snprintf(g->level, sizeof g->level, "%.7s", e->detail);
    g->seq = e->seq;
    return true;
}

/* Where a draft went, by name: an intake that finished it ("draft:ID" in its entry), or a discard. */
static void draft_ended(draft_watch *w, const char *id) {
    int at = id && *id ? gone_draft_at(w, id) : -1;
    if (at >= 0) gone_draft_drop(w, at);
}

static const char *finished_draft(const audit_rec *e, char *id, size_t size) {
    const char *p = strstr(e->detail, " draft:");
    if (!p) return NULL;
    snprintf(id, size, "%.*s", (int)strcspn(p + 7, " "), p + 7);
    return id;
}

/* Drafts removed by count (retention of old drafts, an erasure's drafts): which ones is not on record, so as many
 * of those marked before as it counts; the oldest first, since retention takes the oldest. */
static void drafts_counted(draft_watch *w, int n, int64_t seq) {
    if (n < 0 || n >= w->ngone) n = w->ngone; /* -1: an entry without the count */
    if (n == 0) return;
    if (n < w->ngone) {
        w->counted = true;
        w->counted_seq = seq;
    }
    memmove(&w->gone[0], &w->gone[n], (size_t)(w->ngone - n) * sizeof *w->gone);
    w->ngone -= n;
}

static int rows_of_entry(void *vctx, const audit_rec *e) {
    trail_ctx *c = vctx;
    int ni, nd, nq, days;
    char id[STORE_ID_LEN];
    if (strcmp(e->action, "intake_create") == 0) {
        draft_ended(&c->drafts, finished_draft(e, id, sizeof id));
        return intake_as_signed(c, e) ? 0 : 1;
    }
    if (strcmp(e->action, "queue") == 0 && strncmp(e->detail, "enqueue ", 8) == 0) return item_there(c, e) ? 0 : 1;
    if (strcmp(e->action, "draft_at_risk") == 0 || strcmp(e->action, "safety_steps_acknowledged") == 0)
        return draft_marked(c, e) ? 0 : 1;
    if (strcmp(e->action, "draft_discarded") == 0) draft_ended(&c->drafts, e->object_id);
    else if (strcmp(e->action, "retention") == 0 && sscanf(e->detail, "%d drafts older than %d days", &nd, &days) == 2)
        drafts_counted(&c->drafts, nd, e->seq);
    else if (trail_erasure_counts(e, &ni, &nd, &nq)) {
        gone_explained(&c->intakes, ni);
        gone_explained(&c->items, nq);
        drafts_counted(&c->drafts, nd, e->seq);
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

static void name_gone_draft(trail_ctx *c) {
    const draft_watch *w = &c->drafts;
    const gone_draft *g = &w->gone[w->ngone - 1];
    char among[120] = "";
    if (w->counted)
        snprintf(among, sizeof among, "; drafts removed by count up to audit entry %" PRId64 " may include it",
                 w->counted_seq);
    snprintf(c->problem, c->size, "tampering: %d unfinished intake%s the signed trail saw at a safety level %s gone "
                                  "from the file, and no intake, discard, retention or erasure on the trail accounts "
                                  "for %s (the newest: draft %s at %s, audit entry %" PRId64 "%s)",
             w->ngone, w->ngone == 1 ? "" : "s", w->ngone == 1 ? "is" : "are", w->ngone == 1 ? "it" : "them", g->id,
             g->level, g->seq, among);
}

bool trail_rows_verify(database *db, char *problem, size_t size) {
    trail_ctx c;
    memset(&c, 0, sizeof c);
    c.db = db;
    c.problem = problem;
    c.size = size;
    problem[0] = '\0';
    store_status st = drafts_read(&c) ? db->ops->audit_each(db->st, rows_of_entry, &c) : ST_OK;
    if (!problem[0] && st != ST_OK) snprintf(problem, size, "cannot read the audit trail");
    if (!problem[0] && c.intakes.gone) name_gone(&c, &c.intakes, "intake");
    else if (!problem[0] && c.items.gone) name_gone(&c, &c.items, "queue item");
    else if (!problem[0] && c.drafts.ngone) name_gone_draft(&c);
    free(c.drafts.present);
    free(c.drafts.gone);
    return !problem[0];
}
