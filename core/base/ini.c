#include "ini.h"

#include <ctype.h>
#include <errno.h>
#include <iniparser.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* iniparser's longest line (ASCIILINESZ is 1024 including the terminator). */
#define INI_MAX_LINE 1023
/* No configuration, form or roster comes near this; a larger file is refused, not read into memory. */
#define INI_MAX_FILE (16u << 20)

/* iniparser reports problems through one global callback; we collect them here while a file loads. */
static char captured[2048];
/* printf-like: lets the compiler check the forwarding (clang's -Wformat-nonliteral asks for it) */
__attribute__((format(printf, 1, 2))) static int capture_errors(const char *fmt, ...) {
    size_t used = strlen(captured);
    if (used < sizeof captured - 1) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(captured + used, sizeof captured - used, fmt, ap);
        va_end(ap);
    }
    return 0;
}

static void lower(char *s) {
    for (; *s; s++) *s = (char)tolower((unsigned char)*s);
}

static char *trimmed_copy(const char *start, const char *end) {
    while (start < end && isspace((unsigned char)*start)) start++;
    while (end > start && isspace((unsigned char)end[-1])) end--;
    char *s = xcalloc((size_t)(end - start) + 1, 1);
    memcpy(s, start, (size_t)(end - start));
    lower(s);
    return s;
}

/* FNV-1a: the line index is a small open-addressing hash so that a roster of thousands of keys loads
 * in linear time. */
static unsigned hash_key(const char *s) {
    unsigned h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int find_line_entry(const ini_file *f, const char *key) {
    if (!f->hash_cap) return -1;
    for (unsigned i = hash_key(key) & (unsigned)(f->hash_cap - 1);; i = (i + 1) & (unsigned)(f->hash_cap - 1)) {
        int e = f->hash[i];
        if (e < 0) return -1;
        if (strcmp(f->lines[e].key, key) == 0) return e;
    }
}

static void hash_insert(ini_file *f, int e) {
    unsigned i = hash_key(f->lines[e].key) & (unsigned)(f->hash_cap - 1);
    while (f->hash[i] >= 0) i = (i + 1) & (unsigned)(f->hash_cap - 1);
    f->hash[i] = e;
}

static void add_line_entry(ini_file *f, char *key, int line) {
    f->lines = xrealloc(f->lines, sizeof *f->lines * (size_t)(f->n_lines + 1));
    f->lines[f->n_lines++] = (ini_line_entry){key, line};
    if ((f->n_lines + 1) * 2 > f->hash_cap) { /* keep the table at most half full */
        free(f->hash);
        f->hash_cap = f->hash_cap ? f->hash_cap * 2 : 64;
        f->hash = xcalloc((size_t)f->hash_cap, sizeof *f->hash);
        for (int i = 0; i < f->hash_cap; i++) f->hash[i] = -1;
        for (int e = 0; e < f->n_lines; e++) hash_insert(f, e);
    } else {
        hash_insert(f, f->n_lines - 1);
    }
}

/* Indexes sections and keys by line and finds what iniparser would accept silently. */
static void scan(ini_file *f, const char *buf, size_t len, diag *d) {
    char section[INI_MAX_LINE + 1] = "";
    bool have_section = false, continued = false;
    int lineno = 0;
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        lineno++;
        size_t n = (size_t)(eol - p);
        if (n && p[n - 1] == '\r') n--;
        if (n > INI_MAX_LINE) diag_add(d, f->name, lineno, NULL, false, "line is longer than %d bytes", INI_MAX_LINE);
        if (memchr(p, '\0', n) || !utf8_valid(p, n))
            diag_add(d, f->name, lineno, NULL, false, "line is not valid UTF-8 text");
        const char *s = p, *e = p + n;
        while (s < e && isspace((unsigned char)*s)) s++;
        while (e > s && isspace((unsigned char)e[-1])) e--;
        bool was_continued = continued;
        continued = e > s && e[-1] == '\\';
        if (!was_continued && s < e && *s != ';' && *s != '#') {
            if (*s == '[') {
                const char *close = e - 1;
                if (*close != ']') {
                    diag_add(d, f->name, lineno, NULL, false, "section header without a closing ']'");
                } else {
                    char *name = trimmed_copy(s + 1, close);
                    snprintf(section, sizeof section, "%s", name);
                    have_section = true;
                    int prev = find_line_entry(f, name);
                    if (!*name) {
                        diag_add(d, f->name, lineno, NULL, false, "empty section name");
                        free(name);
                    } else if (prev >= 0) {
                        diag_add(d, f->name, lineno, name, false, "duplicate section (first at line %d)",
                                 f->lines[prev].line);
                        free(name);
                    } else {
                        add_line_entry(f, name, lineno);
                    }
                }
            } else {
                const char *eq = memchr(s, '=', (size_t)(e - s));
                if (!eq) {
                    diag_add(d, f->name, lineno, NULL, false, "expected `key = value` or `[section]`");
                } else {
                    char *key = trimmed_copy(s, eq);
                    size_t kl = strlen(section) + strlen(key) + 2;
                    char *full = xcalloc(kl, 1);
                    snprintf(full, kl, "%s:%s", section, key);
                    int prev = find_line_entry(f, full);
                    char dotted[INI_MAX_LINE * 2 + 2];
                    snprintf(dotted, sizeof dotted, "%s.%s", section, key);
                    if (!*key) {
                        diag_add(d, f->name, lineno, NULL, false, "empty key name");
                        free(full);
                    } else if (!have_section) {
                        diag_add(d, f->name, lineno, key, false, "key outside any [section]");
                        free(full);
                    } else if (prev >= 0) {
                        diag_add(d, f->name, lineno, dotted, false, "duplicate key (first at line %d)",
                                 f->lines[prev].line);
                        free(full);
                    } else {
                        add_line_entry(f, full, lineno);
                    }
                    free(key);
                }
            }
        }
        p = eol < end ? eol + 1 : end;
    }
}

/* Turns iniparser's own messages ("... in FILE (LINE): ...") into diagnostics. */
static void report_captured(ini_file *f, diag *d) {
    char *msg = captured;
    while (*msg) {
        char *nl = strchr(msg, '\n');
        if (nl) *nl = '\0';
        if (strncmp(msg, "->", 2) != 0 && *msg) {
            int line = 0;
            const char *paren = strrchr(msg, '(');
            if (paren) line = atoi(paren + 1);
            const char *what = strncmp(msg, "iniparser: ", 11) == 0 ? msg + 11 : msg;
            char text[256];
            snprintf(text, sizeof text, "%.255s", what);
            char *in = strstr(text, " in ");
            if (in) *in = '\0';
            diag_add(d, f->name, line, NULL, false, "%s", text);
        }
        if (!nl) break;
        msg = nl + 1;
    }
    captured[0] = '\0';
}

static bool load(ini_file *f, const char *path, const char *buf, size_t len, diag *d) {
    int before = d->errors;
    scan(f, buf, len, d);
    captured[0] = '\0';
    iniparser_set_error_callback(capture_errors);
    dictionary *dict = iniparser_load(path);
    iniparser_set_error_callback(NULL);
    if (captured[0]) report_captured(f, d);
    if (!dict && d->errors == before) diag_add(d, f->name, 0, NULL, false, "could not be parsed");
    f->dict = dict;
    if (d->errors > before) {
        ini_close(f);
        return false;
    }
    return true;
}

static bool read_whole(const char *path, char **out, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp) return false;
    size_t cap = 8192, n = 0;
    char *buf = xcalloc(cap, 1);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n > INI_MAX_FILE) {
            fclose(fp);
            free(buf);
            errno = EFBIG;
            return false;
        }
        if (n == cap) buf = xrealloc(buf, cap *= 2);
    }
    bool ok = !ferror(fp);
    fclose(fp);
    if (!ok) {
        free(buf);
        return false;
    }
    *out = buf;
    *len = n;
    return true;
}

bool ini_open(ini_file *f, const char *path, diag *d) {
    *f = (ini_file){0};
    f->name = xstrdup(path);
    char *buf;
    size_t len;
    if (!read_whole(path, &buf, &len)) {
        diag_add(d, path, 0, NULL, false, "cannot be read: %s",
                 errno == EFBIG ? "larger than 16 MiB" : strerror(errno));
        ini_close(f);
        return false;
    }
    bool ok = load(f, path, buf, len, d);
    free(buf);
    return ok;
}

bool ini_open_buffer(ini_file *f, const char *buf, size_t len, const char *name, diag *d) {
    *f = (ini_file){0};
    f->name = xstrdup(name);
    /* iniparser only reads files: hand it an anonymous in-memory file (nothing touches the disk). */
    int fd = memfd_create("triage-ini", MFD_CLOEXEC);
    if (fd < 0) {
        diag_add(d, name, 0, NULL, false, "cannot create an in-memory file: %s", strerror(errno));
        ini_close(f);
        return false;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, buf + off, len - off);
        if (w <= 0) {
            diag_add(d, name, 0, NULL, false, "cannot write an in-memory file: %s", strerror(errno));
            close(fd);
            ini_close(f);
            return false;
        }
        off += (size_t)w;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    bool ok = load(f, path, buf, len, d);
    close(fd);
    return ok;
}

void ini_close(ini_file *f) {
    if (f->dict) iniparser_freedict(f->dict);
    for (int i = 0; i < f->n_lines; i++) free(f->lines[i].key);
    free(f->lines);
    free(f->hash);
    free(f->name);
    *f = (ini_file){0};
}

static void full_key(char *buf, size_t size, const char *section, const char *key) {
    snprintf(buf, size, "%s%s%s", section, key ? ":" : "", key ? key : "");
    lower(buf);
}

const char *ini_get(const ini_file *f, const char *section, const char *key) {
    if (!f->dict) return NULL;
    char k[2048];
    full_key(k, sizeof k, section, key);
    return iniparser_getstring(f->dict, k, NULL);
}

int ini_line(const ini_file *f, const char *section, const char *key) {
    char k[2048];
    full_key(k, sizeof k, section, key);
    int i = find_line_entry(f, k);
    return i >= 0 ? f->lines[i].line : 0;
}

bool ini_has_section(const ini_file *f, const char *section) { return ini_line(f, section, NULL) > 0; }

strlist ini_sections(const ini_file *f) {
    strlist l = {0};
    for (int i = 0; i < f->n_lines; i++)
        if (!strchr(f->lines[i].key, ':')) {
            l.v = xrealloc(l.v, sizeof(char *) * (size_t)(l.n + 1));
            l.v[l.n++] = xstrdup(f->lines[i].key);
        }
    return l;
}

strlist ini_keys(const ini_file *f, const char *section) {
    strlist l = {0};
    char prefix[1100];
    full_key(prefix, sizeof prefix, section, NULL);
    size_t pl = strlen(prefix);
    int start = find_line_entry(f, prefix);
    if (start < 0) return l;
    /* a section's keys follow its header in file order, up to the next header */
    for (int i = start + 1; i < f->n_lines && strchr(f->lines[i].key, ':'); i++) {
        const char *k = f->lines[i].key;
        if (strncmp(k, prefix, pl) == 0 && k[pl] == ':') {
            l.v = xrealloc(l.v, sizeof(char *) * (size_t)(l.n + 1));
            l.v[l.n++] = xstrdup(k + pl + 1);
        }
    }
    return l;
}

void ini_check_keys(const ini_file *ini, const char *section, const char *const *allowed, bool as_error,
                    diag *d) {
    strlist keys = ini_keys(ini, section);
    for (int i = 0; i < keys.n; i++) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++) {
            size_t n = strlen(*a);
            ok = (*a)[n - 1] == '*' ? strncmp(keys.v[i], *a, n - 1) == 0 : strcmp(keys.v[i], *a) == 0;
        }
        if (!ok) {
            char k[512];
            snprintf(k, sizeof k, "%s.%s", section, keys.v[i]);
            diag_add(d, ini->name, ini_line(ini, section, keys.v[i]), k, !as_error, "unknown key");
        }
    }
    strlist_free(&keys);
}
