"""The labelled benchmark in ../shared/bench for the quality gates: its scorer and a fixed subset of pages."""

from __future__ import annotations

import functools
import importlib.util
import pathlib
import types
from collections.abc import Iterable

import pytest

from tests.conftest import BENCH, ROOT

# Every third dev page in id order; fixed so the pinned floors stay comparable between runs.
SUBSET_STEP = 3


def needs_bench(path: pathlib.Path) -> pytest.MarkDecorator:
    """Skip (with the reason) when the benchmark file is not next to the repo."""
    return pytest.mark.skipif(not path.is_file(),
                              reason=f"benchmark data not found at {BENCH} (needs ../shared/bench next to the repo)")


@functools.cache
def load_module(name: str, path: pathlib.Path) -> types.ModuleType:
    """Import a script by path (the benchmark's score.py, or one of bench/*.py)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_scorer() -> types.ModuleType:
    """The benchmark's own score.py: the gates never re-implement the metric."""
    return load_module("bench_score", BENCH / "score.py")


def load_bench_script(name: str) -> types.ModuleType:
    """One of this repo's bench/*.py scripts, so a gate measures exactly what the bench measures."""
    return load_module(f"bench_{name}", ROOT / "bench" / f"{name}.py")


def dev_subset(ids: Iterable[str]) -> list[str]:
    """The fixed subset of page ids a gate scores."""
    return sorted(ids)[::SUBSET_STEP]
