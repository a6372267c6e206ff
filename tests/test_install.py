"""The package as a user installs it: a built wheel carries its data files and runs from another folder.

(That every imported distribution is declared is tests/test_dependencies.py.)"""

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, SEEDS

PACKAGES = ("flows", "transforms", "expectations", "warehouse")


def _package_files() -> set[str]:
    """Every non-Python file under the packages that the code may read at run time."""
    return {p.relative_to(ROOT).as_posix() for pkg in PACKAGES for p in (ROOT / pkg).rglob("*")
            if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # build from a clean copy: setuptools leaves build/ in the source tree, and a stale build/lib would ship
    out, src = tmp_path_factory.mktemp("wheel"), tmp_path_factory.mktemp("src")
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, src / pkg, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(src)],
                   check=True, cwd=out, timeout=300)
    (whl,) = out.glob("broadsheet-*.whl")
    return whl


@pytest.mark.integration
def test_wheel_ships_every_data_file(wheel):
    inside = set(zipfile.ZipFile(wheel).namelist())
    data = _package_files()
    assert {"transforms/rules/boilerplate.toml", "expectations/data/iso639_1.txt",
            "warehouse/templates/report.html.j2"} <= data
    assert data - inside == set()


@pytest.mark.integration
def test_installed_wheel_runs_the_samples_from_another_folder(wheel, tmp_path):
    # A fresh venv holding only the wheel; the project's pinned dependencies come from the test's own
    # environment through a plain path entry (no .pth processing, so the editable finder stays out), and
    # the new venv's site-packages comes first on sys.path. So data files can only come from the wheel.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()"
                                "['purelib'])"], check=True, capture_output=True, text=True).stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps",
                    "--quiet", str(wheel)], check=True, timeout=300)
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copytree(SEEDS, work / "inbox")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PREFECT_API_URL"}}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180"}  # a busy 2-core machine needs more than 20 s
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import transforms.rules as r; print(r.__file__)"],
                           cwd=work, env=env, check=True, capture_output=True, text=True).stdout
    assert where.startswith(str(site)), where
    done = subprocess.run([str(venv / "bin" / "broadsheet"), "run", "inbox"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    con = duckdb.connect(str(work / "data" / "broadsheet.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from articles").fetchone() == (8,)
        assert con.execute("select count(*) from quarantine").fetchone() == (0,)
    finally:
        con.close()
