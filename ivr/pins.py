"""Courtyard heads' PINs: 4 to 8 digits, kept only as a hash.

Too many wrong PINs for a courtyard within a window lock notice recording for it
until the window has passed or staff set a new PIN; guessing stops there.
"""

from datetime import timedelta

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from courtyard import clock
from db import insert

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
    """Set a courtyard head's PIN by courtyard name; False if there is no such one.

    A new PIN lifts a lock from wrong guesses at the old one.
    """
    cursor = db.execute(
        "UPDATE courtyards SET head_pin_hash = ?, updated_at = ? WHERE name = ?",
        [hash_pin(pin), clock.stamp(), courtyard_name],
    )
    db.execute(
        "DELETE FROM head_pin_failures WHERE courtyard_id IN "
        "(SELECT id FROM courtyards WHERE name = ?)",
        [courtyard_name],
    )
    return cursor.rowcount == 1


def _window_start():
    hours = current_app.config["HEAD_PIN_LOCK_HOURS"]
    return clock.stamp(clock.now() - timedelta(hours=hours))


def failures(db, courtyard_id):
    """Wrong PINs for a courtyard within the lock window."""
    return db.execute(
        "SELECT COUNT(*) FROM head_pin_failures WHERE courtyard_id = ? AND at > ?",
        [courtyard_id, _window_start()],
    ).fetchone()[0]


def locked(db, courtyard_id):
    return failures(db, courtyard_id) >= current_app.config["HEAD_PIN_MAX_FAILURES"]


def record_failure(db, courtyard_id, phone, call_sid):
    """Note one wrong PIN; return True when it locks notice recording."""
    insert(
        db,
        "head_pin_failures",
        {
            "courtyard_id": courtyard_id,
            "phone": phone,
            "call_sid": call_sid,
            "at": clock.stamp(),
        },
    )
    return locked(db, courtyard_id)
