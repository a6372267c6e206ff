"""The data-quality report, checked as a person sees it: rendered by headless Chromium."""

import dataclasses
import datetime as dt
import os
import shutil
import subprocess

import pytest

from tests.test_warehouse import NOW, load_run, make_doc, run_row, tables_for
from warehouse.db import connect
from warehouse.report import write_report

HOSTILE = "<script>document.body.setAttribute('data-pwned','script')</script>"
HOSTILE_IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs the Debian package")
        pytest.skip("chromium not installed (apt-get install chromium)")
    return path


@pytest.fixture
def report(tmp_path):
    wh = tmp_path / "wh.duckdb"
    con = connect(wh)
    try:
        for i in range(3):
            doc = make_doc(f"d{i}", 2, source=f"src{i}.txt")
            bad = dataclasses.replace(doc.articles[1], title=HOSTILE + HOSTILE_IMG)
            doc = doc.replace(articles=(doc.articles[0], bad))
            rejected = {bad.article_id: ("failed_expectations", f"title_not_boilerplate (observed {HOSTILE})",
                                         ("title_not_boilerplate",))}
            load_run(con, tables_for([doc], rejected, run_id=f"r{i}"), run_row(f"r{i}", NOW + dt.timedelta(hours=i)))
    finally:
        con.close()
    return write_report(wh)


def test_report_is_self_contained_and_escapes_data(report):
    html = report.read_text()
    assert HOSTILE not in html and "&lt;script&gt;" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html  # nothing to fetch: it opens offline


def test_report_renders_in_headless_chromium(report, tmp_path):
    cmd = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000",
           "--dump-dom", report.as_uri()]
    dom = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout
    for section in ("latest-run", "trends", "expectations", "boilerplate", "quarantine", "sources", "runs"):
        assert f'id="{section}"' in dom, section
    assert dom.count("<svg") >= 4
    assert 'class="series"' in dom and 'class="bar"' in dom  # lines and bars were drawn
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]  # neither payload ran
    assert "<title>Broadsheet data-quality report</title>" in dom
    assert "&lt;script&gt;document.body.setAttribute" in dom  # the headline shows as text

    shot = tmp_path / "report.png"
    subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile2'}",
                    "--window-size=1280,2000", f"--screenshot={shot}", report.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 20_000  # a drawn page, not a blank one
