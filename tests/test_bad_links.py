"""Integration: links and vanishing files in the inbox get a row and a reason, like every other bad input."""

import datetime as dt
import os

import duckdb
import pytest

from flows.batch import FileTally, iter_files
from flows.etl import etl_flow
from tests.badinputs import story
from warehouse.inbox import InboxFile

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def linked(prefect_harness, tmp_path_factory):
    root = tmp_path_factory.mktemp("links")
    inbox = root / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text(story("A good dump beside bad links"))
    outside = root / "outside.txt"
    outside.write_text(story("Outside the inbox", seed=3))
    os.symlink(outside, inbox / "escape.txt")
    os.symlink(inbox / "missing.txt", inbox / "dangling.txt")
    os.symlink(inbox / "loop_b.txt", inbox / "loop_a.txt")
    os.symlink(inbox / "loop_a.txt", inbox / "loop_b.txt")
    wh = root / "wh.duckdb"
    summary = etl_flow(inbox=str(inbox), warehouse=str(wh), lake=str(root / "lake"))
    con = duckdb.connect(str(wh), read_only=True)
    try:
        rows = {s: r for s, r in con.execute("select source_file, reason from quarantine").fetchall()}
        loaded = {s for (s,) in con.execute("select source_file from articles").fetchall()}
    finally:
        con.close()
    return summary, rows, loaded


def test_the_good_dump_loads_beside_bad_links(linked):
    _summary, _rows, loaded = linked
    assert "good.txt" in loaded


def test_a_link_out_of_the_inbox_is_not_followed(linked):
    _summary, rows, loaded = linked
    assert "escape.txt" not in loaded and rows.get("escape.txt")


@pytest.mark.parametrize("name", ["dangling.txt", "loop_a.txt", "loop_b.txt"])
def test_dangling_and_looping_links_get_a_row(linked, name):
    summary, rows, _loaded = linked
    assert rows.get(name), (name, rows)
    assert summary["files_seen"] == 5


def test_a_file_that_vanishes_after_discovery_gets_a_row(tmp_path):
    (tmp_path / "here.txt").write_text(story("Still here", seed=5))
    files = [InboxFile("here.txt", 100, 0), InboxFile("gone.txt", 100, 0)]
    tally = FileTally()
    docs = list(iter_files(str(tmp_path), files, {}, dt.datetime.now(dt.UTC), "run", 10**6, tally))
    skipped = tally.skipped
    by_name = {d.source_file: d for d in docs}
    assert skipped == 0 and by_name["here.txt"].rejection is None
    assert by_name["gone.txt"].rejection.reason == "unreadable_file"
    assert "FileNotFoundError" in by_name["gone.txt"].rejection.detail
