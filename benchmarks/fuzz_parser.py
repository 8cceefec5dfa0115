"""A long fuzz run of the parser (hypothesis): mutated real cables and random text; prints how many inputs
were tried and what failed. Its figures go into docs/security.md.

    python benchmarks/fuzz_parser.py [--examples N]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import test_parser_properties as props  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=5000)
    args = ap.parse_args()
    tried = {"mutated": 0, "random": 0}
    failures: list[str] = []

    def run(kind: str, strategy) -> None:
        @settings(max_examples=args.examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(strategy)
        def check(text):
            tried[kind] += 1
            props.test_parser_never_raises_and_loses_nothing.hypothesis.inner_test(text) if kind == "mutated" else \
                props.test_any_text_gives_a_cable_or_a_message.hypothesis.inner_test(text)
        try:
            check()
        except Exception as exc:  # hypothesis re-raises the shrunk failing example
            failures.append(f"{kind}: {type(exc).__name__}: {str(exc)[:500]}")

    t0 = time.perf_counter()
    run("mutated", props.mutated())
    run("random", st.text(max_size=2000))
    print(f"inputs tried: mutated real cables {tried['mutated']}, random text {tried['random']}, in {time.perf_counter() - t0:.0f} s")
    print(f"failures: {len(failures)}")
    for f in failures:
        print("  " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
