"""Inbound texts: what the sender reads back and what every other phone receives."""

import threading
from pathlib import Path

import pytest
from conftest import BASE, signed_post, sms_params

from db import connect

REPORTER = "+8613900010003"  # 郭长江, 金银4组白坟堡
HEAD = "+8613900000201"  # 赵德明, head of 金银4组白坟堡
VOLUNTEERS = ["+8613900010002", "+8613900010004", "+8613900010005", "+8613900010007"]


def count(app, table):
    db = connect(app.config["DATABASE"])
    try:
        return db[table].count
    finally:
        db.conn.close()


def test_report_reaches_the_head(demo, text, deliver):
    assert text(REPORTER, "1 村口路灯坏了") == [
        "已收到，事情编号1，已告诉院落长赵德明。有补充可直接回复。"
    ]
    assert deliver() == [
        (HEAD, "【小院通】事情1 郭长江13900010003报：村口路灯坏了。回复 收1 受理")
    ]
    assert deliver() == []


def test_same_message_sid_twice_changes_nothing(demo, client, deliver):
    params = sms_params(REPORTER, "1 村口路灯坏了", sid="SM" + "a" * 32)
    first = signed_post(client, "/sms", params)
    again = signed_post(client, "/sms", params)

    assert "事情编号1" in first.get_data(as_text=True)
    assert again.status_code == 200
    assert again.get_data(as_text=True) == (
        '<?xml version="1.0" encoding="UTF-8"?><Response />'
    )
    assert count(demo, "messages") == 1
    assert count(demo, "issues") == 1
    assert len(deliver()) == 1


def test_concurrent_retries_make_one_issue_and_one_reply(demo, deliver):
    params = sms_params(REPORTER, "1 村口路灯坏了", sid="SM" + "b" * 32)
    bodies = []

    def post():
        client = demo.test_client()
        bodies.append(signed_post(client, "/sms", params).get_data(as_text=True))

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum("<Message>" in body for body in bodies) == 1
    assert count(demo, "issues") == 1
    assert len(deliver()) == 1


@pytest.mark.parametrize(
    "body, description",
    [
        ("１村口路灯坏了", "村口路灯坏了"),
        ("1路灯坏了", "路灯坏了"),
        ("报事 水管破了", "水管破了"),
        ("反映：垃圾没人收", "垃圾没人收"),
        ("報事 路燈壞了", "路燈壞了"),
        ("1 路灯坏了   ", "路灯坏了"),
    ],
)
def test_report_forms(demo, text, deliver, body, description):
    assert text(REPORTER, body)[0].startswith("已收到，事情编号1，")
    assert deliver() == [
        (HEAD, f"【小院通】事情1 郭长江13900010003报：{description}。回复 收1 受理")
    ]


@pytest.mark.parametrize(
    "body, description",
    [
        ("【求助】老人摔倒了", "老人摔倒了"),
        ("2 我妈摔了请人去看", "我妈摔了请人去看"),
        ("幫助 老人摔倒了", "老人摔倒了"),
    ],
)
def test_help_reaches_head_and_volunteers(demo, text, deliver, body, description):
    assert text(REPORTER, body) == [
        "已收到求助，编号1，已通知院落长和志愿者。急病请拨120。"
    ]
    sent = deliver()
    assert sent[0] == (
        HEAD,
        f"【小院通】求助1 郭长江13900010003：{description}。回复 收1 受理",
    )
    assert sent[1:] == [
        (
            phone,
            f"【小院通】邻居求助1 金银4组白坟堡郭长江13900010003：{description}。"
            "能去请回复 接1",
        )
        for phone in VOLUNTEERS
    ]


def test_keyword_alone_asks_and_the_next_text_answers(demo, text, deliver):
    assert text(REPORTER, "求助。") == [
        "请直接回复要什么帮助，比如：我妈摔倒了请人去看看。"
    ]
    # The head hears at once, in case no description ever comes.
    assert deliver() == [
        (HEAD, "【小院通】郭长江13900010003发了求助，还没说什么事，请联系。")
    ]
    assert text(REPORTER, "我起不来了") == [
        "已收到求助，编号1，已通知院落长和志愿者。急病请拨120。"
    ]
    assert deliver()[0] == (
        HEAD,
        "【小院通】求助1 郭长江13900010003：我起不来了。回复 收1 受理",
    )


@pytest.mark.parametrize("key", ["0", "3", "4", "TD"])
def test_a_menu_key_is_never_taken_as_the_description(demo, text, db, key):
    text(REPORTER, "2")
    text(REPORTER, key)
    assert db["issues"].count == 0
    assert text(REPORTER, "我起不来了")[0].startswith("已收到求助，编号1")


def test_report_keyword_alone_then_description(demo, text, deliver):
    assert text(REPORTER, "1") == ["请直接回复要反映的事情，比如：村口路灯坏了。"]
    assert text(REPORTER, "村口路灯坏了")[0].startswith("已收到，事情编号1")
    assert deliver() == [
        (HEAD, "【小院通】事情1 郭长江13900010003报：村口路灯坏了。回复 收1 受理")
    ]


def test_question_expires(demo, text, clock, deliver):
    text(REPORTER, "1")
    clock.advance(hours=2)
    assert text(REPORTER, "村口路灯坏了") == [
        "已收到，转给院落长看。报事发1加内容，求助发2加内容，菜单发0。"
    ]
    assert deliver() == [(HEAD, "【小院通】郭长江13900010003发来：村口路灯坏了")]


@pytest.mark.parametrize("body", ["0", "？", "菜单", "说明"])
def test_menu(demo, text, body):
    assert text(REPORTER, body) == [
        "小院通：报事发1加内容，求助发2加内容，听通知发3，查积分发4，菜单发0。"
        "不想收短信回TD"
    ]


def test_notices_when_there_are_none(demo, text):
    assert text(REPORTER, "3") == ["目前没有新通知。"]
    assert text(REPORTER, "通知") == ["目前没有新通知。"]


def test_notices_newest_first(demo, text, db, clock):
    db["notices"].insert(
        {
            "courtyard_id": 1,
            "body": "周六打扫院坝",
            "created_at": "2026-02-27T02:00:00+00:00",
        }
    )
    db["notices"].insert(
        {
            "community_id": 1,
            "body": "明早九点开会",
            "created_at": "2026-03-01T02:00:00+00:00",
        }
    )
    db["notices"].insert(
        {
            "courtyard_id": 3,
            "body": "别的院落的通知",
            "created_at": "2026-03-01T03:00:00+00:00",
        }
    )
    assert text(REPORTER, "3") == ["通知：3月1日 明早九点开会；2月27日 周六打扫院坝"]


def test_points(demo, text, db):
    db["points"].insert(
        {
            "household_id": 3,
            "points": 5,
            "reason": "打扫卫生",
            "at": "2026-03-01T02:00:00+00:00",
        }
    )
    db["points"].insert(
        {
            "household_id": 9,
            "points": 8,
            "reason": "巡逻",
            "at": "2026-03-01T02:00:00+00:00",
        }
    )
    assert text(REPORTER, "积分") == ["您的积分5分。本院落共5分，8个院落中排第2。"]
    assert text(REPORTER, "JF") == ["您的积分5分。本院落共5分，8个院落中排第2。"]


def test_opt_out_and_back_in_confirmed_once(demo, text, db):
    assert text(REPORTER, "TD") == ["已退订，不再给您发短信。想恢复请回复订阅。"]
    assert text(REPORTER, "退订") == []
    assert db["opt_outs"].count == 1
    assert text(REPORTER, "订阅") == ["已恢复订阅。发0看菜单。"]
    assert text(REPORTER, "START") == []
    assert db["opt_outs"].count == 0


def test_opted_out_head_is_recorded_as_suppressed(demo, text, deliver, db):
    # Regression: a head's single "T" silently stopped every alert of the courtyard.
    text(HEAD, "STOP")
    text(REPORTER, "1 村口路灯坏了")
    assert deliver() == [
        (
            "+8613900000101",
            "【小院通】事情1 郭长江13900010003报：村口路灯坏了。回复 收1 受理",
        )
    ]
    assert [row["status"] for row in db["outbox"].rows] == ["suppressed", "sent"]


def test_followup_attaches_to_the_fresh_issue(demo, text, deliver, db):
    text(REPORTER, "1 村口路灯坏了")
    deliver()
    assert text(REPORTER, "晚上特别黑") == ["已补充到事情1，院落长会看到。"]
    assert deliver() == [(HEAD, "【小院通】事情1补充 郭长江：晚上特别黑")]
    assert db["issues"].count == 1


def test_unmatched_text_is_kept_and_shown_to_the_head(demo, text, deliver, db):
    assert text(REPORTER, "你好") == [
        "已收到，转给院落长看。报事发1加内容，求助发2加内容，菜单发0。"
    ]
    assert deliver() == [(HEAD, "【小院通】郭长江13900010003发来：你好")]
    assert db.execute("SELECT body, handled_as FROM messages").fetchall() == [
        ("你好", "unmatched")
    ]


def test_unknown_sender_gets_one_answer_and_is_kept(demo, text, db):
    stranger = "+8613700000000"
    answer = (
        "您好，这个号码还没登记，不能报事或代人求助，工作人员会看到这条短信。"
        "急事请拨110或120。"
    )
    assert text(stranger, "1 路灯坏了") == [answer]
    assert text(stranger, "路灯坏了好几天") == []
    rows = db.execute("SELECT from_phone, body, handled_as FROM messages").fetchall()
    assert rows == [
        (stranger, "1 路灯坏了", "unknown_sender"),
        (stranger, "路灯坏了好几天", "unknown_sender"),
    ]
    assert db["issues"].count == 0


def test_service_numbers_never_get_a_reply(demo, text, db):
    replies = [text("10086", "您的话费余额不足") for _ in range(10)]
    assert replies == [[]] * 10
    assert db["messages"].count == 10


def test_repeated_text_stops_getting_replies(demo, text, deliver, db):
    stranger = "+8613700000001"
    answers = [text(stranger, "TEST") for _ in range(10)]
    assert sum(len(a) for a in answers) == 1

    menu = [text(REPORTER, "0") for _ in range(10)]
    assert sum(len(a) for a in menu) == 2
    assert db["messages"].count == 20


def test_repeated_report_makes_one_issue(demo, text, deliver, db):
    text(REPORTER, "1 村口路灯坏了")
    assert text(REPORTER, "1 村口路灯坏了") == ["这件事已记下，编号1，不用再发。"]
    assert db["issues"].count == 1
    assert len(deliver()) == 1


EMPTY_REPLY = "没收到文字。报事发1加内容，求助发2加内容，查积分发4，菜单发0。"


@pytest.mark.parametrize(
    "body, reply",
    [
        ("", EMPTY_REPLY),
        ("   ", EMPTY_REPLY),
        ("😀😀", "已收到，转给院落长看。报事发1加内容，求助发2加内容，菜单发0。"),
        ("<b>hi</b>", "已收到，转给院落长看。报事发1加内容，求助发2加内容，菜单发0。"),
        (
            "'; DROP TABLE issues; --",
            "已收到，转给院落长看。报事发1加内容，求助发2加内容，菜单发0。",
        ),
    ],
)
def test_odd_bodies_are_kept_and_answered(demo, text, db, body, reply):
    assert text(REPORTER, body) == [reply]
    assert db.execute("SELECT body FROM messages").fetchall() == [(body,)]
    assert db["issues"].count == 0


def test_long_report_is_kept_whole_and_the_alert_fits_one_sms(demo, text, deliver, db):
    long_text = "村口路灯坏了" * 266 + "修"  # 1,597 characters
    body = "1 " + long_text
    assert len(body) == 1599
    text(REPORTER, body)
    assert db.execute("SELECT body FROM issues").fetchone() == (long_text,)
    [(to, alert)] = deliver()
    assert to == HEAD
    assert len(alert) == 70
    assert alert.startswith("【小院通】事情1 郭长江13900010003报：村口路灯坏了村口")
    assert alert.endswith("…。回复 收1 受理")


def test_emoji_and_markup_in_a_report_are_kept(demo, text, deliver, db):
    text(REPORTER, "1 <script>路灯</script>坏了😀")
    assert db.execute("SELECT body FROM issues").fetchone() == (
        "<script>路灯</script>坏了😀",
    )
    [(_, alert)] = deliver()
    assert (
        alert
        == "【小院通】事情1 郭长江13900010003报：<script>路灯</script>坏了😀。回复 收1 受理"
    )


def test_reply_markup_is_escaped_in_twiml(demo, client, db):
    response = signed_post(client, "/sms", sms_params(REPORTER, "1 <b>&</b>"))
    assert "<Message>已收到，事情编号1" in response.get_data(as_text=True)
    assert db.execute("SELECT body FROM issues").fetchone() == ("<b>&</b>",)


def test_missing_from_is_kept_without_a_reply(demo, client, db):
    params = sms_params(REPORTER, "1 路灯坏了")
    del params["From"]
    response = signed_post(client, "/sms", params)
    assert response.status_code == 200
    assert "<Message>" not in response.get_data(as_text=True)
    assert db.execute("SELECT body, handled_as FROM messages").fetchall() == [
        ("1 路灯坏了", "service_number")
    ]


def test_unknown_extra_fields_are_accepted_and_kept(demo, text, db):
    text(REPORTER, "0", FromCity="FULING", SomethingNew="x")
    assert (
        '"SomethingNew": "x"' in db.execute("SELECT params FROM messages").fetchone()[0]
    )


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}],
    ids=["missing", "wrong"],
)
def test_bad_signature_is_refused_and_nothing_stored(demo, client, db, headers):
    params = sms_params(REPORTER, "1 村口路灯坏了")
    response = client.post("/sms", data=params, headers=headers, base_url=BASE)
    assert response.status_code == 403
    assert db["messages"].count == 0
    assert db["issues"].count == 0
    assert db["outbox"].count == 0


def test_signature_for_another_url_is_refused(demo, client, db):
    from telephony.signature import sign

    params = sms_params(REPORTER, "1 村口路灯坏了")
    headers = {"X-Twilio-Signature": sign("test-auth-token", BASE + "/other", params)}
    response = client.post("/sms", data=params, headers=headers, base_url=BASE)
    assert response.status_code == 403
    assert db["messages"].count == 0


def test_without_a_token_requests_are_taken_and_a_warning_logged(tmp_path, caplog):
    from app import create_app

    app = create_app({"DATABASE": str(tmp_path / "l.db"), "TWILIO_AUTH_TOKEN": ""})
    assert "webhook requests are NOT verified" in caplog.text
    response = app.test_client().post("/sms", data=sms_params(REPORTER, "0"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        "3号院子水管爆了",
        "4楼的老人好几天没出门了",
        "0点以后有人敲门，害怕",
        "通知书丢了怎么办",
        "报纸没送到",
        "帮扶款什么时候发",
        "1.5米的坑",
    ],
)
def test_text_starting_like_a_keyword_reaches_the_head(demo, text, deliver, body):
    assert text(REPORTER, body) == [
        "已收到，转给院落长看。报事发1加内容，求助发2加内容，菜单发0。"
    ]
    assert deliver() == [(HEAD, f"【小院通】郭长江13900010003发来：{body}")]


@pytest.mark.parametrize("body", ["救命", "救命！", "SOS", "我摔倒了快来人"])
def test_a_cry_for_help_is_a_help_request_at_once(demo, text, deliver, body):
    assert text(REPORTER, body)[0].startswith("已收到求助，编号1")
    assert deliver()[0] == (
        HEAD,
        f"【小院通】求助1 郭长江13900010003：{body}。回复 收1 受理",
    )


def test_a_digit_before_a_measure_word_stays_in_the_description(demo, text, deliver):
    text(REPORTER, "2楼漏水了")
    assert deliver()[0] == (
        HEAD,
        "【小院通】求助1 郭长江13900010003：2楼漏水了。回复 收1 受理",
    )


def test_same_free_text_twice_is_shown_to_the_head_once(demo, text, deliver):
    text(REPORTER, "家里没水了")
    assert text(REPORTER, "家里没水了") == []
    assert deliver() == [(HEAD, "【小院通】郭长江13900010003发来：家里没水了")]


def test_control_characters_are_not_sent_on(demo, text, deliver, db):
    text(REPORTER, "1 灯\x00坏了\x1b[31m")
    assert deliver() == [
        (HEAD, "【小院通】事情1 郭长江13900010003报：灯 坏了 [31m。回复 收1 受理")
    ]
    assert db.execute("SELECT body FROM issues").fetchone() == ("灯\x00坏了\x1b[31m",)


def test_help_in_a_courtyard_without_volunteers_says_only_the_head(
    demo, text, deliver, db
):
    db.execute("UPDATE households SET volunteer = 0")
    assert text(REPORTER, "2 老人摔倒了") == [
        "已收到求助，编号1，已通知院落长。急病请拨120。"
    ]


def test_courtyard_without_a_head_alerts_the_general_head(demo, text, deliver, db):
    db.execute("UPDATE courtyards SET head_phone = NULL WHERE id = 1")
    assert text(REPORTER, "1 路灯坏了") == [
        "已收到，事情编号1，已告诉院落长总院落长。有补充可直接回复。"
    ]
    assert deliver() == [
        (
            "+8613900000101",
            "【小院通】事情1 郭长江13900010003报：路灯坏了。回复 收1 受理",
        )
    ]


def test_head_reporting_is_not_alerted_about_himself(demo, text, deliver):
    assert text(HEAD, "1 水管坏了") == ["已记下，编号1。急事请拨110或120。"]
    assert deliver() == []


def test_a_text_arriving_while_the_ledger_is_locked_is_kept_and_answered_later(
    demo, text, deliver, db
):
    # Regression: a long import held the write lock and the text was lost with a 500.
    demo.config["DATABASE_BUSY_MS"] = 50
    db.execute("BEGIN IMMEDIATE")
    assert text(REPORTER, "1 村口路灯坏了", sid="SM" + "7" * 32) == []
    db.execute("ROLLBACK")
    assert db["messages"].count == 0

    sent = deliver()
    assert sorted(sent) == sorted(
        [
            (REPORTER, "已收到，事情编号1，已告诉院落长赵德明。有补充可直接回复。"),
            (HEAD, "【小院通】事情1 郭长江13900010003报：村口路灯坏了。回复 收1 受理"),
        ]
    )
    assert db.execute("SELECT provider_sid FROM messages").fetchone() == (
        "SM" + "7" * 32,
    )
    assert deliver() == []


def test_unknown_sender_is_shown_to_staff_and_a_cry_for_help_always_answered(
    demo, text, deliver, runner
):
    # Regression: a second text within a day, even 救命, got silence and nobody knew.
    demo.config["STAFF_PHONE"] = "139 0000 0099"
    stranger = "+8613700000002"
    answer = (
        "您好，这个号码还没登记，不能报事或代人求助，工作人员会看到这条短信。"
        "急事请拨110或120。"
    )
    assert text(stranger, "你好") == [answer]
    assert text(stranger, "救命") == [answer]
    assert deliver() == [
        ("+8613900000099", "【小院通】未登记号码13700000002发来：你好"),
        ("+8613900000099", "【小院通】未登记号码13700000002发来：救命"),
    ]
    listed = runner.invoke(args=["unregistered"]).output.splitlines()
    assert [line.split("\t")[1:] for line in listed] == [
        ["13700000002", "救命"],
        ["13700000002", "你好"],
    ]


def test_a_spooled_text_is_answered_even_when_entering_it_is_interrupted(
    demo, text, deliver, db, monkeypatch
):
    # Regression: the reply was queued in a second transaction and lost on a retry.
    import telephony.outbox

    demo.config["DATABASE_BUSY_MS"] = 50
    db.execute("BEGIN IMMEDIATE")
    text(REPORTER, "1 村口路灯坏了", sid="SM" + "6" * 32)
    db.execute("ROLLBACK")

    real_queue = telephony.outbox.queue

    def failing(*args, **kwargs):
        if kwargs.get("kind") == "reply":
            raise RuntimeError("the worker was stopped here")
        return real_queue(*args, **kwargs)

    monkeypatch.setattr(telephony.outbox, "queue", failing)
    with pytest.raises(RuntimeError):
        deliver()
    assert db["messages"].count == 0
    monkeypatch.setattr(telephony.outbox, "queue", real_queue)
    sent = deliver()
    assert (
        REPORTER,
        "已收到，事情编号1，已告诉院落长赵德明。有补充可直接回复。",
    ) in sent


def test_after_a_lock_timeout_writers_do_not_wait_again_at_once(demo, text, db):
    import db as ledger_db

    demo.config["DATABASE_BUSY_MS"] = 50
    lock = open(demo.config["DATABASE"] + "-writer.lock", "a+b")  # noqa: SIM115
    import fcntl
    import time

    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        text(REPORTER, "0", sid="SM" + "5" * 32)
        demo.config["DATABASE_BUSY_MS"] = 5000
        began = time.monotonic()
        text(REPORTER, "4", sid="SM" + "4" * 32)
        assert time.monotonic() - began < 1
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
        ledger_db._busy_until = 0.0
    spooled = Path(demo.config["INBOUND_SPOOL"]).read_text().splitlines()
    assert len(spooled) == 2
