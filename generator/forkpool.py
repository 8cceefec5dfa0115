"""Pools of forked worker processes that share the parent's data (the archive, the index) copy-on-write."""
from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool


def can_fork() -> bool:
    """True where worker processes can be forked (not on Windows, say)."""
    return "fork" in multiprocessing.get_all_start_methods()


@contextmanager
def fork_pool(workers: int) -> Iterator[Pool]:
    """A pool of `workers` forked processes.

    The parent's objects are first put out of the cyclic garbage collector's reach (gc.freeze): otherwise a
    collection in a worker writes to every object it tracks, and so copies every page of memory it shares
    with the parent, which at full size is the whole archive once per worker."""
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield pool
    finally:
        gc.unfreeze()
