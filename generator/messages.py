"""Warnings and errors that name the file and line they are about."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Message:
    """One thing the build has to tell: its kind, the file, the line and why."""

    kind: str
    text: str
    source: str | None = None
    line: int | None = None
    level: str = "warning"  # "warning" or "error"

    def __str__(self) -> str:
        where = self.source or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.level}: {self.text} [{self.kind}]"

    def to_json(self) -> dict:
        """The message as the JSON object `cablesite parse --json` prints."""
        return {"kind": self.kind, "line": self.line, "level": self.level, "message": self.text}
