#include "fhir_hidden.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "secret.h"

/* base64 inside base64 is opened this many times; deeper is refused as not opened (twenty-sixth outside integrator:
 * a positive ASQ as base64 of base64 was saved green) */
#define NESTED_BASE64_MAX 3
/* a plain string this long or longer, all of base64's alphabet, is opened too (a screen in an extension's
 * valueString as base64) */
#define PLAIN_BASE64_MIN 24

static bool starts(const unsigned char *b, size_t n, const char *magic, size_t m) {
    return n >= m && memcmp(b, magic, m) == 0;
}

static const char *compressed_kind(const unsigned char *b, size_t n) {
    if (starts(b, n, "\x1f\x8b", 2)) return "gzip-compressed";
    if (starts(b, n, "PK\x03\x04", 4) || starts(b, n, "PK\x05\x06", 4)) return "a zip archive";
    if (starts(b, n, "BZh", 3) && n > 3 && b[3] >= '1' && b[3] <= '9') return "bzip2-compressed";
    if (starts(b, n, "\xfd" "7zXZ", 6)) return "xz-compressed";
    if (starts(b, n, "7z\xbc\xaf\x27\x1c", 6)) return "a 7-Zip archive";
    if (starts(b, n, "\x28\xb5\x2f\xfd", 4)) return "zstd-compressed";
    if (n >= 2 && b[0] == 0x78 && (b[1] == 0x01 || b[1] == 0x9c || b[1] == 0xda)) return "zlib-compressed";
    return NULL;
}

/* a document for a person: what it shows is for a reader, as a letter on paper is (README: a screen filled on paper
 * and scanned is entered by hand) */
static bool document(const unsigned char *b, size_t n) {
    return starts(b, n, "%PDF-", 5) || starts(b, n, "\x89PNG\r\n\x1a\n", 8) || starts(b, n, "\xff\xd8\xff", 3) ||
           starts(b, n, "GIF87a", 6) || starts(b, n, "GIF89a", 6) || starts(b, n, "II*\0", 4) ||
           starts(b, n, "MM\0*", 4) || (n >= 12 && !memcmp(b, "RIFF", 4) && !memcmp(b + 8, "WEBP", 4)) ||
           (n >= 132 && !memcmp(b + 128, "DICM", 4));
}

/* UTF-16 or UTF-32 text: a byte-order mark, or ASCII with a zero byte beside each letter */
static bool wide_text(const unsigned char *b, size_t n) {
    if (starts(b, n, "\xff\xfe", 2) || starts(b, n, "\xfe\xff", 2)) return true;
    size_t m = n < 64 ? n : 64, zero[2] = {0, 0};
    for (size_t i = 0; i < m; i++) zero[i & 1] += b[i] == 0;
    return m >= 8 && (zero[0] * 4 >= m * 3 / 2 || zero[1] * 4 >= m * 3 / 2) && zero[0] + zero[1] < m;
}

/* Whether b is UTF-8 text: well-formed, and no control characters but blanks (raw deflate and random bytes hold
 * no zero byte as often as not: twenty-seventh outside integrator) */
static bool utf8_text(const unsigned char *b, size_t n) {
    for (size_t i = 0; i < n;) {
        unsigned c = b[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (!len || i + len > n || (len == 2 && c < 0xC2)) return false;
        for (size_t k = 1; k < len; k++)
            if ((b[i + k] & 0xC0) != 0x80) return false;
        if (len == 1 && c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return false;
        if (c == 0x7F) return false;
        i += len;
    }
    return true;
}

/* A charset other than UTF-8 said in a contentType ("text/plain; charset=GBK"): 8-bit text, read as it is */
static bool other_charset(const char *content_type) {
    const char *cs = content_type ? strcasestr(content_type, "charset=") : NULL;
    if (!cs) return false;
    cs += 8;
    while (*cs == '"' || *cs == ' ') cs++;
    return strncasecmp(cs, "utf-8", 5) != 0 && strncasecmp(cs, "utf8", 4) != 0;
}

static bool says_text(const char *content_type) {
    if (!content_type) return false;
    return !strncasecmp(content_type, "text/", 5) || strcasestr(content_type, "json") || strcasestr(content_type, "xml");
}

static bool base64_alphabet(const char *t, size_t n, size_t min) {
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (isalnum(c) || c == '+' || c == '/') letters++;
        else if (c != '=' && c != '\r' && c != '\n' && c != ' ' && c != '\t') return false;
    }
    return letters >= min;
}

/* bytes b (in sodium memory, NUL-ended, owned by the caller until given to *text) classified; depth: how many times
 * base64 was opened to reach them */
static attach_kind classify(char *b, size_t n, const char *content_type, int depth, char **text, size_t *len, char *why,
                            size_t why_size) {
    const unsigned char *u = (const unsigned char *)b;
    const char *packed = compressed_kind(u, n);
    if (packed) {
        snprintf(why, why_size, "%s", packed);
        secret_free(b);
        return ATTACH_UNOPENABLE;
    }
    if (document(u, n)) {
        /* judged by its first bytes, but a response's JSON or XML after them is read all the same (twenty-eighth
         * outside integrator: "%PDF-1.4" and then a positive PHQ-9's JSON was passed over) */
        bool holds = (memmem(b, n, "QuestionnaireResponse", 21) && memmem(b, n, "\"resourceType\"", 14)) ||
                     memmem(b, n, "<QuestionnaireResponse", 22);
        secret_free(b);
        if (!holds) return ATTACH_DOCUMENT;
        snprintf(why, why_size, "a document that holds a QuestionnaireResponse");
        return ATTACH_UNOPENABLE;
    }
    if (wide_text(u, n)) {
        snprintf(why, why_size, "UTF-16 or UTF-32 text: triage reads attachments as UTF-8");
        secret_free(b);
        return ATTACH_UNOPENABLE;
    }
    if (memchr(b, '\0', n) || (!utf8_text(u, n) && !other_charset(content_type))) {
        /* binary of no kind known: what it holds is not known (only a document for a person, a PDF or an image, is
         * passed over; README) */
        bool names = memmem(b, n, "QuestionnaireResponse", 21) != NULL;
        secret_free(b);
        snprintf(why, why_size, "%s", names ? "binary data that names a QuestionnaireResponse"
                                  : says_text(content_type) ? "not UTF-8 text, though its contentType says text"
                                                            : "binary data of a kind triage does not know");
        return ATTACH_UNOPENABLE;
    }
    size_t skip = starts(u, n, "\xef\xbb\xbf", 3) ? 3 : 0; /* a UTF-8 byte-order mark */
    if (base64_alphabet(b + skip, n - skip, 16)) {            /* base64 inside base64 */
        size_t inner_n = 0;
        char *inner = secret_base64_open(b + skip, n - skip, &inner_n);
        if (inner && depth >= NESTED_BASE64_MAX) {
            secret_free(inner);
            secret_free(b);
            snprintf(why, why_size, "base64 inside base64 more than %d times", NESTED_BASE64_MAX);
            return ATTACH_UNOPENABLE;
        }
        /* taken when what is inside is text or of a kind known; binary of no kind known under a word of base64's
         * letters ("Referral", a hash) is chance: the word itself is the text */
        const unsigned char *iu = (const unsigned char *)inner;
        if (inner && (utf8_text(iu, inner_n) || compressed_kind(iu, inner_n) || document(iu, inner_n) ||
                      wide_text(iu, inner_n))) {
            secret_free(b);
            return classify(inner, inner_n, NULL, depth + 1, text, len, why, why_size);
        }
        secret_free(inner);
    }
    if (skip) memmove(b, b + skip, n - skip + 1);
    *text = b;
    *len = n - skip;
    return ATTACH_TEXT;
}

bool fhir_attachment_open(const char *b64, size_t b64_len, const char *content_type, attach_kind *kind, char **text,
                          size_t *len, char *why, size_t why_size) {
    *text = NULL;
    *len = 0;
    if (why_size) why[0] = '\0';
    size_t n = 0;
    char *b = secret_base64_open(b64, b64_len, &n);
    if (!b) return false;
    *kind = classify(b, n, content_type, 0, text, len, why, why_size);
    return true;
}

typedef struct {
    const char *const *codes;
    hidden_place *out;
    char path[160];
} walk;

__attribute__((format(printf, 3, 4))) static bool found(walk *w, bool unopenable, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->out->what, sizeof w->out->what, fmt, ap);
    va_end(ap);
    snprintf(w->out->path, sizeof w->out->path, "%s", w->path[0] == '.' ? w->path + 1 : w->path);
    w->out->unopenable = unopenable;
    return true;
}

/* A resourceType that means a QuestionnaireResponse however it is spelt ("QuestionnaireResponce", lower case) */
static bool screen_type(const char *t) {
    char letters[32];
    size_t n = 0;
    for (; t && *t && n + 1 < sizeof letters; t++)
        if (isalpha((unsigned char)*t)) letters[n++] = (char)tolower((unsigned char)*t);
    letters[n] = '\0';
    return !strncmp(letters, "questionnaireres", 16);
}

/* the first of the codes that a string of v (at any depth) holds, or NULL */
static const char *named_code(json_t *v, const char *const *codes) {
    size_t k;
    json_t *x;
    const char *key;
    if (json_is_string(v)) {
        for (int i = 0; codes && codes[i]; i++)
            if (strstr(json_string_value(v), codes[i])) return codes[i];
        return NULL;
    }
    const char *c = NULL;
    if (json_is_array(v)) json_array_foreach(v, k, x) if ((c = named_code(x, codes))) return c;
    if (json_is_object(v)) json_object_foreach(v, key, x) if ((c = named_code(x, codes))) return c;
    return NULL;
}

static bool walk_value(walk *w, json_t *v, bool top, json_t *parent, const char *key, int depth);

/* text found where triage reads no answers (an attachment's, a string's): a response or a safety item's resource in
 * it. json: the text may be a resource's JSON (a string that begins so, an attachment) */
static bool text_hides(walk *w, const char *t, size_t n, bool json, const char *as, int depth) {
    while (n && (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n')) t++, n--;
    if (json && n && (*t == '{' || *t == '[') && depth < 8) {
        json_t *doc = json_loadb(t, n, 0, NULL);
        if (doc) {
            bool hit = walk_value(w, doc, false, NULL, NULL, depth + 1);
            json_decref(doc);
            if (hit) {
                size_t l = strlen(w->out->what); /* what it was, and how it was carried */
                snprintf(w->out->what + l, sizeof w->out->what - l, ", %s", as);
                return true;
            }
            return false;
        }
    }
    bool response = (strcasestr(t, "questionnaireresponse") && strstr(t, "\"resourceType\"")) ||
                    strstr(t, "<QuestionnaireResponse");
    if (response && json) return found(w, false, "a QuestionnaireResponse triage does not read, %s", as);
    return false;
}

/* how a base64 value is taken: an attachment (what cannot be opened refuses), a signature (binary bytes are the
 * signature: only compressed or UTF-16 content refuses), or a string that may be base64 (only text is read) */
enum { ATTACH_ALL, ATTACH_SIGNATURE, ATTACH_STRING };

static bool open_attachment(walk *w, const char *b64, size_t len, const char *content_type, int mode, const char *as,
                            int depth) {
    attach_kind kind;
    char *text = NULL, why[120];
    size_t n = 0;
    if (!fhir_attachment_open(b64, len, content_type, &kind, &text, &n, why, sizeof why)) {
        if (mode == ATTACH_ALL) return found(w, true, "an attachment triage cannot open (its data is not base64)");
        return false;
    }
    bool signature_bytes = mode == ATTACH_SIGNATURE && (strstr(why, "binary data of a kind") == why || strstr(why, "not UTF-8") == why);
    bool hit = false;
    if (kind == ATTACH_UNOPENABLE && mode != ATTACH_STRING && !signature_bytes)
        hit = found(w, true, "an attachment triage cannot open (%s)", why);
    else if (kind == ATTACH_TEXT) hit = text_hides(w, text, n, true, as, depth);
    secret_free(text);
    return hit;
}

/* a data: URL (RFC 2397): "data:[type][;base64],payload" */
static bool open_data_url(walk *w, const char *url, int depth) {
    const char *comma = strchr(url, ',');
    if (!comma) return found(w, true, "an attachment triage cannot open (a data: URL without its comma)");
    char type[120];
    snprintf(type, sizeof type, "%.*s", (int)(comma - url - 5 < 119 ? comma - url - 5 : 119), url + 5);
    bool b64 = strstr(type, ";base64") != NULL;
    if (b64) return open_attachment(w, comma + 1, strlen(comma + 1), type, ATTACH_ALL, "in a data: URL", depth);
    /* percent-encoded text */
    size_t n = strlen(comma + 1), o = 0;
    char *t = secret_alloc(n + 1);
    if (!t) return found(w, true, "an attachment triage cannot open (out of memory)");
    for (const char *p = comma + 1; *p; p++) {
        if (p[0] == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
            char hex[3] = {p[1], p[2], '\0'};
            t[o++] = (char)strtol(hex, NULL, 16);
            p += 2;
        } else {
            t[o++] = *p;
        }
    }
    t[o] = '\0';
    bool hit = strlen(t) < o ? found(w, true, "an attachment triage cannot open (a data: URL with a zero byte)")
                             : text_hides(w, t, o, true, "in a data: URL", depth);
    secret_free(t);
    return hit;
}

/* Whether an attachment's URL names what FHIR serves, not a document: a response anywhere in it (any case), a resource
 * of the kinds that carry answers as FHIR names them (capitalised) followed by its id, a search or an operation, or a
 * FHIR operation ("/$everything"); percent-encoding read first (every %XX: "%51uestionnaireResponse" is one); a urn:
 * (an entry by its name, whose bytes are not here). A Binary or a Media whose contentType says a document for a person
 * (a PDF, an image, HTML or plain text) is that document, as US Core serves DocumentReference content (thirtieth
 * outside integrator: "Binary/eXyz123" as application/pdf was refused, and "/media/leaflets/..." of a website).
 * Twenty-ninth: "…/QuestionnaireResponse?subject=Patient/1", "Patient/1/$everything", "QuestionnaireResponse%2F1",
 * "urn:uuid:…", and "…/QuestionnaireResponse/1" with contentType application/pdf, were passed over. */
static bool url_names_fhir(const char *url, const char *content_type) {
    char u[1024], lower[1024];
    size_t o = 0;
    for (const char *c = url; *c && o + 1 < sizeof u; c++) {
        if (c[0] == '%' && isxdigit((unsigned char)c[1]) && isxdigit((unsigned char)c[2])) {
            char hex[3] = {c[1], c[2], 0};
            long v = strtol(hex, NULL, 16);
            if (v > 0) {
                u[o++] = (char)v;
                c += 2;
                continue;
            }
        }
        u[o++] = *c;
    }
    u[o] = '\0';
    for (size_t i = 0; i <= o; i++) lower[i] = (char)tolower((unsigned char)u[i]);
    if (!strncmp(lower, "urn:", 4) || strstr(lower, "questionnaireresponse") || strstr(u, "/$")) return true;
    const char *ct = content_type ? content_type : "";
    bool document = !strncasecmp(ct, "application/pdf", 15) || !strncasecmp(ct, "image/", 6) ||
                    !strncasecmp(ct, "text/html", 9) || !strncasecmp(ct, "text/plain", 10);
    static const char *const kinds[] = {"Binary", "Media", "Observation", "Bundle", "DocumentReference", "Parameters",
                                        "RiskAssessment", "Condition", "Composition", "DiagnosticReport", "Flag", "Task",
                                        "Communication", NULL};
    for (int i = 0; kinds[i]; i++) {
        if (document && i < 2) continue; /* a document served as a Binary or a Media */
        size_t len = strlen(kinds[i]);
        for (const char *at = strstr(u, kinds[i]); at; at = strstr(at + 1, kinds[i])) {
            char before = at == u ? '/' : at[-1], after = at[len];
            if (before == '/' && (after == '/' || after == '?' || after == '$' || after == '#' || after == '\0'))
                return true;
        }
    }
    return false;
}

static bool walk_string(walk *w, const char *t, size_t n, bool top, json_t *parent, const char *key, int depth) {
    const char *content_type = json_string_value(json_object_get(parent, "contentType"));
    /* a signature's data (its sigFormat the type): a signature's bytes are binary, and that is no attachment to open;
     * what is text in it, compressed or UTF-16 is looked into all the same (twenty-seventh outside integrator) */
    bool signature = json_object_get(parent, "sigFormat") || json_object_get(parent, "targetFormat") ||
                     (json_object_get(parent, "who") && json_object_get(parent, "when"));
    if (signature && !content_type) content_type = json_string_value(json_object_get(parent, "sigFormat"));
    /* SampledData's data is numbers, no base64 */
    bool sampled = json_object_get(parent, "dimensions") || json_object_get(parent, "origin");
    if (key && !strcmp(key, "valueBase64Binary")) return open_attachment(w, t, n, content_type, ATTACH_ALL, "in an attachment", depth);
    if (key && !strcmp(key, "data") && !sampled)
        return open_attachment(w, t, n, content_type, signature ? ATTACH_SIGNATURE : ATTACH_ALL,
                               signature ? "in a signature" : "in an attachment", depth);
    if (key && !strcmp(key, "url") && !strncasecmp(t, "data:", 5)) return open_data_url(w, t, depth);
    /* an attachment by URL whose type says a FHIR resource, JSON or XML: its content is not in the file */
    if (key && !strcmp(key, "url") && content_type && json_object_get(parent, "data") == NULL &&
        (strcasestr(content_type, "json") || strcasestr(content_type, "xml")))
        return found(w, true, "an attachment triage cannot open (`%.30s` by URL: not in the file)", content_type);
    /* ...and with no contentType, one whose URL names a FHIR resource or a JSON or XML file (twenty-eighth outside
     * integrator: "https://ehr.example/fhir/QuestionnaireResponse/5", "Binary/5" were passed over) */
    bool attachment = strcasestr(w->path, "attachment") || strstr(w->path, "content[");
    if (key && !strcmp(key, "url") && json_object_get(parent, "data") == NULL && attachment && url_names_fhir(t, content_type))
        return found(w, true, "an attachment triage cannot open (a FHIR resource, search or operation by URL: not in "
                              "the file)");
    if (key && !strcmp(key, "url") && !content_type && json_object_get(parent, "data") == NULL && attachment) {
        static const char *const kinds[] = {"QuestionnaireResponse/", "Binary/", "Observation/", "Bundle/",
                                            "DocumentReference/", "Parameters/", ".json", ".xml", NULL};
        for (int i = 0; kinds[i]; i++)
            if (strcasestr(t, kinds[i]))
                return found(w, true, "an attachment triage cannot open (a FHIR resource or a file by URL, with no "
                                      "contentType: not in the file)");
    }
    if (top) { /* the resource itself written as a string */
        if (text_hides(w, t, n, true, "written as a string", depth)) return true;
        return strcasestr(t, "questionnaireresponse") &&
               found(w, false, "a QuestionnaireResponse triage does not read, written as a string");
    }
    if (text_hides(w, t, n, true, "written as a string", depth)) return true;
    if (n >= PLAIN_BASE64_MIN && base64_alphabet(t, n, PLAIN_BASE64_MIN))
        return open_attachment(w, t, n, NULL, ATTACH_STRING, "in a string as base64", depth);
    return false;
}

static size_t path_push(walk *w, const char *key, size_t index, bool is_index) {
    size_t at = strlen(w->path);
    if (is_index) snprintf(w->path + at, sizeof w->path - at, "[%zu]", index);
    else snprintf(w->path + at, sizeof w->path - at, ".%s", key);
    return at;
}

static bool walk_value(walk *w, json_t *v, bool top, json_t *parent, const char *key, int depth) {
    size_t k;
    json_t *x;
    const char *member;
    if (json_is_string(v)) return walk_string(w, json_string_value(v), json_string_length(v), top, parent, key, depth);
    if (json_is_array(v)) {
        json_array_foreach(v, k, x) {
            size_t at = path_push(w, NULL, k, true);
            bool hit = walk_value(w, x, false, parent, key, depth);
            w->path[at] = '\0';
            if (hit) return true;
        }
        return false;
    }
    if (!json_is_object(v)) return false;
    const char *type = json_string_value(json_object_get(v, "resourceType"));
    if (top && type && screen_type(type) && strcmp(type, "QuestionnaireResponse") != 0)
        return found(w, false, "a QuestionnaireResponse under the resourceType `%.40s`", type);
    /* a resource with no resourceType (or one that is no string) that has a response's questionnaire and items */
    if (top && !type && json_object_get(v, "questionnaire") && json_is_array(json_object_get(v, "item")))
        return found(w, false, "a QuestionnaireResponse without its resourceType");
    if (!top && type) {
        if (!strcmp(type, "Questionnaire")) return false; /* a form's definition, blank, states no answer */
        if (screen_type(type)) return found(w, false, "a QuestionnaireResponse");
        /* an Observation of a safety item where no resource is read (a string, an attachment, an entry's
         * response.outcome); a Bundle entry's `resource` is read as a resource of its own */
        const char *code = key && !strcmp(key, "resource") ? NULL : named_code(v, w->codes);
        if (code) return found(w, false, "a %.40s naming %s", type, code);
    }
    json_object_foreach(v, member, x) {
        if (!strcmp(member, "contained")) continue; /* read as resources of their own */
        size_t at = path_push(w, member, 0, false);
        bool hit = walk_value(w, x, false, v, member, depth);
        w->path[at] = '\0';
        if (hit) return true;
    }
    return false;
}

bool fhir_hidden_screen(json_t *v, bool top, const char *const *codes, hidden_place *out) {
    walk w = {codes, out, ""};
    memset(out, 0, sizeof *out);
    return walk_value(&w, v, top, NULL, NULL, 0);
}

bool fhir_hidden_in_parts(json_t *o, const char *const *skip, const char *const *codes, hidden_place *out) {
    walk w = {codes, out, ""};
    memset(out, 0, sizeof *out);
    const char *member;
    json_t *x;
    if (!json_is_object(o)) return false;
    json_object_foreach(o, member, x) {
        bool skipped = !strcmp(member, "contained");
        for (int i = 0; skip && skip[i] && !skipped; i++) skipped = !strcmp(member, skip[i]);
        if (skipped) continue;
        size_t at = path_push(&w, member, 0, false);
        bool hit = walk_value(&w, x, false, o, member, 0);
        w.path[at] = '\0';
        if (hit) return true;
    }
    return false;
}
