"""Notices: every household by its own channel, each recipient followed."""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import signed_post

from courtyard.notices import texts
from telephony.segments import units

HEAD = "+8613900000204"  # 何永福, head of 均安4组蚱蜢岩
OPTED_OUT = "+8613900010026"  # 喻光荣, reads texts
BY_TEXT = ["+8613900000204", "+8613900010024", "+8613900010027", "+8613900010028"]
BY_CALL = ["+8613900010022", "+862372701234", "+8613900010025", "+8613900010029"]
NOTICE = "明早九点在院坝开会，请大家准时参加。"


def console(app):
    path = Path(app.config["CONSOLE_OUTBOX"])
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_head_notice_reaches_every_household_by_its_own_channel(
    demo, text, deliver, db
):
    assert text(OPTED_OUT, "TD")
    assert text(HEAD, f"通知 {NOTICE}") == [
        "通知已发：短信4户，每户1条，共4条；电话4户；已退订1户。"
    ]
    deliver()
    records = console(demo)
    assert sorted(r["to"] for r in records if r["channel"] == "sms") == sorted(BY_TEXT)
    assert all(
        r["body"] == f"【小院通通知】{NOTICE}" for r in records if r["channel"] == "sms"
    )
    calls = [r for r in records if r["channel"] == "call"]
    assert sorted(r["to"] for r in calls) == sorted(BY_CALL)
    assert calls[0]["twiml"] == (
        '<?xml version="1.0" encoding="UTF-8"?><Response>'
        '<Say language="cmn-CN" voice="Polly.Zhiyu">这里是小院通，请听通知。</Say>'
        f'<Say language="cmn-CN" voice="Polly.Zhiyu">{NOTICE}</Say><Pause length="1" />'
        '<Say language="cmn-CN" voice="Polly.Zhiyu">再说一遍。</Say>'
        f'<Say language="cmn-CN" voice="Polly.Zhiyu">{NOTICE}</Say><Pause length="1" />'
        '<Say language="cmn-CN" voice="Polly.Zhiyu">通知说完了，打小院通按3还能再听。再见。</Say>'
        "</Response>"
    )
    assert db.execute(
        "SELECT to_phone, channel, status FROM outbox WHERE status = 'suppressed'"
    ).fetchall() == [(OPTED_OUT, "sms", "suppressed")]
    # Everyone in the courtyard hears it under key 3, the opted-out resident too.
    assert text(OPTED_OUT, "3") == [f"通知：3月2日 {NOTICE}"]


def test_notice_alone_from_a_head_lists_notices(demo, text):
    assert text(HEAD, "通知") == ["目前没有新通知。"]


def test_a_resident_cannot_broadcast(demo, text, db):
    text("+8613900010024", f"通知 {NOTICE}")
    assert db["notices"].count == 0


def test_a_long_notice_is_split_at_sentence_ends_and_the_head_told_the_cost(
    demo, text, deliver
):
    long_notice = (
        "各位乡亲：明天上午九点在院坝开会，商量修路的事情，请每户来一个人。"
        "会上还要选清洁队的队员，愿意参加的请提前跟院落长说一声。"
        "下雨就改到村委会二楼会议室，大家互相转告，谢谢！"
    )
    parts = texts(long_notice)
    assert parts == [
        "【小院通通知1/2】各位乡亲：明天上午九点在院坝开会，商量修路的事情，请每户来一个人。",
        "【小院通通知2/2】会上还要选清洁队的队员，愿意参加的请提前跟院落长说一声。"
        "下雨就改到村委会二楼会议室，大家互相转告，谢谢！",
    ]
    assert all(units(part) <= 67 for part in parts)
    assert text(HEAD, "通知" + long_notice) == [
        "通知已发：短信5户，每户2条，共10条；电话4户；已退订0户。"
    ]


@pytest.mark.parametrize(
    "notice, parts",
    [
        ("短通知。", 1),
        ("很" * 63, 1),
        ("很" * 64, 2),
        ("一句话。" * 20, 2),
        ("很" * 300, 6),
    ],
)
def test_every_part_fits_one_sms(notice, parts):
    sent = texts(notice)
    assert len(sent) == parts
    limit = 70 if parts == 1 else 67
    assert all(units(part) <= limit for part in sent)
    assert "".join(part.split("】", 1)[1] for part in sent) == notice


def test_an_empty_or_overlong_notice_is_refused(demo, runner, text, db):
    result = runner.invoke(args=["notice", "   ", "--everyone"])
    assert result.exit_code == 2
    assert "The notice is empty." in result.output
    result = runner.invoke(args=["notice", "很" * 400, "--everyone"])
    assert result.exit_code == 1
    assert "needs 8 SMS per household; at most 6" in result.output
    assert text(HEAD, "通知" + "很" * 400) == [
        "通知太长，要8条短信，最多6条，请分开发或写短一些。"
    ]
    assert db["notices"].count == 0
    assert db["outbox"].count == 0


def test_a_phone_on_two_households_hears_the_notice_once(demo, runner, db):
    db.execute("UPDATE households SET phone = '+8613900010024' WHERE id = 27")
    runner.invoke(args=["notice", "周六停水一天。", "--courtyard", "均安4组蚱蜢岩"])
    assert db.execute(
        "SELECT COUNT(*) FROM outbox WHERE to_phone = '+8613900010024'"
    ).fetchone() == (1,)


def test_opting_out_of_texts_does_not_stop_calls(demo, text, deliver, db):
    # Regression: a voice household that texted TD silently lost its notice calls.
    voice = "+8613900010022"
    text(voice, "TD")
    text(HEAD, f"通知 {NOTICE}")
    deliver()
    assert db.execute(
        "SELECT channel, status FROM outbox WHERE to_phone = ?", [voice]
    ).fetchall() == [("call", "sent")]


def test_staff_notice_to_a_community_and_its_status(demo, runner, deliver, db):
    result = runner.invoke(args=["notice", "周六停水一天。", "--community", "金银社区"])
    assert result.output == (
        "Notice 1 queued: 12 households by text (1 SMS each, 12 in all), "
        "3 by call, 0 opted out.\n"
    )
    deliver()
    status = runner.invoke(args=["notice-status", "1"])
    lines = status.output.splitlines()
    assert len(lines) == 15
    assert "13900010003\tcall\tsent" in lines


def test_staff_notice_needs_one_audience(demo, runner):
    result = runner.invoke(args=["notice", "周六停水一天。"])
    assert result.exit_code == 2
    assert "Give exactly one of --courtyard, --community, --everyone." in result.output


def test_alerts_go_before_a_broadcast(demo, runner, text, deliver):
    runner.invoke(args=["notice", "周六停水一天。", "--everyone"])
    text("+8613900010003", "1 村口路灯坏了")
    first = deliver()[0]
    assert first == (
        "+8613900000201",
        "【小院通】事情1 郭长江13900010003报：村口路灯坏了。回复 收1 受理",
    )


def test_unanswered_notice_call_rings_again_within_limits(
    demo, text, deliver, db, client, clock
):
    text(HEAD, f"通知 {NOTICE}")
    deliver()
    landline = db.execute(
        "SELECT provider_sid FROM outbox WHERE to_phone = '+862372701234'"
    ).fetchone()[0]
    for attempt in range(3):
        signed_post(
            client, "/voice/status", {"CallSid": landline, "CallStatus": "no-answer"}
        )
        clock.advance(minutes=30)
        sent = [to for to, _ in deliver()]
        if attempt < 2:
            assert sent == ["+862372701234"]
            landline = db.execute(
                "SELECT provider_sid FROM outbox WHERE to_phone = '+862372701234' "
                "ORDER BY id DESC"
            ).fetchone()[0]
        else:
            assert sent == []
    statuses = db.execute(
        "SELECT status FROM outbox WHERE to_phone = '+862372701234' ORDER BY id"
    ).fetchall()
    assert statuses == [("undelivered",)] * 3


def test_provider_refusals_are_shown_per_recipient(demo, text, db, twilio_answers):
    from fakes import message_created, twilio_error

    from telephony.worker import run_once

    call = (201, {"sid": "CA" + "3" * 32, "status": "queued"})
    twilio_answers(
        message_created(sid="SM" + "1" * 32),
        twilio_error(400, 21610, "Attempt to send to unsubscribed recipient"),
        twilio_error(400, 21614, "'To' number is not a valid mobile number"),
        message_created(sid="SM" + "2" * 32),
        message_created(sid="SM" + "4" * 32),
        call,
        call,
        call,
        call,
    )
    text(HEAD, f"通知 {NOTICE}")
    with demo.app_context():
        run_once(db, demo.config)
    rows = db.execute(
        "SELECT to_phone, status, error_code FROM outbox "
        "WHERE channel = 'sms' AND notice_id = 1 ORDER BY id"
    ).fetchall()
    assert rows == [
        ("+8613900000204", "sent", None),
        ("+8613900010024", "suppressed", "21610"),
        ("+8613900010026", "blocked", "21614"),
        ("+8613900010027", "sent", None),
        ("+8613900010028", "sent", None),
    ]
    assert db.execute("SELECT phone FROM opt_outs").fetchall() == [("+8613900010024",)]


@pytest.fixture
def twilio_answers(demo):
    from fakes import fake_twilio_http

    def configure(*answers):
        http = fake_twilio_http(*answers)
        demo.config.update(SMS_PROVIDER="twilio", TWILIO_HTTP_CLIENT=http)
        return http.transport

    return configure


def test_a_worker_killed_mid_broadcast_finishes_without_duplicates(tmp_path):
    """Regression guard: a restart must not send anyone the notice twice."""
    from bench.ledger import many_households
    from courtyard.notices import publish
    from db import connect, transaction

    database = str(tmp_path / "ledger.db")
    outbox_file = tmp_path / "outbox.jsonl"
    app = many_households(database, 400)
    with app.app_context():
        db = connect(database)
        db.execute(
            "UPDATE households SET prefers = 'text', phone_kind = 'mobile' "
            "WHERE phone IS NOT NULL"
        )
        with transaction(db):
            expected = publish(db, "周六停水一天。", created_by="staff").by_text
        db.conn.close()

    env = dict(
        os.environ,
        DATABASE=database,
        CONSOLE_OUTBOX=str(outbox_file),
        SEND_RATE_PER_SECOND="400",
        SEND_STALE_SECONDS="0",
        INBOUND_SPOOL=str(tmp_path / "spool.jsonl"),
        FLASK_APP="app",
        PYTHONPATH=str(Path(__file__).parent.parent),
    )
    flask = [sys.executable, "-m", "flask"]
    worker = subprocess.Popen(
        [*flask, "worker"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        sent = len(outbox_file.read_text().splitlines()) if outbox_file.exists() else 0
        if sent >= expected // 3:
            break
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert 0 < len(outbox_file.read_text().splitlines()) < expected

    subprocess.run(
        [*flask, "worker", "--once"],
        env=env,
        cwd=tmp_path,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    records = [json.loads(line) for line in outbox_file.read_text().splitlines()]
    per_phone = Counter(
        r["to"] for r in records if r["body"] == "【小院通通知】周六停水一天。"
    )
    assert len(per_phone) == expected
    assert set(per_phone.values()) == {1}


def test_a_phone_that_reads_on_one_household_is_not_also_called(demo, runner, db):
    db.execute("UPDATE households SET phone = '+8613900010024' WHERE id = 22")
    runner.invoke(args=["notice", "周六停水一天。", "--courtyard", "均安4组蚱蜢岩"])
    assert db.execute(
        "SELECT channel FROM outbox WHERE to_phone = '+8613900010024'"
    ).fetchall() == [("sms",)]


@pytest.mark.parametrize("body", ["。", "。。。", " ！ "])
def test_a_notice_of_only_punctuation_is_refused(demo, runner, db, body):
    result = runner.invoke(args=["notice", body, "--everyone"])
    assert result.exit_code == 2
    assert db["outbox"].count == 0
