#include "fhir_import.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assess.h"
#include "clock.h"
#include "csv.h"
#include "wipe_alloc.h"
#include "expr.h"
#include "fhir_definitions.h"
#include "fhir_hidden.h"
#include "fhir_stated.h"
#include "fhir_words.h"
#include "fhir.h"
#include "intake_body.h"
#include "json_numbers.h"
#include "intake_finish.h"
#include "levels.h"
#include "name_fold.h"
#include "provenance.h"
#include "records.h"
#include "score.h"
#include "secret.h"
#include "util.h"

#define MAX_RESPONSES 4096

static char *passed_through(json_t *extensions);

typedef struct {
    json_t *resource;
    const char *url; /* fullUrl, or "" */
    int entry;       /* index in the bundle, -1 for a lone resource */
} res;

typedef struct {
    const form *f;
    answer answers[FORM_MAX_ITEMS];
    const char *subject; /* reference, or "" */
    int subj;            /* index into the subjects (the client it is for) */
    int group;           /* index into the intakes (an intake is the responses of one subject given together) */
    int64_t authored;    /* when the client gave it (QuestionnaireResponse.authored), UTC; 0: not stated */
    char key[VAULT_PSEUDONYM_HEX]; /* what recognises it on a later import (keyed hash of its identifier, or of
                                    * its meta.source and id); "" when it has neither */
    json_t *identifier;            /* its identifier (kept with the intake; the export writes it back), or NULL */
    const res *from;               /* its entry */
    char already[STORE_ID_LEN];    /* the intake it was saved as before, with these very answers, or "" */
    char amends[STORE_ID_LEN];     /* the intake it was saved as before with other answers (an amended
                                    * response): saved again as a new intake that amends that one, or "" */
    const char *status;            /* its R4 status as sent, kept with the intake when not completed (the export
                                    * writes it back: an in-progress screen is never exported as completed);
                                    * NULL when it states none (read as completed) */
    uint64_t unread;               /* items (a bit each) whose answer was refused as unreadable, contradictory or given
                                    * twice: for a safety item, its answer is not known, which counts as positive */
    const char *origin;            /* the database it came from (provenance.h): its extension, else the Bundle's;
                                    * NULL when the file says none */
    bool own;                      /* of this database, and not recognised as imported before: its intake is here
                                    * already (origins) */
    /* a response of no form triage knows that answers a safety item by its LOINC code (44260-8): that item and its
     * answer, for its SAFETY line (fourteenth outside integrator: the nine PHQ-9 items and one more, item 9 "nearly
     * every day", no canonical: refused with nothing said of the risk); safety_form NULL when none */
    const form *safety_form;
    int safety_item;
    answer safety_answer;
    bool safety_unread;
    risk_level stated;        /* the highest level a RiskAssessment or Condition of the file states for it (its basis names
                               * it, or its subject is this response's; stated_risks), LEVEL_GREEN: none */
    char stated_because[400]; /* which resource, and what it says */
    char safety_word[48]; /* the word of the form's fhir_foreign_words that named a questionnaire triage does not score
                           * as this screen (foreign_safety_screen), or "" */
} response;

/* How far an authored time may be ahead of this computer's clock (the sender's clock may run fast). */
#define AUTHORED_SKEW_SECONDS 300

typedef struct {
    const char *ref;
    json_t *contained; /* the Patient contained in the response ("#id" references it), or NULL */
    json_t *entry;     /* the Patient entry of the bundle the reference resolves to, or NULL */
    char client_id[STORE_ID_LEN];
    bool create;
    bool counted; /* counted in the result (as created or found) by its first intake */
    const char *name, *phone, *birth;
    bool pseudonymous;           /* the file is de-identified (meta.security PSEUDED): a pseudonymous client */
    char namesake[STORE_ID_LEN]; /* a client with this name and phone but another birth date ("" when none):
                                  * another person (a father and his son), named in the output */
    char built_name[CLIENT_NAME_MAX_BYTES + 2]; /* a HumanName without text, put together from given and family */
} subject;

/* The file's problems, one line each, in err's message (bad input: the kind is ERR_INPUT). */
typedef struct {
    error *err;
    size_t used;
    int problems;
} problems;

__attribute__((format(printf, 2, 3))) static void problem(problems *p, const char *fmt, ...) {
    p->problems++;
    p->err->kind = ERR_INPUT;
    char line[ERROR_MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* whole lines only: the refusal counts those that did not fit (refusal_message) */
    if (n <= 0 || p->used + (p->used ? 1 : 0) + (size_t)n >= sizeof p->err->msg) return;
    if (p->used) p->err->msg[p->used++] = '\n';
    memcpy(p->err->msg + p->used, line, (size_t)n + 1);
    p->used += (size_t)n;
}

static void where(const res *r, char *out, size_t size) {
    const char *id = json_string_value(json_object_get(r->resource, "id"));
    char shown[80];
    text_for_display(id ? id : "(no id)", 40, shown, sizeof shown);
    if (r->entry >= 0) snprintf(out, size, "entry[%d] QuestionnaireResponse %s", r->entry, shown);
    else snprintf(out, size, "QuestionnaireResponse %s", shown);
}

/* The answer of an item as triage's answer text: a Coding's code, an integer, a boolean (yes/no). Not a
 * valueString: README's accepted forms do not include one (refused naming the field, see read_item). */
static bool answer_text(json_t *item, char *out, size_t size) {
    json_t *a = json_array_get(json_object_get(item, "answer"), 0), *v;
    if ((v = json_object_get(json_object_get(a, "valueCoding"), "code")) && json_is_string(v))
        snprintf(out, size, "%s", json_string_value(v));
    else if ((v = json_object_get(a, "valueInteger")) && json_is_integer(v))
        snprintf(out, size, "%lld", (long long)json_integer_value(v));
    else if ((v = json_object_get(a, "valueBoolean")) && json_is_boolean(v))
        snprintf(out, size, "%s", json_is_true(v) ? "yes" : "no");
    else return false;
    return true;
}

/* A total as stated: a number (valueInteger, valueDecimal, or valueQuantity.value: the US Core example states 12
 * as valueDecimal, the SDC one 13 as a Quantity), or a value of another kind (valueString "12" and the like),
 * which is no total triage reads and so cannot be checked. */
typedef enum { STATED_NONE, STATED_NUMBER, STATED_OTHER } stated_kind;

static stated_kind stated_number(json_t *holder, double *out, const char **field) {
    static const char *const numbers[] = {"valueInteger", "valueDecimal"};
    for (int k = 0; k < 2; k++) {
        json_t *v = json_object_get(holder, numbers[k]);
        if (json_is_number(v)) {
            *out = json_number_value(v);
            *field = numbers[k];
            return STATED_NUMBER;
        }
    }
    /* a Quantity with a comparator (">12") states a bound, not the total: not readable (seventeenth outside
     * integrator: ">0" was read as 0) */
    json_t *vq = json_object_get(holder, "valueQuantity");
    json_t *q = json_object_get(vq, "comparator") ? NULL : json_object_get(vq, "value");
    if (json_is_number(q)) {
        *out = json_number_value(q);
        *field = "valueQuantity";
        return STATED_NUMBER;
    }
    const char *key;
    json_t *v;
    json_object_foreach(holder, key, v)
        if (!strncmp(key, "value", 5)) {
            *field = key;
            return STATED_OTHER;
        }
    return STATED_NONE;
}

/* A stated number as given (11.5 stays 11.5; 12.0 is 12). */
static void number_text(double d, char *out, size_t size) {
    if (fabs(d) < 1e15 && d == floor(d)) snprintf(out, size, "%lld", (long long)d); /* no cast out of range */
    else snprintf(out, size, "%g", d);
}

/* Whether reference r names the resource at qr (its fullUrl, Type/id, or an absolute URL ending in Type/id). */
static bool names(const res *qr, const char *type, const char *r) {
    if (!r || !*r) return false;
    if (*qr->url && !strcmp(r, qr->url)) return true;
    const char *id = json_string_value(json_object_get(qr->resource, "id"));
    if (!id) return false;
    char local[200];
    snprintf(local, sizeof local, "%s/%s", type, id);
    size_t n = strlen(local), rn = strlen(r);
    return !strcmp(r, local) || (rn > n && r[rn - n - 1] == '/' && !strcmp(r + rn - n, local));
}

/* Whether Observation o is a total of the response at qr: derived from it and coded with the form's total code. */
static bool total_observation_of(json_t *o, const res *qr, const form *f) {
    if (strcmp(json_string_value(json_object_get(o, "resourceType")) ?: "", "Observation") != 0) return false;
    const char *sys, *code;
    fhir_total_code(f, &sys, &code);
    bool from_it = false, coded = false;
    size_t k;
    json_t *d;
    json_array_foreach(json_object_get(o, "derivedFrom"), k, d)
        if (names(qr, "QuestionnaireResponse", json_string_value(json_object_get(d, "reference")))) from_it = true;
    json_array_foreach(json_object_get(json_object_get(o, "code"), "coding"), k, d) {
        const char *s = json_string_value(json_object_get(d, "system")), *c = json_string_value(json_object_get(d, "code"));
        bool system_fits = s && (!strcmp(s, sys) || (!strcmp(sys, FHIR_LOINC) && fhir_loinc_system(s)));
        if (system_fits && c && !strcmp(c, code)) coded = true;
    }
    return from_it && coded;
}

/* The items of a response with groups opened (any depth): a group is an item with items and no answer. The items
 * nested under an answer (answer.item, R4's questions asked because of that answer) are items of the response too:
 * passed over, an item 9 "nearly every day" nested under item 1 left the screen green beside a top-level item 9
 * "not at all" (sixth outside integrator); read, the two are one linkId answered twice, and refused as such. */
static void flatten(json_t *items, json_t *flat) {
    size_t k, ak;
    json_t *it, *a;
    json_array_foreach(items, k, it) {
        json_t *sub = json_object_get(it, "item");
        if (json_is_array(sub) && !json_object_get(it, "answer")) flatten(sub, flat);
        else json_array_append(flat, it);
        json_array_foreach(json_object_get(it, "answer"), ak, a) {
            json_t *under = json_object_get(a, "item");
            if (json_is_array(under)) flatten(under, flat);
        }
    }
}

/* How many value[x] an answer carries (R4: one): valueCoding and valueInteger together said 0 and 3, and the
 * Coding was read, green (sixth outside integrator). */
static int answer_values(json_t *a) {
    int n = 0;
    const char *key;
    json_t *v;
    json_object_foreach(a, key, v) n += !strncmp(key, "value", 5);
    return n;
}

/* What an answer that fits no choice looked like, for the message. */
static void answer_shown(const form *f, json_t *a, char *out, size_t size) {
    json_t *c = json_object_get(a, "valueCoding");
    const char *code = json_string_value(json_object_get(c, "code"));
    const char *system = json_string_value(json_object_get(c, "system"));
    const char *display = json_string_value(json_object_get(c, "display"));
    char t[80], u[100], local[160];
    snprintf(local, sizeof local, "%s%s", FHIR_ANSWERS, f->id);
    if (code) {
        text_for_display(code, 40, t, sizeof t);
        text_for_display(system ? system : "no system", 60, u, sizeof u);
        bool foreign = system && !fhir_loinc_system(system) && strcmp(system, local) != 0;
        snprintf(out, size, "code `%s` (%s%s)", t, u, foreign ? ": not LOINC's or triage's own system" : "");
    } else if (json_is_object(c)) {
        text_for_display(display ? display : "", 40, t, sizeof t);
        snprintf(out, size, "a Coding with no code (display `%s`: a display is never matched)", t);
    } else {
        char *d = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
        text_for_display(d ? d : "?", 60, t, sizeof t);
        secret_free(d); /* an answer of the imported record */
        snprintf(out, size, "%s", t);
    }
}

/* The codes an item takes, for the message: its LOINC answer codes (when it has them) and triage's own. */
static void choices_shown(const form *f, int item, char *out, size_t size) {
    const scale *sc = form_item_scale(f, item);
    size_t used = 0;
    out[0] = '\0';
    for (int c = 0; sc && c < sc->n && used + 2 < size; c++) {
        const char *la = form_answer_loinc(f, item, c), *also = form_answer_loinc_also(f, item, c);
        int w = snprintf(out + used, size - used, "%s%s%s%s%s%s%s", c ? ", " : "", la ? la : "", also ? " or " : "",
                         also ? also : "", la ? " (" : "", sc->choices[c].code, la ? ")" : "");
        if (w < 0) break;
        used += (size_t)w < size - used ? (size_t)w : size - used - 1;
    }
    /* a refusal is an answer where the scale takes one (eighth outside integrator: the ASQ's list left it out) */
    if (sc && sc->refusable && used + 12 < size) snprintf(out + used, size - used, ", refused");
}

/* An answer that says two things: its code one value and its ordinalValue another (item 9 coded "not at all"
 * with an ordinal of 3), or, on a safety item, a Coding whose display words another answer than the one read (or,
 * read by the ordinalValue of a code triage does not know, words none). Which one the client gave is not known,
 * and reading the milder one would hide a positive screen: refused naming the entry and the linkId. */
static bool answer_contradicts(const form *f, int idx, int ci, json_t *a, const char *w, const char *shown,
                               problems *p) {
    const form_item *fi = &f->items[idx];
    const scale_choice *chosen = &form_item_scale(f, idx)->choices[ci];
    json_t *coding = json_object_get(a, "valueCoding");
    const char *code = json_string_value(json_object_get(coding, "code"));
    char t[64], d[100];
    text_for_display(code ? code : "?", 40, t, sizeof t);
    double ord = 0;
    fhir_ordinal stated = json_is_object(coding) ? fhir_answer_ordinal(a, &ord) : FHIR_ORD_NONE;
    if (stated == FHIR_ORD_VALUE && ord != (double)chosen->value) {
        problem(p, "%s: linkId `%s` (%s.%s): code `%s` means %d but its ordinalValue (or itemWeight) says %g: refused (which one the "
                   "client gave is not known)", w, shown, f->id, fi->id, t, chosen->value, ord);
        return true;
    }
    /* two ordinalValues that disagree, or one that is no number (sixteenth outside integrator: 0 then 3, or
     * valueInteger 3, and the code "not at all" was taken) */
    if (stated == FHIR_ORD_UNREADABLE) {
        problem(p, "%s: linkId `%s` (%s.%s): code `%s` means %d but its ordinalValue (or itemWeight) extensions disagree "
                   "or state no number: refused (which answer the client gave is not known)",
                w, shown, f->id, fi->id, t, chosen->value);
        return true;
    }
    if (fi->safety && json_is_object(coding) && !json_object_get(coding, "system") && !fhir_display_fits(f, idx, ci, a)) {
        text_for_display(json_string_value(json_object_get(coding, "display")), 60, d, sizeof d);
        problem(p, "%s: linkId `%s` (%s.%s), a safety item: a Coding with no system, code `%s` (%d) but display `%s`: "
                   "refused (give the system, or a display that words the code)", w, shown, f->id, fi->id, t,
                chosen->value, d);
        return true;
    }
    /* on a safety item, a display that words another answer than the one read (a local code "Several days" with an
     * ordinalValue of 0, or LOINC's "not at all" code displayed "Several days"), or, where the value came from an
     * ordinalValue beside a code triage does not know, a display that words none it knows: which one the client gave
     * is not known, and the milder reading would hide a positive screen (thirty-sixth outside integrator) */
    int worded = fi->safety && json_is_object(coding) ? fhir_display_choice(f, idx, a) : -1;
    if (fi->safety && json_is_object(coding) && !fhir_display_fits(f, idx, ci, a) &&
        (worded >= 0 || !fhir_code_known(f, idx, a))) {
        text_for_display(json_string_value(json_object_get(coding, "display")), 60, d, sizeof d);
        if (worded >= 0)
            problem(p, "%s: linkId `%s` (%s.%s), a safety item: code `%s` is read as %d but its display `%s` words another "
                       "answer (%d): refused (which one the client gave is not known)", w, shown, f->id, fi->id, t,
                    chosen->value, d, form_item_scale(f, idx)->choices[worded].value);
        else
            problem(p, "%s: linkId `%s` (%s.%s), a safety item: code `%s` is not one triage knows and is read as %d by its "
                       "ordinalValue, but its display `%s` words no answer triage knows: refused (give a LOINC answer "
                       "code, or a display that words the value)", w, shown, f->id, fi->id, t, chosen->value, d);
        return true;
    }
    return false;
}

/* One item's answer into r->answers[idx]; problems name the linkId. */
static void read_item(const form *f, int idx, json_t *it, const char *w, const char *shown, response *r, problems *p) {
    const form_item *fi = &f->items[idx];
    json_t *answers = json_object_get(it, "answer");
    error why = {0};
    char seen_as[400];
    /* the record form (the intake): identity comes from the Patient, so its text and date items are not
     * read here; a multi item (the presenting concerns) takes every answer given */
    if (f->kind == FORM_RECORD && (fi->type == ITEM_TEXT || fi->type == ITEM_DATE)) return;
    /* the file's own Questionnaires and definitions say two things of this item (fhir_definitions.c): which item
     * was answered is not known (read as the safety item when one of them is one, so its SAFETY line is said) */
    const char *disagree = json_string_value(json_object_get(it, FHIR_CONFLICT_KEY));
    if (disagree) {
        char said[200];
        text_for_display(disagree, 160, said, sizeof said);
        problem(p, "%s: linkId `%s` (%s.%s): the file's own Questionnaires and definitions disagree (%s): which item was "
                   "answered is not known; refused", w, shown, f->id, fi->id, said);
        return;
    }
    /* HL7's data-absent-reason on the item or its answer (the answer, its Coding, a primitive's _value): whatever
     * value stands beside it is not the client's answer (seventeenth outside integrator: "asked-declined" beside "not
     * at all" was read as not at all, and the screen saved green) */
    if (fhir_says_absent(it)) {
        problem(p, "%s: linkId `%s` (%s.%s): a data-absent-reason extension beside the answer: which answer the client "
                   "gave is not known; refused", w, shown, f->id, fi->id);
        return;
    }
    /* a modifierExtension on the item or its answer may change what the answer means, and triage knows none (R4: it
     * must not be ignored; eighteenth outside integrator: one beside "not at all" was read as not at all) */
    if (fhir_has_modifier(it)) {
        problem(p, "%s: linkId `%s` (%s.%s): a modifierExtension triage does not know changes what the answer means: "
                   "refused", w, shown, f->id, fi->id);
        return;
    }
    /* an ordinalValue on the item itself (not its answer) says the answer's value too */
    double item_ord = 0;
    fhir_ordinal item_stated = fhir_ordinal_of(it, &item_ord);
    if (fi->type == ITEM_MULTI) {
        uint32_t mask = 0;
        size_t ai;
        json_t *a;
        json_array_foreach(answers, ai, a) {
            bool refused;
            if (answer_values(a) > 1) {
                problem(p, "%s: linkId `%s` (%s.%s): answer %zu has %d values (an answer holds one value[x])", w, shown,
                        f->id, fi->id, ai, answer_values(a));
                continue;
            }
            int ci = fhir_answer_choice(f, idx, a, &refused);
            if (ci < 0) {
                answer_shown(f, a, seen_as, sizeof seen_as);
                choices_shown(f, idx, why.msg, sizeof why.msg);
                problem(p, "%s: linkId `%s` (%s.%s): answer %zu, %s, is not one of %s", w, shown, f->id, fi->id, ai,
                        seen_as, why.msg);
            } else {
                mask |= 1u << ci;
            }
        }
        if (mask) r->answers[idx] = (answer){ANS_VALUE, (int32_t)mask};
        return;
    }
    if (json_array_size(answers) > 1) {
        /* a single-choice item with several answers: which one the client gave is not known */
        problem(p, "%s: linkId `%s` (%s.%s) has %zu answers; a single-choice item takes one", w, shown, f->id, fi->id,
                json_array_size(answers));
        return;
    }
    json_t *a = json_array_get(answers, 0);
    if (answer_values(a) > 1) {
        problem(p, "%s: linkId `%s` (%s.%s): one answer with %d values (an answer holds one value[x]): which one the "
                   "client gave is not known; refused", w, shown, f->id, fi->id, answer_values(a));
        return;
    }
    if (json_object_get(a, "valueString")) {
        char t[64];
        const char *text = json_string_value(json_object_get(a, "valueString"));
        text_for_display(text ? text : "(not a string)", 40, t, sizeof t);
        problem(p, "%s: linkId `%s` (%s.%s): valueString `%s` is not an answer triage reads (a LOINC or triage "
                   "answer Coding, valueInteger, valueDecimal or the ordinalValue extension)", w, shown, f->id, fi->id, t);
        return;
    }
    if (!a) {
        problem(p, "%s: linkId `%s` (%s.%s): no answer (valueCoding, valueInteger, valueDecimal or valueBoolean)", w,
                shown, f->id, fi->id);
        return;
    }
    if (form_item_scale(f, idx)) {
        bool refused;
        int ci = fhir_answer_choice(f, idx, a, &refused);
        if (refused) r->answers[idx] = (answer){ANS_REFUSED, 0};
        else if (ci >= 0) {
            if (answer_contradicts(f, idx, ci, a, w, shown, p)) return;
            int value = form_item_scale(f, idx)->choices[ci].value;
            if (item_stated == FHIR_ORD_UNREADABLE || (item_stated == FHIR_ORD_VALUE && item_ord != (double)value)) {
                problem(p, "%s: linkId `%s` (%s.%s): the answer means %d but the item's ordinalValue says another value, "
                           "or none readable: refused (which one the client gave is not known)", w, shown, f->id, fi->id,
                        value);
                return;
            }
            r->answers[idx] = (answer){ANS_VALUE, value};
        } else {
            answer_shown(f, a, seen_as, sizeof seen_as);
            choices_shown(f, idx, why.msg, sizeof why.msg);
            problem(p, "%s: linkId `%s` (%s.%s): %s is not an answer to this item (expected one of %s)", w, shown,
                    f->id, fi->id, seen_as, why.msg);
        }
        return;
    }
    char text[128];
    if (!answer_text(it, text, sizeof text)) {
        problem(p, "%s: linkId `%s` (%s.%s): no answer (valueInteger)", w, shown, f->id, fi->id);
        return;
    }
    if (!answer_parse(f, idx, text, &r->answers[idx], &why)) problem(p, "%s: linkId `%s`: %s", w, shown, why.msg);
}

static void utc_text(int64_t t, char *out, size_t size) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm)) snprintf(out, size, "%lld", (long long)t);
}

/* The response's authored time, kept as the intake's time: a screen given last week and imported today
 * counts as given last week (reports, exports). One in the future beyond clock skew is refused, naming the
 * field: a time that has not come is an error of the sender's, not a screen. */
static void read_authored(json_t *o, const char *w, response *r, problems *p) {
    json_t *v = json_object_get(o, "authored");
    r->authored = 0;
    if (!v) return;
    char shown[64];
    text_for_display(json_is_string(v) ? json_string_value(v) : "(not a string)", 40, shown, sizeof shown);
    int64_t t;
    if (!json_is_string(v) || !fhir_datetime_parse(json_string_value(v), &t) || t <= 0) {
        problem(p, "%s: authored `%s` is not a FHIR dateTime: accepted are YYYY, YYYY-MM, YYYY-MM-DD, or "
                   "YYYY-MM-DDThh:mm:ss[.fraction] with Z or an offset such as +08:00 (a time needs its zone)", w, shown);
        return;
    }
    int64_t now = clock_now();
    if (t > now + AUTHORED_SKEW_SECONDS) {
        char at[32];
        utc_text(now, at, sizeof at);
        problem(p, "%s: authored `%s` is in the future (now %s; at most %d minutes of clock skew are allowed)", w,
                shown, at, AUTHORED_SKEW_SECONDS / 60);
        return;
    }
    r->authored = t;
}

/* ---- recognising a response imported before ----
 * A response is the same response when it has the same identifier (system and value), else the same id from
 * the same source (meta.source), else the same absolute (RESTful) fullUrl. What the import remembers of it is a keyed hash (vault_pseudonym, kind
 * "fhir-response") in the meta table, "fhir_response:HASH" -> the intake it became: no identifier of another
 * system is stored in clear. triage's own export names each response urn:triage:responses|INTAKE/FORM, so a
 * response of an intake of this very database is recognised as that intake. A response with neither an
 * identifier nor an id with its source cannot be told from a new one: it is imported again. */

#define META_RESPONSE "fhir_response:"

static void response_key(session *s, const res *at, response *r) {
    json_t *o = at->resource;
    r->key[0] = '\0';
    r->identifier = NULL;
    json_t *ident = json_object_get(o, "identifier");
    if (json_is_array(ident)) ident = json_array_get(ident, 0); /* R5 and some senders: a list */
    const char *sys = json_string_value(json_object_get(ident, "system"));
    const char *val = json_string_value(json_object_get(ident, "value"));
    const char *id = json_string_value(json_object_get(o, "id"));
    const char *source = json_string_value(json_object_get(json_object_get(o, "meta"), "source"));
    char text[1024];
    if (val && *val) {
        r->identifier = ident;
        snprintf(text, sizeof text, "identifier|%s|%s", sys ? sys : "", val);
    } else if (id && *id && source && *source) {
        snprintf(text, sizeof text, "source|%s|%s", source, id);
    } else if (strstr(at->url, "://")) {
        /* a RESTful fullUrl is the resource's absolute URL (R4 Bundle.entry.fullUrl): a server's search result
         * imported twice made each response twice (sixth outside integrator) */
        snprintf(text, sizeof text, "url|%s", at->url);
    } else {
        return;
    }
    vault_pseudonym(s->v, "fhir-response", text, r->key);
}

static bool intake_exists(session *s, const char *id) {
    intake_rec rec;
    if (!id || !*id || s->db->ops->intake_get(s->db->st, id, &rec) != ST_OK) return false;
    intake_rec_free(&rec);
    return true;
}

/* The intakes a response was saved as before, oldest first, space-separated in meta
 * "fhir_response:KEY" (every version of an amended response carries the same identifier: each version's
 * intake is remembered, not only the newest's, so that replaying any version is recognised); an older
 * database holds one id there, which reads as a list of one. */
static char *remembered_intakes(session *s, const response *r) {
    if (!r->key[0]) return NULL;
    char name[64];
    snprintf(name, sizeof name, "%s%s", META_RESPONSE, r->key);
    blob b = {0};
    char *list = NULL;
    if (s->db->ops->meta_get(s->db->st, name, &b) == ST_OK && b.n > 0) {
        list = xcalloc(b.n + 1, 1);
        memcpy(list, b.p, b.n);
    }
    blob_free(&b);
    return list;
}

/* triage's own identifier urn:triage:responses|INTAKE/FORM names the intake ("" when it is not one). */
static void own_identifier_intake(const response *r, char out[STORE_ID_LEN]) {
    out[0] = '\0';
    const char *sys = json_string_value(json_object_get(r->identifier, "system"));
    const char *val = json_string_value(json_object_get(r->identifier, "value"));
    if (!sys || !val || strcmp(sys, FHIR_RESPONSE_IDS) != 0) return;
    const char *slash = strchr(val, '/');
    size_t n = slash ? (size_t)(slash - val) : strlen(val);
    if (n >= STORE_ID_LEN) return;
    memcpy(out, val, n);
    out[n] = '\0';
}

/* A scored form's answers as the intake body keeps them: one per item, its code, or null when not given. */
static json_t *answers_json(const form *f, const answer *answers) {
    json_t *arr = json_array();
    for (int k = 0; k < f->n_items; k++) {
        char code[64];
        if (answers[k].state == ANS_VALUE || answers[k].state == ANS_REFUSED) {
            answer_format(f, k, answers[k], code, sizeof code);
            json_array_append_new(arr, json_string(code));
        } else {
            json_array_append_new(arr, json_null());
        }
    }
    return arr;
}

static bool same_json(json_t *a, json_t *b) { return (!a && !b) || (a && b && json_equal(a, b)); }

/* Whether a scored form's answers as an intake body keeps them (its code as text, or, in bodies written by
 * other paths, a number; null when not given) are the given ones. */
static bool stored_answers_are(const form *f, json_t *stored, const answer *given) {
    if (!json_is_array(stored) || (int)json_array_size(stored) > f->n_items) return false;
    for (int k = 0; k < f->n_items; k++) {
        json_t *v = json_array_get(stored, (size_t)k);
        answer was = {ANS_UNANSWERED, 0};
        char text[64];
        error why = {0};
        if (json_is_string(v)) snprintf(text, sizeof text, "%s", json_string_value(v));
        else if (json_is_integer(v)) snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
        else if (v && !json_is_null(v)) return false;
        if (v && !json_is_null(v) && !answer_parse(f, k, text, &was, &why)) return false;
        bool given_any = given[k].state == ANS_VALUE || given[k].state == ANS_REFUSED;
        bool was_any = was.state == ANS_VALUE || was.state == ANS_REFUSED;
        if (given_any != was_any) return false;
        if (given_any && (was.state != given[k].state || (was.state == ANS_VALUE && was.value != given[k].value)))
            return false;
    }
    return true;
}

static void record_answers(const engine *e, const response *r, json_t *input, json_t *record);

/* Whether the response says what the intake body already holds: a scored form's answers item by item; the
 * record form's answers as they are kept (each item's key in the record, the concerns, language and
 * preferences in the input). */
static bool body_holds(const engine *e, const response *r, json_t *body) {
    if (r->f->kind != FORM_RECORD) {
        return stored_answers_are(r->f, intake_body_answers(body, r->f->id), r->answers);
    }
    json_t *input = json_object(), *record = json_object();
    record_answers(e, r, input, record);
    bool same = true;
    for (int k = 0; same && k < r->f->n_items; k++)
        same = same_json(json_object_get(record, r->f->items[k].id),
                         json_object_get(intake_body_record(body), r->f->items[k].id));
    static const char *const parts[] = {"concerns", "language", "preferences"};
    for (int k = 0; same && k < 3; k++)
        same = same_json(json_object_get(input, parts[k]), json_object_get(intake_body_input(body), parts[k]));
    json_decref(input);
    json_decref(record);
    return same;
}

/* Whether intake id holds the response's answers. When its body cannot be read, it does not: the response
 * is then imported as an amendment, never dropped (a duplicate is safe, a lost answer is not). */
static bool intake_holds(session *s, const engine *e, const response *r, const char *id) {
    char *text = NULL;
    error why = {0};
    if (!intake_peek_body(s, id, &text, &why)) return false;
    json_error_t je;
    json_t *body = json_loads(text, 0, &je);
    secret_free(text);
    bool same = body && body_holds(e, r, body);
    json_decref(body);
    return same;
}

/* Whether the earlier intake's response to this form was kept in-progress (a partial screen). */
static bool earlier_was_partial(session *s, const char *intake_id, const char *form_id) {
    char *text = NULL;
    error why = {0};
    if (!intake_peek_body(s, intake_id, &text, &why)) return false;
    json_error_t je;
    json_t *body = json_loads(text, 0, &je);
    secret_free(text);
    json_t *record = body ? intake_body_record(body) : NULL;
    const char *kept = json_string_value(json_object_get(json_object_get(record, "fhir_status"), form_id));
    bool partial = kept && !strcmp(kept, "in-progress");
    json_decref(body);
    return partial;
}

/* A response seen before: with the same answers and authored time as ANY intake it was saved as (each version of an amended
 * response is one), it was already imported (r->already): replaying the original after its amendment, or an
 * export holding both versions, makes no new intake. With answers no earlier intake holds (status amended, or
 * the same status with other answers: the identifier is the business id of the response, whatever became of
 * its content) it amends the newest of them (r->amends) and is imported again. Erased intakes are skipped. */
/* Whether intake id was given when the response says it was authored (a response that states no time: yes). The
 * same identifier and answers authored months later is a new screen, not a replay: it was dropped as "already
 * imported", and a client screening positive again went into no queue (twenty-sixth integrator). */
static bool given_when_authored(session *s, const response *r, const char *id) {
    intake_rec rec;
    if (!r->authored) return true;
    if (s->db->ops->intake_get(s->db->st, id, &rec) != ST_OK) return false;
    bool same = rec.created_at == r->authored;
    intake_rec_free(&rec);
    return same;
}

static void find_earlier(session *s, const engine *e, response *r) {
    r->already[0] = r->amends[0] = '\0';
    char *list = remembered_intakes(s, r);
    char own[STORE_ID_LEN];
    own_identifier_intake(r, own);
    char *save = NULL;
    for (char *id = list ? strtok_r(list, " ", &save) : NULL; id && !r->already[0]; id = strtok_r(NULL, " ", &save)) {
        if (strlen(id) >= STORE_ID_LEN || !intake_exists(s, id)) continue;
        if (intake_holds(s, e, r, id) && given_when_authored(s, r, id)) snprintf(r->already, STORE_ID_LEN, "%s", id);
        else snprintf(r->amends, STORE_ID_LEN, "%s", id);
    }
    free(list);
    if (!r->already[0] && own[0] && intake_exists(s, own)) {
        if (intake_holds(s, e, r, own) && given_when_authored(s, r, own)) snprintf(r->already, STORE_ID_LEN, "%s", own);
        else if (!r->amends[0]) snprintf(r->amends, STORE_ID_LEN, "%s", own);
    }
    if (r->already[0]) r->amends[0] = '\0';
}

/* Inside the import's transaction: every response of the group remembered as the intake it became (added to
 * the intakes its identifier was saved as before). */
static bool remember_group(session *s, const response *rs, int nr, int g, const char *intake_id, error *err) {
    for (int i = 0; i < nr; i++) {
        if (rs[i].group != g || !rs[i].key[0] || rs[i].already[0]) continue;
        char name[64];
        snprintf(name, sizeof name, "%s%s", META_RESPONSE, rs[i].key);
        char *before = remembered_intakes(s, &rs[i]);
        size_t size = (before ? strlen(before) : 0) + strlen(intake_id) + 2;
        char *list = xcalloc(size, 1);
        snprintf(list, size, "%s%s%s", before ? before : "", before ? " " : "", intake_id);
        free(before);
        store_status st = s->db->ops->meta_set(s->db->st, name, list, strlen(list));
        free(list);
        if (st != ST_OK) {
            db_error(s->db, st, "cannot record the imported response", err);
            return false;
        }
    }
    return true;
}

/* Whether a band's rule reads item id ("item5", or "form.item5"). */
static bool rule_reads(const expr *x, const char *form_id, const char *id) {
    if (!x) return false;
    if (x->kind == EX_CMP || x->kind == EX_TRUTH) {
        const char *t = x->ref_text ? x->ref_text : "";
        size_t n = strlen(form_id);
        if (!strncmp(t, form_id, n) && t[n] == '.') t += n + 1;
        return !strcmp(t, id);
    }
    return rule_reads(x->a, form_id, id) || rule_reads(x->b, form_id, id);
}

/* The highest level a band whose rule reads item i asks for (-1: none): what an answer to it may mean. */
static int level_riding_on(const form *f, int i) {
    int most = -1;
    for (int b = 0; b < f->n_bands; b++)
        if (f->bands[b].min_level > most && rule_reads(f->bands[b].when, f->id, f->items[i].id)) most = f->bands[b].min_level;
    return most;
}

/* An answer to an item the form's skip logic (FHIR enableWhen) switches off: the answers contradict each
 * other, and triage cannot tell which one stands. Refused as bad input, naming the linkId; and where the
 * answer could mean risk (ASQ question 5 "yes" after four "no": a red band reads it), the message says so
 * first, because an acute "yes" must never be lost in a refused file. */
static void check_hidden_answers(const form *f, answer *answers, const char *w, problems *p) {
    score_result sr;
    score_form(f, answers, &sr);
    for (int i = 0; i < f->n_items; i++) {
        const answer *a = &answers[i];
        if (sr.visible[i] || (a->state != ANS_VALUE && a->state != ANS_REFUSED)) continue;
        const scale *sc = form_item_scale(f, i);
        bool above_least = a->state == ANS_REFUSED || !sc || a->value > sc->min_value;
        int level = above_least ? level_riding_on(f, i) : -1;
        /* an item that is neither scored nor a safety item and that no band reads (PHQ-9's difficulty question,
         * which triage asks only after a symptom but LOINC's and US Core's forms ask always): its answer
         * contradicts nothing that counts, and is passed over, never read (an all-zero PHQ-9 from those forms
         * was refused: sixth outside integrator) */
        if (!f->items[i].score && !f->items[i].safety && level_riding_on(f, i) < 0) {
            answers[i] = (answer){ANS_UNANSWERED, 0};
            continue;
        }
        char given[64];
        answer_format(f, i, *a, given, sizeof given);
        const char *risk = level >= LEVEL_RED      ? "the client may be at acute risk - assess in person now; "
                           : level >= LEVEL_ORANGE ? "the client may be at risk - assess in person; "
                                                   : "";
        problem(p, "%s: linkId `%s` (%s.%s) is answered `%s` although %s asks it only when %s: %sthe answers "
                   "contradict each other, so nothing was imported (correct the file, or enter the screen by hand)",
                w, fhir_link_id(f, i), f->id, f->items[i].id, given, f->id,
                f->items[i].show_if_text ? f->items[i].show_if_text : "?", risk);
    }
}

/* A total the response states (its total item, or an Observation derived from it) is checked against the one
 * computed from its answers; one that cannot be read as a number, or whose answers could not all be read, is
 * refused as not checkable (a total taken unchecked could hide a wrong answer). */
/* One stated total (tw says where: the item's linkId or the Observation's entry) against the answers. */
static void check_one_total(const form *f, const score_result *sr, json_t *holder, stated_kind kind, double stated,
                            const char *field, const char *tw, int unread, const char *w, problems *p) {
    char st[48];
    /* US Core writes its total Observation as valueString "12": a string that is exactly the numeral of the
     * recomputed total says the same; any other string is not checkable (below) */
    const char *as_text = json_string_value(json_object_get(holder, "valueString"));
    char total_text[24];
    snprintf(total_text, sizeof total_text, "%d", sr->total);
    if (kind == STATED_OTHER && as_text && sr->has_total && sr->complete && !sr->prorated && unread == 0 &&
        !strcmp(as_text, total_text))
        return;
    number_text(stated, st, sizeof st);
    char fs[48];
    text_for_display(field, 30, fs, sizeof fs); /* a key of the file */
    if (kind == STATED_OTHER)
        problem(p, "%s: the stated total%s is a %s, not a number triage reads (valueInteger, valueDecimal or "
                   "valueQuantity): it cannot be checked; nothing was imported", w, tw, fs);
    else if (!sr->has_total) problem(p, "%s: states a total%s, but %s has none", w, tw, f->id);
    else if (unread > 0)
        /* its answers could not all be read (listed above): the total cannot be checked, and is not taken */
        problem(p, "%s: the stated total %s%s cannot be checked: %d of its answers are not read (above)", w, st, tw,
                unread);
    else if (sr->prorated) {
        /* the form's rule allows these items missing (triage's own export of a prorated total, marked
         * urn:triage:fhir:prorated): the total stated must be the prorated one computed here */
        /* or the sum of the answered items, as LHC-Forms' own calculatedExpression states it: a total with items
         * missing counted as 0 was refused, and with it the screen's positive item 9 (sixth outside integrator).
         * The total kept is the prorated one computed here, never the smaller sum stated */
        if (stated != sr->total && stated != sr->raw_total)
            problem(p, "%s: the stated total %s%s disagrees with the prorated total of its answers, %d, and with the "
                       "sum of those answered, %d (%s, %d missing)", w, st, tw, sr->total, sr->raw_total, f->id,
                    sr->n_missing);
    } else if (!sr->complete)
        problem(p, "%s: states a total %s%s, but %s is incomplete (%d of %d answered)", w, st, tw, f->id,
                sr->n_answered, sr->n_visible);
    else if (stated != sr->total)
        problem(p, "%s: the stated total %s%s disagrees with the total of its answers, %d (%s)", w, st, tw, sr->total,
                f->id);
}

/* Every total the file states for a response (its own total item, and each Observation of the bundle derived
 * from it with the form's total code) must agree with its answers: a sender that states one right total and
 * another wrong one has a fault somewhere, and which total a reader downstream takes is not known. */
static void check_stated_total(const res *all, int n, const res *qr, const form *f, json_t *total_item,
                               const answer *answers, int unread, const char *w, problems *p) {
    score_result sr;
    score_form(f, answers, &sr);
    double stated = 0;
    const char *field = "";
    char tw[80];
    json_t *holder = json_array_get(json_object_get(total_item, "answer"), 0);
    stated_kind kind = total_item ? stated_number(holder, &stated, &field) : STATED_NONE;
    if (kind != STATED_NONE) {
        const char *tl = json_string_value(json_object_get(total_item, "linkId"));
        char t[48];
        text_for_display(tl ? tl : "?", 40, t, sizeof t);
        snprintf(tw, sizeof tw, " (linkId `%s`)", t);
        check_one_total(f, &sr, holder, kind, stated, field, tw, unread, w, p);
    }
    for (int i = 0; i < n; i++) {
        if (!total_observation_of(all[i].resource, qr, f)) continue;
        kind = stated_number(all[i].resource, &stated, &field);
        if (kind == STATED_NONE) continue;
        snprintf(tw, sizeof tw, " (its Observation)");
        check_one_total(f, &sr, all[i].resource, kind, stated, field, tw, unread, w, p);
    }
}

/* Whether Observation o is derived from response qr (derivedFrom names it). */
static bool derived_from(json_t *o, const res *qr) {
    size_t k;
    json_t *d;
    json_array_foreach(json_object_get(o, "derivedFrom"), k, d)
        if (names(qr, "QuestionnaireResponse", json_string_value(json_object_get(d, "reference")))) return true;
    return false;
}

/* The scored or safety item of f an Observation is coded with (its LOINC item code; a Coding without a system read as
 * LOINC's), or -1; a safety item before a scored one, whichever Coding names it (fifteenth outside integrator: code
 * [44250-9, 44260-8] with 3 was read as item 1, and item 9 "nearly every day" went unsaid; {code: 44260-8} with no
 * system was not read at all). */
static int observed_item(json_t *o, const form *f) {
    size_t k;
    json_t *c;
    int scored = -1;
    json_array_foreach(json_object_get(json_object_get(o, "code"), "coding"), k, c) {
        const char *sys = json_string_value(json_object_get(c, "system"));
        const char *code = json_string_value(json_object_get(c, "code"));
        if (!code || (sys && !fhir_loinc_system(sys))) continue;
        for (int i = 0; i < f->n_items; i++) {
            if (!f->items[i].loinc || strcmp(f->items[i].loinc, code) != 0 || !form_item_scale(f, i)) continue;
            if (f->items[i].safety) return i;
            if (f->items[i].score && scored < 0) scored = i;
        }
    }
    return scored;
}

/* The answer an item Observation states: its valueCodeableConcept's Codings (read as an answer's
 * valueCoding), else valueInteger; false when it states none triage reads. */
static bool observed_answer(const form *f, int item, json_t *o, answer *out) {
    /* one value[x], and no dataAbsentReason beside it (R4's obs-6): an Observation coded "not at all" beside a
     * valueQuantity 3 or a valueString "Nearly every day", or valueInteger 0 beside dataAbsentReason asked-declined,
     * was read by the value triage knows, and saved green (sixteenth outside integrator) */
    int values = 0;
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) if (!strncmp(key, "value", 5)) values++;
    if (values > 1 || (values == 1 && json_object_get(o, "dataAbsentReason"))) return false;
    /* ...nor HL7's data-absent-reason extension anywhere in it (the value, a primitive's "_value...", the Observation or
     * component itself), nor a modifierExtension (eighteenth outside integrator: on a component, on the Observation,
     * or under a versioned url, each beside "not at all", saved green) */
    if (fhir_says_absent(o) || fhir_has_modifier(o)) return false;
    /* an ordinalValue on the Observation itself says the value too */
    double o_ord = 0;
    fhir_ordinal o_stated = fhir_ordinal_of(o, &o_ord);
    if (o_stated == FHIR_ORD_UNREADABLE) return false;
    /* an ordinalValue on the CodeableConcept itself says the value of every Coding in it */
    json_t *cc = json_object_get(o, "valueCodeableConcept");
    double cc_ord = 0;
    fhir_ordinal cc_stated = fhir_ordinal_of(cc, &cc_ord);
    if (cc_stated == FHIR_ORD_UNREADABLE) return false;
    json_t *tries = json_array();
    size_t k;
    json_t *c;
    json_array_foreach(json_object_get(cc, "coding"), k, c) {
        json_t *a = json_object();
        json_object_set(a, "valueCoding", c);
        json_array_append_new(tries, a);
    }
    static const char *const numbers[] = {"valueInteger", "valueQuantity"};
    for (int i = 0; i < 2; i++)
        if ((v = json_object_get(o, numbers[i]))) {
            json_t *a = json_object();
            json_object_set(a, numbers[i], v);
            json_array_append_new(tries, a);
        }
    /* every Coding it reads must say the same: two that differ ("not at all" and "nearly every day") are no answer
     * triage can read (fourteenth outside integrator: the first was taken, and the order decided the level) */
    bool found = false, differ = false;
    json_array_foreach(tries, k, c) {
        bool refused;
        int ci = fhir_answer_choice(f, item, c, &refused);
        if (!refused && ci < 0) continue;
        answer a = refused ? (answer){ANS_REFUSED, 0} : (answer){ANS_VALUE, form_item_scale(f, item)->choices[ci].value};
        /* a code whose ordinalValue says another value (LA6570-1 "not at all" with an ordinal of 3) says two things,
         * as in a response's answer (answer_contradicts) */
        double ord = 0;
        fhir_ordinal stated = json_is_object(json_object_get(c, "valueCoding")) ? fhir_answer_ordinal(c, &ord) : FHIR_ORD_NONE;
        if (!refused && (stated == FHIR_ORD_UNREADABLE || (stated == FHIR_ORD_VALUE && ord != (double)a.value)))
            differ = true;
        if (!refused && cc_stated == FHIR_ORD_VALUE && cc_ord != (double)a.value) differ = true;
        if (!refused && o_stated == FHIR_ORD_VALUE && o_ord != (double)a.value) differ = true;
        if (found && (a.state != out->state || a.value != out->value)) differ = true;
        *out = a;
        found = true;
    }
    json_decref(tries);
    return found && !differ;
}

/* An Observation of the file derived from the response that states the answer to one of its scored or safety
 * items (US Core sends PHQ-9 item 9, 44260-8, so): it must say what the response says. One that says another
 * answer (the response "not at all", the Observation "nearly every day") is a contradiction, refused naming
 * both entries as the totals' are: taking the response's answer would silently drop a positive safety item. */
/* Whether Observation entry `at` is a member (hasMember) of an Observation derived from response qr: US Core's
 * PHQ-9 panel Observation lists the item Observations so; an item 9 "nearly every day" linked only that way
 * contradicted the response's "not at all" unchecked (sixth outside integrator). */
static bool member_of_derived(const res *all, int n, const res *at, const res *qr) {
    for (int j = 0; j < n; j++) {
        json_t *panel = all[j].resource;
        if (strcmp(json_string_value(json_object_get(panel, "resourceType")) ?: "", "Observation") != 0 ||
            !derived_from(panel, qr))
            continue;
        size_t k;
        json_t *m;
        json_array_foreach(json_object_get(panel, "hasMember"), k, m)
            if (names(at, "Observation", json_string_value(json_object_get(m, "reference")))) return true;
    }
    return false;
}

/* The parts of an Observation that may state an item's answer: the Observation itself (part -1) and each of its
 * components (a panel Observation may give its items as components, each with its code and value: item 9 "nearly
 * every day" given so beside a negative PHQ-9 was not read, and the client saved green: fifteenth outside
 * integrator). */
static int observation_parts(json_t *o) { return (int)json_array_size(json_object_get(o, "component")); }
static json_t *observation_part(json_t *o, int part) {
    return part < 0 ? o : json_array_get(json_object_get(o, "component"), (size_t)part);
}

/* Where an Observation (or one of its components) is, for a message. */
static void observation_where(const res *at, int part, char *out, size_t size) {
    char id[60];
    text_for_display(json_string_value(json_object_get(at->resource, "id")) ?: "(no id)", 40, id, sizeof id);
    char in[32] = "";
    if (at->entry >= 0) snprintf(in, sizeof in, "entry[%d] ", at->entry);
    if (part < 0) snprintf(out, size, "%sObservation %s", in, id);
    else snprintf(out, size, "%sObservation %s component[%d]", in, id, part);
}

/* The answer part `part` of Observation o states: a component of an Observation whose own modifierExtension or
 * implicitRules may change what every part means is not readable (nineteenth outside integrator: a panel's). */
static bool observed_answer_of(const form *f, int item, json_t *o, int part, answer *out) {
    if (part >= 0 && (json_array_size(json_object_get(o, "modifierExtension")) > 0 || json_object_get(o, "implicitRules")))
        return false;
    return observed_answer(f, item, observation_part(o, part), out);
}

static void check_item_observations(const res *all, int n, const res *qr, const form *f, const answer *answers,
                                    uint64_t *unread, const char *w, problems *p) {
    for (int i = 0; i < n; i++) {
        json_t *o = all[i].resource;
        if (strcmp(json_string_value(json_object_get(o, "resourceType")) ?: "", "Observation") != 0) continue;
        if (!derived_from(o, qr) && !member_of_derived(all, n, &all[i], qr)) continue;
        for (int part = -1; part < observation_parts(o); part++) {
            json_t *said = observation_part(o, part);
            int item = observed_item(said, f);
            if (item < 0) continue;
            char ow[160], given[64], stated_text[64];
            observation_where(&all[i], part, ow, sizeof ow);
            answer stated;
            if (!observed_answer_of(f, item, o, part, &stated)) {
                problem(p, "%s states the answer to %s.%s (LOINC %s) for %s in a value triage does not read (a LOINC "
                           "or triage answer Coding whose ordinalValue, if any, agrees, or valueInteger): it cannot be "
                           "checked; nothing was imported",
                        ow, f->id, f->items[item].id, f->items[item].loinc, w);
                if (item < 64) *unread |= 1ull << item; /* not known: a safety item's SAFETY line says so */
                continue;
            }
            const answer *a = &answers[item];
            if (a->state == stated.state && (a->state != ANS_VALUE || a->value == stated.value)) continue;
            if (a->state == ANS_VALUE || a->state == ANS_REFUSED) answer_format(f, item, *a, given, sizeof given);
            else snprintf(given, sizeof given, "unanswered");
            answer_format(f, item, stated, stated_text, sizeof stated_text);
            problem(p, "%s (%s.%s = %s) and %s (%s) answer the same question, LOINC %s, differently: which answer the "
                       "client gave is not known; nothing was imported (correct one of them)",
                    w, f->id, f->items[item].id, given, ow, stated_text, f->items[item].loinc);
            /* not known: a safety item's SAFETY line names it (thirteenth outside integrator: US Core's item 9
             * Observation "nearly every day" against the response's "not at all" said nothing of the risk) */
            if (item < 64) *unread |= 1ull << item;
        }
    }
}

/* R4's QuestionnaireResponse.status (in-progress | completed | amended | entered-in-error | stopped):
 * - completed and amended are screens the client finished: taken;
 * - in-progress is a screen the client gave part of (a pre-screen sends what was answered so far): taken, so
 *   that what it says reaches the queue, and scored as the partial screen it is: every item without an answer
 *   is missing (a safety item unanswered counts as positive, a form with more missing than its rule allows is
 *   incomplete); its status is kept with the intake, and the export writes it back as in-progress;
 * - entered-in-error (voided) and stopped (abandoned) are no screen that stands: refused, naming the entry, so
 *   that no intake is made of them;
 * - any other value is no R4 status: refused naming it. A response that states none (R4 requires one; some
 *   senders leave it out) is read as completed. */
static void read_status(json_t *o, const char *w, response *r, problems *p) {
    json_t *v = json_object_get(o, "status");
    const char *status = json_string_value(v);
    r->status = NULL;
    if (!v) return;
    if (status && (!strcmp(status, "completed") || !strcmp(status, "amended") || !strcmp(status, "in-progress"))) {
        r->status = status;
        return;
    }
    if (status && (!strcmp(status, "entered-in-error") || !strcmp(status, "stopped"))) {
        problem(p, "%s: status `%s`: a response %s is not imported (expected completed, amended or in-progress)", w,
                status, !strcmp(status, "stopped") ? "abandoned before its end" : "entered in error (voided)");
        return;
    }
    char shown[60];
    text_for_display(status ? status : "(not a string)", 40, shown, sizeof shown);
    problem(p, "%s: status `%s` is not a QuestionnaireResponse status of FHIR R4 (in-progress, completed, amended, "
               "entered-in-error, stopped): not imported", w, shown);
}

/* Whether a response was sent as in-progress: the client gave part of the screen. */
static bool is_partial(const response *r) { return r->status && !strcmp(r->status, "in-progress"); }

/* Reads one response into r; problems are listed, naming the resource and the linkId. */
/* A response of no form triage knows: a safety item it answers under its LOINC code, read as that item's answer. */
static void unknown_form_safety(const engine *e, json_t *flat, const char *w, response *r) {
    size_t k;
    json_t *it;
    json_array_foreach(flat, k, it) {
        const char *link = json_string_value(json_object_get(it, "linkId"));
        /* a linkId some Questionnaire of the file codes as a safety item, when nothing else says what it is */
        const char *hint = json_string_value(json_object_get(it, FHIR_SAFETY_HINT_KEY));
        for (int fi = 0; link && fi < e->forms.n && !r->safety_form; fi++) {
            const form *f = e->forms.v[fi];
            int idx = fhir_item_of(f, link);
            if (idx < 0 && hint) link = hint, idx = fhir_item_of(f, hint);
            const char *bare = link[0] == '/' ? strrchr(link, '/') + 1 : link;
            if (idx < 0 || !f->items[idx].safety || !f->items[idx].loinc || strcmp(f->items[idx].loinc, bare) != 0) continue;
            response scratch;
            memset(&scratch, 0, sizeof scratch);
            for (int i = 0; i < FORM_MAX_ITEMS; i++) scratch.answers[i] = (answer){ANS_UNANSWERED, 0};
            error quiet = {0};
            problems none = {&quiet, 0, 0};
            char shown[80];
            text_for_display(link, 40, shown, sizeof shown);
            read_item(f, idx, it, w, shown, &scratch, &none);
            answer a = scratch.answers[idx];
            bool unread = none.problems > 0;
            bool positive = a.state == ANS_VALUE && a.value >= f->items[idx].safety_min;
            if (!unread && !positive && a.state != ANS_REFUSED && a.state != ANS_UNANSWERED) continue;
            r->safety_form = f;
            r->safety_item = idx;
            r->safety_answer = a;
            r->safety_unread = unread || a.state == ANS_UNANSWERED;
        }
    }
}

/* A response of no form triage can read whose answered items are, by their LOINC codes, most of one form's, without
 * that form's safety item: the screen is that form's with its safety item not known, which counts as positive (said
 * first; twenty-second outside integrator: a PHQ-9 whose q9 its Questionnaire left uncoded, or defined as a GAD-7
 * item, was refused with nothing said of item 9). */
static void missing_safety_item(const engine *e, json_t *flat, response *r) {
    for (int fi = 0; fi < e->forms.n && !r->safety_form; fi++) {
        const form *f = e->forms.v[fi];
        bool named[FORM_MAX_ITEMS] = {false};
        int count = 0, others = 0;
        size_t k;
        json_t *it;
        json_array_foreach(flat, k, it) {
            const char *link = json_string_value(json_object_get(it, "linkId"));
            others += json_array_size(json_object_get(it, "answer")) > 0;
            int idx = link ? fhir_item_of(f, link) : -1;
            const char *bare = link && strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
            if (idx < 0 || !f->items[idx].loinc || strcmp(f->items[idx].loinc, bare) != 0 || named[idx]) continue;
            named[idx] = true;
            count++;
        }
        /* most of the form's items, and an answer besides them that may be its safety item (a PHQ-8, item 9 never
         * asked, has none) */
        if (count * 2 < f->n_items || others <= count) continue;
        for (int i = 0; i < f->n_items && !r->safety_form; i++) {
            if (!f->items[i].safety || named[i]) continue;
            r->safety_form = f;
            r->safety_item = i;
            r->safety_answer = (answer){ANS_UNANSWERED, 0};
            r->safety_unread = true;
        }
    }
}

/* Whether a text of v (an item's, a group's, a Questionnaire's: `text`, `title`, `name`, `url`, `linkId`, a Coding's
 * `display`, at any depth, contained resources aside) holds one of words (fhir_words.h) */
static bool texts_hold(json_t *v, const char *words, char *found, size_t size) {
    size_t k;
    json_t *x;
    const char *key;
    if (json_is_array(v)) {
        json_array_foreach(v, k, x) if (texts_hold(x, words, found, size)) return true;
        return false;
    }
    json_object_foreach(v, key, x) {
        if (!strcmp(key, "contained")) continue;
        if (json_is_string(x)) {
            if ((!strcmp(key, "text") || !strcmp(key, "title") || !strcmp(key, "name") || !strcmp(key, "url") ||
                 !strcmp(key, "linkId") || !strcmp(key, "display") || !strcmp(key, "description") ||
                 !strcmp(key, "prefix") || !strcmp(key, "code") || !strcmp(key, "definition")) &&
                fhir_words_match(json_string_value(x), words, found, size))
                return true;
        } else if (texts_hold(x, words, found, size)) {
            return true;
        }
    }
    return false;
}

/* Whether v (at any depth, contained resources too) holds a Coding that config.ini's [import] conditions list at a
 * level above green (a questionnaire item coded SNOMED 6471006, suicidal thoughts, or ICD-10-CM R45.851: the item asks
 * about suicide whatever its words; thirty-seventh outside integrator); its system and code into found */
static bool codings_listed(json_t *v, const char *list, char *found, size_t size) {
    size_t k;
    json_t *x;
    const char *key;
    if (!list) return false;
    if (json_is_array(v)) {
        json_array_foreach(v, k, x) if (codings_listed(x, list, found, size)) return true;
        return false;
    }
    if (!json_is_object(v)) return false;
    const char *system = json_string_value(json_object_get(v, "system"));
    const char *code = json_string_value(json_object_get(v, "code"));
    if (system && code && fhir_listed_level(list, true, system, code) > LEVEL_GREEN) {
        snprintf(found, size, "%s", code);
        return true;
    }
    json_object_foreach(v, key, x) if (codings_listed(x, list, found, size)) return true;
    return false;
}

/* Whether q is a Questionnaire canon names by its url (base: canon's length before any "|version") or as
 * Questionnaire/id */
static bool names_questionnaire(json_t *q, const char *canon, size_t base) {
    const char *type = json_string_value(json_object_get(q, "resourceType"));
    const char *url = json_string_value(json_object_get(q, "url"));
    const char *id = json_string_value(json_object_get(q, "id"));
    if (!type || strcmp(type, "Questionnaire") != 0) return false;
    return (url && strlen(url) == base && !strncmp(url, canon, base)) ||
           (id && !strncmp(canon, "Questionnaire/", 14) && !strcmp(canon + 14, id));
}

/* The Questionnaires response qr names by canon: contained (#id), or in the file by its url (with or without a
 * version) or Questionnaire/id; each is looked into by texts_hold */
static bool questionnaire_texts_hold(const res *all, int n, json_t *qr, const char *canon, const char *words, char *found,
                                     size_t size) {
    if (!canon || !*canon) return false;
    size_t k;
    json_t *c;
    if (canon[0] == '#') {
        json_array_foreach(json_object_get(qr, "contained"), k, c) {
            const char *id = json_string_value(json_object_get(c, "id"));
            if (id && !strcmp(id, canon + 1) && texts_hold(c, words, found, size)) return true;
        }
        return false;
    }
    size_t base = strcspn(canon, "|");
    for (int j = 0; j < n; j++) {
        json_t *q = all[j].resource;
        bool named = names_questionnaire(q, canon, base);
        if (named && texts_hold(q, words, found, size)) return true;
    }
    return false;
}

/* codings_listed over the Questionnaires in the file that canon names by url or Questionnaire/id (contained ones are in
 * the response, which codings_listed reads whole) */
static bool questionnaire_codings_listed(const res *all, int n, const char *canon, const char *list, char *found,
                                         size_t size) {
    if (!canon || !*canon || canon[0] == '#') return false;
    size_t base = strcspn(canon, "|");
    for (int j = 0; j < n; j++) {
        json_t *q = all[j].resource;
        bool named = names_questionnaire(q, canon, base);
        if (named && codings_listed(q, list, found, size)) return true;
    }
    return false;
}

/* A response of a questionnaire triage does not score whose canonical or items' texts or linkIds hold a word a form
 * with safety items lists as its fhir_foreign_words (another system's ASQ: its own canonical, valueBoolean answers):
 * a screen asking about suicide whose answers are not read, which counts as positive (twenty-sixth outside
 * integrator: refused without a SAFETY line). */
static void foreign_safety_screen(const engine *e, const res *all, int n, const char *canon, json_t *qr, response *r) {
    for (int fi = 0; fi < e->forms.n && !r->safety_form; fi++) {
        const form *f = e->forms.v[fi];
        int first = -1;
        for (int k = 0; k < f->n_items && first < 0; k++)
            if (f->items[k].safety) first = k;
        if (first < 0 || !f->fhir_foreign_words) continue;
        char word[48] = "";
        /* its canonical, its items' and groups' texts at any depth, and the Questionnaire it names when the file
         * holds it (the wording may be there alone: twenty-seventh outside integrator) */
        bool named = fhir_words_match(canon, f->fhir_foreign_words, word, sizeof word) ||
                     texts_hold(json_object_get(qr, "item"), f->fhir_foreign_words, word, sizeof word) ||
                     questionnaire_texts_hold(all, n, qr, canon, f->fhir_foreign_words, word, sizeof word);
        /* or a Coding in it, or in its Questionnaire, that [import] conditions list (an item coded as suicidal
         * thoughts) */
        const char *list = ini_get(&e->cfg.ini, "import", "conditions");
        if (!named) named = codings_listed(qr, list, word, sizeof word) || questionnaire_codings_listed(all, n, canon, list, word, sizeof word);
        if (!named) continue;
        r->safety_form = f;
        r->safety_item = first;
        r->safety_answer = (answer){ANS_UNANSWERED, 0};
        r->safety_unread = true;
        snprintf(r->safety_word, sizeof r->safety_word, "%s", word);
    }
}

static void read_response(const engine *e, const res *all, int n, const res *qr, response *r, problems *p) {
    char w[160];
    where(qr, w, sizeof w);
    json_t *o = qr->resource;
    const char *canon = json_string_value(json_object_get(o, "questionnaire"));
    json_t *flat = json_array();
    flatten(json_object_get(o, "item"), flat);
    /* by its canonical (LOINC's panel, ours, an alias), else by LOINC item codes only: under another questionnaire's
     * canonical or none, triage's ids such as item1 name nothing (twelfth outside integrator: an AUDIT-C, items item1
     * to item4 answered 0, was read as a negative ASQ and saved green; thirteenth: with no canonical, as a false red) */
    r->f = fhir_form_of(&e->forms, canon);
    if (!r->f) r->f = fhir_form_by_items(&e->forms, json_object_get(o, "item"), true);
    r->subject = json_string_value(json_object_get(json_object_get(o, "subject"), "reference")) ?: "";
    if (!r->f) {
        unknown_form_safety(e, flat, w, r);
        if (!r->safety_form) missing_safety_item(e, flat, r);
        if (!r->safety_form) foreign_safety_screen(e, all, n, canon, o, r);
        char shown[120];
        text_for_display(canon ? canon : "(none)", 80, shown, sizeof shown);
        problem(p, "%s: questionnaire `%s` is not a questionnaire triage scores, and its linkIds are not the items of "
                   "one (%s)", w, shown,
                canon && *canon ? "by LOINC item codes: under another questionnaire's canonical, ids such as item1 are "
                                  "that questionnaire's own; a pre-screen of triage's forms adds its canonical to the "
                                  "form's fhir_aliases"
                                : "by LOINC item codes: with no canonical, ids such as item1 name no questionnaire");
        json_decref(flat);
        return;
    }
    const form *f = r->f;
    read_status(o, w, r, p);
    read_authored(o, w, r, p);
    for (int i = 0; i < FORM_MAX_ITEMS; i++) r->answers[i] = (answer){ANS_UNANSWERED, 0};
    r->unread = 0;
    int problems_before = p->problems;
    bool seen[FORM_MAX_ITEMS] = {false};
    json_t *total_item = NULL;
    json_t *foreign = json_array(); /* items that are not this form's: another form's safety item among them? */
    if (!json_is_array(json_object_get(o, "item"))) problem(p, "%s: no item array", w);
    /* a modifierExtension on the response may change what all of it means, and triage knows none: refused, and every
     * answer in it taken as not known (a safety item's SAFETY line says so) */
    if (json_array_size(json_object_get(o, "modifierExtension")) > 0 || json_object_get(o, "implicitRules")) {
        problem(p, "%s: a modifierExtension triage does not know changes what the response means: refused", w);
        r->unread = ~0ull;
    }
    size_t k;
    json_t *it;
    json_array_foreach(flat, k, it) {
        const char *link = json_string_value(json_object_get(it, "linkId"));
        char shown[80];
        text_for_display(link ? link : "(none)", 40, shown, sizeof shown);
        if (fhir_is_total_link(f, link)) {
            total_item = it;
            continue;
        }
        int idx = fhir_item_of(f, link);
        /* an item that is not the form's and holds no answer (display text such as instructions: R4 allows
         * item.answer 0..*) carries nothing to score: passed over, not refused */
        json_t *given = json_object_get(it, "answer");
        if (idx < 0 && (!given || (json_is_array(given) && json_array_size(given) == 0))) continue;
        if (idx < 0) {
            problem(p, "%s: linkId `%s` is not an item of %s", w, shown, f->id);
            json_array_append(foreign, it);
            continue;
        }
        if (seen[idx]) {
            problem(p, "%s: linkId `%s` (%s.%s) is answered twice", w, shown, f->id, f->items[idx].id);
            if (idx < 64) r->unread |= 1ull << idx;
            continue;
        }
        seen[idx] = true;
        int before_item = p->problems;
        read_item(f, idx, it, w, shown, r, p);
        if (p->problems > before_item && idx < 64) r->unread |= 1ull << idx;
    }
    json_decref(flat);
    /* another form's safety item in this one (item 9, 44260-8, in a GAD-7): refused as not this form's item, and named
     * first with its SAFETY line when positive or not known (seventeenth outside integrator: said nothing of it) */
    unknown_form_safety(e, foreign, w, r);
    /* an item that is not this form's whose linkId, text or code names a suicide screen (a C-SSRS item 93247-5
     * answered beside a PHQ-9 was refused as "not an item of phq9", no SAFETY line: thirty-seventh outside
     * integrator) */
    if (!r->safety_form && json_array_size(foreign)) {
        json_t *holder = json_pack("{sO}", "item", foreign);
        foreign_safety_screen(e, NULL, 0, NULL, holder, r);
        json_decref(holder);
    }
    json_decref(foreign);
    check_hidden_answers(f, r->answers, w, p);
    int unread = p->problems - problems_before;
    check_stated_total(all, n, qr, f, total_item, r->answers, unread, w, p);
    if (unread == 0) check_item_observations(all, n, qr, f, r->answers, &r->unread, w, p);
}

/* A Patient contained in response qr (R4: a reference "#id" names a resource of its container's
 * contained[], as a form filler sends the person with the screen), or NULL. */
static json_t *contained_patient(json_t *qr, const char *ref) {
    if (!ref || ref[0] != '#' || !ref[1]) return NULL;
    size_t k;
    json_t *c;
    json_array_foreach(json_object_get(qr, "contained"), k, c) {
        const char *type = json_string_value(json_object_get(c, "resourceType"));
        const char *id = json_string_value(json_object_get(c, "id"));
        if (type && id && !strcmp(type, "Patient") && !strcmp(id, ref + 1)) return c;
    }
    return NULL;
}

/* The version a reference asks for ("Patient/45/_history/2": "2"), cut off *ref's copy; NULL for none. */
static const char *ref_version(const char *ref, char *base, size_t size) {
    snprintf(base, size, "%s", ref);
    char *h = strstr(base, "/_history/");
    if (!h) return NULL;
    *h = '\0';
    return ref + (h - base) + strlen("/_history/");
}

/* Whether resource o's meta.versionId is v (NULL: any version). */
static bool version_is(json_t *o, const char *v) {
    if (!v) return true;
    const char *have = json_string_value(json_object_get(json_object_get(o, "meta"), "versionId"));
    return have && !strcmp(have, v);
}

/* The Patient entries reference ref names, read as R4 reads a reference inside a Bundle (bundle.html#references):
 * an absolute URL or a URN is the entry with that fullUrl; a relative "Patient/id" from a response whose fullUrl is
 * an absolute RESTful URL is the entry at that server's base (a Patient/1 of another server is another person:
 * the first Patient/1 of the file was taken, and an orange screen was filed under the wrong name and call-back
 * number: sixth outside integrator); from a response without one, the Patient with that id. A version
 * ("/_history/2") picks the entry of that meta.versionId. Returns how many entries it names (more than one: the
 * reference is ambiguous and names none); *out the one. */
static int patients_named(const res *all, int n, const res *from, const char *ref, json_t **out) {
    *out = NULL;
    char base[512], target[1024];
    const char *version = ref_version(ref, base, sizeof base);
    bool absolute = strstr(base, "://") || !strncmp(base, "urn:", 4);
    const char *from_url = from ? from->url : "";
    bool restful = !absolute && strstr(from_url, "://");
    if (restful) { /* the server's base: the response's fullUrl without its "Type/id" */
        snprintf(target, sizeof target, "%s", from_url);
        for (int cut = 0; cut < 2; cut++) {
            char *slash = strrchr(target, '/');
            if (slash) *slash = '\0';
        }
        size_t used = strlen(target);
        snprintf(target + used, sizeof target - used, "/%s", base);
    }
    const char *slash = strchr(base, '/');
    const char *id = !absolute && slash ? slash + 1 : NULL;
    int found = 0;
    for (int i = 0; i < n; i++) {
        json_t *o = all[i].resource;
        if (strcmp(json_string_value(json_object_get(o, "resourceType")) ?: "", "Patient") != 0) continue;
        const char *oid = json_string_value(json_object_get(o, "id"));
        bool named;
        if (absolute) named = *all[i].url && !strcmp(all[i].url, base);
        else if (restful && *all[i].url && strstr(all[i].url, "://")) named = !strcmp(all[i].url, target);
        else named = id && oid && !strncmp(base, "Patient/", 8) && !strcmp(oid, id);
        if (!named || !version_is(o, version)) continue;
        if (found++ == 0) *out = o;
    }
    if (found != 1) *out = NULL;
    return found;
}

/* The Patient response qr's reference names: contained in it ("#id"), else the one entry of the bundle it
 * names (patients_named); NULL when none, or when it names several. */
static json_t *patient_of(const res *all, int n, const res *from, const char *ref) {
    if (!ref || !*ref) return NULL;
    if (ref[0] == '#') return contained_patient(from->resource, ref);
    json_t *pt;
    patients_named(all, n, from, ref, &pt);
    return pt;
}

/* Whether two references (each read from its resource) name one person: both resolve to the same Patient of the file,
 * or, resolving to none, are the same text; a reference not given says nobody else (read as the same). */
static bool same_person(const res *all, int n, const res *a, const char *ref_a, const res *b, const char *ref_b) {
    if (!ref_a || !*ref_a || !ref_b || !*ref_b) return true;
    json_t *pa = patient_of(all, n, a, ref_a), *pb = patient_of(all, n, b, ref_b);
    if (pa || pb) return pa == pb;
    return !strcmp(ref_a, ref_b);
}

/* Whether a language tag (BCP 47) is Chinese: zh, zh-CN, zh-Hans... */
static bool is_chinese(const char *tag) {
    return tag && !strncmp(tag, "zh", 2) && (tag[2] == '\0' || tag[2] == '-');
}

/* Whether a name is written family first: the Patient's language is Chinese, or the name carries the
 * language extension saying so, or its family name is written in Chinese characters (not Latin letters). */
static bool family_first(json_t *p, json_t *n, const char *family) {
    if (is_chinese(json_string_value(json_object_get(p, "language")))) return true;
    size_t k;
    json_t *x;
    json_array_foreach(json_object_get(n, "extension"), k, x) {
        const char *url = json_string_value(json_object_get(x, "url"));
        if (url && !strcmp(url, "http://hl7.org/fhir/StructureDefinition/language") &&
            is_chinese(json_string_value(json_object_get(x, "valueCode"))))
            return true;
    }
    return family && (unsigned char)family[0] >= 0xE3; /* UTF-8 lead byte of the CJK blocks */
}

/* How current a HumanName is: 0 usual, 1 official, 2 without a use; -1 never the client's name now (use old,
 * maiden, nickname, temp, anonymous, or a period that has ended). */
static int name_rank(json_t *n) {
    const char *end = json_string_value(json_object_get(json_object_get(n, "period"), "end"));
    int64_t ended;
    if (end && fhir_datetime_parse(end, &ended) && ended <= clock_now()) return -1;
    const char *use = json_string_value(json_object_get(n, "use"));
    if (!use) return 2;
    return !strcmp(use, "usual") ? 0 : !strcmp(use, "official") ? 1 : -1;
}

/* The Patient's current name: usual, else official, else one without a use; never use=old (the US Core
 * example's maiden name "Amy V. Shaw" beside "Amy V. Baxter"), nor a name whose period has ended. */
static json_t *current_name(json_t *p) {
    json_t *best = NULL, *n;
    int best_rank = 3;
    size_t k;
    json_array_foreach(json_object_get(p, "name"), k, n) {
        int r = name_rank(n);
        if (r >= 0 && r < best_rank) best = n, best_rank = r;
    }
    return best;
}

/* The name of a Patient: its current HumanName's text (current_name), else (R4 makes text optional; US Core asks only for a
 * family or a given name) its given names and family put together, "given family", or family first without
 * a space for a Chinese name. */
static const char name_too_long[] = "";

static const char *patient_name(json_t *p, char *buf, size_t size) {
    json_t *n = current_name(p);
    const char *text = json_string_value(json_object_get(n, "text"));
    if (text && *text) return strlen(text) > CLIENT_NAME_MAX_BYTES ? name_too_long : text;
    const char *family = json_string_value(json_object_get(n, "family"));
    char given[CLIENT_NAME_MAX_BYTES + 1] = "";
    size_t used = 0, k;
    json_t *g;
    json_array_foreach(json_object_get(n, "given"), k, g) {
        const char *s = json_string_value(g);
        if (!s || !*s) continue;
        if (used + 1 + strlen(s) >= sizeof given) return name_too_long; /* never cut: a cut name is another name */
        int w = snprintf(given + used, sizeof given - used, "%s%s", used ? " " : "", s);
        if (w > 0) used += (size_t)w < sizeof given - used ? (size_t)w : sizeof given - used - 1;
    }
    if ((!family || !*family) && !*given) return NULL;
    if (!family || !*family) snprintf(buf, size, "%s", given);
    else if (!*given) snprintf(buf, size, "%s", family);
    else if (family_first(p, n, family)) {
        bool cjk = (unsigned char)family[0] >= 0xE3 && (unsigned char)given[0] >= 0xE3;
        snprintf(buf, size, "%s%s%s", family, cjk ? "" : " ", given);
    } else snprintf(buf, size, "%s %s", given, family);
    return strlen(buf) > CLIENT_NAME_MAX_BYTES || strlen(buf) + 1 >= size ? name_too_long : buf;
}

static const char *patient_phone(json_t *p) {
    size_t k;
    json_t *t;
    json_array_foreach(json_object_get(p, "telecom"), k, t) {
        const char *sys = json_string_value(json_object_get(t, "system"));
        if (sys && !strcmp(sys, "phone")) return json_string_value(json_object_get(t, "value"));
    }
    return NULL;
}

static bool births_differ(const char *a, const char *b) { return a && *a && b && *b && strcmp(a, b); }

/* The existing client with this name and the same phone or date of birth; "" when none. A client whose birth
 * date differs (when both have one) is another person however alike the name and phone (a father and his son
 * at one address): never matched, so one person's screen never lands in another's record; with the same phone
 * it is kept as a namesake, named in the output beside the new client. */
static bool same_name(const char *a, const char *b);

static bool match_client(session *s, subject *sj, error *err) {
    client_plain *list = NULL;
    int n = 0;
    sj->client_id[0] = sj->namesake[0] = '\0';
    if (!client_find(s, sj->name, &list, &n, err)) return false;
    char a[72];
    normalise_phone(sj->phone, a, sizeof a);
    int hits = 0;
    for (int i = 0; i < n; i++) {
        if (sj->pseudonymous) {
            /* a pseudonymous client is its pseudonym: the same name exactly, never a client with a phone or
             * birth date (a real person) */
            bool same = list[i].name && !strcmp(list[i].name, sj->name) && !*list[i].phone && !*list[i].birth;
            if (same && hits++ == 0) snprintf(sj->client_id, sizeof sj->client_id, "%s", list[i].id);
            continue;
        }
        /* the same name, word for word in any order: the search also finds a client by one word of the name, and
         * a Patient named "Wang" with the number of "Wang Fang" is not her (eleventh outside attacker) */
        if (!list[i].name || !same_name(list[i].name, sj->name)) continue;
        /* as the one-client rule compares them (client_phones_same): the import matched "+86 138..." and "138..." as
         * two people where the rule that saves it then joined them (twelfth outside attacker) */
        bool same_phone = *a && client_phones_same(sj->phone, list[i].phone);
        if (births_differ(sj->birth, list[i].birth)) {
            if (same_phone && !sj->namesake[0]) snprintf(sj->namesake, sizeof sj->namesake, "%s", list[i].id);
            continue;
        }
        bool same = same_phone || (sj->birth && *sj->birth && !strcmp(sj->birth, list[i].birth));
        if (same && hits++ == 0) snprintf(sj->client_id, sizeof sj->client_id, "%s", list[i].id);
    }
    client_list_free(list, n);
    if (hits > 1) {
        error_set(err, ERR_INPUT, "several clients are named like Patient %s with the same phone or birth date: give --client ID",
                 sj->ref);
        return false;
    }
    if (sj->client_id[0]) sj->namesake[0] = '\0';
    return true;
}

/* The subject a response is for: one per reference in the bundle; a contained Patient ("#id" is local to
 * its response) is the same subject as another response's only when the two Patients are the same. */
static int subject_index(subject *subjects, int *ns, const char *ref, json_t *contained, json_t *entry) {
    for (int i = 0; i < *ns; i++) {
        /* a Patient entry the reference resolves to is the subject: two servers' "Patient/1" are two people (the
         * second response went to the first's Patient, an orange screen under another name: twelfth outside
         * attacker); a reference that resolves to none is told apart by its text */
        if (entry || subjects[i].entry) {
            if (entry == subjects[i].entry) return i;
            continue;
        }
        if (!contained && !subjects[i].contained && !strcmp(subjects[i].ref, ref)) return i;
        if (contained && subjects[i].contained && json_equal(contained, subjects[i].contained)) return i;
    }
    subjects[*ns].ref = ref;
    subjects[*ns].contained = contained;
    subjects[*ns].entry = entry;
    return (*ns)++;
}

/* The intake form's answers, as `triage intake new` takes them: the presenting concerns, the client's language
 * and counselor preference into the assessment input, the other choice and number answers (channel, age)
 * into the record kept with the intake (the report facts read them there). */
static void record_answers(const engine *e, const response *r, json_t *input, json_t *record) {
    const form *f = r->f;
    const need_model *m = &e->needs;
    for (int k = 0; k < f->n_items; k++) {
        const answer *a = &r->answers[k];
        if (a->state != ANS_VALUE) continue;
        const scale *sc = form_item_scale(f, k);
        bool concerns = m->concern_form >= 0 && f == e->forms.v[m->concern_form] && k == m->concern_item;
        if (concerns && sc) {
            json_t *codes = json_array();
            for (int c = 0; c < sc->n; c++)
                if ((uint32_t)a->value & (1u << c)) json_array_append_new(codes, json_string(sc->choices[c].code));
            json_object_set_new(input, "concerns", codes);
            continue;
        }
        int c = sc ? scale_value_index(sc, a->value) : -1;
        if (f->items[k].type == ITEM_CHOICE && c >= 0) {
            const char *code = sc->choices[c].code;
            if (m->language_form >= 0 && f == e->forms.v[m->language_form] && k == m->language_item)
                json_object_set_new(input, "language", json_string(code));
            else if (m->gender_form >= 0 && f == e->forms.v[m->gender_form] && k == m->gender_item) {
                json_t *prefs = json_object();
                json_object_set_new(prefs, "counselor_gender", json_string(code));
                json_object_set_new(input, "preferences", prefs);
            } else {
                json_object_set_new(record, f->items[k].id, json_string(code));
            }
        } else if (f->items[k].type == ITEM_NUMBER) {
            json_object_set_new(record, f->items[k].id, json_integer(a->value));
        }
    }
}

/* Whether two names are the same name: the same after case folding and spacing (normalise_name), or the same
 * words in another order ("Amy Shaw" and "Shaw Amy": the order of given and family varies between systems). */
static int by_word(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void sorted_words(const char *name, char *buf, size_t size, char **words, int *n) {
    name_fold_strict(name, buf, size); /* the same person's name: accents count (records.c, client_is_person) */
    *n = 0;
    for (char *w = strtok(buf, " "); w && *n < 16; w = strtok(NULL, " ")) words[(*n)++] = w;
    qsort(words, (size_t)*n, sizeof *words, by_word);
}

static bool same_name(const char *a, const char *b) {
    char ba[256], bb[256], *wa[16], *wb[16];
    int na, nb;
    sorted_words(a, ba, sizeof ba, wa, &na);
    sorted_words(b, bb, sizeof bb, wb, &nb);
    if (na != nb) return false;
    for (int i = 0; i < na; i++)
        if (strcmp(wa[i], wb[i])) return false;
    return true;
}

/* --client ID names who the screen is for; a Patient in the file that names someone else (another name,
 * another birth date, or triage's client identifier of another client) would file one person's screen in
 * another's record, silently: refused naming both, unless --accept-patient-mismatch says it is meant. */
/* How the response's Patient in the file differs from client c, in why (false, why empty: it does not, or the file
 * names no Patient). by_id: triage's own client identifier counts too (not for a file from another database, whose
 * client ids are that database's). */
static bool patient_differs(const res *all, int n, const response *r, const client_plain *c, bool by_id, char *why,
                            size_t size) {
    why[0] = '\0';
    json_t *pt = patient_of(all, n, r->from, r->subject);
    if (!pt) return false; /* no Patient in the file: --client is how the person is named */
    char built[CLIENT_NAME_MAX_BYTES + 2];
    const char *name = patient_name(pt, built, sizeof built);
    const char *birth = json_string_value(json_object_get(pt, "birthDate"));
    size_t used = 0;
    if (name == name_too_long) /* no client's name is so long */
        used += (size_t)snprintf(why, size, "a name longer than %d bytes", CLIENT_NAME_MAX_BYTES);
    else if (name && *name && !same_name(name, c->name))
        used += (size_t)snprintf(why + used, size - used, "name `%s`, the client's `%s`", name, c->name);
    if (used < size && birth && *birth && c->birth && *c->birth && strcmp(birth, c->birth))
        used += (size_t)snprintf(why + used, size - used, "%sbirthDate %s, the client's %s", used ? "; " : "",
                                 birth, c->birth);
    size_t k;
    json_t *id;
    json_array_foreach(by_id ? json_object_get(pt, "identifier") : NULL, k, id) {
        const char *sys = json_string_value(json_object_get(id, "system"));
        const char *val = json_string_value(json_object_get(id, "value"));
        if (used < size && sys && val && !strcmp(sys, FHIR_CLIENT_IDS) && strcmp(val, c->id))
            used += (size_t)snprintf(why + used, size - used, "%sidentifier %s|%s, the client's %s",
                                     used ? "; " : "", sys, val, c->id);
    }
    return used > 0;
}

static void check_patient_is_client(const res *all, int n, const response *r, const client_plain *c, problems *p) {
    char why[512];
    if (!patient_differs(all, n, r, c, true, why, sizeof why)) return;
    char w[160], shown[600];
    where(r->from, w, sizeof w);
    text_for_display(why, 400, shown, sizeof shown);
    problem(p, "%s: its Patient is not client %s (%s): not imported for that client (give --accept-patient-mismatch "
               "with --client if it is meant for them)", w, c->id, shown);
}

/* An amended response saved as a new intake: audited naming the earlier intake it amends (which stays, with
 * its queue item: the queue keeps the higher of the two levels until a clinician says otherwise). */
static void audit_amendments(session *s, const response *rs, int nr, int g, const char *intake_id,
                             import_result *out) {
    for (int i = 0; i < nr; i++) {
        if (rs[i].group != g || !rs[i].amends[0]) continue;
        const char *status = json_string_value(json_object_get(rs[i].from->resource, "status"));
        char detail[160];
        snprintf(detail, sizeof detail, "fhir %s response (status %.20s) amends intake %s", rs[i].f->id,
                 status ? status : "none", rs[i].amends);
        session_audit(s, "import_amends", intake_id, detail);
        if (!out->amended++) {
            memcpy(out->amended_intake, rs[i].amends, STORE_ID_LEN);
            memcpy(out->amending_intake, intake_id, STORE_ID_LEN);
        }
    }
}

/* Saves the responses of one subject as one intake. */
static bool save_group(session *s, const engine *e, response *rs, int nr, int g, subject *sj, import_result *out,
                       error *err) {
    json_t *answers = json_object(), *input = json_object(), *record = json_object(), *idents = json_object();
    json_t *amends = json_object(), *statuses = json_object();
    json_object_set_new(record, "source", json_string("fhir_import"));
    for (int i = 0; i < nr; i++) {
        if (rs[i].group != g) continue;
        /* a response that amends an earlier intake: the export writes it with status amended */
        if (rs[i].amends[0]) json_object_set_new(amends, rs[i].f->id, json_string(rs[i].amends));
        /* a status other than completed (in-progress: a partial screen) stays with the intake: the export
         * writes it back as it was sent */
        if (rs[i].status && strcmp(rs[i].status, "completed") != 0)
            json_object_set_new(statuses, rs[i].f->id, json_string(rs[i].status));
        else if (rs[i].amends[0] && earlier_was_partial(s, rs[i].amends, rs[i].f->id))
            /* the partial screen finished later: completed (amended would say it was complete before) */
            json_object_set_new(statuses, rs[i].f->id, json_string("completed"));
        if (is_partial(&rs[i])) out->in_progress++;
        /* the database it came from stays with the intake: a de-identified export of it names that one, so it
         * is known there if it ever goes back (provenance.h) */
        if (rs[i].origin && !json_object_get(record, "fhir_origin")) {
            json_object_set_new(record, "fhir_origin", json_string(rs[i].origin));
            char *through = passed_through(json_object_get(rs[i].from->resource, "extension"));
            if (through) json_object_set_new(record, "fhir_passed", json_string(through));
            wipe_free(through); /* a csv_buf's text (csv_free's way) */
        }
        /* the response's own identifier stays with the intake: the export writes it back, so that a round
         * trip through another system is recognised here (and there) */
        if (rs[i].identifier) {
            json_t *id = json_object();
            const char *sys = json_string_value(json_object_get(rs[i].identifier, "system"));
            if (sys) json_object_set_new(id, "system", json_string(sys));
            json_object_set(id, "value", json_object_get(rs[i].identifier, "value"));
            json_object_set_new(idents, rs[i].f->id, id);
        }
        if (rs[i].f->kind == FORM_RECORD) {
            record_answers(e, &rs[i], input, record);
            continue;
        }
        json_object_set_new(answers, rs[i].f->id, answers_json(rs[i].f, rs[i].answers));
    }
    if (json_object_size(idents)) json_object_set(record, "fhir_identifiers", idents);
    json_decref(idents);
    if (json_object_size(amends)) json_object_set(record, "fhir_amends", amends);
    json_decref(amends);
    if (json_object_size(statuses)) json_object_set(record, "fhir_status", statuses);
    json_decref(statuses);
    json_object_set_new(input, "answers", answers);
    /* the intake's time: when the client gave the screen (the latest authored of its responses), else now */
    int64_t given_at = 0;
    const char *given_text = NULL;
    for (int i = 0; i < nr; i++)
        if (rs[i].group == g && rs[i].authored > given_at) {
            given_at = rs[i].authored;
            given_text = json_string_value(json_object_get(rs[i].from->resource, "authored"));
        }
    /* a partial date (YYYY, YYYY-MM, YYYY-MM-DD) is kept as given: the intake's time is its first moment, but
     * "2024-03" is not midnight UTC of March 1st, and the export writes back what was given */
    if (given_text && !strchr(given_text, 'T')) json_object_set_new(record, "fhir_authored", json_string(given_text));
    assess_input *in = malloc(sizeof *in);
    bool ok = in && assess_parse_value(e, input, NULL, in, err);
    if (ok) {
        /* the one core use case: the client (when new) and the intake in one transaction */
        risk_level stated = LEVEL_GREEN; /* the highest any response of this intake is stated at */
        const char *stated_because = NULL;
        for (int i = 0; i < nr; i++)
            if (rs[i].group == g && rs[i].stated > stated) stated = rs[i].stated, stated_because = rs[i].stated_because;
        intake_subject who = {sj->create ? NULL : sj->client_id, sj->name, sj->phone, sj->birth, NULL, record,
                              e->cfg.ui_lang, false, false, stated, stated_because};
        intake_saved saved;
        ok = intake_finish_given_at(s, e, in, &who, given_at, &saved, err) &&
             remember_group(s, rs, nr, g, saved.intake_id, err);
        if (ok) audit_amendments(s, rs, nr, g, saved.intake_id, out);
        if (ok) {
            /* the most urgent are listed, red first (in file order, the unlisted one was ORANGE while four YELLOWs were
             * listed: twenty-ninth outside integrator); the others are counted, with the highest of them */
            int at = -1;
            if (saved.level > LEVEL_GREEN && out->n_levels < IMPORT_LEVELS_LISTED) at = out->n_levels++;
            else if (saved.level > LEVEL_GREEN) {
                risk_level dropped = saved.level;
                if (out->levels[IMPORT_LEVELS_LISTED - 1].level < saved.level) {
                    dropped = out->levels[IMPORT_LEVELS_LISTED - 1].level;
                    at = IMPORT_LEVELS_LISTED - 1;
                }
                out->levels_more++;
                if (out->levels_more == 1 || dropped > out->levels_more_top) out->levels_more_top = dropped;
            }
            if (at >= 0) {
                import_level *lv = &out->levels[at];
                memset(lv, 0, sizeof *lv);
                memcpy(lv->intake, saved.intake_id, sizeof lv->intake);
                lv->level = saved.level;
                json_t *reasons = json_object_get(saved.assessment, "reasons");
                lv->reasons = (int)json_array_size(reasons);
                snprintf(lv->reason, sizeof lv->reason, "%s",
                         json_string_value(json_object_get(json_array_get(reasons, 0), "text")) ?: "");
                for (; at > 0 && out->levels[at - 1].level < out->levels[at].level; at--) { /* stable, highest first */
                    import_level t = out->levels[at - 1];
                    out->levels[at - 1] = out->levels[at];
                    out->levels[at] = t;
                }
            }
            json_decref(saved.assessment);
            if (!sj->counted) out->clients_created += sj->create, out->clients_matched += !sj->create;
            if (!sj->counted && sj->create && sj->namesake[0]) {
                if (!out->namesakes++) {
                    memcpy(out->namesake_new, saved.client_id, sizeof out->namesake_new);
                    memcpy(out->namesake_of, sj->namesake, sizeof out->namesake_of);
                }
            }
            sj->counted = true;
            /* the subject's next intake (a client seen twice in an export) is for the client made now */
            sj->create = false;
            memcpy(sj->client_id, saved.client_id, sizeof sj->client_id);
            out->intakes++;
            if (!out->first_intake[0]) memcpy(out->first_intake, saved.intake_id, sizeof saved.intake_id);
        }
    }
    free(in);
    json_decref(record);
    json_decref(input);
    return ok;
}

void import_result_free(import_result *r) {
    free(r->already_each);
    r->already_each = NULL;
}

/* A refused file is imported not at all, and a screen in it with a positive safety item (PHQ-9 item 9, an ASQ
 * yes) would wait unseen behind another entry's problem: a batch's second client, item 9 "nearly every day", was
 * not mentioned (sixth outside integrator). Such screens are named first, before the problems. */
/* The SAFETY lines of a refused file, put before its problems: as many as the message holds, then how many more there
 * are (thirteenth outside integrator: eight clients at risk, five named, and nothing said of the other three). */
typedef struct {
    char text[2800];
    size_t used;
    int named, more;
} safety_block;

__attribute__((format(printf, 2, 3))) static void safety_line(safety_block *b, const char *fmt, ...) {
    if (b->used + 420 + 320 >= sizeof b->text) { /* room kept for the line that counts the rest */
        b->more++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    if (b->named) b->text[b->used++] = '\n';
    int m = vsnprintf(b->text + b->used, sizeof b->text - b->used, fmt, ap);
    va_end(ap);
    if (m > 0) b->used += (size_t)m < sizeof b->text - b->used ? (size_t)m : sizeof b->text - b->used - 1;
    b->named++;
}

static void safety_more_line(safety_block *b) {
    if (!b->more) return;
    int m = snprintf(b->text + b->used, sizeof b->text - b->used,
                     "\nSAFETY: %d more screen(s) or Observation(s) of this file hold a suicide item positive or not "
                     "known (not listed: the message is full): NOT imported; see to those clients now (import the "
                     "file in parts to have each named)",
                     b->more);
    if (m > 0) b->used += (size_t)m < sizeof b->text - b->used ? (size_t)m : sizeof b->text - b->used - 1;
}

/* The refusal's message: the SAFETY lines first, then the problems (err's message) as many whole lines as fit, then
 * how many there were and how many are not listed: a long list was cut at the message's end, mid-line, without a word
 * of the rest (fifteenth outside integrator). */
static void refusal_message(safety_block *b, int n_problems, error *err) {
    safety_more_line(b);
    char *listed = xstrdup(err->msg);
    char tail[200] = "";
    size_t room = sizeof err->msg - 1 - (b->named ? b->used + 1 : 0) - sizeof tail;
    int shown = 0;
    size_t keep = 0;
    for (const char *line = listed; *line;) {
        const char *nl = strchr(line, '\n');
        size_t end = nl ? (size_t)(nl - listed) : strlen(listed);
        if (end > room) break;
        keep = end;
        shown++;
        if (!nl) break;
        line = nl + 1;
    }
    listed[keep] = '\0';
    if (shown < n_problems)
        snprintf(tail, sizeof tail, "\n%d problems: nothing was imported (%d not listed: the message is full; correct "
                                   "those above and import again to see the rest)",
                 n_problems, n_problems - shown);
    else if (n_problems > 1)
        snprintf(tail, sizeof tail, "\n%d problems: nothing was imported", n_problems);
    snprintf(err->msg, sizeof err->msg, "%.*s%s%s%s", b->named ? (int)b->used : 0, b->text, b->named ? "\n" : "",
             listed, tail);
    secret_free(listed); /* the problems quote the file's answers */
}

static void safety_first(const response *rs, int nr, safety_block *b) {
    for (int i = 0; i < nr; i++) {
        if (rs[i].safety_form && !rs[i].already[0]) { /* a safety item by LOINC in a form triage does not know, or
                                                        * in one that has no such item */
            const form *sf = rs[i].safety_form;
            char w[160], code[32] = "not readable", in[80];
            where(rs[i].from, w, sizeof w);
            if (rs[i].safety_word[0]) {
                char word[60];
                text_for_display(rs[i].safety_word, 40, word, sizeof word);
                safety_line(b, "SAFETY: %s: a screen triage does not score asks about suicide or self-harm (its "
                               "questionnaire or an item says `%s`, as %s does): its answers are not read, which counts "
                               "as positive: this screen was NOT imported (the problems below); see to the client now",
                            w, word, sf->id);
                continue;
            }
            if (!rs[i].safety_unread) answer_format(sf, rs[i].safety_item, rs[i].safety_answer, code, sizeof code);
            if (rs[i].f) snprintf(in, sizeof in, "not an item of %s", rs[i].f->id);
            else snprintf(in, sizeof in, "in a questionnaire triage does not score");
            safety_line(b, "SAFETY: %s: %s (%s.%s, %s) is answered `%s`, %s: this screen was NOT imported (the problems "
                           "below); see to the client now",
                        w, sf->items[rs[i].safety_item].loinc, sf->id, sf->items[rs[i].safety_item].id, in, code,
                        rs[i].safety_unread || rs[i].safety_answer.state != ANS_VALUE
                            ? "a safety item not known, which counts as positive"
                            : "a positive safety item");
            if (!rs[i].f) continue;
        }
        /* never for a screen imported before with these very answers: that client is in the queue already ("NOT
         * imported ... see to the client now" for them: tenth outside integrator). This database's own are named,
         * with what to check: their answers are not known to be the ones held here (eleventh: an item 9 changed to
         * "nearly every day", identifiers stripped, was refused as this database's own without a word of it) */
        const form *f = rs[i].already[0] ? NULL : rs[i].f;
        /* the safety flags as the rules read them: a safety item positive, refused, or asked and not answered (a
         * PHQ-9 without item 9 in a file refused for another problem said nothing of it: twelfth outside integrator;
         * alone, the same screen is saved orange) */
        score_result sr;
        if (f) score_form(f, rs[i].answers, &sr);
        for (int k = 0; f && k < f->n_items; k++) {
            const answer *a = &rs[i].answers[k];
            /* positive, refused, or not readable (two answers, a code not of the item, the item twice, an Observation
             * that says otherwise): an answer not known counts as positive, and a file refused for it was not named
             * (seventh outside integrator) */
            bool unread = k < 64 && (rs[i].unread >> k & 1);
            bool flagged = false, missing = false;
            for (int g = 0; g < sr.n_flags; g++)
                if (sr.flags[g].item == k) {
                    flagged = true;
                    missing = sr.flags[g].cause == FLAG_UNANSWERED;
                }
            bool positive = flagged && !unread && a->state == ANS_VALUE;
            /* and an item a band of orange or red reads, answered above its least: ASQ question 5 "yes" (refused as
             * switched off after four "no") had its acute risk said only inside its problem line (ninth outside
             * integrator) */
            const scale *sc = form_item_scale(f, k);
            bool riding = ((a->state == ANS_VALUE && sc && a->value > sc->min_value) || a->state == ANS_REFUSED) &&
                          level_riding_on(f, k) >= LEVEL_ORANGE; /* refused: not known, which counts as positive */
            if (!(flagged || riding || (unread && f->items[k].safety))) continue;
            char w[160], code[32], said[48];
            where(rs[i].from, w, sizeof w);
            if (unread) snprintf(code, sizeof code, "not readable (below)");
            else answer_format(f, k, *a, code, sizeof code);
            if (missing && !unread) snprintf(said, sizeof said, "is not answered");
            else snprintf(said, sizeof said, "is answered `%s`", code);
            safety_line(b, "SAFETY: %s: %s.%s %s, %s: this screen was NOT imported (the problems below); %s", w, f->id,
                        f->items[k].id, said,
                        riding && !f->items[k].safety && !unread ? "an answer that may mean acute risk"
                        : positive                              ? "a positive safety item"
                                                                : "a safety item not known, which counts as positive",
                        rs[i].own ? "it is a screen of this database's own: check that its intake here holds this "
                                    "answer, and see to the client now if it does not"
                                  : "see to the client now");
            break;
        }
    }
}

/* Whether part `part` of Observation all[j] belongs to a response the file's reading took (the Observation derived
 * from it, or a member of a panel derived from it): those are checked against their response (check_item_observations). */
static bool observation_of_a_response(const res *all, int n, int j, int part, const response *rs, int nr) {
    /* ...and only a response whose form asks the item the Observation states (fourteenth outside integrator: an item 9
     * Observation derived from a GAD-7, which has no item 9, was dropped, and the client saved green) */
    json_t *said = observation_part(all[j].resource, part);
    for (int i = 0; i < nr; i++)
        if (rs[i].f && observed_item(said, rs[i].f) >= 0 &&
            (derived_from(all[j].resource, rs[i].from) || member_of_derived(all, n, &all[j], rs[i].from)))
            return true;
    return false;
}

/* A safety item (PHQ-9 item 9, 44260-8) stated by part `part` of Observation all[j] that belongs to no response the
 * file's reading took, answered positive, refused, or in a way triage cannot read: its form, item and answer (*read
 * false when not readable), for its problem and SAFETY line. */
static bool orphan_safety_observation(const engine *e, const res *all, int n, int j, int part, const response *rs,
                                      int nr, const form **f_out, int *item, answer *a, bool *read) {
    json_t *said = observation_part(all[j].resource, part);
    if (observation_of_a_response(all, n, j, part, rs, nr)) return false;
    for (int fi = 0; fi < e->forms.n; fi++) {
        const form *f = e->forms.v[fi];
        int k = observed_item(said, f);
        if (k < 0 || !f->items[k].safety) continue;
        *a = (answer){ANS_UNANSWERED, 0};
        *read = observed_answer_of(f, k, all[j].resource, part, a);
        bool positive = *read && a->state == ANS_VALUE && a->value >= f->items[k].safety_min;
        if (*read && !positive && a->state != ANS_REFUSED) return false;
        *f_out = f;
        *item = k;
        return true;
    }
    return false;
}

/* Observations (or their components) of a safety item that no response of the file holds, stating a positive, refused
 * or unreadable answer: the file is refused (such an answer cannot be taken as a screen, and taking the rest would
 * leave it unseen: thirteenth outside integrator, a negative PHQ-9 beside an unlinked item 9 "nearly every day" was
 * saved green), each named first with its SAFETY line (twelfth: US Core's PHQ-9 Observations alone were refused
 * without a word). */
/* The form of a screen with a safety item whose total Observation o is (coded with the form's total code, in any
 * LOINC spelling) and that is derived from no response of the file; NULL when none. Its items, item 9 among them, are
 * not known: a PHQ-9 total of 27 states item 9 "nearly every day", any other leaves it open (twenty-eighth outside
 * integrator: a PHQ-9 total of 27 of no response, beside a negative PHQ-9, was passed over and the client saved green). */
static const form *orphan_total(const engine *e, const res *all, int n, int at, const response *rs, int nr) {
    json_t *o = all[at].resource;
    const char *whose = json_string_value(json_object_get(json_object_get(o, "subject"), "reference"));
    for (int fi = 0; fi < e->forms.n; fi++) {
        const form *f = e->forms.v[fi];
        bool safety = false;
        for (int k = 0; k < f->n_items && !safety; k++) safety = f->items[k].safety;
        if (!safety || !f->has_total) continue;
        const char *sys, *code;
        fhir_total_code(f, &sys, &code);
        /* the Observation's own code or a component's (a PHQ-9 panel whose component is the total: twenty-ninth) */
        bool coded = false;
        for (int part = -1; part < observation_parts(o) && !coded; part++) {
            size_t k;
            json_t *d;
            json_array_foreach(json_object_get(json_object_get(observation_part(o, part), "code"), "coding"), k, d) {
                const char *s = json_string_value(json_object_get(d, "system")), *c = json_string_value(json_object_get(d, "code"));
                bool system_fits = !s || !strcmp(s, sys) || (!strcmp(sys, FHIR_LOINC) && fhir_loinc_system(s));
                if (system_fits && c && !strcmp(c, code)) coded = true;
            }
        }
        if (!coded) continue;
        /* checked against its response: one of this form, of the same person (a PHQ-9 total derived from a GAD-7, or
         * from another client's PHQ-9, left its own client's item 9 unsaid: twenty-ninth outside integrator) */
        for (int i = 0; i < nr; i++)
            if (rs[i].from && rs[i].f == f && derived_from(o, rs[i].from) &&
                same_person(all, n, &all[at], whose, rs[i].from, rs[i].subject))
                return NULL;
        return f;
    }
    return NULL;
}

static void orphan_observations(const engine *e, const res *all, int n, const response *rs, int nr, problems *p,
                                safety_block *b) {
    for (int j = 0; j < n; j++) {
        json_t *o = all[j].resource;
        if (strcmp(json_string_value(json_object_get(o, "resourceType")) ?: "", "Observation") != 0) continue;
        const form *tf = orphan_total(e, all, n, j, rs, nr);
        if (tf) {
            char ow[220];
            observation_where(&all[j], -1, ow, sizeof ow);
            if (p)
                problem(p, "%s states the total of %s and belongs to no response of this file (not derived from one): "
                           "triage scores a screen from its answers; nothing was imported (import the response with it)",
                        ow, tf->id);
            if (b)
                safety_line(b, "SAFETY: %s: a total of %s with no answers: its safety item is not known, which counts "
                               "as positive: nothing was imported (the problems below); see to the client now", ow, tf->id);
        }
        for (int part = -1; part < observation_parts(o); part++) {
            const form *f = NULL;
            int k = -1;
            answer a;
            bool read = false;
            if (!orphan_safety_observation(e, all, n, j, part, rs, nr, &f, &k, &a, &read)) continue;
            char code[32] = "not readable", ow[220];
            if (read) answer_format(f, k, a, code, sizeof code);
            bool positive = read && a.state == ANS_VALUE;
            observation_where(&all[j], part, ow, sizeof ow);
            /* a voided Observation still refuses the file (whether it was voided rightly is for a person to say), and
             * the message says it is voided (sixteenth outside integrator: it read as any positive) */
            const char *status = json_string_value(json_object_get(o, "status"));
            if (status && (!strcmp(status, "entered-in-error") || !strcmp(status, "cancelled"))) {
                size_t used = strlen(ow);
                snprintf(ow + used, sizeof ow - used, " (status %s: if it was voided rightly, take it out of the file and "
                                                      "import again)", status);
            }
            if (p && nr > 0)
                problem(p, "%s states %s.%s (%s) `%s` and belongs to no response of this file (not derived from one "
                           "that asks that item): triage cannot take it as a screen; nothing was imported (import the "
                           "response it belongs to with it)",
                        ow, f->id, f->items[k].id, f->items[k].loinc, code);
            if (b)
                safety_line(b, "SAFETY: %s: %s.%s (%s) is answered `%s`, %s: nothing was imported (the problems "
                               "below); see to the client now",
                            ow, f->id, f->items[k].id, f->items[k].loinc, code,
                            positive ? "a positive safety item" : "a safety item not known, which counts as positive");
        }
    }
}

/* Whether v states code where a code is written (a `code`, `linkId` or `coding` string, at any depth, not inside
 * `contained`: those are read as resources of their own); v itself a string (an entry written as one): any of it. */
static bool mentions_code_in(json_t *v, const char *code, bool code_key);

/* v a node of the file that is no resource (an entry or a resource written as a string): any text of it counts */
static bool mentions_code(json_t *v, const char *code) {
    if (json_is_string(v)) return strstr(json_string_value(v), code) != NULL;
    return mentions_code_in(v, code, false);
}

/* Whether text holds code, both read without their punctuation and blanks: "442608", "44260\u00ad8" (a soft hyphen
 * for the hyphen, dropped) and "LOINC:44260-8" all state 44260-8 (eighteenth outside integrator). */
static bool holds_code(const char *text, const char *code) {
    char a[256], b[64];
    size_t na = 0, nb = 0;
    for (const char *t = text; *t && na + 1 < sizeof a; t++)
        if (isalnum((unsigned char)*t)) a[na++] = *t;
    for (const char *t = code; *t && nb + 1 < sizeof b; t++)
        if (isalnum((unsigned char)*t)) b[nb++] = *t;
    a[na] = b[nb] = '\0';
    return nb > 0 && strstr(a, b) != NULL;
}

/* code_key: v is the value of a `code`, `linkId` or `coding` key, where a string states a code */
static bool mentions_code_in(json_t *v, const char *code, bool code_key) {
    size_t k;
    json_t *x;
    const char *key;
    if (json_is_string(v)) return code_key && holds_code(json_string_value(v), code);
    if (json_is_array(v)) {
        json_array_foreach(v, k, x) if (mentions_code_in(x, code, code_key)) return true;
        return false;
    }
    json_object_foreach(v, key, x) {
        /* contained resources are resources of their own. A code is stated under `code`, `linkId` or `coding` (the
         * last written as a string); text elsewhere (a narrative, a display, a note, a reference) names the item, it
         * states no answer (eighteenth outside integrator: US Core's panel with the IG's narrative linking
         * "Observation-PHQ9-item-example-44260-8.html" was refused as an item 9 not known) */
        if (!strcmp(key, "contained")) continue;
        if (mentions_code_in(x, code, !strcmp(key, "code") || !strcmp(key, "linkId") || !strcmp(key, "coding")))
            return true;
    }
    return false;
}

/* Whether a base64 `data` of v (an Attachment's, a Binary's: a document, a form filled elsewhere, at any depth but in
 * contained resources, which are read as their own) names code once decoded. Eighteenth outside integrator: a
 * DocumentReference whose attachment was a positive PHQ-9 beside a negative one was saved green. */
static bool attachment_names(json_t *v, const char *code) {
    size_t k;
    json_t *x;
    const char *key;
    if (json_is_array(v)) {
        json_array_foreach(v, k, x) if (attachment_names(x, code)) return true;
        return false;
    }
    json_object_foreach(v, key, x) {
        if (!strcmp(key, "contained")) continue;
        if ((!strcmp(key, "data") || !strcmp(key, "valueBase64Binary")) && json_is_string(x)) {
            attach_kind kind;
            char *text = NULL, why[120];
            size_t n = 0;
            /* opened as the hidden-screen check opens it: base64 inside base64 too (fhir_hidden.h) */
            bool opened = fhir_attachment_open(json_string_value(x), json_string_length(x),
                                               json_string_value(json_object_get(v, "contentType")), &kind, &text, &n,
                                               why, sizeof why);
            bool named = opened && kind == ATTACH_TEXT && memmem(text, n, code, strlen(code)) != NULL;
            /* a Questionnaire attached (a form's definition, blank) states no answer (twenty-fourth outside integrator) */
            json_t *doc = named ? json_loadb(text, n, 0, NULL) : NULL;
            const char *doc_type = json_string_value(json_object_get(doc, "resourceType"));
            if (doc_type && !strcmp(doc_type, "Questionnaire")) named = false;
            json_decref(doc);
            secret_free(text);
            if (named) return true;
        } else if (attachment_names(x, code)) {
            return true;
        }
    }
    return false;
}

/* Whether a string of v (at any depth, contained resources aside) holds needle */
static bool any_string_holds(json_t *v, const char *needle) {
    size_t k;
    json_t *x;
    const char *key;
    if (json_is_string(v)) return strstr(json_string_value(v), needle) != NULL;
    if (json_is_array(v)) {
        json_array_foreach(v, k, x) if (any_string_holds(x, needle)) return true;
        return false;
    }
    json_object_foreach(v, key, x) if (strcmp(key, "contained") != 0 && any_string_holds(x, needle)) return true;
    return false;
}

/* A form with a safety item and no LOINC code for it (the ASQ) that resource r names by triage's own identifiers (its
 * canonical, urn:triage:questionnaire:ID, its answer system): its answers are in a shape triage does not read (twenty-
 * fourth outside integrator: an acute ASQ sent as five Observations coded item1..item5 beside a negative PHQ-9 was
 * saved green). NULL when none. */
static const form *names_unread_safety_form(const engine *e, json_t *r, const res *all, int n) {
    /* an Observation (or a resource of no type): one that carries answers; a Provenance, a Task, a CarePlan or a
     * CodeSystem naming the ASQ holds none (twenty-fifth outside integrator: each refused a valid negative file) */
    const char *type = json_string_value(json_object_get(r, "resourceType"));
    if (type && strcmp(type, "Observation") != 0) return NULL;
    for (int fi = 0; fi < e->forms.n; fi++) {
        const form *f = e->forms.v[fi];
        bool safety = false;
        for (int k = 0; k < f->n_items && !safety; k++) safety = f->items[k].safety && !(f->items[k].loinc && *f->items[k].loinc);
        if (!safety) continue;
        char url[256], urn[128], answers[128];
        fhir_questionnaire_url(f, url, sizeof url);
        snprintf(urn, sizeof urn, "urn:triage:questionnaire:%s", f->id);
        snprintf(answers, sizeof answers, "%s%s", FHIR_ANSWERS, f->id);
        const char *shown = strstr(url, "://") ? strstr(url, "://") + 3 : url; /* http or https */
        char bands[128], item_code[64];
        snprintf(bands, sizeof bands, "urn:triage:bands:%s", f->id);
        snprintf(item_code, sizeof item_code, "%s/", f->id); /* triage's export codes an item "asq/item1" */
        bool named = any_string_holds(r, shown) || any_string_holds(r, urn) || any_string_holds(r, answers) ||
                     any_string_holds(r, bands) ||
                     (any_string_holds(r, "urn:triage:questionnaire") && any_string_holds(r, item_code));
        if (!named) continue;
        /* an Observation derived from a response of this form in the file: the response is read, with its SAFETY line
         * when it states a positive (extracted observations that agree refused a valid file: twenty-fifth) */
        bool of_a_response = false;
        for (int j = 0; j < n && !of_a_response; j++) {
            const char *t = json_string_value(json_object_get(all[j].resource, "resourceType"));
            of_a_response = t && !strcmp(t, "QuestionnaireResponse") && derived_from(r, &all[j]) &&
                            fhir_form_of(&e->forms, json_string_value(json_object_get(all[j].resource, "questionnaire"))) == f;
        }
        if (!of_a_response) return f;
    }
    return NULL;
}

/* The safety items' LOINC codes of the forms (NULL-terminated, at most size - 1) */
static void safety_codes(const engine *e, const char **codes, int size) {
    int n = 0;
    for (int fi = 0; fi < e->forms.n; fi++)
        for (int k = 0; k < e->forms.v[fi]->n_items && n + 1 < size; k++)
            if (e->forms.v[fi]->items[k].safety && e->forms.v[fi]->items[k].loinc) codes[n++] = e->forms.v[fi]->items[k].loinc;
    codes[n] = NULL;
}

/* A resource whose Codings hold a suicide code or words (risk_in_code) said: its problem, and its SAFETY line */
static void coded_said(const res *at, json_t *r, const char *type, const char *word, const char *coded, problems *p,
                       safety_block *b) {
    char id[60], shown[60], in[32] = "", w[60];
    text_for_display(json_string_value(json_object_get(r, "id")) ?: "(no id)", 40, id, sizeof id);
    text_for_display(type ? type : "(no resourceType)", 40, shown, sizeof shown);
    text_for_display(word, 40, w, sizeof w);
    if (at->entry >= 0) snprintf(in, sizeof in, "entry[%d] ", at->entry);
    if (p)
        problem(p, "%s%s %s: its code holds `%s` (%s), in a shape triage does not read as an answer: nothing was imported "
                   "(send the screen as a QuestionnaireResponse)", in, shown, id, w, coded);
    if (b)
        safety_line(b, "SAFETY: %s%s %s: its code holds `%s`, a suicide screen or risk triage cannot read: not known, which "
                       "counts as positive: nothing was imported (the problems below); see to the client now",
                    in, shown, id, w);
}

/* A screen hidden where triage reads no answers, or an attachment it cannot open (fhir_hidden.h), said: its problem,
 * or its SAFETY line. r: the resource (NULL: the Bundle's entry itself, at->entry; at->entry -1: the file's own). */
static void hidden_said(const res *at, json_t *r, const hidden_place *hp, problems *p, safety_block *b) {
    char id[60], shown[60], in[32] = "", where_[320];
    const char *type = r ? json_string_value(json_object_get(r, "resourceType")) : NULL;
    text_for_display(json_is_object(r) ? json_string_value(json_object_get(r, "id")) ?: "(no id)" : "(a string)", 40, id,
                     sizeof id);
    text_for_display(type ? type : "(no resourceType)", 40, shown, sizeof shown);
    if (!r) snprintf(where_, sizeof where_, "entry[%d].%s", at->entry, hp->path);
    else {
        if (at->entry >= 0) snprintf(in, sizeof in, "entry[%d] ", at->entry);
        snprintf(where_, sizeof where_, "%s%s %s%s%s", in, shown, id, hp->path[0] ? ": " : "", hp->path);
    }
    if (p && hp->unopenable)
        problem(p, "%s: %s: nothing was imported (send attachments as UTF-8 text, uncompressed, base64 once; a screen "
                   "as a QuestionnaireResponse)", where_, hp->what);
    else if (p)
        problem(p, "%s holds %s: nothing was imported (send a screen as an entry of the Bundle)", where_, hp->what);
    if (b && hp->unopenable)
        safety_line(b, "SAFETY: %s: %s: whether it holds a positive safety item (PHQ-9 item 9, the ASQ) is not known, "
                       "which counts as positive: nothing was imported (the problems below); see to the client now",
                    where_, hp->what);
    else if (b)
        safety_line(b, "SAFETY: %s holds a screen triage cannot read: whether it states a positive safety item (PHQ-9 "
                       "item 9, the ASQ) is not known, which counts as positive: nothing was imported (the problems "
                       "below); see to the client now", where_);
}

/* Resources that define (a Questionnaire, a ValueSet, a CodeSystem...) or that are another person's (FamilyMemberHistory):
 * their codes say nothing of the client's risk */
static bool defines_or_others(const char *type) {
    static const char *const kinds[] = {
        "Questionnaire", "FamilyMemberHistory", "CodeSystem", "ValueSet", "ConceptMap", "StructureDefinition",
        "StructureMap", "NamingSystem", "SearchParameter", "OperationDefinition", "CapabilityStatement",
        "TerminologyCapabilities", "ImplementationGuide", "Library", "Measure", "PlanDefinition", "ActivityDefinition",
        "GraphDefinition", "MessageDefinition", "CompartmentDefinition", "ObservationDefinition", "SpecimenDefinition",
        /* who and where care is given, not what is found of a person: a crisis line's type "自杀干预热线" (suicide
         * intervention hotline) as a referrer refused a negative screen (thirty-first outside integrator) */
        "Organization", "OrganizationAffiliation", "Practitioner", "PractitionerRole", "Location", "HealthcareService",
        "Endpoint", NULL};
    for (int i = 0; type && kinds[i]; i++)
        if (!strcmp(type, kinds[i])) return true;
    return false;
}

/* A Coding anywhere in v (any object with a string `code`: a CodeableConcept's coding, an extension's valueCoding, a
 * component's value) that is a code of [import] conditions, or whose code or display holds words of a suicide screen
 * (triage's own systems, urn:triage:, are passed over for words: its rules' names are its own). Twenty-ninth outside
 * integrator: 6471006 as a component's value, an Encounter's type, a Procedure's or a MedicationRequest's reasonCode, a
 * CarePlan's category, a Condition's evidence, an Observation's method, each beside a negative PHQ-9, were saved green. */
/* How coding_risk reads a resource: a response's answers, and the LOINC Codings of one or of an Observation derived
 * from one, are its screen's own (read by the reader, their displays quoting item 9 by design); the rest is read */
typedef struct {
    bool skip_answers; /* a QuestionnaireResponse: its answers are read as answers */
    bool skip_loinc;   /* a response, or an Observation derived from one: the LOINC codes of triage's forms are the
                        * screen's (another LOINC code is read like any Coding) */
} coding_scan;

/* Whether code is a LOINC code of one of triage's forms: a panel, a total, an item or an answer. Only these are a
 * screen's own in a response or an Observation derived from one: LOINC 93267-3 "Suicidal thoughts" with a text saying
 * so, derived from a negative PHQ-9, was passed over as the screen's and saved green (thirty-first outside integrator) */
static bool forms_loinc(const engine *e, const char *code) {
    if (!code) return false;
    for (int fi = 0; fi < e->forms.n; fi++) {
        const form *f = e->forms.v[fi];
        if ((f->loinc && !strcmp(f->loinc, code)) || (f->total_loinc && !strcmp(f->total_loinc, code))) return true;
        for (int i = 0; i < f->n_items; i++) {
            if (f->items[i].loinc && !strcmp(f->items[i].loinc, code)) return true;
            const scale *sc = form_item_scale(f, i);
            for (int c = 0; sc && c < sc->n; c++) {
                const char *a = form_answer_loinc(f, i, c), *b = form_answer_loinc_also(f, i, c);
                if ((a && !strcmp(a, code)) || (b && !strcmp(b, code))) return true;
            }
        }
    }
    return false;
}

/* Whether code is the LOINC code of a safety item of triage's forms (PHQ-9 item 9, 44260-8) */
static bool forms_safety_loinc(const engine *e, const char *code) {
    for (int fi = 0; code && fi < e->forms.n; fi++)
        for (int i = 0; i < e->forms.v[fi]->n_items; i++)
            if (e->forms.v[fi]->items[i].safety && e->forms.v[fi]->items[i].loinc &&
                !strcmp(e->forms.v[fi]->items[i].loinc, code))
                return true;
    return false;
}

/* A Coding that is a screen's own in how's reading: a LOINC code of triage's forms, where LOINC Codings are passed over */
static bool screens_coding(const engine *e, const coding_scan *how, const char *system, const char *code) {
    return how->skip_loinc && system && fhir_loinc_system(system) && forms_loinc(e, code);
}

/* Whether a suicide screen's words are in text (every form's fhir_foreign_words) */
static bool words_in(const engine *e, const char *text, char *found, size_t size) {
    for (int fi = 0; text && fi < e->forms.n; fi++) {
        const char *words = e->forms.v[fi]->fhir_foreign_words;
        if (words && fhir_words_match(text, words, found, size)) return true;
    }
    return false;
}

/* The parts of a resource that are CodeableConcepts, whose text is a coded part's words, not a narrative (a reason
 * typed in by hand, "suicidal ideation", where no code was picked: twenty-ninth and thirtieth outside integrators) */
static bool concept_key(const char *key) {
    static const char *const keys[] = {"code", "reasonCode", "type", "category", "valueCodeableConcept", "interpretation",
                                       "conclusionCode", "outcome", "qualitativeRisk", "method", "itemCodeableConcept",
                                       "medicationCodeableConcept", "diagnosisCodeableConcept", "admitSource",
                                       "serviceType", "specialty", "priority", NULL};
    for (int i = 0; key && keys[i]; i++)
        if (!strcmp(key, keys[i])) return true;
    return false;
}

static const char *coding_risk(const engine *e, json_t *v, const char *key_of_v, const coding_scan *how,
                               const char *conditions, int depth, char *found, size_t size) {
    if (depth > 32) return NULL;
    size_t k;
    json_t *x;
    const char *key;
    if (json_is_array(v)) {
        json_array_foreach(v, k, x) {
            const char *why = coding_risk(e, x, key_of_v, how, conditions, depth + 1, found, size);
            if (why) return why;
        }
        return NULL;
    }
    if (!json_is_object(v)) return NULL;
    /* a CodeableConcept one of whose Codings is a LOINC code of triage's forms is that item or answer: its other
     * Codings and its text say the same (an EHR's flowsheet Coding, or SNOMED 6471006, beside 44260-8 on a negative
     * item 9 refused a US Core file as a risk not known: thirty-second outside integrator) */
    json_t *codings = json_object_get(v, "coding");
    bool item = false, safety_item = false;
    for (size_t i = 0; how->skip_loinc && i < json_array_size(codings); i++) {
        json_t *c = json_array_get(codings, i);
        const char *cs = json_string_value(json_object_get(c, "system")), *cc = json_string_value(json_object_get(c, "code"));
        item = item || screens_coding(e, how, cs, cc);
        safety_item = safety_item || (screens_coding(e, how, cs, cc) && forms_safety_loinc(e, cc));
    }
    /* ...but a code of [import] conditions is never the item's, unless it names the safety item itself as what is
     * observed (SNOMED 6471006 "suicidal thoughts" beside 44260-8 in an item 9 Observation's code: thirty-second outside
     * integrator): SNOMED 82313006 "Suicide attempt" beside an answer's LA6568-5, beside a total's code, or in an
     * extension, was passed over with it (thirty-third outside integrator) */
    bool what_is_observed = key_of_v && !strcmp(key_of_v, "code");
    for (size_t i = 0; item && !(safety_item && what_is_observed) && i < json_array_size(codings); i++) {
        json_t *c = json_array_get(codings, i);
        const char *cc = json_string_value(json_object_get(c, "code"));
        if (cc && fhir_listed_level(conditions, true, json_string_value(json_object_get(c, "system")), cc) > LEVEL_GREEN) {
            text_for_display(cc, 30, found, size);
            return "a code of [import] conditions";
        }
    }
    if (item) return NULL;
    const char *code = json_string_value(json_object_get(v, "code"));
    const char *system = json_string_value(json_object_get(v, "system"));
    const char *display = json_string_value(json_object_get(v, "display"));
    const char *text = json_string_value(json_object_get(v, "text"));
    /* a Coding: a code or a system, and no reference (a Reference's display names a person or a place: "Centre for
     * Suicide Prevention" managing a Patient is no risk of theirs: thirtieth outside integrator) */
    bool coding = (code || system) && !json_object_get(v, "reference");
    bool own = system && !strncmp(system, "urn:triage:", 11);
    if (coding && !screens_coding(e, how, system, code)) {
        if (code && fhir_listed_level(conditions, true, system, code) > LEVEL_GREEN) {
            text_for_display(code, 30, found, size);
            return "a code of [import] conditions";
        }
        if (!own && (words_in(e, code, found, size) || words_in(e, display, found, size)))
            return "words of a suicide screen or risk";
    }
    /* a CodeableConcept's own text, unless a Coding of it is the screen's (LOINC's item 9 is "thoughts that you would
     * be better off dead") or triage's own (its rules' texts) */
    if (text && (json_object_get(v, "coding") || concept_key(key_of_v))) {
        bool screens = false;
        json_t *c;
        json_array_foreach(json_object_get(v, "coding"), k, c) {
            const char *cs = json_string_value(json_object_get(c, "system"));
            screens = screens || screens_coding(e, how, cs, json_string_value(json_object_get(c, "code"))) ||
                      (cs && !strncmp(cs, "urn:triage:", 11));
        }
        if (!screens && words_in(e, text, found, size)) return "words of a suicide screen or risk";
    }
    json_object_foreach(v, key, x) {
        /* a contained resource is read as one of its own (a contained Condition stating a level raises it); a
         * response's answers are read as answers */
        if ((!json_is_object(x) && !json_is_array(x)) || !strcmp(key, "contained")) continue;
        if (how->skip_answers && !strcmp(key, "answer")) continue;
        const char *why = coding_risk(e, x, key, how, conditions, depth + 1, found, size);
        if (why) return why;
    }
    return NULL;
}

/* A resource that codes a suicide screen or risk by words or by a code of [import] conditions, in a shape triage does
 * not read as an answer: an Observation (not one derived from a response of the file: those are checked against it),
 * a Flag, a DetectedIssue, a ClinicalImpression, or a RiskAssessment or Condition that states no level (an ended or
 * refuted Condition states nothing and says nothing here). The word or code into found; NULL when none.
 * Twenty-seventh outside integrator: an Observation coded "Ask Suicide-Screening Questions item 1" valueBoolean true,
 * one coded SNOMED 6471006, a Flag "High suicide risk", beside a negative PHQ-9, were each saved green. */
static const char *risk_in_code(const engine *e, json_t *r, const res *all, int n, char *found, size_t size) {
    static const char *const types[] = {"Observation", "Flag", "DetectedIssue", "ClinicalImpression", "RiskAssessment",
                                        "Condition", "Encounter", "ServiceRequest", "DiagnosticReport", NULL};
    const char *type = json_string_value(json_object_get(r, "resourceType"));
    bool kind = false;
    for (int i = 0; type && types[i] && !kind; i++) kind = !strcmp(type, types[i]);
    if (!type || defines_or_others(type)) return NULL;
    const char *conditions = ini_get(&e->cfg.ini, "import", "conditions");
    /* a response: its Codings beyond its answers (an extension, a meta tag, an item's extension: thirtieth outside
     * integrator, SNOMED 6471006 in a response's extension was saved green) */
    if (!strcmp(type, "QuestionnaireResponse")) {
        /* a response of no form triage knows: its answers are read too (an ICD-10-CM suicide attempt as the answer
         * to "reason for today's visit" was refused as a questionnaire triage does not score, with no SAFETY line:
         * thirty-first outside integrator) */
        const char *canon = json_string_value(json_object_get(r, "questionnaire"));
        bool known = fhir_form_of(&e->forms, canon) || fhir_form_by_items(&e->forms, json_object_get(r, "item"), true);
        coding_scan how = {known, true};
        return coding_risk(e, r, NULL, &how, conditions, 0, found, size);
    }
    char unused[200];
    if (fhir_stated_level(e, r, unused, sizeof unused) > LEVEL_GREEN) return NULL; /* stated: raises the level (stated_risks) */
    if (!strcmp(type, "Condition") && fhir_condition_ended(r)) return NULL;
    /* an Observation derived from a response of the file: its screen's LOINC codes are checked against the response;
     * any other Coding it holds is read (6471006 as its code or value, derived from a negative PHQ-9, was saved
     * green: thirtieth outside integrator) */
    for (int j = 0; j < n && !strcmp(type, "Observation"); j++) {
        const char *t = json_string_value(json_object_get(all[j].resource, "resourceType"));
        if (t && !strcmp(t, "QuestionnaireResponse") && derived_from(r, &all[j])) {
            coding_scan how = {false, true};
            return coding_risk(e, r, NULL, &how, conditions, 0, found, size);
        }
    }
    /* its coded parts: what it is (code), why (reasonCode), what was found (finding, conclusionCode, an Observation's
     * coded value and interpretation), what is predicted; free text (a summary, a note, a valueString) is not read:
     * "denies suicidal ideation" would refuse every file that says so (README) */
    /* every resource: its Codings, wherever they are */
    coding_scan how = {false, false};
    const char *in_coding = coding_risk(e, r, NULL, &how, conditions, 0, found, size);
    if (in_coding || !kind) return in_coding;
    json_t *parts = json_array();
    static const char *const coded[] = {"code", "reasonCode", "conclusionCode", "valueCodeableConcept", "interpretation",
                                        NULL};
    for (int i = 0; coded[i]; i++)
        if (json_object_get(r, coded[i])) json_array_append(parts, json_object_get(r, coded[i]));
    size_t k;
    json_t *x;
    json_array_foreach(json_object_get(r, "finding"), k, x) json_array_append(parts, json_object_get(x, "itemCodeableConcept"));
    json_array_foreach(json_object_get(r, "prediction"), k, x) {
        json_array_append(parts, json_object_get(x, "outcome"));
        json_array_append(parts, json_object_get(x, "qualitativeRisk"));
    }
    /* a code of [import] conditions in any of them */
    size_t pi;
    json_t *part;
    json_array_foreach(parts, pi, part) {
        size_t count = json_is_array(part) ? json_array_size(part) : 1;
        for (size_t ci = 0; ci < count; ci++) {
            json_t *one = json_is_array(part) ? json_array_get(part, ci) : part, *c;
            size_t cc;
            json_array_foreach(json_object_get(one, "coding"), cc, c) {
                const char *system = json_string_value(json_object_get(c, "system"));
                const char *value = json_string_value(json_object_get(c, "code"));
                if (fhir_listed_level(conditions, true, system, value) > LEVEL_GREEN) {
                    char shown[40];
                    text_for_display(value, 30, shown, sizeof shown);
                    snprintf(found, size, "%s", shown);
                    json_decref(parts);
                    return "a code of [import] conditions";
                }
            }
        }
    }
    const char *why = NULL;
    for (int fi = 0; fi < e->forms.n && !why; fi++)
        if (e->forms.v[fi]->fhir_foreign_words && texts_hold(parts, e->forms.v[fi]->fhir_foreign_words, found, size))
            why = "words of a suicide screen or risk";
    json_decref(parts);
    return why;
}

/* A resource of the file (not a response, read by the response reader, nor a Questionnaire, a definition) that names a
 * safety item's LOINC code (PHQ-9 item 9, 44260-8) in a code or linkId, and that was not read as stating that item:
 * an Observation in a shape triage does not read (a coding written as an object, a system it does not know, a
 * resourceType misspelt), or another resource. Its answer is not known, which counts as positive: the file is refused,
 * the resource named first with its SAFETY line (sixteenth outside integrator: each of these was passed over, and the
 * negative PHQ-9 beside it saved green). */
static void unread_safety_mentions(const engine *e, const res *all, int n, problems *p, safety_block *b) {
    const char *codes[FORM_MAX_ITEMS + 1];
    safety_codes(e, codes, FORM_MAX_ITEMS + 1);
    for (int j = 0; j < n; j++) {
        json_t *r = all[j].resource;
        const char *type = json_string_value(json_object_get(r, "resourceType"));
        if (type && !strcmp(type, "QuestionnaireResponse")) { /* its Codings beyond its answers (risk_in_code) */
            char word[48];
            const char *coded = risk_in_code(e, r, all, n, word, sizeof word);
            if (coded) coded_said(&all[j], r, type, word, coded, p, b);
            continue;
        }
        if (type && !strcmp(type, "Questionnaire")) continue;
        bool said = false;
        for (int fi = 0; fi < e->forms.n && !said; fi++) {
            const form *f = e->forms.v[fi];
            for (int k = 0; k < f->n_items && !said; k++) {
                if (!f->items[k].safety || !f->items[k].loinc) continue;
                bool attached = !mentions_code(r, f->items[k].loinc) && attachment_names(r, f->items[k].loinc);
                if (!attached && !mentions_code(r, f->items[k].loinc)) continue;
                bool read = false;
                if (type && !strcmp(type, "Observation"))
                    for (int part = -1; part < observation_parts(r) && !read; part++)
                        read = observed_item(observation_part(r, part), f) == k;
                if (read) continue;
                char id[60], shown[60], in[32] = "";
                text_for_display(json_string_value(json_object_get(r, "id")) ?: "(no id)", 40, id, sizeof id);
                text_for_display(type ? type : "(no resourceType)", 40, shown, sizeof shown);
                if (all[j].entry >= 0) snprintf(in, sizeof in, "entry[%d] ", all[j].entry);
                if (p && attached)
                    problem(p, "%s%s %s: an attachment (base64 data) names %s (%s.%s), and triage does not read "
                               "attachments: nothing was imported (send the screen as a QuestionnaireResponse)",
                            in, shown, id, f->items[k].loinc, f->id, f->items[k].id);
                else if (p)
                    problem(p, "%s%s %s names %s (%s.%s) in a shape triage does not read as its answer (an Observation "
                               "with its code as a LOINC Coding in code.coding, and one value): nothing was imported",
                            in, shown, id, f->items[k].loinc, f->id, f->items[k].id);
                if (b)
                    safety_line(b, "SAFETY: %s%s %s: %s.%s (%s) is answered `not readable`, a safety item not known, "
                                   "which counts as positive: nothing was imported (the problems below); see to the "
                                   "client now",
                                in, shown, id, f->id, f->items[k].id, f->items[k].loinc);
                said = true;
            }
        }
        /* a RiskAssessment's prediction triage cannot read is a risk not known (one stated red is red whatever else) */
        char stated_why[200];
        bool outcome_unknown = false;
        int up = said || !json_is_object(r) ? -1 : fhir_unread_prediction(e, r, &outcome_unknown);
        if (up != -1 && fhir_stated_level(e, r, stated_why, sizeof stated_why) < LEVEL_RED) {
            char which[40];
            if (up == FHIR_NO_PREDICTION) snprintf(which, sizeof which, "no prediction");
            else snprintf(which, sizeof which, "prediction[%d]", up);
            char id[60], shown[60], in[32] = "";
            text_for_display(json_string_value(json_object_get(r, "id")) ?: "(no id)", 40, id, sizeof id);
            text_for_display(type, 40, shown, sizeof shown);
            if (all[j].entry >= 0) snprintf(in, sizeof in, "entry[%d] ", all[j].entry);
            if (p && outcome_unknown) {
                json_t *outcome = json_object_get(json_array_get(json_object_get(r, "prediction"), (size_t)up), "outcome");
                const char *said_as = json_string_value(json_object_get(outcome, "text"));
                json_t *first = json_array_get(json_object_get(outcome, "coding"), 0);
                if (!said_as) said_as = json_string_value(json_object_get(first, "display"));
                if (!said_as) said_as = json_string_value(json_object_get(first, "code"));
                char out_shown[80];
                text_for_display(said_as ? said_as : "", 60, out_shown, sizeof out_shown);
                problem(p, "%s%s %s: %s states a risk of `%s`, which triage cannot tell from a risk of suicide or "
                           "self-harm (no code of [import] conditions, no word of a suicide screen, and no word of [import] "
                           "other_outcomes, or one beside a word of intent_words): nothing was imported (a person reads "
                           "it; a risk of another thing is named in other_outcomes)", in, shown, id, which, out_shown);
            } else if (p)
                problem(p, "%s%s %s: %s states a risk triage cannot read (a qualitativeRisk that is a code of [import] "
                           "risk_assessment is needed, not a probability or words only): nothing was imported (send its "
                           "qualitativeRisk as one of those codes)", in, shown, id, which);
            if (b)
                safety_line(b, "SAFETY: %s%s %s: %s states a risk triage cannot read: not known, which counts as positive: "
                               "nothing was imported (the problems below); see to the client now", in, shown, id, which);
            continue;
        }
        char word[48];
        const form *unread = said ? NULL : names_unread_safety_form(e, r, all, n);
        const char *coded = said || unread || !json_is_object(r) ? NULL : risk_in_code(e, r, all, n, word, sizeof word);
        if (coded) {
            coded_said(&all[j], r, type, word, coded, p, b);
            continue;
        }
        if (!said && unread) {
            char id[60], shown[60], in[32] = "";
            text_for_display(json_is_object(r) ? json_string_value(json_object_get(r, "id")) ?: "(no id)" : "(a string)", 40,
                             id, sizeof id);
            text_for_display(type ? type : "(no resourceType)", 40, shown, sizeof shown);
            if (all[j].entry >= 0) snprintf(in, sizeof in, "entry[%d] ", all[j].entry);
            if (p)
                problem(p, "%s%s %s names %s, whose answers triage reads only in a QuestionnaireResponse: nothing was "
                           "imported", in, shown, id, unread->id);
            if (b)
                safety_line(b, "SAFETY: %s%s %s names %s, a screen with safety items, in a shape triage does not read: "
                               "its answers are not known, which counts as positive: nothing was imported (the problems "
                               "below); see to the client now", in, shown, id, unread->id);
            continue;
        }
        hidden_place hp;
        if (said || !fhir_hidden_screen(r, true, codes, &hp)) continue;
        hidden_said(&all[j], r, &hp, p, b);
    }
}

/* The parts of the file the reader takes but reads no answers in: each response's extensions, its answers' strings and
 * attachments; the Bundle's meta, signature and its entries' search, request and response (a resource set under
 * entry.response.outcome). A screen hidden there, or an attachment triage cannot open, is a safety answer not known
 * (twenty-sixth outside integrator: a positive screen in a response's extension, in Bundle.meta, signature.data,
 * entry.search or entry.response.outcome, and attachments gzip-compressed, UTF-16, base64 twice or as a data: URL, each
 * beside a negative PHQ-9, were saved green). */
static void hidden_in_read_parts(const engine *e, json_t *root, const res *all, int n, problems *p, safety_block *b) {
    const char *codes[FORM_MAX_ITEMS + 1];
    safety_codes(e, codes, FORM_MAX_ITEMS + 1);
    static const char *const resource_skip[] = {"resourceType", NULL};
    hidden_place hp;
    for (int j = 0; j < n; j++) {
        const char *type = json_string_value(json_object_get(all[j].resource, "resourceType"));
        if (type && !strcmp(type, "QuestionnaireResponse") &&
            fhir_hidden_in_parts(all[j].resource, resource_skip, codes, &hp))
            hidden_said(&all[j], all[j].resource, &hp, p, b);
    }
    const char *type = json_string_value(json_object_get(root, "resourceType"));
    if (!type || strcmp(type, "Bundle") != 0) return;
    static const char *const bundle_skip[] = {"resourceType", "entry", NULL};
    static const char *const entry_skip[] = {"resource", "fullUrl", NULL};
    res whole = {root, "", -1};
    if (fhir_hidden_in_parts(root, bundle_skip, codes, &hp)) hidden_said(&whole, root, &hp, p, b);
    size_t k;
    json_t *en;
    json_array_foreach(json_object_get(root, "entry"), k, en) {
        res at = {en, "", (int)k};
        if (json_is_object(json_object_get(en, "resource")) && fhir_hidden_in_parts(en, entry_skip, codes, &hp))
            hidden_said(&at, NULL, &hp, p, b);
    }
}

/* What the file's RiskAssessments and Conditions state of each subject's risk: kept on the subject, whose intake is
 * saved at least at that level (twenty-sixth outside integrator: a RiskAssessment stating high risk beside negative
 * screens was passed over, the client saved green). One for a Patient no screen of the file is for refuses the file,
 * SAFETY first: that person is seen to by no intake. */
static void stated_risks(const engine *e, const res *all, int n, response *rs, int nr, problems *p, safety_block *b) {
    for (int j = 0; j < n; j++) {
        char what[200] = "", id[60], shown[40], in[32] = "", because[400];
        risk_level l = fhir_stated_level(e, all[j].resource, what, sizeof what);
        if (l == LEVEL_GREEN) continue;
        json_t *r = all[j].resource;
        text_for_display(json_string_value(json_object_get(r, "id")) ?: "(no id)", 40, id, sizeof id);
        text_for_display(json_string_value(json_object_get(r, "resourceType")), 30, shown, sizeof shown);
        if (all[j].entry >= 0) snprintf(in, sizeof in, "entry[%d] ", all[j].entry);
        snprintf(because, sizeof because, "%s%s %s: %s = %s", in, shown, id, what, risk_level_name(l));
        /* the responses it is for: those its basis names (an assessment of one intake's screens, as triage's own
         * export writes it: applied to every intake of the Patient, it raised the earlier and later ones too:
         * twenty-eighth outside integrator), else every response of its subject */
        bool target[MAX_RESPONSES] = {false};
        int targets = 0;
        bool before = false, own = false;
        size_t k;
        json_t *basis;
        json_array_foreach(json_object_get(r, "basis"), k, basis) {
            const char *bref = json_string_value(json_object_get(basis, "reference"));
            for (int i = 0; bref && i < nr && i < MAX_RESPONSES; i++) {
                if (!rs[i].from || !names(rs[i].from, "QuestionnaireResponse", bref)) continue;
                if (rs[i].already[0] || rs[i].subj < 0) before = true;
                else if (!target[i]) target[i] = true, targets++, own = own || rs[i].own;
            }
        }
        const char *ref = json_string_value(json_object_get(json_object_get(r, "subject"), "reference"));
        /* its basis and its subject must be one person: a basis naming another client's screens raised that client
         * and left the one it is about green (twenty-ninth outside integrator) */
        int other = -1;
        for (int i = 0; i < nr && i < MAX_RESPONSES && other < 0; i++)
            if (target[i] && !same_person(all, n, &all[j], ref, rs[i].from, rs[i].subject)) other = i;
        if (other >= 0) {
            if (p)
                problem(p, "%s%s %s: its subject (%s) is not the person of the screens its basis names: nothing was "
                           "imported (a RiskAssessment is of one person: correct its subject or its basis)", in, shown,
                        id, ref);
            if (b && l >= LEVEL_ORANGE)
                safety_line(b, "SAFETY: %s: it states %s risk, and its subject and its basis are different people: whose "
                               "risk it is is not known: nothing was imported (the problems below); see to both now",
                            because, risk_level_name(l));
            continue;
        }
        if (before && !targets) continue; /* its basis is screens imported before (raised then, not saved again) */
        json_t *pt = patient_of(all, n, &all[j], ref);
        int who = -1;
        bool earlier = false; /* a response of its subject imported before: one new beside it is still raised */
        for (int i = 0; i < nr && who < 0 && !targets; i++) {
            if (!rs[i].from) continue;
            json_t *their = patient_of(all, n, rs[i].from, rs[i].subject);
            /* a reference that resolves to no Patient of the file is the same person only as the same text of one
             * that resolves to none either (another server's Patient/7 is another person: twenty-eighth) */
            bool same = ref && *ref && (pt ? their == pt : !their && !strcmp(rs[i].subject, ref));
            if (!ref || !*ref) same = true; /* no subject said: read as the file's, when it has one person (below) */
            if (!same) continue;
            if (rs[i].already[0] || rs[i].subj < 0) earlier = true;
            else who = rs[i].subj;
        }
        /* only screens imported before (raised then, not saved again): nothing to raise now */
        if (!targets && who < 0 && earlier) continue;
        if (who >= 0 && (!ref || !*ref))
            for (int i = 0; i < nr; i++)
                if (rs[i].subj >= 0 && rs[i].subj != who) who = -1, i = nr; /* several people: whose is not said */
        for (int i = 0; who >= 0 && i < nr && i < MAX_RESPONSES; i++)
            if (rs[i].subj == who && !rs[i].already[0] && !target[i]) target[i] = true, targets++, own = own || rs[i].own;
        if (targets) {
            if (b && l >= LEVEL_ORANGE && !own) /* this database's own: its intake is here, at that level */
                safety_line(b, "SAFETY: %s: it states %s risk for this client: nothing was imported (the problems "
                               "below); see to the client now", because, risk_level_name(l));
            for (int i = 0; i < nr && i < MAX_RESPONSES; i++)
                if (target[i] && l > rs[i].stated) {
                    rs[i].stated = l;
                    snprintf(rs[i].stated_because, sizeof rs[i].stated_because, "%s", because);
                }
            continue;
        }
        if (p)
            problem(p, "%s%s %s states %s risk for a Patient no QuestionnaireResponse of the file is for: nothing was "
                       "imported (send the screens with it, or enter that client by hand)", in, shown, id,
                    risk_level_name(l));
        if (b && l >= LEVEL_ORANGE)
            safety_line(b, "SAFETY: %s: it states %s risk for a person no screen of the file is for: nothing was "
                           "imported (the problems below); see to that person now", because, risk_level_name(l));
    }
}

bool fhir_import(session *s, const engine *e, const char *text, size_t len, const char *client_id, import_result *out,
                 error *err) {
    return fhir_import_for(s, e, text, len, client_id, 0, out, err);
}

/* The resources inside `holder` (a Bundle's entry[].resource, a Parameters' parameter[].resource and part[]), and
 * inside any Bundle or Parameters among them, into all[]: each under the top entry it came in (`entry`, -1 for the
 * file's own). A Bundle inside a Bundle, or a Parameters wrapper, is not a set of screens triage takes: *nested names
 * the first, and the file is refused; its resources are read all the same, so that a positive screen in it gets its
 * SAFETY line (fifteenth outside integrator: an item 9 Observation inside a nested Bundle went unseen). */
static void gather_nested(json_t *holder, int entry, int depth, res **all, int *n, size_t *cap, char *nested,
                          size_t size);

static void take_contained(json_t *r, int entry, int depth, res **all, int *n, size_t *cap, char *nested, size_t size);

static void add_resource(json_t *r, const char *url, int entry, res **all, int *n, size_t *cap) {
    if (*n + 1 >= (int)*cap) {
        *cap = *cap * 2 + 8;
        *all = xrealloc(*all, *cap * sizeof **all);
    }
    (*all)[(*n)++] = (res){r, url, entry};
}

static void take_resource(json_t *r, const char *url, int entry, int depth, res **all, int *n, size_t *cap,
                          char *nested, size_t size) {
    const char *type = json_string_value(json_object_get(r, "resourceType"));
    if (type && (!strcmp(type, "Bundle") || !strcmp(type, "Parameters"))) {
        if (!nested[0])
            snprintf(nested, size, "entry[%d] is a %s inside the file's Bundle: its resources were read for their safety "
                                   "items but are not imported (send them as entries of one Bundle)",
                     entry, type);
        if (depth < 8) gather_nested(r, entry, depth + 1, all, n, cap, nested, size);
        if (!strcmp(type, "Parameters")) add_resource(r, url, entry, all, n, cap); /* its valueAttachment, valueString */
        return;
    }
    add_resource(r, url, entry, all, n, cap);
    take_contained(r, entry, depth, all, n, cap, nested, size);
}

/* The resources contained in r: an Observation is read as any (checked against the response it is derived from, or
 * refused with its SAFETY line when it states a positive item 9 of no response), a QuestionnaireResponse is a screen
 * inside another resource, not imported, read for its SAFETY line; a Patient is looked into; any other (a misspelt
 * resourceType too) is kept for the check of resources naming a safety item (unread_safety_mentions). Sixteenth outside
 * integrator: an item 9 Observation contained in the response, or a positive PHQ-9 contained in a GAD-7, was never read,
 * and the negative PHQ-9 beside it saved green; seventeenth: `contained` written as an object, or a contained
 * "Obervation", the same. */
static void take_contained(json_t *r, int entry, int depth, res **all, int *n, size_t *cap, char *nested, size_t size) {
    json_t *list = json_object_get(r, "contained");
    if (!list || depth >= 8) return;
    const char *type = json_string_value(json_object_get(r, "resourceType"));
    json_t *one = NULL;
    if (!json_is_array(list)) { /* read as the one resource it holds, and refused */
        if (!nested[0])
            snprintf(nested, size, "entry[%d] %s: `contained` is not an array of resources: read for its safety items "
                                   "but not imported", entry, type ? type : "resource");
        one = json_array();
        json_array_append(one, list);
        list = one;
    }
    size_t k;
    json_t *c;
    json_array_foreach(list, k, c) {
        const char *ct = json_string_value(json_object_get(c, "resourceType")) ?: "";
        if (!json_is_object(c)) {
            if (!nested[0])
                snprintf(nested, size, "entry[%d] %s: contained[%zu] is not a resource (an object)", entry,
                         type ? type : "resource", k);
            add_resource(c, "", entry, all, n, cap); /* a string holding a resource's JSON: looked into */
            continue;
        }
        if (!strcmp(ct, "QuestionnaireResponse") && !nested[0])
            snprintf(nested, size, "entry[%d] %s contains a QuestionnaireResponse: a screen inside another resource is "
                                   "read for its safety items but not imported (send it as an entry of the Bundle)",
                     entry, type ? type : "resource");
        if (!strcmp(ct, "Patient")) take_contained(c, entry, depth + 1, all, n, cap, nested, size);
        else take_resource(c, "", entry, depth + 1, all, n, cap, nested, size);
    }
    json_decref(one);
}

static void gather_nested(json_t *holder, int entry, int depth, res **all, int *n, size_t *cap, char *nested,
                          size_t size) {
    size_t k;
    json_t *en;
    json_array_foreach(json_object_get(holder, "entry"), k, en) {
        json_t *r = json_object_get(en, "resource");
        if (json_is_object(r))
            take_resource(r, json_string_value(json_object_get(en, "fullUrl")) ?: "", entry, depth, all, n, cap, nested,
                          size);
    }
    json_array_foreach(json_object_get(holder, "parameter"), k, en) {
        json_t *r = json_object_get(en, "resource");
        if (json_is_object(r)) take_resource(r, "", entry, depth, all, n, cap, nested, size);
        if (json_is_array(json_object_get(en, "part"))) {
            json_t *wrap = json_pack("{s:O}", "parameter", json_object_get(en, "part"));
            if (wrap && depth < 8) gather_nested(wrap, entry, depth + 1, all, n, cap, nested, size);
            json_decref(wrap);
        }
    }
}

/* The resources of the file: a Bundle's entries (of the kinds that are a set of screens) or one
 * QuestionnaireResponse. Anything else (one Observation, a Parameters wrapper, a Bundle inside the Bundle) is read
 * for its safety items and refused (*bad_type says why); NULL (err set) for what is no FHIR resource; *n the count. */
static res *file_resources(json_t *root, int *n, char *bad_type, size_t size, error *err) {
    const char *type = json_string_value(json_object_get(root, "resourceType"));
    *n = 0;
    bad_type[0] = '\0';
    if (!type || !*type) {
        error_set(err, ERR_INPUT, "resourceType: expected a Bundle or a QuestionnaireResponse");
        return NULL;
    }
    size_t cap = 8;
    res *all = xcalloc(cap, sizeof *all);
    char nested[220] = "", bare[120] = "";
    if (!strcmp(type, "QuestionnaireResponse")) {
        take_resource(root, "", -1, 0, &all, n, &cap, nested, sizeof nested);
        if (nested[0]) snprintf(bad_type, size, "%s", nested);
        return all;
    }
    if (strcmp(type, "Bundle") != 0) {
        char shown[60];
        text_for_display(type, 40, shown, sizeof shown);
        snprintf(bad_type, size, "resourceType `%s`: expected a Bundle or a QuestionnaireResponse", shown);
        if (!strcmp(type, "Parameters")) { /* its resources, and the wrapper itself (a valueAttachment, a valueString) */
            gather_nested(root, -1, 0, &all, n, &cap, nested, sizeof nested);
            add_resource(root, "", -1, &all, n, &cap);
        }
        else take_resource(root, "", -1, 0, &all, n, &cap, nested, sizeof nested); /* an Observation of item 9: its SAFETY line */
        return all;
    }
    /* what a server or a form filler sends: a collection, a transaction or batch to post, a search result
     * (a Bundle without a type is read as a collection; a history or a message is not a set of screens) */
    const char *btype = json_string_value(json_object_get(root, "type"));
    static const char *const kinds[] = {"collection", "transaction", "batch", "searchset"};
    bool known = !json_object_get(root, "type");
    for (int k = 0; k < 4 && btype; k++) known = known || !strcmp(btype, kinds[k]);
    /* another type is refused, but its entries are read all the same: a positive screen in it gets its SAFETY line
     * (twelfth outside integrator: a document Bundle with PHQ-9 item 9 "nearly every day" was refused for its type
     * alone, without a word of the screen) */
    if (!known) {
        char shown[60];
        text_for_display(btype ? btype : "(none)", 40, shown, sizeof shown);
        snprintf(bad_type, size, "Bundle.type `%s`: expected collection, transaction, batch or searchset", shown);
    }
    size_t k;
    json_t *en;
    json_array_foreach(json_object_get(root, "entry"), k, en) {
        json_t *r = json_object_get(en, "resource");
        /* an entry with no resource: refused, naming it; its own fields are read as a resource all the same, so that
         * an Observation of item 9 written into the entry itself gets its SAFETY line (sixteenth outside integrator:
         * skipped, and the negative PHQ-9 beside it saved green) */
        if (!r && json_is_object(en)) {
            if (!bare[0])
                snprintf(bare, sizeof bare, "entry[%zu]: no resource (a Bundle entry holds its resource under "
                                            "`resource`)", k);
            r = en;
        }
        /* an entry with a modifierExtension (R4's Bundle.entry may have one): what it changes is not known; refused,
         * its resource read for its SAFETY lines (nineteenth outside integrator) */
        if (json_array_size(json_object_get(en, "modifierExtension")) > 0) {
            if (!bare[0]) snprintf(bare, sizeof bare, "entry[%zu]: a modifierExtension triage does not know: refused", k);
            /* ...and what it holds is not read as it stands: the entry's modifier put on its resource (this parsed
             * copy only), so that a response's answers and an Observation's are not known and a safety item in them
             * is named first (twentieth outside integrator: refused without its SAFETY line) */
            if (json_is_object(r) && !json_object_get(r, "modifierExtension"))
                json_object_set(r, "modifierExtension", json_object_get(en, "modifierExtension"));
        }
        /* an entry, or its resource, that is no object (a string holding a resource's JSON): refused, and looked into
         * for a safety item (seventeenth outside integrator: passed over, and the negative PHQ-9 beside it saved green) */
        if (!json_is_object(r)) {
            if (!bare[0])
                snprintf(bare, sizeof bare, "entry[%zu]: %s is not an object", k, json_is_object(en) ? "its resource" : "it");
            add_resource(r ? r : en, "", (int)k, &all, n, &cap);
            continue;
        }
        take_resource(r, json_string_value(json_object_get(en, "fullUrl")) ?: "", (int)k, 0, &all, n, &cap, nested,
                      sizeof nested);
    }
    if (!bad_type[0] && bare[0]) snprintf(bad_type, size, "%s", bare);
    if (!bad_type[0] && nested[0]) snprintf(bad_type, size, "%s", nested);
    return all;
}

/* bdl-7: a fullUrl is one resource, or one per meta.versionId; two Patients under one fullUrl were read as the first,
 * silently (sixth outside integrator). A problem, and the file is read on: its screens' SAFETY lines come first
 * (thirteenth outside integrator: refused before anything was read, item 9 "nearly every day" went unsaid). */
static void duplicate_full_urls(const res *all, int n, problems *p) {
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n && *all[i].url; j++) {
            if (strcmp(all[i].url, all[j].url) != 0) continue;
            const char *vi = json_string_value(json_object_get(json_object_get(all[i].resource, "meta"), "versionId"));
            const char *vj = json_string_value(json_object_get(json_object_get(all[j].resource, "meta"), "versionId"));
            if (vi && vj && strcmp(vi, vj) != 0) continue;
            char shown[120];
            text_for_display(all[i].url, 100, shown, sizeof shown);
            problem(p, "entry[%d] and entry[%d] have the same fullUrl %s (FHIR R4 rule bdl-7: a fullUrl names one resource, "
                       "or one per meta.versionId): nothing was imported",
                    all[i].entry, all[j].entry, shown);
            return;
        }
}

/* A de-identified Patient has no name, phone or birth date: its client is a pseudonymous one, like an anonymous
 * caller, named by the Patient's pseudonym (its urn:triage:pseudonyms identifier, else its id), so that every
 * export of the same client (the pseudonym is the same in each) comes to the same pseudonymous client. */
static void pseudonymous_subject(json_t *pt, const res *at, subject *sj, problems *p) {
    const char *pseudo = NULL;
    size_t k;
    json_t *id;
    json_array_foreach(json_object_get(pt, "identifier"), k, id) {
        const char *sys = json_string_value(json_object_get(id, "system"));
        if (sys && !strcmp(sys, FHIR_PSEUDONYMS)) pseudo = json_string_value(json_object_get(id, "value"));
    }
    if (!pseudo) pseudo = json_string_value(json_object_get(pt, "id"));
    sj->phone = sj->birth = NULL;
    if (!pseudo || !*pseudo || strlen(pseudo) > 128 || strchr(pseudo, ' ')) {
        char w[160];
        where(at, w, sizeof w);
        problem(p, "%s: a de-identified (PSEUDED) file whose Patient has no pseudonym (identifier %s, or an id)", w,
                FHIR_PSEUDONYMS);
        sj->name = "";
        return;
    }
    snprintf(sj->built_name, sizeof sj->built_name, "Pseudonym %s", pseudo);
    sj->name = sj->built_name;
}

/* The subject's Patient of the file, read once per subject (not when the worker named the client). */
static void subject_from_file(const res *all, int n, const res *at, subject *sj, problems *p) {
    json_t *pt = sj->contained ? sj->contained : patient_of(all, n, at, sj->ref);
    json_t *one;
    int named = sj->contained || !sj->ref[0] || sj->ref[0] == '#' ? 1 : patients_named(all, n, at, sj->ref, &one);
    if (named > 1) { /* two Patients the reference could mean: neither is taken (the first once was) */
        char w[160], ref[100];
        where(at, w, sizeof w);
        text_for_display(sj->ref, 60, ref, sizeof ref);
        problem(p, "%s: its subject %s names %d Patients of this file (the same id, or the same fullUrl in two versions): "
                   "ambiguous, so the screen is filed under none; give each Patient its own fullUrl, or a version "
                   "(Patient/ID/_history/N)", w, ref, named);
        sj->name = "";
        return;
    }
    if (sj->pseudonymous) {
        pseudonymous_subject(pt, at, sj, p);
        return;
    }
    sj->name = patient_name(pt, sj->built_name, sizeof sj->built_name);
    sj->phone = patient_phone(pt);
    sj->birth = json_string_value(json_object_get(pt, "birthDate"));
    if (sj->name == name_too_long) { /* twenty-first outside integrator: "query: longer than 400 bytes", named nothing */
        char w[160];
        where(at, w, sizeof w);
        problem(p, "%s: its Patient's name is longer than %d bytes, the longest a client's name may be: shorten it "
                   "(name.text, or given and family)", w, CLIENT_NAME_MAX_BYTES);
        sj->name = "";
    } else if (!sj->name || !*sj->name) {
        char w[160], ref[100];
        where(at, w, sizeof w);
        text_for_display(*sj->ref ? sj->ref : "none", 60, ref, sizeof ref);
        problem(p, "%s: no Patient with a name in this file for its subject (%s): to import it for a client "
                   "triage already has, give --client ID (triage import fhir FILE --client ID)", w, ref);
        sj->name = "";
    }
}

/* A response voided (entered-in-error) or stopped that an earlier import saved as an intake: refused like any
 * voided response, and the refusal names that intake, which stays with its queue item (nothing leaves a queue
 * by itself): a clinician decides what becomes of it. */
static void voided_after_import(const response *r, problems *p) {
    const char *status = json_string_value(json_object_get(r->from->resource, "status"));
    const char *earlier = r->already[0] ? r->already : r->amends;
    if (!status || (strcmp(status, "entered-in-error") && strcmp(status, "stopped")) || !*earlier) return;
    char w[160];
    where(r->from, w, sizeof w);
    problem(p, "%s: status `%s`, but it was imported before as intake %s: that intake and its queue item stay "
               "(nothing leaves a queue by itself); a clinician reviews it", w, status, earlier);
}

/* A response imported before, with the same answers: counted, and named (entry, id, intake) for the output. */
static void note_already(import_result *out, const response *r) {
    if (!out->already++) memcpy(out->already_intake, r->already, STORE_ID_LEN);
    import_again *a = xrealloc(out->already_each, (size_t)out->already * sizeof *a);
    out->already_each = a;
    a += out->already - 1;
    const char *id = json_string_value(json_object_get(r->from->resource, "id"));
    a->entry = r->from->entry;
    text_for_display(id ? id : "", 60, a->response_id, sizeof a->response_id);
    memcpy(a->intake, r->already, STORE_ID_LEN);
}

/* A response imported before as an intake of one client, sent again for another person (its Patient in the file
 * another, or --client naming another client): refused naming both (false), never dropped as "already imported"
 * (twenty-sixth integrator: the same identifier and answers under another Patient, and that person's positive screen
 * went into no queue). Not counted as imported before, so that its SAFETY line is said. */
static bool same_person_as_before(session *s, const res *all, int n, response *r, const char *client_id,
                                  problems *p) {
    intake_rec rec;
    if (s->db->ops->intake_get(s->db->st, r->already, &rec) != ST_OK) return true;
    char owner[STORE_ID_LEN], why[512] = "", w[160], shown[600];
    snprintf(owner, sizeof owner, "%s", rec.client_id);
    intake_rec_free(&rec);
    if (client_id && strcmp(client_id, owner) != 0) {
        snprintf(why, sizeof why, "--client names client %s", client_id);
    } else if (!client_id) {
        client_plain c;
        error unread = {0};
        if (!client_open(s, owner, &c, &unread)) return true;
        (void)patient_differs(all, n, r, &c, false, why, sizeof why);
        client_plain_free(&c);
    }
    if (!why[0]) return true;
    where(r->from, w, sizeof w);
    text_for_display(why, 400, shown, sizeof shown);
    problem(p, "%s has the identifier and answers of a response imported before as intake %s of client %s, but it is "
               "another person's here (%s): a response's identifier names one response of one person; correct the "
               "sender's identifier and import again",
            w, r->already, owner, shown);
    r->already[0] = r->amends[0] = '\0';
    return false;
}

/* Every QuestionnaireResponse of the file read and checked into rs (grouped by subject into subjects);
 * those imported before are counted in out and not saved again. Returns how many were read. */
#define MAX_UNKNOWN_SAFETY 64

/* unknown: the responses of no form triage knows that answer a safety item by its LOINC code (unknown_form_safety),
 * *nu of them, for their SAFETY lines; they are not counted among the responses read. */
static int gather_responses(session *s, const engine *e, const res *all, int n, const char *client_id, response *rs,
                            subject *subjects, int *ns, import_result *out, problems *p, response *unknown, int *nu) {
    int nr = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(json_string_value(json_object_get(all[i].resource, "resourceType")) ?: "", "QuestionnaireResponse"))
            continue;
        if (nr >= MAX_RESPONSES) {
            problem(p, "more than %d responses in one file: split it", MAX_RESPONSES);
            break;
        }
        read_response(e, all, n, &all[i], &rs[nr], p);
        rs[nr].from = &all[i];
        if (!rs[nr].f) {
            if (rs[nr].safety_form && *nu < MAX_UNKNOWN_SAFETY) unknown[(*nu)++] = rs[nr];
            memset(&rs[nr], 0, sizeof rs[nr]);
            continue;
        }
        response_key(s, &all[i], &rs[nr]);
        find_earlier(s, e, &rs[nr]);
        if (rs[nr].already[0]) (void)same_person_as_before(s, all, n, &rs[nr], client_id, p);
        voided_after_import(&rs[nr], p);
        if (rs[nr].already[0]) {
            /* saved before: reported, not saved again (nor checked against the others of its client) */
            note_already(out, &rs[nr]);
            rs[nr].group = rs[nr].subj = -1;
            nr++;
            continue;
        }
        json_t *contained = client_id ? NULL : contained_patient(all[i].resource, rs[nr].subject);
        json_t *entry = NULL;
        if (!client_id && !contained && rs[nr].subject[0] && rs[nr].subject[0] != '#')
            patients_named(all, n, &all[i], rs[nr].subject, &entry);
        rs[nr].subj = subject_index(subjects, ns, client_id ? "" : rs[nr].subject, contained, entry);
        subject *sj = &subjects[rs[nr].subj];
        if (!client_id && !sj->name) subject_from_file(all, n, &all[i], sj, p);
        nr++;
    }
    return nr;
}

/* ---- --client names one person ----
 * --client ID files every response of the file under that one client. A file holding several people (a
 * de-identified export: sixteen nameless Patients) would put every one of their screens, and levels, in one
 * record, silently: the Patients check_patient_is_client compares have no name to differ by. So with
 * --client the file must name at most one Patient: the Patient entries of the Bundle and the Patients the
 * responses name (contained, or a reference to no entry) are told apart by their content (another id or
 * identifier is another Patient); a response with no subject names nobody. Refused naming the entries. */
typedef struct {
    json_t *patient; /* the Patient resource (an entry's, or contained), or NULL: known by ref only */
    const char *ref; /* the reference that named it ("" for an entry no response names) */
    char shown[240]; /* the first entry that names it, for the message */
} patient_seen;

static bool same_patient_seen(const patient_seen *a, json_t *patient, const char *ref) {
    if (a->patient && patient) return a->patient == patient || json_equal(a->patient, patient);
    if (!a->patient && !patient) return !strcmp(a->ref, ref);
    return false;
}

static void note_patient(patient_seen *seen, int *n, json_t *patient, const char *ref, const char *shown) {
    for (int i = 0; i < *n; i++)
        if (same_patient_seen(&seen[i], patient, ref)) return;
    seen[*n].patient = patient;
    seen[*n].ref = ref;
    text_for_display(shown, 200, seen[*n].shown, sizeof seen[*n].shown);
    (*n)++;
}

static void check_one_patient(const res *all, int n, const response *rs, int nr, const char *client_id, problems *p) {
    patient_seen *seen = xcalloc((size_t)n + 1, sizeof *seen);
    int ns = 0;
    for (int i = 0; i < n; i++) {
        json_t *o = all[i].resource;
        if (strcmp(json_string_value(json_object_get(o, "resourceType")) ?: "", "Patient") != 0) continue;
        const char *id = json_string_value(json_object_get(o, "id"));
        char shown[160];
        snprintf(shown, sizeof shown, "entry[%d] Patient %.60s", all[i].entry, id ? id : "(no id)");
        note_patient(seen, &ns, o, "", shown);
    }
    for (int i = 0; i < nr; i++) {
        if (!rs[i].f || !rs[i].subject || !*rs[i].subject) continue;
        json_t *pt = patient_of(all, n, rs[i].from, rs[i].subject);
        char w[160], shown[240];
        where(rs[i].from, w, sizeof w);
        snprintf(shown, sizeof shown, "%s (subject %.60s)", w, rs[i].subject);
        note_patient(seen, &ns, pt, pt ? "" : rs[i].subject, shown);
    }
    if (ns > 1) {
        char list[700] = "";
        size_t used = 0;
        for (int i = 0; i < ns && i < 4 && used + 2 < sizeof list; i++) {
            int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", seen[i].shown);
            if (w > 0) used += (size_t)w < sizeof list - used ? (size_t)w : sizeof list - used - 1;
        }
        problem(p, "--client %s names one client, but this file holds %d different Patients (%s%s): their screens "
                   "would all be filed in that one record; nothing was imported (import it without --client, or the "
                   "responses of one Patient at a time)", client_id, ns, list, ns > 4 ? ", ..." : "");
    }
    free(seen);
}

/* ---- which responses make one intake ----
 * The responses of one subject are one intake, as a pre-screen sends them. triage's own export says which
 * intake each response was part of (the extension FHIR_INTAKE_EXT, else its identifier
 * urn:triage:responses|INTAKE/FORM): those are kept apart always, so that a client's two intakes of one day
 * (a de-identified export writes only the day) come back as two, never merged into one, which would lose an
 * intake and its level. Responses that name no intake are one intake per day they were authored on (as the
 * sender wrote the day; a partial date such as "2025-03" is its own): a PHQ-9 of 2022 and a GAD-7 of 2024 are
 * two intakes, each with its own authored, never one intake dated by the later; when a questionnaire comes
 * twice among them, they are told apart by their whole authored. Two responses to one questionnaire in one
 * intake are still refused: one would silently replace the other. */
typedef struct {
    int subj;
    char key[96]; /* "" (the subject's one intake), "intake:ID" or "authored:TIME" */
} intake_group;

/* The intake a response of triage's export names ("" when none). */
static void named_intake(const response *r, char *out, size_t size) {
    json_t *o = r->from->resource;
    size_t k;
    json_t *x;
    out[0] = '\0';
    json_array_foreach(json_object_get(o, "extension"), k, x) {
        const char *url = json_string_value(json_object_get(x, "url"));
        const char *v = json_string_value(json_object_get(x, "valueString"));
        if (url && v && *v && !strcmp(url, FHIR_INTAKE_EXT)) {
            snprintf(out, size, "intake:%.80s", v);
            return;
        }
    }
    const char *sys = json_string_value(json_object_get(r->identifier, "system"));
    const char *val = json_string_value(json_object_get(r->identifier, "value"));
    if (sys && val && !strcmp(sys, FHIR_RESPONSE_IDS))
        snprintf(out, size, "intake:%.*s", (int)(strchr(val, '/') ? strchr(val, '/') - val : (long)strlen(val)), val);
}

static void authored_key(const response *r, char *out, size_t size) {
    const char *authored = json_string_value(json_object_get(r->from->resource, "authored"));
    if (authored) snprintf(out, size, "authored:%.60s", authored);
    else out[0] = '\0';
}

/* The day a response was given, as its sender wrote it (YYYY-MM-DD of its authored, or a partial date as
 * given: "2025-03" is not known to be any one day of March); "" when it has no authored. */
static void authored_day_key(const response *r, char *out, size_t size) {
    const char *authored = json_string_value(json_object_get(r->from->resource, "authored"));
    if (authored) snprintf(out, size, "day:%.10s", authored);
    else out[0] = '\0';
}

/* Whether a questionnaire comes twice among the subject's responses that name no intake. */
static bool form_repeats(const response *rs, int nr, int subj, char (*named)[96]) {
    for (int i = 0; i < nr; i++)
        for (int j = i + 1; rs[i].subj == subj && !named[i][0] && j < nr; j++)
            if (rs[j].subj == subj && !named[j][0] && rs[j].f == rs[i].f) return true;
    return false;
}

static int group_of(intake_group *groups, int *ng, int subj, const char *key) {
    for (int g = 0; g < *ng; g++)
        if (groups[g].subj == subj && !strcmp(groups[g].key, key)) return g;
    groups[*ng].subj = subj;
    snprintf(groups[*ng].key, sizeof groups[*ng].key, "%s", key);
    return (*ng)++;
}

/* Two responses of one intake that answer the same LOINC question (a PHQ-2 and a PHQ-9 both carry 44250-9,
 * a GAD-2 and a GAD-7 68509-9) and disagree: which answer the client gave is not known, and keeping either
 * would silently drop the other. Refused naming both. */
static void check_same_question(const response *a, const response *b, problems *p) {
    for (int i = 0; i < a->f->n_items; i++) {
        const char *code = a->f->items[i].loinc;
        int j = code && *code ? fhir_item_of(b->f, code) : -1;
        if (j < 0 || a->answers[i].state == ANS_UNANSWERED || b->answers[j].state == ANS_UNANSWERED) continue;
        if (a->answers[i].state == b->answers[j].state && a->answers[i].value == b->answers[j].value) continue;
        char wa[160], wb[160], va[64], vb[64];
        where(a->from, wa, sizeof wa);
        where(b->from, wb, sizeof wb);
        answer_format(a->f, i, a->answers[i], va, sizeof va);
        answer_format(b->f, j, b->answers[j], vb, sizeof vb);
        problem(p, "%s (%s.%s = %s) and %s (%s.%s = %s) answer the same question, LOINC %s, differently in one "
                   "intake: which answer the client gave is not known; nothing was imported (correct one of them)",
                wa, a->f->id, a->f->items[i].id, va, wb, b->f->id, b->f->items[j].id, vb, code);
    }
}

/* The intakes of the file: each response (not imported before) into one, then each intake checked. */
static int group_intakes(response *rs, int nr, int ns, intake_group *groups, problems *p) {
    int ng = 0;
    char (*named)[96] = xcalloc((size_t)nr + 1, sizeof *named);
    for (int i = 0; i < nr; i++)
        if (rs[i].subj >= 0) named_intake(&rs[i], named[i], sizeof named[i]);
    for (int sj = 0; sj < ns; sj++) {
        bool split = form_repeats(rs, nr, sj, named);
        for (int i = 0; i < nr; i++) {
            if (rs[i].subj != sj) continue;
            char key[96] = "";
            if (named[i][0]) memcpy(key, named[i], sizeof key);
            else if (split) authored_key(&rs[i], key, sizeof key);
            else authored_day_key(&rs[i], key, sizeof key);
            rs[i].group = group_of(groups, &ng, sj, key);
        }
    }
    free(named);
    for (int i = 0; i < nr; i++)
        for (int j = i + 1; rs[i].group >= 0 && j < nr; j++) {
            if (rs[j].group != rs[i].group) continue;
            if (rs[j].f != rs[i].f) {
                check_same_question(&rs[i], &rs[j], p);
                continue;
            }
            /* one intake takes one response per form: a second one (a later ASQ all "no" after an acute one)
             * would silently replace the first, so it is refused, naming both */
            char w[160], w1[160];
            where(rs[j].from, w, sizeof w);
            where(rs[i].from, w1, sizeof w1);
            problem(p, "%s: a second response to %s for the same client in this file, in the same intake as %s (one "
                       "intake takes one response per questionnaire: import them one at a time)",
                    w, rs[j].f->id, w1);
        }
    return ng;
}

/* The client of the intake a response amends ("" when it amends none, or that intake cannot be read). */
static void amended_client_of(session *s, const response *r, char out[STORE_ID_LEN]) {
    intake_rec rec;
    out[0] = '\0';
    if (!r->amends[0] || s->db->ops->intake_get(s->db->st, r->amends, &rec) != ST_OK) return;
    snprintf(out, STORE_ID_LEN, "%s", rec.client_id);
    intake_rec_free(&rec);
}

/* An amended response belongs to the client of the intake it amends (whatever its Patient now says, and
 * whatever --client says: an amendment filed in another client's record would leave the amended intake,
 * and its level, uncorrected in the right one). A --client (or another amendment of the same subject) that
 * names another client is refused, naming the entry, the intake it amends and both clients. */
static bool amended_client(session *s, const response *rs, int nr, int g, const char *given, subject *sj,
                           problems *p) {
    bool found = false;
    for (int i = 0; i < nr; i++) {
        char owner[STORE_ID_LEN];
        if (rs[i].subj != g) continue;
        amended_client_of(s, &rs[i], owner);
        if (!owner[0]) continue;
        const char *want = given ? given : found ? sj->client_id : NULL;
        if (want && strcmp(want, owner) != 0) {
            char w[160];
            where(rs[i].from, w, sizeof w);
            problem(p, "%s amends intake %s of client %s, not of client %s%s: an amendment goes to the client of "
                       "the intake it amends (import it without --client, or with --client %s)", w, rs[i].amends, owner,
                    want, given ? " (--client)" : " (another response of this Patient amends that client's intake)",
                    owner);
            continue;
        }
        snprintf(sj->client_id, sizeof sj->client_id, "%s", owner);
        sj->create = false;
        found = true;
    }
    return found;
}

/* The client of each subject: the one the worker gave (whose Patient in the file must be that person unless
 * accept_other_patient), else found or to be created; all decided before anything is saved. */
static void decide_clients(session *s, const res *all, int n, const char *client_id, bool accept_other_patient,
                           response *rs, int nr, subject *subjects, int ns, problems *p, error *err) {
    for (int g = 0; g < ns && p->problems == 0; g++) {
        if (client_id) {
            client_plain c;
            if (!client_open(s, client_id, &c, err)) p->problems++;
            else {
                snprintf(subjects[g].client_id, sizeof subjects[g].client_id, "%s", client_id);
                amended_client(s, rs, nr, g, client_id, &subjects[g], p);
                if (!accept_other_patient)
                    for (int i = 0; i < nr; i++)
                        if (rs[i].subj == g) check_patient_is_client(all, n, &rs[i], &c, p);
                client_plain_free(&c);
            }
            continue;
        }
        int before = p->problems;
        if (amended_client(s, rs, nr, g, NULL, &subjects[g], p) || p->problems > before) continue;
        if (!match_client(s, &subjects[g], err)) p->problems++;
        else subjects[g].create = !subjects[g].client_id[0];
    }
}

/* The import's audit entry: its own time is the import's; the screens' authored times (kept as the intakes'
 * times) are named in it, so the audit holds both. */
static void audit_import(session *s, const response *rs, int nr, const import_result *out) {
    char detail[160], first[32] = "", last[32] = "";
    int64_t lo = 0, hi = 0;
    for (int i = 0; i < nr; i++) {
        if (rs[i].authored && (!lo || rs[i].authored < lo)) lo = rs[i].authored;
        if (rs[i].authored > hi) hi = rs[i].authored;
    }
    if (lo) {
        utc_text(lo, first, sizeof first);
        utc_text(hi, last, sizeof last);
    }
    char again[48] = "";
    if (out->already) snprintf(again, sizeof again, ", %d already imported", out->already);
    snprintf(detail, sizeof detail, "fhir %d responses, %d intakes%s%s%s%s%s", nr, out->intakes, again,
             lo ? ", authored " : "", first, lo && hi != lo ? ".." : "", lo && hi != lo ? last : "");
    session_audit(s, "import", "", detail);
}

/* A source-database extension's value in a list of extensions, when it is a tag (provenance_valid), or NULL: the
 * first is the database the response began in; those after it, each database it passed through since. */
static const char *origin_in(json_t *extensions) {
    size_t k;
    json_t *x;
    json_array_foreach(extensions, k, x) {
        const char *url = json_string_value(json_object_get(x, "url"));
        const char *v = json_string_value(json_object_get(x, "valueString"));
        if (url && !strcmp(url, FHIR_SOURCE_DATABASE) && provenance_valid(v)) return v;
    }
    return NULL;
}

/* Whether any source-database extension of the list names mine: the response began here or passed through here
 * (a hub's intakes came back to it through a second database: tenth outside integrator). */
static bool passed_here(json_t *extensions, const char *mine) {
    size_t k;
    json_t *x;
    json_array_foreach(extensions, k, x) {
        const char *url = json_string_value(json_object_get(x, "url"));
        const char *v = json_string_value(json_object_get(x, "valueString"));
        if (url && !strcmp(url, FHIR_SOURCE_DATABASE) && provenance_valid(v) && !strcmp(v, mine)) return true;
    }
    return false;
}

/* The tags after the first, as kept with the intake (space-separated), or NULL when there are none. */
static char *passed_through(json_t *extensions) {
    size_t k;
    json_t *x;
    csv_buf b;
    csv_init(&b);
    int n = 0;
    json_array_foreach(extensions, k, x) {
        const char *url = json_string_value(json_object_get(x, "url"));
        const char *v = json_string_value(json_object_get(x, "valueString"));
        if (!url || strcmp(url, FHIR_SOURCE_DATABASE) != 0 || !provenance_valid(v) || n++ == 0) continue;
        csv_raw(&b, b.n ? " " : "");
        csv_raw(&b, v);
    }
    if (b.n) return b.p;
    csv_free(&b);
    return NULL;
}

/* The intake the response says it was part of (the intake extension), when that intake is in this database: an
 * identifiable export's response with its identifier and tag stripped still names it (tenth outside integrator). */
static bool names_an_intake_here(session *s, json_t *extensions) {
    size_t k;
    json_t *x;
    json_array_foreach(extensions, k, x) {
        const char *url = json_string_value(json_object_get(x, "url"));
        const char *v = json_string_value(json_object_get(x, "valueString"));
        if (url && v && !strcmp(url, FHIR_INTAKE_EXT) && strlen(v) < STORE_ID_LEN) return intake_exists(s, v);
    }
    return false;
}

/* Each response's database (its own extension, else the Bundle's), and how many are this database's own (mine)
 * without being recognised (imported before, or amending an intake here), the first of them into *first. A
 * response is this database's when its own extension says so (a triage export writes it on every response), or
 * when it has one and the Bundle was written here: an intake imported from elsewhere keeps that database's tag,
 * and this database's de-identified export of it came straight back (ninth outside integrator). A response with
 * none is no triage export's: the Bundle's tag never makes it this database's (a new screen added to an export
 * was refused as "here already", its SAFETY line withheld). Any file: an identifiable export of a second
 * database holding this one's de-identified intakes brought them back too. */
static int origins(session *s, json_t *root, response *rs, int nr, const char *mine, int *first) {
    const char *file = origin_in(json_object_get(json_object_get(root, "meta"), "extension"));
    bool file_mine = file && mine[0] && !strcmp(file, mine);
    int own = 0;
    *first = -1;
    for (int i = 0; i < nr; i++) {
        json_t *ext = json_object_get(rs[i].from->resource, "extension");
        const char *o = origin_in(ext);
        rs[i].origin = o ? o : file;
        bool recognised = rs[i].already[0] || rs[i].amends[0];
        rs[i].own = !recognised && ((o && mine[0] && (passed_here(ext, mine) || file_mine)) || names_an_intake_here(s, ext));
        if (rs[i].own && own++ == 0) *first = i;
    }
    return own;
}

/* Whether the file says it is de-identified: meta.security PSEUDED (triage's de-identified export writes it). */
static bool is_pseudonymised(json_t *root) {
    size_t k;
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(root, "meta"), "security"), k, c) {
        const char *sys = json_string_value(json_object_get(c, "system"));
        const char *code = json_string_value(json_object_get(c, "code"));
        if (sys && code && !strcmp(sys, FHIR_SECURITY_SYSTEM) && !strcmp(code, FHIR_PSEUDED)) return true;
    }
    return false;
}

bool fhir_unreadable_safety(const engine *e, const char *text, size_t len, char *out, size_t size) {
    /* read without its NUL bytes: a file saved as UTF-16 or UTF-32 ("Unicode" in a Windows tool) is then ASCII */
    char *plain = malloc(len + 1);
    size_t n = 0;
    for (size_t i = 0; plain && i < len; i++)
        if (text[i]) plain[n++] = text[i];
    if (!plain) return false;
    /* ...and with JSON's escapes of ASCII letters decoded (`Questionnaire\u0052esponse`, `44260\u002d8` are the
     * same names to a JSON reader: twenty-sixth integrator, refused with no SAFETY line) */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        if (i + 5 < n && plain[i] == '\\' && plain[i + 1] == 'u' && plain[i + 2] == '0' && plain[i + 3] == '0' &&
            isxdigit((unsigned char)plain[i + 4]) && isxdigit((unsigned char)plain[i + 5]) &&
            sscanf(plain + i + 4, "%2x", &v) == 1 && v >= 0x20 && v < 0x7f) {
            plain[m++] = (char)v;
            i += 5;
        } else {
            plain[m++] = plain[i];
        }
    }
    n = m;
    bool said = false;
    for (int fi = 0; fi < e->forms.n && !said; fi++) {
        const form *f = e->forms.v[fi];
        for (int k = 0; k < f->n_items && !said; k++) {
            const char *code = f->items[k].loinc;
            if (!f->items[k].safety || !code || !*code || !memmem(plain, n, code, strlen(code))) continue;
            snprintf(out, size, "SAFETY: the file names %s (%s.%s), a safety item, and cannot be read (below): its "
                                "answer is not known, which counts as positive: nothing was imported; see to the client "
                                "now", code, f->id, f->items[k].id);
            said = true;
        }
    }
    /* a screen that cannot be read states nothing, a safety item among its answers included (twenty-second outside
     * integrator: a positive ASQ, or a PHQ-9 by triage's item ids, cut off before its end) */
    if (!said && memmem(plain, n, "QuestionnaireResponse", strlen("QuestionnaireResponse"))) {
        snprintf(out, size, "SAFETY: the file holds a QuestionnaireResponse and cannot be read (below): whether it states "
                            "a positive safety item (PHQ-9 item 9, the ASQ) is not known, which counts as positive: "
                            "nothing was imported; see to the client now");
        said = true;
    }
    free(plain);
    return said;
}

bool fhir_import_for(session *s, const engine *e, const char *text, size_t len, const char *client_id,
                     unsigned accept, import_result *out, error *err) {
    bool accept_other_patient = accept & IMPORT_ACCEPT_OTHER_PATIENT;
    memset(out, 0, sizeof *out);
    if (!session_allowed(s, ACT_INTAKE_CREATE, err)) return false;
    json_error_t je;
    /* a byte-order mark before the JSON, as Windows tools write one (RFC 8259 lets a reader ignore it) */
    size_t bom = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    json_t *root = NULL;
    int nl, nc;
    char token[48];
    /* a number too small to hold reads as 0 ("not at all": json_numbers.h): refused as jansson refuses one too large */
    if (json_number_underflows(text + bom, len - bom, &nl, &nc, token, sizeof token)) {
        je.line = nl;
        je.column = nc;
        snprintf(je.text, sizeof je.text, "real number underflow near '%s' (too small to hold: read as 0 it would be "
                                          "another answer)", token);
    } else {
        root = json_loadb(text + bom, len - bom, JSON_REJECT_DUPLICATES, &je);
    }
    if (!root) {
        char safety[400];
        bool said = fhir_unreadable_safety(e, text, len, safety, sizeof safety);
        error_set(err, ERR_INPUT, "%s%snot valid JSON: line %d, column %d: %s", said ? safety : "", said ? "\n" : "",
                  je.line, je.column, je.text);
        return false;
    }
    fhir_trim_codes(root);
    int n = 0;
    char bad_type[240];
    res *all = file_resources(root, &n, bad_type, sizeof bad_type, err);
    if (!all) {
        json_decref(root);
        return false;
    }
    json_t **resources = xcalloc((size_t)n + 1, sizeof *resources);
    for (int i = 0; i < n; i++) resources[i] = all[i].resource;
    fhir_definitions_apply(&e->forms, resources, n); /* the file's own Questionnaire, or items' definitions */
    free(resources);
    problems p = {err, 0, 0};
    error_clear(err);
    if (bad_type[0]) problem(&p, "%s", bad_type);
    duplicate_full_urls(all, n, &p);
    response *rs = xcalloc((size_t)n + 1, sizeof *rs);
    subject *subjects = xcalloc((size_t)n + 1, sizeof *subjects);
    int ns = 0;
    bool pseudonymised = is_pseudonymised(root);
    for (int i = 0; i <= n; i++) subjects[i].pseudonymous = pseudonymised;
    /* a de-identified file's days are shifted and its Patients are pseudonyms: never into a real record */
    if (pseudonymised && client_id)
        problem(&p, "a de-identified (PSEUDED) file: its dates are shifted and its Patients are pseudonyms, so it "
                    "never goes into a client's record; import it without --client (as pseudonymous clients)");
    response *unknown = xcalloc(MAX_UNKNOWN_SAFETY, sizeof *unknown);
    int nu = 0;
    int nr = gather_responses(s, e, all, n, client_id, rs, subjects, &ns, out, &p, unknown, &nu);
    /* imported back where it came from (straight, after a rekey, or through another triage database), every
     * intake would be here twice: under its real client and as a pseudonymous one, counted twice by every
     * report, its red items queued twice (seventh and eighth outside integrators). Said alone: the SAFETY
     * lines would send staff to clients who are in this queue already. */
    char mine[PROVENANCE_HEX] = "";
    int first_own = -1;
    error tag_err = {0};
    if (!provenance_tag(s->db, mine, &tag_err)) problem(&p, "%s", tag_err.msg);
    int own = origins(s, root, rs, nr, mine, &first_own);
    bool own_refused = own > 0 && !(accept & IMPORT_ACCEPT_OWN_EXPORT);
    if (!own_refused)
        for (int i = 0; i < nr; i++) rs[i].own = false; /* taken all the same: safety_first names them as any */
    intake_group *groups = xcalloc((size_t)n + 1, sizeof *groups);
    int ng = group_intakes(rs, nr, ns, groups, &p);
    if (client_id) check_one_patient(all, n, rs, nr, client_id, &p);
    if (nr == 0 && p.problems == 0) problem(&p, "no QuestionnaireResponse in the file");
    decide_clients(s, all, n, client_id, accept_other_patient, rs, nr, subjects, ns, &p, err);
    if (own_refused)
        problem(&p, "entry[%d]: %d of the %d responses of this file came from this very database (their "
                    "source-database or intake extension) and are not recognised as imported before (no identifier of theirs matches): "
                    "their intakes are here already, and importing them would count each twice in every report; "
                    "import the file into another database, or give --accept-own-export to add them all the same",
                rs[first_own].from->entry, own, nr);
    orphan_observations(e, all, n, rs, nr, &p, NULL); /* a safety answer in no response: the file is refused */
    unread_safety_mentions(e, all, n, &p, NULL);       /* a safety item named where triage cannot read its answer */
    hidden_in_read_parts(e, root, all, n, &p, NULL);   /* ...or a screen hidden in what the reader takes */
    stated_risks(e, all, n, rs, nr, &p, NULL);     /* a level another system states, kept for the save */
    bool ok = p.problems == 0;
    if (!ok) { /* never for this database's own: those clients are in its queue */
        safety_block sb;
        memset(&sb, 0, sizeof sb);
        safety_first(rs, nr, &sb);
        safety_first(unknown, nu, &sb); /* of no form triage knows: a safety item by its LOINC code */
        orphan_observations(e, all, n, rs, nr, NULL, &sb);
        unread_safety_mentions(e, all, n, NULL, &sb);
        hidden_in_read_parts(e, root, all, n, NULL, &sb);
        stated_risks(e, all, n, rs, nr, NULL, &sb);
        refusal_message(&sb, p.problems, err);
    }
    out->responses = nr;
    /* every intake of the file in one transaction: a failure at the last one leaves none saved */
    bool batch = ok && db_batch_begin(s->db, err);
    ok = ok && batch;
    for (int g = 0; ok && g < ng; g++) {
        ok = save_group(s, e, rs, nr, g, &subjects[groups[g].subj], out, err);
        progress_report(s->progress, "clients' intakes saved", g + 1, ng);
    }
    if (ok) audit_import(s, rs, nr, out);
    if (batch) {
        error why = {0};
        if (!db_batch_end(s->db, ok, &why) && ok) {
            error_copy(err, &why);
            ok = false;
        }
    }
    if (!ok) {
        /* an answer the saving step refuses (assess's own checks) is the file's fault, not the disk's */
        out->save_failed = p.problems == 0 && err->kind != ERR_INPUT;
        out->intakes = out->clients_created = out->clients_matched = out->amended = out->in_progress = out->namesakes = 0;
        out->n_levels = out->levels_more = 0;
        out->levels_more_top = LEVEL_GREEN;
        out->first_intake[0] = out->amended_intake[0] = out->amending_intake[0] = '\0';
        import_result_free(out); /* nothing to name: the file was not taken */
    }
    free(rs);
    free(unknown);
    free(subjects);
    free(groups);
    free(all);
    json_decref(root);
    return ok;
}
