"""Every output path of the site, and relative links between them. Nothing else builds a path.

Paths are POSIX, relative to the site root, and made only of characters that are safe on every file
system, so no reference id, tag or origin can point outside the output folder.
"""
from __future__ import annotations

import re
from functools import lru_cache
import unicodedata

HOME = "index.html"
SEARCH = "search.html"
NOT_FOUND = "404.html"
TAGS = "tags.html"
ORIGINS = "origins.html"
CLASSIFICATIONS = "classifications.html"
DATES = "dates.html"
STYLE = "static/style.css"
SCRIPT = "static/cablesite.js"
SEARCH_SCRIPT = "static/search.js"
LUNR = "static/lunr.min.js"
SEARCH_MANIFEST = "search/manifest.js"  # the search index's table of contents, made by search/parts.py
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
REDIRECTS = "_redirects"


def safe_name(text: str, keep_case: bool = True) -> str:
    """A file-name-safe form of any text: ASCII letters, digits, '-' and '_' only, never empty or dotted."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    t = re.sub(r"[^A-Za-z0-9_-]+", "_", t).strip("_")
    if not keep_case:
        t = t.lower()
    return t[:120] or "_"


def slug(text: str) -> str:
    """A lowercase hyphenated slug: `Embassy Moscow` -> `embassy-moscow`."""
    return safe_name(text, keep_case=False).replace("_", "-")


def cable(ref_slug: str, year: int | None, month: int | None) -> str:
    """`cable/2006/02/06MOSCOW1171.html`, the path WikiLeaks used; undated cables go to `cable/undated/`."""
    if year is None or month is None:
        return f"cable/undated/{ref_slug}.html"
    return f"cable/{year:04d}/{month:02d}/{ref_slug}.html"


def _paged(stem: str, page: int) -> str:
    return f"{stem}.html" if page <= 1 else f"{stem}-p{page}.html"


def tag(name: str, page: int = 1) -> str:
    """A tag's listing page: `tag/PREL.html`, then `tag/PREL-p2.html`."""
    return _paged(f"tag/{safe_name(name.upper())}", page)


def tag_feed(name: str) -> str:
    """A tag's Atom feed: `tag/PREL.xml`."""
    return f"tag/{safe_name(name.upper())}.xml"


def origin(name: str, page: int = 1) -> str:
    """An origin's listing page: `origin/embassy-moscow.html`."""
    return _paged(f"origin/{slug(name)}", page)


def classification(name: str, page: int = 1) -> str:
    """A classification's listing page: `classification/confidential-noforn.html`."""
    return _paged(f"classification/{slug(name)}", page)


def year(y: int) -> str:
    """A year's page, listing its months: `date/2006.html`."""
    return f"date/{y:04d}.html"


def month(y: int, m: int, page: int = 1) -> str:
    """A month's listing page: `date/2006-02.html`."""
    return _paged(f"date/{y:04d}-{m:02d}", page)


def page(name: str) -> str:
    """A Markdown page's path: `about.html`."""
    return f"{slug(name)}.html"


def relative(from_path: str, to_path: str) -> str:
    """The relative URL from one site path to another (fragments kept): works from file:// and any host."""
    target, _, fragment = to_path.partition("#")
    if target:
        folder, name = target.rpartition("/")[::2] if "/" in target else ("", target)
        up = _folder_to_folder(from_path.rpartition("/")[0], folder)
        rel = f"{up}/{name}" if up else name
    else:
        rel = from_path.rpartition("/")[2]
    return rel + (f"#{fragment}" if fragment else "")


@lru_cache(maxsize=65536)
def _folder_to_folder(start: str, folder: str) -> str:
    # site paths are already normal (no ".", "..", or empty segments: write.check_site_path), so the relative
    # path is a walk up past the common folders and down; posixpath.relpath's abspath cost a build 2% of its time
    here, there = start.split("/") if start else [], folder.split("/") if folder else []
    common = 0
    for a, b in zip(here, there):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


def absolute(base_url: str, path: str) -> str:
    """The public URL of a site path, given the base URL the site is published at."""
    return base_url.rstrip("/") + "/" + path
