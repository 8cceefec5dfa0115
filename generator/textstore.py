"""Cable texts kept on disk for the length of a build, so the archive in memory holds only metadata: the full
release's text would not fit the memory budget. Texts are read back (from the page cache, usually) when a
page, a search record, a feed entry or an export needs them; forked workers read the same file."""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import replace
from pathlib import Path

from generator.cable.model import Cable, TextRef
from generator.leftovers import sweep


def pack(cable: Cable) -> tuple[Cable, bytes]:
    """The cable without its body, and the body pickled: the cable carries the body's digest, length and lead in
    a TextRef whose offset `TextStore.put_packed` sets. Done where the cable is parsed (a worker), so the
    process that gathers the archive only writes bytes, and the parse cache keeps cables in this form."""
    data = pickle.dumps(cable.blocks, protocol=5)
    lead = cable.blocks[0].text[:500] if cable.blocks else ""
    ref = TextRef(0, len(data), hashlib.sha256(data).hexdigest()[:20], len(cable.body_text()), lead)
    return replace(cable, blocks=(), text_ref=ref), data


def unpack(cable: Cable, data: bytes) -> Cable:
    """The cable `pack` took apart, whole again."""
    return replace(cable, blocks=pickle.loads(data), text_ref=None)


class TextStore:
    """An append-only file of pickled cable bodies, addressed by offset."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        sweep(folder, "texts-", ".bin")  # the stores of builds that were killed: as big as the archive's text
        self.path = folder / f"texts-{os.getpid()}.bin"
        self.fh = self.path.open("w+b")
        self.end = 0

    def put_packed(self, cable: Cable, data: bytes) -> Cable:
        """Write the body `pack` took from the cable; return the cable with where it waits."""
        ref = cable.text_ref
        assert ref is not None and ref.length == len(data)
        self.fh.write(data)
        placed = replace(cable, text_ref=TextRef(self.end, ref.length, ref.digest, ref.body_length, ref.lead))
        self.end += len(data)
        return placed

    def seal(self) -> None:
        """Flush what was put, before any read and before worker processes are forked (they must not
        inherit unwritten buffers)."""
        self.fh.flush()

    def full(self, cable: Cable) -> Cable:
        """The cable with its body read back from disk."""
        return _read_back(self.fh.fileno(), cable)

    def __reduce__(self) -> tuple:
        # pickled (for a worker that is not a fork of this process), a store is a reader of its file
        return StoredTexts, (self.path,)

    def close(self) -> None:
        """Delete the file."""
        self.fh.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> TextStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class StoredTexts:
    """A TextStore's file read from another process: what a TextStore is when pickled."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def full(self, cable: Cable) -> Cable:
        """The cable with its body read back from disk."""
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDONLY)
        return _read_back(self.fd, cable)


def _read_back(fd: int, cable: Cable) -> Cable:
    ref = cable.text_ref
    if ref is None:
        return cable
    blocks = pickle.loads(os.pread(fd, ref.length, ref.offset))
    return replace(cable, blocks=blocks, text_ref=None)
