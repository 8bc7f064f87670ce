"""Reading heads' commands the way they are typed, and answering wrong ones."""

import pytest

from sms.head_commands import BadForm, HeadCommand, parse
from telephony.segments import segments

HEAD = "+8613900000201"
RESIDENT = "+8613900010003"

FORMS = {
    "acknowledge": "受理请回复：收 加编号，比如 收 12",
    "big": "定为大事（报政府）请回复：大 加编号，比如 大 12",
    "small": "定为小事（院落自己办）请回复：小 加编号，比如 小 12",
    "private": "定为私事（给建议）请回复：私 加编号，比如 私 12",
    "assign": "派人请回复：派 编号 手机号，比如 派 12 13900010002",
    "note": "记一笔请回复：记 编号 内容，比如 记 12 明天请人来修",
    "resolve": "办结请回复：办 编号 结果，比如 办 12 已修好",
    "escalate": "上报请回复：升 加编号，比如 升 12",
    "reopen": "重开请回复：重开 加编号，比如 重开 12",
    "list": "查看待办请只回复一个字：查",
    "award": "加分请回复：分 手机号 分数 原因，比如 分 13900010002 5 打扫卫生",
}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("收 12", HeadCommand("acknowledge", 12)),
        ("收12", HeadCommand("acknowledge", 12)),
        ("收　１２", HeadCommand("acknowledge", 12)),
        ("收 12。", HeadCommand("acknowledge", 12)),
        ("收12号", HeadCommand("acknowledge", 12)),
        ("受理 12", HeadCommand("acknowledge", 12)),
        ("收到：12", HeadCommand("acknowledge", 12)),
        ("大 7", HeadCommand("big", 7)),
        ("小事7", HeadCommand("small", 7)),
        ("私 7", HeadCommand("private", 7)),
        ("派 12 139 0001 0002", HeadCommand("assign", 12, phone="+8613900010002")),
        ("派12 +86 13900010002", HeadCommand("assign", 12, phone="+8613900010002")),
        ("记 12 明天请人来修", HeadCommand("note", 12, "明天请人来修")),
        ("记12明天请人来修。", HeadCommand("note", 12, "明天请人来修")),
        ("办 12 已修好", HeadCommand("resolve", 12, "已修好")),
        ("办结 123 已修好", HeadCommand("resolve", 123, "已修好")),
        ("升 12", HeadCommand("escalate", 12)),
        ("上报12", HeadCommand("escalate", 12)),
        ("重开 12", HeadCommand("reopen", 12)),
        ("查", HeadCommand("list")),
        ("查。", HeadCommand("list")),
        ("待办", HeadCommand("list")),
        (
            "分 13900010002 5 打扫卫生",
            HeadCommand("award", None, "打扫卫生", "+8613900010002", 5),
        ),
        (
            "加分13900010002 5分 巡逻",
            HeadCommand("award", None, "巡逻", "+8613900010002", 5),
        ),
    ],
)
def test_commands_are_read_as_people_type_them(typed, expected):
    assert parse(typed) == expected


@pytest.mark.parametrize(
    "typed", ["大家明天开会", "小孩发烧了", "收到了谢谢", "查积分", "分享一下", "你好"]
)
def test_sentences_are_not_commands(typed):
    assert parse(typed) is None


@pytest.mark.parametrize(
    ("typed", "form"),
    [
        ("收", "acknowledge"),
        ("收 abc", "acknowledge"),
        ("收abc", "acknowledge"),
        ("收 十二", "acknowledge"),
        ("收十二", "acknowledge"),
        ("收 12 好的", "acknowledge"),
        ("收 1 2", "acknowledge"),
        ("大", "big"),
        ("小 x", "small"),
        ("私 12 谢谢", "private"),
        ("派 12", "assign"),
        ("派 12 张三", "assign"),
        ("派 12 123", "assign"),
        ("派 13900010002", "assign"),
        ("记 12", "note"),
        ("记", "note"),
        ("办 12", "resolve"),
        ("办 十二 修好了", "resolve"),
        ("升", "escalate"),
        ("升 12 快点", "escalate"),
        ("重开", "reopen"),
        ("重开 abc", "reopen"),
        ("查 12", "list"),
        ("查 全部", "list"),
        ("分 13900010002", "award"),
        ("分 13900010002 5", "award"),
        ("分 13900010002 五 打扫卫生", "award"),
        ("分 13900010002 500 打扫卫生", "award"),
        ("分 张三 5 打扫卫生", "award"),
    ],
)
def test_a_malformed_command_gets_the_right_form_in_one_sms(
    demo, text, deliver, typed, form
):
    text(RESIDENT, "1 路灯坏了")
    deliver()

    with pytest.raises(BadForm):
        parse(typed)
    replies = text(HEAD, typed)

    assert replies == [FORMS[form]]
    assert segments(replies[0]) == 1
    assert deliver() == []


@pytest.mark.parametrize("typed", ["收 99", "收９９。", "办 99 修好了", "重开99"])
def test_an_unknown_number_says_so(demo, text, typed):
    assert text(HEAD, typed) == [
        "您院落没有编号99的事情，不能操作。回复 查 看您的待办。"
    ]


def test_a_head_is_still_a_resident(demo, text, deliver):
    assert text(HEAD, "1 院坝的灯不亮") == ["已记下，编号1。急事请拨110或120。"]
    assert text(HEAD, "4") == ["您的积分0分。本院落共0分，8个院落中排第1。"]


def test_a_command_is_not_taken_as_the_answer_to_a_question(demo, text, db):
    text(RESIDENT, "1 路灯坏了")
    assert text(HEAD, "1") == ["请直接回复要反映的事情，比如：村口路灯坏了。"]

    assert text(HEAD, "收 1") == ["已受理事情1，已告诉郭长江。"]
    assert text(HEAD, "院坝的灯不亮") == ["已记下，编号2。急事请拨110或120。"]


def test_a_note_does_not_acknowledge(demo, text, db):
    text(RESIDENT, "1 路灯坏了")

    assert text(HEAD, "记 1 先看看") == ["已记到事情1。"]

    row = next(db.query("SELECT status, acknowledged_at FROM issues"))
    assert (row["status"], row["acknowledged_at"]) == ("new", None)


def test_a_head_chatting_gets_the_command_card(demo, text, deliver):
    assert text(HEAD, "大家好") == [
        "院落长回复：收/大/小/私/升/重开 加编号；派/记/办 编号加内容；查；分 手机号 分数 原因"
    ]
    assert deliver() == []


def test_a_head_cannot_award_himself(demo, text, db):
    assert text(HEAD, "分 13900000201 50 自己辛苦") == [
        "不能给自己加分，请让指导员或总院落长加。"
    ]
    assert db["points"].count == 0
