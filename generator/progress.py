"""A progress bar on a terminal for long builds (tqdm); nothing when output is not a terminal or is quiet."""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def progress(items: Iterable[T], total: int, what: str, quiet: bool = False) -> Iterator[T]:
    """Yield the items, showing a bar on stderr when it is a terminal and the work is long enough to watch."""
    if quiet or total < 500 or not sys.stderr.isatty():
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, total=total, desc=f"cablesite: {what}", unit="page", file=sys.stderr, leave=False)
