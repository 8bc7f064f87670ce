"""A fake of Twilio's HTTP edge: the SDK's own HTTP client runs, only the socket is
replaced by a transport adapter that answers from a script and records requests."""

import json
from urllib.parse import parse_qs

import requests
from requests.adapters import BaseAdapter
from twilio.http.http_client import TwilioHttpClient


class ScriptedTransport(BaseAdapter):
    def __init__(self, answers):
        super().__init__()
        self.answers = list(answers)
        self.requests = []

    def send(self, request, **kwargs):
        body = request.body or ""
        if isinstance(body, bytes):
            body = body.decode()
        self.requests.append(
            {
                "method": request.method,
                "url": request.url,
                "data": {k: v[0] for k, v in parse_qs(body).items()},
            }
        )
        status, payload = self.answers.pop(0) if self.answers else (500, {})
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(payload).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


def fake_twilio_http(*answers):
    """A real TwilioHttpClient whose HTTPS traffic goes to a scripted transport."""
    client = TwilioHttpClient()
    transport = ScriptedTransport(answers)
    client.session.mount("https://", transport)
    client.transport = transport
    return client


def message_created(sid="SM" + "c" * 32, to="+8613900000201", body="hi"):
    return 201, {"sid": sid, "to": to, "body": body, "status": "queued"}


def twilio_error(status, code, message):
    return status, {
        "code": code,
        "message": message,
        "status": status,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
    }
