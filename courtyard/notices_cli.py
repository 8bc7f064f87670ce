"""`flask notice ...`: staff broadcast a notice and follow each recipient."""

import click
from flask import current_app
from flask.cli import with_appcontext

from courtyard import notices
from courtyard.phones import national
from db import get_db, one, transaction


@click.command("notice")
@click.argument("text")
@click.option("--courtyard", help="The courtyard's name, as on the roster.")
@click.option("--community", help="The community's name, as on the roster.")
@click.option("--everyone", is_flag=True, help="Every household on the roster.")
@click.option("--by", default="staff", help="Who sends it, for the ledger.")
@with_appcontext
def notice_command(text, courtyard, community, everyone, by):
    """Broadcast TEXT: texts to readers, calls to those who listen."""
    if sum(bool(choice) for choice in (courtyard, community, everyone)) != 1:
        raise click.UsageError(
            "Give exactly one of --courtyard, --community, --everyone."
        )
    db = get_db()
    target = {}
    if courtyard:
        target["courtyard_id"] = _id_of(db, "courtyards", courtyard)
    if community:
        target["community_id"] = _id_of(db, "communities", community)

    try:
        with transaction(db):
            published = notices.publish(db, text, created_by=by, **target)
    except notices.EmptyNotice as exc:
        raise click.UsageError("The notice is empty.") from exc
    except notices.NoticeTooLong as exc:
        most = current_app.config["NOTICE_MAX_PARTS"]
        raise click.ClickException(
            f"The notice needs {exc.parts} SMS per household; at most {most} "
            "(NOTICE_MAX_PARTS). Shorten it or send it in pieces."
        ) from exc
    click.echo(
        f"Notice {published.notice_id} queued: {published.by_text} households by "
        f"text ({published.parts} SMS each, {published.texts} in all), "
        f"{published.by_call} by call, {published.suppressed} opted out."
    )


def _id_of(db, table, name):
    row = one(db, f"SELECT id FROM {table} WHERE name = ?", [name])
    if row is None:
        raise click.ClickException(f"No {table[:-1]} named {name!r} on the roster.")
    return row["id"]


@click.command("notice-status")
@click.argument("notice_id", type=int)
@with_appcontext
def notice_status_command(notice_id):
    """Show what became of each recipient of a notice."""
    rows = notices.recipients(get_db(), notice_id)
    if not rows:
        raise click.ClickException(f"Notice {notice_id} has no recipients.")
    for phone, channel, status, error in rows:
        click.echo(f"{national(phone)}\t{channel}\t{status}\t{error}".rstrip())


def init_app(app):
    app.cli.add_command(notice_command)
    app.cli.add_command(notice_status_command)
