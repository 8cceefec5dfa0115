"""One small function per header rule: date-time group, banner, E.O. line, TAGS, SUBJECT, REF, Classified By."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from generator.cable.ids import NOT_PLACES, canonical_id

MONTHS = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)}

CLASSIFICATIONS = (
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    "CONFIDENTIAL//NOFORN",
    "SECRET//NOFORN",
    "UNCLASSIFIED",
    "CONFIDENTIAL",
    "SECRET",
)

# --- lines that are not cable text -------------------------------------------------------

_PAGE_BREAKS = (
    # MOSCOW 00001171  002 OF 003 / MINSK 00000270 001.2 OF 002
    re.compile(r"^\s*[A-Z][A-Z .'/-]{1,40}?\s+\d{3,8}\s+\d{3}(?:\.\d+)?\s+OF\s+\d{3}\s*$"),
    # PAGE 02 LIMA 03418 01 OF 03 191454Z
    re.compile(r"^\s*PAGE\s+\d{1,3}\s+[A-Z][A-Z .'/-]*?\s+\d{2,8}\s+\d{2}\s+OF\s+\d{2}\s+\d{6}Z\s*$"),
)
_SIPDIS = re.compile(r"^\s*(?:SIPDIS\s*)+$")


def line_kind_to_drop(line: str) -> str | None:
    """Why a body line is not cable text (`page-break`, `sipdis`, `decoration`), or None to keep it."""
    stripped = line.strip()
    # cheap necessary conditions first: this runs on every line of every cable
    if stripped[:1] == "S" and _SIPDIS.match(line):
        return "sipdis"
    # a rule: nothing but -=_*~ and spaces between its ends, 3 of them dashes, equals signs or underscores. (As
    # a pattern, `^\s*[-=_*~ ]{3,}\s*$`, a long run of spaces took time cubic in its length: spaces are both.)
    if stripped[:1] in ("-", "=", "_", "*", "~") and not stripped.strip("-=_*~ ") \
            and line.count("-") + line.count("=") + line.count("_") >= 3:
        return "decoration"
    if (stripped[-1:].isdigit() or stripped[-1:] == "Z") and "OF" in stripped:
        for rx in _PAGE_BREAKS:
            if rx.match(line):
                return "page-break"
    return None


def text_lines(lines: Sequence[str], first: int = 1) -> list[tuple[int, str]]:
    """The lines that are cable text, with their line numbers (the first being `first`): tabs expanded to four
    spaces, line ends cut, page breaks, SIPDIS and rules (`line_kind_to_drop`) left out. What the parser reads
    and the no-text-lost audit accounts for, made once for both."""
    out = []
    for n, line in enumerate(lines, first):
        line = line.replace("\t", "    ").rstrip("\r\n")
        if line_kind_to_drop(line) is None:
            out.append((n, line))
    return out


# --- the date-time group -----------------------------------------------------------------

_DTG = re.compile(r"^\s*[A-Z]{1,2}\s+(\d{2})(\d{2})(\d{2})Z\s+([A-Z]{3})\s+(\d{2}|\d{4})\b")


def parse_dtg(line: str) -> datetime | None:
    """`R 291243Z MAR 07` -> 2007-03-29 12:43."""
    m = _DTG.match(line)
    if not m or m.group(4) not in MONTHS:
        return None
    day, hour, minute, mon, year = m.groups()
    y = int(year)
    if y < 100:
        y += 1900 if y >= 60 else 2000
    try:
        return datetime(y, MONTHS[mon], int(day), int(hour), int(minute))
    except ValueError:
        return None


# --- the classification banner -----------------------------------------------------------

_SPACED = re.compile(r"\b(?:[A-Z] ){3,}[A-Z]\b")
_BANNER = re.compile(
    r"^\s*(UNCLAS(?:SIFIED)?|CONFIDENTIAL|SECRET|TOP SECRET|LIMITED OFFICIAL USE)\b(.*)$"
)
_SECTION = re.compile(r"\bSECTION\s+(\d{1,3})\s+OF\s+(\d{1,3})\b")
_PLACE_SERIAL = re.compile(r"([A-Z][A-Z .'-]*?[A-Z])\s+(\d{2,7})\s*$")
_QUALIFIERS = re.compile(
    r"\b(?:SENSITIVE|NOFORN|SIPDIS|EFTO|LIMDIS|EXDIS|NODIS|STADIS|FOR OFFICIAL USE ONLY|FOUO|"
    r"BUT|SBU|NOT FOR INTERNET DISTRIBUTION)\b"
)


@dataclass(frozen=True)
class Banner:
    """What the classification line at the top of a cable says."""

    classification: str
    place: str | None
    serial: str | None
    section: int | None
    sections: int | None


def collapse_spaced(line: str) -> str:
    """`C O N F I D E N T I A L` -> `CONFIDENTIAL`."""
    return _SPACED.sub(lambda m: m.group(0).replace(" ", ""), line)


def parse_banner(line: str) -> Banner | None:
    """Read `C O N F I D E N T I A L SECTION 01 OF 03 MOSCOW 001171` and its kin."""
    text = line.strip()
    # tried on many header lines of every cable: a banner opens with the first letter of a level, which
    # collapsing spaced letters keeps
    if text[:1] not in ("U", "C", "S", "T", "L"):
        return None
    text = collapse_spaced(text)
    m = _BANNER.match(text)
    if not m:
        return None
    level, rest = m.group(1), m.group(2)
    if level == "UNCLAS" and rest and rest[0].isalpha() and not rest.startswith(" "):
        return None
    if len(rest) > 120:
        return None
    noforn = "NOFORN" in rest
    sensitive = bool(re.search(r"\b(SENSITIVE|FOR OFFICIAL USE ONLY|FOUO|SBU)\b", rest))
    section = sections = None
    sm = _SECTION.search(rest)
    if sm:
        section, sections = int(sm.group(1)), int(sm.group(2))
        rest = rest[: sm.start()] + " " + rest[sm.end() :]
    rest = _QUALIFIERS.sub(" ", rest)
    place = serial = None
    pm = _PLACE_SERIAL.search(rest)
    if pm:
        place, serial = re.sub(r"\s+", " ", pm.group(1)).strip(), pm.group(2)
    elif rest.strip():
        # A banner line carries nothing but qualifiers, a section and a place with its serial.
        return None
    return Banner(classification_name(level, noforn, sensitive), place, serial, section, sections)


def classification_name(level: str, noforn: bool = False, sensitive: bool = False) -> str:
    """Name a classification as the release does (`SECRET//NOFORN`, `UNCLASSIFIED//FOR OFFICIAL USE ONLY`)."""
    level = level.upper()
    if level == "LIMITED OFFICIAL USE":
        return "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    if level.startswith("UNCLAS"):
        return "UNCLASSIFIED//FOR OFFICIAL USE ONLY" if sensitive else "UNCLASSIFIED"
    if level in ("CONFIDENTIAL", "SECRET"):
        return f"{level}//NOFORN" if noforn else level
    return level


def known_classification(text: str) -> str | None:
    """The release's name for a classification written in a source's metadata, or None."""
    t = re.sub(r"\s+", " ", text.strip().upper())
    for c in CLASSIFICATIONS:
        if t == c:
            return c
    if t in ("UNCLAS", "UNCLASSIFIED"):
        return "UNCLASSIFIED"
    return None


# --- header fields -------------------------------------------------------------------------

FIELD_LABEL = re.compile(
    r"^\s*(?P<label>E\.\s?O\.\s*\d{5}|EO\s*\d{5}|TAGS|SUBJECT|SUBJ|REF(?:S|TEL|TELS)?|"
    r"CLASSIFIED\s+BY|DERIVED\s+FROM|DECLASSIFY\s+ON)\s*[:.]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


def field_name(label: str) -> str:
    """Map a field label as written (`E.O. 12958`, `SUBJ`, `REFTEL`) to its field."""
    u = re.sub(r"\s+", " ", label.upper())
    if u.startswith(("E.O", "EO", "E. O")):
        return "eo"
    if u.startswith("TAGS"):
        return "tags"
    if u.startswith("SUBJ"):
        return "subject"
    if u.startswith("REF"):
        return "ref"
    if u.startswith("CLASSIFIED"):
        return "classified_by"
    return "other"


_DECL = re.compile(r"DECL(?:ASSIFY)?\s*(?:ON)?\s*[:.]?\s*(\d{1,2})/(\d{1,2})/(\d{2,4})", re.IGNORECASE)


def parse_decl(text: str) -> date | None:
    """`E.O. 12958: DECL: 02/01/2016` -> 2016-02-01; None for `N/A` or a reason code."""
    m = _DECL.search(text)
    if not m:
        return None
    month, day, year = (int(g) for g in m.groups())
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


_TAG_TOKEN = re.compile(r"\(([^()]*)\)|([A-Za-z][A-Za-z0-9_-]*)")


def parse_tags(text: str) -> list[str]:
    """`[ECON](#) [EPET](#)` or `ECON, EFIN EAID` -> tags in order, deduplicated."""
    text = re.sub(r"\]\([^)]*\)", " ", text)  # markdown link targets
    text = text.replace("[", " ").replace("]", " ")
    tags: list[str] = []
    for m in _TAG_TOKEN.finditer(text):
        tag = (m.group(1) or m.group(2) or "").strip(" ,;")
        tag = re.sub(r"\s+", " ", tag).upper()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


_MARKING = re.compile(r"^\s*\((U|C|S|TS|SBU|FOUO|LOU|U/FOUO|S/NF|C/NF|S//NF|C//NF|[UCS]{1,2}(?:\s?/{1,2}\s?[A-Z]{1,8}){1,3})\)\s*")


def split_marking(text: str) -> tuple[str | None, str]:
    """`(C) Summary: ...` -> (`C`, `Summary: ...`)."""
    m = _MARKING.match(text)
    if not m:
        return None, text
    return m.group(1).replace(" ", ""), text[m.end() :]


def clean_subject(text: str) -> tuple[str, str]:
    """A subject without its marking, and any REF list glued onto it (returned apart)."""
    text = re.sub(r"\s+", " ", text).strip()
    glued = ""
    m = re.search(r"\s\bREF(?:S|TEL)?\s*:", text)
    if m:
        text, glued = text[: m.start()].strip(), text[m.end() :].strip()
    _, text = split_marking(text)
    text = re.sub(r"\s*\((?:U|C|S|SBU|S//NF|C//NF|C/NF|S/NF)\)\s*$", "", text)
    return text.strip(), glued


def clean_classified_by(text: str) -> str:
    """The statement after `Classified By:`, with whitespace folded."""
    return re.sub(r"\s+", " ", text).strip()


# A REF item: optional letter, optional year, place words, serial. `A. STATE 51992`, `B. 05 MOSCOW 15342`.
_REF_ITEM = re.compile(
    r"(?:(?<=\s)|^)(?:\(?[A-Z]\s?[.)]\s*)?(?:(\d{2})\s+)?([A-Z][A-Z]+(?:\s[A-Z]{2,}){0,3})\s+(\d{1,6})\b(?!\s*[/:.]\d)"
)
_GLUED_ID = re.compile(r"\b(\d{2})([A-Z]{3,})(\d{1,6})\b")


def parse_refs(text: str, year: int | None, self_id: str | None = None) -> list[str]:
    """The REF list as canonical ids: `A. STATE 51992` cited in 2006 -> `06STATE51992`."""
    refs: list[str] = []
    text = re.sub(r"\s+", " ", text.upper())
    for m in _GLUED_ID.finditer(text):
        rid = canonical_id(m.group(2), m.group(3), m.group(1))
        if rid not in refs:
            refs.append(rid)
    text = _GLUED_ID.sub(" ", text)
    for m in _REF_ITEM.finditer(text):
        yy, place, serial = m.groups()
        words = place.split()
        while words and words[0] in NOT_PLACES:
            words.pop(0)
        if not words or words[-1] in NOT_PLACES:
            continue
        ref_year = int(yy) if yy else year
        if ref_year is None:
            continue
        rid = canonical_id(" ".join(words), serial, ref_year)
        if rid not in refs:
            refs.append(rid)
    if self_id:
        refs = [r for r in refs if r != self_id]
    return refs


REF_ITEM_LINE = re.compile(r"^\s*\(?[A-Z][.)]\s+(?:\d{2}\s+)?[A-Z][A-Z ]+\s\d{1,6}\b")
