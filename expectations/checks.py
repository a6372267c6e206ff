"""What every expectation carries: a name, a severity, a plain-language description; and run settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

CRITICAL = "critical"  # failing rows are quarantined, not loaded
WARNING = "warning"  # reported, never blocking
SEVERITIES = (CRITICAL, WARNING)
FAIL_ON = ("critical", "warning", "never")
# The column numbering the rows of a validated frame: the runner reports failing rows by it.
ROW_KEY = "_row"


def gx_project(warehouse: str | Path) -> Path:
    """The Great Expectations project folder (`gx/`), next to the warehouse file."""
    return Path(warehouse).parent / "gx"


@dataclass(frozen=True, slots=True)
class SuiteConfig:
    """Bounds and tolerances of the suites; defaults are tuned for news articles."""

    min_body_chars: int = 80  # a news brief is a couple of sentences
    max_body_chars: int = 200_000  # ~30k words: longer is a page dump, not an article
    earliest_date: dt.date = dt.date(1990, 1, 1)  # the web-news era; earlier dates are misparses
    max_nontext_share: float = 0.5  # body characters in URLs, markup or menu bullets
    near_empty_chars: int = 300
    max_near_empty_share: float = 0.2
    min_date_share: float = 0.5
    min_author_share: float = 0.3
    min_site_share: float = 0.5
    min_docs_with_article_share: float = 0.8
    row_count_low: float = 0.2  # of the articles expected from the median yield per document of previous runs
    row_count_high: float = 5.0
    min_history_runs: int = 3


RunSize = tuple[int, int]  # (articles extracted, documents read) of one run


@dataclass(frozen=True, slots=True)
class Check:
    """One expectation with the name, severity and description shown in reports and quarantine rows."""

    name: str
    severity: str
    description: str
    column: str | None
    build: Callable[[Any], Any]  # the great_expectations.expectations module -> an Expectation

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r} for {self.name}")


def language_codes() -> frozenset[str]:
    """The ISO 639-1 codes a `language` value may take."""
    text = (resources.files("expectations") / "data" / "iso639_1.txt").read_text(encoding="utf-8")
    codes = frozenset(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))
    if len(codes) < 180:
        raise ValueError(f"iso639_1.txt holds {len(codes)} codes; expected 184")
    return codes


def crosses(results: list[dict], fail_on: str) -> bool:
    """True when a failed expectation reaches the severity a run should fail on."""
    if fail_on not in FAIL_ON:
        raise ValueError(f"--fail-on must be one of {', '.join(FAIL_ON)}")
    if fail_on == "never":
        return False
    levels = {CRITICAL} if fail_on == "critical" else {CRITICAL, WARNING}
    return any(not r["success"] and r["severity"] in levels for r in results)
