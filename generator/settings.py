"""`content/site.yaml` into a frozen Settings object. Every option carries its documentation; all errors
are reported at once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml


class SettingsError(Exception):
    """site.yaml has one or more errors; `errors` lists every one of them."""

    def __init__(self, path: Path, errors: list[str]) -> None:
        self.path = path
        self.errors = errors
        super().__init__("\n".join(f"{path}: {e}" for e in errors))


@dataclass(frozen=True)
class Option:
    """One setting: its name, type, default and what it does."""

    name: str
    kind: type
    default: Any
    doc: str
    check: Callable[[Any], str | None] | None = None


def _url(value: str) -> str | None:
    if value and not re.match(r"^https?://[^\s/]+(/\S*)?$", value):
        return "must be an http(s) URL such as https://cables.example.org/ (or empty)"
    return None


def _theme(value: str) -> str | None:
    if not re.match(r"^[A-Za-z0-9_.-]+$", value) or value in (".", ".."):
        return "must be the name of a folder under themes/ (letters, digits, '_', '-', '.')"
    return None


def _page_size(value: int) -> str | None:
    return None if 10 <= value <= 1000 else "must be between 10 and 1000"


OPTIONS: tuple[Option, ...] = (
    Option("title", str, "Cable archive", "The site's name, shown in every page header and the browser tab."),
    Option("description", str, "", "One sentence on what the archive holds: the home page and feeds show it."),
    Option("base_url", str, "", "The public address the site is published at (https://...). Needed for the sitemap, feeds and share cards; leave empty for a site opened from disk. Links inside the site stay relative either way.", _url),
    Option("theme", str, "default", "The theme folder under themes/. Templates missing from it are taken from the default theme.", _theme),
    Option("page_size", int, 100, "How many cables a listing page (tag, origin, date, classification) shows before the next page.", _page_size),
    Option("language", str, "en", "The language code of the site's own words, for the html lang attribute."),
)


@dataclass(frozen=True)
class Settings:
    """The validated site settings."""

    title: str = "Cable archive"
    description: str = ""
    base_url: str = ""
    theme: str = "default"
    page_size: int = 100
    language: str = "en"


def load_settings(path: Path) -> Settings:
    """Read and validate site.yaml (a missing file means the defaults); raise SettingsError listing every problem."""
    if not path.exists():
        return Settings()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SettingsError(path, [f"not valid YAML: {exc}"]) from None
    if not isinstance(data, dict):
        raise SettingsError(path, ["must be a mapping of setting: value"])
    errors: list[str] = []
    values: dict[str, Any] = {}
    known = {o.name: o for o in OPTIONS}
    for key in data:
        if key not in known:
            errors.append(f"unknown setting {key!r} (known: {', '.join(known)})")
    for opt in OPTIONS:
        if opt.name not in data or data[opt.name] is None:
            continue
        value = data[opt.name]
        if opt.kind is int and isinstance(value, bool) or not isinstance(value, opt.kind):
            errors.append(f"{opt.name}: expected {opt.kind.__name__}, got {type(value).__name__} {value!r}")
            continue
        if opt.check and (problem := opt.check(value)):
            errors.append(f"{opt.name}: {problem}")
            continue
        values[opt.name] = value
    if errors:
        raise SettingsError(path, errors)
    return Settings(**values)
