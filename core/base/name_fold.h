/* A name as a search compares it: the same name however it was typed. */
#ifndef TRIAGE_NAME_FOLD_H
#define TRIAGE_NAME_FOLD_H

#include <stddef.h>

/* The version of name_fold's rules. The blind index holds keyed hashes of folded names, so a change of the rules
 * means a rebuild of every client's values: blind_index.c records the version it was built with. */
#define NAME_FOLD_VERSION 3

/* in as a search compares names, into out (NUL-terminated, cut at a character's end): case folded in every script
 * (ZOË and zoë, Ölçer and ölçer), compatibility forms unfolded (full-width Ｌｉ is Li, the ideographic space a
 * space), the accents of Latin, Greek and Cyrillic letters taken off (Zoë Brontë is zoe bronte; a mark of another
 * script is part of its letter and stays), Latin letters with a stroke or a ligature as plain letters (Đức is duc,
 * Łukasz lukasz, Søren soren, Æ ae), apostrophes dropped (O'Brien, O’Brien and OBrien are obrien) and hyphens
 * read as spaces (Anna-Lena is anna lena), runs of spaces one, none at either end. Text that is not valid UTF-8 is
 * lower-cased as ASCII. Version 1 (before issue 14's thirtieth receptionist) lower-cased ASCII only; version 2 left
 * the letters with a stroke as they were. Search only: whether two records are one person compares names strictly
 * (name_fold_strict). */
void name_fold(const char *in, char *out, size_t size);

/* in as two records of one person must spell it: case folded in every script, full-width forms unfolded, blanks
 * collapsed; accents, apostrophes and hyphens kept (Nguyễn Thị Ánh and Nguyễn Thị Anh are two names: the search finds
 * either by "Nguyen Thi Anh", a new intake with the same phone joins neither to the other: thirty-first
 * receptionist). */
void name_fold_strict(const char *in, char *out, size_t size);

#endif
