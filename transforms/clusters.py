"""Story clusters, the pure half: normalised word shingles of article bodies, their MinHash signatures (rensa),
LSH band keys, and the assignment of new articles to the clusters of earlier ones (rules passed in)."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import rensa

# Bodies are shingled in chunks of this many bytes of text, so the per-byte arrays stay small.
CHUNK_BYTES = 1_000_000
_U64 = np.uint64
_MUL = _U64(0x9E3779B97F4A7C15)  # odd: powers of it never vanish mod 2**64
_SHINGLE_MUL = _U64(0xC2B2AE3D27D4EB4F)
# LSH candidates of an article: in each band, the latest this many earlier articles with the same key. Copies
# of one story share most bands, so the latest few stand for the whole bucket at a fraction of the pairs.
PREDECESSORS = 2
PAIR_CHUNK = 100_000  # signature pairs compared at once (100,000 x 128 bytes of comparisons)
SKETCH_CHUNK = 5_000  # bodies shingled and signed at once
SEPARATOR = "\n\n"  # between the paragraphs of a body
SPACES = " \t\r\n"  # trimmed off a paragraph before it is compared with a site's template


@dataclass(frozen=True, slots=True)
class ClusterRules:
    """Shingle size, signature size, LSH banding and the join threshold (rules/clusters.toml [clusters])."""

    shingle_words: int  # k of the word k-shingles
    num_perm: int  # MinHash signature length
    bands: int  # LSH bands; each band is num_perm // bands signature values
    seed: int  # MinHash seed: signatures stored in the warehouse stay comparable only under the same seed
    join_similarity: float  # estimated Jaccard to an earlier article at which a new one joins its cluster
    template_min_articles: int  # a paragraph in this many articles of one site is the site's template, not shingled

    @property
    def rows(self) -> int:
        """Signature values per band."""
        return self.num_perm // self.bands

    @property
    def scheme(self) -> str:
        """Names everything a stored signature depends on; a stored signature of another scheme is recomputed."""
        return (f"rensa-rminhash-v{rensa.RMinHash.ALGORITHM_VERSION} k={self.shingle_words} "
                f"perm={self.num_perm} seed={self.seed} bands={self.bands}x{self.rows} "
                f"template={self.template_min_articles}")


def parse_cluster_rules(table: object, fail: Callable[[str, str], Exception]) -> ClusterRules:
    """Validate the [clusters] table; `fail(key, message)` builds the error to raise."""
    if not isinstance(table, dict):
        raise fail("clusters", "must be a table")
    keys = {"shingle_words", "num_perm", "bands", "seed", "join_similarity", "template_min_articles"}
    if set(table) != keys:
        raise fail("clusters", f"needs exactly the keys {sorted(keys)}, got {sorted(table)}")
    for key in ("shingle_words", "num_perm", "bands", "seed", "template_min_articles"):
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < (0 if key == "seed" else 1):
            raise fail(f"clusters.{key}", f"must be a positive integer, got {value!r}")
    if table["template_min_articles"] < 2:
        raise fail("clusters.template_min_articles", f"must be at least 2, got {table['template_min_articles']}")
    if table["bands"] > table["num_perm"]:
        raise fail("clusters.bands", f"must be at most num_perm ({table['num_perm']}), got {table['bands']}")
    value = table["join_similarity"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not 0 < value <= 1:
        raise fail("clusters.join_similarity", f"must be a number in (0, 1], got {value!r}")
    return ClusterRules(table["shingle_words"], table["num_perm"], table["bands"], table["seed"], float(value),
                        table["template_min_articles"])


def _byte_classes() -> np.ndarray:
    word = np.zeros(256, dtype=bool)
    for lo, hi in ((ord("0"), ord("9")), (ord("a"), ord("z")), (ord("A"), ord("Z")), (0x80, 0xFF)):
        word[lo : hi + 1] = True  # every byte of a multi-byte character is a word byte, unless unmarked below
    return word


_WORD_BYTE = _byte_classes()
# _MASKS[n]: the low n bytes of a little-endian uint64
_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every output bit depends on every input bit."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> _U64(27))) * _U64(0x94D049BB133111EB)
        return x ^ (x >> _U64(31))


def _word_spans(data: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of each word of UTF-8 text holding several documents (from `starts`): a word never runs
    from one document into the next, and each Chinese or Japanese character (U+3040-U+9FFF) is a word."""
    is_word = _WORD_BYTE[data]
    high = np.flatnonzero(data >= 0xC2)  # lead bytes of multi-byte characters: few in most news text
    lead = data[high]
    nxt = data[np.minimum(high + 1, len(data) - 1)]
    # U+0080-U+00BF (no-break space, guillemets, middle dot, (c)), U+2000-U+206F (dashes, curly quotes, ellipsis,
    # bullets) and U+3000-U+303F (CJK punctuation) separate words, as ASCII punctuation does
    two = high[(lead == 0xC2) & (nxt <= 0xBF)]
    three = high[((lead == 0xE2) & ((nxt == 0x80) | (nxt == 0x81))) | ((lead == 0xE3) & (nxt == 0x80))]
    for idx in (two, two + 1, three, three + 1, three + 2):
        is_word[idx[idx < len(data)]] = False
    edges = np.flatnonzero(np.diff(is_word.view(np.int8), prepend=np.int8(0), append=np.int8(0)))
    word_starts, word_ends = edges[0::2], edges[1::2]
    cjk = high[(lead >= 0xE3) & (lead <= 0xE9)]
    forced = np.concatenate([starts[1:-1], cjk, cjk + 3])
    forced = forced[(forced > 0) & (forced < len(data))]
    forced = forced[is_word[forced] & is_word[forced - 1]]  # inside a run of word bytes: cut it there
    if len(forced):  # none of them starts or ends a run already
        forced = np.sort(forced)
        forced = forced[np.r_[True, forced[1:] != forced[:-1]]]
        word_starts = np.insert(word_starts, np.searchsorted(word_starts, forced), forced)
        word_ends = np.insert(word_ends, np.searchsorted(word_ends, forced), forced)
    return word_starts, word_ends


def _word_hashes(data: np.ndarray, word_starts: np.ndarray, word_ends: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each word's bytes, read eight at a time."""
    padded = np.concatenate([data, np.zeros(8, np.uint8)])
    # a uint64 starting at every byte (unaligned reads): the eight bytes from each position
    eights = np.ndarray(shape=(len(data),), dtype="<u8", buffer=padded, strides=(1,)) if len(data) else padded
    lengths = word_ends - word_starts
    h = _mix(eights[word_starts] & _MASKS[np.minimum(lengths, 8)])
    offset = 8
    todo = np.flatnonzero(lengths > offset)  # the few words longer than eight bytes
    while len(todo):
        left = np.minimum(lengths[todo] - offset, 8)
        chunk = eights[word_starts[todo] + offset] & _MASKS[left]
        h[todo] = _mix(h[todo] ^ chunk)
        offset += 8
        todo = todo[lengths[todo] > offset]
    return h


def _chunk_shingles(data: np.ndarray, starts: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes of the documents whose text is data[starts[i]:starts[i+1]], and the count per document."""
    n_docs = len(starts) - 1
    word_starts, word_ends = _word_spans(data, starts)
    if not len(word_starts):
        return np.zeros(0, _U64), np.zeros(n_docs, np.int64)
    words = _word_hashes(data, word_starts, word_ends)
    doc_of = np.searchsorted(starts, word_starts, side="right") - 1
    per_doc = np.bincount(doc_of, minlength=n_docs)
    m = len(words)
    if m >= k:
        span = m - k + 1
        shingle = words[:span].copy()
        with np.errstate(over="ignore"):
            for j in range(1, k):
                shingle = shingle * _SHINGLE_MUL + words[j : span + j]
        shingle = _mix(shingle)
        keep = doc_of[:span] == doc_of[k - 1 :]
        hashes, owners = shingle[keep], doc_of[:span][keep]
    else:
        hashes, owners = np.zeros(0, _U64), np.zeros(0, np.int64)
    short = np.flatnonzero((per_doc > 0) & (per_doc < k))
    if len(short):  # a body of fewer than k words is one shingle of all its words
        first_word = np.concatenate([[0], np.cumsum(per_doc)])
        extra = []
        for d in short:
            h = _U64(0)
            with np.errstate(over="ignore"):
                for w in words[first_word[d] : first_word[d + 1]]:
                    h = h * _SHINGLE_MUL + w
            extra.append(h)
        hashes = np.concatenate([hashes, _mix(np.array(extra, dtype=_U64))])
        owners = np.concatenate([owners, short])
        order = np.argsort(owners, kind="stable")
        hashes, owners = hashes[order], owners[order]
    return hashes, np.bincount(owners, minlength=n_docs)


def _as_arrow(bodies: Sequence[str | None] | pa.Array | pa.ChunkedArray) -> pa.Array:
    arr = bodies if isinstance(bodies, (pa.Array, pa.ChunkedArray)) else pa.array(list(bodies), pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks else pa.array([], pa.large_string())
    return pc.fill_null(arr.cast(pa.large_string()), "")


def strip_template(bodies: Sequence[str | None], sites: Sequence[str | None],
                   template: Mapping[str, Collection[str]]) -> list[str]:
    """Each body less the paragraphs (blank-line separated) of its site's template; `template` maps a site to its
    template paragraphs, lower-cased and without surrounding spaces (as warehouse/sql/clusters/03_template.sql
    finds them)."""
    out = []
    for body, site in zip(bodies, sites, strict=True):
        drop = template.get(site) if site is not None else None
        if not drop or not body:
            out.append(body or "")
            continue
        out.append(SEPARATOR.join(p for p in body.split(SEPARATOR) if p.strip(SPACES).lower() not in drop))
    return out


def normalise(bodies: Sequence[str | None] | pa.Array | pa.ChunkedArray) -> pa.Array:
    """Bodies as one Arrow large_string array, lower-cased (null becomes empty)."""
    return pc.utf8_lower(_as_arrow(bodies))


def shingle_hashes(bodies: Sequence[str | None] | pa.Array | pa.ChunkedArray, k: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of the word k-shingles of each body (lower-cased; punctuation and spacing ignored):
    flat, with offsets (body i has hashes[offsets[i]:offsets[i+1]]; duplicates kept)."""
    arr = normalise(bodies)
    n = len(arr)
    if n == 0:
        return np.zeros(0, _U64), np.zeros(1, np.int64)
    bounds = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset : arr.offset + n + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8) if arr.buffers()[2] else np.zeros(0, np.uint8)
    parts, counts = [], []
    lo = 0
    while lo < n:
        hi = int(np.searchsorted(bounds, bounds[lo] + CHUNK_BYTES, side="right")) - 1
        hi = min(max(hi, lo + 1), n)
        base = bounds[lo]
        hashes, per_doc = _chunk_shingles(data[base : bounds[hi]], bounds[lo : hi + 1] - base, k)
        parts.append(hashes)
        counts.append(per_doc)
        lo = hi
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.concatenate(counts), out=offsets[1:])
    return np.concatenate(parts), offsets


def signatures(hashes: np.ndarray, offsets: np.ndarray, rules: ClusterRules) -> np.ndarray:
    """MinHash signature of each body's shingle set (rensa RMinHash), one uint32 row per body."""
    n = len(offsets) - 1
    if n == 0:
        return np.zeros((0, rules.num_perm), dtype=np.uint32)
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        np.ascontiguousarray(hashes, dtype=_U64), offsets.astype(_U64), rules.num_perm, rules.seed)
    return np.array(matrix.to_rows(), dtype=np.uint32).reshape(n, rules.num_perm)


def band_keys(sigs: np.ndarray, rules: ClusterRules) -> np.ndarray:
    """The LSH key of each band of each signature (int64, one column per band): two bodies become candidates
    when one band of their signatures is equal."""
    r = rules.rows
    bands = sigs[:, : rules.bands * r].astype(_U64).reshape(len(sigs), rules.bands, r)
    key = np.zeros((len(sigs), rules.bands), dtype=_U64)
    with np.errstate(over="ignore"):
        for j in range(r):
            key = key * _MUL + bands[:, :, j]
    return _mix(key).view(np.int64)


def similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray | float:
    """Estimated Jaccard similarity of shingle sets: the share of equal signature values (row-wise for 2-D)."""
    eq = np.asarray(a) == np.asarray(b)
    return eq.mean(axis=-1) if eq.ndim > 1 else float(eq.mean())


@dataclass(frozen=True, slots=True)
class Sketches:
    """Articles with their signatures, band keys and (for earlier articles) clusters, in first-seen order."""

    ids: Sequence[str]
    signatures: np.ndarray  # (n, num_perm) uint32
    keys: np.ndarray  # (n, bands) int64
    empty: np.ndarray  # (n,) bool: no shingle at all (never a candidate)
    clusters: Sequence[str] = ()  # earlier articles only


def sketch(ids: Sequence[str], bodies: Sequence[str | None] | pa.Array | pa.ChunkedArray,
           rules: ClusterRules) -> Sketches:
    """Signatures and band keys of bodies (the articles not yet clustered, in first-seen order)."""
    arr = _as_arrow(bodies)
    sigs, empty = [np.zeros((0, rules.num_perm), dtype=np.uint32)], [np.zeros(0, dtype=bool)]
    for lo in range(0, len(arr), SKETCH_CHUNK):  # bounded memory: shingles of one chunk at a time
        hashes, offsets = shingle_hashes(arr.slice(lo, SKETCH_CHUNK), rules.shingle_words)
        sigs.append(signatures(hashes, offsets, rules))
        empty.append(np.diff(offsets) == 0)
    joined = np.concatenate(sigs)
    return Sketches(list(ids), joined, band_keys(joined, rules), np.concatenate(empty))


def _predecessors(keys: np.ndarray, live: np.ndarray, depth: int) -> np.ndarray:
    """For each row and band, the `depth` latest earlier rows with the same band key (-1: none), (n, bands*depth):
    the LSH candidates of a row, found by one stable sort per band instead of a bucket per key."""
    n, bands = keys.shape
    out = np.full((n, bands, depth), -1, dtype=np.int64)
    rows = np.flatnonzero(live)
    for band in range(bands):
        key = keys[rows, band]
        order = np.argsort(key, kind="stable")  # rows stay in order within a key
        sorted_key, sorted_row = key[order], rows[order]
        for d in range(1, min(depth, len(rows) - 1) + 1):
            prev = np.full(len(rows), -1, dtype=np.int64)
            same = sorted_key[d:] == sorted_key[:-d]
            prev[d:] = np.where(same, sorted_row[:-d], -1)
            out[sorted_row, band, d - 1] = prev
    return out.reshape(n, bands * depth)


def _best_earlier(sigs: np.ndarray, rows: np.ndarray, cands: np.ndarray, threshold: float) -> np.ndarray:
    """For each row, its most similar candidate at or above the threshold (ties: the earliest), else -1."""
    best = np.full(len(rows), -1, dtype=np.int64)
    code = np.repeat(np.arange(len(rows), dtype=np.int64), cands.shape[1]) * (len(sigs) + 1) + (cands.reshape(-1) + 1)
    code = np.sort(code[cands.reshape(-1) >= 0])
    code = code[np.r_[True, code[1:] != code[:-1]]] if len(code) else code  # each (row, candidate) pair once
    who, cand = code // (len(sigs) + 1), code % (len(sigs) + 1) - 1
    sims = np.concatenate([similarity(sigs[rows[who[i:i + PAIR_CHUNK]]], sigs[cand[i:i + PAIR_CHUNK]])
                           for i in range(0, len(who), PAIR_CHUNK)] or [np.zeros(0)])
    ok = sims >= threshold
    who, cand, sims = who[ok], cand[ok], sims[ok]
    order = np.lexsort((cand, -sims, who))
    who, cand = who[order], cand[order]
    first = np.r_[True, who[1:] != who[:-1]] if len(who) else np.zeros(0, dtype=bool)
    best[who[first]] = cand[first]
    return best


def assign(new: Sketches, earlier: Sketches, founders: Mapping[str, np.ndarray], rules: ClusterRules
           ) -> list[tuple[str, str, float]]:
    """(article_id, cluster_id, similarity to the cluster's first article) of each new article, in order.

    `earlier` holds the clustered articles that share a band key with a new one; `founders` the signature of
    the first article of each of their clusters. A new article's candidates are the latest earlier articles
    (earlier, or new before it) sharing one of its LSH bands; it joins the cluster of the most similar one when
    their estimated Jaccard is at least `join_similarity`, else it starts a cluster named after itself."""
    n_old, n_new = len(earlier.ids), len(new.ids)
    sigs = np.concatenate([earlier.signatures.reshape(n_old, rules.num_perm), new.signatures])
    keys = np.concatenate([earlier.keys.reshape(n_old, rules.bands), new.keys])
    live = ~np.concatenate([np.asarray(earlier.empty, dtype=bool), np.asarray(new.empty, dtype=bool)])
    rows = np.arange(n_old, n_old + n_new)
    cands = _predecessors(keys, live, PREDECESSORS)[rows]
    best = _best_earlier(sigs, rows, cands, rules.join_similarity)
    cluster_of = list(earlier.clusters) + [""] * n_new
    old_founders = list(founders)
    # founder_row: a row of `sigs` (a new cluster's first article) or, past the end, an earlier cluster's first
    founder_at = {cluster: len(sigs) + i for i, cluster in enumerate(old_founders)}
    founder_row = np.empty(n_new, dtype=np.int64)
    for i, b in enumerate(best.tolist()):
        row = n_old + i
        cluster = new.ids[i] if b < 0 else cluster_of[b]
        cluster_of[row] = cluster
        if b < 0:
            founder_at[cluster] = row
        founder_row[i] = founder_at[cluster]
    table = np.concatenate([sigs, np.array([founders[c] for c in old_founders], dtype=np.uint32)
                            .reshape(len(old_founders), rules.num_perm)])
    sims = np.concatenate([similarity(table[founder_row[i:i + PAIR_CHUNK]], new.signatures[i:i + PAIR_CHUNK])
                           for i in range(0, n_new, PAIR_CHUNK)] or [np.zeros(0)])
    return [(article_id, cluster_of[n_old + i], float(sims[i])) for i, article_id in enumerate(new.ids)]


def founder_similarities(sigs: np.ndarray) -> np.ndarray:
    """Similarity of each member of one cluster to its first (row 0): for a cluster whose first article left."""
    return similarity(sigs, sigs[:1]) if len(sigs) else np.zeros(0)
