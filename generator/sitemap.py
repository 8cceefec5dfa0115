"""sitemap.xml and robots.txt, written when the site has a base URL (a sitemap needs absolute addresses)."""
from __future__ import annotations

from generator import urls
from generator.feeds import escape
from generator.settings import Settings


def sitemap(settings: Settings, paths: list[str]) -> list[tuple[str, str]]:
    """sitemap.xml listing every HTML page but 404.html, and robots.txt pointing at it; none without a base URL."""
    if not settings.base_url:
        return []
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for p in sorted(paths):
        if p.endswith(".html") and p != urls.NOT_FOUND:
            lines.append(f"<url><loc>{escape(urls.absolute(settings.base_url, p))}</loc></url>")
    lines.append("</urlset>\n")
    robots = f"User-agent: *\nAllow: /\nSitemap: {urls.absolute(settings.base_url, urls.SITEMAP)}\n"
    return [(urls.SITEMAP, "\n".join(lines)), (urls.ROBOTS, robots)]
