"""The closed loop of an issue: each step recorded, the reporter told, then asked.

new → acknowledged → sorted → in progress → resolved → rated; a reporter who is not
satisfied sends it back to the head.
"""

import logging
from datetime import timedelta

from flask import current_app

import prompts
from courtyard import clock, ledger, questions, roles
from courtyard.phones import mask
from db import one
from telephony import outbox

log = logging.getLogger(__name__)

QUESTION_RATING = "rate_issue"

SATISFIED = "satisfied"
UNSATISFIED = "unsatisfied"

# Answers to "satisfied? reply 1, not satisfied reply 2", after folding.
# A rating is read by how the answer starts, or by a leading 1 or 2.
_ANSWERS = {
    SATISFIED: ("很满意", "满意", "好的", "好", "可以", "行", "MY"),
    UNSATISFIED: ("不满意", "不好", "不行", "差", "没修好", "没办好", "BMY"),
}


def what(issue):
    """How texts name an issue: a report is a matter, a help request a request."""
    return prompts.WORDS[
        "help_request" if issue["kind"] == ledger.HELP_REQUEST else "report"
    ]


def load(db, issue_id):
    """An issue with its reporter's name and its courtyard's name, or None."""
    return one(
        db,
        "SELECT issues.*, households.name AS reporter_name, "
        "courtyards.name AS courtyard_name FROM issues "
        "LEFT JOIN households ON households.id = issues.household_id "
        "LEFT JOIN courtyards ON courtyards.id = issues.courtyard_id "
        "WHERE issues.id = ?",
        [issue_id],
    )


def step(db, issue, action, actor_phone, note=None, status=None, **columns):
    """Record one step of the loop and move the issue; return the event id."""
    values = {"updated_at": clock.stamp(), **columns}
    if status is not None:
        values["status"] = status
    if status not in (None, ledger.NEW) and not issue["acknowledged_at"]:
        values["acknowledged_at"] = clock.stamp()
    assignments = ", ".join(f"[{name}] = ?" for name in values)
    db.execute(
        f"UPDATE issues SET {assignments} WHERE id = ?",
        [*values.values(), issue["id"]],
    )
    issue.update(values)
    log.info("issue %s %s by %s", issue["id"], action, mask(actor_phone))
    return ledger.record_event(db, issue["id"], action, actor_phone, note)


def tell_reporter(db, issue, event_id, key, actor_phone, **fields):
    """One text to the reporter about a step, once per step, never to the actor."""
    phone = issue["reporter_phone"]
    if not phone or phone == actor_phone:
        return
    outbox.queue(
        db,
        phone,
        prompts.sms(
            key,
            what=what(issue),
            number=issue["id"],
            role=roles.title(db, issue["courtyard_id"], actor_phone),
            **fields,
        ),
        kind="loop",
        priority=outbox.PRIORITY_REPLY,
        issue_id=issue["id"],
        dedupe_key=f"issue:{issue['id']}:event:{event_id}:reporter",
    )


def ask_rating(db, issue):
    """Keep the reporter's next answer as their rating of the resolved issue."""
    if not issue["reporter_phone"]:
        return
    now = clock.now()
    hours = current_app.config["RATING_QUESTION_HOURS"]
    questions.ask(
        db,
        issue["reporter_phone"],
        QUESTION_RATING,
        now + timedelta(hours=hours),
        issue_id=issue["id"],
    )


def pending_rating(db, phone):
    """The resolved issue this phone was asked to rate, or None."""
    pending = one(
        db,
        "SELECT issue_id FROM pending_questions WHERE phone = ? AND question = ? "
        "AND expires_at > ?",
        [phone, QUESTION_RATING, clock.stamp()],
    )
    if pending is None:
        return None
    issue = load(db, pending["issue_id"])
    if issue is None or issue["status"] != ledger.RESOLVED:
        return None
    return issue


def read_rating(folded):
    """(SATISFIED, UNSATISFIED or None when the text does not answer the question,
    anything said beside the rating)."""
    answer, note = questions.read_answer(
        folded, _ANSWERS[SATISFIED], _ANSWERS[UNSATISFIED]
    )
    if answer is None:
        return None, ""
    return (SATISFIED if answer else UNSATISFIED), note


def rate(db, issue, phone, rating):
    """Take the reporter's rating; an unsatisfied one reopens and alerts the head."""
    questions.answered(db, phone, QUESTION_RATING)
    if rating == SATISFIED:
        step(db, issue, "rated", phone, SATISFIED, ledger.RATED, rating=SATISFIED)
        return prompts.sms("rated_satisfied", what=what(issue), number=issue["id"])

    ledger.record_event(db, issue["id"], "rated", phone, UNSATISFIED)
    event_id = step(
        db,
        issue,
        "reopened",
        phone,
        UNSATISFIED,
        ledger.IN_PROGRESS,
        rating=UNSATISFIED,
        resolved_at=None,
    )
    text = prompts.sms(
        "head_unsatisfied",
        name=issue["reporter_name"] or prompts.WORDS["reporter"],
        what=what(issue),
        number=issue["id"],
    )
    for _, head_phone in roles.contacts(db, issue["courtyard_id"], roles.HEAD):
        outbox.queue(
            db,
            head_phone,
            text,
            kind="alert",
            priority=outbox.PRIORITY_ALERT,
            issue_id=issue["id"],
            dedupe_key=f"issue:{issue['id']}:event:{event_id}:head",
        )
    return prompts.sms("rated_unsatisfied", what=what(issue), number=issue["id"])
