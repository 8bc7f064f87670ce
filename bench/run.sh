#!/usr/bin/env bash
# Run every benchmark and print its figures: queueing a notice to 10,000 and 100,000
# households, the worker draining a 100,000-household notice, and /sms through
# gunicorn beside a bare endpoint. Takes several minutes; not part of the tests.
#
#     bash bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
python=.venv/bin/python
echo "Machine: $(nproc) cores, $($python --version)"
echo
$python -m bench.notice_queue
echo
$python -m bench.outbox_drain
echo
$python -m bench.sms_webhook
