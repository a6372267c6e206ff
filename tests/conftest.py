"""Shared fixtures: paths, a real Prefect test harness, a mixed inbox."""

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed sequence of examples, so a red build always reproduces.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "samples" / "inbox"
EXTRA = ROOT / "tests" / "fixtures" / "inbox_extra"
BENCH = ROOT.parent / "shared" / "bench"

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    """A writable copy of the shipped rules directory."""
    from transforms.rules import RULES_DIR

    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    return target


@pytest.fixture(scope="session")
def prefect_harness():
    """A throw-away Prefect API (SQLite in a temp dir) for the whole test session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def mixed_inbox(tmp_path) -> Path:
    """The five seeds, hand-made good and bad dumps, and a duplicate seed in a sub-folder."""
    inbox = tmp_path / "inbox"
    shutil.copytree(SEEDS, inbox)
    for f in EXTRA.iterdir():
        shutil.copy(f, inbox / f.name)
    (inbox / "nested").mkdir()
    shutil.copy(SEEDS / "001_de08d329854fef43.txt", inbox / "nested" / "copy_of_001.txt")
    (inbox / "notes.pdf").write_bytes(b"%PDF-1.4 not a dump we read")
    return inbox
