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
