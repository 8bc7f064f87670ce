"""`flask checkin ...`: enrol residents who agreed to the daily check-in."""

import click
from flask.cli import with_appcontext

from courtyard.phones import InvalidPhone, normalise
from db import get_db

checkin_group = click.Group("checkin", help="The daily check-in (平安呼).")


def _household_phone(written):
    try:
        return normalise(written)[0]
    except InvalidPhone as exc:
        raise click.BadParameter(f"{written!r} is not a phone number.") from exc


def _set(phone, enrolled):
    db = get_db()
    changed = db.execute(
        "UPDATE households SET checkin_enrolled = ? WHERE phone = ?",
        [1 if enrolled else 0, phone],
    ).rowcount
    if not changed:
        raise click.ClickException(f"No household has the phone {phone}.")
    return changed


@checkin_group.command("enrol")
@click.argument("phone")
@with_appcontext
def enrol(phone):
    """Enrol the household on PHONE (they have agreed) in the daily check-in."""
    _set(_household_phone(phone), True)
    click.echo(f"Enrolled {phone} in the daily check-in.")


@checkin_group.command("leave")
@click.argument("phone")
@with_appcontext
def leave(phone):
    """Stop the daily check-in for the household on PHONE."""
    _set(_household_phone(phone), False)
    click.echo(f"{phone} no longer gets the daily check-in.")


@checkin_group.command("list")
@with_appcontext
def list_enrolled():
    """List the enrolled households."""
    rows = get_db().query(
        "SELECT households.name, phone, prefers, courtyards.name AS courtyard "
        "FROM households JOIN courtyards ON courtyards.id = courtyard_id "
        "WHERE checkin_enrolled = 1 ORDER BY households.id"
    )
    for row in rows:
        click.echo(
            f"{row['courtyard']} {row['name']} {row['phone']} ({row['prefers']})"
        )
