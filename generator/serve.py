"""`cablesite serve`: build, serve the site on 127.0.0.1 with livereload, and rebuild when sources change.

Every rebuild goes through the same atomic writer as `cablesite build`, so the server only ever sees a
complete site: the old one until the new one is swapped in whole."""
from __future__ import annotations

import sys
from pathlib import Path

from generator import cache
from generator.build import BuildError, build
from generator.render import theme_dirs
from generator.settings import SettingsError, load_settings


def watched_paths(content: Path) -> list[Path]:
    """The folders and files whose changes trigger a rebuild: content/ and the theme folders."""
    paths = [content]
    try:
        settings = load_settings(content / "site.yaml")
        paths += [d for d in theme_dirs(content.resolve().parent, settings.theme)]
    except (SettingsError, Exception):  # a broken site.yaml is reported by the rebuild itself
        pass
    return paths


def _external_reload_script(port: int) -> None:
    """Make livereload add its client as a same-origin script file, not inline code the site's CSP refuses."""
    import livereload.server as lrs

    tag = f'<script src="/livereload.js?port={port}"></script>'.encode()

    class ExternalScript(lrs.LiveScriptInjector):
        def transform_first_chunk(self, status_code, headers, chunk, finished):
            self.script = tag
            return super().transform_first_chunk(status_code, headers, chunk, finished)

    lrs.LiveScriptInjector = ExternalScript


def _reload_after_every_rebuild() -> None:
    """livereload drops a change that comes within 3 s of the browser connecting or of the last reload (it
    rebuilds but never tells the browser); a rebuild here runs whole before the reload, so none is dropped."""
    from livereload.handlers import LiveReloadHandler

    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0


POLL_SECONDS = 0.05  # how often sources are checked for changes; livereload's own watcher waits 0.8 s
SETTLE_SECONDS = 0.1  # a rebuild starts once no source has changed for this long (a save may take a moment)
# the parse results and search index the last rebuild read or wrote are kept in memory, up to this many bytes
# of cache files, so the next rebuild does not read them again (the 2,000-cable sample needs about 25 MB)
MEMORY_FOR_CACHE = 256 * 1024 * 1024
MISSED_RELOAD_SECONDS = 10.0  # a page that connects this soon after a rebuild no page heard of is reloaded


def _quick_watcher():
    """livereload's polling watcher, polled every POLL_SECONDS (slower when a scan of the sources takes long,
    so watching a huge content/ folder never eats the CPU), not its fixed 0.8 s, that rebuilds once the
    sources have settled for SETTLE_SECONDS, so a file caught half-written is not built. livereload tells
    only the pages connected when a rebuild ends; a page reloading just then (after the edit before) would
    miss it and stay stale, so a page that connects soon after such a rebuild is told to reload. (livereload
    uses inotify only through pyinotify, which cablesite does not depend on.)"""
    import time

    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado.ioloop import PeriodicCallback

    class QuickWatcher(Watcher):
        changed_at: float | None = None  # when a change was last seen, while a rebuild waits for quiet
        scan_seconds = 0.0  # how long the last look at the sources took
        missed_at: float | None = None  # when a rebuild ended with no page connected to hear of it

        def examine(self):
            if self._changes:  # livereload's own messages
                return self._changes.pop()
            self.filepath = None
            seen = False
            started = time.monotonic()
            for path, task in self._tasks.items():
                self._task_mtimes = task["mtimes"]
                seen = self.is_changed(path, task["ignore"]) or seen
            now = time.monotonic()
            self.scan_seconds = now - started
            if seen:
                self.changed_at, self.last_path = now, self.filepath
                return None, None
            if self.changed_at is None or now - self.changed_at < SETTLE_SECONDS:
                return None, None
            self.changed_at = None
            for func in dict.fromkeys(task["func"] for task in self._tasks.values() if task["func"]):
                func()  # the same rebuild for every watched folder: run once
            if not LiveReloadHandler.waiters:
                self.missed_at = time.monotonic()
            self.filepath = self.last_path
            return self.filepath, None

        def start(self, callback) -> bool:
            def poll() -> None:
                callback()
                if self.missed_at is not None and LiveReloadHandler.waiters:
                    if time.monotonic() - self.missed_at < MISSED_RELOAD_SECONDS:
                        LiveReloadHandler.reload_waiters()
                    self.missed_at = None
                # at most a tenth of the time in scanning the sources (a rebuild's own time does not count)
                timer.callback_time = max(POLL_SECONDS, 10 * self.scan_seconds) * 1000

            timer = PeriodicCallback(poll, POLL_SECONDS * 1000)
            timer.start()
            return True

    return QuickWatcher()


def serve(content: Path, output: Path, port: int, jobs: int = 1) -> None:
    """Build once, then serve and rebuild after edits settle; a failed rebuild keeps the last good site."""
    from livereload import Server

    _external_reload_script(port)
    _reload_after_every_rebuild()
    cache.remember(MEMORY_FOR_CACHE)
    try:
        build(content, output, jobs=jobs)
    except BuildError as exc:
        print(f"cablesite: build failed: {exc}", file=sys.stderr)
        if not output.is_dir():
            raise

    def rebuild() -> None:
        try:
            build(content, output, jobs=jobs, quiet=False)
        except BuildError as exc:
            print(f"cablesite: rebuild failed, still serving the last good site: {exc}", file=sys.stderr)

    server = Server(watcher=_quick_watcher())
    for path in watched_paths(content):
        server.watch(str(path), rebuild)  # edits within one poll make one rebuild
    print(f"cablesite: serving {output} at http://127.0.0.1:{port}/ (Ctrl-C stops)", file=sys.stderr)
    try:
        server.serve(port=port, host="127.0.0.1", root=str(output.resolve()), open_url=False, restart_delay=0)
    finally:
        cache.remember(0)  # writes what was kept only in memory (the search index) for the next build
