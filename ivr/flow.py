"""What every part of the menu shares: the main menu, misses, a person, a message.

An ask function speaks a prompt inside a <Gather> and is called again, unchanged, to
repeat it on `*` or after a miss. Its signature is ask(turn, response, misses=0).
"""

from functools import partial

from flask import current_app
from twilio.twiml.voice_response import VoiceResponse

from db import one
from ivr.twiml import gather, record, speak
from prompts.voice import text

MENU = "/voice/menu"
MESSAGE = "/voice/message"
DIALED = "/voice/dialed"

# Why a caller is leaving a message, which decides who calls back.
MISSED = "missed"  # the menu did not work out for them
HEAD = "head"  # the courtyard head did not answer
UNKNOWN = "unknown"  # the number is on no roster; staff call back


def ask_menu(turn, response, misses=0, done=False):
    node = gather(turn, response, MENU, m=misses, done=1 if done else None)
    speak(node, text("menu_head" if turn.head_of else "menu"))
    return response


def back_to_menu(turn, response, *sentences):
    """Say what was done, then offer the menu again; silence now ends the call."""
    for sentence in sentences:
        speak(response, sentence)
    return ask_menu(turn, response, done=True)


def goodbye(response, key="goodbye"):
    speak(response, text(key))
    response.hangup()
    return response


def missed(turn, response, reason, ask):
    """Explain the miss and ask again; after the last miss, take a message."""
    misses = turn.misses + 1
    if misses >= current_app.config["VOICE_MAX_MISSES"]:
        return offer_message(turn, response, MISSED)
    speak(response, text(reason))
    return ask(turn, response, misses=misses)


def choose(turn, ask, choices, on_silence=None):
    """Answer a key press: a listed choice, `*` to repeat, `0` for a person, or a miss.

    choices maps a key to a function of (turn, response).
    """
    response = VoiceResponse()
    digits = turn.digits
    if digits == "*":
        return ask(turn, response, misses=turn.misses)
    if digits in choices:
        return choices[digits](turn, response)
    if digits == "0":
        return talk_to_person(turn, response)
    if digits is None and on_silence is not None:
        return on_silence(turn, response)
    return missed(turn, response, "miss_wrong" if digits else "miss_silence", ask)


def offer_message(turn, response, why):
    """Record a message that someone will answer by calling back."""
    if turn.household is None:
        why = UNKNOWN
    key = {MISSED: "offer_message", HEAD: "message_head"}.get(why, "message_unknown")
    speak(response, text(key))
    record(turn, response, MESSAGE, why=why)
    return response


def person_to_call(db, turn):
    """(prompt key, name, phone) for key 0: the head, or for a head the general head."""
    household = turn.household
    if turn.head_of is not None:
        community_id = turn.head_of["community_id"]
    elif household is None:
        return None, None, None
    elif household["head_phone"] and household["head_phone"] != turn.phone:
        return "dial_head", household["head_name"] or "", household["head_phone"]
    else:
        community_id = household["community_id"]
    community = one(
        db,
        "SELECT general_head_name, general_head_phone FROM communities WHERE id = ?",
        [community_id],
    )
    if community and community["general_head_phone"]:
        name = community["general_head_name"] or ""
        return "dial_general_head", name, community["general_head_phone"]
    return None, None, None


def talk_to_person(turn, response):
    key, name, phone = person_to_call(turn.db, turn)
    if phone is None:
        if turn.household is not None or turn.head_of is not None:
            speak(response, text("no_head"))
        return offer_message(turn, response, HEAD)

    # A talk with a person has its own limit: the menu's call cap must not cut it.
    config = current_app.config
    speak(response, text(key, head=name))
    dial = response.dial(
        action=turn.url(DIALED),
        method="POST",
        timeout=config["VOICE_DIAL_TIMEOUT"],
        time_limit=config["VOICE_DIAL_TIME_LIMIT"],
    )
    dial.number(phone)
    return response


def repeat_with(ask, **context):
    """An ask function with its context bound, ready for choose() and missed()."""
    return partial(ask, **context)
