"""Relative links between site paths: what every page's links are made of, from file:// and any host."""
from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from generator import urls

segment = st.sampled_from(["cable", "2006", "02", "tag", "date", "search", "a", "b"])
folder = st.lists(segment, max_size=4).map("/".join)
name = st.sampled_from(["index.html", "06MOSCOW1171.html", "PREL-2.html", "x.js"])


@given(folder, folder, name, name, st.sampled_from(["", "#para-6", "#par6"]))
def test_relative_agrees_with_posixpath(here: str, there: str, page: str, target: str, fragment: str) -> None:
    from_path = f"{here}/{page}" if here else page
    to_path = f"{there}/{target}" if there else target
    expected = posixpath.relpath(to_path, here or ".") + fragment
    assert urls.relative(from_path, to_path + fragment) == expected
    # and the link, followed from the page's folder, lands on the target
    assert posixpath.normpath(posixpath.join(here, urls.relative(from_path, to_path))) == posixpath.normpath(to_path)


def test_relative_real_paths() -> None:
    assert urls.relative("cable/2006/02/06MOSCOW1171.html", "cable/2006/02/06MOSCOW1172.html#para-6") == "06MOSCOW1172.html#para-6"
    assert urls.relative("cable/2006/02/06MOSCOW1171.html", "cable/2007/01/07KYIV1.html") == "../../2007/01/07KYIV1.html"
    assert urls.relative("tag/PREL.html", "index.html") == "../index.html"
    assert urls.relative("index.html", "tag/PREL.html") == "tag/PREL.html"
    assert urls.relative("cable/2006/02/06MOSCOW1171.html", "#para-3") == "06MOSCOW1171.html#para-3"
