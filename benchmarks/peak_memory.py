"""Run a command and report its wall time, the peak resident memory of its largest process (GNU time's
figure) and the peak memory the whole machine had in use meanwhile, above what it used before.

    python benchmarks/peak_memory.py -- cablesite build -j2 --content DIR --output OUT

The second figure counts the main process and every worker together, each page once (shared pages
of forked workers are not counted twice, as summing their RSS would): it is MemTotal - MemAvailable
from /proc/meminfo, sampled every 0.2 s, so anything else running on the machine adds to it, and so do
the kernel's own caches of what the build writes (dirty pages, inodes and directory entries of hundreds
of thousands of new files). The third figure is the build's processes alone: the peak of the sum of
their proportional set sizes (PSS, from /proc/PID/smaps_rollup: a page shared by n processes counts 1/n
in each), sampled every second over the command and every process descended from it, with the time
since the start at which it peaked.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time


def used_bytes() -> int:
    """Memory in use on the machine: MemTotal - MemAvailable."""
    info = {}
    with open("/proc/meminfo") as fh:
        for line in fh:
            key, value = line.split(":", 1)
            info[key] = int(value.split()[0]) * 1024
    return info["MemTotal"] - info["MemAvailable"]


def tree_pss(root: int) -> int:
    """The summed PSS of process `root` and all its descendants, in bytes (0 for processes gone meanwhile)."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(name))
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        pending.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
    return total


def main() -> int:
    args = sys.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        raise SystemExit(__doc__)
    baseline = used_bytes()
    peak = baseline
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, used_bytes())
            time.sleep(0.2)

    threading.Thread(target=sample, daemon=True).start()
    t0 = time.perf_counter()
    proc = subprocess.Popen(args)
    pss_peak, pss_at = 0, 0.0

    def sample_pss() -> None:
        nonlocal pss_peak, pss_at
        while not done.is_set():
            pss = tree_pss(proc.pid)
            if pss > pss_peak:
                pss_peak, pss_at = pss, time.perf_counter() - t0
            time.sleep(1.0)

    threading.Thread(target=sample_pss, daemon=True).start()
    rc = proc.wait()
    elapsed = time.perf_counter() - t0
    done.set()
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(f"exit {rc}; wall {elapsed:.1f} s; largest process peak {largest / 2**30:.2f} GB; "
          f"machine memory in use above the start, at most {(peak - baseline) / 2**30:.2f} GB; "
          f"the build's processes together (PSS), at most {pss_peak / 2**30:.2f} GB at {pss_at:.0f} s", file=sys.stderr)
    return rc


if __name__ == "__main__":
    raise SystemExit(main())
