"""Settings: each is an environment variable and a config key of the same name."""

import logging
import os

log = logging.getLogger(__name__)

DEFAULTS = {
    # Storage and providers. DATABASE, CONSOLE_OUTBOX and INBOUND_SPOOL (texts kept
    # while the ledger cannot be written) default to files in the instance folder.
    "DATABASE": "",
    "SMS_PROVIDER": "console",
    "CONSOLE_OUTBOX": "",
    "INBOUND_SPOOL": "",
    # How long a request waits for another writer before its text goes to the spool.
    "DATABASE_BUSY_MS": 5000,
    "TWILIO_ACCOUNT_SID": "",
    "TWILIO_AUTH_TOKEN": "",
    "TWILIO_NUMBER": "",
    "PUBLIC_BASE_URL": "",
    "TIMEZONE": "Asia/Shanghai",
    # Inbound texts.
    "SMS_REPEAT_LIMIT": 3,
    "SMS_REPEAT_MINUTES": 10,
    "SMS_FOLLOWUP_HOURS": 24,
    "SMS_QUESTION_MINUTES": 30,
    # Mutual aid: points a helper earns, how long the requester has to confirm.
    "HELP_POINTS": 5,
    "HELP_CONFIRM_HOURS": 48,
    # The daily check-in: first try at this local hour, retries, then alerts in turn.
    "CHECKIN_HOUR": 8,
    "CHECKIN_LAST_HOUR": 20,
    "CHECKIN_START_BEFORE": 12,
    "CHECKIN_RETRIES": 2,
    "CHECKIN_RETRY_MINUTES": 30,
    "CHECKIN_ALERT_MINUTES": 30,
    # Calls: none in quiet hours (local time) unless urgent; a cap per resident a day.
    "QUIET_HOURS_START": 21,
    "QUIET_HOURS_END": 8,
    "CALLS_PER_DAY": 3,
    # Head triage and the escalation ladder. Each wait list is minutes after an
    # issue opens until it goes to the instructor, the general head and the
    # subdistrict office, unless the head has acknowledged it by then.
    "ESCALATE_HELP_MINUTES": "15,30,60",
    "ESCALATE_REPORT_MINUTES": "1440,2880,4320",
    "SUBDISTRICT_PHONES": "",
    "RATING_QUESTION_HOURS": 72,
    "DIGEST_HOUR": 20,
    # The outbox worker.
    "WORKER_POLL_SECONDS": 2.0,
    "SEND_MAX_ATTEMPTS": 5,
    "SEND_RETRY_SECONDS": 30,
    # A row a worker claimed this long ago and never finished is checked with the
    # provider and sent again only if it did not go out.
    "SEND_STALE_SECONDS": 300,
    # The provider's send rate limit, per second; 0 for none.
    "SEND_RATE_PER_SECOND": 0.0,
    # Notice calls that are not answered are tried again, this many times in all.
    "CALL_MAX_ATTEMPTS": 3,
    # The most SMS one notice may take per household.
    "NOTICE_MAX_PARTS": 6,
    "CALL_RETRY_MINUTES": 30,
    # The voice menu. Callers get this many seconds to press a key, this many misses
    # before they are offered a message, and a call ends politely after the cap.
    # <Say> needs a voice that speaks the language; Polly.Zhiyu speaks cmn-CN.
    "VOICE_GATHER_TIMEOUT": 8,
    "VOICE_MAX_MISSES": 3,
    "VOICE_RECORD_MAX_SECONDS": 60,
    "VOICE_RECORD_SILENCE_SECONDS": 6,
    "VOICE_DIAL_TIMEOUT": 25,
    # Key 0 puts the caller through to a person: that talk may last this long,
    # whatever is left of the menu's own cap.
    "VOICE_DIAL_TIME_LIMIT": 1800,
    "VOICE_MAX_CALL_SECONDS": 600,
    # This many wrong head PINs for a courtyard within these hours lock recording
    # notices by phone for it; the rest of the menu stays open to the head.
    "HEAD_PIN_MAX_FAILURES": 5,
    "HEAD_PIN_LOCK_HOURS": 24,
    "VOICE_LANGUAGE": "cmn-CN",
    "VOICE_SAY_VOICE": "Polly.Zhiyu",
    # Who hears messages left by callers who are on no roster, written any way a
    # phone is written (13900000099, +86 139 0000 0099); it is normalised to E.164
    # where it is read. Empty keeps the messages in the ledger's recordings only.
    "STAFF_PHONE": "",
    # Prompt audio rendered ahead of time; PROMPT_AUDIO_DIR defaults to prompts/audio.
    "PROMPT_AUDIO_DIR": "",
    "PROMPT_GTTS_LANG": "zh",
    "PROMPT_GTTS_TLD": "com",
    # Call recordings fetched by the worker; RECORDING_DIR defaults to the instance.
    "RECORDING_DIR": "",
    "RECORDING_FETCH_MAX_ATTEMPTS": 8,
    "RECORDING_RETRY_SECONDS": 60,
}


def from_environment(environ=None):
    """The settings found in the environment, converted to each default's type."""
    environ = os.environ if environ is None else environ
    found = {}
    for name, default in DEFAULTS.items():
        if name not in environ:
            continue
        raw = environ[name]
        try:
            found[name] = type(default)(raw) if default != "" else raw
        except ValueError as exc:
            raise RuntimeError(
                f"Setting {name}={raw!r} is not a {type(default).__name__}."
            ) from exc
    return found
