/* CSV as RFC 4180 writes it: fields separated by commas, rows ended by CRLF, a field holding a comma, a
 * double quote, CR or LF enclosed in double quotes with each double quote doubled. Text is UTF-8 and passes
 * through unchanged (Chinese included); the byte-order mark that Excel needs is the caller's choice. */
#ifndef TRIAGE_CSV_H
#define TRIAGE_CSV_H

#include <stddef.h>

typedef struct {
    char *p; /* NUL-terminated */
    size_t n, cap;
    int fields; /* in the current row */
} csv_buf;

#define CSV_BOM "\xef\xbb\xbf"

void csv_init(csv_buf *b);
void csv_free(csv_buf *b);
/* Appends one field (NULL is an empty field). */
void csv_field(csv_buf *b, const char *text);
void csv_field_int(csv_buf *b, long long v);
/* Ends the row with CRLF. */
void csv_end_row(csv_buf *b);
/* Appends raw bytes (a byte-order mark). */
void csv_raw(csv_buf *b, const char *text);
/* Hands the text over (the buffer is emptied). */
char *csv_take(csv_buf *b);

#endif
