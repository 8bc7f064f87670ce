"""What a head does to an issue: acknowledge, sort, assign, note, resolve, escalate.

A head acts on their own courtyard's issues, an instructor or general head on theirs.
Each action returns the confirmation for the actor; anything that cannot be done
raises a small named error carrying the catalogue key that says why.
"""

from dataclasses import dataclass

import prompts
from courtyard import clock, directory, ladder, ledger, loop, roles
from courtyard.loop import what
from courtyard.phones import national
from courtyard.refusals import Refusal
from db import insert
from telephony import outbox

BIG = "big"
SMALL = "small"
PRIVATE = "private"


class TriageError(Refusal):
    """A head's command that cannot be carried out."""


class UnknownIssue(TriageError):
    key = "unknown_issue"


class NotYourCourtyard(TriageError):
    """Said in the same words as an unknown number, so nothing of another courtyard's
    ledger shows through."""

    key = "unknown_issue"


class SelfAward(TriageError):
    key = "no_self_award"


class NotYourResident(TriageError):
    key = "not_your_resident"


class AlreadyAcknowledged(TriageError):
    key = "already_acknowledged"


class AlreadyClosed(TriageError):
    key = "already_closed"


class NotClosed(TriageError):
    key = "not_closed"


class TopOfLadder(TriageError):
    key = "top_of_ladder"


@dataclass(frozen=True)
class Actor:
    """Who sent a command, and the courtyards they answer for."""

    phone: str
    courtyards: frozenset


def issue_for(db, actor, number):
    """The issue a command names, if the actor may act on it."""
    issue = loop.load(db, number)
    if issue is None:
        raise UnknownIssue(number=number)
    if issue["courtyard_id"] not in actor.courtyards:
        raise NotYourCourtyard(number=number)
    return issue


def _open_issue_for(db, actor, number):
    issue = issue_for(db, actor, number)
    if issue["status"] not in ledger.OPEN:
        raise AlreadyClosed(what=what(issue), number=number)
    return issue


def _reporter(issue):
    return issue["reporter_name"] or prompts.WORDS["reporter"]


def acknowledge(db, actor, number):
    issue = _open_issue_for(db, actor, number)
    if issue["status"] != ledger.NEW:
        raise AlreadyAcknowledged(what=what(issue), number=number)

    event_id = loop.step(
        db, issue, "acknowledged", actor.phone, None, ledger.ACKNOWLEDGED
    )
    loop.tell_reporter(db, issue, event_id, "reporter_acknowledged", actor.phone)
    return prompts.sms(
        "done_acknowledge", what=what(issue), number=number, name=_reporter(issue)
    )


def sort(db, actor, number, stream):
    """Sort into big, small or private; a big matter goes up to staff at once."""
    issue = _open_issue_for(db, actor, number)
    in_progress = issue["status"] == ledger.IN_PROGRESS
    status = ledger.IN_PROGRESS if in_progress else ledger.SORTED

    event_id = loop.step(
        db, issue, "sorted", actor.phone, stream, status, stream=stream
    )
    loop.tell_reporter(db, issue, event_id, f"reporter_{stream}", actor.phone)
    fields = {"what": what(issue), "number": number, "name": _reporter(issue)}
    if stream != BIG:
        return prompts.sms(
            "done_sort", stream=prompts.WORDS[f"stream_{stream}"], **fields
        )

    reached = [
        rung
        for rung in (roles.GENERAL_HEAD, roles.SUBDISTRICT)
        if roles.contacts(db, issue["courtyard_id"], rung)
    ]
    for rung in reached:
        ladder.alert_rung(db, issue, rung, "big_matter", tag=BIG)
    if not reached:
        return prompts.sms("done_sort_big_alone", **fields)
    which = (
        "both"
        if len(reached) == 2
        else ("community" if reached[0] == roles.GENERAL_HEAD else "subdistrict")
    )
    return prompts.sms(
        "done_sort_big", reported=prompts.SMS[f"reported_{which}"], **fields
    )


def assign(db, actor, number, phone):
    """Hand the work to a resident or volunteer of the actor's courtyards."""
    issue = _open_issue_for(db, actor, number)
    assignee = directory.household_by_phone(db, phone)
    if assignee is None or assignee["courtyard_id"] != issue["courtyard_id"]:
        raise NotYourResident(phone=national(phone))

    was_new = issue["status"] == ledger.NEW
    event_id = loop.step(
        db,
        issue,
        "assigned",
        actor.phone,
        phone,
        ledger.IN_PROGRESS,
        assigned_phone=phone,
    )
    if was_new:
        loop.tell_reporter(db, issue, event_id, "reporter_acknowledged", actor.phone)
    _tell_assignee(db, issue, event_id, actor, phone)
    return prompts.sms(
        "done_assign", what=what(issue), number=number, name=assignee["name"]
    )


def _tell_assignee(db, issue, event_id, actor, phone):
    sender = directory.household_by_phone(db, actor.phone)
    text = prompts.sms(
        "assignee_task",
        head=sender["name"] if sender else prompts.WORDS["head"],
        what=what(issue),
        number=issue["id"],
        body=issue["body"] or "",
        name=issue["reporter_name"] or "",
        phone=national(issue["reporter_phone"]) if issue["reporter_phone"] else "",
    )
    outbox.queue(
        db,
        phone,
        text,
        kind="alert",
        priority=outbox.PRIORITY_ALERT,
        issue_id=issue["id"],
        dedupe_key=f"issue:{issue['id']}:event:{event_id}:assignee",
    )


def note(db, actor, number, text):
    issue = issue_for(db, actor, number)
    loop.step(db, issue, "note", actor.phone, text)
    return prompts.sms("done_note", what=what(issue), number=number)


def resolve(db, actor, number, text):
    """Resolve with a note; the reporter hears the note and is asked to rate it."""
    issue = _open_issue_for(db, actor, number)

    event_id = loop.step(
        db,
        issue,
        "resolved",
        actor.phone,
        text,
        ledger.RESOLVED,
        resolved_at=clock.stamp(),
    )
    loop.tell_reporter(db, issue, event_id, "reporter_resolved", actor.phone, body=text)
    if issue["reporter_phone"] != actor.phone:
        loop.ask_rating(db, issue)
    return prompts.sms(
        "done_resolve", what=what(issue), number=number, name=_reporter(issue)
    )


def reopen(db, actor, number):
    issue = issue_for(db, actor, number)
    if issue["status"] in ledger.OPEN:
        raise NotClosed(what=what(issue), number=number)

    event_id = loop.step(
        db,
        issue,
        "reopened",
        actor.phone,
        None,
        ledger.IN_PROGRESS,
        resolved_at=None,
    )
    loop.tell_reporter(db, issue, event_id, "reporter_reopened", actor.phone)
    return prompts.sms(
        "done_reopen", what=what(issue), number=number, name=_reporter(issue)
    )


def escalate(db, actor, number):
    """Send an issue one rung up now, skipping rungs with nobody on them."""
    issue = _open_issue_for(db, actor, number)
    rung = (issue["escalation_level"] or 0) + 1
    while rung <= roles.TOP and not roles.contacts(db, issue["courtyard_id"], rung):
        rung += 1
    if rung > roles.TOP:
        raise TopOfLadder(what=what(issue), number=number)

    ladder.alert_rung(db, issue, rung, "escalated_by_head")
    loop.step(
        db,
        issue,
        "escalated",
        actor.phone,
        roles.RUNG_NAMES[rung],
        escalation_level=rung,
    )
    names = [name for name, _ in roles.contacts(db, issue["courtyard_id"], rung)]
    name = "" if rung == roles.SUBDISTRICT else names[0]
    return prompts.sms(
        "done_escalate",
        what=what(issue),
        number=number,
        rung=roles.RUNG_NAMES[rung],
        name=name,
    )


def award_points(db, actor, phone, points, reason):
    """Points to a resident of the actor's courtyards, with the reason they hear."""
    if phone == actor.phone:
        raise SelfAward()
    resident = directory.household_by_phone(db, phone)
    if resident is None or resident["courtyard_id"] not in actor.courtyards:
        raise NotYourResident(phone=national(phone))

    point_id = insert(
        db,
        "points",
        {
            "household_id": resident["id"],
            "points": points,
            "reason": reason,
            "awarded_by": actor.phone,
            "at": clock.stamp(),
        },
    )
    sender = directory.household_by_phone(db, actor.phone)
    outbox.queue(
        db,
        phone,
        prompts.sms(
            "points_awarded",
            head=sender["name"] if sender else prompts.WORDS["head"],
            points=points,
            body=reason,
        ),
        kind="points",
        priority=outbox.PRIORITY_REPLY,
        dedupe_key=f"points:{point_id}",
    )
    return prompts.sms(
        "done_award",
        name=resident["name"],
        points=points,
        body=reason,
    )
