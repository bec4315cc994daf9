/* What the front desk's screens read of a client: the little a queue row may show to passers-by
 * (initials, a short id, the main reason), and the whole record once a person opens it (identity,
 * every intake with its scores, level and reasons, the score trajectory, the queue history, notes).
 * Opening the record is audited; a queue row is not a record and is not audited row by row. */
#ifndef TRIAGE_RECORD_VIEW_H
#define TRIAGE_RECORD_VIEW_H

#include "error.h"
#include "queue_items.h"
#include "records.h"

#define VIEW_MAX_SCORES 8
#define VIEW_MAX_REASONS 6
#define VIEW_MAX_TEXTS 4

typedef struct {
    char initials[16]; /* "G.H." or "王": the first letter of up to three words of the name */
    char short_id[9];  /* the first 8 characters of the client id */
    char reason[192];  /* the first reason of the intake that set the level, or "" */
    char reason_rule[64]; /* its rule's name, to show it in the staff language (assess_reason_text), or "" */
    bool remote;          /* the intake was a call (phone, online): its reasons in a caller's wording */
} queue_row_view;

/* Reads a queue row's view (opens the client's name and the intake's body; no audit entry). */
bool queue_row_view_load(session *s, const queue_item *it, queue_row_view *out, error *err);

/* An anonymous caller's short id ("KMT4821") when the name ends in one (the hotline's "Anonymous caller
 * KMT4821"), into out; false otherwise. */
bool caller_id_of_name(const char *name, char *out, size_t size);
/* True when text could be the start of a caller id ("K", "KMT", "kmt48"): up to three letters, then up to four
 * digits, in any case. */
bool caller_id_prefix_like(const char *text);
/* The open queue items of anonymous callers whose caller id starts with prefix (any case), at most max, into
 * out. A caller id is a word of the sealed name, so a blind index finds it whole only: the worker reading it
 * from the screen types its start. The names are peeked as a queue row's are; the search itself is audited
 * (without the prefix), as a client search is. */
bool queues_find_callers(session *s, const char *prefix, queue_item *out, int max, int *n, error *err);
/* The initials of a UTF-8 name, each letter upper-cased (ASCII), at most three. */
void name_initials(const char *name, char *out, size_t size);

typedef struct {
    char form[33];
    int total;       /* -1 when the form has no valid total (incomplete) */
    bool prorated;   /* missing items replaced by the mean of the answered ones */
} score_point;

typedef struct {
    char id[STORE_ID_LEN];
    int64_t at;
    char level[8];
    char by[65]; /* who took the intake (login name) */
    score_point scores[VIEW_MAX_SCORES];
    int n_scores;
    char reasons[VIEW_MAX_REASONS][192];
    char reason_rules[VIEW_MAX_REASONS][64]; /* each reason's rule name, or "" */
    int n_reasons;
    bool remote; /* the assessment says "remote" (a phone or online intake): reasons in a caller's wording */
    struct {
        char item[33];   /* the record form's item id ("occupation") */
        char value[400]; /* as given (a text item's maxlen characters of UTF-8 fit) */
    } texts[VIEW_MAX_TEXTS]; /* the kept text answers (intake_body.h) */
    int n_texts;
    char *notes; /* secure memory, or NULL (none, or not the reader's to read) */
    bool tampered; /* the clear row was edited in the file (core/records/rowmac.h); level is the sealed one */
} intake_summary;

/* Reads the level, totals and reasons of a stored intake body (the JSON `intake_save` keeps). False when
 * the text is not such a body. */
bool intake_summary_parse(const char *body, intake_summary *out);

/* A form's total in a summary, or -1. */
int intake_summary_score(const intake_summary *s, const char *form_id);

typedef struct {
    client_plain client;
    intake_summary *intakes; /* oldest first */
    int n_intakes;
    bool has_item;           /* the client's open queue item */
    queue_item item;
    queue_history_entry *history;
    int n_history;
} client_record;

/* Opens a client's whole record (audited: the client and each intake opened). */
bool client_record_open(session *s, const char *client_id, client_record *out, error *err);
void client_record_free(client_record *r);

#endif
