"""`flask unregistered`: texts from numbers on no roster, for staff to register."""

import click
from flask.cli import with_appcontext

from courtyard.phones import national
from db import get_db


@click.command("unregistered")
@click.option("--limit", default=50, show_default=True, help="How many, newest first.")
@with_appcontext
def unregistered_command(limit):
    """List texts from numbers on no roster, newest first."""
    rows = (
        get_db()
        .execute(
            "SELECT received_at, from_phone, body FROM messages "
            "WHERE handled_as = 'unknown_sender' ORDER BY id DESC LIMIT ?",
            [limit],
        )
        .fetchall()
    )
    if not rows:
        click.echo("No texts from unregistered numbers.")
    for received_at, phone, body in rows:
        click.echo(f"{received_at}\t{national(phone)}\t{body}")
