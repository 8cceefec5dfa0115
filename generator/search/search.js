// cablesite search: loads only the index parts a query needs (with <script> tags, so it works from file://
// and over HTTP) and, of a common term, only the tiers of its best documents that can change the page asked
// for. lunr.js parses the query, stems its terms and expands wildcards and fuzzy terms; scores are computed
// here exactly as lunr.js's Index#query computes them, over the loaded postings, and equal those of one
// lunr index over the whole archive (the BM25 weights were computed at build time over every cable).
(function () {
  "use strict";
  var S = (window.cablesiteSearch = window.cablesiteSearch || {});
  var PER_PAGE = 10;
  var manifest = null;
  var parts = {};
  var docs = {};
  var tiers = {};
  var continued = {};  // parts that open with a further entry of the previous part's last term (manifest)
  var firsts = [];  // each part's first term, as far as its directory is loaded (a directory's first: manifest)
  var dirsIn = {};  // directories loaded
  // Maps keyed by index terms have no prototype: a cable may hold the words "constructor" or "__proto__".
  function dict() { return Object.create(null); }
  var infoOf = dict();  // a tiered term's {n: documents with it, t: [[best sum, field, best score, ...], ...], m: slices}
  var deep = dict();  // how many of a term's tier files are loaded, from the first on
  var wholeOf = dict(), slicesOf = dict();  // per term: the tiers loaded whole {k: true}, and slices {k: {j: true}}
  var members = {};  // by term number: every cable with a tiered term, in any field (its members file, parts.py)
  var hasCard = {}, cardsOf = {};  // cables whose card is loaded; by term number, its postings from them (cards.py)
  var loads = 0;  // tier and slice files loaded so far (what is merged in `loaded` changes with it)
  var pending = {};
  var root = (function () {
    var src = (document.currentScript && document.currentScript.src) || "";
    return src.replace(/static\/search(\.[0-9a-f]+)?\.js(\?.*)?$/, "");
  })();

  function settle(key, ok) {
    var p = pending[key];
    if (p) { delete pending[key]; ok ? p.resolve() : p.reject(new Error("could not load " + key)); }
  }
  S.manifest = function (m) {
    manifest = m;
    (m.continued || []).forEach(function (n) { continued[n] = true; });
    m.dirs.forEach(function (t, g) { firsts[g * m.dirParts] = t; });
    ["f", "r"].forEach(function (kind) { m.lex[kind].dirs.forEach(function (k, g) { lexFirsts[kind][g * m.lexDirChunks] = k; }); });
    settle("manifest", true);
  };
  S.dir = function (g, list) {
    list.forEach(function (t, i) { firsts[g * manifest.dirParts + i] = t; });
    dirsIn[g] = true;
    settle("dir:" + g, true);
  };
  // The lexicons (lexicon.py): every term without its postings, as [length, key] in chunks sorted by length, then
  // by the term ("f") or the term read backwards ("r"), listed in directories as parts are.
  var lexFirsts = { f: [], r: [] }, lexDirsIn = { f: [], r: [] }, lexChunks = { f: [], r: [] };
  var SHARES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  S.lexdir = function (kind, g, list) {
    list.forEach(function (k, i) { lexFirsts[kind][g * manifest.lexDirChunks + i] = k; });
    lexDirsIn[kind][g] = true;
    settle("lexdir:" + kind + g, true);
  };
  S.lex = function (kind, n, data) {  // [length, its keys front-coded: what each keeps of the one before, ...]
    var keys = [];
    for (var j = 0; j + 1 < data.length; j += 2) {
      var prev = "";
      data[j + 1].split(" ").forEach(function (w) {
        prev = prev.slice(0, SHARES.indexOf(w.charAt(0))) + w.slice(1);
        keys.push([data[j], prev]);
      });
    }
    lexChunks[kind][n] = keys;
    settle("lex:" + kind + n, true);
  };
  S.part = function (n, data) {
    data.forEach(function (e) {
      var last = e[e.length - 1];
      if (e.length % 2 === 1 && last && !Array.isArray(last)) infoOf[e[0]] = { index: e[1], n: last.n, t: last.t, m: last.m || [] };
    });
    parts[n] = data;
    settle("part:" + n, true);
  };
  // A tier file holds, per field, [field, postings, first document, k, document gaps after it, distinct scores, k,
  // each score's place] with the numbers Rice-coded in base-64 digits (parts.py, tier_payload); made back here
  // into [field, flat, ...].
  // A long table of scores comes as [lowest, how many, k, each one less the lowest, Rice-coded] (parts.py, _table).
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", DIGIT = new Int8Array(128);
  for (var di = 0; di < DIGITS.length; di++) DIGIT[DIGITS.charCodeAt(di)] = di;
  function unrice(text, n, k) {  // n numbers, each in unary (its value >> k) then its k low bits, 6 bits a digit
    var out = new Array(n), pos = 0, acc = 0, left = 0, scale = Math.pow(2, k);
    for (var m = 0; m < n; m++) {
      var q = 0, r = 0, b;
      for (;;) {
        if (!left) { acc = DIGIT[text.charCodeAt(pos++)]; left = 6; }
        if ((acc >> --left) & 1) q++; else break;
      }
      for (b = 0; b < k; b++) {
        if (!left) { acc = DIGIT[text.charCodeAt(pos++)]; left = 6; }
        r = r * 2 + ((acc >> --left) & 1);
      }
      out[m] = q * scale + r;
    }
    return out;
  }
  function ungapped(n, first, k, digits) {  // n cables' distances from the one before: [first, k, gaps] (parts.py)
    var gaps = unrice(digits, Math.max(0, n - 1), k), out = new Array(n);
    for (var i = 0; i < n; i++) out[i] = i ? gaps[i - 1] + 1 : first;
    return out;
  }
  function readTier(data) {
    var out = [];
    for (var j = 0; j + 7 < data.length; j += 8) {
      var n = data[j + 1], deltas = ungapped(n, data[j + 2], data[j + 3], data[j + 4]), table = data[j + 5];
      var places = unrice(data[j + 7], n, data[j + 6]);
      if (typeof table[table.length - 1] === "string") table = unrice(table[3], table[1], table[2]).map(function (v) { return v + table[0]; });
      var flat = new Array(2 * n);
      for (var i = 0; i < n; i++) { flat[2 * i] = deltas[i]; flat[2 * i + 1] = table[places[i]]; }
      out.push(data[j], flat);
    }
    return out;
  }
  S.tier = function (n, data) { tiers[n] = readTier(data); settle("tier:" + n, true); };
  S.members = function (n, data) {  // [how many, first cable, k, the gaps after it, Rice-coded]
    var out = ungapped(data[0], data[1], data[2], data[3]);
    for (var i = 1; i < out.length; i++) out[i] += out[i - 1];
    members[n] = out;
    settle("members:" + n, true);
  };
  // A cable's card: its postings in every term's tier files from manifest.cards on (counted from 0), as [how
  // many terms, their numbers as [first, k, the gaps after it less one] (`ungapped`), the field most postings
  // are in, k, per term its fields (a bit each, 0 for that field alone), k, per term its tier less manifest.cards,
  // k, per posting its distance below the highest score of its field in those tiers], Rice-coded (cards.py).
  S.card = function (n, data) {
    var nt = data[0];
    if (nt) {
      var deltas = ungapped(nt, data[1], data[2], data[3]), codes = unrice(data[6], nt, data[5]), offsets = unrice(data[8], nt, data[7]);
      var masks = [], many = 0, i, b;
      for (i = 0; i < nt; i++) { masks.push(codes[i] || 1 << data[4]); for (b = masks[i]; b; b &= b - 1) many++; }
      var below = unrice(data[10], many, data[9]), r = 0, term = 0;
      for (i = 0; i < nt; i++) {
        term += deltas[i];
        var list = cardsOf[term] || (cardsOf[term] = []);
        for (var f = 0; 1 << f <= masks[i]; f++) if (masks[i] & 1 << f) list.push([n, manifest.cards + offsets[i], f, below[r++]]);
      }
    }
    hasCard[n] = true;
    loads++;
    settle("card:" + n, true);
  };
  S.readTier = readTier;  // for the tests
  S.doc = function (n, d) { docs[n] = d; settle("doc:" + n, true); };

  function load(key, path, have) {
    if (have()) return Promise.resolve();
    if (pending[key]) return pending[key].promise;
    var entry = {};
    entry.promise = new Promise(function (resolve, reject) { entry.resolve = resolve; entry.reject = reject; });
    pending[key] = entry;
    // the search page lists the manifest itself (deferred, after this script), so that it loads with the page
    var s = document.querySelector("script[data-search-key='" + key + "']"), listed = !!s;
    if (!listed) {
      s = document.createElement("script");
      s.src = root + path;
      s.async = true;
    }
    s.onerror = function () { settle(key, false); };
    s.onload = function () { if (!have()) settle(key, false); };
    if (!listed) document.head.appendChild(s);
    return entry.promise;
  }
  function loadManifest() { return load("manifest", "search/manifest.js", function () { return manifest !== null; }); }
  function loadDir(g) { return load("dir:" + g, "search/dir/" + g + ".js", function () { return !!dirsIn[g]; }); }
  function loadLexDir(kg) {
    var kind = kg[0], g = kg[1];
    return load("lexdir:" + kind + g, "search/lex/" + kind + "-d" + g + ".js", function () { return !!lexDirsIn[kind][g]; });
  }
  function loadLex(kn) {
    var kind = kn[0], n = kn[1];
    return load("lex:" + kind + n, "search/lex/" + kind + "-" + n + ".js", function () { return !!lexChunks[kind][n]; });
  }
  function loadPart(n) { return load("part:" + n, "search/part/" + n + ".js", function () { return parts[n] !== undefined; }); }
  function loadMembers(term) {
    var n = tierInfo(term).index, dir = Math.floor(n / manifest.docsPerDir);
    return load("members:" + n, "search/tier/" + dir + "/" + n + "-m.js", function () { return members[n] !== undefined; });
  }
  function membersOf(term) { var info = tierInfo(term); return info ? members[info.index] || null : null; }
  function loadTier(name) {  // "term number-k"
    var dir = Math.floor(Number(name.split("-")[0]) / manifest.docsPerDir);
    return load("tier:" + name, "search/tier/" + dir + "/" + name + ".js", function () { return tiers[name] !== undefined; });
  }
  function loadCard(n) {
    var dir = Math.floor(n / manifest.docsPerDir);
    return load("card:" + n, "search/card/" + dir + "/" + n + ".js", function () { return !!hasCard[n]; });
  }
  function loadDoc(n) {
    var dir = Math.floor(n / manifest.docsPerDir);
    return load("doc:" + n, "search/doc/" + dir + "/" + n + ".js", function () { return docs[n] !== undefined; });
  }

  var stemmer = new lunr.Pipeline();
  stemmer.add(lunr.stemmer);
  function stem(word) { var out = stemmer.runString(word); return out.length ? out[0] : word; }

  // The last i from lo to hi for which atMost(i) holds, atMost holding for a first run of them: lo - 1 if none
  function lastWhere(lo, hi, atMost) {
    var ans = lo - 1;
    while (lo <= hi) { var mid = (lo + hi) >> 1; if (atMost(mid)) { ans = mid; lo = mid + 1; } else hi = mid - 1; }
    return ans;
  }
  // The last directory, or part, whose first term is <= term (below: < term): -1 if none. Parts are searched
  // within the directory found, which must be loaded; the part after a directory's last is the next one's first.
  function lastDir(term, below) {
    var a = manifest.dirs;
    return lastWhere(0, a.length - 1, function (i) { return below ? a[i] < term : a[i] <= term; });
  }
  function lastPart(term, below) {
    var g = lastDir(term, below);
    if (g < 0) return -1;
    var lo = g * manifest.dirParts, hi = Math.min(manifest.parts, lo + manifest.dirParts) - 1;
    return Math.max(lo, lastWhere(lo, hi, function (i) { return below ? firsts[i] < term : firsts[i] <= term; }));
  }
  function partOf(term) { return Math.max(0, lastPart(term, false)); }  // the last part whose first term is <= term
  function firstPartFor(term) {  // the first part that can hold `term`: a term with several entries spans parts
    var ans = lastPart(term, true);
    // a term that opens a part starts there, unless that part goes on with the term from the part before
    // (the term that did not fit the part before often is a long one, that of a common word)
    if (ans + 1 < manifest.parts && firsts[ans + 1] === term && !continued[ans + 1]) return ans + 1;
    return Math.max(0, ans);
  }
  // The directories that list the parts of the terms from lo to hi
  function dirsBetween(lo, hi) {
    var out = [];
    if (manifest.parts) for (var g = Math.max(0, lastDir(lo, true)); g <= Math.max(0, lastDir(hi, false)); g++) out.push(g);
    return out;
  }
  function partsBetween(lo, hi, into) {  // (an archive of no cables has no part)
    if (manifest.parts) for (var i = firstPartFor(lo); i <= partOf(hi); i++) into[i] = true;
  }

  // What a query asks for: lunr's own parser gives the clauses; each clause needs the parts its terms can be in,
  // from the first term to the last that it may stand for (`ranges`); a fuzzy term's, those of its matches,
  // which the lexicons tell (`lexiconWords`), as they tell a wildcard term's whose end is longer than its start
  // ("*stan", "k*stan": the parts of every term would be its range).
  function plan(q) {
    var query = new lunr.Query(manifest.fields);
    new lunr.QueryParser(q, query).parse();
    var ranges = [], terms = [], looked = [];
    query.clauses.forEach(function (c) {
      var t = c.term, prohibited = c.presence === lunr.Query.presence.PROHIBITED;
      if (t.indexOf("*") >= 0 && !c.editDistance) {  // (a fuzzy term's "*" is a character: lunr.TokenSet.fromClause)
        if (t.replace(/\*/g, "") === "") throw tooBroad(t, "");
        var wild = wildcardTerm(t, prohibited);
        if (wild.suffix || wild.scan) looked.push(wild);
        else ranges.push([wild.prefix, wild.prefix + "\uffff"]);
        terms.push(wild);
      } else {
        var s = c.usePipeline === false ? t : stem(t), entry = { term: s, prohibited: prohibited };
        if (c.editDistance) {
          if (c.editDistance >= s.length) throw tooBroad(t + "~" + c.editDistance, "as many edits as it has letters");
          entry.fuzzy = c.editDistance;
          looked.push(entry);
        } else ranges.push([s, s]);
        terms.push(entry);
      }
    });
    return { ranges: ranges, terms: terms, looked: looked };
  }
  // A term of "*" alone stands for every term of the index, and a fuzzy term with as many edits as letters for
  // every term of up to that many letters and most a few letters longer: lunr would score most postings of the
  // archive (at full size, in Node, "*" had not answered after 14 minutes, holding 5.9 GB of memory; "subject:*",
  // "ab~3" and "gas~3" not after 120 s; "on~2" took 19 s and 9.5 MB), so the query is refused, with a message the
  // page shows.
  function tooBroad(t, fuzzy) {
    var err = new Error(fuzzy ? "“" + t + "” allows " + fuzzy + ", so it matches almost every short word: allow fewer (kozulin~1)."
      : "“" + t + "” stands for every word of every cable: add letters to it (lukash*, *stan).");
    err.name = "QueryTooBroad";
    return err;
  }
  // A wildcard term: its pattern, what comes before its first "*" and, where the lexicons are to find its matches,
  // what comes after its last (`suffix`), or, for one that starts and ends with "*" around some characters
  // ("*stan*"), that the forward lexicon is to be read at every length it can have (`scan`: about a seventh of the
  // bytes of every part, which its range would be). `like` tells the terms it matches, as lunr.TokenSet.fromString
  // reads it ("*" stands for any characters, none too).
  function wildcardTerm(pattern, prohibited) {
    var pieces = pattern.split("*"), prefix = pieces[0], suffix = pieces[pieces.length - 1];
    var like = new RegExp("^" + pieces.map(function (x) { return x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("[\\s\\S]*") + "$");
    return { pattern: pattern, prefix: prefix, suffix: suffix.length > prefix.length ? suffix : null,
             scan: !prefix && !suffix && pattern.replace(/\*/g, "") !== "", like: like, prohibited: prohibited };
  }
  S.wildcardTerm = wildcardTerm;  // for the tests

  // Where a term within d edits of `term` (n characters) may be, as [lexicon, length, start of its key]: it is
  // n - d to n + d long, and an edit at position p keeps term[:p] and term[p + 2:], so with a = (n - 1) >> 1 a
  // term one edit away starts with term[:a] or ends with term[a + 1:]. With d edits, a term whose edits all lie
  // after term[:a] or all before term[s:] (a = n / (d + 1), s = n - a) is found; one with edits near both ends
  // is not (`wholeLengths` finds it where the lexicon is small), as finding it would take every term's middle
  // (lexicon.py, docs/architecture.md). A "*" in a fuzzy term matches any one character (lunr.TokenSet's
  // intersect), so such a term's range is every term of each length.
  function lexRanges(term, d) {
    var n = term.length, a = d === 1 ? (n - 1) >> 1 : Math.floor(n / (d + 1)), s = d === 1 ? a + 1 : Math.max(a + 1, n - a);
    if (term.indexOf("*") >= 0) a = 0;
    var out = [], back = backwards(term.slice(s));
    for (var len = Math.max(1, n - d); len <= n + d; len++) {
      out.push(["f", len, term.slice(0, a)]);
      if (a > 0) out.push(["r", len, back]);  // (else the forward range is every term of the length)
    }
    return out.filter(function (r) { return manifest.lex[r[0]].chunks > 0; });
  }
  // A wildcard term's matches are at least as long as its characters other than "*", and end with its suffix: the
  // reverse lexicon's range of that ending, for every length up to the longest term's; without one (`scan`), every
  // term of those lengths in the forward lexicon.
  function wildcardRanges(w) {
    var out = [], kind = w.suffix ? "r" : "f", key = w.suffix ? backwards(w.suffix) : "", lex = manifest.lex[kind];
    for (var len = Math.max(1, w.pattern.replace(/\*/g, "").length); len <= lex.longest && lex.chunks > 0; len++) out.push([kind, len, key]);
    return out;
  }
  function backwards(s) { return s.split("").reverse().join(""); }  // by UTF-16 code units, as lexicon.py reverses
  function keyBefore(a, b, orEqual) { return a[0] !== b[0] ? a[0] < b[0] : orEqual ? a[1] <= b[1] : a[1] < b[1]; }
  function lastLexDir(kind, key) {  // the last directory, or chunk, whose first key is <= key: -1 if none
    var a = manifest.lex[kind].dirs;
    return lastWhere(0, a.length - 1, function (i) { return keyBefore(a[i], key, true); });
  }
  function lastLexChunk(kind, key) {
    var g = Math.max(0, lastLexDir(kind, key)), lo = g * manifest.lexDirChunks;
    var hi = Math.min(manifest.lex[kind].chunks, lo + manifest.lexDirChunks) - 1;
    return Math.max(lo, lastWhere(lo, hi, function (i) { return keyBefore(lexFirsts[kind][i], key, true); }));
  }
  function between(r, last) {  // [lexicon, number] of each directory or chunk from the range's first key to its last
    var out = [];
    for (var i = Math.max(0, last(r[0], [r[1], r[2]])); i <= Math.max(0, last(r[0], [r[1], r[2] + "\uffff"])); i++) out.push([r[0], i]);
    return out;
  }
  // Loads the lexicons' ranges of the fuzzy terms and of the wildcard terms looked up there, and gives each its
  // matches (`words`), as lunr.js's fuzzy automaton or wildcard picks them among every term of the index (lunr.TokenSet).
  // A term two or more edits away may have its edits near both ends, where its first and last characters'
  // ranges miss it: every term of its lengths is read instead when they take at most WHOLE_LENGTHS_AT_MOST chunks
  // (about 4 KB each) of the forward lexicon, as in a small archive (docs/architecture.md); else the ranges are read,
  // and the term is marked `partial` (the page says what was not looked for).
  var WHOLE_LENGTHS_AT_MOST = 24;
  function wholeLengths(t) {
    var out = [];
    for (var len = Math.max(1, t.term.length - t.fuzzy); len <= t.term.length + t.fuzzy; len++) out.push(["f", len, ""]);
    return out;
  }
  function lexiconWords(looked) {
    function all(ranges, last, loader) {
      var seen = dict(), out = [];
      ranges.forEach(function (r) { between(r, last).forEach(function (x) { if (!seen[x]) { seen[x] = true; out.push(loader(x)); } }); });
      return Promise.all(out);
    }
    function chunksIn(ranges) {
      var seen = dict();
      ranges.forEach(function (r) { between(r, lastLexChunk).forEach(function (x) { seen[x] = true; }); });
      return Object.keys(seen).length;
    }
    // the terms two or more edits away (one with "*" reads every term of its lengths already), each with its whole
    // lengths; the directories of those tell how many chunks they take, unless they span a whole directory
    // (LEX_DIR_CHUNKS chunks, more than WHOLE_LENGTHS_AT_MOST)
    var wide = looked.filter(function (t) {
      if (!(t.fuzzy >= 2) || t.term.indexOf("*") >= 0 || !manifest.lex.f.chunks) return false;
      t.whole = wholeLengths(t);
      return true;
    });
    var counted = wide.filter(function (t) {
      var last = t.whole[t.whole.length - 1][1];
      return lastLexDir("f", [last, "\uffff"]) - Math.max(0, lastLexDir("f", [t.whole[0][1], ""])) < 2;
    });
    return all([].concat.apply([], counted.map(function (t) { return t.whole; })), lastLexDir, loadLexDir).then(function () {
      var ranges = [];
      looked.forEach(function (t) {
        if (counted.indexOf(t) >= 0 && chunksIn(t.whole) <= WHOLE_LENGTHS_AT_MOST) t.lexRanges = t.whole;
        else {
          t.lexRanges = t.fuzzy ? lexRanges(t.term, t.fuzzy) : wildcardRanges(t);
          t.partial = wide.indexOf(t) >= 0;
        }
        ranges = ranges.concat(t.lexRanges);
      });
      return all(ranges, lastLexDir, loadLexDir).then(function () { return all(ranges, lastLexChunk, loadLex); });
    }).then(function () {
      looked.forEach(function (t) {
        var found = dict();
        t.lexRanges.forEach(function (r) {
          between(r, lastLexChunk).forEach(function (x) {
            lexChunks[x[0]][x[1]].forEach(function (k) {
              if (k[0] === r[1] && k[1].lastIndexOf(r[2], 0) === 0) found[r[0] === "f" ? k[1] : backwards(k[1])] = true;
            });
          });
        });
        var words = Object.keys(found).sort();
        var automaton = t.fuzzy ? lunr.TokenSet.fromFuzzyString(t.term, t.fuzzy) : lunr.TokenSet.fromString(t.pattern);
        t.words = words.length ? lunr.TokenSet.fromArray(words).intersect(automaton).toArray() : [];
      });
    });
  }

  // A common term's best postings are in its part; the rest wait in tier files, best first (see parts.py).
  function tierInfo(term) { return infoOf[term] || null; }
  function tierName(info, i) { return info.index + "-" + (i + 1); }
  // A large tier is also cut by document number into slices (parts.py, slice_plan): info.m[i] is [slices, first
  // document, width], slice j holding the documents numbered from first + j * width on. The scores of a few
  // documents are found in their slices, without loading the whole tier; a document outside the range is in
  // none of them (-1), so not in the tier.
  function sliceOf(info, i, doc) {
    var plan = info.m[i], j = Math.floor((doc - plan[1]) / plan[2]);
    return j >= 0 && j < plan[0] ? j : -1;
  }
  function hasWhole(term, i) { return !!(wholeOf[term] && wholeOf[term][i]); }
  function hasSlice(term, i, j) {  // loaded, or known to hold nothing of the term (-1: outside the tier's range)
    return j < 0 || hasWhole(term, i) || !!(slicesOf[term] && slicesOf[term][i] && slicesOf[term][i][j]);
  }
  function covered(term, i, doc) {  // is what tier i of the term holds of the document loaded, the tier or its slice?
    var info = tierInfo(term);
    return hasWhole(term, i) || !!(info.m[i] && hasSlice(term, i, sliceOf(info, i, doc)));
  }
  function inCards(i) { return manifest.cards !== null && manifest.cards !== undefined && i >= manifest.cards; }
  function mayHoldAt(term, i, doc) {  // may tier i of the term hold the document, for all that is loaded of it?
    return !covered(term, i, doc) && !(inCards(i) && hasCard[doc]);
  }
  function highestInCards(info, fno) {  // the field's highest score in the tiers that cards hold (times 1000)
    var high = 0;
    for (var i = manifest.cards; i < info.t.length; i++) {
      for (var j = 1; j < info.t[i].length; j += 2) if (info.t[i][j] === fno) high = Math.max(high, info.t[i][j + 1]);
    }
    return high;
  }
  function tierDone(term, i) {  // loaded whole or slice by slice
    var plan = tierInfo(term).m[i], s = slicesOf[term] && slicesOf[term][i];
    return hasWhole(term, i) || (!!plan && !!s && Object.keys(s).length === plan[0]);
  }
  function noteLoaded(term) {
    var info = tierInfo(term), d = deep[term] || 0;
    while (d < info.t.length && tierDone(term, d)) d++;
    deep[term] = d;
    loads++;
  }
  function loadWhole(term, i) {
    return loadTier(tierName(tierInfo(term), i)).then(function () {
      (wholeOf[term] = wholeOf[term] || dict())[i] = true;
      noteLoaded(term);
    });
  }
  function loadSlice(term, i, j) {
    return loadTier(tierName(tierInfo(term), i) + "." + j).then(function () {
      var s = slicesOf[term] = slicesOf[term] || dict();
      (s[i] = s[i] || dict())[j] = true;
      noteLoaded(term);
    });
  }
  function loadNextTier(term) {
    var info = tierInfo(term), d = deep[term] || 0;
    if (!info || d >= info.t.length) return Promise.resolve();
    return loadWhole(term, d);
  }
  function loadAllTiers(term) {
    var info = tierInfo(term), todo = [];
    if (!info) return Promise.resolve();
    for (var i = deep[term] || 0; i < info.t.length; i++) if (!tierDone(term, i)) todo.push(loadWhole(term, i));
    return Promise.all(todo);
  }
  function complete(term) { var info = tierInfo(term); return !info || (deep[term] || 0) >= info.t.length; }
  function eachPosting(term, flatPairs) {  // flatPairs(fno, flat) for the term's loaded tiers and slices
    var info = tierInfo(term);
    function each(t) { for (var k = 0; k + 1 < t.length; k += 2) flatPairs(t[k], t[k + 1]); }
    if (info) for (var i = 0; i < info.t.length; i++) {
      if (hasWhole(term, i)) each(tiers[tierName(info, i)]);
      else if (slicesOf[term] && slicesOf[term][i]) Object.keys(slicesOf[term][i]).forEach(function (j) { each(tiers[tierName(info, i) + "." + j]); });
    }
    // a card's postings, less those its tier or slice, also loaded, holds
    var highest = [];  // by field, the best score in the tiers that cards hold
    if (info && cardsOf[info.index]) cardsOf[info.index].forEach(function (c) {
      if (highest[c[2]] === undefined) highest[c[2]] = highestInCards(info, c[2]);
      if (!covered(term, c[1], c[0])) flatPairs(c[2], [c[0], highest[c[2]] - c[3]]);
    });
  }

  // What is loaded of the parts a query needs: each term's number and its postings per field, as parallel
  // arrays of documents and scores (its part entries and loaded tiers merged), and lunr's TokenSet of the
  // terms, which expands wildcard and fuzzy terms as lunr.js does.
  var loadedCache = { key: null };
  function loaded(partNos) {
    partNos = partNos.slice().sort(function (a, b) { return a - b; });
    var key = partNos.join(",") + "|" + loads;
    if (loadedCache.key === key) return loadedCache;
    var terms = dict(), chunks = dict(), nf = manifest.fields.length;
    function add(t, fno, flat) { (chunks[t][fno] = chunks[t][fno] || []).push(decoded(flat)); }
    partNos.forEach(function (n) {
      parts[n].forEach(function (e) {
        if (!terms[e[0]]) {  // a term cut into several entries appears once, its postings merged
          terms[e[0]] = { index: e[1], docs: new Array(nf), scores: new Array(nf) };
          chunks[e[0]] = [];
          eachPosting(e[0], function (fno, flat) { add(e[0], fno, flat); });
        }
        for (var k = 2; k + 1 < e.length; k += 2) add(e[0], e[k], e[k + 1]);
      });
    });
    for (var t in terms) chunks[t].forEach(function (list, fno) {
      var docs = list[0].docs, scores = list[0].scores;
      if (list.length > 1) {
        var n = 0, at = 0;
        list.forEach(function (c) { n += c.docs.length; });
        docs = new Int32Array(n); scores = new Float64Array(n);
        list.forEach(function (c) { docs.set(c.docs, at); scores.set(c.scores, at); at += c.docs.length; });
      }
      terms[t].docs[fno] = docs; terms[t].scores[fno] = scores;
    });
    loadedCache = { key: key, terms: terms, set: null };
    return loadedCache;
  }
  // A list of postings as index files hold them, [document gap, score × 1000, ...], as typed arrays of documents
  // and scores, made once for each list loaded (made again every round, they were half of a heavy query's
  // garbage at full size)
  var decodedOf = new WeakMap();
  function decoded(flat) {
    var out = decodedOf.get(flat);
    if (out) return out;
    var n = flat.length >> 1, docs = new Int32Array(n), scores = new Float64Array(n);
    for (var j = 0, doc = 0; j < n; j++) { doc += flat[2 * j]; docs[j] = doc; scores[j] = flat[2 * j + 1] / 1000; }
    out = { docs: docs, scores: scores };
    decodedOf.set(flat, out);
    return out;
  }

  // The loaded terms a clause's term stands for, as lunr.js finds them in its TokenSet. A plain term
  // stands for itself, and building the TokenSet of every loaded term cost a query 10 to 20 ms, so it is
  // built only for wildcard and fuzzy terms.
  function expand(idx, c) {
    if (!c.editDistance && c.term.indexOf("*") < 0) return idx.terms[c.term] ? [c.term] : [];
    if (!idx.set) idx.set = lunr.TokenSet.fromArray(Object.keys(idx.terms).sort());
    return idx.set.intersect(lunr.TokenSet.fromClause(c)).toArray();
  }

  // The query as lunr.js 2.3.9's Index#query reads it, clause by clause: per field, each matched term's
  // weight in the query vector (boosts summed) and the vector's length; the sets of documents required and
  // prohibited. Terms are expanded against the loaded terms, as lunr expands them against its own.
  var P = lunr.Query.presence;
  // A set of document numbers, marked in an array as long as the archive is: Sets of the tens of thousands of
  // cables a common required or prohibited term holds took each round of a query 50 to 60 ms at full size.
  function DocSet() { this.mark = new Uint8Array(manifest.docs); this.list = []; }
  DocSet.prototype.add = function (d) { if (!this.mark[d]) { this.mark[d] = 1; this.list.push(d); } };
  DocSet.prototype.has = function (d) { return this.mark[d] === 1; };
  DocSet.prototype.and = function (other) {  // a new set of the documents in both
    var a = this.list.length <= other.list.length ? this : other, b = a === this ? other : this, out = new DocSet();
    for (var i = 0; i < a.list.length; i++) if (b.mark[a.list[i]]) out.add(a.list[i]);
    return out;
  };
  function inIndexOrder(idx, weights) {  // a field's query terms in term-number order, as lunr's vectors hold them
    return Object.keys(weights).sort(function (a, b) { return idx.terms[a].index - idx.terms[b].index; });
  }
  function readQuery(idx, q) {
    var query = new lunr.Query(manifest.fields);
    new lunr.QueryParser(q, query).parse();
    var fields = manifest.fields, qv = {}, mags = {}, banned = dict(), required = {}, allProhibited = new DocSet(), anyRequired = false;
    var clauses = [];  // each required clause: its terms, and the documents loaded with them in its fields
    // per field, the place of each term in the order lunr.js first matches (clause, expanded term, field): a
    // document's score adds its fields' scores in the order they were first matched (`score`)
    var firstAt = {}, place = 0;
    fields.forEach(function (f) { qv[f] = dict(); firstAt[f] = dict(); });
    query.clauses.forEach(function (clause) {
      var clauseMatches = new DocSet(), clauseTerms = [];
      if (clause.presence === P.REQUIRED) {
        anyRequired = true;
        clauses.push({ terms: clauseTerms, matches: clauseMatches });
      }
      var terms = clause.usePipeline ? stemmer.runString(clause.term, { fields: clause.fields }) : [clause.term];
      for (var m = 0; m < terms.length; m++) {
        var c = {};
        for (var k in clause) c[k] = clause[k];
        c.term = terms[m];
        var expanded = expand(idx, c);
        if (!expanded.length && clause.presence === P.REQUIRED) {
          clause.fields.forEach(function (f) { required[f] = new DocSet(); });
          break;
        }
        expanded.forEach(function (t) {
          var posting = idx.terms[t];
          clauseTerms.push(t);
          if (clause.presence === P.PROHIBITED) {  // a document shown must not be in any posting
            banned[t] = banned[t] || clause.fields.length === fields.length;  // true: in any field (its members say)
            var all = banned[t] && membersOf(t);
            if (all) for (var a = 0; a < all.length; a++) allProhibited.add(all[a]);
          }
          clause.fields.forEach(function (f) {
            var docs = posting.docs[fields.indexOf(f)] || [];
            var i;
            if (clause.presence === P.REQUIRED) {
              for (i = 0; i < docs.length; i++) clauseMatches.add(docs[i]);
              if (required[f] === undefined) required[f] = null;  // null: every document
            }
            if (clause.presence === P.PROHIBITED) {
              for (i = 0; i < docs.length; i++) allProhibited.add(docs[i]);
              return;
            }
            qv[f][t] = (qv[f][t] || 0) + clause.boost;
            if (firstAt[f][t] === undefined) firstAt[f][t] = place;
            place++;
          });
        });
      }
      if (clause.presence === P.REQUIRED) {
        clause.fields.forEach(function (f) {
          var r = required[f];
          required[f] = r === null ? clauseMatches : r.and(clauseMatches);
        });
      }
    });
    var allRequired = null;
    fields.forEach(function (f) {
      if (required[f] !== undefined && required[f] !== null && required[f] !== allRequired) {
        allRequired = allRequired === null ? required[f] : allRequired.and(required[f]);
      }
    });
    fields.forEach(function (f) {
      var s = 0;
      inIndexOrder(idx, qv[f]).forEach(function (t) { s += qv[f][t] * qv[f][t]; });
      mags[f] = Math.sqrt(s);
    });
    var negated = query.clauses.length > 0 && query.clauses.every(function (c) { return c.presence === P.PROHIBITED; });
    return { qv: qv, mags: mags, banned: Object.keys(banned), anyField: banned, required: anyRequired, allRequired: allRequired,
             clauses: clauses, allProhibited: allProhibited, negated: negated, firstAt: firstAt };
  }

  // lunr.js's score of every matching document from what is loaded: per field, the dot product of the query
  // vector with the document's field vector over the query vector's length, summed over fields. Products
  // are added in term-number order, as lunr's Vector#dot adds them.
  // Sums are kept in arrays indexed by document number, with the list of documents they hold (Maps took a
  // common two-word query at full size 100 ms and more); each sum is added up in the same order as before.
  var sums = null;
  // Adds a term's postings in one field, times its query weight, to the documents' sums in `acc`; a document
  // met for the first time is listed in `touched` (from `nt` on). `at` is the term's place in lunr's order of
  // matches in this field, and `first` keeps each document's earliest. Given `only`, adds only the documents
  // marked 2 in it. Returns how many `touched` then holds.
  // (A plain function over typed arrays: with the loop in a closure and growing lists, scoring "meeting election
  // political" at full size took 124 to 140 ms over its rounds in Node, against 56 to 61 ms.)
  function addPostings(docs, scores, qw, acc, inAcc, touched, nt, first, at, only) {
    for (var i = 0; i < docs.length; i++) {
      var d = docs[i];
      if (only !== null && only[d] !== 2) continue;
      if (inAcc[d] === 0) { inAcc[d] = 1; acc[d] = 0; first[d] = at; touched[nt++] = d; }
      else if (at < first[d]) first[d] = at;
      acc[d] += qw * scores[i];
    }
    return nt;
  }
  // A document's score added up over its fields in the order lunr.js first matched them (`firstAt`): the same
  // sum in field order may differ in its last bit, and so break a tie otherwise. (A randomized check on 800
  // cables: "mosc* embassy" ranked two tied cables otherwise than one index. Each has "moscow" in its subject and
  // body and "embassy" in its origin, so lunr.js adds subject, body, origin; in field order their sums differed.)
  // Only documents of three fields or more first matched out of field order can differ: their fields' scores are
  // found again here, in a second pass of `addPostings` that adds up theirs alone. (Keeping every document's field
  // scores for this made the 90 benchmark queries a third slower in Node at full size.)
  function inMatchOrder(idx, w, list, mark, total) {  // mark[doc] is 2 for the documents of `list`
    var fields = manifest.fields, acc = sums.acc, inAcc = sums.inAcc, first = sums.first, touched = sums.touched, of = dict();
    for (var fno = 0; fno < fields.length; fno++) {
      var f = fields[fno], mag = w.mags[f], nt = 0;
      var terms = inIndexOrder(idx, w.qv[f]);
      for (var t = 0; t < terms.length; t++) {
        var posting = idx.terms[terms[t]];
        if (posting.docs[fno]) nt = addPostings(posting.docs[fno], posting.scores[fno], w.qv[f][terms[t]], acc, inAcc, touched, nt, first, w.firstAt[f][terms[t]], mark);
      }
      for (var j = 0; j < nt; j++) {
        var doc = touched[j];
        (of[doc] = of[doc] || []).push([first[doc], mag ? acc[doc] / mag : 0]);
        inAcc[doc] = 0;
      }
    }
    list.forEach(function (doc) {
      var s = 0;
      of[doc].sort(function (a, b) { return a[0] - b[0]; }).forEach(function (p) { s += p[1]; });
      total[doc] = s;
    });
  }
  function score(idx, w) {
    var fields = manifest.fields, n = manifest.docs;
    if (!sums) {
      sums = { total: new Float64Array(n), acc: new Float64Array(n), inTotal: new Uint8Array(n), inAcc: new Uint8Array(n),
               touched: new Int32Array(n), seen: new Int32Array(n),
               // per document: its first place in lunr's order of matches in the field at hand, the latest of
               // those summed, its fields so far, and 1 once a field was first matched before one summed
               first: new Int32Array(n), latest: new Int32Array(n), count: new Uint8Array(n), unordered: new Uint8Array(n) };
    }
    var total = sums.total, acc = sums.acc, inTotal = sums.inTotal, inAcc = sums.inAcc, touched = sums.touched;
    var seen = sums.seen, ns = 0, first = sums.first, latest = sums.latest, count = sums.count, unordered = sums.unordered;
    var reorder = [];
    for (var fno = 0; fno < fields.length; fno++) {
      var f = fields[fno], mag = w.mags[f], nt = 0;
      var terms = inIndexOrder(idx, w.qv[f]);
      for (var t = 0; t < terms.length; t++) {
        var posting = idx.terms[terms[t]];
        if (posting.docs[fno]) nt = addPostings(posting.docs[fno], posting.scores[fno], w.qv[f][terms[t]], acc, inAcc, touched, nt, first, w.firstAt[f][terms[t]], null);
      }
      for (var j = 0; j < nt; j++) {
        var doc = touched[j], at = first[doc];
        if (inTotal[doc] === 0) { inTotal[doc] = 1; total[doc] = 0; seen[ns++] = doc; count[doc] = 1; unordered[doc] = 0; latest[doc] = at; }
        else {
          count[doc]++;
          if (at < latest[doc]) unordered[doc] = 1;
          else latest[doc] = at;
        }
        total[doc] += mag ? acc[doc] / mag : 0;
        inAcc[doc] = 0;
      }
    }
    // (a sum of two fields is the same in either order)
    for (var u = 0; u < ns; u++) if (unordered[seen[u]] && count[seen[u]] >= 3) { unordered[seen[u]] = 2; reorder.push(seen[u]); }
    if (reorder.length) inMatchOrder(idx, w, reorder, unordered, total);
    if (w.negated) for (var d = 0; d < n; d++) if (!inTotal[d]) { inTotal[d] = 1; total[d] = 0; seen[ns++] = d; }
    var results = [], maybe = [];  // maybe: not (yet) loaded with every required clause; both document numbers
    for (var k = 0; k < ns; k++) {
      var doc2 = seen[k];
      inTotal[doc2] = 0;
      if (w.allProhibited.has(doc2)) continue;
      (w.allRequired !== null && !w.allRequired.has(doc2) ? maybe : results).push(doc2);
    }
    // (an object a result, as before, was a third of the garbage of a query of common words at full size)
    return { results: results, maybe: maybe, scoreOf: total };  // scoreOf[doc] until the next round's scores
  }

  // The query's terms whose documents are not all loaded, each with the most it can still add to the score
  // of a cable it was not seen with: its weight in the query vector of each field (over the vector's length)
  // times the best unloaded score in that field, and at most the largest weight times the best unloaded sum
  // over fields (documents are tiered by that sum). `c` holds for any cable; `upTo(doc)` for one cable, whose
  // slices of the next tiers may be loaded already (it is then in none of them: it would have been seen).
  function openTerms(idx, w) {
    var open = [], terms = dict();
    manifest.fields.forEach(function (f) { Object.keys(w.qv[f]).forEach(function (t) { terms[t] = true; }); });
    Object.keys(terms).forEach(function (t) {
      var info = tierInfo(t), d = deep[t] || 0;
      if (!info || d >= info.t.length) return;
      var weights = [], most = 0, seen = new Uint8Array(manifest.docs);  // seen by document number: 1 if loaded with t
      manifest.fields.forEach(function (f, fno) {
        var a = w.qv[f][t] && w.mags[f] ? w.qv[f][t] / w.mags[f] : 0;
        most = Math.max(most, a);
        weights[fno] = a;
        var docs = idx.terms[t].docs[fno] || [];
        for (var i = 0; i < docs.length; i++) seen[docs[i]] = 1;
      });
      var cAt = [];  // cAt[i - d]: the most tier i and those after it can add (0 past the last)
      for (var i = d; i <= info.t.length; i++) {
        var b = info.t[i], byField = 0;
        if (b) for (var j = 1; j < b.length; j += 2) byField += (weights[b[j]] || 0) * b[j + 1] / 1000;
        cAt.push(b ? Math.min(byField, most * b[0] / 1000) : 0);
      }
      // A tier's bound holds for its own cables: tiers are ranked by the sum of a cable's scores over fields, so
      // where a field-restricted clause weighs fields apart ("subject:bank body:market bank") a deeper tier may
      // hold a cable that gains more. What tier i and those after it can add is the largest of their bounds.
      for (var k = cAt.length - 2; k >= 0; k--) cAt[k] = Math.max(cAt[k], cAt[k + 1]);
      function depthOf(doc) {  // the first tier that may hold the cable: d, or past the slices loaded without it
        var i = d;
        while (i < info.t.length && !mayHoldAt(t, i, doc)) i++;
        return i;
      }
      open.push({ t: t, c: cAt[0], seen: seen, depthOf: depthOf, upTo: function (doc) { return cAt[depthOf(doc) - d]; } });
    });
    return open;
  }

  // What to load for the cables in the way that were not seen with an open term: of each cable, the tier that
  // may hold it next (or, with `every`, each tier that may hold it), its slice when the tier is cut in slices
  // and no more than SLICES_AT_MOST of them are wanted (a few cables' scores, mostly), else the whole tier.
  // Given `cards` (a set), a cable waiting on a sliced tier that cards hold goes into it instead: its card holds
  // its postings in all of them. Returns promises' makers.
  // Since format 8 a tier's slices hold about 1.1 times its bytes. Of 90 queries at full size, 0.7 instead of
  // half cut the median by 14 KB and none by less than nothing, for three more files; 0.8 gave the same bytes
  // in more files, and loading slices up to the whole tier cost more bytes (a later round needing the rest).
  var SLICES_AT_MOST = 0.7;
  function forCables(t, docs, every, cards) {
    var info = tierInfo(t), wanted = dict(), out = [];
    docs.forEach(function (doc) {
      for (var i = deep[t] || 0; i < info.t.length; i++) {
        if (!mayHoldAt(t, i, doc)) continue;
        // (a card holds all the deeper tiers too; a tier too small to slice costs less whole)
        if (cards && inCards(i) && info.m[i]) { cards[doc] = true; break; }
        (wanted[i] = wanted[i] || dict())[info.m[i] ? sliceOf(info, i, doc) : -1] = true;
        if (!every) break;
      }
    });
    Object.keys(wanted).forEach(function (key) {
      var i = Number(key), js = Object.keys(wanted[i]).map(Number);
      if (!info.m[i] || js.length > SLICES_AT_MOST * info.m[i][0]) out.push(function () { return loadWhole(t, i); });
      else js.forEach(function (j) { out.push(function () { return loadSlice(t, i, j); }); });
    });
    return out;
  }

  // What to load to know that none of the first results, `top`, holds a prohibited term: of a term excluded
  // in every field, its members file (every cable with it, without scores: at full size "+military election
  // -ukraine" took 485.9 KB of index files with "ukraine"'s slices, 372.3 KB with its members, 41.9 KB). Else (or
  // when the query only excludes, and so its results are the first cables by number, which few slices hold),
  // every tier or slice that may hold one of the results: a cable is shown once those are loaded without it;
  // a term in most cables is loaded whole (or its members), as most results would go, round after round.
  // (Checking more results at once, as many as should leave `want` once the term's share of cables is taken
  // out, cost more bytes at full size.)
  function unbanned(w, top) {
    var out = [], docs = top.map(function (r) { return r.doc; });
    w.banned.forEach(function (t) {
      if (complete(t) || (w.anyField[t] && membersOf(t))) return;
      var most = tierInfo(t).n > manifest.docs / 2;
      // (only a term with sliced tiers has members: smaller tiers cost little whole)
      if (w.anyField[t] && tierInfo(t).m.length && (most || !w.negated)) out.push(function () { return loadMembers(t); });
      else if (most) out.push(function () { return loadAllTiers(t); });
      else out = out.concat(forCables(t, docs, true, null));
    });
    return out;
  }

  // A bound is a sum in another order than the score it bounds, and may differ from it in the last bits: a
  // cable whose bound comes within EPS of a score may still tie it or pass it
  var EPS = 1e-9;
  // Are the first `want` results, ranked by what is loaded, the first `want` of the whole index? A result's
  // score can still grow by the best unloaded score of each term it was not yet seen with; a cable not seen at
  // all can reach the sum of them. Returns what must be loaded, as functions that load it (none: settled): the
  // next tier of every open term while too few results are in or an unseen cable could still reach the last
  // of the first `want`; otherwise, of the terms that the results in the way were not seen with, the tiers or
  // slices that may hold them (`forCables`). (At full size, "banks subprime"
  // was held up only by cables whose "bank" score was unknown; loading "subprim"'s tiers too cost 313 KB.)
  function unsettled(open, w, results, maybe, scoreOf, want) {
    if (!open.length) return [];
    var unseen = 0, all = open.map(function (o) { return function () { return loadNextTier(o.t); }; }), openOf = dict();
    all.unseen = true;  // the first results are far from known yet
    open.forEach(function (o) { openOf[o.t] = o; });
    // A required clause's terms are tiered too: a cable not loaded with one of them may still be in a tier of
    // it not loaded yet, and so match. A cable not seen at all can match only if every required clause has
    // such a term; one seen may still match every clause it was not loaded with.
    function mayHold(t, doc) { var o = openOf[t]; return !!o && !o.seen[doc] && o.depthOf(doc) < tierInfo(t).t.length; }
    var unseenMayMatch = w.clauses.every(function (c) { return c.terms.some(function (t) { return openOf[t]; }); });
    function mayMatch(doc) {
      return w.clauses.every(function (c) { return c.matches.has(doc) || c.terms.some(function (t) { return mayHold(t, doc); }); });
    }
    if (unseenMayMatch) open.forEach(function (o) { unseen += o.c; });
    var k = Math.min(want, results.length);
    if (results.length < want && (unseenMayMatch || maybe.some(mayMatch))) return all;
    if (!k) return [];
    function up(doc) { var u = scoreOf[doc]; for (var j = 0; j < open.length; j++) if (!open[j].seen[doc]) u += open[j].upTo(doc); return u; }
    function roughUp(doc) { var u = scoreOf[doc]; for (var j = 0; j < open.length; j++) if (!open[j].seen[doc]) u += open[j].c; return u; }
    // results are not sorted (only the settled ones are, once). A result below the first k is in the way if it
    // could pass the k-th; the i-th of the first k, if it could pass the one before it.
    // r could pass s, or tie it (and go first if its number is lower, as byScore ranks ties)
    var high = -Infinity;  // the most that any cable below the first k can reach (for surePrefix)
    function passesLast(doc) {  // passes(doc, top[k - 1]), noting how high the cable can reach
      if (!(roughUp(doc) > floor)) return false;
      var u = up(doc);
      if (u > high) high = u;
      return u > floor;
    }
    function passes(doc, s) { return roughUp(doc) > s.score - EPS && up(doc) > s.score - EPS; }  // (roughUp >= up, and quicker)
    var top = firstOf(results, scoreOf, k), waiting = open.map(function () { return []; }), inTop = new Set();
    top.forEach(function (r) { inTop.add(r.doc); });
    if (unseenMayMatch && unseen > top[k - 1].score - EPS) return all;
    function inTheWay(doc) { open.forEach(function (o, j) { if (!o.seen[doc]) waiting[j].push(doc); }); }
    // (most results are far below the k-th even with every open term's most added: those are passed over at once)
    var most = 0, floor = top[k - 1].score - EPS;
    open.forEach(function (o) { most += o.c; });
    for (var r = 0; r < results.length; r++) {
      var d = results[r];
      if (scoreOf[d] + most > floor && !inTop.has(d) && passesLast(d)) inTheWay(d);
    }
    for (var m = 0; m < maybe.length; m++) if (passesLast(maybe[m]) && mayMatch(maybe[m])) inTheWay(maybe[m]);
    for (var i = 1; i < k; i++) if (passes(top[i].doc, top[i - 1])) inTheWay(top[i].doc);
    var more = forWaiting(open, waiting);
    more.sure = surePrefix(top, high, up, unseenMayMatch ? unseen : 0, w);
    return more;
  }

  // What to load for the cables waiting on each open term (`forCables`): the cards of those waiting on tiers
  // that cards hold, as long as they are at most CARDS_AT_MOST; else, of the term most of them wait on, its tiers
  // or slices, and of the other terms, this round, only what is not in cards (the tier may settle them).
  // A card costs about 370 bytes, but a request: in Chromium here about 3.4 ms. At full size, loading every card
  // wanted took "lukashenko president private" 402 files and 2.1 s; with 100 at most a round, the 9 heaviest
  // queries took 954 ms at most, and the 90 benchmark queries' largest 108 files (docs/benchmarks.md, session 19).
  var CARDS_AT_MOST = 100;
  function forWaiting(open, waiting) {
    var cards = open.map(function () { return dict(); }), all = dict();
    var out = open.map(function (o, j) { return forCables(o.t, waiting[j], false, cards[j]); });
    cards.forEach(function (c) { for (var doc in c) all[doc] = true; });
    var docs = Object.keys(all);
    if (docs.length <= CARDS_AT_MOST) return [].concat.apply(docs.map(function (doc) { return function () { return loadCard(Number(doc)); }; }), out);
    var most = 0;
    cards.forEach(function (c, j) { if (Object.keys(c).length > Object.keys(cards[most]).length) most = j; });
    out[most] = forCables(open[most].t, waiting[most], false, null);
    return [].concat.apply([], out);
  }

  // The first results whose places are certain, whatever is still to load (a score can only grow): neither a
  // cable below the first k (`high`: the most any of them can reach), nor an unseen one, nor a result after it
  // can reach the result's score. Their records can be loaded and shown while the rest settles.
  function surePrefix(top, high, up, unseen, w) {
    if (w.banned.length || w.negated) return [];
    var out = [], after = top.map(function (t) { return up(t.doc); });  // after[j]: the most a result after j-1 can reach
    for (var i = after.length - 2; i >= 0; i--) after[i] = Math.max(after[i], after[i + 1]);
    for (var j = 0; j < top.length; j++) {
      var s = top[j].score - EPS;
      if (unseen > s || high > s || (j + 1 < top.length && after[j + 1] > s)) break;
      out.push(top[j].doc);
    }
    return out;
  }
  function byScore(a, b) { return b.score - a.score || a.doc - b.doc; }
  function firstOf(results, scoreOf, k) {  // the first k results byScore, in order, without sorting them all
    var top = [];
    for (var i = 0; i < results.length; i++) {
      var d = results[i], s = scoreOf[d], last = top[k - 1];
      if (top.length === k && !(s > last.score || (s === last.score && d < last.doc))) continue;
      var r = { doc: d, score: s };
      var j = top.length === k ? k - 1 : top.length;
      while (j > 0 && byScore(r, top[j - 1]) < 0) { top[j] = top[j - 1]; j--; }
      top[j] = r;
    }
    return top;
  }

  // How many cables match: exact once every posting of the query's terms is loaded, else estimated from each
  // term's document count as if terms were independent. While a prohibited term is not wholly loaded, some
  // of the results may still hold it: the count is an estimate, at least the `shown` results known to match.
  function count(idx, w, results, exact, filtered, shown) {
    var N = manifest.docs, kept = 1;
    w.banned.forEach(function (t) {
      var info = tierInfo(t), known = new Set();
      if (!info || complete(t) || (w.anyField[t] && membersOf(t))) return;
      idx.terms[t].docs.forEach(function (docs) { (docs || []).forEach(function (d) { known.add(d); }); });
      kept *= 1 - Math.min(1, Math.max(0, info.n - known.size) / Math.max(1, N - known.size));
    });
    var c;
    if (exact) c = { total: results.length, kind: "exact" };
    else if (filtered || w.required) c = { total: results.length, kind: "atLeast" };
    else {
      var none = 1, terms = dict();
      manifest.fields.forEach(function (f) { Object.keys(w.qv[f]).forEach(function (t) { terms[t] = true; }); });
      Object.keys(terms).forEach(function (t) { var info = tierInfo(t); if (info) none *= 1 - Math.min(1, info.n / N); });
      c = { total: Math.max(results.length, Math.round(N * (1 - none))), kind: "about" };
    }
    if (kept < 1) c = { total: Math.max(shown, Math.round(c.total * kept)), kind: "about" };
    return c;
  }

  // Documents whose `field` holds `token` (filters use these sets; the term's tiers are loaded first).
  function docsWith(field, token) {
    var s = stem(token), fno = manifest.fields.indexOf(field), out = new Set();
    function collect(f, flat) {
      if (f !== fno) return;
      for (var j = 0, doc = 0; j < flat.length; j += 2) { doc += flat[j]; out.add(doc); }
    }
    for (var n = firstPartFor(s); n <= partOf(s); n++) {
      (parts[n] || []).forEach(function (e) {
        if (e[0] !== s) return;
        for (var k = 2; k + 1 < e.length; k += 2) collect(e[k], e[k + 1]);
      });
    }
    eachPosting(s, collect);
    return out;
  }
  // A tag's facet token, as documents.py's tag_token makes it: "tag_is_" (in the tags field, lunr's stop word
  // filter drops "is", "in", "it", "no", "us"... country tags included; the last "_" keeps the stemmer off it).
  function tagToken(tag) {
    return "tag_" + tag.trim().toLowerCase().replace(/[^\p{L}\p{N}]/gu, "_").replace(/_+/g, "_").replace(/^_|_$/g, "") + "_";
  }
  function facetFor(list, name) {
    if (!name) return null;
    var want = name.trim().toLowerCase();
    for (var i = 0; i < list.length; i++) if (list[i][0].toLowerCase() === want) return list[i][1];
    return "none_" + want.replace(/\W+/g, "_");
  }

  // Run a query with filters until its first `want` results are certain; resolves to
  // {results (the first `want`, filtered, in order), terms, total, kind}. Given `onSure`, calls it with the
  // first results (their numbers, as strings, and the query's terms) as soon as their places are certain,
  // after starting to load their records: a query of common words often knows its first result rounds early.
  S.search = function (q, filters, want, onSure) {
    filters = filters || {};
    want = want || PER_PAGE;
    var p;
    return loadManifest().then(function () {
      p = plan(q);
      return lexiconWords(p.looked);
    }).then(function () {
      p.looked.forEach(function (t) { t.words.forEach(function (w) { p.ranges.push([w, w]); }); });
      var facets = [];
      var cls = facetFor(manifest.classifications, filters.classification);
      var org = facetFor(manifest.origins, filters.origin);
      if (cls) facets.push(["facet", cls]);
      if (org) facets.push(["facet", org]);
      if (filters.tag) facets.push(["facet", tagToken(filters.tag)]);
      var filterRanges = facets.map(function (f) { var t = stem(f[1]); return [t, t]; }), dirs = {};
      p.ranges.concat(filterRanges).forEach(function (r) { dirsBetween(r[0], r[1]).forEach(function (g) { dirs[g] = true; }); });
      var lo = 0, hi = manifest.docs - 1;
      if (filters.from || filters.to) {
        var years = Object.keys(manifest.years).sort();
        var from = String(filters.from || years[0] || ""), to = String(filters.to || years[years.length - 1] || "");
        lo = Infinity; hi = -Infinity;
        years.forEach(function (y) {
          if (y >= from && y <= to) { lo = Math.min(lo, manifest.years[y][0]); hi = Math.max(hi, manifest.years[y][1]); }
        });
      }
      var filtered = facets.length > 0 || lo > 0 || hi < manifest.docs - 1;
      function round() {
        var idx = loaded(p.parts), w = readQuery(idx, q);
        var whole = facets.map(function (f) { return stem(f[1]); }).filter(function (t) { return !complete(t); });
        if (whole.length) return Promise.all(whole.map(loadAllTiers)).then(round);
        var sets = facets.map(function (f) { return docsWith(f[0], f[1]); });
        var scored = score(idx, w), results = scored.results, maybe = scored.maybe;
        if (filtered) {
          var kept = function (n) {
            if (n < lo || n > hi) return false;
            return sets.every(function (s) { return s.has(n); });
          };
          results = results.filter(kept);
          maybe = maybe.filter(kept);
        }
        var open = openTerms(idx, w), more = unsettled(open, w, results, maybe, scored.scoreOf, want);
        // only the first `want` are shown: sorting every match took a common word 100 to 200 ms at full size
        var top = firstOf(results, scored.scoreOf, want);
        // the first results must be known to hold no prohibited term: checked once only a few cables' scores
        // keep the order open, beside loading those (a round apiece took "+military election -ukraine" at
        // full size 413 ms in Node against 217, for 42 KB more)
        if (onSure && more.sure && more.sure.length) {
          // their records go first, before this round's index files take the browser's connections
          more.sure.forEach(function (n) { loadDoc(n).catch(function () {}); });
          onSure(more.sure.map(String), p.terms);
        }
        if (!more.unseen) more = more.concat(unbanned(w, top));
        if (more.length) return Promise.all(more.map(function (load) { return load(); })).then(round);
        var c = count(idx, w, results, !open.length, filtered, top.length);
        top.forEach(function (r) { r.ref = String(r.doc); });
        return { results: top, terms: p.terms, total: c.total, kind: c.kind };
      }
      return Promise.all(Object.keys(dirs).map(function (g) { return loadDir(Number(g)); })).then(function () {
        var need = {};
        p.ranges.forEach(function (r) { partsBetween(r[0], r[1], need); });
        p.parts = Object.keys(need).map(Number);  // the query's parts; the filters' are loaded too
        filterRanges.forEach(function (r) { partsBetween(r[0], r[1], need); });
        return Promise.all(Object.keys(need).map(function (n) { return loadPart(Number(n)); }));
      }).then(round);
    });
  };
  S.loadDocs = function (numbers) {
    return loadManifest().then(function () { return Promise.all(numbers.map(loadDoc)); }).then(function () {
      return numbers.map(function (n) { return docs[n]; });
    });
  };

  // A word as lunr.py's trimmer, which made the index's terms, leaves it: its run of letters, digits and _ when
  // only other characters are around it, else the whole word ("u.s." stays). lunr.js's trimmer cuts what is not
  // an ASCII letter or digit from both ends, so that "Élysée" was looked for as "lyse" and never highlighted.
  var WORD_CHARS = /^[^\p{L}\p{N}_]*?([\p{L}\p{N}_]+)[^\p{L}\p{N}_]*?$/u;
  function trimmed(word) { var m = WORD_CHARS.exec(word); return m ? m[1] : word; }

  // What the query's fuzzy terms, and wildcard terms looked up in the lexicons, stood for (the words, stemmed, as
  // the index holds them): " Fuzzy matches: kozulin~1: kazulin, kozulin. Wildcard matches: *stan: afghanistan." A
  // reader sees what a misspelling was taken for, and why "*ization" finds nothing (the index holds "organ").
  function matchNote(terms) {
    var fuzzy = [], wild = [];
    terms.forEach(function (t) {
      if (t.prohibited || !t.words) return;
      var sorted = t.words.slice().sort();
      var words = sorted.slice(0, 12).join(", ") + (sorted.length > 12 ? " and " + (sorted.length - 12) + " more" : "");
      if (t.fuzzy) fuzzy.push(t.term + "~" + t.fuzzy + ": " + (words || "none") + (t.partial ? " (not counting words changed at both ends, which an archive this large does not look for)" : ""));
      else wild.push(t.pattern + ": " + (words || "none"));
    });
    return (fuzzy.length ? " Fuzzy matches: " + fuzzy.join("; ") + "." : "") + (wild.length ? " Wildcard matches: " + wild.join("; ") + "." : "");
  }
  S.matchNote = matchNote;  // for the tests

  // Which words of a text match the query: [{start, end}] in text offsets. The words are lunr.tokenizer's
  // (runs of characters other than white space and hyphens, in the lower-cased text), found by one regular
  // expression instead of lunr's test of every character, and a word is trimmed and stemmed (once per
  // distinct word) only if its first letter after what the trimmer cuts starts a query term: lunr's stemmer
  // rewrites only a word's ending. Stemming every word of a page of results took 40 to 60 ms.
  var trimmedStem = dict(), WORD = /[^\s\-]+/g, NONWORD = /[^\p{L}\p{N}_]/u, LEADING = /^[^\p{L}\p{N}_]+/u,
    TRAILING = /[^\p{L}\p{N}_]+$/u;
  function matches(text, terms) {
    var out = [], firsts = dict(), lower = text.toLowerCase(), m, words = dict(), anyFirst = false;
    terms.forEach(function (t) {
      if (t.prohibited) return;
      if (t.words) t.words.forEach(function (w) { words[w] = true; firsts[w.charAt(0)] = true; });
      else if (t.like && !t.prefix) anyFirst = true;  // "*": every word
      else firsts[(t.prefix || t.term).charAt(0)] = true;
    });
    WORD.lastIndex = 0;
    while ((m = WORD.exec(lower)) !== null) {
      var raw = m[0], c = raw.charAt(0);
      if (!anyFirst && !firsts[c] && !(NONWORD.test(c) && firsts[raw.replace(LEADING, "").charAt(0)])) continue;
      var w = trimmedStem[raw];
      if (w === undefined) w = trimmedStem[raw] = stem(trimmed(raw));
      var hit = terms.some(function (t) {
        if (t.prohibited) return false;
        if (t.words) return words[w] === true;  // its matches (`lexiconWords`)
        if (t.like) return t.like.test(w);  // the index's terms are matched, so the word as the index holds it
        return w === t.term;
      });
      if (hit) {
        var word = text.slice(m.index, m.index + raw.length);
        var lead = word.length - word.replace(LEADING, "").length, trail = word.length - word.replace(TRAILING, "").length;
        out.push({ start: m.index + lead, end: m.index + raw.length - trail });
      }
    }
    return out;
  }
  S.matches = matches;
  S.bestBlock = function (doc, terms) {
    var best = null;
    doc.b.forEach(function (b) {
      var m = matches(b[1], terms);
      if (m.length && (!best || m.length > best.m.length)) best = { anchor: b[0], text: b[1], m: m };
    });
    return best;
  };

  function snippet(el, text, m) {
    var start = 0, end = Math.min(text.length, 240);
    if (m && m.length) {
      start = Math.max(0, m[0].start - 80);
      if (start > 0) { var space = text.indexOf(" ", start); start = space >= 0 && space < m[0].start ? space + 1 : start; }
      end = Math.min(text.length, start + 260);
      if (end < text.length) { var cut = text.lastIndexOf(" ", end); end = cut > m[0].end ? cut : end; }
    }
    if (start > 0) el.appendChild(document.createTextNode("… "));
    var at = start;
    (m || []).forEach(function (x) {
      if (x.start < at || x.end > end) return;
      el.appendChild(document.createTextNode(text.slice(at, x.start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(x.start, x.end);
      el.appendChild(mark);
      at = x.end;
    });
    el.appendChild(document.createTextNode(text.slice(at, end) + (end < text.length ? " …" : "")));
  }

  function resultItem(doc, terms) {
    var li = document.createElement("li");
    var best = S.bestBlock(doc, terms);
    var a = document.createElement("a");
    a.href = root + doc.p + (best ? "#" + best.anchor : "");
    a.textContent = doc.s || doc.id;
    a.className = "result-link";
    var h = document.createElement("h2");
    h.appendChild(a);
    li.appendChild(h);
    var meta = document.createElement("div");
    meta.className = "meta-line";
    meta.textContent = [doc.id, doc.d, doc.o, doc.c].filter(Boolean).join(" · ");
    li.appendChild(meta);
    var p = document.createElement("p");
    p.className = "snippet";
    if (best) snippet(p, best.text, best.m); else if (doc.b.length) snippet(p, doc.b[0][1], []);
    li.appendChild(p);
    return li;
  }

  function pager(total, page, params) {
    var nav = document.getElementById("search-pager");
    nav.textContent = "";
    var pages = Math.ceil(total / PER_PAGE);
    if (pages < 2) return;
    var ul = document.createElement("ul");
    for (var i = 1; i <= pages && i <= 50; i++) {
      var li = document.createElement("li");
      if (i === page) { var span = document.createElement("span"); span.textContent = i; span.setAttribute("aria-current", "page"); li.appendChild(span); }
      else { var a = document.createElement("a"); params.set("page", i); a.href = "?" + params.toString(); a.textContent = i; li.appendChild(a); }
      ul.appendChild(li);
    }
    nav.appendChild(ul);
  }

  function run() {
    var form = document.getElementById("search-form");
    if (!form) return;
    var started = performance.now();
    var params = new URLSearchParams(location.search);
    var q = (params.get("q") || "").trim();
    ["q", "from", "to", "class", "origin", "tag"].forEach(function (k) { if (form.elements[k] && params.get(k)) form.elements[k].value = params.get(k); });
    var header = document.getElementById("site-search");
    if (header) header.value = q;
    var status = document.getElementById("search-status");
    if (!q) { status.textContent = "Type words, a reference id or a query above."; return; }
    var page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
    var filters = { from: params.get("from"), to: params.get("to"), classification: params.get("class"), origin: params.get("origin"), tag: params.get("tag") };
    status.textContent = "Searching…";
    // data-search-done says the search has ended, and how: "results", "none" or "error" (for scripts and tests)
    function finished(how) {
      document.body.setAttribute("data-search-ms", String(Math.round(performance.now() - started)));
      document.body.setAttribute("data-search-done", how);
    }
    // Each result goes in, in order, once its record and those of the results above it are here: the first
    // ones are shown without waiting for the slowest of the ten records, and on the first page without waiting
    // for the rest of the page to settle, once their places are certain (S.search's onSure).
    var list = document.getElementById("search-results"), got = [], asked = [], askedRef = [], next = 0, gen = 0;
    list.textContent = "";
    function showReady(terms) {
      for (; next < got.length && got[next] !== undefined; next++) {
        list.appendChild(resultItem(got[next], terms));
        if (next === 0) document.body.setAttribute("data-search-first-ms", String(Math.round(performance.now() - started)));
      }
    }
    function ask(refs, terms) {  // load the records of these first results (once each), showing each as it can be
      var g = gen;
      return Promise.all(refs.map(function (ref, i) {
        if (!asked[i]) {
          askedRef[i] = ref;
          asked[i] = S.loadDocs([Number(ref)]).then(function (ds) { if (g === gen) { got[i] = ds[0]; showReady(terms); } });
        }
        return asked[i];
      }));
    }
    S.search(q, filters, page * PER_PAGE, page === 1 ? function (refs, terms) { ask(refs, terms).catch(function () {}); } : null).then(function (r) {
      var total = r.total;
      if (!r.results.length) {
        status.textContent = "No cables match “" + q + "”. Try fewer words, a * (lukash*, *stan), a fuzzy match (kozulin~1), or remove filters." +
          matchNote(r.terms);
        document.getElementById("search-results").textContent = "";
        finished("none");
        return;
      }
      var shown = r.results.slice((page - 1) * PER_PAGE, page * PER_PAGE);
      var pages = Math.ceil(total / PER_PAGE);
      status.textContent = (r.kind === "about" ? "About " : r.kind === "atLeast" ? "At least " : "") + total + " cable" + (total === 1 ? "" : "s") +
        " match “" + q + "”" + (total > PER_PAGE ? ", page " + page + " of " + (r.kind === "exact" ? "" : "about ") + pages : "") +
        (shown.length ? "." : ": no results on this page.") + matchNote(r.terms);
      var refs = shown.map(function (x) { return x.ref; });
      if (askedRef.some(function (ref, i) { return ref !== refs[i]; })) {  // (never, if onSure is right: start over)
        gen++;
        list.textContent = "";
        got = []; asked = []; askedRef = []; next = 0;
      }
      return ask(refs, r.terms).then(function () {
        pager(total, page, params);
        finished("results");
      });
    }).catch(function (err) {
      status.textContent = (err && err.name === "QueryParseError") ? "That query could not be read: " + err.message :
        (err && err.name === "QueryTooBroad") ? err.message : "Search failed: " + (err && err.message);
      finished("error");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run); else run();
})();
