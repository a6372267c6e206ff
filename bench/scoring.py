"""What the quality benchmarks share: writing predictions and running the benchmark's own score.py."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
from collections.abc import Iterable


def write_predictions(path: pathlib.Path, rows: Iterable[dict]) -> pathlib.Path:
    """Write prediction rows as JSON lines (creating the folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def run_scorer(bench_dir: pathlib.Path, truth: str, preds: pathlib.Path, per_doc: bool, tail: int,
               check: bool = True) -> list[str]:
    """Score predictions with ../score.py next to bench_dir; all its lines with per_doc, else the last `tail`."""
    cmd = [sys.executable, str(bench_dir.parent / "score.py"), str(bench_dir / truth), str(preds)]
    if per_doc:
        cmd.append("--per-doc")
    lines = subprocess.run(cmd, capture_output=True, text=True, check=check).stdout.strip().splitlines()
    return lines if per_doc else lines[-tail:]
