"""Reading office spreadsheets as they really arrive.

CSV in UTF-8 (with or without BOM) or GB18030, XLSX with merged cells, title rows
above the header. Rows come back as (spreadsheet row number, [cell text, ...]).
"""

import csv
import io
import re
import unicodedata
from pathlib import Path

import openpyxl


class UnreadableFile(Exception):
    """The file is not a spreadsheet this importer can read."""


def read_rows(path):
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    return _csv_rows(path)


def _csv_rows(path):
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(f"{path.name} is neither UTF-8 nor GB18030 text.")
    reader = csv.reader(io.StringIO(text))
    return [
        (number, [cell.strip() for cell in row])
        for number, row in enumerate(reader, start=1)
    ]


def _xlsx_rows(path):
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(f"{path.name} cannot be opened as XLSX: {exc}") from exc
    sheet = book.worksheets[0]

    # A merged range holds its value in the top-left cell only; spread it over all.
    merged = {}
    for cell_range in sheet.merged_cells.ranges:
        value = sheet.cell(cell_range.min_row, cell_range.min_col).value
        for row in range(cell_range.min_row, cell_range.max_row + 1):
            for col in range(cell_range.min_col, cell_range.max_col + 1):
                merged[(row, col)] = value

    rows = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            value = merged.get((cell.row, cell.column), cell.value)
            cells.append(_cell_text(value))
        if cells:
            rows.append((row[0].row, cells))
    return rows


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def header_key(text):
    """A header cell reduced for matching: NFKC, no spaces, no parenthesised notes."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"\s+", "", text)
    return re.sub(r"\(.*?\)", "", text)


def find_header(rows, columns, required):
    """Locate the header row under any title rows; map each field to a column index.

    columns maps a field name to the header spellings that mean it. Returns
    (index of the header in rows, {field: column index}) or raises UnreadableFile.
    """
    for position, (_, cells) in enumerate(rows):
        keys = [header_key(cell) for cell in cells]
        found = {}
        for field, spellings in columns.items():
            for index, key in enumerate(keys):
                if key in spellings and index not in found.values():
                    found[field] = index
                    break
        if all(field in found for field in required):
            return position, found
    wanted = "、".join(columns[field][0] for field in required)
    raise UnreadableFile(f"No header row with the columns {wanted} was found.")


_NAME_PHONE = re.compile(r"^(?P<name>.*?)[\s:：]*(?P<phone>\+?\d[\d\s\-]{5,})$")


def split_name_phone(text):
    """'李秀英 13900000101', '陈建华13900000102' -> (name, phone); either may be ''."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    match = _NAME_PHONE.match(text)
    if not match:
        return text, ""
    return match["name"].strip(), match["phone"].strip()
