"""Parse a corpus and print what came out: files, cables, warnings by kind, agreement of the fields
derived from the text with the metadata the sources carry outside it, and parsing speed.

    python benchmarks/parse_corpus.py [CORPUS_DIR ...] [--speed-rows N]

CORPUS_DIR defaults to ../shared/corpus (beside the checkout); where it does not exist, to the real
cables shipped in the project (content/cables and tests/fixtures/real), and the output says so.

Agreement: each cable is parsed twice, once as the build does and once with the source's outside
metadata withheld, so that what the parser derives from the text alone (reference id from banner and
date-time group, created, classification, origin) is compared with what the source says. Subject and
tags from the text are compared with the HTML page's title and tag links; REF lists with the CSV
references column; paragraphs with WikiLeaks' own `parN` anchors.

Speed: the CSV rows found (or, with --speed-rows N, those rows repeated to N rows) are parsed on one
core, and cables per second are printed as the median of 5 runs.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.cable import RawCable, parse  # noqa: E402
from generator.cable.audit import lost_text  # noqa: E402
from generator.messages import Message  # noqa: E402
from generator.readers import csv as csv_reader  # noqa: E402
from generator.sources import discover, read_file  # noqa: E402


class Tally:
    def __init__(self) -> None:
        self.agree: Counter = Counter()
        self.total: Counter = Counter()
        self.misses: dict[str, list[str]] = {}

    def check(self, field: str, want, got, where: str) -> None:
        if want in (None, "", (), []):
            return
        self.total[field] += 1
        if want == got:
            self.agree[field] += 1
        else:
            self.misses.setdefault(field, []).append(f"{where}: source {want!r}, text {got!r}")

    def lines(self) -> list[str]:
        out = []
        for field in sorted(self.total):
            n, ok = self.total[field], self.agree[field]
            out.append(f"  {field:<22} {ok:>7} / {n:<7} {100 * ok / n:6.2f} %")
        return out


def compare(raw: RawCable, tally: Tally) -> None:
    meta = raw.meta
    where = f"{raw.source}:{raw.first_line}"
    derived = parse(replace(raw, meta={}))
    tally.check("reference_id", meta.get("reference_id"), derived.reference_id, where)
    tally.check("created", meta.get("created"), derived.created, where)
    tally.check("classification", meta.get("classification"), derived.classification, where)
    tally.check("origin", meta.get("origin"), derived.origin, where)
    if raw.source_format == "html":
        subject = meta.get("subject")
        tally.check("subject (HTML title)", subject and subject.upper(), derived.subject and derived.subject.upper(), where)
        tally.check("tags (HTML links)", tuple(meta.get("tags") or ()), derived.tags, where)
    if raw.source_format == "csv":
        refs = tuple(sorted(set(meta.get("csv_references") or ())))
        tally.check("references (CSV)", refs, tuple(sorted(set(derived.references))), where)
    anchors = meta.get("wikileaks_anchors") or []
    if anchors:
        full = parse(raw)
        have = {b.anchor for b in full.paragraphs if b.wikileaks_anchor}
        for a in anchors:
            tally.check("paragraph anchors", f"para-{a[3:]}", f"para-{a[3:]}" if f"para-{a[3:]}" in have else None, where)


def corpus_files(dirs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        files += discover(d) if d.is_dir() else [d]
    return files


def speed(csv_rows: list[str], target: int) -> tuple[int, float]:
    if not csv_rows:
        return 0, 0.0
    rows = (csv_rows * (target // len(csv_rows) + 1))[:target] if target else csv_rows
    data = "".join(rows)
    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        n = 0
        for item in csv_reader.read_stream("speed.csv", io.StringIO(data, newline="")):
            if isinstance(item, RawCable):
                parse(item)
                n += 1
        timings.append(time.perf_counter() - t0)
    return n, n / statistics.median(timings)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--speed-rows", type=int, default=0, help="repeat the CSV rows found to this many rows for the speed figure")
    args = ap.parse_args()
    default_corpus = ROOT.parent / "shared" / "corpus"
    dirs = args.dirs or ([default_corpus] if default_corpus.is_dir() else [ROOT / "content" / "cables", ROOT / "tests" / "fixtures" / "real"])
    if not args.dirs and not default_corpus.is_dir():
        print(f"note: {default_corpus} does not exist; measuring the real cables shipped in the project instead")
    files = corpus_files(dirs)
    formats: Counter = Counter()
    warnings: Counter = Counter()
    errors: Counter = Counter()
    tally = Tally()
    cables = exceptions = lost = 0
    csv_rows: list[str] = []
    for f in files:
        try:
            for item in read_file(f):
                if isinstance(item, Message):
                    (errors if item.level == "error" else warnings)[item.kind] += 1
                    continue
                cables += 1
                formats[item.source_format] += 1
                try:
                    cable = parse(item)
                    compare(item, tally)
                except Exception as exc:  # counted: the target is none
                    exceptions += 1
                    print(f"EXCEPTION {f}: {type(exc).__name__}: {exc}")
                    continue
                for w in cable.warnings:
                    warnings[w.kind] += 1
                if lost_text(item, cable):
                    lost += 1
                    errors["text-lost"] += 1
        except Exception as exc:
            exceptions += 1
            print(f"EXCEPTION {f}: {type(exc).__name__}: {exc}")
        if f.suffix == ".csv" and f.stat().st_size < 50_000_000:
            csv_rows += [r for r in f.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)]
    print(f"corpus: {', '.join(str(d) for d in dirs)}")
    print(f"files: {len(files)}   cables: {cables} ({', '.join(f'{k} {v}' for k, v in sorted(formats.items()))})")
    print(f"exceptions: {exceptions}   cables with text lost: {lost}")
    print("errors by kind: " + (", ".join(f"{k} {v}" for k, v in sorted(errors.items())) or "none"))
    print("warnings by kind: " + (", ".join(f"{k} {v}" for k, v in sorted(warnings.items())) or "none"))
    print("agreement of fields from the text with the source's own metadata:")
    print("\n".join(tally.lines()) or "  (no source carried metadata to compare with)")
    for field, misses in sorted(tally.misses.items()):
        for m in misses[:3]:
            print(f"  miss {field}: {m}")
    # The CSV text is joined back into rows that span lines; the reader itself finds the row boundaries.
    n, rate = speed(["".join(csv_rows)] if csv_rows else [], 0)
    if args.speed_rows and csv_rows:
        n, rate = speed(["".join(csv_rows)], args.speed_rows // max(1, n or 1))
    print(f"speed: {n} CSV rows parsed on one core, median of 5 runs: {rate:,.0f} cables/s")
    return 1 if exceptions else 0


if __name__ == "__main__":
    raise SystemExit(main())
