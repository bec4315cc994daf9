/* The staff interface in English and Simplified Chinese. Questionnaire text comes from the forms; these
 * are the screens' own words. */
#include <string.h>

#include "ui.h"

static lang current = LANG_EN;

void ui_set_lang(lang l) { current = l; }
lang ui_lang(void) { return current; }

static const struct {
    const char *key, *en, *zh;
} strings[] = {
    {"app", "triage", "triage 分诊"},
    {"demo", "DEMO DATA", "演示数据"},
    {"too_small", "Please enlarge the terminal to at least 80 x 24.", "请把终端窗口放大到至少 80 x 24。"},
    {"login_title", "Log in", "登录"},
    {"user", "User name", "用户名"},
    {"passphrase", "Passphrase", "口令"},
    {"login_hint", "Tab: next field   Enter: log in   F2: 中文 / English   Esc: quit",
     "Tab：下一栏   Enter：登录   F2：English / 中文   Esc：退出"},
    {"home_title", "Front desk", "前台"},
    {"queues", "Queues", "队列"},
    {"overdue", "overdue", "已逾期"},
    {"open", "open", "待处理"},
    {"red_banner", "RED ALERT: a client needs attention now", "红色警报：有来访者需要立即处理"},
    {"home_new", "n  New intake", "n  新的接案"},
    {"home_resume", "r  Resume the unfinished intake", "r  继续未完成的接案"},
    {"home_help", "?  Help      q  Quit", "?  帮助      q  退出"},
    {"find_title", "Find the client", "查找来访者"},
    {"find_hint", "Type a name or phone and press Enter to search; Enter on an empty line starts a new client.",
     "输入姓名或电话后按 Enter 搜索；空白时按 Enter 新建来访者。"},
    {"found_pick", "1-9: this client   N: a new client   Esc: change the search",
     "1-9：选择此来访者   N：新建来访者   Esc：修改搜索"},
    {"found_none", "No client found: N creates a new one.", "没有找到：按 N 新建来访者。"},
    {"lang_title", "The client's language", "来访者的语言"},
    {"lang_hint", "1  English        2  简体中文", "1  English        2  简体中文"},
    {"question", "Question", "问题"},
    {"of", "of", "/"},
    {"wiz_hint", "digits: answer  Enter: next  Esc: back  r: refused  Ctrl-S: save  ?: help",
     "数字：作答  Enter：下一题  Esc：上一题  r：拒答  Ctrl-S：保存  ?：帮助"},
    {"type_hint", "Type the answer, Enter to go on (empty: skip if optional)", "输入回答，按 Enter 继续（可选题可留空）"},
    {"multi_hint", "digits: tick or untick, Enter when done", "数字：勾选或取消，完成后按 Enter"},
    {"panel", "Live assessment", "实时评估"},
    {"level", "Risk level", "风险等级"},
    {"reasons", "Why", "原因"},
    {"no_reasons", "No rule fired (so far).", "（目前）没有触发任何规则。"},
    {"matches", "Suggested counselors", "建议的咨询师"},
    {"no_match", "No counselor fits: a person must match by hand.", "没有合适的咨询师：需要人工匹配。"},
    {"answered", "answered", "已答"},
    {"provisional", "provisional", "暂定"},
    {"safety_title", "RED: SAFETY STEPS NOW", "红色：立即执行安全措施"},
    {"safety_ack", "Enter: I have read these steps and am acting on them", "Enter：我已阅读并正在执行这些步骤"},
    {"review_title", "Review, then save", "核对后保存"},
    {"review_hint", "Ctrl-S or Enter: save   Esc: back to the questions", "Ctrl-S 或 Enter：保存   Esc：返回问题"},
    {"no_consent", "The client has not consented to storing the record: it cannot be saved.",
     "来访者未同意保存记录：不能保存。"},
    {"saved_title", "Saved", "已保存"},
    {"deadline", "Deadline", "期限"},
    {"suggested", "Suggested counselor", "建议的咨询师"},
    {"saved_hint", "Enter: back to the front desk   d: the client declined the suggestion",
     "Enter：返回前台   d：来访者拒绝了建议的咨询师"},
    {"decline_why", "Why did the client decline? (Enter records it, Esc cancels)", "来访者为什么拒绝？（Enter 记录，Esc 取消）"},
    {"declined", "Recorded: the client declined the suggestion.", "已记录：来访者拒绝了建议。"},
    {"declined_by_hand", "Three declines in a row: the client goes to a person for matching.",
     "连续三次拒绝：将由工作人员人工匹配。"},
    {"k_decline", "record that the client declined the suggested counselor", "记录来访者拒绝了建议的咨询师"},
    {"quit_confirm", "Quit? The unfinished intake is kept as a draft. y / n", "退出？未完成的接案会保存为草稿。y / n"},
    {"help_title", "Keys", "按键"},
    {"help_close", "Any key closes this help.", "按任意键关闭帮助。"},
    {"k_move", "move between fields and choices", "在栏位和选项之间移动"},
    {"k_move_back", "move back between fields and choices", "在栏位和选项之间向回移动"},
    {"k_redraw", "redraw the screen", "重绘屏幕"},
    {"k_enter", "choose, go on, log in", "选择、继续、登录"},
    {"k_esc", "go back", "返回"},
    {"k_digits", "answer a scale question directly", "直接回答量表题"},
    {"k_refuse", "record that the client refused to answer (where allowed)", "记录来访者拒答（如允许）"},
    {"k_save", "save (the review page)", "保存（核对页）"},
    {"k_help", "this help", "本帮助"},
    {"k_quit", "quit (asks when something is unsaved)", "退出（有未保存内容时会确认）"},
    {"k_lang", "switch the staff interface language", "切换界面语言"},
    {"k_new", "new intake", "新的接案"},
    {"k_resume", "resume the unfinished intake", "继续未完成的接案"},
    {"idle_locked", "Locked after inactivity: log in to continue.", "因闲置已锁定：请登录继续。"},
    {"draft_resumed", "Unfinished intake resumed.", "已继续未完成的接案。"},
    {"level_red", "RED", "红色"},
    {"level_orange", "ORANGE", "橙色"},
    {"level_yellow", "YELLOW", "黄色"},
    {"level_green", "GREEN", "绿色"},
    {"refused", "refused", "拒答"},
    {"new_client", "new client", "新来访者"},
};

const char *tr(const char *key) {
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        if (strcmp(strings[i].key, key) == 0) return current == LANG_ZH ? strings[i].zh : strings[i].en;
    return key;
}
