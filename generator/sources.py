"""Find the files under content/cables, decode them, tell their formats apart by content, and read them."""
from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from pathlib import Path

from generator.cable.model import RawCable
from generator.messages import Message
from generator.readers import csv as csv_reader
from generator.readers import html, json, scraped, telegram

HEAD_BYTES = 64 * 1024
# C0 controls but tab and newline, and DEL: never cable text, and not allowed in XML feeds.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Tried in this order: the first whose detect() says yes reads the file.
_DETECTORS = (("json", json), ("csv", csv_reader), ("html", html), ("scraped", scraped), ("telegram", telegram))


def discover(root: Path) -> list[Path]:
    """Every regular file under root, at any depth, hidden files left out, in a stable order."""
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def sniff_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes decode as UTF-8, else Windows-1252, else Latin-1."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut by the end of the sample
            return "utf-8"
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


# every byte but the control bytes that are not whitespace: deleting these leaves the controls, counted in C
_NOT_CONTROLS = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))


def looks_binary(head: bytes) -> bool:
    """True for data that is not text: many NULs or control bytes."""
    if not head:
        return False
    sample = head[:8192]
    controls = len(sample.translate(None, _NOT_CONTROLS))
    return sample.count(0) > len(sample) // 100 or controls > len(sample) // 10


def detect_format(head: str) -> str | None:
    """The name of the format a file's opening text is in, or None."""
    for name, reader in _DETECTORS:
        if reader.detect(head):
            return name
    return None


def read_file(path: Path, display: str | None = None, at: csv_reader.Position | None = None) -> Iterator[RawCable | Message]:
    """Yield the cables of one file, or messages that name it and say why it gave none. With `at`, a cables.csv's
    rows are counted in it as they are read (see `read_csv_from`)."""
    source = display or str(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        yield Message("unreadable", f"cannot read the file: {exc.strerror}", source, level="error")
        return
    if not head.strip():
        yield Message("empty", "the file is empty", source, level="error")
        return
    if looks_binary(head):
        yield Message("binary", "binary data, not text: skipped", source, level="error")
        return
    encoding = sniff_encoding(head)
    head_text = head.decode(encoding, errors="replace").replace("\r\n", "\n").replace("\x00", "")
    fmt = detect_format(head_text)
    if fmt is None:
        yield Message("not-a-cable", "not a cable in any format cablesite reads (scraped page, telegram, HTML, cables.csv, JSON)", source, 1, "error")
        return
    notes = []
    if encoding not in ("utf-8", "utf-8-sig"):
        notes.append(Message("encoding", f"not UTF-8; read as {encoding}", source))
    if fmt == "csv":
        if at is not None:
            at.encoding = encoding
            if encoding == "utf-8-sig":  # the decoder drops the BOM: its bytes are read all the same
                at.byte += len(codecs.BOM_UTF8)
        with path.open("r", encoding=encoding, errors="replace", newline="") as stream:
            yield from notes
            yield from csv_reader.read_stream(source, stream, at)
        return
    raw_bytes = path.read_bytes()
    text = raw_bytes.decode(encoding, errors="replace")
    if "\ufffd" in text and encoding.startswith("utf-8"):
        notes.append(Message("encoding", "bytes that are not UTF-8 were replaced with U+FFFD", source))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROLS.search(text):
        notes.append(Message("control-characters", "control characters (NUL and the like) removed: they are not text", source))
        text = _CONTROLS.sub("", text)
    reader = dict(_DETECTORS)[fmt]
    for item in reader.read(source, text):
        if isinstance(item, RawCable) and notes:
            item = RawCable(item.source, item.source_format, item.lines, item.first_line, item.meta, tuple(notes) + item.warnings)
        yield item


def read_csv_from(path: Path, display: str, at: csv_reader.Position) -> Iterator[RawCable | Message]:
    """The rows of a cables.csv from where an earlier read of it stood at the end of a row (`at`, a byte
    offset past its start, with the encoding that read found), counting lines and rows on from there."""
    with path.open("rb") as fh:
        fh.seek(at.byte)
        decoding = "utf-8" if at.encoding == "utf-8-sig" else at.encoding  # no BOM past the start
        with io.TextIOWrapper(fh, encoding=decoding, errors="replace", newline="") as stream:
            yield from csv_reader.read_stream(display, stream, at)


def read_text(source: str, text: str) -> Iterator[RawCable | Message]:
    """Read cables from text already in memory (tests, stdin)."""
    fmt = detect_format(text[:HEAD_BYTES])
    if fmt is None:
        yield Message("not-a-cable", "not a cable in any format cablesite reads", source, 1, "error")
    elif fmt == "csv":
        yield from csv_reader.read_stream(source, io.StringIO(text, newline=""))
    else:
        yield from dict(_DETECTORS)[fmt].read(source, text)
