#!/usr/bin/env bash
# Set up and run Courtyard Line on its embedded defaults: a SQLite file in instance/,
# the console provider (texts land in instance/outbox.jsonl) and the demo courtyards.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
export FLASK_APP=app
.venv/bin/flask init-db
.venv/bin/flask load-demo
# The outbox worker sends every alert and notice: if it ever stops, start it again.
(
  while true; do
    .venv/bin/flask worker || true
    echo "outbox worker stopped; starting it again" >&2
    sleep 1
  done
) &
worker=$!
trap 'pkill -P "$worker" 2>/dev/null; kill "$worker" 2>/dev/null' EXIT
echo "Courtyard Line on http://127.0.0.1:${PORT:-5000} (webhooks: /sms, /voice, /sms/status, /voice/status)"
# Three sync workers on two cores; their write transactions take turns on a lock file.
.venv/bin/gunicorn --workers "${WORKERS:-3}" --bind "127.0.0.1:${PORT:-5000}" "app:create_app()"
