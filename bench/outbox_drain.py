"""The worker draining a notice's outbox rows through the console provider, beside
two baselines run on the same machine in the same run:

- the console provider's own appends, the same number, with no ledger at all;
- a bare SQLite loop committing one UPDATE per outbox row, the least the ledger
  could do to record each send.

    .venv/bin/python -m bench.outbox_drain [--rows 100000] [--rounds 3]
"""

import argparse
import logging
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.ledger import many_households
from bench.notice_queue import NOTICE, OFFICE

# A weekday morning in Chongqing, so calls are not held back for quiet hours.
MORNING = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def _app(database, outbox_file):
    from app import create_app

    app = create_app(
        {
            "DATABASE": database,
            "CONSOLE_OUTBOX": outbox_file,
            "TWILIO_AUTH_TOKEN": "bench",
            "PUBLIC_BASE_URL": "https://courtyard.example.org",
            "CLOCK": lambda: MORNING,
        }
    )
    logging.getLogger().setLevel(logging.WARNING)
    return app


def queued_ledger(database, households):
    """A ledger with one notice queued to households made-up households; return the
    number of outbox rows waiting to be sent."""
    from courtyard.notices import publish
    from db import connect, transaction
    from telephony import outbox

    many_households(database, households)
    app = _app(database, str(Path(database).with_suffix(".jsonl")))
    with app.app_context():
        db = connect(database)
        with transaction(db):
            publish(db, NOTICE, created_by=OFFICE)
        waiting = db.execute(
            "SELECT COUNT(*) FROM outbox WHERE status = ?", [outbox.QUEUED]
        ).fetchone()[0]
        db.conn.close()
    return waiting


def drain(database, folder):
    """Run the worker once over the ledger; return (seconds, rows handled)."""
    from db import connect
    from telephony.worker import run_once

    app = _app(database, str(Path(folder) / "drain.jsonl"))
    with app.app_context():
        db = connect(database)
        began = time.perf_counter()
        handled = run_once(db, app.config)
        seconds = time.perf_counter() - began
        db.conn.close()
    return seconds, handled


def console_appends(rows, folder):
    """The console provider's appends alone, as many as the worker sends."""
    from telephony.providers import ConsoleProvider

    app = _app(str(Path(folder) / "unused.db"), "")
    provider = ConsoleProvider(str(Path(folder) / "appends.jsonl"))
    with app.app_context():
        began = time.perf_counter()
        for number in range(rows):
            provider.send_sms(
                f"+86137{number:08d}",
                NOTICE,
                status_callback="https://courtyard.example.org/sms/status",
                reference=number,
            )
        return time.perf_counter() - began


def update_loop(database):
    """One committed UPDATE per queued outbox row, on a copy of the same ledger."""
    from db import connect

    db = connect(database)
    ids = [
        row[0] for row in db.execute("SELECT id FROM outbox WHERE status = 'queued'")
    ]
    began = time.perf_counter()
    for row_id in ids:
        db.execute("UPDATE outbox SET status = 'sent' WHERE id = ?", [row_id])
    seconds = time.perf_counter() - began
    db.conn.close()
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        template = str(Path(folder) / "template.db")
        waiting = queued_ledger(template, options.rows)
        copy = str(Path(folder) / "round.db")
        timings = {"worker": [], "appends": [], "updates": []}
        for _ in range(options.rounds):
            shutil.copy(template, copy)
            seconds, handled = drain(copy, folder)
            timings["worker"].append(seconds)
            timings["appends"].append(console_appends(handled, folder))
            shutil.copy(template, copy)
            timings["updates"].append(update_loop(copy))
            for leftover in Path(folder).glob("*.jsonl"):
                leftover.unlink()

    worker = statistics.median(timings["worker"])
    print(
        f"Worker draining {waiting:,} outbox rows through the console provider, "
        f"median of {options.rounds} rounds"
    )
    for name, label in (
        ("worker", "worker run_once"),
        ("appends", "console appends only"),
        ("updates", "bare UPDATE per row"),
    ):
        seconds = statistics.median(timings[name])
        print(
            f"  {label:22} {seconds:7.2f} s  {handled / seconds:9,.0f} rows/s  "
            f"worker takes {worker / seconds:5.1f}x"
        )


if __name__ == "__main__":
    main()
