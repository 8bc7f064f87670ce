"""One person, one number: every phone becomes E.164, and logs see it masked."""

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

REGION = "CN"

MOBILE = "mobile"
LANDLINE = "landline"

_TEXTABLE = {
    PhoneNumberType.MOBILE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE,
}
_PERSONAL = _TEXTABLE | {PhoneNumberType.FIXED_LINE, PhoneNumberType.VOIP}


class InvalidPhone(ValueError):
    """A phone that cannot be read as a number someone could be reached on."""


@lru_cache(maxsize=8192)
def normalise(written):
    """Return (E.164, kind) for a phone as people write it; raise InvalidPhone."""
    text = re.sub(r"[\s\-()（）.]", "", written or "")
    if not text:
        raise InvalidPhone("empty")
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(str(exc)) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(f"not a valid number: {written}")
    kind = phonenumbers.number_type(number)
    if kind not in _PERSONAL:
        raise InvalidPhone(f"not a personal number: {written}")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, MOBILE if kind in _TEXTABLE else LANDLINE


def sender(written):
    """E.164 for an inbound sender, or None for short codes and service numbers."""
    try:
        return normalise(written)[0]
    except InvalidPhone:
        return None


def configured(written):
    """E.164 for a phone written in a setting, or None when it is empty or cannot be
    read as a phone; settings are typed by people, in any of the usual ways."""
    try:
        return normalise((written or "").strip())[0]
    except InvalidPhone:
        return None


def mask(phone):
    """139****0201: enough to tell people apart in a log, not enough to call them."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("86") and len(digits) > 11:
        digits = digits[2:]
    if len(digits) < 7:
        return "*" * len(digits) or "-"
    return f"{digits[:3]}****{digits[-4:]}"


@lru_cache(maxsize=8192)
def national(phone):
    """A phone as a villager writes it: 13900010003, 02372701234."""
    try:
        number = phonenumbers.parse(phone, REGION)
    except phonenumbers.NumberParseException:
        return phone
    return (
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        .replace(" ", "")
        .replace("-", "")
    )
