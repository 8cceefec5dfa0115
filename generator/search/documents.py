"""What the search index holds for each cable: short numeric keys, the fields queried, and the text shown."""
from __future__ import annotations

from dataclasses import dataclass

from generator.archive import Archive
from generator.cable import Cable

# Field name -> boost. The reference id ranks a cable first when typed; subjects count more than body text.
FIELDS: tuple[tuple[str, float], ...] = (
    ("ref", 10.0), ("subject", 5.0), ("tags", 2.0), ("origin", 1.0), ("body", 1.0), ("facet", 0.0),
)


def facet_token(kind: str, value: str) -> str:
    """A single-token filter value: `org_embassy_moscow`, `cls_confidential_noforn`."""
    word = "".join(ch if ch.isalnum() else "_" for ch in value.lower()).strip("_")
    while "__" in word:
        word = word.replace("__", "_")
    return f"{kind}_{word}"


def tag_token(tag: str) -> str:
    """A tag as a filter looks it up: `tag_ke_`. The trailing underscore keeps lunr's stemmer off it, which would
    make `tag_ke` (Kenya) and `tag_ks` alike `tag_k`; the tag itself, in the tags field, is shorter than three letters
    and left alone, but "is", "in", "it", "no", "us"... are stop words there (search.js's tagToken makes the same)."""
    return facet_token("tag", tag) + "_"


@dataclass(frozen=True)
class SearchDoc:
    """One cable as the search index sees it; `number` is its key in the index (docs sorted by date)."""

    number: int
    ref_id: str
    created: str
    path: str


def doc_fields(archive: Archive, doc: SearchDoc) -> dict[str, str | list[str]]:
    """The values of the indexed fields of one document (its body read back if it waits on disk)."""
    return cable_fields(archive.full(doc.ref_id), doc)


def cable_fields(c: Cable, doc: SearchDoc) -> dict[str, str | list[str]]:
    """The values of the indexed fields of a document from its cable, with its body."""
    # a tag is also a facet token, which a filter looks up: in the tags field, lunr's stop word filter drops the
    # country tags IN (India), IS (Israel), IT (Italy), NO (Norway), US and others, and no filter could find them
    facets = [facet_token("cls", c.classification or "unknown"), facet_token("org", c.origin or "unknown"),
              *map(tag_token, c.tags)]
    return {"ref": [doc.ref_id], "subject": c.subject or "", "tags": list(c.tags), "origin": c.origin or "",
            "body": c.body_text(), "facet": facets}


def search_docs(archive: Archive) -> list[SearchDoc]:
    """The archive's cables in date order (oldest first), numbered 0..N-1."""
    out = []
    for n, rid in enumerate(reversed(archive.newest_first)):
        c: Cable = archive.cables[rid]
        out.append(SearchDoc(n, rid, c.created.strftime("%Y-%m-%d") if c.created else "", archive.paths[rid]))
    return out
