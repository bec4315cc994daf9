#include "trail_rows.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erasure.h"
#include "client_keys.h"
#include "levels.h"

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

/* Rows the trail named (an intake, a queue item, a draft at risk) that the file lacks, while nothing on the trail
 * after them says where they went. An erasure and retention name each row they remove (row_erased entries); only
 * those written before that (their entries count rows, and do not say which) take rows by count, the oldest first,
 * and then the rows left may be among those they took. */
typedef struct {
    char id[sizeof ((audit_rec *)0)->object_id];
    char level[8];                /* a draft's, as its mark gave it */
    char owner[STORE_ID_LEN];     /* a draft's worker (the writer of its marks): only they finish or discard it */
    int64_t seq;                  /* the entry that named it (a draft's newest mark) */
} gone_row;

typedef struct {
    gone_row *v;
    int n, cap;
    int64_t counted_seq; /* the last entry that took some of them by count, not by name; 0 for none */
} gone_list;

/* row_erased entries are written just before the client_erase or retention entry of the same erasure, by the
 * same writer: they count only once that entry follows (a run of them that no erasure closes names nothing). */
typedef struct {
    audit_rec *v;
    int n, cap;
} erased_run;

typedef struct {
    database *db;
    const vault *v;
    ckeys *ck; /* the clients' own keys, each opened once (an intake's client tag is under its client's key) */
    char *problem;
    size_t size;
    gone_list intakes, items, drafts;
    erased_run run;
    char (*present)[STORE_ID_LEN]; /* the drafts the file holds, sorted */
    int npresent;
} trail_ctx;

/* Room for one more of `each` bytes in *v (n used of *cap); false, with the problem said, when memory is short. */
static bool room_for_one(trail_ctx *c, void **v, int n, int *cap, size_t each) {
    if (n < *cap) return true;
    int more = *cap ? 2 * *cap : 16;
    void *p = realloc(*v, (size_t)more * each);
    if (!p) {
        snprintf(c->problem, c->size, "out of memory checking the rows the trail names");
        return false;
    }
    *v = p;
    *cap = more;
    return true;
}

static int gone_at(const gone_list *g, const char *id) {
    for (int i = g->n - 1; i >= 0; i--)
        if (strcmp(g->v[i].id, id) == 0) return i;
    return -1;
}

static void gone_drop_at(gone_list *g, int i) {
    memmove(&g->v[i], &g->v[i + 1], (size_t)(g->n - i - 1) * sizeof *g->v);
    g->n--;
}

/* Where a row went, by name; a draft only by its own worker (by: the writer of the entry, NULL for any). */
static void gone_ended(gone_list *g, const char *id, const char *by) {
    int at = id && *id ? gone_at(g, id) : -1;
    if (at >= 0 && (!by || !g->v[at].owner[0] || strcmp(g->v[at].owner, by) == 0)) gone_drop_at(g, at);
}

static bool gone_add(trail_ctx *c, gone_list *g, const audit_rec *e, const char *level) {
    /* named again (a draft marked again): to the end, with its newest level, and the owner its first mark gave it
     * (reception marked a supervisor's deleted RED draft again, then discarded it as hers: attacker 17) */
    char owner[STORE_ID_LEN];
    int was = gone_at(g, e->object_id);
    snprintf(owner, sizeof owner, "%s", was >= 0 ? g->v[was].owner : e->staff_id);
    if (was >= 0) gone_drop_at(g, was);
    if (!room_for_one(c, (void **)&g->v, g->n, &g->cap, sizeof *g->v)) return false;
    gone_row *r = &g->v[g->n++];
    snprintf(r->id, sizeof r->id, "%s", e->object_id);
    snprintf(r->level, sizeof r->level, "%s", level);
    snprintf(r->owner, sizeof r->owner, "%s", owner);
    r->seq = e->seq;
    return true;
}

/* An entry written before erasures named their rows: it takes n of them (-1: any number), the oldest first. */
static void gone_counted(gone_list *g, int n, int64_t seq) {
    if (n < 0 || n >= g->n) n = g->n;
    if (n == 0) return;
    if (n < g->n) g->counted_seq = seq;
    memmove(&g->v[0], &g->v[n], (size_t)(g->n - n) * sizeof *g->v);
    g->n -= n;
}

/* An intake the trail says was saved (intake_create: "LEVEL[ note][ draft:ID]"): still there, with the note its
 * author saved (an entry without the mark says nothing: entries made before it was added carry none), naming the
 * entry's writer as its author. A note emptied out of its row was not noticed (eleventh outside attacker), nor
 * when reception sealed the body again without the mark (twelfth), nor when she set created_by to herself so that
 * a note she sealed and signed over a clinician's read as its author's (thirteenth). */
static bool intake_as_signed(trail_ctx *c, const audit_rec *e) {
    const char *mark = strstr(e->detail, " note");
    bool had_note = mark && (mark[5] == '\0' || mark[5] == ' ');
    intake_rec r;
    memset(&r, 0, sizeof r);
    store_status st = c->db->ops->intake_get(c->db->st, e->object_id, &r);
    if (st == ST_NOTFOUND) return gone_add(c, &c->intakes, e, "");
    if (st != ST_OK) {
        snprintf(c->problem, c->size, "cannot read intake %s (audit entry %" PRId64 ")", e->object_id, e->seq);
        return false;
    }
    bool has_note = r.notes_ct.n > 0;
    bool author_moved = e->staff_id[0] && strcmp(r.created_by, e->staff_id) != 0;
    /* the client its signed entry binds it to (a keyed tag; entries before it carry none): an intake moved to
     * another client, its row MAC recomputed with the data key, went with that client's erasure (attacker 17) */
    const char *bound = strstr(e->detail, " client:");
    char tag[CKEY_TAG_HEX];
    bool client_moved = bound && c->v && c->ck &&
                        (!ckey_intake_tag(c->ck, c->db, c->v, r.client_id, r.id, tag) ||
                         strncmp(bound + 8, tag, sizeof tag - 1) != 0);
    intake_rec_free(&r);
    if (client_moved)
        snprintf(c->problem, c->size, "tampering: intake %s belongs to another client than its signed entry says (audit "
                                      "entry %" PRId64 ")", e->object_id, e->seq);
    else if (author_moved)
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
    if (st == ST_NOTFOUND) return gone_add(c, &c->items, e, "");
    if (st != ST_OK) {
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
    c->present = n ? calloc((size_t)n, sizeof *c->present) : NULL;
    for (int i = 0; i < n; i++) {
        if (c->present) memcpy(c->present[i], list[i].id, STORE_ID_LEN);
        draft_rec_free(&list[i]);
    }
    free(list);
    if (st != ST_OK || (n && !c->present)) {
        snprintf(c->problem, c->size, st != ST_OK ? "cannot read the drafts" : "out of memory reading the drafts");
        return false;
    }
    c->npresent = n;
    if (n) qsort(c->present, (size_t)n, sizeof *c->present, by_id); /* never with NULL (no drafts) */
    return true;
}

/* The level a mark gives a draft: draft_at_risk "LEVEL", safety_steps_acknowledged (the steps of a guarded level),
 * draft_copy_kept "copy of ID at LEVEL" (a copy at a guarded level); NULL for a copy that was not at risk. */
static const char *mark_level(const audit_rec *e) {
    if (strcmp(e->action, "draft_at_risk") == 0) return e->detail;
    if (strcmp(e->action, "safety_steps_acknowledged") == 0) return "steps";
    if (strcmp(e->action, "draft_copy_kept") != 0) return NULL;
    const char *at = strstr(e->detail, " at ");
    return at ? at + 4 : NULL;
}

/* A mark: the draft at a guarded level. Still in the file: nothing to do. */
static bool draft_marked(trail_ctx *c, const audit_rec *e, const char *level) {
    char key[STORE_ID_LEN];
    if (!e->object_id[0]) return true; /* names no draft */
    snprintf(key, sizeof key, "%.*s", STORE_ID_LEN - 1, e->object_id);
    if (c->npresent && bsearch(key, c->present, (size_t)c->npresent, sizeof *c->present, by_id)) return true;
    return gone_add(c, &c->drafts, e, level);
}

/* The draft an intake finished ("draft:ID" in its entry). */
static const char *finished_draft(const audit_rec *e, char *id, size_t size) {
    const char *p = strstr(e->detail, " draft:");
    if (!p) return NULL;
    snprintf(id, size, "%.*s", (int)strcspn(p + 7, " "), p + 7);
    return id;
}

/* A row an erasure or retention removed, by name (erasure.c row_erased), held until the erasure's own entry. */
static bool row_erased(trail_ctx *c, const audit_rec *e) {
    erased_run *r = &c->run;
    if (r->n && strcmp(r->v[0].staff_id, e->staff_id) != 0) r->n = 0; /* another writer: not one erasure */
    if (!room_for_one(c, (void **)&r->v, r->n, &r->cap, sizeof *r->v)) return false;
    r->v[r->n++] = *e;
    return true;
}

/* The erasure's own entry after its row_erased run: each row it named is accounted for. Any other entry drops the
 * run unused. */
static void run_closed(trail_ctx *c, const audit_rec *e) {
    erased_run *r = &c->run;
    bool closes = (strcmp(e->action, "client_erase") == 0 || strcmp(e->action, "retention") == 0) && r->n &&
                  strcmp(r->v[0].staff_id, e->staff_id) == 0;
    for (int i = 0; closes && i < r->n; i++) {
        const audit_rec *x = &r->v[i];
        if (strcmp(x->detail, "intake") == 0) gone_ended(&c->intakes, x->object_id, NULL);
        else if (strcmp(x->detail, "queue item") == 0) gone_ended(&c->items, x->object_id, NULL);
        else if (strcmp(x->detail, "draft") == 0) gone_ended(&c->drafts, x->object_id, NULL);
    }
    r->n = 0;
}

/* An erasure or retention written before they named their rows takes rows by count. A restore's copy of an entry
 * (restored_over) takes none: the rows it took were the live file's, whose own entries are copies too, and the
 * restore erases again what the backup holds, with entries of its own (attacker 15: a copy's count hid a deletion). */
static void counted_entry(trail_ctx *c, const audit_rec *e) {
    int ni, nd, nq, days;
    size_t n = strlen(e->detail);
    static const char named[] = ", each named";
    if (strcmp(e->action, "retention") == 0) {
        bool by_name = n >= sizeof named - 1 && strcmp(e->detail + n - (sizeof named - 1), named) == 0;
        if (!by_name && sscanf(e->detail, "%d drafts older than %d days", &nd, &days) == 2)
            gone_counted(&c->drafts, nd, e->seq);
    } else if (strcmp(e->action, "client_erase") == 0 && trail_erasure_counts(e, &ni, &nd, &nq) && nq < 0) {
        gone_counted(&c->intakes, ni, e->seq);
        gone_counted(&c->items, -1, e->seq);
        gone_counted(&c->drafts, nd, e->seq);
    }
}

static int rows_of_entry(void *vctx, const audit_rec *e) {
    trail_ctx *c = vctx;
    char id[STORE_ID_LEN];
    const char *level;
    bool ok = true;
    if (strcmp(e->action, "row_erased") == 0) return row_erased(c, e) ? 0 : 1;
    run_closed(c, e);
    /* a draft is finished or discarded by its own worker only: reception signed a discard of a supervisor's RED
     * draft she had deleted from the file (attacker 16) */
    if (strcmp(e->action, "intake_create") == 0) {
        gone_ended(&c->drafts, finished_draft(e, id, sizeof id), e->staff_id);
        ok = intake_as_signed(c, e);
    } else if (strcmp(e->action, "queue") == 0 && strncmp(e->detail, "enqueue ", 8) == 0)
        ok = item_there(c, e);
    else if ((level = mark_level(e)) != NULL)
        ok = draft_marked(c, e, level);
    else if (strcmp(e->action, "draft_discarded") == 0)
        gone_ended(&c->drafts, e->object_id, e->staff_id);
    else
        counted_entry(c, e);
    return ok ? 0 : 1;
}

static void name_gone(trail_ctx *c, const gone_list *g, const char *one, const char *many, const char *saved_one,
                      const char *saved_many) {
    const gone_row *r = &g->v[g->n - 1];
    char level[24] = "", among[120] = "";
    if (r->level[0]) snprintf(level, sizeof level, " at %s", r->level);
    if (g->counted_seq)
        snprintf(among, sizeof among, "; an erasure recorded by count up to audit entry %" PRId64 " may have taken "
                                      "it", g->counted_seq);
    bool single = g->n == 1;
    snprintf(c->problem, c->size, "tampering: %d %s the signed trail %s %s gone from the file, and nothing on the trail "
                                  "says where %s went (the newest: %s %s%s, audit entry %" PRId64 "%s)",
             g->n, single ? one : many, single ? saved_one : saved_many, single ? "is" : "are", single ? "it" : "they", one, r->id, level, r->seq,
             among);
}

bool trail_rows_verify(database *db, const vault *v, char *problem, size_t size) {
    trail_ctx c;
    memset(&c, 0, sizeof c);
    c.db = db;
    c.v = v;
    c.ck = ckeys_new();
    c.problem = problem;
    c.size = size;
    problem[0] = '\0';
    store_status st = drafts_read(&c) ? db->ops->audit_each(db->st, rows_of_entry, &c) : ST_OK;
    if (!problem[0] && st != ST_OK) snprintf(problem, size, "cannot read the audit trail");
    if (!problem[0] && c.intakes.n) name_gone(&c, &c.intakes, "intake", "intakes", "says was saved", "says were saved");
    else if (!problem[0] && c.items.n) name_gone(&c, &c.items, "queue item", "queue items", "says was made", "says were made");
    else if (!problem[0] && c.drafts.n)
        name_gone(&c, &c.drafts, "unfinished intake", "unfinished intakes", "saw at a safety level",
                  "saw at a safety level");
    free(c.present);
    free(c.intakes.v);
    free(c.items.v);
    free(c.drafts.v);
    free(c.run.v);
    ckeys_free(c.ck);
    return !problem[0];
}
