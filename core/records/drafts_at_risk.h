/* Unfinished intakes that reached a safety level: a draft whose live level is orange or red is a client at
 * risk who sits in no queue until someone saves it. The front desk must never lose sight of one: every desk's
 * home lists them (any worker's, the highest level first, then the newest, with their level), and discarding one
 * takes a confirmation that names the level and more than one key. Which levels count is decided here, not in a screen. */
#ifndef TRIAGE_DRAFTS_AT_RISK_H
#define TRIAGE_DRAFTS_AT_RISK_H

#include "error.h"
#include "engine.h"
#include "records.h"
#include "wizard.h"

/* True when a draft at this level is guarded: listed on every home, discarded only after a confirmation that
 * names its level and takes more than one key (orange and red, the levels with safety steps or a same-day
 * deadline). */
bool draft_level_guarded(risk_level level);

/* The level an unfinished interview stands at: its answers' level, never below the one whose safety steps were
 * shown (the level it would be saved at). */
risk_level draft_level_now(const wizard *w);

typedef struct {
    char id[STORE_ID_LEN];
    char staff[65];    /* the worker whose draft it is (login name) */
    bool mine;         /* the logged-in worker's own (the one r resumes) */
    int64_t updated_at;
    risk_level level;  /* the live level of its answers, or the level kept once its safety steps were shown */
    char initials[16]; /* the client's initials ("W.F.", "?" when no name yet): a list shows no more */
    char caller_id[WIZARD_CALLER_ID_LEN]; /* an anonymous caller's short id (the one to call back by and search
                                           * for; the list showed the draft's id instead: fifth tryout), or "" */
    int owed_form, owed_number; /* the level comes from this question left unanswered (wizard_owed_question: ASQ
                                 * question 5 after a positive), so the list says why; owed_form -1: none */
} draft_at_risk;

/* The level of one stored draft, as the lists below compute it: red when it does not open or parse, or when
 * there is no engine to read it with (an unknown draft at risk is treated as at risk). */
risk_level draft_stored_level(session *s, const engine *e, const draft_rec *r);
/* The same, and an anonymous caller's id (the one to call back by) into caller_id, "" when the draft names a
 * client or does not open: a restore names a lost draft by it (fifth restore tryout: only the short id was given). */
risk_level draft_stored_level_caller(session *s, const engine *e, const draft_rec *r, char *caller_id, size_t size);

/* The interview's draft saved, over the one this desk last read only (draft_save_tagged). When its level first
 * reaches a guarded one, or rises above the one noted, the same transaction writes a signed "draft_at_risk" entry
 * naming the draft and the level, so that a RED draft deleted from the file is named by verify (trail_rows.h). */
bool draft_autosave(session *s, wizard *w, error *err);

/* The interview's answers kept as a new draft (draft_keep_copy: its own was gone or changed at another desk), on
 * the trail at its level when that is a guarded one, so that verify watches the copy too (attacker 15: a RED copy
 * deleted from the file left verify sound). The wizard takes the copy's id. */
bool draft_keep_wizard_copy(session *s, wizard *w, error *err);

/* Whether the database holds the draft id now, and when it was last saved (*updated_at): a desk left open
 * through a restore says what became of the draft of the intake it had on screen. Reads only. */
bool draft_held(session *s, const char *id, bool *held, int64_t *updated_at, error *err);

/* Every unfinished intake at a guarded level, any worker's, the highest level first, then the newest (*out
 * malloc'd, free() it; NULL when none). Drafts are opened only to compute their level and initials (no audit entry: a list row is not a
 * record, as with a queue row). A draft that does not open or parse is listed as red: an unknown draft at
 * risk is treated as at risk. The role must be one that sees the queues. */
bool drafts_at_risk_list(session *s, const engine *e, draft_at_risk **out, int *n, error *err);

/* How many drafts in the file the trail marks RED (their newest "draft_at_risk" entry says red, or they are a
 * copy kept at red): all of them in *all, and in *others all but except_id (the draft on this desk's screen now,
 * whose worker sees its level; NULL or "": none), in one pass: the RED ALERT counts these beside the queue's red items, on every desk and on the idle-lock
 * screen (twenty-fourth tryout: a RED client in an unsaved intake rang no alert anywhere). Needs no session
 * (the lock screen has none) and opens no draft: a mark's signature is verify's to check; a mark can only add
 * to the alert, never hide one. */
bool drafts_marked_red(database *db, const char *except_id, int *all, int *others, error *err);

/* One unfinished intake of the logged-in worker, for home's list (whose, when, where it stopped). */
typedef struct {
    char id[STORE_ID_LEN];
    int64_t updated_at;
    risk_level level;  /* as draft_level_now */
    char name[96];     /* the client's name (an anonymous caller's name with its id), "" when none yet */
    char client_id[STORE_ID_LEN]; /* a returning client's id, "" for a new client */
    int form;          /* the form it stopped in (an index of e->forms), -1 at the review */
    int number, count; /* question `number` of `count` of that form */
} my_draft;

/* Every unfinished intake of the logged-in worker, the highest level first, then the newest (*out malloc'd, free()
 * it; NULL when none): a second draft hid the first, which only the newest-first resume could reach (tryout). Opened only to say whose
 * and where (no audit entry, as drafts_at_risk_list); one that does not open is listed with no name, red. */
bool drafts_mine_list(session *s, const engine *e, my_draft **out, int *n, error *err);

#endif
