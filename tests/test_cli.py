"""The cablesite command as a user runs it: parse, check, build, help."""
from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time

from conftest import REAL, ROOT, seed, synthetic_csv
from generator.cli import make_parser


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_parse_json_prints_one_object_per_cable():
    r = run("parse", "--json", str(seed(2)), str(REAL / "cables-sample.csv"))
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x["reference_id"] for x in rows] == ["07MINSK270", "07MOSCOW2199", "07MOSCOW4285"]
    first = rows[0]
    assert first["source"] == str(seed(2))
    assert first["created"] == "2007-03-29T12:43" and first["declassify_on"] == "2017-03-29"
    assert first["paragraphs"][1] == {"anchor": "para-1", "number": 1, "classification": "C", "kind": "paragraph",
                                      "label": "1", "line": 35, "text": first["paragraphs"][1]["text"]}
    assert {"reference_id", "created", "released", "classification", "origin", "subject", "tags", "references",
            "classified_by", "declassify_on", "summary", "signed_by", "paragraphs", "warnings"} <= set(first)


def test_parse_reports_bad_files_on_stderr(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("nothing to see\n")
    r = run("parse", "--json", str(bad), str(seed(0)))
    assert r.returncode == 1
    assert f"{bad}:1: error: not a cable" in r.stderr
    assert json.loads(r.stdout)["reference_id"] == "06MOSCOW1171"


def test_check_lists_warnings_with_file_and_line(tmp_path):
    content = tmp_path / "content"
    (content / "cables").mkdir(parents=True)
    (content / "cables" / "minsk.txt").write_text(seed(2).read_text())
    r = run("check", "--content", str(content))
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"{content}/cables/minsk.txt:35: warning: paragraph number 11 read as 1" in r.stdout
    (content / "cables" / "junk.bin").write_bytes(b"\x00\x01" * 500)
    r = run("check", "--content", str(content))
    assert r.returncode == 1
    assert "junk.bin: error: binary data" in r.stdout


def test_build_command(tmp_path):
    content = tmp_path / "content"
    (content / "cables").mkdir(parents=True)
    (content / "cables" / "moscow.txt").write_text(seed(0).read_text())
    r = run("build", "--content", str(content), "--output", str(tmp_path / "out"), "--jobs", "2")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "cable/2006/02/06MOSCOW1171.html").is_file()
    assert "1 cables from 1 files" in r.stderr
    assert "stages" not in r.stderr
    r = run("build", "-v", "--content", str(content), "--output", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    stages = [line.split()[0] for line in r.stderr.split("stages (time; processor time here and in workers; peak memory of this process so far):")[1].splitlines() if line.strip()]
    assert stages == ["read", "assemble", "search", "pages:", "feeds,", "search", "assets", "save"]
    assert "pages: keys, 0 rendered" in r.stderr  # the second build of unchanged content renders nothing
    lines = r.stderr.split("peak memory of this process so far):")[1].strip().splitlines()
    assert all(re.search(r" \d+\.\d\d s +cpu +\d+\.\d\d s here +\d+\.\d\d s workers +peak +\d+\.\d\d GB$", ln) for ln in lines), lines


def test_an_interrupted_build_says_so_and_leaves_the_site_and_no_process(tmp_path):
    # Ctrl-C reaches the build and its workers alike (one process group): one line, not a traceback, and the
    # site as it was; here the build is stopped half a second into 1,500 synthetic cables (about 4 s of work)
    content = tmp_path / "content"
    (content / "cables").mkdir(parents=True)
    (content / "cables" / "moscow.txt").write_text(seed(0).read_text())
    out = tmp_path / "site"
    assert run("build", "--content", str(content), "--output", str(out), "--jobs", "2").returncode == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    synthetic_csv(content / "cables" / "cables.csv", 1500)
    # (Ctrl-C's default restored: a shell that starts a job in the background, as CI may, has it ignored, and
    # Python then never turns it into KeyboardInterrupt)
    p = subprocess.Popen([sys.executable, "-m", "generator", "build", "--content", str(content), "--output", str(out),
                          "--jobs", "2"], cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert p.stderr is not None
    assert "reading" in p.stderr.readline()
    time.sleep(0.5)
    os.killpg(p.pid, signal.SIGINT)
    err = p.stderr.read()
    assert p.wait(timeout=60) == 130, err
    assert f"cablesite: interrupted; {out} is as it was before this build" in err and "Traceback" not in err, err
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(x.name for x in tmp_path.iterdir()) == [".cablesite-cache", "content", "site"]  # no staging folder
    assert [f for f in (tmp_path / ".cablesite-cache").rglob("*") if f.name.startswith("texts-") or f.suffix == ".tmp"] == []
    time.sleep(0.5)
    assert subprocess.run(["pgrep", "-g", str(p.pid)], capture_output=True).returncode == 1  # no process of its group


def test_stages_count_processor_time_here_and_in_workers():
    # the --verbose columns: time spent computing in this process, and in worker processes that have ended
    from generator.progress import Stages
    stages = Stages()
    started = time.process_time()
    while time.process_time() - started < 0.3:
        pass
    stages.mark("here")
    with multiprocessing.get_context("fork").Pool(1) as pool:
        pool.map(_busy, [0.3])
    stages.mark("workers")
    (_, _, here1, workers1, _), (_, _, here2, workers2, _) = stages.done
    assert here1 >= 0.25 and workers1 < 0.05
    assert workers2 >= 0.25 and here2 < 0.2


def _busy(seconds: float) -> None:
    started = time.process_time()
    while time.process_time() - started < seconds:
        pass


def test_every_command_is_documented():
    readme = (ROOT / "README.md").read_text()
    parser = make_parser()
    sub = next(a for a in parser._actions if a.choices and isinstance(a.choices, dict))
    for name, p in sub.choices.items():
        assert f"cablesite {name}" in readme, f"README does not document `cablesite {name}`"
        assert p.description, name
        for action in p._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, f"README does not document {name} {opt}"


def test_every_setting_is_documented():
    from generator.settings import OPTIONS
    doc = (ROOT / "docs" / "settings.md").read_text()
    for opt in OPTIONS:
        assert f"`{opt.name}`" in doc and opt.doc in doc
