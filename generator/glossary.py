"""Meanings of cable TAGS, from the glossary data file shipped with cablesite."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


def glossary_bytes() -> bytes:
    """The glossary data file as shipped: page keys cover it, since tag pages and cable pages show meanings."""
    return resources.files("generator").joinpath("data/tags.yaml").read_bytes()


@lru_cache(maxsize=1)
def tag_meanings() -> dict[str, tuple[str, str]]:
    """Tag -> (meaning, kind) where kind is `subject` or `country`."""
    text = resources.files("generator").joinpath("data/tags.yaml").read_text(encoding="utf-8")
    # read at every build (page keys hold the meanings): libyaml's loader, where PyYAML has it, takes 1 ms of
    # the pure-Python loader's 25; the same safe constructor, so the same data
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    out: dict[str, tuple[str, str]] = {}
    for kind in ("subject", "country"):
        for tag, meaning in (data.get(kind) or {}).items():
            out[str(tag)] = (str(meaning), kind)
    return out


def meaning(tag: str) -> str | None:
    """What a tag stands for (`PREL` -> `External Political Relations`), or None when unknown."""
    entry = tag_meanings().get(tag.upper())
    return entry[0] if entry else None
