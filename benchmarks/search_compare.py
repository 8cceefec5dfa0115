"""Search side by side on the same built site: cablesite's split Lunr index against Pagefind, and
cablesite's index builder against lunr.py's own.

    python benchmarks/search_compare.py CONTENT_DIR [--queries "belarus,gas ..."]
    python benchmarks/search_compare.py --built SITE_DIR [--queries ...] [--runs 3] [--gzip] [--server nginx|nginx-h2]

The second form measures only cablesite's cold queries on a site already built (the full-size archive,
which Pagefind cannot index on this machine), with the files each query loaded. By default the site is served by
Python's `http.server` (a thread and a connection per request); `--server nginx` serves it with Debian's nginx
instead, as a static host would (keep-alive; with --gzip, its gzip module), and `--server nginx-h2` over HTTPS
with HTTP/2, as Netlify serves (one connection for every request; a self-signed certificate made with openssl).

Builds CONTENT_DIR with cablesite, indexes the same built site with Pagefind (PyPI `pagefind[bin]`),
serves it on 127.0.0.1 and, for every query, opens a fresh (cold) Chromium context and counts the
bytes the browser downloads until the first page of results (10) is shown with its text: for
cablesite the search page, its assets, the manifest, the index parts and the result records; for
Pagefind a minimal page, pagefind.js, its WebAssembly, the index chunks and the 10 results' fragments.
Time is measured in the page, from the search script starting (page loaded) to the ten results shown
(for Pagefind from its import), and for cablesite also to the first result shown. Prints each query's medians over --runs cold runs (the two engines
alternating), and their median and worst over the queries. Also times the index build: cablesite's builder against lunr.py's on the same documents, on one core
(lunr.py's builder has no other way to run) and as `cablesite build -j2` runs it, in two workers.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import build, load_archive  # noqa: E402
from generator.search import build_search  # noqa: E402
from generator.search.documents import FIELDS, doc_fields, search_docs  # noqa: E402
from generator.search.index import FastBuilder  # noqa: E402
from generator.search.lexicon import lexicon_files  # noqa: E402
from generator.search.parts import index_files  # noqa: E402

PAGEFIND_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>pagefind</title>
<script type="module" src="pf.js"></script></head><body><ol id="r"></ol></body></html>"""
PAGEFIND_JS = """const q = new URLSearchParams(location.search).get("q");
const pagefind = await import("./pagefind/pagefind.js");
const t0 = performance.now();
const search = await pagefind.search(q);
const data = await Promise.all(search.results.slice(0, 10).map(r => r.data()));
for (const d of data) { const li = document.createElement("li"); li.textContent = d.meta.title + " " + d.excerpt; document.getElementById("r").appendChild(li); }
document.body.dataset.ms = String(Math.round(performance.now() - t0));
document.body.dataset.done = String(search.results.length);
"""
QUERIES = ["belarus", "lukashenko election", "gas", "banks subprime", "karasin", "military cooperation", "nato", "eurobond"]


def serve(folder: Path, gzip_text: bool = False) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Serve a folder on 127.0.0.1; with gzip_text, compress HTML, CSS and JavaScript for browsers that accept
    it, as Netlify and most static hosts do (Pagefind's own index files are compressed already)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a) -> None:
            pass

        def do_GET(self) -> None:
            path = Path(self.translate_path(self.path))
            if not (gzip_text and "gzip" in self.headers.get("Accept-Encoding", "") and path.is_file()
                    and path.suffix in (".html", ".js", ".css", ".json", ".svg")):
                return super().do_GET()
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


NGINX_CONF = """daemon off; worker_processes 1; pid {tmp}/nginx.pid; error_log {tmp}/error.log;
events {{ worker_connections 1024; }}
http {{
  include /etc/nginx/mime.types; access_log off; sendfile on;
  client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp}; uwsgi_temp_path {tmp}; scgi_temp_path {tmp};
  gzip {gzip}; gzip_comp_level 6; gzip_min_length 0;
  gzip_types text/css application/javascript text/javascript application/json image/svg+xml;
  server {{ listen 127.0.0.1:{port}{tls}; root {root};{cert} }}
}}
"""


class Nginx:
    """Debian's nginx serving a folder on 127.0.0.1 (`shutdown()` stops it), as `serve` does with Python's server."""

    def __init__(self, folder: Path, gzip_text: bool, h2: bool = False) -> None:
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.tmp = Path(tempfile.mkdtemp(prefix="nginx-"))
        conf = self.tmp / "nginx.conf"
        tls = cert = ""
        if h2:  # HTTPS with HTTP/2, as Netlify serves: one connection for all requests, not six
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                            "-keyout", str(self.tmp / "key.pem"), "-out", str(self.tmp / "cert.pem")],
                           check=True, capture_output=True)
            tls = " ssl http2"
            cert = f" ssl_certificate {self.tmp}/cert.pem; ssl_certificate_key {self.tmp}/key.pem;"
        conf.write_text(NGINX_CONF.format(tmp=self.tmp, port=self.port, root=folder.resolve(), tls=tls, cert=cert,
                                          gzip="on" if gzip_text else "off"))
        self.base = f"{'https' if h2 else 'http'}://127.0.0.1:{self.port}/"
        self.proc = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(conf), "-p", str(self.tmp)])
        import ssl
        import urllib.request
        unverified = ssl._create_unverified_context()  # the self-signed certificate of nginx-h2
        for _ in range(100):
            try:
                urllib.request.urlopen(self.base, timeout=1, context=unverified)
                break
            except OSError:
                time.sleep(0.05)

    def shutdown(self) -> None:
        """Stop nginx and remove its configuration."""
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


def cold_bytes(browser, url: str, done_selector: str, files: bool = False) -> tuple:
    """Bytes a fresh browser context downloads until `done_selector` shows, seconds to all results shown, results
    shown, seconds to the first result shown (cablesite shows each as its record arrives; Pagefind's page here
    shows the ten at once) and, with files, the URLs requested."""
    ctx = browser.new_context(ignore_https_errors=True)  # nginx-h2's certificate is self-signed
    page = ctx.new_page()
    sizes: list[int] = []
    urls: list[str] = []
    page.on("requestfinished", lambda req: sizes.append(req.sizes()["responseBodySize"] + req.sizes()["responseHeadersSize"]))
    page.on("request", lambda req: urls.append(req.url))
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(done_selector, timeout=60000)
    elapsed = time.perf_counter() - started
    count = page.locator("#search-results li, #r li").count()
    after_load = int(page.evaluate("() => document.body.dataset.searchMs || document.body.dataset.ms || -1"))
    first = int(page.evaluate("() => document.body.dataset.searchFirstMs || document.body.dataset.ms || -1"))
    ctx.close()
    result = (sum(sizes), after_load / 1000 if after_load >= 0 else elapsed, count, first / 1000 if first >= 0 else elapsed)
    return (*result, urls) if files else result


def browser_args() -> list[str]:
    """Chromium flags that keep background traffic out of the byte counts."""
    return ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"]


def built_only(site: Path, queries: list[str], runs: int, gzip_text: bool, server_name: str = "python") -> int:
    """Cold queries on an already built site: bytes, time to results and index files loaded, medians of runs."""
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright
    if server_name.startswith("nginx"):
        server = Nginx(site, gzip_text, h2=server_name == "nginx-h2")
        base = server.base
    else:
        base, server = serve(site, gzip_text)
    print(f"served by {server_name} " + ("with gzip for HTML, CSS and JavaScript" if gzip_text else "uncompressed"))
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=browser_args())
        for q in queries:
            got = [cold_bytes(browser, f"{base}search.html?q={quote(q)}", "body[data-search-done]", files=True)
                   for _ in range(runs)]
            kb = statistics.median(g[0] for g in got) / 1024
            ms = statistics.median(g[1] for g in got) * 1000
            loaded = got[-1][4]
            first_ms = statistics.median(g[3] for g in got) * 1000
            tiers = sum("/search/tier/" in u for u in loaded)
            parts = sum("/search/part/" in u for u in loaded)
            rows.append((q, kb, ms, first_ms))
            print(f"  {q!r:26} {kb:7.1f} KB {ms:6.0f} ms (first result {first_ms:4.0f} ms)  {got[-1][2]:3} shown; {parts} parts, {tiers} tier files, {len(loaded)} requests")
        browser.close()
    server.shutdown()
    print(f"median over queries: {statistics.median(r[1] for r in rows):.1f} KB, {statistics.median(r[2] for r in rows):.0f} ms; "
          f"worst {max(r[1] for r in rows):.1f} KB, {max(r[2] for r in rows):.0f} ms; first result median {statistics.median(r[3] for r in rows):.0f} ms, "
          f"worst {max(r[3] for r in rows):.0f} ms")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("content", type=Path, nargs="?")
    ap.add_argument("--queries", default=",".join(QUERIES))
    ap.add_argument("--built", type=Path, help="measure cold queries on this built site only")
    ap.add_argument("--runs", type=int, default=3, help="cold runs per query (medians are printed)")
    ap.add_argument("--gzip", action="store_true", help="serve HTML, CSS and JavaScript gzipped, as static hosts do")
    ap.add_argument("--server", choices=("python", "nginx", "nginx-h2"), default="python",
                    help="with --built: Python's http.server (default), Debian's nginx over HTTP/1.1 as a static host "
                         "serves, or nginx over HTTPS with HTTP/2 (self-signed), as Netlify serves")
    args = ap.parse_args()
    queries = [q.strip() for q in args.queries.split(",") if q.strip()]
    if args.built:
        return built_only(args.built, queries, args.runs, args.gzip, args.server)
    if args.content is None:
        ap.error("give CONTENT_DIR or --built SITE_DIR")
    work = Path(tempfile.mkdtemp(prefix="search-compare-"))
    site = work / "site"
    t0 = time.perf_counter()
    build(args.content, site, jobs=2, quiet=True)
    print(f"cablesite build (pages, listings, search): {time.perf_counter() - t0:.1f} s")

    archive, _ = load_archive(args.content)
    docs = search_docs(archive)
    # Both produce what lunr.js loads: cablesite its JSON index parts, lunr.py its serialized index as JSON.
    import json

    import lunr
    ours_runs, built_runs, theirs_runs = [], [], []
    for _ in range(3):
        t0 = time.perf_counter()
        fast = FastBuilder(list(FIELDS))
        for d in docs:
            fast.add(d.number, doc_fields(archive, d))
        index = fast.build()
        for _ in index_files(index, []):
            pass
        for _ in lexicon_files(index.terms, {}):  # (lunr.py's build makes its TokenSet of every term too)
            pass
        ours_runs.append(time.perf_counter() - t0)
        # the same index as `cablesite build -j2` makes it: documents and terms in two forked workers, plus the
        # manifest and the documents' digests (no result records, which lunr.py's index does not hold either)
        t0 = time.perf_counter()
        for _ in build_search(archive, jobs=2, records=False):
            pass
        built_runs.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        b = lunr.get_default_builder()
        b.ref("number")
        for name, boost in FIELDS:
            b.field(name, boost=boost)
        for d in docs:
            b.add({"number": str(d.number), **doc_fields(archive, d)})
        json.dumps(b.build().serialize())
        theirs_runs.append(time.perf_counter() - t0)
    ours, theirs = statistics.median(ours_runs), statistics.median(theirs_runs)
    built = statistics.median(built_runs)
    print(f"index build over {len(docs)} cables (median of 3): cablesite {ours:.2f} s on one core, lunr.py {theirs:.2f} s "
          f"(one core, as it runs): {theirs / ours:.1f}x faster; as `cablesite build -j2` makes it: {built:.2f} s, {theirs / built:.1f}x")

    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site)], capture_output=True, text=True)
    pf_time = time.perf_counter() - t0
    if r.returncode != 0:
        print("pagefind failed:", r.stderr[-2000:])
        return 1
    (site / "pf.html").write_text(PAGEFIND_PAGE)
    (site / "pf.js").write_text(PAGEFIND_JS)
    pf_size = sum(f.stat().st_size for f in (site / "pagefind").rglob("*") if f.is_file())
    ours_size = sum(f.stat().st_size for f in (site / "search").rglob("*") if f.is_file())
    print(f"pagefind indexing: {pf_time:.1f} s; index on disk: pagefind {pf_size / 1e6:.1f} MB, cablesite {ours_size / 1e6:.1f} MB")

    base, server = serve(site, args.gzip)
    print("served " + ("with gzip for HTML, CSS and JavaScript" if args.gzip else "uncompressed"))
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=browser_args())
        for q in queries:
            ours_got, pf_got = [], []
            for _ in range(args.runs):  # the two alternate, so a slow moment of the machine costs both
                ours_got.append(cold_bytes(browser, f"{base}search.html?q={quote(q)}", "body[data-search-done]"))
                pf_got.append(cold_bytes(browser, f"{base}pf.html?q={quote(q)}", "body[data-done]"))
            ob, ot, on, of = (statistics.median(g[i] for g in ours_got) for i in range(4))
            pb, pt, pn = (statistics.median(g[i] for g in pf_got) for i in range(3))
            rows.append((q, ob, ot, on, pb, pt, pn, of))
            print(f"  {q!r:24} cablesite {ob / 1024:7.1f} KB {ot * 1000:6.0f} ms (first {of * 1000:4.0f} ms) {on:3.0f} shown | "
                  f"pagefind {pb / 1024:7.1f} KB {pt * 1000:6.0f} ms {pn:3.0f} shown")
        browser.close()
    server.shutdown()
    ours_kb = statistics.median(r[1] for r in rows) / 1024
    pf_kb = statistics.median(r[4] for r in rows) / 1024
    print(f"median bytes per cold query: cablesite {ours_kb:.1f} KB, pagefind {pf_kb:.1f} KB (ratio {ours_kb / pf_kb:.2f})")
    print(f"median time from the page's scripts starting to results shown: cablesite {statistics.median(r[2] for r in rows) * 1000:.0f} ms, "
          f"pagefind {statistics.median(r[5] for r in rows) * 1000:.0f} ms; the slowest query: cablesite {max(r[2] for r in rows) * 1000:.0f} ms, "
          f"pagefind {max(r[5] for r in rows) * 1000:.0f} ms")
    print(f"cablesite's first result shown: median {statistics.median(r[7] for r in rows) * 1000:.0f} ms, slowest query {max(r[7] for r in rows) * 1000:.0f} ms")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
