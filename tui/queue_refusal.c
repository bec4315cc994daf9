/* A queue rule's refusal in the staff language (the core's text is English, for the command line: Chinese screens
 * showed "cannot assign: the item is open; confirm it first", tryouts 16 and 17). */
#include <stdio.h>
#include <string.h>

#include "ui.h"

static const char *outcome_tr(queue_outcome o) {
    static const char *const k[] = {"out_none", "out_first_session", "out_declined", "out_referred", "out_unreachable",
                                    "out_duplicate"};
    return (unsigned)o < sizeof k / sizeof k[0] ? tr(k[o]) : "?";
}

/* tr(key) with {1} and {2} replaced by a1 and a2. */
static void fill(char *out, size_t size, const char *key, const char *a1, const char *a2) {
    const char *t = keyed(key);
    size_t o = 0;
    for (const char *p = t; *p && o + 1 < size;) {
        const char *with = p[0] == '{' && p[1] == '1' && p[2] == '}' ? a1 : p[0] == '{' && p[1] == '2' && p[2] == '}' ? a2 : NULL;
        if (!with) {
            out[o++] = *p++;
            continue;
        }
        int n = snprintf(out + o, size - o, "%s", with);
        o = n < 0 ? o : o + (size_t)n >= size ? size - 1 : o + (size_t)n;
        p += 3;
    }
    out[o < size ? o : size - 1] = '\0';
}

bool queue_refusal_said(const app *a, const queue_refused *r, char *out, size_t size) {
    char n[16], of[16];
    snprintf(n, sizeof n, "%d", r->n);
    snprintf(of, sizeof of, "%d", r->of);
    const char *state = state_tr(r->state);
    switch (r->why) {
    case QR_NONE: return false;
    case QR_CLOSED: fill(out, size, "qr_closed", "", ""); break;
    case QR_BAD_REQUEST: fill(out, size, "qr_bad_request", "", ""); break;
    case QR_ROLE:
        /* "a receptionist" in English ("a reception may not ...": tryout 19), the role's word in Chinese */
        fill(out, size, "qr_role", ui_lang() == LANG_EN ? staff_role_person(r->role) : role_tr(r->role),
             tr(r->action == QA_CLOSE ? "qr_do_close" : r->level < r->than ? "qr_do_lower" : "qr_do_confirm"));
        break;
    case QR_ACK_ALREADY: fill(out, size, "qr_ack_already", state, ""); break;
    case QR_CONFIRM_ALREADY: fill(out, size, "qr_confirm_already", state, ""); break;
    case QR_LOWER_REASON: fill(out, size, "qr_lower_reason", "", ""); break;
    case QR_RED_REASON: fill(out, size, "qr_red_reason", "", ""); break;
    case QR_RAISE_NOT_HIGHER: fill(out, size, "qr_raise_not_higher", level_tr(r->level), level_tr(r->than)); break;
    case QR_CONFIRM_FIRST: fill(out, size, "qr_confirm_first", state, ""); break;
    case QR_ASSIGN_ALREADY: fill(out, size, "qr_assign_already", state, ""); break;
    case QR_NO_COUNSELOR: fill(out, size, "qr_no_counselor", "", ""); break;
    case QR_NOT_HIGH_RISK: fill(out, size, "qr_not_high_risk", counselor_name(a, r->counselor), level_tr(r->than)); break;
    case QR_ASSIGN_FIRST: fill(out, size, r->action == QA_CLOSE ? "qr_first_session_assign" : "qr_contact_assign", state, ""); break;
    case QR_DECLINE_REASON: fill(out, size, "qr_decline_reason", "", ""); break;
    case QR_DECLINE_NOBODY: fill(out, size, "qr_decline_nobody", "", ""); break;
    case QR_DECLINE_NOT_ASSIGNED: fill(out, size, "qr_decline_not_assigned", counselor_name(a, r->counselor), ""); break;
    case QR_DECLINED_ALREADY: fill(out, size, "qr_declined_already", counselor_name(a, r->counselor), ""); break;
    case QR_TOO_FEW_CONTACTS: fill(out, size, "qr_too_few_contacts", n, of); break;
    case QR_CLOSE_CONFIRM_FIRST: fill(out, size, "qr_close_confirm_first", outcome_tr(r->outcome), state); break;
    case QR_CLOSE_NOTE: fill(out, size, "qr_close_note", "", ""); break;
    default: return false;
    }
    return true;
}
