"""The daily check-in (平安呼) for residents who live alone and agreed to it.

Each morning a text ("reply 1") or, for those who listen, a call ("press 1"). With no
answer after the retries, a volunteer neighbour, the family and the head are alerted in
that order, each once that day. An answer later that day closes it and tells them.
"""

import logging
from datetime import timedelta

from flask import current_app

import prompts
from courtyard import clock, directory, ledger, questions
from courtyard.phones import LANDLINE, mask, national
from db import insert_or_ignore, one, transaction
from ivr import outbound
from prompts.catalogue import VOICE
from prompts.voice import text as voice_text
from telephony import outbox

log = logging.getLogger(__name__)

QUESTION_CHECKIN = "checkin"

PENDING = "pending"  # asked today, no answer yet
OK = "ok"  # the resident answered
MISSED = "missed"  # the day ended without an answer
HELP = "help"  # the resident answered the call asking for someone to come

# Who hears of a missed check-in, in this order, one stage at a time.
STAGES = ("neighbour", "family", "head")


def run_due(db):
    """Start today's check-ins, retry unanswered ones, raise alerts in turn.

    Returns how many texts and calls it queued.
    """
    now = clock.now()
    local = clock.local(now)
    today = local.date().isoformat()
    config = current_app.config
    awake = config["CHECKIN_HOUR"] <= local.hour < config["CHECKIN_LAST_HOUR"]
    queued = 0
    with transaction(db):
        _close_past_days(db, today, local)
        if awake and local.hour < config["CHECKIN_START_BEFORE"]:
            _start_today(db, today, now)
        if awake:
            queued += _retry(db, now)
        else:
            _out_of_time(db, today, now)
        queued += _alert(db, now)
    return queued


def _close_past_days(db, today, local):
    """Yesterday's unanswered check-ins are missed, and their calls or texts that
    never went out are dropped rather than ringing the next morning."""
    db.execute(
        "UPDATE checkins SET status = ? WHERE status = ? AND day < ?",
        [MISSED, PENDING, today],
    )
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    db.execute(
        "UPDATE outbox SET status = ?, error_code = 'expired', updated_at = ? "
        "WHERE kind = 'checkin' AND status = ? AND created_at < ?",
        [outbox.FAILED, clock.stamp(), outbox.QUEUED, clock.stamp(midnight)],
    )


def _out_of_time(db, today, now):
    """Past the last hour for asking, a check-in still unanswered goes to its alerts
    even if not every retry could be made."""
    db.execute(
        "UPDATE checkins SET next_alert_at = ? WHERE status = ? AND day = ? "
        "AND attempts > 0 AND next_alert_at IS NULL",
        [clock.stamp(now), PENDING, today],
    )


def _start_today(db, day, now):
    enrolled = db.execute(
        "SELECT id FROM households WHERE checkin_enrolled = 1 AND phone IS NOT NULL "
        "AND id NOT IN (SELECT household_id FROM checkins WHERE day = ?)",
        [day],
    ).fetchall()
    for (household_id,) in enrolled:
        insert_or_ignore(
            db,
            "checkins",
            {
                "household_id": household_id,
                "day": day,
                "status": PENDING,
                "attempts": 0,
                "alert_stage": 0,
                "next_attempt_at": clock.stamp(now),
                "created_at": clock.stamp(now),
            },
        )


def _retry(db, now):
    config = current_app.config
    tries = 1 + config["CHECKIN_RETRIES"]
    wait = timedelta(minutes=config["CHECKIN_RETRY_MINUTES"])
    due = db.query(
        "SELECT * FROM checkins WHERE status = ? AND attempts < ? "
        "AND next_attempt_at <= ?",
        [PENDING, tries, clock.stamp(now)],
    )
    due = list(due)
    for row in due:
        attempt = row["attempts"] + 1
        _ask(db, row, attempt)
        db.execute(
            "UPDATE checkins SET attempts = ?, next_attempt_at = ?, next_alert_at = ? "
            "WHERE id = ?",
            [
                attempt,
                clock.stamp(now + wait),
                clock.stamp(now + wait) if attempt == tries else None,
                row["id"],
            ],
        )
    return len(due)


def _ask(db, row, attempt):
    household = directory.household(db, row["household_id"])
    key = f"checkin:{row['id']}:ask:{attempt}"
    if household["prefers"] == "voice" or household["phone_kind"] == LANDLINE:
        outbox.queue(
            db,
            household["phone"],
            voice_text("checkin_call", name=household["name"]),
            kind="checkin",
            channel=outbox.CALL,
            priority=outbox.PRIORITY_ROUTINE,
            dedupe_key=key,
            twiml=outbound.checkin_call(row["id"], household["name"]),
        )
        return
    outbox.queue(
        db,
        household["phone"],
        prompts.sms("checkin_sms", name=household["name"]),
        kind="checkin",
        priority=outbox.PRIORITY_ROUTINE,
        dedupe_key=key,
    )
    end_of_day = clock.local().replace(hour=23, minute=59, second=59)
    questions.ask(db, household["phone"], QUESTION_CHECKIN, end_of_day)


def _alert(db, now):
    config = current_app.config
    due = db.query(
        "SELECT * FROM checkins WHERE status = ? AND alert_stage < ? "
        "AND next_alert_at <= ?",
        [PENDING, len(STAGES), clock.stamp(now)],
    )
    wait = timedelta(minutes=config["CHECKIN_ALERT_MINUTES"])
    queued = 0
    for row in list(due):
        household = directory.household(db, row["household_id"])
        stage = row["alert_stage"]
        # A stage with nobody to tell passes straight to the next.
        while stage < len(STAGES):
            stage += 1
            if _alert_stage(db, row, household, stage):
                queued += 1
                break
        db.execute(
            "UPDATE checkins SET alert_stage = ?, next_alert_at = ? WHERE id = ?",
            [stage, clock.stamp(now + wait), row["id"]],
        )
    return queued


def _who(db, household, stage):
    """The phone alerted at a stage, or None when there is nobody to tell."""
    name = STAGES[stage - 1]
    if name == "neighbour":
        neighbours = directory.volunteers(
            db,
            household["courtyard_id"],
            excluding={household["phone"], household["head_phone"]},
        )
        return neighbours[0]["phone"] if neighbours else None
    if name == "family":
        return household["family_phone"]
    return household["head_phone"]


def _told(db, household, stage):
    """Who was alerted before this stage, in words, so no text claims more."""
    before = {
        STAGES[earlier - 1]
        for earlier in range(1, stage)
        if _who(db, household, earlier)
    }
    if {"neighbour", "family"} <= before:
        return prompts.SMS["checkin_told_both"]
    if "neighbour" in before:
        return prompts.SMS["checkin_told_neighbour"]
    if "family" in before:
        return prompts.SMS["checkin_told_family"]
    return prompts.SMS["checkin_told_nobody"]


def _alert_stage(db, row, household, stage):
    phone = _who(db, household, stage)
    if not phone:
        return False
    key = f"checkin_alert_{STAGES[stage - 1]}"
    text = prompts.sms(
        key,
        name=household["name"],
        phone=national(household["phone"]),
        told=_told(db, household, stage),
    )
    outbox.queue(
        db,
        phone,
        text,
        kind="checkin_alert",
        priority=outbox.PRIORITY_ALERT,
        dedupe_key=f"checkin:{row['id']}:alert:{stage}",
    )
    log.info(
        "check-in %s missed by %s: %s alerted",
        row["id"],
        mask(household["phone"]),
        STAGES[stage - 1],
    )
    return True


def answer(db, household_id):
    """The resident is well: close today's check-in and tell anyone already alerted.

    Returns False when there was no check-in today to answer.
    """
    today = clock.local().date().isoformat()
    row = one(
        db,
        "SELECT * FROM checkins WHERE household_id = ? AND day = ?",
        [household_id, today],
    )
    if row is None:
        return False
    if row["status"] != OK:
        db.execute(
            "UPDATE checkins SET status = ?, answered_at = ? WHERE id = ?",
            [OK, clock.stamp(), row["id"]],
        )
        _tell_alerted(db, row)
    household = directory.household(db, household_id)
    questions.answered(db, household["phone"], QUESTION_CHECKIN)
    return True


def _tell_alerted(db, row):
    household = directory.household(db, row["household_id"])
    for stage in range(1, row["alert_stage"] + 1):
        phone = _who(db, household, stage)
        if phone:
            outbox.queue(
                db,
                phone,
                prompts.sms("checkin_closed", name=household["name"]),
                kind="checkin_alert",
                priority=outbox.PRIORITY_ALERT,
                dedupe_key=f"checkin:{row['id']}:closed:{stage}",
            )


def answer_call(db, checkin_id, digits):
    """A key pressed on the check-in call; True when it was the 1 we asked for."""
    if digits != "1":
        return False
    with transaction(db):
        row = one(db, "SELECT household_id FROM checkins WHERE id = ?", [checkin_id])
        return bool(row) and answer(db, row["household_id"])


def ask_for_help(db, checkin_id):
    """Key 2 on the check-in call: an urgent help request for the household, opened
    once however often the key arrives. Returns the issue id, or None when there is
    no such check-in."""
    with transaction(db):
        row = one(db, "SELECT * FROM checkins WHERE id = ?", [checkin_id])
        if row is None:
            return None
        if row["issue_id"]:
            return row["issue_id"]
        household = directory.household(db, row["household_id"])
        issue_id, _ = ledger.open_issue(
            db,
            ledger.HELP_REQUEST,
            household,
            VOICE["body_checkin_help"],
            channel="voice",
            reporter_phone=household["phone"],
            help_kind="elderly",
        )
        # She answered: no more retries and no "did not answer" alerts today.
        db.execute(
            "UPDATE checkins SET status = ?, answered_at = ?, issue_id = ? "
            "WHERE id = ?",
            [HELP, clock.stamp(), issue_id, row["id"]],
        )
        db.execute(
            "DELETE FROM pending_questions WHERE phone = ? AND question = ?",
            [household["phone"], QUESTION_CHECKIN],
        )
    log.info(
        "check-in %s: %s asked for someone to come; help request %s",
        row["id"],
        mask(household["phone"]),
        issue_id,
    )
    return issue_id


def volunteers_told(db, issue_id):
    """True when the courtyard's volunteers were sent the help request."""
    told = one(
        db,
        "SELECT COUNT(*) AS n FROM outbox WHERE issue_id = ? AND dedupe_key LIKE ?",
        [issue_id, f"issue:{issue_id}:volunteer:%"],
    )
    return bool(told and told["n"])
