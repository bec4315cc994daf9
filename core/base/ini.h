/* INI files read with iniparser, plus what iniparser does not keep: the line of every section and key,
 * so that every problem can be reported as `file:line: section.key: why`. Also rejects what iniparser
 * would silently accept: duplicate keys or sections, keys outside a section, invalid UTF-8. */
#ifndef TRIAGE_INI_H
#define TRIAGE_INI_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "util.h"

typedef struct {
    char *key; /* "section" for a section header, "section:key" for a key (lowercased, as iniparser) */
    int line;
} ini_line_entry;

typedef struct {
    void *dict; /* iniparser dictionary */
    char *name; /* the file name used in messages */
    ini_line_entry *lines;
    int n_lines;
    int *hash; /* open-addressing index into lines */
    int hash_cap;
} ini_file;

/* Loads path; on any problem adds diagnostics and returns false (nothing is half-loaded). */
bool ini_open(ini_file *f, const char *path, diag *d);
/* Loads from memory (the built-in defaults); name is what messages call it. */
bool ini_open_buffer(ini_file *f, const char *buf, size_t len, const char *name, diag *d);
void ini_close(ini_file *f);

/* The value of section:key, or NULL. section and key are matched case-insensitively. */
const char *ini_get(const ini_file *f, const char *section, const char *key);
/* The line of section:key (key NULL: the section header), or 0. */
int ini_line(const ini_file *f, const char *section, const char *key);
bool ini_has_section(const ini_file *f, const char *section);
/* Section names in file order. */
strlist ini_sections(const ini_file *f);
/* Key names (without the section prefix) of one section, in file order. */
strlist ini_keys(const ini_file *f, const char *section);

/* Reports unknown keys of a section (patterns may end in '*'). as_error: errors, else warnings. */
void ini_check_keys(const ini_file *ini, const char *section, const char *const *allowed, bool as_error,
                    diag *d);

#endif
