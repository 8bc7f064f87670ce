"""Every sentence a resident reads or hears, in one place.

SMS texts are format strings; a field named in FIT_FIELDS is shortened with "…" so the
whole text stays within one SMS (70 characters of Chinese).
"""

SMS = {
    # Replies to residents.
    "menu": (
        "小院通：报事发1加内容，求助发2加内容，听通知发3，查积分发4，菜单发0。"
        "不想收短信回TD"
    ),
    "empty": "没收到文字。报事发1加内容，求助发2加内容，查积分发4，菜单发0。",
    "ask_report": "请直接回复要反映的事情，比如：村口路灯坏了。",
    "ask_help": "请直接回复要什么帮助，比如：我妈摔倒了请人去看看。",
    "report_created": "已收到，事情编号{number}，已告诉院落长{head}。有补充可直接回复。",
    "help_created": "已收到求助，编号{number}，已通知院落长和志愿者。急病请拨120。",
    "help_created_head": "已收到求助，编号{number}，已通知院落长。急病请拨120。",
    "created_kept": "已记下，编号{number}。急事请拨110或120。",
    "repeat_report": "这件事已记下，编号{number}，不用再发。",
    "head_help_unspecified": "【小院通】{name}{phone}发了求助，还没说什么事，请联系。",
    "followup_added": "已补充到事情{number}，院落长会看到。",
    "unmatched": "已收到，转给院落长看。报事发1加内容，求助发2加内容，菜单发0。",
    "no_notices": "目前没有新通知。",
    "notices": "通知：{notices}",
    "notice_item": "{date} {body}",
    "points": "您的积分{points}分。本院落共{courtyard_points}分，{courtyards}个院落中排第{rank}。",
    "opted_out": "已退订，不再给您发短信。想恢复请回复订阅。",
    "opted_in": "已恢复订阅。发0看菜单。",
    "unknown_sender": "您好，这个号码还没登记，不能报事或代人求助，工作人员会看到这条短信。急事请拨110或120。",
    # Alerts to courtyard heads and volunteers.
    "head_new_report": "【小院通】事情{number} {name}{phone}报：{body}。回复 收{number} 受理",
    "head_new_help": "【小院通】求助{number} {name}{phone}：{body}。回复 收{number} 受理",
    "volunteer_help": "【小院通】邻居求助{number} {courtyard}{name}{phone}：{body}。能去请回复 接{number}",
    "head_followup": "【小院通】事情{number}补充 {name}：{body}",
    "head_unmatched": "【小院通】{name}{phone}发来：{body}",
    # Neighbours taking help requests, and families asking on a parent's behalf.
    "aid_accepted": "谢谢您！求助{number}由您去帮：{name}{phone}。帮完请回复 完{number}",
    "aid_coming": "{helper}（{helper_phone}）马上来帮您，求助{number}。",
    "aid_taken_head": "【小院通】求助{number}已由{helper}{helper_phone}接手。",
    "aid_taken_other": "求助{number}已由{helper}接手，谢谢您。",
    "aid_taken": "求助{number}已由{helper}接手了，谢谢您。",
    "aid_unknown": "没有找到您院落的求助{number}，请核对编号。",
    "aid_not_yours": "求助{number}不是您接的，不能标记帮完。",
    "aid_closed": "求助{number}已经办完了，谢谢。",
    "aid_done": "已记下求助{number}帮完了，对方确认后给您加{points}分。",
    "aid_confirm_question": "{helper}说求助{number}已帮完。帮到了请回复1，还没好请回复2。",
    "aid_confirm_again": "请回复1表示帮到了，回复2表示还没好。",
    "aid_confirmed": "谢谢确认，求助{number}已完成。感谢{helper}！",
    "aid_not_done_requester": "已告诉{helper}求助{number}还没好，会再来看看。",
    "aid_not_done_helper": "求助{number}对方说还没好，请再去看看，帮完回复 完{number}",
    "aid_points": "求助{number}对方已确认，给您加{points}分，谢谢！",
    "aid_form_accept": "接求助请回复：接 编号，比如 接7",
    "aid_form_done": "帮完请回复：完 编号，比如 完7",
    "family_name": "{name}家属",
    # The daily check-in.
    "checkin_sms": "平安呼：{name}您好，今天一切都好请回复1。",
    "checkin_ok": "收到，祝您今天平安！",
    "checkin_alert_neighbour": "【平安呼】邻居{name}今天没回平安呼，请去看看，电话{phone}。",
    "checkin_alert_family": "【平安呼】您的家人{name}今天没回平安呼，已请邻居去看，电话{phone}。",
    "checkin_alert_head": "【平安呼】{name}今天没回平安呼，已告诉邻居和家属，电话{phone}。",
    "checkin_closed": "【平安呼】{name}刚才已报平安，谢谢关心。",
    # Head commands, the loop and escalation.
    "form_acknowledge": "受理请回复：收 加编号，比如 收 12",
    "form_big": "定为大事（报政府）请回复：大 加编号，比如 大 12",
    "form_small": "定为小事（院落自己办）请回复：小 加编号，比如 小 12",
    "form_private": "定为私事（给建议）请回复：私 加编号，比如 私 12",
    "form_assign": "派人请回复：派 编号 手机号，比如 派 12 13900010002",
    "form_note": "记一笔请回复：记 编号 内容，比如 记 12 明天请人来修",
    "form_resolve": "办结请回复：办 编号 结果，比如 办 12 已修好",
    "form_escalate": "上报请回复：升 加编号，比如 升 12",
    "form_reopen": "重开请回复：重开 加编号，比如 重开 12",
    "form_list": "查看待办请只回复一个字：查",
    "form_award": "加分请回复：分 手机号 分数 原因，比如 分 13900010002 5 打扫卫生",
    "unknown_issue": "没有编号{number}的事情。回复 查 看您的待办。",
    "not_your_issue": "编号{number}不是您院落的事情，不能操作。",
    "not_your_resident": "{phone}不是您院落登记的住户。",
    "already_acknowledged": "{what}{number}已经受理过了。",
    "already_closed": "{what}{number}已办结。要重开请回复：重开 {number}",
    "not_closed": "{what}{number}还没办结，不用重开。",
    "top_of_ladder": "{what}{number}已报到街道办，不能再升了。",
    "done_acknowledge": "已受理{what}{number}，已告诉{name}。",
    "done_sort": "{what}{number}已定为{stream}，已告诉{name}。",
    "done_sort_big": "{what}{number}已定为大事，已报社区和街道办，已告诉{name}。",
    "done_assign": "已派{name}办{what}{number}，已短信通知。",
    "done_note": "已记到{what}{number}。",
    "done_resolve": "{what}{number}已办结，已请{name}评价。",
    "done_escalate": "{what}{number}已上报{rung}{name}。",
    "done_reopen": "{what}{number}已重开，已告诉{name}。",
    "done_award": "已给{name}加{points}分：{body}",
    "open_list": "待办{count}件：{items}",
    "open_none": "没有待办的事情。",
    "reporter_acknowledged": "【小院通】您的{what}{number}院落长已收到，会尽快处理。",
    "reporter_big": "【小院通】{what}{number}是大事，已报社区和街道办处理，有消息告诉您。",
    "reporter_small": "【小院通】{what}{number}由院落里大家商量着办，办好告诉您。",
    "reporter_private": "【小院通】{what}{number}是家里的事，院落长会给您出主意。",
    "reporter_resolved": "【小院通】{what}{number}已办好：{body}。满意回1，不满意回2。",
    "reporter_reopened": "【小院通】{what}{number}已重新打开，院落长会接着办。",
    "rated_satisfied": "谢谢您的评价！{what}{number}已办结。",
    "rated_unsatisfied": "{what}{number}已重新打开，院落长会再来处理。",
    "head_unsatisfied": "【小院通】{name}对{what}{number}不满意，已重开。办好后回复：办 {number} 结果",
    "assignee_task": "【小院通】{head}请您办{what}{number}：{body}。联系{name}{phone}",
    "points_awarded": "【小院通】{head}给您加了{points}分：{body}。发4查积分。",
    "escalated": "【小院通】{what}{number}已{waited}没人受理 {courtyard}{name}：{body}。回复 收{number} 受理",
    "escalated_by_head": "【小院通】院落长上报{what}{number} {courtyard}{name}：{body}。回复 收{number} 受理",
    "big_matter": "【小院通】大事{number} {courtyard}{name}：{body}。院落长已报，请社区和街道办处理。",
    "digest": "【小院通】今日汇总：待办{open}件，其中超时{overdue}件；新评价{rated}件，不满意{unhappy}件。回复 查 看详情",
}

# Fields that may be shortened to keep a text within one SMS, in order of preference.
FIT_FIELDS = ("body", "notices", "name", "courtyard")

# What a voice check-in call says; the worker plays it through the outbox.
CHECKIN_VOICE = {
    "checkin_call": "平安呼。{name}您好，今天一切都好，请按1。",
    "checkin_call_again": "没有听到按键。我们稍后再打给您。",
    "checkin_call_ok": "收到，祝您今天平安。再见。",
}

# What callers hear on the voice menu. Whole numbers in fields are spoken as words.
# Keys starting with "body_" are ledger entries the head reads in an alert text.
VOICE = {
    # Greeting and the main menu: the label before the key.
    "greeting": "您好，这里是小院通，{courtyard}。",
    "greeting_unknown": "您好，这里是小院通。您的号码还没有登记，也可以留言，我们转告工作人员。",
    "menu": "报事情，请按1。找人帮忙，请按2。听通知，请按3。查积分，请按4。找院落长，请按0。再听一遍，请按星号。",
    "menu_head": "院落长录通知，请按5。",
    # When a key does not come or does not fit.
    "miss_silence": "没有听到按键。",
    "miss_wrong": "没有这个选项。",
    "miss_no_recording": "没有录到声音。",
    "offer_message": "没关系。请在嘀声后说说您的事，说完挂电话就行。我们会请人给您回电话。",
    "message_unknown": "请在嘀声后说说您的事，说完挂电话就行。我们转告工作人员给您回电话。",
    "message_head": "请在嘀声后留言，说完挂电话就行，院落长会给您回电话。",
    "message_thanks": "已经记下了，会有人给您回电话。谢谢您，再见。",
    "goodbye": "谢谢您打来，再见。",
    "call_too_long": "通话时间到了。有事请再打过来，再见。",
    # 1: report by voice.
    "report_record": "请在嘀声后说您要报的事情，说完按井号键。",
    "report_heard": "这是您刚才说的：",
    "report_confirm": "保留，请按1。重新说，请按2。",
    "report_kept": "已经记下了，编号{number}，已经告诉院落长{head}。",
    # 2: ask for help.
    "help_kinds": "看望老人，请按1。照看孩子，请按2。农活帮忙，请按3。其他的事，请按4。",
    "help_describe": "请在嘀声后说说情况，说完按井号键。不想说，直接按井号键。",
    "help_confirm": "您要找人帮忙：{kind}。确认，请按1。重新选，请按2。",
    "help_kept": "已经通知院落长和志愿者，编号{number}。急病请打一二零。",
    "help_kind_elderly": "看望老人",
    "help_kind_children": "照看孩子",
    "help_kind_farm": "农活帮忙",
    "help_kind_other": "其他的事",
    # 3: notices, newest first.
    "notices_none": "现在没有新通知。",
    "notice_date": "{month}月{day}号的通知：",
    "notice_next": "听下一条，请按1。再听一遍，请按星号。",
    "notice_last": "再听一遍，请按星号。",
    "notices_end": "通知听完了。",
    # 4: points.
    "points": "您的积分是{points}分。本院落一共{courtyard_points}分，在{courtyards}个院落里排第{rank}。",
    "points_unknown": "您的号码还没有登记，查不到积分。",
    # 0: a person.
    "dial_head": "正在给院落长{head}打电话，请稍等。",
    "dial_general_head": "正在给总院落长{head}打电话，请稍等。",
    "dial_no_answer": "院落长没有接电话。",
    "no_head": "现在没有登记能接电话的人。",
    # 5: a head records a notice.
    "head_pin": "请输入密码，按井号键结束。",
    "head_pin_wrong": "密码不对。",
    "head_pin_unset": "您还没有设置密码，请找工作人员设置。",
    "notice_record": "请在嘀声后说通知内容，说完按井号键。",
    "notice_heard": "这是您录的通知：",
    "notice_confirm": "保留，请按1。重新录，请按2。",
    "notice_kept": "通知已经存好，大家按3就能听到。",
    # Ledger entries and alerts made from calls.
    "body_report": "语音报事，录音{seconds}秒，请听录音或回电",
    "body_rerecorded": "重新录了一段语音，{seconds}秒",
    "body_help": "{kind}",
    "body_help_recorded": "{kind}，另有录音{seconds}秒",
    "body_missed": "来电没选好菜单，留言{seconds}秒，请回电",
    "body_missed_silent": "来电没选好菜单，没有留言，请回电",
    "body_head": "找院落长没接通，留言{seconds}秒，请回电",
    "body_head_silent": "找院落长没接通，请回电",
    "body_notice": "院落长{head}的语音通知，拨打小院通按3收听",
    "staff_message": "【小院通】未登记号码{phone}来电留言{seconds}秒，请回电",
    "staff_message_silent": "【小院通】未登记号码{phone}来电，没有留言，请回电",
}
