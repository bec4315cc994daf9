/* What a FHIR file carries where triage reads no answers: attachments (base64 `data`, `data:` URLs) and resources
 * written as JSON inside strings or set where no resource is read (a Bundle entry's response.outcome). A screen
 * there, or an attachment triage cannot open, leaves a safety answer not known, which counts as positive: the import
 * refuses the file with its SAFETY line (shared/CLINICAL.md, missing items). Pure: no storage, no session. */
#ifndef TRIAGE_FHIR_HIDDEN_H
#define TRIAGE_FHIR_HIDDEN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    ATTACH_TEXT,       /* UTF-8 (or 8-bit) text, after any base64 inside it: read for screens */
    ATTACH_DOCUMENT,   /* a document for a person (PDF, an image): no screen triage could read */
    ATTACH_UNOPENABLE, /* compressed, UTF-16, text that is not text: what it holds is not known */
} attach_kind;

/* An attachment's base64 content opened: the kind, and for ATTACH_TEXT its text in sodium memory (*text, *len; free
 * with secret_free). content_type may be NULL. why: for ATTACH_UNOPENABLE, what it is ("gzip-compressed"). Content
 * that is not base64 gives false (nothing to open). */
bool fhir_attachment_open(const char *b64, size_t b64_len, const char *content_type, attach_kind *kind, char **text,
                          size_t *len, char *why, size_t why_size);

/* Where a screen was found hidden, or an attachment triage cannot open */
typedef struct {
    char path[160];  /* in the resource: "content[0].attachment.data", "extension[1].valueString" */
    char what[160];  /* "an attachment triage cannot open (gzip-compressed)", "a QuestionnaireResponse written as a string" */
    bool unopenable; /* an attachment triage cannot open (else a screen, or a safety item's code, where triage reads none) */
} hidden_place;

/* Whether v holds, outside `contained` (read as resources of their own), a screen triage does not read (a response
 * under a misspelt resourceType, written as a string, in an attachment, or set where no resource is read), a resource
 * naming one of `codes` (the safety items' LOINC codes, NULL-terminated) inside a string or an attachment, or an
 * attachment triage cannot open. top: v is a resource the file's reading took (its own type is not counted).
 * The first place found is in *out. */
bool fhir_hidden_screen(json_t *v, bool top, const char *const *codes, hidden_place *out);

/* The same for the parts of a resource the reader takes (a QuestionnaireResponse: its extensions, its answers'
 * strings and attachments) or of a Bundle (its meta, its signature, its entries' search, request and response), every
 * member but those named in `skip` (NULL-terminated), `contained` always skipped. */
bool fhir_hidden_in_parts(json_t *o, const char *const *skip, const char *const *codes, hidden_place *out);

#endif
