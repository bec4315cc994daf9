#include "match.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static int dim_index(const need_model *m, const char *id) {
    for (int i = 0; i < m->n_dims; i++)
        if (strcmp(m->dims[i], id) == 0) return i;
    return -1;
}

bool parse_weights(const char *text, const need_model *m, float *w, error *err) {
    memset(w, 0, sizeof(float) * MATCH_MAX_DIMS);
    strlist pairs = strlist_split(text);
    bool ok = true;
    uint32_t seen = 0; /* by dimension, not by weight: `grief:0 grief:1` is a repeat too */
    for (int i = 0; i < pairs.n && ok; i++) {
        char *colon = strchr(pairs.v[i], ':');
        double v;
        if (!colon) {
            error_set(err, ERR_INPUT, "`%s` should be DIMENSION:WEIGHT", pairs.v[i]);
            ok = false;
            break;
        }
        *colon = '\0';
        int d = dim_index(m, pairs.v[i]);
        if (d < 0) {
            error_set(err, ERR_INPUT, "`%s` is not a dimension (see [matching] dimensions)", pairs.v[i]);
            ok = false;
        } else if (!parse_double(colon + 1, &v) || v < 0 || v > 100) {
            error_set(err, ERR_INPUT, "weight `%s` of %s is not a number from 0 to 100", colon + 1, pairs.v[i]);
            ok = false;
        } else if (seen & (1u << d)) {
            error_set(err, ERR_INPUT, "dimension `%s` is given twice", pairs.v[i]);
            ok = false;
        } else {
            seen |= 1u << d;
            w[d] = (float)v;
        }
    }
    strlist_free(&pairs);
    return ok;
}

/* Reads one DIMENSION:WEIGHT key of [matching] and reports a problem at its line. */
static void weights_key(const ini_file *ini, const need_model *m, const char *key, float *w, diag *d) {
    error e = {0};
    char k[300];
    const char *text = ini_get(ini, "matching", key);
    if (text && !parse_weights(text, m, w, &e)) {
        snprintf(k, sizeof k, "matching.%s", key);
        diag_add(d, ini->name, ini_line(ini, "matching", key), k, false, "%s", e.msg);
    }
}

/* [matching] dimensions and their labels in every language. */
static void load_dimensions(need_model *m, const ini_file *ini, diag *d) {
    const char *name = ini->name;
    strlist dims = strlist_split(ini_get(ini, "matching", "dimensions"));
    if (dims.n == 0 || dims.n > MATCH_MAX_DIMS)
        diag_add(d, name, ini_line(ini, "matching", "dimensions"), "matching.dimensions", false,
                 "needs 1 to %d dimension ids", MATCH_MAX_DIMS);
    for (int i = 0; i < dims.n && i < MATCH_MAX_DIMS; i++) {
        if (!is_ident(dims.v[i]))
            diag_add(d, name, ini_line(ini, "matching", "dimensions"), "matching.dimensions", false,
                     "`%s` is not a valid id", dims.v[i]);
        if (dim_index(m, dims.v[i]) >= 0)
            diag_add(d, name, ini_line(ini, "matching", "dimensions"), "matching.dimensions", false,
                     "duplicate dimension `%s`", dims.v[i]);
        m->dims[m->n_dims++] = xstrdup(dims.v[i]);
        for (int l = 0; l < LANG_COUNT; l++) {
            char k[200];
            snprintf(k, sizeof k, "label.%s.%s", dims.v[i], lang_code((lang)l));
            const char *v = ini_get(ini, "matching", k);
            if (!v || !*v) {
                char kk[220];
                snprintf(kk, sizeof kk, "matching.%s", k);
                diag_add(d, name, ini_line(ini, "matching", "dimensions"), kk, false, "missing label");
            }
            m->label[m->n_dims - 1][l] = xstrdup(v ? v : dims.v[i]);
        }
    }
    strlist_free(&dims);
}

/* A FORM.ITEM setting of [matching] (key) naming an item of the given type: its form and item, else -1 and
 * a diagnostic. */
static void item_setting(const ini_file *ini, const formset *fs, const char *key, item_type type, int *form_out,
                         int *item_out, diag *d) {
    *form_out = *item_out = -1;
    const char *v = ini_get(ini, "matching", key);
    char buf[128];
    snprintf(buf, sizeof buf, "%s", v);
    char *dot = strchr(buf, '.');
    if (dot) *dot = '\0';
    int fi = dot ? formset_index(fs, buf) : -1;
    int ii = fi >= 0 ? form_item_index(fs->v[fi], dot + 1) : -1;
    if (ii < 0 || fs->v[fi]->items[ii].type != type) {
        char kk[64];
        snprintf(kk, sizeof kk, "matching.%s", key);
        diag_add(d, ini->name, ini_line(ini, "matching", key), kk, false, "`%s` is not a %s item of a loaded form (FORM.ITEM)",
                 v, type == ITEM_MULTI ? "multi" : "choice");
        return;
    }
    *form_out = fi;
    *item_out = ii;
}

/* One key of [matching] after the settings: a label's dimension and language, a concern code, a form with a
 * total, a level (the weights of the last three), else unknown. */
static void matching_key(need_model *m, const ini_file *ini, const formset *fs, const scale *cs, const char *from,
                         const char *key, diag *d) {
    const char *name = ini->name;
    char kk[300];
    snprintf(kk, sizeof kk, "matching.%s", key);
    int line = ini_line(ini, "matching", key);
    if (strcmp(key, "dimensions") == 0 || strcmp(key, "concerns_from") == 0 || strcmp(key, "language_from") == 0 ||
        strcmp(key, "gender_preference_from") == 0)
        return;
    if (strncmp(key, "label.", 6) == 0) {
        char dim[128];
        snprintf(dim, sizeof dim, "%s", key + 6);
        char *dot = strrchr(dim, '.');
        lang l;
        if (!dot || !lang_parse(dot + 1, &l) || (*dot = '\0', dim_index(m, dim) < 0))
            diag_add(d, name, line, kk, false, "label of an unknown dimension or language");
    } else if (strncmp(key, "concern.", 8) == 0) {
        if (!cs || scale_code_index(cs, key + 8) < 0)
            diag_add(d, name, line, kk, false, "`%s` is not a concern code of %s", key + 8, from ? from : "?");
    } else if (strncmp(key, "score.", 6) == 0) {
        int fi = formset_index(fs, key + 6);
        if (fi < 0 || !fs->v[fi]->has_total)
            diag_add(d, name, line, kk, false, "`%s` is not a loaded form with a total", key + 6);
        else
            weights_key(ini, m, key, m->score_w[fi], d);
    } else if (strncmp(key, "level.", 6) == 0) {
        risk_level lv;
        if (!risk_level_parse(key + 6, &lv))
            diag_add(d, name, line, kk, false, "`%s` is not red, orange, yellow or green", key + 6);
        else
            weights_key(ini, m, key, m->level_w[lv], d);
    } else {
        diag_add(d, name, line, kk, false, "unknown key");
    }
}

bool need_model_load(need_model *m, const ini_file *ini, const formset *fs, diag *d) {
    memset(m, 0, sizeof *m);
    m->fs = fs;
    int before = d->errors;
    const char *name = ini->name;
    if (!ini_has_section(ini, "matching")) {
        diag_add(d, name, 0, "matching", false, "missing [matching] section");
        return false;
    }
    load_dimensions(m, ini, d);
    /* concerns */
    const char *from = ini_get(ini, "matching", "concerns_from");
    const scale *cs = NULL;
    m->concern_form = m->concern_item = -1;
    if (!from)
        diag_add(d, name, ini_line(ini, "matching", "concerns_from"), "matching.concerns_from", false, "missing (required)");
    else {
        item_setting(ini, fs, "concerns_from", ITEM_MULTI, &m->concern_form, &m->concern_item, d);
        if (m->concern_item >= 0) cs = form_item_scale(fs->v[m->concern_form], m->concern_item);
    }
    /* where the interview's language and counselor-gender preference come from (choice items) */
    m->language_form = m->language_item = m->gender_form = m->gender_item = -1;
    const char *lf = ini_get(ini, "matching", "language_from"), *gf = ini_get(ini, "matching", "gender_preference_from");
    if (lf && *lf) item_setting(ini, fs, "language_from", ITEM_CHOICE, &m->language_form, &m->language_item, d);
    if (gf && *gf) item_setting(ini, fs, "gender_preference_from", ITEM_CHOICE, &m->gender_form, &m->gender_item, d);
    if (m->n_dims && d->errors == before) {
        if (cs)
            for (int c = 0; c < cs->n && c < MATCH_MAX_CONCERNS; c++) {
                char k[200];
                snprintf(k, sizeof k, "concern.%s", cs->choices[c].code);
                if (!ini_get(ini, "matching", k)) {
                    char kk[220];
                    snprintf(kk, sizeof kk, "matching.%s", k);
                    diag_add(d, name, ini_line(ini, "matching", NULL), kk, false,
                             "missing: every concern of %s needs need weights (may be empty)", from);
                }
                weights_key(ini, m, k, m->concern_w[c], d);
            }
        strlist keys = ini_keys(ini, "matching");
        for (int k = 0; k < keys.n; k++) matching_key(m, ini, fs, cs, from, keys.v[k], d);
        strlist_free(&keys);
    }
    if (d->errors > before) {
        need_model_free(m);
        return false;
    }
    return true;
}

void need_model_free(need_model *m) {
    for (int i = 0; i < m->n_dims; i++) {
        free(m->dims[i]);
        for (int l = 0; l < LANG_COUNT; l++) free(m->label[i][l]);
    }
    memset(m, 0, sizeof *m);
}

/* ---- roster ---- */

static int intern(char **tags, int *n, const char *s) {
    for (int i = 0; i < *n; i++)
        if (strcmp(tags[i], s) == 0) return i;
    if (*n == MATCH_MAX_TAGS) return -1;
    tags[*n] = xstrdup(s);
    return (*n)++;
}

static const char *const counselor_keys[] = {"name", "gender", "languages", "orientations", "high_risk", "capacity",
                                             "caseload", "available", "weights", NULL};

bool roster_add(roster *r, const need_model *m, const counselor_fields *in, char *field, size_t fieldsize, error *err) {
#define FAIL(f, ...) (snprintf(field, fieldsize, "%s", f), error_set(err, ERR_INPUT, __VA_ARGS__), false)
    if (!in->name || !*in->name) return FAIL("name", "missing (required)");
    if (!utf8_valid(in->name, strlen(in->name))) return FAIL("name", "not valid UTF-8 text");
    if (!in->gender || !*in->gender) return FAIL("gender", "missing (required)");
    if (!is_ident(in->gender)) return FAIL("gender", "`%.40s` is not a valid code", in->gender);
    if (in->capacity < 0) return FAIL("capacity", "needs a whole number of clients from 0");
    if (in->caseload < 0) return FAIL("caseload", "needs a whole number of clients from 0");
    if (!in->weights || !*in->weights) return FAIL("weights", "missing (required): DIMENSION:WEIGHT pairs");
    counselor c;
    memset(&c, 0, sizeof c);
    error why = {0};
    if (!parse_weights(in->weights, m, c.w, &why)) return FAIL("weights", "%s", why.msg);
    strlist langs = strlist_split(in->languages);
    bool ok = langs.n > 0;
    if (!ok) (void)FAIL("languages", "missing (required)");
    for (int i = 0; ok && i < langs.n; i++) {
        int li = is_ident(langs.v[i]) ? intern(r->languages, &r->n_languages, langs.v[i]) : -1;
        if (li < 0) ok = FAIL("languages", "`%.40s` is not a valid language code (or too many)", langs.v[i]);
        else c.languages |= 1u << li;
    }
    strlist_free(&langs);
    if (!ok) return false;
    if ((c.gender = intern(r->genders, &r->n_genders, in->gender)) < 0) return FAIL("gender", "too many distinct genders");
#undef FAIL
    float norm = 0;
    for (int i = 0; i < m->n_dims; i++) norm += c.w[i] * c.w[i];
    norm = sqrtf(norm);
    if (norm > 0)
        for (int i = 0; i < m->n_dims; i++) c.w[i] /= norm;
    c.id = xstrdup(in->id);
    c.name = xstrdup(in->name);
    c.orientations = xstrdup(in->orientations ? in->orientations : "");
    c.high_risk = in->high_risk;
    c.available = in->available;
    c.capacity = in->capacity;
    c.caseload = in->caseload;
    r->v = xrealloc(r->v, sizeof *r->v * (size_t)(r->n + 1));
    r->v[r->n++] = c;
    return true;
}

void roster_init(roster *r, const need_model *m) {
    memset(r, 0, sizeof *r);
    r->n_dims = m->n_dims;
}

bool roster_load(roster *r, const char *path, const need_model *m, diag *d) {
    roster_init(r, m);
    int before = d->errors;
    ini_file ini;
    if (!ini_open(&ini, path, d)) return false;
    strlist secs = ini_sections(&ini);
    for (int s = 0; s < secs.n; s++) {
        const char *sec = secs.v[s];
        int line = ini_line(&ini, sec, NULL);
        if (strncmp(sec, "counselor.", 10) != 0 || !*(sec + 10)) {
            diag_add(d, path, line, sec, false, "unknown section (expected [counselor.ID])");
            continue;
        }
        ini_check_keys(&ini, sec, counselor_keys, true, d);
        counselor_fields in = {sec + 10, ini_get(&ini, sec, "name"), ini_get(&ini, sec, "gender"),
                               ini_get(&ini, sec, "languages"), ini_get(&ini, sec, "orientations"),
                               ini_get(&ini, sec, "weights"), false, true, -1, -1};
        char k[300], field[32];
        error why = {0};
        bool fields_ok = true;
        static const char *const yn[] = {"high_risk", "available"};
        for (int i = 0; i < 2; i++) {
            const char *v = ini_get(&ini, sec, yn[i]);
            bool *dst = i == 0 ? &in.high_risk : &in.available;
            if (v && strcmp(v, "yes") == 0) *dst = true;
            else if (v && strcmp(v, "no") == 0) *dst = false;
            else if (v) {
                snprintf(k, sizeof k, "%s.%s", sec, yn[i]);
                diag_add(d, path, ini_line(&ini, sec, yn[i]), k, false, "must be yes or no, not `%s`", v);
                fields_ok = false;
            }
        }
        static const char *const nums[] = {"capacity", "caseload"};
        for (int i = 0; i < 2; i++) {
            const char *v = ini_get(&ini, sec, nums[i]);
            long n;
            if (v && parse_int(v, 0, 100000, &n)) *(i == 0 ? &in.capacity : &in.caseload) = (int)n;
            else {
                snprintf(k, sizeof k, "%s.%s", sec, nums[i]);
                diag_add(d, path, ini_line(&ini, sec, nums[i]) ? ini_line(&ini, sec, nums[i]) : line, k, false,
                         "needs a whole number of clients from 0");
                fields_ok = false;
            }
        }
        if (fields_ok && !roster_add(r, m, &in, field, sizeof field, &why)) {
            snprintf(k, sizeof k, "%s.%s", sec, field);
            int fl = ini_line(&ini, sec, field);
            diag_add(d, path, fl ? fl : line, k, false, "%s", why.msg);
        }
    }
    if (secs.n == 0) diag_add(d, path, 0, NULL, false, "no counselors ([counselor.ID] sections)");
    strlist_free(&secs);
    ini_close(&ini);
    if (d->errors > before) {
        roster_free(r);
        return false;
    }
    return true;
}

void roster_free(roster *r) {
    for (int i = 0; i < r->n; i++) {
        free(r->v[i].id);
        free(r->v[i].name);
        free(r->v[i].orientations);
    }
    free(r->v);
    for (int i = 0; i < r->n_languages; i++) free(r->languages[i]);
    for (int i = 0; i < r->n_genders; i++) free(r->genders[i]);
    memset(r, 0, sizeof *r);
}

/* ---- ranking ---- */

void need_vector(const need_model *m, const answer_set *a, risk_level level, uint32_t concerns, float *out) {
    memset(out, 0, sizeof(float) * MATCH_MAX_DIMS);
    for (int c = 0; c < MATCH_MAX_CONCERNS; c++)
        if (concerns & (1u << c))
            for (int i = 0; i < m->n_dims; i++) out[i] += m->concern_w[c][i];
    for (int f = 0; f < m->fs->n && f < TRIAGE_MAX_FORMS; f++) {
        if (!a || !a->given[f] || !m->fs->v[f]->has_total || m->fs->v[f]->max_total <= 0) continue;
        float share = (float)a->scores[f].total / (float)m->fs->v[f]->max_total;
        for (int i = 0; i < m->n_dims; i++) out[i] += m->score_w[f][i] * share;
    }
    for (int i = 0; i < m->n_dims; i++) out[i] += m->level_w[level][i];
}

/* True when candidate (score s, counselor c) ranks above match b. */
static bool ranks_above(const roster *r, float s, int c, const match *b) {
    if (s != b->score) return s > b->score;
    int free_c = r->v[c].capacity - r->v[c].caseload, free_b = r->v[b->counselor].capacity - r->v[b->counselor].caseload;
    if (free_c != free_b) return free_c > free_b;
    return strcmp(r->v[c].name, r->v[b->counselor].name) < 0;
}

static int tag_index(char *const *tags, int n, const char *s) {
    for (int i = 0; s && i < n; i++)
        if (strcmp(tags[i], s) == 0) return i;
    return -1;
}

void match_rank(const need_model *m, const roster *r, const answer_set *a, risk_level level,
                const match_request *req, match_result *out) {
    memset(out, 0, sizeof *out);
    need_vector(m, a, level, req->concerns, out->need);
    float unit[MATCH_MAX_DIMS] = {0}, norm = 0;
    const int nd = m->n_dims;
    for (int i = 0; i < nd; i++) norm += out->need[i] * out->need[i];
    norm = sqrtf(norm);
    out->need_empty = norm == 0;
    if (norm > 0)
        for (int i = 0; i < nd; i++) unit[i] = out->need[i] / norm;
    int li = tag_index(r->languages, r->n_languages, req->language);
    uint32_t lang_bit = li >= 0 ? 1u << li : 0;
    bool want_gender = req->counselor_gender && *req->counselor_gender && strcmp(req->counselor_gender, "any") != 0;
    int gender = want_gender ? tag_index(r->genders, r->n_genders, req->counselor_gender) : -1;
    bool high = level >= LEVEL_ORANGE;
    for (int c = 0; c < r->n; c++) {
        const counselor *co = &r->v[c];
        if (!co->available) { out->excluded_unavailable++; continue; }
        if (co->caseload >= co->capacity) { out->excluded_capacity++; continue; }
        if (!(co->languages & lang_bit)) { out->excluded_language++; continue; }
        if (high && !co->high_risk) { out->excluded_risk++; continue; }
        if (want_gender && co->gender != gender) { out->excluded_gender++; continue; }
        out->considered++;
        float s = 0;
        for (int i = 0; i < nd; i++) s += unit[i] * co->w[i];
        /* Counselors whose weights point the same way at another scale have the same cosine, but float
         * rounding can differ in the last place; round so that such ties go to the tie-breakers. */
        s = roundf(s * 1e5f) / 1e5f;
        int pos = out->n;
        while (pos > 0 && ranks_above(r, s, c, &out->top[pos - 1])) pos--;
        if (pos >= MATCH_TOP) continue;
        int last = out->n < MATCH_TOP ? out->n : MATCH_TOP - 1;
        memmove(&out->top[pos + 1], &out->top[pos], sizeof(match) * (size_t)(last - pos));
        out->top[pos] = (match){.counselor = c, .score = s};
        if (out->n < MATCH_TOP) out->n++;
    }
    /* explain: the dimensions whose products contribute most to each score */
    for (int k = 0; k < out->n; k++) {
        match *mt = &out->top[k];
        const counselor *co = &r->v[mt->counselor];
        for (int i = 0; i < nd; i++) {
            float part = unit[i] * co->w[i];
            if (part <= 0) continue;
            int pos = mt->n_why;
            while (pos > 0 && part > mt->why_share[pos - 1]) pos--;
            if (pos >= 3) continue;
            int last = mt->n_why < 3 ? mt->n_why : 2;
            memmove(&mt->why[pos + 1], &mt->why[pos], sizeof(int) * (size_t)(last - pos));
            memmove(&mt->why_share[pos + 1], &mt->why_share[pos], sizeof(float) * (size_t)(last - pos));
            mt->why[pos] = i;
            mt->why_share[pos] = part;
            if (mt->n_why < 3) mt->n_why++;
        }
        for (int j = 0; j < mt->n_why; j++) mt->why_share[j] = mt->score > 0 ? mt->why_share[j] / mt->score : 0;
    }
}
