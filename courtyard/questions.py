"""Questions the service asked a phone and awaits an answer to, each with an expiry.

A phone may owe several answers at once (this morning's check-in, a rating, "did your
neighbour help?"); each is kept until it is answered or expires.
"""

import re

from courtyard import clock


def ask(db, phone, question, expires_at, issue_id=None):
    """Record a question asked of phone; asking it again renews it."""
    db.execute(
        "INSERT OR REPLACE INTO pending_questions (phone, question, issue_id, "
        "asked_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        [phone, question, issue_id, clock.stamp(), clock.stamp(expires_at)],
    )


def answered(db, phone, question):
    db.execute(
        "DELETE FROM pending_questions WHERE phone = ? AND question = ?",
        [phone, question],
    )


def pending(db, phone):
    """{question: row} of what this phone has yet to answer."""
    cursor = db.execute(
        "SELECT * FROM pending_questions WHERE phone = ? AND expires_at > ?",
        [phone, clock.stamp()],
    )
    columns = [column[0] for column in cursor.description]
    rows = (dict(zip(columns, values, strict=True)) for values in cursor.fetchall())
    return {row["question"]: row for row in rows}


TRAILING = "。.！!?？~～,，、;；… "
_DIGIT_ANSWER = re.compile(r"([12])(?:$|[\s,，:：.。、!！]+(.*))", re.S)


def read_answer(folded, yes_words, no_words):
    """(True for yes / False for no / None if unclear, whatever else was said).

    "1", "1。", "2 还是歪的" answer by their digit and keep the rest; otherwise the
    text is read by how it starts, yes words first so "没问题" is not read as "没",
    and a longer answer ("还没有人来") is kept whole.
    """
    text = folded.strip().rstrip(TRAILING)
    digit = _DIGIT_ANSWER.fullmatch(text)
    if digit:
        return digit[1] == "1", (digit[2] or "").strip()
    for words, answer in ((yes_words, True), (no_words, False)):
        for word in words:
            if text.startswith(word):
                return answer, text if len(text) > len(word) else ""
    return None, ""
