"""Format 2: a bare telegram (`VZCZC...`, `DE RUEHSK #0270/01 0881243`, `FM AMEMBASSY MINSK`, banner...)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from generator.cable.model import RawCable
from generator.messages import Message

NAME = "telegram"
_SIGNS = re.compile(
    r"^\s*(?:VZCZC|DE\s+[A-Z]{4,7}\s+#\d|FM\s+(?:AMEMBASSY|AMCONSUL|SECSTATE|USMISSION|USUN)|TAGS\s*:|SUBJECT\s*:|"
    r"E\.O\.\s*1\d{4}|(?:C O N F I D E N T I A L|S E C R E T|UNCLAS|CONFIDENTIAL|SECRET)\b)",
    re.MULTILINE,
)


def detect(head: str) -> bool:
    """True when the opening lines look like a telegram: at least two of its header signs."""
    return len(_SIGNS.findall(head)) >= 2


def read(source: str, text: str) -> Iterator[RawCable | Message]:
    """Yield the file as one cable; all of its metadata is derived from the text by the parser."""
    yield RawCable(source, NAME, tuple(text.split("\n")), 1, {})
