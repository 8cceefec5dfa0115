"""Cables per month as an inline SVG bar chart, drawn at build time so it needs no JavaScript."""
from __future__ import annotations

from collections.abc import Mapping

WIDTH, HEIGHT, AXIS = 720, 120, 16


def months_between(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    """Every (year, month) from first to last inclusive."""
    out, (y, m) = [], first
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def timeline_svg(counts: Mapping[tuple[int, int] | None, int], label: str) -> str:
    """An SVG of how many cables fall in each month (`counts`, by (year, month); undated ones, under None, are
    left out); empty string when none are dated."""
    counts = {ym: n for ym, n in counts.items() if ym is not None and n}
    if not counts:
        return ""
    months = months_between(min(counts), max(counts))
    peak = max(counts.values())
    bar = WIDTH / len(months)
    plot = HEIGHT - AXIS
    parts = [
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{_esc(label)}" '
        f'preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{_esc(label)}</title>",
    ]
    for i, ym in enumerate(months):
        n = counts.get(ym, 0)
        if n:
            h = max(1.0, plot * n / peak)
            parts.append(
                f'<rect x="{i * bar:.2f}" y="{plot - h:.2f}" width="{max(bar - 0.5, 0.5):.2f}" height="{h:.2f}">'
                f"<title>{ym[0]:04d}-{ym[1]:02d}: {n} cable{'s' if n != 1 else ''}</title></rect>"
            )
    years = sorted({y for y, _ in months})
    step = max(1, len(years) // 12)
    for y in years[::step]:
        i = months.index((y, 1)) if (y, 1) in months else 0
        parts.append(f'<text x="{i * bar + 1:.2f}" y="{HEIGHT - 3}">{y}</text>')
    parts.append(f'<line x1="0" y1="{plot}" x2="{WIDTH}" y2="{plot}"/></svg>')
    return "".join(parts)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
