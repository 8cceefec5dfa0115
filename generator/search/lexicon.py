"""Every term of the index without its postings, in two orders, so the browser can find a fuzzy term's
(`kozulin~1`) matches without loading the parts of every term that might be one.

Terms are grouped by length and sorted within a length, once as they are (the forward lexicon, "f") and once
read backwards (the reverse lexicon, "r"). A term one edit away from a query term q of n characters keeps q's
first a = (n - 1) // 2 characters or its characters from a + 1 on (an edit at position p leaves q[:p] and
q[p + 2:] alone), and is n - 1 to n + 1 long: so the browser loads, for each of those lengths, the forward range
of terms that start with q[:a] and the reverse range of terms that end with q[a + 1:], and lunr's own fuzzy
automaton picks the matches among them. A wildcard term whose end is longer than its start ("*stan") is
looked up in the reverse lexicon too, at every length. Lengths, order and reversal are in UTF-16 code units, as JavaScript
counts and compares them (lunr.js works on them too).

Both lexicons are cut into chunks of about LEX_BYTES, each front-coded (a term keeps the first characters of
the one before it, counted by one character of SHARES); the first key of each chunk is listed in directories of
LEX_DIR_CHUNKS chunks, and the manifest lists each directory's first, as parts are listed (parts.py)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter

from generator.search.coding import code_units, js

LEX_BYTES = 4 * 1024
LEX_DIR_CHUNKS = 64
KINDS = ("f", "r")
SHARES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"  # how many characters a term keeps


def lexicon_keys(terms: Iterable[str], kind: str) -> list[tuple[int, str]]:
    """Each term as its key in lexicon `kind`, (length, the term in code units, reversed for "r"), sorted."""
    units = (code_units(t) for t in terms)
    return sorted((len(u), u if kind == "f" else u[::-1]) for u in units)


def _shared(prev: str, key: str) -> int:
    """How many first characters a key keeps of the one before it (at most what SHARES can count), found by
    comparing slices, which Python does in C."""
    lo, hi = 0, min(len(prev), len(key), len(SHARES) - 1)
    while lo < hi:
        mid = (lo + hi + 1) >> 1
        if prev[:mid] == key[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _coded(keys: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str, str]]:
    """Each key with its front-coded form: what it keeps of the key before it of the same length, and the rest."""
    prev = (0, "")
    for length, key in keys:
        share = _shared(prev[1], key) if prev[0] == length else 0
        yield length, key, SHARES[share] + key[share:]
        prev = (length, key)


def _payload(coded: list[tuple[int, str, str]]) -> list:
    """Front-coded keys as a chunk's payload (`chunk_payload`)."""
    out: list = []
    for length, group in groupby(coded, key=itemgetter(0)):
        out += [length, " ".join(word for _, _, word in group)]
    return out


def chunk_payload(keys: list[tuple[int, str]]) -> list:
    """A chunk's keys as [length, "the keys of that length, front-coded, space-separated", length, ...]: a term
    never holds a space (lunr's tokenizer splits on white space)."""
    return _payload(list(_coded(keys)))


def read_chunk_payload(payload: list) -> list[tuple[int, str]]:
    """The keys of a chunk, back from `chunk_payload`."""
    keys: list[tuple[int, str]] = []
    for length, coded in zip(payload[0::2], payload[1::2]):
        prev = ""
        for word in coded.split(" "):
            prev = prev[:SHARES.index(word[0])] + word[1:]
            keys.append((length, prev))
    return keys


def chunks(keys: list[tuple[int, str]]) -> Iterator[list[tuple[int, str, str]]]:
    """The keys, front-coded, cut into chunks of about LEX_BYTES of payload (characters, before JSON escapes);
    a chunk's first key keeps nothing of the one before it, in the chunk before."""
    chunk: list[tuple[int, str, str]] = []
    size = 0
    for length, key, word in _coded(keys):
        if chunk and size + len(word) + 1 > LEX_BYTES:
            yield chunk
            chunk, size = [], 0
            word = SHARES[0] + key
        chunk.append((length, key, word))
        size += len(word) + 1
    if chunk:
        yield chunk


def chunk_path(kind: str, n: int) -> str:
    """Where chunk n of lexicon `kind` lives: `search/lex/f-12.js`."""
    return f"search/lex/{kind}-{n}.js"


def lexdir_path(kind: str, g: int) -> str:
    """Where directory g of lexicon `kind` lives, the first keys of its chunks g * LEX_DIR_CHUNKS on:
    `search/lex/f-d0.js`."""
    return f"search/lex/{kind}-d{g}.js"


def lexicon_files(terms: Iterable[str], manifest: dict) -> Iterator[tuple[str, str]]:
    """Both lexicons' chunks and directories; `manifest` receives "lex", each lexicon's directories' first keys,
    chunks' count and longest term's length (in code units: a wildcard term's range is every length up to it),
    and "lexDirChunks"."""
    terms = list(terms)
    manifest["lexDirChunks"] = LEX_DIR_CHUNKS
    manifest["lex"] = {}
    for kind in KINDS:
        firsts: list[list] = []
        keys = lexicon_keys(terms, kind)
        for n, chunk in enumerate(chunks(keys)):
            firsts.append([chunk[0][0], chunk[0][1]])
            yield chunk_path(kind, n), f"cablesiteSearch.lex({js(kind)},{n},{js(_payload(chunk))});\n"
        for g, start in enumerate(range(0, len(firsts), LEX_DIR_CHUNKS)):
            yield lexdir_path(kind, g), f"cablesiteSearch.lexdir({js(kind)},{g},{js(firsts[start:start + LEX_DIR_CHUNKS])});\n"
        manifest["lex"][kind] = {"dirs": firsts[::LEX_DIR_CHUNKS], "chunks": len(firsts), "longest": keys[-1][0] if keys else 0}
