"""Questions the service asked a phone and awaits an answer to, each with an expiry.

A phone may owe several answers at once (this morning's check-in, a rating, "did your
neighbour help?"); each is kept until it is answered or expires.
"""

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
