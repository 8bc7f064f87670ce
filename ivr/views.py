"""POST /voice and the menu's steps: Twilio's voice webhooks.

Every step is signed, kept with its answer in one transaction keyed on CallSid and
the step number, and answered from the ledger alone: nothing is synthesised or
downloaded while the caller waits.
"""

import hashlib
import json
import logging
from functools import wraps

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    request,
    send_from_directory,
)

from courtyard.phones import mask
from db import get_db, transaction
from ivr import calls, errors, head, menu, recordings, report
from ivr.flow import DIALED, MENU, MESSAGE
from telephony import callbacks as delivery
from telephony.signature import twilio_signed

log = logging.getLogger(__name__)

bp = Blueprint("ivr", __name__)
errors.register(bp)


def _xml(twiml):
    return Response(twiml, mimetype="text/xml")


def _call_sid(form):
    if form.get("CallSid"):
        return form["CallSid"]
    # Twilio always sends one; without it, the content itself keys the retry.
    digest = hashlib.sha256(
        json.dumps(form, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return f"nosid-{digest[:32]}"


def voice_step(handler):
    """Run handler(turn) once per CallSid and step; a retry gets the same TwiML."""

    @wraps(handler)
    def view():
        db = get_db()
        form = request.form.to_dict()
        sid = _call_sid(form)
        step = calls.step_key(request.path, request.args, form)

        with transaction(db):
            twiml = calls.answered(db, sid, step)
            if twiml is not None:
                log.info("call %s step %s is a retry; same answer", sid, step)
                return _xml(twiml)

            call = calls.find_or_begin(db, sid, form)
            turn = calls.turn_for(db, call, form, request.args.to_dict(), step)
            response = _answer(handler, turn, calls.seconds_left(call))
            twiml = str(response)
            calls.keep_answer(db, sid, step, request.path, form, twiml)

        log.info(
            "call %s from %s: step %s at %s",
            sid,
            mask(call["from_phone"] or call["from_written"]),
            step,
            request.path,
        )
        return _xml(twiml)

    return twilio_signed(view)


# Steps where nothing is under way: past the cap, they end the call at once.
_AT_REST = {"/voice", MENU, menu.NOTICES}


def _answer(handler, turn, seconds_left):
    """The handler's answer, or a polite end once the call is over its cap.

    A step that carries what the caller said or chose still runs, so nothing they
    gave is lost when the cap ends the call.
    """
    if seconds_left <= 0 and request.path in _AT_REST:
        return menu.too_long(turn)
    response = handler(turn)
    if seconds_left <= -calls.FINISH_SECONDS:
        return menu.too_long(turn)
    return response


STEPS = {
    "/voice": menu.answer,
    MENU: menu.menu_key,
    menu.NOTICES: menu.notice_key,
    DIALED: menu.dialed,
    MESSAGE: menu.message_left,
    report.REPORT: report.report_recorded,
    report.REPORT_CONFIRM: report.report_confirmed,
    report.HELP: report.help_kind_chosen,
    report.HELP_DESCRIBED: report.help_described,
    report.HELP_CONFIRM: report.help_confirmed,
    head.PIN: head.pin_entered,
    head.NOTICE: head.notice_recorded,
    head.NOTICE_CONFIRM: head.notice_confirmed,
}

for _path, _handler in STEPS.items():
    bp.add_url_rule(
        _path,
        endpoint=_handler.__module__.rsplit(".", 1)[-1] + "_" + _handler.__name__,
        view_func=voice_step(_handler),
        methods=["POST"],
    )


@bp.post("/voice/recording")
@twilio_signed
def recording_status():
    """Twilio's recording status callback; the same callback twice changes nothing."""
    db = get_db()
    with transaction(db):
        row = recordings.status_callback(db, request.form.to_dict())
        issue_id = report.report_left_behind(db, row)
    if row is not None:
        log.info("recording %s status %s", row["recording_sid"], row["status"])
    if issue_id is not None:
        log.info("recording %s entered as issue %s", row["recording_sid"], issue_id)
    return Response(status=204)


@bp.post("/voice/status")
@twilio_signed
def call_status():
    """Twilio's call status callback: when a call we answered ended, and how a call
    we placed from the outbox went."""
    db = get_db()
    with transaction(db):
        calls.record_status(
            db, request.form.get("CallSid"), request.form.get("CallStatus")
        )
    return delivery.take(request.form.to_dict(), "CallSid", "CallStatus")


@bp.get("/voice/audio/<name>")
def prompt_audio(name):
    """Pre-rendered prompt audio for <Play>; the same for every caller."""
    if not name.endswith(".mp3"):
        abort(404)
    return send_from_directory(
        current_app.config["PROMPT_AUDIO_DIR"], name, mimetype="audio/mpeg"
    )
