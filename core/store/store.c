/* Helpers shared by every store backend: status and role names, freeing records. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

const char *store_status_name(store_status s) {
    switch (s) {
    case ST_OK: return "ok";
    case ST_NOTFOUND: return "not found";
    case ST_EXISTS: return "already exists";
    case ST_BUSY: return "busy";
    case ST_FULL: return "disk full";
    case ST_READONLY: return "read-only";
    case ST_CORRUPT: return "corrupt";
    case ST_NOT_TRIAGE: return "not a triage database";
    case ST_TOO_NEW: return "too new";
    case ST_NETWORK_FS: return "network filesystem";
    case ST_IO: return "I/O error";
    case ST_INVALID: return "invalid call";
    }
    return "unknown status";
}

void blob_free(blob *b) {
    if (!b) return;
    free(b->p);
    b->p = NULL;
    b->n = 0;
}

void client_rec_free(client_rec *r) {
    if (!r) return;
    blob_free(&r->name_ct);
    blob_free(&r->phone_ct);
    blob_free(&r->birth_ct);
}

void intake_rec_free(intake_rec *r) {
    if (!r) return;
    blob_free(&r->body_ct);
    blob_free(&r->notes_ct);
}

void draft_rec_free(draft_rec *r) {
    if (!r) return;
    blob_free(&r->body_ct);
}

void queue_event_rec_free(queue_event_rec *r) {
    if (r) blob_free(&r->reason_ct);
}
