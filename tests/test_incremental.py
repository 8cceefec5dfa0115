"""Parallel and incremental builds: byte-identical output whatever the workers; an edit shows everywhere it
should; a deletion removes the cable's page and its mentions; nothing else is rewritten."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, synthetic_csv
from test_archive import citing_pair

from generator import build as build_module
from generator import urls
from generator import forkpool, ingest, render, search
from generator.build import build
from generator.cache import PageKeys
from generator.search import index, parts


def sample_project(tmp: Path, name: str) -> Path:
    project = tmp / name
    shutil.copytree(ROOT / "content", project / "content")
    return project / "content"


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_output_is_identical_whatever_the_number_of_workers(tmp_path, monkeypatch):
    # make the small sample use every worker pool: pages, records, search shards (of 2 documents), term encoding
    monkeypatch.setattr(render, "PARALLEL_MIN", 0)
    monkeypatch.setattr(render, "WINDOW", 3)  # pages handed over three at a time
    monkeypatch.setattr(index, "PARALLEL_MIN_DOCS", 0)
    monkeypatch.setattr(parts, "PARALLEL_MIN_TERMS", 0)
    monkeypatch.setattr(build_module, "RECORDS_PARALLEL_MIN", 0)  # search records made in workers too
    monkeypatch.setattr(forkpool, "RENEW_ITEMS", 1)  # each worker replaced by a fresh fork after every task
    real_build_index = index.build_index
    monkeypatch.setattr(search, "build_index", lambda *a, **k: real_build_index(*a, **{**k, "shard": 2}))
    one = sample_project(tmp_path, "one")
    two = sample_project(tmp_path, "two")
    build(one, tmp_path / "one" / "site", jobs=1, quiet=True)
    build(two, tmp_path / "two" / "site", jobs=2, quiet=True)
    a, b = tree(tmp_path / "one" / "site"), tree(tmp_path / "two" / "site")
    assert a.keys() == b.keys() and len(a) > 50
    assert [k for k in a if a[k] != b[k]] == []
    # and from run to run: a clean rebuild gives the same bytes
    shutil.rmtree(tmp_path / "one" / ".cablesite-cache")
    build(one, tmp_path / "one" / "site2", jobs=1, quiet=True)
    assert tree(tmp_path / "one" / "site2") == a
    # records handed out two at a time, as in a large archive, with the feeds made before them, not beside
    monkeypatch.setattr(build_module, "RECORDS_WINDOW", 2)
    three = sample_project(tmp_path, "three")
    build(three, tmp_path / "three" / "site", jobs=2, quiet=True)
    assert tree(tmp_path / "three" / "site") == a


def test_pages_rendered_again_in_workers_keep_their_files_and_never_write_the_live_site(tmp_path, monkeypatch):
    # workers write the pages they render: a page made again with the same bytes must stay the previous site's
    # file (same inode, same mtime), also when the spare is the staging folder and already holds that file;
    # a changed page is a new file, and the site it replaces (now the spare) keeps its old text
    monkeypatch.setattr(render, "PARALLEL_MIN", 0)
    monkeypatch.setattr(build_module, "RECORDS_PARALLEL_MIN", 0)
    content = sample_project(tmp_path, "p")
    out = tmp_path / "p" / "site"
    build(content, out, jobs=2, quiet=True)

    def stamps() -> dict[str, tuple[int, int]]:
        return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}

    first, page = stamps(), "cable/2007/09/07MOSCOW4331.html"
    for _ in range(2):  # the second time, the spare (the first site, the same files) is the staging folder
        shutil.rmtree(content.parent / ".cablesite-cache" / "pages")  # no page keys: every page is rendered again
        report = build(content, out, jobs=2, quiet=True)
        assert report.pages_written == 0 and report.pages_kept == len(first)
        assert stamps() == first
    old_text = (out / page).read_text()
    src = content / "cables" / "07MOSCOW4331.txt"
    src.write_text(src.read_text().replace("Eurobond issuances", "Eurobond issues"))
    shutil.rmtree(content.parent / ".cablesite-cache" / "pages")
    report = build(content, out, jobs=2, quiet=True)
    assert "Eurobond issues" in (out / page).read_text() and "Eurobond issues" not in old_text
    assert 0 < report.pages_written < 20
    assert (tmp_path / "p" / ".site.spare" / page).read_text() == old_text
    assert stamps()[page][0] != first[page][0]
    assert stamps()["tag/ECON.html"] == first["tag/ECON.html"]


def test_a_file_that_changed_again_is_written_over_in_the_spare_and_the_live_site_never(tmp_path, monkeypatch):
    # the spare (the site before last) becomes the staging folder; its own copy of a file that changed in the
    # last build (no other folder links to it) is written over in place, while a file it shares with the live
    # site is made anew: the site the build replaces keeps every byte it had
    from generator import write
    content = sample_project(tmp_path, "p")
    out = tmp_path / "p" / "site"
    build(content, out, jobs=1, quiet=True)
    first = tree(out)
    edit(content, *EDITS[1])
    build(content, out, jobs=1, quiet=True)
    live = tree(out)
    edit(content, *EDITS[0])
    unlinked: list[str] = []
    real_unlink = write._unlink
    monkeypatch.setattr(write, "_unlink", lambda path: unlinked.append(path) or real_unlink(path))
    build(content, out, jobs=1, quiet=True)
    assert tree(tmp_path / "p" / ".site.spare") == live  # the site the third build replaced, untouched
    third = tree(out)
    twice = [p for p in third if first.get(p, b"") != live.get(p) != third[p]]  # changed in both builds
    assert any(p.startswith("search/part/") for p in twice), twice
    assert [p for p in unlinked if "/search/part/" in p] == []  # written over, not made anew
    assert [p for p in unlinked if "/search/" not in p]  # files shared with the live site: made anew


def test_an_unchanged_big_file_comes_whole_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "STREAM_BYTES", 1)  # every file is read row by row and cached by batch
    monkeypatch.setattr(ingest, "BATCH", 1)
    content = sample_project(tmp_path, "p")
    build(content, tmp_path / "p" / "site", jobs=2, quiet=True)
    first = tree(tmp_path / "p" / "site")

    def no_reading(*a, **k):
        raise AssertionError("an unchanged file was read row by row")
    monkeypatch.setattr(ingest, "read_file", no_reading)
    report = build(content, tmp_path / "p" / "site", jobs=2, quiet=True)
    assert tree(tmp_path / "p" / "site") == first and report.pages_written == 0
    assert report.cables == 8 and report.errors == 0
    # a lost batch is an error naming the file, never a silently missing cable
    batches = [f for f in (tmp_path / "p" / ".cablesite-cache" / "parse").rglob("b*") if f.is_file()]
    monkeypatch.setattr(ingest.ParseCache, "has", lambda self, key: True)
    batches[0].unlink()
    report = build(content, tmp_path / "p" / "site2", jobs=2, quiet=True)
    assert any(m.kind == "cache-damaged" for m in report.messages)


@pytest.fixture
def pair_archive(tmp_path):
    content = tmp_path / "content"
    (content / "cables").mkdir(parents=True)
    citing, cited = citing_pair(tmp_path)
    for f in (citing, cited, *sorted(SEEDS.glob("*.txt"))):
        shutil.copy(f, content / "cables" / f.name)
    out = tmp_path / "site"
    build(content, out, jobs=1, quiet=True)
    return content, out


def test_an_edit_shows_everywhere_and_rewrites_only_what_shows_it(pair_archive, monkeypatch):
    content, out = pair_archive
    before = {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    src = content / "cables" / "07MOSCOW2199.html"
    src.write_text(src.read_text().replace("OBJECTIVES DELIVERED", "OBJECTIVES DELIVERED AGAIN"))
    records_made = []
    real_shown = search.shown
    monkeypatch.setattr(search, "shown", lambda archive, doc, *cable: records_made.append(doc.ref_id) or real_shown(archive, doc, *cable))
    report = build(content, out, jobs=1, quiet=True)
    assert records_made == ["07MOSCOW2199"]  # the other cables' search records are kept by their keys, not made again
    new = "RUSSIA: USG WORLD HEALTH ASSEMBLY OBJECTIVES DELIVERED AGAIN"
    for page in ["cable/2007/05/07MOSCOW2199.html", "cable/2007/09/07MOSCOW4331.html",  # cited-by of the cited cable
                 "tag/PREL.html", "origin/embassy-moscow.html", "date/2007-05.html", "index.html",
                 "classification/unclassified-for-official-use-only.html", "feed.xml", "data/cables.jsonl"]:
        assert new in (out / page).read_text(), page
    assert new in "".join(p.read_text() for p in (out / "search" / "doc").rglob("*.js"))
    after = {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    changed = {k for k in after if before.get(k) != after[k]}
    assert "cable/2006/02/06MOSCOW1171.html" not in changed and "tag/BO.html" not in changed
    assert report.pages_kept > report.pages_written


def test_a_longer_body_rerenders_its_own_page_only(pair_archive, monkeypatch):
    # bodies wait on disk during a build, each at an offset that moves when a body stored before it grows:
    # where a body waits must not count in the keys of pages and search records, only what it says
    content, out = pair_archive
    edit(content, "000_c1d0512e85371ab3.txt", "Gazprom", "Gazprom, Gazprom")
    rendered, records = [], []
    real_html, real_shown = render.Renderer.html, search.shown
    monkeypatch.setattr(render.Renderer, "html", lambda self, job: rendered.append(job.path) or real_html(self, job))
    monkeypatch.setattr(search, "shown", lambda archive, doc, *cable: records.append(doc.ref_id) or real_shown(archive, doc, *cable))
    build(content, out, jobs=1, quiet=True)
    assert [p for p in rendered if p.startswith("cable/")] == ["cable/2006/02/06MOSCOW1171.html"]
    assert records == ["06MOSCOW1171"]
    assert "Gazprom, Gazprom" in (out / "cable/2006/02/06MOSCOW1171.html").read_text()


def test_an_edit_to_a_text_keys_only_cable_pages_and_gives_the_site_made_whole(pair_archive, monkeypatch, tmp_path):
    content, out = pair_archive
    listings: list[str] = []
    real_listing = render.Renderer.listing
    monkeypatch.setattr(render.Renderer, "listing", lambda self, ids, path_of, title, *a, **k:
                        listings.append(title) or real_listing(self, ids, path_of, title, *a, **k))
    keyed: list[str] = []
    real_key = render.Renderer.key
    monkeypatch.setattr(render.Renderer, "key", lambda self, job: keyed.append(job.path) or real_key(self, job))
    edit(content, "000_c1d0512e85371ab3.txt", "Gazprom", "Gazprom, Gazprom")
    edit(content, "000_c1d0512e85371ab3.txt", "official stance", "official (edited) stance")  # its summary
    build(content, out, jobs=1, quiet=True)
    assert listings == []  # no listing, index or home page was even made: what they show did not change
    assert keyed == ["cable/2006/02/06MOSCOW1171.html"]  # nor any other cable's page
    assert "official (edited) stance" in (out / "feed.xml").read_text()
    fresh = tmp_path / "fresh"
    shutil.copytree(content, fresh / "content")
    build(fresh / "content", fresh / "site", jobs=1, quiet=True)
    assert tree(out) == tree(fresh / "site")
    # the start of a text is in the feeds (as a summary where the cable has none): an edit there reaches them
    edit(content, "07MOSCOW2199.html", "We shared Ref A World Health Assembly", "We shared Ref A World Health Assembly (edited)")
    listings.clear()  # (the build made whole made them all)
    build(content, out, jobs=1, quiet=True)
    assert "World Health Assembly (edited)" in (out / "feed.xml").read_text()
    assert listings == []
    # an edit to what listings show (a subject) makes and keys every page again
    edit(content, "07MOSCOW4331.telegram.txt", "SUBPRIME MORTGAGE CRISIS", "SUBPRIME LENDING CRISIS")
    build(content, out, jobs=1, quiet=True)
    assert listings
    assert "SUBPRIME LENDING CRISIS" in (out / "origin" / "embassy-moscow.html").read_text()


def test_a_text_edit_makes_again_only_the_feeds_that_carry_the_cable(pair_archive, monkeypatch):
    content, out = pair_archive
    made: list[str] = []
    real_atom, real_site_data = build_module.atom, build_module.site_data
    monkeypatch.setattr(build_module, "atom", lambda archive, settings, feed: made.append(feed.path) or real_atom(archive, settings, feed))
    monkeypatch.setattr(build_module, "site_data", lambda archive: made.append("data") or real_site_data(archive))
    edit(content, "07MOSCOW2199.html", "We shared Ref A World Health Assembly", "We shared Ref A World Health Assembly (edited)")
    build(content, out, jobs=1, quiet=True)
    archive, _ = build_module.load_archive(content)
    tags = archive.cables["07MOSCOW2199"].tags
    assert len(archive.by_tag) > len(tags) >= 3
    # the archive's feed and the feeds of the cable's own tags, each once; not the exports (no metadata changed)
    assert sorted(made) == sorted([urls.FEED, *(urls.tag_feed(t) for t in tags)])
    made.clear()
    edit(content, "07MOSCOW4331.telegram.txt", "SUBPRIME MORTGAGE CRISIS", "SUBPRIME LENDING CRISIS")  # a subject
    build(content, out, jobs=1, quiet=True)
    assert "data" in made and "SUBPRIME LENDING CRISIS" in (out / "data" / "cables.csv").read_text()


def test_a_deletion_removes_the_page_and_its_mentions(pair_archive):
    content, out = pair_archive
    (content / "cables" / "07MOSCOW2199.html").unlink()
    build(content, out, jobs=1, quiet=True)
    assert not (out / "cable/2007/05/07MOSCOW2199.html").exists()
    assert "No cable in this archive cites this one." in (out / "cable/2007/09/07MOSCOW4331.html").read_text()
    for f in out.rglob("*"):
        if f.is_file() and f.suffix in (".html", ".xml", ".jsonl", ".csv") or f.name == "_redirects":
            assert "07MOSCOW2199" not in f.read_text(), f


def test_a_template_change_rerenders_what_uses_it(pair_archive, tmp_path):
    content, out = pair_archive
    theme = tmp_path / "themes" / "mine" / "templates"
    theme.mkdir(parents=True)
    (theme / "year.html").write_text("{% extends 'base.html' %}{% block main %}<h1>Year {{ year }} (custom)</h1>{% endblock %}")
    (content / "site.yaml").write_text("theme: mine\n")
    build(content, out, jobs=1, quiet=True)
    assert "Year 2007 (custom)" in (out / "date/2007.html").read_text()
    (theme / "year.html").write_text("{% extends 'base.html' %}{% block main %}<h1>Year {{ year }} (changed)</h1>{% endblock %}")
    data = {f: (out / f).stat().st_mtime_ns for f in ("data/cables.jsonl", "data/cables.csv", "feed.xml")}
    build(content, out, jobs=1, quiet=True)
    assert "Year 2007 (changed)" in (out / "date/2007.html").read_text()
    # the theme's change makes the exports again (streamed to disk), but their bytes did not change: kept as they were
    assert {f: (out / f).stat().st_mtime_ns for f in data} == data


EDITS = [  # (file, old, new): a word more (length and tf), a new word (terms renumbered), a case change (no token
    # changes), a shorter subject, the new word taken out again
    ("seeds/001_20ec702c79fc5b8b.txt", "Lukashenko", "Lukashenko Lukashenko"),
    ("seeds/000_c1d0512e85371ab3.txt", "Gazprom", "Gazprom zqxnewword"),
    ("seeds/002_0092e1e889b8d25b.txt", "Lukashenko", "LUKASHENKO"),
    ("07MOSCOW4331.txt", "SUBPRIME MORTGAGE CRISIS", "SUBPRIME CRISIS"),
    ("seeds/000_c1d0512e85371ab3.txt", "Gazprom zqxnewword", "Gazprom"),
]


def edit(content: Path, name: str, old: str, new: str) -> None:
    f = content / "cables" / name
    text = f.read_text()
    assert old in text, (name, old)
    f.write_text(text.replace(old, new, 1))


def test_a_patched_search_index_is_byte_for_byte_the_index_made_whole(tmp_path, monkeypatch):
    from generator.search import incremental

    patches, encoded = [], []
    real_patch, real_encode = incremental.patch, parts.encode_term
    monkeypatch.setattr(incremental, "patch", lambda *a: patches.append(real_patch(*a)) or patches[-1])
    monkeypatch.setattr(parts, "encode_term", lambda *a: encoded.append(a[1]) or real_encode(*a))
    content = sample_project(tmp_path, "kept")
    build(content, tmp_path / "kept" / "site", jobs=1, quiet=True)
    for n, (name, old, new) in enumerate(EDITS):
        edit(content, name, old, new)
        patches.clear()
        encoded.clear()
        build(content, tmp_path / "kept" / "site", jobs=1, quiet=True)
        made_again = len(encoded)
        whole = tmp_path / f"whole{n}"
        shutil.copytree(content, whole / "content")
        build(whole / "content", whole / "site", jobs=1, quiet=True)  # no cache: the index made whole
        got, want = tree(tmp_path / "kept" / "site" / "search"), tree(whole / "site" / "search")
        assert got.keys() == want.keys() and [k for k in want if got[k] != want[k]] == [], EDITS[n]
        if n == 2:  # a change of case puts nothing new in the index: its files are kept, not even patched
            assert patches == [] and made_again == 0
            continue
        assert len(patches) == 1 and patches[0] is not None, EDITS[n]  # the kept index was patched...
        kept = PageKeys(content.parent / ".cablesite-cache", tmp_path / "kept" / "site").beside("search-index.pickle")
        # ...and terms were encoded again only where they can have changed
        assert made_again < len(incremental.load_state(kept).index.terms), (EDITS[n], made_again)
    # ...and the rounding check is what keeps it exact: reusing every untouched encoding gives other bytes
    monkeypatch.setattr(incremental, "_still_rounds_the_same", lambda enc, averages: True)
    edit(content, *EDITS[0])
    build(content, tmp_path / "kept" / "site", jobs=1, quiet=True)
    shutil.copytree(content, tmp_path / "last" / "content")
    build(tmp_path / "last" / "content", tmp_path / "last" / "site", jobs=1, quiet=True)
    got, want = tree(tmp_path / "kept" / "site" / "search"), tree(tmp_path / "last" / "site" / "search")
    assert [k for k in want if got.get(k) != want[k]] != []


def _children() -> list[int]:
    """This process's child processes, running or not yet waited for, less multiprocessing's forkserver and
    resource tracker (which live as long as this process once a test has used `fresh_pool`)."""
    from multiprocessing import forkserver, resource_tracker
    helpers = {getattr(forkserver._forkserver, "_forkserver_pid", None),
               getattr(resource_tracker._resource_tracker, "_pid", None)}
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and int(stat.parent.name) not in helpers:
            out.append(int(stat.parent.name))
    return out


def test_a_search_index_patched_beside_the_pages_is_the_index_made_whole(tmp_path, monkeypatch):
    # with two workers, a rebuild that patches the kept index does it in a forked copy of the build while the
    # build makes the pages; the files are those a build from scratch makes, and the copy keeps the patched
    # index for the next edit, which patches it again
    from generator.search import incremental
    asides = []
    monkeypatch.setattr(build_module, "Aside", lambda *a, **k: asides.append(forkpool.Aside(*a, **k)) or asides[-1])
    content = sample_project(tmp_path, "kept")
    out = tmp_path / "kept" / "site"
    build(content, out, jobs=2, quiet=True)
    assert asides == []  # nothing kept yet: the index is made whole, in this process
    kept = PageKeys(content.parent / ".cablesite-cache", out).beside("search-index.pickle")
    for n in (0, 1, 3):  # a word more, a new word, a shorter subject
        edit(content, *EDITS[n])
        before = kept.stat().st_mtime_ns
        report = build(content, out, jobs=2, quiet=True)
        assert len(asides) == 1, EDITS[n]
        asides.clear()
        whole = tmp_path / f"whole{n}"
        shutil.copytree(content, whole / "content")
        build(whole / "content", whole / "site", jobs=1, quiet=True)
        got, want = tree(out / "search"), tree(whole / "site" / "search")
        assert got.keys() == want.keys() and [k for k in want if got[k] != want[k]] == [], EDITS[n]
        assert 0 < report.pages_written < 40
        # the copy kept the index it patched, written by the time the build returned
        assert kept.stat().st_mtime_ns != before
        mine = incremental.load_state(kept)
        theirs = incremental.load_state(PageKeys(whole / ".cablesite-cache", whole / "site").beside("search-index.pickle"))
        assert mine is not None and theirs is not None
        assert (mine.index.raw, mine.index.lengths) == (theirs.index.raw, theirs.index.lengths), EDITS[n]
        assert not _children(), "the copy was not waited for"


def test_a_build_that_fails_while_the_index_is_patched_aside_leaves_the_site_and_no_process(tmp_path, monkeypatch):
    from generator import cache
    content = sample_project(tmp_path, "p")
    out = tmp_path / "p" / "site"
    build(content, out, jobs=2, quiet=True)
    first = tree(out)
    edit(content, *EDITS[1])

    def broken_feed(*a, **k):
        raise RuntimeError("feed broke")
    monkeypatch.setattr(build_module, "atom", broken_feed)
    with pytest.raises(RuntimeError, match="feed broke"):
        build(content, out, jobs=2, quiet=True)
    assert tree(out) == first and not cache._WRITING
    assert not _children(), "the forked copy was not waited for: a process is left behind"


def test_a_call_made_aside_gives_its_value_or_raises_what_it_raised(tmp_path):
    assert forkpool.Aside(lambda: {"06MOSCOW1171": list(range(100_000))}).result() == {"06MOSCOW1171": list(range(100_000))}
    marker = tmp_path / "then"
    aside = forkpool.Aside(lambda: "06MOSCOW1171", then=lambda: marker.write_text("after the value"))
    assert aside.result() == "06MOSCOW1171"
    assert os.waitpid(aside.pid, 0)[1] == 0 and marker.read_text() == "after the value"
    with pytest.raises(ValueError, match="06MOSCOW1171") as raised:
        forkpool.Aside(lambda: int("06MOSCOW1171")).result()
    assert "raised in a forked process" in "".join(raised.value.__notes__)
    with pytest.raises(RuntimeError, match="ended without a result"):
        forkpool.Aside(lambda: os.kill(os.getpid(), signal.SIGKILL)).result()
    # a result no longer wanted: the copy cannot send it, and ends rather than wait forever on a full pipe
    aside = forkpool.Aside(lambda: "x" * 10_000_000)
    aside.close()
    for _ in range(200):
        pid, status = os.waitpid(aside.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.05)
    assert pid == aside.pid and status != 0


def test_a_cache_file_written_by_a_forked_process(tmp_path):
    # the kept search index is pickled and written by a fork while the build goes on; what it writes is what
    # the value was when it forked, and a write that fails costs nothing but the file
    from generator import cache
    value = {"cables": ["06MOSCOW1171", "07MINSK270"], "numbers": list(range(1000))}
    cache.store_pickle(tmp_path / "kept.pickle", value, forked=True)
    value["numbers"].clear()  # the fork has its own copy
    (tmp_path / "a-file").write_text("not a folder")
    cache.store_pickle(tmp_path / "a-file" / "kept.pickle", value, forked=True)
    assert cache._WRITING
    cache.wait_for_writes()
    assert not cache._WRITING
    assert cache.load_pickle(tmp_path / "kept.pickle") == {"cables": ["06MOSCOW1171", "07MINSK270"], "numbers": list(range(1000))}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "kept.pickle"]


_BUILD_AND_TELL = """import sys
from pathlib import Path
from generator.build import build
r = build(Path(sys.argv[1]), Path(sys.argv[2]), jobs=2, quiet=True)
print(r.pages_written, r.pages_kept, "multiprocessing" in sys.modules)
"""


def test_a_rebuild_with_little_to_parse_starts_no_worker(tmp_path):
    # files parsed before are taken from the cache by the build's own process, an edited file or two parsed
    # there too: such a rebuild forks no worker and does not even import multiprocessing (40 ms of its start)
    content = sample_project(tmp_path, "p")
    out = tmp_path / "p" / "site"

    def build_in_a_new_process() -> list[str]:
        r = subprocess.run([sys.executable, "-c", _BUILD_AND_TELL, str(content), str(out)], capture_output=True,
                           text=True, check=True, cwd=ROOT)
        return r.stdout.split()

    assert len(list((content / "cables").rglob("*.*"))) == 9
    assert build_in_a_new_process()[2] == "True"  # nine files to parse: workers parse them
    written, kept, forked = build_in_a_new_process()
    assert (written, forked) == ("0", "False") and int(kept) > 70
    seed = content / "cables" / "seeds" / "000_c1d0512e85371ab3.txt"  # 06MOSCOW1171
    seed.write_text(seed.read_text().replace("Ukraine", "Ukraine zqxedited", 1))
    written, _, forked = build_in_a_new_process()
    assert int(written) > 0 and forked == "False"
    assert "zqxedited" in (out / "cable" / "2006" / "02" / "06MOSCOW1171.html").read_text()


def test_a_build_returns_once_the_kept_index_is_written(tmp_path):
    from generator import cache
    from generator.search import incremental
    content = sample_project(tmp_path, "p")
    build(content, tmp_path / "p" / "site", jobs=1, quiet=True)
    assert not cache._WRITING
    kept = PageKeys(content.parent / ".cablesite-cache", tmp_path / "p" / "site").beside("search-index.pickle")
    state = incremental.load_state(kept)  # whole, one document a search record
    assert state is not None and len(state.doc_keys) == len(list((tmp_path / "p" / "site" / "search" / "doc").rglob("*.js"))) > 5


def test_a_changed_big_file_is_read_again_only_where_it_changed(tmp_path, monkeypatch):
    from generator.readers import csv as csv_reader
    monkeypatch.setattr(ingest, "STREAM_BYTES", 1)
    monkeypatch.setattr(ingest, "BATCH", 4)
    content = tmp_path / "p" / "content"
    (content / "cables").mkdir(parents=True)
    src = content / "cables" / "cables.csv"
    shutil.copy(synthetic_csv(tmp_path / "synth.csv", 60), src)
    read: list[int] = []
    real_read_stream = csv_reader.read_stream

    def counting(*a, **k):
        for item in real_read_stream(*a, **k):
            read.append(1)
            yield item
    monkeypatch.setattr(csv_reader, "read_stream", counting)
    parsed: list[int] = []
    real_parse_raw = ingest.parse_raw
    monkeypatch.setattr(ingest, "parse_raw", lambda *a, **k: parsed.append(1) or real_parse_raw(*a, **k))

    def rebuild_and_compare(name: str) -> int:
        """Build incrementally and from scratch; both must give the same site and messages. Rows read."""
        read.clear()
        report = build(content, tmp_path / "p" / "site", jobs=2, quiet=True)  # a few batches here, the rest in workers
        rows = len(read)
        fresh = tmp_path / name
        shutil.copytree(content, fresh / "content")
        whole = build(fresh / "content", fresh / "site", jobs=1, quiet=True)
        assert tree(tmp_path / "p" / "site") == tree(fresh / "site"), name
        def said(messages, project):
            return [(m.kind, m.text.replace(str(project), "<project>"), m.line, m.level) for m in messages]
        assert said(report.messages, tmp_path / "p") == said(whole.messages, fresh), name
        assert report.cables == whole.cables, name
        return rows

    build(content, tmp_path / "p" / "site", jobs=1, quiet=True)
    text = src.read_text()
    middle = text.index('"', len(text) // 2)  # some quote in a middle row
    at = text.index(" the ", middle)

    def replace(old: str, new: str, where: int) -> None:
        text = src.read_text()
        assert text[where:where + len(old)] == old
        src.write_text(text[:where] + new + text[where + len(old):])

    # a word changed in one row: that row's batch is read (and at most the next), not the file
    replace(" the ", " THE ", at)
    parsed.clear()
    assert rebuild_and_compare("word") <= 8
    assert len(parsed) == 1 + 60  # the edited row alone (the other rows of its batch were cached), and the fresh build
    # a longer word: every later row's bytes move, but not their lines; then an edit near the end finds the
    # moved rows where the last build said they were
    replace(" THE ", " THESE ", at)
    assert rebuild_and_compare("longer word") <= 8
    replace(" the ", " THE ", src.read_text().rindex(" the "))
    assert rebuild_and_compare("near the end") <= 8
    # a line added inside a row's text: every later row's line numbers move, so the rest is read again
    replace(" THESE ", " the\nadded line ", at)
    assert 8 < rebuild_and_compare("line") < 60
    # a malformed row put in before it: reported with its line; then an edit further on keeps that message
    text = src.read_text()
    row_start = text.rindex('\n"', 0, at) + 1
    src.write_text(text[:row_start] + '"999","bad row"\n' + text[row_start:])
    rebuild_and_compare("bad row")
    text = src.read_text()
    last = text.rindex(" the ")
    src.write_text(text[:last] + " THE " + text[last + 5:])
    assert rebuild_and_compare("after the bad row") <= 8
    # rows taken off the end, and rows added at the end
    text = src.read_text()
    src.write_text(text[:text.rindex('\n"', 0, text.rindex('\n"')) + 1])
    rebuild_and_compare("shorter")
    src.write_text(src.read_text() + text[text.index('\n"') + 1:])
    assert rebuild_and_compare("longer") < 120


def test_a_long_lived_process_keeps_cache_files_in_memory_and_builds_the_same(tmp_path, monkeypatch):
    # serve keeps what cache files hold in memory between rebuilds; the kept search index is patched in place,
    # so a rebuild that fails after patching it must not leave the patched copy for the next one
    import pickle
    import types

    from generator import cache
    from generator.build import BuildError
    from generator.search import incremental
    content = sample_project(tmp_path, "p")
    out = tmp_path / "p" / "site"
    reads: list[str] = []
    monkeypatch.setattr(cache, "pickle", types.SimpleNamespace(
        load=lambda fh: reads.append(fh.name) or pickle.load(fh), dump=pickle.dump, PickleError=pickle.PickleError))
    cache.remember(1 << 28)
    try:
        build(content, out, jobs=1, quiet=True)
        reads.clear()
        edit(content, *EDITS[0])
        build(content, out, jobs=1, quiet=True)
        assert reads == []  # parse results and the search index came from memory
        with monkeypatch.context() as m:  # the disk fills up after the index was patched, before it is kept
            m.setattr(incremental, "save_state", lambda *a: (_ for _ in ()).throw(OSError("no space left")))
            edit(content, *EDITS[1])
            with pytest.raises(BuildError):
                build(content, out, jobs=1, quiet=True)
        edit(content, *EDITS[3])
        build(content, out, jobs=1, quiet=True)
        shutil.copytree(content, tmp_path / "fresh1" / "content")
        build(tmp_path / "fresh1" / "content", tmp_path / "fresh1" / "site", jobs=1, quiet=True)
        assert tree(out) == tree(tmp_path / "fresh1" / "site")
    finally:
        cache.remember(0)  # writes the index it kept only in memory
    # a one-off build after it patches the index that was written
    patches = []
    real_patch = incremental.patch
    monkeypatch.setattr(incremental, "patch", lambda *a: patches.append(real_patch(*a)) or patches[-1])
    edit(content, *EDITS[4])
    build(content, out, jobs=1, quiet=True)
    assert len(patches) == 1 and patches[0] is not None
    fresh = tmp_path / "fresh"
    shutil.copytree(content, fresh / "content")
    build(fresh / "content", fresh / "site", jobs=1, quiet=True)
    assert tree(out) == tree(fresh / "site")


def test_the_index_is_kept_whole_while_no_cable_changes_what_it_puts_in_it(pair_archive, monkeypatch, tmp_path):
    content, out = pair_archive
    made: list[int] = []
    real_build_search = build_module.build_search
    monkeypatch.setattr(build_module, "build_search", lambda *a, **k: made.append(1) or real_build_search(*a, **k))
    index_files = sorted(p.relative_to(out).as_posix() for p in (out / "search").rglob("*.js") if "/doc/" not in p.as_posix())
    # a word's case and a subject's punctuation: the records change, the index does not
    edit(content, "07MOSCOW2199.html", "We shared Ref A World Health Assembly", "We shared Ref A WORLD Health Assembly")
    edit(content, "07MOSCOW4331.telegram.txt", "SUBPRIME MORTGAGE CRISIS", "SUBPRIME MORTGAGE CRISIS!")
    build(content, out, jobs=1, quiet=True)
    assert made == []
    fresh = tmp_path / "fresh"
    shutil.copytree(content, fresh / "content")
    build(fresh / "content", fresh / "site", jobs=1, quiet=True)
    assert tree(out) == tree(fresh / "site")
    made.clear()  # (the build from scratch made one)
    # the digests lost: the cables are read into the index's terms again, and it is still kept
    for f in (content.parent / ".cablesite-cache" / "pages").glob("*-search-terms.pickle"):
        f.unlink()
    build(content, out, jobs=1, quiet=True)
    assert made == []
    # a new word: the index is made again
    edit(content, "07MOSCOW2199.html", "We shared Ref A WORLD", "We shared Ref A WORLD zqxnewword")
    build(content, out, jobs=1, quiet=True)
    assert made == [1] and "zqxnewword" in "".join((out / p).read_text() for p in index_files if (out / p).exists()) + \
        "".join(p.read_text() for p in (out / "search" / "part").glob("*.js"))
