"""The built sample archive in Debian's Chromium, driven by Playwright, from file:// and over HTTP."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import ROOT, synthetic_csv
from generator.build import build

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.browser
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    build(ROOT / "content", out, jobs=1, quiet=True)
    return out


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: `make chromium` installs it")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    pg = context.new_page()
    pg.console_errors = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))  # type: ignore[attr-defined]
    yield pg
    context.close()


@pytest.fixture(scope="module")
def http_root(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_paragraph_link_from_file_highlights_and_scrolls(page, site):
    page.goto((site / "cable/2006/02/06MOSCOW1171.html").as_uri() + "#para-6")
    page.wait_for_load_state("load")
    assert page.evaluate("document.querySelector(':target').id") == "para-6"
    top = page.evaluate("document.getElementById('para-6').getBoundingClientRect().top")
    assert 0 <= top < 40, top
    bg6 = page.evaluate("getComputedStyle(document.getElementById('para-6')).backgroundColor")
    bg5 = page.evaluate("getComputedStyle(document.getElementById('para-5')).backgroundColor")
    assert bg6 != bg5
    assert "In separate meetings, Pavlov and Sheremet" in page.inner_text("#para-6")
    assert page.console_errors == []


def test_pilcrow_link_carries_the_paragraph_url(page, site):
    page.goto((site / "cable/2006/02/06MOSCOW1171.html").as_uri())
    href = page.eval_on_selector("#para-6 a.pilcrow", "a => a.href")
    assert href.endswith("/cable/2006/02/06MOSCOW1171.html#para-6")
    page.click("#para-6 a.pilcrow")
    assert page.evaluate("location.hash") == "#para-6"


def test_wikileaks_deep_link_lands_on_the_same_paragraph(page, site):
    page.goto((site / "cable/2006/02/06MOSCOW1171.html").as_uri() + "#par6")
    page.wait_for_load_state("load")
    top = page.evaluate("document.getElementById('para-6').getBoundingClientRect().top")
    assert 0 <= top < 40, top
    bg6 = page.evaluate("getComputedStyle(document.getElementById('para-6')).backgroundColor")
    bg5 = page.evaluate("getComputedStyle(document.getElementById('para-5')).backgroundColor")
    assert bg6 != bg5


@pytest.mark.parametrize("where", ["file", "http"])
def test_search_finds_and_lands_on_a_paragraph(page, site, http_root, where):
    start = (site / "index.html").as_uri() if where == "file" else http_root + "index.html"
    page.goto(start)
    page.fill("#site-search", "eurobond")
    page.press("#site-search", "Enter")
    page.wait_for_selector("#search-results li", timeout=10000)
    # the page lists the index's manifest, so it loads with the scripts instead of after search.js has run:
    # search.js waits on that script element and adds none of its own, and the manifest is fetched once
    # (resource timing is there over HTTP only; comparing its start with search.js's end failed once
    # search.js was small enough to arrive first)
    assert page.locator("script[data-search-key='manifest']").count() == 1
    assert page.evaluate("document.querySelector(\"script[data-search-key='manifest']\").hasAttribute('defer')")
    if where == "http":
        fetched = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        assert [u for u in fetched if u.endswith("search/manifest.js")] == [http_root + "search/manifest.js"], fetched
    first = page.locator("#search-results li").first
    assert "SUBPRIME MORTGAGE CRISIS" in first.inner_text()
    assert first.locator("mark").first.inner_text().lower().startswith("eurobond")
    first.locator("a.result-link").click()
    page.wait_for_load_state("load")
    assert "07MOSCOW4331.html#para-" in page.url
    target = page.evaluate("document.querySelector(':target').innerText")
    assert "eurobond" in target.lower()
    assert page.console_errors == []


def test_results_shown_as_their_records_arrive_keep_the_ranking(page, site):
    # each result goes in once its record and those above it have loaded: the order is still the ranking's
    page.goto((site / "search.html").as_uri() + "?q=belarus+election")
    page.wait_for_selector("body[data-search-done]", timeout=10000)
    shown = [t.split(" · ")[0] for t in page.locator("#search-results .meta-line").all_inner_texts()]
    ranked = page.evaluate("""() => cablesiteSearch.search("belarus election", {}, 10)
        .then(r => cablesiteSearch.loadDocs(r.results.map(x => Number(x.ref)))).then(ds => ds.map(d => d.id))""")
    assert len(shown) >= 3 and shown == ranked
    first, done = (int(page.evaluate(f"document.body.dataset.{k}")) for k in ("searchFirstMs", "searchMs"))
    assert 0 <= first <= done
    assert page.console_errors == []


def test_search_query_syntax_and_filters(page, site):
    base = (site / "search.html").as_uri()
    page.goto(base + "?q=06MOSCOW1171")
    page.wait_for_selector("body[data-search-done]", timeout=10000)
    assert page.evaluate("document.body.dataset.searchDone") == "results"
    assert "06MOSCOW1171" in page.locator("#search-results li").first.inner_text()
    page.goto(base + "?q=lukash*&from=2007&to=2007")
    page.wait_for_selector("body[data-search-done]", timeout=10000)
    ids = page.locator("#search-results .meta-line").all_inner_texts()
    assert ids and all("2007-" in x for x in ids)
    # a fuzzy term one edit away at its first letter: found through the lexicons, and its match highlighted
    page.goto(base + "?q=gozulin~1")
    page.wait_for_selector("body[data-search-done]", timeout=10000)
    first = page.locator("#search-results li").first
    assert "06MOSCOW1171" in first.inner_text()
    assert "kozulin" in [m.lower() for m in first.locator("mark").all_inner_texts()]
    assert "Fuzzy matches: gozulin~1: kozulin." in page.locator("#search-status").inner_text()
    # two edits, one at each end: a small archive's lexicon is read whole at those lengths, and Kozulin found
    page.goto(base + "?q=gozulim~2")
    page.wait_for_selector("body[data-search-done]", timeout=10000)
    assert "kozulin" in [m.lower() for m in page.locator("#search-results li").first.locator("mark").all_inner_texts()]
    assert "Fuzzy matches: gozulim~2: kozulin." in page.locator("#search-status").inner_text()
    # a wildcard led by its end, looked up in the reverse lexicon (it had loaded every part of the index)
    page.goto(base + "?q=*stan")
    page.wait_for_selector("body[data-search-done]", timeout=10000)
    first = page.locator("#search-results li").first
    assert "Afghanistan" in first.locator("mark").all_inner_texts()
    assert "Wildcard matches: *stan: afghanistan, kyrgyzstan." in page.locator("#search-status").inner_text()
    # a * alone would score every posting of the archive (at full size no answer in ten minutes): refused, saying why
    page.goto(base + "?q=belarus%20subject:*")
    page.wait_for_selector("body[data-search-done]", timeout=10000)
    assert page.evaluate("document.body.dataset.searchDone") == "error"
    assert "“*” stands for every word of every cable" in page.locator("#search-status").inner_text()
    page.goto(base + "?q=on~2")
    page.wait_for_selector("body[data-search-done]", timeout=10000)
    assert "“on~2” allows as many edits as it has letters" in page.locator("#search-status").inner_text()
    # a word that lunr.py's stemmer had stemmed otherwise than lunr.js's ("sergei"), so that it was found nowhere
    page.goto(base + "?q=Sergey%20Ivanov")
    page.wait_for_selector("body[data-search-done]", timeout=10000)
    first = page.locator("#search-results li").first
    assert "06MOSCOW1171" in first.inner_text()
    assert "Sergey" in first.locator("mark").all_inner_texts()
    page.goto(base + "?q=zzzqqq")
    page.wait_for_selector("body[data-search-done]", timeout=10000)
    assert page.evaluate("document.body.dataset.searchDone") == "none"
    assert "No cables match" in page.locator("#search-status").inner_text()
    assert page.locator("#search-results li").count() == 0
    page.goto(base + "?q=gas%5E")  # "gas^": a boost without a number
    page.wait_for_selector("body[data-search-done]", timeout=10000)
    assert page.evaluate("document.body.dataset.searchDone") == "error"
    assert page.locator("#search-status").inner_text().startswith("That query could not be read: boost must be numeric")


def test_tag_filter_finds_tags_that_are_stop_words(page, tmp_path):
    # in the tags field lunr's stop word filter drops "is", "in", "it", "no", "us"...: the country tags of Israel,
    # India, Italy, Norway and the United States. The tag filter looks tags up as facet tokens, which it keeps, and
    # which the stemmer leaves alone (else "tag_ks" and "tag_ke" would both be "tag_k": KE would find a KS cable)
    src = (ROOT / "tests/fixtures/real/07MOSCOW4331.telegram.txt").read_text()
    assert "TAGS: EFIN ECON RS" in src
    content = tmp_path / "content"
    (content / "cables").mkdir(parents=True)
    (content / "cables" / "tagged.txt").write_text(src.replace("TAGS: EFIN ECON RS", "TAGS: EFIN ECON RS IS IN KS", 1))
    out = tmp_path / "site"
    build(content, out, jobs=1, quiet=True)
    for tag in ("IS", "in", "RS"):
        page.goto((out / "search.html").as_uri() + f"?q=orlova&tag={tag}")
        page.wait_for_selector("body[data-search-done]", timeout=10000)
        assert page.evaluate("document.body.dataset.searchDone") == "results", tag
        assert "07MOSCOW4331" in page.locator("#search-results li").first.inner_text(), tag
    for tag in ("IT", "KE"):
        page.goto((out / "search.html").as_uri() + f"?q=orlova&tag={tag}")
        page.wait_for_selector("body[data-search-done]", timeout=10000)
        assert page.evaluate("document.body.dataset.searchDone") == "none", tag


def test_search_results_cannot_inject_markup(page, tmp_path):
    src = (ROOT / "tests/fixtures/real/07MOSCOW4331.telegram.txt").read_text()
    src = src.replace("SUBPRIME MORTGAGE CRISIS", '<img src=x onerror="document.title=1"> CRISIS', 1)
    src = src.replace("Natalya Orlova.", "Natalya Orlova <b>bold</b> eurobond.", 1)
    content = tmp_path / "content"
    (content / "cables").mkdir(parents=True)
    (content / "cables" / "hostile.txt").write_text(src)
    out = tmp_path / "site"
    build(content, out, jobs=1, quiet=True)
    page.goto((out / "search.html").as_uri() + "?q=orlova")
    page.wait_for_selector("body[data-search-done]", timeout=10000)
    item = page.locator("#search-results li").first
    assert "<img src=x" in item.inner_text() and "<b>bold</b>" in item.inner_text()
    assert page.locator("#search-results img, #search-results b").count() == 0
    assert page.title() != "1"


def test_ref_link_leads_to_the_cited_cable_which_lists_the_citing_one(page, tmp_path):
    from test_archive import citing_pair
    citing, cited = citing_pair(tmp_path)
    content = tmp_path / "content"
    (content / "cables").mkdir(parents=True)
    for f in (citing, cited):
        (content / "cables" / f.name).write_bytes(f.read_bytes())
    out = tmp_path / "site"
    build(content, out, jobs=1, quiet=True)
    page.goto((out / "cable/2007/05/07MOSCOW2199.html").as_uri())
    assert page.locator(".references .not-in-archive").inner_text() == "07STATE61739"
    page.click(".references a:text('07MOSCOW4331')")
    page.wait_for_load_state("load")
    assert page.url.endswith("cable/2007/09/07MOSCOW4331.html")
    cited_by = page.locator(".cited-by li")
    assert cited_by.count() == 1 and "07MOSCOW2199" in cited_by.inner_text()
    cited_by.locator("a").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("cable/2007/05/07MOSCOW2199.html")


def test_search_with_tiered_terms_from_file(page, site, tmp_path, monkeypatch):
    # one-cable first tiers: every term in two or more cables is tiered, so the page loads tier files with
    # <script> from file:// before it can show a page of results; it must show what the untiered site shows
    from generator.search import parts
    monkeypatch.setattr(parts, "TIER_FIRST", 1)
    monkeypatch.setattr(parts, "TIER_GROWTH", 1)
    out = tmp_path / "site"
    build(ROOT / "content", out, jobs=1, quiet=True)
    assert list((out / "search" / "tier").rglob("*.js"))

    def shown(root: Path, query: str, requested: list[str]) -> list[str]:
        page.on("request", lambda r: requested.append(r.url))
        page.goto((root / "search.html").as_uri() + query)
        page.wait_for_selector("body[data-search-done]", timeout=10000)
        return page.locator("#search-results .meta-line").all_inner_texts()

    for query in ("?q=belarus", "?q=lukashenko+election", "?q=belarus&class=confidential"):
        requested: list[str] = []
        tiered = shown(out, query, requested)
        assert any("/search/tier/" in u for u in requested), query
        assert tiered and tiered == shown(site, query, []), query
    assert all("CONFIDENTIAL" in t for t in tiered)
    assert page.console_errors == []


def test_search_with_cards_from_file(page, tmp_path, monkeypatch):
    # 800 synthetic cables in tiers of 20, 40, 80... cables, sliced, with cards from the third tier file on:
    # cables waiting on a deep tier load their cards with <script> from file://, and the page shows the
    # results a site without tiers shows
    from generator.search import cards, parts
    content = tmp_path / "content"
    synthetic_csv(content / "cables" / "cables.csv", 800)
    plain = tmp_path / "plain"
    monkeypatch.setattr(parts, "TIER_FIRST", 10**6)
    build(content, plain, jobs=1, quiet=True)
    monkeypatch.setattr(parts, "TIER_FIRST", 20)
    monkeypatch.setattr(parts, "TIER_GROWTH", 2)
    monkeypatch.setattr(parts, "SLICE_POSTINGS", 8)
    monkeypatch.setattr(cards, "CARD_TIER", 3)
    out = tmp_path / "site"
    build(content, out, jobs=1, quiet=True)
    assert list((out / "search" / "card").rglob("*.js")) and not (plain / "search" / "tier").exists()

    def shown(root: Path, query: str, requested: list[str]) -> list[str]:
        page.on("request", lambda r: requested.append(r.url))
        page.goto((root / "search.html").as_uri() + query)
        page.wait_for_selector("body[data-search-done]", timeout=10000)
        return page.locator("#search-results .meta-line").all_inner_texts()

    carded = []
    for query in ("financial country political", "lukashenko president private", "meeting election political",
                  "rate deputy ukraine", "embassy security official", "military election"):
        requested: list[str] = []
        with_cards = shown(out, "?q=" + query.replace(" ", "+"), requested)
        assert len(with_cards) == 10 and with_cards == shown(plain, "?q=" + query.replace(" ", "+"), []), query
        if any("/search/card/" in u for u in requested):
            carded.append(query)
    assert len(carded) >= 3, carded
    # results whose places are certain show before the rest of the page settles: their records are asked for
    # before index files the page still waits on, and the page ends as the site without tiers shows it
    early = []
    for query in ("bank*", "economic growth", "country russian party"):
        requested = []
        got = shown(out, "?q=" + quote(query), requested)
        assert len(got) == 10 and got == shown(plain, "?q=" + quote(query), []), query
        records = [i for i, u in enumerate(requested) if "/search/doc/" in u]
        index = [i for i, u in enumerate(requested) if "/search/tier/" in u or "/search/card/" in u]
        if records and index and records[0] < index[-1]:
            early.append(query)
    assert len(early) >= 2, early
    assert page.console_errors == []
