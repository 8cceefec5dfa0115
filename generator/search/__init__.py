"""Build-time search: a Lunr index built with lunr.py's pipeline, split into parts that lunr.js loads on demand."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import urls
from generator.archive import Archive
from generator.search.documents import FIELDS, facet_token, search_docs
from generator.search.index import FastBuilder
from generator.search.parts import files


class SearchError(Exception):
    """The search index or its JavaScript could not be built."""


@dataclass(frozen=True)
class SearchBuild:
    """The search files to write and the scripts the search page loads."""

    files: tuple[tuple[str, str | bytes], ...]
    assets: tuple[tuple[str, bytes], ...]  # scripts the search page loads, by logical name, in order


def find_lunr_js(project: Path) -> Path:
    """lunr.min.js as installed from the npm registry (`npm ci`), in the archive's or cablesite's node_modules."""
    here = Path(__file__).resolve().parents[2]
    for base in (project, Path.cwd(), here):
        candidate = base / "node_modules" / "lunr" / "lunr.min.js"
        if candidate.is_file():
            return candidate
    raise SearchError("lunr.js not found: run `npm ci` in the cablesite folder (it installs lunr 2.3.9 from package-lock.json)")


def build_search(archive: Archive, project: Path) -> SearchBuild:
    """Index every cable of the archive and return the index parts, display records and lunr.js."""
    docs = search_docs(archive)
    builder = FastBuilder(list(FIELDS))
    shown: dict[int, dict] = {}
    for d in docs:
        builder.add(d.number, d.fields)
        c = archive.cables[d.ref_id]
        shown[d.number] = {
            "id": d.ref_id, "p": d.path, "d": d.created, "s": c.subject or "", "o": c.origin or "",
            "c": c.classification or "", "b": [[b.anchor, b.text] for b in c.blocks if b.kind != "heading"],
        }
    index = builder.build()
    extra = {
        "classifications": [[k, facet_token("cls", k)] for k in archive.by_classification],
        "origins": [[k, facet_token("org", k)] for k in archive.by_origin],
    }
    out: list[tuple[str, str | bytes]] = list(files(index, docs, shown, extra))
    script = Path(__file__).resolve().parent / "search.js"
    return SearchBuild(tuple(out), ((urls.LUNR, find_lunr_js(project).read_bytes()), (urls.SEARCH_SCRIPT, script.read_bytes())))
