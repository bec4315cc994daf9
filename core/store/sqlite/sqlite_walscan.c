/* Which database header a checkpoint wrote into the file, read from the log's own frames (issue 16).
 *
 * Why: a change of the file that a checkpoint explains was taken as that checkpoint's write, so a copy put over
 * the path while a checkpoint ran was never seen (the desk wrote on into the copy). A checkpoint writes each
 * page's last frame verbatim (https://www.sqlite.org/walformat.html), so the file's first 100 bytes after it are
 * the last frame of page 1 it wrote, or what they were before when it wrote none. Part of the SQLite backend. */
#include "sqlite_file.h"

#include <string.h>

enum { WAL_HDR = 32, FRAME_HDR = 24, HEADER = 100 };

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool wal_scan_page1(sqlite3_file *wal, const unsigned char salts[8], uint32_t backfill, uint32_t attempted,
                    wal_page1 *out) {
    memset(out, 0, sizeof *out);
    unsigned char h[WAL_HDR];
    if (!wal || wal->pMethods->xRead(wal, h, sizeof h, 0) != SQLITE_OK) return false;
    uint32_t page = be32(h + 8);
    bool magic = h[0] == 0x37 && h[1] == 0x7f && h[2] == 0x06 && (h[3] == 0x82 || h[3] == 0x83);
    if (!magic || memcmp(h + 16, salts, 8) != 0) return false; /* another generation of the log: undecided */
    if (page == 1) page = 65536;                               /* the format's way of writing 65536 */
    if (page < 512 || page > 65536 || (page & (page - 1)) != 0) return false;
    if (attempted < backfill) attempted = backfill;
    for (uint32_t i = 1; i <= attempted; i++) {
        sqlite3_int64 at = WAL_HDR + (sqlite3_int64)(i - 1) * (FRAME_HDR + page);
        unsigned char f[FRAME_HDR];
        if (wal->pMethods->xRead(wal, f, sizeof f, at) != SQLITE_OK) return false;
        if (memcmp(f + 8, salts, 8) != 0) return false; /* restarted under the scan: undecided */
        if (be32(f) != 1) continue;
        bool written = i <= backfill;
        if (wal->pMethods->xRead(wal, written ? out->backfilled : out->attempted, HEADER, at + FRAME_HDR) != SQLITE_OK)
            return false;
        if (written) out->in_backfill = true;
        else out->in_attempted = true;
    }
    /* read again: frames a restart overwrote after they were read would carry the new salts */
    if (wal->pMethods->xRead(wal, h, sizeof h, 0) != SQLITE_OK || memcmp(h + 16, salts, 8) != 0) return false;
    return true;
}
