/* Whole-database work for supervisors: verify, rotate the data key, back up. */
#ifndef TRIAGE_MAINTENANCE_H
#define TRIAGE_MAINTENANCE_H

#include "error.h"
#include "audit.h"
#include "engine.h"
#include "session.h"

typedef struct {
    bool ok;
    int64_t sealed_checked;
    int64_t rows_checked; /* queue items and intakes whose row MAC verified */
    audit_report audit;
    char problem[600]; /* the first problem, named */
    int scratch_swept; /* leftover scratch copies of interrupted restores removed first (db_sweep_scratch) */
} verify_report;

/* integrity_check, every sealed field opened, every row MAC checked (core/records/rowmac.h: a queue item or intake
 * whose clear columns were edited is named with its table and id), the audit chain walked; the first problem
 * is named. */
bool db_verify(session *s, verify_report *r, error *err);
/* The last verify's finding, for the reports' mark (a report reads a million facts rows and cannot check
 * a MAC on each: 6 us a row on the bench machine): *at its time (0: none on record) and *sound. A "sound" comes
 * from the signed trail only (the newest signed `verify` or tamper_detected entry; a trail with a problem is
 * tampering, now); meta verify_last, sealed under the data key every role holds, adds only a newer "tampered". */
void verify_last(session *s, int64_t *at, bool *sound);

/* A new data key: every sealed field re-sealed, every blind index recomputed, the legacy audit MACs
 * recomputed, the new key sealed to every staff member's public key except locked accounts (left out: an
 * unlock by a supervisor gives them the key again); all in one transaction. */
bool db_rekey(session *s, error *err);
/* An online copy (the SQLite backup API) while other desks keep working. */
bool db_backup(session *s, const char *dest, error *err);
/* Removes the scratch copies a killed or crashed restore left beside the database (they may hold erased
 * clients' rows), audited (scratch_swept) when there were any; run first by restore, verify and backup.
 * Best effort: returns how many were removed. */
int db_sweep_scratch(session *s);

typedef struct {
    bool restored;           /* the content is the backup's, with everything below carried forward */
    int erased_again;        /* clients erased since the backup was made, erased again */
    int entries_carried;     /* live audit entries the backup lacks, appended again as `restored_over` */
    int intakes_gone;        /* intakes saved after the backup that the restored content does not hold */
    int64_t generation;      /* meta restore_generation after it (desks compare it at their poll) */
    int scratch_swept;       /* leftover scratch copies of interrupted restores removed first (db_sweep_scratch) */
    int staff_undone;        /* staff changes since the backup undone, accepted with --accept-loss's reason */
    char staff[180];         /* those changes (action and name) */
    int items_lowered;       /* open queue items lowered or dropped, accepted with --accept-loss's reason */
    char lowered[180];       /* on a refusal: those items (short id, level) */
    char unread[200];  /* restored over a damaged live file: what of it could not be read ("" otherwise) */
    int drafts_lost;         /* unfinished intakes (drafts) saved or changed after the backup, removed or set back */
    int drafts_at_risk;      /* of those, the ones at red or orange (accepted with --accept-loss's reason) */
    char drafts[180];        /* those at red or orange (short id, level, worker; an anonymous caller by caller id); on a refusal too */
    int intakes_erased;      /* intakes saved after the backup and erased before the restore (not lost by it) */
    bool live_damaged;       /* the live file was damaged (unreadable parts, or its pages replaced by the backup's) */
    int64_t upgraded_from;   /* the backup's schema version when it was older and its private copy upgraded first */
    int erased_new;          /* clients created after the backup and erased since: not in it, nothing to erase again
                              * (fifth tryout: "0 client(s) erased since the backup erased again" said of them) */
} restore_result;

/* The one way to restore (supervisors): the backup is copied into a private file and verified there with
 * this session's key (integrity, sealed fields, row MACs, audit chain, schema version; a backup under a key
 * rotated since is refused); then, in one write transaction under the write lock held from the first read
 * of the live content to the commit (the store's restore), its content replaces the live database's and
 * what the live one held is carried forward: every erasure on record applied again, every live audit entry
 * the backup lacks appended again as a signed `restored_over` entry, the intakes saved after the backup
 * that are now gone counted, meta restore_generation counted up, and a `restore` entry saying all that.
 * Nothing of it stands unless all of it does. Desks that stay open see it at their next poll. */
/* The restore is refused (audited) when the live database holds open queue items the backup would lower
 * (a level raised after it) or drop while red or orange (saved after it), naming them, unless accept_loss
 * gives a supervisor's written reason (audited with the list, restore_accept_loss). */
/* Likewise when it would remove (or set back to the backup's older version) an unfinished intake saved at red
 * or orange after the backup: a client at risk is in no queue until the intake is saved. Every draft lost is
 * counted. e reads the drafts' levels (NULL: every lost draft counts as red). */
bool db_restore(session *s, const engine *e, const char *backup, const char *accept_loss, restore_result *out, error *err);


#endif
