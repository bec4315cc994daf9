/* Whether the database header a checkpoint left in the file is one of the log's own, read from its frames
 * (issue 16).
 *
 * Why: a change of the file that a checkpoint explains was taken as that checkpoint's write, so a copy put over
 * the path while a checkpoint ran was never seen (the desk wrote on into the copy). A checkpoint writes pages
 * verbatim from the log's frames (https://www.sqlite.org/walformat.html), so the file's first 100 bytes after it
 * are one of the frames of page 1 up to what it may have written, or what they were before. Which one is not
 * knowable from outside: a checkpoint held back by a reader's old snapshot writes no frame of a page whose newest
 * frame is past its limit, not even an older one (four desks writing at once showed it), so any frame of page 1
 * counts. Part of the SQLite backend. */
#include "sqlite_file.h"

#include <string.h>

enum { WAL_HDR = 32, FRAME_HDR = 24, HEADER = 100 };

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool wal_scan_page1(sqlite3_file *wal, const unsigned char salts[8], uint32_t upto, const unsigned char header[100],
                    wal_page1 *out) {
    memset(out, 0, sizeof *out);
    unsigned char h[WAL_HDR];
    if (!wal || wal->pMethods->xRead(wal, h, sizeof h, 0) != SQLITE_OK) return false;
    uint32_t page = be32(h + 8);
    bool magic = h[0] == 0x37 && h[1] == 0x7f && h[2] == 0x06 && (h[3] == 0x82 || h[3] == 0x83);
    if (!magic || memcmp(h + 16, salts, 8) != 0) return false; /* another generation of the log: undecided */
    if (page == 1) page = 65536;                               /* the format's way of writing 65536 */
    if (page < 512 || page > 65536 || (page & (page - 1)) != 0) return false;
    for (uint32_t i = 1; i <= upto && !out->matched; i++) {
        sqlite3_int64 at = WAL_HDR + (sqlite3_int64)(i - 1) * (FRAME_HDR + page);
        unsigned char f[FRAME_HDR], version[HEADER];
        if (wal->pMethods->xRead(wal, f, sizeof f, at) != SQLITE_OK) return false;
        if (memcmp(f + 8, salts, 8) != 0) return false; /* restarted under the scan: undecided */
        if (be32(f) != 1) continue;
        if (wal->pMethods->xRead(wal, version, sizeof version, at + FRAME_HDR) != SQLITE_OK) return false;
        out->any = true;
        out->matched = memcmp(version, header, sizeof version) == 0;
    }
    /* read again: frames a restart overwrote after they were read would carry the new salts */
    if (wal->pMethods->xRead(wal, h, sizeof h, 0) != SQLITE_OK || memcmp(h + 16, salts, 8) != 0) return false;
    return true;
}
