"""Build-time search: a Lunr index built with lunr.py's pipeline, split into parts that lunr.js loads on demand."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator import urls
from generator.archive import Archive
from generator.cable import Cable
from generator.cache import load_pickle, store_pickle
from generator.keys import CableKeys, cable_keys, key_bytes
from generator.search import incremental
from generator.search.documents import (
    FIELDS,
    SearchDoc,
    cable_fields,
    doc_fields,
    facet_token,
    search_docs,
)
from generator.search.index import FastBuilder, build_index
from generator.search.parts import (
    FORMAT,
    EncodedTerm,
    doc_path,
    encoded_terms,
    files,
    record_file,
)


class SearchError(Exception):
    """The search index or its JavaScript could not be built."""


# The search files' format (parts.FORMAT) is part of what decides whether the last build's index is kept.
SEARCH_FORMAT = str(FORMAT)


def search_assets(project: Path) -> tuple[tuple[str, bytes], ...]:
    """The scripts the search page loads, by logical name, in order: lunr.js (from npm) and the search client."""
    return ((urls.LUNR, find_lunr_js(project).read_bytes()), (urls.SEARCH_SCRIPT, SHIPPED_CLIENT.read_bytes()))


# Every search downloads the client, so sites get search.js as terser minifies it (`npm run minify`, whose
# output is committed, so building a site needs no minifier): in session 20, 21.0 KB instead of 36 KB without its
# comment lines, 8.0 KB gzipped instead of 11.1 (25.1 KB, 9.5 KB gzipped, in session 23). A test checks that it is
# the current search.js's.
SHIPPED_CLIENT = Path(__file__).resolve().parent / "search.min.js"


@dataclass(frozen=True)
class SearchPlan:
    """The archive's documents, each with the digest of what its record and index entries are made from, and
    the digest of the whole index: equal digests mean equal files."""

    docs: list[SearchDoc]
    doc_keys: list[str]
    key: str
    salt: bytes  # a digest of the code that makes the search files


def plan_search(archive: Archive, keys: CableKeys | None = None) -> SearchPlan:
    """Number the documents and digest them (from the cables' keys, made here unless given). A cable whose
    body waits on disk carries a digest of that body, so its text need not be read."""
    code = hashlib.sha256(repr(FIELDS).encode() + SEARCH_FORMAT.encode())
    for f in sorted(Path(__file__).resolve().parent.glob("*.py")):  # the code that makes the files
        code.update(f.read_bytes())
    salt = code.digest()
    docs = search_docs(archive)
    each = (keys or cable_keys(archive)).each
    doc_keys = [hashlib.sha256(salt + key_bytes(d) + each[d.ref_id]).hexdigest() for d in docs]
    whole = hashlib.sha256(salt)
    for k in doc_keys:
        whole.update(k.encode())
    return SearchPlan(docs, doc_keys, whole.hexdigest(), salt)


MAX_UNKNOWN = 200  # documents not seen by the last build that `index_key` tokenizes; more, and the index is made


def index_key(plan: SearchPlan, archive: Archive, known: dict[str, bytes]) -> str | None:
    """The digest of everything the index files (not the records) are made from: what each document puts in
    the index (`doc_digest`), in order, its year and the facet values. `known` holds the digests the last
    build made, by document key; the documents not in it are tokenized here (and added to it). None when
    more than MAX_UNKNOWN are not: then the index is made, and names itself (`index_key_of`)."""
    unknown = [n for n, k in enumerate(plan.doc_keys) if k not in known]
    if len(unknown) > MAX_UNKNOWN:
        return None
    for n in unknown:
        one = FastBuilder(list(FIELDS), first=n)
        one.add(n, doc_fields(archive, plan.docs[n]))
        known[plan.doc_keys[n]] = one.digests[0]
    return index_key_of(plan, archive, [known[k] for k in plan.doc_keys])


def kept_index_key(plan: SearchPlan, archive: Archive, digests_file: Path, last_key: str | None) -> tuple[str, dict[str, bytes]]:
    """The index's key for this build (`index_key`; when it cannot be made, one no earlier build had), and the
    documents' digests by key as far as known: empty when the index will be made again (then it names its
    documents itself, and a map of the old ones held meanwhile would only add to the peak)."""
    known = load_pickle(digests_file)
    known = known if isinstance(known, dict) else {}
    key = index_key(plan, archive, known) or "made " + plan.key
    return key, (known if key == last_key else {})


def keep_index_digests(plan: SearchPlan, archive: Archive, digests_file: Path, known: dict[str, bytes],
                       made: list[list[bytes]]) -> str | None:
    """Keep the documents' digests for the next build (those `build_search` made, if it ran: `made`); return
    the key an index just made names itself by, or None when none was made."""
    if made:
        known = dict(zip(plan.doc_keys, made[0]))
    current = {k: known[k] for k in plan.doc_keys if k in known}
    if current.keys() != known.keys() or made:
        store_pickle(digests_file, current)
    return index_key_of(plan, archive, made[0]) if made else None


def index_key_of(plan: SearchPlan, archive: Archive, digests: list[bytes]) -> str:
    """`index_key` from every document's digest."""
    h = hashlib.sha256(plan.salt)
    h.update(repr(([d.created[:4] if d.created else None for d in plan.docs], _facets(archive))).encode())
    for d in digests:
        h.update(d)
    return h.hexdigest()


def _facets(archive: Archive) -> dict:
    return {"classifications": [[k, facet_token("cls", k)] for k in archive.by_classification],
            "origins": [[k, facet_token("org", k)] for k in archive.by_origin]}


def find_lunr_js(project: Path) -> Path:
    """lunr.min.js as installed from the npm registry (`npm ci`), in the archive's or cablesite's node_modules."""
    here = Path(__file__).resolve().parents[2]
    for base in (project, Path.cwd(), here):
        candidate = base / "node_modules" / "lunr" / "lunr.min.js"
        if candidate.is_file():
            return candidate
    raise SearchError("lunr.js not found: run `npm ci` in the cablesite folder (it installs lunr 2.3.9 from package-lock.json)")


def shown(archive: Archive, doc: SearchDoc, cable: Cable | None = None) -> dict:
    """What a search result shows of a cable: id, path, date, subject, origin, classification, its text blocks.
    `cable` is the document's cable as the archive holds it, when the caller has it (a copy, say)."""
    c = archive.full(doc.ref_id) if cable is None else archive.loader(cable)
    return {"id": doc.ref_id, "p": doc.path, "d": doc.created, "s": c.subject or "", "o": c.origin or "",
            "c": c.classification or "", "b": [[b.anchor, b.text] for b in c.blocks if b.kind != "heading"]}


FRESH_WORKERS_MIN = 50_000  # from this many documents, the index's workers are not forks of the build (index.build_index)


def _stored_fields(loader: Callable[[Cable], Cable], item: tuple[SearchDoc, Cable]) -> dict:
    return cable_fields(loader(item[1]), item[0])


def build_search(archive: Archive, jobs: int = 1, plan: SearchPlan | None = None, records: bool = True,
                 kept: Path | None = None, digests: list[list[bytes]] | None = None,
                 scratch: Path | None = None) -> Iterator[tuple[str, str]]:
    """Index every cable of the archive; yield the index parts, tier files, display records (unless `records`
    is False: see `search_records`) and the manifest, one by one.

    With `kept` (a cache file), the index is kept there for the next build, and the one kept by the last build
    is patched where few cables changed (incremental.py): the same files, made in a fraction of the time.
    `digests`, when given, receives the list of every document's `doc_digest`, in order, once the files are
    made (a list, not a map: at full size a map made while the index is still held would add to the peak).
    `scratch` is a folder for the cards' postings meanwhile (parts.files; by default the system's temporary one)."""
    plan = plan or plan_search(archive)
    docs = plan.docs

    def values(n: int) -> dict:
        return doc_fields(archive, docs[n])

    if len(docs) > incremental.MAX_DOCS:
        kept = None
    state = incremental.load_state(kept) if kept is not None else None
    patched = incremental.patch(state, plan.doc_keys, values) if state else None
    if state and patched:
        index, touched = patched
        encoded = incremental.reencoded(index, state, touched, jobs)
    else:
        def shard_inputs(lo: int, hi: int) -> list[tuple[SearchDoc, Cable]]:  # each cable as it waits, body on disk
            return [(docs[n], archive.cables[docs[n].ref_id]) for n in range(lo, hi)]

        index = build_index(list(FIELDS), partial(_stored_fields, archive.loader), len(docs), jobs,
                            forward=kept is not None, inputs=shard_inputs, fresh=len(docs) >= FRESH_WORKERS_MIN)
        encoded = encoded_terms(index, jobs, bounds=kept is not None)
    made: dict[str, EncodedTerm] = {}

    def keeping() -> Iterator[tuple[str, EncodedTerm]]:
        for term, enc in encoded:
            made[term] = enc
            yield term, enc

    yield from files(index, docs, partial(shown, archive) if records else None, _facets(archive), jobs,
                     keeping() if kept is not None else encoded, scratch)
    if kept is not None:
        incremental.save_state(kept, incremental.IndexState(plan.doc_keys, index, made))
    if digests is not None and index.digests is not None:
        digests.append(index.digests)


def may_patch(plan: SearchPlan, kept: Path) -> bool:
    """True when `build_search` with `kept` may well patch the index the last build kept there, rather than make
    it whole: the archive is small enough to keep one, and one was kept (whether few enough cables changed is
    found out as it patches)."""
    return len(plan.docs) <= incremental.MAX_DOCS and kept.is_file()


def search_records(plan: SearchPlan) -> Iterator[tuple[str, str, SearchDoc]]:
    """Each document's display record as (path, key, document): the build keeps a record whose key is
    unchanged, and makes the others with `record_maker`."""
    for d, key in zip(plan.docs, plan.doc_keys):
        yield doc_path(d.number), key, d


def record_maker(archive: Archive) -> Callable[[SearchDoc, Cable], tuple[str, str]]:
    """What makes a document's display record file (path, text) from the archive, given the document and its
    cable as the archive holds it (handed to a worker pickled, so that the worker does not read the archive's
    own objects and copy the memory they are on: see index.build_index)."""
    def make(doc: SearchDoc, cable: Cable) -> tuple[str, str]:
        return record_file(doc, shown=lambda d: shown(archive, d, cable))
    return make
