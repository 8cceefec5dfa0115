"""One table per header rule, with snippets taken from the seeds and the real fixtures."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from generator.cable import fields as F
from generator.cable.ids import canonical_id, is_valid_id, normalise_id, origin_from_fm


@pytest.mark.parametrize("line, expected", [
    ("MOSCOW 00001171  002 OF 003 ", "page-break"),
    ("MINSK 00000270 001.2 OF 002", "page-break"),
    ("PAGE 02 LIMA 03418 01 OF 03 191454Z", "page-break"),
    ("SIPDIS ", "sipdis"),
    ("--------------------------------------------- - ", "decoration"),
    ("rights and free speech in Russia and Belarus, according to ", None),
    ("B. 05 MOSCOW 15342", None),
])
def test_lines_that_are_not_cable_text(line, expected):
    assert F.line_kind_to_drop(line) == expected


def test_text_lines_number_and_drop():
    # real lines (seed 0's page break, seed 2's SIPDIS), a tab and a CRLF: numbers kept, the rest left out
    lines = ["rights and free speech in Russia and Belarus, according to \r\n", "MOSCOW 00001171  002 OF 003 ",
             "SIPDIS ", "\tB. 05 MOSCOW 15342\n", ""]
    assert F.text_lines(lines, first=40) == [
        (40, "rights and free speech in Russia and Belarus, according to "), (43, "    B. 05 MOSCOW 15342"), (44, "")]


@pytest.mark.parametrize("line, expected", [
    ("R 291243Z MAR 07 ZDK", datetime(2007, 3, 29, 12, 43)),
    ("P 080853Z FEB 06", datetime(2006, 2, 8, 8, 53)),
    ("O 041536Z SEP 07", datetime(2007, 9, 4, 15, 36)),
    ("R 281848Z DEC 66", datetime(1966, 12, 28, 18, 48)),
    ("R 311243Z FEB 07", None),  # no such day
    ("FM AMEMBASSY MINSK", None),
])
def test_date_time_group(line, expected):
    assert F.parse_dtg(line) == expected


@pytest.mark.parametrize("line, classification, place, serial, sections", [
    ("C O N F I D E N T I A L SECTION 01 OF 03 MOSCOW 001171 ", "CONFIDENTIAL", "MOSCOW", "001171", 3),
    ("C O N F I D E N T I A L SECTION 01 OF 02 MINSK 000270", "CONFIDENTIAL", "MINSK", "000270", 2),
    ("UNCLAS MOSCOW 004285 ", "UNCLASSIFIED", "MOSCOW", "004285", None),
    ("S E C R E T SECTION 01 OF 02 STATE 012345", "SECRET", "STATE", "012345", 2),
    ("UNCLAS SENSITIVE SECTION 01 OF 02 SAO PAULO 000335", "UNCLASSIFIED//FOR OFFICIAL USE ONLY", "SAO PAULO", "000335", 2),
    ("CONFIDENTIAL NOFORN MOSCOW 001234", "CONFIDENTIAL//NOFORN", "MOSCOW", "001234", None),
])
def test_banner(line, classification, place, serial, sections):
    b = F.parse_banner(line)
    assert b is not None
    assert (b.classification, b.place, b.serial, b.sections) == (classification, place, serial, sections)


@pytest.mark.parametrize("line", [
    "Classified By: A/POL Bruce Donahue.  Reasons: 1.4(B/D).",
    "Secret meetings took place in Minsk",
    "UNCLASSIFIED information was shared with the Ministry on March 28 and",
])
def test_not_a_banner(line):
    assert F.parse_banner(line) is None


@pytest.mark.parametrize("text, expected", [
    ("E.O. 12958: DECL: 02/01/2016 ", date(2016, 2, 1)),
    ("E.O. 12958: DECL: 03/29/2017", date(2017, 3, 29)),
    ("E.O. 12958: N/A ", None),
    ("E.O. 12958: DECL: 1.6X6", None),
])
def test_declassification_date(text, expected):
    assert F.parse_decl(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("[ECON](#) [EPET](#) [PGOV](#) [PREL](#) [BO](#)", ["ECON", "EPET", "PGOV", "PREL", "BO"]),
    ("ECON EFIN EAID PREL AF TU", ["ECON", "EFIN", "EAID", "PREL", "AF", "TU"]),
    ("PREL, PGOV,, PREL RS", ["PREL", "PGOV", "RS"]),
    ("TBIO AORC PREL KFLU WHO RS", ["TBIO", "AORC", "PREL", "KFLU", "WHO", "RS"]),
])
def test_tags(text, expected):
    assert F.parse_tags(text) == expected


@pytest.mark.parametrize("text, year, self_id, expected", [
    ("A. STATE 51992 B. MOSCOW 3510", 2006, "06MOSCOW3687", ["06STATE51992", "06MOSCOW3510"]),
    ("B. 05 MOSCOW 15342", 2006, "06MOSCOW1171", ["05MOSCOW15342"]),
    ("MINSK 154", 2007, "07MINSK270", ["07MINSK154"]),
    ("A) STATE 61739 B) MOSCOW 2093", 2007, None, ["07STATE61739", "07MOSCOW2093"]),
    ("A. ANKARA 7410 ¶B. SECSTATE 200660", 2002, None, ["02ANKARA7410", "02STATE200660"]),
    ("A. MOSCOW 001171 B. 06MOSCOW1171", 2006, "06MOSCOW1171", []),
    ("STATE 119840", 2007, None, ["07STATE119840"]),
])
def test_references(text, year, self_id, expected):
    assert F.parse_refs(text, year, self_id) == expected


@pytest.mark.parametrize("text, subject, glued", [
    ("SUBPRIME MORTGAGE CRISIS NOT AFFECTING RUSSIAN BANKS - SO FAR", "SUBPRIME MORTGAGE CRISIS NOT AFFECTING RUSSIAN BANKS - SO FAR", ""),
    ("(C) DEFMIN SEEKS USG COOPERATION DESPITE THE OBSTACLES", "DEFMIN SEEKS USG COOPERATION DESPITE THE OBSTACLES", ""),
    ("UPDATE ON TURKEY'S CONTRIBUTION TO AFGHANISTAN RECONSTRUCTION REF: A. ANKARA 7410", "UPDATE ON TURKEY'S CONTRIBUTION TO AFGHANISTAN RECONSTRUCTION", "A. ANKARA 7410"),
])
def test_subject(text, subject, glued):
    assert F.clean_subject(text) == (subject, glued)


@pytest.mark.parametrize("text, marking, rest", [
    ("(C)  Summary:  The MFA's", "C", "Summary:  The MFA's"),
    ("(SBU) On March 28, Ambassador", "SBU", "On March 28, Ambassador"),
    ("(S//NF) The", "S//NF", "The"),
    ("(Note: Belarus Embassy", None, "(Note: Belarus Embassy"),
])
def test_portion_marking(text, marking, rest):
    assert F.split_marking(text) == (marking, rest)


@pytest.mark.parametrize("place, serial, year, expected", [
    ("MOSCOW", "001171", 2006, "06MOSCOW1171"),
    ("SECSTATE", "51992", 6, "06STATE51992"),
    ("SAO PAULO", "335", 2008, "08SAOPAULO335"),
])
def test_canonical_ids(place, serial, year, expected):
    assert canonical_id(place, serial, year) == expected


def test_id_checks():
    assert is_valid_id("06MOSCOW1171")
    assert not is_valid_id("7575LIBREVILLE1895")
    assert not is_valid_id("08SCTION02OF02SAOPAULO335")
    assert normalise_id(" 06moscow001171 ") == "06MOSCOW1171"


@pytest.mark.parametrize("fm, origin", [
    ("AMEMBASSY MINSK", "Embassy Minsk"),
    ("AMEMBASSY MOSCOW", "Embassy Moscow"),
    ("SECSTATE WASHDC", "Secretary of State"),
    ("USMISSION USNATO", "Mission USNATO"),
    ("AMCONSUL SAO PAULO", "Consulate Sao Paulo"),
])
def test_origin_from_fm(fm, origin):
    assert origin_from_fm(fm) == origin
