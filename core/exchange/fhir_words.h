/* Words that say another system's text asks a suicide screen's questions (the forms' fhir_foreign_words), matched as
 * a reader would read them: without case; blanks of any kind (no-break, a newline, two spaces) as one space; soft
 * hyphens and zero-width marks dropped; full-width letters as ASCII; curly apostrophes and dashes as ASCII ones. A
 * word that begins or ends with a letter or digit matches only at a word's edge there ("self harm" in "self-harm", not
 * "asq" in "basque" or "tasq": twenty-seventh outside integrator); one ending in "*" is a prefix ("suicid*": suicidal). */
#ifndef TRIAGE_FHIR_WORDS_H
#define TRIAGE_FHIR_WORDS_H

#include <stdbool.h>
#include <stddef.h>

/* Whether text holds one of words ("|"-separated, blanks around each ignored); the word found (as listed) into
 * found. NULL text or words: false. */
bool fhir_words_match(const char *text, const char *words, char *found, size_t size);

#endif
