"""Atom feeds of the latest cables by release date: one for the archive, one per tag."""
from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from generator import urls
from generator.archive import Archive
from generator.cable import Cable
from generator.settings import Settings

LATEST = 50


def _when(c: Cable) -> datetime:
    return c.released or c.created or datetime(1970, 1, 1)


def _stamp(d: datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:00Z")


def _link(settings: Settings, feed_path: str, target: str) -> str:
    return urls.absolute(settings.base_url, target) if settings.base_url else urls.relative(feed_path, target)


def atom(archive: Archive, settings: Settings, ids: tuple[str, ...], feed_path: str, title: str, page: str) -> str:
    """An Atom document of the LATEST most recently released cables among `ids`."""
    cables = sorted((archive.cables[i] for i in ids), key=lambda c: (_when(c), c.reference_id), reverse=True)[:LATEST]
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


def feeds(archive: Archive, settings: Settings) -> list[tuple[str, str]]:
    """The archive's feed and one feed per tag."""
    out = [(urls.FEED, atom(archive, settings, archive.newest_first, urls.FEED, f"{settings.title}: latest cables", urls.HOME))]
    for tag, ids in archive.by_tag.items():
        path = urls.tag_feed(tag)
        out.append((path, atom(archive, settings, ids, path, f"{settings.title}: tag {tag}", urls.tag(tag))))
    return out
