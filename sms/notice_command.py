"""A head, instructor, general head or the subdistrict office broadcasts a notice by
texting 通知 followed by it; "通知" alone is a resident asking to hear notices."""

import re

from flask import current_app

import prompts
from courtyard import notices, roles
from courtyard.keywords import original_rest
from db import one
from sms.handled import Handled

WORDS = ("发通知", "通知", "公告")
_SEPARATORS = " :：,，、"


def _notice_text(inbound):
    """The notice a text carries after the word, as written; None if it is not one."""
    folded = inbound.command.folded
    for word in WORDS:
        if folded.startswith(word):
            rest = folded[len(word) :].lstrip(_SEPARATORS).strip()
            if re.sub(r"[。.!！]", "", rest):
                consumed = folded[: len(folded) - len(rest)]
                return original_rest(inbound.text, consumed, rest)
    return None


def _audiences(db, phone):
    """Where a phone's notice goes: [(courtyard_id, community_id)], None for all."""
    if phone in roles.subdistrict_phones():
        return [(None, None)]
    community = one(
        db, "SELECT id FROM communities WHERE general_head_phone = ?", [phone]
    )
    if community:
        return [(None, community["id"])]
    rows = db.execute(
        "SELECT id FROM courtyards WHERE head_phone = ? OR instructor_phone = ? "
        "ORDER BY id",
        [phone, phone],
    ).fetchall()
    return [(courtyard_id, None) for (courtyard_id,) in rows]


def head_notice(inbound):
    body = _notice_text(inbound)
    if body is None:
        return None
    audiences = _audiences(inbound.db, inbound.phone)
    if not audiences:
        return None

    totals = {"by_text": 0, "by_call": 0, "suppressed": 0, "parts": 0}
    most = current_app.config["NOTICE_MAX_PARTS"]
    for courtyard_id, community_id in audiences:
        try:
            published = notices.publish(
                inbound.db,
                body,
                created_by=inbound.phone,
                courtyard_id=courtyard_id,
                community_id=community_id,
            )
        except notices.NoticeTooLong as exc:
            reply = prompts.sms("notice_too_long", parts=exc.parts, most=most)
            return Handled("notice_refused", reply)
        totals["by_text"] += published.by_text
        totals["by_call"] += published.by_call
        totals["suppressed"] += published.suppressed
        totals["parts"] = published.parts
    texts = totals["by_text"] * totals["parts"]
    return Handled("notice", prompts.sms("notice_sent", texts=texts, **totals))
