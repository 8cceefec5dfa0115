"""Real cable text in every input format, including the oddities real scrapes carry."""
from __future__ import annotations

from datetime import datetime

from conftest import REAL, parse_one, parse_path, parse_snippet
from generator.messages import Message
from generator.sources import read_file


def test_telegram_with_banner_glued_to_the_header():
    c = parse_one(REAL / "07MOSCOW4331.telegram.txt")
    assert c.reference_id == "07MOSCOW4331"
    assert c.created == datetime(2007, 9, 5, 6, 17)
    assert c.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"  # from the SENSITIVE line
    assert c.subject == "SUBPRIME MORTGAGE CRISIS NOT AFFECTING RUSSIAN BANKS - SO FAR"
    assert c.tags == ("EFIN", "ECON", "RS")
    assert c.header.splitlines()[-1] == "INFO RUEATRS/DEPT OF TREASURY WASHDC"
    assert "STATE FOR EUR/RUS, EEB/IFD" in c.fields_text
    assert c.signed_by == "BURNS"
    assert [p.number for p in c.paragraphs] == list(range(1, 12))
    assert [h.text for h in c.headings] == ["Summary", "Financial Intermediation in Russia",
                                            "Subprime Effect on Russian Banks", "Banks Hope Subprime Just Bump in the Road", "Comment"]


def test_a_year_behind_a_pilcrow_is_not_a_paragraph():
    c = parse_one(REAL / "07MOSCOW4331.telegram.txt")
    assert c.paragraphs[1].text.endswith("postponing Eurobond issuances they had planned for fall 2007. End Summary.")
    assert c.paragraphs[9].text.endswith("will again be available to them by early 2008.")
    assert c.summary.endswith("they had planned for fall 2007.")


def test_csv_rows_stream_with_their_lines():
    results = parse_path(REAL / "cables-sample.csv")
    assert [c.reference_id for c, _ in results] == ["07MOSCOW2199", "07MOSCOW4285"]
    first, second = results[0][0], results[1][0]
    assert first.source_line == 1 and second.source_line > 20
    assert first.references == ("07STATE61739", "07MOSCOW2093")  # REF items split by a blank line
    assert first.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert second.blocks[0].anchor == "intro" and second.paragraphs == ()


def test_html_page_keeps_wikileaks_anchors_and_metadata():
    c = parse_one(REAL / "07MOSCOW2199.html")
    assert c.reference_id == "07MOSCOW2199"
    assert c.released == datetime(2010, 12, 1, 12, 0)
    assert c.subject == "RUSSIA: USG WORLD HEALTH ASSEMBLY OBJECTIVES DELIVERED"
    assert c.tags == ("TBIO", "AORC", "PREL", "KFLU", "WHO", "RS")
    assert [(p.anchor, p.wikileaks_anchor) for p in c.paragraphs] == [("para-1", "par1")]


def test_json_export_with_whitespace_and_case_lost():
    c = parse_one(REAL / "07MOSCOW4285.json")
    assert c.reference_id == "07MOSCOW4285"
    assert c.origin == "Embassy Moscow"
    assert c.classification == "UNCLASSIFIED"
    assert c.subject == "RUSSIA WILL RESPOND TO UNESCO ILLITERACY MEASURES SURVEY"
    assert c.references == ("07STATE119840",)
    assert c.signed_by == "BURNS"
    assert "whitespace-lost" in {w.kind for w in c.warnings}


def test_malformed_ids_are_kept_and_flagged():
    text = (REAL / "07MOSCOW2199.html").read_text().replace("07MOSCOW2199", "08SCTION02OF02SAOPAULO335")
    c = parse_snippet(text, "odd.html")
    assert c.reference_id == "08SCTION02OF02SAOPAULO335"
    assert "malformed-reference-id" in {w.kind for w in c.warnings}


def test_sub_paragraphs_get_their_own_anchors():
    # 02ANKARA8150 (alx/cablegate), paragraph 2 rewritten with lettered sub-paragraphs as many cables have.
    text = (
        "R 131200Z NOV 02\nFM AMEMBASSY ANKARA\nUNCLAS ANKARA 008150 \n \nE.O. 12958: N/A \nTAGS: ECON EFIN EAID PREL AF TU\n"
        "SUBJECT: UPDATE ON TURKEY'S CONTRIBUTION TO AFGHANISTAN \nRECONSTRUCTION \n \n"
        "REF: A. ANKARA 7410 \n     B. SECSTATE 200660 \n \n"
        "1.  EmbOffs met with MFA's Afghan Reconstruction Coordinator \nAmbassador Refat Okcun 11/12. \n \n"
        "2.  Okcun listed projects: \n \nA. Healthcare.  Turkey is about \nto build its fourth hospital. \n \n"
        "B. Television.  Turkey is considering diverting one of its two satellites. \n \n"
        "3.  In any case, power comes first. \nPEARSON"
    )
    c = parse_snippet(text, "02ANKARA8150.txt")
    assert [b.anchor for b in c.blocks] == ["para-1", "para-2", "para-2-a", "para-2-b", "para-3"]
    assert c.blocks[2].text == "Healthcare. Turkey is about to build its fourth hospital."
    assert c.subject == "UPDATE ON TURKEY'S CONTRIBUTION TO AFGHANISTAN RECONSTRUCTION"
    assert c.references == ("02ANKARA7410", "02STATE200660")
    assert c.signed_by == "PEARSON"


def test_duplicate_and_out_of_order_numbers():
    text = ("CONFIDENTIAL MOSCOW 001171 \n \nSUBJECT: TEST \n \n"
            "¶1. (C) First. \n \n¶2. (C) Second. \n \n¶2. (C) Second again. \n \n¶5. (C) Fifth. \n \n¶4. (C) Fourth.")
    c = parse_snippet(text)
    assert [b.anchor for b in c.blocks] == ["para-1", "para-2", "para-2-2", "para-5", "para-4"]
    kinds = [w.kind for w in c.warnings]
    assert "duplicate-paragraph-number" in kinds and "out-of-order-paragraph-number" in kinds


def test_bad_files_get_messages_not_exceptions(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "notes.txt").write_text("Shopping list: eggs, milk.\n")
    kinds = {}
    for p in sorted(tmp_path.iterdir()):
        [item] = list(read_file(p))
        assert isinstance(item, Message) and item.source == str(p)
        kinds[p.name] = item.kind
    assert kinds == {"empty.txt": "empty", "binary.bin": "binary", "notes.txt": "not-a-cable"}


def test_malformed_csv_row_costs_that_row_only(tmp_path):
    good = (REAL / "cables-sample.csv").read_text()
    rows = good.split('"102",')
    bad = rows[0] + '"999","not a date","X","Y"\n"102",' + rows[1]
    p = tmp_path / "cables.csv"
    p.write_text(bad)
    items = list(read_file(p))
    msgs = [i for i in items if isinstance(i, Message)]
    cables = [i for i in items if not isinstance(i, Message)]
    assert [c.meta["reference_id"] for c in cables] == ["07MOSCOW2199", "07MOSCOW4285"]
    assert len(msgs) == 1 and msgs[0].kind == "bad-csv-row" and msgs[0].line is not None


def test_windows_1252_and_bom(tmp_path):
    text = (REAL / "07MOSCOW4331.telegram.txt").read_text().replace("Orlova", "Orlová")
    p = tmp_path / "cp1252.txt"
    p.write_bytes(text.encode("cp1252"))
    [(c, _)] = parse_path(p)
    assert "Orlová" in c.body_text()
    assert "encoding" in {w.kind for w in c.warnings}
    q = tmp_path / "bom.txt"
    q.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    [(c2, _)] = parse_path(q)
    assert c2.reference_id == "07MOSCOW4331" and "Orlová" in c2.body_text()
