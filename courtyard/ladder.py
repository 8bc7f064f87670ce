"""The escalation ladder: what the head has not acknowledged in time moves up.

head → instructor → general head → subdistrict office. Each rung is reached once:
its alerts carry a dedupe key and the issue records the highest rung reached, so a
worker that runs twice, or late after being down, never sends anything twice.
"""

import logging
from datetime import timedelta

from flask import current_app

import prompts
from courtyard import clock, ledger, roles
from courtyard.loop import load, what
from db import transaction
from telephony import outbox

log = logging.getLogger(__name__)

_WAIT_SETTINGS = {
    ledger.HELP_REQUEST: "ESCALATE_HELP_MINUTES",
    ledger.REPORT: "ESCALATE_REPORT_MINUTES",
}


def waits(kind):
    """How long after opening an issue of this kind reaches each rung above the head."""
    name = _WAIT_SETTINGS[kind]
    raw = str(current_app.config[name])
    try:
        minutes = [int(part) for part in raw.replace("，", ",").split(",")]
    except ValueError:
        minutes = []
    if len(minutes) != roles.TOP or minutes != sorted(minutes) or minutes[0] <= 0:
        raise RuntimeError(
            f"Setting {name}={raw!r} must be {roles.TOP} increasing numbers of "
            "minutes, one per rung above the head, e.g. 15,30,60."
        )
    return [timedelta(minutes=value) for value in minutes]


def due_rung(issue, now):
    """The highest rung an issue should have reached by now."""
    elapsed = now - clock.parse(issue["created_at"])
    return sum(1 for wait in waits(issue["kind"]) if elapsed >= wait)


def is_overdue(issue, now):
    """Not acknowledged although its first escalation wait has passed."""
    return issue["status"] == ledger.NEW and due_rung(issue, now) > 0


def waited_text(wait):
    minutes = int(wait.total_seconds() // 60)
    if minutes % 1440 == 0:
        return prompts.WORDS["days"].format(n=minutes // 1440)
    if minutes % 60 == 0:
        return prompts.WORDS["hours"].format(n=minutes // 60)
    return prompts.WORDS["minutes"].format(n=minutes)


def alert_rung(db, issue, rung, key, tag="escalate", **fields):
    """Alert everyone on one rung of the issue's ladder; return how many were queued.

    Alerts with the same tag reach each phone on a rung once, whoever sends them.
    """
    text = prompts.sms(
        key,
        what=what(issue),
        number=issue["id"],
        courtyard=issue["courtyard_name"] or "",
        name=issue["reporter_name"] or "",
        body=issue["body"] or "",
        **fields,
    )
    queued = 0
    for _, phone in roles.contacts(db, issue["courtyard_id"], rung):
        queued += bool(
            outbox.queue(
                db,
                phone,
                text,
                kind="escalation",
                priority=outbox.PRIORITY_ALERT,
                issue_id=issue["id"],
                dedupe_key=f"issue:{issue['id']}:{tag}:{rung}:{phone}",
            )
        )
    if not queued:
        log.warning(
            "issue %s: nobody on rung %s (%s) to alert",
            issue["id"],
            rung,
            roles.RUNG_NAMES[rung],
        )
    return queued


def climb(db, issue_id, now):
    """Move one unacknowledged issue up to the rung it is due; return alerts queued."""
    issue = load(db, issue_id)
    if issue is None or issue["status"] != ledger.NEW:
        return 0
    due = due_rung(issue, now)
    reached = issue["escalation_level"] or 0
    queued = 0
    for rung in range(reached + 1, due + 1):
        waited = waited_text(waits(issue["kind"])[rung - 1])
        queued += alert_rung(db, issue, rung, "escalated", waited=waited)
        ledger.record_event(db, issue_id, "escalated", None, roles.RUNG_NAMES[rung])
        log.info("issue %s escalated to rung %s", issue_id, rung)
    if due > reached:
        db.execute(
            "UPDATE issues SET escalation_level = ?, updated_at = ? WHERE id = ?",
            [due, clock.stamp(now), issue_id],
        )
    return queued


def escalate_due(db):
    """The periodic job: climb every unacknowledged issue that is due a rung."""
    now = clock.now()
    first = min(waits(kind)[0] for kind in _WAIT_SETTINGS)
    candidates = [
        row["id"]
        for row in db.query(
            "SELECT id FROM issues WHERE status = ? AND escalation_level < ? "
            "AND created_at <= ? ORDER BY id",
            [ledger.NEW, roles.TOP, clock.stamp(now - first)],
        )
    ]
    queued = 0
    for issue_id in candidates:
        with transaction(db):
            queued += climb(db, issue_id, now)
    return queued
