"""Format 4: rows of WikiLeaks' `cables.csv` (id, date, reference id, origin, classification, references,
header, text), MySQL-style backslash escapes, read row by row so a 1.7 GB file streams."""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from generator.cable.fields import known_classification
from generator.cable.model import RawCable
from generator.messages import Message

NAME = "csv"
COLUMNS = ("row_id", "date", "reference_id", "origin", "classification", "references", "header", "text")
_FIRST = re.compile(r'^\s*"?\d+"?\s*,\s*"?\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}"?\s*,')
_HEADER_ROW = re.compile(r'^\s*"?(?:id|row_?id)"?\s*,\s*"?date"?\s*,', re.IGNORECASE)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_UNESCAPE = {'"': '""', "\\": "\\", "'": "'", "n": "\n", "t": "\t", "r": "", "0": "", "Z": "", "b": ""}

csv.field_size_limit(1 << 30)


def detect(head: str) -> bool:
    """True when the first line is a cables.csv row or its header row."""
    first = head.lstrip("\ufeff").split("\n", 1)[0]
    return bool(_FIRST.match(first) or _HEADER_ROW.match(first))


@dataclass
class Position:
    """How far a read of a file has come: bytes, lines and rows read, kept up to date row by row, so that a
    later read can start where a row ends (`encoding` is what the bytes are decoded with; `exact` turns false
    where a byte could not be decoded, and with it the byte count)."""

    byte: int = 0
    line: int = 0
    row: int = 0
    encoding: str = "utf-8"
    exact: bool = True
    csv: bool = False  # the counts mean something only in a cables.csv, read row by row


def _unescaped(lines: Iterable[str], at: Position | None = None) -> Iterator[str]:
    # MySQL writes \" for a quote and \\ for a backslash; the csv module wants "" and a plain \.
    encoding = "utf-8" if at is None or at.encoding == "utf-8-sig" else at.encoding  # (no BOM per line)
    for line in lines:
        if at is not None:
            at.byte += len(line) if line.isascii() else len(line.encode(encoding, "replace"))
            if "\ufffd" in line:
                at.exact = False
        yield _ESCAPE.sub(lambda m: _UNESCAPE.get(m.group(1), m.group(1)), line) if "\\" in line else line


def read_stream(source: str, stream: TextIO, at: Position | None = None) -> Iterator[RawCable | Message]:
    """Yield one RawCable per good row and one message per malformed row, naming the row's line. With `at`,
    count on from it (a read that starts where a row ends) and keep it up to date as each row is read."""
    if at is not None:
        at.csv = True
    reader = csv.reader(_unescaped(stream, at), strict=False)
    row_no = at.row if at else 0
    first_line = at.line if at else 0
    end_line = first_line
    while True:
        start_line = end_line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end_line = first_line + reader.line_num
            if at:
                at.line = end_line
            yield Message("bad-csv-row", f"row could not be read: {exc}", source, start_line, "error")
            continue
        end_line = first_line + reader.line_num
        row_no += 1
        if at:
            at.line, at.row = end_line, row_no
        if row_no == 1 and row and _HEADER_ROW.match(",".join(row[:2])):
            continue
        if not any(f.strip() for f in row):
            continue
        if len(row) != len(COLUMNS):
            yield Message("bad-csv-row", f"row {row_no} has {len(row)} columns, expected {len(COLUMNS)}", source, start_line, "error")
            continue
        rec = dict(zip(COLUMNS, row))
        try:
            created = datetime.strptime(rec["date"].strip(), "%m/%d/%Y %H:%M")
        except ValueError:
            yield Message("bad-csv-row", f"row {row_no}: date {rec['date']!r} is not MM/DD/YYYY HH:MM", source, start_line, "error")
            continue
        header = _CONTROLS.sub("", rec["header"].replace("\r\n", "\n")).strip("\n")
        text = _CONTROLS.sub("", rec["text"].replace("\r\n", "\n"))
        lines = (header.split("\n") + [""] if header else []) + text.split("\n")
        refs = [r.strip() for r in rec["references"].split(",") if r.strip()]
        meta = {
            "reference_id": rec["reference_id"].strip() or None,
            "created": created,
            "origin": rec["origin"].strip() or None,
            "classification": known_classification(rec["classification"]) or (rec["classification"].strip() or None),
            "csv_references": refs,
            "row": row_no,
        }
        yield RawCable(source, NAME, tuple(lines), start_line, {k: v for k, v in meta.items() if v is not None})
