from roster.instructors import import_instructors
from tests.conftest import DEMO


def test_instructors_are_set_on_their_courtyards(demo, db):
    rows = db.query(
        "SELECT name, instructor_name, instructor_phone FROM courtyards "
        "WHERE name IN ('金银4组白坟堡', '红星9组移民点', '均安4组蚱蜢岩') ORDER BY id"
    )

    assert [tuple(row.values()) for row in rows] == [
        ("金银4组白坟堡", "王建国", "+8613900000301"),
        ("红星9组移民点", "刘春梅", "+8613900000302"),
        ("均安4组蚱蜢岩", "蒋志明", "+8613900000303"),
    ]


def test_reimporting_changes_nothing(demo, db):
    with demo.app_context():
        report = import_instructors(db, DEMO / "instructors.csv")

    assert (report.updated, report.unchanged, report.problems) == (0, 8, [])


def test_a_changed_instructor_is_updated(demo, db, tmp_path):
    path = tmp_path / "instructors.csv"
    path.write_text("院落名称,指导员\n黄家湾,何小军 139-0000-0399\n", encoding="utf-8")

    with demo.app_context():
        report = import_instructors(db, path)

    assert (report.updated, report.unchanged) == (1, 0)
    row = next(db.query("SELECT * FROM courtyards WHERE name = '黄家湾'"))
    assert (row["instructor_name"], row["instructor_phone"]) == (
        "何小军",
        "+8613900000399",
    )


def test_unknown_courtyard_and_bad_phone_are_reported(demo, db, tmp_path):
    path = tmp_path / "instructors.csv"
    path.write_text(
        "院落名称,指导员,联系方式\n石板沟,王建国,13900000301\n黄家湾,彭晓红,12345\n",
        encoding="utf-8",
    )

    with demo.app_context():
        report = import_instructors(db, path)

    assert report.problems == [
        (2, "courtyard '石板沟' is not on the roster; import it first"),
        (3, "instructor's phone '12345' is not a phone number; left empty"),
    ]


def test_load_demo_imports_instructors(app, runner):
    with app.app_context():
        result = runner.invoke(args=["load-demo"])

    assert "instructors.csv: 0 instructors added, 8 updated, 0 unchanged." in (
        result.output
    )
