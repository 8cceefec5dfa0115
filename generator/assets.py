"""Static assets (theme CSS and JavaScript, lunr.js) under fingerprinted names, so hosts can cache them for a
year: `static/style.css` is published as `static/style.<hash>.css`, and a change gets a new name."""
from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from pathlib import Path


def fingerprinted(logical: str, data: bytes) -> str:
    """`static/style.css` -> `static/style.0123456789.css`, from the file's content."""
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, ext = posixpath.splitext(logical)
    return f"{stem}.{digest}{ext}"


@dataclass(frozen=True)
class Assets:
    """Logical asset names mapped to their published paths and bytes."""

    files: dict[str, tuple[str, bytes]]

    def path(self, logical: str) -> str:
        """The published (fingerprinted) path of an asset; a KeyError names an asset the theme lacks."""
        return self.files[logical][0]


def collect(static_dirs: list[Path], extra: dict[str, bytes]) -> Assets:
    """The themes' static files (the first folder listed wins for a name) plus extra assets, fingerprinted."""
    found: dict[str, bytes] = {}
    for d in reversed(static_dirs):
        if d.is_dir():
            for f in sorted(d.rglob("*")):
                if f.is_file():
                    found["static/" + f.relative_to(d).as_posix()] = f.read_bytes()
    found.update(extra)
    return Assets({name: (fingerprinted(name, data), data) for name, data in sorted(found.items())})
