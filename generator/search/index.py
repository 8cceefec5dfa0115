"""A fast builder of Lunr indexes: the same pipeline (lunr.py's tokenizer, trimmer, stop words, stemmer) and
the same BM25 field vectors as lunr.py's Builder, with each token's pipeline result cached. The result is
kept as postings so it can be split into parts; `to_lunr()` gives what lunr.js's `Index.load` reads."""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from lunr import __TARGET_JS_VERSION__, get_default_builder
from lunr.tokenizer import Tokenizer

K1, B = 1.2, 0.75


@dataclass
class BuiltIndex:
    """Terms in first-seen order with their postings: term -> field -> [(doc number, score)]."""

    fields: list[str]
    boosts: dict[str, float]
    terms: dict[str, int]  # term -> its _index (order of first appearance, as lunr numbers them)
    postings: dict[str, dict[str, list[tuple[int, float]]]]
    doc_count: int
    doc_numbers: list[int]

    def to_lunr(self) -> dict:
        """The whole index in lunr.js's serialized form (for tests and small sites)."""
        inverted = []
        vectors: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for term in sorted(self.terms):
            entry: dict = {"_index": self.terms[term]}
            for f in self.fields:
                entry[f] = {}
                for doc, score in self.postings[term].get(f, ()):
                    entry[f][str(doc)] = {}
                    vectors[f"{f}/{doc}"].append((self.terms[term], score))
            inverted.append([term, entry])
        for doc in self.doc_numbers:  # lunr keeps a vector, empty or not, for every field of every document
            for f in self.fields:
                vectors.setdefault(f"{f}/{doc}", [])
        field_vectors = []
        for ref in self._vector_order(vectors):
            flat: list[float] = []
            for i, s in sorted(vectors[ref]):
                flat += [i, s]
            field_vectors.append([ref, flat])
        return {"version": __TARGET_JS_VERSION__, "fields": self.fields, "fieldVectors": field_vectors,
                "invertedIndex": inverted, "pipeline": ["stemmer"]}

    def _vector_order(self, vectors: dict) -> list[str]:
        def key(ref: str) -> tuple[int, int]:
            f, d = ref.split("/", 1)
            return int(d), self.fields.index(f)
        return sorted(vectors, key=key)


class FastBuilder:
    """Adds documents like lunr.py's Builder, caching the pipeline per distinct token."""

    def __init__(self, fields: list[tuple[str, float]]) -> None:
        self.fields = [f for f, _ in fields]
        self.boosts = dict(fields)
        self.pipeline = get_default_builder().pipeline  # lunr.py's trimmer, stop words, stemmer
        self.cache: dict[str, str | None] = {}
        self.terms: dict[str, int] = {}
        self.freqs: dict[str, list[tuple[int, dict[str, int], int]]] = {f: [] for f in self.fields}
        self.doc_count = 0
        self.doc_numbers: list[int] = []

    def _term(self, token) -> str | None:
        raw = str(token)
        hit = self.cache.get(raw, "")
        if hit != "":
            return hit
        out = self.pipeline.run([token])
        term = str(out[0]) if out else None
        self.cache[raw] = term
        return term

    def add(self, number: int, values: dict[str, str | list[str]]) -> None:
        """Add one document under its number, field by field in the builder's field order."""
        self.doc_count += 1
        self.doc_numbers.append(number)
        for f in self.fields:
            tf: dict[str, int] = {}
            length = 0
            for token in Tokenizer(values.get(f) or ""):
                term = self._term(token)
                if term is None:
                    continue
                length += 1
                tf[term] = tf.get(term, 0) + 1
                if term not in self.terms:
                    self.terms[term] = len(self.terms)
            self.freqs[f].append((number, tf, length))

    def build(self) -> BuiltIndex:
        """Compute BM25 scores exactly as lunr.py does and return the postings."""
        df: dict[str, int] = defaultdict(int)  # lunr counts a document once per field it has the term in
        for f in self.fields:
            for _, tf, _ in self.freqs[f]:
                for term in tf:
                    df[term] += 1
        idf = {t: math.log(1 + abs((self.doc_count - n + 0.5) / (n + 0.5))) for t, n in df.items()}
        postings: dict[str, dict[str, list[tuple[int, float]]]] = defaultdict(dict)
        for f in self.fields:
            rows = self.freqs[f]
            avg = (sum(length for _, _, length in rows) / len(rows)) if rows else 0
            boost = self.boosts[f]
            for number, tf, length in rows:
                norm = K1 * (1 - B + B * (length / avg)) if avg else K1 * (1 - B)
                for term, n in tf.items():
                    score = idf[term] * ((K1 + 1) * n) / (norm + n) * boost
                    postings[term].setdefault(f, []).append((number, round(score, 3)))
        return BuiltIndex(self.fields, self.boosts, self.terms, dict(postings), self.doc_count, self.doc_numbers)
