"""Split a cable body into its own numbered paragraphs, sub-paragraphs, headings and loose text.

Decisions readers' links depend on (also in docs/parsing.md):
- A line opens paragraph N when it starts `N.` or `¶N.` and N is the number the sequence expects
  (or a `¶N.` with any N, or a marked `(C)` paragraph a little ahead of the sequence). A number that
  does not fit (`March` / `19.  Explaining ...`) is text, never a paragraph.
- A lost pilcrow read as `1` (`11.`, `12.` where 1, 2 are expected) is repaired, with a warning.
- The first paragraph numbered N owns `para-N`; a later one with the same number gets `para-N-2`,
  `para-N-3` (warning `duplicate-paragraph-number`). Out-of-order `¶N.` keep their own number.
- Sub-paragraphs `A.`, `B.` inside paragraph N are `para-N-a`, `para-N-b`; headings are `h-<slug>`;
  text before paragraph 1 is `intro`, and unnumbered text blocks are `text-K`: none can be `para-N`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.cable.fields import split_marking
from generator.cable.model import Block
from generator.messages import Message

_START = re.compile(r"^(?P<p>¶|&#182;)?\s*(?P<n>\d{1,3})\s?\.(?=\s|\(|$)\s*(?P<rest>.*)$")
_SUB = re.compile(r"^\(?(?P<l>[A-Z])[.)]\s+(?P<rest>\S.*)$")
_SENTENCE_ENDS = (".", ":", ";", "!", "?", '"', "'", ")", "]", "--")
_BULLET = re.compile(r"^(?:--|-\s|\*\s|o\s|\(?[a-z0-9]{1,2}\)\s)")


@dataclass
class _Start:
    number: int
    marking: str | None
    rest: str
    pilcrow: bool
    repaired: bool = False
    gap: bool = False


@dataclass
class _Open:
    kind: str
    line: int
    number: int | None = None
    label: str | None = None
    marking: str | None = None
    pilcrow: bool = False
    parts: list[tuple[str, bool]] = field(default_factory=list)  # (raw line, blank line before it)


def ends_sentence(text: str | None) -> bool:
    """True when a line ends the way a sentence or a paragraph does."""
    return text is None or text.rstrip().endswith(_SENTENCE_ENDS)


def is_wrapped(lines: list[str]) -> bool:
    """True for hard-wrapped text, where a line ending in a space marks a wrap at a word boundary."""
    nonblank = [ln for ln in lines if ln.strip()]
    if len(nonblank) < 3:
        return False
    return sum(1 for ln in nonblank if ln[-1:] in (" ", "\t")) * 2 >= len(nonblank)


def join_lines(parts: list[tuple[str, bool]], wrapped: bool) -> str:
    """Join wrapped lines into running text, rejoining words broken across a line (`Russia'` / `s`)."""
    out: list[str] = []
    prev_raw: str | None = None
    for raw, blank_before in parts:
        content = " ".join(raw.split())
        if not content:
            continue
        if prev_raw is not None:
            prev_text = prev_raw.rstrip()
            if blank_before and ends_sentence(prev_text) and not content[0].islower():
                out.append("\n\n")
            elif _BULLET.match(content) and ends_sentence(prev_text):
                out.append("\n")
            elif wrapped and not blank_before and prev_raw[-1:] not in (" ", "\t") and not raw[:1].isspace():
                pass  # a word broken across the line
            else:
                out.append(" ")
        out.append(content)
        prev_raw = raw
    return "".join(out)


_WORD = re.compile(r"[A-Za-z][A-Za-z'/-]*")


def _title_like(text: str) -> bool:
    words = _WORD.findall(text)
    if not words or len(words) > 10:
        return False
    if text.isupper():
        return True
    long_words = [w for w in words if len(w) > 3] or words
    return sum(1 for w in long_words if w[0].isupper()) / len(long_words) >= 0.6 and words[0][0].isupper()


def slug(text: str) -> str:
    """A lowercase anchor-safe slug of a heading."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:60].rstrip("-") or "section"


class _Segmenter:
    def __init__(self, body: list[tuple[int, str]], source: str, continues: bool = False) -> None:
        self.body = body
        self.source = source
        self.wrapped = is_wrapped([raw for _, raw in body])
        self.blocks: list[Block] = []
        self.warnings: list[Message] = []
        self.used: set[str] = set()
        self.expected = 1
        self.seen_paragraph = False
        self.continues = continues  # a later section of a cable: its first paragraph may have any number
        self.text_count = 0
        self.pilcrow_order: list[int] = []  # block indexes of paragraphs that began with a pilcrow

    def warn(self, kind: str, text: str, line: int) -> None:
        self.warnings.append(Message(kind, text, self.source, line))

    def start(self, content: str, context_ok: bool) -> _Start | None:
        m = _START.match(content)
        if not m:
            return None
        n = int(m.group("n"))
        pilcrow = bool(m.group("p"))
        marking, rest = split_marking(m.group("rest"))
        if pilcrow:
            return _Start(n, marking, rest, True)
        if n == self.expected and (context_ok or marking):
            return _Start(n, marking, rest, False)
        digits = m.group("n")
        if (
            len(digits) >= 2 and digits[0] == "1" and int(digits[1:]) == self.expected
            and (marking or context_ok) and n != self.expected
        ):
            return _Start(self.expected, marking, rest, False, repaired=True)
        if self.continues and not self.seen_paragraph and context_ok and n > 1:
            return _Start(n, marking, rest, False)
        if marking and context_ok and (not self.seen_paragraph or self.expected < n <= self.expected + 2):
            return _Start(n, marking, rest, False, gap=n != self.expected)
        return None

    def next_content(self, idx: int) -> str | None:
        body = self.body  # by index, not a slice: a copy of the rest of the body per heading-like line was quadratic
        for k in range(idx + 1, len(body)):
            if content := body[k][1].strip():
                return content
        return None

    def is_heading(self, content: str, idx: int, prev: str | None) -> bool:
        first = content[0]
        # (a line opening with a lowercase letter opens with a word that is not capitalised: not title-like)
        if len(content) > 80 or content[-1] in ".,;" or first.isdigit() or first in "(-\"'" or "a" <= first <= "z":
            return False
        if not _title_like(content):
            return False
        last_word = content.split()[-1]
        if not ends_sentence(prev) and ("," in content or not (last_word[0].isupper() or last_word[0].isdigit())):
            return False  # more likely the tail of a paragraph whose end was lost
        nxt = self.next_content(idx)
        return nxt is not None and self.start(nxt, True) is not None

    def anchor(self, base: str) -> str:
        anchor, k = base, 2
        while anchor in self.used:
            anchor = f"{base}-{k}"
            k += 1
        self.used.add(anchor)
        return anchor

    def close(self, cur: _Open | None) -> None:
        if cur is None:
            return
        text = join_lines(cur.parts, self.wrapped)
        if cur.kind == "paragraph":
            base = f"para-{cur.number}"
            if base in self.used:
                self.warn("duplicate-paragraph-number", f"paragraph number {cur.number} appears again", cur.line)
            anchor = self.anchor(base)
            if cur.pilcrow:
                self.pilcrow_order.append(len(self.blocks))
        elif cur.kind == "subparagraph":
            anchor = self.anchor(f"para-{cur.number}-{(cur.label or 'x')[-1].lower()}")
        elif cur.kind == "heading":
            anchor = self.anchor("h-" + slug(text))
        elif not self.blocks:
            anchor = self.anchor("intro")
        else:
            self.text_count += 1
            anchor = self.anchor(f"text-{self.text_count}")
        self.blocks.append(
            Block(cur.kind, anchor, text, cur.number, cur.label, cur.marking, cur.line)
        )

    def run(self) -> None:
        cur: _Open | None = None
        blank_before = False
        prev: str | None = None
        sub_letter = "A"
        parent: _Open | None = None  # the numbered paragraph sub-paragraphs belong to
        for idx, (ln, raw) in enumerate(self.body):
            content = raw.strip()
            if not content:
                blank_before = True
                continue
            st = None
            if _START.match(content):  # (most lines open no paragraph: their context is not needed)
                after_heading = cur is not None and cur.kind == "heading"
                st = self.start(content, blank_before or prev is None or ends_sentence(prev) or after_heading)
            sm = _SUB.match(content) if st is None else None
            if st is not None:
                self.close(cur)
                self.warn_numbering(st, content, ln)
                cur = parent = _Open("paragraph", ln, st.number, str(st.number), st.marking, st.pilcrow)
                if st.rest:
                    cur.parts.append((st.rest + _trailing(raw), False))
                self.seen_paragraph = True
                self.expected = max(self.expected, st.number + 1)
                sub_letter = "A"
            elif self.is_heading(content, idx, None if blank_before else prev):
                self.close(cur)
                cur = _Open("heading", ln, parts=[(raw, False)])
                parent = None
            elif sm and parent is not None and sm.group("l") == sub_letter and (blank_before or ends_sentence(prev)):
                self.close(cur)
                marking, rest = split_marking(sm.group("rest"))
                cur = _Open("subparagraph", ln, parent.number, f"{parent.label}.{sub_letter}", marking)
                cur.parts.append((rest + _trailing(raw), False))
                sub_letter = chr(ord(sub_letter) + 1)
            else:
                new_loose_block = (
                    cur is not None and cur.kind == "text" and not self.seen_paragraph
                    and blank_before and ends_sentence(prev) and not content[0].islower()
                )
                if cur is None or cur.kind == "heading" or new_loose_block:
                    self.close(cur)
                    cur = _Open("text", ln)
                    parent = None
                if content.startswith(("¶", "&#182;")):
                    # WikiLeaks put a ¶ before any number opening a line (`fall` / `¶2007.`): not cable text.
                    raw = raw.replace("&#182;", "", 1) if content.startswith("&") else raw.replace("¶", "", 1)
                cur.parts.append((raw, blank_before))
            prev = content
            blank_before = False
        self.close(cur)

    def warn_numbering(self, st: _Start, content: str, ln: int) -> None:
        if st.repaired:
            given = content.split(".")[0].strip()
            self.warn("repaired-paragraph-number", f"paragraph number {given} read as {st.number} (a lost ¶)", ln)
        elif st.gap:
            self.warn("paragraph-number-gap", f"paragraph {st.number} follows {self.expected - 1}", ln)
        elif st.pilcrow and self.seen_paragraph and st.number != self.expected:
            self.warn("out-of-order-paragraph-number", f"paragraph {st.number} where {self.expected} was expected", ln)


def _trailing(raw: str) -> str:
    return " " if raw[-1:] in (" ", "\t") else ""


def segment(body: list[tuple[int, str]], source: str, continues: bool = False) -> tuple[list[Block], list[int], list[Message]]:
    """Blocks of a body given as (line number, line); also the indexes of ¶-marked paragraphs.

    `continues` is for a later section of a cable sent in parts, whose paragraphs go on from an earlier file."""
    seg = _Segmenter(body, source, continues)
    seg.run()
    return seg.blocks, seg.pilcrow_order, seg.warnings
