/* Passphrases come from the terminal with echo off, or from a file descriptor given with
 * --passphrase-fd (one per line, for scripts); never from the command line or the environment. */
#ifndef TRIAGE_PASSPHRASE_H
#define TRIAGE_PASSPHRASE_H

#include <stdbool.h>
#include <stddef.h>


#include "error.h"
#define PASSPHRASE_MAX 1024

/* Reads one passphrase into secret memory (*out, free with secret_free). prompt is shown on the terminal.
 * confirm: on a terminal, ask twice and require the same. fd >= 0: read a line from it instead. */
bool passphrase_read(int fd, const char *prompt, bool confirm, char **out, size_t *len, error *err);

#endif
