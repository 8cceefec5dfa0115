"""The no-text-lost audit: every letter of a source, less the lines that are not cable text, must
come out of the parser in the same order (header, banner and fields as written, blocks, signature)."""
from __future__ import annotations

import re

from generator.cable.fields import text_lines
from generator.cable.model import Cable, RawCable

_NOT_LETTER = re.compile(r"[\W\d_]+")
_TABLE_END = 0x3000
# the same deletions as _NOT_LETTER for the first code points, as a translate table: 15 times faster
_DROP = {i: None for i in range(_TABLE_END) if _NOT_LETTER.fullmatch(chr(i))}


def letters(text: str) -> str:
    """Only the letters of a text: the stream both sides are compared on."""
    out = text.translate(_DROP)
    if not out.isascii() and ord(max(out)) >= _TABLE_END:  # characters past the table (CJK, symbols): the regex decides
        return _NOT_LETTER.sub("", out)
    return out


def source_letters(raw: RawCable, lines: list[tuple[int, str]] | None = None) -> str:
    """Letters of the source lines the parser must account for (page breaks and SIPDIS are not); `lines`,
    when given, are `text_lines` of the cable's lines."""
    kept = [ln for _, ln in (lines if lines is not None else text_lines(raw.lines))]
    while kept and (not kept[-1].strip() or re.match(r"^\s*(?:BT|NNNN|#\d{1,6})\s*$", kept[-1])):
        kept.pop()
    return letters("\n".join(kept))


def output_letters(cable: Cable) -> str:
    """Letters of everything the parser kept, in source order."""
    parts = [cable.header or "", cable.fields_text or ""]
    for b in cable.blocks:
        if b.kind == "subparagraph" and b.label:
            parts.append(b.label.rsplit(".", 1)[-1])
        parts.append(b.classification or "")
        parts.append(b.text)
    parts.append(cable.signed_by or "")
    return letters("".join(parts))


def lost_text(raw: RawCable, cable: Cable, lines: list[tuple[int, str]] | None = None) -> str | None:
    """None when no letter was lost or reordered; else a short excerpt of where the streams part. `lines`, when
    given, are `text_lines` of the cable's lines (made once for the parser and the audit)."""
    src, out = source_letters(raw, lines), output_letters(cable)
    if src == out:
        return None
    i = next((k for k, (a, b) in enumerate(zip(src, out)) if a != b), min(len(src), len(out)))
    return f"source …{src[max(0, i - 30):i + 30]}… vs parsed …{out[max(0, i - 30):i + 30]}…"
