"""How long an edited cable takes to show in the open browser under `cablesite serve`.

    python benchmarks/serve_latency.py CONTENT_DIR [--edits 7] [--jobs 2]

Copies CONTENT_DIR into a scratch project, starts `cablesite serve` on a free port, opens the page of a
cable in Debian's Chromium (Playwright, no browser download), then edits that cable's text in its source
file again and again (one word of its body becomes a new marker each time; in the largest source file, a
cables.csv in the synthetic archives) and times each edit from the file's save to the marker showing in the
page's text: the watcher's poll, the incremental rebuild, livereload's message and the browser's reload.
Prints every edit's time, the median, and the rebuild time the server printed for each.
"""
from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from as_user import user_env  # benchmarks/as_user.py

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
MARK = "zqxedit"


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(fn, seconds: float, step: float = 0.01) -> bool:
    """Poll fn until it is true or the time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if fn():
                return True
        except (OSError, PlaywrightError):  # not up yet, or the page is between documents while it reloads
            pass
        time.sleep(step)
    return False


def edit(source: Path, old: str, new: str) -> None:
    """Replace the first `old` after the middle of the file (the first edit) or anywhere (the marker)."""
    text = source.read_text(encoding="utf-8")
    at = text.find(old, len(text) // 2 if old == " the " else 0)
    if at < 0:
        raise SystemExit(f"no {old!r} to edit in {source}")
    source.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")


def page_with(site: Path, marker: str) -> str:
    """The site path of the cable page that shows the marker."""
    for page in (site / "cable").rglob("*.html"):
        if marker in page.read_text(encoding="utf-8"):
            return page.relative_to(site).as_posix()
    raise SystemExit(f"no cable page shows {marker}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("content", type=Path)
    ap.add_argument("--edits", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="serve-latency-"))
    content, site = work / "content", work / "site"
    shutil.copytree(args.content, content)
    source = max((p for p in (content / "cables").rglob("*") if p.is_file()), key=lambda p: p.stat().st_size)
    size = source.stat().st_size
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--jobs", str(args.jobs), "--content",
                             str(content), "--output", str(site), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=user_env())
    rebuilds: list[float] = []
    rebuilt_at: list[float] = []  # when each rebuild's summary line came (its end, give or take the pipe)

    def read_log() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if m := re.search(r"unchanged, into .* in ([0-9.]+) s", line):
                rebuilt_at.append(time.monotonic())
                rebuilds.append(float(m.group(1)))

    threading.Thread(target=read_log, daemon=True).start()
    url = f"http://127.0.0.1:{port}/"
    times: list[float] = []
    after: list[float] = []  # from a rebuild's end to the new word in the browser: livereload and the reload
    try:
        if not wait_for(lambda: urllib.request.urlopen(url + "index.html", timeout=2).status == 200, 600, 0.2):
            raise SystemExit("serve did not start")
        # a first edit, to learn which page shows the edited cable
        edit(source, " the ", f" {MARK}0 ")
        if not wait_for(lambda: len(rebuilds) >= 2, 60, 0.1):
            raise SystemExit("the first edit was not rebuilt")
        path = page_with(site, f"{MARK}0")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(url + path)
            for n in range(1, args.edits + 1):
                # an edit sent before the page's livereload handshake would reload nothing
                if not wait_for(lambda: page.evaluate("() => window.LiveReload.connector.protocol") >= 7, 15):
                    raise SystemExit("livereload did not connect")
                time.sleep(0.5)
                started = time.monotonic()
                edit(source, f"{MARK}{n - 1}", f"{MARK}{n}")
                if not wait_for(lambda n=n: f"{MARK}{n}" in page.inner_text("main"), 30):
                    raise SystemExit(f"edit {n} never showed in the browser")
                shown = time.monotonic()
                times.append(shown - started)
                after.append(shown - rebuilt_at[-1])
                print(f"edit {n}: {times[-1]:.2f} s to the browser, {after[-1]:.2f} s of it after the rebuild ended",
                      flush=True)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    print(f"{path} in {source.name} ({size:,} bytes): "
          f"median {statistics.median(times):.2f} s from save to browser over {len(times)} edits "
          f"(min {min(times):.2f}, max {max(times):.2f}); the server's rebuilds: median "
          f"{statistics.median(rebuilds[2:]):.2f} s; from a rebuild's end to the browser: median {statistics.median(after):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
