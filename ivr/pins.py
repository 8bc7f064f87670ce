"""Courtyard heads' PINs: 4 to 8 digits, kept only as a hash."""

from werkzeug.security import check_password_hash, generate_password_hash

from courtyard import clock

PIN_LENGTHS = range(4, 9)


class BadPin(ValueError):
    """A PIN that is not 4 to 8 digits."""


def hash_pin(pin):
    """The stored form of a head's PIN; raise BadPin unless it is 4 to 8 digits."""
    pin = (pin or "").strip()
    if not (pin.isdigit() and pin.isascii() and len(pin) in PIN_LENGTHS):
        raise BadPin("a PIN is 4 to 8 digits")
    return generate_password_hash(pin)


def pin_matches(pin_hash, pin):
    return bool(pin_hash and pin and check_password_hash(pin_hash, pin))


def set_pin(db, courtyard_name, pin):
    """Set a courtyard head's PIN by courtyard name; False if there is no such one."""
    cursor = db.execute(
        "UPDATE courtyards SET head_pin_hash = ?, updated_at = ? WHERE name = ?",
        [hash_pin(pin), clock.stamp(), courtyard_name],
    )
    return cursor.rowcount == 1
