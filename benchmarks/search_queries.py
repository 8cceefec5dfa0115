"""What each of many cold queries loads of a built site's search index, in Node with lunr.js and search.js.

    python benchmarks/search_queries.py SITE [--queries "a,b c"] [--want 10] [--search-js FILE] [--json OUT]

By default 90 queries: the 13 heavy ones measured at full size, six wildcards, and 61 pairs and 10 triples of
38 common words, drawn with a fixed seed. Each runs in a fresh client (nothing cached from the query before),
and the script prints, per query, the bytes of the index files it loaded (manifest, directories and parts,
tiers, slices, members, cards and lexicons: not the page, its assets or the result records, which `search_compare.py` counts
in Chromium), also gzipped and by kind of file, the files, the time and the first ten results; then the
median, the largest and how many passed 400 and 500 KB.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ["banks subprime", "military cooperation", "embassy security", "government minister", "lukash*", "+gas -ukraine",
         "economic growth", "minist*", "military election", "embassy security official", "+embassy +security",
         "minister opposition", "economic opposition", "econ*", "polit*", "bank*", "elect*", "gov*", "secur*"]
WORDS = ("russian bank embassy belarus ambassador meeting credit loan lukashenko political economic election government "
         "military country official opposition market growth minister security cooperation gas ukraine financial "
         "interest rate president moscow subprime senior party business risk deputy private development rights").split()

NODE = r"""
const lunr = require(process.argv[2]);
const fs = require("fs"), path = require("path"), vm = require("vm"), zlib = require("zlib");
function kindOf(src) {
  if (src.endsWith("manifest.js")) return "manifest";
  if (src.includes("/part/") || src.includes("/dir/")) return "parts";
  if (src.endsWith("-m.js")) return "members";
  if (src.includes("/card/")) return "cards";
  if (src.includes("/lex/")) return "lexicons";
  return /\/[0-9]+-[0-9]+\.[0-9]+\.js$/.test(src) ? "slices" : "tiers";
}
const site = process.argv[3], searchJs = process.argv[4], queries = JSON.parse(fs.readFileSync(process.argv[5], "utf8"));
const want = Number(process.argv[6]);
(async () => {
  for (const q of queries) {
    const loaded = [];
    let bytes = 0, gzip = 0;
    const kinds = {manifest: 0, parts: 0, tiers: 0, slices: 0, members: 0, cards: 0, lexicons: 0};
    const ctx = {lunr, console, window: {}, Set, Map, Promise, Int8Array, Uint8Array, Float64Array, Math, JSON};
    const head = {appendChild(s) {  // search.js adds <script> elements: here each runs the file from the site
      setImmediate(() => {
        try {
          const text = fs.readFileSync(path.join(site, s.src), "utf8");
          bytes += Buffer.byteLength(text);
          kinds[kindOf(s.src)] += Buffer.byteLength(text);
          gzip += zlib.gzipSync(text).length;
          vm.runInContext(text, ctx);
          loaded.push(s.src);
        } catch (e) { return s.onerror(e); }
        s.onload();
      });
    }};
    ctx.document = {readyState: "complete", getElementById: () => null, querySelector: () => null, currentScript: null,
                    head, createElement: () => ({})};
    ctx.window.cablesiteSearch = {};
    ctx.cablesiteSearch = ctx.window.cablesiteSearch;
    vm.createContext(ctx);
    vm.runInContext(fs.readFileSync(searchJs, "utf8"), ctx);
    const t0 = Date.now();
    const r = await ctx.window.cablesiteSearch.search(q, {}, want);
    console.log(JSON.stringify({q, bytes, gzip, kinds, files: loaded.length, ms: Date.now() - t0, top: r.results.map(x => x.ref)}));
  }
})().catch(e => { console.error(e.stack); process.exit(1); });
"""


def default_queries() -> list[str]:
    """The 13 heavy queries, six wildcards, 61 pairs and 10 triples of common words (seed 7)."""
    rng = random.Random(7)
    queries, seen = list(HEAVY), set(HEAVY)
    while len(queries) < 80:
        q = " ".join(rng.sample(WORDS, 2))
        if q not in seen:
            seen.add(q)
            queries.append(q)
    queries += [" ".join(rng.sample(WORDS, 3)) for _ in range(10)]
    return queries


def fuzzy_queries() -> list[str]:
    """Fuzzy queries (`--fuzzy`): each of 12 common words one edit away (`word~1`), the same with its first letter
    changed, dropped or moved (whose matches start with other letters), two edits away (`word~2`), and two pairs."""
    out = []
    for w in ["embassy", "election", "lukashenko", "kozulin", "ministry", "subprime", "gazprom", "ukraine", "rate",
              "opposition", "security", "belarus"]:
        out += [f"{w}~1", f"x{w[1:]}~1", f"{w[1:]}~1", f"{w[1]}{w[0]}{w[2:]}~1", f"{w}~2"]
    return out + ["kozulin~1 belarus", "+lukashenko~1 opposition"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--queries", help="comma-separated (default: the 90 described above)")
    ap.add_argument("--fuzzy", action="store_true", help="run the 62 fuzzy queries of `fuzzy_queries` instead")
    ap.add_argument("--want", type=int, default=10, help="results the query must settle (a page)")
    ap.add_argument("--search-js", type=Path, help="the client to run (default: the site's own)")
    ap.add_argument("--json", type=Path, help="also write each query's figures here, one JSON line each")
    args = ap.parse_args()
    lunr_js = ROOT / "node_modules" / "lunr" / "lunr.js"
    if not shutil.which("node") or not lunr_js.is_file():
        raise SystemExit("needs Node.js and `npm ci` (node_modules/lunr)")
    search_js = args.search_js or next((args.site / "static").glob("search*.js"), None)
    if search_js is None:
        raise SystemExit(f"no static/search*.js in {args.site}")
    queries = args.queries.split(",") if args.queries else fuzzy_queries() if args.fuzzy else default_queries()
    with tempfile.TemporaryDirectory() as tmp:
        script, listed = Path(tmp) / "queries.js", Path(tmp) / "queries.json"
        script.write_text(NODE)
        listed.write_text(json.dumps(queries))
        out = subprocess.run(["node", str(script), str(lunr_js), str(args.site.resolve()), str(search_js.resolve()),
                              str(listed), str(args.want)], capture_output=True, text=True, check=True).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    for r in rows:
        k = r["kinds"]
        print(f"  {r['q']!r:42} {r['bytes'] / 1024:7.1f} KB (gzip {r['gzip'] / 1024:6.1f}; parts {k['parts'] / 1024:5.1f}, "
              f"tiers {k['tiers'] / 1024:5.1f}, slices {k['slices'] / 1024:5.1f}, members {k['members'] / 1024:4.1f}, "
              f"cards {k.get('cards', 0) / 1024:5.1f}, lexicons {k.get('lexicons', 0) / 1024:4.1f})  {r['files']:3d} files  {r['ms']:4d} ms  "
              f"{' '.join(r['top'])}")
    kb = [r["bytes"] / 1024 for r in rows]
    worst = max(rows, key=lambda r: r["bytes"])
    print(f"{len(rows)} queries, index files only: median {statistics.median(kb):.1f} KB, largest {max(kb):.1f} KB "
          f"({worst['q']!r}); over 400 KB: {sum(k > 400 for k in kb)}, over 500 KB: {sum(k > 500 for k in kb)}; "
          f"gzip median {statistics.median(r['gzip'] / 1024 for r in rows):.1f} KB, largest "
          f"{max(r['gzip'] for r in rows) / 1024:.1f} KB; files per query: median {statistics.median(r['files'] for r in rows):g}, largest {max(r['files'] for r in rows)}")
    if args.json:
        args.json.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
