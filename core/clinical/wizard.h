/* The intake wizard as a model, apart from any screen: which question is current, the answers so far
 * (choices and typed text), skip logic, and the risk level and counselor suggestions recomputed after
 * every answer. The TUI draws it and feeds it keys; tests drive it directly. Its state round-trips
 * through JSON so that every answer can be saved as a sealed draft and resumed after a crash or an
 * idle lock. */
#ifndef TRIAGE_WIZARD_H
#define TRIAGE_WIZARD_H

#include <jansson.h>
#include <stdint.h>

#include "error.h"
#include "assess.h"
#include "engine.h"

#define WIZARD_MAX_FORMS INTAKE_MAX_FORMS
#define WIZARD_TEXT_MAX 256
#define WIZARD_CALLER_ID_LEN 8

typedef enum { WZ_QUESTIONS, WZ_REVIEW, WZ_SAVED } wizard_stage;

#define WIZARD_PENDING_MAX 32

typedef struct {
    const engine *e;
    int forms[WIZARD_MAX_FORMS]; /* indexes into e->forms, in the order asked */
    int n_forms;
    int pos;  /* which of forms[] is current */
    int item; /* current item of that form */
    wizard_stage stage;
    lang client_lang;
    assess_input in; /* answers of every form, concerns, language, preferences */
    char *text[WIZARD_MAX_FORMS][FORM_MAX_ITEMS]; /* typed answers (text, number, date items), secret memory */
    risk_result risk;
    risk_level level;
    uint32_t steps_firing; /* [safety] step sets whose cause holds now (red level, a rule with .steps fired) */
    uint32_t steps_acked;  /* of those, acknowledged; a set whose cause goes and comes back is asked again */
    risk_level kept; /* the highest level whose safety steps were acknowledged in this interview: answers
                      * changed afterwards never lower the saved level below it (a clinician may, with a reason) */
    char client_id[ID_TEXT_LEN]; /* an existing client, or "" for a new one */
    char draft_id[ID_TEXT_LEN];
    /* the draft's fingerprint as this desk last wrote or read it (core/records: draft_save_tagged), never stored in
     * the draft: a save that finds another one there was overwriting another desk's answers (eleventh tryout) */
    unsigned char draft_tag[32];
    bool draft_tagged;
    /* the highest guarded level a save of this draft has put on the signed trail (draft_autosave: a "draft_at_risk"
     * entry), LEVEL_GREEN for none yet; not stored in the draft: a resumed draft notes its level again */
    risk_level risk_noted;
    char caller_id[WIZARD_CALLER_ID_LEN]; /* an anonymous caller's short id (hotline), or "" */
    bool callback_return;                 /* at the owed call-back number, come back to from the end of the forms */
    bool callback_none;                   /* the worker said the caller gives no call-back number (wizard_callback_none) */
    bool callback_none_early;             /* ...said so before it was owed: the review says so; owed, it is asked again */
    char anonymous_name[96];              /* "Anonymous caller KMT4821": the record's name when none is given */
    /* text typed into the current question's field and not yet entered (secret memory, or NULL): kept in the draft,
     * so that a quit, a lock or a lost connection loses nothing typed (a call-back number typed, then Ctrl-C twice,
     * was gone: twenty-first tryout); never an answer, only the field's text when the question is back */
    char *unentered;
    int unentered_pos, unentered_item;
    /* the phone on the returning client's record when the interview took it up (secret memory, "" for none), or NULL
     * when not known (a draft from before it was kept): the intake form's phone other than this at the save is the
     * worker's change of it, and replaces the record's (twenty-seventh tryout: an edited phone was silently not
     * stored); only the worker's: a record changed at another desk since is not put back */
    char *record_phone;
    /* the desk leaves the intake (a quit, a logout, the idle lock): its last save says so, and a desk resuming the
     * draft soon after is not told it "may be open at another desk" (twenty-second tryout: quitting and logging
     * straight back in warned of a desk that was gone). left_at_save is what the resumed draft said. */
    bool leaving, left_at_save;
    /* the burst guard (wizard_key_arrived): when keys arrived and what the last answer key changed */
    struct {
        bool timed;         /* a key has been timed (a wizard never told the time has no guard) */
        int64_t key_ms;     /* when the last key arrived */
        int64_t gap_ms;     /* the time between the last key and the one before it (a paste's keys: none) */
        bool moved;         /* an answer or Enter has moved the interview on ... */
        bool moved_by_choice; /* ... by a choice key ... */
        int64_t moved_ms;   /* ... at this time */
        bool held;          /* a burst was recognised: nothing is recorded until a deliberate key */
        bool undo;          /* the last answer given by a choice key, to be undone if it was part of a burst */
        int64_t undo_ms;    /* when it was given */
        int undo_form, undo_item; /* which question (the form as an index of e->forms: positions may shift) */
        answer undo_before; /* its answer before */
    } burst;
    /* the phone guard (wizard_phone_guard): armed when Enter skips a typed field */
    struct {
        bool armed;       /* a typed field was just skipped: a digit on the next choice question waits for Enter */
        bool resumed;     /* armed by a resume instead (no field skipped: skipped_form is -1) */
        bool resume_owed; /* a resume's hold not yet answered: it moves with the worker (Enter, Esc, a jump) to each
                           * choice question until an answer is confirmed there (Enter then 1 answered the next
                           * question at once: eleventh tryout) */
        bool text_confirmed; /* new text typed into a field since, entered after a pause: the worker is looking, so a
                              * question not yet answered takes its digit at once; one with an answer still holds it
                              * (forty-fourth and forty-fifth receptionists) */
        int skipped_form; /* the skipped field (the form as an index of e->forms: positions may shift) */
        int skipped_item;
        char pending[WIZARD_PENDING_MAX]; /* the characters typed since, held: nothing recorded */
    } phone;
    /* a question owed by a resumed draft (wizard_owed_pending): asked first, the red steps wait on it */
    struct {
        bool holding;   /* the red steps wait while the interview is on that question, unanswered */
        bool offered;   /* the question was once asked so (kept in the draft: left again, the steps come at once) */
        int form, item; /* the question (the form as an index of e->forms: positions may shift) */
    } owed;
} wizard;

/* Starts an intake over the given form ids (e.g. intake phq9 gad7 asq); false with why when one is unknown. */
bool wizard_start(wizard *w, const engine *e, const char *const *form_ids, int n, lang client_lang, error *err);
void wizard_free(wizard *w);

const form *wizard_form(const wizard *w);
const form_item *wizard_item(const wizard *w);
/* Position for "question 3 of 9": the current item's number among the visible items, and their count. */
void wizard_progress(const wizard *w, int *number, int *count);
/* Where the interview is, as every place says it (the question line, home's resume line and lists): one function, so
 * that they agree. As wizard_progress, except that when the form's optional questions all come after its required
 * ones and the current question is required, *count is the required ones and *then_optional how many optional
 * follow ("Question 4 of 9, then 1 optional": the count does not grow when one appears); else *then_optional is 0. */
void wizard_progress_line(const wizard *w, int *number, int *count, int *then_optional);

/* The burst guard. Digits answer choice questions, so a number typed where the worker thought a text field was
 * (a phone number after Enter skipped the phone field), or pasted, would answer the questions that follow,
 * PHQ-9 item 9 and the ASQ among them. The screen tells the wizard when every key arrived (milliseconds on
 * any monotonic clock) and what kind of key it is; the result says whether the key may act. A burst is an
 * answer key less than [intake] burst_ms after the interview moved on (by an answer or by Enter), or a
 * character typed less than burst_ms after a choice key moved on: the choice answer given within that time is
 * undone, the interview stops on its question and nothing is recorded (wizard_choose, wizard_refuse and
 * wizard_next refuse) until the worker acknowledges it with a key that answers nothing (Enter), at least
 * burst_ms after the key before it: that key ends the hold and does nothing else, and no answer key is taken
 * before it, however slow. Enter, Esc and the arrows never start a burst (they record no choice). */
typedef enum {
    WK_OTHER,  /* Enter, Esc, arrows, function keys */
    WK_ANSWER, /* a key that answers a choice question: a digit, Space on the highlight, r (refused) */
    WK_TEXT    /* a character typed into a text, number or date answer */
} wizard_key;
bool wizard_key_arrived(wizard *w, int64_t now_ms, wizard_key kind);
/* A key the phone guard took (its Enter recorded a held digit, or moved back to the skipped field): timed, and a
 * move, so that an answer key right behind it is a burst (Enter then 3 at once answered the next question:
 * seventeenth tryout). */
void wizard_key_moved(wizard *w, int64_t now_ms);
bool wizard_burst_held(const wizard *w);
/* The keys the phone and resume guards take (a digit held there, the Enter that records it) are timed too: the
 * Enter that records a held digit is the deliberate key, never one right behind the digit or the key before
 * (twenty-seventh tryout: after a resume, r 1 0 Enter, 120 ms apart, recorded PHQ-9 item 9 as 0, ORANGE became
 * YELLOW). wizard_key_timed notes a key the guard held; wizard_held_confirm_arrived is asked for an Enter while a
 * digit is held: false holds it as a burst (nothing recorded, the held digit dropped: the worker picks again), and
 * the first key after a pause ends that hold and does nothing else, as the burst guard's does; true lets the Enter
 * record the digit. */
void wizard_key_timed(wizard *w, int64_t now_ms);
bool wizard_held_confirm_arrived(wizard *w, int64_t now_ms);

/* The phone guard. A call-back number typed at a person's pace after Enter skipped the phone or call-back field
 * answered the choice questions that follow with its digits (fifth tryout: 02121121211, every digit a valid answer,
 * filled the PHQ-2, GAD-2 and ASQ 1-2 silently; a birth date typed after its skipped field answered gender and ran
 * into the phone field). No timing or range rule tells such a number from honest answers, so after Enter passes
 * over a field a number is typed into (a phone item, a number, a date) left empty, the next choice question does
 * not take a bare digit: the
 * digit, and whatever follows it that a number or date has (digits, space + - ( ) /), is held and shown, nothing
 * recorded, until Enter: one digit that picks an option there is then recorded (the digit chose it, Enter confirms
 * what the screen shows: one key more, once per skipped field); more characters are the number or date meant for
 * the skipped field and go into it when it takes them (the interview goes back to that field, showing it),
 * else nothing happens and the screen says so. Backspace takes back the last held character, Esc all of them.
 * Any other key (an arrow, Space on a highlight, r, a letter) with nothing held passes; with something held it
 * only waits. The guard ends at the first recorded answer, typed text, Esc back or a jump.
 * The screen calls it before acting on every key of the interview, with ch the character typed, '\n' for Enter,
 * '\b' for Backspace, 27 for Esc, or 0 for another key (arrows). */
typedef enum {
    WG_PASS,     /* the key acts as usual */
    WG_HELD,     /* the key was held (or waits behind held characters): nothing recorded */
    WG_ANSWERED, /* Enter recorded the held digit's option (the interview moved on, or a multi item ticked) */
    WG_MOVED,    /* Enter put the held characters into the skipped field: the interview is on it */
    WG_NO_FIT    /* Enter: the held characters neither pick an option here nor fit the skipped field */
} wizard_guard;
/* ch for the refusal key: after a resume it is held too ("r = refused", Enter records it), since on the home screen
 * the same key resumes and a worker expecting home typed it, refusing the question shown (ninth tryout). */
#define WIZARD_GUARD_REFUSE 0x100
/* ch for Space on highlighted option c (WIZARD_GUARD_PICK + c): after a resume it is held as that option's digit
 * would be (Down then Space chose "Not at all" at once after a resume: the first Down lands on the lowest option,
 * tenth tryout); otherwise it passes as a deliberate key. */
#define WIZARD_GUARD_PICK 0x200
wizard_guard wizard_phone_guard(wizard *w, int ch);
/* The characters held since the skipped field ("" when none). */
const char *wizard_phone_pending(const wizard *w);
/* The skipped field the held characters would go into (NULL when none), and the option one held digit picks here
 * (-1 when it picks none or more are held). */
const form_item *wizard_phone_skipped(const wizard *w);
int wizard_phone_pending_choice(const wizard *w);
/* True while a digit on the current question would be held (a typed field was just skipped). */
bool wizard_phone_armed(const wizard *w);
/* The same guard after a resume (a login that continues the intake by itself, r, a draft picked): the question on
 * screen was not chosen by the worker's last key, and a digit typed for the home screen once answered ASQ question 5
 * "No" for a caller who had gone (eighth tryout). So the first digit there is held until Enter, as after a skipped
 * field; there is no field for held characters to go into. True while it holds. */
bool wizard_resume_held(const wizard *w);
/* Moves on past an item the screen does not ask (known already: a returning client's birth date), keeping the
 * guards as they are: passing over it is not an answer of the worker's (an age skipped, then the known birth date
 * passed over, disarmed the guard and a 1 recorded gender at once: eleventh tryout). */
bool wizard_next_known(wizard *w);

/* Answers the current item with choice c of its scale (choice/scale items), or toggles choice c (multi
 * items, which then stay current until wizard_next). Moves on after a single choice. */
bool wizard_choose(wizard *w, int c);
/* "Refused to answer" where the scale allows it. */
bool wizard_refuse(wizard *w);
/* Sets the typed answer of a text, number or date item; false with why when it does not fit (a number out
 * of range, a date that is not YYYY-MM-DD, too long, not valid UTF-8). Does not move on. */
bool wizard_type(wizard *w, const char *text, error *err);
/* What the field of the current (typed) question holds and was not entered: kept with the draft (wizard_to_json),
 * one field's at a time (the last one left with text); NULL, "" or the stored answer forgets this field's, as does
 * entering the answer. On a question without a field it does nothing. */
void wizard_keep_unentered(wizard *w, const char *text);
/* The text kept for the current question's field, or NULL when none (another question, or none kept). */
const char *wizard_unentered(const wizard *w);
/* The desk is leaving the intake (leaving), or has it open again: its next save marks the draft left, so no desk
 * has it open, or open. */
void wizard_mark_leaving(wizard *w, bool leaving);
/* True when the draft this wizard was resumed from was last saved by a desk leaving it. */
bool wizard_resumed_left(const wizard *w);
/* Whether text, typed at the current question, contradicts the interview's other answer about age: a date of birth
 * against the age item it names (form_item.age_item), or an age against a date of birth answered, by more than a
 * year. *given is the age in years, *by_date the age the date of birth gives today. wizard_type refuses such an
 * answer; a screen says it with these numbers. */
bool wizard_age_disagrees(const wizard *w, const char *text, int *given, int *by_date);
/* A phone number as a `format = phone` item takes it: digits, spaces, + - ( ) and nothing else, with
 * digits_min to digits_max digits. */
bool phone_number_valid(const char *text, int digits_min, int digits_max);
/* Moves to the next visible item (an optional item may be skipped); at the end of the last form, to the
 * first required question still unanswered, else to the review. False when the current item is required and
 * unanswered: nothing is ever recorded by moving on. */
bool wizard_next(wizard *w);
/* Back to the previous visible item (across forms); from the review, to the last question. */
bool wizard_back(wizard *w);
/* To item `item` of forms[pos] (the review's "change this answer"); false when that question is not shown
 * now or the intake is saved. Nothing is answered by going there. */
bool wizard_goto(wizard *w, int pos, int item);

/* Recomputes scores, the risk level with reasons, and the matches (called by every change). */
void wizard_recompute(wizard *w);
/* Safety steps. A set is due when its cause holds and it is not yet acknowledged: the red set the moment the
 * level becomes red; a set a fired rule names (bssa for the ASQ non-acute positive) once the interview has
 * left the forms the rule reads (the ASQ's outcome is known after its last question) or is at its review.
 * While one is due the screen shows it and nothing else goes on until it is acknowledged. */
bool wizard_needs_safety_steps(const wizard *w);
/* The set due now (red first), or -1. */
int wizard_safety_set(const wizard *w);
/* The channel from the configured channel item: which list of steps applies (unknown: show both). */
safety_channel wizard_channel(const wizard *w);
/* Acknowledges the set due now (for the audit: which set and channel, as "set=bssa channel=remote"). */
void wizard_safety_acknowledged(wizard *w);
void wizard_safety_describe(const wizard *w, char *buf, size_t size);

/* Answers an identity or language item from what is already known (the client's record, the language chosen
 * before the forms, the search just typed) without moving: value is the text, or the choice's code. False
 * when the form or item is not asked, the value does not fit it, or the item is a safety item. */
bool wizard_prefill(wizard *w, const char *form_id, const char *item_id, const char *value);

/* Notes the phone a returning client's record holds as the interview takes it up ("" for none; see record_phone). */
void wizard_note_record_phone(wizard *w, const char *phone);
/* True when the interview's intake-form phone is not empty and is not the one the record held when the interview
 * took it up (known: wizard_note_record_phone, kept in the draft): the worker changed it. same compares two phones
 * as the records do (digits only). */
bool wizard_phone_changed(const wizard *w, bool (*same)(const char *, const char *));

/* The typed answer of an item of the intake form by item id ("preferred_name", "phone", ...), or "". */
const char *wizard_text(const wizard *w, const char *form_id, const char *item_id);
/* The client's name for the record: the intake form's preferred_name, else an anonymous caller's name with
 * the short id (wizard_set_anonymous), else "". */
const char *wizard_client_name(const wizard *w);
/* The client's phone: the intake form's phone, else the hotline caller form's call-back number, else "". */
const char *wizard_client_phone(const wizard *w);
/* The hotline: the caller may stay anonymous. Gives the interview a short id a worker can call back by and
 * search for (kept in the draft), and the name "LABEL ID" the record gets when no name is given. */
void wizard_set_anonymous(wizard *w, const char *label);
/* The call-back number owed (hotline). An anonymous caller at [intake] callback_owed_at or above (orange: the
 * safety steps ask for a number to call back) without one may not be saved until the worker has asked: the
 * interview returns to the caller form's call-back question before the review (wizard_goto_missing), Enter
 * there no longer passes over it (wizard_next refuses), and wizard_ready is false. The number stays optional:
 * wizard_callback_none says the caller gave none (a key of its own, never Enter: a key that moves on must not
 * answer), kept in the draft; it moves on as Enter would. Said before the number is owed (the call's first
 * question), it passes over the question as Enter does, still owed if the level reaches callback_owed_at, but
 * holds no digit after it: the worker said there is no number, so a digit that follows is no number's (Enter
 * holds it for Enter: the hotline's quick screen was one key over its budget of 12 for it). Said on the question
 * after the field, while the phone guard holds for that field (Enter passed over it, nothing typed into it), it says
 * the same for the field and stays on the question, its digits no longer held for a number. */
bool wizard_callback_owed(const wizard *w);
/* True on the call-back question while it is owed. */
bool wizard_on_owed_callback(const wizard *w);
bool wizard_callback_none(wizard *w);
/* True when item `item` of form position `pos` is the call-back number the caller said they would not give. */
bool wizard_callback_given_none(const wizard *w, int pos, int item);
/* True when item `item` of the form at position pos takes its answer from an earlier form of the interview
 * (the same question: PHQ-2 items 1-2 in the PHQ-9): the interview passes over it. */
bool wizard_item_carried(const wizard *w, int pos, int item);

/* A digest of what the interview holds as answers (each answer, each typed text, "no call-back number"), so that a
 * desk can tell whether anything changed since its last save: not a secret's hash for anyone else (FNV-1a, kept in
 * the desk's memory only); positions, text not entered and the guards are not in it. */
uint64_t wizard_answers_digest(const wizard *w);

/* True when any question of the interview has an answer (a value or a refusal), but those marked in known (per
 * position, a bit per item; NULL for none): what the record or the search filled in is no answer given here, and an
 * interview with nothing else holds nothing worth keeping as a draft (picking a returning client and leaving kept
 * one under their name: twenty-third tryout). */
bool wizard_has_answers(const wizard *w, const uint64_t *known);

/* The interview is left (the worker leaves it for home, a lock, a crash): the question on screen was asked, and
 * unanswered it now counts as unanswered (a safety item as positive; ASQ question 5 after a positive as acute).
 * A resumed draft is read the same way (wizard_from_json), so the level is the same wherever it is shown. */
void wizard_interrupt(wizard *w);

/* A question owed by a resumed draft. A draft left at a question whose being unanswered is alone what makes its
 * level red (ASQ question 5 after a positive 1-4: acuity unknown, acute) resumes at that question: asking it is what
 * resolves the unknown. The level stays red until it is answered, and the red safety steps wait while it is on
 * screen, unanswered; they are due (as for any red level, and then kept) the moment it stays unanswered: refused,
 * passed over unasked (wizard_owed_skip: the caller has gone), moved away from, or the interview left again (the
 * draft remembers the question was offered once; resumed again, the steps come at once). Answered yes, acute as
 * ever; answered no, the level is what the answers give. wizard_from_json decides it; nothing is recorded by it. */
bool wizard_owed_pending(const wizard *w);
/* The question whose being left unanswered makes the level (the owed question, once offered: ASQ question 5 after
 * a positive) while it is still unanswered and current: its form (an index of e->forms) and its number as the
 * question line counts it (*number); -1 when none. Lists say why a draft is red ("RED · ASQ q5 not asked"). */
int wizard_owed_question(const wizard *w, int *number);
/* An interview left in memory (wizard_interrupt) taken up again: read as a resumed draft is (the owed question). */
void wizard_resume(wizard *w);
/* The worker cannot ask the owed question (the caller has gone): the red steps are due now; nothing is recorded. */
void wizard_owed_skip(wizard *w);

/* The reason the saved level is above what the answers give ([intake] kept_level.reason.LANG: a higher level was
 * shown during the interview, its steps acknowledged), as the saved assessment and the queue list it; NULL when the
 * kept level raises nothing. */
const char *wizard_kept_reason(const wizard *w, lang l);

/* The draft: everything needed to resume, as JSON text (malloc'd; wipe and free it). */
char *wizard_to_json(const wizard *w);
bool wizard_from_json(wizard *w, const engine *e, const char *text, error *err);

/* The record forms' choice and number answers (channel, age, ...), as stored in the intake body. */
json_t *wizard_record_json(const wizard *w);
/* The intake body to store: the assessment input and result, built as every way in builds it
 * (intake_body_build). */
json_t *wizard_result_json(const wizard *w, lang ui);
/* True at the review with every required question of every form asked answered (or refused): the only
 * state an interview is saved from. */
bool wizard_ready(const wizard *w);
/* Moves to the first required question still unanswered (false when there is none). */
bool wizard_goto_missing(wizard *w);

#endif
