"""Where each batch of a big file's rows lies in the file, with a digest of its bytes: a file that changed is
read again only from its first changed batch to where its bytes and line numbers line up with the last read's
again; the batches before and after are taken from the parse cache as they are."""
from __future__ import annotations

import hashlib
import os
from typing import NamedTuple

from generator.messages import Message


class Span(NamedTuple):
    """One batch's rows in the file: where they start (bytes, lines and rows read before them), where they end
    (the last span runs to the end of the file), a digest of those bytes, and the reader's messages about
    rows among them (a malformed row between two good ones)."""

    start: int
    line: int
    row: int
    end: int
    end_line: int
    end_row: int
    digest: bytes
    messages: tuple[Message, ...]


def digest(fd: int, start: int, end: int) -> bytes:
    """A digest of the file's bytes from start to end (fewer if the file is shorter: then it differs)."""
    h = hashlib.blake2b(digest_size=16)
    h.update((end - start).to_bytes(8, "little"))
    while start < end:
        chunk = os.pread(fd, min(end - start, 1 << 22), start)
        if not chunk:
            break
        h.update(chunk)
        start += len(chunk)
    return h.digest()


def same_prefix(fd: int, size: int, spans: list[Span]) -> int:
    """How many spans, from the first, hold the same bytes in the file as it is (`size` bytes) as when they
    were read; the last span also ends the file, so it counts only if the file still ends where it did."""
    n = 0
    for k, s in enumerate(spans):
        if s.end > size or (k == len(spans) - 1 and s.end != size) or digest(fd, s.start, s.end) != s.digest:
            break
        n += 1
    return n


def same_from(fd: int, size: int, spans: list[Span], j: int, shift: int) -> bool:
    """True when spans j.. hold the same bytes in the file as it is, each moved by `shift` bytes, up to its end."""
    rest = spans[j:]
    if not rest or rest[-1].end + shift != size:
        return False
    return all(digest(fd, s.start + shift, s.end + shift) == s.digest for s in rest)


def moved(span: Span, shift: int) -> Span:
    """The span `shift` bytes further on (its lines and rows as they were)."""
    return span._replace(start=span.start + shift, end=span.end + shift)
