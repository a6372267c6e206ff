"""Language identification with py3langid's model, its byte automaton walked with numpy instead of per byte."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np

# py3langid's score when a text has no feature at all (its argmax then falls on the first class).
_RAW_FLOOR = float(np.finfo(np.float32).min)


@dataclass(frozen=True, slots=True)
class _Model:
    """py3langid's naive-Bayes model, with its automaton as numpy arrays."""

    nextmove: np.ndarray  # next state = nextmove[rowbase[state] + byte]
    rowbase: np.ndarray
    output: np.ndarray  # feature index emitted on entering a state, -1 for none
    depth: int  # longest path from the start state to any state: a state depends on at most this many bytes
    ptc: np.ndarray  # feature x class log-probabilities
    pc: np.ndarray  # class priors
    classes: tuple[str, ...]
    alias_pairs: tuple[tuple[int, int], ...]  # (first, dupe) columns of a label listed twice


def _automaton_depth(table: np.ndarray, rows: np.ndarray) -> int:
    """Breadth-first distance of the farthest state from the start state (table[rows[state], byte]: next state)."""
    seen = np.zeros(len(rows), dtype=bool)
    seen[0] = True
    frontier, depth = np.array([0]), 0
    while True:
        reached = np.zeros(len(rows), dtype=bool)
        for chunk in range(0, len(frontier), 4096):  # a few MB at a time
            reached[table[rows[frontier[chunk:chunk + 4096]]].ravel()] = True
        reached &= ~seen
        if not reached.any():
            return depth
        seen |= reached
        frontier, depth = np.flatnonzero(reached), depth + 1


@functools.lru_cache(maxsize=1)
def _model() -> _Model:
    """py3langid's bundled model (loaded once per process: it takes most of a second)."""
    from py3langid import langid

    ident: Any = langid._get_identifier()
    # A view, not a copy: the table has about ten million entries.
    nextmove = np.frombuffer(ident.tk_nextmove, dtype=ident.tk_nextmove.typecode)
    rows = np.asarray(ident.tk_row, dtype=np.int64)
    return _Model(
        nextmove=nextmove,
        rowbase=rows << 8,
        output=np.asarray(ident.tk_output, dtype=np.int64),
        depth=_automaton_depth(nextmove.reshape(-1, 256), rows),
        ptc=ident.nb_ptc,
        pc=ident.nb_pc,
        classes=tuple(ident.nb_classes),
        alias_pairs=tuple(ident._alias_pairs),
    )


def _encode(text: str) -> bytes:
    """The bytes py3langid scores: lower-cased when all upper, NFC, UTF-8."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


def identify_language(text: str) -> str:
    """The language py3langid.classify gives for text (same model and features; scores differ from its only by
    float32 rounding), in about 60% of its time on 1,000 characters.

    The automaton's state after a byte depends only on the last `depth` bytes, so all states are found with
    `depth` vectorised steps, each advancing every position by one byte."""
    model = _model()
    data = np.frombuffer(_encode(text), dtype=np.uint8)
    states = np.zeros(len(data), dtype=np.uint32)
    for back in range(min(model.depth, len(data)) - 1, -1, -1):
        states[back:] = model.nextmove[model.rowbase[states[back:]] + data[: len(data) - back]]
    features = model.output[states]
    features = features[features >= 0]
    if len(features):
        found, counts = np.unique(features, return_counts=True)
        # float32 rows: numpy multiplies a float16 matrix by a slow path (the values convert exactly).
        scores = np.log1p(counts.astype(np.float32)) @ model.ptc[found].astype(np.float32) + model.pc
    else:
        scores = np.full(len(model.classes), _RAW_FLOOR, dtype=np.float32)
    for keep, dupe in model.alias_pairs:
        scores[keep] = max(scores[keep], scores[dupe])
        scores[dupe] = _RAW_FLOOR
    return model.classes[int(scores.argmax())]


# py3langid's cost grows with its input: 1,000 characters gave the same language as 5,000 on all 449
# article bodies of the benchmark's dev and metadata dumps, at a fifth of the cost.
LANGUAGE_SAMPLE_CHARS = 1000


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language via py3langid's model, or None for too little text."""
    text = " ".join(text[: 2 * LANGUAGE_SAMPLE_CHARS].split())[:LANGUAGE_SAMPLE_CHARS]
    if len(text) < 40:
        return None
    return identify_language(text)
