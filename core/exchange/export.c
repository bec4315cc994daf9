#include "export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "csv.h"
#include "facts.h"
#include "fhir.h"
#include "intake_body.h"
#include "queue_items.h"
#include "records.h"
#include "secret.h"
#include "rowmac.h"
#include "util.h"

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

typedef struct {
    const intake_rec *meta;
    json_t *body;       /* the opened body, or NULL */
    client_plain client; /* empty when de-identified */
    facts_rec facts;
    bool has_facts;
    char level[8];   /* the sealed assessment's level (never the clear column alone: core/records/rowmac.h) */
    queue_item task; /* the open queue item this intake set, when there is one */
    bool has_task;
    char id[64], client_id[64]; /* ids or pseudonyms */
} opened;

typedef struct {
    session *s;
    const engine *e;
    const export_options *o;
    int fd;                /* CSV and JSON lines are written as they come */
    csv_buf out;           /* pending output */
    json_t *bundle_entries; /* FHIR */
    int64_t count;
    bool failed;
    char *err;
    size_t errsize;
} exporter;

static void iso_time(int64_t t, char *out, size_t size) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) snprintf(out, size, "1970-01-01T00:00:00Z");
    else strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool open_one(exporter *x, const intake_rec *r, opened *op) {
    memset(op, 0, sizeof *op);
    op->meta = r;
    session *s = x->s;
    char *body = NULL;
    size_t len;
    if (!vault_open(s->v, "intakes", "body", r->id, r->body_ct.p, r->body_ct.n, &body, &len)) {
        snprintf(x->err, x->errsize, "tampering detected: intake %s does not open (edited or moved); nothing exported",
                 r->id);
        return false;
    }
    json_error_t je;
    op->body = json_loadb(body, len, 0, &je);
    vault_wipe_free(body);
    /* an edit of the clear level in the file never reaches an export: the sealed one is written; a body
     * without one falls back to the clear column only when its row MAC holds (else red, the safe reading) */
    const char *sealed = intake_body_level(op->body);
    if (sealed && *sealed) snprintf(op->level, sizeof op->level, "%s", sealed);
    else snprintf(op->level, sizeof op->level, "%s",
                  rowmac_check_intake(s->v, rowmac_required(s->db), r, NULL, 0) == ROW_TAMPERED ? "red" : r->level);
    op->has_facts = s->db->ops->facts_get(s->db->st, r->id, &op->facts) == ST_OK;
    queue_item it;
    op->has_task = queues_open_for_client(s->db, r->client_id, &it) && strcmp(it.intake_id, r->id) == 0 &&
                   it.state != QS_CLOSED && it.deadline > 0;
    if (op->has_task) op->task = it;
    if (x->o->deidentify) {
        vault_pseudonym(s->v, "intake", r->id, op->id);
        vault_pseudonym(s->v, "client", r->client_id, op->client_id);
        return true;
    }
    snprintf(op->id, sizeof op->id, "%s", r->id);
    snprintf(op->client_id, sizeof op->client_id, "%s", r->client_id);
    client_rec c;
    if (s->db->ops->client_get(s->db->st, r->client_id, &c) != ST_OK) {
        snprintf(x->err, x->errsize, "intake %s: its client %s cannot be read", r->id, r->client_id);
        json_decref(op->body);
        return false;
    }
    const blob *fields[3] = {&c.name_ct, &c.phone_ct, &c.birth_ct};
    char **dest[3] = {&op->client.name, &op->client.phone, &op->client.birth};
    static const char *const cols[3] = {"name", "phone", "birth"};
    bool ok = true;
    for (int i = 0; i < 3 && ok; i++) {
        if (fields[i]->n == 0) *dest[i] = NULL;
        else ok = vault_open(s->v, "clients", cols[i], c.id, fields[i]->p, fields[i]->n, dest[i], &len);
    }
    client_rec_free(&c);
    if (!ok) {
        snprintf(x->err, x->errsize, "tampering detected: client %s does not open; nothing exported", r->client_id);
        client_plain_free(&op->client);
        json_decref(op->body);
    }
    return ok;
}

static void close_one(opened *op) {
    client_plain_free(&op->client);
    json_decref(op->body);
}

static json_t *answers_of(const opened *op, const form *f) {
    return intake_body_answers(op->body, f->id);
}

/* An answer as stored: a code ("yes", "somewhat") or a number (0..3); false when unanswered. */
static bool answer_code(json_t *a, char *out, size_t size) {
    if (json_is_string(a)) snprintf(out, size, "%s", json_string_value(a));
    else if (json_is_integer(a)) snprintf(out, size, "%lld", (long long)json_integer_value(a));
    else return false;
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
    csv_end_row(b);
}

static void csv_row(exporter *x, const opened *op) {
    csv_buf *b = &x->out;
    char t[32];
    csv_field(b, op->id);
    csv_field(b, op->client_id);
    iso_time(op->meta->created_at, t, sizeof t);
    csv_field(b, t);
    if (x->o->deidentify) csv_field(b, op->has_facts ? op->facts.age_band : "");
    else {
        csv_field(b, op->client.name);
        csv_field(b, op->client.phone);
        csv_field(b, op->client.birth);
    }
    csv_field(b, op->level);
    csv_field(b, op->has_facts ? op->facts.channel : "");
    csv_field(b, op->has_facts ? op->facts.concerns : "");
    csv_field(b, op->has_facts ? op->facts.counselor : op->meta->suggested);
    csv_field(b, op->has_facts ? op->facts.confirmed_level : "");
    if (op->has_task) iso_time(op->task.deadline, t, sizeof t);
    csv_field(b, op->has_task ? t : "");
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
    csv_end_row(b);
}

/* ---- JSON lines ---- */

static json_t *json_line(exporter *x, const opened *op) {
    json_t *o = json_object();
    char t[32];
    json_object_set_new(o, "intake", json_string(op->id));
    json_t *c = json_object();
    json_object_set_new(c, "id", json_string(op->client_id));
    if (x->o->deidentify) {
        json_object_set_new(c, "age_band", json_string(op->has_facts ? op->facts.age_band : ""));
    } else {
        json_object_set_new(c, "name", json_string(op->client.name ? op->client.name : ""));
        json_object_set_new(c, "phone", op->client.phone ? json_string(op->client.phone) : json_null());
        json_object_set_new(c, "birth_date", op->client.birth ? json_string(op->client.birth) : json_null());
    }
    json_object_set_new(o, "client", c);
    iso_time(op->meta->created_at, t, sizeof t);
    json_object_set_new(o, "created_at", json_string(t));
    json_object_set_new(o, "level", json_string(op->level));
    if (op->has_facts) {
        json_object_set_new(o, "channel", op->facts.channel[0] ? json_string(op->facts.channel) : json_null());
        json_t *cs = json_array();
        strlist l = strlist_split(op->facts.concerns);
        for (int i = 0; i < l.n; i++) json_array_append_new(cs, json_string(l.v[i]));
        strlist_free(&l);
        json_object_set_new(o, "concerns", cs);
        json_object_set_new(o, "counselor", op->facts.counselor[0] ? json_string(op->facts.counselor) : json_null());
        json_object_set_new(o, "confirmed_level",
                            op->facts.confirmed_level[0] ? json_string(op->facts.confirmed_level) : json_null());
    }
    json_t *in = intake_body_input(op->body), *as = intake_body_assessment(op->body);
    json_object_set(o, "answers", json_object_get(in, "answers") ? json_object_get(in, "answers") : json_object());
    json_object_set(o, "scores", json_object_get(as, "scores") ? json_object_get(as, "scores") : json_object());
    json_t *rules = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(as, "reasons"), i, r) json_array_append(rules, json_object_get(r, "rule"));
    json_object_set_new(o, "reasons", rules);
    if (op->has_task) {
        iso_time(op->task.deadline, t, sizeof t);
        json_object_set_new(o, "deadline", json_string(t));
    }
    return o;
}

/* ---- FHIR R4 ---- */

static json_t *ref(const char *url) {
    json_t *o = json_object();
    json_object_set_new(o, "reference", json_string(url));
    return o;
}

static json_t *coding(const char *system, const char *code, const char *display) {
    json_t *c = json_object();
    json_object_set_new(c, "system", json_string(system));
    json_object_set_new(c, "code", json_string(code));
    if (display) json_object_set_new(c, "display", json_string(display));
    return c;
}

static void entry(json_t *entries, const char *url, json_t *resource) {
    json_t *e = json_object();
    json_object_set_new(e, "fullUrl", json_string(url));
    json_object_set_new(e, "resource", resource);
    json_array_append_new(entries, e);
}

static void url_of(const exporter *x, const char *id, const char *suffix, char *out, size_t size) {
    if (x->o->deidentify) snprintf(out, size, "urn:triage:pseudonym:%s%s", id, suffix);
    else if (*suffix) snprintf(out, size, "urn:triage:%s%s", id, suffix);
    else snprintf(out, size, "urn:uuid:%s", id);
}

static json_t *patient(const exporter *x, const opened *op) {
    json_t *p = json_object();
    json_object_set_new(p, "resourceType", json_string("Patient"));
    json_object_set_new(p, "id", json_string(op->client_id));
    if (x->o->deidentify) {
        if (op->has_facts && op->facts.age_band[0]) {
            json_t *ext = json_object();
            json_object_set_new(ext, "url", json_string("urn:triage:age-band"));
            json_object_set_new(ext, "valueString", json_string(op->facts.age_band));
            json_t *exts = json_array();
            json_array_append_new(exts, ext);
            json_object_set_new(p, "extension", exts);
        }
        return p;
    }
    json_t *names = json_array(), *n = json_object();
    json_object_set_new(n, "text", json_string(op->client.name ? op->client.name : ""));
    json_array_append_new(names, n);
    json_object_set_new(p, "name", names);
    if (op->client.phone && *op->client.phone) {
        json_t *tel = json_array(), *t = json_object();
        json_object_set_new(t, "system", json_string("phone"));
        json_object_set_new(t, "value", json_string(op->client.phone));
        json_array_append_new(tel, t);
        json_object_set_new(p, "telecom", tel);
    }
    if (op->client.birth && *op->client.birth) json_object_set_new(p, "birthDate", json_string(op->client.birth));
    return p;
}

static const char *priority_of(const char *level) {
    if (!strcmp(level, "red")) return "stat";
    if (!strcmp(level, "orange")) return "asap";
    if (!strcmp(level, "yellow")) return "urgent";
    return "routine";
}

static void fhir_intake(exporter *x, const opened *op, bool patient_done) {
    char purl[128], t[32];
    url_of(x, op->client_id, "", purl, sizeof purl);
    if (!patient_done) entry(x->bundle_entries, purl, patient(x, op));
    iso_time(op->meta->created_at, t, sizeof t);
    const formset *fs = &x->e->forms;
    for (int f = 0; f < fs->n; f++) {
        const form *fm = fs->v[f];
        json_t *ans = answers_of(op, fm);
        if (fm->kind != FORM_SCORED || !json_is_array(ans)) continue;
        char qurl[160], qid[160], sfx[40], qcanon[200];
        snprintf(sfx, sizeof sfx, "-%s", fm->id);
        snprintf(qid, sizeof qid, "%s-%s", op->id, fm->id);
        url_of(x, op->id, sfx, qurl, sizeof qurl);
        fhir_questionnaire_url(fm, qcanon, sizeof qcanon);
        json_t *qr = json_object();
        json_object_set_new(qr, "resourceType", json_string("QuestionnaireResponse"));
        json_object_set_new(qr, "id", json_string(qid));
        char canon[240];
        snprintf(canon, sizeof canon, "%s|%s", qcanon, fm->version);
        json_object_set_new(qr, "questionnaire", json_string(canon));
        json_t *sc = score_of(op, fm);
        json_object_set_new(qr, "status",
                            json_string(json_is_true(json_object_get(sc, "complete")) ? "completed" : "in-progress"));
        json_object_set_new(qr, "subject", ref(purl));
        json_object_set_new(qr, "authored", json_string(t));
        json_t *items = json_array();
        char system[96];
        snprintf(system, sizeof system, "%s%s", FHIR_ANSWERS, fm->id);
        for (int i = 0; i < fm->n_items; i++) {
            char code[64];
            if (!answer_code(json_array_get(ans, (size_t)i), code, sizeof code)) continue;
            json_t *it = json_object();
            json_object_set_new(it, "linkId", json_string(fhir_link_id(fm, i)));
            if (fm->items[i].text[LANG_EN]) json_object_set_new(it, "text", json_string(fm->items[i].text[LANG_EN]));
            const scale *s = form_item_scale(fm, i);
            int ci = s ? scale_code_index(s, code) : -1;
            json_t *a = json_object(), *al = json_array();
            json_object_set_new(a, "valueCoding", coding(system, code, ci >= 0 ? s->choices[ci].label[LANG_EN] : NULL));
            json_array_append_new(al, a);
            json_object_set_new(it, "answer", al);
            json_array_append_new(items, it);
        }
        json_object_set_new(qr, "item", items);
        entry(x->bundle_entries, qurl, qr);
        json_t *total = json_object_get(sc, "total");
        if (fm->has_total && json_is_integer(total)) {
            const char *sys, *code;
            fhir_total_code(fm, &sys, &code);
            char ourl[160], osfx[48];
            snprintf(osfx, sizeof osfx, "-%s-total", fm->id);
            url_of(x, op->id, osfx, ourl, sizeof ourl);
            json_t *ob = json_object();
            json_object_set_new(ob, "resourceType", json_string("Observation"));
            json_object_set_new(ob, "id", json_string(qid));
            json_object_set_new(ob, "status", json_string("final"));
            json_t *cc = json_object(), *codings = json_array();
            json_array_append_new(codings, coding(sys, code, NULL));
            json_object_set_new(cc, "coding", codings);
            char txt[96];
            snprintf(txt, sizeof txt, "%s total score", fm->id);
            json_object_set_new(cc, "text", json_string(txt));
            json_object_set_new(ob, "code", cc);
            json_object_set_new(ob, "subject", ref(purl));
            json_object_set_new(ob, "effectiveDateTime", json_string(t));
            json_object_set_new(ob, "valueInteger", json_integer(json_integer_value(total)));
            const char *band = json_string_value(json_object_get(sc, "band"));
            if (band) {
                json_t *interp = json_array(), *ic = json_object();
                json_object_set_new(ic, "text", json_string(band));
                json_array_append_new(interp, ic);
                json_object_set_new(ob, "interpretation", interp);
            }
            if (json_is_true(json_object_get(sc, "prorated"))) {
                /* a prorated total says so: missing items replaced by the mean of the answered ones */
                char note[200];
                snprintf(note, sizeof note, "prorated: %lld missing item(s) replaced by the mean of the answered items (sum of answered: %lld)",
                         (long long)json_integer_value(json_object_get(sc, "missing")),
                         (long long)json_integer_value(json_object_get(sc, "sum_answered")));
                json_t *notes = json_array(), *nt = json_object();
                json_object_set_new(nt, "text", json_string(note));
                json_array_append_new(notes, nt);
                json_object_set_new(ob, "note", notes);
            }
            json_t *from = json_array();
            json_array_append_new(from, ref(qurl));
            json_object_set_new(ob, "derivedFrom", from);
            entry(x->bundle_entries, ourl, ob);
        }
    }
    if (op->has_task) {
        char turl[160];
        url_of(x, op->id, "-task", turl, sizeof turl);
        json_t *task = json_object();
        json_object_set_new(task, "resourceType", json_string("Task"));
        json_object_set_new(task, "status", json_string("requested"));
        json_object_set_new(task, "intent", json_string("order"));
        const char *level = risk_level_name(op->task.level);
        json_object_set_new(task, "priority", json_string(priority_of(level)));
        json_t *code = json_object();
        char text[96];
        snprintf(text, sizeof text, "triage %s: %s", level, queue_state_name(op->task.state));
        json_object_set_new(code, "text", json_string(text));
        json_object_set_new(task, "code", code);
        json_object_set_new(task, "for", ref(purl));
        iso_time(op->task.deadline, t, sizeof t);
        json_t *restr = json_object(), *period = json_object();
        json_object_set_new(period, "end", json_string(t));
        json_object_set_new(restr, "period", period);
        json_object_set_new(task, "restriction", restr);
        entry(x->bundle_entries, turl, task);
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
    if (!ok) snprintf(x->err, x->errsize, "cannot write the export: %s", strerror(errno));
    return ok;
}

/* a client's Patient goes into the bundle once */
typedef struct {
    char (*ids)[64];
    int n, cap;
} seen_set;

static bool seen_add(seen_set *s, const char *id) {
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->ids[i], id)) return true;
    if (s->n == s->cap) s->ids = xrealloc(s->ids, sizeof *s->ids * (size_t)(s->cap = s->cap ? s->cap * 2 : 64));
    snprintf(s->ids[s->n++], 64, "%s", id);
    return false;
}

typedef struct {
    exporter *x;
    seen_set patients;
} walk;

static int on_intake(void *ctx, const intake_rec *r) {
    walk *w = ctx;
    exporter *x = w->x;
    opened op;
    if (!open_one(x, r, &op)) {
        x->failed = true;
        return 1;
    }
    if (x->o->format == EXPORT_CSV) csv_row(x, &op);
    else if (x->o->format == EXPORT_JSON) {
        json_t *line = json_line(x, &op);
        char *s = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
        json_decref(line);
        if (s) {
            csv_raw(&x->out, s);
            csv_raw(&x->out, "\n");
            secret_wipe(s, strlen(s));
            free(s);
        }
    } else {
        fhir_intake(x, &op, seen_add(&w->patients, op.client_id));
    }
    close_one(&op);
    x->count++;
    if (x->out.n > FLUSH_AT && !flush(x)) {
        x->failed = true;
        return 1;
    }
    return 0;
}

static bool walk_range(exporter *x) {
    walk w = {x, {NULL, 0, 0}};
    store_status st = x->s->db->ops->intake_each_between(x->s->db->st, x->o->from, x->o->to, on_intake, &w);
    free(w.patients.ids);
    if (st != ST_OK && !x->failed) {
        db_error(x->s->db, st, "cannot read the intakes", x->err, x->errsize);
        x->failed = true;
    }
    return !x->failed;
}

static json_t *bundle_of(json_t *entries) {
    json_t *b = json_object();
    json_object_set_new(b, "resourceType", json_string("Bundle"));
    json_object_set_new(b, "type", json_string("collection"));
    char t[32];
    iso_time(clock_now(), t, sizeof t);
    json_object_set_new(b, "timestamp", json_string(t));
    json_object_set_new(b, "entry", entries);
    return b;
}

json_t *export_fhir_bundle(session *s, const engine *e, const export_options *o, int64_t *count, char *err,
                           size_t errsize) {
    *count = 0;
    if (!session_allowed(s, ACT_EXPORT, err, errsize)) return NULL;
    exporter x = {s, e, o, -1, {0}, json_array(), 0, false, err, errsize};
    csv_init(&x.out);
    bool ok = walk_range(&x);
    csv_free(&x.out);
    if (!ok) {
        json_decref(x.bundle_entries);
        return NULL;
    }
    *count = x.count;
    return bundle_of(x.bundle_entries);
}

static void audit_export(session *s, const export_options *o, int64_t count) {
    char a[16], b[16], detail[128];
    day_format(day_of(o->from), a, sizeof a);
    day_format(day_of(o->to - 1), b, sizeof b);
    snprintf(detail, sizeof detail, "%s %s..%s %lld intakes%s", export_format_name(o->format), a, b, (long long)count,
             o->deidentify ? " deidentified" : "");
    session_audit(s, "export", "", detail);
}

bool export_run(session *s, const engine *e, const export_options *o, const char *path, int64_t *count, char *err,
                size_t errsize) {
    *count = 0;
    if (!session_allowed(s, ACT_EXPORT, err, errsize)) return false;
    struct stat sb;
    if (!path || !*path || lstat(path, &sb) == 0) {
        snprintf(err, errsize, "%s: already exists; an export never overwrites a file", path ? path : "(no file)");
        return false;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.partial-XXXXXX", path);
    /* mkostemp creates the file with O_CREAT|O_EXCL and mode 0600 */
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errsize, "%s: cannot create the export: %s", path, strerror(errno));
        return false;
    }
    (void)fchmod(fd, 0600);
    exporter x = {s, e, o, fd, {0}, NULL, 0, false, err, errsize};
    csv_init(&x.out);
    bool ok;
    if (o->format == EXPORT_FHIR) {
        json_t *bundle = export_fhir_bundle(s, e, o, &x.count, err, errsize);
        /* dumped to memory first: jansson's own file output writes token by token */
        char *text = bundle ? json_dumps(bundle, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
        ok = text && write_all(fd, text, strlen(text)) && write_all(fd, "\n", 1);
        if (bundle && !ok) snprintf(err, errsize, "cannot write the export: %s", strerror(errno));
        if (text) {
            secret_wipe(text, strlen(text));
            free(text);
        }
        json_decref(bundle);
    } else {
        if (o->format == EXPORT_CSV) csv_header(&x);
        ok = walk_range(&x) && flush(&x);
    }
    csv_free(&x.out);
    if (ok && fsync(fd) != 0) {
        snprintf(err, errsize, "cannot write the export to disk: %s", strerror(errno));
        ok = false;
    }
    if (close(fd) != 0 && ok) {
        snprintf(err, errsize, "cannot write the export: %s", strerror(errno));
        ok = false;
    }
    /* link, not rename: a file that appeared at path meanwhile is never replaced */
    if (ok && link(tmp, path) != 0) {
        snprintf(err, errsize, "%s: cannot create the export: %s", path, strerror(errno));
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
        *count = x.count;
        audit_export(s, o, x.count);
    }
    return ok;
}
