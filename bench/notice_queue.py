"""Queueing a notice to every household: wall time and peak memory, at two sizes, so
memory can be seen not to grow with the number of households.

    .venv/bin/python -m bench.notice_queue [--sizes 10000 100000] [--rounds 3]

Each measurement runs in a fresh child process on a fresh copy of the ledger: the
wall time covers publish() and its commit; the memory is the child's peak resident
size while publishing (ru_maxrss, which includes SQLite's own allocations) and the
peak of Python's allocations (tracemalloc, measured in a separate child because
tracing slows Python down).
"""

import argparse
import json
import logging
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench.ledger import many_households

# The subdistrict office sends to everyone.
OFFICE = "+8613900099999"
NOTICE = "明天上午九点在村委会开会，请各户派一人参加。带上身份证。"


def measure(database, traced):
    """Publish one notice to everyone on database; return the figures as a dict."""
    from courtyard.notices import publish
    from db import connect, transaction

    app = _app(database)
    with app.app_context():
        db = connect(database)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if traced:
            tracemalloc.start()
        began = time.perf_counter()
        with transaction(db):
            published = publish(db, NOTICE, created_by=OFFICE)
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1] if traced else None
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        db.conn.close()
    return {
        "seconds": seconds,
        "households": published.by_text + published.by_call + published.suppressed,
        "maxrss_kb": after,
        "rss_growth_kb": after - before,
        "traced_peak_kb": peak and peak / 1024,
    }


def _app(database):
    from app import create_app

    app = create_app({"DATABASE": database, "TWILIO_AUTH_TOKEN": "bench"})
    logging.getLogger().setLevel(logging.WARNING)
    return app


def child(database, traced):
    """Run one measurement in a new process and return its figures."""
    args = [sys.executable, "-m", "bench.notice_queue", "--child", database]
    if traced:
        args.append("--traced")
    output = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def run(sizes, rounds, folder):
    """{size: {figure: median}} over rounds, each on a fresh copy of the ledger."""
    results = {}
    for size in sizes:
        template = str(Path(folder) / f"template-{size}.db")
        many_households(template, size)
        samples = []
        for _ in range(rounds):
            figures = {}
            for traced in (False, True):
                copy = str(Path(folder) / "round.db")
                shutil.copy(template, copy)
                measured = child(copy, traced)
                if traced:
                    figures["traced_peak_kb"] = measured["traced_peak_kb"]
                else:
                    figures.update(measured)
                    del figures["traced_peak_kb"]
                Path(copy).unlink()
            samples.append(figures)
        results[size] = {
            key: statistics.median(sample[key] for sample in samples)
            for key in samples[0]
        }
    return results


def report(results, rounds):
    print(f"Queueing one notice to everyone, median of {rounds} rounds")
    for m in results.values():
        print(
            f"  {m['households']:>7,.0f} households  {m['seconds']:6.2f} s  "
            f"{m['households'] / m['seconds']:8,.0f} households/s  "
            f"peak RSS {m['maxrss_kb'] / 1024:5.1f} MB "
            f"(+{m['rss_growth_kb'] / 1024:4.1f} MB while publishing)  "
            f"Python peak {m['traced_peak_kb']:6.1f} KB"
        )
    small, large = results[min(results)], results[max(results)]
    print(
        f"  {large['households'] / small['households']:.0f}x the households: "
        f"{large['seconds'] / small['seconds']:.1f}x the time, "
        f"{large['maxrss_kb'] / small['maxrss_kb']:.2f}x the peak RSS, "
        f"{large['traced_peak_kb'] / small['traced_peak_kb']:.2f}x the Python peak"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.child:
        print(json.dumps(measure(options.child, options.traced)))
        return
    with tempfile.TemporaryDirectory() as folder:
        results = run(options.sizes, options.rounds, folder)
    report(results, options.rounds)


if __name__ == "__main__":
    main()
