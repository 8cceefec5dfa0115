"""Format 1: a WikiLeaks cable page scraped to text, with a `Reference ID Created Released ...` header row."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from generator.cable.fields import CLASSIFICATIONS
from generator.cable.model import RawCable
from generator.messages import Message

NAME = "scraped"
_HEADER = re.compile(r"^\s*Reference ID\s+Created\s+Released\s+Classification\s+Origin\s*$", re.MULTILINE)
_ROW = re.compile(
    r"^\s*(?P<id>\S+)\s+(?P<created>\d{4}-\d{2}-\d{2} \d{2}:\d{2})\s+(?P<released>\d{4}-\d{2}-\d{2} \d{2}:\d{2})\s+"
    r"(?P<cls>" + "|".join(re.escape(c) for c in CLASSIFICATIONS) + r")\s+(?P<origin>\S.*?)\s*$"
)
# Where the scraping blog's comment form and footer begin: none of it is cable text.
_BOILERPLATE = re.compile(
    r"^\s*(?:Post a comment or leave a trackback|Leave a Reply|Fill in your details below|"
    r"%d bloggers like this|Connecting to %s|Share this:|Like this:)"
)


def detect(head: str) -> bool:
    """True when the text carries the scraped page's header row."""
    return bool(_HEADER.search(head))


def read(source: str, text: str) -> Iterator[RawCable | Message]:
    """Yield the one cable of a scraped page, its body cut from the page's boilerplate."""
    lines = text.split("\n")
    start = next((i for i, ln in enumerate(lines) if _HEADER.match(ln)), None)
    if start is None:
        yield Message("not-a-cable", "no 'Reference ID Created Released Classification Origin' header row", source, level="error")
        return
    row_i = next((i for i in range(start + 1, len(lines)) if lines[i].strip()), None)
    m = _ROW.match(lines[row_i]) if row_i is not None else None
    meta: dict = {}
    warnings: list[Message] = []
    if m:
        meta = {
            "reference_id": m.group("id"),
            "created": datetime.strptime(m.group("created"), "%Y-%m-%d %H:%M"),
            "released": datetime.strptime(m.group("released"), "%Y-%m-%d %H:%M"),
            "classification": m.group("cls"),
            "origin": m.group("origin"),
        }
        body_start = row_i + 1
    else:
        line_no = (row_i if row_i is not None else start) + 1
        warnings.append(Message("bad-header-row", "the metadata row under the header could not be read; deriving fields from the text", source, line_no))
        body_start = start + 1
    end = next((i for i in range(body_start, len(lines)) if _BOILERPLATE.match(lines[i])), len(lines))
    yield RawCable(source, NAME, tuple(lines[body_start:end]), body_start + 1, meta, tuple(warnings))
