"""`flask sim call FROM` and `sim answer TO`: be the person on the phone, with
Twilio's part played in the terminal.

The session posts each step exactly as Twilio would (signed), shows what the person
would hear, reads key presses, and follows <Gather>, <Record>, <Dial>, <Redirect>
and <Hangup>.
"""

import os
import uuid
import wave
from urllib.parse import urlsplit
from xml.etree import ElementTree

import click
from flask import current_app

from courtyard.phones import national, sender
from prompts import audio
from telephony.providers import SIMULATED

SILENCE = "s"


class CallSession:
    """One simulated call from a phone to the service."""

    def __init__(self, from_written, post, base_url=None):
        config = current_app.config
        self.post_form = post
        self.base_url = base_url
        self.params = {
            "CallSid": "CA" + uuid.uuid4().hex,
            "AccountSid": config["TWILIO_ACCOUNT_SID"] or "AC" + "0" * 32,
            "From": sender(from_written) or from_written,
            "To": config["TWILIO_NUMBER"] or "+10000000000",
            "CallStatus": "in-progress",
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
        }

    @classmethod
    def answering(cls, call, post, base_url=None):
        """The session of a call the service placed, picked up by its recipient.

        call is the outbox row; its provider id keys the call as Twilio's would.
        """
        config = current_app.config
        session = cls(config["TWILIO_NUMBER"] or "+10000000000", post, base_url)
        session.params.update(
            {
                "CallSid": call["provider_sid"] or "CA" + uuid.uuid4().hex,
                "From": config["TWILIO_NUMBER"] or "+10000000000",
                "To": call["to_phone"],
                "Direction": "outbound-api",
            }
        )
        return session

    def post(self, url, **extra):
        path = _local(url)
        status, body = self.post_form(path, {**self.params, **extra}, self.base_url)
        if status not in (200, 204):
            raise click.ClickException(f"{path} answered {status}: {body[:200]}")
        return body

    def run(self, twiml=None):
        """Walk the call until a <Hangup> or the end of a document.

        A call the service placed starts from the TwiML it was placed with; a call
        to the service starts with its first webhook.
        """
        if twiml is None:
            step = ("/voice", {"CallStatus": "ringing"})
        else:
            step = self.follow(twiml)
        while step is not None:
            path, extra = step
            step = self.follow(self.post(path, **extra))
        click.echo("  (the call has ended)")
        self.post("/voice/status", CallStatus="completed")

    def follow(self, twiml):
        """Act out one TwiML document; return the next (path, params) or None."""
        for verb in ElementTree.fromstring(twiml):
            handler = getattr(self, f"_{verb.tag.lower()}", None)
            if handler is None:
                click.echo(f"  (ignored <{verb.tag}>)")
                continue
            step = handler(verb)
            if step == "hangup":
                return None
            if step is not None:
                return step
        return None

    def _say(self, verb):
        click.echo(f"  🔊 {verb.text}")

    def _play(self, verb):
        url = verb.text or ""
        name = url.rsplit("/", 1)[-1]
        said = audio.spoken_text(current_app.config, name)
        if said:
            click.echo(f"  ▶ {said}")
        elif url.startswith("file://"):
            click.echo("  ▶ (plays back the recording)")
        else:
            click.echo(f"  ▶ (plays {url})")

    def _pause(self, verb):
        click.echo("  …")

    def _hangup(self, verb):
        click.echo("  (the service hangs up)")
        return "hangup"

    def _redirect(self, verb):
        return verb.text, {}

    def _gather(self, verb):
        for inner in verb:
            getattr(self, f"_{inner.tag.lower()}")(inner)
        pin = verb.get("finishOnKey") == "#" and not verb.get("numDigits")
        hint = "keys then Enter" if pin else "a key"
        pressed = click.prompt(
            f"  ⌨ press {hint} ({SILENCE} = stay silent)",
            default=SILENCE,
            show_default=False,
        ).strip()
        if pressed in ("", SILENCE):
            if verb.get("actionOnEmptyResult") == "true":
                return verb.get("action"), {}
            return None
        digits = pressed.rstrip("#") if pin else pressed[:1]
        return verb.get("action"), {"Digits": digits}

    def _record(self, verb):
        click.echo("  🎙 (beep) — recording")
        answer = click.prompt(
            f"  seconds you speak ({SILENCE} = say nothing)",
            default="10",
            show_default=True,
        ).strip()
        if answer == SILENCE or not answer.isdigit() or int(answer) == 0:
            return None
        recording_sid = "RE" + uuid.uuid4().hex
        url = "file://" + _silent_wav(recording_sid, int(answer))
        recorded = {
            "RecordingSid": recording_sid,
            "RecordingUrl": url,
            "RecordingDuration": answer,
        }
        callback = verb.get("recordingStatusCallback")
        if callback:
            self.post(callback, RecordingStatus="completed", **recorded)
        return verb.get("action"), {**recorded, "Digits": "#"}

    def _dial(self, verb):
        number = verb.findtext("Number") or ""
        picked_up = click.confirm(
            f"  ☎ ringing {national(number)} — does someone answer?", default=False
        )
        status = "completed" if picked_up else "no-answer"
        if not verb.get("action"):
            return None
        return verb.get("action"), {"DialCallStatus": status}


def _local(url):
    """The path and query of a URL: the TwiML of a placed call names the service by
    its public address, while the session posts to the app it was given."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _silent_wav(recording_sid, seconds):
    """A quiet WAV standing in for what the caller said, fetched later by the worker."""
    folder = os.path.join(current_app.config["RECORDING_DIR"], SIMULATED)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{recording_sid}.wav")
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 8000 * min(seconds, 5))
    return path
