"""Ledgers for benchmarks: the demo courtyards, or many made-up households."""

from pathlib import Path

from app import create_app
from db import connect, transaction
from roster.importer import import_households, import_roster

DEMO = Path(__file__).resolve().parent.parent / "demo"


def demo_ledger(database):
    """A ledger at database with the demo courtyards, and the app around it."""
    app = create_app({"DATABASE": database, "TWILIO_AUTH_TOKEN": "bench"})
    with app.app_context():
        db = connect(database)
        import_roster(db, DEMO / "roster-annex.csv")
        import_households(db, DEMO / "households.csv")
        db.conn.close()
    return app


def many_households(database, count):
    """The demo roster plus count made-up households spread over its courtyards."""
    app = demo_ledger(database)
    with app.app_context():
        db = connect(database)
        courtyards = [row[0] for row in db.execute("SELECT id FROM courtyards")]
        with transaction(db):
            db.conn.executemany(
                "INSERT INTO households (courtyard_id, name, phone, phone_kind, "
                "prefers, lives_alone, volunteer) VALUES (?, ?, ?, ?, ?, 0, 0)",
                (
                    (
                        courtyards[n % len(courtyards)],
                        f"户{n}",
                        f"+86137{n:08d}",
                        "mobile",
                        "voice" if n % 5 == 0 else "text",
                    )
                    for n in range(count)
                ),
            )
        db.conn.close()
    return app
