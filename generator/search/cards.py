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
from array import array
from collections import Counter
from collections.abc import Iterator

from generator.forkpool import fork_map
from generator.search.coding import js, rice, rice_k, unrice

CARD_TIER = 4  # tier files from this one on (1, 2...) are also carried cable by cable, in cards
DOCS_PER_DIR = 1000
CARDS_PER_TASK = 1000  # cards a worker makes at a time
PARALLEL_MIN = 20  # tasks (of CARDS_PER_TASK cards): fewer are made in the main process

_OFFSET, _FIELD, _TERM = 36, 32, 40  # where a posting's tier, field and term sit in its packed number


def deep_postings(tiers: list[list[tuple[list[int], list[int]]]]) -> bytes:
    """A term's postings in tier files CARD_TIER on, from its tiers (tiers[0] the one its part holds; each a
    (cables, scores times 1000) pair per field), as array('Q') bytes of [cable, code] pairs. A code packs the
    tier's offset from CARD_TIER, the field and how far the score lies below the field's highest in those
    tiers (which the browser knows from the term's entry), a smaller number than the score. Empty for a term
    of fewer tiers."""
    deep = tiers[CARD_TIER:]
    highest: dict[int, int] = {}
    for tier in deep:
        for fno, (_, scores) in enumerate(tier):
            if scores:
                highest[fno] = max(highest.get(fno, 0), max(scores))
    out = array("Q")
    for offset, tier in enumerate(deep):
        for fno, (docs, scores) in enumerate(tier):
            top, high = highest.get(fno, 0), offset << _OFFSET | fno << _FIELD
            pairs = [0] * (2 * len(docs))
            pairs[0::2] = docs
            pairs[1::2] = [high | (top - score) for score in scores]
            out.extend(pairs)
    return out.tobytes()


def card_path(number: int) -> str:
    """Where a cable's card lives: `search/card/3/3042.js`."""
    return f"search/card/{number // DOCS_PER_DIR}/{number}.js"


def card_payload(entries: list[int]) -> str:
    """A card's payload from its postings, packed as term number << 40 | `deep_postings`' code, ascending: [how
    many terms, the first term's number, k, the gaps between terms (less one), the field most postings are in, k,
    per term its fields (a bit each; 0 for that field alone), k, per term its tier's offset from CARD_TIER, k, per
    posting (terms in order, fields ascending) its distance below the highest score], Rice-coded."""
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
            offsets.append(e >> _OFFSET & 15)  # a cable's postings of a term, in any field, share its tier
        masks[-1] |= 1 << fno
        below.append(e & 0xFFFFFFFF)
        fields[fno] += 1
    most = fields.most_common(1)[0][0]
    gaps = [b - a - 1 for a, b in zip(terms, terms[1:])]
    codes = [0 if m == 1 << most else m for m in masks]
    out: list = [len(terms), terms[0]]
    for values in (gaps, None, codes, offsets, below):
        if values is None:
            out.append(most)
            continue
        k = rice_k(values)
        out += [k, rice(values, k)]
    return js(out)


def read_card_payload(payload: str) -> list[tuple[int, int, int, int]]:
    """The (term number, tier offset, field, distance below the highest score) postings a card payload holds."""
    data = json.loads(payload)
    n = data[0]
    if not n:
        return []
    gaps = unrice(data[3], n - 1, data[2])
    masks = [m or 1 << data[4] for m in unrice(data[6], n, data[5])]
    offsets = unrice(data[8], n, data[7])
    below = iter(unrice(data[10], sum(bin(m).count("1") for m in masks), data[9]))
    out = []
    term = data[1]
    for i, (mask, offset) in enumerate(zip(masks, offsets)):
        term += gaps[i - 1] + 1 if i else 0
        out += [(term, offset, fno, next(below)) for fno in range(mask.bit_length()) if mask >> fno & 1]
    return out


class Cards:
    """The archive's cards, gathered term by term as the terms are encoded, then made cable by cable."""

    def __init__(self, docs: int) -> None:
        self.docs = docs
        self.of: list[array] = []  # per cable, its postings packed (`card_payload`): made on the first term added

    def add(self, number: int, deep: bytes) -> None:
        """Add a term's `deep_postings`, the term being numbered `number`."""
        if not self.of:
            self.of = [array("Q") for _ in range(self.docs)]
        pairs = array("Q")
        pairs.frombytes(deep)
        high = number << _TERM
        # a loop over every deep posting in this process (29 million at full size): a list looked up by map
        # took 11.5 s where a dict's get took 16.2
        for entries, code in zip(map(self.of.__getitem__, pairs[0::2]), pairs[1::2]):
            entries.append(high | code)

    def _made(self, start: int) -> list[tuple[str, str]]:
        of = self.of
        return [(card_path(n), f"cablesiteSearch.card({n},{card_payload(sorted(of[n]))});\n")
                for n in range(start, min(self.docs, start + CARDS_PER_TASK))]

    def first_tier(self) -> int | None:
        """For the manifest: the first tier file that cards hold, counted from 0, or None when there are no cards."""
        return CARD_TIER - 1 if self.of else None

    def files(self, jobs: int = 1) -> Iterator[tuple[str, str]]:
        """Every cable's card (path, JavaScript), when any term has deep tiers; else none: no query asks."""
        if not self.of:
            return
        for made in fork_map(self._made, range(0, self.docs, CARDS_PER_TASK), jobs, PARALLEL_MIN, window=200):
            yield from made
