"""Quality gate: body F1 of extract_html on a fixed subset of the benchmark's dev pages."""

from __future__ import annotations

import gzip
import importlib.util
import pathlib
import types

import pytest

from transforms.html import extract_html

BENCH = pathlib.Path(__file__).resolve().parents[2] / "shared" / "bench"
# Every third dev page in id order (40 pages); fixed so the floor stays comparable between runs.
SUBSET_STEP = 3
# Pinned a little under the measured subset score (see the print below / bench/html_bench.py for all 120).
F1_FLOOR = 0.95
PR_FLOOR = 0.94


def load_scorer() -> types.ModuleType:
    """Import the benchmark's own score.py (never re-implement the metric)."""
    spec = importlib.util.spec_from_file_location("bench_score", BENCH / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (BENCH / "dev" / "truth.jsonl").is_file(),
                    reason=f"benchmark data not found at {BENCH} (needs ../shared/bench next to the repo)")
def test_html_extraction_f1_on_dev_subset() -> None:
    score = load_scorer()
    truth = score.read_jsonl(str(BENCH / "dev" / "truth.jsonl"))
    rows = []
    for doc_id in sorted(truth)[::SUBSET_STEP]:
        html = gzip.decompress((BENCH / "dev" / f"{doc_id}.html.gz").read_bytes()).decode("utf-8")
        ext = extract_html(html)
        rows.append(score.doc_counts(truth[doc_id], "\n\n".join(ext.paragraphs) if ext else ""))
    f1, precision, recall = score.aggregate(rows)
    print(f"quality gate: F1 {f1:.3f} P {precision:.3f} R {recall:.3f} on {len(rows)} pages")
    assert f1 >= F1_FLOOR and precision >= PR_FLOOR and recall >= PR_FLOOR, (f1, precision, recall)
