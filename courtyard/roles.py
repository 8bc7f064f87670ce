"""Who answers for a courtyard: its head, instructor, general head, the subdistrict.

The same order is the escalation ladder: an issue nobody acknowledges climbs it.
"""

import logging

from flask import current_app

import prompts
from courtyard.phones import InvalidPhone, mask, normalise

log = logging.getLogger(__name__)

# Rungs of the ladder above the head, who is alerted when an issue opens.
HEAD = 0
INSTRUCTOR = 1
GENERAL_HEAD = 2
SUBDISTRICT = 3
TOP = SUBDISTRICT

# How a rung is named in texts to heads and staff.
RUNG_NAMES = {
    HEAD: prompts.WORDS["head"],
    INSTRUCTOR: prompts.WORDS["instructor"],
    GENERAL_HEAD: prompts.WORDS["general_head"],
    SUBDISTRICT: prompts.WORDS["subdistrict"],
}


def subdistrict_phones():
    """The subdistrict office's phones from SUBDISTRICT_PHONES, in E.164."""
    phones = []
    for written in (
        current_app.config["SUBDISTRICT_PHONES"].replace("，", ",").split(",")
    ):
        if not written.strip():
            continue
        try:
            phones.append(normalise(written)[0])
        except InvalidPhone:
            log.warning("SUBDISTRICT_PHONES holds %s, not a phone", mask(written))
    return phones


def title(db, courtyard_id, phone):
    """What a phone is to a courtyard, as residents call it: 院落长, 指导员 …"""
    if phone in subdistrict_phones():
        return RUNG_NAMES[SUBDISTRICT]
    for rung in (INSTRUCTOR, GENERAL_HEAD):
        if any(found == phone for _, found in contacts(db, courtyard_id, rung)):
            return RUNG_NAMES[rung]
    return RUNG_NAMES[HEAD]


def scope(db, phone):
    """The ids of the courtyards a phone may act on as head, instructor or staff."""
    if not phone:
        return set()
    if phone in subdistrict_phones():
        return {row["id"] for row in db.query("SELECT id FROM courtyards")}
    rows = db.query(
        "SELECT courtyards.id FROM courtyards LEFT JOIN communities "
        "ON communities.id = courtyards.community_id "
        "WHERE courtyards.head_phone = ? OR courtyards.instructor_phone = ? "
        "OR communities.general_head_phone = ?",
        [phone, phone, phone],
    )
    return {row["id"] for row in rows}


def contacts(db, courtyard_id, rung):
    """[(name, phone)] to alert on one rung of a courtyard's ladder."""
    if rung == SUBDISTRICT:
        return [(RUNG_NAMES[SUBDISTRICT], phone) for phone in subdistrict_phones()]
    columns = {
        HEAD: "courtyards.head_name, courtyards.head_phone",
        INSTRUCTOR: "courtyards.instructor_name, courtyards.instructor_phone",
        GENERAL_HEAD: "communities.general_head_name, communities.general_head_phone",
    }[rung]
    rows = db.execute(
        f"SELECT {columns} FROM courtyards LEFT JOIN communities "
        "ON communities.id = courtyards.community_id WHERE courtyards.id = ?",
        [courtyard_id],
    ).fetchall()
    return [(name or RUNG_NAMES[rung], phone) for name, phone in rows if phone]
