"""Inbound /sms through a real WSGI server (gunicorn) with concurrent clients, beside a
bare Flask endpoint returning the same TwiML, measured in the same run.

    .venv/bin/python -m bench.sms_webhook [--clients 8] [--requests 4000] [--workers 3]
"""

import argparse
import http.client
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from bench.ledger import demo_ledger
from telephony.signature import sign

TOKEN = "bench-token"
PUBLIC = "https://courtyard.example.org"
SENDERS = [f"+86139000100{n:02d}" for n in range(2, 58)]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(app, port, workers):
    """Serve app (a gunicorn app spec) on port with the given sync workers."""
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [
            gunicorn,
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app,
        ]
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"server {app} did not start")


def request_body(number):
    params = {
        "MessageSid": "SM" + uuid.uuid4().hex,
        "AccountSid": "AC" + "0" * 32,
        "From": SENDERS[number % len(SENDERS)],
        "To": "+15005550006",
        "Body": f"1 村口路灯坏了 第{number}次",
        "NumMedia": "0",
    }
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": sign(TOKEN, PUBLIC + "/sms", params),
    }
    return urlencode(params), headers


def load(port, clients, total):
    """Send total requests from clients threads; return (seconds, latencies in ms)."""
    bodies = [request_body(n) for n in range(total)]
    latencies = []
    lock = threading.Lock()
    cursor = iter(range(total))

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while True:
            with lock:
                number = next(cursor, None)
            if number is None:
                break
            body, headers = bodies[number]
            began = time.perf_counter()
            connection.request("POST", "/sms", body, headers)
            response = connection.getresponse()
            response.read()
            mine.append((time.perf_counter() - began) * 1000)
            if response.status != 200:
                raise RuntimeError(f"/sms answered {response.status}")
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies


def summary(seconds, latencies):
    ordered = sorted(latencies)
    return {
        "rps": len(ordered) / seconds,
        "p50": statistics.median(ordered),
        "p99": ordered[int(len(ordered) * 0.99) - 1],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    # serve.sh runs gunicorn with 3 sync workers on 2 cores; both servers get the same.
    parser.add_argument("--workers", type=int, default=3)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        database = str(Path(folder) / "ledger.db")
        demo_ledger(database)
        real_port, bare_port = free_port(), free_port()
        courtyard = f"bench.servers:courtyard_app({database!r}, {TOKEN!r})"
        servers = [
            start(courtyard, real_port, options.workers),
            start("bench.servers:bare_app()", bare_port, options.workers),
        ]
        try:
            load(real_port, options.clients, 200)  # warm up both
            load(bare_port, options.clients, 200)
            rounds = {"courtyard": [], "bare": []}
            for _ in range(options.rounds):
                for name, port in (("bare", bare_port), ("courtyard", real_port)):
                    rounds[name].append(
                        summary(*load(port, options.clients, options.requests))
                    )
        finally:
            for server in servers:
                server.terminate()
                server.wait()

    print(
        f"/sms through gunicorn ({options.workers} sync workers each), "
        f"{options.clients} clients, "
        f"{options.requests} requests x {options.rounds} rounds (medians)"
    )
    medians = {}
    for name, results in rounds.items():
        medians[name] = {
            key: statistics.median(r[key] for r in results)
            for key in ("rps", "p50", "p99")
        }
        m = medians[name]
        print(
            f"  {name:10} {m['rps']:8.0f} req/s  p50 {m['p50']:6.2f} ms  "
            f"p99 {m['p99']:6.2f} ms"
        )
    ratio = medians["courtyard"]["rps"] / medians["bare"]["rps"]
    print(f"  throughput ratio courtyard/bare: {ratio:.2f}")


if __name__ == "__main__":
    main()
