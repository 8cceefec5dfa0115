"""The build, one procedure read top to bottom: settings, sources, parse, archive, render, search, write, report."""
from __future__ import annotations

import hashlib
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from generator import urls
from generator.archive import Archive, assemble
from generator.assets import collect
from generator.cable import Cable
from generator.cache import PageKeys, add_writer, drop_stale_parses, remembering, wait_for_writes
from generator.crowding import crowding_messages
from generator.exports import site_data
from generator.feeds import atom, feed_list
from generator.forkpool import Aside, can_fork, fork_map
from generator.ingest import parse_files
from generator.keys import CableKeys, cable_keys
from generator.messages import Message
from generator.pages import load_pages
from generator.progress import Stages, progress
from generator.redirects import redirects
from generator.render import (
    Job,
    Renderer,
    ThemeError,
    make_env,
    outline,
    render_many,
    theme_dirs,
)
from generator.search import (
    SearchDoc,
    SearchError,
    build_search,
    keep_index_digests,
    kept_index_key,
    may_patch,
    plan_search,
    record_maker,
    search_assets,
    search_records,
)
from generator.settings import SettingsError, load_settings
from generator.sitemap import sitemap
from generator.sources import discover
from generator.textstore import TextStore
from generator.write import SiteWriter, Slot, UnsafePath, put

# entries of the page keys that are not pages: groups of files made together, and their file lists
SEARCH_KEY, DATA_KEY, SITEMAP_KEY, FEED_KEY, FILES_SUFFIX = "#search", "#data", "#sitemap", "#feed ", "-files"
# the digest of what every page but a cable's own is made from, and the list of pages, in their order
STRUCTURE_KEY, PAGES_KEY = "#structure", "#pages"
CABLES_KEY = "#cables"  # each cable's digest (32 hex digits), newest first: which cables' pages to make again
RECORDS_PARALLEL_MIN = 500  # fewer search records to make than this are made in the main process
RECORDS_WINDOW = 5000  # search records handed to the workers at a time
CACHE_DIR = ".cablesite-cache"  # beside content/: parse results and page keys, for incremental rebuilds


class BuildError(Exception):
    """The build could not finish; the previous site is left as it was."""


@dataclass(frozen=True)
class Report:
    """What a build or check did."""

    files: int
    cables: int
    messages: tuple[Message, ...]
    pages_written: int = 0
    pages_kept: int = 0
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        """How many messages are errors."""
        return sum(m.level == "error" for m in self.messages)


def _sources(content: Path) -> list[tuple[Path, str]]:
    root = content / "cables"
    return [(p, str(p)) for p in discover(root)]


def load_archive(content: Path, jobs: int = 1, cache_dir: Path | None = None,
                 store: TextStore | None = None, stages: Stages | None = None) -> tuple[Archive, list[Message]]:
    """Parse every cable under content/cables and assemble the archive; return it with every message.

    With a store, each cable's body goes to disk as soon as it is parsed and the archive keeps metadata."""
    messages: list[Message] = []
    cables = []
    for result in parse_files(_sources(content), jobs=jobs, cache_dir=cache_dir, packed=store is not None):
        messages.extend(result.messages)
        for c in result.cables:
            messages.extend(c.warnings)
        if store:  # parsed with their bodies apart: the bodies go straight to disk
            cables.extend(store.put_packed(c, t) for c, t in zip(result.cables, result.texts, strict=True))
        else:
            cables.extend(result.cables)
    if store:
        store.seal()
    if stages:
        stages.mark("read and parse")
    archive = assemble(cables, store.full) if store else assemble(cables)
    if stages:
        stages.mark("assemble")
    messages.extend(archive.messages)
    return archive, messages


def check(content: Path, jobs: int = 1) -> Report:
    """Parse every cable and page and collect every message; write nothing."""
    files = _sources(content)
    cache_dir = content.resolve().parent / CACHE_DIR
    with TextStore(cache_dir) as store:
        archive, messages = load_archive(content, jobs, cache_dir, store)
    _, page_messages = load_pages(content / "pages")
    messages.extend(page_messages)
    try:
        load_settings(content / "site.yaml")
    except SettingsError as exc:
        messages.extend(Message("settings", e, str(exc.path), level="error") for e in exc.errors)
    return Report(len(files), len(archive.cables), tuple(messages))


def build(content: Path, output: Path, jobs: int = 1, quiet: bool = False, verbose: bool = False) -> Report:
    """Build the whole site from `content` into `output`; raises BuildError and leaves `output` as it was on failure."""
    started = time.monotonic()
    stages = Stages()
    try:
        settings = load_settings(content / "site.yaml")
    except SettingsError as exc:
        raise BuildError(str(exc)) from None
    project = content.resolve().parent
    cache_dir = project / CACHE_DIR

    try:
        themes = theme_dirs(project, settings.theme)
        env = make_env(themes, cache_dir / "templates")
        scripts = search_assets(project)
    except (ThemeError, SearchError) as exc:
        raise BuildError(str(exc)) from None
    assets = collect([d / "static" for d in themes], dict(scripts))
    if urls.STYLE not in assets.files:
        raise BuildError("the theme has no static/style.css")

    files = _sources(content)
    drop_stale_parses(cache_dir)
    if not quiet:
        print(f"cablesite: reading {len(files)} files from {content / 'cables'}", file=sys.stderr)
    with TextStore(cache_dir) as store:
        archive, messages = load_archive(content, jobs, cache_dir, store, stages)
        pages, page_messages = load_pages(content / "pages")
        messages.extend(page_messages)
        renderer = Renderer(env, settings, archive, pages, assets, tuple(name for name, _ in scripts), tuple(themes))
        try:
            written, kept, crowded = write_site(output, renderer, PageKeys(cache_dir, output), jobs, quiet, stages)
            messages.extend(crowded)
        finally:
            wait_for_writes()  # the kept search index, written by a forked process while the pages were made

    report = Report(len(files), len(archive.cables), tuple(messages), written, kept, time.monotonic() - started)
    _print_report(report, output, quiet, verbose)
    if verbose and not quiet:
        print("cablesite: stages (time; processor time here and in workers; peak memory of this process so far):", *stages.lines(), sep="\n", file=sys.stderr)
    return report


def write_site(output: Path, renderer: Renderer, page_keys: PageKeys, jobs: int, quiet: bool,
               stages: Stages | None = None) -> tuple[int, int, list[Message]]:
    """Render and write every file into a staging folder, carrying over what did not change, and swap it in.

    Returns how many files were written, how many kept from the previous site, and a warning for each folder
    with more files than a static host deploys."""
    archive, settings = renderer.archive, renderer.settings
    try:
        writer = SiteWriter(output)
    except OSError as exc:
        raise BuildError(f"cannot write the site to {output}: {exc.strerror or exc}") from None
    stages = stages or Stages()
    old_keys, new_keys = page_keys.load(), {}
    aside: Aside | None = None  # the search index, when patched in a forked process (below)
    try:
        rendered = 0
        keys = cable_keys(archive, outline)
        plan = plan_search(archive, keys)
        # The search index first: its postings are the build's largest memory, and made before the pages it
        # adds to the archive alone, not to what rendering leaves behind.
        # The index as a whole is kept while what the cables put in it is unchanged (an edit of a word's case,
        # a subject's punctuation, a field the index does not hold): see search.index_key
        digests_file, kept_index = page_keys.beside("search-terms.pickle"), page_keys.beside("search-index.pickle")
        key, known = kept_index_key(plan, archive, digests_file, old_keys.get(SEARCH_KEY))
        made: list[list[bytes]] = []

        def index_files() -> Iterator[tuple[str, str]]:
            return build_search(archive, jobs, plan, records=False, kept=kept_index, digests=made,
                                scratch=kept_index.parent)

        def index_written(files: Iterable[tuple[str, str]] | None) -> None:  # None: the last build's were kept
            if files is not None:
                _write_group(writer, new_keys, SEARCH_KEY, files)
            new_keys[SEARCH_KEY] = keep_index_digests(plan, archive, digests_file, known, made) or key

        # A rebuild that patches the kept index (a few cables edited) patches it in a forked copy of this
        # process while this one makes the pages, feeds and exports (a word added to one of 2,000 cables:
        # 1.23 s against 1.42 s). Not in `serve`, which keeps the index in its own memory between builds.
        if _kept_group(writer, old_keys, new_keys, SEARCH_KEY, key):
            index_written(None)
        elif jobs > 1 and can_fork() and not remembering() and may_patch(plan, kept_index):
            aside = Aside(lambda: (list(index_files()), made), then=wait_for_writes)
        else:
            index_written(index_files())
        stages.mark("search index" if aside is None else "search index: forked")
        candidates, pages = _pages_to_key(renderer, keys, old_keys, new_keys, writer)

        # Pages whose key changed (or whose file is gone), keyed as rendering goes. Each is written by the
        # process that renders it: making files is much of a build's time (the file system's, not Python's)
        def stale() -> Iterator[tuple[Job, Slot]]:
            for job in candidates:
                key = new_keys[job.path] = renderer.key(job)
                if not (old_keys.get(job.path) == key and writer.keep(job.path)):
                    yield job, writer.slot(job.path)

        for written in progress(render_many(renderer, stale(), jobs, put), None, "rendering", quiet):
            writer.count(written)
            rendered += 1
        stages.mark(f"pages: keys, {rendered} rendered")
        if pages is None:
            pages = [p for p in new_keys if not p.startswith("#")]
        new_keys[PAGES_KEY] = "\n".join(pages)

        # a search result's record is kept or made like a page, by its own key (in forked workers when many,
        # each writing the records it makes)
        def stale_records() -> Iterator[tuple[Slot, SearchDoc, Cable]]:  # each with its cable, for a worker to read
            for path, key, doc in search_records(plan):
                new_keys[path] = key
                if not (old_keys.get(path) == key and writer.keep(path)):
                    yield writer.slot(path), doc, archive.cables[doc.ref_id]

        make_record = record_maker(archive)

        def write_record(item: tuple[Slot, SearchDoc, Cable]) -> bool:
            slot, doc, cable = item
            return put(slot, make_record(doc, cable)[1])

        # Feeds, the sitemap, redirects and exports are made again only when what each is made from changed: a
        # feed, when one of its cables did (its text's first lines show); the sitemap, when the list of pages
        # did; redirects and exports, when any cable's metadata did; all, when the settings or theme did.
        def feeds_sitemap_exports() -> None:
            for feed in feed_list(archive, settings):
                _reuse_or_write(writer, old_keys, new_keys, FEED_KEY + feed.path,
                                _digest(renderer.salt, feed.path, feed.title, feed.page, *(keys.each[i].hex() for i in feed.ids)),
                                lambda feed=feed: [(feed.path, atom(archive, settings, feed))])
            _reuse_or_write(writer, old_keys, new_keys, SITEMAP_KEY, _digest(renderer.salt, *pages), lambda: sitemap(settings, pages))
            _reuse_or_write(writer, old_keys, new_keys, DATA_KEY, _digest(renderer.salt, keys.metadata),
                            lambda: chain(redirects(archive), site_data(archive)))
            stages.mark("feeds, sitemap, exports")

        # With all the records handed to the workers at once, the feeds are made here while they work, on a
        # core they would leave idle at times. Not in a larger archive: the workers would soon wait for more,
        # and the exports, reading every cable while workers share the archive's memory, would make this
        # process copy every page they touch (0.2 GB more at full size)
        beside = len(plan.docs) <= RECORDS_WINDOW
        if not beside:
            feeds_sitemap_exports()
        records = fork_map(write_record, stale_records(), jobs, RECORDS_PARALLEL_MIN, RECORDS_WINDOW)
        try:
            first = next(records, None)  # the workers start on the window
            if beside:
                feeds_sitemap_exports()
            for written in chain([] if first is None else [first], records):
                writer.count(written)
        finally:
            records.close()  # its workers stopped, should making the feeds have failed
        stages.mark("search records")
        if aside is not None:
            files, made[:] = aside.result()
            add_writer(aside.pid)  # it goes on to write the kept index
            aside = None
            index_written(files)
            stages.mark("search index: waited, written")
        for path, data in renderer.assets.files.values():
            writer.write(path, data)
        crowded = crowding_messages(str(output), writer.paths)
        writer.commit()
        stages.mark("assets and swap")
    except (ThemeError, UnsafePath, OSError) as exc:
        writer.abort()
        raise BuildError(str(exc)) from None
    except BaseException:
        writer.abort()
        raise
    finally:
        if aside is not None:  # the build failed before taking its result
            aside.close()
            add_writer(aside.pid)
    page_keys.save(new_keys)
    stages.mark("save page keys")
    return writer.written, writer.kept, crowded


def _pages_to_key(renderer: Renderer, keys: CableKeys, old_keys: dict[str, str], new_keys: dict[str, str],
                  writer: SiteWriter) -> tuple[Iterable[Job], list[str] | None]:
    """The pages whose keys must be made (each then made again if its key changed), and the last build's list
    of pages when it still holds; the pages not to key are kept here.

    What any page but a cable's own shows of the cables is their outlines: while those, the theme, the
    settings and the Markdown pages (the renderer's salt) are as they were, so are those pages, and a cable's
    page is as it was unless the cable itself changed (an edit to a text or a summary, the usual case): only
    the pages of changed cables are keyed, found without making any other page's key."""
    archive = renderer.archive
    structure = hashlib.sha256((renderer.salt + keys.outlines).encode()).hexdigest()
    new_keys[STRUCTURE_KEY] = structure
    each = "".join(keys.each[rid].hex()[:32] for rid in archive.newest_first)
    new_keys[CABLES_KEY] = each
    pages = _same_pages(old_keys, structure, writer)
    if pages is None:
        return renderer.all_pages(), None
    before = old_keys.get(CABLES_KEY, "")
    changed = {rid for n, rid in enumerate(archive.newest_first) if before[32 * n : 32 * n + 32] != each[32 * n : 32 * n + 32]}
    redo = {archive.paths[rid] for rid in changed}
    for path in pages:
        if path not in redo:
            writer.keep(path)
            new_keys[path] = old_keys[path]
    return (renderer.cable_page(rid) for rid in archive.newest_first if rid in changed), pages


def _same_pages(old_keys: dict[str, str], structure: str, writer: SiteWriter) -> list[str] | None:
    """The last build's pages, in their order, when its structure key is this one and every page is still there
    to keep; else None (every page is keyed)."""
    if old_keys.get(STRUCTURE_KEY) != structure or PAGES_KEY not in old_keys:
        return None
    pages = old_keys[PAGES_KEY].split("\n")
    if all(p in old_keys and writer.has_previous(p) for p in pages):
        return pages
    return None


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _reuse_or_write(writer: SiteWriter, old_keys: dict[str, str], new_keys: dict[str, str], name: str, key: str,
                    produce: Callable[[], Iterable[tuple[str, str | bytes]]]) -> None:
    """Keep the files a group made last time if its key is unchanged and they are all there; else write what
    `produce` gives. The group's key and file list are kept in the page keys under `name`."""
    if not _kept_group(writer, old_keys, new_keys, name, key):
        _write_group(writer, new_keys, name, produce())


def _kept_group(writer: SiteWriter, old_keys: dict[str, str], new_keys: dict[str, str], name: str, key: str) -> bool:
    """Keep the files a group made last time, if its key is unchanged and they are all there (True)."""
    new_keys[name] = key
    old_files = old_keys.get(name + FILES_SUFFIX, "").split("\n") if old_keys.get(name) == key else []
    if old_files and all(writer.has_previous(p) for p in old_files):
        for path in old_files:
            writer.keep(path)
        new_keys[name + FILES_SUFFIX] = old_keys[name + FILES_SUFFIX]
        return True
    return False


def _write_group(writer: SiteWriter, new_keys: dict[str, str], name: str, files: Iterable[tuple[str, str | bytes]]) -> None:
    """Write a group's files; their list is kept in the page keys under `name`."""
    written = []
    for path, data in files:
        writer.write(path, data)
        written.append(path)
    new_keys[name + FILES_SUFFIX] = "\n".join(written)


def _print_report(report: Report, output: Path, quiet: bool, verbose: bool) -> None:
    for m in report.messages:
        if m.level == "error" or m.kind == "crowded-folder" or verbose:  # (a deploy would fail: always said)
            print(m, file=sys.stderr)
    if quiet:
        return
    kinds = Counter(m.kind for m in report.messages)
    if kinds:
        print("cablesite: warnings and errors by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
              + ("" if verbose else " (--verbose lists them)"), file=sys.stderr)
    print(f"cablesite: {report.cables} cables from {report.files} files; {report.pages_written} files written, "
          f"{report.pages_kept} unchanged, into {output} in {report.seconds:.1f} s", file=sys.stderr)
