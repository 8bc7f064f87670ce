"""Notices reach every household in the way it can receive them.

A text for those who read, split at sentence boundaries into as few SMS as needed; a
call that plays the notice for those who listen or only have a landline. Every
recipient is an outbox row tied to the notice, so each one's fate can be followed.
Queueing is done by the database in a few statements, so a notice to a hundred
thousand households takes no more memory than one to ten.
"""

import logging
import re
from dataclasses import dataclass

from flask import current_app

import prompts
from courtyard import clock
from courtyard.phones import mask
from db import insert
from ivr import outbound
from telephony import outbox
from telephony.segments import part_limit, single_limit, units

log = logging.getLogger(__name__)

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")


@dataclass
class Published:
    """What a notice cost: households by text and by call, texts sent, opted out."""

    notice_id: int
    by_text: int
    parts: int
    by_call: int
    suppressed: int

    @property
    def texts(self):
        return self.by_text * self.parts


class EmptyNotice(ValueError):
    """A notice with nothing in it is never sent."""


class NoticeTooLong(ValueError):
    """A notice needing more SMS per household than NOTICE_MAX_PARTS."""

    def __init__(self, parts):
        super().__init__(parts)
        self.parts = parts


def texts(body):
    """The SMS a household receives for a notice: signed, and numbered when there
    are several, since parts may arrive out of order."""
    body = body.strip()
    whole = prompts.SMS["notice_sms"].format(body=body)
    if units(whole) <= single_limit(whole):
        return [whole]
    # The marker's widest form decides how much of each part the notice may fill.
    marker = prompts.SMS["notice_sms_part"].format(part=99, parts=99, body="")
    limit = part_limit(whole) - units(marker)
    pieces = split(body, limit)
    return [
        prompts.SMS["notice_sms_part"].format(part=n, parts=len(pieces), body=piece)
        for n, piece in enumerate(pieces, start=1)
    ]


def split(text, limit):
    """The text in as few pieces of at most limit as it can, cut at sentence ends."""
    text = text.strip()
    parts, current = [], ""
    for sentence in _pieces(text, limit):
        if current and units(current + sentence) > limit:
            parts.append(current)
            current = ""
        current += sentence
    if current:
        parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def _pieces(text, limit):
    """Sentences, with any sentence longer than one SMS cut to fit."""
    for sentence in _SENTENCE_END.split(text):
        while units(sentence) > limit:
            cut = _longest_prefix(sentence, limit)
            yield sentence[:cut]
            sentence = sentence[cut:]
        if sentence:
            yield sentence


def _longest_prefix(text, limit):
    size = 0
    for index, ch in enumerate(text):
        size += units(ch)
        if size > limit:
            return index
    return len(text)


def publish(
    db,
    body,
    *,
    created_by,
    courtyard_id=None,
    community_id=None,
    recording_url=None,
    sms_body=None,
):
    """Store a notice for key 3 and queue it to every household it is for, inside
    the caller's transaction.

    With neither courtyard_id nor community_id it is for everyone. A recorded notice
    plays its recording on calls; texts carry sms_body (or the body). Raises
    EmptyNotice or NoticeTooLong before anything is stored.
    """
    if not re.sub(r"[\W_]+", "", body or ""):
        raise EmptyNotice()
    parts = texts(sms_body or body)
    if len(parts) > current_app.config["NOTICE_MAX_PARTS"]:
        raise NoticeTooLong(len(parts))
    now = clock.stamp()
    notice_id = insert(
        db,
        "notices",
        {
            "courtyard_id": courtyard_id,
            "community_id": community_id,
            "body": body,
            "recording_url": recording_url,
            "created_by": created_by,
            "created_at": now,
        },
    )
    where, params = _audience(courtyard_id, community_id)
    for number, part in enumerate(parts, start=1):
        _queue(db, notice_id, "sms", part, None, f"sms{number}", where, params, now)
    twiml = outbound.notice_call(body, recording_url)
    _queue(db, notice_id, "call", body, twiml, "call", where, params, now)
    published = _count(db, notice_id, len(parts))
    log.info(
        "notice %s by %s queued: %s by text, %s by call, %s opted out",
        notice_id,
        mask(created_by),
        published.by_text,
        published.by_call,
        published.suppressed,
    )
    return published


def _audience(courtyard_id, community_id):
    if courtyard_id is not None:
        return "households.courtyard_id = ?", [courtyard_id]
    if community_id is not None:
        return (
            "households.courtyard_id IN (SELECT id FROM courtyards "
            "WHERE community_id = ?)",
            [community_id],
        )
    return "1 = 1", []


# Who gets a text: readers on a mobile. Everyone else with a phone gets a call.
_BY_TEXT = "households.prefers = 'text' AND households.phone_kind = 'mobile'"


def _queue(db, notice_id, channel, body, twiml, part, where, params, now):
    """One row per phone (a phone on two households hears it once); texts to a phone
    that opted out are kept as suppressed, calls still ring."""
    reaches = _BY_TEXT if channel == "sms" else f"NOT ({_BY_TEXT})"
    opted_out = "opt_outs.phone IS NOT NULL" if channel == "sms" else "0"
    if channel == "call":
        # A phone that also reads, on another household, already has the text.
        reaches += (
            f" AND households.phone NOT IN (SELECT to_phone FROM outbox "
            f"WHERE notice_id = {int(notice_id)} AND channel = 'sms')"
        )
    db.execute(
        "INSERT OR IGNORE INTO outbox (channel, to_phone, body, twiml, kind, priority,"
        " notice_id, dedupe_key, status, attempts, next_attempt_at, created_at,"
        " updated_at, urgent) "
        "SELECT ?, households.phone, ?, ?, 'notice', ?, ?, "
        "'notice:' || ? || ':' || households.phone || ':' || ?, "
        f"CASE WHEN {opted_out} THEN ? ELSE ? END, 0, ?, ?, ?, 0 "
        "FROM households LEFT JOIN opt_outs ON opt_outs.phone = households.phone "
        f"WHERE households.phone IS NOT NULL AND {reaches} AND {where} "
        "ORDER BY households.id",
        [
            channel,
            body,
            twiml,
            outbox.PRIORITY_BROADCAST,
            notice_id,
            notice_id,
            part,
            outbox.SUPPRESSED,
            outbox.QUEUED,
            now,
            now,
            now,
            *params,
        ],
    )


def _count(db, notice_id, parts):
    rows = dict(
        db.execute(
            "SELECT CASE WHEN status = ? THEN 'suppressed' ELSE channel END, "
            "COUNT(DISTINCT to_phone) FROM outbox WHERE notice_id = ? GROUP BY 1",
            [outbox.SUPPRESSED, notice_id],
        ).fetchall()
    )
    return Published(
        notice_id,
        rows.get("sms", 0),
        parts,
        rows.get("call", 0),
        rows.get("suppressed", 0),
    )


def recipients(db, notice_id):
    """Each recipient's texts and calls with their state, for staff:
    [(phone, channel, status, error code)]."""
    return db.execute(
        "SELECT to_phone, channel, status, COALESCE(error_code, '') FROM outbox "
        "WHERE notice_id = ? ORDER BY to_phone, id",
        [notice_id],
    ).fetchall()
