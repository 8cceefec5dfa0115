"""A progress bar on a terminal for long builds (tqdm); nothing when output is not a terminal or is quiet."""
from __future__ import annotations

import os
import resource
import sys
import time
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


def _cpu() -> tuple[float, float]:
    # Workers' time counts once they have ended, as every stage's pool has by its end; but not workers forked
    # from a fresh process (the search index's from 50,000 documents), which count only when that ends
    t = os.times()
    return t.user + t.system, t.children_user + t.children_system


class Stages:
    """How long each stage of a build took, the processor time this process and its workers spent in it,
    and this process's peak memory after it, for `--verbose`."""

    def __init__(self) -> None:
        self.last = time.monotonic()
        self.last_cpu = _cpu()
        self.done: list[tuple[str, float, float, float, int]] = []

    def mark(self, name: str) -> None:
        """Record that stage `name` just ended."""
        now, cpu = time.monotonic(), _cpu()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
        self.done.append((name, now - self.last, cpu[0] - self.last_cpu[0], cpu[1] - self.last_cpu[1], peak))
        self.last, self.last_cpu = now, cpu

    def lines(self) -> list[str]:
        """One line per stage: its seconds, processor seconds here and in workers, and the peak memory so far."""
        return [f"  {name:<26} {secs:7.2f} s   cpu {here:6.2f} s here {workers:6.2f} s workers   peak {peak / 2**30:5.2f} GB"
                for name, secs, here, workers, peak in self.done]
