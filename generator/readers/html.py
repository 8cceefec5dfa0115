"""Format 3: a WikiLeaks cable page as HTML (metadata table, `<pre>` blocks, `parN` anchors, tag links)."""
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser

from generator.cable.fields import known_classification
from generator.cable.model import RawCable
from generator.messages import Message

NAME = "html"
_PAR = re.compile(r"^par(\d+)$")


def detect(head: str) -> bool:
    """True for an HTML document."""
    h = head.lstrip()[:2000].lower()
    return h.startswith(("<!doctype html", "<html", "<?xml")) or "<html" in h or ("<pre" in h and "</" in h)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pre_depth = 0
        self.pres: list[tuple[int, list[str]]] = []
        self.anchors: list[str] = []
        self.in_td = self.in_th = self.in_title = self.in_h3 = False
        # text as pieces, joined once read: a string extended piece by piece is copied whole each time
        self.cells: list[list[str]] = []
        self.heads: list[list[str]] = []
        self.h3: list[str] = []
        self.title: list[str] = []
        self.tags: list[str] = []
        self.in_tag_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "pre":
            self.pre_depth += 1
            self.pres.append((self.getpos()[0], []))
        elif tag == "a":
            name = a.get("name") or a.get("id") or ""
            if self.pre_depth and _PAR.match(name):
                self.anchors.append(name)
            href = a.get("href") or ""
            self.in_tag_link = "/tag/" in href
        elif tag == "td":
            self.in_td = True
            self.cells.append([])
        elif tag == "th":
            self.in_th = True
            self.heads.append([])
        elif tag == "h3":
            self.in_h3 = True
        elif tag == "title":
            self.in_title = True
        elif tag == "br" and self.pre_depth:
            self.pres[-1][1].append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre" and self.pre_depth:
            self.pre_depth -= 1
        elif tag == "td":
            self.in_td = False
        elif tag == "th":
            self.in_th = False
        elif tag == "h3":
            self.in_h3 = False
        elif tag == "title":
            self.in_title = False
        elif tag == "a":
            self.in_tag_link = False

    def handle_data(self, data: str) -> None:
        if self.pre_depth:
            self.pres[-1][1].append(data)
            if self.in_tag_link and data.strip():
                self.tags.append(data.strip())
        elif self.in_td:
            self.cells[-1].append(data)
        elif self.in_th:
            self.heads[-1].append(data)
        elif self.in_h3:
            self.h3.append(data)
        elif self.in_title:
            self.title.append(data)


def _when(text: str) -> datetime | None:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        return None


def read(source: str, text: str) -> Iterator[RawCable | Message]:
    """Yield the page's cable: the `<pre>` text with its ¶ anchors, and the metadata table."""
    page = _Page()
    try:
        page.feed(text)
        page.close()
    except Exception as exc:  # html.parser is lenient; anything it still rejects is reported, not raised
        yield Message("bad-html", f"the HTML could not be read: {exc}", source, level="error")
        return
    if not page.pres:
        yield Message("not-a-cable", "an HTML page with no <pre> cable text", source, level="error")
        return
    meta: dict = {}
    heads = ["".join(h).strip().lower() for h in page.heads]
    cells = [re.sub(r"\s+", " ", "".join(c)).strip() for c in page.cells]
    if "reference id" in heads and len(cells) >= len(heads):
        row = dict(zip(heads, cells))
        meta["reference_id"] = row.get("reference id") or None
        meta["created"] = _when(row.get("created", ""))
        meta["released"] = _when(row.get("released", ""))
        meta["classification"] = known_classification(row.get("classification", "")) or (row.get("classification") or None)
        meta["origin"] = row.get("origin") or None
    title = re.sub(r"\s+", " ", html.unescape("".join(page.h3) or "".join(page.title))).strip()
    m = re.match(r"^Viewing cable\s+(\S+?),\s*(.+)$", title)
    if m:
        meta.setdefault("reference_id", m.group(1))
        meta["subject"] = m.group(2).strip()
    meta["tags"] = list(dict.fromkeys(page.tags))
    meta["wikileaks_anchors"] = page.anchors
    first_line = page.pres[0][0]
    body = "\n".join("".join(parts) for _, parts in page.pres)
    body = body.replace("\r\n", "\n")
    yield RawCable(source, NAME, tuple(body.split("\n")), first_line, {k: v for k, v in meta.items() if v not in (None, "")})
