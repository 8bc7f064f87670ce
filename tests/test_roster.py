"""Roster import: the spreadsheets offices really send."""

import pytest
from conftest import DEMO

from db import one
from roster.importer import import_households, import_roster
from roster.readers import UnreadableFile, split_name_phone


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def test_sample_roster(ctx, db):
    report = import_roster(db, DEMO / "roster-annex.csv")
    assert (report.added, report.updated, report.unchanged) == (8, 0, 0)
    assert report.problems == []
    rows = db.execute(
        "SELECT courtyards.name, communities.name, general_head_name, "
        "general_head_phone, head_name, head_phone, households_declared "
        "FROM courtyards JOIN communities ON communities.id = community_id "
        "ORDER BY courtyards.id LIMIT 3"
    ).fetchall()
    assert rows == [
        (
            "金银4组白坟堡",
            "金银社区",
            "李秀英",
            "+8613900000101",
            "赵德明",
            "+8613900000201",
            7,
        ),
        (
            "金银4组喻家坪",
            "金银社区",
            "李秀英",
            "+8613900000101",
            "孙玉兰",
            "+8613900000202",
            8,
        ),
        (
            "红星9组移民点",
            "红星社区",
            "陈建华",
            "+8613900000102",
            "钱长贵",
            "+8613900000203",
            5,
        ),
    ]


def test_sample_households(ctx, db):
    import_roster(db, DEMO / "roster-annex.csv")
    report = import_households(db, DEMO / "households.csv")
    assert (report.added, report.problems) == (57, [])

    def household(name):
        return one(
            db,
            "SELECT phone, phone_kind, prefers, lives_alone, volunteer, "
            "family_phone, age FROM households WHERE name = ?",
            [name],
        )

    assert household("郭长江") == {
        "phone": "+8613900010003",
        "phone_kind": "mobile",
        "prefers": "voice",
        "lives_alone": 0,
        "volunteer": 0,
        "family_phone": None,
        "age": 81,
    }
    assert household("张永贵")["phone"] == "+8613900010005"
    assert household("赵德福")["phone"] == "+8613900010009"
    assert household("高桂英")["phone"] == "+862372701234"
    assert household("高桂英")["phone_kind"] == "landline"
    assert household("高桂英")["prefers"] == "voice"
    assert household("陈大山")["phone"] is None
    assert household("陈大山")["phone_kind"] == "none"
    assert household("徐翠花")["lives_alone"] == 1
    assert household("徐翠花")["family_phone"] == "+8615800020015"


def test_reimport_changes_nothing(ctx, db):
    import_roster(db, DEMO / "roster-annex.csv")
    import_households(db, DEMO / "households.csv")
    before = db.execute("SELECT * FROM households ORDER BY id").fetchall()
    again = import_households(db, DEMO / "households.csv")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 57)
    assert db.execute("SELECT * FROM households ORDER BY id").fetchall() == before
    roster = import_roster(db, DEMO / "roster-annex.csv")
    assert (roster.added, roster.updated, roster.unchanged) == (0, 0, 8)


def test_changed_row_updates_in_place(ctx, db, tmp_path):
    import_roster(db, DEMO / "roster-annex.csv")
    changed = (
        (DEMO / "roster-annex.csv")
        .read_text(encoding="utf-8")
        .replace("赵德明,13900000201", "赵德明,139 0000 0299")
    )
    path = tmp_path / "roster.csv"
    path.write_text(changed, encoding="utf-8")
    report = import_roster(db, path)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 7)
    assert db.execute(
        "SELECT head_phone FROM courtyards WHERE name = '金银4组白坟堡'"
    ).fetchone() == ("+8613900000299",)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(ctx, db, tmp_path, encoding):
    path = tmp_path / "roster.csv"
    text = (DEMO / "roster-annex.csv").read_text(encoding="utf-8")
    path.write_bytes(text.encode(encoding))
    report = import_roster(db, path)
    assert report.added == 8
    assert db.execute("SELECT name FROM courtyards WHERE id = 1").fetchone() == (
        "金银4组白坟堡",
    )


def test_xlsx_with_merged_cells_and_title_rows(ctx, db, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["院落名单"])
    sheet.merge_cells("A1:H1")
    sheet.append([])
    sheet.append(
        [
            "序号",
            "村",
            "总院落长（社区书记）",
            "院落名称",
            "农户户数（户）",
            "院落长",
            "联系方式",
            "备注",
        ]
    )
    sheet.append(
        [1, "金银社区", "李秀英  13900000101", "白坟堡", 7, "赵德明", 13900000201, None]
    )
    sheet.append([None, None, None, "喻家坪", 8, "孙玉兰", "139-0000-0202", None])
    sheet.merge_cells("B4:B5")
    sheet.merge_cells("C4:C5")
    path = tmp_path / "roster.xlsx"
    book.save(path)

    report = import_roster(db, path)
    assert (report.added, report.problems) == (2, [])
    rows = db.execute(
        "SELECT courtyards.name, communities.name, general_head_phone, head_phone "
        "FROM courtyards JOIN communities ON communities.id = community_id"
    ).fetchall()
    assert rows == [
        ("白坟堡", "金银社区", "+8613900000101", "+8613900000201"),
        ("喻家坪", "金银社区", "+8613900000101", "+8613900000202"),
    ]


def test_bad_rows_are_reported_and_the_rest_imports(ctx, db, tmp_path):
    import_roster(db, DEMO / "roster-annex.csv")
    path = tmp_path / "households.csv"
    path.write_text(
        "户籍表\n"
        "序号,院落名称,户主姓名,联系电话,年龄,独居,接收方式,志愿者,家属电话,备注\n"
        "1,金银4组白坟堡,甲,13900099001,70,否,短信,否,,\n"
        "2,不存在的院落,乙,13900099002,70,否,短信,否,,\n"
        "3,金银4组白坟堡,,13900099003,70,否,短信,否,,\n"
        "4,金银4组白坟堡,丙,12345,七十,也许,信鸽,否,,\n"
        ",,,,,,,,,\n"
        "5,金银4组白坟堡,丁,13900099005,66,是,语音,是,158 0002 9999,\n",
        encoding="utf-8",
    )
    report = import_households(db, path)
    assert report.added == 3
    assert report.problems == [
        (4, "courtyard '不存在的院落' is not on the roster; import it first"),
        (5, "no householder name"),
        (6, "phone '12345' is not a phone number; left empty"),
        (6, "接收方式 '信鸽' is not 短信 or 语音; taken as 短信"),
        (6, "age '七十' is not a number; left empty"),
        (6, "独居 '也许' is neither 是 nor 否; taken as 否"),
    ]
    assert one(
        db, "SELECT phone, family_phone, volunteer FROM households WHERE name = '丁'"
    ) == {
        "phone": "+8613900099005",
        "family_phone": "+8615800029999",
        "volunteer": 1,
    }


def test_file_without_a_header_says_what_it_needs(ctx, db, tmp_path):
    path = tmp_path / "nonsense.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="院落名称、院落长"):
        import_roster(db, path)


def test_cli_reports_rows(demo, runner, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(
        "序号,村,总院落长（社区书记）,院落名称,农户户数（户）,院落长,联系方式,备注\n"
        "1,新社区,王五 13900000109,,3,张三,13900000299,\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["import-roster", str(path)])
    assert result.exit_code == 0
    assert result.output == (
        "roster.csv: 0 courtyards added, 0 updated, 0 unchanged.\n"
        "  row 2: no courtyard name\n"
    )


def test_cli_refuses_an_unreadable_file(app, runner, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xff\xfe\x00garbage")
    result = runner.invoke(args=["import-roster", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("李秀英 13900000101", ("李秀英", "13900000101")),
        ("陈建华13900000102", ("陈建华", "13900000102")),
        ("杨志强  13900000104", ("杨志强", "13900000104")),
        ("黄丽娟：139-0000-0105", ("黄丽娟", "139-0000-0105")),
        ("周国庆", ("周国庆", "")),
        ("", ("", "")),
    ],
)
def test_split_name_phone(cell, expected):
    assert split_name_phone(cell) == expected


def test_namesakes_in_one_courtyard_are_reported_not_overwritten(ctx, db, tmp_path):
    # Regression: a second household with the same name silently replaced the first.
    import_roster(db, DEMO / "roster-annex.csv")
    path = tmp_path / "households.csv"
    path.write_text(
        "序号,院落名称,户主姓名,联系电话,年龄,独居,接收方式,志愿者,家属电话,备注\n"
        "1,金银4组白坟堡,甲,13900099401,80,是,语音,否,,\n"
        "2,金银4组白坟堡,甲,13900099499,60,否,短信,否,,\n",
        encoding="utf-8",
    )
    first = import_households(db, path)
    assert (first.added, first.problems) == (
        1,
        [
            (
                3,
                "same courtyard and name as row 2 (金银4组白坟堡 甲); give them "
                "distinct names; row left out",
            )
        ],
    )
    again = import_households(db, path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
    assert db.execute("SELECT phone, age FROM households").fetchall() == [
        ("+8613900099401", 80)
    ]


def test_an_unclosed_quote_is_reported(ctx, db, tmp_path):
    import_roster(db, DEMO / "roster-annex.csv")
    path = tmp_path / "households.csv"
    path.write_text(
        "序号,院落名称,户主姓名,联系电话,年龄,独居,接收方式,志愿者,家属电话,备注\n"
        '1,金银4组白坟堡,"引号没关,13900099999,70,否,短信,否,,\n'
        "2,金银4组白坟堡,乙,13900099998,70,否,短信,否,,\n",
        encoding="utf-8",
    )
    report = import_households(db, path)
    assert report.added == 0
    assert report.problems == [
        (2, "a cell runs over several lines (an unclosed quote?); row left out")
    ]


def test_a_courtyard_without_a_head_phone_is_reported(ctx, db, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(
        "序号,村,总院落长（社区书记）,院落名称,农户户数（户）,院落长,联系方式,备注\n"
        "1,新社区,王五 13900000109,新院,七,张三,,\n",
        encoding="utf-8",
    )
    report = import_roster(db, path)
    assert report.added == 1
    assert report.problems == [
        (2, "no head's phone; alerts go to the general head"),
        (2, "households '七' is not a number; left empty"),
    ]


def test_a_large_file_is_written_in_batches(ctx, db, tmp_path, monkeypatch):
    # Regression: one transaction over a big file held the ledger for seconds.
    import roster.importer

    import_roster(db, DEMO / "roster-annex.csv")
    opened = []
    real = roster.importer.transaction

    def counting(database):
        opened.append(1)
        return real(database)

    monkeypatch.setattr(roster.importer, "transaction", counting)
    path = tmp_path / "households.csv"
    lines = ["序号,院落名称,户主姓名,联系电话,年龄,独居,接收方式,志愿者,家属电话,备注"]
    lines += [f"{n},金银4组白坟堡,户{n},,70,否,短信,否,," for n in range(1, 451)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert import_households(db, path).added == 450
    assert db["households"].count == 450
    assert len(opened) == 3
