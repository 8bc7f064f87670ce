"""The outbox: every outbound text or call is a row before anything is sent."""

import logging

from courtyard import clock
from courtyard.phones import mask
from db import insert_or_ignore

log = logging.getLogger(__name__)

SMS = "sms"
CALL = "call"

# Lower goes first: a head's alert never waits behind a broadcast.
PRIORITY_ALERT = 1
PRIORITY_REPLY = 2
PRIORITY_ROUTINE = 5
PRIORITY_BROADCAST = 8

# The life of an outbox row.
QUEUED = "queued"  # waiting for the worker, possibly after a failed try
SENDING = "sending"  # claimed by a worker
SENT = "sent"  # accepted by the provider
DELIVERED = "delivered"  # the handset has it
FAILED = "failed"  # the provider refused it for good, or retries ran out
UNDELIVERED = "undelivered"  # the carrier could not deliver it
SUPPRESSED = "suppressed"  # the recipient opted out; kept, never sent
BLOCKED = "blocked"  # the channel cannot reach the number, e.g. SMS to a landline


def queue(
    db,
    to_phone,
    body,
    *,
    kind,
    channel=SMS,
    priority=PRIORITY_ROUTINE,
    issue_id=None,
    dedupe_key=None,
    not_before=None,
    twiml=None,
    urgent=False,
    notice_id=None,
):
    """Queue one text or call inside the caller's transaction; return its id.

    A call carries the TwiML it plays, and its body says in words what it plays. An
    urgent call may ring in quiet hours. A dedupe_key makes queueing idempotent: the
    same key is queued once, ever.
    """
    now = clock.stamp()
    row_id = insert_or_ignore(
        db,
        "outbox",
        {
            "channel": channel,
            "to_phone": to_phone,
            "body": body,
            "kind": kind,
            "priority": priority,
            "issue_id": issue_id,
            "dedupe_key": dedupe_key,
            "twiml": twiml,
            "urgent": 1 if urgent else 0,
            "notice_id": notice_id,
            "status": QUEUED,
            "attempts": 0,
            "next_attempt_at": not_before or now,
            "created_at": now,
            "updated_at": now,
        },
    )
    if row_id:
        log.info("outbox %s queued: %s to %s", row_id, kind, mask(to_phone))
    return row_id
