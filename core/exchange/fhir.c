#include "fhir.h"

#include <ctype.h>
#include <stdlib.h>

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "clock.h"

void fhir_questionnaire_url(const form *f, char *out, size_t size) {
    snprintf(out, size, "%s%s", FHIR_QUESTIONNAIRE_BASE, f->id);
}

void fhir_response_questionnaire(const form *f, char *out, size_t size) {
    bool all_loinc = f->loinc && *f->loinc;
    for (int i = 0; all_loinc && i < f->n_items; i++) all_loinc = f->items[i].loinc && *f->items[i].loinc;
    if (all_loinc) snprintf(out, size, "%s%s", FHIR_LOINC_QUESTIONNAIRE_BASE, f->loinc);
    else fhir_questionnaire_canonical(f, out, size); /* an item LOINC's form does not have: not LOINC's response */
}

void fhir_questionnaire_canonical(const form *f, char *out, size_t size) {
    if (f->version && *f->version) snprintf(out, size, "%s%s|%s", FHIR_QUESTIONNAIRE_BASE, f->id, f->version);
    else fhir_questionnaire_url(f, out, size);
}

/* Whether word is one of the space-separated words of list. */
static bool in_words(const char *list, const char *word) {
    size_t n = strlen(word);
    for (const char *p = list; p && *p;) {
        while (*p == ' ' || *p == '\t') p++;
        const char *end = p;
        while (*end && *end != ' ' && *end != '\t') end++;
        if ((size_t)(end - p) == n && n && !strncmp(p, word, n)) return true;
        p = end;
    }
    return false;
}

/* url without its scheme (http, https) and a leading www.: a sender's https://triage.example/... is the canonical */
static const char *url_rest(const char *u) {
    if (!strncasecmp(u, "http://", 7)) u += 7;
    else if (!strncasecmp(u, "https://", 8)) u += 8;
    if (!strncasecmp(u, "www.", 4)) u += 4;
    return u;
}

const form *fhir_form_of(const formset *fs, const char *url) {
    if (!url) return NULL;
    char u[512];
    snprintf(u, sizeof u, "%s", url);
    char *bar = strchr(u, '|');
    if (bar) *bar = '\0';
    for (int i = 0; i < fs->n; i++) {
        char mine[256];
        fhir_questionnaire_url(fs->v[i], mine, sizeof mine);
        if (strcmp(url_rest(mine), url_rest(u)) == 0 || in_words(fs->v[i]->fhir_aliases, u)) return fs->v[i];
    }
    for (int i = 0; i < fs->n; i++) /* the local name of earlier exports, also for a form with a LOINC code */
        if (!strncmp(u, "urn:triage:questionnaire:", 25) && !strcmp(u + 25, fs->v[i]->id)) return fs->v[i];
    /* LOINC's panel under any base (http://loinc.org/q/44249-1, https://.../Questionnaire/44249-1) */
    const char *last = strrchr(u, '/');
    last = last ? last + 1 : u;
    for (int i = 0; i < fs->n && *last; i++)
        if (fs->v[i]->loinc && !strcmp(fs->v[i]->loinc, last)) return fs->v[i];
    return NULL;
}

bool fhir_loinc_system(const char *system) {
    if (!system) return false;
    const char *t = system;
    if (!strncasecmp(t, "urn:oid:", 8)) t += 8;
    if (!strcmp(t, "2.16.840.1.113883.6.1")) return true;
    if (!strncasecmp(t, "http://", 7)) t += 7;
    else if (!strncasecmp(t, "https://", 8)) t += 8;
    if (!strncasecmp(t, "www.", 4)) t += 4;
    return !strcasecmp(t, "loinc.org") || !strcasecmp(t, "loinc.org/");
}

/* The length of the blank at p (an ASCII space, a no-break space, a zero-width space or joiner, a byte-order mark,
 * the Unicode spaces U+2000-U+200A and U+3000), or 0. */
static size_t blank_at(const unsigned char *p, size_t n) {
    if (n >= 1 && p[0] < 0x80 && isspace(p[0])) return 1;
    if (n >= 2 && p[0] == 0xc2 && p[1] == 0xa0) return 2;                                  /* U+00A0 */
    if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] <= 0x8d || p[2] == 0xaf)) return 3; /* U+2000-200D, 202F */
    if (n >= 3 && p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0xa0) return 3;                   /* U+2060 */
    if (n >= 3 && p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) return 3;                   /* U+3000 */
    if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) return 3;                   /* U+FEFF */
    return 0;
}

/* The blank that ends the n bytes at p (its length), or 0. */
static size_t blank_before(const unsigned char *p, size_t n) {
    for (size_t len = 1; len <= 3 && len <= n; len++)
        if (blank_at(p + n - len, len) == len) return len;
    return 0;
}

/* A code or linkId's look-alikes as the ASCII they stand for, into out (at most the input's length): a digit of any
 * script (Arabic-Indic, Devanagari, full-width, mathematical) as its ASCII digit, a dash or minus sign as "-",
 * full-width letters as ASCII, and format characters and spaces inside it (a soft hyphen, a zero-width space, a bidi
 * mark) dropped. "44260\u20138" (an en dash from a word processor) named no item, and item 9 "nearly every day" went
 * unseen (seventeenth and eighteenth outside integrators). Not UTF-8: as it is. */
static size_t code_ascii(const unsigned char *in, size_t n, char *out) {
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        ucs4_t uc;
        int step = u8_mbtouc(&uc, in + i, n - i);
        if (step <= 0 || uc < 0x80) {
            out[o++] = (char)in[i];
            i += step > 0 ? (size_t)step : 1;
            continue;
        }
        if (uc_digit_value(uc) >= 0) out[o++] = (char)('0' + uc_digit_value(uc)); /* circled and dingbat digits too */
        else if (uc_is_general_category(uc, UC_CATEGORY_Pd) || uc == 0x2212) out[o++] = '-';
        else if (uc >= 0xFF01 && uc <= 0xFF5E) out[o++] = (char)(uc - 0xFEE0);
        else if (!uc_is_general_category(uc, UC_CATEGORY_Cf) && !uc_is_general_category(uc, UC_CATEGORY_Zs)) {
            memcpy(out + o, in + i, (size_t)step); /* any other character as it is */
            o += (size_t)step;
        }
        i += (size_t)step;
    }
    return o;
}

void fhir_trim_codes(json_t *root) {
    if (json_is_array(root)) {
        size_t k;
        json_t *v;
        json_array_foreach(root, k, v) fhir_trim_codes(v);
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        const char *t = json_string_value(v);
        if (t && (!strcmp(key, "code") || !strcmp(key, "system") || !strcmp(key, "linkId") || !strcmp(key, "url"))) {
            const unsigned char *b = (const unsigned char *)t;
            size_t n = json_string_length(v), cut;
            while (n && (cut = blank_at(b, n)) > 0) b += cut, n -= cut;
            while (n && (cut = blank_before(b, n)) > 0) n -= cut;
            char ascii[256];
            /* compatibility forms first (superscript, subscript and circled digits: nineteenth outside integrator) */
            uint8_t nfkc_buf[256];
            size_t nfkc_n = sizeof nfkc_buf;
            const unsigned char *cb = b;
            size_t cn = n;
            uint8_t *nfkc = (!strcmp(key, "code") || !strcmp(key, "linkId")) && !u8_check(b, n)
                                ? u8_normalize(UNINORM_NFKC, b, n, nfkc_buf, &nfkc_n)
                                : NULL;
            if (nfkc && nfkc_n < sizeof ascii) cb = nfkc, cn = nfkc_n;
            size_t an = (!strcmp(key, "code") || !strcmp(key, "linkId")) && cn < sizeof ascii ? code_ascii(cb, cn, ascii) : 0;
            if (nfkc && nfkc != nfkc_buf) free(nfkc);
            if (an && (an != n || memcmp(ascii, b, n) != 0)) json_string_setn(v, ascii, an);
            else if (b != (const unsigned char *)t || n != json_string_length(v))
                json_string_setn(v, (const char *)b, n); /* jansson copies before it frees the old value */
        } else if (json_is_object(v) || json_is_array(v)) {
            fhir_trim_codes(v);
        }
    }
}

const char *fhir_link_id(const form *f, int item) {
    const form_item *it = &f->items[item];
    return it->loinc && *it->loinc ? it->loinc : it->id;
}

/* A linkId as LHC-Forms writes an item under its panel, "/PANEL/ITEM" (its R4 test data: "/54126-8/54131-8"): the
 * item's own part when PANEL is this form's LOINC panel, else the linkId unchanged (sixth outside integrator: such a
 * PHQ-9, item 9 "nearly every day", was refused as not PHQ-9's). */
static const char *under_panel(const form *f, const char *link_id) {
    size_t n = f->loinc ? strlen(f->loinc) : 0;
    if (n && link_id[0] == '/' && !strncmp(link_id + 1, f->loinc, n) && link_id[1 + n] == '/' && link_id[2 + n])
        return link_id + 1 + n;
    return link_id;
}

int fhir_item_of(const form *f, const char *link_id) {
    if (!link_id) return -1;
    for (int i = 0; i < f->n_items; i++) /* an alias is matched whole: "H1/T1/Q1" has slashes of its own */
        if (in_words(f->items[i].fhir_links, link_id)) return i;
    link_id = under_panel(f, link_id);
    if (link_id[0] == '/') link_id++;
    for (int i = 0; i < f->n_items; i++)
        if (!strcmp(fhir_link_id(f, i), link_id) || !strcmp(f->items[i].id, link_id)) return i;
    return -1;
}

bool fhir_is_total_link(const form *f, const char *link) {
    if (!link || !f->has_total) return false;
    if (in_words(f->fhir_total_links, link)) return true;
    link = under_panel(f, link);
    if (link[0] == '/') link++;
    return !strcmp(link, "total") || (f->total_loinc && !strcmp(link, f->total_loinc));
}

/* Whether link names item i of f by its LOINC code (with or without a leading '/', or under f's panel). */
static bool names_by_loinc(const form *f, int i, const char *link) {
    if (!link || i < 0 || !f->items[i].loinc || !*f->items[i].loinc) return false;
    link = under_panel(f, link);
    if (link[0] == '/') link++;
    return strcmp(f->items[i].loinc, link) == 0;
}

/* Every linkId of the items (and of groups' items, any depth) that is not a total names an item of f (loinc_only:
 * by its LOINC code). */
static bool items_fit(const form *f, json_t *items, bool loinc_only, int *named) {
    size_t k;
    json_t *it;
    json_array_foreach(items, k, it) {
        const char *link = json_string_value(json_object_get(it, "linkId"));
        json_t *sub = json_object_get(it, "item");
        if (json_is_array(sub) && !json_object_get(it, "answer")) {
            if (!items_fit(f, sub, loinc_only, named)) return false;
            continue;
        }
        if (fhir_is_total_link(f, link)) continue;
        int i = fhir_item_of(f, link);
        if (i < 0 || (loinc_only && !names_by_loinc(f, i, link))) return false;
        (*named)++;
    }
    return true;
}

const form *fhir_form_by_items(const formset *fs, json_t *items, bool loinc_only) {
    const form *best = NULL;
    for (int i = 0; i < fs->n; i++) {
        int named = 0;
        if (!items_fit(fs->v[i], items, loinc_only, &named) || named == 0) continue;
        if (!best || fs->v[i]->n_items < best->n_items) best = fs->v[i];
    }
    return best;
}

void fhir_total_code(const form *f, const char **system, const char **code) {
    if (f->total_loinc && *f->total_loinc) {
        *system = FHIR_LOINC;
        *code = f->total_loinc;
    } else {
        *system = FHIR_TOTALS;
        *code = f->id;
    }
}

json_t *fhir_coding(const char *system, const char *code, const char *display) {
    json_t *c = json_object();
    json_object_set_new(c, "system", json_string(system));
    json_object_set_new(c, "code", json_string(code));
    if (display) json_object_set_new(c, "display", json_string(display));
    return c;
}

void fhir_answer_coding(const form *f, int item, int c, char *system, size_t size, const char **code) {
    const char *loinc = form_answer_loinc(f, item, c);
    if (loinc) {
        snprintf(system, size, "%s", FHIR_LOINC);
        *code = loinc;
        return;
    }
    snprintf(system, size, "%s%s", FHIR_ANSWERS, f->id);
    *code = form_item_scale(f, item)->choices[c].code;
}

/* Whether an extension's url names one of HL7's StructureDefinitions, `name`: as R4 spells it, or with https, in
 * another case (a url is compared as written elsewhere; here a sender's spelling must not hide what it says). */
static bool hl7_extension(const char *url, const char *name) {
    if (!url) return false;
    const char *t = url;
    if (!strncasecmp(t, "http://", 7)) t += 7;
    else if (!strncasecmp(t, "https://", 8)) t += 8;
    if (!strncasecmp(t, "www.", 4)) t += 4;
    static const char base[] = "hl7.org/fhir/StructureDefinition/";
    if (strncasecmp(t, base, sizeof base - 1) != 0) return false;
    t += sizeof base - 1;
    size_t n = strlen(name);
    /* a version (|4.0.1) or a trailing "/" after the name is the same definition */
    return !strncasecmp(t, name, n) && (!t[n] || t[n] == '|' || (t[n] == '/' && !t[n + 1]));
}

/* Whether here() holds for v or any object inside it, its nested items aside (they are read as items of their own). */
static bool any_object(json_t *v, bool (*here)(json_t *object)) {
    size_t k;
    json_t *x;
    const char *key;
    if (json_is_array(v)) {
        json_array_foreach(v, k, x) if (any_object(x, here)) return true;
        return false;
    }
    if (!json_is_object(v)) return false;
    if (here(v)) return true;
    json_object_foreach(v, key, x)
        if ((json_is_object(x) || json_is_array(x)) && strcmp(key, "item") != 0 && any_object(x, here)) return true;
    return false;
}

/* a modifierExtension, or implicitRules (rules that may change the meaning) */
static bool modifies(json_t *o) {
    return json_array_size(json_object_get(o, "modifierExtension")) > 0 || json_is_string(json_object_get(o, "implicitRules"));
}

static bool absent_here(json_t *o) {
    size_t k;
    json_t *x;
    json_array_foreach(json_object_get(o, "extension"), k, x)
        if (hl7_extension(json_string_value(json_object_get(x, "url")), "data-absent-reason")) return true;
    json_array_foreach(json_object_get(o, "modifierExtension"), k, x)
        if (hl7_extension(json_string_value(json_object_get(x, "url")), "data-absent-reason")) return true;
    return false;
}

bool fhir_has_modifier(json_t *v) { return any_object(v, modifies); }

bool fhir_says_absent(json_t *v) { return any_object(v, absent_here); }

fhir_ordinal fhir_ordinal_of(json_t *element, double *out) {
    size_t k;
    json_t *x;
    fhir_ordinal got = FHIR_ORD_NONE;
    json_array_foreach(json_object_get(element, "extension"), k, x) {
        const char *url = json_string_value(json_object_get(x, "url"));
        /* R4's ordinalValue, R5's itemWeight, and DSTU2's iso21090-CO-value that older senders still write, in any
         * case and with https (seventeenth outside integrator: "https://.../ordinalValue" 3 beside "not at all" was
         * passed over) */
        /* ...and R5's itemWeight as a cross-version extension in R4 (http://hl7.org/fhir/5.0/StructureDefinition/
         * extension-Coding.itemWeight: nineteenth outside integrator) */
        bool cross = url && strcasestr(url, "hl7.org/fhir/5.0/StructureDefinition/extension-") &&
                     strcasestr(url, ".itemWeight");
        if (!cross && !hl7_extension(url, "ordinalValue") && !hl7_extension(url, "itemWeight") &&
            !hl7_extension(url, "iso21090-CO-value") && !hl7_extension(url, "questionnaire-ordinalValue"))
            continue;
        json_t *v = json_object_get(x, "valueDecimal");
        if (!v) v = json_object_get(x, "valueInteger");
        if (!json_is_number(v)) return FHIR_ORD_UNREADABLE; /* "3" as a string, a Coding...: stated, not readable */
        double d = json_number_value(v);
        if (got == FHIR_ORD_VALUE && d != *out) return FHIR_ORD_UNREADABLE;
        *out = d;
        got = FHIR_ORD_VALUE;
    }
    return got;
}

static int choice_of_value(const scale *s, double v) {
    if (v != floor(v) || v < 0 || v > 1000) return -1;
    return scale_value_index(s, (int)v);
}

/* The choice a Coding's code names in LOINC's system or triage's own (not its ordinalValue), or -1 */
static int choice_of_code(const form *f, int item, json_t *coding, bool *refused) {
    const scale *s = form_item_scale(f, item);
    const char *system = json_string_value(json_object_get(coding, "system"));
    const char *code = json_string_value(json_object_get(coding, "code"));
    bool loinc_system = !system || fhir_loinc_system(system);
    for (int c = 0; code && loinc_system && c < s->n; c++) {
        const char *la = form_answer_loinc(f, item, c), *also = form_answer_loinc_also(f, item, c);
        if ((la && !strcmp(la, code)) || (also && !strcmp(also, code))) return c;
    }
    /* triage's own codes, in its local system or with none (what older exports and the scripts send) */
    char local[160];
    snprintf(local, sizeof local, "%s%s", FHIR_ANSWERS, f->id);
    bool local_system = !system || !strcmp(system, local);
    if (code && local_system) {
        if (!strcmp(code, "refused") && s->refusable) {
            *refused = true;
            return -1;
        }
        int c = scale_code_index(s, code);
        if (c >= 0) return c;
    }
    return -1;
}

static int choice_of_coding(const form *f, int item, json_t *coding, bool *refused) {
    const scale *s = form_item_scale(f, item);
    int c = choice_of_code(f, item, coding, refused);
    if (c >= 0 || *refused) return c;
    /* an ordinalValue states the scored value itself. A display is never matched, nor a code of another
     * system: "Several days" of some other code system may mean something else, and a Coding with only a
     * display was already refused, so a foreign one by its display would be the one exception */
    double ord;
    if (fhir_ordinal_of(coding, &ord) == FHIR_ORD_VALUE) return choice_of_value(s, ord);
    return -1;
}

fhir_ordinal fhir_answer_ordinal(json_t *answer, double *out) {
    json_t *coding = json_object_get(answer, "valueCoding");
    double on_coding = 0, on_answer = 0;
    fhir_ordinal c = json_is_object(coding) ? fhir_ordinal_of(coding, &on_coding) : FHIR_ORD_NONE;
    fhir_ordinal a = fhir_ordinal_of(answer, &on_answer);
    if (c == FHIR_ORD_UNREADABLE || a == FHIR_ORD_UNREADABLE) return FHIR_ORD_UNREADABLE;
    if (c == FHIR_ORD_VALUE && a == FHIR_ORD_VALUE && on_coding != on_answer) return FHIR_ORD_UNREADABLE;
    *out = c == FHIR_ORD_VALUE ? on_coding : on_answer;
    return c == FHIR_ORD_VALUE || a == FHIR_ORD_VALUE ? FHIR_ORD_VALUE : FHIR_ORD_NONE;
}

/* A display as its words for comparing (thirty-seventh outside integrator: "Several days.", "1 - Several days", "Several
 * days (1)", a no-break space or two spaces between the words were each read as wording no answer): letters without
 * case, every blank and ASCII punctuation mark dropped, "of", "the" and "a" dropped ("More than half of the days"),
 * and a number standing alone taken apart: *number is it (-1: none; -2: two that differ). Other scripts' letters
 * (好几天) are kept as they are. */
static void display_key(const char *in, char *out, size_t size, int *number) {
    size_t o = 0;
    *number = -1;
    const unsigned char *u = (const unsigned char *)(in ? in : "");
    while (*u) {
        /* one word: up to a blank or a punctuation mark (a no-break space, U+00A0, is a blank) */
        char word[64];
        size_t n = 0;
        while (*u && !(*u < 0x80 && (isspace(*u) || ispunct(*u))) && !(u[0] == 0xC2 && u[1] == 0xA0)) {
            if (n + 1 < sizeof word) word[n++] = (char)(*u < 0x80 ? tolower(*u) : *u);
            u++;
        }
        word[n] = '\0';
        if (*u) u += u[0] == 0xC2 && u[1] == 0xA0 ? 2 : 1;
        if (!n || !strcmp(word, "of") || !strcmp(word, "the") || !strcmp(word, "a")) continue;
        bool digits = true;
        for (size_t i = 0; i < n; i++) digits &= isdigit((unsigned char)word[i]) != 0;
        if (digits && n < 5) {
            int v = atoi(word);
            *number = *number == -1 || *number == v ? v : -2;
            continue;
        }
        for (size_t i = 0; i < n && o + 1 < size; i++) out[o++] = word[i];
    }
    out[o] = '\0';
}

/* Whether display words choice c of scale s, whose own wordings are given (any may be NULL): its words one of them
 * (blanks, punctuation and case aside), and any number in it the choice's value; a number alone is the value. */
static bool words_choice(const char *display, const scale *s, int c, const char *const wordings[], int n_wordings) {
    char d[256], w[256];
    int dn, wn;
    display_key(display, d, sizeof d, &dn);
    if (dn == -2 || (dn >= 0 && dn != s->choices[c].value)) return false;
    if (!d[0]) return dn >= 0; /* "1" alone */
    for (int i = 0; i < n_wordings; i++) {
        if (!wordings[i]) continue;
        display_key(wordings[i], w, sizeof w, &wn);
        if (w[0] && !strcmp(d, w)) return true;
    }
    return false;
}

bool fhir_display_fits(const form *f, int item, int c, json_t *answer) {
    json_t *coding = json_object_get(answer, "valueCoding");
    const char *display = json_string_value(json_object_get(coding, "display"));
    if (!display || !*display) return true;
    const scale *s = form_item_scale(f, item);
    if (!s || c < 0 || c >= s->n) return true;
    const char *wordings[2 + LANG_COUNT] = {form_answer_display(f, item, c), s->choices[c].code};
    for (int l = 0; l < LANG_COUNT; l++) wordings[2 + l] = s->choices[c].label[l];
    return words_choice(display, s, c, wordings, 2 + LANG_COUNT);
}

int fhir_display_choice(const form *f, int item, json_t *answer) {
    json_t *coding = json_object_get(answer, "valueCoding");
    const char *display = json_string_value(json_object_get(coding, "display"));
    const scale *s = form_item_scale(f, item);
    if (!display || !*display || !s) return -1;
    for (int c = 0; c < s->n; c++)
        if (fhir_display_fits(f, item, c, answer)) return c;
    return -1;
}

bool fhir_code_known(const form *f, int item, json_t *answer) {
    json_t *coding = json_object_get(answer, "valueCoding");
    bool refused = false;
    /* by the code alone: an ordinalValue on the Coding (where R4 puts it) is no knowledge of the code (it passed a local
     * "Plusieurs jours" with an ordinal of 0 as known: thirty-seventh outside integrator) */
    return json_is_object(coding) && (choice_of_code(f, item, coding, &refused) >= 0 || refused);
}

int fhir_answer_choice(const form *f, int item, json_t *answer, bool *refused) {
    *refused = false;
    const scale *s = form_item_scale(f, item);
    if (!s || !json_is_object(answer)) return -1;
    json_t *v;
    double ord;
    if ((v = json_object_get(answer, "valueCoding")) && json_is_object(v)) {
        int c = choice_of_coding(f, item, v, refused);
        if (c < 0 && !*refused && fhir_ordinal_of(answer, &ord) == FHIR_ORD_VALUE) c = choice_of_value(s, ord);
        return c;
    }
    if ((v = json_object_get(answer, "valueInteger")) && json_is_integer(v))
        return choice_of_value(s, (double)json_integer_value(v));
    if ((v = json_object_get(answer, "valueDecimal")) && json_is_number(v)) return choice_of_value(s, json_number_value(v));
    /* a Quantity with no unit, or the unit {score} (UCUM's annotation: a number of points), is the number it holds; one
     * with a comparator (">0", "<=3") states a bound, no answer (seventeenth outside integrator: ">0" was read as 0) */
    if ((v = json_object_get(answer, "valueQuantity")) && json_is_object(v) && json_is_number(json_object_get(v, "value")) &&
        !json_object_get(v, "comparator")) {
        const char *unit = json_string_value(json_object_get(v, "code")) ?: json_string_value(json_object_get(v, "unit"));
        if (!unit || !strcmp(unit, "{score}") || !strcmp(unit, "1")) return choice_of_value(s, json_number_value(json_object_get(v, "value")));
    }
    /* no valueString: a string is text, not a score ("2", "Several days" or "several" would each be a guess),
     * and README names the accepted forms; the import refuses it naming the field */
    if ((v = json_object_get(answer, "valueBoolean")) && json_is_boolean(v))
        return scale_code_index(s, json_is_true(v) ? "yes" : "no");
    return -1;
}

/* digits at p, exactly n of them */
static bool digits(const char *p, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)p[i])) return false;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return true;
}

bool fhir_datetime_parse(const char *text, int64_t *out) {
    if (!text) return false;
    size_t len = strlen(text);
    int y, mo = 1, d = 1, h = 0, mi = 0, s = 0;
    if (len < 4 || !digits(text, 4, &y)) return false;
    if (len >= 7 && (text[4] != '-' || !digits(text + 5, 2, &mo))) return false;
    if (len >= 10 && (text[7] != '-' || !digits(text + 8, 2, &d))) return false;
    if (len != 4 && len != 7 && len < 10) return false;
    char day[40];
    snprintf(day, sizeof day, "%04d-%02d-%02d", y, mo, d);
    int64_t t;
    if (!clock_parse(day, &t)) return false;
    if (len == 4 || len == 7 || len == 10) {
        *out = t;
        return true;
    }
    /* a time: Thh:mm:ss, an optional fraction, and a zone (R4 requires one with a time) */
    const char *p = text + 10;
    if (*p != 'T' || !digits(p + 1, 2, &h) || p[3] != ':' || !digits(p + 4, 2, &mi) || p[6] != ':' ||
        !digits(p + 7, 2, &s) || h > 23 || mi > 59 || s > 60)
        return false;
    p += 9;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p)) return false;
        while (isdigit((unsigned char)*p)) p++;
    }
    int64_t zone = 0;
    if (*p == 'Z') p++;
    else if (*p == '+' || *p == '-') {
        int zh, zm;
        if (!digits(p + 1, 2, &zh) || p[3] != ':' || !digits(p + 4, 2, &zm) || zh > 14 || zm > 59) return false;
        zone = (zh * 3600 + zm * 60) * (*p == '-' ? -1 : 1);
        p += 6;
    } else return false;
    if (*p) return false;
    *out = t + h * 3600 + mi * 60 + (s > 59 ? 59 : s) - zone;
    return true;
}
