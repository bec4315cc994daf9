#include "safety.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static const char *const field_names[SF_COUNT] = {"title", "in_person", "remote", "due", "title_remote", "due_remote"};

int safety_set_index(const safety_config *s, const char *name) {
    for (int i = 0; name && i < s->n; i++)
        if (strcmp(s->name[i], name) == 0) return i;
    return -1;
}

/* "NAME.FIELD.LANG" split; false when the key is not of that shape. */
static bool split_key(const char *key, char *name, size_t size, int *field, int *lang_out) {
    const char *last = strrchr(key, '.');
    if (!last || last == key) return false;
    lang l;
    if (!lang_parse(last + 1, &l)) return false;
    const char *prev = last - 1;
    while (prev > key && *prev != '.') prev--;
    if (prev == key) return false;
    size_t flen = (size_t)(last - prev - 1), nlen = (size_t)(prev - key);
    for (int f = 0; f < SF_COUNT; f++)
        if (strlen(field_names[f]) == flen && strncmp(prev + 1, field_names[f], flen) == 0) {
            if (nlen + 1 > size) return false;
            memcpy(name, key, nlen);
            name[nlen] = '\0';
            *field = f;
            *lang_out = (int)l;
            return true;
        }
    return false;
}

static bool is_setting(const char *key) {
    return strcmp(key, "channel_from") == 0 || strcmp(key, "remote_channels") == 0 || strcmp(key, "steps.en") == 0 ||
           strcmp(key, "steps.zh") == 0;
}

/* Adds the set names used by the keys of ini [safety]; unknown keys are reported when report is true. */
static void collect_sets(safety_config *s, const ini_file *ini, bool report, diag *d) {
    strlist keys = ini_keys(ini, "safety");
    for (int k = 0; k < keys.n; k++) {
        char name[128];
        int field, l;
        if (is_setting(keys.v[k])) continue;
        char dotted[300];
        snprintf(dotted, sizeof dotted, "safety.%s", keys.v[k]);
        if (!split_key(keys.v[k], name, sizeof name, &field, &l) || !is_ident(name)) {
            if (report)
                diag_add(d, ini->name, ini_line(ini, "safety", keys.v[k]), dotted, false,
                         "unknown key (a step set is NAME.title.LANG, NAME.in_person.LANG, NAME.remote.LANG, NAME.due.LANG, NAME.title_remote.LANG, "
                         "NAME.due_remote.LANG; also "
                         "channel_from, remote_channels)");
            continue;
        }
        if (safety_set_index(s, name) >= 0) continue;
        if (s->n == SAFETY_MAX_SETS) {
            if (report)
                diag_add(d, ini->name, ini_line(ini, "safety", keys.v[k]), dotted, false, "more than %d step sets",
                         SAFETY_MAX_SETS);
            continue;
        }
        s->name[s->n++] = xstrdup(name);
    }
    strlist_free(&keys);
}

static void take(safety_texts *t, int f, int l, const ini_file *ini, const char *key) {
    t->text[f][l] = xstrdup(ini_get(ini, "safety", key));
    t->file[f][l] = xstrdup(ini->name);
    t->line[f][l] = ini_line(ini, "safety", key);
}

bool safety_load(safety_config *s, const ini_file *ini, diag *d) {
    memset(s, 0, sizeof *s);
    s->red = -1;
    int before = d->errors;
    ini_file builtin;
    bool have_builtin = ini_open_buffer(&builtin, triage_default_config, triage_default_config_len,
                                        "<built-in config.ini>", d);
    collect_sets(s, ini, true, d);
    if (have_builtin) collect_sets(s, &builtin, false, d);
    for (int i = 0; i < s->n; i++) {
        safety_texts *t = &s->set[i];
        for (int f = 0; f < SF_COUNT; f++)
            for (int l = 0; l < LANG_COUNT; l++) {
                char key[200], old[32];
                snprintf(key, sizeof key, "%s.%s.%s", s->name[i], field_names[f], lang_code((lang)l));
                snprintf(old, sizeof old, "steps.%s", lang_code((lang)l));
                const char *v = ini_get(ini, "safety", key);
                const char *legacy = ini_get(ini, "safety", old);
                if (v && *v) {
                    take(t, f, l, ini, key);
                } else if (f == SF_IN_PERSON && strcmp(s->name[i], SAFETY_RED) == 0 && legacy && *legacy) {
                    /* the old single set of red steps: a client in the room */
                    take(t, f, l, ini, old);
                    diag_add(d, ini->name, ini_line(ini, "safety", old), "safety.steps", true,
                             "`%s` is read as `red.in_person.%s` (the old key); write red.in_person.%s and "
                             "red.remote.%s (a caller needs other steps)",
                             old, lang_code((lang)l), lang_code((lang)l), lang_code((lang)l));
                } else if (have_builtin && (v = ini_get(&builtin, "safety", key)) && *v) {
                    take(t, f, l, &builtin, key);
                    s->builtin_used = true;
                } else if (f != SF_DUE && f != SF_TITLE_REMOTE && f != SF_DUE_REMOTE) { /* optional: others stand in */
                    char k[300];
                    snprintf(k, sizeof k, "safety.%s", key);
                    diag_add(d, ini->name, ini_line(ini, "safety", NULL), k, false,
                             "missing: step set `%s` needs a title, in_person and remote steps in en and zh",
                             s->name[i]);
                }
            }
    }
    s->red = safety_set_index(s, SAFETY_RED);
    if (s->red < 0)
        diag_add(d, ini->name, ini_line(ini, "safety", NULL), "safety", false,
                 "no `red` step set: a red level always shows its safety steps");
    const char *from = ini_get(ini, "safety", "channel_from");
    if (!from || !*from) from = have_builtin ? ini_get(&builtin, "safety", "channel_from") : NULL;
    s->channel_from = xstrdup(from ? from : "");
    const char *remote = ini_get(ini, "safety", "remote_channels");
    if (!remote || !*remote) remote = have_builtin ? ini_get(&builtin, "safety", "remote_channels") : NULL;
    s->remote = strlist_split(remote ? remote : "");
    if (have_builtin) ini_close(&builtin);
    if (d->errors > before) {
        safety_free(s);
        return false;
    }
    return true;
}

void safety_free(safety_config *s) {
    for (int i = 0; i < s->n; i++) {
        free(s->name[i]);
        for (int f = 0; f < SF_COUNT; f++)
            for (int l = 0; l < LANG_COUNT; l++) {
                free(s->set[i].text[f][l]);
                free(s->set[i].file[f][l]);
            }
    }
    free(s->channel_from);
    strlist_free(&s->remote);
    memset(s, 0, sizeof *s);
    s->red = -1;
}

static const char *text_of(const safety_config *s, int set, int field, lang l) {
    if (set < 0 || set >= s->n || (unsigned)l >= LANG_COUNT) return "";
    const char *t = s->set[set].text[field][l];
    return t ? t : "";
}

const char *safety_title(const safety_config *s, int set, safety_channel ch, lang l) {
    const char *remote = ch == SAFETY_CHANNEL_REMOTE ? text_of(s, set, SF_TITLE_REMOTE, l) : "";
    return *remote ? remote : text_of(s, set, SF_TITLE, l);
}

const char *safety_due(const safety_config *s, int set, safety_channel ch, lang l) {
    const char *remote = ch == SAFETY_CHANNEL_REMOTE ? text_of(s, set, SF_DUE_REMOTE, l) : "";
    if (*remote) return remote;
    const char *due = text_of(s, set, SF_DUE, l);
    return *due ? due : safety_title(s, set, ch, l);
}

const char *safety_steps(const safety_config *s, int set, safety_variant v, lang l) {
    return text_of(s, set, v == SAFETY_REMOTE ? SF_REMOTE : SF_IN_PERSON, l);
}

safety_channel safety_channel_of(const safety_config *s, const char *code) {
    if (!code || !*code) return SAFETY_CHANNEL_UNKNOWN;
    return strlist_find(&s->remote, code) >= 0 ? SAFETY_CHANNEL_REMOTE : SAFETY_CHANNEL_IN_PERSON;
}

const char *safety_channel_name(safety_channel c) {
    switch (c) {
    case SAFETY_CHANNEL_IN_PERSON: return "in_person";
    case SAFETY_CHANNEL_REMOTE: return "remote";
    default: return "unknown";
    }
}

int safety_check_placeholders(const safety_config *s, diag *d) {
    int n = 0;
    for (int i = 0; i < s->n; i++)
        for (int f = 0; f < SF_COUNT; f++)
            for (int l = 0; l < LANG_COUNT; l++) {
                const char *t = s->set[i].text[f][l];
                const char *lb = t ? strchr(t, '[') : NULL;
                const char *rb = lb ? strchr(lb, ']') : NULL;
                if (!rb) continue;
                char key[300];
                snprintf(key, sizeof key, "safety.%s.%s.%s", s->name[i], field_names[f], lang_code((lang)l));
                diag_add(d, s->set[i].file[f][l], s->set[i].line[f][l], key, true,
                         "the sample placeholder `%.*s` is still there: write the centre's own number or name",
                         (int)(rb - lb + 1), lb);
                n++;
            }
    return n;
}
