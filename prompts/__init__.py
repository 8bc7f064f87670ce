"""The prompt catalogue: look up a sentence by key and fill it in."""

from prompts.catalogue import CHECKIN_VOICE, FIT_FIELDS, SMS  # noqa: F401
from telephony.segments import single_limit, units

ELLIPSIS = "…"


def sms(key, **fields):
    """The text for key, shortened in its free-text fields to fit one SMS if it can."""
    template = SMS[key]
    text = template.format(**fields)
    for name in FIT_FIELDS:
        if units(text) <= single_limit(text) or name not in fields:
            continue
        fields[name] = _shorten(template, fields, name)
        text = template.format(**fields)
    return text


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
