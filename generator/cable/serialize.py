"""The stable JSON form of a cable, as `cablesite parse --json` prints it (documented in docs/json.md)."""
from __future__ import annotations

from generator.cable.model import Block, Cable


def _when(value) -> str | None:
    if value is None:
        return None
    # naive datetimes (every reader makes them so): to the minute, as strftime("%Y-%m-%dT%H:%M") in a third of its time
    return value.isoformat(timespec="minutes") if hasattr(value, "hour") else value.isoformat()


def block_json(b: Block) -> dict:
    """One block as `{anchor, number, classification, text, kind, label, line}`."""
    out = {"anchor": b.anchor, "number": b.number, "classification": b.classification, "text": b.text, "kind": b.kind, "label": b.label, "line": b.line}
    if b.wikileaks_anchor:
        out["wikileaks_anchor"] = b.wikileaks_anchor
    return out


def metadata_json(c: Cable) -> dict:
    """The fields of `cable_json` that describe a cable (from its reference id to who signed it), in its order."""
    return {
        "reference_id": c.reference_id,
        "created": _when(c.created),
        "released": _when(c.released),
        "classification": c.classification,
        "origin": c.origin,
        "subject": c.subject,
        "tags": list(c.tags),
        "references": list(c.references),
        "classified_by": c.classified_by,
        "declassify_on": _when(c.declassify_on),
        "summary": c.summary,
        "signed_by": c.signed_by,
    }


def cable_json(c: Cable) -> dict:
    """A cable as the JSON object `cablesite parse --json` prints, one per line."""
    return {
        "source": c.source,
        "source_line": c.source_line,
        "format": c.source_format,
        **metadata_json(c),
        "recipients": list(c.recipients),
        "header": c.header,
        "fields_text": c.fields_text,
        "sections": c.sections,
        "section": c.section,
        "paragraphs": [block_json(b) for b in c.blocks],
        "warnings": [w.to_json() for w in c.warnings],
    }
