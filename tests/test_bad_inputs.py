"""Integration: the generated bad-input corpus, mixed with good dumps, through the real flow in a temp dir."""

import shutil

import duckdb
import pytest

from flows.etl import etl_flow
from tests.badinputs import LOADS, cases, write_corpus
from tests.conftest import SEEDS

pytestmark = pytest.mark.integration

CASES = {c.cls: c for c in cases(big=True)}
PENDING: dict[str, str] = {}  # class -> why its outcome is not yet what the corpus expects


@pytest.fixture(scope="module")
def loaded(prefect_harness, tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    inbox = root / "inbox"
    shutil.copytree(SEEDS, inbox)
    write_corpus(inbox, big=True)
    wh = root / "wh.duckdb"
    summary = etl_flow(inbox=str(inbox), warehouse=str(wh), lake=str(root / "lake"), batch_size=8)
    con = duckdb.connect(str(wh), read_only=True)
    try:
        articles = {s for (s,) in con.execute("select source_file from articles").fetchall()}
        quarantine = con.execute("select source_file, reason, detail from quarantine").fetchall()
        documents = [s for (s,) in con.execute("select source_file from documents").fetchall()]
        bodies = [b for (b,) in con.execute("select body from articles").fetchall()]
        titles = [t for (t,) in con.execute("select title from articles").fetchall()]
    finally:
        con.close()
    files = sorted(p.relative_to(inbox).as_posix() for p in inbox.rglob("*") if p.is_file())
    yield {"summary": summary, "articles": articles, "quarantine": quarantine, "documents": documents,
           "bodies": bodies, "titles": titles, "files": files}
    shutil.rmtree(root)  # the 60 MB file


def _records(case):
    if case.name.endswith(".jsonl"):
        lines = [n for n, ln in enumerate(case.data.split(b"\n"), start=1) if ln.strip()]
        return [f"{case.name}:{n}" for n in lines]
    return [case.name]


@pytest.mark.parametrize("cls", sorted(CASES))
def test_every_class_has_its_outcome(loaded, cls):
    if cls in PENDING:
        pytest.xfail(PENDING[cls])
    case = CASES[cls]
    reasons = {}
    for source, reason, _detail in loaded["quarantine"]:
        reasons.setdefault(source, set()).add(reason)
    for record, expect in zip(_records(case), case.expect, strict=True):
        if expect == LOADS:
            assert record in loaded["articles"], (record, reasons.get(record))
        else:
            assert expect in reasons.get(record, set()), (record, reasons.get(record), record in loaded["articles"])


def test_good_dumps_all_load(loaded):
    for seed in SEEDS.glob("*.txt"):
        assert seed.name in loaded["articles"], seed.name
    assert sum(1 for s in loaded["articles"] if s in {p.name for p in SEEDS.glob("*.txt")}) == 5


def test_nothing_disappears(loaded):
    # every file is a documents row, a quarantine row (a duplicate has only that) or counted as skipped
    seen = {s.rsplit(":", 1)[0] if ".jsonl:" in s else s
            for s in [*loaded["documents"], *(q[0] for q in loaded["quarantine"])]}
    assert loaded["summary"]["files_seen"] == len(loaded["files"])
    assert seen == set(loaded["files"])
    assert len(seen) + loaded["summary"]["files_skipped"] == loaded["summary"]["files_seen"]
    assert all(reason and reason == reason.lower() and " " not in reason for _s, reason, _d in loaded["quarantine"])


def test_no_control_characters_or_surrogates_reach_article_text(loaded):
    for text in [*loaded["bodies"], *(t for t in loaded["titles"] if t)]:
        assert not any(ord(c) < 32 and c not in "\n\t" for c in text)
        assert "\x7f" not in text and "\x1b" not in text
        assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    assert any("voted 11 to two on Thursday" in b for b in loaded["bodies"])  # "Thurs\x00day\x1b[0m", cleaned
    assert any("The café on the quay was closed for the day, and the mayor’s office" in b for b in loaded["bodies"])
    assert any("island’s boats" in b for b in loaded["bodies"])
    assert not any("â€" in b for b in loaded["bodies"])
