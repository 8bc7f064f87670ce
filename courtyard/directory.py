"""Who a phone belongs to: households, their courtyard, its head and volunteers."""

import prompts
from db import one

_HOUSEHOLD = """
SELECT households.*, courtyards.name AS courtyard_name,
       courtyards.head_name, courtyards.head_phone, courtyards.community_id,
       communities.general_head_phone
FROM households JOIN courtyards ON courtyards.id = households.courtyard_id
LEFT JOIN communities ON communities.id = courtyards.community_id
"""


def household_by_phone(db, phone):
    """The household registered on this phone, with its courtyard, or None."""
    if not phone:
        return None
    return one(
        db, _HOUSEHOLD + " WHERE households.phone = ? ORDER BY households.id", [phone]
    )


def family_of(db, phone):
    """The parent's household as seen by a registered family member, or None.

    The family member acts in the parent's courtyard, under a name that says who
    they are, and hears back on their own phone.
    """
    if not phone:
        return None
    parent = one(
        db,
        _HOUSEHOLD + " WHERE households.family_phone = ? ORDER BY households.id",
        [phone],
    )
    if parent is None:
        return None
    return {
        **parent,
        "name": prompts.sms("family_name", name=parent["name"]),
        "phone": phone,
        "is_family": True,
    }


def household(db, household_id):
    return one(db, _HOUSEHOLD + " WHERE households.id = ?", [household_id])


def courtyard(db, courtyard_id):
    return one(db, "SELECT * FROM courtyards WHERE id = ?", [courtyard_id])


def volunteers(db, courtyard_id, excluding=()):
    """Volunteers of a courtyard who can get a text, nearest first by id."""
    rows = db.query(
        "SELECT * FROM households WHERE courtyard_id = ? AND volunteer = 1 "
        "AND phone IS NOT NULL AND phone_kind = 'mobile' ORDER BY id",
        [courtyard_id],
    )
    return [row for row in rows if row["phone"] not in excluding]


def first_responder(household):
    """Who is alerted first about a household's matter: the courtyard head, or the
    community's general head where the courtyard has no head with a phone."""
    return household["head_phone"] or household["general_head_phone"]
