/* TRIAGE_SCRIPT files: each line read as tui/input.c reads it (fgets into 2048 bytes), parsed by
 * tui/script.c and its text decoded to wide characters, in the C.UTF-8 locale the program runs in. */
#include <locale.h>

#include "../../tui/script.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    if (!setlocale(LC_ALL, "C.UTF-8")) abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FILE *fp = fmemopen((void *)data, size, "r");
    if (!fp) return 0; /* size 0 */
    char line[2048];
    wchar_t pending[512];
    while (fgets(line, sizeof line, fp)) {
        script_line sl = script_parse_line(line);
        switch (sl.kind) {
        case SL_TYPE:
        case SL_BURST:
        case SL_SOON:
        case SL_KEY: {
            int n = script_decode(sl.arg, pending, sizeof pending / sizeof pending[0]);
            if (n < 0 || n >= (int)(sizeof pending / sizeof pending[0]) || pending[n] != L'\0') abort();
            break;
        }
        case SL_DUMP:
        case SL_MARK:
            if (!sl.arg) abort();
            break;
        case SL_RESIZE:
            if (sl.cols <= 0 || sl.rows <= 0) abort();
            break;
        case SL_ADVANCE:
            if (sl.secs < 1 || sl.secs > 100000000) abort();
            break;
        case SL_PAUSE:
            if (sl.secs < 1 || sl.secs > 3600) abort();
            break;
        case SL_TICK:
        case SL_NONE:
            break;
        }
    }
    fclose(fp);
    return 0;
}
