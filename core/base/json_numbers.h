/* Numbers in JSON text that a reader would take for another number: one too small for a double (1e-400), which
 * strtod and so jansson read as 0 ("not at all" on a safety item: thirty-sixth outside integrator). jansson refuses
 * one too large itself ("real number overflow"); one that underflows it takes silently, so the text is read first. */
#ifndef TRIAGE_JSON_NUMBERS_H
#define TRIAGE_JSON_NUMBERS_H

#include <stdbool.h>
#include <stddef.h>

/* Whether text (len bytes, JSON) holds a number outside strings whose digits are not all zero but which reads as 0.
 * The first such is named: its 1-based line and column (in bytes, as jansson counts them) and its text (cut to fit). */
bool json_number_underflows(const char *text, size_t len, int *line, int *column, char *token, size_t size);

#endif
