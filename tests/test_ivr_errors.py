"""A voice step that cannot be answered still speaks to the caller in Mandarin."""

import pytest

from db import connect
from ivr import calls
from tests.conftest import signed_post
from tests.voice_calls import Call, response, say

GUO = "+8613900010003"

BUSY = response(
    say("对不起，系统正忙，请过一会儿再打来。有急事请打一一零或一二零。再见。"),
    "<Hangup />",
)


@pytest.fixture
def locked_ledger(demo):
    """Another writer holds the ledger's write lock for the whole test."""
    demo.config["DATABASE_BUSY_MS"] = 20
    holder = connect(demo.config["DATABASE"])
    holder.execute("BEGIN IMMEDIATE")
    yield
    holder.execute("ROLLBACK")
    holder.conn.close()


def test_a_locked_ledger_is_a_spoken_apology_not_twilios_error(
    demo, client, locked_ledger
):
    """A busy ledger used to answer 500, and Twilio hung up in English."""
    reply = signed_post(client, "/voice", Call(client, GUO).params())

    assert reply.status_code == 200
    assert reply.mimetype == "text/xml"
    assert reply.get_data(as_text=True) == BUSY


def test_a_locked_ledger_on_the_checkin_call_is_an_apology(demo, client, locked_ledger):
    reply = signed_post(client, "/voice/checkin/1", {"CallSid": "CA1", "Digits": "1"})

    assert (reply.status_code, reply.get_data(as_text=True)) == (200, BUSY)


def test_any_fault_in_a_step_is_an_apology_and_logged(
    demo, client, monkeypatch, caplog
):
    def broken(*args):
        raise RuntimeError("a fault nobody foresaw")

    monkeypatch.setattr(calls, "find_or_begin", broken)
    guo = Call(client, GUO)

    assert guo.post("/voice") == BUSY
    assert "a fault nobody foresaw" in caplog.text


def test_a_bad_signature_is_still_refused(demo, client):
    reply = client.post(
        "/voice/menu?s=1",
        data={"CallSid": "CA1", "From": GUO},
        base_url="https://courtyard.example.org",
    )

    assert reply.status_code == 403


@pytest.mark.parametrize(
    "duration", ["9" * 30, "9" * 5000, "1e400", "-5", "inf", "nan", "１２"]
)
def test_absurd_recording_durations_do_not_break_the_report(demo, client, db, duration):
    guo = Call(client, GUO)
    guo.start()
    guo.press("1")
    sid = "RE" + "a" * 32
    twiml = guo.post(
        "/voice/report?s=2",
        RecordingSid=sid,
        RecordingUrl=f"https://api.twilio.com/x/Recordings/{sid}",
        RecordingDuration=duration,
        Digits="#",
    )

    assert "/voice/report/confirm?s=3&amp;issue=1" in twiml
    assert db["recordings"].get(1)["duration"] in (0, 12)


@pytest.mark.parametrize(
    "path",
    [
        "/voice/report/confirm?s=1&issue=" + "9" * 30,
        "/voice/help/confirm?s=1&kind=farm&issue=" + "9" * 30,
        "/voice/report?s=" + "9" * 30 + "&issue=" + "9" * 30,
        "/voice/notices?s=1&i=" + "9" * 30,
        "/voice/menu?s=1&m=" + "9" * 30,
    ],
)
def test_absurd_numbers_in_query_args_do_not_raise(demo, client, path):
    twiml = Call(client, GUO).post(path, Digits="1")

    assert twiml != BUSY
    assert twiml.startswith('<?xml version="1.0" encoding="UTF-8"?><Response>')


def test_an_absurd_checkin_id_is_answered_politely(demo, client):
    reply = signed_post(
        client, "/voice/checkin/" + "9" * 30, {"CallSid": "CA1", "Digits": "1"}
    )

    assert reply.status_code == 200
    assert reply.get_data(as_text=True) != BUSY
