/* The error type: a kind to act on and a message to read (see error.h). */
#include "error.h"

#include <stdio.h>
#include <string.h>

void error_vset(error *e, error_kind k, const char *fmt, va_list ap) {
    if (!e) return;
    e->kind = k;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

void error_set(error *e, error_kind k, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    error_vset(e, k, fmt, ap);
    va_end(ap);
}

void error_prefix(error *e, const char *fmt, ...) {
    if (!e) return;
    char head[ERROR_MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    size_t hl = strlen(head), ml = strlen(e->msg);
    if (hl >= sizeof e->msg - 1) {
        memcpy(e->msg, head, sizeof e->msg - 1);
        e->msg[sizeof e->msg - 1] = '\0';
        return;
    }
    if (hl + ml > sizeof e->msg - 1) ml = sizeof e->msg - 1 - hl; /* the tail of the message gives way */
    memmove(e->msg + hl, e->msg, ml);
    memcpy(e->msg, head, hl);
    e->msg[hl + ml] = '\0';
}

void error_set_kind(error *e, error_kind k) {
    if (e) e->kind = k;
}

void error_clear(error *e) {
    if (!e) return;
    e->kind = ERR_NONE;
    e->msg[0] = '\0';
}

void error_copy(error *to, const error *from) {
    if (!to || !from || to == from) return;
    to->kind = from->kind;
    memcpy(to->msg, from->msg, strlen(from->msg) + 1);
}

bool error_failed(const error *e) { return e && e->kind != ERR_NONE; }

const char *error_kind_name(error_kind k) {
    static const char *const names[ERR_KIND_COUNT] = {
        [ERR_NONE] = "none",         [ERR_INPUT] = "input",       [ERR_DENIED] = "denied",
        [ERR_NOT_FOUND] = "not_found", [ERR_CONFLICT] = "conflict", [ERR_TAMPERED] = "tampered",
        [ERR_STORE] = "store",       [ERR_AUTH] = "auth",         [ERR_IO] = "io",
        [ERR_INTERNAL] = "internal",
    };
    return (unsigned)k < ERR_KIND_COUNT ? names[k] : "unknown";
}
