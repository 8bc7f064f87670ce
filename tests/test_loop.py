"""The closed loop by SMS only: report, acknowledge, sort, resolve, rate, reopen."""

import pytest

RESIDENT = "+8613900010003"  # 郭长江, 金银4组白坟堡
HEAD = "+8613900000201"  # 赵德明, head of 金银4组白坟堡
OTHER_HEAD = "+8613900000202"  # 孙玉兰, head of 金银4组喻家坪
VOLUNTEER = "+8613900010002"  # 胡晓燕, 金银4组白坟堡


def statuses(db):
    return [(row["id"], row["status"]) for row in db.query("SELECT * FROM issues")]


def steps(db, issue_id=1):
    rows = db.query(
        "SELECT action, actor_phone, note FROM issue_events WHERE issue_id = ? "
        "ORDER BY id",
        [issue_id],
    )
    return [tuple(row.values()) for row in rows]


def test_the_whole_loop_by_sms(demo, text, deliver, clock, db):
    assert text(RESIDENT, "1 路灯坏了") == [
        "已收到，事情编号1，已告诉院落长赵德明。有补充可直接回复。"
    ]
    assert deliver() == [
        (HEAD, "【小院通】事情1 郭长江13900010003报：路灯坏了。回复 收1 受理")
    ]

    clock.advance(minutes=5)
    assert text(HEAD, "收 1") == ["已受理事情1，已告诉郭长江。"]
    assert deliver() == [(RESIDENT, "【小院通】您的事情1院落长已收到，会尽快处理。")]

    clock.advance(minutes=5)
    assert text(HEAD, "小 1") == ["事情1已定为小事，已告诉郭长江。"]
    assert deliver() == [
        (RESIDENT, "【小院通】事情1由院落里大家商量着办，办好告诉您。")
    ]

    clock.advance(hours=3)
    assert text(HEAD, "办 1 路灯已换新") == ["事情1已办结，已请郭长江评价。"]
    assert deliver() == [
        (RESIDENT, "【小院通】事情1已办好：路灯已换新。满意回1，不满意回2。")
    ]

    clock.advance(hours=1)
    assert text(RESIDENT, "2") == ["事情1已重新打开，院落长会再来处理。"]
    assert deliver() == [
        (HEAD, "【小院通】郭长江对事情1不满意，已重开。办好后回复：办 1 结果")
    ]
    assert statuses(db) == [(1, "in_progress")]

    clock.advance(hours=2)
    assert text(HEAD, "办 1 电工重新接了线") == ["事情1已办结，已请郭长江评价。"]
    assert deliver() == [
        (RESIDENT, "【小院通】事情1已办好：电工重新接了线。满意回1，不满意回2。")
    ]

    clock.advance(minutes=30)
    assert text(RESIDENT, "1") == ["谢谢您的评价！事情1已办结。"]
    assert deliver() == []

    assert statuses(db) == [(1, "rated")]
    assert steps(db) == [
        ("created", RESIDENT, "路灯坏了"),
        ("acknowledged", HEAD, None),
        ("sorted", HEAD, "small"),
        ("resolved", HEAD, "路灯已换新"),
        ("rated", RESIDENT, "unsatisfied"),
        ("reopened", RESIDENT, "unsatisfied"),
        ("resolved", HEAD, "电工重新接了线"),
        ("rated", RESIDENT, "satisfied"),
    ]


def test_a_rating_reply_is_an_answer_not_a_menu_key(demo, text, deliver, db):
    text(RESIDENT, "1 路灯坏了")
    text(HEAD, "办 1 已修好")

    assert text(RESIDENT, "满意。") == ["谢谢您的评价！事情1已办结。"]
    assert text(RESIDENT, "1") == ["请直接回复要反映的事情，比如：村口路灯坏了。"]
    assert statuses(db) == [(1, "rated")]


def test_an_expired_rating_question_leaves_the_menu_alone(
    demo, text, deliver, clock, db
):
    text(RESIDENT, "1 路灯坏了")
    text(HEAD, "办 1 已修好")
    clock.advance(hours=73)

    assert text(RESIDENT, "1") == ["请直接回复要反映的事情，比如：村口路灯坏了。"]
    assert statuses(db) == [(1, "resolved")]


@pytest.mark.parametrize(
    "command",
    ["收 1", "小 1", "大 1", "私 1", "办 1 修好了", "记 1 明天修", "升 1", "重开 1"],
)
def test_another_courtyards_head_is_refused_and_nothing_changes(
    demo, text, deliver, db, command
):
    text(RESIDENT, "1 路灯坏了")
    deliver()

    assert text(OTHER_HEAD, command) == [
        "您院落没有编号1的事情，不能操作。回复 查 看您的待办。"
    ]
    assert text(OTHER_HEAD, "派 1 13900010009") == [
        "您院落没有编号1的事情，不能操作。回复 查 看您的待办。"
    ]
    assert deliver() == []
    assert statuses(db) == [(1, "new")]
    assert steps(db) == [("created", RESIDENT, "路灯坏了")]


def test_a_resident_cannot_triage(demo, text, deliver, db):
    text(RESIDENT, "1 路灯坏了")
    deliver()

    assert text(VOLUNTEER, "收 1") == [
        "已收到，转给院落长看。报事发1加内容，求助发2加内容，菜单发0。"
    ]
    assert statuses(db) == [(1, "new")]


def test_the_general_head_and_instructor_act_on_their_communitys_issues(
    demo, text, deliver, db
):
    text(RESIDENT, "1 路灯坏了")
    text("+8613900010009", "1 水管冻裂了")  # 赵德福, 金银4组喻家坪

    assert text("+8613900000102", "收 1") == [
        "您院落没有编号1的事情，不能操作。回复 查 看您的待办。"
    ]
    assert text("+8613900000101", "收 1") == ["已受理事情1，已告诉郭长江。"]
    assert text("+8613900000301", "收 2") == ["已受理事情2，已告诉赵德福。"]
    assert statuses(db) == [(1, "acknowledged"), (2, "acknowledged")]


def test_assign_note_reopen(demo, text, deliver, db):
    text(RESIDENT, "1 路灯坏了")
    deliver()

    assert text(HEAD, "派 1 139 0001 0002") == ["已派胡晓燕办事情1，已短信通知。"]
    assert deliver() == [
        (VOLUNTEER, "【小院通】赵德明请您办事情1：路灯坏了。联系郭长江13900010003"),
        (RESIDENT, "【小院通】您的事情1院落长已收到，会尽快处理。"),
    ]
    assert text(HEAD, "记1 明天请电工来") == ["已记到事情1。"]
    assert text(HEAD, "重开 1") == ["事情1还没办结，不用重开。"]
    assert text(HEAD, "办 1 好了") == ["事情1已办结，已请郭长江评价。"]
    assert text(HEAD, "收 1") == ["事情1已办结。要重开请回复：重开 1"]
    deliver()

    assert text(HEAD, "重开 1") == ["事情1已重开，已告诉郭长江。"]
    assert deliver() == [(RESIDENT, "【小院通】事情1已重新打开，院落长会接着办。")]
    assert statuses(db) == [(1, "in_progress")]
    assert [step[0] for step in steps(db)] == [
        "created",
        "assigned",
        "note",
        "resolved",
        "reopened",
    ]


def test_assigning_someone_outside_the_courtyard_is_refused(demo, text, db):
    text(RESIDENT, "1 路灯坏了")

    assert text(HEAD, "派 1 13900010009") == ["13900010009不是您院落登记的住户。"]
    assert statuses(db) == [(1, "new")]


def test_awarding_points(demo, text, deliver, db):
    assert text(HEAD, "分 13900010002 5 打扫卫生") == ["已给胡晓燕加5分：打扫卫生"]
    assert deliver() == [
        (VOLUNTEER, "【小院通】赵德明给您加了5分：打扫卫生。发4查积分。")
    ]
    assert text(VOLUNTEER, "4") == ["您的积分5分。本院落共5分，8个院落中排第1。"]
    assert text(OTHER_HEAD, "分 13900010002 5 打扫卫生") == [
        "13900010002不是您院落登记的住户。"
    ]
