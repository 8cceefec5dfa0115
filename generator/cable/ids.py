"""Reference ids and origin names: canonical forms and checks."""
from __future__ import annotations

import re

VALID_ID = re.compile(r"^\d{2}[A-Z]+\d+$")

# The place names a serial is sent from, as they are written in REF lists and banners,
# mapped to the form reference ids use.
PLACE_ALIASES = {"SECSTATE": "STATE", "SECSTATEWASHDC": "STATE", "STATEWASHDC": "STATE"}

# Words that can never be a place in a REF item: they start prose, not an id.
NOT_PLACES = frozenset(
    "AND OR OF THE TO FROM IN ON AT FOR BY DATED EMAIL E-MAIL FAX TELCON TELECON MEMCON "
    "PARA PARAS PARAGRAPH REF REFS REFTEL NOTAL AS WITH NO NUMBER SECTION".split()
)


def canonical_id(place: str, serial: str | int, year: int | str) -> str:
    """Build `06MOSCOW1171` from a place (`MOSCOW`), a serial (`001171`) and a year (2006 or `06`)."""
    compact = re.sub(r"[^A-Z]", "", place.upper())
    compact = PLACE_ALIASES.get(compact, compact)
    yy = int(year) % 100
    return f"{yy:02d}{compact}{int(serial)}"


def is_valid_id(ref_id: str) -> bool:
    """True when an id has the shape of a release id: two-digit year, place, serial."""
    return bool(VALID_ID.match(ref_id))


def normalise_id(ref_id: str) -> str:
    """Trim and upper-case an id given by a source, dropping the serial's leading zeros."""
    ref_id = re.sub(r"\s+", "", ref_id).upper()
    m = re.match(r"^(\d{2}[A-Z]+?)0*(\d+)$", ref_id)
    return f"{m.group(1)}{m.group(2)}" if m else ref_id


_ORIGIN_KINDS = (
    ("AMEMBASSY", "Embassy"),
    ("AMCONSUL", "Consulate"),
    ("USMISSION", "Mission"),
    ("USOFFICE", "Office"),
    ("AMEMB", "Embassy"),
)
_KEEP_UPPER = re.compile(r"^(US[A-Z]+|UN[A-Z]*|NATO|OSCE|EU|USEU|AIT|CG)$")


def _title_place(words: str) -> str:
    parts = []
    for w in words.split():
        parts.append(w if _KEEP_UPPER.match(w) else w.capitalize())
    return " ".join(parts)


def origin_from_fm(fm: str) -> str | None:
    """`AMEMBASSY MINSK` -> `Embassy Minsk`; `SECSTATE WASHDC` -> `Secretary of State`."""
    fm = re.sub(r"\s+", " ", fm.strip().upper())
    fm = re.sub(r"\s+\d+$", "", fm)  # a trailing serial sometimes follows
    if not fm:
        return None
    if fm.startswith(("SECSTATE", "SECSTATE WASHDC")):
        return "Secretary of State"
    for prefix, kind in _ORIGIN_KINDS:
        if fm.startswith(prefix + " "):
            rest = fm[len(prefix) + 1 :]
            return f"{kind} {_title_place(rest)}"
    if fm.startswith("USUN NEW YORK"):
        return "USUN New York"
    return _title_place(fm)
