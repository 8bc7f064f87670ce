"""Courtyard heads by phone: a PIN, then a notice in their own voice."""

import pytest

from db import connect
from ivr.pins import set_pin
from roster.importer import import_roster
from tests.voice_calls import Call, gather, record, response, say

ZHAO = "+8613900000201"  # head of 金银4组白坟堡
GUO = "+8613900010003"  # a resident of the same courtyard

HEAD_MENU = say(
    "报事情，请按1。找人帮忙，请按2。听通知，请按3。查积分，请按4。"
    "院落长录通知，请按5。找总院落长，请按0。再听一遍，请按星号。"
)


@pytest.fixture
def head_call(demo, client):
    return Call(client, ZHAO)


@pytest.fixture
def with_pin(demo, db):
    with demo.app_context():
        set_pin(db, "金银4组白坟堡", "2468")


def test_a_head_hears_the_extra_choice(head_call):
    assert head_call.start() == response(
        say("您好，这里是小院通，金银4组白坟堡。"),
        gather("/voice/menu?s=1", HEAD_MENU),
    )


def test_a_resident_cannot_use_key_five(demo, client):
    guo = Call(client, GUO)
    guo.start()

    assert guo.press("5").startswith(response(say("没有这个选项。"))[:-11])


def test_a_head_without_a_pin_is_told_to_ask_staff(head_call):
    head_call.start()

    assert head_call.press("5") == response(
        say("您还没有设置密码，请找工作人员设置。"),
        gather("/voice/menu?s=2&done=1", HEAD_MENU),
    )


def test_a_wrong_pin_is_explained_and_asked_again(head_call, with_pin, db):
    head_call.start()

    assert head_call.press("5") == response(
        gather("/voice/head/pin?s=2", say("请输入密码，按井号键结束。"), pin=True)
    )
    assert head_call.press("1357") == response(
        say("密码不对。"),
        gather("/voice/head/pin?s=3&m=1", say("请输入密码，按井号键结束。"), pin=True),
    )
    assert db["calls"].get(1)["head_verified_at"] is None


def test_a_head_records_a_notice_residents_hear_on_key_three(
    head_call, with_pin, db, client
):
    head_call.start()
    head_call.press("5")

    assert head_call.press("2468") == response(
        say("请在嘀声后说通知内容，说完按井号键。"), record("/voice/head/notice?s=3")
    )
    sid = "RE" + "e" * 32
    head_call.speak(seconds=25, sid=sid)
    assert f"/voice/head/confirm?s=4&amp;rec={sid}" in head_call.twiml
    assert head_call.press("1") == response(
        say("通知已经存好，大家按3就能听到。"),
        gather("/voice/menu?s=5&done=1", HEAD_MENU),
    )

    notice = db["notices"].get(1)
    assert notice["body"] == "院落长赵德明的语音通知，拨打小院通按3收听"
    assert notice["recording_url"].endswith(f"/Recordings/{sid}")
    assert db["recordings"].get(1)["notice_id"] == 1

    guo = Call(client, GUO)
    guo.start()
    assert guo.press("3") == response(
        gather(
            "/voice/notices?s=2",
            say("三月二号的通知："),
            f"<Play>{notice['recording_url']}</Play>",
            say("再听一遍，请按星号。"),
        )
    )


def test_notice_steps_refuse_a_call_that_gave_no_pin(head_call, db):
    head_call.start()
    head_call.post(
        "/voice/head/notice?s=2",
        RecordingSid="RE" + "f" * 32,
        RecordingUrl="https://api.twilio.com/x",
        RecordingDuration="5",
    )

    assert db.execute("SELECT COUNT(*) FROM recordings").fetchone()[0] == 0
    assert "/voice/menu?s=3" in head_call.twiml


def test_the_roster_sets_a_pin_and_reimport_leaves_it(demo, db, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "村,院落名称,院落长,联系方式,密码\n"
        "金银社区,金银4组白坟堡,赵德明,13900000201,0852\n"
        "金银社区,金银4组喻家坪,孙玉兰,13900000202,12\n",
        encoding="utf-8",
    )
    with demo.app_context():
        report = import_roster(db, roster)
        stored = db["courtyards"].get(1)["head_pin_hash"]
        again = import_roster(db, roster)

    assert report.problems == [(3, "PIN must be 4 to 8 digits; left unchanged")]
    assert stored and "0852" not in stored
    assert db["courtyards"].get(1)["head_pin_hash"] == stored
    assert again.updated == 0


def test_staff_set_a_pin_from_the_command_line(demo, runner):
    result = runner.invoke(args=["set-head-pin", "金银4组白坟堡", "123456"])
    assert result.output == "PIN set for the head of 金银4组白坟堡.\n"

    bad = runner.invoke(args=["set-head-pin", "金银4组白坟堡", "12a4"])
    assert bad.exit_code == 1
    assert "Error: a PIN is 4 to 8 digits; nothing changed." in bad.output

    missing = runner.invoke(args=["set-head-pin", "没有这个院", "1234"])
    assert "Error: No courtyard named '没有这个院'." in missing.output

    database = connect(demo.config["DATABASE"])
    assert database["courtyards"].get(1)["head_pin_hash"].startswith("scrypt:")
    database.conn.close()


def test_a_head_hears_that_zero_calls_the_general_head(head_call):
    head_call.start()

    assert head_call.press("0") == response(
        say("正在给总院落长李秀英打电话，请稍等。"),
        '<Dial action="/voice/dialed?s=2" method="POST" timeLimit="1800" '
        'timeout="25"><Number>+8613900000101</Number></Dial>',
    )


LOCKED = "密码错的次数太多，录通知暂时停用，明天再试，或者请工作人员重设密码。"


def _wrong_pins(client, count):
    """Wrong PINs over as many calls as it takes (three misses end a call's tries)."""
    head = None
    for attempt in range(count):
        if attempt % 2 == 0:
            head = Call(client, ZHAO)
            head.start()
            head.press("5")
        last = head.press("1357")
    return head, last


def test_five_wrong_pins_in_a_day_lock_notice_recording(
    demo, client, with_pin, db, clock, caplog
):
    """Without a lock, a PIN could be guessed call after call."""
    head, fifth = _wrong_pins(client, 5)

    assert fifth == response(say(LOCKED), gather("/voice/menu?s=3&done=1", HEAD_MENU))
    assert "head PIN of courtyard 1 locked after 5 wrong tries" in caplog.text
    assert "139****0201" in caplog.text and "+8613900000201" not in caplog.text

    # The right PIN no longer opens it, on a new call either.
    again = Call(client, ZHAO)
    again.start()
    assert again.press("5") == response(
        say(LOCKED), gather("/voice/menu?s=2&done=1", HEAD_MENU)
    )
    # The rest of the menu still works for the head.
    assert again.press("4") == response(
        say("您的积分是零分。本院落一共零分，在八个院落里排第一。"),
        gather("/voice/menu?s=3&done=1", HEAD_MENU),
    )


def test_the_lock_lifts_after_a_day(demo, client, with_pin, clock):
    _wrong_pins(client, 5)
    clock.advance(hours=24, minutes=1)

    head = Call(client, ZHAO)
    head.start()
    assert head.press("5") == response(
        gather("/voice/head/pin?s=2", say("请输入密码，按井号键结束。"), pin=True)
    )
    assert "/voice/head/notice?s=3" in head.press("2468")


def test_four_wrong_pins_leave_it_open(demo, client, with_pin):
    _wrong_pins(client, 4)

    head = Call(client, ZHAO)
    head.start()
    head.press("5")
    assert "/voice/head/notice?s=3" in head.press("2468")


def test_staff_setting_a_new_pin_lifts_the_lock(demo, client, with_pin, db):
    _wrong_pins(client, 5)
    with demo.app_context():
        set_pin(db, "金银4组白坟堡", "8642")

    head = Call(client, ZHAO)
    head.start()
    head.press("5")
    assert "/voice/head/notice?s=3" in head.press("8642")
