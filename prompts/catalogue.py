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
    "followup_added": "已补充到事情{number}，院落长会看到。",
    "unmatched": "已收到，转给院落长看。报事发1加内容，求助发2加内容，菜单发0。",
    "no_notices": "目前没有新通知。",
    "notices": "通知：{notices}",
    "notice_item": "{date} {body}",
    "points": "您的积分{points}分。本院落共{courtyard_points}分，{courtyards}个院落中排第{rank}。",
    "opted_out": "已退订，不再给您发短信。想恢复请回复订阅。",
    "opted_in": "已恢复订阅。发0看菜单。",
    "unknown_sender": (
        "您好，这个号码还没登记到院落，已转告工作人员，会尽快联系您。急事请拨110或120。"
    ),
    # Alerts to courtyard heads and volunteers.
    "head_new_report": "【小院通】事情{number} {name}{phone}报：{body}",
    "head_new_help": "【小院通】求助{number} {name}{phone}：{body}",
    "volunteer_help": "【小院通】邻居求助{number} {courtyard}{name}{phone}：{body}",
    "head_followup": "【小院通】事情{number}补充 {name}：{body}",
    "head_unmatched": "【小院通】{name}{phone}发来：{body}",
}

# Fields that may be shortened to keep a text within one SMS, in order of preference.
FIT_FIELDS = ("body", "notices", "name", "courtyard")

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
