"""TwiML building blocks: prompts said or played, key presses, recordings."""

from flask import current_app, url_for

from prompts import audio


def speak(node, sentence, base_url=None):
    """Play the sentence's pre-rendered audio, or have Twilio say it in Mandarin.

    TwiML sent with an outbound call has no page to be relative to, so it names the
    audio by the public base_url.
    """
    config = current_app.config
    name = audio.cached(sentence, config)
    if name:
        if base_url is not None:
            node.play(f"{base_url}/voice/audio/{name}")
        else:
            node.play(url_for("ivr.prompt_audio", name=name))
        return
    node.say(
        sentence,
        language=config["VOICE_LANGUAGE"],
        voice=config["VOICE_SAY_VOICE"] or None,
    )


def gather(turn, response, path, *, digits=1, **query):
    """Wait for one key (or a PIN ended by #); silence still posts to the action."""
    config = current_app.config
    return response.gather(
        input="dtmf",
        num_digits=digits,
        finish_on_key="#" if digits is None else "",
        timeout=config["VOICE_GATHER_TIMEOUT"],
        action=turn.url(path, **query),
        method="POST",
        action_on_empty_result=True,
    )


def record(turn, response, path, **query):
    """Record after the tone; when nothing was said Twilio falls through to Redirect."""
    config = current_app.config
    action = turn.url(path, **query)
    response.record(
        action=action,
        method="POST",
        max_length=config["VOICE_RECORD_MAX_SECONDS"],
        timeout=config["VOICE_RECORD_SILENCE_SECONDS"],
        finish_on_key="#",
        play_beep=True,
        recording_status_callback=url_for("ivr.recording_status"),
        recording_status_callback_method="POST",
        recording_status_callback_event="completed absent",
    )
    response.redirect(action, method="POST")
