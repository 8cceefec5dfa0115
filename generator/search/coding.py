"""How the search files code their values: JSON that is also safe JavaScript, and lists of numbers as Rice codes
in base-64 digits (tier files, members files, cards)."""
from __future__ import annotations

import base64
import json
import re
from array import array
from collections.abc import Iterable
from functools import cache
from itertools import repeat
from operator import add, sub


def code_units(term: str) -> str:
    """The term as a string of its UTF-16 code units, one character each (a character past U+FFFF becomes its
    two surrogates), so that Python's length, order and slices are JavaScript's."""
    if term.isascii() or max(term) < "\U00010000":
        return term
    return "".join(map(chr, array("H", term.encode("utf-16-le"))))


def js_sorted(terms: Iterable[str]) -> list[str]:
    """The terms in JavaScript's order, by UTF-16 code units, in which lunr.js and the search client compare
    them. Python's order (by code points) puts a character past U+FFFF after U+E000 to U+FFFF, JavaScript's
    before them: a term ordered otherwise would be looked for in another part, and not found."""
    return sorted(terms, key=code_units)


def js(value) -> str:
    """`value` as JSON that is also JavaScript, safe inside a script."""
    # ASCII-only JSON is also valid JavaScript (no raw U+2028) and can never close a script element.
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/")


# Tier files carry each field's postings as two strings of bits, six to a base-64 digit (URL-safe alphabet):
# the documents' gaps (the first document's number, then each one's distance from the one before, less one)
# and each score's place in a table of the field's distinct scores (the most frequent first), every number in
# a Rice code with the string's own k: its value shifted right by k in unary (that many 1s, then a 0), then its
# k low bits. A tier's thousands of postings carry few distinct scores, and a common term's documents are
# dense, so a posting takes 4 to 9 bits. At full size the tiers "banks subprime" loads took 0.51 of the bytes
# of the variable-length digits used before (5 bits a digit, a sixth bit to say more follow), 0.41 to 0.77
# over six heavy queries; gzip finds little more in them.
class _RiceCodes(dict):
    """Rice codes with k low bits by number, each made on first use: coding is then one lookup a number."""

    def __init__(self, k: int) -> None:
        super().__init__()
        self.k = k

    def __missing__(self, n: int) -> str:
        k = self.k
        code = self[n] = "1" * (n >> k) + "0" + (format(n & ((1 << k) - 1), f"0{k}b") if k else "")
        return code


class _RiceValues(dict):
    """Numbers by their Rice code with k low bits, each read on first use."""

    def __init__(self, k: int) -> None:
        super().__init__()
        self.k = k

    def __missing__(self, code: str) -> int:
        k = self.k
        n = self[code] = (code.index("0") << k) | (int(code[-k:], 2) if k else 0)
        return n


@cache
def _codes(k: int) -> _RiceCodes:
    return _RiceCodes(k)


@cache
def _values(k: int) -> _RiceValues:
    return _RiceValues(k)


def rice_k(values: list[int]) -> int:
    """A k that codes `values` in nearly the fewest bits: the highest bit of their mean (over 150 full-size
    tier files, 0.02% more bits than the best k, and no pass over the numbers per k tried)."""
    return max(0, (sum(values) // max(1, len(values))).bit_length() - 1)


def rice(values: list[int], k: int) -> str:
    """`values` Rice-coded with k low bits, as base-64 digits of six bits (the last ones padded with 0s)."""
    bits = "".join(map(_codes(k).__getitem__, values))
    if not bits:
        return ""
    bits += "0" * (-len(bits) % 24)  # whole groups of three bytes: four digits each, no "=" padding
    return base64.urlsafe_b64encode(int(bits, 2).to_bytes(len(bits) // 8, "big")).decode("ascii")


def unrice(text: str, n: int, k: int) -> list[int]:
    """The first n numbers Rice-coded with k low bits in `text` (see `rice`)."""
    if not n:
        return []
    bits = format(int.from_bytes(base64.urlsafe_b64decode(text), "big"), "b").zfill(len(text) * 6)
    return list(map(_values(k).__getitem__, re.findall(f"1*0[01]{{{k}}}", bits)[:n]))


def coded(values: list[int]) -> list:
    """[k, `values` Rice-coded with that k], k from `rice_k`: how the index files carry a list of numbers."""
    k = rice_k(values)
    return [k, rice(values, k)]


def gapped(deltas: list[int]) -> list:
    """Ascending cables given as [first, distance from the one before, ...] as [first, k, the Rice-coded gaps
    after the first (each distance less one)]. The first cable's number is not among the gaps: in a slice of a
    few thousand postings far into the release it raised their mean, and so k, enough to take a sixth of the
    slice's bytes more (format 8)."""
    return [deltas[0] if deltas else 0, *coded(list(map(sub, deltas[1:], repeat(1))))]


def ungapped(n: int, first: int, k: int, digits: str) -> list[int]:
    """The n distances that `gapped` was given (the first cable's number first)."""
    return [first, *map(add, unrice(digits, max(0, n - 1), k), repeat(1))][:n]
