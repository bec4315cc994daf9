/* Helpers shared by every store backend: status names, freeing records, the argument checks every backend
 * relies on, and the choice of a backend by the database URL. */
#include "store.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    case ST_UNSAFE_LOCATION: return "unsafe location"; /* the backend's message says why (SQLite: a network filesystem) */
    case ST_IO: return "I/O error";
    case ST_INVALID: return "invalid call";
    }
    return "unknown status";
}

error_kind store_error_kind(store_status s) {
    switch (s) {
    case ST_OK: return ERR_NONE;
    case ST_BUSY:
    case ST_EXISTS: return ERR_CONFLICT;
    default: return ERR_STORE;
    }
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
    blob_free(&r->key_ct);
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

/* ---- the checks every backend relies on ---- */

bool store_id_ok(const char *id) {
    if (!id || !id[0]) return false;
    size_t n = strnlen(id, STORE_ID_LEN);
    if (n >= STORE_ID_LEN) return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)id[i] <= 0x20 || (unsigned char)id[i] >= 0x7f) return false;
    return true;
}

bool store_field_ok(const char *buf, size_t size) { return memchr(buf, '\0', size) != NULL; }

bool store_opt_id_ok(const char *buf, size_t size) { return store_field_ok(buf, size) && (!buf[0] || store_id_ok(buf)); }

bool store_blob_ok(const blob *b, bool required) {
    if (b->n > 0 && !b->p) return false;
    if (required && b->n == 0) return false;
    return b->n <= (size_t)INT_MAX;
}

bool store_level_ok(const char *l) {
    return l && (strcmp(l, "red") == 0 || strcmp(l, "orange") == 0 || strcmp(l, "yellow") == 0 || strcmp(l, "green") == 0);
}

/* ---- backends by URL ---- */

static const struct {
    const char *scheme; /* "sqlite:" */
    const store_ops *ops;
    bool local_file; /* the location is a file on this machine (a server's database is not) */
} backends[] = {{"sqlite:", &store_sqlite, true}};
#define N_BACKENDS (sizeof backends / sizeof backends[0])

/* A URL scheme: letters, digits, + - . before "://" (RFC 3986). */
static bool has_scheme(const char *url, const char *colon) {
    if (!colon || colon == url) return false;
    for (const char *p = url; p < colon; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '+' ||
              *p == '-' || *p == '.'))
            return false;
    return true;
}

const store_ops *store_backend_at(size_t i) { return i < N_BACKENDS ? backends[i].ops : NULL; }

const char *store_backend_scheme(const store_ops *ops) {
    for (size_t i = 0; i < N_BACKENDS; i++)
        if (backends[i].ops == ops) return backends[i].scheme;
    return NULL;
}

/* Where a URL's scheme ends (its ':'), or NULL: a letter, then at least one letter, digit, + - or . (so a
 * drive letter "C:" is no scheme, nor is anything with '/' before its first ':'). */
static const char *scheme_end(const char *url) {
    if (!url || !((*url >= 'a' && *url <= 'z') || (*url >= 'A' && *url <= 'Z'))) return NULL;
    const char *colon = strchr(url, ':');
    return colon && colon - url >= 2 && has_scheme(url, colon) ? colon : NULL;
}

const store_ops *store_backend_for(const char *url, const char **location, error *err) {
    if (!url || !url[0]) {
        error_set(err, ERR_INPUT, "No database was given.");
        return NULL;
    }
    for (size_t i = 0; i < N_BACKENDS; i++) {
        size_t n = strlen(backends[i].scheme);
        if (strncmp(url, backends[i].scheme, n) == 0) {
            const char *rest = url + n;
            if (strncmp(rest, "//", 2) == 0) rest += 2; /* sqlite://PATH */
            *location = rest;
            return backends[i].ops;
        }
    }
    /* any scheme (a letter, then letters, digits, + - ., then ':'; with or without "//") not registered is
     * refused: `--db postgresql:triage` must never make a SQLite file of that name */
    const char *colon = scheme_end(url);
    if (colon) {
        char have[128] = "";
        for (size_t i = 0; i < N_BACKENDS; i++)
            snprintf(have + strlen(have), sizeof have - strlen(have), "%s%s", i ? ", " : "", backends[i].scheme);
        char shown[4200];
        store_url_redacted(url, shown, sizeof shown);
        char hint[4300] = "";
        if (strncmp(colon, "://", 3) != 0) /* maybe a file after all */
            snprintf(hint, sizeof hint, "; a file whose name has a colon can be given as ./%s", shown);
        error_set(err, ERR_INPUT, "%s: this build of triage has no backend for %.*s databases (the schemes it has: %s)%s.",
                  shown, (int)(colon - url), url, have, hint);
        return NULL;
    }
    *location = url;
    return backends[0].ops; /* a plain path: the first backend, which keeps a local file */
}

/* Appends n bytes of text to out (NUL-terminated; truncated at size). */
static void append(char *out, size_t size, size_t *len, const char *text, size_t n) {
    while (n-- && *len + 1 < size) out[(*len)++] = *text++;
    out[*len] = '\0';
}

/* At p, a password=... key (any case, spaces around '=' as libpq's key/value form allows) at the start or
 * after a separator: the length of "password =" up to its value, else 0. */
static size_t password_key_at(const char *url, const char *p) {
    static const char key[] = "password";
    if (strncasecmp(p, key, sizeof key - 1) != 0 || !(p == url || strchr("?&; \t", p[-1]))) return 0;
    const char *q = p + sizeof key - 1;
    q += strspn(q, " \t");
    if (*q != '=') return 0;
    q++;
    q += strspn(q, " \t");
    return (size_t)(q - p);
}

/* The end of a password's value at p: a quoted one ('S3cret PW', with \' inside, as libpq reads it) to its
 * closing quote, else to the next separator. */
static const char *password_value_end(const char *p) {
    if (*p == '\'' || *p == '"') {
        char quote = *p++;
        while (*p && *p != quote) p += (*p == '\\' && p[1]) ? 2 : 1;
        return *p ? p + 1 : p;
    }
    return p + strcspn(p, "&; \t#");
}

/* The userinfo's password: with "scheme://", in the authority (to its first '/'), between the first ':' and
 * the LAST '@' (a password may hold '@', '?' and '#'; libpq reads it so). Without "//" (`postgresql:ann:pw@h`,
 * or a location with its scheme removed, `ann:pw@h/db`), from the first ':' of the whole text up to the last
 * '@' before the first '/': a user name may be hidden with it, a password never shown. */
static void userinfo_password(const char *url, const char **from, const char **to) {
    *from = *to = NULL;
    const char *colon = strstr(url, "://");
    const char *auth = has_scheme(url, colon) ? colon + 3 : url;
    const char *end = auth + strcspn(auth, "/");
    const char *at = NULL;
    for (const char *p = auth; p < end; p++)
        if (*p == '@') at = p;
    const char *pw = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (pw) *from = pw + 1, *to = at;
}

void store_url_redacted(const char *url, char *out, size_t size) {
    if (!size) return;
    out[0] = '\0';
    if (!url) return;
    size_t len = 0;
    const char *hide_from, *hide_to;
    userinfo_password(url, &hide_from, &hide_to);
    for (const char *p = url; *p;) {
        size_t key;
        if (p == hide_from) {
            append(out, size, &len, "***", 3);
            p = hide_to;
        } else if ((key = password_key_at(url, p)) != 0) { /* a password=... parameter: its value hidden */
            append(out, size, &len, p, key);
            append(out, size, &len, "***", 3);
            p = password_value_end(p + key);
        } else {
            append(out, size, &len, p, 1);
            p++;
        }
    }
}

bool store_is_url(const char *value) {
    if (!value) return false;
    for (size_t i = 0; i < N_BACKENDS; i++)
        if (strncmp(value, backends[i].scheme, strlen(backends[i].scheme)) == 0) return true;
    return has_scheme(value, strstr(value, "://")) || scheme_end(value) != NULL;
}

const char *store_local_file(const char *url) {
    error ignored = {0};
    const char *location = NULL;
    const store_ops *ops = store_backend_for(url, &location, &ignored);
    for (size_t i = 0; ops && i < N_BACKENDS; i++)
        if (backends[i].ops == ops) return backends[i].local_file ? location : NULL;
    return NULL;
}
