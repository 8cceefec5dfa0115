"""A progress bar on a terminal for long builds (tqdm); nothing when output is not a terminal or is quiet."""
from __future__ import annotations

import resource
import time

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def progress(items: Iterable[T], total: int | None, what: str, quiet: bool = False) -> Iterator[T]:
    """Yield the items, showing a bar (a count when the total is not known) on stderr when it is a terminal
    and the work is long enough to watch."""
    if quiet or (total is not None and total < 500) or not sys.stderr.isatty():
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, total=total, desc=f"cablesite: {what}", unit="page", file=sys.stderr, leave=False)


class Stages:
    """How long each stage of a build took and the process's peak memory after it, for `--verbose`."""

    def __init__(self) -> None:
        self.last = time.monotonic()
        self.done: list[tuple[str, float, int]] = []

    def mark(self, name: str) -> None:
        """Record that stage `name` just ended."""
        now = time.monotonic()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
        self.done.append((name, now - self.last, peak))
        self.last = now

    def lines(self) -> list[str]:
        """One line per stage: its seconds and the peak memory so far."""
        return [f"  {name:<26} {secs:7.2f} s   peak {peak / 2**30:5.2f} GB" for name, secs, peak in self.done]
