"""Crash safety, concurrency and clean shutdown of real `broadsheet run` processes (killed with SIGKILL on their
process group at named points of a run, started twice at once, stopped with SIGTERM)."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from tests.conftest import EXTRA, ROOT, SEEDS

pytestmark = pytest.mark.integration

TABLES = ("documents", "articles", "paragraphs", "captions", "quotes", "boilerplate", "quarantine", "inbox_files")


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("crash") / "inbox"
    shutil.copytree(SEEDS, root)
    for f in EXTRA.iterdir():
        shutil.copy(f, root / f.name)
    (root / "nested").mkdir()
    shutil.copy(SEEDS / "001_de08d329854fef43.txt", root / "nested" / "copy_of_001.txt")
    return root


@pytest.fixture(scope="module")
def api_env(prefect_harness) -> dict:
    """The environment of a CLI run: the test session's Prefect API (no ephemeral server to start each time)."""
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PREFECT_LOGGING_LEVEL": "WARNING"}


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", "run", *args]


def start(inbox: Path, work: Path, env: dict, hold: str | None = None, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    env = dict(env)
    if hold:
        env["BROADSHEET_HOLD_AT"] = f"{hold}:{work / ('at_' + hold)}"
    return subprocess.Popen(cli(str(inbox), "-w", str(work / "wh.duckdb"), "--lake", str(work / "lake"),
                                "--batch-size", "3", *extra),
                            cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            errs = proc.stderr.read()[-3000:] if proc.stderr else ""
            raise AssertionError(f"run ended (rc {proc.returncode}) before {path.name}: {errs}")
        if time.monotonic() > deadline:
            raise AssertionError(f"run never reached {path.name}")
        time.sleep(0.2)


def counts(wh: Path) -> dict[str, int]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in TABLES}
    finally:
        con.close()


def lake_rows(lake: Path, table: str) -> int:
    files = list((lake / table).glob("*/*.parquet"))
    if not files:
        return 0
    return duckdb.sql(f"select count(*) from read_parquet('{lake}/{table}/*/*.parquet')").fetchall()[0][0]


@pytest.fixture(scope="module")
def clean(inbox, api_env, tmp_path_factory) -> dict[str, int]:
    """The counts of a clean run of the inbox."""
    work = tmp_path_factory.mktemp("clean")
    proc = start(inbox, work, api_env)
    _, errs = proc.communicate(timeout=600)
    assert proc.returncode == 0, errs[-3000:]
    got = counts(work / "wh.duckdb")
    assert got["articles"] > 10 and got["quarantine"] > 3
    return got


def assert_consistent(wh: Path, lake: Path, exact: bool = True) -> None:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchall()[0][0]  # noqa: E731
        assert q("select count(*) from articles a anti join documents d using (doc_id)") == 0
        for t in ("paragraphs", "captions", "quotes"):
            assert q(f"select count(*) from {t} c anti join articles a using (article_id)") == 0
        # a run is in the warehouse only with its documents: 'loaded' rows have them, failed ones none
        assert q("select count(*) from documents d anti join runs r using (run_id)") == 0
        assert q("select count(*) from documents where run_id in "
                 "(select run_id from runs where status = 'failed')") == 0
        loaded = q("select count(*) from articles")
    finally:
        con.close()
    # the lake never holds rows the warehouse did not load (right after a kill it may lack the last run's)
    assert lake_rows(lake, "articles") == loaded if exact else lake_rows(lake, "articles") <= loaded


@pytest.mark.parametrize("point", ["cleaning", "staging", "loading", "publishing"])
def test_a_run_killed_at_any_point_leaves_a_consistent_warehouse_and_a_rerun_equals_a_clean_run(
        point, inbox, api_env, clean, tmp_path):
    proc = start(inbox, tmp_path, api_env, hold=point)
    wait_for(tmp_path / f"at_{point}", proc)
    if point == "loading":  # a second writer meanwhile is refused at once, and writes nothing
        busy = subprocess.run(cli(str(inbox), "-w", str(tmp_path / "wh.duckdb"), "--lake", str(tmp_path / "lake")),
                              cwd=tmp_path, env=api_env, capture_output=True, text=True, timeout=300)
        assert busy.returncode == 4, busy.stderr[-2000:]
        assert "warehouse busy" in busy.stderr
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)

    wh, lake = tmp_path / "wh.duckdb", tmp_path / "lake"
    if wh.exists():
        assert_consistent(wh, lake, exact=False)
        con = duckdb.connect(str(wh), read_only=True)
        try:
            statuses = [s for (s,) in con.execute("select status from runs").fetchall()]
            loaded = con.execute("select count(*) from documents").fetchall()[0][0]
        finally:
            con.close()
        if point == "publishing":  # killed after the commit: the run is in, only its lake files are missing
            assert statuses == ["loaded"] and loaded == clean["documents"]
        else:  # killed before the commit: nothing of the run is in the warehouse
            assert statuses in ([], ["failed"]) and loaded == 0
    if point != "cleaning":
        assert any((lake / "_staging").iterdir())  # the killed run's staged files are still there...

    rerun = start(inbox, tmp_path, api_env)
    _, errs = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, errs[-3000:]
    assert counts(wh) == clean
    assert_consistent(wh, lake)
    assert list((lake / "_staging").glob("*")) == []  # ...and the next run cleaned them up (or published them)
    assert lake_rows(lake, "documents") == clean["documents"]


def test_a_second_run_can_wait_for_the_first(inbox, api_env, clean, tmp_path):
    first = start(inbox, tmp_path, api_env, hold="publishing")
    wait_for(tmp_path / "at_publishing", first)
    second = start(inbox, tmp_path, api_env, extra=("--wait", "120"))
    time.sleep(3)
    assert second.poll() is None  # waiting for the writer lock
    os.killpg(first.pid, signal.SIGKILL)  # the lock goes with its holder
    first.communicate(timeout=60)
    _, errs = second.communicate(timeout=600)
    assert second.returncode == 0, errs[-3000:]
    assert counts(tmp_path / "wh.duckdb") == clean


def _descendants(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def _alive(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _left(procs: list[psutil.Process], timeout: float = 20) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [p for p in procs if _alive(p)]
        if not alive:
            return []
        time.sleep(0.5)
    return alive


@pytest.mark.parametrize("how", ["sigterm", "kill_command_only", "parent_dies"])
def test_no_prefect_server_or_worker_outlives_the_command(how, inbox, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # an ephemeral server of its own
    env |= {"PREFECT_HOME": str(tmp_path / "prefect"), "BROADSHEET_HOLD_AT": f"cleaning:{tmp_path / 'at'}"}
    args = cli(str(inbox), "-w", str(tmp_path / "wh.duckdb"), "--lake", str(tmp_path / "lake"),
               "--runner", "processes", "--workers", "2", "--batch-size", "3")
    if how == "parent_dies":  # the command's parent is killed; the command learns it from the kernel
        parent = subprocess.Popen([sys.executable, "-c", "import subprocess, sys; subprocess.run(sys.argv[1:])",
                                   *args], cwd=tmp_path, env=env, start_new_session=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(tmp_path / "at", parent)
        procs = _descendants(parent.pid)
        cmdlines = [" ".join(p.cmdline()) for p in procs]
        parent.kill()
        parent.wait()
    else:
        proc = subprocess.Popen(args, cwd=tmp_path, env=env, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(tmp_path / "at", proc)
        procs = [psutil.Process(proc.pid), *_descendants(proc.pid)]
        cmdlines = [" ".join(p.cmdline()) for p in procs]
        proc.send_signal(signal.SIGTERM if how == "sigterm" else signal.SIGKILL)
        proc.wait(timeout=60)
    assert any("uvicorn" in c for c in cmdlines)  # the ephemeral server was among them
    assert len(procs) >= 4  # command, server, two pool workers (and the watcher)
    assert _left(procs) == []


def test_the_hold_points_exist_in_the_code():
    from flows.faults import POINTS

    text = "".join((ROOT / "flows" / f).read_text() for f in ("batch.py", "etl.py"))
    assert all(f'hold("{p}")' in text for p in POINTS)
