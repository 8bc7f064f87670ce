"""Time: stored in UTC, reasoned about in the deployment's time zone.

Tests move time by setting the app's CLOCK to a callable returning an aware datetime.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def now():
    clock = current_app.config.get("CLOCK")
    return clock() if clock else datetime.now(UTC)


def stamp(moment=None):
    """A UTC timestamp string that sorts in time order."""
    moment = moment or now()
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse(text):
    return datetime.fromisoformat(text)


def local(moment=None):
    """The moment in the deployment's time zone."""
    moment = moment or now()
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
