"""Split a built index into parts by term range, with a small manifest, as JavaScript files that load with
a `<script>` tag, so search works from file:// as well as over HTTP.

A common term's postings are ordered by score and cut into tiers: its term-range part holds only its best
postings in each field, the rest wait in tier files with the highest score each holds, so the browser
loads deeper tiers only when they could change the first page of results."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from generator.search.documents import SearchDoc
from generator.search.index import BuiltIndex

PART_BYTES = 48 * 1024  # a part is cut once it is this large
CHUNK_POSTINGS = 60_000  # at most this many postings in one entry or tier file, so no file nears 1 MB
TIER_FIRST = 500  # a term's best postings per field kept in its term-range part; the rest go to tier files
TIER_GROWTH = 4  # each further tier holds this many times more postings per field than the one before
DOCS_PER_DIR = 1000


def _js(value) -> str:
    # ASCII-only JSON is also valid JavaScript (no raw U+2028) and can never close a script element.
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/")


def _flat(postings: list[tuple[int, int]]) -> list[int]:
    """[doc delta, score*1000, ...] in document order."""
    flat, prev = [], 0
    for doc, score in sorted(postings):
        flat.append(doc - prev)
        flat.append(score)
        prev = doc
    return flat


@dataclass
class Split:
    """The index as files: term-range parts (lists of encoded entries) and tier files (encoded payloads)."""

    parts: list[list[str]] = field(default_factory=list)
    tiers: list[str] = field(default_factory=list)


def _tiers(ranked: list[list[tuple[int, int]]]) -> list[list[list[tuple[int, int]]]]:
    """Cut each field's postings (best first) into tiers: TIER_FIRST, then TIER_GROWTH times more each time,
    never more than CHUNK_POSTINGS postings in one tier."""
    out, start, size = [], [0] * len(ranked), TIER_FIRST
    while any(s < len(r) for s, r in zip(start, ranked)):
        live = sum(s < len(r) for s, r in zip(start, ranked))
        per_field = max(1, min(size, CHUNK_POSTINGS // live)) if out else size
        tier = []
        for fno, r in enumerate(ranked):
            tier.append(r[start[fno] : start[fno] + per_field])
            start[fno] += per_field
        out.append(tier)
        size *= TIER_GROWTH
    return out


def encode_term(index: BuiltIndex, term: str, split: Split) -> list[list]:
    """The term's entries for its term-range part: [term, term index, field number, [doc delta, score*1000, ...],
    field number, ..., (tier info)]; deeper tiers are appended to `split.tiers`.

    Usually one entry; a term with very many first-tier postings gets several consecutive ones (each entry's
    deltas start from 0), which the browser merges back into one posting. A tiered term's last entry ends
    with {"n": documents with the term, "t": [[tier file number, [field number, highest score*1000, ...]], ...]}."""
    scored = index.postings(term)
    per_field = [[(doc, int(round(score * 1000))) for doc, score in scored.get(f, ())] for f in index.fields]
    tiers = None
    if any(len(p) > TIER_FIRST for p in per_field):
        ranked = [sorted(p, key=lambda x: (-x[1], x[0])) for p in per_field]
        tiers = _tiers(ranked)
        per_field = tiers[0]
    entries: list[list] = []
    out: list = [term, index.terms[term]]
    size = 0
    for fno, plist in enumerate(per_field):
        plist = sorted(plist)
        for start in range(0, len(plist), CHUNK_POSTINGS):
            chunk = plist[start : start + CHUNK_POSTINGS]
            if size + len(chunk) > CHUNK_POSTINGS and len(out) > 2:
                entries.append(out)
                out, size = [term, index.terms[term]], 0
            out += [fno, _flat(chunk)]
            size += len(chunk)
    if tiers:
        info = []
        for tier in tiers[1:]:
            payload, bounds = [], []
            for fno, plist in enumerate(tier):
                if plist:
                    payload += [fno, _flat(plist)]
                    bounds += [fno, plist[0][1]]  # the tier's best score in this field
            info.append([len(split.tiers), bounds])
            split.tiers.append(_js(payload))
        docs = set()
        for p in scored.values():
            docs.update(doc for doc, _ in p)
        out.append({"n": len(docs), "t": info})
    entries.append(out)
    return entries


def split_parts(index: BuiltIndex) -> Split:
    """Consecutive term ranges, each about PART_BYTES of JavaScript, and the tier files of common terms."""
    split = Split()
    current: list[str] = []
    size = 0
    for term in sorted(index.terms):
        for entry in encode_term(index, term, split):
            enc = _js(entry)
            n = len(enc) + 1
            if current and size + n > PART_BYTES:
                split.parts.append(current)
                current, size = [], 0
            current.append(enc)
            size += n
    if current:
        split.parts.append(current)
    return split


def doc_path(number: int) -> str:
    """Where a document's display record lives: `search/doc/0/17.js`."""
    return f"search/doc/{number // DOCS_PER_DIR}/{number}.js"


def part_path(n: int) -> str:
    """Where term part n lives: `search/part/3.js`."""
    return f"search/part/{n}.js"


def tier_path(n: int) -> str:
    """Where tier file n lives: `search/tier/0/42.js`."""
    return f"search/tier/{n // DOCS_PER_DIR}/{n}.js"


def files(index: BuiltIndex, docs: list[SearchDoc], shown: Callable[[SearchDoc], dict], manifest_extra: dict) -> Iterator[tuple[str, str]]:
    """Every file of the split index: the manifest, the term parts, the tier files and one display record per document."""
    split = split_parts(index)
    years: dict[str, list[int]] = {}
    for d in docs:
        if d.created:
            y = d.created[:4]
            lo_hi = years.setdefault(y, [d.number, d.number])
            lo_hi[1] = d.number
    manifest = {
        "format": 2,
        "lunr": "2.3.9",
        "fields": index.fields,
        "boosts": index.boosts,
        "parts": [json.loads(p[0])[0] for p in split.parts],
        "docs": len(docs),
        "docsPerDir": DOCS_PER_DIR,
        "years": years,
        **manifest_extra,
    }
    yield "search/manifest.js", f"cablesiteSearch.manifest({_js(manifest)});\n"
    for n, part in enumerate(split.parts):
        yield part_path(n), f"cablesiteSearch.part({n},[{','.join(part)}]);\n"
    for n, payload in enumerate(split.tiers):
        yield tier_path(n), f"cablesiteSearch.tier({n},{payload});\n"
    for d in docs:
        yield doc_path(d.number), f"cablesiteSearch.doc({d.number},{_js(shown(d))});\n"
