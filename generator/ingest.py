"""Read and parse source files: the build's first two stages, one file at a time so they can run in workers."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.cable import Cable, RawCable, parse
from generator.cable.audit import lost_text
from generator.cache import ParseCache
from generator.messages import Message
from generator.sources import read_file


@dataclass(frozen=True)
class FileResult:
    """What one source file gave: its cables and the messages about it."""

    source: str
    cables: tuple[Cable, ...]
    messages: tuple[Message, ...]


def parse_file(path: Path, display: str, audit: bool = True, cache_dir: Path | None = None) -> FileResult:
    """Read one file and parse each cable in it (or take the result from the cache); never raises for its content."""
    cache = ParseCache(cache_dir) if cache_dir else None
    key = cache.key(path, display) if cache else None
    if cache and key and audit and (hit := cache.get(key)) is not None:
        return hit
    result = _parse_file(path, display, audit)
    if cache and key and audit:
        cache.put(key, result)
    return result


def _parse_file(path: Path, display: str, audit: bool) -> FileResult:
    cables: list[Cable] = []
    messages: list[Message] = []
    try:
        for item in read_file(path, display):
            if isinstance(item, Message):
                messages.append(item)
                continue
            cables.append(parse_raw(item, messages, audit))
    except Exception as exc:  # a bug must cost this file only, and say so
        messages.append(Message("internal-error", f"cablesite failed on this file: {type(exc).__name__}: {exc}", display, level="error"))
    return FileResult(display, tuple(cables), tuple(messages))


def parse_raw(raw: RawCable, messages: list[Message], audit: bool = True) -> Cable:
    """Parse one RawCable; with audit, add an error if any of its text did not come through."""
    try:
        cable = parse(raw)
    except Exception as exc:
        messages.append(Message("internal-error", f"the parser failed: {type(exc).__name__}: {exc}", raw.source, raw.first_line, "error"))
        cable = Cable(source=raw.source, reference_id=raw.meta.get("reference_id"), source_format=raw.source_format)
    if audit and (where := lost_text(raw, cable)):
        messages.append(Message("text-lost", f"parsed text differs from the source: {where}", raw.source, raw.first_line, "error"))
    return cable


def parse_files(paths: Iterable[tuple[Path, str]], jobs: int = 1, audit: bool = True,
                cache_dir: Path | None = None) -> Iterator[FileResult]:
    """Parse many files, in worker processes when jobs > 1; results come in the order of `paths`."""
    items = list(paths)
    if jobs <= 1 or len(items) < 2:
        for path, display in items:
            yield parse_file(path, display, audit, cache_dir)
        return
    n = len(items)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        chunk = max(1, min(64, n // (jobs * 8) or 1))
        yield from pool.map(parse_file, [p for p, _ in items], [d for _, d in items], [audit] * n, [cache_dir] * n,
                            chunksize=chunk)
