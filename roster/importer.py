"""Importing the subdistrict roster and the households file into the ledger.

Re-importing the same file changes nothing; a row that cannot be used is reported by
its spreadsheet row number and reason, and the other rows still import.
"""

from dataclasses import dataclass, field

from courtyard import clock
from courtyard.phones import LANDLINE, InvalidPhone, normalise
from db import one, transaction
from ivr.pins import BadPin, hash_pin, pin_matches
from roster.readers import find_header, read_rows, split_name_phone

ROSTER_COLUMNS = {
    "courtyard": ("院落名称", "院落"),
    "head": ("院落长", "院落长姓名"),
    "community": ("村", "社区", "村社区", "村/社区"),
    "general_head": ("总院落长", "社区书记"),
    "households": ("农户户数", "户数"),
    "head_phone": ("联系方式", "联系电话", "院落长电话", "电话"),
    "remarks": ("备注",),
    "head_pin": ("PIN", "pin", "密码", "院落长密码"),
}
ROSTER_REQUIRED = ("courtyard", "head")

HOUSEHOLD_COLUMNS = {
    "courtyard": ("院落名称", "院落"),
    "name": ("户主姓名", "姓名", "户主"),
    "phone": ("联系电话", "电话", "联系方式", "手机"),
    "age": ("年龄",),
    "lives_alone": ("独居", "是否独居"),
    "prefers": ("接收方式",),
    "volunteer": ("志愿者", "是否志愿者"),
    "family_phone": ("家属电话", "子女电话"),
    "remarks": ("备注",),
}
HOUSEHOLD_REQUIRED = ("courtyard", "name")

_YES = {"是", "Y", "YES", "1", "√", "✓", "TRUE", "对"}
_NO = {"否", "N", "NO", "0", "×", "FALSE", "", "不是"}
_VOICE = {"语音", "电话", "voice", "VOICE", "打电话"}
_TEXT = {"短信", "文字", "text", "TEXT", "SMS", ""}


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list = field(default_factory=list)

    def problem(self, row_number, reason):
        self.problems.append((row_number, reason))


# Rows written in one transaction, so a big file never holds the ledger for long.
BATCH = 200


def _records(path, columns, required, fill_down, key, report):
    """Data rows under the header as (row number, {field: text}), blanks filled down.

    A row whose key fields repeat an earlier row's, or with a cell running over
    several lines (an unclosed quote in a CSV), is reported and left out.
    """
    rows = read_rows(path)
    header_at, mapping = find_header(rows, columns, required)
    above = {}
    seen = {}
    for number, cells in rows[header_at + 1 :]:
        if not any(cells):
            continue
        if any("\n" in cell for cell in cells):
            report.problem(
                number,
                "a cell runs over several lines (an unclosed quote?); row left out",
            )
            continue
        record = {
            name: cells[index] if index < len(cells) else ""
            for name, index in mapping.items()
        }
        for name in fill_down:
            if record.get(name):
                above[name] = record[name]
            elif name in above:
                record[name] = above[name]
        identity = tuple(record.get(name) for name in key)
        if all(identity) and identity in seen:
            report.problem(
                number,
                f"same {' and '.join(key)} as row {seen[identity]} "
                f"({' '.join(identity)}); give them distinct names; row left out",
            )
            continue
        seen[identity] = number
        yield number, record


def _in_batches(db, records, handle):
    """Call handle(number, record) for each record, committing every BATCH rows."""
    records = iter(records)
    while True:
        with transaction(db):
            for count, (number, record) in enumerate(records, start=1):
                handle(number, record)
                if count == BATCH:
                    break
            else:
                return


def _phone(text, report, number, what):
    """(E.164, kind) or (None, None) with a reported reason when it cannot be read."""
    if not text:
        return None, None
    try:
        return normalise(text)
    except InvalidPhone:
        report.problem(number, f"{what} {text!r} is not a phone number; left empty")
        return None, None


def _upsert(db, table, key_columns, values, report):
    """Insert or update one row by its natural key, counting what changed."""
    where = " AND ".join(f"[{name}] IS ?" for name in key_columns)
    current = one(
        db,
        f"SELECT * FROM [{table}] WHERE {where}",
        [values[name] for name in key_columns],
    )
    if current is None:
        columns = ", ".join(f"[{name}]" for name in values)
        marks = ", ".join("?" for _ in values)
        cursor = db.execute(
            f"INSERT INTO [{table}] ({columns}, updated_at) VALUES ({marks}, ?)",
            [*values.values(), clock.stamp()],
        )
        report.added += 1
        return cursor.lastrowid
    changed = {name: value for name, value in values.items() if current[name] != value}
    if changed:
        assignments = ", ".join(f"[{name}] = ?" for name in changed)
        db.execute(
            f"UPDATE [{table}] SET {assignments}, updated_at = ? WHERE id = ?",
            [*changed.values(), clock.stamp(), current["id"]],
        )
        report.updated += 1
    else:
        report.unchanged += 1
    return current["id"]


def import_roster(db, path):
    """Communities, general heads, courtyards and their heads."""
    report = ImportReport()
    communities = ImportReport()
    records = _records(
        path,
        ROSTER_COLUMNS,
        ROSTER_REQUIRED,
        fill_down=("community", "general_head"),
        key=("courtyard",),
        report=report,
    )

    def handle(number, record):
        name = record["courtyard"]
        if not name:
            report.problem(number, "no courtyard name")
            return

        community_id = None
        if record.get("community"):
            general_name, general_written = split_name_phone(
                record.get("general_head", "")
            )
            general_phone, _ = _phone(
                general_written, report, number, "general head's phone"
            )
            community_id = _upsert(
                db,
                "communities",
                ["name"],
                {
                    "name": record["community"],
                    "general_head_name": general_name,
                    "general_head_phone": general_phone,
                },
                communities,
            )

        head_name, head_written = split_name_phone(record["head"])
        head_written = record.get("head_phone") or head_written
        head_phone, _ = _phone(head_written, report, number, "head's phone")
        if not head_phone:
            report.problem(number, "no head's phone; alerts go to the general head")
        declared = _number(record.get("households"))
        if record.get("households") and declared is None:
            report.problem(
                number,
                f"households {record['households']!r} is not a number; left empty",
            )
        courtyard_id = _upsert(
            db,
            "courtyards",
            ["name"],
            {
                "name": name,
                "community_id": community_id,
                "households_declared": declared,
                "head_name": head_name,
                "head_phone": head_phone,
                "remarks": record.get("remarks") or None,
            },
            report,
        )
        if record.get("head_pin"):
            _set_pin(db, courtyard_id, record["head_pin"], report, number)

    _in_batches(db, records, handle)
    return report


def _set_pin(db, courtyard_id, pin, report, number):
    """Store the head's PIN as a hash, leaving an unchanged one alone."""
    current = one(
        db, "SELECT head_pin_hash FROM courtyards WHERE id = ?", [courtyard_id]
    )
    if pin_matches(current["head_pin_hash"], pin):
        return
    try:
        pin_hash = hash_pin(pin)
    except BadPin:
        report.problem(number, "PIN must be 4 to 8 digits; left unchanged")
        return
    db.execute(
        "UPDATE courtyards SET head_pin_hash = ? WHERE id = ?", [pin_hash, courtyard_id]
    )


def import_households(db, path):
    """Households of courtyards already on the roster."""
    report = ImportReport()
    records = _records(
        path,
        HOUSEHOLD_COLUMNS,
        HOUSEHOLD_REQUIRED,
        fill_down=("courtyard",),
        key=("courtyard", "name"),
        report=report,
    )
    courtyard_ids = {
        row["name"]: row["id"] for row in db.query("SELECT id, name FROM courtyards")
    }

    def handle(number, record):
        values = _household_values(record, courtyard_ids, report, number)
        if values is not None:
            _upsert(db, "households", ["courtyard_id", "name"], values, report)

    _in_batches(db, records, handle)
    return report


def _household_values(record, courtyard_ids, report, number):
    courtyard_id = courtyard_ids.get(record["courtyard"])
    if not record["courtyard"]:
        report.problem(number, "no courtyard name")
        return None
    if courtyard_id is None:
        report.problem(
            number,
            f"courtyard {record['courtyard']!r} is not on the roster; import it first",
        )
        return None
    if not record["name"]:
        report.problem(number, "no householder name")
        return None

    phone, kind = _phone(record.get("phone", ""), report, number, "phone")
    family_phone, _ = _phone(
        record.get("family_phone", ""), report, number, "family phone"
    )
    prefers = _choice(record.get("prefers", ""), report, number)
    if kind == LANDLINE:
        prefers = "voice"
    age = _number(record.get("age"))
    if record.get("age") and age is None:
        report.problem(number, f"age {record['age']!r} is not a number; left empty")
    return {
        "courtyard_id": courtyard_id,
        "name": record["name"],
        "phone": phone,
        "phone_written": record.get("phone") or None,
        "phone_kind": kind or "none",
        "age": age,
        "lives_alone": _yes(record.get("lives_alone", ""), report, number, "独居"),
        "prefers": prefers,
        "volunteer": _yes(record.get("volunteer", ""), report, number, "志愿者"),
        "family_phone": family_phone,
        "remarks": record.get("remarks") or None,
    }


def _number(text):
    try:
        return int(float(text)) if text not in (None, "") else None
    except ValueError:
        return None


def _yes(text, report, number, column):
    value = (text or "").strip().upper()
    if value in _YES:
        return 1
    if value not in _NO:
        report.problem(number, f"{column} {text!r} is neither 是 nor 否; taken as 否")
    return 0


def _choice(text, report, number):
    value = (text or "").strip()
    if value in _VOICE:
        return "voice"
    if value not in _TEXT:
        report.problem(number, f"接收方式 {text!r} is not 短信 or 语音; taken as 短信")
    return "text"
