/* Counselor matching: a need vector for the client (from presenting concerns, form totals and the risk
 * level, with weights from config.ini [matching]), hard filters, then cosine similarity with each
 * counselor's specialty vector. Ties: more free capacity first, then name. */
#ifndef TRIAGE_MATCH_H
#define TRIAGE_MATCH_H

#include <stdint.h>

#include "error.h"
#include "answer_set.h"
#include "diag.h"
#include "ini.h"
#include "risk.h"

#define MATCH_MAX_DIMS 32
#define MATCH_MAX_CONCERNS 31
#define MATCH_TOP 3
#define MATCH_MAX_TAGS 32 /* distinct languages / genders in a roster */

typedef struct {
    int n_dims;
    char *dims[MATCH_MAX_DIMS];
    char *label[MATCH_MAX_DIMS][LANG_COUNT];
    int concern_form, concern_item; /* the multi item the concerns come from */
    int language_form, language_item; /* the choice item of the client's language (-1: none) */
    int gender_form, gender_item;     /* the choice item of the counselor-gender preference (-1: none) */
    float concern_w[MATCH_MAX_CONCERNS][MATCH_MAX_DIMS];
    float score_w[TRIAGE_MAX_FORMS][MATCH_MAX_DIMS];
    float level_w[LEVEL_COUNT][MATCH_MAX_DIMS];
    const formset *fs;
} need_model;

typedef struct {
    char *id, *name, *orientations;
    int gender;          /* index into roster.genders */
    uint32_t languages;  /* bits over roster.languages */
    bool high_risk, available;
    int capacity, caseload;
    float w[MATCH_MAX_DIMS]; /* normalised to unit length (all zero if the counselor has no weights) */
} counselor;

typedef struct {
    counselor *v;
    int n;
    char *languages[MATCH_MAX_TAGS];
    int n_languages;
    char *genders[MATCH_MAX_TAGS];
    int n_genders;
    int n_dims;
} roster;

/* What the client brings besides answers. */
typedef struct {
    const char *language;         /* the client's language code, e.g. "zh" */
    const char *counselor_gender; /* NULL or "any": no preference */
    uint32_t concerns;            /* bits over the concern scale's choices */
} match_request;

typedef struct {
    int counselor;
    float score;
    int n_why;
    int why[3];         /* dimensions that contributed most */
    float why_share[3]; /* their share of the score */
} match;

typedef struct {
    float need[MATCH_MAX_DIMS];
    bool need_empty;
    match top[MATCH_TOP];
    int n;
    int considered;
    int excluded_unavailable, excluded_capacity, excluded_language, excluded_risk, excluded_gender;
} match_result;

/* Reads [matching] from config; errors name the line. */
bool need_model_load(need_model *m, const ini_file *ini, const formset *fs, diag *d);
void need_model_free(need_model *m);

/* One counselor as given (from a roster file or the database), before checking. */
typedef struct {
    const char *id, *name, *gender, *languages, *orientations, *weights;
    bool high_risk, available;
    int capacity, caseload;
} counselor_fields;

void roster_init(roster *r, const need_model *m);
/* Checks and adds one counselor; on failure names the field and says why. */
bool roster_add(roster *r, const need_model *m, const counselor_fields *in, char *field, size_t fieldsize, error *err);

/* Reads a roster file ([counselor.ID] sections). Weights are DIMENSION:WEIGHT pairs over m's dimensions. */
bool roster_load(roster *r, const char *path, const need_model *m, diag *d);
void roster_free(roster *r);

void need_vector(const need_model *m, const answer_set *a, risk_level level, uint32_t concerns, float *out);
void match_rank(const need_model *m, const roster *r, const answer_set *a, risk_level level,
                const match_request *req, match_result *out);

/* Parses "dim:0.5 dim2:1" into w (n_dims long); on failure writes why. */
bool parse_weights(const char *text, const need_model *m, float *w, error *err);

#endif
