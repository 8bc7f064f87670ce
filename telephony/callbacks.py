"""Delivery status callbacks: POST /sms/status here, and for calls the voice channel's
POST /voice/status hands its form to take().

Callbacks arrive late, twice, out of order, and sometimes before we have recorded the
id the provider gave the send. Each is kept; a row's state only moves forward; a
terminal state sticks.
"""

import json
import logging
from datetime import timedelta

from flask import Blueprint, Response, current_app, request

from courtyard import clock
from courtyard.phones import mask
from db import get_db, insert_or_ignore, one, transaction
from telephony import outbox
from telephony.signature import twilio_signed

log = logging.getLogger(__name__)

bp = Blueprint("status", __name__)

# How far along each provider status is; a callback never moves a row backwards.
_RANK = {
    "accepted": 1,
    "scheduled": 1,
    "queued": 1,
    "initiated": 2,
    "sending": 2,
    "ringing": 3,
    "sent": 3,
    "in-progress": 4,
    "delivered": 9,
    "read": 9,
    "undelivered": 9,
    "failed": 9,
    "canceled": 9,
    "completed": 9,
    "busy": 9,
    "no-answer": 9,
}

# Provider statuses mapped onto the outbox's own ladder.
_OUTBOX_STATUS = {
    "sent": outbox.SENT,
    "sending": outbox.SENT,
    "queued": outbox.SENT,
    "accepted": outbox.SENT,
    "scheduled": outbox.SENT,
    "initiated": outbox.SENT,
    "ringing": outbox.SENT,
    "in-progress": outbox.SENT,
    "delivered": outbox.DELIVERED,
    "read": outbox.DELIVERED,
    "completed": outbox.DELIVERED,
    "undelivered": outbox.UNDELIVERED,
    "busy": outbox.UNDELIVERED,
    "no-answer": outbox.UNDELIVERED,
    "failed": outbox.FAILED,
    "canceled": outbox.FAILED,
}

# Error codes staff will see per recipient, in words.
ERROR_MEANINGS = {
    "21610": "recipient unsubscribed from this number",
    "21211": "invalid phone number",
    "21614": "not a mobile number",
    "30001": "provider queue full",
    "30003": "handset unreachable",
    "30004": "message blocked by the recipient",
    "30005": "unknown or inactive number",
    "30006": "landline or unreachable carrier",
    "30007": "filtered by the carrier",
    "30008": "unknown delivery error",
}


def record(db, sid, status, error_code, params):
    """Keep a callback and apply it if its send is known; idempotent."""
    with transaction(db):
        callback_id = insert_or_ignore(
            db,
            "status_callbacks",
            {
                "provider_sid": sid,
                "status": status,
                "error_code": error_code,
                "params": json.dumps(params, ensure_ascii=False),
                "received_at": clock.stamp(),
            },
        )
        if callback_id is None:
            return
        row = one(db, "SELECT * FROM outbox WHERE provider_sid = ?", [sid])
        if row is not None:
            apply_waiting(db, row)


def apply_waiting(db, row):
    """Apply every unapplied callback for the row's send, in order of progress."""
    waiting = db.execute(
        "SELECT id, status, error_code FROM status_callbacks WHERE provider_sid = ? "
        "AND applied_at IS NULL",
        [row["provider_sid"]],
    ).fetchall()
    current = row.get("provider_status")
    for callback_id, status, error_code in sorted(
        waiting, key=lambda item: _RANK.get(item[1], 0)
    ):
        if _RANK.get(status, 0) > _RANK.get(current, 0):
            _apply(db, row, status, error_code)
            current = status
        db.execute(
            "UPDATE status_callbacks SET applied_at = ? WHERE id = ?",
            [clock.stamp(), callback_id],
        )


def _apply(db, row, status, error_code):
    new_status = _OUTBOX_STATUS.get(status, row["status"])
    values = [status, new_status, clock.stamp()]
    sql = "UPDATE outbox SET provider_status = ?, status = ?, updated_at = ?"
    if error_code:
        sql += ", error_code = ?, error_message = ?"
        values += [error_code, ERROR_MEANINGS.get(error_code, "provider error")]
    db.execute(sql + " WHERE id = ?", [*values, row["id"]])
    if new_status in (outbox.UNDELIVERED, outbox.FAILED):
        log.warning(
            "outbox %s to %s %s (error %s)",
            row["id"],
            mask(row["to_phone"]),
            status,
            error_code or "-",
        )
        if row["channel"] == outbox.CALL and row["kind"] == "notice":
            _call_again(db, row)


def _call_again(db, row):
    """An unanswered notice call rings again later, within the daily limits; the
    failed try stays on record as it ended."""
    config = current_app.config
    tries = 1 + (row["dedupe_key"] or "").count(":again")
    if tries >= config["CALL_MAX_ATTEMPTS"]:
        return
    later = clock.now() + timedelta(minutes=config["CALL_RETRY_MINUTES"])
    outbox.queue(
        db,
        row["to_phone"],
        row["body"],
        kind=row["kind"],
        channel=outbox.CALL,
        priority=row["priority"],
        dedupe_key=row["dedupe_key"] + ":again",
        not_before=clock.stamp(later),
        twiml=row["twiml"],
        notice_id=row["notice_id"],
    )


@bp.post("/sms/status")
@twilio_signed
def sms_status():
    return _callback("MessageSid", "MessageStatus")


def take(form, sid_field, status_field):
    """Record a status callback's form; an HTTP error response if fields are missing."""
    sid, status = form.get(sid_field), (form.get(status_field) or "").lower()
    if not sid or not status:
        return Response(f"{sid_field} and {status_field} are required.", 400)
    record(get_db(), sid, status, form.get("ErrorCode") or None, form)
    return Response("", 204)


def _callback(sid_field, status_field):
    return take(request.form.to_dict(), sid_field, status_field)
