"""What calls placed through the outbox play; built when the call is queued."""

from flask import current_app
from twilio.twiml.voice_response import Gather, VoiceResponse

from ivr.twiml import speak
from prompts.voice import text


def _base_url():
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def checkin_call(checkin_id, name):
    """The morning check-in: press 1 if all is well."""
    config = current_app.config
    response = VoiceResponse()
    gather = Gather(
        input="dtmf",
        num_digits=1,
        timeout=config["VOICE_GATHER_TIMEOUT"],
        action=f"{_base_url()}/voice/checkin/{checkin_id}",
        method="POST",
    )
    speak(gather, text("checkin_call", name=name), _base_url())
    response.append(gather)
    speak(response, text("checkin_call_again"), _base_url())
    return str(response)


def _ended(key):
    response = VoiceResponse()
    speak(response, text(key))
    response.hangup()
    return str(response)


def checkin_well():
    """The resident pressed 1."""
    return _ended("checkin_call_ok")


def checkin_ask_again(checkin_id):
    """Another key, or none: ask once more, now offering 2 for someone to come."""
    config = current_app.config
    response = VoiceResponse()
    gather = response.gather(
        input="dtmf",
        num_digits=1,
        timeout=config["VOICE_GATHER_TIMEOUT"],
        action=f"/voice/checkin/{checkin_id}?again=1",
        method="POST",
    )
    speak(gather, text("checkin_call_reask"))
    speak(response, text("checkin_call_later"))
    response.hangup()
    return str(response)


def checkin_later():
    return _ended("checkin_call_later")


def checkin_help(volunteers_told):
    """Key 2 after the second question: the head (and volunteers) were alerted."""
    return _ended("checkin_help" if volunteers_told else "checkin_help_head")


REPEAT_UP_TO = 200


def notice_call(body, recording_url=None):
    """A notice read out, or the head's own recording played, twice."""
    base = _base_url()
    response = VoiceResponse()
    speak(response, text("notice_call_intro"), base)
    # A short notice is said twice, slowly; a long one once.
    times = 2 if recording_url or len(body) <= REPEAT_UP_TO else 1
    for index in range(times):
        if index:
            speak(response, text("notice_call_again"), base)
        if recording_url:
            response.play(recording_url)
        else:
            speak(response, body, base)
        response.pause(length=1)
    speak(response, text("notice_call_end"), base)
    return str(response)
