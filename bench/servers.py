"""The two servers the /sms benchmark compares, each run in its own process.

python -m bench.servers courtyard THREADS PORT DATABASE TOKEN
python -m bench.servers bare THREADS PORT

Both are served the same way: one waitress process with THREADS worker threads.
"""

import logging
import sys

from flask import Flask, Response
from twilio.twiml.messaging_response import MessagingResponse
from waitress import serve


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
    from app import create_app

    return create_app(
        {
            "DATABASE": database,
            "TWILIO_AUTH_TOKEN": token,
            "PUBLIC_BASE_URL": "https://courtyard.example.org",
        }
    )


def main(argv):
    logging.basicConfig(level=logging.WARNING)
    kind, threads, port = argv[0], int(argv[1]), int(argv[2])
    app = courtyard_app(argv[3], argv[4]) if kind == "courtyard" else bare_app()
    logging.getLogger().setLevel(logging.WARNING)
    # Waitress warns each time a request waits for a free thread; under a load test
    # that is every other request, and the benchmark measures it anyway.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    serve(app, host="127.0.0.1", port=port, threads=threads, _quiet=True)


if __name__ == "__main__":
    main(sys.argv[1:])
