#include "export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


#include "client_keys.h"
#include "clock.h"
#include "csv.h"
#include "facts.h"
#include "fhir.h"
#include "intake_body.h"
#include "provenance.h"
#include "json_reader.h"
#include "json_writer.h"
#include "queue_items.h"
#include "records.h"
#include "secret.h"
#include "rowmac.h"
#include "util.h"

static bool write_all(int fd, const char *p, size_t n);

static const char *const format_names[] = {"csv", "json", "fhir"};

bool export_format_parse(const char *s, export_format *out) {
    for (int i = 0; i < 3; i++)
        if (s && !strcmp(s, format_names[i])) {
            *out = (export_format)i;
            return true;
        }
    return false;
}

const char *export_format_name(export_format f) { return (unsigned)f < 3 ? format_names[f] : "?"; }

/* ---- one intake, opened ---- */

/* What an export writes of an intake's report facts: these five, no other (a row that writes another must add
 * it here). Small, so the de-identified walk holds them from its first read, one copy per combination. */
#define FACTS_FIELD(f) sizeof(((facts_rec *)0)->f)
typedef struct {
    bool has; /* false when the intake has no facts row */
    char age_band[FACTS_FIELD(age_band)], channel[FACTS_FIELD(channel)], concerns[FACTS_FIELD(concerns)],
        counselor[FACTS_FIELD(counselor)], confirmed_level[FACTS_FIELD(confirmed_level)];
} row_facts;

/* f: NULL when the intake has none. */
static void row_facts_of(const facts_rec *f, row_facts *out) {
    memset(out, 0, sizeof *out);
    if (!f) return;
    out->has = true;
    memcpy(out->age_band, f->age_band, sizeof out->age_band);
    memcpy(out->channel, f->channel, sizeof out->channel);
    memcpy(out->concerns, f->concerns, sizeof out->concerns);
    memcpy(out->counselor, f->counselor, sizeof out->counselor);
    memcpy(out->confirmed_level, f->confirmed_level, sizeof out->confirmed_level);
}

typedef struct {
    const intake_rec *meta;
    json_t *body;       /* the opened body, or NULL */
    client_plain client; /* empty when de-identified */
    row_facts facts;
    char level[8];   /* the sealed assessment's level (never the clear column alone: core/records/rowmac.h) */
    queue_item task; /* the open queue item this intake set, when there is one */
    bool has_task;
    char id[64], client_id[64]; /* ids or pseudonyms */
    int64_t shift;              /* de-identified: seconds every time of this client moves (whole days), else 0 */
    json_t *categories; /* de-identified: the broad concern categories (the facts'), the intake form's concerns */
} opened;

typedef struct {
    session *s;
    const engine *e;
    const export_options *o;
    int fd;                /* CSV and JSON lines are written as they come */
    csv_buf out;           /* pending output */
    unsigned char *uuid_key; /* FHIR: this export's fullUrls (url_of); a vault_once_key */
    int64_t entries_written; /* FHIR: the Bundle's entries written so far */
    /* the opened fields of the intake at hand, in buffers kept for the whole export and wiped after each
     * intake (vault_open_buf), and the pseudonym key derived once */
    vault_buf body, name, phone, birth;
    unsigned char *pseudo_key;
    unsigned char *shift_key; /* de-identified: the date-shift key (vault_date_shift_key), derived once */
    /* the open queue items, read (and their row MACs checked) once for the whole export, sorted by intake:
     * one query instead of two per intake */
    queue_item *open_items;
    int n_open;
    struct item_texts **answered; /* FHIR: [form][item], the answered items' text by choice (answered_item) */
    int64_t count;
    int64_t withheld; /* de-identified: intakes left out because their combination is rarer than k (k_anonymous) */
    char origin[PROVENANCE_HEX]; /* FHIR: this database's tag (provenance.h), on the Bundle and its responses */
    bool head_written; /* FHIR: the Bundle's opening is written (de-identified: once the withheld count is known) */
    bool failed;
    error *err;
} exporter;

static void iso_time(int64_t t, char *out, size_t size) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) snprintf(out, size, "1970-01-01T00:00:00Z");
    else strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* De-identified, every time of one client moves by the same secret number of whole days, 1 to SHIFT_MAX_DAYS
 * earlier, never later (vault_date_shift_days: keyed BLAKE2b of the client's pseudonym under a key derived
 * from the data key; only its size is used), and is written as its day only. Why both: the day alone still matched the day of the intake's
 * created_at and of its audit entries (a client with intakes on three known days is found by them); the shift
 * breaks that join, while the days between one client's intakes, deadlines and queue steps stay exact. Why a
 * key from the data key rather than one drawn per export: the pseudonyms are the same in every export of the
 * database, so two exports can be joined anyway; with a fresh shift each time, the true day would be the one
 * every export's shifted day is within SHIFT_MAX_DAYS of, and a few dozen exports would narrow it to days. */
#define SHIFT_MAX_DAYS 182
#define DAY_SECONDS 86400

/* A time of a record as an export writes it: to the second, or de-identified its shifted day (YYYY-MM-DD, UTC:
 * a FHIR dateTime and the CSV's date columns take a bare date). A day is never a time to the second, so nothing
 * in a de-identified export equals an audit entry's time, a report fact's or a created_at. */
static void record_time(const export_options *o, const opened *op, int64_t t, char *out, size_t size) {
    iso_time(o->deidentify ? t + op->shift : t, out, size);
    if (o->deidentify && strlen(out) > 10) out[10] = '\0';
}

/* An imported screen's authored as it was given when that was a partial date (YYYY, YYYY-MM or YYYY-MM-DD,
 * kept with the intake by the import): written back with its own precision, not as the midnight UTC the
 * intake's time holds. Only when it still names the intake's time. */
static void authored_as_given(const exporter *x, const opened *op, char *t, size_t size) {
    const char *given = json_string_value(json_object_get(intake_body_record(op->body), "fhir_authored"));
    int64_t at;
    if (!given || strchr(given, 'T') || strlen(given) >= size || !fhir_datetime_parse(given, &at) ||
        at != op->meta->created_at)
        return;
    /* de-identified, t is the shifted day of the date's first moment: cut to the precision given (a month
     * stays a month, a year a year; a day given was never more), never a day nobody gave (seventh outside
     * integrator) */
    if (x->o->deidentify) {
        /* moved from the period's middle, not its first day: from a 1st, every shift of 1 to 182 days landed in the
         * month before, and a year always in the year before, the true one back exactly (ninth outside
         * integrator); from the middle, a year stays its year (a shift of half a year at most does not show at
         * that precision) and a month moves 0 to 6 months */
        size_t n = strlen(given);
        int64_t mid = at + (n == 4 ? 182 : n == 7 ? 14 : 0) * (int64_t)DAY_SECONDS;
        record_time(x->o, op, mid, t, size);
        if (n < strlen(t)) t[n] = '\0';
        return;
    }
    snprintf(t, size, "%s", given);
}

static int by_intake(const void *a, const void *b) {
    return strcmp(((const queue_item *)a)->intake_id, ((const queue_item *)b)->intake_id);
}

/* The open queue item this intake set, or NULL. */
static const queue_item *open_item_of(const exporter *x, const char *intake_id) {
    queue_item key;
    snprintf(key.intake_id, sizeof key.intake_id, "%s", intake_id);
    return x->n_open ? bsearch(&key, x->open_items, (size_t)x->n_open, sizeof *x->open_items, by_intake) : NULL;
}

/* The intake's client row, read once: its key is opened from it into the session's cache (the body and the
 * client's fields then find it there; opening it by id would read the row again, a lookup per intake that
 * was the largest cost of an export after parsing), and its fields are the identifiable export's. */
static void client_key_cached(exporter *x, const client_rec *c) {
    session *s = x->s;
    ck_status why;
    if (c->key_ct.n) (void)ckey_of(session_ckeys(s), s->db, s->v, c, &why); /* a failure is told by the opening */
}

/* The same from the client's sealed key alone, read with the intake (intake_get_keyed): de-identified, nothing
 * else of the client's row is used. */
static void sealed_key_cached(exporter *x, const char *client_id, const blob *key_ct) {
    session *s = x->s;
    ck_status why;
    if (key_ct->n) (void)ckey_of_sealed(session_ckeys(s), s->db, s->v, client_id, key_ct, &why);
}

/* De-identified, what the walk read of an intake besides it: its client's sealed key (read with it:
 * intake_get_keyed) and its facts (held from the first read). */
typedef struct {
    const blob *key_ct;
    const row_facts *facts;
} held_read;

/* De-identified, the intake form's concerns are given as the broad categories the CSV and JSON lines give (the
 * report facts' `concerns`, [reports] concern_groups; self_harm, study, sleep ... count as `other`), never the
 * specific codes: a FHIR export once carried self_harm, sleep, study where the others gave only categories
 * (an outside privacy tryout), and the quasi-identifier k_anonymous withholds by is the facts' categories, so
 * what is written must be no finer. No facts row: none (the CSV's column is empty then too). */
static json_t *concern_categories(const opened *op) {
    json_t *list = json_array();
    if (!op->facts.has) return list;
    strlist l = strlist_split(op->facts.concerns);
    for (int i = 0; i < l.n; i++) json_array_append_new(list, json_string(l.v[i]));
    strlist_free(&l);
    return list;
}

/* j: the intake read with its client and facts (intake_each_joined), or NULL (de-identified) with h. */
static bool open_one(exporter *x, const intake_rec *r, const intake_joined *j, const held_read *h, opened *op) {
    memset(op, 0, sizeof *op);
    op->meta = r;
    session *s = x->s;
    ck_status why; /* under its client's key (core/records/client_keys.h) */
    char who[VAULT_CLIENT_ID_MAX + 1];
    const client_rec *cp = j && j->has_client ? &j->client : NULL; /* the client's row, read with the intake */
    if (cp) client_key_cached(x, cp);
    else if (h) sealed_key_cached(x, r->client_id, h->key_ct);
    if (!ckey_open_buf(session_ckeys(s), s->db, s->v, r->client_id, "intakes", "body", r->id, r->body_ct.p, r->body_ct.n,
                       &x->body, &why, who)) {
        error_set(x->err, ERR_TAMPERED, "tampering detected: intake %s does not open (edited or moved); nothing exported",
                 r->id);
        return false;
    }
    op->body = jr_loadb((const char *)x->body.p, x->body.len); /* json_loadb's values, read faster (json_reader.h) */
    vault_buf_wipe(&x->body);
    /* an edit of the clear level in the file never reaches an export: the sealed one is written; a body
     * without one falls back to the clear column only when its row MAC holds (else red, the safe reading) */
    const char *sealed = intake_body_level(op->body);
    if (sealed && *sealed) snprintf(op->level, sizeof op->level, "%s", sealed);
    else snprintf(op->level, sizeof op->level, "%s",
                  rowmac_check_intake(s->v, rowmac_required(s->db), r, NULL, 0) == ROW_TAMPERED ? "red" : r->level);
    if (j) row_facts_of(j->has_facts ? &j->facts : NULL, &op->facts);
    else op->facts = *h->facts;
    const queue_item *it = open_item_of(x, r->id);
    /* every step before closing, a counselor assigned too (its deadline is 0 once the step is done, the item
     * still in the queue): the Task goes on being exported, in-progress with its owner */
    op->has_task = it && !strcmp(it->client_id, r->client_id) && it->state != QS_CLOSED;
    if (op->has_task) op->task = *it;
    if (x->o->deidentify) {
        if (!x->pseudo_key) x->pseudo_key = vault_pseudonym_key(s->v);
        vault_pseudonym_with(x->pseudo_key, "intake", r->id, op->id);
        vault_pseudonym_with(x->pseudo_key, "client", r->client_id, op->client_id);
        op->categories = concern_categories(op);
        if (!x->shift_key) x->shift_key = vault_date_shift_key(s->v);
        /* only into the past: a shifted day never lies ahead of today, so a de-identified export of recent
         * data imports back (the import refuses an authored time in the future) */
        op->shift = -llabs(vault_date_shift_days(x->shift_key, op->client_id, SHIFT_MAX_DAYS)) * DAY_SECONDS;
        if (op->shift == 0) { /* no key: an unshifted day would re-link, so nothing is exported */
            error_set(x->err, ERR_INTERNAL, "no secure memory for the export's date-shift key; nothing exported");
            json_decref(op->body);
            json_decref(op->categories);
            return false;
        }
        return true;
    }
    snprintf(op->id, sizeof op->id, "%s", r->id);
    snprintf(op->client_id, sizeof op->client_id, "%s", r->client_id);
    if (!cp) {
        error_set(x->err, ERR_STORE, "intake %s: its client %s cannot be read", r->id, r->client_id);
        json_decref(op->body);
        return false;
    }
    const blob *fields[3] = {&cp->name_ct, &cp->phone_ct, &cp->birth_ct};
    vault_buf *bufs[3] = {&x->name, &x->phone, &x->birth};
    char **dest[3] = {&op->client.name, &op->client.phone, &op->client.birth};
    static const char *const cols[3] = {"name", "phone", "birth"};
    bool ok = true;
    for (int i = 0; i < 3 && ok; i++) {
        *dest[i] = NULL;
        if (fields[i]->n == 0) continue;
        ok = ckey_open_buf(session_ckeys(s), s->db, s->v, cp->id, "clients", cols[i], cp->id, fields[i]->p, fields[i]->n,
                           bufs[i], &why, who);
        if (ok) *dest[i] = (char *)bufs[i]->p;
    }
    if (!ok) {
        error_set(x->err, ERR_TAMPERED, "tampering detected: client %s does not open; nothing exported", r->client_id);
        json_decref(op->body);
    }
    return ok;
}

static void answered_free(exporter *x);

/* The intake's opened fields are wiped as soon as its rows are written (the buffers stay for the next). */
static void close_one(exporter *x, opened *op) {
    vault_buf_wipe(&x->name);
    vault_buf_wipe(&x->phone);
    vault_buf_wipe(&x->birth);
    memset(&op->client, 0, sizeof op->client);
    json_decref(op->body);
    json_decref(op->categories);
    op->categories = NULL;
}

static void exporter_end(exporter *x) {
    vault_buf_free(&x->body);
    vault_buf_free(&x->name);
    vault_buf_free(&x->phone);
    vault_buf_free(&x->birth);
    secret_free(x->pseudo_key);
    x->pseudo_key = NULL;
    secret_free(x->shift_key);
    x->shift_key = NULL;
    ckeys_forget(x->s->ck); /* the clients' keys this export opened */
    free(x->open_items);
    x->open_items = NULL;
    x->n_open = 0;
    secret_free(x->uuid_key);
    x->uuid_key = NULL;
    answered_free(x);
}

static json_t *answers_of(const opened *op, const form *f) {
    return intake_body_answers(op->body, f->id);
}

/* text[0..n) into out, cut to size - 1 bytes as snprintf cuts. */
static void put_cut(char *out, size_t size, const char *text, size_t n) {
    if (n > size - 1) n = size - 1;
    memcpy(out, text, n);
    out[n] = '\0';
}

/* An answer as stored: a code ("yes", "somewhat") or a number (0..3); false when unanswered. The text of "%s"
 * and "%lld", written without snprintf: its formatting was a fifth of a CSV row (one call per item). */
static bool answer_code(json_t *a, char *out, size_t size) {
    if (json_is_string(a)) {
        const char *v = json_string_value(a);
        put_cut(out, size, v, strnlen(v, size - 1));
    } else if (json_is_integer(a)) {
        long long v = (long long)json_integer_value(a);
        unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
        char digits[24];
        size_t i = sizeof digits;
        do digits[--i] = (char)('0' + u % 10);
        while (u /= 10);
        if (v < 0) digits[--i] = '-';
        put_cut(out, size, digits + i, sizeof digits - i);
    } else {
        return false;
    }
    return true;
}

static json_t *score_of(const opened *op, const form *f) {
    return intake_body_scores(op->body, f->id);
}

/* ---- CSV ---- */

static bool csv_form(const form *f) { return f->kind == FORM_SCORED; }

static void csv_header(exporter *x) {
    csv_buf *b = &x->out;
    if (x->o->bom) csv_raw(b, CSV_BOM);
    static const char *const head[] = {"intake", "client", "created_at"};
    for (int i = 0; i < 3; i++) csv_field(b, head[i]);
    if (x->o->deidentify) csv_field(b, "age_band");
    else {
        csv_field(b, "name");
        csv_field(b, "phone");
        csv_field(b, "birth_date");
    }
    static const char *const more[] = {"level", "channel", "concerns", "counselor", "confirmed_level", "deadline"};
    for (int i = 0; i < 6; i++) csv_field(b, more[i]);
    const formset *fs = &x->e->forms;
    for (int f = 0; f < fs->n; f++) {
        if (!csv_form(fs->v[f])) continue;
        char col[160];
        snprintf(col, sizeof col, "%s.total", fs->v[f]->id);
        csv_field(b, col);
        snprintf(col, sizeof col, "%s.band", fs->v[f]->id);
        csv_field(b, col);
        if (fs->v[f]->has_total) { /* exact, prorated (missing items replaced by the mean) or incomplete */
            snprintf(col, sizeof col, "%s.scoring", fs->v[f]->id);
            csv_field(b, col);
        }
        for (int i = 0; i < fs->v[f]->n_items; i++) {
            snprintf(col, sizeof col, "%s.%s", fs->v[f]->id, fs->v[f]->items[i].id);
            csv_field(b, col);
        }
    }
    if (!x->o->deidentify) csv_field(b, "concern_codes");
    csv_end_row(b);
}

/* The presenting concerns ticked on the intake form, by code, space separated: the identifiable CSV's
 * concern_codes (the concerns column has only the broad categories, where self_harm counts as other). */
static void csv_concern_codes(csv_buf *b, const opened *op) {
    csv_buf codes;
    csv_init(&codes);
    size_t k;
    json_t *c;
    json_array_foreach(intake_body_concerns(op->body), k, c) {
        if (!json_is_string(c)) continue;
        if (codes.n) csv_raw(&codes, " ");
        csv_raw(&codes, json_string_value(c));
    }
    csv_field(b, codes.p);
    csv_free(&codes);
}

static void csv_row(exporter *x, const opened *op) {
    csv_buf *b = &x->out;
    char t[32];
    csv_field(b, op->id);
    csv_field(b, op->client_id);
    record_time(x->o, op, op->meta->created_at, t, sizeof t);
    if (x->o->deidentify) authored_as_given(x, op, t, sizeof t); /* a month given stays a month */
    csv_field(b, t);
    if (x->o->deidentify) csv_field(b, op->facts.has ? op->facts.age_band : "");
    else {
        csv_field(b, op->client.name);
        csv_field(b, op->client.phone);
        csv_field(b, op->client.birth);
    }
    csv_field(b, op->level);
    csv_field(b, op->facts.has ? op->facts.channel : "");
    csv_field(b, op->facts.has ? op->facts.concerns : "");
    csv_field(b, op->facts.has ? op->facts.counselor : op->meta->suggested);
    csv_field(b, op->facts.has ? op->facts.confirmed_level : "");
    if (op->has_task && op->task.deadline > 0) record_time(x->o, op, op->task.deadline, t, sizeof t);
    csv_field(b, op->has_task && op->task.deadline > 0 ? t : "");
    const formset *fs = &x->e->forms;
    for (int f = 0; f < fs->n; f++) {
        if (!csv_form(fs->v[f])) continue;
        json_t *sc = score_of(op, fs->v[f]), *ans = answers_of(op, fs->v[f]);
        json_t *total = json_object_get(sc, "total");
        if (json_is_integer(total)) csv_field_int(b, (long long)json_integer_value(total));
        else csv_field(b, "");
        csv_field(b, json_string_value(json_object_get(sc, "band")));
        if (fs->v[f]->has_total)
            csv_field(b, !sc ? "" : json_is_true(json_object_get(sc, "incomplete")) ? "incomplete"
                           : json_is_true(json_object_get(sc, "prorated")) ? "prorated" : "exact");
        for (int i = 0; i < fs->v[f]->n_items; i++) {
            char code[64];
            csv_field(b, answer_code(json_array_get(ans, (size_t)i), code, sizeof code) ? code : "");
        }
    }
    if (!x->o->deidentify) csv_concern_codes(b, op);
    csv_end_row(b);
}

/* ---- the CSV's data dictionary: every column, its meaning, type, codes and unit, from the same forms and
 * settings the export uses, so an analyst needs no source code ---- */

typedef struct {
    csv_buf *b;
    char values[4096];
    size_t used;
} dict;

/* Adds "code=meaning" (or a bare text when meaning is NULL) to the row's values. */
static void dict_value(dict *d, const char *code, const char *meaning) {
    if (d->used + 2 >= sizeof d->values) return;
    int n = snprintf(d->values + d->used, sizeof d->values - d->used, "%s", d->used ? "; " : "");
    if (n > 0) d->used += (size_t)n;
    n = snprintf(d->values + d->used, sizeof d->values - d->used, "%s%s%s", code, meaning ? "=" : "",
                 meaning ? meaning : "");
    if (n > 0) d->used = d->used + (size_t)n < sizeof d->values ? d->used + (size_t)n : sizeof d->values - 1;
}

static void dict_row(dict *d, const char *column, const char *meaning, const char *type, const char *unit,
                     const char *loinc) {
    csv_field(d->b, column);
    csv_field(d->b, meaning);
    csv_field(d->b, type);
    csv_field(d->b, d->values);
    csv_field(d->b, unit ? unit : "");
    csv_field(d->b, loinc ? loinc : "");
    csv_end_row(d->b);
    d->values[0] = '\0';
    d->used = 0;
}

/* What each level asks for, in the dictionary and the RiskAssessment's display. */
static const char *const level_meaning[LEVEL_COUNT] = {"routine", "moderate: soon", "high: same day",
                                                        "acute risk: act now"};

static void dict_levels(dict *d) {
    for (int l = LEVEL_RED; l >= LEVEL_GREEN; l--) dict_value(d, risk_level_name((risk_level)l), level_meaning[l]);
}

/* The choices of item i of f as code=label (the code is what a cell holds), and refused where it may be. */
static void dict_choices(dict *d, const form *f, int i) {
    const scale *s = form_item_scale(f, i);
    for (int c = 0; s && c < s->n; c++) {
        const char *la = form_answer_loinc(f, i, c), *en = s->choices[c].label[LANG_EN] ? s->choices[c].label[LANG_EN] : "";
        /* LOINC's own display where it words the answer otherwise (LA18938-3 "More days than not" for GAD-7's 2, asked
         * as "More than half the days": twelfth outside integrator) */
        const char *shown = la ? form_answer_display(f, i, c) : NULL;
        bool own = shown && strcmp(shown, en) != 0;
        char label[400];
        snprintf(label, sizeof label, "%s%s%s%s%s%s", en, la ? " (LOINC " : "", la ? la : "", own ? " \"" : "",
                 own ? shown : "", la ? (own ? "\")" : ")") : "");
        dict_value(d, s->choices[c].code, label);
    }
    if (s && s->refusable) dict_value(d, "refused", "refused or could not answer (missing for the total)");
    dict_value(d, "empty", "not asked (skip logic) or not answered");
}

static void dict_record_item(dict *d, const engine *e, const char *item_id) {
    for (int f = 0; f < e->forms.n; f++) {
        const form *fm = e->forms.v[f];
        int i = fm->kind == FORM_RECORD ? form_item_index(fm, item_id) : -1;
        if (i >= 0) {
            dict_choices(d, fm, i);
            return;
        }
    }
}

static void dictionary(const engine *e, const export_options *o, csv_buf *b) {
    dict d = {b, "", 0};
    static const char *const head[] = {"column", "meaning", "type", "values", "unit", "loinc"};
    for (int i = 0; i < 6; i++) csv_field(b, head[i]);
    csv_end_row(b);
    const char *id_note = o->deidentify ? " (de-identified: a keyed pseudonym, the same in every export of this "
                                          "database, not reversible without the data key)"
                                        : "";
    char meaning[600];
    snprintf(meaning, sizeof meaning, "the intake (one row per intake)%s", id_note);
    dict_row(&d, "intake", meaning, "text", NULL, NULL);
    snprintf(meaning, sizeof meaning, "the client; several intakes of one client share it%s", id_note);
    dict_row(&d, "client", meaning, "text", NULL, NULL);
    const char *when_type = o->deidentify ? "date, UTC, YYYY-MM-DD (de-identified: the day only, moved by a "
                                            "secret number of days, 1 to 182 days earlier, the same for every date of one "
                                            "client: the days between one client's dates are true, the dates are not)"
                                          : "date-time, UTC, YYYY-MM-DDThh:mm:ssZ";
    char created_type[400];
    snprintf(created_type, sizeof created_type, "%s%s", when_type,
             o->deidentify ? "; an imported screen given as a month or a year only: YYYY-MM or YYYY, moved the same way"
                           : "");
    dict_row(&d, "created_at", "when the intake was saved (an imported screen: when the client gave it)", created_type,
             NULL, NULL);
    if (o->deidentify) {
        dict_value(&d, e->cfg.age_bands ? e->cfg.age_bands : "", NULL);
        dict_row(&d, "age_band", "the client's age band at intake (from the age given, else the date of birth)",
                 "text", "years", NULL);
    } else {
        dict_row(&d, "name", "the client's name", "text", NULL, NULL);
        dict_row(&d, "phone", "the client's phone number as given", "text", NULL, NULL);
        dict_row(&d, "birth_date", "the client's date of birth", "date, YYYY-MM-DD", NULL, NULL);
    }
    dict_levels(&d);
    dict_row(&d, "level", "the risk level of the saved assessment (triage's rules over every answer)", "code", NULL,
             NULL);
    dict_record_item(&d, e, "channel");
    dict_row(&d, "channel", "how the client came in (intake form)", "code", NULL, NULL);
    dict_value(&d, e->cfg.concern_groups ? e->cfg.concern_groups : "", NULL);
    dict_value(&d, "other", "any other concern");
    dict_row(&d, "concerns",
             o->deidentify ? "the broad presenting-concern categories, space separated (concern CODE:CATEGORY pairs as "
                             "configured; every other concern, self-harm included, counts as other: specific concerns "
                             "are not exported de-identified; the self-harm risk is in level)"
                           : "the broad presenting-concern categories, space separated (concern CODE:CATEGORY pairs as "
                             "configured; every other concern, self-harm included, counts as other: the concerns "
                             "themselves are in concern_codes)",
             "codes", NULL, NULL);
    dict_row(&d, "counselor", "the counselor suggested (or assigned) for the client, by code", "text", NULL, NULL);
    dict_levels(&d);
    dict_value(&d, "empty", "not confirmed yet");
    dict_row(&d, "confirmed_level",
             "the level a clinician first confirmed (or lowered, with a written reason): the clinician's judgement the "
             "validation report sets against level; a later raise does not change it (the queue's level now is the "
             "FHIR Task's)",
             "code",
             NULL, NULL);
    dict_row(&d, "deadline", "when the open escalation step is due; empty when the intake has none open",
             when_type, NULL, NULL);
    for (int f = 0; f < e->forms.n; f++) {
        const form *fm = e->forms.v[f];
        if (!csv_form(fm)) continue;
        const char *title = fm->title[LANG_EN] ? fm->title[LANG_EN] : fm->id;
        char col[160], range[64];
        snprintf(col, sizeof col, "%s.total", fm->id);
        snprintf(range, sizeof range, "0-%d", fm->max_total);
        if (fm->has_total) dict_value(&d, range, NULL);
        dict_value(&d, "empty", fm->has_total ? "no valid total" : "the form has no total");
        snprintf(meaning, sizeof meaning, "%s: the total score (sum of the scored items; prorated as %s.scoring says)",
                 title, fm->id);
        dict_row(&d, col, meaning, "integer", fm->has_total ? "{score}" : NULL, fm->total_loinc);
        snprintf(col, sizeof col, "%s.band", fm->id);
        for (int k = 0; k < fm->n_bands; k++) {
            char what[200];
            if (fm->rule_bands) snprintf(what, sizeof what, "%s", fm->bands[k].label[LANG_EN] ? fm->bands[k].label[LANG_EN] : "");
            else snprintf(what, sizeof what, "%s (total %d-%d)", fm->bands[k].label[LANG_EN] ? fm->bands[k].label[LANG_EN] : "",
                          fm->bands[k].min, fm->bands[k].max);
            dict_value(&d, fm->bands[k].id, what);
        }
        snprintf(meaning, sizeof meaning, "%s: the severity band of the result", title);
        dict_row(&d, col, meaning, "code", NULL, NULL);
        if (fm->has_total) {
            snprintf(col, sizeof col, "%s.scoring", fm->id);
            dict_value(&d, "exact", "every scored item answered");
            char why[400];
            snprintf(why, sizeof why, "up to %d missing item(s) replaced by the mean of the answered ones (%s)",
                     fm->missing_items, fm->missing_source ? fm->missing_source : "the instrument's scoring");
            if (fm->missing_items > 0) dict_value(&d, "prorated", why);
            dict_value(&d, "incomplete", "too many items missing: no valid total");
            snprintf(meaning, sizeof meaning, "%s: how the total was reached (a prorated total is an estimate)", title);
            dict_row(&d, col, meaning, "code", NULL, NULL);
        }
        for (int i = 0; i < fm->n_items; i++) {
            const form_item *it = &fm->items[i];
            snprintf(col, sizeof col, "%s.%s", fm->id, it->id);
            dict_choices(&d, fm, i);
            snprintf(meaning, sizeof meaning, "%s: %s%s%s", title, it->text[LANG_EN] ? it->text[LANG_EN] : it->id,
                     it->safety ? " [safety item: positive when answered at or above its threshold, refused or "
                                  "unanswered]" : "",
                     it->score ? "" : " [not part of the total]");
            dict_row(&d, col, meaning, "code", NULL, it->loinc);
        }
    }
    if (!o->deidentify) {
        dict_record_item(&d, e, "concerns");
        dict_row(&d, "concern_codes", "the presenting concerns ticked on the intake form, by code, space separated "
                                      "(self_harm included; identifiable exports only)",
                 "codes", NULL, NULL);
    }
}

bool export_dictionary_write(const engine *e, const export_options *o, const char *path, error *err) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        error_set(err, ERR_IO, "%s: cannot create the data dictionary: %s%s", path, strerror(errno),
                 errno == EEXIST ? " (an export never overwrites a file)" : "");
        return false;
    }
    csv_buf b;
    csv_init(&b);
    if (o->bom) csv_raw(&b, CSV_BOM);
    dictionary(e, o, &b);
    bool ok = write_all(fd, b.p, b.n) && fsync(fd) == 0;
    if (close(fd) != 0) ok = false;
    if (!ok) {
        error_set(err, ERR_IO, "%s: cannot write the data dictionary: %s", path, strerror(errno));
        unlink(path);
    }
    csv_free(&b);
    return ok;
}

/* ---- JSON lines ---- */

/* One intake as a line of JSON, written as it goes (core/exchange/json_writer.h); the answers and scores are
 * the stored body's own, as they are. */
static void json_line(exporter *x, json_writer *w, const opened *op) {
    char t[32];
    jw_object(w);
    jw_member_string(w, "intake", op->id);
    jw_key(w, "client");
    jw_object(w);
    jw_member_string(w, "id", op->client_id);
    if (x->o->deidentify) {
        jw_member_string(w, "age_band", op->facts.has ? op->facts.age_band : "");
    } else {
        jw_member_string(w, "name", op->client.name ? op->client.name : "");
        jw_key(w, "phone");
        jw_string(w, op->client.phone); /* null when there is none */
        jw_key(w, "birth_date");
        jw_string(w, op->client.birth);
    }
    jw_object_end(w);
    record_time(x->o, op, op->meta->created_at, t, sizeof t);
    if (x->o->deidentify) authored_as_given(x, op, t, sizeof t); /* a month given stays a month */
    jw_member_string(w, "created_at", t);
    jw_member_string(w, "level", op->level);
    if (op->facts.has) {
        jw_key(w, "channel");
        jw_string(w, op->facts.channel[0] ? op->facts.channel : NULL);
        jw_key(w, "concerns");
        jw_array(w);
        strlist l = strlist_split(op->facts.concerns);
        for (int i = 0; i < l.n; i++) jw_string(w, l.v[i]);
        strlist_free(&l);
        jw_array_end(w);
        jw_key(w, "counselor");
        jw_string(w, op->facts.counselor[0] ? op->facts.counselor : NULL);
        jw_key(w, "confirmed_level");
        jw_string(w, op->facts.confirmed_level[0] ? op->facts.confirmed_level : NULL);
    }
    json_t *in = intake_body_input(op->body), *as = intake_body_assessment(op->body);
    static const char *const parts[2] = {"answers", "scores"};
    json_t *from[2] = {in, as};
    for (int k = 0; k < 2; k++) {
        json_t *v = json_object_get(from[k], parts[k]);
        jw_key(w, parts[k]);
        if (v) jw_value(w, v, JSON_REAL_PRECISION(6));
        else {
            jw_object(w);
            jw_object_end(w);
        }
    }
    jw_key(w, "reasons");
    jw_array(w);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(as, "reasons"), i, r) jw_value(w, json_object_get(r, "rule"), JSON_REAL_PRECISION(6));
    jw_array_end(w);
    if (op->has_task && op->task.deadline > 0) {
        record_time(x->o, op, op->task.deadline, t, sizeof t);
        jw_member_string(w, "deadline", t);
    }
    jw_object_end(w);
}

/* ---- FHIR R4, written as it goes (core/exchange/json_writer.h) ---- */

/* {"reference": url} */
static void ref(json_writer *w, const char *url) {
    jw_object(w);
    jw_member_string(w, "reference", url);
    jw_object_end(w);
}

static void member_ref(json_writer *w, const char *key, const char *url) {
    jw_key(w, key);
    ref(w, url);
}

/* A Coding {system, code, display}; display may be NULL (as fhir_coding). */
static void coding(json_writer *w, const char *system, const char *code, const char *display) {
    jw_object(w);
    jw_member_string(w, "system", system);
    jw_member_string(w, "code", code);
    jw_member_string(w, "display", display);
    jw_object_end(w);
}

/* A CodeableConcept of one Coding, with a text when text is not NULL. */
static void concept(json_writer *w, const char *system, const char *code, const char *display, const char *text) {
    jw_object(w);
    jw_key(w, "coding");
    jw_array(w);
    coding(w, system, code, display);
    jw_array_end(w);
    jw_member_string(w, "text", text);
    jw_object_end(w);
}

/* An entry of the Bundle: its separator, fullUrl and resource's opening; entry_end closes it. The entries
 * are written one compact line each as they come, never the whole Bundle held in memory. */
static void entry_begin(exporter *x, json_writer *w, const char *url) {
    /* the array is opened by its first entry: FHIR's JSON has no empty arrays (a Bundle with nothing in its
     * range, or every intake withheld, has no "entry" at all) */
    csv_raw(&x->out, x->entries_written++ ? ",\n  " : ",\"entry\":[\n  ");
    jw_object(w);
    jw_member_string(w, "fullUrl", url);
    jw_key(w, "resource");
}

static void entry_end(json_writer *w) { jw_object_end(w); }

/* Every entry's fullUrl is a urn:uuid (what FHIR servers and validators resolve references by). The uuid is
 * a keyed BLAKE2b of the resource's kind and id under a random key drawn for this export: the same resource
 * has one uuid throughout the Bundle (a Patient of several intakes, a response its Observation derives
 * from), and nothing links it to another export or, de-identified, to the record. */
static void url_of(const exporter *x, const char *id, const char *suffix, char *out, size_t size) {
    unsigned char h[16];
    vault_keyed_id(x->uuid_key, id, suffix, h);
    h[6] = (unsigned char)((h[6] & 0x0f) | 0x40); /* version 4 */
    h[8] = (unsigned char)((h[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    static const char hex[] = "0123456789abcdef";
    char u[37];
    int k = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) u[k++] = '-';
        u[k++] = hex[h[i] >> 4];
        u[k++] = hex[h[i] & 15];
    }
    u[k] = '\0';
    snprintf(out, size, "urn:uuid:%s", u);
}

static void patient(const exporter *x, json_writer *w, const opened *op) {
    jw_object(w);
    jw_member_string(w, "resourceType", "Patient");
    jw_member_string(w, "id", op->client_id);
    if (x->o->deidentify) {
        /* the pseudonym as its identifier: an import makes (or finds) the pseudonymous client it names */
        jw_member_one_pair(w, "identifier", "system", FHIR_PSEUDONYMS, "value", op->client_id);
        if (op->facts.has && op->facts.age_band[0])
            jw_member_one_pair(w, "extension", "url", FHIR_AGE_BAND, "valueString", op->facts.age_band);
        jw_object_end(w);
        return;
    }
    /* who the client is in this database: an import with --client refuses a Patient that names another */
    jw_member_one_pair(w, "identifier", "system", FHIR_CLIENT_IDS, "value", op->client_id);
    jw_key(w, "name");
    jw_array(w);
    jw_object(w);
    jw_member_string(w, "text", op->client.name ? op->client.name : "");
    jw_object_end(w);
    jw_array_end(w);
    if (op->client.phone && *op->client.phone)
        jw_member_one_pair(w, "telecom", "system", "phone", "value", op->client.phone);
    if (op->client.birth && *op->client.birth) jw_member_string(w, "birthDate", op->client.birth);
    jw_object_end(w);
}

static const char *priority_of(const char *level) {
    if (!strcmp(level, "red")) return "stat";
    if (!strcmp(level, "orange")) return "asap";
    if (!strcmp(level, "yellow")) return "urgent";
    return "routine";
}

/* The FHIR Task status of a queue step: waiting for someone, taken, under way. */
static const char *task_status(queue_state s) {
    switch (s) {
    case QS_OPEN: return "requested";
    case QS_ACKNOWLEDGED: return "accepted";
    case QS_CLOSED: return "completed";
    default: return "in-progress";
    }
}

/* One answer as FHIR: the LOINC answer where LOINC has one, else triage's local code (ASQ, a refusal). */
static void answer_value(json_writer *w, const form *fm, int i, const char *code) {
    const scale *s = form_item_scale(fm, i);
    int ci = s ? scale_code_index(s, code) : -1;
    jw_object(w);
    if (ci >= 0) {
        char system[160];
        const char *c;
        fhir_answer_coding(fm, i, ci, system, sizeof system, &c);
        jw_key(w, "valueCoding");
        coding(w, system, c, form_answer_display(fm, i, ci));
    } else if (fm->items[i].type == ITEM_NUMBER && code[0] >= '0' && code[0] <= '9') {
        jw_member_int(w, "valueInteger", strtoll(code, NULL, 10));
    } else {
        char system[160];
        snprintf(system, sizeof system, "%s%s", FHIR_ANSWERS, fm->id);
        jw_key(w, "valueCoding");
        coding(w, system, code, !strcmp(code, "refused") ? "Refused or cannot answer" : NULL);
    }
    jw_object_end(w);
}

/* The response's identifier, what recognises it when it comes back (fhir_import.h): an imported response's
 * own (kept with its intake), else triage's, urn:triage:responses|INTAKE/FORM. De-identified, always
 * triage's with the pseudonym: another system's identifier may name the person. */
static void response_identifier(const exporter *x, json_writer *w, const opened *op, const form *fm) {
    json_t *kept = json_object_get(json_object_get(intake_body_record(op->body), "fhir_identifiers"), fm->id);
    jw_key(w, "identifier");
    if (!x->o->deidentify && json_is_string(json_object_get(kept, "value"))) {
        jw_value(w, kept, 0);
        return;
    }
    char value[160];
    snprintf(value, sizeof value, "%s/%s", op->id, fm->id);
    jw_object(w);
    jw_member_string(w, "system", FHIR_RESPONSE_IDS);
    jw_member_string(w, "value", value);
    jw_object_end(w);
}

/* One answered item of a response: {"linkId", "text", "answer": [...]}. */
static void answered_item_write(json_writer *w, const form *fm, int i, const char *code) {
    jw_object(w);
    jw_member_string(w, "linkId", fhir_link_id(fm, i));
    jw_member_string(w, "text", fm->items[i].text[LANG_EN]);
    jw_key(w, "answer");
    jw_array(w);
    answer_value(w, fm, i, code);
    jw_array_end(w);
    jw_object_end(w);
}

/* An answered item with one of its scale's choices is the same text in every response that gives that
 * choice (form content only, never a person's data): written once per export for each item and choice met,
 * then copied. NULL for an answer outside the scale (a refusal, a number): written each time. */
typedef struct item_texts {
    char **by_choice; /* [the scale's choices], NULL until met */
} item_texts;

static const char *answered_item(exporter *x, int f, const form *fm, int i, const char *code) {
    const scale *s = form_item_scale(fm, i);
    int ci = s ? scale_code_index(s, code) : -1;
    if (ci < 0) return NULL;
    if (!x->answered) x->answered = xcalloc((size_t)x->e->forms.n, sizeof *x->answered);
    if (!x->answered[f]) x->answered[f] = xcalloc((size_t)fm->n_items, sizeof **x->answered);
    item_texts *t = &x->answered[f][i];
    if (!t->by_choice) t->by_choice = xcalloc((size_t)s->n, sizeof *t->by_choice);
    if (!t->by_choice[ci]) {
        csv_buf b;
        csv_init(&b);
        json_writer w;
        jw_init(&w, &b);
        answered_item_write(&w, fm, i, code);
        t->by_choice[ci] = csv_take(&b);
    }
    return t->by_choice[ci];
}

static void answered_free(exporter *x) {
    for (int f = 0; x->answered && f < x->e->forms.n; f++) {
        const form *fm = x->e->forms.v[f];
        for (int i = 0; x->answered[f] && i < fm->n_items; i++) {
            const scale *s = form_item_scale(fm, i);
            for (int c = 0; x->answered[f][i].by_choice && s && c < s->n; c++) free(x->answered[f][i].by_choice[c]);
            free(x->answered[f][i].by_choice);
        }
        free(x->answered[f]);
    }
    free(x->answered);
    x->answered = NULL;
}


/* The R4 status of a form's response: as the import kept it when it was sent other than completed (an
 * in-progress screen stays in-progress: a partial screen is never written as completed); amended when it
 * amends an earlier intake; else completed: a saved intake's response is finished, items missing or not
 * (R4's in-progress means more answers are still expected; a prorated or incomplete total says so on its
 * Observation). */
static const char *response_status(const opened *op, const form *fm) {
    json_t *record = intake_body_record(op->body);
    const char *kept = json_string_value(json_object_get(json_object_get(record, "fhir_status"), fm->id));
    if (kept && !strcmp(kept, "in-progress")) return "in-progress";
    /* a partial screen completed later (the import keeps "completed"): it was never complete before */
    if (kept && !strcmp(kept, "completed")) return "completed";
    bool amends = json_object_get(json_object_get(record, "fhir_amends"), fm->id) != NULL;
    if (amends || (kept && !strcmp(kept, "amended"))) return "amended";
    return "completed";
}

static void source_tag(json_writer *w, const char *tag) {
    jw_object(w);
    jw_member_string(w, "url", FHIR_SOURCE_DATABASE);
    jw_member_string(w, "valueString", tag);
    jw_object_end(w);
}

/* A QuestionnaireResponse's members up to its open item array: the same for every form's response. */
static void response_open(exporter *x, json_writer *w, const opened *op, const form *fm, const char *purl,
                          const char *t) {
    char qid[160], qcanon[200];
    snprintf(qid, sizeof qid, "%s-%s", op->id, fm->id);
    fhir_response_questionnaire(fm, qcanon, sizeof qcanon); /* LOINC's, where the form has a LOINC panel */
    jw_object(w);
    jw_member_string(w, "resourceType", "QuestionnaireResponse");
    jw_member_string(w, "id", qid);
    /* the intake it was part of: an import of this file keeps the intake's responses together and apart from
     * the client's other intakes, even two of one day (fhir_import.c, named_intake) */
    jw_key(w, "extension");
    jw_array(w);
    jw_object(w);
    jw_member_string(w, "url", FHIR_INTAKE_EXT);
    jw_member_string(w, "valueString", op->id);
    jw_object_end(w);
    /* the database the intake came from (this one's, or the one an import kept), then each it passed through on
     * its way here, this one last (provenance.h): back at any of them, it is known there */
    json_t *record = intake_body_record(op->body);
    const char *kept = json_string_value(json_object_get(record, "fhir_origin"));
    bool imported = provenance_valid(kept) && strcmp(kept, x->origin) != 0;
    source_tag(w, imported ? kept : x->origin);
    if (imported) {
        strlist through = strlist_split(json_string_value(json_object_get(record, "fhir_passed")));
        for (int k = 0; k < through.n; k++)
            if (provenance_valid(through.v[k]) && strcmp(through.v[k], x->origin) != 0) source_tag(w, through.v[k]);
        strlist_free(&through);
        source_tag(w, x->origin);
    }
    jw_array_end(w);
    response_identifier(x, w, op, fm);
    jw_member_string(w, "questionnaire", qcanon);
    jw_member_string(w, "status", response_status(op, fm));
    member_ref(w, "subject", purl);
    jw_member_string(w, "authored", t);
    jw_key(w, "item");
    jw_array(w);
}

static void questionnaire_response(exporter *x, json_writer *w, const opened *op, int f, json_t *ans, const char *purl,
                                   const char *t) {
    const form *fm = x->e->forms.v[f];
    response_open(x, w, op, fm, purl, t);
    for (int i = 0; i < fm->n_items; i++) {
        char code[64];
        if (!answer_code(json_array_get(ans, (size_t)i), code, sizeof code)) continue;
        const char *same = answered_item(x, f, fm, i, code);
        if (same) jw_raw(w, same);
        else answered_item_write(w, fm, i, code);
    }
    jw_array_end(w);
    jw_object_end(w);
}

/* ---- the intake form (the record form the presenting concerns come from) as a QuestionnaireResponse ---- */

/* The stored answer to item i of the concern form: the concerns, language and counselor-gender preference
 * are kept in the body's input (as assess reads them), the other choices and numbers in its record (text and
 * dates never: identity lives in the client record). NULL when there is none. */
static json_t *record_answer(const exporter *x, const opened *op, int f, int i) {
    const need_model *m = &x->e->needs;
    json_t *in = intake_body_input(op->body);
    if (f == m->concern_form && i == m->concern_item)
        return x->o->deidentify ? op->categories : json_object_get(in, "concerns"); /* concern_categories */
    if (f == m->language_form && i == m->language_item) return json_object_get(in, "language");
    if (f == m->gender_form && i == m->gender_item)
        return json_object_get(json_object_get(in, "preferences"), "counselor_gender");
    return json_object_get(intake_body_record(op->body), x->e->forms.v[f]->items[i].id);
}

/* Whether item i goes into the export: de-identified, only the choices (concerns, channel, language,
 * preferences, consent); an age, a date or a text can name or narrow down the person (the age band is on the
 * Patient). */
static bool record_item_exported(const exporter *x, const form *fm, int i) {
    item_type t = fm->items[i].type;
    if (t == ITEM_TEXT || t == ITEM_DATE) return false;
    return !x->o->deidentify || t == ITEM_CHOICE || t == ITEM_MULTI;
}

/* Whether the intake gave the concern form: a concern ticked or one of its other answers kept (the language
 * alone is kept for every intake and says nothing). */
static bool record_form_given(const exporter *x, const opened *op, int f) {
    const form *fm = x->e->forms.v[f];
    for (int i = 0; i < fm->n_items; i++) {
        if (!record_item_exported(x, fm, i) || (f == x->e->needs.language_form && i == x->e->needs.language_item))
            continue;
        json_t *a = record_answer(x, op, f, i);
        if (json_is_array(a) ? json_array_size(a) > 0 : a != NULL && !json_is_null(a)) return true;
    }
    return false;
}

/* The intake form's response (triage's own Questionnaire, local answer codes): its presenting concerns are
 * part of the level (rule self_harm_concern), so an export without them comes back lower than it went out. A
 * multi item (the concerns) gives one answer per code ticked. De-identified, the concerns are the broad
 * categories only (concern_categories): self_harm is then `other`, and the risk is in the level and the Task. */
static void record_response(exporter *x, json_writer *w, const opened *op, int f, const char *purl, const char *t) {
    const form *fm = x->e->forms.v[f];
    response_open(x, w, op, fm, purl, t);
    for (int i = 0; i < fm->n_items; i++) {
        if (!record_item_exported(x, fm, i)) continue;
        json_t *a = record_answer(x, op, f, i);
        if (fm->items[i].type == ITEM_MULTI) {
            if (!json_array_size(a)) continue;
            jw_object(w);
            jw_member_string(w, "linkId", fhir_link_id(fm, i));
            jw_member_string(w, "text", fm->items[i].text[LANG_EN]);
            jw_key(w, "answer");
            jw_array(w);
            size_t k;
            json_t *c;
            json_array_foreach(a, k, c) if (json_is_string(c)) answer_value(w, fm, i, json_string_value(c));
            jw_array_end(w);
            jw_object_end(w);
            continue;
        }
        char code[64];
        if (!answer_code(a, code, sizeof code)) continue;
        const char *same = answered_item(x, f, fm, i, code);
        if (same) jw_raw(w, same);
        else answered_item_write(w, fm, i, code);
    }
    jw_array_end(w);
    jw_object_end(w);
}

/* The total as an Observation: category survey, the total as valueInteger with its band as a coded
 * interpretation, derived from its response; a prorated total says so in an extension and a note (a
 * reader must not take 18 from seven answers for 18 from nine). */
static void total_observation(json_writer *w, const opened *op, const form *fm, const char *purl, const char *qurl,
                              const char *t) {
    json_t *sc = score_of(op, fm);
    const char *sys, *code;
    fhir_total_code(fm, &sys, &code);
    char oid[160], txt[200];
    snprintf(oid, sizeof oid, "%s-%s-total", op->id, fm->id);
    jw_object(w);
    jw_member_string(w, "resourceType", "Observation");
    jw_member_string(w, "id", oid);
    bool prorated = json_is_true(json_object_get(sc, "prorated"));
    if (prorated) {
        jw_key(w, "extension");
        jw_array(w);
        jw_object(w);
        jw_member_string(w, "url", FHIR_PRORATED);
        jw_key(w, "valueBoolean");
        jw_bool(w, true);
        jw_object_end(w);
        jw_array_end(w);
    }
    /* the total of a partial (in-progress) screen is preliminary: more answers may change it */
    jw_member_string(w, "status", strcmp(response_status(op, fm), "in-progress") ? "final" : "preliminary");
    jw_key(w, "category");
    jw_array(w);
    concept(w, "http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey", NULL);
    jw_array_end(w);
    snprintf(txt, sizeof txt, "%s total score", fm->title[LANG_EN] ? fm->title[LANG_EN] : fm->id);
    jw_key(w, "code");
    concept(w, sys, code, fm->total_loinc ? fm->total_loinc_display : NULL, txt); /* LOINC's name, never ours */
    member_ref(w, "subject", purl);
    jw_member_string(w, "effectiveDateTime", t);
    jw_member_int(w, "valueInteger", (long long)json_integer_value(json_object_get(sc, "total")));
    const char *band = json_string_value(json_object_get(sc, "band"));
    int bi = band ? form_band_index(fm, band) : -1;
    if (bi >= 0) {
        char bsys[160];
        snprintf(bsys, sizeof bsys, "%s%s", FHIR_BANDS, fm->id);
        const char *label = fm->bands[bi].label[LANG_EN];
        jw_key(w, "interpretation");
        jw_array(w);
        concept(w, bsys, band, label, label ? label : band);
        jw_array_end(w);
    }
    if (prorated) {
        snprintf(txt, sizeof txt,
                 "prorated: %lld missing item(s) replaced by the mean of the answered items (sum of answered: %lld)",
                 (long long)json_integer_value(json_object_get(sc, "missing")),
                 (long long)json_integer_value(json_object_get(sc, "sum_answered")));
        jw_key(w, "note");
        jw_array(w);
        jw_object(w);
        jw_member_string(w, "text", txt);
        jw_object_end(w);
        jw_array_end(w);
    }
    jw_key(w, "derivedFrom");
    jw_array(w);
    ref(w, qurl);
    jw_array_end(w);
    jw_object_end(w);
}

/* A response of the intake in the Bundle: the form it answers and its fullUrl. */
typedef struct {
    int form;
    char url[64];
} response_ref;

static const char *or_empty(const char *s) { return s ? s : ""; }

/* The reasons that set the level: the stored assessment's reasons at the Task's level (all of them when none
 * is at it: a level set by hand). */
static bool reason_sets_level(json_t *r, const char *level, bool any_at_level) {
    return !any_at_level || !strcmp(or_empty(json_string_value(json_object_get(r, "level"))), level);
}

static bool any_reason_at(json_t *reasons, const char *level) {
    size_t k;
    json_t *r;
    json_array_foreach(reasons, k, r) if (!strcmp(or_empty(json_string_value(json_object_get(r, "level"))), level)) return true;
    return false;
}

/* A reason's rule in the configuration, or NULL (the built-in "unscreened" has none). */
static const risk_rule *rule_named(const engine *e, const char *name) {
    for (int k = 0; name && k < e->rules.n; k++)
        if (!strcmp(e->rules.v[k].name, name)) return &e->rules.v[k];
    return NULL;
}

/* A reason as the export writes it: the rule's English reason where the rule is configured (every export in
 * one language, whatever the desk's was), else the stored text. */
static const char *reason_text(const engine *e, json_t *r) {
    const risk_rule *rule = rule_named(e, json_string_value(json_object_get(r, "rule")));
    if (rule && rule->reason[LANG_EN] && *rule->reason[LANG_EN]) return rule->reason[LANG_EN];
    return or_empty(json_string_value(json_object_get(r, "text")));
}

/* The response the level came from: the first form the first reason at the level reads (its rule's forms)
 * that has a response in the Bundle (PHQ-9 when item 9 set it, ASQ when the ASQ did, the intake form for a
 * self-harm concern); else the intake's first response. */
static const char *focus_of(const engine *e, json_t *reasons, const char *level, const response_ref *rs, int n) {
    bool at = any_reason_at(reasons, level);
    size_t k;
    json_t *r;
    json_array_foreach(reasons, k, r) {
        if (!reason_sets_level(r, level, at)) continue;
        const risk_rule *rule = rule_named(e, json_string_value(json_object_get(r, "rule")));
        for (int j = 0; rule && j < n; j++)
            if (rs[j].form < 32 && (rule->forms & (1u << rs[j].form))) return rs[j].url;
    }
    return n > 0 ? rs[0].url : NULL;
}

/* Task.reasonCode (0..1 in R4): the lead reason's rule as a code (urn:triage:rules), the text every reason at
 * the level; Task.description the same reasons, each with what fired it. */
static void task_reasons(const exporter *x, json_writer *w, json_t *reasons, const char *level) {
    bool at = any_reason_at(reasons, level);
    csv_buf text, desc;
    csv_init(&text);
    csv_init(&desc);
    const char *lead = NULL, *lead_text = NULL;
    size_t k;
    json_t *r;
    json_array_foreach(reasons, k, r) {
        if (!reason_sets_level(r, level, at)) continue;
        const char *t = reason_text(x->e, r), *because = json_string_value(json_object_get(r, "because"));
        if (!lead) {
            lead = json_string_value(json_object_get(r, "rule"));
            lead_text = t;
        }
        if (text.n) csv_raw(&text, " ");
        csv_raw(&text, t);
        csv_raw(&desc, desc.n ? " " : "");
        csv_raw(&desc, t);
        if (because && *because) {
            csv_raw(&desc, " (");
            csv_raw(&desc, because);
            csv_raw(&desc, ")");
        }
    }
    if (lead && *lead) {
        jw_key(w, "reasonCode");
        concept(w, FHIR_RULES, lead, lead_text, text.p);
        jw_member_string(w, "description", desc.p);
    }
    csv_free(&text);
    csv_free(&desc);
}

/* Whether a clinician lowered the open item below the level triage gave (the queue's level is below the
 * saved assessment's): the Task then says so, and the RiskAssessment keeps what triage gave. */
static bool task_lowered(const opened *op, risk_level *assessed) {
    return op->has_task && risk_level_parse(op->level, assessed) && op->task.level < *assessed;
}

/* The level triage's rules gave over every answer, as a RiskAssessment (the CSV's `level`, which the Task's
 * code does not carry once a clinician lowered it): its rules as reasonCode, the responses as basis, the
 * level as prediction.qualitativeRisk with every reason at it and what fired each as the rationale. */
static void risk_assessment(const exporter *x, json_writer *w, const opened *op, const char *purl, const char *t,
                            const response_ref *rs, int n) {
    risk_level l;
    if (!risk_level_parse(op->level, &l)) return;
    json_t *reasons = json_object_get(intake_body_assessment(op->body), "reasons");
    bool at = any_reason_at(reasons, op->level);
    char rid[160];
    snprintf(rid, sizeof rid, "%s-risk", op->id);
    jw_object(w);
    jw_member_string(w, "resourceType", "RiskAssessment");
    jw_member_string(w, "id", rid);
    /* from a partial (in-progress) screen: preliminary, as its totals; more answers may change it */
    bool partial = false;
    for (int j = 0; j < n && !partial; j++)
        partial = !strcmp(response_status(op, x->e->forms.v[rs[j].form]), "in-progress");
    jw_member_string(w, "status", partial ? "preliminary" : "final");
    jw_key(w, "code");
    concept(w, FHIR_ASSESSMENTS, "level", "triage risk level", "triage risk level (its rules over every answer)");
    member_ref(w, "subject", purl);
    jw_member_string(w, "occurrenceDateTime", t);
    size_t k;
    json_t *r;
    bool any = false;
    json_array_foreach(reasons, k, r) {
        const char *rule = json_string_value(json_object_get(r, "rule"));
        if (!reason_sets_level(r, op->level, at) || !rule || !*rule) continue;
        if (!any) {
            jw_key(w, "reasonCode");
            jw_array(w);
            any = true;
        }
        const char *text = reason_text(x->e, r);
        concept(w, FHIR_RULES, rule, text, text);
    }
    if (any) jw_array_end(w);
    if (n > 0) {
        jw_key(w, "basis");
        jw_array(w);
        for (int j = 0; j < n; j++) ref(w, rs[j].url);
        jw_array_end(w);
    }
    jw_key(w, "prediction");
    jw_array(w);
    jw_object(w);
    jw_key(w, "qualitativeRisk");
    concept(w, FHIR_LEVELS, op->level, level_meaning[l], op->level);
    csv_buf why;
    csv_init(&why);
    json_array_foreach(reasons, k, r) {
        if (!reason_sets_level(r, op->level, at)) continue;
        const char *because = json_string_value(json_object_get(r, "because"));
        csv_raw(&why, why.n ? " " : "");
        csv_raw(&why, reason_text(x->e, r));
        if (because && *because) {
            csv_raw(&why, " (");
            csv_raw(&why, because);
            csv_raw(&why, ")");
        }
    }
    if (why.n) jw_member_string(w, "rationale", why.p);
    csv_free(&why);
    jw_object_end(w);
    jw_array_end(w);
    risk_level assessed, confirmed;
    char note[240] = "";
    if (task_lowered(op, &assessed))
        snprintf(note, sizeof note,
                 "The queue holds this intake at %s: a clinician lowered it from %s with a written reason (in "
                 "triage's audit trail).",
                 risk_level_name(op->task.level), op->level);
    /* its queue item closed (no Task): the lowering is still the clinician's confirmation (eighth outside
     * integrator: the note went with the Task) */
    else if (op->facts.has && risk_level_parse(op->facts.confirmed_level, &confirmed) && confirmed < l)
        snprintf(note, sizeof note,
                 "A clinician confirmed this intake at %s, lower than the %s triage gave, with a written reason (in "
                 "triage's audit trail).",
                 op->facts.confirmed_level, op->level);
    if (note[0]) {
        jw_key(w, "note");
        jw_array(w);
        jw_object(w);
        jw_member_string(w, "text", note);
        jw_object_end(w);
        jw_array_end(w);
    }
    jw_object_end(w);
}

/* The open queue item as a Task: who is for, why (the reasons that set the level), which response the level
 * came from (focus: 0..1 in R4), every response of the intake as Task.input, and by when. authoredOn is when
 * the queue item was created, restriction.period starts when the step's deadline started counting (the level
 * set), lastModified is the last queue action. */
static void queue_task(const exporter *x, json_writer *w, const opened *op, const char *purl, const char *risk_url,
                       const response_ref *rs, int n) {
    const char *level = risk_level_name(op->task.level);
    risk_level assessed;
    bool lowered = task_lowered(op, &assessed);
    /* above the level triage gave: raised since, by staff, by an overdue escalation, or kept from an earlier
     * intake of the client (eighth outside integrator: "triage yellow" read as triage's own level) */
    bool raised = !lowered && risk_level_parse(op->level, &assessed) && op->task.level > assessed;
    json_t *reasons = json_object_get(intake_body_assessment(op->body), "reasons");
    const char *focus = focus_of(x->e, reasons, level, rs, n);
    char tid[160], text[96], when[32];
    snprintf(tid, sizeof tid, "%s-task", op->id);
    jw_object(w);
    jw_member_string(w, "resourceType", "Task");
    jw_member_string(w, "id", tid);
    jw_member_string(w, "status", task_status(op->task.state));
    const char *step = queue_state_name(op->task.state);
    jw_key(w, "businessStatus");
    concept(w, FHIR_QUEUE_STEPS, step, NULL, step);
    jw_member_string(w, "intent", "order");
    jw_member_string(w, "priority", priority_of(level));
    /* lowered: said in the code's text, beside the level triage gave, so no reader takes the queue's level
     * for the screen's */
    if (lowered)
        snprintf(text, sizeof text, "triage %s: %s (triage gave %s; lowered by a clinician)", level, step,
                 risk_level_name(assessed));
    else if (raised)
        snprintf(text, sizeof text, "triage %s: %s (triage gave %s; raised since)", level, step,
                 risk_level_name(assessed));
    else snprintf(text, sizeof text, "triage %s: %s", level, step);
    char code[32];
    snprintf(code, sizeof code, "escalation-%s", level);
    jw_key(w, "code");
    concept(w, FHIR_TASKS, code, NULL, text);
    /* lowered: the reasons that set the level triage gave (those at the queue's lower level may be none) */
    /* raised: the reason is the raise itself, whatever rule set the level triage gave (ninth outside integrator:
     * none from green; tenth: from orange, the orange rule stood as the red Task's reason); that rule is the
     * RiskAssessment's, named by reasonReference */
    if (!raised) task_reasons(x, w, reasons, lowered ? op->level : level);
    else {
        char why[160];
        snprintf(why, sizeof why, "Raised to %s since triage gave %s (by staff, an overdue escalation or an earlier intake)",
                 level, risk_level_name(assessed));
        jw_key(w, "reasonCode");
        concept(w, FHIR_RULES, "raised", "Raised since the level triage gave", why);
        jw_member_string(w, "description", why);
    }
    if (risk_url) member_ref(w, "reasonReference", risk_url);
    if (focus) member_ref(w, "focus", focus);
    member_ref(w, "for", purl);
    record_time(x->o, op, op->task.created_at, when, sizeof when);
    jw_member_string(w, "authoredOn", when);
    if (op->task.updated_at > op->task.created_at) {
        record_time(x->o, op, op->task.updated_at, when, sizeof when);
        jw_member_string(w, "lastModified", when);
    }
    /* the counselor assigned, by code (the same code the de-identified export's facts give) */
    if (op->task.counselor[0]) {
        jw_key(w, "owner");
        jw_object(w);
        jw_key(w, "identifier");
        jw_object(w);
        jw_member_string(w, "system", FHIR_COUNSELORS);
        jw_member_string(w, "value", op->task.counselor);
        jw_object_end(w);
        jw_object_end(w);
    }
    /* by when: only while a step is due (0 once it is done) */
    if (op->task.deadline > 0) {
        jw_key(w, "restriction");
        jw_object(w);
        jw_key(w, "period");
        jw_object(w);
        record_time(x->o, op, op->task.level_since, when, sizeof when);
        jw_member_string(w, "start", when);
        record_time(x->o, op, op->task.deadline, when, sizeof when);
        jw_member_string(w, "end", when);
        jw_object_end(w);
        jw_object_end(w);
    }
    if (n > 0) {
        jw_key(w, "input");
        jw_array(w);
        for (int k = 0; k < n; k++) {
            jw_object(w);
            jw_key(w, "type");
            concept(w, FHIR_TASK_INPUTS, "screen", "Screen response", NULL);
            member_ref(w, "valueReference", rs[k].url);
            jw_object_end(w);
        }
        jw_array_end(w);
    }
    jw_object_end(w);
}

static response_ref response_with(int form_index, const char *url) {
    response_ref r = {form_index, ""};
    snprintf(r.url, sizeof r.url, "%s", url);
    return r;
}

/* The intake's entries: its client's Patient (once per export), a QuestionnaireResponse per scored form,
 * an Observation per total, and the Task of its open queue item. */
static void fhir_intake(exporter *x, const opened *op, bool patient_done) {
    char purl[64], t[32];
    response_ref responses[TRIAGE_MAX_FORMS];
    int n_responses = 0;
    json_writer w;
    jw_init(&w, &x->out);
    url_of(x, op->client_id, "/patient", purl, sizeof purl);
    if (!patient_done) {
        entry_begin(x, &w, purl);
        patient(x, &w, op);
        entry_end(&w);
    }
    record_time(x->o, op, op->meta->created_at, t, sizeof t);
    authored_as_given(x, op, t, sizeof t);
    const formset *fs = &x->e->forms;
    for (int f = 0; f < fs->n; f++) {
        const form *fm = fs->v[f];
        if (fm->kind == FORM_RECORD && f == x->e->needs.concern_form && record_form_given(x, op, f)) {
            char qurl[64];
            url_of(x, op->id, fm->id, qurl, sizeof qurl);
            if (n_responses < TRIAGE_MAX_FORMS) responses[n_responses++] = response_with(f, qurl);
            entry_begin(x, &w, qurl);
            record_response(x, &w, op, f, purl, t);
            entry_end(&w);
            continue;
        }
        json_t *ans = answers_of(op, fm);
        if (fm->kind != FORM_SCORED || !json_is_array(ans)) continue;
        char qurl[64], ourl[64];
        url_of(x, op->id, fm->id, qurl, sizeof qurl);
        if (n_responses < TRIAGE_MAX_FORMS) responses[n_responses++] = response_with(f, qurl);
        entry_begin(x, &w, qurl);
        questionnaire_response(x, &w, op, f, ans, purl, t);
        entry_end(&w);
        if (fm->has_total && json_is_integer(json_object_get(score_of(op, fm), "total"))) {
            char osfx[96];
            snprintf(osfx, sizeof osfx, "%s/total", fm->id);
            url_of(x, op->id, osfx, ourl, sizeof ourl);
            entry_begin(x, &w, ourl);
            total_observation(&w, op, fm, purl, qurl, t);
            entry_end(&w);
        }
    }
    char rurl[64];
    risk_level l;
    bool has_risk = risk_level_parse(op->level, &l);
    if (has_risk) {
        url_of(x, op->id, "/risk", rurl, sizeof rurl);
        entry_begin(x, &w, rurl);
        risk_assessment(x, &w, op, purl, t, responses, n_responses);
        entry_end(&w);
    }
    if (op->has_task) {
        char turl[64];
        url_of(x, op->id, "/task", turl, sizeof turl);
        entry_begin(x, &w, turl);
        queue_task(x, &w, op, purl, has_risk ? rurl : NULL, responses, n_responses);
        entry_end(&w);
    }
}

/* ---- the walk ---- */

#define FLUSH_AT (1 << 16)

static bool write_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static bool flush(exporter *x) {
    if (x->fd < 0 || x->out.n == 0) return true;
    bool ok = write_all(x->fd, x->out.p, x->out.n);
    secret_wipe(x->out.p, x->out.n);
    x->out.n = 0;
    x->out.p[0] = '\0';
    if (!ok) error_set(x->err, ERR_IO, "cannot write the export: %s", strerror(errno));
    return ok;
}

/* a client's Patient goes into the bundle once: a hash set of the ids seen (open addressing), so a large
 * export does not compare every client with every other */
typedef struct {
    char (*ids)[64];
    size_t n, cap; /* cap a power of two, or 0 */
} seen_set;

static size_t seen_hash(const char *id) {
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) h = (h ^ *p) * 1099511628211u;
    return h;
}

static void seen_grow(seen_set *s) {
    seen_set bigger = {xcalloc(s->cap ? s->cap * 2 : 256, sizeof *s->ids), 0, s->cap ? s->cap * 2 : 256};
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->ids[i][0]) continue;
        size_t j = seen_hash(s->ids[i]) & (bigger.cap - 1);
        while (bigger.ids[j][0]) j = (j + 1) & (bigger.cap - 1);
        memcpy(bigger.ids[j], s->ids[i], sizeof bigger.ids[j]);
        bigger.n++;
    }
    free(s->ids);
    *s = bigger;
}

/* True when id was seen before; else remembers it. */
static bool seen_add(seen_set *s, const char *id) {
    if ((s->n + 1) * 2 > s->cap) seen_grow(s);
    size_t j = seen_hash(id) & (s->cap - 1);
    while (s->ids[j][0]) {
        if (!strcmp(s->ids[j], id)) return true;
        j = (j + 1) & (s->cap - 1);
    }
    snprintf(s->ids[j], sizeof s->ids[j], "%s", id);
    s->n++;
    return false;
}

typedef struct {
    exporter *x;
    seen_set patients;
    int64_t total; /* for the progress: the intakes in the range (0: nobody watches) */
} walk;

static int count_intake(void *ctx, const intake_rec *r) {
    (void)r;
    (*(int64_t *)ctx)++;
    return 0;
}

/* j: the intake's client and facts read with it, or NULL (de-identified: then h). */
static int export_one(walk *w, const intake_rec *r, const intake_joined *j, const held_read *h) {
    exporter *x = w->x;
    opened op;
    if (!open_one(x, r, j, h, &op)) {
        x->failed = true;
        return 1;
    }
    if (x->o->format == EXPORT_CSV) csv_row(x, &op);
    else if (x->o->format == EXPORT_JSON) {
        json_writer jw;
        jw_init(&jw, &x->out);
        json_line(x, &jw, &op);
        csv_raw(&x->out, "\n");
    } else {
        fhir_intake(x, &op, seen_add(&w->patients, op.client_id));
    }
    close_one(x, &op);
    x->count++;
    progress_report(x->s->progress, "intakes exported", x->count, w->total);
    if (x->out.n > FLUSH_AT && !flush(x)) {
        x->failed = true;
        return 1;
    }
    return 0;
}

static int on_joined(void *ctx, const intake_joined *j) { return export_one(ctx, &j->intake, j, NULL); }

/* De-identified, the rows come out in the order of their pseudonyms, never the store's (the intakes by
 * created_at): in the true order, row k is the k-th intake of the day range, and ranking the database's
 * clear created_at re-links every pseudonym however well the days are shifted. The pseudonym is a keyed
 * hash, so its order says nothing. Memory: one id, a 64-bit sort key and its facts' number per intake (about
 * 64 MB for a million), each intake then read again by its id (with its client's sealed key: intake_get_keyed);
 * never the bodies all at once. */
typedef struct {
    uint64_t key; /* the pseudonym's first 64 bits */
    uint64_t qi;  /* its quasi-identifier's hash (quasi_identifier) */
    uint32_t facts; /* its facts in the walk's held_facts */
    bool withheld;
    char id[STORE_ID_LEN];
} keyed_id;

/* The facts of the range's intakes, held from the first read so the rows are written without a lookup of
 * them apiece: one copy per distinct combination (a few hundred categories' combinations, whatever the
 * count of intakes), found again by a hash set of their numbers (open addressing). */
typedef struct {
    row_facts *v;
    size_t n, cap;
    uint32_t *slots; /* a number + 1, 0 for free; n_slots a power of two, or 0 */
    size_t n_slots;
} held_facts;

static uint64_t row_facts_hash(const row_facts *f) {
    const char *const parts[5] = {f->age_band, f->channel, f->concerns, f->counselor, f->confirmed_level};
    uint64_t h = f->has ? 1469598103934665603u : 1099511628211u;
    for (int i = 0; i < 5; i++) {
        for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++) h = (h ^ *p) * 1099511628211u;
        h = (h ^ 0x1f) * 1099511628211u;
    }
    return h;
}

static bool row_facts_same(const row_facts *a, const row_facts *b) {
    return a->has == b->has && !strcmp(a->age_band, b->age_band) && !strcmp(a->channel, b->channel) &&
           !strcmp(a->concerns, b->concerns) && !strcmp(a->counselor, b->counselor) &&
           !strcmp(a->confirmed_level, b->confirmed_level);
}

static void held_grow(held_facts *h) {
    size_t n_slots = h->n_slots ? h->n_slots * 2 : 256;
    uint32_t *slots = xcalloc(n_slots, sizeof *slots);
    for (size_t i = 0; i < h->n; i++) {
        size_t j = row_facts_hash(&h->v[i]) & (n_slots - 1);
        while (slots[j]) j = (j + 1) & (n_slots - 1);
        slots[j] = (uint32_t)i + 1;
    }
    free(h->slots);
    h->slots = slots;
    h->n_slots = n_slots;
}

/* The number of f in h, added when it is new. */
static uint32_t held_add(held_facts *h, const row_facts *f) {
    if ((h->n + 1) * 2 > h->n_slots) held_grow(h);
    size_t j = row_facts_hash(f) & (h->n_slots - 1);
    for (; h->slots[j]; j = (j + 1) & (h->n_slots - 1))
        if (row_facts_same(&h->v[h->slots[j] - 1], f)) return h->slots[j] - 1;
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 256;
        h->v = xrealloc(h->v, h->cap * sizeof *h->v);
    }
    h->v[h->n] = *f;
    h->slots[j] = (uint32_t)h->n + 1;
    return (uint32_t)h->n++;
}

static void held_free(held_facts *h) {
    free(h->v);
    free(h->slots);
    memset(h, 0, sizeof *h);
}

typedef struct {
    exporter *x;
    keyed_id *v;
    size_t n, cap;
} id_list;

static uint64_t pseudonym_key_of(const char *hex) {
    uint64_t k = 0;
    for (int i = 0; i < 16 && hex[i]; i++) {
        char c = hex[i];
        k = (k << 4) | (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return k;
}

/* ---- k-anonymity against the database's own clear values (issue 13) ----
 *
 * Why: the database keeps in clear, per intake, the same categories a de-identified export gives: the report
 * facts (level, age band, channel, concern categories, counselor, confirmed level) and the queue item (its
 * step, level and times). Whoever holds a copy of the database beside the export joins the two on them, and a
 * combination only one intake has singles out its row: the intake behind the pseudonym, its sealed answers,
 * and with it the client's secret date shift (an outside privacy tryout singled out 8 rows of 37 so). So the
 * export withholds every intake whose combination of those values (its quasi-identifier) fewer than
 * [reports] export_k intakes of the same export share. Every combination released is then held by at least k
 * rows of the export, and so by at least k rows of the database (the export's rows are among them, with the
 * same values): a join leaves at least k candidates for every row. The combination is the same in every
 * format, so the same intakes are withheld from a CSV, JSON lines and FHIR export of one range. */

static uint64_t qi_mix(uint64_t h, const char *v) {
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) h = (h ^ *p) * 1099511628211u; /* FNV-1a */
    return (h ^ 0x1f) * 1099511628211u; /* a separator: ("ab","c") is not ("a","bc") */
}

static uint64_t qi_mix_days(uint64_t h, int64_t from, int64_t to) {
    char n[32];
    snprintf(n, sizeof n, "%lld", to > 0 ? (long long)(day_of(to) - day_of(from)) : -1LL);
    return qi_mix(h, n);
}

/* The hash of what the export writes of intake r that the database also holds in clear. The days between the
 * intake and its queue item's times are in it too: the export gives them exactly (one client's dates move by
 * the same whole days), and the database has both times. The dates themselves are not: they are shifted by a
 * secret number of days. f: the intake's report facts, NULL when it has none. */
static uint64_t quasi_identifier(const exporter *x, const intake_clear *r, const facts_rec *f) {
    uint64_t h = 1469598103934665603u;
    h = qi_mix(h, f ? f->level : r->level);
    h = qi_mix(h, f ? f->age_band : "");
    h = qi_mix(h, f ? f->channel : "");
    h = qi_mix(h, f ? f->concerns : "");
    h = qi_mix(h, f ? f->counselor : r->suggested);
    h = qi_mix(h, f ? f->confirmed_level : "");
    const queue_item *it = open_item_of(x, r->id);
    bool task = it && !strcmp(it->client_id, r->client_id) && it->state != QS_CLOSED;
    h = qi_mix(h, task ? queue_state_name(it->state) : "-");
    if (task) {
        h = qi_mix(h, risk_level_name(it->level));
        h = qi_mix_days(h, r->created_at, it->created_at);
        h = qi_mix_days(h, r->created_at, it->level_since);
        h = qi_mix_days(h, r->created_at, it->updated_at);
        h = qi_mix_days(h, r->created_at, it->deadline);
    }
    return h;
}

static int by_qi(const void *a, const void *b) {
    uint64_t p = *(const uint64_t *)a, q = *(const uint64_t *)b;
    return p < q ? -1 : p > q;
}

/* How many of the sorted qis equal qi. */
static size_t qi_count(const uint64_t *sorted, size_t n, uint64_t qi) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] < qi) lo = mid + 1;
        else hi = mid;
    }
    size_t end = lo;
    while (end < n && sorted[end] == qi) end++;
    return end - lo;
}

/* One read of the intakes' clear columns with their facts (intake_clear_each) gives both lists: every intake's
 * quasi-identifier (all: the whole database when k_anonymous is to decide, see there) and the export's range
 * by pseudonym (ids). Why one read: the range's intakes were read once for their ids and again, with the
 * whole database, for the quasi-identifiers, each time with a lookup of its facts apiece; and why the clear
 * columns alone: the bodies and clients of the whole database were read and copied only to be dropped. */
typedef struct {
    exporter *x;
    id_list ids;
    held_facts facts; /* the range's intakes' (keyed_id.facts) */
    uint64_t *all;
    size_t n_all, cap_all;
    bool want_all; /* k > 1: every intake's quasi-identifier is kept */
} qi_pass;

static void id_add(id_list *l, const intake_clear *r, uint64_t qi, uint32_t facts) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    char pseudo[VAULT_PSEUDONYM_HEX];
    vault_pseudonym_with(l->x->pseudo_key, "intake", r->id, pseudo);
    l->v[l->n].key = pseudonym_key_of(pseudo);
    l->v[l->n].qi = qi;
    l->v[l->n].facts = facts;
    l->v[l->n].withheld = false;
    snprintf(l->v[l->n].id, sizeof l->v[l->n].id, "%s", r->id);
    l->n++;
}

static int collect(void *ctx, const intake_clear *r) {
    qi_pass *p = ctx;
    uint64_t qi = quasi_identifier(p->x, r, r->has_facts ? &r->facts : NULL);
    if (p->want_all) {
        if (p->n_all == p->cap_all) {
            p->cap_all = p->cap_all ? p->cap_all * 2 : 1024;
            p->all = xrealloc(p->all, p->cap_all * sizeof *p->all);
        }
        p->all[p->n_all++] = qi;
    }
    if (r->created_at >= p->x->o->from && r->created_at < p->x->o->to) {
        row_facts f;
        row_facts_of(r->has_facts ? &r->facts : NULL, &f);
        id_add(&p->ids, r, qi, held_add(&p->facts, &f));
    }
    return 0;
}

/* Marks every intake of the export whose quasi-identifier fewer than k intakes of the WHOLE DATABASE share;
 * returns how many. Why the whole database and not the export's range: decided per range, an intake withheld
 * from one export (rare among its days) was released by a wider one (common among more days), and the two
 * exports differenced re-linked it: the rows of the wider export missing from the narrower are its extra days'
 * intakes plus the narrower's withheld ones, which the attacker recomputes from the database (an outside
 * privacy tryout: 8 of 18 such rows below k, one with a single candidate, its client's date shift exposed).
 * Decided once over the database, an intake is withheld from every export of any range or from none, so the rows
 * one export has and another lacks are exactly the intakes of the days one range has and the other lacks. Those
 * days' intakes can still be few: see README ("release de-identified exports for closed periods only").
 * all: every intake's quasi-identifier (collect), sorted here. */
static int64_t k_anonymous(keyed_id *v, size_t n, uint64_t *all, size_t n_all, int k) {
    if (k <= 1 || n == 0) return 0;
    if (n_all) qsort(all, n_all, sizeof *all, by_qi);
    int64_t withheld = 0;
    for (size_t i = 0; i < n; i++) {
        v[i].withheld = qi_count(all, n_all, v[i].qi) < (size_t)k;
        withheld += v[i].withheld;
    }
    return withheld;
}

static int by_key(const void *a, const void *b) {
    const keyed_id *p = a, *q = b;
    if (p->key != q->key) return p->key < q->key ? -1 : 1;
    return strcmp(p->id, q->id);
}

static void bundle_head(exporter *x);

/* Every intake of the range, in the order of its pseudonym, but those k_anonymous withholds. */
static store_status walk_by_pseudonym(exporter *x, walk *w) {
    if (!x->pseudo_key) x->pseudo_key = vault_pseudonym_key(x->s->v);
    if (!x->pseudo_key) {
        error_set(x->err, ERR_INTERNAL, "no secure memory for the export's pseudonym key; nothing exported");
        x->failed = true;
        return ST_IO;
    }
    int k = x->e->cfg.export_k;
    qi_pass p = {x, {x, NULL, 0, 0}, {NULL, 0, 0, NULL, 0}, NULL, 0, 0, k > 1};
    /* k of 1 withholds nothing: the range alone is read */
    store_status st = x->s->db->ops->intake_clear_each(x->s->db->st, p.want_all ? INT64_MIN : x->o->from,
                                                         p.want_all ? INT64_MAX : x->o->to, collect, &p);
    id_list l = p.ids;
    if (st == ST_OK && l.n) qsort(l.v, l.n, sizeof *l.v, by_key);
    if (st == ST_OK) x->withheld = k_anonymous(l.v, l.n, p.all, p.n_all, k);
    free(p.all);
    if (st == ST_OK) bundle_head(x); /* FHIR: its meta says how many were withheld */
    w->total = progress_wanted(x->s->progress) ? (int64_t)(l.n - (size_t)x->withheld) : 0;
    for (size_t i = 0; st == ST_OK && i < l.n && !x->failed; i++) {
        if (l.v[i].withheld) continue;
        intake_rec r;
        blob key_ct;
        st = x->s->db->ops->intake_get_keyed(x->s->db->st, l.v[i].id, &r, &key_ct);
        if (st != ST_OK) break;
        held_read h = {&key_ct, &p.facts.v[l.v[i].facts]};
        (void)export_one(w, &r, NULL, &h);
        intake_rec_free(&r);
        blob_free(&key_ct);
    }
    held_free(&p.facts);
    free(l.v);
    return st;
}

static bool walk_snapshot(exporter *x) {
    if (!queues_list_open(x->s->db, &x->open_items, &x->n_open, x->err)) {
        x->failed = true;
        return false;
    }
    if (x->n_open) qsort(x->open_items, (size_t)x->n_open, sizeof *x->open_items, by_intake);
    walk w = {x, {NULL, 0, 0}, 0};
    if (x->o->deidentify) {
        store_status st = walk_by_pseudonym(x, &w);
        free(w.patients.ids);
        if (st != ST_OK && !x->failed) {
            db_error(x->s->db, st, "cannot read the intakes", x->err);
            x->failed = true;
        }
        return !x->failed;
    }
    /* a total for whoever watches the progress: one pass that only counts */
    if (progress_wanted(x->s->progress) &&
        x->s->db->ops->intake_each_between(x->s->db->st, x->o->from, x->o->to, count_intake, &w.total) != ST_OK)
        w.total = 0;
    store_status st = x->s->db->ops->intake_each_joined(x->s->db->st, x->o->from, x->o->to, on_joined, &w);
    free(w.patients.ids);
    if (st != ST_OK && !x->failed) {
        db_error(x->s->db, st, "cannot read the intakes", x->err);
        x->failed = true;
    }
    return !x->failed;
}

/* The whole range in one read transaction: one snapshot of the database (the queue items and the intakes
 * of one moment, whatever other desks commit meanwhile), and no locking per statement and row. Nothing is
 * written inside it; the export's audit entry comes after it. */
static bool walk_range(exporter *x) {
    if (!db_read_begin(x->s->db, x->err)) {
        x->failed = true;
        return false;
    }
    bool ok = walk_snapshot(x);
    db_read_end(x->s->db);
    return ok;
}

/* The Bundle's opening, up to its entries, as the streamed export writes it. De-identified, without its
 * timestamp (0..1 in a collection): the second the export was made is the second of its own audit entry. */
static void bundle_head(exporter *x) {
    if (x->o->format != EXPORT_FHIR || x->head_written) return;
    x->head_written = true;
    char t[32], head[1024];
    iso_time(clock_now(), t, sizeof t);
    /* de-identified, its meta says how many intakes were withheld and the k they fell under (k_anonymous) */
    if (x->o->deidentify)
        snprintf(head, sizeof head,
                 "{\"resourceType\":\"Bundle\",\"meta\":{\"extension\":["
                 "{\"url\":\"" EXPORT_EXT_WITHHELD "\",\"valueInteger\":%lld},"
                 "{\"url\":\"" EXPORT_EXT_K "\",\"valueInteger\":%d},"
                 "{\"url\":\"" FHIR_SOURCE_DATABASE "\",\"valueString\":\"%s\"}],"
                 "\"security\":[{\"system\":\"" FHIR_SECURITY_SYSTEM "\",\"code\":\"" FHIR_PSEUDED "\","
                 "\"display\":\"pseudonymized\"}]},"
                 "\"type\":\"collection\"",
                 (long long)x->withheld, x->e->cfg.export_k, x->origin);
    else
        snprintf(head, sizeof head,
                 "{\"resourceType\":\"Bundle\",\"meta\":{\"extension\":[{\"url\":\"" FHIR_SOURCE_DATABASE
                 "\",\"valueString\":\"%s\"}]},\"type\":\"collection\",\"timestamp\":\"%s\"",
                 x->origin, t);
    csv_raw(&x->out, head);
}

/* The Bundle's end: its entries' array closed, if one was opened. */
static void bundle_end(exporter *x) { csv_raw(&x->out, x->entries_written ? "\n]}\n" : "}\n"); }

/* The same text the export to a file writes, held in memory (no fd: nothing is flushed) and read back: one
 * way of writing the Bundle, whichever is asked for. */
json_t *export_fhir_bundle(session *s, const engine *e, const export_options *o, int64_t *count, error *err) {
    *count = 0;
    if (!session_allowed(s, ACT_EXPORT, err)) return NULL;
    exporter x = {.s = s, .e = e, .o = o, .fd = -1, .err = err};
    if (!provenance_tag(s->db, x.origin, err)) return NULL;
    x.uuid_key = vault_once_key();
    csv_init(&x.out);
    if (!o->deidentify) bundle_head(&x);
    bool ok = x.uuid_key ? walk_range(&x) : (error_set(err, ERR_INTERNAL, "no secure memory for the export's key"), false);
    exporter_end(&x);
    json_t *bundle = NULL;
    if (ok) {
        bundle_end(&x);
        json_error_t je;
        bundle = json_loadb(x.out.p, x.out.n, 0, &je);
        if (!bundle) error_set(err, ERR_INTERNAL, "the Bundle written does not read back: %s (line %d)", je.text, je.line);
    }
    csv_free(&x.out);
    if (bundle) *count = x.count;
    return bundle;
}

static void audit_export(session *s, const export_options *o, int64_t count, int64_t withheld, int k) {
    char a[16], b[16], detail[160], held[64] = "";
    day_format(day_of(o->from), a, sizeof a);
    day_format(day_of(o->to - 1), b, sizeof b);
    if (o->deidentify) snprintf(held, sizeof held, ", %lld withheld (k %d)", (long long)withheld, k);
    snprintf(detail, sizeof detail, "%s %s..%s %lld intakes%s%s", export_format_name(o->format), a, b, (long long)count,
             o->deidentify ? " deidentified" : "", held);
    session_audit(s, "export", "", detail);
}

bool export_run(session *s, const engine *e, const export_options *o, const char *path, int64_t *count, error *err) {
    export_counts c;
    bool ok = export_run_counted(s, e, o, path, &c, err);
    *count = c.written;
    return ok;
}

bool export_run_counted(session *s, const engine *e, const export_options *o, const char *path, export_counts *counts,
                        error *err) {
    memset(counts, 0, sizeof *counts);
    if (!session_allowed(s, ACT_EXPORT, err)) return false;
    char origin[PROVENANCE_HEX] = "";
    if (o->format == EXPORT_FHIR && !provenance_tag(s->db, origin, err)) return false;
    struct stat sb;
    if (!path || !*path || lstat(path, &sb) == 0) {
        error_set(err, ERR_IO, "%s: already exists; an export never overwrites a file", path ? path : "(no file)");
        return false;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.partial-XXXXXX", path);
    /* mkostemp creates the file with O_CREAT|O_EXCL and mode 0600 */
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        error_set(err, ERR_IO, "%s: cannot create the export: %s", path, strerror(errno));
        return false;
    }
    (void)fchmod(fd, 0600);
    exporter x = {.s = s, .e = e, .o = o, .fd = fd, .err = err};
    memcpy(x.origin, origin, sizeof x.origin);
    x.uuid_key = vault_once_key();
    csv_init(&x.out);
    bool ok;
    if (o->format == EXPORT_FHIR) {
        if (!o->deidentify) bundle_head(&x); /* de-identified: once the withheld count is known */
    } else if (o->format == EXPORT_CSV) {
        csv_header(&x);
    }
    ok = x.uuid_key ? walk_range(&x) : (error_set(err, ERR_INTERNAL, "no secure memory for the export's key"), false);
    if (ok && o->format == EXPORT_FHIR) bundle_end(&x);
    ok = ok && flush(&x);
    exporter_end(&x);
    csv_free(&x.out);
    if (ok && fsync(fd) != 0) {
        error_set(err, ERR_IO, "cannot write the export to disk: %s", strerror(errno));
        ok = false;
    }
    if (close(fd) != 0 && ok) {
        error_set(err, ERR_IO, "cannot write the export: %s", strerror(errno));
        ok = false;
    }
    /* link, not rename: a file that appeared at path meanwhile is never replaced */
    if (ok && link(tmp, path) != 0) {
        error_set(err, ERR_IO, "%s: cannot create the export: %s", path, strerror(errno));
        ok = false;
    }
    (void)unlink(tmp);
    if (ok) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = '\0';
        int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
        counts->written = x.count;
        counts->withheld = x.withheld;
        audit_export(s, o, x.count, x.withheld, e->cfg.export_k);
    }
    return ok;
}
