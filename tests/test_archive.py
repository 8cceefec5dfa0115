"""The archive: one page per cable, REFs resolved, cited-by, listings, neighbours."""
from __future__ import annotations

from pathlib import Path

from conftest import REAL, SEEDS, parse_one, parse_path, parse_snippet
from generator.archive import assemble


def citing_pair(tmp: Path) -> tuple[Path, Path]:
    """07MOSCOW2199 (real) with its REF B pointed from MOSCOW 2093 to MOSCOW 4331, which the archive holds."""
    html = (REAL / "07MOSCOW2199.html").read_text().replace("B) MOSCOW 2093", "B) MOSCOW 4331")
    citing = tmp / "07MOSCOW2199.html"
    citing.write_text(html)
    return citing, REAL / "07MOSCOW4331.telegram.txt"


def test_references_resolve_and_cited_by(tmp_path):
    citing, cited = citing_pair(tmp_path)
    a = assemble([parse_one(citing), parse_one(cited), *(parse_one(p) for p in sorted(SEEDS.glob("*.txt")))])
    assert a.cables["07MOSCOW2199"].references == ("07STATE61739", "07MOSCOW4331")
    assert a.path("07MOSCOW4331") == "cable/2007/09/07MOSCOW4331.html"
    assert a.path("07STATE61739") is None
    assert a.cited_by == {"07MOSCOW4331": ("07MOSCOW2199",)}
    assert a.newest_first[0] == "07MOSCOW4331" and a.newest_first[-1] == "06MOSCOW1171"
    assert a.by_tag["RS"] == ("07MOSCOW4331", "07MOSCOW2199")
    assert a.neighbours["07MOSCOW2205"] == ("07MOSCOW2199", "07MOSCOW4328")
    assert a.by_origin["Embassy Minsk"] == ("07MINSK270",)


def test_same_cable_in_two_files_yields_the_more_complete(tmp_path):
    from_csv = [c for c, _ in parse_path(REAL / "cables-sample.csv")]
    from_html = parse_one(REAL / "07MOSCOW2199.html")
    a = assemble([*from_csv, from_html])
    assert a.cables["07MOSCOW2199"].source.endswith("07MOSCOW2199.html")  # it also has the release date
    [msg] = [m for m in a.messages if m.kind == "duplicate-cable"]
    assert "cables-sample.csv" in msg.source and "07MOSCOW2199.html" in msg.text


def test_cables_without_ids_still_get_pages():
    text = (SEEDS / sorted(p.name for p in SEEDS.iterdir())[2]).read_text().replace("MINSK 000270", "MINSK")
    c = parse_snippet(text, "minsk-no-serial.txt")
    a = assemble([c])
    [rid] = a.cables
    assert rid == "UNIDENTIFIED-minsk-no-serial"
    assert a.path(rid) == "cable/2007/03/UNIDENTIFIED-minsk-no-serial.html"
    assert any(m.kind == "no-reference-id" for m in a.messages)


def test_hostile_ids_cannot_leave_the_site():
    html = (REAL / "07MOSCOW2199.html").read_text().replace(">07MOSCOW2199<", ">../../etc/passwd<")
    c = parse_snippet(html, "evil.html")
    a = assemble([c])
    [path] = a.paths.values()
    assert ".." not in path and path.startswith("cable/2007/05/")
