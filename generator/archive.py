"""The whole collection: duplicates resolved, REFs resolved to cables in the archive, cited-by, listings."""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import PurePath

from generator import urls
from generator.cable import Cable
from generator.messages import Message


def as_is(cable: Cable) -> Cable:
    """The loader of an archive whose cables hold their bodies (a function, not a lambda: it pickles)."""
    return cable


@dataclass(frozen=True)
class Archive:
    """Every cable by reference id, and the indexes the site's pages are built from (lists newest first)."""

    cables: dict[str, Cable]
    paths: dict[str, str]  # reference id -> site path of its page
    newest_first: tuple[str, ...]
    cited_by: dict[str, tuple[str, ...]]
    by_tag: dict[str, tuple[str, ...]]
    by_origin: dict[str, tuple[str, ...]]
    by_classification: dict[str, tuple[str, ...]]
    by_month: dict[tuple[int, int], tuple[str, ...]]
    neighbours: dict[str, tuple[str | None, str | None]]  # previous and next cable from the same origin
    messages: tuple[Message, ...]
    loader: Callable[[Cable], Cable] = as_is  # gives a cable its body back when it was moved to disk

    def full(self, ref_id: str) -> Cable:
        """A cable with its body, read back from disk if the build moved it there."""
        return self.loader(self.cables[ref_id])

    def path(self, ref_id: str) -> str | None:
        """The site path of a cable's page, or None if the cable is not in the archive."""
        return self.paths.get(ref_id)


def completeness(c: Cable) -> tuple:
    """How complete a version of a cable is: more fields, then more text, then the source path (deterministic)."""
    filled = sum(v not in (None, (), "") for v in (
        c.created, c.released, c.classification, c.origin, c.subject, c.tags, c.references,
        c.classified_by, c.declassify_on, c.summary, c.signed_by, c.header))
    length = c.text_ref.body_length if c.text_ref else len(c.body_text())
    return (filled, length, -len(c.warnings), c.source)


def _newest_key(c: Cable) -> tuple:
    return (c.created or datetime.min, c.reference_id or "")


def join_sections(parts: list[Cable], loader: Callable[[Cable], Cable] = as_is) -> Cable:
    """One cable from files that each hold one section of it (`SECTION 02 OF 03`), joined in section order."""
    parts = sorted((loader(p) for p in parts), key=lambda c: (c.section or 0, c.source))
    first = parts[0]
    blocks = list(first.blocks)
    used = {b.anchor for b in blocks}
    for part in parts[1:]:
        for b in part.blocks:
            anchor, k = b.anchor, 2
            while anchor in used:
                anchor, k = f"{b.anchor}-{k}", k + 1
            used.add(anchor)
            blocks.append(replace(b, anchor=anchor))
    fields = {}
    for name in ("created", "released", "classification", "origin", "subject", "classified_by", "declassify_on",
                 "summary", "header", "fields_text"):
        fields[name] = next((getattr(p, name) for p in parts if getattr(p, name)), None)
    tags = tuple(dict.fromkeys(t for p in parts for t in p.tags))
    refs = tuple(dict.fromkeys(r for p in parts for r in p.references))
    return replace(first, blocks=tuple(blocks), tags=tags, references=refs, signed_by=parts[-1].signed_by,
                   recipients=first.recipients or next((p.recipients for p in parts if p.recipients), ()),
                   warnings=tuple(w for p in parts for w in p.warnings), section=None, **fields)


def _fill_missing_ids(cables: Iterable[Cable], messages: list[Message]) -> list[Cable]:
    out = []
    for c in cables:
        if not c.reference_id:
            stem = urls.safe_name(PurePath(c.source).stem)
            rid = f"UNIDENTIFIED-{stem}" + (f"-{c.source_line}" if c.source_line else "")
            messages.append(Message("no-reference-id", f"cable has no reference id; published as {rid}", c.source, c.source_line))
            c = replace(c, reference_id=rid)
        out.append(c)
    return out


def _where(c: Cable) -> str:
    return c.source + (f":{c.source_line}" if c.source_line else "")


def _pick(versions: list[Cable], messages: list[Message]) -> Cable:
    """The most complete of several versions of one cable, with a message naming every file left aside."""
    keep, *rest = sorted(versions, key=completeness, reverse=True)
    for drop in rest:
        messages.append(Message(
            "duplicate-cable",
            f"{keep.reference_id} is also in {_where(drop)}; the page is built from {_where(keep)} (the more complete version)",
            drop.source, drop.source_line))
    return keep


def assemble(cables: Iterable[Cable], loader: Callable[[Cable], Cable] = as_is) -> Archive:
    """Build the archive from parsed cables: one page per reference id, cross-references and listings.

    `loader` gives back the body of a cable whose text the build moved to disk (see textstore.py)."""
    messages: list[Message] = []
    chosen: dict[str, Cable] = {}
    sectioned: dict[str, list[Cable]] = defaultdict(list)
    plain: list[Cable] = []
    for c in _fill_missing_ids(cables, messages):
        (sectioned[c.reference_id] if c.section else plain).append(c)  # type: ignore[index]
    for rid, parts in sectioned.items():
        numbers = sorted({p.section for p in parts})  # type: ignore[type-var]
        if len(numbers) > 1:
            total = max((p.sections or 0) for p in parts)
            joined = join_sections([_pick([p for p in parts if p.section == n], messages) for n in numbers], loader)
            files = ", ".join(f"{p.source} (section {p.section})" for p in sorted(parts, key=lambda c: (c.section or 0, c.source)))
            messages.append(Message("joined-sections", f"{rid}: sections {', '.join(map(str, numbers))} of {total} joined from {files}", parts[0].source))
            missing = sorted(set(range(1, total + 1)) - set(numbers))  # type: ignore[arg-type]
            if missing:
                messages.append(Message("missing-sections", f"{rid}: section {', '.join(map(str, missing))} of {total} not found; the page shows the others", parts[0].source))
            plain.append(joined)
        else:
            plain.extend(parts)
    by_id: dict[str, list[Cable]] = defaultdict(list)
    for c in plain:
        by_id[c.reference_id].append(c)  # type: ignore[index]
    for rid, versions in by_id.items():
        chosen[rid] = _pick(versions, messages)

    ordered = sorted(chosen.values(), key=_newest_key, reverse=True)
    ids = tuple(c.reference_id for c in ordered)  # type: ignore[misc]
    cables_by_id = {c.reference_id: c for c in ordered}

    paths: dict[str, str] = {}
    used: set[str] = set()
    for c in sorted(ordered, key=lambda c: c.reference_id):  # type: ignore[arg-type, return-value]
        stem = urls.safe_name(c.reference_id or "")
        y, m = (c.created.year, c.created.month) if c.created else (None, None)
        path, k = urls.cable(stem, y, m), 2
        while path.lower() in used:  # ids that differ only by unsafe characters or case
            path, k = urls.cable(f"{stem}_{k}", y, m), k + 1
        used.add(path.lower())
        paths[c.reference_id] = path  # type: ignore[index]

    cited: dict[str, list[str]] = defaultdict(list)
    by_tag: dict[str, list[str]] = defaultdict(list)
    by_origin: dict[str, list[str]] = defaultdict(list)
    by_class: dict[str, list[str]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[str]] = defaultdict(list)
    for c in ordered:
        rid = c.reference_id
        for ref in c.references:
            if ref in cables_by_id and ref != rid:
                cited[ref].append(rid)  # type: ignore[arg-type]
        for t in c.tags:
            by_tag[t].append(rid)  # type: ignore[arg-type]
        by_origin[c.origin or "Unknown origin"].append(rid)  # type: ignore[arg-type]
        by_class[c.classification or "UNKNOWN"].append(rid)  # type: ignore[arg-type]
        if c.created:
            by_month[(c.created.year, c.created.month)].append(rid)  # type: ignore[arg-type]

    neighbours: dict[str, tuple[str | None, str | None]] = {}
    for members in by_origin.values():
        chrono = list(reversed(members))
        for i, rid in enumerate(chrono):
            neighbours[rid] = (chrono[i - 1] if i else None, chrono[i + 1] if i + 1 < len(chrono) else None)

    def frozen(d: dict) -> dict:
        return {k: tuple(v) for k, v in sorted(d.items(), key=lambda kv: _sort_key(kv[0]))}

    return Archive(
        cables=cables_by_id,  # type: ignore[arg-type]
        paths=paths,
        newest_first=ids,
        cited_by=frozen(cited),
        by_tag=frozen(by_tag),
        by_origin=frozen(by_origin),
        by_classification=frozen(by_class),
        by_month=frozen(by_month),
        neighbours=neighbours,
        messages=tuple(messages),
        loader=loader,
    )


def _sort_key(key) -> tuple:
    if isinstance(key, tuple):
        return key
    return (re.sub(r"\W", "", str(key)).lower(), str(key))
