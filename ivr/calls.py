"""Calls and their turns: every webhook of a call is kept, keyed on CallSid and step.

A step number travels in every URL the menu hands to Twilio. A retried request carries
the same number and gets the answer it got the first time, with no side effect twice.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit
from xml.etree import ElementTree

from flask import current_app

from courtyard import clock, directory
from courtyard.phones import sender
from db import insert, insert_or_ignore, one

# The life of a call, as Twilio's status callback reports it.
IN_PROGRESS = "in-progress"  # we are answering its webhooks
COMPLETED = "completed"  # the caller or the menu hung up
ENDED = {"completed", "busy", "failed", "no-answer", "canceled"}

# Past the cap, a caller still finishes what they started (a report, a help request)
# for this long; the menu itself ends the call as soon as the cap is reached.
FINISH_SECONDS = 180


@dataclass
class Turn:
    """One webhook of a call: who is calling, what they pressed, where they are."""

    db: object
    call: dict
    household: dict | None
    head_of: dict | None
    form: dict
    args: dict
    step: int

    @property
    def phone(self):
        return self.call["from_phone"]

    @property
    def sid(self):
        return self.call["call_sid"]

    @property
    def digits(self):
        """What the caller pressed; None for silence (no Digits or an empty one)."""
        return self.form.get("Digits") or None

    @property
    def misses(self):
        return bounded_int(self.args.get("m"))

    @property
    def done(self):
        """The caller already finished something; silence now means goodbye."""
        return self.args.get("done") == "1"

    def url(self, path, **query):
        """The next step's URL: the step number goes up by one on every answer."""
        kept = {name: value for name, value in query.items() if value not in (None, 0)}
        return f"{path}?{urlencode({'s': self.step + 1, **kept})}"


def bounded_int(written, default=0, low=0, high=2**31 - 1):
    """A whole number from a form field or query arg, or default when it is not one
    or lies outside low..high: SQLite refuses integers past 64 bits."""
    try:
        number = int(str(written).strip())
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


def step_key(path, args, form):
    """The step a request answers; without a number, its content is the key."""
    if "s" in args:
        return str(bounded_int(args["s"]))
    if path == "/voice":
        return "0"
    digest = hashlib.sha256(
        json.dumps([path, form], sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return f"{path}#{digest[:16]}"


def answered(db, call_sid, step):
    """The TwiML a step was already answered with, or None."""
    row = one(
        db,
        "SELECT twiml FROM call_steps WHERE call_sid = ? AND step = ?",
        [call_sid, step],
    )
    return row and row["twiml"]


def keep_answer(db, call_sid, step, path, form, twiml):
    insert(
        db,
        "call_steps",
        {
            "call_sid": call_sid,
            "step": step,
            "path": path,
            "digits": form.get("Digits"),
            "params": json.dumps(form, ensure_ascii=False),
            "twiml": twiml,
            "received_at": clock.stamp(),
        },
    )


def caller_household(db, phone):
    """The household a caller acts for: their own, or as registered family the
    parent's, exactly as by text."""
    return directory.household_by_phone(db, phone) or directory.family_of(db, phone)


def waiting_record(db, call_sid):
    """(path, args) of the <Record> the call's latest answer left the caller in, or
    None when its latest answer recorded nothing."""
    row = one(
        db,
        "SELECT twiml FROM call_steps WHERE call_sid = ? ORDER BY id DESC LIMIT 1",
        [call_sid],
    )
    if row is None:
        return None
    try:
        recording = ElementTree.fromstring(row["twiml"]).find("Record")
    except ElementTree.ParseError:
        return None
    if recording is None or not recording.get("action"):
        return None
    action = urlsplit(recording.get("action"))
    return action.path, dict(parse_qsl(action.query))


def find_or_begin(db, call_sid, form):
    """The call's row, created on its first webhook from the caller's number."""
    written = form.get("From") or ""
    phone = sender(written)
    household = caller_household(db, phone)
    now = clock.stamp()
    insert_or_ignore(
        db,
        "calls",
        {
            "call_sid": call_sid,
            "from_phone": phone,
            "from_written": written,
            "household_id": household and household["id"],
            "courtyard_id": household and household["courtyard_id"],
            "status": IN_PROGRESS,
            "started_at": now,
            "updated_at": now,
        },
    )
    return one(db, "SELECT * FROM calls WHERE call_sid = ?", [call_sid])


def head_of(db, phone):
    """The courtyard this phone is the head of, or None."""
    if not phone:
        return None
    return one(db, "SELECT * FROM courtyards WHERE head_phone = ? ORDER BY id", [phone])


def turn_for(db, call, form, args, step):
    phone = call["from_phone"]
    return Turn(
        db=db,
        call=call,
        household=caller_household(db, phone),
        head_of=head_of(db, phone),
        form=form,
        args=args,
        step=bounded_int(step) if step.isdigit() else 0,
    )


def seconds_left(call):
    """How long the call may still run under the configured cap."""
    limit = current_app.config["VOICE_MAX_CALL_SECONDS"]
    started = clock.parse(call["started_at"])
    return int((started + timedelta(seconds=limit) - clock.now()).total_seconds())


def mark_head_verified(db, call_sid):
    db.execute(
        "UPDATE calls SET head_verified_at = ?, updated_at = ? WHERE call_sid = ?",
        [clock.stamp(), clock.stamp(), call_sid],
    )


def record_status(db, call_sid, status):
    """Keep what Twilio's status callback says; an ended call stays ended."""
    now = clock.stamp()
    db.execute(
        "UPDATE calls SET status = ?, updated_at = ?, "
        "ended_at = CASE WHEN ? THEN COALESCE(ended_at, ?) ELSE ended_at END "
        "WHERE call_sid = ? AND ended_at IS NULL",
        [status, now, status in ENDED, now, call_sid],
    )
