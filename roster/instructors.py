"""Importing each courtyard's instructor from a small extra file.

The subdistrict roster names courtyard heads and general heads but not instructors;
the village committee keeps those in a short list: courtyard name, instructor (a name
and a phone, in one cell or two). Re-importing the same file changes nothing.
"""

from courtyard import clock
from db import one, transaction
from roster.importer import ImportReport, _phone, _records
from roster.readers import split_name_phone

INSTRUCTOR_COLUMNS = {
    "courtyard": ("院落名称", "院落"),
    "instructor": ("院落指导员", "指导员", "指导员姓名"),
    "phone": ("联系方式", "联系电话", "电话", "指导员电话"),
}
INSTRUCTOR_REQUIRED = ("courtyard", "instructor")


def import_instructors(db, path):
    """Set the instructor of courtyards already on the roster."""
    report = ImportReport()
    records = _records(
        path,
        INSTRUCTOR_COLUMNS,
        INSTRUCTOR_REQUIRED,
        fill_down=(),
        key=("courtyard",),
        report=report,
    )
    with transaction(db):
        for number, record in records:
            courtyard = one(
                db, "SELECT * FROM courtyards WHERE name = ?", [record["courtyard"]]
            )
            if courtyard is None:
                report.problem(
                    number,
                    f"courtyard {record['courtyard']!r} is not on the roster; "
                    "import it first",
                )
                continue

            name, written = split_name_phone(record["instructor"])
            phone, _ = _phone(
                record.get("phone") or written, report, number, "instructor's phone"
            )
            _set_instructor(db, courtyard, name, phone, report)
    return report


def _set_instructor(db, courtyard, name, phone, report):
    if (courtyard["instructor_name"], courtyard["instructor_phone"]) == (name, phone):
        report.unchanged += 1
        return
    db.execute(
        "UPDATE courtyards SET instructor_name = ?, instructor_phone = ?, "
        "updated_at = ? WHERE id = ?",
        [name, phone, clock.stamp(), courtyard["id"]],
    )
    report.updated += 1
