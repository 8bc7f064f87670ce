"""The outbox worker: sends what is due, retries with back-off, runs periodic jobs."""

import logging
import time
from datetime import timedelta

import click
from flask import current_app

from courtyard import clock
from courtyard.phones import LANDLINE, mask
from db import get_db, one
from ivr.recordings import fetch_due as fetch_due_recordings
from telephony import outbox
from telephony.providers import ProviderError, get_provider

log = logging.getLogger(__name__)

# Jobs run before each sending pass, e.g. the escalation ladder; each takes the db.
PERIODIC_JOBS = [fetch_due_recordings]

# A row left "sending" this long was claimed by a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=5)


def claim_next(db):
    """Take the most urgent due row for this worker, or None when nothing is due."""
    now = clock.stamp()
    row = one(
        db,
        "UPDATE outbox SET status = ?, claimed_at = ?, attempts = attempts + 1, "
        "updated_at = ? WHERE id = (SELECT id FROM outbox WHERE status = ? "
        "AND next_attempt_at <= ? ORDER BY priority, id LIMIT 1) RETURNING *",
        [outbox.SENDING, now, now, outbox.QUEUED, now],
    )
    return row


def release_stale_claims(db):
    cutoff = clock.stamp(clock.now() - STALE_CLAIM)
    db.execute(
        "UPDATE outbox SET status = ?, updated_at = ? WHERE status = ? "
        "AND claimed_at < ?",
        [outbox.QUEUED, clock.stamp(), outbox.SENDING, cutoff],
    )


def _finish(db, row_id, **values):
    values["updated_at"] = clock.stamp()
    assignments = ", ".join(f"{name} = ?" for name in values)
    db.execute(
        f"UPDATE outbox SET {assignments} WHERE id = ?", [*values.values(), row_id]
    )


def _unreachable(db, row):
    """Why a row must not be sent (suppressed, blocked), or None to send it."""
    if one(db, "SELECT 1 AS yes FROM opt_outs WHERE phone = ?", [row["to_phone"]]):
        return outbox.SUPPRESSED
    if row["channel"] == outbox.SMS and one(
        db,
        "SELECT 1 AS yes FROM households WHERE phone = ? AND phone_kind = ?",
        [row["to_phone"], LANDLINE],
    ):
        return outbox.BLOCKED
    return None


def send_one(db, provider, row, config):
    refusal = _unreachable(db, row)
    if refusal:
        _finish(db, row["id"], status=refusal)
        log.info("outbox %s %s for %s", row["id"], refusal, mask(row["to_phone"]))
        return refusal

    try:
        sid = provider.send_sms(row["to_phone"], row["body"])
    except ProviderError as exc:
        return _failed(db, row, exc, config)

    _finish(
        db,
        row["id"],
        status=outbox.SENT,
        provider_sid=sid,
        sent_at=clock.stamp(),
        error_code=None,
        error_message=None,
    )
    log.info(
        "outbox %s sent to %s via %s", row["id"], mask(row["to_phone"]), provider.name
    )
    return outbox.SENT


def _failed(db, row, exc, config):
    if exc.transient and row["attempts"] < config["SEND_MAX_ATTEMPTS"]:
        delay = config["SEND_RETRY_SECONDS"] * 2 ** (row["attempts"] - 1)
        _finish(
            db,
            row["id"],
            status=outbox.QUEUED,
            error_code=exc.code,
            error_message=str(exc),
            next_attempt_at=clock.stamp(clock.now() + timedelta(seconds=delay)),
        )
        log.warning(
            "outbox %s to %s: provider error %s, retry in %ss",
            row["id"],
            mask(row["to_phone"]),
            exc.code,
            delay,
        )
        return outbox.QUEUED
    _finish(
        db, row["id"], status=outbox.FAILED, error_code=exc.code, error_message=str(exc)
    )
    log.error(
        "outbox %s to %s failed for good: provider error %s",
        row["id"],
        mask(row["to_phone"]),
        exc.code,
    )
    return outbox.FAILED


def run_once(db, config):
    """Run the periodic jobs, then send everything due; return how many rows."""
    for job in PERIODIC_JOBS:
        job(db)
    release_stale_claims(db)
    provider = get_provider(config)
    handled = 0
    while (row := claim_next(db)) is not None:
        send_one(db, provider, row, config)
        handled += 1
    return handled


@click.command("worker")
@click.option("--once", is_flag=True, help="Send what is due, then exit.")
def worker_command(once):
    """Send the outbox: forever, or once with --once."""
    db = get_db()
    config = current_app.config
    while True:
        handled = run_once(db, config)
        if once:
            click.echo(f"Sent {handled} outbox row(s).")
            return
        if not handled:
            time.sleep(config["WORKER_POLL_SECONDS"])
