"""Build-time search: a Lunr index built with lunr.py's pipeline, split into parts that lunr.js loads on demand."""
from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterator
from pathlib import Path

from generator import urls
from generator.archive import Archive
from generator.search.documents import (
    FIELDS,
    SearchDoc,
    doc_fields,
    facet_token,
    search_docs,
)
from generator.search.index import build_index
from generator.search.parts import files


class SearchError(Exception):
    """The search index or its JavaScript could not be built."""


# Bump when the search files' format or what they hold changes without the cables changing.
SEARCH_FORMAT = "3"


def search_assets(project: Path) -> tuple[tuple[str, bytes], ...]:
    """The scripts the search page loads, by logical name, in order: lunr.js (from npm) and the search client."""
    script = Path(__file__).resolve().parent / "search.js"
    return ((urls.LUNR, find_lunr_js(project).read_bytes()), (urls.SEARCH_SCRIPT, script.read_bytes()))


def search_digest(archive: Archive) -> str:
    """A digest of everything the search files are made from: equal digests mean equal files.

    A cable whose body waits on disk carries a digest of that body, so its text need not be read."""
    h = hashlib.sha256(repr(FIELDS).encode() + SEARCH_FORMAT.encode())
    for f in sorted(Path(__file__).resolve().parent.glob("*.py")):  # the code that makes the files
        h.update(f.read_bytes())
    for d in search_docs(archive):
        h.update(pickle.dumps((d, archive.cables[d.ref_id]), protocol=5))
    return h.hexdigest()


def find_lunr_js(project: Path) -> Path:
    """lunr.min.js as installed from the npm registry (`npm ci`), in the archive's or cablesite's node_modules."""
    here = Path(__file__).resolve().parents[2]
    for base in (project, Path.cwd(), here):
        candidate = base / "node_modules" / "lunr" / "lunr.min.js"
        if candidate.is_file():
            return candidate
    raise SearchError("lunr.js not found: run `npm ci` in the cablesite folder (it installs lunr 2.3.9 from package-lock.json)")


def shown(archive: Archive, doc: SearchDoc) -> dict:
    """What a search result shows of a cable: id, path, date, subject, origin, classification, its text blocks."""
    c = archive.full(doc.ref_id)
    return {"id": doc.ref_id, "p": doc.path, "d": doc.created, "s": c.subject or "", "o": c.origin or "",
            "c": c.classification or "", "b": [[b.anchor, b.text] for b in c.blocks if b.kind != "heading"]}


def build_search(archive: Archive, jobs: int = 1) -> Iterator[tuple[str, str]]:
    """Index every cable of the archive; yield the index parts and display records to write, one by one."""
    docs = search_docs(archive)
    index = build_index(list(FIELDS), lambda n: doc_fields(archive, docs[n]), len(docs), jobs)
    extra = {
        "classifications": [[k, facet_token("cls", k)] for k in archive.by_classification],
        "origins": [[k, facet_token("org", k)] for k in archive.by_origin],
    }
    yield from files(index, docs, lambda d: shown(archive, d), extra, jobs)
