"""Each byline word, month name and bullet set lives in one list of one rules file: a scan of every rules file
(transforms/rules/*.toml) and every module of transforms/ finds no second list of them."""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator

from transforms.rules import RULES_DIR, load_rules

RULES = load_rules()
TRANSFORMS = RULES_DIR.parent
# A list, table or string holding this many of one kind of fact defines (or repeats) a list of them.
AT_LEAST = 3
# Function words of a language are another fact: "by", "von" and "de" are stopwords as well as byline words.
OTHER_FACTS = {("stopwords",)}
# The one home of each kind, (file, key path).
HOMES = {
    "byline words": ("authors.toml", ("authors", "byline_words")),
    "month names": ("dates.toml", ("dates", "months")),
    "bullet set": ("classifier.toml", ("markers", "bullets")),
}
BYLINE_WORDS = frozenset(RULES.authors.byline_words)
MONTHS = frozenset(RULES.dates.months)
# The bullets a line may start with, less the dashes and the middle dot that also separate words in a line.
BULLETS = frozenset(c for c in RULES.bullets if not c.isascii() and c not in "–—·")
# An alternative of a regex alternation: the text between two of ( | ), a leading ?:, ?P<name>, ^ or \b and a
# trailing :? cut.
ALTERNATIVE = re.compile(r"(?<=[(|])([^()|]+?)(?=[|)])")


def _alternatives(text: str) -> set[str]:
    out = set()
    for alt in ALTERNATIVE.findall(text):
        alt = re.sub(r"^(?:\?:|\?P<\w+>|\^|\\b)+|(?::\?|\\b|\\s\*:|\\s\+)+$", "", alt).replace("\\ ", " ")
        out.add(alt.lower().strip())
    return out


def kinds_in(items: list[str]) -> set[str]:
    """The kinds of fact a list of strings lists: as its elements, or as the alternatives of one regex."""
    found = set()
    for words in [{s.lower().strip().rstrip(":") for s in items}, *map(_alternatives, items)]:
        if len(words & BYLINE_WORDS) >= AT_LEAST:
            found.add("byline words")
        if len(words & MONTHS) >= AT_LEAST:
            found.add("month names")
    if any(len(BULLETS & set(s)) >= AT_LEAST for s in items):
        found.add("bullet set")
    return found


def _toml_lists(value: object, where: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], list[str]]]:
    if isinstance(value, dict):
        yield (*where, "<keys>"), list(value)
        for key, item in value.items():
            yield from _toml_lists(item, (*where, key))
    elif isinstance(value, list):
        strings = [v for v in value if isinstance(v, str)]
        if strings:
            yield where, strings
        for item in value:
            if not isinstance(item, str):
                yield from _toml_lists(item, where)
    elif isinstance(value, str):
        yield where, [value]


def _toml_definitions() -> Iterator[tuple[str, str, tuple[str, ...]]]:
    for path in sorted(RULES_DIR.glob("*.toml")):
        for where, strings in _toml_lists(tomllib.loads(path.read_text(encoding="utf-8")), ()):
            if where[:1] in OTHER_FACTS:
                continue
            home = where[:-1] if where[-1] == "<keys>" else where
            for kind in kinds_in(strings):
                yield kind, path.name, home


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body
            and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}


def _python_definitions() -> Iterator[tuple[str, str, int]]:
    for path in sorted(TRANSFORMS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                items = [node.value]
            elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
                items = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            elif isinstance(node, ast.Dict):
                items = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            else:
                continue
            for kind in kinds_in(items):
                yield kind, path.name, node.lineno


def test_each_kind_of_fact_is_listed_once_in_one_rules_file() -> None:
    found: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for kind, name, where in _toml_definitions():
        found.setdefault(kind, []).append((name, where))
    assert {kind: sorted(set(places)) for kind, places in found.items()} == {
        kind: [home] for kind, home in HOMES.items()}


def test_no_module_of_transforms_hard_codes_them() -> None:
    assert sorted(set(_python_definitions())) == []


def test_the_scan_finds_a_second_list() -> None:
    assert kinds_in(["by", "von", "par"]) == {"byline words"}
    assert kinds_in([r"^(?:by|written by|von)\s+\w"]) == {"byline words"}
    assert kinds_in([r"(?P<n>january|february|march)"]) == {"month names"}
    assert kinds_in(["•▪►"]) == {"bullet set"}
    assert kinds_in(["by", "the", "way"]) == set()


def test_the_row_key_and_the_gx_folder_are_defined_once() -> None:
    root = TRANSFORMS.parent
    row_keys, gx_names = [], []
    for path in sorted(p for folder in ("expectations", "flows", "warehouse", "transforms")
                       for p in (root / folder).glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in ("_row", "gx"):
                (row_keys if node.value == "_row" else gx_names).append(path.relative_to(root).as_posix())
    assert row_keys == ["expectations/checks.py"]  # ROW_KEY
    assert gx_names == ["expectations/checks.py"]  # gx_project()
