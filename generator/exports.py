"""The archive as data: every cable's metadata as JSON lines and CSV (published in site/data/), and the full
text for `cablesite export`."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from generator.archive import Archive
from generator.cable import Cable
from generator.cable.serialize import cable_json, metadata_json

META_FIELDS = ("reference_id", "created", "released", "classification", "origin", "subject", "tags", "references",
               "classified_by", "declassify_on", "summary", "signed_by", "path")


def metadata(c: Cable, path: str | None) -> dict:
    """One cable's metadata, without the body, as published in data/cables.jsonl."""
    row = metadata_json(c)
    row["path"] = path
    return row


def jsonl(rows: Iterable[dict]) -> Iterator[str]:
    """JSON lines, one object a line."""
    for r in rows:
        yield json.dumps(r, ensure_ascii=False) + "\n"


def csv_lines(rows: Iterable[dict], fields: tuple[str, ...]) -> Iterator[str]:
    """CSV with a header row, line by line; list values joined with spaces (tags) or commas (references)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(fields)
    for r in rows:
        w.writerow([" ".join(v) if isinstance(v, list) and k == "tags" else ",".join(v) if isinstance(v, list)
                    else "" if v is None else v for k, v in ((f, r.get(f)) for f in fields)])
        if buf.tell() > 1 << 16:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def site_data(archive: Archive) -> Iterator[tuple[str, Iterable[str]]]:
    """data/cables.jsonl and data/cables.csv: every cable's metadata, oldest first, as chunks of text made
    while they are written (the full release's would be hundreds of megabytes held at once)."""
    def rows() -> Iterator[dict]:
        return (metadata(archive.cables[i], archive.paths[i]) for i in reversed(archive.newest_first))
    yield "data/cables.jsonl", jsonl(rows())
    yield "data/cables.csv", csv_lines(rows(), META_FIELDS)


FULL_FIELDS = (*META_FIELDS, "body")


def full_text_rows(archive: Archive) -> Iterator[dict]:
    """Every cable with its body, for `cablesite export` (the JSON of `cablesite parse --json` plus `path`)."""
    for rid in reversed(archive.newest_first):
        row = cable_json(archive.full(rid))
        row["path"] = archive.paths[rid]
        row["body"] = archive.full(rid).body_text()
        yield row
