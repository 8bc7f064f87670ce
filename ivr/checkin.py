"""Calls the service places: POST /voice/outbound/<id> hands Twilio the TwiML of a
call too long to send inline, and POST /voice/checkin/<id> takes the key pressed on a
morning check-in call.

1 means all is well. Any other key, or none, gets one more question: 1 all is well,
2 someone should come. Silence after that ends the call politely; the check-in
calls again later.
"""

from flask import Blueprint, Response, abort, request

from courtyard import checkin
from db import get_db, one
from ivr import errors, outbound
from ivr.calls import bounded_int
from telephony.signature import twilio_signed

bp = Blueprint("checkin_voice", __name__)
errors.register(bp)


@bp.post("/voice/checkin/<int:checkin_id>")
@twilio_signed
def pressed(checkin_id):
    digits = (request.form.get("Digits") or "").strip()
    asked_again = request.args.get("again") == "1"
    checkin_id = bounded_int(checkin_id, default=None, high=2**62)

    if digits == "1":
        if checkin_id is not None:
            checkin.answer_call(get_db(), checkin_id, digits)
        twiml = outbound.checkin_well()
    elif not asked_again:
        twiml = outbound.checkin_ask_again(checkin_id or 0)
    elif digits == "2" and checkin_id is not None:
        twiml = _someone_comes(checkin_id)
    else:
        twiml = outbound.checkin_later()

    return Response(twiml, mimetype="text/xml")


def _someone_comes(checkin_id):
    db = get_db()
    issue_id = checkin.ask_for_help(db, checkin_id)
    if issue_id is None:
        return outbound.checkin_later()
    return outbound.checkin_help(checkin.volunteers_told(db, issue_id))


@bp.post("/voice/outbound/<int:row_id>")
@twilio_signed
def outbound_twiml(row_id):
    """What a placed call plays, as queued in the outbox."""
    row = one(
        get_db(),
        "SELECT twiml FROM outbox WHERE id = ? AND channel = 'call'",
        [bounded_int(row_id, default=0, high=2**62)],
    )
    if row is None or not row["twiml"]:
        abort(404)
    return Response(row["twiml"], mimetype="text/xml")
