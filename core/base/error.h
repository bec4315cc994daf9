/* One error type for the whole program: a kind that code can act on (the command line chooses its exit
 * code from it) and a message that people read. The kind is never read back from the text. */
#ifndef TRIAGE_ERROR_H
#define TRIAGE_ERROR_H

#include <stdarg.h>
#include <stdbool.h>

/* Large enough for the longest message any caller kept before (a list of import problems, 4096 bytes). */
#define ERROR_MSG_SIZE 4096

typedef enum {
    ERR_NONE = 0,  /* no error */
    ERR_INPUT,     /* bad input: a file, line, field or option the user gave */
    ERR_DENIED,    /* the role of the staff member does not allow it */
    ERR_NOT_FOUND, /* the client, intake, item or user named does not exist */
    ERR_CONFLICT,  /* changed by another desk, already exists, busy, not in a state that allows it */
    ERR_TAMPERED,  /* integrity: a seal, MAC or signature does not hold */
    ERR_STORE,     /* the database or the disk failed */
    ERR_AUTH,      /* login: wrong passphrase, locked account, stale key */
    ERR_IO,        /* a file or terminal outside the database (export, backup, passphrase fd) */
    ERR_INTERNAL,  /* out of memory, the cryptography library, a broken invariant */
    ERR_KIND_COUNT
} error_kind;

typedef struct {
    error_kind kind;
    char msg[ERROR_MSG_SIZE];
} error;

/* Sets kind and message (printf format; truncated to fit). A NULL e is allowed and ignored, so callers
 * that do not want the message may pass NULL. */
__attribute__((format(printf, 3, 4))) void error_set(error *e, error_kind k, const char *fmt, ...);
__attribute__((format(printf, 3, 0))) void error_vset(error *e, error_kind k, const char *fmt, va_list ap);
/* Puts text in front of the message ("path: " + message); the kind stays. */
__attribute__((format(printf, 2, 3))) void error_prefix(error *e, const char *fmt, ...);
/* Changes the kind and keeps the message (a caller knows better what the failure means to it). */
void error_set_kind(error *e, error_kind k);
/* No error: kind ERR_NONE and an empty message. */
void error_clear(error *e);
/* Copies kind and message (from may equal to). */
void error_copy(error *to, const error *from);
bool error_failed(const error *e);
/* "input", "denied", ... (for logs and tests; never shown instead of the message). */
const char *error_kind_name(error_kind k);

#endif
