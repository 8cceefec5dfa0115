"""Publishing: netlify.toml and the generated redirects, sitemap, robots, feeds, share cards, exports, init."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS
from generator.build import build
from test_site import make_archive

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("pub")
    content = make_archive(tmp, [*sorted(SEEDS.glob("*.txt")), ROOT / "tests/fixtures/real/07MOSCOW4331.telegram.txt"],
                           "title: Seeds\nbase_url: https://cables.example.org/archive/\n")
    out = tmp / "site"
    build(content, out, jobs=1, quiet=True)
    return out


@pytest.mark.parametrize("toml", ["netlify.toml", "generator/data/init/netlify.toml"])
def test_netlify_toml(toml):
    conf = tomllib.loads((ROOT / toml).read_text())
    assert conf["build"]["publish"] == "site" and "cablesite build" in conf["build"]["command"]
    headers = {h["for"]: h["values"] for h in conf["headers"]}
    csp = headers["/*"]["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "http" not in csp
    assert headers["/*"]["X-Content-Type-Options"] == "nosniff"
    assert headers["/*"]["Referrer-Policy"]
    assert "max-age=300" in headers["/*"]["Cache-Control"]
    assert "immutable" in headers["/static/*"]["Cache-Control"]
    assert {"from": "/*", "to": "/404.html", "status": 404} in conf["redirects"]


def test_redirects_name_existing_pages(published):
    lines = [ln.split() for ln in (published / "_redirects").read_text().splitlines() if not ln.startswith("#")]
    assert ["/cable/06MOSCOW1171", "/cable/2006/02/06MOSCOW1171.html", "301"] in lines
    assert ["/plusd/cables/07MINSK270_a.html", "/cable/2007/03/07MINSK270.html", "301"] in lines
    assert len(lines) == 3 * 6
    for _, target, _ in lines:
        assert (published / target.lstrip("/")).is_file(), target


def test_sitemap_and_robots(published, tmp_path):
    urls = [u.text for u in ET.parse(published / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://cables.example.org/archive/cable/2006/02/06MOSCOW1171.html" in urls
    assert "https://cables.example.org/archive/404.html" not in urls
    assert "Sitemap: https://cables.example.org/archive/sitemap.xml" in (published / "robots.txt").read_text()
    content = make_archive(tmp_path, sorted(SEEDS.glob("*.txt"))[:1])
    build(content, tmp_path / "site", jobs=1, quiet=True)
    assert not (tmp_path / "site/sitemap.xml").exists() and not (tmp_path / "site/robots.txt").exists()


def test_atom_feeds(published):
    feed = ET.parse(published / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 6
    # Latest by release date: the scraped seeds were released 2011-08-30; the telegram carries no release date.
    assert entries[0].find(f"{ATOM}link").get("href").startswith("https://cables.example.org/archive/cable/")
    titles = [e.find(f"{ATOM}title").text.split(":")[0] for e in entries]
    assert titles == ["07MOSCOW4328", "07MOSCOW2205", "06MOSCOW3687", "06MOSCOW1171", "07MOSCOW4331", "07MINSK270"]
    tag = ET.parse(published / "tag/BO.xml").getroot()
    [entry] = tag.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "07MINSK270: DEFMIN SEEKS USG COOPERATION DESPITE THE OBSTACLES"
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["ECON", "EPET", "PGOV", "PREL", "BO"]


def test_share_cards_and_hashtags(published):
    page = (published / "cable/2007/03/07MINSK270.html").read_text()
    assert '<meta property="og:title" content="07MINSK270: DEFMIN SEEKS USG COOPERATION DESPITE THE OBSTACLES">' in page
    assert '<meta property="og:url" content="https://cables.example.org/archive/cable/2007/03/07MINSK270.html">' in page
    assert re.search(r'<meta property="og:description" content="Defense Minister Leonid Maltsev told Ambassador', page)
    assert '<meta name="twitter:card" content="summary">' in page
    assert "<code>#cablegate</code> <code>#07MINSK270</code>" in page


def test_no_inline_script_or_style_anywhere(published):
    for f in published.rglob("*.html"):
        html = f.read_text()
        assert 'http-equiv="Content-Security-Policy"' in html, f
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f
        assert not re.search(r"\son[a-z]+=", html) and " style=" not in html, f


def test_metadata_exports(published):
    rows = [json.loads(x) for x in (published / "data/cables.jsonl").read_text().splitlines()]
    assert [r["reference_id"] for r in rows][:2] == ["06MOSCOW1171", "06MOSCOW3687"]
    assert rows[0]["path"] == "cable/2006/02/06MOSCOW1171.html" and "paragraphs" not in rows[0] and "body" not in rows[0]
    table = list(csv.DictReader(io.StringIO((published / "data/cables.csv").read_text())))
    assert len(table) == 6 and table[-1]["reference_id"] == "07MOSCOW4331"
    # the CSV's columns are the JSON lines' fields, in their order: a field added to one is in the other
    assert list(table[0]) == list(rows[0])
    assert [r["subject"] for r in table] == [r["subject"] or "" for r in rows]
    minsk = next(r for r in table if r["reference_id"] == "07MINSK270")
    assert minsk["tags"] == "ECON EPET PGOV PREL BO" and minsk["references"] == "07MINSK154"


def test_export_command_full_text(tmp_path):
    content = make_archive(tmp_path, sorted(SEEDS.glob("*.txt")))
    r = subprocess.run([sys.executable, "-m", "generator", "export", "--content", str(content), "--format", "jsonl"],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(rows) == 5 and "Defense Minister Leonid Maltsev" in next(x for x in rows if x["reference_id"] == "07MINSK270")["body"]
    out = tmp_path / "all.csv"
    r = subprocess.run([sys.executable, "-m", "generator", "export", "--content", str(content), "--format", "csv", "-o", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0
    table = list(csv.DictReader(out.open()))
    assert len(table) == 5 and "body" in table[0]


def test_an_export_that_stops_halfway_leaves_the_file_it_replaces(tmp_path, monkeypatch):
    # written aside and renamed: a reader of the export never sees half of it, nor loses the last one
    from generator import cli, exports
    content = make_archive(tmp_path, sorted(SEEDS.glob("*.txt")))
    out = tmp_path / "all.jsonl"
    assert cli.main(["export", "--content", str(content), "--format", "jsonl", "-o", str(out), "--jobs", "1"]) == 0
    whole = out.read_text()
    assert len(whole.splitlines()) == 5

    def two_then_ctrl_c(rows):
        for n, line in enumerate(real_jsonl(rows)):
            if n == 2:
                raise KeyboardInterrupt
            yield line
    real_jsonl = exports.jsonl
    monkeypatch.setattr(exports, "jsonl", two_then_ctrl_c)
    assert cli.main(["export", "--content", str(content), "--format", "jsonl", "-o", str(out), "--jobs", "1"]) == 130
    assert out.read_text() == whole
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".all")) == []


def test_init_makes_an_archive_that_builds(tmp_path):
    target = tmp_path / "new"
    r = subprocess.run([sys.executable, "-m", "generator", "init", str(target)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    for rel in ("content/cables/07MINSK270.txt", "content/pages/about.md", "content/site.yaml", "netlify.toml", "package.json"):
        assert (target / rel).is_file(), rel
    report = build(target / "content", target / "site", jobs=1, quiet=True)
    assert report.errors == 0 and (target / "site/cable/2007/03/07MINSK270.html").is_file()
    again = subprocess.run([sys.executable, "-m", "generator", "init", str(target)], cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 2 and "refusing to overwrite" in again.stderr
