"""What a resident can look up: the latest notices and their points."""

import prompts
from courtyard import clock

NOTICES_SHOWN = 3


def latest_notices(db, household, limit=NOTICES_SHOWN):
    """Notices for the resident's courtyard, community or everyone, newest first."""
    return list(
        db.query(
            "SELECT * FROM notices WHERE (courtyard_id = ?) "
            "OR (courtyard_id IS NULL AND community_id = ?) "
            "OR (courtyard_id IS NULL AND community_id IS NULL) "
            "ORDER BY created_at DESC, id DESC LIMIT ?",
            [household["courtyard_id"], household["community_id"], limit],
        )
    )


def notices_text(db, household):
    notices = latest_notices(db, household)
    if not notices:
        return prompts.sms("no_notices")
    items = [
        prompts.SMS["notice_item"].format(
            date=_month_day(row["created_at"]), body=row["body"]
        )
        for row in notices
    ]
    return prompts.sms("notices", notices="；".join(items))


def _month_day(stamp):
    moment = clock.local(clock.parse(stamp))
    return prompts.WORDS["month_day"].format(month=moment.month, day=moment.day)


def balance(db, household_id):
    row = next(
        db.query(
            "SELECT COALESCE(SUM(points), 0) AS total FROM points "
            "WHERE household_id = ?",
            [household_id],
        )
    )
    return row["total"]


def courtyard_standing(db, courtyard_id):
    """(points of the courtyard, its rank, how many courtyards) — ties share a rank."""
    totals = {
        row["id"]: row["total"]
        for row in db.query(
            "SELECT courtyards.id, COALESCE(SUM(points.points), 0) AS total "
            "FROM courtyards LEFT JOIN households ON households.courtyard_id = "
            "courtyards.id LEFT JOIN points ON points.household_id = households.id "
            "GROUP BY courtyards.id"
        )
    }
    mine = totals.get(courtyard_id, 0)
    rank = 1 + sum(1 for total in totals.values() if total > mine)
    return mine, rank, len(totals)


def points_text(db, household):
    courtyard_points, rank, courtyards = courtyard_standing(
        db, household["courtyard_id"]
    )
    return prompts.sms(
        "points",
        points=balance(db, household["id"]),
        courtyard_points=courtyard_points,
        rank=rank,
        courtyards=courtyards,
    )
