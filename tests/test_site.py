"""The built site: golden output of the seeds, links and anchors, escaping, atomic writes."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import GOLDEN, REAL, ROOT, SEEDS
from generator.build import BuildError, build
from generator.timeline import timeline_svg
from generator.write import SiteWriter
from sitecheck import check_links

THIRD_PARTY = re.compile(r"^static/lunr\.min\.[0-9a-f]+\.js$")  # from npm at build time, never kept in the repository


def make_archive(tmp: Path, cables: list[Path], settings: str | None = None, pages: bool = True) -> Path:
    content = tmp / "content"
    (content / "cables").mkdir(parents=True)
    for c in cables:
        shutil.copy(c, content / "cables" / c.name)
    if settings is not None:
        (content / "site.yaml").write_text(settings)
    if pages:
        shutil.copytree(ROOT / "content" / "pages", content / "pages")
    return content


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "site"
    report = build(ROOT / "content", out, jobs=1, quiet=True)
    assert report.errors == 0, [str(m) for m in report.messages if m.level == "error"]
    return out


def test_cable_page_path_and_paragraph_anchors(sample_site):
    page = (sample_site / "cable/2006/02/06MOSCOW1171.html").read_text()
    for n in range(1, 14):
        assert f'id="para-{n}"' in page and f'id="par{n}"' in page
    assert 'href="#para-6"' in page
    assert '<span class="marking" title="Portion marking">U</span>' in page
    assert "A/POL Bruce Donahue. Reasons: 1.4(B/D)." in page
    assert re.search(r'href="\.\./\.\./\.\./origin/embassy-moscow\.html"', page)


def test_every_link_and_anchor_resolves_and_every_cable_is_reachable(sample_site):
    broken, reachable = check_links(sample_site)
    assert broken == []
    cables = {p.relative_to(sample_site).as_posix() for p in sample_site.glob("cable/**/*.html")}
    assert len(cables) == 8
    assert cables <= reachable


def test_duplicates_yield_one_page(sample_site, tmp_path):
    # 07MOSCOW2199 is in the sample as a CSV row and as an HTML page: one page, from the more complete HTML.
    page = (sample_site / "cable/2007/05/07MOSCOW2199.html").read_text()
    assert "2010-12-01 12:00" in page  # the release date only the HTML page carries


def test_tag_meanings_as_the_pure_python_loader_reads_them():
    # the glossary is read with libyaml's loader where PyYAML has it: the same data as yaml.safe_load
    import yaml

    from generator import glossary
    pure = yaml.safe_load(glossary.glossary_bytes().decode("utf-8"))
    meanings = glossary.tag_meanings()
    assert meanings["PREL"] == ("External Political Relations", "subject") and meanings["BO"] == ("Belarus", "country")
    assert meanings == {str(t): (str(m), kind) for kind in ("subject", "country") for t, m in pure[kind].items()}


@pytest.mark.parametrize("when", ["2007-03-29 12:43", "1966-12-28 18:48", "0999-01-02 00:00"])
def test_listing_dates_as_strftime_writes_them(when):
    from datetime import datetime

    from generator.render import _day
    d = datetime.strptime(when, "%Y-%m-%d %H:%M")
    assert _day(d) == d.strftime("%Y-%m-%d")


def test_a_timeline_charts_dated_cables_only():
    # a listing's chart counts its cables by month; undated ones count under None and are left out
    svg = timeline_svg(Counter({(2006, 2): 3, (2006, 4): 1, None: 2}), "Tag BO: cables per month")
    assert svg == timeline_svg({(2006, 2): 3, (2006, 4): 1}, "Tag BO: cables per month")
    assert svg.count("<rect") == 2 and "2006-02: 3 cables</title>" in svg and "2006-04: 1 cable</title>" in svg
    assert timeline_svg(Counter({None: 4}), "undated only") == ""


def test_listings_and_home(sample_site):
    tag = (sample_site / "tag/PREL.html").read_text()
    assert "External Political Relations" in tag
    assert "07MINSK270" in tag and "07MOSCOW2199" in tag
    assert "<svg" in tag and "cables per month" in tag
    home = (sample_site / "index.html").read_text()
    assert "8 cables" in home
    assert (sample_site / "origin/embassy-minsk.html").is_file()
    assert (sample_site / "date/2007-09.html").is_file()
    assert (sample_site / "classification/unclassified-for-official-use-only.html").is_file()


def test_page_weight_is_text_plus_15_kb(sample_site):
    for page in sample_site.glob("cable/**/*.html"):
        html = page.read_text()
        text = re.sub(r"<[^>]+>", "", html)
        markup = len(html.encode()) - len(text.encode())
        assert markup <= 15 * 1024, (page.name, markup)


def test_golden_site_of_the_seeds(tmp_path, regen):
    content = make_archive(tmp_path, sorted(SEEDS.glob("*.txt")), "title: Seed archive\n")
    out = tmp_path / "site"
    build(content, out, jobs=1, quiet=True)
    golden = GOLDEN / "site"
    got = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    got = {k: v for k, v in got.items() if not THIRD_PARTY.match(k)}
    if regen:
        shutil.rmtree(golden, ignore_errors=True)
        for name, data in got.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_bytes(data)
    want = {p.relative_to(golden).as_posix(): p.read_bytes() for p in golden.rglob("*") if p.is_file()}
    assert sorted(got) == sorted(want), "file lists differ; `make golden` regenerates after an intended change"
    for name in want:
        assert got[name] == want[name], f"{name} differs from tests/golden/site; `make golden` after an intended change"


def test_markup_in_a_cable_is_shown_as_text(tmp_path):
    text = (REAL / "07MOSCOW4331.telegram.txt").read_text()
    text = text.replace("SUBPRIME MORTGAGE CRISIS", "<script>alert(1)</script> CRISIS", 1)
    text = text.replace("Natalya Orlova.", 'Natalya Orlova <img src=x onerror="alert(2)">.', 1)
    src = tmp_path / "hostile.txt"
    src.write_text(text)
    content = make_archive(tmp_path, [src])
    out = tmp_path / "site"
    build(content, out, jobs=1, quiet=True)
    page = (out / "cable/2007/09/07MOSCOW4331.html").read_text()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for f in out.rglob("*.html"):
        data = f.read_text()
        assert "<script>alert" not in data and "<img src=x onerror" not in data, f
    for f in (out / "search").rglob("*.js"):
        # Search data is JSON inside script files: the text is a string literal and can never close a tag.
        assert "</script" not in f.read_text(), f


def test_failed_build_leaves_previous_site(tmp_path):
    content = make_archive(tmp_path, [SEEDS / sorted(p.name for p in SEEDS.iterdir())[0]])
    out = tmp_path / "site"
    build(content, out, jobs=1, quiet=True)
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    (content / "site.yaml").write_text("theme: no-such-theme\npage_size: 3\nbogus: 1\n")
    with pytest.raises(BuildError) as err:
        build(content, out, jobs=1, quiet=True)
    msg = str(err.value)
    assert "page_size: must be between 10 and 1000" in msg and "unknown setting 'bogus'" in msg
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert not list(tmp_path.glob(".site.building-*"))


def test_a_killed_build_leaves_nothing_behind_for_long(tmp_path):
    # a build killed outright (SIGKILL: no cleanup runs) leaves its staging folder, half-swapped old site and
    # text store; the next build removes them, and leaves alone those of a build still running
    content = make_archive(tmp_path, sorted(SEEDS.glob("*.txt"))[:1])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    alive = str(os.getppid())
    cache = tmp_path / ".cablesite-cache"
    cache.mkdir()
    left = [tmp_path / f".site.building-{dead}" / "index.html", tmp_path / f".site.old-{dead}" / "index.html"]
    running = [tmp_path / f".site.building-{alive}" / "index.html"]
    for f in left + running:
        f.parent.mkdir()
        f.write_text("half a page")
    (cache / f"texts-{dead}.bin").write_bytes(b"x" * 1000)
    (cache / f"texts-{alive}.bin").write_bytes(b"x")
    build(content, tmp_path / "site", jobs=1, quiet=True)
    assert not any(f.parent.exists() for f in left) and not (cache / f"texts-{dead}.bin").exists()
    assert all(f.exists() for f in running) and (cache / f"texts-{alive}.bin").exists()
    assert (tmp_path / "site" / "index.html").is_file()


def test_the_spare_site_is_reused_as_staging_and_the_live_site_is_never_written(tmp_path):
    # the site a build replaces becomes the next build's staging folder; its unchanged files are the live site's
    # own files (hard links), so a change must make a new file, never write into the shared one
    out = tmp_path / "site"

    def files(root: Path) -> dict[str, str]:
        return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}

    versions = [
        {"a.html": "one", "k.html": "same", "d/b.html": "two", "d/e/c.html": "three", "x/y.html": "in a folder"},
        {"a.html": "one", "k.html": "same", "d/b.html": "TWO", "n.html": "new", "x/y.html": "in a folder"},
        {"a.html": "one", "k.html": "diff", "d/b.html": "TWO", "x": "a file where a folder was", "d/e": "and here"},
        {"a.html": "one", "k.html": "diff", "d/e/c.html": "three again", "x/y.html": "a folder again"},
    ]
    live_before = None
    for version in versions:
        writer = SiteWriter(out)
        for path, text in version.items():
            writer.write(path, text)
        writer.commit()
        assert files(out) == version
        spare = tmp_path / ".site.spare"
        if live_before is not None:
            assert files(spare) == live_before  # what was live while this build ran was not touched
            assert (out / "a.html").stat().st_ino == (spare / "a.html").stat().st_ino  # unchanged: one file
        live_before = files(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "site"]


def test_a_kept_file_is_the_previous_sites_own_and_a_symlink_is_never_kept(tmp_path):
    # the writer lists the live site and the spare once, with inodes: a kept file must still be the live
    # site's file when the spare holds an older one at its path, and a symlink planted in the live site is
    # neither kept nor followed
    out, outside = tmp_path / "site", tmp_path / "outside.txt"
    outside.write_text("not the site's")

    def files(root: Path) -> dict[str, str]:
        return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}

    writer = SiteWriter(out)
    writer.write("a.html", "one")
    writer.write("d/b.html", "two")
    writer.commit()
    writer = SiteWriter(out)
    assert writer.keep("a.html") and not writer.keep("new.html")
    writer.write("d/b.html", "TWO")
    writer.commit()
    writer = SiteWriter(out)  # staging is the first site: its a.html is the live one, its d/b.html is older
    assert writer.keep("a.html") and writer.keep("d/b.html")
    writer.commit()
    assert files(out) == {"a.html": "one", "d/b.html": "TWO"}
    spare = tmp_path / ".site.spare"
    assert all((out / p).stat().st_ino == (spare / p).stat().st_ino for p in ("a.html", "d/b.html"))
    (out / "c.html").symlink_to(outside)
    writer = SiteWriter(out)
    assert not writer.has_previous("c.html") and not writer.keep("c.html")
    writer.write("c.html", "three")
    writer.commit()
    assert not (out / "c.html").is_symlink() and files(out)["c.html"] == "three"
    assert outside.read_text() == "not the site's"


def test_rebuild_with_nothing_changed_rewrites_nothing(tmp_path):
    content = make_archive(tmp_path, sorted(SEEDS.glob("*.txt")))
    out = tmp_path / "site"
    build(content, out, jobs=1, quiet=True)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    report = build(content, out, jobs=1, quiet=True)
    assert report.pages_written == 0
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == mtimes
