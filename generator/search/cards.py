"""Cards: each cable's postings in the deep tiers of every common term, in a small file of its own.

A query of common words is held up, late, by a few hundred cables whose scores for one of its terms lie in a
tier not loaded yet, and those cables are spread over every slice of that tier: the client used to load the
tier whole (at full size 60,000 postings, about 100 KB a term). A cable's card holds its scores in tier files
CARD_TIER on of every term, so those few hundred cables cost a few hundred cards of about 370 bytes instead.
At full size, over the 90 benchmark queries in Node, the median query went from 182.0 to 133.4 KB of index files
and the largest from 644.9 to 500.2 KB ("minist*"), with the same first ten results (search.js loads at most
100 cards a round: a request costs time)."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path

from generator.forkpool import fork_map
from generator.leftovers import sweep
from generator.search.coding import coded, gapped, js, ungapped, unrice

CARD_TIER = 4  # tier files from this one on (1, 2...) are also carried cable by cable, in cards
BUCKET_DOCS = 4096  # cables whose postings one bucket file gathers, and a worker makes the cards of at a time
FLUSH_BYTES = 1 << 20  # a bucket's postings held in memory before they are appended to its file
PARALLEL_MIN = 4  # buckets: fewer are made in the main process

# Where a posting's tier, field and term sit in its packed number: its distance below the highest score in the
# low 32 bits, the field in 4, the tier's offset in the 28 above them, and the term above the 64 bits that a code
# of `deep_postings` fills. (With the term at bit 40, a tier offset of 16 or more ran into the term's bits: a
# term of more than 16 deep tiers gave some of its postings to another term, and cables ranked otherwise.)
_OFFSET, _FIELD, _TERM = 36, 32, 64
_OFFSETS = (1 << (_TERM - _OFFSET)) - 1


def deep_postings(tiers: list[list[tuple[list[int], list[int]]]]) -> tuple[bytes, ...]:
    """A term's postings in tier files CARD_TIER on, from its tiers (tiers[0] the one its part holds; each a
    (cables, scores times 1000) pair per field), per tier and field as array('Q') bytes of [cable, code] pairs,
    the cables ascending. A code packs the tier's offset from CARD_TIER, the field and how far the score lies
    below the field's highest in those tiers (which the browser knows from the term's entry), a smaller number
    than the score. Empty for a term of fewer tiers."""
    deep = tiers[CARD_TIER:]
    highest: dict[int, int] = {}
    for tier in deep:
        for fno, (_, scores) in enumerate(tier):
            if scores:
                highest[fno] = max(highest.get(fno, 0), max(scores))
    runs = []
    if len(deep) > _OFFSETS + 1 or max(highest, default=0) > 15 or max(highest.values(), default=0) >> _FIELD:
        raise ValueError(f"a card cannot pack {len(deep)} deep tiers, field number {max(highest, default=0)} or "
                         f"score {max(highest.values(), default=0)}")
    for offset, tier in enumerate(deep):
        for fno, (docs, scores) in enumerate(tier):
            if not docs:
                continue
            top, high = highest.get(fno, 0), offset << _OFFSET | fno << _FIELD
            pairs = [0] * (2 * len(docs))
            pairs[0::2] = docs
            pairs[1::2] = [high | (top - score) for score in scores]
            runs.append(array("Q", pairs).tobytes())
    return tuple(runs)


def card_payload(entries: list[int]) -> str:
    """A card's payload from its postings, packed as term number << 64 | `deep_postings`' code, ascending: [how
    many terms, the term numbers (`gapped`), the field most postings are in, then Rice-coded with their k (`coded`)
    per term its fields (a bit each; 0 for that field alone), per term its tier's offset from CARD_TIER, and per
    posting (terms in order, fields ascending) its distance below the highest score]."""
    if not entries:
        return "[0]"
    terms: list[int] = []
    masks: list[int] = []
    offsets: list[int] = []
    below: list[int] = []
    fields: Counter[int] = Counter()
    for e in entries:
        term, fno = e >> _TERM, e >> _FIELD & 15
        if not terms or terms[-1] != term:
            terms.append(term)
            masks.append(0)
            offsets.append(e >> _OFFSET & _OFFSETS)  # a cable's postings of a term, in any field, share its tier
        masks[-1] |= 1 << fno
        below.append(e & 0xFFFFFFFF)
        fields[fno] += 1
    most = fields.most_common(1)[0][0]
    codes = [0 if m == 1 << most else m for m in masks]
    deltas = [b - a for a, b in zip([0, *terms], terms)]
    return js([len(terms), *gapped(deltas), most, *coded(codes), *coded(offsets), *coded(below)])


def read_card_payload(payload: str) -> list[tuple[int, int, int, int]]:
    """The (term number, tier offset, field, distance below the highest score) postings a card payload holds."""
    data = json.loads(payload)
    n = data[0]
    if not n:
        return []
    terms = accumulate(ungapped(n, *data[1:4]))
    masks = [m or 1 << data[4] for m in unrice(data[6], n, data[5])]
    offsets = unrice(data[8], n, data[7])
    below = iter(unrice(data[10], sum(bin(m).count("1") for m in masks), data[9]))
    return [(term, offset, fno, next(below)) for term, mask, offset in zip(terms, masks, offsets)
            for fno in range(mask.bit_length()) if mask >> fno & 1]


class Cards:
    """The archive's cards, gathered term by term as the terms are encoded, then made cable by cable.

    A term's deep postings are written, as they come, to bucket files of BUCKET_DOCS consecutive cables in a
    folder of their own (`cards-<process id>` in `scratch`, else in the system's temporary folder); each bucket's
    cards are then made in a worker. Held in this process, the full size's 29 million postings had raised the
    build's largest process from 2.20 to 2.54 GB."""

    def __init__(self, docs: int, scratch: Path | None = None) -> None:
        self.docs = docs
        self.scratch = scratch
        self.folder: Path | None = None  # made at the first term with deep tiers
        self.held: list[bytearray] = []

    def add(self, number: int, deep: tuple[bytes, ...]) -> None:
        """Add a term's `deep_postings`, the term being numbered `number`."""
        if self.folder is None:
            base = self.scratch or Path(tempfile.gettempdir())
            base.mkdir(parents=True, exist_ok=True)
            sweep(base, "cards-")  # those of builds that were killed
            self.folder = base / f"cards-{os.getpid()}"
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir()
            self.held = [bytearray() for _ in range(-(-self.docs // BUCKET_DOCS))]
        for run in deep:  # a run's cables ascend: its share of each bucket is a slice of it
            pairs = array("Q")
            pairs.frombytes(run)
            docs = pairs[0::2]
            lo = 0
            while lo < len(docs):
                b = docs[lo] // BUCKET_DOCS
                hi = bisect_left(docs, (b + 1) * BUCKET_DOCS, lo)
                held = self.held[b]
                held += array("Q", (number, hi - lo)).tobytes()
                held += pairs[2 * lo : 2 * hi].tobytes()
                if len(held) >= FLUSH_BYTES:
                    self._flush(b)
                lo = hi

    def _flush(self, b: int) -> None:
        assert self.folder is not None
        with (self.folder / f"{b}.bin").open("ab") as fh:
            fh.write(self.held[b])
        self.held[b] = bytearray()

    def _made(self, b: int) -> list[tuple[int, str]]:
        assert self.folder is not None
        first, end = b * BUCKET_DOCS, min(self.docs, (b + 1) * BUCKET_DOCS)
        of: list[list[int]] = [[] for _ in range(first, end)]
        path = self.folder / f"{b}.bin"
        data = array("Q")
        if path.exists():
            data.frombytes(path.read_bytes())
        i = 0
        while i < len(data):  # records of [term number, n, n (cable, code) pairs]
            high, n = data[i] << _TERM, data[i + 1]
            pairs = data[i + 2 : i + 2 + 2 * n]
            for doc, code in zip(pairs[0::2], pairs[1::2]):
                of[doc - first].append(high | code)
            i += 2 + 2 * n
        return [(first + k, card_payload(sorted(entries))) for k, entries in enumerate(of)]

    def first_tier(self) -> int | None:
        """For the manifest: the first tier file that cards hold, counted from 0, or None when there are no cards."""
        return CARD_TIER - 1 if self.folder is not None else None

    def payloads(self, jobs: int = 1) -> Iterator[tuple[int, str]]:
        """Every cable's number and card payload, when any term has deep tiers; else none: no query asks. The
        bucket files are removed once read (and if the build stops before)."""
        if self.folder is None:
            return
        try:
            for b in range(len(self.held)):
                self._flush(b)
            for made in fork_map(self._made, range(len(self.held)), jobs, PARALLEL_MIN, window=64):
                yield from made
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
