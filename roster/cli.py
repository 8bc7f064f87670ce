"""Command-line import of rosters, and the demo courtyards for a fresh checkout."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from db import get_db, one, transaction
from ivr.pins import BadPin, set_pin
from roster.importer import import_households, import_roster
from roster.instructors import import_instructors
from roster.readers import UnreadableFile

DEMO = Path(__file__).resolve().parent.parent / "demo"


def _echo_report(path, what, report):
    click.echo(
        f"{Path(path).name}: {report.added} {what} added, {report.updated} updated, "
        f"{report.unchanged} unchanged."
    )
    for number, reason in report.problems:
        click.echo(f"  row {number}: {reason}")


def _run(importer, path, what):
    try:
        report = importer(get_db(), path)
    except UnreadableFile as exc:
        raise click.ClickException(str(exc)) from exc
    _echo_report(path, what, report)


@click.command("import-roster")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_roster_command(file):
    """Import communities, courtyards and heads from the subdistrict roster."""
    _run(import_roster, file, "courtyards")


@click.command("import-households")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_households_command(file):
    """Import households (phones, age, voice or text, volunteers, family)."""
    _run(import_households, file, "households")


@click.command("import-instructors")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_instructors_command(file):
    """Import each courtyard's instructor (courtyard name, instructor, phone)."""
    _run(import_instructors, file, "instructors")


@click.command("load-demo")
@with_appcontext
def load_demo_command():
    """Load the demo courtyards from demo/ unless courtyards are already loaded."""
    if one(get_db(), "SELECT 1 AS yes FROM courtyards LIMIT 1"):
        click.echo("Courtyards already loaded; demo not imported.")
        return
    _run(import_roster, DEMO / "roster-annex.csv", "courtyards")
    _run(import_households, DEMO / "households.csv", "households")
    _run(import_instructors, DEMO / "instructors.csv", "instructors")


@click.command("set-head-pin")
@click.argument("courtyard")
@click.argument("pin")
@with_appcontext
def set_head_pin_command(courtyard, pin):
    """Set the PIN a courtyard head enters by phone before recording a notice."""
    db = get_db()
    try:
        with transaction(db):
            found = set_pin(db, courtyard, pin)
    except BadPin as exc:
        raise click.ClickException(f"{exc}; nothing changed.") from exc
    if not found:
        raise click.ClickException(f"No courtyard named {courtyard!r}.")
    click.echo(f"PIN set for the head of {courtyard}.")


def init_app(app):
    app.cli.add_command(import_roster_command)
    app.cli.add_command(import_households_command)
    app.cli.add_command(import_instructors_command)
    app.cli.add_command(load_demo_command)
    app.cli.add_command(set_head_pin_command)
