"""The outbox worker: sends what is due, retries with back-off, runs periodic jobs."""

import logging
import sqlite3
import time
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from courtyard import clock
from courtyard.ladder import escalate_due
from courtyard.phones import LANDLINE, mask
from courtyard.worklist import queue_digests
from db import get_db, one, transaction
from ivr.recordings import fetch_due as fetch_due_recordings
from telephony import callbacks, outbox
from telephony.providers import ProviderError, get_provider

log = logging.getLogger(__name__)

# Jobs run before each sending pass, e.g. the escalation ladder; each takes the db
# and returns how many texts it queued. Each is safe to run any number of times.
PERIODIC_JOBS = [fetch_due_recordings, escalate_due, queue_digests]


def register_job(job):
    """Run job(db) before every sending pass; registering twice changes nothing."""
    if job not in PERIODIC_JOBS:
        PERIODIC_JOBS.append(job)


# What a provider's refusal code means for the recipient, where it is final.
_REFUSALS = {
    "21610": outbox.SUPPRESSED,  # the recipient replied STOP to the provider
    "21614": outbox.BLOCKED,  # not a mobile number: texts cannot reach it
    "21211": outbox.FAILED,  # not a valid phone number
    "21612": outbox.FAILED,  # the provider cannot route to this number
}


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


def recover_stale_claims(db, provider, config):
    """Rows a worker claimed and never finished (it was killed mid-send): ask the
    provider whether each went out, so a restart sends nobody anything twice."""
    cutoff = clock.now() - timedelta(seconds=config["SEND_STALE_SECONDS"])
    stale = db.execute(
        "SELECT * FROM outbox WHERE status = ? AND claimed_at <= ?",
        [outbox.SENDING, clock.stamp(cutoff)],
    )
    columns = [column[0] for column in stale.description]
    for values in stale.fetchall():
        row = dict(zip(columns, values, strict=True))
        try:
            sid = provider.find_sent(row)
        except ProviderError as exc:
            log.warning(
                "outbox %s: cannot ask %s whether it was sent (%s)",
                row["id"],
                provider.name,
                exc.code,
            )
            continue
        if sid:
            _record_sent(db, row, sid, row["claimed_at"])
            log.info("outbox %s was sent before the worker stopped", row["id"])
        else:
            _finish(db, row["id"], status=outbox.QUEUED)
            log.info(
                "outbox %s was not sent before the worker stopped; queued", row["id"]
            )


def _finish(db, row_id, **values):
    values["updated_at"] = clock.stamp()
    assignments = ", ".join(f"{name} = ?" for name in values)
    db.execute(
        f"UPDATE outbox SET {assignments} WHERE id = ?", [*values.values(), row_id]
    )


def _unreachable(db, row):
    """Why a row must not be sent (suppressed, blocked), or None to send it."""
    # Opting out ("退订") stops texts; calls the resident receives, such as the daily
    # check-in they enrolled in, are not texts and still ring.
    if row["channel"] == outbox.SMS and one(
        db, "SELECT 1 AS yes FROM opt_outs WHERE phone = ?", [row["to_phone"]]
    ):
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
        if refusal == outbox.SUPPRESSED and row["kind"] == "alert":
            _pass_to_general_head(db, row)
        return refusal

    if row["channel"] == outbox.CALL:
        later = _call_not_before(db, row, config)
        if later:
            _finish(
                db,
                row["id"],
                status=outbox.QUEUED,
                attempts=row["attempts"] - 1,
                next_attempt_at=clock.stamp(later),
            )
            log.info(
                "outbox %s call to %s deferred to %s",
                row["id"],
                mask(row["to_phone"]),
                clock.stamp(later),
            )
            return outbox.QUEUED

    try:
        sid = _deliver(provider, row, config)
    except ProviderError as exc:
        return _failed(db, row, exc, config)

    _record_sent(db, row, sid, clock.stamp())
    log.info(
        "outbox %s sent to %s via %s", row["id"], mask(row["to_phone"]), provider.name
    )
    return outbox.SENT


def _pass_to_general_head(db, row):
    """An alert about someone's matter is never dropped because its recipient opted
    out: the general head of the matter's community gets it instead."""
    fallback = one(
        db,
        "SELECT communities.general_head_phone AS phone FROM issues "
        "JOIN courtyards ON courtyards.id = issues.courtyard_id "
        "JOIN communities ON communities.id = courtyards.community_id "
        "WHERE issues.id = ?",
        [row["issue_id"]],
    )
    if fallback and fallback["phone"] and fallback["phone"] != row["to_phone"]:
        outbox.queue(
            db,
            fallback["phone"],
            row["body"],
            kind="alert",
            priority=outbox.PRIORITY_ALERT,
            issue_id=row["issue_id"],
            dedupe_key=f"opted-out:{row['id']}",
        )


def _record_sent(db, row, sid, sent_at):
    """The provider took the send: keep its id, then apply any callback about it
    that arrived first."""
    with transaction(db):
        _finish(
            db,
            row["id"],
            status=outbox.SENT,
            provider_sid=sid,
            sent_at=sent_at,
            error_code=None,
            error_message=None,
        )
        callbacks.apply_waiting(db, {**row, "provider_sid": sid})


def _deliver(provider, row, config):
    base = config["PUBLIC_BASE_URL"].rstrip("/")
    if row["channel"] == outbox.CALL:
        callback = f"{base}/voice/status" if base else None
        return provider.place_call(
            row["to_phone"],
            row["twiml"],
            row["body"],
            status_callback=callback,
            reference=row["id"],
            twiml_url=f"{base}/voice/outbound/{row['id']}" if base else None,
        )
    callback = f"{base}/sms/status" if base else None
    return provider.send_sms(
        row["to_phone"], row["body"], status_callback=callback, reference=row["id"]
    )


def _call_not_before(db, row, config):
    """When a call must wait: quiet hours, or the resident's calls for today used up.

    Returns the local moment it may ring, or None to ring now. Urgent calls never wait.
    """
    if row["urgent"]:
        return None
    local = clock.local()
    start, end = config["QUIET_HOURS_START"], config["QUIET_HOURS_END"]
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if local.hour >= start:
        return morning + timedelta(days=1)
    if local.hour < end:
        return morning

    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    calls_today = db.execute(
        "SELECT COUNT(*) FROM outbox WHERE channel = ? AND to_phone = ? "
        "AND sent_at >= ?",
        [outbox.CALL, row["to_phone"], clock.stamp(midnight)],
    ).fetchone()[0]
    if calls_today >= config["CALLS_PER_DAY"]:
        return morning + timedelta(days=1)
    return None


def _failed(db, row, exc, config):
    refusal = _REFUSALS.get(exc.code)
    if refusal:
        _finish(
            db, row["id"], status=refusal, error_code=exc.code, error_message=str(exc)
        )
        if refusal == outbox.SUPPRESSED:
            db.execute(
                "INSERT OR IGNORE INTO opt_outs (phone, opted_out_at) VALUES (?, ?)",
                [row["to_phone"], clock.stamp()],
            )
        log.warning(
            "outbox %s to %s refused by the provider: %s (%s)",
            row["id"],
            mask(row["to_phone"]),
            refusal,
            exc.code,
        )
        return refusal
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


def run_jobs(db):
    """Run each periodic job once; return how many texts they queued."""
    queued = 0
    for job in PERIODIC_JOBS:
        queued += job(db)
    return queued


# During a long sending pass (a big notice) the ladder, check-ins and recordings still
# run this often, so nothing waits for the broadcast to finish.
JOBS_EVERY_SECONDS = 5


def run_once(db, config):
    """Run the periodic jobs, then send everything due; return how many rows."""
    provider = get_provider(config)
    jobs_at = 0.0
    pace = Pace(config["SEND_RATE_PER_SECOND"])
    handled = 0
    while True:
        if time.monotonic() >= jobs_at:
            run_jobs(db)
            recover_stale_claims(db, provider, config)
            jobs_at = time.monotonic() + JOBS_EVERY_SECONDS
        row = claim_next(db)
        if row is None:
            return handled
        pace.wait()
        send_one(db, provider, row, config)
        handled += 1


class Pace:
    """Keep sends under the provider's rate limit; 0 means no limit."""

    def __init__(self, per_second):
        self.gap = 1 / per_second if per_second else 0
        self.next_at = 0.0

    def wait(self):
        if not self.gap:
            return
        now = time.monotonic()
        if now < self.next_at:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.gap


@click.command("worker")
@with_appcontext
@click.option("--once", is_flag=True, help="Send what is due, then exit.")
def worker_command(once):
    """Send the outbox: forever, or once with --once."""
    db = get_db()
    config = current_app.config
    while True:
        if once:
            handled = run_once(db, config)
            click.echo(f"Sent {handled} outbox row(s).")
            return
        try:
            handled = run_once(db, config)
        except sqlite3.OperationalError as exc:
            # A long write elsewhere (an import, a backup) holds the lock: wait.
            log.warning("worker pass stopped: %s; trying again", exc)
            handled = 0
        except Exception:
            log.exception("worker pass failed; trying again")
            handled = 0
        if not handled:
            time.sleep(config["WORKER_POLL_SECONDS"])


@click.command("tick")
@with_appcontext
def tick_command():
    """Run what is due once: the escalation ladder and the daily digest."""
    queued = run_jobs(get_db())
    click.echo(f"Queued {queued} text(s); the worker sends them.")
