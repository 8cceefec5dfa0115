"""Split a built index into parts by term range, with a small manifest, as JavaScript files that load with
a `<script>` tag, so search works from file:// as well as over HTTP."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from generator.search.documents import SearchDoc
from generator.search.index import BuiltIndex

PART_BYTES = 48 * 1024  # a part is cut once it is this large
CHUNK_POSTINGS = 60_000  # a term with more postings in one field is cut into entries of this many, so no file nears 1 MB
DOCS_PER_DIR = 1000


def _js(value) -> str:
    # ASCII-only JSON is also valid JavaScript (no raw U+2028) and can never close a script element.
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/")


def encode_term(index: BuiltIndex, term: str) -> list[list]:
    """The term's entries: [term, term index, field number, [doc delta, score*1000, ...], field number, ...].

    Usually one entry; a term with very many postings gets several consecutive ones (each entry's deltas
    start from 0), which the browser merges back into one posting."""
    entries: list[list] = []
    out: list = [term, index.terms[term]]
    size = 0
    scored = index.postings(term)
    for fno, f in enumerate(index.fields):
        plist = scored.get(f)
        if not plist:
            continue
        for start in range(0, len(plist), CHUNK_POSTINGS):
            chunk = plist[start : start + CHUNK_POSTINGS]
            if size + len(chunk) > CHUNK_POSTINGS and len(out) > 2:
                entries.append(out)
                out, size = [term, index.terms[term]], 0
            flat, prev = [], 0
            for doc, score in chunk:
                flat.append(doc - prev)
                flat.append(int(round(score * 1000)))
                prev = doc
            out += [fno, flat]
            size += len(chunk)
    entries.append(out)
    return entries


def split_parts(index: BuiltIndex) -> list[list[str]]:
    """Consecutive term ranges, each about PART_BYTES of JavaScript: lists of encoded terms (JSON text)."""
    parts: list[list[str]] = []
    current: list[str] = []
    size = 0
    for term in sorted(index.terms):
        for entry in encode_term(index, term):
            enc = _js(entry)
            n = len(enc) + 1
            if current and size + n > PART_BYTES:
                parts.append(current)
                current, size = [], 0
            current.append(enc)
            size += n
    if current:
        parts.append(current)
    return parts


def doc_path(number: int) -> str:
    """Where a document's display record lives: `search/doc/0/17.js`."""
    return f"search/doc/{number // DOCS_PER_DIR}/{number}.js"


def part_path(n: int) -> str:
    """Where term part n lives: `search/part/3.js`."""
    return f"search/part/{n}.js"


def files(index: BuiltIndex, docs: list[SearchDoc], shown: Callable[[SearchDoc], dict], manifest_extra: dict) -> Iterator[tuple[str, str]]:
    """Every file of the split index: the manifest, the term parts and one display record per document."""
    parts = split_parts(index)
    years: dict[str, list[int]] = {}
    for d in docs:
        if d.created:
            y = d.created[:4]
            lo_hi = years.setdefault(y, [d.number, d.number])
            lo_hi[1] = d.number
    manifest = {
        "format": 1,
        "lunr": "2.3.9",
        "fields": index.fields,
        "boosts": index.boosts,
        "parts": [json.loads(p[0])[0] for p in parts],
        "docs": len(docs),
        "docsPerDir": DOCS_PER_DIR,
        "years": years,
        **manifest_extra,
    }
    yield "search/manifest.js", f"cablesiteSearch.manifest({_js(manifest)});\n"
    for n, part in enumerate(parts):
        yield part_path(n), f"cablesiteSearch.part({n},[{','.join(part)}]);\n"
    for d in docs:
        yield doc_path(d.number), f"cablesiteSearch.doc({d.number},{_js(shown(d))});\n"
