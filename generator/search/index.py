"""A fast builder of Lunr indexes: the same pipeline (lunr.py's tokenizer, trimmer and stop words, and the stemmer
lunr.js stems queries with, stemming.py) and
the same BM25 field vectors as lunr.py's Builder, with each token's pipeline result cached. The result is
kept as postings so it can be split into parts; `to_lunr()` gives what lunr.js's `Index.load` reads."""
from __future__ import annotations

import hashlib
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain
from typing import Any, NamedTuple

from lunr import __TARGET_JS_VERSION__
from lunr.token import Token
from lunr.tokenizer import SEPARATOR_CHARS

from generator.forkpool import can_fork, fork_pool, fresh_pool
from generator.search.coding import js_sorted
from generator.search.stemming import index_pipeline

_SEPARATORS = re.compile("[" + re.escape(SEPARATOR_CHARS) + "]+")
# In ASCII text, str.split()'s whitespace is lunr's separators (less the hyphen) and these four controls
_SPLIT_ONLY = "\x1c\x1d\x1e\x1f"


def tokens(value: str | list[str]) -> list[str]:
    """The strings lunr.py's Tokenizer makes of a field value (lists element by element), without its
    per-character loop; tested equal to it."""
    if isinstance(value, (list, tuple)):
        return [str(v).lower() for v in value]
    text = str(value).lower()
    # four scans for one character each are five times quicker than one regex's for the four
    if text.isascii() and not any(c in text for c in _SPLIT_ONLY):
        return text.replace("-", " ").split()  # four times quicker than the regex
    return [t for t in _SEPARATORS.split(text) if t]

K1, B = 1.2, 0.75
ROUNDING_SLACK = 1e-6 + 1e-9  # _milli's own hair around a half, and float error in a score times 1000
# postings whose scores would round otherwise if a field's average length moved by this much (relatively) are
# listed with their scores, so that a move that could touch only them re-scores only them
RISK_DRIFT = 1e-5


class Risky(NamedTuple):  # a named tuple, not a dataclass: thousands are pickled with the kept index
    """A field's postings of a term with the least room: documents ascending, their scores times 1000 and rooms;
    `safe` is the least room of the field's other postings."""

    docs: array
    scores: array
    rooms: array
    safe: float


def _milli(x: float) -> int:
    """round(round(x, 3) * 1000), lunr.py's rounding as an integer, without the slow round(x, 3) except
    where x * 1000 lies within a hair of a half (there the float product may round the other way)."""
    y = x * 1000
    k = round(y)
    if abs(abs(y - k) - 0.5) < 1e-6:
        return round(round(x, 3) * 1000)
    return k


@dataclass
class BuiltIndex:
    """Terms in first-seen order with compact postings; BM25 scores are computed per term on demand."""

    fields: list[str]
    boosts: dict[str, float]
    terms: dict[str, int]  # term -> its _index (order of first appearance, as lunr numbers them)
    raw: dict[str, list]  # term -> per field: array of (doc number, term frequency) pairs, or None
    lengths: list[array]  # per field: the field's length in terms, by doc number
    doc_count: int
    # per document, per field: its terms in first-seen order (kept only when the index is kept between builds)
    forward: list[tuple[tuple[str, ...], ...]] | None = None
    digests: list[bytes] | None = None  # per document, `doc_digest` of what it puts in the index

    def __post_init__(self) -> None:
        self.avg = [(sum(ls) / len(ls)) if len(ls) else 0.0 for ls in self.lengths]
        # BM25's length normalisation of every field of every document, computed once
        self.norms = [[K1 * (1 - B + B * (n / avg)) if avg else K1 * (1 - B) for n in ls]
                      for ls, avg in zip(self.lengths, self.avg)]

    @property
    def doc_numbers(self) -> range:
        """The documents' numbers: 0 to N-1, in the order they were added."""
        return range(self.doc_count)

    def _idf(self, per_field: list) -> float:
        # lunr's idf; it counts a document once per field it has the term in
        n = sum(len(a) // 2 for a in per_field if a is not None)
        return math.log(1 + abs((self.doc_count - n + 0.5) / (n + 0.5)))

    def postings(self, term: str) -> dict[str, list[tuple[int, float]]]:
        """A term's documents and scores per field, exactly as lunr.py's Builder scores them."""
        per_field = self.raw[term]
        idf = self._idf(per_field)
        out: dict[str, list[tuple[int, float]]] = {}
        for fi, a in enumerate(per_field):
            if a is None:
                continue
            boost, norms = self.boosts[self.fields[fi]], self.norms[fi]
            # the same arithmetic, in the same order, as lunr.py's Builder, so rounding agrees
            out[self.fields[fi]] = [(doc, round(idf * ((K1 + 1) * tf) / (norms[doc] + tf) * boost, 3))
                                    for doc, tf in zip(a[0::2], a[1::2])]
        return out

    def idf(self, term: str) -> float:
        """lunr's inverse document frequency of the term."""
        return self._idf(self.raw[term])

    def posting(self, fi: int, idf: float, doc: int, tf: int) -> tuple[int, float]:
        """One document's score times 1000 in field number fi and its room (see `bounded_int_postings`),
        computed with the very arithmetic `bounded_int_postings` uses for each of its postings (tested equal)."""
        boost, norms, lengths = self.boosts[self.fields[fi]], self.norms[fi], self.lengths[fi]
        x = idf * ((K1 + 1) * tf) / (norms[doc] + tf) * boost
        y = x * 1000
        k = round(y)
        off = abs(abs(y - k) - 0.5)
        score = k if off >= 1e-6 else round(round(x, 3) * 1000)
        rate = y * lengths[doc] / (norms[doc] + tf)
        return score, (max(0.0, off - ROUNDING_SLACK) / rate if rate > 0 else math.inf)

    def int_postings(self, term: str) -> list[tuple[list[int], list[int]]]:
        """A term's documents and scores times 1000 per field (empty lists where it is absent): the scores of
        `postings`, computed the same way, as the integers the index files carry."""
        per_field = self.raw[term]
        idf = self._idf(per_field)
        out: list[tuple[list[int], list[int]]] = []
        for fi, a in enumerate(per_field):
            if a is None:
                out.append(([], []))
                continue
            boost, norms = self.boosts[self.fields[fi]], self.norms[fi]
            docs = a[0::2].tolist()
            # _milli written out in the comprehension (a call per posting was a tenth of the index's build time):
            # k = round(x * 1000) unless x * 1000 lies within a hair of a half. x is computed with its constant
            # factors taken together, which may move it by an ulp or two: that never moves a number further than
            # a hair from a half to the other side of it, and near a half x is computed again in lunr.py's order.
            # y is positive, so int(y + 0.5) is round(y) wherever y + 0.5 is a hair or more from an integer
            # (one comparison chain instead of two calls of abs)
            c = idf * (K1 + 1) * boost * 1000
            out.append((docs, [k if 1e-6 <= (y := c * tf / (norms[doc] + tf)) + 0.5 - (k := int(y + 0.5)) <= 1 - 1e-6
                               else round(round(idf * ((K1 + 1) * tf) / (norms[doc] + tf) * boost, 3) * 1000)
                               for doc, tf in zip(docs, a[1::2])]))
        return out

    def bounded_int_postings(self, term: str) -> tuple[list[tuple[list[int], list[int]]], list[float], list[Risky | None]]:
        """`int_postings`, and per field how far the field's average length may move (as K1 x B x |a' - a| / a^2)
        before one of the term's scores could round otherwise: the least, over its postings, of the score's
        distance (times 1000) from a rounding boundary over how fast it moves with the average (see
        incremental.py). Infinite for a field without the term, 0 where a score lies within a hair of a half.
        Third, per field, the postings that a move of RISK_DRIFT could round otherwise (or None)."""
        per_field = self.raw[term]
        idf = self._idf(per_field)
        out: list[tuple[list[int], list[int]]] = []
        room: list[float] = []
        risky: list[Risky | None] = []
        for fi, a in enumerate(per_field):
            if a is None:
                out.append(([], []))
                room.append(math.inf)
                risky.append(None)
                continue
            boost, norms, lengths = self.boosts[self.fields[fi]], self.norms[fi], self.lengths[fi]
            docs, tfs = a[0::2].tolist(), a[1::2].tolist()
            # scores times 1000 as _milli makes them, and their rooms: the distance from a half (less the slack)
            # over d(score x 1000) / d(average) = score x 1000 x length / (norm + tf) x K1 x B / average^2
            ys = [idf * ((K1 + 1) * tf) / (norms[doc] + tf) * boost * 1000 for doc, tf in zip(docs, tfs)]
            scores = list(map(round, ys))
            try:  # one pass in the usual case, every score well away from a half
                rooms = [(abs(abs(y - k) - 0.5) - ROUNDING_SLACK) / (y * lengths[doc] / (norms[doc] + tf))
                         for y, k, doc, tf in zip(ys, scores, docs, tfs)]
                least = min(rooms)
            except ZeroDivisionError:
                least = -1.0
            if least < 0:  # a score within the slack of a half: rounded as _milli rounds it there, its room 0
                xs = [idf * ((K1 + 1) * tf) / (norms[doc] + tf) * boost for doc, tf in zip(docs, tfs)]
                offs = [abs(abs(y - k) - 0.5) for y, k in zip(ys, scores)]
                if min(offs) < 1e-6:
                    scores = [k if off >= 1e-6 else round(round(x, 3) * 1000) for k, off, x in zip(scores, offs, xs)]
                rates = [y * lengths[doc] / (norms[doc] + tf) for y, doc, tf in zip(ys, docs, tfs)]
                rooms = [max(0.0, off - ROUNDING_SLACK) / rate if rate > 0 else math.inf for off, rate in zip(offs, rates)]
                least = min(rooms)
            room.append(least)
            risk = 2 * K1 * B * RISK_DRIFT / self.avg[fi]
            if least < risk:
                at = [i for i, r in enumerate(rooms) if r < risk]
                risky.append(Risky(array("I", [docs[i] for i in at]), array("i", [scores[i] for i in at]),
                                   array("d", [rooms[i] for i in at]), min((r for r in rooms if r >= risk), default=math.inf)))
            else:
                risky.append(None)
            out.append((docs, scores))
        return out, room, risky

    def to_lunr(self) -> dict:
        """The whole index in lunr.js's serialized form (for tests and small sites)."""
        inverted = []
        vectors: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for term in js_sorted(self.terms):
            entry: dict = {"_index": self.terms[term]}
            scored = self.postings(term)
            for f in self.fields:
                entry[f] = {}
                for doc, score in scored.get(f, ()):
                    entry[f][str(doc)] = {}
                    vectors[f"{f}/{doc}"].append((self.terms[term], score))
            inverted.append([term, entry])
        for doc in self.doc_numbers:  # lunr keeps a vector, empty or not, for every field of every document
            for f in self.fields:
                vectors.setdefault(f"{f}/{doc}", [])
        field_vectors = []
        for ref in self._vector_order(vectors):
            flat: list[float] = []
            for i, sc in sorted(vectors[ref]):
                flat += [i, sc]
            field_vectors.append([ref, flat])
        return {"version": __TARGET_JS_VERSION__, "fields": self.fields, "fieldVectors": field_vectors,
                "invertedIndex": inverted, "pipeline": ["stemmer"]}

    def _vector_order(self, vectors: dict) -> list[str]:
        def key(ref: str) -> tuple[int, int]:
            f, d = ref.split("/", 1)
            return int(d), self.fields.index(f)
        return sorted(vectors, key=key)


def doc_digest(tfs: list[dict[str, int]]) -> bytes:
    """A digest of all one document puts in an index: per field, its terms in first-seen order with their
    counts (so its field lengths too). Equal digests, equal postings."""
    h = hashlib.blake2b(digest_size=16)
    counts = array("I")
    for tf in tfs:  # per field: how many terms, then their counts
        counts.append(len(tf))
        counts.extend(tf.values())
    # the terms joined by newlines, which the tokenizer splits text on; a list value (a tag) may hold one, and
    # then the terms' lengths tell where each ends (joining and one count of newlines cost a quarter less than
    # the lengths of every term)
    text = "\n".join(chain.from_iterable(tfs))
    n_terms = len(counts) - len(tfs)
    h.update(counts.tobytes())
    if text.count("\n") == max(0, n_terms - 1):
        h.update(b"\x01")
    else:
        h.update(b"\x00" + array("I", map(len, chain.from_iterable(tfs))).tobytes())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.digest()


class FastBuilder:
    """Adds documents like lunr.py's Builder, caching the pipeline per distinct token and keeping postings
    in compact arrays (a few bytes per posting), so the whole release fits in memory."""

    def __init__(self, fields: list[tuple[str, float]], first: int = 0, forward: bool = False) -> None:
        self.fields = [f for f, _ in fields]
        self.boosts = dict(fields)
        self.pipeline = index_pipeline()  # lunr.py's trimmer and stop words, lunr.js's stemmer (stemming.py)
        self.cache: dict[str, str | None] = {}
        self.terms: dict[str, int] = {}
        self.raw: dict[str, list] = {}
        self.lengths = [array("I") for _ in self.fields]
        self.doc_count = first  # a builder of one shard starts at its first document's number
        self.forward: list[tuple[tuple[str, ...], ...]] | None = [] if forward else None
        self.digests: list[bytes] = []

    def _term(self, raw: str) -> str | None:
        out = self.pipeline.run([Token(raw)])
        term = str(out[0]) if out else None
        self.cache[raw] = term
        return term

    def add(self, number: int, values: dict[str, str | list[str]]) -> None:
        """Add the next document; documents are numbered 0, 1, 2... in the order they are added."""
        if number != self.doc_count:
            raise ValueError(f"documents must be added as 0, 1, 2...: got {number}, expected {self.doc_count}")
        self.doc_count += 1
        nf = len(self.fields)
        raw_postings, term_numbers, term_of = self.raw, self.terms, self.cache.__getitem__
        order: list[tuple[str, ...]] = []
        tfs: list[dict[str, int]] = []
        for fi, f in enumerate(self.fields):
            raws = tokens(values.get(f) or "")
            try:  # each token's term counted in C; first-seen order, as lunr numbers terms
                tf: dict[str, int] = Counter(map(term_of, raws))
            except KeyError:  # tokens not seen before: through lunr's pipeline once each
                for raw in raws:
                    if raw not in self.cache:
                        self._term(raw)
                tf = Counter(map(term_of, raws))
            tf.pop(None, None)  # stop words
            tfs.append(tf)
            for term, n in tf.items():
                slots = raw_postings.get(term)
                if slots is None:
                    term_numbers[term] = len(term_numbers)
                    slots = raw_postings[term] = [None] * nf
                a = slots[fi]
                if a is None:
                    a = slots[fi] = array("I")
                a.extend((number, n))
            self.lengths[fi].append(sum(tf.values()))
            order.append(tuple(tf))
        if self.forward is not None:
            self.forward.append(tuple(order))
        self.digests.append(doc_digest(tfs))

    def build(self) -> BuiltIndex:
        """The index, scores computed as lunr.py computes them when each term's postings are read."""
        return BuiltIndex(self.fields, self.boosts, self.terms, self.raw, self.lengths, self.doc_count, self.forward,
                          self.digests)


PARALLEL_MIN_DOCS = 1000  # fewer documents are indexed in the main process: forking would cost more
_SHARD_SOURCE: Callable[[Any], dict] | None = None  # set before forking: a document's field values
_SHARD_FIELDS: list[tuple[str, float]] = []
_SHARD_FORWARD = False
_SHARD_INPUTS: Callable[[int, int], Sequence] | None = None


def _build_shard(shard: tuple) -> tuple[list[str], dict[str, list], list[array], list | None, list[bytes]]:
    # (first document, end) in a forked worker, which has the rest from its parent;
    # (first document, inputs, values, fields, forward) in a fresh one
    lo, inputs, *given = shard
    values, fields, forward = given or (_SHARD_SOURCE, _SHARD_FIELDS, _SHARD_FORWARD)
    assert values is not None
    if isinstance(inputs, int):  # a forked worker makes its inputs itself: (first, end)
        assert _SHARD_INPUTS is not None
        inputs = _SHARD_INPUTS(lo, inputs)
    b = FastBuilder(fields, first=lo, forward=forward)
    for n, item in enumerate(inputs, start=lo):
        b.add(n, values(item))
    return list(b.terms), b.raw, b.lengths, b.forward, b.digests


def build_index(fields: list[tuple[str, float]], values: Callable[[Any], dict], count: int, jobs: int = 1,
                shard: int = 20_000, forward: bool = False,
                inputs: Callable[[int, int], Sequence] = range, fresh: bool = False) -> BuiltIndex:
    """The index of documents 0..count-1, document n's fields being `values(inputs(n, n + 1)[0])` (by default
    `values(n)`): in forked workers, shard by shard of consecutive documents, when jobs > 1 and there are
    enough. Shards are merged in document order and terms numbered in first-seen order, so the index equals
    one FastBuilder's over all documents. With `forward`, it keeps each document's terms (for patching it
    later: incremental.py).

    Forked workers make their shard's inputs themselves, from what they share with this process: reading its
    objects writes their reference counts, so a worker copies the pages of memory its shard's objects are on,
    which below FRESH_WORKERS_MIN documents (search/__init__.py) is little, and costs less than pickling the
    inputs here, sending them and reading them back there (a seventh of the index's build at 2,000 cables).
    With `fresh`, the workers are not forks of this process but of a fresh one (`values` must then pickle),
    and each shard's inputs are made here and handed to its worker pickled: at full size a fork would copy
    most of the archive once per worker, and still the pages of this process's memory where it puts its own
    objects, about 0.4 GB a worker."""
    global _SHARD_SOURCE, _SHARD_FIELDS, _SHARD_FORWARD, _SHARD_INPUTS
    if jobs <= 1 or count < PARALLEL_MIN_DOCS or not can_fork():
        b = FastBuilder(fields, forward=forward)
        for n, item in enumerate(inputs(0, count)):
            b.add(n, values(item))
        return b.build()
    # big shards: each worker runs lunr's pipeline once per distinct word of its shard; bounded, so that
    # the postings of a shard waiting to be merged stay a small part of the whole; as many in each round as
    # there are workers, of equal size, so that no worker waits through a last shard another builds alone
    # (60,000 documents in shards of 20,000: three, the third on one worker; now four of 15,000)
    rounds = -(-count // (jobs * shard))
    size = -(-count // (jobs * rounds))
    bounds = [(lo, min(count, lo + size)) for lo in range(0, count, size)]
    merged = FastBuilder(fields, forward=forward)
    _SHARD_SOURCE, _SHARD_FIELDS, _SHARD_FORWARD, _SHARD_INPUTS = values, fields, forward, inputs
    try:
        pool_of = partial(fresh_pool, preload=[__name__]) if fresh else fork_pool
        with pool_of(jobs) as pool:
            given = (values, fields, forward) if fresh else ()
            shards = ((lo, inputs(lo, hi), *given) if fresh else (lo, hi) for lo, hi in bounds)  # (made as the workers take them)
            for order, raw, lengths, docs_terms, digests in pool.imap(_build_shard, shards):
                if merged.forward is not None:
                    merged.forward.extend(docs_terms)
                merged.digests.extend(digests)
                for term in order:  # a shard's terms in its first-seen order: new ones are numbered next
                    slots = raw[term]
                    have = merged.raw.get(term)
                    if have is None:
                        merged.terms[term] = len(merged.terms)
                        merged.raw[term] = slots
                        continue
                    for fi, a in enumerate(slots):
                        if a is not None:
                            if have[fi] is None:
                                have[fi] = a
                            else:
                                have[fi].extend(a)
                for fi, a in enumerate(lengths):
                    merged.lengths[fi].extend(a)
                del raw
    finally:
        _SHARD_SOURCE = _SHARD_INPUTS = None
    merged.doc_count = count
    return merged.build()
