"""Providers deliver what the outbox holds. Channel code never imports one directly."""

import fcntl
import json
import logging
import os
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta
from urllib.parse import urlparse

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from courtyard import clock

log = logging.getLogger(__name__)


class ProviderError(Exception):
    """A provider refused or failed a send; transient ones are worth retrying."""

    def __init__(self, message, code=None, transient=False):
        super().__init__(message)
        self.code = code
        self.transient = transient


class ConsoleProvider:
    """Delivers by appending one JSON object per line to a local file."""

    name = "console"

    def __init__(self, path, recordings_folder=None):
        self.path = path
        self.recordings_folder = recordings_folder

    def send_sms(self, to, body, status_callback=None, reference=None):
        sid = "SM" + uuid.uuid4().hex
        self._append(
            {
                "channel": "sms",
                "to": to,
                "body": body,
                "sid": sid,
                "outbox_id": reference,
            }
        )
        return sid

    def place_call(
        self, to, twiml, body, status_callback=None, reference=None, twiml_url=None
    ):
        sid = "CA" + uuid.uuid4().hex
        self._append(
            {
                "channel": "call",
                "to": to,
                "body": body,
                "twiml": twiml,
                "sid": sid,
                "outbox_id": reference,
            }
        )
        return sid

    def find_sent(self, row):
        """The id this outbox row was delivered under, if it was; None if not."""
        try:
            with open(self.path, encoding="utf-8") as delivered:
                for line in delivered:
                    record = json.loads(line)
                    if record.get("outbox_id") == row["id"]:
                        return record["sid"]
        except FileNotFoundError:
            pass
        return None

    def fetch_recording(self, url):
        """The console has no provider to ask: it reads the simulator's own files."""
        parsed = urlparse(url)
        folder = os.path.realpath(self.recordings_folder or "")
        path = os.path.realpath(parsed.path)
        if parsed.scheme != "file" or not path.startswith(folder + os.sep):
            raise ProviderError(
                f"the console provider reads only simulated recordings, not {url}",
                code="unsupported",
            )
        try:
            with open(path, "rb") as audio:
                return audio.read()
        except FileNotFoundError as exc:
            raise ProviderError(str(exc), code="not-found", transient=True) from exc

    def _append(self, record):
        record["at"] = clock.stamp()
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with open(self.path, "a", encoding="utf-8") as out:
            fcntl.flock(out, fcntl.LOCK_EX)
            out.write(line)
            out.flush()


# Where the simulator leaves the recordings it pretends a caller made.
SIMULATED = "simulated"

# HTTP statuses worth another try later: rate limiting and the provider's own faults.
_TRANSIENT_STATUS = {408, 429, 500, 502, 503, 504}

# The most TwiML a call may carry inline.
_INLINE_TWIML = 4000

# A recording URL answers 404 until the provider has finished storing the audio.
_RECORDING_NOT_READY = {404}

# Recording downloads carry the account's credentials, so only Twilio gets them.
_RECORDING_HOSTS = ("api.twilio.com",)


class TwilioProvider:
    """Sends through Twilio's REST client."""

    name = "twilio"

    def __init__(self, account_sid, auth_token, number, http_client=None):
        if not (account_sid and auth_token and number):
            raise RuntimeError(
                "SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
                "TWILIO_NUMBER to be set."
            )
        self.client = Client(account_sid, auth_token, http_client=http_client)
        self.auth = (account_sid, auth_token)
        self.number = number

    def send_sms(self, to, body, status_callback=None, reference=None):
        extra = {"status_callback": status_callback} if status_callback else {}
        with _provider_errors():
            message = self.client.messages.create(
                to=to, from_=self.number, body=body, **extra
            )
        return message.sid

    def place_call(
        self, to, twiml, body, status_callback=None, reference=None, twiml_url=None
    ):
        """Place a call that plays twiml; TwiML longer than Twilio takes inline is
        fetched by Twilio from twiml_url instead."""
        if len(twiml) > _INLINE_TWIML and twiml_url:
            extra = {"url": twiml_url, "method": "POST"}
        else:
            extra = {"twiml": twiml}
        if status_callback:
            extra |= {
                "status_callback": status_callback,
                "status_callback_event": [
                    "initiated",
                    "ringing",
                    "answered",
                    "completed",
                ],
            }
        with _provider_errors():
            call = self.client.calls.create(to=to, from_=self.number, **extra)
        return call.sid

    def find_sent(self, row):
        """The id Twilio gave this outbox row, asked of Twilio's own logs: a text or
        call to the same number since the row was claimed (and, for a text, with the
        same body). None if Twilio has none; ProviderError if it cannot be asked."""
        since = datetime.fromisoformat(row["claimed_at"]) - timedelta(minutes=1)
        with _provider_errors():
            if row["channel"] == "call":
                calls = self.client.calls.list(
                    to=row["to_phone"], start_time_after=since, limit=20
                )
                return calls[0].sid if calls else None
            messages = self.client.messages.list(to=row["to_phone"], limit=50)
        # A message still queued at Twilio has no date_sent: go by when it was made.
        for message in messages:
            made = message.date_created
            if (
                message.body == row["body"]
                and message.from_ == self.number
                and (made is None or made >= since)
            ):
                return message.sid
        return None

    def fetch_recording(self, url):
        """The audio of a recording as WAV bytes; 404 means not stored yet."""
        if not _twilio_recording_url(url):
            raise ProviderError(f"not a Twilio recording URL: {url}", code="bad-url")
        try:
            with requests.Session() as session:
                response = session.get(url, auth=self.auth, timeout=30)
        except requests.RequestException as exc:
            raise ProviderError(str(exc), code="network", transient=True) from exc
        if response.status_code != 200:
            raise ProviderError(
                f"recording download answered {response.status_code}",
                code=str(response.status_code),
                transient=response.status_code
                in _TRANSIENT_STATUS | _RECORDING_NOT_READY,
            )
        return response.content


def _twilio_recording_url(url):
    """Only https to Twilio's API host on the default port carries credentials."""
    try:
        parsed = urlparse(url)
        port = parsed.port
    except ValueError:
        return False
    return (
        parsed.scheme == "https"
        and parsed.hostname in _RECORDING_HOSTS
        and port in (None, 443)
        and parsed.username is None
        and parsed.password is None
    )


@contextmanager
def _provider_errors():
    """Turn the SDK's exceptions into ProviderError, transient or not."""
    try:
        yield
    except TwilioRestException as exc:
        raise ProviderError(
            exc.msg,
            code=str(exc.code or exc.status),
            transient=exc.status in _TRANSIENT_STATUS,
        ) from exc
    except (requests.RequestException, TwilioException) as exc:
        raise ProviderError(str(exc), code="network", transient=True) from exc


def get_provider(config):
    """The provider the settings name, built from the settings."""
    name = config["SMS_PROVIDER"]
    if name == "console":
        return ConsoleProvider(
            config["CONSOLE_OUTBOX"],
            recordings_folder=os.path.join(config["RECORDING_DIR"], SIMULATED),
        )
    if name == "twilio":
        return TwilioProvider(
            config["TWILIO_ACCOUNT_SID"],
            config["TWILIO_AUTH_TOKEN"],
            config["TWILIO_NUMBER"],
            http_client=config.get("TWILIO_HTTP_CLIENT"),
        )
    raise RuntimeError(f"Unknown SMS_PROVIDER {name!r}: set it to console or twilio.")
