"""Answers to questions the service asked: this morning's check-in and a rating."""

import prompts
from courtyard import checkin, ledger, loop, questions
from sms.handled import Handled

# A resident saying all is well, as the whole text. Anything else ("好难受") is not
# taken as well: it is handled as any text is, and shown to a person.
CHECKIN_WELL = {"1", "好", "好的", "很好", "都好", "挺好", "平安", "没事", "OK", "在"}


def checkin_reply(inbound):
    """The answer to this morning's check-in text."""
    if not inbound.asked(checkin.QUESTION_CHECKIN) or inbound.household is None:
        return None
    if inbound.command.folded.rstrip(questions.TRAILING) not in CHECKIN_WELL:
        return None
    checkin.answer(inbound.db, inbound.household["id"])
    return Handled("checkin", prompts.sms("checkin_ok"))


def rating_answer(inbound):
    """A reporter's reply after being asked to rate a resolved issue."""
    if not inbound.asked(loop.QUESTION_RATING):
        return None
    issue = loop.pending_rating(inbound.db, inbound.phone)
    rating, note = loop.read_rating(inbound.command.folded)
    if issue is None or rating is None:
        return None
    reply = loop.rate(inbound.db, issue, inbound.phone, rating)
    if note:
        ledger.add_followup(inbound.db, issue, inbound.household, note, inbound.phone)
    return Handled("rating", reply, issue["id"])
