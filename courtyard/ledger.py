"""The courtyard ledger: issues and help requests, their steps, and who is alerted."""

import logging

import prompts
from courtyard import clock, directory
from courtyard.phones import mask, national
from db import insert, one
from telephony import outbox

log = logging.getLogger(__name__)

REPORT = "report"
HELP_REQUEST = "help_request"

# The closed loop an issue moves through.
NEW = "new"
ACKNOWLEDGED = "acknowledged"
SORTED = "sorted"
IN_PROGRESS = "in_progress"
RESOLVED = "resolved"
RATED = "rated"
OPEN = (NEW, ACKNOWLEDGED, SORTED, IN_PROGRESS)


def record_event(db, issue_id, action, actor_phone=None, note=None):
    """Record one step of an issue with who took it and when; return the event id."""
    return insert(
        db,
        "issue_events",
        {
            "issue_id": issue_id,
            "action": action,
            "actor_phone": actor_phone,
            "note": note,
            "at": clock.stamp(),
        },
    )


def open_issue(db, kind, household, body, *, channel, reporter_phone, help_kind=None):
    """Enter a report or help request in the ledger and queue its alerts."""
    now = clock.stamp()
    issue_id = insert(
        db,
        "issues",
        {
            "kind": kind,
            "courtyard_id": household["courtyard_id"],
            "household_id": household["id"],
            "reporter_phone": reporter_phone,
            "on_behalf_of": household["id"] if household.get("is_family") else None,
            "channel": channel,
            "body": body,
            "help_kind": help_kind,
            "status": NEW,
            "escalation_level": 0,
            "created_at": now,
            "updated_at": now,
        },
    )
    record_event(db, issue_id, "created", reporter_phone, body)
    alerted = _alert_new(db, issue_id, kind, household, body, reporter_phone)
    log.info(
        "%s %s opened in courtyard %s by %s; %s phones alerted",
        kind,
        issue_id,
        household["courtyard_id"],
        mask(reporter_phone),
        bool(alerted["head"]) + len(alerted["volunteers"]),
    )
    return issue_id, alerted


def _alert_new(db, issue_id, kind, household, body, reporter_phone):
    """Queue the alerts about a new matter; return {"head": phone or None,
    "volunteers": [phones]} of who will hear of it."""
    fields = {
        "number": issue_id,
        "name": household["name"],
        "phone": national(household["phone"]) if household["phone"] else "",
        "body": body,
    }
    head_phone = directory.first_responder(household)
    if head_phone == reporter_phone:
        head_phone = None
    key = "head_new_help" if kind == HELP_REQUEST else "head_new_report"
    if head_phone:
        outbox.queue(
            db,
            head_phone,
            prompts.sms(key, **fields),
            kind="alert",
            priority=outbox.PRIORITY_ALERT,
            issue_id=issue_id,
            dedupe_key=f"issue:{issue_id}:new:{head_phone}",
        )
    if kind != HELP_REQUEST:
        return {"head": head_phone, "volunteers": []}
    neighbours = directory.volunteers(
        db,
        household["courtyard_id"],
        excluding={household["head_phone"], household["phone"], reporter_phone},
    )
    text = prompts.sms(
        "volunteer_help", courtyard=household["courtyard_name"], **fields
    )
    for volunteer in neighbours:
        outbox.queue(
            db,
            volunteer["phone"],
            text,
            kind="alert",
            priority=outbox.PRIORITY_ALERT,
            issue_id=issue_id,
            dedupe_key=f"issue:{issue_id}:volunteer:{volunteer['phone']}",
        )
    return {"head": head_phone, "volunteers": [v["phone"] for v in neighbours]}


def add_followup(db, issue, household, text, actor_phone):
    """Attach a resident's later text to their open issue and show it to the head."""
    record_event(db, issue["id"], "followup", actor_phone, text)
    db.execute(
        "UPDATE issues SET updated_at = ? WHERE id = ?", [clock.stamp(), issue["id"]]
    )
    head_phone = directory.first_responder(household)
    if head_phone and head_phone != actor_phone:
        outbox.queue(
            db,
            head_phone,
            prompts.sms(
                "head_followup", number=issue["id"], name=household["name"], body=text
            ),
            kind="alert",
            priority=outbox.PRIORITY_ALERT,
            issue_id=issue["id"],
        )


def recent_open_issue(db, phone, since):
    """The reporter's newest open issue created since a moment, or None."""
    return one(
        db,
        "SELECT * FROM issues WHERE reporter_phone = ? AND created_at >= ? "
        f"AND status IN ({', '.join('?' for _ in OPEN)}) ORDER BY id DESC",
        [phone, since, *OPEN],
    )
