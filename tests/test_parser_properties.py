"""Property tests: over real cables mutated at random, the parser never raises and loses no text."""
from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REAL, SEEDS, finishing_within
from generator.cable import parse
from generator.cable.audit import lost_text
from generator.sources import read_text

SOURCES = [p.read_text() for p in sorted(SEEDS.glob("*.txt"))] + [
    (REAL / "07MOSCOW4331.telegram.txt").read_text(), (REAL / "07MOSCOW2199.html").read_text()]
NOISE = st.sampled_from(["\n", " ", "¶", "1. ", "11. (C) ", "(S//NF) ", "MOSCOW 00001171  002 OF 003\n", "SIPDIS\n",
                         "REF: A. STATE 1\n", "SUBJECT: ", "TAGS: [X](#)", "\x00", "\u2028", "<script>", "A. ", "-----\n",
                         "C O N F I D E N T I A L ", "E.O. 12958: DECL: 13/45/2016\n", "\t", "End Summary.", "Stewart",
                         # long runs, where a pattern that can split a run many ways backtracks without bound
                         "RR " + "A" * 90, "TAGS: " + "B" * 60, "TO " + " " * 400, "-" * 5 + " " * 3000, "RUEHC" * 30])


@st.composite
def mutated(draw):
    text = draw(st.sampled_from(SOURCES))
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.integers(0, 3))
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == 0 and lines:
            del lines[i]
        elif op == 1:
            lines.insert(i, draw(NOISE) + draw(st.text(max_size=20)))
        elif op == 2 and lines:
            j = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:j] + draw(NOISE) + lines[i][j:]
        elif lines:
            lines[i], lines[-1 - i] = lines[-1 - i], lines[i]
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_parser_never_raises_and_loses_nothing(text):
    with finishing_within(10):
        for raw in read_text("mutated.txt", text):
            if hasattr(raw, "lines"):
                cable = parse(raw)
                assert lost_text(raw, cable) is None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_a_cable_or_a_message(text):
    for item in read_text("random.txt", text):
        if hasattr(item, "lines"):
            cable = parse(item)
            assert lost_text(item, cable) is None
        else:
            assert item.source == "random.txt" and item.text


@given(st.text(max_size=200))
def test_fast_letters_equal_the_regex(text):
    # the audit's translate table must keep exactly the letters the regex keeps, for any character
    from generator.cable.audit import _NOT_LETTER, letters
    assert letters(text) == _NOT_LETTER.sub("", text)


_REASON_BITS = st.sampled_from(["REASON", "REASONS", "reasons", "ReasonSx", "1", "4", ".", ")", "(", " ", "\t", "b", "S",
                                "\u2028", "1.4", "x"])


@settings(max_examples=500)
@given(st.lists(st.lists(_REASON_BITS, max_size=8).map("".join), max_size=6))
def test_classified_by_reasons_kept_up_line_by_line_equal_the_pattern(pieces):
    # the Classified By field ends once it has given its reasons: decided line by line, as the pattern decides
    # on the whole text joined so far (the pattern was quadratic over a field of many lines)
    from generator.cable.parse import _Reasons
    reasons = _Reasons()
    for n, piece in enumerate(pieces, 1):
        reasons.add(piece)
        whole = " ".join(pieces[:n])
        assert reasons.given == bool(re.search(r"REASONS?\b.*\d\.\d.*[).]\s*$", whole, re.IGNORECASE)), whole
