"""`cablesite init DIR`: a new archive folder, ready to build."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

# file in generator/data/init -> where it goes in the new archive
LAYOUT = {
    "site.yaml": "content/site.yaml",
    "about.md": "content/pages/about.md",
    "07MINSK270.txt": "content/cables/07MINSK270.txt",
    "netlify.toml": "netlify.toml",
    "package.json": "package.json",
    "requirements.txt": "requirements.txt",
}


class InitError(Exception):
    """The folder cannot be made into an archive without overwriting something."""


def init(target: Path) -> list[Path]:
    """Create an archive folder with a sample cable, an About page, settings and Netlify files; never overwrite."""
    existing = [target / dest for dest in LAYOUT.values() if (target / dest).exists()]
    if existing:
        raise InitError("refusing to overwrite: " + ", ".join(str(p) for p in existing))
    source = resources.files("generator").joinpath("data/init")
    made = []
    for name, dest in LAYOUT.items():
        path = target / dest
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(source.joinpath(name).read_bytes())
        made.append(path)
    return made
