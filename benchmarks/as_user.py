"""How the benchmarks start `cablesite` processes: as on a user's machine, with cablesite's modules compiled.

This machine's environment sets PYTHONDONTWRITEBYTECODE=1, so every `cablesite` process compiled all of its
modules from source again: 0.13 s of each run (session 9), which a user's installation pays once. The
benchmarks compile them first and start each process without that variable.
"""
from __future__ import annotations

import compileall
import os
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=None)
def user_env(tree: Path = ROOT) -> dict[str, str]:
    """This process's environment without PYTHONDONTWRITEBYTECODE, with the modules of cablesite in `tree` compiled
    (once per tree: a benchmark asks before every run). Not to be changed by the caller: it is shared."""
    compileall.compile_dir(tree / "generator", quiet=1)
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
