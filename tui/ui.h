/* The terminal front desk: shared types of the screens, the event loop, input and drawing. Screens hold
 * no SQL and no keys: they call the core (sessions, records, queues, the wizard model). */
#ifndef TRIAGE_UI_H
#define TRIAGE_UI_H

#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/curses.h>
#include <stdbool.h>
#include <wchar.h>

#include "error.h"
#include "drafts_at_risk.h"
#include "engine.h"
#include "intake_finish.h"
#include "queue_items.h"
#include "record_view.h"
#include "records.h"
#include "session.h"
#include "wizard.h"

/* ---- input: the keyboard, or a script through the same path (TRIAGE_SCRIPT) ---- */
/* EV_INTERRUPT: Ctrl-C, which asks before it leaves an open intake (EV_QUIT: a kill, a hang-up, a script's end) */
typedef enum { EV_NONE, EV_KEY, EV_CHAR, EV_RESIZE, EV_TICK, EV_QUIT, EV_INTERRUPT } event_kind;
typedef struct {
    event_kind kind;
    int key;    /* EV_KEY: a curses KEY_* code or a control character (27 Esc, 10 Enter, 9 Tab, 19 Ctrl-S) */
    wchar_t ch; /* EV_CHAR: a printable character */
} event;

#define K_ESC 27
#define K_ENTER 10
#define K_TAB 9
#define K_CTRL_S 19
#define K_CTRL_L 12

bool input_open_script(const char *path, error *err);
/* The next event: a key, a resize (SIGWINCH/SIGCONT), a tick once a second, or EV_QUIT at the end of a
 * script. Script lines: `type TEXT`, `key NAME`, `dump FILE`, `resize COLS ROWS`, `tick`, `advance SECONDS` (moves the
 * script's clock on, then ticks), `burst TEXT` (after its first character 5 ms a character; other keys come a second apart),
 * `# comment`. */
event input_next(void);
/* When the last key arrived, in milliseconds on a monotonic clock (a script's own clock in a script). */
int64_t input_key_ms(void);
/* Whether another key arrives within ms of the last one (waits at most ms; the key stays to be read): a number typed
 * in one go is not a key that picks. In a script: the next character of a `burst` line. */
bool input_more_soon(int ms);
/* The same, giving the key that comes (its first byte, a curses KEY_* code, or in a script its character), or
 * INPUT_NONE_SOON: a letter right behind a step key is a word typed, an Enter its deliberate answer. */
#define INPUT_NONE_SOON (-1)
int input_next_soon(int ms);
/* Writes the screen as plain text (for scripted tests). */
bool screen_dump(const char *path);

/* ---- terminal ---- */
/* Sets up curses (UTF-8, falling back to C.UTF-8), colours unless no_color; headless for scripts. Installs
 * handlers so that every exit path, fatal signals included, restores the terminal. */
bool term_start(bool headless, bool no_color, error *err);
void term_stop(void);
bool term_has_color(void);
/* After Ctrl-C, SIGTERM or a hang-up ended the main loop (the intake kept, the terminal restored): ends the process
 * by that signal, so that its exit status says so. Returns when none came. */
void term_end_as_signalled(void);
/* Takes a pending Ctrl-C as an event (true once per press); term_quit_interrupted() then makes the program end as
 * Ctrl-C ends one (exit 130), when the desk leaves on it. */
bool term_take_interrupt(void);
void term_quit_interrupted(void);

/* ---- drawing ---- */
typedef enum { C_NORMAL, C_TITLE, C_DIM, C_HILITE, C_RED, C_ORANGE, C_YELLOW, C_GREEN, C_ERROR, C_DEMO, C_COUNT } color_role;
void theme_init(bool color);
attr_t theme(color_role r);
color_role level_color(risk_level l);
/* Draws UTF-8 text at (y, x) within width columns (Chinese counts two); returns the columns used. */
int draw_text(int y, int x, int width, const char *utf8, attr_t attr);
/* Wraps text into the box; returns the lines used. */
int draw_wrapped(int y, int x, int width, int max_lines, const char *utf8, attr_t attr);
/* How many lines draw_wrapped would take for the whole text. */
int wrapped_lines(int width, const char *utf8);
/* As draw_wrapped, for a line that starts with its key and two spaces ("r  Resume ..."): the lines after the
 * first start under the text, not under the key (they began under the key: thirteenth tryout). */
int draw_wrapped_hanging(int y, int x, int width, int max_lines, const char *utf8, attr_t attr);
int draw_hints(int y, int x, int width, int max_lines, const char *utf8, attr_t attr); /* key hints: broken between hints */
int hints_lines(int width, const char *utf8);
int text_width(const char *utf8);
/* The text cut (with an ellipsis) or padded with spaces to exactly cols screen columns: columns of a list
 * stay aligned whatever the script (a Chinese character takes two). */
void text_fit(char *out, size_t size, const char *utf8, int cols);
/* As text_fit, but a text too long is cut where a line may break (after a word, never inside one: "ASQ acute
 * positi" at 80 columns), then the ellipsis. */
void text_fit_words(char *out, size_t size, const char *utf8, int cols);
/* The first line of the text that fits in cols columns (into out); returns the rest ("" at the end). */
const char *text_take(const char *utf8, int cols, char *out, size_t size);
void draw_box_title(int y, int x, int h, int w, const char *title);

/* ---- strings of the staff interface ---- */
const char *tr(const char *key); /* in the current UI language; the key itself when unknown */
const char *client_name_tr(const char *stored); /* an anonymous caller's record name in the screen's language */
/* When a search names the anonymous caller's label in either language (a word of it, "匿名", "来电者", the whole label),
 * the first word of each label, the searches that find such a record whichever desk saved it (its name is the label
 * in that desk's language and the caller id): en and zh, each of size bytes; for the label and a caller id, the id
 * alone in en (zh empty). False otherwise. */
bool anonymous_label_query(const char *query, char *en, char *zh, size_t size);
const char *level_tr(risk_level l); /* "RED", "红色" */
void denied_tr(char *msg, size_t size); /* "denied: a receptionist may not ..." in the staff language */
const char *state_tr(queue_state st); /* "acknowledged", "已确认收到" */
const char *role_tr(staff_role r);    /* "reception", "前台" */
/* A queue rule's refusal in the staff language into out (tui/queue_refusal.c), counselors by name from a's roster;
 * false when r names none. */
struct app;
bool queue_refusal_said(const struct app *a, const queue_refused *r, char *out, size_t size);
/* The time left to an item's deadline (or overdue by), in the staff language ("23h 59m left", "剩余 23小时 59分"). */
void remaining_tr(const queue_item *it, int64_t now, char *buf, size_t size);
void ui_set_lang(lang l);
lang ui_lang(void);

#include "layout.h"

/* ---- the application ---- */
typedef enum {
    SCR_LOGIN,
    SCR_HOME,
    SCR_FIND,
    SCR_LANG,
    SCR_WIZARD,
    SCR_REVIEW,
    SCR_SUMMARY,
    SCR_QUEUE,
    SCR_RECORD,
    SCR_ROSTER,
    SCR_STAFF,
    SCR_REPORT,
    SCR_COUNT
} screen_id;

/* The queue screen's tabs: one per level, then the overdue items and those to be matched by hand. */
typedef enum { QT_RED, QT_ORANGE, QT_YELLOW, QT_GREEN, QT_OVERDUE, QT_BY_HAND, QT_COUNT } queue_tab;

/* What a key on the queue screen is waiting for before it becomes a request. */
/* QP_STEP: a one-key step (acknowledge, a decline) asked again, naming the client: Enter takes it.
 * QP_CONTACT: a contact attempt asks whether it reached the client, 1 or 2 (Enter is neither). */
typedef enum { QP_NONE, QP_LEVEL, QP_REASON, QP_COUNSELOR, QP_OUTCOME, QP_FILTER, QP_STEP, QP_CONTACT } queue_prompt;

#define QUEUE_PAGE_MAX 64

typedef struct {
    queue_tab tab;
    char filter[64];           /* an id prefix, or a name or phone (looked up through the blind index) */
    bool filter_by_client;     /* the filter is a name or phone: items of the clients found */
    bool filter_search;        /* the name or phone is to be looked up (once: a search is audited) */
    char (*filter_clients)[STORE_ID_LEN]; /* the clients it found, re-read when the database changes */
    int n_filter_clients;
    queue_item items[QUEUE_PAGE_MAX];
    queue_row_view views[QUEUE_PAGE_MAX];
    int n, offset, sel, page; /* the rows read, the first row's place in the tab, the selected row, rows that fit */
    int total;                 /* rows in the tab (or found by the filter) */
    /* the selected item's history (who did what and when) */
    queue_history_entry *hist;
    int n_hist;
    char hist_of[STORE_ID_LEN];
    int64_t hist_updated;
    /* a request being put together */
    queue_prompt prompt;
    queue_request rq;
    char item_id[STORE_ID_LEN];
    char reason[256];
    char declining_whom[65]; /* a decline's counselor (rq.counselor): the one assigned, or the intake's suggestion */
    int choice;
    counselor_rec *counselors;
    int n_counselors;
    char declined_row[QUEUE_DECLINED_MAX]; /* the assign list: whom this client declined in the row (core's read) */
    char suggested[65];                    /* the assign list: the intake's suggestion not yet declined, or "" */
    /* the item a step was just taken on: the selection stays on it, or on none when it left the list (it went
     * to the next client, and a key typed at once acted on them: seventeenth tryout) */
    char stepped[STORE_ID_LEN];
    int64_t last_key_ms; /* when the key before this one arrived (or the screen opened): a step key faster than a
                          * person decides is held (queue_handle) */
    int64_t typing_until; /* a letter the list has no use for was typed: step keys are held until then */
    /* ...and the word it began goes on until a key that is no character ends it (Enter, taken as its end and doing
     * nothing; an arrow) or a minute passes: "Mari", four seconds of thought, "a" and Enter acknowledged a RED client
     * once the hold had run out (forty-first receptionist) */
    int64_t word_until;
} queue_screen;

/* A screen of text lines that scrolls (the client record). */
typedef struct {
    char *text;
    int attr; /* a color_role */
} view_line;

/* Adds a formatted line; frees (and wipes) every line. */
void view_add(view_line **lines, int *n, int attr, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void view_clear(view_line **lines, int *n);

typedef struct {
    client_record rec;
    bool open;
    view_line *lines;
    int n_lines, top;
    int built_w;             /* the width its lines were wrapped to: built again when the terminal's changes */
    char want[STORE_ID_LEN]; /* the client to open (set before entering) */
    screen_id back;          /* where Esc goes */
} record_screen;

/* A small form of text fields (roster and staff editors). */
#define FORM_FIELDS_MAX 10
typedef struct {
    const char *label; /* a string key for tr() */
    char value[1024];
    bool secret;       /* drawn as stars; wiped after use */
} edit_field_t;

typedef struct {
    bool active;
    int kind; /* what the form edits: screen-specific */
    edit_field_t f[FORM_FIELDS_MAX];
    int n, at;
} field_form;

typedef struct {
    counselor_rec *list;
    int n, sel, top;
    int *caseload; /* live: open items assigned, per counselor */
    field_form form;
} roster_screen;

typedef struct {
    staff_rec *list;
    int n, sel, top;
    field_form form;
    bool role_prompt; /* choosing a new role for the selected member */
} staff_screen;

typedef struct {
    field_form form; /* the date range: from, to (YYYY-MM-DD) */
    view_line *lines;
    int n_lines, top;
    char k_text[16]; /* "<5": a group under the k floor */
} report_screen;

/* What every desk shares, polled once a second: the database's change_counter (it changes whenever another
 * connection commits), the counts of the queues, and the red items seen so far (a new one rings the bell). */
typedef struct {
    int64_t change_counter, local_changes;
    bool known;
    queue_counts_rec counts;
    int red_unacknowledged;
    /* unsaved drafts the trail marks RED (drafts_marked_red): all of them, and those but the one on this
     * desk's screen (its worker sees its level); the banner counts them beside the queue's red items */
    int red_drafts, red_drafts_others;
    bool red_new;
    int retention_drafts, retention_clients; /* due for erasure ([retention]); shown to supervisors */
    int64_t retention_at;                     /* when they were counted (0: not yet) */ /* a red item appeared since this desk last looked at the red queue */
    int bells;
    int64_t last_poll_ms;
    bool unreadable; /* the last poll failed (e.g. the file was replaced): said once, not every second */
    bool restored_out; /* a restore happened under this session: it writes nothing more, the desk logs out */
} live_state;

/* ---- keys: one table drives dispatch, the help overlay and the man page's key list ---- */
typedef enum {
    UA_NONE, /* not a bound key: text for a field, or nothing */
    UA_NEXT,
    UA_PREV,
    UA_CHOOSE,
    UA_BACK,
    UA_DIGIT, /* 1-9 (0 on a question): answer or pick directly */
    UA_REFUSE,
    UA_SAVE,
    UA_DECLINE,
    UA_NEW,
    UA_RESUME,
    UA_LANG,
    UA_HELP,
    UA_QUIT,
    UA_REDRAW,
    UA_QUEUES,     /* home: the escalation queues */
    UA_RECORDS,    /* home: find a client's record */
    UA_ROSTER,     /* home: the counselor roster (supervisors) */
    UA_STAFF,      /* home: staff (supervisors) */
    UA_TAB_NEXT,   /* queue tabs */
    UA_TAB_PREV,
    UA_PAGE_DOWN,
    UA_PAGE_UP,
    UA_FIRST, /* Home: the first row of a list */
    UA_LAST,  /* End: the last row */
    UA_FILTER,
    UA_ACK,
    UA_CONFIRM,
    UA_RAISE,
    UA_ASSIGN,
    UA_CONTACT,
    UA_CLOSE,
    UA_AVAILABLE, /* roster: available or not */
    UA_LOCK,      /* staff: lock or unlock */
    UA_RESET,     /* staff: a new passphrase */
    UA_ROLE,      /* staff: change role */
    UA_REPORTS,   /* home: the KPI reports (clinicians, supervisors) */
    UA_TICK,      /* a question: choose or tick the highlighted option (Space) */
    UA_LEAVE,     /* the intake: back to the front desk, keeping its draft where it stopped */
    UA_LOGOUT,    /* every screen after login: end the session (an unfinished intake stays a draft) */
    UA_DISCARD,   /* home: discard the unfinished intake (asks first; audited) */
    UA_EDIT,      /* the review: change the highlighted answer */
    UA_HOTLINE,   /* home: a phone or online call, the hotline's quick path */
    UA_NO_CALLBACK /* the wizard: an anonymous caller gives no call-back number (when one is owed) */
} ui_action;

typedef struct {
    ui_action act;
    const char *keys;  /* as shown in the help and the man page */
    const char *help;  /* a string key for tr() */
    unsigned screens;  /* bit mask of screen_id; 0 = everywhere */
    bool in_text;      /* also while a text field takes the typing (else the character is text) */
    int codes[3];      /* curses key codes or control characters */
    wchar_t chars[3];  /* printable characters */
} key_action;
extern const key_action key_actions[];
extern const int n_key_actions;
/* The action of an event on a screen; typing: a text field takes printable characters. */
ui_action key_action_for(screen_id screen, bool typing, const event *ev);
/* A string of the staff interface (tr) whose key names come from the key table: "{queues}  Escalation
 * queues" shows the key bound to UA_QUEUES ("e  Escalation queues"); "{next.2}" its second key ("Down"),
 * named in the staff language ("下" in Chinese). Every hint and help line that names a key is written so. */
const char *keyed(const char *key);
const char *keyed_text(const char *text); /* the same over a text that is not a message key (config.ini) */
/* The which-th key (from 1) of an action as the key table names it, in the staff language ("Esc"). */
const char *key_of(ui_action act, int which);


/* ---- what a handler asks of the loop (as htop's reactions): the loop alone switches and draws ---- */
typedef enum {
    RE_REDRAW,  /* draw again (every turn draws once) */
    RE_REPAINT, /* the terminal may show garbage: repaint every cell */
    RE_RELOAD,  /* the open screen's data changed: load it again, then draw */
    RE_SWITCH,  /* leave this screen, enter `to` */
    RE_OPEN,    /* enter `to` over this screen, which stays as it is (the record over the queue) */
    RE_RETURN,  /* leave this screen and go back to `to` as it was (no enter; it loads again) */
    RE_ASK_QUIT,    /* ask before quitting (an unfinished intake waits) */
    RE_ASK_DISCARD, /* ask before discarding the unfinished intake */
    RE_ASK_GONE,    /* the intake's draft went at another desk: keep this desk's answers as a new draft, or not */
    RE_QUIT
} reaction_kind;

typedef struct {
    reaction_kind kind;
    screen_id to;
} reaction;

static inline reaction react(reaction_kind k) { return (reaction){k, SCR_LOGIN}; }
static inline reaction switch_to(screen_id s) { return (reaction){RE_SWITCH, s}; }

/* ---- the state of each screen ---- */
typedef struct {
    char name[65], pass[256];
    int field; /* 0 the user name, 1 the passphrase */
} login_screen;

typedef struct {
    bool new_confirm; /* n pressed once while an unfinished intake waits: a second n starts another */
    ui_action new_confirm_act; /* ...n (UA_NEW) or h (UA_HOTLINE): only it again, or Esc, is taken meanwhile */
    bool new_held;             /* ...and another key came first (a name typed): only Esc is taken now */
    draft_at_risk *at_risk; /* unsaved drafts at a guarded level, any worker's (the core decides which) */
    int n_at_risk;
    my_draft *mine; /* every unfinished intake of this worker, newest first: r lists them when there are two */
    int n_mine;
    bool picking;   /* r pressed with two or more: a digit picks one */
    bool picking_discard; /* ... and it was x: the one picked is discarded (asking first), not resumed */
    int pick_page;        /* ... showing drafts pick_page*9+1 to +9 (r or PgDn turns the page) */
} home_screen;

/* Where the search for a client stands. */
typedef enum {
    FIND_TYPING,     /* the search text is being typed */
    FIND_NONE_FOUND, /* searched, nobody found */
    FIND_PICKING     /* searched, a list to pick from */
} find_mode;

typedef struct {
    char query[128];
    client_plain *found;
    int n_found;
    find_mode mode;
    bool for_record; /* opens a record instead of starting an intake */
    int sel;         /* the highlighted result (Up/Down), -1 for none: a record search starts on the first */
} find_screen;

/* The highlighted option of a question; none at first, so that no key takes a default for an answer. */
typedef struct {
    bool on;
    int at;
} highlight;

/* The intake in progress (the language, question, review screens share it). */
typedef struct {
    wizard *w;
    bool active;
    char typed[WIZARD_TEXT_MAX];
    highlight choice;
    match_result matches; /* the panel's suggestions, ranked once per change (by load), not once per draw */
    bool matches_stale;
    int review_sel, review_top; /* the review's highlighted answer (a row), and its first row shown */
    int review_w;               /* the width the review was drawn at (its rows depend on it) */
    bool back_to_review;        /* an answer changed from the review: once it is given, back to the review */
    int jumped_pos, jumped_item;
    int panel_top;              /* the live panel's first line shown below its level (PgDn scrolls) */
    char field_error[400];      /* what the typed answer must be, shown beside the field */
    uint64_t given[WIZARD_MAX_FORMS]; /* per form, the items known already (not asked again) */
    bool q_warned;              /* a lone "q" was about to be kept as an answer: said once, Enter again keeps it */
    bool carried;               /* the search text was carried into this question: the first key replaces it */
    int carried_pos, carried_item;
    bool searched;              /* ...and stays so for this intake: still the search's text there, it is no answer */
    /* a returning client's language on record, its screen not shown (it was asked in every intake: issue 14); Esc
     * before the first question goes back to it */
    bool lang_from_record;
    /* a returning client's open queue item's level as the intake began or resumed, -1 for none: said under the
     * header while above this intake's level (a client in the RED queue showed GREEN all through: tryout 24) */
    int queue_level;
    /* an answer refused as typed (a date of birth that disagrees with the age): kept for its question, so that the
     * worker who goes back to correct the other one finds it there again (it was lost: twentieth tryout) */
    char held[WIZARD_TEXT_MAX];
    int held_pos, held_item;
    /* a new client's phone that is on record for other clients: who they are (said under the header for as long as
     * the number stands), and the number they were looked up for (looked up again only when it changes) */
    char same_phone[400];
    char same_phone_short[400]; /* the same in one line past the intake form on a short screen: whole at 80 columns */
    char phone_looked_up[WIZARD_TEXT_MAX];
    int64_t saved_at;           /* when this desk last saved the open intake's draft (the heartbeat counts from it) */
    bool save_failed;           /* the message on screen is a failed save's (a later save clears it, nothing else) */
    uint64_t saved_digest;      /* wizard_answers_digest at this desk's last save or read of the draft */
    char saved_here[8][STORE_ID_LEN]; /* drafts this desk saved: resuming one is not "open at another desk" */
    unsigned char saved_tag[8][DRAFT_TAG_BYTES]; /* ...as this desk last wrote them: saved since by another desk, it is */
    int n_saved_here;
    /* two desks of one worker on one draft: said in the header for as long as this intake is open here (the
     * warning went with the next key, like any message: tryout) */
    bool open_elsewhere; /* resumed while probably open at another desk */
    bool peek;           /* taken up only to be asked about (x): not saved again, so its time and place in the lists
                          * stay (kept after the question, it moved up the list: seventeenth tryout) */
    bool gone;           /* its draft is no longer in the database (saved, discarded or erased there) */
} intake_state;

typedef struct {
    char intake_id[STORE_ID_LEN];
    queue_item item;
    bool declining; /* asking why the client declined the suggestion */
    /* asking whether to record a decline at all (d, then Enter): a name typed on the summary, "dai" then Enter,
     * recorded a decline of a RED client with "ai" as its reason (forty-second receptionist) */
    bool decline_asked;
    /* a word typed on the summary ("Ahmed", whose d asked the question and whose Enter, in the same burst, answered
     * it: forty-third receptionist): its letters, d too, are typing until Enter or a minute ends it; and the question's
     * Enter counts only after a person's pause */
    int64_t word_until, asked_ms;
    char reason[WIZARD_TEXT_MAX];
    /* whom a decline names now (the core's: the counselor assigned, or the best suggestion this row of declines has
     * not named), "" for nobody; read on arriving and after each decline */
    char whom[65];
    int n_declined; /* declined here */
    bool phone_changed; /* the returning client's phone on record was replaced by the one changed at the desk */
} summary_screen;

/* A question asked before something is done that cannot be undone. */
typedef enum { ASK_NONE, ASK_QUIT, ASK_DISCARD, ASK_GONE } ask_kind;

typedef struct app {
    engine *e;
    database *db;
    session *s;
    screen_id screen;
    bool help;   /* the overlay of keys */
    int help_top; /* its first entry shown: it scrolls when it does not fit (80x24) */
    ask_kind ask; /* a yes/no question over the screen */
    char ask_typed[16]; /* a guarded draft's discard: the word typed to confirm it */
    bool quit, demo;
    bool reload; /* the open screen reads its data again before the next draw */
    char message[2048]; /* a replaced-file refusal names the path six times and says what to do last */
    bool message_error;
    bool message_fresh; /* set during this event: it is about where the event leads, so a switch keeps it */
    int64_t last_key;
    int idle_minutes;
    /* an idle lock remembers which restored content its session saw, so that the next login says when a
     * restore happened while the desk stood locked (what was saved before it may be gone) */
    bool locked_idle;
    int64_t locked_restore_generation;
    login_screen login;
    home_screen home;
    find_screen find;
    intake_state in;
    summary_screen sum;
    queue_screen q;
    record_screen rec;
    roster_screen ros;
    staff_screen stf;
    report_screen rep;
    live_state live;
} app;

void app_message(app *a, bool is_error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- one table of screen operations (as tig's view ops) ----
 * enter: prepares the screen (may refuse, e.g. a role that may not see it: false, with a message);
 * load: reads what the screen shows from the database (only here: draw never reads it);
 * draw: paints from memory; handle: one event with its action from the key table, returns a reaction;
 * leave: forgets and wipes what the screen held; typing: a text field takes printable characters now.
 * Any of enter, load, leave, typing may be NULL. */
typedef struct {
    const char *name;
    bool (*enter)(app *a);
    void (*load)(app *a, const layout *l);
    void (*draw)(app *a, const layout *l);
    reaction (*handle)(app *a, const event *ev, ui_action act);
    void (*leave)(app *a);
    bool (*typing)(const app *a);
} screen_ops;

extern const screen_ops login_ops, home_ops, find_ops, lang_ops, wizard_ops, review_ops, summary_ops, queue_ops,
    record_ops, roster_ops, staff_ops, report_ops;
const screen_ops *screen_ops_of(screen_id s);

void help_draw(app *a, const layout *l);
/* A saved reason in the staff language: its rule's text from the rule data now, else the text as saved. */
const char *stored_reason(const app *a, const char *rule, const char *stored, bool remote);
/* How far a key scrolls the help (Down/j 1, Up/k -1, PgDn 5, PgUp -5); 0: the key closes it. */
int help_scroll_step(const event *ev);
/* The red banner on every screen while a red item waits for a person; returns the rows it used. */
int live_banner(app *a, int y, int width);

/* Edits a UTF-8 text buffer with one event (a character, or Backspace); true when it changed. */
bool edit_field(char *buf, size_t size, const event *ev);

/* Saves the unfinished intake as a sealed draft (after every answer). */
bool intake_autosave(app *a);
/* Whose intake, for a screen: the client's name, or an anonymous caller's words in the staff language with the id. */
const char *intake_display_name(const app *a);
/* The clock's tick: an open intake's draft is saved again every DRAFT_HEARTBEAT_SECONDS, so that another desk
 * resuming it can tell that it is open here. */
void intake_heartbeat(app *a); /* false when nothing was saved (the message says why) */
/* Resumes the unfinished intake kept as a draft (after login): where it goes, or home when there is none. */
reaction intake_resume(app *a);
/* One of the worker's drafts by id (home's list of them). */
bool intake_drop_if_all_saved(app *a); /* a copy gone at another desk with nothing unsaved: set aside */
reaction intake_resume_id(app *a, const char *id);
/* The intake left in memory taken up again (r): read as a resumed draft is (wizard_resume). */
reaction intake_resume_open(app *a);
/* A form's short name ("PHQ-9"). */
void form_short_title(const form *f, char *buf, size_t size);
/* Starts the hotline's quick path: an anonymous caller ([intake] hotline_forms). */
reaction intake_begin_hotline(app *a);
/* The screen an unfinished intake continues on (its questions, or its review). */
screen_id intake_screen_now(const app *a);
/* A time as the local date and clock ("2026-12-06 18:41"). */
void format_time(int64_t t, char *buf, size_t size);
/* A counselor by name (the roster's), the code only when the roster no longer has them. */
const char *counselor_name(const app *a, const char *code);
/* The desk leaves the intake in memory (a quit, a logout, the idle lock): dropped when another desk took it up with
 * everything of it saved; else its next save marks the draft left (no "may be open at another desk" after it). */
void intake_leaving(app *a);
/* Forgets the intake in memory (its draft stays in the database). */
void intake_drop(app *a);
/* Whose intake: the client's name, or "anonymous caller" and a short id; with the channel when known. */
void intake_whose(const app *a, char *buf, size_t size);
/* Where it stopped: "PHQ-9, question 5 of 10" (or "review"). */
void intake_where(const app *a, char *buf, size_t size);
/* Discards the unfinished intake for good (the worker said yes): deleted and audited by the core. */
void intake_discard(app *a);
/* The open intake's draft went at another desk: its answers kept as a new draft (audited by the core), or left. */
bool intake_keep_copy(app *a);
void intake_leave_gone(app *a);

/* Opens the client's record screen over the current one (audited); Esc returns to it. */
reaction record_open(app *a, const char *client_id);

/* After every key: when the database changed (another desk's commit moves change_counter, this desk's own
 * its change counter), re-reads the counts, rings the bell for a new red item, and marks the open screen
 * for re-reading. Cheap when nothing changed: one read of the change counter. */
void live_poll(app *a, bool force);
/* Once a second: escalates what fell overdue (a read of the items due; no lock when none is), then polls. */
void live_tick(app *a);
/* "2026-11-24 14:02  desk  confirm  open->confirmed  yellow->orange: reason" */
/* One step of an item's history as a line; a decline names whom, by name and code ("declined Li Na (c01): ..."). */
void queue_history_line(const app *a, const queue_history_entry *h, char *out, size_t size);
void live_free(app *a);
/* Forgets what belonged to the session that ended (the retention counts). */
void live_logout(app *a);

/* The small field forms (roster, staff). */
void field_form_draw(const field_form *f, int y, int x, int width);
/* One event into the current field; true when it was used. */
bool field_form_handle(field_form *f, const event *ev, ui_action act);
void field_form_clear(field_form *f);

int run_tui(engine *e, database *db, const char *user, bool headless, bool no_color, bool demo);

#endif
