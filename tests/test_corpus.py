"""Over the whole ../shared/corpus where it exists (it does in CI when the project's shared folder has it):
no exception, and no text lost in any cable."""
from __future__ import annotations

import pytest

from conftest import CORPUS
from generator.ingest import parse_file
from generator.sources import discover

pytestmark = pytest.mark.corpus


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} does not exist on this machine")
def test_whole_corpus_parses_without_exception_or_lost_text():
    files = discover(CORPUS)
    assert files, f"{CORPUS} is empty"
    problems, cables = [], 0
    for f in files:
        result = parse_file(f, str(f), audit=True)
        cables += len(result.cables)
        problems += [str(m) for m in result.messages if m.kind in ("internal-error", "text-lost")]
    assert cables > 0
    assert problems == [], f"{len(problems)} of {cables} cables: " + "\n".join(problems[:20])
