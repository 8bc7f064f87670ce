"""POST /voice/checkin/<id>: the key pressed on a morning check-in call."""

from flask import Blueprint, Response, request

from courtyard import checkin
from db import get_db
from ivr import outbound
from telephony.signature import twilio_signed

bp = Blueprint("checkin_voice", __name__)


@bp.post("/voice/checkin/<int:checkin_id>")
@twilio_signed
def pressed(checkin_id):
    digits = (request.form.get("Digits") or "").strip()

    well = checkin.answer_call(get_db(), checkin_id, digits)

    return Response(outbound.checkin_answered(well), mimetype="text/xml")
