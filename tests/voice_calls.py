"""A caller for tests: walks the voice menu as Twilio would, with signed posts."""

import uuid
from xml.etree import ElementTree

from tests.conftest import TWILIO_NUMBER, signed_post

RECORDING_BASE = "https://api.twilio.com/2010-04-01/Accounts/AC" + "1" * 32


def say(sentence):
    return f'<Say language="cmn-CN" voice="Polly.Zhiyu">{sentence}</Say>'


def gather(action, *inner, pin=False):
    attributes = [
        f'action="{action.replace("&", "&amp;")}"',
        'actionOnEmptyResult="true"',
        f'finishOnKey="{"#" if pin else ""}"',
        'input="dtmf"',
        'method="POST"',
        *([] if pin else ['numDigits="1"']),
        'timeout="8"',
    ]
    return f"<Gather {' '.join(attributes)}>" + "".join(inner) + "</Gather>"


def record(action):
    action = action.replace("&", "&amp;")
    return (
        f'<Record action="{action}" finishOnKey="#" maxLength="60" method="POST" '
        'playBeep="true" recordingStatusCallback="/voice/recording" '
        'recordingStatusCallbackEvent="completed absent" '
        'recordingStatusCallbackMethod="POST" timeout="6" />'
        f'<Redirect method="POST">{action}</Redirect>'
    )


def response(*verbs):
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Response>'
        + "".join(verbs)
        + ("</Response>")
    )


MENU = (
    "报事情，请按1。找人帮忙，请按2。听通知，请按3。查积分，请按4。"
    "找院落长，请按0。再听一遍，请按星号。"
)


class Call:
    """One call from a phone; each method is one thing the caller does."""

    def __init__(self, client, phone, sid=None):
        self.client = client
        self.phone = phone
        self.sid = sid or "CA" + uuid.uuid4().hex
        self.twiml = None

    def params(self, **extra):
        params = {
            "CallSid": self.sid,
            "AccountSid": "AC" + "1" * 32,
            "From": self.phone,
            "To": TWILIO_NUMBER,
            "CallStatus": "in-progress",
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
        }
        params.update(extra)
        return params

    def post(self, path, **extra):
        reply = signed_post(self.client, path, self.params(**extra))
        assert reply.status_code == 200, reply.get_data(as_text=True)
        self.twiml = reply.get_data(as_text=True)
        return self.twiml

    def start(self):
        return self.post("/voice", CallStatus="ringing")

    def _root(self):
        return ElementTree.fromstring(self.twiml)

    def _action(self, verb):
        element = self._root().find(verb)
        assert element is not None, f"no <{verb}> in {self.twiml}"
        return element.get("action")

    def press(self, digits):
        return self.post(self._action("Gather"), Digits=digits)

    def silence(self):
        """Twilio posts the Gather action with no Digits when nothing is pressed."""
        return self.post(self._action("Gather"))

    def speak(self, seconds=12, sid=None):
        sid = sid or "RE" + uuid.uuid4().hex
        return self.post(
            self._action("Record"),
            RecordingSid=sid,
            RecordingUrl=f"{RECORDING_BASE}/Recordings/{sid}",
            RecordingDuration=str(seconds),
            Digits="#",
        )

    def say_nothing(self):
        """Nothing recorded: Twilio falls through to the <Redirect> after <Record>."""
        return self.post(self._root().find("Redirect").text)

    def dial_ends(self, status):
        return self.post(self._action("Dial"), DialCallStatus=status)
