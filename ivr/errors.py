"""What a caller hears when a step cannot be answered: never Twilio's own error.

A locked ledger or a fault in a voice webhook would otherwise answer 500, and Twilio
would say its English error and hang up on someone who may need help.
"""

import logging
import sqlite3

from flask import Response, request
from twilio.twiml.voice_response import VoiceResponse
from werkzeug.exceptions import HTTPException

from ivr.twiml import speak
from prompts.voice import text

log = logging.getLogger(__name__)


def busy_twiml():
    """Sorry, the system is busy, call again; emergencies call 110 or 120."""
    response = VoiceResponse()
    speak(response, text("system_busy"))
    response.hangup()
    return str(response)


def answer_busy(exc):
    """The blueprint's answer to any exception a voice step raised."""
    if isinstance(exc, HTTPException):
        return exc
    if isinstance(exc, sqlite3.OperationalError):
        log.error(
            "ledger unavailable on %s (%s); caller told to call again",
            request.path,
            exc,
        )
    else:
        log.error(
            "voice step %s failed; caller told to call again",
            request.path,
            exc_info=exc,
        )
    return Response(busy_twiml(), mimetype="text/xml")


def register(blueprint):
    blueprint.register_error_handler(Exception, answer_busy)
