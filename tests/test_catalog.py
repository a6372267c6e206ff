"""One description source: warehouse/catalog.toml gives every table, view and column of a real warehouse its
DuckDB comment and generates the README's table list."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import ROOT
from warehouse.catalog import apply_comments, current_comments, load_catalog, rewrite_readme
from warehouse.db import connect, run_layer
from warehouse.schemas import SCHEMAS


@pytest.fixture(scope="module")
def comments(tmp_path_factory) -> dict[tuple[str, str | None], str | None]:
    """The comments of a warehouse file created by the connection factory, read back read-only."""
    path = tmp_path_factory.mktemp("catalog") / "wh.duckdb"
    connect(path).close()
    con = connect(path, read_only=True)
    try:
        return current_comments(con)
    finally:
        con.close()


def test_every_table_view_and_column_of_a_real_warehouse_has_a_comment(comments) -> None:
    # any table or column added by a schema SQL file (or SCHEMAS) without a catalog.toml entry fails here
    missing = sorted(f"{t}.{c}" if c else t for (t, c), text in comments.items() if not (text or "").strip())
    assert not missing, f"no description in warehouse/catalog.toml for: {', '.join(missing)}"
    assert {t for t, _ in comments} >= set(SCHEMAS)


def test_comments_say_what_the_catalog_says(comments) -> None:
    catalog = load_catalog()
    assert comments[("articles", None)] == catalog["articles"].grain
    assert comments[("articles", "published_raw")] == catalog["articles"].columns["published_raw"]
    assert comments[("source_quality", "share_no_date")] == catalog["source_quality"].columns["share_no_date"]


def test_the_catalog_describes_only_what_exists(comments) -> None:
    stale = sorted(f"{doc.name}.{c}" for doc in load_catalog().values() for c in [None, *doc.columns]
                   if (doc.name, c) not in comments)
    assert not stale, f"warehouse/catalog.toml describes what the warehouse does not have: {', '.join(stale)}"


def test_an_existing_warehouse_without_comments_gets_them_and_views_keep_them(tmp_path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))  # a warehouse as earlier versions created it: tables and views, no comments
    run_layer(con, "schema")
    run_layer(con, "marts")
    assert not any(current_comments(con).values())
    con.close()
    connect(path).close()
    connect(path).close()  # the views are recreated on every writable connection: their comments come back
    con = connect(path, read_only=True)
    try:
        got = current_comments(con)
    finally:
        con.close()
    assert all(got.values())
    assert got[("daily_articles", "words")] == load_catalog()["daily_articles"].columns["words"]


def test_a_changed_description_changes_the_comment(tmp_path) -> None:
    con = connect(tmp_path / "wh.duckdb")
    try:
        text = (ROOT / "warehouse" / "catalog.toml").read_text(encoding="utf-8")
        edited = load_catalog(text.replace('title = "headline"', 'title = "the headline as printed"'))
        assert apply_comments(con, edited) == 1
        assert current_comments(con)[("articles", "title")] == "the headline as printed"
        assert apply_comments(con, edited) == 0
    finally:
        con.close()


def test_a_column_without_a_description_is_refused() -> None:
    with pytest.raises(ValueError, match="columns without a description: body"):
        load_catalog('[articles]\ngrain = "one article"\n[articles.columns]\ntitle = "headline"\nbody = " "\n')


def test_readme_table_list_is_generated_from_the_catalog() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert rewrite_readme(readme, load_catalog()) == readme, "run `python -m warehouse.catalog`"
    catalog = load_catalog()
    for doc in catalog.values():
        assert f"| `{doc.name}` | {doc.grain} |" in readme
