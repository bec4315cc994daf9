/* The staff interface in English and Simplified Chinese. Questionnaire text comes from the forms; these
 * are the screens' own words. */
#include <stdio.h>
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
    {"demo_login", "DEMO DATA: users demo (supervisor) and desk (reception), passphrase demo-passphrase",
     "演示数据：用户 demo（主管）和 desk（前台），口令 demo-passphrase"},
    {"too_small", "Please enlarge the terminal to at least 80 x 24.", "请把终端窗口放大到至少 80 x 24。"},
    {"login_title", "Log in", "登录"},
    {"user", "User name", "用户名"},
    {"passphrase", "Passphrase", "口令"},
    {"login_hint", "{next}: next field   {choose}: log in   {lang}: 中文 / English   {back}: quit",
     "{next}：下一栏   {choose}：登录   {lang}：English / 中文   {back}：退出"},
    {"home_title", "Front desk", "前台"},
    {"queues", "Queues", "队列"},
    {"overdue", "overdue", "已逾期"},
    {"open", "open", "待处理"},
    {"red_banner", "RED ALERT: a client needs attention now", "红色警报：有来访者需要立即处理"},
    {"home_new", "{new}  New intake",
     "{new}  新的接案"},
    {"home_resume", "{resume}  Resume the unfinished intake:",
     "{resume}  继续未完成的接案："},
    {"home_discard", "{discard}  Discard it (asks first)", "{discard}  丢弃它（先确认）"},
    {"home_discard_pick", "{discard}  Discard one of them: {discard}, then its number (asks first)", "{discard}  丢弃其中一个：按 {discard}，再按编号（先确认）"},
    {"home_help", "{help}  Help      {logout}  Log out      {quit}  Quit",
     "{help}  帮助      {logout}  退出登录      {quit}  退出程序"},
    {"home_hotline", "{hotline}  Hotline call (phone or online): anonymous quick screen",
     "{hotline}  热线来电（电话或网上）：匿名快速筛查"},
    {"anonymous_caller", "Anonymous caller", "匿名来电者"},
    {"hotline_none", "This centre has no hotline path ([intake] hotline_forms is empty).", "本中心未设置热线流程（[intake] hotline_forms 为空）。"},
    {"caller_id_line", "Caller id (to call back and to find this caller):", "来电者编号（用于回拨和查找此来电者）："},
    {"callback_line", "Call-back number:", "回拨号码："},
    {"phone_changed_line", "Phone on the record changed to:", "档案中的电话已改为："},
    {"phone_kept_line", "The answer was cleared; the record keeps its phone (a cleared answer removes none):",
     "回答已清空；档案保留原电话（清空回答不会删除电话）："},
    {"find_title", "Find the client", "查找来访者"},
    {"find_hint", "Type a name or phone and press {choose} to search; {choose} on an empty line starts a new client.",
     "输入姓名或电话后按 {choose} 搜索；空白时按 {choose} 新建来访者。"},
    {"found_pick", "{digit}: this client   {new}: a new client   other letters: add to the search",
     "{digit}：选择此来访者   {new}：新建来访者   其他字母：追加到搜索"},
    {"found_more", "... and ", "……还有 "},
    {"filter_more", "({next}: more)", "（{next}：更多）"},
    {"found_more_n", " more not shown: add to the search (the whole name, or the phone) before making a new client.",
     " 位未显示：请补充搜索内容（完整姓名或电话）后再新建来访者。"},
    {"found_none", "No client found: {new} or {choose} creates a new one, with what you typed.",
     "没有找到：按 {new} 或 {choose} 新建来访者，并带入所输入的内容。"},
    {"lang_title", "The client's language", "来访者的语言"},
    {"lang_hint", "1  English        2  简体中文", "1  English        2  简体中文"},
    {"in_queue_now", "In the queue now at", "目前在队列中，等级为"},
    {"in_queue_kept", "This intake's answers are scored on their own; the queue keeps the higher level.",
     "本次接案的回答单独计分；队列保留较高的等级。"},
    {"unfinished_already", "has an unfinished intake already, saved", "已有一份未完成的登记，保存于"},
    {"unfinished_already_do", "This is a second one: {leave} and then r on the front desk resume that one instead.",
     "这是第二份：按 {leave}，再在前台按 r 可改为继续那一份。"},
    {"lang_from_record_en", "Questions in English, the client's language on record ({back} on the first question: read them in another).",
     "问题使用英文，即记录中来访者的语言（在第一题按 {back}：改用其他语言提问）。"},
    {"lang_from_record_zh", "Questions in Chinese, the client's language on record ({back} on the first question: read them in another).",
     "问题使用中文，即记录中来访者的语言（在第一题按 {back}：改用其他语言提问）。"},
    {"question", "Question", "问题"},
    {"of", "of", "/"},
    {"wiz_hint", "Digit shown: answer  {prev.2}/{next.2}, {tick}: choose  {choose}: next (never answers)  {back}: back  {refuse}: refused  {help}: help",
     "按所示数字作答  {prev.2}/{next.2}键、{tick}：选择  {choose}：下一题（不会代为作答）  {back}：上一题  {refuse}：拒答  {help}：帮助"},
    {"type_hint_owed", "Type the number, {choose} to go on ({no_callback}: the caller gives none)  {leave}: leave",
     "输入号码，{choose} 继续（{no_callback}：来电者不提供）  {leave}：离开"},
    {"type_hint", "Type the answer, {choose} to go on (empty: skip if optional)  {leave}: leave",
     "输入回答，按 {choose} 继续（可选题可留空）  {leave}：离开"},
    {"q_is_text", "{quit} was typed as the answer: here {quit} is text. {leave} leaves the intake; {choose} again keeps \"{quit}\".",
     "{quit} 被输入为回答：此处 {quit} 是文字。{leave} 离开接案；再按 {choose} 保留“{quit}”。"},
    {"multi_hint", "Digit shown or {prev.2}/{next.2}, {tick}: tick/untick  {choose}: done (never ticks)  {back}: back  {help}: help",
     "按所示数字或{prev.2}/{next.2}键、{tick}：勾选/取消  {choose}：完成（不会代为勾选）  {back}：上一题  {help}：帮助"},
    /* what to press, said when Enter or Space would otherwise answer nothing: "Press 0-3 to answer, r if
     * the client refuses"; built from pieces because the keys come from the form */
    {"press_pre", "Press ", "请按 "},
    {"press_answer", " to answer", " 作答"},
    {"press_tick", " to tick at least one", " 勾选至少一项"},
    {"press_arrows", ", or {prev.2}/{next.2} then {tick},",
     "（或{prev.2}/{next.2}键移动后按{tick}）"},
    {"press_refuse", ", {refuse} if the client refuses or cannot answer",
     "，来访者拒答或无法回答时按 {refuse}"},
    {"press_then_enter", "; then {choose}",
     "；然后按 {choose}"},
    {"panel", "Live assessment", "实时评估"},
    {"level", "Risk level", "风险等级"},
    {"reasons", "Why", "原因"},
    {"no_reasons", "No rule fired (so far).", "（目前）没有触发任何规则。"},
    {"matches", "Suggested counselors", "建议的咨询师"},
    {"match_no_need", "No answers yet that say what is needed: by free places, no score.", "尚无说明需求的回答：按空余名额排列，无分数。"},
    {"no_match", "No counselor fits: a person must match by hand.", "没有合适的咨询师：需要人工匹配。"},
    {"answered", "answered", "已答"},
    {"provisional", "provisional", "暂定"},
    {"safety_title", "RED: SAFETY STEPS NOW", "红色：立即执行安全措施"},
    {"safety_in_person", "The client is here in the room:", "来访者本人在场："},
    {"safety_remote", "The client is on the phone or online (not in the room):", "来访者通过电话或网络联系（不在场）："},
    {"safety_channel_unknown", "How the client reached the centre is not recorded yet: follow the first list if they are in the room, the second if they are on the phone or online.",
     "尚未记录来访者的联系方式：本人在场请按第一组步骤，电话或网络联系请按第二组步骤。"},
    {"safety_ack", "{choose}: I have read these steps and am acting on them",
     "{choose}：我已阅读并正在执行这些步骤"},
    {"review_title", "Review, then save", "核对后保存"},
    {"review_hint", "{save}: save   {prev.2}/{next.2} then {edit}: change that answer   {back}: back to the questions",
     "{save}：保存   {prev.2}/{next.2}键选中后按 {edit}：修改该回答   {back}：返回问题"},
    {"review_enter", "{choose} does not save: {save} saves the intake.", "{choose} 不会保存：按 {save} 保存接案。"},
    {"safety_more", "More steps than fit: make the terminal larger to read them all before acknowledging.",
     "步骤未能全部显示：请放大终端窗口，读完全部步骤后再确认。"},
    {"new_draft_label", "Unfinished intake:", "未完成的接案："},
    {"new_draft_rest", "{new} again starts another (it stays saved); {back}, then {resume}, resumes it.",
     "再按 {new} 开始新的接案（未完成的仍会保存）；按 {back} 后再按 {resume} 继续。"},
    {"new_draft_rest_hotline", "{hotline} again starts the call (it stays saved); {back}, then {resume}, resumes it.",
     "再按 {hotline} 开始来电筛查（未完成的仍会保存）；按 {back} 后再按 {resume} 继续。"},
    {"new_held", "Not taken: a key came before {new} again. {back} first, then {new} {new} starts another intake, {resume} resumes.",
     "未执行：在再按 {new} 之前按了其他键。请先按 {back}，再按 {new} {new} 开始新的接案，或按 {resume} 继续。"},
    {"new_held_hotline", "Not taken: a key came before {hotline} again. {back} first, then {hotline} {hotline} starts the call, {resume} resumes.",
     "未执行：在再按 {hotline} 之前按了其他键。请先按 {back}，再按 {hotline} {hotline} 开始来电筛查，或按 {resume} 继续。"},
    {"new_drafts_label", "Unfinished intakes:", "未完成的接案："},
    {"new_drafts_highest", "highest", "最高"},
    {"new_drafts_rest", "{new} again starts another (they stay saved); {back}, then {resume}, picks one to resume.",
     "再按 {new} 开始新的接案（未完成的仍会保存）；按 {back} 后再按 {resume} 选择继续。"},
    {"new_drafts_rest_hotline", "{hotline} again starts the call (they stay saved); {back}, then {resume}, picks one to resume.",
     "再按 {hotline} 开始来电筛查（未完成的仍会保存）；按 {back} 后再按 {resume} 选择继续。"},
    {"home_resume_pick", "{resume}  Resume one of them: {resume}, then its number",
     "{resume}  继续其中一个：按 {resume}，再按编号"},
    {"score_prorated", " (prorated)", "（按比例推算）"},
    {"score_incomplete", "incomplete (too many items missing)", "不完整（缺答题目过多）"},
    {"burst_held", "Keys arrived too fast: nothing recorded. Check this question, then press {choose} to take answers again (none is taken before).",
     "按键过快：未记录任何答案。请核对本题，然后按 {choose} 恢复作答（在此之前不接受任何答案）。"},
    {"burst_released", "Answers are taken again: answer this question, or {choose} to go on.",
     "已恢复作答：请回答本题，或按 {choose} 继续。"},
    {"guard_armed", "Skipped: ", "已跳过："},
    {"guard_armed_then", " - a digit here waits for {choose}; a number typed now goes into that field.",
     "。此处按数字后须按 {choose} 确认；现在输入的号码会填入该栏。"},
    {"guard_one", ": {choose} records it, {back} clears it.", "：按 {choose} 记录，按 {back} 清除。"},
    {"guard_held", "Held, nothing recorded: ", "已暂存，未记录任何答案："},
    {"guard_resumed", "Resumed: check this question with the client; an answer waits for {choose}.",
     "已恢复：请与来访者核对本题；作答后须按 {choose} 确认。"},
    {"pending_no_fit_resumed", "What was typed is not one answer here: {back} clears it.", "所输入的内容不是本题的一个答案：按 {back} 清除。"},
    {"guard_resumed_then", " An answer waits for {choose}.", "作答后须按 {choose} 确认。"},
    {"guard_resumed_many", ": not one answer here; {back} clears it.", "：不是本题的一个答案；按 {back} 清除。"},
    {"guard_many", ". {choose} puts it into the skipped field, {back} clears it: ", "。按 {choose} 填入跳过的栏，按 {back} 清除："},
    {"pending_moved", "Put into this field: check it, then {choose} to go on.", "已填入本栏：请核对，然后按 {choose} 继续。"},
    {"pending_no_fit", "What was typed is not one answer here and does not fit the skipped field: {back} clears it.",
     "所输入的内容既不是本题的一个答案，也不符合跳过的栏：按 {back} 清除。"},
    {"question_owed", "A question still needs an answer before saving: it is shown now.", "保存前仍有问题需要回答：现已显示该问题。"},
    {"owed_q", "q", "第"},
    {"owed_not_asked", " not asked", "题未询问"},
    {"owed_ask", "Question ", "第 "},
    {"owed_ask_then", " was not asked before the intake stopped: ask it now; until it is answered the level is RED. The caller has gone (cannot be asked): {choose} shows the red safety steps.",
     " 题在访谈中断前未询问：请现在询问；回答之前等级为红色。来访者已离开（无法询问）：按 {choose} 显示红色安全步骤。"},
    {"need_phone", "a phone number: digits, spaces, + - ( ) only,", "电话号码：只能包含数字、空格和 + - ( )，"},
    {"need_digits", "digits", "位数字"},
    {"no_consent_now", "Consent refused: the record cannot be saved unless the answer is changed to yes. The questions may go on (safety first).",
     "未同意：除非改为同意，否则记录无法保存。可以继续提问（安全优先）。"},
    {"no_consent", "The client has not consented to storing the record: it cannot be saved.",
     "来访者未同意保存记录：不能保存。"},
    {"saved_title", "Saved", "已保存"},
    {"deadline", "Deadline", "期限"},
    {"suggested", "Suggested counselor", "建议的咨询师"},
    {"saved_hint_back", "{choose}: back to the front desk", "{choose}：返回前台"},
    {"saved_hint", "{choose}: back to the front desk   {decline}: the client declined the suggestion",
     "{choose}：返回前台   {decline}：来访者拒绝了建议的咨询师"},
    {"decline_why", "Why did the client decline? ({choose} records it, {back} cancels)",
     "来访者为什么拒绝？（{choose} 记录，{back} 取消）"},
    {"declined", "Recorded: the client declined the suggestion.", "已记录：来访者拒绝了建议。"},
    {"decline_whom", "The client declines:", "来访者拒绝："},
    {"decline_nobody", "Nothing to decline: no counselor is suggested. A person matches this client.",
     "无可拒绝：没有建议的咨询师。由工作人员为此来访者匹配。"},
    {"decline_none_left", "Nothing to decline: the client declined every counselor suggested. A person matches this client.",
     "无可拒绝：来访者拒绝了每一位建议的咨询师。由工作人员为此来访者匹配。"},
    {"no_match_declined", "none left (the client declined each one suggested): a person matches.",
     "没有了（来访者拒绝了每一位建议的咨询师）：由工作人员匹配。"},
    {"declined_by_hand", "Three declines in a row: the client goes to a person for matching.",
     "连续三次拒绝：将由工作人员人工匹配。"},
    {"k_decline", "record that the client declined the suggested counselor", "记录来访者拒绝了建议的咨询师"},
    /* "Quit? The unfinished intake of Wang Fang · Walk-in is kept as a draft. At ORANGE or RED, in no queue: 2 unfinished
     * intakes (on the front desk's list). y / n": whose, and how many at risk wait (it said "the unfinished intake"
     * with two at-risk drafts waiting: tryout 18) */
    {"quit_whose", "Quit? The unfinished intake of ", "退出？"},
    {"quit_kept", " is kept as a draft.", " 的未完成接案会保存为草稿。"},
    {"quit_at_risk", " At ORANGE or RED, in no queue: ", " 处于橙色或红色、未进入任何队列的未完成接案："},
    {"quit_at_risk_n", " unfinished intake(s) (on the front desk's list).", " 个（列于前台）。"},
    {"quit_yes_no", " y / n", " y / n"},
    {"help_title", "Keys", "按键"},
    {"help_close", "{back} or {quit} closes this help (so does any key that does not scroll it).", "{back} 或 {quit} 关闭帮助（不用于滚动的其他键也可）。"},
    {"help_more", "v more below: {next.2}/{prev.2}, {page_down}/{page_up} or j/k scroll", "v 下面还有：{prev.2}/{next.2}、{page_down}/{page_up} 或 j/k 滚动"},
    {"help_more_above", "more above: {prev.2}, {page_up} or k scroll back", "上面还有：{prev.2}、{page_up} 或 k 向回滚动"},
    {"k_move", "move between fields and choices", "在栏位和选项之间移动"},
    {"k_move_back", "move back between fields and choices", "在栏位和选项之间向回移动"},
    {"k_redraw", "redraw the screen", "重绘屏幕"},
    {"k_enter", "go on, choose, log in (on a question it never picks an answer; after a skipped phone or date it records the digit shown)",
     "继续、选择、登录（在问题中从不代为作答；跳过电话或日期栏后，记录所显示的数字）"},
    {"k_esc", "back one step: a prompt, a list, a screen (on a question: the one before)", "返回一步：提示、列表或屏幕（在问题中：上一题）"},
    {"k_digits", "answer by the number beside the option, pick a tab or a choice directly", "按选项旁的数字作答，或直接选择标签或选项"},
    {"k_digit0", "answer 0 on a scored scale (its keys are the scores printed beside the options: 0-3, 0-4)",
     "计分量表答 0（其按键即选项旁印的分数：0-3、0-4）"},
    {"k_space", "choose or tick the highlighted option of a question", "选择或勾选问题中高亮的选项"},
    {"k_refuse", "record that the client refused to answer (where allowed)", "记录来访者拒答（如允许）"},
    {"k_save", "save (the review page)", "保存（核对页）"},
    {"k_help", "this help", "本帮助"},
    {"k_quit", "as {back}, back one screen; on a question: leave the intake (draft kept); on the front desk: quit",
     "同 {back}，返回上一屏幕；在问题中：离开接案（草稿保留）；在前台：退出程序"},
    {"home_back", "This is the front desk: {quit} quits, {logout} logs out.", "这里是前台：{quit} 退出程序，{logout} 注销。"},
    {"k_lang", "switch the staff interface language", "切换界面语言"},
    {"k_new", "new intake", "新的接案"},
    {"k_hotline", "hotline call: anonymous quick screen", "热线来电：匿名快速筛查"},
    {"k_resume", "resume the unfinished intake", "继续未完成的接案"},
    {"idle_locked", "Locked after inactivity: log in to continue.", "因闲置已锁定：请登录继续。"},
    {"draft_resumed", "Unfinished intake resumed:", "已继续未完成的接案："},
    {"under_a_minute", "<1m", "<1分钟"},
    {"qh_none", "none", "无"},
    {"qh_enqueue", "enqueue", "进入队列"},
    {"qh_overdue", "overdue", "逾期"},
    {"qh_ack", "ack", "确认收到"},
    {"qh_confirm", "confirm", "确认等级"},
    {"qh_raise", "raise", "提高等级"},
    {"qh_assign", "assign", "分配"},
    {"qh_contact", "contact", "联系"},
    {"qh_decline", "decline", "拒绝推荐"},
    {"qh_declined_whom", "declined", "拒绝了"},
    {"declined_mark", "declined", "已拒绝"},
    {"suggested_mark", "<- suggested for this client", "<- 为此来访者建议"},
    {"counselor_picked", "{choose} assigns the counselor highlighted; another digit or {next}/{prev} picks another, {back} cancels.",
     "{choose} 分配高亮的咨询师；按其他数字或 {next}/{prev} 另选，{back} 取消。"},
    {"qh_close", "close", "关闭"},
    {"draft_open_elsewhere", "Careful: this draft was saved less than two minutes ago at another desk and may be open there. Finish it at one desk only (a second save is refused).",
     "注意：此草稿不到两分钟前在另一工作台保存过，可能仍在那里打开。请只在一个工作台完成（第二次保存会被拒绝）。"},
    {"anonymous", "no name yet", "尚无姓名"}, /* a walk-in before the name (it said "anonymous caller": tryout) */
    {"unanswered", "(not answered)", "（未回答）"},
    {"callback_given_none", "(none: the caller gave none)", "（无：来电者未提供）"},
    {"reason_above", "(the reason above)", "（原因见上）"},
    {"then", "then", "之后"},
    {"kept_this_intake", "This intake's answers give", "本次接案的回答为"},
    {"kept_queue", "the queue keeps", "队列保持"},
    {"kept_why", "It was put higher before (an earlier intake, a raise by staff or an overdue escalation: the queue's history "
                 "says which), and only a clinician lowers a level (with a written reason).",
     "此前已被调高（之前的接案、工作人员调高或逾期升级：队列历史中可查），只有临床人员可以降低等级（须写明原因）。"},
    {"due_step", "Due by then", "届时须完成"},
    {"queue_then_pre", "Then, in the", "随后，在"},
    {"queue_then_post", "queue (a later step):", "队列中（之后的步骤）："},
    {"step_evaluate", "a clinician's evaluation", "临床评估"},
    {"acknowledged", "acknowledge (a person has seen it)", "确认收到（已有人看到）"},
    {"confirmed", "confirm the level", "确认等级"},
    {"assigned", "assign a counselor", "分配咨询师"},
    {"contacted", "contact the client", "联系来访者"},
    {"role_anyone", "by anyone at the desk (reception included)", "任何工作人员（含前台）均可"},
    {"role_clinician", "by a clinician or supervisor", "须由临床人员或主管"},
    {"need_answer", "an answer is needed (this question is not optional)", "需要回答（此题不是选答题）"},
    {"need_number", "a whole number from", "请输入整数，范围"},
    {"need_to", "to", "至"},
    {"need_date", "a date that exists, as YYYY-MM-DD", "存在的日期，格式为 YYYY-MM-DD"},
    {"need_date_past", ", not after today", "，且不晚于今天"},
    /* "The date of birth gives age 76, but the age given is 30: ...", in three parts around the two numbers */
    {"age_by_date", "The date of birth gives age ", "出生日期对应的年龄是 "},
    {"age_but_given", ", but the age given is ", " 岁，但填写的年龄是 "},
    {"age_fix_date", ": correct the date of birth, or the age ({back} goes back to it).",
     " 岁：请更正出生日期，或更正年龄（{back} 返回年龄）。"},
    {"age_fix_age", ": correct the age, or leave it empty ({choose}) and correct the date of birth at its question.",
     " 岁：请更正年龄，或留空（{choose}）后在出生日期一题中更正。"},
    {"age_fix_age_record", ": correct the age, or empty it ({choose}) and fix the recorded birth date on the review ({edit}).",
     " 岁：请更正年龄，或留空（{choose}）后在核对页更正档案中的出生日期（{edit}）。"},
    {"need_chars", "at most this many characters:", "最多字符数："},
    {"need_line", "one line of text", "一行文字"},
    {"optional", "optional", "道选答题"},
    {"optional_now", "optional: {choose} skips it", "选答题：按 {choose} 跳过"},
    {"panel_more_up", "^ {page_up}", "^ {page_up}"},
    {"panel_more_down", "v {page_down}", "v {page_down}"},
    {"total", "total", "总分"},
    {"more_up", "^ more", "^ 更多"},
    {"more_down", "v more", "v 更多"},
    {"at_review", "at the review", "核对页"},
    {"intake_of", "Intake", "接案"},
    {"form_word", "form", "表"},
    {"home_mine", "Your unfinished intakes ({resume}, then its number):", "您未完成的接案（按 {resume}，再按编号）："},
    {"home_mine_pick_discard", "Discard which one? Press its number ({back}: none).", "丢弃哪一个？请按编号（{back}：取消）。"},
    {"home_mine_pick", "Which one? Press its number ({back}: none).", "继续哪一个？请按编号（{back}：取消）。"},
    {"home_mine_and", "... and", "……还有"},
    {"at_risk_more", "more at risk (a larger window lists them all; r lists yours)", "个有风险（放大窗口可全部列出；按 r 列出您的）"},
    /* punctuation between parts a line is put together from: full-width in Chinese ("接案： 2, 最高 绿色." mixed
     * them: fourteenth tryout) */
    {"p_comma", ", ", "，"},
    {"p_stop", ". ", "。"},
    {"p_colon", ": ", "："},
    {"u_min", "m", "分"},
    {"u_hour", "h", "时"},
    {"u_hour_sep", "h ", "时"},
    {"u_day_sep", "d ", "天"},
    {"home_mine_page", "{resume} or {page_down}: the next ones  {page_up}: back", "按 {resume} 或 {page_down}：下一页  {page_up}：上一页"},
    {"home_mine_page_first", "{resume} or {page_down}: the first ones again  {page_up}: back",
     "按 {resume} 或 {page_down}：回到第一页  {page_up}：上一页"},
    {"home_mine_list", "({resume} lists them)", "（按 {resume} 列出）"},
    {"home_mine_more", "more: {resume} to choose", "个：按 {resume} 选择"},
    {"at_review", "at the review", "在核对页"},
    {"intake_empty_left", "Nothing was answered here; the intake was saved with answers at another desk and is kept there.",
     "此处未作任何回答；该接案已在另一台终端保存了回答，予以保留。"},
    {"intake_empty_gone", "Nothing was answered: no draft kept.", "尚未回答任何问题：未保留草稿。"},
    {"intake_kept", "Kept as a draft, where it stopped:", "已保存为草稿（停在原处）："},
    {"login_type_pass", "Type the passphrase, then {choose}.", "请输入口令，然后按 {choose}。"},
    {"login_wrong", "wrong user name or passphrase", "用户名或口令错误"},
    {"login_short", "too short for a passphrase: it was not tried, and does not count as a failed login",
     "太短，不是口令：未尝试，不计为登录失败"},
    {"two_desks_refused", "Nothing saved: this intake was saved, changed or discarded at another desk of yours. Finish it at "
                          "one desk: {leave} here keeps this desk's answers as a new draft or leaves them.",
     "未保存：此接案已在您的另一台终端上保存、更改或舍弃。请只在一台终端上完成：在此按 {leave} 可将本终端的回答另存为新草稿或不保留。"},
    {"two_desks_open", "May also be open at another desk of yours: finish it at one desk only.", "可能也在您的另一台终端上打开：只在一台终端上完成。"},
    {"two_desks_gone", "Saved or changed at another desk: not saved here ({leave}: keep or leave).",
     "已在另一台终端上保存或更改：此处不会保存（{leave}：保留或离开）。"},
    {"gone_ask", "This intake's draft was saved, changed, discarded or erased at another desk: nothing here was saved over it. "
                 "Search for the client ({records}, from the front desk) to see what was saved there.",
     "此接案的草稿已在另一台终端上保存、更改、舍弃或删除：此处未覆盖它。请在前台查找来访者（{records}）查看那边保存的内容。"},
    {"gone_level", "This desk's answers give", "本终端的回答为"},
    {"gone_ask_rest", "k: keep them as a new draft  y: leave without them  any other key: stay.",
     "k：另存为新草稿  y：不保留而离开  其他键：留下。"},
    {"gone_ask_guarded", "k: keep them as a new draft  any other key: stay (at this level they are not left behind).",
     "k：另存为新草稿  其他键：留下（此级别的回答不可丢弃）。"},
    {"draft_copy_kept", "Kept as a new draft (the other desk's intake stays as it was):", "已另存为新草稿（另一台终端的接案保持不变）："},
    {"draft_gone_left", "Closed without this desk's answers (the other desk's stay as they were):",
     "已离开，未保留本终端的回答（另一台终端的保持不变）："},
    {"draft_discarded", "The unfinished intake was discarded (the audit log records it).", "未完成的接案已丢弃（审计日志已记录）。"},
    {"discard_ask", "Discard the unfinished intake of", "丢弃未完成的接案："},
    {"discard_open_elsewhere", "It was saved less than two minutes ago at another desk and may be open there. ",
     "它在不到两分钟前于另一台终端保存，可能仍在那里打开。"},
    {"discard_ask_rest", "Its answers are erased for good. y: discard   any other key: keep it", "其回答将被永久删除。y：丢弃   其他键：保留"},
    {"logged_out", "Logged out: the unfinished intake, if any, is kept as a draft.", "已退出登录：未完成的接案（如有）已保存为草稿。"},
    {"k_leave", "leave the intake for the front desk, keeping its draft where it stopped (also {quit} where nothing is typed)",
     "离开接案回到前台，草稿停在原处保存（未在输入时也可按 {quit}）"},
    {"k_logout", "log out (an unfinished intake stays a draft)", "退出登录（未完成的接案保存为草稿）"},
    {"k_no_callback", "on the call-back number: the caller gives none (at orange or red it is asked again; a digit after it answers at once)",
     "回拨号码处：来电者不提供（橙色或红色时会再问；之后的数字直接作答）"},
    {"k_discard", "discard the unfinished intake (asks first; audited)", "丢弃未完成的接案（先确认；记入审计）"},
    {"k_edit", "go back to the highlighted answer to change it (the review page)", "回到高亮的回答进行修改（核对页）"},
    {"level_red", "RED", "红色"},
    {"level_orange", "ORANGE", "橙色"},
    {"level_yellow", "YELLOW", "黄色"},
    {"level_green", "GREEN", "绿色"},
    {"tampered", "TAMPERED", "已被篡改"},
    {"tampered_short", "TAMPER", "篡改"},
    {"rep_levels_unchecked", "Levels: from the report facts; their row MACs were never checked by triage verify (in the signed audit trail).",
     "等级取自报表数据；其行校验码从未经 triage verify 检查（按签名审计记录）。"},
    {"rep_levels_checked", "Levels: from the report facts; triage verify last checked their row MACs on",
     "等级取自报表数据；triage verify 上次检查其行校验码于"},
    {"rep_levels_sound", "sound", "完好"},
    {"rep_levels_tampered", "TAMPERING FOUND, these figures may count edited levels", "发现篡改，以上数字可能包含被改动的等级"},
    {"queue_tampered", "TAMPERED: row edited in the file, read as red; tell a supervisor. ",
     "已被篡改：此行在数据库文件中被改动，按红色处理；请告知主管。"},
    {"record_tampered", "TAMPERED: this row was edited in the database file; the level shown is the sealed one",
     "已被篡改：此行在数据库文件中被改动；显示的是加密存档中的等级"},
    {"refused", "refused", "拒答"},
    {"new_client", "new client", "新来访者"},
    {"red_overdue_banner", "RED OVERDUE: a red client's step is late", "红色逾期：有红色来访者的处理步骤已超时"},
    {"red_banner_locked", "(log in to see it)", "（请登录查看）"},
    {"red_draft_banner", "RED ALERT: an unsaved intake is at RED", "红色警报：有未保存的接案处于红色"},
    {"red_draft_also", "unsaved at RED", "未保存的红色接案"},
    {"red_banner_short", "RED ALERT", "红色警报"},
    {"red_overdue_short", "RED OVERDUE", "红色逾期"},
    {"red_draft_key", "(home lists it)", "（主页列出）"},
    {"red_banner_key", "({queues}: open the queues)",
     "（{queues}：打开队列）"},
    {"home_queues", "{queues}  Escalation queues",
     "{queues}  升级队列"},
    {"home_records", "{records}  Find a client's record",
     "{records}  查找来访者档案"},
    {"home_roster", "{roster}  Counselor roster",
     "{roster}  咨询师名册"},
    {"home_staff", "{staff}  Staff",
     "{staff}  工作人员"},
    {"find_record_title", "Open a client's record", "打开来访者档案"},
    {"find_record_hint", "Type a name or phone and press {choose} to search.", "输入姓名或电话后按 {choose} 搜索。"},
    {"found_pick_record", "{digit} or {choose}: open the record   {prev.2}/{next.2}: move   typing: adds to the search",
     "{digit} 或 {choose}：打开档案   {prev.2}/{next.2}：移动   输入文字：追加到搜索"},
    {"found_none_record", "No client found.", "没有找到来访者。"},
    {"tab_red", "Red", "红色"},
    {"tab_orange", "Orange", "橙色"},
    {"tab_yellow", "Yellow", "黄色"},
    {"tab_green", "Green", "绿色"},
    {"tab_overdue", "Overdue", "已逾期"},
    {"tab_by_hand", "Match by hand", "人工匹配"},
    {"tab_by_hand_short", "By hand", "人工匹配"},
    {"col_client", "Client", "来访者"},
    {"col_id", "Id", "编号"},
    {"col_level", "Level", "等级"},
    {"col_state", "State", "状态"},
    {"col_age", "Waiting", "已等候"},
    {"col_deadline", "Deadline", "期限"},
    {"col_reason", "Main reason", "主要原因"},
    {"queue_empty", "Nothing in this queue.", "此队列为空。"},
    {"queue_hint", "{ack} ack {confirm} confirm {raise} raise {assign} assign {contact} contact {decline} declined {close} close {filter} filter {choose} record {help.1} keys",
     "{ack} 收到 {confirm} 确认 {raise} 提升 {assign} 分配 {contact} 联系 {decline} 拒绝 {close} 关闭 {filter} 筛选 {choose} 档案 {help.1} 按键"},
    {"queue_none_selected", "No item is selected (the one acted on may have left this list): {prev.2}/{next.2} selects one.",
     "没有选中的条目（刚处理的条目可能已离开此列表）：按 {prev.2}/{next.2} 选择。"},
    {"filtered", "Filter", "筛选"},
    {"filter_clear", "{back} clears it",
     "{back} 清除"},
    {"prompt_filter", "Filter (a name, a phone, or the start of an id; {choose} applies, {back} clears):",
     "筛选（姓名、电话或编号开头；{choose} 应用，{back} 清除）："},
    {"prompt_confirm", "Confirm the level ({choose} keeps it):",
     "确认等级（{choose} 保持不变）："},
    {"prompt_raise", "Raise the level to:", "提升等级至："},
    {"prompt_reason", "Reason (needed to lower a level; {choose} records it, {back} cancels):",
     "原因（降低等级时必填；{choose} 记录，{back} 取消）："},
    /* a raise takes a reason too, never required: the prompt for a lowering said "needed to lower" (tryout 18) */
    {"prompt_reason_raise", "Why raise it? (optional; {choose} records the raise, {back} cancels):",
     "提升原因（选填；{choose} 记录提升，{back} 取消）："},
    {"prompt_decline", "Why did the client decline? ({choose} records it, {back} cancels)",
     "来访者为什么拒绝？（{choose} 记录，{back} 取消）"},
    {"prompt_outcome", "Close with the outcome:", "以结果关闭："},
    {"prompt_counselor", "Assign a counselor (digits or arrows, {choose}; {back} cancels):",
     "分配咨询师（数字或方向键，{choose}；{back} 取消）："},
    {"reason_needed", "A reason is needed.", "需要填写原因。"},
    /* closing an orange or red item: the core refuses it without a note (sixteenth session's read of the rules) */
    {"prompt_close_note", "Note on closing (what became of the client; needed for orange and red; {choose} closes, {back} cancels):",
     "关闭说明（来访者的去向；橙色和红色必填；{choose} 关闭，{back} 取消）："},
    {"close_note_needed", "A note is needed to close an orange or red item: what became of the client.",
     "关闭橙色或红色条目须填写说明：来访者的去向。"},
    {"evaluation_needed", "The evaluation's outcome is needed (what the clinician found).", "须填写评估结果（临床人员的评估所见）。"},
    {"prompt_evaluation", "Evaluation outcome (what the clinician found and decided; {choose} records it, {back} cancels):",
     "评估结果（临床人员的发现和决定；{choose} 记录，{back} 取消）："},
    {"next_red_ack", "Next: acknowledge (a) by the deadline; then a clinician evaluates (c, with the outcome) or closes as referred to emergency services (x).",
     "下一步：在期限前确认已见（a）；随后由临床人员评估（c，填写结果）或以“已转介急救”结案（x）。"},
    {"next_red_evaluate", "Next: a clinician evaluates the client (c, with the outcome) or closes as referred to emergency services (x) by the deadline.",
     "下一步：临床人员须在期限前评估来访者（c，填写结果）或以“已转介急救”结案（x）。"},
    {"no_counselor_available", "No counselor is available: mark one available in the roster first.",
     "没有可用的咨询师：请先在名册中设置为可用。"},
    {"out_none", "no outcome", "无结果"},
    {"out_first_session", "first session", "首次咨询"},
    {"out_declined", "declined", "拒绝"},
    {"out_referred", "referred", "转介"},
    {"out_unreachable", "unreachable", "无法联系"},
    {"out_duplicate", "duplicate", "重复"},
    {"done", "Done", "完成"},
    {"item", "Item", "条目"},
    {"counselor", "counselor", "咨询师"},
    {"contacts", "contacts", "联系次数"},
    {"declines", "declines", "拒绝次数"},
    {"escalations", "escalations", "升级次数"},
    {"record_identity", "Client", "来访者"},
    {"record_name", "Name", "姓名"},
    {"record_phone", "Phone", "电话"},
    {"record_birth", "Born", "出生日期"},
    {"record_since", "Client since", "建档日期"},
    {"record_id", "id", "编号"},
    {"record_queue", "Queue item and its history", "队列条目及其历史"},
    {"record_intakes", "Intakes", "接案记录"},
    {"record_notes", "Notes", "备注"},
    {"record_hint", "{prev.2}/{next.2} {page_up}/{page_down}: scroll   {back}: back",
     "{prev.2}/{next.2} {page_up}/{page_down}：滚动   {back}：返回"},
    {"roster_title", "Counselor roster", "咨询师名册"},
    {"col_cap", "Cap", "容量"},
    {"col_load", "Load", "个案"},
    {"col_avail", "Avail", "可用"},
    {"col_high_risk", "High risk", "高风险"},
    {"roster_empty", "No counselors yet: {new} adds one (or `triage roster import FILE`).",
     "还没有咨询师：按 {new} 添加（或 `triage roster import FILE`）。"},
    {"roster_hint", "{new} new  {choose} edit  {available} available/not  {back} back",
     "{new} 新增  {choose} 编辑  {available} 可用/不可用  {back} 返回"},
    {"roster_new", "A new counselor", "新增咨询师"},
    {"roster_edit", "Edit the counselor", "编辑咨询师"},
    {"roster_form_hint", "{next.1}/arrows: fields  {save}: save  {back}: cancel. Languages and orientations: separated by spaces; weights: DIMENSION:WEIGHT pairs.",
     "{next.1}/方向键：栏位  {save}：保存  {back}：取消。语言和取向用空格分隔；权重为 维度:权重 对。"},
    {"f_code", "Code", "代码"},
    {"f_name", "Name", "姓名"},
    {"f_gender", "Gender", "性别"},
    {"f_languages", "Languages", "语言"},
    {"f_orientations", "Orientations", "取向"},
    {"f_high_risk", "High risk (yes/no)", "可接高风险（yes/no）"},
    {"f_available", "Available (yes/no)", "可用（yes/no）"},
    {"f_capacity", "Capacity", "容量"},
    {"f_weights", "Weights", "权重"},
    {"yes_no_needed", "High risk and available take yes or no.", "可接高风险和可用只能填 yes 或 no。"},
    {"capacity_range", "a whole number from 0 to 1000", "0 到 1000 的整数"},
    {"saved_counselor", "Saved counselor", "已保存咨询师"},
    {"now_available", "available", "可用"},
    {"now_unavailable", "not available", "不可用"},
    {"staff_title", "Staff", "工作人员"},
    {"staff_columns", "Login                Role        Locked   Failed logins", "登录名               角色        锁定     登录失败次数"},
    {"staff_hint", "{new} new  {lock} lock/unlock  {reset} new passphrase  {role} role  {back} back",
     "{new} 新增  {lock} 锁定/解锁  {reset} 重设口令  {role} 角色  {back} 返回"},
    {"staff_new", "A new staff member", "新增工作人员"},
    {"staff_reset", "A new passphrase for", "重设口令："},
    {"staff_form_hint", "{next.1}/arrows: fields  {choose} on the last field or {save}: save  {back}: cancel. Role: reception, clinician or supervisor.",
     "{next.1}/方向键：栏位  在最后一栏按 {choose} 或 {save}：保存  {back}：取消。角色：reception、clinician 或 supervisor。"},
    {"f_login", "Login name", "登录名"},
    {"f_role", "Role", "角色"},
    {"f_pass", "Passphrase", "口令"},
    {"f_pass2", "Passphrase again", "再次输入口令"},
    {"pass_mismatch", "The two passphrases differ.", "两次输入的口令不一致。"},
    {"role_names", "reception, clinician or supervisor", "reception、clinician 或 supervisor"},
    {"staff_added", "added", "已添加"},
    {"pass_reset", "new passphrase set", "已重设口令"},
    {"locked", "locked", "已锁定"},
    {"unlocked", "unlocked", "已解锁"},
    {"role_prompt", "New role: 1 reception  2 clinician  3 supervisor  (any other key cancels)", "新角色：1 前台  2 临床  3 主管（其他键取消）"},
    {"too_long", "too long: at most this many bytes", "太长：最多字节数"},
    {"login_rule", "1 to 64 letters, digits, '.', '_' or '-'", "1 到 64 个字母、数字、'.'、'_' 或 '-'"},
    {"home_reports", "{reports}  Reports (KPIs)",
     "{reports}  报表（关键指标）"},
    {"retention_due", "Due for erasure ([retention]; triage retention apply):", "应予清除（[retention]；triage retention apply）："},
    {"retention_drafts", "unfinished drafts", "份未完成草稿"},
    {"retention_clients", "closed records", "份已结案记录"},
    {"k_reports", "the KPI reports (clinicians, supervisors)", "关键指标报表（临床、主管）"},
    {"rep_title", "Reports: outcomes and KPIs", "报表：结果与关键指标"},
    {"rep_from", "From (YYYY-MM-DD)", "开始（YYYY-MM-DD）"},
    {"rep_to", "To (YYYY-MM-DD)", "结束（YYYY-MM-DD）"},
    {"rep_date_format", "a date as YYYY-MM-DD (To not before From)", "日期格式为 YYYY-MM-DD（结束不早于开始）"},
    {"rep_form_hint", "{next.1}: next field  {choose}: run the report  {back}: back. Groups under the k floor show as <k.",
     "{next.1}：下一栏  {choose}：生成报表  {back}：返回。少于 k 的组显示为 <k。"},
    {"rep_hint", "{prev.2}/{next.2} {page_up}/{page_down}: scroll   {choose}: another range   {back}: back",
     "{prev.2}/{next.2} {page_up}/{page_down}：滚动   {choose}：换日期范围   {back}：返回"},
    {"rep_range", "Range", "范围"},
    {"rep_retention_is", "retention =", "留存 ="},
    {"rep_sessions_within", "sessions within", "次咨询于"},
    {"rep_days", "days", "天内"},
    {"rep_intakes", "intakes", "接案"},
    {"rep_accuracy", "accuracy", "识别准确"},
    {"rep_first", "1st sess", "首次咨询"},
    {"rep_retained", "retained", "留存"},
    {"rep_contact_h", "contact h", "联系时长"},
    {"rep_in_time", "in time", "按时确认"},
    {"rep_overdue", "overdue", "逾期"},
    {"rep_declines", "declines", "拒绝率"},
    {"rep_all", "All intakes", "全部接案"},
    {"rep_unknown", "(not given)", "（未填）"},
    {"rep_concerns_chart", "Presenting concerns (share of intakes)", "主诉问题（占接案比例）"},
    {"rep_dim_level", "By the level triage gave", "按分诊等级"},
    {"rep_dim_channel", "By channel", "按渠道"},
    {"rep_dim_concern", "By presenting concern", "按主诉问题"},
    {"rep_dim_age_band", "By age band", "按年龄段"},
    {"rep_dim_counselor", "By counselor", "按咨询师"},
    {"rep_dim_stage", "By lifecycle stage at the end of the range", "按范围结束时的阶段"},
    {"rep_val_title", "How well the levels work: triage's level (rows) against the level a clinician confirmed (columns)",
     "分诊等级的效度：分诊给出的等级（行）对照临床人员确认的等级（列）"},
    {"rep_val_confirmed", "confirmed by a clinician", "经临床人员确认"},
    {"rep_val_unconfirmed", "not confirmed, left out", "未经确认，不计入"},
    {"rep_val_corner", "triage \\ confirmed", "分诊 \\ 确认"},
    {"rep_val_total", "total", "合计"},
    {"rep_val_ppv", "PPV", "阳性预测值"},
    {"rep_val_sens", "sensitivity", "敏感度"},
    {"rep_val_legend_ppv", "PPV: of those triage put at a level, the share a clinician confirmed at it (95% Wilson CI).",
     "阳性预测值：分诊为某等级者中经确认为该等级的比例（95% Wilson 置信区间）。"},
    {"rep_val_legend_sens", "Sensitivity: of those a clinician confirmed at a level, the share triage put at it.",
     "敏感度：确认为某等级者中分诊也为该等级的比例。"},
    {"rep_val_left_out", "not confirmed", "未确认"},
    {"rep_val_safety", "At or above orange (the safety question)", "橙色及以上（安全问题）"},
    {"rep_val_safety_sens", "of those confirmed red or orange, triage put red or orange",
     "确认为红色或橙色者中，分诊也为红色或橙色的比例"},
    {"rep_val_safety_under", "under-triaged: confirmed red or orange, triage put yellow or green",
     "分诊偏低：确认为红色或橙色，分诊为黄色或绿色"},
    {"rep_val_screen", "At or above yellow (a positive screen, e.g. PHQ-9 10 or more)", "黄色及以上（筛查阳性，如 PHQ-9 ≥ 10）"},
    {"rep_val_screen_sens", "of those confirmed yellow or above, triage put yellow or above",
     "确认为黄色及以上者中，分诊也为黄色及以上的比例"},
    {"rep_val_screen_under", "under-triaged: confirmed yellow or above, triage put green",
     "分诊偏低：确认为黄色及以上，分诊为绿色"},
    {"rep_val_screen_ppv", "of those triage put yellow or above, confirmed yellow or above",
     "分诊为黄色及以上者中，经确认为黄色及以上的比例"},
    {"rep_val_bias", "Only confirmed intakes count: a level seldom confirmed hides the clients it missed.",
     "仅计入经确认的接案：较少确认的等级会掩盖其漏判的来访者。"},
    {"rep_val_safety_ppv", "of those triage put red or orange, confirmed red or orange",
     "分诊为红色或橙色者中，经确认为红色或橙色的比例"},
    {"k_queues", "the escalation queues", "升级队列"},
    {"k_records", "find a client's record", "查找来访者档案"},
    {"k_roster", "the counselor roster (supervisors)", "咨询师名册（主管）"},
    {"k_staff", "staff (supervisors)", "工作人员（主管）"},
    {"k_tab_next", "next queue tab", "下一个队列标签"},
    {"k_tab_prev", "previous queue tab", "上一个队列标签"},
    {"k_page_down", "next page (on a question: the rest of the live panel)", "下一页（问题页：实时评估的其余部分）"},
    {"k_page_up", "previous page (on a question: the live panel back)", "上一页（问题页：实时评估向回）"},
    {"k_filter", "filter the queue by name, phone or id", "按姓名、电话或编号筛选队列"},
    {"qa_ack", "acknowledged", "已确认收到"},
    {"qa_confirm", "level confirmed", "已确认等级"},
    {"qa_raise", "level raised", "已提升等级"},
    {"qa_assign", "counselor assigned", "已分配咨询师"},
    {"qa_contact", "contact attempt logged", "已记录联系尝试"},
    {"qa_decline", "decline recorded", "已记录拒绝"},
    {"qa_close", "closed", "已关闭"},
    {"k_ack", "acknowledge: a person has seen it", "确认收到：已有人看到"},
    {"k_confirm", "confirm or change the level (lowering needs a reason)", "确认或更改等级（降低需填原因）"},
    {"k_raise", "raise the level", "提升等级"},
    {"k_assign", "assign a counselor", "分配咨询师"},
    {"k_contact", "log a contact attempt", "记录一次联系尝试"},
    {"k_close", "close with an outcome", "以结果关闭"},
    {"k_available", "mark the counselor available or not", "设置咨询师可用或不可用"},
    {"k_lock", "lock or unlock the login", "锁定或解锁该登录"},
    {"k_reset", "set a new passphrase", "重设口令"},
    {"k_role", "change the role", "更改角色"},
    /* key names that differ in Chinese (keyed() looks them up as "key:NAME") */
    {"key:Up", "Up", "上"},
    {"key:Down", "Down", "下"},
    {"key:Space", "Space", "空格"},
    {"queue_pages", "{page_up} {page_down}", "{page_up} {page_down}"},
    {"restored_under_desk",
     "The database was restored from a backup while this desk was open: log in again. What was saved here before "
     "may be gone; check a record before relying on it.",
     "本工作台打开期间数据库已从备份恢复：请重新登录。此前在此保存的内容可能已不存在；请先核对档案再使用。"},
    {"restored_while_locked",
     "The database was restored from a backup while this desk was locked: what was saved here before may be gone. "
     "Check a record before relying on it.",
     "本工作台锁定期间数据库已从备份恢复：此前在此保存的内容可能已不存在。请先核对档案再使用。"},
    {"restore_number", "restore", "恢复次数"},
    /* the intake on screen when a restore sent the desk to the login (third restore tryout) */
    {"restored_intake", "The intake that was on screen", "当时屏幕上的接案"},
    {"restored_draft_gone", "it could not be saved, and the restore removed its draft: take it again after logging in.",
     "无法保存，且恢复已删除其草稿：登录后请重新进行。"},
    {"restored_draft_back", "it could not be saved; its draft is back as the backup held it: resume it and check "
     "every answer.", "无法保存；其草稿已回到备份时的状态：请继续并核对每个回答。"},
    {"restored_draft_none", "it could not be saved and had no draft: take it again after logging in.",
     "无法保存，且没有草稿：登录后请重新进行。"},
    {"restored_draft_unknown", "it could not be saved, and whether its draft is still there cannot be read: check the "
     "unfinished intakes after logging in.", "无法保存，且无法读取其草稿是否仍在：登录后请检查未完成的接案。"},
    {"draft_not_saved", "The draft could NOT be saved, nothing was kept; the answers are still on screen:",
     "草稿未能保存，未保留任何内容；回答仍在屏幕上："},
    {"logged_out_unsaved", "Logged out: the unfinished intake could NOT be saved as a draft:",
     "已退出登录：未完成的接案未能保存为草稿："},
    /* unsaved drafts at a guarded level (issue 14, the receptionist tryout) */
    {"discard_ask_guarded", "A client at this level is in no queue until the intake is saved. Type discard and {choose} to erase it for good; any other key keeps it.",
     "此等级的来访者在接案保存前不在任何队列中。输入 discard 并按 {choose} 永久删除；其他键保留。"},
    {"discard_kept", "Kept: the unfinished intake was not discarded.", "已保留：未完成的接案没有丢弃。"},
    {"at_risk_title", "Unsaved intakes at risk (in no queue until saved):", "有风险的未保存接案（保存前不在任何队列中）："},
    {"at_risk_yours", "yours: {resume} resumes it", "您的：{resume} 继续"},
    {"at_risk_by", "by", "接案人"},
    /* queue states and staff roles as the screens show them (the CLI and the files keep the English names) */
    {"by_hand_mark", "[by hand] ", "[人工匹配] "},
    /* a queue rule's refusal (tui/queue_refusal.c), {1} and {2} filled in */
    {"qr_closed", "This item is closed: it takes no more steps.", "此项已关闭，不能再操作。"},
    {"qr_bad_request", "The step was not understood (an unknown level, outcome or counselor code).",
     "无法识别该操作（等级、结果或咨询师代码无效）。"},
    {"qr_role", "denied: a {1} may not {2}", "拒绝：{1}无权{2}。"}, /* as the core's other denials read (tryout 20) */
    {"qr_do_confirm", "confirm a level", "确认等级"},
    {"qr_do_lower", "lower a level", "降低等级"},
    {"qr_do_close", "close an item", "关闭项目"},
    {"qr_ack_already", "Cannot acknowledge: the item is already {1} (perhaps at another desk a moment ago).",
     "无法确认收到：此项已是“{1}”（可能刚在另一台电脑上处理）。"},
    {"qr_confirm_already", "Cannot confirm: the item is already {1} and no lower level awaits review.",
     "无法确认等级：此项已是“{1}”，且没有待复核的较低等级。"},
    {"qr_lower_reason", "Lowering a level needs a written reason.", "降低等级须填写原因。"},
    {"qr_red_reason", "Confirming RED needs the evaluation's outcome as the reason.", "确认红色须填写评估结果作为原因。"},
    {"qr_raise_not_higher", "Cannot raise: {1} is not higher than {2}.", "无法提升：{1}不高于{2}。"},
    {"qr_confirm_first", "Cannot assign: the item is {1}; a clinician must confirm its level first.",
     "无法分配：此项为“{1}”，须先由临床人员确认等级。"},
    {"qr_assign_already", "Cannot assign: the item is already {1}.", "无法分配：此项已是“{1}”。"},
    {"qr_no_counselor", "Cannot assign: no counselor was chosen.", "无法分配：未选择咨询师。"},
    {"qr_contact_assign", "Cannot record a contact: the item is {1}; assign a counselor first.",
     "无法记录联系：此项为“{1}”，须先分配咨询师。"},
    {"qr_first_session_assign", "Cannot close as first session: the item is {1}; assign a counselor first.",
     "无法以“首次咨询”关闭：此项为“{1}”，须先分配咨询师。"},
    {"qr_decline_reason", "A decline needs the client's reason.", "记录拒绝须填写来访者的理由。"},
    {"qr_decline_nobody", "Nothing to decline: no counselor is assigned or suggested. A person matches this client.",
     "无可拒绝：没有已分配或建议的咨询师。由工作人员为此来访者匹配。"},
    {"qr_decline_not_assigned", "The client can decline only the counselor assigned, {1}.", "来访者只能拒绝已分配的咨询师：{1}。"},
    {"queue_typing", "Typing here does nothing: this is the queue list ({filter} searches for a client). Nothing was done.",
     "在此输入无效：这是队列列表（{filter} 搜索来访者）。未做任何操作。"},
    {"queue_burst_held", "Keys arrived too fast: nothing was done to this item. Look at it, then press the key again.",
     "按键太快：未对此条目做任何操作。请先查看，再按一次该键。"},
    {"pick_counselor", "Pick a counselor: the digit of the row, or {next}/{prev} then {choose}.",
     "请选择咨询师：按该行的数字，或按 {next}/{prev} 再按 {choose}。"},
    {"qr_declined_already", "The client declined {1} already: suggest another counselor (or a person matches).",
     "来访者已拒绝过{1}：请建议另一位咨询师（或由工作人员匹配）。"},
    {"qr_too_few_contacts", "Cannot close as unreachable: {1} of {2} contact attempts made.",
     "无法以“无法联系”关闭：已尝试联系 {1} 次，须达 {2} 次。"},
    {"qr_close_note", "Closing an orange or red item needs a written note: what became of the client.",
     "关闭橙色或红色条目须填写说明：来访者的去向。"},
    {"qr_close_confirm_first", "Cannot close as {1}: the item is {2}; a clinician must confirm it first.",
     "无法以“{1}”关闭：此项为“{2}”，须先由临床人员确认。"},
    {"qs_open", "open", "待处理"},
    {"qs_acknowledged", "acknowledged", "已确认收到"},
    {"qs_confirmed", "confirmed", "等级已确认"},
    {"qs_assigned", "assigned", "已分配"},
    {"qs_contacted", "contacted", "已联系"},
    {"qs_closed", "closed", "已关闭"},
    /* the core's actions, as its "denied: a ROLE may not ACTION" names them (denied_tr) */
    {"act:create intakes", "create intakes", "新建接案"},
    {"act:search clients", "search clients", "查找来访者"},
    {"act:open client records", "open client records", "打开来访者档案"},
    {"act:read other staff's clinical notes", "read other staff's clinical notes", "阅读其他工作人员的临床记录"},
    {"act:confirm risk levels", "confirm risk levels", "确认风险等级"},
    {"act:lower risk levels", "lower risk levels", "降低风险等级"},
    {"act:manage staff", "manage staff", "管理工作人员"},
    {"act:manage the roster", "manage the roster", "管理咨询师名册"},
    {"act:manage keys", "manage keys", "管理密钥"},
    {"act:make backups", "make backups", "备份"},
    {"act:verify the database", "verify the database", "校验数据库"},
    {"act:record session outcomes", "record session outcomes", "记录会谈结果"},
    {"act:see reports", "see reports", "查看报表"},
    {"act:export records", "export records", "导出记录"},
    {"act:erase client records", "erase client records", "删除来访者档案"},
    {"act:close queue items", "close queue items", "关闭队列条目"},
    {"act:act on a tampered queue item", "act on a tampered queue item", "处理被篡改的队列条目"},
    {"rl_reception", "reception", "前台"},
    {"rl_clinician", "clinician", "临床"},
    {"rl_supervisor", "supervisor", "主管"},
};

/* The core's refusal "denied: a ROLE may not ACTION" in the staff language (the core writes English for the
 * CLI, whose exit code reads the "denied:" prefix; the screens say it in Chinese too). Unknown text: as is. */
void denied_tr(char *msg, size_t size) {
    static const char *const prefix = "denied: a ";
    if (current != LANG_ZH || strncmp(msg, prefix, strlen(prefix)) != 0) return;
    const char *rest = msg + strlen(prefix);
    for (int r = 0; r < ROLE_COUNT; r++) {
        const char *person = staff_role_person((staff_role)r);
        size_t n = strlen(person);
        if (strncmp(rest, person, n) != 0 || strncmp(rest + n, " may not ", 9) != 0) continue;
        char action[160], key[200];
        snprintf(action, sizeof action, "%s", rest + n + 9);
        snprintf(key, sizeof key, "act:%s", action);
        const char *zh = tr(key);
        char out[512];
        snprintf(out, sizeof out, "拒绝：%s无权%s", role_tr((staff_role)r), zh == key ? action : zh);
        snprintf(msg, size, "%s", out);
        return;
    }
}

const char *state_tr(queue_state st) {
    static const char *const k[QS_COUNT] = {"qs_open", "qs_acknowledged", "qs_confirmed", "qs_assigned", "qs_contacted", "qs_closed"};
    return (unsigned)st < QS_COUNT ? tr(k[st]) : "?";
}

const char *role_tr(staff_role r) {
    static const char *const k[ROLE_COUNT] = {"rl_reception", "rl_clinician", "rl_supervisor"};
    return (unsigned)r < ROLE_COUNT ? tr(k[r]) : "?";
}

void remaining_tr(const queue_item *it, int64_t now, char *buf, size_t size) {
    queue_format_remaining(it, now, buf, size); /* the core's, in English: the same thresholds in Chinese */
    if (current != LANG_ZH || !size || it->state == QS_CLOSED || it->deadline == 0) {
        if (current == LANG_ZH && size) snprintf(buf, size, "无期限");
        return;
    }
    const int64_t day = 86400;
    int64_t left = it->deadline - now, t = left > 0 ? left : -left;
    const char *pre = left > 0 ? "剩" : "逾期"; /* short: the queue's column is 14 wide */
    if (t >= day) snprintf(buf, size, "%s %lld天%02lld时", pre, (long long)(t / day), (long long)(t % day / 3600));
    else if (t >= 3600 && left > 0) snprintf(buf, size, "%s %lld时%02lld分", pre, (long long)(t / 3600), (long long)(t % 3600 / 60));
    else if (t >= 3600) snprintf(buf, size, "%s %lld时", pre, (long long)(t / 3600));
    else snprintf(buf, size, "%s %lld分", pre, (long long)(t / 60));
}

const char *level_tr(risk_level l) {
    static const char *const k[LEVEL_COUNT] = {"level_green", "level_yellow", "level_orange", "level_red"};
    return tr(k[l < LEVEL_COUNT ? l : LEVEL_RED]);
}

/* "Anonymous caller KMT4821" saved at an English desk read so on Chinese screens, and "匿名来电者 KMT4821" on English
 * ones (the record's name is stored at the save, in the language of the desk that saved it): said in the screen's
 * language, the caller id kept. Any other name as it is. */
const char *client_name_tr(const char *stored) {
    static char buf[128];
    if (!stored) return "";
    size_t n = strlen(stored), id = WIZARD_CALLER_ID_LEN - 1;
    if (n <= id + 1 || stored[n - id - 1] != ' ') return stored;
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        if (strcmp(strings[i].key, "anonymous_caller") != 0) continue;
        const char *label[] = {strings[i].en, strings[i].zh};
        for (int l = 0; l < 2; l++)
            if (strlen(label[l]) == n - id - 1 && strncmp(stored, label[l], n - id - 1) == 0) {
                snprintf(buf, sizeof buf, "%s %s", current == LANG_ZH ? strings[i].zh : strings[i].en, stored + n - id);
                return buf;
            }
    }
    return stored;
}

/* ASCII letters folded, spaces trimmed: "  ANONYMOUS " reads "anonymous". */
static void fold_query(const char *in, char *out, size_t size) {
    while (*in == ' ') in++;
    size_t n = 0;
    for (; *in && n + 1 < size; in++) out[n++] = *in >= 'A' && *in <= 'Z' ? (char)(*in - 'A' + 'a') : *in;
    while (n > 0 && out[n - 1] == ' ') n--;
    out[n] = '\0';
}

bool anonymous_label_query(const char *query, char *en, char *zh, size_t size) {
    const char *label[2] = {"", ""};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        if (strcmp(strings[i].key, "anonymous_caller") == 0) label[0] = strings[i].en, label[1] = strings[i].zh;
    char q[128], l[128];
    fold_query(query ? query : "", q, sizeof q);
    size_t qn = strlen(q);
    if (!qn) return false;
    /* the name as a screen shows it, label and caller id, in the other desk's language (tryout 21: "Anonymous caller
     * PTB9644" found nothing for a caller a Chinese desk saved): the caller id, which every desk's record has */
    for (int k = 0; k < 2; k++) {
        fold_query(label[k], l, sizeof l);
        size_t ln = strlen(l);
        if (qn > ln && strncmp(q, l, ln) == 0 && (q[ln] == ' ' || k == 1)) {
            const char *rest = q + ln + strspn(q + ln, " ");
            if (*rest && !strchr(rest, ' ')) {
                snprintf(en, size, "%s", rest);
                zh[0] = '\0';
                return true;
            }
        }
    }
    bool named = false;
    /* English: the label, or one whole word of it ("caller"; "ann" or "an" is a name, not the label) */
    fold_query(label[0], l, sizeof l);
    for (const char *w = l; *w && !named; w = strchr(w, ' ') ? strchr(w, ' ') + 1 : w + strlen(w)) {
        size_t wn = strcspn(w, " ");
        named = (qn == wn && strncmp(w, q, qn) == 0) || strcmp(l, q) == 0;
    }
    /* Chinese: any part of two characters or more (a Chinese label has no spaces between its words) */
    named = named || (qn >= 6 && (unsigned char)q[0] >= 0xe0 && strstr(label[1], q));
    if (named) {
        snprintf(en, size, "%.*s", (int)strcspn(label[0], " "), label[0]);
        snprintf(zh, size, "%.*s", (int)strcspn(label[1], " "), label[1]);
    }
    return named;
}

const char *tr(const char *key) {
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        if (strcmp(strings[i].key, key) == 0) return current == LANG_ZH ? strings[i].zh : strings[i].en;
    return key;
}
