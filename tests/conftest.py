"""Shared fixtures: an app on a temporary ledger with the demo courtyards loaded."""

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app import create_app
from db import connect
from roster.importer import import_households, import_roster
from roster.instructors import import_instructors
from telephony.signature import sign
from telephony.worker import run_once

DEMO = Path(__file__).resolve().parent.parent / "demo"
TOKEN = "test-auth-token"
BASE = "https://courtyard.example.org"
TWILIO_NUMBER = "+15005550006"


class Clock:
    """A clock the tests move by hand; starts on a weekday morning in Chongqing."""

    def __init__(self):
        self.moment = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 09:30 Asia/Shanghai

    def __call__(self):
        return self.moment

    def advance(self, **delta):
        from datetime import timedelta

        self.moment += timedelta(**delta)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(tmp_path, clock):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE": str(tmp_path / "ledger.db"),
            "CONSOLE_OUTBOX": str(tmp_path / "outbox.jsonl"),
            "INBOUND_SPOOL": str(tmp_path / "inbound-spool.jsonl"),
            "RECORDING_DIR": str(tmp_path / "recordings"),
            "PROMPT_AUDIO_DIR": str(tmp_path / "prompt-audio"),
            "TWILIO_AUTH_TOKEN": TOKEN,
            "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
            "TWILIO_NUMBER": TWILIO_NUMBER,
            "PUBLIC_BASE_URL": BASE,
            "CLOCK": clock,
        }
    )
    return app


@pytest.fixture
def demo(app):
    """The app with the sample roster, households and instructors imported."""
    with app.app_context():
        db = connect(app.config["DATABASE"])
        import_roster(db, DEMO / "roster-annex.csv")
        import_households(db, DEMO / "households.csv")
        import_instructors(db, DEMO / "instructors.csv")
        db.conn.close()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    database = connect(app.config["DATABASE"])
    yield database
    database.conn.close()


def signed_post(client, path, params, token=TOKEN):
    """POST as Twilio does: form-encoded and signed against the public URL."""
    headers = {"X-Twilio-Signature": sign(token, BASE + path, params)}
    return client.post(path, data=params, headers=headers, base_url=BASE)


def sms_params(from_phone, body, sid=None, **extra):
    params = {
        "MessageSid": sid or "SM" + uuid.uuid4().hex,
        "AccountSid": "AC" + "1" * 32,
        "From": from_phone,
        "To": TWILIO_NUMBER,
        "Body": body,
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
    }
    params.update(extra)
    return params


@pytest.fixture
def text(client):
    """Send a text from a phone; return the reply texts (empty list for none)."""

    def send(from_phone, body, sid=None, **extra):
        response = signed_post(
            client, "/sms", sms_params(from_phone, body, sid, **extra)
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        return replies(response.get_data(as_text=True))

    return send


def replies(twiml):
    from xml.etree import ElementTree

    return [m.text or "" for m in ElementTree.fromstring(twiml).iter("Message")]


@pytest.fixture
def deliver(app):
    """Run the outbox once; return [(to, body)] of what phones received this time."""
    outbox_path = Path(app.config["CONSOLE_OUTBOX"])

    def run():
        before = outbox_path.stat().st_size if outbox_path.exists() else 0
        with app.app_context():
            db = connect(app.config["DATABASE"])
            run_once(db, app.config)
            db.conn.close()
        if not outbox_path.exists():
            return []
        with outbox_path.open(encoding="utf-8") as handle:
            handle.seek(before)
            return [(r["to"], r["body"]) for r in map(json.loads, handle)]

    return run
