"""`cablesite serve`: build, serve the site on 127.0.0.1 with livereload, and rebuild when sources change.

Every rebuild goes through the same atomic writer as `cablesite build`, so the server only ever sees a
complete site: the old one until the new one is swapped in whole."""
from __future__ import annotations

import sys
from pathlib import Path

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


POLL_SECONDS = 0.1  # how often sources are checked for changes; livereload's own watcher waits 0.8 s


def _quick_watcher():
    """livereload's polling watcher, polled every POLL_SECONDS (slower when a scan of the sources takes long,
    so watching a huge content/ folder never eats the CPU), not its fixed 0.8 s: an edit's rebuild starts
    about 0.05 s after the save instead of 0.4 s. (livereload uses inotify only through pyinotify, which
    cablesite does not depend on.)"""
    import time

    from livereload.watcher import Watcher
    from tornado.ioloop import PeriodicCallback

    class QuickWatcher(Watcher):
        def start(self, callback) -> bool:
            def poll() -> None:
                started = time.monotonic()
                callback()
                if self.filepath is None:  # a scan that found nothing: at most a tenth of the time spent scanning
                    timer.callback_time = max(POLL_SECONDS, 10 * (time.monotonic() - started)) * 1000

            timer = PeriodicCallback(poll, POLL_SECONDS * 1000)
            timer.start()
            return True

    return QuickWatcher()


def serve(content: Path, output: Path, port: int, jobs: int = 1) -> None:
    """Build once, then serve and rebuild after edits settle; a failed rebuild keeps the last good site."""
    from livereload import Server

    _external_reload_script(port)
    _reload_after_every_rebuild()
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
    server.serve(port=port, host="127.0.0.1", root=str(output.resolve()), open_url=False, restart_delay=0)
