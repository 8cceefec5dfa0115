"""The stemmer lunr.js 2.3.9 stems queries with, in Python: lunr.py's Porter stemmer with the three rules where
lunr.js's differs, so that the index holds the very terms a reader's query is stemmed to in the browser.

lunr.py's stemmer (Martin Porter's Python version) and lunr.js's (a JavaScript port with Porter2's rule for a final
y) disagree on 1 word in 100 of English: "money" was indexed as "monei" and searched as "money", so a search for
money, day, survey, played, Sergey or Andrey found nothing. The rules lunr.js follows (tests/test_search_index.py
checks 247,000 words, of the seeds, of Python's own sources and made up, against lunr.js in Node, which stems
UTF-16 code units: a character past U+FFFF is two letters to it, and so here):
- a final y becomes i after a letter other than a vowel that is not the word's first ("cry" -> "cri", "say" and
  "by" stay), where lunr.py turns it into i when the stem has a vowel ("say" -> "sai", "cry" stays);
- a suffix is removed only from a word that has a letter before it ("ies" and "sses" are left "ie" and "sse");
- "yy" is not a double consonant to drop a letter of ("yying" -> "yyi")."""
from __future__ import annotations

from lunr.pipeline import Pipeline
from lunr.stemmer import PorterStemmer
from lunr.token import Token

from generator.search.coding import code_units


class LunrJsStemmer(PorterStemmer):
    """lunr.py's Porter stemmer, with lunr.js's rules where the two differ."""

    def ends(self, s: str) -> int:
        """Whether the word ends with suffix s, with at least one letter before it (then j is the last letter
        before it)."""
        n = len(s)
        if n > self.k - self.k0 or self.b[self.k - n + 1:self.k + 1] != s:
            return 0
        self.j = self.k - n
        return 1

    def doublec(self, j: int) -> int:
        """Whether j-1 and j hold the same consonant, other than y."""
        return 0 if self.b[j] == "y" else super().doublec(j)

    def step1c(self) -> None:
        """A final y becomes i after a letter other than a vowel that is not the word's first."""
        if self.k - self.k0 >= 2 and self.b[self.k] == "y" and self.b[self.k - 1] not in "aeiou":
            self.b = self.b[: self.k] + "i" + self.b[self.k + 1:]


_STEMMER = LunrJsStemmer()


def stem(word: str) -> str:
    """The word as lunr.js's stemmer leaves it. It is stemmed as JavaScript sees it, in UTF-16 code units: a
    character past U+FFFF is two letters there ("out😀😀ed" has no double letter to drop)."""
    units = code_units(word)
    if units is word:
        return _STEMMER.stem(word)
    return _STEMMER.stem(units).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def stemmer(token: Token, i: int | None = None, tokens: list | None = None) -> Token:
    """lunr.js's stemmer as a function of a lunr.py pipeline."""
    return token.update(lambda word, metadata: stem(word))


Pipeline.register_function(stemmer, "stemmer-lunr-js")


def index_pipeline() -> Pipeline:
    """lunr's indexing pipeline (trimmer, stop word filter, stemmer), with the stemmer lunr.js stems queries with."""
    from lunr import get_default_builder
    from lunr.stemmer import stemmer as lunr_py_stemmer
    pipeline = get_default_builder().pipeline
    pipeline.after(lunr_py_stemmer, stemmer)
    pipeline.remove(lunr_py_stemmer)
    return pipeline
