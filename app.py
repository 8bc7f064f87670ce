"""小院通 · Courtyard Line: the Flask application factory."""

import logging
import os

from flask import Flask

import db
import settings
from courtyard import checkin, notices_cli
from courtyard.checkin_cli import checkin_group
from ivr.checkin import bp as checkin_voice_bp
from ivr.views import bp as ivr_bp
from prompts import cli as prompts_cli
from roster import cli as roster_cli
from simulator import cli as simulator_cli
from sms import spool
from sms.cli import unregistered_command
from sms.views import bp as sms_bp
from telephony.callbacks import bp as status_bp
from telephony.worker import register_job, tick_command, worker_command

log = logging.getLogger(__name__)


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)

    app.config.from_mapping(settings.DEFAULTS)
    app.config.update(
        DATABASE=os.path.join(app.instance_path, "courtyard.db"),
        CONSOLE_OUTBOX=os.path.join(app.instance_path, "outbox.jsonl"),
        INBOUND_SPOOL=os.path.join(app.instance_path, "inbound-spool.jsonl"),
        PROMPT_AUDIO_DIR=os.path.join(app.root_path, "prompts", "audio"),
        RECORDING_DIR=os.path.join(app.instance_path, "recordings"),
    )
    app.config.update(
        {
            name: value
            for name, value in settings.from_environment().items()
            if value != ""
        }
    )
    if test_config:
        app.config.update(test_config)

    _configure_logging()
    if not app.config["TWILIO_AUTH_TOKEN"]:
        log.warning(
            "TWILIO_AUTH_TOKEN is not set: webhook requests are NOT verified. "
            "Set it before exposing this service to the internet."
        )

    db.init_app(app)
    app.register_blueprint(sms_bp)
    app.register_blueprint(status_bp)
    app.register_blueprint(checkin_voice_bp)
    app.register_blueprint(ivr_bp)
    roster_cli.init_app(app)
    simulator_cli.init_app(app)
    prompts_cli.init_app(app)
    app.cli.add_command(worker_command)
    app.cli.add_command(checkin_group)
    notices_cli.init_app(app)
    app.cli.add_command(unregistered_command)
    register_job(spool.replay)
    register_job(checkin.run_due)
    app.cli.add_command(tick_command)
    return app


def _configure_logging():
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(
            level=logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
