"""Full build, rebuild with nothing changed, and rebuild after one edited cable, on a copy of CONTENT_DIR.

    python benchmarks/rebuild.py CONTENT_DIR [--runs 3] [--jobs 2]

Runs `cablesite build` as a user would (a new process each time) in a scratch project holding a copy of
CONTENT_DIR, so the parse cache and page keys start empty; each full build in a project of its own. Two kinds of edit to one cable in the middle of
the largest source file (see `edit_one_cable`): a word's case (its page and search record change, no indexed
word does) and a word added (the search index changes too). Prints the medians and the summary line of the
last run of each.
"""
from __future__ import annotations

import argparse
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


def run(content: Path, output: Path, jobs: int) -> tuple[float, str]:
    """One `cablesite build`: its wall time and its summary line."""
    env = user_env()
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "generator", "build", "--jobs", str(jobs), "--content", str(content),
                        "--output", str(output)], cwd=ROOT, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"build failed: {r.stderr[-2000:]}")
    return elapsed, r.stderr.strip().splitlines()[-1]


def edit_one_cable(content: Path, n: int, kind: str = "case") -> None:
    """Edit one cable in the middle of the largest source file, into text no build has seen (an edit undone
    would find the whole file in the parse cache). "case": the n-th " the " after the middle becomes " tHe "
    (its page and search record change, no indexed word does); "word": a new word, " zqxadded<n>", goes in
    after the first " the " after the middle (one more word in the body: every BM25 score of the body moves a
    little, a new term comes in)."""
    target = max((p for p in (content / "cables").rglob("*") if p.is_file()), key=lambda p: p.stat().st_size)
    data = target.read_bytes()
    at = len(data) // 2
    if kind == "case":
        for _ in range(n + 1):
            at = data.find(b" the ", at + 1)
        old, new = b" the ", b" tHe "
    else:
        at = data.find(b" the ", at)
        old, new = b" the ", b" the zqxadded%d " % n
    if at < 0:
        raise SystemExit(f"no {old!r} to edit in {target}")
    target.write_bytes(data[:at] + new + data[at + len(old):])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("content", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rebuild-"))
    content, output = work / "content", work / "site"
    shutil.copytree(args.content, content)
    full, same, edit, word = [], [], [], []
    try:
        # Each full build in a project of its own (the content hard-linked), nothing deleted until the end: on
        # this machine's file system, making files right after deleting many costs up to ten times as much
        # (docs/benchmarks.md, session 5), which would charge each full build for the one before it.
        for k in range(args.runs):
            fresh = work / f"full-{k}"
            shutil.copytree(content, fresh / "content", copy_function=os.link)
            t, full_line = run(fresh / "content", fresh / "site", args.jobs)
            full.append(t)
        run(content, output, args.jobs)  # the site the rebuilds start from
        for _ in range(args.runs):
            t, same_line = run(content, output, args.jobs)
            same.append(t)
        for n in range(args.runs):
            edit_one_cable(content, n, "case")
            t, edit_line = run(content, output, args.jobs)
            edit.append(t)
        for n in range(args.runs):
            edit_one_cable(content, n, "word")
            t, word_line = run(content, output, args.jobs)
            word.append(t)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    f, s, e = statistics.median(full), statistics.median(same), statistics.median(edit)
    print(f"medians of {args.runs} runs, -j{args.jobs}:")
    print(f"  full build        {f:6.2f} s   ({full_line})")
    print(f"  nothing changed   {s:6.2f} s = {100 * s / f:.0f}% of the full build   ({same_line})")
    print(f"  one cable edited, a word's case   {e:6.2f} s   ({edit_line})")
    print(f"  one cable edited, a word added    {statistics.median(word):6.2f} s   ({word_line})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
