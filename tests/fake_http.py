"""A fake of the HTTP edge: requests' transport answers from a script, offline.

gTTS and the recording download both go through requests, so replacing the adapter's
send() keeps every line of their own code running while nothing leaves the machine.
"""

import base64

import requests
from requests.adapters import HTTPAdapter


class FakeTransport:
    """Answers each request with the next scripted reply; keeps what was asked."""

    def __init__(self, monkeypatch):
        self.replies = []
        self.requests = []
        monkeypatch.setattr(HTTPAdapter, "send", self._send)

    def reply(self, status=200, content=b""):
        self.replies.append((status, content))

    def offline(self):
        self.replies.append(requests.ConnectionError("network is unreachable"))

    def _send(self, request, **kwargs):
        self.requests.append(request)
        if not self.replies:
            raise AssertionError(f"unexpected request to {request.url}")
        scripted = self.replies.pop(0)
        if isinstance(scripted, Exception):
            raise scripted
        status, content = scripted
        response = requests.Response()
        response.status_code = status
        response._content = content
        response.url = request.url
        response.request = request
        response.headers["Content-Type"] = "application/octet-stream"
        return response


def speech_reply(audio):
    """A body shaped like Google Translate's speech RPC answer carrying audio."""
    encoded = base64.b64encode(audio).decode()
    return (
        ")]}'\n\n"
        f'[["wrb.fr","jQ1olc","[\\"{encoded}\\"]",null,null,null,"generic"]]\n'
    ).encode()
