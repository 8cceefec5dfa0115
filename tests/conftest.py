"""Shared test helpers: paths, parsing real files, the optional ../shared corpus."""
from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.cable import Cable  # noqa: E402
from generator.ingest import parse_raw  # noqa: E402
from generator.messages import Message  # noqa: E402
from generator.sources import read_file, read_text  # noqa: E402

SEEDS = ROOT / "content" / "cables" / "seeds"
REAL = ROOT / "tests" / "fixtures" / "real"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
GOLDEN = ROOT / "tests" / "golden"


def synthetic_csv(out: Path, cables: int) -> Path:
    """Write `out`, a cables.csv of `cables` real paragraphs recombined (benchmarks/synth_corpus.py, fixed seed)."""
    import subprocess
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth_corpus.py"), str(out), "--cables", str(cables)],
                   check=True, capture_output=True)
    return out


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen", action="store_true", help="rewrite the golden files from the current output")


@pytest.fixture
def regen(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen") or os.environ.get("CABLESITE_REGEN"))


def parse_path(path: Path) -> list[tuple[Cable, list[Message]]]:
    """Parse every cable in a file with the audit on; return (cable, messages) pairs."""
    out = []
    for item in read_file(path, str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)):
        assert not isinstance(item, Message), f"unexpected message: {item}"
        msgs: list[Message] = []
        out.append((parse_raw(item, msgs), msgs))
    return out


def parse_one(path: Path) -> Cable:
    """The single cable of a file; fails the test on any error message."""
    [(cable, msgs)] = parse_path(path)
    assert not [m for m in msgs if m.level == "error"], msgs
    return cable


def parse_snippet(text: str, name: str = "snippet.txt") -> Cable:
    """Parse cable text given inline (a real excerpt), with the no-text-lost audit."""
    [raw] = list(read_text(name, text))
    msgs: list[Message] = []
    cable = parse_raw(raw, msgs)
    assert not [m for m in msgs if m.level == "error"], msgs
    return cable


def seed(n: int) -> Path:
    """The path of seed number n (000 to 004)."""
    [p] = sorted(SEEDS.glob(f"{n:03d}_*.txt"))
    return p


@contextmanager
def finishing_within(seconds: int) -> Iterator[None]:
    """Fail, not hang, when the block runs longer than `seconds`: a guard against unbounded backtracking or
    quadratic time on hostile input, not a timing (a cable parses in milliseconds)."""
    def too_long(*_):
        raise AssertionError(f"reading and parsing did not finish within {seconds} s")

    old = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
