"""Markdown pages from content/pages/*.md, with YAML front matter (title, order)."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from generator import urls
from generator.messages import Message

_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)


@cache
def _markdown() -> Callable[[str], str]:
    # made on first use: importing markdown-it took 30 to 40 ms of every cablesite command's start,
    # and an archive need not have pages
    from markdown_it import MarkdownIt
    # html=False: raw HTML in a page is shown as text, like everything else the site publishes.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table").render


@dataclass(frozen=True)
class Page:
    """A rendered Markdown page."""

    source: str
    path: str
    title: str
    order: int
    html: str


def load_pages(folder: Path) -> tuple[list[Page], list[Message]]:
    """Every *.md under folder, sorted by order then title; problems become messages naming the file."""
    pages: list[Page] = []
    messages: list[Message] = []
    if not folder.is_dir():
        return pages, messages
    for path in sorted(folder.glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            messages.append(Message("bad-page", f"cannot read the page: {exc}", str(path), level="error"))
            continue
        meta: dict = {}
        m = _FRONT.match(text)
        if m:
            try:
                meta = yaml.safe_load(m.group(1)) or {}
            except yaml.YAMLError as exc:
                messages.append(Message("bad-front-matter", f"front matter is not valid YAML: {exc}", str(path), 1, "error"))
                meta = {}
            if not isinstance(meta, dict):
                messages.append(Message("bad-front-matter", "front matter must be a mapping", str(path), 1, "error"))
                meta = {}
            text = text[m.end():]
        title = str(meta.get("title") or path.stem.replace("-", " ").title())
        order = meta.get("order", 100)
        if not isinstance(order, int) or isinstance(order, bool):
            messages.append(Message("bad-front-matter", f"order must be a whole number, got {order!r}", str(path), 1))
            order = 100
        pages.append(Page(str(path), urls.page(path.stem), title, order, _markdown()(text)))
    pages.sort(key=lambda p: (p.order, p.title))
    return pages, messages
