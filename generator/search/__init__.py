"""Build-time search: a Lunr index built with lunr.py's pipeline, split into parts that lunr.js loads on demand."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator import urls
from generator.archive import Archive
from generator.search.documents import FIELDS, SearchDoc, facet_token, search_docs
from generator.search.index import FastBuilder
from generator.search.parts import files


class SearchError(Exception):
    """The search index or its JavaScript could not be built."""


@dataclass(frozen=True)
class SearchBuild:
    """The search files to write (produced one by one, so the largest archives stream) and the page's scripts."""

    files: Callable[[], Iterator[tuple[str, str]]]
    assets: tuple[tuple[str, bytes], ...]  # scripts the search page loads, by logical name, in order


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
    c = archive.cables[doc.ref_id]
    return {"id": doc.ref_id, "p": doc.path, "d": doc.created, "s": c.subject or "", "o": c.origin or "",
            "c": c.classification or "", "b": [[b.anchor, b.text] for b in c.blocks if b.kind != "heading"]}


def build_search(archive: Archive, project: Path) -> SearchBuild:
    """Index every cable of the archive; return the index parts and display records to write, and lunr.js."""
    lunr_js = find_lunr_js(project).read_bytes()
    docs = search_docs(archive)
    builder = FastBuilder(list(FIELDS))
    for d in docs:
        builder.add(d.number, d.fields)
    index = builder.build()
    extra = {
        "classifications": [[k, facet_token("cls", k)] for k in archive.by_classification],
        "origins": [[k, facet_token("org", k)] for k in archive.by_origin],
    }
    script = Path(__file__).resolve().parent / "search.js"
    return SearchBuild(lambda: files(index, docs, lambda d: shown(archive, d), extra),
                       ((urls.LUNR, lunr_js), (urls.SEARCH_SCRIPT, script.read_bytes())))
