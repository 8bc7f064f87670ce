"""Recordings: the report never waits for the audio, which the worker fetches later."""

import base64

import pytest

from tests.conftest import signed_post
from tests.fake_http import FakeTransport
from tests.voice_calls import Call, record, response, say

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


TRAVERSING = [
    "../../../etc/cron.d/x",
    "RE" + "1" * 31 + "/",
    "RE../../x",
    "RE" + "g" * 32,
]


@pytest.mark.parametrize("bad", TRAVERSING)
def test_a_malformed_recording_id_is_refused_before_any_use(demo, client, db, bad):
    """The id names the audio file; a crafted one wrote outside RECORDING_DIR."""
    guo = Call(client, GUO)
    guo.start()
    guo.press("1")

    twiml = guo.post(
        "/voice/report?s=2",
        RecordingSid=bad,
        RecordingUrl=URL,
        RecordingDuration="5",
        Digits="#",
    )
    reply = _status(client, guo, RecordingSid=bad)

    assert twiml == response(
        say("没有录到声音。"),
        say("请在嘀声后说您要报的事情，说完按井号键。"),
        record("/voice/report?s=3&m=1"),
    )
    assert reply.status_code == 204
    assert db.execute("SELECT COUNT(*) FROM recordings").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM issues").fetchone()[0] == 0


def test_a_stored_malformed_id_is_never_written_to_disk(twilio, demo, db, tmp_path):
    db["recordings"].insert(
        {
            "recording_sid": "../../escaped",
            "url": URL,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": "2026-03-01T00:00:00+00:00",
            "created_at": "2026-03-01T00:00:00+00:00",
        }
    )

    deliver_once(demo)

    assert twilio.requests == []
    row = db["recordings"].get(1)
    assert (row["status"], row["local_path"], row["error_code"]) == (
        "failed",
        None,
        "bad-sid",
    )
    assert not (tmp_path / "escaped.wav").exists()


@pytest.mark.parametrize(
    "url",
    [
        URL.replace("https://", "http://"),
        URL.replace("api.twilio.com", "api.twilio.com:8443"),
        URL.replace("api.twilio.com", "api.twilio.com:80"),
        URL.replace("https://", "https://someone@"),
        URL.replace("api.twilio.com", "api.twilio.com.attacker.example"),
        URL.replace("api.twilio.com", "api.twilio.com:99999"),
        "ftp://api.twilio.com/x",
    ],
)
def test_credentials_go_only_over_https_to_twilio_on_the_default_port(
    twilio, demo, db, url
):
    from telephony.providers import ProviderError, get_provider

    provider = get_provider(demo.config)
    with pytest.raises(ProviderError) as refused:
        provider.fetch_recording(url)

    assert refused.value.code == "bad-url"
    assert twilio.requests == []


def test_the_default_https_port_may_be_written_out(twilio, demo):
    from telephony.providers import get_provider

    twilio.reply(200, WAV)
    audio = get_provider(demo.config).fetch_recording(
        URL.replace("api.twilio.com", "api.twilio.com:443")
    )

    assert audio == WAV


HEAD_ALERT = (
    "+8613900000201",
    "【小院通】事情1 郭长江13900010003报：语音报事，录音14秒，请听录音或回电。"
    "回复 收1 受理",
)


def _hung_up_while_reporting(client):
    guo = Call(client, GUO)
    guo.start()
    guo.press("1")
    return guo


def test_a_caller_who_hangs_up_while_reporting_still_has_reported(
    demo, client, db, deliver
):
    """Without the Record action the recording was kept with no issue."""
    guo = _hung_up_while_reporting(client)

    assert _status(client, guo).status_code == 204
    assert _status(client, guo).status_code == 204

    issue = db["issues"].get(1)
    assert (issue["kind"], issue["reporter_phone"], issue["channel"]) == (
        "report",
        GUO,
        "voice",
    )
    row = db["recordings"].get(1)
    assert (row["purpose"], row["issue_id"], row["from_phone"]) == ("report", 1, GUO)
    assert deliver() == [HEAD_ALERT]


def test_a_record_action_after_the_callback_enters_nothing_twice(
    demo, client, db, deliver
):
    guo = _hung_up_while_reporting(client)
    _status(client, guo)

    twiml = guo.speak(seconds=14, sid=SID)

    assert "/voice/report/confirm?s=3&amp;issue=1" in twiml
    assert db.execute("SELECT COUNT(*) FROM issues").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM issue_events").fetchone()[0] == 1
    assert deliver() == [HEAD_ALERT]


def test_a_recording_made_elsewhere_in_the_menu_is_not_a_report(demo, client, db):
    guo = Call(client, GUO)
    guo.start()
    guo.press("3")

    _status(client, guo)

    assert db.execute("SELECT COUNT(*) FROM issues").fetchone()[0] == 0
    assert db["recordings"].get(1)["issue_id"] is None


def test_an_unknown_caller_hanging_up_leaves_no_issue(demo, client, db):
    stranger = Call(client, "+8613700009999")
    stranger.start()
    stranger.press("1")

    _status(client, stranger)

    assert db.execute("SELECT COUNT(*) FROM issues").fetchone()[0] == 0
