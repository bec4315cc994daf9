/* Which digit answers which option of a choice question, decided from the form's data alone so that the
 * number drawn beside an option is exactly the key that picks it (issue 11):
 * - an item that counts in its form's total (`total = sum`, the item scored) is keyed by its scale VALUE,
 *   the score printed beside it on the paper form (PHQ-9, GAD-7, PHQ-2, GAD-2: 0-3; K6: 0-4), so that a
 *   paper form is copied digit for digit;
 * - every other list (intake choices, ASQ yes/no, PHQ-9 difficulty, multi-choice) numbers its options from 1.
 * An option that no single digit reaches (the tenth of a long list, or a value above 9) has no key: it is
 * reached with the arrows and chosen or ticked with Space. */
#ifndef TRIAGE_ANSWER_KEYS_H
#define TRIAGE_ANSWER_KEYS_H

#include <stdbool.h>

#include "form.h"

/* True when the item's options are keyed by their values (it counts in its form's total). */
bool answer_keys_by_value(const form *f, int item);
/* The digit (0-9) that picks choice c of the item, or -1 when no digit does. */
int answer_key_for_choice(const form *f, int item, int c);
/* The choice that digit d (0-9) picks on the item, or -1 when it picks none. */
int answer_choice_for_key(const form *f, int item, int d);
/* The lowest and highest digit that pick an option of the item; false when none does. *every_option
 * says whether each option has a digit (else some are reached only with the arrows). */
bool answer_key_range(const form *f, int item, int *lo, int *hi, bool *every_option);

#endif
