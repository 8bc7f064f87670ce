"""What happens to one inbound text: kept first, then understood, then answered.

Handlers are tried in order; the first that returns a Handled decides the reply.
"""

import json
import logging
from datetime import timedelta

from flask import current_app

import prompts
from courtyard import (
    clock,
    directory,
    keywords,
    ledger,
    questions,
    roles,
)
from courtyard.phones import configured, mask, national, sender
from courtyard.residents import notices_text, points_text
from db import insert, one, transaction
from sms import answers, head_commands, notice_command, volunteer_commands
from sms.handled import Handled, Inbound
from telephony import outbox

log = logging.getLogger(__name__)

QUESTION_REPORT = "describe_report"
QUESTION_HELP = "describe_help"


def receive(db, form, reply_by_text=False):
    """Keep a text from the provider and answer it; None means send no reply.

    A provider id seen before returns None and changes nothing. With reply_by_text
    the reply is queued as a text in the same transaction (the provider's request
    is long gone) and None is returned.
    """
    sid = form.get("MessageSid") or form.get("SmsSid")
    text = form.get("Body") or ""
    written = form.get("From") or ""
    phone = sender(written)
    # Reading the text needs no ledger, so it is done before the write lock is taken.
    command = keywords.parse(text)
    message = {
        "provider_sid": sid,
        "from_phone": phone,
        "from_written": written,
        "to_phone": form.get("To"),
        "body": text,
        "folded": command.folded,
        "params": json.dumps(dict(form), ensure_ascii=False),
    }

    # Who sent it and what we asked them are read before the write lock too: a
    # phone's texts arrive one after another, and the lock stays short.
    household = directory.household_by_phone(db, phone) or directory.family_of(
        db, phone
    )
    pending = questions.pending(db, phone) if phone else {}

    with transaction(db):
        if one(db, "SELECT 1 AS seen FROM messages WHERE provider_sid = ?", [sid]):
            log.info("sms %s from %s is a retry; ignored", sid, mask(phone or written))
            return None

        inbound = Inbound(db, phone, text, command, household, pending)
        handled = _first_handler(inbound)
        # The text is kept with how it was taken, in the same transaction; nothing in
        # it is lost, whichever handler took it.
        message.update(
            received_at=clock.stamp(),
            handled_as=handled.handled_as,
            reply=handled.reply,
            issue_id=handled.issue_id,
            household_id=household and household["id"],
            courtyard_id=household and household["courtyard_id"],
        )
        insert(db, "messages", message)
        if reply_by_text and handled.reply and phone:
            outbox.queue(
                db,
                phone,
                handled.reply,
                kind="reply",
                priority=outbox.PRIORITY_REPLY,
                dedupe_key=f"reply:{sid}",
            )
    log.info("sms in from %s: %s", mask(phone or written), handled.handled_as)
    return None if reply_by_text else handled.reply


def _first_handler(inbound):
    for handler in HANDLERS:
        handled = handler(inbound)
        if handled is not None:
            return handled
    raise RuntimeError("no handler took the text")


def no_sender(inbound):
    """Short codes, service numbers and missing senders are kept and never answered."""
    if inbound.phone is None:
        return Handled("service_number")
    return None


def repeated(inbound):
    """Break auto-reply loops: the same text again and again within minutes."""
    config = current_app.config
    since = clock.stamp(clock.now() - timedelta(minutes=config["SMS_REPEAT_MINUTES"]))
    earlier = list(
        inbound.db.query(
            "SELECT handled_as, issue_id FROM messages WHERE from_phone = ? "
            "AND folded = ? AND received_at >= ? ORDER BY id",
            [inbound.phone, inbound.command.folded, since],
        )
    )
    if not earlier:
        return None
    if len(earlier) + 1 >= config["SMS_REPEAT_LIMIT"]:
        return Handled("repeat")
    # The same report sent twice is one report.
    opened = [
        row["issue_id"]
        for row in earlier
        if row["handled_as"] in (ledger.REPORT, ledger.HELP_REQUEST)
    ]
    if opened:
        return Handled(
            "repeat", prompts.sms("repeat_report", number=opened[0]), opened[0]
        )
    # Text already shown to the head is not shown again.
    if any(row["handled_as"] in _SHOWN for row in earlier):
        return Handled("repeat")
    return None


_SHOWN = ("unmatched", "followup", "unknown_sender")


def opt_out_or_in(inbound):
    kind = inbound.command.kind
    if kind not in (keywords.OPT_OUT, keywords.OPT_IN):
        return None
    db, phone = inbound.db, inbound.phone
    was_out = one(db, "SELECT 1 AS yes FROM opt_outs WHERE phone = ?", [phone])
    if kind == keywords.OPT_OUT:
        if was_out:
            return Handled("opt_out_again")
        insert(db, "opt_outs", {"phone": phone, "opted_out_at": clock.stamp()})
        return Handled("opt_out", prompts.sms("opted_out"))
    if not was_out:
        return Handled("opt_in_again")
    db.execute("DELETE FROM opt_outs WHERE phone = ?", [phone])
    return Handled("opt_in", prompts.sms("opted_in"))


def answer_pending(inbound):
    """A text right after we asked a question is the answer, not a menu key."""
    db, phone = inbound.db, inbound.phone
    pending = inbound.asked(QUESTION_REPORT) or inbound.asked(QUESTION_HELP)
    if pending is None or inbound.household is None:
        return None
    question = pending["question"]
    command = inbound.command
    description = command.rest or inbound.text.strip()
    if command.kind in (keywords.REPORT, keywords.HELP) and not command.rest:
        return None
    # A menu key or an opt-out is never taken as the description.
    if not description or command.kind in keywords.WHOLE:
        return None
    questions.answered(db, phone, question)
    kind = ledger.HELP_REQUEST if question == QUESTION_HELP else ledger.REPORT
    return _open(inbound, kind, description)


def head_command(inbound):
    """Heads, instructors and staff triage by short commands on an issue's number."""
    answered = head_commands.answer(inbound.db, inbound.phone, inbound.text)
    return None if answered is None else Handled(*answered)


def unknown_sender(inbound):
    """A number on no roster: kept for staff, shown to STAFF_PHONE, answered once a
    day (and every time it cries for help, with the emergency numbers)."""
    if inbound.household is not None:
        return None
    staff = configured(current_app.config["STAFF_PHONE"])
    if staff and staff != inbound.phone:
        text = prompts.sms(
            "staff_unknown_sms", phone=national(inbound.phone), body=inbound.text
        )
        outbox.queue(
            inbound.db, staff, text, kind="alert", priority=outbox.PRIORITY_ALERT
        )
    since = clock.stamp(clock.now() - timedelta(hours=24))
    answered = one(
        inbound.db,
        "SELECT 1 AS yes FROM messages WHERE from_phone = ? AND handled_as = "
        "'unknown_sender' AND reply IS NOT NULL AND received_at >= ?",
        [inbound.phone, since],
    )
    if answered and inbound.command.kind != keywords.HELP:
        return Handled("unknown_sender")
    return Handled("unknown_sender", prompts.sms("unknown_sender"))


def resident_keyword(inbound):
    command = inbound.command
    if command.kind in (keywords.REPORT, keywords.HELP):
        kind = ledger.HELP_REQUEST if command.kind == keywords.HELP else ledger.REPORT
        if command.rest:
            return _open(inbound, kind, command.rest)
        return _ask(inbound, kind)
    if command.kind == keywords.NOTICES:
        return Handled("notices", notices_text(inbound.db, inbound.household))
    if command.kind == keywords.POINTS:
        return Handled("points", points_text(inbound.db, inbound.household))
    if command.kind == keywords.MENU:
        return Handled("menu", prompts.sms("menu"))
    return None


def empty(inbound):
    if inbound.command.folded:
        return None
    return Handled("empty", prompts.sms("empty"))


def followup(inbound):
    """Text without a keyword from someone with a fresh open issue belongs to it."""
    hours = current_app.config["SMS_FOLLOWUP_HOURS"]
    since = clock.stamp(clock.now() - timedelta(hours=hours))
    issue = ledger.recent_open_issue(inbound.db, inbound.phone, since)
    if issue is None:
        return None
    ledger.add_followup(
        inbound.db, issue, inbound.household, inbound.text, inbound.phone
    )
    return Handled(
        "followup", prompts.sms("followup_added", number=issue["id"]), issue["id"]
    )


def unmatched(inbound):
    """Nothing fits: keep it, show it to the head, tell the sender how to ask.

    A head, instructor or general head whose text fits nothing gets their card.
    """
    if roles.scope(inbound.db, inbound.phone):
        return Handled("unmatched", prompts.sms("head_card"))
    _tell_first_responder(inbound, "head_unmatched", body=inbound.text)
    return Handled("unmatched", prompts.sms("unmatched"))


def _open(inbound, kind, description):
    household = inbound.household
    issue_id, alerted = ledger.open_issue(
        inbound.db,
        kind,
        household,
        description,
        channel="sms",
        reporter_phone=inbound.phone,
    )
    return Handled(kind, _created_reply(kind, issue_id, household, alerted), issue_id)


def _created_reply(kind, issue_id, household, alerted):
    """Tell the sender exactly who was told, never more."""
    if not alerted["head"]:
        return prompts.sms("created_kept", number=issue_id)
    if kind == ledger.REPORT:
        if alerted["head"] == household["head_phone"]:
            head = household["head_name"] or prompts.WORDS["head"]
        else:
            head = prompts.WORDS["general_head"]
        return prompts.sms("report_created", number=issue_id, head=head)
    if alerted["volunteers"]:
        return prompts.sms("help_created", number=issue_id)
    return prompts.sms("help_created_head", number=issue_id)


def _ask(inbound, kind):
    question = QUESTION_HELP if kind == ledger.HELP_REQUEST else QUESTION_REPORT
    minutes = current_app.config["SMS_QUESTION_MINUTES"]
    now = clock.now()
    questions.ask(inbound.db, inbound.phone, question, now + timedelta(minutes=minutes))
    if question == QUESTION_HELP:
        # The head hears at once, in case no description ever follows.
        _tell_first_responder(inbound, "head_help_unspecified")
        return Handled(f"asked_{kind}", prompts.sms("ask_help"))
    return Handled(f"asked_{kind}", prompts.sms("ask_report"))


def _tell_first_responder(inbound, key, **fields):
    """Show the head (or the general head standing in) what a resident sent."""
    head_phone = directory.first_responder(inbound.household)
    if head_phone and head_phone != inbound.phone:
        text = prompts.sms(
            key,
            name=inbound.household["name"],
            phone=national(inbound.phone),
            **fields,
        )
        outbox.queue(
            inbound.db, head_phone, text, kind="alert", priority=outbox.PRIORITY_ALERT
        )


HANDLERS = [
    no_sender,
    opt_out_or_in,
    # Answers to questions we asked come first: they are never repeats or keys.
    answers.checkin_reply,
    volunteer_commands.confirm_answer,
    answers.rating_answer,
    repeated,
    notice_command.head_notice,
    head_command,
    answer_pending,
    unknown_sender,
    empty,
    volunteer_commands.volunteer_command,
    resident_keyword,
    followup,
    unmatched,
]
