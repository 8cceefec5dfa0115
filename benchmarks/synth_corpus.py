"""Make a full-size synthetic archive by recombining real cables, deterministically from a seed.

    python benchmarks/synth_corpus.py OUT.csv [--cables 251287] [--seed 1] [--source DIR ...] [--files]

The output is one cables.csv (the release's dump format, MySQL escapes) whose rows have the release's
mix of years, classifications, origins and tags, REF lists that cite earlier rows (real
cross-references within the archive), and bodies made of real paragraphs, hard-wrapped with trailing
spaces and page-break lines as the originals are. Paragraphs come from the real cables found in
../shared/corpus when it exists, else from those shipped in the project (content/, tests/fixtures/real/).
With --files, OUT is a folder and each row goes into a file of its own: the same cables as an archive of many
small files (as users who scraped the cables one page at a time have them).
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import textwrap
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.cable import RawCable, parse  # noqa: E402
from generator.glossary import tag_meanings  # noqa: E402
from generator.sources import discover, read_file  # noqa: E402

# The release by classification (counts as published with it) and by year of creation (approximate shares).
CLASSIFICATIONS = [("UNCLASSIFIED", 75792), ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", 58095), ("CONFIDENTIAL", 97070),
                   ("CONFIDENTIAL//NOFORN", 4678), ("SECRET", 11322), ("SECRET//NOFORN", 4330)]
YEARS = [(1985, 1), (1990, 2), (1995, 3), (2000, 6), (2001, 6), (2002, 10), (2003, 16), (2004, 23), (2005, 40),
         (2006, 60), (2007, 66), (2008, 62), (2009, 58), (2010, 14)]
BANNER = {"UNCLASSIFIED": "UNCLAS", "UNCLASSIFIED//FOR OFFICIAL USE ONLY": "UNCLAS SENSITIVE",
          "CONFIDENTIAL": "C O N F I D E N T I A L", "CONFIDENTIAL//NOFORN": "C O N F I D E N T I A L NOFORN",
          "SECRET": "S E C R E T", "SECRET//NOFORN": "S E C R E T NOFORN"}
MARK = {"UNCLASSIFIED": "U", "UNCLASSIFIED//FOR OFFICIAL USE ONLY": "SBU", "CONFIDENTIAL": "C",
        "CONFIDENTIAL//NOFORN": "C//NF", "SECRET": "S", "SECRET//NOFORN": "S//NF"}
POSTS = ["MOSCOW", "MINSK", "KYIV", "BAGHDAD", "ANKARA", "BEIJING", "TOKYO", "PARIS", "BERLIN", "LONDON", "ROME", "MADRID",
         "CAIRO", "AMMAN", "RIYADH", "TEL AVIV", "ISLAMABAD", "NEW DELHI", "KABUL", "TBILISI", "BAKU", "YEREVAN", "ASTANA",
         "TASHKENT", "BRASILIA", "BUENOS AIRES", "CARACAS", "BOGOTA", "LIMA", "MEXICO", "HAVANA", "OTTAWA", "PRETORIA",
         "NAIROBI", "ABUJA", "HARARE", "SEOUL", "MANILA", "JAKARTA", "BANGKOK", "HANOI", "KUALA LUMPUR", "CANBERRA"]
CONSULATES = ["SAO PAULO", "ISTANBUL", "SHANGHAI", "JERUSALEM", "KARACHI", "MUMBAI", "FRANKFURT", "ADANA"]
MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()


def weighted(rng: random.Random, table: list[tuple]) -> object:
    total = sum(w for _, w in table)
    x = rng.uniform(0, total)
    for value, w in table:
        x -= w
        if x <= 0:
            return value
    return table[-1][0]


def real_paragraphs(dirs: list[Path]) -> list[str]:
    paras = []
    for d in dirs:
        for f in discover(d):
            for item in read_file(f):
                if isinstance(item, RawCable):
                    paras += [b.text for b in parse(item).blocks if b.kind == "paragraph" and len(b.text) > 80]
    return paras


def esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--cables", type=int, default=251287)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--source", type=Path, action="append")
    ap.add_argument("--files", action="store_true",
                    help="OUT is a folder: each cable in a cables.csv file of its own (OUT/000/ID.csv, a thousand a folder), "
                         "the same cables as without --files, as an archive of many small files")
    args = ap.parse_args()
    corpus = ROOT.parent / "shared" / "corpus"
    sources = args.source or ([corpus] if corpus.is_dir() else [ROOT / "content" / "cables", ROOT / "tests" / "fixtures" / "real"])
    paras = real_paragraphs(sources)
    print(f"{len(paras)} real paragraphs from {', '.join(map(str, sources))}", file=sys.stderr)
    rng = random.Random(args.seed)
    subjects_tags = [t for t, (_, kind) in tag_meanings().items() if kind == "subject"]
    country_tags = [t for t, (_, kind) in tag_meanings().items() if kind == "country"]
    serials: dict[tuple[int, str], int] = {}
    made: list[str] = []
    written = 0
    (args.out if args.files else args.out.parent).mkdir(parents=True, exist_ok=True)
    with nullcontext() if args.files else args.out.open("w", encoding="utf-8", newline="") as fh:
        for n in range(1, args.cables + 1):
            year = weighted(rng, YEARS)
            consulate = rng.random() < 0.12
            place = rng.choice(CONSULATES if consulate else POSTS)
            serial = serials[(year, place)] = serials.get((year, place), rng.randint(1, 300)) + rng.randint(1, 9)
            rid = f"{year % 100:02d}{place.replace(' ', '')}{serial}"
            month, day, hour, minute = rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)
            cls = weighted(rng, CLASSIFICATIONS)
            origin = f"{'Consulate' if consulate else 'Embassy'} {place.title()}"
            refs = [r for r in (rng.choice(made) for _ in range(rng.choice([0, 0, 1, 1, 2, 3]))) if made] if made else []
            refs = list(dict.fromkeys(r for r in refs if r != rid))
            tags = list(dict.fromkeys(rng.sample(subjects_tags, rng.randint(2, 5)) + [rng.choice(country_tags)]))
            subject = " ".join(rng.choice(paras).split()[:rng.randint(4, 10)]).upper().rstrip(".,;:")
            header = (f"VZCZCXYZ{n % 10000:04d}\nRR RUEHWEB\n\nDE RUEH #{serial:04d}/01 {rng.randint(1, 365):03d}{hour:02d}{minute:02d}\n"
                      f"ZNY CCCCC ZZH\nR {day:02d}{hour:02d}{minute:02d}Z {MONTHS[month - 1]} {year % 100:02d}\n"
                      f"FM {'AMCONSUL' if consulate else 'AMEMBASSY'} {place}\nTO RUEHC/SECSTATE WASHDC {rng.randint(1000, 9999)}")
            lines = [f"{BANNER[cls]} {place} {serial:06d} ", " ", "SIPDIS ", " ",
                     f"E.O. 12958: DECL: {month:02d}/{day:02d}/{year + 10} ", f"TAGS: {' '.join(tags)} ",
                     f"SUBJECT: {subject} ", " "]
            if refs:
                items = [re.match(r"^(\d{2})([A-Z]+)(\d+)$", r).groups() for r in refs]  # type: ignore[union-attr]
                lines += ["REF: " + " ".join(f"{chr(65 + i)}. {yy} {pl} {sn}" for i, (yy, pl, sn) in enumerate(items)) + " ", " "]
            lines += ["Classified By: Political Officer for reasons 1.4 (b) and (d). ", " "]
            for k in range(1, rng.randint(3, 12) + 1):
                body = rng.choice(paras)
                wrapped = textwrap.wrap(f"{k}. ({MARK[cls]}) {body}", 66)
                lines += [w + " " for w in wrapped] + [" "]
                if rng.random() < 0.15:
                    lines += [f"{place} {serial:08d}  002 OF 003 "]
            lines.append(rng.choice(["BURNS", "RICE", "CLINTON", "BEYRLE", "STEWART"]))
            row = (f'"{n}","{month:02d}/{day:02d}/{year} {hour:02d}:{minute:02d}","{rid}","{origin}","{cls}",'
                   f'"{",".join(refs)}","{esc(header)}","{esc(chr(10).join(lines))}"\n')
            if args.files:
                folder = args.out / f"{(n - 1) // 1000:03d}"
                folder.mkdir(exist_ok=True)
                (folder / f"{rid}.csv").write_text(row, encoding="utf-8", newline="")
            else:
                fh.write(row)
            made.append(rid)
            written += 1
    size = sum(f.stat().st_size for f in args.out.rglob("*.csv")) if args.files else args.out.stat().st_size
    print(f"{written} cables written to {args.out} ({size / 1e6:.0f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
