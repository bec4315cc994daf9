/* Configuration: where config.ini is found, and its [triage] settings. The file stays open so that the
 * risk rules and the matching weights, each read by its own module, report their own lines. */
#ifndef TRIAGE_CONFIG_H
#define TRIAGE_CONFIG_H

#include <stdbool.h>

#include "diag.h"
#include "ini.h"
#include "levels.h"
#include "safety.h"
#include "util.h"

typedef struct {
    ini_file ini;
    char *source; /* the path read, or "built-in defaults" */
    bool builtin;
    lang ui_lang;
    char *forms_dir;   /* resolved */
    char *roster_file; /* resolved */
    char *db_path;     /* resolved: [store] db_path, else $XDG_DATA_HOME/triage/triage.db */
    int busy_timeout_ms;
    int kdf_cost;      /* 0 interactive, 1 moderate, 2 sensitive (vault_cost) */
    int lock_after;    /* failed logins before a lock */
    int blind_index_k; /* [security] blind_index_k (issue 13) */
    int idle_lock_minutes;
    bool demo;                          /* a demonstration database: every screen says so */
    char *intake_forms;                 /* [intake] forms, in the order the wizard asks them */
    char *intake_hotline_forms;         /* [intake] hotline_forms: phone and online quick path ("": none) */
    int intake_burst_ms;                /* [intake] burst_ms: a key this soon after an answer moved on is not a
                                         * choice (the wizard's burst guard); 0 turns the guard off */
    int queue_settle_ms;                /* [intake] queue_settle_ms: the queues' guard against typing (config.ini) */
    risk_level intake_callback_owed_at; /* [intake] callback_owed_at: an anonymous caller at this level or above is
                                         * asked for a call-back number before saving (wizard_callback_owed) */
    safety_config safety;               /* [safety] step sets: red, and those a risk rule names (bssa) */
    /* [reports] */
    int report_k;                       /* a group of fewer intakes is shown as "<k" (k-anonymity floor) */
    int export_k;                       /* a de-identified export withholds an intake whose combination of the
                                         * values the database also keeps in clear fewer than this many of the
                                         * export's intakes share (1: none withheld) */
    int retention_sessions;             /* retention: this many attended sessions ... */
    int retention_days;                 /* ... within this many days of the first */
    int lapse_days;                     /* no attended session for this long: the client has lapsed */
    char *age_bands;                    /* "0-17 18-24 ... 65-": bands reported instead of ages */
    char *concern_groups;               /* "CODE:CATEGORY ...": concern categories kept in clear; others: other */
    /* [retention] */
    int draft_days;                     /* unfinished intakes older than this are erased */
    int closed_years;                   /* closed records older than this are erased */
} config;

/* The built-in defaults: the repository's config.ini, compiled in. */
extern const char triage_default_config[];
extern const unsigned triage_default_config_len;

/* Finds the configuration: explicit (from --config; may be NULL), else $TRIAGE_CONFIG, else
 * $XDG_CONFIG_HOME/triage/config.ini, else /etc/triage/config.ini, else the built-in defaults.
 * An explicitly named file that cannot be read is an error, never a silent fallback. */
bool config_load(config *c, const char *explicit_path, diag *d);
/* Loads the built-in defaults only. */
bool config_load_builtin(config *c, diag *d);
void config_free(config *c);

/* Where the program's own data lives: the source tree when the binary runs from it, else the
 * installed share directory. Set once from main (argv[0] / /proc/self/exe). */
void config_set_program_dir(const char *dir);
/* Resolves a data file name (e.g. "forms" or "counselors.sample.ini"): program_dir/SUBDIR/NAME when
 * it exists (source tree), else program_dir/../share/triage/NAME (an installed tree, wherever it was
 * put), else the compiled-in share directory. */
char *config_data_path(const char *source_subdir, const char *name);


#endif
