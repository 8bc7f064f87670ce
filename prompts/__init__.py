"""The prompt catalogue: look up a sentence by key and fill it in."""

import unicodedata

from prompts.catalogue import FIT_FIELDS, SMS, WORDS
from telephony.segments import single_limit, units

__all__ = ["SMS", "WORDS", "sms"]

ELLIPSIS = "…"


def sms(key, **fields):
    """The text for key, shortened in its free-text fields to fit one SMS if it can."""
    template = SMS[key]
    fields = {name: _printable(value) for name, value in fields.items()}
    text = template.format(**fields)
    for name in FIT_FIELDS:
        if units(text) <= single_limit(text) or name not in fields:
            continue
        fields[name] = _shorten(template, fields, name)
        text = template.format(**fields)
    return text


def _printable(value):
    """Control and format characters a villager's text may carry are not sent on."""
    if not isinstance(value, str):
        return value
    cleaned = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch
        for ch in value
    )
    return " ".join(cleaned.split()) if cleaned != value else value


def _shorten(template, fields, name):
    """The longest prefix of fields[name] that lets the whole text fit one SMS."""
    value = str(fields[name])
    others = template.format(**{**fields, name: ""})
    limit = single_limit(others + value)
    room = limit - units(others) - units(ELLIPSIS)
    if room <= 0:
        return ELLIPSIS
    kept = ""
    for ch in value:
        if units(kept + ch) > room:
            break
        kept += ch
    return kept + ELLIPSIS
