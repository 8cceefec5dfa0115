"""Hostile and broken input: what the reader sees and what the log says."""
from __future__ import annotations

import json
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import REAL, ROOT, finishing_within, seed
from generator.build import BuildError, build
from generator.cable import parse
from generator.cable.audit import lost_text
from generator.sources import looks_binary, read_text
from generator.write import SiteWriter, UnsafePath, check_site_path
from test_site import make_archive

TELEGRAM = REAL / "07MOSCOW4331.telegram.txt"


def build_one(tmp: Path, name: str, text: str | bytes, settings: str | None = None):
    src = tmp / name
    src.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    content = make_archive(tmp, [src], settings, pages=False)
    out = tmp / "site"
    return build(content, out, jobs=1, quiet=True), out


def test_markup_in_metadata_is_text_everywhere(tmp_path):
    page = seed(0).read_text().replace("Embassy Moscow", "Embassy <b onmouseover=alert(1)>Moscow</b>")
    report, out = build_one(tmp_path, "evil.txt", page)
    origin = "Embassy <b onmouseover=alert(1)>Moscow</b>"
    for f in ["cable/2006/02/06MOSCOW1171.html", "index.html", "origins.html", "classification/confidential.html", "date/2006-02.html"]:
        html = (out / f).read_text()
        assert "<b onmouseover" not in html, f
        assert "Embassy &lt;b onmouseover=alert(1)&gt;Moscow&lt;/b&gt;" in html, f
    feed = ET.parse(out / "feed.xml").getroot()  # still well-formed XML
    assert feed is not None
    row = json.loads((out / "data/cables.jsonl").read_text())
    assert row["origin"] == origin
    assert "<\\/b>" in (out / "search/doc/0/0.js").read_text()


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "cable/../../x.html", "cable//x.html", "cable/./x.html",
                                  "cable/", "", ".", "..", "cable\\..\\x.html", "cable/x\x00.html"])
def test_a_site_path_that_could_leave_the_site_is_refused(path):
    with pytest.raises(UnsafePath):
        check_site_path(path)


@pytest.mark.parametrize("path", ["cable/2006/02/06MOSCOW1171.html", "tag/..x.html", "a..b/c.d.html", "search/doc/0/65.js"])
def test_a_normal_site_path_is_accepted(path):
    check_site_path(path)


def test_lines_made_for_patterns_to_backtrack_over_parse_at_once():
    # each line below once made a pattern try every way to split a run of capitals or spaces before failing:
    # 200 capitals after a routing line's precedence and 60 after a TAGS line (2^n steps), 3,000 spaces in a
    # recipient (n^3: 40 s took 500) and 100,000 on a rule's line (n^2: a minute)
    text = (REAL / "07MOSCOW4331.telegram.txt").read_text()
    text = text.replace("RR RUEHWEB\n", "RR RUEHWEB\nRR " + "A" * 200 + ".\n", 1)
    text = text.replace("TAGS: EFIN ECON RS\n", "TAGS: EFIN ECON RS\n" + "B" * 60 + ".\n", 1)
    text = text.replace("TO RUEHC/SECSTATE WASHDC 3517\n", "TO RUEHC/SECSTATE WASHDC" + " " * 3000 + "x3517\n", 1)
    text = text.replace("------- \nSummary", "-" + " " * 100_000 + "x\n------- \nSummary", 1)

    with finishing_within(20):  # a guard against a hang, not a timing: the parse takes milliseconds
        (raw,) = list(read_text("hostile.txt", text))
        c = parse(raw)
    assert lost_text(raw, c) is None
    assert c.reference_id == "07MOSCOW4331" and c.tags == ("EFIN", "ECON", "RS")
    assert c.recipients == ("SECSTATE WASHDC x3517", "DEPT OF TREASURY WASHDC")
    assert "RR " + "A" * 200 + "." in c.header.splitlines()
    assert "B" * 60 + "." in c.fields_text.splitlines()


@pytest.mark.parametrize("old, new", [
    # a Classified By field that never gives its reasons: each line searched the whole field again (77 s for 20,000)
    ("TAGS: EFIN ECON RS\n", "TAGS: EFIN ECON RS\nClassified By: Ambassador for\n" + "CONSIDERATION 14 5\n" * 30_000),
    # a REF list of 100,000 lines: the field so far joined again at every line
    ("TAGS: EFIN ECON RS\n", "TAGS: EFIN ECON RS\nREF: A. STATE 1\n" + "B. STATE 12345 AND MOSCOW 222\n" * 100_000),
    # distribution lines between fields: the rest of the header copied at every one
    ("TAGS: EFIN ECON RS\n", "TAGS: EFIN ECON RS\n" + "STATE FOR EUR/RUS\nTAGS: EFIN\n" * 60_000),
    # lines that look like headings: the rest of the body copied at every one to find the next line
    ("------- \nSummary", "Embassy Moscow Weekly Report\n" * 200_000 + "------- \nSummary"),
], ids=["classified-by", "ref", "distribution", "headings"])
def test_a_cable_of_many_lines_parses_in_time_linear_in_them(old, new):
    # each of these took time quadratic in its lines: at these sizes a minute or more
    text = (REAL / "07MOSCOW4331.telegram.txt").read_text()
    assert old in text
    text = text.replace(old, new, 1)
    with finishing_within(20):
        (raw,) = list(read_text("many.txt", text))
        c = parse(raw)
    assert lost_text(raw, c) is None
    assert c.reference_id == "07MOSCOW4331" and c.subject.startswith("SUBPRIME MORTGAGE CRISIS")


def test_an_html_page_with_text_in_many_pieces_reads_in_linear_time():
    # a title (or table cell) of 32,000 pieces of text between tags was extended piece by piece, copied whole
    # each time: 32 MB took about 40 s; kept as pieces and joined once, a third of a second
    from generator.readers import html as html_reader
    page = (REAL / "07MOSCOW2199.html").read_text()
    page = page.replace("<title>", "<title>" + ("<b>" + "x" * 1000 + "</b>") * 32_000, 1)
    with finishing_within(20):
        (raw,) = list(html_reader.read("many.html", page))
    assert raw.meta["reference_id"] == "07MOSCOW2199"
    assert raw.meta["subject"] == "RUSSIA: USG WORLD HEALTH ASSEMBLY OBJECTIVES DELIVERED"


def test_paths_stay_inside_the_output(tmp_path):
    with pytest.raises(UnsafePath):
        SiteWriter(tmp_path / "out")._target("../escape.html")
    with pytest.raises(UnsafePath):
        SiteWriter(tmp_path / "out2")._target("/etc/passwd")
    text = TELEGRAM.read_text().replace("TAGS: EFIN ECON RS", "TAGS: EFIN ../../../ETC RS /TMP/X").replace("AMEMBASSY MOSCOW", "AMEMBASSY ../../MOSCOW")
    report, out = build_one(tmp_path, "paths.txt", text)
    written = [p.resolve() for p in tmp_path.rglob("*") if p.is_file()]
    assert all(str(p).startswith(str(tmp_path.resolve())) for p in written)
    assert (out / "tag/ETC.html").is_file() and (out / "tag/TMP.html").is_file()  # tags are words: slashes split them
    assert (out / "origin/embassy-moscow.html").is_file()
    assert not (tmp_path.parent / "ETC").exists()
    settings_err = make_archive(tmp_path / "s", [TELEGRAM], "theme: ../../etc\n", pages=False)
    with pytest.raises(BuildError, match="theme: must be the name of a folder"):
        build(settings_err, tmp_path / "s" / "site", jobs=1, quiet=True)


def test_front_matter_cannot_run_code(tmp_path):
    content = make_archive(tmp_path, [TELEGRAM], pages=False)
    (content / "pages").mkdir()
    marker = tmp_path / "pwned"
    (content / "pages" / "evil.md").write_text(f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\nHello\n")
    (content / "pages" / "xss.md").write_text("---\ntitle: <script>alert(1)</script>\n---\n<script>alert(2)</script>\n")
    report = build(content, tmp_path / "site", jobs=1, quiet=True)
    assert not marker.exists()
    bad = [m for m in report.messages if m.kind == "bad-front-matter"]
    assert bad and bad[0].source.endswith("evil.md") and bad[0].line == 1
    html = (tmp_path / "site" / "xss.html").read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(2)&lt;/script&gt;" in html


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_encodings(tmp_path, encoding):
    text = TELEGRAM.read_text().replace("Natalya Orlova", "Natalya Orlová ÆØ")
    report, out = build_one(tmp_path, "enc.txt", text.encode(encoding))
    assert "Natalya Orlová ÆØ" in (out / "cable/2007/09/07MOSCOW4331.html").read_text()
    notes = [m.kind for m in report.messages]
    assert ("encoding" in notes) == (encoding in ("cp1252", "latin-1"))


def test_binary_is_a_tenth_of_control_bytes_or_a_hundredth_of_nuls():
    text = (TELEGRAM.read_bytes() * 2)[:8000]  # a real cable: line ends, no control bytes

    def with_bytes(n: int, byte: int) -> bytes:
        spiked = bytearray(text)
        spiked[0 : 9 * n : 9] = bytes([byte]) * n
        return bytes(spiked)

    assert len(text) == 8000 and not looks_binary(text)
    for byte in (1, 8, 14, 27, 31):  # controls: more than a tenth of the bytes is binary
        assert not looks_binary(with_bytes(800, byte)) and looks_binary(with_bytes(801, byte))
    for byte in (9, 10, 13, 32, 127):  # tab, line ends, space, DEL: text
        assert not looks_binary(with_bytes(888, byte))
    assert not looks_binary(with_bytes(80, 0)) and looks_binary(with_bytes(81, 0))  # NULs: a hundredth


def test_binary_nul_and_control_characters(tmp_path):
    text = TELEGRAM.read_text().replace("Natalya Orlova.", "Natalya\x00 Orlova\x07.\x1b")
    content = make_archive(tmp_path, [TELEGRAM], pages=False)
    (content / "cables" / "nul.txt").write_text(text)
    (content / "cables" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40)
    report = build(content, tmp_path / "site", jobs=1, quiet=True)
    kinds = {(Path(m.source).name, m.kind) for m in report.messages}
    assert ("photo.jpg", "binary") in kinds and ("nul.txt", "control-characters") in kinds
    assert ("nul.txt", "duplicate-cable") in kinds or ("07MOSCOW4331.telegram.txt", "duplicate-cable") in kinds
    page = (tmp_path / "site/cable/2007/09/07MOSCOW4331.html").read_text()
    assert "\x00" not in page and "\x07" not in page
    ET.parse(tmp_path / "site/feed.xml")


def test_a_line_of_megabytes_does_not_hang(tmp_path):
    big = TELEGRAM.read_text().replace("Natalya Orlova.", "Natalya Orlova. " + "rouble " * 400_000, 1)
    started = time.monotonic()
    report, out = build_one(tmp_path, "big.txt", big)
    assert time.monotonic() - started < 60
    assert report.errors == 0 and "rouble rouble" in (out / "cable/2007/09/07MOSCOW4331.html").read_text()


def test_sections_in_separate_files_are_joined_in_order(tmp_path):
    lines = seed(2).read_text().split("\n")
    brk = next(i for i, ln in enumerate(lines) if ln.startswith("MINSK 00000270 002 OF 002"))
    header = lines[: lines.index("C O N F I D E N T I A L SECTION 01 OF 02 MINSK 000270")]
    part1 = "\n".join(lines[:brk])
    part2 = "\n".join(header + ["C O N F I D E N T I A L SECTION 02 OF 02 MINSK 000270", "", "SIPDIS", ""] + lines[brk + 1 :])
    content = make_archive(tmp_path, [], pages=False)
    (content / "cables" / "a-second.txt").write_text(part2)
    (content / "cables" / "b-first.txt").write_text(part1)
    report = build(content, tmp_path / "site", jobs=1, quiet=True)
    [joined] = [m for m in report.messages if m.kind == "joined-sections"]
    assert "b-first.txt (section 1)" in joined.text and "a-second.txt (section 2)" in joined.text
    assert joined.text.index("b-first.txt") < joined.text.index("a-second.txt")
    html = (tmp_path / "site/cable/2007/03/07MINSK270.html").read_text()
    assert all(f'id="para-{n}"' in html for n in range(1, 12))
    assert html.index('id="para-7"') < html.index('id="para-8"')
    assert "DEFMIN SEEKS USG COOPERATION DESPITE THE OBSTACLES" in html


def test_broken_template_and_unwritable_output_leave_the_site(tmp_path):
    content = make_archive(tmp_path, [TELEGRAM], "theme: mine\n", pages=False)
    theme = tmp_path / "themes" / "mine" / "templates"
    theme.mkdir(parents=True)
    (theme / "cable.html").write_text("{% extends 'base.html' %}{% block main %}{{ cable.reference_id }}{% endblock %}")
    out = tmp_path / "site"
    build(content, out, jobs=1, quiet=True)
    assert (out / "cable/2007/09/07MOSCOW4331.html").read_text().count("07MOSCOW4331") >= 1
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (theme / "cable.html").write_text("{% extends 'base.html' %}{% block main %}{{ cable.reference_id }{% endblock %}")
    r = subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(content), "--output", str(out)],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2 and "cable.html" in r.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    (tmp_path / "blocker").write_text("a file where the output folder's parent should be")
    r = subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(content), "--output", str(tmp_path / "blocker" / "site")],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2 and "cannot write the site" in r.stderr
