"""The outbox worker: console and Twilio delivery, retries, refusals."""

import json

import pytest
from fakes import fake_twilio_http, message_created, twilio_error

from db import transaction
from telephony import outbox
from telephony.worker import run_once

HEAD = "+8613900000201"


@pytest.fixture
def queue(demo, db):
    def add(to=HEAD, body="【小院通】测试", **kw):
        with demo.app_context(), transaction(db):
            return outbox.queue(db, to, body, kind="alert", **kw)

    return add


def run(app, db):
    with app.app_context():
        return run_once(db, app.config)


def status(db, row_id):
    return db.execute(
        "SELECT status, attempts, provider_sid, error_code FROM outbox WHERE id = ?",
        [row_id],
    ).fetchone()


def test_console_appends_one_json_line(demo, db, queue):
    row_id = queue()
    assert run(demo, db) == 1
    with open(demo.config["CONSOLE_OUTBOX"], encoding="utf-8") as handle:
        [line] = handle.readlines()
    record = json.loads(line)
    assert (record["to"], record["body"], record["channel"]) == (
        HEAD,
        "【小院通】测试",
        "sms",
    )
    assert status(db, row_id)[:3] == ("sent", 1, record["sid"])
    assert run(demo, db) == 0


def test_alerts_go_before_broadcasts(demo, db, queue):
    queue(body="广播", priority=outbox.PRIORITY_BROADCAST)
    queue(body="警报", priority=outbox.PRIORITY_ALERT)
    run(demo, db)
    with open(demo.config["CONSOLE_OUTBOX"], encoding="utf-8") as handle:
        bodies = [json.loads(line)["body"] for line in handle]
    assert bodies == ["警报", "广播"]


def test_dedupe_key_queues_once(demo, db, queue):
    assert queue(dedupe_key="k1")
    assert queue(dedupe_key="k1") is None
    assert db["outbox"].count == 1


def test_landline_sms_is_blocked_not_sent(demo, db, queue):
    row_id = queue(to="+862372701234")
    run(demo, db)
    assert status(db, row_id)[0] == "blocked"


@pytest.fixture
def twilio(demo):
    def configure(*answers):
        http = fake_twilio_http(*answers)
        demo.config.update(SMS_PROVIDER="twilio", TWILIO_HTTP_CLIENT=http)
        return http.transport

    return configure


def test_twilio_send_records_the_provider_id(demo, db, queue, twilio):
    fake = twilio(message_created(sid="SM" + "d" * 32))
    row_id = queue()
    run(demo, db)
    assert status(db, row_id) == ("sent", 1, "SM" + "d" * 32, None)
    [request] = fake.requests
    assert request["method"] == "POST"
    assert request["url"].endswith("/Accounts/AC" + "1" * 32 + "/Messages.json")
    assert request["data"] == {
        "To": HEAD,
        "From": "+15005550006",
        "Body": "【小院通】测试",
        "StatusCallback": "https://courtyard.example.org/sms/status",
    }


def test_twilio_transient_failure_retries_with_back_off(demo, db, queue, twilio, clock):
    twilio(
        twilio_error(503, 20503, "Service unavailable"),
        twilio_error(429, 20429, "Too many requests"),
        message_created(sid="SM" + "e" * 32),
    )
    row_id = queue()

    run(demo, db)
    assert status(db, row_id) == ("queued", 1, None, "20503")
    run(demo, db)
    assert status(db, row_id)[:2] == ("queued", 1)

    clock.advance(seconds=30)
    run(demo, db)
    assert status(db, row_id) == ("queued", 2, None, "20429")
    clock.advance(seconds=59)
    run(demo, db)
    assert status(db, row_id)[:2] == ("queued", 2)
    clock.advance(seconds=1)
    run(demo, db)
    assert status(db, row_id) == ("sent", 3, "SM" + "e" * 32, None)


def test_twilio_permanent_failure_is_recorded(demo, db, queue, twilio):
    twilio(twilio_error(400, 21211, "The 'To' number is not a valid phone number."))
    row_id = queue()
    run(demo, db)
    assert status(db, row_id) == ("failed", 1, None, "21211")
    assert db.execute("SELECT error_message FROM outbox").fetchone() == (
        "Unable to create record: The 'To' number is not a valid phone number.",
    )


def test_twilio_gives_up_after_the_last_attempt(demo, db, queue, twilio, clock):
    demo.config["SEND_MAX_ATTEMPTS"] = 2
    twilio(twilio_error(500, 20500, "boom"), twilio_error(500, 20500, "boom"))
    row_id = queue()
    run(demo, db)
    clock.advance(minutes=5)
    run(demo, db)
    assert status(db, row_id) == ("failed", 2, None, "20500")


def test_twilio_without_credentials_says_what_to_set(demo, db, queue):
    demo.config.update(SMS_PROVIDER="twilio", TWILIO_ACCOUNT_SID="")
    queue()
    with pytest.raises(RuntimeError, match="TWILIO_ACCOUNT_SID"):
        run(demo, db)


def test_worker_once_command(demo, runner, queue):
    queue()
    result = runner.invoke(args=["worker", "--once"])
    assert result.output == "Sent 1 outbox row(s).\n"


def callback(client, path, **params):
    from conftest import signed_post

    return signed_post(client, path, params)


def test_status_callbacks_in_reverse_order_leave_delivered(demo, db, queue, client):
    row_id = queue()
    run(demo, db)
    sid = status(db, row_id)[2]
    for state in ("delivered", "sent", "queued"):
        response = callback(client, "/sms/status", MessageSid=sid, MessageStatus=state)
        assert response.status_code == 204
    assert db.execute(
        "SELECT status, provider_status FROM outbox WHERE id = ?", [row_id]
    ).fetchone() == ("delivered", "delivered")


def test_callback_before_the_send_is_recorded_is_applied_later(
    demo, db, queue, client, twilio
):
    sid = "SM" + "f" * 32
    callback(
        client,
        "/sms/status",
        MessageSid=sid,
        MessageStatus="undelivered",
        ErrorCode="30003",
    )
    twilio(message_created(sid=sid))
    row_id = queue()
    run(demo, db)
    assert db.execute(
        "SELECT status, error_code, error_message FROM outbox WHERE id = ?", [row_id]
    ).fetchone() == ("undelivered", "30003", "handset unreachable")


def test_status_callback_needs_a_signature(demo, client, db):
    response = client.post(
        "/sms/status", data={"MessageSid": "SMx", "MessageStatus": "delivered"}
    )
    assert response.status_code == 403
    assert db["status_callbacks"].count == 0


def test_status_callback_without_fields_is_refused(demo, client):
    assert callback(client, "/voice/status", CallSid="CA1").status_code == 400


def calls_made(app):
    try:
        with open(app.config["CONSOLE_OUTBOX"], encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if '"call"' in line]
    except FileNotFoundError:
        return []


TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>x</Say></Response>'


def test_no_call_in_quiet_hours_unless_urgent(demo, db, queue, clock):
    from datetime import UTC, datetime

    clock.moment = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 22:00 in Chongqing
    quiet = queue(to="+8613900010003", body="通知", channel=outbox.CALL, twiml=TWIML)
    urgent = queue(
        to="+8613900010006", body="求助", channel=outbox.CALL, twiml=TWIML, urgent=True
    )
    run(demo, db)
    assert [call["to"] for call in calls_made(demo)] == ["+8613900010006"]
    assert db.execute(
        "SELECT status, attempts, next_attempt_at FROM outbox WHERE id = ?", [quiet]
    ).fetchone() == ("queued", 0, "2026-03-03T00:00:00+00:00")
    assert status(db, urgent)[0] == "sent"

    clock.advance(hours=10)  # 08:00 the next morning
    run(demo, db)
    assert [call["to"] for call in calls_made(demo)] == [
        "+8613900010006",
        "+8613900010003",
    ]
    assert calls_made(demo)[1]["twiml"] == TWIML


def test_calls_per_resident_per_day_are_capped(demo, db, queue, clock):
    demo.config["CALLS_PER_DAY"] = 2
    for _ in range(3):
        queue(to="+8613900010003", body="通知", channel=outbox.CALL, twiml=TWIML)
    run(demo, db)
    assert len(calls_made(demo)) == 2
    clock.advance(days=1)
    run(demo, db)
    assert len(calls_made(demo)) == 3


def test_twilio_places_a_call_with_a_status_callback(demo, db, queue, twilio):
    transport = twilio((201, {"sid": "CA" + "9" * 32, "status": "queued"}))
    row_id = queue(to="+8613900010003", body="通知", channel=outbox.CALL, twiml=TWIML)
    run(demo, db)
    [request] = transport.requests
    assert request["url"].endswith("/Calls.json")
    assert request["data"]["Twiml"] == TWIML
    assert request["data"]["StatusCallback"] == (
        "https://courtyard.example.org/voice/status"
    )
    assert status(db, row_id)[2] == "CA" + "9" * 32


def test_periodic_jobs_keep_running_during_a_long_pass(demo, db, queue, monkeypatch):
    # Regression: a broadcast drained in one pass held the escalation ladder back.
    import telephony.worker as worker

    for _ in range(3):
        queue(priority=outbox.PRIORITY_BROADCAST)
    runs = []
    monkeypatch.setattr(worker, "JOBS_EVERY_SECONDS", 0)
    monkeypatch.setattr(worker, "PERIODIC_JOBS", [lambda db: runs.append(1) or 0])
    run(demo, db)
    assert len(runs) == 4


def test_a_long_call_is_fetched_by_url(demo, db, queue, twilio):
    transport = twilio((201, {"sid": "CA" + "8" * 32, "status": "queued"}))
    long_twiml = "<Response>" + "<Say>长</Say>" * 400 + "</Response>"
    row_id = queue(
        to="+8613900010003", body="通知", channel=outbox.CALL, twiml=long_twiml
    )
    run(demo, db)
    [request] = transport.requests
    assert "Twiml" not in request["data"]
    assert request["data"]["Url"] == (
        f"https://courtyard.example.org/voice/outbound/{row_id}"
    )
    from conftest import signed_post

    response = signed_post(demo.test_client(), f"/voice/outbound/{row_id}", {})
    assert response.get_data(as_text=True) == long_twiml


def test_a_recovered_send_takes_the_callbacks_that_waited(demo, db, queue, client):
    # Regression: a send found after a crash stayed "sent" though it was delivered.
    from telephony.providers import ConsoleProvider
    from telephony.worker import claim_next

    row_id = queue()
    with demo.app_context():
        row = claim_next(db)
        sid = ConsoleProvider(demo.config["CONSOLE_OUTBOX"]).send_sms(
            row["to_phone"], row["body"], reference=row["id"]
        )
    callback(client, "/sms/status", MessageSid=sid, MessageStatus="delivered")
    demo.config["SEND_STALE_SECONDS"] = 0
    assert run(demo, db) == 0
    assert db.execute(
        "SELECT status, provider_sid FROM outbox WHERE id = ?", [row_id]
    ).fetchone() == ("delivered", sid)
