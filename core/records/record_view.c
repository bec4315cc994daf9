#include "record_view.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "intake_body.h"
#include "rowmac.h"
#include "secret.h"
#include "util.h"
#include "vault.h"

/* The length of the UTF-8 sequence a lead byte starts (1 for anything invalid, so a walk always moves on). */
static size_t utf8_len(unsigned char c) {
    if (c >= 0xf0 && c <= 0xf4) return 4;
    if (c >= 0xe0) return c <= 0xef ? 3 : 1;
    if (c >= 0xc2) return 2;
    return 1;
}

void name_initials(const char *name, char *out, size_t size) {
    size_t o = 0;
    int words = 0;
    if (size) out[0] = '\0';
    for (const unsigned char *p = (const unsigned char *)name; p && *p && words < 3;) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        size_t n = utf8_len(*p);
        if (strnlen((const char *)p, n) < n || (n == 1 && *p >= 0x80)) break; /* cut or invalid: stop here */
        if (o + n + 2 >= size) break;
        for (size_t i = 0; i < n; i++) out[o++] = (char)(n == 1 && p[i] >= 'a' && p[i] <= 'z' ? p[i] - 32 : p[i]);
        if (n == 1) out[o++] = '.';
        out[o] = '\0';
        words++;
        p += n;
        while (*p && *p != ' ' && *p != '\t') p++; /* the rest of the word */
    }
}

bool caller_id_of_name(const char *name, char *out, size_t size) {
    const char *last = strrchr(name ? name : "", ' ');
    if (!last || size < ID_SHORT_LEN) return false;
    last++;
    if (strlen(last) != ID_SHORT_LEN - 1) return false;
    for (int i = 0; i < ID_SHORT_LEN - 1; i++) {
        bool letter = last[i] >= 'A' && last[i] <= 'Z', digit = last[i] >= '0' && last[i] <= '9';
        if (i < 3 ? !letter : !digit) return false;
    }
    snprintf(out, size, "%s", last);
    return true;
}

bool caller_id_prefix_like(const char *text) {
    int i = 0, letters = 0, digits = 0;
    for (; text[i] && ((text[i] >= 'A' && text[i] <= 'Z') || (text[i] >= 'a' && text[i] <= 'z')); i++) letters++;
    for (; text[i] >= '0' && text[i] <= '9'; i++) digits++;
    return !text[i] && letters >= 1 && letters <= 3 && digits <= 4 && (digits == 0 || letters == 3);
}

/* Whether the item's client is an anonymous caller whose id starts with prefix (any case). */
static bool caller_starts_with(session *s, const queue_item *it, const char *prefix, bool *hit, error *err) {
    char *name = NULL, id[ID_SHORT_LEN];
    *hit = false;
    if (!client_peek_name(s, it->client_id, &name, err)) return false;
    if (caller_id_of_name(name, id, sizeof id)) {
        size_t i = 0;
        while (prefix[i] && id[i] && (prefix[i] == id[i] || prefix[i] - 32 == id[i])) i++;
        *hit = prefix[i] == '\0';
    }
    secret_free(name);
    return true;
}

bool queues_find_callers(session *s, const char *prefix, queue_item *out, int max, int *n, error *err) {
    enum { PAGE = 256 };
    *n = 0;
    if (!caller_id_prefix_like(prefix)) return true;
    queue_filter f = {"", false, false, NULL};
    for (int offset = 0; *n < max; offset += PAGE) {
        queue_item *items = NULL;
        int got = 0;
        if (!queues_page(s->db, &f, offset, PAGE, &items, &got, err)) return false;
        for (int i = 0; i < got && *n < max; i++) {
            bool hit;
            if (!caller_starts_with(s, &items[i], prefix, &hit, err)) {
                free(items);
                return false;
            }
            if (hit) out[(*n)++] = items[i];
        }
        free(items);
        if (got < PAGE) break;
    }
    session_audit(s, "caller_search", "", "queue");
    return true;
}

bool queue_row_view_load(session *s, const queue_item *it, queue_row_view *out, error *err) {
    memset(out, 0, sizeof *out);
    snprintf(out->short_id, sizeof out->short_id, "%.8s", it->client_id);
    char *name = NULL, *body = NULL;
    if (!client_peek_name(s, it->client_id, &name, err)) return false;
    /* an anonymous caller is known by one id, the one they were given to call back by: not initials made of
     * "Anonymous caller KMT4821" beside the record's id as well (three ids for one caller; tryout) */
    if (caller_id_of_name(name, out->initials, sizeof out->initials)) out->short_id[0] = '\0';
    else name_initials(name, out->initials, sizeof out->initials);
    secret_free(name);
    if (!intake_peek_body(s, it->intake_id, &body, err)) return false;
    intake_summary sum;
    if (intake_summary_parse(body, &sum) && sum.n_reasons) {
        snprintf(out->reason, sizeof out->reason, "%s", sum.reasons[0]);
        snprintf(out->reason_rule, sizeof out->reason_rule, "%s", sum.reason_rules[0]);
        out->remote = sum.remote;
    }
    secret_wipe(&sum, sizeof sum); /* the reasons and kept texts of a sealed body */
    secret_free(body);
    return true;
}

bool intake_summary_parse(const char *body, intake_summary *out) {
    memset(out, 0, sizeof *out);
    json_error_t je;
    json_t *root = body ? json_loads(body, JSON_REJECT_DUPLICATES, &je) : NULL;
    json_t *as = root ? intake_body_assessment(root) : NULL;
    if (!json_is_object(as)) {
        json_decref(root);
        return false;
    }
    const char *level = json_string_value(json_object_get(as, "level"));
    snprintf(out->level, sizeof out->level, "%s", level ? level : "");
    out->remote = json_is_true(json_object_get(as, "remote"));
    json_t *scores = json_object_get(as, "scores");
    const char *form_id;
    json_t *sc;
    json_object_foreach(scores, form_id, sc) {
        json_t *total = json_object_get(sc, "total");
        bool incomplete = json_is_true(json_object_get(sc, "incomplete"));
        if ((!json_is_integer(total) && !incomplete) || out->n_scores >= VIEW_MAX_SCORES) continue;
        score_point *p = &out->scores[out->n_scores++];
        snprintf(p->form, sizeof p->form, "%s", form_id);
        p->total = incomplete ? -1 : (int)json_integer_value(total);
        p->prorated = json_is_true(json_object_get(sc, "prorated"));
    }
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(as, "reasons"), i, r) {
        const char *text = json_string_value(json_object_get(r, "text"));
        const char *rule = json_string_value(json_object_get(r, "rule"));
        if (!text || out->n_reasons >= VIEW_MAX_REASONS) continue;
        snprintf(out->reason_rules[out->n_reasons], sizeof out->reason_rules[0], "%s", rule ? rule : "");
        snprintf(out->reasons[out->n_reasons++], sizeof out->reasons[0], "%s", text);
    }
    const char *item;
    json_t *t;
    json_object_foreach(intake_body_texts(root), item, t) {
        if (!json_is_string(t) || out->n_texts >= VIEW_MAX_TEXTS) continue;
        snprintf(out->texts[out->n_texts].item, sizeof out->texts[0].item, "%s", item);
        snprintf(out->texts[out->n_texts++].value, sizeof out->texts[0].value, "%s", json_string_value(t));
    }
    json_decref(root);
    return true;
}

int intake_summary_score(const intake_summary *s, const char *form_id) {
    for (int i = 0; i < s->n_scores; i++)
        if (strcmp(s->scores[i].form, form_id) == 0) return s->scores[i].total;
    return -1;
}

void client_record_free(client_record *r) {
    if (!r) return;
    client_plain_free(&r->client);
    for (int i = 0; i < r->n_intakes; i++) secret_free(r->intakes[i].notes);
    secret_free(r->intakes); /* the reasons of opened bodies */
    queue_history_free(r->history, r->n_history);
    memset(r, 0, sizeof *r);
}

bool client_record_open(session *s, const char *client_id, client_record *out, error *err) {
    memset(out, 0, sizeof *out);
    if (!client_open(s, client_id, &out->client, err)) return false;
    intake_rec *list = NULL;
    int n = 0;
    store_status st = s->db->ops->intake_list_for_client(s->db->st, client_id, &list, &n);
    if (st != ST_OK) {
        db_error(s->db, st, "cannot list the client's intakes", err);
        client_record_free(out);
        return false;
    }
    out->intakes = xcalloc((size_t)(n ? n : 1), sizeof *out->intakes);
    bool ok = true, required = rowmac_required(s->db);
    for (int i = 0; i < n; i++) {
        intake_rec meta;
        char *body = NULL, *notes = NULL;
        if (ok && !intake_open(s, list[i].id, &meta, &body, &notes, err)) ok = false;
        if (ok) {
            intake_summary *sum = &out->intakes[out->n_intakes++];
            bool parsed = intake_summary_parse(body, sum) && sum->level[0];
            memcpy(sum->id, meta.id, sizeof sum->id);
            sum->at = meta.created_at;
            /* the level shown is the sealed assessment's, never the clear column alone: an edit of the file
             * (its row MAC fails, or it differs from the sealed level) is shown as tampering */
            sum->tampered = rowmac_check_intake(s->v, required, &meta, NULL, 0) == ROW_TAMPERED ||
                            (parsed && strcmp(sum->level, meta.level) != 0);
            if (!parsed) snprintf(sum->level, sizeof sum->level, "%s", sum->tampered ? "red" : meta.level);
            staff_rec by;
            if (s->db->ops->staff_by_id(s->db->st, meta.created_by, &by) == ST_OK) snprintf(sum->by, sizeof sum->by, "%s", by.name);
            sum->notes = notes;
            notes = NULL;
            intake_rec_free(&meta);
        }
        secret_free(body);
        secret_free(notes);
        intake_rec_free(&list[i]);
    }
    free(list);
    if (ok && queues_open_for_client(s->db, client_id, &out->item)) {
        out->has_item = true;
        ok = queues_history(s, out->item.id, &out->history, &out->n_history, err);
    }
    if (!ok) client_record_free(out);
    return ok;
}
