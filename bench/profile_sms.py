"""Where an inbound /sms spends its time, in-process under cProfile.

.venv/bin/python -m bench.profile_sms [--requests 2000] [--sort cumulative]
"""

import argparse
import cProfile
import logging
import pstats
import tempfile
import time
from pathlib import Path

from bench.ledger import demo_ledger
from bench.sms_webhook import TOKEN, request_body


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--lines", type=int, default=40)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        database = str(Path(folder) / "ledger.db")
        app = demo_ledger(database)
        app.config.update(
            TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL="https://courtyard.example.org"
        )
        logging.getLogger().setLevel(logging.WARNING)
        client = app.test_client()
        bodies = [request_body(n) for n in range(options.requests + 200)]
        for body, headers in bodies[:200]:
            client.post("/sms", data=body, headers=headers)

        profile = cProfile.Profile()
        began = time.perf_counter()
        profile.enable()
        for body, headers in bodies[200:]:
            response = client.post("/sms", data=body, headers=headers)
            assert response.status_code == 200, response.status_code
        profile.disable()
        seconds = time.perf_counter() - began

    print(f"{options.requests} requests in {seconds:.2f} s under the profiler")
    stats = pstats.Stats(profile).strip_dirs().sort_stats(options.sort)
    stats.print_stats(options.lines)


if __name__ == "__main__":
    main()
