"""Every third-party module the installed packages import is a declared dependency in pyproject.toml."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from tests.conftest import ROOT

PACKAGES = ("transforms", "flows", "expectations", "warehouse")


def imported_modules() -> set[str]:
    """Top-level names of the modules imported anywhere in the shipped packages."""
    found: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(a.name.split(".")[0] for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module.split(".")[0])
    return found - set(PACKAGES) - set(sys.stdlib_module_names)


def test_every_imported_distribution_is_declared() -> None:
    declared = {re.split(r"[<>=!\[ ;]", d, maxsplit=1)[0].lower().replace("_", "-")
                for d in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]}
    owners = importlib.metadata.packages_distributions()
    modules = imported_modules()
    assert {"numpy", "dateparser", "htmldate", "courlan", "lxml"} <= modules  # the check sees real imports
    missing = {m: owners.get(m) for m in modules
               if not {d.lower().replace("_", "-") for d in owners.get(m, [m])} & declared}
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"
    assert "lxml-html-clean" in declared  # trafilatura needs it; pip 23 drops it from justext's lxml[html_clean] extra


def test_time_zone_data_is_declared() -> None:
    """zoneinfo reads the tzdata package where the system has no zone files: it must be installed with us."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.startswith("tzdata") for d in deps)
