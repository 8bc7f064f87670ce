"""The main menu and what it leads to directly: notices, points, a person, a message.

The same numbers mean the same things as in texts: 1 report, 2 help, 3 notices,
4 points, 0 a person; `*` repeats wherever the caller is.
"""

import logging

from flask import current_app
from twilio.twiml.voice_response import VoiceResponse

from courtyard import clock, ledger
from courtyard.phones import configured, mask, national
from courtyard.residents import balance, courtyard_standing, latest_notices
from ivr import head, recordings, report
from ivr.calls import bounded_int
from ivr.flow import (
    HEAD,
    UNKNOWN,
    ask_menu,
    back_to_menu,
    choose,
    goodbye,
    offer_message,
    repeat_with,
)
from ivr.twiml import gather, speak
from prompts.catalogue import VOICE
from prompts.voice import date_text, text
from telephony import outbox

log = logging.getLogger(__name__)

NOTICES = "/voice/notices"

# Notices for a caller on no roster: those meant for everyone.
_NOBODY = {"courtyard_id": None, "community_id": None}


def answer(turn):
    """The first answer of a call: a greeting by courtyard, then the menu."""
    response = VoiceResponse()
    household = turn.household
    if household is None:
        speak(response, text("greeting_unknown"))
    else:
        speak(response, text("greeting", courtyard=household["courtyard_name"]))
    return ask_menu(turn, response)


def too_long(turn):
    return goodbye(VoiceResponse(), "call_too_long")


def menu_key(turn):
    known = turn.household is not None
    choices = {
        "1": report.ask_record_report if known else _message_for_staff,
        "2": report.ask_help_kind if known else _message_for_staff,
        "3": repeat_with(ask_notice, index=0),
        "4": say_points,
    }
    if turn.head_of:
        choices["5"] = head.start
    ask = repeat_with(ask_menu, done=turn.done)
    on_silence = _hang_up if turn.done else None
    return choose(turn, ask, choices, on_silence=on_silence)


def _hang_up(turn, response):
    return goodbye(response)


def _message_for_staff(turn, response):
    return offer_message(turn, response, UNKNOWN)


def say_points(turn, response):
    household = turn.household
    if household is None:
        return back_to_menu(turn, response, text("points_unknown"))
    courtyard_points, rank, courtyards = courtyard_standing(
        turn.db, household["courtyard_id"]
    )
    sentence = text(
        "points",
        points=balance(turn.db, household["id"]),
        courtyard_points=courtyard_points,
        rank=rank,
        courtyards=courtyards,
    )
    return back_to_menu(turn, response, sentence)


def _notices(turn):
    return latest_notices(turn.db, turn.household or _NOBODY)


def ask_notice(turn, response, misses=0, index=0):
    """Play one notice, newest first: its date in words, then its voice or text."""
    notices = _notices(turn)
    if not notices:
        return back_to_menu(turn, response, text("notices_none"))
    index = min(max(index, 0), len(notices) - 1)
    notice = notices[index]
    node = gather(turn, response, NOTICES, m=misses, i=index)
    speak(node, date_text(clock.local(clock.parse(notice["created_at"]))))
    if notice["recording_url"]:
        node.play(notice["recording_url"])
    else:
        speak(node, notice["body"])
    last = index == len(notices) - 1
    speak(node, text("notice_last" if last else "notice_next"))
    return response


def notice_key(turn):
    index = bounded_int(turn.args.get("i"))

    def following(turn, response):
        if index + 1 >= len(_notices(turn)):
            return back_to_menu(turn, response, text("notices_end"))
        return ask_notice(turn, response, index=index + 1)

    def finished(turn, response):
        return back_to_menu(turn, response)

    ask = repeat_with(ask_notice, index=index)
    return choose(turn, ask, {"1": following}, on_silence=finished)


def dialed(turn):
    """After <Dial>: a talk that happened ends the call; otherwise take a message."""
    response = VoiceResponse()
    if turn.form.get("DialCallStatus") == "completed":
        return goodbye(response)
    speak(response, text("dial_no_answer"))
    return offer_message(turn, response, HEAD)


def message_left(turn):
    """A message after misses, an unanswered head, or from an unknown number.

    Someone was promised to call back, so a message with no words still alerts.
    """
    why = turn.args.get("why")
    heard = recordings.announced(turn.form)
    seconds = recordings.duration(turn.form)
    if turn.household is None:
        recordings.keep(turn.db, turn, recordings.MESSAGE)
        _alert_staff(turn, heard, seconds)
    else:
        key = "body_head" if why == HEAD else "body_missed"
        key = key if heard else f"{key}_silent"
        issue_id, _ = ledger.open_issue(
            turn.db,
            ledger.REPORT,
            turn.household,
            VOICE[key].format(seconds=seconds),
            channel="voice",
            reporter_phone=turn.phone,
        )
        recordings.keep(turn.db, turn, recordings.MESSAGE, issue_id=issue_id)
    return goodbye(VoiceResponse(), "message_thanks")


def _alert_staff(turn, heard, seconds):
    staff = configured(current_app.config["STAFF_PHONE"])
    if not staff:
        log.warning(
            "message from unknown caller %s kept; STAFF_PHONE is not set to a phone, "
            "so nobody was alerted",
            mask(turn.phone),
        )
        return
    key = "staff_message" if heard else "staff_message_silent"
    outbox.queue(
        turn.db,
        staff,
        VOICE[key].format(phone=national(turn.phone or ""), seconds=seconds),
        kind="alert",
        priority=outbox.PRIORITY_ALERT,
        dedupe_key=f"call:{turn.sid}:staff-message",
    )
