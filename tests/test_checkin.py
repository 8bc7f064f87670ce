"""The daily check-in: asked each morning, missed ones alert neighbour, family, head."""

from datetime import UTC, datetime

import pytest
from conftest import signed_post

ALONE = "+8613900010015"  # 徐翠花, lives alone, prefers voice, 金银4组喻家坪
NEIGHBOUR = "+8613900010009"  # 赵德福, the courtyard's first volunteer
FAMILY = "+8615800020015"
HEAD = "+8613900000202"
READER = "+8613900010006"  # 李兰芝, 金银4组白坟堡, prefers text


@pytest.fixture
def enrol(demo, runner):
    def run(phone):
        result = runner.invoke(args=["checkin", "enrol", phone])
        assert result.exit_code == 0, result.output

    return run


def test_missed_checkin_alerts_neighbour_family_head_once_each(
    demo, enrol, deliver, clock, client
):
    enrol(ALONE)
    call = (ALONE, "平安呼。徐翠花您好，今天一切都好，请按1。")

    assert deliver() == [call]  # 09:30, the first call
    clock.advance(minutes=29)
    assert deliver() == []
    clock.advance(minutes=1)
    assert deliver() == [call]  # first retry
    clock.advance(minutes=30)
    assert deliver() == [call]  # second retry
    clock.advance(minutes=30)
    assert deliver() == [
        (NEIGHBOUR, "【平安呼】邻居徐翠花今天没回平安呼，请去看看，电话13900010015。")
    ]
    clock.advance(minutes=30)
    assert deliver() == [
        (
            FAMILY,
            "【平安呼】您的家人徐翠花今天没回平安呼，已请邻居去看，电话13900010015。",
        )
    ]
    clock.advance(minutes=30)
    assert deliver() == [
        (HEAD, "【平安呼】徐翠花今天没回平安呼，已告诉邻居和家属，电话13900010015。")
    ]
    for _ in range(3):
        clock.advance(minutes=30)
        assert deliver() == []

    # She answers a late call: everyone alerted hears she is well, once.
    response = signed_post(
        client, "/voice/checkin/1", {"CallSid": "CA1", "Digits": "1"}
    )
    assert (
        '<Say language="cmn-CN" voice="Polly.Zhiyu">收到，祝您今天平安。再见。</Say>'
        in (response.get_data(as_text=True))
    )
    assert deliver() == [
        (phone, "【平安呼】徐翠花刚才已报平安，谢谢关心。")
        for phone in (NEIGHBOUR, FAMILY, HEAD)
    ]
    signed_post(client, "/voice/checkin/1", {"CallSid": "CA1", "Digits": "1"})
    assert deliver() == []


def test_call_twiml_asks_for_one_key(demo, enrol, app):
    import json

    enrol(ALONE)
    from conftest import Clock  # noqa: F401

    with app.app_context():
        from db import connect
        from telephony.worker import run_once

        db = connect(app.config["DATABASE"])
        run_once(db, app.config)
    with open(app.config["CONSOLE_OUTBOX"], encoding="utf-8") as handle:
        record = json.loads(handle.readline())
    assert record["channel"] == "call"
    assert record["twiml"] == (
        '<?xml version="1.0" encoding="UTF-8"?><Response>'
        '<Gather action="https://courtyard.example.org/voice/checkin/1" '
        'input="dtmf" method="POST" numDigits="1" timeout="8">'
        '<Say language="cmn-CN" voice="Polly.Zhiyu">平安呼。徐翠花您好，今天一切都好，请按1。</Say>'
        "</Gather>"
        '<Say language="cmn-CN" voice="Polly.Zhiyu">没有听到按键。我们稍后再打给您。</Say>'
        "</Response>"
    )


def test_text_checkin_answered_with_1(demo, enrol, deliver, text, clock):
    enrol(READER)
    assert deliver() == [(READER, "平安呼：李兰芝您好，今天一切都好请回复1。")]
    assert text(READER, "1") == ["收到，祝您今天平安！"]
    clock.advance(hours=3)
    assert deliver() == []
    # Once answered, "1" is the report keyword again.
    assert text(READER, "1") == ["请直接回复要反映的事情，比如：村口路灯坏了。"]


def _say(sentence):
    return f'<Say language="cmn-CN" voice="Polly.Zhiyu">{sentence}</Say>'


def _twiml(*verbs):
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Response>'
        + "".join(verbs)
        + ("</Response>")
    )


ASK_AGAIN = _twiml(
    '<Gather action="/voice/checkin/1?again=1" input="dtmf" method="POST" '
    'numDigits="1" timeout="8">'
    + _say("没有听清楚。一切都好，请按1。需要人来看看您，请按2。")
    + "</Gather>",
    _say("好的，我们稍后再打给您。再见。"),
    "<Hangup />",
)


def _press(client, digits, path="/voice/checkin/1"):
    params = {"CallSid": "CA1", **({"Digits": digits} if digits is not None else {})}
    return signed_post(client, path, params).get_data(as_text=True)


def test_wrong_key_on_the_call_asks_once_more(demo, enrol, deliver, client, db):
    """Another key used to be told no key was heard, and the call ended."""
    enrol(ALONE)
    deliver()

    assert _press(client, "9") == ASK_AGAIN
    assert db.execute("SELECT status FROM checkins").fetchone() == ("pending",)


def test_one_after_asking_again_is_all_well(demo, enrol, deliver, client, db):
    enrol(ALONE)
    deliver()
    _press(client, "#")

    assert _press(client, "1", "/voice/checkin/1?again=1") == _twiml(
        _say("收到，祝您今天平安。再见。"), "<Hangup />"
    )
    assert db.execute("SELECT status FROM checkins").fetchone() == ("ok",)


def test_two_after_asking_again_sends_someone_at_once(
    demo, enrol, deliver, client, db, clock
):
    enrol(ALONE)
    deliver()
    _press(client, "3")

    answer = _press(client, "2", "/voice/checkin/1?again=1")
    retried = _press(client, "2", "/voice/checkin/1?again=1")

    assert (
        answer
        == retried
        == _twiml(
            _say(
                "好的，已经告诉院落长和邻居，马上会有人来看您。急病请打一二零。再见。"
            ),
            "<Hangup />",
        )
    )
    issue = db["issues"].get(1)
    assert (issue["kind"], issue["help_kind"], issue["reporter_phone"]) == (
        "help_request",
        "elderly",
        ALONE,
    )
    assert db.execute("SELECT COUNT(*) FROM issues").fetchone()[0] == 1
    sent = deliver()
    assert sent[0] == (
        HEAD,
        "【小院通】求助1 徐翠花13900010015：平安呼电话里按了2，需要人来看看，请马上联系。"
        "回复 收1 受理",
    )
    assert (
        NEIGHBOUR,
        "【小院通】邻居求助1 金银4组喻家坪徐翠花13900010015：平安呼电话里按了2，"
        "需要人来看看，请马上联系。能去请回复 接1",
    ) in sent
    # She answered: no retry call and no "did not answer" alerts follow.
    for _ in range(6):
        clock.advance(minutes=30)
        assert [to for to, _ in deliver() if to == ALONE] == []
    assert db.execute("SELECT status FROM checkins").fetchone() == ("help",)


def test_silence_or_another_key_after_asking_again_ends_politely(
    demo, enrol, deliver, client, db, clock
):
    enrol(ALONE)
    deliver()
    _press(client, "7")

    assert _press(client, "7", "/voice/checkin/1?again=1") == _twiml(
        _say("好的，我们稍后再打给您。再见。"), "<Hangup />"
    )
    assert db.execute("SELECT status FROM checkins").fetchone() == ("pending",)
    clock.advance(minutes=30)
    assert deliver() == [(ALONE, "平安呼。徐翠花您好，今天一切都好，请按1。")]


def test_no_checkin_call_at_22(demo, enrol, deliver, clock, db):
    clock.moment = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 22:00 in Chongqing
    enrol(ALONE)
    assert deliver() == []
    assert db["checkins"].count == 0
    clock.moment = datetime(2026, 3, 3, 0, 0, tzinfo=UTC)  # 08:00 the next day
    assert deliver() == [(ALONE, "平安呼。徐翠花您好，今天一切都好，请按1。")]


def test_enrol_unknown_phone_says_so(demo, runner):
    result = runner.invoke(args=["checkin", "enrol", "13700000000"])
    assert result.exit_code == 1
    assert "No household has the phone +8613700000000." in result.output


@pytest.mark.parametrize("answer", ["1", "1。", "１", "好的", "平安！"])
def test_plain_answers_close_the_checkin(demo, enrol, deliver, text, answer):
    enrol(READER)
    deliver()
    assert text(READER, answer) == ["收到，祝您今天平安！"]


@pytest.mark.parametrize("answer", ["好难受", "在医院", "没事才怪"])
def test_distress_is_not_taken_as_well(demo, enrol, deliver, text, db, answer):
    # Regression: any text starting with 好, 在 or 没事 closed the check-in.
    enrol(READER)
    deliver()
    assert text(READER, answer) == [
        "已收到，转给院落长看。报事发1加内容，求助发2加内容，菜单发0。"
    ]
    assert deliver() == [
        ("+8613900000201", f"【小院通】李兰芝13900010006发来：{answer}")
    ]
    assert db.execute("SELECT status FROM checkins").fetchone() == ("pending",)


def test_checkin_and_a_rating_wait_side_by_side(demo, enrol, deliver, text, clock):
    # Regression: the rating question replaced the check-in and a "1" for the
    # check-in was taken as a rating, so family and head were falsely alarmed.
    text(READER, "1 门口灯坏了")
    enrol(READER)
    deliver()
    text("+8613900000201", "办 1 灯换好了")
    deliver()
    assert text(READER, "1") == ["收到，祝您今天平安！"]
    assert text(READER, "1") == ["谢谢您的评价！事情1已办结。"]
    for _ in range(6):
        clock.advance(minutes=30)
        assert deliver() == []


def test_alerts_say_only_who_was_really_told(demo, enrol, deliver, clock):
    # Regression: the head heard "told the neighbour and the family" when nobody was.
    alone = "+8613900010020"  # 陈福生: no volunteer neighbour, no family phone
    enrol(alone)
    for _ in range(3):
        deliver()
        clock.advance(minutes=30)
    assert deliver() == [
        (
            "+8613900000203",
            "【平安呼】陈福生今天没回平安呼，请去看看，电话13900010020。",
        )
    ]


def test_enrolled_in_the_evening_starts_next_morning(demo, enrol, deliver, clock, db):
    from datetime import UTC, datetime

    clock.moment = datetime(2026, 3, 2, 11, 30, tzinfo=UTC)  # 19:30 in Chongqing
    enrol(ALONE)
    assert deliver() == []
    clock.moment = datetime(2026, 3, 3, 0, 0, tzinfo=UTC)  # 08:00
    assert deliver() == [(ALONE, "平安呼。徐翠花您好，今天一切都好，请按1。")]


def test_a_checkin_cut_short_by_the_evening_still_alerts(
    demo, enrol, deliver, clock, db
):
    from datetime import UTC, datetime

    clock.moment = datetime(2026, 3, 2, 3, 50, tzinfo=UTC)  # 11:50
    enrol(READER)
    deliver()
    db.execute("UPDATE checkins SET next_attempt_at = '2026-03-03T00:00:00+00:00'")
    clock.moment = datetime(2026, 3, 2, 12, 5, tzinfo=UTC)  # 20:05, past the last hour
    assert [to for to, _ in deliver()] == ["+8613900010002"]


def test_yesterdays_unsent_checkin_call_does_not_ring_today(
    demo, enrol, deliver, clock, db
):
    from datetime import UTC, datetime

    enrol(ALONE)
    deliver()
    db.execute("UPDATE outbox SET status = 'queued'")  # as if it never went out
    clock.moment = datetime(2026, 3, 3, 0, 0, tzinfo=UTC)  # 08:00 the next day
    calls = [to for to, _ in deliver()]
    assert calls == [ALONE]
    assert db.execute(
        "SELECT status, error_code FROM outbox ORDER BY id LIMIT 1"
    ).fetchone() == ("failed", "expired")
