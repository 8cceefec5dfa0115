"""Helpers that read a built site: its links, anchors and pages (used by the site and browser tests)."""
from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for key in ("href", "src"):
            if a.get(key) and not (tag == "form"):
                self.links.append(a[key])
        if tag == "form" and a.get("action"):
            self.links.append(a["action"])


def read_page(path: Path) -> _Links:
    """The links and ids of one HTML file."""
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def check_links(site: Path) -> tuple[list[str], set[str]]:
    """Every broken relative link or #anchor in the site, and the set of pages reachable from index.html."""
    pages = {f.relative_to(site).as_posix(): read_page(f) for f in site.rglob("*.html")}
    broken: list[str] = []
    for name, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme == "data":
                continue
            if parts.scheme or link.startswith("//"):
                broken.append(f"{name}: absolute link {link}")
                continue
            if link.startswith("/"):
                broken.append(f"{name}: root-relative link {link}")
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(parts.path))) if parts.path else name
            if not (site / target).is_file():
                broken.append(f"{name}: {link} -> missing {target}")
                continue
            if parts.fragment and target.endswith(".html") and parts.fragment not in pages[target].ids:
                broken.append(f"{name}: {link} -> no #{parts.fragment} in {target}")
    reachable, todo = set(), ["index.html"]
    while todo:
        name = todo.pop()
        if name in reachable or name not in pages:
            continue
        reachable.add(name)
        for link in pages[name].links:
            parts = urlsplit(link)
            if parts.path and not parts.scheme:
                todo.append(posixpath.normpath(posixpath.join(posixpath.dirname(name), parts.path)))
    return broken, reachable
