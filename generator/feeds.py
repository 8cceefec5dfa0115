"""Atom feeds of the latest cables by release date: one for the archive, one per tag."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape as _escape

from generator import urls
from generator.archive import Archive
from generator.cable import Cable
from generator.settings import Settings

LATEST = 50


def escape(text: str) -> str:
    """Text as XML character data (html's escape: xml.sax.saxutils would import urllib.request, 30 ms at startup)."""
    return _escape(text, quote=False)


def quoteattr(value: str) -> str:
    """A value as a quoted XML attribute."""
    return f'"{_escape(value)}"'


def _when(c: Cable) -> datetime:
    return c.released or c.created or datetime(1970, 1, 1)


def _stamp(d: datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:00Z")


def _link(settings: Settings, feed_path: str, target: str) -> str:
    return urls.absolute(settings.base_url, target) if settings.base_url else urls.relative(feed_path, target)


@dataclass(frozen=True)
class Feed:
    """One feed: where it is written, its title, the page it stands for and the cables it carries, latest first."""

    path: str
    title: str
    page: str
    ids: tuple[str, ...]


def _latest(archive: Archive, ids: tuple[str, ...]) -> tuple[str, ...]:
    cables = sorted((archive.cables[i] for i in ids), key=lambda c: (_when(c), c.reference_id), reverse=True)
    return tuple(c.reference_id for c in cables[:LATEST])  # type: ignore[misc]


def feed_list(archive: Archive, settings: Settings) -> list[Feed]:
    """The archive's feed and one feed per tag, each with the LATEST most recently released of its cables."""
    out = [Feed(urls.FEED, f"{settings.title}: latest cables", urls.HOME, _latest(archive, archive.newest_first))]
    for tag, ids in archive.by_tag.items():
        out.append(Feed(urls.tag_feed(tag), f"{settings.title}: tag {tag}", urls.tag(tag), _latest(archive, ids)))
    return out


def atom(archive: Archive, settings: Settings, feed: Feed) -> str:
    """The feed's Atom document."""
    feed_path, title, page = feed.path, feed.title, feed.page
    cables = [archive.cables[i] for i in feed.ids]
    updated = _stamp(_when(cables[0])) if cables else "1970-01-01T00:00:00Z"
    feed_id = urls.absolute(settings.base_url, feed_path) if settings.base_url else f"urn:cablesite:{feed_path}"
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"<title>{escape(title)}</title>", f"<id>{escape(feed_id)}</id>", f"<updated>{updated}</updated>",
           f'<link rel="self" href={quoteattr(_link(settings, feed_path, feed_path))}/>',
           f'<link rel="alternate" type="text/html" href={quoteattr(_link(settings, feed_path, page))}/>',
           f"<author><name>{escape(settings.title)}</name></author>"]
    for c in cables:
        path = archive.paths[c.reference_id]  # type: ignore[index]
        entry_id = urls.absolute(settings.base_url, path) if settings.base_url else f"urn:cablesite:cable:{c.reference_id}"
        title = f"{c.reference_id}: {c.subject or '(no subject)'}"
        out += ["<entry>", f"<title>{escape(title)}</title>",
                f"<id>{escape(entry_id)}</id>", f"<updated>{_stamp(_when(c))}</updated>",
                f'<link rel="alternate" type="text/html" href={quoteattr(_link(settings, feed_path, path))}/>']
        if c.created:
            out.append(f"<published>{_stamp(c.created)}</published>")
        for t in c.tags:
            out.append(f"<category term={quoteattr(t)}/>")
        lead = c.text_ref.lead if c.text_ref else (c.blocks[0].text[:500] if c.blocks else "")
        summary = c.summary or lead
        out.append(f"<summary>{escape(summary)}</summary>")
        out.append("</entry>")
    out.append("</feed>\n")
    return "\n".join(out)
