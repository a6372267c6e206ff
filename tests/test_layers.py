"""The house map of transforms/: modules sit in layers (README, Layout), import only from their own layer or
below, never in a cycle, and never import another module's private names. A call can only follow an import, so
one document's path through pipeline.process_documents never goes back up a layer."""

from __future__ import annotations

import ast
import graphlib
import pathlib
import re

TRANSFORMS = pathlib.Path(__file__).resolve().parents[1] / "transforms"
# Bottom to top, as in the README's layout table.
LAYERS = (
    ("records and plain helpers", {"record", "metadata", "decode", "language", "timecap", "repeats", "segment",
                                   "regex_index", "rulefiles", "line_model", "html_vote", "html_body",
                                   "clusters", "columns", "wrapping"}),
    ("the rules", {"meta_rules", "ranker_model", "rules"}),
    ("stages and fields", {"clean_text", "captions", "quotes", "dates", "titles", "sites", "authors",
                           "meta_ranker"}),
    ("front-ends", {"metadata_text", "metadata_html", "html"}),
    ("articles and the cascade", {"fields", "pipeline"}),
)


def _modules() -> dict[str, ast.Module]:
    return {p.stem: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(TRANSFORMS.glob("*.py"))
            if p.stem != "__init__"}


def _imports(tree: ast.Module) -> list[tuple[str, str | None]]:
    """(module of transforms, imported name or None) of every import, those inside functions too."""
    out: list[tuple[str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "transforms":
            if node.module == "transforms":
                out += [(a.name, None) for a in node.names]
            else:
                out += [(node.module.split(".")[1], a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            out += [(a.name.split(".")[1], None) for a in node.names if a.name.startswith("transforms.")]
    return out


def _graph() -> dict[str, set[str]]:
    return {name: {mod for mod, _ in _imports(tree)} - {name} for name, tree in _modules().items()}


def test_every_module_has_one_layer() -> None:
    placed = [m for _, mods in LAYERS for m in mods]
    assert sorted(placed) == sorted(_modules())
    assert len(placed) == len(set(placed))


def test_imports_never_go_up_a_layer() -> None:
    layer = {m: i for i, (_, mods) in enumerate(LAYERS) for m in mods}
    upward = sorted((name, dep) for name, deps in _graph().items() for dep in deps if layer[dep] > layer[name])
    assert upward == []


def test_the_import_graph_has_no_cycle() -> None:
    graphlib.TopologicalSorter(_graph()).prepare()  # raises CycleError


def test_no_module_imports_another_modules_private_names() -> None:
    found = []
    for name, tree in _modules().items():
        found += [(name, mod, item) for mod, item in _imports(tree) if item and item.startswith("_")]
        modules = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                   and node.module == "transforms" for alias in node.names}
        found += [(name, node.value.id, node.attr) for node in ast.walk(tree) if isinstance(node, ast.Attribute)
                  and isinstance(node.value, ast.Name) and node.value.id in modules and node.attr.startswith("_")]
    assert found == []


def test_the_readme_lists_the_same_layers() -> None:
    readme = (TRANSFORMS.parent / "README.md").read_text(encoding="utf-8")
    listed = readme[readme.index("Layers, bottom to top"):]
    for name, mods in LAYERS:
        start = listed.index(f"{name} (") + len(name) + 2
        assert set(re.findall(r"`(\w+)`", listed[start:listed.index(")", start)])) == mods, name
