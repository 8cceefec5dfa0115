"""Full builds side by side on the same cables: cablesite (pages, listings, search) against Hugo (the Debian
package) rendering the same cables as Markdown pages with taxonomies, followed by Pagefind to give it search.

    python benchmarks/hugo_compare.py CONTENT_DIR [--runs 3]

The Hugo site is generated here from cablesite's own parse of CONTENT_DIR (one Markdown page per cable
with its subject, date, tags, origin and classification as front matter, the paragraphs as the body)
and a minimal theme with single, list and taxonomy pages, so both tools render the same cables.
Prints the median wall time of each over the runs, and the ratio.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from as_user import user_env  # benchmarks/as_user.py

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import load_archive  # noqa: E402

LAYOUTS = {
    "_default/baseof.html": "<!doctype html><html><head><meta charset=utf-8><title>{{ .Title }}</title></head>"
                            "<body><nav><a href=\"/\">Home</a></nav><main>{{ block \"main\" . }}{{ end }}</main></body></html>",
    "_default/single.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><dl><dt>Date</dt><dd>{{ .Date.Format \"2006-01-02\" }}</dd>"
                            "<dt>Tags</dt><dd>{{ range .Params.tags }}<a href=\"/tags/{{ . | urlize }}/\">{{ . }}</a> {{ end }}</dd>"
                            "<dt>Origin</dt><dd>{{ range .Params.origins }}{{ . }}{{ end }}</dd></dl>{{ .Content }}{{ end }}",
    "_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href=\"{{ .RelPermalink }}\">"
                          "{{ .Title }}</a> {{ .Date.Format \"2006-01-02\" }}</li>{{ end }}</ul>{{ template \"_internal/pagination.html\" . }}{{ end }}",
    "_default/terms.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li><a href=\"{{ .Page.RelPermalink }}\">"
                           "{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}",
    "index.html": "{{ define \"main\" }}<h1>Cables</h1><ul>{{ range first 20 .Site.RegularPages }}<li><a href=\"{{ .RelPermalink }}\">"
                  "{{ .Title }}</a></li>{{ end }}</ul>{{ end }}",
}


def hugo_site(content: Path, folder: Path) -> int:
    archive, _ = load_archive(content)
    (folder / "content" / "cable").mkdir(parents=True)
    for rid, c in archive.cables.items():
        front = {"title": f"{rid}: {c.subject or '(no subject)'}", "date": c.created.strftime("%Y-%m-%dT%H:%M:00Z") if c.created else "2000-01-01T00:00:00Z",
                 "tags": list(c.tags), "origins": [c.origin or "unknown"], "classifications": [c.classification or "unknown"]}
        body = "\n\n".join(f"**{b.label or ''}** ({b.classification or ''}) {b.text}" if b.kind != "heading" else f"## {b.text}" for b in c.blocks)
        (folder / "content" / "cable" / f"{rid}.md").write_text(json.dumps(front) + "\n\n" + body + "\n")
    for name, text in LAYOUTS.items():
        (folder / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "layouts" / name).write_text(text)
    (folder / "config.toml").write_text('baseURL = "/"\ntitle = "cables"\npaginate = 100\n'
                                         '[taxonomies]\ntag = "tags"\norigin = "origins"\nclassification = "classifications"\n')
    return len(archive.cables)


def timed(cmd: list[str], cwd: Path | None = None) -> float:
    env = user_env()
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr[-2000:]}")
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("content", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not shutil.which("hugo"):
        raise SystemExit("hugo is not installed: apt-get install hugo")
    work = Path(tempfile.mkdtemp(prefix="hugo-compare-"))
    n = hugo_site(args.content, work / "hugo")
    ours, hugo, pagefind = [], [], []
    # Every run writes into folders of its own and nothing is deleted until the end: on this machine's ext4
    # (no journal) creating a file within a minute or more of many deletions costs up to 1 ms, the kernel
    # skipping the recently deleted inodes one by one (`recently_deleted` in perf), which would charge one
    # tool for the files the run before it removed.
    for run in range(args.runs):
        # a project of its own (the content hard-linked), so no cache of an earlier run is found: a full build
        content = work / f"project-{run}" / "content"
        shutil.copytree(args.content, content, copy_function=os.link)
        ours.append(timed([sys.executable, "-m", "generator", "build", "-q", "--content", str(content),
                           "--output", str(work / f"ours-{run}"), "--jobs", "2"], cwd=ROOT))
        public = work / f"public-{run}"
        hugo.append(timed(["hugo", "--quiet", "--source", str(work / "hugo"), "--destination", str(public)]))
        pagefind.append(timed([sys.executable, "-m", "pagefind", "--site", str(public)]))
    files = {name: sum(1 for f in (work / name).rglob("*") if f.is_file()) for name in ("ours-0", "public-0")}
    print(f"files written: cablesite {files['ours-0']}, Hugo + Pagefind {files['public-0']}")
    # each run's ratio is of three builds made one after the other, so a slow spell of this shared machine
    # weighs on all three alike; their median is the figure to quote, with its spread
    ratios = [a / (b + c) for a, b, c in zip(ours, hugo, pagefind)]
    o, h, p = statistics.median(ours), statistics.median(hugo), statistics.median(pagefind)
    print("runs (cablesite, Hugo, Pagefind, ratio): " + "; ".join(
        f"{a:.1f} s, {b:.1f} s, {c:.1f} s, {r:.2f}" for a, b, c, r in zip(ours, hugo, pagefind, ratios)))
    print(f"{n} cables, median of {args.runs} runs: cablesite {o:.1f} s; Hugo {h:.1f} s + Pagefind {p:.1f} s = {h + p:.1f} s; "
          f"cablesite / (Hugo + Pagefind) = {o / (h + p):.2f}; median of the runs' ratios {statistics.median(ratios):.2f} "
          f"({min(ratios):.2f} to {max(ratios):.2f})")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
