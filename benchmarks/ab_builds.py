"""Full builds of the same cables by two versions of cablesite, run one after the other in pairs, to tell a
change of the code from a change of the machine (on a shared machine the same build's time moves by a
third from one hour to the next).

    python benchmarks/ab_builds.py REV CONTENT_DIR [--runs 7] [--jobs 2]

REV (a commit, a tag, `HEAD~3`) is checked out into a temporary git worktree beside this working tree, which
is the other version; both run with this project's Python environment and npm packages. Each run builds
CONTENT_DIR from scratch (a project of its own, the content hard-linked, so no cache of an earlier run is
found) once with each version, alternating which goes first. Nothing is deleted until the end: creating
files soon after many deletions is slow on this machine's file system (see hugo_compare.py). Prints every
pair's times, each version's median and the median of the pairs' ratios (this tree / REV) with its spread.
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


def build_seconds(tree: Path, content: Path, project: Path, jobs: int) -> float:
    """Wall time of one full build by the code in `tree`, into a project of its own."""
    shutil.copytree(content, project / "content", copy_function=os.link)
    started = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "generator", "build", "-q", "--jobs", str(jobs), "--content",
                        str(project / "content"), "--output", str(project / "site")], cwd=tree, capture_output=True, text=True,
                       env=user_env(tree))
    if r.returncode != 0:
        raise SystemExit(f"the build by {tree} failed: {r.stderr[-2000:]}")
    return time.perf_counter() - started


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("rev")
    ap.add_argument("content", type=Path)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ab-builds-"))
    other = work / "other"
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(other), args.rev], cwd=ROOT, check=True)
    try:
        (other / "node_modules").symlink_to(ROOT / "node_modules")  # lunr.js, as the build copies it
        label = subprocess.run(["git", "rev-parse", "--short", args.rev], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        ours, theirs = [], []
        for run in range(args.runs):
            order = [("this", ROOT, ours), (label, other, theirs)]
            for name, tree, times in order if run % 2 == 0 else order[::-1]:
                times.append(build_seconds(tree, args.content, work / f"{name}-{run}", args.jobs))
            print(f"run {run + 1}: this tree {ours[-1]:.2f} s, {label} {theirs[-1]:.2f} s, ratio {ours[-1] / theirs[-1]:.2f}", flush=True)
        ratios = [a / b for a, b in zip(ours, theirs)]
        print(f"median of {args.runs} runs: this tree {statistics.median(ours):.2f} s, {label} {statistics.median(theirs):.2f} s; "
              f"median of the pairs' ratios {statistics.median(ratios):.2f} ({min(ratios):.2f} to {max(ratios):.2f})")
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
