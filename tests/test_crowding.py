"""Folders a static host refuses: named after the build, which still writes the site."""
from __future__ import annotations

from conftest import synthetic_csv
from generator import crowding
from generator.build import build
from generator.crowding import FOLDER_LIMIT, crowded_folders


def test_only_folders_over_the_limit_are_crowded():
    paths = [f"search/card/0/{n}.js" for n in range(FOLDER_LIMIT)] + [f"tag/{n}.html" for n in range(FOLDER_LIMIT + 1)]
    paths += ["index.html", "search/manifest.js"]
    assert crowded_folders(paths) == [("tag", FOLDER_LIMIT + 1)]
    assert crowded_folders(paths, limit=1) == [("search/card/0", FOLDER_LIMIT), ("tag", FOLDER_LIMIT + 1)]
    assert crowded_folders(["index.html", "404.html", "cable/a.html"], limit=1) == [("", 2)]


def test_a_build_names_each_crowded_folder_and_still_writes_the_site(tmp_path, monkeypatch, capsys):
    content = tmp_path / "content"
    synthetic_csv(content / "cables" / "cables.csv", 120)
    site = tmp_path / "site"
    report = build(content, site, jobs=1)  # no folder of a 120-cable site is near the limit
    assert not [m for m in report.messages if m.kind == "crowded-folder"]
    on_disk = {str(d.relative_to(site)): sum(f.is_file() for f in d.iterdir()) for d in site.rglob("*") if d.is_dir()}
    assert on_disk["search/doc/0"] == 120  # one record per cable
    monkeypatch.setattr(crowding, "FOLDER_LIMIT", 119)
    capsys.readouterr()
    report = build(content, site, jobs=1)
    crowded = {m.source: m.text for m in report.messages if m.kind == "crowded-folder"}
    assert crowded == {f"{site}/{d}": f"{n:,} files in one folder: Netlify fails a deploy with more than 119 files in a folder"
                       for d, n in on_disk.items() if n > 119}
    assert f"{site}/search/doc/0" in crowded
    err = capsys.readouterr().err
    assert f"{site}/search/doc/0: warning: 120 files in one folder" in err  # said without --verbose
    assert sum(f.is_file() for f in (site / "search" / "doc" / "0").iterdir()) == 120  # and the site is written
