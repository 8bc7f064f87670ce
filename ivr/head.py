"""Key 5, for courtyard heads: record a notice in their own voice, after a PIN."""

import logging

from twilio.twiml.voice_response import VoiceResponse

import prompts
from courtyard import notices
from courtyard.phones import mask
from db import one
from ivr import calls, pins, recordings
from ivr.flow import back_to_menu, choose, missed, repeat_with, talk_to_person
from ivr.twiml import gather, record, speak
from prompts.catalogue import VOICE
from prompts.voice import text

log = logging.getLogger(__name__)

PIN = "/voice/head/pin"
NOTICE = "/voice/head/notice"
NOTICE_CONFIRM = "/voice/head/confirm"


def start(turn, response):
    """Key 5 from a head: ask for the PIN, unless none was ever set."""
    if not turn.head_of["head_pin_hash"]:
        return back_to_menu(turn, response, text("head_pin_unset"))
    if pins.locked(turn.db, turn.head_of["id"]):
        return back_to_menu(turn, response, text("head_pin_locked"))
    return ask_pin(turn, response)


def ask_pin(turn, response, misses=0):
    node = gather(turn, response, PIN, digits=None, m=misses)
    speak(node, text("head_pin"))
    return response


def pin_entered(turn):
    response = VoiceResponse()
    digits = turn.digits
    if turn.head_of is None:
        return back_to_menu(turn, response)
    if digits == "*":
        return ask_pin(turn, response, misses=turn.misses)
    if digits == "0":
        return talk_to_person(turn, response)
    courtyard_id = turn.head_of["id"]
    if pins.locked(turn.db, courtyard_id):
        return back_to_menu(turn, response, text("head_pin_locked"))
    if not digits:
        return missed(turn, response, "miss_silence", ask_pin)
    if not pins.pin_matches(turn.head_of["head_pin_hash"], digits):
        return _wrong_pin(turn, response)

    calls.mark_head_verified(turn.db, turn.sid)
    return ask_record_notice(turn, response)


def _wrong_pin(turn, response):
    courtyard_id = turn.head_of["id"]
    if pins.record_failure(turn.db, courtyard_id, turn.phone, turn.sid):
        log.warning(
            "head PIN of courtyard %s locked after %s wrong tries; the last on call "
            "%s from %s",
            courtyard_id,
            pins.failures(turn.db, courtyard_id),
            turn.sid,
            mask(turn.phone),
        )
        return back_to_menu(turn, response, text("head_pin_locked"))
    log.warning("wrong head PIN on call %s from %s", turn.sid, mask(turn.phone))
    return missed(turn, response, "head_pin_wrong", ask_pin)


def ask_record_notice(turn, response, misses=0):
    speak(response, text("notice_record"))
    record(turn, response, NOTICE, m=misses)
    return response


def _verified(turn):
    row = one(
        turn.db,
        "SELECT head_verified_at FROM calls WHERE call_sid = ?",
        [turn.sid],
    )
    return turn.head_of is not None and bool(row and row["head_verified_at"])


def notice_recorded(turn):
    response = VoiceResponse()
    if not _verified(turn):
        return back_to_menu(turn, response)
    kept = recordings.keep(turn.db, turn, recordings.NOTICE)
    if kept is None:
        return missed(turn, response, "miss_no_recording", ask_record_notice)
    return ask_notice_confirm(turn, response, rec=kept["recording_sid"])


def ask_notice_confirm(turn, response, misses=0, rec=None):
    node = gather(turn, response, NOTICE_CONFIRM, m=misses, rec=rec)
    speak(node, text("notice_heard"))
    heard = recordings.of_call(turn.db, turn.sid, rec)
    if heard:
        node.play(heard["url"])
    speak(node, text("notice_confirm"))
    return response


def notice_confirmed(turn):
    heard = recordings.of_call(turn.db, turn.sid, turn.args.get("rec"))
    if not _verified(turn) or heard is None:
        return back_to_menu(turn, VoiceResponse())

    def keep(turn, response):
        notice_id = _store_notice(turn, heard)
        log.info("voice notice %s stored by %s", notice_id, mask(turn.phone))
        return back_to_menu(turn, response, text("notice_kept"))

    ask = repeat_with(ask_notice_confirm, rec=heard["recording_sid"])
    return choose(turn, ask, {"1": keep, "2": ask_record_notice})


def _store_notice(turn, heard):
    """Keep the recorded notice for key 3 and send it to every household: a call
    that plays the head's own voice, or a text saying where to hear it."""
    courtyard = turn.head_of
    head_name = courtyard["head_name"] or ""
    published = notices.publish(
        turn.db,
        VOICE["body_notice"].format(head=head_name),
        created_by=turn.phone,
        courtyard_id=courtyard["id"],
        recording_url=heard["url"],
        sms_body=prompts.sms("notice_recorded_sms", head=head_name),
    )
    recordings.link(turn.db, heard["recording_sid"], notice_id=published.notice_id)
    return published.notice_id
