#include "records.h"
#include "intake_store.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "blind_index.h"
#include "clinical_key.h"
#include "client_keys.h"
#include "facts.h"
#include "queue_items.h"
#include "clock.h"
#include "ids.h"
#include "name_fold.h"
#include "secret.h"
#include "rowmac.h"
#include "util.h"

#define NAME_MAX_BYTES CLIENT_NAME_MAX_BYTES
#define PHONE_MAX_BYTES 64
#define BIRTH_MAX_BYTES 16
#define NOTES_MAX_BYTES (64 * 1024)
#define BODY_MAX_BYTES (4 * 1024 * 1024)

void client_plain_free(client_plain *c) {
    if (!c) return;
    secret_free(c->name);
    secret_free(c->phone);
    secret_free(c->birth);
    c->name = c->phone = c->birth = NULL;
}

void client_list_free(client_plain *list, int n) {
    for (int i = 0; i < n; i++) client_plain_free(&list[i]);
    free(list);
}

void normalise_name(const char *in, char *out, size_t size) { name_fold(in, out, size); }

void normalise_phone(const char *in, char *out, size_t size) {
    size_t o = 0;
    for (const char *p = in ? in : ""; *p && o + 1 < size; p++)
        if (*p >= '0' && *p <= '9') out[o++] = *p;
    out[o] = '\0';
}

/* A number is typed with or without its country or trunk prefix (+86 138..., 0138..., 138...): the index
 * covers the last 7 digits, and candidates are compared in memory. */
#define PHONE_KEY_DIGITS 7
static const char *phone_key(const char *digits) {
    size_t n = strlen(digits);
    return n > PHONE_KEY_DIGITS ? digits + n - PHONE_KEY_DIGITS : digits;
}

/* True when one number ends with the other and they share at least 7 digits (or are equal). */
static bool phone_same(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    if (na < 4 || nb < 4) return false;
    if (na == nb) return strcmp(a, b) == 0;
    const char *lng = na > nb ? a : b, *shrt = na > nb ? b : a;
    size_t ns = na > nb ? nb : na, nl = na > nb ? na : nb;
    return ns >= PHONE_KEY_DIGITS && strcmp(lng + nl - ns, shrt) == 0;
}

/* A number as one person's: digits, without an international 00, the country code 86 before a full Chinese
 * number (10 or more digits), or a trunk 0. Nothing else is taken off: "8765 4321" and "010-8765 4321" are two
 * numbers in two cities, "555-0100" and "+1 415 555-0100" may be two people (the search's 7-digit match joined
 * them: eleventh outside attacker). */
static const char *phone_canonical(const char *digits) {
    const char *d = digits;
    if (d[0] == '0' && d[1] == '0') d += 2;
    if (d[0] == '8' && d[1] == '6' && strlen(d + 2) >= 10) d += 2;
    if (d[0] == '0') d++;
    return d;
}

bool client_phones_same(const char *a, const char *b) {
    char da[PHONE_MAX_BYTES + 1], db[PHONE_MAX_BYTES + 1];
    normalise_phone(a, da, sizeof da);
    normalise_phone(b, db, sizeof db);
    const char *ca = phone_canonical(da), *cb = phone_canonical(db);
    return strlen(ca) >= PHONE_KEY_DIGITS && strcmp(ca, cb) == 0;
}

bool client_is_person(const client_plain *c, const char *name, const char *phone, const char *birth, bool name_only) {
    char a[NAME_MAX_BYTES + 1], b[NAME_MAX_BYTES + 1];
    /* strictly: accents, apostrophes and hyphens count (Nguyễn Thị Anh is not Nguyễn Thị Ánh), case and blanks do
     * not; the search's looser fold only finds candidates */
    name_fold_strict(c->name, a, sizeof a);
    name_fold_strict(name, b, sizeof b);
    bool same = a[0] && strcmp(a, b) == 0;
    if (same && !name_only) {
        same = client_phones_same(c->phone, phone);
        name_fold_strict(c->birth, a, sizeof a); /* a date typed with a stray space is the same date */
        name_fold_strict(birth, b, sizeof b);
        /* a birth date given on one side only contradicts nothing: the same name and number are the person (a
         * returning client registered without the date made a second client, its queue item apart from the
         * first's ORANGE one: fourteenth tryout); two dates that differ are two people */
        same = same && (!a[0] || !b[0] || strcmp(a, b) == 0);
    }
    secret_wipe(a, sizeof a);
    secret_wipe(b, sizeof b);
    return same;
}

/* Kinds of blind-index value. The kind goes into the keyed hash, not beside it: all kinds share one range of
 * values, so a stored value does not say whether it is a name, a word or a phone (issue 13). A search may
 * then land among the clients who share a common word: more candidates, opened and filtered as any. */
enum { BIDX_FULL_NAME = 1, BIDX_NAME_WORD = 2, BIDX_PHONE = 3, BIDX_WORD_PAIR = 4 };

static uint32_t bidx(const vault *v, int kind, const char *text, int bits) {
    static const char *const kinds[] = {"", "name", "word", "phone", "pair"};
    return vault_blind_index(v, kinds[kind], text, bits);
}

/* The words of a name that the index holds (a name of more is found by its whole and by these). */
#define INDEXED_WORDS 15
/* How many characters of a word a pair value keeps: a query word that long or longer starts every word it is the
 * start of with these. */
#define PAIR_PREFIX_CHARS 3

/* The first PAIR_PREFIX_CHARS characters (UTF-8 sequences) of word, or the whole word when it is shorter; their
 * count in *chars. */
static void word_prefix(const char *word, char *out, size_t size, int *chars) {
    size_t n = strlen(word), at = 0;
    int c = 0;
    while (at < n && c < PAIR_PREFIX_CHARS) {
        size_t l = utf8_sequence_length((const unsigned char *)word + at, n - at);
        at += l ? l : 1;
        c++;
    }
    if (at >= size) at = size - 1;
    memcpy(out, word, at);
    out[at] = '\0';
    *chars = c;
}

/* The pair value of a name's whole word `whole` and another of its words, by that word's start (issue 13): a query
 * of several words names at least one whole word (name_has_words), and its other words start the name's others, so
 * a query's candidates are the clients of a pair of its words, not every client of a common surname. */
static uint32_t pair_value(const vault *v, const char *whole, const char *other_start, int bits) {
    char text[2 * CLIENT_NAME_MAX_BYTES + 2];
    snprintf(text, sizeof text, "%s\x1f%s", whole, other_start);
    uint32_t k = bidx(v, BIDX_WORD_PAIR, text, bits);
    secret_wipe(text, sizeof text);
    return k;
}

/* True when a normalised query has anything but digits and phone punctuation: it is a name. */
static bool query_has_letters(const char *norm) {
    for (const char *c = norm; *c; c++)
        if (!(*c == ' ' || *c == '-' || *c == '+' || *c == '(' || *c == ')' || (*c >= '0' && *c <= '9'))) return true;
    return false;
}

/* A search of a phone number typed in full-width digits (a Chinese input method's １３９...) is that number; a search
 * with letters in it is a name, as typed. */
static void search_text(const char *query, char *out, size_t size) {
    char norm[NAME_MAX_BYTES + 1];
    fullwidth_to_ascii(query, out, size);
    normalise_name(out, norm, sizeof norm);
    if (query_has_letters(norm)) snprintf(out, size, "%s", query ? query : "");
    secret_wipe(norm, sizeof norm);
}

/* Adds k to keys unless it is there (false when full). */
static bool key_add(uint32_t *keys, int *nk, int max, uint32_t k) {
    for (int j = 0; j < *nk; j++)
        if (keys[j] == k) return true;
    if (*nk >= max) return false;
    keys[(*nk)++] = k;
    return true;
}

int client_query_keys(const vault *v, int bits, const char *typed, bool pairs, uint32_t *keys, int max) {
    char norm[NAME_MAX_BYTES + 1], digits[PHONE_MAX_BYTES + 1], query[NAME_MAX_BYTES + 1];
    search_text(typed, query, sizeof query);
    normalise_name(query, norm, sizeof norm);
    normalise_phone(query, digits, sizeof digits);
    int nk = 0;
    /* a query of digits is a phone number; one word may be a whole name or one word of a name; several words, the
     * whole name, or words of it each (the candidates a part of a name finds: "Li Mei" of Li Meiling, issue 14) */
    if (query_has_letters(norm)) {
        strlist words = strlist_split(norm);
        /* several words: each taken as the whole one, with the longest of the others by its start (a pair value);
         * when the others are all shorter than a pair keeps, that word's own value (all its clients). Either holds
         * the clients of the whole name too (its words are the query's), so its own value is not looked up */
        bool by_pairs = pairs && words.n >= 2 && words.n <= INDEXED_WORDS;
        if (!by_pairs && nk < max) keys[nk++] = bidx(v, BIDX_FULL_NAME, norm, bits);
        for (int i = 0; i < words.n; i++) {
            int best = -1, best_chars = 0;
            char start[CLIENT_NAME_MAX_BYTES + 1];
            for (int j = 0; by_pairs && j < words.n; j++) {
                int chars;
                word_prefix(words.v[j], start, sizeof start, &chars);
                if (j != i && chars > best_chars) best = j, best_chars = chars;
            }
            uint32_t k;
            if (best >= 0 && best_chars >= PAIR_PREFIX_CHARS) {
                int chars;
                word_prefix(words.v[best], start, sizeof start, &chars);
                k = pair_value(v, words.v[i], start, bits);
            } else {
                k = bidx(v, BIDX_NAME_WORD, words.v[i], bits);
            }
            secret_wipe(start, sizeof start);
            if (!key_add(keys, &nk, max, k)) break;
        }
        for (int i = 0; i < words.n; i++) secret_wipe(words.v[i], strlen(words.v[i]));
        strlist_free(&words);
    } else if (strlen(digits) >= 4 && nk < max) {
        keys[nk++] = bidx(v, BIDX_PHONE, phone_key(digits), bits);
    }
    secret_wipe(norm, sizeof norm);
    secret_wipe(digits, sizeof digits);
    secret_wipe(query, sizeof query);
    return nk;
}

/* The blind-index values of a client: the whole name, each word of a name of several words, the phone. */
int client_index_values(const vault *v, int bits, const char *name, const char *phone, uint32_t *out, int max) {
    char norm[NAME_MAX_BYTES + 1], digits[PHONE_MAX_BYTES + 1];
    int n = 0;
    normalise_name(name, norm, sizeof norm);
    strlist words = {0};
    if (*norm && n < max) out[n++] = bidx(v, BIDX_FULL_NAME, norm, bits);
    if (strchr(norm, ' ')) words = strlist_split(norm);
    int nw = words.n < INDEXED_WORDS ? words.n : INDEXED_WORDS;
    for (int i = 0; i < nw && n < max - 1; i++) out[n++] = bidx(v, BIDX_NAME_WORD, words.v[i], bits);
    normalise_phone(phone, digits, sizeof digits);
    if (strlen(digits) >= 4 && n < max) out[n++] = bidx(v, BIDX_PHONE, phone_key(digits), bits);
    /* each word whole with the start of each other (client_query_keys) */
    for (int j = 0; j < nw; j++) {
        char start[CLIENT_NAME_MAX_BYTES + 1];
        int chars;
        word_prefix(words.v[j], start, sizeof start, &chars);
        for (int i = 0; i < nw && n < max; i++)
            if (i != j) out[n++] = pair_value(v, words.v[i], start, bits);
        secret_wipe(start, sizeof start);
    }
    for (int i = 0; i < words.n; i++) secret_wipe(words.v[i], strlen(words.v[i])); /* words of a name */
    strlist_free(&words);
    secret_wipe(norm, sizeof norm);
    secret_wipe(digits, sizeof digits);
    return n;
}

static bool check_text(const char *field, const char *text, size_t max, bool required, error *err) {
    size_t n = text ? strlen(text) : 0;
    if (required && n == 0) error_set(err, ERR_INPUT, "%s: required", field);
    else if (n > max) error_set(err, ERR_INPUT, "%s: longer than %zu bytes", field, max);
    else if (n && !utf8_valid(text, n)) error_set(err, ERR_INPUT, "%s: not valid UTF-8 text (or has control characters)", field);
    else return true;
    return false;
}

static bool seal_into(session *s, const char *table, const char *column, const char *row, const char *text, blob *b,
                      error *err) {
    b->p = NULL;
    b->n = 0;
    if (!text || !*text) return true;
    if (vault_seal(s->v, table, column, row, text, strlen(text), &b->p, &b->n)) return true;
    error_set(err, ERR_INTERNAL, "cannot seal %s.%s", table, column);
    return false;
}

/* Why a value of a client's record did not open, in words: the client erased (a row of it put back from an older
 * copy), the data key rotated since this session logged in, or tampering. */
static void owned_failure(session *s, ck_status why, const char *who, const char *table, const char *column,
                          const char *row, error *err) {
    if (why != CK_ERASED && !session_key_current(s))
        error_set(err, ERR_AUTH, "the data key was rotated since %s logged in: log in again", s->me.name);
    else
        ckey_why(why, who, table, column, row, err);
}

/* Opens a value of client owner's record under whichever key its format names (client_keys.h). */
static bool open_owned(session *s, const char *owner, const char *table, const char *column, const char *row,
                       const blob *b, char **plain, error *err) {
    size_t len;
    ck_status why;
    char who[VAULT_CLIENT_ID_MAX + 1];
    if (ckey_open(session_ckeys(s), s->db, s->v, owner, table, column, row, b->p, b->n, plain, &len, &why, who))
        return true;
    owned_failure(s, why, who, table, column, row, err);
    return false;
}

/* The key a new value of client c is sealed under: its own, or NULL while the upgrade has not reached it (the
 * data key, format 1). False, with why, for an erased client or a key that does not open. */
static bool key_to_seal(session *s, const client_rec *c, const unsigned char **key, error *err) {
    ck_status why;
    *key = ckey_of(session_ckeys(s), s->db, s->v, c, &why);
    if (*key || why == CK_LEGACY) return true;
    if (why == CK_ERASED)
        error_set(err, ERR_NOT_FOUND, "the client %s was erased: nothing more is saved for it", c->id);
    else
        owned_failure(s, why, c->id, "clients", "key", c->id, err);
    return false;
}

static bool replace_index(session *s, const char *id, const char *name, const char *phone, error *err) {
    uint32_t vals[CLIENT_INDEX_VALUES_MAX];
    /* the width is read in the write transaction: another desk's login may have rebuilt the index */
    int n = client_index_values(s->v, blind_width_stored(s->db, s->v, NULL), name, phone, vals, CLIENT_INDEX_VALUES_MAX);
    store_status st = s->db->ops->bidx_clear(s->db->st, id);
    for (int i = 0; st == ST_OK && i < n; i++) st = s->db->ops->bidx_add(s->db->st, vals[i], id);
    if (st != ST_OK) db_error(s->db, st, "cannot write the search index", err);
    return st == ST_OK;
}

/* A new client, sealed and ready to insert (outside any transaction: sealing takes time). */
static bool client_prepare(session *s, const char *name, const char *phone, const char *birth, client_rec *r, error *err) {
    memset(r, 0, sizeof *r);
    if (!check_text("client.name", name, NAME_MAX_BYTES, true, err) ||
        !check_text("client.phone", phone, PHONE_MAX_BYTES, false, err) ||
        !check_text("client.birth_date", birth, BIRTH_MAX_BYTES, false, err))
        return false;
    id_new(r->id);
    r->created_at = clock_now();
    snprintf(r->created_by, sizeof r->created_by, "%s", s->me.id);
    /* its own key, sealed under the data key in its row; its fields under that key (client_keys.h) */
    const unsigned char *key = ckey_create(session_ckeys(s), s->db, s->v, r);
    if (!key) {
        error_set(err, ERR_INTERNAL, "cannot make the client's key");
        return false;
    }
    return ckey_seal(s->v, key, r->id, "clients", "name", r->id, name, &r->name_ct, err) &&
           ckey_seal(s->v, key, r->id, "clients", "phone", r->id, phone, &r->phone_ct, err) &&
           ckey_seal(s->v, key, r->id, "clients", "birth", r->id, birth, &r->birth_ct, err);
}

/* Inside an open transaction: the client row, its search index and its audit entry. */
static bool client_insert_tx(session *s, const client_rec *r, const char *name, const char *phone, error *err) {
    store_status st = s->db->ops->client_insert(s->db->st, r);
    if (st != ST_OK) db_error(s->db, st, "cannot save the client", err);
    return st == ST_OK && replace_index(s, r->id, name, phone, err) &&
           audit_log(s->db, s->v, s->me.id, "client_create", r->id, "", err);
}

bool client_create(session *s, const char *name, const char *phone, const char *birth, char id[STORE_ID_LEN],
                   error *err) {
    if (!session_allowed(s, ACT_INTAKE_CREATE, err)) return false;
    client_rec r;
    bool ok = client_prepare(s, name, phone, birth, &r, err);
    if (ok && session_begin(s, err)) {
        ok = client_insert_tx(s, &r, name, phone, err) && db_commit(s->db, err);
        if (!ok) db_rollback(s->db);
    } else {
        ok = false;
    }
    if (ok) memcpy(id, r.id, STORE_ID_LEN);
    client_rec_free(&r);
    ckeys_forget(s->ck);
    return ok;
}

/* Opens the sealed fields of r into out; a failure names the record as tampered with. */
static bool open_client(session *s, const client_rec *r, client_plain *out, error *err) {
    memset(out, 0, sizeof *out);
    memcpy(out->id, r->id, STORE_ID_LEN);
    out->created_at = r->created_at;
    out->open_level = -1; /* not read here (client_find reads it) */
    const blob *fields[3] = {&r->name_ct, &r->phone_ct, &r->birth_ct};
    char **dest[3] = {&out->name, &out->phone, &out->birth};
    static const char *const cols[3] = {"name", "phone", "birth"};
    for (int i = 0; i < 3; i++) {
        if (fields[i]->n == 0) {
            *dest[i] = secret_alloc(1);
            if (*dest[i]) continue;
            error_set(err, ERR_INTERNAL, "no secure memory");
        } else if (open_owned(s, r->id, "clients", cols[i], r->id, fields[i], dest[i], err)) {
            continue;
        }
        client_plain_free(out);
        return false;
    }
    return true;
}

/* Matching the query's words to distinct words of the name, each typed word the start of its own (bipartite: the
 * first start that fits is not always the one to take: "wang me meil" of "wang meiling mei", a receptionist's search
 * that missed its client, session 24). Small enough to try every whole word as the one that must be whole. */
#define MATCH_QUERY_WORDS 16
#define MATCH_NAME_WORDS 64
typedef struct {
    int nq, nh, forced_h;
    bool edge[MATCH_QUERY_WORDS][MATCH_NAME_WORDS]; /* query word q starts name word h */
    int match_h[MATCH_NAME_WORDS];                  /* the query word a name word is taken by, -1: none */
    bool seen[MATCH_NAME_WORDS];
} word_matching;

static bool augment(word_matching *m, int q) {
    for (int h = 0; h < m->nh; h++) {
        if (!m->edge[q][h] || m->seen[h] || h == m->forced_h) continue;
        m->seen[h] = true;
        if (m->match_h[h] < 0 || augment(m, m->match_h[h])) {
            m->match_h[h] = q;
            return true;
        }
    }
    return false;
}

/* With query word w taken by name word h (equal to it), can every other query word start a name word of its own? */
static bool rest_fits(word_matching *m, int w, int h) {
    m->forced_h = h;
    for (int i = 0; i < m->nh; i++) m->match_h[i] = -1;
    for (int q = 0; q < m->nq; q++) {
        if (q == w) continue;
        memset(m->seen, 0, sizeof m->seen);
        if (!augment(m, q)) return false;
    }
    return true;
}

/* True when every word of the query is a word of the name or the start of one, each a word of its own, and at least
 * one a whole word (the blind index finds clients by whole words: a name found only by starts would be found or not
 * as the truncated values happen to fall). "li mei" is a part of "li meiling"; so is "meiling li". */
static bool name_has_words(const char *name, const char *query) {
    strlist have = strlist_split(name), want = strlist_split(query);
    bool hit = false;
    if (want.n > 0 && want.n <= MATCH_QUERY_WORDS && have.n <= MATCH_NAME_WORDS) {
        word_matching *m = xcalloc(1, sizeof *m);
        m->nq = want.n;
        m->nh = have.n;
        for (int q = 0; q < want.n; q++)
            for (int h = 0; h < have.n; h++) m->edge[q][h] = strncmp(have.v[h], want.v[q], strlen(want.v[q])) == 0;
        /* equal words are alike to every other query word: the first equal one stands for them all */
        for (int w = 0; w < want.n && !hit; w++)
            for (int h = 0; h < have.n; h++)
                if (strcmp(have.v[h], want.v[w]) == 0) {
                    hit = rest_fits(m, w, h);
                    break;
                }
        secret_wipe(m, sizeof *m);
        free(m);
    }
    for (int i = 0; i < have.n; i++) secret_wipe(have.v[i], strlen(have.v[i])); /* words of a name */
    for (int i = 0; i < want.n; i++) secret_wipe(want.v[i], strlen(want.v[i]));
    strlist_free(&have);
    strlist_free(&want);
    return hit;
}

/* Opens only the field the query is about and decides; the other fields are opened for matches only.
 * A field that does not open is reported as tampering. The field is opened into buf, one guarded buffer
 * for the whole search: a value is shared by k or more clients (blind_index.h), and a guarded allocation per
 * candidate (a mapping, two mprotects, an unmapping) would cost more than everything else a candidate does. */
static bool candidate_hit(session *s, const client_rec *r, const char *norm, const char *digits, bool by_name,
                          vault_buf *buf, bool *hit, bool *whole, error *err) {
    const blob *b = by_name ? &r->name_ct : &r->phone_ct;
    const char *col = by_name ? "name" : "phone";
    *hit = *whole = false;
    if (b->n == 0) return true;
    ck_status why;
    char who[VAULT_CLIENT_ID_MAX + 1];
    /* the key from the row in hand (no second read of it), checked against the list of erased clients */
    (void)ckey_of(session_ckeys(s), s->db, s->v, r, &why);
    if (!ckey_open_buf(session_ckeys(s), s->db, s->v, r->id, "clients", col, r->id, b->p, b->n, buf, &why, who)) {
        owned_failure(s, why, who, "clients", col, r->id, err);
        return false;
    }
    const char *plain = (const char *)buf->p;
    char text[NAME_MAX_BYTES + 1];
    if (by_name) {
        normalise_name(plain, text, sizeof text);
        *hit = *whole = strcmp(text, norm) == 0;
        if (!*hit && !strchr(norm, ' ')) {
            strlist words = strlist_split(text);
            *hit = strlist_find(&words, norm) >= 0;
            for (int i = 0; i < words.n; i++) secret_wipe(words.v[i], strlen(words.v[i]));
            strlist_free(&words);
        } else if (!*hit) {
            *hit = name_has_words(text, norm); /* a part of the name of several words */
        }
    } else {
        normalise_phone(plain, text, sizeof text);
        *hit = phone_same(text, digits);
    }
    secret_wipe(text, sizeof text);
    vault_buf_wipe(buf);
    return true;
}

/* The level of a client's open queue item, or -1 when none (or not readable: the queue shows it as it is). */
static int open_level_of(database *db, const char *client_id) {
    queue_rec q;
    risk_level l;
    if (db->ops->queue_open_for_client(db->st, client_id, &q) != ST_OK) return -1;
    return risk_level_parse(q.level, &l) ? (int)l : -1;
}

/* Found clients in one order whatever the index gave them in (its values follow random ids and keyed hashes; a query
 * of several words gathers candidates from several values): those with an open queue item first, the highest level
 * first; then the name exactly as typed (accents and all); then the whole names typed; then by name, the oldest first. */
static int by_name(const void *a, const void *b) {
    const client_plain *x = a, *y = b;
    if (x->open_level != y->open_level) return y->open_level - x->open_level; /* at risk first: red, orange... */
    if (x->exact != y->exact) return x->exact ? -1 : 1;                         /* then the name as typed */
    if (x->whole != y->whole) return x->whole ? -1 : 1;                         /* then the whole name typed */
    int c = strcmp(x->name ? x->name : "", y->name ? y->name : "");
    if (c) return c;
    if (x->created_at != y->created_at) return x->created_at < y->created_at ? -1 : 1;
    return strcmp(x->id, y->id);
}

bool client_find(session *s, const char *typed, client_plain **out, int *n, error *err) {
    *out = NULL;
    *n = 0;
    if (!session_allowed(s, ACT_CLIENT_SEARCH, err)) return false;
    if (!check_text("query", typed, NAME_MAX_BYTES, true, err)) return false;
    char norm[NAME_MAX_BYTES + 1], digits[PHONE_MAX_BYTES + 1], query[NAME_MAX_BYTES + 1], strict[NAME_MAX_BYTES + 1];
    search_text(typed, query, sizeof query);
    normalise_name(query, norm, sizeof norm);
    name_fold_strict(query, strict, sizeof strict);
    normalise_phone(query, digits, sizeof digits);
    uint32_t keys[CLIENT_QUERY_KEYS_MAX];
    /* pair values once the index holds them (a stale index, before the login that rebuilds it: the words') */
    int formula = -1, width = blind_width_stored(s->db, s->v, &formula);
    int nk = client_query_keys(s->v, width, query, formula >= 0, keys, CLIENT_QUERY_KEYS_MAX);
    bool has_letters = query_has_letters(norm);
    bool ok = true;
    int cap = 0;
    /* A value is shared by k or more clients (blind_index.h), so one record that does not open must not make
     * every search of its value fail: it is skipped, and reported when nothing else matched (it may have been
     * the one sought) and audited either way. */
    char tampered[STORE_ID_LEN] = "";
    bool replayed = false; /* the candidate left out is an erased client's row put back from an older copy */
    error tamper = {0};
    error why = {0};
    vault_buf field = {0};
    /* a name of several words: the clients with the whole name first, then those whose name it is a part of ("Li Mei"
     * of Li Meiling). A search that stopped at the whole name hid a RED Li Meiling behind two Li Mei (twenty-eighth
     * tryout), so the parts are always looked up: by pair values (each word whole with another's start), not every
     * client of a common surname (client_query_keys) */
    /* the candidates read in one snapshot: a statement each in a transaction of its own took a lock each, and
     * the list of erased clients, empty as a rule, is then asked once, not once a candidate */
    error no_read = {0};
    bool own_read = !s->db->ops->in_transaction(s->db->st) && db_read_begin(s->db, &no_read);
    for (int k = 0; k < nk && ok; k++) {
        char(*ids)[STORE_ID_LEN] = NULL;
        int nids = 0;
        store_status st = s->db->ops->bidx_find(s->db->st, keys[k], &ids, &nids);
        if (st != ST_OK) {
            db_error(s->db, st, "cannot search", err);
            ok = false;
        }
        for (int i = 0; ok && i < nids; i++) {
            bool dup = false;
            for (int j = 0; j < *n && !dup; j++) dup = strcmp((*out)[j].id, ids[i]) == 0;
            if (dup) continue;
            client_rec r;
            st = s->db->ops->client_get(s->db->st, ids[i], &r);
            if (st != ST_OK) {
                db_error(s->db, st, "cannot read a client", err);
                ok = false;
                break;
            }
            bool hit, whole;
            ok = candidate_hit(s, &r, norm, digits, has_letters, &field, &hit, &whole, &why);
            client_plain c;
            if (ok && hit) ok = open_client(s, &r, &c, &why);
            if (!ok && session_key_current(s)) { /* tampering: this candidate is left out */
                if (!tampered[0]) {
                    memcpy(tampered, r.id, sizeof tampered);
                    error_copy(&tamper, &why);
                    replayed = client_erased(s->db, r.id, NULL);
                }
                ok = true;
                client_rec_free(&r);
                continue;
            }
            client_rec_free(&r);
            if (!ok) error_set(err, ERR_INPUT, "%s", why.msg);
            if (!ok) break;
            if (!hit) continue;
            if (*n == cap) *out = xrealloc(*out, sizeof **out * (size_t)(cap = cap ? cap * 2 : 8));
            c.whole = whole || !has_letters;
            c.exact = false;
            if (has_letters && c.name) {
                char theirs[NAME_MAX_BYTES + 1];
                name_fold_strict(c.name, theirs, sizeof theirs);
                c.exact = strcmp(theirs, strict) == 0;
                secret_wipe(theirs, sizeof theirs);
            }
            c.open_level = open_level_of(s->db, c.id);
            (*out)[(*n)++] = c;
        }
        free(ids);
    }
    if (own_read) db_read_end(s->db);
    secret_wipe(norm, sizeof norm);
    secret_wipe(digits, sizeof digits);
    secret_wipe(query, sizeof query);
    secret_wipe(strict, sizeof strict);
    vault_buf_free(&field);
    ckeys_forget(s->ck);
    if (ok && tampered[0]) {
        session_audit(s, "tamper_detected", tampered, replayed ? "erased client replayed" : "clients");
        if (*n == 0) {
            error_copy(err, &tamper);
            ok = false;
        }
    }
    if (!ok) {
        client_list_free(*out, *n);
        *out = NULL;
        *n = 0;
        return false;
    }
    /* the clients at risk first, then the whole names, then the names it is a part of, each by name */
    if (*n > 1) qsort(*out, (size_t)*n, sizeof **out, by_name);
    char detail[32];
    snprintf(detail, sizeof detail, "%d found", *n);
    if (session_begin(s, err)) {
        if (!audit_log(s->db, s->v, s->me.id, "client_search", "", detail, err) || !db_commit(s->db, err))
            db_rollback(s->db);
    }
    return true;
}

bool client_phone_holders(session *s, const char *phone, client_plain **out, int *n, error *err) {
    *out = NULL;
    *n = 0;
    char digits[PHONE_MAX_BYTES + 1];
    normalise_phone(phone ? phone : "", digits, sizeof digits);
    bool short_number = strlen(digits) < 7;
    secret_wipe(digits, sizeof digits);
    if (short_number) return true;
    /* as the search by phone finds them, which is what the desk is told to do next: "+86 555 0113" is 555-0113's
     * number to the search, and the warning said nothing of its holder (forty-fourth receptionist) */
    return client_find(s, phone, out, n, err);
}

bool client_open(session *s, const char *id, client_plain *out, error *err) {
    memset(out, 0, sizeof *out);
    if (!session_allowed(s, ACT_CLIENT_OPEN, err)) return false;
    client_rec r;
    store_status st = id && *id ? s->db->ops->client_get(s->db->st, id, &r) : ST_INVALID;
    if (st == ST_NOTFOUND) error_set(err, ERR_NOT_FOUND, "no client %s", id);
    if (st != ST_OK) {
        if (st != ST_NOTFOUND) db_error(s->db, st, "cannot read the client", err);
        return false;
    }
    bool ok = open_client(s, &r, out, err);
    client_rec_free(&r);
    if (session_begin(s, err)) {
        if (!audit_log(s->db, s->v, s->me.id, ok ? "client_open" : "tamper_detected", id, ok ? "" : "clients", err) ||
            !db_commit(s->db, err))
            db_rollback(s->db);
    }
    return ok;
}

bool client_peek_name(session *s, const char *client_id, char **out, error *err) {
    *out = NULL;
    if (!session_allowed(s, ACT_CLIENT_SEARCH, err)) return false; /* the role that sees the queues */
    client_rec r;
    store_status st = client_id && *client_id ? s->db->ops->client_get(s->db->st, client_id, &r) : ST_INVALID;
    if (st != ST_OK) {
        db_error(s->db, st, "cannot read the client", err);
        return false;
    }
    bool ok = open_owned(s, r.id, "clients", "name", r.id, &r.name_ct, out, err);
    client_rec_free(&r);
    return ok;
}

bool intake_peek_body(session *s, const char *intake_id, char **out, error *err) {
    *out = NULL;
    if (!session_allowed(s, ACT_CLIENT_SEARCH, err)) return false; /* the role that sees the queues */
    intake_rec r;
    store_status st = intake_id && *intake_id ? s->db->ops->intake_get(s->db->st, intake_id, &r) : ST_INVALID;
    if (st != ST_OK) {
        db_error(s->db, st, "cannot read the intake", err);
        return false;
    }
    bool ok = open_owned(s, r.client_id, "intakes", "body", r.id, &r.body_ct, out, err);
    intake_rec_free(&r);
    return ok;
}

bool client_language(session *s, const char *client_id, lang *out, error *err) {
    if (!session_allowed(s, ACT_CLIENT_SEARCH, err)) return false; /* the role that starts intakes */
    intake_rec *in = NULL;
    int n = 0;
    store_status st = client_id && *client_id ? s->db->ops->intake_list_for_client(s->db->st, client_id, &in, &n)
                                              : ST_INVALID;
    if (st != ST_OK) {
        db_error(s->db, st, "cannot read the client's intakes", err);
        return false;
    }
    bool found = false;
    char *body = NULL;
    /* the newest (the list is oldest first): the language the client last gave */
    if (n > 0 && open_owned(s, client_id, "intakes", "body", in[n - 1].id, &in[n - 1].body_ct, &body, err)) {
        json_t *root = json_loads(body, 0, NULL);
        /* the answer the client gave to the intake's language question; an intake with no record form answers
         * (one imported, or `intake new`) gives its language as the client's. A question skipped gives none: the
         * language the questions were read in is no answer (twenty-third tryout) */
        json_t *record = json_object_get(root, "record");
        json_t *said = json_object_get(record, "language");
        if (!said && json_object_size(record) == 0) said = json_object_get(json_object_get(root, "input"), "language");
        found = lang_parse(json_string_value(said), out);
        json_decref(root);
        secret_free(body);
    }
    for (int i = 0; i < n; i++) intake_rec_free(&in[i]);
    free(in);
    return found;
}

static bool level_valid(const char *l) {
    return l && (!strcmp(l, "red") || !strcmp(l, "orange") || !strcmp(l, "yellow") || !strcmp(l, "green"));
}

bool intake_save(session *s, const intake_input *in, char id[STORE_ID_LEN], error *err) {
    return intake_save_queued(s, in, NULL, id, err);
}

/* The clinical key a note was sealed to before the save's transaction (checked again inside it). */
typedef struct {
    unsigned char pk[VAULT_PK_BYTES];
    bool used;
} note_key;

/* A new intake, checked and sealed, ready to insert (outside any transaction). */
static bool intake_prepare(session *s, const intake_input *in, const client_rec *c, int64_t given_at, intake_rec *r,
                           note_key *nk, error *err) {
    const char *client_id = c->id;
    memset(r, 0, sizeof *r);
    if (!in || !level_valid(in->level)) {
        error_set(err, ERR_INPUT, "intake: level must be red, orange, yellow or green");
        return false;
    }
    if (!check_text("intake.body", in->body, BODY_MAX_BYTES, true, err) ||
        !check_text("intake.notes", in->notes, NOTES_MAX_BYTES, false, err))
        return false;
    id_new(r->id);
    snprintf(r->client_id, sizeof r->client_id, "%s", client_id);
    r->created_at = given_at > 0 ? given_at : clock_now();
    snprintf(r->created_by, sizeof r->created_by, "%s", s->me.id);
    snprintf(r->level, sizeof r->level, "%s", in->level);
    snprintf(r->suggested, sizeof r->suggested, "%s", in->suggested ? in->suggested : "");
    snprintf(r->chosen, sizeof r->chosen, "%s", in->chosen ? in->chosen : "");
    const unsigned char *key = NULL; /* the client's own (client_keys.h) */
    bool ok = key_to_seal(s, c, &key, err) &&
              ckey_seal(s->v, key, c->id, "intakes", "body", r->id, in->body, &r->body_ct, err) &&
              clinical_seal_note_to(s, r->id, in->notes, &r->notes_ct, nk->pk, &nk->used, err) && /* clinical_key.h */
              (!key || ckey_wrap(key, c->id, "intakes", "notes", r->id, &r->notes_ct, err)); /* and the client's */
    rowmac_seal_intake(s->v, r); /* the clear level is bound to the data key (core/records/rowmac.h) */
    return ok;
}

/* Inside an open transaction: the intake, its report facts, its audit entry and its place in the queue
 * (the facts are written with the intake, before the queue step updates them). */
/* "LEVEL[ note][ draft:ID][ client:TAG]": the draft it finishes named, so that verify knows where a draft at risk
 * went (trail_rows.h); the client bound by a keyed tag (ckey_intake_tag: no id in clear), so that an erasure
 * takes only the intakes its client's own entries name (an intake moved to another client in the file, its row MAC
 * recomputed with the data key, was erased with that client: attacker 17). Each mark a word of its own. */
static const char *detail_of_create(session *s, const intake_rec *r, const char *draft_id, char *out, size_t size) {
    char tag[CKEY_TAG_HEX];
    bool tagged = ckey_intake_tag(session_ckeys(s), s->db, s->v, r->client_id, r->id, tag);
    snprintf(out, size, "%s%s%s%s%s%s", r->level, r->notes_ct.n ? " note" : "", draft_id && *draft_id ? " draft:" : "",
             draft_id ? draft_id : "", tagged ? " client:" : "", tag);
    return out;
}

static bool intake_insert_tx(session *s, const intake_rec *r, const char *body, const queue_policy *queue,
                             const char *draft_id, error *err) {
    char created[48 + STORE_ID_LEN + CKEY_TAG_HEX];
    store_status st = s->db->ops->intake_insert(s->db->st, r);
    if (st != ST_OK) db_error(s->db, st, "cannot save the intake", err);
    risk_level level = LEVEL_GREEN;
    risk_level_parse(r->level, &level);
    return st == ST_OK &&
           facts_record_intake(s, r, body,
                               s->db->set.age_bands[0] ? s->db->set.age_bands : FACTS_DEFAULT_AGE_BANDS,
                               s->db->set.concern_groups[0] ? s->db->set.concern_groups : FACTS_DEFAULT_CONCERN_GROUPS,
                               err) &&
           /* "LEVEL note" when it has one: verify finds a note removed from its row by the entry its author signed */
           audit_log(s->db, s->v, s->me.id, "intake_create", r->id, detail_of_create(s, r, draft_id, created, sizeof created), err) &&
           (!queue || queues_enqueue(s, queue, r->client_id, r->id, level, err));
}

bool intake_save_queued(session *s, const intake_input *in, const queue_policy *queue, char id[STORE_ID_LEN], error *err) {
    return intake_save_with_client(s, NULL, in, queue, NULL, id, err);
}

bool intake_save_with_client(session *s, const client_new *nc, const intake_input *in, const queue_policy *queue,
                             char client_id[STORE_ID_LEN], char intake_id[STORE_ID_LEN], error *err) {
    return intake_save_given_at(s, nc, in, queue, 0, NULL, client_id, intake_id, err);
}

static bool draft_own(session *s, const char *id, draft_rec *out, error *err);
static bool draft_still_mine(session *s, const char *id, error *err);
static bool draft_end_tx(session *s, const char *id, error *err);

/* Inside the save's transaction: a body sealed under the data key for a client the upgrade had not reached is
 * sealed again under the client's key when the client has one now (rolled back by the caller on failure). */
static bool reseal_if_keyed(session *s, const client_rec *c, intake_rec *r, const char *body, error *err) {
    if (vault_sealed_version(r->body_ct.p, r->body_ct.n) != VAULT_FIELD_VERSION) return true;
    client_rec now;
    store_status st = s->db->ops->client_get(s->db->st, c->id, &now);
    if (st != ST_OK) {
        db_error(s->db, st, "cannot read the client", err);
        db_rollback(s->db);
        return false;
    }
    const unsigned char *key = NULL;
    bool ok = key_to_seal(s, &now, &key, err);
    if (ok && key) {
        blob_free(&r->body_ct);
        ok = ckey_seal(s->v, key, now.id, "intakes", "body", r->id, body, &r->body_ct, err) &&
             ckey_wrap(key, now.id, "intakes", "notes", r->id, &r->notes_ct, err);
    }
    client_rec_free(&now);
    if (!ok) db_rollback(s->db);
    return ok;
}

/* Inside an open transaction: an existing client with no phone on record takes the one an intake gave, sealed under
 * the client's key, in the search index and on the signed trail; a phone on record stays as it is, unless the
 * intake's is a worker's change of it (in->phone_replaces). */
static bool client_fill_phone_tx(session *s, client_rec *c, const intake_input *in, error *err) {
    const char *phone = in->phone;
    if (!phone || !*phone) return true;
    char *have = NULL;
    if (c->phone_ct.n && !open_owned(s, c->id, "clients", "phone", c->id, &c->phone_ct, &have, err)) return false;
    bool empty = !have || !*have, same = !empty && client_phones_same(have, phone);
    secret_free(have);
    if (same || (!empty && !in->phone_replaces)) return true;
    if (!check_text("client.phone", phone, PHONE_MAX_BYTES, false, err)) return false;
    char *name = NULL;
    if (!open_owned(s, c->id, "clients", "name", c->id, &c->name_ct, &name, err)) return false;
    ck_status why;
    const unsigned char *key = ckey_of(session_ckeys(s), s->db, s->v, c, &why);
    blob sealed = {0};
    bool ok = key != NULL;
    if (!ok) error_set(err, ERR_TAMPERED, "the client %s's key does not open: the phone was not added", c->id);
    ok = ok && ckey_seal(s->v, key, c->id, "clients", "phone", c->id, phone, &sealed, err);
    if (ok) {
        blob_free(&c->phone_ct);
        c->phone_ct = sealed;
        store_status st = s->db->ops->client_update(s->db->st, c);
        if (st != ST_OK) db_error(s->db, st, "cannot add the phone to the client", err);
        ok = st == ST_OK && replace_index(s, c->id, name, phone, err) &&
             audit_log(s->db, s->v, s->me.id, empty ? "client_phone_added" : "client_phone_changed", c->id,
                       empty ? "the phone an intake gave" : "the phone a worker gave in an intake, for the one on record",
                       err);
        if (ok && !empty && in->phone_changed) *in->phone_changed = true;
    } else {
        blob_free(&sealed);
    }
    secret_free(name);
    return ok;
}

bool intake_save_given_at(session *s, const client_new *nc, const intake_input *in, const queue_policy *queue,
                          int64_t given_at, const char *draft_id, char client_id[STORE_ID_LEN],
                          char intake_id[STORE_ID_LEN], error *err) {
    if (!session_allowed(s, ACT_INTAKE_CREATE, err)) return false;
    if (!in || !level_valid(in->level)) {
        error_set(err, ERR_INPUT, "intake: level must be red, orange, yellow or green");
        return false;
    }
    /* the draft it finishes must still be this worker's: one gone meanwhile was saved, discarded or erased on
     * another desk (two sessions of one worker), and saving it again would make a second client and intake */
    bool drop_draft = draft_id && draft_id[0];
    if (drop_draft && !draft_still_mine(s, draft_id, err)) return false;
    client_rec c;
    memset(&c, 0, sizeof c);
    if (nc) {
        if (!client_prepare(s, nc->name, nc->phone, nc->birth, &c, err)) {
            client_rec_free(&c);
            return false;
        }
    } else {
        store_status st = in && in->client_id ? s->db->ops->client_get(s->db->st, in->client_id, &c) : ST_INVALID;
        if (st != ST_OK) {
            error_set(err, ERR_NOT_FOUND, "intake: no client %s", in && in->client_id ? in->client_id : "(none)");
            return false;
        }
    }
    intake_rec r;
    note_key nk = {{0}, false};
    bool ok = intake_prepare(s, in, &c, given_at, &r, &nk, err) && session_begin(s, err);
    if (ok && nk.used && !clinical_note_key_still(s, nk.pk, err)) { /* the pin, again under the write lock */
        db_rollback(s->db);
        ok = false;
    }
    /* sealed before the transaction under the data key because the upgrade had not reached the client: it may
     * have since (another desk's login), and then the body goes under the client's new key */
    ok = ok && (nc || reseal_if_keyed(s, &c, &r, in->body, err));
    if (ok) {
        /* the client (when new), the intake, its place in the queue and the end of its draft: saved together or
         * not at all */
        ok = (!nc || client_insert_tx(s, &c, nc->name, nc->phone, err)) && (nc || client_fill_phone_tx(s, &c, in, err)) &&
             intake_insert_tx(s, &r, in->body, queue, drop_draft ? draft_id : NULL, err) && (!drop_draft || draft_end_tx(s, draft_id, err)) &&
             db_commit(s->db, err);
        if (!ok) db_rollback(s->db);
    }
    if (ok) {
        memcpy(intake_id, r.id, STORE_ID_LEN);
        if (client_id) memcpy(client_id, c.id, STORE_ID_LEN);
    }
    intake_rec_free(&r);
    client_rec_free(&c);
    ckeys_forget(s->ck);
    return ok;
}

bool intake_open(session *s, const char *id, intake_rec *meta, char **body, char **notes, error *err) {
    *body = *notes = NULL;
    if (!session_allowed(s, ACT_CLIENT_OPEN, err)) return false;
    store_status st = id && *id ? s->db->ops->intake_get(s->db->st, id, meta) : ST_INVALID;
    if (st != ST_OK) {
        if (st == ST_NOTFOUND) error_set(err, ERR_NOT_FOUND, "no intake %s", id);
        else db_error(s->db, st, "cannot read the intake", err);
        return false;
    }
    /* the author is the writer of the intake's signed intake_create entry, never the row's column alone, which
     * anyone with the file sets (attacker 13: reception set it to herself over a clinician's note she replaced,
     * and the record screen read the note as hers until verify ran) */
    audit_rec made;
    audit_link prev;
    st = s->db->ops->audit_by_object(s->db->st, meta->id, "intake_create", false, &made, &prev);
    if (st != ST_OK && st != ST_NOTFOUND) {
        db_error(s->db, st, "cannot read the intake's audit entry", err);
        intake_rec_free(meta);
        return false;
    }
    /* and the entry itself checks: its writer edited in the file (the trigger dropped and put back) was taken as it
     * read (attacker 16) */
    const audit_facts *facts = st == ST_OK ? audit_facts_of(s->db) : NULL;
    /* no entry at all is as bad: the action renamed in the file hid the author (attacker 17) */
    bool entry_bad = st == ST_NOTFOUND || !facts || !audit_entry_checks(s->db, s->v, facts, &prev, &made);
    bool author_moved = entry_bad || (st == ST_OK && made.staff_id[0] && strcmp(made.staff_id, meta->created_by) != 0);
    error why = {0};
    bool ok = !author_moved && open_owned(s, meta->client_id, "intakes", "body", meta->id, &meta->body_ct, body, &why);
    ckeys_forget(s->ck);
    /* the code's rule, and under it the key's: a note under the clinical key opens only for those who hold it
     * (clinicians, supervisors), so a receptionist's own note, once sealed, is not hers to read back */
    bool may_read_notes = strcmp(meta->created_by, s->me.id) == 0 || role_may(s->me.role, ACT_NOTES_OF_OTHERS);
    bool held = true;
    if (ok && meta->notes_ct.n && may_read_notes)
        ok = clinical_open_note(s, meta->id, meta->notes_ct.p, meta->notes_ct.n, notes, &held);
    bool stale = !ok && !session_key_current(s);
    if (stale) {
        error_set(err, ERR_AUTH, "the data key was rotated since %s logged in: log in again", s->me.name);
        secret_free(*body);
        *body = NULL;
        intake_rec_free(meta);
        return false;
    }
    if (!ok) {
        if (entry_bad && st == ST_NOTFOUND)
            error_set(err, ERR_TAMPERED, "tampering detected: no audit entry says who saved intake %s", meta->id);
        else if (entry_bad)
            error_set(err, ERR_TAMPERED, "tampering detected: the audit entry that says who saved intake %s (entry %lld) "
                                         "does not check", meta->id, (long long)made.seq);
        else if (author_moved)
            error_set(err, ERR_TAMPERED, "tampering detected: intake %s names another author than the one who saved it "
                                         "(audit entry %lld)", meta->id, (long long)made.seq);
        else if (client_erased(s->db, meta->client_id, NULL)) error_copy(err, &why); /* a replayed row: said as such */
        else error_set(err, ERR_TAMPERED, "tampering detected: intake %s does not open (edited or moved)", meta->id);
        secret_free(*body);
        *body = NULL;
    }
    if (session_begin(s, err)) {
        if (!audit_log(s->db, s->v, s->me.id, ok ? "intake_open" : "tamper_detected", meta->id, ok ? "" : "intakes", err) ||
            !db_commit(s->db, err))
            db_rollback(s->db);
    }
    if (!ok) intake_rec_free(meta);
    return ok;
}

bool draft_save(session *s, char id[STORE_ID_LEN], const char *body, error *err) {
    return draft_save_noted(s, id, body, NULL, NULL, err);
}

/* A draft row's fingerprint: BLAKE2b (no key) of its sealed body, whose nonce is new at every save. */
static void draft_fingerprint(const draft_rec *r, unsigned char tag[DRAFT_TAG_BYTES]) {
    static const unsigned char none[VAULT_MAC_BYTES];
    vault_chain_hash(none, r->body_ct.p, r->body_ct.n, tag);
}

static bool draft_mine_still(session *s, const char *id, draft_rec *out, error *err);

bool draft_unchanged(session *s, const char *id, const unsigned char tag[DRAFT_TAG_BYTES], error *err) {
    draft_rec r;
    if (!draft_mine_still(s, id, &r, err)) return false;
    unsigned char now[DRAFT_TAG_BYTES];
    draft_fingerprint(&r, now);
    draft_rec_free(&r);
    if (vault_equal(now, tag, sizeof now)) return true;
    error_set(err, ERR_CONFLICT,
              "Nothing saved: this intake (draft %.8s) was saved with other answers at another desk of yours since this "
              "desk last saved it; saving here would overwrite them. Finish it at one desk: leave it here (q) and keep "
              "this desk's answers as a new draft, or leave without them and take the intake up again (r).", id);
    return false;
}

bool draft_save_noted(session *s, char id[STORE_ID_LEN], const char *body, const char *what, const char *detail,
                      error *err) {
    return draft_save_tagged(s, id, body, NULL, NULL, what, detail, err);
}

bool draft_save_tagged(session *s, char id[STORE_ID_LEN], const char *body, unsigned char tag[DRAFT_TAG_BYTES],
                       bool *tagged, const char *what, const char *detail, error *err) {
    if (!session_allowed(s, ACT_INTAKE_CREATE, err)) return false;
    if (!check_text("draft", body, BODY_MAX_BYTES, true, err)) return false;
    draft_rec r;
    memset(&r, 0, sizeof r);
    bool existing = *id != '\0';
    if (!*id) id_new(id);
    memcpy(r.id, id, STORE_ID_LEN);
    snprintf(r.staff_id, sizeof r.staff_id, "%s", s->me.id);
    r.updated_at = clock_now();
    bool ok = seal_into(s, "drafts", "body", r.id, body, &r.body_ct, err) && session_begin(s, err);
    if (ok && existing && !draft_still_mine(s, r.id, err)) { /* an autosave never brings a finished draft back */
        db_rollback(s->db);
        ok = false;
    }
    /* inside the write transaction: no other desk writes between the check and this save */
    if (ok && existing && tag && tagged && *tagged && !draft_unchanged(s, r.id, tag, err)) {
        db_rollback(s->db);
        ok = false;
    }
    if (ok) {
        /* drafts are saved after every answer: no audit entry each time, only the record itself */
        store_status st = s->db->ops->draft_put(s->db->st, &r);
        if (st == ST_EXISTS) error_set(err, ERR_CONFLICT, "draft %s belongs to another worker", r.id);
        else if (st != ST_OK) db_error(s->db, st, "cannot save the draft", err);
        ok = st == ST_OK && (!what || audit_log(s->db, s->v, s->me.id, what, r.id, detail ? detail : "", err)) &&
             db_commit(s->db, err);
        if (!ok) db_rollback(s->db);
    }
    if (ok && tag && tagged) {
        draft_fingerprint(&r, tag);
        *tagged = true;
    }
    draft_rec_free(&r);
    return ok;
}

/* A draft names its client only inside its sealed body, which is under the data key (issue 13): erasure deletes
 * the client's drafts, but a copy put back later from an older backup still opens. It is never resumed: true
 * (with why in err) when the opened body names a client on the list of erased clients. */
static bool draft_of_erased(session *s, const char *draft_id, const char *body, error *err) {
    json_error_t je;
    json_t *root = json_loads(body, 0, &je);
    const char *cid = json_string_value(json_object_get(root, "client_id"));
    bool erased = cid && client_erased(s->db, cid, NULL);
    if (erased)
        error_set(err, ERR_TAMPERED,
                  "draft %.8s is of client %s, who was erased: it was copied back (from an older backup?) and is not "
                  "opened; `triage verify` names the client's rows", draft_id, cid);
    json_decref(root);
    return erased;
}

/* *body opened from draft id: wiped and freed, and false, when it is an erased client's (draft_of_erased) */
static bool draft_opened_ok(session *s, const char *id, char **body, error *err) {
    if (!draft_of_erased(s, id, *body, err)) return true;
    secret_free(*body);
    *body = NULL;
    return false;
}

bool draft_resume(session *s, char id[STORE_ID_LEN], char **body, bool *found, error *err) {
    return draft_resume_tagged(s, id, body, found, NULL, err);
}

bool draft_resume_tagged(session *s, char id[STORE_ID_LEN], char **body, bool *found, unsigned char tag[DRAFT_TAG_BYTES],
                         error *err) {
    *body = NULL;
    *found = false;
    draft_rec r;
    store_status st = s->db->ops->draft_for_staff(s->db->st, s->me.id, &r);
    if (st == ST_NOTFOUND) return true;
    if (st != ST_OK) {
        db_error(s->db, st, "cannot read drafts", err);
        return false;
    }
    size_t len;
    bool ok = vault_open(s->v, "drafts", "body", r.id, r.body_ct.p, r.body_ct.n, body, &len);
    if (!ok) error_set(err, ERR_TAMPERED, "tampering detected: draft %s does not open (edited or moved)", r.id);
    else ok = draft_opened_ok(s, r.id, body, err);
    if (ok) {
        memcpy(id, r.id, STORE_ID_LEN);
        *found = true;
        if (tag) draft_fingerprint(&r, tag);
    }
    draft_rec_free(&r);
    return ok;
}

/* Draft `id` when it is the logged-in worker's (any of theirs: a worker may hold several), into *out. */
static bool draft_own(session *s, const char *id, draft_rec *out, error *err) {
    draft_rec *drafts = NULL;
    int nd = 0;
    bool found = false;
    store_status st = id ? s->db->ops->drafts_before(s->db->st, INT64_MAX, &drafts, &nd) : ST_NOTFOUND;
    for (int i = 0; i < nd; i++) {
        if (!found && strcmp(drafts[i].id, id) == 0 && strcmp(drafts[i].staff_id, s->me.id) == 0) {
            *out = drafts[i];
            found = true;
        } else {
            draft_rec_free(&drafts[i]);
        }
    }
    free(drafts);
    if (st != ST_OK && st != ST_NOTFOUND) db_error(s->db, st, "cannot read drafts", err);
    else if (!found) error_set(err, ERR_CONFLICT, "draft %s is not a draft of %s", id ? id : "(none)", s->me.name);
    return found;
}

bool draft_resume_id(session *s, const char *id, char **body, error *err) {
    return draft_resume_id_tagged(s, id, body, NULL, err);
}

bool draft_resume_id_tagged(session *s, const char *id, char **body, unsigned char tag[DRAFT_TAG_BYTES], error *err) {
    *body = NULL;
    draft_rec r;
    if (!draft_own(s, id, &r, err)) return false;
    size_t len;
    bool ok = vault_open(s->v, "drafts", "body", r.id, r.body_ct.p, r.body_ct.n, body, &len);
    if (!ok) error_set(err, ERR_TAMPERED, "tampering detected: draft %s does not open (edited or moved)", r.id);
    else ok = draft_opened_ok(s, r.id, body, err);
    if (ok && tag) draft_fingerprint(&r, tag);
    draft_rec_free(&r);
    return ok;
}

bool draft_saved_ago(session *s, const char *id, int64_t *age, error *err) {
    draft_rec r;
    if (!draft_own(s, id, &r, err)) return false;
    *age = clock_now() - r.updated_at;
    draft_rec_free(&r);
    return true;
}

bool draft_probably_open(int64_t age) { return age >= 0 && age < 2 * DRAFT_HEARTBEAT_SECONDS; }

bool draft_gone(session *s, const char *id, const unsigned char *tag) {
    draft_rec mine;
    error why = {0};
    if (draft_own(s, id, &mine, &why)) {
        unsigned char now[DRAFT_TAG_BYTES];
        draft_fingerprint(&mine, now);
        draft_rec_free(&mine);
        return tag && !vault_equal(now, tag, sizeof now); /* there, but another desk saved it since */
    }
    return why.kind == ERR_CONFLICT; /* read, and not there: not a store that could not be read */
}

/* A new draft (a new id): the old one is not brought back, since another desk saved or discarded it on purpose;
 * the copy is audited with the draft it copies, so that two intakes of one client can be explained. */
bool draft_keep_copy(session *s, const char *was, char id[STORE_ID_LEN], const char *body, const char *at_risk,
                     error *err) {
    id[0] = '\0';
    char detail[STORE_ID_LEN + 32];
    snprintf(detail, sizeof detail, "copy of %s%s%.8s", was ? was : "", at_risk ? " at " : "", at_risk ? at_risk : "");
    return draft_save_noted(s, id, body, "draft_copy_kept", detail, err);
}

/* The draft an open intake holds is still there and this worker's. One gone was saved, discarded or erased on
 * another desk while this one had it open: a conflict, with what to do. */
static bool draft_mine_still(session *s, const char *id, draft_rec *out, error *err) {
    error why = {0};
    if (draft_own(s, id, out, &why)) return true;
    if (why.kind != ERR_CONFLICT) *err = why; /* the store could not be read */
    else
        error_set(err, ERR_CONFLICT,
                  "Nothing saved: this intake's draft (%.8s) is no longer in the database: it was saved, discarded "
                  "or erased on another desk. Search for the client (f) to see what was saved before taking the "
                  "intake again.", id);
    return false;
}

static bool draft_still_mine(session *s, const char *id, error *err) {
    draft_rec mine;
    if (!draft_mine_still(s, id, &mine, err)) return false;
    draft_rec_free(&mine);
    return true;
}

/* Ends the draft an intake finishes, inside its transaction: it must remove the row (a draft another desk saved
 * between the check and this transaction would otherwise be saved twice). */
static bool draft_end_tx(session *s, const char *id, error *err) {
    store_status st = s->db->ops->draft_delete(s->db->st, id);
    if (st == ST_NOTFOUND) return draft_still_mine(s, id, err); /* gone meanwhile: says so */
    if (st != ST_OK) db_error(s->db, st, "cannot end the draft", err);
    return st == ST_OK;
}

/* Deletes a draft inside the caller's transaction (one already gone is fine). */
static bool draft_delete_tx(session *s, const char *id, error *err) {
    store_status st = s->db->ops->draft_delete(s->db->st, id);
    if (st != ST_OK && st != ST_NOTFOUND) db_error(s->db, st, "cannot discard the draft", err);
    return st == ST_OK || st == ST_NOTFOUND;
}

/* The draft still as this desk last read it (tag), checked inside the write transaction: checked before it, another
 * desk's save of RED answers could land between the check and the delete, which then erased them (attacker
 * round 13). False with the error set (the transaction is the caller's to roll back). */
static bool draft_as_read(session *s, const char *id, const unsigned char *tag, error *err) {
    if (!tag) return true;
    error why = {0};
    if (draft_unchanged(s, id, tag, &why)) return true;
    if (why.kind == ERR_CONFLICT)
        error_set(err, ERR_CONFLICT, "Nothing discarded: this intake (draft %.8s) was saved with other answers at "
                                     "another desk since this desk read it; take it up again (r) to see what it "
                                     "holds now.", id);
    else error_copy(err, &why);
    return false;
}

/* One of the worker's own drafts deleted in one transaction, with an audit entry when action is given; with a
 * tag, only if it is still as this desk read it. */
static bool draft_delete_own(session *s, const char *id, const unsigned char *tag, const char *action,
                             const char *detail, error *err) {
    draft_rec mine;
    if (!draft_own(s, id, &mine, err)) return false;
    draft_rec_free(&mine);
    if (!session_begin(s, err)) return false;
    bool ok = draft_as_read(s, id, tag, err) && draft_delete_tx(s, id, err) &&
              (!action || audit_log(s->db, s->v, s->me.id, action, id, detail, err)) && db_commit(s->db, err);
    if (!ok) db_rollback(s->db);
    return ok;
}

bool draft_discard(session *s, const char *id, error *err) { return draft_delete_own(s, id, NULL, NULL, NULL, err); }

bool draft_discard_as_read(session *s, const char *id, const unsigned char *tag, error *err) {
    /* on the trail: a draft once at risk whose answers were all taken back, left empty, is deleted here, and verify
     * must know where it went (trail_rows.h) */
    return draft_delete_own(s, id, tag, "draft_discarded", "empty", err);
}

/* A worker's decision to throw an unfinished intake away (a duplicate, a caller who was never there): the
 * draft goes and the audit says who did it, of which draft, at what level, in one transaction. Only the draft as
 * the worker was shown it: a second desk's stale copy called it ORANGE, question 2, and the stored draft, RED
 * with another desk's answers, was erased (fifteenth tryout). */
bool draft_abandon(session *s, const char *id, const char *level, const unsigned char *tag, error *err) {
    return draft_delete_own(s, id, tag, "draft_discarded", level ? level : "", err);
}
