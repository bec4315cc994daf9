/* A questionnaire as data: items, response scales, skip logic, scoring, bands and safety items, loaded
 * from one forms/ID.ini file and checked completely before it is used (see docs/forms.md). */
#ifndef TRIAGE_FORM_H
#define TRIAGE_FORM_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "expr.h"
#include "util.h"

/* Fixed bounds keep a scoring result a plain struct with no allocation on the per-keystroke path. */
#define FORM_MAX_ITEMS 64
#define SCALE_MAX_CHOICES 32
#define FORM_MAX_BANDS 16

typedef enum { ITEM_SCALE, ITEM_TEXT, ITEM_NUMBER, ITEM_DATE, ITEM_CHOICE, ITEM_MULTI } item_type;
typedef enum { FORM_SCORED, FORM_RECORD } form_kind;

typedef struct {
    char *code;
    int value;
    char *label[LANG_COUNT];
} scale_choice;

typedef struct {
    char *id;
    char **loinc; /* the LOINC answer code of each choice (LA....-.), or NULL */
    scale_choice *choices;
    int n;
    bool refusable;
    int min_value, max_value;
} scale;

typedef struct {
    char *id;
    item_type type;
    char *text[LANG_COUNT];
    char *label[LANG_COUNT]; /* a short name for the answer where it is shown apart from its question (the record:
                              * "Occupation"), `label.en`/`label.zh`; NULL when the form gives none */
    int scale; /* index into form.scales, or -1 */
    bool score, required, safety;
    int safety_min;
    uint32_t safety_codes; /* multi items: the choices (bit mask) that are a positive safety screen when ticked */
    char *flag;
    char *loinc;
    char *loinc_display; /* LOINC's display of its code (loinc_display, cited in the form file), or NULL */
    char **answer_loinc; /* the LOINC answer code of each choice of its scale (NULL: none, or the scale's) */
    char **answer_loinc_also; /* another LOINC answer code an import takes for a choice (answer_loinc_also: the
                               * same place in a list senders use, never written), per choice; NULL, or NULL
                               * entries: none */
    char **answer_display; /* LOINC's own display of a choice's answer code where it words it otherwise than the
                            * English label (answer_display.CODE), per choice; NULL, or NULL entries: the label */
    char *fhir_links;    /* other linkIds that name this item in responses from elsewhere (space-separated) */
    expr *show_if;
    char *show_if_text;
    long min, max; /* number items */
    int maxlen;    /* text items, in characters */
    bool phone;    /* text items with `format = phone`: digits, spaces, + - ( ) only */
    bool past;     /* date items with `past = yes`: not after today (a date of birth) */
    int age_item;  /* a date of birth's `age_item = ID`: the number item (in years) it must agree with, to a year
                    * (an age of 30 with a birth in 1950 was taken: receptionist tryout 16); -1 for none */
    int digits_min, digits_max; /* a phone item's count of digits (`digits_min`, `digits_max`; 6 and 20) */
    int line;      /* line of the [item.ID] header */
} form_item;

typedef struct {
    char *id;
    char *label[LANG_COUNT];
    int min, max; /* total-range bands */
    expr *when;   /* rule bands */
    bool positive;
    int min_level; /* the least risk level the rules must give a client in this band (0 green .. 3 red, as
                    * risk_level), checked at load; -1: none declared */
} form_band;

typedef struct form {
    char *id, *version, *path;
    form_kind kind;
    char *title[LANG_COUNT], *instructions[LANG_COUNT];
    char *source, *source_zh, *translation_zh, *licence, *loinc, *total_loinc;
    char *loinc_display, *total_loinc_display; /* LOINC's own names of the panel and the total code, or NULL */
    char *fhir_aliases;     /* other Questionnaire canonicals that are this instrument (space-separated) */
    char *fhir_total_links; /* other linkIds of a stated total item (space-separated) */
    char *fhir_foreign_words; /* words ("|"-separated) that say another system's questionnaire is this screen or asks
                               * its safety questions (its canonical, its items' texts), or NULL */
    form_item *items;
    int n_items;
    scale *scales;
    int n_scales;
    form_band *bands;
    int n_bands;
    bool has_total;    /* total = sum */
    int missing_items; /* scored items that may be missing and prorated (0: any missing, no valid total) */
    char *missing_source; /* where that rule comes from */
    bool rule_bands;   /* bands chosen by `when` rather than by total */
    int max_total;     /* the highest possible total */
} form;

typedef struct {
    form **v;
    int n;
    char *dir;
} formset;

/* Loads and checks one file; on any problem adds diagnostics and returns NULL. */
form *form_load(const char *path, diag *d);
/* The same from memory (a form received as bytes, and the fuzz harness): path names it in messages and
 * gives its id (forms/phq9.ini holds phq9). */
form *form_load_buffer(const char *buf, size_t len, const char *path, diag *d);
void form_free(form *f);

/* Loads every *.ini in dir (sorted by name). Returns false if any file has a problem; the set then holds
 * only nothing (a half-loaded set is never used). */
bool formset_load(formset *fs, const char *dir, diag *d);
void formset_free(formset *fs);
const form *formset_find(const formset *fs, const char *id);
int formset_index(const formset *fs, const char *id);

int form_item_index(const form *f, const char *id);
int form_band_index(const form *f, const char *id);
/* Index of the choice with this code in scale s, or -1. */
int scale_code_index(const scale *s, const char *code);
/* Index of the choice with this value, or -1. */
int scale_value_index(const scale *s, int value);
const scale *form_item_scale(const form *f, int item);
/* The LOINC answer code of choice c of item i (the item's own list, else its scale's), or NULL. */
const char *form_answer_loinc(const form *f, int item, int c);
/* Another LOINC answer code an import takes for choice c of item (answer_loinc_also), or NULL. */
const char *form_answer_loinc_also(const form *f, int item, int c);
/* The English display of choice c of item i as coded (LOINC's wording of its answer code where the item gives
 * one with answer_display.CODE, else the choice's English label); NULL when there is none. */
const char *form_answer_display(const form *f, int item, int c);

const char *item_type_name(item_type t);

#endif
