"""Format 5: the first-day JSON export. Whitespace is gone and case is mangled: get what can be got."""
from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from datetime import datetime

from generator.cable.fields import known_classification
from generator.cable.model import RawCable
from generator.messages import Message

NAME = "json"
_KEYS = {
    "reference_id": ("reference_id", "referenceid", "refid", "ref_id", "id", "identifier", "cable_id"),
    "created": ("created", "date", "datetime", "created_at"),
    "released": ("released", "release_date", "released_at"),
    "classification": ("classification", "class"),
    "origin": ("origin", "source"),
    "subject": ("subject", "title"),
    "tags": ("tags",),
    "header": ("header",),
    "body": ("body", "content", "text", "cable"),
}
# Where a run-together body starts a new line: numbered paragraphs and header fields.
_BANNER_END = re.compile(
    r"^((?:UNCLAS|CONFIDENTIAL|SECRET|C O N F I D E N T I A L|S E C R E T)(?:\s+SENSITIVE)?(?:\s+SECTION \d+ OF \d+)?"
    r"\s+[A-Z][A-Z ]*?\s\d{3,7})\s+", re.IGNORECASE)
_SIPDIS = re.compile(r"\s+(SIPDIS)\s+")
# The end of a REF list run into the first sentence: `REF: STATE 119840 Per reftel instructions...`.
_REF_END = re.compile(r"(REF:\s*(?:[^a-z]*?\d{1,6}))\s+(?=[A-Z][a-z])")
_SIGNATURE = re.compile(r"([.!?\"')])\s+([A-Z][A-Z'-]{2,}(?:\s[A-Z][A-Z'-]{2,})?)\s*$")
_BREAKS = re.compile(
    r"(?<=\S)\s*(?=(?:¶\s*\d{1,3}\.|(?<![\d.])\d{1,3}\.\s?\((?:U|C|S|SBU|S//NF|C//NF|C/NF|S/NF)\))|"
    r"(?:E\.O\.\s?1\d{4}|TAGS:|SUBJECT:|REF:|CLASSIFIED BY:))",
    re.IGNORECASE,
)


def detect(head: str) -> bool:
    """True when the file opens as JSON."""
    return head.lstrip("\ufeff \t\r\n")[:1] in ("{", "[")


def _get(rec: dict, field: str):
    lowered = {str(k).lower(): v for k, v in rec.items()}
    for key in _KEYS[field]:
        if key in lowered and lowered[key] not in (None, ""):
            return lowered[key]
    return None


def _when(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%m/%d/%Y %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip()[: len(datetime(2000, 1, 1).strftime(fmt))], fmt)
        except ValueError:
            continue
    return None


def read(source: str, text: str) -> Iterator[RawCable | Message]:
    """Yield one RawCable per record of a JSON object, array or JSON-lines file."""
    try:
        data = json.loads(text)
        records = data if isinstance(data, list) else [data]
        lines_of = [None] * len(records)
    except json.JSONDecodeError:
        records, lines_of = [], []
        for n, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
                lines_of.append(n)
            except json.JSONDecodeError as exc:
                yield Message("bad-json", f"not JSON: {exc.msg}", source, n, "error")
    for i, rec in enumerate(records):
        line = lines_of[i] or 1
        if not isinstance(rec, dict):
            yield Message("bad-json", f"record {i + 1} is not an object", source, line, "error")
            continue
        body = _get(rec, "body")
        if not isinstance(body, str) or not body.strip():
            yield Message("not-a-cable", f"record {i + 1} has no body text", source, line, "error")
            continue
        warnings = []
        header = _get(rec, "header")
        full = (header + "\n\n" if isinstance(header, str) and header.strip() else "") + body
        if "\n" not in full.strip():
            full = _BANNER_END.sub(lambda m: m.group(1) + "\n", full.strip(), count=1)
            full = _SIPDIS.sub(lambda m: "\n" + m.group(1) + "\n", full)
            full = _BREAKS.sub("\n", full)
            full = _REF_END.sub(lambda m: m.group(1) + "\n", full, count=1)
            full = _SIGNATURE.sub(lambda m: m.group(1) + "\n" + m.group(2), full)
            warnings.append(Message("whitespace-lost", "line breaks were lost in this export; paragraphs re-split at their numbers, wrapped lines cannot be restored", source, line))
        letters = [c for c in body if c.isalpha()]
        if letters and sum(c.islower() for c in letters) / len(letters) > 0.98:
            warnings.append(Message("case-lost", "the text is all lower case in this export; shown as given", source, line))
        meta = {
            "reference_id": _get(rec, "reference_id"),
            "created": _when(_get(rec, "created")),
            "released": _when(_get(rec, "released")),
            "classification": known_classification(str(_get(rec, "classification") or "")),
            "origin": _get(rec, "origin"),
            "subject": _get(rec, "subject"),
        }
        tags = _get(rec, "tags")
        if isinstance(tags, str):
            tags = re.split(r"[\s,;]+", tags)
        if isinstance(tags, list):
            meta["tags"] = [str(t).strip().upper() for t in tags if str(t).strip()]
        if isinstance(meta["origin"], str) and meta["origin"].islower():
            meta["origin"] = string.capwords(meta["origin"])
        if isinstance(meta["reference_id"], str):
            meta["reference_id"] = meta["reference_id"].strip().upper()
        yield RawCable(source, NAME, tuple(full.split("\n")), line, {k: v for k, v in meta.items() if v}, tuple(warnings))
