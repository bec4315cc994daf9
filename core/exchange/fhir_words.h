/* Words that say another system's text asks a suicide screen's questions (the forms' fhir_foreign_words), matched as
 * a reader would read them: without case; blanks of any kind (no-break, a newline, two spaces) as one space; soft
 * hyphens and zero-width marks dropped; full-width letters as ASCII; curly apostrophes and dashes as ASCII ones. A
 * word that begins or ends with a letter or digit matches only at a word's edge there ("self harm" in "self-harm", not
 * "asq" in "basque" or "tasq": twenty-seventh outside integrator); one ending in "*" is a prefix ("suicid*": suicidal). */
#ifndef TRIAGE_FHIR_WORDS_H
#define TRIAGE_FHIR_WORDS_H

#include <stdbool.h>
#include <stddef.h>

/* Also: a lower-case letter followed by a capital begins a new word ("hasSuicidalThoughts", a linkId, is "has
 * suicidal thoughts": thirty-second outside integrator), and a blank between two CJK characters is dropped (Chinese
 * is written without spaces: "自 杀" is 自杀). Chinese has no word edges, so a listed phrase is found inside others;
 * an entry that begins with "-" is a phrase that is not one (独自伤心, crying alone, holds 自伤; 各自尽责 holds 自尽): its
 * every occurrence is blanked out of the text before the words are looked for. */
/* Whether text holds one of words ("|"-separated, blanks around each ignored); the word found (as listed) into
 * found. NULL text or words: false. */
bool fhir_words_match(const char *text, const char *words, char *found, size_t size);

#endif
