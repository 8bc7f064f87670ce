"""Twilio request signatures: a webhook answers only requests Twilio really sent."""

import hmac
import logging
from functools import wraps

from flask import abort, current_app, request
from twilio.request_validator import RequestValidator

log = logging.getLogger(__name__)


def signed_url(path_and_query=None):
    """The URL Twilio signed: the public base URL behind a proxy, else the request's."""
    base = current_app.config["PUBLIC_BASE_URL"]
    if path_and_query is None:
        path_and_query = request.full_path.rstrip("?")
    if base:
        return base.rstrip("/") + path_and_query
    return request.host_url.rstrip("/") + path_and_query


def twilio_signed(view):
    """Refuse with 403 any request whose X-Twilio-Signature does not check out."""

    @wraps(view)
    def checked(*args, **kwargs):
        token = current_app.config["TWILIO_AUTH_TOKEN"]
        if token:
            signature = request.headers.get("X-Twilio-Signature", "")
            if not signature or not _valid(token, signed_url(), signature):
                log.warning(
                    "rejected %s: bad or missing Twilio signature", request.path
                )
                abort(403, "Invalid Twilio signature.")
        return view(*args, **kwargs)

    return checked


def _valid(token, url, signature):
    """Check the signature against the URL as given first, which is how Twilio signs
    when PUBLIC_BASE_URL matches its console; only a miss pays for the validator's
    tries with and without the port."""
    validator = RequestValidator(token)
    expected = validator.compute_signature(url, request.form)
    if hmac.compare_digest(expected, signature):
        return True
    return validator.validate(url, request.form, signature)


def sign(token, url, params):
    """The signature Twilio would send for these form params (for the simulator)."""
    return RequestValidator(token).compute_signature(url, params)
