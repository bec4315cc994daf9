/* Safety steps: what staff must do at once when an intake turns red, or when a rule names a step set (the ASQ
 * non-acute positive needs a brief suicide safety assessment before the client leaves). Data from config.ini
 * [safety]: each set has a title and steps for a client in the room and for one on the phone or online, in
 * English and Chinese. The intake's channel item (channel_from) says which applies. */
#ifndef TRIAGE_SAFETY_H
#define TRIAGE_SAFETY_H

#include <stdbool.h>

#include "diag.h"
#include "ini.h"
#include "util.h"

#define SAFETY_MAX_SETS 8
#define SAFETY_RED "red" /* the set every red level needs */

typedef enum { SAFETY_IN_PERSON, SAFETY_REMOTE, SAFETY_VARIANTS } safety_variant;
/* The channel of the interview: unknown until the channel item is answered (or when no form asks it). */
typedef enum { SAFETY_CHANNEL_UNKNOWN, SAFETY_CHANNEL_IN_PERSON, SAFETY_CHANNEL_REMOTE } safety_channel;

/* SF_DUE (NAME.due.LANG, optional): one plain sentence for the saved intake's summary: what is due now, and by
 * whom (the title stands in when a set has none). SF_TITLE_REMOTE and SF_DUE_REMOTE (NAME.title_remote.LANG,
 * NAME.due_remote.LANG, optional): the same for a caller on the phone or online, where in-room advice ("before the
 * client leaves", "waits where staff can see them") does not fit (the fifth tryout); title and due stand in. */
typedef enum { SF_TITLE, SF_IN_PERSON, SF_REMOTE, SF_DUE, SF_TITLE_REMOTE, SF_DUE_REMOTE, SF_COUNT } safety_field;

typedef struct {
    char *text[SF_COUNT][LANG_COUNT];
    char *file[SF_COUNT][LANG_COUNT]; /* where each text was read (the centre's file or the built-in one) */
    int line[SF_COUNT][LANG_COUNT];
} safety_texts;

typedef struct {
    char *name[SAFETY_MAX_SETS];
    safety_texts set[SAFETY_MAX_SETS];
    int n;
    int red;              /* index of the red set */
    char *channel_from;   /* FORM.ITEM: the choice item that says how the client reached the centre */
    strlist remote;       /* its codes for a client who is not in the room (phone online) */
    bool builtin_used;    /* some text is the built-in sample (the file has none of its own for it) */
} safety_config;

/* Reads [safety] of ini; a set or key the file leaves out comes from the built-in configuration. The old
 * steps.en / steps.zh keys still work: each is read as red.in_person.LANG, with a warning naming its line.
 * Errors name the line (an unknown set field, a set without every text). */
bool safety_load(safety_config *s, const ini_file *ini, diag *d);
void safety_free(safety_config *s);

int safety_set_index(const safety_config *s, const char *name);
/* The title and what is due follow the channel: for a caller, the _remote texts where the set has them. */
const char *safety_title(const safety_config *s, int set, safety_channel ch, lang l);
/* What is due now, for the summary after saving: NAME.due.LANG (a caller: NAME.due_remote.LANG), else the title. */
const char *safety_due(const safety_config *s, int set, safety_channel ch, lang l);
/* The steps of a set for a channel, `|` between steps. */
const char *safety_steps(const safety_config *s, int set, safety_variant v, lang l);
/* A channel code of the channel item (NULL or "": not answered). */
safety_channel safety_channel_of(const safety_config *s, const char *code);
const char *safety_channel_name(safety_channel c);

/* Warnings (for `triage config check`) for every text that still holds a sample placeholder in square
 * brackets, such as [duty clinician's number]: the centre must write its own numbers. Returns the count. */
int safety_check_placeholders(const safety_config *s, diag *d);

#endif
