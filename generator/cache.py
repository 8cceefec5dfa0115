"""The build cache that makes rebuilds incremental: parse results by file content (and parser code), and the
key of every page written to an output folder. Deleting the cache only makes the next build slower."""
from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from generator import __version__

MAX_CACHED_FILE = 64 * 1024 * 1024  # a safety cap: files this big are streamed and cached by batch of rows instead


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the reading and parsing code (and of how parsed cables are packed for the cache): a change to
    it invalidates every cached parse."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for f in sorted([*here.glob("cable/*.py"), *here.glob("readers/*.py"), here / "sources.py", here / "ingest.py",
                    here / "textstore.py", here / "rowspans.py"]):
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:16]


# What cache files hold, kept in memory by a long-lived process (`remember`): path -> (the file's identity,
# the value, the file's size). Off (a limit of 0) in a one-off build, which reads each file once anyway.
_MEMO: dict[Path, tuple[tuple[int, int, int] | None, object, int]] = {}
_UNWRITTEN: set[Path] = set()  # remembered values not yet written to their files (`store_pickle(later=True)`)
_memo_limit = 0


def remember(limit: int) -> None:
    """Keep the values of cache files read or written in memory, up to `limit` bytes of files, so that a process
    that builds again and again (`serve`) does not read them again while they are unchanged."""
    global _memo_limit
    if not limit:
        flush()
        _MEMO.clear()
    _memo_limit = limit


def remembering() -> bool:
    """True in a process that builds again and again and keeps cache files' values in memory (`remember`)."""
    return bool(_memo_limit)


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _memorize(path: Path, value) -> None:
    if not _memo_limit or (ident := _identity(path)) is None:
        return
    _MEMO.pop(path, None)
    if sum(size for _, _, size in _MEMO.values()) + ident[1] <= _memo_limit:
        _MEMO[path] = (ident, value, ident[1])


def load_pickle(path: Path, take: bool = False):
    """What `store_pickle` kept at `path`, or None when there is nothing readable there. With `take` (for a
    value the caller will change), a value remembered in memory is handed over and forgotten."""
    if _memo_limit and (hit := _MEMO.get(path)) is not None:
        if hit[0] == _identity(path):
            if take:
                del _MEMO[path]
                _UNWRITTEN.discard(path)  # the file keeps what it held: older, but whole
            return hit[1]
        del _MEMO[path]
        _UNWRITTEN.discard(path)
    try:
        with path.open("rb") as fh, _no_collection():
            value = pickle.load(fh)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    if not take:
        _memorize(path, value)
    return value


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector off: a pickle's objects hold no garbage to find, but loading millions of them
    sets off collections that walk every object (the kept search index of 2,000 cables: 85 ms to load, 63 without)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_WRITING: list[int] = []  # forked processes writing cache files (`store_pickle(forked=True)`)


def store_pickle(path: Path, value, later: bool = False, forked: bool = False) -> None:
    """Keep `value` at `path`, whole or not at all (written aside, then renamed); a failure only costs speed.
    With `later`, a process that remembers (`remember`) only keeps it in memory until `flush`: the file keeps
    its older value, which is whole and true to its own content, should the process end without flushing.
    Else, with `forked` (where processes fork), a forked copy of this process pickles and writes the value as
    it is now while this one goes on; `wait_for_writes` waits for it."""
    if later and _memo_limit:
        ident = _identity(path)
        _MEMO[path] = (ident, value, ident[1] if ident else 0)
        _UNWRITTEN.add(path)
        return
    if forked and not _memo_limit and hasattr(os, "fork"):
        pid = os.fork()
        if pid == 0:
            ok = False
            try:
                ok = _write_pickle(path, value)
            finally:
                os._exit(0 if ok else 1)  # at once: the parent's exit handlers and buffers are the parent's
        _WRITING.append(pid)
        return
    if _write_pickle(path, value):
        _memorize(path, value)


def _write_pickle(path: Path, value) -> bool:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as fh:
            pickle.dump(value, fh, protocol=5)
        os.replace(tmp, path)
    except BaseException as exc:  # an interrupted write leaves no half file behind either
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        if isinstance(exc, OSError):
            return False
        raise
    return True


def add_writer(pid: int) -> None:
    """Count a forked process that is writing cache files among those `wait_for_writes` waits for."""
    _WRITING.append(pid)


def wait_for_writes() -> None:
    """Wait for the cache files that forked processes are writing (a failed one only costs the next build time)."""
    while _WRITING:
        try:
            os.waitpid(_WRITING.pop(), 0)
        except ChildProcessError:
            pass


def flush() -> None:
    """Write what `store_pickle(later=True)` only kept in memory."""
    for path in sorted(_UNWRITTEN):
        if (hit := _MEMO.get(path)) is not None:
            store_pickle(path, hit[1])
    _UNWRITTEN.clear()


def drop_stale_parses(cache_dir: Path) -> None:
    """Delete parse results cached by other versions of the parser: they can never be read again."""
    current = code_version()
    for old in (cache_dir / "parse").glob("*"):
        if old.is_dir() and old.name != current:
            shutil.rmtree(old, ignore_errors=True)


class ParseCache:
    """Parse results of source files, keyed by the file's bytes, its name as shown, and the parser code."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "parse" / code_version()

    def key(self, path: Path, display: str) -> str | None:
        """The cache key of a file, or None when it is too big or unreadable."""
        try:
            if path.stat().st_size > MAX_CACHED_FILE:
                return None
            data = path.read_bytes()
        except OSError:
            return None
        return hashlib.sha256(display.encode() + b"\0" + data).hexdigest()

    def file_key(self, path: Path, display: str) -> str | None:
        """The key under which a big file's list of batches is kept: a digest of its bytes and its name."""
        h = hashlib.sha256(display.encode() + b"\0")
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    h.update(chunk)
        except OSError:
            return None
        return "f" + h.hexdigest()

    def seen_key(self, display: str) -> str:
        """The key that marks a big file as parsed before under this name (in some version)."""
        return "n" + hashlib.sha256(display.encode()).hexdigest()

    def any(self) -> bool:
        """True when anything is cached (by this parser's version)."""
        try:
            with os.scandir(self.folder) as entries:
                return next(entries, None) is not None
        except OSError:
            return False

    def has(self, key: str) -> bool:
        """True when a result is stored under the key."""
        return (self.folder / key[:2] / key).is_file()

    def row_digests(self, raws) -> list[bytes]:
        """A digest of each row read from a big file: its text, metadata and position (all its parse depends on)."""
        return [hashlib.sha256(pickle.dumps((raw.source, raw.first_line, raw.meta, raw.lines, raw.warnings),
                                            protocol=5)).digest() for raw in raws]

    def batch_key(self, digests: list[bytes]) -> str:
        """The cache key of a batch of rows, from their `row_digests`."""
        return "b" + hashlib.sha256(b"".join(digests)).hexdigest()

    def get(self, key: str):
        """The cached result for a key, or None."""
        return load_pickle(self.folder / key[:2] / key)

    def put(self, key: str, value) -> None:
        """Store a result; a failure to write only costs speed."""
        store_pickle(self.folder / key[:2] / key, value)


class PageKeys:
    """The key of every page in the last site built into one output folder."""

    def __init__(self, folder: Path, output: Path) -> None:
        name = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
        self.file = folder / "pages" / f"{name}.json"

    def beside(self, name: str) -> Path:
        """A cache file of the same output folder's builds (the page keys are per output folder too)."""
        return self.file.with_name(f"{self.file.stem}-{name}")

    def load(self) -> dict[str, str]:
        """The keys saved by the last successful build, or none."""
        try:
            return json.loads(self.file.read_text())
        except (OSError, ValueError):
            return {}

    def save(self, keys: dict[str, str]) -> None:
        """Save the keys of the site just committed."""
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.file.with_suffix(".tmp")
            tmp.write_text(json.dumps(keys, sort_keys=True))
            os.replace(tmp, self.file)
        except OSError:
            pass
