"""Digests that decide what a rebuild makes again: values pickled by value alone, and the archive's cables
digested with their bodies (what a cable's own page and search record show) and without them (what every
other page shows of a cable: listings, cited-by lists, neighbours)."""
from __future__ import annotations

import hashlib
import io
import operator
import pickle
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass

from generator.archive import Archive
from generator.cable.model import Cable, TextRef

_NO_BODY = (0, 0, "", 0, "")


_VALUES: dict[type, Callable | bool] = {}  # per type pickled for a key: its dataclass fields' getter, or False


def _values_getter(t: type) -> Callable[[object], tuple]:
    names = [f.name for f in fields(t)]
    if len(names) > 1:
        return operator.attrgetter(*names)
    return lambda obj: tuple(getattr(obj, n) for n in names)  # (attrgetter of one name gives no tuple)


class _KeyPickler(pickle.Pickler):
    """Pickles values for keys into a buffer of its own; one per process and kind, used again for every key."""

    def __init__(self, bodies: bool) -> None:
        self.buf = io.BytesIO()
        super().__init__(self.buf, protocol=5)
        self.bodies = bodies
        # no memo: two equal strings are written alike whether or not they are one object (which they are
        # when they came from one cached pickle, and are not when freshly parsed), so equal values, equal keys
        self.fast = True

    def reducer_override(self, obj):
        t = type(obj)
        if t is TextRef:  # where a body waits is not what it says: its digest stands for it
            return TextRef, ((0, 0, obj.digest, obj.body_length, obj.lead) if self.bodies else _NO_BODY)
        values = _VALUES.get(t)
        if values is None:
            values = _VALUES[t] = _values_getter(t) if is_dataclass(t) else False
        # any other dataclass (a cable, a listing's row) by its fields' values alone, in one C call: neither a
        # slotted one's reduction (Python code per field) nor an unslotted one's (its field names, row after row)
        return (t, values(obj)) if values else NotImplemented

    def key(self, value: object) -> bytes:
        """`value` pickled."""
        self.buf.seek(0)
        self.buf.truncate()
        self.dump(value)
        return self.buf.getvalue()


_PICKLERS: dict[bool, _KeyPickler] = {}


def key_bytes(value: object, bodies: bool = True) -> bytes:
    """`value` pickled for a key, by value alone: a cable whose body waits on disk counts by that body's digest
    (or, without `bodies`, not at all), not by where it waits (which moves for every cable stored after one
    whose body grew)."""
    pickler = _PICKLERS.get(bodies)
    if pickler is None:
        pickler = _PICKLERS[bodies] = _KeyPickler(bodies)
    return pickler.key(value)


@dataclass(frozen=True)
class CableKeys:
    """Per cable, a digest of everything it says; for the archive, digests of every cable less its body, of
    every cable's outline (what other pages show of it)."""

    each: dict[str, bytes]
    metadata: str
    outlines: str


def cable_keys(archive: Archive, outline: Callable[[Cable], tuple] | None = None) -> CableKeys:
    """Digest every cable of the archive, newest first: with and without its body, and its outline."""
    whole, outlines = hashlib.sha256(), hashlib.sha256()
    each: dict[str, bytes] = {}
    for rid in archive.newest_first:
        c = archive.cables[rid]
        meta = key_bytes(c, bodies=False)  # a body kept in memory (no store) is in here: then it counts as metadata
        whole.update(hashlib.sha256(meta).digest())
        ref = c.text_ref
        body = repr((ref.digest, ref.body_length, ref.lead)).encode() if ref else b""
        each[rid] = hashlib.sha256(meta + b"\0" + body).digest()
        if outline is not None:
            outlines.update(hashlib.sha256(key_bytes(outline(c))).digest())
    return CableKeys(each, whole.hexdigest(), outlines.hexdigest())
