"""Split a built index into parts by term range, with a small manifest, as JavaScript files that load with
a `<script>` tag, so search works from file:// as well as over HTTP.

A common term's documents are ordered by score and cut into tiers: its term-range part holds only its best
documents, the rest wait in tier files with the highest scores each holds, so the browser loads deeper
tiers only when they could change the page of results asked for."""
from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable, Iterator

from generator.search.documents import SearchDoc
from generator.search.index import BuiltIndex

PART_BYTES = 48 * 1024  # a part is cut once it is this large
CHUNK_POSTINGS = 60_000  # at most this many postings in one entry or tier file, so no file nears 1 MB
TIER_FIRST = 500  # documents of a common term kept in its term-range part (its best); the rest go to tier files
TIER_GROWTH = 4  # each further tier holds this many times more documents than the one before
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


def _tier_of(ranked: list[int], fields_of: dict[int, int]) -> dict[int, int]:
    """The tier of each document, best first: TIER_FIRST documents, then TIER_GROWTH times more each time,
    a tier cut early where its postings would pass CHUNK_POSTINGS."""
    tier_of: dict[int, int] = {}
    tier, size, in_tier, postings = 0, TIER_FIRST, 0, 0
    for doc in ranked:
        n = fields_of[doc]
        if in_tier and (in_tier >= size or postings + n > CHUNK_POSTINGS):
            tier, size, in_tier, postings = tier + 1, size * TIER_GROWTH, 0, 0
        tier_of[doc] = tier
        in_tier += 1
        postings += n
    return tier_of


def encode_term(index: BuiltIndex, term: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The term's entries for its term-range part, as JSON: [term, term index, field number, [doc delta,
    score*1000, ...], field number, ..., (tier info)], and its tier files (path, JavaScript).

    Usually one entry; a term with very many first-tier postings gets several consecutive ones (each entry's
    deltas start from 0), which the browser merges back into one posting. A term found in more than
    TIER_FIRST documents is tiered by document: documents ranked by the sum of the term's scores over their
    fields, a document's postings in every field kept in the same tier. Its last entry ends with
    {"n": documents with the term, "t": [[highest sum, field number, highest score, ...], ...]} (scores
    times 1000), one item per tier file, which are `tier_path(term index, 1...)`."""
    scored = index.postings(term)
    number = index.terms[term]
    per_field = [[(doc, int(round(score * 1000))) for doc, score in scored.get(f, ())] for f in index.fields]
    by_doc: dict[int, int] = {}
    fields_of: dict[int, int] = {}
    for plist in per_field:
        for doc, score in plist:
            by_doc[doc] = by_doc.get(doc, 0) + score
            fields_of[doc] = fields_of.get(doc, 0) + 1
    tiers: list[list[list[tuple[int, int]]]] = []
    if len(by_doc) > TIER_FIRST:
        tier_of = _tier_of(sorted(by_doc, key=lambda d: (-by_doc[d], d)), fields_of)
        tiers = [[[] for _ in per_field] for _ in range(max(tier_of.values()) + 1)]
        for fno, plist in enumerate(per_field):
            for doc, score in plist:
                tiers[tier_of[doc]][fno].append((doc, score))
        per_field = tiers[0]
    entries: list[list] = []
    out: list = [term, number]
    size = 0
    for fno, plist in enumerate(per_field):
        for start in range(0, len(plist), CHUNK_POSTINGS):
            chunk = plist[start : start + CHUNK_POSTINGS]
            if size + len(chunk) > CHUNK_POSTINGS and len(out) > 2:
                entries.append(out)
                out, size = [term, number], 0
            out += [fno, _flat(chunk)]
            size += len(chunk)
    tier_files = []
    if tiers:
        info = []
        for k, tier in enumerate(tiers[1:], start=1):
            payload, bounds = [], [max(by_doc[doc] for plist in tier for doc, _ in plist)]
            for fno, plist in enumerate(tier):
                if plist:
                    payload += [fno, _flat(plist)]
                    bounds += [fno, max(score for _, score in plist)]
            info.append(bounds)
            tier_files.append((tier_path(number, k), f"cablesiteSearch.tier({_js(f'{number}-{k}')},{_js(payload)});\n"))
        out.append({"n": len(by_doc), "t": info})
    entries.append(out)
    return [_js(e) for e in entries], tier_files


PARALLEL_MIN_TERMS = 2000  # fewer terms are encoded in the main process
_ENCODING: BuiltIndex | None = None  # set before forking, so workers share the index without pickling it


def _encode_chunk(terms: list[str]) -> list[tuple[list[str], list[tuple[str, str]]]]:
    assert _ENCODING is not None
    return [encode_term(_ENCODING, t) for t in terms]


def _encoded(index: BuiltIndex, jobs: int) -> Iterator[tuple[list[str], list[tuple[str, str]]]]:
    """encode_term over every term in order, in forked workers when there are enough terms to be worth it."""
    global _ENCODING
    terms = sorted(index.terms)
    if jobs <= 1 or len(terms) < PARALLEL_MIN_TERMS or "fork" not in multiprocessing.get_all_start_methods():
        for t in terms:
            yield encode_term(index, t)
        return
    _ENCODING = index
    try:
        chunks = [terms[i : i + 500] for i in range(0, len(terms), 500)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for done in pool.imap(_encode_chunk, chunks):
                yield from done
    finally:
        _ENCODING = None


def index_files(index: BuiltIndex, firsts: list[str], jobs: int = 1) -> Iterator[tuple[str, str]]:
    """The term-range parts (each about PART_BYTES of JavaScript) and the tier files of common terms, yielded
    as they are made so the whole index is never held in memory; each part's first term is appended to `firsts`."""
    current: list[str] = []
    size = 0

    def part() -> tuple[str, str]:
        firsts.append(json.loads(current[0])[0])
        n = len(firsts) - 1
        return part_path(n), f"cablesiteSearch.part({n},[{','.join(current)}]);\n"

    for entries, tier_files in _encoded(index, jobs):
        for enc in entries:
            n = len(enc) + 1
            if current and size + n > PART_BYTES:
                yield part()
                current, size = [], 0
            current.append(enc)
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


def tier_path(term_number: int, k: int) -> str:
    """Where tier k (1, 2...) of the term numbered term_number lives: `search/tier/3/3042-1.js`."""
    return f"search/tier/{term_number // DOCS_PER_DIR}/{term_number}-{k}.js"


def files(index: BuiltIndex, docs: list[SearchDoc], shown: Callable[[SearchDoc], dict], manifest_extra: dict,
          jobs: int = 1) -> Iterator[tuple[str, str]]:
    """Every file of the split index: the term parts, the tier files, one display record per document and the
    manifest (last: it names the parts)."""
    firsts: list[str] = []
    yield from index_files(index, firsts, jobs)
    for d in docs:
        yield doc_path(d.number), f"cablesiteSearch.doc({d.number},{_js(shown(d))});\n"
    years: dict[str, list[int]] = {}
    for d in docs:
        if d.created:
            y = d.created[:4]
            lo_hi = years.setdefault(y, [d.number, d.number])
            lo_hi[1] = d.number
    manifest = {
        "format": 3,
        "lunr": "2.3.9",
        "fields": index.fields,
        "boosts": index.boosts,
        "parts": firsts,
        "docs": len(docs),
        "docsPerDir": DOCS_PER_DIR,
        "years": years,
        **manifest_extra,
    }
    yield "search/manifest.js", f"cablesiteSearch.manifest({_js(manifest)});\n"
