"""Call recordings: kept as Twilio announced them, fetched later with retries.

A recording may not be downloadable the moment its callback arrives. The report never
waits for the audio: the row holds the provider's id, URL and duration at once, and
the worker fetches the file when the provider has it.
"""

import logging
import os
import re
import tempfile
from datetime import timedelta

from flask import current_app

from courtyard import clock
from courtyard.phones import mask
from db import one
from ivr.calls import bounded_int
from telephony.providers import ProviderError, get_provider

log = logging.getLogger(__name__)

# The life of a recording row.
PENDING = "pending"  # announced, audio not fetched yet
FETCHED = "fetched"  # the audio is in RECORDING_DIR
FAILED = "failed"  # retries ran out; the provider's URL is still kept
ABSENT = "absent"  # the provider stored nothing (silence)

REPORT = "report"
HELP = "help"
MESSAGE = "message"
NOTICE = "notice"

FETCH_BATCH = 20


# The longest a recording can be, in seconds; anything more is not a duration.
LONGEST = 4 * 3600


# Twilio's recording ids: "RE" and 32 hex digits. The id names the audio file, so
# nothing else is ever stored or used.
_RECORDING_SID = re.compile(r"RE[0-9a-fA-F]{32}")


def valid_sid(recording_sid):
    return bool(recording_sid) and bool(_RECORDING_SID.fullmatch(recording_sid))


def duration(form):
    return bounded_int(form.get("RecordingDuration"), high=LONGEST)


def announced(form):
    """True when a Record action carries a recording with something in it."""
    return valid_sid(form.get("RecordingSid")) and bool(form.get("RecordingUrl"))


def keep(db, turn, purpose, issue_id=None, notice_id=None):
    """Keep the recording a Record action announced; return its row or None."""
    form = turn.form
    if not announced(form):
        return None
    household = turn.household
    now = clock.stamp()
    db.execute(
        "INSERT INTO recordings (recording_sid, call_sid, purpose, from_phone, "
        "household_id, courtyard_id, issue_id, notice_id, url, duration, status, "
        "attempts, next_attempt_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) "
        "ON CONFLICT (recording_sid) DO UPDATE SET "
        "call_sid = excluded.call_sid, purpose = excluded.purpose, "
        "from_phone = excluded.from_phone, household_id = excluded.household_id, "
        "courtyard_id = excluded.courtyard_id, "
        "issue_id = COALESCE(excluded.issue_id, issue_id), "
        "notice_id = COALESCE(excluded.notice_id, notice_id), "
        "updated_at = excluded.updated_at",
        [
            form["RecordingSid"],
            turn.sid,
            purpose,
            turn.phone,
            household and household["id"],
            household and household["courtyard_id"],
            issue_id,
            notice_id,
            form["RecordingUrl"],
            duration(form),
            PENDING,
            now,
            now,
            now,
        ],
    )
    return find(db, form["RecordingSid"])


def find(db, recording_sid):
    return one(db, "SELECT * FROM recordings WHERE recording_sid = ?", [recording_sid])


def of_call(db, call_sid, recording_sid):
    """A recording made on this call, or None: nobody links another call's audio."""
    return one(
        db,
        "SELECT * FROM recordings WHERE recording_sid = ? AND call_sid = ?",
        [recording_sid, call_sid],
    )


def latest_for_issue(db, issue_id):
    return one(
        db,
        "SELECT * FROM recordings WHERE issue_id = ? ORDER BY id DESC LIMIT 1",
        [issue_id],
    )


def claim(db, recording_sid, purpose, phone, household, issue_id):
    """Say whose a recording is, for one that only its status callback announced."""
    db.execute(
        "UPDATE recordings SET purpose = ?, from_phone = ?, household_id = ?, "
        "courtyard_id = ?, issue_id = ?, updated_at = ? WHERE recording_sid = ?",
        [
            purpose,
            phone,
            household["id"],
            household["courtyard_id"],
            issue_id,
            clock.stamp(),
            recording_sid,
        ],
    )


def link(db, recording_sid, issue_id=None, notice_id=None):
    db.execute(
        "UPDATE recordings SET issue_id = COALESCE(?, issue_id), "
        "notice_id = COALESCE(?, notice_id), updated_at = ? WHERE recording_sid = ?",
        [issue_id, notice_id, clock.stamp(), recording_sid],
    )


def status_callback(db, form):
    """Twilio's recording status callback: the URL is final, or nothing was kept.

    Returns the recording's row, or None when the callback named no valid id.
    """
    sid = form.get("RecordingSid")
    if not valid_sid(sid):
        log.warning("recording status callback with a malformed id refused")
        return None
    now = clock.stamp()
    status = ABSENT if form.get("RecordingStatus") in ("absent", "failed") else PENDING
    db.execute(
        "INSERT INTO recordings (recording_sid, call_sid, url, duration, status, "
        "attempts, next_attempt_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?) "
        "ON CONFLICT (recording_sid) DO UPDATE SET "
        "url = COALESCE(excluded.url, url), duration = excluded.duration, "
        "status = CASE WHEN status = ? THEN status ELSE excluded.status END, "
        "next_attempt_at = CASE WHEN status = ? THEN next_attempt_at "
        "ELSE excluded.next_attempt_at END, updated_at = excluded.updated_at",
        [
            sid,
            form.get("CallSid"),
            form.get("RecordingUrl") or None,
            duration(form),
            status,
            now,
            now,
            now,
            FETCHED,
            FETCHED,
        ],
    )
    return find(db, sid)


def fetch_due(db):
    """Fetch the audio of recordings that are due; a periodic job of the worker."""
    config = current_app.config
    due = list(
        db.query(
            "SELECT * FROM recordings WHERE status = ? AND url IS NOT NULL "
            "AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?",
            [PENDING, clock.stamp(), FETCH_BATCH],
        )
    )
    if not due:
        return 0
    provider = get_provider(config)
    for row in due:
        _fetch_one(db, provider, row, config)
    return len(due)


def _fetch_one(db, provider, row, config):
    if not valid_sid(row["recording_sid"]):
        _failed(
            db, row, ProviderError("malformed recording id", code="bad-sid"), config
        )
        return
    try:
        audio = provider.fetch_recording(row["url"])
    except ProviderError as exc:
        _failed(db, row, exc, config)
        return
    path = _write(config["RECORDING_DIR"], f"{row['recording_sid']}.wav", audio)
    now = clock.stamp()
    db.execute(
        "UPDATE recordings SET status = ?, local_path = ?, fetched_at = ?, "
        "attempts = attempts + 1, error_code = NULL, updated_at = ? WHERE id = ?",
        [FETCHED, path, now, now, row["id"]],
    )
    log.info("recording %s fetched (%s bytes)", row["recording_sid"], len(audio))


def _failed(db, row, exc, config):
    attempts = row["attempts"] + 1
    now = clock.now()
    if exc.transient and attempts < config["RECORDING_FETCH_MAX_ATTEMPTS"]:
        delay = config["RECORDING_RETRY_SECONDS"] * 2 ** (attempts - 1)
        status, next_at = PENDING, clock.stamp(now + timedelta(seconds=delay))
        log.warning(
            "recording %s from %s not fetched (%s), retry in %ss",
            row["recording_sid"],
            mask(row["from_phone"]),
            exc.code,
            delay,
        )
    else:
        status, next_at = FAILED, row["next_attempt_at"]
        log.error(
            "recording %s from %s could not be fetched for good (%s); "
            "its provider URL stays on record",
            row["recording_sid"],
            mask(row["from_phone"]),
            exc.code,
        )
    db.execute(
        "UPDATE recordings SET status = ?, attempts = ?, next_attempt_at = ?, "
        "error_code = ?, updated_at = ? WHERE id = ?",
        [status, attempts, next_at, exc.code, clock.stamp(now), row["id"]],
    )


def _write(folder, name, data):
    """Write a file atomically: readers see the old file or the whole new one."""
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    path = os.path.join(folder, name)
    os.replace(temporary, path)
    return path
