"""The search index kept between builds, so that editing a few cables re-encodes only what can change.

The previous build's postings (with each document's terms in first-seen order) and every term's encoding are
kept in the cache. When the same number of documents comes back with only a few changed, those documents'
old postings are taken out and their new ones put in, and terms are numbered again in first-seen order.

BM25 scores move a little whenever a field's average length moves, and the files carry them rounded. A term's
encoding is reused as it is while that move is provably smaller than the distance of every one of its scores
from a rounding boundary. When it is not, or when a changed document's scores in it moved, the postings with
the least room (listed at encoding: `Risky`) and the changed document's are scored again and put into the
kept encoding (`refreshed`); a term is encoded whole only when its postings changed otherwise, a document
could change tier, or a score not listed could round otherwise. The files are byte for byte what a build from
scratch makes (tested, also with most postings listed and averages moving far)."""
from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.cache import load_pickle, store_pickle
from generator.search.coding import js_sorted
from generator.search.index import K1, B, BuiltIndex, FastBuilder, Risky
from generator.search.parts import EncodedTerm, encoded_terms, with_scores

MAX_DOCS = 20_000  # above this the kept state would be about as big as the index: the index is made whole
MAX_CHANGED = 200  # more changed documents than this: making the index whole is about as fast
MAX_DRIFT = 1e-3  # reuse an encoding only while each field's average length is this close (relatively)


@dataclass
class IndexState:
    """An index as built, the keys of the documents it was built from, and each term's encoding."""

    doc_keys: list[str]
    index: BuiltIndex
    encoded: dict[str, EncodedTerm]


def load_state(path: Path) -> IndexState | None:
    """The state the last build kept, or None (none kept, or unreadable: the index is then made whole)."""
    state = load_pickle(path, take=True)  # patched in place: never shared with a copy kept in memory
    return state if isinstance(state, IndexState) and state.index.forward is not None else None


def save_state(path: Path, state: IndexState) -> None:
    """Keep the state for the next build (in memory only, until `cache.flush`, in a process that builds again
    and again; else written by a forked process while the build goes on: writing 14 MB for 2,000 cables took a
    tenth of a rebuild); a failure to write only costs the next build time."""
    store_pickle(path, state, later=True, forked=True)


def _position(a: array, doc: int) -> int:
    """Where doc's (doc, tf) pair is, or would go, in a flat array of pairs ascending by doc."""
    lo, hi = 0, len(a) // 2
    while lo < hi:
        mid = (lo + hi) // 2
        if a[2 * mid] < doc:
            lo = mid + 1
        else:
            hi = mid
    return lo


def patch(state: IndexState, doc_keys: list[str], values: Callable[[int], dict]) -> tuple[BuiltIndex, dict[str, int | None]] | None:
    """The kept index with the changed documents' postings replaced, and the terms whose postings or document
    lengths changed, each with the one document whose scores alone changed (in the fields it was in), or None
    (it must be encoded whole); None when the documents are too different (another count, too many changed)."""
    old = state.index
    if len(doc_keys) != len(state.doc_keys) or old.forward is None:
        return None
    changed = [n for n, (a, b) in enumerate(zip(state.doc_keys, doc_keys)) if a != b]
    if len(changed) > MAX_CHANGED:
        return None
    raw, lengths, forward = old.raw, old.lengths, old.forward
    digests = list(old.digests) if old.digests is not None and len(old.digests) == len(doc_keys) else None
    fields = [(f, old.boosts[f]) for f in old.fields]
    touched: dict[str, int | None] = {}

    def touch(terms: Iterable[str], n: int, before: dict[str, int], after: dict[str, int]) -> None:
        for t in terms:
            only_scores = t in before and t in after  # in this field before and after: its idf cannot move
            touched[t] = n if only_scores and touched.get(t, n) == n else None

    for n in changed:
        one = FastBuilder(fields, first=n, forward=True)
        one.add(n, values(n))
        assert one.forward is not None
        new_terms = one.forward[0]
        for fi in range(len(fields)):
            before: dict[str, int] = {}
            for term in forward[n][fi]:  # take the document's old postings out
                a = raw[term][fi]
                i = _position(a, n)
                if i * 2 >= len(a) or a[2 * i] != n:  # the kept state does not match itself: make the index whole
                    return None
                before[term] = a[2 * i + 1]
                del a[2 * i : 2 * i + 2]
                if not a:
                    raw[term][fi] = None
                    if all(x is None for x in raw[term]):
                        del raw[term]
            after: dict[str, int] = {}
            for term in new_terms[fi]:  # and its new ones in
                tf = one.raw[term][fi][1]
                after[term] = tf
                slots = raw.setdefault(term, [None] * len(fields))
                if slots[fi] is None:
                    slots[fi] = array("I")
                a = slots[fi]
                i = _position(a, n)
                a[2 * i : 2 * i] = array("I", (n, tf))
            if lengths[fi][n] != one.lengths[fi][0]:  # the document's length norm moved: all its scores in the field
                touch(before.keys() | after.keys(), n, before, after)
                lengths[fi][n] = one.lengths[fi][0]
            else:
                touch([t for t in before.keys() | after.keys() if before.get(t) != after.get(t)], n, before, after)
        forward[n] = new_terms
        if digests is not None:
            digests[n] = one.digests[0]
    numbers: dict[str, int] = {}
    for doc_terms in forward:  # first-seen order, as FastBuilder numbers them
        for field_terms in doc_terms:
            for term in field_terms:
                if term not in numbers:
                    numbers[term] = len(numbers)
    return BuiltIndex(old.fields, old.boosts, numbers, raw, lengths, old.doc_count, forward, digests), touched


def _still_rounds_the_same(enc: EncodedTerm, averages: list[float]) -> bool:
    """True when no score of the term can round differently at these average field lengths than at those it
    was encoded at. A score times 1000 moves by at most 2 x rate x K1 x B x |a' - a| / a^2 while an average
    stays within MAX_DRIFT of a (the factor 2 more than covers the curve between a and a'), so it stays on
    the same side of every rounding boundary while K1 x B x |a' - a| / a^2 is under half the term's room."""
    if enc.bounds is None or enc.averages is None:
        return False
    for room, a, a2 in zip(enc.bounds, enc.averages, averages):
        if a == a2 or room == math.inf:
            continue
        if a <= 0 or abs(a2 - a) > MAX_DRIFT * a or _room_to(a, a2) >= room:
            return False
    return True


def _room_to(a0: float, a1: float) -> float:
    # D(a0, a1) = 2 K1 B |a1 - a0| / a0^2: what `_still_rounds_the_same` compares with a room
    return 2 * K1 * B * abs(a1 - a0) / (a0 * a0)


def refreshed(index: BuiltIndex, term: str, enc: EncodedTerm, doc: int | None) -> EncodedTerm | None:
    """The term's encoding at the index's averages, its postings with the least room (`Risky`) and the changed
    document's (if any: one whose scores alone changed) scored again and put in; None where the term's other
    scores could round otherwise (then it is encoded whole), or a document could change tier (`with_scores`).

    Its bounds move to today's averages a1 from those it was made at, a0. With D(a, a') = 2 K1 B |a' - a| / a^2,
    an old score safe while D(a0, a) < room is safe while D(a1, a) < (room - D(a0, a1)) a0^2 / a1^2, since
    D(a0, a) <= D(a1, a) a1^2 / a0^2 + D(a0, a1); scores made again are exact at a1, safe within their own room.
    Rooms are first capped at the room of a MAX_DRIFT move, so that however many times a term is refreshed,
    its oldest scores stay within MAX_DRIFT of the averages they were made at, as the check assumes."""
    if enc.bounds is None or enc.averages is None or enc.risky is None:
        return None
    idf = index.idf(term)
    changes: dict[int, dict[int, int]] = {}
    bounds: list[float] = []
    risky: list[Risky | None] = []
    for fi, (room, a0, a1, listed) in enumerate(zip(enc.bounds, enc.averages, index.avg, enc.risky)):
        a = index.raw[term][fi]
        safe = listed.safe if listed else room
        if a is None:
            bounds.append(room)  # no posting here, now or before (only `doc` changed, in the fields it was in)
            risky.append(None)
            continue
        if a0 != a1 and safe != math.inf:
            if a0 <= 0 or abs(a1 - a0) > MAX_DRIFT * a0 or _room_to(a0, a1) >= safe:
                return None
            safe = (min(safe, 2 * K1 * B * MAX_DRIFT / a0) - _room_to(a0, a1)) * a0 * a0 / (a1 * a1)
        again = [d for d in (listed.docs if listed else ()) if d != doc]
        old = dict(zip(listed.docs, listed.scores)) if listed else {}
        i = _position(a, doc) if doc is not None else 0
        if doc is not None and 2 * i < len(a) and a[2 * i] == doc:
            again.append(doc)
        cap = 2 * K1 * B * MAX_DRIFT / a1
        docs, scores, rooms = array("I"), array("i"), array("d")
        for d in sorted(again):
            j = _position(a, d)
            score, r = index.posting(fi, idf, d, a[2 * j + 1])
            if d == doc or score != old[d]:
                changes.setdefault(d, {})[fi] = score
            docs.append(d)
            scores.append(score)
            rooms.append(min(r, cap))
        bounds.append(max(0.0, min(safe, min(rooms, default=math.inf))))
        risky.append(Risky(docs, scores, rooms, max(0.0, safe)) if docs else None)
    patched = with_scores(enc, changes) if changes else (enc.rests, enc.tiers, enc.slices)
    if patched is None:
        return None
    rests, tiers, slices = patched
    return EncodedTerm(rests, tiers, tuple(bounds), tuple(index.avg), tuple(risky), slices, enc.members, enc.deep)


def reencoded(index: BuiltIndex, state: IndexState, touched: dict[str, int | None], jobs: int = 1) -> Iterator[tuple[str, EncodedTerm]]:
    """Every term's encoding in sorted order: kept from the state where it cannot have changed, its changed
    document's scores and others that round otherwise put in where that is all that changed (`refreshed`),
    else made again (in forked workers when there are many)."""
    terms = js_sorted(index.terms)
    kept = state.encoded
    again = [t for t in terms if t in touched or t not in kept or not _still_rounds_the_same(kept[t], index.avg)]
    quick: dict[str, EncodedTerm] = {}
    for t in again:
        if t in kept and not (t in touched and touched[t] is None) and (enc := refreshed(index, t, kept[t], touched.get(t))) is not None:
            quick[t] = enc
    todo = [t for t in again if t not in quick]
    fresh = encoded_terms(index, jobs, todo, bounds=True)
    todo_set = set(todo)
    for t in terms:
        yield (next(fresh) if t in todo_set else (t, quick[t] if t in quick else kept[t]))
