"""Recordings: the report never waits for the audio, which the worker fetches later."""

import base64

import pytest

from tests.conftest import signed_post
from tests.fake_http import FakeTransport
from tests.voice_calls import Call

GUO = "+8613900010003"
SID = "RE" + "1" * 32
URL = f"https://api.twilio.com/2010-04-01/Accounts/AC{'1' * 32}/Recordings/{SID}"
WAV = b"RIFF....WAVEfmt fake audio"


@pytest.fixture
def twilio(demo, monkeypatch):
    demo.config["SMS_PROVIDER"] = "twilio"
    return FakeTransport(monkeypatch)


def _report(client):
    guo = Call(client, GUO)
    guo.start()
    guo.press("1")
    guo.speak(seconds=14, sid=SID)
    return guo


def _status(client, guo, **extra):
    params = guo.params(
        RecordingSid=SID,
        RecordingUrl=URL,
        RecordingStatus="completed",
        RecordingDuration="14",
    )
    params.update(extra)
    return signed_post(client, "/voice/recording", params)


def test_report_stands_while_audio_is_late_then_is_fetched(
    twilio, demo, client, db, clock
):
    guo = _report(client)
    assert _status(client, guo).status_code == 204
    assert _status(client, guo).status_code == 204

    head_alert = db.execute("SELECT to_phone, body FROM outbox").fetchall()
    assert head_alert == [
        (
            "+8613900000201",
            "【小院通】事情1 郭长江13900010003报：语音报事，录音14秒，请听录音或回电。回复 收1 受理",
        )
    ]
    # Texts are another test's concern; here only the recording is fetched.
    db.execute("UPDATE outbox SET status = 'sent'")

    twilio.reply(404, b"not yet")
    deliver_once(demo)

    row = db["recordings"].get(1)
    assert (row["status"], row["attempts"], row["issue_id"]) == ("pending", 1, 1)
    assert row["next_attempt_at"] == "2026-03-02T01:31:00+00:00"
    assert db.execute("SELECT COUNT(*) FROM issues").fetchone()[0] == 1

    clock.advance(minutes=1)
    twilio.reply(200, WAV)
    deliver_once(demo)

    row = db["recordings"].get(1)
    assert row["status"] == "fetched"
    with open(row["local_path"], "rb") as audio:
        assert audio.read() == WAV
    fetch = twilio.requests[-1]
    assert fetch.url == URL
    expected = base64.b64encode(f"AC{'1' * 32}:test-auth-token".encode()).decode()
    assert fetch.headers["Authorization"] == f"Basic {expected}"


def test_fetching_gives_up_after_the_configured_attempts(
    twilio, demo, client, db, clock
):
    demo.config["RECORDING_FETCH_MAX_ATTEMPTS"] = 2
    _report(client)
    db.execute("UPDATE outbox SET status = 'sent'")

    twilio.reply(503)
    deliver_once(demo)
    clock.advance(minutes=5)
    twilio.reply(503)
    deliver_once(demo)

    row = db["recordings"].get(1)
    assert (row["status"], row["attempts"], row["error_code"]) == ("failed", 2, "503")
    assert row["url"] == URL


def test_credentials_go_only_to_twilio(twilio, client, db):
    guo = Call(client, GUO)
    guo.start()
    guo.press("1")
    guo.post(
        "/voice/report?s=2",
        RecordingSid=SID,
        RecordingUrl="https://attacker.example/steal",
        RecordingDuration="3",
    )
    db.execute("UPDATE outbox SET status = 'sent'")

    deliver_once(guo.client.application)

    assert twilio.requests == []
    assert db["recordings"].get(1)["status"] == "failed"


def test_absent_recording_is_not_fetched(demo, client, db):
    guo = _report(client)
    _status(client, guo, RecordingStatus="absent")

    assert db["recordings"].get(1)["status"] == "absent"


def deliver_once(app):
    from db import connect
    from telephony.worker import run_once

    with app.app_context():
        database = connect(app.config["DATABASE"])
        run_once(database, app.config)
        database.conn.close()
