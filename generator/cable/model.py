"""The cable model: plain frozen data that every later stage reads."""
from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from generator.messages import Message


@dataclass(frozen=True)
class Block:  # no __slots__: blocks live on disk during a build, and slotted dataclasses unpickle slowly
    """One piece of a cable body: a numbered paragraph, a sub-paragraph, a heading or loose text.

    `anchor` is the fragment readers link to. Numbered paragraphs own `para-N`;
    every other kind has an anchor of another shape, so they never collide.
    """

    kind: str  # "paragraph", "subparagraph", "heading" or "text"
    anchor: str
    text: str
    number: int | None = None
    label: str | None = None  # the cable's own label: "5", "5.B"
    classification: str | None = None  # the portion marking, without parentheses
    line: int | None = None  # 1-based line in the source file where the block starts
    wikileaks_anchor: str | None = None  # "par6" where the source page had one


@dataclass(frozen=True, slots=True)
class TextRef:
    """Where a cable's body waits on disk while the archive holds only its metadata (see textstore.py)."""

    offset: int
    length: int
    digest: str
    body_length: int
    lead: str  # the start of the first block, for feeds and listings that need a line of text

    def __reduce__(self) -> tuple:
        return TextRef, _TEXT_REF_VALUES(self)


@dataclass(frozen=True, slots=True)
class Cable:
    """A parsed cable with every field the archive shows."""

    source: str
    reference_id: str | None
    created: datetime | None = None
    released: datetime | None = None
    classification: str | None = None
    origin: str | None = None
    subject: str | None = None
    tags: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    classified_by: str | None = None
    declassify_on: date | None = None
    summary: str | None = None
    signed_by: str | None = None
    recipients: tuple[str, ...] = ()
    header: str | None = None  # the transmission header, as sent
    fields_text: str | None = None  # the banner and header fields (E.O., TAGS, SUBJECT, REF...) as written
    sections: int | None = None
    section: int | None = None  # which section this text is, when a source holds one section of several
    blocks: tuple[Block, ...] = ()
    warnings: tuple[Message, ...] = ()
    source_line: int | None = None  # where the cable starts in its file (a CSV row, say)
    source_format: str | None = None
    text_ref: TextRef | None = None  # set when `blocks` were moved to disk for the length of a build

    def __reduce__(self) -> tuple:
        # pickled as the call that makes it: a slotted dataclass's own pickling sets each field in Python code,
        # and cables are pickled by the thousand (to and from workers, in and out of the parse cache)
        return Cable, _CABLE_VALUES(self)

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        """The numbered paragraphs only."""
        return tuple(b for b in self.blocks if b.kind == "paragraph")

    @property
    def headings(self) -> tuple[Block, ...]:
        """The headings between paragraphs."""
        return tuple(b for b in self.blocks if b.kind == "heading")

    def body_text(self) -> str:
        """All block texts joined by blank lines, for search and export."""
        return "\n\n".join(b.text for b in self.blocks)


_CABLE_VALUES = operator.attrgetter(*(f.name for f in fields(Cable)))
_TEXT_REF_VALUES = operator.attrgetter(*(f.name for f in fields(TextRef)))


@dataclass(frozen=True)
class RawCable:
    """What a reader hands the parser: text lines with their line numbers, and outside metadata."""

    source: str
    source_format: str
    lines: tuple[str, ...]
    first_line: int = 1  # line number of lines[0] in the source file
    meta: dict = field(default_factory=dict)
    warnings: tuple[Message, ...] = ()
