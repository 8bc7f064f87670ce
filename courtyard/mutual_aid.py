"""Neighbours helping neighbours: a help request is taken by the first who accepts,
done by the helper, confirmed by the requester, and the helper earns points."""

import logging
from datetime import timedelta

from flask import current_app

import prompts
from courtyard import clock, directory, ledger, questions
from courtyard.phones import mask, national
from courtyard.refusals import Refusal
from db import insert, one
from telephony import outbox

log = logging.getLogger(__name__)

QUESTION_CONFIRM = "confirm_help"


class MutualAidError(Refusal):
    """A volunteer's command on help request number that cannot be carried out."""

    def __init__(self, number, **fields):
        super().__init__(number=number, **fields)


class UnknownHelpRequest(MutualAidError):
    """No help request with that number in the volunteer's courtyard."""

    key = "aid_unknown"


class AlreadyTaken(MutualAidError):
    key = "aid_taken"


class OwnRequest(MutualAidError):
    """Nobody takes, or earns points for, their own request."""

    key = "aid_own"


class NotYours(MutualAidError):
    """Only the neighbour who took a request can mark it done."""

    key = "aid_not_yours"


class AlreadyClosed(MutualAidError):
    key = "aid_closed"


def _help_request(db, number, household):
    """The help request, if it belongs to the volunteer's own courtyard."""
    issue = one(db, "SELECT * FROM issues WHERE id = ?", [number])
    if (
        issue is None
        or issue["kind"] != ledger.HELP_REQUEST
        or issue["courtyard_id"] != household["courtyard_id"]
    ):
        raise UnknownHelpRequest(number)
    return issue


def _send(db, phone, key, issue_id, dedupe=None, **fields):
    if not phone:
        return
    outbox.queue(
        db,
        phone,
        prompts.sms(key, **fields),
        kind="aid",
        priority=outbox.PRIORITY_ALERT,
        issue_id=issue_id,
        dedupe_key=f"issue:{issue_id}:{dedupe}:{phone}" if dedupe else None,
    )


def accept(db, number, volunteer, phone):
    """The first neighbour to accept takes the request; return the reply text."""
    issue = _help_request(db, number, volunteer)
    if volunteer["id"] == issue["household_id"] or phone == issue["reporter_phone"]:
        raise OwnRequest(number)
    if issue["status"] not in ledger.OPEN:
        raise AlreadyClosed(number)
    now = clock.stamp()
    taken = db.execute(
        "UPDATE issues SET helper_household_id = ?, accepted_at = ?, status = ?, "
        "updated_at = ? WHERE id = ? AND helper_household_id IS NULL",
        [volunteer["id"], now, ledger.IN_PROGRESS, now, number],
    ).rowcount
    if not taken:
        if issue["helper_household_id"] == volunteer["id"]:
            raise AlreadyTaken(number, helper=prompts.WORDS["you"])
        helper = directory.household(db, issue["helper_household_id"])
        raise AlreadyTaken(number, helper=helper["name"])

    ledger.record_event(db, number, "accepted", phone)
    requester = directory.household(db, issue["household_id"])
    helper_fields = {"helper": volunteer["name"], "helper_phone": national(phone)}
    _send(
        db,
        issue["reporter_phone"],
        "aid_coming",
        number,
        "coming",
        number=number,
        **helper_fields,
    )
    head_phone = requester["head_phone"]
    if head_phone not in (phone, issue["reporter_phone"]):
        _send(
            db,
            head_phone,
            "aid_taken_head",
            number,
            "taken-head",
            number=number,
            **helper_fields,
        )
    _tell_other_volunteers(db, issue, phone, volunteer["name"])
    log.info("help request %s accepted by %s", number, mask(phone))
    own_phone = national(requester["phone"]) if requester["phone"] else ""
    if issue["on_behalf_of"]:
        return prompts.sms(
            "aid_accepted_family",
            number=number,
            name=requester["name"],
            phone=own_phone,
            family=national(issue["reporter_phone"]),
        )
    return prompts.sms(
        "aid_accepted",
        number=number,
        name=requester["name"],
        phone=national(issue["reporter_phone"] or requester["phone"] or ""),
    )


def _tell_other_volunteers(db, issue, helper_phone, helper_name):
    """Everyone alerted about the request, but the helper, hears it is taken."""
    alerted = db.execute(
        "SELECT DISTINCT to_phone FROM outbox WHERE issue_id = ? AND dedupe_key LIKE ?",
        [issue["id"], f"issue:{issue['id']}:volunteer:%"],
    ).fetchall()
    for (to_phone,) in alerted:
        if to_phone != helper_phone:
            _send(
                db,
                to_phone,
                "aid_taken_other",
                issue["id"],
                "taken",
                number=issue["id"],
                helper=helper_name,
            )


def done(db, number, volunteer, phone):
    """The helper says it is done; the requester is asked to confirm."""
    issue = _help_request(db, number, volunteer)
    if issue["helper_household_id"] != volunteer["id"]:
        raise NotYours(number)
    if issue["done_at"]:
        raise AlreadyClosed(number)
    now = clock.stamp()
    db.execute(
        "UPDATE issues SET done_at = ?, updated_at = ? WHERE id = ?", [now, now, number]
    )
    ledger.record_event(db, number, "done", phone)

    requester_phone = issue["reporter_phone"]
    if requester_phone:
        _send(
            db,
            requester_phone,
            "aid_confirm_question",
            number,
            None,
            number=number,
            helper=volunteer["name"],
        )
        questions.ask(
            db,
            requester_phone,
            QUESTION_CONFIRM,
            clock.now() + _confirm_wait(),
            issue_id=number,
        )
    return prompts.sms(
        "aid_done", number=number, points=current_app.config["HELP_POINTS"]
    )


def add_note(db, issue_id, household, note, phone):
    """What the requester added to their answer reaches the head with the request."""
    issue = one(db, "SELECT * FROM issues WHERE id = ?", [issue_id])
    ledger.add_followup(db, issue, household, note, phone)


def _confirm_wait():
    return timedelta(hours=current_app.config["HELP_CONFIRM_HOURS"])


def confirm(db, issue_id, requester_phone, satisfied):
    """The requester's answer to "did the neighbour help?"; return the reply text."""
    issue = one(db, "SELECT * FROM issues WHERE id = ?", [issue_id])
    helper = directory.household(db, issue["helper_household_id"])
    now = clock.stamp()
    if not satisfied:
        db.execute(
            "UPDATE issues SET done_at = NULL, updated_at = ? WHERE id = ?",
            [now, issue_id],
        )
        ledger.record_event(db, issue_id, "not_done", requester_phone)
        _send(
            db, helper["phone"], "aid_not_done_helper", issue_id, None, number=issue_id
        )
        return prompts.sms(
            "aid_not_done_requester", number=issue_id, helper=helper["name"]
        )

    points = current_app.config["HELP_POINTS"]
    db.execute(
        "UPDATE issues SET confirmed_at = ?, status = ?, updated_at = ? WHERE id = ?",
        [now, ledger.RESOLVED, now, issue_id],
    )
    ledger.record_event(db, issue_id, "confirmed", requester_phone)
    insert(
        db,
        "points",
        {
            "household_id": helper["id"],
            "points": points,
            "reason": prompts.WORDS["reason_helped"],
            "awarded_by": "system",
            "issue_id": issue_id,
            "at": now,
        },
    )
    _send(
        db,
        helper["phone"],
        "aid_points",
        issue_id,
        "points",
        number=issue_id,
        points=points,
    )
    return prompts.sms("aid_confirmed", number=issue_id, helper=helper["name"])
