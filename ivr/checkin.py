"""POST /voice/checkin/<id>: the key pressed on a morning check-in call."""

from flask import Blueprint, Response, request
from twilio.twiml.voice_response import VoiceResponse

import prompts
from courtyard import checkin
from db import get_db
from telephony.signature import twilio_signed

bp = Blueprint("checkin_voice", __name__)


@bp.post("/voice/checkin/<int:checkin_id>")
@twilio_signed
def pressed(checkin_id):
    digits = (request.form.get("Digits") or "").strip()

    well = checkin.answer_call(get_db(), checkin_id, digits)

    response = VoiceResponse()
    key = "checkin_call_ok" if well else "checkin_call_again"
    response.say(prompts.CHECKIN_VOICE[key], language="cmn-CN")
    return Response(str(response), mimetype="text/xml")
