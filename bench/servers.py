"""The two apps the /sms benchmark compares, served alike by gunicorn:

gunicorn -w WORKERS 'bench.servers:courtyard_app("DATABASE", "TOKEN")'
gunicorn -w WORKERS 'bench.servers:bare_app()'
"""

import logging

from flask import Flask, Response
from twilio.twiml.messaging_response import MessagingResponse


def bare_app():
    """A Flask endpoint that answers /sms with the same kind of TwiML and no work."""
    app = Flask("bare")

    @app.post("/sms")
    def sms():
        twiml = MessagingResponse()
        twiml.message("已收到，事情编号1，已告诉院落长赵德明。有补充可直接回复。")
        return Response(str(twiml), mimetype="text/xml")

    return app


def courtyard_app(database, token):
    """The real app on a benchmark ledger, logging only warnings like the bare one."""
    from app import create_app

    app = create_app(
        {
            "DATABASE": database,
            "TWILIO_AUTH_TOKEN": token,
            "PUBLIC_BASE_URL": "https://courtyard.example.org",
        }
    )
    logging.getLogger().setLevel(logging.WARNING)
    return app
