"""`parse()`: a reader's RawCable in, a Cable with its warnings out. Never raises on bad input."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from generator.cable import fields as F
from generator.cable.ids import canonical_id, is_valid_id, normalise_id, origin_from_fm
from generator.cable.model import Block, Cable, RawCable
from generator.cable.paragraphs import ends_sentence, segment
from generator.messages import Message

# Routing indicators are runs of capitals that split into groups of 5 to 7 letters: runs of 5 to 7 or of 10 and
# more, each matched whole. Written as groups that repeat (`(?:[A-Z]{5,7}\s*)+`), a long run of capitals
# made the engine try every way to split it before failing: minutes for one line of 120 letters.
_TRANSMISSION = re.compile(
    r"^\s*(?:VZCZC\S*|[A-Z]{2}\s+(?:(?:[A-Z]{10,}|[A-Z]{5,7})(?![A-Z])\s*)+|DE\s+[A-Z]{4,7}\s+#\d+.*|ZNY\s+[A-Z]+.*|ZNR\s+[A-Z]+.*|"
    r"ZZH|ZDK.*|[A-Z]{1,2}\s+\d{6}Z\s+[A-Z]{3}\s+\d{2,4}.*|FM\s+.+|TO\s+.+|INFO\s+.+|"
    r"R\s+\d{6}Z.*|[A-Z0-9]{4,8}/.+|BT|HQ\s.+)$"
)
_DE_LINE = re.compile(r"^\s*DE\s+[A-Z]{4,7}\s+#(\d{1,6})")
_TRAILER = re.compile(r"^\s*(?:BT|NNNN|#\d{1,6})\s*$")
_ROUTING = re.compile(r"^[A-Z0-9]{4,8}/")
_SIGNATURE = re.compile(r"^[A-Z][A-Za-z'.-]+(?:\s+[A-Z][A-Za-z'.-]+){0,2}$")
_NOT_SIGNATURES = frozenset({"END", "COMMENT", "SUMMARY", "NOTE", "TEXT", "BEGIN", "UNQUOTE", "QUOTE"})


@dataclass
class _Header:
    transmission: list[str] = field(default_factory=list)
    created: datetime | None = None
    fm: str | None = None
    recipients: list[str] = field(default_factory=list)
    de_serial: str | None = None
    banner: F.Banner | None = None
    noforn: bool = False
    sensitive: bool = False
    fields: dict[str, list[str]] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)  # the banner and field lines as written


def _recipient(line: str) -> str:
    line = re.sub(r"^\s*(?:TO|INFO)\s+", "", line.strip())
    # spaces made one before the precedence is taken off: over a long run of them, `\s+...\s*\d*\s*$` tried
    # every split of the run, at every place in it
    line = re.sub(r"\s+", " ", _ROUTING.sub("", line))
    line = re.sub(r" (?:IMMEDIATE|PRIORITY|ROUTINE|FLASH)? ?\d* ?$", "", line)
    return line.strip()


def _read_transmission(lines: list[tuple[int, str]], h: _Header) -> None:
    section = None
    for _, raw in lines:
        text = raw.strip()
        if not text:
            continue
        h.transmission.append(text)
        if h.created is None and (dtg := F.parse_dtg(text)):
            h.created = dtg
            continue
        if m := _DE_LINE.match(text):
            h.de_serial = m.group(1)
        elif text.startswith("FM "):
            h.fm, section = text[3:].strip(), None
        elif text.startswith(("TO ", "INFO ")):
            section = "rcpt"
            h.recipients.append(_recipient(text))
        elif section == "rcpt" and _ROUTING.match(text):
            h.recipients.append(_recipient(text))


_REASON = re.compile(r"REASONS?\b", re.IGNORECASE)
_DOTTED_DIGITS = re.compile(r"\d\.\d")


class _Reasons:
    """Whether the Classified By field read so far has given its reasons (`REASONS 1.4 (B) AND (D).`): the
    text joined so far matches `REASONS?\\b.*\\d\\.\\d.*[).]\\s*$` (case aside). Kept up line by line: searched
    whole at every line, a field of thousands of lines took minutes."""

    def __init__(self) -> None:
        self.reason = False  # REASON(S) seen
        self.digits = False  # and a digit, dot, digit after it
        self.last = ""  # the text's last character that is not a space

    def add(self, piece: str) -> None:
        """Take in the next piece of the field, as it is joined to the rest with a space."""
        rest: str | None = piece
        if not self.reason:
            m = _REASON.search(piece)
            self.reason, rest = m is not None, piece[m.end():] if m else None
        if rest is not None and not self.digits:
            self.digits = _DOTTED_DIGITS.search(rest) is not None
        if stripped := piece.rstrip():
            self.last = stripped[-1]

    @property
    def given(self) -> bool:
        """True once the reasons are given and closed by `)` or `.`."""
        # the digits end on a digit, so a closing `)` or `.` at the very end comes after them
        return self.reason and self.digits and self.last in (")", ".")


def _field_continues(name: str, text: str, reasons: _Reasons) -> bool:
    if F.FIELD_LABEL.match(text):
        return False
    if name == "tags":
        # words of tag characters with spaces between (not as repeated groups: those backtrack exponentially)
        return len(text) < 70 and text.upper() == text and bool(re.fullmatch(r"[\[\]\w#(),/-][\[\]\w#(),/\s-]*", text))
    if name == "subject":
        letters = [c for c in text if c.isalpha()]
        return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8
    if name == "ref":  # REF items are upper case; a line of prose ends the list
        return not re.match(r"^\s*¶?\d{1,3}\.\s", text) and not re.match(r"^[A-Z][a-z]+\s+[a-z]", text)
    if name == "classified_by":
        return not reasons.given and not re.match(r"^\s*¶?\d{1,3}\.\s", text)
    return False


def _field_follows(lines: list[tuple[int, str]], i: int, window: int = 8) -> bool:
    """True when a header field label comes within a few lines, before any numbered paragraph."""
    seen = 0
    for k in range(i + 1, len(lines)):  # by index: a slice of the rest at every line was quadratic
        text = lines[k][1].strip()
        if not text:
            continue
        if re.match(r"^¶?\s*\d{1,3}\.\s", text):
            return False
        if F.FIELD_LABEL.match(text):
            return True
        seen += 1
        if seen >= window:
            return False
    return False


def _read_fields(lines: list[tuple[int, str]], h: _Header) -> int:
    """Read header fields after the banner; return how many lines they took."""
    current: str | None = None
    used = 0
    reasons = _Reasons()  # what the Classified By lines say so far (they end at the reasons)

    def add(name: str, value: str) -> None:
        h.fields.setdefault(name, []).append(value)
        if name == "classified_by":
            reasons.add(value)

    for i, (_, raw) in enumerate(lines):
        text = raw.strip()
        if not text:
            current = None
            used = i + 1
            continue
        before = used
        m = F.FIELD_LABEL.match(text)
        if m:
            current = F.field_name(m.group("label"))
            add(current, text if current == "eo" else m.group("rest"))
            used = i + 1
        elif current and _field_continues(current, text, reasons):
            add(current, text)
            used = i + 1
        elif F.REF_ITEM_LINE.match(raw):  # a REF item whose `REF:` line was lost
            add("ref", text)
            current, used = "ref", i + 1
        elif re.fullmatch(r"(?:NOFORN|SIPDIS|SENSITIVE|EXDIS|NODIS|LIMDIS|STADIS|SIPDIS\s+NOFORN|NOFORN\s+SIPDIS)\.?", text):
            h.noforn = h.noforn or "NOFORN" in text
            h.sensitive = h.sensitive or text.startswith("SENSITIVE")
            used = i + 1
        elif _field_follows(lines, i):  # a distribution line (`STATE FOR EUR/RUS`) before the fields
            add("distribution", text)
            current, used = None, i + 1
        else:
            break
        if used > before:
            h.written.append(text)
    return used


_GLUED_BANNER = re.compile(r"(?<=[A-Za-z0-9])(?=(?:UNCLAS|CONFIDENTIAL|SECRET|C O N F I D E N T I A L|S E C R E T)\s)")


def _unglue_banner(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Split `INFO RUEATRS/DEPT OF TREASURY WASHDCUNCLAS MOSCOW 004331`: scrapes glued the banner to the header."""
    for i, (n, raw) in enumerate(lines[:80]):
        if F.parse_banner(raw):
            return lines
        for m in _GLUED_BANNER.finditer(raw):
            if F.parse_banner(raw[m.start():]):
                return [*lines[:i], (n, raw[: m.start()]), (n, raw[m.start():]), *lines[i + 1 :]]
    return lines


def _find_banner(lines: list[tuple[int, str]]) -> int | None:
    for i, (_, raw) in enumerate(lines[:120]):
        if F.parse_banner(raw):
            return i
        if F.FIELD_LABEL.match(raw.strip()) or re.match(r"^\s*¶?1\.\s", raw):
            return None
    return None


def _signature(blocks: list[Block], body: list[tuple[int, str]]) -> tuple[list[Block], str | None]:
    """Take the closing signature (`Stewart`, `BURNS`) off the last block."""
    nonblank = [raw.strip() for _, raw in body if raw.strip()]
    if len(nonblank) < 2 or not blocks:
        return blocks, None
    last, before = nonblank[-1], nonblank[-2]
    if not _SIGNATURE.match(last) or last.upper().split()[0] in _NOT_SIGNATURES:
        return blocks, None
    if not ends_sentence(before) or re.fullmatch(r"[A-Z][a-z]+", last) and len(last) < 3:
        return blocks, None
    tail = blocks[-1]
    if tail.kind == "heading" or not tail.text.endswith(last):
        return blocks, None
    rest = tail.text[: -len(last)].rstrip()
    if not rest:
        return blocks[:-1], last
    return [*blocks[:-1], replace(tail, text=rest)], last


_SUMMARY_END = re.compile(r"\bEND\s+(?:OF\s+)?SUMMARY\b", re.IGNORECASE)
_SUMMARY_START = re.compile(r"\bSUMMARY(?:\s+AND\s+COMMENT)?\s*(?:[:.]|--|-)\s*", re.IGNORECASE)


def find_summary(blocks: list[Block]) -> str | None:
    """The text between `Summary:` and `End Summary`, or the summary paragraph under a Summary heading."""
    for i, b in enumerate(blocks):
        # A necessary condition first, ten times quicker than the search: every character that matches a letter
        # of SUMMARY ignoring case upper-cases to that letter (the long s too: checked over all of Unicode)
        if "SUMMARY" not in b.text.upper():
            continue
        end = _SUMMARY_END.search(b.text)
        if end is None:
            continue
        text = b.text[: end.start()]
        starts = list(_SUMMARY_START.finditer(text))
        if starts:
            return _tidy_summary(text[starts[-1].end() :])
        # The summary began in an earlier block: a `Summary:` paragraph or a `Summary` heading.
        for j in range(i - 1, max(-1, i - 6), -1):
            prior = blocks[j]
            if prior.kind == "heading" and "SUMMARY" in prior.text.upper():
                return _tidy_summary(" ".join(x.text for x in blocks[j + 1 : i]) + " " + text)
            if (s := list(_SUMMARY_START.finditer(prior.text))):
                return _tidy_summary(prior.text[s[0].end() :] + " " + " ".join(x.text for x in blocks[j + 1 : i]) + " " + text)
        return _tidy_summary(text)
    return None


def _tidy_summary(text: str) -> str | None:
    text = re.sub(r"\s+", " ", text).strip().rstrip("-").strip()
    return text or None


def parse(raw: RawCable, lines: list[tuple[int, str]] | None = None) -> Cable:
    """Parse one cable. Problems become warnings on the cable; nothing here raises on bad input. `lines`, when
    given, are `fields.text_lines` of the cable's lines (the caller made them for the audit too)."""
    warnings: list[Message] = list(raw.warnings)
    meta = raw.meta
    src = raw.source

    def warn(kind: str, text: str, line: int | None = None) -> None:
        warnings.append(Message(kind, text, src, line))

    kept = list(lines) if lines is not None else F.text_lines(raw.lines, raw.first_line)
    while kept and (not kept[-1][1].strip() or _TRAILER.match(kept[-1][1])):
        kept.pop()

    kept = _unglue_banner(kept)
    h = _Header()
    b = _find_banner(kept)
    if b is not None:
        _read_transmission(kept[:b], h)
        h.banner = F.parse_banner(kept[b][1])
        h.written.append(kept[b][1].strip())
        rest = kept[b + 1 :]
    else:
        top = 0
        while top < len(kept) and (not kept[top][1].strip() or _TRANSMISSION.match(kept[top][1].strip())):
            top += 1
        _read_transmission(kept[:top], h)
        rest = kept[top:]
    used = _read_fields(rest, h)
    body = rest[used:]

    continues = bool(h.banner and h.banner.section and h.banner.section > 1)
    blocks, pilcrows, seg_warnings = segment(body, src, continues)
    warnings.extend(seg_warnings)
    blocks, signed_by = _signature(blocks, body)

    for k, anchor in zip(pilcrows, meta.get("wikileaks_anchors") or []):
        blocks[k] = replace(blocks[k], wikileaks_anchor=anchor)

    created = meta.get("created") or h.created
    if meta.get("created") and h.created and abs((meta["created"] - h.created).days) > 1:
        warn("created-mismatch", f"source says created {meta['created']:%Y-%m-%d %H:%M}, the date-time group says {h.created:%Y-%m-%d %H:%M}")
    year = created.year if created else None

    derived_id = None
    if h.banner and h.banner.place and h.banner.serial and year:
        derived_id = canonical_id(h.banner.place, h.banner.serial, year)
    ref_id = normalise_id(meta["reference_id"]) if meta.get("reference_id") else derived_id
    if ref_id is None:
        warn("no-reference-id", "no reference id: the source gives none and no banner and date-time group to derive one")
    elif not is_valid_id(ref_id):
        warn("malformed-reference-id", f"reference id {ref_id!r} is not of the form YYPLACESERIAL; kept as given")

    classification = meta.get("classification")
    if classification is None and h.banner:
        noforn = h.noforn or h.banner.classification.endswith("NOFORN")
        sensitive = h.sensitive or "OFFICIAL" in h.banner.classification
        classification = F.classification_name(h.banner.classification.split("//")[0], noforn, sensitive)
    if classification is None:
        warn("no-classification", "no classification in the source metadata or a banner")

    origin = meta.get("origin") or (origin_from_fm(h.fm) if h.fm else None)
    if origin is None:
        warn("no-origin", "no origin: the source gives none and there is no FM line")

    subject_text = " ".join(h.fields.get("subject", []))
    subject, glued_refs = F.clean_subject(subject_text) if subject_text else (None, "")
    if not subject and meta.get("subject"):
        subject = meta["subject"]
    if not subject:
        warn("no-subject", "no SUBJECT line")

    tags = F.parse_tags(" ".join(h.fields.get("tags", [])))
    if not tags and meta.get("tags"):
        tags = list(meta["tags"])
    if not tags:
        warn("no-tags", "no TAGS line")

    ref_text = " ".join(h.fields.get("ref", [])) + " " + glued_refs
    references = F.parse_refs(ref_text, year, ref_id) if ref_text.strip() else []
    if ref_text.strip() and year is None:
        warn("ref-without-year", "REF list present but no creation year to complete its ids")

    classified_by = None
    if h.fields.get("classified_by"):
        classified_by = F.clean_classified_by(" ".join(h.fields["classified_by"]))
    declassify_on = None
    for line in h.fields.get("eo", []):
        declassify_on = declassify_on or F.parse_decl(line)

    if not blocks:
        warn("empty-body", "no cable text after the header")

    return Cable(
        source=src,
        reference_id=ref_id,
        created=created,
        released=meta.get("released"),
        classification=classification,
        origin=origin,
        subject=subject,
        tags=tuple(tags),
        references=tuple(references),
        classified_by=classified_by,
        declassify_on=declassify_on,
        summary=find_summary(blocks),
        signed_by=signed_by,
        recipients=tuple(r for r in h.recipients if r),
        header="\n".join(h.transmission) or None,
        fields_text="\n".join(h.written) or None,
        sections=h.banner.sections if h.banner else None,
        section=h.banner.section if h.banner and h.banner.sections and h.banner.sections > 1 else None,
        blocks=tuple(blocks),
        warnings=tuple(warnings),
        source_line=raw.first_line if raw.meta.get("row") else None,
        source_format=raw.source_format,
    )
