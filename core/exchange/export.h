/* Records out of the database: CSV for spreadsheets, JSON lines, or a FHIR R4 Bundle (core/exchange/fhir.h). Every
 * export is a supervisor's, audited (format, range, count; no personal data), and written to a new file of
 * mode 0600 through a temporary beside it that is fsync'd and then linked into place: a failure or a crash
 * leaves no half file, and an existing file is never overwritten. Notes (free text) are never exported.
 *
 * --deidentify drops names, phone numbers and dates of birth (the age band instead) and replaces every id with
 * a keyed pseudonym (vault_pseudonym): the same client has the same pseudonym in every export of this
 * database, and nobody without the data key can compute or reverse it. It also withholds every intake whose
 * combination of the values the database keeps in clear too (level, age band, channel, concern categories,
 * counselor, confirmed level, queue step and the days to its times) fewer than [reports] export_k intakes of
 * the export share, so that a join against a copy of the database leaves k candidates for every row. */
#ifndef TRIAGE_EXPORT_H
#define TRIAGE_EXPORT_H

#include <jansson.h>

#include "error.h"
#include "engine.h"
#include "session.h"

typedef enum { EXPORT_CSV, EXPORT_JSON, EXPORT_FHIR } export_format;

bool export_format_parse(const char *s, export_format *out);
const char *export_format_name(export_format f);

typedef struct {
    export_format format;
    int64_t from, to; /* UTC seconds, [from, to) */
    bool deidentify;
    bool bom;         /* CSV: a UTF-8 byte-order mark first, for Excel */
} export_options;

/* A de-identified FHIR Bundle's meta.extension: how many intakes were withheld, and the k. */
#define EXPORT_EXT_WITHHELD "http://triage.example/fhir/StructureDefinition/withheld"
#define EXPORT_EXT_K "http://triage.example/fhir/StructureDefinition/k-anonymity"

typedef struct {
    int64_t written;  /* intakes written */
    int64_t withheld; /* de-identified: intakes withheld, their combination rarer than [reports] export_k */
} export_counts;

/* Writes every intake of the range to path (which must not exist). *count: intakes written. */
bool export_run(session *s, const engine *e, const export_options *o, const char *path, int64_t *count, error *err);
/* The same, saying how many intakes were withheld too. */
bool export_run_counted(session *s, const engine *e, const export_options *o, const char *path, export_counts *counts,
                        error *err);

/* The CSV export's data dictionary (a CSV: column, meaning, type, values, unit, loinc), for the columns an
 * export with the same options writes; a new file, never an existing one. */
bool export_dictionary_write(const engine *e, const export_options *o, const char *path, error *err);

/* The FHIR Bundle of the range as a JSON value (what export_run writes for EXPORT_FHIR). */
json_t *export_fhir_bundle(session *s, const engine *e, const export_options *o, int64_t *count, error *err);

#endif
