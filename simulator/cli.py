"""`flask sim ...`: play a phone, posting requests exactly as Twilio would."""

import logging
import uuid
from xml.etree import ElementTree

import click
import requests
from flask import current_app
from flask.cli import with_appcontext

from courtyard.phones import InvalidPhone, national, normalise, sender
from db import get_db, one
from simulator.call import CallSession
from telephony.signature import sign
from telephony.worker import run_once


class _SimGroup(click.Group):
    """The simulator speaks for itself; the service's INFO log would drown it out."""

    def invoke(self, ctx):
        logging.getLogger().setLevel(logging.WARNING)
        return super().invoke(ctx)


sim = _SimGroup("sim", help="Pretend to be a phone talking to the service.")


def twilio_sid(prefix):
    return prefix + uuid.uuid4().hex


def post(path, params, base_url=None):
    """POST form params to the app as Twilio would, signed when a token is set.

    Returns (status code, response text).
    """
    config = current_app.config
    public = (base_url or config["PUBLIC_BASE_URL"] or "http://localhost").rstrip("/")
    headers = {}
    if config["TWILIO_AUTH_TOKEN"]:
        headers["X-Twilio-Signature"] = sign(
            config["TWILIO_AUTH_TOKEN"], public + path, params
        )
    if base_url:
        response = requests.post(
            base_url.rstrip("/") + path, data=params, headers=headers, timeout=15
        )
        return response.status_code, response.text
    client = current_app.test_client()
    response = client.post(path, data=params, headers=headers, base_url=public)
    return response.status_code, response.get_data(as_text=True)


def sms_params(from_written, text):
    config = current_app.config
    return {
        "MessageSid": twilio_sid("SM"),
        "SmsSid": "",
        "AccountSid": config["TWILIO_ACCOUNT_SID"] or "AC" + "0" * 32,
        "From": sender(from_written) or from_written,
        "To": config["TWILIO_NUMBER"] or "+10000000000",
        "Body": text,
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
    }


def replies_in(twiml):
    try:
        root = ElementTree.fromstring(twiml)
    except ElementTree.ParseError:
        return []
    return [message.text or "" for message in root.iter("Message")]


def deliver_and_show():
    """Run the outbox once and print what each phone received from it."""
    db = get_db()
    before = db.execute("SELECT COALESCE(MAX(id), 0) FROM outbox").fetchone()[0]
    pending = [
        row["id"] for row in db.query("SELECT id FROM outbox WHERE status = 'queued'")
    ]
    run_once(db, current_app.config)
    rows = db.query(
        "SELECT * FROM outbox WHERE id > ? OR id IN (SELECT value FROM json_each(?)) "
        "ORDER BY id",
        [before, str(pending).replace("'", '"')],
    )
    shown = 0
    for row in rows:
        shown += 1
        click.echo(f"  → {national(row['to_phone'])} [{row['status']}] {row['body']}")
    if not shown:
        click.echo("  (no other phone received anything)")


@sim.command("sms")
@with_appcontext
@click.argument("from_phone", metavar="FROM")
@click.argument("text")
@click.option("--url", help="Post to a running server instead of in-process.")
def sim_sms(from_phone, text, url):
    """Send TEXT from the phone FROM, show the reply and what other phones got."""
    status, body = post("/sms", sms_params(from_phone, text), url)
    if status != 200:
        raise click.ClickException(f"/sms answered {status}: {body[:200]}")
    replies = replies_in(body)
    click.echo(f"{from_phone} ← " + (" / ".join(replies) if replies else "(no reply)"))
    deliver_and_show()


@sim.command("call")
@click.argument("from_phone", metavar="FROM")
@click.option("--url", help="Post to a running server instead of in-process.")
@with_appcontext
def sim_call(from_phone, url):
    """Call the service from the phone FROM: hear prompts, press keys, record."""
    click.echo(f"{from_phone} calls the service.")
    CallSession(from_phone, post, url).run()
    deliver_and_show()


@sim.command("answer")
@click.argument("to_phone", metavar="TO")
@click.option("--url", help="Post to a running server instead of in-process.")
@with_appcontext
def sim_answer(to_phone, url):
    """Answer the newest call the service placed (or queued) to the phone TO."""
    try:
        phone = normalise(to_phone)[0]
    except InvalidPhone as exc:
        raise click.BadParameter(f"{to_phone!r} is not a phone number.") from exc
    call = one(
        get_db(),
        "SELECT * FROM outbox WHERE channel = 'call' AND to_phone = ? "
        "AND twiml IS NOT NULL AND status NOT IN ('suppressed', 'blocked') "
        "ORDER BY id DESC LIMIT 1",
        [phone],
    )
    if call is None:
        raise click.ClickException(
            f"No call to {to_phone} in the outbox. Calls are queued by the check-in "
            "and notices; `flask --app app worker --once` places what is due."
        )

    click.echo(f"{to_phone} picks up a call from the service [{call['status']}].")
    CallSession.answering(call, post, url).run(call["twiml"])
    deliver_and_show()


def init_app(app):
    app.cli.add_command(sim)
