"""The escalation ladder: unacknowledged issues climb, each rung exactly once."""

import pytest

from courtyard.ladder import escalate_due
from db import connect

RESIDENT = "+8613900010003"  # 郭长江, 金银4组白坟堡
HEAD = "+8613900000201"  # 赵德明
INSTRUCTOR = "+8613900000301"  # 王建国
GENERAL_HEAD = "+8613900000101"  # 李秀英, 金银社区
SUBDISTRICT = "+8613900000099"
VOLUNTEERS = ["+8613900010002", "+8613900010004", "+8613900010005", "+8613900010007"]

TO_INSTRUCTOR = (
    "【小院通】求助1已10分钟没人受理 金银4组白坟堡郭长江：我摔倒了起不来。回复 收1 受理"
)
BY_HAND = "【小院通】院落长上报求助1 金银4组白坟堡郭长江：我摔倒了起不来。回复 收1 受理"
TO_GENERAL_HEAD = TO_INSTRUCTOR.replace("10分钟", "25分钟")
TO_SUBDISTRICT = TO_INSTRUCTOR.replace("10分钟", "45分钟")


@pytest.fixture
def ladder(demo):
    demo.config.update(
        ESCALATE_HELP_MINUTES="10,25,45",
        ESCALATE_REPORT_MINUTES="1440,2880,4320",
        SUBDISTRICT_PHONES="13900000099",
    )
    return demo


@pytest.fixture
def tick(ladder, runner):
    """Run `flask tick` once; return what it printed."""

    def run():
        with ladder.app_context():
            result = runner.invoke(args=["tick"])
        assert result.exit_code == 0, result.output
        return result.output.strip()

    return run


def help_requested(text, deliver):
    assert text(RESIDENT, "2 我摔倒了起不来") == [
        "已收到求助，编号1，已通知院落长和志愿者。急病请拨120。"
    ]
    first = deliver()
    assert [to for to, _ in first] == [HEAD, *VOLUNTEERS]


def test_urgent_help_climbs_at_the_configured_waits_exactly_once(
    ladder, text, deliver, clock, tick
):
    help_requested(text, deliver)

    clock.advance(minutes=9, seconds=59)
    assert tick() == "Queued 0 text(s); the worker sends them."
    assert deliver() == []

    clock.advance(seconds=1)
    assert tick() == "Queued 1 text(s); the worker sends them."
    assert tick() == "Queued 0 text(s); the worker sends them."
    assert deliver() == [(INSTRUCTOR, TO_INSTRUCTOR)]
    assert deliver() == []

    clock.advance(minutes=15)
    assert deliver() == [(GENERAL_HEAD, TO_GENERAL_HEAD)]
    assert tick() == "Queued 0 text(s); the worker sends them."
    assert deliver() == []

    clock.advance(minutes=20)
    assert deliver() == [(SUBDISTRICT, TO_SUBDISTRICT)]

    clock.advance(days=3)
    assert tick() == "Queued 0 text(s); the worker sends them."
    assert deliver() == []


def test_a_worker_that_was_down_catches_up_once(ladder, text, deliver, clock, tick, db):
    help_requested(text, deliver)

    clock.advance(minutes=30)
    assert tick() == "Queued 2 text(s); the worker sends them."
    assert tick() == "Queued 0 text(s); the worker sends them."
    assert deliver() == [
        (INSTRUCTOR, TO_INSTRUCTOR),
        (GENERAL_HEAD, TO_GENERAL_HEAD),
    ]
    assert deliver() == []

    escalations = db.query(
        "SELECT note FROM issue_events WHERE action = 'escalated' ORDER BY id"
    )
    assert [row["note"] for row in escalations] == ["指导员", "总院落长"]


def test_acknowledging_stops_the_ladder(ladder, text, deliver, clock):
    help_requested(text, deliver)
    clock.advance(minutes=12)
    assert deliver() == [(INSTRUCTOR, TO_INSTRUCTOR)]

    assert text(INSTRUCTOR, "收 1") == ["已受理求助1，已告诉郭长江。"]
    assert deliver() == [(RESIDENT, "【小院通】您的求助1指导员已收到，会尽快处理。")]

    clock.advance(hours=2)
    assert deliver() == []


def test_an_ordinary_report_waits_a_day(ladder, text, deliver, clock):
    text(RESIDENT, "1 路灯坏了")
    deliver()

    clock.advance(hours=23, minutes=59)
    assert deliver() == []

    clock.advance(minutes=1)
    assert deliver() == [
        (
            INSTRUCTOR,
            "【小院通】事情1已1天没人受理 金银4组白坟堡郭长江：路灯坏了。回复 收1 受理",
        )
    ]


def test_a_big_matter_goes_to_the_community_and_subdistrict_at_once(
    ladder, text, deliver
):
    text(RESIDENT, "1 村道塌方了")
    deliver()

    assert text(HEAD, "大 1") == ["事情1已定为大事，已报社区和街道办，已告诉郭长江。"]
    big = (
        "【小院通】大事1 金银4组白坟堡郭长江：村道塌方了。"
        "院落长已报，请社区和街道办处理。"
    )
    assert deliver() == [
        (GENERAL_HEAD, big),
        (SUBDISTRICT, big),
        (RESIDENT, "【小院通】事情1是大事，院落长往上报了，有消息告诉您。"),
    ]


def test_a_big_matter_reaches_staff_who_already_had_an_escalation(
    ladder, text, deliver, clock
):
    help_requested(text, deliver)
    clock.advance(minutes=30)
    assert [to for to, _ in deliver()] == [INSTRUCTOR, GENERAL_HEAD]

    assert text(HEAD, "大 1") == ["求助1已定为大事，已报社区和街道办，已告诉郭长江。"]
    big = (
        "【小院通】大事1 金银4组白坟堡郭长江：我摔倒了起不来。"
        "院落长已报，请社区和街道办处理。"
    )
    assert deliver() == [
        (GENERAL_HEAD, big),
        (SUBDISTRICT, big),
        (RESIDENT, "【小院通】求助1是大事，院落长往上报了，有消息告诉您。"),
    ]


def test_a_head_escalates_by_hand_and_the_ladder_does_not_repeat_it(
    ladder, text, deliver, clock
):
    help_requested(text, deliver)

    assert text(HEAD, "升 1") == ["求助1已上报指导员王建国。"]
    assert deliver() == [(INSTRUCTOR, BY_HAND)]

    clock.advance(minutes=10)
    assert deliver() == []
    clock.advance(minutes=15)
    assert deliver() == [(GENERAL_HEAD, TO_GENERAL_HEAD)]

    assert text(HEAD, "升 1") == ["求助1已上报街道办。"]
    assert deliver() == [(SUBDISTRICT, BY_HAND)]
    assert text(HEAD, "升 1") == ["求助1已报到街道办，不能再升了。"]


def test_a_rung_with_nobody_on_it_is_passed_over(ladder, text, deliver, clock):
    ladder.config["SUBDISTRICT_PHONES"] = ""
    with ladder.app_context():
        db = connect(ladder.config["DATABASE"])
        db.execute("UPDATE courtyards SET instructor_phone = NULL")
        db.conn.close()
    help_requested(text, deliver)

    clock.advance(minutes=50)
    assert deliver() == [(GENERAL_HEAD, TO_GENERAL_HEAD)]
    assert deliver() == []


@pytest.mark.parametrize("setting", ["10,5,45", "10,25", "abc", "0,10,20"])
def test_a_wrong_wait_setting_says_what_to_set(ladder, text, clock, tick, setting):
    ladder.config["ESCALATE_HELP_MINUTES"] = setting
    text(RESIDENT, "2 我摔倒了起不来")
    clock.advance(hours=1)

    db = connect(ladder.config["DATABASE"])
    with ladder.app_context(), pytest.raises(RuntimeError) as error:
        escalate_due(db)
    db.conn.close()

    assert str(error.value) == (
        f"Setting ESCALATE_HELP_MINUTES={setting!r} must be 3 increasing numbers of "
        "minutes, one per rung above the head, e.g. 15,30,60."
    )
