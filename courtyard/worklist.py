"""What is open for a head: the list they ask for by text, and the daily digest."""

import logging
from datetime import timedelta

from flask import current_app

import prompts
from courtyard import clock, ledger
from courtyard.ladder import is_overdue
from courtyard.loop import UNSATISFIED
from courtyard.phones import mask
from telephony import outbox
from telephony.segments import part_limit, units

log = logging.getLogger(__name__)

# A head's list fits two SMS parts; an item shows the start of the issue's text.
LIST_PARTS = 2
ITEM_CHARS = 8
MORE = "…"
LEFT_OUT = "；…"


def open_issues(db, courtyard_ids, now):
    """Open issues of these courtyards: overdue first, then newest first."""
    if not courtyard_ids:
        return []
    marks = ", ".join("?" for _ in courtyard_ids)
    rows = list(
        db.query(
            f"SELECT * FROM issues WHERE courtyard_id IN ({marks}) "
            f"AND status IN ({', '.join('?' for _ in ledger.OPEN)})",
            [*sorted(courtyard_ids), *ledger.OPEN],
        )
    )
    return sorted(rows, key=lambda row: (not is_overdue(row, now), -row["id"]))


def list_text(db, courtyard_ids):
    """The open issues as one or two SMS: number, overdue mark, start of the text."""
    now = clock.now()
    issues = open_issues(db, courtyard_ids, now)
    if not issues:
        return prompts.sms("open_none")

    items = [_item(issue, now) for issue in issues]
    limit = part_limit("中") * LIST_PARTS
    shown = []
    for item in items:
        trial = prompts.SMS["open_list"].format(
            count=len(items), items="；".join([*shown, item]) + LEFT_OUT
        )
        if units(trial) > limit:
            break
        shown.append(item)
    more = LEFT_OUT if len(shown) < len(items) else ""
    return prompts.SMS["open_list"].format(
        count=len(items), items="；".join(shown) + more
    )


def _item(issue, now):
    mark = prompts.WORDS["overdue"] if is_overdue(issue, now) else ""
    body = (issue["body"] or "").strip()
    if len(body) > ITEM_CHARS:
        body = body[:ITEM_CHARS] + MORE
    return f"{issue['id']}{mark} {body}"


def queue_digests(db):
    """The periodic job: once a local day, at DIGEST_HOUR, a summary to each head."""
    local_now = clock.local()
    hour = current_app.config["DIGEST_HOUR"]
    if local_now.hour < hour:
        return 0
    digest_at = local_now.replace(hour=hour, minute=0, second=0, microsecond=0)
    since = clock.stamp(digest_at - timedelta(days=1))

    queued = 0
    for head_phone in _head_phones(db):
        dedupe_key = f"digest:{local_now.date().isoformat()}:{head_phone}"
        if db.execute(
            "SELECT 1 FROM outbox WHERE dedupe_key = ?", [dedupe_key]
        ).fetchone():
            continue
        text = digest_text(db, head_phone, since)
        if text is None:
            continue
        queued += bool(
            outbox.queue(db, head_phone, text, kind="digest", dedupe_key=dedupe_key)
        )
        log.info("digest queued for %s", mask(head_phone))
    return queued


def _head_phones(db):
    rows = db.query(
        "SELECT DISTINCT head_phone FROM courtyards WHERE head_phone IS NOT NULL "
        "ORDER BY head_phone"
    )
    return [row["head_phone"] for row in rows]


def digest_text(db, head_phone, since):
    """The head's digest, or None when nothing is open and nothing newly rated."""
    courtyard_ids = {
        row["id"]
        for row in db.query(
            "SELECT id FROM courtyards WHERE head_phone = ?", [head_phone]
        )
    }
    now = clock.now()
    issues = open_issues(db, courtyard_ids, now)
    ratings = [
        row["note"]
        for row in db.query(
            "SELECT issue_events.note FROM issue_events JOIN issues "
            "ON issues.id = issue_events.issue_id WHERE issue_events.action = "
            f"'rated' AND issue_events.at >= ? AND issues.courtyard_id IN "
            f"({', '.join('?' for _ in courtyard_ids)})",
            [since, *sorted(courtyard_ids)],
        )
    ]
    if not issues and not ratings:
        return None
    return prompts.sms(
        "digest",
        open=len(issues),
        overdue=sum(1 for issue in issues if is_overdue(issue, now)),
        rated=len(ratings),
        unhappy=ratings.count(UNSATISFIED),
    )
