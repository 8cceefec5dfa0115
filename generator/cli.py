"""The `cablesite` command: its subcommands and flags. The work is done by the library modules."""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

from generator import __version__


def _add_content(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                   help="the archive folder: cables/ (any depth), pages/*.md and site.yaml (default: content)")


def _add_output(p: argparse.ArgumentParser) -> None:
    p.add_argument("--output", type=Path, default=Path("site"), metavar="DIR",
                   help="where the built site goes; replaced whole only when a build succeeds (default: site)")


def _add_feedback(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    g.add_argument("-v", "--verbose", action="store_true", help="print every warning, not just the counts, and the time and peak memory of each stage")


def make_parser() -> argparse.ArgumentParser:
    """The argument parser for every cablesite command (the docs test reads it too)."""
    parser = argparse.ArgumentParser(
        prog="cablesite",
        description="Turn a folder of diplomatic cables into a static, searchable archive site.",
    )
    parser.add_argument("--version", action="version", version=f"cablesite {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("build", help="build the site from the content folder",
                       description="Parse every cable under CONTENT/cables, assemble the archive and write the site. "
                                   "Exits 1 when a file could not be read as a cable (the site is still built from the rest), "
                                   "2 when the build itself failed (the previous site is left as it was).")
    _add_content(p)
    _add_output(p)
    _add_feedback(p)
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                   help="worker processes for parsing and rendering (default: one per core)")

    p = sub.add_parser("check", help="parse everything and report each warning with file and line",
                       description="Parse every cable and page without writing anything. Prints each warning and "
                                   "error with its file and line; exits 1 if there was any error.")
    _add_content(p)
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N", help="worker processes (default: one per core)")

    p = sub.add_parser("parse", help="print cables as JSON, one object per line",
                       description="Parse the given files (any format) and print one JSON object per cable per line, "
                                   "as documented in docs/json.md. Problems go to standard error.")
    p.add_argument("--json", action="store_true", required=True, help="print JSON lines (the only output form)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="cable files or folders")

    p = sub.add_parser("serve", help="build, serve with live reload, rebuild on every edit",
                       description="Build the site, serve it on 127.0.0.1 and reload open pages when a cable, page, "
                                   "setting or theme file changes. Rebuilds are atomic: the server never shows a half-built site.")
    _add_content(p)
    _add_output(p)
    p.add_argument("--port", type=int, default=8000, metavar="N", help="the port to serve on (default: 8000)")
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="worker processes for parsing (default: 1)")

    p = sub.add_parser("export", help="write every cable with its full text as JSON lines or CSV",
                       description="Parse the archive and write every cable (metadata and full text, one cable per "
                                   "line or row, oldest first) to standard output or a file. The built site also "
                                   "publishes the metadata alone as data/cables.jsonl and data/cables.csv.")
    _add_content(p)
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="jsonl (default) or csv")
    p.add_argument("-o", "--out", type=Path, metavar="FILE", help="write here instead of standard output")
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N", help="worker processes (default: one per core)")

    p = sub.add_parser("init", help="create a new archive folder ready to build",
                       description="Create DIR with content/cables (one sample cable), content/pages/about.md, "
                                   "content/site.yaml, netlify.toml, package.json and requirements.txt. "
                                   "Nothing that exists is overwritten.")
    p.add_argument("dir", type=Path, metavar="DIR", help="the folder to create (or fill)")

    return parser


def _jobs(n: int) -> int:
    return n if n > 0 else (os.cpu_count() or 1)


def cmd_parse(args: argparse.Namespace) -> int:
    """Print each cable of the given paths as one JSON line."""
    from generator.cable.serialize import cable_json
    from generator.ingest import parse_files
    from generator.sources import discover

    files: list[tuple[Path, str]] = []
    missing = 0
    for given in args.paths:
        if given.is_dir():
            files += [(p, str(p)) for p in discover(given)]
        elif given.is_file():
            files.append((given, str(given)))
        else:
            print(f"{given}: error: no such file or folder", file=sys.stderr)
            missing += 1
    errors = missing
    out = sys.stdout
    for result in parse_files(files, audit=False):
        for cable in result.cables:
            out.write(json.dumps(cable_json(cable), ensure_ascii=False) + "\n")
        for m in result.messages:
            print(m, file=sys.stderr)
            errors += m.level == "error"
    return 1 if errors else 0


def cmd_check(args: argparse.Namespace) -> int:
    """Parse everything, print every warning and error, and exit 1 on any error."""
    from generator.build import check

    report = check(args.content, jobs=_jobs(args.jobs))
    for m in report.messages:
        print(m)
    kinds = Counter(m.kind for m in report.messages)
    summary = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "none"
    print(f"{report.files} files, {report.cables} cables; warnings and errors by kind: {summary}")
    return 1 if report.errors else 0


def cmd_build(args: argparse.Namespace) -> int:
    """Build the site."""
    from generator.build import BuildError, build

    try:
        report = build(args.content, args.output, jobs=_jobs(args.jobs), quiet=args.quiet, verbose=args.verbose)
    except BuildError as exc:
        print(f"cablesite: build failed: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # the build's workers stop too; the writer threw the half-made site away
        print(f"\ncablesite: interrupted; {args.output} is as it was before this build", file=sys.stderr)
        return 130
    return 1 if report.errors else 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve with live reload until interrupted."""
    from generator.serve import serve

    try:
        serve(args.content, args.output, args.port, jobs=_jobs(args.jobs))
    except KeyboardInterrupt:
        return 0
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export the archive's cables with their full text."""
    from generator.build import CACHE_DIR, load_archive
    from generator.exports import FULL_FIELDS, csv_lines, full_text_rows, jsonl
    from generator.textstore import TextStore

    cache_dir = args.content.resolve().parent / CACHE_DIR
    with TextStore(cache_dir) as store:
        archive, messages = load_archive(args.content, _jobs(args.jobs), cache_dir, store)
        for m in messages:
            if m.level == "error":
                print(m, file=sys.stderr)
        rows = full_text_rows(archive)
        lines = jsonl(rows) if args.format == "jsonl" else csv_lines(rows, FULL_FIELDS)
        if not args.out:
            sys.stdout.writelines(lines)
        else:  # written aside and renamed: a failed or interrupted export leaves the file it replaces as it was
            tmp = args.out.with_name(f".{args.out.name}.{os.getpid()}.tmp")
            try:
                with tmp.open("w", encoding="utf-8", newline="") as out:
                    out.writelines(lines)
                os.replace(tmp, args.out)
            finally:
                tmp.unlink(missing_ok=True)
    return 1 if any(m.level == "error" for m in messages) else 0


def cmd_init(args: argparse.Namespace) -> int:
    """Create a new archive folder."""
    from generator.init import InitError, init

    try:
        made = init(args.dir)
    except InitError as exc:
        print(f"cablesite: {exc}", file=sys.stderr)
        return 2
    for p in made:
        print(f"created {p}")
    print(f"next: cd {args.dir} && npm install && cablesite build")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the cablesite command line."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    handler = {"parse": cmd_parse, "check": cmd_check, "build": cmd_build, "serve": cmd_serve,
               "export": cmd_export, "init": cmd_init}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:  # (build and serve say more of it themselves)
        print("\ncablesite: interrupted", file=sys.stderr)
        return 130
