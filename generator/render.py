"""The Jinja2 environment (autoescape on, strict undefined, the user's theme over the default) and the
page renderers. Renderers describe pages as Jobs; `html()` renders one to a string. Nothing here writes files."""
from __future__ import annotations

import hashlib
import importlib.util
import math
import pickle
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import jinja2
from markupsafe import Markup

from generator import __version__, urls
from generator.archive import Archive
from generator.assets import Assets
from generator.cable import Cable
from generator.forkpool import fork_map
from generator.glossary import glossary_bytes, meaning
from generator.keys import key_bytes
from generator.pages import Page
from generator.settings import Settings
from generator.timeline import timeline_svg


def _default_theme() -> Path:
    """themes/default beside the package in a checkout, or the copy a wheel installs as `generator_themes`."""
    checkout = Path(__file__).resolve().parent.parent / "themes" / "default"
    if checkout.is_dir():
        return checkout
    spec = importlib.util.find_spec("generator_themes")
    if spec and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0]) / "default"
    return checkout


DEFAULT_THEME = _default_theme()


class ThemeError(Exception):
    """The theme is missing or one of its templates is broken."""


def theme_dirs(project_root: Path, theme: str) -> list[Path]:
    """The theme folders to look in, the user's first; raises ThemeError when the named theme is absent."""
    dirs = []
    if theme != "default":
        user = project_root / "themes" / theme
        if not user.is_dir():
            raise ThemeError(f"theme {theme!r} not found: no folder {user}")
        dirs.append(user)
    local_default = project_root / "themes" / "default"
    if local_default.is_dir() and local_default.resolve() != DEFAULT_THEME:
        dirs.append(local_default)
    dirs.append(DEFAULT_THEME)
    return dirs


def make_env(dirs: list[Path], cache: Path | None = None) -> jinja2.Environment:
    """A Jinja2 environment over the themes' templates, escaping everything by default; with `cache`, compiled
    templates are kept there (by their source's checksum) for the next process."""
    bytecode = None
    if cache is not None:
        try:
            cache.mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(cache))
        except OSError:
            bytecode = None  # only costs the next process the compiling
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d / "templates") for d in dirs]),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no stat of the file at every page
    )
    env.globals["meaning"] = meaning
    env.filters["paragraphs"] = lambda text: text.split("\n\n")
    # Compiled here, once, before workers are forked, rather than by every worker (and every renewed one)
    for name in env.list_templates():
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass  # reported by html() if a page uses it; a broken template no page uses must not stop a build
    return env


def _day(when: datetime) -> str:
    # what strftime("%Y-%m-%d") gives, in a tenth of its time (rows are made about ten times a cable); strftime
    # itself below the year 1000, which it does not pad to four digits
    return when.date().isoformat() if when.year >= 1000 else when.strftime("%Y-%m-%d")


def paragraph_aliases(cable: Cable) -> dict[str, str]:
    """WikiLeaks' `parN` anchor for each numbered paragraph (its own from an HTML source, else par + number)."""
    seen: set[int] = set()
    aliases: dict[str, str] = {}
    for b in cable.blocks:
        if b.kind == "paragraph" and b.number is not None:
            alias = b.wikileaks_anchor or (f"par{b.number}" if b.number not in seen else None)
            if alias:
                aliases[b.anchor] = alias
            seen.add(b.number)
    return aliases


@dataclass(frozen=True)
class Row:
    """One cable in a listing."""

    ref_id: str
    path: str
    created: str
    subject: str
    origin: str
    classification: str


def outline(c: Cable) -> tuple:
    """What any page other than a cable's own can show of it: its listing row's fields, and what places it in
    listings, cited-by lists, neighbours and the home page's latest releases. Contexts of those pages carry
    nothing else of a cable (rows are `Row`s), so while no cable's outline changes they are unchanged."""
    return (c.reference_id, c.created, c.released, c.subject, c.origin, c.classification, c.tags, c.references)


@dataclass(frozen=True)
class Job:
    """One page to render: what `Renderer.html` needs, and what its key is computed from."""

    template: str
    path: str
    context: dict


@dataclass
class Renderer:
    """Renders every page of the site from the archive."""

    env: jinja2.Environment
    settings: Settings
    archive: Archive
    pages: list[Page]
    assets: Assets
    search_assets: tuple[str, ...] = ()
    theme: tuple[Path, ...] = ()
    _rows: dict[str, Row] = field(default_factory=dict, init=False, repr=False)
    _month: dict[str, tuple[int, int]] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        h = hashlib.sha256(__version__.encode() + glossary_bytes())
        for d in self.theme:
            for f in sorted((d / "templates").rglob("*")) if (d / "templates").is_dir() else []:
                if f.is_file():
                    h.update(str(f.relative_to(d)).encode() + b"\0" + f.read_bytes())
        h.update(pickle.dumps((self.settings, self.pages, sorted((k, v[0]) for k, v in self.assets.files.items()),
                               self.search_assets), protocol=5))
        self.salt = h.hexdigest()

    def render(self, template: str, path: str, **context) -> Job:
        """A page to render: the template, the path it is published at, and what it shows."""
        return Job(template, path, context)

    def key(self, job: Job) -> str:
        """A digest of everything a page depends on; an unchanged key means unchanged HTML."""
        h = hashlib.sha256(self.salt.encode())
        h.update(key_bytes((job.template, job.path, job.context)))
        return h.hexdigest()

    def html(self, job: Job) -> str:
        """Render one page; links in it are made relative to its own path."""
        path = job.path

        def url(target: str) -> str:
            return urls.relative(path, target)

        def asset(name: str) -> str:
            return urls.relative(path, self.assets.path(name))

        context = job.context
        if isinstance(context.get("cable"), Cable):
            cable = self.archive.loader(context["cable"])
            context = {**context, "cable": cable, "aliases": paragraph_aliases(cable)}
        try:
            return self.env.get_template(job.template).render(
                site=self.settings, page_path=path, url=url, asset=asset, urls=urls, nav=self.pages,
                canonical=urls.absolute(self.settings.base_url, path) if self.settings.base_url else None,
                search_assets=self.search_assets, **context,
            )
        except jinja2.TemplateError as exc:
            where = f"{exc.filename}:{exc.lineno}" if isinstance(exc, jinja2.TemplateSyntaxError) else job.template
            raise ThemeError(f"template {where}: {exc}") from exc

    # --- rows and listings -------------------------------------------------------------

    def row(self, rid: str) -> Row:
        """The listing row of a cable (made once: a cable is a row of several listings and pages)."""
        row = self._rows.get(rid)
        if row is None:
            c = self.archive.cables[rid]
            row = self._rows[rid] = Row(rid, self.archive.paths[rid], _day(c.created) if c.created else "undated",
                                        c.subject or "(no subject)", c.origin or "", c.classification or "")
        return row

    def _months_of(self, ids: Iterable[str]) -> Counter[tuple[int, int]]:
        """How many of these cables fall in each (year, month), counted in C from each cable's month, found once."""
        if self._month is None:
            self._month = {rid: ym for ym, members in self.archive.by_month.items() for rid in members}
        return Counter(map(self._month.get, ids))  # (undated cables count under None, which the chart skips)

    def _all_months(self) -> dict[tuple[int, int], int]:
        return {ym: len(members) for ym, members in self.archive.by_month.items()}

    def listing(self, ids: tuple[str, ...], path_of, title: str, kind: str, key: str,
                description: str | None = None, chart: bool = False) -> Iterator[Job]:
        """The paginated pages of one listing, newest first, `page_size` rows a page."""
        size = self.settings.page_size
        total = max(1, math.ceil(len(ids) / size))
        svg = Markup(timeline_svg(self._months_of(ids), f"{title}: cables per month")) if chart else ""
        for n in range(1, total + 1):
            chunk = ids[(n - 1) * size : n * size]
            pages = [(k, path_of(k)) for k in range(1, total + 1)]
            yield self.render("listing.html", path_of(n), title=title, kind=kind, key=key, description=description,
                              rows=[self.row(i) for i in chunk], count=len(ids), page=n, pages=pages, timeline=svg,
                              first_index=(n - 1) * size + 1)

    # --- cable pages -----------------------------------------------------------------

    def cable_page(self, rid: str) -> Job:
        """The page of one cable. Its body is read back in `html()`: jobs stay small for the largest archives."""
        a = self.archive
        c: Cable = a.cables[rid]
        path = a.paths[rid]
        refs = [(r, a.path(r)) for r in c.references]
        cited_by = [self.row(x) for x in a.cited_by.get(rid, ())]
        prev_id, next_id = a.neighbours.get(rid, (None, None))
        return self.render(
            "cable.html", path, cable=c, refs=refs, cited_by=cited_by,
            prev=self.row(prev_id) if prev_id else None, next=self.row(next_id) if next_id else None,
            tags=[(t, meaning(t)) for t in c.tags],
        )

    # --- the rest of the site ------------------------------------------------------------

    def home(self) -> Job:
        """The home page: what the archive holds and the ways in."""
        a = self.archive
        cables = a.cables
        years: dict[int, int] = {}
        for (y, _m), ids in a.by_month.items():
            years[y] = years.get(y, 0) + len(ids)
        released = sorted((c for c in cables.values() if c.released), key=lambda c: (c.released, c.reference_id), reverse=True)
        latest = [self.row(c.reference_id) for c in released[:20]] or [self.row(i) for i in a.newest_first[:20]]
        origins = sorted(a.by_origin.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        tags = sorted(a.by_tag.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        return self.render(
            "home.html", urls.HOME, total=len(cables),
            years=sorted(years.items()), classifications=[(k, len(v)) for k, v in a.by_classification.items()],
            origins=[(k, len(v)) for k, v in origins[:15]], origin_count=len(origins),
            tags=[(k, len(v), meaning(k)) for k, v in tags[:30]], tag_count=len(tags), latest=latest,
            timeline=Markup(timeline_svg(self._all_months(), "All cables: cables per month")),
        )

    def index_page(self, title: str, path: str, entries: list[tuple[str, int, str, str | None]], what: str) -> Job:
        """A page listing every tag, origin or classification with its count."""
        return self.render("index_list.html", path, title=title, entries=entries, what=what)

    def all_pages(self) -> Iterator[Job]:
        """Every page of the site, in a fixed order."""
        a = self.archive
        yield self.home()
        for rid in a.newest_first:
            yield self.cable_page(rid)
        yield self.index_page("Tags", urls.TAGS, [(t, len(v), urls.tag(t), meaning(t)) for t, v in a.by_tag.items()], "tag")
        for t, ids in a.by_tag.items():
            m = meaning(t)
            yield from self.listing(ids, lambda n, t=t: urls.tag(t, n), f"Tag {t}" + (f": {m}" if m else ""), "tag", t, chart=True)
        yield self.index_page("Origins", urls.ORIGINS, [(o, len(v), urls.origin(o), None) for o, v in a.by_origin.items()], "origin")
        for o, ids in a.by_origin.items():
            yield from self.listing(ids, lambda n, o=o: urls.origin(o, n), o, "origin", o, chart=True)
        yield self.index_page("Classifications", urls.CLASSIFICATIONS,
                              [(k, len(v), urls.classification(k), None) for k, v in a.by_classification.items()], "classification")
        for k, ids in a.by_classification.items():
            yield from self.listing(ids, lambda n, k=k: urls.classification(k, n), k, "classification", k)
        years: dict[int, list[tuple[int, int]]] = {}
        for (y, m), ids in a.by_month.items():
            years.setdefault(y, []).append((m, len(ids)))
        yield self.render("dates.html", urls.DATES, years=[(y, sum(n for _, n in ms), urls.year(y)) for y, ms in sorted(years.items())],
                          timeline=Markup(timeline_svg(self._all_months(), "All cables: cables per month")))
        for y, ms in sorted(years.items()):
            yield self.render("year.html", urls.year(y), year=y, months=[(m, n, urls.month(y, m)) for m, n in ms])
        for (y, m), ids in a.by_month.items():
            yield from self.listing(ids, lambda n, y=y, m=m: urls.month(y, m, n), f"{y:04d}-{m:02d}", "month", f"{y:04d}-{m:02d}")
        for p in self.pages:
            yield self.render("page.html", p.path, page=p)
        yield self.render("search.html", urls.SEARCH)
        yield self.render("404.html", urls.NOT_FOUND)


T, R = TypeVar("T"), TypeVar("R")
PARALLEL_MIN = 200  # fewer pages than this render in the main process: forking would cost more
WINDOW = 1000  # pages handed to the workers at a time (listing pages carry 100 rows each: 5,000 of them held 0.5 GB)


def render_many(renderer: Renderer, jobs: Iterable[tuple[Job, T]], workers: int, then: Callable[[T, str], R]) -> Iterator[R]:
    """Render pages and hand each page's html, with what came with its job, to `then` (which writes it) in the
    process that rendered it: forked workers when there are enough pages to be worth it. Results keep job order.

    Jobs are taken WINDOW at a time, and the next window is made (its page keys computed, say) while the
    workers render the current one, so neither the jobs nor their results pile up."""
    return fork_map(lambda item: then(item[1], renderer.html(item[0])), jobs, workers, PARALLEL_MIN, WINDOW)
