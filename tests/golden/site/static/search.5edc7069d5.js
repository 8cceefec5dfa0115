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
settle("manifest", true);
};
S.dir = function (g, list) {
list.forEach(function (t, i) { firsts[g * manifest.dirParts + i] = t; });
dirsIn[g] = true;
settle("dir:" + g, true);
};
S.part = function (n, data) {
data.forEach(function (e) {
var last = e[e.length - 1];
if (e.length % 2 === 1 && last && !Array.isArray(last)) infoOf[e[0]] = { index: e[1], n: last.n, t: last.t, m: last.m || [] };
});
parts[n] = data;
settle("part:" + n, true);
};
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
var trimStem = new lunr.Pipeline();
trimStem.add(lunr.trimmer, lunr.stemmer);
function stem(word) { var out = stemmer.runString(word); return out.length ? out[0] : word; }
function lastDir(term, below) {
var a = manifest.dirs, lo = 0, hi = a.length - 1, ans = -1;
while (lo <= hi) { var mid = (lo + hi) >> 1; if (below ? a[mid] < term : a[mid] <= term) { ans = mid; lo = mid + 1; } else hi = mid - 1; }
return ans;
}
function lastPart(term, below) {
var g = lastDir(term, below);
if (g < 0) return -1;
var lo = g * manifest.dirParts, hi = Math.min(manifest.parts, lo + manifest.dirParts) - 1, ans = lo;
while (lo <= hi) { var mid = (lo + hi) >> 1; if (below ? firsts[mid] < term : firsts[mid] <= term) { ans = mid; lo = mid + 1; } else hi = mid - 1; }
return ans;
}
function partOf(term) { return Math.max(0, lastPart(term, false)); }  // the last part whose first term is <= term
function firstPartFor(term) {  // the first part that can hold `term`: a term with several entries spans parts
var ans = lastPart(term, true);
if (ans + 1 < manifest.parts && firsts[ans + 1] === term && !continued[ans + 1]) return ans + 1;
return Math.max(0, ans);
}
function dirsBetween(lo, hi) {
var out = [];
if (manifest.parts) for (var g = Math.max(0, lastDir(lo, true)); g <= Math.max(0, lastDir(hi, false)); g++) out.push(g);
return out;
}
function partsBetween(lo, hi, into) {  // (an archive of no cables has no part)
if (manifest.parts) for (var i = firstPartFor(lo); i <= partOf(hi); i++) into[i] = true;
}
function plan(q) {
var query = new lunr.Query(manifest.fields);
new lunr.QueryParser(q, query).parse();
var ranges = [], terms = [];
query.clauses.forEach(function (c) {
var t = c.term;
if (t.indexOf("*") >= 0) {
var prefix = t.split("*")[0];
ranges.push([prefix, prefix + "\uffff"]);
if (prefix) terms.push({ prefix: prefix, prohibited: c.presence === lunr.Query.presence.PROHIBITED });
} else {
var s = c.usePipeline === false ? t : stem(t);
ranges.push(c.editDistance ? [s.charAt(0), s.charAt(0) + "\uffff"] : [s, s]);
terms.push({ term: s, fuzzy: !!c.editDistance, prohibited: c.presence === lunr.Query.presence.PROHIBITED });
}
});
return { ranges: ranges, terms: terms };
}
function tierInfo(term) { return infoOf[term] || null; }
function tierName(info, i) { return info.index + "-" + (i + 1); }
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
var highest = [];  // by field, the best score in the tiers that cards hold
if (info && cardsOf[info.index]) cardsOf[info.index].forEach(function (c) {
if (highest[c[2]] === undefined) highest[c[2]] = highestInCards(info, c[2]);
if (!covered(term, c[1], c[0])) flatPairs(c[2], [c[0], highest[c[2]] - c[3]]);
});
}
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
function expand(idx, c) {
if (!c.editDistance && c.term.indexOf("*") < 0) return idx.terms[c.term] ? [c.term] : [];
if (!idx.set) idx.set = lunr.TokenSet.fromArray(Object.keys(idx.terms).sort());
return idx.set.intersect(lunr.TokenSet.fromClause(c)).toArray();
}
var P = lunr.Query.presence;
function DocSet() { this.mark = new Uint8Array(manifest.docs); this.list = []; }
DocSet.prototype.add = function (d) { if (!this.mark[d]) { this.mark[d] = 1; this.list.push(d); } };
DocSet.prototype.has = function (d) { return this.mark[d] === 1; };
DocSet.prototype.and = function (other) {  // a new set of the documents in both
var a = this.list.length <= other.list.length ? this : other, b = a === this ? other : this, out = new DocSet();
for (var i = 0; i < a.list.length; i++) if (b.mark[a.list[i]]) out.add(a.list[i]);
return out;
};
function readQuery(idx, q) {
var query = new lunr.Query(manifest.fields);
new lunr.QueryParser(q, query).parse();
var fields = manifest.fields, qv = {}, mags = {}, banned = dict(), required = {}, allProhibited = new DocSet(), anyRequired = false;
var clauses = [];  // each required clause: its terms, and the documents loaded with them in its fields
fields.forEach(function (f) { qv[f] = dict(); });
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
Object.keys(qv[f]).sort(function (a, b) { return idx.terms[a].index - idx.terms[b].index; }).forEach(function (t) { s += qv[f][t] * qv[f][t]; });
mags[f] = Math.sqrt(s);
});
var negated = query.clauses.length > 0 && query.clauses.every(function (c) { return c.presence === P.PROHIBITED; });
return { qv: qv, mags: mags, banned: Object.keys(banned), anyField: banned, required: anyRequired, allRequired: allRequired,
clauses: clauses, allProhibited: allProhibited, negated: negated };
}
var sums = null;
function score(idx, w) {
var fields = manifest.fields, n = manifest.docs;
if (!sums) sums = { total: new Float64Array(n), acc: new Float64Array(n), inTotal: new Uint8Array(n), inAcc: new Uint8Array(n) };
var total = sums.total, acc = sums.acc, inTotal = sums.inTotal, inAcc = sums.inAcc, seen = [];
fields.forEach(function (f, fno) {
var mag = w.mags[f], touched = [];
Object.keys(w.qv[f]).sort(function (a, b) { return idx.terms[a].index - idx.terms[b].index; }).forEach(function (t) {
var posting = idx.terms[t], docs = posting.docs[fno], scores = posting.scores[fno], qw = w.qv[f][t];
if (!docs) return;
for (var i = 0; i < docs.length; i++) {
var d = docs[i];
if (!inAcc[d]) { inAcc[d] = 1; acc[d] = 0; touched.push(d); }
acc[d] += qw * scores[i];
}
});
for (var j = 0; j < touched.length; j++) {
var doc = touched[j];
if (!inTotal[doc]) { inTotal[doc] = 1; total[doc] = 0; seen.push(doc); }
total[doc] += mag ? acc[doc] / mag : 0;
inAcc[doc] = 0;
}
});
if (w.negated) for (var d = 0; d < n; d++) if (!inTotal[d]) { inTotal[d] = 1; total[d] = 0; seen.push(d); }
var results = [], maybe = [];  // maybe: not (yet) loaded with every required clause; both document numbers
for (var k = 0; k < seen.length; k++) {
var doc2 = seen[k];
inTotal[doc2] = 0;
if (w.allProhibited.has(doc2)) continue;
(w.allRequired !== null && !w.allRequired.has(doc2) ? maybe : results).push(doc2);
}
return { results: results, maybe: maybe, scoreOf: total };  // scoreOf[doc] until the next round's scores
}
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
function depthOf(doc) {  // the first tier that may hold the cable: d, or past the slices loaded without it
var i = d;
while (i < info.t.length && !mayHoldAt(t, i, doc)) i++;
return i;
}
open.push({ t: t, c: cAt[0], seen: seen, depthOf: depthOf, upTo: function (doc) { return cAt[depthOf(doc) - d]; } });
});
return open;
}
var SLICES_AT_MOST = 0.7;
function forCables(t, docs, every, cards) {
var info = tierInfo(t), wanted = dict(), out = [];
docs.forEach(function (doc) {
for (var i = deep[t] || 0; i < info.t.length; i++) {
if (!mayHoldAt(t, i, doc)) continue;
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
function unbanned(w, top) {
var out = [], docs = top.map(function (r) { return r.doc; });
w.banned.forEach(function (t) {
if (complete(t) || (w.anyField[t] && membersOf(t))) return;
var most = tierInfo(t).n > manifest.docs / 2;
if (w.anyField[t] && tierInfo(t).m.length && (most || !w.negated)) out.push(function () { return loadMembers(t); });
else if (most) out.push(function () { return loadAllTiers(t); });
else out = out.concat(forCables(t, docs, true, null));
});
return out;
}
var EPS = 1e-9;
function unsettled(open, w, results, maybe, scoreOf, want) {
if (!open.length) return [];
var unseen = 0, all = open.map(function (o) { return function () { return loadNextTier(o.t); }; }), openOf = dict();
all.unseen = true;  // the first results are far from known yet
open.forEach(function (o) { openOf[o.t] = o; });
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
function passes(doc, s) { return roughUp(doc) > s.score - EPS && up(doc) > s.score - EPS; }  // (roughUp >= up, and quicker)
var top = firstOf(results, scoreOf, k), waiting = open.map(function () { return []; }), inTop = new Set();
top.forEach(function (r) { inTop.add(r.doc); });
if (unseenMayMatch && unseen > top[k - 1].score - EPS) return all;
function inTheWay(doc) { open.forEach(function (o, j) { if (!o.seen[doc]) waiting[j].push(doc); }); }
for (var r = 0; r < results.length; r++) if (!inTop.has(results[r]) && passes(results[r], top[k - 1])) inTheWay(results[r]);
for (var m = 0; m < maybe.length; m++) if (passes(maybe[m], top[k - 1]) && mayMatch(maybe[m])) inTheWay(maybe[m]);
for (var i = 1; i < k; i++) if (passes(top[i].doc, top[i - 1])) inTheWay(top[i].doc);
return forWaiting(open, waiting);
}
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
function facetFor(list, name) {
if (!name) return null;
var want = name.trim().toLowerCase();
for (var i = 0; i < list.length; i++) if (list[i][0].toLowerCase() === want) return list[i][1];
return "none_" + want.replace(/\W+/g, "_");
}
S.search = function (q, filters, want) {
filters = filters || {};
want = want || PER_PAGE;
return loadManifest().then(function () {
var p = plan(q);
var facets = [];
var cls = facetFor(manifest.classifications, filters.classification);
var org = facetFor(manifest.origins, filters.origin);
if (cls) facets.push(["facet", cls]);
if (org) facets.push(["facet", org]);
if (filters.tag) facets.push(["tags", filters.tag.trim().toLowerCase()]);
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
var top = firstOf(results, scored.scoreOf, want);
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
var trimmedStem = dict(), WORD = /[^\s\-]+/g, NONWORD = /\W/, LEADING = /^\W+/, TRAILING = /\W+$/;
function matches(text, terms) {
var out = [], firsts = dict(), lower = text.toLowerCase(), m;
terms.forEach(function (t) { if (!t.prohibited) firsts[(t.prefix || t.term).charAt(0)] = true; });
WORD.lastIndex = 0;
while ((m = WORD.exec(lower)) !== null) {
var raw = m[0], c = raw.charAt(0);
if (!firsts[c] && !(NONWORD.test(c) && firsts[raw.replace(LEADING, "").charAt(0)])) continue;
var w = trimmedStem[raw];
if (w === undefined) {
var stemmed = trimStem.runString(raw);
w = trimmedStem[raw] = stemmed.length ? stemmed[0] : "";
}
var hit = terms.some(function (t) {
if (t.prohibited) return false;
if (t.prefix) return raw.indexOf(t.prefix) === 0 || w.indexOf(t.prefix) === 0;
if (t.fuzzy) return w.charAt(0) === t.term.charAt(0) && Math.abs(w.length - t.term.length) <= 2 && (w === t.term || w.indexOf(t.term.slice(0, 3)) === 0);
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
function finished(how) {
document.body.setAttribute("data-search-ms", String(Math.round(performance.now() - started)));
document.body.setAttribute("data-search-done", how);
}
S.search(q, filters, page * PER_PAGE).then(function (r) {
var total = r.total;
if (!r.results.length) {
status.textContent = "No cables match “" + q + "”. Try fewer words, a trailing * (lukash*), a fuzzy match (kozulin~1), or remove filters.";
document.getElementById("search-results").textContent = "";
finished("none");
return;
}
var shown = r.results.slice((page - 1) * PER_PAGE, page * PER_PAGE);
var pages = Math.ceil(total / PER_PAGE);
status.textContent = (r.kind === "about" ? "About " : r.kind === "atLeast" ? "At least " : "") + total + " cable" + (total === 1 ? "" : "s") +
" match “" + q + "”" + (total > PER_PAGE ? ", page " + page + " of " + (r.kind === "exact" ? "" : "about ") + pages : "") +
(shown.length ? "." : ": no results on this page.");
var list = document.getElementById("search-results"), got = [], next = 0;
list.textContent = "";
function showReady() {
for (; next < shown.length && got[next] !== undefined; next++) {
list.appendChild(resultItem(got[next], r.terms));
if (next === 0) document.body.setAttribute("data-search-first-ms", String(Math.round(performance.now() - started)));
}
}
return Promise.all(shown.map(function (x, i) {
return S.loadDocs([Number(x.ref)]).then(function (ds) { got[i] = ds[0]; showReady(); });
})).then(function () {
pager(total, page, params);
finished("results");
});
}).catch(function (err) {
status.textContent = (err && err.name === "QueryParseError") ? "That query could not be read: " + err.message : "Search failed: " + (err && err.message);
finished("error");
});
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run); else run();
})();
