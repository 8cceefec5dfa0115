"""Read and parse source files: the build's first two stages, one file at a time so they can run in workers."""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator import rowspans
from generator.cable import Cable, RawCable, parse
from generator.cable.audit import lost_text
from generator.cable.fields import text_lines
from generator.cache import ParseCache
from generator.messages import Message
from generator.readers.csv import Position
from generator.rowspans import Span
from generator.sources import HEAD_BYTES, read_csv_from, read_file
from generator.textstore import pack, unpack

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor


@dataclass(frozen=True)
class FileResult:
    """What one source file gave: its cables and the messages about it."""

    source: str
    cables: tuple[Cable, ...]
    messages: tuple[Message, ...]
    texts: tuple[bytes, ...] = ()  # when packed: each cable's body, pickled (the cables hold TextRefs instead)

    def packed(self) -> FileResult:
        """The result with its cables' bodies taken out (textstore.pack), as the cache keeps it."""
        if self.texts or not self.cables:
            return self
        pairs = [pack(c) for c in self.cables]
        return FileResult(self.source, tuple(c for c, _ in pairs), self.messages, tuple(t for _, t in pairs))

    def unpacked(self) -> FileResult:
        """The result with its cables whole."""
        if not self.texts:
            return self
        return FileResult(self.source, tuple(unpack(c, t) for c, t in zip(self.cables, self.texts)), self.messages)


def parse_file(path: Path, display: str, audit: bool = True, cache_dir: Path | None = None,
               packed: bool = False) -> FileResult:
    """Read one file and parse each cable in it (or take the result from the cache); never raises for its content.
    With `packed`, the cables come with their bodies apart (`FileResult.packed`)."""
    cache = ParseCache(cache_dir) if cache_dir else None
    key = cache.key(path, display) if cache else None
    if cache and key and audit and (hit := cache.get(key)) is not None:
        return hit if packed else hit.unpacked()
    result = _parse_file(path, display, audit)
    if cache and key and audit:
        result = result.packed()
        cache.put(key, result)
    return result.packed() if packed else result.unpacked()


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
    lines = None
    try:
        lines = text_lines(raw.lines, raw.first_line)
        cable = parse(raw, lines)
    except Exception as exc:
        messages.append(Message("internal-error", f"the parser failed: {type(exc).__name__}: {exc}", raw.source, raw.first_line, "error"))
        cable = Cable(source=raw.source, reference_id=raw.meta.get("reference_id"), source_format=raw.source_format)
    if audit and (where := lost_text(raw, cable, lines)):
        messages.append(Message("text-lost", f"parsed text differs from the source: {where}", raw.source, raw.first_line, "error"))
    return cable


STREAM_BYTES = 4 * 1024 * 1024  # files at least this big (a cables.csv) are read here and parsed in batches
BATCH = 64
PARSED_HERE = 2  # batches of a changed big file parsed in this process before workers take the rest
FEW_FILES = 4  # at most this many small files to parse (not in the cache) are parsed in this process


# a batch's cables, packed (textstore.pack), with their messages and the digests of their rows
Batch = list[tuple[Cable, bytes, list[Message], bytes]]


def _parse_batch(raws: list[RawCable], audit: bool, cache_dir: Path | None = None,
                 like: str | None = None) -> tuple[str | None, Batch]:
    """Parse a batch of rows (or take it from the cache); returns the batch's cache key with the results.
    `like` names a cached batch that held most of these rows (the same place in the file before an edit):
    its rows that are unchanged are taken from it, not parsed again."""
    cache = ParseCache(cache_dir) if cache_dir and audit else None
    digests = cache.row_digests(raws) if cache else []
    key = cache.batch_key(digests) if cache else None
    if cache and key and (hit := cache.get(key)) is not None:
        return key, hit
    before = {row[3]: row for row in (cache.get(like) or [])} if cache and like else {}
    out: Batch = []
    for raw, digest in zip(raws, digests or [b""] * len(raws)):
        if digest in before:
            out.append(before[digest])
            continue
        messages: list[Message] = []
        out.append((*pack(parse_raw(raw, messages, audit)), messages, digest))
    if cache and key:
        cache.put(key, out)
    return key, out


def _stream_file(path: Path, display: str, audit: bool, pool: _Workers | None, window: int,
                 cache_dir: Path | None = None, packed: bool = False) -> Iterator[FileResult]:
    """Parse a big file row by row: this process reads, workers parse batches, at most `window` batches in
    flight; results are yielded batch by batch so no more than a window of parsed cables is held at once.

    An unchanged file (same bytes, same parser) is not read row by row at all: its batches come from the
    cache in order, as listed under the file's own key. A changed one is read only where it changed
    (rowspans.py)."""
    cache = ParseCache(cache_dir) if cache_dir and audit else None
    whole = cache.file_key(path, display) if cache else None
    listed = cache.get(whole) if cache and whole else None
    if cache and listed is not None and all(cache.has(k) for k in listed["batches"]):
        if (yield from _from_cache(cache, listed["batches"], display, packed)) and listed["messages"]:
            yield FileResult(display, (), tuple(listed["messages"]))
        return
    pending: deque = deque()
    messages: list[Message] = []
    keys: list[str | None] = []

    def result(done: tuple[str | None, Batch]) -> FileResult:
        keys.append(done[0])
        return _result(display, done[1], packed)

    # A file parsed before (by this name) that changed: most of its batches are in the cache, and are looked up
    # here, since a worker would only send them back through a pipe. A file never seen: its batches go to the
    # workers, which make their keys (digests of every row: costly on the one process that reads the file).
    seen = cache.seen_key(display) if cache else None
    before = _last_read(cache, seen)
    look_here = before is not None

    def cached(batch: list[RawCable]):
        """The batch's parse from the cache, or None."""
        if not (cache and look_here):
            return None
        key = cache.batch_key(cache.row_digests(batch))
        hit = cache.get(key)
        return (key, hit) if hit is not None else None

    def oldest() -> FileResult:
        first = pending.popleft()
        return result(first if isinstance(first, tuple) else first.result())

    parsed_here = 0

    def parse(batch: list[RawCable], like: str | None = None) -> Iterator[FileResult]:
        """Hand a batch on (here without workers, else from the cache or to a worker) and yield what is done,
        in order, keeping at most `window` batches in flight. In a file seen before, the first few batches
        not in the cache are parsed here: an edit's one changed batch would otherwise wait for a worker
        process to be forked (0.3 s, more than parsing it)."""
        nonlocal parsed_here
        done = None if pool is None else cached(batch)
        if done is None and (pool is None or (look_here and parsed_here < PARSED_HERE)):
            done = _parse_batch(batch, audit, cache_dir, like)
            parsed_here += pool is not None
        pending.append(done or pool.submit(_parse_batch, batch, audit, cache_dir))
        while pending and (isinstance(pending[0], tuple) or pending[0].done() or len(pending) >= window):
            yield oldest()

    with _opened(path) as fd:
        size = os.fstat(fd).st_size if fd is not None else 0
        stamp = _stamp(fd)
        head = rowspans.digest(fd, 0, min(size, HEAD_BYTES)) if fd is not None else b""
        last = _LastRead.of(before, size)
        # the batches at the start whose bytes are as the last read found them, from the cache...
        same = last.same_start(cache, fd, size, head) if cache and fd is not None else 0
        spans: list[Span] = list(last.spans[:same])
        keys.extend(last.keys[:same])
        messages.extend(m for span in spans for m in span.messages)
        if not (yield from _from_cache(cache, last.keys[:same], display, packed)):
            return
        if same:  # ...then read on from the end of the last of them, counting lines and rows from there
            s = last.spans[same - 1]
            at = Position(s.end, s.end_line, s.end_row, last.encoding, csv=True)
            items: Iterable[RawCable | Message] = () if same == len(last.spans) else read_csv_from(path, display, at)
        else:
            at = Position()
            items = read_file(path, display, at)
        # ...to the end, unless the bytes line up again with a batch boundary of the last read, at the same line
        # and row (a line added or taken out moves every later row's line numbers: those rows are read)
        suffix = None
        first, notes, batch = (at.byte, at.line, at.row), [], []
        for item in items:
            if isinstance(item, Message):
                messages.append(item)
                notes.append(item)
                continue
            batch.append(item)
            if len(batch) >= BATCH:
                spans.append(Span(*first, at.byte, at.line, at.row, b"", tuple(notes)))
                yield from parse(batch, last.began(first))
                first, notes, batch = (at.byte, at.line, at.row), [], []
                if cache and fd is not None and (suffix := last.lines_up(cache, fd, size, at, same)) is not None:
                    break
        if suffix is None:
            if batch:
                spans.append(Span(*first, at.byte, at.line, at.row, b"", tuple(notes)))
                yield from parse(batch, last.began(first))
            elif spans and (notes or at.byte != spans[-1].end):  # what follows the last batch is in its span
                end = spans[-1]
                spans[-1] = end._replace(end=at.byte, end_line=at.line, end_row=at.row, digest=b"",
                                         messages=end.messages + tuple(notes))
        while pending:
            yield oldest()
        if suffix is not None:  # ...and the batches after that point from the cache, moved as the bytes moved
            spans.extend(rowspans.moved(span, last.shift) for span in last.spans[suffix:])
            keys.extend(last.keys[suffix:])
            messages.extend(m for span in last.spans[suffix:] for m in span.messages)
            if not (yield from _from_cache(cache, last.keys[suffix:], display, packed)):
                return
        if messages:
            yield FileResult(display, (), tuple(messages))
        if cache and whole and all(keys):
            # spans only where every byte was read as it is and the file did not change meanwhile
            kept = (fd is not None and at.csv and at.exact and _stamp(fd) == stamp and
                    [s if s.digest else s._replace(digest=rowspans.digest(fd, s.start, s.end)) for s in spans])
            cache.put(whole, {"batches": keys, "messages": messages, "spans": kept or None, "size": size, "head": head,
                              "encoding": at.encoding})
            if seen:
                cache.put(seen, whole)


def _from_cache(cache: ParseCache | None, keys: list[str], display: str, packed: bool) -> Iterator[FileResult]:
    """Yield the cached batches under these keys, in order; return False (after an error naming the file) when
    one was lost since it was checked, rather than drop its cables."""
    for key in keys:
        hit = cache.get(key) if cache else None
        if hit is None:
            folder = cache.folder.parent.parent if cache else ".cablesite-cache"
            yield FileResult(display, (), (Message("cache-damaged", f"the parse cache lost a batch of this file; delete "
                                                   f"{folder} and build again", display, level="error"),))
            return False
        yield _result(display, hit, packed)
    return True


@dataclass
class _LastRead:
    """What the last read of a big file found (its batches' keys and spans), to hold against the file now."""

    spans: list[Span]
    keys: list[str]
    encoding: str
    head: bytes
    shift: int  # how many bytes longer the file is now
    starts: dict[int, int]  # a batch's first byte: its number

    @staticmethod
    def of(before: dict | None, size: int) -> _LastRead:
        """From the cached entry of the last read (none: nothing to reuse)."""
        spans = (before or {}).get("spans") or []
        if not before or not spans:
            return _LastRead([], [], "utf-8", b"", 0, {})
        return _LastRead(spans, before["batches"], before["encoding"], before.get("head", b""), size - before["size"],
                         {s.start: j for j, s in enumerate(spans)})

    def same_start(self, cache: ParseCache, fd: int, size: int, head: bytes) -> int:
        """How many batches from the start hold the same bytes (the file's head too: its encoding and format
        were found there) and are still cached."""
        if not self.spans or head != self.head:
            return 0
        same = rowspans.same_prefix(fd, size, self.spans)
        return same if all(cache.has(k) for k in self.keys[:same]) else 0

    def began(self, first: tuple[int, int, int]) -> str | None:
        """The key of the batch that began where this one begins (same byte and line), if any: it holds most
        of this batch's rows when one of them was edited."""
        j = self.starts.get(first[0])
        return self.keys[j] if j is not None and self.spans[j].line == first[1] else None

    def lines_up(self, cache: ParseCache, fd: int, size: int, at: Position, after: int) -> int | None:
        """The number of the last read's batch that begins where the reading stands (its bytes moved by the
        change, its line and row the same) when it and all after it are unchanged and cached; else None."""
        j = self.starts.get(at.byte - self.shift)
        if j is None or j < after or (self.spans[j].line, self.spans[j].row) != (at.line, at.row):
            return None
        if all(cache.has(k) for k in self.keys[j:]) and rowspans.same_from(fd, size, self.spans, j, self.shift):
            return j
        return None


def _last_read(cache: ParseCache | None, seen: str | None) -> dict | None:
    """What the last read of a file by this name found (its batches, their spans), if it is still cached."""
    whole = cache.get(seen) if cache and seen else None
    entry = cache.get(whole) if cache and isinstance(whole, str) else None
    return entry if isinstance(entry, dict) and "batches" in entry else None


@contextmanager
def _opened(path: Path) -> Iterator[int | None]:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        yield None  # the reader says why
        return
    try:
        yield fd
    finally:
        os.close(fd)


def _stamp(fd: int | None) -> tuple[int, int] | None:
    if fd is None:
        return None
    st = os.fstat(fd)
    return st.st_size, st.st_mtime_ns


def _result(display: str, done: Batch, packed: bool) -> FileResult:
    msgs = tuple(m for _, _, ms, _ in done for m in ms)
    if packed:
        return FileResult(display, tuple(c for c, _, _, _ in done), msgs, tuple(t for _, t, _, _ in done))
    return FileResult(display, tuple(unpack(c, t) for c, t, _, _ in done), msgs)


def parse_files(paths: Iterable[tuple[Path, str]], jobs: int = 1, audit: bool = True,
                cache_dir: Path | None = None, packed: bool = False) -> Iterator[FileResult]:
    """Parse many files, in worker processes when jobs > 1; results come in the order of `paths`.

    Small files go to workers whole (their results cached by content); big ones stream row by row and
    give one result per batch of rows. With `packed`, each cable's body comes apart from it, pickled
    (`FileResult.texts`): the workers do that work, and a build writes the bodies to its text store as they are."""
    items = list(paths)
    big = {p for p, _ in items if _size(p) >= STREAM_BYTES}
    if jobs <= 1:
        for path, display in items:
            if path in big:
                yield from _stream_file(path, display, audit, None, 1, cache_dir, packed)
            else:
                yield parse_file(path, display, audit, cache_dir, packed)
        return
    # Small files already parsed are read from the cache here, not by a worker that would send each result back
    # through a pipe (a rebuild of 2,000 files with nothing changed then starts no worker at all); on a first
    # build, with nothing cached, the files are not read here first.
    cache = ParseCache(cache_dir) if cache_dir and audit else None
    keys = {p: cache.key(p, d) for p, d in items if p not in big} if cache and cache.any() else {}
    hits = {p for p, k in keys.items() if k and cache and cache.has(k)}
    todo = [(p, d) for p, d in items if p not in big and p not in hits]
    here = len(todo) <= FEW_FILES  # (an edit's file or two: parsed sooner than workers start)
    pool = _Workers(jobs)
    try:
        chunk = max(1, min(64, len(todo) // (jobs * 8) or 1))
        results = iter(()) if here else pool.map(parse_file, [p for p, _ in todo], [d for _, d in todo], [audit] * len(todo),
                                                 [cache_dir] * len(todo), [packed] * len(todo), chunksize=chunk)
        for path, display in items:
            if path in big:
                yield from _stream_file(path, display, audit, pool, jobs * 4, cache_dir, packed)
            elif path in hits and cache and (hit := cache.get(keys[path])) is not None:
                yield hit if packed else hit.unpacked()
            elif path in hits or here:  # (a hit whose cache file went meanwhile)
                yield parse_file(path, display, audit, cache_dir, packed)
            else:
                yield next(results)
    except BaseException:  # Ctrl-C, say: the batches not started are dropped, those started finish
        pool.shutdown(cancel=True)
        raise
    pool.shutdown()


class _Workers:
    """The parse's worker processes, started when a first task needs them: a rebuild that finds its batches in
    the cache, or parses its one changed batch here, starts none (nor imports multiprocessing: 40 ms)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None

    def _started(self) -> ProcessPoolExecutor:
        if self.pool is None:
            from concurrent.futures import ProcessPoolExecutor
            self.pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_leave_interrupts_to_the_build)
        return self.pool

    def submit(self, fn, *args) -> Future:
        """`fn(*args)` in a worker."""
        return self._started().submit(fn, *args)

    def map(self, fn, *iterables, chunksize: int = 1) -> Iterator:
        """`fn` over the iterables' items in the workers, results in order."""
        return self._started().map(fn, *iterables, chunksize=chunksize)

    def shutdown(self, cancel: bool = False) -> None:
        """Wait for the workers to finish and stop them (if any were started); with `cancel`, the tasks not
        started yet are dropped."""
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=cancel)


def _leave_interrupts_to_the_build() -> None:
    """In a parse worker: ignore Ctrl-C, which reaches the whole process group. The build stops the workers
    itself (`_Workers.shutdown`); a worker interrupted while it waited for a task printed a traceback."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
