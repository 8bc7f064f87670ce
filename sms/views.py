"""POST /sms: Twilio's incoming-message webhook."""

import hashlib
import json
import logging
import sqlite3

from flask import Blueprint, Response, request
from twilio.twiml.messaging_response import MessagingResponse

from db import get_db
from sms import spool
from sms.inbound import receive
from telephony.signature import twilio_signed

log = logging.getLogger(__name__)

bp = Blueprint("sms", __name__)


@bp.post("/sms")
@twilio_signed
def incoming():
    form = request.form.to_dict()
    if not (form.get("MessageSid") or form.get("SmsSid")):
        # Twilio always sends an id; without one, the content itself keys the retry.
        digest = hashlib.sha256(
            json.dumps(form, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()
        form["MessageSid"] = f"nosid-{digest[:32]}"

    try:
        reply = receive(get_db(), form)
    except sqlite3.OperationalError as exc:
        # The ledger is locked or unwritable: keep the text and answer later.
        spool.keep(form)
        log.error(
            "ledger unavailable (%s); sms %s kept in the spool", exc, form["MessageSid"]
        )
        reply = None

    twiml = MessagingResponse()
    if reply:
        twiml.message(reply)
    return Response(str(twiml), mimetype="text/xml")
