"""Pools of forked worker processes that share the parent's data (the archive, the index) copy-on-write.

multiprocessing is imported when a pool is made, not before: a rebuild after a small edit makes none, and
the import was 40 ms of its start."""
from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import chain, islice
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.pool import Pool


def can_fork() -> bool:
    """True where worker processes can be forked (not on Windows, say): where multiprocessing offers "fork"."""
    return hasattr(os, "fork")


@contextmanager
def fork_pool(workers: int, renew: int | None = None) -> Iterator[Pool]:
    """A pool of `workers` forked processes; with `renew`, each is replaced by a fresh fork after that many tasks.

    The parent's objects are first put out of the cyclic garbage collector's reach (gc.freeze): otherwise a
    collection in a worker writes to every object it tracks, and so copies every page of memory it shares
    with the parent, which at full size is the whole archive once per worker. Reading an object still writes
    its reference count, so a worker copies every page of the parent's that its tasks read; over a whole
    archive that came to 1.2 GB a worker. A renewed worker gives those copies back."""
    import multiprocessing

    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=renew) as pool:
            yield pool
    finally:
        gc.unfreeze()


@contextmanager
def fresh_pool(workers: int, preload: list[str]) -> Iterator[Pool]:
    """A pool of `workers` processes forked from a fresh Python process (multiprocessing's forkserver) that
    has imported the `preload` modules: they share no memory with this one, so they copy none of it, but
    what they are handed must pickle, and each imports the program's main module again, which must guard
    its entry point (`if __name__ == "__main__"`, as the `cablesite` command and `python -m generator` do)."""
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(preload)
    with ctx.Pool(workers) as pool:
        yield pool


_TASK: Callable | None = None  # set in the parent before forking: workers call it without it being pickled


def _run(item):
    assert _TASK is not None
    return _TASK(item)


CHUNK = 32  # items a worker of fork_map is handed at a time
RENEW_ITEMS = 20_000  # items a worker of fork_map does before a fresh fork replaces it (see fork_pool)


def fork_map(task: Callable, items: Iterable, workers: int, at_least: int, window: int = 5000) -> Iterator:
    """task(item) for every item, in order: in forked workers when there are at least `at_least` items (and
    more than one worker), else here. `task` is shared with the workers by the fork, not pickled (it may
    close over the whole archive); items and results are pickled. Items are taken `window` at a time, the
    next window made while the workers do the current one, so neither items nor results pile up; each
    worker is renewed after RENEW_ITEMS items, so neither do the pages it copies from the parent."""
    global _TASK
    it = iter(items)
    first = list(islice(it, at_least))
    if workers <= 1 or len(first) < at_least or not can_fork():
        for item in chain(first, it):
            yield task(item)
        return
    _TASK = task
    try:
        with fork_pool(workers, renew=max(1, RENEW_ITEMS // CHUNK)) as pool:
            pending = pool.imap(_run, first + list(islice(it, max(0, window - len(first)))), chunksize=CHUNK)
            while True:
                batch = list(islice(it, window))
                yield from pending
                if not batch:
                    break
                pending = pool.imap(_run, batch, chunksize=CHUNK)
    finally:
        _TASK = None


class Aside:
    """One call made in a forked copy of this process while this one goes on; `result` waits for its value
    (which must pickle) or raises what the call raised. After sending the value the copy runs `then` (say, to
    wait for files it set writing) and exits; `pid` is there to wait for that."""

    def __init__(self, call: Callable[[], object], then: Callable[[], None] | None = None) -> None:
        read, write = os.pipe()
        gc.freeze()  # as in fork_pool: a collection in the copy would copy every page it shares with this process
        try:
            pid = os.fork()
        except BaseException:
            gc.unfreeze()
            os.close(read)
            os.close(write)
            raise
        if pid == 0:
            os.close(read)
            code = 1
            try:
                try:
                    payload = pickle.dumps((True, call()), protocol=5)
                except BaseException as exc:  # handed to the parent, which raises it
                    payload = pickle.dumps((False, _picklable(exc)), protocol=5)
                with open(write, "wb", closefd=True) as out:
                    out.write(len(payload).to_bytes(8, "little") + payload)
                if then is not None:
                    then()
                code = 0
            finally:
                os._exit(code)  # at once: the parent's exit handlers, buffers and pending `finally`s are the parent's
        gc.unfreeze()
        os.close(write)
        self.pid = pid
        self._read: int | None = read

    def result(self) -> object:
        """The call's value, once the copy sends it; raises what the call raised, or RuntimeError when the copy
        ended without sending anything (killed, say)."""
        assert self._read is not None, "result() already taken"
        with open(self._read, "rb", closefd=True) as fh:
            self._read = None
            head = fh.read(8)
            size = int.from_bytes(head, "little") if len(head) == 8 else -1
            payload = fh.read(size) if size > 0 else b""
        if len(payload) != size:  # nothing sent, or cut short
            raise RuntimeError(f"a forked process (pid {self.pid}) ended without a result")
        ok, value = pickle.loads(payload)
        if not ok:
            raise value
        return value

    def close(self) -> None:
        """Stop listening for the result, if not taken: the copy then fails to send it and exits."""
        if self._read is not None:
            os.close(self._read)
            self._read = None


def _picklable(exc: BaseException) -> BaseException:
    """The exception with where it was raised in the copy as a note, or a RuntimeError saying the same when the
    exception itself does not pickle."""
    import traceback

    where = "".join(traceback.format_exception(exc)).strip()
    try:
        exc.add_note("raised in a forked process:\n" + where)
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(where)
