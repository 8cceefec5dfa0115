"""Run a command and report its wall time, the peak resident memory of its largest process (GNU time's
figure) and the peak memory the whole machine had in use meanwhile, above what it used before.

    python benchmarks/peak_memory.py -- cablesite build -j2 --content DIR --output OUT

The second figure counts the main process and every worker together, each page once (shared pages
of forked workers are not counted twice, as summing their RSS would): it is MemTotal - MemAvailable
from /proc/meminfo, sampled every 0.2 s, so anything else running on the machine adds to it.
"""
from __future__ import annotations

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
    rc = subprocess.call(args)
    elapsed = time.perf_counter() - t0
    done.set()
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(f"exit {rc}; wall {elapsed:.1f} s; largest process peak {largest / 2**30:.2f} GB; "
          f"machine memory in use above the start, at most {(peak - baseline) / 2**30:.2f} GB", file=sys.stderr)
    return rc


if __name__ == "__main__":
    raise SystemExit(main())
