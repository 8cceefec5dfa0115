"""Split a built index into parts by term range, with a small manifest, as JavaScript files that load with
a `<script>` tag, so search works from file:// as well as over HTTP.

A common term's documents are ordered by score and cut into tiers: its term-range part holds only its best
documents, the rest wait in tier files with the highest scores each holds, so the browser loads deeper
tiers only when they could change the page of results asked for."""
from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate, chain, compress, repeat
from operator import eq, sub
from pathlib import Path
from typing import NamedTuple

from generator import urls
from generator.forkpool import can_fork, fork_pool
from generator.search.documents import SearchDoc
from generator.search.cards import Cards, deep_postings
from generator.search.coding import coded, gapped, js, js_sorted, ungapped, unrice
from generator.search.index import BuiltIndex, Risky
from generator.search.lexicon import lexicon_files

# a part is cut once it is this large: a query loads a part per term, mostly for that one term, so smaller parts
# cost it fewer bytes (2,000 cables, 25 queries: median 177 KB a cold query with 48 KB parts, 158 KB with 24 KB,
# 141 KB with 16 KB); they also make more files, and more requests for a wildcard or fuzzy term, whose expansions
# span many parts. Parts' first terms are listed in directories of DIR_PARTS parts, and the manifest lists only
# each directory's first: with every part's first term in the manifest, which every query loads, parts of 24 KB
# had made it 12.8 KB at full size (811 parts), and a real release's far larger vocabulary would make it more.
# At full size parts of 4 KB cost each of 90 benchmark queries 0.3 to 0.9 KB more than 8 KB: a common term's part
# is mostly its own entry (its best 500 cables), and that does not shrink.
PART_BYTES = 8 * 1024
DIR_PARTS = 64
FORMAT = 15  # the search files' format, in the manifest: bump when what they hold or how changes (15: the lexicons' longest)
CHUNK_POSTINGS = 60_000  # at most this many postings in one entry or tier file, so no file nears 1 MB
TIER_FIRST = 500  # documents of a common term kept in its term-range part (its best); the rest go to tier files
TIER_GROWTH = 4  # each further tier holds this many times more documents than the one before
SLICE_POSTINGS = 2000  # a tier of at least twice this many postings is also cut into slices of about this many
DOCS_PER_DIR = 1000


def _flat(docs: list[int], scores: list[int]) -> list[int]:
    """[doc delta, score*1000, ...] from documents in ascending order and their scores."""
    flat = [0] * (2 * len(docs))
    flat[0::2] = list(map(sub, docs, chain((0,), docs)))
    flat[1::2] = scores
    return flat


def _table(scores: list[int]) -> list:
    """A field's table of distinct scores as a tier file carries it: the scores as JSON numbers, or, where
    shorter, [lowest, how many, k, each one less the lowest Rice-coded]. A slice's table of a few hundred
    scores took a fifth of its bytes as JSON numbers; packed it takes about a third of that."""
    if not scores:
        return scores
    lo = min(scores)
    rest = [v - lo for v in scores]
    packed = [lo, len(scores), *coded(rest)]
    return packed if len(js(packed)) < len(js(scores)) else scores


def _untable(table: list) -> list[int]:
    """The scores of a table that `_table` made."""
    if table and isinstance(table[-1], str):
        lo, n, k, digits = table
        return [lo + v for v in unrice(digits, n, k)]
    return table


def tier_payload(segments: list) -> str:
    """A tier file's payload from [field number, [doc delta, score*1000, ...], ...]: per field its number,
    its number of postings, its cables (`gapped`: the first one's number, k and the Rice-coded gaps after it),
    its distinct scores (most frequent first, ties by value; see `_table`), k and the Rice-coded places of the
    scores in that table."""
    out: list = []
    for j in range(0, len(segments), 2):
        flat = segments[j + 1]
        scores = flat[1::2]
        deltas = flat[0::2]
        table = sorted(Counter(scores).items(), key=lambda kv: (-kv[1], kv[0]))
        place = {score: n for n, (score, _) in enumerate(table)}
        places = list(map(place.__getitem__, scores))
        out += [segments[j], len(deltas), *gapped(deltas), _table([score for score, _ in table]), *coded(places)]
    return js(out)


def members_payload(docs: list[int]) -> str:
    """A members file's payload (a term with sliced tiers): every cable that holds the term in any field,
    ascending, as [how many, *`gapped`]. A query that excludes the term (`-word`) needs only these, not its
    scores: at full size "ukraine", in 88,232 cables, takes 41.9 KB this way, and "+military election -ukraine"
    went from 485.9 KB of index files (its slices) to 372.3 KB."""
    return js([len(docs), *gapped(list(map(sub, docs, [0, *docs[:-1]])))])


def read_members_payload(payload: str) -> list[int]:
    """The cables a members payload was made from."""
    return list(accumulate(ungapped(*json.loads(payload))))


def read_tier_payload(payload: str) -> list:
    """The [field number, [doc delta, score*1000, ...], ...] a tier payload was made from."""
    data = json.loads(payload)
    out: list = []
    for j in range(0, len(data), 8):
        fno, n, first, kg, gaps, table, kp, places = data[j : j + 8]
        flat = [0] * (2 * n)
        flat[0::2] = ungapped(n, first, kg, gaps)
        flat[1::2] = list(map(_untable(table).__getitem__, unrice(places, n, kp)))
        out += [fno, flat]
    return out


def _tier_starts(ranked: list[int], fields_of: dict[int, int]) -> list[int]:
    """Where each tier starts in the ranked documents: TIER_FIRST documents, then TIER_GROWTH times more
    each time, a tier cut early where its postings would pass CHUNK_POSTINGS (but never empty)."""
    cum = list(accumulate(map(fields_of.__getitem__, ranked)))  # postings up to and including each document
    starts, size, lo = [0], TIER_FIRST, 0
    while True:
        base = cum[lo - 1] if lo else 0
        hi = min(len(ranked), lo + size)
        hi = max(lo + 1, min(hi, bisect_right(cum, base + CHUNK_POSTINGS, lo, hi)))
        if hi >= len(ranked):
            return starts
        starts.append(hi)
        lo, size = hi, size * TIER_GROWTH


class EncodedTerm(NamedTuple):  # a named tuple, not a dataclass: pickled by the thousand with the kept index
    """A term's postings as the index files carry them, less its number (which moves when terms are added
    before it): each entry's JSON after `[term,number,`, each tier file's payload, and (when asked) per field
    how far the field's average length may move before a score rounds otherwise, from `averages`, with the
    postings that would round otherwise first (incremental.py)."""

    rests: tuple[str, ...]
    tiers: tuple[str, ...]
    bounds: tuple[float, ...] | None = None
    averages: tuple[float, ...] | None = None
    risky: tuple[Risky | None, ...] | None = None  # per field, the postings with the least room (see Risky)
    slices: tuple[tuple[str, ...], ...] = ()  # per tier file, the payloads of its slices (none: not sliced)
    members: str = ""  # a term's cables without scores (`members_payload`), if its tiers are sliced; else ""
    deep: tuple[bytes, ...] = ()  # its postings in the tiers that cards hold, if it has any (cards.deep_postings)


def term_files(term: str, number: int, enc: EncodedTerm) -> tuple[list[str], list[tuple[str, str]]]:
    """The term's entries for its term-range part, as JSON, and its tier and slice files (path, JavaScript)."""
    head = f"[{js(term)},{number},"
    tier_files = [(tier_path(number, k), f"cablesiteSearch.tier({js(f'{number}-{k}')},{payload});\n")
                  for k, payload in enumerate(enc.tiers, start=1)]
    tier_files += [(tier_path(number, k, j), f"cablesiteSearch.tier({js(f'{number}-{k}.{j}')},{payload});\n")
                   for k, slices in enumerate(enc.slices, start=1) for j, payload in enumerate(slices)]
    if enc.members:
        tier_files.append((members_path(number), f"cablesiteSearch.members({number},{enc.members});\n"))
    return [head + rest for rest in enc.rests], tier_files


def slice_plan(segments: list) -> tuple[int, int, int] | None:
    """How a tier given as [field number, [doc delta, score*1000, ...], ...] is cut into slices: (slices, first
    cable's number, width), slice j holding the cables numbered from first + j*width on; None for a tier under
    twice SLICE_POSTINGS postings. The ranges span the tier's own cables, which may all be of a few years."""
    m = sum(len(flat) for flat in segments[1::2]) // (2 * SLICE_POSTINGS)
    if m < 2:
        return None
    firsts = [flat[0] for flat in segments[1::2] if flat]
    lasts = [sum(flat[0::2]) for flat in segments[1::2] if flat]
    lo = min(firsts)
    return m, lo, -(-(max(lasts) - lo + 1) // m)


def _slices(segments: list, plan: tuple[int, int, int] | None) -> tuple[str, ...]:
    """The payloads of a tier's slices by its `slice_plan` (none for a small tier). A query that waits on a few
    cables' scores loads their slices, not the tier: the browser finds a cable's slice from the plan."""
    if plan is None:
        return ()
    m, lo, width = plan
    fields = [(fno, list(accumulate(flat[0::2])), flat[1::2]) for fno, flat in zip(segments[0::2], segments[1::2])]
    out = []
    for j in range(m):
        payload: list = []
        for fno, docs, scores in fields:
            a, b = bisect_left(docs, lo + j * width), bisect_left(docs, lo + (j + 1) * width)
            if a < b:
                payload += [fno, _flat(docs[a:b], scores[a:b])]
        out.append(tier_payload(payload))
    return tuple(out)


def encode_term(index: BuiltIndex, term: str, bounds: bool = False) -> EncodedTerm:
    """The term's entries for its term-range part: [term, term index, field number, [doc delta, score*1000,
    ...], field number, ..., (tier info)], and its tier files, less the term's number (see `term_files`).

    Usually one entry; a term with very many first-tier postings gets several consecutive ones (each entry's
    deltas start from 0), which the browser merges back into one posting. A term found in more than
    TIER_FIRST documents is tiered by document: documents ranked by the sum of the term's scores over their
    fields, a document's postings in every field kept in the same tier. Its last entry ends with
    {"n": documents with the term, "t": [[highest sum, field number, highest score, ...], ...]} (scores
    times 1000), one item per tier file, which are `tier_path(term index, 1...)`, and, when a tier is sliced
    (`_slices`), "m": per tier [slices, first cable's number, width] (`slice_plan`) or 0, the slices being
    `tier_path(term index, k, 0...)`. A term with sliced tiers also has a members file,
    `members_path(term index)`: its cables without scores, all that a query excluding the term needs
    (`members_payload`)."""
    room = risky = None
    if bounds:  # each field's documents ascending, with their scores
        per_field, room, risky = index.bounded_int_postings(term)
    else:
        per_field = index.int_postings(term)
    tiers: list[list[tuple[list[int], list[int]]]] = []
    info: list[list[int]] = []
    members = ""
    n_docs = 0
    if sum(len(docs) for docs, _ in per_field) > TIER_FIRST:
        fields_of: Counter[int] = Counter()
        for docs, _ in per_field:
            fields_of.update(docs)
        n_docs = len(fields_of)
    if n_docs > TIER_FIRST:
        # each document's sum of scores, starting from the field with the most postings (a dict made in C)
        most = max(range(len(per_field)), key=lambda fno: len(per_field[fno][0]))
        by_doc: dict[int, int] = dict(zip(*per_field[most]))
        for fno, (docs, scores) in enumerate(per_field):
            if fno != most:
                for d, sc in zip(docs, scores):
                    by_doc[d] = by_doc.get(d, 0) + sc
        # best sum first, ties in document order (sorted is stable, also in reverse)
        in_order = sorted(by_doc)
        ranked = sorted(in_order, key=by_doc.__getitem__, reverse=True)
        starts = _tier_starts(ranked, fields_of)
        tier_of: dict[int, int] = {}
        for t, (lo, hi) in enumerate(zip(starts, [*starts[1:], len(ranked)])):
            tier_of.update(dict.fromkeys(ranked[lo:hi], t))
        tiers = [[([], []) for _ in per_field] for _ in starts]
        for fno, (docs, scores) in enumerate(per_field):
            tier_tags = list(map(tier_of.__getitem__, docs))
            for t, tier in enumerate(tiers):
                picked = list(map(eq, tier_tags, repeat(t)))
                tier[fno] = (list(compress(docs, picked)), list(compress(scores, picked)))
        info = [[by_doc[ranked[lo]]] for lo in starts[1:]]
        per_field = tiers[0]
    entries: list[list] = []
    out: list = []  # an entry after its term and number
    size = 0
    for fno, (docs, scores) in enumerate(per_field):
        for start in range(0, len(docs), CHUNK_POSTINGS):
            chunk = slice(start, start + CHUNK_POSTINGS)
            n = len(docs[chunk])
            if size + n > CHUNK_POSTINGS and out:
                entries.append(out)
                out, size = [], 0
            out += [fno, _flat(docs[chunk], scores[chunk])]
            size += n
    payloads, slices, plans = [], [], []
    for tier, tier_info in zip(tiers[1:], info):
        payload = []
        for fno, (docs, scores) in enumerate(tier):
            if docs:
                payload += [fno, _flat(docs, scores)]
                tier_info += [fno, max(scores)]
        payloads.append(tier_payload(payload))
        plan = slice_plan(payload)
        slices.append(_slices(payload, plan))
        plans.append(list(plan) if plan else 0)
    if tiers:
        out.append({"n": n_docs, "t": info, **({"m": plans} if any(slices) else {})})
        if any(slices):  # a term of small tiers is loaded tier by tier: they cost little, and members time to make
            members = members_payload(in_order)
    entries.append(out)
    deep = deep_postings(tiers)
    return EncodedTerm(tuple(js(e)[1:] for e in entries), tuple(payloads),
                       tuple(room) if room is not None else None,
                       tuple(index.avg) if room is not None else None,
                       tuple(risky) if risky is not None else None,
                       tuple(slices) if any(slices) else (),
                       members, deep)


def with_scores(enc: EncodedTerm,
                changes: dict[int, dict[int, int]]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...]] | None:
    """The term's entries, tier and slice payloads (`EncodedTerm.rests`, `.tiers`, `.slices`) with the given
    documents' scores replaced ({document: {field number: score times 1000}}, fields the document is in): what
    `encode_term` makes of the term when those scores are all that changed. None where that is not certain (a document
    could move to another tier, or the term has several entries): then encode it whole.

    A document stays in its tier while its new sum of scores ranks below the highest of the tier (held by
    another document) and above the highest of the next; then every tier holds the same documents, the same
    postings (so `_tier_starts` cuts them alike) and the same highest sum, and only the tier's highest score
    per field may change. Documents are changed one after another, each checked against the tiers as they are."""
    if len(enc.rests) != 1 or enc.deep:  # (a term in cards: its cables' cards would change too)
        return None
    entry = json.loads("[" + enc.rests[0])
    info = entry.pop() if entry and isinstance(entry[-1], dict) else None
    n_tiers = 1 + len(enc.tiers) if info else 1
    tiers: list[list] = []  # the entry, then tier payloads read only as far as a document is looked for
    where: list[list[tuple[int, list[int], list[int]]]] = []  # per tier read: its fields

    def fields_of(k: int) -> list[tuple[int, list[int], list[int]]]:
        """Tier k's fields: each one's number, its [doc delta, score, ...] list and its documents."""
        while len(tiers) <= k:
            seg = read_tier_payload(enc.tiers[len(tiers) - 1]) if tiers else entry
            tiers.append(seg)
            where.append([(seg[j], seg[j + 1], list(accumulate(seg[j + 1][0::2]))) for j in range(0, len(seg), 2)])
        return where[k]

    changed: set[int] = set()
    for doc in sorted(changes):
        new = changes[doc]
        for k in range(n_tiers):
            hits = [(fno, flat, 2 * i + 1) for fno, flat, docs in fields_of(k)
                    if (i := bisect_left(docs, doc)) < len(docs) and docs[i] == doc]
            if hits:
                break
        else:
            return None
        if not new.keys() <= {fno for fno, _, _ in hits}:
            return None
        if all(flat[at] == new.get(fno, flat[at]) for fno, flat, at in hits):
            continue
        old_sum = sum(flat[at] for _, flat, at in hits)
        new_sum = old_sum + sum(new[fno] - flat[at] for fno, flat, at in hits if fno in new)
        if info:
            firsts = info["t"]  # tier k (k >= 1) is firsts[k - 1]: [its highest sum, field, highest score, ...]
            if k + 1 < n_tiers and not new_sum > firsts[k][0]:
                return None
            if k >= 1 and not (old_sum < firsts[k - 1][0] and new_sum < firsts[k - 1][0]):
                return None
        for fno, flat, at in hits:
            flat[at] = new.get(fno, flat[at])
        changed.add(k)
    if not info:
        return (js(entry)[1:],), enc.tiers, enc.slices
    payloads, slices = list(enc.tiers), list(enc.slices)
    for k in changed - {0}:
        highest = [info["t"][k - 1][0]]
        for j in range(0, len(tiers[k]), 2):
            highest += [tiers[k][j], max(tiers[k][j + 1][1::2])]
        info["t"][k - 1] = highest
        payloads[k - 1] = tier_payload(tiers[k])
        if slices and slices[k - 1]:
            slices[k - 1] = _slices(tiers[k], slice_plan(tiers[k]))
    return (js([*entry, info])[1:],), tuple(payloads), tuple(slices)


PARALLEL_MIN_TERMS = 2000  # fewer terms are encoded in the main process...
PARALLEL_MIN_POSTINGS = 100_000  # ...unless they hold this many postings (common terms made again after an edit)
_ENCODING: tuple[BuiltIndex, bool] | None = None  # set before forking, so workers share the index without pickling it


def _encode_chunk(terms: list[str]) -> list[EncodedTerm]:
    assert _ENCODING is not None
    index, bounds = _ENCODING
    return [encode_term(index, t, bounds) for t in terms]


def encoded_terms(index: BuiltIndex, jobs: int = 1, terms: list[str] | None = None,
                  bounds: bool = False) -> Iterator[tuple[str, EncodedTerm]]:
    """encode_term over the given terms (all, sorted, by default) in order, in forked workers when there are
    enough terms to be worth it."""
    global _ENCODING
    terms = js_sorted(index.terms) if terms is None else terms

    def many() -> bool:
        return len(terms) >= PARALLEL_MIN_TERMS or sum(_postings(index, t) for t in terms) >= PARALLEL_MIN_POSTINGS

    if jobs <= 1 or not terms or not many() or not can_fork():
        for t in terms:
            yield t, encode_term(index, t, bounds)
        return
    _ENCODING = (index, bounds)
    try:
        chunks = _chunks(index, terms, jobs)
        with fork_pool(jobs, renew=40) as pool:  # renewed after 40 chunks, 20,000 terms at most (see fork_pool)
            for chunk, done in zip(chunks, pool.imap(_encode_chunk, chunks)):
                yield from zip(chunk, done)
    finally:
        _ENCODING = None


CHUNK_TERMS = 500  # terms handed to an encoding worker at a time, at most...
CHUNKS_PER_WORKER = 16  # ...and about 1 / (workers x this) of all postings (see _chunks)


def _postings(index: BuiltIndex, term: str) -> int:
    """How many postings the term has over all fields: the work of encoding it."""
    return sum(len(a) for a in index.raw[term] if a is not None) // 2


def _chunks(index: BuiltIndex, terms: list[str], jobs: int) -> list[list[str]]:
    """The terms cut into consecutive chunks for the encoding workers, each of at most CHUNK_TERMS terms and
    about a (jobs x CHUNKS_PER_WORKER)th of the postings. The work is in the postings, and the common words
    that hold most of them sit together in the sorted terms (after the reference ids, all digits first): cut
    by count alone, the synthetic archive of 60,000 cables put 99% of the postings in its last four chunks
    of 124, and one worker finished the last of them alone."""
    sizes = [_postings(index, t) for t in terms]
    weight = max(1, sum(sizes) // (jobs * CHUNKS_PER_WORKER))
    chunks: list[list[str]] = []
    chunk: list[str] = []
    held = 0
    for t, size in zip(terms, sizes):
        chunk.append(t)
        held += size
        if len(chunk) >= CHUNK_TERMS or held >= weight:
            chunks.append(chunk)
            chunk, held = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def index_files(index: BuiltIndex, firsts: list[str], jobs: int = 1,
                encoded: Iterable[tuple[str, EncodedTerm]] | None = None,
                continued: list[int] | None = None, cards: Cards | None = None) -> Iterator[tuple[str, str]]:
    """The term-range parts (each about PART_BYTES of JavaScript) and the tier files of common terms, yielded
    as they are made so the whole index is never held in memory; each part's first term is appended to `firsts`,
    and to `continued` the number of each part that opens with a further entry of the previous part's last term
    (a term with several entries, cut between them); `cards` gathers the terms' deep postings. `encoded` gives
    every term's encoding in sorted order (by default made here)."""
    current: list[str] = []
    size = 0
    first = ""  # the term of the part's first entry (read back from the entry, it cost 2% of the build)

    def part() -> tuple[str, str]:
        firsts.append(first)
        n = len(firsts) - 1
        return part_path(n), f"cablesiteSearch.part({n},[{','.join(current)}]);\n"

    for term, enc in encoded if encoded is not None else encoded_terms(index, jobs):
        entries, tier_files = term_files(term, index.terms[term], enc)
        if cards is not None and enc.deep:
            cards.add(index.terms[term], enc.deep)
        for j, enc_entry in enumerate(entries):
            n = len(enc_entry) + 1
            if current and size + n > PART_BYTES:
                yield part()
                current, size = [], 0
                if j > 0 and continued is not None:
                    continued.append(len(firsts))
            if not current:
                first = term
            current.append(enc_entry)
            size += n
        yield from tier_files
    if current:
        yield part()


def doc_path(number: int) -> str:
    """Where a document's display record lives: `search/doc/0/17.js`."""
    return f"search/doc/{number // DOCS_PER_DIR}/{number}.js"


def part_path(n: int) -> str:
    """Where term part n lives: `search/part/3.js`."""
    return f"search/part/{n}.js"


def dir_path(g: int) -> str:
    """Where directory g, the first terms of parts g * DIR_PARTS on, lives: `search/dir/2.js`."""
    return f"search/dir/{g}.js"


def dir_files(firsts: list[str]) -> Iterator[tuple[str, str]]:
    """The directories: each lists the first terms of DIR_PARTS consecutive parts (the manifest lists each
    directory's first, so a query loads the directories of its terms' ranges, then their parts)."""
    for g, start in enumerate(range(0, len(firsts), DIR_PARTS)):
        yield dir_path(g), f"cablesiteSearch.dir({g},{js(firsts[start:start + DIR_PARTS])});\n"


def tier_path(term_number: int, k: int, j: int | None = None) -> str:
    """Where tier k (1, 2...) of the term numbered term_number lives, `search/tier/3/3042-1.js`, or its slice j
    (0, 1...), `search/tier/3/3042-1.0.js`."""
    return f"search/tier/{term_number // DOCS_PER_DIR}/{term_number}-{k}{'' if j is None else f'.{j}'}.js"


def card_path(number: int) -> str:
    """Where a cable's card lives (cards.py): `search/card/3/3042.js`."""
    return f"search/card/{number // DOCS_PER_DIR}/{number}.js"


def members_path(term_number: int) -> str:
    """Where the members file of the term numbered term_number lives: `search/tier/3/3042-m.js`."""
    return f"search/tier/{term_number // DOCS_PER_DIR}/{term_number}-m.js"


def record_file(d: SearchDoc, shown: Callable[[SearchDoc], dict]) -> tuple[str, str]:
    """One document's display record: what a result shows of it."""
    return doc_path(d.number), f"cablesiteSearch.doc({d.number},{js(shown(d))});\n"


def manifest_file(index: BuiltIndex, docs: list[SearchDoc], firsts: list[str], manifest_extra: dict,
                  continued: list[int] | None = None) -> tuple[str, str]:
    """The manifest: fields, boosts, the first term of each directory of parts (`dir_files`), how many parts
    there are and which open with the previous one's last term (`index_files`), the documents' count and years,
    filter values."""
    years: dict[str, list[int]] = {}
    for d in docs:
        if d.created:
            y = d.created[:4]
            lo_hi = years.setdefault(y, [d.number, d.number])
            lo_hi[1] = d.number
    manifest = {
        "format": FORMAT,
        "lunr": "2.3.9",
        "fields": index.fields,
        "boosts": index.boosts,
        "dirs": firsts[::DIR_PARTS],
        "dirParts": DIR_PARTS,
        "parts": len(firsts),
        # a query term that opens a part is looked for in the part before only when that part is listed here
        "continued": continued or [],
        "docs": len(docs),
        "docsPerDir": DOCS_PER_DIR,
        "years": years,
        **manifest_extra,
    }
    return urls.SEARCH_MANIFEST, f"cablesiteSearch.manifest({js(manifest)});\n"


def files(index: BuiltIndex, docs: list[SearchDoc], shown: Callable[[SearchDoc], dict] | None, manifest_extra: dict,
          jobs: int = 1, encoded: Iterable[tuple[str, EncodedTerm]] | None = None,
          scratch: Path | None = None) -> Iterator[tuple[str, str]]:
    """Every file of the split index: the term parts, the tier files, the directories of parts, the lexicons of
    terms (lexicon.py), the cables' cards (cards.py; when a term has tiers deep enough, and the manifest's "cards"
    then says from which tier, counted from 0), one display record per document (unless `shown` is None: the
    build keys and writes records one by one) and the manifest (last: it names the directories). The cards'
    postings wait in `scratch` (see Cards)."""
    firsts: list[str] = []
    continued: list[int] = []
    cards = Cards(len(docs), scratch)
    yield from index_files(index, firsts, jobs, encoded, continued, cards)
    yield from dir_files(firsts)
    lexicons: dict = {}
    yield from lexicon_files(index.terms, lexicons)
    for n, payload in cards.payloads(jobs):
        yield card_path(n), f"cablesiteSearch.card({n},{payload});\n"
    if shown is not None:
        for d in docs:
            yield record_file(d, shown)
    yield manifest_file(index, docs, firsts, {**manifest_extra, **lexicons, "cards": cards.first_tier()}, continued)
